/**
 * Drives the built language server over stdio with a JSON-RPC client, on a copy of a small
 * workspace (test/lsp/fixtures/shop): one api service whose staging deploy script misses
 * GCP_PROJECT_ID and SERVICE_SECRET.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, Location, MarkupContent, WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TestClient, applyTextEdits, copyToTemp, ensureBuilt, percentile, positionOf, slice, uriOf, REPO } from './client';

const FIXTURE = path.join(REPO, 'test', 'lsp', 'fixtures', 'shop');
const DEPLOY = 'deploy/deploy-api-staging.sh';
const CONFIG = 'services/api/src/config.ts';
const EXAMPLE = 'services/api/.env.example';

let root: string;
let client: TestClient;
let deployText: string;
let deployVersion = 1;
const u = (rel: string) => uriOf(root, rel);
const disk = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');

before(() => {
  ensureBuilt();
  root = copyToTemp(FIXTURE);
  client = new TestClient();
});

after(() => {
  if (client.child.exitCode === null) client.child.kill();
  fs.rmSync(root, { recursive: true, force: true });
});

function change(newText: string): number {
  // An incremental change replacing the whole range, as editors send it.
  const lines = deployText.split('\n');
  const sent = performance.now();
  void client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: u(DEPLOY), version: ++deployVersion },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, text: newText }],
  });
  deployText = newText;
  return sent;
}

const find = (rel: string, code: string, text?: string): Diagnostic | undefined =>
  (client.diagnostics.get(u(rel)) ?? []).find((d) => d.code === code && (!text || String(d.message).includes(text)));
/** A problem, not the Hint marking its other end. */
const problem = (rel: string, code: string, text?: string): Diagnostic | undefined =>
  (client.diagnostics.get(u(rel)) ?? []).find((d) => d.code === code && d.severity !== 4 && (!text || String(d.message).includes(text)));
/** The project-id finding may sit on the deploy or on the read (the rule decides); either end counts. */
const gcp = (): Diagnostic | undefined => find(CONFIG, 'gcp-project-id-unwired') ?? find(DEPLOY, 'gcp-project-id-unwired');

test('language server over stdio', async (t) => {
  const t0 = performance.now();
  const init = await client.conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: [{ uri: pathToUri(root), name: 'shop' }],
    capabilities: {
      window: { workDoneProgress: true },
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } },
    },
  }) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };

  await t.test('initialize announces the features', () => {
    assert.equal(init.serverInfo.name, 'deploy-preflight');
    const caps = init.capabilities;
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.deployPreflight']);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    for (const k of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentSymbolProvider']) assert.equal(caps[k], true, k);
    assert.deepEqual((caps.executeCommandProvider as { commands: string[] }).commands, ['deployPreflight.server.checkWorkspace', 'deployPreflight.server.fixAll', 'deployPreflight.server.explain']);
  });

  await client.conn.sendNotification('initialized', {});
  await client.waitFor('indexing to finish', () => {
    const st = client.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean });
    return st.some((s) => s.indexing) && !st[st.length - 1].indexing;
  });
  const indexedMs = performance.now() - t0;
  console.log(`initialize → all diagnostics (fixture, 4 files): ${indexedMs.toFixed(0)} ms`);

  await t.test('indexing reports work-done progress with file counts', () => {
    const created = client.events.find((e) => e.method === 'window/workDoneProgress/create');
    assert.ok(created, 'a progress token was created');
    const token = (created!.params as { token: string | number }).token;
    const progress = client.events.filter((e) => e.method === '$/progress' && (e.params as { token: unknown }).token === token).map((e) => (e.params as { value: { kind: string; title?: string; message?: string } }).value);
    assert.equal(progress[0].kind, 'begin');
    assert.equal(progress[0].title, 'Deploy Preflight: indexing');
    assert.ok(progress.some((v) => v.kind === 'report' && v.message === '4/4 files'), JSON.stringify(progress));
    assert.equal(progress[progress.length - 1].kind, 'end');
    const reg = client.events.find((e) => e.method === 'client/registerCapability' && JSON.stringify(e.params).includes('workspace/didChangeWatchedFiles'));
    assert.ok(reg, 'file watching registered');
  });

  await t.test('diagnostics for files that are not open, with code, docs link and related locations', () => {
    const all = [...client.codes(u(CONFIG)), ...client.codes(u(DEPLOY))].sort();
    assert.deepEqual([...new Set(all)], ['env-unset-for-deploy', 'gcp-project-id-unwired'], all.join());
    assert.deepEqual(client.codes(u(EXAMPLE)), [], 'the template .env has nothing to report');
    // The read without a default that the staging deploy does not provide: one problem, at the
    // deploy (where the fix goes), on the flag that owns the list, pointing at the read.
    const e = problem(DEPLOY, 'env-unset-for-deploy', 'SERVICE_SECRET')!;
    assert.ok(e, JSON.stringify(client.diagnostics.get(u(DEPLOY))));
    assert.equal(e.source, 'deploy-preflight');
    assert.equal(e.severity, 1);
    assert.equal(slice(disk(DEPLOY), e.range), '--set-secrets');
    assert.match(e.codeDescription!.href, /env-unset-for-deploy\.md$/);
    const fp = String((e.data as { fingerprint: string }).fingerprint);
    assert.match(fp, /^[0-9a-f]{32}$/);
    const rel = e.relatedInformation?.find((r) => r.location.uri === u(CONFIG));
    assert.ok(rel, 'related location at the read');
    assert.equal(slice(disk(CONFIG), rel!.location.range), 'SERVICE_SECRET');
    // The read is marked as the other end: a Hint pointing back, never a second problem, and
    // carrying no fingerprint (quick fixes and suppressions act at the problem only).
    const hint = (client.diagnostics.get(u(CONFIG)) ?? []).find((d) => d.code === 'env-unset-for-deploy' && String(d.message).includes('SERVICE_SECRET'))!;
    assert.ok(hint, JSON.stringify(client.diagnostics.get(u(CONFIG))));
    assert.equal(hint.severity, 4);
    assert.equal(slice(disk(CONFIG), hint.range), 'SERVICE_SECRET');
    assert.equal(hint.message, `Other end of: ${e.message}`);
    assert.deepEqual(hint.data, { otherEnd: fp });
    assert.deepEqual(hint.relatedInformation?.map((r) => [r.location.uri, r.location.range, r.message]), [[u(DEPLOY), e.range, e.message]]);
    assert.equal(problem(CONFIG, 'env-unset-for-deploy'), undefined, 'no second problem at the read');
    // GCP_PROJECT_ID: one end holds the diagnostic, the other end is its related location.
    const d = problem(DEPLOY, 'gcp-project-id-unwired') ?? problem(CONFIG, 'gcp-project-id-unwired');
    assert.ok(d);
    const onConfig = !!problem(CONFIG, 'gcp-project-id-unwired');
    const other = onConfig ? DEPLOY : CONFIG;
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === u(other)), JSON.stringify(d.relatedInformation));
    if (onConfig) assert.equal(slice(disk(CONFIG), d.range), 'GCP_PROJECT_ID');
    else assert.equal(slice(disk(CONFIG), d.relatedInformation!.find((r) => r.location.uri === u(CONFIG))!.location.range), 'GCP_PROJECT_ID');
  });

  deployText = disk(DEPLOY);
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u(DEPLOY), languageId: 'shellscript', version: deployVersion, text: deployText } });

  await t.test('completion in a deploy env list offers what the code reads and the target lacks', async () => {
    const pos = positionOf(deployText, 'ENVIRONMENT=staging,', 'ENVIRONMENT=staging,'.length);
    const items = await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: u(DEPLOY) }, position: pos }) as CompletionItem[];
    const labels = items.map((i) => i.label).sort();
    assert.ok(labels.includes('GCP_PROJECT_ID') && labels.includes('SERVICE_SECRET'), labels.join());
    assert.ok(!labels.includes('LOG_LEVEL') && !labels.includes('ENVIRONMENT'), labels.join());
    assert.equal(items.find((i) => i.label === 'SERVICE_SECRET')!.detail, `read by ${CONFIG}:7`);
    assert.equal(items.find((i) => i.label === 'SERVICE_SECRET')!.kind, 6 /* Variable */);
  });

  await t.test('source.fixAll: the safe fixes of a document, even when they edit another file', async () => {
    const holder = problem(CONFIG, 'gcp-project-id-unwired') ? CONFIG : DEPLOY;
    const none = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: u(EXAMPLE) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } }) as CodeAction[];
    assert.deepEqual(none, []);
    const fixAll = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: u(holder) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } }) as CodeAction[];
    assert.equal(fixAll.length, 1);
    assert.equal(fixAll[0].kind, 'source.fixAll.deployPreflight');
    assert.match(applyTextEdits(deployText, fixAll[0].edit!.changes![u(DEPLOY)]), /--set-env-vars=ENVIRONMENT=staging,[^\n]*GCP_PROJECT_ID=shop-staging/);
    const quick = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: u(holder) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['quickfix'] } }) as CodeAction[];
    assert.deepEqual(quick, [], 'fix-all only when source actions are asked for');
  });

  const withProject = deployText.replace('ENVIRONMENT=staging,', 'ENVIRONMENT=staging,GCP_PROJECT_ID=shop-staging,');
  await t.test('an edit to the deploy script clears the GCP_PROJECT_ID finding', async () => {
    const onConfig = !!find(CONFIG, 'gcp-project-id-unwired');
    const before = client.events.length;
    const sent = change(withProject);
    await client.waitFor('republished without gcp-project-id-unwired', () => !gcp());
    console.log(`first edit → republished diagnostics: ${(performance.now() - sent).toFixed(1)} ms`);
    const published = client.events.slice(before).filter((e) => e.method === 'textDocument/publishDiagnostics').map((e) => (e.params as { uri: string }).uri);
    assert.ok(published.includes(u(onConfig ? CONFIG : DEPLOY)), 'the file holding the finding was republished');
    assert.ok(!published.includes(u(EXAMPLE)), 'unchanged files are not republished');
    assert.deepEqual(client.codes(u(CONFIG)), ['env-unset-for-deploy']);
  });

  await t.test('edit → diagnostics latency (20 edits, toggling the fix)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const adding = i % 2 === 1;
      const sent = change(adding ? withProject : withProject.replace('GCP_PROJECT_ID=shop-staging,', ''));
      await client.waitFor(`toggle ${i}`, () => !!gcp() === !adding);
      times.push(performance.now() - sent);
    }
    console.log(`edit → republished diagnostics: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
    assert.ok(percentile(times, 95) < 500, `p95 ${percentile(times, 95)} ms`);
    assert.equal(deployText, withProject);
  });

  await t.test('a burst of edits: only the newest version is analysed', async () => {
    const broken = withProject.replace('GCP_PROJECT_ID=shop-staging,', '');
    const before = client.events.length;
    change(broken);
    change(withProject);
    await new Promise((r) => setTimeout(r, 150));
    const flips = client.events.slice(before).filter((e) => e.method === 'textDocument/publishDiagnostics');
    assert.equal(flips.length, 0, 'the superseded edit produced no diagnostics');
    assert.equal(gcp(), undefined);
  });

  await t.test('code actions: the fix, disable for line / file; the fix edits the deploy and both ends go', async () => {
    const d = problem(DEPLOY, 'env-unset-for-deploy', 'SERVICE_SECRET')!;
    const actions = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: u(DEPLOY) }, range: d.range, context: { diagnostics: [d] } }) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.match(titles[0], /^Add SERVICE_SECRET to api \(staging\)/);
    // The flag sits inside a continued command, where a comment line would end it: file-wide only.
    assert.deepEqual(titles.slice(1), ['Disable env-unset-for-deploy for this file']);
    const [fix] = actions;
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [d]);
    assert.deepEqual(Object.keys(fix.edit!.changes!), [u(DEPLOY)]);
    // The other end offers nothing to act on: a suppression there would be unused.
    const hint = (client.diagnostics.get(u(CONFIG)) ?? []).find((x) => x.code === 'env-unset-for-deploy')!;
    const atRead = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: u(CONFIG) }, range: hint.range, context: { diagnostics: [hint] } }) as CodeAction[];
    assert.deepEqual(atRead.map((a) => a.title), []);

    assert.match(applyTextEdits(deployText, fix.edit!.changes![u(DEPLOY)]), /--set-secrets=DB_PASSWORD=db-password-staging:latest,SERVICE_SECRET=service-secret-staging:latest\n/);

    change(applyTextEdits(deployText, fix.edit!.changes![u(DEPLOY)]));
    await client.waitFor('env-unset-for-deploy gone', () => !find(CONFIG, 'env-unset-for-deploy') && !find(DEPLOY, 'env-unset-for-deploy'));
    assert.deepEqual(client.codes(u(CONFIG)), []);
    assert.deepEqual(client.codes(u(DEPLOY)), []);
  });

  await t.test('hover: a table of environments × services, values redacted', async () => {
    const text = disk(CONFIG);
    const h = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: u(CONFIG) }, position: positionOf(text, 'PAYMENTS_API_KEY', 3) }) as Hover;
    const md = (h.contents as MarkupContent).value;
    assert.equal((h.contents as MarkupContent).kind, 'markdown');
    assert.match(md, /\| environment \| service \| set where \| read where \| default \|/);
    assert.match(md, /\| staging \| api \| deploy\/deploy-api-staging\.sh:9 \(a 24-char value \(lower\/digits\/symbols\)\) \| services\/api\/src\/config\.ts:9 \| required \|/);
    assert.ok(!md.includes('pk_live'), 'the secret value never appears');
    assert.equal(slice(text, h.range!), 'PAYMENTS_API_KEY');
    const s = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: u(DEPLOY) }, position: positionOf(deployText, 'SERVICE_SECRET=', 1) }) as Hover;
    assert.match((s.contents as MarkupContent).value, /secret `service-secret-staging:latest`/);
  });

  await t.test('definition from a read goes to the deploy that sets it', async () => {
    const text = disk(CONFIG);
    const locs = await client.conn.sendRequest('textDocument/definition', { textDocument: { uri: u(CONFIG) }, position: positionOf(text, 'LOG_LEVEL') }) as Location[];
    assert.deepEqual(locs.map((l) => [l.uri, slice(deployText, l.range), l.range.start.line]), [[u(DEPLOY), 'LOG_LEVEL', 8]]);
  });

  await t.test('references: code, deploy script and .env file', async () => {
    const text = disk(CONFIG);
    const locs = await client.conn.sendRequest('textDocument/references', { textDocument: { uri: u(CONFIG) }, position: positionOf(text, 'LOG_LEVEL', 2), context: { includeDeclaration: true } }) as Location[];
    const texts: Record<string, string> = { [u(CONFIG)]: text, [u(DEPLOY)]: deployText, [u(EXAMPLE)]: disk(EXAMPLE) };
    assert.deepEqual(locs.map((l) => [l.uri, l.range.start.line, slice(texts[l.uri], l.range)]).sort(), [
      [u(DEPLOY), 8, 'LOG_LEVEL'], [u(EXAMPLE), 2, 'LOG_LEVEL'], [u(CONFIG), 7, 'LOG_LEVEL'],
    ].sort());
  });

  await t.test('rename: every occurrence, and refusals', async () => {
    const text = disk(CONFIG);
    const pos = positionOf(text, 'LOG_LEVEL');
    const prep = await client.conn.sendRequest('textDocument/prepareRename', { textDocument: { uri: u(CONFIG) }, position: pos }) as { placeholder: string };
    assert.equal(prep.placeholder, 'LOG_LEVEL');
    const edit = await client.conn.sendRequest('textDocument/rename', { textDocument: { uri: u(CONFIG) }, position: pos, newName: 'APP_LOG_LEVEL' }) as WorkspaceEdit;
    assert.deepEqual(Object.keys(edit.changes!).sort(), [u(CONFIG), u(DEPLOY), u(EXAMPLE)].sort());
    assert.match(applyTextEdits(text, edit.changes![u(CONFIG)]), /logLevel: process\.env\.APP_LOG_LEVEL \?\? 'info',/);
    assert.match(applyTextEdits(deployText, edit.changes![u(DEPLOY)]), /,APP_LOG_LEVEL=info,/);
    assert.match(applyTextEdits(disk(EXAMPLE), edit.changes![u(EXAMPLE)]), /\nAPP_LOG_LEVEL=debug\n/);
    await assert.rejects(
      client.conn.sendRequest('textDocument/rename', { textDocument: { uri: u(CONFIG) }, position: pos, newName: '1-bad' }),
      /not a valid environment variable name/,
    );
    await assert.rejects(
      client.conn.sendRequest('textDocument/prepareRename', { textDocument: { uri: u(DEPLOY) }, position: positionOf(deployText, 'REGION_STAGING', 2) }),
      (err: Error) => /Cannot rename REGION_STAGING/.test(err.message) && err.message.includes(`${CONFIG}:10`) && err.message.includes('"REGION_'),
    );
  });

  await t.test('document symbols of a .env file', async () => {
    const syms = await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: u(EXAMPLE) } }) as DocumentSymbol[];
    assert.deepEqual(syms.map((s) => [s.name, s.kind, s.selectionRange.start.line]), [['ENVIRONMENT', 13, 1], ['LOG_LEVEL', 13, 2], ['PAYMENTS_API_KEY', 13, 3]]);
  });

  await t.test('closing the document reverts to the disk content', async () => {
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u(DEPLOY) } });
    await client.waitFor('findings back from disk', () => !!gcp() && !!find(CONFIG, 'env-unset-for-deploy'));
  });

  await t.test('a file created on disk is picked up through watched-file events', async () => {
    fs.writeFileSync(path.join(root, 'services/api/src/flags.ts'), 'export const beta = process.env.BETA_FLAGS_URL;\n');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: u('services/api/src/flags.ts'), type: 1 }] });
    await client.waitFor('flags.ts diagnostics', () => !!find('services/api/src/flags.ts', 'env-unset-for-deploy', 'BETA_FLAGS_URL'));
    fs.rmSync(path.join(root, 'services/api/src/flags.ts'));
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: u('services/api/src/flags.ts'), type: 3 }] });
    await client.waitFor('flags.ts cleared', () => (client.diagnostics.get(u('services/api/src/flags.ts')) ?? []).length === 0);
  });

  await t.test('settings: a rule turned off and the extension disabled take effect without restart', async () => {
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { deployPreflight: { rules: { 'gcp-project-id-unwired': 'off' } } } });
    await client.waitFor('rule off', () => !gcp() && !!find(CONFIG, 'env-unset-for-deploy'));
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { deployPreflight: { enable: false } } });
    await client.waitFor('all cleared', () => [...client.diagnostics.values()].every((d) => d.length === 0));
    assert.ok(client.diagnostics.has(u(DEPLOY)) && client.diagnostics.get(u(DEPLOY))!.length === 0, 'cleared explicitly');
  });

  await t.test('shutdown and exit cleanly', async () => {
    await client.conn.sendRequest('shutdown');
    await client.conn.sendNotification('exit');
    assert.equal(await client.exited, 0);
  });
});

test('the example workspace: initialize → all diagnostics', async () => {
  const example = path.join(REPO, 'examples', 'staging-audit');
  const dir = copyToTemp(example);
  const c = new TestClient();
  try {
    const t0 = performance.now();
    await c.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: [{ uri: pathToUri(dir), name: 'staging-audit' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    });
    await c.conn.sendNotification('initialized', {});
    // Indexing ends when the findings are final; the code of tests loads after it (`loadingTests`).
    await c.waitFor('indexing and the test files to finish', () => {
      const st = c.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean; loadingTests?: boolean });
      return st.some((s) => s.indexing) && !st[st.length - 1].indexing && !st[st.length - 1].loadingTests;
    }, 60000);
    const ms = performance.now() - t0;
    const reports = c.events.filter((e) => e.method === '$/progress').map((e) => (e.params as { value: { message?: string } }).value.message ?? '');
    const last = reports.filter((m) => /^\d+\/\d+ files$/.test(m)).pop() ?? '';
    const statuses = c.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean; loadingTests?: boolean });
    // The example holds one test file: indexing ends one file short, then the test loads.
    assert.ok(statuses.some((s) => !s.indexing && s.loadingTests), JSON.stringify(statuses));
    const all = [...c.diagnostics.entries()].filter(([, d]) => d.length > 0);
    const count = all.reduce((n, [, d]) => n + d.length, 0);
    console.log(`initialize → all diagnostics (examples/staging-audit, ${last}): ${ms.toFixed(0)} ms; ${count} diagnostics in ${all.length} files`);
    const [done, total] = last.split(' ')[0].split('/').map(Number);
    assert.ok(done > 0 && done < total, last);
    assert.ok(all.length >= 2, 'findings in several files');
    for (const [uri, diags] of all) {
      assert.ok(uri.startsWith(pathToUri(dir)), uri);
      for (const d of diags) {
        assert.equal(d.source, 'deploy-preflight');
        if (d.code) assert.match(String(d.codeDescription?.href), new RegExp(`${d.code}\\.md$`));
      }
    }
    assert.ok(all.some(([uri, diags]) => diags.some((d) => d.relatedInformation?.some((r) => r.location.uri !== uri))), 'related locations in other files');
    await c.conn.sendRequest('shutdown');
    await c.conn.sendNotification('exit');
    assert.equal(await c.exited, 0);
  } finally {
    if (c.child.exitCode === null) c.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function pathToUri(p: string): string {
  return uriOf(p, '');
}

/** Every diagnostic the client holds, keyed by URI relative to `root`, in a comparable form. */
function snapshot(c: TestClient, root: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [uri, diags] of c.diagnostics) {
    if (!diags.length) continue;
    out[uri.slice(pathToUri(root).length)] = diags.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code ?? ''} ${d.message}`).sort();
  }
  return out;
}

async function settled(c: TestClient): Promise<void> {
  await c.waitFor('indexing to finish', () => {
    const st = c.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean });
    return st.some((s) => s.indexing) && !st[st.length - 1].indexing;
  }, 60000);
  // Then quiet: no diagnostics published for a while.
  for (;;) {
    const n = c.events.length;
    await new Promise((r) => setTimeout(r, 400));
    if (c.events.length === n) return;
  }
}

test('files opened while the server starts get the findings of files opened later (restart with open tabs)', async () => {
  const dir = copyToTemp(path.join(REPO, 'examples', 'staging-audit'));
  const open = [
    'services/backend/app/config/secrets.py', 'services/backend/app/auth/oauth.py', 'scripts/deploy_to_gcp.py',
    'services/auth/src/config.ts', 'deploy/deploy-auth-staging.sh', 'cloudbuild-production.yaml', 'services/backend/.env.staging',
  ];
  const languageOf = (rel: string) => rel.endsWith('.py') ? 'python' : rel.endsWith('.ts') ? 'typescript' : rel.endsWith('.sh') ? 'shellscript' : rel.endsWith('.yaml') ? 'yaml' : 'dotenv';
  const didOpen = (c: TestClient, rel: string) => c.conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: uriOf(dir, rel), languageId: languageOf(rel), version: 1, text: fs.readFileSync(path.join(dir, rel), 'utf8') },
  });
  const start = async (): Promise<TestClient> => {
    const c = new TestClient();
    await c.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: [{ uri: pathToUri(dir), name: 'staging-audit' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    });
    return c;
  };
  const stop = async (c: TestClient) => {
    await c.conn.sendRequest('shutdown');
    await c.conn.sendNotification('exit');
    await c.exited;
  };
  const early = await start();
  const late = await start();
  try {
    // As an editor restoring its tabs does: didOpen in the same breath as `initialized`.
    await early.conn.sendNotification('initialized', {});
    await Promise.all(open.map((rel) => didOpen(early, rel)));
    await settled(early);
    // The reference: the same files opened once the index is complete.
    await late.conn.sendNotification('initialized', {});
    await settled(late);
    await Promise.all(open.map((rel) => didOpen(late, rel)));
    await settled(late).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 400));

    const got = snapshot(early, dir);
    const want = snapshot(late, dir);
    const failures = Object.values(got).flat().filter((m) => /could not analyse|before calling init/.test(m));
    assert.deepEqual(failures, [], 'no file failed to analyse');
    assert.ok(Object.keys(want).length >= 5, 'the reference run has findings in several files');
    for (const rel of open) assert.deepEqual(got[rel] ?? [], want[rel] ?? [], `diagnostics of ${rel}`);
    assert.deepEqual(got, want, 'the whole workspace agrees');

    // "Check Workspace" re-analyses everything and leaves the same result.
    await early.conn.sendRequest('workspace/executeCommand', { command: 'deployPreflight.server.checkWorkspace', arguments: [] });
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(snapshot(early, dir), want, 'after Check Workspace');
  } finally {
    for (const c of [early, late]) {
      await stop(c).catch(() => undefined);
      if (c.child.exitCode === null) c.child.kill();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('documents opened with unsaved edits while the server starts are read from their buffers, in every finding they feed', async () => {
  // On disk the backend's staging deploy names the OAuth client id GOOGLE_CLIENT_ID while auth's
  // deploy and code still say GOOGLE_OAUTH_CLIENT_ID_STAGING: a naming divergence (info, on the
  // deploy script). In the editor, auth's two files carry the same rename unsaved: no divergence.
  // A restarted server gets those buffers in didOpen right after `initialized`, before its folder
  // exists; the deploy script (not open) must be judged against them, not against the disk.
  const dir = copyToTemp(path.join(REPO, 'examples', 'staging-audit'));
  const DEPLOY_SCRIPT = 'scripts/deploy_to_gcp.py';
  const script = path.join(dir, DEPLOY_SCRIPT);
  fs.writeFileSync(script, fs.readFileSync(script, 'utf8').replace('"GOOGLE_OAUTH_CLIENT_ID_STAGING":', '"GOOGLE_CLIENT_ID":'));
  const renamed = { 'deploy/deploy-auth-staging.sh': 'shellscript', 'services/auth/src/config.ts': 'typescript' };
  const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
  const divergence = (c: TestClient) => (c.diagnostics.get(uriOf(dir, DEPLOY_SCRIPT)) ?? [])
    .filter((d) => /^OAuth client id in staging: backend uses GOOGLE_CLIENT_ID, auth uses /.test(messageOf(d))).map((d) => `${d.range.start.line + 1}: ${messageOf(d)}`);
  const start = async (): Promise<TestClient> => {
    const c = new TestClient();
    await c.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: [{ uri: pathToUri(dir), name: 'staging-audit' }],
      capabilities: { workspace: { configuration: true } },
    });
    return c;
  };
  const fromDisk = await start();
  const restarted = await start();
  try {
    await fromDisk.conn.sendNotification('initialized', {});
    await settled(fromDisk);
    assert.deepEqual(divergence(fromDisk), [`42: OAuth client id in staging: backend uses GOOGLE_CLIENT_ID, auth uses GOOGLE_OAUTH_CLIENT_ID_STAGING`], 'the disk alone diverges');

    await restarted.conn.sendNotification('initialized', {});
    await Promise.all(Object.entries(renamed).map(([rel, languageId]) => restarted.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uriOf(dir, rel), languageId, version: 7, text: fs.readFileSync(path.join(dir, rel), 'utf8').replaceAll('GOOGLE_OAUTH_CLIENT_ID_STAGING', 'GOOGLE_CLIENT_ID') },
    })));
    await settled(restarted);
    assert.deepEqual(divergence(restarted), [], 'the open buffers agree with the deploy script');
    for (const rel of Object.keys(renamed)) {
      const stale = (restarted.diagnostics.get(uriOf(dir, rel)) ?? []).filter((d) => /GOOGLE_OAUTH_CLIENT_ID_STAGING/.test(messageOf(d)));
      assert.deepEqual(stale.map(messageOf), [], `${rel}: nothing about the name its buffer no longer has`);
    }
  } finally {
    for (const c of [fromDisk, restarted]) {
      await c.conn.sendRequest('shutdown').catch(() => undefined);
      if (c.child.exitCode === null) c.child.kill();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
