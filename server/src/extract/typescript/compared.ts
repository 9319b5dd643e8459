/**
 * The texts a read's value is compared with (`EnvRead.comparedWith`): `process.env.X === 'true'`,
 * also through a text fallback and case or space calls (`(process.env.X ?? 'false').toLowerCase()
 * === 'true'`, `process.env.X?.trim() !== 'off'`) and a literal list's `includes` (`['1', 'true']
 * .includes(process.env.X)`). Recorded only where a deploy setting X to one of those texts and one
 * leaving X unset take different branches: the fallback, transformed, is none of them.
 */
import { ts as tsMorphTs } from 'ts-morph';
import { climb, isEquality, isStringLike, strip } from './syntax';
import ts = tsMorphTs;

export interface Compared { texts: string[]; caseless: boolean }

const CASE_CALLS = new Set(['toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase']);
const SPACE_CALLS = new Set(['trim', 'trimStart', 'trimEnd']);

export function comparedTexts(read: ts.Node): Compared | undefined {
  let cur = climb(read);
  let fallback: string | undefined;
  let caseless = false;
  for (let hops = 0; hops < 6; hops++) {
    const p = cur.parent;
    if (!p) return undefined;
    if (ts.isBinaryExpression(p) && p.left === cur && fallback === undefined &&
      (p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      const right = strip(p.right);
      if (!isStringLike(right)) return undefined;
      fallback = right.text;
      cur = climb(p);
      continue;
    }
    if (ts.isPropertyAccessExpression(p) && p.expression === cur && ts.isCallExpression(p.parent) && p.parent.expression === p && p.parent.arguments.length === 0) {
      const method = p.name.text;
      if (CASE_CALLS.has(method)) caseless = true;
      else if (!SPACE_CALLS.has(method)) return undefined;
      if (fallback !== undefined) fallback = SPACE_CALLS.has(method) ? fallback.trim() : fallback;
      cur = climb(p.parent);
      continue;
    }
    break;
  }
  const texts = textsAt(cur);
  if (!texts?.length) return undefined;
  const norm = (s: string): string => (caseless ? s.toLowerCase() : s);
  if (fallback !== undefined && texts.some((t) => norm(t) === norm(fallback!))) return undefined;
  return { texts, caseless };
}

/** The literal texts the value at `cur` meets: the other side of an equality, or the elements of
 * a literal list whose `includes` it is given to. */
function textsAt(cur: ts.Node): string[] | undefined {
  const p = cur.parent;
  if (ts.isBinaryExpression(p) && isEquality(p.operatorToken.kind)) {
    const other = strip(p.left === cur ? p.right : p.left);
    return isStringLike(other) ? [other.text] : undefined;
  }
  if (ts.isCallExpression(p) && p.arguments.length === 1 && p.arguments[0] === cur && ts.isPropertyAccessExpression(p.expression) &&
    p.expression.name.text === 'includes') {
    const list = strip(p.expression.expression);
    if (!ts.isArrayLiteralExpression(list) || !list.elements.length) return undefined;
    const texts = list.elements.map((e) => strip(e));
    return texts.every(isStringLike) ? texts.map((t) => (t as ts.StringLiteral).text) : undefined;
  }
  return undefined;
}
