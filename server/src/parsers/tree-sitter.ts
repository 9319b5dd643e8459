/**
 * Loads the tree-sitter runtime and the Python and Bash grammars (WebAssembly) once. The wasm
 * files sit next to the bundle (`dist/`) in a build, or in node_modules when run from source.
 * Extraction is synchronous; only this initialisation is async. The Terraform (HCL) and PowerShell
 * grammars are loaded lazily, on the first `.tf` or `.ps1` file: most workspaces have none, and
 * they compile synchronously once the runtime is up (≈90 KB and ≈1 MB).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Parser, Language, Query, Edit } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';
export { Parser, Query, Edit };

let ready: Promise<void> | undefined;
let python: Language | undefined;
let bash: Language | undefined;
let pythonParser: Parser | undefined;
let bashParser: Parser | undefined;
let terraform: Language | undefined;
let terraformParser: Parser | undefined;
let powershell: Language | undefined;
let powershellParser: Parser | undefined;

function locate(file: string, packageDir: string): string {
  const candidates = [
    path.join(__dirname, file),
    path.join(__dirname, 'wasm', file),
    path.join(__dirname, '..', '..', '..', 'node_modules', packageDir, file),
    path.join(process.cwd(), 'node_modules', packageDir, file),
  ];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`deploy-preflight: cannot find ${file} (looked in ${candidates.join(', ')})`);
}

export function initParsers(): Promise<void> {
  ready ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtime });
    python = await Language.load(fs.readFileSync(locate('tree-sitter-python.wasm', 'tree-sitter-python')));
    bash = await Language.load(fs.readFileSync(locate('tree-sitter-bash.wasm', 'tree-sitter-bash')));
    runtimeReady = true;
  })();
  return ready;
}

let runtimeReady = false;

/** Whether the Terraform grammar has been compiled (false until a `.tf` file was parsed). */
export function terraformGrammarLoaded(): boolean {
  return terraform !== undefined;
}

/** Compiles a grammar synchronously (the runtime must be up): for grammars most workspaces never
 * need, loaded on their first file instead of at start. `baselineOnly`: V8's baseline compiler
 * only (Liftoff). The PowerShell grammar (≈1 MB) otherwise has V8 optimise the whole module in
 * background threads, which the process waits for at exit: ~7 s of CPU and ~3 s of wall time on
 * a two-core machine, measured, for scripts of a few KB that the baseline code parses as fast. */
function loadGrammarSync(file: string, packageDir: string, baselineOnly = false): Language {
  if (!runtimeReady) throw new ParsersNotReady();
  // The project's `lib` has no WebAssembly value typings; Node has the global.
  const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => Parameters<typeof Language.loadSync>[0] } }).WebAssembly;
  const bytes = fs.readFileSync(locate(file, packageDir));
  if (!baselineOnly) return Language.loadSync(new wasm.Module(bytes));
  // The flag is read when the module is compiled; the grammars compiled before keep their tiers.
  v8.setFlagsFromString('--liftoff-only');
  try {
    return Language.loadSync(new wasm.Module(bytes));
  } finally {
    v8.setFlagsFromString('--no-liftoff-only');
  }
}

/** The Terraform dialect of the HCL grammar (`.tf`, `.tfvars`), compiled on first use. */
function terraformLanguage(): Language {
  terraform ??= loadGrammarSync('tree-sitter-terraform.wasm', path.join('@tree-sitter-grammars', 'tree-sitter-hcl'));
  return terraform;
}

/** The PowerShell grammar (`.ps1`), compiled on first use: about 1 MB, and few workspaces have a
 * PowerShell script that deploys. */
function powershellLanguage(): Language {
  powershell ??= loadGrammarSync('tree-sitter-powershell.wasm', 'tree-sitter-powershell', true);
  return powershell;
}

/** Thrown when a grammar is used before `initParsers()` resolved: a host's ordering bug, never a
 * property of the file, so extraction must not remember it as the file's result. */
export class ParsersNotReady extends Error {
  constructor() {
    super('deploy-preflight: parsers used before initParsers() resolved');
  }
}

function need<T>(v: T | undefined): T {
  if (!v) throw new ParsersNotReady();
  return v;
}

export function pythonLanguage(): Language {
  return need(python);
}
export function bashLanguage(): Language {
  return need(bash);
}

export function pythonParserInstance(): Parser {
  if (!pythonParser) {
    const lang = need(python);
    pythonParser = new Parser();
    pythonParser.setLanguage(lang);
  }
  return pythonParser;
}

export function bashParserInstance(): Parser {
  if (!bashParser) {
    const lang = need(bash);
    bashParser = new Parser();
    bashParser.setLanguage(lang);
  }
  return bashParser;
}

export function terraformParserInstance(): Parser {
  if (!terraformParser) {
    const lang = terraformLanguage();
    terraformParser = new Parser();
    terraformParser.setLanguage(lang);
  }
  return terraformParser;
}

export function powershellParserInstance(): Parser {
  if (!powershellParser) {
    powershellParser = new Parser();
    powershellParser.setLanguage(powershellLanguage());
  }
  return powershellParser;
}

/** Parses, hands the tree to `use`, and always frees it (wasm memory is not garbage collected). */
export function withPythonTree<T>(text: string, use: (root: import('web-tree-sitter').Node) => T): T {
  const tree = pythonParserInstance().parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

export function withBashTree<T>(text: string, use: (root: import('web-tree-sitter').Node) => T): T {
  const tree = bashParserInstance().parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

export function withTerraformTree<T>(text: string, use: (root: import('web-tree-sitter').Node) => T): T {
  const tree = terraformParserInstance().parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

const queryCache = new Map<string, Query>();
/** Compiled queries are cached: compiling costs far more than running. */
export function query(lang: 'python' | 'bash', source: string): Query {
  const key = lang + '\0' + source;
  let q = queryCache.get(key);
  if (!q) {
    q = new Query(lang === 'python' ? pythonLanguage() : bashLanguage(), source);
    queryCache.set(key, q);
  }
  return q;
}
