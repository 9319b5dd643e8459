/**
 * The lazy TypeScript checker behind getter-enum-mismatch: it resolves the enum a compared
 * property holds, and when the checker itself breaks, the failure is recorded and reported (not
 * swallowed, not cached) while the caller gets the resolutions made so far.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Project } from 'ts-morph';
import { ready } from '../helpers';
import { extractTypeScript } from '../../server/src/extract/typescript';
import { emptyFacts, type FileFacts } from '../../server/src/core/facts';
import { defaultConfig } from '../../server/src/core/config';
import type { WorkspaceModel } from '../../server/src/model/workspace-model';
import {
  comparisonKey, forgetTsEnumResults, lastTsEnumRun, resolveTsComparisonEnums, seedTsEnumResults, TS_CHECKER_WARNING, tsEnumResults,
} from '../../server/src/model/ts-enum-types';

before(ready);

const BREAKER = [
  'export enum CircuitState { Closed = "closed", Open = "open" }',
  'export enum BreakerState { Closed = "closed", Open = "open" }',
  'export class CircuitBreaker {',
  '  private _state: BreakerState = BreakerState.Closed;',
  '  get state(): BreakerState { return this._state; }',
  '}',
  'export function getBreaker(): CircuitBreaker { return new CircuitBreaker(); }',
  '',
].join('\n');
const HEALTH = 'import { CircuitState, getBreaker } from "./breaker";\n\nexport const tripped = (): boolean => getBreaker().state === CircuitState.Open;\n';

/** A model over the two files; `version` changes the hashes, so each call misses the result cache. */
function workspace(version: string) {
  const texts = new Map([['src/breaker.ts', BREAKER], ['src/health.ts', HEALTH]]);
  const files = new Map<string, FileFacts>();
  for (const [file, text] of texts) {
    const facts = emptyFacts(file, 'typescript', `${file}@${version}`);
    extractTypeScript(file, text, facts, { envAccessors: [] });
    files.set(file, facts);
  }
  const comparison = files.get('src/health.ts')!.comparisons[0];
  assert.ok(comparison, 'the extractor finds the comparison');
  const model = { files, config: defaultConfig() } as unknown as WorkspaceModel;
  return { model, candidates: [{ file: 'src/health.ts', comparison }], readText: (f: string) => texts.get(f), key: comparisonKey('src/health.ts', comparison) };
}

test('the checker resolves the enum a getter returns through a call', () => {
  const { model, candidates, readText, key } = workspace('ok');
  const out = resolveTsComparisonEnums(model, candidates, readText);
  assert.equal(out.get(key)?.enumName, 'BreakerState');
  assert.equal(lastTsEnumRun?.failure, undefined);
});

test('a broken checker is recorded and reported, not swallowed, and not cached', async () => {
  const { model, candidates, readText, key } = workspace('broken');
  const warnings: Error[] = [];
  const onWarning = (w: Error) => { warnings.push(w); };
  process.on('warning', onWarning);
  const getProgram = Project.prototype.getProgram;
  Project.prototype.getProgram = () => { throw new Error('checker exploded'); };
  let out: ReturnType<typeof resolveTsComparisonEnums>;
  try {
    out = resolveTsComparisonEnums(model, candidates, readText);
  } finally {
    Project.prototype.getProgram = getProgram;
  }
  await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
  process.off('warning', onWarning);

  assert.equal(out.get(key), undefined, 'nothing resolved: the rule stays quiet on it');
  assert.equal(lastTsEnumRun?.failure, 'checker exploded');
  assert.equal(lastTsEnumRun?.cached, false);
  const ours = warnings.filter((w) => (w as NodeJS.ErrnoException).code === TS_CHECKER_WARNING);
  assert.equal(ours.length, 1);
  assert.match(ours[0].message, /TypeScript checker failed.*checker exploded/);

  // The same workspace once the checker works again: run afresh, not served the failed result.
  const again = resolveTsComparisonEnums(model, candidates, readText);
  assert.equal(lastTsEnumRun?.cached, false);
  assert.equal(lastTsEnumRun?.failure, undefined);
  assert.equal(again.get(key)?.enumName, 'BreakerState');
});

test('results persisted as JSON serve a new process without running the checker', () => {
  const { model, candidates, readText, key } = workspace('persisted');
  resolveTsComparisonEnums(model, candidates, readText);
  const stored = JSON.parse(JSON.stringify(tsEnumResults()));
  forgetTsEnumResults();
  seedTsEnumResults(stored);
  const out = resolveTsComparisonEnums(model, candidates, readText);
  assert.equal(lastTsEnumRun?.cached, true);
  assert.equal(out.get(key)?.enumName, 'BreakerState');
  assert.deepEqual(out.get(key)?.declaration?.file, 'src/breaker.ts');
});

test('persisted results of another shape are ignored', () => {
  const { model, candidates, readText, key } = workspace('garbage');
  resolveTsComparisonEnums(model, candidates, readText);
  const [[k]] = tsEnumResults().filter(([k]) => k.includes('@garbage'));
  for (const bad of [null, 'x', [[k]], [[k, [[key, { enumName: 7 }]]]], [[k, [[key, { inScope: 'E' }]]]], [[k, [[key, { declaration: { file: 'a' } }]]]], [[k, [[key, { other: 1 }]]]], [[k, [[key]]]]]) {
    forgetTsEnumResults();
    seedTsEnumResults(bad);
    const out = resolveTsComparisonEnums(model, candidates, readText);
    assert.equal(lastTsEnumRun?.cached, false, JSON.stringify(bad));
    assert.equal(out.get(key)?.enumName, 'BreakerState');
  }
});

test('another set of candidates over the same files is not served an earlier result', () => {
  const { model, candidates, readText } = workspace('candidates');
  resolveTsComparisonEnums(model, candidates, readText);
  assert.equal(lastTsEnumRun?.cached, false);
  resolveTsComparisonEnums(model, candidates, readText);
  assert.equal(lastTsEnumRun?.cached, true);
  const c = candidates[0].comparison;
  const other = { ...c, span: { start: c.span.start + 1, end: c.span.end } };
  resolveTsComparisonEnums(model, [...candidates, { file: 'src/health.ts', comparison: other }], readText);
  assert.equal(lastTsEnumRun?.cached, false);
});
