/**
 * unused-suppression: the engine reports a `deploy-preflight-disable[-next-line]` comment that
 * silences nothing (info), and an unknown rule id in one. Every comment syntax, the config
 * switches, and the removal fix's round trip.
 */
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester, type ExpectedFinding } from '../rule-tester';
import { UNUSED_SUPPRESSION } from '../../server/src/rules/registry';

before(ready);

const RULE = 'unused-suppression';

const ROOT: Files = { 'services/api/requirements.txt': 'fastapi\n' };

/** A deploy that sets everything the code below needs: nothing to silence. */
const DEPLOY = `#!/usr/bin/env bash
gcloud run deploy api-staging --source services/api --project acme-staging \\
  --set-env-vars "ENVIRONMENT=staging,QUEUE_NAME=jobs,GCP_PROJECT_ID=acme-staging"
`;
const PY = `import os

# deploy-preflight-disable-next-line env-unset-for-deploy
QUEUE = os.environ["QUEUE_NAME"]
`;
const TS = `// deploy-preflight-disable-next-line env-unset-for-deploy -- set by the platform team
export const queue = process.env.QUEUE_NAME!;
`;
const YAML = `# deploy-preflight-disable placeholder-secret
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: api-production
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-prod/apps/api:latest
          env:
            - name: ENVIRONMENT
              value: production
            - name: QUEUE_NAME
              value: jobs
            - name: GCP_PROJECT_ID
              value: acme-prod
`;
const DOTENV = '# deploy-preflight-disable-next-line placeholder-secret\nLOG_LEVEL=debug\n';

/** An info finding on the directive; its fix removes the directive (not safe: a judgement call). */
const unused = (at: string, messageId: 'unused' | 'unknownRule', message: RegExp, directive: string): ExpectedFinding => ({
  at, severity: 'info', messageId, message, related: [],
  fixes: [{
    title: 'Remove the unused suppression', safe: false, preferred: false, files: [at.split(':')[0]], newText: '',
    output: { lacks: { [at.split(':')[0]]: directive }, remaining: [] },
  }],
});

const PY_FILES = { ...ROOT, 'services/api/app/q.py': PY, 'deploy/deploy.sh': DEPLOY };
/** One directive naming two rules, above a read the deploy does not satisfy (so one is used). */
const TWO_RULES = 'import os\n\n# deploy-preflight-disable-next-line env-unset-for-deploy, placeholder-secret\nQUEUE = os.environ["QUEUE_NAME"]\n';

RuleTester.run({ meta: UNUSED_SUPPRESSION }, {
  valid: [
    {
      // The finding is at the deploy (where the fix goes), so that is where a directive silences it.
      name: 'a suppression that silences a finding is not reported (at the deploy end, where the finding is)',
      files: { ...ROOT, 'services/api/app/q.py': PY.replace(/# deploy-preflight-disable-next-line .*\n/, ''), 'deploy/deploy.sh': '# deploy-preflight-disable env-unset-for-deploy\n' + DEPLOY.replace('QUEUE_NAME=jobs,', '') },
      others: { 'env-unset-for-deploy': [] },
      control: { files: { ...ROOT, 'services/api/app/q.py': PY, 'deploy/deploy.sh': DEPLOY.replace('QUEUE_NAME=jobs,', '') } },
    },
    {
      name: 'a directive inside a string is not a suppression',
      files: { ...ROOT, 'services/api/app/doc.py': 'HELP = "# deploy-preflight-disable-next-line env-unset-for-deploy"\n' },
    },
    {
      name: 'a suppression for a rule turned off in the config is not reported',
      files: PY_FILES,
      config: 'rules:\n  env-unset-for-deploy: off\n',
      control: {},
    },
    {
      name: 'config: unused-suppression off',
      files: PY_FILES,
      config: 'rules:\n  unused-suppression: off\n',
      control: {},
    },
  ],
  invalid: [
    {
      name: 'Python # next-line, nothing to silence',
      files: PY_FILES,
      findings: [unused('services/api/app/q.py:3', 'unused', /^Unused suppression: no env-unset-for-deploy finding here to silence$/, 'deploy-preflight-disable')],
    },
    {
      name: 'TypeScript // next-line with a reason',
      files: { 'services/web/package.json': '{}\n', 'services/web/src/q.ts': TS, 'deploy/deploy.sh': DEPLOY.replace(/api/g, 'web') },
      findings: [unused('services/web/src/q.ts:1', 'unused', /no env-unset-for-deploy finding here/, 'deploy-preflight-disable')],
    },
    {
      name: 'YAML # whole-file disable',
      files: { ...ROOT, 'deploy/api-production.yaml': YAML },
      findings: [unused('deploy/api-production.yaml:1', 'unused', /no placeholder-secret finding here/, 'deploy-preflight-disable')],
    },
    {
      name: '.env # next-line',
      files: { ...ROOT, 'services/api/.env.staging': DOTENV },
      findings: [unused('services/api/.env.staging:1', 'unused', /no placeholder-secret finding here/, 'deploy-preflight-disable')],
    },
    {
      name: 'shell # disable with an unknown rule id',
      files: { ...ROOT, 'deploy/deploy.sh': '# deploy-preflight-disable env-unset-for-deploys\n' + DEPLOY },
      findings: [unused('deploy/deploy.sh:1', 'unknownRule', /^Unknown rule id "env-unset-for-deploys" in suppression comment$/, 'deploy-preflight-disable')],
    },
    {
      name: 'config: unused-suppression warning',
      files: PY_FILES,
      config: 'rules:\n  unused-suppression: warning\n',
      findings: [{ ...unused('services/api/app/q.py:3', 'unused', /no env-unset-for-deploy finding here/, 'deploy-preflight-disable'), severity: 'warning' }],
    },
    {
      name: 'a directive at the read does not silence a finding reported at the deploy: it is unused',
      files: { ...PY_FILES, 'deploy/deploy.sh': '# deploy-preflight-disable env-unset-for-deploy\n' + DEPLOY.replace('QUEUE_NAME=jobs,', '') },
      findings: [unused('services/api/app/q.py:3', 'unused', /no env-unset-for-deploy finding here/, 'deploy-preflight-disable')],
      others: { 'env-unset-for-deploy': [] },
    },
    {
      name: 'one directive listing a used and an unused rule: reported, but no fix that would drop the used one',
      files: { ...ROOT, 'services/api/app/q.py': PY.replace(/# deploy-preflight-disable-next-line .*\n/, ''), 'deploy/deploy.sh': '# deploy-preflight-disable env-unset-for-deploy, placeholder-secret\n' + DEPLOY.replace('QUEUE_NAME=jobs,', '') },
      findings: [{
        at: 'deploy/deploy.sh:1', severity: 'info', messageId: 'unusedInList',
        message: /no placeholder-secret finding here to silence \(remove placeholder-secret from the directive's list\)/,
        related: [], fixes: [],
      }],
      others: { 'env-unset-for-deploy': [] },
    },
    {
      name: 'one directive listing two unused rules: both reported, either fix removes the directive once',
      files: { ...ROOT, 'services/api/app/q.py': TWO_RULES, 'deploy/deploy.sh': DEPLOY },
      findings: ['env-unset-for-deploy', 'placeholder-secret'].map((rule, i) => ({
        at: 'services/api/app/q.py:3', severity: 'info' as const, messageId: 'unused', message: `no ${rule} finding here`, related: [],
        fixes: [{
          title: 'Remove the unused suppression', safe: false, preferred: false,
          ...(i === 0 ? { output: { contains: { 'services/api/app/q.py': 'import os\n\n# \nQUEUE = os.environ["QUEUE_NAME"]\n' }, remaining: [] } } : {}),
        }],
      })),
      check: (found) => assert.deepEqual(found[0].fixes[0].edits, found[1].fixes[0].edits),
    },
  ],
});
