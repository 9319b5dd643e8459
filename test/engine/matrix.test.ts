/**
 * The deploy matrix (engine/matrix.ts): each cell's state from the model, its location, the
 * findings placed in it, and the example workspace's matrix at a glance. Plus the HTML report's
 * shape (self-contained, escaped).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze, type Files } from '../rule-harness';
import { buildMatrix, type MatrixData } from '../../server/src/engine/matrix';
import { Analysis } from '../../server/src/engine/analysis';
import { formatHtml } from '../../server/src/cli/formats/html';
import { ready } from '../helpers';

before(ready);

const FILES: Files = {
  'services/api/requirements.txt': 'flask\n',
  'services/api/app/main.py': [
    'import os',
    'DB = os.environ["DATABASE_URL"]',
    'LEVEL = os.environ.get("LOG_LEVEL", "info")',
    'TOKEN = os.environ["API_TOKEN"]',
    'PORT = os.environ["PORT"]',
    'QUEUE = os.environ["QUEUE_URL"]',
    'HOOK = os.environ["HOOK_SECRET"]',
    '',
  ].join('\n'),
  'deploy/api-staging.sh': [
    '#!/usr/bin/env bash',
    'gcloud run deploy api-staging --source services/api --project shop-staging --region europe-west1 \\',
    '  --env-vars-file deploy/api-staging.env.yaml \\',
    '  --set-secrets "API_TOKEN=api-token-staging:3"',
    // gcloud takes one of --env-vars-file and --set-env-vars / --update-env-vars per command.
    'gcloud run services update api-staging --project shop-staging --region europe-west1 \\',
    '  --update-env-vars "LOG_LEVEL=debug,HOOK_SECRET=changeme"',
    '',
  ].join('\n'),
  'deploy/api-staging.env.yaml': 'DATABASE_URL: postgresql://api@10.1.2.3/api\n',
  'deploy/api-production.sh': [
    '#!/usr/bin/env bash',
    'gcloud run deploy api-production --source services/api --project shop-prod --region europe-west1 \\',
    '  --update-env-vars "LOG_LEVEL=warning,DATABASE_URL=$PROD_DB_URL,HOOK_SECRET=$HOOK"',
    '',
  ].join('\n'),
};

async function matrixOf(files: Files): Promise<{ m: MatrixData; files: Files }> {
  const { ws } = await analyze(files);
  return { m: buildMatrix(ws.model(), ws.findings(), (f) => ws.lineIndex(f)), files };
}

const lineText = (files: Files, file: string, line: number, from: number, to: number): string => files[file].split('\n')[line].slice(from, to);

test('each cell says where the variable comes from in that target, never its value', async () => {
  const { m, files } = await matrixOf(FILES);
  assert.deepEqual(m.columns.map((c) => c.key), ['api@staging', 'api@production']);
  assert.deepEqual(m.columns[1].partial.length > 0, true, 'production only adds: partial');
  const cell = (name: string, col: string) => m.rows.find((r) => r.name === name)?.cells[col];
  const states = Object.fromEntries(m.rows.map((r) => [r.name, m.columns.map((c) => r.cells[c.key]?.state ?? '-').join(' ')]));
  assert.deepEqual(states, {
    API_TOKEN: 'secret unknown',
    DATABASE_URL: 'env-file expression',
    HOOK_SECRET: 'placeholder expression',
    LOG_LEVEL: 'literal literal',
    PORT: 'platform platform',
    QUEUE_URL: 'missing unknown',
  });
  assert.equal(cell('API_TOKEN', 'api@staging')?.detail, 'api-token-staging:3');
  assert.equal(cell('LOG_LEVEL', 'api@staging')?.detail, 'a 5-char value (lower)');
  assert.match(cell('DATABASE_URL', 'api@staging')!.detail, /^a \d+-char value .* from deploy\/api-staging\.env\.yaml$/);
  assert.match(cell('HOOK_SECRET', 'api@staging')!.detail, /^placeholder \(changeme\)/);
  // Where it is set: the name in the deploy; where it is read when unset.
  const l = cell('LOG_LEVEL', 'api@staging')!.location!;
  assert.equal(lineText(files, l.file, l.start.line, l.start.character, l.end.character), 'LOG_LEVEL');
  assert.equal(l.file, 'deploy/api-staging.sh');
  const q = cell('QUEUE_URL', 'api@staging')!.location!;
  assert.equal(q.file, 'services/api/app/main.py');
  assert.equal(lineText(files, q.file, q.start.line, q.start.character, q.end.character), 'QUEUE_URL');
  const row = m.rows.find((r) => r.name === 'QUEUE_URL')!;
  assert.equal(row.required, true);
  assert.deepEqual(row.readers.map((r) => [r.service, r.required]), [['api', true]]);
  assert.ok(!m.rows.find((r) => r.name === 'LOG_LEVEL')!.required, 'read with a default');
  assert.ok(!JSON.stringify(m).includes('10.1.2.3'), 'no value in the matrix');
});

test('findings land in their cells, and colour them by the worst severity', async () => {
  const { m } = await matrixOf(FILES);
  const cell = (name: string, col: string) => m.rows.find((r) => r.name === name)!.cells[col];
  const rules = (name: string, col: string) => cell(name, col).findings.map((f) => `${f.rule}:${f.severity}`).sort();
  // One problem, one finding: at the deploy lacking it (the code's read is its related location).
  assert.deepEqual(rules('QUEUE_URL', 'api@staging'), ['env-unset-for-deploy:error']);
  assert.deepEqual(cell('QUEUE_URL', 'api@staging').findings.map((f) => f.location.file).sort(), ['deploy/api-staging.sh']);
  assert.equal(cell('QUEUE_URL', 'api@staging').severity, 'error');
  assert.deepEqual(rules('HOOK_SECRET', 'api@staging'), ['placeholder-secret:error']);
  assert.deepEqual(rules('LOG_LEVEL', 'api@staging'), []);
  assert.equal(cell('LOG_LEVEL', 'api@staging').severity, undefined);
  assert.deepEqual(m.summary.findings.error >= 1, true);
  assert.equal(m.summary.services, 1);
  assert.deepEqual(m.summary.environments, ['staging', 'production']);
});

test('the example workspace\'s matrix: three services, their environments, the known problems in place', async () => {
  const a = new Analysis(path.join(__dirname, '..', '..', 'examples', 'staging-audit'));
  await a.load();
  const m = a.matrix();
  assert.deepEqual(m.columns.map((c) => c.key), ['auth@development', 'auth@staging', 'auth@production', 'backend@development', 'backend@staging', 'backend@production', 'worker@staging', 'worker@production']);
  const cell = (name: string, col: string) => m.rows.find((r) => r.name === name)?.cells[col];
  assert.equal(cell('SERVICE_SECRET', 'backend@staging')?.state, 'missing');
  assert.deepEqual([...new Set(cell('SERVICE_SECRET', 'backend@staging')?.findings.map((f) => f.rule))], ['env-unset-for-deploy']);
  assert.equal(cell('JWT_SECRET_KEY', 'backend@staging')?.state, 'secret');
  assert.equal(cell('JWT_SECRET_KEY', 'backend@staging')?.detail, 'jwt-secret-key-staging:latest');
  assert.equal(cell('QUEUE_NAME', 'worker@production')?.state, 'unknown');
  assert.equal(cell('GCP_PROJECT_ID', 'backend@staging')?.state, 'missing');
  assert.ok(cell('GCP_PROJECT_ID', 'backend@staging')!.findings.some((f) => f.rule === 'gcp-project-id-unwired'));
  assert.equal(cell('PORT', 'auth@staging')?.state, 'platform');
});

test('the HTML report is one self-contained, escaped page: summary, matrix, findings by file', async () => {
  const { ws } = await analyze({ ...FILES, 'services/api/app/extra.py': 'import os\nX = os.environ["A<b>&\\"C"]\n' });
  const m = buildMatrix(ws.model(), ws.findings(), (f) => ws.lineIndex(f));
  const html = formatHtml(m, ws.findings(), [{ file: 'x<y>.yaml', message: 'bad <thing>' }], 'shop & co');
  assert.match(html, /^<!doctype html>/);
  assert.ok(!/<script|<link|@import|url\(|src=|https?:\/\//i.test(html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')), 'nothing external, no script');
  assert.ok(html.includes("default-src 'none'"));
  assert.ok(html.indexOf('class="summary"') < html.indexOf('Deploy matrix') && html.indexOf('Deploy matrix') < html.indexOf('<h2>Findings</h2>'));
  assert.ok(html.includes('Deploy Preflight — shop &amp; co'));
  assert.ok(html.includes('x&lt;y&gt;.yaml') && html.includes('bad &lt;thing&gt;'));
  assert.ok(!html.includes('<thing>'));
  assert.ok(html.includes('<h3>deploy/api-staging.sh</h3>'), 'findings grouped by file');
  assert.ok(html.includes('class="cell s-missing sev-error"'), 'a missing cell coloured by its error');
  assert.ok(html.includes('↳'), 'the other end of a finding');
});

test('a read behind a presence test the target decides the other way is no missing cell, and says why', async () => {
  const { m } = await matrixOf({
    'services/api/requirements.txt': 'flask\n',
    'services/api/app/db.py': [
      'import os',
      'if os.getenv("SQL_INSTANCE"):',
      '    SOCKET = os.environ["SQL_SOCKET_DIR"]',
      'else:',
      '    HOST = os.environ["LOCAL_DB_HOST"]',
      '',
    ].join('\n'),
    'deploy/api-staging.sh': [
      '#!/usr/bin/env bash',
      'gcloud run deploy api-staging --source services/api --project shop-staging --region europe-west1 \\',
      '  --set-env-vars "SQL_INSTANCE=shop:europe-west1:db"',
      '',
    ].join('\n'),
  });
  const cell = (name: string) => m.rows.find((r) => r.name === name)?.cells['api@staging'];
  assert.equal(cell('SQL_SOCKET_DIR')?.state, 'missing');
  assert.equal(cell('LOCAL_DB_HOST')?.state, 'code-default');
  assert.equal(cell('LOCAL_DB_HOST')?.detail, 'not set; read only where SQL_INSTANCE is unset, which this deploy sets');
  assert.equal(cell('LOCAL_DB_HOST')?.findings.length, 0);
});

test("a variable Cloud Run sets in services only is the platform's in a service's column, the code's own in a job's", async () => {
  const files: Files = {
    'worker/requirements.txt': 'flask\n',
    'worker/app/main.py': 'import os\nON_CLOUD_RUN = "K_SERVICE" in os.environ\nREVISION = os.environ["K_REVISION"]\n',
    'deploy/worker.sh': [
      '#!/usr/bin/env bash',
      'gcloud run deploy worker-staging --source worker --project shop-staging --set-env-vars "MODE=api"',
      'gcloud run jobs deploy worker-production --source worker --project shop-prod --set-env-vars "MODE=batch"',
      '',
    ].join('\n'),
  };
  const { m } = await matrixOf(files);
  const cell = (name: string, col: string) => m.rows.find((r) => r.name === name)?.cells[col];
  assert.deepEqual(m.columns.map((c) => c.key), ['worker@staging', 'worker@production']);
  assert.equal(cell('K_SERVICE', 'worker@staging')?.state, 'platform');
  assert.equal(cell('K_SERVICE', 'worker@production')?.state, 'code-default');
  assert.equal(cell('K_REVISION', 'worker@staging')?.state, 'platform');
  assert.equal(cell('K_REVISION', 'worker@production')?.state, 'missing');
});
