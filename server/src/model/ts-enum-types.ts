/**
 * The TypeScript type checker, run lazily for getter-enum-mismatch: which enum does the state
 * property in `getBreaker().state === CircuitState.Open` hold, when its receiver's class is not
 * evident from the syntax (a call, a breaker imported from another module, a map lookup)?
 *
 * Cost control: the caller passes only the candidate comparisons (a state-like property compared
 * with a member of an enum that has a parallel twin, receiver not evident). Nothing runs on a
 * workspace without candidates. The checker (parsers/ts-checker.ts, in the parsing chunk) is given
 * only the candidate files and the workspace files they import (relative imports, transitively,
 * capped). Results are cached by the hashes of every file in the Project and the candidates, so
 * the language server re-runs the checker only when one of those changes; a host may persist them
 * with the files' import specifiers (`tsEnumResults` / `seedTsEnumResults`, `tsImportResults` /
 * `seedTsImports`: the engine keeps both in its fact cache), so a warm CLI run neither starts the
 * checker nor loads the compiler.
 *
 * Facts are cached by content and must not depend on other files, so results are returned in a
 * side table (keyed by file and comparison offset) rather than written into
 * `EnumComparisonFact.actualEnum`; a rule reads `fact.actualEnum ?? resolved.get(...)`.
 */
import * as path from 'node:path';
import { parsing } from '../chunks/load';
import type { EnumComparisonFact, Span } from '../core/facts';
import type { TsEnumResolution } from '../parsers/ts-checker';
import type { WorkspaceModel } from './workspace-model';

export type { TsEnumResolution };

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
/** Hashes whose specifiers this process looked up: what a host persists (`tsImportResults`). */
const importsUsed = new Set<string>();
function importSpecifiers(text: string, hash: string | undefined): string[] {
  if (hash !== undefined) importsUsed.add(hash);
  const known = hash === undefined ? undefined : importsByHash.get(hash);
  if (known) return known;
  const specs = parsing().tsImportSpecifiers(text);
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

  const checked = parsing().checkTsComparisons(texts, candidates);
  candidates.forEach(({ file, comparison }, i) => {
    const res = checked.resolved[i];
    if (res) out.set(comparisonKey(file, comparison), res);
  });
  const failure = checked.failure;
  // The checker is an aid: comparisons it did not resolve get no resolution and the rule stays
  // quiet on them. The failure is reported rather than swallowed, so a broken checker is not
  // taken for "no enum found", and it is not cached, so the next run tries again.
  if (failure !== undefined) reportFailure(failure);
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
  importsByHash.clear();
  importsUsed.clear();
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

/** The import specifiers this process looked up, by file hash, as JSON data (for a host to persist). */
export function tsImportResults(): [string, string[]][] {
  return [...importsUsed].filter((h) => importsByHash.has(h)).sort().map((h) => [h, importsByHash.get(h)!]);
}

/** Adds import specifiers a host persisted (`tsImportResults` of an earlier process); other shapes are ignored. */
export function seedTsImports(data: unknown): void {
  if (!Array.isArray(data)) return;
  for (const item of data) {
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || !Array.isArray(item[1]) || !item[1].every((x) => typeof x === 'string')) continue;
    if (importsByHash.size >= 5000) break;
    importsByHash.set(item[0], item[1] as string[]);
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
