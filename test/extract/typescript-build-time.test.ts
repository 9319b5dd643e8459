/**
 * Values a front-end build inlines (Vite `import.meta.env.VITE_*`, Next.js `NEXT_PUBLIC_*`, a
 * `vite.config`), and Vite's built-in constants, which are no variables at all (F4 in
 * test/corpus/FINDINGS.md). Minimal reproductions written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extract, only } from './ts-facts';

before(ready);

test('build-time values: Vite import.meta.env.VITE_*, Next.js NEXT_PUBLIC_*, vite.config; Vite built-ins are not reads', () => {
  const text = [
    'export const api = import.meta.env.VITE_API_BASE;',
    "const key = import.meta.env['VITE_MAPS_KEY'];",
    'const { VITE_SITE_NAME } = import.meta.env;',
    'const env = import.meta.env;',
    'const dsn = env.VITE_ERROR_DSN;',
    'const mode = import.meta.env.MODE;',
    'if (import.meta.env.DEV) enableMocks();',
    'const prod = import.meta.env.PROD;',
    'const ssr = import.meta.env.SSR;',
    'const base = import.meta.env.BASE_URL;',
    'const site = process.env.NEXT_PUBLIC_SITE_URL;',
    'const db = process.env.DATABASE_URL;',
    'const bun = import.meta.env.BUN_RUNTIME_VAR;',
    'const notVite = process.env.VITE_PORT;',
    'const cra = process.env.REACT_APP_AUTH0_URL;',
    'const expo = process.env.EXPO_PUBLIC_API_URL;',
    'const gatsby = process.env.GATSBY_SITE_KEY;',
    'const nuxt = process.env.NUXT_PUBLIC_API_BASE;',
  ].join('\n');
  const f = extract(text, 'web/src/config.ts');
  assert.deepEqual(f.reads.map((r) => [r.name, r.buildTime ?? false]), [
    ['VITE_API_BASE', true],
    ['VITE_MAPS_KEY', true],
    ['VITE_SITE_NAME', true],
    ['VITE_ERROR_DSN', true],
    ['NEXT_PUBLIC_SITE_URL', true],
    ['DATABASE_URL', false],
    // Bun serves import.meta.env at runtime: only Vite's prefix says "inlined by the build"
    ['BUN_RUNTIME_VAR', false],
    ['VITE_PORT', false],
    // Create React App, Expo and Gatsby embed their prefixes' values only in a package they
    // build: the model decides from its package.json (test/model/inlined-reads.test.ts). Nuxt
    // overrides its runtime config from NUXT_PUBLIC_* when the server starts.
    ['REACT_APP_AUTH0_URL', false],
    ['EXPO_PUBLIC_API_URL', false],
    ['GATSBY_SITE_KEY', false],
    ['NUXT_PUBLIC_API_BASE', false],
  ]);
  assert.equal(at(text, only(f, 'VITE_MAPS_KEY').nameSpan), 'VITE_MAPS_KEY');
  assert.equal('buildTime' in only(f, 'DATABASE_URL'), false);

  const schema = extract([
    "import { z } from 'zod';",
    'const Env = z.object({ VITE_APP_ID: z.string().min(1), VITE_OPTIONAL_KEY: z.string().optional() });',
    'export const env = Env.parse(import.meta.env);',
  ].join('\n'), 'web/src/env.ts');
  assert.deepEqual(schema.reads.map((r) => [r.name, r.hasDefault, r.buildTime ?? false]), [
    ['VITE_APP_ID', false, true],
    ['VITE_OPTIONAL_KEY', true, true],
  ]);

  const config = extract("export default { server: { port: Number(process.env.DEV_PORT) }, base: process.env.PUBLIC_BASE };", 'web/vite.config.ts');
  assert.deepEqual(config.reads.map((r) => [r.name, r.buildTime ?? false]), [['DEV_PORT', true], ['PUBLIC_BASE', true]]);
});

test("Next.js's `env` config key is inlined when `next build` runs; the config's other reads are the server's", () => {
  const text = [
    "const withPlugins = require('next-compose-plugins');",
    'module.exports = withPlugins([], {',
    '  env: { ENVIRONMENT_NAME: process.env.ENVIRONMENT_NAME, RELEASE: process.env.RELEASE_TAG || "dev" },',
    '  images: { domains: [process.env.IMAGE_HOST] },',
    '});',
  ].join('\n');
  const f = extract(text, 'next.config.js');
  assert.deepEqual(f.reads.map((r) => [r.name, r.buildTime ?? false]), [['ENVIRONMENT_NAME', true], ['RELEASE_TAG', true], ['IMAGE_HOST', false]]);
  const mjs = extract('const nextConfig = { env: { SITE_NAME: process.env.SITE_NAME } };\nexport default nextConfig;', 'web/next.config.mjs');
  assert.equal(only(mjs, 'SITE_NAME').buildTime, true);
  // The same shape in a module of the application is no Next.js config.
  const other = extract('export const cfg = { env: { SITE_NAME: process.env.SITE_NAME } };', 'src/cfg.ts');
  assert.equal(only(other, 'SITE_NAME').buildTime, undefined);
});

test("a Next.js config with output: 'standalone' is read by `next build` only: every read in it is a build-time read", () => {
  const text = [
    "const nextConfig = { output: 'standalone', images: { domains: [process.env.IMAGE_HOST] } };",
    'let finalConfig = nextConfig;',
    'if (process.env.NEXT_PUBLIC_SENTRY_DSN) {',
    "  const { withSentryConfig } = require('@sentry/nextjs');",
    '  finalConfig = withSentryConfig(nextConfig, { org: process.env.SENTRY_ORG, project: process.env.SENTRY_PROJECT });',
    '}',
    'module.exports = finalConfig;',
  ].join('\n');
  const f = extract(text, 'apps/web/next.config.js');
  assert.deepEqual(f.reads.map((r) => [r.name, r.buildTime ?? false]),
    [['IMAGE_HOST', true], ['NEXT_PUBLIC_SENTRY_DSN', true], ['SENTRY_ORG', true], ['SENTRY_PROJECT', true]]);
  // `next start` loads a config without it at run time; a computed output decides nothing; nor
  // does the same key in a module that is no Next.js config.
  const served = extract("module.exports = { output: process.env.STANDALONE ? 'standalone' : undefined, images: { domains: [process.env.IMAGE_HOST] } };", 'next.config.js');
  assert.equal(only(served, 'IMAGE_HOST').buildTime, undefined);
  const other = extract("export const cfg = { output: 'standalone', host: process.env.IMAGE_HOST };", 'src/cfg.ts');
  assert.equal(only(other, 'IMAGE_HOST').buildTime, undefined);
});
