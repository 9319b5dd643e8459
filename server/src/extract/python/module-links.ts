/**
 * What a Python module loads, from its tokens alone (no parse: every code file gets this, most are
 * never parsed): the modules of its `import a.b` / `from .x import y` statements, as written, and
 * the names that may be modules — what a `from pkg import mod` imports, and the modules it names
 * in strings (`uvicorn.run("app.main:app")`, `config.from_object("settings.Prod")`) — which the
 * model resolves only where they name one. `dynamic` when it loads a module whose name is computed
 * (`importlib.import_module(name)`, `__import__`, a Celery autodiscovery, a `sys.path.insert` of a
 * folder not found from `__file__`) or
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
/** Top-level packages that load the project's modules by name from its settings. */
const BY_NAME_FRAMEWORKS = new Set(['django']);
/** A string naming a module (`app.main`, `app.main:app`): dotted names, perhaps an object after a colon. */
const MODULE_STRING = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?::[A-Za-z_][\w.]*)?$/;

type Tok = { t: 'name' | 'op' | 'string' | 'newline'; v: string };

const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57);
const STRING_PREFIX = /^(?:[rRuUbBfFtT]|[rR][bBfFtT]|[bBfFtT][rR])$/;

/** The tokens of the text that matter here; a newline token ends each logical line. */
function* tokens(text: string): Generator<Tok> {
  const n = text.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === 10 /* \n */) {
      i++;
      if (depth === 0) yield { t: 'newline', v: '' };
      continue;
    }
    if (c === 92 /* \ */) {
      // A line continuation (or a stray backslash): the logical line goes on.
      i += text.charCodeAt(i + 1) === 13 ? 3 : 2;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12) {
      i++;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      const q = text.charCodeAt(j);
      if ((q === 34 || q === 39) && STRING_PREFIX.test(word)) {
        const end = stringEnd(text, j);
        // An f-string's or t-string's text holds expressions: no module name.
        const plain = !/[fFtTbB]/.test(word);
        yield { t: 'string', v: plain ? stringBody(text, j, end) : '' };
        i = end;
        continue;
      }
      yield { t: 'name', v: word };
      i = j;
      continue;
    }
    if (c === 34 || c === 39) {
      const end = stringEnd(text, i);
      yield { t: 'string', v: stringBody(text, i, end) };
      i = end;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    yield { t: 'op', v: text[i]! };
    i++;
  }
  yield { t: 'newline', v: '' };
}

/** The index just past the string whose opening quote is at `q`. */
function stringEnd(text: string, q: number): number {
  const quote = text[q]!;
  const triple = text.startsWith(quote.repeat(3), q);
  const close = triple ? quote.repeat(3) : quote;
  for (let i = q + close.length; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (!triple && c === '\n') return i; // an unterminated one-line string ends at its line
    if (c === quote && text.startsWith(close, i)) return i + close.length;
  }
  return text.length;
}

function stringBody(text: string, q: number, end: number): string {
  const quote = text[q]!;
  const open = text.startsWith(quote.repeat(3), q) ? 3 : 1;
  return end - q > 2 * open && end - q < 300 ? text.slice(q + open, end - open) : '';
}

export function pythonModuleLinksOf(text: string): NonNullable<FileFacts['moduleLinks']> {
  const found = new Set<string>();
  const named = new Set<string>();
  let dynamic = false;
  let line: Tok[] = [];
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
    } else return;
    for (const m of found) if (BY_NAME_FRAMEWORKS.has(m.split('.')[0]!)) dynamic = true;
  };
  // Statements start a logical line, or follow `;` or a compound statement's `:` (`try: import x`).
  // `sys.path.insert(0, str(Path(__file__).parent))`: a folder above the file, where names are
  // looked for anyway; a path from anywhere else (`"/opt/lib"`, a variable) makes imports unknown.
  let movesPath = false;
  const flush = (): void => {
    if (movesPath && !line.some((t) => t.t === 'name' && t.v === '__file__')) dynamic = true;
    movesPath = false;
    let start = 0;
    for (let k = 0; k <= line.length; k++) {
      const v = line[k]?.v;
      if (k === line.length || (line[k]!.t === 'op' && (v === ';' || v === ':'))) {
        if (k > start) statement(line.slice(start, k));
        start = k + 1;
      }
    }
    line = [];
  };
  let depth = 0;
  for (const tok of tokens(text)) {
    if (tok.t === 'newline') {
      flush();
      depth = 0;
      continue;
    }
    if (tok.t === 'op') {
      if ('([{'.includes(tok.v)) depth++;
      else if (')]}'.includes(tok.v)) depth = Math.max(0, depth - 1);
      // Only a separator outside brackets splits statements: a slice's or a dict's `:` does not.
      line.push(depth === 0 || !(tok.v === ';' || tok.v === ':') ? tok : { t: 'op', v: `${tok.v}${tok.v}` });
      if (movesSysPath(line)) movesPath = true;
      continue;
    }
    if (tok.t === 'name' && DYNAMIC_NAMES.has(tok.v)) dynamic = true;
    if (tok.t === 'string' && tok.v.length > 2 && MODULE_STRING.test(tok.v) && /[.:]/.test(tok.v)) named.add(tok.v.split(':')[0]!);
    line.push(tok);
  }
  // The standard library's and the ecosystem's packages name no module of the workspace.
  const own = (m: string): boolean => m.startsWith('.') || !NOT_WORKSPACE_PACKAGES.has(m.split('.')[0]!);
  const soft = [...named].filter((m) => own(m) && !found.has(m));
  return {
    specifiers: [...found].filter(own).sort(),
    ...(soft.length ? { named: soft.sort() } : {}),
    ...(dynamic ? { dynamic: true as const } : {}),
  };
}

/** The line so far ends `sys.path.` (`.insert(…)`, `.append(…)`), `sys.path +` or `sys.path =`:
 * imports resolve from elsewhere. */
function movesSysPath(line: Tok[]): boolean {
  const l = line.length;
  const last = line[l - 1]!.v;
  return l >= 4 && (last === '.' || last === '+' || last === '=') && line[l - 2]!.v === 'path' && line[l - 3]!.v === '.' && line[l - 4]!.v === 'sys';
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
