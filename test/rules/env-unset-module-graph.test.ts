/**
 * env-unset-for-deploy and the modules a container loads: a read in a module of the service that
 * no import chain from the image's program reaches (an `app.ts` the `server.ts` it runs never
 * imports) is not the deploy's requirement. The program is the Dockerfile's command, or the
 * package.json script `npm start` names, mapped from the build's output to its source. Wherever
 * the chain cannot be followed for sure (a path alias, a computed `require`, a command naming no
 * file of the service) every module counts, as before. Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, lackingNames, type Files } from '../rule-harness';

before(ready);

const service = (server: string, extra: Files = {}, cmd = '["npm", "start"]'): Files => ({
  'backend/package.json': JSON.stringify({ name: 'backend', scripts: { build: 'tsc', start: 'node dist/server.js' }, dependencies: { express: '^4' } }),
  'backend/Dockerfile': `FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ${cmd}\n`,
  'backend/src/server.ts': server,
  'backend/src/routes.ts': "export const key = process.env.PARTNER_API_KEY!;\n",
  // The older entry nothing imports any more, and what only it loads.
  'backend/src/app.ts': "import { encrypt } from './utils/encryption';\nexport const app = encrypt;\n",
  'backend/src/utils/encryption.ts': "export const encrypt = (s: string) => s + process.env.ENCRYPTION_KEY!;\n",
  'deploy.sh': [
    '#!/usr/bin/env bash',
    'IMAGE="europe-docker.pkg.dev/acme-prod/apps/backend:$GITHUB_SHA"',
    'docker build -t "$IMAGE" backend',
    'gcloud run deploy backend --image "$IMAGE" --project acme-prod --set-env-vars "ENVIRONMENT=production"',
    '',
  ].join('\n'),
  ...extra,
});

const lacking = lackingNames;

const SERVER = "import express from 'express';\nimport { key } from './routes';\nexport const server = express().listen(8080, () => key);\n";

test('quiet: a module the program never loads; reported: one it loads', async () => {
  assert.deepEqual(await lacking(service(SERVER)), ['PARTNER_API_KEY']);
});

test('reported: the same module once an import chain from the program reaches it', async () => {
  assert.deepEqual(await lacking(service(`import './app';\n${SERVER}`)), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  // through a re-export and a require too
  assert.deepEqual(await lacking(service(`export * from './app';\n${SERVER}`)), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  assert.deepEqual(await lacking(service(`const legacy = require('./app');\n${SERVER}`)), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
});

test('the program named in the Dockerfile itself, and through a preloaded module, is followed the same', async () => {
  assert.deepEqual(await lacking(service(SERVER, {}, '["node", "dist/server.js"]')), ['PARTNER_API_KEY']);
  assert.deepEqual(await lacking(service(SERVER, {}, '["node", "--import", "./dist/tracing.js", "dist/server.js"]')), ['PARTNER_API_KEY']);
});

test('a path alias is followed to the module it names, as TypeScript resolves it', async () => {
  const db = { 'backend/src/db/index.ts': 'export const db = process.env.DATABASE_URL!;\n' };
  const cases: [string, string, Files, string[]][] = [
    // `paths` relative to the config that declares them (no baseUrl), with comments, as NestJS writes them.
    ['paths without baseUrl', "import { db } from 'src/db';", { 'backend/tsconfig.json': '{\n  // bare src/ imports\n  "compilerOptions": { "paths": { "src/*": ["./src/*"] } }\n}\n' }, ['DATABASE_URL', 'PARTNER_API_KEY']],
    ['paths relative to baseUrl', "import { db } from '@app/db';", { 'backend/tsconfig.json': '{ "compilerOptions": { "baseUrl": "src", "paths": { "@app/*": ["*"] } } }' }, ['DATABASE_URL', 'PARTNER_API_KEY']],
    ['paths from the config it extends', "import { db } from '@/db';", { 'backend/tsconfig.json': '{ "extends": "./tsconfig.base.json" }', 'backend/tsconfig.base.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }' }, ['DATABASE_URL', 'PARTNER_API_KEY']],
    // The longest prefix wins: `@app/db/*` before `@app/*`.
    ['the most specific pattern', "import { db } from '@app/db/index';", { 'backend/tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["./lib/*"], "@app/db/*": ["./src/db/*"] } } }' }, ['DATABASE_URL', 'PARTNER_API_KEY']],
    ['a folder under baseUrl', "import { db } from 'db';", { 'backend/tsconfig.json': '{ "compilerOptions": { "baseUrl": "./src" } }' }, ['DATABASE_URL', 'PARTNER_API_KEY']],
    // A catch-all pattern whose targets hold no such module: the package of that name.
    ['a catch-all falling back to a package', "import cors from 'cors';", { 'backend/tsconfig.json': '{ "compilerOptions": { "paths": { "*": ["./types/*"] } } }' }, ['PARTNER_API_KEY']],
  ];
  for (const [what, line, config, expected] of cases) {
    // Still quiet on the old entry's encryption module: the program never loads it.
    assert.deepEqual(await lacking(service(`${line}\n${SERVER}`, { ...db, ...config })), expected, what);
  }
});

test('every module counts where the chain cannot be followed for sure', async () => {
  // A path alias that names no module here (`@/` with no config, a `paths` target the build generates).
  assert.deepEqual(await lacking(service(`import { x } from '@/lib/x';\n${SERVER}`)), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  assert.deepEqual(await lacking(service(`import { db } from '@app/db';\n${SERVER}`, { 'backend/tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["src/*"] } } }' })),
    ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  // A `baseUrl` import of a folder of the project whose module is not here.
  assert.deepEqual(await lacking(service(`import { encrypt } from 'utils/missing';\n${SERVER}`, { 'backend/tsconfig.json': '{ "compilerOptions": { "baseUrl": "src" } }' })),
    ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  // A module the workspace lacks: a build's output the server mounts (SvelteKit's handler).
  assert.deepEqual(await lacking(service(`import { handler } from '../build/handler.js';\n${SERVER}`)), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  // A module loaded by a computed name.
  assert.deepEqual(await lacking(service(`for (const m of ['app']) require('./' + m);\n${SERVER}`)), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  // A command naming no file of the service (a standalone Next.js server is generated by the build).
  assert.deepEqual(await lacking(service(SERVER, {}, '["node", "server.js"]')), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  // A package script that starts no file.
  assert.deepEqual(await lacking(service(SERVER, {}, '["npm", "run", "serve"]')), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
});

test('generated code the repository leaves out (a Prisma client in ../generated/prisma) loads only packages: the chain is still followed', async () => {
  assert.deepEqual(await lacking(service(`import { PrismaClient } from '../generated/prisma';\nimport { gql } from './__generated__/graphql';\n${SERVER}`)), ['PARTNER_API_KEY']);
  // Any other missing module may load anything: every module counts.
  assert.deepEqual(await lacking(service(`import { PrismaClient } from '../prisma-client';\n${SERVER}`)), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
});

test('a package import, a stylesheet or a data file is not followed and decides nothing', async () => {
  assert.deepEqual(await lacking(service(`import { z } from 'zod';\nimport fs from 'node:fs';\nimport './theme.css';\nimport seed from './seed.json';\n${SERVER}`)), ['PARTNER_API_KEY']);
});

test('a module importing the workspace\'s own compiled output is followed to its source', async () => {
  // `../dist/lib/tokens.js` is what `tsc` makes of `lib/tokens.ts`: the source stands for it.
  const files = service(`import { tokens } from '../dist/lib/tokens.js';\n${SERVER}`, { 'backend/src/lib/tokens.ts': 'export const tokens = process.env.TOKEN_LIST!;\n' });
  assert.deepEqual(await lacking(files), ['PARTNER_API_KEY', 'TOKEN_LIST']);
  // Without the source, what the output loads is not known: every module counts.
  const { 'backend/src/lib/tokens.ts': _gone, ...without } = files;
  assert.deepEqual(await lacking(without), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
});

test('the program a command names through the image\'s copies, and a distroless command naming the script alone', async () => {
  // `COPY src/server.ts ./main.js`-style renames: the command's path is the copy's destination.
  const renamed = service(SERVER, { 'backend/Dockerfile': 'FROM node:20\nWORKDIR /srv\nCOPY . /srv/app/\nCMD ["node", "/srv/app/src/server.ts"]\n' });
  assert.deepEqual(await lacking(renamed), ['PARTNER_API_KEY']);
  const single = service(SERVER, { 'backend/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY src/ ./lib/\nCMD ["node", "./lib/server.ts"]\n' });
  assert.deepEqual(await lacking(single), ['PARTNER_API_KEY']);
  // gcr.io/distroless/nodejs runs node as its entrypoint: the command is the script.
  const distroless = service(SERVER, { 'backend/Dockerfile': 'FROM gcr.io/distroless/nodejs22\nWORKDIR /app\nCOPY . .\nCMD ["./src/server.js"]\n' });
  assert.deepEqual(await lacking(distroless), ['PARTNER_API_KEY']);
});

test('an entrypoint shell script: the program its exec starts is the image\'s, found through the copy', async () => {
  const entry = (script: string, extra: Files = {}) => service(SERVER, {
    'backend/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCOPY docker-entrypoint.sh /usr/local/bin/start.sh\nENTRYPOINT ["/usr/local/bin/start.sh"]\n',
    'backend/docker-entrypoint.sh': script, ...extra,
  });
  const migrateThenServe = '#!/bin/sh\nset -e\nif [ "$SKIP_MIGRATION" != "true" ]; then\n  npx prisma migrate deploy\n  node dist/seed.js || true\nfi\nexec node dist/server.js\n';
  assert.deepEqual(await lacking(entry(migrateThenServe)), ['PARTNER_API_KEY']);
  // Without exec, the last command that starts a program.
  assert.deepEqual(await lacking(entry('#!/bin/sh\nnpx prisma migrate deploy\nnode dist/server.js\n')), ['PARTNER_API_KEY']);
  // Two programs by a switch: both count.
  assert.deepEqual(await lacking(entry('#!/bin/sh\nif [ "$ROLE" = legacy ]; then exec node dist/app.js; fi\nexec node dist/server.js\n')), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  // A script that starts nothing known (`exec "$@"` with no command), or one not in the workspace: every module counts.
  assert.deepEqual(await lacking(entry('#!/bin/sh\nexec "$@"\n')), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  const { 'backend/docker-entrypoint.sh': _e, ...noScript } = entry(migrateThenServe);
  assert.deepEqual(await lacking(noScript), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
});

test('an image built from the workspace root whose command runs one package of it (WORKDIR /app/server) deploys that package', async () => {
  const files: Files = {
    'package.json': JSON.stringify({ name: 'root', private: true, scripts: { build: 'npm --prefix server run build' } }),
    'web/main.ts': 'export const api = process.env.WEB_ONLY_URL!;\n',
    'server/package.json': JSON.stringify({ name: 'server', scripts: { build: 'tsc' } }),
    'server/src/index.ts': "import http from 'node:http';\nconst key = process.env.SERVER_KEY!;\nhttp.createServer(() => key).listen(8080);\n",
    'Dockerfile': 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:20\nWORKDIR /app\nCOPY --from=build /app/server/dist ./server/dist\nWORKDIR /app/server\nCMD ["node", "dist/index.js"]\n',
    'deploy.sh': 'docker build -t europe-docker.pkg.dev/acme/apps/app:1 .\ngcloud run deploy app --image europe-docker.pkg.dev/acme/apps/app:1 --project acme-prod --set-env-vars ENVIRONMENT=production\n',
  };
  assert.deepEqual(await lacking(files), ['SERVER_KEY']);
  const inPackage = await analyze(files);
  assert.deepEqual(inPackage.ws.model().targets.map((t) => t.service?.root), ['server']);
  // Running the root's own program: the root, as before.
  assert.deepEqual(await lacking({ ...files, 'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "web/main.js"]\n', 'web/main.ts': 'export const api = process.env.WEB_ONLY_URL!;\n' }), ['WEB_ONLY_URL']);
});

test('a package of the workspace imported by its name is followed to its source; only what is reached counts', async () => {
  const core = {
    'packages/core/package.json': JSON.stringify({ name: '@acme/core', main: 'dist/index.js' }),
    'packages/core/src/index.ts': "export * from './billing';\n",
    'packages/core/src/billing.ts': 'export const stripe = process.env.STRIPE_KEY!;\n',
    'packages/core/src/legacy.ts': 'export const fax = process.env.FAX_TOKEN!;\n',
  };
  // The backend's own folder is the service; the package is code its image copies in beside it.
  const dockerfile = 'FROM node:20\nWORKDIR /repo\nCOPY packages/core ./packages/core\nCOPY backend ./backend\nWORKDIR /repo/backend\nRUN npm ci && npm run build\nCMD ["node", "dist/server.js"]\n';
  const files = service(`import { stripe } from '@acme/core';\n${SERVER}`, { ...core, 'backend/Dockerfile': dockerfile, 'deploy.sh': 'docker build -f backend/Dockerfile -t europe-docker.pkg.dev/acme-prod/apps/backend:1 .\ngcloud run deploy backend --image europe-docker.pkg.dev/acme-prod/apps/backend:1 --project acme-prod --set-env-vars ENVIRONMENT=production\n' });
  assert.deepEqual(await lacking(files), ['PARTNER_API_KEY', 'STRIPE_KEY']);
  // A path inside the package, and a package whose source is not found (every module counts).
  assert.deepEqual(await lacking({ ...files, 'backend/src/server.ts': `import { fax } from '@acme/core/legacy';\n${SERVER}` }), ['FAX_TOKEN', 'PARTNER_API_KEY']);
  const { 'packages/core/src/index.ts': _i, 'packages/core/src/billing.ts': _b, ...noSource } = files;
  assert.deepEqual(await lacking(noSource), ['ENCRYPTION_KEY', 'FAX_TOKEN', 'PARTNER_API_KEY']);
});

/** A second Dockerfile in the service's folder: which one an image not built here comes from is not known. */
const DEV_DOCKERFILE: Files = { 'backend/Dockerfile.dev': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/app.js"]\n' };

test('a deploy of an image the workspace does not build runs what the same Cloud Run name runs elsewhere', async () => {
  // A workflow deploying an image it only pushes: its program is the one deploy.sh's build starts.
  const workflow = [
    'on: { push: { branches: [main] } }',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: docker push gcr.io/${{ secrets.GCP_PROJECT_ID }}/backend:${{ github.sha }}',
    '      - run: gcloud run deploy backend --image gcr.io/${{ secrets.GCP_PROJECT_ID }}/backend:${{ github.sha }} --project acme-prod --set-env-vars ENVIRONMENT=production',
    '',
  ].join('\n');
  assert.deepEqual(await lacking(service(SERVER, { '.github/workflows/deploy.yml': workflow, ...DEV_DOCKERFILE })), ['PARTNER_API_KEY']);
  // Look-alike: another Cloud Run name is another service, whose program is not known (the folder
  // holding two Dockerfiles, neither is known to be its image's).
  const other = workflow.replace('gcloud run deploy backend', 'gcloud run deploy backend-canary');
  assert.deepEqual(await lacking(service(SERVER, { '.github/workflows/deploy.yml': other, ...DEV_DOCKERFILE })), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
});

test('a build and a deploy spelling the project differently name one image', async () => {
  // Cloud Build builds `gcr.io/$PROJECT_ID/backend`; the script deploys `gcr.io/${PROJECT_ID}/backend`.
  const build = "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-t', 'gcr.io/$PROJECT_ID/backend', 'backend']\nimages:\n- gcr.io/$PROJECT_ID/backend\n";
  const deploy = (image: string): string => `#!/usr/bin/env bash\ngcloud run deploy backend --image ${image} --project acme-prod --set-env-vars ENVIRONMENT=production\n`;
  assert.deepEqual(await lacking(service(SERVER, { 'cloudbuild.yaml': build, 'deploy.sh': deploy('"gcr.io/${PROJECT_ID}/backend:latest"'), ...DEV_DOCKERFILE })), ['PARTNER_API_KEY']);
  // Look-alike: a name that is itself a variable names no image of another file.
  const byVariable = build.replaceAll('$PROJECT_ID/backend', '$PROJECT_ID/$_SERVICE');
  assert.deepEqual(await lacking(service(SERVER, { 'cloudbuild.yaml': byVariable, 'deploy.sh': deploy('"gcr.io/${PROJECT_ID}/${SERVICE}:latest"'), ...DEV_DOCKERFILE })), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
});

test('a deploy whose image is built out of sight runs the program of the one Dockerfile its service holds', async () => {
  const pushed = { 'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy backend --image "$PUSHED_IMAGE" --project acme-prod --set-env-vars ENVIRONMENT=production\n' };
  assert.deepEqual(await lacking(service(SERVER, pushed)), ['PARTNER_API_KEY']);
  // The guess is said where the link is explained.
  const { ws } = await analyze(service(SERVER, pushed));
  assert.deepEqual(ws.model().targets.flatMap((t) => t.deploys.flatMap((d) => d.evidence.filter((e) => e.includes('Dockerfile')))),
    ["its image's build not seen: runs what backend's one Dockerfile starts (dist/server.js)"]);
  // Look-alikes: a folder with two Dockerfiles (which one built the image is not known), and a
  // deploy from source (buildpacks decide what runs where the folder has no Dockerfile at its root).
  assert.deepEqual(await lacking(service(SERVER, { ...pushed, ...DEV_DOCKERFILE })), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
  assert.deepEqual(await lacking(service(SERVER, { 'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy backend --source . --project acme-prod --set-env-vars ENVIRONMENT=production\n' })), ['ENCRYPTION_KEY', 'PARTNER_API_KEY']);
});

/** A Next.js app deployed from source (no program known): pages and routes load by convention. */
const nextApp = (extra: Files = {}): Files => ({
  'web/package.json': JSON.stringify({ name: 'web', scripts: { build: 'next build', start: 'next start', audit: 'tsx scripts/security-audit.ts' }, dependencies: { next: '^15' } }),
  'web/src/app/page.tsx': "import { siteName } from '../lib/site';\nexport default function Home() {\n  return siteName;\n}\n",
  'web/src/lib/site.ts': 'export const siteName = process.env.SITE_NAME!.trim();\n',
  // Validates at import; only the audit script loads it, for one helper.
  'web/src/lib/config/security.ts': "const secret = process.env.AUDIT_SIGNING_KEY!;\nif (!secret) throw new Error('AUDIT_SIGNING_KEY');\nexport const redact = (s: string) => s.replace(secret, '***');\n",
  'web/scripts/security-audit.ts': "import { redact } from '../src/lib/config/security';\nconsole.log(redact(process.argv[2] ?? ''));\n",
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy web --source web --project acme-prod --set-env-vars NODE_ENV=production\n',
  ...extra,
});

test('a module only an operator script loads runs with the script, not with the service', async () => {
  assert.deepEqual(await lacking(nextApp()), ['SITE_NAME']);
  // Through another module only that script's chain loads, too.
  const chained = nextApp({
    'web/scripts/security-audit.ts': "import { report } from '../src/lib/security/report';\nconsole.log(report());\n",
    'web/src/lib/security/report.ts': "import { redact } from '../config/security';\nexport const report = () => redact('x');\n",
  });
  assert.deepEqual(await lacking(chained), ['SITE_NAME']);
  // A Python service beside it loading modules by computed names is another graph's concern.
  const beside = nextApp({
    'worker/requirements.txt': 'celery\n',
    'worker/app/plugins.py': 'import importlib\n\n\ndef load(name):\n    return importlib.import_module("app." + name)\n',
  });
  assert.deepEqual(await lacking(beside), ['SITE_NAME']);
});

test('a module a service file also loads, a program-named module, or a computed require keeps its reads', async () => {
  // A page imports it too (through a path alias as well).
  assert.deepEqual(await lacking(nextApp({ 'web/src/app/admin/page.tsx': "import { redact } from '../../lib/config/security';\nexport default () => redact('x');\n" })), ['AUDIT_SIGNING_KEY', 'SITE_NAME']);
  const aliased = nextApp({
    'web/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }),
    'web/src/app/admin/page.tsx': "import { redact } from '@/lib/config/security';\nexport default () => redact('x');\n",
  });
  assert.deepEqual(await lacking(aliased), ['AUDIT_SIGNING_KEY', 'SITE_NAME']);
  // A module named as programs are (`server.ts`) may be started by a command out of sight.
  const server = nextApp({
    'web/src/lib/config/server.ts': "const secret = process.env.AUDIT_SIGNING_KEY!;\nexport const redact = (s: string) => s.replace(secret, '***');\n",
    'web/scripts/security-audit.ts': "import { redact } from '../src/lib/config/server';\nconsole.log(redact(''));\n",
    'web/src/lib/config/security.ts': 'export {};\n',
  });
  assert.deepEqual(await lacking(server), ['AUDIT_SIGNING_KEY', 'SITE_NAME']);
  // A service module loading a computed name may load it.
  assert.deepEqual(await lacking(nextApp({ 'web/src/lib/plugins.ts': "export const load = (n: string) => require('./' + n);\n" })), ['AUDIT_SIGNING_KEY', 'SITE_NAME']);
});

/** A Next.js app built `standalone`: the image runs the generated `server.js`, which loads the
 * app's routes by convention. */
const standaloneApp = (extra: Files = {}): Files => ({
  'web/package.json': JSON.stringify({ name: 'web', scripts: { build: 'next build', start: 'next start', worker: 'tsx workers/start.ts' }, dependencies: { next: '^15' } }),
  'web/next.config.mjs': "export default { output: 'standalone' };\n",
  'web/tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
  'web/Dockerfile': 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:20\nWORKDIR /app\nCOPY --from=build /app/.next/standalone ./\nCMD ["node", "server.js"]\n',
  'web/app/api/checkout/route.ts': "import { paddle } from '@/lib/paddle';\nexport async function POST() { return Response.json(paddle()); }\n",
  'web/app/page.tsx': 'export default function Home() { return null; }\n',
  'web/middleware.ts': "export function middleware() { return process.env.AUTH_SECRET!; }\n",
  'web/lib/paddle.ts': 'export const paddle = () => process.env.PADDLE_API_KEY!;\n',
  // A worker's own entry, run by another deploy (or by hand): nothing the server loads imports it.
  'web/workers/index.ts': "if (!process.env.REDIS_HOST) process.exit(1);\nexport const host = process.env.REDIS_HOST!;\n",
  'deploy.sh': [
    '#!/usr/bin/env bash',
    'IMAGE="europe-docker.pkg.dev/acme-prod/apps/web:$GITHUB_SHA"',
    'docker build -t "$IMAGE" web',
    'gcloud run deploy web --image "$IMAGE" --project acme-prod --set-env-vars "ENVIRONMENT=production"',
    '',
  ].join('\n'),
  ...extra,
});

test("Next.js standalone: the server loads the app's routes, middleware and what they import, not a worker's own entry", async () => {
  assert.deepEqual(await lacking(standaloneApp()), ['AUTH_SECRET', 'PADDLE_API_KEY']);
  // Imported by a route, the worker's module is loaded too.
  assert.deepEqual(await lacking(standaloneApp({ 'web/app/api/health/route.ts': "import { host } from '@/workers';\nexport const GET = () => Response.json(host);\n" })),
    ['AUTH_SECRET', 'PADDLE_API_KEY', 'REDIS_HOST']);
  // `next start` (through `npm start`), and `node .next/standalone/server.js`: the same server.
  const started = standaloneApp({ 'web/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n' });
  assert.deepEqual(await lacking(started), ['AUTH_SECRET', 'PADDLE_API_KEY']);
  const inBuild = standaloneApp({ 'web/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["node", ".next/standalone/server.js"]\n' });
  assert.deepEqual(await lacking(inBuild), ['AUTH_SECRET', 'PADDLE_API_KEY']);
  // Under `src/` the same.
  const src = Object.fromEntries(Object.entries(standaloneApp()).map(([f, t]) => [f.replace(/^web\/(app|middleware|lib|workers)/, 'web/src/$1'), t.replace('"@/*": ["./*"]', '"@/*": ["./src/*"]')]));
  assert.deepEqual(await lacking(src), ['AUTH_SECRET', 'PADDLE_API_KEY']);
});

test('Next.js standalone: every module counts where the app is not understood whole', async () => {
  // An import naming no module here.
  assert.deepEqual(await lacking(standaloneApp({ 'web/app/page.tsx': "import { x } from '@/generated/client';\nexport default function Home() { return x; }\n" })),
    ['AUTH_SECRET', 'PADDLE_API_KEY', 'REDIS_HOST']);
  // A folder that is no Next.js app (no config, no `next` dependency): `server.js` names nothing known.
  const notNext = standaloneApp({ 'web/package.json': JSON.stringify({ name: 'web', dependencies: { express: '^4' } }) });
  delete notNext['web/next.config.mjs'];
  assert.deepEqual(await lacking(notNext), ['AUTH_SECRET', 'PADDLE_API_KEY', 'REDIS_HOST']);
  // A custom server of the repository's own (`server.js` is a module here): followed as written.
  assert.deepEqual(await lacking(standaloneApp({ 'web/server.js': "require('./workers');\n" })), ['REDIS_HOST']);
});
