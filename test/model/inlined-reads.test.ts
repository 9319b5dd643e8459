/**
 * Reads a package's front-end build inlines by its framework's prefix (model/inlined-reads.ts):
 * `process.env.REACT_APP_*` in a Create React App package is the build's value, while the same
 * name read by an Express server beside it is read at run time.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze } from '../rule-harness';

before(ready);

test('a REACT_APP_ read is build-time in a react-scripts package (and its subfolders), run-time in a server package', async () => {
  const { ws } = await analyze({
    'client/package.json': '{ "name": "client", "dependencies": { "react": "18.0.0", "react-scripts": "5.0.1" } }\n',
    'client/src/auth/config.ts': 'export const url = process.env.REACT_APP_AUTH0_URL;\n',
    'mobile/package.json': '{ "name": "mobile", "dependencies": { "expo": "50.0.0" } }\n',
    'mobile/app/api.ts': 'export const api = process.env.EXPO_PUBLIC_API_URL;\n',
    'server/package.json': '{ "name": "server", "dependencies": { "express": "4.0.0" } }\n',
    'server/src/auth.ts': 'export const secret = process.env.REACT_APP_SITE_SECRET;\n',
    'broken/package.json': '{ "name": "broken", "dependencies": { "react-scripts": ',
    'broken/src/a.ts': 'export const a = process.env.REACT_APP_A;\n',
  });
  const model = ws.model();
  const buildTime = Object.fromEntries(model.reads.map((r) => [r.read.name, r.read.buildTime ?? false]));
  assert.deepEqual(buildTime, { REACT_APP_AUTH0_URL: true, EXPO_PUBLIC_API_URL: true, REACT_APP_SITE_SECRET: false, REACT_APP_A: false });
  // The file's own facts are not changed (they are shared with the cache and the editor).
  assert.equal(ws.files.get('client/src/auth/config.ts')!.facts.reads[0].buildTime, undefined);
});
