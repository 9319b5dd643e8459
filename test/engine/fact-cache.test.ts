/**
 * The persistent fact cache: the same findings with it (cold and warm) and without it, and
 * nothing read from it trusted — a corrupt file, another build's file, an entry for other content
 * or not shaped like facts is ignored and the file extracted again.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analysis } from '../../server/src/engine/analysis';
import { FactCache, decode, encode } from '../../server/src/engine/fact-cache';
import { Workspace } from '../../server/src/engine/workspace';
import { ready } from '../helpers';

let dir: string;
let root: string;
let location: string;

const FILES: Record<string, string> = {
  'api/main.py': 'import os\nTOKEN = os.environ["BILLING_TOKEN"]\nREGION = os.getenv("REGION", "eu")\n',
  'api/requirements.txt': 'flask\n',
  'deploy.sh': '#!/bin/bash\ngcloud run deploy api --source api --set-env-vars=REGION=eu\n',
  'web/src/config.ts': 'export const api = process.env.API_BASE!;\n',
  'web/package.json': '{"name":"web"}\n',
};

before(async () => {
  await ready();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-fact-cache-'));
  root = path.join(dir, 'ws');
  location = path.join(dir, 'cache');
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function findings(cacheLocation?: string): Promise<string> {
  const a = new Analysis(root, { cacheLocation });
  await a.load();
  return JSON.stringify(a.findings().map((f) => [f.rule, f.file, f.span, f.message]));
}

/** A load through a cache of our own, to count what it served. */
async function load(tool = 'test-build'): Promise<FactCache> {
  const cache = new FactCache(root, { location, tool });
  await new Workspace(root, { cache }).loadAll();
  return cache;
}

test('findings are the same without the cache, with a cold cache and with a warm one', async () => {
  fs.rmSync(location, { recursive: true, force: true });
  const none = await findings();
  assert.notEqual(none, '[]', 'the workspace has findings to compare');
  assert.equal(await findings(location), none, 'cold');
  assert.ok(fs.readdirSync(location).some((f) => f.endsWith('.facts')), 'a cache file was written');
  assert.equal(await findings(location), none, 'warm');
});

test('a warm run serves every unchanged file from the cache, and re-extracts a changed one', async () => {
  fs.rmSync(location, { recursive: true, force: true });
  const cold = await load();
  assert.equal(cold.hits, 0);
  const warm = await load();
  assert.equal(warm.misses, 0);
  assert.equal(warm.hits, Object.keys(FILES).length);
  fs.writeFileSync(path.join(root, 'api/main.py'), FILES['api/main.py'] + 'MORE = os.environ["EXTRA_KEY"]\n');
  try {
    const stale = await load();
    assert.equal(stale.misses, 1, 'the changed file is extracted again');
    const ws = new Workspace(root, { cache: new FactCache(root, { location, tool: 'test-build' }) });
    await ws.loadAll();
    assert.deepEqual(ws.files.get('api/main.py')!.facts.reads.map((r) => r.name), ['BILLING_TOKEN', 'REGION', 'EXTRA_KEY']);
  } finally {
    fs.writeFileSync(path.join(root, 'api/main.py'), FILES['api/main.py']);
  }
});

test('a corrupt cache file is ignored and replaced', async () => {
  const expected = await findings();
  await load();
  const file = new FactCache(root, { location, tool: 'test-build' }).file;
  for (const garbage of ['{"format":1,"tool":"test-build","entries":', 'null', '[]', '{"format":1,"tool":"test-build","entries":[1,2]}', '\u0000\u0001']) {
    fs.writeFileSync(file, garbage);
    const c = await load();
    assert.equal(c.hits, 0, `nothing served from ${JSON.stringify(garbage)}`);
    assert.equal(await findings(location), expected);
  }
  await load(); // the last run above wrote its own build's cache: this one rewrites it
  assert.equal((await load()).misses, 0, 'the rewritten cache is good again');
  // The JSON file of the format before goes when a new one is written.
  const json = file.replace(/\.facts$/, '.json');
  fs.writeFileSync(json, '{"format":2}');
  fs.writeFileSync(file, 'garbage');
  await load();
  assert.ok(!fs.existsSync(json) && fs.existsSync(file));
});

test('a damaged cache file of the lazy format: only what is whole and shaped like facts is served', async () => {
  const expected = await findings();
  await load();
  const file = new FactCache(root, { location, tool: 'test-build' }).file;
  const good = fs.readFileSync(file);
  const magicEnd = good.indexOf(0x0a) + 1;
  const headEnd = good.indexOf(0x0a, magicEnd) + 1;
  const stored = decode(good)!;
  const count = Object.keys(stored.entries).length;
  const variants: [string, Buffer, number][] = [
    // [what, bytes, entries still served]
    ['the format 2 JSON file', Buffer.from(JSON.stringify({ format: 2, tool: 'test-build', root, entries: stored.entries, stats: {}, derived: {} })), 0],
    ['another format\'s first line', Buffer.concat([Buffer.from('deploy-preflight facts 9\n'), good.subarray(magicEnd)]), 0],
    ['no index line', good.subarray(0, magicEnd), 0],
    ['an index that is not JSON', Buffer.concat([good.subarray(0, magicEnd), Buffer.from('{"format":3,\n'), good.subarray(headEnd)]), 0],
    ['truncated in its last entry', good.subarray(0, good.length - 20), count - 1],
    ['entries cut off', good.subarray(0, headEnd), 0],
    ['an entry\'s bytes garbled', Buffer.concat([good.subarray(0, headEnd), Buffer.from('}'), good.subarray(headEnd + 1)]), count - 1],
  ];
  for (const [what, bytes, served] of variants) {
    fs.writeFileSync(file, bytes);
    const c = await load();
    assert.equal(c.hits, served, what);
    assert.equal(await findings(location), expected, what);
  }
  // Offsets that point outside the file, or are not numbers.
  const head = JSON.parse(good.toString('utf8', magicEnd, headEnd - 1));
  head.entries[0][1] = 1e9;
  head.entries[1][2] = -5;
  head.entries[2][1] = 'x';
  fs.writeFileSync(file, Buffer.concat([good.subarray(0, magicEnd), Buffer.from(JSON.stringify(head) + '\n'), good.subarray(headEnd)]));
  assert.equal((await load()).hits, count - 3, 'bad offsets');
  await load();
  assert.equal((await load()).misses, 0, 'the rewritten cache is good again');
});

test('the lazy format reads back what was written, and an entry is parsed only when asked for', async () => {
  await load();
  const file = new FactCache(root, { location, tool: 'test-build' }).file;
  const stored = decode(fs.readFileSync(file))!;
  assert.deepEqual(decode(encode(stored)), stored);
  assert.equal(Object.keys(stored.entries).length, Object.keys(FILES).length);
  const c = new FactCache(root, { location, tool: 'test-build' });
  c.load();
  const parse = JSON.parse;
  let parsed = 0;
  JSON.parse = ((text: string, reviver?: (k: string, v: unknown) => unknown) => {
    parsed++;
    return parse(text, reviver);
  }) as typeof JSON.parse;
  try {
    const py = stored.entries['api/main.py'];
    assert.ok(c.get('api/main.py', py.facts.hash, py.options));
    assert.equal(parsed, 1, 'one entry parsed');
    assert.ok(c.get('api/main.py', py.facts.hash, py.options));
    assert.equal(parsed, 1, 'and only once');
  } finally {
    JSON.parse = parse;
  }
});

test('an editor buffer holding the disk\'s text is stored and served from the cache; another text is extracted and never stored', async () => {
  await load();
  const withBuffer = async (text: string): Promise<{ cache: FactCache; ws: Workspace }> => {
    const cache = new FactCache(root, { location, tool: 'test-build' });
    const ws = new Workspace(root, { cache });
    await ws.loadAll(undefined, ['api/main.py'], undefined, (rel) => (rel === 'api/main.py' ? text : undefined));
    return { cache, ws };
  };
  // A buffer holding the disk's text is stored like the disk's file: an editor that opens the
  // same file at every start finds it in the cache from the second start on.
  fs.rmSync(location, { recursive: true, force: true });
  assert.equal((await withBuffer(FILES['api/main.py'])).cache.hits, 0, 'cold');
  const same = await withBuffer(FILES['api/main.py']);
  assert.equal(same.cache.misses, 0);
  assert.equal(same.cache.hits, Object.keys(FILES).length, 'the buffer too');
  assert.ok(same.ws.files.get('api/main.py')!.lines, 'a buffer still gets its line index at once');
  const edited = FILES['api/main.py'] + 'LATE = os.environ["LATE_KEY"]\n';
  const other = await withBuffer(edited);
  assert.equal(other.cache.misses, 1);
  assert.deepEqual(other.ws.files.get('api/main.py')!.facts.reads.map((r) => r.name), ['BILLING_TOKEN', 'REGION', 'LATE_KEY']);
  const file = new FactCache(root, { location, tool: 'test-build' }).file;
  assert.equal(decode(fs.readFileSync(file))!.entries['api/main.py'], undefined, 'the buffer\'s facts are not stored');
});

test('another build\'s cache is ignored', async () => {
  await load('build-a');
  assert.equal((await load('build-b')).hits, 0);
});

test('entries for other content, another file or not shaped like facts are ignored', async () => {
  // Files older than the racy window get stat records, so each is looked up on the stat path
  // too: the counts are of files, however many times a load asks for one.
  const past = new Date(Date.now() - 3_600_000);
  for (const rel of Object.keys(FILES)) fs.utimesSync(path.join(root, rel), past, past);
  await load();
  const file = new FactCache(root, { location, tool: 'test-build' }).file;
  const data = decode(fs.readFileSync(file))!;
  const py = data.entries['api/main.py'];
  py.facts.hash = '0'.repeat(40); // facts of other content
  (data.entries['deploy.sh'].facts as unknown as Record<string, unknown>).deploys = 'gcloud'; // not a list
  data.entries['web/src/config.ts'].facts.file = 'web/src/other.ts'; // another file's facts
  data.entries['api/requirements.txt'].options = 'other-accessors'; // other options
  fs.writeFileSync(file, encode(data));
  const c = await load();
  assert.equal(c.misses, 4);
  assert.equal(c.hits, Object.keys(FILES).length - 4);
});

test('CLI: --cache-location and --no-cache print the same report', async () => {
  const { main } = await import('../../server/src/cli/main');
  const run = async (...flags: string[]): Promise<string> => {
    let out = '';
    await main([root, '--format', 'json', ...flags], (s) => { out += s; }, () => undefined);
    // The run's own wall time is the one thing that may differ.
    const report = JSON.parse(out);
    delete report.summary.ms;
    return JSON.stringify(report);
  };
  const cli = path.join(dir, 'cli-cache');
  const none = await run('--no-cache');
  assert.equal(await run('--cache-location', cli), none, 'cold');
  assert.equal(fs.readdirSync(cli).filter((f) => f.endsWith('.facts')).length, 1);
  assert.equal(await run(`--cache-location=${cli}`), none, 'warm');
});
