import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { ready } from '../helpers';
import { analyze, findingsOf, applyFix, changedFiles, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';
import type { Fix } from '../../server/src/core/edits';
import { extractFile } from '../../server/src/extract/index';

before(ready);

const RULE = 'oauth-env-mismatch';
const CLIENT_ID = '418206937752-k3v9qd2hj7m1x0c5pq8rl4tse6wn2bfa.apps.googleusercontent.com';

// ---------------------------------------------------------------------------------------------
// Workspaces: small, realistic, one per file-kind combination.

/** TS service, shell deploy with the audit's `_STAGING` names; the code reads the short names. */
const SHELL_TS: Files = {
  'services/auth/package.json': '{ "name": "auth", "version": "1.0.0" }\n',
  'services/auth/src/oauth.ts': [
    'export const oauth = {',
    '  clientId: process.env.GOOGLE_CLIENT_ID ?? "",',
    '  clientSecret: process.env.GOOGLE_CLIENT_SECRET ?? "",',
    '};',
    '',
  ].join('\n'),
  'deploy/deploy-auth-staging.sh': [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    'gcloud run deploy auth-staging \\',
    '  --source services/auth \\',
    '  --project acme-staging \\',
    '  --region us-central1 \\',
    `  --set-env-vars "ENVIRONMENT=staging,GOOGLE_OAUTH_CLIENT_ID_STAGING=${CLIENT_ID}" \\`,
    '  --set-secrets "GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-client-secret-staging:latest"',
    '',
  ].join('\n'),
};

/** Python service deployed by a Python script (staging) and a Knative manifest (production);
 * production provides the short names the code reads, so only the staging deploy is wrong. */
const PYDEPLOY_PY: Files = {
  'services/backend/requirements.txt': 'fastapi\n',
  'services/backend/app/oauth.py': [
    'import os',
    '',
    'GOOGLE_CLIENT_ID = os.environ["GOOGLE_CLIENT_ID"]',
    '',
  ].join('\n'),
  'scripts/deploy_to_gcp.py': [
    'import subprocess',
    '',
    'SERVICES = [',
    '    dict(',
    '        name="backend",',
    '        directory="services/backend",',
    '        environment_vars={',
    '            "ENVIRONMENT": "staging",',
    `            "GOOGLE_OAUTH_CLIENT_ID_STAGING": "${CLIENT_ID}",`,
    '        },',
    '    ),',
    ']',
    '',
    'def deploy(svc, project_id="acme-staging"):',
    '    env = ",".join(f"{k}={v}" for k, v in svc["environment_vars"].items())',
    '    subprocess.run(["gcloud", "run", "deploy", f"{svc[\'name\']}-staging", "--source", svc["directory"],',
    '                    "--project", project_id, "--set-env-vars", env], check=True)',
    '',
  ].join('\n'),
  'deploy/backend-production.yaml': [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: backend-production',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - image: us-docker.pkg.dev/acme-prod/services/backend:latest',
    '          env:',
    '            - name: ENVIRONMENT',
    '              value: production',
    '            - name: GOOGLE_CLIENT_ID',
    `              value: ${CLIENT_ID}`,
    '',
  ].join('\n'),
};

/** Per-environment naming in the code (`_STAGING` read in the staging branch), a Knative staging
 * manifest that provides the short name. */
const KNATIVE_PY: Files = {
  'services/api/requirements.txt': 'flask\n',
  'services/api/app/settings.py': [
    'import os',
    '',
    'ENV = os.environ.get("ENVIRONMENT", "development")',
    '',
    'if ENV == "staging":',
    '    CLIENT_ID = os.environ["GOOGLE_OAUTH_CLIENT_ID_STAGING"]',
    'elif ENV == "production":',
    '    CLIENT_ID = os.environ["GOOGLE_OAUTH_CLIENT_ID_PRODUCTION"]',
    'else:',
    '    CLIENT_ID = None',
    '',
  ].join('\n'),
  'services/api/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\n',
  'services/api/service-staging.yaml': [
    '# Cloud Run service (staging): gcloud run services replace services/api/service-staging.yaml',
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: api-staging',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - image: us-docker.pkg.dev/acme-staging/services/api:latest',
    '          env:',
    '            - name: ENVIRONMENT',
    '              value: staging',
    '            # Google sign-in',
    '            - name: GOOGLE_CLIENT_ID',
    `              value: ${CLIENT_ID}`,
    '',
  ].join('\n'),
};

/** GitHub Actions deploy-cloudrun: the staging job copies the production name. */
const GHA_TS: Files = {
  'services/web/package.json': '{ "name": "web" }\n',
  'services/web/src/config.ts': [
    'const env = process.env.ENVIRONMENT;',
    'export function clientId(): string | undefined {',
    '  if (env === "staging") return process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;',
    '  if (env === "production") return process.env.GOOGLE_OAUTH_CLIENT_ID_PRODUCTION;',
    '  return undefined;',
    '}',
    '',
  ].join('\n'),
  '.github/workflows/deploy-web.yml': [
    'name: Deploy web',
    'on:',
    '  push:',
    '    branches: [main]',
    'jobs:',
    '  staging:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: google-github-actions/deploy-cloudrun@v2',
    '        with:',
    '          service: web-staging',
    '          source: services/web',
    '          project_id: acme-staging',
    '          env_vars: |',
    '            ENVIRONMENT=staging',
    `            GOOGLE_OAUTH_CLIENT_ID_PRODUCTION=${CLIENT_ID}`,
    '',
  ].join('\n'),
};

/** Cloud Build (production) sets the short name; the code reads the production name in its branch. */
const CLOUDBUILD_TS: Files = {
  'services/auth/package.json': '{ "name": "auth" }\n',
  'services/auth/src/config.ts': [
    'const env = process.env.ENVIRONMENT ?? "development";',
    'export const clientSecret = env === "production" ? process.env.GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION : undefined;',
    '',
  ].join('\n'),
  'cloudbuild-production.yaml': [
    'steps:',
    '  - id: deploy',
    '    name: gcr.io/google.com/cloudsdktool/cloud-sdk',
    '    entrypoint: gcloud',
    '    args:',
    '      - run',
    '      - deploy',
    '      - auth-production',
    '      - --source',
    '      - services/auth',
    '      - --set-env-vars',
    '      - ENVIRONMENT=production',
    '      - --set-secrets',
    '      - GOOGLE_CLIENT_SECRET=google-oauth-client-secret-production:latest',
    '',
  ].join('\n'),
};

// ---------------------------------------------------------------------------------------------
// Helpers

function find(fs: Finding[], file: string, line: number): Finding {
  const f = fs.find((x) => x.file === file && x.range.start.line + 1 === line);
  assert.ok(f, `a finding at ${file}:${line}; got ${fs.map(where).join(', ') || 'none'}`);
  return f;
}

function fixTitled(f: Finding, re: RegExp): Fix {
  const fix = f.fixes.find((x) => re.test(x.title));
  assert.ok(fix, `a fix matching ${re} on ${where(f)}; got ${f.fixes.map((x) => x.title).join(' | ') || 'none'}`);
  return fix;
}

/** Text outside the fix's edits is unchanged, and the edits' new text is where it should be. */
function assertOnlyEdited(before: Files, after: Files, fix: Fix): void {
  assert.deepEqual(changedFiles(before, after).sort(), [...new Set(fix.edits.map((e) => e.file))].sort());
  for (const file of new Set(fix.edits.map((e) => e.file))) {
    const edits = fix.edits.filter((e) => e.file === file).sort((a, b) => a.span.start - b.span.start);
    const a = before[file];
    const b = after[file];
    let prev = 0;
    let delta = 0;
    for (const e of edits) {
      assert.equal(b.slice(prev + delta, e.span.start + delta), a.slice(prev, e.span.start), `${file}: text before an edit`);
      assert.equal(b.slice(e.span.start + delta, e.span.start + delta + e.newText.length), e.newText);
      delta += e.newText.length - (e.span.end - e.span.start);
      prev = e.span.end;
    }
    assert.equal(b.slice(prev + delta), a.slice(prev), `${file}: text after the last edit`);
  }
}

function assertStillParses(before: Files, after: Files): void {
  for (const file of changedFiles(before, after)) {
    const was = extractFile(file, before[file]).problems.length;
    const now = extractFile(file, after[file]).problems;
    assert.ok(now.length <= was, `${file}: no new problems (${now.map((p) => p.message).join('; ')})`);
    if (/\.ya?ml$/.test(file)) assert.deepEqual(parseDocument(after[file]).errors, [], `${file}: YAML parses`);
  }
}

/** Applies the fix, checks the round trip, returns the new files and their findings of this rule. */
async function roundTrip(files: Files, fix: Fix): Promise<{ after: Files; findings: Finding[] }> {
  const after = applyFix(files, fix);
  assertOnlyEdited(files, after, fix);
  assertStillParses(files, after);
  const findings = await findingsOf(RULE, after);
  return { after, findings };
}

// ---------------------------------------------------------------------------------------------

describe('oauth-env-mismatch: invalid', () => {
  test('shell deploy provides _STAGING names, TS code reads GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET', async () => {
    const fs = await findingsOf(RULE, SHELL_TS);
    assert.deepEqual(fs.map(where).sort(), [
      'deploy/deploy-auth-staging.sh:7', 'deploy/deploy-auth-staging.sh:8',
      'services/auth/src/oauth.ts:2', 'services/auth/src/oauth.ts:3',
    ]);
    const deployId = find(fs, 'deploy/deploy-auth-staging.sh', 7);
    assert.equal(deployId.severity, 'error');
    assert.match(deployId.message, /auth \(staging\) sets GOOGLE_OAUTH_CLIENT_ID_STAGING, but auth reads GOOGLE_CLIENT_ID/);
    assert.equal(deployId.related[0].file, 'services/auth/src/oauth.ts');
    assert.equal(deployId.related[0].range.start.line + 1, 2);
    const readSecret = find(fs, 'services/auth/src/oauth.ts', 3);
    assert.match(readSecret.message, /GOOGLE_CLIENT_SECRET is not set in staging.*GOOGLE_OAUTH_CLIENT_SECRET_STAGING/);
    assert.deepEqual(readSecret.related.map((r) => `${r.file}:${r.range.start.line + 1}`), ['deploy/deploy-auth-staging.sh:8']);
    for (const f of fs) assert.ok(!f.message.includes(CLIENT_ID), 'never prints the value');
    // Both ends are offered; the code end (toward the convention) is preferred.
    assert.equal(readSecret.fixes.length, 2);
    assert.match(readSecret.fixes.find((x) => x.preferred)!.title, /^Read GOOGLE_OAUTH_CLIENT_SECRET_STAGING instead of GOOGLE_CLIENT_SECRET/);
  });

  test('Python deploy script vs Python code; production provides the read name, so only the deploy end is offered', async () => {
    const fs = await findingsOf(RULE, PYDEPLOY_PY);
    assert.deepEqual(fs.map(where).sort(), ['scripts/deploy_to_gcp.py:9', 'services/backend/app/oauth.py:3']);
    const read = find(fs, 'services/backend/app/oauth.py', 3);
    assert.match(read.message, /GOOGLE_CLIENT_ID is not set in staging: the staging deploy of backend provides the OAuth client id as GOOGLE_OAUTH_CLIENT_ID_STAGING/);
    assert.deepEqual(read.related.map((r) => `${r.file}:${r.range.start.line + 1}`), ['scripts/deploy_to_gcp.py:9']);
    // Renaming the read would break production, which provides GOOGLE_CLIENT_ID.
    assert.deepEqual(read.fixes.map((x) => x.title), ['Rename GOOGLE_OAUTH_CLIENT_ID_STAGING to GOOGLE_CLIENT_ID in scripts/deploy_to_gcp.py (backend (staging))']);
  });

  test('per-environment names: staging branch reads _STAGING, the Knative staging manifest sets GOOGLE_CLIENT_ID', async () => {
    const fs = await findingsOf(RULE, KNATIVE_PY);
    assert.deepEqual(fs.map(where).sort(), ['services/api/app/settings.py:6', 'services/api/service-staging.yaml:15']);
    const deploy = find(fs, 'services/api/service-staging.yaml', 15);
    assert.match(deploy.message, /api \(staging\) sets GOOGLE_CLIENT_ID, but api reads GOOGLE_OAUTH_CLIENT_ID_STAGING \(OAuth client id\) in staging/);
    // The production-branch read is not expected from the staging deploy.
    assert.ok(!fs.some((f) => f.message.includes('GOOGLE_OAUTH_CLIENT_ID_PRODUCTION')));
    assert.match(deploy.fixes.find((x) => x.preferred)!.title, /^Rename GOOGLE_CLIENT_ID to GOOGLE_OAUTH_CLIENT_ID_STAGING/);
    assert.ok(deploy.fixes.some((x) => /^Read GOOGLE_CLIENT_ID instead of GOOGLE_OAUTH_CLIENT_ID_STAGING/.test(x.title)));
  });

  test('GitHub Actions staging job provides the production name: only the deploy end is offered', async () => {
    const fs = await findingsOf(RULE, GHA_TS);
    assert.deepEqual(fs.map(where).sort(), ['.github/workflows/deploy-web.yml:17', 'services/web/src/config.ts:3']);
    const deploy = find(fs, '.github/workflows/deploy-web.yml', 17);
    assert.match(deploy.message, /web \(staging\) sets GOOGLE_OAUTH_CLIENT_ID_PRODUCTION, a name for production, but web reads GOOGLE_OAUTH_CLIENT_ID_STAGING/);
    assert.deepEqual(deploy.fixes.map((x) => x.title), ['Rename GOOGLE_OAUTH_CLIENT_ID_PRODUCTION to GOOGLE_OAUTH_CLIENT_ID_STAGING in .github/workflows/deploy-web.yml (web (staging))']);
  });

  test('Cloud Build production sets GOOGLE_CLIENT_SECRET, the production branch reads the _PRODUCTION name', async () => {
    const fs = await findingsOf(RULE, CLOUDBUILD_TS);
    assert.deepEqual(fs.map(where).sort(), ['cloudbuild-production.yaml:14', 'services/auth/src/config.ts:2']);
    assert.match(find(fs, 'cloudbuild-production.yaml', 14).message, /auth \(production\) sets GOOGLE_CLIENT_SECRET, but auth reads GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION/);
  });

  test('an additive deploy (--update-env-vars) is a hedged warning', async () => {
    const files = { ...SHELL_TS, 'deploy/deploy-auth-staging.sh': SHELL_TS['deploy/deploy-auth-staging.sh'].replace('--set-env-vars', '--update-env-vars') };
    const fs = await findingsOf(RULE, files);
    const f = find(fs, 'deploy/deploy-auth-staging.sh', 7);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /may still hold GOOGLE_CLIENT_ID from an earlier deploy/);
  });

  test('services of one environment name the credential differently: a warning on the odd one out', async () => {
    const files: Files = {
      ...SHELL_TS,
      'services/auth/src/oauth.ts': 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;\n',
      'services/billing/package.json': '{ "name": "billing" }\n',
      // A prebuilt image: its code is not in this workspace.
      'deploy/admin-staging.yaml': [
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'metadata:',
        '  name: admin-staging',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - image: us-docker.pkg.dev/acme-staging/vendor/admin:2.3',
        '          env:',
        '            - name: OAUTH_CLIENT_ID',
        `              value: ${CLIENT_ID}`,
        '',
      ].join('\n'),
    };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['deploy/admin-staging.yaml:11']);
    const f = fs[0];
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /admin \(staging\) names the OAuth client id OAUTH_CLIENT_ID, other staging services use GOOGLE_OAUTH_CLIENT_ID_STAGING \(convention: GOOGLE_OAUTH_CLIENT_ID_STAGING\); the code of admin is not in this workspace/);
    assert.deepEqual(f.related.map((r) => `${r.file}:${r.range.start.line + 1}`), ['deploy/deploy-auth-staging.sh:7']);
    const { findings } = await roundTrip(files, fixTitled(f, /^Rename OAUTH_CLIENT_ID to GOOGLE_OAUTH_CLIENT_ID_STAGING/));
    assert.deepEqual(findings.map(where), []);
  });

  test('oauth.convention in the config decides which end is preferred', async () => {
    const fs = await findingsOf(RULE, SHELL_TS, 'oauth:\n  convention: GOOGLE_CLIENT_{KIND}\n');
    const read = find(fs, 'services/auth/src/oauth.ts', 2);
    assert.match(read.fixes.find((x) => x.preferred)!.title, /^Rename GOOGLE_OAUTH_CLIENT_ID_STAGING to GOOGLE_CLIENT_ID/);
  });
});

describe('oauth-env-mismatch: valid', () => {
  test('per-environment reads satisfied by each environment (shell staging, Cloud Build production)', async () => {
    const files: Files = {
      'services/auth/package.json': '{ "name": "auth" }\n',
      'services/auth/src/config.ts': [
        'const env = process.env.ENVIRONMENT ?? "development";',
        'export function clientId(): string | undefined {',
        '  if (env === "staging") return process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;',
        '  if (env === "production") return process.env.GOOGLE_OAUTH_CLIENT_ID_PRODUCTION;',
        '  return undefined;',
        '}',
        '',
      ].join('\n'),
      'deploy/deploy-auth-staging.sh': SHELL_TS['deploy/deploy-auth-staging.sh'],
      'cloudbuild-production.yaml': CLOUDBUILD_TS['cloudbuild-production.yaml']
        .replace('ENVIRONMENT=production', `ENVIRONMENT=production,GOOGLE_OAUTH_CLIENT_ID_PRODUCTION=${CLIENT_ID}`),
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('a fallback chain the deploy satisfies (Python `or`, TS `??`)', async () => {
    const files: Files = {
      ...SHELL_TS,
      'services/auth/src/oauth.ts': 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING ?? process.env.GOOGLE_CLIENT_ID;\nexport const s = process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING;\n',
      'services/auth/scripts/check.py': 'import os\nCID = os.environ.get("GOOGLE_OAUTH_CLIENT_ID_STAGING") or os.environ["GOOGLE_CLIENT_ID"]\n',
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('another provider or a file path is not the same credential', async () => {
    const files: Files = {
      ...SHELL_TS,
      'services/auth/src/oauth.ts': [
        'export const gh = process.env.GITHUB_OAUTH_CLIENT_ID;',
        'export const keyFile = process.env.GOOGLE_CLIENT_SECRET_FILE;',
        'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;',
        'export const s = process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING;',
        '',
      ].join('\n'),
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('reads in tests and development-only branches are not deploy requirements', async () => {
    const files: Files = {
      ...PYDEPLOY_PY,
      'services/backend/app/oauth.py': [
        'import os',
        '',
        'ENV = os.environ.get("ENVIRONMENT", "development")',
        'CLIENT_ID = os.environ["GOOGLE_OAUTH_CLIENT_ID_STAGING"] if ENV == "staging" else None',
        'if ENV == "development":',
        '    CLIENT_ID = os.environ["GOOGLE_CLIENT_ID"]',
        '',
      ].join('\n'),
      'services/backend/tests/test_oauth.py': 'import os\n\ndef test_id():\n    assert os.environ["GOOGLE_CLIENT_ID"]\n',
      // production reads nothing under the short name now; drop the production manifest
      'deploy/backend-production.yaml': '# retired\n',
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('services of production use different names but each reads exactly what it is given: only a hint (Knative, Cloud Build)', async () => {
    const files: Files = {
      ...CLOUDBUILD_TS,
      'cloudbuild-production.yaml': CLOUDBUILD_TS['cloudbuild-production.yaml'].replace('GOOGLE_CLIENT_SECRET=', 'GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION='),
      'services/backend/requirements.txt': 'fastapi\n',
      'services/backend/app/oauth.py': 'import os\nSECRET = os.environ["GOOGLE_CLIENT_SECRET"]\n',
      'deploy/backend-production.yaml': [
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'metadata:',
        '  name: backend-production',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - image: us-docker.pkg.dev/acme-prod/services/backend:latest',
        '          env:',
        '            - name: GOOGLE_CLIENT_SECRET',
        '              valueFrom:',
        '                secretKeyRef:',
        '                  name: google-oauth-client-secret-production',
        '                  key: latest',
        '',
      ].join('\n'),
    };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map((f) => `${where(f)} ${f.severity}`), ['deploy/backend-production.yaml:11 info']);
    assert.match(fs[0].message, /backend \(production\) names the OAuth client secret GOOGLE_CLIENT_SECRET, other production services use GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION .*backend's code reads GOOGLE_CLIENT_SECRET, so it works/);
    assert.deepEqual(fs[0].related.map((r) => `${r.file}:${r.range.start.line + 1}`), ['cloudbuild-production.yaml:14']);
    assert.deepEqual(fs[0].fixes, [], 'a rename would have to move code and deploy together');
  });

  test('development names in compose and .env.development are not compared', async () => {
    const files: Files = {
      ...SHELL_TS,
      'services/auth/src/oauth.ts': 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;\nexport const s = process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING;\n',
      'docker-compose.yml': [
        'services:',
        '  auth:',
        '    build: services/auth',
        '    environment:',
        '      - ENVIRONMENT=development',
        '      - GOOGLE_CLIENT_ID=local-client',
        '',
      ].join('\n'),
      'services/auth/.env.development': 'GOOGLE_CLIENT_ID=local-client\n',
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });
});

describe('oauth-env-mismatch: fixes clear both ends', () => {
  const bothEndsGone = (fs: Finding[], name: string) => assert.deepEqual(fs.filter((f) => f.message.includes(name)).map(where), []);

  test('shell: rename the deploy variable (--set-env-vars and --set-secrets)', async () => {
    let files = SHELL_TS;
    for (const [line, kind] of [[7, 'ID'], [8, 'SECRET']] as const) {
      const f = find(await findingsOf(RULE, files), 'deploy/deploy-auth-staging.sh', line);
      const { after, findings } = await roundTrip(files, fixTitled(f, new RegExp(`^Rename GOOGLE_OAUTH_CLIENT_${kind}_STAGING to GOOGLE_CLIENT_${kind} `)));
      // Both ends of this credential are gone; the other credential is still reported.
      bothEndsGone(findings, `GOOGLE_CLIENT_${kind}`);
      assert.equal(findings.length, kind === 'ID' ? 2 : 0);
      files = after;
    }
    assert.match(files['deploy/deploy-auth-staging.sh'], /--set-env-vars "ENVIRONMENT=staging,GOOGLE_CLIENT_ID=418206937752/);
    assert.match(files['deploy/deploy-auth-staging.sh'], /--set-secrets "GOOGLE_CLIENT_SECRET=google-oauth-client-secret-staging:latest"/);
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('TypeScript: rename the reads (code end) clears the deploy-side finding too', async () => {
    const f = find(await findingsOf(RULE, SHELL_TS), 'deploy/deploy-auth-staging.sh', 7);
    const { after, findings } = await roundTrip(SHELL_TS, fixTitled(f, /^Read GOOGLE_OAUTH_CLIENT_ID_STAGING instead of GOOGLE_CLIENT_ID/));
    assert.match(after['services/auth/src/oauth.ts'], /clientId: process\.env\.GOOGLE_OAUTH_CLIENT_ID_STAGING \?\? ""/);
    bothEndsGone(findings, 'GOOGLE_CLIENT_ID');
    assert.equal(findings.length, 2, 'the secret pair is still reported');
    // Idempotent: the same computation finds nothing left to do for the id.
    assert.ok(!findings.some((x) => x.fixes.some((fx) => /GOOGLE_CLIENT_ID\b/.test(fx.title))));
  });

  test('Python deploy dict: rename the key', async () => {
    const f = find(await findingsOf(RULE, PYDEPLOY_PY), 'services/backend/app/oauth.py', 3);
    const { after, findings } = await roundTrip(PYDEPLOY_PY, f.fixes[0]);
    assert.match(after['scripts/deploy_to_gcp.py'], /^ {12}"GOOGLE_CLIENT_ID": "418206937752/m);
    assert.deepEqual(findings.map(where), []);
    assert.deepEqual((await analyze(after)).findings.filter((x) => x.rule === 'env-unset-for-deploy' && x.message.includes('GOOGLE_CLIENT_ID')).map(where), []);
  });

  test('Knative YAML: rename the env entry (comment kept), or rename the Python read', async () => {
    const f = find(await findingsOf(RULE, KNATIVE_PY), 'services/api/service-staging.yaml', 15);
    const deployEnd = await roundTrip(KNATIVE_PY, fixTitled(f, /^Rename GOOGLE_CLIENT_ID to GOOGLE_OAUTH_CLIENT_ID_STAGING/));
    assert.match(deployEnd.after['services/api/service-staging.yaml'], /# Google sign-in\n {12}- name: GOOGLE_OAUTH_CLIENT_ID_STAGING\n/);
    assert.deepEqual(deployEnd.findings.map(where), []);
    const codeEnd = await roundTrip(KNATIVE_PY, fixTitled(f, /^Read GOOGLE_CLIENT_ID instead of GOOGLE_OAUTH_CLIENT_ID_STAGING/));
    assert.match(codeEnd.after['services/api/app/settings.py'], /if ENV == "staging":\n {4}CLIENT_ID = os\.environ\["GOOGLE_CLIENT_ID"\]/);
    assert.match(codeEnd.after['services/api/app/settings.py'], /os\.environ\["GOOGLE_OAUTH_CLIENT_ID_PRODUCTION"\]/, 'the production read is untouched');
    assert.deepEqual(codeEnd.findings.map(where), []);
  });

  test('GitHub Actions env_vars: rename the production name to the staging one', async () => {
    const f = find(await findingsOf(RULE, GHA_TS), 'services/web/src/config.ts', 3);
    const { after, findings } = await roundTrip(GHA_TS, f.fixes[0]);
    assert.match(after['.github/workflows/deploy-web.yml'], /\n {12}GOOGLE_OAUTH_CLIENT_ID_STAGING=418206937752/);
    assert.deepEqual(findings.map(where), []);
  });

  test('Cloud Build args: rename the secret variable, or rename the TS read', async () => {
    const f = find(await findingsOf(RULE, CLOUDBUILD_TS), 'cloudbuild-production.yaml', 14);
    const deployEnd = await roundTrip(CLOUDBUILD_TS, fixTitled(f, /^Rename GOOGLE_CLIENT_SECRET to GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION/));
    assert.match(deployEnd.after['cloudbuild-production.yaml'], /- GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION=google-oauth-client-secret-production:latest\n/);
    assert.deepEqual(deployEnd.findings.map(where), []);
    const codeEnd = await roundTrip(CLOUDBUILD_TS, fixTitled(f, /^Read GOOGLE_CLIENT_SECRET instead/));
    assert.deepEqual(codeEnd.findings.map(where), []);
  });
});

describe('oauth-env-mismatch: suppression and configuration', () => {
  test('Python next-line comment silences the read; the deploy end still reports', async () => {
    const files = { ...PYDEPLOY_PY, 'services/backend/app/oauth.py': PYDEPLOY_PY['services/backend/app/oauth.py'].replace('GOOGLE_CLIENT_ID = ', '# deploy-preflight-disable-next-line oauth-env-mismatch\nGOOGLE_CLIENT_ID = ') };
    const { findings } = await analyze(files);
    assert.deepEqual(findings.filter((f) => f.rule === RULE).map(where), ['scripts/deploy_to_gcp.py:9']);
    assert.ok(!findings.some((f) => f.rule === 'unused-suppression'));
  });

  test('YAML next-line comment and TS file-wide comment; an unused one is reported', async () => {
    const files: Files = {
      ...KNATIVE_PY,
      'services/api/service-staging.yaml': KNATIVE_PY['services/api/service-staging.yaml'].replace('            # Google sign-in\n', '            # deploy-preflight-disable-next-line oauth-env-mismatch\n'),
      'services/api/app/settings.py': `# deploy-preflight-disable oauth-env-mismatch\n${KNATIVE_PY['services/api/app/settings.py']}`,
      'services/api/app/other.py': '# deploy-preflight-disable-next-line oauth-env-mismatch\nX = 1\n',
    };
    const { findings } = await analyze(files);
    assert.deepEqual(findings.filter((f) => f.rule === RULE).map(where), []);
    assert.deepEqual(findings.filter((f) => f.rule === 'unused-suppression').map(where), ['services/api/app/other.py:1']);
  });

  test('TypeScript // comments', async () => {
    const files = { ...SHELL_TS, 'services/auth/src/oauth.ts': `// deploy-preflight-disable oauth-env-mismatch\n${SHELL_TS['services/auth/src/oauth.ts']}` };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where).sort(), ['deploy/deploy-auth-staging.sh:7', 'deploy/deploy-auth-staging.sh:8']);
  });

  test('rules: off disables it; a severity override applies', async () => {
    assert.deepEqual(await findingsOf(RULE, SHELL_TS, 'rules:\n  oauth-env-mismatch: off\n'), []);
    const fs = await findingsOf(RULE, SHELL_TS, 'rules:\n  oauth-env-mismatch: info\n');
    assert.equal(fs.length, 4);
    assert.ok(fs.every((f) => f.severity === 'info'));
  });
});
