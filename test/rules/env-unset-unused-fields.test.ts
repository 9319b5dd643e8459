/**
 * A variable kept in a field of a module's settings object that no other code names
 * (`export const config = { api: { playground: process.env.GQL_PLAYGROUND === 'true' } }`, and
 * the server reads only `config.api.introspection`): the value reaches no code, so a deploy leaving
 * it out changes nothing, and a placeholder in it signs nothing. Evidence that the object is read
 * field by field is asked for — another of its fields named elsewhere — since an object handed whole
 * to a library (`initializeApp(config.firebase)`) is used by fields no file names. Only code that
 * may load the module counts (its service's, in its language): a front end's own `storageBucket`,
 * or a deploy file naming the variable, uses no field of it. A settings class that requires the
 * field still fails without it. Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { findingsOf, type Files } from '../rule-harness';
import { extractFile } from '../../server/src/extract/index';

before(ready);

/** An Express API whose settings module holds an object read field by field, deployed twice. */
const API = (config: string, server: string, extra: Files = {}): Files => ({
  'api/package.json': '{ "name": "api", "main": "src/server.ts", "scripts": { "start": "node dist/server.js" } }\n',
  'api/Dockerfile': 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "dist/server.js"]\n',
  'api/src/config.ts': config,
  'api/src/server.ts': server,
  ...extra,
});

const SWITCHES = "export const config = {\n  api: {\n    introspection: process.env.GQL_INTROSPECTION === 'true',\n    playground: process.env.GQL_PLAYGROUND === 'true',\n  },\n};\n";
const USES_INTROSPECTION = "import { config } from './config';\nimport { serve } from './graphql';\nserve({ introspection: config.api.introspection });\n";

/** The release sets both switches; a hotfix path replaces the variables without them. */
const TWO_PATHS = (names: string): Files => ({
  'deploy/release.sh': `#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "NODE_ENV=production,${names}"\n`,
  'deploy/hotfix.sh': '#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "NODE_ENV=production"\n',
  'README.md': 'Deploy with `deploy/release.sh`; `deploy/hotfix.sh` for urgent fixes.\n',
});

const said = (f: Awaited<ReturnType<typeof findingsOf>>) => f.map((x) => `${x.severity} ${/(?:without|lack) (\w+)/.exec(x.message)?.[1] ?? x.message}`).sort();

test('the TypeScript extractor records the settings field a value or a test of it is kept in, and its nearest siblings', () => {
  const reads = extractFile('api/src/config.ts', SWITCHES).reads;
  assert.deepEqual(reads.map((r) => [r.name, r.storedIn, r.storedBeside]), [
    ['GQL_INTROSPECTION', 'introspection', ['playground']],
    ['GQL_PLAYGROUND', 'playground', ['introspection']],
  ]);
  // A framework's own configuration is read by the framework: `next.config.js`'s `env` names no field anyone searches for.
  assert.deepEqual(extractFile('web/next.config.js', "module.exports = {\n  env: { NEXTAUTH_URL: process.env.NEXTAUTH_URL, API_BASE: process.env.API_BASE },\n};\n").reads.map((r) => r.storedIn), [undefined, undefined]);
  // Only through what cannot throw on an unset variable: `.trim()` does, and so does a fallback that fails.
  const throwing = extractFile('api/src/config.ts', "const fail = (m: string): never => { throw new Error(m); };\nexport default {\n  region: process.env.REGION.trim(),\n  bucket: process.env.BUCKET ?? fail('BUCKET'),\n  project: process.env.PROJECT?.trim(),\n};\n").reads;
  assert.deepEqual(throwing.map((r) => [r.name, r.storedIn]), [['REGION', undefined], ['BUCKET', undefined], ['PROJECT', 'project']]);
  // A field the settings file itself reads is used there; a short key cannot be searched for.
  const own = extractFile('api/src/config.ts', "const config = { port: Number(process.env.PORT) || 8080, db: process.env.DB_URL };\nif (config.port < 1) throw new Error('bad port');\nexport default config;\n").reads;
  assert.deepEqual(own.map((r) => [r.name, r.storedIn]), [['PORT', undefined], ['DB_URL', undefined]]);
});

test('a switch kept in a field nothing names: the path that drops it changes nothing, quiet; its sibling still warns', async () => {
  const f = await findingsOf('env-unset-for-deploy', API(SWITCHES, USES_INTROSPECTION, TWO_PATHS('GQL_INTROSPECTION=true,GQL_PLAYGROUND=true')));
  assert.deepEqual(said(f), ['warning GQL_INTROSPECTION']);
  // Control: once the server names the field, the playground switch is dropped by the hotfix too.
  const both = await findingsOf('env-unset-for-deploy', API(SWITCHES, `${USES_INTROSPECTION}serve({ playground: config.api.playground });\n`, TWO_PATHS('GQL_INTROSPECTION=true,GQL_PLAYGROUND=true')));
  assert.deepEqual(said(both), ['warning GQL_INTROSPECTION', 'warning GQL_PLAYGROUND']);
});

const FIREBASE = "export const config = {\n  firebase: {\n    projectId: process.env.FB_PROJECT!,\n    storageBucket: process.env.FB_BUCKET!,\n  },\n};\n";
const ONE_DEPLOY: Files = { 'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "NODE_ENV=production"\n' };

test('a required-looking value (`!`) kept in a field nothing names: no error for it; its sibling, named elsewhere, stays one', async () => {
  const server = "import { config } from './config';\nimport { initializeApp } from 'firebase-admin/app';\ninitializeApp({ projectId: config.firebase.projectId });\n";
  const f = await findingsOf('env-unset-for-deploy', API(FIREBASE, server, ONE_DEPLOY));
  assert.deepEqual(said(f), ['error FB_PROJECT']);
  // A front end of its own naming `storageBucket` (its Firebase web config) uses no field of the API's settings.
  const web = { 'web/package.json': '{ "name": "web", "dependencies": { "next": "14.0.0" } }\n', 'web/src/firebase.ts': "export const firebaseConfig = { projectId: 'acme', storageBucket: 'acme.appspot.com' };\n" };
  assert.deepEqual(said(await findingsOf('env-unset-for-deploy', API(FIREBASE, server, { ...ONE_DEPLOY, ...web }))), ['error FB_PROJECT']);
});

test('look-alikes that stay: the object handed whole to a library, the field named by another module, a settings class requiring it', async () => {
  // Handed whole: the library reads `storageBucket` though no file names it, and no sibling is named either.
  const whole = "import { config } from './config';\nimport { initializeApp } from 'firebase-admin/app';\ninitializeApp(config.firebase);\n";
  assert.deepEqual(said(await findingsOf('env-unset-for-deploy', API(FIREBASE, whole, ONE_DEPLOY))), ['error FB_BUCKET', 'error FB_PROJECT']);
  // Another module of the API names the field.
  const named = "import { config } from './config';\nexport const bucket = () => config.firebase.storageBucket;\nexport const project = () => config.firebase.projectId;\n";
  assert.deepEqual(said(await findingsOf('env-unset-for-deploy', API(FIREBASE, named, ONE_DEPLOY))), ['error FB_BUCKET', 'error FB_PROJECT']);
  // A table per environment, picked by a computed key and handed whole to the ORM (Sequelize's
  // config/config.js): it reads `host`, which no file names, though `database` is named.
  const table = "module.exports = {\n  development: { database: 'dev', host: 'localhost' },\n  production: {\n    database: String(process.env.DB_NAME),\n    host: String(process.env.DB_HOST),\n  },\n};\n";
  const orm = "const env = process.env.NODE_ENV || 'development';\nconst config = require('./config')[env];\nconst { Sequelize } = require('sequelize');\nmodule.exports = new Sequelize(config.database, null, null, config);\n";
  assert.deepEqual(said(await findingsOf('env-unset-for-deploy', API(table, orm, ONE_DEPLOY))), ['error DB_HOST', 'error DB_NAME']);
  // pydantic-settings: a field without a default fails `Settings()` whether or not anything uses it.
  const py: Files = {
    'svc/requirements.txt': 'fastapi\npydantic-settings\n',
    'svc/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n',
    'svc/app/__init__.py': '',
    'svc/app/config.py': 'from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    LEDGER_URL: str\n    LEDGER_REGION: str = "eu"\n\n\nsettings = Settings()\n',
    'svc/app/main.py': 'from fastapi import FastAPI\nfrom app.config import settings\n\napp = FastAPI()\n\n\n@app.get("/")\ndef root():\n    return {"region": settings.LEDGER_REGION}\n',
    'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy svc --source svc --project acme-prod --set-env-vars "ENVIRONMENT=production"\n',
  };
  assert.deepEqual(said(await findingsOf('env-unset-for-deploy', py)), ['error LEDGER_URL']);
});

test('placeholder-secret: a placeholder kept in a settings field no code uses is information that says so', async () => {
  const config = "module.exports = {\n  JWT_SECRET: process.env.JWT_SECRET,\n  SESSION_SECRET: process.env.SESSION_SECRET,\n};\n";
  const server = "const config = require('./config');\nconst jwt = require('jsonwebtoken');\nmodule.exports = (t) => jwt.verify(t, config.JWT_SECRET);\n";
  const deploy = { 'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "NODE_ENV=production,SESSION_SECRET=changeme" --set-secrets "JWT_SECRET=jwt-secret:latest"\n' };
  const f = await findingsOf('placeholder-secret', API(config, server, deploy));
  assert.deepEqual(f.map((x) => [x.severity, x.messageId]), [['info', 'unusedField']]);
  assert.match(f[0]!.message, /kept in settings field SESSION_SECRET, which no code here uses/);
  // Control: once a module uses the field, the placeholder signs sessions: an error.
  const used = `${server}module.exports.session = { secret: config.SESSION_SECRET };\n`;
  assert.deepEqual((await findingsOf('placeholder-secret', API(config, used, deploy))).map((x) => x.severity), ['error']);
});
