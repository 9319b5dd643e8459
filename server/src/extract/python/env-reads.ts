/**
 * Env reads: `os.environ[...]`, `os.environ.get` / `setdefault`, `os.getenv`, `"X" in os.environ`,
 * wrapper objects (`env.get`, `get_env().get`) and configured accessors. Feeds env-unset-for-deploy
 * and gcp-project-id-unwired; the read nodes stay on `ctx.hits` because gates and database URLs
 * are judged by where a read sits.
 */
import type { EnvRead, Span } from '../../core/facts';
import { isSecretLike, secretStandIn, standInMarks } from '../../knowledge/secrets';
import { isLoopbackUrl } from '../../knowledge/platform';
import {
  type CallForms, type CallM, type Ctx, type N, type ReadHit, argList, enclosing, escapeRe, field, isNone, literalText, nodeAt, plainString, span, src,
  strInfo, unparen,
} from './walk';
import { hasFallback, linkAlternatives, presenceTested } from './env-defaults';
import { isRaise, readVerdict, standsInAfterFailedTry } from './usage';
import { type Need, judgeNeed, linkNestedDefaults, pushRead } from './read-need';
import { assignmentsTo } from './bindings';
import { firstSetWins, walkOf } from './name-lists';

/** Words that send a file to the parser for its env reads (configured accessors add their own). */
export const READ_WORDS = ['env'];

/** Only a literal shaped like a variable name is read as one: `env.get("db.host")` on a wrapper-looking
 * object is a configuration lookup, not the environment. */
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/i;
// Wrappers are recognised by name, as their class usually lives in another file.
/** Receivers whose last name segment says "environment": `env`, `self._env`, `os_env`, `self._environ`. */
export const WRAP_NAME = /^_*(?:[A-Za-z0-9]+_)*env$|^_*(?:[A-Za-z0-9]+_)+environ$|^_+environ$/i;
/** Calls returning an environment wrapper: `get_env()`, `get_environment()`, `getEnv()`. */
export const WRAP_CALL = /^_*(?:get_?)?(?:env|environ|environment)$|^_*get(?:Env|Environ|Environment)$/;
/** Wrapper classes constructed inline: `EnvironmentWrapper()`, `IsolatedEnvironment()`. */
export const WRAP_CLASS = /^(?:[A-Z]\w*Env(?:iron(?:ment)?)?(?:Wrapper|Reader|Accessor)?|Env(?:iron(?:ment)?)?(?:Wrapper|Reader|Accessor))$/;

/** The word every call of a configured accessor contains (`get_config().get` → `get`): what the
 * prefilter and the call search look for. */
export function lastSegment(dotted: string): string {
  const s = dotted.replace(/\(\s*\)/g, '').trim();
  return s.slice(s.lastIndexOf('.') + 1);
}

/** `import os as o`, `from os import environ as e, getenv`: reads through an alias are reads too.
 * Optional imports sit under `try` / `if`, so those are searched two levels down. */
export function collectImports(ctx: Ctx): void {
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

/** A dynamic name keeps its literal prefix (`f"DB_{env}"` → `DB_`): renaming a variable with
 * that prefix is refused, as this read could be it. */
type NameRef = { kind: 'static'; name: string; span: Span } | { kind: 'dynamic'; prefix?: string } | undefined;

function validPrefix(p: string | undefined): string | undefined {
  if (!p) return undefined;
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(p);
  return m ? m[0] : undefined;
}

/** What a name argument says: a literal env name, a name built at runtime, or nothing read
 * (undefined: bytes, numbers, literals not shaped like a name). */
export function nameRef(ctx: Ctx, arg: N): NameRef {
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
      // `"PREFIX_{}".format(x)` keeps its literal prefix like an f-string.
      const fn = field(n, 'function');
      if (fn?.type === 'attribute' && src(ctx, field(fn, 'attribute') ?? fn) === 'format') {
        const obj = field(fn, 'object');
        const s = obj ? plainString(ctx, obj) : undefined;
        if (s) return { kind: 'dynamic', prefix: validPrefix(s.value.split('{')[0]) };
      }
      return { kind: 'dynamic' };
    }
    case 'identifier':
      return constantName(ctx, n) ?? { kind: 'dynamic' };
    case 'attribute':
    case 'subscript':
      return { kind: 'dynamic' };
    default:
      return undefined;
  }
}

/** A constant's name (upper case, as constants are written). */
const CONSTANT = /^[A-Z][A-Z0-9_]*$/;

/**
 * `os.getenv(API_KEY_ENV)` with `API_KEY_ENV = "PAYMENTS_API_KEY"` at the module's top level, bound
 * once in the file and not shadowed by the enclosing function (a parameter or an assignment of its
 * own): the variable that literal names, at the literal.
 */
function constantName(ctx: Ctx, id: N): NameRef {
  const key = src(ctx, id);
  if (!CONSTANT.test(key)) return undefined;
  for (let fn = enclosing(id, ['function_definition']); fn; fn = enclosing(fn, ['function_definition'])) {
    const params = field(fn, 'parameters');
    if (params && params.descendantsOfType('identifier').some((p) => p && src(ctx, p) === key)) return undefined;
    if (assignmentsTo(ctx, fn, key).length) return undefined;
  }
  const asgs = assignmentsTo(ctx, null, key);
  if (asgs.length !== 1 || !asgs[0]!.right) return undefined;
  const right = unparen(asgs[0]!.right);
  if (right.type !== 'string') return undefined;
  const ref = nameRef(ctx, right);
  return ref?.kind === 'static' ? ref : undefined;
}

/** `environ`: `os.environ` itself, whose reads are certain (a dynamic name is still a read);
 * `wrapper`: an object only named like an environment, so less counts: `.get` and `in`, not
 * subscripts, and dynamic names only with a literal prefix. */
type RecvKind = 'environ' | 'wrapper' | undefined;

export function receiverKind(ctx: Ctx, obj: N): RecvKind {
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
    // `os.getenv("X")` returns the value, not an environment: `"a" in os.getenv("X")` reads no "a".
    if (seg === 'getenv' || ctx.getenvNames.has(seg)) return undefined;
    return WRAP_CALL.test(seg) || WRAP_CLASS.test(seg) ? 'wrapper' : undefined;
  }
  return undefined;
}

/** Calls that can read the environment (`os.environ.get`, `os.getenv`, an imported `getenv`,
 * configured accessors), as names for the one call search. */
export function readCallForms(ctx: Ctx): CallForms {
  const methods = new Set(['get', 'getenv', 'setdefault']);
  const funcs = new Set(ctx.getenvNames);
  for (const a of ctx.accessors) {
    const seg = lastSegment(a);
    if (!/^\w+$/.test(seg)) continue;
    if (a.includes('.')) methods.add(seg);
    else funcs.add(seg);
  }
  return { methods, funcs };
}

/** `os.environ[...]` and imported `environ[...]`: the read that raises when the variable is unset. */
export function locateEnvironSubscripts(ctx: Ctx): N[] {
  const out: N[] = [];
  const { text } = ctx;
  const subNames = ['environ', ...[...ctx.environNames].filter((n) => n !== 'environ' && /^\w+$/.test(n))].map(escapeRe);
  const subRe = new RegExp(`\\b(?:${subNames.join('|')})\\s*\\[`, 'g');
  for (let m = subRe.exec(text); m; m = subRe.exec(text)) {
    const name = /^\w+/.exec(m[0])![0];
    const id = nodeAt(ctx, m.index, m.index + name.length);
    if (!id || id.type !== 'identifier' || id.startIndex !== m.index) continue;
    let value: N = id;
    const p = id.parent;
    if (p?.type === 'attribute' && field(p, 'attribute')?.id === id.id) value = p;
    else if (!ctx.environNames.has(name)) continue;
    const sub = value.parent;
    if (sub?.type === 'subscript' && field(sub, 'value')?.id === value.id) out.push(sub);
  }
  return out;
}

export interface InTest { cmp: N; str: N; recv: N }

/** `"X" in os.environ` / `"X" not in env`: a presence test, so a read that never fails, but
 * still a variable the code looks at (and a gate candidate). */
export function locateInTests(ctx: Ctx): InTest[] {
  const out: InTest[] = [];
  const { text } = ctx;
  // The comparison whose `in` / `not in` keyword is `[kw, kw + len)`, with its two operands.
  const testAt = (kw: number, len: number, left: string, receivers: readonly string[]): void => {
    let cmp = nodeAt(ctx, kw, kw + len);
    for (let i = 0; cmp && cmp.type !== 'comparison_operator' && i < 2; i++) cmp = cmp.parent;
    if (!cmp || cmp.type !== 'comparison_operator' || cmp.namedChildCount !== 2) return;
    const str = cmp.namedChild(0);
    const recv = cmp.namedChild(1);
    if (str?.type === left && recv && receivers.includes(recv.type)) out.push({ cmp, str, recv });
  };
  const inRe = /["']\s*((?:not\s+)?in)\b/g;
  for (let m = inRe.exec(text); m; m = inRe.exec(text)) testAt(m.index + m[0].length - m[1]!.length, m[1]!.length, 'string', ['attribute', 'identifier', 'call']);
  // `for name in REQUIRED: if name not in os.environ: raise …`: a loop's variable tested against
  // the environment itself (name-lists.ts says which names it stands for).
  const nameRe = /\b[A-Za-z_]\w*\s+((?:not\s+)?in)\s+(?:\w+\.)?environ\b/g;
  for (let m = nameRe.exec(text); m; m = nameRe.exec(text)) testAt(m.index + m[0].indexOf(m[1]!, m[0].search(/\s/)), m[1]!.length, 'identifier', ['attribute', 'identifier']);
  return out;
}

/** Reads are sorted by start, as `firstHitWithin` binary-searches `ctx.hits`. */
export function collectReads(ctx: Ctx, calls: CallM[], subs: N[], ins: InTest[]): void {
  for (const c of calls) readFromCall(ctx, c);
  for (const s of subs) readFromSubscript(ctx, s);
  for (const i of ins) readFromIn(ctx, i);
}

/** After every kind of read was collected (accessors.ts and libraries.ts add theirs). */
export function finishReads(ctx: Ctx): void {
  ctx.hits.sort((a, b) => a.read.span.start - b.read.span.start);
  linkNestedDefaults(ctx);
  linkAlternatives(ctx);
  for (const h of ctx.hits) if (h.chainEnd && h.kind === 'call' && !h.defaultNode) judgeSecretStandIn(ctx, h.read, h.chainEnd);
  for (const h of ctx.hits) {
    if (!h.imported) ctx.facts.reads.push(h.read);
    else (ctx.facts.accessorCalls ??= []).push({ ...h.imported, read: h.read });
  }
  ctx.facts.dynamicReads.sort((a, b) => a.span.start - b.span.start);
}

function readFromCall(ctx: Ctx, { call, fn, args }: CallM): void {
  const callee = src(ctx, fn).replace(/\s+/g, '');
  let shape: 'getenv' | 'get' | 'setdefault' | 'accessor' | undefined;
  // A name built at runtime is a read on `os` itself; on a wrapper or accessor, only when the name
  // has a literal prefix, as a variable key there is as often a plain dict lookup.
  let core = false;
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
    // `for var in REQUIRED: os.environ.get(var)`: each name of the list is read here.
    const walk = core && unparen(first).type === 'identifier' ? walkOf(ctx, unparen(first)) : undefined;
    if (walk) {
      // Candidates tried in turn until one is set: none is needed alone (as in a list of
      // candidates, usage.ts).
      const candidates = walk.names.length > 1 && firstSetWins(ctx, walk.loop, src(ctx, unparen(first)));
      for (const w of walk.names) readNamedByCall(ctx, call, shape, callee, a, w.name, w.span, candidates);
      return;
    }
    if (core || ref.prefix) ctx.facts.dynamicReads.push({ span: span(call), prefix: ref.prefix });
    if (shape !== 'accessor' && unparen(first).type === 'identifier') {
      // `os.environ.get(name, default)` in `def env_str(name, default=None)`: maybe an accessor.
      ctx.paramReads.push({ node: call, nameArg: unparen(first), dflt: a.positional[1] ?? a.keywords.get('default') ?? undefined, shape });
    }
    return;
  }
  readNamedByCall(ctx, call, shape, callee, a, ref.name, ref.span);
}

/** The read of the variable `name` (written at `nameSpan`) by a call of one of the read shapes,
 * with what its default and its use say of the need; a `candidate` another name stands in for is
 * never needed alone. */
function readNamedByCall(ctx: Ctx, call: N, shape: 'getenv' | 'get' | 'setdefault' | 'accessor', callee: string, a: ReturnType<typeof argList>,
  name: string, nameSpan: Span, candidate = false): void {
  const ref = { name, span: nameSpan };
  const second = a.positional[1] ?? a.keywords.get('default') ?? (shape === 'setdefault' ? a.keywords.get('value') : undefined);
  const need: Need = { hasDefault: shape === 'setdefault' || (!!second && !isNone(second)) };
  if (shape === 'setdefault' && second && !isNone(second) && atModuleLevel(call)) need.setsAtImport = true;
  // The default when it is a text (`''` included); undefined for any other expression.
  const literal = second && shape !== 'setdefault' ? plainString(ctx, unparen(second))?.value : undefined;
  // `os.getenv("FRONTEND_URL", "http://localhost:5173")`: a development address stands in.
  if (need.hasDefault && literal && isLoopbackUrl(literal)) need.localDefault = literal;
  const given = second && need.hasDefault ? literalText(ctx, unparen(second)) : undefined;
  if (given !== undefined) need.textDefault = given;
  const standIn = need.hasDefault && literal !== undefined ? secretStandIn(ref.name, literal) : undefined;
  if (standIn && !comparedWithText(ctx, literal!)) {
    // `os.getenv("SECRET_KEY", "change-me-in-production")`: a secret's placeholder default stands
    // in for nothing, whatever the code does with the value; `os.getenv("JWT_SECRET",
    // "ac65763a-22d5-…")`: unset, the service runs on a key anyone who reads the repository holds.
    // Either way the deploy must set it.
    need.hasDefault = false;
    Object.assign(need, standInMarks(standIn));
  } else if (shape === 'accessor') {
    // A configured accessor may raise or default by itself: only what the call site shows counts.
    if (!need.hasDefault && (hasFallback(call) || presenceTested(call))) need.hasDefault = true;
  } else if (shape !== 'setdefault') {
    judgeNeed(ctx, call, second ?? undefined, need, isSecretLike(ref.name));
  }
  if (candidate && !need.hasDefault) {
    need.hasDefault = true;
    need.optionalBecause = 'fallback';
  }
  pushRead(ctx, { kind: 'call', node: call, defaultNode: second ?? undefined }, ref.name, ref.span, need.hasDefault, callee, need);
}

/** A call that is a statement of the module itself, or the value of a module-level assignment
 * (`REGION = os.environ.setdefault(…)`): it runs when the module is loaded, whatever is called. */
function atModuleLevel(call: N): boolean {
  let p = call.parent;
  if (p?.type === 'assignment' && field(p, 'right')?.id === call.id) p = p.parent;
  return p?.type === 'expression_statement' && p.parent?.type === 'module';
}

/** `os.environ["X"] = v` and `del os.environ["X"]` write the variable: no read to require. */
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
    const walked = unparen(index).type === 'identifier' ? walkOf(ctx, unparen(index))?.names : undefined;
    if (walked) {
      const via = src(ctx, value).replace(/\s+/g, '');
      for (const w of walked) pushRead(ctx, { kind: 'subscript', node: sub }, w.name, w.span, false, via);
      return;
    }
    ctx.facts.dynamicReads.push({ span: span(sub), prefix: ref.prefix });
    if (unparen(index).type === 'identifier') ctx.paramReads.push({ node: sub, nameArg: unparen(index), shape: 'subscript' });
    return;
  }
  // `except Exception: KEY = os.environ["KEY"]` where the `try` fetched KEY from a secret store.
  if (standsInAfterFailedTry(ctx, sub)) pushRead(ctx, { kind: 'subscript', node: sub }, ref.name, ref.span, true, src(ctx, value).replace(/\s+/g, ''), { optionalBecause: 'fallback' });
  else pushRead(ctx, { kind: 'subscript', node: sub }, ref.name, ref.span, false, src(ctx, value).replace(/\s+/g, ''));
}

function readFromIn(ctx: Ctx, { cmp, str, recv }: InTest): void {
  const op = cmp.child(1);
  if (!op || (op.type !== 'in' && op.type !== 'not in')) return;
  const kind = receiverKind(ctx, recv);
  if (!kind) return;
  const names = str.type === 'identifier' && kind === 'environ' ? walkOf(ctx, str)?.names : undefined;
  const ref = str.type === 'identifier' ? undefined : nameRef(ctx, str);
  const found = names ?? (ref?.kind === 'static' ? [ref] : undefined);
  if (!found) return;
  // A presence test handles absence, unless the missing branch raises (`if "X" not in os.environ: raise`).
  const v = readVerdict(ctx, cmp, op.type === 'not in');
  const required = isRaise(v);
  for (const r of found) {
    pushRead(ctx, { kind: 'in', node: cmp }, r.name, r.span, !required, `${op.type} ${src(ctx, recv).replace(/\s+/g, '')}`,
      required && v.kind === 'required' && v.env ? { requiredIn: v.env } : {});
  }
}

/** `os.getenv("JWT_SECRET") or "changeme"`, `os.getenv("SESSION_SECRET") or
 * os.getenv("COOKIE_SECRET") or "dev-session-secret"`: as for a default argument, a secret's
 * placeholder or committed key after `or` stands in for nothing; the deploy must set it. */
function judgeSecretStandIn(ctx: Ctx, read: EnvRead, end: N): void {
  const text = plainString(ctx, unparen(end))?.value;
  const standIn = read.hasDefault && text !== undefined ? secretStandIn(read.name, text) : undefined;
  if (!standIn || comparedWithText(ctx, text!)) return;
  read.hasDefault = false;
  delete read.optionalBecause;
  Object.assign(read, standInMarks(standIn));
}

/** Whether the module compares something with the text `text` (`if key == "test_key": raise`): a
 * stand-in default the code recognises is a sentinel, and the feature refuses to run on it. */
function comparedWithText(ctx: Ctx, text: string): boolean {
  // Most modules never hold the text twice: the default itself is one occurrence.
  if (ctx.text.split(text).length < 3) return false;
  return ctx.root.descendantsOfType('comparison_operator').some((c) =>
    !!c && c.namedChildren.some((side) => !!side && side.type === 'string' && plainString(ctx, side)?.value === text));
}
