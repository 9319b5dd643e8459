/**
 * Recording a read and deciding whether it is needed: shared by the readers of `os.environ`
 * (env-reads.ts), of in-house accessors (accessors.ts) and of settings libraries (libraries.ts).
 */
import type { EnvRead, OptionalReason, Span } from '../../core/facts';
import { type Ctx, type N, type ReadHit, field, isNone, plainString, span, src, unparen } from './walk';
import { setCompared } from '../compared-text';
import { hasFallback } from './env-defaults';
import { branchContext } from './branches';
import { isRaise, readVerdict } from './usage';

export interface Need { hasDefault: boolean; optionalBecause?: OptionalReason; requiredIn?: string[]; emptyDefault?: boolean; needUnseen?: boolean; placeholderDefault?: boolean }

/**
 * Whether a `.get` / `getenv` read is needed, by what happens to its value (usage.ts): with no
 * default or a `None` one, a read whose absence is handled is optional and one rejected by a
 * `raise` is required (maybe in one environment); with an empty-string default, only such a
 * rejection makes it required. Other defaults stand in for the variable.
 */
export function judgeNeed(ctx: Ctx, read: N, dflt: N | undefined, need: Need): void {
  const emptyDefault = !!dflt && isEmptyString(unparen(dflt));
  if (need.hasDefault && !emptyDefault) return;
  if (!need.hasDefault && hasFallback(read)) {
    need.hasDefault = true;
    need.optionalBecause = 'fallback';
    return;
  }
  const v = readVerdict(ctx, read);
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
  }
}

/**
 * The texts a read's value is compared with (`os.getenv("X") == "true"`, `!= "off"`, also through
 * a text fallback and case or space calls: `os.getenv("X", "false").lower() == "true"`, `(os.getenv
 * ("X") or "").strip() in ("1", "yes")`), when a deploy setting X to one of them and one leaving X
 * unset take different branches: the default, transformed, is none of them.
 */
function comparedTexts(ctx: Ctx, read: N, dflt: N | undefined): { texts: string[]; caseless: boolean } | undefined {
  let fallback: string | undefined;
  if (dflt && !isNone(unparen(dflt))) {
    fallback = plainString(ctx, unparen(dflt))?.value;
    if (fallback === undefined) return undefined;
  }
  let caseless = false;
  let cur = read;
  for (let hops = 0; hops < 6; hops++) {
    while (cur.parent?.type === 'parenthesized_expression') cur = cur.parent;
    const p = cur.parent;
    if (!p) return undefined;
    if (p.type === 'boolean_operator' && field(p, 'left')?.id === cur.id && p.childForFieldName('operator')?.type === 'or' && fallback === undefined) {
      const right = field(p, 'right');
      fallback = right ? plainString(ctx, unparen(right))?.value : undefined;
      if (fallback === undefined) return undefined;
      cur = p;
      continue;
    }
    const call = p.parent;
    if (p.type === 'attribute' && field(p, 'object')?.id === cur.id && call?.type === 'call' && field(call, 'function')?.id === p.id &&
      field(call, 'arguments')?.namedChildCount === 0) {
      const method = src(ctx, field(p, 'attribute') ?? p);
      if (CASE_METHODS.has(method)) caseless = true;
      else if (!SPACE_METHODS.has(method)) return undefined;
      if (fallback !== undefined && SPACE_METHODS.has(method)) fallback = fallback.trim();
      cur = call;
      continue;
    }
    break;
  }
  const texts = textsMet(ctx, cur);
  if (!texts?.length) return undefined;
  const norm = (t: string): string => (caseless ? t.toLowerCase() : t);
  if (fallback !== undefined && texts.some((t) => norm(t) === norm(fallback!))) return undefined;
  return { texts, caseless };
}

const CASE_METHODS = new Set(['lower', 'upper', 'casefold']);
const SPACE_METHODS = new Set(['strip', 'lstrip', 'rstrip']);

/** The literal texts `cur` is compared with: `== "x"` / `!= "x"` either way round, or `in` a
 * tuple, list or set of texts. */
function textsMet(ctx: Ctx, cur: N): string[] | undefined {
  const cmp = cur.parent;
  if (cmp?.type !== 'comparison_operator' || cmp.namedChildCount !== 2) return undefined;
  const op = cmp.child(1)?.type;
  const first = cmp.namedChild(0)?.id === cur.id;
  const other = first ? cmp.namedChild(1) : cmp.namedChild(0);
  if (!other) return undefined;
  if (op === '==' || op === '!=') {
    const t = plainString(ctx, unparen(other))?.value;
    return t === undefined ? undefined : [t];
  }
  if ((op === 'in' || op === 'not in') && first) {
    const list = unparen(other);
    if (!['tuple', 'list', 'set'].includes(list.type)) return undefined;
    const items = list.namedChildren.filter((c) => c.type !== 'comment');
    const texts = items.map((c) => plainString(ctx, c)?.value);
    return items.length && texts.every((t) => t !== undefined) ? (texts as string[]) : undefined;
  }
  return undefined;
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
  if (!hasDefault && need.placeholderDefault) read.placeholderDefault = true;
  const compared = comparedTexts(ctx, hit.node, hit.defaultNode);
  if (compared) setCompared(read, compared);
  const b = branchContext(ctx, hit.node);
  if (b.devOnly || ctx.isTest) read.devOnly = true;
  if (b.inEnvironment) read.inEnvironment = b.inEnvironment;
  if (b.mainOnly) read.mainOnly = true;
  ctx.hits.push({ ...hit, read });
}
