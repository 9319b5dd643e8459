/**
 * Dated or marked copies of a module kept beside it (`main_backup_20250727_205302.py`,
 * `server.bak.js`, `app_old.py`) are snapshots nothing imports by that name: their reads are not
 * the service's. A module named for what it does (`db_backup.py`) still is.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze } from '../rule-harness';
import { inExamplesOf, isKeptCopy } from '../../server/src/knowledge/inactive-paths';

before(ready);

test('kept copies by name', () => {
  for (const f of ['app/main_backup_20250727_205302.py', 'app/database_backup_20250729.py', 'app/db_backup-2025-07-29.py', 'src/server.bak.js', 'app/app_old.py', 'app/main.orig.py', 'src/index_bak.ts']) {
    assert.equal(isKeptCopy(f), true, f);
  }
  for (const f of ['app/db_backup.py', 'app/backup_service.py', 'app/backups.py', 'app/old.py', 'src/hold.ts', 'app/threshold_old_values.py', '.bak']) {
    assert.equal(isKeptCopy(f), false, f);
  }
});

test('the reads of a kept copy are not the service\'s; a module named for backups is', async () => {
  const { findings } = await analyze({
    'backend/requirements.txt': 'fastapi\n',
    'backend/app/main.py': 'import os\nfrom . import db_backup\nTOKEN = os.environ["LINE_TOKEN"]\n',
    'backend/app/main_backup_20250727_205302.py': 'import os\nOLD = os.environ["OLD_LINE_ACCESS_TOKEN"]\n',
    'backend/app/database_backup_20250729.py': 'import os\nURL = os.environ["DATABASE_URL"]\n',
    'backend/app/db_backup.py': 'import os\nBUCKET = os.environ["BACKUP_BUCKET"]\n',
    'backend/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n',
    'deploy.sh': 'gcloud run deploy backend --source backend --set-env-vars LINE_TOKEN=x\n',
  });
  const lacking = findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => /without (\w+)/.exec(f.message)?.[1]).sort();
  assert.deepEqual(lacking, ['BACKUP_BUCKET']);
});

test('usage examples inside a service\'s folder are not its code; a repository of samples keeps each deployed app under examples/', async () => {
  assert.equal(inExamplesOf('agent/examples/programmatic-usage.ts', 'agent'), true);
  assert.equal(inExamplesOf('agent/src/samples/x.ts', 'agent'), true);
  assert.equal(inExamplesOf('examples/cloud-run-app/main.py', 'examples/cloud-run-app'), false);
  assert.equal(inExamplesOf('agent/src/example.ts', 'agent'), false);
  const { findings } = await analyze({
    'agent/package.json': '{ "name": "agent", "scripts": { "start": "node dist/server.js" } }\n',
    'agent/src/server.ts': 'const secret = process.env.SESSION_KEY!;\nexport { secret };\n',
    'agent/examples/programmatic-usage.ts': "const key = process.env.PARTNER_API_KEY || 'your-api-key-here';\nasync function main() { console.log(key); }\nmain();\n",
    'agent/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "dist/server.js"]\n',
    'deploy.sh': 'gcloud run deploy agent --source agent --set-env-vars MODE=live\n',
  });
  const lacking = findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => /without (\w+)/.exec(f.message)?.[1]).sort();
  assert.deepEqual(lacking, ['SESSION_KEY']);
});
