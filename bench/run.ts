/**
 * npm run bench [-- --sizes 1000,5000,10000 --seed 1 --runs 3 --edits 60 --flat-edits 1000
 *                  --no-server --no-cli --no-build --keep --profile --smoke]
 * npm run bench -- --tree DIR [--open REL] [--runs N --edits N --flat-edits N --no-server]
 *   --no-cli with --open REL (a file with findings): the read floor and the language server only (DP_BENCH_DEBUG=1 prints
 *   the server's phases with its RSS then);
 *   --no-code-cache: run the bundles themselves (dist/cli-main.js, dist/server-main.js), not through
 *   their launchers' V8 code cache (server/src/launch), for a before/after comparison.
 *   measures a real tree: read floor, CLI cold / warm / without cache, server cold and warm
 *   (index, first diagnostic of REL or of the CLI's first finding's file, edits, RSS).
 *
 * For each size: generates a workspace (bench/generate.ts), then measures side by side
 * - the read floor: the engine's walk + reading every listed file, in its own process;
 * - the CLI's cold full scan (`node dist/cli.js <dir> --format json --exit-zero`): wall time, peak RSS;
 * - the language server over stdio: initialize → indexing progress end; initialize → first
 *   diagnostic of a code file opened right after initialize; edit → republished diagnostics
 *   (p50/p95) for a code file and for a deploy script whose edit moves a finding into the code
 *   file; peak RSS (VmHWM) and RSS after 50 vs after `--flat-edits` edits;
 * - the engine's early phase (bench/early.ts): when `Workspace.loadAll` has loaded the open file,
 *   deploy and env files, and whether the open file's findings are final by then;
 * and the growth per 1,000 files (least-squares slope). Prints a table, writes bench/out/results.json.
 * Wall times depend on the machine's load: the JSON records the load average, and CPU seconds too.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { generate, type GenerateResult } from './generate';

const REPO = path.resolve(__dirname, '..');
const OUT = path.join(REPO, 'bench', 'out');
const NO_CODE_CACHE = process.argv.includes('--no-code-cache');
// DP_BENCH_DIST: another build's dist folder (a copy of a "before" build), for an A/B.
const DIST = process.env.DP_BENCH_DIST ? path.resolve(process.env.DP_BENCH_DIST) : path.join(REPO, 'dist');
const CLI = path.join(DIST, NO_CODE_CACHE ? 'cli-main.js' : 'cli.js');
const SERVER = path.join(DIST, NO_CODE_CACHE ? 'server-main.js' : 'server.js');

interface Flags {
  sizes: number[];
  seed: number;
  runs: number;
  edits: number;
  flatEdits: number;
  server: boolean;
  cli: boolean;
  keep: boolean;
  profile: boolean;
  smoke: boolean;
  build: boolean;
  /** A real tree to measure instead of generated ones (`--tree DIR`), and the file to open in it. */
  tree?: string;
  open?: string;
}

function parseFlags(argv: string[]): Flags {
  const f: Flags = { sizes: [1000, 2000, 5000, 10000, 20000], seed: 1, runs: 3, edits: 60, flatEdits: 1000, server: true, cli: true, keep: false, profile: false, smoke: false, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--sizes') f.sizes = v().split(',').map((s) => Math.round(Number(s.replace(/k$/i, '')) * (/k$/i.test(s) ? 1000 : 1)));
    else if (a === '--seed') f.seed = Number(v());
    else if (a === '--runs') f.runs = Number(v());
    else if (a === '--edits') f.edits = Number(v());
    else if (a === '--flat-edits') f.flatEdits = Number(v());
    else if (a === '--no-server') f.server = false;
    else if (a === '--no-cli') f.cli = false;
    else if (a === '--no-code-cache') { /* read above: CLI, SERVER */ }
    else if (a === '--keep') f.keep = true;
    else if (a === '--profile') f.profile = true;
    else if (a === '--no-build') f.build = false;
    else if (a === '--tree') f.tree = path.resolve(v());
    else if (a === '--open') f.open = v();
    else if (a === '--smoke') { f.smoke = true; f.sizes = [300]; f.runs = 1; f.edits = 50; f.flatEdits = 100; }
    else throw new Error(`unknown flag ${a}`);
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number | undefined {
  if (xs.length < 2) return undefined;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : undefined;
}

interface ProcResult { ms: number; stdout: string; stderr: string; code: number | null; maxRssKb?: number; cpuMs?: number }

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs `node args…`, measuring wall time and peak RSS (GNU time, else the child's own report). */
function runNode(args: string[], extraEnv: Record<string, string> = {}): Promise<ProcResult> {
  const rssFile = path.join(OUT, `rss-${process.pid}-${Date.now()}.txt`);
  const [cmd, argv] = TIME ? [TIME, ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...args]] : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd: REPO, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      let maxRssKb: number | undefined;
      let cpuMs: number | undefined;
      if (TIME) {
        try {
          const [m, u, s] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
          maxRssKb = m;
          cpuMs = (u + s) * 1000;
          fs.rmSync(rssFile, { force: true });
        } catch { /* no report */ }
      }
      resolve({ ms, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, maxRssKb, cpuMs });
    });
  });
}

function bundle(name: string): string {
  const out = path.join(OUT, `${name}.cjs`);
  const r = spawnSync(process.execPath, ['-e', `require('esbuild').buildSync({ entryPoints: ['bench/${name}.ts'], outfile: ${JSON.stringify(out)}, define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' })`], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building bench/${name}.ts failed: ${r.stderr}`);
  return out;
}

interface EarlyResult { earlyMs?: number; totalMs: number; early: string[]; final: string[]; same: boolean }

/** When the engine's early phase ends (what a server could publish for an open file while indexing). */
async function measureEarly(earlyJs: string, gen: GenerateResult): Promise<EarlyResult | undefined> {
  // The bundle finds the grammars next to itself.
  for (const w of ['web-tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-bash.wasm']) {
    if (!fs.existsSync(path.join(OUT, w))) fs.copyFileSync(path.join(REPO, 'dist', w), path.join(OUT, w));
  }
  const r = await runNode([earlyJs, gen.root, gen.probes.code.file]);
  if (r.code !== 0) return undefined;
  return JSON.parse(r.stdout) as EarlyResult;
}

// ---------------------------------------------------------------------------------------------
// Floor and CLI

interface FloorResult { wallMs: number; cpuMs?: number; innerMs: number; files: number; bytes: number; maxRssMb?: number }

async function measureFloor(floorJs: string, dir: string, runs: number): Promise<FloorResult> {
  await runNode([floorJs, dir]); // warm the page cache and the module cache
  const results: FloorResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runNode([floorJs, dir]);
    if (r.code !== 0) throw new Error(`floor failed: ${r.stderr}`);
    const j = JSON.parse(r.stdout) as { files: number; bytes: number; ms: number; maxRssKb: number };
    results.push({ wallMs: r.ms, cpuMs: r.cpuMs, innerMs: j.ms, files: j.files, bytes: j.bytes, maxRssMb: (r.maxRssKb ?? j.maxRssKb) / 1024 });
  }
  return results.sort((a, b) => a.wallMs - b.wallMs)[Math.floor((results.length - 1) / 2)];
}

interface CliResult { wallMs: number; cpuMs?: number; runsMs: number[]; maxRssMb?: number; findings: Record<string, number>; matchesExpected: boolean; profile?: string }

async function measureCli(dir: string, runs: number, expected: Record<string, number>, profile: boolean): Promise<CliResult> {
  const walls: number[] = [];
  const cpus: number[] = [];
  let rss: number[] = [];
  let findings: Record<string, number> = {};
  for (let i = 0; i < runs; i++) {
    const r = await runNode([CLI, dir, '--format', 'json', '--exit-zero']);
    if (r.code !== 0) throw new Error(`CLI failed (${r.code}): ${r.stderr}`);
    walls.push(r.ms);
    if (r.cpuMs !== undefined) cpus.push(r.cpuMs);
    if (r.maxRssKb) rss.push(r.maxRssKb / 1024);
    findings = {};
    for (const f of (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings) findings[f.rule] = (findings[f.rule] ?? 0) + 1;
  }
  rss = rss.sort((a, b) => a - b);
  const keys = new Set([...Object.keys(expected), ...Object.keys(findings)]);
  const matchesExpected = [...keys].every((k) => (expected[k] ?? 0) === (findings[k] ?? 0));
  let prof: string | undefined;
  if (profile) {
    const profDir = path.join(OUT, 'prof');
    fs.mkdirSync(profDir, { recursive: true });
    const name = `cli-${path.basename(dir)}.cpuprofile`;
    await runNode(['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-name', name, CLI, dir, '--format', 'json', '--exit-zero']);
    prof = path.join(profDir, name);
  }
  return { wallMs: median(walls), cpuMs: cpus.length ? median(cpus) : undefined, runsMs: walls, maxRssMb: rss.length ? median(rss) : undefined, findings, matchesExpected, profile: prof };
}

// ---------------------------------------------------------------------------------------------
// Server

/** Loaded into the server with --require: on SIGUSR2, a full GC, then memory usage into a file. */
const GC_HOOK = `const fs = require('fs');
process.on('SIGUSR2', () => {
  if (global.gc) global.gc();
  const m = process.memoryUsage();
  fs.writeFileSync(process.env.DP_BENCH_MEM_FILE, JSON.stringify(m));
});
`;

interface ServerResult {
  /** initialize → the indexing progress ends (findings final). */
  indexedMs?: number;
  /** initialize → the code of tests is loaded too (editor features); edits are measured after it. */
  testsLoadedMs?: number;
  firstDiagnosticMs?: number;
  codeEdit: { p50: number; p95: number; n: number; timeouts: number };
  deployEdit: { p50: number; p95: number; n: number; timeouts: number };
  peakRssMb?: number;
  rssAfter50Mb?: number;
  rssAfterFlatMb?: number;
  /** V8 heap in use after a full GC: after indexing, after 50 code edits, after `flatEdits`. */
  heapIndexedMb?: number;
  heapAfter50Mb?: number;
  heapAfterFlatMb?: number;
  flatEdits: number;
  error?: string;
}

function procStatus(pid: number): { rssMb?: number; hwmMb?: number } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => {
      const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s);
      return m ? Number(m[1]) / 1024 : undefined;
    };
    return { rssMb: kb('VmRSS'), hwmMb: kb('VmHWM') };
  } catch {
    return {};
  }
}

/** A generated workspace, or a real tree whose opened file may have no finding (`quiet`): then the
 * first diagnostic is the first publish for it, empty or not. */
type ServerTarget = Pick<GenerateResult, 'root'> & { probes: { code: GenerateResult['probes']['code'] & { quiet?: boolean }; deploy?: GenerateResult['probes']['deploy'] } };

async function measureServer(gen: ServerTarget, edits: number, flatEdits: number, env: Record<string, string> = {}): Promise<ServerResult> {
  const hook = path.join(OUT, 'gc-hook.cjs');
  fs.writeFileSync(hook, GC_HOOK);
  const memFile = path.join(OUT, `mem-${process.pid}.json`);
  const child = spawn(process.execPath, ['--expose-gc', '--require', hook, SERVER, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env, DP_BENCH_MEM_FILE: memFile } });
  const heapMb = async (): Promise<number | undefined> => {
    fs.rmSync(memFile, { force: true });
    child.kill('SIGUSR2');
    for (let i = 0; i < 100 && !fs.existsSync(memFile); i++) await new Promise((r) => setTimeout(r, 50));
    try {
      return (JSON.parse(fs.readFileSync(memFile, 'utf8')) as { heapUsed: number }).heapUsed / 2 ** 20;
    } catch {
      return undefined;
    }
  };
  const stderr: string[] = [];
  child.stderr.on('data', (d) => stderr.push(String(d)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = (rel: string) => pathToFileURL(path.join(gen.root, rel)).href;
  const waiters: { uri: string; after: number; resolve: (t: number) => void; nonEmpty: boolean }[] = [];
  let progressEnd: number | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const now = performance.now();
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === p.uri && now >= w.after && (!w.nonEmpty || p.diagnostics.length > 0)) {
        waiters.splice(i, 1);
        w.resolve(now);
      }
    }
  });
  conn.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
    if (p.value?.kind === 'end') progressEnd ??= performance.now();
  });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.onNotification('window/logMessage', () => undefined);
  // The server ends its indexing progress when the findings are final, then loads the code of
  // tests (editor features only); a status without `loadingTests` after that is the whole load.
  let fullyLoaded: number | undefined;
  conn.onNotification('deployPreflight/status', (s: { indexing?: boolean; loadingTests?: boolean }) => {
    if (progressEnd !== undefined && !s.indexing && !s.loadingTests) fullyLoaded ??= performance.now();
  });
  conn.listen();

  const waitDiag = (u: string, after: number, ms: number, nonEmpty = false): Promise<number | undefined> =>
    new Promise((resolve) => {
      const w = { uri: u, after, nonEmpty, resolve: (t: number) => { clearTimeout(timer); resolve(t); } };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i >= 0) waiters.splice(i, 1);
        resolve(undefined);
      }, ms);
      waiters.push(w);
    });

  const tStart = performance.now();
  const log = (what: string) => {
    if (!process.env.DP_BENCH_DEBUG) return;
    const s = procStatus(child.pid!);
    process.stderr.write(`  server ${((performance.now() - tStart) / 1000).toFixed(2)} s: ${what} (RSS ${s.rssMb?.toFixed(0)} MB, peak ${s.hwmMb?.toFixed(0)} MB)\n`);
  };
  const result: ServerResult = { codeEdit: { p50: NaN, p95: NaN, n: 0, timeouts: 0 }, deployEdit: { p50: NaN, p95: NaN, n: 0, timeouts: 0 }, flatEdits: 0 };
  let peak = 0;
  const sampler = setInterval(() => {
    const s = procStatus(child.pid!);
    if (s.hwmMb) peak = Math.max(peak, s.hwmMb);
  }, 200);
  try {
    const codeRel = gen.probes.code.file;
    const codeText = fs.readFileSync(path.join(gen.root, codeRel), 'utf8');
    const codeUri = uri(codeRel);
    const t0 = performance.now();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(gen.root).href,
      workspaceFolders: [{ uri: pathToFileURL(gen.root).href, name: path.basename(gen.root) }],
      capabilities: { window: { workDoneProgress: true }, workspace: { workspaceFolders: true, configuration: true } },
      initializationOptions: {},
    });
    const firstDiag = waitDiag(codeUri, 0, 120_000, !gen.probes.code.quiet);
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: codeUri, languageId: codeRel.endsWith('.py') ? 'python' : 'typescript', version: 1, text: codeText } });
    const first = await firstDiag;
    log('first diagnostic');
    result.firstDiagnosticMs = first !== undefined ? first - t0 : undefined;
    for (const until = performance.now() + 120_000; progressEnd === undefined && performance.now() < until;) await new Promise((r) => setTimeout(r, 20));
    result.indexedMs = progressEnd !== undefined ? progressEnd - t0 : undefined;
    log('indexed');
    for (const until = performance.now() + 120_000; fullyLoaded === undefined && performance.now() < until;) await new Promise((r) => setTimeout(r, 20));
    result.testsLoadedMs = fullyLoaded !== undefined ? fullyLoaded - t0 : undefined;
    log('test files loaded');
    await new Promise((r) => setTimeout(r, 300)); // let the post-index publish settle
    result.heapIndexedMb = await heapMb();

    // Code edits: insert a comment line above a finding, then remove it (moves the finding's range).
    const line = codeText.split('\n').findIndex((l) => l.startsWith(gen.probes.code.insertBefore));
    let version = 1;
    const codeLatencies: number[] = [];
    const editCode = async (i: number): Promise<number | undefined> => {
      const change = i % 2 === 0
        ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `${codeRel.endsWith('.py') ? '#' : '//'} edit ${i}\n` }
        : { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
      const sent = performance.now();
      const got = waitDiag(codeUri, sent, 10_000);
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri: codeUri, version: ++version }, contentChanges: [change] });
      const t = await got;
      return t === undefined ? undefined : t - sent;
    };
    let i = 0;
    for (; i < edits; i++) {
      const ms = await editCode(i);
      if (ms === undefined) result.codeEdit.timeouts++;
      else codeLatencies.push(ms);
    }
    log('code edits');
    result.codeEdit = { ...result.codeEdit, p50: percentile(codeLatencies, 50), p95: percentile(codeLatencies, 95), n: codeLatencies.length };

    // Deploy edits: toggle a secret's name in the staging script; the finding moves in and out of the code file.
    const dep = gen.probes.deploy;
    if (dep) {
    const depText = fs.readFileSync(path.join(gen.root, dep.file), 'utf8');
    const depUri = uri(dep.file);
    const affectsUri = uri(dep.affects);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: depUri, languageId: 'shellscript', version: 1, text: depText } });
    await new Promise((r) => setTimeout(r, 200));
    const at = depText.indexOf(dep.from);
    const before = depText.slice(0, at);
    const dLine = before.split('\n').length - 1;
    const dChar = at - (before.lastIndexOf('\n') + 1);
    let dVersion = 1;
    const depLatencies: number[] = [];
    for (let k = 0; k < edits; k++) {
      const [from, to] = k % 2 === 0 ? [dep.from, dep.to] : [dep.to, dep.from];
      const change = { range: { start: { line: dLine, character: dChar }, end: { line: dLine, character: dChar + from.length } }, text: to };
      const sent = performance.now();
      const got = waitDiag(affectsUri, sent, 10_000);
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri: depUri, version: ++dVersion }, contentChanges: [change] });
      const t = await got;
      if (t === undefined) result.deployEdit.timeouts++;
      else depLatencies.push(t - sent);
    }
    log('deploy edits');
    result.deployEdit = { ...result.deployEdit, p50: percentile(depLatencies, 50), p95: percentile(depLatencies, 95), n: depLatencies.length };
    }

    // Memory flatness: RSS after 50 code edits (done above) vs after `flatEdits`.
    result.rssAfter50Mb = procStatus(child.pid!).rssMb;
    result.heapAfter50Mb = await heapMb();
    for (; i < flatEdits; i++) await editCode(i);
    result.flatEdits = Math.max(i, edits);
    result.rssAfterFlatMb = procStatus(child.pid!).rssMb;
    result.heapAfterFlatMb = await heapMb();
    log('flat edits');
    result.peakRssMb = Math.max(peak, procStatus(child.pid!).hwmMb ?? 0);
    await conn.sendRequest('shutdown').catch(() => undefined);
    await conn.sendNotification('exit').catch(() => undefined);
  } catch (err) {
    result.error = `${(err as Error).message}\n${stderr.join('').slice(-2000)}`;
  } finally {
    clearInterval(sampler);
    conn.dispose();
    fs.rmSync(memFile, { force: true });
    setTimeout(() => { if (child.exitCode === null) child.kill(); }, 2000).unref();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

interface SizeResult {
  size: number;
  files: number;
  bytes: number;
  generateMs: number;
  floor: FloorResult;
  cli: CliResult;
  ratio: number;
  early?: EarlyResult;
  server?: ServerResult;
}

const fmt = (x: number | undefined, digits = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));

function table(results: SizeResult[]): string {
  const head = ['files', 'MB', 'floor s', 'CLI s', 'CLI/floor', 'CLI cpu s', 'CLI MB', 'srv index s', 'first diag s', 'engine early s', 'code edit p50/p95 ms', 'deploy edit p50/p95 ms', 'srv peak MB', 'RSS @50/@N edits MB', 'heap after GC idx/@50/@N MB'];
  const rows = results.map((r) => [
    String(r.files), fmt(r.bytes / 1e6, 1), fmt(r.floor.wallMs / 1000), fmt(r.cli.wallMs / 1000), fmt(r.ratio, 1) + '×', fmt(r.cli.cpuMs !== undefined ? r.cli.cpuMs / 1000 : undefined), fmt(r.cli.maxRssMb, 0),
    fmt(r.server?.indexedMs !== undefined ? r.server.indexedMs / 1000 : undefined), fmt(r.server?.firstDiagnosticMs !== undefined ? r.server.firstDiagnosticMs / 1000 : undefined),
    fmt(r.early?.earlyMs !== undefined ? r.early.earlyMs / 1000 : undefined) + (r.early && !r.early.same ? '*' : ''),
    r.server ? `${fmt(r.server.codeEdit.p50, 0)}/${fmt(r.server.codeEdit.p95, 0)}` : '–',
    r.server ? `${fmt(r.server.deployEdit.p50, 0)}/${fmt(r.server.deployEdit.p95, 0)}` : '–',
    fmt(r.server?.peakRssMb, 0),
    r.server ? `${fmt(r.server.rssAfter50Mb, 0)}/${fmt(r.server.rssAfterFlatMb, 0)} (N=${r.server.flatEdits})` : '–',
    r.server ? `${fmt(r.server.heapIndexedMb, 0)}/${fmt(r.server.heapAfter50Mb, 0)}/${fmt(r.server.heapAfterFlatMb, 0)}` : '–',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}


// ---------------------------------------------------------------------------------------------
// A real tree (--tree DIR)

interface TreeResult {
  tree: string;
  files: number;
  bytes: number;
  floor: FloorResult;
  /** The CLI with an empty fact cache, with the cache it left (nothing changed), and with none
   * (not run with `--no-cli`, which needs `--open`). */
  cold?: CliResult;
  warm?: CliResult;
  noCache?: CliResult;
  /** The server starting with an empty fact cache and with the one the cold start left. */
  serverCold?: ServerResult;
  serverWarm?: ServerResult;
  open: string;
  /** Whether the opened file has no finding (its first publish may be empty). */
  openQuiet?: boolean;
  sameOutput: boolean;
}

async function cliOnce(dir: string, flags: string[]): Promise<CliResult & { stdout: string }> {
  const r = await runNode([CLI, dir, '--format', 'json', '--exit-zero', ...flags]);
  if (r.code !== 0) throw new Error(`CLI failed (${r.code}): ${r.stderr}`);
  const findings: Record<string, number> = {};
  for (const f of (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings) findings[f.rule] = (findings[f.rule] ?? 0) + 1;
  return { wallMs: r.ms, cpuMs: r.cpuMs, runsMs: [r.ms], maxRssMb: r.maxRssKb ? r.maxRssKb / 1024 : undefined, findings, matchesExpected: true, stdout: r.stdout };
}

/** The file the server opens: `--open`, else the file of the CLI's first finding in code. */
function pickOpen(dir: string, stdout: string, flag?: string): { file: string; quiet: boolean } {
  const findings = (JSON.parse(stdout) as { findings: { file: string }[] }).findings;
  if (flag) return { file: flag, quiet: !findings.some((f) => f.file === flag) };
  const code = findings.find((f) => /\.(py|ts|tsx|js|mjs)$/.test(f.file)) ?? findings[0];
  if (code) return { file: code.file, quiet: false };
  // No finding: the first code file reading the environment, breadth first.
  const queue = [''];
  while (queue.length) {
    const rel = queue.shift()!;
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') queue.push(r);
      else if (e.isFile() && /\.(py|ts)$/.test(e.name) && /environ|getenv|process\.env/.test(fs.readFileSync(path.join(dir, r), 'utf8'))) return { file: r, quiet: true };
    }
  }
  throw new Error('no code file to open: pass --open FILE');
}

/** The CLI cold (empty fact cache), warm (the cache it left) and without a cache, and the file the
 * server opens. */
async function measureTreeCli(dir: string, cacheDir: string, floor: FloorResult, flags: Flags): Promise<TreeResult> {
  const cold = await cliOnce(dir, ['--cache-location', cacheDir]);
  process.stderr.write(`[tree] CLI cold ${fmt(cold.wallMs / 1000)} s\n`);
  const warm = await cliOnce(dir, ['--cache-location', cacheDir]);
  process.stderr.write(`[tree] CLI warm ${fmt(warm.wallMs / 1000)} s\n`);
  const noCache = await cliOnce(dir, ['--no-cache']);
  // The report's own wall time (`summary.ms`) is the one thing that may differ.
  const report = (stdout: string): string => {
    const r = JSON.parse(stdout) as { summary?: { ms?: number } };
    delete r.summary?.ms;
    return JSON.stringify(r);
  };
  const sameOutput = report(cold.stdout) === report(warm.stdout) && report(cold.stdout) === report(noCache.stdout);
  const picked = pickOpen(dir, cold.stdout, flags.open);
  return { tree: dir, files: floor.files, bytes: floor.bytes, floor, cold, warm, noCache, open: picked.file, openQuiet: picked.quiet, sameOutput };
}

async function measureTree(flags: Flags): Promise<TreeResult> {
  const dir = flags.tree!;
  if (!flags.cli && !flags.open) throw new Error('--no-cli on a tree needs --open FILE');
  const floor = await measureFloor(bundle('floor'), dir, flags.runs);
  process.stderr.write(`[tree] floor ${fmt(floor.wallMs / 1000)} s (${floor.files} files, ${fmt(floor.bytes / 1e6, 1)} MB)\n`);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-cache-'));
  try {
    const r: TreeResult = flags.cli ? await measureTreeCli(dir, cacheDir, floor, flags) : { tree: dir, files: floor.files, bytes: floor.bytes, floor, open: flags.open!, sameOutput: true };
    if (flags.server) {
      const target: ServerTarget = { root: dir, probes: { code: { file: r.open, insertBefore: '', quiet: r.openQuiet ?? false } } };
      const serverCache = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-srv-cache-'));
      try {
        r.serverCold = await measureServer(target, flags.edits, flags.flatEdits, { DEPLOY_PREFLIGHT_CACHE: serverCache });
        process.stderr.write(`[tree] server cold: indexed ${fmt((r.serverCold.indexedMs ?? NaN) / 1000)} s, test files loaded ${fmt((r.serverCold.testsLoadedMs ?? NaN) / 1000)} s, first diagnostic ${fmt((r.serverCold.firstDiagnosticMs ?? NaN) / 1000)} s${r.serverCold.error ? ' ERROR ' + r.serverCold.error : ''}\n`);
        r.serverWarm = await measureServer(target, flags.edits, flags.edits, { DEPLOY_PREFLIGHT_CACHE: serverCache });
        process.stderr.write(`[tree] server warm: indexed ${fmt((r.serverWarm.indexedMs ?? NaN) / 1000)} s, test files loaded ${fmt((r.serverWarm.testsLoadedMs ?? NaN) / 1000)} s, first diagnostic ${fmt((r.serverWarm.firstDiagnosticMs ?? NaN) / 1000)} s\n`);
      } finally {
        // A server being stopped may still be writing its code cache there: retry, as rm -rf would
        // have to.
        fs.rmSync(serverCache, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      }
    }
    return r;
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

function treeTable(r: TreeResult): string {
  const s = (ms: number | undefined) => fmt(ms !== undefined ? ms / 1000 : undefined);
  const x = (ms: number) => fmt(ms / r.floor.wallMs, 1) + '×';
  const srv = (v: ServerResult | undefined) => v ? `${s(v.indexedMs)} (tests ${s(v.testsLoadedMs)}) / ${s(v.firstDiagnosticMs)} / ${fmt(v.codeEdit.p50, 0)}/${fmt(v.codeEdit.p95, 0)} ms / ${fmt(v.peakRssMb, 0)} MB` : '–';
  return [
    `| measure | value |`, `|---|---|`,
    `| tree | ${path.basename(r.tree)}: ${r.files} files, ${fmt(r.bytes / 1e6, 1)} MB |`,
    `| read floor | ${s(r.floor.wallMs)} s |`,
    ...([['CLI cold (empty cache)', r.cold], ['CLI warm (unchanged files)', r.warm], ['CLI --no-cache', r.noCache]] as const).map(([what, c]) =>
      `| ${what} | ${c ? `${s(c.wallMs)} s (${x(c.wallMs)}), cpu ${s(c.cpuMs)} s, ${fmt(c.maxRssMb, 0)} MB` : 'not run (--no-cli)'} |`),
    `| same output cold / warm / no cache | ${!r.cold ? 'not run (--no-cli)' : r.sameOutput ? 'yes' : 'NO'} |`,
    `| server cold: index (test files loaded) / first diagnostic / edit p50/p95 / peak RSS | ${srv(r.serverCold)} |`,
    `| server warm: index (test files loaded) / first diagnostic / edit p50/p95 / peak RSS | ${srv(r.serverWarm)} |`,
    `| opened file | ${r.open} |`,
    `| workers | 1 (extraction runs on the main thread) |`,
  ].join('\n');
}

async function mainTree(flags: Flags): Promise<void> {
  const r = await measureTree(flags);
  const doc = { date: new Date().toISOString(), loadAverage: os.loadavg(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30) }, flags, result: r };
  fs.writeFileSync(path.join(OUT, `tree-${path.basename(r.tree)}.json`), JSON.stringify(doc, (k, v) => (k === 'stdout' ? undefined : v), 2) + '\n');
  process.stdout.write(treeTable(r) + '\n');
  process.stdout.write(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cpus\n`);
  if (!r.sameOutput || r.serverCold?.error || r.serverWarm?.error) process.exitCode = 1;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  fs.mkdirSync(OUT, { recursive: true });
  if (flags.build) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  }
  if (flags.tree) return mainTree(flags);
  const floorJs = bundle('floor');
  const earlyJs = bundle('early');
  const results: SizeResult[] = [];
  for (const size of flags.sizes) {
    const t0 = performance.now();
    const gen = generate({ files: size, seed: flags.seed });
    const generateMs = performance.now() - t0;
    process.stderr.write(`[${size}] generated ${gen.files} files (${(gen.bytes / 1e6).toFixed(1)} MB) in ${(generateMs / 1000).toFixed(1)} s at ${gen.root}\n`);
    try {
      const floor = flags.cli ? await measureFloor(floorJs, gen.root, flags.runs) : { wallMs: NaN, innerMs: NaN, files: 0, bytes: 0 };
      process.stderr.write(`[${size}] floor ${(floor.wallMs / 1000).toFixed(2)} s (${floor.files} files read)\n`);
      const cli = flags.cli ? await measureCli(gen.root, flags.runs, gen.expected, flags.profile) : { wallMs: NaN, runsMs: [], findings: {}, matchesExpected: true };
      process.stderr.write(`[${size}] CLI ${(cli.wallMs / 1000).toFixed(2)} s, ${fmt(cli.maxRssMb, 0)} MB; findings ${cli.matchesExpected ? 'match' : 'DIFFER FROM'} the planted ones${cli.profile ? `; profile ${cli.profile}` : ''}\n`);
      const r: SizeResult = { size, files: gen.files, bytes: gen.bytes, generateMs, floor, cli, ratio: cli.wallMs / floor.wallMs };
      r.early = await measureEarly(earlyJs, gen);
      if (r.early) process.stderr.write(`[${size}] engine early phase ${fmt((r.early.earlyMs ?? NaN) / 1000)} s of ${fmt(r.early.totalMs / 1000)} s; open file's findings then ${r.early.same ? 'already final' : 'NOT final'}\n`);
      if (flags.server) {
        r.server = await measureServer(gen, flags.edits, flags.flatEdits);
        process.stderr.write(`[${size}] server ${r.server.error ? 'FAILED: ' + r.server.error : `indexed ${fmt((r.server.indexedMs ?? NaN) / 1000)} s, first diagnostic ${fmt((r.server.firstDiagnosticMs ?? NaN) / 1000)} s`}\n`);
      }
      if (!cli.matchesExpected) process.stderr.write(`[${size}] expected ${JSON.stringify(gen.expected)}\n[${size}] found    ${JSON.stringify(cli.findings)}\n`);
      results.push(r);
    } finally {
      if (!flags.keep) fs.rmSync(gen.root, { recursive: true, force: true });
    }
  }
  const kfiles = results.map((r) => r.files / 1000);
  const growth = {
    floorMsPer1kFiles: slope(kfiles, results.map((r) => r.floor.wallMs)),
    cliMsPer1kFiles: slope(kfiles, results.map((r) => r.cli.wallMs)),
    cliCpuMsPer1kFiles: slope(kfiles, results.map((r) => r.cli.cpuMs ?? NaN)),
    cliRssMbPer1kFiles: slope(kfiles, results.map((r) => r.cli.maxRssMb ?? NaN)),
    serverIndexMsPer1kFiles: flags.server ? slope(kfiles, results.map((r) => r.server?.indexedMs ?? NaN)) : undefined,
    codeEditP50MsPer1kFiles: flags.server ? slope(kfiles, results.map((r) => r.server?.codeEdit.p50 ?? NaN)) : undefined,
    deployEditP50MsPer1kFiles: flags.server ? slope(kfiles, results.map((r) => r.server?.deployEdit.p50 ?? NaN)) : undefined,
  };
  const doc = {
    date: new Date().toISOString(),
    loadAverage: os.loadavg(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30) },
    flags,
    results,
    growth,
  };
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(doc, null, 2) + '\n');
  process.stdout.write(table(results) + '\n\n');
  process.stdout.write('growth per 1,000 files: ' + Object.entries(growth).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${fmt(v as number, 1)}`).join(', ') + '\n');
  process.stdout.write(`results: ${path.relative(process.cwd(), path.join(OUT, 'results.json'))}\n`);
  if (results.some((r) => !r.cli.matchesExpected || r.server?.error)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 2;
  });
}
