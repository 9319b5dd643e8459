import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractSuppressions } from '../../server/src/extract/suppressions';

before(ready);

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

test('dotenv: next-line skips blank and comment-only lines; reason ignored', () => {
  const text = [
    'ENVIRONMENT=staging',
    '# deploy-preflight-disable-next-line placeholder-secret, env-unset-for-deploy -- filled in by CI',
    '',
    '# the real value lives in Secret Manager',
    'SERVICE_SECRET=REPLACE_WITH_SERVICE_SECRET',
  ].join('\n');
  const s = extractSuppressions(text, 'dotenv');
  assert.deepEqual(s.map((x) => [x.rule, x.scope, x.line]), [
    ['placeholder-secret', 'line', 4],
    ['env-unset-for-deploy', 'line', 4],
  ]);
  assert.equal(at(text, s[0].span), 'deploy-preflight-disable-next-line placeholder-secret, env-unset-for-deploy');
  assert.equal(lineOf(text, 'SERVICE_SECRET'), 4);
});

test('file scope uses the directive line', () => {
  const text = 'steps:\n  # deploy-preflight-disable gcp-project-id-unwired\n  - name: gcr.io/cloud-builders/gcloud\n';
  const s = extractSuppressions(text, 'yaml');
  assert.equal(s.length, 1);
  assert.deepEqual({ rule: s[0].rule, scope: s[0].scope, line: s[0].line }, { rule: 'gcp-project-id-unwired', scope: 'file', line: 1 });
  assert.equal(at(text, s[0].span), 'deploy-preflight-disable gcp-project-id-unwired');
});

test('python: trailing comment after code counts; strings do not', () => {
  const text = [
    'import os',
    'msg = "# deploy-preflight-disable-next-line env-unset-for-deploy"',
    "other = 'x # deploy-preflight-disable oauth-env-mismatch'",
    'DOC = """',
    '# deploy-preflight-disable jwt-secret-divergence',
    '"""',
    'x = 1  # deploy-preflight-disable-next-line env-unset-for-deploy',
    'SECRET = os.environ["SERVICE_SECRET"]',
  ].join('\n');
  const s = extractSuppressions(text, 'python');
  assert.deepEqual(s.map((x) => [x.rule, x.scope, x.line]), [['env-unset-for-deploy', 'line', 7]]);
  assert.equal(at(text, s[0].span), 'deploy-preflight-disable-next-line env-unset-for-deploy');
});

test('shell: quoted # is not a comment, $# is not a comment', () => {
  const text = [
    '#!/usr/bin/env bash',
    'echo "# deploy-preflight-disable-next-line env-unset-for-deploy"',
    'echo $# deploy-preflight-disable env-unset-for-deploy',
    "echo 'it is # deploy-preflight-disable placeholder-secret'",
    '# deploy-preflight-disable-next-line gcp-project-id-unwired',
    'gcloud run deploy api \\',
    '  --set-env-vars=A=1',
  ].join('\n');
  const s = extractSuppressions(text, 'shell');
  assert.deepEqual(s.map((x) => [x.rule, x.scope, x.line]), [['gcp-project-id-unwired', 'line', 5]]);
});

test('yaml: apostrophe inside a plain scalar does not hide a comment', () => {
  const text = "note: it's fine # deploy-preflight-disable placeholder-secret\nkey: '# deploy-preflight-disable oauth-env-mismatch'\n";
  const s = extractSuppressions(text, 'yaml');
  assert.deepEqual(s.map((x) => x.rule), ['placeholder-secret']);
});

test('typescript: // and /* */ comments; strings and templates are not comments', () => {
  const text = [
    'const a = "// deploy-preflight-disable-next-line env-unset-for-deploy";',
    'const b = `',
    '// deploy-preflight-disable oauth-env-mismatch',
    '`;',
    '/* deploy-preflight-disable-next-line getter-enum-mismatch */',
    '/**',
    ' * deploy-preflight-disable secret-manager-gate -- gate reviewed',
    ' */',
    '// deploy-preflight-disable-next-line env-unset-for-deploy',
    '// another comment',
    'const url = process.env.DATABASE_URL!;',
  ].join('\n');
  const s = extractSuppressions(text, 'typescript');
  assert.deepEqual(s.map((x) => [x.rule, x.scope, x.line]), [
    ['getter-enum-mismatch', 'line', 10],
    ['secret-manager-gate', 'file', 6],
    ['env-unset-for-deploy', 'line', 10],
  ]);
  assert.equal(at(text, s[0].span), 'deploy-preflight-disable-next-line getter-enum-mismatch');
  assert.equal(at(text, s[1].span), 'deploy-preflight-disable secret-manager-gate');
});

test('directive must open the comment and name a rule; near-misses are ignored', () => {
  const text = [
    '# note: deploy-preflight-disable placeholder-secret',
    '# deploy-preflight-disabled placeholder-secret',
    '# deploy-preflight-disable',
    '# deploy-preflight-disable-next-line',
    'A=1',
  ].join('\n');
  assert.deepEqual(extractSuppressions(text, 'dotenv'), []);
  // Other file kinds have no comment syntax we read.
  assert.deepEqual(extractSuppressions('# deploy-preflight-disable x', 'other'), []);
  assert.deepEqual(extractSuppressions('# deploy-preflight-disable x', 'typescript'), []);
});

test('CRLF, dockerfile, next-line at end of file', () => {
  const text = 'FROM python:3.12\r\n# deploy-preflight-disable-next-line env-unset-for-deploy\r\n\r\nENV PORT=8080\r\n';
  const s = extractSuppressions(text, 'dockerfile');
  assert.deepEqual(s.map((x) => [x.rule, x.line]), [['env-unset-for-deploy', 3]]);
  assert.equal(at(text, s[0].span), 'deploy-preflight-disable-next-line env-unset-for-deploy');
  const last = extractSuppressions('A=1\n# deploy-preflight-disable-next-line placeholder-secret', 'dotenv');
  assert.equal(last[0].line, 2);
});
