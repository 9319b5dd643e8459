/**
 * Code an image copies in beside the service's own folder (`COPY shared/ /app/shared/` next to
 * `COPY orders/ /app/orders/`, `CMD uvicorn orders.app:app`): a library the service may load.
 * Where the program's import chain is seen to reach a module of it, that module is the service's
 * code like its own (an error); where the chain is not understood (a plugin loaded by a computed
 * name), a variable only that code reads is information that says where the read is. One the
 * service's own code reads as well stays an error. Look-alikes: an image that copies only the
 * service's folder, test helpers inside the copied folder, a library module the program never
 * imports. Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, type Files } from '../rule-harness';
import { explainModel } from '../../server/src/engine/explain';

before(ready);

const dockerfile = (copies: string[]): string =>
  ['FROM python:3.12', 'WORKDIR /app', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt', ...copies, 'CMD ["uvicorn", "orders.app:app"]', ''].join('\n');

// `plugins`: the program also loads a module by a computed name, so what it loads is not known.
const workspace = (copies: string[], ownReads = '', loads = true, plugins = false): Files => ({
  'requirements.txt': 'fastapi\n',
  'orders/__init__.py': '',
  'orders/app.py': `from fastapi import FastAPI\nimport importlib\nimport os\n${loads ? 'from shared.crypto import vault\n' : ''}app = FastAPI()\nQUEUE = os.environ["ORDER_QUEUE"]\n${plugins ? 'for name in ("orders.slack", "orders.mail"):\n    importlib.import_module(name)\n' : ''}${ownReads}`,
  'orders/Dockerfile': dockerfile(copies),
  'shared/__init__.py': '',
  'shared/crypto/__init__.py': '',
  'shared/crypto/vault.py': 'import os\nKEY = os.environ["VAULT_KEY"]\n',
  'shared/test_helpers/stub.py': 'import os\nSTUB = os.environ["STUB_URL"]\n',
  'deploy.sh': [
    '#!/usr/bin/env bash',
    'docker build -f orders/Dockerfile -t europe-docker.pkg.dev/acme-prod/apps/orders:latest .',
    'gcloud run deploy orders --image europe-docker.pkg.dev/acme-prod/apps/orders:latest --project acme-prod --set-env-vars "ENVIRONMENT=production,ORDER_QUEUE=q"',
    '',
  ].join('\n'),
});

const BOTH = ['COPY shared/ /app/shared/', 'COPY orders/ /app/orders/'];

async function unset(files: Files): Promise<{ severity: string; message: string }[]> {
  const { findings } = await analyze(files);
  return findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => ({ severity: f.severity, message: f.message }));
}

test('a name only a copied-in module the program imports reads: an error, as the service\'s own code', async () => {
  const found = await unset(workspace(BOTH));
  assert.deepEqual(found.map((f) => f.severity), ['error']);
  assert.equal(found[0]!.message, 'orders (production) is deployed without VAULT_KEY, which shared/crypto/vault.py reads');
});

test('a name only the copied-in library reads, where what the program loads is not known: information that says the code is copied in beside', async () => {
  assert.deepEqual(await unset(workspace(BOTH, '', true, true)), [{
    severity: 'info',
    message: 'orders (production) is deployed without VAULT_KEY, which shared/crypto/vault.py reads: code its image copies in beside its own',
  }]);
});

test('a name the service\'s own code reads too stays an error', async () => {
  const found = await unset(workspace(BOTH, 'KEY = os.environ["VAULT_KEY"]\n'));
  assert.deepEqual(found.map((f) => f.severity), ['error']);
  assert.match(found[0].message, /^orders \(production\) is deployed without VAULT_KEY, which orders\/app\.py and shared\/crypto\/vault\.py read$/);
});

test('quiet: the service\'s program never imports the library it copies in', async () => {
  assert.deepEqual(await unset(workspace(BOTH, '', false)), []);
});

test('quiet: the image copies only the service\'s folder', async () => {
  assert.deepEqual(await unset(workspace(['COPY orders/ /app/orders/'])), []);
});

test('explain names the folders an image copies in beside the service', async () => {
  const { ws } = await analyze(workspace(BOTH));
  const orders = explainModel(ws.model()).services.find((s) => s.name === 'orders');
  assert.deepEqual(orders?.shipsBeside, ['shared']);
});

test('a deploy of an image built elsewhere is not asked for what the copied-in library reads', async () => {
  const files = workspace(BOTH);
  files['deploy-staging.sh'] = 'gcloud run deploy orders-staging --image gcr.io/partner-registry/orders:1.4 --project acme-staging --set-env-vars "ENVIRONMENT=staging,ORDER_QUEUE=q"\n';
  const found = await unset(files);
  assert.deepEqual(found.map((f) => f.message.replace(/ is deployed.*/, '')), ['orders (production)']);
});

test('several names only the copied-in library reads are said once for the target', async () => {
  const files = workspace(BOTH, '', true, true);
  files['shared/crypto/vault.py'] = 'import os\nKEY = os.environ["VAULT_KEY"]\nROLE = os.environ["VAULT_ROLE"]\nADDR = os.environ["VAULT_ADDR"]\n';
  const { findings } = await analyze(files);
  const found = findings.filter((f) => f.rule === 'env-unset-for-deploy');
  assert.deepEqual(found.map((f) => [f.severity, f.message]), [[
    'info', 'orders (production) is deployed without 3 names only code its image copies in beside its own reads (VAULT_KEY, VAULT_ROLE, VAULT_ADDR)',
  ]]);
  assert.deepEqual(found[0]!.related.map((r) => r.message), ['VAULT_KEY read here (os.environ, no default)', 'VAULT_ROLE read here (os.environ, no default)', 'VAULT_ADDR read here (os.environ, no default)']);
});
