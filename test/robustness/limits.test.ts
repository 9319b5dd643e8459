/**
 * Limits of the scanner and the engine on a workspace built to break them: files over the size
 * cap and binary files (skipped, one notice each), symlink loops and links leaving the
 * workspace, unreadable files and folders, a very deep tree, YAML alias bombs (every YAML path
 * and the config file), a 50 MB file and invalid UTF-8.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fsModule = require('node:fs'); // the module itself, to simulate failing calls
import * as os from 'node:os';
import * as path from 'node:path';
import { ready } from '../helpers';
import { main } from '../../server/src/cli/main';
import { Workspace } from '../../server/src/engine/workspace';
import { parseConfig } from '../../server/src/engine/config';
import { extractFile } from '../../server/src/extract/index';
import { LineIndex } from '../../server/src/core/text-index';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'staging-audit');
let tmp: string;

before(async () => {
  await ready();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-limits-')));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function workspace(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

async function cliJson(root: string, ...args: string[]): Promise<{ code: number; json: { findings: { file: string; rule: string }[]; notices: { file: string; message: string }[] }; err: string }> {
  let out = '';
  let err = '';
  const code = await main([root, '--format', 'json', '--exit-zero', ...args], (s) => { out += s; }, (s) => { err += s; });
  return { code, json: JSON.parse(out), err };
}

const noticesFor = (notices: { file: string; message: string }[], file: string) => notices.filter((n) => n.file === file);

test('files over the size cap and binary files are skipped with one notice each; the rest is analysed', async () => {
  const root = workspace('caps');
  // 5 MB of a deploy script (over the 4 MB default), a config-lowered cap for another file.
  const line = 'gcloud run deploy api --set-env-vars=A=1\n';
  fs.writeFileSync(path.join(root, 'deploy', 'huge.sh'), line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
  const bin = Buffer.alloc(4096);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) & 0xff;
  bin.write('os.environ["BINARY_ONLY"]', 100);
  fs.writeFileSync(path.join(root, 'services', 'backend', 'app', 'compiled.py'), bin);
  fs.writeFileSync(path.join(root, 'services', 'backend', '.env.binary'), Buffer.concat([Buffer.from('A=1\n'), Buffer.from([0, 0, 0])]));
  const r = await cliJson(root);
  assert.equal(r.code, 0, r.err);
  const huge = noticesFor(r.json.notices, 'deploy/huge.sh');
  assert.equal(huge.length, 1, JSON.stringify(r.json.notices));
  assert.match(huge[0].message, /larger than 4096 KB \(5120 KB\): skipped/);
  for (const f of ['services/backend/app/compiled.py', 'services/backend/.env.binary']) {
    const n = noticesFor(r.json.notices, f);
    assert.equal(n.length, 1, f);
    assert.match(n[0].message, /binary file: skipped/);
  }
  // Nothing from the skipped files became a fact or a finding; the example's findings remain.
  assert.ok(!r.json.findings.some((f) => f.file === 'deploy/huge.sh' || f.file.endsWith('compiled.py')));
  assert.ok(r.json.findings.length >= 10, 'the rest of the workspace is still analysed');

  // The cap is configurable.
  fs.writeFileSync(path.join(root, '.deploy-preflight.yaml'), 'maxFileBytes: 2000\n');
  const lowered = await cliJson(root);
  const skipped = lowered.json.notices.filter((n) => /larger than 2 KB/.test(n.message)).map((n) => n.file);
  assert.ok(skipped.includes('scripts/deploy_to_gcp.py'), skipped.join(', '));
  assert.equal(new Set(skipped).size, skipped.length, 'one notice per file');
});

test('a 50 MB file is skipped without being read into memory', async () => {
  const root = workspace('fifty');
  await cliJson(root); // warm up: parsers and caches are not what this measures
  const file = path.join(root, 'services', 'backend', '.env.production');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.from('SOME_KEY_NAME=some-value-here-0123456789\n'.repeat(26_000)); // just over 1 MiB
  for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  assert.ok(fs.statSync(file).size >= 50 * 1024 * 1024);
  const rss0 = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const r = await cliJson(root);
  const ms = performance.now() - t0;
  const grewMb = (process.resourceUsage().maxRSS - rss0) / 1024;
  const n = noticesFor(r.json.notices, 'services/backend/.env.production');
  assert.equal(n.length, 1);
  assert.match(n[0].message, /larger than .* skipped/);
  assert.ok(ms < 15000, `took ${ms.toFixed(0)} ms`);
  assert.ok(grewMb < 50, `peak RSS grew by ${grewMb.toFixed(0)} MB`);
  console.log(`50 MB file: ${ms.toFixed(0)} ms for the workspace, peak RSS +${grewMb.toFixed(0)} MB`);
});

test('symlink loops and links out of the workspace: no hang, nothing outside is walked', async () => {
  const root = workspace('links');
  const outside = path.join(tmp, 'outside');
  fs.mkdirSync(path.join(outside, 'deep'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'deep', 'leak.py'), 'import os\nOUTSIDE_ONLY = os.environ["OUTSIDE_DIR_VAR"]\n');
  fs.writeFileSync(path.join(outside, 'outside.env'), 'OUTSIDE_FILE_VAR=outside-value-1\n');
  fs.symlinkSync('.', path.join(root, 'services', 'loop'));            // directory loop onto itself
  fs.symlinkSync('..', path.join(root, 'services', 'backend', 'up'));   // loop through the parent
  fs.symlinkSync(root, path.join(root, 'deploy', 'root-again'));        // absolute loop to the root
  fs.symlinkSync('b.sh', path.join(root, 'deploy', 'a.sh'));            // file symlink loop a → b → a
  fs.symlinkSync('a.sh', path.join(root, 'deploy', 'b.sh'));
  fs.symlinkSync('missing.sh', path.join(root, 'deploy', 'dangling.sh'));
  fs.symlinkSync(outside, path.join(root, 'services', 'external'));     // directory outside
  fs.symlinkSync(path.join(outside, 'outside.env'), path.join(root, 'services', 'backend', '.env.linked'));
  const t0 = performance.now();
  const ws = new Workspace(root);
  await ws.loadAll();
  const ms = performance.now() - t0;
  assert.ok(ms < 20000, `took ${ms.toFixed(0)} ms`);
  const files = [...ws.files.keys()];
  assert.ok(!files.some((f) => f.includes('services/loop/') || f.includes('/up/') || f.includes('root-again/')), 'linked directories are not followed');
  assert.ok(!files.some((f) => f.startsWith('services/external/')), 'a directory outside the workspace is not walked');
  assert.ok(!files.includes('deploy/a.sh') && !files.includes('deploy/b.sh') && !files.includes('deploy/dangling.sh'));
  const reads = [...ws.files.values()].flatMap((e) => e.facts.reads.map((r) => r.name));
  assert.ok(!reads.includes('OUTSIDE_DIR_VAR'));
  // The example is still analysed as a whole.
  assert.ok(files.includes('scripts/deploy_to_gcp.py'));
  assert.ok(ws.findings().length >= 10);
  // A file linked from outside is read like any file (size cap, binary check), but its values
  // never surface: only names.
  let out = '';
  await main([root, '--format', 'sarif', '--exit-zero'], (s) => { out += s; }, () => {});
  assert.ok(!out.includes('outside-value-1'));
});

test('unreadable files and folders become one notice each', async (t) => {
  const root = workspace('unreadable');
  const file = path.join(root, 'services', 'backend', '.env.production');
  fs.writeFileSync(file, 'A=1\n');
  const dir = path.join(root, 'services', 'private');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'x.py'), 'import os\nos.environ["PRIVATE_VAR"]\n');
  const asRoot = process.getuid?.() === 0;
  const restore: (() => void)[] = [];
  if (!asRoot) {
    fs.chmodSync(file, 0o000);
    fs.chmodSync(dir, 0o000);
    restore.push(() => { fs.chmodSync(file, 0o644); fs.chmodSync(dir, 0o755); });
  } else {
    // chmod does not stop root: simulate the same errors where the scanner meets them.
    t.diagnostic('running as root: chmod 000 does not block reads; unreadable entries are simulated by failing fs calls');
    // Every way the scanner may open the file or list the folder, sync or async.
    const eacces = (p: unknown) => Object.assign(new Error(`EACCES: permission denied, open '${String(p)}'`), { code: 'EACCES' });
    const real = fsModule as unknown as Record<string, unknown>;
    const promises = fsModule.promises as unknown as Record<string, unknown>;
    const patch = (obj: Record<string, unknown>, name: string, target: string) => {
      const orig = obj[name] as (...a: unknown[]) => unknown;
      obj[name] = function (this: unknown, p: unknown, ...rest: unknown[]) {
        if (String(p) === target) {
          if (orig.constructor.name === 'AsyncFunction' || obj === promises) return Promise.reject(eacces(p));
          throw eacces(p);
        }
        return orig.call(this, p, ...rest);
      };
      restore.push(() => { obj[name] = orig; });
    };
    for (const n of ['openSync', 'readFileSync']) patch(real, n, file);
    for (const n of ['open', 'readFile']) patch(promises, n, file);
    patch(real, 'readdirSync', dir);
    patch(promises, 'readdir', dir);
  }
  try {
    const r = await cliJson(root);
    const f = noticesFor(r.json.notices, 'services/backend/.env.production');
    assert.equal(f.length, 1, JSON.stringify(r.json.notices));
    assert.match(f[0].message, /cannot read: EACCES/);
    const d = noticesFor(r.json.notices, 'services/private');
    assert.equal(d.length, 1, JSON.stringify(r.json.notices));
    assert.match(d[0].message, /cannot read directory: EACCES/);
    assert.ok(r.json.findings.length >= 10, 'the rest of the workspace is still analysed');
  } finally {
    for (const f of restore) f();
  }
});

test('a very deep tree stops at the depth limit with one notice, quickly', async () => {
  const root = workspace('deep');
  let dir = path.join(root, 'services');
  for (let i = 0; i < 60; i++) dir = path.join(dir, `d${i}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'deep.py'), 'import os\nos.environ["TOO_DEEP"]\n');
  // A wide level too: 2000 empty folders.
  for (let i = 0; i < 2000; i++) fs.mkdirSync(path.join(root, 'services', 'd0', `w${i}`));
  const t0 = performance.now();
  const r = await cliJson(root);
  const ms = performance.now() - t0;
  const deep = r.json.notices.filter((n) => /nesting deeper than 40 levels/.test(n.message));
  assert.equal(deep.length, 1, JSON.stringify(r.json.notices));
  assert.ok(ms < 20000, `took ${ms.toFixed(0)} ms`);
  assert.ok(r.json.findings.length >= 10);
});

/** Billion laughs: 9 levels of 9 aliases each (9^9 ≈ 387 million nodes when expanded). */
function bomb(indent: string): string {
  const lines = [`${indent}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i <= 9; i++) lines.push(`${indent}l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

const BOMBS: Record<string, string> = {
  'deploy/backend-staging.yaml': `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: backend-staging\n  annotations:\n${bomb('    ')}spec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/p/backend\n          env:\n            - name: BOMB\n              value: *l9\n            - *l9\n`,
  'cloudbuild-staging.yaml': `x-bomb:\n${bomb('  ')}steps:\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    args: *l9\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args: ['run', 'deploy', 'backend-staging', '--set-env-vars', *l9]\n`,
  '.github/workflows/bomb.yml': `name: bomb\non: push\nenv:\n${bomb('  ')}jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: google-github-actions/deploy-cloudrun@v2\n        with:\n          service: worker-staging\n          env_vars: *l9\n      - run: *l9\n`,
  'docker-compose.override.yml': `x-bomb:\n${bomb('  ')}services:\n  backend:\n    build: ./services/backend\n    environment: *l9\n    env_file: *l9\n  other:\n    <<: *l9\n`,
  'deploy/env-staging.yaml': `${bomb('')}API_URL: *l9\n`,
};

test('YAML alias bombs finish quickly with bounded memory in every YAML path and the config', async () => {
  const rss0 = process.resourceUsage().maxRSS;
  for (const [file, text] of Object.entries(BOMBS)) {
    const t0 = performance.now();
    const facts = extractFile(file, text);
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `${file}: ${ms.toFixed(0)} ms`);
    assert.ok(!facts.problems.some((p) => p.message.startsWith('could not analyse')), `${file}: ${JSON.stringify(facts.problems)}`);
  }
  const t1 = performance.now();
  const { config, problems } = parseConfig(`rules:\n  placeholder-secret: off\nx:\n${bomb('  ')}ignore: *l9\n`, '.deploy-preflight.yaml');
  assert.ok(performance.now() - t1 < 2000);
  assert.ok(problems.length >= 1, 'the bomb is refused or reported');
  assert.ok(problems.every((p) => !p.includes('lol')));
  assert.deepEqual(config.ignore, []);

  // The whole pipeline: a workspace with all bombs and a bombed config.
  const root = workspace('bombs');
  for (const [file, text] of Object.entries(BOMBS)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  fs.writeFileSync(path.join(root, '.deploy-preflight.yaml'), `x:\n${bomb('  ')}services: *l9\n`);
  const t2 = performance.now();
  const r = await cliJson(root);
  assert.ok(performance.now() - t2 < 20000);
  // A configuration error stops the run (exit 2, even with --exit-zero) and is reported.
  assert.equal(r.code, 2, r.err);
  assert.ok((r.json as unknown as { configErrors: { file: string }[] }).configErrors.some((n) => n.file === '.deploy-preflight.yaml'), 'the config problem is reported');
  // Every other YAML path with its bomb still analyses.
  fs.rmSync(path.join(root, '.deploy-preflight.yaml'));
  const t3 = performance.now();
  const r2 = await cliJson(root);
  assert.ok(performance.now() - t3 < 20000);
  assert.ok(r2.json.findings.length >= 10);
  const grewMb = (process.resourceUsage().maxRSS - rss0) / 1024;
  assert.ok(grewMb < 300, `peak RSS grew by ${grewMb.toFixed(0)} MB`);
  console.log(`alias bombs: peak RSS +${grewMb.toFixed(0)} MB`);
});

test('invalid UTF-8 is decoded with U+FFFD and spans stay those of the decoded text', async () => {
  const root = workspace('utf8');
  const envFile = path.join(root, 'services', 'backend', '.env.staging');
  const before = fs.readFileSync(envFile);
  // Invalid sequences before an entry: each becomes one U+FFFD, offsets count the decoded text.
  fs.writeFileSync(envFile, Buffer.concat([Buffer.from('# caf'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('\nBAD_UTF8_NAME=x'), Buffer.from([0xe2, 0x82]), Buffer.from('\n'), before]));
  const shell = path.join(root, 'deploy', 'deploy-auth-staging.sh');
  fs.appendFileSync(shell, Buffer.concat([Buffer.from('# '), Buffer.from([0x80, 0x80, 0xf8]), Buffer.from('\n')]));
  const ws = new Workspace(root);
  await ws.loadAll();
  const text = new TextDecoder().decode(fs.readFileSync(envFile));
  assert.ok(text.includes('\ufffd'));
  const facts = ws.files.get('services/backend/.env.staging')?.facts;
  const entry = facts?.envFile?.entries.find((e) => e.name === 'BAD_UTF8_NAME');
  assert.ok(entry, 'the entry after invalid bytes is read');
  assert.equal(text.slice(entry.nameSpan.start, entry.nameSpan.end), 'BAD_UTF8_NAME');
  // Every finding's range matches its span in the decoded text.
  for (const f of ws.findings()) {
    const t = new TextDecoder().decode(fs.readFileSync(path.join(root, f.file)));
    const li = new LineIndex(t);
    assert.deepEqual([li.position(f.span.start), li.position(f.span.end)], [f.range.start, f.range.end], `${f.rule} ${f.file}`);
    assert.ok(f.span.end <= t.length);
  }
});
