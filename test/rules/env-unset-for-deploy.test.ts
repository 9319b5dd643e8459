/**
 * env-unset-for-deploy: a variable read with no default is set by no deploy of that service for a
 * staging/production environment. Valid and invalid workspaces side by side across code kinds
 * (Python, TypeScript) and deploy kinds, then suppressions, configuration and fix round trips.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester, type ExpectedFinding, type InvalidCase } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

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
const MAIL_CODE = `export function transport() {
  const host = process.env.SMTP_HOST;
  const user = process.env.SMTP_USER;
  if (!host || !user) throw new Error('SMTP is not configured');
  return { host, user };
}
`;

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

const ADC_CODE = (name: string) => `export function storage(): Storage {
  const keyFile = process.env.${name};
  if (!keyFile) throw new Error("${name} is not set");
  return new Storage({ keyFilename: keyFile });
}
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

const KNATIVE_PORT = KNATIVE.replace('            # signing key\n', '            - name: PORT\n              value: "8080"\n            # signing key\n');
/** Ways a workspace shows a Knative manifest is applied. */
const APPLY_SCRIPT = { 'scripts/deploy-api.sh': '#!/bin/sh\nset -e\ngcloud run services replace "$(dirname "$0")/../deploy/api-production.yaml" --region europe-west1\n' };
const APPLIED_BY: [string, Record<string, string>][] = [
  ['a script (services replace)', APPLY_SCRIPT],
  ['a script rendering it first (envsubst < file)', { 'deploy.sh': 'envsubst < deploy/api-production.yaml > /tmp/api.yaml\ngcloud run services replace /tmp/api.yaml\n' }],
  ['a Cloud Build step argument', { 'cloudbuild.yaml': "steps:\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args: ['run', 'services', 'replace', 'deploy/api-production.yaml']\n" }],
  ['a workflow run: step', { '.github/workflows/deploy.yml': 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          sed "s#IMAGE#${{ env.IMAGE }}#" ${{ env.DIR }}/api-production.yaml > out.yaml\n          gcloud run services replace out.yaml\n' }],
  ['deploy-cloudrun metadata:', { '.github/workflows/deploy.yml': 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: google-github-actions/deploy-cloudrun@v2\n        with:\n          metadata: ./deploy/api-production.yaml\n' }],
  ['its own comment', { 'deploy/api-production.yaml': KNATIVE_PORT + '# Deploy with: gcloud run services replace deploy/api-production.yaml\n' }],
  ["a README's instructions", { 'deploy/README.md': '## Deploy\n\n```bash\ngcloud run services replace --region europe-west1 deploy/api-production.yaml\n```\n' }],
];

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

interface Invalid {
  name: string;
  files: Files;
  /** The read, related to the finding. */
  read: string;
  severity: 'error' | 'warning' | 'info';
  /** The finding: at the key of the block the fix edits (`--set-env-vars`, `env:`, `"secrets":`). */
  at: string;
  /** The text the finding covers: the key, never the whole list. */
  text: string;
  messageId: string;
  message: RegExp;
  fix: { title: RegExp; safe: boolean; file: string; contains: string };
  /** The related read's message, when not the usual "(…, no default)". */
  readMessage?: RegExp;
}

/** A service module with a manual entry at its foot; `cmd`, the Dockerfile's command, if any. */
const MEMBERS = (cmd?: string): Files => ({
  'services/members/requirements.txt': 'flask\n',
  'services/members/app/slack.py': 'import os\n\ndef members(client):\n    return client.users_list()\n\nif __name__ == "__main__":\n    token = os.environ["SLACK_BOT_TOKEN"]\n    print(members(token).strip())\n',
  ...(cmd ? { 'services/members/Dockerfile': `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n${cmd}\n` } : {}),
  'deploy/members.sh': 'gcloud run deploy members-staging --source services/members --project acme-staging --set-env-vars "ENVIRONMENT=staging" --set-secrets "DB_URL=db-url:latest"\n',
});

const withCode = (code: string, deploy: Files = { 'deploy/deploy-jobs-staging.sh': SHELL_JOBS }): Files => ({
  'services/jobs/requirements.txt': 'fastapi\n',
  'services/jobs/app/settings.py': code,
  ...deploy,
});

const invalid: Invalid[] = [
  {
    // A script of its own updates the service from an env-vars file kept out of the repository;
    // the release replaces the variables with a list we read, removing whatever that file set,
    // every time it runs: the release still lacks the name, plainly.
    name: 'a full deploy lacking a required name, beside an update from an env file not in the workspace, run apart: still an error',
    files: withCode('import os\n\nQUEUE = os.environ["QUEUE_NAME"]\n', {
      'deploy/deploy-jobs-staging.sh': SHELL_JOBS,
      'deploy/fix-env.sh': 'gcloud run services update jobs-staging --project acme-staging --env-vars-file env.yaml\n',
    }),
    read: 'services/jobs/app/settings.py:3',
    severity: 'error',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithout',
    message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/app\/settings\.py reads$/,
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    name: 'Python read, Python deploy script: secret reused from the other staging service (safe)',
    files: { ...PY_SERVICE, 'services/auth/package.json': '{ "name": "auth" }\n', 'scripts/deploy_staging.py': PY_DEPLOY, 'deploy/deploy-auth-staging.sh': AUTH_STAGING },
    read: PY_READ,
    severity: 'error',
    at: 'scripts/deploy_staging.py:12', text: '"secrets"', messageId: 'deployWithout',
    message: /^api \(staging\) is deployed without SERVICE_SECRET, which services\/api\/app\/internal\.py reads$/,
    fix: { title: /Add SERVICE_SECRET to api \(staging\) from secret service-secret-staging:3$/, safe: true, file: 'scripts/deploy_staging.py', contains: '            "JWT_SECRET_KEY": "jwt-secret-key-staging:latest",\n            "SERVICE_SECRET": "service-secret-staging:3",\n        },' },
  },
  {
    name: 'Python read, Python deploy script alone: secret named by the target\'s own pattern (unsafe: may not exist)',
    files: { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY },
    read: PY_READ,
    severity: 'error',
    at: 'scripts/deploy_staging.py:12', text: '"secrets"', messageId: 'deployWithout',
    message: /^api \(staging\) is deployed without SERVICE_SECRET, which services\/api\/app\/internal\.py reads$/,
    fix: { title: /from secret service-secret-staging:latest \(create the secret if it does not exist\)/, safe: false, file: 'scripts/deploy_staging.py', contains: '"SERVICE_SECRET": "service-secret-staging:latest",' },
  },
  {
    name: 'Python read, Knative YAML: at `env:`; a secretKeyRef following the -prod suffix the file uses',
    files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE },
    read: PY_READ,
    severity: 'error',
    at: 'deploy/api-production.yaml:10', text: 'env', messageId: 'deployWithout',
    message: /^api \(production\) is deployed without SERVICE_SECRET, which services\/api\/app\/internal\.py reads$/,
    fix: { title: /from secret service-secret-prod:latest/, safe: false, file: 'deploy/api-production.yaml', contains: '                  key: latest\n            - name: SERVICE_SECRET\n              valueFrom:\n                secretKeyRef:\n                  name: service-secret-prod\n                  key: latest\n' },
  },
  {
    name: 'Python read, Cloud Build flow-list args: at the --set-secrets flag; a --set-secrets entry',
    files: { ...PY_SERVICE, 'cloudbuild-production.yaml': CLOUDBUILD },
    read: PY_READ,
    severity: 'error',
    at: 'cloudbuild-production.yaml:6', text: '--set-secrets', messageId: 'deployWithout',
    message: /^api \(production\) is deployed without SERVICE_SECRET, which services\/api\/app\/internal\.py reads$/,
    fix: { title: /from secret service-secret-production:latest/, safe: false, file: 'cloudbuild-production.yaml', contains: "'JWT_SECRET_KEY=jwt-secret-key-production:latest,SERVICE_SECRET=service-secret-production:latest'" },
  },
  {
    name: 'TypeScript read, shell --set-env-vars: at the flag; a marked placeholder (unsafe)',
    files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
    read: TS_READ,
    severity: 'error',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithout',
    message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/src\/queue\.ts reads$/,
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    // An explicit value first, the variable after it: needed only when that value is empty, which
    // the workspace cannot see. Information that names the value.
    name: 'Python read after a value the code holds (self.config.api_key or os.getenv): information that says so',
    files: withCode('import os\n\n\nclass Client:\n    def start(self):\n        key = self.config.api_key or os.getenv("QUEUE_NAME")\n        if not key:\n            raise RuntimeError("no queue")\n        return key\n'),
    read: 'services/jobs/app/settings.py:6',
    severity: 'info',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithoutFallback',
    message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/app\/settings\.py reads if self\.config\.api_key is empty$/,
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    name: 'TypeScript read after a value the code holds (opts.queue || process.env): information that says so',
    files: { 'services/jobs/package.json': '{ "name": "jobs" }\n', 'services/jobs/src/queue.ts': 'export function queueName(opts: { queue?: string }): string {\n  const q = opts.queue || process.env.QUEUE_NAME;\n  if (!q) throw new Error("no queue");\n  return q;\n}\n', 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
    read: 'services/jobs/src/queue.ts:2',
    severity: 'info',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithoutFallback',
    message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/src\/queue\.ts reads if opts\.queue is empty$/,
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    // A call before the read (a config file's value, a settings lookup) stands in for it too: needed
    // only when it returns nothing. Named by the callee alone: its arguments could carry a literal.
    name: 'Python read after a call (settings.get(...) or os.environ[...]): information naming the call',
    files: withCode('import os\n\n\ndef queue(settings):\n    return settings.get("queue") or os.environ["QUEUE_NAME"]\n'),
    read: 'services/jobs/app/settings.py:5',
    severity: 'info',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithoutFallback',
    message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/app\/settings\.py reads if settings\.get\(…\) is empty$/,
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    // The read has a default, but an empty one the code rejects: required, and the related
    // location says why rather than "no default" (which would be untrue).
    name: 'Python read with an empty default the code rejects: the read says "empty default rejected"',
    files: withCode('import os\n\n\ndef queue():\n    name = os.getenv("QUEUE_NAME", "")\n    if not name:\n        raise RuntimeError("QUEUE_NAME is not set")\n    return name\n'),
    read: 'services/jobs/app/settings.py:5',
    severity: 'error',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithout',
    message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/app\/settings\.py reads$/,
    readMessage: /^QUEUE_NAME read here \(os\.getenv, empty default rejected\)$/,
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    // A setting stored and not used where it is read, in a framework's settings module (Django's
    // `settings.py`): the framework takes its constants by name, so the need is there but not
    // seen. Information, with the reason in the message and at the read.
    name: 'Django-style settings module constant nothing in its file uses: info that says so',
    files: withCode('import os\n\nUPLOAD_QUEUE = os.getenv("QUEUE_NAME")\n'),
    read: 'services/jobs/app/settings.py:3',
    severity: 'info',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithoutUnseen',
    message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/app\/settings\.py reads without using it there$/,
    readMessage: /^QUEUE_NAME read here \(os\.getenv, no default, not used in this file\)$/,
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    // The same constant outside a framework's settings module is no finding alone (most are unused
    // settings); but the deploy of the same code to production sets it: the value is wanted, and
    // staging goes without. A warning naming the environment that has it.
    name: 'a constant nothing in its file uses, set by the deploy of the same code to another environment: a warning naming it',
    files: {
      'services/jobs/requirements.txt': 'fastapi\n',
      'services/jobs/app/config.py': 'import os\n\n\nclass Config:\n    CLIENT_URL = os.getenv("CLIENT_URL")\n',
      'deploy/deploy-jobs-staging.sh': SHELL_JOBS,
      'deploy/deploy-jobs-production.sh': SHELL_JOBS.replace(/staging/g, 'production').replace('LOG_LEVEL=info', 'LOG_LEVEL=info,CLIENT_URL=https://jobs.example.com'),
    },
    read: 'services/jobs/app/config.py:5',
    severity: 'warning',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithoutSibling',
    message: /^jobs \(staging\) is deployed without CLIENT_URL, set for jobs \(production\); services\/jobs\/app\/config\.py reads it$/,
    readMessage: /^CLIENT_URL read here \(os\.getenv, no default, not used in this file\)$/,
    fix: { title: /Add CLIENT_URL=.* to jobs \(staging\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: 'CLIENT_URL=' },
  },
  {
    // `--set-env-vars` replaces the variables but `--update-secrets` keeps the secrets the service
    // had: a secret-like name may be among those, and the message says which kind is kept.
    name: 'a secret-like name under --update-secrets beside --set-env-vars: the deploy keeps earlier secrets',
    files: withCode('import os\n\n\ndef queue():\n    return os.environ["QUEUE_TOKEN"].strip()\n', {
      'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info"', '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info" \\\n  --update-secrets "DB_PASSWORD=db-password-staging:latest"'),
    }),
    read: 'services/jobs/app/settings.py:5',
    // No deploy here sets it: managed outside the repository, most likely (information).
    severity: 'info',
    at: 'deploy/deploy-jobs-staging.sh:7', text: '--update-secrets', messageId: 'deployWithoutKeeps',
    message: /^jobs \(staging\) may lack QUEUE_TOKEN, which services\/jobs\/app\/settings\.py reads: its deploy keeps earlier secrets$/,
    fix: { title: /Add QUEUE_TOKEN to jobs \(staging\) from secret/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: 'QUEUE_TOKEN=' },
  },
  {
    // A secret's default that tells the reader to replace it: the service would sign with a key
    // anyone can read in the repository. Required; the read says why.
    name: 'Python secret read with a placeholder default ("change-me-in-production"): an error, the read says so',
    files: withCode('import os\n\n\ndef queue():\n    return os.getenv("QUEUE_TOKEN", "jobs-queue-change-me")\n', {
      'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('"ENVIRONMENT=staging,LOG_LEVEL=info"', '"ENVIRONMENT=staging,LOG_LEVEL=info" \\\n  --set-secrets "DB_PASSWORD=db-password-staging:latest"'),
    }),
    read: 'services/jobs/app/settings.py:5',
    severity: 'error',
    at: 'deploy/deploy-jobs-staging.sh:7', text: '--set-secrets', messageId: 'deployWithout',
    message: /^jobs \(staging\) is deployed without QUEUE_TOKEN, which services\/jobs\/app\/settings\.py reads$/,
    readMessage: /^QUEUE_TOKEN read here \(os\.getenv, its default is a placeholder\)$/,
    fix: { title: /QUEUE_TOKEN/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: 'QUEUE_TOKEN' },
  },
  {
    // Look-alike: the same constant used in its own file, unguarded: the need is seen, an error.
    name: 'Python module constant used in its own file: still an error',
    files: withCode('import os\n\nUPLOAD_QUEUE = os.getenv("QUEUE_NAME")\n\n\ndef publish(client, body):\n    return client.topic(UPLOAD_QUEUE.lower()).publish(body)\n'),
    read: 'services/jobs/app/settings.py:3',
    severity: 'error',
    at: 'deploy/deploy-jobs-staging.sh:6', text: '--set-env-vars', messageId: 'deployWithout',
    message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/app\/settings\.py reads$/,
    readMessage: /^QUEUE_NAME read here \(os\.getenv, no default\)$/,
    fix: { title: /Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\) \(fill in the value\)/, safe: false, file: 'deploy/deploy-jobs-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=REPLACE_WITH_QUEUE_NAME"\n' },
  },
  {
    // On real repositories such a service's other variables were set in the console or by an
    // earlier deploy, every time: information that says so.
    name: 'TypeScript read, GitHub Actions run: --update-env-vars keeps what the service had: information that says so',
    files: { ...TS_SERVICE, '.github/workflows/release.yml': GHA_UPDATE },
    read: TS_READ,
    severity: 'info',
    at: '.github/workflows/release.yml:12', text: '--update-env-vars', messageId: 'deployWithoutKeeps',
    message: /^jobs \(production\) may lack QUEUE_NAME, which services\/jobs\/src\/queue\.ts reads: its deploy keeps earlier variables$/,
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


const valid: Valid[] = [
  {
    // The file copes without the name where it tests it: its other, plain read is handled too.
    name: 'TypeScript: a read beside a presence-tested read of the same name in its file: no finding',
    files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS, 'services/jobs/src/pay.ts': 'export const key = process.env.PAY_KEY || "";\nexport function verify(sig: string): boolean { return !!key && sig.length > 0; }\nexport const label = process.env.PAY_REGION || "eu";\n' },
    // A stand-in default is no coping: the client it builds runs on a key anyone can read.
    control: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS, 'services/jobs/src/pay.ts': 'export const client = new Pay({ serverKey: process.env.PAY_SERVER_KEY || "dummy_server_key" });\nexport function verify(sig: string): boolean { const key = process.env.PAY_SERVER_KEY || ""; return !!key && sig.length > 0; }\n' },
  },
  {
    // The key comes from Secret Manager; the variable stands in only where that call failed.
    name: 'Python: a variable read in an except clause for a name its try fetched from a secret store: no finding',
    files: { ...withCode(''), 'services/jobs/app/config.py': 'import os\n\ntry:\n    QUEUE = secret_client().access("queue-name")\nexcept Exception:\n    QUEUE = os.environ["QUEUE_NAME"]\n\n\ndef topic(client):\n    return client.topic(QUEUE.lower())\n' },
    // The try fetches something else: the variable is the one source of QUEUE.
    control: { ...withCode(''), 'services/jobs/app/config.py': 'import os\n\ntry:\n    CLIENT = secret_client()\nexcept Exception:\n    QUEUE = os.environ["QUEUE_NAME"]\n\n\ndef topic(client):\n    return client.topic(QUEUE.lower())\n' },
  },
  {
    // A setting stored where nothing in its file uses it, outside a framework's settings module:
    // whatever needs it is elsewhere or nowhere (on real repositories, nearly always nowhere).
    name: 'Python module constant nothing in its file uses, in a plain config module: no evidence, no finding',
    files: { ...withCode(''), 'services/jobs/app/config.py': 'import os\n\nUPLOAD_QUEUE = os.getenv("QUEUE_NAME")\n' },
    // Once the file uses it, the need is seen.
    control: { ...withCode(''), 'services/jobs/app/config.py': 'import os\n\nUPLOAD_QUEUE = os.getenv("QUEUE_NAME")\n\n\ndef topic(client):\n    return client.topic(UPLOAD_QUEUE.lower())\n' },
  },
  {
    // Another service's deploy setting the name says nothing of what this one wants.
    name: 'a constant nothing in its file uses, set by another service\'s deploy only: no finding',
    files: {
      ...withCode(''), 'services/jobs/app/config.py': 'import os\n\nCLIENT_URL = os.getenv("CLIENT_URL")\n',
      'services/web/requirements.txt': 'flask\n', 'services/web/app.py': 'import os\n\nprint(os.environ["PORT"])\n',
      'deploy/deploy-web-production.sh': 'gcloud run deploy web-production --source services/web --project acme-production --set-env-vars "CLIENT_URL=https://web.example.com"\n',
    },
    control: {
      ...withCode(''), 'services/jobs/app/config.py': 'import os\n\nCLIENT_URL = os.getenv("CLIENT_URL")\n',
      'deploy/deploy-jobs-production.sh': SHELL_JOBS.replace(/staging/g, 'production').replace('LOG_LEVEL=info', 'LOG_LEVEL=info,CLIENT_URL=https://jobs.example.com'),
    },
  },
  {
    name: 'TypeScript settings object whose value nothing in its file uses: no evidence, no finding',
    files: { ...withCode(''), 'services/jobs/package.json': '{ "name": "jobs" }\n', 'services/jobs/src/config.ts': 'export const config = {\n  queue: process.env.QUEUE_NAME,\n};\n' },
    control: { ...withCode(''), 'services/jobs/package.json': '{ "name": "jobs" }\n', 'services/jobs/src/config.ts': 'export const config = {\n  queue: process.env.QUEUE_NAME,\n};\n\nexport function topic(): string {\n  return config.queue.toLowerCase();\n}\n',
      // Something calls the function that uses it: a use in a function nothing calls is no use.
      'services/jobs/src/main.ts': "import { topic } from './config';\nconsole.log(topic());\n" },
  },
  {
    // A manual entry kept beside library code: the service imports the module, the block never runs.
    name: 'a read in a module\'s `if __name__ == "__main__":` block that nothing runs as a program',
    files: MEMBERS(),
    // The container runs that very file: the block is the service.
    control: MEMBERS('CMD ["python", "app/slack.py"]'),
  },
  {
    name: 'a program in a script folder is an operator\'s script, unless a container runs it',
    files: withCode('import os\n\nif __name__ == "__main__":\n    print(os.environ["SYNC_TOKEN"].strip())\n'),
    control: {
      ...withCode('import os\n\nif __name__ == "__main__":\n    print(os.environ["SYNC_TOKEN"].strip())\n'),
      'services/jobs/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app/settings.py"]\n',
    },
  },
  {
    name: 'platform-provided names (PORT, K_SERVICE, K_REVISION, CLOUD_RUN_TASK_INDEX) read without a default',
    files: withCode('import os\n\nPORT = int(os.environ["PORT"])\nSERVICE = os.environ["K_SERVICE"]\nREVISION = os.environ["K_REVISION"]\nTASK = os.environ["CLOUD_RUN_TASK_INDEX"]\n'),
    control: withCode('import os\n\nPORT = int(os.environ["PORTAL_URL"])\n'),
  },
  {
    name: 'variables other hosts set in their runtimes (Railway, Vercel, Render, Fly.io, Heroku, Replit), read to learn where the code runs',
    files: withCode('import os\n\nHOST_ENV = os.environ["RAILWAY_ENVIRONMENT_NAME"].lower()\nURL = os.environ["VERCEL_URL"].strip()\n' +
      'RENDER_ID = os.environ["RENDER_SERVICE_ID"]\nAPP = os.environ["FLY_APP_NAME"]\nDYNO = os.environ["DYNO"]\n' +
      'DOMAINS = os.environ["REPLIT_DOMAINS"].split(",")\nREPL = os.environ["REPL_ID"]\n'),
    control: withCode('import os\n\nHOST_ENV = os.environ["RAILWAYS_ENVIRONMENT"].lower()\nREPLICA = os.environ["REPLICA_SET"]\n'),
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

/** One finding per missing variable and target, at the deploy, with the read related and the fix. */
function oneEnd(c: Invalid): InvalidCase {
  return {
    name: c.name, files: c.files,
    findings: [{
      at: c.at, text: c.text, severity: c.severity, messageId: c.messageId, message: c.message,
      related: [{ at: c.read, message: c.readMessage ?? / read here \(.*, no default\)$/ }],
      fixes: [{
        title: c.fix.title, safe: c.fix.safe, preferred: true, files: [c.fix.file],
        output: { contains: { [c.fix.file]: c.fix.contains }, remaining: [] },
      }],
    }],
  };
}

const PLANTED = 'sk_live_51HqLyjWDarjtT1zdp7dc';
/** QUEUE_NAME, read by jobs and missing from its staging shell deploy. */
const JOBS_STAGING = (severity: 'error' | 'warning' | 'info' = 'error', read = TS_READ): ExpectedFinding => ({
  at: 'deploy/deploy-jobs-staging.sh:6', severity, messageId: 'deployWithout', message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/src\/queue\.ts reads$/,
  related: [read], fixes: [{ title: /^Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(staging\)/, safe: false, preferred: true }],
});
const JOBS_PRODUCTION_KEEPS = (severity: 'error' | 'warning' | 'info'): ExpectedFinding => ({
  at: '.github/workflows/release.yml:12', severity, messageId: 'deployWithoutKeeps', message: 'its deploy keeps earlier variables', related: [TS_READ],
  fixes: [{ title: /^Add QUEUE_NAME=REPLACE_WITH_QUEUE_NAME to jobs \(production\)/, safe: false, preferred: true }],
});
/** The Knative production deploy's finding for SERVICE_SECRET, whose read is at `read`. */
const KNATIVE_END = (read: string, at = 'deploy/api-production.yaml:10'): ExpectedFinding => ({
  at, severity: 'error', messageId: 'deployWithout', message: /^api \(production\) is deployed without SERVICE_SECRET/,
  related: [read], fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true }],
});
const PY_SUPPRESSED = PY_CODE.replace('    return {', '    # deploy-preflight-disable-next-line env-unset-for-deploy -- injected by the sidecar\n    return {');
const KNATIVE_SUPPRESSED = KNATIVE.replace('          env:\n', '          # deploy-preflight-disable-next-line env-unset-for-deploy -- mounted by the operator\n          env:\n');
const TS_NEXT_LINE = TS_CODE.replace('  const name =', '  // deploy-preflight-disable-next-line env-unset-for-deploy\n  const name =');
const TS_FILE_WIDE = '/* deploy-preflight-disable env-unset-for-deploy */\n' + TS_CODE;
const SHELL_FILE_WIDE = SHELL_JOBS.replace('set -euo pipefail\n', 'set -euo pipefail\n# deploy-preflight-disable env-unset-for-deploy -- set by the platform\n');

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      // A settings constant nothing in its file uses, and a deploy that only adds variables: the
      // service may have it from before, and nothing shows it needs it.
      name: 'Django-style settings constant nothing uses, deployed with --update-env-vars: nothing to say',
      files: withCode('import os\n\nUPLOAD_QUEUE = os.getenv("QUEUE_NAME")\n', { 'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('--set-env-vars', '--update-env-vars') }),
      control: { files: withCode('import os\n\nUPLOAD_QUEUE = os.getenv("QUEUE_NAME")\n') },
    },
    {
      // The repository sets QUEUE_NAME nowhere: the service's variables are configured outside it.
      name: 'an image-only redeploy lacking a name no deploy here sets: nothing to say',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': 'gcloud run deploy jobs-staging --source services/jobs --project acme-staging\n' },
    },
    {
      // A migration job run with the service's code sets what its one run needs; the service's
      // image-only redeploy keeps what the console gave it.
      name: 'an image-only redeploy lacking a name only a Cloud Run job of the same code sets: nothing to say',
      files: {
        ...TS_SERVICE,
        'deploy/deploy-jobs-staging.sh': [
          'gcloud run jobs deploy jobs-migrate --source services/jobs --project acme-staging --set-env-vars QUEUE_NAME=orders --command node --args dist/migrate.js',
          'gcloud run deploy jobs-staging --source services/jobs --project acme-staging',
          '',
        ].join('\n'),
      },
      control: {
        files: {
          ...TS_SERVICE, 'services/web/package.json': '{ "name": "web" }\n', 'services/web/src/main.ts': 'export const q = process.env.QUEUE_NAME ?? "none";\n',
          'deploy/deploy-jobs-staging.sh': 'gcloud run deploy jobs-staging --source services/jobs --project acme-staging\n',
          'deploy/deploy-web-staging.sh': 'gcloud run deploy web-staging --source services/web --project acme-staging --set-env-vars QUEUE_NAME=orders\n',
        },
      },
    },
    ...valid.map((c) => ({ name: c.name, files: c.files, config: c.config, ...(c.control ? { control: { files: c.control } } : {}) })),
    {
      // Unset, the Google auth libraries use the service's own identity from the metadata server.
      name: 'a key-file path on Cloud Run: GOOGLE_APPLICATION_CREDENTIALS is best left unset there',
      files: { 'services/jobs/package.json': TS_SERVICE['services/jobs/package.json'], 'services/jobs/src/storage.ts': ADC_CODE('GOOGLE_APPLICATION_CREDENTIALS'), 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      control: { files: { 'services/jobs/package.json': TS_SERVICE['services/jobs/package.json'], 'services/jobs/src/storage.ts': ADC_CODE('STORAGE_KEY_FILE'), 'deploy/deploy-jobs-staging.sh': SHELL_JOBS } },
    },
    {
      name: 'suppression: # next-line above the Knative `env:` key (where the finding is): nothing left, nothing unused',
      files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE_SUPPRESSED },
      others: { 'unused-suppression': [] },
      control: { files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE } },
    },
    {
      name: 'suppression: # disable (file) in the shell deploy: nothing left, nothing unused',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_FILE_WIDE },
      others: { 'unused-suppression': [] },
      control: { files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS } },
    },
    {
      // The port is the deploy's flag, not a variable; compose is no Cloud Run deploy.
      name: 'a deploy choosing its port with --port, and a compose stack setting PORT: nothing reserved',
      files: {
        ...TS_SERVICE,
        'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('LOG_LEVEL=info', 'LOG_LEVEL=info,QUEUE_NAME=orders').replace('  --project acme-staging \\\n', '  --project acme-staging \\\n  --port 3000 \\\n'),
        'docker-compose.yml': 'services:\n  jobs:\n    build: ./services/jobs\n    environment:\n      - PORT=3000\n      - QUEUE_NAME=orders\n',
      },
      control: { files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('LOG_LEVEL=info', 'LOG_LEVEL=info,QUEUE_NAME=orders,PORT=3000') } },
    },
    {
      name: 'config: off',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      config: 'rules:\n  env-unset-for-deploy: off\n',
      control: {},
    },
  ],
  invalid: [
    ...invalid.map(oneEnd),
    {
      // Several names a deploy that only adds may lack, none set by any deploy here: one cause (the
      // service's variables are managed outside the repository, or they are all missing), said once.
      name: 'several names a deploy that only adds variables may lack, none set anywhere: one information for the target',
      files: { ...TS_SERVICE, 'services/jobs/src/queue.ts': TS_CODE + MAIL_CODE, '.github/workflows/release.yml': GHA_UPDATE },
      findings: [{
        at: '.github/workflows/release.yml:12', text: '--update-env-vars', severity: 'info', messageId: 'deployWithoutKeepsMany',
        message: /^jobs \(production\) may lack (QUEUE_NAME|SMTP_HOST|SMTP_USER), (QUEUE_NAME|SMTP_HOST|SMTP_USER) and 1 more, which its code reads: its deploy keeps earlier variables$/,
        related: [TS_READ, 'services/jobs/src/queue.ts:9', 'services/jobs/src/queue.ts:10'],
        fixes: [],
      }],
    },
    {
      // One of them set by another deploy here: that one is a warning of its own (the repository
      // manages it, and this deploy does not give it); the others are said once, per target.
      name: 'names deploys that only add may lack: one set by another deploy is a warning apart, the rest said once per target',
      files: { ...TS_SERVICE, 'services/jobs/src/queue.ts': TS_CODE + MAIL_CODE, '.github/workflows/release.yml': GHA_UPDATE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info"', '--update-env-vars "ENVIRONMENT=staging,SMTP_HOST=smtp.example.com"') },
      findings: [
        { at: '.github/workflows/release.yml:12', severity: 'warning', messageId: 'deployWithoutKeeps', message: /^jobs \(production\) may lack SMTP_HOST, which services\/jobs\/src\/queue\.ts reads: its deploy keeps earlier variables/, related: ['services/jobs/src/queue.ts:9'], fixes: [{ title: /^Add SMTP_HOST=/, safe: false, preferred: true }] },
        { at: '.github/workflows/release.yml:12', severity: 'info', messageId: 'deployWithoutKeepsMany', message: /^jobs \(production\) may lack (QUEUE_NAME|SMTP_USER) and (QUEUE_NAME|SMTP_USER), which its code reads/, related: [TS_READ, 'services/jobs/src/queue.ts:10'], fixes: [] },
        { at: 'deploy/deploy-jobs-staging.sh:6', severity: 'info', messageId: 'deployWithoutKeepsMany', message: /^jobs \(staging\) may lack (QUEUE_NAME|SMTP_USER) and (QUEUE_NAME|SMTP_USER), which its code reads: its deploy keeps earlier variables$/, related: [TS_READ, 'services/jobs/src/queue.ts:10'], fixes: [] },
      ],
    },
    {
      // Cloud Run sets PORT itself and refuses a deploy that sets it; the fix removes the entry
      // (another port is the deploy's --port), so it is offered, not safe.
      name: 'a shell deploy setting PORT: rejected by Cloud Run, reported at the entry',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('LOG_LEVEL=info', 'LOG_LEVEL=info,QUEUE_NAME=orders,PORT=8080') },
      findings: [{
        at: 'deploy/deploy-jobs-staging.sh:6', text: 'PORT', severity: 'error', messageId: 'reservedName',
        message: /^jobs \(staging\) sets PORT, which Cloud Run reserves and sets itself: the deploy is rejected$/,
        related: [],
        fixes: [{ title: /^Remove PORT \(Cloud Run sets it/, safe: false, preferred: true, output: { contains: { 'deploy/deploy-jobs-staging.sh': '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,QUEUE_NAME=orders"\n' }, remaining: [] } }],
      }],
    },
    {
      name: 'a Knative manifest a script applies, setting K_SERVICE: rejected by Cloud Run, reported at the entry',
      files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE.replace('            # signing key\n', '            - name: K_SERVICE\n              value: api\n            # signing key\n'), ...APPLY_SCRIPT },
      findings: [{ ...KNATIVE_END(PY_READ), fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true }] }, {
        at: 'deploy/api-production.yaml:13', text: 'K_SERVICE', severity: 'error', messageId: 'reservedName',
        message: /^api \(production\) sets K_SERVICE, which Cloud Run reserves and sets itself: the deploy is rejected$/,
        related: [],
        fixes: [{ title: /^Remove K_SERVICE/, safe: false, preferred: true, output: { remaining: ['deploy/api-production.yaml:10'] } }],
      }],
    },
    ...APPLIED_BY.map(([how, files]) => ({
      name: `a Knative manifest setting PORT, applied by ${how}: an error`,
      files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE_PORT, ...files },
      findings: [{ ...KNATIVE_END(PY_READ), fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true }] }, {
        at: 'deploy/api-production.yaml:13', text: 'PORT', severity: 'error' as const, messageId: 'reservedName',
        message: /^api \(production\) sets PORT, which Cloud Run reserves and sets itself: the deploy is rejected$/, related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true, output: { remaining: ['deploy/api-production.yaml:10'] } }],
      }],
    })),
    {
      name: 'a Knative manifest nothing applies (only a README names it), setting PORT: a warning that says so',
      files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE_PORT, 'README.md': 'See deploy/api-production.yaml.\n', 'scripts/other.sh': 'kubectl apply -f deploy/other.yaml\n' },
      findings: [{ ...KNATIVE_END(PY_READ), fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true }] }, {
        at: 'deploy/api-production.yaml:13', text: 'PORT', severity: 'warning', messageId: 'reservedNameUnapplied',
        message: /^api \(production\) sets PORT, which Cloud Run reserves: applying this manifest is rejected \(nothing here applies it\)$/,
        related: [],
        fixes: [{ title: /^Remove PORT/, safe: false, preferred: true, output: { remaining: ['deploy/api-production.yaml:10'] } }],
      }],
    },
    {
      name: 'a template nothing applies, its image still a stand-in (a README names it), setting PORT: information',
      files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE_PORT.replace('europe-docker.pkg.dev/acme-prod/apps/api:latest', 'REGION-docker.pkg.dev/PROJECT_ID/REPO/api:TAG'), 'README.md': 'See deploy/api-production.yaml.\n' },
      findings: [{ ...KNATIVE_END(PY_READ), fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true }] }, {
        at: 'deploy/api-production.yaml:13', text: 'PORT', severity: 'info', messageId: 'reservedNameUnapplied',
        message: /^api \(production\) sets PORT, which Cloud Run reserves: applying this manifest is rejected \(nothing here applies it\)$/,
        related: [],
        fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      // A README's `gcloud run services replace` is the documented way to deploy it: whoever
      // follows it fills the image in and is refused for PORT. On real repositories such findings
      // were judged true (the procedure is the deploy), so a stand-in image does not soften them.
      name: 'a template whose image is a stand-in, with a README that applies it, setting PORT: an error',
      files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE_PORT.replace('europe-docker.pkg.dev/acme-prod/apps/api:latest', 'gcr.io/PROJECT_ID/api:latest'), 'deploy/README.md': '## Deploy\n\n```bash\ngcloud run services replace --region europe-west1 deploy/api-production.yaml\n```\n' },
      findings: [{ ...KNATIVE_END(PY_READ), fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true }] }, {
        at: 'deploy/api-production.yaml:13', text: 'PORT', severity: 'error', messageId: 'reservedName',
        message: /^api \(production\) sets PORT, which Cloud Run reserves and sets itself: the deploy is rejected$/,
        related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'one replacing and one additive target: one finding each, each with its own severity and fix',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS, '.github/workflows/release.yml': GHA_UPDATE },
      findings: [JOBS_PRODUCTION_KEEPS('info'), JOBS_STAGING()],
    },
    {
      name: 'two environments missing it: one finding per deploy, each with its own fix and the read related',
      files: { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY, 'deploy/api-production.yaml': KNATIVE },
      findings: [
        { ...KNATIVE_END(PY_READ), fixes: [{ title: /from secret service-secret-prod:latest/, safe: false, preferred: true, files: ['deploy/api-production.yaml'], output: { remaining: ['scripts/deploy_staging.py:12'] } }] },
        {
          at: 'scripts/deploy_staging.py:12', severity: 'error', messageId: 'deployWithout', message: /^api \(staging\) is deployed without SERVICE_SECRET/,
          related: [PY_READ], fixes: [{ title: /from secret service-secret-staging:latest/, safe: false, preferred: true, files: ['scripts/deploy_staging.py'], output: { remaining: ['deploy/api-production.yaml:10'] } }],
        },
      ],
    },
    {
      name: 'reads in two files: both named (short paths), both related',
      files: { ...TS_SERVICE, 'services/jobs/src/worker.ts': "import { queueName } from './queue';\n\nexport const q = process.env.QUEUE_NAME!;\nexport const same = queueName() === q;\n", 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      findings: [{
        at: 'deploy/deploy-jobs-staging.sh:6', severity: 'error', messageId: 'deployWithout',
        message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/src\/queue\.ts and services\/jobs\/src\/worker\.ts read$/,
        related: [TS_READ, 'services/jobs/src/worker.ts:3'], fixes: [{ title: /^Add QUEUE_NAME=/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'a deploy linked to the service by its deployed name only: a warning that says so',
      files: {
        'services/jobs/package.json': '{ "name": "jobs" }\n', 'services/jobs/src/queue.ts': TS_CODE,
        'services/web/package.json': '{ "name": "web" }\n',
        'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('  --source services/jobs \\\n', '  --image europe-docker.pkg.dev/acme/apps/prebuilt:1 \\\n'),
      },
      findings: [{
        at: 'deploy/deploy-jobs-staging.sh:6', severity: 'warning', messageId: 'deployWithoutInferred',
        message: /^jobs \(staging\) is deployed without QUEUE_NAME, which services\/jobs\/src\/queue\.ts reads \(deploy linked by name\)$/,
        related: [TS_READ], fixes: [{ title: /^Add QUEUE_NAME=/, safe: false, preferred: true }],
      }],
    },
    {
      // Changed on purpose: this was a warning, then information for any name. On real
      // repositories such redeploys swap the image of a service whose variables are set in the
      // console; the few real misses were of a name other deploys of the repository set.
      name: 'an image-only redeploy (no env, secret or env-file flag) lacking a name other deploys here set: information that names them',
      files: {
        ...TS_SERVICE, 'services/web/package.json': '{ "name": "web" }\n', 'services/web/src/main.ts': 'export const q = process.env.QUEUE_NAME ?? "none";\n',
        'deploy/deploy-jobs-staging.sh': 'gcloud run deploy jobs-staging --source services/jobs --project acme-staging\n',
        'deploy/deploy-web-staging.sh': 'gcloud run deploy web-staging --source services/web --project acme-staging --set-env-vars QUEUE_NAME=orders\n',
      },
      findings: [{
        at: 'deploy/deploy-jobs-staging.sh:1', text: 'jobs-staging', severity: 'info', messageId: 'deployWithoutImageOnly',
        message: /^jobs \(staging\) may lack QUEUE_NAME, which services\/jobs\/src\/queue\.ts reads: set for web \(staging\), not by its deploy$/,
        related: [TS_READ], fixes: [{ title: /^Add QUEUE_NAME=/, safe: false, preferred: true, newText: ' --update-env-vars=QUEUE_NAME=REPLACE_WITH_QUEUE_NAME' }],
      }],
    },
    {
      name: 'a secret value planted in the deploy never appears in the message, related messages or fix titles',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS.replace('LOG_LEVEL=info', `LOG_LEVEL=info,STRIPE_SECRET_KEY=${PLANTED}`) },
      findings: [JOBS_STAGING()],
      secrets: [PLANTED],
    },
    {
      name: 'suppression: a # next-line in Python code is unused (the finding is at the deploy) and the finding stays',
      files: { ...PY_SERVICE, 'services/api/app/internal.py': PY_SUPPRESSED, 'deploy/api-production.yaml': KNATIVE },
      findings: [KNATIVE_END('services/api/app/internal.py:7')],
      others: { 'unused-suppression': ['services/api/app/internal.py:6'] },
    },
    {
      name: 'suppression: // disable (file) in TypeScript is unused: the finding is at the deploy',
      files: { ...TS_SERVICE, 'services/jobs/src/queue.ts': TS_FILE_WIDE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      findings: [JOBS_STAGING('error', 'services/jobs/src/queue.ts:3')],
      others: { 'unused-suppression': ['services/jobs/src/queue.ts:1'] },
    },
    {
      name: 'suppression: // disable-next-line at the read is unused',
      files: { ...TS_SERVICE, 'services/jobs/src/queue.ts': TS_NEXT_LINE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      findings: [JOBS_STAGING('error', 'services/jobs/src/queue.ts:3')],
      others: { 'unused-suppression': ['services/jobs/src/queue.ts:2'] },
    },
    {
      name: 'an unused suppression (the variable is set now) is reported as unused-suppression',
      files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE_SUPPRESSED.replace('            # signing key\n', '            - name: SERVICE_SECRET\n              value: from-vault\n') },
      findings: [],
      others: { 'unused-suppression': [{ at: 'deploy/api-production.yaml:10', message: /no env-unset-for-deploy finding here/ }] },
    },
    {
      name: 'config: an info override',
      files: { ...TS_SERVICE, 'deploy/deploy-jobs-staging.sh': SHELL_JOBS },
      config: 'rules:\n  env-unset-for-deploy: info\n',
      findings: [JOBS_STAGING('info')],
    },
    {
      name: 'config: an error override applies to an additive target too',
      files: { ...TS_SERVICE, '.github/workflows/release.yml': GHA_UPDATE },
      config: 'rules:\n  env-unset-for-deploy: error\n',
      findings: [JOBS_PRODUCTION_KEEPS('error')],
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
      findings: [{
        at: 'scripts/deploy_staging.py:12', severity: 'error', messageId: 'deployWithout', message: /^api \(staging\) is deployed without DATABASE_URL/,
        related: ['services/api/app/db.py:3'],
        fixes: [{
          title: /from secret database-url-staging:latest \(create the secret/, safe: false, preferred: true,
          output: { contains: { 'scripts/deploy_staging.py': '"DATABASE_URL": "database-url-staging:latest",' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'secret naming: a service with no named environment gets a secret named for the variable alone (jwt-secret, not jwt-secret-default)',
      files: {
        'services/api/requirements.txt': 'fastapi\n',
        'services/api/app/auth.py': 'import os\n\nJWT_SECRET = os.environ["JWT_SECRET"]\n',
        'deploy.sh': 'gcloud run deploy api --source services/api --region europe-west1 --set-env-vars LOG_LEVEL=info\n',
      },
      findings: [{
        at: 'deploy.sh:1', severity: 'info', messageId: 'deployWithoutKeeps', message: /^api \(default\) may lack JWT_SECRET/,
        related: ['services/api/app/auth.py:3'],
        fixes: [{ title: /from secret jwt-secret:latest \(create the secret/, safe: false, preferred: true, output: { contains: { 'deploy.sh': '--update-secrets=JWT_SECRET=jwt-secret:latest' }, remaining: [] } }],
      }],
    },
    {
      name: 'secret naming: a secret another environment takes the variable from, named for no environment, is reused',
      files: {
        'services/api/requirements.txt': 'fastapi\n',
        'services/api/app/auth.py': 'import os\n\nJWT_SECRET = os.environ["JWT_SECRET"]\n',
        'deploy/deploy-api-production.sh': 'gcloud run deploy api-production --source services/api --region europe-west1 --set-env-vars LOG_LEVEL=info --set-secrets JWT_SECRET=acme-jwt-secret:3\n',
        'deploy/deploy-api-staging.sh': 'gcloud run deploy api-staging --source services/api --region europe-west1 --set-env-vars LOG_LEVEL=info --set-secrets SENTRY_DSN=sentry-dsn:latest\n',
      },
      findings: [{
        at: 'deploy/deploy-api-staging.sh:1', severity: 'error', messageId: 'deployWithout', message: /^api \(staging\) is deployed without JWT_SECRET/,
        related: ['services/api/app/auth.py:3'],
        fixes: [{ title: /from secret acme-jwt-secret:3/, safe: true, preferred: true, output: { contains: { 'deploy/deploy-api-staging.sh': '--set-secrets SENTRY_DSN=sentry-dsn:latest,JWT_SECRET=acme-jwt-secret:3' }, remaining: [] } }],
      }],
    },
    {
      name: 'secret naming: a variable named for its environment does not double the suffix',
      files: {
        'services/api/requirements.txt': 'fastapi\n',
        'services/api/app/oauth.py': 'import os\n\nSECRET = os.environ["PARTNER_API_TOKEN_STAGING"]\n',
        'scripts/deploy_staging.py': PY_DEPLOY,
      },
      findings: [{
        at: 'scripts/deploy_staging.py:12', severity: 'error', messageId: 'deployWithout', message: /^api \(staging\) is deployed without PARTNER_API_TOKEN_STAGING/,
        related: ['services/api/app/oauth.py:3'],
        fixes: [{ title: /from secret partner-api-token-staging:latest \(create the secret/, safe: false, preferred: true, newText: '\n            "PARTNER_API_TOKEN_STAGING": "partner-api-token-staging:latest",' }],
      }],
    },
    {
      name: 'alternatives satisfy only the read that has them: a plain read of the same name elsewhere is still required',
      files: withCode('import os\n\nLEVEL = os.environ.get("LOG_LEVEL") or os.environ.get("LOGLEVEL")\n', {
        'deploy/deploy-jobs-staging.sh': SHELL_JOBS,
        'services/jobs/app/logs.py': 'import os\n\n\ndef level():\n    return os.environ["LOGLEVEL"]\n\n\nLEVEL = level()\n',
      }),
      // The read in settings.py is satisfied by LOG_LEVEL: it is not related.
      findings: [
        { at: 'deploy/deploy-jobs-staging.sh:6', severity: 'error', messageId: 'deployWithout', message: /^jobs \(staging\) is deployed without LOGLEVEL, which services\/jobs\/app\/logs\.py reads$/, related: ['services/jobs/app/logs.py:5'], fixes: [{ title: /^Add LOGLEVEL=REPLACE_WITH_LOGLEVEL to jobs \(staging\)/, safe: false, preferred: true }] },
      ],
    },
  ],
});
