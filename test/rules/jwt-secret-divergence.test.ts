import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { ready } from '../helpers';
import { analyze, findingsOf, applyFix, changedFiles, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';
import type { Fix } from '../../server/src/core/edits';
import { extractFile } from '../../server/src/extract/index';

before(ready);

const RULE = 'jwt-secret-divergence';

// ---------------------------------------------------------------------------------------------
// Building blocks: each service's code, and one deploy per syntax.

const CODE: Files = {
  'services/auth/package.json': '{ "name": "auth" }\n',
  'services/auth/src/jwt.ts': 'export const key = process.env.JWT_SECRET_KEY;\n',
  'services/backend/requirements.txt': 'fastapi\n',
  'services/backend/app/jwt.py': 'import os\nKEY = os.environ["JWT_SECRET_KEY"]\n',
  'services/worker/requirements.txt': 'celery\n',
  'services/worker/worker/jwt.py': 'import os\nKEY = os.environ["JWT_SECRET_KEY"]\n',
};

/** auth (staging) by shell: `--set-secrets`. */
const shellAuth = (secret: string, env = 'staging'): Files => ({
  [`deploy/deploy-auth-${env}.sh`]: [
    '#!/usr/bin/env bash',
    `gcloud run deploy auth-${env} \\`,
    '  --source services/auth \\',
    `  --project acme-${env} \\`,
    `  --set-env-vars "ENVIRONMENT=${env}" \\`,
    `  --set-secrets "SERVICE_SECRET=service-secret-${env}:latest,JWT_SECRET_KEY=${secret}:latest"`,
    '',
  ].join('\n'),
});

/** backend (staging) by a Python deploy script: a `secrets={...}` dict. */
const pythonBackend = (secret: string): Files => ({
  'scripts/deploy_to_gcp.py': [
    'import subprocess',
    '',
    'SECRETS = {',
    `    "JWT_SECRET_KEY": "${secret}:latest",`,
    '}',
    '',
    'def deploy(project_id="acme-staging"):',
    '    secrets = ",".join(f"{k}={v}" for k, v in SECRETS.items())',
    '    subprocess.run(["gcloud", "run", "deploy", "backend-staging", "--source", "services/backend",',
    '                    "--project", project_id, "--set-secrets", secrets], check=True)',
    '',
  ].join('\n'),
});

/** backend (production) by a Knative manifest: `valueFrom.secretKeyRef`. */
const knativeBackend = (secret: string, env = 'production'): Files => ({
  [`deploy/backend-${env}.yaml`]: [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    `  name: backend-${env}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - image: us-docker.pkg.dev/acme-${env}/services/backend:latest`,
    '          env:',
    '            - name: JWT_SECRET_KEY',
    '              valueFrom:',
    '                secretKeyRef:',
    `                  name: ${secret}  # shared with auth`,
    '                  key: latest',
    '            - name: LOG_LEVEL',
    '              value: info',
    '',
  ].join('\n'),
});

/** auth (production) by Cloud Build: `--set-secrets` as an args element. */
const cloudbuildAuth = (secret: string): Files => ({
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
    '      - --set-secrets',
    `      - JWT_SECRET_KEY=${secret}:latest,SERVICE_SECRET=service-secret-production:latest`,
    '',
  ].join('\n'),
});

/** worker (production) by GitHub Actions deploy-cloudrun: a `secrets:` block. */
const ghaWorker = (secret: string, env = 'production'): Files => ({
  '.github/workflows/deploy-worker.yml': [
    'name: Deploy worker',
    'on:',
    '  push:',
    '    tags: ["worker-v*"]',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: google-github-actions/deploy-cloudrun@v2',
    '        with:',
    `          service: worker-${env}`,
    '          source: services/worker',
    `          project_id: acme-${env}`,
    '          env_vars: |',
    `            ENVIRONMENT=${env}`,
    '          secrets: |',
    `            JWT_SECRET_KEY=${secret}:latest`,
    '',
  ].join('\n'),
});

// ---------------------------------------------------------------------------------------------
// Helpers (same round-trip checks as the other rule tests)

function find(fs: Finding[], file: string, line: number): Finding {
  const f = fs.find((x) => x.file === file && x.range.start.line + 1 === line);
  assert.ok(f, `a finding at ${file}:${line}; got ${fs.map(where).join(', ') || 'none'}`);
  return f;
}

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
      delta += e.newText.length - (e.span.end - e.span.start);
      prev = e.span.end;
    }
    assert.equal(b.slice(prev + delta), a.slice(prev), `${file}: text after the last edit`);
  }
}

async function roundTrip(files: Files, fix: Fix): Promise<{ after: Files; findings: Finding[] }> {
  const after = applyFix(files, fix);
  assertOnlyEdited(files, after, fix);
  for (const file of changedFiles(files, after)) {
    const was = extractFile(file, files[file]).problems.length;
    assert.ok(extractFile(file, after[file]).problems.length <= was, `${file}: no new problems`);
    if (/\.ya?ml$/.test(file)) assert.deepEqual(parseDocument(after[file]).errors, [], `${file}: YAML parses`);
  }
  const findings = await findingsOf(RULE, after);
  // Idempotent: re-analysis offers nothing more for this rule.
  assert.deepEqual(findings.flatMap((f) => f.fixes).length, 0);
  return { after, findings };
}

// ---------------------------------------------------------------------------------------------

describe('jwt-secret-divergence: invalid', () => {
  test('staging: shell auth vs Python-script backend (the audit scenario); one finding, at the non-convention secret', async () => {
    const files = { ...CODE, ...shellAuth('jwt-secret-staging'), ...pythonBackend('jwt-secret-key-staging') };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['deploy/deploy-auth-staging.sh:6']);
    const f = fs[0];
    assert.equal(f.severity, 'error');
    assert.match(f.message, /^auth \(staging\) takes JWT_SECRET_KEY from secret jwt-secret-staging, but backend uses secret jwt-secret-key-staging/);
    assert.deepEqual(f.related.map((r) => `${r.file}:${r.range.start.line + 1}`), ['scripts/deploy_to_gcp.py:4']);
    assert.equal(files[f.file].slice(f.span.start, f.span.end), 'jwt-secret-staging:latest');
  });

  test('production: a Knative manifest diverges from Cloud Build and GitHub Actions (majority of two)', async () => {
    const files = { ...CODE, ...knativeBackend('jwt-key-prod'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('jwt-secret-key-production') };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['deploy/backend-production.yaml:13']);
    assert.match(fs[0].message, /^backend \(production\) takes JWT_SECRET_KEY from secret jwt-key-prod, but auth, worker use secret jwt-secret-key-production/);
    assert.deepEqual(fs[0].related.map((r) => `${r.file}:${r.range.start.line + 1}`).sort(), ['.github/workflows/deploy-worker.yml:18', 'cloudbuild-production.yaml:12']);
  });

  test('production: GitHub Actions secrets: diverges from Cloud Build and Knative', async () => {
    const files = { ...CODE, ...knativeBackend('jwt-secret-key-production'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('worker-jwt') };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['.github/workflows/deploy-worker.yml:18']);
    assert.match(fs[0].message, /worker \(production\) takes JWT_SECRET_KEY from secret worker-jwt/);
  });

  test('staging: the Python secrets dict is the odd one out (two shell deploys agree)', async () => {
    const files: Files = {
      ...CODE, ...shellAuth('jwt-secret-key-staging'), ...pythonBackend('backend-jwt-staging'),
      'deploy/deploy-worker-staging.sh': 'gcloud run deploy worker-staging --source services/worker --project acme-staging \\\n  --set-secrets JWT_SECRET_KEY=jwt-secret-key-staging:latest\n',
    };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['scripts/deploy_to_gcp.py:4']);
    assert.match(fs[0].message, /backend \(staging\) takes JWT_SECRET_KEY from secret backend-jwt-staging, but auth, worker use secret jwt-secret-key-staging/);
  });

  test('literal values compare by content and are never printed', async () => {
    const A = 'q9F2vLx7Rk3mZp8WcT1yHs6bNd4gJe0u';
    const B = 'Vt5nQ1xW8rLc3kZp9mYb2hFs7gDj6eAq';
    const files: Files = {
      ...CODE,
      'deploy/deploy-auth-staging.sh': `gcloud run deploy auth-staging --source services/auth --project acme-staging \\\n  --set-env-vars "JWT_SECRET_KEY=${A}"\n`,
      'deploy/deploy-backend-staging.sh': `gcloud run deploy backend-staging --source services/backend --project acme-staging \\\n  --set-env-vars "JWT_SECRET_KEY=${B}"\n`,
    };
    const fs = await findingsOf(RULE, files);
    assert.equal(fs.length, 1);
    const f = fs[0];
    for (const text of [f.message, ...f.related.map((r) => r.message), ...f.fixes.map((x) => x.title)]) {
      assert.ok(!text.includes(A) && !text.includes(B), 'no secret value in any text');
      assert.ok(!text.includes(A.slice(0, 6)) && !text.includes(B.slice(0, 6)), 'not even a prefix');
    }
    assert.match(f.message, /from a literal value \(a 32-char value/);
    assert.deepEqual(f.fixes, [], 'no safe target secret to point at');
  });
});

describe('jwt-secret-divergence: valid', () => {
  test('one secret across shell, Python dict, Knative, Cloud Build and GitHub Actions (per environment)', async () => {
    const files = {
      ...CODE, ...shellAuth('jwt-secret-key-staging'), ...pythonBackend('jwt-secret-key-staging'),
      ...knativeBackend('jwt-secret-key-production'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('jwt-secret-key-production'),
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('different environments may use different secrets', async () => {
    const files = { ...CODE, ...shellAuth('jwt-secret-staging'), ...knativeBackend('jwt-secret-key-production') };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('development (compose, .env.development) is not compared with staging', async () => {
    const files: Files = {
      ...CODE, ...shellAuth('jwt-secret-key-staging'),
      'docker-compose.yml': 'services:\n  backend:\n    build: services/backend\n    environment:\n      - ENVIRONMENT=development\n      - JWT_SECRET_KEY=changeme\n',
      'services/backend/.env.development': 'JWT_SECRET_KEY=changeme\n',
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('values we cannot see (GitHub secrets, shell variables) are not guessed at', async () => {
    const files: Files = {
      ...CODE, ...ghaWorker('jwt-secret-key-production'),
      'deploy/deploy-auth-production.sh': 'gcloud run deploy auth-production --source services/auth --project acme-prod \\\n  --set-env-vars "JWT_SECRET_KEY=${JWT_SECRET_KEY}"\n',
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('an unreferenced .env.staging (local smoke tests) is not the deploy', async () => {
    const files: Files = {
      ...CODE, ...shellAuth('jwt-secret-key-staging'),
      // backend's deploy does not set the key here; the local file next to it does.
      'deploy/deploy-backend-staging.sh': 'gcloud run deploy backend-staging --source services/backend --project acme-staging --set-env-vars ENVIRONMENT=staging\n',
      'services/backend/.env.staging': 'ENVIRONMENT=staging\nJWT_SECRET_KEY=9f8Kq2LmV7xR4tZp1Wc6Yb3Nd0Hs5Ge8\n',
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });
});

describe('jwt-secret-divergence: fixes point at the majority secret', () => {
  test('gcloud --set-secrets in a shell script', async () => {
    const files = { ...CODE, ...shellAuth('jwt-secret-staging'), ...pythonBackend('jwt-secret-key-staging') };
    const [f] = await findingsOf(RULE, files);
    assert.equal(f.fixes[0].title, 'Use secret jwt-secret-key-staging for JWT_SECRET_KEY, like backend');
    const { after, findings } = await roundTrip(files, f.fixes[0]);
    assert.match(after['deploy/deploy-auth-staging.sh'], /,JWT_SECRET_KEY=jwt-secret-key-staging:latest"\n/);
    assert.deepEqual(findings, []);
  });

  test('Knative secretKeyRef', async () => {
    const files = { ...CODE, ...knativeBackend('jwt-key-prod'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('jwt-secret-key-production') };
    const [f] = await findingsOf(RULE, files);
    const { after, findings } = await roundTrip(files, f.fixes[0]);
    assert.match(after['deploy/backend-production.yaml'], /- name: JWT_SECRET_KEY\n {14}valueFrom:\n {16}secretKeyRef: \{name: jwt-secret-key-production, key: latest\}\n {12}- name: LOG_LEVEL/);
    const env = parseDocument(after['deploy/backend-production.yaml']).toJS().spec.template.spec.containers[0].env;
    assert.deepEqual(env[0], { name: 'JWT_SECRET_KEY', valueFrom: { secretKeyRef: { name: 'jwt-secret-key-production', key: 'latest' } } });
    assert.deepEqual(findings, []);
  });

  test('deploy-cloudrun secrets: block', async () => {
    const files = { ...CODE, ...knativeBackend('jwt-secret-key-production'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('worker-jwt') };
    const [f] = await findingsOf(RULE, files);
    const { after, findings } = await roundTrip(files, f.fixes[0]);
    assert.match(after['.github/workflows/deploy-worker.yml'], /secrets: \|\n {12}JWT_SECRET_KEY=jwt-secret-key-production:latest\n/);
    assert.deepEqual(findings, []);
  });

  test('Python secrets dict', async () => {
    const files: Files = {
      ...CODE, ...shellAuth('jwt-secret-key-staging'), ...pythonBackend('backend-jwt-staging'),
      'deploy/deploy-worker-staging.sh': 'gcloud run deploy worker-staging --source services/worker --project acme-staging \\\n  --set-secrets JWT_SECRET_KEY=jwt-secret-key-staging:latest\n',
    };
    const [f] = await findingsOf(RULE, files);
    const { after, findings } = await roundTrip(files, f.fixes[0]);
    assert.match(after['scripts/deploy_to_gcp.py'], /\n {4}"JWT_SECRET_KEY": "jwt-secret-key-staging:latest",\n/);
    assert.deepEqual(findings, []);
  });

  test('Cloud Build args element', async () => {
    const files = { ...CODE, ...knativeBackend('jwt-secret-key-production'), ...cloudbuildAuth('auth-jwt'), ...ghaWorker('jwt-secret-key-production') };
    const [f] = await findingsOf(RULE, files);
    assert.equal(where(f), 'cloudbuild-production.yaml:12');
    const { after, findings } = await roundTrip(files, f.fixes[0]);
    assert.match(after['cloudbuild-production.yaml'], /- JWT_SECRET_KEY=jwt-secret-key-production:latest,SERVICE_SECRET=/);
    assert.deepEqual(findings, []);
  });
});

describe('jwt-secret-divergence: suppression and configuration', () => {
  const files = { ...CODE, ...knativeBackend('jwt-key-prod'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('jwt-secret-key-production') };

  test('YAML next-line comment silences it; an unused one is reported', async () => {
    const suppressed = {
      ...files,
      'deploy/backend-production.yaml': files['deploy/backend-production.yaml'].replace('                secretKeyRef:\n', '                # deploy-preflight-disable-next-line jwt-secret-divergence\n                secretKeyRef:\n'),
      'cloudbuild-production.yaml': `# deploy-preflight-disable-next-line jwt-secret-divergence\n${files['cloudbuild-production.yaml']}`,
    };
    const { findings } = await analyze(suppressed);
    assert.deepEqual(findings.filter((f) => f.rule === RULE).map(where), []);
    assert.deepEqual(findings.filter((f) => f.rule === 'unused-suppression').map(where), ['cloudbuild-production.yaml:1']);
  });

  test('shell and Python file-wide comments', async () => {
    const staging = {
      ...CODE, ...shellAuth('jwt-secret-staging'), ...pythonBackend('jwt-secret-key-staging'),
    };
    staging['deploy/deploy-auth-staging.sh'] = staging['deploy/deploy-auth-staging.sh'].replace('#!/usr/bin/env bash\n', '#!/usr/bin/env bash\n# deploy-preflight-disable jwt-secret-divergence\n');
    assert.deepEqual((await findingsOf(RULE, staging)).map(where), []);
    // The Python comment is in the majority's file: nothing to silence there, so it is unused.
    staging['scripts/deploy_to_gcp.py'] = `# deploy-preflight-disable jwt-secret-divergence\n${staging['scripts/deploy_to_gcp.py']}`;
    const { findings } = await analyze(staging);
    assert.deepEqual(findings.filter((f) => f.rule === 'unused-suppression').map(where), ['scripts/deploy_to_gcp.py:1']);
  });

  test('rules: off disables it; severity override applies', async () => {
    assert.deepEqual(await findingsOf(RULE, files, 'rules:\n  jwt-secret-divergence: off\n'), []);
    const fs = await findingsOf(RULE, files, 'rules:\n  jwt-secret-divergence: warning\n');
    assert.deepEqual(fs.map((f) => `${where(f)} ${f.severity}`), ['deploy/backend-production.yaml:13 warning']);
  });
});
