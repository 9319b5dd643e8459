/**
 * `deploy-preflight drift`: recorded state (`--deployed`) and gcloud (`--live`, through a stand-in
 * gcloud that serves the same recordings and refuses anything but the read-only commands) give the
 * same findings on the example; only read-only commands are ever run; gcloud missing or not
 * authenticated is said clearly.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { isReadOnly } from '../../server/src/cli/gcloud-live';
import { ready } from '../helpers';

before(ready);

const REPO = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(REPO, 'examples', 'staging-audit');
const DEPLOYED = path.join(REPO, 'examples', 'staging-audit-deployed');
const FAKE = path.join(REPO, 'test', 'drift', 'fake-gcloud.cjs');

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

/** Runs `fn` with DEPLOY_PREFLIGHT_GCLOUD pointing at the stand-in; returns what it logged. */
async function withFakeGcloud<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<{ result: T; calls: string[][] }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-gcloud-'));
  const wrapper = path.join(tmp, 'gcloud');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`, { mode: 0o755 });
  const log = path.join(tmp, 'calls.log');
  const saved = { ...process.env };
  Object.assign(process.env, { DEPLOY_PREFLIGHT_GCLOUD: wrapper, FAKE_GCLOUD_DIR: DEPLOYED, FAKE_GCLOUD_LOG: log,
    FAKE_GCLOUD_CONFIG: JSON.stringify({ project: 'netra-prod', 'run/region': 'us-central1' }), ...env });
  try {
    const result = await fn();
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : [];
    return { result, calls };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

interface JsonFinding { rule: string; file: string; severity: string; message: string; range: { start: { line: number } } }
const summary = (out: string): string[] => (JSON.parse(out) as { findings: JsonFinding[] }).findings
  .map((f) => `${f.rule} ${f.file}:${f.range.start.line} ${f.severity} ${f.message}`);

test('drift --deployed on the example reports the planted drift, and only drift findings', async () => {
  const r = await cli(['drift', EXAMPLE, '--deployed', DEPLOYED, '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  const found = summary(r.out);
  assert.deepEqual(found.map((f) => f.split(' ').slice(0, 2).join(' ')), [
    'deploy-drift .github/workflows/deploy-worker.yml:30',
    'deploy-drift .github/workflows/deploy-worker.yml:57',
    'deploy-drift cloudbuild-production.yaml:27',
    'deploy-drift deploy/backend-production.yaml:51',
    'deploy-drift deploy/deploy-auth-staging.sh:13',
    'secret-missing deploy/deploy-auth-staging.sh:20',
    'secret-missing deploy/deploy-auth-staging.sh:20',
    'deploy-drift scripts/deploy_to_gcp.py:36',
    'secret-missing scripts/deploy_to_gcp.py:47',
  ]);
  assert.ok(found.some((f) => /SERVICE_SECRET is live on service backend-staging .*; this deploy would remove it/.test(f)));
  // No live value reaches a report (the recordings hold some). The run's own time is left out:
  // `"ms": 1250` holds `250` on a slow machine.
  const report = r.out.replace(/"ms":\s*\d+/g, '"ms": 0');
  for (const value of ['redis://10.20.0.9:6379/0', 'jobs-production', '250']) assert.ok(!report.includes(value), value);
});

test('drift --live through a stand-in gcloud gives the same findings as --deployed, with read-only commands only', async () => {
  const recorded = await cli(['drift', EXAMPLE, '--deployed', DEPLOYED, '--format', 'json']);
  const { result: live, calls } = await withFakeGcloud({}, () => cli(['drift', EXAMPLE, '--live', '--format', 'json']));
  assert.equal(live.err, '');
  assert.deepEqual(summary(live.out), summary(recorded.out));
  assert.equal(live.code, recorded.code);
  assert.ok(calls.length >= 10, `${calls.length} gcloud calls`);
  for (const c of calls) assert.ok(isReadOnly(c), `not read-only: gcloud ${c.join(' ')}`);
  // Never a command that reads a secret's value.
  assert.ok(!calls.some((c) => c.includes('access')), 'secrets versions access is never run');
  const kinds = new Set(calls.map((c) => c.slice(0, c[0] === 'secrets' && c[1] === 'versions' ? 3 : c[0] === 'config' ? 2 : 3).join(' ')));
  assert.deepEqual([...kinds].sort(), ['config get-value', 'run jobs describe', 'run services describe', 'secrets list --project', 'secrets versions list'].sort());
});

test('only read-only gcloud commands pass the guard', () => {
  for (const ok of [
    ['run', 'services', 'describe', 'api', '--region', 'r', '--format', 'export'], ['run', 'services', 'list', '--format', 'json'],
    ['run', 'jobs', 'describe', 'j'], ['run', 'jobs', 'list'], ['secrets', 'list', '--project', 'p'],
    ['secrets', 'versions', 'list', 's', '--format', 'json'], ['config', 'get-value', 'project'],
  ]) assert.ok(isReadOnly(ok), ok.join(' '));
  for (const bad of [
    ['run', 'deploy', 'api', '--image', 'x'], ['run', 'services', 'update', 'api', '--set-env-vars', 'A=1'], ['run', 'services', 'delete', 'api'],
    ['run', 'services', 'replace', 'service.yaml'], ['run', 'jobs', 'execute', 'j'], ['run', 'services', 'update-traffic', 'api'],
    ['secrets', 'versions', 'access', 'latest', '--secret', 's'], ['secrets', 'create', 's'], ['secrets', 'versions', 'add', 's', '--data-file=-'],
    ['secrets', 'delete', 's'], ['config', 'set', 'project', 'p'], ['auth', 'login'], ['run', 'services', 'describe', 'a', 'b'],
    ['run', 'services'], [],
  ]) assert.ok(!isReadOnly(bad), bad.join(' '));
});

test('the stand-in gcloud itself refuses a write, so a slip could not go unnoticed', async () => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [FAKE, 'run', 'deploy', 'api', '--image', 'x'], { encoding: 'utf8', env: { ...process.env, FAKE_GCLOUD_DIR: DEPLOYED } });
  assert.equal(r.status, 97);
  assert.match(r.stderr, /not read-only/);
});

test('gcloud not authenticated: said clearly, exit 2, no findings', async () => {
  const { result } = await withFakeGcloud({ FAKE_GCLOUD_MODE: 'unauthenticated' }, () => cli(['drift', EXAMPLE, '--live']));
  assert.equal(result.code, 2);
  assert.match(result.err, /gcloud is not authenticated .*gcloud auth login/);
  assert.equal(result.out, '');
});

test('gcloud missing: said clearly, exit 2', async () => {
  const { result } = await withFakeGcloud({ DEPLOY_PREFLIGHT_GCLOUD: '/nonexistent/gcloud' }, () => cli(['drift', EXAMPLE, '--live']));
  assert.equal(result.code, 2);
  assert.match(result.err, /gcloud was not found \(\/nonexistent\/gcloud\): install the Google Cloud CLI, or set DEPLOY_PREFLIGHT_GCLOUD/);
});

test('drift usage errors and unreadable recordings', async () => {
  assert.equal((await cli(['drift', EXAMPLE])).code, 2);
  assert.equal((await cli(['drift', EXAMPLE, '--live', '--deployed', DEPLOYED])).code, 2);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-rec-'));
  try {
    fs.writeFileSync(path.join(tmp, 'broken.yaml'), 'kind: [\n');
    fs.writeFileSync(path.join(tmp, 'other.json'), '{"not": "a list"}');
    const r = await cli(['drift', EXAMPLE, '--deployed', tmp, '--format', 'json']);
    assert.equal(r.code, 0);
    const notices = (JSON.parse(r.out) as { notices: { file: string; message: string }[] }).notices;
    assert.ok(notices.some((n) => n.file === 'broken.yaml' && /YAML error/.test(n.message)), JSON.stringify(notices));
    assert.ok(notices.some((n) => n.file === 'other.json' && /expected a JSON array/.test(n.message)), JSON.stringify(notices));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('an ordinary check never reports the drift rules', async () => {
  const r = await cli([EXAMPLE, '--format', 'json']);
  assert.ok(!/deploy-drift|secret-missing/.test(r.out));
});
