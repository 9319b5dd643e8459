/**
 * A small version of `npm run bench`, so the generator and the benchmark's expectations cannot
 * rot: a ~300-file generated workspace must be byte-identical for one seed, and the CLI must
 * finish on it and report exactly the planted findings.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ready } from '../helpers';
import { main } from '../../server/src/cli/main';
import { generate, type GenerateResult } from '../../bench/generate';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-smoke-'));
let gen: GenerateResult;

before(async () => {
  await ready();
  gen = generate({ files: 300, seed: 7, dir: path.join(tmp, 'a') });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(root, p)).update('\0').update(fs.readFileSync(p)).update('\0');
    }
  };
  walk(root);
  return h.digest('hex');
}

test('the generator is deterministic and writes the requested size, mostly code that never reads the environment', () => {
  assert.equal(gen.files, 300);
  const again = generate({ files: 300, seed: 7, dir: path.join(tmp, 'b') });
  assert.equal(treeHash(again.root), treeHash(gen.root));
  const other = generate({ files: 300, seed: 8, dir: path.join(tmp, 'c') });
  assert.notEqual(treeHash(other.root), treeHash(gen.root));
  // Every bug class the generator plants is present at this size.
  assert.deepEqual(Object.keys(gen.expected).sort(), [
    'cloudsql-socket-ssl', 'db-ssl-param-driver', 'env-unset-for-deploy', 'gcp-project-id-unwired',
    'jwt-secret-divergence', 'placeholder-secret', 'secret-manager-gate',
  ]);
  const code = fs.readdirSync(path.join(gen.root, 'services'), { recursive: true }).map(String)
    .filter((f) => /\.(py|ts)$/.test(f) && !f.includes('node_modules'));
  const readers = code.filter((f) => /os\.environ|getenv|process\.env/.test(fs.readFileSync(path.join(gen.root, 'services', f), 'utf8')));
  assert.ok(code.length > 200, `${code.length} code files`);
  assert.equal(readers.length, gen.services.length, 'only the config modules read the environment');
  // The probes the server benchmark edits exist and hold what it edits.
  assert.ok(fs.readFileSync(path.join(gen.root, gen.probes.code.file), 'utf8').includes(gen.probes.code.insertBefore));
  assert.ok(fs.readFileSync(path.join(gen.root, gen.probes.deploy.file), 'utf8').includes(gen.probes.deploy.from));
});

test('the CLI finishes on the generated workspace and reports exactly the planted findings', { timeout: 60_000 }, async () => {
  let out = '';
  let err = '';
  const code = await main([gen.root, '--format', 'json', '--exit-zero'], (s) => { out += s; }, (s) => { err += s; });
  assert.equal(code, 0, err);
  const json = JSON.parse(out) as { findings: { rule: string; file: string }[]; notices: unknown[] };
  const counts: Record<string, number> = {};
  for (const f of json.findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  assert.deepEqual(counts, gen.expected);
  const found = json.findings.map((f) => `${f.rule} ${f.file}`).sort();
  assert.deepEqual(found, gen.planted.map((p) => `${p.rule} ${p.file}`).sort());
  assert.deepEqual(json.notices, []);
});

test('the probe edit makes a finding appear at the deploy', { timeout: 60_000 }, async () => {
  const { deploy } = gen.probes;
  const file = path.join(gen.root, deploy.file);
  const text = fs.readFileSync(file, 'utf8');
  const run = async () => {
    let out = '';
    await main([gen.root, '--format', 'json', '--exit-zero'], (s) => { out += s; }, () => {});
    return (JSON.parse(out) as { findings: { rule: string; file: string }[] }).findings.filter((f) => f.file === deploy.affects).length;
  };
  const before = await run();
  fs.writeFileSync(file, text.replace(deploy.from, deploy.to));
  try {
    assert.equal(await run(), before + 1);
  } finally {
    fs.writeFileSync(file, text);
  }
});
