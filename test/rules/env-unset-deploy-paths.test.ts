/**
 * env-unset-for-deploy, deploy paths that disagree: two deploys of the same service and
 * environment, each replacing what the service gets, and one of them leaves out a variable the
 * other sets and the code needs. Whichever ran last decides whether the service has it, so the
 * one that drops it is a warning, at that deploy, related to where the other sets it; the fix
 * gives it the other's value. Positive cases in shell, Cloud Build and Knative YAML; look-alikes
 * that must stay quiet (a deploy that only adds, one that keeps secrets, one linked by name).
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const LEDGER: Files = {
  'services/ledger/requirements.txt': 'fastapi\n',
  'services/ledger/app/settings.py': `import os

QUEUE_TOPIC = os.environ["QUEUE_TOPIC"]
SIGNING_KEY = os.environ["SIGNING_KEY"]
`,
};
const TOPIC_READ = 'services/ledger/app/settings.py:3';
const KEY_READ = 'services/ledger/app/settings.py:4';

/** The release path: every variable and secret the code needs. */
const RELEASE = `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy ledger-staging \\
  --source services/ledger \\
  --project acme-staging \\
  --set-env-vars "ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events" \\
  --set-secrets "SIGNING_KEY=ledger-signing-key:3"
`;

/** A second path that replaces the variables and the secrets but forgot one of each. */
const HOTFIX = `#!/usr/bin/env bash
gcloud run deploy ledger-staging \\
  --source services/ledger \\
  --project acme-staging \\
  --set-env-vars "ENVIRONMENT=staging" \\
  --set-secrets "OTHER_TOKEN=other-token:latest"
`;

const CLOUDBUILD = `steps:
  - name: gcr.io/cloud-builders/gcloud
    args:
      - run
      - deploy
      - ledger-staging
      - --source=services/ledger
      - --set-env-vars=ENVIRONMENT=staging
      - --set-secrets=SIGNING_KEY=ledger-signing-key:3
`;

const KNATIVE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ledger-staging
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-staging/apps/ledger:latest
          env:
            - name: ENVIRONMENT
              value: staging
            - name: QUEUE_TOPIC
              value: ledger-events
`;

/** A Terraform root module for staging that gives the topic but not the signing key. */
const TERRAFORM: Files = {
  'infra/envs/staging/main.tf': `resource "google_cloud_run_v2_service" "ledger" {
  name     = "ledger-staging"
  location = "europe-west1"

  template {
    containers {
      image = "europe-docker.pkg.dev/acme-staging/apps/ledger:1.0.0"
      env {
        name  = "QUEUE_TOPIC"
        value = "ledger-events"
      }
    }
  }
}
`,
};

/** A Node service whose routes are mounted only when a switch is on. */
const WEBHOOKS: Files = {
  'services/hooks/package.json': '{ "name": "hooks" }\n',
  'services/hooks/src/index.ts': `import express from 'express';
const app = express();
if (process.env.PARTNER_WEBHOOKS === 'true') {
  app.post('/partner', (_req, res) => res.sendStatus(204));
}
app.listen(Number(process.env.PORT ?? 8080));
`,
};
/** Links built from a URL the code falls back to a development address for. */
const LINKS: Files = {
  'services/hooks/package.json': '{ "name": "hooks" }\n',
  'services/hooks/src/links.ts': `export const frontendUrl = process.env.FRONTEND_URL || 'http://localhost:5173';
export const docsUrl = process.env.DOCS_URL || 'https://docs.example.com';
`,
};
const PY_LINKS: Files = {
  'services/jobs/requirements.txt': 'fastapi\n',
  'services/jobs/app/links.py': `import os

REDIRECT_URI = os.getenv("OAUTH_REDIRECT_URI", "http://127.0.0.1:8000/auth/callback")
`,
};
/** The same in Python: a route registered only when a switch is on. */
const JOBS: Files = {
  'services/jobs/requirements.txt': 'fastapi\n',
  'services/jobs/app/main.py': `import os
from fastapi import FastAPI

app = FastAPI()

if os.getenv("NIGHTLY_SYNC", "off") == "on":
    @app.post("/sync")
    def sync():
        return {}
`,
};
/** The common Python form of that switch: a lowered value with a text default, tested against a list. */
const LOWERED_JOBS: Files = { ...JOBS, 'services/jobs/app/main.py': JOBS['services/jobs/app/main.py'].replace('os.getenv("NIGHTLY_SYNC", "off") == "on"', 'os.getenv("NIGHTLY_SYNC", "false").lower() in ("1", "true", "yes")') };
/** Payments switched off when their key is empty: the code copes, the feature goes. */
const SHOP: Files = {
  'services/shop/requirements.txt': 'fastapi\n',
  'services/shop/app/payments.py': `import os

PAYMENT_API_KEY = os.getenv("PAYMENT_API_KEY", "")
PAYMENT_REGION = os.getenv("PAYMENT_REGION", "")


def charge(amount):
    if not PAYMENT_API_KEY:
        return None
    return {"amount": amount, "region": PAYMENT_REGION}
`,
};
const shopDeploy = (secrets: string, env = '') => `gcloud run deploy shop-prod --source services/shop --project acme-prod --set-env-vars "ENVIRONMENT=production${env}" --set-secrets "DB_PASSWORD=db-password:latest${secrets}"\n`;

const jobsDeploy = (vars: string) => `gcloud run deploy jobs-prod --source services/jobs --project acme-prod --set-env-vars "ENVIRONMENT=production${vars}"\n`;
/** A Django-style settings module whose key falls back to a development one. */
const SIGNED: Files = {
  'services/web/requirements.txt': 'django\n',
  'services/web/app/settings.py': 'import os\n\nSECRET_KEY = os.getenv("SECRET_KEY", "django-insecure-dev-key")\n',
};
const signedDeploy = (vars: string) => `gcloud run deploy web-prod --source services/web --project acme-prod --set-env-vars "ENVIRONMENT=production${vars}"\n`;
const hooksDeploy = (vars: string, name = 'hooks-prod') => `gcloud run deploy ${name} --source services/hooks --project acme-prod --set-env-vars "ENVIRONMENT=production${vars}"\n`;

/** The secret's presence chooses a mode; its value is used nowhere. */
const SHOP_MODE: Files = {
  'services/shop/requirements.txt': 'fastapi\n',
  'services/shop/app/payments.py': `import os

LOCAL_TOKEN_MODE = bool(os.getenv("PAYMENT_API_KEY"))


def mode():
    return "local-token" if LOCAL_TOKEN_MODE else "secret-manager"
`,
};

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      // The unreadable list is built in the script that names the variable (a helper appending
      // `NAME=secret:latest` per call): the name may well be in it. One the script never names
      // stays a warning (invalid, below).
      name: 'a list we cannot read, built by a script that names the variable',
      files: {
        'ledger/requirements.txt': 'fastapi\n', 'ledger/app/settings.py': LEDGER['services/ledger/app/settings.py'],
        'deploy/release.sh': RELEASE.replace('SIGNING_KEY=ledger-signing-key:3', 'OTHER=other:latest').replace('services/ledger', 'ledger'),
        'deploy/hotfix.sh': [
          'add_secret() {',
          '  if [ -z "$SECRETS" ]; then SECRETS="$1=$2:latest"; else SECRETS="$SECRETS,$1=$2:latest"; fi',
          '}',
          'add_secret SIGNING_KEY ledger-signing-key',
          'gcloud run deploy ledger-staging --source ledger --project acme-staging --set-secrets="$SECRETS"',
          '',
        ].join('\n'),
      },
    },
    {
      // A default that is a public address: the path that drops it still links somewhere real.
      name: 'a dropped URL whose default is no loopback address',
      files: { ...LINKS, 'deploy/release.sh': hooksDeploy(',DOCS_URL=https://docs.acme.dev'), 'deploy/quick.sh': hooksDeploy('') },
    },

    {
      // A deploy that adds to what the service has keeps the URL the release set.
      name: 'a loopback default an additive deploy leaves out',
      files: { ...LINKS, 'deploy/release.sh': hooksDeploy(',FRONTEND_URL=https://app.acme.dev'), 'deploy/quick.sh': hooksDeploy('').replace('--set-env-vars', '--update-env-vars') },
    },
    {
      // The image's last stage sets it: a deploy leaving it out still runs a container that has it.
      name: 'a variable one path sets and another leaves out, which the image sets itself (ENV in the Dockerfile\'s last stage): quiet',
      files: { ...LEDGER, 'services/ledger/Dockerfile': 'FROM python:3.12 AS deps\nRUN pip install uv\nFROM python:3.12-slim\nENV QUEUE_TOPIC=ledger-events\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n', 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': HOTFIX.replace('OTHER_TOKEN=other-token:latest', 'SIGNING_KEY=ledger-signing-key:3') },
      // Set in a build stage only, it is not in the image that runs.
      control: { files: { ...LEDGER, 'services/ledger/Dockerfile': 'FROM python:3.12 AS deps\nENV QUEUE_TOPIC=ledger-events\nFROM python:3.12-slim\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n', 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': HOTFIX.replace('OTHER_TOKEN=other-token:latest', 'SIGNING_KEY=ledger-signing-key:3') } },
    },
    {
      name: 'the only deploy leaves out a variable the image sets itself: quiet',
      files: { ...LEDGER, 'services/ledger/Dockerfile': 'FROM python:3.12-slim\nENV QUEUE_TOPIC=ledger-events\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n', 'deploy/hotfix.sh': HOTFIX.replace('OTHER_TOKEN=other-token:latest', 'SIGNING_KEY=ledger-signing-key:3') },
      control: { files: { ...LEDGER, 'services/ledger/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n', 'deploy/hotfix.sh': HOTFIX.replace('OTHER_TOKEN=other-token:latest', 'SIGNING_KEY=ledger-signing-key:3') } },
    },
    {
      // Dropping it changes which mode the service starts in, not a feature that reads its value.
      name: 'a secret one path mounts and another drops, only tested for presence: quiet',
      files: { ...SHOP_MODE, 'deploy/release.sh': shopDeploy(',PAYMENT_API_KEY=payment-api-key:latest'), 'ops/deploy.sh': shopDeploy('') },
      control: { files: { ...SHOP, 'deploy/release.sh': shopDeploy(',PAYMENT_API_KEY=payment-api-key:latest'), 'ops/deploy.sh': shopDeploy('') } },
    },
    {
      // One path mounting it against two that drop it: the odd one out is the mounting one.
      name: 'a secret the code copes without, mounted by one path of three: quiet',
      files: { ...SHOP, 'deploy/release.sh': shopDeploy(',PAYMENT_API_KEY=payment-api-key:latest'), 'ops/deploy.sh': shopDeploy(''), 'ops/redeploy.sh': shopDeploy('') },
    },
    {
      // A settings field nothing in its file uses: whether anything needs it is not seen.
      name: 'a secret one path mounts and another drops, read only as a settings field: quiet',
      files: {
        'services/shop/requirements.txt': 'fastapi\npydantic-settings\n',
        'services/shop/app/config.py': 'from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    ROUTER_API_KEY: str = ""\n',
        'deploy/release.sh': shopDeploy(',ROUTER_API_KEY=router-api-key:latest'), 'ops/deploy.sh': shopDeploy(''),
      },
    },
    {
      // Not a secret: an optional setting one path gives is no feature's key.
      name: 'an optional setting (not a secret) one path sets and another drops: quiet',
      files: { ...SHOP, 'deploy/release.sh': shopDeploy('', ',PAYMENT_REGION=eu'), 'ops/deploy.sh': shopDeploy('') },
    },
    {
      // Its secrets list is built in a loop: any name may be in it, and nothing else deploys it.
      name: 'the only deploy passes a secrets list we cannot read: nothing to say about what it lacks',
      files: { ...LEDGER, 'deploy/release.sh': 'for n in SIGNING_KEY QUEUE_TOPIC; do s="${s}${n}=ledger-${n}:latest,"; done\ngcloud run deploy ledger-staging --source services/ledger --project acme-staging --set-secrets="$s"\n' },
      control: { files: { ...LEDGER, 'deploy/release.sh': 'gcloud run deploy ledger-staging --source services/ledger --project acme-staging --set-secrets="OTHER=other:latest"\n' } },
    },
    {
      name: 'every path sets both',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': RELEASE },
    },
    {
      // --update-env-vars keeps what the service has, and no --set-secrets keeps its secrets.
      name: 'a second path that only adds variables and keeps the secrets',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': 'gcloud run deploy ledger-staging --source services/ledger --project acme-staging --update-env-vars "ENVIRONMENT=staging"\n' },
      control: { files: { ...LEDGER, 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': HOTFIX } },
    },
    {
      // A secret mounted by the release path survives a --set-env-vars: gcloud keeps secrets.
      name: 'a second path that replaces only the variables, while the missing name is a secret elsewhere',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': 'gcloud run deploy ledger-staging --source services/ledger --project acme-staging --set-env-vars "ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events"\n' },
    },
    {
      // The one path that sets the key sets a placeholder (`your-…-here`): it asks for a value, and
      // says nothing of what the other path's service runs with.
      name: 'the only path setting a name sets a placeholder: the path leaving it out is no finding',
      files: { ...SIGNED, 'deploy/release.sh': signedDeploy(',SECRET_KEY=your-secret-key-here'), 'deploy/quick.sh': signedDeploy('') },
      control: { files: { ...SIGNED, 'deploy/release.sh': signedDeploy(',SECRET_KEY=k7Qp2xVb9Lm4Zt8RwE3nYc6HdA1sJf5G'), 'deploy/quick.sh': signedDeploy('') } },
    },
    {
      // Where the code has no default of its own, it needs the name whatever stands in for it: the
      // path leaving it out is still a finding (the control).
      name: 'a placeholder setter beside code with its own default: quiet; beside code with none: a finding',
      files: { ...SIGNED, 'deploy/release.sh': signedDeploy(',SECRET_KEY=your-secret-key-here'), 'deploy/quick.sh': signedDeploy('') },
      control: { files: { ...SIGNED, 'services/web/app/settings.py': 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n', 'deploy/release.sh': signedDeploy(',SECRET_KEY=your-secret-key-here'), 'deploy/quick.sh': signedDeploy('') } },
    },
    {
      // Run with the deploy, in its own file, the update adds the name after every release.
      name: 'a name an update adds right after the full deploy, in the same script',
      files: { ...LEDGER, 'deploy/release.sh': `${RELEASE.replace(',QUEUE_TOPIC=ledger-events', '')}gcloud run services update ledger-staging --project acme-staging --update-env-vars QUEUE_TOPIC=ledger-events\n` },
      control: { files: { ...LEDGER, 'deploy/release.sh': RELEASE.replace(',QUEUE_TOPIC=ledger-events', ''), 'scripts/add-topic.sh': 'gcloud run services update ledger-staging --project acme-staging --update-env-vars QUEUE_TOPIC=ledger-events\n' } },
    },
    {
      name: 'an update in another file of another Cloud Run service (another name)',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE.replace(',QUEUE_TOPIC=ledger-events', ''), 'scripts/add-topic.sh': 'gcloud run services update ledger-canary --project acme-staging --update-env-vars QUEUE_TOPIC=ledger-events\n' },
      control: { files: { ...LEDGER, 'deploy/release.sh': RELEASE.replace(',QUEUE_TOPIC=ledger-events', ''), 'scripts/add-topic.sh': 'gcloud run services update ledger-staging --project acme-staging --update-env-vars QUEUE_TOPIC=ledger-events\n' } },
    },
    {
      // Read as empty where the script fills it (`--set-env-vars "$ENV_VARS"` under `if [ -n
      // "$ENV_VARS" ]`): nobody writes an empty list, so it is no list known to lack the name.
      name: 'an empty --set-env-vars list from a variable, beside an update in another file',
      files: { ...LEDGER, 'deploy/release.sh': 'ENV_VARS=""\nwhile read -r line; do ENV_VARS="$ENV_VARS,$line"; done < .env\nif [ -n "$ENV_VARS" ]; then\n  gcloud run deploy ledger-staging --source services/ledger --project acme-staging --set-env-vars "$ENV_VARS" --set-secrets "SIGNING_KEY=ledger-signing-key:3"\nfi\n', 'scripts/add-topic.sh': 'gcloud run services update ledger-staging --project acme-staging --update-env-vars QUEUE_TOPIC=ledger-events\n' },
      control: { files: { ...LEDGER, 'deploy/release.sh': 'gcloud run deploy ledger-staging --source services/ledger --project acme-staging --set-env-vars "ENVIRONMENT=staging" --set-secrets "SIGNING_KEY=ledger-signing-key:3"\n', 'scripts/add-topic.sh': 'gcloud run services update ledger-staging --project acme-staging --update-env-vars QUEUE_TOPIC=ledger-events\n' } },
    },
    {
      // The code copes (a development address): the update's value is not taken for a need.
      name: 'a name with a local default only an update in another file sets',
      files: { ...LEDGER, 'services/ledger/app/links.py': 'import os\nFRONTEND_URL = os.getenv("FRONTEND_URL", "http://localhost:5173")\nlink = FRONTEND_URL + "/pay"\n', 'deploy/release.sh': RELEASE, 'scripts/set-url.sh': 'gcloud run services update ledger-staging --project acme-staging --update-env-vars FRONTEND_URL=https://pay.acme.dev\n' },
      control: { files: { ...LEDGER, 'services/ledger/app/links.py': 'import os\nFRONTEND_URL = os.getenv("FRONTEND_URL", "http://localhost:5173")\nlink = FRONTEND_URL + "/pay"\n', 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': 'gcloud run deploy ledger-staging --source services/ledger --project acme-staging --set-env-vars "ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events,FRONTEND_URL=https://pay.acme.dev" --set-secrets "SIGNING_KEY=ledger-signing-key:3"\n' } },
    },
    {
      // --update-env-vars keeps what the update added.
      name: 'a deploy that only adds, beside an update in another file',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE.replace(',QUEUE_TOPIC=ledger-events', '').replace('--set-env-vars', '--update-env-vars'), 'scripts/add-topic.sh': 'gcloud run services update ledger-staging --project acme-staging --update-env-vars QUEUE_TOPIC=ledger-events\n' },
    },
    {
      // A GKE Deployment is another running service of the same code, not another path to it.
      name: 'a Kubernetes Deployment of the same code sets what the Cloud Run deploy leaves out',
      files: {
        ...LEDGER, 'deploy/release.sh': RELEASE.replace(',QUEUE_TOPIC=ledger-events', ''),
        'k8s/ledger-staging.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger-staging
spec:
  template:
    spec:
      containers:
        - name: ledger
          image: europe-docker.pkg.dev/acme-staging/apps/ledger:latest
          env:
            - name: ENVIRONMENT
              value: staging
            - name: QUEUE_TOPIC
              value: ledger-events
`,
      },
    },
    {
      name: 'an update after the deploy that adds (`--update-env-vars`) keeps what the deploy set',
      files: { ...LEDGER, 'deploy/release.sh': `${RELEASE}gcloud run services update ledger-staging --project acme-staging --update-env-vars "PUBLIC_URL=x"\n` },
      control: { files: { ...LEDGER, 'deploy/release.sh': `${RELEASE}gcloud run services update ledger-staging --project acme-staging --set-env-vars "PUBLIC_URL=x"\n` } },
    },
    {
      name: 'an update in the same file of another service replaces that service\'s variables, not this one\'s',
      files: { ...LEDGER, 'deploy/release.sh': `${RELEASE}gcloud run services update billing-staging --project acme-staging --set-env-vars "PUBLIC_URL=x"\n` },
      control: { files: { ...LEDGER, 'deploy/release.sh': `${RELEASE}gcloud run services update ledger-staging --project acme-staging --set-env-vars "PUBLIC_URL=x"\n` } },
    },
    {
      // Unset, the default is the very text compared with: both paths take the same branch.
      name: 'Python: a switch whose default is the text it is compared with',
      files: { ...JOBS, 'services/jobs/app/main.py': JOBS['services/jobs/app/main.py'].replace('"off"', '"on"'), 'deploy/release.sh': jobsDeploy(',NIGHTLY_SYNC=on'), 'deploy/quick.sh': jobsDeploy('') },
      control: { files: { ...JOBS, 'deploy/release.sh': jobsDeploy(',NIGHTLY_SYNC=on'), 'deploy/quick.sh': jobsDeploy('') } },
    },
    {
      name: 'Python: a lowered switch set to a text outside its list: both paths take the same branch',
      files: { ...LOWERED_JOBS, 'deploy/release.sh': jobsDeploy(',NIGHTLY_SYNC=False'), 'deploy/quick.sh': jobsDeploy('') },
      control: { files: { ...LOWERED_JOBS, 'deploy/release.sh': jobsDeploy(',NIGHTLY_SYNC=YES'), 'deploy/quick.sh': jobsDeploy('') } },
    },
    {
      name: 'a switch set to a text the code does not compare with: both paths take the same branch',
      files: { ...WEBHOOKS, 'deploy/release.sh': hooksDeploy(',PARTNER_WEBHOOKS=false'), 'deploy/quick.sh': hooksDeploy('') },
      control: { files: { ...WEBHOOKS, 'deploy/release.sh': hooksDeploy(',PARTNER_WEBHOOKS=true'), 'deploy/quick.sh': hooksDeploy('') } },
    },
    {
      // One stub turning on what three real paths leave off is the odd one out.
      name: 'one path turns the switch on, more paths leave it off: quiet',
      files: { ...WEBHOOKS, 'deploy/release.sh': hooksDeploy(',PARTNER_WEBHOOKS=true'), 'deploy/quick.sh': hooksDeploy(''), 'deploy/hotfix.sh': hooksDeploy(',X=1') },
      control: { files: { ...WEBHOOKS, 'deploy/release.sh': hooksDeploy(',PARTNER_WEBHOOKS=true'), 'deploy/quick.sh': hooksDeploy(''), 'deploy/hotfix.sh': hooksDeploy(',PARTNER_WEBHOOKS=true') } },
    },
    {
      name: 'a switch of another service (another deployed name) is that service\'s own setting',
      files: { ...WEBHOOKS, 'deploy/release.sh': hooksDeploy(',PARTNER_WEBHOOKS=true'), 'deploy/quick.sh': hooksDeploy('', 'hooks-canary-prod') },
      control: { files: { ...WEBHOOKS, 'deploy/release.sh': hooksDeploy(',PARTNER_WEBHOOKS=true'), 'deploy/quick.sh': hooksDeploy('') } },
    },
    {
      // Linked by its name alone, and no other deploy here deploys that Cloud Run service.
      name: 'an update of a service no deploy here deploys under that name: quiet',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': 'gcloud run services update ledger-canary-staging --project acme-staging --set-env-vars "ENVIRONMENT=staging"\n' },
    },
  ],
  invalid: [
    {
      // The code copes without the key (payments off), so no deploy "needs" it; but one path
      // mounts it and the other, replacing every secret reference, drops it.
      name: 'a secret one path mounts and another drops, read by code that copes without it',
      files: { ...SHOP, 'deploy/release.sh': shopDeploy(',PAYMENT_API_KEY=payment-api-key:latest'), 'ops/deploy.sh': shopDeploy('') },
      findings: [{
        at: 'ops/deploy.sh:1', text: '--set-secrets', severity: 'info', messageId: 'deployPathDropsSecret',
        message: /^shop \(production\) is deployed here without the secret PAYMENT_API_KEY, which deploy\/release\.sh mounts and its code reads$/,
        related: ['deploy/release.sh:1', 'services/shop/app/payments.py:3'],
        fixes: [{ title: /^Add PAYMENT_API_KEY to this deploy of shop \(production\), as deploy\/release\.sh sets it/, safe: true, preferred: true, output: { contains: { 'ops/deploy.sh': 'DB_PASSWORD=db-password:latest,PAYMENT_API_KEY=payment-api-key:latest' }, remaining: [] } }],
      }],
    },
    {
      // Terraform mounts a secret through `value_source { secret_key_ref }`; a workflow's
      // `--set-secrets` replaces every secret reference and leaves it out.
      name: 'a secret Terraform mounts (value_source) and a shell path drops, read by code that copes without it',
      files: {
        ...SHOP,
        'infra/run.tf': [
          'resource "google_cloud_run_v2_service" "shop" {',
          '  name     = "shop-prod"',
          '  project  = "acme-prod"',
          '  template {',
          '    containers {',
          '      image = "europe-docker.pkg.dev/acme-prod/shop/app:latest"',
          '      env {',
          '        name  = "ENVIRONMENT"',
          '        value = "production"',
          '      }',
          '      env {',
          '        name = "PAYMENT_API_KEY"',
          '        value_source {',
          '          secret_key_ref {',
          '            secret  = google_secret_manager_secret.payment_key.id',
          '            version = "latest"',
          '          }',
          '        }',
          '      }',
          '    }',
          '  }',
          '}',
          '',
        ].join('\n'),
        'ops/deploy.sh': shopDeploy(''),
      },
      findings: [{
        at: 'ops/deploy.sh:1', text: '--set-secrets', severity: 'info', messageId: 'deployPathDropsSecret',
        message: /^shop \(production\) is deployed here without the secret PAYMENT_API_KEY, which infra\/run\.tf mounts and its code reads$/,
        related: ['infra/run.tf:12', 'services/shop/app/payments.py:3'],
        // The secret's name is a resource's attribute here: the value is left to fill in.
        fixes: [{ title: /^Add PAYMENT_API_KEY=REPLACE_WITH_PAYMENT_API_KEY to this deploy of shop \(production\) \(fill in the value\)$/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'Python: a switch one path turns on and another drops',
      files: { ...JOBS, 'deploy/release.sh': jobsDeploy(',NIGHTLY_SYNC=on'), 'deploy/quick.sh': jobsDeploy('') },
      findings: [{
        at: 'deploy/quick.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathSwitch',
        message: /^jobs \(production\) is deployed here without NIGHTLY_SYNC, which deploy\/release\.sh sets to "on"; the code tests it$/,
        related: ['deploy/release.sh:1', { at: 'services/jobs/app/main.py:6', message: 'NIGHTLY_SYNC compared with "on" here (os.getenv)' }],
        fixes: [{ title: /^Add NIGHTLY_SYNC to this deploy of jobs \(production\)/, safe: true, preferred: true, output: { contains: { 'deploy/quick.sh': 'ENVIRONMENT=production,NIGHTLY_SYNC=on' }, remaining: [] } }],
      }],
    },
    {
      // One text read once per part of an `if` (a build branch and an image-only branch) is one
      // path, however many deploys its readings make: it does not outnumber the path that sets it.
      name: 'a switch dropped by one script whose deploy is read once per part of an if: still one path against one',
      files: {
        ...JOBS, 'deploy/release.sh': jobsDeploy(',NIGHTLY_SYNC=on'),
        'deploy/quick.sh': 'if [ "$1" = "--build" ]; then\n  TAG=$(git rev-parse --short HEAD)\nelse\n  TAG=latest\nfi\n' + jobsDeploy(',TAG=$TAG'),
      },
      findings: [{
        at: 'deploy/quick.sh:6', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathSwitch',
        message: /^jobs \(production\) is deployed here without NIGHTLY_SYNC, which deploy\/release\.sh sets to "on"; the code tests it$/,
        related: ['deploy/release.sh:1', { at: 'services/jobs/app/main.py:6', message: 'NIGHTLY_SYNC compared with "on" here (os.getenv)' }],
        // The list holds `$TAG`: no place to insert into it as written.
        fixes: [],
      }],
    },
    {
      // `services update --set-env-vars` replaces every variable the service has: it states the
      // whole list, as a full deploy does, so a full deploy without the name is a path dropping it.
      name: 'a URL a full deploy and an update replacing the variables set, and another full deploy drops',
      files: { ...LINKS, 'deploy/update.sh': 'gcloud run services update hooks-prod --project acme-prod --image gcr.io/acme-prod/hooks --set-env-vars "ENVIRONMENT=production,FRONTEND_URL=https://app.acme.dev"\n', 'deploy/quick.sh': hooksDeploy(''), 'deploy/release.sh': hooksDeploy(',FRONTEND_URL=https://app.acme.dev') },
      findings: [{
        at: 'deploy/quick.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathLocalDefault',
        message: /^hooks \(production\) is deployed here without FRONTEND_URL, which deploy\/update\.sh sets; it defaults to localhost$/,
        related: ['deploy/update.sh:1', 'services/hooks/src/links.ts:1'],
        fixes: [{ title: /^Add FRONTEND_URL to this deploy of hooks \(production\)/, safe: true, preferred: true }],
      }],
    },
    {
      name: 'a URL one path sets and another drops, where the code falls back to localhost',
      files: { ...LINKS, 'deploy/release.sh': hooksDeploy(',FRONTEND_URL=https://app.acme.dev'), 'deploy/quick.sh': hooksDeploy('') },
      findings: [{
        at: 'deploy/quick.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathLocalDefault',
        message: /^hooks \(production\) is deployed here without FRONTEND_URL, which deploy\/release\.sh sets; it defaults to localhost$/,
        related: ['deploy/release.sh:1', { at: 'services/hooks/src/links.ts:1', message: 'FRONTEND_URL read here; unset, it is http://localhost:5173, a development address' }],
        fixes: [{
          title: 'Add FRONTEND_URL to this deploy of hooks (production), as deploy/release.sh sets it', safe: true, preferred: true,
          output: { contains: { 'deploy/quick.sh': 'ENVIRONMENT=production,FRONTEND_URL=https://app.acme.dev' }, remaining: [] },
        }],
      }],
    },
    {
      // However many paths leave it out, each runs the service with the development address.
      name: 'a URL one path sets and two others drop: each is reported',
      files: { ...LINKS, 'deploy/release.sh': hooksDeploy(',FRONTEND_URL=https://app.acme.dev'), 'deploy/quick.sh': hooksDeploy(''), 'deploy/old.sh': hooksDeploy(',DEBUG=1') },
      findings: [
        { at: 'deploy/old.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathLocalDefault', message: /^hooks \(production\) is deployed here without FRONTEND_URL, which deploy\/release\.sh sets; it defaults to localhost$/, related: ['deploy/release.sh:1', 'services/hooks/src/links.ts:1'],
          fixes: [{ title: /^Add FRONTEND_URL to this deploy of hooks \(production\)/, safe: true, preferred: true }] },
        { at: 'deploy/quick.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathLocalDefault', message: /^hooks \(production\) is deployed here without FRONTEND_URL, which deploy\/release\.sh sets; it defaults to localhost$/, related: ['deploy/release.sh:1', 'services/hooks/src/links.ts:1'],
          fixes: [{ title: /^Add FRONTEND_URL to this deploy of hooks \(production\)/, safe: true, preferred: true }] },
      ],
    },
    {
      name: 'Python: an OAuth redirect one path sets and another drops, where the code falls back to 127.0.0.1',
      files: { ...PY_LINKS, 'deploy/release.sh': jobsDeploy(',OAUTH_REDIRECT_URI=https://jobs.acme.dev/auth/callback'), 'deploy/quick.sh': jobsDeploy('') },
      findings: [{
        at: 'deploy/quick.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathLocalDefault',
        message: /^jobs \(production\) is deployed here without OAUTH_REDIRECT_URI, which deploy\/release\.sh sets; it defaults to localhost$/,
        related: ['deploy/release.sh:1', 'services/jobs/app/links.py:3'],
        fixes: [{ title: /^Add OAUTH_REDIRECT_URI to this deploy of jobs \(production\)/, safe: true, preferred: true, output: { remaining: [] } }],
      }],
    },
    {
      // The common Python form: a lowered value with a text default, tested against a list.
      name: 'Python: a lowered switch one path turns on (in any case) and another drops',
      files: { ...LOWERED_JOBS, 'deploy/release.sh': jobsDeploy(',NIGHTLY_SYNC=True'), 'deploy/quick.sh': jobsDeploy('') },
      findings: [{
        at: 'deploy/quick.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathSwitch',
        message: /^jobs \(production\) is deployed here without NIGHTLY_SYNC, which deploy\/release\.sh sets to "True"; the code tests it$/,
        related: ['deploy/release.sh:1', { at: 'services/jobs/app/main.py:6', message: 'NIGHTLY_SYNC compared with "1", "true" or "yes" in any case here (os.getenv)' }],
        fixes: [{ title: /^Add NIGHTLY_SYNC to this deploy of jobs \(production\)/, safe: true, preferred: true, output: { contains: { 'deploy/quick.sh': 'ENVIRONMENT=production,NIGHTLY_SYNC=True' }, remaining: [] } }],
      }],
    },
    {
      // The switch is optional to the code, but the two paths run different code: one mounts the
      // partner routes, the other does not.
      name: 'a switch one path turns on and another drops: the paths branch differently',
      files: { ...WEBHOOKS, 'deploy/release.sh': hooksDeploy(',PARTNER_WEBHOOKS=true'), 'deploy/quick.sh': hooksDeploy('') },
      findings: [{
        at: 'deploy/quick.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathSwitch',
        message: /^hooks \(production\) is deployed here without PARTNER_WEBHOOKS, which deploy\/release\.sh sets to "true"; the code tests it$/,
        related: ['deploy/release.sh:1', { at: 'services/hooks/src/index.ts:3', message: 'PARTNER_WEBHOOKS compared with "true" here (process.env)' }],
        fixes: [{
          title: 'Add PARTNER_WEBHOOKS to this deploy of hooks (production), as deploy/release.sh sets it', safe: true, preferred: true,
          output: { contains: { 'deploy/quick.sh': 'ENVIRONMENT=production,PARTNER_WEBHOOKS=true' }, remaining: [] },
        }],
      }],
    },
    {
      // Two Cloud Run services from the same code: a deploy of one never changes the other's, so
      // the leftover lacks what the release sets for its own service — one finding, listing them.
      name: 'a deploy of the same code under another service name lacks what the other service gets',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': HOTFIX.replace('ledger-staging', 'ledger-old-staging') },
      findings: [{
        at: 'deploy/hotfix.sh:5', text: '--set-env-vars', severity: 'warning', messageId: 'otherServiceWithout',
        message: /^ledger-old-staging lacks QUEUE_TOPIC and SIGNING_KEY, needed by its code and set for ledger-staging in deploy\/release\.sh$/,
        related: ['deploy/release.sh:6', 'deploy/release.sh:7', TOPIC_READ, KEY_READ],
        fixes: [
          {
            title: 'Add QUEUE_TOPIC to ledger-old-staging, as deploy/release.sh sets it for ledger-staging', safe: false, preferred: false,
            output: { contains: { 'deploy/hotfix.sh': '--set-env-vars "ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events"' }, remaining: ['deploy/hotfix.sh:6'] },
          },
          { title: 'Add SIGNING_KEY to ledger-old-staging, as deploy/release.sh sets it for ledger-staging', safe: false, preferred: false },
        ],
      }],
    },
    {
      name: 'the same name in another region is another service',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE.replace('--project acme-staging', '--project acme-staging --region europe-west1'), 'deploy/hotfix.sh': HOTFIX.replace('--project acme-staging', '--project acme-staging --region us-central1') },
      findings: [{
        at: 'deploy/hotfix.sh:5', text: '--set-env-vars', severity: 'warning', messageId: 'otherServiceWithout',
        message: /^ledger-staging lacks QUEUE_TOPIC and SIGNING_KEY, needed by its code and set for ledger-staging in deploy\/release\.sh$/,
        related: ['deploy/release.sh:6', 'deploy/release.sh:7', TOPIC_READ, KEY_READ],
        fixes: [{ title: /^Add QUEUE_TOPIC to ledger-staging/, safe: false, preferred: false }, { title: /^Add SIGNING_KEY to ledger-staging/, safe: false, preferred: false }],
      }],
    },
    {
      // gcloud run deploy --set-env-vars removes every variable first: what a setup script's
      // update added is gone after the next release, unless someone runs the update again.
      name: 'a name only an update in another file adds: the full deploy\'s --set-env-vars removes it on every run',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE.replace(',QUEUE_TOPIC=ledger-events', ''), 'scripts/add-topic.sh': 'gcloud run services update ledger-staging --project acme-staging --update-env-vars QUEUE_TOPIC=ledger-events\n' },
      findings: [{
        at: 'deploy/release.sh:6', text: '--set-env-vars', severity: 'warning', messageId: 'deployWipesUpdate',
        message: 'ledger (staging): --set-env-vars here removes QUEUE_TOPIC, which only the update in scripts/add-topic.sh adds',
        related: [{ at: 'scripts/add-topic.sh:1', message: 'QUEUE_TOPIC added here by an update of ledger (staging)' }, TOPIC_READ],
        fixes: [
          { title: /^Use --update-env-vars here/, safe: false, preferred: true, output: { contains: { 'deploy/release.sh': '--update-env-vars "ENVIRONMENT=staging"' }, remaining: [] } },
          { title: 'Add QUEUE_TOPIC to this deploy of ledger (staging), as scripts/add-topic.sh sets it', safe: true, preferred: false, output: { contains: { 'deploy/release.sh': '"ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events"' }, remaining: [] } },
        ],
      }],
    },
    {
      name: 'GitHub Actions: a push deploy replacing the variables a manual workflow\'s update sets',
      files: {
        ...LEDGER,
        '.github/workflows/deploy.yml': 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gcloud run deploy ledger-staging --source services/ledger --project acme-staging --set-env-vars NODE_ENV=production --set-secrets SIGNING_KEY=ledger-signing-key:3\n',
        '.github/workflows/set-env.yml': 'on:\n  workflow_dispatch:\n    inputs:\n      topic:\n        required: true\njobs:\n  set:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gcloud run services update ledger-staging --project acme-staging --update-env-vars QUEUE_TOPIC="${{ github.event.inputs.topic }}"\n',
      },
      findings: [{
        at: '.github/workflows/deploy.yml:6', text: '--set-env-vars', severity: 'warning', messageId: 'deployWipesUpdate',
        message: 'ledger (staging): --set-env-vars here removes QUEUE_TOPIC, which only the update in .github/workflows/set-env.yml adds',
        related: ['.github/workflows/set-env.yml:10', TOPIC_READ],
        fixes: [
          { title: /^Use --update-env-vars here/, safe: false, preferred: true, output: { contains: { '.github/workflows/deploy.yml': '--update-env-vars NODE_ENV=production' }, remaining: [] } },
          { title: /^Add QUEUE_TOPIC=.* to this deploy of ledger \(staging\) \(fill in the value\)$/, safe: false, preferred: false },
        ],
      }],
    },
    {
      // Linked to the code by its name only, but it updates the very Cloud Run service the
      // release deploys (same name and project): its --set-env-vars replaces that service's.
      name: 'an update in another file of the same Cloud Run service replaces its variables too',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': 'gcloud run services update ledger-staging --project acme-staging --set-env-vars "ENVIRONMENT=staging"\n' },
      findings: [{
        at: 'deploy/hotfix.sh:1', text: '--set-env-vars', severity: 'warning', messageId: 'updateReplaces',
        message: /^ledger \(staging\) loses QUEUE_TOPIC here: --set-env-vars on an update replaces all its variables$/,
        related: ['deploy/release.sh:6', TOPIC_READ],
        fixes: [
          { title: /^Use --update-env-vars here/, safe: false, preferred: true, output: { contains: { 'deploy/hotfix.sh': '--update-env-vars "ENVIRONMENT=staging"' }, remaining: [] } },
          { title: 'Add QUEUE_TOPIC to this deploy of ledger (staging), as deploy/release.sh sets it', safe: true, preferred: false, output: { contains: { 'deploy/hotfix.sh': '"ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events"' }, remaining: [] } },
        ],
      }],
    },
    {
      // gcloud: "--set-env-vars … All existing environment variables will be removed first",
      // on `services update` as on `deploy`. The update of the service deployed just above (same
      // file, same name) is that service, and the flag that adds is the fix.
      name: 'shell: an update after the deploy replaces the variables the deploy set',
      files: { ...LEDGER, 'deploy/release.sh': `${RELEASE}URL=$(gcloud run services describe ledger-staging --format 'value(status.url)')\ngcloud run services update ledger-staging --project acme-staging --set-env-vars "PUBLIC_URL=$URL"\n` },
      findings: [{
        at: 'deploy/release.sh:9', text: '--set-env-vars', severity: 'warning', messageId: 'updateReplaces',
        message: /^ledger \(staging\) loses QUEUE_TOPIC here: --set-env-vars on an update replaces all its variables$/,
        related: ['deploy/release.sh:6', TOPIC_READ],
        fixes: [
          {
            title: 'Use --update-env-vars here, which keeps what the service has and adds these', safe: false, preferred: true,
            output: { contains: { 'deploy/release.sh': 'services update ledger-staging --project acme-staging --update-env-vars "PUBLIC_URL=$URL"' }, remaining: [] },
          },
        ],
      }],
    },
    {
      // The update's list is a plain item of a flow sequence, where a comma would end it: no entry
      // is added there, only the flag is changed.
      name: 'Cloud Build: a step updating the service deployed by the step before replaces its variables',
      files: {
        ...LEDGER,
        'cloudbuild-staging.yaml': `${CLOUDBUILD.replace('--set-env-vars=ENVIRONMENT=staging', '--set-env-vars=ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events')}  - name: gcr.io/cloud-builders/gcloud
    args: [run, services, update, ledger-staging, --set-env-vars=BUILD_ID=$BUILD_ID]
`,
      },
      findings: [{
        at: 'cloudbuild-staging.yaml:11', text: '--set-env-vars', severity: 'warning', messageId: 'updateReplaces',
        message: /^ledger \(staging\) loses QUEUE_TOPIC here: --set-env-vars on an update replaces all its variables$/,
        related: ['cloudbuild-staging.yaml:8', TOPIC_READ],
        fixes: [
          { title: /^Use --update-env-vars here/, safe: false, preferred: true, output: { contains: { 'cloudbuild-staging.yaml': '[run, services, update, ledger-staging, --update-env-vars=BUILD_ID=$BUILD_ID]' }, remaining: [] } },
        ],
      }],
    },
    {
      // One deploy is readable: what it lacks is still said, hedged for the other, as information
      // (the name may well be in the list nobody can read: 8 of 21 such warnings were true).
      name: 'one deploy readable, another passing a list we cannot read: information that says part is unreadable',
      files: {
        'ledger/requirements.txt': 'fastapi\n', 'ledger/app/settings.py': LEDGER['services/ledger/app/settings.py'],
        'deploy/release.sh': RELEASE.replace('SIGNING_KEY=ledger-signing-key:3', 'OTHER=other:latest').replace('services/ledger', 'ledger'),
        'deploy/hotfix.sh': 'for n in A B; do s="${s}${n}=ledger-${n}:latest,"; done\ngcloud run deploy ledger-staging --source ledger --project acme-staging --set-secrets="$s"\n',
      },
      findings: [{
        at: 'deploy/release.sh:7', text: '--set-secrets', severity: 'info', messageId: 'deployWithoutUnreadable',
        message: /^ledger \(staging\) may lack SIGNING_KEY, which ledger\/app\/settings\.py reads: its env in deploy\/hotfix\.sh is unreadable$/,
        related: ['ledger/app/settings.py:4'],
        fixes: [{ title: /^Add SIGNING_KEY to ledger \(staging\) from secret/, safe: false, preferred: true }],
      }],
    },
    {
      // Stored in a module constant nothing in its file uses: whether the service needs it is not
      // seen, so the disagreement is worth a word, not a warning, and the message says why.
      name: 'shell: the dropped variable is only stored for other modules: information that says so',
      files: {
        'services/ledger/requirements.txt': 'fastapi\n',
        'services/ledger/app/settings.py': 'import os\n\nQUEUE_TOPIC = os.environ.get("QUEUE_TOPIC")\n',
        'deploy/release.sh': RELEASE.replace(' \\\n  --set-secrets "SIGNING_KEY=ledger-signing-key:3"', ''),
        'deploy/hotfix.sh': HOTFIX.replace(' \\\n  --set-secrets "OTHER_TOKEN=other-token:latest"', ''),
      },
      findings: [{
        at: 'deploy/hotfix.sh:5', text: '--set-env-vars', severity: 'info', messageId: 'deployPathWithoutUnseen',
        message: /^ledger \(staging\) is deployed here without QUEUE_TOPIC, which deploy\/release\.sh sets; unused where it is read$/,
        related: ['deploy/release.sh:6', TOPIC_READ],
        fixes: [{ title: 'Add QUEUE_TOPIC to this deploy of ledger (staging), as deploy/release.sh sets it', safe: true, preferred: true }],
      }],
    },
    {
      name: 'shell: a second script replaces the variables and the secrets, leaving one of each out',
      files: { ...LEDGER, 'deploy/release.sh': RELEASE, 'deploy/hotfix.sh': HOTFIX },
      findings: [
        {
          at: 'deploy/hotfix.sh:5', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathWithout',
          message: /^ledger \(staging\) is deployed here without QUEUE_TOPIC, which deploy\/release\.sh sets and its code needs$/,
          related: [{ at: 'deploy/release.sh:6', text: 'QUEUE_TOPIC', message: 'QUEUE_TOPIC set here by another deploy of ledger (staging)' }, TOPIC_READ],
          fixes: [{
            title: 'Add QUEUE_TOPIC to this deploy of ledger (staging), as deploy/release.sh sets it', safe: true, preferred: true,
            output: { contains: { 'deploy/hotfix.sh': '--set-env-vars "ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events"' }, remaining: ['deploy/hotfix.sh:6'] },
          }],
        },
        {
          at: 'deploy/hotfix.sh:6', text: '--set-secrets', severity: 'warning', messageId: 'deployPathWithout',
          message: /^ledger \(staging\) is deployed here without SIGNING_KEY, which deploy\/release\.sh sets and its code needs$/,
          related: ['deploy/release.sh:7', KEY_READ],
          fixes: [{
            title: 'Add SIGNING_KEY to this deploy of ledger (staging), as deploy/release.sh sets it', safe: true, preferred: true,
            output: { contains: { 'deploy/hotfix.sh': '--set-secrets "OTHER_TOKEN=other-token:latest,SIGNING_KEY=ledger-signing-key:3"' }, remaining: ['deploy/hotfix.sh:5'] },
          }],
        },
      ],
    },
    {
      // The Knative manifest lists everything the container gets, so it drops the secret the
      // Cloud Build path mounts; the Cloud Build path replaces the variables, dropping the topic.
      // (The Makefile applies the manifest: one nothing applies is information, in
      // variant-scripts.test.ts.)
      name: 'Cloud Build and a Knative manifest each drop what the other sets',
      files: { ...LEDGER, 'cloudbuild-staging.yaml': CLOUDBUILD, 'deploy/ledger-staging.yaml': KNATIVE, 'Makefile': 'apply-staging:\n\tgcloud run services replace deploy/ledger-staging.yaml --region europe-west1\n' },
      findings: [
        {
          at: 'cloudbuild-staging.yaml:8', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathWithout',
          message: /^ledger \(staging\) is deployed here without QUEUE_TOPIC, which deploy\/ledger-staging\.yaml sets and its code needs$/,
          related: ['deploy/ledger-staging.yaml:13', TOPIC_READ],
          fixes: [{
            title: /^Add QUEUE_TOPIC to this deploy of ledger \(staging\)/, safe: true, preferred: true,
            output: { contains: { 'cloudbuild-staging.yaml': '--set-env-vars=ENVIRONMENT=staging,QUEUE_TOPIC=ledger-events' }, remaining: ['deploy/ledger-staging.yaml:10'] },
          }],
        },
        {
          at: 'deploy/ledger-staging.yaml:10', text: 'env', severity: 'warning', messageId: 'deployPathWithout',
          message: /^ledger \(staging\) is deployed here without SIGNING_KEY, which cloudbuild-staging\.yaml sets and its code needs$/,
          related: ['cloudbuild-staging.yaml:9', KEY_READ],
          fixes: [{
            title: /^Add SIGNING_KEY to this deploy of ledger \(staging\)/, safe: true, preferred: true,
            output: { contains: { 'deploy/ledger-staging.yaml': 'secretKeyRef' }, remaining: ['cloudbuild-staging.yaml:8'] },
          }],
        },
      ],
    },
    {
      name: 'Terraform: the module lists the container\'s whole environment, so it drops the secret the script mounts',
      files: { ...LEDGER, ...TERRAFORM, 'deploy/release.sh': RELEASE },
      findings: [{
        at: 'infra/envs/staging/main.tf:6', text: 'containers', severity: 'warning', messageId: 'deployPathWithout',
        message: /^ledger \(staging\) is deployed here without SIGNING_KEY, which deploy\/release\.sh sets and its code needs$/,
        related: ['deploy/release.sh:7', KEY_READ],
        fixes: [{
          title: /^Add SIGNING_KEY to this deploy of ledger \(staging\), as deploy\/release\.sh sets it$/, safe: true, preferred: true,
          output: { contains: { 'infra/envs/staging/main.tf': 'secret_key_ref' } },
        }],
      }],
    },
  ],
});
