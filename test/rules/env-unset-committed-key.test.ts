/**
 * env-unset-for-deploy and a secret whose code default is a working key someone committed (a UUID,
 * a long hex or random token, a Google app password, a vendor key): unlike a placeholder it runs,
 * so a deploy without the variable ships a credential anyone who reads the repository holds. The
 * read is required, and its related location says why. Look-alikes stay optional: names a browser
 * sees anyway, words with digits, short values, a value the code tests for. Minimal original
 * reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, lackingNames, type Files } from '../rule-harness';
import { committedKeyShape } from '../../server/src/knowledge/secrets';

before(ready);

const PY = (module: string): Files => ({
  'api/requirements.txt': 'fastapi\nuvicorn\npydantic-settings\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n',
  'api/app/__init__.py': '',
  'api/app/main.py': 'from fastapi import FastAPI\nfrom app import auth\napp = FastAPI()\n\n@app.get("/")\ndef index():\n    return auth.sign("x")\n',
  'api/app/auth.py': module,
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "ENVIRONMENT=production"\n',
});

const TS = (module: string): Files => ({
  'web/package.json': '{ "name": "web", "main": "src/server.js" }\n',
  'web/src/server.js': "const { sign } = require('./auth');\nrequire('http').createServer((q, s) => s.end(sign('x'))).listen(8080);\n",
  'web/src/auth.js': module,
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy web --source web --project acme-prod --set-env-vars "NODE_ENV=production"\n',
});

const pyRead = (name: string, value: string): string =>
  `import hmac\nimport os\n\n\ndef sign(body):\n    return hmac.new(os.getenv("${name}", "${value}").encode(), body.encode(), "sha256").hexdigest()\n`;
const tsRead = (name: string, value: string): string =>
  `const crypto = require('crypto');\nfunction sign(body) {\n  return crypto.createHmac('sha256', process.env.${name} || '${value}').update(body).digest('hex');\n}\nmodule.exports = { sign };\n`;

test('the shapes of a committed key, and values that are no key', () => {
  for (const v of ['ac65763a-22d5-40e6-bdda-bea422a4da50', '3a15b882379b3a021dc924c0a2eae33f', 'gbog dqwb wzog iral',
    `sk-proj-${'a1B2'.repeat(8)}`, `AIza${'Sy0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV'}`, 'Zq8vR2mX9kL4pT7wN3bY6cF1hJ5dG0sA']) {
    assert.ok(committedKeyShape(v), v);
  }
  for (const v of ['my-super-secret-key-for-dev-1234', 'short1234abcd', 'production', 'http://localhost:8080/callback',
    'sk_test_' + 'x'.repeat(30), 'this is a sentence of words', '', ' ac65763a-22d5-40e6-bdda-bea422a4da50']) {
    assert.equal(committedKeyShape(v), undefined, v);
  }
});

test('Python os.getenv and a pydantic field: a committed key as default is no value to run on', async () => {
  assert.deepEqual(await lackingNames(PY(pyRead('JWT_SECRET', 'ac65763a-22d5-40e6-bdda-bea422a4da50'))), ['JWT_SECRET']);
  const settings = 'from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    SMTP_PASSWORD: str = "gbog dqwb wzog iral"\n\n\nsettings = Settings()\n\n\ndef sign(body):\n    return settings.SMTP_PASSWORD + body\n';
  assert.deepEqual(await lackingNames(PY(settings)), ['SMTP_PASSWORD']);
  // Look-alikes: a word default, a name a browser sees anyway.
  assert.deepEqual(await lackingNames(PY(pyRead('JWT_SECRET', 'local-signing-key-2024'))), []);
  assert.deepEqual(await lackingNames(PY(pyRead('PUBLIC_API_KEY', 'ac65763a-22d5-40e6-bdda-bea422a4da50'))), []);
});

test('TypeScript / JavaScript: a committed key after || is required; the related read says why', async () => {
  const files = TS(tsRead('JWT_SECRET', 'ac65763a-22d5-40e6-bdda-bea422a4da50'));
  assert.deepEqual(await lackingNames(files), ['JWT_SECRET']);
  const { findings } = await analyze(files);
  const f = findings.find((x) => x.rule === 'env-unset-for-deploy');
  assert.match(f?.related?.[0]?.message ?? '', /its default is a key committed here/);
  // Look-alikes: the Firebase web key (public by design), a sentinel the code refuses to run on.
  assert.deepEqual(await lackingNames(TS(tsRead('FIREBASE_API_KEY', `AIza${'Sy0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV'}`))), []);
  const sentinel = tsRead('JWT_SECRET', '3a15b882379b3a021dc924c0a2eae33f').replace('function sign(body) {', "function sign(body) {\n  if (process.env.JWT_SECRET === '3a15b882379b3a021dc924c0a2eae33f') throw new Error('set JWT_SECRET');");
  assert.deepEqual(await lackingNames(TS(sentinel)), []);
});
