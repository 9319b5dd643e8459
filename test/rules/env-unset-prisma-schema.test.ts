/**
 * env-unset-for-deploy and a Prisma schema: the client reads the datasource's
 * `url = env("DATABASE_URL")` at run time, so a service whose TypeScript never names the variable
 * still needs it. Reported at the deploy, with the schema's read as the related location; a fix
 * adds it. Look-alikes stay quiet: `directUrl` and `shadowDatabaseUrl` (the CLI's), a literal URL,
 * a commented-out line, a model field named `url`, code that gives the client its connection
 * itself (`datasourceUrl`, a driver adapter), code that uses no client, code that reads the
 * variable itself and copes without it, a schema of a folder no deploy runs. Minimal original
 * reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, applyFix, changedFiles, lackingNames, type Files } from '../rule-harness';
import { extractFile } from '../../server/src/extract';

before(ready);

const SCHEMA = (datasource: string): string =>
  `// The shop's data.\ngenerator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n${datasource}\n}\n\nmodel Link {\n  id  Int    @id @default(autoincrement())\n  url String // env("NOT_READ")\n}\n`;

const SERVER = "import { PrismaClient } from '@prisma/client';\nimport express from 'express';\nconst prisma = new PrismaClient();\nconst app = express();\napp.get('/', async (_q, s) => s.json(await prisma.link.findMany()));\napp.listen(Number(process.env.PORT ?? 8080));\n";

const SHOP = (datasource: string, server = SERVER, flags = '--set-env-vars "NODE_ENV=production" --set-secrets "SESSION_KEY=shop-session:latest"'): Files => ({
  'shop/package.json': '{ "name": "shop", "main": "dist/server.js", "scripts": { "start": "node dist/server.js" }, "dependencies": { "@prisma/client": "5.22.0", "express": "4.21.0" } }\n',
  'shop/prisma/schema.prisma': SCHEMA(datasource),
  'shop/src/server.ts': server,
  'deploy.sh': `#!/usr/bin/env bash\ngcloud run deploy shop --source shop --project acme-prod --region europe-west1 ${flags}\n`,
});

const URL_ONLY = '  provider = "postgresql"\n  url      = env("DATABASE_URL")';

test('the schema extractor: the client\'s url only, by name, with the name\'s span', () => {
  const text = SCHEMA('  provider  = "postgresql"\n  url       = env("DATABASE_URL") // the pooler\n  directUrl = env("DIRECT_URL")\n  shadowDatabaseUrl = env("SHADOW_URL")');
  const facts = extractFile('prisma/schema.prisma', text);
  assert.equal(facts.kind, 'prisma');
  assert.deepEqual(facts.reads.map((r) => [r.name, r.hasDefault, text.slice(r.nameSpan.start, r.nameSpan.end), text.slice(r.span.start, r.span.end)]),
    [['DATABASE_URL', false, 'DATABASE_URL', 'env("DATABASE_URL")']]);
  // A literal URL, a commented-out env(), a `//` inside a string, a malformed block: no read, no crash.
  for (const ds of ['  provider = "sqlite"\n  url = "file:./dev.db"', '  provider = "postgresql"\n  // url = env("DATABASE_URL")\n  url = "postgresql://u@h/db"', '  url = env(']) {
    assert.deepEqual(extractFile('prisma/schema.prisma', SCHEMA(ds)).reads, [], ds);
  }
  assert.deepEqual(extractFile('prisma/schema.prisma', '\u0000\u0001 datasource {{{ "unterminated').reads, []);
  // A test database's schema is a test file: its reads are no deploy's.
  assert.equal(extractFile('prisma/schema.test.prisma', text).isTest, true);
});

test('a deploy that replaces the environment without the schema\'s URL is reported, at the deploy, with the schema related', async () => {
  const files = SHOP(URL_ONLY);
  assert.deepEqual(await lackingNames(files), ['DATABASE_URL']);
  const { findings } = await analyze(files);
  const f = findings.find((x) => x.rule === 'env-unset-for-deploy')!;
  assert.equal(f.file, 'deploy.sh');
  assert.match(f.message, /without DATABASE_URL, which shop\/prisma\/schema\.prisma reads/);
  assert.deepEqual(f.related?.map((r) => [r.file, r.message]), [['shop/prisma/schema.prisma', 'DATABASE_URL read here (Prisma datasource url, no default)']]);
  // A presence test of the name elsewhere (choosing a cache) says nothing of the client's need.
  const cacheChoice = { ...files, 'shop/src/cache.ts': "export const cacheKind = process.env.DATABASE_URL ? 'memory' : 'file';\n" };
  assert.deepEqual(await lackingNames(cacheChoice), ['DATABASE_URL']);
  // Set by the deploy (as a secret): quiet.
  assert.deepEqual(await lackingNames(SHOP(URL_ONLY, SERVER, '--set-env-vars "NODE_ENV=production" --set-secrets "SESSION_KEY=shop-session:latest,DATABASE_URL=shop-db-url:latest"')), []);
  // The fix: applied, the finding goes, only the deploy changes, and applying it again changes nothing.
  const fix = f.fixes?.[0];
  assert.ok(fix, 'a fix is offered');
  const fixed = applyFix(files, fix);
  assert.deepEqual(changedFiles(files, fixed), ['deploy.sh']);
  assert.deepEqual(await lackingNames(fixed), []);
  const again = (await analyze(fixed)).findings.filter((x) => x.rule === 'env-unset-for-deploy');
  assert.deepEqual(again, []);
});

test('code that gives the client its connection itself, and a schema no deploy runs, stay quiet', async () => {
  const ownUrl = SERVER.replace('new PrismaClient()', 'new PrismaClient({ datasourceUrl: `postgresql://shop@/shop?host=/cloudsql/${process.env.INSTANCE ?? "x"}` })');
  assert.deepEqual(await lackingNames(SHOP(URL_ONLY, ownUrl)), []);
  const adapter = "import { PrismaClient } from '@prisma/client';\nimport { PrismaPg } from '@prisma/adapter-pg';\nimport { Pool } from 'pg';\nconst pool = new Pool({ host: '/cloudsql/acme:eu:db', user: 'shop', database: 'shop' });\nexport const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });\n";
  assert.deepEqual(await lackingNames(SHOP(URL_ONLY, adapter)), []);
  // No client in the service's code (the schema serves another tool), or the code reads the
  // variable itself and copes without it: the schema's read adds nothing.
  const noClient = "import express from 'express';\nconst app = express();\napp.get('/', (_q, s) => s.send('ok'));\napp.listen(8080);\n";
  assert.deepEqual(await lackingNames(SHOP(URL_ONLY, noClient)), []);
  const readsItself = SERVER.replace('const prisma = new PrismaClient();', "const enabled = !!(process.env.DATABASE_URL || '');\nconst prisma = new PrismaClient();").replace('s.json(await prisma.link.findMany())', 's.json(enabled ? await prisma.link.findMany() : [])');
  assert.deepEqual(await lackingNames(SHOP(URL_ONLY, readsItself)), []);
  const undeployed = { ...SHOP(URL_ONLY), 'deploy.sh': '#!/usr/bin/env bash\necho "nothing to deploy"\n' };
  assert.deepEqual(await lackingNames(undeployed), []);
  // The CLI's keys only: nothing the running service needs.
  assert.deepEqual(await lackingNames(SHOP('  provider = "postgresql"\n  url = "postgresql://shop@localhost/shop"\n  directUrl = env("DIRECT_URL")')), []);
});
