/**
 * Whether a file is a standalone program rather than a module the service imports: a shebang
 * (`#!/usr/bin/env tsx`), a main-module guard (`require.main === module`, `import.meta.main`,
 * `import.meta.url` compared with `process.argv[1]`), or a top-level call of its own function or
 * one it imports from the workspace (`main()`, `run().then(…)`) in a file that exits or takes
 * arguments (`process.exit`, `process.argv`) or exports nothing and starts no server (a module
 * others import exports what they use; one that only runs a function to its end is run by
 * itself), or top-level code that awaits and exits or takes arguments, exporting nothing and
 * starting no server. A server's entry point is a program too, so the caller combines this with where the
 * file lives (knowledge/script-paths.ts).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import { isEquality, isNot, strip, topLevelFunctions } from './syntax';

export function isStandaloneProgram(sf: ts.SourceFile): boolean {
  if (sf.text.startsWith('#!')) return true;
  // Its own functions, and those it imports from the workspace (`import { main } from './migrate'`,
  // an entry kept apart so that tests can import `main` without starting a run).
  const own = new Set([...topLevelFunctions(sf, true).map((f) => f.name), ...relativeImportNames(sf)]);
  let runsOwn = false;
  for (const st of sf.statements) {
    if (ts.isIfStatement(st) && isMainGuard(st.expression)) return true;
    if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => !!d.initializer && isMainGuard(d.initializer))) return true;
    if (ts.isExpressionStatement(st) && callsOwn(st.expression, own)) runsOwn = true;
  }
  if (runsOwn) return exitsOrTakesArguments(sf) || (!exportsAnything(sf) && !startsServer(sf));
  // A script written as top-level code (`await admin.createUser(…)` in a `try`, `process.exit(1)`
  // when an argument is missing): it runs when started, exports nothing and serves nothing.
  return awaitsAtTopLevel(sf) && exitsOrTakesArguments(sf) && !exportsAnything(sf) && !startsServer(sf);
}

/** An `await` outside every function (an ES module's top-level await): the file works when run. */
function awaitsAtTopLevel(sf: ts.SourceFile): boolean {
  const stack: ts.Node[] = [...sf.statements];
  while (stack.length) {
    const n = stack.pop() as ts.Node;
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && !!n.awaitModifier)) return true;
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) continue;
    ts.forEachChild(n, (c) => { stack.push(c); });
  }
  return false;
}

/** Names bound by `import … from './x'` (relative specifiers only: a package's `config()` is no run of the file's own). */
function relativeImportNames(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.moduleSpecifier.text.startsWith('.')) continue;
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (clause.name) out.push(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) if (!e.isTypeOnly) out.push(e.name.text);
  }
  return out;
}

/** A `.listen(…)` call anywhere: the program serves until stopped, like a service's entry. */
function startsServer(sf: ts.SourceFile): boolean {
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const n = stack.pop() as ts.Node;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'listen') return true;
    ts.forEachChild(n, (c) => { stack.push(c); });
  }
  return false;
}

/** `export …` anywhere at the top level, or an assignment to `module.exports` / `exports.x`. */
function exportsAnything(sf: ts.SourceFile): boolean {
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) || ts.isExportAssignment(st)) return true;
    if (ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = st.expression.left.getText(sf);
      if (target === 'module.exports' || target.startsWith('module.exports.') || target.startsWith('exports.')) return true;
    }
  }
  return false;
}

/** `require.main === module`, `import.meta.main`, `import.meta.url === …process.argv[1]…`, inside `&&` / `||` / `!`. */
function isMainGuard(e: ts.Expression): boolean {
  const s = strip(e);
  if (isNot(s)) return isMainGuard(s.operand);
  if (isImportMeta(s, 'main')) return true;
  if (!ts.isBinaryExpression(s)) return false;
  const op = s.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) return isMainGuard(s.left) || isMainGuard(s.right);
  if (!isEquality(op)) return false;
  const l = strip(s.left);
  const r = strip(s.right);
  const requireMain = (x: ts.Expression) => ts.isPropertyAccessExpression(x) && x.name.text === 'main' && ts.isIdentifier(x.expression) && x.expression.text === 'require';
  const moduleId = (x: ts.Expression) => ts.isIdentifier(x) && x.text === 'module';
  if ((requireMain(l) && moduleId(r)) || (requireMain(r) && moduleId(l))) return true;
  return (mentions(l, isImportMetaUrl) && mentions(r, isProcessArgv)) || (mentions(r, isImportMetaUrl) && mentions(l, isProcessArgv));
}

function isImportMeta(n: ts.Node, prop: string): boolean {
  return ts.isPropertyAccessExpression(n) && n.name.text === prop && ts.isMetaProperty(n.expression) &&
    n.expression.keywordToken === ts.SyntaxKind.ImportKeyword;
}

const isImportMetaUrl = (n: ts.Node): boolean => isImportMeta(n, 'url');

function isProcessArgv(n: ts.Node): boolean {
  return ts.isPropertyAccessExpression(n) && n.name.text === 'argv' && ts.isIdentifier(n.expression) && n.expression.text === 'process';
}

/** Whether the small expression `e` contains a node `test` accepts. */
function mentions(e: ts.Node, test: (n: ts.Node) => boolean): boolean {
  if (test(e)) return true;
  return ts.forEachChild(e, (c) => (mentions(c, test) ? true : undefined)) ?? false;
}

/** `main()`, `await main()`, `void main()`, `run().then(…).catch(…)` with `main`/`run` declared in the file. */
function callsOwn(e: ts.Expression, own: ReadonlySet<string>): boolean {
  let s = strip(e);
  if (ts.isAwaitExpression(s) || ts.isVoidExpression(s)) s = strip(s.expression);
  for (let guard = 0; guard < 16 && ts.isCallExpression(s); guard++) {
    const callee = strip(s.expression);
    if (ts.isIdentifier(callee)) return own.has(callee.text);
    if (!ts.isPropertyAccessExpression(callee) || !['then', 'catch', 'finally'].includes(callee.name.text)) return false;
    s = strip(callee.expression);
  }
  return false;
}

/** The file ends its process or reads its arguments somewhere (`process.exit(…)`, `process.argv`, Deno's `exit`/`args`). */
function exitsOrTakesArguments(sf: ts.SourceFile): boolean {
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const n = stack.pop() as ts.Node;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression)) {
      const obj = n.expression.text;
      const prop = n.name.text;
      if ((obj === 'process' && (prop === 'exit' || prop === 'exitCode' || prop === 'argv')) || (obj === 'Deno' && (prop === 'exit' || prop === 'args'))) return true;
    }
    ts.forEachChild(n, (c) => { stack.push(c); });
  }
  return false;
}
