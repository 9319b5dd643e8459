/**
 * Tools' configuration files beside a package's manifest (`drizzle.config.ts`, an in-house
 * `audit-kit.config.js`): the tool loads them when it runs, so their reads are not requirements of
 * the service's deploy — while configs the running server loads (`next.config.js`,
 * `sentry.server.config.ts`, PM2's `ecosystem.config.js`, NextAuth's `auth.config.ts`) and
 * application modules named `*.config.ts` under `src/` stay service code. Minimal reproductions
 * written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extract } from './ts-facts';
import { analyze } from '../rule-harness';

before(ready);

const READ = "module.exports = { alerts: { email: process.env.AUDIT_ALERT_EMAIL, hook: process.env.AUDIT_WEBHOOK } };\n";

test('a tool configuration file is marked; look-alikes the server loads are not', () => {
  const tool = (file: string) => extract(READ, file).isToolConfig ?? false;
  for (const f of ['audit-kit.config.js', 'drizzle.config.ts', 'apps/web/tailwind.config.cjs', 'packages/db/knex-runner.config.mjs', 'eslint.config.mjs']) {
    assert.equal(tool(f), true, f);
  }
  for (const f of [
    'next.config.js', 'apps/web/next.config.mjs', 'sentry.server.config.ts', 'sentry.edge.config.ts',
    'ecosystem.config.js', 'auth.config.ts', 'app.config.ts', 'src/config/database.config.ts',
    'apps/api/src/app/app.config.ts', 'server/mail.config.js', 'lib/site.config.ts', 'config.js', 'auditconfig.js',
  ]) {
    assert.equal(tool(f), false, f);
  }
  // A test runner's config is a test, not a tool config: one flag, not both.
  const jest = extract(READ, 'jest.config.js');
  assert.equal(jest.isTest, true);
  assert.equal(jest.isToolConfig, undefined);
  // The reads are still recorded (editor features use them).
  assert.deepEqual(extract(READ, 'audit-kit.config.js').reads.map((r) => r.name), ['AUDIT_ALERT_EMAIL', 'AUDIT_WEBHOOK']);
});

const DEPLOY = '#!/bin/sh\ngcloud run deploy shop --source . --region europe-west1 --set-env-vars "NODE_ENV=production"\n';

test('env-unset-for-deploy: a root tool config read is quiet; the service and next.config reads still report', async () => {
  const { findings } = await analyze({
    'package.json': '{ "name": "shop", "scripts": { "start": "next start" } }\n',
    'audit-kit.config.js': READ,
    'drizzle.config.ts': "export default { dbCredentials: { url: process.env.MIGRATE_DATABASE_URL! } };\n",
    'next.config.js': "module.exports = { async rewrites() { return [{ source: '/api/:p*', destination: process.env.BACKEND_ORIGIN + '/:p*' }]; } };\n",
    'pages/api/pay.ts': "const key = process.env.PAYMENTS_KEY!;\nexport default function h(req, res) { res.json(charge(key)); }\n",
    'deploy.sh': DEPLOY,
  });
  const names = findings.filter((x) => x.rule === 'env-unset-for-deploy').map((x) => /\b([A-Z][A-Z0-9_]{3,})\b/.exec(x.message.replace(/^.*without /, ''))?.[1]).sort();
  assert.deepEqual(names, ['BACKEND_ORIGIN', 'PAYMENTS_KEY']);
});
