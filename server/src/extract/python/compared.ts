/**
 * The texts a read's value is compared with (`EnvRead.comparedWith`), as the TypeScript reader
 * (extract/typescript/compared.ts) finds them in its language.
 */
import { type Ctx, type N, field, isNone, plainString, src, unparen } from './walk';

/**
 * The texts a read's value is compared with (`os.getenv("X") == "true"`, `!= "off"`, also through
 * a text fallback and case or space calls: `os.getenv("X", "false").lower() == "true"`, `(os.getenv
 * ("X") or "").strip() in ("1", "yes")`), when a deploy setting X to one of them and one leaving X
 * unset take different branches: the default, transformed, is none of them.
 */
export function comparedTexts(ctx: Ctx, read: N, dflt: N | undefined): { texts: string[]; caseless: boolean } | undefined {
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
