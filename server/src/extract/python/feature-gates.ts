/**
 * Reads a class needs only while a feature another variable switches on is on (`EnvRead.onlyWhen`):
 *
 *     self.registry = os.getenv("REGISTRY_ADDRESS")
 *     self.signer_key = os.getenv("SIGNER_KEY")
 *     if self.registry: self.contract = connect(self.registry)
 *     else: self.contract = None                       # the feature is off
 *     …
 *     def store(self):
 *         if not self.contract: raise ValueError(…)     # refused before the key is touched
 *         if not self.signer_key: raise ValueError(…)
 *
 * Every use of `self.signer_key` that could break sits after an early exit on `self.contract`,
 * which only a set REGISTRY_ADDRESS fills: a deploy leaving REGISTRY_ADDRESS unset never reaches
 * them, so the key is needed only where REGISTRY_ADDRESS is set. Kept narrow: one attribute
 * holding the read, one feature attribute assigned `None` on one side and a value only under a
 * presence test of one variable, and an early `raise`/`return` on its absence (`not self.x`, `self.x
 * is None`) among the statements of the method before the use.
 */
import type { EnvSwitch } from '../../core/facts';
import { type Ctx, type N, type ReadHit, enclosing, field, isNone, src, unparen } from './walk';
import { attrUseCopes } from './usage';

export function collectFeatureGates(ctx: Ctx): void {
  if (ctx.hits.length < 2 || !ctx.text.includes('self.')) return;
  const byNode = new Map<number, ReadHit>();
  for (const h of ctx.hits) byNode.set(h.node.id, h);
  features.clear();
  for (const h of ctx.hits) {
    if (h.read.hasDefault && !h.read.emptyDefault) continue;
    const holder = selfHolder(ctx, h.node);
    if (!holder) continue;
    const sw = featureSwitchOf(ctx, byNode, holder);
    if (!sw || sw.name === h.read.name) continue;
    h.read.onlyWhen = [...(h.read.onlyWhen ?? []).filter((s) => s.name !== sw.name), sw];
  }
}

/** `self.<attr> = <read>` in a method: the attribute, its class and the assigning method. */
function selfHolder(ctx: Ctx, read: N): { attr: string; cls: N; origin: N; asg: N } | undefined {
  let cur = read;
  while (cur.parent?.type === 'parenthesized_expression') cur = cur.parent;
  const asg = cur.parent;
  if (asg?.type !== 'assignment' || field(asg, 'right')?.id !== cur.id) return undefined;
  const attr = selfAttr(ctx, field(asg, 'left'));
  const origin = enclosing(asg, ['function_definition']);
  const cls = origin ? enclosing(origin, ['class_definition', 'function_definition']) : null;
  if (!attr || !origin || cls?.type !== 'class_definition') return undefined;
  return { attr, cls, origin, asg };
}

/** The switch every breaking use of the holder sits behind, when there is one and only one. */
function featureSwitchOf(ctx: Ctx, byNode: Map<number, ReadHit>, h: { attr: string; cls: N; origin: N; asg: N }): EnvSwitch | undefined {
  let found: EnvSwitch | undefined;
  for (const ref of attrRefs(ctx, h.cls, h.attr)) {
    if (ref.startIndex >= h.asg.startIndex && ref.endIndex <= h.asg.endIndex) continue;
    if (attrUseCopes(ctx, h.cls, h.attr, ref)) continue;
    const fn = enclosing(ref, ['function_definition']);
    if (!fn || fn.id === h.origin.id) return undefined;
    const sw = gateBefore(ctx, byNode, h.cls, fn, ref);
    if (!sw || (found && found.name !== sw.name)) return undefined;
    found = sw;
  }
  return found;
}

/** `self.<attr>` nodes anywhere in the class. */
function attrRefs(ctx: Ctx, cls: N, attr: string): N[] {
  return cls.descendantsOfType('attribute').filter((a): a is N => !!a && selfAttr(ctx, a) === attr);
}

function selfAttr(ctx: Ctx, n: N | null): string | undefined {
  if (n?.type !== 'attribute') return undefined;
  const obj = field(n, 'object');
  const name = field(n, 'attribute');
  return obj?.type === 'identifier' && src(ctx, obj) === 'self' && name ? src(ctx, name) : undefined;
}

/** An early exit on a missing feature attribute among the statements of `fn`'s body before the
 * one holding `ref`: the variable that switches that feature on. */
function gateBefore(ctx: Ctx, byNode: Map<number, ReadHit>, cls: N, fn: N, ref: N): EnvSwitch | undefined {
  const body = field(fn, 'body');
  if (!body) return undefined;
  for (const stmt of body.namedChildren) {
    if (stmt.startIndex >= ref.startIndex) return undefined;
    if (stmt.type !== 'if_statement' || stmt.childrenForFieldName('alternative').some((a) => !!a)) continue;
    const last = field(stmt, 'consequence')?.namedChildren.filter((c) => c.type !== 'comment').pop();
    if (last?.type !== 'raise_statement' && last?.type !== 'return_statement') continue;
    const attr = missingTestOf(ctx, field(stmt, 'condition'));
    const sw = attr ? switchOfFeature(ctx, byNode, cls, attr) : undefined;
    if (sw) return sw;
  }
  return undefined;
}

/** `not self.x` / `self.x is None`: the attribute whose absence the condition tests. */
function missingTestOf(ctx: Ctx, cond0: N | null): string | undefined {
  if (!cond0) return undefined;
  const cond = unparen(cond0);
  if (cond.type === 'not_operator') return selfAttr(ctx, unparenOrNull(field(cond, 'argument')));
  if (cond.type === 'comparison_operator' && cond.namedChildCount === 2 && cond.child(1)?.type === 'is' && isNone(cond.namedChild(1) ?? undefined)) {
    return selfAttr(ctx, unparenOrNull(cond.namedChild(0)));
  }
  return undefined;
}

const unparenOrNull = (n: N | null): N | null => (n ? unparen(n) : null);

/** Per class and attribute, in the file being read: what `switchOfFeature` found. */
const features = new Map<string, EnvSwitch | undefined>();

/** The feature attribute is `None` somewhere and given a value only under a presence test of one
 * variable (`if self.address:` with `self.address = os.getenv("A")`, or `if os.getenv("A"):`). */
function switchOfFeature(ctx: Ctx, byNode: Map<number, ReadHit>, cls: N, attr: string): EnvSwitch | undefined {
  const key = `${cls.id}:${attr}`;
  if (features.has(key)) return features.get(key);
  const found = findSwitchOfFeature(ctx, byNode, cls, attr);
  features.set(key, found);
  return found;
}

function findSwitchOfFeature(ctx: Ctx, byNode: Map<number, ReadHit>, cls: N, attr: string): EnvSwitch | undefined {
  let sawNone = false;
  let name: string | undefined;
  for (const a of cls.descendantsOfType('assignment')) {
    if (!a || selfAttr(ctx, field(a, 'left')) !== attr) continue;
    const right = field(a, 'right');
    if (!right || isNone(unparen(right))) {
      sawNone = true;
      continue;
    }
    const test = enclosingTest(a);
    const n = test ? presenceName(ctx, byNode, cls, test) : undefined;
    if (!n || (name && name !== n)) return undefined;
    name = n;
  }
  return sawNone && name ? { name, set: true } : undefined;
}

/** The condition of the `if` whose body holds `n` (not its `else`), within the method. */
function enclosingTest(n: N): N | null {
  let cur = n;
  for (let p = n.parent; p && p.type !== 'function_definition'; cur = p, p = p.parent) {
    if (p.type === 'if_statement' && field(p, 'consequence')?.id === cur.id) return field(p, 'condition');
  }
  return null;
}

/** The variable a truthiness test checks: a read with no default, or `self.x` bound once to one. */
function presenceName(ctx: Ctx, byNode: Map<number, ReadHit>, cls: N, cond0: N): string | undefined {
  const cond = unparen(cond0);
  const direct = readName(byNode, cond);
  if (direct) return direct;
  const attr = selfAttr(ctx, cond);
  if (!attr) return undefined;
  const sources = cls.descendantsOfType('assignment').filter((a): a is N => !!a && selfAttr(ctx, field(a, 'left')) === attr);
  const right = sources.length === 1 ? field(sources[0]!, 'right') : null;
  return right ? readName(byNode, unparen(right)) : undefined;
}

function readName(byNode: Map<number, ReadHit>, n: N): string | undefined {
  const hit = byNode.get(n.id);
  if (!hit || hit.kind !== 'call') return undefined;
  return !hit.defaultNode || isNone(unparen(hit.defaultNode)) ? hit.read.name : undefined;
}
