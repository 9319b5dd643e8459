/**
 * What a Python module loads, from its tokens alone (no parse: every code file gets this, most are
 * never parsed): the modules of its `import a.b` / `from .x import y` statements, as written, and
 * the names that may be modules — what a `from pkg import mod` imports, and the modules it names
 * in strings (`uvicorn.run("app.main:app")`, `config.from_object("settings.Prod")`) — which the
 * model resolves only where they name one. `dynamic` when it loads a module whose name is computed
 * (`importlib.import_module(name)`, `__import__(name)`, a Celery autodiscovery, a `sys.path.insert`
 * of a folder not found from `__file__`; `import_module("a.b")` with a literal name loads `a.b`, and
 * a loader by path whose call spells the file, `spec_from_file_location(n, HERE / "c.py")`, loads
 * the files it names: `files`) or
 * uses Django, which imports apps, URL modules and middleware by the names its settings hold: what
 * it loads is then not known.
 *
 * One pass of a small lexer that knows what the grammar needs to find statements: comments,
 * strings (every quote and prefix form), bracket depth, line continuations and logical lines.
 */
import type { FileFacts } from '../../core/facts';
import { NOT_WORKSPACE_PACKAGES } from '../../knowledge/python-packages';

/** Names whose use loads modules by a computed name. */
const DYNAMIC_NAMES = new Set([
  'import_module', '__import__', 'autodiscover_tasks', 'autodiscover_modules', 'iter_modules', 'walk_packages',
  'spec_from_file_location', 'load_source', 'run_path', 'run_module', 'addsitedir',
]);
/** Loaders whose first argument is the module's name (`importlib.import_module("a.b")`). */
const LITERAL_LOADERS = new Set(['import_module', '__import__']);
/** Loaders of a module by its file's path (`spec_from_file_location(name, path)`, `run_path(path)`). */
const FILE_LOADERS = new Set(['spec_from_file_location', 'load_source', 'run_path']);
/** A Python file's path as a string spells it: `consts.py`, `tools/seed_db.py`, `../config/x.py`. */
const PY_FILE_STRING = /^(?:[\w.-]+\/)*[A-Za-z_]\w*\.py$/;
/** Names that build a text rather than join a path's parts. */
const BUILDS_TEXT = new Set(['format', 'if']);
/** Names a spelled path is joined with (`Path(__file__).parent / "x.py"`, `os.path.join(HERE, "x.py")`). */
const PATH_WORDS = new Set([
  'Path', 'PurePath', 'os', 'path', 'join', 'str', '__file__', 'parent', 'parents', 'resolve', 'absolute', 'dirname',
  'abspath', 'realpath', 'joinpath', 'fspath',
]);

/** The index of the first character from `k` that is no blank or line break. */
function skipBlanks(text: string, k: number): number {
  while (k < text.length && /[ \t\r\n]/.test(text[k]!)) k++;
  return k;
}

type Spelled = { files: string[]; names: string[] } | undefined;

/**
 * What the expression at `k` spells: the `.py` file strings in it and the other names it uses; it
 * ends at the bracket closing the one at `k` (a call's arguments) or, where `k` is at no bracket,
 * with its logical line. Undefined where it builds text (an f-string, `+`, `%`, `.format()`, a
 * conditional).
 */
function spelledExpression(text: string, k: number): Spelled {
  const files: string[] = [];
  const names: string[] = [];
  const call = text[k] === '(';
  let depth = 0;
  for (; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 && depth === 0 && !call) break;
    if (c === 35 /* # */ || c === 92 /* \ */) {
      k = afterTrivia(text, k, c)! - 1;
      continue;
    }
    if (c === 34 || c === 39) {
      const end = stringEnd(text, k);
      const body = stringBody(text, k, end);
      if (PY_FILE_STRING.test(body)) files.push(body);
      k = end - 1;
      continue;
    }
    if (isNameStart(c)) {
      const e = nameEnd(text, k);
      const word = text.slice(k, e);
      // A string prefix (`r"…"`): an f-string or t-string builds its text.
      const prefix = (text[e] === '"' || text[e] === "'") && STRING_PREFIX.test(word);
      if ((prefix && /[fFtT]/.test(word)) || BUILDS_TEXT.has(word)) return undefined;
      if (!prefix && !PATH_WORDS.has(word) && text[k - 1] !== '.') names.push(word);
      k = e - 1;
      continue;
    }
    if (c === 43 /* + */ || c === 37 /* % */) return undefined;
    if (c === 59 /* ; */ && depth === 0 && !call) break;
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth === 0 && call) break;
    }
  }
  return { files, names };
}

/** Where each assignment of `name` at the start of a line (`NAME = …`, `NAME: Path = …`) has its
 * value; undefined when one of them is no plain assignment (`NAME += …`). */
function assignmentsOf(text: string, name: string): number[] | undefined {
  const out: number[] = [];
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (isNameChar(text.charCodeAt(at + name.length)) || (at > 0 && isNameChar(text.charCodeAt(at - 1)))) continue;
    let b = at - 1;
    while (b >= 0 && (text[b] === ' ' || text[b] === '\t')) b--;
    if (b >= 0 && text[b] !== '\n') continue;
    let k = at + name.length;
    while (text[k] === ' ' || text[k] === '\t') k++;
    if (text[k] === ':') {
      const eol = text.indexOf('\n', k);
      const eq = text.slice(k, eol < 0 ? undefined : eol).search(/[^=!<>]=(?!=)/);
      if (eq < 0) continue;
      k += eq + 1;
    } else if (text[k] !== '=' || text[k + 1] === '=') {
      if (text[k + 1] === '=' && '+-*/%|&'.includes(text[k]!)) return undefined;
      continue;
    }
    k++;
    while (text[k] === ' ' || text[k] === '\t') k++;
    out.push(k);
  }
  return out;
}

/**
 * The Python files a file loader's call at `j` (just past the callee's name) spells —
 * `(name, Path(__file__).parent / "settings" / "x.py")`, `(os.path.join(HERE, "x.py"))`, or
 * `(name, CONSTS)` where every assignment of `CONSTS` in the module spells one — or undefined when
 * the path is not spelled so: no call, no `.py` string, text built, a name assigned otherwise or
 * not at all (a parameter, a loop's variable).
 */
function spelledFiles(text: string, j: number): string[] | undefined {
  const k = skipBlanks(text, j);
  if (text[k] !== '(') return undefined;
  const files = new Set<string>();
  const seen = new Set<string>();
  const follow = (e: Spelled, level: number): boolean => {
    if (!e) return false;
    e.files.forEach((f) => files.add(f));
    for (const name of e.names) {
      if (seen.has(name)) continue;
      seen.add(name);
      const at = level < 3 ? assignmentsOf(text, name) : undefined;
      if (!at?.length || !at.every((a) => follow(spelledExpression(text, a), level + 1))) return false;
    }
    return true;
  };
  // The loaded module's own name (`spec_from_file_location("consts", …)`) is a plain string.
  return follow(spelledExpression(text, k), 0) && files.size ? [...files].sort() : undefined;
}

/**
 * The argument of a call at `j` (just past the callee's name) when it is one plain string literal,
 * alone or before other arguments: `("a.b")`, `('a.b', package)`; undefined for anything else (a
 * variable, an f-string, a concatenation).
 */
function literalArgument(text: string, j: number): string | undefined {
  let k = skipBlanks(text, j);
  if (text[k] !== '(') return undefined;
  k = skipBlanks(text, k + 1);
  const q = text.charCodeAt(k);
  if (q !== 34 && q !== 39) return undefined;
  const end = stringEnd(text, k);
  const body = stringBody(text, k, end);
  const after = text[skipBlanks(text, end)];
  return body && (after === ')' || after === ',') ? body : undefined;
}

/** Top-level packages that load the project's modules by name from its settings. */
const BY_NAME_FRAMEWORKS = new Set(['django']);
/** A string naming a module (`app.main`, `app.main:app`): dotted names, perhaps an object after a colon. */
const MODULE_STRING = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?::[A-Za-z_][\w.]*)?$/;

type Tok = { t: 'name' | 'op' | 'string'; v: string };

const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57);
const STRING_PREFIX = /^(?:[rRuUbBfFtT]|[rR][bBfFtT]|[bBfFtT][rR])$/;

/** The index just past the name starting at `i`. */
function nameEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && isNameChar(text.charCodeAt(j))) j++;
  return j;
}

/** Where the text goes on when `c` at `i` is a blank, a comment (to its newline) or a line
 * continuation; undefined for anything else. */
function afterTrivia(text: string, i: number, c: number): number | undefined {
  if (c === 32 || c === 9 || c === 13 || c === 12) return i + 1;
  if (c === 35 /* # */) {
    const e = text.indexOf('\n', i);
    return e < 0 ? text.length : e;
  }
  if (c === 92 /* \ */) return i + (text.charCodeAt(i + 1) === 13 ? 3 : 2);
  return undefined;
}

/**
 * The tokens of one statement from `start` (its first word) to its end: a newline outside
 * brackets, or a `;`. Returns them and the index of that end.
 */
function statementTokens(text: string, start: number): { toks: Tok[]; end: number } {
  const toks: Tok[] = [];
  const n = text.length;
  let depth = 0;
  let i = start;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (depth === 0) break;
      i++;
      continue;
    }
    const skipped = afterTrivia(text, i, c);
    if (skipped !== undefined) {
      i = skipped;
      continue;
    }
    if (isNameStart(c)) {
      const j = nameEnd(text, i);
      toks.push({ t: 'name', v: text.slice(i, j) });
      i = j;
      continue;
    }
    if (c === 34 || c === 39) {
      i = stringEnd(text, i);
      toks.push({ t: 'string', v: '' });
      continue;
    }
    if (c === 59 /* ; */ && depth === 0) break;
    if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    toks.push({ t: 'op', v: text[i]! });
    i++;
  }
  return { toks, end: i };
}

/** After `sys` at `i`: `.path` then `.`, `+` or a lone `=` (`sys.path.insert(…)`, `sys.path += …`,
 * `sys.path = […]`), over blanks. */
function movesSysPathAt(text: string, i: number): boolean {
  const skip = (k: number): number => {
    while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
    return k;
  };
  let k = skip(i);
  if (text[k] !== '.') return false;
  k = skip(k + 1);
  if (!text.startsWith('path', k) || isNameChar(text.charCodeAt(k + 4))) return false;
  k = skip(k + 4);
  const c = text[k];
  return c === '.' || c === '+' || (c === '=' && text[k + 1] !== '=');
}

/** The index just past the string whose opening quote is at `q`. */
function stringEnd(text: string, q: number): number {
  const quote = text.charCodeAt(q);
  const n = text.length;
  const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
  for (let i = q + (triple ? 3 : 1); i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++;
      continue;
    }
    if (c === 10 && !triple) return i; // an unterminated one-line string ends at its line
    if (c === quote && (!triple || (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote))) return i + (triple ? 3 : 1);
  }
  return n;
}

function stringBody(text: string, q: number, end: number): string {
  const quote = text[q]!;
  const open = text.startsWith(quote.repeat(3), q) ? 3 : 1;
  return end - q > 2 * open && end - q < 300 ? text.slice(q + open, end - open) : '';
}

export function pythonModuleLinksOf(text: string): NonNullable<FileFacts['moduleLinks']> {
  const found = new Set<string>();
  const named = new Set<string>();
  const files = new Set<string>();
  let dynamic = false;
  const statement = (toks: Tok[]): void => {
    const head = toks[0]?.v;
    if (head === 'import') {
      for (const part of split(toks.slice(1), ',')) {
        const name = dotted(part, 0);
        if (name.value) found.add(name.value);
      }
    } else if (head === 'from') {
      const base = dotted(toks, 1, true);
      if (toks[base.next]?.v !== 'import' || !base.value) return;
      found.add(base.value);
      const rest = toks.slice(base.next + 1).filter((t) => t.v !== '(' && t.v !== ')');
      // `from pkg import mod`: a name imported may be a module of the package, or any other name.
      for (const part of split(rest, ',')) {
        const name = part[0]?.t === 'name' ? part[0].v : undefined;
        if (name) named.add(base.value.endsWith('.') ? `${base.value}${name}` : `${base.value}.${name}`);
      }
    }
  };
  // One pass over the text: comments and strings skipped, brackets counted. Statements start a
  // logical line, or follow `;` or a compound statement's `:` (`try: import x`); only an
  // `import` / `from` there is read as one. `sys.path.insert(0, str(Path(__file__).parent))`: a
  // folder above the file, where names are looked for anyway; a path from anywhere else
  // (`"/opt/lib"`, a variable) makes imports unknown.
  const n = text.length;
  let i = 0;
  let depth = 0;
  let atStatement = true;
  let movesPath = false;
  let sawFile = false;
  const endLine = (): void => {
    if (movesPath && !sawFile) dynamic = true;
    movesPath = false;
    sawFile = false;
  };
  const noteString = (q: number, end: number): void => {
    const body = stringBody(text, q, end);
    if (body.length > 2 && MODULE_STRING.test(body) && /[.:]/.test(body)) named.add(body.split(':')[0]!);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      if (depth === 0) {
        endLine();
        atStatement = true;
      }
      continue;
    }
    const skipped = afterTrivia(text, i, c);
    if (skipped !== undefined) {
      i = skipped;
      continue;
    }
    if (c === 34 || c === 39) {
      const end = stringEnd(text, i);
      noteString(i, end);
      i = end;
      atStatement = false;
      continue;
    }
    if (isNameStart(c)) {
      const j = nameEnd(text, i);
      const len = j - i;
      const q = text.charCodeAt(j);
      if ((q === 34 || q === 39) && len <= 2 && STRING_PREFIX.test(text.slice(i, j))) {
        const end = stringEnd(text, j);
        // An f-string's or t-string's text holds expressions: no module name.
        if (!/[fFtTbB]/.test(text.slice(i, j))) noteString(j, end);
        i = end;
        atStatement = false;
        continue;
      }
      if (atStatement && ((len === 6 && text.startsWith('import', i)) || (len === 4 && text.startsWith('from', i)))) {
        const st = statementTokens(text, i);
        statement(st.toks);
        i = st.end;
        atStatement = false;
        continue;
      }
      // A module's loader (`runpy.run_path`, called or kept) or a bare name called; not a local
      // that shares a loader's name (`run_path = task_dir / "run.json"`, `str(run_path)`).
      if (len >= 8 && DYNAMIC_NAMES.has(text.slice(i, j)) && (text[i - 1] === '.' || text[skipBlanks(text, j)] === '(') && !/\bdef\s+$/.test(text.slice(Math.max(0, i - 8), i))) {
        const word = text.slice(i, j);
        // `import_module("automation.scheduler")`: a literal name loads that module, no other;
        // `spec_from_file_location("c", Path(__file__).parent / "c.py")`: the file it spells.
        const literal = LITERAL_LOADERS.has(word) ? literalArgument(text, j) : undefined;
        const spelled = FILE_LOADERS.has(word) ? spelledFiles(text, j) : undefined;
        if (literal !== undefined && MODULE_STRING.test(literal)) found.add(literal);
        else if (spelled) spelled.forEach((f) => files.add(f));
        else dynamic = true;
      }
      else if (len === 8 && text.startsWith('__file__', i)) sawFile = true;
      else if (len === 3 && text.startsWith('sys', i) && movesSysPathAt(text, j)) movesPath = true;
      i = j;
      atStatement = false;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    atStatement = depth === 0 && (c === 59 /* ; */ || c === 58 /* : */);
    i++;
  }
  endLine();
  if ([...found].some((m) => BY_NAME_FRAMEWORKS.has(m.split('.')[0]!))) dynamic = true;
  // The standard library's and the ecosystem's packages name no module of the workspace.
  const own = (m: string): boolean => m.startsWith('.') || !NOT_WORKSPACE_PACKAGES.has(m.split('.')[0]!);
  const soft = [...named].filter((m) => own(m) && !found.has(m));
  return {
    specifiers: [...found].filter(own).sort(),
    ...(soft.length ? { named: soft.sort() } : {}),
    ...(files.size ? { files: [...files].sort() } : {}),
    ...(dynamic ? { dynamic: true as const } : {}),
  };
}

/** Splits tokens at a separator. */
function split(toks: Tok[], sep: string): Tok[][] {
  const out: Tok[][] = [[]];
  for (const t of toks) {
    if (t.t === 'op' && t.v === sep) out.push([]);
    else out[out.length - 1]!.push(t);
  }
  return out;
}

/** A dotted name from `at` (leading dots too, where `relative`), and the index after it. */
function dotted(toks: Tok[], at: number, relative = false): { value: string; next: number } {
  let i = at;
  let value = '';
  if (relative) while (toks[i]?.t === 'op' && toks[i]!.v === '.') value += toks[i++]!.v;
  // `from . import x`: the package itself.
  if (toks[i]?.t !== 'name' || toks[i]!.v === 'import') return { value, next: i };
  value += toks[i++]!.v;
  while (toks[i]?.v === '.' && toks[i + 1]?.t === 'name') {
    value += `.${toks[i + 1]!.v}`;
    i += 2;
  }
  return { value, next: i };
}
