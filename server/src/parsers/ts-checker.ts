/**
 * The TypeScript type checker's side of getter-enum-mismatch's look-ups (model/ts-enum-types.ts holds
 * the rest: which files and comparisons, and the results cached by their hashes). It lives in the
 * parsing chunk (chunks/parsing.ts): the compiler is most of the engine's code, and a run whose
 * results are cached never loads it.
 *
 * The ts-morph Project holds only the files it is given, from an in-memory file system, with a
 * small stub lib instead of the real lib files (enough for `Promise`, `Array`, `Map`, `Record`),
 * so a run costs a few tens of milliseconds.
 */
import { Project, ts } from 'ts-morph';
import type { EnumComparisonFact, Span } from '../core/facts';

export interface TsEnumResolution {
  /** The enum the compared expression holds (`BreakerState`); absent when it is not one enum. */
  enumName?: string;
  /** Where the property or getter is declared, when it is in the workspace. */
  declaration?: { file: string; span: Span };
  /** Enum names usable at the comparison without a new import (declared or imported there). */
  inScope?: string[];
}

const ROOT = '/__workspace__/';

/** Just enough of the standard library for member access, `await`, indexing and lookups. */
const STUB_LIB = `
interface Array<T> { length: number; [n: number]: T; find(p: (v: T, i: number) => unknown): T | undefined; filter(p: (v: T, i: number) => unknown): T[]; map<U>(f: (v: T, i: number) => U): U[]; at(i: number): T | undefined; }
interface ReadonlyArray<T> { readonly length: number; readonly [n: number]: T; find(p: (v: T, i: number) => unknown): T | undefined; }
interface Boolean {} interface Function {} interface CallableFunction {} interface NewableFunction {} interface IArguments {}
interface Number {} interface Object {} interface RegExp {} interface String {} interface Symbol {}
interface PromiseLike<T> { then<R1 = T, R2 = never>(ok?: ((v: T) => R1 | PromiseLike<R1>) | null, err?: ((e: any) => R2 | PromiseLike<R2>) | null): PromiseLike<R1 | R2>; }
interface Promise<T> { then<R1 = T, R2 = never>(ok?: ((v: T) => R1 | PromiseLike<R1>) | null, err?: ((e: any) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2>; }
interface PromiseConstructor { new <T>(f: (resolve: (v: T) => void, reject: (e?: any) => void) => void): Promise<T>; resolve<T>(v: T): Promise<Awaited<T>>; }
declare var Promise: PromiseConstructor;
type Awaited<T> = T extends null | undefined ? T : T extends object & { then(onfulfilled: infer F, ...args: infer _): any } ? F extends (value: infer V, ...args: infer _) => any ? Awaited<V> : never : T;
interface Map<K, V> { get(k: K): V | undefined; set(k: K, v: V): this; has(k: K): boolean; values(): Iterable<V>; }
interface MapConstructor { new <K, V>(entries?: readonly (readonly [K, V])[] | null): Map<K, V>; }
declare var Map: MapConstructor;
interface ReadonlyMap<K, V> { get(k: K): V | undefined; has(k: K): boolean; }
interface Iterable<T> {} interface IterableIterator<T> extends Iterable<T> {}
type Record<K extends keyof any, T> = { [P in K]: T };
type Partial<T> = { [P in keyof T]?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type NonNullable<T> = T & {};
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
interface TemplateStringsArray extends ReadonlyArray<string> { readonly raw: readonly string[]; }
`;

/** A TypeScript file's import specifiers (relative or not), as the compiler's pre-processor reads them. */
export function tsImportSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName);
}

/**
 * Resolves the enum each candidate comparison's property holds, in a Project of `texts` (workspace
 * path → text). `resolved[i]` answers `candidates[i]` (a hole where the checker found nothing to
 * ask); on a failure of the checker the comparisons it did not reach stay holes and `failure` says why.
 */
export function checkTsComparisons(
  texts: ReadonlyMap<string, string>,
  candidates: readonly { file: string; comparison: EnumComparisonFact }[],
): { resolved: (TsEnumResolution | undefined)[]; failure?: string } {
  const resolved: (TsEnumResolution | undefined)[] = [];
  try {
    const project = new Project({
      useInMemoryFileSystem: true,
      skipLoadingLibFiles: true,
      compilerOptions: {
        noLib: true,
        allowJs: true,
        checkJs: false,
        strict: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        jsx: ts.JsxEmit.Preserve,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
    });
    project.createSourceFile('/__lib__/lib.stub.d.ts', STUB_LIB);
    for (const [f, text] of texts) project.createSourceFile(ROOT + f, text, { overwrite: true });
    const program = project.getProgram().compilerObject;
    const checker = program.getTypeChecker();
    candidates.forEach(({ file, comparison }, i) => {
      const sf = program.getSourceFile(ROOT + file);
      if (!sf) return;
      const expr = comparedExpression(sf, comparison);
      if (!expr) return;
      const res: TsEnumResolution = {};
      const name = enumNameOf(checker, checker.getTypeAtLocation(expr));
      if (name) res.enumName = name;
      res.inScope = checker.getSymbolsInScope(expr, ts.SymbolFlags.Enum | ts.SymbolFlags.Alias)
        .filter((sym) => sym.flags & ts.SymbolFlags.Enum || (sym.flags & ts.SymbolFlags.Alias && checker.getAliasedSymbol(sym).flags & ts.SymbolFlags.Enum))
        .map((sym) => sym.getName());
      const decl = declarationOf(checker, expr);
      if (decl) res.declaration = decl;
      resolved[i] = res;
    });
    return { resolved };
  } catch (err) {
    // The checker is an aid: comparisons it did not resolve get no resolution and the rule stays
    // quiet on them. The failure is reported rather than swallowed, so a broken checker is not
    // taken for "no enum found", and it is not cached, so the next run tries again.
    return { resolved, failure: err instanceof Error ? err.message : String(err) };
  }
}

function strip(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/** The operand of the comparison that is not the enum member. */
function comparedExpression(sf: ts.SourceFile, c: EnumComparisonFact): ts.Expression | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    const start = n.getStart(sf);
    if (start > c.span.start || n.getEnd() < c.span.end) return;
    if (start === c.span.start && (n.getEnd() === c.span.end || ts.isCaseClause(n)) && (ts.isBinaryExpression(n) || ts.isCaseClause(n))) {
      found = n;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (!found) return undefined;
  const within = (n: ts.Node) => n.getStart(sf) <= c.enumSpan.start && c.enumSpan.end <= n.getEnd();
  if (ts.isBinaryExpression(found)) return strip(within(found.left) ? found.right : found.left);
  const sw = found.parent?.parent;
  return sw && ts.isSwitchStatement(sw) ? strip(sw.expression) : undefined;
}

/** The one enum a type is made of (`E`, `E.M`, `E | undefined`, `E.A | E.B`), by name. */
function enumNameOf(checker: ts.TypeChecker, type: ts.Type): string | undefined {
  const parts = type.isUnion() ? type.types : [type];
  let found: ts.Symbol | undefined;
  for (const t of parts) {
    if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) continue;
    if (!(t.flags & ts.TypeFlags.EnumLike)) return undefined;
    const base = checker.getBaseTypeOfLiteralType(t);
    const sym = base.getSymbol() ?? t.getSymbol();
    if (!sym || !(sym.flags & ts.SymbolFlags.Enum)) return undefined;
    if (found && found !== sym) return undefined;
    found = sym;
  }
  return found?.getName();
}

function declarationOf(checker: ts.TypeChecker, e: ts.Expression): { file: string; span: Span } | undefined {
  let target: ts.Node = e;
  if (ts.isCallExpression(e)) target = strip(e.expression);
  if (ts.isPropertyAccessExpression(target)) target = target.name;
  const sym = checker.getSymbolAtLocation(target);
  const decl = sym?.declarations?.[0];
  if (!decl) return undefined;
  const sf = decl.getSourceFile();
  if (!sf.fileName.startsWith(ROOT)) return undefined;
  const named = (decl as ts.NamedDeclaration).name ?? decl;
  return { file: sf.fileName.slice(ROOT.length), span: { start: named.getStart(sf), end: named.getEnd() } };
}
