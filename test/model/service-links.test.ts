/**
 * Linking deploys to the code they ship when the code folder has no manifest of its own: the
 * dependencies live in the repository root, the Dockerfile lives with other Dockerfiles, and
 * only the build (or the deploy script's `directory=`) says which folder is the service.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';

const LEDGER = {
  'requirements.txt': 'fastapi\nuvicorn\n',
  'ledger/__init__.py': '',
  'ledger/main.py': 'import os\n\nPROJECT = os.environ["GCP_PROJECT_ID"]\nTOKEN = os.environ["LEDGER_TOKEN"]\n',
  'ledger/db/__init__.py': '',
  'ops/images/ledger.Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY ledger/ ./ledger/\nCMD ["uvicorn", "ledger.main:app", "--port", "8080"]\n',
  'ops/images/portal.Dockerfile': 'FROM node:20\nCOPY portal/ /srv/portal\nCMD ["node", "/srv/portal/server.js"]\n',
  'archive/old_api/requirements.txt': 'flask\n',
  'archive/old_api/app.py': 'import os\nKEY = os.environ["OLD_KEY"]\n',
  'cloudbuild-staging.yaml': [
    'steps:',
    '  - name: gcr.io/cloud-builders/docker',
    "    args: ['build', '-f', 'ops/images/ledger.Dockerfile', '-t', 'us-docker.pkg.dev/$PROJECT_ID/apps/ledger:$SHORT_SHA', '.']",
    '  - name: gcr.io/cloud-builders/gcloud',
    "    args: ['run', 'deploy', 'books-stg', '--image', 'us-docker.pkg.dev/$PROJECT_ID/apps/ledger:$SHORT_SHA', '--region', 'us-central1', '--set-env-vars', 'ENVIRONMENT=staging']",
    '',
  ].join('\n'),
};

test('a folder without a manifest is the service its Dockerfile runs; Dockerfile-only and archive folders are not services', async () => {
  const { ws, findings } = await analyze(LEDGER);
  const model = ws.model();
  const roots = model.services.services.map((s) => `${s.name}:${s.root}`).sort();
  assert.deepEqual(roots, ['ledger:ledger']);
  assert.ok(model.services.rejected.some((r) => r.folder === 'ops/images'), 'the Dockerfile folder is considered and refused');
  assert.ok(model.services.rejected.some((r) => r.folder === 'archive/old_api'), 'archived code is considered and refused');
  const target = model.targets.find((t) => t.environment === 'staging');
  assert.equal(target?.service?.name, 'ledger');
  assert.equal(target?.deploys[0].certainty, 'declared');
  assert.match(target!.deploys[0].evidence[0], /ops\/images\/ledger\.Dockerfile/);
  const missing = findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => `${f.file}: ${f.message}`);
  // Reported at the deploy, the read related (a token may be a secret kept from an earlier deploy).
  assert.ok(missing.some((m) => m.startsWith('cloudbuild-staging.yaml: ledger (staging) may lack LEDGER_TOKEN')), missing.join('\n'));
  assert.ok(findings.some((f) => f.rule === 'gcp-project-id-unwired' && f.file === 'cloudbuild-staging.yaml' && f.related.some((r) => r.file === 'ledger/main.py')));
  assert.ok(!findings.some((f) => f.message.includes('OLD_KEY')));
});

test('a deploy script\'s directory= names the service folder even without a manifest there', async () => {
  const files = {
    'pyproject.toml': '[project]\nname = "shop"\n',
    'storefront/__init__.py': '',
    'storefront/app.py': 'import os\nSECRET = os.environ["STOREFRONT_SIGNING_KEY"]\n',
    'tools/release.py': [
      'import subprocess',
      'from dataclasses import dataclass, field',
      '',
      '@dataclass',
      'class Svc:',
      '    name: str',
      '    directory: str',
      '    environment_vars: dict = field(default_factory=dict)',
      '',
      'SERVICES = [Svc(name="storefront", directory="storefront", environment_vars={"ENVIRONMENT": "production"})]',
      '',
      'def deploy(svc):',
      '    env = ",".join(f"{k}={v}" for k, v in svc.environment_vars.items())',
      '    subprocess.run(["gcloud", "run", "deploy", f"{svc.name}-prod", "--source", svc.directory, "--set-env-vars", env], check=True)',
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const model = ws.model();
  assert.deepEqual(model.services.services.map((s) => `${s.name}:${s.root}`), ['storefront:storefront']);
  const t = model.targets.find((x) => x.environment === 'production');
  assert.equal(t?.service?.name, 'storefront');
  assert.ok(findings.some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('STOREFRONT_SIGNING_KEY')));
});

test('a build context is the service; the packages inside it are its code, not services of their own', async () => {
  const files = {
    'services/api/requirements.txt': 'flask\n',
    'services/api/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY app ./app\nCMD ["gunicorn", "app.wsgi:application"]\n',
    'services/api/app/__init__.py': '',
    'services/api/app/wsgi.py': 'import os\nX = os.environ["API_KEY_SALT"]\n',
    'deploy.sh': 'docker build -t gcr.io/acme/api services/api\ngcloud run deploy api-production --image gcr.io/acme/api --set-env-vars ENVIRONMENT=production\n',
  };
  const { ws } = await analyze(files);
  const model = ws.model();
  assert.deepEqual(model.services.services.map((s) => `${s.name}:${s.root}`), ['api:services/api']);
  assert.equal(model.targets[0]?.service?.root, 'services/api');
});

test('a monorepo app built with `-f apps/server/Dockerfile .` that copies the whole repository ships that app, and each app\'s Cloud Build deploys the image its own file builds', async () => {
  const app = (name: string) => ({
    [`apps/${name}/package.json`]: `{ "name": "@acme/${name}" }\n`,
    [`apps/${name}/src/index.ts`]: `export const token = process.env.${name.toUpperCase()}_TOKEN!;\n`,
    [`apps/${name}/Dockerfile`]: `FROM node:20-alpine\nWORKDIR /app\nCOPY ./ ./\nRUN yarn install && yarn build:${name}\nCMD ["yarn", "start:${name}"]\n`,
    // Both files build and deploy an image written the same way; the substitutions differ.
    [`apps/${name}/cloudbuild.yaml`]: [
      'steps:',
      '  - name: gcr.io/cloud-builders/docker',
      `    args: ['build', '-t', '\${_REGISTRY}/\${_COMPONENT}:$SHORT_SHA', '-f', './apps/${name}/Dockerfile', '.']`,
      '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
      '    entrypoint: gcloud',
      `    args: ['run', 'deploy', '\${_COMPONENT}', '--image', '\${_REGISTRY}/\${_COMPONENT}:$SHORT_SHA', '--region', 'europe-west1', '--set-env-vars', 'NODE_ENV=production']`,
      '',
    ].join('\n'),
  });
  const files = {
    'package.json': '{ "name": "acme", "private": true, "workspaces": ["apps/*"] }\n',
    'migrations/cli.ts': 'export const uri = process.env.MIGRATE_MONGO_URI!;\n',
    ...app('server'),
    ...app('client'),
  };
  const { ws, findings } = await analyze(files);
  const model = ws.model();
  const linked = model.targets.map((t) => [t.deploys[0].file, t.service?.root]).sort();
  assert.deepEqual(linked, [['apps/client/cloudbuild.yaml', 'apps/client'], ['apps/server/cloudbuild.yaml', 'apps/server']]);
  assert.match(model.targets.find((t) => t.service?.root === 'apps/server')!.deploys[0].evidence.join(' '), /from the project apps\/server it sits in/);
  // Each app is checked against its own deploy; the root's migration tool is no app's.
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => [f.file, f.message.match(/\b[A-Z_]+_(TOKEN|URI)\b/)?.[0]]).sort(), [
    ['apps/client/cloudbuild.yaml', 'CLIENT_TOKEN'], ['apps/server/cloudbuild.yaml', 'SERVER_TOKEN'],
  ]);
});

test('a root Dockerfile that copies everything ships the root service beside a client package; a folder copied first for a dependency layer is not the service', async () => {
  const files = {
    'package.json': '{ "name": "notes", "scripts": { "start": "node dist/server/index.js" } }\n',
    'server/index.ts': 'const project = process.env.NOTES_GCP_PROJECT;\nif (!project) throw new Error("NOTES_GCP_PROJECT is not set");\nexport const p = project;\n',
    'prisma/seed.ts': 'export const seed = 1;\n',
    'client/package.json': '{ "name": "notes-client" }\n',
    'client/src/main.ts': 'export const x = 1;\n',
    'Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nCOPY prisma ./prisma\nRUN npm install\nCOPY . .\nRUN npm run build\nCMD ["npm", "start"]\n',
    'cloudbuild.yaml': [
      'steps:',
      '  - name: gcr.io/cloud-builders/docker',
      "    args: ['build', '-t', 'gcr.io/$PROJECT_ID/notes:$SHORT_SHA', '.']",
      '  - name: gcr.io/cloud-builders/gcloud',
      "    args: ['run', 'deploy', 'notes', '--image', 'gcr.io/$PROJECT_ID/notes:$SHORT_SHA', '--region', 'us-central1', '--set-env-vars', 'NODE_ENV=production']",
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const model = ws.model();
  const roots = model.services.services.map((s) => `${s.root || '.'}`).sort();
  assert.deepEqual(roots, ['.', 'client']);
  const target = model.targets.find((t) => t.service);
  assert.equal(target?.service?.root, '');
  assert.match(target!.deploys[0].evidence[0], /copies its context/);
  assert.ok(findings.some((f) => f.rule === 'env-unset-for-deploy' && (f.file === 'server/index.ts' || f.related.some((r) => r.file === 'server/index.ts'))),
    findings.map((f) => `${f.rule} ${f.file}: ${f.message}`).join('\n'));
});

test('a deployed name matching a service elsewhere is not a link when a folder of that name sits beside the deploy', async () => {
  const files = {
    'samples/chat/backend/requirements.txt': 'flask\n',
    'samples/chat/backend/app.py': 'import os\nINDEX = os.environ["CHAT_INDEX_ID"]\n',
    // Another sample: its own backend in Go (code we do not read), deployed by Terraform by name.
    'demos/regions/backend/main.go': 'package main\nfunc main() {}\n',
    'demos/regions/backend/Dockerfile': 'FROM golang:1.22\nCOPY . .\nCMD ["/app"]\n',
    'demos/regions/terraform/main.tf': [
      'resource "google_cloud_run_v2_service" "backend" {',
      '  name     = "regions-backend"',
      '  location = "us-central1"',
      '  template {',
      '    containers {',
      '      image = "us-docker.pkg.dev/acme/demo/regions-backend"',
      '      env {',
      '        name  = "BUCKET_NAME"',
      '        value = "regions-data"',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), []);
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'demos/regions/terraform/main.tf'))!;
  assert.equal(t.service, undefined);
  assert.equal(t.deploys[0].evidence[0], 'not linked: image "us-docker.pkg.dev/acme/demo/regions-backend" names backend, but demos/regions/backend beside the deploy is another folder of that name');
  // The same deploy with no such folder beside it is still linked by its name.
  const { 'demos/regions/backend/main.go': _g, 'demos/regions/backend/Dockerfile': _d, ...rest } = files;
  const linked = await analyze(rest);
  assert.ok(linked.findings.some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('CHAT_INDEX_ID')));
});

test('a deploy script\'s `docker build .` builds where a Dockerfile is: an image that copies no code ships no service', async () => {
  // scripts/deploy.sh is run from the root: its context is the root, whose Dockerfile is a proxy
  // image (a config file and nothing else). Nothing of the web app ships, so nothing is checked.
  const files = {
    'package.json': '{ "name": "web", "scripts": { "start": "next start" } }\n',
    'src/lib/search.ts': 'export const key = process.env.SEARCH_API_KEY!;\n',
    'Dockerfile': 'FROM redis:7-alpine\nCOPY proxy.conf /usr/local/etc/redis/redis.conf\nCMD ["redis-server", "/usr/local/etc/redis/redis.conf"]\n',
    'proxy.conf': 'port 6379\n',
    'scripts/helper.ts': 'export const x = 1;\n',
    'scripts/deploy.sh': '#!/bin/bash\nset -e\ndocker build -t gcr.io/acme/web .\ngcloud run deploy web --image gcr.io/acme/web --region us-central1 --set-env-vars NODE_ENV=production\n',
  };
  const quiet = await analyze(files);
  const target = quiet.ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'scripts/deploy.sh'));
  assert.equal(target?.service, undefined, target?.deploys[0].evidence.join('; '));
  assert.deepEqual(quiet.findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), []);
  // Control: the root Dockerfile copies the app: the same deploy ships the root service.
  const loud = await analyze({ ...files, 'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n' });
  const linked = loud.ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'scripts/deploy.sh'));
  assert.equal(linked?.service?.root, '');
  assert.ok(loud.findings.some((f) => f.rule === 'env-unset-for-deploy' && /SEARCH_API_KEY/.test(f.message)), loud.findings.map((f) => f.message).join('\n'));
});

test('a build whose context we cannot read is not taken for `.`: the root\'s proxy Dockerfile says nothing about it', async () => {
  // The script builds `$(cd "$(dirname "$0")/.." && pwd)/web`; the root holds an unrelated proxy
  // image. Read as `.`, the deploy would ship no code and be linked to nothing.
  const files = {
    'web/package.json': '{ "name": "web" }\n',
    'web/src/search.ts': 'export const key = process.env.SEARCH_API_KEY!;\n',
    'web/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
    'Dockerfile': 'FROM redis:7-alpine\nCOPY proxy.conf /usr/local/etc/redis/redis.conf\n',
    'deploy/deploy_web.sh': '#!/bin/bash\nSRC="$(cd "$(dirname "$0")/.." && pwd)/web"\ngcloud builds submit "$SRC" --tag gcr.io/acme/web\ngcloud run deploy web --image gcr.io/acme/web --set-env-vars NODE_ENV=production\n',
  };
  const { ws } = await analyze(files);
  const target = ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'deploy/deploy_web.sh'));
  assert.equal(target?.service?.name, 'web', target?.deploys[0].evidence.join('; '));
  assert.ok(!target!.deploys[0].evidence.some((e) => /copies no code/.test(e)));
});

test('an image that is only a variable ("$image") is matched with builds in its own script, never another script\'s "$image"', async () => {
  const script = (dir: string) => `#!/bin/bash\nimage="$REGION-docker.pkg.dev/$PROJECT/apps/$NAME:$(date +%s)"\ndocker build -t "$image" ${dir}\ndeploy_cmd=(gcloud run deploy "$NAME" --image "$image")\n"\${deploy_cmd[@]}"\n`;
  const files = {
    'ledger/requirements.txt': 'fastapi\n', 'ledger/app.py': 'import os\nKEY = os.environ["LEDGER_KEY"]\n',
    'billing/requirements.txt': 'fastapi\n', 'billing/app.py': 'import os\nKEY = os.environ["BILLING_KEY"]\n',
    'ledger/deploy.sh': script('ledger'),
    'billing/deploy.sh': script('billing'),
  };
  const { ws } = await analyze(files);
  const owner = (file: string) => ws.model().targets.find((t) => t.deploys.some((d) => d.file === file))?.service?.name;
  assert.equal(owner('ledger/deploy.sh'), 'ledger');
  assert.equal(owner('billing/deploy.sh'), 'billing');
});

test('a deployed name ending in a role word (`-service`, `-svc`) names the service before it', async () => {
  const files = {
    'backend/requirements.txt': 'fastapi\n',
    'backend/app/config.py': 'import os\n\nSECRET = os.environ["SESSION_SECRET"]\n',
    'frontend/package.json': '{ "name": "frontend" }\n',
    'terraform/main.tf': [
      'resource "google_cloud_run_v2_service" "backend" {',
      '  name     = "backend-service"',
      '  location = "us-central1"',
      '  template {',
      '    containers {',
      '      image = var.image',
      '      env {',
      '        name  = "LOG_LEVEL"',
      '        value = "info"',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const t = ws.model().targets[0];
  assert.equal(t.service?.name, 'backend');
  assert.equal(t.deploys[0].evidence[0], 'deployed name "backend-service" names backend');
  assert.ok(findings.some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('SESSION_SECRET')));
  // Another word after the name is no role: `backend-services` names nothing.
  const other = await analyze({ ...files, 'terraform/main.tf': files['terraform/main.tf'].replace('backend-service"', 'backend-services"') });
  assert.equal(other.ws.model().targets[0].service, undefined);
});

test('a setup.py inside a package is one of its modules, not a project root: the project root stays the service', async () => {
  const files = {
    'pyproject.toml': '[project]\nname = "helpdesk"\n',
    'src/helpdesk/__init__.py': '',
    'src/helpdesk/settings.py': 'import os\n\nTOKEN = os.environ["HELPDESK_TOKEN"]\n',
    'src/helpdesk/tracing/__init__.py': '',
    'src/helpdesk/tracing/setup.py': 'import logging\n\n\ndef setup_tracing():\n    logging.getLogger(__name__).info("tracing on")\n',
    'cloudbuild.yaml': "steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: ['run', 'deploy', 'helpdesk', '--source', '.', '--set-env-vars', 'LOG_LEVEL=info']\n",
  };
  const { ws, findings } = await analyze(files);
  const model = ws.model();
  assert.deepEqual(model.services.services.map((s) => s.root), ['']);
  assert.ok(findings.some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('HELPDESK_TOKEN')));
  // A setup.py with no __init__.py beside it is a project's own: it marks a root.
  const { 'src/helpdesk/tracing/__init__.py': _i, ...standalone } = files;
  assert.ok((await analyze(standalone)).ws.model().services.services.some((s) => s.root === 'src/helpdesk/tracing'));
});

test('a root build whose Dockerfile runs `node apps/api/dist/server.js` ships apps/api (the deepest code folder on the path), not apps', async () => {
  const files = {
    'package.json': '{ "name": "mono", "private": true }\n',
    'apps/api/package.json': '{ "name": "@mono/api" }\n',
    'apps/api/src/server.ts': 'export const url = process.env.BILLING_DATABASE_URL!.trim();\n',
    'apps/web/package.json': '{ "name": "@mono/web" }\n',
    'apps/web/src/index.ts': 'export const api = process.env.WEB_API_URL ?? "/api";\n',
    'apps/api/Dockerfile': 'FROM node:22-slim\nWORKDIR /app\nCOPY apps/api/package.json apps/api/\nCOPY apps/api/src apps/api/src\nRUN npm run build\nCMD ["node", "apps/api/dist/server.js"]\n',
    'cloudbuild.yaml': "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/acme-prod/api:latest', '-f', 'apps/api/Dockerfile', '.']\n",
    'apps/api/service.yaml': [
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata:',
      '  name: api-prod',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - image: gcr.io/acme-prod/api:latest',
      '          env:',
      '            - name: ENVIRONMENT',
      '              value: production',
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const model = ws.model();
  const target = model.targets.find((t) => t.deploys.some((d) => d.file === 'apps/api/service.yaml'));
  assert.equal(target?.service?.root, 'apps/api');
  assert.match(target!.deploys[0].evidence[0], /runs apps\/api\/dist\/server\.js/);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message.split(',')[0]), ['api (production) is deployed without BILLING_DATABASE_URL']);
});

test('a Dockerfile copying the whole packages folder (`COPY packages/ packages/`) and running `node packages/worker/dist/index.js` ships packages/worker, not packages', async () => {
  const dockerfile = (pkg: string): string => `FROM node:22-slim\nWORKDIR /app\nCOPY package.json ./\nCOPY packages/ packages/\nRUN npx turbo build\nCMD ["node", "packages/${pkg}/dist/index.js"]\n`;
  const knative = (name: string, image: string): string => [
    'apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', `  name: ${name}`, 'spec:', '  template:', '    spec:', '      containers:',
    `        - image: gcr.io/acme-prod/${image}:latest`, '          env:', '            - name: NODE_ENV', '              value: production', '',
  ].join('\n');
  const files = {
    'package.json': '{ "name": "mono", "private": true, "workspaces": ["packages/*"] }\n',
    'packages/worker/package.json': '{ "name": "@mono/worker" }\n',
    'packages/worker/src/index.ts': 'export const q = process.env.QUEUE_URL!.trim();\n',
    'packages/scheduler/package.json': '{ "name": "@mono/scheduler" }\n',
    'packages/scheduler/src/index.ts': 'export const c = process.env.CRON_TOKEN!.trim();\n',
    'docker/Dockerfile.worker': dockerfile('worker'),
    'docker/Dockerfile.scheduler': dockerfile('scheduler'),
    'cloudbuild.yaml': ['steps:',
      "  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/acme-prod/worker:latest', '-f', 'docker/Dockerfile.worker', '.']",
      "  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/acme-prod/scheduler:latest', '-f', 'docker/Dockerfile.scheduler', '.']", ''].join('\n'),
    'deploy/worker.yaml': knative('worker-prod', 'worker'),
    'deploy/scheduler.yaml': knative('scheduler-prod', 'scheduler'),
  };
  const { ws, findings } = await analyze(files);
  const model = ws.model();
  const rootOf = (file: string): string | undefined => model.targets.find((t) => t.deploys.some((d) => d.file === file))?.service?.root;
  assert.equal(rootOf('deploy/worker.yaml'), 'packages/worker');
  assert.equal(rootOf('deploy/scheduler.yaml'), 'packages/scheduler');
  assert.ok(!model.services.services.some((s) => s.root === 'packages'), 'packages is no service');
  // Each deploy is asked for its own package's needs only.
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message.split(',')[0]).sort(), [
    'scheduler (production) is deployed without CRON_TOKEN', 'worker (production) is deployed without QUEUE_URL',
  ]);
});

test('a deploy naming its project (`gcr.io/acme-prod/api`) runs the image a Cloud Build file names by its own project (`gcr.io/$PROJECT_ID/api`)', async () => {
  const files = (deployImage: string): Record<string, string> => ({
    'package.json': '{ "name": "api", "scripts": { "start": "node dist/server.js" } }\n',
    'src/server.ts': 'export const k = process.env.LEDGER_TOKEN!.trim();\n',
    'deploy/Dockerfile': 'FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD ["npm", "start"]\n',
    'deploy/cloudbuild.api.yaml': "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/$PROJECT_ID/ledger-api', '-f', 'deploy/Dockerfile', '.']\nimages:\n  - gcr.io/$PROJECT_ID/ledger-api\n",
    'deploy/deploy.sh': `#!/usr/bin/env bash\nset -euo pipefail\nPROJECT_ID="acme-prod"\ncd "$(dirname "$0")/.."\ngcloud builds submit --config deploy/cloudbuild.api.yaml .\ngcloud run deploy ledger-api --image "${deployImage}" --project "$PROJECT_ID" --set-env-vars NODE_ENV=production\n`,
  });
  const { ws, findings } = await analyze(files('gcr.io/${PROJECT_ID}/ledger-api'));
  const target = ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'deploy/deploy.sh'));
  assert.equal(target?.service?.root, '');
  assert.ok(findings.some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('LEDGER_TOKEN')));
  assert.match(target!.deploys[0]!.evidence.join(' '), /image built by deploy\/cloudbuild\.api\.yaml/);
  // Another image name is no build of this one.
  const other = (await analyze(files('gcr.io/${PROJECT_ID}/ledger-web'))).ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'deploy/deploy.sh'));
  assert.doesNotMatch(other!.deploys[0]!.evidence.join(' '), /image built by/);
});

test('a deployed name that is one variable (`${BACKEND_SERVICE_NAME}`) names the service its variable names, as a guess; `${SERVICE_NAME}` names none', async () => {
  const knative = (name: string) => [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - image: \${REGISTRY}/weather/${name}:\${CI_COMMIT_SHA}`,
    '          env:',
    '            - name: ENVIRONMENT',
    '              value: production',
    '',
  ].join('\n');
  const files = {
    'backend/requirements.txt': 'flask\n',
    'backend/app.py': 'import os\nTOKEN = os.environ["STATION_TOKEN"].strip()\n',
    'frontend/requirements.txt': 'django\n',
    'frontend/app.py': 'import os\nKEY = os.environ["PAGE_KEY"].strip()\n',
    'deploy/backend.yaml': knative('${BACKEND_SERVICE_NAME}'),
    'deploy/other.yaml': knative('${SERVICE_NAME}'),
    'deploy/app.yaml': knative('${APP_NAME}'),
  };
  const { ws, findings } = await analyze(files);
  const model = ws.model();
  const linked = model.targets.find((t) => t.deploys.some((d) => d.file === 'deploy/backend.yaml'));
  assert.equal(linked?.service?.name, 'backend');
  assert.equal(linked?.deploys[0].certainty, 'inferred');
  assert.match(linked!.deploys[0].evidence[0], /deployed name "\$\{BACKEND_SERVICE_NAME\}" names backend/);
  assert.equal(model.targets.find((t) => t.deploys.some((d) => d.file === 'deploy/other.yaml'))?.service, undefined);
  assert.equal(model.targets.find((t) => t.deploys.some((d) => d.file === 'deploy/app.yaml'))?.service, undefined);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => `${f.severity} ${f.message}`),
    ['warning backend (production) is deployed without STATION_TOKEN, which backend/app.py reads (deploy linked by name)']);
});

test('a tooling folder with a manifest of its own (scripts/notion/package.json) is a project of its own: its reads are no enclosing service\'s, even where the image copies it', async () => {
  const files = {
    'package.json': '{ "name": "web", "scripts": { "start": "node server.js" } }\n',
    'server.js': 'const key = process.env.WEB_SIGNING_KEY.trim();\nmodule.exports = { key };\n',
    'scripts/notion/package.json': '{ "name": "notion-sync" }\n',
    'scripts/notion/sync.js': 'const token = process.env.NOTION_TOKEN.trim();\nmodule.exports = { token };\n',
    'scripts/helpers/report.js': 'const hook = process.env.REPORT_HOOK.trim();\nmodule.exports = { hook };\n',
    // A Python project's manifest makes a project of the folder's Python files only.
    'scripts/helpers/requirements.txt': 'requests\n',
    'scripts/helpers/analyze.py': 'import os\nKEY = os.environ["ANALYZE_KEY"].strip()\n',
    // A tooling folder a deploy ships is not set apart (it is refused as a service, as before).
    'scripts/cron/package.json': '{ "name": "cron" }\n',
    'scripts/cron/index.js': 'const cron = process.env.CRON_TOKEN.trim();\nmodule.exports = { cron };\n',
    'deploy-cron.sh': 'gcloud run deploy cron-prod --source scripts/cron --set-env-vars ENVIRONMENT=production\n',
    'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
    'deploy.sh': 'gcloud run deploy web-prod --source . --set-env-vars ENVIRONMENT=production\n',
  };
  const { ws, findings } = await analyze(files);
  assert.equal(ws.model().services.ownerOf('scripts/notion/sync.js'), undefined);
  const root = ws.model().services.ownerOf('server.js');
  assert.ok(root);
  assert.equal(ws.model().services.ownerOf('scripts/helpers/report.js'), root);
  assert.equal(ws.model().services.ownerOf('scripts/helpers/analyze.py'), undefined);
  assert.equal(ws.model().services.ownerOf('scripts/cron/index.js'), root);
  const names = findings.filter((f) => f.rule === 'env-unset-for-deploy').flatMap((f) => f.messageId === 'deployWithoutKeepsMany'
    ? f.related.map((r) => /^(\w+) /.exec(r.message)?.[1]) : [/(?:without|lack) (\w+)/.exec(f.message)?.[1]]).sort();
  // A module of the script folder that no manifest of its language claims is judged as before (a
  // library module nothing is seen loading stays the service's).
  assert.deepEqual(names, ['CRON_TOKEN', 'REPORT_HOOK', 'WEB_SIGNING_KEY']);
});

test('a build whose named Dockerfile is not in the repository: the Dockerfile beside it says what the image holds, else the root it builds; either way a guess', async () => {
  const files = {
    'pyproject.toml': '[project]\nname = "clinic"\n',
    'backend/__init__.py': '',
    'backend/main.py': 'import os\nVOICE_KEY = os.environ["VOICE_KEY"]\n',
    'studio/package.json': '{ "name": "studio" }\n',
    'studio/src/index.ts': 'export const tracer = process.env.STUDIO_TRACE_KEY!.trim();\n',
    'cloudbuild.yaml': [
      'steps:',
      '  - name: gcr.io/cloud-builders/docker',
      '    args: ["build", "-t", "europe-docker.pkg.dev/$PROJECT_ID/clinic/app:$SHORT_SHA", "-f", "Dockerfile.cloudrun", "."]',
      '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
      '    entrypoint: gcloud',
      '    args: ["run", "deploy", "clinic", "--image", "europe-docker.pkg.dev/$PROJECT_ID/clinic/app:$SHORT_SHA", "--set-env-vars", "APP_ENV=production"]',
      '',
    ].join('\n'),
  };
  // No Dockerfile at all: the root it builds.
  {
    const { ws, findings } = await analyze(files);
    const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'cloudbuild.yaml'));
    assert.equal(t?.service?.root, '');
    assert.match(t!.deploys[0].evidence[0], /Dockerfile\.cloudrun is not in the repository/);
    assert.equal(t!.deploys[0].certainty, 'inferred');
    assert.equal(ws.model().services.ownerOf('studio/src/index.ts')?.root, 'studio');
    assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), [
      'workspace (production) is deployed without VOICE_KEY, which backend/main.py reads (deploy linked through its build context, the Dockerfile it names being missing)',
    ]);
  }
  // The context's own Dockerfile runs the backend package.
  {
    const dockerfile = 'FROM python:3.12\nWORKDIR /app\nCOPY backend/ ./backend/\nCMD ["uvicorn", "backend.main:app"]\n';
    const { ws } = await analyze({ ...files, 'Dockerfile': dockerfile });
    const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'cloudbuild.yaml'));
    assert.equal(t?.service?.root, 'backend');
    assert.match(t!.deploys[0].evidence[0], /Dockerfile\.cloudrun is not in the repository; Dockerfile beside it runs backend\.main/);
    assert.equal(t!.deploys[0].certainty, 'inferred');
  }
});

test('a Knative service file in a service\'s own folder describes that service when its name and image are variables', async () => {
  const knative = (key: string) => [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: ${CLOUD_RUN_SERVICE_NAME}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - image: ${CONTAINER_IMAGE}',
    '          env:',
    `            - name: ${key}`,
    "              value: '${VALUE}'",
    '',
  ].join('\n');
  const files = {
    'package.json': '{ "name": "mono", "private": true }\n',
    'apps/api/package.json': '{ "name": "api" }\n',
    'apps/api/src/main.ts': 'export const a = process.env.API_KEY!.trim();\nexport const b = process.env.API_DB_URL!.trim();\n',
    'apps/api/service.yaml': knative('API_KEY'),
    'apps/web/package.json': '{ "name": "web" }\n',
    'apps/web/src/main.ts': 'export const c = process.env.WEB_ORIGIN!.trim();\n',
    'apps/web/service.yaml': knative('WEB_ORIGIN'),
  };
  const { ws, findings } = await analyze(files);
  const owner = (f: string) => ws.model().targets.find((t) => t.deploys.some((d) => d.file === f))?.service?.root;
  assert.equal(owner('apps/api/service.yaml'), 'apps/api');
  assert.equal(owner('apps/web/service.yaml'), 'apps/web');
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), [
    'api (default) is deployed without API_DB_URL, which apps/api/src/main.ts reads (deploy linked by the folder it sits in)',
  ]);
});

test('`COPY backend/ .` then `uvicorn api.main:app` runs backend/api, not a root api/ folder the image never receives', async () => {
  const files = {
    'requirements.txt': 'fastapi\n',
    'api/transcribe.py': 'import os\nKEY = os.environ["EDGE_FUNCTION_KEY"]\n',
    'backend/requirements.txt': 'fastapi\n',
    'backend/api/__init__.py': '',
    'backend/api/main.py': 'import os\nBUCKET = os.environ["UPLOAD_BUCKET"]\n',
    'Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY backend/requirements.txt .\nRUN pip install -r requirements.txt\nCOPY backend/ .\nCMD exec uvicorn api.main:app --host 0.0.0.0 --port $PORT\n',
    'deploy.sh': 'gcloud run deploy transcriber --source . --set-env-vars ENVIRONMENT=production\n',
  };
  const { ws, findings } = await analyze(files);
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'deploy.sh'));
  assert.equal(t?.service?.root, 'backend');
  assert.match(t!.deploys[0].evidence[0], /runs api\.main from backend/);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), [
    'backend (production) is deployed without UPLOAD_BUCKET, which backend/api/main.py reads',
  ]);
});

test('the workspace root beside a folder of the workspace\'s own name gets a name of its own, never a blank one', async () => {
  const files = {
    'pyproject.toml': '[project]\nname = "ledger"\n',
    'Dockerfile.app': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["python", "serve.py"]\n',
    'serve.py': 'import os\nREGION = os.environ["SERVE_REGION"]\n',
    'workspace/setup.py': 'from setuptools import setup\nsetup(name="inner")\n',
    'workspace/inner/__init__.py': 'import os\nINNER = os.environ["INNER_KEY"]\n',
    'docker-compose.yml': 'services:\n  inner:\n    build:\n      context: workspace\n',
    'build.sh': 'docker build -f Dockerfile.app -t europe-docker.pkg.dev/p/r/ledger:1 .\ngcloud run deploy ledger-prod --image europe-docker.pkg.dev/p/r/ledger:1 --set-env-vars APP=1\n',
  };
  const { ws, findings } = await analyze(files);
  const names = ws.model().services.services.map((s) => [s.name, s.root]);
  assert.ok(names.every(([n]) => n !== ''), JSON.stringify(names));
  assert.deepEqual(names.find(([, r]) => r === ''), ['workspace-root', '']);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), [
    'workspace-root (production) is deployed without SERVE_REGION, which serve.py reads',
  ]);
});

test('a deployed image or name that begins a service\'s folder name (`backend` for `backend_django`) links to it, after any exact name', async () => {
  const knative = (image: string) => [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: rdl-backend',
    '  labels:',
    '    environment: production',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - image: ${image}`,
    '          env:',
    '            - name: DEBUG',
    '              value: "False"',
    '',
  ].join('\n');
  const files = {
    'backend_django/requirements.txt': 'django\n',
    'backend_django/config/settings.py': 'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n',
    'frontend/package.json': '{ "name": "frontend" }\n',
    'frontend/src/main.ts': 'export const api = process.env.API_URL!.trim();\n',
    'cloudrun/service.yaml': knative('europe-docker.pkg.dev/acme/rdl/backend:1'),
  };
  const { ws } = await analyze(files);
  const owner = (f: string, w = ws) => w.model().targets.find((t) => t.deploys.some((d) => d.file === f))?.service?.root;
  assert.equal(owner('cloudrun/service.yaml'), 'backend_django');
  // A service of the very name wins over one the name only begins.
  const exact = await analyze({ ...files, 'backend/requirements.txt': 'flask\n', 'backend/app.py': 'import os\nTOKEN = os.environ["API_TOKEN"]\n' });
  assert.equal(owner('cloudrun/service.yaml', exact.ws), 'backend');
});

test('a Cloud Build file in a folder naming its Dockerfile from the workspace root builds from the root: its `.` is the root', async () => {
  const files = {
    'package.json': '{ "name": "mono", "workspaces": ["services/*"] }\n',
    'services/api/package.json': '{ "name": "api" }\n',
    'services/api/src/config.ts': 'export const key = process.env.SEARCH_API_KEY!;\n',
    'services/api/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "services/api/dist/index.js"]\n',
    'cloudbuild/README.md': 'Build files.\n',
    'cloudbuild/api.yaml': [
      'steps:',
      '  - name: gcr.io/cloud-builders/docker',
      '    args: ["build", "-f", "services/api/Dockerfile", "-t", "gcr.io/acme/api:latest", "."]',
      '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
      '    entrypoint: gcloud',
      '    args: ["run", "deploy", "api", "--image", "gcr.io/acme/api:latest", "--set-env-vars", "NODE_ENV=production"]',
      '',
    ].join('\n'),
  };
  const { ws } = await analyze(files);
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'cloudbuild/api.yaml'))!;
  assert.ok(t.service, t.deploys[0].evidence.join('; '));
  assert.doesNotMatch(t.deploys[0].evidence.join('; '), /copies no code/);
  // A Dockerfile named from the build file's own folder keeps the context there.
  const beside = await analyze({ ...files, 'cloudbuild/services/api/Dockerfile': 'FROM redis:7\nCOPY redis.conf /etc/redis.conf\n' });
  const b = beside.ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'cloudbuild/api.yaml'))!;
  assert.match(b.deploys[0].evidence.join('; '), /copies no code/);
});

test('`--source .` in a deploy script kept in scripts/ ships the root (the script is run from there), so the root Dockerfile says what runs', async () => {
  const files = {
    'package.json': JSON.stringify({ name: 'relay', type: 'module', scripts: { start: 'node src/server.mjs', release: './scripts/release.sh' } }),
    'Dockerfile': 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json ./\nCOPY src ./src\nCMD ["node", "src/server.mjs"]\n',
    'src/server.mjs': "const token = process.env.RELAY_TOKEN;\nif (!token) throw new Error('RELAY_TOKEN is required');\nexport const region = process.env.RELAY_REGION ?? 'eu';\n",
    // A probe run by hand, which the image never holds.
    'scripts/probe/check-quota.mjs': "const key = process.env.QUOTA_API_KEY;\nif (!key) throw new Error('QUOTA_API_KEY is required');\n",
    'scripts/release.sh': '#!/usr/bin/env bash\ngcloud run deploy relay --project acme-prod --region europe-west1 --source . --set-env-vars "APP_MODE=production"\n',
  };
  const { findings } = await analyze(files);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => /(?:without|lack) (\w+)/.exec(f.message)?.[1]).sort(), ['RELAY_TOKEN']);
  // The same script at the root reads the same.
  const { 'scripts/release.sh': script, ...rest } = files;
  const { findings: atRoot } = await analyze({ ...rest, 'release.sh': script });
  assert.deepEqual(atRoot.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => /(?:without|lack) (\w+)/.exec(f.message)?.[1]).sort(), ['RELAY_TOKEN']);
});

test('a root service whose Dockerfile builds a front-end in a first stage and runs tests in another: the image runs the last stage, from the root', async () => {
  const files = {
    'pyproject.toml': '[project]\nname = "rates"\ndependencies = ["fastapi"]\n',
    'server.py': 'from fastapi import FastAPI\nfrom rates.feed import pull\napp = FastAPI()\n',
    'rates/__init__.py': '',
    'rates/feed.py': 'import os\nTOKEN = os.environ["RATES_FEED_TOKEN"]\ndef pull():\n    return TOKEN\n',
    'web/package.json': '{ "name": "web", "scripts": { "build": "next build" } }\n',
    'web/app/page.tsx': 'export default function Page() { return null; }\n',
    'Dockerfile': [
      'FROM node:20-slim AS assets', 'WORKDIR /web', 'COPY web/ .', 'RUN npm ci && npm run build',
      'FROM python:3.12-slim AS base', 'WORKDIR /srv', 'COPY . .', 'COPY --from=assets /web/out /srv/static',
      'FROM base AS check', 'CMD ["python", "-m", "pytest"]',
      'FROM base AS release', 'CMD ["uvicorn", "server:app", "--port", "8080"]', '',
    ].join('\n'),
    'deploy.sh': 'docker build -t europe-docker.pkg.dev/acme/apps/rates:1 .\ngcloud run deploy rates --image europe-docker.pkg.dev/acme/apps/rates:1 --region europe-west1 --set-env-vars APP_MODE=production\n',
  };
  const { findings } = await analyze(files);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => [f.file, /(?:without|lack) (\w+)/.exec(f.message)?.[1]]), [['deploy.sh', 'RATES_FEED_TOKEN']]);
});

test('a build to a named stage (`--target api`) runs that stage\'s command: the module graph starts there', async () => {
  const files = {
    'requirements.txt': 'fastapi\n',
    'svc/__init__.py': '',
    'svc/api.py': 'from fastapi import FastAPI\nfrom svc import store\napp = FastAPI()\n',
    'svc/store.py': 'import os\nBUCKET = os.environ["STORE_BUCKET"]\n',
    'svc/worker.py': 'import os\nQUEUE = os.environ["WORKER_QUEUE"]\n',
    'Dockerfile': [
      'FROM python:3.12-slim AS base', 'WORKDIR /app', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt', 'COPY svc/ ./svc/',
      'FROM base AS api', 'CMD ["uvicorn", "svc.api:app"]',
      'FROM base AS worker', 'CMD ["python", "-m", "svc.worker"]', '',
    ].join('\n'),
    'deploy.sh': 'docker build --target api -t europe-docker.pkg.dev/acme/apps/svc:1 .\ngcloud run deploy svc --image europe-docker.pkg.dev/acme/apps/svc:1 --region europe-west1 --set-env-vars APP_MODE=production\n',
  };
  const lacks = async (f: Record<string, string>) => (await analyze(f)).findings.filter((x) => x.rule === 'env-unset-for-deploy').map((x) => /(?:without|lack) (\w+)/.exec(x.message)?.[1]).sort();
  assert.deepEqual(await lacks(files), ['STORE_BUCKET']);
  // Built to the last stage, the worker runs.
  assert.deepEqual(await lacks({ ...files, 'deploy.sh': files['deploy.sh'].replace('--target api ', '') }), ['WORKER_QUEUE']);
});

test('one image variable built twice in a file (a backend step, then a frontend step with its own Dockerfile): each deploy runs the image the last build before it made', async () => {
  const step = (dir: string, build: string, service: string): string[] => [
    `      - working-directory: ./${dir}`,
    '        run: |',
    `          SERVICE="${service}"`,
    '          IMAGE="europe-docker.pkg.dev/acme/apps/${SERVICE}:${{ github.sha }}"',
    `          docker build ${build}-t "\${IMAGE}" .`,
    '          gcloud run deploy "${SERVICE}" --image "${IMAGE}" --region europe-west1 --set-env-vars "ENVIRONMENT=preview"',
  ];
  const files = {
    'backend/requirements.txt': 'fastapi\n',
    'backend/main.py': 'import os\nimport uvicorn\nKEY = os.environ["PARTNER_KEY"]\n',
    'backend/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "main.py"]\n',
    'frontend/package.json': '{"name": "web", "scripts": {"start": "node server.js"}}\n',
    'frontend/server.js': 'const port = process.env.PORT;\n',
    'frontend/Dockerfile.staging': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
    '.github/workflows/preview.yml': ['on: pull_request', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:',
      ...step('backend', '', 'shop-api'), ...step('frontend', '-f Dockerfile.staging ', 'shop-web'), ''].join('\n'),
  };
  const model = (await analyze(files)).ws.model();
  const linked = model.targets.map((t) => `${t.serviceName}: ${t.deploys.map((d) => d.runs?.join(',') ?? '?').join(' ')}`).sort();
  assert.deepEqual(linked, ['backend: main.py', 'frontend: server.js']);
});

test('an image running a bundle (`node dist/server.cjs`, built by `esbuild server.ts --format=cjs`) runs server.ts: a handler bundled for another host is not its code', async () => {
  const files = {
    'package.json': '{ "name": "site", "scripts": { "build": "esbuild server.ts --bundle --platform=node --format=cjs --outfile=dist/server.cjs && esbuild api/handler.ts --bundle --outfile=api/index.js" } }\n',
    'server.ts': 'import express from "express";\nimport { key } from "./src/keys";\nconst app = express();\napp.listen(Number(process.env.PORT ?? 8080));\nexport const k = key;\n',
    'src/keys.ts': 'export const key = process.env.APP_KEY!;\n',
    'api/index.js': 'export default function handler() { return process.env.EDGE_ONLY_TOKEN.trim(); }\n',
    'Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["node", "dist/server.cjs"]\n',
    'deploy.sh': 'gcloud run deploy site --source . --region europe-west1 --set-env-vars NODE_ENV=production\n',
  };
  const lacks = async (f: Record<string, string>) => (await analyze(f)).findings.filter((x) => x.rule === 'env-unset-for-deploy').map((x) => /(?:without|lack) (\w+)/.exec(x.message)?.[1]).sort();
  assert.deepEqual(await lacks(files), ['APP_KEY']);
  // Look-alike: Nitro's `.output/server/index.mjs` bundles a whole `server/` folder of routes, so a
  // `server/index.ts` is not taken for the program: every read of the folder still counts.
  const nitro = { ...files, 'server/index.ts': files['server.ts'].replace('./src/keys', '../src/keys'), 'Dockerfile': files.Dockerfile.replace('dist/server.cjs', '.output/server/index.mjs') };
  assert.deepEqual(await lacks(nitro), ['APP_KEY', 'EDGE_ONLY_TOKEN']);
});

test('a front-end built in a stage of its own beside the service the last stage copies: the image ships that service, not two folders of code', async () => {
  const files = {
    'requirements.txt': 'fastapi\n',
    'main.py': 'import uvicorn\nfrom backend.server import app\nuvicorn.run(app)\n',
    'backend/__init__.py': '',
    'backend/requirements.txt': 'fastapi\n',
    'backend/server.py': 'import os\nfrom fastapi import FastAPI\napp = FastAPI()\nPARTNER_KEY = os.environ["PARTNER_KEY"]\n',
    'frontend/package.json': '{ "name": "web", "scripts": { "build": "craco build" } }\n',
    'frontend/craco.config.js': 'module.exports = { webpack: {} };\n',
    'frontend/src/api.js': 'export const base = process.env.REACT_APP_BACKEND_URL;\n',
    'Dockerfile': [
      'FROM node:20-alpine AS frontend-builder', 'WORKDIR /app/frontend', 'COPY frontend/package.json ./', 'RUN yarn install', 'COPY frontend/ .', 'RUN yarn build',
      'FROM python:3.11-slim', 'WORKDIR /app', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt', 'COPY backend/ ./backend/', 'COPY main.py ./',
      'COPY --from=frontend-builder /app/frontend/build/ ./frontend/build/', 'CMD ["python", "main.py"]', '',
    ].join('\n'),
    'cloudbuild.yaml': [
      'steps:',
      "  - name: gcr.io/cloud-builders/docker",
      "    args: ['build', '-t', 'us-central1-docker.pkg.dev/$PROJECT_ID/apps/shop:$COMMIT_SHA', '.']",
      "  - name: gcr.io/cloud-builders/gcloud",
      "    args: ['run', 'deploy', 'shop', '--image', 'us-central1-docker.pkg.dev/$PROJECT_ID/apps/shop:$COMMIT_SHA', '--region=us-central1', '--set-env-vars', 'NODE_ENV=production']",
      '',
    ].join('\n'),
  };
  const model = (await analyze(files)).ws.model();
  assert.deepEqual(model.targets.map((t) => `${t.serviceName}: ${t.deploys.map((d) => d.file).join(',')}`), ['backend: cloudbuild.yaml']);
  const lacks = async (f: Record<string, string>) => (await analyze(f)).findings.filter((x) => x.rule === 'env-unset-for-deploy').map((x) => /(?:without|lack) (\w+)/.exec(x.message)?.[1]).sort();
  assert.deepEqual(await lacks(files), ['PARTNER_KEY']);
  // Look-alike: a last stage built on the one that copied the front-end holds both folders, so
  // which one is the service is not known from the copies, and nothing is linked.
  const chained = { ...files, Dockerfile: files.Dockerfile.replace('FROM python:3.11-slim', 'FROM frontend-builder') };
  assert.deepEqual(await lacks(chained), []);
  // Nor where the last stage also copies loose code files of another folder (`COPY web/*.py ./`):
  // those may be the service, the copied folder a library.
  const loose = { ...files, 'web/app.py': 'import os\nTOKEN = os.environ["WEB_TOKEN"]\n', Dockerfile: files.Dockerfile.replace('COPY main.py ./', 'COPY main.py ./\nCOPY web/*.py ./') };
  assert.deepEqual(await lacks(loose), []);
});

/** A pnpm monorepo whose services each have a Terraform root module of their own name under
 * `infra/terraform/services/<name>/`, calling one shared Cloud Run module. */
const PER_SERVICE_TERRAFORM = (name: string): Record<string, string> => ({
  [`infra/terraform/services/${name}/main.tf`]: [
    'module "service" {',
    '  source = "../../modules/cloud_run_service"',
    `  name   = "${name}"`,
    '  env_vars = {',
    '    NODE_ENV = "production"',
    '  }',
    '}',
    '',
  ].join('\n'),
});
const SHARED_MODULE = {
  'infra/terraform/modules/cloud_run_service/main.tf': [
    'variable "name" {}',
    'variable "env_vars" {',
    '  type    = map(string)',
    '  default = {}',
    '}',
    'resource "google_cloud_run_v2_service" "this" {',
    '  name     = var.name',
    '  location = "europe-west1"',
    '  template {',
    '    containers {',
    '      image = "europe-docker.pkg.dev/acme/services/${var.name}:latest"',
    '      dynamic "env" {',
    '        for_each = var.env_vars',
    '        content {',
    '          name  = env.key',
    '          value = env.value',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n'),
};

/** The target one of whose deploys is `file`. */
const targetDeploying = (ws: Awaited<ReturnType<typeof analyze>>['ws'], file: string) => ws.model().targets.find((x) => x.deploys.some((d) => d.file === file))!;

test('a deploy kept in a folder of deploy files named for its service links to that service by name', async () => {
  const files = {
    'apps/svc-orders/package.json': '{ "name": "svc-orders", "scripts": { "start": "node dist/index.js" } }\n',
    'apps/svc-orders/src/index.ts': 'const key = process.env.ORDERS_API_KEY;\nif (!key) throw new Error("ORDERS_API_KEY is required");\nexport const k = key;\n',
    ...SHARED_MODULE,
    ...PER_SERVICE_TERRAFORM('svc-orders'),
  };
  const { ws, findings } = await analyze(files);
  const t = targetDeploying(ws, 'infra/terraform/services/svc-orders/main.tf');
  assert.equal(t.service?.root, 'apps/svc-orders');
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message.replace(/ which .*/, '')), ['svc-orders (default) is deployed without ORDERS_API_KEY,']);
});

test('look-alike: a folder of that name holding code beside the deploy still refuses the link', async () => {
  const files = {
    'apps/svc-orders/package.json': '{ "name": "svc-orders" }\n',
    'apps/svc-orders/src/index.ts': 'export const key = process.env.ORDERS_API_KEY!.trim();\n',
    // The deploy sits inside another project's own code folder of that name.
    'legacy/svc-orders/server.js': 'module.exports = {};\n',
    'legacy/svc-orders/deploy/main.tf': PER_SERVICE_TERRAFORM('svc-orders')['infra/terraform/services/svc-orders/main.tf'].replace('../../modules', '../../../infra/terraform/modules'),
    ...SHARED_MODULE,
  };
  const { ws } = await analyze(files);
  const t = targetDeploying(ws, 'legacy/svc-orders/deploy/main.tf');
  assert.equal(t.service, undefined);
});

test('a deployed name that is a service\'s whole name links to it before the name without its environment word', async () => {
  const files = {
    'apps/svc-api/package.json': '{ "name": "svc-api" }\n',
    'apps/svc-api/src/index.ts': 'export const authz = process.env.AUTHZ_URL!.trim();\n',
    'apps/svc-preview/package.json': '{ "name": "svc-preview" }\n',
    'apps/svc-preview/src/index.ts': 'export const bucket = process.env.PREVIEW_BUCKET ?? "previews";\n',
    ...SHARED_MODULE,
    ...PER_SERVICE_TERRAFORM('svc-preview'),
  };
  const { ws, findings } = await analyze(files);
  const t = targetDeploying(ws, 'infra/terraform/services/svc-preview/main.tf');
  assert.equal(t.service?.root, 'apps/svc-preview');
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), []);
});

test('an image that copies the program it runs file by file (`COPY main.py util.py ./`) ships that file\'s folder, not the one folder of assets it copies beside it', async () => {
  const files = {
    'requirements-server.txt': 'fastapi\nuvicorn\n',
    'package.json': '{ "name": "widget-bundle", "private": true, "scripts": { "build": "node bundle.mjs" } }\n',
    'bundle.mjs': 'console.log("bundles the widget once")\n',
    'main.py': 'import os\nfrom fastapi import FastAPI\nimport helpers\n\nMODEL_KEY = os.environ["MODEL_KEY"]\napp = FastAPI()\n',
    'helpers.py': 'import os\nBUCKET = os.environ.get("ARCHIVE_BUCKET", "local")\n',
    'static/index.html': '<script src="widget.js"></script>\n',
    'static/widget.js': 'const base = window.location.origin;\n',
    'Dockerfile': [
      'FROM python:3.12-slim', 'WORKDIR /app', 'COPY requirements-server.txt requirements.txt',
      'RUN pip install -r requirements.txt', 'COPY main.py helpers.py ./', 'COPY static ./static',
      'CMD ["sh", "-c", "uvicorn main:app --host 0.0.0.0 --port ${PORT}"]', '',
    ].join('\n'),
    'release.sh': [
      'gcloud builds submit --tag gcr.io/acme/widget-api',
      'gcloud run deploy widget-api --image gcr.io/acme/widget-api --set-env-vars ARCHIVE_BUCKET=acme-archive', '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'release.sh'));
  assert.equal(t?.service?.root, '');
  assert.match(t!.deploys[0].evidence[0], /runs main, copied from main\.py/);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), [
    'workspace (default) is deployed without MODEL_KEY, which main.py reads',
  ]);
  // Look-alike: the program's file is not copied (it is the asset folder's own), so the folder stays the service.
  const assets = await analyze({ ...files, 'Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY static ./static\nCMD ["python", "-m", "http.server"]\n' });
  assert.notEqual(assets.ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'release.sh'))?.service?.root, '');
});

test('a deploy of a vendor\'s Docker Hub image nothing here builds runs none of the workspace\'s code', async () => {
  // The workspace's one service is a Flask app; beside its own deploy, a Knative manifest runs a
  // tunnel from Docker Hub. Linked as "the only service", the tunnel was asked for the app's keys.
  const files = {
    'requirements.txt': 'flask\ngunicorn\n',
    'app/__init__.py': '',
    'app/main.py': 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.environ["SESSION_KEY"]\n',
    'Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD exec gunicorn --bind :$PORT "app.main:app"\n',
    'tunnel.yaml': [
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata:',
      '  name: edge-tunnel',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - image: cloudflare/cloudflared:latest',
      '        args: ["tunnel", "run"]',
      '        env:',
      '        - name: TUNNEL_TOKEN',
      '          value: from-console',
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'tunnel.yaml'));
  assert.equal(t?.service, undefined);
  assert.match(t!.deploys[0].evidence[0]!, /^not linked: its image cloudflare\/cloudflared:latest is published on Docker Hub and built nowhere here/);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), []);
  // The same manifest with the project's own image is the app's deploy, and lacks its key.
  const own = await analyze({ ...files, 'tunnel.yaml': files['tunnel.yaml'].replace('cloudflare/cloudflared:latest', 'gcr.io/acme/edge-tunnel:latest') });
  assert.ok(own.findings.some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('SESSION_KEY')), own.findings.map((f) => f.message).join('\n'));
  // A Docker Hub image the workspace builds and pushes itself is its code.
  const pushed = await analyze({
    ...files,
    'tunnel.yaml': files['tunnel.yaml'].replace('cloudflare/cloudflared:latest', 'acme/edge-tunnel:latest'),
    'scripts/release.sh': '#!/bin/bash\nset -e\ndocker build -t acme/edge-tunnel:latest .\ndocker push acme/edge-tunnel:latest\n',
  });
  assert.ok(pushed.findings.some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('SESSION_KEY')), pushed.findings.map((f) => f.message).join('\n'));
});

test('a Dockerfile at the root that ships the root\'s own code makes the root a service beside a deeper one, even with no deploy seen to ship it', async () => {
  const files = {
    'package.json': '{ "name": "web" }\n',
    'server.ts': 'export const url = process.env.APP_URL!;\nurl.trim();\n',
    'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
    'ops/relay/package.json': '{ "name": "relay" }\n',
    'ops/relay/index.js': 'console.log(process.env.RELAY_HOOK);\n',
    '.github/workflows/relay.yml': 'on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gcloud run deploy relay --source ops/relay --set-env-vars RELAY_HOOK=x\n',
    // The web image is built by a step whose image nothing here resolves: no deploy ships the root.
    'deploy-web.sh': 'gcloud run deploy web-app --image "$IMAGE_URI" --set-env-vars NODE_ENV=production\n',
  };
  const services = async (f: Record<string, string>): Promise<string[]> => (await analyze(f)).ws.model().services.services.map((s) => s.root).sort();
  assert.deepEqual(await services(files), ['', 'ops/relay']);
  const { ws } = await analyze(files);
  // The web deploy is no longer taken for the only service's (the relay's).
  const web = ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'deploy-web.sh'));
  assert.notEqual(web?.service?.root, 'ops/relay');
  // Control: a root Dockerfile that ships the deeper folder leaves the root a holder of tooling.
  assert.deepEqual(await services({ ...files, 'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY ops/relay/ .\nCMD ["node", "index.js"]\n' }), ['ops/relay']);
});

/** A workspace of two packages, the API reading STRIPE_KEY: which deploy ships it is the question. */
const API_AND_WEB = {
    'package.json': '{ "name": "root", "private": true, "workspaces": ["apps/*"] }\n',
    'apps/api/package.json': '{ "name": "api", "main": "dist/main.js" }\n',
    'apps/api/src/main.ts': 'const key = process.env.STRIPE_KEY;\nexport const client = key!.trim();\n',
    'apps/api/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "apps/api/dist/main.js"]\n',
    'apps/web/package.json': '{ "name": "web" }\n',
    'apps/web/src/page.ts': 'export const x = 1;\n',
};

test('a script running a Cloud Build file with `_IMAGE=${IMAGE}` and deploying `--image "${IMAGE}"`: the image is the one the file builds, so the deploy ships its Dockerfile\'s service', async () => {
  const files = {
    ...API_AND_WEB,
    'apps/api/cloudbuild.yaml': 'steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ["build", "-f", "apps/api/Dockerfile", "-t", "$_IMAGE", "."]\nimages:\n  - "$_IMAGE"\n',
    'scripts/deploy-api.sh': [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      'IMAGE="europe-docker.pkg.dev/acme-prod/apps/api:$(git rev-parse --short HEAD)"',
      'gcloud builds submit . --project=acme-prod --config=apps/api/cloudbuild.yaml --substitutions="_IMAGE=${IMAGE}"',
      'gcloud run deploy billing-prod --project=acme-prod --region=europe-west1 --image="${IMAGE}" --set-env-vars="NODE_ENV=production"',
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const target = ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'scripts/deploy-api.sh'));
  assert.equal(target?.service?.name, 'api');
  assert.match(target!.deploys[0].evidence[0], /image built by apps\/api\/cloudbuild\.yaml from apps\/api\/Dockerfile/);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), ['api (production) is deployed without STRIPE_KEY, which apps/api/src/main.ts reads']);
  // Another script's `$IMAGE` is another image: without the run, nothing links it.
  const { ws: other } = await analyze({ ...files, 'scripts/deploy-api.sh': files['scripts/deploy-api.sh'].replace(/^gcloud builds submit.*\n/m, '') });
  assert.equal(other.model().targets.find((t) => t.deploys.some((d) => d.file === 'scripts/deploy-api.sh'))?.service?.name, undefined);
});

test('a script naming a Cloud Build file that builds `$_IMAGE_URI`, run through a helper of a sourced file, and deploying `--image "$IMAGE_URI"`: the same image', async () => {
  const script = (run: string): string => [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    'source "$(dirname "$0")/scripts/deploy-common.sh"',
    'IMAGE_URI="${IMAGE_URI:-asia.gcr.io/acme-prod/api:$(date +%s)}"',
    run,
    'gcloud run deploy billing-prod --project acme-prod --region asia-northeast1 --image "$IMAGE_URI" --set-env-vars NODE_ENV=production',
    '',
  ].join('\n');
  const files = {
    ...API_AND_WEB,
    'cloudbuild.api.yaml': 'steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ["build", "-f", "apps/api/Dockerfile", "-t", "$_IMAGE_URI", "."]\nimages:\n  - "$_IMAGE_URI"\n',
    'scripts/deploy-common.sh': 'run_cloud_build() {\n  gcloud builds submit . --config "$1" --substitutions "$2"\n}\n',
    'deploy-api.sh': script('run_cloud_build "cloudbuild.api.yaml" "_IMAGE_URI=$IMAGE_URI"'),
  };
  const targetOf = async (fs: Record<string, string>) => (await analyze(fs)).ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'deploy-api.sh'));
  const target = await targetOf(files);
  assert.equal(target?.service?.name, 'api');
  assert.match(target!.deploys[0].evidence[0], /image built by cloudbuild\.api\.yaml from apps\/api\/Dockerfile/);
  // Not named, or named with another substitution: nothing links it.
  assert.equal((await targetOf({ ...files, 'deploy-api.sh': script('run_cloud_build "$CONFIG" "_IMAGE_URI=$IMAGE_URI"') }))?.service?.name, undefined);
  assert.equal((await targetOf({ ...files, 'cloudbuild.api.yaml': files['cloudbuild.api.yaml'].replaceAll('_IMAGE_URI', '_IMAGE') }))?.service?.name, undefined);
});

test('an image built as `${IMAGE}` and deployed as `$IMAGE` in one script is one image: the deploy ships the build\'s folder', async () => {
  const files = {
    ...API_AND_WEB,
    'apps/api/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "dist/main.js"]\n',
    'deploy.sh': [
      '#!/usr/bin/env bash',
      'IMAGE_NAME="gcr.io/acme-prod/billing:$(date +%s)"',
      'cd apps/api',
      'gcloud builds submit --tag ${IMAGE_NAME}',
      'gcloud run deploy billing-prod --project acme-prod --region europe-west1 --image $IMAGE_NAME --set-env-vars NODE_ENV=production',
      '',
    ].join('\n'),
  };
  const { ws } = await analyze(files);
  const target = ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'deploy.sh'));
  assert.equal(target?.service?.name, 'api');
  assert.match(target!.deploys[0].evidence[0], /image built by deploy\.sh from apps\/api/);
});
