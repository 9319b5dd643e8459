/**
 * secret-manager-gate on a variable Cloud Run sets in one kind of container only: `K_SERVICE` is in
 * every service's container and never in a job's task. A gate on it is sound in a service and
 * never open in code deployed only as jobs: there Secret Manager is never used. Minimal
 * reproductions written from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { secretManagerGate } from '../../server/src/rules/secret-manager-gate';

before(ready);

const PY = `import os


def load_from_secret_manager() -> dict:
    if not os.environ.get("K_SERVICE"):
        return {}
    return {"loaded": True}
`;

const TS = `export async function loadSecrets(): Promise<boolean> {
  if (process.env.K_SERVICE) {
    return true; // Secret Manager
  }
  return false;
}
`;

const python = (command: string): Files => ({
  'report/requirements.txt': 'google-cloud-secret-manager\n',
  'report/app/secrets.py': PY,
  'deploy/deploy-report.sh': `#!/usr/bin/env bash
set -euo pipefail
gcloud run ${command} report --source report --region europe-west1 --set-env-vars APP_MODE=batch
`,
});

const typescript = (kind: string): Files => ({
  'exporter/package.json': '{ "name": "exporter", "dependencies": { "@google-cloud/secret-manager": "^5.0.0" } }\n',
  'exporter/src/secrets.ts': TS,
  'infra/exporter.tf': `resource "${kind}" "exporter" {
  name     = "exporter"
  location = "europe-west1"
  template {
${kind === 'google_cloud_run_v2_job' ? '    template {\n' : ''}    containers {
      image = "europe-docker.pkg.dev/acme/apps/exporter:1"
      env {
        name  = "APP_MODE"
        value = "batch"
      }
    }
${kind === 'google_cloud_run_v2_job' ? '    }\n' : ''}  }
}
`,
});

RuleTester.run(secretManagerGate, {
  valid: [
    {
      name: 'a service has K_SERVICE: the gate is sound',
      files: python('deploy'),
      control: { files: python('jobs deploy') },
    },
    {
      name: 'a Terraform service has K_SERVICE: the gate is sound',
      files: typescript('google_cloud_run_v2_service'),
      control: { files: typescript('google_cloud_run_v2_job') },
    },
  ],
  invalid: [
    {
      name: 'code deployed only as a job never has K_SERVICE: Secret Manager is never used',
      files: python('jobs deploy'),
      findings: [{
        at: 'report/app/secrets.py:5', severity: 'error', messageId: 'otherKindGateInFunction',
        message: /^load_from_secret_manager\(\) uses Secret Manager only when K_SERVICE is set, never so in a job: report \(default\)$/,
        related: ['deploy/deploy-report.sh:3'],
        fixes: [{
          title: 'Also accept CLOUD_RUN_JOB as a sign of running on Cloud Run', safe: false, preferred: true,
          newText: '(not os.environ.get("K_SERVICE") and not os.environ.get("CLOUD_RUN_JOB"))',
          output: { contains: { 'report/app/secrets.py': 'if (not os.environ.get("K_SERVICE") and not os.environ.get("CLOUD_RUN_JOB")):' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'a Terraform job never has K_SERVICE either',
      files: typescript('google_cloud_run_v2_job'),
      findings: [{
        at: 'exporter/src/secrets.ts:2', severity: 'error', messageId: 'otherKindGateInFunction',
        message: /^loadSecrets\(\) uses Secret Manager only when K_SERVICE is set, never so in a job: exporter \(default\)$/,
        related: ['infra/exporter.tf:6'],
        fixes: [{
          title: 'Also accept CLOUD_RUN_JOB as a sign of running on Cloud Run', safe: false, preferred: true,
          newText: '(process.env.K_SERVICE || process.env.CLOUD_RUN_JOB)',
          output: { contains: { 'exporter/src/secrets.ts': 'if ((process.env.K_SERVICE || process.env.CLOUD_RUN_JOB)) {' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'the other way round: code deployed only as a service never has CLOUD_RUN_JOB',
      files: { ...typescript('google_cloud_run_v2_service'), 'exporter/src/secrets.ts': TS.replace('K_SERVICE', 'CLOUD_RUN_JOB') },
      findings: [{
        at: 'exporter/src/secrets.ts:2', severity: 'error', messageId: 'otherKindGateInFunction',
        message: /^loadSecrets\(\) uses Secret Manager only when CLOUD_RUN_JOB is set, never so in a service: exporter \(default\)$/,
        related: ['infra/exporter.tf:5'],
        fixes: [{
          title: 'Also accept K_SERVICE as a sign of running on Cloud Run', safe: false, preferred: true,
          newText: '(process.env.CLOUD_RUN_JOB || process.env.K_SERVICE)',
          output: { contains: { 'exporter/src/secrets.ts': 'if ((process.env.CLOUD_RUN_JOB || process.env.K_SERVICE)) {' }, remaining: [] },
        }],
      }],
    },
  ],
});
