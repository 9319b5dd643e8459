/**
 * Recording a read and deciding whether it is needed: shared by the readers of `os.environ`
 * (env-reads.ts), of in-house accessors (accessors.ts) and of settings libraries (libraries.ts).
 */
import type { EnvRead, OptionalReason, Span } from '../../core/facts';
import { type Ctx, type N, type ReadHit, enclosing, span, unparen } from './walk';
import { setCompared } from '../compared-text';
import { comparedTexts } from './compared';
import { hasFallback } from './env-defaults';
import { branchContext } from './branches';
import { failsInFunctions, isRaise, readVerdict } from './usage';
import { isSecretLike } from '../../knowledge/secrets';

export interface Need { hasDefault: boolean; failsInFunctions?: boolean; optionalBecause?: OptionalReason; requiredIn?: string[]; emptyDefault?: boolean; needUnseen?: boolean; returnedBy?: string; placeholderDefault?: boolean; committedKey?: true; setsAtImport?: true; localDefault?: string; textDefault?: string }

/**
 * Whether a `.get` / `getenv` read is needed, by what happens to its value (usage.ts): with no
 * default or a `None` one, a read whose absence is handled is optional and one rejected by a
 * `raise` is required (maybe in one environment); with an empty-string default, only such a
 * rejection makes it required. Other defaults stand in for the variable. `secret`: the variable
 * holds a secret, which a comparison with a value not written here needs (usage.ts).
 */
export function judgeNeed(ctx: Ctx, read: N, dflt: N | undefined, need: Need, secret = false): void {
  const emptyDefault = !!dflt && isEmptyString(unparen(dflt));
  if (need.hasDefault && !emptyDefault) return;
  if (!need.hasDefault && hasFallback(read)) {
    need.hasDefault = true;
    need.optionalBecause = 'fallback';
    return;
  }
  const v = readVerdict(ctx, read, false, secret, emptyDefault);
  if (v.kind === 'required' && failsInFunctions(v)) need.failsInFunctions = true;
  if (need.hasDefault) {
    // `os.environ.get("TOKEN", "")` then `if not token: raise`: the empty default is rejected.
    if (v.kind === 'required' && isRaise(v)) {
      need.hasDefault = false;
      need.emptyDefault = true;
      if (v.env) need.requiredIn = v.env;
    }
    return;
  }
  if (v.kind === 'optional') {
    need.hasDefault = true;
    need.optionalBecause = v.because;
  } else if (v.kind === 'unknown' && dflt) {
    // `os.environ.get("X", None)`: the author says None will do, and no use here says otherwise.
    need.hasDefault = true;
    need.optionalBecause = 'none-default';
  } else if (v.kind === 'required' && v.env) {
    need.requiredIn = v.env;
  }
 else if (v.kind === 'unknown' && !v.returned) {
    need.needUnseen = true;
  } else if (v.kind === 'unknown' && v.getter) {
    need.returnedBy = v.getter;
  }
}

function isEmptyString(n: N): boolean {
  return n.type === 'string' && n.namedChildCount === 2 && n.firstChild?.endIndex === n.lastChild?.startIndex;
}

/** Sets what `need` says of whether the read is needed (and why not) on `read`, replacing what
 * an earlier judgment said. */
export function applyNeed(read: EnvRead, need: Need): void {
  const { hasDefault } = need;
  read.hasDefault = hasDefault;
  delete read.optionalBecause;
  delete read.requiredIn;
  delete read.emptyDefault;
  delete read.needUnseen;
  delete read.returnedBy;
  if (hasDefault && need.optionalBecause) read.optionalBecause = need.optionalBecause;
  if (!hasDefault && need.requiredIn) read.requiredIn = need.requiredIn;
  if (!hasDefault && need.emptyDefault) read.emptyDefault = true;
  if (!hasDefault && need.needUnseen) read.needUnseen = true;
  if (!hasDefault && need.returnedBy) read.returnedBy = need.returnedBy;
}

export function pushRead(ctx: Ctx, hit: Omit<ReadHit, 'read'>, name: string, nameSpan: Span, hasDefault: boolean, via: string,
  need: Omit<Need, 'hasDefault'> = {}): void {
  const read: EnvRead = { name, nameSpan, span: span(hit.node), hasDefault, via };
  applyNeed(read, { ...need, hasDefault });
  if (!hasDefault && need.placeholderDefault) read.placeholderDefault = true;
  if (!hasDefault && need.placeholderDefault && need.committedKey) read.committedKey = true;
  if (need.setsAtImport) read.setsAtImport = true;
  if (hasDefault && need.localDefault) read.localDefault = need.localDefault;
  if (hasDefault && need.textDefault !== undefined) read.textDefault = need.textDefault;
  const compared = comparedTexts(ctx, hit.node, hit.defaultNode);
  if (compared) setCompared(read, compared);
  const b = branchContext(ctx, hit.node);
  if (b.devOnly || ctx.isTest) read.devOnly = true;
  if (b.inEnvironment) read.inEnvironment = b.inEnvironment;
  if (b.mainOnly) read.mainOnly = true;
  if (need.failsInFunctions || enclosing(hit.node, ['function_definition', 'lambda'])) read.inFunction = true;
  ctx.hits.push({ ...hit, read });
}

/**
 * `os.getenv("A", os.getenv("B"))`: B's read is A's default, so A stands in for B (A is B's
 * alternative), and whether B is needed is what the code does with A's value: the inner call
 * itself is only an argument. A's read keeps its own judgment (it has a default: B).
 */
export function linkNestedDefaults(ctx: Ctx): void {
  const byNode = new Map<number, ReadHit>();
  for (const h of ctx.hits) if (h.kind === 'call') byNode.set(h.node.id, h);
  for (const outer of ctx.hits) {
    if (!outer.defaultNode) continue;
    const inner = byNode.get(unparen(outer.defaultNode).id);
    if (!inner || inner === outer || inner.read.name === outer.read.name) continue;
    inner.read.alternatives = [...new Set([...(inner.read.alternatives ?? []), outer.read.name])];
    if (inner.read.hasDefault || inner.read.placeholderDefault) continue;
    const need: Need = { hasDefault: false };
    judgeNeed(ctx, outer.node, undefined, need, isSecretLike(inner.read.name));
    applyNeed(inner.read, need);
  }
}
