/**
 * An image that copies its whole context into the folder its program runs in (`COPY . /app/`,
 * then `uvicorn api.main:app`): the service is the `api` package, and the modules it imports
 * from beside it (`from utils.store import client`) are in the image and loaded, so what they
 * read is the service's need. Look-alikes: a module beside it no import reaches (a hand-run
 * tool), an image that copies only the package, and a program whose imports are not understood
 * (a plugin loaded by a computed name). Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, type Files } from '../rule-harness';

before(ready);

const workspace = (copy = 'COPY . /app/', mainExtra = ''): Files => ({
  'requirements.txt': 'fastapi\n',
  'Dockerfile': ['FROM python:3.11-slim', 'WORKDIR /app', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt', copy,
    'CMD ["python3", "-m", "uvicorn", "api.main:app", "--port", "8080"]', ''].join('\n'),
  'api/__init__.py': '',
  'api/main.py': `import importlib\nfrom fastapi import FastAPI\nfrom utils.store import client\napp = FastAPI()\n${mainExtra}`,
  'utils/__init__.py': '',
  'utils/store.py': 'import os\nclient = os.environ["STORE_URL"]\n',
  'tools/backfill.py': 'import os\nTOKEN = os.environ["BACKFILL_TOKEN"]\n',
  'cloudbuild.yaml': [
    'steps:',
    "- name: 'gcr.io/cloud-builders/docker'",
    "  args: ['build', '-f', 'Dockerfile', '-t', 'gcr.io/acme/api:latest', '.']",
    "- name: 'gcr.io/cloud-builders/gcloud'",
    "  args: ['run', 'deploy', 'api', '--image=gcr.io/acme/api:latest', '--region=us-central1', '--set-env-vars=MODE=live']",
    '',
  ].join('\n'),
});

async function unset(files: Files): Promise<{ severity: string; message: string; related: string[] }[]> {
  const { findings } = await analyze(files);
  return findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => ({ severity: f.severity, message: f.message, related: f.related.map((r) => r.file) }));
}

test('a module the program imports from beside its package, in an image holding the whole context: its read is an error', async () => {
  const found = await unset(workspace());
  assert.deepEqual(found.map((f) => [f.severity, f.message]), [['error', 'api (default) is deployed without STORE_URL, which utils/store.py reads']]);
  assert.deepEqual(found[0]!.related, ['utils/store.py']);
});

test('quiet: the image copies only the program\'s package', async () => {
  assert.deepEqual(await unset(workspace('COPY api/ /app/api/')), []);
});

test('quiet: what the program loads is not known (a module loaded by a computed name)', async () => {
  assert.deepEqual(await unset(workspace('COPY . /app/', 'for name in ("api.slack", "api.mail"):\n    importlib.import_module(name)\n')), []);
});
