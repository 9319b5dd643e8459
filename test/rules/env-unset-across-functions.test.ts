/**
 * env-unset-for-deploy where what decides a read is in another module's function: the two shapes
 * that made every finding of one real repository false (held-out set W). Each has a control that
 * must fire, so the fixture is known to reach the rule. Getters are followed to their callers in
 * other modules (model/getter-callers.ts); the switch's quiet half is a `todo` until the model
 * follows switches into the functions a branch calls. Minimal original reproductions.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { findingsOf, lackingNames, type Files } from '../rule-harness';

before(ready);

/** A FastAPI service the Dockerfile starts (`uvicorn app.main:app`); `deploy.sh` sets `env`. */
const SERVICE = (main: string, extra: Files, env: string): Files => ({
  'api/requirements.txt': 'fastapi\nuvicorn\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["uvicorn", "app.main:app"]\n',
  'api/app/__init__.py': '',
  'api/app/main.py': main,
  'deploy.sh': `#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "${env}"\n`,
  ...extra,
});

const GETTER = { 'api/app/settings.py': 'import os\n\nDEFAULT_BUCKET = "reports-bucket"\n\n\ndef get_bucket_name() -> str | None:\n    return os.getenv("REPORTS_BUCKET")\n' };
const usingBucket = (expr: string): string =>
  `from fastapi import FastAPI\nfrom app import settings\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"bucket": ${expr}}\n`;

test('a getter returning a read: a caller that needs the value keeps it required (control)', async () => {
  assert.deepEqual(await lackingNames(SERVICE(usingBucket('settings.get_bucket_name().lower()'), GETTER, 'ENVIRONMENT=production')), ['REPORTS_BUCKET']);
});

test('a getter returning a read: quiet when every caller in the workspace gives a fallback', async () => {
  assert.deepEqual(await lackingNames(SERVICE(usingBucket('settings.get_bucket_name() or settings.DEFAULT_BUCKET'), GETTER, 'ENVIRONMENT=production')), []);
});

test('a getter returning a read: one caller in another module that needs the value keeps it required', async () => {
  const other = { 'api/app/reports.py': 'from app import settings\n\n\ndef report_path(name):\n    return settings.get_bucket_name().rstrip("/") + "/" + name\n' };
  assert.deepEqual(await lackingNames(SERVICE(usingBucket('settings.get_bucket_name() or settings.DEFAULT_BUCKET'), { ...GETTER, ...other }, 'ENVIRONMENT=production')), ['REPORTS_BUCKET']);
});

test('a getter returning a read: a function import tested with `if not` copes; a test calling it says nothing', async () => {
  const main = 'from fastapi import FastAPI\nfrom app.settings import get_bucket_name\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    if not get_bucket_name():\n        return {"bucket": None}\n    return {"bucket": "configured"}\n';
  const test = { 'api/tests/test_settings.py': 'from app.settings import get_bucket_name\n\n\ndef test_bucket():\n    assert get_bucket_name().startswith("r")\n' };
  assert.deepEqual(await lackingNames(SERVICE(main, { ...GETTER, ...test }, 'ENVIRONMENT=production')), []);
});

test('a getter returning a read: a getter typed to return `str` is required whatever its callers do', async () => {
  const typed = { 'api/app/settings.py': GETTER['api/app/settings.py'].replace('-> str | None', '-> str') };
  assert.deepEqual(await lackingNames(SERVICE(usingBucket('settings.get_bucket_name() or settings.DEFAULT_BUCKET'), typed, 'ENVIRONMENT=production')), ['REPORTS_BUCKET']);
});

const VERIFIER = {
  'api/app/auth.py': 'import os\n\n\nclass TokenVerifier:\n    @classmethod\n    def from_env(cls):\n        issuer = os.getenv("AUTH_ISSUER")\n        if not issuer:\n            raise ValueError("AUTH_ISSUER is required")\n        return cls()\n',
};
const SWITCHED = 'import os\nfrom fastapi import FastAPI\nfrom app.auth import TokenVerifier\n\n\ndef make_verifier():\n    mode = os.getenv("AUTH_MODE", "none").lower()\n    if mode == "jwt":\n        return TokenVerifier.from_env()\n    return None\n\n\nverifier = make_verifier()\napp = FastAPI()\n';

test('a switch in the calling function: the deploy choosing that branch needs the callee\'s reads (control)', async () => {
  assert.deepEqual(await lackingNames(SERVICE(SWITCHED, VERIFIER, 'AUTH_MODE=jwt')), ['AUTH_ISSUER']);
});

test('a switch in the calling function: quiet when the deploy sets the switch to another value', async () => {
  assert.deepEqual(await lackingNames(SERVICE(SWITCHED, VERIFIER, 'AUTH_MODE=github')), []);
});

// A function that needs a key, called only where that key is set: the deploy without the key
// never runs it. Python and TypeScript, each with a control and look-alikes that keep it required.
const PRESENCE_CALLER = (call: string): string =>
  `import os\nfrom fastapi import FastAPI\nfrom app.auth import TokenVerifier\n\n\ndef make_verifier():\n${call}\n    return None\n\n\nverifier = make_verifier()\napp = FastAPI()\n`;

test('a presence test of the callee\'s own key: the Python callee runs only where the key is set', async () => {
  assert.deepEqual(await lackingNames(SERVICE(PRESENCE_CALLER('    if os.getenv("AUTH_ISSUER"):\n        return TokenVerifier.from_env()'), VERIFIER, 'ENVIRONMENT=production')), []);
});

test('a presence test of the callee\'s own key: an unguarded call, or a test that the key is unset, keeps it required', async () => {
  assert.deepEqual(await lackingNames(SERVICE(PRESENCE_CALLER('    return TokenVerifier.from_env()'), VERIFIER, 'ENVIRONMENT=production')), ['AUTH_ISSUER']);
  assert.deepEqual(await lackingNames(SERVICE(PRESENCE_CALLER('    if not os.getenv("AUTH_ISSUER"):\n        return TokenVerifier.from_env()'), VERIFIER, 'ENVIRONMENT=production')), ['AUTH_ISSUER']);
});

/** An Express service with a TTS dispatcher (`tts/index.js`) calling a provider module that throws without its key. */
const TTS = (dispatch: string, extra: Files = {}): Files => ({
  'server/package.json': '{"name":"server","type":"module","dependencies":{"express":"^4.19.0"}}',
  'server/Dockerfile': 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n',
  'server/index.js': "import express from 'express';\nimport { speak } from './tts/index.js';\nconst app = express();\napp.post('/speak', async (req, res) => res.send(await speak(req.body)));\napp.listen(process.env.PORT || 8080);\n",
  'server/tts/openai.js': "export async function ttsOpenAI(text) {\n  if (!process.env.OPENAI_API_KEY) {\n    throw new Error('OPENAI_API_KEY is not set');\n  }\n  return fetch('https://api.openai.com/v1/audio/speech', { method: 'POST', body: text, headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` } });\n}\n",
  'server/tts/google.js': 'export async function ttsGoogle(text) {\n  return { text };\n}\n',
  'server/tts/index.js': `import { ttsOpenAI } from './openai.js';\nimport { ttsGoogle } from './google.js';\n\nexport async function speak({ text, provider = process.env.TTS_PROVIDER || 'google' }) {\n${dispatch}\n  return ttsGoogle(text);\n}\n`,
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy server --source server --project acme-prod --set-env-vars "TTS_PROVIDER=google"\n',
  ...extra,
});

test('a presence test of the callee\'s own key: the TypeScript callee in another module runs only where the key is set', async () => {
  assert.deepEqual(await lackingNames(TTS("  if (provider === 'openai' && process.env.OPENAI_API_KEY) {\n    return ttsOpenAI(text);\n  }")), []);
});

test('a presence test of the callee\'s own key: a TypeScript call outside the test, or one handed on, keeps it required', async () => {
  // Control: the same call behind the provider's choice only.
  assert.deepEqual(await lackingNames(TTS("  if (provider === 'openai') {\n    return ttsOpenAI(text);\n  }")), ['OPENAI_API_KEY']);
  // One guarded call and one handed on as a value: the value may be called anywhere.
  assert.deepEqual(await lackingNames(TTS("  if (process.env.OPENAI_API_KEY) {\n    return ttsOpenAI(text);\n  }\n  const providers = { openai: ttsOpenAI };\n  void providers;")), ['OPENAI_API_KEY']);
  // Another module calls it unguarded.
  const other = { 'server/tts/preview.js': "import { ttsOpenAI } from './openai.js';\nexport const preview = (text) => ttsOpenAI(text.slice(0, 40));\n" };
  assert.deepEqual(await lackingNames(TTS("  if (process.env.OPENAI_API_KEY) {\n    return ttsOpenAI(text);\n  }", other)), ['OPENAI_API_KEY']);
});

/** A Next.js-style service whose env module exports getters, and a module calling one. */
const GETTERS = (use: string): Files => ({
  'web/package.json': '{"name":"web","dependencies":{"next":"^14.2.0"}}',
  'web/Dockerfile': 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
  'web/src/server/env.ts': 'export function getServiceAccountJson(): string | undefined {\n  return process.env.SERVICE_ACCOUNT_JSON;\n}\n',
  'web/src/server/admin.ts': `import { getServiceAccountJson } from '@/server/env';\n\nexport function credential() {\n${use}\n}\n`,
  // A route calls it: a caller nothing calls would leave the getter uncalled too.
  'web/src/app/api/admin/route.ts': "import { credential } from '@/server/admin';\n\nexport async function GET() {\n  return Response.json(credential());\n}\n",
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy web --source web --project acme-prod --set-env-vars "NODE_ENV=production"\n',
});

test('a TypeScript getter in another module: optional when every caller copes with undefined', async () => {
  assert.deepEqual(await lackingNames(GETTERS("  const raw = getServiceAccountJson();\n  return raw ? JSON.parse(raw) : 'application-default';")), []);
});

test('a TypeScript getter in another module: a caller that needs the value keeps it required (control)', async () => {
  const needs = "  const raw = getServiceAccountJson();\n  if (!raw) throw new Error('SERVICE_ACCOUNT_JSON is required');\n  return JSON.parse(raw);";
  assert.deepEqual(await lackingNames(GETTERS(needs)), ['SERVICE_ACCOUNT_JSON']);
  // Unless nothing calls that caller: the getter then runs nowhere either.
  const { 'web/src/app/api/admin/route.ts': _route, ...uncalled } = GETTERS(needs);
  assert.deepEqual(await lackingNames(uncalled), []);
});

/** A service validating its environment with a zod schema whose secret defaults to a stand-in. */
const ZOD_SERVICE = (user: string): Files => ({
  'shops/package.json': '{"name":"shops","type":"module","dependencies":{"express":"^4.19.0","zod":"^3.23.0"}}',
  'shops/Dockerfile': 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "src/index.js"]\n',
  'shops/src/config.js': "import { z } from 'zod';\nconst schema = z.object({\n  SHOP_API_SECRET: z.string().min(1).default('dev_secret'),\n  LOG_LEVEL: z.string().default('info'),\n});\nexport const config = schema.parse(process.env);\n",
  'shops/src/index.js': `import express from 'express';\nimport { config } from './config.js';\nconst app = express();\n${user}\napp.listen(process.env.PORT || 8080);\n`,
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy shops --source shops --project acme-prod --set-env-vars "LOG_LEVEL=info" --set-secrets "STRIPE_KEY=stripe-key:latest"\n',
});

test('a schema field whose secret defaults to a stand-in, used by another module: the deploy must set it', async () => {
  const findings = await findingsOf('env-unset-for-deploy', ZOD_SERVICE("app.post('/hook', (req, res) => res.send(sign(req.body, config.SHOP_API_SECRET)));\nfunction sign(b, k) { return `${k}:${b}`; }"));
  assert.deepEqual(findings.map((f) => [f.severity, f.message.replace(/, which.*/, '')]), [['error', 'shops (production) is deployed without SHOP_API_SECRET']]);
});

test('a schema field whose secret defaults to a stand-in, that nothing uses (only a self-audit reads the variable itself): no error', async () => {
  const findings = (await findingsOf('env-unset-for-deploy', ZOD_SERVICE("app.get('/audit', (req, res) => res.json({ secretSet: Boolean(process.env.SHOP_API_SECRET) }));")));
  assert.deepEqual(findings.filter((f) => f.severity !== 'info').map((f) => f.message), []);
});
