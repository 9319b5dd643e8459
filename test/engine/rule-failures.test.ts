/**
 * A rule that throws: its failure travels in the runner's `ruleFailures`, never as a finding, the
 * other rules' findings are complete, and the CLI reports it and exits 2 (even with --exit-zero).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ready } from '../helpers';
import { runRules } from '../../server/src/engine/analyze';
import { RULES } from '../../server/src/rules/registry';
import { Workspace } from '../../server/src/engine/workspace';
import { main } from '../../server/src/cli/main';
import type { Rule } from '../../server/src/rules/types';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'staging-audit');

const broken: Rule = {
  meta: { id: 'broken-rule', defaultSeverity: 'error', description: 'throws', fixable: false, messages: {} },
  check() {
    throw new Error('boom');
  },
};

before(ready);

test('runRules: a throwing rule is a ruleFailure, not a finding; the other rules still report', async () => {
  const ws = new Workspace(EXAMPLE);
  await ws.loadAll();
  const healthy = runRules(ws.model(), (f) => ws.lineIndex(f));
  assert.deepEqual(healthy.ruleFailures, []);
  const run = runRules(ws.model(), (f) => ws.lineIndex(f), [...RULES, broken]);
  assert.equal(run.ruleFailures.length, 1);
  assert.equal(run.ruleFailures[0].rule, 'broken-rule');
  assert.equal(run.ruleFailures[0].message, 'boom');
  assert.ok(run.findings.every((f) => f.rule !== 'broken-rule' && f.file !== '.'));
  assert.deepEqual(run.findings.map((f) => f.fingerprint), healthy.findings.map((f) => f.fingerprint));
});

test('the CLI prints the report, names the failed rule on stderr and exits 2, even with --exit-zero', async () => {
  RULES.push(broken);
  try {
    for (const extra of [[], ['--exit-zero'], ['--format', 'json']]) {
      let out = '';
      let err = '';
      const code = await main([EXAMPLE, '--no-color', ...extra], (s) => { out += s; }, (s) => { err += s; });
      assert.equal(code, 2, extra.join(' '));
      assert.match(err, /^deploy-preflight: internal error in rule broken-rule: boom$/m);
      assert.ok(out.length > 0 && !out.includes('broken-rule'), 'the report is printed, without a finding for the failure');
    }
    let sarif = '';
    await main([EXAMPLE, '--format', 'sarif'], (s) => { sarif += s; }, () => {});
    const inv = JSON.parse(sarif).runs[0].invocations[0];
    assert.equal(inv.executionSuccessful, false);
    assert.ok(inv.toolExecutionNotifications.some((n: { level: string; message: { text: string } }) => n.level === 'error' && n.message.text === 'internal error in rule broken-rule: boom'));
  } finally {
    RULES.splice(RULES.indexOf(broken), 1);
  }
});
