/**
 * How long a warm language server takes from its spawn to the first diagnostic of an opened file,
 * over stdio, without the bench's edits: `node scripts/probe-start.mjs --tree DIR --file REL
 * [--server dist/server.js ...] [--runs N] [--cache DIR] [--cold | --new-workspace]`. With several `--server`s the starts
 * alternate (each server on its own fact-cache folder, filled by an unmeasured first start), so
 * both see the same machine load; two unmeasured starts first fill the fact cache and the code
 * cache. Prints, per start: initialize answered, first publish for the file (empty or not), the
 * server process's CPU (user + system, all threads) by then, indexing done, the load average;
 * then the medians. The server is shut down politely, so `--node-arg --cpu-prof --node-arg
 * --cpu-prof-dir=DIR` leaves a CPU profile of each start.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const servers = args.flatMap((a, i) => (a === '--server' ? [path.resolve(args[i + 1])] : []));
if (!servers.length) servers.push(path.resolve('dist/server.js'));
const tree = path.resolve(opt('--tree', '/work/corpus/netra'));
const file = opt('--file', 'auth_service/auth_core/secret_loader.py');
const runs = Number(opt('--runs', '5'));
const cacheBase = opt('--cache', fs.mkdtempSync(path.join(os.tmpdir(), 'dp-probe-')));
const nodeArgs = args.flatMap((a, i) => (a === '--node-arg' ? [args[i + 1]] : [])); // e.g. --cpu-prof
const ticks = 100; // USER_HZ on Linux

function cpuSeconds(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / ticks;
  } catch { return NaN; }
}

function frame(msg) {
  const body = JSON.stringify(msg);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function start(server, cacheDir) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, DEPLOY_PREFLIGHT_CACHE: cacheDir } });
    const uri = pathToFileURL(path.join(tree, file)).href;
    const out = { server: path.relative(process.cwd(), server) };
    let buf = Buffer.alloc(0);
    let indexed = false;
    const send = (m) => child.stdin.write(frame(m));
    // A polite shutdown, so that a `--cpu-prof` in NODE_OPTIONS gets written.
    const finish = () => {
      if (out.done) return;
      out.done = true;
      const kill = setTimeout(() => child.kill(), 5000);
      child.on('exit', () => { clearTimeout(kill); resolve(out); });
      send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
      send({ jsonrpc: '2.0', method: 'exit' });
    };
    const timer = setTimeout(() => { out.error = 'timeout'; finish(); }, 120000);
    child.stdout.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const sep = buf.indexOf('\r\n\r\n');
        if (sep < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString())[1]);
        if (buf.length < sep + 4 + len) return;
        const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString());
        buf = buf.subarray(sep + 4 + len);
        if (msg.id === 1 && msg.result) {
          out.initMs = performance.now() - t0;
          send({ jsonrpc: '2.0', method: 'initialized', params: {} });
          send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: file.endsWith('.py') ? 'python' : 'typescript', version: 1, text: fs.readFileSync(path.join(tree, file), 'utf8') } } });
        } else if (msg.method === 'textDocument/publishDiagnostics' && msg.params.uri === uri && out.firstMs === undefined) {
          out.firstMs = performance.now() - t0;
          out.cpu = cpuSeconds(child.pid);
          out.diagnostics = msg.params.diagnostics.length;
          out.load = os.loadavg()[0];
        } else if (msg.method === '$/progress' && msg.params.value?.kind === 'end') {
          out.indexMs = performance.now() - t0;
          indexed = true;
        } else if (msg.id !== undefined && msg.method) {
          const result = msg.method === 'workspace/configuration' ? msg.params.items.map(() => ({})) : null;
          send({ jsonrpc: '2.0', id: msg.id, result });
        }
        if (indexed && out.firstMs !== undefined) { clearTimeout(timer); setTimeout(finish, 200); }
      }
    });
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {
      processId: process.pid, rootUri: pathToFileURL(tree).href,
      workspaceFolders: [{ uri: pathToFileURL(tree).href, name: path.basename(tree) }],
      capabilities: { window: { workDoneProgress: true }, workspace: { workspaceFolders: true, configuration: true } },
    } });
  });
}

// `--cold`: every start on an empty cache folder (no fact cache, no code cache), as a first start.
// `--new-workspace`: every start without a fact cache, but with the code cache an earlier start
// wrote (a workspace opened for the first time by a tool used before).
const cold = args.includes('--cold');
const newWorkspace = args.includes('--new-workspace');
let fresh = 0;
const codeCacheOf = (i) => path.join(cacheBase, `code-${i}`);
const cacheOf = (i) => {
  if (cold) return path.join(cacheBase, `cold-${i}-${fresh++}`);
  if (!newWorkspace) return path.join(cacheBase, String(i));
  const dir = path.join(cacheBase, `new-${i}-${fresh++}`);
  if (fs.existsSync(path.join(codeCacheOf(i), 'code'))) fs.cpSync(path.join(codeCacheOf(i), 'code'), path.join(dir, 'code'), { recursive: true });
  return dir;
};
if (newWorkspace) {
  for (let i = 0; i < servers.length; i++) await start(servers[i], codeCacheOf(i)); // write the code cache
  for (let i = 0; i < servers.length; i++) await start(servers[i], codeCacheOf(i)); // and its second write
} else if (!cold) {
  for (let i = 0; i < servers.length; i++) await start(servers[i], cacheOf(i)); // fill the caches
  for (let i = 0; i < servers.length; i++) await start(servers[i], cacheOf(i)); // and the code cache's second write
}
const rows = servers.map(() => []);
for (let r = 0; r < runs; r++) {
  for (let i = 0; i < servers.length; i++) {
    const o = await start(servers[i], cacheOf(i));
    rows[i].push(o);
    console.log(`${o.server}: initialize ${(o.initMs / 1000).toFixed(2)} s, first diagnostic ${(o.firstMs / 1000).toFixed(2)} s (${o.diagnostics}), cpu ${o.cpu.toFixed(2)} s, index ${(o.indexMs / 1000).toFixed(2)} s, load ${o.load.toFixed(2)}${o.error ? ' ' + o.error : ''}`);
  }
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (let i = 0; i < servers.length; i++) {
  const r = rows[i];
  console.log(`${r[0].server}: first diagnostic median ${(med(r.map((o) => o.firstMs)) / 1000).toFixed(2)} s (${(Math.min(...r.map((o) => o.firstMs)) / 1000).toFixed(2)}–${(Math.max(...r.map((o) => o.firstMs)) / 1000).toFixed(2)}), cpu median ${med(r.map((o) => o.cpu)).toFixed(2)} s`);
}
