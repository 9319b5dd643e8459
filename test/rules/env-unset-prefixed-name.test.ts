/**
 * env-unset-for-deploy when the deploy sets the variable under a prefixed or nearly spelled name no
 * code reads (`DJANGO_SECRET_KEY` where the settings read `SECRET_KEY`, `SLACK_CHANNELS` for
 * `SLACKIN_CHANNELS`): the message names it, and the
 * preferred fix renames the deploy's variable, keeping its value (a secret reference stays the
 * same secret) rather than adding a new one. Minimal reproductions written from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const SETTINGS = `import os

SIGNING_KEY = os.environ["SIGNING_KEY"]
QUEUE_URL = os.environ["QUEUE_URL"]


def signer():
    return make_signer(SIGNING_KEY, QUEUE_URL)
`;

const service = (extra: Files): Files => ({
  'api/requirements.txt': 'flask\n',
  'api/app/settings.py': SETTINGS,
  ...extra,
});

const shell = (secrets: string) => service({
  'deploy/deploy-api-prod.sh': `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy api-prod \\
  --source api \\
  --project acme-prod \\
  --set-env-vars "ENVIRONMENT=production,QUEUE_URL=https://queue.example.com" \\
  --set-secrets "${secrets}"
`,
});

const cloudbuild = (secrets: string) => service({
  'api/cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - api-prod
      - --source=api
      - --project=acme-prod
      - --set-env-vars=ENVIRONMENT=production,QUEUE_URL=https://queue.example.com
      - --set-secrets=${secrets}
`,
});

const actions = (name: string) => service({
  '.github/workflows/deploy-api.yml': `name: deploy api
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api-prod
          source: api
          project_id: acme-prod
          env_vars_update_strategy: overwrite
          secrets_update_strategy: overwrite
          env_vars: |
            ENVIRONMENT=production
            QUEUE_URL=https://queue.example.com
          secrets: |
            ${name}=signing-key:latest
`,
});

const CHANNELS = 'import os\n\nCHANNEL_LIST = os.environ.get("INVITE_CHANNELS")\n';
const NEAR_CHANNELS = (shell('SIGNING_KEY=signing-key:latest')['deploy/deploy-api-prod.sh'] as string).replace('ENVIRONMENT=production,', 'ENVIRONMENT=production,INVITES_CHANNELS=general,');

const PREFIXED = /^api \(production\) sets FLASK_SIGNING_KEY, not SIGNING_KEY, which api\/app\/settings\.py reads$/;

const renamed = (at: string, file: string, related = 'api/app/settings.py:3') => ({
  at, severity: 'error' as const, messageId: 'deployWithoutPrefixed', message: PREFIXED, related: [related],
  fixes: [
    {
      title: /^Rename FLASK_SIGNING_KEY to SIGNING_KEY in /, safe: false, preferred: true, newText: 'SIGNING_KEY',
      output: { contains: { [file]: 'SIGNING_KEY=signing-key:latest' }, lacks: { [file]: 'FLASK_SIGNING_KEY' }, remaining: [] },
    },
    { title: /^Add SIGNING_KEY to api \(production\)/, safe: false, preferred: false },
  ],
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'the deploy sets the name the code reads',
      files: shell('SIGNING_KEY=signing-key:latest'),
      control: { files: shell('FLASK_SIGNING_KEY=signing-key:latest') },
    },
    {
      name: 'a read whose need this file does not show, and no near name deployed: quiet',
      files: { ...shell('SIGNING_KEY=signing-key:latest'), 'api/app/channels.py': CHANNELS },
      control: { files: { ...shell('SIGNING_KEY=signing-key:latest'), 'api/app/channels.py': CHANNELS, 'deploy/deploy-api-prod.sh': NEAR_CHANNELS } },
    },
  ],
  invalid: [
    {
      name: 'a shell deploy sets the secret under a prefixed name',
      files: shell('FLASK_SIGNING_KEY=signing-key:latest'),
      findings: [renamed('deploy/deploy-api-prod.sh:7', 'deploy/deploy-api-prod.sh')],
    },
    {
      name: 'a Cloud Build deploy sets it under a prefixed name',
      files: cloudbuild('FLASK_SIGNING_KEY=signing-key:latest'),
      findings: [renamed('api/cloudbuild.yaml:11', 'api/cloudbuild.yaml')],
    },
    {
      name: 'a GitHub Actions deploy sets it under a prefixed name',
      files: actions('FLASK_SIGNING_KEY'),
      findings: [renamed('.github/workflows/deploy-api.yml:17', '.github/workflows/deploy-api.yml')],
    },
    {
      name: 'a deploy linked by name only keeps its hedge in the message; the rename is still the first fix',
      files: { ...shell('FLASK_SIGNING_KEY=signing-key:latest'), 'deploy/deploy-api-prod.sh': (shell('FLASK_SIGNING_KEY=signing-key:latest')['deploy/deploy-api-prod.sh'] as string).replace('--source api', '--image europe-docker.pkg.dev/acme/apps/web:1') },
      findings: [{
        ...renamed('deploy/deploy-api-prod.sh:7', 'deploy/deploy-api-prod.sh'),
        severity: 'warning' as const, messageId: 'deployWithoutInferred',
        message: /^api \(production\) is deployed without SIGNING_KEY, which api\/app\/settings\.py reads \(deploy linked by name\)$/,
      }],
    },
    {
      name: 'a deploy sets it spelled nearly so (one word shorter by its ending)',
      files: shell('SIGNIN_KEY=signing-key:latest'),
      findings: [{
        ...renamed('deploy/deploy-api-prod.sh:7', 'deploy/deploy-api-prod.sh'),
        message: /^api \(production\) sets SIGNIN_KEY, not SIGNING_KEY, which api\/app\/settings\.py reads$/,
        fixes: [
          {
            title: /^Rename SIGNIN_KEY to SIGNING_KEY in /, safe: false, preferred: true, newText: 'SIGNING_KEY',
            output: { contains: { 'deploy/deploy-api-prod.sh': 'SIGNING_KEY=signing-key:latest' }, lacks: { 'deploy/deploy-api-prod.sh': 'SIGNIN_KEY' }, remaining: [] },
          },
          { title: /^Add SIGNING_KEY to api \(production\)/, safe: false, preferred: false },
        ],
      }],
    },
    {
      name: 'a read whose need this file does not show is reported when the deploy sets a near name: the deploy wants the value',
      files: {
        ...shell('SIGNING_KEY=signing-key:latest'),
        'api/app/channels.py': CHANNELS,
        'deploy/deploy-api-prod.sh': NEAR_CHANNELS,
      },
      findings: [{
        at: 'deploy/deploy-api-prod.sh:6', severity: 'error', messageId: 'deployWithoutPrefixed',
        message: /^api \(production\) sets INVITES_CHANNELS, not INVITE_CHANNELS, which api\/app\/channels\.py reads$/,
        related: ['api/app/channels.py:3'],
        fixes: [
          { title: /^Rename INVITES_CHANNELS to INVITE_CHANNELS in /, safe: false, preferred: true, newText: 'INVITE_CHANNELS' },
          { title: /^Add INVITE_CHANNELS=REPLACE_WITH_INVITE_CHANNELS to api \(production\)/, safe: false, preferred: false },
        ],
      }],
    },
    {
      name: 'a deploy sets it with a word more at its end (SIGNING_KEY_VALUE for SIGNING_KEY)',
      files: shell('SIGNING_KEY_VALUE=signing-key:latest'),
      findings: [{
        ...renamed('deploy/deploy-api-prod.sh:7', 'deploy/deploy-api-prod.sh'),
        message: /^api \(production\) sets SIGNING_KEY_VALUE, not SIGNING_KEY, which api\/app\/settings\.py reads$/,
        fixes: [
          { title: /^Rename SIGNING_KEY_VALUE to SIGNING_KEY in /, safe: false, preferred: true, newText: 'SIGNING_KEY' },
          { title: /^Add SIGNING_KEY to api \(production\)/, safe: false, preferred: false },
        ],
      }],
    },
    {
      // Where no deploy here sets the name, a deploy that only adds variables lacking it is
      // information (the name is managed outside the repository); setting a near name nothing
      // reads says the value is meant to come from this deploy.
      name: 'a deploy that only adds variables sets it under a near name: a warning that names it, the rename first',
      files: { ...shell('SIGNING_KEY=signing-key:latest'), 'deploy/deploy-api-prod.sh': (shell('SIGNING_KEY_VALUE=signing-key:latest')['deploy/deploy-api-prod.sh'] as string).replace('--set-env-vars', '--update-env-vars').replace('--set-secrets', '--update-secrets') },
      findings: [{
        at: 'deploy/deploy-api-prod.sh:7', severity: 'warning', messageId: 'deployWithoutKeepsPrefixed',
        message: /^api \(production\) sets SIGNING_KEY_VALUE, not SIGNING_KEY, which api\/app\/settings\.py reads \(earlier variables are kept\)$/,
        related: ['api/app/settings.py:3'],
        fixes: [
          { title: /^Rename SIGNING_KEY_VALUE to SIGNING_KEY in /, safe: false, preferred: true, newText: 'SIGNING_KEY' },
          { title: /^Add SIGNING_KEY to api \(production\)/, safe: false, preferred: false },
        ],
      }],
    },
    {
      name: 'look-alike: a deploy that only adds variables and sets no near name: information, as before',
      files: { ...shell('SIGNING_KEY=signing-key:latest'), 'deploy/deploy-api-prod.sh': (shell('OTHER_TOKEN=signing-key:latest')['deploy/deploy-api-prod.sh'] as string).replace('--set-env-vars', '--update-env-vars').replace('--set-secrets', '--update-secrets') },
      findings: [{
        at: 'deploy/deploy-api-prod.sh:7', severity: 'info', messageId: 'deployWithoutKeeps',
        message: /^api \(production\) may lack SIGNING_KEY, which api\/app\/settings\.py reads: its deploy keeps earlier variables$/,
        related: ['api/app/settings.py:3'],
        fixes: [{ title: /^Add SIGNING_KEY to api \(production\)/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'look-alike: another word, or a short word one letter off, is no near spelling: a plain missing variable',
      files: shell('SIGNING_SALT=signing-key:latest,SIGNING_KEX=other:latest'),
      findings: [{
        at: 'deploy/deploy-api-prod.sh:7', severity: 'error', messageId: 'deployWithout',
        message: /^api \(production\) is deployed without SIGNING_KEY, which api\/app\/settings\.py reads$/,
        related: ['api/app/settings.py:3'],
        fixes: [{ title: /^Add SIGNING_KEY to api \(production\)/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'look-alike: the prefixed name is read by code too, so it is no stand-in: a plain missing variable',
      files: { ...shell('FLASK_SIGNING_KEY=signing-key:latest'), 'api/app/flask_keys.py': 'import os\n\nKEY = os.environ.get("FLASK_SIGNING_KEY", "")\n' },
      findings: [{
        at: 'deploy/deploy-api-prod.sh:7', severity: 'error', messageId: 'deployWithout',
        message: /^api \(production\) is deployed without SIGNING_KEY, which api\/app\/settings\.py reads$/,
        related: ['api/app/settings.py:3'],
        fixes: [{ title: /^Add SIGNING_KEY to api \(production\)/, safe: false, preferred: true }],
      }],
    },
  ],
});
