/**
 * The parsing chunk (dist/parsing.js: server/src/chunks/) is loaded only when something must be
 * parsed: a CLI run answered from the fact cache runs without it, one with a changed file loads
 * it, and it goes through the launcher's code cache like the bundle that loads it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const NODE_CACHE = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function run(bin: string, ws: string, cache: string): { status: number | null; findings: unknown; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(bin, 'cli.js'), ws, '--cache-location', cache, '--format', 'json', '--exit-zero'], { encoding: 'utf8' });
  let findings: unknown;
  try {
    findings = (JSON.parse(r.stdout) as { findings: unknown }).findings;
  } catch {
    findings = undefined;
  }
  return { status: r.status, findings, stderr: r.stderr };
}

test('a run answered from the fact cache never loads the parsing chunk; a changed file does', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-chunk-')));
  dirs.push(dir);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const f of fs.readdirSync(path.join(REPO, 'dist'))) {
    if (f.endsWith('.map')) continue;
    fs.cpSync(path.join(REPO, 'dist', f), path.join(bin, f), { recursive: true });
  }
  assert.ok(fs.existsSync(path.join(bin, 'parsing.js')), 'the build wrote dist/parsing.js');
  const ws = path.join(dir, 'ws');
  fs.cpSync(path.join(REPO, 'examples', 'staging-audit'), ws, { recursive: true });
  const cache = path.join(dir, 'cache');

  const cold = run(bin, ws, cache);
  assert.equal(cold.status, 0, cold.stderr);
  assert.ok(Array.isArray(cold.findings) && cold.findings.length > 0, 'the example has findings');
  if (!NODE_CACHE) {
    const code = fs.readdirSync(path.join(cache, 'code'));
    assert.ok(code.some((f) => f.startsWith('parsing-')), `the chunk went through the code cache: ${code.join(', ')}`);
  }

  // Without the chunk, a warm run still answers (and answers the same); the files were copied a
  // moment ago, so they are read and hashed rather than taken by their size and time.
  fs.rmSync(path.join(bin, 'parsing.js'));
  const warm = run(bin, ws, cache);
  assert.equal(warm.status, 0, warm.stderr);
  assert.deepEqual(warm.findings, cold.findings);

  // A changed Python file must be parsed: the run needs the chunk, and says it is missing.
  const py = fs.readdirSync(ws, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.py') && !/test/.test(f));
  assert.ok(py, 'the example holds Python code');
  fs.appendFileSync(path.join(ws, py), '\n# changed\n');
  const changed = run(bin, ws, cache);
  assert.notEqual(changed.status, 0);
  assert.match(changed.stderr, /parsing\.js/);
});
