/**
 * Operator scripts and manual jobs (F5 in test/corpus/FINDINGS.md): a standalone program under a
 * `scripts/` or `jobs/` folder is run by people or CI, not by the service; then, through the rules,
 * what a staging deploy that sets almost nothing is told about optional, build-time and script
 * reads. Minimal reproductions written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extract } from './ts-facts';
import { analyze } from '../rule-harness';

before(ready);

test('operator scripts and manual jobs: a standalone program under scripts/ or jobs/', () => {
  const read = 'const url = process.env.DATABASE_URL;\n';
  const script = (file: string, text: string) => extract(text, file).isScript ?? false;
  assert.equal(script('api/scripts/seed-admin.ts', '#!/usr/bin/env tsx\n' + read), true);
  assert.equal(script('api/scripts/grant.ts', read + 'async function main() {}\nif (require.main === module) main();\n'), true);
  assert.equal(script('api/src/jobs/reap.ts', read + 'const isMain = import.meta.url === `file://${process.argv[1]}`;\nif (isMain) run();\n'), true);
  assert.equal(script('api/src/jobs/merge.ts', read + 'async function run() {}\nrun().then(() => process.exit(0));\n'), true);
  assert.equal(script('api/scripts/check.mjs', read + 'if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();\n'), true);
  // A run of its own function in a file that exports nothing (`clearCalls();` after a pool query).
  assert.equal(script('scripts/clear-calls.js', read + 'async function clearCalls() { await pool.end(); }\nclearCalls();\n'), true);
  // An entry that runs what it imports from the workspace (`main` kept apart so tests can import it).
  assert.equal(script('apps/cms/scripts/migrate/index.ts', read + 'import { main } from "./migrate";\nmain().catch(() => process.exit(1));\n'), true);
  // A failure reported through process.exitCode rather than process.exit(…).
  assert.equal(script('api/scripts/ab-runner.ts', read + 'async function main() {}\nmain().catch((e) => { console.error(e); process.exitCode = 1; });\n'), true);
  // Top-level code that awaits and exits when a variable is missing (`npx tsx scripts/live-check.mts`).
  assert.equal(script('scripts/live-check.mts', read + 'if (!url) process.exit(1);\ntry {\n  const { data } = await admin.createUser({});\n} finally {\n  await admin.deleteUser(1);\n}\n'), true);
  // look-alikes: the same top-level await in a module that exports, serves, or never exits
  assert.equal(script('scripts/lib/client.mts', read + 'if (!url) process.exit(1);\nexport const client = await connect(url);\n'), false);
  assert.equal(script('scripts/serve.mts', read + 'if (!url) process.exit(1);\nawait boot();\napp.listen(8080);\n'), false);
  assert.equal(script('scripts/warm.mts', read + 'await cache.warm(url);\n'), false);
  // look-alikes: the service's own entry point, a library module in scripts/, a scheduled job module
  assert.equal(script('api/src/index.ts', '#!/usr/bin/env node\n' + read + 'if (require.main === module) app.listen(8080);\n'), false);
  assert.equal(script('api/bin/www', '#!/usr/bin/env node\n' + read), false);
  assert.equal(script('api/scripts/lib/db.ts', read + 'export function pool() { return new Pool({ connectionString: url }); }\n'), false);
  assert.equal(script('api/src/jobs/cleanup.ts', read + 'export async function cleanup() {}\ncron.schedule("0 * * * *", cleanup);\n'), false);
  assert.equal(script('api/src/jobs/start.ts', read + 'async function main() { app.listen(8080); }\nmain();\n'), false);
  assert.equal(script('scripts/lib/pool.js', read + 'function connect() {}\nconnect();\nmodule.exports = { connect };\n'), false);
  assert.equal(script('scripts/lib/pool.ts', read + 'function connect() {}\nconnect();\nexport const ready = true;\n'), false);
  // a package's function called at the top (`config()` from dotenv) is no run of the file's own
  assert.equal(script('scripts/lib/env.ts', read + 'import { config } from "dotenv";\nconfig();\nexport const url2 = url;\n'), false);
  // named for a one-off data operation, anywhere: a seed or backfill program (Prisma keeps prisma/seed.ts)
  assert.equal(script('firestore_seed.ts', read + 'async function main() {}\nmain().catch((e) => { console.error(e); process.exit(1); });\n'), true);
  assert.equal(script('prisma/seed.ts', read + 'async function main() {}\nmain().then(() => process.exit(0));\n'), true);
  assert.equal(script('db/backfill-orders.mjs', '#!/usr/bin/env node\n' + read), true);
  // look-alikes: a seed module the service imports (no run of its own), a service's migrate-on-start
  // program, a name that only contains the word
  assert.equal(script('src/db/seed.ts', read + 'export async function seed() {}\n'), false);
  assert.equal(script('src/migrate.ts', read + 'async function main() {}\nmain().then(() => process.exit(0));\n'), false);
  assert.equal(script('src/seedling.ts', read + 'async function main() {}\nmain().then(() => process.exit(0));\n'), false);
  // the reads themselves are still recorded
  assert.deepEqual(extract('#!/usr/bin/env tsx\n' + read, 'api/scripts/a.ts').reads.map((r) => r.name), ['DATABASE_URL']);
});

// ---- through the rules: what a staging deploy that sets nothing else is told ------------------

const WEB_DEPLOY = '#!/bin/sh\ngcloud run deploy web-staging --source services/web --set-env-vars "ENVIRONMENT=staging,PRIMARY_URL=https://a"\n';

test('env-unset-for-deploy: optional, build-time and operator-script reads are quiet; required ones still report', async () => {
  const { findings } = await analyze({
    'services/web/package.json': '{ "name": "web" }\n',
    'services/web/src/cfg.ts': [
      "const level = process.env.LOG_LEVEL?.toUpperCase() || 'INFO';",
      'const token = process.env.EXTRA_TOKEN; if (token) headers.auth = token;',
      "export const beta = process.env.BETA_UI === 'true';",
      'export const api = process.env.PRIMARY_URL || process.env.FALLBACK_URL;',
      'export const site = process.env.NEXT_PUBLIC_SITE;',
      'export const key = process.env.SIGNING_SECRET;',
      "if (!key) throw new Error('SIGNING_SECRET');",
    ].join('\n'),
    'services/web/src/ui.tsx': 'export const maps = import.meta.env.VITE_MAPS_KEY;\nexport const m = import.meta.env.MODE;\n',
    'services/web/scripts/backfill.ts': '#!/usr/bin/env tsx\nconst who = process.env.BACKFILL_OWNER;\nif (!who) process.exit(2);\n',
    'deploy/deploy-web.sh': WEB_DEPLOY,
  });
  const unset = findings.filter((x) => x.rule === 'env-unset-for-deploy');
  assert.ok(unset.length > 0, 'the required read still reports');
  for (const x of unset) assert.match(x.message, /SIGNING_SECRET/);
});

test('code another platform deploys (Supabase Edge Functions, Netlify Functions) is no Cloud Run requirement', async () => {
  const read = 'const url = process.env.SUPABASE_URL;\nif (!url) throw new Error("no url");\n';
  assert.equal(extract(read, 'supabase/functions/validate-key/index.ts').runsElsewhere, true);
  assert.equal(extract(read, 'netlify/functions/hook.ts').runsElsewhere, true);
  assert.equal(extract(read, 'netlify/edge-functions/geo.ts').runsElsewhere, true);
  // look-alikes: the app's own Supabase client, a folder merely named functions
  assert.equal(extract(read, 'src/lib/supabase/client.ts').runsElsewhere, undefined);
  assert.equal(extract(read, 'src/functions/index.ts').runsElsewhere, undefined);
  const files = {
    'package.json': '{ "name": "web", "scripts": { "start": "next start" } }\n',
    'src/lib/db.ts': 'export const region = process.env.DB_REGION ?? "eu";\n',
    'supabase/functions/validate-key/index.ts': read,
    'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
    'deploy.sh': '#!/bin/sh\ngcloud run deploy web-production --source . --set-env-vars NODE_ENV=production\n',
  };
  const unset = async (f: Record<string, string>) => (await analyze(f)).findings.filter((x) => x.rule === 'env-unset-for-deploy').map((x) => x.message);
  assert.deepEqual(await unset(files), []);
  // Control: the same read in the app's own code is reported.
  assert.equal((await unset({ ...files, 'src/lib/edge.ts': read })).length, 1);
});
