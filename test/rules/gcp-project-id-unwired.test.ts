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
import { ready, at } from '../helpers';
import { applyFix, findingsOf, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';
import { roundTrip } from './_fix-roundtrip';

before(ready);

const RULE = 'gcp-project-id-unwired';

// ---- service code ---------------------------------------------------------------------------

/** A Python service gating Secret Manager on GCP_PROJECT_ID (the audit's secrets.py). */
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

/** A TypeScript service doing the same (the audit's auth config.ts). */
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

/** The text a finding's span and each related span cover: always the variable name. */
function assertNameSpans(files: Files, f: Finding): void {
  assert.equal(at(files[f.file], f.span), 'GCP_PROJECT_ID', `${where(f)}: span`);
}
function assertRelatedReadSpans(files: Files, f: Finding, from = 0): void {
  for (const r of f.related.slice(from)) assert.equal(at(files[r.file], r.span), 'GCP_PROJECT_ID', `${where(f)}: related ${r.file}`);
}

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
  severity: string;
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
    name: 'shell deploy with no env flag at all: a new --update-env-vars word',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_NO_ENV },
    expect: { deploy: { at: 'deploy/deploy-api-staging.sh:2', message: [/^api \(staging\) is deployed without GCP_PROJECT_ID/] }, reads: PY_READS, severity: 'error', code: /^GCP_PROJECT_ID is not set by the staging deploy of api:/ },
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
    name: 'presence test among several GCP signals (the audit\'s Fix 2 already applied)',
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

for (const c of invalid) {
  test(`invalid: ${c.name}`, async () => {
    const found = await findingsOf(RULE, c.files);
    const e = c.expect;
    const [firstRead, ...otherReads] = e.reads;
    // Both ends of the disagreement: the deploy block first (files sort before services/), then
    // the file's first read only — one finding for the file, not one per read.
    assert.deepEqual(found.map(where), [e.deploy.at, firstRead]);
    const [deploy, code] = found;
    assert.equal(deploy.severity, e.severity);
    for (const m of e.deploy.message) assert.match(deploy.message, m);
    assert.deepEqual(relatedAt(deploy), e.reads, 'the deploy end points at every read');
    for (const r of deploy.related) assert.match(r.message, /^GCP_PROJECT_ID read here \(.+\)$/);
    assertRelatedReadSpans(c.files, deploy);
    assert.equal(code.severity, e.severity);
    assert.match(code.message, e.code);
    assertNameSpans(c.files, code);
    assertCodeRelated(code, [e.deploy.at], otherReads);
    assertRelatedReadSpans(c.files, code, 1);
    for (const f of found) {
      assert.equal(f.fixes.length, 1, `${where(f)}: one fix`);
      assert.match(f.fixes[0].title, c.fix.title);
      assert.equal(f.fixes[0].safe, c.fix.safe);
      assert.equal(f.fixes[0].preferred, true);
      // The same edit at both ends.
      assert.deepEqual(f.fixes[0].edits, deploy.fixes[0].edits);
      assert.deepEqual(f.fixes[0].edits.map((x) => x.file), [c.fix.file]);
    }
  });
  for (const [end, pick] of [['deploy', (f: Finding) => f.file === c.fix.file], ['code', (f: Finding) => f.file.startsWith('services/')]] as const) {
    test(`fix round trip from the ${end} end: ${c.name}`, async () => {
      const { before, after, findingsAfter } = await roundTrip(RULE, c.files, pick);
      assert.equal(where(before), end === 'deploy' ? c.expect.deploy.at : c.expect.reads[0]);
      assert.ok(after[c.fix.file].includes(c.fix.contains), after[c.fix.file]);
      // Both ends are gone, not only the one whose fix was applied.
      assert.deepEqual(findingsAfter.filter((f) => f.rule === RULE).map(where), []);
    });
  }
}

for (const c of valid) {
  test(`valid: ${c.name}`, async () => {
    assert.deepEqual((await findingsOf(RULE, c.files, c.config)).map((f) => `${where(f)} ${f.message}`), []);
    if (c.control) assert.ok((await findingsOf(RULE, c.control, c.config)).length > 0, 'the control workspace fires');
  });
}

test('the audit shape: each deploy target is a finding, the reading file one more; it carries a fix per target', async () => {
  const files = { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY, 'deploy/api-production.yaml': KNATIVE };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/api-production.yaml:12', 'deploy/deploy-api-staging.sh:9', PY_READ]);
  const [prod, staging, ...reads] = found;
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

test('a read in a production-only branch does not need the staging deploy to set it', async () => {
  const files: Files = {
    'services/api/requirements.txt': 'fastapi\n',
    'services/api/app/settings.py': 'import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "production":\n    PROJECT = os.environ["GCP_PROJECT_ID"]\n',
    'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    'deploy/api-production.yaml': KNATIVE,
  };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/api-production.yaml:12', 'services/api/app/settings.py:5']);
  assert.deepEqual(found.map(relatedAt), [['services/api/app/settings.py:5'], ['deploy/api-production.yaml:12']]);
  assert.match(found[1].message, /^GCP_PROJECT_ID is not set by the production deploy of api:/);
  assert.deepEqual(found[1].fixes.map((x) => x.edits[0].file), ['deploy/api-production.yaml']);
});

/** A production-only read above an unconditional one (lines 5 and 7). */
const SETTINGS_PY = `import os

ENVIRONMENT = os.environ.get("ENVIRONMENT", "development")
if ENVIRONMENT == "production":
    BILLING_PROJECT = os.environ["GCP_PROJECT_ID"]

PROJECT = os.environ.get("GCP_PROJECT_ID")
`;

test('the code end sits on the file\'s first read that some deploy leaves empty, not merely its first read', async () => {
  const svc: Files = { 'services/api/requirements.txt': 'fastapi\n', 'services/api/app/settings.py': SETTINGS_PY };
  // Only staging is deployed: the production-only read on line 5 is fine there; line 7 is not.
  const staging = { ...svc, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY };
  const found = await findingsOf(RULE, staging);
  assert.deepEqual(found.map(where), ['deploy/deploy-api-staging.sh:9', 'services/api/app/settings.py:7']);
  assert.deepEqual(relatedAt(found[0]), ['services/api/app/settings.py:7'], 'the deploy end relates only the reads it leaves empty');
  assertNameSpans(staging, found[1]);
  assertCodeRelated(found[1], ['deploy/deploy-api-staging.sh:9'], ['services/api/app/settings.py:5']);
  assert.match(found[1].message, /^GCP_PROJECT_ID is not set by the staging deploy of api:/);
  // Production deployed too: now line 5 is the first read some deploy leaves empty.
  const both = { ...staging, 'deploy/api-production.yaml': KNATIVE };
  const all = await findingsOf(RULE, both);
  assert.deepEqual(all.map(where), ['deploy/api-production.yaml:12', 'deploy/deploy-api-staging.sh:9', 'services/api/app/settings.py:5']);
  assert.deepEqual(all.slice(0, 2).map(relatedAt), [['services/api/app/settings.py:5', 'services/api/app/settings.py:7'], ['services/api/app/settings.py:7']]);
  assertCodeRelated(all[2], ['deploy/deploy-api-staging.sh:9', 'deploy/api-production.yaml:12'], ['services/api/app/settings.py:7']);
  assert.equal(all[2].fingerprint, found[1].fingerprint, 'one finding per file: the same fingerprint whichever read it sits on');
});

test('two reading files of one service: one code finding per file, each on its own first read', async () => {
  const files: Files = {
    ...PY_SERVICE,
    'services/api/app/config.py': 'import os\n\nPROJECT = os.getenv("GCP_PROJECT_ID")\n',
    'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
  };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/deploy-api-staging.sh:9', 'services/api/app/config.py:3', PY_READ]);
  const [deploy, config, secrets] = found;
  assert.deepEqual([...relatedAt(deploy)].sort(), ['services/api/app/config.py:3', ...PY_READS].sort(), 'the deploy end relates every read, in every file');
  assertCodeRelated(config, ['deploy/deploy-api-staging.sh:9'], []);
  assertCodeRelated(secrets, ['deploy/deploy-api-staging.sh:9'], PY_READS.slice(1));
  for (const f of [config, secrets]) assertNameSpans(files, f);
  assert.notEqual(config.fingerprint, secrets.fingerprint);
  // One fix at the deploy end clears all three.
  const { findingsAfter } = await roundTrip(RULE, files, (f) => f.file === 'services/api/app/config.py');
  assert.deepEqual(findingsAfter.filter((f) => f.rule === RULE).map(where), []);
});

// ---- suppressions and configuration ---------------------------------------------------------

/** PY_SERVICE with a disable-next-line comment above the given reads (by their line in PY_SERVICE). */
function suppressReads(lines: number[], rule = RULE): Files {
  const text = PY_SERVICE['services/api/app/secrets.py'].split('\n');
  for (const n of [...lines].sort((a, b) => b - a)) {
    const indent = /^\s*/.exec(text[n - 1])![0];
    text.splice(n - 1, 0, `${indent}# deploy-preflight-disable-next-line ${rule} -- only used on GCP`);
  }
  return { ...PY_SERVICE, 'services/api/app/secrets.py': text.join('\n') };
}

test('suppression: # disable-next-line in a Python deploy script silences the deploy end only', async () => {
  const text = PY_DEPLOY.replace('        "env": {', '        # deploy-preflight-disable-next-line gcp-project-id-unwired -- the project comes from the runtime\n        "env": {');
  const files = { ...PY_SERVICE, 'scripts/deploy_staging.py': text };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), [PY_READ], 'the code end stays');
  assertCodeRelated(found[0], ['scripts/deploy_staging.py:11'], PY_READS.slice(1));
  assert.deepEqual(await findingsOf('unused-suppression', files), []);
  // Suppressed at both ends (the code end on its first read): nothing left, no suppression unused.
  const both = { ...suppressReads([6]), 'scripts/deploy_staging.py': text };
  assert.deepEqual(await findingsOf(RULE, both), []);
  assert.deepEqual(await findingsOf('unused-suppression', both), []);
});

test('suppression: # disable-next-line on the file\'s first read silences the code end; the deploy end stays', async () => {
  const deploy = { 'scripts/deploy_staging.py': PY_DEPLOY };
  const first = { ...suppressReads([6]), ...deploy };
  const found = await findingsOf(RULE, first);
  assert.deepEqual(found.map(where), ['scripts/deploy_staging.py:10']);
  // Line numbers shift by the inserted comment.
  assert.deepEqual(relatedAt(found[0]), ['services/api/app/secrets.py:7', 'services/api/app/secrets.py:12'], 'still points at the (suppressed) reads');
  assert.deepEqual(await findingsOf('unused-suppression', first), []);
  // A suppression for another rule silences nothing of this one.
  const other = { ...suppressReads([6, 11], 'env-unset-for-deploy'), ...deploy };
  const otherFound = await findingsOf(RULE, other);
  assert.deepEqual(otherFound.map(where), ['scripts/deploy_staging.py:10', 'services/api/app/secrets.py:7']);
  assertCodeRelated(otherFound[1], ['scripts/deploy_staging.py:10'], ['services/api/app/secrets.py:13']);
});

test('suppression: # disable-next-line on a later read does nothing for the code end and is unused', async () => {
  const files = { ...suppressReads([11]), 'scripts/deploy_staging.py': PY_DEPLOY };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['scripts/deploy_staging.py:10', PY_READ], 'the code end stays, on the first read');
  // The later read (now on line 12, after the comment) is still listed as related.
  assertCodeRelated(found[1], ['scripts/deploy_staging.py:10'], ['services/api/app/secrets.py:12']);
  const unused = await findingsOf('unused-suppression', files);
  assert.deepEqual(unused.map(where), ['services/api/app/secrets.py:11']);
  assert.match(unused[0].message, /no gcp-project-id-unwired finding here/);
  // On both reads: the first silences the code end, the later one is still unused.
  const both = { ...suppressReads([6, 11]), 'scripts/deploy_staging.py': PY_DEPLOY };
  assert.deepEqual((await findingsOf(RULE, both)).map(where), ['scripts/deploy_staging.py:10']);
  assert.deepEqual((await findingsOf('unused-suppression', both)).map(where), ['services/api/app/secrets.py:12']);
});

test('suppression: # disable (whole file) in Cloud Build YAML silences the deploy end only', async () => {
  const files = { ...TS_SERVICE, 'cloudbuild-production.yaml': '# deploy-preflight-disable gcp-project-id-unwired\n' + CLOUDBUILD };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), [TS_READS[0]]);
  assertCodeRelated(found[0], ['cloudbuild-production.yaml:12'], TS_READS.slice(1));
  assert.deepEqual(await findingsOf('unused-suppression', files), []);
  const both = { ...files, 'services/web/src/config.ts': '// deploy-preflight-disable gcp-project-id-unwired\n' + TS_SERVICE['services/web/src/config.ts'] };
  assert.deepEqual(await findingsOf(RULE, both), []);
  assert.deepEqual(await findingsOf('unused-suppression', both), []);
});

test('suppression: # disable (whole file) in a shell script silences the deploy end only', async () => {
  // The finding sits on the --set-env-vars line inside a continued command, where a comment
  // would end the command; the whole-file form is the shell way.
  const ok = SHELL_DEPLOY.replace('gcloud run deploy', '# deploy-preflight-disable gcp-project-id-unwired -- set by the base image\ngcloud run deploy');
  const files = { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': ok };
  assert.deepEqual((await findingsOf(RULE, files)).map(where), [PY_READ]);
  assert.deepEqual(await findingsOf('unused-suppression', files), []);
  const both = { ...suppressReads([6]), 'deploy/deploy-api-staging.sh': ok };
  assert.deepEqual(await findingsOf(RULE, both), []);
  assert.deepEqual(await findingsOf('unused-suppression', both), []);
});

test('an unused suppression for this rule is reported as unused-suppression', async () => {
  const files = {
    ...PY_SERVICE,
    'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}"').replace('gcloud run deploy', '# deploy-preflight-disable-next-line gcp-project-id-unwired\ngcloud run deploy'),
  };
  const unused = await findingsOf('unused-suppression', files);
  assert.deepEqual(unused.map(where), ['deploy/deploy-api-staging.sh:5']);
  assert.equal(unused[0].severity, 'info');
  assert.match(unused[0].message, /no gcp-project-id-unwired finding here/);
});

test('an unused suppression at the code end (the deploy sets it now) is reported as unused-suppression', async () => {
  const files = { ...suppressReads([6]), 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}"') };
  assert.deepEqual(await findingsOf(RULE, files), []);
  const unused = await findingsOf('unused-suppression', files);
  assert.deepEqual(unused.map(where), ['services/api/app/secrets.py:6']);
  assert.match(unused[0].message, /no gcp-project-id-unwired finding here/);
});

test('config: off disables both ends, a severity override applies to both', async () => {
  const files = { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY };
  assert.equal((await findingsOf(RULE, files)).length, 2, 'the workspace fires without the config');
  assert.deepEqual(await findingsOf(RULE, files, 'rules:\n  gcp-project-id-unwired: off\n'), []);
  const warned = await findingsOf(RULE, files, 'rules:\n  gcp-project-id-unwired: warning\n');
  assert.deepEqual(warned.map((f) => [where(f), f.severity]), [['deploy/deploy-api-staging.sh:9', 'warning'], [PY_READ, 'warning']]);
  const additive = { ...TS_SERVICE, '.github/workflows/release.yml': GHA_RUN_UPDATE };
  assert.deepEqual((await findingsOf(RULE, additive)).map((f) => f.severity), ['warning', 'warning'], 'additive: warning without the config');
  assert.deepEqual((await findingsOf(RULE, additive, 'rules:\n  gcp-project-id-unwired: error\n')).map((f) => f.severity), ['error', 'error']);
});

test('messages at either end never carry a secret value from the deploy', async () => {
  const planted = 'sk_live_9fQ2xT7vLm3pR8wZ';
  const files = { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', `LOG_LEVEL=info,STRIPE_SECRET_KEY=${planted}"`) };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/deploy-api-staging.sh:9', PY_READ]);
  for (const f of found) {
    assert.ok(!JSON.stringify([f.message, f.related.map((r) => r.message), f.fixes.map((x) => x.title)]).includes(planted), where(f));
  }
});
