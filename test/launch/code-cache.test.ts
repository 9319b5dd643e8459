/**
 * The launchers' V8 code cache (server/src/launch/code-cache.ts): a bundle loaded from the cache
 * behaves as one compiled from its source, and nothing in the cache folder can stop it loading.
 * First on a small bundle in this process, then the built CLI on the example workspace.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheKey, cliCacheDir, codeCacheFile, loadBundle, readCodeCache, writeCodeCache } from '../../server/src/launch/code-cache';
import { parseArgs } from '../../server/src/cli/args';

const REPO = path.resolve(__dirname, '..', '..');
/** Node ≥ 22.1 keeps its own compile cache; the vm.Script path below is Node 20's. */
const NODE_CACHE = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-code-cache-')));
  dirs.push(d);
  return d;
};
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

function smallBundle(dir: string, body = 'module.exports = { n: 42, file: __filename, dir: __dirname, main: require.main === module, builtin: typeof require("node:path").join };'): string {
  const file = path.join(dir, 'bundle.js');
  fs.writeFileSync(file, `#!/usr/bin/env node\n${body}\n`);
  return file;
}

test('a bundle runs in the CommonJS wrapper; its cache is written once, then accepted', { skip: NODE_CACHE }, async () => {
  const dir = tmp();
  const file = smallBundle(dir);
  const cacheDir = path.join(dir, 'cache');
  const first = loadBundle(file, { cacheDir, writeAfterMs: 0, sourceMaps: false });
  assert.equal(first.outcome, 'compiled');
  assert.deepEqual(first.exports, { n: 42, file, dir, main: false, builtin: 'function' });
  await tick();
  const cacheFile = codeCacheFile(cacheDir, file);
  assert.ok(readCodeCache(cacheFile, cacheKey(file, fs.statSync(file))), 'the cache was written and is whole');
  const before = fs.statSync(cacheFile).mtimeMs;

  delete require.cache[file];
  const second = loadBundle(file, { cacheDir, writeAfterMs: 0, sourceMaps: false });
  assert.equal(second.outcome, 'accepted');
  assert.deepEqual(second.exports, first.exports);
  await tick();
  assert.equal(fs.statSync(cacheFile).mtimeMs, before, 'an accepted cache is not written again');
});

test('a corrupt, foreign or stale cache file is ignored and replaced', { skip: NODE_CACHE }, async () => {
  const dir = tmp();
  const file = smallBundle(dir);
  const cacheDir = path.join(dir, 'cache');
  loadBundle(file, { cacheDir, writeAfterMs: 0, sourceMaps: false });
  await tick();
  const cacheFile = codeCacheFile(cacheDir, file);
  const good = fs.readFileSync(cacheFile);
  const key = cacheKey(file, fs.statSync(file));

  // One byte of the data flipped: V8 could abort on it, so the launcher's own checksum refuses it.
  const flipped = Buffer.from(good);
  flipped[flipped.length - 10] ^= 0xff;
  const damaged = [flipped, good.subarray(0, good.length - 100), Buffer.from('not a cache at all'), Buffer.alloc(0)];
  for (const bytes of damaged) {
    fs.writeFileSync(cacheFile, bytes);
    assert.equal(readCodeCache(cacheFile, key), undefined);
    delete require.cache[file];
    const r = loadBundle(file, { cacheDir, writeAfterMs: 0, sourceMaps: false });
    assert.equal(r.outcome, 'compiled');
    assert.equal((r.exports as { n: number }).n, 42);
    await tick();
    assert.ok(readCodeCache(cacheFile, key), 'replaced by a whole cache');
  }

  // Written for another key (another build of the bundle, another Node): not read.
  assert.equal(readCodeCache(cacheFile, key.replace('42', '43') + 'x'), undefined);
  // The bundle rebuilt (another size and time): compiled again, and the new cache matches it.
  fs.writeFileSync(file, '#!/usr/bin/env node\nmodule.exports = { n: 7 };\n');
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  delete require.cache[file];
  const rebuilt = loadBundle(file, { cacheDir, writeAfterMs: 0, sourceMaps: false });
  assert.equal(rebuilt.outcome, 'compiled');
  assert.deepEqual(rebuilt.exports, { n: 7 });
  await tick();
  assert.ok(readCodeCache(cacheFile, cacheKey(file, fs.statSync(file))));
  assert.equal(readCodeCache(cacheFile, key), undefined);
});

test('without a cache folder the bundle is required as usual; an unwritable folder only loses the cache', async () => {
  const dir = tmp();
  const file = smallBundle(dir);
  const plain = loadBundle(file, { cacheDir: undefined });
  assert.equal(plain.outcome, 'require');
  assert.equal((plain.exports as { n: number }).n, 42);
  // With source maps on (tsx turns them on here), Node 20 would not map a vm.Script's stack traces.
  delete require.cache[file];
  if (!NODE_CACHE) {
    assert.equal(loadBundle(file, { cacheDir: path.join(dir, 'cache'), sourceMaps: true }).outcome, 'require');
    assert.equal(fs.existsSync(path.join(dir, 'cache')), false);
  }

  const blocker = path.join(dir, 'a-file');
  fs.writeFileSync(blocker, '');
  delete require.cache[file];
  const r = loadBundle(file, { cacheDir: path.join(blocker, 'cache'), writeAfterMs: 0, sourceMaps: false });
  assert.equal((r.exports as { n: number }).n, 42);
  await tick();
  assert.equal(writeCodeCache(path.join(blocker, 'cache', 'code', 'x.bin'), 'k', Buffer.from('data')), false);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['a-file', 'bundle.js'], 'no temporary file left behind');
});

test('a bundle that throws while loading is not cached', { skip: NODE_CACHE }, async () => {
  const dir = tmp();
  const file = smallBundle(dir, 'throw new Error("broken bundle");');
  const cacheDir = path.join(dir, 'cache');
  assert.throws(() => loadBundle(file, { cacheDir, writeAfterMs: 0, sourceMaps: false }), /broken bundle/);
  await tick();
  assert.equal(fs.existsSync(codeCacheFile(cacheDir, file)), false);
  assert.equal(require.cache[file], undefined);
});

test("the launcher's cache folder is the one the CLI's arguments choose", () => {
  const cases: string[][] = [
    [], ['.'], ['--no-cache'], ['--cache-location', 'x'], ['--cache-location=y', 'dir'], ['--no-cache', '--cache-location', 'z'],
    ['--cache-location', 'z', '--no-cache'], ['--format', 'json', '-o', 'out.json', '--cache-location', 'c', 'src'], ['--exit-zero', 'a', 'b'],
  ];
  for (const argv of cases) {
    const args = parseArgs(['--cache-location', '/default', ...argv]);
    assert.ok(typeof args === 'object');
    assert.equal(cliCacheDir(argv, '/default'), args.cache === false ? undefined : args.cache, argv.join(' '));
  }
});

// --- The built CLI (dist/cli.js → dist/cli-main.js) ------------------------------------------------

const CLI = path.join(REPO, 'dist', 'cli.js');
const MAIN = path.join(REPO, 'dist', 'cli-main.js');
const WORKSPACE = path.join(REPO, 'examples', 'staging-audit');

function cli(entry: string, args: string[], env: Record<string, string> = {}): { report: unknown; stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, [entry, WORKSPACE, '--format', 'json', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  assert.ok(r.status === 0 || r.status === 1, `${entry} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const report = JSON.parse(r.stdout) as { summary?: { ms?: number } };
  delete report.summary?.ms;
  return { report, stdout: r.stdout, status: r.status };
}

test('the launchers stay small: the bundles load behind them', () => {
  for (const launcher of ['cli.js', 'server.js']) {
    const size = fs.statSync(path.join(REPO, 'dist', launcher)).size;
    assert.ok(size < 32 * 1024, `dist/${launcher}: ${size} bytes`);
  }
});

test('the CLI gives the same report with and without the code cache, and --no-cache writes none', () => {
  const dir = tmp();
  const expected = cli(MAIN, ['--no-cache']);
  const cacheFile = codeCacheFile(dir, MAIN);

  const noCache = cli(CLI, ['--no-cache'], { DEPLOY_PREFLIGHT_CACHE: dir });
  assert.deepEqual(noCache.report, expected.report);
  assert.equal(fs.existsSync(path.join(dir, 'code')), false, '--no-cache: no code cache');

  const first = cli(CLI, ['--cache-location', dir]);
  assert.deepEqual(first.report, expected.report);
  assert.equal(first.status, expected.status);
  if (!NODE_CACHE) assert.ok(readCodeCache(cacheFile, cacheKey(MAIN, fs.statSync(MAIN))), 'the first run wrote the code cache');
  const written = NODE_CACHE ? 0 : fs.statSync(cacheFile).mtimeMs;
  const second = cli(CLI, ['--cache-location', dir]);
  assert.deepEqual(second.report, expected.report, 'loaded from the code cache (and a warm fact cache)');
  if (!NODE_CACHE) assert.equal(fs.statSync(cacheFile).mtimeMs, written, 'the second run was loaded from the code cache (accepted, not written again)');
  const third = cli(CLI, ['--cache-location', dir, '--no-cache']);
  assert.deepEqual(third.report, expected.report);
});

test('the CLI runs with a corrupt code cache (and replaces it) and with an unwritable cache folder', { skip: NODE_CACHE }, () => {
  const dir = tmp();
  const expected = cli(MAIN, ['--no-cache']);
  const cacheFile = codeCacheFile(dir, MAIN);
  const key = cacheKey(MAIN, fs.statSync(MAIN));
  cli(CLI, ['--cache-location', dir]);
  const good = fs.readFileSync(cacheFile);
  const corrupt = Buffer.from(good);
  for (let i = good.length - 4096; i < good.length; i += 64) corrupt[i] ^= 0x5a;
  fs.writeFileSync(cacheFile, corrupt);
  assert.deepEqual(cli(CLI, ['--cache-location', dir]).report, expected.report);
  assert.ok(readCodeCache(cacheFile, key), 'the corrupt cache was replaced');

  const blocker = path.join(dir, 'a-file');
  fs.writeFileSync(blocker, '');
  assert.deepEqual(cli(CLI, ['--cache-location', path.join(blocker, 'cache')]).report, expected.report);
});
