/**
 * In-house env accessors, inferred (TypeScript / JavaScript): a function whose body reads
 * `process.env[name]` for its own parameter `name` and returns the value (`function requireEnv(name:
 * string) { const v = process.env[name]; if (!v) throw new Error(…); return v }`, `const env = (k,
 * d = '') => process.env[k] ?? d`) reads the variable its caller names. What an unset variable
 * gives is decided by the body: a throw (required), a default of its own (optional), the caller's
 * default through a parameter, or `undefined` for the call's use to judge, as for `process.env.X`.
 *
 * Calls in the file become reads here; the definitions go to `facts.accessorDefs`, and calls of a
 * function imported from a relative module (ES `import`, CommonJS `require`) to
 * `facts.accessorCalls`, which the model reads when that module defines the accessor
 * (model/imported-accessors.ts), as for Python (extract/python/accessors.ts).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { AccessorDef } from '../../core/facts';
import { climb, isStringLike, strip } from './syntax';
import { isFallback } from './absence';

/** Parameters that, by name, carry a caller's default (`getEnv(key, defaultValue?)`). */
const DEFAULT_PARAM = /^(?:default|fallback|defaultValue|defaultVal|def|dflt|fallbackValue)$/i;

/** Names an accessor call passes: upper case, as environment variables are written. */
const UPPER_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A function that may be an accessor, found at a `process.env[param]` in its body. */
interface Candidate { fn: ts.SignatureDeclaration; access: ts.Node; param: ts.ParameterDeclaration; name: string; exported: 'named' | 'default' | undefined }

/** An inferred definition, with what a call needs to judge its read. */
export interface LocalAccessor {
  fact: AccessorDef;
  /** The parameter a caller passes a default through (its index), when there is one. */
  defaultIndex?: number;
}

export class InferredAccessors {
  private readonly candidates: Candidate[] = [];

  /** `process.env[k]` where `k` is a parameter of the enclosing function. */
  paramRead(access: ts.ElementAccessExpression, key: ts.Identifier): void {
    const fn = enclosingFunction(access);
    if (!fn) return;
    const param = fn.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === key.text);
    const name = fn && functionName(fn);
    if (!param || !name) return;
    this.candidates.push({ fn, access, param, name: name.name, exported: name.exported });
  }

  /**
   * The candidates that return the value, judged: `handling` says what the code around the access
   * does with an undefined value (absence.ts): fails (a throw, an exit), copes (a fallback, a test)
   * or nothing seen.
   */
  definitions(sf: ts.SourceFile, handling: (n: ts.Node) => 'copes' | 'fails' | undefined): LocalAccessor[] {
    const out: LocalAccessor[] = [];
    const done = new Set<ts.Node>();
    for (const c of this.candidates) {
      if (done.has(c.fn)) continue;
      const value = returnedValue(c.fn, c.access);
      if (!value) continue;
      done.add(c.fn);
      const index = c.fn.parameters.indexOf(c.param);
      const fact: AccessorDef = { name: c.name, span: spanOf(sf, c.fn), method: false, nameParam: index, whenUnset: 'none' };
      if (c.exported === 'default') fact.defaultExport = true;
      let defaultIndex: number | undefined;
      // `process.env[k] ?? d` / `|| d` (or `return v || d` for a local bound to it): the fallback
      // is the caller's parameter or the accessor's own value.
      const fallback = fallbackOf(c.fn, c.access);
      const byName = (): ts.ParameterDeclaration | undefined => c.fn.parameters.find((x) => x !== c.param && ts.isIdentifier(x.name) &&
        DEFAULT_PARAM.test(x.name.text) && returnsName(c.fn, x.name.text));
      const fbParam = (fallback && ts.isIdentifier(fallback) ? c.fn.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === fallback.text) : undefined) ?? byName();
      // A throw (or an exit) in the accessor's own body: the variable is required unless a default comes.
      const throws = failsInBody(c.fn);
      if (fbParam) {
        defaultIndex = c.fn.parameters.indexOf(fbParam);
        const declared = fbParam.initializer && strip(fbParam.initializer);
        fact.defaultParam = { index: defaultIndex, keyword: (fbParam.name as ts.Identifier).text, ...(declared && !isUndefined(declared) ? { declared: true as const } : {}) };
        // The parameter's own default is what an unset variable yields when the caller passes none;
        // without one, the body decides (`const v = process.env[k] || fallback; if (!v) { warn();
        // return ''; }` yields a value of its own).
        fact.whenUnset = declared && !isUndefined(declared) ? 'default' : throws ? 'raises' : judgeWithFallback(c.fn, c.access, handling);
      } else if (fallback && !isUndefined(fallback)) {
        fact.whenUnset = 'default';
      } else if (throws) {
        fact.whenUnset = 'raises';
      } else {
        const h = judgeValue(c.fn, c.access, handling);
        // A test that only logs still returns `undefined`: a default only where another value is returned.
        fact.whenUnset = h === 'fails' ? 'raises' : h === 'copes' && returnsOtherValue(c.fn, c.access) ? 'default' : 'none';
      }
      out.push(defaultIndex === undefined ? { fact } : { fact, defaultIndex });
    }
    return out;
  }
}

/** The calls that may read through an accessor: a plain name or `ns.name` called with an
 * upper-case literal first. */
export function accessorCallName(n: ts.CallExpression): string | undefined {
  const first = n.arguments[0] && strip(n.arguments[0]);
  if (!first || !isStringLike(first) || !UPPER_NAME.test(first.text)) return undefined;
  const callee = strip(n.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(strip(callee.expression)) && ts.isIdentifier(callee.name)) return callee.name.text;
  return undefined;
}

/** What the body does with the value when the variable is unset: at the access, or through the
 * local it is bound to (`const v = process.env[k]; if (!v) throw …`): one use that fails decides,
 * else one that copes. */
function judgeValue(fn: ts.SignatureDeclaration, access: ts.Node, handling: (n: ts.Node) => 'copes' | 'fails' | undefined): 'copes' | 'fails' | undefined {
  const at = handling(access);
  if (at) return at;
  const decl = climb(access).parent;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
  const local = decl.name;
  let verdict: 'copes' | 'fails' | undefined;
  const visit = (n: ts.Node): void => {
    if (verdict === 'fails') return;
    if (ts.isIdentifier(n) && n !== local && n.text === local.text && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const h = handling(n);
      if (h === 'fails' || (h === 'copes' && !verdict)) verdict = h;
      // The value returned as it is: what the caller gets when it is unset.
      return;
    }
    ts.forEachChild(n, visit);
  };
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body) visit(body);
  return verdict;
}

/** What the body yields for an unset variable when the caller passes no default: the local bound
 * to `process.env[k] || fallback` tested and replaced by another value (`if (!v) return ''`) is a
 * default of the accessor's own; a throw on it makes the variable required. */
function judgeWithFallback(fn: ts.SignatureDeclaration, access: ts.Node, handling: (n: ts.Node) => 'copes' | 'fails' | undefined): AccessorDef['whenUnset'] {
  const withFallback = climb(access).parent;
  if (!withFallback || !isFallback(withFallback)) return 'none';
  const h = judgeValue(fn, withFallback, (n) => (n === withFallback ? undefined : handling(n)));
  return h === 'fails' ? 'raises' : h === 'copes' && returnsOtherValue(fn, withFallback) ? 'default' : 'none';
}

/** The fallback of the access's value: `process.env[k] ?? d`, or `return v || d` / `v ?? d` for the
 * local `v` bound to it. */
function fallbackOf(fn: ts.SignatureDeclaration, access: ts.Node): ts.Expression | undefined {
  const outer = climb(access);
  const p = outer.parent;
  if (p && isFallback(p) && p.left === outer) return strip(p.right);
  const local = p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) ? p.name.text : undefined;
  if (!local) return undefined;
  let found: ts.Expression | undefined;
  forOwnReturns(fn, (e) => {
    if (isFallback(e) && ts.isIdentifier(strip(e.left)) && (strip(e.left) as ts.Identifier).text === local) found ??= strip(e.right);
  });
  return found;
}

/** Some `return` of `fn` returns the parameter `name` as it is. */
function returnsName(fn: ts.SignatureDeclaration, name: string): boolean {
  let found = false;
  forOwnReturns(fn, (e) => {
    if (ts.isIdentifier(e) && e.text === name) found = true;
  });
  return found;
}

/** A `throw` or a `process.exit(…)` in `fn`'s own body (not in a nested function, nor in a `try`
 * that would catch it). */
function failsInBody(fn: ts.SignatureDeclaration): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (ts.isFunctionLike(n) && n !== fn) || ts.isTryStatement(n)) return;
    if (ts.isThrowStatement(n)) found = true;
    else if (ts.isCallExpression(n) && /^process\.exit$/.test(n.expression.getText())) found = true;
    else ts.forEachChild(n, visit);
  };
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body) visit(body);
  return found;
}

/** Calls `cb` with the expression of each `return` of `fn` itself (an arrow's expression body too). */
function forOwnReturns(fn: ts.SignatureDeclaration, cb: (e: ts.Expression) => void): void {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return;
  if (!ts.isBlock(body)) {
    cb(strip(body as ts.Expression));
    return;
  }
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && n !== fn) return;
    if (ts.isReturnStatement(n) && n.expression) cb(strip(n.expression));
    ts.forEachChild(n, visit);
  };
  visit(body);
}

/** Some `return` of `fn` gives a value other than the access or the local bound to it
 * (`if (!v) return 'eu'`). */
function returnsOtherValue(fn: ts.SignatureDeclaration, access: ts.Node): boolean {
  const decl = climb(access).parent;
  const local = decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
  // An arrow's expression body is the value itself: no other `return`.
  if (!ts.isBlock((fn as ts.FunctionLikeDeclaration).body ?? fn)) return false;
  let other = false;
  forOwnReturns(fn, (e) => {
    if (e !== climb(access) && !(local && ts.isIdentifier(e) && e.text === local) && !isUndefined(e)) other = true;
  });
  return other;
}

function isUndefined(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === 'undefined') || e.kind === ts.SyntaxKind.NullKeyword;
}

function enclosingFunction(n: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (ts.isFunctionDeclaration(p) || ts.isArrowFunction(p) || ts.isFunctionExpression(p)) return p;
    if (ts.isClassLike(p) || ts.isMethodDeclaration(p)) return undefined;
  }
  return undefined;
}

/** The name a function is called by in its module: its declaration's, or the `const` holding it
 * (at the module's top level), and how it is exported. */
function functionName(fn: ts.SignatureDeclaration): { name: string; exported: 'named' | 'default' | undefined } | undefined {
  const exportedOf = (mods: ts.NodeArray<ts.ModifierLike> | undefined): 'named' | 'default' | undefined =>
    mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ? (mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? 'default' : 'named') : undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name && ts.isSourceFile(fn.parent)) return { name: fn.name.text, exported: exportedOf(fn.modifiers) };
  const holder = climb(fn).parent;
  if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && ts.isVariableStatement(holder.parent.parent) && ts.isSourceFile(holder.parent.parent.parent)) {
    return { name: holder.name.text, exported: exportedOf(holder.parent.parent.modifiers) };
  }
  return undefined;
}

/** The access's value is what `fn` returns: directly or after a fallback or a non-null claim
 * (`return process.env[k] ?? d`, an arrow's body), or through one local returned
 * (`const v = process.env[k]; if (!v) throw …; return v`). */
function returnedValue(fn: ts.SignatureDeclaration, access: ts.Node): ts.Node | undefined {
  let cur = climb(access);
  const p0 = cur.parent;
  if (p0 && isFallback(p0) && p0.left === cur) cur = climb(p0);
  const p = cur.parent;
  if (!p) return undefined;
  if ((ts.isArrowFunction(fn) && fn.body === cur) || (ts.isReturnStatement(p) && enclosingFunction(p) === fn)) return cur;
  if (ts.isVariableDeclaration(p) && p.initializer === cur && ts.isIdentifier(p.name)) {
    const local = p.name.text;
    let returned = false;
    forOwnReturns(fn, (e) => {
      // `return value`, `return value || defaultValue`
      const left = isFallback(e) ? strip(e.left) : e;
      if (ts.isIdentifier(left) && left.text === local) returned = true;
    });
    return returned ? cur : undefined;
  }
  return undefined;
}

/** The span of the name the function is called by (its declaration's, or its `const`'s). */
function spanOf(sf: ts.SourceFile, fn: ts.SignatureDeclaration): { start: number; end: number } {
  const holder = climb(fn).parent;
  const named = ts.isFunctionDeclaration(fn) && fn.name ? fn.name : holder && ts.isVariableDeclaration(holder) ? holder.name : fn;
  return { start: named.getStart(sf), end: named.getEnd() };
}
