/**
 * Reads that run only when another env variable is set or unset (`EnvRead.onlyWhen`): a branch
 * on a direct presence test of one variable (`if os.getenv("A"):`, `if "A" in os.environ:`, `if
 * conn:` with `conn = os.getenv("A")`, `if FLAG:` with `FLAG = env.bool("FLAG", False)`), its
 * `elif`s and `else`, `x if os.getenv("A") else y`,
 * `os.getenv("A") and <read>`, and an early `if not os.getenv("A"): return` before the read in
 * the same function. A deploy that decides such a variable the other way never runs the read.
 *
 * Kept conservative: only presence tests of one variable count (a comparison with a value names
 * an environment, branches.ts), `and` combines the tests it joins when true and `or` when false,
 * anything else decides nothing. Runs after every read is collected: a test is recognised by
 * the read it is (`ctx.hits`).
 */
import type { EnvSwitch } from '../../core/facts';
import { type Ctx, type N, type ReadHit, field, isNone, plainString, src, unparen } from './walk';
import { assignmentsTo } from './bindings';
import { namesEnvironment } from '../../knowledge/environments';

/** What a condition says when it holds and when it does not. */
interface Sides { whenTrue: EnvSwitch[]; whenFalse: EnvSwitch[] }

const NOTHING: Sides = { whenTrue: [], whenFalse: [] };

/** Sets `onlyWhen` on every read of `ctx.hits` that sits behind presence tests of other variables. */
export function collectSwitches(ctx: Ctx): void {
  if (ctx.hits.length < 2) return;
  const byNode = hitIndex(ctx);
  for (const h of ctx.hits) {
    const found = switchesOf(ctx, byNode, h.node).filter((s) => s.name !== h.read.name);
    if (found.length) h.read.onlyWhen = dedupe([...(h.read.onlyWhen ?? []), ...found]);
  }
}

/** The file's reads by their access expression: how a condition is recognised as a test of one. */
export function hitIndex(ctx: Ctx): Map<number, ReadHit> {
  const byNode = new Map<number, ReadHit>();
  for (const h of ctx.hits) byNode.set(h.node.id, h);
  return byNode;
}

/** The switches the conditions around `node` impose, up to its function (switched-calls.ts);
 * `byNode` is the file's `hitIndex`. */
export function switchesAround(ctx: Ctx, byNode: Map<number, ReadHit>, node: N): EnvSwitch[] {
  return dedupe(switchesOf(ctx, byNode, node));
}

/** The switches every condition around `node` imposes, up to its function. */
function switchesOf(ctx: Ctx, byNode: Map<number, ReadHit>, node: N): EnvSwitch[] {
  const out: EnvSwitch[] = [];
  const cond = (c: N | null, holds: boolean): void => {
    if (!c) return;
    const s = sides(ctx, byNode, c);
    out.push(...(holds ? s.whenTrue : s.whenFalse));
  };
  let cur = node;
  for (let p = node.parent; p; cur = p, p = p.parent) {
    switch (p.type) {
      case 'if_statement':
        if (field(p, 'consequence')?.id === cur.id) cond(field(p, 'condition'), true);
        break;
      case 'elif_clause':
        if (field(p, 'consequence')?.id === cur.id) {
          cond(field(p, 'condition'), true);
          for (const c of earlierConditions(p)) cond(c, false);
        }
        break;
      case 'else_clause':
        if (p.parent?.type === 'if_statement') for (const c of earlierConditions(p)) cond(c, false);
        break;
      case 'conditional_expression':
        // `a if cond else b`
        if (p.namedChild(0)?.id === cur.id) cond(p.namedChild(1), true);
        else if (p.namedChild(2)?.id === cur.id) cond(p.namedChild(1), false);
        break;
      case 'boolean_operator':
        // `cond and <read>` runs the read only when cond holds, `cond or <read>` only when not.
        if (field(p, 'right')?.id === cur.id) cond(field(p, 'left'), p.childForFieldName('operator')?.type === 'and');
        break;
      case 'block':
      case 'module':
        for (const c of leavingTests(p, cur)) cond(c, false);
        break;
      default:
        break;
    }
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') break;
  }
  return out;
}

/** The conditions of the `if` and the `elif`s before an `elif` or `else` clause. */
function earlierConditions(clause: N): N[] {
  const stmt = clause.parent;
  if (!stmt) return [];
  const out: N[] = [];
  const first = field(stmt, 'condition');
  if (first) out.push(first);
  for (const alt of stmt.childrenForFieldName('alternative')) {
    if (!alt || alt.id === clause.id) break;
    const c = field(alt, 'condition');
    if (c) out.push(c);
  }
  return out;
}

/** Conditions of `if` statements before `stmt` in `block` whose body always returns (`if not
 * os.getenv("A"): return`): what follows runs only when they did not hold. A body that raises is
 * no switch: A is required there, and what follows is needed as much. */
function leavingTests(block: N, stmt: N): N[] {
  const out: N[] = [];
  for (const s of block.namedChildren) {
    if (s.id === stmt.id) return out;
    if (s.type !== 'if_statement' || s.childrenForFieldName('alternative').length) continue;
    const body = field(s, 'consequence');
    const last = body?.namedChildren.filter((c) => c.type !== 'comment').pop();
    if (last && last.type === 'return_statement') {
      const c = field(s, 'condition');
      if (c) out.push(c);
    }
  }
  // `stmt` is not a statement of this block (a decorator, a nested clause): nothing is known.
  return [];
}

/** What a condition says about presence when it holds and when it does not. */
function sides(ctx: Ctx, byNode: Map<number, ReadHit>, c0: N, depth = 0): Sides {
  const c = unparen(c0);
  if (depth > 8) return NOTHING;
  switch (c.type) {
    case 'not_operator': {
      const a = field(c, 'argument');
      if (!a) return NOTHING;
      const s = sides(ctx, byNode, a, depth + 1);
      return { whenTrue: s.whenFalse, whenFalse: s.whenTrue };
    }
    case 'boolean_operator': {
      const l = field(c, 'left');
      const r = field(c, 'right');
      if (!l || !r) return NOTHING;
      const a = sides(ctx, byNode, l, depth + 1);
      const b = sides(ctx, byNode, r, depth + 1);
      // `A and B` holds when both do; `A or B` fails when both do. The other sides are no conjunctions,
      // except beside a flag of whether a library imported (`if bucket and GCS_AVAILABLE:`), taken
      // as true: a deployed image has its own dependencies.
      if (c.childForFieldName('operator')?.type === 'and') {
        const whenFalse = isImportFlag(ctx, r) ? a.whenFalse : isImportFlag(ctx, l) ? b.whenFalse : [];
        return { whenTrue: [...a.whenTrue, ...b.whenTrue], whenFalse };
      }
      return { whenTrue: [], whenFalse: [...a.whenFalse, ...b.whenFalse] };
    }
    case 'comparison_operator': {
      const hit = byNode.get(c.id);
      if (hit?.kind === 'in') {
        // `"A" in os.environ` / `"A" not in os.environ`
        const set = c.child(1)?.type === 'in';
        return presence(hit.read.name, set);
      }
      // `os.getenv("A") is None` / `is not None`
      if (c.namedChildCount !== 2) return NOTHING;
      const op = c.child(1)?.type;
      const a = c.namedChild(0);
      const b = c.namedChild(1);
      if (a && b && (op === '==' || op === '!=') && !isNone(b)) return valueSides(ctx, byNode, a, b, op === '!=');
      if (!a || !b || !isNone(b) || (op !== 'is' && op !== 'is not' && op !== '==' && op !== '!=')) return NOTHING;
      const name = testedName(ctx, byNode, a);
      if (!name) return NOTHING;
      return presence(name, op === 'is not' || op === '!=');
    }
    case 'call': {
      // `bool(os.getenv("A"))`
      const fn = field(c, 'function');
      const args = field(c, 'arguments');
      if (fn?.type === 'identifier' && src(ctx, fn) === 'bool' && args?.namedChildCount === 1) {
        return sides(ctx, byNode, args.namedChild(0)!, depth + 1);
      }
      const name = testedName(ctx, byNode, c);
      return name ? presence(name, true) : NOTHING;
    }
    case 'identifier':
    case 'attribute':
    case 'named_expression': {
      const name = testedName(ctx, byNode, c);
      return name ? presence(name, true) : NOTHING;
    }
    default:
      return NOTHING;
  }
}

/**
 * `mode == "jwt"` where `mode` is a variable's value (`os.getenv("A", "none").lower()`, a local
 * bound to one): the branch runs only when A is set to that value. A value that names an
 * environment is an environment branch (branches.ts), no switch; one equal to the default holds
 * when A is unset, so its other side needs A set. `!=` says so of the other side.
 */
function valueSides(ctx: Ctx, byNode: Map<number, ReadHit>, a: N, b: N, negated: boolean): Sides {
  const textOf = (n: N): string | undefined => plainString(ctx, unparen(n))?.value;
  const [lit, other] = textOf(b) !== undefined ? [textOf(b)!, a] : textOf(a) !== undefined ? [textOf(a)!, b] : [];
  if (lit === undefined || !other || lit === '' || ctx.envNames.isToken(lit)) return NOTHING;
  const source = valueOf(ctx, byNode, other, 0);
  if (!source || namesEnvironment(source.name)) return NOTHING;
  if (source.fallback === lit) {
    const set: EnvSwitch = { name: source.name, set: true };
    return negated ? { whenTrue: [set], whenFalse: [] } : { whenTrue: [], whenFalse: [set] };
  }
  const sw: EnvSwitch = { name: source.name, set: true, equals: lit, ...(source.fallback !== undefined ? { fallback: source.fallback } : {}) };
  return negated ? { whenTrue: [], whenFalse: [sw] } : { whenTrue: [sw], whenFalse: [] };
}

const CASE_CALLS = new Set(['lower', 'upper', 'strip', 'casefold']);

/** The variable whose value `e` is, with the value the code takes when it is unset: a `.get` /
 * `getenv` read (its default a plain string, or none), under `.lower()`/`.upper()`/`.strip()`, or a
 * local bound to one of those. */
function valueOf(ctx: Ctx, byNode: Map<number, ReadHit>, e0: N, depth: number): { name: string; fallback?: string } | undefined {
  const e = unparen(e0);
  if (depth > 4) return undefined;
  if (e.type === 'call') {
    const fn = field(e, 'function');
    const args = field(e, 'arguments');
    if (fn?.type === 'attribute' && args && !args.namedChildren.some((c) => c.type !== 'comment')) {
      const method = src(ctx, field(fn, 'attribute') ?? fn);
      if (CASE_CALLS.has(method)) {
        const inner = valueOf(ctx, byNode, field(fn, 'object') ?? fn, depth + 1);
        if (!inner) return undefined;
        const f = inner.fallback;
        return { name: inner.name, ...(f !== undefined ? { fallback: method === 'upper' ? f.toUpperCase() : method === 'strip' ? f.trim() : f.toLowerCase() } : {}) };
      }
    }
    const hit = byNode.get(e.id);
    if (!hit || hit.kind !== 'call') return undefined;
    if (!hit.defaultNode || isNone(hit.defaultNode)) return { name: hit.read.name };
    const d = plainString(ctx, unparen(hit.defaultNode))?.value;
    return d === undefined ? undefined : { name: hit.read.name, fallback: d };
  }
  if (e.type === 'subscript') {
    const hit = byNode.get(e.id);
    return hit?.kind === 'subscript' ? { name: hit.read.name } : undefined;
  }
  if (e.type === 'identifier') {
    const bound = boundRead(ctx, e);
    return bound ? valueOf(ctx, byNode, bound, depth + 1) : undefined;
  }
  return undefined;
}

/** A module-level name only ever assigned `True` or `False` (`try: import x; X_AVAILABLE = True
 * except ImportError: X_AVAILABLE = False`). */
function isImportFlag(ctx: Ctx, n0: N): boolean {
  const n = unparen(n0);
  if (n.type !== 'identifier') return false;
  const asgs = assignmentsTo(ctx, null, src(ctx, n));
  return asgs.length > 0 && asgs.every((a) => a.right?.type === 'true' || a.right?.type === 'false') &&
    asgs.some((a) => a.node.parent?.parent?.type === 'try_statement' || a.node.parent?.parent?.type === 'except_clause' ||
      a.node.parent?.parent?.parent?.type === 'try_statement' || a.node.parent?.parent?.parent?.type === 'except_clause');
}

function presence(name: string, set: boolean): Sides {
  return { whenTrue: [{ name, set }], whenFalse: [{ name, set: !set }] };
}

/** The variable whose value `e` is, when its truth says whether that variable is set: a
 * `.get`/`getenv` read with no default (or `None`, or `""`), a walrus or a local bound to one. */
function testedName(ctx: Ctx, byNode: Map<number, ReadHit>, e0: N): string | undefined {
  const e = unparen(e0);
  if (e.type === 'named_expression') {
    const v = field(e, 'value');
    return v ? testedName(ctx, byNode, v) : undefined;
  }
  if (e.type === 'identifier') {
    const bound = boundRead(ctx, e);
    return bound ? testedName(ctx, byNode, bound) : undefined;
  }
  // `self.bucket = os.getenv("X")` then `if self.bucket:` in the same method.
  if (e.type === 'attribute' && src(ctx, field(e, 'object') ?? e) === 'self') {
    let fn: N | null = e.parent;
    while (fn && fn.type !== 'function_definition') fn = fn.parent;
    const asgs = fn ? assignmentsTo(ctx, fn, src(ctx, e)) : [];
    const a = asgs.length === 1 ? asgs[0]! : undefined;
    return a?.right && a.node.startIndex < e.startIndex ? testedName(ctx, byNode, a.right) : undefined;
  }
  const hit = byNode.get(e.id);
  if (!hit || hit.kind !== 'call') return undefined;
  const d = hit.defaultNode ? unparen(hit.defaultNode) : undefined;
  // A default that is false when tested (`None`, `""`, and a flag's `False` or `0`, as in
  // `env.bool("X", False)`): true means the deploy set the variable.
  const falsy = !d || isNone(d) || d.type === 'false' || (d.type === 'integer' && src(ctx, d) === '0') ||
    (d.type === 'string' && src(ctx, d).replace(/^[rRuU]?/, '').length === 2);
  if (!falsy) return undefined;
  return hit.read.name;
}

/** The right side of the one assignment of a local, in its function (or the module's when the
 * function does not assign it), written before the use; undefined when it is assigned more than
 * once, as what it holds at the test is then not known. */
function boundRead(ctx: Ctx, id: N): N | undefined {
  let fn: N | null = id.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const key = src(ctx, id);
  let asgs = assignmentsTo(ctx, fn, key);
  if (fn && asgs.length === 0) {
    if (isParameter(ctx, fn, key)) return undefined;
    asgs = assignmentsTo(ctx, null, key);
  }
  if (asgs.length !== 1) return undefined;
  const a = asgs[0]!;
  if (a.left.type !== 'identifier' || !a.right || a.node.startIndex > id.startIndex) return undefined;
  return a.right;
}

function isParameter(ctx: Ctx, fn: N, name: string): boolean {
  const params = field(fn, 'parameters');
  if (!params) return false;
  return params.namedChildren.some((p) => {
    const n = p.type === 'identifier' ? p : field(p, 'name') ?? p.namedChild(0);
    return !!n && src(ctx, n) === name;
  });
}

function dedupe(list: EnvSwitch[]): EnvSwitch[] {
  const seen = new Set<string>();
  const out: EnvSwitch[] = [];
  for (const s of list) {
    const k = `${s.name}\0${s.set}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}
