/**
 * The layering, checked on the imports of every source file (parsed by TypeScript, `import type`
 * and re-exports included):
 *
 *   core ← knowledge ← parsers ← extract ← chunks ← model ← fixes ← rules ← engine ← ide ← lsp / cli
 *
 * chunks/ is the door to the parsing chunk (the code that parses, loaded on first use): above it,
 * nothing imports a value of extract/index.ts, parsers/tree-sitter.ts or parsers/ts-checker.ts but
 * through that door (the bundles leave them out).
 *
 * A layer imports only itself and the layers before it; ide/, lsp/ and cli/ reach the engine only
 * through its façade (engine/analysis.ts); lsp/ and cli/ see nothing below the engine but core/;
 * launch/ (the launchers in front of the bundles) sees core/ only;
 * protocol/ (the messages the extension and the server share) is imported by lsp/ and the client
 * only, and editor protocol libraries by those two and protocol/ only. No import cycles between files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { ClientCommands, ServerCommands, SETTINGS_SECTION, StatusNotification, MatrixRequest } from '../protocol';

const REPO = path.resolve(__dirname, '..');
const FACADE = 'server/src/engine/analysis.ts';

const BELOW_ENGINE = ['core', 'knowledge', 'parsers', 'extract', 'chunks', 'model', 'fixes', 'rules'];
/** What each layer may import (besides packages). `engine:facade` is engine/analysis.ts alone. */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  knowledge: ['core', 'knowledge'],
  parsers: ['core', 'knowledge', 'parsers'],
  extract: ['core', 'knowledge', 'parsers', 'extract'],
  chunks: ['core', 'knowledge', 'parsers', 'extract', 'chunks'],
  model: ['core', 'knowledge', 'parsers', 'extract', 'chunks', 'model'],
  fixes: ['core', 'knowledge', 'parsers', 'extract', 'chunks', 'model', 'fixes'],
  rules: ['core', 'knowledge', 'parsers', 'extract', 'chunks', 'model', 'fixes', 'rules'],
  engine: [...BELOW_ENGINE, 'engine', 'schemas'],
  ide: [...BELOW_ENGINE, 'engine:facade', 'ide'],
  lsp: ['core', 'engine:facade', 'ide', 'protocol', 'lsp'],
  cli: ['core', 'engine:facade', 'ide', 'cli'],
  /** The launchers in front of the bundles (dist/cli.js, dist/server.js): they must stay small. */
  launch: ['core', 'launch'],
  protocol: ['protocol'],
  client: ['protocol', 'client'],
  /** Data: the configuration's JSON Schema (the engine validates with it; editors and SchemaStore read it). */
  schemas: [],
};
/** Editor protocol libraries: only the editor-facing layers speak them. */
const PROTOCOL_PACKAGES = /^(vscode|vscode-languageserver|vscode-languageserver-protocol|vscode-languageserver-textdocument|vscode-languageclient|vscode-jsonrpc)(\/|$)/;
const MAY_USE_PROTOCOL_PACKAGES = new Set(['lsp', 'client', 'protocol']);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sources(rel));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** The layer of a repository-relative source file. */
function layerOf(file: string): string {
  if (file.startsWith('protocol/')) return 'protocol';
  if (file.startsWith('client/src/')) return 'client';
  if (file.startsWith('schemas/')) return 'schemas';
  const m = /^server\/src\/([^/]+)\//.exec(file);
  if (!m) throw new Error(`${file} lies in no layer (every server file belongs in one of ${Object.keys(ALLOWED).join(', ')})`);
  return m[1];
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const c of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (fs.existsSync(path.join(REPO, c)) && fs.statSync(path.join(REPO, c)).isFile()) return c;
  }
  return undefined;
}

interface Edge { from: string; to?: string; spec: string }

function importsOf(file: string): Edge[] {
  const info = ts.preProcessFile(fs.readFileSync(path.join(REPO, file), 'utf8'), true, true);
  return info.importedFiles.map((i) => ({ from: file, spec: i.fileName, to: i.fileName.startsWith('.') ? resolve(file, i.fileName) : undefined }));
}

const FILES = [...sources('server/src'), ...sources('client/src'), ...sources('protocol')];
const EDGES = FILES.flatMap(importsOf);

test('every source file belongs to a layer, and every relative import resolves', () => {
  for (const f of FILES) assert.ok(ALLOWED[layerOf(f)], `${f}: unknown layer ${layerOf(f)}`);
  const unresolved = EDGES.filter((e) => e.spec.startsWith('.') && !e.to).map((e) => `${e.from}: ${e.spec}`);
  assert.deepEqual(unresolved, []);
  assert.ok(EDGES.length > 200, `parsed ${EDGES.length} imports`);
});

test('imports point down the layers only; ide/, lsp/ and cli/ reach the engine through its façade', () => {
  const violations: string[] = [];
  for (const e of EDGES) {
    const from = layerOf(e.from);
    if (!e.to) {
      if (PROTOCOL_PACKAGES.test(e.spec) && !MAY_USE_PROTOCOL_PACKAGES.has(from)) violations.push(`${e.from} → ${e.spec} (editor protocol library outside lsp/, client/, protocol/)`);
      continue;
    }
    const to = layerOf(e.to);
    const allowed = ALLOWED[from];
    const ok = allowed.includes(to) || (to === 'engine' && e.to === FACADE && allowed.includes('engine:facade'));
    if (!ok) violations.push(`${e.from} → ${e.to} (${from} may import ${allowed.join(', ')})`);
  }
  assert.deepEqual(violations, []);
});

test('lsp/ imports only the engine façade, ide/, core/, protocol/ and protocol libraries', () => {
  const lsp = EDGES.filter((e) => layerOf(e.from) === 'lsp');
  const outside = lsp.filter((e) => e.to ? !/^server\/src\/(lsp|ide|core)\//.test(e.to) && e.to !== FACADE && e.to !== 'protocol/index.ts'
    : !PROTOCOL_PACKAGES.test(e.spec) && !e.spec.startsWith('node:'));
  assert.deepEqual(outside.map((e) => `${e.from} → ${e.to ?? e.spec}`), []);
});

/** The modules only the parsing chunk holds (scripts/build.mjs leaves them out of the bundles). */
const CHUNK_ONLY = ['server/src/extract/index.ts', 'server/src/parsers/tree-sitter.ts', 'server/src/parsers/ts-checker.ts'];

test('above extract/, the parsing chunk\'s modules are reached through chunks/load.ts only (types aside)', () => {
  const violations: string[] = [];
  for (const f of FILES) {
    const layer = layerOf(f);
    if (['core', 'knowledge', 'parsers', 'extract', 'chunks'].includes(layer) || !f.startsWith('server/src/')) continue;
    const sf = ts.createSourceFile(f, fs.readFileSync(path.join(REPO, f), 'utf8'), ts.ScriptTarget.Latest);
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) && !ts.isExportDeclaration(st)) continue;
      const spec = st.moduleSpecifier;
      if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
      const typeOnly = ts.isImportDeclaration(st) ? st.importClause?.isTypeOnly === true : st.isTypeOnly;
      const to = resolve(f, spec.text);
      if (to && CHUNK_ONLY.includes(to) && !typeOnly) violations.push(`${f} → ${to}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('no import cycles between files', () => {
  const graph = new Map<string, string[]>(FILES.map((f) => [f, []]));
  for (const e of EDGES) if (e.to) graph.get(e.from)!.push(e.to);
  // Tarjan's strongly connected components: any component of more than one file (or a self-import) is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const f of FILES) if (!idx.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test('protocol/: the extension contributes exactly the command ids the protocol module declares', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
  assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(ClientCommands).sort());
  // Both sides import these instead of spelling them.
  const shared = [...Object.values(ClientCommands), ...Object.values(ServerCommands), StatusNotification.method, MatrixRequest.method, SETTINGS_SECTION];
  const spelled: string[] = [];
  for (const f of FILES.filter((x) => !x.startsWith('protocol/'))) {
    const text = fs.readFileSync(path.join(REPO, f), 'utf8');
    for (const id of shared) if (text.includes(`'${id}'`) || text.includes(`"${id}"`) || text.includes(`\`${id}\``)) spelled.push(`${f}: '${id}'`);
  }
  assert.deepEqual(spelled, []);
});
