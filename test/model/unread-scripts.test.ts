/**
 * Batch deploy scripts are not read, nor a PowerShell deploy command the reader cannot read
 * exactly: rather than pass over them in silence, `--explain` lists those that name a Cloud Run
 * deploy. A script that deploys nothing, or one that only mentions gcloud, is not listed, and none
 * of them changes the findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';
import { formatExplain } from '../../server/src/ide/explain-text';
import { explainModel } from '../../server/src/engine/explain';
import { namesCloudRunDeploy } from '../../server/src/extract/unread-scripts';

const CODE = {
  'api/requirements.txt': 'fastapi\n',
  'api/app.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
};

test('batch deploy scripts, and PowerShell deploys not read exactly, are listed by --explain', async () => {
  const { findings, ws } = await analyze({
    ...CODE,
    // Unquoted, the comma list is two arguments to gcloud: not read.
    'deploy/deploy_backend.ps1': '$PROJECT = "acme"\ngcloud run deploy api `\n  --source api `\n  --set-env-vars SECRET_KEY=change_me,MODE=prod\n',
    'deploy/deploy_backend.bat': '@echo off\ngcloud.cmd --project acme run deploy api ^\n  --source api\n',
    'deploy/login.ps1': 'gcloud auth login\n',
    'tools/build.cmd': 'docker build -t api .\n',
  });
  const text = formatExplain(explainModel(ws.model()));
  assert.match(text, /Deploy scripts whose deploys are not checked \(batch files; PowerShell commands not read exactly, such as an unquoted comma list or Invoke-Expression\)\n  deploy\/deploy_backend\.bat\n  deploy\/deploy_backend\.ps1\n/);
  assert.doesNotMatch(text, /login\.ps1|build\.cmd/);
  assert.deepEqual(findings.map((f) => f.rule), []);
});

test('the words of a Cloud Run deploy: gcloud, global flags, run and the command', () => {
  assert.equal(namesCloudRunDeploy('gcloud run deploy api --source .'), true);
  assert.equal(namesCloudRunDeploy('& gcloud --quiet run jobs deploy etl'), true);
  assert.equal(namesCloudRunDeploy('gcloud run services replace service.yaml'), true);
  assert.equal(namesCloudRunDeploy('gcloud builds submit --tag gcr.io/acme/api'), false);
  assert.equal(namesCloudRunDeploy('Write-Host "run deploy with gcloud later"'), false);
});
