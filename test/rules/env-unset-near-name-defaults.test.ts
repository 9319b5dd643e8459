/**
 * env-unset-for-deploy when a deploy writes a name no code reads beside a near name the code reads
 * with a default (`CACHE_TTL` set, `CACHE_TTL_SECONDS` read; `REDIS_URL_STAGING` set, `REDIS_URL`
 * read): the service runs on its default while the value meant for it sits under the other name.
 * Information at the write, whose fix renames it (the value stays). Minimal reproductions written
 * from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const CONFIG_TS = `export const config = {
  port: Number(process.env.PORT ?? 8080),
  cache: { ttlSeconds: parseInt(process.env.CACHE_TTL_SECONDS || '3600', 10) },
};
`;

const node = (extra: Files): Files => ({
  'api/package.json': '{ "name": "api", "scripts": { "start": "node dist/server.js" } }\n',
  'api/src/config.ts': CONFIG_TS,
  'api/src/server.ts': "import { config } from './config';\nexport const ttl = config.cache.ttlSeconds;\n",
  ...extra,
});

const shell = (env: string, extra: Files = {}) => node({
  'deploy/deploy-api.sh': `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy api \\
  --source api \\
  --project acme-prod \\
  --set-env-vars "NODE_ENV=production,${env}"
`,
  ...extra,
});

const cloudbuild = (env: string) => node({
  'api/cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', 'deploy', 'api', '--source=api', '--project=acme-prod', '--set-env-vars=NODE_ENV=production,${env}']
`,
});

const actions = (env: string) => node({
  '.github/workflows/deploy-api.yml': `name: deploy api
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          source: api
          project_id: acme-prod
          env_vars_update_strategy: overwrite
          env_vars: |
            NODE_ENV=production
            ${env}
`,
});

const SETTINGS = (dflt: string) => `import redis
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    redis_url: str = "${dflt}"


settings = Settings()
client = redis.from_url(settings.redis_url)
`;

const python = (name: string, value = 'redis://10.0.0.3:6379/1'): Files => ({
  'worker/requirements.txt': 'flask\nredis\n',
  'worker/app/__init__.py': '',
  'worker/app/queue.py': 'import os\nimport redis\n\nclient = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))\n',
  'worker/service.yaml': `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: worker-staging
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-staging/apps/worker:1
          env:
            - name: ${name}
              value: ${value}
`,
  'worker/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nCMD ["gunicorn", "app.queue:client"]\n',
  'worker/cloudbuild.yaml': `steps:
  - name: gcr.io/cloud-builders/docker
    args: ['build', '-t', 'europe-docker.pkg.dev/acme-staging/apps/worker:1', '.']
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', 'services', 'replace', 'service.yaml']
`,
});

const TTL = /^api \(production\) sets CACHE_TTL, which nothing reads; api\/src\/config\.ts reads CACHE_TTL_SECONDS and uses its default$/;

const renamed = (at: string, file: string) => ({
  at, severity: 'info' as const, messageId: 'setUnderNearName', message: TTL, related: ['api/src/config.ts:3'],
  fixes: [{
    title: /^Rename CACHE_TTL to CACHE_TTL_SECONDS in /, safe: false, preferred: true, newText: 'CACHE_TTL_SECONDS',
    output: { contains: { [file]: 'CACHE_TTL_SECONDS=7200' }, remaining: [] },
  }],
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'the deploy sets the name the code reads',
      files: shell('CACHE_TTL_SECONDS=7200'),
      control: { files: shell('CACHE_TTL=7200') },
    },
    {
      name: 'look-alike: the same deploy sets both names',
      files: shell('CACHE_TTL=7200,CACHE_TTL_SECONDS=7200'),
      control: { files: shell('CACHE_TTL=7200') },
    },
    {
      name: 'look-alike: other code reads the written name',
      files: shell('CACHE_TTL=7200', { 'api/src/metrics.ts': "export const legacyTtl = process.env.CACHE_TTL ?? '60';\n" }),
      control: { files: shell('CACHE_TTL=7200') },
    },
    {
      name: 'look-alike: the near read only compares, so no default stands in',
      files: { ...shell('CACHE_TTL=7200'), 'api/src/config.ts': "export const config = { cache: { on: process.env.CACHE_TTL_SECONDS === '0' } };\n" },
      control: { files: shell('CACHE_TTL=7200') },
    },
    {
      name: 'look-alike: two near names read, so which one is meant is not known',
      files: { ...shell('CACHE_TTL=7200'), 'api/src/limits.ts': "export const ms = Number(process.env.CACHE_TTL_MS ?? '1000');\n" },
      control: { files: shell('CACHE_TTL=7200') },
    },
    {
      name: 'look-alike: an OAuth credential under a suffixed name is oauth-env-mismatch\'s',
      files: { ...shell('GOOGLE_OAUTH_CLIENT_ID_STAGING=123.apps.googleusercontent.com'), 'api/src/oauth.ts': "export const clientId = process.env.GOOGLE_OAUTH_CLIENT_ID ?? '';\n" },
      control: { files: { ...shell('BILLING_ACCOUNT_ID_STAGING=acct-7'), 'api/src/oauth.ts': "export const account = process.env.BILLING_ACCOUNT_ID ?? '';\n" } },
    },
    {
      name: 'look-alike: Nitro fills its runtime config from NITRO_-prefixed names by itself',
      files: { ...shell('NITRO_SITE_URL=https://shop.example.com'), 'api/src/nitro.config.ts': "export default { runtimeConfig: { siteUrl: process.env.SITE_URL ?? 'https://example.com' } };\n" },
      control: { files: { ...shell('APP_SITE_URL=https://shop.example.com'), 'api/src/nitro.config.ts': "export default { runtimeConfig: { siteUrl: process.env.SITE_URL ?? 'https://example.com' } };\n" } },
    },
    {
      name: 'look-alike: the near read is inlined by a build (VITE_), which no name at run time reaches',
      files: { ...shell('API_URL=https://api.example.com'), 'api/src/client.ts': "export const base = import.meta.env.VITE_API_URL ?? 'http://localhost:8080';\n" },
      control: { files: { ...shell('API_URL=https://api.example.com'), 'api/src/client.ts': "export const base = process.env.BACKEND_API_URL ?? 'http://localhost:8080';\n" } },
    },
    {
      name: 'look-alike: the value written is the default the code runs on (TypeScript `||` text)',
      files: shell('CACHE_TTL=3600'),
      control: { files: shell('CACHE_TTL=7200') },
    },
    {
      name: 'look-alike: the value written is the default the code runs on (TypeScript `??` number)',
      files: { ...shell('CACHE_TTL=3600'), 'api/src/config.ts': 'export const config = { cache: { ttlSeconds: Number(process.env.CACHE_TTL_SECONDS ?? 3600) } };\n' },
      control: { files: { ...shell('CACHE_TTL=60'), 'api/src/config.ts': 'export const config = { cache: { ttlSeconds: Number(process.env.CACHE_TTL_SECONDS ?? 3600) } };\n' } },
    },
    {
      name: 'look-alike: the value written is the default the code runs on (Python `.get` default)',
      files: python('REDIS_URL_STAGING', 'redis://localhost:6379/0'),
      control: { files: python('REDIS_URL_STAGING') },
    },
    {
      name: 'look-alike: the value written is the default the code runs on (Python `setdefault`)',
      files: { ...python('REDIS_URL_STAGING'), 'worker/app/queue.py': 'import os\nimport redis\n\nos.environ.setdefault("REDIS_URL", "redis://10.0.0.3:6379/1")\nclient = redis.from_url(os.environ["REDIS_URL"])\n' },
      control: { files: { ...python('REDIS_URL_STAGING'), 'worker/app/queue.py': 'import os\nimport redis\n\nos.environ.setdefault("REDIS_URL", "redis://localhost:6379/0")\nclient = redis.from_url(os.environ["REDIS_URL"])\n' } },
    },
    {
      name: 'look-alike: the value written is a settings field\'s default (pydantic-settings)',
      files: { ...python('REDIS_URL_STAGING'), 'worker/requirements.txt': 'flask\nredis\npydantic-settings\n', 'worker/app/queue.py': SETTINGS('redis://10.0.0.3:6379/1') },
      control: { files: { ...python('REDIS_URL_STAGING'), 'worker/requirements.txt': 'flask\nredis\npydantic-settings\n', 'worker/app/queue.py': SETTINGS('redis://localhost:6379/0') } },
    },
    {
      name: 'look-alike: a library reads the written name by itself (Sentry\'s SDK and SENTRY_DSN)',
      files: { ...shell('SENTRY_DSN=https://k@o1.ingest.sentry.io/1'), 'api/src/sentry.ts': "export const dsn = process.env.SENTRY_DSN_URL ?? '';\n" },
    },
  ],
  invalid: [
    {
      name: 'a shell deploy sets the value under a shorter name',
      files: shell('CACHE_TTL=7200'),
      findings: [renamed('deploy/deploy-api.sh:6', 'deploy/deploy-api.sh')],
    },
    {
      name: 'a Cloud Build deploy sets it under a shorter name',
      files: cloudbuild('CACHE_TTL=7200'),
      findings: [renamed('api/cloudbuild.yaml:4', 'api/cloudbuild.yaml')],
    },
    {
      name: 'a GitHub Actions deploy sets it under a shorter name',
      files: actions('CACHE_TTL=7200'),
      findings: [renamed('.github/workflows/deploy-api.yml:15', '.github/workflows/deploy-api.yml')],
    },
    {
      name: 'a Knative manifest sets a Python read\'s name with the environment after it',
      files: python('REDIS_URL_STAGING'),
      findings: [{
        at: 'worker/service.yaml:11', severity: 'info', messageId: 'setUnderNearName',
        message: /^worker \(staging\) sets REDIS_URL_STAGING, which nothing reads; worker\/app\/queue\.py reads REDIS_URL and uses its default$/,
        related: ['worker/app/queue.py:4'],
        fixes: [{
          title: /^Rename REDIS_URL_STAGING to REDIS_URL in /, safe: false, preferred: true, newText: 'REDIS_URL',
          output: { contains: { 'worker/service.yaml': '- name: REDIS_URL\n' }, remaining: [] },
        }],
      }],
    },
    {
      // The missing-variable finding names the near name the deploy sets, and renames it first.
      name: 'look-alike: other code of the service reads the near name without a default: only the missing-variable finding, once',
      files: shell('CACHE_TTL=7200', { 'api/src/cache.ts': 'export const ttl = Number(process.env.CACHE_TTL_SECONDS!);\n' }),
      findings: [{
        at: 'deploy/deploy-api.sh:6', severity: 'error', messageId: 'deployWithoutPrefixed',
        message: /^api \(production\) sets CACHE_TTL, not CACHE_TTL_SECONDS, which api\/src\/cache\.ts reads$/,
        related: ['api/src/cache.ts:1'],
        fixes: [
          { title: /^Rename CACHE_TTL to CACHE_TTL_SECONDS in /, safe: false, preferred: true, newText: 'CACHE_TTL_SECONDS' },
          { title: /^Add CACHE_TTL_SECONDS=REPLACE_WITH_CACHE_TTL_SECONDS to api \(production\)/, safe: false, preferred: false },
        ],
      }],
    },
  ],
});
