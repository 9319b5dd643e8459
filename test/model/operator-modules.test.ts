/**
 * Library modules kept in a script folder that only operator code loads (`scripts/firebase_auth.js`
 * required by the CLI helpers beside it): their reads are no deploy requirement, as the scripts'
 * are not. What each extractor records (imports into script folders only) and, through the rules,
 * what a staging deploy is told. Minimal reproductions written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extract } from '../extract/ts-facts';
import { analyze, type Files } from '../rule-harness';
import { extractFile } from '../../server/src/extract/index';
import { defaultExtractOptions } from '../../server/src/extract/options';

before(ready);

test('TypeScript: imports into a script folder are recorded, resolved and without extension; others are not', () => {
  const text = [
    "import { a } from './lib/auth.js';",
    "export { b } from '../scripts/common';",
    "const c = require('./helpers/db');",
    "const d = await import('./lazy.mjs');",
    "import express from 'express';",
    "import { e } from '../src/app';",
    "const f = require(name);",
    'export const url = process.env.DATABASE_URL;',
  ].join('\n');
  assert.deepEqual(extract(text, 'web/scripts/run.ts').imports, ['web/scripts/common', 'web/scripts/helpers/db', 'web/scripts/lazy', 'web/scripts/lib/auth']);
  // From service code, only what lies in a script folder.
  assert.deepEqual(extract("import { x } from '../scripts/common';\nimport { y } from './util';\nexport const u = process.env.A;\n", 'web/src/app.ts').imports, ['web/scripts/common']);
  assert.equal(extract("import { y } from './util';\nexport const u = process.env.A;\n", 'web/src/app.ts').imports, undefined);
});

test('Python: relative imports, a script folder\'s sibling modules and dotted paths from any folder above', async () => {
  await ready();
  const text = [
    'import os',
    'import common',
    'from .auth import login',
    'from . import db_tools',
    'from scripts.shared import paths',
    'import requests',
    'URL = os.environ["DATABASE_URL"]',
  ].join('\n');
  const facts = extractFile('ops/scripts/run.py', text, defaultExtractOptions);
  assert.deepEqual(facts.imports, [
    'ops/scripts/auth', 'ops/scripts/auth/login', 'ops/scripts/common', 'ops/scripts/db_tools', 'ops/scripts/requests',
    'ops/scripts/scripts/shared', 'ops/scripts/scripts/shared/paths', 'ops/scripts/shared', 'ops/scripts/shared/paths',
    'scripts/shared', 'scripts/shared/paths',
  ]);
});

test('Python imports are found wherever they sit (in a function, a try, parenthesized), and never in a string, a comment, __future__ or importlib', async () => {
  await ready();
  const text = [
    'from __future__ import annotations',
    '"""import fake_doc"""',
    '# import fake_comment',
    'import importlib',
    'try:',
    '    import lib_a',
    'except ImportError:',
    '    lib_a = None',
    'from .pkg import (  # import fake_inline',
    '    one,',
    '    two as deux,',
    ')',
    'def run():',
    '    import lib_b',
    '    helper = importlib.import_module("fake_dynamic")',
    '    return helper, "import fake_string"',
    'URL = os.environ["DATABASE_URL"]',
  ].join('\n');
  const facts = extractFile('ops/scripts/run.py', text, defaultExtractOptions);
  assert.deepEqual(facts.imports, [
    'ops/scripts/importlib', 'ops/scripts/lib_a', 'ops/scripts/lib_b', 'ops/scripts/pkg', 'ops/scripts/pkg/one', 'ops/scripts/pkg/two',
  ]);
});

test('Python outside a script folder: only an import naming scripts/ or jobs/ is kept (the walk is skipped without the words)', async () => {
  await ready();
  const named = extractFile('svc/app/main.py', 'import os\nfrom ops.Scripts.common import x\nA = os.environ["A"]\n', defaultExtractOptions);
  assert.deepEqual(named.imports, ['ops/Scripts/common', 'ops/Scripts/common/x', 'svc/app/ops/Scripts/common', 'svc/app/ops/Scripts/common/x', 'svc/ops/Scripts/common', 'svc/ops/Scripts/common/x']);
  const plain = extractFile('svc/app/main.py', 'import os\nfrom .common import x\nA = os.environ["A"]\n', defaultExtractOptions);
  assert.equal(plain.imports, undefined);
});

const DEPLOY = '#!/bin/sh\ngcloud run deploy web-staging --source services/web --set-env-vars "ENVIRONMENT=staging"\n';
const LIB = "export function credentials() {\n  return JSON.parse(process.env.FIREBASE_ADMIN_JSON);\n}\n";
const SCRIPT = "#!/usr/bin/env node\nconst { credentials } = require('./firebase_auth');\nconst who = process.env.SEED_OWNER;\nmain(credentials(), who);\n";

const unsetNames = async (files: Files): Promise<string[]> =>
  (await analyze(files)).findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => /(?:without|lack) (\w+)/.exec(f.message)?.[1] ?? '').sort();

test('env-unset-for-deploy: a scripts/ module only operator scripts load is quiet; one the service loads still reports', async () => {
  const base: Files = {
    'services/web/package.json': '{ "name": "web" }\n',
    'services/web/src/server.ts': 'export const port = Number(process.env.PORT);\n',
    'services/web/scripts/firebase_auth.js': LIB,
    'services/web/scripts/seed_users.js': SCRIPT,
    'deploy/deploy-web.sh': DEPLOY,
  };
  assert.deepEqual(await unsetNames(base), []);
  // Through a second library that only scripts load: still operator code.
  assert.deepEqual(await unsetNames({
    ...base,
    'services/web/scripts/seed_users.js': "#!/usr/bin/env node\nconst { creds } = require('./common');\nconst who = process.env.SEED_OWNER;\nmain(creds(), who);\n",
    'services/web/scripts/common.js': "const { credentials } = require('./firebase_auth');\nexports.creds = () => credentials(process.env.COMMON_FLAG);\n",
  }), []);
  // Controls: the service loads the module too; nothing loads it (a library nobody is seen using).
  assert.deepEqual(await unsetNames({ ...base, 'services/web/src/server.ts': "import { credentials } from '../scripts/firebase_auth';\nexport const c = credentials();\n" }), ['FIREBASE_ADMIN_JSON']);
  // (Its read at the module's top level: in a function nothing names, it would never run anyway.)
  const unloaded = { ...base, 'services/web/scripts/seed_users.js': '#!/usr/bin/env node\nconst who = process.env.SEED_OWNER;\nmain(who);\n' };
  assert.deepEqual(await unsetNames({ ...unloaded, 'services/web/scripts/firebase_auth.js': 'export const admin = JSON.parse(process.env.FIREBASE_ADMIN_JSON);\n' }), ['FIREBASE_ADMIN_JSON']);
  assert.deepEqual(await unsetNames(unloaded), []);
});

test('env-unset-for-deploy: a Python scripts/ module its sibling scripts import is quiet; the service importing it reports', async () => {
  const base: Files = {
    'services/api/requirements.txt': 'fastapi\n',
    'services/api/app/main.py': 'import os\n\nPORT = int(os.environ.get("PORT", "8080"))\n',
    'services/api/scripts/db_common.py': 'import os\n\n\ndef dsn():\n    return os.environ["ADMIN_DSN"]\n',
    'services/api/scripts/backfill_names.py': 'import os\nfrom db_common import dsn\n\nif __name__ == "__main__":\n    run(dsn(), os.environ.get("BATCH", "10"))\n',
    'deploy/deploy-api.sh': '#!/bin/sh\ngcloud run deploy api-staging --source services/api --set-env-vars "ENVIRONMENT=staging"\n',
  };
  assert.deepEqual(await unsetNames(base), []);
  assert.deepEqual(await unsetNames({ ...base, 'services/api/app/main.py': 'import os\nfrom scripts.db_common import dsn\n\nPORT = int(os.environ.get("PORT", "8080"))\nDSN = dsn()\n' }), ['ADMIN_DSN']);
});
