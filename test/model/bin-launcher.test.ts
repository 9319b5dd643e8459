/**
 * A Dockerfile whose command runs a launcher in `bin/` (`node bin/server.js` in AdonisJS, `node
 * ./bin/www` from Express's generator) of an image holding the whole context ships the package at
 * the context's root: the service is that root, and its reads outside `bin/` are the deploy's.
 * Minimal original reproduction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Files } from '../rule-harness';

const app = (cmd: string): Files => ({
  'package.json': '{ "name": "courier", "scripts": { "build": "tsc" } }\n',
  'Dockerfile': `FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm run build\nFROM node:20\nWORKDIR /app\nCOPY --from=build /app/build ./\nCMD ${cmd}\n`,
  'bin/server.ts': 'import "../start/env";\n',
  'start/env.ts': 'export const key = process.env.APP_KEY!;\nkey.trim();\n',
  'deploy.sh': 'gcloud builds submit --tag europe-docker.pkg.dev/p/r/courier .\ngcloud run deploy courier --image europe-docker.pkg.dev/p/r/courier --set-env-vars LOG_LEVEL=info\n',
});

test('node bin/server.js: the service is the package at the root, and its reads are asked of the deploy', async () => {
  const { ws, findings } = await analyze(app('["node", "bin/server.js"]'));
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'deploy.sh'));
  assert.equal(t?.service?.root, '');
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), ['workspace (default) is deployed without APP_KEY, which start/env.ts reads']);
});

test('control: a script in another folder is still that folder\'s program', async () => {
  const files = app('["node", "server/main.js"]');
  const { ws } = await analyze({ ...files, 'server/main.ts': 'console.log(process.env.OTHER);\n' });
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'deploy.sh'));
  assert.notEqual(t?.service?.root, '');
});
