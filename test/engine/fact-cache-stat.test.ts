/**
 * The fact cache's stat fast path: a file whose size and modification time are those recorded
 * when it was last read is taken from the cache unread, and anything that changed one of them
 * is read and hashed again (the hash stays the key of truth). Also: a run that changed nothing
 * does not rewrite the cache, and line indexes and TypeScript texts of unread files come from the
 * disk only while it still holds the text the facts were extracted from.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analysis } from '../../server/src/engine/analysis';
import { FactCache, RACY_MS, decode, encode } from '../../server/src/engine/fact-cache';
import { Workspace } from '../../server/src/engine/workspace';
import { forgetTsEnumResults, lastTsEnumRun } from '../../server/src/model/ts-enum-types';
import { ready } from '../helpers';

let dir: string;
let root: string;
let location: string;

const FILES: Record<string, string> = {
  'api/main.py': 'import os\nTOKEN = os.environ["BILLING_TOKEN"]\nREGION = os.getenv("REGION", "eu")\n',
  'api/tests/test_main.py': 'import os\n\ndef test_token():\n    assert os.environ["TEST_ONLY_KEY"]\n',
  'deploy.sh': '#!/bin/bash\ngcloud run deploy api --source api --set-env-vars=REGION=eu\n',
  'web/src/config.ts': 'export const api = process.env.API_BASE!;\n',
  'web/package.json': '{"name":"web"}\n',
};
const COUNT = Object.keys(FILES).length;
/** A modification time well before any run (files written by a test are "racily clean" otherwise). */
const PAST = new Date(Date.now() - 3600_000);

function write(rel: string, text: string, mtime: Date | undefined = PAST): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  if (mtime) fs.utimesSync(abs, mtime, mtime);
}

before(async () => {
  await ready();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-fact-cache-stat-'));
  root = path.join(dir, 'ws');
  location = path.join(dir, 'cache');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(location, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(FILES)) write(rel, text);
});

async function load(findingsOnly = false): Promise<{ cache: FactCache; ws: Workspace }> {
  const cache = new FactCache(root, { location, tool: 'test-build' });
  const ws = new Workspace(root, { cache, findingsOnly });
  await ws.loadAll();
  return { cache, ws };
}

test('a warm run over files with old modification times reads none of them', async () => {
  assert.equal((await load()).cache.statHits, 0, 'cold');
  const { cache } = await load();
  assert.equal(cache.statHits, COUNT);
  assert.equal(cache.hits, COUNT);
  assert.equal(cache.misses, 0);
});

test('a file changed with its modification time kept but another size is read again', async () => {
  await load();
  write('api/main.py', FILES['api/main.py'] + 'MORE = os.environ["EXTRA_KEY"]\n'); // same PAST time
  const { cache, ws } = await load();
  assert.equal(cache.statHits, COUNT - 1);
  assert.equal(cache.misses, 1, 'and extracted again');
  assert.deepEqual(ws.files.get('api/main.py')!.facts.reads.map((r) => r.name), ['BILLING_TOKEN', 'REGION', 'EXTRA_KEY']);
});

test('a file changed with its size kept but another modification time is read again', async () => {
  await load();
  write('api/main.py', FILES['api/main.py'].replace('BILLING_TOKEN', 'BILLING_SECRET'), new Date(PAST.getTime() + 1000));
  const { cache, ws } = await load();
  assert.equal(cache.statHits, COUNT - 1);
  assert.equal(cache.misses, 1);
  assert.deepEqual(ws.files.get('api/main.py')!.facts.reads.map((r) => r.name), ['BILLING_SECRET', 'REGION']);
});

test('a touched file with the same content is read, and still served from the cache by its hash', async () => {
  await load();
  const touched = new Date(PAST.getTime() + 5000);
  fs.utimesSync(path.join(root, 'deploy.sh'), touched, touched);
  const { cache } = await load();
  assert.equal(cache.statHits, COUNT - 1);
  assert.equal(cache.hits, COUNT);
  assert.equal(cache.misses, 0);
  assert.equal((await load()).cache.statHits, COUNT, 'its new time is recorded');
});

test('a file modified just before it was read gets no stat record (a same-tick write could keep its size and time)', async () => {
  write('deploy.sh', FILES['deploy.sh'], new Date()); // modified now
  await load();
  const { cache } = await load();
  assert.equal(cache.statHits, COUNT - 1, 'read again');
  assert.equal(cache.hits, COUNT);
  const c = new FactCache(root, { location, tool: 'test-build' });
  c.load();
  const now = Date.now();
  c.recordStat('x.py', 10, now - RACY_MS + 500, 'h', now);
  c.recordStat('y.py', 10, now - RACY_MS - 500, 'h', now);
  assert.equal(c.unchangedHash('x.py', 10, now - RACY_MS + 500), undefined, 'recorded only for the next load, and not at all');
  c.save();
  const next = new FactCache(root, { location, tool: 'test-build' });
  next.load();
  assert.equal(next.unchangedHash('x.py', 10, now - RACY_MS + 500), undefined);
  assert.equal(next.unchangedHash('y.py', 10, now - RACY_MS - 500), 'h');
});

test('a stat record whose hash has no facts (other options) falls back to reading', async () => {
  await load();
  const file = new FactCache(root, { location, tool: 'test-build' }).file;
  const data = decode(fs.readFileSync(file))!;
  data.entries['api/main.py'].options = 'other-accessors';
  data.stats['deploy.sh'] = ['not', 'a', 'record'] as unknown as [number, number, string];
  fs.writeFileSync(file, encode(data));
  const { cache, ws } = await load();
  assert.equal(cache.statHits, COUNT - 1, 'the malformed record is ignored');
  assert.deepEqual(ws.files.get('api/main.py')!.facts.reads.map((r) => r.name), ['BILLING_TOKEN', 'REGION']);
});

test('findings-only: an unchanged test file keeps its unparsed stub without being read', async () => {
  await load(true);
  const { cache, ws } = await load(true);
  assert.equal(cache.statHits, COUNT);
  const stub = ws.files.get('api/tests/test_main.py')!.facts;
  assert.equal(stub.isTest, true);
  assert.equal(stub.reads.length, 0, 'not parsed');
  assert.equal(stub.hash, (await load(false)).ws.files.get('api/tests/test_main.py')!.facts.hash, 'the hash of its content');
});

test('a run that changed nothing leaves the cache file alone; a deleted file rewrites it', async () => {
  await load();
  const file = new FactCache(root, { location, tool: 'test-build' }).file;
  const marked = new Date(PAST.getTime() - 1000);
  fs.utimesSync(file, marked, marked);
  const untouched = (): boolean => Math.abs(fs.statSync(file).mtimeMs - marked.getTime()) < 1;
  await load();
  assert.ok(untouched(), 'not written');
  fs.rmSync(path.join(root, 'web/src/config.ts'));
  await load();
  assert.ok(!untouched(), 'written without the deleted file');
  assert.equal(decode(fs.readFileSync(file))!.entries['web/src/config.ts'], undefined);
});

test('line indexes and TypeScript texts of unread files come from the disk only while it holds the same text', async () => {
  await load();
  const { ws } = await load();
  assert.equal(ws.files.get('api/main.py')!.lines, undefined, 'not built at load');
  assert.deepEqual(ws.lineIndex('api/main.py')!.position(FILES['api/main.py'].indexOf('REGION')), { line: 2, character: 0 });
  assert.equal(ws.model().readText?.('web/src/config.ts'), FILES['web/src/config.ts']);
  // Changed on disk after the load (the watcher has not told the engine yet): no index of other text.
  const { ws: later } = await load();
  write('deploy.sh', '\n\n' + FILES['deploy.sh']);
  write('web/src/config.ts', '// moved\n' + FILES['web/src/config.ts']);
  assert.equal(later.lineIndex('deploy.sh'), undefined);
  assert.equal(later.model().readText?.('web/src/config.ts'), undefined);
});

test('findings and their ranges are the same without the cache, cold, and warm from unread files', async () => {
  const run = async (cacheLocation?: string): Promise<string> => {
    const a = new Analysis(root, { cacheLocation, findingsOnly: true });
    await a.load();
    return JSON.stringify(a.findings().map((f) => [f.rule, f.file, f.range, f.related.map((r) => r.range), f.message]));
  };
  const none = await run();
  assert.notEqual(none, '[]');
  assert.equal(await run(location), none, 'cold');
  assert.equal(await run(location), none, 'warm');
});

test('the type checker\'s results are kept in the cache: a warm run does not start the checker', async () => {
  write('web/src/breaker.ts', [
    'export enum CircuitState { Closed = "closed", Open = "open" }',
    'export enum BreakerState { Closed = "closed", Open = "open" }',
    'export class CircuitBreaker { private _state: BreakerState = BreakerState.Closed; get state(): BreakerState { return this._state; } }',
    'export function getBreaker(): CircuitBreaker { return new CircuitBreaker(); }',
    '',
  ].join('\n'));
  write('web/src/health.ts', 'import { CircuitState, getBreaker } from "./breaker";\nexport const tripped = (): boolean => getBreaker().state === CircuitState.Open;\n');
  const run = async (): Promise<string> => {
    const a = new Analysis(root, { cacheLocation: location, findingsOnly: true });
    await a.load();
    return JSON.stringify(a.findings().filter((f) => f.rule === 'getter-enum-mismatch').map((f) => [f.file, f.range, f.message]));
  };
  forgetTsEnumResults();
  const cold = await run();
  assert.equal(lastTsEnumRun?.cached, false, 'cold: the checker ran');
  assert.notEqual(cold, '[]', 'it found the mismatch');
  forgetTsEnumResults(); // a new process
  assert.equal(await run(), cold);
  assert.equal(lastTsEnumRun?.cached, true, 'warm: served from the fact cache');
});
