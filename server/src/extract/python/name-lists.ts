/**
 * Variables read by walking a literal list of their names, the start-up check Python services
 * write as often as Node ones:
 *
 *   REQUIRED = ["LINE_CHANNEL_SECRET", "PERPLEXITY_API_KEY"]
 *   for var in REQUIRED:
 *       if not os.environ.get(var):
 *           raise SystemExit(f"missing {var}")
 *
 * The loop variable of such a read stands for each name of the list: a `for` statement's (or a
 * comprehension's) single target, iterating a list, tuple or set literal of strings written inline
 * or bound once to a name of the enclosing function (or of the module, where the function binds
 * none). What is done with each value is judged at the read as usual; every name gets it. A list
 * holding anything but plain strings, or bound more than once, says nothing: the read stays a
 * name built at runtime.
 */
import type { Span } from '../../core/facts';
import { type Ctx, type N, enclosing, field, plainString, unparen } from './walk';
import { assignmentsTo } from './bindings';

const MAX_NAMES = 200;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/i;
/** Where a name's binding is looked for, nearest first: a nested function binds its own. */
const SCOPES = ['function_definition', 'lambda'];

export interface WalkedName { name: string; span: Span }

/** The names the identifier `id` walks, when it is the target of a loop over a literal list, with
 * the `for` statement (or comprehension) walking them. */
export function walkOf(ctx: Ctx, id: N): { names: WalkedName[]; loop: N } | undefined {
  const key = ctx.text.slice(id.startIndex, id.endIndex);
  for (let n: N = id, p = id.parent; p; n = p, p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return undefined;
    // `for var in LIST:` — the read sits in the loop's body.
    if (p.type === 'for_statement' && field(p, 'body')?.id === n.id) {
      const target = field(p, 'left');
      if (target?.type !== 'identifier' || ctx.text.slice(target.startIndex, target.endIndex) !== key) continue;
      const list = field(p, 'right');
      const names = list ? literalNames(ctx, list) : undefined;
      return names ? { names, loop: p } : undefined;
    }
    // `[v for v in LIST if not os.getenv(v)]`: the comprehension's own clause binds the name.
    if (p.type === 'list_comprehension' || p.type === 'set_comprehension' || p.type === 'generator_expression' || p.type === 'dictionary_comprehension') {
      const clauses = p.namedChildren.filter((c) => c.type === 'for_in_clause');
      const clause = clauses.find((c) => {
        const left = field(c, 'left');
        return left?.type === 'identifier' && ctx.text.slice(left.startIndex, left.endIndex) === key;
      });
      if (!clause) continue;
      // Nested clauses (`for a in X for b in a`) walk something else than one list.
      if (clauses.length !== 1) return undefined;
      const list = field(clause, 'right');
      const names = list ? literalNames(ctx, list) : undefined;
      return names ? { names, loop: p } : undefined;
    }
  }
  return undefined;
}

/**
 * A loop trying the names in turn until one is set: `for k in ("GOOGLE_CLOUD_PROJECT",
 * "GCP_PROJECT_ID"): v = os.getenv(k)` then `if v: break` (or `if os.getenv(k): return …`).
 * Candidates: none is needed alone. `key`: the loop's variable.
 */
export function firstSetWins(ctx: Ctx, loop: N, key: string): boolean {
  if (loop.type !== 'for_statement') return false;
  const body = field(loop, 'body');
  if (!body) return false;
  const text = (n: N): string => ctx.text.slice(n.startIndex, n.endIndex);
  // A call given the loop's variable (`os.getenv(k)`, `os.environ.get(k)`).
  const readsKey = (n: N): boolean => {
    if (n.type !== 'call') return false;
    const first = field(n, 'arguments')?.namedChildren.find((c) => c.type !== 'comment');
    return !!first && first.type === 'identifier' && text(first) === key;
  };
  const holders = new Set<string>();
  for (const st of body.namedChildren) {
    const a = st.type === 'expression_statement' ? st.namedChild(0) : null;
    const left = a?.type === 'assignment' ? field(a, 'left') : null;
    const right = a?.type === 'assignment' ? field(a, 'right') : null;
    if (left?.type === 'identifier' && right && readsKey(unparen(right))) holders.add(text(left));
    if (st.type !== 'if_statement') continue;
    const cond = field(st, 'condition');
    const c = cond ? unparen(cond) : null;
    if (!c || !(readsKey(c) || (c.type === 'identifier' && holders.has(text(c))))) continue;
    const last = field(st, 'consequence')?.namedChildren.filter((x) => x.type !== 'comment').pop();
    if (last?.type === 'break_statement' || last?.type === 'return_statement') return true;
  }
  return false;
}

/** A literal of plain strings (list, tuple, set, or a dict's keys, which is what iterating it
 * gives), or a name bound once to one. */
function literalNames(ctx: Ctx, e: N): WalkedName[] | undefined {
  const n = unparen(e);
  if (n.type === 'identifier') {
    const key = ctx.text.slice(n.startIndex, n.endIndex);
    const fn = enclosing(n, SCOPES);
    let asgs = fn?.type === 'function_definition' ? assignmentsTo(ctx, fn, key) : [];
    if (!asgs.length) {
      // A parameter of the function is what its caller gives: no literal.
      const params = fn ? field(fn, 'parameters') : null;
      if (params?.descendantsOfType('identifier').some((q) => q && ctx.text.slice(q.startIndex, q.endIndex) === key)) return undefined;
      asgs = assignmentsTo(ctx, null, key);
    }
    if (asgs.length !== 1 || !asgs[0]!.right || asgs[0]!.left.type !== 'identifier') return undefined;
    const right = unparen(asgs[0]!.right);
    return right.type === 'identifier' ? undefined : literalNames(ctx, right);
  }
  let items: N[];
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'set') items = n.namedChildren.filter((c) => c.type !== 'comment');
  else if (n.type === 'dictionary') {
    const pairs = n.namedChildren.filter((c) => c.type !== 'comment');
    if (pairs.some((c) => c.type !== 'pair')) return undefined;
    items = pairs.map((c) => field(c, 'key')!).filter(Boolean);
    if (items.length !== pairs.length) return undefined;
  } else return undefined;
  if (!items.length || items.length > MAX_NAMES) return undefined;
  const out: WalkedName[] = [];
  for (const item of items) {
    const s = plainString(ctx, unparen(item));
    if (!s || !ENV_NAME.test(s.value)) return undefined;
    out.push({ name: s.value, span: s.span });
  }
  return out;
}
