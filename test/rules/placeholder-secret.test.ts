import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, findingsOf, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';
import { placeholderShape } from '../../server/src/knowledge/secrets';
import { placeholderSecret } from '../../server/src/rules/placeholder-secret';

before(ready);

const RULE = 'placeholder-secret';

const CODE: Files = {
  'services/backend/requirements.txt': 'fastapi\n',
  'services/backend/app/settings.py': 'import os\nKEY = os.environ["JWT_SECRET_KEY"]\n',
  'services/auth/package.json': '{ "name": "auth" }\n',
  'services/auth/src/config.ts': 'export const token = process.env.STRIPE_API_KEY;\n',
};

const SHELL_STAGING = (envVars: string): Files => ({
  'deploy/deploy-auth-staging.sh': [
    '#!/usr/bin/env bash',
    'gcloud run deploy auth-staging \\',
    '  --source services/auth \\',
    '  --project acme-staging \\',
    `  --set-env-vars "${envVars}"`,
    '',
  ].join('\n'),
});

const PY_STAGING: Files = {
  'scripts/deploy_to_gcp.py': [
    'import subprocess',
    '',
    'ENV_VARS = {',
    '    "ENVIRONMENT": "staging",',
    '    "DATABASE_URL": "postgresql+asyncpg://app:${DB_PASSWORD}@10.0.0.3/app",',
    '    "JWT_SECRET_KEY": "jwt-secret-key-staging:latest",',
    '}',
    '',
    'def deploy(project_id="acme-staging"):',
    '    env = ",".join(f"{k}={v}" for k, v in ENV_VARS.items())',
    '    subprocess.run(["gcloud", "run", "deploy", "backend-staging", "--source", "services/backend",',
    '                    "--project", project_id, "--set-secrets", "JWT_SECRET_KEY=jwt-secret-key-staging:latest",',
    '                    "--set-env-vars", env], check=True)',
    '',
  ].join('\n'),
};

const KNATIVE_PROD = (value: string): Files => ({
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
    '            - name: SERVICE_SECRET',
    `              value: ${value}`,
    '',
  ].join('\n'),
});

const GHA_PROD = (line: string): Files => ({
  '.github/workflows/deploy-auth.yml': [
    'name: Deploy auth',
    'on:',
    '  push:',
    '    tags: ["auth-v*"]',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: google-github-actions/deploy-cloudrun@v2',
    '        with:',
    '          service: auth-production',
    '          source: services/auth',
    '          project_id: acme-prod',
    '          env_vars: |',
    '            ENVIRONMENT=production',
    `            ${line}`,
    '',
  ].join('\n'),
});

function find(fs: Finding[], file: string, line: number): Finding {
  const f = fs.find((x) => x.file === file && x.range.start.line + 1 === line);
  assert.ok(f, `a finding at ${file}:${line}; got ${fs.map(where).join(', ') || 'none'}`);
  return f;
}

describe('placeholder-secret: invalid', () => {
  test('.env.staging next to a deploy that already takes the secret from Secret Manager', async () => {
    const files: Files = {
      ...CODE, ...PY_STAGING,
      'services/backend/.env.staging': '# smoke tests against staging\nENVIRONMENT=staging\nJWT_SECRET_KEY=REPLACE_WITH_STAGING_JWT_SECRET\n',
    };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['services/backend/.env.staging:3']);
    const f = fs[0];
    assert.equal(f.severity, 'error');
    assert.equal(files[f.file].slice(f.span.start, f.span.end), 'REPLACE_WITH_STAGING_JWT_SECRET');
    assert.match(f.message, /^JWT_SECRET_KEY for backend \(staging\) is a placeholder \(REPLACE_WITH_…\), not a secret: the staging deploy of backend takes it from secret jwt-secret-key-staging/);
    assert.ok(!f.message.includes('REPLACE_WITH_STAGING_JWT_SECRET'), 'the value itself is not echoed');
    assert.deepEqual(f.related.map((r) => `${r.file}:${r.range.start.line + 1}`), ['scripts/deploy_to_gcp.py:12']);
    assert.deepEqual(f.fixes, []);
  });

  test('shell --set-env-vars (staging): "your-…-here"; the message names the --set-secrets entry to use', async () => {
    const files = { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,STRIPE_API_KEY=your-stripe-key-here') };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['deploy/deploy-auth-staging.sh:5']);
    assert.match(fs[0].message, /STRIPE_API_KEY for auth \(staging\) is a placeholder \(your-…-here\).*--set-secrets STRIPE_API_KEY=stripe-api-key-staging:latest/);
    assert.ok(!fs[0].message.includes('your-stripe-key-here'));
  });

  test('Knative manifest (production): changeme; the message points at secretKeyRef', async () => {
    const files = { ...CODE, ...KNATIVE_PROD('changeme') };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['deploy/backend-production.yaml:14']);
    assert.match(fs[0].message, /SERVICE_SECRET for backend \(production\) is a placeholder \(changeme\).*valueFrom\.secretKeyRef \(name: service-secret-production, key: latest\)/);
    assert.deepEqual(fs[0].related.map((r) => r.file), ['deploy/backend-production.yaml']);
  });

  test('GitHub Actions env_vars (production): <…>; the message points at repository secrets', async () => {
    const files = { ...CODE, ...GHA_PROD('DB_PASSWORD=<db password>') };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['.github/workflows/deploy-auth.yml:16']);
    assert.match(fs[0].message, /DB_PASSWORD for auth \(production\) is a placeholder \(<…>\).*\$\{\{ secrets\.DB_PASSWORD \}\}/);
  });

  test('Python deploy dict (staging): TODO', async () => {
    const files = { ...CODE, ...PY_STAGING, 'scripts/deploy_to_gcp.py': PY_STAGING['scripts/deploy_to_gcp.py'].replace('    "ENVIRONMENT": "staging",\n', '    "ENVIRONMENT": "staging",\n    "SENTRY_AUTH_TOKEN": "TODO",\n') };
    const fs = await findingsOf(RULE, files);
    assert.deepEqual(fs.map(where), ['scripts/deploy_to_gcp.py:5']);
    assert.match(fs[0].message, /SENTRY_AUTH_TOKEN for backend \(staging\) is a placeholder \(a stand-in word\)/);
  });
});

describe('placeholder-secret: valid', () => {
  test('development and template files are never checked (.env.example, .env.development, compose)', async () => {
    const files: Files = {
      ...CODE, ...PY_STAGING,
      'services/backend/.env.example': 'JWT_SECRET_KEY=changeme\nSTRIPE_API_KEY=your-stripe-key-here\n',
      'services/backend/.env.development': 'JWT_SECRET_KEY=changeme\n',
      'docker-compose.yml': 'services:\n  auth:\n    build: services/auth\n    environment:\n      - ENVIRONMENT=development\n      - JWT_SECRET_KEY=changeme\n',
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('a real-looking value for a secret-like name stays quiet (.env.staging, shell, Knative)', async () => {
    const files: Files = {
      ...CODE, ...PY_STAGING,
      'services/backend/.env.staging': 'JWT_SECRET_KEY=9f8Kq2LmV7xR4tZp1Wc6Yb3Nd0Hs5Ge8\n',
      ...SHELL_STAGING('STRIPE_API_KEY=rk_test_51Hx9yZ2eKq8LmV7xR4tZp1Wc'),
      ...KNATIVE_PROD('vT5nQ1xW8rLc3kZp9mYb2hFs'),
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('placeholders in names that are not secrets, and secret names without a literal value', async () => {
    const files: Files = {
      ...CODE,
      ...SHELL_STAGING('SUPPORT_EMAIL=your-email-here,FEATURE_FLAGS=TODO,ENVIRONMENT=staging'),
      ...GHA_PROD('DB_PASSWORD=${{ secrets.DB_PASSWORD }}'),
      ...PY_STAGING,
    };
    assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
  });

  test('interpolation is not a placeholder, nor are words inside a longer value', () => {
    for (const v of ['${DB_PASSWORD}', 'postgresql://app:changeme@db/app', 'todo-list-service-token-8f3k2', 'none', 'null', 'secretive-9Xk2Lm']) {
      assert.equal(placeholderShape(v), undefined, v);
    }
    for (const [v, shape] of [['REPLACE_ME', 'REPLACE_WITH_…'], ['change-me-in-prod', 'changeme'], ['your_api_key', 'your-…-here'], ['<token>', '<…>'], ['TBD', 'a stand-in word'], ['********', 'a stand-in word'], ['INSERT_YOUR_KEY_HERE', 'INSERT_YOUR_…']]) {
      assert.equal(placeholderShape(v), shape, v);
    }
    assert.equal(placeholderSecret.meta.fixable, false);
  });
});

describe('placeholder-secret: suppression and configuration', () => {
  const files: Files = { ...CODE, ...KNATIVE_PROD('changeme'), 'services/auth/.env.production': 'STRIPE_API_KEY=changeme\n' };

  test('YAML and dotenv next-line comments silence it; an unused one is reported', async () => {
    const suppressed: Files = {
      ...files,
      'deploy/backend-production.yaml': files['deploy/backend-production.yaml'].replace('              value: changeme', '              # deploy-preflight-disable-next-line placeholder-secret\n              value: changeme'),
      'services/auth/.env.production': '# deploy-preflight-disable-next-line placeholder-secret\nSTRIPE_API_KEY=changeme\n# deploy-preflight-disable-next-line placeholder-secret\nLOG_LEVEL=info\n',
    };
    const before = await findingsOf(RULE, files);
    assert.deepEqual(before.map(where).sort(), ['deploy/backend-production.yaml:14', 'services/auth/.env.production:1']);
    const { findings } = await analyze(suppressed);
    assert.deepEqual(findings.filter((f) => f.rule === RULE).map(where), []);
    assert.deepEqual(findings.filter((f) => f.rule === 'unused-suppression').map(where), ['services/auth/.env.production:3']);
  });

  test('shell file-wide comment', async () => {
    const sh = SHELL_STAGING('STRIPE_API_KEY=changeme')['deploy/deploy-auth-staging.sh'].replace('#!/usr/bin/env bash\n', '#!/usr/bin/env bash\n# deploy-preflight-disable placeholder-secret\n');
    assert.deepEqual((await findingsOf(RULE, { ...CODE, 'deploy/deploy-auth-staging.sh': sh })).map(where), []);
  });

  test('rules: off disables it; severity override applies', async () => {
    assert.deepEqual(await findingsOf(RULE, files, 'rules:\n  placeholder-secret: off\n'), []);
    const fs = await findingsOf(RULE, files, 'rules:\n  placeholder-secret: warning\n');
    assert.deepEqual(fs.map((f) => f.severity), ['warning', 'warning']);
  });
});
