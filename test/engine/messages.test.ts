/**
 * Messages by id: the engine renders a finding's message from its rule's `meta.messages`
 * template and the report's data. A report naming an id the rule does not declare, or leaving a
 * placeholder without a value, is a bug in that rule: the rule fails (and only that rule).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { Workspace } from '../../server/src/engine/workspace';
import { runRules } from '../../server/src/engine/analyze';
import { placeholdersOf, renderMessage } from '../../server/src/engine/messages';
import { RULES, UNUSED_SUPPRESSION } from '../../server/src/rules/registry';
import { defineRule, type Report, type Rule } from '../../server/src/rules/types';

before(ready);

const META = { id: 'demo', messages: { plain: 'no placeholders', one: '{{name}} is not set', twice: '{{name}} and {{name}} ({{count}})', github: '${{ secrets.{{name}} }} or ${{{name}}}' } };

test('renders placeholders from data, every occurrence, numbers as text', () => {
  assert.equal(renderMessage(META, 'plain'), 'no placeholders');
  assert.equal(renderMessage(META, 'one', { name: 'QUEUE_NAME' }), 'QUEUE_NAME is not set');
  assert.equal(renderMessage(META, 'twice', { name: 'A', count: 2 }), 'A and A (2)');
  // Data is inserted as is: a value that looks like a placeholder is not rendered again.
  assert.equal(renderMessage(META, 'one', { name: '{{name}}' }), '{{name}} is not set');
});

test('GitHub expressions in a template stay literal text around a placeholder', () => {
  assert.equal(renderMessage(META, 'github', { name: 'DB_PASSWORD' }), '${{ secrets.DB_PASSWORD }} or ${DB_PASSWORD}');
  assert.deepEqual(placeholdersOf(META.messages.github), ['name']);
});

test('an unknown message id, a missing value or an undefined value throws, naming the rule and the id', () => {
  assert.throws(() => renderMessage(META, 'nope'), /rule demo reported unknown messageId "nope"/);
  assert.throws(() => renderMessage(META, 'toString'), /unknown messageId "toString"/, 'inherited properties are not message ids');
  assert.throws(() => renderMessage(META, 'one'), /rule demo, message "one": no value for \{\{name\}\}/);
  assert.throws(() => renderMessage(META, 'twice', { name: 'A' }), /no value for \{\{count\}\}/);
  assert.throws(() => renderMessage(META, 'one', { name: undefined }), /no value for \{\{name\}\}/);
});

test('every rule declares its messages: camelCase ids, non-empty templates, well-formed placeholders', () => {
  for (const meta of [...RULES.map((r) => r.meta), UNUSED_SUPPRESSION]) {
    const ids = Object.keys(meta.messages);
    assert.ok(ids.length > 0, `${meta.id} declares messages`);
    for (const id of ids) {
      const template = (meta.messages as Record<string, string>)[id];
      assert.match(id, /^[a-z][A-Za-z0-9]*$/, `${meta.id}: message id ${id}`);
      assert.ok(template.trim().length > 0, `${meta.id}.${id} is empty`);
      // What is left once the placeholders are taken out holds no malformed one (`{{ name}}`, `{{na-me}}`).
      const rest = template.replace(/\{\{[A-Za-z_][A-Za-z0-9_]*\}\}/g, '');
      assert.doesNotMatch(rest, /\{\{[A-Za-z_]|[A-Za-z0-9_]\}\}/, `${meta.id}.${id} has a malformed placeholder: ${template}`);
    }
  }
});

/** Runs `rule` next to every real rule over a small workspace where env-unset-for-deploy fires. */
async function runWith(rule: Rule): Promise<ReturnType<typeof runRules>> {
  const ws = new Workspace('/virtual/workspace');
  ws.setText('services/api/requirements.txt', 'fastapi\n');
  ws.setText('services/api/app/main.py', 'import os\nQUEUE = os.environ["QUEUE_NAME"]\n');
  ws.setText('deploy/deploy-api-staging.sh', 'gcloud run deploy api-staging --source services/api --set-env-vars "ENVIRONMENT=staging"\n');
  return runRules(ws.model(), (f) => ws.lineIndex(f), [rule, ...RULES]);
}

const fake = (report: Omit<Report<string>, 'file' | 'span' | 'key'>) => defineRule<string>({
  meta: { id: 'fake-rule', defaultSeverity: 'warning', description: 'reports what the test says', fixable: false, messages: { known: '{{name}} is known' } },
  check({ report: r }) {
    r({ file: 'services/api/app/main.py', span: { start: 0, end: 6 }, key: 'k', ...report });
  },
});

for (const [name, report, reason] of [
  ['an unknown messageId', { messageId: 'unknown' }, /unknown messageId "unknown"/],
  ['a missing placeholder value', { messageId: 'known' }, /message "known": no value for \{\{name\}\}/],
  ['an undefined placeholder value', { messageId: 'known', data: { name: undefined } }, /no value for \{\{name\}\}/],
] as const) {
  test(`a rule that reports ${name} fails; the other rules still report`, async () => {
    const { findings, ruleFailures } = await runWith(fake(report));
    assert.equal(findings.filter((f) => f.rule === 'fake-rule').length, 0, 'no rendered finding');
    const mine = ruleFailures.filter((f) => f.rule === 'fake-rule');
    assert.equal(mine.length, 1, 'one failure');
    assert.match(mine[0].message, reason);
    assert.ok(findings.some((f) => f.rule === 'env-unset-for-deploy' && f.messageId === 'deployWithout'), 'the real rules ran');
  });
}

test('a well-formed report renders, and the finding keeps its messageId', async () => {
  const { findings } = await runWith(fake({ messageId: 'known', data: { name: 'QUEUE_NAME' } }));
  const mine = findings.filter((f) => f.rule === 'fake-rule');
  assert.deepEqual(mine.map((f) => [f.messageId, f.message]), [['known', 'QUEUE_NAME is known']]);
});
