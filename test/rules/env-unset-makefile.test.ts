/**
 * env-unset-for-deploy on a deploy written in a Makefile recipe: found at the recipe, and fixed
 * there (the new entry joins the recipe's own `--set-env-vars` list). Minimal reproduction written
 * from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const files = (vars: string): Files => ({
  'api/requirements.txt': 'fastapi\n',
  'api/main.py': 'import os\n\nQUEUE = os.environ["ORDERS_QUEUE"]\n',
  'Makefile': [
    'SERVICE ?= orders-api',
    '',
    'deploy:',
    '\t@echo "deploying"',
    '\tgcloud run deploy $(SERVICE) \\',
    '\t\t--source api/ \\',
    '\t\t--project acme-prod \\',
    `\t\t--set-env-vars ${vars}`,
    '',
  ].join('\n'),
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'the recipe sets what the code reads (from the operator\'s environment, `$$`)',
      files: files('ENVIRONMENT=production,ORDERS_QUEUE=$$ORDERS_QUEUE'),
      control: { files: files('ENVIRONMENT=production') },
    },
  ],
  invalid: [
    {
      name: 'the recipe replaces the env without a variable the code requires',
      files: files('ENVIRONMENT=production'),
      findings: [{
        at: 'Makefile:8', severity: 'error', messageId: 'deployWithout',
        message: 'api (production) is deployed without ORDERS_QUEUE, which api/main.py reads',
        related: ['api/main.py:3'],
        fixes: [{
          title: /^Add ORDERS_QUEUE/, safe: false, preferred: true,
          output: { contains: { Makefile: '--set-env-vars ENVIRONMENT=production,ORDERS_QUEUE=' }, remaining: [] },
        }],
      }],
    },
  ],
});
