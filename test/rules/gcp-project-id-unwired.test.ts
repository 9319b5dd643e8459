/**
 * gcp-project-id-unwired: code reads GCP_PROJECT_ID, a staging/production deploy of that service
 * does not set it. Valid and invalid workspaces side by side, across deploy file kinds, then
 * suppressions, configuration, and a fix round trip for every fix shape.
 *
 * Shape of the findings: one per deploy target lacking it (on the env block the fix edits; related
 * = every read that deploy leaves empty), and ONE per reading file (on the file's first read that
 * some deploy leaves empty; related = those deploy blocks, then the file's other reads).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { applyFix, findingsOf, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';
import { roundTrip } from './_fix-roundtrip';
import { RuleTester, type ExpectedFinding, type ExpectedFix, type ExpectedRelated, type InvalidCase } from '../rule-tester';
import { gcpProjectIdUnwired } from '../../server/src/rules/gcp-project-id-unwired';

before(ready);

const RULE = 'gcp-project-id-unwired';

// ---- service code ---------------------------------------------------------------------------

/** A Python service gating Secret Manager on GCP_PROJECT_ID. */
const PY_SERVICE: Files = {
  'services/api/requirements.txt': 'fastapi\ngoogle-cloud-secret-manager\n',
  'services/api/app/secrets.py': `import os


class SecretManager:
    def _is_gcp_available(self) -> bool:
        return os.environ.get("GCP_PROJECT_ID") is not None

    def load(self) -> None:
        if not self._is_gcp_available():
            return
        project = os.environ["GCP_PROJECT_ID"]
        print(project)
`,
};
const PY_READ = 'services/api/app/secrets.py:6';

/** A TypeScript service doing the same. */
const TS_SERVICE: Files = {
  'services/web/package.json': '{ "name": "web", "dependencies": { "@google-cloud/secret-manager": "^5.0.0" } }\n',
  'services/web/src/config.ts': `import { SecretManagerServiceClient } from "@google-cloud/secret-manager";

export async function loadSecrets(): Promise<string | undefined> {
  if (process.env.GCP_PROJECT_ID) {
    const client = new SecretManagerServiceClient();
    const [v] = await client.accessSecretVersion({ name: \`projects/\${process.env.GCP_PROJECT_ID}/secrets/web-key/versions/latest\` });
    return v.payload?.data?.toString();
  }
  return undefined;
}
`,
};

// ---- deploys ----------------------------------------------------------------------------------

const PY_DEPLOY = `#!/usr/bin/env python3
"""Deploy the api to Cloud Run (staging)."""
import subprocess

PROJECT_ID = "acme-staging"

SERVICES = {
    "api": {
        "source": "services/api",
        "env": {
            "ENVIRONMENT": "staging",
            "LOG_LEVEL": "info",
        },
    },
}


def deploy(name, cfg):
    env = ",".join(f"{k}={v}" for k, v in cfg["env"].items())
    subprocess.run(["gcloud", "run", "deploy", f"{name}-staging", "--source", cfg["source"],
                    "--project", PROJECT_ID, "--set-env-vars", env], check=True)
`;

const SHELL_DEPLOY = `#!/usr/bin/env bash
set -euo pipefail
PROJECT_ID="acme-staging"

gcloud run deploy api-staging \\
  --source services/api \\
  --project "$PROJECT_ID" \\
  --region europe-west1 \\
  --set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info"
`;

const CLOUDBUILD = `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - web-production
      - --image
      - europe-docker.pkg.dev/$PROJECT_ID/apps/web:$SHORT_SHA
      - --set-env-vars
      - ENVIRONMENT=production,LOG_LEVEL=warning
`;

const KNATIVE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: api-production
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-prod/apps/api:latest
          env:
            # log verbosity
            - name: ENVIRONMENT
              value: production
            - name: LOG_LEVEL
              value: warning
`;

const GHA_DEPLOY_CLOUDRUN = `name: Deploy web
on: { push: { branches: [main] } }
jobs:
  staging:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: web-staging
          source: services/web
          project_id: acme-staging
          env_vars: |
            ENVIRONMENT=staging
            LOG_LEVEL=info
`;

const GHA_RUN_UPDATE = `name: Deploy web (production)
on: workflow_dispatch
jobs:
  production:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - name: Deploy
        run: |
          gcloud run deploy web-production \\
            --source services/web \\
            --project acme-prod \\
            --update-env-vars ENVIRONMENT=production
`;

const SHELL_NO_ENV = `#!/usr/bin/env bash
gcloud run deploy api-staging --source services/api --project acme-staging --region europe-west1
`;

/** `file:line` of each related location. */
const relatedAt = (f: Finding): string[] => f.related.map((r) => `${r.file}:${r.range.start.line + 1}`);

/** The code end's related list: the deploy blocks (in order), then the file's other reads. */
function assertCodeRelated(f: Finding, deploys: string[], otherReads: string[]): void {
  assert.deepEqual(relatedAt(f), [...deploys, ...otherReads], 'the code end points at the deploy blocks, then the other reads');
  for (const r of f.related.slice(0, deploys.length)) assert.match(r.message, /^.+ deployed here without GCP_PROJECT_ID$/);
  for (const r of f.related.slice(deploys.length)) assert.equal(r.message, 'GCP_PROJECT_ID also read here');
}

interface Expected {
  /** The deploy end: the env block the fix edits; related = the reads. */
  deploy: { at: string; message: RegExp[] };
  /** Every read of the (one) reading file, in order. The code end is ONE finding, on the first;
   * its related list is the deploy block, then the other reads. The deploy end relates to all. */
  reads: string[];
  /** Of both ends (additive targets only: warning). */
  severity: 'error' | 'warning';
  /** What the code-side message says about which deploy leaves it unset. */
  code: RegExp;
}
interface Invalid {
  name: string;
  files: Files;
  expect: Expected;
  /** The fix: its title, safety, and the text the edited file must then contain. */
  fix: { title: RegExp; safe: boolean; file: string; contains: string };
}

const PY_READS = [PY_READ, 'services/api/app/secrets.py:11'];
const TS_READS = ['services/web/src/config.ts:4', 'services/web/src/config.ts:6'];

const invalid: Invalid[] = [
  {
    name: 'Python deploy script: dict of env vars without it; value from PROJECT_ID',
    files: { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY },
    expect: { deploy: { at: 'scripts/deploy_staging.py:10', message: [/^api \(staging\) is deployed without GCP_PROJECT_ID, which api reads; Cloud Run does not set it, so Secret Manager and other project lookups are skipped in staging$/] }, reads: PY_READS, severity: 'error', code: /^GCP_PROJECT_ID is not set by the staging deploy of api: this read sees nothing there$/ },
    fix: { title: /Add GCP_PROJECT_ID=PROJECT_ID to api \(staging\)/, safe: true, file: 'scripts/deploy_staging.py', contains: '            "LOG_LEVEL": "info",\n            "GCP_PROJECT_ID": PROJECT_ID,\n        },' },
  },
  {
    name: 'shell gcloud run deploy --set-env-vars: value from --project "$PROJECT_ID" (resolved)',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
    expect: { deploy: { at: 'deploy/deploy-api-staging.sh:9', message: [/^api \(staging\) is deployed without GCP_PROJECT_ID, which api reads/, /in staging$/] }, reads: PY_READS, severity: 'error', code: /^GCP_PROJECT_ID is not set by the staging deploy of api:/ },
    fix: { title: /Add GCP_PROJECT_ID=acme-staging/, safe: true, file: 'deploy/deploy-api-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,GCP_PROJECT_ID=acme-staging"' },
  },
  {
    name: 'Cloud Build args without --project: value is the built-in $PROJECT_ID',
    files: { ...TS_SERVICE, 'cloudbuild-production.yaml': CLOUDBUILD },
    expect: { deploy: { at: 'cloudbuild-production.yaml:11', message: [/^web \(production\) is deployed without GCP_PROJECT_ID, which web reads/, /in production$/] }, reads: TS_READS, severity: 'error', code: /^GCP_PROJECT_ID is not set by the production deploy of web:/ },
    fix: { title: /Add GCP_PROJECT_ID=\$PROJECT_ID/, safe: true, file: 'cloudbuild-production.yaml', contains: '      - ENVIRONMENT=production,LOG_LEVEL=warning,GCP_PROJECT_ID=$PROJECT_ID\n' },
  },
  {
    name: 'Knative service YAML with no project anywhere: a marked placeholder (unsafe)',
    files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE },
    expect: { deploy: { at: 'deploy/api-production.yaml:12', message: [/^api \(production\) is deployed without GCP_PROJECT_ID, which api reads/, /in production$/] }, reads: PY_READS, severity: 'error', code: /^GCP_PROJECT_ID is not set by the production deploy of api:/ },
    fix: { title: /REPLACE_WITH_GCP_PROJECT_ID.*fill in the project id/, safe: false, file: 'deploy/api-production.yaml', contains: '              value: warning\n            - name: GCP_PROJECT_ID\n              value: REPLACE_WITH_GCP_PROJECT_ID\n' },
  },
  {
    name: 'GitHub Actions deploy-cloudrun env_vars (overwrite strategy): value from project_id',
    files: { ...TS_SERVICE, '.github/workflows/deploy-web.yml': GHA_DEPLOY_CLOUDRUN.replace('          env_vars: |', '          env_vars_update_strategy: overwrite\n          env_vars: |') },
    expect: { deploy: { at: '.github/workflows/deploy-web.yml:15', message: [/^web \(staging\) is deployed without GCP_PROJECT_ID, which web reads; Cloud Run/] }, reads: TS_READS, severity: 'error', code: /^GCP_PROJECT_ID is not set by the staging deploy of web:/ },
    fix: { title: /Add GCP_PROJECT_ID=acme-staging/, safe: true, file: '.github/workflows/deploy-web.yml', contains: '            LOG_LEVEL=info\n            GCP_PROJECT_ID=acme-staging\n' },
  },
  {
    name: 'GitHub Actions deploy-cloudrun env_vars (default merge strategy, additive): warning',
    files: { ...TS_SERVICE, '.github/workflows/deploy-web.yml': GHA_DEPLOY_CLOUDRUN },
    expect: { deploy: { at: '.github/workflows/deploy-web.yml:14', message: [/^web \(staging\) is deployed without GCP_PROJECT_ID/, /lower certainty/] }, reads: TS_READS, severity: 'warning', code: /^GCP_PROJECT_ID is not set by the staging deploy of web:/ },
    fix: { title: /Add GCP_PROJECT_ID=acme-staging/, safe: true, file: '.github/workflows/deploy-web.yml', contains: '            LOG_LEVEL=info\n            GCP_PROJECT_ID=acme-staging\n' },
  },
  {
    name: 'GitHub Actions run: with --update-env-vars (additive): warning, and the message says why',
    files: { ...TS_SERVICE, '.github/workflows/release.yml': GHA_RUN_UPDATE },
    expect: { deploy: { at: '.github/workflows/release.yml:13', message: [/^web \(production\) is deployed without GCP_PROJECT_ID, which web reads \(lower certainty: this deploy only adds variables, so the service may hold it already\); Cloud Run/] }, reads: TS_READS, severity: 'warning', code: /^GCP_PROJECT_ID is not set by the production deploy of web:/ },
    fix: { title: /Add GCP_PROJECT_ID=acme-prod/, safe: true, file: '.github/workflows/release.yml', contains: '--update-env-vars ENVIRONMENT=production,GCP_PROJECT_ID=acme-prod\n' },
  },
  {
    // A deploy without env flags keeps the variables the service has: lower certainty.
    name: 'shell deploy with no env flag at all (keeps what the service has: warning): a new --update-env-vars word',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_NO_ENV },
    expect: { deploy: { at: 'deploy/deploy-api-staging.sh:2', message: [/^api \(staging\) is deployed without GCP_PROJECT_ID/, /lower certainty/] }, reads: PY_READS, severity: 'warning', code: /^GCP_PROJECT_ID is not set by the staging deploy of api:/ },
    fix: { title: /Add GCP_PROJECT_ID=acme-staging/, safe: true, file: 'deploy/deploy-api-staging.sh', contains: '--region europe-west1 --update-env-vars=GCP_PROJECT_ID=acme-staging\n' },
  },
];

interface Valid {
  name: string;
  files: Files;
  config?: string;
  /** The same workspace minus the reason it is quiet: must fire (so the case tests what it says). */
  control?: Files;
}

const valid: Valid[] = [
  {
    name: 'the shell deploy sets it from ${PROJECT_ID}',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}"') },
  },
  {
    name: 'the Knative env list sets it (look-alike: GCP_PROJECT is not enough, GCP_PROJECT_ID is there)',
    files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE.replace('              value: warning\n', '              value: warning\n            - name: GCP_PROJECT\n              value: acme-prod\n            - name: GCP_PROJECT_ID\n              value: acme-prod\n') },
  },
  {
    name: 'the deploy-cloudrun step sets it',
    files: { ...TS_SERVICE, '.github/workflows/deploy-web.yml': GHA_DEPLOY_CLOUDRUN.replace('LOG_LEVEL=info\n', 'LOG_LEVEL=info\n            GCP_PROJECT_ID=acme-staging\n') },
  },
  {
    name: 'read only in a test file',
    files: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/tests/test_secrets.py': 'import os\n\n\ndef test_project():\n    assert os.environ["GCP_PROJECT_ID"] == "acme-test"\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
    control: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/project.py': 'import os\n\n\ndef project():\n    return os.environ["GCP_PROJECT_ID"]\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
  },
  {
    name: 'read only in a development branch',
    files: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/dev.py': 'import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "development":\n    EMULATOR_PROJECT = os.environ["GCP_PROJECT_ID"]\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
    control: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/dev.py': 'import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "staging":\n    EMULATOR_PROJECT = os.environ["GCP_PROJECT_ID"]\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
  },
  {
    name: 'presence test among several GCP signals (secret-manager-gate\'s widening already applied)',
    files: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/secrets.py': `import os


def _running_on_gcp() -> bool:
    return (
        "GCP_PROJECT_ID" in os.environ
        or "GOOGLE_APPLICATION_CREDENTIALS" in os.environ
        or "K_SERVICE" in os.environ
    )


def secret_manager_enabled() -> bool:
    return _running_on_gcp()
`,
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
    control: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/secrets.py': 'import os\n\n\ndef secret_manager_enabled() -> bool:\n    return "GCP_PROJECT_ID" in os.environ\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
  },
  {
    name: 'only a development target (docker compose) lacks it',
    files: {
      ...PY_SERVICE,
      'docker-compose.yml': 'services:\n  api:\n    build: ./services/api\n    environment:\n      ENVIRONMENT: development\n',
    },
    control: {
      ...PY_SERVICE,
      'docker-compose.yml': 'services:\n  api:\n    build: ./services/api\n    environment:\n      ENVIRONMENT: development\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
  },
  {
    name: 'another service reads it; the deployed one does not',
    files: {
      ...PY_SERVICE,
      'services/billing/requirements.txt': 'fastapi\n',
      'services/billing/app/main.py': 'import os\n\nLOG_LEVEL = os.environ.get("LOG_LEVEL", "info")\n',
      'deploy/deploy-billing-staging.sh': SHELL_DEPLOY.replace(/api/g, 'billing'),
    },
  },
  {
    name: 'the config declares it runtime-provided',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
    config: 'runtimeProvided: [GCP_PROJECT_ID]\n',
  },
];

const SETTINGS_PY = `import os

ENVIRONMENT = os.environ.get("ENVIRONMENT", "development")
if ENVIRONMENT == "production":
    BILLING_PROJECT = os.environ["GCP_PROJECT_ID"]

PROJECT = os.environ.get("GCP_PROJECT_ID")
`;

const NAME = 'GCP_PROJECT_ID';
/** A read the deploy end relates: its message names the accessor, its span the variable. */
const readRelated = (at: string): ExpectedRelated => ({ at, message: /^GCP_PROJECT_ID read here \(.+\)$/, text: NAME });
/** The code end's related list: the deploy blocks (in order), then the file's other reads. */
const codeRelated = (deploys: string[], otherReads: string[]): ExpectedRelated[] => [
  ...deploys.map((at) => ({ at, message: /^.+ deployed here without GCP_PROJECT_ID$/ })),
  ...otherReads.map((at) => ({ at, message: /^GCP_PROJECT_ID also read here$/, text: NAME })),
];
/** The fix a case's target gets (`output`: applied from this end with the shared round trip). */
const fixOf = (c: Invalid, output = false, preferred = true): ExpectedFix => ({
  title: c.fix.title, safe: c.fix.safe, preferred, files: [c.fix.file],
  ...(output ? { output: { contains: { [c.fix.file]: c.fix.contains }, remaining: [] } } : {}),
});
const deployEnd = (at: string, severity: ExpectedFinding['severity'], additive: boolean, message: RegExp | RegExp[], reads: string[], fixes: ExpectedFix[]): ExpectedFinding => ({
  at, severity, messageId: additive ? 'deployWithoutAdditive' : 'deployWithout', message, related: reads.map(readRelated), fixes,
});
const codeEnd = (at: string, severity: ExpectedFinding['severity'], message: RegExp, deploys: string[], otherReads: string[], fixes: ExpectedFix[]): ExpectedFinding => ({
  at, severity, messageId: 'readUnset', message, text: NAME, related: codeRelated(deploys, otherReads), fixes,
});

/** Both ends of one case: the deploy block first (files sort before services/), then the file's
 * first read only — one finding for the file, not one per read — each with the same fix, applied
 * from both ends. */
function bothEnds(c: Invalid): InvalidCase {
  const e = c.expect;
  const [firstRead, ...otherReads] = e.reads;
  const additive = e.severity === 'warning';
  return {
    name: c.name,
    files: c.files,
    findings: [
      deployEnd(e.deploy.at, e.severity, additive, e.deploy.message, e.reads, [fixOf(c, true)]),
      codeEnd(firstRead, e.severity, e.code, [e.deploy.at], otherReads, [fixOf(c, true)]),
    ],
    check: ([deploy, code]) => assert.deepEqual(code.fixes[0].edits, deploy.fixes[0].edits, 'the same edit at both ends'),
  };
}

const [PY_SCRIPT_CASE, SHELL_CASE, CLOUDBUILD_CASE, KNATIVE_CASE, , , GHA_RUN_CASE] = invalid;
/** PY_SERVICE with a disable-next-line comment above the given reads (by their line in PY_SERVICE). */
function suppressReads(lines: number[], rule = RULE): Files {
  const text = PY_SERVICE['services/api/app/secrets.py'].split('\n');
  for (const n of [...lines].sort((a, b) => b - a)) {
    const indent = /^\s*/.exec(text[n - 1])![0];
    text.splice(n - 1, 0, `${indent}# deploy-preflight-disable-next-line ${rule} -- only used on GCP`);
  }
  return { ...PY_SERVICE, 'services/api/app/secrets.py': text.join('\n') };
}
const PY_DEPLOY_SUPPRESSED = PY_DEPLOY.replace('        "env": {', '        # deploy-preflight-disable-next-line gcp-project-id-unwired -- the project comes from the runtime\n        "env": {');
const CLOUDBUILD_SUPPRESSED = '# deploy-preflight-disable gcp-project-id-unwired\n' + CLOUDBUILD;
const SHELL_SUPPRESSED = SHELL_DEPLOY.replace('gcloud run deploy', '# deploy-preflight-disable gcp-project-id-unwired -- set by the base image\ngcloud run deploy');
const SHELL_SETS_IT = SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}"');
const PLANTED = 'sk_live_9fQ2xT7vLm3pR8wZ';
/** The Python script's deploy end (line 10) and the code end, shifted by `shift` lines. */
const PY_SCRIPT_DEPLOY = (reads: string[]) => deployEnd('scripts/deploy_staging.py:10', 'error', false, PY_SCRIPT_CASE.expect.deploy.message, reads, [fixOf(PY_SCRIPT_CASE)]);
const SHELL_ENDS = (severity: 'error' | 'warning' = 'error'): ExpectedFinding[] => [
  deployEnd('deploy/deploy-api-staging.sh:9', severity, false, SHELL_CASE.expect.deploy.message, PY_READS, [fixOf(SHELL_CASE)]),
  codeEnd(PY_READ, severity, SHELL_CASE.expect.code, ['deploy/deploy-api-staging.sh:9'], PY_READS.slice(1), [fixOf(SHELL_CASE)]),
];
const GHA_RUN_ENDS = (severity: 'error' | 'warning'): ExpectedFinding[] => [
  deployEnd('.github/workflows/release.yml:13', severity, true, GHA_RUN_CASE.expect.deploy.message, TS_READS, [fixOf(GHA_RUN_CASE)]),
  codeEnd(TS_READS[0], severity, GHA_RUN_CASE.expect.code, ['.github/workflows/release.yml:13'], TS_READS.slice(1), [fixOf(GHA_RUN_CASE)]),
];
const SETTINGS = { 'services/api/requirements.txt': 'fastapi\n', 'services/api/app/settings.py': SETTINGS_PY };

RuleTester.run(gcpProjectIdUnwired, {
  valid: [
    ...valid.map((c) => ({ name: c.name, files: c.files, config: c.config, ...(c.control ? { control: { files: c.control, config: c.config } } : {}) })),
    {
      name: 'suppression: # next-line in the Python deploy script and on the file\'s first read: nothing left, nothing unused',
      files: { ...suppressReads([6]), 'scripts/deploy_staging.py': PY_DEPLOY_SUPPRESSED },
      others: { 'unused-suppression': [] },
      control: { files: PY_SCRIPT_CASE.files },
    },
    {
      name: 'suppression: # disable (whole file) in Cloud Build YAML and // disable in the TypeScript code: nothing left, nothing unused',
      files: { ...TS_SERVICE, 'cloudbuild-production.yaml': CLOUDBUILD_SUPPRESSED, 'services/web/src/config.ts': '// deploy-preflight-disable gcp-project-id-unwired\n' + TS_SERVICE['services/web/src/config.ts'] },
      others: { 'unused-suppression': [] },
      control: { files: CLOUDBUILD_CASE.files },
    },
    {
      name: 'suppression: # disable (whole file) in the shell script and # next-line on the first read: nothing left, nothing unused',
      files: { ...suppressReads([6]), 'deploy/deploy-api-staging.sh': SHELL_SUPPRESSED },
      others: { 'unused-suppression': [] },
      control: { files: SHELL_CASE.files },
    },
    {
      name: 'an unused suppression for this rule is reported as unused-suppression',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_SETS_IT.replace('gcloud run deploy', '# deploy-preflight-disable-next-line gcp-project-id-unwired\ngcloud run deploy') },
      others: { 'unused-suppression': [{ at: 'deploy/deploy-api-staging.sh:5', severity: 'info', message: /no gcp-project-id-unwired finding here/ }] },
    },
    {
      name: 'an unused suppression at the code end (the deploy sets it now) is reported as unused-suppression',
      files: { ...suppressReads([6]), 'deploy/deploy-api-staging.sh': SHELL_SETS_IT },
      others: { 'unused-suppression': [{ at: 'services/api/app/secrets.py:6', message: /no gcp-project-id-unwired finding here/ }] },
    },
    {
      name: 'config: off disables both ends',
      files: SHELL_CASE.files,
      config: 'rules:\n  gcp-project-id-unwired: off\n',
      control: {},
    },
  ],
  invalid: [
    ...invalid.map(bothEnds),
    {
      name: 'a read in a production-only branch does not need the staging deploy to set it',
      files: { ...SETTINGS, 'services/api/app/settings.py': 'import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "production":\n    PROJECT = os.environ["GCP_PROJECT_ID"]\n', 'deploy/deploy-api-staging.sh': SHELL_DEPLOY, 'deploy/api-production.yaml': KNATIVE },
      findings: [
        deployEnd('deploy/api-production.yaml:12', 'error', false, KNATIVE_CASE.expect.deploy.message, ['services/api/app/settings.py:5'], [fixOf(KNATIVE_CASE)]),
        codeEnd('services/api/app/settings.py:5', 'error', /^GCP_PROJECT_ID is not set by the production deploy of api:/, ['deploy/api-production.yaml:12'], [], [fixOf(KNATIVE_CASE)]),
      ],
    },
    {
      name: 'the code end sits on the file\'s first read that some deploy leaves empty: only staging deployed, the production-only read on line 5 is fine there',
      files: { ...SETTINGS, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
      findings: [
        // The deploy end relates only the reads it leaves empty.
        deployEnd('deploy/deploy-api-staging.sh:9', 'error', false, SHELL_CASE.expect.deploy.message, ['services/api/app/settings.py:7'], [fixOf(SHELL_CASE)]),
        codeEnd('services/api/app/settings.py:7', 'error', /^GCP_PROJECT_ID is not set by the staging deploy of api:/, ['deploy/deploy-api-staging.sh:9'], ['services/api/app/settings.py:5'], [fixOf(SHELL_CASE)]),
      ],
    },
    {
      name: 'the code end sits on the file\'s first read that some deploy leaves empty: production deployed too, line 5 is',
      files: { ...SETTINGS, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY, 'deploy/api-production.yaml': KNATIVE },
      findings: [
        deployEnd('deploy/api-production.yaml:12', 'error', false, KNATIVE_CASE.expect.deploy.message, ['services/api/app/settings.py:5', 'services/api/app/settings.py:7'], [fixOf(KNATIVE_CASE)]),
        deployEnd('deploy/deploy-api-staging.sh:9', 'error', false, SHELL_CASE.expect.deploy.message, ['services/api/app/settings.py:7'], [fixOf(SHELL_CASE)]),
        codeEnd('services/api/app/settings.py:5', 'error', /^GCP_PROJECT_ID is not set by the staging and production deploys of api:/, ['deploy/deploy-api-staging.sh:9', 'deploy/api-production.yaml:12'], ['services/api/app/settings.py:7'],
          [fixOf(SHELL_CASE, false, false), fixOf(KNATIVE_CASE, false, false)]),
      ],
    },
    {
      name: 'two reading files of one service: one code finding per file, each on its own first read; one fix clears all three',
      files: { ...PY_SERVICE, 'services/api/app/config.py': 'import os\n\nPROJECT = os.getenv("GCP_PROJECT_ID")\n', 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
      findings: [
        // The deploy end relates every read, in every file.
        deployEnd('deploy/deploy-api-staging.sh:9', 'error', false, SHELL_CASE.expect.deploy.message, [...PY_READS, 'services/api/app/config.py:3'], [fixOf(SHELL_CASE)]),
        codeEnd('services/api/app/config.py:3', 'error', SHELL_CASE.expect.code, ['deploy/deploy-api-staging.sh:9'], [], [fixOf(SHELL_CASE, true)]),
        codeEnd(PY_READ, 'error', SHELL_CASE.expect.code, ['deploy/deploy-api-staging.sh:9'], PY_READS.slice(1), [fixOf(SHELL_CASE)]),
      ],
      check: ([, config, secrets]) => assert.notEqual(config.fingerprint, secrets.fingerprint),
    },
    {
      name: 'suppression: # next-line in a Python deploy script silences the deploy end only',
      files: { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY_SUPPRESSED },
      findings: [codeEnd(PY_READ, 'error', PY_SCRIPT_CASE.expect.code, ['scripts/deploy_staging.py:11'], PY_READS.slice(1), [fixOf(PY_SCRIPT_CASE)])],
      others: { 'unused-suppression': [] },
    },
    {
      name: 'suppression: # next-line on the file\'s first read silences the code end; the deploy end stays, pointing at the (suppressed, shifted) reads',
      files: { ...suppressReads([6]), 'scripts/deploy_staging.py': PY_DEPLOY },
      findings: [PY_SCRIPT_DEPLOY(['services/api/app/secrets.py:7', 'services/api/app/secrets.py:12'])],
      others: { 'unused-suppression': [] },
    },
    {
      name: 'suppression: a comment for another rule silences nothing of this one',
      files: { ...suppressReads([6, 11], 'env-unset-for-deploy'), 'scripts/deploy_staging.py': PY_DEPLOY },
      findings: [
        PY_SCRIPT_DEPLOY(['services/api/app/secrets.py:7', 'services/api/app/secrets.py:13']),
        codeEnd('services/api/app/secrets.py:7', 'error', PY_SCRIPT_CASE.expect.code, ['scripts/deploy_staging.py:10'], ['services/api/app/secrets.py:13'], [fixOf(PY_SCRIPT_CASE)]),
      ],
    },
    {
      name: 'suppression: # next-line on a later read does nothing for the code end and is unused',
      files: { ...suppressReads([11]), 'scripts/deploy_staging.py': PY_DEPLOY },
      findings: [
        PY_SCRIPT_DEPLOY([PY_READ, 'services/api/app/secrets.py:12']),
        // The later read (now on line 12, after the comment) is still listed as related.
        codeEnd(PY_READ, 'error', PY_SCRIPT_CASE.expect.code, ['scripts/deploy_staging.py:10'], ['services/api/app/secrets.py:12'], [fixOf(PY_SCRIPT_CASE)]),
      ],
      others: { 'unused-suppression': [{ at: 'services/api/app/secrets.py:11', message: /no gcp-project-id-unwired finding here/ }] },
    },
    {
      name: 'suppression: # next-line on both reads: the first silences the code end, the later one is still unused',
      files: { ...suppressReads([6, 11]), 'scripts/deploy_staging.py': PY_DEPLOY },
      findings: [PY_SCRIPT_DEPLOY(['services/api/app/secrets.py:7', 'services/api/app/secrets.py:13'])],
      others: { 'unused-suppression': ['services/api/app/secrets.py:12'] },
    },
    {
      name: 'suppression: # disable (whole file) in Cloud Build YAML silences the deploy end only',
      files: { ...TS_SERVICE, 'cloudbuild-production.yaml': CLOUDBUILD_SUPPRESSED },
      findings: [codeEnd(TS_READS[0], 'error', CLOUDBUILD_CASE.expect.code, ['cloudbuild-production.yaml:12'], TS_READS.slice(1), [fixOf(CLOUDBUILD_CASE)])],
      others: { 'unused-suppression': [] },
    },
    {
      // The finding sits on the --set-env-vars line inside a continued command, where a comment
      // would end the command; the whole-file form is the shell way.
      name: 'suppression: # disable (whole file) in a shell script silences the deploy end only',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_SUPPRESSED },
      findings: [codeEnd(PY_READ, 'error', SHELL_CASE.expect.code, ['deploy/deploy-api-staging.sh:10'], PY_READS.slice(1), [fixOf(SHELL_CASE)])],
      others: { 'unused-suppression': [] },
    },
    {
      name: 'config: a severity override applies to both ends',
      files: SHELL_CASE.files,
      config: 'rules:\n  gcp-project-id-unwired: warning\n',
      findings: SHELL_ENDS('warning'),
    },
    {
      name: 'config: an additive deploy is a warning without the config',
      files: GHA_RUN_CASE.files,
      findings: GHA_RUN_ENDS('warning'),
    },
    {
      name: 'config: an error override applies to both ends of an additive deploy',
      files: GHA_RUN_CASE.files,
      config: 'rules:\n  gcp-project-id-unwired: error\n',
      findings: GHA_RUN_ENDS('error'),
    },
    {
      name: 'messages at either end never carry a secret value from the deploy',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', `LOG_LEVEL=info,STRIPE_SECRET_KEY=${PLANTED}"`) },
      findings: SHELL_ENDS(),
      secrets: [PLANTED],
    },
  ],
});

test('two deploy targets: each is a finding, the reading file one more; it carries a fix per target; fixing one leaves the other', async () => {
  const files = { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY, 'deploy/api-production.yaml': KNATIVE };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/api-production.yaml:12', 'deploy/deploy-api-staging.sh:9', PY_READ]);
  const [prod, staging, ...reads] = found;
  assert.deepEqual(found.map((f) => f.messageId), ['deployWithout', 'deployWithout', 'readUnset']);
  // The deploy ends: each its own target's fix, related to both reads.
  assert.deepEqual([prod, staging].map((f) => f.fixes.map((x) => x.edits[0].file)), [['deploy/api-production.yaml'], ['deploy/deploy-api-staging.sh']]);
  assert.deepEqual([prod, staging].map(relatedAt), [PY_READS, PY_READS]);
  assert.match(prod.message, /^api \(production\) .* in production$/);
  assert.match(staging.message, /^api \(staging\) .* in staging$/);
  // The code end: both deploys related, then the other read; a fix for each, none preferred over the other.
  for (const r of reads) {
    assert.match(r.message, /^GCP_PROJECT_ID is not set by the staging and production deploys of api: this read sees nothing there$/);
    assertCodeRelated(r, ['deploy/deploy-api-staging.sh:9', 'deploy/api-production.yaml:12'], PY_READS.slice(1));
    assert.equal(r.severity, 'error');
    assert.deepEqual(r.fixes.map((x) => x.edits), [staging.fixes[0].edits, prod.fixes[0].edits]);
    assert.ok(r.fixes.every((x) => !x.preferred), 'no single preferred fix among several targets');
  }
  // One target fixed from the read: its deploy end is gone, the read (same fingerprint) still lacks the other.
  const once = await roundTrip(RULE, files, (f) => f.file.startsWith('services/'), { fixIndex: 0 }).catch((e: Error) => e);
  assert.ok(once instanceof Error && /still there/.test(once.message), 'one target fixed: the read still lacks the other');
  const afterStaging = await findingsOf(RULE, applyFix(files, reads[0].fixes[0]));
  assert.deepEqual(afterStaging.map(where), ['deploy/api-production.yaml:12', PY_READ]);
  assert.deepEqual(afterStaging.slice(1).map((f) => f.fingerprint), reads.map((f) => f.fingerprint));
  assert.match(afterStaging[1].message, /not set by the production deploy of api:/);
  assertCodeRelated(afterStaging[1], ['deploy/api-production.yaml:12'], PY_READS.slice(1));
  assert.deepEqual(afterStaging[1].fixes.map((x) => [x.edits[0].file, x.preferred]), [['deploy/api-production.yaml', true]], 'one target left: its fix is preferred again');
  // Both fixed: nothing left at either end.
  assert.deepEqual(await findingsOf(RULE, applyFix(applyFix(files, reads[0].fixes[0]), reads[0].fixes[1])), []);
});

test('the code end keeps its fingerprint whichever read it sits on (one finding per file)', async () => {
  const staging = await findingsOf(RULE, { ...SETTINGS, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY });
  const both = await findingsOf(RULE, { ...SETTINGS, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY, 'deploy/api-production.yaml': KNATIVE });
  assert.deepEqual([where(staging[1]), where(both[2])], ['services/api/app/settings.py:7', 'services/api/app/settings.py:5']);
  assert.equal(both[2].fingerprint, staging[1].fingerprint);
});
