/** Fix-all feedback (ide/fix-all.ts): the files a plan changes and, when none, a short reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planFixes } from '../../server/src/engine/fix-plan';
import { summarizeFixPlan, mergeSummaries, noFixReason, leftCount } from '../../server/src/ide/fix-all';
import type { Finding } from '../../server/src/core/findings';
import type { Fix } from '../../server/src/core/edits';

let n = 0;
function finding(file: string, start: number, fixes: Fix[]): Finding {
  n++;
  return {
    rule: 'r', severity: 'warning', file, span: { start, end: start + 1 },
    range: { start: { line: 0, character: start }, end: { line: 0, character: start + 1 } },
    message: `finding ${n}`, related: [], fixes, fingerprint: `fp${String(n).padStart(4, '0')}`,
  };
}
const safe = (file: string, at: number, ...more: string[]): Fix =>
  ({ title: 'safe', safe: true, edits: [file, ...more].map((f, i) => ({ file: f, span: { start: at + i, end: at + i }, newText: `S${at}=1\n` })) });
const needsValue = (file: string, at: number): Fix => ({ title: 'fill', safe: false, needsValue: true, edits: [{ file, span: { start: at, end: at }, newText: 'X=REPLACE_WITH_X\n' }] });
const judgement = (file: string, at: number): Fix => ({ title: 'judge', safe: false, edits: [{ file, span: { start: at, end: at + 1 }, newText: 'y' }] });

test('the files changed, by path, with the fixes editing each', () => {
  const s = summarizeFixPlan(planFixes([
    finding('deploy/b.sh', 0, [safe('deploy/b.sh', 0)]),
    finding('deploy/b.sh', 10, [safe('deploy/b.sh', 10, 'deploy/a.yaml')]),
    finding('c.env', 0, [needsValue('c.env', 0)]),
  ]));
  assert.equal(s.fixes, 2);
  assert.deepEqual(s.files, [{ file: 'deploy/a.yaml', fixes: 1 }, { file: 'deploy/b.sh', fixes: 2 }]);
  assert.deepEqual(s.left, { needsValue: 1, unsafe: 0, noFix: 0, conflicts: 0 });
  assert.equal(leftCount(s), 1);
  assert.equal(noFixReason(s, 'the workspace'), undefined);
});

test('why nothing applies', () => {
  const reason = (findings: Finding[], scope = 'the workspace') => noFixReason(summarizeFixPlan(planFixes(findings)), scope);
  assert.equal(reason([]), 'nothing to fix: no problems in the workspace');
  assert.equal(reason([], 'deploy/a.sh'), 'nothing to fix: no problems in deploy/a.sh');
  assert.equal(reason([finding('a', 0, [needsValue('a', 0)]), finding('a', 5, [needsValue('a', 5)])]), 'no safe fix: these need a value only you know');
  assert.equal(reason([finding('a', 0, [judgement('a', 0)])]), 'no safe fix: these need a judgement call (see each problem\'s quick fixes)');
  assert.equal(reason([finding('a', 0, [])]), 'no automatic fix: these need a change by hand');
  assert.equal(reason([finding('a', 0, [needsValue('a', 0)]), finding('a', 3, [judgement('a', 3)]), finding('a', 9, []), finding('a', 12, [])]),
    'no safe fix: 1 needs a value only you know, 1 needs a judgement call, 2 need a change by hand');
});

test('summaries of several folders add up', () => {
  const a = summarizeFixPlan(planFixes([finding('x', 0, [safe('x', 0)])]));
  const b = summarizeFixPlan(planFixes([finding('y', 0, [needsValue('y', 0)])]));
  const m = mergeSummaries([a, b]);
  assert.equal(m.fixes, 1);
  assert.deepEqual(m.files, [{ file: 'x', fixes: 1 }]);
  assert.equal(leftCount(m), 1);
  assert.equal(noFixReason(mergeSummaries([b]), 'the workspace'), 'no safe fix: these need a value only you know');
});
