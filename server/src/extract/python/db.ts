/**
 * Postgres driver uses and URL literals, each with the env variable its URL comes from when one
 * evidently does: db-ssl-param-driver and cloudsql-socket-ssl match a deployed URL's parameters
 * with the driver the reading code hands it to.
 */
import type { DriverUse, Span } from '../../core/facts';
import { findDbUrls } from '../db-url';
import {
  type CallForms, type CallM, type Ctx, type N, type ReadHit, allDefs, argList, enclosing, field, span, src, strInfo, unparen, upParens,
  within,
} from './walk';
import { nameRef, receiverKind } from './env-reads';
import { assignmentsTo, selfAttrs } from './bindings';
import { importStatements } from './module-imports';
import type { Asg } from './walk';

type Driver = DriverUse['driver'];

/** Words that send a file to the parser for its Postgres driver uses and URLs. */
export const DB_WORDS = ['postgres', 'asyncpg', 'psycopg', 'pg8000'];

/** Calls that open a Postgres connection or engine, or rewrite a URL's scheme (`.replace`). */
export const DRIVER_CALLS: CallForms = {
  methods: ['replace', 'connect', 'create_pool', 'create_engine', 'create_async_engine', 'Connection', 'ConnectionPool',
    'AsyncConnectionPool', 'SimpleConnectionPool', 'ThreadedConnectionPool'],
  funcs: ['create_engine', 'create_async_engine'],
  methodSuffixes: ['Pool'],
};

/** Driver named by a URL's scheme: `undefined` for plain postgres, `null` for not Postgres. */
function schemeDriver(url: string): Driver | undefined | null {
  const m = /^\s*([a-z0-9]+)(?:\+([a-z0-9_]+))?:\/\//i.exec(url);
  if (!m) return undefined;
  if (!/^postgres(?:ql)?$/i.test(m[1]!)) return null;
  const d = m[2]?.toLowerCase();
  if (!d) return undefined;
  if (d === 'asyncpg') return 'asyncpg';
  if (d === 'psycopg2' || d === 'psycopg2cffi') return 'psycopg2';
  if (d === 'psycopg' || d === 'psycopg_async') return 'psycopg';
  if (d === 'pg8000') return 'pg8000';
  return undefined;
}

/** A string argument's text as written: an f-string's scheme is literal even when its host is not. */
function literalText(ctx: Ctx, n: N | undefined): string | undefined {
  if (!n) return undefined;
  const u = unparen(n);
  if (u.type === 'string') {
    const s = strInfo(ctx, u);
    return s ? ctx.text.slice(s.start, s.end) : undefined;
  }
  return undefined;
}

/**
 * Which driver receives a URL. Without a driver in the scheme, `create_engine` means psycopg2 and
 * `create_async_engine` asyncpg (SQLAlchemy's defaults); `url.replace("postgresql://",
 * "postgresql+asyncpg://")` hands the URL to the driver it names.
 */
export function collectDrivers(ctx: Ctx, calls: CallM[]): void {
  const uses: DriverUse[] = [];
  for (const { call, fn, args } of calls) {
    const callee = src(ctx, fn).replace(/\s+/g, '');
    const seg = callee.slice(callee.lastIndexOf('.') + 1);
    const a = argList(ctx, args);
    let driver: Driver | undefined;
    let urlArg: N | undefined;
    if (seg === 'create_async_engine' || seg === 'create_engine') {
      urlArg = a.positional[0] ?? a.keywords.get('url');
      const d = schemeDriver(literalText(ctx, urlArg) ?? '');
      if (d === null) continue;
      // No scheme in sight, and the URL went through a helper of another module first
      // (`create_async_engine(to_psycopg(url))`): it may have put the driver in the scheme.
      if (d === undefined && urlArg && rewrittenElsewhere(ctx, urlArg)) continue;
      driver = d ?? (seg === 'create_async_engine' ? 'asyncpg' : 'psycopg2');
    } else if (seg === 'replace' && fn.type === 'attribute') {
      const from = literalText(ctx, a.positional[0]);
      const to = literalText(ctx, a.positional[1]);
      if (!from || !to || !/postgres/i.test(from)) continue;
      const d = schemeDriver(to.includes('://') ? to : `${to}//`);
      if (!d) continue;
      driver = d;
      urlArg = field(fn, 'object') ?? undefined;
    } else {
      const root = callee.split('.')[0];
      if (root === 'asyncpg' && (seg === 'connect' || seg === 'create_pool')) driver = 'asyncpg';
      else if (root === 'psycopg2' && (seg === 'connect' || /Pool$/.test(seg))) driver = 'psycopg2';
      else if ((root === 'psycopg' || root === 'psycopg_pool') && (seg === 'connect' || /Pool$/.test(seg))) driver = 'psycopg';
      else if (root === 'pg8000' && (seg === 'connect' || seg === 'Connection')) driver = 'pg8000';
      else continue;
      urlArg = a.positional[0] ?? a.keywords.get('dsn') ?? a.keywords.get('conninfo') ?? a.keywords.get('url');
    }
    const use: DriverUse = { driver, span: span(call), ...(driver === 'asyncpg' && callee.split('.')[0] === 'asyncpg' ? { parsesUrl: true as const } : {}) };
    const built = urlArg ? urlBuilding(ctx, urlArg) : undefined;
    // A helper returning the URL (`create_async_engine(database_url())`) is followed one call deep.
    const envName = (urlArg ? resolveEnvName(ctx, urlArg, 0) : undefined) ?? built?.read?.read.name;
    if (envName) use.envName = envName;
    if (built?.params.length) use.addsParams = built.params;
    if (built?.read && built.read.read.name === envName) use.readSpan = built.read.read.span;
    uses.push(use);
  }
  // A URL string naming a driver (`"postgresql+asyncpg://..."`) is a use by itself, as SQLAlchemy
  // gets it somewhere; inside a call above it is that call's URL, not a second use.
  const re = /postgres(?:ql)?\+(asyncpg|psycopg2|psycopg|pg8000):\/\//gi;
  const seen = new Set<number>();
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const str = stringAt(ctx, m.index, m.index + m[0].length);
    if (!str || seen.has(str.startIndex)) continue;
    seen.add(str.startIndex);
    if (str.parent?.type === 'expression_statement') continue; // a docstring is never a value
    const s = span(str);
    if (uses.some((u) => within(s, u.span))) continue;
    const d = schemeDriver(m[0]);
    if (!d) continue;
    const use: DriverUse = { driver: d, span: s };
    const envName = defaultOfRead(ctx, str);
    if (envName) use.envName = envName;
    uses.push(use);
  }
  uses.sort((x, y) => x.span.start - y.span.start);
  for (const u of uses) ctx.facts.driverUses.push(u);
}

/** Packages whose functions never put a driver in a URL's scheme. */
const URL_NEUTRAL_PACKAGES = /^(?:os|sys|urllib|sqlalchemy|pydantic|pydantic_settings|typing|functools|logging|json|re)\b/;

/**
 * The URL `expr` (or what a name in it was assigned, within the function or module, up to three
 * steps) passes through a call of a function this file imports from a module of its own or
 * another library (`to_psycopg(settings.database_url)`, `from app.db.urls import to_psycopg`):
 * that function may rewrite the scheme, so which driver gets the URL is not seen here.
 */
function rewrittenElsewhere(ctx: Ctx, expr: N, depth = 0): boolean {
  const imported = (ctx.importedFunctions ??= importedFunctionNames(ctx));
  if (!imported.size || depth > 3) return false;
  const u = unparen(expr);
  const nodes = [u, ...u.descendantsOfType(['call', 'identifier']).filter((n): n is N => !!n)];
  const fn = enclosing(expr, ['function_definition']);
  for (const n of nodes) {
    if (n.type === 'call') {
      const f = field(n, 'function');
      if (f?.type === 'identifier' && imported.has(src(ctx, f))) return true;
      continue;
    }
    if (n.type !== 'identifier' || n.parent?.type === 'call' || n.parent?.type === 'attribute' || laterArgument(n)) continue;
    const asgs = [...(fn ? assignmentsTo(ctx, fn, src(ctx, n)) : []), ...assignmentsTo(ctx, null, src(ctx, n))].filter((a) => a.node.startIndex < expr.startIndex);
    if (asgs.some((a) => a.right && rewrittenElsewhere(ctx, a.right, depth + 1))) return true;
  }
  return false;
}

/** Functions the file imports by name (`from app.db.urls import to_psycopg`), but from packages
 * that never rewrite a URL's scheme. */
function importedFunctionNames(ctx: Ctx): Set<string> {
  const out = new Set<string>();
  for (const st of importStatements(ctx)) {
    if (st.type !== 'import_from_statement') continue;
    const mod = field(st, 'module_name');
    if (!mod || URL_NEUTRAL_PACKAGES.test(src(ctx, mod))) continue;
    for (const n of st.childrenForFieldName('name')) {
      const alias = n?.type === 'aliased_import' ? field(n, 'alias') : n;
      if (alias) out.add(src(ctx, alias));
    }
  }
  return out;
}

/** The env variable whose value flows into `expr`, inline or through up to three assignments:
 * a deployed URL is then checked against the driver that receives it. */
function resolveEnvName(ctx: Ctx, expr: N, depth: number): string | undefined {
  const es = span(expr);
  const inline = firstHitWithin(ctx, es);
  if (inline) return inline.read.name;
  if (depth >= 3) return undefined;
  const u = unparen(expr);
  const keys: string[] = [];
  if (u.type === 'identifier' || u.type === 'attribute') keys.push(src(ctx, u));
  else {
    for (const c of u.descendantsOfType(['identifier', 'attribute'])) {
      if (!c) continue;
      const p = c.parent;
      if (c.type === 'attribute') {
        // `self.url` is a key; other attribute chains are looked at through their base name.
        const o = field(c, 'object');
        if (o?.type !== 'identifier' || src(ctx, o) !== 'self') continue;
      } else if (p?.type === 'attribute' && (field(p, 'attribute')?.id === c.id || src(ctx, c) === 'self')) continue;
      // `with_tls(url, tls)`: the URL is the first argument; the others are options.
      if (laterArgument(c)) continue;
      keys.push(src(ctx, c));
      if (keys.length > 8) break;
    }
  }
  const fn = enclosing(expr, ['function_definition']);
  for (const key of keys) {
    const candidates: Asg[] = [];
    if (fn) {
      candidates.push(...assignmentsTo(ctx, fn, key).filter((a) => a.node.startIndex < expr.startIndex));
    }
    if (!candidates.length && key.startsWith('self.')) {
      const cls = fn ? enclosing(fn, ['class_definition']) : null;
      const e = cls ? selfAttrs(ctx, cls).get(key.slice(5)) : undefined;
      for (const r of e?.rights ?? []) {
        const n = resolveEnvName(ctx, r, depth + 1);
        if (n) return n;
      }
    }
    if (!candidates.length) candidates.push(...assignmentsTo(ctx, null, key));
    for (const a of candidates.reverse()) {
      if (!a.right) continue;
      const n = resolveEnvName(ctx, a.right, depth + 1);
      if (n) return n;
    }
  }
  return undefined;
}

/** Literal `key=value` query parameters an SSL setting may be spelled with. */
const SSL_PARAM = /(?:^|[?&])(sslmode|ssl)=([A-Za-z0-9_.-]+)/gi;

/**
 * What the code adds to a URL on its way to the driver: `sslmode=` / `ssl=` in string literals
 * appended to it (`f"{url}{sep}sslmode=require"`, `url += "?sslmode=require"`), following the
 * names it is built from within a function (and the module), and one call deep into a function
 * of this file whose return value is the URL. A whole URL literal (`postgresql://…`) is not an
 * addition: its parameters are a `DbUrlFact` of their own. Also the env read the URL starts from.
 */
function urlBuilding(ctx: Ctx, arg: N): { params: NonNullable<DriverUse['addsParams']>; read?: ReadHit } {
  const params: NonNullable<DriverUse['addsParams']> = [];
  let read: ReadHit | undefined;
  const visited = new Set<number>();
  let defs: Map<string, N[]> | undefined;
  const visit = (expr: N, depth: number, calls: number): void => {
    if (depth > 4 || visited.has(expr.id)) return;
    visited.add(expr.id);
    const u = unparen(expr);
    read ??= firstHitWithin(ctx, span(u));
    for (const c of [u, ...u.descendantsOfType('string_content')]) {
      if (!c || c.type !== 'string_content') continue;
      const str = c.parent;
      if (str && /:\/\//.test(src(ctx, str))) continue;
      // A default of the read (`os.getenv("DATABASE_URL", "…?sslmode=disable")`) is no addition.
      if (ctx.hits.some((h) => h.defaultNode && within(span(c), span(h.defaultNode)))) continue;
      // What `url.replace("sslmode=require", …)` searches for is taken out, not added; what a test
      // looks for (`"sslmode=disable" not in url`, `url.endswith("?ssl=true")`) is neither.
      if (str && (isReplacedText(ctx, str) || isTestedText(ctx, str))) continue;
      const t = src(ctx, c);
      SSL_PARAM.lastIndex = 0;
      for (let m = SSL_PARAM.exec(t); m; m = SSL_PARAM.exec(t)) {
        const start = c.startIndex + m.index + m[0].indexOf(m[1]!);
        params.push({ key: m[1]!, value: m[2]!, span: { start, end: start + m[1]!.length + 1 + m[2]!.length } });
      }
    }
    const fn = enclosing(u, ['function_definition']);
    const names = u.type === 'identifier' || u.type === 'attribute' ? [u] : u.descendantsOfType(['identifier', 'attribute']).filter((n): n is N => !!n);
    for (const n of names) {
      const p = n.parent;
      if (n.type === 'identifier' && p?.type === 'attribute') continue;
      if (n.type === 'attribute' && src(ctx, field(n, 'object') ?? n) !== 'self') continue;
      if (p?.type === 'call' && field(p, 'function')?.id === n.id) continue;
      // `with_tls(url, tls)`: the URL goes on through the first argument; the others are options.
      if (laterArgument(n)) continue;
      const key = src(ctx, n);
      const before = (a: { node: N }) => a.node.startIndex < u.startIndex;
      const asgs = [...(fn ? assignmentsTo(ctx, fn, key) : []), ...assignmentsTo(ctx, null, key)].filter(before);
      for (const a of asgs) if (a.right) visit(a.right, depth + 1, calls);
      const scope = fn ?? ctx.root;
      for (const aug of scope.descendantsOfType('augmented_assignment')) {
        if (!aug || aug.startIndex >= u.startIndex || src(ctx, field(aug, 'left') ?? aug) !== key) continue;
        if (enclosing(aug, ['function_definition'])?.id !== fn?.id) continue;
        const r = field(aug, 'right');
        if (r) visit(r, depth + 1, calls);
      }
    }
    // One call deep: `create_async_engine(database_url())` with `def database_url(): … return url`.
    if (calls > 0) return;
    for (const call of u.type === 'call' ? [u] : u.descendantsOfType('call').filter((c): c is N => !!c)) {
      const f = field(call, 'function');
      const name = f?.type === 'identifier' ? src(ctx, f) : f?.type === 'attribute' && src(ctx, field(f, 'object') ?? f) === 'self' ? src(ctx, field(f, 'attribute') ?? f) : '';
      if (!name) continue;
      if (!defs) {
        defs = new Map();
        for (const d of allDefs(ctx)) {
          const dn = src(ctx, field(d, 'name') ?? d);
          defs.set(dn, [...(defs.get(dn) ?? []), d]);
        }
      }
      for (const d of defs.get(name) ?? []) {
        for (const ret of d.descendantsOfType('return_statement')) {
          if (!ret || enclosing(ret, ['function_definition'])?.id !== d.id) continue;
          const e = ret.namedChildren.find((c) => c.type !== 'comment');
          if (e) visit(e, depth + 1, calls + 1);
        }
      }
    }
  };
  visit(arg, 0, 0);
  const seen = new Set<number>();
  return { params: params.filter((p) => !seen.has(p.span.start) && !!seen.add(p.span.start)).sort((a, b) => a.span.start - b.span.start), read };
}

/** String methods that look for text without changing the string. */
const TEST_METHODS = new Set(['startswith', 'endswith', 'find', 'rfind', 'index', 'rindex', 'count', '__contains__']);

/** `str` is an operand of a comparison (`"sslmode=disable" in url`, `== "…"`) or what a string
 * method looks for (`url.endswith("?ssl=true")`): text the code tests for. */
function isTestedText(ctx: Ctx, str: N): boolean {
  const { node, parent } = upParens(str);
  if (parent?.type === 'comparison_operator') return true;
  if (parent?.type !== 'argument_list' || parent.namedChildren.filter((c) => c.type !== 'comment')[0]?.id !== node.id) return false;
  const call = parent.parent;
  const f = call?.type === 'call' ? field(call, 'function') : null;
  return f?.type === 'attribute' && TEST_METHODS.has(src(ctx, field(f, 'attribute') ?? f));
}

/** A name passed as a call's second or later positional argument, or by keyword: not the value
 * the call builds on. */
function laterArgument(n: N): boolean {
  const { node, parent } = upParens(n);
  if (parent?.type === 'keyword_argument') return parent.parent?.type === 'argument_list';
  if (parent?.type !== 'argument_list') return false;
  const first = parent.namedChildren.filter((c) => c.type !== 'comment')[0];
  return first?.id !== node.id;
}

/** `str` is the first argument of a `.replace(old, new)` call: text the code removes or rewrites. */
function isReplacedText(ctx: Ctx, str: N): boolean {
  const { node, parent } = upParens(str);
  if (parent?.type !== 'argument_list' || parent.namedChildren.filter((c) => c.type !== 'comment')[0]?.id !== node.id) return false;
  const call = parent.parent;
  const f = call?.type === 'call' ? field(call, 'function') : null;
  return f?.type === 'attribute' && src(ctx, field(f, 'attribute') ?? f) === 'replace';
}

/** The string (or implicit concatenation) covering [start, end), if that range is inside one. */
function stringAt(ctx: Ctx, start: number, end: number): N | undefined {
  let n: N | null = ctx.root.descendantForIndex(start, end);
  for (let i = 0; n && i < 4; i++, n = n.parent) {
    if (n.type === 'string') {
      const p = n.parent;
      return p?.type === 'concatenated_string' ? p : n;
    }
    if (n.type === 'comment') return undefined;
  }
  return undefined;
}

/** `os.getenv("X", "<this literal>")`: X, as the literal stands for X's value. */
function defaultOfRead(ctx: Ctx, str: N): string | undefined {
  if (!ctx.defaults) {
    ctx.defaults = new Map();
    for (const h of ctx.hits) if (h.defaultNode) ctx.defaults.set(unparen(h.defaultNode).id, h.read.name);
  }
  return ctx.defaults.get(str.id);
}

/** The first read (in text order) inside `s`; `ctx.hits` is sorted by start. */
function firstHitWithin(ctx: Ctx, s: Span): ReadHit | undefined {
  const hits = ctx.hits;
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[mid]!.read.span.start < s.start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < hits.length && hits[i]!.read.span.start < s.end; i++) {
    if (hits[i]!.read.span.end <= s.end) return hits[i];
  }
  return undefined;
}

/** Every Postgres URL literal, implicit concatenations joined, with each character's offset in
 * the file so that findings and fixes land on the characters as written. */
export function collectDbUrls(ctx: Ctx): void {
  const seen = new Set<number>();
  for (let i = ctx.text.indexOf('postgres'); i >= 0; i = ctx.text.indexOf('postgres', i + 8)) {
    const str = stringAt(ctx, i, i + 8);
    if (!str || seen.has(str.startIndex)) continue;
    seen.add(str.startIndex);
    if (str.parent?.type === 'expression_statement') continue; // a docstring is never a value
    const pieces = str.type === 'concatenated_string' ? str.namedChildren.filter((c) => c.type === 'string') : [str];
    let value = '';
    const offsets: number[] = [];
    let ok = true;
    let lastEnd = str.endIndex;
    for (const p of pieces) {
      const s = strInfo(ctx, p);
      if (!s || s.prefix.includes('b')) {
        ok = false;
        break;
      }
      value += ctx.text.slice(s.start, s.end);
      for (let k = s.start; k < s.end; k++) offsets.push(k);
      lastEnd = s.end;
    }
    if (!ok || !value.toLowerCase().includes('postgres')) continue;
    offsets.push(lastEnd);
    const envName = defaultOfRead(ctx, str) ?? envTargetOf(ctx, str);
    for (const f of findDbUrls(value, offsets, span(str), envName)) ctx.facts.dbUrls.push(f);
  }
}

/** `os.environ["X"] = "<literal>"`, `{"X": "<literal>"}` (a deploy script's env dict): X, whose
 * value the URL is. */
function envTargetOf(ctx: Ctx, str: N): string | undefined {
  const { node, parent } = upParens(str);
  if (!parent) return undefined;
  if (parent.type === 'assignment' && field(parent, 'right')?.id === node.id) {
    const left = field(parent, 'left');
    if (left?.type === 'subscript') {
      const v = field(left, 'value');
      const idx = field(left, 'subscript');
      if (v && idx && receiverKind(ctx, v) === 'environ') {
        const ref = nameRef(ctx, idx);
        if (ref?.kind === 'static') return ref.name;
      }
    }
    return undefined;
  }
  if (parent.type === 'pair' && field(parent, 'value')?.id === node.id) {
    const key = field(parent, 'key');
    const ref = key?.type === 'string' ? nameRef(ctx, key) : undefined;
    if (ref?.kind === 'static' && /^[A-Z_][A-Z0-9_]*$/.test(ref.name)) return ref.name;
  }
  return undefined;
}
