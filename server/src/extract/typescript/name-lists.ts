/**
 * Variables read by walking a literal list of their names, the start-up check most Node services
 * write:
 *
 *   const required = ['DATABASE_URL', 'JWT_SECRET'];
 *   for (const key of required) if (!process.env[key]) throw new Error(`${key} missing`);
 *   const missing = required.filter((key) => !config.get(key));
 *   if (missing.length > 0) process.exit(1);
 *
 * The key of such an access stands for each name of the list: a `for…of` variable or the
 * parameter of a callback given to a list method, over an array literal of strings (inline or a
 * `const` in an enclosing block). What is done with each value is judged at the access as usual,
 * except for `filter`: the names it keeps are the missing ones, so what decides is what the code
 * does when that list is not empty.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import { climb, isStringLike, strip } from './syntax';
import { failsExpression } from './absence';

const LIST_METHODS = new Set(['filter', 'forEach', 'map', 'some', 'every', 'find', 'flatMap', 'reduce']);
const MAX_NAMES = 200;

export interface NameList {
  names: (ts.StringLiteral | ts.NoSubstitutionTemplateLiteral)[];
  /** The `filter(…)` call the key's callback is given to, whose result holds the missing names. */
  filter?: ts.CallExpression;
}

/** The list of names `key` walks, when it is such a key. */
export function nameListOf(key: ts.Identifier): NameList | undefined {
  for (let n: ts.Node = key; n.parent; n = n.parent) {
    const p = n.parent;
    if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && p.parameters.some((q) => ts.isIdentifier(q.name) && q.name.text === key.text)) {
      const first = p.parameters[0];
      if (!first || !ts.isIdentifier(first.name) || first.name.text !== key.text) return undefined;
      const call = climb(p).parent;
      if (!ts.isCallExpression(call) || call.arguments[0] !== climb(p)) return undefined;
      const callee = strip(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || !LIST_METHODS.has(callee.name.text)) return undefined;
      const names = literalNames(callee.expression, call);
      if (!names) return undefined;
      return callee.name.text === 'filter' ? { names, filter: call } : { names };
    }
    if (ts.isForOfStatement(p) && n === p.statement) {
      const init = p.initializer;
      if (ts.isVariableDeclarationList(init) && init.declarations.length === 1 && ts.isIdentifier(init.declarations[0]!.name) &&
          init.declarations[0]!.name.text === key.text) {
        const names = literalNames(p.expression, p);
        return names ? { names } : undefined;
      }
    }
    if (ts.isFunctionLike(p) && !ts.isArrowFunction(p) && !ts.isFunctionExpression(p)) return undefined;
  }
  return undefined;
}

/** An array literal of strings, or a `const` bound to one in a block enclosing `use`. */
function literalNames(e: ts.Expression, use: ts.Node): NameList['names'] | undefined {
  const s = strip(e);
  if (ts.isArrayLiteralExpression(s)) {
    const els = s.elements.map((x) => strip(x as ts.Expression));
    if (els.length === 0 || els.length > MAX_NAMES || !els.every(isStringLike)) return undefined;
    return els as NameList['names'];
  }
  if (!ts.isIdentifier(s)) return undefined;
  for (let n: ts.Node | undefined = use.parent; n; n = n.parent) {
    if (!ts.isBlock(n) && !ts.isSourceFile(n) && !ts.isModuleBlock(n)) continue;
    for (const st of n.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === s.text && d.initializer && ts.isArrayLiteralExpression(strip(d.initializer))) {
          return literalNames(d.initializer, d);
        }
      }
    }
  }
  return undefined;
}

/**
 * What the code does once `filter` has kept the missing names: `true` when a test of the
 * result's length leads to a `throw` / `process.exit` (in any branch under it: `if (production)
 * exit()`), `false` when nothing fails.
 */
export function missingNamesFail(filter: ts.CallExpression): boolean {
  const decl = climb(filter).parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return false;
  const name = decl.name.text;
  const block = decl.parent?.parent?.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
  const mayFail = (s: ts.Node | undefined): boolean => {
    if (!s) return false;
    if (ts.isThrowStatement(s)) return true;
    if (ts.isExpressionStatement(s)) return failsExpression(s.expression);
    if (ts.isBlock(s)) return s.statements.some(mayFail);
    if (ts.isIfStatement(s)) return mayFail(s.thenStatement) || mayFail(s.elseStatement);
    return false;
  };
  const testsLength = (c: ts.Node): boolean => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(n) && n.name.text === 'length' && ts.isIdentifier(strip(n.expression)) &&
          (strip(n.expression) as ts.Identifier).text === name) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(c);
    return found;
  };
  return block.statements.some((st) => st.pos >= decl.end && ts.isIfStatement(st) && testsLength(st.expression) && mayFail(st.thenStatement));
}
