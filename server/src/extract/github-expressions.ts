/**
 * GitHub Actions expressions (`${{ env.REGION }}`, `${{ matrix.service }}`, `${{ inputs.environment
 * || 'staging' }}`) evaluated against what a workflow says statically: its `env:` maps, one matrix
 * combination, a reusable workflow's inputs. Only property paths, string literals and `||` are
 * read; anything else (`secrets.X`, `vars.X`, `github.sha`, function calls) stays dynamic. The
 * grammar is GitHub's: https://docs.github.com/en/actions/learn-github-actions/expressions
 */

/** Known values by path (`env.REGION`, `matrix.service`, `matrix.site.region`); `undefined`: set,
 * to something we can't see. `closed` contexts are known whole: a path missing from them is empty,
 * as GitHub evaluates it. */
export interface ExpressionScope {
  values: Record<string, string | undefined>;
  closed: ReadonlySet<string>;
  /** Paths not static but known in part (a step's output built from `$SHORT_SHA`), as text with
   * the parts known only at run time as written: `us-docker.pkg.dev/p/app:$SHORT_SHA`. */
  partial?: Record<string, string>;
}

export const EMPTY_SCOPE: ExpressionScope = { values: {}, closed: new Set() };

const EXPR = /\$\{\{([\s\S]*?)\}\}/g;

/** `matrix['service']`, `matrix.service` → `matrix.service`; undefined for anything else. */
function pathOf(operand: string): string | undefined {
  const s = operand.trim();
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\s*'[^']*'\s*\])*$/.test(s)) return undefined;
  return s.replace(/\[\s*'([^']*)'\s*\]/g, '.$1');
}

function operandValue(operand: string, scope: ExpressionScope): { known: boolean; value?: string } {
  const s = operand.trim();
  const str = /^'((?:[^']|'')*)'$/.exec(s);
  if (str) return { known: true, value: str[1].replace(/''/g, "'") };
  if (/^-?\d+(\.\d+)?$/.test(s) || s === 'true' || s === 'false') return { known: true, value: s };
  const path = pathOf(s);
  if (!path) return { known: false };
  if (Object.prototype.hasOwnProperty.call(scope.values, path)) {
    const value = scope.values[path];
    return value === undefined ? { known: false } : { known: true, value };
  }
  const root = path.split('.')[0];
  return scope.closed.has(root) ? { known: true, value: '' } : { known: false };
}

/** The value of one expression's inside (`env.REGION`), or undefined when not static. */
export function evaluateExpression(inner: string, scope: ExpressionScope): string | undefined {
  // `a || b || 'c'`: the first truthy operand (an empty string is falsy).
  const parts = splitOr(inner);
  if (!parts) return undefined;
  for (let i = 0; i < parts.length; i++) {
    const v = operandValue(parts[i], scope);
    if (!v.known) return undefined;
    if (v.value !== '' || i === parts.length - 1) return v.value;
  }
  return undefined;
}

/** Splits on `||` outside string literals; undefined when the expression uses other operators. */
function splitOr(inner: string): string[] | undefined {
  const parts: string[] = [];
  let cur = '';
  let inStr = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "'") inStr = !inStr;
    if (!inStr && c === '|' && inner[i + 1] === '|') {
      parts.push(cur);
      cur = '';
      i++;
      continue;
    }
    if (!inStr && /[()&!=<>,]/.test(c)) return undefined;
    cur += c;
  }
  if (inStr) return undefined;
  parts.push(cur);
  return parts;
}

/** The text a lone path known in part stands for (`ExpressionScope.partial`). */
function partialText(inner: string, scope: ExpressionScope): string | undefined {
  if (!scope.partial) return undefined;
  const path = pathOf(inner);
  return path !== undefined && Object.prototype.hasOwnProperty.call(scope.partial, path) ? scope.partial[path] : undefined;
}

/** Every `${{ … }}` in `text` with its value (undefined: dynamic) and, for a dynamic one known in
 * part, the text it stands for. */
export function expressionsIn(text: string, scope: ExpressionScope): { start: number; end: number; value?: string; written?: string }[] {
  const out: { start: number; end: number; value?: string; written?: string }[] = [];
  if (!text.includes('${{')) return out;
  for (const m of text.matchAll(EXPR)) {
    const start = m.index ?? 0;
    const value = evaluateExpression(m[1], scope);
    const written = value === undefined ? partialText(m[1], scope) : undefined;
    out.push(written === undefined ? { start, end: start + m[0].length, value } : { start, end: start + m[0].length, value, written });
  }
  return out;
}

/** `text` with every expression filled in, or undefined when one is not static. */
export function substitute(text: string, scope: ExpressionScope): string | undefined {
  let out = '';
  let pos = 0;
  for (const e of expressionsIn(text, scope)) {
    if (e.value === undefined) return undefined;
    out += text.slice(pos, e.start) + e.value;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** The text with every static expression filled in, one known in part as the text it stands for,
 * and the others kept as written (`A=1,B=${{ secrets.B }}`). */
export function substituteKnown(text: string, scope: ExpressionScope): string {
  let out = '';
  let pos = 0;
  for (const e of expressionsIn(text, scope)) {
    out += text.slice(pos, e.start) + (e.value ?? e.written ?? text.slice(e.start, e.end));
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** An image reference with every expression of its repository filled in; a dynamic tag is kept as
 * written (`…/api:${{ github.sha }}`): the repository names the image a build made, whatever its
 * tag. Undefined when an expression before the tag is not static. */
export function substituteImage(text: string, scope: ExpressionScope): string | undefined {
  const whole = substitute(text, scope);
  if (whole !== undefined) return whole;
  const slash = text.lastIndexOf('/');
  const colon = text.indexOf(':', slash + 1);
  if (slash < 0 || colon < 0) return undefined;
  const repo = substitute(text.slice(0, colon), scope);
  return repo === undefined ? undefined : repo + text.slice(colon);
}
