/**
 * Functions that say whether variables are set: `return Boolean(env.SMTP_HOST && env.SMTP_USER)`
 * in `function smtpConfigured(env = process.env)`, `const hasStripe = () => !!process.env.STRIPE_KEY`.
 * A read after `if (!smtpConfigured()) return;` runs only when those variables are set, like one
 * after `if (!process.env.SMTP_HOST) return;` (switches.ts). Recorded for the file's own calls and,
 * for its exported functions, for other files' (`FileFacts.presenceChecks`, joined in
 * model/checked-reads.ts).
 *
 * Only a body that is one returned conjunction of presence tests counts: `A && B`, `!!A`,
 * `Boolean(…)`, `A !== undefined`, `'A' in env`, where each test reads `process.env` or a
 * parameter whose default is `process.env`. Anything else decides nothing.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import { envObject, isNot, isNullish, isStringLike, strip } from './syntax';

type Fn = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

/** The variables `fn` tests, all of which must be set for it to return true; undefined when its body is anything else. */
export function checkedNames(fn: Fn): string[] | undefined {
  // Parameters: only ones with a default (a call without arguments), those defaulting to the environment named.
  const envParams = new Set<string>();
  for (const p of fn.parameters) {
    if (!p.initializer) return undefined;
    if (ts.isIdentifier(p.name) && envObject(p.initializer) === 'process.env') envParams.add(p.name.text);
  }
  let body: ts.Expression | undefined;
  if (fn.body && ts.isBlock(fn.body)) {
    const [only, ...rest] = fn.body.statements;
    if (!only || rest.length || !ts.isReturnStatement(only) || !only.expression) return undefined;
    body = only.expression;
  } else if (fn.body) body = fn.body as ts.Expression;
  if (!body) return undefined;
  const names = conjunction(body, envParams, 0);
  return names?.length ? [...new Set(names)] : undefined;
}

function conjunction(e: ts.Expression, envParams: ReadonlySet<string>, depth: number): string[] | undefined {
  if (depth > 16) return undefined;
  const s = strip(e);
  if (isNot(s) && isNot(strip(s.operand))) return conjunction((strip(s.operand) as ts.PrefixUnaryExpression).operand, envParams, depth + 1);
  if (ts.isCallExpression(s) && ts.isIdentifier(s.expression) && s.expression.text === 'Boolean' && s.arguments.length === 1) {
    return conjunction(s.arguments[0]!, envParams, depth + 1);
  }
  if (ts.isBinaryExpression(s)) {
    const op = s.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
      const a = conjunction(s.left, envParams, depth + 1);
      const b = a && conjunction(s.right, envParams, depth + 1);
      return a && b ? [...a, ...b] : undefined;
    }
    if (op === ts.SyntaxKind.InKeyword) {
      const l = strip(s.left);
      return isStringLike(l) && isEnv(s.right, envParams) ? [l.text] : undefined;
    }
    if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
      const [value, other] = isNullish(strip(s.right)) ? [s.left, s.right] : isNullish(strip(s.left)) ? [s.right, s.left] : [];
      const name = value && other ? variableRead(value, envParams) : undefined;
      return name ? [name] : undefined;
    }
    return undefined;
  }
  const name = variableRead(s, envParams);
  return name ? [name] : undefined;
}

function isEnv(e: ts.Expression, envParams: ReadonlySet<string>): boolean {
  const s = strip(e);
  return envObject(s) === 'process.env' || (ts.isIdentifier(s) && envParams.has(s.text));
}

/** `process.env.A`, `env.A`, `env['A']`: the variable's name. */
function variableRead(e: ts.Expression, envParams: ReadonlySet<string>): string | undefined {
  const s = strip(e);
  if (ts.isPropertyAccessExpression(s) && !ts.isOptionalChain(s) && isEnv(s.expression, envParams) && ts.isIdentifier(s.name)) return s.name.text;
  if (ts.isElementAccessExpression(s) && isEnv(s.expression, envParams) && isStringLike(strip(s.argumentExpression))) {
    return (strip(s.argumentExpression) as ts.StringLiteral).text;
  }
  return undefined;
}
