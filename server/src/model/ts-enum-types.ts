/**
 * The TypeScript type checker, run lazily for getter-enum-mismatch: which enum does the state
 * property in `getBreaker().state === CircuitState.Open` hold, when its receiver's class is not
 * evident from the syntax (a call, a breaker imported from another module, a map lookup)?
 *
 * Cost control: the caller passes only the candidate comparisons (a state-like property compared
 * with a member of an enum that has a parallel twin, receiver not evident). Nothing runs on a
 * workspace without candidates. The ts-morph Project holds only the candidate files and the
 * workspace files they import (relative imports, transitively, capped), from an in-memory file
 * system, with a small stub lib instead of the real lib files (enough for `Promise`, `Array`,
 * `Map`, `Record`), so a run costs a few tens of milliseconds. Results are cached by the hashes
 * of every file in the Project and the candidates, so the language server re-runs the checker
 * only when one of those changes; a host may persist them (`tsEnumResults`, `seedTsEnumResults`:
 * the engine keeps them in its fact cache, so a warm CLI run does not start the checker).
 *
 * Facts are cached by content and must not depend on other files, so results are returned in a
 * side table (keyed by file and comparison offset) rather than written into
 * `EnumComparisonFact.actualEnum`; a rule reads `fact.actualEnum ?? resolved.get(...)`.
 */
import * as path from 'node:path';
import { Project, ts } from 'ts-morph';
import type { EnumComparisonFact, Span } from '../core/facts';
import type { WorkspaceModel } from './workspace-model';

export interface TsEnumResolution {
  /** The enum the compared expression holds (`BreakerState`); absent when it is not one enum. */
  enumName?: string;
  /** Where the property or getter is declared, when it is in the workspace. */
  declaration?: { file: string; span: Span };
  /** Enum names usable at the comparison without a new import (declared or imported there). */
  inScope?: string[];
}

export interface TsEnumRunStats {
  candidates: number;
  /** Files in the Project: candidates plus the workspace files they import. */
  files: number;
  ms: number;
  cached: boolean;
  /** Why the checker failed, when it did: the comparisons it did not reach are left unresolved. */
  failure?: string;
}

/** The last run's numbers and failure, for tests and benchmarks. */
export let lastTsEnumRun: TsEnumRunStats | undefined;

const MAX_FILES = 400;
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

const resultCache = new Map<string, Map<string, TsEnumResolution>>();

export function comparisonKey(file: string, c: EnumComparisonFact): string {
  return `${file}\0${c.span.start}`;
}

const EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * A file's import specifiers by the hash of its content (the hash the model holds for the text
 * `readText` returns, as the result cache's key assumes): the closure below is walked on every
 * rule run to build that key, and scanning each file's imports again was ~1 ms of every edit.
 */
const importsByHash = new Map<string, string[]>();
function importSpecifiers(text: string, hash: string | undefined): string[] {
  const known = hash === undefined ? undefined : importsByHash.get(hash);
  if (known) return known;
  const specs = ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName);
  if (hash !== undefined) {
    if (importsByHash.size >= 5000) importsByHash.clear();
    importsByHash.set(hash, specs);
  }
  return specs;
}

/** Workspace files a relative import specifier may name. */
function importTargets(from: string, spec: string, known: (f: string) => boolean): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const stem = base.replace(/\.(m|c)?jsx?$/, '');
  const tries = [base, ...EXTS.map((e) => stem + e), ...EXTS.map((e) => `${base}/index${e}`)];
  return tries.find(known);
}

/**
 * Resolves the enum each candidate comparison's property holds. `readText` returns a workspace
 * file's current text (undefined when unavailable: that file is left out).
 */
export function resolveTsComparisonEnums(
  model: WorkspaceModel,
  candidates: { file: string; comparison: EnumComparisonFact }[],
  readText: (file: string) => string | undefined,
): Map<string, TsEnumResolution> {
  const out = new Map<string, TsEnumResolution>();
  if (candidates.length === 0) return out;
  const t0 = performance.now();
  const isTs = (f: string) => model.files.get(f)?.kind === 'typescript';

  // The closure of relative imports, from the facts' file list.
  const texts = new Map<string, string>();
  const queue = [...new Set(candidates.map((c) => c.file))];
  while (queue.length && texts.size < MAX_FILES) {
    const f = queue.shift()!;
    if (texts.has(f)) continue;
    const text = readText(f);
    if (text === undefined) continue;
    texts.set(f, text);
    for (const spec of importSpecifiers(text, model.files.get(f)?.hash)) {
      const target = importTargets(f, spec, isTs);
      if (target && !texts.has(target)) queue.push(target);
    }
  }
  // The candidates are part of the key: a comparison can become one (an enum elsewhere gained a
  // parallel twin) while every file in the Project stays as it was.
  const key = [...texts.keys()].sort().map((f) => `${f}@${model.files.get(f)?.hash}`).join('\n') +
    `\n#${candidates.map(({ file, comparison }) => `${file}:${comparison.span.start}-${comparison.span.end}`).sort().join(',')}`;
  const cached = resultCache.get(key);
  if (cached) {
    lastTsEnumRun = { candidates: candidates.length, files: texts.size, ms: performance.now() - t0, cached: true };
    return cached;
  }

  let failure: string | undefined;
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
    for (const { file, comparison } of candidates) {
      const sf = program.getSourceFile(ROOT + file);
      if (!sf) continue;
      const expr = comparedExpression(sf, comparison);
      if (!expr) continue;
      const res: TsEnumResolution = {};
      const name = enumNameOf(checker, checker.getTypeAtLocation(expr));
      if (name) res.enumName = name;
      res.inScope = checker.getSymbolsInScope(expr, ts.SymbolFlags.Enum | ts.SymbolFlags.Alias)
        .filter((sym) => sym.flags & ts.SymbolFlags.Enum || (sym.flags & ts.SymbolFlags.Alias && checker.getAliasedSymbol(sym).flags & ts.SymbolFlags.Enum))
        .map((sym) => sym.getName());
      const decl = declarationOf(checker, expr);
      if (decl) res.declaration = decl;
      out.set(comparisonKey(file, comparison), res);
    }
  } catch (err) {
    // The checker is an aid: comparisons it did not resolve get no resolution and the rule stays
    // quiet on them. The failure is reported rather than swallowed, so a broken checker is not
    // taken for "no enum found", and it is not cached, so the next run tries again.
    failure = err instanceof Error ? err.message : String(err);
    reportFailure(failure);
  }
  if (failure === undefined) {
    if (resultCache.size > 32) resultCache.clear();
    resultCache.set(key, out);
  }
  lastTsEnumRun = { candidates: candidates.length, files: texts.size, ms: performance.now() - t0, cached: false, ...(failure !== undefined ? { failure } : {}) };
  return out;
}

/** Forgets the results cached in this process (tests: what a new process starts with). */
export function forgetTsEnumResults(): void {
  resultCache.clear();
}

/** The results cached in this process, as JSON data (for a host to persist). */
export function tsEnumResults(): [string, [string, TsEnumResolution][]][] {
  return [...resultCache].map(([key, m]) => [key, [...m]]);
}

/**
 * Adds results a host persisted (`tsEnumResults` of an earlier process). Data of another shape is
 * ignored, entry by entry: it is read from a file, never trusted.
 */
export function seedTsEnumResults(data: unknown): void {
  if (!Array.isArray(data)) return;
  for (const item of data) {
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || !Array.isArray(item[1])) continue;
    const m = new Map<string, TsEnumResolution>();
    let ok = true;
    for (const pair of item[1] as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || !isResolution(pair[1])) {
        ok = false;
        break;
      }
      m.set(pair[0], pair[1]);
    }
    if (!ok || resultCache.has(item[0])) continue;
    if (resultCache.size > 32) resultCache.clear();
    resultCache.set(item[0], m);
  }
}

function isResolution(v: unknown): v is TsEnumResolution {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  if (r.enumName !== undefined && typeof r.enumName !== 'string') return false;
  if (r.inScope !== undefined && !(Array.isArray(r.inScope) && r.inScope.every((n) => typeof n === 'string'))) return false;
  if (r.declaration !== undefined) {
    const d = r.declaration as { file?: unknown; span?: { start?: unknown; end?: unknown } } | null;
    if (typeof d !== 'object' || d === null || typeof d.file !== 'string' || typeof d.span !== 'object' || d.span === null ||
      typeof d.span.start !== 'number' || typeof d.span.end !== 'number') return false;
  }
  return Object.keys(r).every((k) => k === 'enumName' || k === 'inScope' || k === 'declaration');
}

/** The code of the process warning a checker failure emits. */
export const TS_CHECKER_WARNING = 'DEPLOY_PREFLIGHT_TS_CHECKER';

/** Failures already reported: a language server re-runs the rule on every edit. */
const reportedFailures = new Set<string>();

/** A Node process warning (stderr for the CLI, the output channel for the language server), once per message. */
function reportFailure(message: string): void {
  if (reportedFailures.has(message)) return;
  reportedFailures.add(message);
  process.emitWarning(`the TypeScript checker failed; getter-enum-mismatch stays quiet on the comparisons it did not resolve: ${message}`, { code: TS_CHECKER_WARNING });
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
