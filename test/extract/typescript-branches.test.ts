/**
 * Development-only branches: NODE_ENV is a build mode (a staging deploy sets `production` too), and
 * a branch decided by a parameter or flag named for development (`if (dev)` in a webpack hook,
 * `options.dev`, `isDev`) runs only on a developer's machine. Minimal reproductions written from
 * scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extract, only } from './ts-facts';

before(ready);

test('NODE_ENV is a build mode: its production branch runs in every deploy, its other branch only in development', () => {
  const text = [
    "if (process.env.NODE_ENV === 'production') {",
    '  use(process.env.EVERY_DEPLOY);',
    '} else {',
    '  use(process.env.LOCAL_KEY_PATH);',
    '}',
    "if (process.env.NODE_ENV !== 'production') use(process.env.NOT_PROD_BUILD);",
    "const creds = process.env.NODE_ENV === 'production' ? process.env.PROD_BUILD_CREDS : process.env.DEV_CREDS_FILE;",
    "if (process.env.APP_ENV === 'production') { use(process.env.PROD_APP_ONLY); } else { use(process.env.STAGING_TOO); }",
    'if (import.meta.env.PROD) { use(process.env.PROD_BUNDLE); } else { use(process.env.DEV_SERVER_ONLY); }',
  ].join('\n');
  const f = extract(text);
  const flags = (name: string) => { const r = only(f, name); return [r.devOnly ?? false, r.inEnvironment]; };
  assert.deepEqual(flags('EVERY_DEPLOY'), [false, undefined]);
  assert.deepEqual(flags('LOCAL_KEY_PATH'), [true, undefined]);
  assert.deepEqual(flags('NOT_PROD_BUILD'), [true, undefined]);
  assert.deepEqual(flags('PROD_BUILD_CREDS'), [false, undefined]);
  assert.deepEqual(flags('DEV_CREDS_FILE'), [true, undefined]);
  // a deploy environment variable: staging runs the else branch
  assert.deepEqual(flags('PROD_APP_ONLY'), [false, 'production']);
  assert.deepEqual(flags('STAGING_TOO'), [false, undefined]);
  assert.deepEqual(flags('PROD_BUNDLE'), [false, undefined]);
  assert.deepEqual(flags('DEV_SERVER_ONLY'), [true, undefined]);
});

test('development-only branches decided by a parameter or a flag named for development', () => {
  const text = [
    'module.exports = {',
    '  webpack: (config, { dev, isServer }) => {',
    '    if (dev) config.devtool = process.env.DEVTOOL_KIND;',
    '    if (isServer) config.name = process.env.SERVER_BUNDLE_NAME;',
    '    return config;',
    '  },',
    '};',
    'function setup(options) {',
    '  if (options.dev) watch(process.env.WATCH_DIR);',
    '  if (!isDev) { use(process.env.NOT_DEV_FLAG); } else { use(process.env.DEV_FLAG_ELSE); }',
    '  if (this.isDevelopment) log(process.env.VERBOSE_SINK);',
    '  if (isDevelopment && verbose) log(process.env.BOTH_SINK);',
    '  if (devMode || other) log(process.env.EITHER_SINK);',
    '  if (device) use(process.env.DEVICE_KEY);',
    '  if (process.env.IS_DEV) use(process.env.ENV_FLAG_BRANCH);',
    '}',
    "const isProd = process.env.NODE_ENV === 'production';",
    'if (!isProd) use(process.env.VIA_LOCAL_FLAG);',
  ].join('\n');
  const f = extract(text, 'web/next.config.js');
  const dev = (name: string) => only(f, name).devOnly ?? false;
  assert.equal(dev('DEVTOOL_KIND'), true);
  assert.equal(dev('SERVER_BUNDLE_NAME'), false);
  assert.equal(dev('WATCH_DIR'), true);
  assert.equal(dev('NOT_DEV_FLAG'), false);
  assert.equal(dev('DEV_FLAG_ELSE'), true);
  assert.equal(dev('VERBOSE_SINK'), true);
  assert.equal(dev('BOTH_SINK'), true);
  assert.equal(dev('EITHER_SINK'), false);
  assert.equal(dev('DEVICE_KEY'), false);
  // a variable the deploy could set is not a development marker
  assert.equal(dev('ENV_FLAG_BRANCH'), false);
  assert.equal(dev('VIA_LOCAL_FLAG'), true);
});

test('after an early return on the environment, the rest of the block runs where the condition fails', () => {
  const text = [
    "router.post('/agent-login', (req, res) => {",
    "  if (process.env.NODE_ENV === 'production') {",
    "    return res.status(404).json({ error: 'Not found' });",
    '  }',
    '  return check(req.body.token, process.env.DEV_BYPASS_TOKEN);',
    '});',
    'function staged() {',
    "  if (process.env.APP_ENV !== 'staging') return;",
    '  use(process.env.STAGING_SEED_KEY);',
    '}',
    'function always() {',
    "  if (process.env.NODE_ENV === 'production') log('prod');",
    '  use(process.env.NOT_AFTER_A_RETURN);',
    '}',
  ].join('\n');
  const f = extract(text);
  const flags = (name: string) => { const r = only(f, name); return [r.devOnly ?? false, r.inEnvironment]; };
  assert.deepEqual(flags('DEV_BYPASS_TOKEN'), [true, undefined]);
  assert.deepEqual(flags('STAGING_SEED_KEY'), [false, 'staging']);
  assert.deepEqual(flags('NOT_AFTER_A_RETURN'), [false, undefined]);
});
