/**
 * oauth-env-mismatch: the OAuth client variable a service reads is not the one its deploy sets,
 * or services of one environment name one credential differently. One finding per target, at
 * the deploy's variable, the reads related; both renames offered (each only when it breaks nothing
 * else); fixes go through the shared round trip.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { findingsOf, where, type Files } from '../rule-harness';
import { roundTrip } from './_fix-roundtrip';
import { RuleTester, type ExpectedFix, type FixOutput } from '../rule-tester';
import { oauthEnvMismatch } from '../../server/src/rules/oauth-env-mismatch';

before(ready);

const RULE = 'oauth-env-mismatch';
const CLIENT_ID = '418206937752-k3v9qd2hj7m1x0c5pq8rl4tse6wn2bfa.apps.googleusercontent.com';

// ---------------------------------------------------------------------------------------------
// Workspaces: small, realistic, one per file-kind combination.

/** TS service, shell deploy with `_STAGING` names; the code reads the short names. */
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

/** Renames the deploy's variable to the name the code reads (a judgement call: not safe). */
const renameDeploy = (from: string, to: string, files: string, target: string, preferred: boolean, output?: FixOutput): ExpectedFix => ({
  title: `Rename ${from} to ${to} in ${files} (${target})`, safe: false, preferred, ...(output ? { output } : {}),
});
/** Renames the code's reads to the name the deploy sets. */
const readInstead = (written: string, read: string, service: string, preferred: boolean, output?: FixOutput): ExpectedFix => ({
  title: `Read ${written} instead of ${read} in ${service}'s code`, safe: false, preferred, ...(output ? { output } : {}),
});

const SHELL = 'deploy/deploy-auth-staging.sh';
const OAUTH_TS = 'services/auth/src/oauth.ts';
/** SHELL_TS's fixes for one credential: toward the convention (the code end) first. */
const shellFixes = (kind: 'ID' | 'SECRET', output: { code?: FixOutput; deploy?: FixOutput } = {}): ExpectedFix[] => [
  readInstead(`GOOGLE_OAUTH_CLIENT_${kind}_STAGING`, `GOOGLE_CLIENT_${kind}`, 'auth', true, output.code),
  renameDeploy(`GOOGLE_OAUTH_CLIENT_${kind}_STAGING`, `GOOGLE_CLIENT_${kind}`, SHELL, 'auth (staging)', false, output.deploy),
];
const SHELL_ADDITIVE = { ...SHELL_TS, [SHELL]: SHELL_TS[SHELL].replace('--set-env-vars', '--update-env-vars') };

RuleTester.run(oauthEnvMismatch, {
  valid: [
    {
      name: 'per-environment reads satisfied by each environment (shell staging, Cloud Build production)',
      files: {
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
        [SHELL]: SHELL_TS[SHELL],
        'cloudbuild-production.yaml': CLOUDBUILD_TS['cloudbuild-production.yaml']
          .replace('ENVIRONMENT=production', `ENVIRONMENT=production,GOOGLE_OAUTH_CLIENT_ID_PRODUCTION=${CLIENT_ID}`),
      },
    },
    {
      name: 'a fallback chain the deploy satisfies (Python `or`, TS `??`)',
      files: {
        ...SHELL_TS,
        [OAUTH_TS]: 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING ?? process.env.GOOGLE_CLIENT_ID;\nexport const s = process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING;\n',
        'services/auth/scripts/check.py': 'import os\nCID = os.environ.get("GOOGLE_OAUTH_CLIENT_ID_STAGING") or os.environ["GOOGLE_CLIENT_ID"]\n',
      },
    },
    {
      name: 'another provider or a file path is not the same credential',
      files: {
        ...SHELL_TS,
        [OAUTH_TS]: [
          'export const gh = process.env.GITHUB_OAUTH_CLIENT_ID;',
          'export const keyFile = process.env.GOOGLE_CLIENT_SECRET_FILE;',
          'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;',
          'export const s = process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING;',
          '',
        ].join('\n'),
      },
    },
    {
      name: 'reads in tests and development-only branches are not deploy requirements',
      files: {
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
      },
    },
    {
      name: 'development names in compose and .env.development are not compared',
      files: {
        ...SHELL_TS,
        [OAUTH_TS]: 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;\nexport const s = process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING;\n',
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
      },
    },
    {
      name: 'suppression: a YAML next-line comment silences the finding; an unused one is reported',
      files: {
        ...KNATIVE_PY,
        'services/api/service-staging.yaml': KNATIVE_PY['services/api/service-staging.yaml'].replace('            # Google sign-in\n', '            # deploy-preflight-disable-next-line oauth-env-mismatch\n'),
        'services/api/app/other.py': '# deploy-preflight-disable-next-line oauth-env-mismatch\nX = 1\n',
      },
      others: { 'unused-suppression': ['services/api/app/other.py:1'] },
      control: { files: KNATIVE_PY },
    },
    {
      name: 'rules: off disables it',
      files: SHELL_TS,
      config: 'rules:\n  oauth-env-mismatch: off\n',
      control: {},
    },
  ],
  invalid: [
    {
      name: 'a fallback chain of two names, neither set, against one deploy name: one finding naming both reads, the deploy rename to the first read; no code rename (it would leave two reads of one name)',
      files: {
        ...SHELL_TS,
        [OAUTH_TS]: [
          'export const oauth = {',
          '  clientId: process.env.GOOGLE_CLIENT_ID || process.env.GOOGLE_OAUTH_CLIENT_ID || "",',
          '  clientSecret: process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING ?? "",',
          '};',
          '',
        ].join('\n'),
      },
      findings: [
        {
          at: `${SHELL}:7`, text: 'GOOGLE_OAUTH_CLIENT_ID_STAGING', severity: 'error', messageId: 'deployMismatch',
          message: 'auth (staging) sets GOOGLE_OAUTH_CLIENT_ID_STAGING, but auth reads GOOGLE_CLIENT_ID or GOOGLE_OAUTH_CLIENT_ID',
          related: [
            { at: `${OAUTH_TS}:2`, text: 'GOOGLE_CLIENT_ID', message: 'GOOGLE_CLIENT_ID read here (process.env)' },
            { at: `${OAUTH_TS}:2`, text: 'GOOGLE_OAUTH_CLIENT_ID', message: 'GOOGLE_OAUTH_CLIENT_ID read here (process.env)' },
          ],
          fixes: [renameDeploy('GOOGLE_OAUTH_CLIENT_ID_STAGING', 'GOOGLE_CLIENT_ID', SHELL, 'auth (staging)', true, {
            contains: { [SHELL]: `--set-env-vars "ENVIRONMENT=staging,GOOGLE_CLIENT_ID=${CLIENT_ID}"` },
          })],
        },
      ],
    },
    {
      name: 'shell deploy provides _STAGING names, TS code reads GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET: one finding per credential, at the deploy; the code rename (toward the convention) is preferred',
      files: SHELL_TS,
      findings: [
        {
          at: `${SHELL}:7`, text: 'GOOGLE_OAUTH_CLIENT_ID_STAGING', severity: 'error', messageId: 'deployMismatch',
          message: /^auth \(staging\) sets GOOGLE_OAUTH_CLIENT_ID_STAGING, but auth reads GOOGLE_CLIENT_ID$/,
          related: [{ at: `${OAUTH_TS}:2`, message: 'GOOGLE_CLIENT_ID read here (process.env)' }],
          fixes: shellFixes('ID', {
            // Renaming the reads clears the finding; the secret pair stays.
            code: {
              contains: { [OAUTH_TS]: 'clientId: process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING ?? ""' },
              remaining: [`${SHELL}:8`],
              check: ({ findingsAfter }) => assert.ok(!findingsAfter.some((x) => x.fixes.some((fx) => /GOOGLE_CLIENT_ID\b/.test(fx.title)))),
            },
            deploy: { contains: { [SHELL]: `--set-env-vars "ENVIRONMENT=staging,GOOGLE_CLIENT_ID=${CLIENT_ID}"` }, remaining: [`${SHELL}:8`] },
          }),
        },
        {
          at: `${SHELL}:8`, severity: 'error', messageId: 'deployMismatch',
          message: 'auth (staging) sets GOOGLE_OAUTH_CLIENT_SECRET_STAGING, but auth reads GOOGLE_CLIENT_SECRET',
          related: [`${OAUTH_TS}:3`],
          fixes: shellFixes('SECRET'),
        },
      ],
      // Never prints the value.
      secrets: [CLIENT_ID],
    },
    {
      name: 'the code tests the credential for presence and runs without it (Google sign-in off): a warning that says so; a default that stands in stays an error',
      files: {
        ...SHELL_TS,
        [OAUTH_TS]: [
          'const clientId = process.env.GOOGLE_CLIENT_ID;',
          'export const oauth = { clientSecret: process.env.GOOGLE_CLIENT_SECRET ?? "" };',
          'export const providers = clientId ? [google(clientId, oauth.clientSecret)] : [];',
          '',
        ].join('\n'),
      },
      findings: [
        {
          at: `${SHELL}:7`, severity: 'warning', messageId: 'deployMismatchOptional',
          message: 'auth (staging) sets GOOGLE_OAUTH_CLIENT_ID_STAGING, but auth reads GOOGLE_CLIENT_ID (the code runs without it)',
          related: [`${OAUTH_TS}:1`],
          fixes: shellFixes('ID'),
        },
        {
          at: `${SHELL}:8`, severity: 'error', messageId: 'deployMismatch',
          message: 'auth (staging) sets GOOGLE_OAUTH_CLIENT_SECRET_STAGING, but auth reads GOOGLE_CLIENT_SECRET',
          related: [`${OAUTH_TS}:2`],
          fixes: shellFixes('SECRET'),
        },
      ],
    },
    {
      name: 'Python deploy script vs Python code; production provides the read name, so only the deploy rename is offered',
      files: PYDEPLOY_PY,
      findings: [{
        at: 'scripts/deploy_to_gcp.py:9', severity: 'error', messageId: 'deployMismatch',
        message: 'backend (staging) sets GOOGLE_OAUTH_CLIENT_ID_STAGING, but backend reads GOOGLE_CLIENT_ID',
        related: ['services/backend/app/oauth.py:3'],
        // Renaming the read would break production, which provides GOOGLE_CLIENT_ID.
        fixes: [renameDeploy('GOOGLE_OAUTH_CLIENT_ID_STAGING', 'GOOGLE_CLIENT_ID', 'scripts/deploy_to_gcp.py', 'backend (staging)', true, {
          contains: { 'scripts/deploy_to_gcp.py': '            "GOOGLE_CLIENT_ID": "418206937752' },
          remaining: [],
          others: { 'env-unset-for-deploy': [] },
        })],
      }],
    },
    {
      name: 'per-environment names: the staging branch reads _STAGING, the Knative staging manifest sets GOOGLE_CLIENT_ID; either rename fixes it',
      files: KNATIVE_PY,
      findings: [{
        at: 'services/api/service-staging.yaml:15', severity: 'error', messageId: 'deployMismatch',
        message: /^api \(staging\) sets GOOGLE_CLIENT_ID, but api reads GOOGLE_OAUTH_CLIENT_ID_STAGING$/,
        related: ['services/api/app/settings.py:6'],
        fixes: [
          renameDeploy('GOOGLE_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_ID_STAGING', 'services/api/service-staging.yaml', 'api (staging)', true, {
            // The comment above the entry is kept.
            contains: { 'services/api/service-staging.yaml': '# Google sign-in\n            - name: GOOGLE_OAUTH_CLIENT_ID_STAGING\n' },
            remaining: [],
          }),
          readInstead('GOOGLE_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_ID_STAGING', 'api', false, {
            contains: { 'services/api/app/settings.py': ['if ENV == "staging":\n    CLIENT_ID = os.environ["GOOGLE_CLIENT_ID"]', 'os.environ["GOOGLE_OAUTH_CLIENT_ID_PRODUCTION"]'] },
            remaining: [],
          }),
        ],
      }],
      // The production-branch read is not expected from the staging deploy.
      check: (found) => assert.ok(!found.some((f) => f.message.includes('GOOGLE_OAUTH_CLIENT_ID_PRODUCTION'))),
    },
    {
      name: 'GitHub Actions staging job provides the production name (merge strategy keeps earlier variables): a warning that says so',
      files: GHA_TS,
      findings: [{
        at: '.github/workflows/deploy-web.yml:17', severity: 'warning', messageId: 'deployMismatchKeeps',
        message: /^web \(staging\) sets GOOGLE_OAUTH_CLIENT_ID_PRODUCTION, but web reads GOOGLE_OAUTH_CLIENT_ID_STAGING \(may be set earlier\)$/,
        related: ['services/web/src/config.ts:3'],
        fixes: [renameDeploy('GOOGLE_OAUTH_CLIENT_ID_PRODUCTION', 'GOOGLE_OAUTH_CLIENT_ID_STAGING', '.github/workflows/deploy-web.yml', 'web (staging)', true, {
          contains: { '.github/workflows/deploy-web.yml': '\n            GOOGLE_OAUTH_CLIENT_ID_STAGING=418206937752' },
          remaining: [],
        })],
      }],
    },
    {
      name: 'a shell staging deploy that replaces the environment sets the production name: an error',
      files: {
        'services/web/package.json': '{ "name": "web" }\n',
        'services/web/src/config.ts': 'const env = process.env.ENVIRONMENT;\nexport function clientId(): string | undefined {\n  if (env === "staging") return process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;\n  return undefined;\n}\n',
        'deploy/deploy-web-staging.sh': `#!/usr/bin/env bash\ngcloud run deploy web-staging --source services/web --project acme-staging \\\n  --set-env-vars "ENVIRONMENT=staging,GOOGLE_OAUTH_CLIENT_ID_PRODUCTION=${CLIENT_ID}"\n`,
      },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:3', severity: 'error', messageId: 'deployMismatch',
        message: /^web \(staging\) sets GOOGLE_OAUTH_CLIENT_ID_PRODUCTION, but web reads GOOGLE_OAUTH_CLIENT_ID_STAGING$/,
        related: ['services/web/src/config.ts:3'],
        fixes: [renameDeploy('GOOGLE_OAUTH_CLIENT_ID_PRODUCTION', 'GOOGLE_OAUTH_CLIENT_ID_STAGING', 'deploy/deploy-web-staging.sh', 'web (staging)', true)],
      }],
      secrets: [CLIENT_ID],
    },
    {
      name: 'Cloud Build production sets GOOGLE_CLIENT_SECRET, the production branch reads the _PRODUCTION name; either rename fixes it',
      files: CLOUDBUILD_TS,
      findings: [{
        at: 'cloudbuild-production.yaml:14', severity: 'error', messageId: 'deployMismatch',
        message: /^auth \(production\) sets GOOGLE_CLIENT_SECRET, but auth reads GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION$/,
        related: ['services/auth/src/config.ts:2'],
        fixes: [
          renameDeploy('GOOGLE_CLIENT_SECRET', 'GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION', 'cloudbuild-production.yaml', 'auth (production)', true, {
            contains: { 'cloudbuild-production.yaml': '- GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION=google-oauth-client-secret-production:latest\n' },
            remaining: [],
          }),
          readInstead('GOOGLE_CLIENT_SECRET', 'GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION', 'auth', false, { remaining: [] }),
        ],
      }],
    },
    {
      name: 'an additive deploy (--update-env-vars) is a warning that says why',
      files: SHELL_ADDITIVE,
      findings: [
        { at: `${SHELL}:7`, severity: 'warning', messageId: 'deployMismatchKeeps', message: /reads GOOGLE_CLIENT_ID \(may be set earlier\)$/, related: [`${OAUTH_TS}:2`], fixes: shellFixes('ID') },
        { at: `${SHELL}:8`, severity: 'warning', messageId: 'deployMismatchKeeps', message: /reads GOOGLE_CLIENT_SECRET \(may be set earlier\)$/, related: [`${OAUTH_TS}:3`], fixes: shellFixes('SECRET') },
      ],
    },
    {
      name: 'services of one environment name the credential differently, the odd one\'s code not in the workspace: a naming hint (info)',
      files: {
        ...SHELL_TS,
        [OAUTH_TS]: 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;\n',
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
      },
      findings: [{
        at: 'deploy/admin-staging.yaml:11', severity: 'info', messageId: 'inconsistentName',
        message: /^OAuth client id in staging: admin uses OAUTH_CLIENT_ID, auth uses GOOGLE_OAUTH_CLIENT_ID_STAGING$/,
        related: [{ at: `${SHELL}:7`, message: 'GOOGLE_OAUTH_CLIENT_ID_STAGING set here for auth (staging)' }],
        fixes: [{ title: /^Rename OAUTH_CLIENT_ID to GOOGLE_OAUTH_CLIENT_ID_STAGING \(the convention\) for admin \(staging\)$/, safe: false, preferred: false, output: { remaining: [] } }],
      }],
    },
    {
      name: 'services of one environment name the credential differently, the odd one\'s code reads neither name: a naming hint (info)',
      files: {
        'services/auth/package.json': '{ "name": "auth" }\n',
        [OAUTH_TS]: 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING;\n',
        [SHELL]: `#!/usr/bin/env bash\ngcloud run deploy auth-staging --source services/auth --project acme-staging \\\n  --set-env-vars "ENVIRONMENT=staging,GOOGLE_OAUTH_CLIENT_ID_STAGING=${CLIENT_ID}"\n`,
        'services/billing/package.json': '{ "name": "billing" }\n',
        'services/billing/src/index.ts': 'export const port = Number(process.env.PORT ?? 8080);\n',
        'deploy/deploy-billing-staging.sh': `#!/usr/bin/env bash\ngcloud run deploy billing-staging --source services/billing --project acme-staging \\\n  --set-env-vars "ENVIRONMENT=staging,OAUTH_CLIENT_ID=${CLIENT_ID}"\n`,
      },
      findings: [{
        at: 'deploy/deploy-billing-staging.sh:3', severity: 'info', messageId: 'inconsistentName',
        message: /^OAuth client id in staging: billing uses OAUTH_CLIENT_ID, auth uses GOOGLE_OAUTH_CLIENT_ID_STAGING$/,
        related: [`${SHELL}:3`],
        fixes: [{ title: /^Rename OAUTH_CLIENT_ID to GOOGLE_OAUTH_CLIENT_ID_STAGING \(the convention\) for billing \(staging\)$/, safe: false, preferred: false, output: { remaining: [] } }],
      }],
      secrets: [CLIENT_ID],
    },
    {
      name: 'services of production use different names but each reads exactly what it is given: a hint, no repetition of the convention (Knative, Cloud Build)',
      files: {
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
      },
      findings: [{
        at: 'deploy/backend-production.yaml:11', severity: 'info', messageId: 'inconsistentName',
        message: /^OAuth client secret in production: backend uses GOOGLE_CLIENT_SECRET, auth uses GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION$/,
        related: ['cloudbuild-production.yaml:14'],
        // A rename would have to move code and deploy together.
        fixes: [],
      }],
    },
    {
      name: 'a production deploy sets a staging-named credential its code reads unconditionally: it works, only a hint (not "nothing reads it")',
      // (The second service is `auth`, not `accounts`: with the longer name the message would pass
      // the 120-character limit every finding is held to.)
      files: {
        'services/auth/package.json': '{ "name": "auth" }\n',
        'services/auth/src/oauth.ts': 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_PRODUCTION;\n',
        'deploy/auth-production.sh': `#!/usr/bin/env bash\ngcloud run deploy auth-production --source services/auth --project acme-prod \\\n  --set-env-vars "ENVIRONMENT=production,GOOGLE_OAUTH_CLIENT_ID_PRODUCTION=${CLIENT_ID}"\n`,
        'services/portal/package.json': '{ "name": "portal" }\n',
        'services/portal/src/auth.ts': 'export const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING!;\n',
        'deploy/portal-production.sh': `#!/usr/bin/env bash\ngcloud run deploy portal-production --source services/portal --project acme-prod \\\n  --set-env-vars "ENVIRONMENT=production,GOOGLE_OAUTH_CLIENT_ID_STAGING=${CLIENT_ID}"\n`,
      },
      findings: [{
        at: 'deploy/portal-production.sh:3', severity: 'info', messageId: 'inconsistentName', text: 'GOOGLE_OAUTH_CLIENT_ID_STAGING',
        message: /^OAuth client id in production: portal uses GOOGLE_OAUTH_CLIENT_ID_STAGING, auth uses GOOGLE_OAUTH_CLIENT_ID_PRODUCTION$/,
        related: ['deploy/auth-production.sh:3'],
        fixes: [],
      }],
      secrets: [CLIENT_ID],
    },
    {
      name: 'oauth.convention in the config decides which rename is preferred',
      files: SHELL_TS,
      config: 'oauth:\n  convention: GOOGLE_CLIENT_{KIND}\n',
      findings: [
        { at: `${SHELL}:7`, severity: 'error', messageId: 'deployMismatch', message: 'reads GOOGLE_CLIENT_ID', related: [`${OAUTH_TS}:2`], fixes: [
          renameDeploy('GOOGLE_OAUTH_CLIENT_ID_STAGING', 'GOOGLE_CLIENT_ID', SHELL, 'auth (staging)', true),
          readInstead('GOOGLE_OAUTH_CLIENT_ID_STAGING', 'GOOGLE_CLIENT_ID', 'auth', false),
        ] },
        { at: `${SHELL}:8`, severity: 'error', messageId: 'deployMismatch', message: 'reads GOOGLE_CLIENT_SECRET', related: [`${OAUTH_TS}:3`], fixes: [
          renameDeploy('GOOGLE_OAUTH_CLIENT_SECRET_STAGING', 'GOOGLE_CLIENT_SECRET', SHELL, 'auth (staging)', true),
          readInstead('GOOGLE_OAUTH_CLIENT_SECRET_STAGING', 'GOOGLE_CLIENT_SECRET', 'auth', false),
        ] },
      ],
    },
    {
      name: 'suppression: a Python next-line comment at the read is unused (the finding is at the deploy)',
      files: { ...PYDEPLOY_PY, 'services/backend/app/oauth.py': PYDEPLOY_PY['services/backend/app/oauth.py'].replace('GOOGLE_CLIENT_ID = ', '# deploy-preflight-disable-next-line oauth-env-mismatch\nGOOGLE_CLIENT_ID = ') },
      findings: [{
        at: 'scripts/deploy_to_gcp.py:9', severity: 'error', messageId: 'deployMismatch', message: 'but backend reads GOOGLE_CLIENT_ID', related: ['services/backend/app/oauth.py:4'],
        fixes: [renameDeploy('GOOGLE_OAUTH_CLIENT_ID_STAGING', 'GOOGLE_CLIENT_ID', 'scripts/deploy_to_gcp.py', 'backend (staging)', true)],
      }],
      others: { 'unused-suppression': ['services/backend/app/oauth.py:3'] },
    },
    {
      name: 'rules: a severity override applies',
      files: SHELL_TS,
      config: 'rules:\n  oauth-env-mismatch: info\n',
      findings: [[`${SHELL}:7`, `${OAUTH_TS}:2`, 'ID'], [`${SHELL}:8`, `${OAUTH_TS}:3`, 'SECRET']]
        .map(([at, rel, kind]) => ({ at, severity: 'info' as const, messageId: 'deployMismatch', message: `GOOGLE_CLIENT_${kind}`, related: [rel], fixes: shellFixes(kind as 'ID' | 'SECRET') })),
    },
  ],
});

test('shell: rename the deploy variable for the id, then for the secret (--set-env-vars and --set-secrets): each finding goes', async () => {
  let files = SHELL_TS;
  for (const [line, kind] of [[7, 'ID'], [8, 'SECRET']] as const) {
    const { after, findingsAfter } = await roundTrip(RULE, files, (f) => where(f) === `${SHELL}:${line}`, { title: new RegExp(`^Rename GOOGLE_OAUTH_CLIENT_${kind}_STAGING to GOOGLE_CLIENT_${kind} `) });
    const mine = findingsAfter.filter((f) => f.rule === RULE);
    // This credential's finding is gone; the other credential is still reported.
    assert.deepEqual(mine.filter((f) => f.message.includes(`GOOGLE_CLIENT_${kind}`)).map(where), []);
    assert.equal(mine.length, kind === 'ID' ? 1 : 0);
    files = after;
  }
  assert.match(files[SHELL], /--set-env-vars "ENVIRONMENT=staging,GOOGLE_CLIENT_ID=418206937752/);
  assert.match(files[SHELL], /--set-secrets "GOOGLE_CLIENT_SECRET=google-oauth-client-secret-staging:latest"/);
  assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
});
