/**
 * Secret values never leave the files they are in. Distinctive values (random per run) are
 * planted in .env files, YAML env values, deploy scripts' env lists, Python and TypeScript code
 * defaults and database URL passwords of a copy of the example; then every output is searched
 * for them: the CLI in every format, --explain, --fix (its output, and every file it writes),
 * and the language server over stdio (everything it sends: diagnostics, hovers, code actions,
 * workspace edits, logs at the most verbose trace level) plus its stderr.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { ready } from '../helpers';
import { main } from '../../server/src/cli/main';
import { Workspace } from '../../server/src/engine/workspace';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'staging-audit');
const REPO = path.resolve(__dirname, '..', '..');
const HEX = randomBytes(8).toString('hex');
/** A planted value: redaction may show its first characters, never the distinctive part. */
const c = (i: number) => `s3cr3t-CANARY-${HEX}-${i}`;
const pw = (i: number) => `pw-CANARY-${HEX}-${i}`;

/** [file, text to find, replacement]: each must match, so a changed example fails loudly here. */
const PLANTS: [string, string | RegExp, string][] = [
  ['services/backend/.env.staging', /$/, `\nSERVICE_SECRET=${c(1)}\nDATABASE_URL="postgresql+asyncpg://netra:${pw(2)}@/netra?host=/cloudsql/netra-staging:us-central1:netra-main&sslmode=require"\nexport OAUTH_REFRESH_TOKEN='${c(3)}'\n`],
  ['services/auth/.env.production', 'postgresql://auth@10.30.0.5', `postgresql://auth:${pw(4)}@10.30.0.5`],
  ['deploy/deploy-auth-staging.sh', '"ENVIRONMENT=staging,', `"ENVIRONMENT=staging,API_KEY=${c(5)},SESSION_SECRET=${c(6)},`],
  ['deploy/backend-production.yaml', 'postgresql://netra@/netra?host', `postgresql://netra:${pw(7)}@/netra?host`],
  ['deploy/backend-production.yaml', '            - name: LOG_LEVEL\n', `            - name: API_TOKEN\n              value: "${c(8)}"\n            - name: LOG_LEVEL\n`],
  ['docker-compose.yml', 'JWT_SECRET_KEY=changeme', `JWT_SECRET_KEY=${c(9)}`],
  ['docker-compose.yml', 'POSTGRES_PASSWORD: netra', `POSTGRES_PASSWORD: ${c(10)}`],
  ['docker-compose.yml', 'postgresql+asyncpg://netra:netra@db', `postgresql+asyncpg://netra:${pw(11)}@db`],
  ['cloudbuild-production.yaml', 'ENVIRONMENT=production,GOOGLE', `ENVIRONMENT=production,SIGNING_SECRET=${c(12)},JWT_SECRET_KEY_PREVIOUS=${c(19)},GOOGLE`],
  ['.github/workflows/deploy-worker.yml', '            GCP_PROJECT_ID=netra-staging\n', `            GCP_PROJECT_ID=netra-staging\n            WORKER_TOKEN=${c(13)}\n`],
  // A literal JWT signing key in a staging deploy: jwt-secret-divergence compares it with the
  // other staging services' secrets and reports it, so its output is searched too.
  ['.github/workflows/deploy-worker.yml', '            QUEUE_NAME=jobs-staging\n', `            QUEUE_NAME=jobs-staging\n            JWT_SECRET_KEY=${c(22)}\n`],
  // …which the worker's code must read to be its signing key (a JWT name nothing reads signs nothing).
  ['services/worker/worker/main.py', /$/, '\n\nJWT_KEY = os.environ["JWT_SECRET_KEY"]\n'],
  ['.github/workflows/deploy-worker.yml', '--update-env-vars ENVIRONMENT=production,', `--update-env-vars ENVIRONMENT=production,WORKER_TOKEN=${c(14)},`],
  ['scripts/deploy_to_gcp.py', '"LOG_LEVEL": "info",', `"LOG_LEVEL": "info",\n                    "PY_DEPLOY_SECRET": "${c(15)}",`],
  ['scripts/deploy_to_gcp.py', 'netra:${DB_PASSWORD}@10.20.0.3', `netra:${pw(16)}@10.20.0.3`],
  ['services/backend/app/config/environment.py', /$/, `\n\nSESSION_SECRET = os.environ.get("SESSION_SECRET", "${c(17)}")\nJWT_FALLBACK = os.getenv("JWT_SECRET_KEY", "${c(20)}")\n`],
  ['services/auth/src/config.ts', /$/, `\nexport const fallbackSecret = process.env.FALLBACK_SECRET ?? "${c(18)}";\nexport const { DB_PASSWORD = "${pw(21)}" } = process.env;\n`],
];
const ALL = [...Array(23).keys()].slice(1).map((i) => (i === 2 || i === 4 || i === 7 || i === 11 || i === 16 || i === 21 ? pw(i) : c(i)));

let tmp: string;
let root: string;

function plant(dir: string): void {
  for (const [file, find, repl] of PLANTS) {
    const p = path.join(dir, file);
    const text = fs.readFileSync(p, 'utf8');
    const next = typeof find === 'string' ? text.replace(find, () => repl) : text.replace(find, () => repl);
    assert.notEqual(next, text, `plant in ${file}: ${String(find)}`);
    fs.writeFileSync(p, next);
  }
}

function copy(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  plant(dir);
  return dir;
}

/** The canaries found in `s` (by the distinctive random part, so partial leaks count too). */
function leaks(s: string): string[] {
  if (!s.includes(HEX) && !s.includes('CANARY')) return [];
  const out: string[] = [];
  for (const m of s.matchAll(/.{0,60}(?:CANARY|[0-9a-f]{16}).{0,20}/g)) if (m[0].includes('CANARY') || m[0].includes(HEX)) out.push(m[0]);
  return out;
}

before(async () => {
  await ready();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-secrets-')));
  root = copy('ws');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

test('the planted values are seen by the analysis (the test can fail)', async () => {
  const ws = new Workspace(root);
  await ws.loadAll();
  const literals = [...ws.files.values()].flatMap((e) => [
    ...(e.facts.envFile?.entries ?? []),
    ...e.facts.deploys.flatMap((d) => d.blocks.flatMap((b) => b.entries)),
  ]).flatMap((w) => (w.value.kind === 'literal' ? [w.value.value] : []));
  for (const i of [1, 3, 5, 6, 8, 9, 10, 12, 13, 14, 15, 22]) assert.ok(literals.some((v) => v.includes(c(i))), `canary ${i} is a literal the engine holds`);
  const urls = [...ws.files.values()].flatMap((e) => e.facts.dbUrls);
  assert.ok(urls.length >= 4);
  const findings = ws.findings();
  // Findings on the planted lines exist: they are what a leak would come through.
  const rules = new Set(findings.map((f) => f.rule));
  for (const r of ['cloudsql-socket-ssl', 'db-ssl-param-driver', 'env-unset-for-deploy', 'jwt-secret-divergence']) assert.ok(rules.has(r), r);
  // jwt-secret-divergence names the planted literal only as "a literal value" (not even its shape).
  const jwt = findings.filter((f) => f.rule === 'jwt-secret-divergence' && f.file === '.github/workflows/deploy-worker.yml');
  assert.equal(jwt.length, 1, 'the worker\'s literal JWT key diverges from the staging secrets');
  assert.ok(jwt[0].message.includes('takes JWT_SECRET_KEY from a literal value, unlike'), jwt[0].message);
  // And a leak would be caught.
  assert.ok(leaks(`x ${c(3)} y`).length === 1 && leaks(`"${pw(2).slice(0, 20)}…"`).length === 1);
});

test('CLI: no planted value in any format, --explain, or the fix output', async () => {
  const runs: [string, string[]][] = [
    ['stylish', [root, '--no-color', '--exit-zero']],
    ['json', [root, '--format', 'json', '--exit-zero']],
    ['sarif', [root, '--format', 'sarif', '--exit-zero']],
    ['github', [root, '--format', 'github', '--exit-zero']],
    ['explain', [root, '--explain']],
    ['one file', [root, path.join(root, 'services/backend/.env.staging'), '--format', 'json', '--exit-zero']],
  ];
  for (const [name, args] of runs) {
    const r = await cli(args);
    assert.equal(r.code, 0, `${name}: ${r.err}`);
    assert.ok(r.out.length > 200, `${name} printed something`);
    assert.deepEqual(leaks(r.out), [], `${name} stdout`);
    assert.deepEqual(leaks(r.err), [], `${name} stderr`);
  }
});

test('CLI --fix: output clean, and no file gains a planted value', async () => {
  const dir = copy('fix');
  const list = (d: string): string[] => fs.readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
  const before = new Map(list(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  for (const format of ['stylish', 'json']) {
    const r = await cli([dir, '--fix', '--format', format, '--no-color', '--exit-zero']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(leaks(r.out), [], `--fix ${format} stdout`);
    assert.deepEqual(leaks(r.err), [], `--fix ${format} stderr`);
    if (format === 'stylish') assert.match(r.out, /fixed: /);
  }
  const after = new Map(list(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  let changed = 0;
  for (const [f, text] of after) {
    const was = before.get(f);
    assert.ok(was !== undefined, `--fix created ${f}`);
    if (was === text) continue;
    changed++;
    for (const v of ALL) {
      const count = (s: string) => s.split(v).length - 1;
      assert.ok(count(text) <= count(was), `${f} gained ${v.slice(0, 14)}…`);
    }
  }
  assert.ok(changed >= 1, 'some fix was applied (else this checks nothing)');
});

test('language server: diagnostics, hovers, code actions, fix-all edits and trace logs hold no planted value', async (t) => {
  const { TestClient, ensureBuilt, SERVER } = await import('../lsp/client');
  if (!fs.existsSync(path.join(REPO, 'server', 'src', 'lsp', 'main.ts'))) {
    t.skip('no language server yet');
    return;
  }
  const t0 = performance.now();
  ensureBuilt();
  assert.ok(fs.existsSync(SERVER));
  const built = performance.now();
  const client = new TestClient();
  const raw: string[] = [];
  client.child.stdout!.on('data', (d) => raw.push(String(d)));
  const edits: unknown[] = [];
  client.conn.onRequest('workspace/applyEdit', (p: unknown) => { edits.push(p); return { applied: false }; });
  const traces: string[] = [];
  client.conn.onNotification('$/logTrace', (p: { message: string; verbose?: string }) => { traces.push(`${p.message} ${p.verbose ?? ''}`); });
  try {
    client.settings = { enable: true, scope: 'workspace', trace: { server: 'verbose' }, logLevel: 'trace' };
    await client.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      trace: 'verbose',
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      initializationOptions: { settings: client.settings },
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true, applyEdit: true, workspaceEdit: { documentChanges: true } },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } },
      },
    });
    await client.conn.sendNotification('initialized', {});
    await client.conn.sendNotification('$/setTrace', { value: 'verbose' });
    await client.waitFor('indexing', () => {
      const st = client.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean });
      return st.some((s) => s.indexing) && !st[st.length - 1].indexing;
    }, 60000);
    const indexed = performance.now();
    // Open every planted file (open files are analysed from the buffer), then ask about every
    // variable name on every planted line.
    const planted = [...new Set(PLANTS.map((p) => p[0]))];
    let hovers = 0;
    let actions = 0;
    for (const rel of planted) {
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      const uri = pathToFileURL(path.join(root, rel)).href;
      await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (const m of lines[line].matchAll(/\b[A-Z][A-Z0-9_]{2,}\b/g)) {
          const h = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: m.index! + 1 } });
          if (h) hovers++;
        }
      }
    }
    await client.waitFor('diagnostics for the planted files', () => planted.some((rel) => (client.diagnostics.get(pathToFileURL(path.join(root, rel)).href) ?? []).length > 0), 30000);
    for (const [uri, diags] of client.diagnostics) {
      for (const d of diags) {
        const r = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }) as unknown[] | null;
        actions += r?.length ?? 0;
      }
      const all = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } }) as unknown[] | null;
      actions += all?.length ?? 0;
    }
    await client.conn.sendRequest('workspace/executeCommand', { command: 'deployPreflight.server.fixAll', arguments: [] }).catch(() => undefined);
    t.diagnostic(`build ${(built - t0).toFixed(0)} ms, indexing ${(indexed - built).toFixed(0)} ms, requests ${(performance.now() - indexed).toFixed(0)} ms`);
    t.diagnostic(`server: ${client.diagnostics.size} files with diagnostics, ${hovers} hovers, ${actions} code actions, ${edits.length} fix-all edits, ${client.logs.length} log lines, ${traces.length} traces`);
    assert.ok(hovers >= 10, `hovers answered: ${hovers}`);
    assert.ok(actions >= 5, `code actions: ${actions}`);
    assert.ok([...client.diagnostics.values()].flat().length >= 10);
    await client.conn.sendRequest('shutdown');
    await client.conn.sendNotification('exit');
    await Promise.race([client.exited, new Promise((r) => setTimeout(r, 3000))]);
    const everything = raw.join('');
    assert.ok(everything.includes('"textDocument/publishDiagnostics"'), 'the raw stream was captured');
    // Hovers did describe the planted values (as shapes): the search below looked where they would leak.
    const shapes = new Set([...everything.matchAll(/a (\d+)-char value/g)].map((m) => Number(m[1])));
    assert.ok(shapes.has(c(5).length) && shapes.has(c(13).length), `redacted shapes of the planted values in hovers: ${[...shapes].join(', ')}`);
    assert.deepEqual(leaks(everything), [], 'server → client messages');
    assert.deepEqual(leaks(client.stderr.join('')), [], 'server stderr');
    assert.deepEqual(leaks(client.logs.join('\n') + traces.join('\n')), [], 'server logs');
  } finally {
    if (client.child.exitCode === null) client.child.kill();
  }
});
