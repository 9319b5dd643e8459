/**
 * env-unset-for-deploy on several Cloud Run jobs deployed from one image by one Cloud Build file.
 * They are one target (one code root, one environment), but each job is its own resource with its
 * own variables: a finding and its fix stay with the first job, and never borrow another job's
 * `--set-secrets` because that is the first secrets flag in the file. Minimal reproduction written
 * from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const job = (name: string, flags: string[]) => `  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - jobs
      - deploy
      - ${name}
      - --image=gcr.io/$PROJECT_ID/ledger-sync:$SHORT_SHA
      - --region=europe-west1
${flags.map((f) => `      - '${f}'`).join('\n')}
      - --max-retries=0
`;

const files = (firstJobSecrets: string, secondJobSecrets: string): Files => ({
  'requirements.txt': 'pyodbc\n',
  'Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["python", "main.py"]\n',
  'main.py': `import os
import sys

from sources import warehouse


def main():
    if "--source=warehouse" in sys.argv:
        warehouse.sync()


if __name__ == "__main__":
    main()
`,
  'sources/__init__.py': '',
  'sources/warehouse.py': `import os


def sync():
    password = os.environ["WAREHOUSE_PASSWORD"]
    return password
`,
  'cloudbuild.yaml': `steps:
  - name: gcr.io/cloud-builders/docker
    args: ['build', '-t', 'gcr.io/$PROJECT_ID/ledger-sync:$SHORT_SHA', '.']
${job('job-sync-warehouse', ['--set-env-vars=REGION_CODE=eu', ...(firstJobSecrets ? [`--set-secrets=${firstJobSecrets}`] : []), '--args=--source=warehouse'])}${job('job-sync-sheets', ['--set-env-vars=REGION_CODE=eu', ...(secondJobSecrets ? [`--set-secrets=${secondJobSecrets}`] : []), '--args=--source=sheets'])}`,
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'both jobs mount the secret',
      files: files('WAREHOUSE_PASSWORD=warehouse-password:latest', 'SHEETS_KEY=sheets-key:latest,WAREHOUSE_PASSWORD=warehouse-password:latest'),
      control: { files: files('', 'SHEETS_KEY=sheets-key:latest') },
    },
  ],
  invalid: [
    {
      name: "a secret the first job lacks is reported at that job's variables, not at another job's secrets flag",
      files: files('', 'SHEETS_KEY=sheets-key:latest'),
      findings: [{
        at: 'cloudbuild.yaml:13', severity: 'error', messageId: 'deployWithout',
        message: /is deployed without WAREHOUSE_PASSWORD, which sources\/warehouse\.py reads$/,
        related: ['sources/warehouse.py:5'],
        fixes: [{
          title: /^Add WAREHOUSE_PASSWORD to .* from secret warehouse-password:latest/, safe: false, preferred: true,
          output: {
            check: (r) => {
              const text = r.after['cloudbuild.yaml']!;
              const first = text.slice(0, text.indexOf('job-sync-sheets'));
              if (!first.includes('WAREHOUSE_PASSWORD=warehouse-password:latest')) throw new Error(`the secret was not added to the first job:\n${text}`);
              if (text.slice(text.indexOf('job-sync-sheets')).includes('WAREHOUSE_PASSWORD')) throw new Error(`the secret was added to the second job:\n${text}`);
            },
          },
        }],
      }],
    },
  ],
});
