/**
 * One service folder, two images starting different programs (`Dockerfile.backend` runs
 * `src.webhook_server`, `Dockerfile.worker` runs `src.worker`, both copying `src/`): each program
 * is a Cloud Run service of its own, so each gets a target of its own, named for its program. A
 * script deploying the same Cloud Run names with images the workspace does not build joins the
 * target of the program that name runs. Look-alike: two Dockerfiles starting the same program
 * (a production and a development image) stay one target. Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, type Files } from '../rule-harness';

before(ready);

const dockerfile = (module: string): string =>
  ['FROM python:3.12-slim', 'WORKDIR /app', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt', 'COPY src/ ./src/', `CMD ["python", "-m", "${module}"]`, ''].join('\n');

const workspace = (workerModule = 'src.worker'): Files => ({
  'requirements.txt': 'fastapi\n',
  'src/__init__.py': '',
  'src/config.py': 'import os\nCLIENT_SECRET = os.environ["RIDES_CLIENT_SECRET"]\n',
  'src/webhook_server.py': 'import os\nfrom src import config\nVERIFY = os.environ["RIDES_VERIFY_TOKEN"]\n',
  'src/worker.py': 'import os\nfrom src import config\nQUEUE = os.environ["RIDES_QUEUE"]\n',
  'Dockerfile.backend': dockerfile('src.webhook_server'),
  'Dockerfile.worker': dockerfile(workerModule),
  'cloudbuild.yaml': [
    'steps:',
    "- name: gcr.io/cloud-builders/docker",
    "  args: ['build', '-f', 'Dockerfile.backend', '-t', 'gcr.io/$PROJECT_ID/rides-backend', '.']",
    "- name: gcr.io/cloud-builders/docker",
    "  args: ['build', '-f', 'Dockerfile.worker', '-t', 'gcr.io/$PROJECT_ID/rides-worker', '.']",
    "- name: gcr.io/cloud-builders/gcloud",
    "  args: ['run', 'deploy', 'rides-backend', '--image', 'gcr.io/$PROJECT_ID/rides-backend', '--region', 'europe-west2']",
    "- name: gcr.io/cloud-builders/gcloud",
    "  args: ['run', 'deploy', 'rides-worker', '--image', 'gcr.io/$PROJECT_ID/rides-worker', '--region', 'europe-west2']",
    '',
  ].join('\n'),
  'deploy.sh': [
    '#!/bin/bash',
    'BACKEND_SERVICE="rides-backend"',
    'WORKER_SERVICE="rides-worker"',
    'gcloud run deploy "$BACKEND_SERVICE" --image "europe-docker.pkg.dev/acme/apps/backend:$TAG" --region europe-west2 --set-env-vars "RIDES_CLIENT_SECRET=s1,RIDES_VERIFY_TOKEN=v1"',
    'gcloud run deploy "$WORKER_SERVICE" --image "europe-docker.pkg.dev/acme/apps/worker:$TAG" --region europe-west2 --set-env-vars "RIDES_CLIENT_SECRET=s1"',
    '',
  ].join('\n'),
});

test('two programs of one folder are two targets; a deploy by the same Cloud Run name joins its program\'s', async () => {
  const { ws, findings } = await analyze(workspace());
  const targets = ws.model().targets.map((t) => `${t.serviceName}: ${t.deploys.map((d) => `${d.file}:${d.deploy.service?.value}`).sort().join(' ')}`).sort();
  assert.deepEqual(targets, [
    'workspace-webhook_server: cloudbuild.yaml:rides-backend deploy.sh:rides-backend',
    'workspace-worker: cloudbuild.yaml:rides-worker deploy.sh:rides-worker',
  ]);
  // Each program is asked for its own needs only: the worker's queue, not the backend's token.
  const lacking = findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message.replace(/ is deployed.*without /, ': ').replace(/,.*/, ''));
  assert.deepEqual(lacking.sort(), ['workspace-worker (default): RIDES_QUEUE']);
});

test('quiet look-alike: two images starting the same program stay one target', async () => {
  const { ws } = await analyze(workspace('src.webhook_server'));
  assert.deepEqual(ws.model().targets.map((t) => t.serviceName), ['workspace']);
});

test('a job image of the folder (a seed program) is a target of its own; a secret whose default is a placeholder is not asked of a job, which signs nothing', async () => {
  const files: Files = {
    'requirements.txt': 'django\n',
    'settings.py': 'import os\nSECRET_KEY = os.getenv("SECRET_KEY", "django-insecure-dev-key-change-in-production")\nDB = os.environ["DATABASE_URL"]\n',
    'wsgi.py': 'import settings\napplication = object()\n',
    'populate_data.py': 'import os\nimport settings\nif __name__ == "__main__":\n    print("seeded")\n',
    'Dockerfile': ['FROM python:3.12-slim', 'WORKDIR /app', 'COPY . .', 'CMD ["gunicorn", "wsgi:application"]', ''].join('\n'),
    'Dockerfile.populate': ['FROM python:3.12-slim', 'WORKDIR /app', 'COPY . .', 'CMD ["python", "populate_data.py"]', ''].join('\n'),
    'deploy.sh': [
      '#!/bin/bash',
      'docker build -t gcr.io/acme/web:latest .',
      'gcloud run deploy web --image gcr.io/acme/web:latest --region us-central1 --set-env-vars "DATABASE_URL=postgresql://web@10.0.0.3/app"',
      'docker build -f Dockerfile.populate -t gcr.io/acme/populate:latest .',
      'gcloud run jobs create populate --image gcr.io/acme/populate:latest --region us-central1 --set-env-vars "DATABASE_URL=postgresql://web@10.0.0.3/app"',
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  assert.deepEqual(ws.model().targets.map((t) => t.serviceName).sort(), ['workspace-populate_data', 'workspace-wsgi']);
  const lacking = findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message.replace(/ is deployed.*without /, ': ').replace(/,.*/, ''));
  assert.deepEqual(lacking, ['workspace-wsgi (default) may lack SECRET_KEY']);
});

test('a deploy naming no environment, of a Cloud Run name two programs are deployed as, is placed in no target', async () => {
  // Two scripts deploy `rides-api` from images starting different programs (a release and a
  // "lightweight" build), each for production; a Terraform file defines `rides-api` with an image
  // it does not build. It could run either program: it is not the service's one deployment.
  const files: Files = {
    ...workspace(),
    'cloudbuild.yaml': [
      'steps:',
      "- name: gcr.io/cloud-builders/docker",
      "  args: ['build', '-f', 'Dockerfile.backend', '-t', 'gcr.io/$PROJECT_ID/rides-api', '.']",
      "- name: gcr.io/cloud-builders/gcloud",
      "  args: ['run', 'deploy', 'rides-api', '--image', 'gcr.io/$PROJECT_ID/rides-api', '--region', 'europe-west2', '--set-env-vars', 'ENVIRONMENT=production,RIDES_CLIENT_SECRET=s1,RIDES_VERIFY_TOKEN=v1']",
      '',
    ].join('\n'),
    'deploy.sh': [
      '#!/bin/bash',
      'docker build -f Dockerfile.worker -t gcr.io/acme/rides-api:light .',
      'gcloud run deploy rides-api --image gcr.io/acme/rides-api:light --region europe-west2 --set-env-vars "ENVIRONMENT=production,RIDES_CLIENT_SECRET=s1,RIDES_QUEUE=q1"',
      '',
    ].join('\n'),
    'infra/run.tf': [
      'resource "google_cloud_run_v2_service" "api" {',
      '  name     = "rides-api"',
      '  location = "europe-west2"',
      '  template {',
      '    containers {',
      '      image = var.image',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const model = ws.model();
  assert.deepEqual(model.targets.map((t) => `${t.serviceName}@${t.environment}`).sort(), ['workspace-webhook_server@production', 'workspace-worker@production']);
  assert.ok(model.unplaced.some((d) => d.file === 'infra/run.tf'), 'the Terraform deploy is unplaced');
  assert.deepEqual(findings.filter((f) => f.file === 'infra/run.tf').map((f) => f.message), []);
});

test('Node: images a Dockerfile outside the package builds from its root (`npm start`, `npm run start:worker`) start the package scripts\' programs, each a target of its own', async () => {
  const nodeDockerfile = (script: string): string =>
    ['FROM node:22-slim', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci', 'COPY . .', 'RUN npm run build', `CMD ["npm", ${script}]`, ''].join('\n');
  const files: Files = {
    'package.json': JSON.stringify({ name: 'ledger', scripts: { build: 'tsc', start: 'node dist/index.js', 'start:worker': 'node dist/worker.js' } }),
    'src/index.ts': 'export const key = process.env.LEDGER_API_KEY!.trim();\n',
    'src/worker.ts': 'export const queue = process.env.LEDGER_QUEUE!.trim();\n',
    'deploy/Dockerfile': nodeDockerfile('"start"'),
    'deploy/Dockerfile.worker': nodeDockerfile('"run", "start:worker"'),
    'deploy/cloudbuild.api.yaml': "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/$PROJECT_ID/ledger-api', '-f', 'deploy/Dockerfile', '.']\n",
    'deploy/cloudbuild.worker.yaml': "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/$PROJECT_ID/ledger-worker', '-f', 'deploy/Dockerfile.worker', '.']\n",
    'deploy/deploy.sh': [
      '#!/usr/bin/env bash', 'set -euo pipefail', 'PROJECT_ID="acme-prod"', 'cd "$(dirname "$0")/.."',
      'gcloud builds submit --config deploy/cloudbuild.api.yaml .', 'gcloud builds submit --config deploy/cloudbuild.worker.yaml .',
      'gcloud run deploy ledger-api --image "gcr.io/${PROJECT_ID}/ledger-api" --set-env-vars LEDGER_API_KEY=k',
      'gcloud run deploy ledger-worker --image "gcr.io/${PROJECT_ID}/ledger-worker" --set-env-vars LEDGER_QUEUE=q', '',
    ].join('\n'),
  };
  const { ws, findings } = await analyze(files);
  const targets = ws.model().targets.filter((t) => t.service?.root === '');
  assert.deepEqual(targets.map((t) => t.deploys.map((d) => d.deploy.service?.value)).sort(), [['ledger-api'], ['ledger-worker']]);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), []);
  // Without the worker's script the image's program is unknown: one target, each deploy asked for both.
  const scripts = { build: 'tsc', start: 'node dist/index.js' };
  const unknown = await analyze({ ...files, 'package.json': JSON.stringify({ name: 'ledger', scripts }) });
  assert.equal(unknown.ws.model().targets.filter((t) => t.service?.root === '').length, 1);
});

test('a module the image never receives is not its deploy\'s: a Dockerfile copying scrapers/ and prisma/ only runs none of src/, however its program loads modules', async () => {
  const dockerfile = (copies: string): string => ['FROM node:20-slim', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci', copies, 'CMD ["node", "scrapers/run.js"]', ''].join('\n');
  const files = (copies: string): Files => ({
    'server/package.json': JSON.stringify({ name: 'server', scripts: { start: 'node dist/index.js' } }),
    'server/src/index.ts': "import { rank } from './ai/rank';\nexport const r = rank;\n",
    'server/src/ai/rank.ts': "export function rank() {\n  const key = process.env.RANK_API_KEY;\n  if (!key) throw new Error('no key');\n  return key;\n}\n",
    // The scraper loads its platforms by a computed name: which modules it loads is unknowable.
    'server/scrapers/run.js': "const path = require('path');\nfor (const p of ['a', 'b']) require(path.join(__dirname, 'platforms', p));\nconst db = process.env.SCRAPER_DB_URL;\nif (!db) throw new Error('no db');\n",
    'server/scrapers/Dockerfile': dockerfile(copies),
    'deploy-scraper.sh': [
      '#!/usr/bin/env bash', 'set -euo pipefail', 'cd "$(dirname "$0")/server"',
      'docker build -f scrapers/Dockerfile -t gcr.io/acme-prod/scraper:latest .', 'docker push gcr.io/acme-prod/scraper:latest',
      'gcloud run jobs deploy scraper-job --image gcr.io/acme-prod/scraper:latest --project acme-prod --set-env-vars NODE_ENV=production --set-secrets SCRAPER_DB_URL=scraper-db:latest', '',
    ].join('\n'),
  });
  const lacking = async (f: Files): Promise<string[]> =>
    (await analyze(f)).findings.filter((x) => x.rule === 'env-unset-for-deploy').map((x) => /without (\w+)/.exec(x.message)?.[1] ?? x.message).sort();
  assert.deepEqual(await lacking(files('COPY scrapers ./scrapers/\nCOPY prisma ./prisma/')), []);
  // Control: an image taking the whole context may hold src/, and so may one taking a build's
  // output made outside it (`COPY dist ./dist`: the sources compiled).
  assert.deepEqual(await lacking(files('COPY . .')), ['RANK_API_KEY']);
  assert.deepEqual(await lacking(files('COPY scrapers ./scrapers/\nCOPY dist ./dist')), ['RANK_API_KEY']);
});
