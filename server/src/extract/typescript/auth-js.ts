/**
 * Auth.js's own reads: `NextAuth({...})`, called with the default export of `next-auth`, reads
 * `AUTH_TRUST_HOST` (or `AUTH_URL`) by itself unless its config sets `trustHost`
 * (knowledge/auth-js.ts). Recorded as a read of the call (`EnvRead.impliedBy`); whether the
 * service runs `next-auth` v5 and settles it elsewhere in code is the model's to say.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { FileFacts } from '../../core/facts';
import { TRUST_HOST_ALTERNATIVES, TRUST_HOST_KEY, TRUST_HOST_VARIABLE } from '../../knowledge/auth-js';

/** Cheap test before the walk. */
export function mayCallNextAuth(text: string): boolean {
  return text.includes('next-auth') && text.includes('NextAuth(');
}

export function readAuthJsCalls(sf: ts.SourceFile, facts: FileFacts): void {
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== 'next-auth') continue;
    const name = st.importClause?.name;
    if (name && !st.importClause!.isTypeOnly) names.add(name.text);
  }
  if (!names.size) return;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && names.has(n.expression.text) && !setsTrustHost(n.arguments[0])) {
      facts.reads.push({
        name: TRUST_HOST_VARIABLE,
        nameSpan: { start: n.expression.getStart(sf), end: n.expression.end },
        span: { start: n.getStart(sf), end: n.end },
        hasDefault: false,
        via: 'Auth.js, trustHost unset',
        alternatives: [...TRUST_HOST_ALTERNATIVES],
        impliedBy: 'next-auth',
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

/** The config object literal names `trustHost` itself (`NextAuth({ trustHost: true, … })`). */
function setsTrustHost(arg: ts.Expression | undefined): boolean {
  return !!arg && ts.isObjectLiteralExpression(arg) && arg.properties.some((p) => !!p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === TRUST_HOST_KEY);
}
