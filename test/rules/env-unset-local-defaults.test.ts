/**
 * env-unset-for-deploy, `deployWithoutLocal`: a read whose default is an address on the machine
 * itself (`redis://localhost:6379`, `http://127.0.0.1:8082`) in a Cloud Run service whose deploy
 * leaves the name unset. The code does not fail where it reads, so a warning; quiet where the deploy
 * sets it, keeps earlier variables, runs a sidecar, or the address is the service's own port.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const worker = (reads: string, deployFlags = '--set-env-vars "LOG_LEVEL=info"', extra: Files = {}): Files => ({
  'worker/requirements.txt': 'redis\ncelery\n',
  'worker/app/__init__.py': '',
  'worker/app/queue.py': `import os

import redis

${reads}


def enqueue(job: str) -> None:
    client.lpush("jobs", job)
`,
  'deploy/deploy-worker.sh': `#!/usr/bin/env bash
gcloud run deploy worker --source worker --project acme-prod --region europe-west1 \\
  ${deployFlags}
`,
  ...extra,
});

const LOCAL = 'client = redis.Redis.from_url(os.getenv("QUEUE_URL", "redis://localhost:6379/0"))';
const REMOTE = 'client = redis.Redis.from_url(os.getenv("QUEUE_URL", "redis://queue.internal:6379/0"))';

const gateway = (fallback: string, containers = 1): Files => ({
  'gateway/package.json': '{ "name": "gateway", "dependencies": { "express": "^4" } }\n',
  'gateway/src/proxy.ts': `import express from 'express';

const target = process.env.ORCHESTRATOR_URL ?? '${fallback}';

export const app = express();
app.get('/run', async (_req, res) => {
  const r = await fetch(\`\${target}/run\`);
  res.status(r.status).send(await r.text());
});
`,
  'gateway/service.yaml': `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: gateway
  labels:
    cloud.googleapis.com/location: us-central1
spec:
  template:
    spec:
      containers:
        - image: us-docker.pkg.dev/acme/web/gateway:latest
          ports:
            - containerPort: 3000
          env:
            - name: NODE_ENV
              value: production
${containers > 1 ? '        - image: us-docker.pkg.dev/acme/web/orchestrator:latest\n' : ''}`,
});

const pydanticService = (field: string): Files => ({
  'billing/requirements.txt': 'fastapi\npydantic-settings\n',
  'billing/app/__init__.py': '',
  'billing/app/config.py': `from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    ${field}


settings = Settings()
`,
  'cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - billing
      - --source=billing
      - --region=us-central1
      - --set-env-vars=APP_ENV=production
`,
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'an address elsewhere: a default that can be right in production',
      files: worker(REMOTE),
      control: { files: worker(LOCAL) },
    },
    {
      name: 'the deploy sets the name',
      files: worker(LOCAL, '--set-env-vars "LOG_LEVEL=info,QUEUE_URL=redis://10.0.0.3:6379/0"'),
      control: { files: worker(LOCAL) },
    },
    {
      // The service had the value from somewhere before this deploy: it keeps it.
      name: 'a deploy that only adds variables',
      files: worker(LOCAL, '--update-env-vars "LOG_LEVEL=info"'),
      control: { files: worker(LOCAL) },
    },
    {
      name: 'a read in a test',
      files: worker(REMOTE, undefined, { 'worker/tests/test_queue.py': `import os\n\nURL = os.getenv("QUEUE_URL", "redis://localhost:6379/0")\n` }),
      control: { files: worker(REMOTE, undefined, { 'worker/app/cache.py': `import os\n\nURL = os.getenv("QUEUE_URL", "redis://localhost:6379/0")\n` }) },
    },
    {
      // Another container of the same instance may be what answers on localhost.
      name: 'a manifest with a sidecar',
      files: gateway('http://localhost:8082', 2),
      control: { files: gateway('http://localhost:8082') },
    },
    {
      // localhost on the port the service listens on is the service itself: a call to itself.
      name: 'the service\'s own port',
      files: gateway('http://localhost:3000'),
      control: { files: gateway('http://localhost:8082') },
    },
    {
      // A link in a mail or a redirect: a browser opens it, not the container.
      name: 'a web address people are sent to (FRONTEND_URL), and a name a bundler inlines',
      files: worker(`${REMOTE}\nLINKS = os.getenv("FRONTEND_URL", "http://localhost:3000")\nAPI = os.getenv("VITE_API_URL", "http://localhost:8000")`),
      control: { files: worker(`${REMOTE}\nLINKS = os.getenv("RENDERER_URL", "http://localhost:3000")`) },
    },
    {
      name: 'a bind address is where the service listens, not an address it connects to',
      files: worker(`${REMOTE}\nBIND = os.getenv("HOST", "localhost")`),
      control: { files: worker(`${REMOTE}\nCACHE = os.getenv("CACHE_HOST", "localhost")`) },
    },
  ],
  invalid: [
    {
      name: 'a Python default on a shell deploy',
      files: worker(LOCAL),
      findings: [{
        at: 'deploy/deploy-worker.sh:3', severity: 'warning', messageId: 'deployWithoutLocal',
        message: /^worker \(production\) lacks QUEUE_URL: worker\/app\/queue\.py falls back to localhost:6379, its own Cloud Run container$/,
        related: ['worker/app/queue.py:5'],
        fixes: [{
          title: /^Add QUEUE_URL=/, safe: false, preferred: true,
          output: { contains: { 'deploy/deploy-worker.sh': 'LOG_LEVEL=info,QUEUE_URL=' }, remaining: [] },
        }],
      }],
    },
    {
      // The address is shown without the user and password the URL carries.
      name: 'an `or` fallback with credentials in the URL',
      files: worker(`${REMOTE}\nBROKER = os.environ.get("BROKER_URL") or "amqp://guest:guest@localhost:5672//"`),
      findings: [{
        at: 'deploy/deploy-worker.sh:3', severity: 'warning', messageId: 'deployWithoutLocal',
        message: /^worker \(production\) lacks BROKER_URL: worker\/app\/queue\.py falls back to localhost:5672, its own Cloud Run container$/,
        related: [{ at: 'worker/app/queue.py:6', message: /default on this machine: localhost:5672\)$/ }],
        fixes: [{ title: /^Add BROKER_URL=/, safe: false, preferred: true, output: { remaining: [] } }],
      }],
    },
    {
      name: 'a TypeScript fallback on a Knative manifest',
      files: gateway('http://localhost:8082'),
      findings: [{
        at: 'gateway/service.yaml:14', severity: 'warning', messageId: 'deployWithoutLocal',
        message: /^gateway \(default\) lacks ORCHESTRATOR_URL: gateway\/src\/proxy\.ts falls back to localhost:8082, /,
        related: ['gateway/src/proxy.ts:3'],
        fixes: [{
          title: /^Add ORCHESTRATOR_URL=/, safe: false, preferred: true,
          output: { contains: { 'gateway/service.yaml': 'name: ORCHESTRATOR_URL\n' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'a settings field on a Cloud Build deploy',
      files: pydanticService('REDIS_URL: str = "redis://127.0.0.1:6379"'),
      findings: [{
        at: 'cloudbuild.yaml:10', severity: 'warning', messageId: 'deployWithoutLocal',
        message: /^billing \(production\) lacks REDIS_URL: billing\/app\/config\.py falls back to 127\.0\.0\.1:6379, /,
        related: ['billing/app/config.py:5'],
        fixes: [{ title: /^Add REDIS_URL=/, safe: false, preferred: true, output: { contains: { 'cloudbuild.yaml': 'APP_ENV=production,REDIS_URL=' }, remaining: [] } }],
      }],
    },
  ],
});
