/**
 * env-unset-for-deploy, the container port: a Cloud Run service whose image starts a server on a
 * fixed port other than 8080 (`uvicorn … --port 8000`) that never reads `$PORT`, deployed without a
 * container port. Cloud Run sends requests and its startup probe to 8080: the revision never
 * becomes ready. A manifest or Terraform resource is the whole service (an error); gcloud keeps a
 * port an earlier deploy set (a warning); a manifest nothing applies is information.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const DOCKERFILE = (cmd: string): string => `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n${cmd}\n`;
const UVICORN_8000 = 'CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]';

const service = (cmd = UVICORN_8000): Files => ({
  'api/requirements.txt': 'fastapi\nuvicorn\n',
  'api/app/__init__.py': '',
  'api/app/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
  'api/Dockerfile': DOCKERFILE(cmd),
});

const shell = (flags = '', cmd?: string): Files => ({
  ...service(cmd),
  'deploy.sh': `#!/usr/bin/env bash\nset -euo pipefail\ngcloud run deploy api --source api --region europe-west1 --project acme-prod ${flags}\n`,
});

/** One image, deployed as the web service and as a worker by the value of `PROCESS_TYPE` its
 * start script switches on. */
const START_SH = (worker: string): string => `#!/bin/bash
set -e
python manage.py migrate --noinput
${worker}
`;
const SWITCH_IF = 'if [ "$PROCESS_TYPE" = "worker" ]; then\n    exec celery -A app worker --loglevel=info\nelif [[ $PROCESS_TYPE == beat ]]; then\n    exec celery -A app beat\nelse\n    celery -A app worker &\n    exec gunicorn -b :$PORT app.wsgi:application\nfi';
const SWITCH_CASE = 'case "$ROLE" in\n  worker|w) exec rq worker ;;\n  *) exec gunicorn app.wsgi:application ;;\nesac';
const switched = (script: string, sets: string): Files => ({
  'api/requirements.txt': 'django\ncelery\n',
  'api/app/__init__.py': '',
  'api/app/wsgi.py': 'application = None\n',
  'api/manage.py': 'import os\n',
  'api/start.sh': START_SH(script),
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN chmod +x start.sh\nCMD ["./start.sh"]\n',
  'deploy.sh': `#!/usr/bin/env bash\ngcloud run deploy api-worker --source api --region europe-west1 --project acme-prod --set-env-vars=${sets}\n`,
});

const MANIFEST = (ports: string, command = ''): string => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: api
  annotations:
    run.googleapis.com/ingress: all
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-prod/apps/api:1.4.0
${command}${ports}          env:
            - name: LOG_LEVEL
              value: info
`;

const knative = (ports = '', command = ''): Files => ({
  ...service(),
  'deploy/api.yaml': MANIFEST(ports, command),
  'deploy/release.sh': '#!/usr/bin/env bash\ngcloud run services replace deploy/api.yaml --region europe-west1 --project acme-prod\n',
});

const terraform = (ports = ''): Files => ({
  ...service(),
  'infra/main.tf': `resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  project  = "acme-prod"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme-prod/apps/api:1.4.0"
${ports}    }
  }
}
`,
});

const cloudbuild = (portFlag = ''): Files => ({
  ...service(),
  'cloudbuild.yaml': `steps:
  - name: gcr.io/cloud-builders/docker
    args: ["build", "-f", "api/Dockerfile", "-t", "europe-docker.pkg.dev/$PROJECT_ID/apps/api:$SHORT_SHA", "api"]
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ["run", "deploy", "api", "--image", "europe-docker.pkg.dev/$PROJECT_ID/apps/api:$SHORT_SHA", "--region", "europe-west1"${portFlag}]
`,
});

const workflow = (flags = ''): Files => ({
  ...service(),
  '.github/workflows/deploy.yml': `name: deploy
on: { push: { branches: [main] } }
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          source: api
          region: europe-west1
${flags}`,
});

const RELATED = { at: 'api/Dockerfile:5', message: 'uvicorn listens on 8000 here and never reads $PORT' };

/** A NestJS service whose entry fixes its port; `port` is what its config module does with PORT. */
const nest = (config = '', flags = ''): Files => ({
  'web/package.json': '{ "name": "web", "scripts": { "start": "node dist/main.js" } }\n',
  'web/src/main.ts': 'import { NestFactory } from \'@nestjs/core\';\nimport { AppModule } from \'./app.module\';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n',
  ...(config ? { 'web/src/config.ts': config } : {}),
  'web/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["node", "dist/main.js"]\n',
  'deploy.sh': `#!/usr/bin/env bash\ngcloud run deploy web --source web --region europe-west1 --project acme-prod ${flags}\n`,
});

/** The image runs a start script that migrates, then execs the server; `flags` of the deploy. */
const started = (exec: string, flags = ''): Files => ({
  'api/requirements.txt': 'django\ngunicorn\n',
  'api/app/__init__.py': '',
  'api/app/wsgi.py': 'application = None\n',
  'api/manage.py': 'import os\n',
  'api/entrypoint.sh': `#!/bin/bash\nset -e\npython manage.py migrate --noinput\n${exec}\n`,
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
  'deploy.sh': `#!/usr/bin/env bash\ngcloud run deploy api --source api --region europe-west1 --project acme-prod ${flags}\n`,
});
/** The manifest's and the Terraform resource's image, built from api/Dockerfile in CI. */
const BUILT: Files = {
  'cloudbuild.yaml': 'steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ["build", "-f", "api/Dockerfile", "-t", "europe-docker.pkg.dev/acme-prod/apps/api:1.4.0", "api"]\nimages: ["europe-docker.pkg.dev/acme-prod/apps/api:1.4.0"]\n',
};
const GUNICORN_8080 = 'exec gunicorn app.wsgi:application --bind 0.0.0.0:8080 --workers 2';

RuleTester.run(envUnsetForDeploy, {
  valid: [
    { name: 'gcloud: the deploy sets --port to the server\'s', files: shell('--port 8000'), control: { files: shell() } },
    { name: 'a manifest declaring the containerPort', files: knative('          ports:\n            - containerPort: 8000\n'), control: { files: knative() } },
    { name: 'Terraform: a ports block', files: terraform('      ports {\n        container_port = 8000\n      }\n'), control: { files: terraform() } },
    {
      name: 'Terraform: a dynamic ports block (its port known at apply time)',
      files: terraform('      dynamic "ports" {\n        for_each = var.port == null ? [] : [var.port]\n        content {\n          container_port = ports.value\n        }\n      }\n'),
      control: { files: terraform() },
    },
    {
      // The image's build is not seen: only where every Dockerfile of the service's folder starts
      // the same port is that the image's.
      name: 'the image\'s build not seen, and the service\'s Dockerfiles start different ports',
      files: { ...terraform(), 'api/Dockerfile.dev': DOCKERFILE('CMD ["uvicorn", "app.main:app", "--reload", "--port", "5000"]') },
      control: { files: { ...terraform(), 'api/Dockerfile.prod': DOCKERFILE(UVICORN_8000) } },
    },
    {
      name: 'an update (`services update`) changes no port it is not told to',
      files: { ...service(), 'deploy.sh': '#!/usr/bin/env bash\ngcloud run services update api --region europe-west1 --project acme-prod --update-labels team=core\n' },
      control: { files: shell() },
    },
    {
      // `gcloud run deploy` keeps the port the Terraform resource set, whatever names the two use.
      name: 'gcloud without --port where a Terraform resource of the workspace sets that port',
      files: { ...shell(), 'infra/main.tf': 'resource "google_cloud_run_v2_service" "svc" {\n  name     = var.service_name\n  location = "europe-west1"\n  template {\n    containers {\n      image = var.image\n      ports {\n        container_port = 8000\n      }\n    }\n  }\n}\n' },
      control: { files: shell() },
    },
    {
      // The build names a Dockerfile the repository does not hold: which server runs is not known,
      // and the folder's other Dockerfile is no stand-in for it.
      name: 'the image\'s build names a missing Dockerfile',
      files: { ...cloudbuild(), 'cloudbuild.yaml': cloudbuild()['cloudbuild.yaml']!.replace('"api/Dockerfile"', '"api/Dockerfile.gcp"') },
      control: { files: cloudbuild() },
    },
    {
      name: 'the service reads PORT somewhere (its config module): which port it takes is not the entry\'s literal alone',
      files: nest('export const port = Number(process.env.PORT ?? 3000);\n'),
      control: { files: nest() },
    },
    { name: 'the NestJS service deployed with --port 3000', files: nest('', '--port 3000'), control: { files: nest() } },
    {
      // No Dockerfile: buildpacks decide what runs, which the workspace does not show.
      name: 'a listener in code the image is not shown to run',
      files: Object.fromEntries(Object.entries(nest()).filter(([f]) => f !== 'web/Dockerfile')),
      control: { files: nest() },
    },
    { name: 'Cloud Build: --port in the deploy step', files: cloudbuild(', "--port", "8000"'), control: { files: cloudbuild() } },
    { name: 'deploy-cloudrun: --port in flags', files: workflow('          flags: --port=8000\n'), control: { files: workflow() } },
    {
      name: 'the command reads $PORT (a shell-form fallback): Cloud Run\'s port is taken',
      files: shell('', 'CMD uvicorn app.main:app --host 0.0.0.0 --port ${PORT:-8000}'),
      control: { files: shell('', 'CMD uvicorn app.main:app --host 0.0.0.0 --port 8000') },
    },
    { name: 'a server on 8080, Cloud Run\'s default', files: shell('', 'CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080"]'), control: { files: shell() } },
    { name: 'gunicorn with no bind of its own (it binds $PORT when set)', files: shell('', 'CMD ["gunicorn", "app.main:app", "-k", "uvicorn.workers.UvicornWorker"]'), control: { files: shell('', 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app.main:app"]') } },
    { name: 'the deploy runs a command of its own', files: shell('--command uvicorn --args app.main:app,--port,8080'), control: { files: shell() } },
    {
      name: 'a Celery worker deployed as a job',
      files: { ...service('CMD ["celery", "-A", "app.worker", "worker"]'), 'deploy.sh': '#!/usr/bin/env bash\ngcloud run jobs deploy api-worker --source api --region europe-west1 --project acme-prod\n' },
      control: { files: shell('', 'CMD ["celery", "-A", "app.worker", "worker"]') },
    },
    {
      name: 'a job: it serves no requests',
      files: { ...service(), 'deploy.sh': '#!/usr/bin/env bash\ngcloud run jobs deploy api-migrate --source api --region europe-west1 --project acme-prod\n' },
      control: { files: shell() },
    },
    {
      name: 'a start script\'s background branch the deploy\'s value does not take (the web branch)',
      files: switched(SWITCH_IF, 'PROCESS_TYPE=web,REDIS_URL=redis://10.0.0.3:6379/0'),
      control: { files: switched(SWITCH_IF, 'PROCESS_TYPE=worker,REDIS_URL=redis://10.0.0.3:6379/0') },
    },
    {
      // An `else` is taken under every other value: the deploy's value alone does not say it.
      name: 'a background exec under else, and one run in the background beside a server',
      files: switched('if [ "$PROCESS_TYPE" = "web" ]; then\n  exec gunicorn app.wsgi:application\nelse\n  exec celery -A app worker\nfi', 'PROCESS_TYPE=worker'),
      control: { files: switched(SWITCH_IF, 'PROCESS_TYPE=worker') },
    },
    {
      name: 'a background exec under a test that is no equality (`-n`)',
      files: switched('if [ -n "$PROCESS_TYPE" ]; then\n  exec celery -A app worker\nfi\nexec gunicorn app.wsgi:application', 'PROCESS_TYPE=worker'),
      control: { files: switched(SWITCH_IF, 'PROCESS_TYPE=worker') },
    },
    {
      name: 'a start script that answers the probe from a job it starts in the background, then execs the worker',
      files: switched('python -m http.server 8080 &\nsleep 2\nexec celery -A app worker', 'LOG_LEVEL=info'),
      control: { files: switched('sleep 2\nexec celery -A app worker', 'LOG_LEVEL=info') },
    },
    {
      name: 'the value set as a job: it serves no requests',
      files: { ...switched(SWITCH_IF, 'PROCESS_TYPE=worker'), 'deploy.sh': '#!/usr/bin/env bash\ngcloud run jobs deploy api-worker --source api --region europe-west1 --project acme-prod --set-env-vars=PROCESS_TYPE=worker\n' },
      control: { files: switched(SWITCH_IF, 'PROCESS_TYPE=worker') },
    },
    { name: 'a manifest whose container has a command of its own', files: knative('', '          command: ["uvicorn", "app.main:app", "--port", "8080"]\n'), control: { files: knative() } },
    { name: 'the deploy\'s --port is the one the start script\'s server binds', files: started(GUNICORN_8080, '--port 8080'), control: { files: started(GUNICORN_8080, '--port 8000') } },
    { name: 'the start script\'s server binds $PORT: any --port reaches it', files: started('exec gunicorn app.wsgi:application --bind 0.0.0.0:$PORT', '--port 8000'), control: { files: started(GUNICORN_8080, '--port 8000') } },
    {
      name: 'the start script\'s branches bind different ports: which one runs is not known',
      files: started('if [ "$MODE" = "admin" ]; then\n  exec gunicorn app.wsgi:application --bind :9000\nfi\nexec gunicorn app.wsgi:application --bind :8080', '--port 8000'),
      control: { files: started(GUNICORN_8080, '--port 8000') },
    },
    {
      name: 'the start script runs the server in the background behind a proxy it starts last',
      files: started('gunicorn app.wsgi:application --bind 127.0.0.1:8000 &\nnginx -g "daemon off;"', '--port 8080'),
      control: { files: started('gunicorn app.wsgi:application --bind 127.0.0.1:8000', '--port 8080') },
    },
    {
      // gcloud keeps the port set before; on the corpus such services had it set by hand.
      name: 'a port only the start script says, at a gcloud deploy without --port: not claimed',
      files: started('exec gunicorn app.wsgi:application --bind :8000'),
      control: { files: started('exec gunicorn app.wsgi:application --bind :8000', '--port 8080') },
    },
    {
      // The image's build is not seen: the folder's Dockerfile may be a local one, CI building another.
      name: 'a container port against a port guessed from the service folder\'s Dockerfile: not claimed',
      files: terraform('      ports {\n        container_port = 8080\n      }\n'),
      control: { files: { ...terraform('      ports {\n        container_port = 8080\n      }\n'), ...BUILT } },
    },
    { name: 'the deploy\'s port is a variable', files: started(GUNICORN_8080, '--port "$APP_PORT"'), control: { files: started(GUNICORN_8080, '--port 8000') } },
  ],
  invalid: [
    {
      name: 'the deploy sends requests to --port 8000, the start script\'s gunicorn binds 8080: an error at the port, fixed there',
      files: started(GUNICORN_8080, '--port 8000'),
      findings: [{
        at: 'deploy.sh:2', severity: 'error', messageId: 'portMismatch', text: '8000',
        message: 'api (production) sends requests to port 8000 (--port); its image\'s gunicorn listens on 8080',
        related: [{ at: 'api/entrypoint.sh:4', message: 'gunicorn listens on 8080 here and never reads $PORT' }],
        fixes: [{ title: 'Send requests to port 8080, where its image\'s gunicorn listens', safe: false, preferred: true, newText: '8080', output: { remaining: [], contains: { 'deploy.sh': '--port 8080' } } }],
      }],
    },
    {
      name: 'a manifest whose containerPort is not the Dockerfile command\'s port: an error',
      files: { ...knative('          ports:\n            - containerPort: 8080\n'), ...BUILT },
      findings: [{
        at: 'deploy/api.yaml:13', severity: 'error', messageId: 'portMismatch', text: '8080',
        message: 'api (default) sends requests to port 8080 (containerPort); its image\'s uvicorn listens on 8000',
        related: [RELATED],
        fixes: [{ title: /^Send requests to port 8000/, safe: false, preferred: true, newText: '8000', output: { remaining: [] } }],
      }],
    },
    {
      name: 'Terraform: a container_port other than the server\'s',
      files: { ...terraform('      ports {\n        container_port = 3000\n      }\n'), ...BUILT },
      findings: [{ at: 'infra/main.tf:9', severity: 'error', messageId: 'portMismatch', message: 'sends requests to port 3000 (container_port); its image\'s uvicorn listens on 8000', related: [RELATED], fixes: [{ title: /^Send requests to port 8000/, safe: false, preferred: true, output: { remaining: [] } }] }],
    },
    {
      name: 'the service\'s entry listens on 3000, the deploy sends requests to 8080: said at the code',
      files: nest('', '--port 8080'),
      findings: [{
        at: 'deploy.sh:2', severity: 'error', messageId: 'portMismatch', message: 'web (production) sends requests to port 8080 (--port); web/src/main.ts listens on 3000',
        related: [{ at: 'web/src/main.ts:6' }], fixes: [{ title: /^Send requests to port 3000/, safe: false, preferred: true, output: { remaining: [] } }],
      }],
    },
    {
      name: 'a manifest nothing here applies, with another containerPort: information',
      files: { ...service(), ...BUILT, 'deploy/api.yaml': MANIFEST('          ports:\n            - containerPort: 8080\n') },
      findings: [{ at: 'deploy/api.yaml:13', severity: 'info', messageId: 'portMismatchUnapplied', message: 'would get requests on port 8080 (containerPort); its image\'s uvicorn listens on 8000', related: [RELATED], fixes: [{ title: /^Send requests to port 8000/, safe: false, preferred: true }] }],
    },
    {
      name: 'gcloud without --port: a warning (an earlier deploy may have set the port)',
      files: shell(),
      findings: [{
        at: 'deploy.sh:3', severity: 'info', messageId: 'portFixedKept', text: 'api',
        message: 'api (production) is deployed without --port (8080 unless set before); its image\'s uvicorn listens on 8000',
        related: [RELATED], fixes: [],
      }],
    },
    {
      name: 'a manifest that is the whole service, with no containerPort: an error',
      files: knative(),
      findings: [{
        at: 'deploy/api.yaml:4', severity: 'error', messageId: 'portFixed', text: 'api',
        message: 'api (default) sets no container port, so Cloud Run sends requests to 8080; its image\'s uvicorn listens on 8000',
        related: [RELATED], fixes: [],
      }],
    },
    {
      name: 'Terraform with no ports block: an error',
      files: terraform(),
      findings: [{
        at: 'infra/main.tf:2', severity: 'error', messageId: 'portFixed',
        message: 'sets no container port, so Cloud Run sends requests to 8080',
        related: [RELATED], fixes: [],
      }],
    },
    {
      name: 'Cloud Build building the image and deploying it without --port: a warning',
      files: cloudbuild(),
      findings: [{ at: 'cloudbuild.yaml:6', severity: 'info', messageId: 'portFixedKept', message: 'its image\'s uvicorn listens on 8000', related: [RELATED], fixes: [] }],
    },
    {
      name: 'deploy-cloudrun from source without --port: a warning',
      files: workflow(),
      findings: [{ at: '.github/workflows/deploy.yml:11', severity: 'info', messageId: 'portFixedKept', message: 'its image\'s uvicorn listens on 8000', related: [RELATED], fixes: [] }],
    },
    {
      name: 'a manifest nothing here applies: information',
      files: { ...service(), 'deploy/api.yaml': MANIFEST('') },
      findings: [{
        at: 'deploy/api.yaml:4', severity: 'info', messageId: 'portFixedUnapplied',
        message: 'would get requests on 8080 (no container port); its image\'s uvicorn listens on 8000',
        related: [RELATED], fixes: [],
      }],
    },
    {
      name: 'a Cloud Run service whose image runs a Celery worker: nothing listens (a warning: the program may serve a probe itself)',
      files: shell('', 'CMD ["celery", "-A", "app.worker:celery_app", "worker", "--loglevel=info"]'),
      findings: [{
        at: 'deploy.sh:3', severity: 'warning', messageId: 'servesNothing', text: 'api',
        message: 'api (production) is a Cloud Run service, but its image runs celery worker, which listens on no port',
        related: [{ at: 'api/Dockerfile:5', message: 'the image runs celery worker, which opens no port' }], fixes: [],
      }],
    },
    {
      name: 'the image\'s start script execs a Celery worker under the value the deploy sets: named by its deployed name',
      files: switched(SWITCH_IF, 'PROCESS_TYPE=worker,REDIS_URL=redis://10.0.0.3:6379/0'),
      findings: [{
        at: 'deploy.sh:2', severity: 'warning', messageId: 'servesNothingWhen', text: 'api-worker',
        message: 'api-worker (production) answers no request: with PROCESS_TYPE=worker its image runs celery worker, which opens no port',
        related: [{ at: 'api/start.sh:5', message: 'with PROCESS_TYPE=worker, the image runs celery worker, which opens no port' }], fixes: [],
      }],
    },
    {
      name: 'an elif branch, and a case item among several values',
      files: switched(SWITCH_IF, 'PROCESS_TYPE=beat'),
      findings: [{ at: 'deploy.sh:2', severity: 'warning', messageId: 'servesNothingWhen', message: 'with PROCESS_TYPE=beat its image runs celery beat', related: [{ at: 'api/start.sh:7', message: 'with PROCESS_TYPE=beat' }], fixes: [] }],
    },
    {
      name: 'a case on the variable',
      files: switched(SWITCH_CASE, 'ROLE=w'),
      findings: [{ at: 'deploy.sh:2', severity: 'warning', messageId: 'servesNothingWhen', message: 'with ROLE=w its image runs rq worker', related: [{ at: 'api/start.sh:5' }], fixes: [] }],
    },
    {
      name: 'a start script that execs a worker at its top level, whatever the deploy sets',
      files: switched('exec celery -A app worker --concurrency=2', 'LOG_LEVEL=info'),
      findings: [{ at: 'deploy.sh:2', severity: 'warning', messageId: 'servesNothing', message: 'its image runs celery worker, which listens on no port', related: [{ at: 'api/start.sh:4', message: 'the image runs celery worker, which opens no port' }], fixes: [] }],
    },
    {
      name: 'the image runs node, and the service\'s entry listens on a fixed port: said at the code',
      files: nest(),
      findings: [{
        at: 'deploy.sh:2', severity: 'info', messageId: 'portFixedKept', text: 'web',
        message: 'web (production) is deployed without --port (8080 unless set before); web/src/main.ts listens on 3000',
        related: [{ at: 'web/src/main.ts:6', message: 'the server listens on 3000 here, and the service never reads $PORT' }], fixes: [],
      }],
    },
    {
      name: 'gunicorn binding a fixed address: the same',
      files: shell('', 'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.main:app"]'),
      findings: [{ at: 'deploy.sh:3', severity: 'info', messageId: 'portFixedKept', message: 'its image\'s gunicorn listens on 8000', related: [{ at: 'api/Dockerfile:5', message: 'gunicorn listens on 8000 here' }], fixes: [] }],
    },
  ],
});
