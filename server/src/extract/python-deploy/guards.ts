/**
 * The branches a statement sits in, and whether each is taken for one service config. A shared
 * command builder (`def deploy(service): cmd = [...]`) adds flags under `if service.name == "auth":`,
 * `elif service.name in ("api", "worker"):`, `match service.name: case "web":` or the `else` of
 * `if service.name != "x":`; each config must get only the flags of the branches it takes.
 *
 * A condition is judged against the config's own fields: `yes`/`no` when it tests a field of the
 * builder's parameter (the holder) whose value the config states; `unknown` when it tests the
 * holder in a way we cannot decide (the config's deploy then has arguments nobody read); `free`
 * when it does not mention the holder at all (`if env_vars:`, `if args.verbose:`), which is read as
 * taken, as a standalone command's branches are.
 */
import type { DeployContext, Node } from './context';
import { named, staticString } from './strings';

export type Verdict = 'yes' | 'no' | 'unknown' | 'free';

/** One branch condition: an `if`/`elif` test, or a `case` clause of a `match`, taken or not taken. */
export type Cond =
  | { kind: 'expr'; node: Node; positive: boolean }
  | { kind: 'case'; subject: Node; clause: Node; positive: boolean };

/** All conditions must hold for the statement to run. */
export type Guard = Cond[];

/** What a guard is judged against: the builder's parameter name and one config's fields. */
export interface Subject {
  holder?: string;
  field(name: string): Node | undefined;
}

/**
 * The branch conditions between `n` and `boundary` (the block the command or list was started
 * in): a statement in an `elif` also requires every earlier test of its `if` to be false, an
 * `else` all of them, a `case` every earlier case to miss.
 */
export function guardOf(n: Node, boundary: Node | undefined): Guard {
  const out: Guard = [];
  for (let p: Node | null = n; p && p.id !== boundary?.id; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') break;
    const parent = p.parent;
    if (p.type !== 'block' || !parent) continue;
    if (parent.type === 'if_statement' && parent.childForFieldName('consequence')?.id === p.id) {
      const c = parent.childForFieldName('condition');
      if (c) out.push({ kind: 'expr', node: c, positive: true });
    } else if (parent.type === 'elif_clause' || parent.type === 'else_clause') {
      const stmt = parent.parent;
      if (stmt?.type !== 'if_statement') continue;
      const own = parent.type === 'elif_clause' ? parent.childForFieldName('condition') : null;
      if (own) out.push({ kind: 'expr', node: own, positive: true });
      const first = stmt.childForFieldName('condition');
      if (first) out.push({ kind: 'expr', node: first, positive: false });
      for (const alt of stmt.childrenForFieldName('alternative')) {
        if (alt.id === parent.id) break;
        const c = alt.type === 'elif_clause' ? alt.childForFieldName('condition') : null;
        if (c) out.push({ kind: 'expr', node: c, positive: false });
      }
    } else if (parent.type === 'case_clause') {
      const match = parent.parent?.parent;
      const subject = match?.type === 'match_statement' ? match.childForFieldName('subject') : null;
      if (!subject || !match) continue;
      out.push({ kind: 'case', subject, clause: parent, positive: true });
      for (const other of parent.parent!.namedChildren) {
        if (other.id === parent.id) break;
        if (other.type === 'case_clause') out.push({ kind: 'case', subject, clause: other, positive: false });
      }
    }
  }
  return out;
}

const not = (v: Verdict): Verdict => (v === 'yes' ? 'no' : v === 'no' ? 'yes' : v);

function and(vs: Verdict[]): Verdict {
  if (vs.includes('no')) return 'no';
  if (vs.includes('unknown')) return 'unknown';
  return vs.includes('free') ? 'free' : 'yes';
}

function or(vs: Verdict[]): Verdict {
  if (vs.includes('yes')) return 'yes';
  if (vs.includes('unknown')) return 'unknown';
  return vs.includes('free') ? 'free' : 'no';
}

/** Whether the statement guarded by `guard` runs for the subject's config. */
export function judge(cx: DeployContext, guard: Guard, s: Subject): Verdict {
  if (guard.length === 0) return 'yes';
  return and(guard.map((c) => {
    const v = c.kind === 'expr' ? truth(cx, c.node, s, 0) : caseTaken(cx, c.subject, c.clause, s);
    return c.positive ? v : not(v);
  }));
}

/** A literal's value as a comparable string (`"auth"`, `True`, `3`); undefined for anything computed. */
function literal(cx: DeployContext, n: Node | undefined): string | undefined {
  if (!n) return undefined;
  const s = staticString(n, cx.text);
  if (s) return s.value;
  if (n.type === 'integer' || n.type === 'float' || n.type === 'true' || n.type === 'false' || n.type === 'none') return n.text;
  return undefined;
}

/** The field `holder.f` / `holder["f"]` / `holder.get("f")` (or a local bound to one) reads; undefined otherwise. */
function fieldOf(cx: DeployContext, n: Node, s: Subject, depth = 0): string | undefined {
  if (!s.holder || depth > 2) return undefined;
  if (n.type === 'parenthesized_expression') return fieldOf(cx, named(n)[0], s, depth + 1);
  if (n.type === 'attribute' && n.childForFieldName('object')?.text === s.holder) return n.childForFieldName('attribute')?.text;
  if (n.type === 'subscript' && n.childForFieldName('value')?.text === s.holder) {
    const k = n.childForFieldName('subscript');
    return k ? staticString(k, cx.text)?.value : undefined;
  }
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get' && fn.childForFieldName('object')?.text === s.holder) {
      const k = named(n.childForFieldName('arguments') ?? n)[0];
      return k ? staticString(k, cx.text)?.value : undefined;
    }
  }
  // `name = service.name` earlier in the function.
  if (n.type === 'identifier') {
    const b = cx.scope.binding(n.text, n);
    return b ? fieldOf(cx, b, s, depth + 1) : undefined;
  }
  return undefined;
}

function mentions(n: Node, holder: string | undefined): boolean {
  if (!holder) return false;
  if (n.type === 'identifier') return n.text === holder;
  return n.descendantsOfType('identifier').some((i) => i.text === holder);
}

/** The strings an `in` test compares against: a tuple, list or set literal, or a name bound to one. */
function stringSet(cx: DeployContext, n: Node | undefined, depth = 0): string[] | undefined {
  if (!n || depth > 3) return undefined;
  if (n.type === 'identifier') return stringSet(cx, cx.scope.binding(n.text, n), depth + 1);
  if (n.type === 'parenthesized_expression') return stringSet(cx, named(n)[0], depth + 1);
  // `x in "abc"` tests a substring: not a set of names.
  if (n.type !== 'tuple' && n.type !== 'list' && n.type !== 'set') return undefined;
  const out: string[] = [];
  for (const e of named(n)) {
    const v = literal(cx, e);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** The config's value for a field, as a literal; undefined when it states none we can read. */
function fieldValue(cx: DeployContext, s: Subject, field: string): string | undefined {
  const v = s.field(field);
  if (!v) return undefined;
  return literal(cx, v) ?? cx.scope.resolveValue(v)?.value;
}

/** Python truthiness of a config's field: a non-empty string, True, a non-zero number, a non-empty dict or list. */
function truthy(cx: DeployContext, s: Subject, field: string): Verdict {
  const v = s.field(field);
  if (!v) return 'unknown';
  if (v.type === 'dictionary' || v.type === 'list' || v.type === 'tuple') return named(v).length > 0 ? 'yes' : 'no';
  const lit = fieldValue(cx, s, field);
  if (lit === undefined) return 'unknown';
  if (v.type === 'none' || v.type === 'false') return 'no';
  if (v.type === 'integer' || v.type === 'float') return Number(lit) !== 0 ? 'yes' : 'no';
  return lit === '' ? 'no' : 'yes';
}

function truth(cx: DeployContext, n: Node | null, s: Subject, depth: number): Verdict {
  if (!n || depth > 8) return 'unknown';
  switch (n.type) {
    case 'parenthesized_expression':
      return truth(cx, named(n)[0], s, depth + 1);
    case 'not_operator':
      return not(truth(cx, n.childForFieldName('argument'), s, depth + 1));
    case 'boolean_operator': {
      const l = truth(cx, n.childForFieldName('left'), s, depth + 1);
      const r = truth(cx, n.childForFieldName('right'), s, depth + 1);
      return n.childForFieldName('operator')?.text === 'or' ? or([l, r]) : and([l, r]);
    }
    case 'comparison_operator':
      return compare(cx, n, s);
    case 'call': {
      const v = affix(cx, n, s);
      if (v) return v;
      break;
    }
    default: {
      const f = fieldOf(cx, n, s);
      if (f !== undefined) return truthy(cx, s, f);
    }
  }
  return mentions(n, s.holder) ? 'unknown' : 'free';
}

/** `holder.f == "x"`, `!=`, `in (...)`, `not in (...)`, either way round. */
function compare(cx: DeployContext, n: Node, s: Subject): Verdict {
  const ops = named(n);
  const unknownOrFree: Verdict = mentions(n, s.holder) ? 'unknown' : 'free';
  if (ops.length !== 2) return unknownOrFree;
  const op = cx.text.slice(ops[0].endIndex, ops[1].startIndex).replace(/\s+/g, ' ').trim();
  let field = fieldOf(cx, ops[0], s);
  let other = ops[1];
  if (field === undefined && (op === '==' || op === '!=')) {
    field = fieldOf(cx, ops[1], s);
    other = ops[0];
  }
  if (field === undefined) return unknownOrFree;
  const actual = fieldValue(cx, s, field);
  if (actual === undefined) return 'unknown';
  if (op === '==' || op === '!=') {
    const want = literal(cx, other) ?? cx.scope.resolveValue(other)?.value;
    if (want === undefined) return 'unknown';
    return (actual === want) === (op === '==') ? 'yes' : 'no';
  }
  if (op === 'in' || op === 'not in') {
    const set = stringSet(cx, other);
    if (!set) return 'unknown';
    return set.includes(actual) === (op === 'in') ? 'yes' : 'no';
  }
  return 'unknown';
}

/** `holder.f.startswith("x")` / `.endswith(("a", "b"))`. */
function affix(cx: DeployContext, call: Node, s: Subject): Verdict | undefined {
  const fn = call.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (method !== 'startswith' && method !== 'endswith') return undefined;
  const field = fieldOf(cx, fn!.childForFieldName('object')!, s);
  if (field === undefined) return undefined;
  const actual = fieldValue(cx, s, field);
  const arg = named(call.childForFieldName('arguments') ?? call)[0];
  const wants = arg ? (literal(cx, arg) !== undefined ? [literal(cx, arg)!] : stringSet(cx, arg)) : undefined;
  if (actual === undefined || !wants) return 'unknown';
  const hit = wants.some((w) => (method === 'startswith' ? actual.startsWith(w) : actual.endsWith(w)));
  return hit ? 'yes' : 'no';
}

/** Whether a `case` clause matches: string or literal patterns (`"a" | "b"`), `_` for anything. */
function caseTaken(cx: DeployContext, subject: Node, clause: Node, s: Subject): Verdict {
  const field = fieldOf(cx, subject, s);
  const patterns = clause.namedChildren.filter((c) => c.type === 'case_pattern');
  const guard = clause.namedChildren.find((c) => c.type === 'if_clause');
  const guardVerdict = guard ? truth(cx, named(guard)[0], s, 0) : 'yes';
  const wildcard = patterns.some((p) => p.text === '_');
  if (wildcard) return guardVerdict;
  if (field === undefined) return mentions(subject, s.holder) ? 'unknown' : 'free';
  const actual = fieldValue(cx, s, field);
  if (actual === undefined) return 'unknown';
  const alternatives: string[] = [];
  for (const p of patterns) {
    const inner = named(p)[0];
    const opts = inner?.type === 'union_pattern' ? named(inner) : inner ? [inner] : [];
    for (const o of opts) {
      const v = literal(cx, o);
      if (v === undefined) return 'unknown';
      alternatives.push(v);
    }
  }
  return and([alternatives.includes(actual) ? 'yes' : 'no', guardVerdict]);
}
