/**
 * Extraction on worker threads (engine/extract-pool.ts): a load that parses on N workers gives
 * the same facts, findings, fix plan, matrix and explain as one that parses on the calling thread,
 * and a pool that cannot answer (closed, its workers gone) leaves the files to the caller.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analysis } from '../../server/src/engine/analysis';
import { ExtractPool } from '../../server/src/engine/extract-pool';
import { POOL_MIN_JOBS } from '../../server/src/engine/workspace';
import { extractFile } from '../../server/src/extract/index';
import { defaultExtractOptions } from '../../server/src/extract/options';
import { ready } from '../helpers';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'staging-audit');
let root = '';

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, base) : [path.relative(base, p).split(path.sep).join('/')];
  });
}

before(async () => {
  await ready();
  // The example, with its services' code copied into sub-packages until a load has enough code
  // to start a pool: the copies read the same variables, so the example's problems stay.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-pool-'));
  fs.cpSync(EXAMPLE, root, { recursive: true });
  const code = walk(root).filter((f) => /^services\/(backend|auth|worker)\/.*\.(py|ts)$/.test(f) && !f.includes('/tests/'));
  let copies = 0;
  for (let k = 0; copies < POOL_MIN_JOBS + 40; k++) {
    for (const f of code) {
      const [, service, ...rest] = f.split('/');
      const dest = path.join(root, 'services', service, `copy${k}`, ...rest);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(path.join(root, f), dest);
      copies++;
    }
  }
});

after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('a load on 2 workers equals a load on the calling thread, fact for fact', async () => {
  const inline = new Analysis(root, { workers: 0 });
  const pooled = new Analysis(root, { workers: 2 });
  const a = await inline.load();
  const b = await pooled.load();
  assert.deepEqual(a.status === 'loaded' && a.workers, { threads: 0, files: 0 });
  assert.ok(b.status === 'loaded' && b.workers.threads === 2, 'the load started a pool');
  // The calling thread parses too while the workers have work queued: the workers take a share.
  assert.ok(b.workers.files > 0, `the workers extracted some of the code (${b.workers.files} files)`);
  const files = walk(root);
  assert.ok(files.length > POOL_MIN_JOBS);
  for (const rel of files) assert.deepEqual(pooled.facts(rel), inline.facts(rel), rel);
  assert.ok(inline.findings().length > 5);
  assert.deepEqual(pooled.findings(), inline.findings());
  assert.deepEqual(pooled.fixPlan(), inline.fixPlan());
  assert.deepEqual(pooled.matrix(), inline.matrix());
  assert.deepEqual(pooled.explain(), inline.explain());
});

test('a findings-only load on workers without a cache leaves the code of tests unparsed, as one on the calling thread does', async () => {
  const tests = path.join(root, 'services', 'backend', 'tests');
  fs.mkdirSync(tests, { recursive: true });
  const names = Array.from({ length: 40 }, (_, k) => `services/backend/tests/test_pool${k}.py`);
  for (const rel of names) fs.writeFileSync(path.join(root, rel), 'import os\nTOKEN = os.environ["POOL_TEST_TOKEN"].strip()\n');
  try {
    const pooled = new Analysis(root, { workers: 2, findingsOnly: true });
    const got = await pooled.load();
    assert.ok(got.status === 'loaded' && got.workers.threads === 2, 'the load started a pool');
    for (const rel of names) {
      assert.equal(pooled.facts(rel)?.isTest, true, rel);
      assert.equal(pooled.facts(rel)?.reads.length, 0, `${rel} is not parsed`);
    }
  } finally {
    fs.rmSync(tests, { recursive: true, force: true });
  }
});

test('the pool answers in job order with the facts extractFile gives; closed, it leaves the work to the caller', async () => {
  const pool = ExtractPool.start(2);
  assert.ok(pool, 'workers start');
  const jobs = [
    { rel: 'svc/a.py', text: 'import os\nA = os.environ["ALPHA"]\n' },
    { rel: 'svc/b.ts', text: 'export const b = process.env.BETA ?? "x";\n' },
    { rel: 'svc/c.py', text: 'def broken(:\n  os.getenv("GAMMA")\n' },
  ];
  const got = await pool.extract(jobs, defaultExtractOptions);
  assert.deepEqual(got, jobs.map((j) => extractFile(j.rel, j.text, defaultExtractOptions)));
  assert.deepEqual(got?.map((f) => f.reads.map((r) => r.name)), [['ALPHA'], ['BETA'], ['GAMMA']]);
  await pool.close();
  assert.equal(await pool.extract(jobs, defaultExtractOptions), undefined);
});
