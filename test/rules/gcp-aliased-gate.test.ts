/**
 * A Secret Manager loader that binds GCP_PROJECT_ID to a local and returns early when it is
 * unset reads the variable optionally, yet a deploy without it silently runs without secrets:
 * gcp-project-id-unwired reports the deploy, secret-manager-gate the gate (without a rewrite,
 * since the condition names only the local).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';

const LOADER = [
  'import os',
  'from google.cloud import secretmanager',
  '',
  'def load_from_secret_manager(name):',
  '    project = os.environ.get("GCP_PROJECT_ID")',
  '    if not project:',
  '        return None',
  '    client = secretmanager.SecretManagerServiceClient()',
  '    return client.access_secret_version(request={"name": f"projects/{project}/secrets/{name}/versions/latest"})',
  '',
].join('\n');

const DEPLOY = '#!/usr/bin/env bash\ngcloud run deploy billing-staging --source services/billing --project acme-staging --set-env-vars "ENVIRONMENT=staging"\n';

test('a gate through a local: the deploy lacking GCP_PROJECT_ID is reported, the gate gets no rewrite', async () => {
  const { findings } = await analyze({
    'services/billing/requirements.txt': 'fastapi\n',
    'services/billing/app/secrets.py': LOADER,
    'deploy/billing-staging.sh': DEPLOY,
  });
  const gcp = findings.filter((f) => f.rule === 'gcp-project-id-unwired');
  assert.equal(gcp.length, 1, findings.map((f) => `${f.rule} ${f.file}: ${f.message}`).join('\n'));
  assert.equal(gcp[0].file, 'deploy/billing-staging.sh');
  assert.ok(gcp[0].related.some((r) => r.file === 'services/billing/app/secrets.py'));
  const gate = findings.find((f) => f.rule === 'secret-manager-gate');
  assert.ok(gate, 'the gate is reported');
  assert.deepEqual(gate!.fixes, []);
});

test('look-alike: the local is used for its value only (no test): no gate, no finding', async () => {
  const { findings } = await analyze({
    'services/billing/requirements.txt': 'fastapi\n',
    'services/billing/app/paths.py': 'import os\n\ndef bucket_path(name):\n    project = os.environ.get("GCP_PROJECT_ID", "local")\n    return f"gs://{project}-assets/{name}"\n',
    'deploy/billing-staging.sh': DEPLOY,
  });
  assert.deepEqual(findings.filter((f) => f.rule === 'gcp-project-id-unwired' || f.rule === 'secret-manager-gate'), []);
});
