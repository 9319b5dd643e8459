/**
 * env-unset-for-deploy and a secret's placeholder at the end of a chain of alternatives:
 * `process.env.SESSION_SECRET || process.env.COOKIE_SECRET || 'dev-session-secret'` and Python's
 * `os.getenv("JWT_SECRET") or "changeme"` stand in for nothing, as a default argument's
 * placeholder does not: unset, the service signs with a value anyone who reads the repository
 * knows. So does an empty signing key (`process.env.JWT_SECRET || ''`, `os.getenv("SECRET_KEY",
 * "")`). Either name satisfies the deploy. Look-alikes stay optional: an empty key that signs
 * nothing (an API key), a non-secret name, a chain whose first read has a default of its own, a
 * placeholder the code tests for. Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, lackingNames, type Files } from '../rule-harness';
import { extractFile } from '../../server/src/extract';

before(ready);

const PY = (module: string, env = 'ENVIRONMENT=production'): Files => ({
  'api/requirements.txt': 'fastapi\nuvicorn\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n',
  'api/app/__init__.py': '',
  'api/app/main.py': 'from fastapi import FastAPI\nfrom app import auth\napp = FastAPI()\n\n@app.get("/")\ndef index():\n    return auth.sign("x")\n',
  'api/app/auth.py': module,
  'deploy.sh': `#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "${env}"\n`,
});

const TS = (module: string, env = 'NODE_ENV=production'): Files => ({
  'web/package.json': '{ "name": "web", "main": "src/server.js" }\n',
  'web/src/server.js': "const { sign } = require('./auth');\nrequire('http').createServer((q, s) => s.end(sign('x'))).listen(8080);\n",
  'web/src/auth.js': module,
  'deploy.sh': `#!/usr/bin/env bash\ngcloud run deploy web --source web --project acme-prod --set-env-vars "${env}"\n`,
});

const pySign = (chain: string): string =>
  `import hmac\nimport os\n\nKEY = ${chain}\n\n\ndef sign(body):\n    return hmac.new(KEY.encode(), body.encode(), "sha256").hexdigest()\n`;
const tsSign = (chain: string): string =>
  `const crypto = require('crypto');\nconst key = ${chain};\nfunction sign(body) {\n  return crypto.createHmac('sha256', key).update(body).digest('hex');\n}\nmodule.exports = { sign };\n`;

test('TypeScript: a placeholder after a chain of reads makes each of them required; either name satisfies it', async () => {
  const chain = "process.env.SESSION_SECRET || process.env.COOKIE_SECRET || 'dev-session-secret'";
  assert.deepEqual(await lackingNames(TS(tsSign(chain))), ['COOKIE_SECRET', 'SESSION_SECRET']);
  const { findings } = await analyze(TS(tsSign(chain)));
  assert.ok(findings.some((f) => f.rule === 'env-unset-for-deploy' && /SESSION_SECRET \(or COOKIE_SECRET\)|COOKIE_SECRET \(or SESSION_SECRET\)/.test(f.message)), findings.map((f) => f.message).join('\n'));
  assert.deepEqual(await lackingNames(TS(tsSign(chain), 'NODE_ENV=production,COOKIE_SECRET=from-vault')), []);
  assert.deepEqual(await lackingNames(TS(tsSign(chain), 'NODE_ENV=production,SESSION_SECRET=from-vault')), []);
  // An empty signing key stands in for nothing either (the HMAC and JWT libraries refuse it or
  // sign with it); an empty API key is the feature left off.
  assert.deepEqual(await lackingNames(TS(tsSign("process.env.SESSION_SECRET || process.env.COOKIE_SECRET || ''"))), ['COOKIE_SECRET', 'SESSION_SECRET']);
  assert.deepEqual(await lackingNames(TS(tsSign("process.env.JWT_SECRET ?? ''"))), ['JWT_SECRET']);
  const empty = await analyze(TS(tsSign("process.env.JWT_SECRET || ''")));
  assert.ok(empty.findings.some((f) => f.related?.some((r) => /JWT_SECRET read here \(process\.env, its default is an empty signing key\)/.test(r.message))), empty.findings.map((f) => JSON.stringify(f.related)).join('\n'));
  // Look-alikes: an empty key that signs nothing, a name that is no secret, a stand-in the code refuses to run on.
  assert.deepEqual(await lackingNames(TS(tsSign("process.env.OPENAI_API_KEY || process.env.STRIPE_SECRET_KEY || ''"))), []);
  assert.deepEqual(await lackingNames(TS(tsSign("process.env.APP_TITLE || process.env.SITE_TITLE || 'changeme'"))), []);
  const sentinel = tsSign(chain).replace('function sign(body) {', "function sign(body) {\n  if (key === 'dev-session-secret') throw new Error('set SESSION_SECRET');");
  assert.deepEqual(await lackingNames(TS(sentinel)), []);
});

test('Python: a placeholder after `or`, alone or after a chain of reads, makes the reads required', async () => {
  assert.deepEqual(await lackingNames(PY(pySign('os.environ.get("JWT_SECRET") or "changeme"'))), ['JWT_SECRET']);
  const chain = 'os.getenv("SESSION_SECRET") or os.getenv("COOKIE_SECRET") or "dev-session-secret"';
  assert.deepEqual(await lackingNames(PY(pySign(chain))), ['COOKIE_SECRET', 'SESSION_SECRET']);
  assert.deepEqual(await lackingNames(PY(pySign(chain), 'ENVIRONMENT=production,SESSION_SECRET=from-vault')), []);
  // An empty signing key, after `or` or as the default argument.
  assert.deepEqual(await lackingNames(PY(pySign('os.environ.get("JWT_SECRET") or ""'))), ['JWT_SECRET']);
  assert.deepEqual(await lackingNames(PY(pySign('os.getenv("SECRET_KEY", "")'))), ['SECRET_KEY']);
  // Look-alikes: an empty key that signs nothing, a name that is no secret, a first read with a
  // default of its own (the chain's value is defined), a stand-in the code tests for.
  assert.deepEqual(await lackingNames(PY(pySign('os.environ.get("OPENAI_API_KEY") or ""'))), []);
  assert.deepEqual(await lackingNames(PY(pySign('os.getenv("STRIPE_SECRET_KEY", "")'))), []);
  assert.deepEqual(await lackingNames(PY(pySign('os.environ.get("APP_TITLE") or "changeme"'))), []);
  assert.deepEqual(await lackingNames(PY(pySign('os.getenv("SESSION_SECRET", "x") or os.getenv("COOKIE_SECRET") or "dev-session-secret"'))), []);
  const sentinel = pySign('os.environ.get("JWT_SECRET") or "changeme"').replace('def sign(body):\n', 'def sign(body):\n    if KEY == "changeme":\n        raise RuntimeError("set JWT_SECRET")\n');
  assert.deepEqual(await lackingNames(PY(sentinel)), []);
});

test('a generated chain of thousands of reads is no set of choices: extracted, each read keeps its default', () => {
  const chain = Array.from({ length: 3000 }, (_, i) => `process.env.KEY_SECRET_${i}`).join(' || ');
  const facts = extractFile('web/src/generated.js', `module.exports = ${chain} || 'changeme';\n`);
  assert.equal(facts.reads.length, 3000);
  assert.ok(facts.reads.every((r) => r.hasDefault && !r.placeholderDefault));
});
