/**
 * Code that fills its environment at start-up from something the deploy provides whole: a
 * dotenv loader given a variable's contents or a file path, or a loop writing each line of a
 * variable into `os.environ`. Recorded as `EnvLoadFact`s; the model decides whether a deploy
 * provides that variable or mounts that file (extractors never know deploys).
 *
 * Shapes read:
 * - `load_dotenv(...)` / `dotenv.load_dotenv(...)` and django-environ's `read_env(...)`, with the
 *   source as the first argument or `dotenv_path=` / `stream=` / `env_file=` / `path=`;
 * - `os.environ.update(dotenv_values(...))` (a `dotenv_values` whose result goes elsewhere is a
 *   settings dict, not the environment);
 * - `for line in V.splitlines(): … os.environ[key] = value` (also `setdefault(key, …)`,
 *   `update(…)`), where `V` is a read of a variable or a name bound to one in the same scope, or
 *   a Secret Manager secret's payload the code fetches itself (`from: 'secret-manager'`; so too a
 *   loader given one: `env.read_env(io.StringIO(payload))`, the documented Django on Cloud Run setup).
 * A source that is a variable's contents (`io.StringIO(os.environ["X"])`, `stream=`) is `from:
 * 'variable'`; a string literal or a read used as a path is `from: 'file'`. A loader with no
 * argument (`load_dotenv()`) reads a `.env` beside the code: nothing a deploy provides.
 */
import type { EnvLoadFact } from '../../core/facts';
import { assignmentsTo } from './bindings';
import { type CallForms, type CallM, type Ctx, type N, argList, enclosing, field, nodeAt, plainString, span, src, unparen } from './walk';
import { receiverKind } from './env-reads';

/** Words that make a file worth parsing for loaders alone (the prefilter's triggers). */
export const ENV_LOAD_WORDS = ['load_dotenv', 'read_env', 'dotenv_values'];

/** The loaders, for the shared call-locating pass (`locateCalls`). */
export const ENV_LOAD_CALLS: CallForms = { methods: ENV_LOAD_WORDS, funcs: ENV_LOAD_WORDS };

const SOURCE_KEYWORDS = ['dotenv_path', 'stream', 'env_file', 'path'];

export function collectEnvLoads(ctx: Ctx, calls: readonly CallM[], environSubs: N[]): void {
  const loads: EnvLoadFact[] = [];
  for (const call of loaderCalls(ctx, calls)) {
    const load = fromLoaderCall(ctx, call);
    if (load) loads.push(load);
  }
  for (const write of environWrites(ctx, environSubs)) {
    const load = fromLoop(ctx, write);
    if (load && !loads.some((l) => l.span.start === load.span.start)) loads.push(load);
  }
  if (loads.length) ctx.facts.envLoads = loads.sort((a, b) => a.span.start - b.span.start);
}

/** `load_dotenv(…)`, `x.read_env(…)`, and `dotenv_values(…)` handed to `os.environ.update`,
 * among the calls the shared pass located (`ENV_LOAD_CALLS`). */
function loaderCalls(ctx: Ctx, calls: readonly CallM[]): { call: N; name: string }[] {
  const out: { call: N; name: string }[] = [];
  for (const { call, fn } of calls) {
    const name = src(ctx, fn.type === 'attribute' ? field(fn, 'attribute') ?? fn : fn);
    if (!ENV_LOAD_WORDS.includes(name)) continue;
    if (name === 'dotenv_values' && !isEnvironUpdateArg(ctx, call)) continue;
    out.push({ call, name });
  }
  return out;
}

/** `os.environ.update(<call>)`, the call perhaps wrapped (`{**dotenv_values(…)}`, `dict(…)`). */
function isEnvironUpdateArg(ctx: Ctx, call: N): boolean {
  for (let p = call.parent, depth = 0; p && depth < 4; p = p.parent, depth++) {
    if (p.type !== 'call') continue;
    const f = field(p, 'function');
    if (f?.type === 'attribute' && src(ctx, field(f, 'attribute') ?? f) === 'update' && receiverKind(ctx, field(f, 'object') ?? f) === 'environ') return true;
  }
  return false;
}

function fromLoaderCall(ctx: Ctx, { call, name }: { call: N; name: string }): EnvLoadFact | undefined {
  const args = field(call, 'arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  const { positional, keywords } = argList(ctx, args);
  const via = name;
  const stream = keywords.get('stream');
  if (stream) {
    const v = variableIn(ctx, stream);
    if (v) return { from: 'variable', name: v, span: span(call), via };
    return fetchedSecret(ctx, stream, 2) ? { from: 'secret-manager', span: span(call), via } : undefined;
  }
  const arg = SOURCE_KEYWORDS.map((k) => keywords.get(k)).find((n) => n) ?? positional[0];
  if (!arg) return undefined;
  const u = unparen(arg);
  const lit = u.type === 'string' ? plainString(ctx, u) : undefined;
  if (lit) return { from: 'file', path: lit.value, span: span(call), via };
  // `io.StringIO(os.environ["X"])` as the first argument: the variable's contents.
  if (u.type === 'call' && /(?:^|\.)StringIO$/.test(src(ctx, field(u, 'function') ?? u))) {
    const inner = field(u, 'arguments')?.namedChildren[0];
    const v = inner ? variableIn(ctx, inner) : undefined;
    if (v) return { from: 'variable', name: v, span: span(call), via };
    // `env.read_env(io.StringIO(payload))` with the payload of a secret the code fetched.
    return inner && fetchedSecret(ctx, inner, 2) ? { from: 'secret-manager', span: span(call), via } : undefined;
  }
  const v = variableIn(ctx, u);
  return v ? { from: 'file', name: v, span: span(call), via } : undefined;
}

/** The variable an expression's value comes from: a read in it, or a name bound to a read in the
 * same scope (`content = os.environ.get("X")`). */
function variableIn(ctx: Ctx, expr: N): string | undefined {
  return throughBindings(ctx, expr, 1, (n) => readWithin(ctx, n));
}

/** `found` of the expression, else of what the names in it are bound to earlier in the same scope,
 * `depth` assignments deep (the first four names). */
function throughBindings<T>(ctx: Ctx, expr: N, depth: number, found: (n: N) => T | undefined): T | undefined {
  const direct = found(expr);
  if (direct !== undefined || depth === 0) return direct;
  const u = unparen(expr);
  const names = u.type === 'identifier' ? [u] : u.descendantsOfType('identifier').filter((n): n is N => !!n);
  const scope = enclosing(expr, ['function_definition']);
  for (const id of names.slice(0, 4)) {
    for (const a of assignmentsTo(ctx, scope, src(ctx, id))) {
      if (a.node.startIndex > expr.startIndex || !a.right) continue;
      const v = throughBindings(ctx, a.right, depth - 1, found);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

function readWithin(ctx: Ctx, n: N): string | undefined {
  return ctx.hits.find((h) => h.node.startIndex >= n.startIndex && h.node.endIndex <= n.endIndex)?.read.name;
}

/** Writes into `os.environ` under a computed name: `os.environ[key] = v`,
 * `os.environ.setdefault(key, v)`, `os.environ.update(…)`. */
function environWrites(ctx: Ctx, environSubs: N[]): N[] {
  const out: N[] = [];
  for (const sub of environSubs) {
    const asg = sub.parent;
    if (asg?.type !== 'assignment' || field(asg, 'left')?.id !== sub.id) continue;
    const key = field(sub, 'subscript');
    if (!key || unparen(key).type === 'string') continue;
    out.push(asg);
  }
  const re = /\benviron\s*\.\s*(?:setdefault|update)\s*\(/g;
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const id = nodeAt(ctx, m.index, m.index + 'environ'.length);
    const recv = id?.parent?.type === 'attribute' && field(id.parent, 'attribute')?.id === id.id ? id.parent : id;
    const method = recv?.parent;
    const call = method?.parent;
    if (!recv || receiverKind(ctx, recv) !== 'environ' || method?.type !== 'attribute' || call?.type !== 'call') continue;
    const first = field(call, 'arguments')?.namedChildren[0];
    if (first && unparen(first).type === 'string') continue;
    out.push(call);
  }
  return out;
}

/** A write inside a `for` over the lines of a variable's contents. */
function fromLoop(ctx: Ctx, write: N): EnvLoadFact | undefined {
  for (let loop = enclosing(write, ['for_statement', 'function_definition']); loop?.type === 'for_statement'; loop = enclosing(loop, ['for_statement', 'function_definition'])) {
    const iterable = field(loop, 'right');
    const v = iterable ? variableIn(ctx, iterable) : undefined;
    if (v) return { from: 'variable', name: v, span: span(loop), via: 'a loop writing os.environ' };
    if (iterable && fetchedSecret(ctx, iterable, 2)) return { from: 'secret-manager', span: span(loop), via: 'a loop writing os.environ from a Secret Manager secret' };
  }
  return undefined;
}

/** The expression's value is a Secret Manager secret's payload (`response.payload.data.decode()`
 * after `response = client.access_secret_version(…)`), in it or through names bound in the same
 * scope, `depth` assignments deep. */
function fetchedSecret(ctx: Ctx, expr: N, depth: number): boolean {
  const marks = (n: N): true | undefined => unparen(n).descendantsOfType('attribute').some((a) => {
    const name = a ? src(ctx, field(a, 'attribute') ?? a) : '';
    return name === 'payload' || name === 'access_secret_version';
  }) || undefined;
  return throughBindings(ctx, expr, depth, marks) ?? false;
}
