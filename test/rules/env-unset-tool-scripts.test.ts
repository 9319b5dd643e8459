/**
 * env-unset-for-deploy and code only a package's tooling scripts run: a migration run with
 * `npm run db:migrate` (`tsx ./src/db/migrate.ts`), a build's env check (`ts-node ./env-check.ts
 * && nest build`). A developer or CI runs them with their own environment; the image runs the
 * server, so what they read is no requirement of the deploy. The same file run by the start script
 * (directly or through a script it runs), by the image's command, or imported by the server stays
 * the service's. Minimal original reproduction (model/tool-scripts.ts).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { lackingNames, type Files } from '../rule-harness';
import { lineRuns, chainRuns } from '../../server/src/extract/command-line';

before(ready);

const pkg = (scripts: Record<string, string>): string => JSON.stringify({ name: 'shop', scripts, dependencies: { next: '15.0.0' } }, null, 2) + '\n';

const APP = (scripts: Record<string, string>, extra: Files = {}): Files => ({
  'web/package.json': pkg(scripts),
  'web/src/app/page.tsx': 'export default function Page() { return null; }\n',
  'web/src/lib/db.ts': "export const url = process.env.DATABASE_URL!;\n",
  'web/src/db/migrate.ts': [
    "import { Pool } from 'pg';",
    'const pool = new Pool({ ssl: { ca: process.env.DB_SSL_CA!, rejectUnauthorized: true } });',
    'await pool.query("select 1");',
    '',
  ].join('\n'),
  'web/cloudbuild.yaml': [
    'steps:',
    '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
    '    entrypoint: gcloud',
    "    args: ['run', 'deploy', 'shop-web', '--source', '.', '--project', 'acme-prod', '--region', 'europe-west1', '--set-secrets', 'DATABASE_URL=database-url:latest']",
    '',
  ].join('\n'),
  ...extra,
});

const lacking = lackingNames;

test('a chain names every program it runs; ts-node and tsx take their configuration file as a flag value', () => {
  assert.deepEqual(chainRuns('ts-node --project ./tsconfig.json ./env-check.ts && nest build'), [{ script: './env-check.ts' }]);
  assert.deepEqual(chainRuns('npm run db:migrate && node server.js'), [{ packageScript: 'db:migrate' }, { script: 'server.js' }]);
  assert.deepEqual(lineRuns('tsx --tsconfig tsconfig.node.json src/server.ts'), { script: 'src/server.ts' });
});

test('quiet: a migration only the db:migrate script runs, and a build-time env check', async () => {
  assert.deepEqual(await lacking(APP({ build: 'next build', start: 'next start', 'db:migrate': 'tsx -r dotenv/config ./src/db/migrate.ts' })), []);
  assert.deepEqual(await lacking(APP({ build: 'ts-node --project ./tsconfig.json ./src/db/migrate.ts && next build', start: 'next start' })), []);
});

test('reported: the same file once the service runs it or loads it', async () => {
  // The start script runs the migration in the container, directly or through another script.
  assert.deepEqual(await lacking(APP({ start: 'tsx ./src/db/migrate.ts && next start', 'db:migrate': 'tsx ./src/db/migrate.ts' })), ['DB_SSL_CA']);
  assert.deepEqual(await lacking(APP({ start: 'npm run db:migrate && next start', 'db:migrate': 'tsx ./src/db/migrate.ts' })), ['DB_SSL_CA']);
  // The image's command runs the script that runs it.
  assert.deepEqual(await lacking(APP({ 'db:migrate': 'tsx ./src/db/migrate.ts', 'migrate-and-serve': 'npm run db:migrate && next start' }, {
    'web/Dockerfile': 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "run", "migrate-and-serve"]\n',
  })), ['DB_SSL_CA']);
  // The server imports it (an import seen in a parsed file: one the prefilters skip reads nothing).
  assert.deepEqual(await lacking(APP({ start: 'next start', 'db:migrate': 'tsx ./src/db/migrate.ts' }, {
    'web/src/app/api/health/route.ts': "import '../../../db/migrate';\nexport function GET() { return new Response(process.env.HEALTH_TEXT ?? 'ok'); }\n",
  })), ['DB_SSL_CA']);
  // No script runs it: service code, as before.
  assert.deepEqual(await lacking(APP({ start: 'next start' })), ['DB_SSL_CA']);
});
