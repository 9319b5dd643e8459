/**
 * No value is ever rendered by the deploy matrix: canary values planted in every kind of file of a
 * copy of the example (an env file, a shell deploy, a Knative manifest, a Python deploy dict)
 * appear neither in `--format html` (nor `drift --format html`) nor in the language server's
 * matrix response — while the variables that hold them do.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { copyToTemp, ensureBuilt, REPO, TestClient, uriOf } from '../lsp/client';
import { MatrixRequest, type MatrixResult } from '../../protocol';
import { ready } from '../helpers';

before(() => { ensureBuilt(); return ready(); });

const CANARIES: Record<string, string> = {
  STRIPE_API_KEY: 'cnry7f3k9q2mENVFILE',
  API_SIGNING_KEY: 'cnryx8w2p4n6SHELL',
  WEBHOOK_SIGNING_SECRET: 'cnryq5r7t1y3KNATIVE',
  SENTRY_DSN: 'https://cnryh2j4k6l8PYTHON@o1.ingest.example.io/1',
};
/** Values the example already holds (an OAuth client id, a private address, a placeholder). */
const EXISTING = ['k3v9qd2hj7m1x0c5pq8rl4tse6wn2bfa', '10.20.0.3', 'REPLACE_WITH_STAGING_JWT_SECRET'];

function plant(): string {
  const dir = copyToTemp(path.join(REPO, 'examples', 'staging-audit'));
  const edit = (rel: string, from: string, to: string): void => {
    const file = path.join(dir, rel);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.includes(from), `${rel} holds ${from}`);
    fs.writeFileSync(file, text.replace(from, to));
  };
  fs.appendFileSync(path.join(dir, 'services/backend/.env.staging'), `STRIPE_API_KEY=${CANARIES.STRIPE_API_KEY}\n`);
  edit('deploy/deploy-auth-staging.sh', '--set-env-vars "ENVIRONMENT=staging,', `--set-env-vars "ENVIRONMENT=staging,API_SIGNING_KEY=${CANARIES.API_SIGNING_KEY},`);
  edit('deploy/backend-production.yaml', '            - name: LOG_LEVEL\n', `            - name: WEBHOOK_SIGNING_SECRET\n              value: ${CANARIES.WEBHOOK_SIGNING_SECRET}\n            - name: LOG_LEVEL\n`);
  edit('scripts/deploy_to_gcp.py', '"LOG_LEVEL": "info",', `"LOG_LEVEL": "info",\n                    "SENTRY_DSN": "${CANARIES.SENTRY_DSN}",`);
  return dir;
}

function assertClean(text: string, what: string): void {
  for (const [name, value] of Object.entries(CANARIES)) {
    assert.ok(text.includes(name), `${what} lists ${name}`);
    assert.ok(!text.includes(value), `${what} shows the value of ${name}`);
    // Nor a recognisable piece of it.
    assert.ok(!text.includes(value.slice(0, 10)), `${what} shows part of the value of ${name}`);
  }
  for (const v of EXISTING) assert.ok(!text.includes(v), `${what} shows ${v}`);
}

async function cli(argv: string[]): Promise<string> {
  let out = '';
  await main(argv, (s) => { out += s; }, () => undefined);
  return out;
}

test('--format html shows the planted variables but none of their values', async () => {
  const dir = plant();
  try {
    const html = await cli([dir, '--format', 'html']);
    assert.match(html, /^<!doctype html>/);
    assertClean(html, 'the HTML report');
    const drift = await cli(['drift', dir, '--deployed', path.join(REPO, 'examples', 'staging-audit-deployed'), '--format', 'html']);
    assertClean(drift, 'the drift HTML report');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the language server\'s matrix response shows the planted variables but none of their values', async () => {
  const dir = plant();
  const c = new TestClient();
  try {
    await c.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: [{ uri: uriOf(dir, ''), name: 'canary' }], capabilities: {} });
    await c.conn.sendNotification('initialized', {});
    await c.waitFor('indexing to finish', () => {
      const st = c.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean });
      return st.some((s) => s.indexing) && !st[st.length - 1].indexing;
    }, 60000);
    const result = await c.conn.sendRequest(MatrixRequest.type, {}) as MatrixResult;
    assert.equal(result.folders.length, 1);
    assert.ok(result.folders[0].rows.length > 10);
    assertClean(JSON.stringify(result), 'the matrix response');
    await c.conn.sendRequest('shutdown');
    await c.conn.sendNotification('exit');
  } finally {
    if (c.child.exitCode === null) c.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
