/**
 * The language server under abuse, over stdio: thousands of rapid didChange events (whole-text
 * and keystroke-sized incremental ones), out-of-order versions, edits to files of a folder that
 * is still being indexed, files closed in the middle of their analysis, workspace folders added
 * and removed in quick succession. It must stay responsive (every hover answers within 1 s), its
 * memory must return near its baseline, and its final diagnostics must equal a fresh analysis
 * (the CLI's JSON output on the same files).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ready } from '../helpers';
import { main } from '../../server/src/cli/main';
import { TestClient, ensureBuilt, REPO } from '../lsp/client';

const EXAMPLE = path.join(REPO, 'examples', 'staging-audit');
const HAVE_SERVER = fs.existsSync(path.join(REPO, 'server', 'src', 'lsp', 'main.ts'));
let tmp: string;

before(async () => {
  await ready();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-abuse-')));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface JsonFinding { rule: string; file: string; message: string; range: { start: { line: number; column: number }; end: { line: number; column: number } } }

/** The CLI's findings for `root`, as `file|rule|l:c-l:c|message` keys. */
async function fresh(root: string): Promise<string[]> {
  let out = '';
  await main([root, '--format', 'json', '--exit-zero'], (s) => { out += s; }, () => {});
  return (JSON.parse(out).findings as JsonFinding[])
    .map((f) => `${f.file}|${f.rule}|${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}|${f.message}`).sort();
}

/** The server's diagnostics under `root`, in the same shape (notices, which carry no rule code, and
 * the other-end hints left out). */
function served(client: TestClient, root: string): string[] {
  const prefix = pathToFileURL(root).href + '/';
  const out: string[] = [];
  for (const [uri, diags] of client.diagnostics) {
    if (!uri.startsWith(prefix)) continue;
    const file = decodeURIComponent(uri.slice(prefix.length));
    for (const d of diags as Diagnostic[]) {
      // Hints mark a problem's other end; the CLI counts problems only.
      if (d.code === undefined || d.severity === 4) continue;
      const r = d.range;
      out.push(`${file}|${d.code}|${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}|${d.message}`);
    }
  }
  return out.sort();
}

/** Heap used after a full GC in the server process (a preload answers SIGUSR2 on stderr). */
async function serverHeap(client: TestClient): Promise<number> {
  const before = client.stderr.join('').split('\n').filter((l) => l.startsWith('HEAP ')).length;
  client.child.kill('SIGUSR2');
  // stderr does not wake TestClient.waitFor: poll.
  for (const t0 = Date.now(); client.stderr.join('').split('\n').filter((l) => l.startsWith('HEAP ')).length <= before;) {
    if (Date.now() - t0 > 10000) throw new Error('no heap report from the server');
    await new Promise((r) => setTimeout(r, 20));
  }
  const lines = client.stderr.join('').split('\n').filter((l) => l.startsWith('HEAP '));
  return Number(lines[lines.length - 1].slice(5));
}

test('the server under abuse stays responsive, returns to its memory baseline and ends where a fresh analysis does', { skip: !HAVE_SERVER && 'no language server yet' }, async (t) => {
  ensureBuilt();
  const rootA = path.join(tmp, 'a');
  const rootB = path.join(tmp, 'b');
  const rootC = path.join(tmp, 'c');
  for (const r of [rootA, rootB, rootC]) fs.cpSync(EXAMPLE, r, { recursive: true });
  const preload = path.join(tmp, 'heap.js');
  fs.writeFileSync(preload, `
require('v8').setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');
process.on('SIGUSR2', () => { gc(); gc(); process.stderr.write('HEAP ' + process.memoryUsage().heapUsed + '\\n'); });
`);
  const savedOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${savedOptions ?? ''} --require ${JSON.stringify(preload)}`.trim();
  let client: TestClient;
  try {
    client = new TestClient();
  } finally {
    if (savedOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = savedOptions;
  }
  const uri = (root: string, rel: string) => pathToFileURL(path.join(root, rel)).href;
  const folder = (root: string, name: string) => ({ uri: pathToFileURL(root).href, name });
  const hoverTimes: number[] = [];
  const hoverLog: string[] = [];
  const hover = async (root: string, rel: string, line: number, character: number) => {
    const t0 = performance.now();
    await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(root, rel) }, position: { line, character } });
    hoverTimes.push(performance.now() - t0);
    hoverLog.push(`${rel}:${(performance.now() - t0).toFixed(0)}`);
  };
  const indexingDone = (n: number) => () => {
    const st = client.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean });
    return st.filter((s) => !s.indexing).length >= n && !st[st.length - 1].indexing;
  };
  try {
    await client.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: [folder(rootA, 'a')],
      capabilities: { workspace: { workspaceFolders: true, configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
    });
    await client.conn.sendNotification('initialized', {});
    await client.waitFor('first indexing', indexingDone(1), 60000);

    const DEPLOY = 'deploy/deploy-auth-staging.sh';
    const CONFIG = 'services/auth/src/config.ts';
    const PY = 'services/backend/app/config/environment.py';
    const deployDisk = fs.readFileSync(path.join(rootA, DEPLOY), 'utf8');
    const configDisk = fs.readFileSync(path.join(rootA, CONFIG), 'utf8');
    const pyDisk = fs.readFileSync(path.join(rootA, PY), 'utf8');
    const hoverLine = deployDisk.split('\n').findIndex((l) => l.includes('--set-env-vars'));
    const hoverChar = deployDisk.split('\n')[hoverLine].indexOf('ENVIRONMENT') + 2;
    // Warm up (JIT, caches), then take the baseline.
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rootA, DEPLOY), languageId: 'shellscript', version: 1, text: deployDisk } });
    await hover(rootA, DEPLOY, hoverLine, hoverChar);
    const baseline = await serverHeap(client);

    // 1. 3000 whole-text changes to the deploy script, some out of order, hovers in between.
    const variants = [
      deployDisk,
      deployDisk.replace('GCP_PROJECT_ID=${PROJECT_ID},', ''),
      deployDisk.replace('SERVICE_SECRET=service-secret-staging:latest,', ''),
      deployDisk.replace('--set-env-vars "', '--set-env-vars "EXTRA_A=1,'),
    ];
    let version = 1;
    for (let i = 0; i < 3000; i++) {
      const v = i % 97 === 13 ? version - 5 : ++version; // an out-of-order (older) version now and then
      void client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(rootA, DEPLOY), version: v }, contentChanges: [{ text: variants[i % variants.length] + `# change ${i}\n` }] });
      // A hover after every 300 changes, awaited as an editor would (so the measure is the server's
      // delay behind the flood, not this loop's own queue of unsent messages).
      if (i % 300 === 299) await hover(rootA, DEPLOY, hoverLine, hoverChar);
    }
    // The final word: GCP_PROJECT_ID removed (a finding the original does not have).
    const deployFinal = variants[1];
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(rootA, DEPLOY), version: ++version + 10 }, contentChanges: [{ text: deployFinal }] });

    // 2. Typing: 1500 one-character incremental edits appending a new read to config.ts.
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rootA, CONFIG), languageId: 'typescript', version: 1, text: configDisk } });
    const typed = '\nexport const typedValue = process.env.TYPED_BY_THE_USER; // typed one key at a time, again and again\n';
    const lines = configDisk.split('\n');
    let line = lines.length - 1;
    let character = lines[line].length;
    let cv = 1;
    let configNow = configDisk;
    for (let round = 0; round < 15; round++) {
      for (const ch of round === 14 ? typed : typed.replace('TYPED_BY_THE_USER', `T${round}`)) {
        void client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(rootA, CONFIG), version: ++cv }, contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: ch }] });
        configNow += ch;
        if (ch === '\n') { line++; character = 0; } else character++;
      }
      if (round % 5 === 4) await hover(rootA, CONFIG, line - 1, 10);
    }

    // 3. Files closed in the middle of their analysis (inside the debounce, and right after a flush).
    for (let i = 0; i < 60; i++) {
      await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rootA, PY), languageId: 'python', version: 1, text: pyDisk } });
      void client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(rootA, PY), version: 2 }, contentChanges: [{ text: pyDisk + `\nVALUE_${i} = os.environ["CLOSED_${i}"]\n` }] });
      if (i % 2) await hover(rootA, PY, 0, 0);
      void client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rootA, PY) } });
    }

    // 4. Folders added and removed in quick succession; edits to a folder while it is indexed.
    for (let i = 0; i < 3; i++) {
      void client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder(rootC, 'c')], removed: [] } });
      void client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder(rootC, 'c')] } });
    }
    void client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder(rootB, 'b')], removed: [] } });
    const deployB = fs.readFileSync(path.join(rootB, DEPLOY), 'utf8');
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rootB, DEPLOY), languageId: 'shellscript', version: 1, text: deployB } });
    for (let i = 0; i < 200; i++) {
      void client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(rootB, DEPLOY), version: i + 2 }, contentChanges: [{ text: deployB + `# b ${i}\n` }] });
    }
    const deployBFinal = deployB.replace('JWT_SECRET_KEY=jwt-secret-staging:latest,', '');
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(rootB, DEPLOY), version: 1000 }, contentChanges: [{ text: deployBFinal }] });
    // A file changed on disk while B indexes, announced by the watcher.
    const envB = path.join(rootB, 'services/backend/.env.staging');
    fs.appendFileSync(envB, 'GCP_PROJECT_ID=netra-staging\n');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(envB).href, type: 2 }] });
    // And B removed and re-added while it is being indexed.
    await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder(rootB, 'b')] } });
    await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder(rootB, 'b')], removed: [] } });
    await hover(rootA, DEPLOY, hoverLine, hoverChar);

    // What a fresh analysis sees: the open buffers' final texts on disk.
    fs.writeFileSync(path.join(rootA, DEPLOY), deployFinal);
    fs.writeFileSync(path.join(rootA, CONFIG), configNow);
    fs.writeFileSync(path.join(rootB, DEPLOY), deployBFinal);
    const expectA = await fresh(rootA);
    const expectB = await fresh(rootB);
    assert.ok(expectA.some((k) => k.startsWith(`${DEPLOY}|gcp-project-id-unwired`)), 'the final edit makes a finding the original lacks');
    assert.ok(expectA.some((k) => k.includes('TYPED_BY_THE_USER')), 'the typed read is a finding');
    assert.ok(!expectA.some((k) => /CLOSED_\d+/.test(k)));

    const settled = performance.now();
    await client.waitFor('final diagnostics equal a fresh analysis', () =>
      JSON.stringify(served(client, rootA)) === JSON.stringify(expectA) && JSON.stringify(served(client, rootB)) === JSON.stringify(expectB), 30000)
      .catch(() => undefined);
    assert.deepEqual(served(client, rootA), expectA, 'folder a');
    assert.deepEqual(served(client, rootB), expectB, 'folder b');
    const prefixC = pathToFileURL(rootC).href + '/';
    assert.deepEqual([...client.diagnostics].filter(([u, d]) => u.startsWith(prefixC) && d.length > 0).map(([u]) => u), [], 'a removed folder keeps no diagnostics');
    const convergedMs = performance.now() - settled;

    // Responsive: every hover answered within 1 s, and one more now.
    await hover(rootA, CONFIG, line - 1, 10);
    const maxHover = Math.max(...hoverTimes);
    // Memory back near its baseline once the work is done.
    const afterHeap = await serverHeap(client);
    const mb = (n: number) => (n / 1048576).toFixed(1);
    t.diagnostic(`hover latencies (ms): ${hoverLog.join(' ')}`);
    t.diagnostic(`hovers: ${hoverTimes.length}, max ${maxHover.toFixed(0)} ms; converged ${convergedMs.toFixed(0)} ms after the last message; heap after GC: baseline ${mb(baseline)} MB, after abuse ${mb(afterHeap)} MB`);
    console.log(`server abuse: heap baseline ${mb(baseline)} MB → after ${mb(afterHeap)} MB (two folders open now, one before); max hover ${maxHover.toFixed(0)} ms`);
    // 1 s on a machine with a core per runnable process; stretched by the load when other work
    // competes for the CPU (other suites, other jobs on the machine).
    const bound = 1000 * Math.max(1, os.loadavg()[0] / os.cpus().length);
    assert.ok(maxHover < bound, `slowest hover ${maxHover.toFixed(0)} ms (bound ${bound.toFixed(0)} ms at load ${os.loadavg()[0].toFixed(1)})`);
    // Folder b is open at the end (a second copy of the workspace): allow for it, not for growth with the number of edits.
    assert.ok(afterHeap < baseline * 2 + 16 * 1048576, `heap ${mb(afterHeap)} MB vs baseline ${mb(baseline)} MB`);

    await client.conn.sendRequest('shutdown');
    await client.conn.sendNotification('exit');
    const code = await Promise.race([client.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 5000))]);
    assert.equal(code, 0, 'clean exit');
    assert.deepEqual(client.stderr.join('').split('\n').filter((l) => /uncaught|Error/.test(l)), []);
  } finally {
    if (client.child.exitCode === null) client.child.kill();
  }
});
