/**
 * Secret Manager gates: code fetching secrets only when one variable taken to mean "on GCP" is
 * present (`if os.getenv("GCP_PROJECT_ID"):`). Cloud Run does not set the project variables, so a
 * deploy that forgets the one tested silently runs without secrets; secret-manager-gate widens
 * the test to every signal, and needs the condition's text and the name's place in it for that.
 */
import type { SecretGateFact } from '../../core/facts';
import { GCP_PRESENCE_SIGNALS } from '../../knowledge/platform';
import { type Ctx, type N, type ReadHit, allDefs, enclosing, field, span, src, unparen, upParens } from './walk';
import { comparesToNone } from './env-defaults';

/** What marks Secret Manager code: a GCP check elsewhere decides something else, not a gate. */
const SECRET_MANAGER = /secret_?manager|gcp_secret|gcp_available/i;

export function collectGates(ctx: Ctx): void {
  // A gate is judged per function: one signal tested there, or several (already alternatives).
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
  // Secret Manager code: functions whose name or body mentions it, and methods of a Secret
  // Manager class.
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
  // A helper called from Secret Manager code (`self._is_gcp_available()`) gates it as much as an
  // inline test. Calls are matched by name, as one file tells no more, up to three calls deep.
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
      // `os.getenv("GOOGLE_CLOUD_PROJECT") or os.getenv("PROJECT_ID")`: the value, under two names,
      // not a test of being on GCP.
      if (hasEnvAlternative(ctx, h)) continue;
      const test = gateCondition(ctx, h, fn);
      if (!test || seen.has(test.startIndex)) continue;
      seen.add(test.startIndex);
      const cs = span(test);
      // A test of a local the read was bound to (`project = get("X")` … `if not project:`) names
      // no variable: nothing to repeat per signal, so no rewrite is offered for it.
      const inside = h.read.nameSpan.start >= cs.start && h.read.nameSpan.end <= cs.end;
      const gate: SecretGateFact = {
        names: [h.read.name],
        conditionSpan: cs,
        conditionText: src(ctx, test),
        nameOffsets: inside ? [{ name: h.read.name, start: h.read.nameSpan.start - cs.start, end: h.read.nameSpan.end - cs.start }] : [],
        language: 'python',
        functionName: nameOf(fn),
      };
      ctx.facts.gates.push(gate);
    }
  }
  ctx.facts.gates.sort((a, b) => a.conditionSpan.start - b.conditionSpan.start);
}

/** The read is an operand of an `or` whose other operands read another variable. */
function hasEnvAlternative(ctx: Ctx, h: ReadHit): boolean {
  let { parent } = upParens(h.node);
  while (parent?.type === 'boolean_operator' && parent.childForFieldName('operator')?.type === 'or') {
    const p = parent;
    if (ctx.hits.some((o) => o !== h && o.read.name !== h.read.name && o.node.startIndex >= p.startIndex && o.node.endIndex <= p.endIndex)) return true;
    parent = upParens(p).parent;
  }
  return false;
}

/** The smallest expression testing the read's presence, when it decides a boolean: the fix
 * repeats exactly that expression once per signal. */
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
  // Only a test that decides something is a gate: it must reach a condition, a boolean `return`
  // or an assignment, through `and` / `or` / `not`.
  let cur = test;
  let viaBool = false;
  // Whether the condition holds when the variable is set, while only `and` / `not` were climbed.
  let whenSet: boolean | undefined = test.type === 'not_operator' || (test.type === 'comparison_operator' && test.child(1)?.type !== 'is not' && test.child(1)?.type !== '!=' && test.child(1)?.type !== 'in')
    ? undefined : true;
  if (h.kind === 'in') whenSet = test.child(1)?.type === 'in' ? true : undefined;
  for (;;) {
    const { node, parent } = upParens(cur);
    if (!parent) return undefined;
    if (parent.type === 'boolean_operator' || parent.type === 'not_operator') {
      const or = parent.type === 'boolean_operator' && parent.childForFieldName('operator')?.type !== 'and';
      // `project_id or os.getenv("GOOGLE_CLOUD_PROJECT")` assigned or returned is a value with a
      // fallback, not a test: only `and` / `not` make one.
      if (!or) viaBool = true;
      if (parent.type === 'not_operator') whenSet = whenSet === undefined ? undefined : !whenSet;
      else if (or) whenSet = undefined;
      cur = parent;
      continue;
    }
    switch (parent.type) {
      case 'if_statement':
        // `if not is_prod and os.getenv("GCP_PROJECT_ID"): raise …`: a guard refusing a
        // configuration, not a switch choosing where secrets come from.
        if (field(parent, 'condition')?.id === node.id && whenSet === true && onlyRaises(parent)) return undefined;
        return field(parent, 'condition')?.id === node.id ? test : undefined;
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
      case 'assignment': {
        if (field(parent, 'right')?.id !== node.id) return undefined;
        if (tested || viaBool) return test;
        return aliasTest(ctx, parent, fn);
      }
      default:
        return undefined;
    }
  }
}

/** `project = os.getenv("GCP_PROJECT_ID")` then `if not project: return None` (or `is None`,
 * `raise`) in the same function: that test is the gate. A test whose missing branch goes on
 * (`if project: return project` then the metadata server) is a fallback, not a gate. */
function aliasTest(ctx: Ctx, asg: N, fn: N): N | undefined {
  const left = field(asg, 'left');
  if (left?.type !== 'identifier') return undefined;
  const name = src(ctx, left);
  for (const stmt of [...fn.descendantsOfType('if_statement'), ...fn.descendantsOfType('elif_clause')]) {
    if (stmt.startIndex < asg.endIndex) continue;
    const cond = field(stmt, 'condition');
    if (!cond) continue;
    const c = unparen(cond);
    const operand = c.type === 'not_operator' ? field(c, 'argument') : c.type === 'comparison_operator' && c.namedChildCount === 2 ? c.namedChild(0) : undefined;
    if (operand?.type !== 'identifier' || src(ctx, operand) !== name) continue;
    if (c.type === 'comparison_operator' && (!comparesToNone(c, operand) || c.child(1)?.type !== 'is' && c.child(1)?.type !== '==')) continue;
    if (!givesUp(ctx, field(stmt, 'consequence'))) continue;
    return cond;
  }
  return undefined;
}

/** A block that ends the function without a value (`return`, `return None`, `return False`,
 * `return {}`) or raises: the code gives up when the project is missing. */
function givesUp(ctx: Ctx, block: N | null): boolean {
  const last = block?.namedChildren.filter((c) => c.type !== 'comment').pop();
  if (!last) return false;
  if (last.type === 'raise_statement') return true;
  if (last.type !== 'return_statement') return false;
  const v = last.namedChild(0);
  return !v || ['none', 'false', 'dictionary', 'list'].includes(v.type) && (v.type === 'none' || v.type === 'false' || v.namedChildCount === 0);
}

/** An `if` without `elif`/`else` whose body only raises. */
function onlyRaises(stmt: N): boolean {
  if (stmt.childrenForFieldName('alternative').some((a) => !!a)) return false;
  const body = field(stmt, 'consequence')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  return body.length > 0 && body.every((c) => c.type === 'raise_statement');
}
