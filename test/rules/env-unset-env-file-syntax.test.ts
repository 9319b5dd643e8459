/**
 * env-unset-for-deploy, a deploy passing gcloud an env-vars file in dotenv's syntax: gcloud reads
 * `--env-vars-file` as YAML (a map of `NAME: value`), and a file of `NAME=value` lines is one
 * string to it, so the command deploys nothing. Reported at the path on the command, in every file
 * kind that runs gcloud, the file's first entry related; the fix rewrites the entries as YAML.
 * Look-alikes stay quiet: the same file in YAML, `NAME: value` lines under a dotenv name, and the
 * loaders that do take dotenv lines (deploy-cloudrun's `env_vars_file`, compose's `env_file`).
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const API: Files = {
  'services/api/requirements.txt': 'fastapi\n',
  'services/api/main.py': 'import os\nfrom fastapi import FastAPI\napp = FastAPI()\nBUCKET = os.environ["UPLOAD_BUCKET"]\n',
};

const DOTENV = '# Cloud Run settings for production\nUPLOAD_BUCKET=acme-uploads\nexport LOG_LEVEL=info\nGREETING="hello, world"\n';
const YAML_MAP = '# Cloud Run settings for production\nUPLOAD_BUCKET: acme-uploads\nLOG_LEVEL: info\n';

const shell = (envFile: string): Files => ({
  'deploy/deploy-api.sh': `#!/usr/bin/env bash
set -euo pipefail
ENV_FILE="${envFile}"
gcloud run deploy api \\
  --source services/api \\
  --project acme-prod \\
  --region europe-west1 \\
  --env-vars-file="\${ENV_FILE}"
`,
});

const CLOUDBUILD = (envFile: string): Files => ({
  'cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', 'deploy', 'api', '--source=services/api', '--project=acme-prod', '--env-vars-file=${envFile}']
`,
});

const PY_DEPLOY = (envFile: string): Files => ({
  'scripts/deploy_api.py': `"""Deploy the API (production)."""
import subprocess

subprocess.run(
    ["gcloud", "run", "deploy", "api", "--source", "services/api", "--project", "acme-prod", "--env-vars-file", "${envFile}"],
    check=True,
)
`,
});

const ACTION: Files = {
  '.github/workflows/deploy.yml': `name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          source: services/api
          env_vars_file: .env.production
`,
};

const REWRITTEN = 'UPLOAD_BUCKET: "acme-uploads"\nLOG_LEVEL: "info"\nGREETING: "hello, world"\n';
const MESSAGE = /^api is refused by gcloud: --env-vars-file \.env\.production is written NAME=value, where gcloud reads YAML$/;
const FIX = () => ({
  title: /^Rewrite \.env\.production as YAML \(NAME: "value"\), as gcloud reads it/, safe: false, preferred: true,
  // Accepted once rewritten, the deploy sets what the API reads: nothing is left.
  output: { contains: { '.env.production': ['# Cloud Run settings for production\n', REWRITTEN] }, remaining: [] },
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'shell: the env-vars file written in YAML',
      files: { ...API, ...shell('.env.production'), '.env.production': YAML_MAP },
      control: { files: { ...API, ...shell('.env.production'), '.env.production': DOTENV } },
    },
    {
      name: 'Cloud Build: an env.yaml of NAME: value lines',
      files: { ...API, ...CLOUDBUILD('env.yaml'), 'env.yaml': YAML_MAP },
      control: { files: { ...API, ...CLOUDBUILD('.env.production'), '.env.production': DOTENV } },
    },
    {
      // deploy-cloudrun reads the file itself and takes newline-separated NAME=value pairs too.
      name: "deploy-cloudrun's env_vars_file in dotenv syntax: the action accepts it",
      files: { ...API, ...ACTION, '.env.production': DOTENV },
      control: { files: { ...API, ...shell('.env.production'), '.env.production': DOTENV } },
    },
    {
      name: 'a compose env_file in dotenv syntax: compose reads dotenv',
      files: {
        ...API,
        'docker-compose.yml': 'services:\n  api:\n    build: services/api\n    env_file: .env.production\n',
        '.env.production': DOTENV,
      },
      control: { files: { ...API, ...shell('.env.production'), '.env.production': DOTENV } },
    },
  ],
  invalid: [
    {
      name: 'shell: the path through a variable, reported on the command, the first entry related',
      files: { ...API, ...shell('.env.production'), '.env.production': DOTENV },
      findings: [{
        at: 'deploy/deploy-api.sh:8', text: '${ENV_FILE}', severity: 'error', messageId: 'refusedEnvFileSyntax', message: MESSAGE,
        related: [{ at: '.env.production:2', text: 'UPLOAD_BUCKET=acme-uploads', message: /^UPLOAD_BUCKET written NAME=value here, dotenv's syntax$/ }],
        fixes: [FIX()],
      }],
    },
    {
      name: 'Cloud Build args',
      files: { ...API, ...CLOUDBUILD('.env.production'), '.env.production': DOTENV },
      findings: [{
        at: 'cloudbuild.yaml:4', text: '.env.production', severity: 'error', messageId: 'refusedEnvFileSyntax', message: MESSAGE,
        related: ['.env.production:2'],
        fixes: [FIX()],
      }],
    },
    {
      name: 'Python deploy script',
      files: { ...API, ...PY_DEPLOY('.env.production'), '.env.production': DOTENV },
      findings: [{
        at: 'scripts/deploy_api.py:5', text: '.env.production', severity: 'error', messageId: 'refusedEnvFileSyntax', message: MESSAGE,
        related: ['.env.production:2'],
        fixes: [FIX()],
      }],
    },
    {
      // `${VAR}` is expanded by a dotenv loader, never by gcloud: no rewrite is offered.
      name: 'an entry that expands another variable: refused, and no rewrite',
      files: { ...API, ...shell('.env.production'), '.env.production': 'UPLOAD_BUCKET=${PROJECT}-uploads\n' },
      findings: [{
        at: 'deploy/deploy-api.sh:8', text: '${ENV_FILE}', severity: 'error', messageId: 'refusedEnvFileSyntax', message: MESSAGE,
        related: ['.env.production:1'],
        fixes: [],
      }],
    },
  ],
});
