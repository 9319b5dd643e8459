/**
 * deploy-drift: the repository's deploy of a Cloud Run service or job against what is running
 * (recorded state given to the analysis, as `deploy-preflight drift` does). Live-only entries
 * under a replacing deploy and under an additive one, entries never deployed, secret references
 * that differ, and the look-alikes that must stay quiet.
 */
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { deployDrift } from '../../server/src/rules/deploy-drift';
import { jobExport, serviceExport } from '../drift/recordings';

before(ready);

const CODE: Files = {
  'services/orders/requirements.txt': 'flask\n',
  'services/orders/app/main.py': [
    'import os',
    'QUEUE = os.environ["QUEUE_URL"]',
    'LEVEL = os.environ.get("LOG_LEVEL", "info")',
    'TOKEN = os.environ["API_TOKEN"]',
    '',
  ].join('\n'),
};

const deploy = (flags: string[]): Files => ({
  ...CODE,
  'deploy/orders-staging.sh': [
    '#!/usr/bin/env bash',
    'gcloud run deploy orders-staging \\',
    '  --source services/orders \\',
    '  --project shop-staging \\',
    '  --region europe-west1 \\',
    ...flags.map((f, i) => `  ${f}${i < flags.length - 1 ? ' \\' : ''}`),
    '',
  ].join('\n'),
});

const FULL = deploy(['--set-env-vars "LOG_LEVEL=debug,QUEUE_URL=https://queue.example/orders"', '--set-secrets "API_TOKEN=orders-api-token:latest"']);
const LIVE_SAME = { 'orders-staging.yaml': serviceExport('orders-staging', 'europe-west1', { LOG_LEVEL: 'debug', QUEUE_URL: 'https://queue.example/orders', API_TOKEN: { secret: 'orders-api-token' } }) };

RuleTester.run(deployDrift, {
  valid: [
    { name: 'the deploy and the running service agree', files: FULL, deployed: LIVE_SAME },
    { name: 'no deployed state given: the rule has nothing to compare', files: FULL },
    {
      name: 'a service of the same name in another region is not this deploy\'s',
      files: deploy(['--set-env-vars "LOG_LEVEL=debug"', '--set-secrets "API_TOKEN=orders-api-token:latest"']),
      deployed: { 'orders-staging.yaml': serviceExport('orders-staging', 'us-east1', { LOG_LEVEL: 'debug', QUEUE_URL: 'q', API_TOKEN: { secret: 'orders-api-token' } }) },
      control: { deployed: { 'orders-staging.yaml': serviceExport('orders-staging', 'europe-west1', { LOG_LEVEL: 'debug', QUEUE_URL: 'q', API_TOKEN: { secret: 'orders-api-token' } }) } },
    },
    {
      name: 'a different plain value is not compared (values are never kept)',
      files: FULL,
      deployed: { 'orders-staging.yaml': serviceExport('orders-staging', 'europe-west1', { LOG_LEVEL: 'warning', QUEUE_URL: 'https://other.example', API_TOKEN: { secret: 'orders-api-token' } }) },
    },
    {
      name: 'an env file the deploy does not name is the app\'s to load, not a variable of the service',
      files: { ...FULL, 'services/orders/.env.staging': 'FEATURE_FLAGS=beta\n' },
      deployed: LIVE_SAME,
    },
  ],
  invalid: [
    {
      name: 'live only, under a deploy that replaces the variables: the next deploy removes a required one',
      files: deploy(['--set-env-vars "LOG_LEVEL=debug"', '--set-secrets "API_TOKEN=orders-api-token:latest"']),
      deployed: LIVE_SAME,
      findings: [{
        at: 'deploy/orders-staging.sh:2',
        text: 'orders-staging',
        severity: 'error',
        messageId: 'liveOnly',
        message: 'QUEUE_URL is live on service orders-staging (as a plain value); this deploy would remove it',
        related: [{ at: 'services/orders/app/main.py:2', text: 'QUEUE_URL', message: 'QUEUE_URL read here by orders' }],
        fixes: [],
      }],
      secrets: ['https://queue.example/orders'],
    },
    {
      name: 'live only, under an additive deploy: kept, said at a lower severity',
      files: deploy(['--update-env-vars "LOG_LEVEL=debug"', '--set-secrets "API_TOKEN=orders-api-token:latest"']),
      deployed: LIVE_SAME,
      findings: [{
        at: 'deploy/orders-staging.sh:2',
        text: 'orders-staging',
        severity: 'info',
        messageId: 'liveKept',
        message: 'kept, as this deploy only adds variables',
        related: ['services/orders/app/main.py:2'],
        fixes: [],
      }],
    },
    {
      name: 'a secret reference live only, not read by the code: a warning',
      files: FULL,
      deployed: { 'orders-staging.yaml': serviceExport('orders-staging', 'europe-west1', { LOG_LEVEL: 'debug', QUEUE_URL: 'q', API_TOKEN: { secret: 'orders-api-token' }, WEBHOOK_KEY: { secret: 'orders-webhook-key', key: '3' } }) },
      findings: [{
        at: 'deploy/orders-staging.sh:2',
        severity: 'warning',
        messageId: 'liveOnly',
        message: 'WEBHOOK_KEY is live on service orders-staging (from secret orders-webhook-key); this deploy would remove it',
        related: [],
        fixes: [],
      }],
    },
    {
      name: 'set by the deploy, not live: never deployed',
      files: deploy(['--set-env-vars "LOG_LEVEL=debug,QUEUE_URL=q,FEATURE_FLAGS=beta"', '--set-secrets "API_TOKEN=orders-api-token:latest"']),
      deployed: LIVE_SAME,
      findings: [{
        at: 'deploy/orders-staging.sh:6',
        text: 'FEATURE_FLAGS',
        severity: 'warning',
        messageId: 'notLive',
        message: 'FEATURE_FLAGS is set here but not on the running service orders-staging: never deployed',
        related: [],
        fixes: [],
      }],
    },
    {
      name: 'a different secret live',
      files: FULL,
      deployed: { 'orders-staging.yaml': serviceExport('orders-staging', 'europe-west1', { LOG_LEVEL: 'debug', QUEUE_URL: 'q', API_TOKEN: { secret: 'orders-token-v2' } }) },
      findings: [{
        at: 'deploy/orders-staging.sh:7',
        text: 'orders-api-token:latest',
        severity: 'warning',
        messageId: 'otherSecret',
        message: 'API_TOKEN comes from secret orders-api-token here, but from orders-token-v2 on the running service orders-staging',
        related: [],
        fixes: [],
      }],
    },
    {
      name: 'a plain value here, a secret live',
      files: deploy(['--set-env-vars "LOG_LEVEL=debug,QUEUE_URL=q,API_TOKEN=dev-token-123"']),
      deployed: LIVE_SAME,
      findings: [{
        at: 'deploy/orders-staging.sh:6',
        text: 'API_TOKEN',
        severity: 'warning',
        messageId: 'liveFromSecret',
        message: 'API_TOKEN is a plain value here, but secret orders-api-token live',
        related: [],
        fixes: [],
      }],
      secrets: ['dev-token-123'],
    },
    {
      name: 'a Cloud Run job from a GitHub Actions workflow, against its job export',
      files: {
        'jobs/nightly/requirements.txt': 'requests\n',
        'jobs/nightly/run.py': 'import os\nBUCKET = os.environ["EXPORT_BUCKET"]\n',
        '.github/workflows/nightly.yml': [
          'name: nightly',
          'on: { push: { branches: [main] } }',
          'jobs:',
          '  deploy:',
          '    runs-on: ubuntu-latest',
          '    environment: production',
          '    steps:',
          '      - run: |',
          '          gcloud run jobs deploy nightly-production --source jobs/nightly --region us-central1 --project shop-prod \\',
          '            --set-env-vars BATCH=500',
          '',
        ].join('\n'),
      },
      deployed: { 'nightly-production.yaml': jobExport('nightly-production', 'us-central1', { BATCH: '500', EXPORT_BUCKET: 'gs://exports' }) },
      findings: [{
        at: '.github/workflows/nightly.yml:9',
        text: 'nightly-production',
        severity: 'error',
        messageId: 'liveOnly',
        message: 'EXPORT_BUCKET is live on job nightly-production',
        related: ['jobs/nightly/run.py:2'],
        fixes: [],
      }],
    },
    {
      name: 'a suppression at the deploy silences it',
      files: deploy(['--set-env-vars "LOG_LEVEL=debug"', '--set-secrets "API_TOKEN=orders-api-token:latest"']),
      deployed: LIVE_SAME,
      findings: [{ at: 'deploy/orders-staging.sh:2', severity: 'error', messageId: 'liveOnly', message: 'QUEUE_URL', related: ['services/orders/app/main.py:2'], fixes: [] }],
      check: async () => {
        const files = deploy(['--set-env-vars "LOG_LEVEL=debug"', '--set-secrets "API_TOKEN=orders-api-token:latest"']);
        files['deploy/orders-staging.sh'] = files['deploy/orders-staging.sh'].replace('gcloud run deploy', '# deploy-preflight-disable-next-line deploy-drift\ngcloud run deploy');
        const withState = await analyze(files, undefined, LIVE_SAME);
        assert.deepEqual(withState.findings.filter((f) => f.rule === 'deploy-drift' || f.rule === 'unused-suppression').map((f) => f.rule), []);
        // Without the state the rule did not run: its suppression is not reported as unused.
        const without = await analyze(files);
        assert.deepEqual(without.findings.filter((f) => f.rule === 'unused-suppression').map((f) => f.rule), []);
      },
    },
  ],
});
