/**
 * placeholder-secret from the image: a Dockerfile sets a secret to a stand-in for its build
 * (`ENV SECRET_KEY=django-insecure-build-key`, there for `collectstatic`), and a deploy of that
 * image does not set it while the service reads it: the service runs with the stand-in. An error
 * where the deploy replaces the variables and secrets; where it keeps what the service had, a
 * warning if another deploy here sets the name, information if none does. Minimal reproductions
 * written from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { placeholderSecret } from '../../server/src/rules/placeholder-secret';

before(ready);

const dockerfile = (env: string, builder = ''): string => `${builder}FROM python:3.12-slim
WORKDIR /app
COPY . .
${env}
CMD ["gunicorn", "site_app.wsgi"]
`;

const CODE = (env = 'ENV SECRET_KEY=django-insecure-build-key-for-collectstatic', builder = ''): Files => ({
  'web/requirements.txt': 'django\n',
  'web/Dockerfile': dockerfile(env, builder),
  'web/site_app/__init__.py': '',
  'web/site_app/wsgi.py': 'from site_app import settings\n',
  'web/site_app/settings.py': 'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY")\nDEBUG = False\n\n\ndef signer():\n    return make_signer(SECRET_KEY)\n',
});

const IMAGE = 'europe-docker.pkg.dev/acme-prod/apps/web';

const script = (flags: string): string => `#!/usr/bin/env bash
set -euo pipefail
docker build -t ${IMAGE}:1.0 web
docker push ${IMAGE}:1.0
gcloud run deploy web-production --image ${IMAGE}:1.0 --region europe-west1 \\
  ${flags}
`;

const shell = (flags: string, code: Files = CODE()): Files => ({ ...code, 'deploy/deploy-web-production.sh': script(flags) });

const REPLACING = '--set-env-vars ENVIRONMENT=production --set-secrets DATABASE_URL=web-database-url:latest';

RuleTester.run(placeholderSecret, {
  valid: [
    {
      name: 'the deploy sets the secret: the image\'s stand-in is overridden',
      files: shell('--set-env-vars ENVIRONMENT=production --set-secrets DATABASE_URL=web-database-url:latest,SECRET_KEY=web-secret-key:latest'),
      control: { files: shell(REPLACING) },
    },
    {
      name: 'the image\'s value is no stand-in',
      files: shell(REPLACING, CODE('ENV SECRET_KEY_FILE=/run/secrets/key')),
      control: { files: shell(REPLACING) },
    },
    {
      name: 'a name that is no credential\'s, with a word from the list',
      files: shell(REPLACING, CODE('ENV LOG_FORMAT=test')),
    },
    {
      name: 'set only in a builder stage: the running image does not have it',
      files: shell(REPLACING, CODE('', 'FROM python:3.12-slim AS build\nENV SECRET_KEY=django-insecure-build-key\nRUN true\n\n')),
      control: { files: shell(REPLACING) },
    },
    {
      name: 'the code does not read it',
      files: shell(REPLACING, { ...CODE(), 'web/site_app/settings.py': 'DEBUG = False\n' }),
      control: { files: shell(REPLACING) },
    },
  ],
  invalid: [
    {
      name: 'shell: a deploy replacing variables and secrets runs with the image\'s stand-in; the fix takes it from a secret',
      files: shell(REPLACING),
      findings: [{
        at: 'deploy/deploy-web-production.sh:6', severity: 'error', messageId: 'imagePlaceholder',
        message: 'SECRET_KEY for web (production) is a placeholder from web/Dockerfile: the deploy does not set it',
        related: [{ at: 'web/Dockerfile:4', message: 'SECRET_KEY set here in the image, to a placeholder' }, { at: 'web/site_app/settings.py:3', message: 'SECRET_KEY read here' }],
        fixes: [{
          title: 'Take SECRET_KEY from secret web-secret-key:latest in this deploy', safe: false, preferred: true,
          output: { contains: { 'deploy/deploy-web-production.sh': 'SECRET_KEY=web-secret-key:latest' }, remaining: [] },
        }],
      }],
      secrets: ['django-insecure-build-key-for-collectstatic'],
    },
    {
      name: 'shell: a deploy that keeps earlier variables, nothing here setting the name: information',
      files: shell('--update-env-vars ENVIRONMENT=production'),
      findings: [{
        at: 'deploy/deploy-web-production.sh:6', severity: 'info', messageId: 'imagePlaceholderKept',
        message: 'SECRET_KEY for web (production) may be a placeholder from web/Dockerfile; earlier variables and secrets are kept',
        related: ['web/Dockerfile:4', 'web/site_app/settings.py:3'],
        fixes: [{ title: /^Take SECRET_KEY from secret /, safe: false, preferred: true }],
      }],
    },
    {
      name: 'cloud build: a guessable word in the image, the deploy replacing everything',
      files: {
        ...CODE('ENV SECRET_KEY=123456'),
        'cloudbuild.yaml': `steps:
  - name: gcr.io/cloud-builders/docker
    args: ['build', '-t', '${IMAGE}:$SHORT_SHA', 'web']
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', 'deploy', 'web-production', '--image', '${IMAGE}:$SHORT_SHA', '--region', 'europe-west1', '--set-env-vars', 'ENVIRONMENT=production', '--set-secrets', 'DATABASE_URL=web-database-url:latest']
images: ['${IMAGE}:$SHORT_SHA']
`,
      },
      findings: [{
        at: 'cloudbuild.yaml:6', severity: 'error', messageId: 'imagePlaceholder',
        message: 'SECRET_KEY for web (production) is a guessable word from web/Dockerfile: the deploy does not set it',
        related: ['web/Dockerfile:4', 'web/site_app/settings.py:3'],
        fixes: [{ title: /^Take SECRET_KEY from secret /, safe: false, preferred: true, output: { contains: { 'cloudbuild.yaml': 'SECRET_KEY=web-secret-key:latest' }, remaining: [] } }],
      }],
    },
  ],
});
