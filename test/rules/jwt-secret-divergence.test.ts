/**
 * jwt-secret-divergence: services of one environment take their JWT signing secret from different
 * sources. One deploy per syntax; the odd one out is reported and its fix points it at the
 * majority's secret (applied with the shared round trip).
 */
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester, type ExpectedFix, type FixOutput } from '../rule-tester';
import { jwtSecretDivergence } from '../../server/src/rules/jwt-secret-divergence';

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

/** backend or worker (production) on GKE: a Deployment whose `secretKeyRef` names a Secret of
 * the cluster (`name`) and its key (`key`). */
const k8sDeployment = (service: string, secret: string, key: string): Files => ({
  [`k8s/${service}.yaml`]: [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${service}`,
    '  labels:',
    '    environment: production',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${service}`,
    `          image: us-docker.pkg.dev/acme-production/services/${service}:latest`,
    '          env:',
    '            - name: JWT_SECRET_KEY',
    '              valueFrom:',
    '                secretKeyRef:',
    `                  name: ${secret}`,
    `                  key: ${key}`,
    '',
  ].join('\n'),
});

const A = 'q9F2vLx7Rk3mZp8WcT1yHs6bNd4gJe0u';
const B = 'Vt5nQ1xW8rLc3kZp9mYb2hFs7gDj6eAq';

/** Points the odd one out at the majority's secret: a judgement call (never applied by --fix). */
const useSecret = (secret: string, like: string, output?: FixOutput): ExpectedFix => ({
  title: new RegExp(`^Use secret ${secret} for JWT_SECRET_KEY, like ${like}$`), safe: false, preferred: true, ...(output ? { output: { remaining: [], ...output } } : {}),
});

const STAGING = { ...CODE, ...shellAuth('jwt-secret-staging'), ...pythonBackend('jwt-secret-key-staging') };
const PRODUCTION = { ...CODE, ...knativeBackend('jwt-key-prod'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('jwt-secret-key-production') };
const PRODUCTION_FINDING = {
  at: 'deploy/backend-production.yaml:13', severity: 'error' as const, messageId: 'divergent',
  message: /^backend \(production\) takes JWT_SECRET_KEY from secret jwt-key-prod, unlike auth and worker \(jwt-secret-key-production\)/,
  related: [
    { at: 'cloudbuild-production.yaml:12', message: 'auth (production) takes JWT_SECRET_KEY from secret jwt-secret-key-production' },
    { at: '.github/workflows/deploy-worker.yml:18', message: 'worker (production) takes JWT_SECRET_KEY from secret jwt-secret-key-production' },
  ],
};
const WORKER_STAGING = 'gcloud run deploy worker-staging --source services/worker --project acme-staging \\\n  --set-secrets JWT_SECRET_KEY=jwt-secret-key-staging:latest\n';
const PYTHON_ODD: Files = { ...CODE, ...shellAuth('jwt-secret-key-staging'), ...pythonBackend('backend-jwt-staging'), 'deploy/deploy-worker-staging.sh': WORKER_STAGING };

/** Two services that call each other with a shared key: the caller sends INTERNAL_API_KEY, the
 * callee compares it. No JWT anywhere. */
const SHARED_KEY_CODE: Files = {
  'services/orders/requirements.txt': 'fastapi\n',
  'services/orders/app/client.py': 'import os\nHEADERS = {"X-Internal-Key": os.environ["INTERNAL_API_KEY"]}\n',
  'services/billing/requirements.txt': 'fastapi\n',
  'services/billing/app/auth.py': 'import os\nEXPECTED = os.environ["INTERNAL_API_KEY"]\n',
};
const sharedKeyDeploy = (service: string, secrets: string, env = ''): Files => ({
  [`deploy/deploy-${service}-production.sh`]: [
    '#!/usr/bin/env bash',
    `gcloud run deploy ${service}-production \\`,
    `  --source services/${service} \\`,
    '  --project acme-prod \\',
    `  --set-env-vars "ENVIRONMENT=production${env}"${secrets ? ' \\' : ''}`,
    ...(secrets ? [`  --set-secrets "${secrets}"`] : []),
    '',
  ].join('\n'),
});

RuleTester.run(jwtSecretDivergence, {
  valid: [
    {
      name: 'one secret across shell, Python dict, Knative, Cloud Build and GitHub Actions (per environment)',
      files: {
        ...CODE, ...shellAuth('jwt-secret-key-staging'), ...pythonBackend('jwt-secret-key-staging'),
        ...knativeBackend('jwt-secret-key-production'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('jwt-secret-key-production'),
      },
    },
    {
      // Per-service credentials that merely look like service keys, and a JWT key beside a shared
      // key: each name is compared with the same name only.
      name: 'a shared key compares by its exact name only: STRIPE_SERVICE_SECRET differs per service, JWT and service keys apart',
      files: {
        ...SHARED_KEY_CODE,
        'services/orders/app/pay.py': 'import os\nSTRIPE = os.environ["STRIPE_SERVICE_SECRET"]\nJWT = os.environ["JWT_SECRET_KEY"]\n',
        'services/billing/app/pay.py': 'import os\nSTRIPE = os.environ["STRIPE_SERVICE_SECRET"]\n',
        ...sharedKeyDeploy('orders', 'INTERNAL_API_KEY=internal-api-key:latest,STRIPE_SERVICE_SECRET=stripe-orders:latest,JWT_SECRET_KEY=jwt-secret-key-production:latest'),
        ...sharedKeyDeploy('billing', 'INTERNAL_API_KEY=internal-api-key:latest,STRIPE_SERVICE_SECRET=stripe-billing:latest'),
      },
      control: { files: { ...SHARED_KEY_CODE, ...sharedKeyDeploy('orders', 'INTERNAL_API_KEY=orders-key:latest'), ...sharedKeyDeploy('billing', 'INTERNAL_API_KEY=internal-api-key:latest') } },
    },
    {
      // The cluster's Secret may hold what Secret Manager's does: nothing here says it differs.
      name: 'a Kubernetes Secret (GKE) is not compared with Secret Manager secrets or literals',
      files: { ...CODE, ...k8sDeployment('backend', 'app-secrets', 'jwt'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('jwt-secret-key-production') },
    },
    {
      name: 'two workloads on one Secret and key agree',
      files: { ...CODE, ...k8sDeployment('backend', 'app-secrets', 'jwt'), ...k8sDeployment('worker', 'app-secrets', 'jwt') },
    },
    {
      name: 'different environments may use different secrets',
      files: { ...CODE, ...shellAuth('jwt-secret-staging'), ...knativeBackend('jwt-secret-key-production') },
    },
    {
      name: 'development (compose, .env.development) is not compared with staging',
      files: {
        ...CODE, ...shellAuth('jwt-secret-key-staging'),
        'docker-compose.yml': 'services:\n  backend:\n    build: services/backend\n    environment:\n      - ENVIRONMENT=development\n      - JWT_SECRET_KEY=changeme\n',
        'services/backend/.env.development': 'JWT_SECRET_KEY=changeme\n',
      },
    },
    {
      name: 'values we cannot see (GitHub secrets, shell variables) are not guessed at',
      files: {
        ...CODE, ...ghaWorker('jwt-secret-key-production'),
        'deploy/deploy-auth-production.sh': 'gcloud run deploy auth-production --source services/auth --project acme-prod \\\n  --set-env-vars "JWT_SECRET_KEY=${JWT_SECRET_KEY}"\n',
      },
    },
    {
      name: 'a deploy linked to no code root (a manifest beside the code, applied by another pipeline) is not known to be a second service',
      files: {
        ...CODE, ...shellAuth('jwt-secret-key-staging'),
        'services/auth/cloudrun-service.yaml': [
          'apiVersion: serving.knative.dev/v1',
          'kind: Service',
          'metadata:',
          '  name: auth-api-staging',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - image: europe-docker.pkg.dev/acme-staging/apps/gateway:latest',
          '          env:',
          '            - name: ENVIRONMENT',
          '              value: staging',
          '            - name: JWT_SECRET_KEY',
          '              valueFrom:',
          '                secretKeyRef: {name: auth-jwt, key: latest}',
          '',
        ].join('\n'),
      },
    },
    {
      name: 'an unreferenced .env.staging (local smoke tests) is not the deploy',
      files: {
        ...CODE, ...shellAuth('jwt-secret-key-staging'),
        // backend's deploy does not set the key here; the local file next to it does.
        'deploy/deploy-backend-staging.sh': 'gcloud run deploy backend-staging --source services/backend --project acme-staging --set-env-vars ENVIRONMENT=staging\n',
        'services/backend/.env.staging': 'ENVIRONMENT=staging\nJWT_SECRET_KEY=9f8Kq2LmV7xR4tZp1Wc6Yb3Nd0Hs5Ge8\n',
      },
    },
    {
      name: 'a second JWT-named variable nothing reads does not count: auth reads JWT_SECRET_KEY, shared with backend',
      files: {
        ...CODE,
        ...pythonBackend('jwt-secret-key-staging'),
        ...shellAuth('jwt-secret-key-staging'),
        'deploy/deploy-auth-staging.sh': shellAuth('jwt-secret-key-staging')['deploy/deploy-auth-staging.sh']
          .replace(',JWT_SECRET_KEY=', ',JWT_SECRET=jwt-legacy-staging:latest,JWT_SECRET_KEY='),
      },
      control: {
        files: {
          ...CODE,
          'services/auth/src/jwt.ts': 'export const key = process.env.JWT_SECRET;\n',
          ...pythonBackend('jwt-secret-key-staging'),
          'deploy/deploy-auth-staging.sh': shellAuth('jwt-secret-key-staging')['deploy/deploy-auth-staging.sh']
            .replace(',JWT_SECRET_KEY=', ',JWT_SECRET=jwt-legacy-staging:latest,JWT_SECRET_KEY='),
        },
      },
    },
    {
      name: 'suppression: a YAML next-line comment silences it; an unused one is reported',
      files: {
        ...PRODUCTION,
        'deploy/backend-production.yaml': PRODUCTION['deploy/backend-production.yaml'].replace('                secretKeyRef:\n', '                # deploy-preflight-disable-next-line jwt-secret-divergence\n                secretKeyRef:\n'),
        'cloudbuild-production.yaml': `# deploy-preflight-disable-next-line jwt-secret-divergence\n${PRODUCTION['cloudbuild-production.yaml']}`,
      },
      others: { 'unused-suppression': ['cloudbuild-production.yaml:1'] },
      control: { files: PRODUCTION },
    },
    {
      name: 'suppression: a shell file-wide comment',
      files: { ...STAGING, 'deploy/deploy-auth-staging.sh': STAGING['deploy/deploy-auth-staging.sh'].replace('#!/usr/bin/env bash\n', '#!/usr/bin/env bash\n# deploy-preflight-disable jwt-secret-divergence\n') },
      control: { files: STAGING },
    },
    {
      // The Python comment is in the majority's file: nothing to silence there, so it is unused.
      name: 'suppression: a Python file-wide comment in the majority\'s file is unused',
      files: {
        ...STAGING,
        'deploy/deploy-auth-staging.sh': STAGING['deploy/deploy-auth-staging.sh'].replace('#!/usr/bin/env bash\n', '#!/usr/bin/env bash\n# deploy-preflight-disable jwt-secret-divergence\n'),
        'scripts/deploy_to_gcp.py': `# deploy-preflight-disable jwt-secret-divergence\n${STAGING['scripts/deploy_to_gcp.py']}`,
      },
      others: { 'unused-suppression': ['scripts/deploy_to_gcp.py:1'] },
    },
    {
      name: 'rules: off disables it',
      files: PRODUCTION,
      config: 'rules:\n  jwt-secret-divergence: off\n',
      control: {},
    },
  ],
  invalid: [
    {
      // The caller ships a literal, the callee compares with the secret: every call is refused.
      name: 'a shared service key (INTERNAL_API_KEY): a literal in one service, a secret in the other',
      files: { ...SHARED_KEY_CODE, ...sharedKeyDeploy('orders', '', ',INTERNAL_API_KEY=orders-key-prod'), ...sharedKeyDeploy('billing', 'INTERNAL_API_KEY=internal-api-key:latest') },
      findings: [{
        at: 'deploy/deploy-orders-production.sh:5', severity: 'error', messageId: 'divergent',
        message: /^orders \(production\) takes INTERNAL_API_KEY from a literal value, unlike billing \(internal-api-key\)$/,
        related: [{ at: 'deploy/deploy-billing-production.sh:6', message: 'billing (production) takes INTERNAL_API_KEY from secret internal-api-key' }],
        fixes: [],
      }],
      secrets: ['orders-key-prod'],
    },
    {
      name: 'staging: shell auth vs Python-script backend; one finding, at the non-convention secret; the fix edits --set-secrets',
      files: STAGING,
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:6', severity: 'error', messageId: 'divergent',
        message: /^auth \(staging\) takes JWT_SECRET_KEY from secret jwt-secret-staging, unlike backend \(jwt-secret-key-staging\)/,
        text: 'jwt-secret-staging:latest',
        related: [{ at: 'scripts/deploy_to_gcp.py:4', message: 'backend (staging) takes JWT_SECRET_KEY from secret jwt-secret-key-staging' }],
        fixes: [useSecret('jwt-secret-key-staging', 'backend', { contains: { 'deploy/deploy-auth-staging.sh': ',JWT_SECRET_KEY=jwt-secret-key-staging:latest"\n' } })],
      }],
    },
    {
      name: 'production: a Knative manifest diverges from Cloud Build and GitHub Actions (majority of two); the fix rewrites the secretKeyRef',
      files: PRODUCTION,
      findings: [{
        ...PRODUCTION_FINDING,
        fixes: [useSecret('jwt-secret-key-production', 'auth and worker', {
          check: ({ after }) => {
            assert.match(after['deploy/backend-production.yaml'], /- name: JWT_SECRET_KEY\n {14}valueFrom:\n {16}secretKeyRef: \{name: jwt-secret-key-production, key: latest\}\n {12}- name: LOG_LEVEL/);
            const env = parseDocument(after['deploy/backend-production.yaml']).toJS().spec.template.spec.containers[0].env;
            assert.deepEqual(env[0], { name: 'JWT_SECRET_KEY', valueFrom: { secretKeyRef: { name: 'jwt-secret-key-production', key: 'latest' } } });
          },
        })],
      }],
    },
    {
      name: 'production: GitHub Actions secrets: diverges from Cloud Build and Knative; the fix edits the secrets: block',
      files: { ...CODE, ...knativeBackend('jwt-secret-key-production'), ...cloudbuildAuth('jwt-secret-key-production'), ...ghaWorker('worker-jwt') },
      findings: [{
        at: '.github/workflows/deploy-worker.yml:18', severity: 'error', messageId: 'divergent',
        message: /worker \(production\) takes JWT_SECRET_KEY from secret worker-jwt/,
        related: ['deploy/backend-production.yaml:13', 'cloudbuild-production.yaml:12'],
        fixes: [useSecret('jwt-secret-key-production', 'backend and auth', { contains: { '.github/workflows/deploy-worker.yml': 'secrets: |\n            JWT_SECRET_KEY=jwt-secret-key-production:latest\n' } })],
      }],
    },
    {
      name: 'staging: the Python secrets dict is the odd one out (two shell deploys agree); the fix edits the dict',
      files: PYTHON_ODD,
      findings: [{
        at: 'scripts/deploy_to_gcp.py:4', severity: 'error', messageId: 'divergent',
        message: /backend \(staging\) takes JWT_SECRET_KEY from secret backend-jwt-staging, unlike auth and worker \(jwt-secret-key-staging\)/,
        related: ['deploy/deploy-auth-staging.sh:6', 'deploy/deploy-worker-staging.sh:2'],
        fixes: [useSecret('jwt-secret-key-staging', 'auth and worker', { contains: { 'scripts/deploy_to_gcp.py': '\n    "JWT_SECRET_KEY": "jwt-secret-key-staging:latest",\n' } })],
      }],
    },
    {
      name: 'production: the Cloud Build args element is the odd one out; the fix edits it',
      files: { ...CODE, ...knativeBackend('jwt-secret-key-production'), ...cloudbuildAuth('auth-jwt'), ...ghaWorker('jwt-secret-key-production') },
      findings: [{
        at: 'cloudbuild-production.yaml:12', severity: 'error', messageId: 'divergent',
        message: /^auth \(production\) takes JWT_SECRET_KEY from secret auth-jwt, unlike backend and worker \(jwt-secret-key-production\)/,
        related: ['deploy/backend-production.yaml:13', '.github/workflows/deploy-worker.yml:18'],
        fixes: [useSecret('jwt-secret-key-production', 'backend and worker', { contains: { 'cloudbuild-production.yaml': '- JWT_SECRET_KEY=jwt-secret-key-production:latest,SERVICE_SECRET=' } })],
      }],
    },
    {
      name: 'Kubernetes workloads compare their cluster Secrets by name and key; the fix takes both from the majority',
      files: { ...CODE, ...k8sDeployment('backend', 'app-secrets', 'jwt'), ...k8sDeployment('worker', 'worker-secrets', 'signing-key'), ...cloudbuildAuth('jwt-secret-key-production') },
      findings: [{
        at: 'k8s/worker.yaml:16', severity: 'error', messageId: 'divergent',
        message: /^worker \(production\) takes JWT_SECRET_KEY from secret worker-secrets, unlike backend \(app-secrets\)$/,
        related: ['k8s/backend.yaml:16'],
        fixes: [{
          title: /^Use secret app-secrets for JWT_SECRET_KEY, like backend$/, safe: false, preferred: true,
          output: { remaining: [], contains: { 'k8s/worker.yaml': 'secretKeyRef: {name: app-secrets, key: jwt}\n' } },
        }],
      }],
    },
    {
      name: 'literal values compare by content and are never printed, not even a prefix',
      files: {
        ...CODE,
        'deploy/deploy-auth-staging.sh': `gcloud run deploy auth-staging --source services/auth --project acme-staging \\\n  --set-env-vars "JWT_SECRET_KEY=${A}"\n`,
        'deploy/deploy-backend-staging.sh': `gcloud run deploy backend-staging --source services/backend --project acme-staging \\\n  --set-env-vars "JWT_SECRET_KEY=${B}"\n`,
      },
      findings: [{
        at: 'deploy/deploy-backend-staging.sh:2', severity: 'error', messageId: 'divergent',
        message: /^backend \(staging\) takes JWT_SECRET_KEY from a literal value, unlike auth \(another literal value\)$/,
        related: ['deploy/deploy-auth-staging.sh:2'],
        // No safe target secret to point at.
        fixes: [],
      }],
      secrets: [A, B, A.slice(0, 6), B.slice(0, 6)],
    },
    {
      name: 'rules: a severity override applies',
      files: PRODUCTION,
      config: 'rules:\n  jwt-secret-divergence: warning\n',
      findings: [{ ...PRODUCTION_FINDING, severity: 'warning', fixes: [useSecret('jwt-secret-key-production', 'auth and worker')] }],
    },
  ],
});
