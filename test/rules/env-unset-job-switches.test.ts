/**
 * env-unset-for-deploy and code that tells "on Cloud Run" by a variable Cloud Run sets only in one
 * kind of container: `K_SERVICE` in a service's, never in a job's task; `CLOUD_RUN_JOB` the other
 * way round. A job runs the branch taken without `K_SERVICE`, whatever its deploy provides for the
 * other one. Minimal reproductions written from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const PY = `import os

if os.getenv("K_SERVICE"):
    TOKEN = os.environ["SYNC_TOKEN"]
else:
    TOKEN = open(os.environ["TOKEN_FILE"]).read()


def run():
    return TOKEN
`;

const python = (command: string): Files => ({
  'sync/requirements.txt': 'requests\n',
  'sync/main.py': PY,
  'sync/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "main.py"]\n',
  'deploy/deploy-sync.sh': `#!/usr/bin/env bash
set -euo pipefail
gcloud run ${command} sync \\
  --source sync \\
  --region europe-west1 \\
  --set-env-vars APP_MODE=batch \\
  --set-secrets SYNC_TOKEN=sync-token:latest
`,
});

const TS = `const onJob = !!process.env.CLOUD_RUN_JOB;
export const bucket = onJob ? process.env.EXPORT_BUCKET! : process.env.UPLOAD_BUCKET!;
`;

const typescript = (command: string): Files => ({
  'exporter/package.json': '{ "name": "exporter", "scripts": { "start": "node dist/index.js" } }\n',
  'exporter/src/index.ts': TS,
  'exporter/cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', ${command.split(' ').map((w) => `'${w}'`).join(', ')}, 'exporter', '--source=exporter', '--region=europe-west1', '--set-env-vars=EXPORT_BUCKET=acme-exports']
`,
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'a service has K_SERVICE: it reads the secret its deploy mounts, not the file path',
      files: python('deploy'),
      control: { files: python('jobs deploy') },
    },
    {
      name: 'a job has CLOUD_RUN_JOB: it reads the export bucket its deploy sets',
      files: typescript('jobs deploy'),
      control: { files: typescript('deploy') },
    },
  ],
  invalid: [
    {
      name: 'a job never has K_SERVICE: it takes the other branch, whose variable its deploy lacks',
      files: python('jobs deploy'),
      findings: [{
        at: 'deploy/deploy-sync.sh:7', severity: 'error', messageId: 'deployWithout',
        message: /^sync \(default\) is deployed without TOKEN_FILE, which sync\/main\.py reads$/,
        related: ['sync/main.py:6'],
        fixes: [{ title: /^Add TOKEN_FILE to sync \(default\)/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'a service never has CLOUD_RUN_JOB: it takes the other branch, whose variable its deploy lacks',
      files: typescript('deploy'),
      findings: [{
        at: 'exporter/cloudbuild.yaml:4', severity: 'error', messageId: 'deployWithout',
        message: /^exporter \(default\) is deployed without UPLOAD_BUCKET, which exporter\/src\/index\.ts reads$/,
        related: ['exporter/src/index.ts:2'],
        fixes: [{ title: /^Add UPLOAD_BUCKET=REPLACE_WITH_UPLOAD_BUCKET to exporter \(default\)/, safe: false, preferred: true }],
      }],
    },
  ],
});
