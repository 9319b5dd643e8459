/**
 * A job's `strategy.matrix` expanded into its combinations, as GitHub does
 * (https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs): the product of the
 * list-valued keys, minus each `exclude` entry (a partial match removes a combination), then each
 * `include` entry merged into every combination whose original values it does not overwrite, or
 * added as a combination of its own when it fits none. A matrix computed at run time
 * (`${{ fromJSON(…) }}`) is not expanded: the reason is returned instead.
 */
import { isAlias, isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { getNode, mapPairs, str } from './yaml-util';

export type MatrixValue = string | MatrixValue[] | { [key: string]: MatrixValue };
export type Combination = Record<string, MatrixValue>;

/** Combinations beyond this are not expanded (GitHub's own limit is 256 jobs per workflow run). */
export const MAX_COMBINATIONS = 64;

/** A YAML node as plain data; undefined for aliases and anything holding an expression. */
function valueOf(text: string, node: unknown, depth = 0): MatrixValue | undefined {
  if (depth > 20 || isAlias(node)) return undefined;
  if (isScalar(node)) {
    const s = str(text, node) ?? '';
    return s.includes('${{') ? undefined : s;
  }
  if (isSeq(node)) {
    const out: MatrixValue[] = [];
    for (const it of (node as YAMLSeq).items) {
      const v = valueOf(text, it, depth + 1);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (isMap(node)) {
    const out: Record<string, MatrixValue> = {};
    for (const p of mapPairs(node)) {
      const v = valueOf(text, p.value, depth + 1);
      if (v === undefined) return undefined;
      out[p.keyText] = v;
    }
    return out;
  }
  return undefined;
}

function equal(a: MatrixValue | undefined, b: MatrixValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The job's matrix combinations; `[]` with no matrix; a reason when it can't be expanded. */
export function matrixCombinations(text: string, job: unknown): { combinations: Combination[]; unresolved?: string } {
  const node = getNode(job, 'strategy', 'matrix');
  if (node === undefined || node === null) return { combinations: [] };
  if (!isMap(node)) return { combinations: [], unresolved: `strategy.matrix is computed at run time (${(str(text, node) ?? 'not a map').trim()})` };
  const base: [string, MatrixValue[]][] = [];
  let include: MatrixValue | undefined = [];
  let exclude: MatrixValue | undefined = [];
  for (const p of mapPairs(node as YAMLMap)) {
    const v = valueOf(text, p.value);
    if (p.keyText === 'include') include = v;
    else if (p.keyText === 'exclude') exclude = v;
    else if (Array.isArray(v)) base.push([p.keyText, v]);
    else return { combinations: [], unresolved: `matrix.${p.keyText} is computed at run time` };
  }
  if (!Array.isArray(include) || !Array.isArray(exclude)) return { combinations: [], unresolved: 'matrix include/exclude is computed at run time' };
  let combos: Combination[] = base.length > 0 ? [{}] : [];
  for (const [key, values] of base) {
    const next: Combination[] = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [key]: v });
    combos = next;
    if (combos.length > MAX_COMBINATIONS) return { combinations: [], unresolved: `the matrix has more than ${MAX_COMBINATIONS} combinations` };
  }
  for (const ex of exclude) {
    if (!ex || typeof ex !== 'object' || Array.isArray(ex)) continue;
    combos = combos.filter((c) => !Object.entries(ex).every(([k, v]) => equal(c[k], v)));
  }
  const original = new Set(base.map(([k]) => k));
  for (const inc of include) {
    if (!inc || typeof inc !== 'object' || Array.isArray(inc)) continue;
    const entries = Object.entries(inc);
    const fits = combos.filter((c) => entries.every(([k, v]) => !original.has(k) || equal(c[k], v)));
    if (fits.length > 0 && original.size > 0) {
      for (const c of fits) for (const [k, v] of entries) if (!original.has(k)) c[k] = v;
    } else combos.push({ ...inc });
  }
  if (combos.length > MAX_COMBINATIONS) return { combinations: [], unresolved: `the matrix has more than ${MAX_COMBINATIONS} combinations` };
  return { combinations: combos };
}

/** `matrix.service`, `matrix.site.region`: each string leaf of a combination by its path. */
export function matrixValues(c: Combination): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: MatrixValue, path: string, depth: number): void => {
    if (depth > 20) return;
    if (typeof v === 'string') out[path] = v;
    else if (!Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, depth + 1);
  };
  for (const [k, v] of Object.entries(c)) walk(v, `matrix.${k}`, 0);
  return out;
}

/** `service=api, environment=staging`: how one combination differs, for explanations. */
export function combinationLabel(c: Combination): string {
  return Object.entries(c).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}=${v as string}`).join(', ') || 'one combination';
}
