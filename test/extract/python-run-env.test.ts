/**
 * Variables code hands to the Cloud Run containers it runs (a job execution's overrides): the
 * client library's `EnvVar(name=…)` and the REST `container_overrides` form, with exact spans;
 * look-alikes name nothing.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';

before(ready);

const runEnv = (text: string) => (extractFile('svc/runner.py', text).runEnv ?? []).map((r) => [r.name, at(text, r.nameSpan), r.via]);

test('run_v2.EnvVar in a job execution\'s overrides', () => {
  const text = [
    'from google.cloud import run_v2',
    'def start(task_id, payload):',
    '    env = [run_v2.EnvVar(name="TASK_ID", value=task_id), run_v2.EnvVar(name="TASK_PAYLOAD", value=payload)]',
    '    return run_v2.RunJobRequest.Overrides.ContainerOverride(env=env)',
    '',
  ].join('\n');
  assert.deepEqual(runEnv(text), [['TASK_ID', 'TASK_ID', 'run_v2.EnvVar'], ['TASK_PAYLOAD', 'TASK_PAYLOAD', 'run_v2.EnvVar']]);
});

test('the REST form under container_overrides', () => {
  const text = 'body = {"overrides": {"container_overrides": [{"env": [{"name": "TASK_ID", "value": tid}]}]}}\n';
  assert.deepEqual(runEnv(text), [['TASK_ID', 'TASK_ID', 'container overrides']]);
});

test('look-alikes: a name that is not a literal, a dict with "name" outside overrides', () => {
  const text = 'from google.cloud import run_v2\nx = run_v2.EnvVar(name=key, value="1")\nmeta = {"env": [{"name": "TASK_ID"}]}\n';
  assert.deepEqual(runEnv(text), []);
});
