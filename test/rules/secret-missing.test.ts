/**
 * secret-missing: a deploy references a Secret Manager secret its project's inventory (gcloud
 * secrets list) lacks, or a version that is not enabled (gcloud secrets versions list). Given the
 * recorded inventory, as `deploy-preflight drift` does; silent without it.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { secretMissing } from '../../server/src/rules/secret-missing';
import { secretsList, serviceExport, versionsList } from '../drift/recordings';

before(ready);

const deploy = (secrets: string, project = 'shop-staging'): Files => ({
  'services/orders/requirements.txt': 'flask\n',
  'services/orders/app/main.py': 'import os\nTOKEN = os.environ["API_TOKEN"]\nDB = os.environ["DATABASE_URL"]\n',
  'deploy/orders-staging.sh': [
    '#!/usr/bin/env bash',
    'gcloud run deploy orders-staging \\',
    '  --source services/orders \\',
    `  --project ${project} \\`,
    '  --region europe-west1 \\',
    `  --set-secrets "${secrets}"`,
    '',
  ].join('\n'),
});

const BOTH = 'API_TOKEN=orders-api-token:latest,DATABASE_URL=orders-db-url:2';
const INVENTORY = { 'secrets.json': secretsList(['orders-api-token', 'orders-db-url']) };

RuleTester.run(secretMissing, {
  valid: [
    { name: 'every referenced secret exists', files: deploy(BOTH), deployed: INVENTORY },
    { name: 'no inventory given: nothing to check against', files: deploy(BOTH) },
    {
      name: 'the referenced versions are enabled',
      files: deploy(BOTH),
      deployed: { ...INVENTORY, 'orders-db-url.versions.json': versionsList('orders-db-url', [['2', 'ENABLED'], ['1', 'DESTROYED']]), 'orders-api-token.versions.json': versionsList('orders-api-token', [['1', 'ENABLED']]) },
    },
    {
      name: 'two projects: the running service\'s project number picks the inventory',
      files: deploy(BOTH),
      deployed: {
        'orders-staging.yaml': serviceExport('orders-staging', 'europe-west1', { API_TOKEN: { secret: 'orders-api-token' } }, '222'),
        'prod.json': secretsList(['other-secret'], '111'),
        'staging.json': secretsList(['orders-api-token', 'orders-db-url'], '222'),
      },
      control: {
        deployed: {
          'orders-staging.yaml': serviceExport('orders-staging', 'europe-west1', { API_TOKEN: { secret: 'orders-api-token' } }, '111'),
          'prod.json': secretsList(['other-secret'], '111'),
          'staging.json': secretsList(['orders-api-token', 'orders-db-url'], '222'),
        },
      },
    },
    {
      name: 'two projects and nothing says which is the deploy\'s: no guess',
      files: deploy(BOTH),
      deployed: { 'prod.json': secretsList(['other-secret'], '111'), 'staging.json': secretsList(['orders-api-token'], '222') },
    },
  ],
  invalid: [
    {
      name: 'a secret the project does not have',
      files: deploy('API_TOKEN=orders-api-token:latest,DATABASE_URL=orders-database-url:latest'),
      deployed: INVENTORY,
      findings: [{
        at: 'deploy/orders-staging.sh:6',
        text: 'orders-database-url:latest',
        severity: 'error',
        messageId: 'notInInventory',
        message: 'secret orders-database-url does not exist in project shop-staging: the deploy of orders (staging) fails',
        related: [],
        fixes: [],
      }],
    },
    {
      name: 'a pinned version that is disabled, and latest with no enabled version',
      files: deploy(BOTH),
      deployed: { ...INVENTORY, 'db.json': versionsList('orders-db-url', [['2', 'DISABLED'], ['3', 'ENABLED']]), 'tok.json': versionsList('orders-api-token', [['1', 'DESTROYED']]) },
      findings: [
        {
          at: 'deploy/orders-staging.sh:6',
          text: 'orders-api-token:latest',
          severity: 'error',
          messageId: 'versionNotEnabled',
          message: 'secret orders-api-token:latest is no enabled version in project shop-staging',
          related: [],
          fixes: [],
        },
        {
          at: 'deploy/orders-staging.sh:6',
          text: 'orders-db-url:2',
          severity: 'error',
          messageId: 'versionNotEnabled',
          message: 'secret orders-db-url:2 is disabled in project shop-staging',
          related: [],
          fixes: [],
        },
      ],
    },
    {
      name: 'a Knative manifest\'s secretKeyRef',
      files: {
        'services/orders/requirements.txt': 'flask\n',
        'services/orders/app/main.py': 'import os\nTOKEN = os.environ["API_TOKEN"]\n',
        'deploy/orders-production.yaml': [
          'apiVersion: serving.knative.dev/v1',
          'kind: Service',
          'metadata:',
          '  name: orders-production',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - image: europe-west1-docker.pkg.dev/shop/images/orders:1',
          '          env:',
          '            - name: API_TOKEN',
          '              valueFrom:',
          '                secretKeyRef:',
          '                  name: orders-token-production',
          '                  key: latest',
          '',
        ].join('\n'),
      },
      deployed: { 'secrets.json': secretsList(['orders-api-token']) },
      findings: [{ at: 'deploy/orders-production.yaml:13', severity: 'error', messageId: 'notInInventory', message: 'secret orders-token-production does not exist', related: [], fixes: [] }],
    },
  ],
});
