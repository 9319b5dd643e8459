/**
 * The language server as other editors start and drive it (docs/editors.md): its command line,
 * Neovim's initialize (rootUri, no workspaceFolders; pull-capable but without refresh, so push),
 * pull diagnostics for a client that asks for them with refresh, single-file mode when no folder
 * is open, per-folder settings, and a file watcher narrower than `**\/*`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { TestClient, copyToTemp, ensureBuilt, uriOf, REPO, SERVER } from './client';
import { WATCH_GLOBS } from '../../server/src/engine/analysis';
import { classify } from '../../server/src/extract/classify';
import { isCodeRootMarker } from '../../server/src/knowledge/code-roots';

const FIXTURE = path.join(REPO, 'test', 'lsp', 'fixtures', 'shop');
const DEPLOY = 'deploy/deploy-api-staging.sh';
const CONFIG = 'services/api/src/config.ts';

const roots: string[] = [];
function workspace(withGit = false): string {
  const root = copyToTemp(FIXTURE);
  if (withGit) fs.mkdirSync(path.join(root, '.git'));
  roots.push(root);
  return root;
}

before(() => ensureBuilt());
after(() => { for (const r of roots) fs.rmSync(r, { recursive: true, force: true }); });

/** Neovim 0.10's client capabilities (vim.lsp.protocol.make_client_capabilities, abridged to what
 * servers read): pull diagnostics for documents, no refresh; configuration; no dynamic watching on Linux. */
const NEOVIM_CAPABILITIES = {
  general: { positionEncodings: ['utf-8', 'utf-16', 'utf-32'] },
  textDocument: {
    diagnostic: { dynamicRegistration: false },
    synchronization: { dynamicRegistration: false, willSave: true, willSaveWaitUntil: true, didSave: true },
    codeAction: { dynamicRegistration: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.organizeImports'] } }, isPreferredSupport: true, dataSupport: true, resolveSupport: { properties: ['edit'] } },
    completion: { dynamicRegistration: false, completionItem: { snippetSupport: true } },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    definition: { linkSupport: true, dynamicRegistration: true },
    references: { dynamicRegistration: false },
    documentSymbol: { dynamicRegistration: false, hierarchicalDocumentSymbolSupport: true },
    rename: { dynamicRegistration: true, prepareSupport: true },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] }, dataSupport: true },
  },
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: false },
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] },
    semanticTokens: { refreshSupport: true },
    didChangeWatchedFiles: { dynamicRegistration: false, relativePatternSupport: true },
    inlayHint: { refreshSupport: true },
  },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true } },
};

const PULL_CAPABILITIES = {
  ...NEOVIM_CAPABILITIES,
  workspace: { ...NEOVIM_CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
};

/** Waits until a folder's indexing has finished (the status notification says so). */
function indexed(c: TestClient): Promise<void> {
  return c.waitFor('indexing to finish', () => {
    const st = c.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean });
    return st.some((s) => s.indexing) && !st[st.length - 1].indexing;
  }, 60_000);
}

const codes = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => String(d.code)).sort();

async function stop(c: TestClient): Promise<void> {
  if (c.child.exitCode !== null) return;
  await c.conn.sendRequest('shutdown').catch(() => undefined);
  await c.conn.sendNotification('exit').catch(() => undefined);
  await c.exited;
}

test('the command line: --help is usage (exit 0), no transport is an error with usage (exit 2), never a stack trace', () => {
  const help = spawnSync(process.execPath, [SERVER, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: deploy-preflight-language-server --stdio/);
  assert.match(help.stdout, /docs\/editors\.md/);
  const none = spawnSync(process.execPath, [SERVER], { encoding: 'utf8' });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /choose a transport/);
  assert.doesNotMatch(none.stderr, /\bat .*\.js:\d+/, 'no stack trace');
  const version = spawnSync(process.execPath, [SERVER, '--version'], { encoding: 'utf8' });
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('Neovim (nvim-lspconfig): rootUri, no workspaceFolders, settings answered by section → push diagnostics for the folder', async () => {
  const root = workspace();
  const c = new TestClient();
  const asked: unknown[] = [];
  // Neovim answers workspace/configuration from the `settings` table, by section.
  c.conn.onRequest('workspace/configuration', (p: { items: { section?: string; scopeUri?: string }[] }) => {
    asked.push(...p.items);
    return p.items.map((i) => (i.section === 'deployPreflight' ? { rules: { 'env-unset-for-deploy': 'warning' } } : null));
  });
  try {
    const init = await c.conn.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'Neovim', version: '0.10.4' },
      rootPath: root,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: null,
      initializationOptions: null,
      capabilities: NEOVIM_CAPABILITIES,
      trace: 'off',
    }) as { capabilities: Record<string, unknown> };
    assert.equal(init.capabilities.diagnosticProvider, undefined, 'no refresh support: the server pushes');
    await c.conn.sendNotification('initialized', {});
    await indexed(c);
    await c.waitFor('diagnostics pushed', () => codes(c.diagnostics.get(uriOf(root, DEPLOY))).length + codes(c.diagnostics.get(uriOf(root, CONFIG))).length > 0);
    const all = [...(c.diagnostics.get(uriOf(root, DEPLOY)) ?? []), ...(c.diagnostics.get(uriOf(root, CONFIG)) ?? [])];
    assert.ok(all.some((d) => d.code === 'env-unset-for-deploy' && d.severity === 2), 'the folder-scoped setting applies (warning)');
    assert.ok(asked.some((i) => (i as { scopeUri?: string }).scopeUri === pathToFileURL(root).href), 'settings asked with the folder as scope');
  } finally {
    await stop(c);
  }
});

test('pull diagnostics: a client that asks (with refresh) pulls; nothing is pushed; a cross-file change asks for a refresh', async () => {
  const root = workspace();
  const c = new TestClient();
  let refreshes = 0;
  c.conn.onRequest('workspace/diagnostic/refresh', () => { refreshes++; return null; });
  try {
    const init = await c.conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: PULL_CAPABILITIES }) as { capabilities: { diagnosticProvider?: { interFileDependencies: boolean; workspaceDiagnostics: boolean } } };
    assert.deepEqual(init.capabilities.diagnosticProvider, { identifier: 'deploy-preflight', interFileDependencies: true, workspaceDiagnostics: true });
    await c.conn.sendNotification('initialized', {});
    await indexed(c);
    type Report = { kind: string; uri: string; resultId: string; items?: Diagnostic[] };
    const pullAll = async (previous: { uri: string; value: string }[] = []) => (await c.conn.sendRequest('workspace/diagnostic', { previousResultIds: previous }) as { items: Report[] }).items;
    const first = await pullAll();
    const found = (rs: Report[]) => rs.flatMap((r) => (r.items ?? []).map((d) => `${path.relative(root, new URL(r.uri).pathname)} ${d.code}`)).sort();
    assert.ok(found(first).some((x) => x.endsWith('env-unset-for-deploy')), JSON.stringify(found(first)));
    assert.ok(first.every((r) => r.kind === 'full' && r.resultId));
    // Asked again with the result ids: nothing changed.
    const again = await pullAll(first.map((r) => ({ uri: r.uri, value: r.resultId })));
    assert.ok(again.length > 0 && again.every((r) => r.kind === 'unchanged'), JSON.stringify(again));

    const deployUri = uriOf(root, DEPLOY);
    const text = fs.readFileSync(path.join(root, DEPLOY), 'utf8');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: deployUri, languageId: 'shellscript', version: 1, text } });
    const doc = await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: deployUri } }) as Report;
    assert.equal(doc.kind, 'full');
    const same = await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: deployUri }, previousResultId: doc.resultId }) as Report;
    assert.equal(same.kind, 'unchanged');

    // The deploy now sets what the code reads: findings change, possibly in the other file.
    const fixed = text.replace('ENVIRONMENT=staging,', 'ENVIRONMENT=staging,SERVICE_SECRET=from-vault,GCP_PROJECT_ID=shop-staging,');
    const before = refreshes;
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: deployUri, version: 2 }, contentChanges: [{ text: fixed }] });
    await c.waitFor('a refresh request', () => refreshes > before, 20_000).catch(() => undefined);
    const after = await pullAll(first.map((r) => ({ uri: r.uri, value: r.resultId })));
    assert.ok(refreshes > before, 'the server asked the client to pull again');
    assert.ok(after.some((r) => r.kind === 'full'), 'a report changed');
    assert.ok(found(after.filter((r) => r.kind === 'full')).length < found(first).length, `${found(first)} → ${found(after)}`);
    assert.equal(c.events.filter((e) => e.method === 'textDocument/publishDiagnostics').length, 0, 'nothing pushed');
  } finally {
    await stop(c);
  }
});

test('single-file mode: no folder, so the open files are checked together and the server says what it cannot do', async () => {
  const root = workspace(true);
  const c = new TestClient();
  const messages: string[] = [];
  c.conn.onNotification('window/showMessage', (p: { message: string }) => { messages.push(p.message); });
  try {
    await c.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } } });
    await c.conn.sendNotification('initialized', {});
    for (const [rel, lang] of [[CONFIG, 'typescript'], [DEPLOY, 'shellscript']]) {
      await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(root, rel), languageId: lang, version: 1, text: fs.readFileSync(path.join(root, rel), 'utf8') } });
    }
    await c.waitFor('diagnostics for the open files', () => codes(c.diagnostics.get(uriOf(root, DEPLOY))).length + codes(c.diagnostics.get(uriOf(root, CONFIG))).length > 0);
    const seen = [...codes(c.diagnostics.get(uriOf(root, DEPLOY))), ...codes(c.diagnostics.get(uriOf(root, CONFIG)))];
    assert.ok(seen.includes('env-unset-for-deploy'), `the deploy and the code, both open, are compared: ${seen}`);
    await c.waitFor('the notice', () => messages.length > 0).catch(() => undefined);
    assert.equal(messages.length, 1, `said once: ${JSON.stringify(c.logs)}`);
    assert.match(messages[0], /no workspace folder is open/);
    assert.ok(![...c.diagnostics.keys()].some((u) => !u.endsWith(DEPLOY) && !u.endsWith(CONFIG)), 'files that are not open are not read');
    assert.ok(!c.logs.some((l) => /^indexed /.test(l)), 'no folder was indexed from disk');
  } finally {
    await stop(c);
  }
});

test('per-folder settings: each workspace folder is asked for its own configFile and rules', async () => {
  const a = workspace();
  const b = workspace();
  fs.writeFileSync(path.join(a, 'ci-preflight.yaml'), 'rules:\n  env-unset-for-deploy: off\n');
  const c = new TestClient();
  const settingsFor: Record<string, unknown> = {
    [pathToFileURL(a).href]: { configFile: 'ci-preflight.yaml', rules: { 'gcp-project-id-unwired': 'off' } },
    [pathToFileURL(b).href]: {},
  };
  c.conn.onRequest('workspace/configuration', (p: { items: { scopeUri?: string }[] }) => p.items.map((i) => (i.scopeUri ? settingsFor[i.scopeUri] ?? null : {})));
  try {
    await c.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(a).href, name: 'a' }, { uri: pathToFileURL(b).href, name: 'b' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    });
    await c.conn.sendNotification('initialized', {});
    const inFolder = (root: string) => [...codes(c.diagnostics.get(uriOf(root, DEPLOY))), ...codes(c.diagnostics.get(uriOf(root, CONFIG)))];
    await c.waitFor('both folders published', () => inFolder(b).length > 0 && c.logs.filter((l) => /^indexed /.test(l)).length >= 2, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual([...new Set(inFolder(a))], [], `folder a: its config file turns env-unset-for-deploy off, its setting gcp-project-id-unwired: ${inFolder(a)}`);
    assert.deepEqual([...new Set(inFolder(b))].sort(), ['env-unset-for-deploy', 'gcp-project-id-unwired']);

    // Folder b's settings change; a's do not.
    settingsFor[pathToFileURL(b).href] = { rules: { 'env-unset-for-deploy': 'off' } };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.waitFor('folder b without env-unset-for-deploy', () => !inFolder(b).includes('env-unset-for-deploy') && inFolder(b).includes('gcp-project-id-unwired'));
    assert.deepEqual([...new Set(inFolder(a))], []);
  } finally {
    await stop(c);
  }
});

test('the file watcher: the kinds the engine reads (every one of them), deletions anywhere, never every change', async () => {
  const root = workspace();
  const c = new TestClient();
  try {
    await c.conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } });
    await c.conn.sendNotification('initialized', {});
    await c.waitFor('watchers registered', () => c.events.some((e) => e.method === 'client/registerCapability'));
    const reg = c.events.find((e) => e.method === 'client/registerCapability')!.params as { registrations: { method: string; registerOptions: { watchers: { globPattern: string; kind?: number }[] } }[] };
    const watchers = reg.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions.watchers;
    assert.ok(!watchers.some((w) => w.globPattern === '**/*' && (w.kind ?? 7) & 3), 'no create/change watcher on every file');
    assert.ok(watchers.some((w) => w.globPattern === '**/*' && w.kind === 4), 'deletions of folders are seen');
  } finally {
    await stop(c);
  }
  // VS Code's `**` crosses dot folders (.github/); Node's matcher does not: folders are compared without their dot.
  const matches = (file: string) => {
    const undotted = file.split('/').map((seg, i, all) => (i < all.length - 1 ? seg.replace(/^\./, '_') : seg)).join('/');
    return WATCH_GLOBS.some((g) => path.matchesGlob(undotted, g));
  };
  const read = ['a/deploy.sh', 'b/x.bash', 'svc/app/main.py', 'web/src/env.ts', 'web/src/page.tsx', 'web/next.config.mjs', 'cloudbuild.yaml',
    '.github/workflows/deploy.yml', '.env', 'svc/.env.staging', 'prod.env', 'Dockerfile', 'svc/Dockerfile.prod', 'svc/api.Dockerfile',
    'infra/main.tf', 'infra/prod.tfvars', 'Makefile', 'ops/deploy.mk', 'prisma/schema.prisma',
    'package.json', 'svc/pyproject.toml', 'svc/requirements-dev.txt', 'svc/Pipfile', 'go.mod', 'svc/setup.py', '.deploy-preflight.yaml', '.gitignore', 'web/tsconfig.json', 'tsconfig.base.json', 'web/jsconfig.json',
    // A document names the scripts people run (model/variant-scripts.ts).
    'README.md', 'docs/deploying.rst'];
  for (const f of read) {
    assert.ok(classify(f) !== 'other' || isCodeRootMarker(f) || f.endsWith('.gitignore'), `${f} is a kind the engine reads`);
    assert.ok(matches(f), `${f} is watched`);
  }
  for (const f of ['dist/app.js.map', 'notes.txt', 'logo.png', 'build/output.log', 'coverage/lcov.info']) assert.ok(!matches(f), `${f} is not watched`);
});
