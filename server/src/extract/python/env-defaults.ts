/**
 * Whether something stands in for a read when its variable is unset: a fallback after `or`, a
 * presence test, another read of the same `or` chain. A read with a stand-in is not required, so
 * env-unset-for-deploy must not report it.
 */
import { type Ctx, type N, type ReadHit, field, isNone, src, unparen, upParens } from './walk';

/** Operands of an `or` chain, left to right, through parentheses: `(a or b) or c` is one chain. */
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
export function linkAlternatives(ctx: Ctx): void {
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
    if (inChain.length === operands.length - 1 && operands.slice(0, -1).every((o) => inChain.some((h) => h.node.id === o.id)) &&
        !inChain.some((h) => h.defaultNode && !isNone(h.defaultNode))) {
      for (const h of inChain) h.chainEnd = operands[operands.length - 1];
    }
    // A literal operand after a read is already its default (`hasFallback`); a read with a
    // default makes the whole chain's value defined.
    for (const h of inChain) {
      // `os.environ["B"]` raises when unset: only the operands before it stand in for it.
      const others = inChain.filter((o) => o !== h && (h.kind !== 'subscript' || o.node.startIndex < h.node.startIndex));
      const alts = [...new Set(others.map((o) => o.read.name))].filter((n) => n !== h.read.name);
      if (alts.length) h.read.alternatives = alts;
      if (others.some((o) => !!o.defaultNode && !isNone(o.defaultNode))) h.read.hasDefault = true;
      // `self.config.api_key or os.getenv("X")`: an explicit value first, the variable after it.
      const before = operands.find((o) => o.startIndex < h.node.startIndex && !inChain.some((x) => x.node.id === o.id));
      if (before && isNamePath(before)) h.read.fallbackOf = src(ctx, before);
      // `resolve_url(settings.feed) or os.getenv("X")` (a config file's value first): what the call
      // returns stands in, named by the callee alone (its arguments could carry a literal).
      else if (before?.type === 'call' && field(before, 'function') && isNamePath(field(before, 'function')!)) h.read.fallbackOf = `${src(ctx, field(before, 'function')!)}(…)`;
    }
  }
}

/** A name or an attribute path (`api_key`, `self.config.api_key`): a value the code holds, never
 * a literal or a call (whose text could carry a value into a message). */
function isNamePath(n: N): boolean {
  if (n.type === 'identifier') return true;
  if (n.type !== 'attribute') return false;
  const obj = field(n, 'object');
  return !!obj && isNamePath(obj);
}

/** `read or fallback` (through parentheses and longer `or` chains): the fallback stands in when
 * the variable is unset or empty. */
export function hasFallback(n: N): boolean {
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

/** The read is only tested for presence (`if os.getenv("X"):`, `... is None`, `not ...`): an
 * unset variable then takes the other branch instead of failing. */
export function presenceTested(n: N): boolean {
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

/** `x is None`, `x == ""` and their negations: code comparing with `""` treats an empty variable
 * as unset, so these are presence tests too. */
export function comparesToNone(cmp: N, operand: N): boolean {
  if (cmp.namedChildCount !== 2) return false;
  const op = cmp.child(1)?.type;
  if (op !== 'is' && op !== 'is not' && op !== '==' && op !== '!=') return false;
  const other = cmp.namedChild(0)?.id === operand.id ? cmp.namedChild(1) : cmp.namedChild(0);
  if (!other) return false;
  const o = unparen(other);
  if (o.type === 'none') return true;
  return o.type === 'string' && o.namedChildCount === 2 && o.firstChild?.endIndex === o.lastChild?.startIndex;
}
