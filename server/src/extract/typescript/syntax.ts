/** Small syntax helpers over raw compiler nodes, shared by the concerns of the walk. No project knowledge beyond `process.env` / `import.meta.env`. */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;

export function isWrapper(n: ts.Node): n is ts.ParenthesizedExpression | ts.NonNullExpression | ts.AsExpression | ts.TypeAssertion | ts.SatisfiesExpression {
  return ts.isParenthesizedExpression(n) || ts.isNonNullExpression(n) || ts.isAsExpression(n) ||
    ts.isTypeAssertionExpression(n) || ts.isSatisfiesExpression(n);
}

/** The expression under parentheses, `!`, `as`, `satisfies` and `<T>` wrappers. */
export function strip(e: ts.Expression): ts.Expression {
  while (isWrapper(e)) e = e.expression;
  return e;
}

/** The outermost wrapper around `n` (the node its context sees). */
export function climb(n: ts.Node): ts.Node {
  let c = n;
  while (c.parent && isWrapper(c.parent)) c = c.parent;
  return c;
}

export function isStringLike(n: ts.Node): n is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n);
}

export function isAssignmentOp(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

export function isEquality(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

export function isNegativeEquality(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

export function isNot(n: ts.Node): n is ts.PrefixUnaryExpression {
  return ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken;
}

/** `null`, `undefined`, `void 0`. */
export function isNullishLiteral(e: ts.Expression): boolean {
  const s = strip(e);
  return s.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(s) && s.text === 'undefined') || ts.isVoidExpression(s);
}

/** A nullish literal or the empty string. */
export function isNullish(e: ts.Expression): boolean {
  const s = strip(e);
  return isNullishLiteral(s) || (isStringLike(s) && s.text === '');
}

export function propName(n: ts.PropertyName | ts.BindingName): string | undefined {
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

/** `process.env` / `import.meta.env` (through wrappers), as the `via` of reads from it. */
export function envObject(e: ts.Expression): string | undefined {
  const s = strip(e);
  if (!ts.isPropertyAccessExpression(s) || s.name.text !== 'env') return undefined;
  const o = strip(s.expression);
  if (ts.isIdentifier(o) && o.text === 'process') return 'process.env';
  if (ts.isMetaProperty(o) && o.keywordToken === ts.SyntaxKind.ImportKeyword && o.name.text === 'meta') return 'import.meta.env';
  return undefined;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X` (through wrappers): the object, as
 * `envObject` names it, and the variable. */
export function envAccess(e: ts.Expression): { via: string; name: string } | undefined {
  const s = strip(e);
  if (!ts.isPropertyAccessExpression(s) && !ts.isElementAccessExpression(s)) return undefined;
  const via = envObject(s.expression);
  if (!via) return undefined;
  if (ts.isPropertyAccessExpression(s)) return ts.isIdentifier(s.name) ? { via, name: s.name.text } : undefined;
  const key = strip(s.argumentExpression);
  return isStringLike(key) ? { via, name: key.text } : undefined;
}

/** The object literal holding an `env: { … }` property whose object `value` is a value of
 * (`{ env: { X: value } }`: a child process's options, a Next.js config), or undefined. */
export function envKeyHolder(value: ts.Node): ts.ObjectLiteralExpression | undefined {
  const prop = value.parent;
  if (!ts.isPropertyAssignment(prop) || prop.initializer !== value || !ts.isObjectLiteralExpression(prop.parent)) return undefined;
  const envLiteral = climb(prop.parent);
  const envProp = envLiteral.parent;
  if (!ts.isPropertyAssignment(envProp) || envProp.initializer !== envLiteral) return undefined;
  const key = envProp.name;
  if (!(ts.isIdentifier(key) || ts.isStringLiteral(key)) || key.text !== 'env') return undefined;
  return ts.isObjectLiteralExpression(envProp.parent) ? envProp.parent : undefined;
}

export function isRequire(e: ts.Expression, module: string): boolean {
  const s = strip(e);
  return ts.isCallExpression(s) && ts.isIdentifier(s.expression) && s.expression.text === 'require' &&
    s.arguments.length === 1 && isStringLike(s.arguments[0]) && s.arguments[0].text === module;
}

export function topStatement(n: ts.Node): ts.Node {
  let c = n;
  while (c.parent && !ts.isSourceFile(c.parent)) c = c.parent;
  return c;
}

/** Return expressions of a function body, not of functions nested in it. */
export function collectReturns(body: ts.Node, out: ts.Expression[]): void {
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression) out.push(n.expression);
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
}

/** `f(...)` or `x.f(...)` with `f` one of `names`. */
export function calleeNamed(n: ts.CallExpression, names: readonly string[]): boolean {
  const name = calleeName(n);
  return name !== undefined && names.includes(name);
}

/** The called function's own name: `parse` in `v.parse(…)` and in `parse(…)`. */
export function calleeName(n: ts.CallExpression): string | undefined {
  const c = strip(n.expression);
  if (ts.isIdentifier(c)) return c.text;
  return ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
}

/** The property `key` of an object literal (`{ key: v }`), not shorthand or spread. */
export function objectProperty(o: ts.ObjectLiteralExpression, key: string): ts.PropertyAssignment | undefined {
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === key) return p;
  }
  return undefined;
}

/** A file's top-level functions under their own names: `function f` declarations (with a body,
 * unless `withoutBody`) and `const f = (…) => …` / function expressions. */
/** The methods (with a body) of the file's classes, as `this.<name>`: one a class calls on itself.
 * A name two classes of the file declare is left out (which one a call means is not known here). */
export function ownMethods(sf: ts.SourceFile): { name: string; fn: ts.MethodDeclaration }[] {
  // Asked by the passes (names) and by the parameters' judgement (nodes): one walk per file.
  let found = methodsOf.get(sf);
  if (!found) methodsOf.set(sf, (found = findOwnMethods(sf)));
  return found;
}

const methodsOf = new WeakMap<ts.SourceFile, { name: string; fn: ts.MethodDeclaration }[]>();

function findOwnMethods(sf: ts.SourceFile): { name: string; fn: ts.MethodDeclaration }[] {
  const byName = new Map<string, ts.MethodDeclaration[]>();
  const visit = (n: ts.Node): void => {
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) {
      for (const m of n.members) {
        if (!ts.isMethodDeclaration(m) || !m.body || !ts.isIdentifier(m.name)) continue;
        const list = byName.get(m.name.text) ?? [];
        list.push(m);
        byName.set(m.name.text, list);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return [...byName].filter(([, list]) => list.length === 1).map(([name, list]) => ({ name: `this.${name}`, fn: list[0]! }));
}

export function topLevelFunctions(sf: ts.SourceFile, withoutBody = false): { name: string; fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression }[] {
  const out: { name: string; fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression }[] = [];
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && (st.body || withoutBody)) out.push({ name: st.name.text, fn: st });
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && strip(d.initializer);
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) out.push({ name: d.name.text, fn: init });
      }
    }
  }
  return out;
}

/** Functions bound to a `const` inside another function (`const pick = (key, env, d = '') => …`),
 * by local name, where the name is bound once in the file: a value passed to one is judged by its
 * parameter, as for a top-level function. */
export function nestedConstFunctions(sf: ts.SourceFile): { name: string; fn: ts.ArrowFunction | ts.FunctionExpression }[] {
  // Asked by both the hand-over's recorder and the parameters' judge: one walk per file.
  let known = nestedConstCache.get(sf);
  if (!known) nestedConstCache.set(sf, (known = findNestedConstFunctions(sf)));
  return known;
}

const nestedConstCache = new WeakMap<ts.SourceFile, { name: string; fn: ts.ArrowFunction | ts.FunctionExpression }[]>();

function findNestedConstFunctions(sf: ts.SourceFile): { name: string; fn: ts.ArrowFunction | ts.FunctionExpression }[] {
  const found = new Map<string, (ts.ArrowFunction | ts.FunctionExpression)[]>();
  const visit = (n: ts.Node, inFunction: boolean): void => {
    if (inFunction && ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isVariableDeclarationList(n.parent) &&
        (n.parent.flags & ts.NodeFlags.Const) !== 0) {
      const init = strip(n.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) found.set(n.name.text, [...(found.get(n.name.text) ?? []), init]);
    }
    ts.forEachChild(n, (c) => visit(c, inFunction || ts.isFunctionLike(n)));
  };
  visit(sf, false);
  const top = new Set(topLevelFunctions(sf, true).map((f) => f.name));
  return [...found].filter(([name, fns]) => fns.length === 1 && !top.has(name)).map(([name, fns]) => ({ name, fn: fns[0]! }));
}

/** The module a `const x = require('m')` / `const { a } = require('m')` declaration loads. */
export function requiredModule(d: ts.VariableDeclaration): string | undefined {
  const init = d.initializer && strip(d.initializer);
  if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') return undefined;
  const spec = init.arguments[0];
  return spec && ts.isStringLiteral(spec) ? spec.text : undefined;
}

/** A type that admits the missing value (a parameter's, a map's values): a union with `undefined` or `null`. */
export function acceptsUndefined(t: ts.TypeNode | undefined): boolean {
  if (!t || !ts.isUnionTypeNode(t)) return false;
  return t.types.some((m) => m.kind === ts.SyntaxKind.UndefinedKeyword ||
    (ts.isLiteralTypeNode(m) && (m.literal.kind === ts.SyntaxKind.NullKeyword || m.literal.kind === ts.SyntaxKind.UndefinedKeyword)));
}

/** The value of a `const` an identifier names, declared before it in an enclosing block or the
 * file (`const port = 4000` … `app.listen(port)`); undefined where a parameter shadows it first. */
export function constInitializer(id: ts.Identifier): ts.Expression | undefined {
  for (let p: ts.Node | undefined = id.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p) && p.parameters.some((q) => ts.isIdentifier(q.name) && q.name.text === id.text)) return undefined;
    if (!ts.isBlock(p) && !ts.isSourceFile(p)) continue;
    for (const st of p.statements) {
      if (st.pos >= id.pos) break;
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === id.text) return d.initializer;
      }
    }
  }
  return undefined;
}
