/**
 * A start answered from the fact cache loads no parser (chunks/load.ts), yet an editor restoring
 * its tabs may hand it unsaved buffers that must be extracted: the load waits for the parsers
 * before those, and the engine says it is ready only once they are. Each step runs in a process
 * of its own, as an editor's server does (in this process the parsers may be loaded already).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** Loads `root` through the façade with `buffers` open, in a fresh process; what it saw. */
function load(root: string, cache: string, buffers: Record<string, string>): { readyBefore: boolean; readyAfter: boolean; notices: string[]; reads: string[] } {
  const script = `
    const { Analysis } = require(${JSON.stringify(path.join(REPO, 'server/src/engine/analysis.ts'))});
    (async () => {
      const a = new Analysis(${JSON.stringify(root)}, { cacheLocation: ${JSON.stringify(cache)} });
      for (const [f, t] of Object.entries(${JSON.stringify(buffers)})) a.openDocument(f, t);
      const readyBefore = Analysis.isReady();
      await a.load({});
      const reads = a.model().readsByService ? [...a.model().readsByService.values()].flat().map((r) => r.read.name).sort() : [];
      console.log(JSON.stringify({ readyBefore, readyAfter: Analysis.isReady(), notices: a.notices().map((n) => n.file + ': ' + n.message), reads }));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

test('a warm start with an unsaved buffer to extract waits for the parsers; one without loads none', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-warm-')));
  dirs.push(root);
  const cache = path.join(root, '.cache');
  fs.mkdirSync(path.join(root, 'svc'));
  fs.writeFileSync(path.join(root, 'svc', 'requirements.txt'), 'fastapi\n');
  fs.writeFileSync(path.join(root, 'svc', 'main.py'), 'import os\nA = os.environ["ALPHA_URL"]\n');

  const cold = load(root, cache, {});
  assert.deepEqual(cold.notices, []);
  assert.equal(cold.readyAfter, true, 'a cold load extracts, so it loads the parsers');

  // Warm and nothing new to extract: the parsers stay unloaded, and the engine says so.
  const warm = load(root, cache, { 'svc/main.py': 'import os\nA = os.environ["ALPHA_URL"]\n' });
  assert.equal(warm.readyBefore, false);
  assert.equal(warm.readyAfter, false);
  assert.deepEqual(warm.notices, []);

  // Warm, with an unsaved buffer the cache has never seen: extracted, with the parsers loaded first.
  const edited = load(root, cache, { 'svc/main.py': 'import os\nB = os.environ["BETA_URL"]\n' });
  assert.deepEqual(edited.notices, [], 'the buffer was extracted, not failed for want of parsers');
  assert.ok(edited.reads.includes('BETA_URL'), `the buffer's read is in the model: ${edited.reads.join(', ')}`);
  assert.equal(edited.readyAfter, true);
});
