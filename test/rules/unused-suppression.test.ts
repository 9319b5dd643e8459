/**
 * unused-suppression: the engine reports a `deploy-preflight-disable[-next-line]` comment that
 * silences nothing (info), and an unknown rule id in one. Every comment syntax, the config
 * switches, and the removal fix's round trip.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { findingsOf, where, type Files } from '../rule-harness';
import { roundTrip } from './_fix-roundtrip';

before(ready);

const RULE = 'unused-suppression';

const ROOT: Files = { 'services/api/requirements.txt': 'fastapi\n' };

/** A deploy that sets everything the code below needs: nothing to silence. */
const DEPLOY = `#!/usr/bin/env bash
gcloud run deploy api-staging --source services/api --project acme-staging \\
  --set-env-vars "ENVIRONMENT=staging,QUEUE_NAME=jobs,GCP_PROJECT_ID=acme-staging"
`;
const PY = `import os

# deploy-preflight-disable-next-line env-unset-for-deploy
QUEUE = os.environ["QUEUE_NAME"]
`;
const TS = `// deploy-preflight-disable-next-line env-unset-for-deploy -- set by the platform team
export const queue = process.env.QUEUE_NAME!;
`;
const YAML = `# deploy-preflight-disable placeholder-secret
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: api-production
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-prod/apps/api:latest
          env:
            - name: ENVIRONMENT
              value: production
            - name: QUEUE_NAME
              value: jobs
            - name: GCP_PROJECT_ID
              value: acme-prod
`;
const DOTENV = '# deploy-preflight-disable-next-line placeholder-secret\nLOG_LEVEL=debug\n';

const invalid: { name: string; files: Files; at: string; message: RegExp }[] = [
  { name: 'Python # next-line, nothing to silence', files: { ...ROOT, 'services/api/app/q.py': PY, 'deploy/deploy.sh': DEPLOY }, at: 'services/api/app/q.py:3', message: /^Unused suppression: no env-unset-for-deploy finding here to silence$/ },
  { name: 'TypeScript // next-line with a reason', files: { 'services/web/package.json': '{}\n', 'services/web/src/q.ts': TS, 'deploy/deploy.sh': DEPLOY.replace(/api/g, 'web') }, at: 'services/web/src/q.ts:1', message: /no env-unset-for-deploy finding here/ },
  { name: 'YAML # whole-file disable', files: { ...ROOT, 'deploy/api-production.yaml': YAML }, at: 'deploy/api-production.yaml:1', message: /no placeholder-secret finding here/ },
  { name: '.env # next-line', files: { ...ROOT, 'services/api/.env.staging': DOTENV }, at: 'services/api/.env.staging:1', message: /no placeholder-secret finding here/ },
  { name: 'shell # disable with an unknown rule id', files: { ...ROOT, 'deploy/deploy.sh': '# deploy-preflight-disable env-unset-for-deploys\n' + DEPLOY }, at: 'deploy/deploy.sh:1', message: /^Unknown rule id "env-unset-for-deploys" in suppression comment$/ },
];

for (const c of invalid) {
  test(`invalid: ${c.name}`, async () => {
    const found = await findingsOf(RULE, c.files);
    assert.deepEqual(found.map(where), [c.at]);
    assert.equal(found[0].severity, 'info');
    assert.match(found[0].message, c.message);
    assert.equal(found[0].fixes.length, 1);
    assert.equal(found[0].fixes[0].safe, false);
  });
  test(`fix round trip: ${c.name}`, async () => {
    const { after, fix } = await roundTrip(RULE, c.files, () => true);
    const file = fix.edits[0].file;
    assert.ok(!after[file].includes('deploy-preflight-disable'), after[file]);
    assert.deepEqual(await findingsOf(RULE, after), []);
  });
}

test('valid: a suppression that silences a finding is not reported', async () => {
  const files = { ...ROOT, 'services/api/app/q.py': PY, 'deploy/deploy.sh': DEPLOY.replace('QUEUE_NAME=jobs,', '') };
  // It silences the code end (its own line) only: the deploy end of the same problem stays.
  assert.deepEqual((await findingsOf('env-unset-for-deploy', files)).map(where), ['deploy/deploy.sh:3']);
  assert.deepEqual(await findingsOf(RULE, files), []);
  // With the deploy end suppressed in its own file too, both directives are used.
  const both = { ...files, 'deploy/deploy.sh': '# deploy-preflight-disable env-unset-for-deploy\n' + files['deploy/deploy.sh'] };
  assert.deepEqual(await findingsOf('env-unset-for-deploy', both), []);
  assert.deepEqual(await findingsOf(RULE, both), []);
});

test('valid: a directive inside a string is not a suppression', async () => {
  const files = { ...ROOT, 'services/api/app/doc.py': 'HELP = "# deploy-preflight-disable-next-line env-unset-for-deploy"\n' };
  assert.deepEqual(await findingsOf(RULE, files), []);
});

test('valid: a suppression for a rule turned off in the config is not reported', async () => {
  const files = { ...ROOT, 'services/api/app/q.py': PY, 'deploy/deploy.sh': DEPLOY };
  assert.deepEqual(await findingsOf(RULE, files, 'rules:\n  env-unset-for-deploy: off\n'), []);
});

test('config: unused-suppression off / warning', async () => {
  const files = { ...ROOT, 'services/api/app/q.py': PY, 'deploy/deploy.sh': DEPLOY };
  assert.deepEqual(await findingsOf(RULE, files, 'rules:\n  unused-suppression: off\n'), []);
  assert.deepEqual((await findingsOf(RULE, files, 'rules:\n  unused-suppression: warning\n')).map((f) => f.severity), ['warning']);
});

test('one directive listing a used and an unused rule: reported, but no fix that would drop the used one', async () => {
  const code = 'import os\n\n# deploy-preflight-disable-next-line env-unset-for-deploy, placeholder-secret\nQUEUE = os.environ["QUEUE_NAME"]\n';
  const files = { ...ROOT, 'services/api/app/q.py': code, 'deploy/deploy.sh': DEPLOY.replace('QUEUE_NAME=jobs,', '') };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', files)).map(where), ['deploy/deploy.sh:3'], 'only the code end is silenced');
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['services/api/app/q.py:3']);
  assert.match(found[0].message, /no placeholder-secret finding here to silence \(remove placeholder-secret from the directive's list\)/);
  assert.deepEqual(found[0].fixes, []);
});

test('one directive listing two unused rules: both reported, either fix removes the directive once', async () => {
  const code = 'import os\n\n# deploy-preflight-disable-next-line env-unset-for-deploy, placeholder-secret\nQUEUE = os.environ["QUEUE_NAME"]\n';
  const files = { ...ROOT, 'services/api/app/q.py': code, 'deploy/deploy.sh': DEPLOY };
  const found = await findingsOf(RULE, files);
  assert.equal(found.length, 2);
  assert.deepEqual(found[0].fixes[0].edits, found[1].fixes[0].edits);
  const { after } = await roundTrip(RULE, files, (f) => f.message.includes('env-unset-for-deploy'));
  assert.equal(after['services/api/app/q.py'], 'import os\n\n# \nQUEUE = os.environ["QUEUE_NAME"]\n');
  assert.deepEqual(await findingsOf(RULE, after), []);
});
