/**
 * env-unset-for-deploy: a variable read with no default is set by no deploy of that service for a
 * staging/production environment. Valid and invalid workspaces side by side across code kinds
 * (Python, TypeScript) and deploy kinds, then suppressions, configuration and fix round trips.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { applyFix, findingsOf, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';
import { roundTrip } from './_fix-roundtrip';
import { RuleTester, type ExpectedFinding, type ExpectedFix, type InvalidCase } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const RULE = 'env-unset-for-deploy';

// ---- service code ---------------------------------------------------------------------------

const PY_CODE = `import os


def service_headers() -> dict:
    """Shared secret for service-to-service calls."""
    return {"X-Service-Secret": os.environ["SERVICE_SECRET"]}
`;
const PY_SERVICE: Files = {
  'services/api/requirements.txt': 'fastapi\n',
  'services/api/app/internal.py': PY_CODE,
};
const PY_READ = 'services/api/app/internal.py:6';

const TS_CODE = `export function queueName(): string {
  const name = process.env.QUEUE_NAME;
  if (!name) throw new Error("QUEUE_NAME is not set");
  return name;
}

export const port = Number(process.env.PORT ?? 8080);
`;
const TS_SERVICE: Files = {
  'services/jobs/package.json': '{ "name": "jobs" }\n',
  'services/jobs/src/queue.ts': TS_CODE,
};
const TS_READ = 'services/jobs/src/queue.ts:2';

// ---- deploys ----------------------------------------------------------------------------------

const PY_DEPLOY = `"""Deploy api (staging)."""
import subprocess

PROJECT_ID = "acme-staging"

SERVICES = {
    "api": {
        "source": "services/api",
        "env": {
            "ENVIRONMENT": "staging",
        },
        "secrets": {
            "JWT_SECRET_KEY": "jwt-secret-key-staging:latest",
        },
    },
}


def deploy(name, cfg):
    env = ",".join(f"{k}={v}" for k, v in cfg["env"].items())
    sec = ",".join(f"{k}={v}" for k, v in cfg["secrets"].items())
    subprocess.run(["gcloud", "run", "deploy", f"{name}-staging", "--source", cfg["source"],
                    "--project", PROJECT_ID, "--set-env-vars", env, "--set-secrets", sec], check=True)
`;

/** Another service of the same environment already takes SERVICE_SECRET from a secret. */
const AUTH_STAGING = `#!/usr/bin/env bash
gcloud run deploy auth-staging \\
  --image europe-docker.pkg.dev/acme-staging/apps/auth:latest \\
  --project acme-staging \\
  --set-env-vars "ENVIRONMENT=staging" \\
  --set-secrets "SERVICE_SECRET=service-secret-staging:3,DATABASE_URL=auth-database-url-staging:latest"
`;

const SHELL_JOBS = `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy jobs-staging \\
  --source services/jobs \\
  --project acme-staging \\
  --set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info"
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
            - name: ENVIRONMENT
              value: production
            # signing key
            - name: JWT_SECRET_KEY
              valueFrom:
                secretKeyRef:
                  name: jwt-secret-key-prod
                  key: latest
`;

const CLOUDBUILD = `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', 'deploy', 'api-production', '--image', 'europe-docker.pkg.dev/$PROJECT_ID/apps/api:$SHORT_SHA',
           '--set-env-vars', 'ENVIRONMENT=production',
           '--set-secrets', 'JWT_SECRET_KEY=jwt-secret-key-production:latest']
`;

const GHA_UPDATE = `name: Release jobs
on: workflow_dispatch
jobs:
  production:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: |
          gcloud run deploy jobs-production \\
            --source services/jobs \\
            --project acme-prod \\
            --update-env-vars ENVIRONMENT=production
`;

/** `file:line` of each related location. */
const relatedAt = (f: Finding): string[] => f.related.map((r) => `${r.file}:${r.range.start.line + 1}`);

interface Invalid {
  name: string;
  files: Files;
  /** The code end: the read; related = the deploy block. */
  at: string;
  /** Of both ends. */
  severity: 'error' | 'warning';
  message: RegExp[];
  /** The deploy end: the env/secrets block the fix edits; related = the read. */
  deploy: { at: string; message: RegExp };
  fix: { title: RegExp; safe: boolean; file: string; contains: string };
}

const invalid: Invalid[] = [
  {
    name: 'Python read, Python deploy script: secret reused from the other staging service (safe)',
    files: { ...PY_SERVICE, 'services/auth/package.json': '{ "name": "auth" }\n', 'scripts/deploy_staging.py': PY_DEPLOY, 'deploy/deploy-auth-staging.sh': AUTH_STAGING },
    at: PY_READ,
    severity: 'error',
    message: [/^SERVICE_SECRET is read by api without a default, but the staging deploy of api does not set it$/],
    deploy: { at: 'scripts/deploy_staging.py:12', message: /^api \(staging\) is deployed without SERVICE_SECRET, which api reads without a default$/ },
    fix: { title: /Add SERVICE_SECRET to api \(staging\) from secret service-secret-staging:3$/, safe: true, file: 'scripts/deploy_staging.py', contains: '            "JWT_SECRET_KEY": "jwt-secret-key-staging:latest",\n            "SERVICE_SECRET": "service-secret-staging:3",\n        },' },
  },
  {
    name: 'Python read, Python deploy script alone: secret named by the target\'s own pattern (unsafe: may not exist)',
    files: { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY },
    at: PY_READ,
    severity: 'error',
    message: [/SERVICE_SECRET is read by api without a default/, /staging deploy of api/],
    deploy: { at: 'scripts/deploy_staging.py:12', message: /^api \(staging\) is deployed without SERVICE_SECRET, which api reads without a default$/ },
    fix: { title: /from secret service-secret-staging:latest \(create the secret if it does not exist\)/, safe: false, file: 'scripts/deploy_staging.py', contains: '"SERVICE_SECRET": "service-secret-staging:latest",' },
  },
  {
    name: 'Python read, Knative YAML: a secretKeyRef following the -prod suffix the file uses',
    files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE },
    at: PY_READ,
    severity: 'error',
    message: [/production deploy of api does not set it/],
    deploy: { at: 'deploy/api-production.yaml:11', message: /^api \(production\) is deployed without SERVICE_SECRET, which api reads without a default$/ },
    fix: { title: /from secret service-secret-prod:latest/, safe: false, file: 'deploy/api-production.yaml', contains: '                  key: latest\n            - name: SERVICE_SECRET\n              valueFrom:\n                secretKeyRef:\n                  name: service-secret-prod\n                  key: latest\n' },
  },
  {
    name: 'Python read, Cloud Build flow-list args: a --set-secrets entry',
    files: { ...PY_SERVICE, 'cloudbuild-production.yaml': CLOUDBUILD },
    at: PY_READ,
    severity: 'error',
    message: [/production deploy of api does not set it/],
    deploy: { at: 'cloudbuild-production.yaml:6', message: /^api \(production\) is deployed without SERVICE_SECRET, which api reads without a default$/ },
    fix: { title: /from secret service-secret-production:latest/, safe: false, file: 'cloudbuild-production.yaml', contains: "'JWT_SECRET_KEY=jwt-secret-key-production:latest,SERVICE_SECRET=service-secret-production:latest'" },
  },
  {
    name: 'TypeScript read, shell --set-env-vars: a marked placeholder (unsafe)',
    files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
    at: TS_READ,
    severity: 'error',
    message: [/^QUEUE_NAME is read by jobs without a default, but the staging deploy of jobs does not set it$/],
    deploy: { at: 'deploy/deploy-jobs-staging.sh:6', message: /^jobs \(staging\) is deployed without QUEUE_NAME, which jobs reads without a default$/ },
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    name: 'TypeScript read, GitHub Actions run: --update-env-vars (additive): warning, hedged message',
    files: { ...TS_SERVICE, '.github/workflows/release.yml': GHA_UPDATE },
    at: TS_READ,
    severity: 'warning',
    message: [/^QUEUE_NAME is read by jobs without a default, and the production deploy of jobs does not visibly set it \(lower certainty: it only adds to what the service already has, so it may be set already\)$/],
    deploy: { at: '.github/workflows/release.yml:12', message: /^jobs \(production\) is deployed without QUEUE_NAME, which jobs reads without a default \(lower certainty: this deploy only adds variables, so the service may hold it already\)$/ },
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(production\)/, safe: false, file: '.github/workflows/release.yml', contains: '--update-env-vars ENVIRONMENT=production,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME\n' },
  },
];

interface Valid {
  name: string;
  files: Files;
  config?: string;
  /** The same workspace without the reason it is quiet: must fire. */
  control?: Files;
}

const withCode = (code: string, deploy: Files = { 'deploy/deploy-jobs-staging.sh': SHELL_JOBS }): Files => ({
  'services/jobs/requirements.txt': 'fastapi\n',
  'services/jobs/app/settings.py': code,
  ...deploy,
});

const valid: Valid[] = [
  {
    name: 'platform-provided names (PORT, K_SERVICE, K_REVISION, CLOUD_RUN_TASK_INDEX) read without a default',
    files: withCode('import os\n\nPORT = int(os.environ["PORT"])\nSERVICE = os.environ["K_SERVICE"]\nREVISION = os.environ["K_REVISION"]\nTASK = os.environ["CLOUD_RUN_TASK_INDEX"]\n'),
    control: withCode('import os\n\nPORT = int(os.environ["PORTAL_URL"])\n'),
  },
  {
    name: 'reads with defaults (Python .get default, TS ??, destructuring default)',
    files: {
      ...withCode('import os\n\nQUEUE = os.environ.get("QUEUE_NAME", "jobs")\nBATCH = os.getenv("BATCH_SIZE", "100")\n'),
      'services/jobs/src/extra.ts': 'export const region = process.env.REGION ?? "europe-west1";\nexport const { TIMEOUT_MS = "3000" } = process.env;\n',
    },
    control: withCode('import os\n\nQUEUE = os.environ.get("QUEUE_NAME")\n'),
  },
  {
    name: 'the last read of an `or` chain is satisfied by an alternative the deploy sets, or the platform provides',
    files: withCode('import os\n\nLEVEL = os.environ.get("LOG_LEVEL") or os.environ.get("LOGLEVEL")\n' +
      'NAME = os.getenv("K_SERVICE") or os.getenv("SERVICE_NAME")\n'),
    control: withCode('import os\n\nLEVEL = os.environ.get("LOG_FORMAT") or os.environ.get("LOGLEVEL")\n'),
  },
  {
    name: 'presence test guarding the read (if "X" in os.environ)',
    files: withCode('import os\n\nif "SENTRY_DSN" in os.environ:\n    DSN = os.environ["SENTRY_DSN"]\n'),
    control: withCode('import os\n\nDSN = os.environ["SENTRY_DSN"]\n'),
  },
  {
    name: 'read only in tests',
    files: withCode('import os\n', {
      'deploy/deploy-jobs-staging.sh': SHELL_JOBS,
      'services/jobs/tests/test_db.py': 'import os\n\n\ndef test_db():\n    assert os.environ["TEST_DATABASE_URL"]\n',
    }),
  },
  {
    name: 'read only in a development branch (Python) and an environment-suffixed name for another environment',
    files: withCode('import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "development":\n    EMULATOR = os.environ["PUBSUB_EMULATOR_HOST"]\nCLIENT = os.environ["GOOGLE_OAUTH_CLIENT_ID_PRODUCTION"]\n'),
    control: withCode('import os\n\nEMULATOR = os.environ["PUBSUB_EMULATOR_HOST"]\n'),
  },
  {
    name: 'read in a production-only branch while only staging is deployed',
    files: withCode('import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "production":\n    CDN = os.environ["CDN_URL"]\n'),
    control: withCode('import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "staging":\n    CDN = os.environ["CDN_URL"]\n'),
  },
  {
    name: 'the Knative deploy provides it as a secretKeyRef',
    files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE.replace('            # signing key\n', '            - name: SERVICE_SECRET\n              valueFrom:\n                secretKeyRef:\n                  name: service-secret-prod\n                  key: latest\n') },
  },
  {
    name: 'only a development target (compose) lacks it',
    files: withCode('import os\n\nQUEUE = os.environ["QUEUE_NAME"]\n', {
      'docker-compose.yml': 'services:\n  jobs:\n    build: ./services/jobs\n    environment:\n      - ENVIRONMENT=development\n',
    }),
  },
  {
    name: 'the config declares it runtime-provided',
    files: withCode('import os\n\nQUEUE = os.environ["QUEUE_NAME"]\n'),
    config: 'runtimeProvided: [QUEUE_NAME]\n',
    control: withCode('import os\n\nQUEUE = os.environ["QUEUE_NAME"]\n'),
  },
  {
    name: 'GCP_PROJECT_ID belongs to gcp-project-id-unwired (reported once, there)',
    files: withCode('import os\n\nPROJECT = os.environ["GCP_PROJECT_ID"]\n'),
  },
];

/** Both ends of one missing variable with one deploy target: the deploy block (its file sorts
 * before services/) and the read, each offering the same fix; applying it from either end clears both. */
function bothEnds(c: Invalid): InvalidCase {
  const additive = c.severity === 'warning';
  const fix: ExpectedFix = {
    title: c.fix.title, safe: c.fix.safe, preferred: true, files: [c.fix.file],
    output: { contains: { [c.fix.file]: c.fix.contains }, remaining: [] },
  };
  const deploy: ExpectedFinding = {
    at: c.deploy.at, severity: c.severity, messageId: additive ? 'deployWithoutAdditive' : 'deployWithout', message: c.deploy.message,
    related: [{ at: c.at, message: / read here \(.*, no default\)$/ }],
    fixes: [fix],
  };
  const read: ExpectedFinding = {
    at: c.at, severity: c.severity, messageId: additive ? 'readUnsetAdditive' : 'readUnset', message: c.message,
    related: [{ at: c.deploy.at, message: /deployed here without / }],
    fixes: [fix],
  };
  return {
    name: c.name, files: c.files, findings: [deploy, read],
    check: ([d, r]) => assert.deepEqual(r.fixes[0].edits, d.fixes[0].edits, 'the same edit at both ends'),
  };
}

const PLANTED = 'sk_live_51HqLyjWDarjtT1zdp7dc';
/** Both ends for QUEUE_NAME, read by jobs and missing from its staging shell deploy. */
const JOBS_STAGING_ENDS = (severity: 'error' | 'warning' | 'info' = 'error'): ExpectedFinding[] => [
  { at: 'deploy/deploy-jobs-staging.sh:6', severity, messageId: 'deployWithout', message: /^jobs \(staging\) is deployed without QUEUE_NAME, which jobs reads without a default$/, related: [TS_READ], fixes: [{ title: /^Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\)/, safe: false, preferred: true }] },
  { at: TS_READ, severity, messageId: 'readUnset', message: /^QUEUE_NAME is read by jobs without a default, but the staging deploy of jobs does not set it$/, related: ['deploy/deploy-jobs-staging.sh:6'], fixes: [{ title: /^Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\)/, safe: false, preferred: true }] },
];
const JOBS_PRODUCTION_ADDITIVE_ENDS = (severity: 'error' | 'warning'): ExpectedFinding[] => [
  { at: '.github/workflows/release.yml:12', severity, messageId: 'deployWithoutAdditive', message: 'lower certainty', related: [TS_READ], fixes: [{ title: /^Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(production\)/, safe: false, preferred: true }] },
  { at: TS_READ, severity, messageId: 'readUnsetAdditive', message: 'lower certainty', related: ['.github/workflows/release.yml:12'], fixes: [{ title: /^Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(production\)/, safe: false, preferred: true }] },
];
/** The Knative production deploy end for SERVICE_SECRET, whose read is at `read`. */
const KNATIVE_END = (read: string): ExpectedFinding => ({
  at: 'deploy/api-production.yaml:11', severity: 'error', messageId: 'deployWithout', message: /^api \(production\) is deployed without SERVICE_SECRET/,
  related: [read], fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true }],
});
const PY_SUPPRESSED = PY_CODE.replace('    return {', '    # deploy-preflight-disable-next-line env-unset-for-deploy -- injected by the sidecar\n    return {');
const KNATIVE_SUPPRESSED = KNATIVE.replace('          env:\n', '          env:\n            # deploy-preflight-disable-next-line env-unset-for-deploy -- mounted by the operator\n');
const TS_NEXT_LINE = TS_CODE.replace('  const name =', '  // deploy-preflight-disable-next-line env-unset-for-deploy\n  const name =');
const TS_FILE_WIDE = '/* deploy-preflight-disable env-unset-for-deploy */\n' + TS_CODE;
const SHELL_FILE_WIDE = SHELL_JOBS.replace('set -euo pipefail\n', 'set -euo pipefail\n# deploy-preflight-disable env-unset-for-deploy -- set by the platform\n');
/** The jobs staging deploy end alone (the read suppressed), with the read shifted a line down. */
const JOBS_DEPLOY_END: ExpectedFinding = { ...JOBS_STAGING_ENDS()[0], related: ['services/jobs/src/queue.ts:3'] };

RuleTester.run(envUnsetForDeploy, {
  valid: [
    ...valid.map((c) => ({ name: c.name, files: c.files, config: c.config, ...(c.control ? { control: { files: c.control } } : {}) })),
    {
      name: 'suppression: # next-line in the Python code and in the Knative deploy (above the env list, where the deploy end starts): nothing left, nothing unused',
      files: { ...PY_SERVICE, 'services/api/app/internal.py': PY_SUPPRESSED, 'deploy/api-production.yaml': KNATIVE_SUPPRESSED },
      others: { 'unused-suppression': [] },
      control: { files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE } },
    },
    {
      name: 'suppression: // disable (file) in TypeScript and # disable (file) in the shell deploy: nothing left, nothing unused',
      files: { ...TS_SERVICE, 'services/jobs/src/queue.ts': TS_FILE_WIDE, 'deploy/deploy-jobs-staging.sh': SHELL_FILE_WIDE },
      others: { 'unused-suppression': [] },
      control: { files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS } },
    },
    {
      name: 'config: off disables both ends',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      config: 'rules:\n  env-unset-for-deploy: off\n',
      control: {},
    },
  ],
  invalid: [
    ...invalid.map(bothEnds),
    {
      name: 'one certain and one additive target: error at the read, and each deploy end has its own severity',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS, '.github/workflows/release.yml': GHA_UPDATE },
      findings: [
        { ...JOBS_PRODUCTION_ADDITIVE_ENDS('warning')[0], message: /^jobs \(production\) is deployed without QUEUE_NAME, which jobs reads without a default \(lower certainty/ },
        JOBS_STAGING_ENDS()[0],
        {
          at: TS_READ, severity: 'error', messageId: 'readUnsetAndAdditive',
          message: /but the staging deploy of jobs does not set it; the production deploy of jobs does not visibly set it \(lower certainty/,
          related: ['deploy/deploy-jobs-staging.sh:6', '.github/workflows/release.yml:12'],
          // With one fix per target, none is "the" obvious one.
          fixes: [
            { title: /^Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\)/, safe: false, preferred: false },
            { title: /^Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(production\)/, safe: false, preferred: false },
          ],
        },
      ],
    },
    {
      name: 'a secret value planted in the deploy never appears in messages, related messages or fix titles at either end',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('LOG_LEVEL=info', `LOG_LEVEL=info,STRIPE_SECRET_KEY=${PLANTED}`) },
      findings: JOBS_STAGING_ENDS(),
      secrets: [PLANTED],
    },
    {
      name: 'suppression: # next-line in Python code silences the read only; the deploy end stays, pointing at the (suppressed) read',
      files: { ...PY_SERVICE, 'services/api/app/internal.py': PY_SUPPRESSED, 'deploy/api-production.yaml': KNATIVE },
      findings: [KNATIVE_END('services/api/app/internal.py:7')],
      others: { 'unused-suppression': [] },
    },
    {
      name: 'suppression: # next-line in the Knative deploy only: the read stays',
      files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE_SUPPRESSED },
      findings: [{
        at: PY_READ, severity: 'error', messageId: 'readUnset', message: /^SERVICE_SECRET is read by api without a default, but the production deploy of api does not set it$/,
        related: ['deploy/api-production.yaml:12'], fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true }],
      }],
      others: { 'unused-suppression': [] },
    },
    {
      name: 'suppression: // disable-next-line in TypeScript silences the read only',
      files: { ...TS_SERVICE, 'services/jobs/src/queue.ts': TS_NEXT_LINE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      findings: [JOBS_DEPLOY_END],
    },
    {
      name: 'suppression: // disable (file) in TypeScript silences the read only',
      files: { ...TS_SERVICE, 'services/jobs/src/queue.ts': TS_FILE_WIDE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      findings: [JOBS_DEPLOY_END],
      others: { 'unused-suppression': [] },
    },
    {
      name: 'an unused suppression (the variable is set now) is reported as unused-suppression',
      files: { ...PY_SERVICE, 'services/api/app/internal.py': PY_CODE.replace('    return {', '    # deploy-preflight-disable-next-line env-unset-for-deploy\n    return {'), 'deploy/api-production.yaml': KNATIVE.replace('            # signing key\n', '            - name: SERVICE_SECRET\n              value: from-vault\n') },
      findings: [],
      others: { 'unused-suppression': [{ at: 'services/api/app/internal.py:6', message: /no env-unset-for-deploy finding here/ }] },
    },
    {
      name: 'config: an info override applies to both ends',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      config: 'rules:\n  env-unset-for-deploy: info\n',
      findings: JOBS_STAGING_ENDS('info'),
    },
    {
      name: 'config: an error override applies to both ends of an additive target',
      files: { ...TS_SERVICE, '.github/workflows/release.yml': GHA_UPDATE },
      config: 'rules:\n  env-unset-for-deploy: error\n',
      findings: JOBS_PRODUCTION_ADDITIVE_ENDS('error'),
    },
    {
      name: 'secret naming: another service\'s own secret (auth-database-url-staging) is not reused',
      files: {
        'services/api/requirements.txt': 'fastapi\n',
        'services/api/app/db.py': 'import os\n\nURL = os.environ["DATABASE_URL"]\n',
        'services/auth/package.json': '{ "name": "auth" }\n',
        'scripts/deploy_staging.py': PY_DEPLOY,
        'deploy/deploy-auth-staging.sh': AUTH_STAGING,
      },
      findings: [
        {
          at: 'scripts/deploy_staging.py:12', severity: 'error', messageId: 'deployWithout', message: /^api \(staging\) is deployed without DATABASE_URL/,
          related: ['services/api/app/db.py:3'],
          fixes: [{
            title: /from secret database-url-staging:latest \(create the secret/, safe: false, preferred: true,
            output: { contains: { 'scripts/deploy_staging.py': '"DATABASE_URL": "database-url-staging:latest",' }, remaining: [] },
          }],
        },
        {
          at: 'services/api/app/db.py:3', severity: 'error', messageId: 'readUnset', message: /^DATABASE_URL is read by api without a default/,
          related: ['scripts/deploy_staging.py:12'], fixes: [{ title: /from secret database-url-staging:latest \(create the secret/, safe: false, preferred: true }],
        },
      ],
    },
    {
      name: 'alternatives satisfy only the read that has them: a plain read of the same name elsewhere is still required',
      files: withCode('import os\n\nLEVEL = os.environ.get("LOG_LEVEL") or os.environ.get("LOGLEVEL")\n', {
        'deploy/deploy-jobs-staging.sh': SHELL_JOBS,
        'services/jobs/app/logs.py': 'import os\n\n\ndef level():\n    return os.environ["LOGLEVEL"]\n',
      }),
      // The read in settings.py is satisfied by LOG_LEVEL: it is not related at either end.
      findings: [
        { at: 'deploy/deploy-jobs-staging.sh:6', severity: 'error', messageId: 'deployWithout', message: /^jobs \(staging\) is deployed without LOGLEVEL/, related: ['services/jobs/app/logs.py:5'], fixes: [{ title: /^Add LOGLEVEL=REPLACE_WITH_LOGLEVEL to jobs \(staging\)/, safe: false, preferred: true }] },
        { at: 'services/jobs/app/logs.py:5', severity: 'error', messageId: 'readUnset', message: /^LOGLEVEL is read by jobs without a default/, related: ['deploy/deploy-jobs-staging.sh:6'], fixes: [{ title: /^Add LOGLEVEL=REPLACE_WITH_LOGLEVEL to jobs \(staging\)/, safe: false, preferred: true }] },
      ],
    },
  ],
});

test('two environments missing it: one finding on the read with a fix per target, one on each deploy block', async () => {
  const files = { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY, 'deploy/api-production.yaml': KNATIVE };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/api-production.yaml:11', 'scripts/deploy_staging.py:12', PY_READ]);
  const [prod, staging, read] = found;
  assert.deepEqual(found.map((f) => f.messageId), ['deployWithout', 'deployWithout', 'readUnset']);
  assert.match(read.message, /^SERVICE_SECRET is read by api without a default, but the (production and staging|staging and production) deploys of api do not set it$/);
  assert.deepEqual(relatedAt(read).sort(), ['deploy/api-production.yaml:11', 'scripts/deploy_staging.py:12']);
  assert.deepEqual(read.fixes.map((f) => f.edits[0].file).sort(), ['deploy/api-production.yaml', 'scripts/deploy_staging.py']);
  assert.ok(read.fixes.every((f) => !f.preferred), 'no single preferred fix among several targets');
  // Each deploy end: its own environment, its own target's fix (the same edit the read offers), the read related.
  assert.match(prod.message, /^api \(production\) is deployed without SERVICE_SECRET/);
  assert.match(staging.message, /^api \(staging\) is deployed without SERVICE_SECRET/);
  for (const d of [prod, staging]) {
    assert.deepEqual(relatedAt(d), [PY_READ]);
    assert.equal(d.fixes.length, 1);
    assert.equal(d.fixes[0].edits[0].file, d.file);
    assert.ok(read.fixes.some((f) => JSON.stringify(f.edits) === JSON.stringify(d.fixes[0].edits)), `${where(d)}: the read offers the same edit`);
  }
  // One target fixed from the read: its deploy end is gone; the read (same fingerprint) still lacks the other.
  const once = await roundTrip(RULE, files, (f) => f.fingerprint === read.fingerprint, { fixIndex: 0 }).catch((e: Error) => e);
  assert.ok(once instanceof Error && /still there/.test(once.message), 'one target fixed: the read still lacks the other');
  const fixedFile = read.fixes[0].edits[0].file;
  const afterOne = await findingsOf(RULE, applyFix(files, read.fixes[0]));
  assert.deepEqual(afterOne.map(where), [...[prod, staging].filter((d) => d.file !== fixedFile).map(where), PY_READ]);
  assert.equal(afterOne[1].fingerprint, read.fingerprint);
  assert.deepEqual(relatedAt(afterOne[1]), [where(afterOne[0])], 'the read now points at the remaining deploy only');
  // Both fixed: nothing left at either end.
  assert.deepEqual(await findingsOf(RULE, applyFix(applyFix(files, read.fixes[0]), read.fixes[1])), []);
});
