/**
 * A deploy that runs a code file instead of its image's command (`--command node --args
 * src/worker.ts`: a worker sharing an API's image): that file's reads are the worker's, so a deploy
 * of the image's own command is not asked to set them. The extraction of the entry (a file in
 * `--args` or `--command`, a module after `-m`), the rule on both kinds of deploy, and look-alikes:
 * a read in any other file is still the API's, and an entry that names no file changes nothing.
 * Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, type Files } from '../rule-harness';
import { extractShell } from '../../server/src/extract/shell';
import { emptyFacts } from '../../server/src/core/facts';

before(ready);

function deployOf(command: string) {
  const facts = emptyFacts('deploy.sh', 'shell', 'h');
  extractShell(command, facts, { via: 'shell' });
  return facts.deploys[0];
}
const entryOf = (command: string): string | undefined => deployOf(command)?.entry?.value;

test('the entry a deploy runs: a code file in --args or --command, a module after -m', () => {
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --command="node" --args="src/worker.ts"\n'), 'src/worker.ts');
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --command node --args --enable-source-maps,./dist/jobs.js\n'), 'dist/jobs.js');
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --command python --args=-m,app.tasks.runner\n'), 'app/tasks/runner.py');
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --command python --args=worker.py\n'), 'worker.py');
  // Flags and words that are not code files: the image's command, as far as we know.
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --args=--port,8080\n'), undefined);
  // an argument holding code or a shell line is no path, whatever it ends with
  assert.equal(entryOf('gcloud run jobs deploy w --image "$IMAGE" --command sh --args="-c,python manage.py migrate && python seed.py"\n'), undefined);
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --command "$ENTRY"\n'), undefined);
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE"\n'), undefined);
  // An ASGI server's application, the server named in --command and the app in --args, or both in
  // --args after `python -m`.
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --command=uvicorn --args=app.worker.main:app,--port,8080\n'), 'app/worker/main.py');
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --command python --args=-m,uvicorn,app.worker.main:app\n'), 'app/worker/main.py');
  assert.equal(entryOf('gcloud run deploy w --image "$IMAGE" --command=gunicorn --args=--bind,:8080\n'), undefined);
});

// Two Cloud Run services of one image, each told by Terraform which application to start
// (`command = ["uvicorn"]`, `args = ["shop.worker.main:app", …]`), the package under `src/` on
// the image's import path; both load the settings module. The worker is a service of its own:
// what the API's resource sets is not the worker's. A gcloud deploy of the same service without
// --command keeps what Terraform told it to run.
const SRC_LAYOUT: Files = {
  'requirements.txt': 'fastapi\npydantic-settings\n',
  'Dockerfile': 'FROM python:3.12\nWORKDIR /srv\nCOPY src/ /srv/src/\nENV PYTHONPATH=/srv/src\nCMD ["uvicorn", "shop.api.main:app"]\n',
  'src/shop/__init__.py': '',
  'src/shop/core/__init__.py': '',
  'src/shop/core/settings.py': 'import os\n\nMASTER_KEY = os.environ["SHOP_MASTER_KEY"]\nSIGNING = os.environ["SHOP_SIGNING_KEY"]\n',
  'src/shop/api/__init__.py': '',
  'src/shop/api/main.py': 'from shop.core import settings\n\napp = settings.MASTER_KEY\n',
  'src/shop/worker/__init__.py': '',
  'src/shop/worker/main.py': 'import os\n\nfrom shop.core import settings\n\nQUEUE = os.environ["WORKER_QUEUE"]\napp = settings.SIGNING\n',
};

const service = (resource: string, name: string, module: string, env: Record<string, string>): string => `resource "google_cloud_run_v2_service" "${resource}" {
  name     = "${name}"
  location = "europe-west1"
  template {
    containers {
      image   = "europe-docker.pkg.dev/acme-prod/apps/shop:latest"
      command = ["uvicorn"]
      args    = ["${module}:app", "--host", "0.0.0.0", "--port", "8080"]
${Object.entries(env).map(([k, v]) => `      env {\n        name  = "${k}"\n        value = "${v}"\n      }\n`).join('')}    }
  }
}
`;

test('services Terraform tells which application to start, under a src/ layout: each asked for what its application imports', async () => {
  const files: Files = {
    ...SRC_LAYOUT,
    'infra/run.tf': service('api', 'shop-api', 'shop.api.main', { ENVIRONMENT: 'production', SHOP_MASTER_KEY: 'k', SHOP_SIGNING_KEY: 's' }) +
      service('worker', 'shop-worker', 'shop.worker.main', { ENVIRONMENT: 'production', SHOP_SIGNING_KEY: 's', WORKER_QUEUE: 'q' }),
  };
  const got = await unset(files);
  // The worker's resource lacks what the settings it imports require; the API's lacks nothing.
  assert.deepEqual(got, ['infra/run.tf:workspace-worker (production) is deployed without SHOP_MASTER_KEY, which src/shop/core/settings.py reads (deploy linked as the only service)']);
  // Set there too: nothing to say.
  assert.deepEqual(await unset({ ...files, 'infra/run.tf': files['infra/run.tf']!.replace('value = "q"', 'value = "q"\n      }\n      env {\n        name  = "SHOP_MASTER_KEY"\n        value = "k"') }), []);
});

test('a gcloud deploy of the service Terraform defines, without --command: it keeps the application Terraform starts', async () => {
  const files: Files = {
    ...SRC_LAYOUT,
    'infra/run.tf': service('api', 'shop-api', 'shop.api.main', { ENVIRONMENT: 'production', SHOP_MASTER_KEY: 'k', SHOP_SIGNING_KEY: 's' }) +
      service('worker', 'shop-worker', 'shop.worker.main', { ENVIRONMENT: 'production', SHOP_MASTER_KEY: 'k', SHOP_SIGNING_KEY: 's', WORKER_QUEUE: 'q' }),
    'deploy/hotfix.sh': 'gcloud run deploy shop-worker --source .. --region europe-west1 --set-env-vars "ENVIRONMENT=production,SHOP_MASTER_KEY=k,SHOP_SIGNING_KEY=s"\n',
  };
  const got = await unset(files);
  // The hotfix replaces the worker's variables without its queue: the worker's own read, asked of
  // that deploy; the API's deploys are not asked for it.
  assert.deepEqual(got, ['deploy/hotfix.sh:workspace-worker (production) is deployed here without WORKER_QUEUE, which infra/run.tf sets and its code needs']);
});

const CODE: Files = {
  'apps/api/package.json': '{ "name": "api" }\n',
  'apps/api/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY apps/api/ .\nCMD ["node", "src/main.ts"]\n',
  'apps/api/src/main.ts': 'export const port = Number(process.env.API_PORT!);\n',
  'apps/api/src/worker.ts': 'export const timeout = Number(process.env.JOB_TIMEOUT_MS!);\n',
};

const deploys = (workerArgs: string, apiVars = 'API_PORT=8080', workerVars = 'JOB_TIMEOUT_MS=12000'): Files => ({
  'release.sh': [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    'IMAGE="europe-docker.pkg.dev/acme-prod/apps/api:$GITHUB_SHA"',
    'docker build -f apps/api/Dockerfile -t "$IMAGE" .',
    `gcloud run deploy api --image "$IMAGE" --project acme-prod --set-env-vars "ENVIRONMENT=production,${apiVars}"`,
    `gcloud run deploy jobs --image "$IMAGE" --project acme-prod ${workerArgs} --set-env-vars "ENVIRONMENT=production,${workerVars}"`,
    '',
  ].join('\n'),
});

async function unset(files: Files): Promise<string[]> {
  const { findings } = await analyze(files);
  return findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => `${f.file}:${f.message}`);
}

test('quiet: the API deploy is not asked for what only the worker\'s entry reads', async () => {
  assert.deepEqual(await unset({ ...CODE, ...deploys('--command=node --args=src/worker.ts') }), []);
});

// The API's program loads the worker module (so without an override it is the API's code).
const LOADED: Files = { ...CODE, 'apps/api/src/main.ts': "import './worker';\n" + CODE['apps/api/src/main.ts'] };

test('reported: without the entry override, the worker module the API loads is code of the API like any other', async () => {
  const found = await unset({ ...LOADED, ...deploys('') });
  // `api` and `jobs` are two Cloud Run services of one code: the API lacks what only jobs gets.
  assert.ok(found.some((m) => m.includes('api lacks JOB_TIMEOUT_MS')), found.join('\n'));
});

test('reported: a read outside the entry file is still the API\'s', async () => {
  const found = await unset({ ...CODE, ...deploys('--command=node --args=src/worker.ts', 'LOG_LEVEL=info') });
  assert.ok(found.some((m) => m.includes('without API_PORT')), found.join('\n'));
});

test('the worker is a service of its own: asked for its entry\'s reads, at its deploy, and not for the API\'s', async () => {
  const found = await unset({ ...CODE, ...deploys('--command=node --args=src/worker.ts', 'API_PORT=8080', 'LOG_LEVEL=info') });
  assert.deepEqual(found, ['release.sh:api-worker (production) is deployed without JOB_TIMEOUT_MS, which apps/api/src/worker.ts reads']);
});

test('an entry naming no file of the workspace: the API is still asked for every file\'s reads', async () => {
  const found = await unset({ ...LOADED, ...deploys('--command=node --args=src/missing.ts') });
  assert.ok(found.some((m) => m.includes('without JOB_TIMEOUT_MS')), found.join('\n'));
});

// Two images of one service folder, each starting its own program: the workflow builds and
// deploys the worker's image, so the API program's reads are not the worker deploy's.
const TWO_IMAGES: Files = {
  'requirements.txt': 'fastapi\ncelery\n',
  'app/__init__.py': '',
  'app/api/__init__.py': '',
  'app/api/main.py': 'import os\n\nSIGNING_KEY = os.environ["API_SIGNING_KEY"]\n',
  'app/worker/__init__.py': '',
  'app/worker/main.py': 'import os\n\nfrom app import common\n\nBROKER = os.environ["WORKER_BROKER_URL"]\n',
  'app/common.py': 'import os\n\nREGION = os.environ["SHARED_REGION"]\n',
  'Dockerfile.api': 'FROM python:3.12\nWORKDIR /srv\nCOPY app/ /srv/app/\nCMD ["uvicorn", "app.api.main:app", "--host", "0.0.0.0"]\n',
  'Dockerfile.worker': 'FROM python:3.12\nWORKDIR /srv\nCOPY app/ /srv/app/\nCMD ["python", "-m", "app.worker.main"]\n',
};

const workerWorkflow = (dockerfile: string): Files => ({
  '.github/workflows/deploy.yml': `name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: |
          docker build -f ${dockerfile} -t europe-docker.pkg.dev/acme/apps/worker:\${{ github.sha }} .
          gcloud run deploy worker --image europe-docker.pkg.dev/acme/apps/worker:\${{ github.sha }} --region europe-west1 \\
            --set-env-vars "ENVIRONMENT=production"
`,
});

test('two images of one folder: a deploy of the worker image is not asked for what only the API program reads', async () => {
  const got = await unset({ ...TWO_IMAGES, ...workerWorkflow('Dockerfile.worker') });
  assert.equal(got.some((m) => m.includes('API_SIGNING_KEY')), false, got.join('\n'));
  // Its own program, and a module it imports, are still its reads.
  assert.equal(got.some((m) => m.includes('WORKER_BROKER_URL')), true, got.join('\n'));
  assert.equal(got.some((m) => m.includes('SHARED_REGION')), true, got.join('\n'));
});

test('two images of one folder: the deploy of the API image is asked for the API program\'s reads', async () => {
  const got = await unset({ ...TWO_IMAGES, ...workerWorkflow('Dockerfile.api') });
  assert.equal(got.some((m) => m.includes('API_SIGNING_KEY')), true, got.join('\n'));
  assert.equal(got.some((m) => m.includes('WORKER_BROKER_URL')), false, got.join('\n'));
});

// A Cloud Run job told to run a task of its own (`--command npm --args run,db:migrate`) runs the
// migration, not the service: it is a target of its own, and none of the service's reads is asked
// of it. Merged with the service, the job's short lists were taken for the service's deploy.
const commandOf = (command: string): string | undefined => deployOf(command)?.command?.value;

test('a job\'s own command: recorded when it names no code file, for jobs only', () => {
  assert.equal(commandOf('gcloud run jobs create migrate --image "$IMAGE" --command npm --args run,db:migrate\n'), 'npm run db:migrate');
  assert.equal(commandOf('gcloud run jobs deploy migrate --image "$IMAGE" --command=alembic --args=upgrade,head\n'), 'alembic upgrade head');
  // a code file is an entry, not a command
  assert.equal(commandOf('gcloud run jobs deploy sync --image "$IMAGE" --command python --args=-m,app.sync\n'), undefined);
  // a service's --command (a worker sharing an image) keeps the service's reads; --args alone are the image's program's
  assert.equal(commandOf('gcloud run deploy worker --image "$IMAGE" --command celery --args=-A,app,worker\n'), undefined);
  assert.equal(commandOf('gcloud run jobs deploy migrate --image "$IMAGE" --args=migrate\n'), undefined);
});

const JOB_CODE: Files = {
  'app/package.json': '{ "name": "app", "scripts": { "db:migrate": "prisma migrate deploy" } }\n',
  'app/src/billing.ts': 'export const price = process.env.STRIPE_PRICE_PRO!;\n',
  'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY app/ .\nCMD ["npm", "start"]\n',
};

const jobRelease = (jobCommand: string, serviceVars: string): Files => ({
  'release.sh': [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    'IMAGE="europe-docker.pkg.dev/acme-prod/apps/app:$GITHUB_SHA"',
    'docker build -t "$IMAGE" .',
    `gcloud run jobs create app-migrate --image "$IMAGE" --project acme-prod --set-secrets DATABASE_URL=database-url:latest ${jobCommand} --set-env-vars "ENVIRONMENT=production"`,
    `gcloud run deploy app --image "$IMAGE" --project acme-prod --set-env-vars "ENVIRONMENT=production,${serviceVars}"`,
    '',
  ].join('\n'),
});

test('quiet: a migration job is not asked for the service\'s reads', async () => {
  assert.deepEqual(await unset({ ...JOB_CODE, ...jobRelease('--command npm --args run,db:migrate', 'STRIPE_PRICE_PRO=price_1') }), []);
});

test('reported at the service\'s deploy, not at the job\'s, when the service lacks it', async () => {
  const found = await unset({ ...JOB_CODE, ...jobRelease('--command npm --args run,db:migrate', 'LOG_LEVEL=info') });
  assert.deepEqual(found, ['release.sh:app (production) is deployed without STRIPE_PRICE_PRO, which app/src/billing.ts reads']);
  const { findings } = await analyze({ ...JOB_CODE, ...jobRelease('--command npm --args run,db:migrate', 'LOG_LEVEL=info') });
  assert.equal(findings.find((f) => f.rule === 'env-unset-for-deploy')?.range.start.line, 5); // 0-based: the service's line
});

test('a job is asked for the service\'s reads when it runs the image\'s own command, not when it runs a task', async () => {
  const jobOnly = (cmd: string): Files => ({ 'release.sh': jobRelease(cmd, '')['release.sh'].split('\n').filter((l) => !l.startsWith('gcloud run deploy')).join('\n') });
  const plain = await unset({ ...JOB_CODE, ...jobOnly('') });
  assert.ok(plain.some((m) => m.includes('without STRIPE_PRICE_PRO')), plain.join('\n'));
  assert.deepEqual(await unset({ ...JOB_CODE, ...jobOnly('--command npm --args run,db:migrate') }), []);
});

// A Terraform job told what to run by its container's `command`/`args`, the file written as a path
// in the image (`/srv/app/worker/main.py`, the working folder first): the job runs that program,
// so what only the API program reads is not asked of it.
const terraformJob = (args: string): Files => ({
  'infra/job.tf': `resource "google_cloud_run_v2_job" "worker" {
  name     = "worker"
  location = "europe-west1"
  template {
    template {
      containers {
        image   = "europe-docker.pkg.dev/acme/apps/app:latest"
        command = ["python"]
        args    = [${args}]
        env {
          name  = "WORKER_BROKER_URL"
          value = "redis://10.0.0.3:6379/0"
        }
        env {
          name  = "SHARED_REGION"
          value = "europe-west1"
        }
      }
    }
  }
}
`,
  'Dockerfile': 'FROM python:3.12\nWORKDIR /srv\nCOPY . /srv/\nCMD ["uvicorn", "app.api.main:app", "--host", "0.0.0.0"]\n',
});

test('a Terraform job\'s entry: a code file in command/args, an absolute path in the image found without its working folder', async () => {
  const files = { ...TWO_IMAGES, ...terraformJob('"/srv/app/worker/main.py"') };
  const { ws } = await analyze(files);
  assert.equal(ws.setText('infra/job.tf', files['infra/job.tf']!).deploys[0]?.entry?.value, '/srv/app/worker/main.py');
  const got = await unset({ ...TWO_IMAGES, ...terraformJob('"/srv/app/worker/main.py"') });
  assert.deepEqual(got, [], got.join('\n'));
});

test('a Terraform job whose args name no code file still runs the image\'s command: asked for the API program\'s reads', async () => {
  const got = await unset({ ...TWO_IMAGES, ...terraformJob('"--verbose"') });
  assert.equal(got.some((m) => m.includes('API_SIGNING_KEY')), true, got.join('\n'));
});

// The image's release script only updates that job's image (`gcloud run jobs update worker
// --image …`): the job keeps the command and arguments Terraform gave it, so the update runs the
// same entry and is asked for nothing the API program reads, nor for what Terraform sets.
test('an update of the Terraform job keeps its entry: nothing asked of it', async () => {
  const release: Files = {
    'release.sh': '#!/usr/bin/env bash\nset -e\ndocker build -t europe-docker.pkg.dev/acme/apps/app:latest .\ngcloud run jobs update worker --image europe-docker.pkg.dev/acme/apps/app:latest --region europe-west1\n',
  };
  // The API program loads the shared module too, whose variable only the Terraform job sets.
  const code: Files = { ...TWO_IMAGES, 'app/api/main.py': 'import os\n\nfrom app import common\n\nSIGNING_KEY = os.environ["API_SIGNING_KEY"]\n' };
  const got = await unset({ ...code, ...terraformJob('"/srv/app/worker/main.py"'), ...release });
  assert.deepEqual(got, [], got.join('\n'));
  // Control: taken for the image's own command, the update would lack what the job sets.
  const control = await unset({ ...code, ...terraformJob('"/srv/app/worker/main.py"'), 'release.sh': release['release.sh']!.replace('jobs update worker', 'jobs update reporter') });
  assert.equal(control.some((m) => m.includes('SHARED_REGION')), true, control.join('\n'));
});
