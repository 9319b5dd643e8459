/**
 * env-unset-for-deploy where the service itself treats a name as optional configuration: one
 * module needs it (a mailer raising "SMTP_HOST is not configured"), another asks whether it is set
 * and carries on without it (a health route answering "unconfigured", a mail gate). The code that
 * needs it is a feature this deploy leaves off: information naming the module that copes, not an
 * error. A read at a module's top level still fails the service as it starts; a check that lists
 * names to report the missing ones (`for name in REQUIRED`) says they are needed; tests and modules
 * the program never loads say nothing of the service. Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { findingsOf, type Files } from '../rule-harness';
import { extractFile } from '../../server/src/extract/index';

before(ready);

/** A FastAPI service the Dockerfile starts (`uvicorn app.main:app`), deployed with one variable. */
const PY = (mailer: string, extra: Files = {}): Files => ({
  'api/requirements.txt': 'fastapi\nuvicorn\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["uvicorn", "app.main:app"]\n',
  'api/app/__init__.py': '',
  'api/app/main.py': 'from fastapi import FastAPI\nfrom app import mailer, health\napp = FastAPI()\n\n@app.post("/invite")\ndef invite(to: str):\n    return mailer.send(to)\n\n@app.get("/health")\ndef status():\n    return health.report()\n',
  'api/app/mailer.py': mailer,
  'api/app/health.py': 'import os\n\ndef report():\n    return {"mail": "configured" if os.getenv("SMTP_HOST") else "unconfigured"}\n',
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "ENVIRONMENT=production"\n',
  ...extra,
});

const LAZY_MAILER = 'import os\n\ndef send(to):\n    host = os.getenv("SMTP_HOST")\n    if not host:\n        raise RuntimeError("SMTP_HOST is not configured")\n    return (host, to)\n';

/** An Express service whose package.json starts `src/server.js`. */
const TS = (billing: string, extra: Files = {}): Files => ({
  'web/package.json': '{ "name": "web", "main": "src/server.js", "scripts": { "start": "node src/server.js" } }\n',
  'web/Dockerfile': 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/server.js"]\n',
  'web/src/server.js': "const express = require('express');\nconst billing = require('./billing');\nconst app = express();\nif (process.env.BILLING_API_URL) app.post('/checkout', (req, res) => res.json(billing.checkout()));\napp.listen(8080);\n",
  'web/src/billing.js': billing,
  'cloudbuild.yaml': 'steps:\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args: ["run", "deploy", "web", "--source", "web", "--project", "acme-prod", "--set-env-vars", "NODE_ENV=production"]\n',
  ...extra,
});

const LAZY_BILLING = "function checkout() {\n  const key = process.env.BILLING_API_URL;\n  if (!key) throw new Error('billing is not configured');\n  return key.length;\n}\nmodule.exports = { checkout };\n";

const shape = (f: Awaited<ReturnType<typeof findingsOf>>) => f.map((x) => [x.severity, x.messageId]);

test('the extractors record whether a read runs in a function or when its module loads', () => {
  const py = extractFile('a.py', 'import os\nTOP = os.getenv("A")\n\ndef f():\n    return os.getenv("B")\n\ng = lambda: os.environ["C"]\n').reads;
  assert.deepEqual(py.map((r) => [r.name, !!r.inFunction]), [['A', false], ['B', true], ['C', true]]);
  const ts = extractFile('a.ts', 'export const top = process.env.A;\nexport function f() { return process.env.B; }\nexport const g = () => process.env.C;\nclass K { m() { return process.env.D; } }\n').reads;
  assert.deepEqual(ts.map((r) => [r.name, !!r.inFunction]), [['A', false], ['B', true], ['C', true], ['D', true]]);
});

test('TypeScript: a module constant every use of which is in a function body fails when called, not as the module loads', () => {
  const reads = extractFile('a.js', "const KEY = process.env.KEY;\nconst TOP = process.env.TOP;\nconst ONCE = process.env.ONCE;\nexport function sign(d) { return hmac(KEY, d); }\nexport const client = connect(TOP.trim());\n(() => { connect(ONCE.trim()); })();\nexport { KEY };\n").reads;
  assert.deepEqual(reads.map((r) => [r.name, !!r.inFunction]), [['KEY', true], ['TOP', false], ['ONCE', false]]);
});

test('TypeScript: a module constant needed only inside functions, with a route mounted only when the name is set: information', async () => {
  const billing = "const KEY = process.env.BILLING_API_URL;\nfunction checkout() {\n  return fetch(KEY.trim());\n}\nmodule.exports = { checkout };\n";
  assert.deepEqual(shape(await findingsOf('env-unset-for-deploy', TS(billing))), [['info', 'deployWithoutOptionalElsewhere']]);
  // Used as the module loads (a client built at the top level): the service fails to start.
  const eager = "const KEY = process.env.BILLING_API_URL;\nconst client = connect(KEY.trim());\nfunction checkout() {\n  return client;\n}\nmodule.exports = { checkout };\n";
  assert.deepEqual(shape(await findingsOf('env-unset-for-deploy', TS(eager))), [['error', 'deployWithout']]);
});

test('Python: a feature needing a name another module runs without is information that names that module', async () => {
  const f = await findingsOf('env-unset-for-deploy', PY(LAZY_MAILER));
  assert.deepEqual(shape(f), [['info', 'deployWithoutOptionalElsewhere']]);
  assert.equal(f[0]!.message, 'api (production) is deployed without SMTP_HOST, which api/app/mailer.py reads; api/app/health.py runs without it, so that feature is off here');
  assert.deepEqual(f[0]!.related.map((r) => r.file), ['api/app/mailer.py', 'api/app/health.py']);
  // The fix is still the deploy's: the variable added where the list is.
  assert.ok(f[0]!.fixes.some((x) => /Add SMTP_HOST=/.test(x.title)));
});

test('Python: a module constant needed only inside functions fails when they are called: information too', async () => {
  const mailer = 'import os\n\nSMTP_HOST = os.getenv("SMTP_HOST")\n\ndef send(to):\n    if not SMTP_HOST:\n        raise RuntimeError("SMTP_HOST is not configured")\n    return (SMTP_HOST, to)\n';
  assert.deepEqual(shape(await findingsOf('env-unset-for-deploy', PY(mailer))), [['info', 'deployWithoutOptionalElsewhere']]);
  // Used at the top level as well (a client built as the module loads): the service fails to start.
  const eager = 'import os\n\nSMTP_HOST = os.getenv("SMTP_HOST")\nCLIENT = connect(SMTP_HOST.lower())\n\ndef send(to):\n    return (SMTP_HOST, to)\n';
  assert.deepEqual(shape(await findingsOf('env-unset-for-deploy', PY(eager))), [['error', 'deployWithout']]);
});

test('TypeScript: a route mounted only when the key is set, a helper that throws without it: information', async () => {
  const f = await findingsOf('env-unset-for-deploy', TS(LAZY_BILLING));
  assert.deepEqual(shape(f), [['info', 'deployWithoutOptionalElsewhere']]);
  assert.match(f[0]!.message, /^web \(production\) is deployed without BILLING_API_URL, which web\/src\/billing\.js reads; web\/src\/server\.js runs without it/);
});

test('look-alikes stay errors: a read when the module loads, a list of required names, a test, a module nothing loads', async () => {
  const pyKept: [string, Files][] = [
    ['the read at the top level of a module the service loads', PY('import os\n\nSMTP_HOST = os.environ["SMTP_HOST"]\n\ndef send(to):\n    return (SMTP_HOST, to)\n')],
    ['the other module lists the name to report it missing', PY(LAZY_MAILER, { 'api/app/health.py': 'import os\n\nREQUIRED = ["SMTP_HOST"]\n\ndef report():\n    return [n for n in REQUIRED if not os.getenv(n)]\n' })],
    ['only a test copes', PY(LAZY_MAILER, { 'api/app/health.py': 'def report():\n    return {}\n', 'api/tests/test_mail.py': 'import os\n\ndef test_mail():\n    if os.getenv("SMTP_HOST"):\n        assert True\n' })],
  ];
  // Another deploy here sets the name: the value is wanted from the deploy.
  const staged = PY(LAZY_MAILER, { 'deploy-staging.sh': '#!/usr/bin/env bash\ngcloud run deploy api-staging --source api --project acme-staging --set-env-vars "ENVIRONMENT=staging,SMTP_HOST=smtp.acme.dev"\n' });
  assert.deepEqual(shape(await findingsOf('env-unset-for-deploy', staged)), [['error', 'deployWithout']], 'another deploy sets it');
  for (const [how, files] of pyKept) assert.deepEqual(shape(await findingsOf('env-unset-for-deploy', files)), [['error', 'deployWithout']], how);
  const tsKept: [string, Files][] = [
    ['a key read when the module loads', TS("const key = process.env.BILLING_API_URL;\nif (!key) throw new Error('BILLING_API_URL is required');\nmodule.exports = { checkout: () => key.length };\n")],
    ['the coping module is one the program never loads', TS(LAZY_BILLING, {
      'web/src/server.js': "const express = require('express');\nconst billing = require('./billing');\nconst app = express();\napp.post('/checkout', (req, res) => res.json(billing.checkout()));\napp.listen(8080);\n",
      'web/src/legacy-status.js': "module.exports = () => (process.env.BILLING_API_URL ? 'on' : 'off');\n",
    })],
  ];
  for (const [how, files] of tsKept) assert.deepEqual(shape(await findingsOf('env-unset-for-deploy', files)), [['error', 'deployWithout']], how);
});
