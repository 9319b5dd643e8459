/**
 * env-unset-for-deploy: one gcloud deploy setting a name both as a variable and from a secret
 * (`--set-env-vars DATABASE_URL=… --set-secrets DATABASE_URL=db-url:latest`). gcloud refuses the
 * command ("Cannot update environment variable [DATABASE_URL] to the given type because it has
 * already been set with a different type"), so the deploy fails as written. Reported at the
 * variable's entry in every file kind that runs gcloud; the fix removes the variable and keeps the
 * secret. Minimal original reproduction.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const API: Files = {
  'services/api/package.json': '{ "name": "api" }\n',
  'services/api/src/db.ts': "export const url = process.env.DATABASE_URL!;\nexport const mode = process.env.NODE_ENV!;\n",
};

const shell = (env: string, secrets: string): Files => ({
  'deploy/deploy-api.sh': `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy api \\
  --source services/api \\
  --project acme-prod \\
  --region europe-west1 \\
  --set-env-vars "${env}" \\
  --set-secrets "${secrets}"
`,
});

const CLOUDBUILD = (env: string, secrets: string): Files => ({
  'cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - api
      - --source=services/api
      - --project=acme-prod
      - --update-env-vars=${env}
      - --update-secrets=${secrets}
`,
});

const ACTION = (env: string, secrets: string): Files => ({
  '.github/workflows/deploy.yml': `name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          source: services/api
          project_id: acme-prod
          env_vars: |
${env.split(',').map((e) => `            ${e}`).join('\n')}
          secrets: |
${secrets.split(',').map((e) => `            ${e}`).join('\n')}
`,
});

const PY_DEPLOY = (env: string, secrets: string): Files => ({
  'scripts/deploy_api.py': `"""Deploy the API (production)."""
import subprocess

subprocess.run(
    [
        "gcloud", "run", "deploy", "api",
        "--source", "services/api",
        "--project", "acme-prod",
        "--set-env-vars", "${env}",
        "--set-secrets", "${secrets}",
    ],
    check=True,
)
`,
});

const MESSAGE = /^api \(production\) sets DATABASE_URL both as a variable and from a secret: gcloud refuses the deploy$/;
const ENV = 'NODE_ENV=production,DATABASE_URL=postgresql://app@localhost/app';
const SECRETS = 'DATABASE_URL=database-url:latest';

const removeFix = (file: string, kept: string) => ({
  title: 'Remove the variable DATABASE_URL (keep the secret)', safe: false, preferred: true,
  output: { contains: { [file]: kept }, remaining: [] },
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'each name set one way',
      files: { ...API, ...shell('NODE_ENV=production', SECRETS) },
      control: { files: { ...API, ...shell(ENV, SECRETS) } },
    },
    {
      // Two files, two commands: each is accepted (the later one replaces the earlier's value).
      name: 'a variable in one deploy and a secret of the same name in another',
      files: { ...API, ...shell(ENV, 'OTHER=other:latest'), ...CLOUDBUILD('NODE_ENV=production', SECRETS) },
      control: { files: { ...API, ...shell(ENV, SECRETS) } },
    },
    {
      // A secret mounted as a file names a path, not a variable.
      name: 'a secret mounted at a path beside the variable',
      files: { ...API, ...shell(ENV, '/secrets/DATABASE_URL=database-url:latest') },
      control: { files: { ...API, ...shell(ENV, SECRETS) } },
    },
    {
      name: 'the same command kept in documentation: it runs nothing',
      files: { ...API, 'docs/deploy-api.sh': shell(ENV, SECRETS)['deploy/deploy-api.sh']! },
      control: { files: { ...API, ...shell(ENV, SECRETS) } },
    },
  ],
  invalid: [
    {
      name: 'shell: --set-env-vars and --set-secrets name the same variable',
      files: { ...API, ...shell(ENV, SECRETS) },
      findings: [{
        at: 'deploy/deploy-api.sh:7', text: 'DATABASE_URL', severity: 'error', messageId: 'setTwoWays', message: MESSAGE,
        related: [{ at: 'deploy/deploy-api.sh:8', text: 'DATABASE_URL', message: /^DATABASE_URL also set from a secret here$/ }],
        fixes: [removeFix('deploy/deploy-api.sh', '--set-env-vars "NODE_ENV=production" \\')],
      }],
    },
    {
      name: 'Cloud Build: --update-env-vars and --update-secrets',
      files: { ...API, ...CLOUDBUILD(ENV, SECRETS) },
      findings: [{
        at: 'cloudbuild.yaml:10', text: 'DATABASE_URL', severity: 'error', messageId: 'setTwoWays', message: /^api \(production\) sets DATABASE_URL both as a variable and from a secret: gcloud refuses the deploy$/,
        related: [{ at: 'cloudbuild.yaml:11', text: 'DATABASE_URL', message: /also set from a secret here$/ }],
        fixes: [removeFix('cloudbuild.yaml', '- --update-env-vars=NODE_ENV=production\n')],
      }],
    },
    {
      name: "GitHub Actions: deploy-cloudrun's env_vars and secrets inputs",
      files: { ...API, ...ACTION(ENV, SECRETS) },
      findings: [{
        at: '.github/workflows/deploy.yml:16', text: 'DATABASE_URL', severity: 'error', messageId: 'setTwoWays', message: MESSAGE,
        related: [{ at: '.github/workflows/deploy.yml:18', text: 'DATABASE_URL', message: /also set from a secret here$/ }],
        fixes: [removeFix('.github/workflows/deploy.yml', 'env_vars: |\n            NODE_ENV=production\n          secrets: |')],
      }],
    },
    {
      name: 'Python deploy script: the two lists of one gcloud command',
      files: { ...API, ...PY_DEPLOY(ENV, SECRETS) },
      findings: [{
        at: 'scripts/deploy_api.py:9', text: 'DATABASE_URL', severity: 'error', messageId: 'setTwoWays', message: MESSAGE,
        related: [{ at: 'scripts/deploy_api.py:10', text: 'DATABASE_URL', message: /also set from a secret here$/ }],
        fixes: [removeFix('scripts/deploy_api.py', '"--set-env-vars", "NODE_ENV=production",')],
      }],
    },
    {
      // A script nothing runs, beside the workflow that deploys the service.
      name: 'a script nothing here runs, beside the deploy that runs: information naming that deploy',
      files: { ...API, ...shell(ENV, SECRETS), ...ACTION('NODE_ENV=production', SECRETS) },
      findings: [{
        at: 'deploy/deploy-api.sh:7', text: 'DATABASE_URL', severity: 'info', messageId: 'setTwoWaysVariant',
        message: /^api \(production\) sets DATABASE_URL both as a variable and from a secret: refused if run \(a script nothing here runs\)$/,
        related: [
          { at: 'deploy/deploy-api.sh:8', text: 'DATABASE_URL', message: /also set from a secret here$/ },
          { at: '.github/workflows/deploy.yml:14', message: /^api is deployed here, by a file that runs$/ },
        ],
        fixes: [removeFix('deploy/deploy-api.sh', '--set-env-vars "NODE_ENV=production" \\')],
      }],
    },
    {
      // The only entry of its list: removing it would leave an empty flag, so no fix is offered.
      name: 'the variable alone in its list: reported, no fix',
      files: { ...API, ...shell('DATABASE_URL=$DATABASE_URL', SECRETS) },
      findings: [{
        at: 'deploy/deploy-api.sh:7', text: 'DATABASE_URL', severity: 'error', messageId: 'setTwoWays', message: MESSAGE,
        related: [{ at: 'deploy/deploy-api.sh:8', text: 'DATABASE_URL', message: /also set from a secret here$/ }],
        fixes: [],
      }],
    },
  ],
});
