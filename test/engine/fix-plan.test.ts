/**
 * The fix policy shared by the CLI's --fix and the editor's fix-all: which fix of a finding is
 * taken, all of its edits or none, overlaps resolved the same way whatever the input order.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ready } from '../helpers';
import { planFixes, chooseFix, editsOverlap } from '../../server/src/engine/fix-plan';
import { Analysis } from '../../server/src/engine/analysis';
import { applyEdits } from '../../server/src/engine/apply-fixes';
import type { Finding } from '../../server/src/core/findings';
import type { FileEdit, Fix } from '../../server/src/core/edits';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'staging-audit');

const edit = (file: string, start: number, end: number, newText: string): FileEdit => ({ file, span: { start, end }, newText });
const fix = (title: string, edits: FileEdit[], safe = true, preferred?: boolean): Fix => ({ title, edits, safe, ...(preferred ? { preferred } : {}) });
let n = 0;
function finding(file: string, start: number, fixes: Fix[], rule = 'some-rule'): Finding {
  n++;
  return {
    rule, severity: 'warning', file, span: { start, end: start + 1 },
    range: { start: { line: 0, character: start }, end: { line: 0, character: start + 1 } },
    message: `finding ${n}`, related: [], fixes, fingerprint: `fp${String(n).padStart(4, '0')}`,
  };
}

before(ready);

test('which fix: the safe preferred one, else the first safe one; unsafe and empty fixes are never taken', () => {
  const preferred = fix('preferred', [edit('a.env', 0, 0, 'P=1\n')], true, true);
  const firstSafe = fix('first safe', [edit('a.env', 0, 0, 'S=1\n')]);
  assert.equal(chooseFix(finding('a.env', 0, [fix('unsafe', [edit('a.env', 0, 0, 'U')], false), firstSafe, preferred])), preferred);
  assert.equal(chooseFix(finding('a.env', 0, [fix('unsafe', [edit('a.env', 0, 0, 'U')], false, true), firstSafe])), firstSafe);
  assert.equal(chooseFix(finding('a.env', 0, [fix('unsafe', [edit('a.env', 0, 0, 'U')], false)])), undefined);
  assert.equal(chooseFix(finding('a.env', 0, [fix('empty', [])])), undefined);
  assert.equal(chooseFix(finding('a.env', 0, [])), undefined);
});

test('a fix goes in whole or not at all: one overlapping edit keeps all of its edits out', () => {
  const first = finding('a.env', 0, [fix('first', [edit('a.env', 0, 5, 'X')])]);
  const second = finding('a.env', 10, [fix('second', [edit('b.env', 0, 0, 'B=1\n'), edit('a.env', 3, 8, 'Y')])]);
  const plan = planFixes([second, first]);
  assert.deepEqual(plan.fixes.map((p) => p.fix.title), ['first']);
  assert.deepEqual(plan.edits, [edit('a.env', 0, 5, 'X')], 'the second fix\'s b.env edit is left out with the rest of it');
  assert.equal(plan.skipped.length, 1);
  assert.equal(plan.skipped[0].reason, 'overlap');
  assert.equal(plan.skipped[0].overlaps?.fix.title, 'first');
});

test('the same edit asked for by two fixes is taken once, and both fixes count', () => {
  const line = edit('deploy.sh', 20, 20, 'A=1,');
  const plan = planFixes([
    finding('code.py', 5, [fix('one', [{ ...line }, edit('deploy.sh', 40, 40, 'B=2,')])]),
    finding('code.py', 9, [fix('two', [{ ...line }])]),
  ]);
  assert.deepEqual(plan.fixes.map((p) => p.fix.title), ['one', 'two']);
  assert.deepEqual(plan.edits, [line, edit('deploy.sh', 40, 40, 'B=2,')]);
  assert.deepEqual(plan.skipped, []);
});

test('overlap: shared characters, two different insertions at one offset, an insertion inside a replacement', () => {
  assert.ok(editsOverlap(edit('f', 0, 5, 'x'), edit('f', 4, 6, 'y')));
  assert.ok(!editsOverlap(edit('f', 0, 5, 'x'), edit('f', 5, 6, 'y')), 'adjacent ranges');
  assert.ok(!editsOverlap(edit('f', 0, 5, 'x'), edit('g', 0, 5, 'y')), 'other file');
  assert.ok(editsOverlap(edit('f', 3, 3, 'a'), edit('f', 3, 3, 'b')));
  assert.ok(!editsOverlap(edit('f', 3, 3, 'a'), edit('f', 3, 3, 'a')), 'the same insertion twice is one edit');
  assert.ok(editsOverlap(edit('f', 3, 3, 'a'), edit('f', 1, 5, 'b')));
  assert.ok(editsOverlap(edit('f', 1, 5, 'b'), edit('f', 3, 3, 'a')));
  assert.ok(!editsOverlap(edit('f', 1, 1, 'a'), edit('f', 1, 5, 'b')), 'an insertion at a replacement\'s start');
  assert.ok(!editsOverlap(edit('f', 5, 5, 'a'), edit('f', 1, 5, 'b')), 'an insertion at a replacement\'s end');
});

test('a fix whose own edits collide is never taken', () => {
  const plan = planFixes([finding('f', 0, [fix('broken', [edit('f', 0, 4, 'x'), edit('f', 2, 6, 'y')])])]);
  assert.deepEqual(plan.fixes, []);
  assert.deepEqual(plan.edits, []);
  assert.equal(plan.skipped[0].reason, 'self-overlap');
});

test('deterministic: any order of the same findings gives the same plan; the first by place wins an overlap', () => {
  const fs1 = [
    finding('b.env', 4, [fix('b4', [edit('b.env', 0, 0, 'B=1\n')])]),
    finding('a.env', 7, [fix('a7', [edit('x.sh', 10, 12, 'late')])]),
    finding('a.env', 2, [fix('a2', [edit('x.sh', 11, 15, 'early')])]),
    finding('a.env', 2, [fix('a2-other-rule', [edit('y.sh', 0, 0, 'Y')])], 'another-rule'),
  ];
  const plans = [fs1, [...fs1].reverse(), [fs1[2], fs1[0], fs1[3], fs1[1]]].map(planFixes);
  for (const p of plans.slice(1)) {
    assert.deepEqual(p.fixes.map((x) => x.fix.title), plans[0].fixes.map((x) => x.fix.title));
    assert.deepEqual(p.edits, plans[0].edits);
    assert.deepEqual(p.skipped.map((x) => x.fix.title), plans[0].skipped.map((x) => x.fix.title));
  }
  assert.deepEqual(plans[0].fixes.map((x) => x.fix.title), ['a2-other-rule', 'a2', 'b4']);
  assert.deepEqual(plans[0].skipped.map((x) => x.fix.title), ['a7']);
  assert.deepEqual(plans[0].edits.map((e) => `${e.file}@${e.span.start}`), ['b.env@0', 'x.sh@11', 'y.sh@0'], 'edits by file, then offset');
});

test('the example: one plan for the CLI and the editor, its edits never overlap, a file\'s plan is its findings\' plan', async () => {
  const analysis = new Analysis(EXAMPLE);
  await analysis.load();
  const plan = analysis.fixPlan();
  assert.ok(plan.fixes.length >= 3, 'the example has safe fixes');
  assert.deepEqual(plan, planFixes(analysis.findings()));
  for (const [i, a] of plan.edits.entries()) for (const b of plan.edits.slice(i + 1)) assert.ok(!editsOverlap(a, b), JSON.stringify([a, b]));
  for (const p of plan.fixes) assert.equal(p.fix, chooseFix(p.finding));
  // The editor's fix-all of one document plans over that document's findings.
  const file = plan.fixes[0].finding.file;
  assert.deepEqual(analysis.fixPlan({ file }), planFixes(analysis.findings().filter((f) => f.file === file)));
  // Every edit of the plan applies to the text it was made for.
  for (const f of new Set(plan.edits.map((e) => e.file))) {
    const text = analysis.textOf(f)!;
    const edits = plan.edits.filter((e) => e.file === f);
    assert.equal(applyEdits(text, edits).applied.length, edits.length, f);
  }
});

test('applyFixPlan: a fix with one file changed on disk since the analysis leaves its other files alone too', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-fixplan-')));
  try {
    fs.writeFileSync(path.join(root, 'a.env'), 'A=1\n');
    fs.writeFileSync(path.join(root, 'b.env'), 'B=1\n');
    fs.writeFileSync(path.join(root, 'c.env'), 'C=1\n');
    const analysis = new Analysis(root);
    await analysis.load();
    const both = finding('a.env', 0, [fix('both files', [edit('a.env', 4, 4, 'A2=2\n'), edit('b.env', 4, 4, 'B2=2\n')])]);
    const alone = finding('c.env', 0, [fix('c only', [edit('c.env', 4, 4, 'C2=2\n')])]);
    const plan = planFixes([both, alone]);
    fs.writeFileSync(path.join(root, 'b.env'), 'B=1\n# edited meanwhile\n');
    const outcomes = analysis.applyFixPlan(plan);
    assert.deepEqual(outcomes.map((o) => [o.file, o.status]).sort(), [['b.env', 'conflict'], ['c.env', 'applied']]);
    assert.equal(outcomes.find((o) => o.file === 'b.env')!.reason, 'changed since it was analysed: not touched');
    assert.equal(fs.readFileSync(path.join(root, 'a.env'), 'utf8'), 'A=1\n', 'the fix\'s other file is not touched');
    assert.equal(fs.readFileSync(path.join(root, 'c.env'), 'utf8'), 'C=1\nC2=2\n');
    assert.equal(analysis.textOf('c.env'), 'C=1\nC2=2\n');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the plan says why it takes no fix for a finding: a value only the user knows, a judgement call, no fix', () => {
  const placeholder: Fix = { ...fix('placeholder', [edit('a.env', 0, 0, 'X=REPLACE_WITH_X\n')], false, true), needsValue: true };
  const plan = planFixes([
    finding('a.env', 0, [placeholder]),
    finding('a.env', 5, [fix('judgement', [edit('a.env', 5, 6, 'y')], false)]),
    finding('a.env', 9, []),
    finding('a.env', 12, [fix('empty', [])]),
    finding('b.env', 0, [fix('safe', [edit('b.env', 0, 0, 'B=1\n')])]),
  ]);
  assert.deepEqual(plan.fixes.map((p) => p.fix.title), ['safe']);
  assert.deepEqual(plan.left.map((l) => [l.finding.span.start, l.reason]), [[0, 'needs-value'], [5, 'unsafe'], [9, 'no-fix'], [12, 'no-fix']]);
});
