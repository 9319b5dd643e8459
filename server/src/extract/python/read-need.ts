/**
 * Recording a read and deciding whether it is needed: shared by the readers of `os.environ`
 * (env-reads.ts), of in-house accessors (accessors.ts) and of settings libraries (libraries.ts).
 */
import type { EnvRead, OptionalReason, Span } from '../../core/facts';
import { type Ctx, type N, type ReadHit, span, unparen } from './walk';
import { setCompared } from '../compared-text';
import { comparedTexts } from './compared';
import { hasFallback } from './env-defaults';
import { branchContext } from './branches';
import { isRaise, readVerdict } from './usage';

export interface Need { hasDefault: boolean; optionalBecause?: OptionalReason; requiredIn?: string[]; emptyDefault?: boolean; needUnseen?: boolean; returnedBy?: string; placeholderDefault?: boolean; committedKey?: true; setsAtImport?: true; localDefault?: string }

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
  const v = readVerdict(ctx, read, false, secret);
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
  } else if (v.kind === 'unknown' && !v.returned) {
    need.needUnseen = true;
  } else if (v.kind === 'unknown' && v.getter) {
    need.returnedBy = v.getter;
  }
}

function isEmptyString(n: N): boolean {
  return n.type === 'string' && n.namedChildCount === 2 && n.firstChild?.endIndex === n.lastChild?.startIndex;
}

export function pushRead(ctx: Ctx, hit: Omit<ReadHit, 'read'>, name: string, nameSpan: Span, hasDefault: boolean, via: string,
  need: Omit<Need, 'hasDefault'> = {}): void {
  const read: EnvRead = { name, nameSpan, span: span(hit.node), hasDefault, via };
  if (hasDefault && need.optionalBecause) read.optionalBecause = need.optionalBecause;
  if (!hasDefault && need.requiredIn) read.requiredIn = need.requiredIn;
  if (!hasDefault && need.emptyDefault) read.emptyDefault = true;
  if (!hasDefault && need.needUnseen) read.needUnseen = true;
  if (!hasDefault && need.returnedBy) read.returnedBy = need.returnedBy;
  if (!hasDefault && need.placeholderDefault) read.placeholderDefault = true;
  if (!hasDefault && need.placeholderDefault && need.committedKey) read.committedKey = true;
  if (need.setsAtImport) read.setsAtImport = true;
  if (hasDefault && need.localDefault) read.localDefault = need.localDefault;
  const compared = comparedTexts(ctx, hit.node, hit.defaultNode);
  if (compared) setCompared(read, compared);
  const b = branchContext(ctx, hit.node);
  if (b.devOnly || ctx.isTest) read.devOnly = true;
  if (b.inEnvironment) read.inEnvironment = b.inEnvironment;
  if (b.mainOnly) read.mainOnly = true;
  ctx.hits.push({ ...hit, read });
}
