/**
 * The early phase of a load (before a host's first publish) reads deploy files, env files and
 * manifests, and of a script folder's Python files only those whose bytes may hold a deploy (the
 * deploy reading's own prefilter): the others wait until after it. The model after the whole load
 * is the same either way.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { prefilters } from '../../server/src/extract/prefilters';
import { ready, writeFiles } from '../helpers';

let root = '';
const FILES: Record<string, string> = {
  'api/requirements.txt': 'fastapi\n',
  'api/main.py': 'import os\nKEY = os.environ["PAYMENTS_KEY"]\n',
  'scripts/deploy_api.py': 'import subprocess\nsubprocess.run(["gcloud", "run", "deploy", "api", "--source", "api", "--set-env-vars", "ENVIRONMENT=production"])\n',
  'scripts/cleanup_buckets.py': 'import os\nBUCKET = os.environ["CLEANUP_BUCKET"]\nprint(BUCKET)\n',
};

before(async () => {
  await ready();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-early-'));
  writeFiles(root, FILES);
});

after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function load(): Promise<{ atEarly: Record<string, boolean>; ws: Workspace }> {
  const ws = new Workspace(root);
  let atEarly: Record<string, boolean> = {};
  await ws.loadAll(undefined, [], () => {
    atEarly = Object.fromEntries(Object.keys(FILES).map((rel) => [rel, ws.files.has(rel)]));
  });
  return { atEarly, ws };
}

test('a script folder\'s Python file that cannot hold a deploy loads after the early phase; one that can, before', async () => {
  const { atEarly, ws } = await load();
  assert.equal(atEarly['scripts/deploy_api.py'], true);
  assert.equal(atEarly['scripts/cleanup_buckets.py'], false);
  assert.ok(ws.files.has('scripts/cleanup_buckets.py'), 'loaded afterwards');
  assert.ok((ws.files.get('scripts/deploy_api.py')?.facts.deploys.length ?? 0) > 0);
  const messages = ws.findings().map((f) => f.message);
  assert.ok(messages.some((m) => m.includes('PAYMENTS_KEY')), messages.join('\n'));
});

test('with the prefilters off (equivalence checks), every script folder file loads early', async () => {
  prefilters.enabled = false;
  try {
    const { atEarly } = await load();
    assert.equal(atEarly['scripts/cleanup_buckets.py'], true);
  } finally {
    prefilters.enabled = true;
  }
});
