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
  severity: string;
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

for (const c of invalid) {
  test(`invalid: ${c.name}`, async () => {
    const found = await findingsOf(RULE, c.files);
    // Both ends: the deploy block (its file sorts before services/) and the read.
    assert.deepEqual(found.map(where), [c.deploy.at, c.at]);
    const [deploy, read] = found;
    assert.equal(read.severity, c.severity);
    assert.equal(deploy.severity, c.severity);
    for (const m of c.message) assert.match(read.message, m);
    assert.match(deploy.message, c.deploy.message);
    assert.deepEqual(relatedAt(read), [c.deploy.at], 'the code end points at the deploy block');
    assert.deepEqual(relatedAt(deploy), [c.at], 'the deploy end points at the read');
    assert.match(read.related[0].message, /deployed here without /);
    assert.match(deploy.related[0].message, / read here \(.*, no default\)$/);
    for (const f of found) {
      assert.equal(f.fixes.length, 1, `${where(f)}: one fix`);
      assert.match(f.fixes[0].title, c.fix.title);
      assert.equal(f.fixes[0].safe, c.fix.safe);
      assert.equal(f.fixes[0].preferred, true);
      assert.deepEqual(f.fixes[0].edits.map((x) => x.file), [c.fix.file]);
    }
    assert.deepEqual(read.fixes[0].edits, deploy.fixes[0].edits, 'the same edit at both ends');
  });
  for (const [end, pick] of [['deploy', (f: Finding) => f.file === c.fix.file], ['code', (f: Finding) => f.file.startsWith('services/')]] as const) {
    test(`fix round trip from the ${end} end: ${c.name}`, async () => {
      const { after, findingsAfter } = await roundTrip(RULE, c.files, pick);
      assert.ok(after[c.fix.file].includes(c.fix.contains), after[c.fix.file]);
      // Both ends are gone, not only the one whose fix was applied.
      assert.deepEqual(findingsAfter.filter((f) => f.rule === RULE).map(where), []);
    });
  }
}

for (const c of valid) {
  test(`valid: ${c.name}`, async () => {
    assert.deepEqual((await findingsOf(RULE, c.files, c.config)).map((f) => `${where(f)} ${f.message}`), []);
    if (c.control) assert.ok((await findingsOf(RULE, c.control)).length > 0, 'the control workspace fires');
  });
}

test('two environments missing it: one finding on the read with a fix per target, one on each deploy block', async () => {
  const files = { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY, 'deploy/api-production.yaml': KNATIVE };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/api-production.yaml:11', 'scripts/deploy_staging.py:12', PY_READ]);
  const [prod, staging, read] = found;
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

test('one certain and one additive target: error at the read, and each deploy end has its own severity', async () => {
  const files = { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS, '.github/workflows/release.yml': GHA_UPDATE };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map((f) => [where(f), f.severity]), [['.github/workflows/release.yml:12', 'warning'], ['deploy/deploy-jobs-staging.sh:6', 'error'], [TS_READ, 'error']]);
  const [additive, certain, read] = found;
  assert.match(read.message, /but the staging deploy of jobs does not set it; the production deploy of jobs does not visibly set it \(lower certainty/);
  assert.deepEqual(relatedAt(read).sort(), ['.github/workflows/release.yml:12', 'deploy/deploy-jobs-staging.sh:6']);
  assert.match(additive.message, /^jobs \(production\) is deployed without QUEUE_NAME, which jobs reads without a default \(lower certainty/);
  assert.match(certain.message, /^jobs \(staging\) is deployed without QUEUE_NAME, which jobs reads without a default$/);
  assert.deepEqual([additive, certain].map(relatedAt), [[TS_READ], [TS_READ]]);
});

test('a secret value planted in the deploy never appears in messages, related messages or fix titles at either end', async () => {
  const planted = 'sk_live_51HqLyjWDarjtT1zdp7dc';
  const files = { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('LOG_LEVEL=info', `LOG_LEVEL=info,STRIPE_SECRET_KEY=${planted}`) };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/deploy-jobs-staging.sh:6', TS_READ]);
  for (const f of found) {
    assert.ok(!JSON.stringify([f.message, f.related.map((r) => r.message), f.fixes.map((x) => x.title)]).includes(planted), where(f));
  }
});

// ---- suppressions and configuration ---------------------------------------------------------

test('suppression: # disable-next-line in Python code silences the read only; the deploy end stays until suppressed there', async () => {
  const code = PY_CODE.replace('    return {', '    # deploy-preflight-disable-next-line env-unset-for-deploy -- injected by the sidecar\n    return {');
  const files = { ...PY_SERVICE, 'services/api/app/internal.py': code, 'deploy/api-production.yaml': KNATIVE };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/api-production.yaml:11']);
  assert.deepEqual(relatedAt(found[0]), ['services/api/app/internal.py:7'], 'still points at the (suppressed) read');
  assert.deepEqual(await findingsOf('unused-suppression', files), []);
  // Suppressed in the deploy file too (YAML, next-line above the env list's first entry, where the
  // finding starts): nothing left, nothing unused.
  const both = { ...files, 'deploy/api-production.yaml': KNATIVE.replace('          env:\n', '          env:\n            # deploy-preflight-disable-next-line env-unset-for-deploy -- mounted by the operator\n') };
  assert.deepEqual(await findingsOf(RULE, both), []);
  assert.deepEqual(await findingsOf('unused-suppression', both), []);
  // Suppressed in the deploy file only: the read stays.
  const deployOnly = { ...PY_SERVICE, 'deploy/api-production.yaml': both['deploy/api-production.yaml'] };
  assert.deepEqual((await findingsOf(RULE, deployOnly)).map(where), [PY_READ]);
  assert.deepEqual(await findingsOf('unused-suppression', deployOnly), []);
});

test('suppression: // disable-next-line and // disable (file) in TypeScript silence the read only', async () => {
  const next = TS_CODE.replace('  const name =', '  // deploy-preflight-disable-next-line env-unset-for-deploy\n  const name =');
  assert.deepEqual((await findingsOf(RULE, { ...TS_SERVICE, 'services/jobs/src/queue.ts': next, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS })).map(where), ['deploy/deploy-jobs-staging.sh:6']);
  const file = '/* deploy-preflight-disable env-unset-for-deploy */\n' + TS_CODE;
  const files = { ...TS_SERVICE, 'services/jobs/src/queue.ts': file, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS };
  assert.deepEqual((await findingsOf(RULE, files)).map(where), ['deploy/deploy-jobs-staging.sh:6']);
  assert.deepEqual(await findingsOf('unused-suppression', files), []);
  // The shell deploy's whole-file form silences its end too.
  const both = { ...files, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('set -euo pipefail\n', 'set -euo pipefail\n# deploy-preflight-disable env-unset-for-deploy -- set by the platform\n') };
  assert.deepEqual(await findingsOf(RULE, both), []);
  assert.deepEqual(await findingsOf('unused-suppression', both), []);
});

test('an unused suppression (the variable is set now) is reported as unused-suppression', async () => {
  const code = PY_CODE.replace('    return {', '    # deploy-preflight-disable-next-line env-unset-for-deploy\n    return {');
  const files = { ...PY_SERVICE, 'services/api/app/internal.py': code, 'deploy/api-production.yaml': KNATIVE.replace('            # signing key\n', '            - name: SERVICE_SECRET\n              value: from-vault\n') };
  const unused = await findingsOf('unused-suppression', files);
  assert.deepEqual(unused.map(where), ['services/api/app/internal.py:6']);
  assert.match(unused[0].message, /no env-unset-for-deploy finding here/);
});

test('config: off disables both ends; info/warning overrides apply to both ends, certain and additive alike', async () => {
  const files = { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS };
  assert.equal((await findingsOf(RULE, files)).length, 2, 'the workspace fires without the config');
  assert.deepEqual(await findingsOf(RULE, files, 'rules:\n  env-unset-for-deploy: off\n'), []);
  assert.deepEqual((await findingsOf(RULE, files, 'rules:\n  env-unset-for-deploy: info\n')).map((f) => [where(f), f.severity]), [['deploy/deploy-jobs-staging.sh:6', 'info'], [TS_READ, 'info']]);
  const additive = { ...TS_SERVICE, '.github/workflows/release.yml': GHA_UPDATE };
  assert.deepEqual((await findingsOf(RULE, additive, 'rules:\n  env-unset-for-deploy: error\n')).map((f) => [where(f), f.severity]), [['.github/workflows/release.yml:12', 'error'], [TS_READ, 'error']]);
});

test('secret naming: another service\'s own secret (auth-database-url-staging) is not reused', async () => {
  const files = {
    'services/api/requirements.txt': 'fastapi\n',
    'services/api/app/db.py': 'import os\n\nURL = os.environ["DATABASE_URL"]\n',
    'services/auth/package.json': '{ "name": "auth" }\n',
    'scripts/deploy_staging.py': PY_DEPLOY,
    'deploy/deploy-auth-staging.sh': AUTH_STAGING,
  };
  const [f] = await findingsOf(RULE, files);
  assert.match(f.fixes[0].title, /from secret database-url-staging:latest \(create the secret/);
  assert.equal(f.fixes[0].safe, false);
  const { after } = await roundTrip(RULE, files, () => true);
  assert.ok(after['scripts/deploy_staging.py'].includes('"DATABASE_URL": "database-url-staging:latest",'));
});

test('alternatives satisfy only the read that has them: a plain read of the same name elsewhere is still required', async () => {
  const files = withCode('import os\n\nLEVEL = os.environ.get("LOG_LEVEL") or os.environ.get("LOGLEVEL")\n', {
    'deploy/deploy-jobs-staging.sh': SHELL_JOBS,
    'services/jobs/app/logs.py': 'import os\n\n\ndef level():\n    return os.environ["LOGLEVEL"]\n',
  });
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/deploy-jobs-staging.sh:6', 'services/jobs/app/logs.py:5']);
  const [deploy, read] = found;
  assert.match(read.message, /^LOGLEVEL is read by jobs without a default/);
  // The read in settings.py is satisfied by LOG_LEVEL: it is not related at either end.
  assert.deepEqual(relatedAt(deploy), ['services/jobs/app/logs.py:5']);
  assert.deepEqual(relatedAt(read), ['deploy/deploy-jobs-staging.sh:6']);
});
