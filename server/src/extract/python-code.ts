/**
 * Python service code: env reads (os.environ / os.getenv / env wrapper objects / configured
 * accessors), Secret Manager gates, enums, state accessors and comparisons, database driver uses
 * and Postgres URL literals. The tree is parsed once by python.ts; candidates are found with
 * cached tree-sitter Queries and judged with small local logic. Never throws: a failing step
 * becomes a `problem` and the other steps still run.
 */
import type { AccessorFact, DriverUse, EnvRead, FileFacts, SecretGateFact, Span } from '../core/facts';
import type { ExtractOptions } from './options';
import { query, type SyntaxNode } from '../parsers/tree-sitter';
import { findDbUrls } from './db-url';
import { GCP_PRESENCE_SIGNALS } from '../knowledge/platform';
import { environmentNames, type EnvironmentNames } from '../knowledge/environments';
import { isTestPath } from '../knowledge/test-paths';

type N = SyntaxNode;

// ---------------------------------------------------------------------------------------------
// Prefilter

const MAY_MATTER = ['env', 'Enum', 'postgres', 'asyncpg', 'psycopg', 'pg8000', '.state', '.status', 'state(', 'status('];

/** Cheap byte-level check: can this file hold anything `extractPythonCode` records? */
export function pythonCodeMayMatter(text: string, options: ExtractOptions): boolean {
  if (MAY_MATTER_RE.test(text)) return true;
  for (const a of options.envAccessors) {
    const seg = lastSegment(a);
    if (seg && text.includes(seg)) return true;
  }
  if (!text.includes('.state') && !text.includes('.status')) return false;
  return stateMayMatter(text);
}

const MAY_MATTER_STRONG = MAY_MATTER.filter((w) => w !== '.state' && w !== '.status');
/** One pass over the text instead of one `includes` per word. */
const MAY_MATTER_RE = new RegExp(MAY_MATTER_STRONG.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

/**
 * With no other trigger, `.state` / `.status` yield facts only through a state comparison
 * candidate (an attribute whose name is state-like: the same search `locate` makes), a state-like
 * method, an enum-like class (`Flag`), or a driver / URL that needs no other trigger. Attributes
 * such as `response.status_code` are none of these: such files are not parsed.
 */
function stateMayMatter(text: string): boolean {
  if (text.includes('Flag') || /create_engine|postgres/i.test(text)) return true;
  const stRe = /\.\s*(\w*(?:state|status|State|Status))\b/g;
  for (let m = stRe.exec(text); m; m = stRe.exec(text)) if (STATE_NAME.test(m[1]!)) return true;
  const defRe = /\bdef\s+(\w+)/g;
  for (let m = defRe.exec(text); m; m = defRe.exec(text)) if (STATE_NAME.test(m[1]!)) return true;
  return false;
}

function lastSegment(dotted: string): string {
  const s = dotted.replace(/\(\s*\)/g, '').trim();
  return s.slice(s.lastIndexOf('.') + 1);
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/i;
/** Receivers whose last name segment says "environment": `env`, `self._env`, `os_env`, `self._environ`. */
const WRAP_NAME = /^_*(?:[A-Za-z0-9]+_)*env$|^_*(?:[A-Za-z0-9]+_)+environ$|^_+environ$/i;
/** Calls returning an environment wrapper: `get_env()`, `get_environment()`, `getEnv()`. */
const WRAP_CALL = /^_*(?:get_?)?(?:env|environ|environment)$|^_*get(?:Env|Environ|Environment)$/;
/** Wrapper classes constructed inline: `EnvironmentWrapper()`, `IsolatedEnvironment()`. */
const WRAP_CLASS = /^(?:[A-Z]\w*Env(?:iron(?:ment)?)?(?:Wrapper|Reader|Accessor)?|Env(?:iron(?:ment)?)?(?:Wrapper|Reader|Accessor))$/;
const STATE_NAME = /(?:^|_)(?:state|status)$|[a-z](?:State|Status)$/;
const GETTER_NAME = /^_*get_?\w*(?:state|status|State|Status)$/;
const ENUM_BASES = new Set(['Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag']);
const TYPE_WRAPPERS = new Set(['Optional', 'Union', 'Annotated', 'Final', 'ClassVar', 'typing', 'None', 't']);
const SECRET_MANAGER = /secret_?manager|gcp_secret|gcp_available/i;
/** The other side of an environment comparison: `ENVIRONMENT`, `self._environment`, `settings.ENV`, `STAGE`. */
const ENV_SUBJECT = /env|stage|mode|tier|deploy|profile/i;

const CALL_METHODS = ['get', 'getenv', 'setdefault', 'replace', 'connect', 'create_pool', 'create_engine',
  'create_async_engine', 'Connection', 'ConnectionPool', 'AsyncConnectionPool', 'SimpleConnectionPool',
  'ThreadedConnectionPool'];
const CALL_FUNCS = ['getenv', 'create_engine', 'create_async_engine'];

// ---------------------------------------------------------------------------------------------
// Context

interface ReadHit {
  read: EnvRead;
  /** The access expression (call, subscript or `in` comparison). */
  node: N;
  kind: 'call' | 'subscript' | 'in';
  /** For calls: the string literal given as default (2nd argument or `default=`). */
  defaultNode?: N;
}

interface Ctx {
  file: string;
  text: string;
  root: N;
  facts: FileFacts;
  osNames: Set<string>;
  environNames: Set<string>;
  getenvNames: Set<string>;
  accessors: Set<string>;
  isTest: boolean;
  /** Environment tokens, with the configuration's own. */
  envNames: EnvironmentNames;
  hits: ReadHit[];
  enumNames: Set<string>;
  selfAttrs: Map<number, Map<string, { annot?: N; rights: N[] }>>;
  /** Assignments by left-hand text: per function id, and for the module (key -1). Lazy. */
  asgs: Map<number, Map<string, Asg[]>>;
  /** Default argument node id -> the name of the read it is the default of. Lazy. */
  defaults?: Map<number, string>;
}

const span = (n: N): Span => ({ start: n.startIndex, end: n.endIndex });
const src = (ctx: Ctx, n: N): string => ctx.text.slice(n.startIndex, n.endIndex);
const within = (inner: Span, outer: Span): boolean => inner.start >= outer.start && inner.end <= outer.end;
const field = (n: N | null | undefined, name: string): N | null => (n ? n.childForFieldName(name) : null);

function unparen(n: N): N {
  let cur = n;
  while (cur.type === 'parenthesized_expression' && cur.namedChildCount === 1) {
    const c = cur.namedChild(0);
    if (!c) break;
    cur = c;
  }
  return cur;
}

/** Parent, skipping parentheses; `child` becomes the parenthesised node. */
function upParens(n: N): { node: N; parent: N | null } {
  let node = n;
  let parent = n.parent;
  while (parent && parent.type === 'parenthesized_expression') {
    node = parent;
    parent = parent.parent;
  }
  return { node, parent };
}



// ---------------------------------------------------------------------------------------------
// Entry point

export function extractPythonCode(file: string, root: N, text: string, facts: FileFacts, options: ExtractOptions): void {
  const isTest = isTestPath(file);
  if (isTest) facts.isTest = true;
  const ctx: Ctx = {
    file,
    text,
    root,
    facts,
    osNames: new Set(['os']),
    environNames: new Set(),
    getenvNames: new Set(),
    accessors: new Set(options.envAccessors.map((a) => a.replace(/\s+/g, '')).filter((a) => a.length > 0)),
    isTest,
    envNames: environmentNames(options.environments),
    hits: [],
    enumNames: new Set(),
    selfAttrs: new Map(),
    asgs: new Map(),
  };
  const step = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      facts.problems.push({ message: `Python code analysis (${what}) failed: ${(err as Error).message}` });
    }
  };
  step('imports', () => collectImports(ctx));
  let m: Matches = { calls: [], subs: [], ins: [], cmps: [], classes: [] };
  step('locate', () => { m = locate(ctx); });
  step('reads', () => collectReads(ctx, m));
  step('enums', () => collectEnums(ctx, m.classes));
  step('accessors', () => collectAccessors(ctx, m.classes));
  step('comparisons', () => collectComparisons(ctx, m.cmps));
  step('gates', () => collectGates(ctx));
  step('drivers', () => collectDrivers(ctx, m.calls));
  step('db urls', () => collectDbUrls(ctx));
}

// ---------------------------------------------------------------------------------------------
// Imports: `import os as o`, `from os import environ as e, getenv`

function collectImports(ctx: Ctx): void {
  const visit = (stmts: N[], depth: number): void => {
    for (const s of stmts) {
      if (s.type === 'import_statement') {
        for (const c of s.namedChildren) {
          if (c.type === 'aliased_import' && src(ctx, field(c, 'name') ?? c) === 'os') {
            const alias = field(c, 'alias');
            if (alias) ctx.osNames.add(src(ctx, alias));
          }
        }
      } else if (s.type === 'import_from_statement') {
        const mod = field(s, 'module_name');
        if (!mod || src(ctx, mod) !== 'os') continue;
        for (const c of s.childrenForFieldName('name')) {
          if (!c) continue;
          let name = c;
          let local = c;
          if (c.type === 'aliased_import') {
            name = field(c, 'name') ?? c;
            local = field(c, 'alias') ?? name;
          }
          const n = src(ctx, name);
          if (n === 'environ') ctx.environNames.add(src(ctx, local));
          else if (n === 'getenv') ctx.getenvNames.add(src(ctx, local));
        }
      } else if (depth < 2 && (s.type === 'try_statement' || s.type === 'if_statement' || s.type === 'block' ||
        s.type === 'except_clause' || s.type === 'else_clause' || s.type === 'finally_clause')) {
        visit(s.namedChildren, depth + 1);
      }
    }
  };
  visit(ctx.root.namedChildren, 0);
}

// ---------------------------------------------------------------------------------------------
// The main query

interface CallM { call: N; fn: N; args: N }
interface Matches {
  calls: CallM[];
  subs: N[];
  ins: { cmp: N; str: N; recv: N }[];
  cmps: N[];
  classes: N[];
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Candidate nodes. A Query walks the whole tree (about a third of the parse cost); the shapes we
 * look for all start with a known word, so the text is searched for those words and each hit is
 * confirmed on the tree from the smallest node at that offset. Hits inside strings and comments
 * fail the node checks.
 */
function locate(ctx: Ctx): Matches {
  const out: Matches = { calls: [], subs: [], ins: [], cmps: [], classes: [] };
  const { text, root } = ctx;
  const nodeAt = (start: number, end: number): N | null => root.descendantForIndex(start, end);

  // Calls by callee name.
  const methods = new Set(CALL_METHODS);
  const funcs = new Set([...CALL_FUNCS, ...ctx.getenvNames]);
  for (const a of ctx.accessors) {
    const seg = lastSegment(a);
    if (!/^\w+$/.test(seg)) continue;
    if (a.includes('.')) methods.add(seg);
    else funcs.add(seg);
  }
  const names = [...new Set([...methods, ...funcs])].sort((x, y) => y.length - x.length).map(escapeRe);
  const callRe = new RegExp(`\\b(?:${names.join('|')}|\\w+Pool)\\s*\\(`, 'g');
  const seenCall = new Set<number>();
  for (let m = callRe.exec(text); m; m = callRe.exec(text)) {
    const name = /^\w+/.exec(m[0])![0];
    const id = nodeAt(m.index, m.index + name.length);
    if (!id || id.type !== 'identifier' || id.startIndex !== m.index || id.endIndex !== m.index + name.length) continue;
    const parent = id.parent;
    let fn: N = id;
    if (parent?.type === 'attribute' && field(parent, 'attribute')?.id === id.id) {
      if (!methods.has(name) && !/Pool$/.test(name)) continue;
      fn = parent;
    } else if (!funcs.has(name)) continue;
    const call = fn.parent;
    if (!call || call.type !== 'call' || field(call, 'function')?.id !== fn.id || seenCall.has(call.id)) continue;
    const args = field(call, 'arguments');
    if (!args || args.type !== 'argument_list') continue;
    seenCall.add(call.id);
    out.calls.push({ call, fn, args });
  }

  // `os.environ[...]`, `environ[...]` (imported) subscripts.
  const subNames = ['environ', ...[...ctx.environNames].filter((n) => n !== 'environ' && /^\w+$/.test(n))].map(escapeRe);
  const subRe = new RegExp(`\\b(?:${subNames.join('|')})\\s*\\[`, 'g');
  for (let m = subRe.exec(text); m; m = subRe.exec(text)) {
    const name = /^\w+/.exec(m[0])![0];
    const id = nodeAt(m.index, m.index + name.length);
    if (!id || id.type !== 'identifier' || id.startIndex !== m.index) continue;
    let value: N = id;
    const p = id.parent;
    if (p?.type === 'attribute' && field(p, 'attribute')?.id === id.id) value = p;
    else if (!ctx.environNames.has(name)) continue;
    const sub = value.parent;
    if (sub?.type === 'subscript' && field(sub, 'value')?.id === value.id) out.subs.push(sub);
  }

  // `"X" in os.environ` / `"X" not in env`.
  const inRe = /["']\s*((?:not\s+)?in)\b/g;
  for (let m = inRe.exec(text); m; m = inRe.exec(text)) {
    const kw = m.index + m[0].length - m[1]!.length;
    let cmp = nodeAt(kw, kw + m[1]!.length);
    for (let i = 0; cmp && cmp.type !== 'comparison_operator' && i < 2; i++) cmp = cmp.parent;
    if (!cmp || cmp.type !== 'comparison_operator' || cmp.namedChildCount !== 2) continue;
    const str = cmp.namedChild(0);
    const recv = cmp.namedChild(1);
    if (str?.type !== 'string' || !recv || !['attribute', 'identifier', 'call'].includes(recv.type)) continue;
    out.ins.push({ cmp, str, recv });
  }

  // `<expr>.state <op> ...` comparisons.
  if (/state|status/i.test(text)) {
    const seenCmp = new Set<number>();
    const stRe = /\.\s*(\w*(?:state|status|State|Status))\b/g;
    for (let m = stRe.exec(text); m; m = stRe.exec(text)) {
      if (!STATE_NAME.test(m[1]!)) continue;
      const at = m.index + m[0].length - m[1]!.length;
      const id = nodeAt(at, at + m[1]!.length);
      const attr = id?.parent;
      if (!id || id.type !== 'identifier' || attr?.type !== 'attribute' || field(attr, 'attribute')?.id !== id.id) continue;
      const { parent } = upParens(attr);
      if (parent?.type === 'comparison_operator' && !seenCmp.has(parent.id)) {
        seenCmp.add(parent.id);
        out.cmps.push(parent);
      }
    }
  }

  // Classes, only when an enum or a state accessor can be there.
  if (text.includes('Enum') || /state|status/i.test(text)) {
    const clsRe = /\bclass\s+[A-Za-z_]/g;
    for (let m = clsRe.exec(text); m; m = clsRe.exec(text)) {
      const kw = nodeAt(m.index, m.index + 5);
      const cls = kw?.type === 'class' ? kw.parent : null;
      if (cls?.type === 'class_definition') out.classes.push(cls);
    }
  }
  return out;
}

/** Every function definition (for the Secret Manager call graph); only asked for when needed. */
function allDefs(ctx: Ctx): N[] {
  const out: N[] = [];
  const re = /\bdef\s+[A-Za-z_]/g;
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const kw = ctx.root.descendantForIndex(m.index, m.index + 3);
    const def = kw?.type === 'def' ? kw.parent : null;
    if (def?.type === 'function_definition') out.push(def);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strings and names

interface StrInfo {
  prefix: string;
  /** Content range (inside the quotes). */
  start: number;
  end: number;
  interps: N[];
}

function strInfo(ctx: Ctx, n: N): StrInfo | undefined {
  if (n.type !== 'string') return undefined;
  const first = n.firstChild;
  const last = n.lastChild;
  if (!first || first.type !== 'string_start' || !last || last.type !== 'string_end' || first.id === last.id) return undefined;
  const prefix = src(ctx, first).replace(/['"]+$/, '').toLowerCase();
  const interps = prefix.includes('f') ? n.namedChildren.filter((c) => c.type === 'interpolation') : [];
  return { prefix, start: first.endIndex, end: last.startIndex, interps };
}

/** The plain value of a string literal without interpolation (raw text between the quotes). */
function plainString(ctx: Ctx, n: N): { value: string; span: Span } | undefined {
  const s = strInfo(ctx, n);
  if (!s || s.prefix.includes('b') || s.interps.length) return undefined;
  return { value: ctx.text.slice(s.start, s.end), span: { start: s.start, end: s.end } };
}

type NameRef = { kind: 'static'; name: string; span: Span } | { kind: 'dynamic'; prefix?: string } | undefined;

function validPrefix(p: string | undefined): string | undefined {
  if (!p) return undefined;
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(p);
  return m ? m[0] : undefined;
}

/** What a name argument says: a literal env name, a name built at runtime, or nothing we read. */
function nameRef(ctx: Ctx, arg: N): NameRef {
  const n = unparen(arg);
  switch (n.type) {
    case 'string': {
      const s = strInfo(ctx, n);
      if (!s || s.prefix.includes('b')) return undefined;
      if (s.interps.length) {
        return { kind: 'dynamic', prefix: validPrefix(ctx.text.slice(s.start, s.interps[0]!.startIndex)) };
      }
      const value = ctx.text.slice(s.start, s.end);
      if (!ENV_NAME.test(value)) return undefined;
      return { kind: 'static', name: value, span: { start: s.start, end: s.end } };
    }
    case 'concatenated_string': {
      let prefix = '';
      for (const piece of n.namedChildren) {
        const s = strInfo(ctx, piece);
        if (!s || s.prefix.includes('b')) return undefined;
        if (s.interps.length) {
          prefix += ctx.text.slice(s.start, s.interps[0]!.startIndex);
          break;
        }
        prefix += ctx.text.slice(s.start, s.end);
      }
      return { kind: 'dynamic', prefix: validPrefix(prefix) };
    }
    case 'binary_operator': {
      const left = field(n, 'left');
      const op = n.childForFieldName('operator');
      if (!left || !op) return { kind: 'dynamic' };
      const l = nameRef(ctx, left);
      if (!l) return { kind: 'dynamic' };
      if (l.kind === 'static') {
        const p = op.type === '%' ? l.name.split('%')[0] : l.name;
        return { kind: 'dynamic', prefix: validPrefix(p) };
      }
      return l;
    }
    case 'call': {
      // "PREFIX_{}".format(x)
      const fn = field(n, 'function');
      if (fn?.type === 'attribute' && src(ctx, field(fn, 'attribute') ?? fn) === 'format') {
        const obj = field(fn, 'object');
        const s = obj ? plainString(ctx, obj) : undefined;
        if (s) return { kind: 'dynamic', prefix: validPrefix(s.value.split('{')[0]) };
      }
      return { kind: 'dynamic' };
    }
    case 'identifier':
    case 'attribute':
    case 'subscript':
      return { kind: 'dynamic' };
    default:
      return undefined;
  }
}

interface ArgList { positional: N[]; keywords: Map<string, N> }

function argList(ctx: Ctx, args: N): ArgList {
  const positional: N[] = [];
  const keywords = new Map<string, N>();
  for (const c of args.namedChildren) {
    if (c.type === 'comment') continue;
    if (c.type === 'keyword_argument') {
      const k = field(c, 'name');
      const v = field(c, 'value');
      if (k && v) keywords.set(src(ctx, k), v);
    } else {
      positional.push(c);
    }
  }
  return { positional, keywords };
}

// ---------------------------------------------------------------------------------------------
// Reads

type RecvKind = 'environ' | 'wrapper' | undefined;

function receiverKind(ctx: Ctx, obj: N): RecvKind {
  const o = unparen(obj);
  if (o.type === 'attribute') {
    const base = field(o, 'object');
    const attr = field(o, 'attribute');
    if (!attr) return undefined;
    const a = src(ctx, attr);
    if (a === 'environ' && base?.type === 'identifier' && ctx.osNames.has(src(ctx, base))) return 'environ';
    return WRAP_NAME.test(a) ? 'wrapper' : undefined;
  }
  if (o.type === 'identifier') {
    const name = src(ctx, o);
    if (ctx.environNames.has(name)) return 'environ';
    return WRAP_NAME.test(name) ? 'wrapper' : undefined;
  }
  if (o.type === 'call') {
    const f = field(o, 'function');
    if (!f) return undefined;
    const seg = f.type === 'attribute' ? src(ctx, field(f, 'attribute') ?? f) : f.type === 'identifier' ? src(ctx, f) : '';
    return WRAP_CALL.test(seg) || WRAP_CLASS.test(seg) ? 'wrapper' : undefined;
  }
  return undefined;
}

function isNone(n: N | undefined): boolean {
  return !!n && unparen(n).type === 'none';
}

function collectReads(ctx: Ctx, m: Matches): void {
  for (const c of m.calls) readFromCall(ctx, c);
  for (const s of m.subs) readFromSubscript(ctx, s);
  for (const i of m.ins) readFromIn(ctx, i);
  ctx.hits.sort((a, b) => a.read.span.start - b.read.span.start);
  linkAlternatives(ctx);
  for (const h of ctx.hits) ctx.facts.reads.push(h.read);
  ctx.facts.dynamicReads.sort((a, b) => a.span.start - b.span.start);
}

function readFromCall(ctx: Ctx, { call, fn, args }: CallM): void {
  const callee = src(ctx, fn).replace(/\s+/g, '');
  let shape: 'getenv' | 'get' | 'setdefault' | 'accessor' | undefined;
  let core = false; // os-level access: a variable name is a dynamic read
  if (ctx.accessors.has(callee)) {
    shape = 'accessor';
  } else if (fn.type === 'identifier') {
    if (ctx.getenvNames.has(callee)) {
      shape = 'getenv';
      core = true;
    }
  } else if (fn.type === 'attribute') {
    const obj = field(fn, 'object');
    const method = src(ctx, field(fn, 'attribute') ?? fn);
    if (!obj) return;
    if (method === 'getenv') {
      if (obj.type === 'identifier' && ctx.osNames.has(src(ctx, obj))) {
        shape = 'getenv';
        core = true;
      }
    } else if (method === 'get' || method === 'setdefault') {
      const kind = receiverKind(ctx, obj);
      if (kind === 'environ') {
        shape = method;
        core = true;
      } else if (kind === 'wrapper' && method === 'get') {
        shape = 'get';
      }
    }
  }
  if (!shape) return;
  const a = argList(ctx, args);
  const first = a.positional[0] ?? (shape === 'getenv' ? a.keywords.get('key') : undefined);
  if (!first || first.type === 'list_splat' || first.type === 'dictionary_splat') return;
  const ref = nameRef(ctx, first);
  if (!ref) return;
  if (ref.kind === 'dynamic') {
    if (core || ref.prefix) ctx.facts.dynamicReads.push({ span: span(call), prefix: ref.prefix });
    return;
  }
  const second = a.positional[1] ?? a.keywords.get('default') ?? (shape === 'setdefault' ? a.keywords.get('value') : undefined);
  let hasDefault = shape === 'setdefault' || (!!second && !isNone(second));
  if (!hasDefault) hasDefault = hasFallback(call) || presenceTested(call);
  pushRead(ctx, { kind: 'call', node: call, defaultNode: second ?? undefined }, ref.name, ref.span, hasDefault, callee);
}

function isStoreTarget(n: N): boolean {
  let cur = n;
  let p = cur.parent;
  while (p && (p.type === 'pattern_list' || p.type === 'tuple_pattern' || p.type === 'list_pattern' ||
    p.type === 'parenthesized_expression')) {
    cur = p;
    p = p.parent;
  }
  if (!p) return false;
  if (p.type === 'delete_statement') return true;
  if ((p.type === 'assignment' || p.type === 'augmented_assignment') && field(p, 'left')?.id === cur.id) return true;
  return false;
}

function readFromSubscript(ctx: Ctx, sub: N): void {
  const value = field(sub, 'value');
  const index = field(sub, 'subscript');
  if (!value || !index || sub.childrenForFieldName('subscript').length !== 1) return;
  if (receiverKind(ctx, value) !== 'environ') return;
  if (isStoreTarget(sub)) return;
  const ref = nameRef(ctx, index);
  if (!ref) return;
  if (ref.kind === 'dynamic') {
    ctx.facts.dynamicReads.push({ span: span(sub), prefix: ref.prefix });
    return;
  }
  pushRead(ctx, { kind: 'subscript', node: sub }, ref.name, ref.span, false, src(ctx, value).replace(/\s+/g, ''));
}

function readFromIn(ctx: Ctx, { cmp, str, recv }: { cmp: N; str: N; recv: N }): void {
  const op = cmp.child(1);
  if (!op || (op.type !== 'in' && op.type !== 'not in')) return;
  if (!receiverKind(ctx, recv)) return;
  const ref = nameRef(ctx, str);
  if (!ref || ref.kind !== 'static') return;
  pushRead(ctx, { kind: 'in', node: cmp }, ref.name, ref.span, true, `${op.type} ${src(ctx, recv).replace(/\s+/g, '')}`);
}

function pushRead(ctx: Ctx, hit: Omit<ReadHit, 'read'>, name: string, nameSpan: Span, hasDefault: boolean, via: string): void {
  const read: EnvRead = { name, nameSpan, span: span(hit.node), hasDefault, via };
  const b = branchContext(ctx, hit.node);
  if (b.devOnly || ctx.isTest) read.devOnly = true;
  if (b.inEnvironment) read.inEnvironment = b.inEnvironment;
  ctx.hits.push({ ...hit, read });
}

/** Operands of an `or` chain, left to right, through parentheses. */
function orOperands(n: N, out: N[] = []): N[] {
  const u = unparen(n);
  if (u.type === 'boolean_operator' && u.childForFieldName('operator')?.type === 'or') {
    const l = field(u, 'left');
    const r = field(u, 'right');
    if (l) orOperands(l, out);
    if (r) orOperands(r, out);
  } else out.push(u);
  return out;
}

/**
 * `os.environ.get("A") or os.environ.get("B")`: each read of the chain records the others as its
 * alternatives (B is only needed when A is unset). A read with a default anywhere in the chain
 * is a default for all of them.
 */
function linkAlternatives(ctx: Ctx): void {
  const chains = new Map<number, { top: N; hits: ReadHit[] }>();
  for (const h of ctx.hits) {
    if (h.kind === 'in') continue;
    let top: N | undefined;
    let cur = h.node;
    for (;;) {
      const { parent } = upParens(cur);
      if (parent?.type !== 'boolean_operator' || parent.childForFieldName('operator')?.type !== 'or') break;
      top = cur = parent;
    }
    if (!top) continue;
    let c = chains.get(top.id);
    if (!c) chains.set(top.id, (c = { top, hits: [] }));
    c.hits.push(h);
  }
  for (const { top, hits } of chains.values()) {
    const operands = orOperands(top);
    const inChain = hits.filter((h) => operands.some((o) => o.id === h.node.id));
    if (inChain.length === 0) continue;
    // A literal operand after a read is already its default (`hasFallback`); a read with a
    // default makes the whole chain's value defined.
    for (const h of inChain) {
      // `os.environ["B"]` raises when unset: only the operands before it stand in for it.
      const others = inChain.filter((o) => o !== h && (h.kind !== 'subscript' || o.node.startIndex < h.node.startIndex));
      const alts = [...new Set(others.map((o) => o.read.name))].filter((n) => n !== h.read.name);
      if (alts.length) h.read.alternatives = alts;
      if (others.some((o) => !!o.defaultNode && !isNone(o.defaultNode))) h.read.hasDefault = true;
    }
  }
}

/** `read or fallback` (through parentheses and longer `or` chains): the read has a default. */
function hasFallback(n: N): boolean {
  let cur = n;
  for (;;) {
    const { node, parent } = upParens(cur);
    if (!parent || parent.type !== 'boolean_operator') return false;
    const op = parent.childForFieldName('operator');
    if (!op || op.type !== 'or') return false;
    if (field(parent, 'left')?.id === node.id) return true;
    cur = parent;
  }
}

/** The read is only tested for presence (`if os.getenv("X"):`, `... is None`, `not ...`). */
function presenceTested(n: N): boolean {
  let cur = n;
  for (;;) {
    const { node, parent } = upParens(cur);
    if (!parent) return false;
    switch (parent.type) {
      case 'not_operator':
      case 'boolean_operator':
        cur = parent;
        continue;
      case 'comparison_operator':
        return comparesToNone(parent, node);
      case 'if_statement':
      case 'elif_clause':
      case 'while_statement':
        return field(parent, 'condition')?.id === node.id;
      case 'conditional_expression':
        return parent.namedChild(1)?.id === node.id;
      case 'argument_list': {
        // `bool(os.environ.get("A") or os.environ.get("B"))`
        const f = field(parent.parent, 'function');
        return parent.namedChildCount === 1 && f?.type === 'identifier' && f.text === 'bool';
      }
      default:
        return false;
    }
  }
}

function comparesToNone(cmp: N, operand: N): boolean {
  if (cmp.namedChildCount !== 2) return false;
  const op = cmp.child(1)?.type;
  if (op !== 'is' && op !== 'is not' && op !== '==' && op !== '!=') return false;
  const other = cmp.namedChild(0)?.id === operand.id ? cmp.namedChild(1) : cmp.namedChild(0);
  if (!other) return false;
  const o = unparen(other);
  if (o.type === 'none') return true;
  return o.type === 'string' && o.namedChildCount === 2 && o.firstChild?.endIndex === o.lastChild?.startIndex; // ""
}

// ---------------------------------------------------------------------------------------------
// Branch context: devOnly / inEnvironment

function branchContext(ctx: Ctx, node: N): { devOnly?: boolean; inEnvironment?: string } {
  const out: { devOnly?: boolean; inEnvironment?: string } = {};
  let cur = node;
  for (let p = node.parent; p; cur = p, p = p.parent) {
    let cond: N | null = null;
    if (p.type === 'if_statement' || p.type === 'elif_clause') {
      if (field(p, 'consequence')?.id === cur.id) cond = field(p, 'condition');
    } else if (p.type === 'conditional_expression') {
      if (p.namedChild(0)?.id === cur.id) cond = p.namedChild(1);
    } else if (p.type === 'function_definition') {
      const name = field(p, 'name');
      if (name && /^test_|^_*(?:mock|fake)_/.test(src(ctx, name))) out.devOnly = true;
      const deco = p.parent?.type === 'decorated_definition' ? p.parent : null;
      if (deco && /@\s*pytest\.fixture/.test(src(ctx, deco).slice(0, p.startIndex - deco.startIndex))) out.devOnly = true;
    } else if (p.type === 'class_definition') {
      const name = field(p, 'name');
      if (name && /^Test[A-Z_]/.test(src(ctx, name))) out.devOnly = true;
    }
    if (cond) {
      const v = classifyCondition(ctx, cond);
      if (v === 'dev') out.devOnly = true;
      else if (v && !out.inEnvironment) out.inEnvironment = v;
    }
  }
  return out;
}

/** 'dev' when the condition holds only in development/test, an environment name when only there. */
function classifyCondition(ctx: Ctx, cond: N): string | undefined {
  const values: string[] = [];
  let unknown = false;
  const visit = (n0: N): void => {
    const n = unparen(n0);
    if (n.type === 'boolean_operator') {
      const l = field(n, 'left');
      const r = field(n, 'right');
      const op = n.childForFieldName('operator')?.type;
      if (op === 'and') {
        // Either conjunct restricting the environment restricts the branch.
        const before = values.length;
        if (l) visit(l);
        if (values.length === before && r) visit(r);
        return;
      }
      if (l) visit(l);
      if (r) visit(r);
      return;
    }
    if (n.type === 'comparison_operator' && n.namedChildCount === 2) {
      const op = n.child(1)?.type;
      if (op !== '==' && op !== 'in' && op !== 'is') {
        unknown = true;
        return;
      }
      const a = n.namedChild(0);
      const b = n.namedChild(1);
      if (!a || !b) return;
      for (const [subject, lit] of [[a, b], [b, a]] as const) {
        if (!ENV_SUBJECT.test(src(ctx, subject))) continue;
        const vs = stringValues(ctx, lit);
        if (vs) {
          values.push(...vs);
          return;
        }
      }
      unknown = true;
      return;
    }
    if (n.type === 'call' || n.type === 'attribute' || n.type === 'identifier') {
      const target = n.type === 'call' ? field(n, 'function') : n;
      const seg = target ? (target.type === 'attribute' ? src(ctx, field(target, 'attribute') ?? target) : src(ctx, target)) : '';
      const m = /^_*is_([a-z]+)$/i.exec(seg);
      if (m && ctx.envNames.isToken(m[1]!)) {
        values.push(m[1]!.toLowerCase());
        return;
      }
      // `if DEBUG:`, `if settings.DEBUG:`, `if app.debug:`: a debug flag is on in development only.
      if (n.type !== 'call' && /^_*debug$/i.test(seg)) {
        values.push('dev');
        return;
      }
    }
    unknown = true;
  };
  visit(cond);
  if (!values.length || unknown) return undefined;
  const lower = values.map((v) => v.toLowerCase());
  const kinds = lower.map((v) => ctx.envNames.classify(v));
  if (kinds.every((k) => k && 'dev' in k)) return 'dev';
  const envs = new Set(kinds.map((k) => (k && 'env' in k ? k.env : undefined)));
  if (envs.size === 1) {
    const only = [...envs][0];
    if (only) return only;
  }
  return undefined;
}

function stringValues(ctx: Ctx, n0: N): string[] | undefined {
  const n = unparen(n0);
  if (n.type === 'string') {
    const s = plainString(ctx, n);
    return s ? [s.value] : undefined;
  }
  if (n.type === 'tuple' || n.type === 'list' || n.type === 'set') {
    const out: string[] = [];
    for (const c of n.namedChildren) {
      if (c.type === 'comment') continue;
      const s = c.type === 'string' ? plainString(ctx, c) : undefined;
      if (!s) return undefined;
      out.push(s.value);
    }
    return out.length ? out : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Enums

function classBases(ctx: Ctx, cls: N): string[] {
  const sup = field(cls, 'superclasses');
  if (!sup) return [];
  const out: string[] = [];
  for (const c of sup.namedChildren) {
    if (c.type === 'identifier') out.push(src(ctx, c));
    else if (c.type === 'attribute') out.push(src(ctx, field(c, 'attribute') ?? c));
  }
  return out;
}

function collectEnums(ctx: Ctx, classes: N[]): void {
  for (const cls of classes) {
    if (!classBases(ctx, cls).some((b) => ENUM_BASES.has(b))) continue;
    const nameNode = field(cls, 'name');
    const body = field(cls, 'body');
    if (!nameNode || !body) continue;
    const members: { name: string; value?: string; span: Span }[] = [];
    for (const stmt of body.namedChildren) {
      if (stmt.type !== 'expression_statement') continue;
      const asg = stmt.namedChild(0);
      if (!asg || asg.type !== 'assignment') continue;
      const left = field(asg, 'left');
      const right = field(asg, 'right');
      if (!left || left.type !== 'identifier' || !right) continue;
      const name = src(ctx, left);
      if (name.startsWith('_')) continue;
      const str = plainString(ctx, right);
      members.push({ name, value: str ? str.value : src(ctx, right), span: span(left) });
    }
    const name = src(ctx, nameNode);
    ctx.enumNames.add(name);
    ctx.facts.enums.push({ name, span: span(nameNode), members });
  }
}

/** `SomeEnum.MEMBER` (or `mod.SomeEnum.MEMBER`): the enum and member, when evident. */
function enumMember(ctx: Ctx, n0: N): { enumName: string; member: string } | undefined {
  const n = unparen(n0);
  if (n.type !== 'attribute') return undefined;
  const obj = field(n, 'object');
  const attr = field(n, 'attribute');
  if (!obj || !attr) return undefined;
  const enumName = obj.type === 'identifier' ? src(ctx, obj) : obj.type === 'attribute' ? src(ctx, field(obj, 'attribute') ?? obj) : '';
  const member = src(ctx, attr);
  if (!enumName) return undefined;
  if (ctx.enumNames.has(enumName)) return { enumName, member };
  if (/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(enumName) && /^[A-Z][A-Z0-9_]*$/.test(member)) return { enumName, member };
  return undefined;
}

function enumOfExpr(ctx: Ctx, n0: N): string | undefined {
  const n = unparen(n0);
  const m = enumMember(ctx, n);
  if (m) return m.enumName;
  if (n.type === 'call') {
    const f = field(n, 'function');
    if (f?.type === 'identifier' && ctx.enumNames.has(src(ctx, f))) return src(ctx, f);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Types

/** The class a type annotation names, looking through Optional/Union/quotes. */
function typeName(ctx: Ctx, n0: N | null | undefined): { name: string; span: Span } | undefined {
  if (!n0) return undefined;
  const n = n0;
  switch (n.type) {
    case 'type':
    case 'type_parameter':
    case 'parenthesized_expression': {
      for (const c of n.namedChildren) {
        const t = typeName(ctx, c);
        if (t) return t;
      }
      return undefined;
    }
    case 'identifier': {
      const name = src(ctx, n);
      return TYPE_WRAPPERS.has(name) ? undefined : { name, span: span(n) };
    }
    case 'attribute': {
      const a = field(n, 'attribute');
      if (!a) return undefined;
      const name = src(ctx, a);
      return TYPE_WRAPPERS.has(name) ? undefined : { name, span: span(a) };
    }
    case 'generic_type':
    case 'subscript': {
      const head = n.namedChild(0);
      if (!head) return undefined;
      const headName = head.type === 'attribute' ? src(ctx, field(head, 'attribute') ?? head) : src(ctx, head);
      if (!TYPE_WRAPPERS.has(headName)) return typeName(ctx, head);
      for (const c of n.namedChildren.slice(1)) {
        const t = typeName(ctx, c);
        if (t) return t;
      }
      return undefined;
    }
    case 'binary_operator': {
      return typeName(ctx, field(n, 'left')) ?? typeName(ctx, field(n, 'right'));
    }
    case 'string': {
      const s = plainString(ctx, n);
      if (!s) return undefined;
      const re = /[A-Za-z_][\w.]*/g;
      for (let m = re.exec(s.value); m; m = re.exec(s.value)) {
        const full = m[0];
        const last = full.slice(full.lastIndexOf('.') + 1);
        if (TYPE_WRAPPERS.has(last) || TYPE_WRAPPERS.has(full)) continue;
        const start = s.span.start + m.index + full.length - last.length;
        return { name: last, span: { start, end: start + last.length } };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Accessors

function enclosing(n: N, types: string[]): N | null {
  for (let p = n.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return null;
}

/** `self.X = ...` / `self.X: T = ...` in a class, by attribute name (computed once per class). */
function selfAttrs(ctx: Ctx, cls: N): Map<string, { annot?: N; rights: N[] }> {
  let map = ctx.selfAttrs.get(cls.id);
  if (map) return map;
  map = new Map();
  const q = query('python', '(assignment left: (attribute object: (identifier) @o attribute: (identifier) @a) (#eq? @o "self")) @asg');
  for (const match of q.matches(cls)) {
    let asg: N | undefined;
    let a: N | undefined;
    for (const c of match.captures) {
      if (c.name === 'asg') asg = c.node;
      else if (c.name === 'a') a = c.node;
    }
    if (!asg || !a) continue;
    // Only assignments of this class (not of a nested class).
    if (enclosing(asg, ['class_definition'])?.id !== cls.id) continue;
    const key = src(ctx, a);
    let e = map.get(key);
    if (!e) map.set(key, (e = { rights: [] }));
    const t = field(asg, 'type');
    if (t && !e.annot) e.annot = t;
    const r = field(asg, 'right');
    if (r) e.rights.push(r);
  }
  ctx.selfAttrs.set(cls.id, map);
  return map;
}

function enumOfSelfAttr(ctx: Ctx, cls: N, attr: string): string | undefined {
  const e = selfAttrs(ctx, cls).get(attr);
  if (!e) return undefined;
  if (e.annot) {
    const t = typeName(ctx, e.annot);
    if (t) return t.name;
  }
  let found: string | undefined;
  for (const r of e.rights) {
    if (isNone(r)) continue;
    const en = enumOfExpr(ctx, r) ?? annotatedParamType(ctx, r);
    if (!en || (found && found !== en)) return undefined;
    found = en;
  }
  return found;
}

/** `self._x = state` where `state: SomeEnum` is a parameter of the enclosing function: SomeEnum. */
function annotatedParamType(ctx: Ctx, r0: N): string | undefined {
  const r = unparen(r0);
  if (r.type !== 'identifier') return undefined;
  const name = src(ctx, r);
  const fn = enclosing(r, ['function_definition', 'lambda']);
  if (fn?.type !== 'function_definition') return undefined;
  for (const p of field(fn, 'parameters')?.namedChildren ?? []) {
    if (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') continue;
    const pn = p.type === 'typed_default_parameter' ? field(p, 'name') : p.namedChildren.find((c) => c.type === 'identifier');
    if (pn && src(ctx, pn) === name) return typeName(ctx, field(p, 'type'))?.name;
  }
  return undefined;
}

function classOfSelfAttr(ctx: Ctx, cls: N, attr: string): string | undefined {
  const e = selfAttrs(ctx, cls).get(attr);
  if (!e) return undefined;
  if (e.annot) {
    const t = typeName(ctx, e.annot);
    if (t) return t.name;
  }
  for (const r of e.rights) {
    const c = constructedClass(ctx, r);
    if (c) return c;
  }
  return undefined;
}

function constructedClass(ctx: Ctx, n0: N): string | undefined {
  const n = unparen(n0);
  if (n.type !== 'call') return undefined;
  const f = field(n, 'function');
  if (!f) return undefined;
  const name = f.type === 'identifier' ? src(ctx, f) : f.type === 'attribute' ? src(ctx, field(f, 'attribute') ?? f) : '';
  return /^[A-Z][A-Za-z0-9_]*[a-z][A-Za-z0-9_]*$/.test(name) ? name : undefined;
}

function collectAccessors(ctx: Ctx, classes: N[]): void {
  for (const cls of classes) {
    const clsName = field(cls, 'name');
    const body = field(cls, 'body');
    if (!clsName || !body) continue;
    for (const stmt of body.namedChildren) {
      let fn: N | null = null;
      let decorators: string[] = [];
      if (stmt.type === 'function_definition') fn = stmt;
      else if (stmt.type === 'decorated_definition') {
        fn = field(stmt, 'definition');
        decorators = stmt.namedChildren.filter((c) => c.type === 'decorator').map((d) => src(ctx, d).replace(/\s+/g, ''));
      }
      if (!fn || fn.type !== 'function_definition') continue;
      const nameNode = field(fn, 'name');
      if (!nameNode) continue;
      const name = src(ctx, nameNode);
      if (!STATE_NAME.test(name)) continue;
      if (decorators.some((d) => /\.(setter|deleter)$/.test(d))) continue;
      const isProperty = decorators.some((d) => /^@(?:[\w.]*\.)?(?:property|cached_property)$/.test(d));
      if (!isProperty && !GETTER_NAME.test(name)) continue;
      const fact: AccessorFact = { className: src(ctx, clsName), name, span: span(nameNode), returns: [] };
      const declared = typeName(ctx, field(fn, 'return_type'));
      if (declared) fact.declaredType = declared;
      for (const ret of fn.descendantsOfType('return_statement')) {
        if (!ret || enclosing(ret, ['function_definition', 'lambda'])?.id !== fn.id) continue;
        const expr = ret.namedChildren.find((c) => c.type !== 'comment');
        if (!expr) continue;
        const r: AccessorFact['returns'][number] = { span: span(expr), text: src(ctx, expr) };
        let en = enumOfExpr(ctx, expr);
        if (!en) {
          const e = unparen(expr);
          const obj = field(e, 'object');
          const attr = field(e, 'attribute');
          if (e.type === 'attribute' && obj?.type === 'identifier' && src(ctx, obj) === 'self' && attr) {
            en = enumOfSelfAttr(ctx, cls, src(ctx, attr));
          }
        }
        if (en) r.enumName = en;
        fact.returns.push(r);
      }
      ctx.facts.accessors.push(fact);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Comparisons

function collectComparisons(ctx: Ctx, cmps: N[]): void {
  for (const cmp of cmps) {
    if (cmp.namedChildCount !== 2) continue;
    const op = cmp.child(1)?.type;
    if (!op || !['==', '!=', 'is', 'is not', 'in', 'not in'].includes(op)) continue;
    const a = cmp.namedChild(0);
    const b = cmp.namedChild(1);
    if (!a || !b) continue;
    const isState = (n: N): boolean => {
      const u = unparen(n);
      const attr = field(u, 'attribute');
      return u.type === 'attribute' && !!attr && STATE_NAME.test(src(ctx, attr));
    };
    let prop: N;
    let other: N;
    if (isState(a)) {
      prop = unparen(a);
      other = b;
    } else if (isState(b) && op !== 'in' && op !== 'not in') {
      prop = unparen(b);
      other = a;
    } else continue;
    const members: N[] = [];
    const o = unparen(other);
    if (op === 'in' || op === 'not in') {
      if (o.type !== 'tuple' && o.type !== 'list' && o.type !== 'set') continue;
      for (const c of o.namedChildren) if (c.type !== 'comment') members.push(c);
    } else members.push(o);
    const attr = field(prop, 'attribute');
    const recv = field(prop, 'object');
    if (!attr || !recv) continue;
    let receiverClass: string | undefined;
    let receiverDone = false;
    for (const m of members) {
      const em = enumMember(ctx, m);
      if (!em) continue;
      if (!receiverDone) {
        receiverClass = receiverClassOf(ctx, recv);
        receiverDone = true;
      }
      ctx.facts.comparisons.push({
        property: src(ctx, attr),
        ...(receiverClass ? { receiverClass } : {}),
        enumName: em.enumName,
        member: em.member,
        span: span(cmp),
        enumSpan: span(unparen(m)),
      });
    }
  }
}

function receiverClassOf(ctx: Ctx, recv0: N): string | undefined {
  const recv = unparen(recv0);
  if (recv.type === 'identifier') {
    const name = src(ctx, recv);
    if (name === 'self') {
      const cls = enclosing(recv, ['class_definition']);
      const n = field(cls, 'name');
      return n ? src(ctx, n) : undefined;
    }
    const fn = enclosing(recv, ['function_definition']);
    if (fn) {
      const params = field(fn, 'parameters');
      for (const p of params?.namedChildren ?? []) {
        if (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') continue;
        const pn = p.type === 'typed_default_parameter' ? field(p, 'name') : p.namedChildren.find((c) => c.type === 'identifier');
        if (pn && src(ctx, pn) === name) return typeName(ctx, field(p, 'type'))?.name;
      }
    }
    {
      for (const asg of assignmentsTo(ctx, fn, name)) {
        const t = asg.type ? typeName(ctx, asg.type) : undefined;
        if (t) return t.name;
        const c = asg.right ? constructedClass(ctx, asg.right) : undefined;
        if (c) return c;
      }
    }
    return undefined;
  }
  if (recv.type === 'attribute') {
    const obj = field(recv, 'object');
    const attr = field(recv, 'attribute');
    if (obj?.type === 'identifier' && src(ctx, obj) === 'self' && attr) {
      const cls = enclosing(recv, ['class_definition']);
      return cls ? classOfSelfAttr(ctx, cls, src(ctx, attr)) : undefined;
    }
    return undefined;
  }
  if (recv.type === 'call') return constructedClass(ctx, recv);
  return undefined;
}

interface Asg { node: N; left: N; right: N | null; type: N | null }

/** Assignments to `key` in a function (nested functions excluded), or at the module's top level
 * (`fn` null). Indexed once per scope. */
function assignmentsTo(ctx: Ctx, fn: N | null, key: string): Asg[] {
  const id = fn ? fn.id : -1;
  let map = ctx.asgs.get(id);
  if (!map) {
    map = new Map();
    const body = fn ? field(fn, 'body') : null;
    const list = fn ? (body ? assignmentsIn(ctx, body) : []) : assignmentsIn(ctx, ctx.root, ctx.root);
    for (const a of list) {
      const k = src(ctx, a.left);
      let l = map.get(k);
      if (!l) map.set(k, (l = []));
      l.push(a);
    }
    ctx.asgs.set(id, map);
  }
  return map.get(key) ?? [];
}

/** Assignments in a function body (nested functions excluded), or the module's top-level ones. */
function assignmentsIn(ctx: Ctx, scope: N, moduleRoot?: N): Asg[] {
  const out: Asg[] = [];
  if (moduleRoot) {
    const visit = (stmts: N[], depth: number): void => {
      for (const s of stmts) {
        if (s.type === 'expression_statement') {
          const a = s.namedChild(0);
          if (a?.type === 'assignment') {
            const left = field(a, 'left');
            if (left) out.push({ node: a, left, right: field(a, 'right'), type: field(a, 'type') });
          }
        } else if (depth < 2 && ['if_statement', 'try_statement', 'block', 'else_clause', 'except_clause', 'elif_clause'].includes(s.type)) {
          visit(s.namedChildren, depth + 1);
        }
      }
    };
    visit(moduleRoot.namedChildren, 0);
    return out;
  }
  const q = query('python', '(assignment left: (_) @l) @asg');
  const fn = enclosing(scope, ['function_definition']) ?? scope;
  for (const match of q.matches(scope)) {
    const asg = match.captures.find((c) => c.name === 'asg')?.node;
    if (!asg) continue;
    if (enclosing(asg, ['function_definition', 'class_definition'])?.id !== fn.id) continue;
    const left = field(asg, 'left');
    if (left) out.push({ node: asg, left, right: field(asg, 'right'), type: field(asg, 'type') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Secret Manager gates

function collectGates(ctx: Ctx): void {
  // Gate-variable reads, grouped by their innermost function.
  const groups = new Map<number, { fn: N; hits: ReadHit[] }>();
  for (const h of ctx.hits) {
    if (!GCP_PRESENCE_SIGNALS.has(h.read.name)) continue;
    const fn = enclosing(h.node, ['function_definition']);
    if (!fn) continue;
    let g = groups.get(fn.id);
    if (!g) groups.set(fn.id, (g = { fn, hits: [] }));
    g.hits.push(h);
  }
  if (!groups.size) return;
  const nameOf = (d: N | null): string => {
    const n = field(d, 'name');
    return n ? src(ctx, n) : '';
  };
  // Functions whose name or body mentions Secret Manager, and methods of a Secret Manager class.
  const related = new Set<number>();
  const re = new RegExp(SECRET_MANAGER.source, 'gi');
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    for (let n = ctx.root.descendantForIndex(m.index); n; n = n.parent) {
      if (n.type === 'function_definition') related.add(n.id);
    }
  }
  for (const g of groups.values()) {
    if (SECRET_MANAGER.test(nameOf(enclosing(g.fn, ['class_definition'])))) related.add(g.fn.id);
  }
  if (!related.size) return;
  // Functions called from Secret Manager code are part of it (`self._is_gcp_available()`).
  if ([...groups.keys()].some((id) => !related.has(id))) {
    const defs = allDefs(ctx);
    const byName = new Map<string, N[]>();
    for (const d of defs) {
      const n = nameOf(d);
      let l = byName.get(n);
      if (!l) byName.set(n, (l = []));
      l.push(d);
    }
    let frontier = defs.filter((d) => related.has(d.id));
    for (let round = 0; round < 3 && frontier.length; round++) {
      const next: N[] = [];
      for (const d of frontier) {
        for (const call of d.descendantsOfType('call')) {
          const f = field(call, 'function');
          if (!f) continue;
          const seg = f.type === 'attribute' ? src(ctx, field(f, 'attribute') ?? f) : f.type === 'identifier' ? src(ctx, f) : '';
          for (const target of byName.get(seg) ?? []) {
            if (related.has(target.id)) continue;
            related.add(target.id);
            next.push(target);
          }
        }
      }
      frontier = next;
    }
  }
  for (const { fn, hits } of groups.values()) {
    if (!related.has(fn.id)) continue;
    // A function consulting two or more of the variables already accepts alternatives.
    if (new Set(hits.map((h) => h.read.name)).size !== 1) continue;
    const seen = new Set<number>();
    for (const h of hits) {
      const test = gateCondition(ctx, h, fn);
      if (!test || seen.has(test.startIndex)) continue;
      seen.add(test.startIndex);
      const cs = span(test);
      const gate: SecretGateFact = {
        names: [h.read.name],
        conditionSpan: cs,
        conditionText: src(ctx, test),
        nameOffsets: [{ name: h.read.name, start: h.read.nameSpan.start - cs.start, end: h.read.nameSpan.end - cs.start }],
        language: 'python',
        functionName: nameOf(fn),
      };
      ctx.facts.gates.push(gate);
    }
  }
  ctx.facts.gates.sort((a, b) => a.conditionSpan.start - b.conditionSpan.start);
}

/** The smallest expression testing the read's presence, when it decides a boolean. */
function gateCondition(ctx: Ctx, h: ReadHit, fn: N): N | undefined {
  let test: N = h.node;
  let tested = h.kind === 'in';
  if (!tested) {
    const { node, parent } = upParens(h.node);
    if (parent?.type === 'comparison_operator' && comparesToNone(parent, node)) {
      test = parent;
      tested = true;
    } else if (parent?.type === 'not_operator') {
      test = parent;
      tested = true;
    } else if (parent?.type === 'argument_list') {
      const call = parent.parent;
      const f = field(call, 'function');
      if (call && f && src(ctx, f) === 'bool' && parent.namedChildCount === 1) {
        test = call;
        tested = true;
      }
    }
  }
  // Climb through boolean structure to where the value is used.
  let cur = test;
  let viaBool = false;
  for (;;) {
    const { node, parent } = upParens(cur);
    if (!parent) return undefined;
    if (parent.type === 'boolean_operator' || parent.type === 'not_operator') {
      viaBool = true;
      cur = parent;
      continue;
    }
    switch (parent.type) {
      case 'if_statement':
      case 'elif_clause':
      case 'while_statement':
        return field(parent, 'condition')?.id === node.id ? test : undefined;
      case 'conditional_expression':
        return parent.namedChild(1)?.id === node.id ? test : undefined;
      case 'return_statement': {
        if (tested || viaBool) return test;
        const rt = field(fn, 'return_type');
        return rt && src(ctx, rt).replace(/\s+/g, '') === 'bool' ? test : undefined;
      }
      case 'assignment':
        return (tested || viaBool) && field(parent, 'right')?.id === node.id ? test : undefined;
      default:
        return undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Database drivers

type Driver = DriverUse['driver'];

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

function literalText(ctx: Ctx, n: N | undefined): string | undefined {
  if (!n) return undefined;
  const u = unparen(n);
  if (u.type === 'string') {
    const s = strInfo(ctx, u);
    return s ? ctx.text.slice(s.start, s.end) : undefined;
  }
  return undefined;
}

function collectDrivers(ctx: Ctx, calls: CallM[]): void {
  const uses: { use: DriverUse; node: N }[] = [];
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
    const use: DriverUse = { driver, span: span(call) };
    const envName = urlArg ? resolveEnvName(ctx, urlArg, 0) : undefined;
    if (envName) use.envName = envName;
    uses.push({ use, node: call });
  }
  // URL strings naming a driver (`"postgresql+asyncpg://..."`), outside the calls above.
  const re = /postgres(?:ql)?\+(asyncpg|psycopg2|psycopg|pg8000):\/\//gi;
  const seen = new Set<number>();
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const str = stringAt(ctx, m.index, m.index + m[0].length);
    if (!str || seen.has(str.startIndex)) continue;
    seen.add(str.startIndex);
    if (str.parent?.type === 'expression_statement') continue; // docstring
    const s = span(str);
    if (uses.some((u) => within(s, u.use.span))) continue;
    const d = schemeDriver(m[0]);
    if (!d) continue;
    const use: DriverUse = { driver: d, span: s };
    const envName = defaultOfRead(ctx, str);
    if (envName) use.envName = envName;
    uses.push({ use, node: str });
  }
  uses.sort((x, y) => x.use.span.start - y.use.span.start);
  for (const u of uses) ctx.facts.driverUses.push(u.use);
}

/** The env variable whose value flows into `expr`: inline, or through assignments (3 hops). */
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

/** `os.getenv("X", "<this literal>")`: X. */
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

// ---------------------------------------------------------------------------------------------
// Postgres URL literals

function collectDbUrls(ctx: Ctx): void {
  const seen = new Set<number>();
  for (let i = ctx.text.indexOf('postgres'); i >= 0; i = ctx.text.indexOf('postgres', i + 8)) {
    const str = stringAt(ctx, i, i + 8);
    if (!str || seen.has(str.startIndex)) continue;
    seen.add(str.startIndex);
    // A bare string statement (docstring) is never a value.
    if (str.parent?.type === 'expression_statement') continue;
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

/** `os.environ["X"] = "<literal>"`, `{"X": "<literal>"}`: X. */
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
