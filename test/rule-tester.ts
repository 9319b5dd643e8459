/**
 * One tester for every rule, after ESLint's and typescript-eslint's RuleTester:
 *
 *   RuleTester.run(rule, { valid, invalid })
 *
 * `valid` workspaces (in-memory file maps, analysed exactly as the CLI would) must yield no finding
 * of the rule. `invalid` workspaces must yield exactly the listed findings, in the engine's order
 * (file, then offset): each with its place, severity, message id, message text, related locations
 * and fixes (title, safety, whether preferred); every message fits a line (MAX_MESSAGE) and every
 * range marks a spot, not a block (MAX_RANGE_LINES). A fix with an `output` is applied with the shared
 * round trip (test/rules/_fix-roundtrip.ts): the finding is gone, nothing outside the edits
 * changed, every edited file still parses, and applying it again asks for nothing more.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, where, type Files } from './rule-harness';
import { roundTrip, type RoundTrip } from './rules/_fix-roundtrip';
import { at } from './helpers';
import type { Finding } from '../server/src/core/findings';
import type { SeverityName } from '../server/src/core/config';
import type { RuleMeta } from '../server/src/rules/types';

/** A substring the text must contain, or a pattern it must match. */
export type Text = string | RegExp;

export interface ExpectedRelated {
  /** `file:line` (1-based). */
  at: string;
  message?: Text;
  /** The text the related span covers. */
  text?: string;
}

export interface ExpectedFix {
  title: Text;
  safe: boolean;
  /** Whether editors mark it preferred (an absent `preferred` is false). */
  preferred: boolean;
  /** The file of each edit, in order. */
  files?: string[];
  /** The first edit's new text, exactly. */
  newText?: string;
  /** Apply it with the shared round trip, then check the result. */
  output?: FixOutput;
}

export interface FixOutput {
  /** Text each file must contain after the fix. */
  contains?: Record<string, string | string[]>;
  /** Text each file must no longer contain. */
  lacks?: Record<string, string | string[]>;
  /** `file:line` of this rule's findings after the fix, in order. */
  remaining?: string[];
  /** Other rules' findings after the fix, by rule. */
  others?: Others;
  /** Further checks on the round trip's result. */
  check?: (r: RoundTrip) => void | Promise<void>;
}

export interface ExpectedFinding {
  /** `file:line` (1-based) where the finding starts. */
  at: string;
  severity: SeverityName;
  /** A key of the rule's `meta.messages`. */
  messageId: string;
  /** Substrings the rendered message contains / patterns it matches. */
  message: Text | Text[];
  /** The text the finding's span covers. */
  text?: string;
  /** Every related location, in order: `file:line`, or with its message and text. */
  related: (string | ExpectedRelated)[];
  /** Every fix, in order. */
  fixes: ExpectedFix[];
}

interface CaseBase {
  name: string;
  files: Files;
  /** `.deploy-preflight.yaml` text. */
  config?: string;
  /** Other rules' findings (e.g. `unused-suppression`), exactly, by rule id. */
  others?: Others;
  /** What is running (recordings by file name, see test/rule-harness.ts `deployedState`): the drift rules need it. */
  deployed?: Files;
}

/** Other rules' findings by rule id: each `file:line`, or with its message text and severity. */
export type Others = Record<string, (string | { at: string; message?: Text | Text[]; severity?: SeverityName })[]>;

export interface ValidCase extends CaseBase {
  /** The workspace without the reason it is quiet, where the rule must fire: `files` default to
   * the case's, and there is no config unless `config` is given. */
  control?: { files?: Files; config?: string; deployed?: Files };
}

export interface InvalidCase extends CaseBase {
  findings: ExpectedFinding[];
  /** Values that must not appear in any message, related message or fix title. */
  secrets?: string[];
  /** Further checks on the findings. */
  check?: (found: Finding[], files: Files) => void | Promise<void>;
}

/** What a rule (or an engine-reported rule such as unused-suppression) must declare. */
export type TestedRule = { meta: Pick<RuleMeta, 'id' | 'messages' | 'fixable'> };

function matches(text: string, expected: Text): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
}

function assertText(text: string, expected: Text | Text[], what: string): void {
  for (const e of Array.isArray(expected) ? expected : [expected]) {
    assert.ok(matches(text, e), `${what} ${typeof e === 'string' ? 'lacks' : 'does not match'} ${typeof e === 'string' ? JSON.stringify(e) : String(e)}:\n  ${text}`);
  }
}

const lineOf = (r: { file: string; range: { start: { line: number } } }): string => `${r.file}:${r.range.start.line + 1}`;

/** One line per finding, for failure messages. */
export function describeFindings(found: Finding[]): string {
  return found.map((f) => `  ${where(f)} ${f.severity} ${f.messageId ?? '-'}: ${f.message}`).join('\n') || '  (none)';
}

function assertOthers(all: Finding[], others: Others | undefined): void {
  for (const [rule, expected] of Object.entries(others ?? {})) {
    const got = all.filter((f) => f.rule === rule);
    assert.deepEqual(got.map(where), expected.map((e) => (typeof e === 'string' ? e : e.at)), `${rule} findings:\n${describeFindings(got)}`);
    expected.forEach((e, i) => {
      if (typeof e === 'string') return;
      if (e.message !== undefined) assertText(got[i].message, e.message, `${where(got[i])}: ${rule} message`);
      if (e.severity !== undefined) assert.equal(got[i].severity, e.severity, `${where(got[i])}: ${rule} severity`);
    });
  }
}

function assertFinding(rule: TestedRule, files: Files, f: Finding, e: ExpectedFinding): void {
  const at_ = where(f);
  assert.equal(f.severity, e.severity, `${at_}: severity`);
  assert.equal(f.messageId, e.messageId, `${at_}: messageId`);
  assertText(f.message, e.message, `${at_}: message`);
  if (e.text !== undefined) assert.equal(at(files[f.file], f.span), e.text, `${at_}: the text the finding covers`);
  assert.deepEqual(f.related.map(lineOf), e.related.map((r) => (typeof r === 'string' ? r : r.at)), `${at_}: related locations`);
  e.related.forEach((r, i) => {
    if (typeof r === 'string') return;
    if (r.message !== undefined) assertText(f.related[i].message, r.message, `${at_}: related ${r.at} message`);
    if (r.text !== undefined) assert.equal(at(files[f.related[i].file], f.related[i].span), r.text, `${at_}: related ${r.at} text`);
  });
  assert.ok(rule.meta.fixable || f.fixes.length === 0, `${at_}: a rule declared not fixable offers a fix`);
  assert.equal(f.fixes.length, e.fixes.length, `${at_}: fixes offered: ${JSON.stringify(f.fixes.map((x) => x.title))}`);
  e.fixes.forEach((x, i) => {
    const fix = f.fixes[i];
    assertText(fix.title, x.title, `${at_}: fix ${i + 1} title`);
    assert.equal(fix.safe, x.safe, `${at_}: fix "${fix.title}" safe`);
    assert.equal(fix.preferred === true, x.preferred, `${at_}: fix "${fix.title}" preferred`);
    if (x.files) assert.deepEqual(fix.edits.map((d) => d.file), x.files, `${at_}: fix "${fix.title}" edited files`);
    if (x.newText !== undefined) assert.equal(fix.edits[0]?.newText, x.newText, `${at_}: fix "${fix.title}" new text`);
  });
}

/** A message leads with its claim on one line; the why and the how are in the rule's doc. */
export const MAX_MESSAGE = 120;
/** A finding marks a spot (a key, a name, a value), never a whole block. */
export const MAX_RANGE_LINES = 3;

/** Every finding: a message of at most MAX_MESSAGE characters, a range of at most MAX_RANGE_LINES lines. */
export function assertReadable(f: Finding): void {
  assert.ok(f.message.length <= MAX_MESSAGE, `${where(f)}: message of ${f.message.length} characters (at most ${MAX_MESSAGE}):\n  ${f.message}`);
  const lines = f.range.end.line - f.range.start.line + 1;
  assert.ok(lines <= MAX_RANGE_LINES, `${where(f)}: range of ${lines} lines (at most ${MAX_RANGE_LINES})`);
  for (const r of f.related) {
    assert.ok(r.range.end.line - r.range.start.line + 1 <= MAX_RANGE_LINES, `${where(f)}: related ${r.file}:${r.range.start.line + 1} spans more than ${MAX_RANGE_LINES} lines`);
  }
}

/**
 * One spot, one piece of advice: no two findings (of any rules) whose spans overlap in one file
 * both offer a preferred fix, unless the fixes are the same edits.
 */
export function assertNoConflictingFixes(all: Finding[]): void {
  const preferred = all.filter((f) => f.fixes.some((x) => x.preferred));
  for (let i = 0; i < preferred.length; i++) {
    for (let j = i + 1; j < preferred.length; j++) {
      const [a, b] = [preferred[i], preferred[j]];
      if (a.file !== b.file || !(a.span.start < b.span.end && b.span.start < a.span.end)) continue;
      const edits = (f: Finding) => JSON.stringify(f.fixes.find((x) => x.preferred)!.edits);
      assert.equal(edits(a), edits(b), `${a.rule} at ${where(a)} and ${b.rule} at ${where(b)} give different advice on one spot`);
    }
  }
}

function checkDeclared(rule: TestedRule, c: InvalidCase): void {
  for (const e of c.findings) {
    if (!Object.prototype.hasOwnProperty.call(rule.meta.messages, e.messageId)) {
      throw new Error(`${rule.meta.id}: case "${c.name}" expects messageId "${e.messageId}", which the rule does not declare`);
    }
  }
}

async function findings(rule: TestedRule, c: CaseBase): Promise<{ mine: Finding[]; all: Finding[] }> {
  const { findings: all } = await analyze(c.files, c.config, c.deployed);
  return { mine: all.filter((f) => f.rule === rule.meta.id), all };
}

export const RuleTester = {
  run(rule: TestedRule, tests: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
    const id = rule.meta.id;
    for (const c of tests.invalid) checkDeclared(rule, c);
    describe(id, () => {
      describe('valid', () => {
        for (const c of tests.valid) {
          test(c.name, async () => {
            const { mine, all } = await findings(rule, c);
            assert.deepEqual(mine.map(where), [], `no ${id} finding expected:\n${describeFindings(mine)}`);
            assertOthers(all, c.others);
            if (c.control) {
              const control = await findings(rule, { name: c.name, files: c.control.files ?? c.files, config: c.control.config, deployed: c.control.deployed ?? c.deployed });
              assert.ok(control.mine.length > 0, 'the control workspace (without the reason it is quiet) fires');
            }
          });
        }
      });
      describe('invalid', () => {
        for (const c of tests.invalid) {
          test(c.name, async () => {
            const { mine, all } = await findings(rule, c);
            assert.deepEqual(mine.map(where), c.findings.map((e) => e.at), `${id} findings:\n${describeFindings(mine)}`);
            mine.forEach((f, i) => assertFinding(rule, c.files, f, c.findings[i]));
            // Every finding of the workspace, not only this rule's: a short message, a narrow
            // range, no conflicting advice on one spot.
            for (const f of all) assertReadable(f);
            assertNoConflictingFixes(all);
            for (const secret of c.secrets ?? []) {
              for (const f of mine) {
                for (const text of [f.message, ...f.related.map((r) => r.message), ...f.fixes.map((x) => x.title)]) {
                  assert.ok(!text.includes(secret), `${where(f)}: a secret value appears in "${text}"`);
                }
              }
            }
            assertOthers(all, c.others);
            await c.check?.(mine, c.files);
          });
          c.findings.forEach((e, i) => e.fixes.forEach((x, k) => {
            const out = x.output;
            if (!out) return;
            test(`${c.name}: fix round trip (${e.at}, fix ${k + 1})`, async () => {
              const { mine } = await findings(rule, c);
              const target = mine[i];
              assert.ok(target && where(target) === e.at, `the finding at ${e.at}:\n${describeFindings(mine)}`);
              const r = await roundTrip(id, c.files, (f) => f.fingerprint === target.fingerprint, { fixIndex: k, config: c.config });
              for (const [file, texts] of Object.entries(out.contains ?? {})) {
                for (const t of [texts].flat()) assert.ok(r.after[file].includes(t), `${file} lacks ${JSON.stringify(t)} after the fix:\n${r.after[file]}`);
              }
              for (const [file, texts] of Object.entries(out.lacks ?? {})) {
                for (const t of [texts].flat()) assert.ok(!r.after[file].includes(t), `${file} still has ${JSON.stringify(t)} after the fix`);
              }
              if (out.remaining) {
                const left = r.findingsAfter.filter((f) => f.rule === id);
                assert.deepEqual(left.map(where), out.remaining, `${id} findings after the fix:\n${describeFindings(left)}`);
              }
              assertOthers(r.findingsAfter, out.others);
              await out.check?.(r);
            });
          }));
        }
      });
    });
  },
};
