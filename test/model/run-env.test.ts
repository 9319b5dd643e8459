/**
 * A service that also runs as a job: the job's per-run parameters are passed by the code that
 * starts executions, so the HTTP service's deploy lacking them is no finding. Without such code
 * the same reads are still reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';

const WORKER = {
  'worker/requirements.txt': 'flask\n',
  'worker/batch_main.py': 'import os\nTASK_ID = os.environ["TASK_ID"]\nMODEL_DIR = os.environ["MODEL_DIR"]\n',
  'worker/service.yaml': [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: worker',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - image: gcr.io/acme/scorer:v1',
    '          env:',
    '            - name: ENVIRONMENT',
    '              value: production',
    '',
  ].join('\n'),
};

const STARTER = {
  'api/requirements.txt': 'fastapi\n',
  'api/jobs.py': 'from google.cloud import run_v2\ndef start(tid):\n    return [run_v2.EnvVar(name="TASK_ID", value=tid)]\n',
};

const unset = (findings: { rule: string; message: string }[]) => findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message);

test('a per-run parameter passed by the code that starts executions is not missing from the service deploy', async () => {
  const { findings } = await analyze({ ...WORKER, ...STARTER });
  assert.deepEqual(unset(findings), ['worker (production) is deployed without MODEL_DIR, which worker/batch_main.py reads (deploy linked by name)']);
});

test('without code passing it, the read is still reported', async () => {
  const { findings } = await analyze(WORKER);
  assert.deepEqual(unset(findings).sort(), [
    'worker (production) is deployed without MODEL_DIR, which worker/batch_main.py reads (deploy linked by name)',
    'worker (production) is deployed without TASK_ID, which worker/batch_main.py reads (deploy linked by name)',
  ]);
});

test('an EnvVar in a test file passes nothing', async () => {
  const { findings } = await analyze({ ...WORKER, 'api/tests/test_jobs.py': STARTER['api/jobs.py'] });
  assert.equal(unset(findings).length, 2);
});
