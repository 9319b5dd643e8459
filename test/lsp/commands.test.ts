/**
 * The server's commands over stdio, as the extension calls them: Check Workspace (counts), Fix All
 * (the files changed, or why nothing applied) and Explain (the CLI's `--explain` text), and the
 * output channel's log lines for each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, copyToTemp, ensureBuilt, uriOf, REPO } from './client';
import { ServerCommands, type CheckWorkspaceResult, type ExplainResult, type FixAllResult } from '../../protocol';

const SHOP = path.join(REPO, 'test', 'lsp', 'fixtures', 'shop');
const DEPLOY = 'deploy/deploy-api-staging.sh';
const EXAMPLE = 'services/api/.env.example';

/** Starts a server on `dir` and waits for its first indexing to end. */
async function start(dir: string): Promise<TestClient> {
  const c = new TestClient();
  await c.conn.sendRequest('initialize', {
    processId: process.pid, rootUri: null, workspaceFolders: [{ uri: uriOf(dir, ''), name: path.basename(dir) }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, applyEdit: true } },
  });
  await c.conn.sendNotification('initialized', {});
  await c.waitFor('indexing to finish', () => {
    const st = c.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean });
    return st.some((s) => s.indexing) && !st[st.length - 1].indexing;
  }, 60000);
  return c;
}

async function stop(c: TestClient, dir: string): Promise<void> {
  try {
    await c.conn.sendRequest('shutdown');
    await c.conn.sendNotification('exit');
    await c.exited;
  } finally {
    if (c.child.exitCode === null) c.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const run = <R>(c: TestClient, command: string, args: unknown[] = []) =>
  c.conn.sendRequest('workspace/executeCommand', { command, arguments: args }) as Promise<R>;

test('check workspace and fix all say what they did; the log has a line for each', async () => {
  ensureBuilt();
  const dir = copyToTemp(SHOP);
  const c = await start(dir);
  try {
    assert.ok(c.logs.some((l) => /^indexed .*: 4 files, \d+ problems in \d+ ms$/.test(l)), c.logs.join('\n'));

    const check = await run<CheckWorkspaceResult>(c, ServerCommands.checkWorkspace);
    assert.equal(check.files, 4);
    assert.equal(check.folders, 1);
    assert.ok(check.findings >= 2, JSON.stringify(check));
    assert.equal(check.problems.error + check.problems.warning + check.problems.info, check.findings);
    assert.ok(c.logs.some((l) => l.startsWith(`check workspace: 4 files in 1 folder, ${check.findings} problem`)), c.logs.join('\n'));

    // A file with nothing to fix: the reason names it.
    const none = await run<FixAllResult>(c, ServerCommands.fixAll, [uriOf(dir, EXAMPLE)]);
    assert.deepEqual(none, { applied: 0, files: [], left: 0, reason: `nothing to fix: no problems in ${EXAMPLE}` });

    // The workspace: GCP_PROJECT_ID=shop-staging goes into the deploy script (a value the deploy names).
    const applied: unknown[] = [];
    c.conn.onRequest('workspace/applyEdit', (p: unknown) => { applied.push(p); return { applied: true }; });
    const all = await run<FixAllResult>(c, ServerCommands.fixAll);
    assert.ok(all.applied >= 1, JSON.stringify(all));
    assert.equal(all.reason, undefined);
    assert.deepEqual(all.files.map((f) => [f.path, f.uri]), [[DEPLOY, uriOf(dir, DEPLOY)]]);
    assert.equal(all.files[0].fixes, all.applied);
    assert.equal(applied.length, 1);
    assert.ok(c.logs.some((l) => l.startsWith(`fix all (the workspace): ${all.applied} fix`) && l.includes(`in 1 file: ${DEPLOY} (${all.applied})`)), c.logs.join('\n'));

    // An editor that refuses the edit: nothing applied, and it says so.
    c.conn.onRequest('workspace/applyEdit', () => ({ applied: false, failureReason: 'read-only' }));
    const refused = await run<FixAllResult>(c, ServerCommands.fixAll);
    assert.equal(refused.applied, 0);
    assert.deepEqual(refused.files, []);
    assert.match(refused.reason!, /editor refused the edit/);
    assert.ok(c.logs.some((l) => l.includes('the editor did not apply the edit') && l.includes('read-only')));
    // No value from the workspace in the log (the deploy script sets a live-looking key).
    assert.ok(!c.logs.join('\n').includes('pk_live'), 'no secret value is logged');
  } finally {
    await stop(c, dir);
  }
});

test('fix all with only fixes that need a value: nothing applied, and why', async () => {
  ensureBuilt();
  const dir = copyToTemp(SHOP);
  // The project id and the secret are set; the code also reads BETA_FLAGS_URL, which nothing sets
  // (its fix would write a placeholder for the user to fill in).
  const deploy = path.join(dir, DEPLOY);
  fs.writeFileSync(deploy, fs.readFileSync(deploy, 'utf8')
    .replace('ENVIRONMENT=staging,', 'ENVIRONMENT=staging,GCP_PROJECT_ID=shop-staging,')
    .replace('DB_PASSWORD=db-password-staging:latest', 'DB_PASSWORD=db-password-staging:latest,SERVICE_SECRET=service-secret-staging:latest'));
  fs.writeFileSync(path.join(dir, 'services/api/src/flags.ts'), 'export const beta = process.env.BETA_FLAGS_URL;\n');
  const c = await start(dir);
  try {
    let asked = 0;
    c.conn.onRequest('workspace/applyEdit', () => { asked++; return { applied: true }; });
    const r = await run<FixAllResult>(c, ServerCommands.fixAll);
    assert.deepEqual(r, { applied: 0, files: [], left: 1, reason: 'no safe fix: these need a value only you know' });
    assert.equal(asked, 0, 'no edit was sent');
    const forFile = await run<FixAllResult>(c, ServerCommands.fixAll, [uriOf(dir, DEPLOY)]);
    assert.equal(forFile.reason, 'no safe fix: these need a value only you know');
    assert.ok(c.logs.some((l) => l === `fix all (${DEPLOY}): no safe fix: these need a value only you know`), c.logs.join('\n'));
  } finally {
    await stop(c, dir);
  }
});

test('explain returns the text of deploy-preflight --explain', async () => {
  ensureBuilt();
  const dir = copyToTemp(path.join(REPO, 'examples', 'staging-audit'));
  const c = await start(dir);
  try {
    const r = await run<ExplainResult>(c, ServerCommands.explain);
    const cli = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), dir, '--explain', '--no-color'], { cwd: dir, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(cli.stdout.startsWith('Services (code roots)'), cli.stdout);
    assert.equal(r.text, cli.stdout);
    assert.ok(c.logs.includes('explain: 1 folder'), c.logs.join('\n'));
  } finally {
    await stop(c, dir);
  }
});
