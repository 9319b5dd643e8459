/**
 * Process and browser plumbing for the end-to-end suites: code-server started in its own session
 * (setsid via `detached`) and stopped by process group, Debian's Chromium through playwright-core,
 * condition waits with a deadline, screenshots. Every process group started is also appended to
 * E2E_PGIDS so scripts/e2e.sh can kill it if this driver dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(REPO, 'test', 'e2e', 'artifacts');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suites through scripts/e2e.sh (npm run test:e2e)`);
  return v;
}

export function recordGroup(pgid: number | undefined): void {
  if (pgid && process.env.E2E_PGIDS) fs.appendFileSync(process.env.E2E_PGIDS, `${pgid}\n`);
}

/** Drops a group that is gone from E2E_PGIDS, so the script's cleanup never signals a reused id. */
export function forgetGroup(pgid: number | undefined): void {
  const file = process.env.E2E_PGIDS;
  if (!pgid || !file || !fs.existsSync(file)) return;
  const left = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && Number(l) !== pgid);
  fs.writeFileSync(file, left.map((l) => `${l}\n`).join(''));
}

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the group is gone. */
export async function killGroup(pgid: number, graceMs = 5000): Promise<void> {
  await signalGroup(pgid, graceMs);
  forgetGroup(pgid);
}

async function signalGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* gone */ }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
    while (groupAlive(pgid)) await new Promise((r) => setTimeout(r, 50));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns ok, else throws with the expectation and the last thing seen. */
export async function waitFor(expected: string, probe: () => Promise<{ ok: boolean; seen: string }> | { ok: boolean; seen: string }, timeoutMs: number, intervalMs = 200): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    try {
      const r = await probe();
      if (r.ok) return r.seen;
      seen = r.seen;
    } catch (err) {
      seen = `probe failed: ${(err as Error).message}`;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${expected}\n  seen: ${seen}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The sandbox every child process sees: HOME, XDG_* and TMPDIR inside the run's temp dir. */
export function sandboxEnv(tmpRoot: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dirs = {
    HOME: path.join(tmpRoot, 'home'),
    XDG_CONFIG_HOME: path.join(tmpRoot, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(tmpRoot, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(tmpRoot, 'xdg', 'cache'),
    XDG_STATE_HOME: path.join(tmpRoot, 'xdg', 'state'),
    XDG_RUNTIME_DIR: path.join(tmpRoot, 'xdg', 'runtime'),
    TMPDIR: path.join(tmpRoot, 'tmp'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TERM'];
  const base: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k]) base[k] = process.env[k];
  return { ...base, ...dirs, ...extra };
}

/** User settings that keep menus and panels free of git, AI, welcome and update noise. */
export const USER_SETTINGS = {
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
  'scm.diffDecorations': 'none',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'chat.agent.enabled': false,
  'github.copilot.enable': { '*': false },
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'problems.defaultViewMode': 'table',
  'window.restoreWindows': 'none',
};

export interface CodeServer {
  port: number;
  url: string;
  pgid: number;
  log: string;
  stop(): Promise<void>;
}

/** Starts code-server (Node 24) on a free loopback port in a new session; waits for /healthz. */
export async function startCodeServer(opts: {
  name: string; tmpRoot: string; extensionsDir: string; smokeTestDriver: boolean; extraEnv?: Record<string, string>;
}): Promise<CodeServer> {
  const node = path.join(env('E2E_NODE24_BIN'), 'node');
  const entry = env('E2E_CODE_SERVER');
  const dir = path.join(opts.tmpRoot, opts.name);
  const userData = path.join(dir, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const config = path.join(dir, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  const port = await freePort();
  const args = [entry, '--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', userData, '--extensions-dir', opts.extensionsDir, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];
  if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  fs.mkdirSync(path.join(ARTIFACTS, 'logs'), { recursive: true });
  const log = path.join(ARTIFACTS, 'logs', `code-server-${opts.name}.log`);
  const out = fs.openSync(log, 'w');
  const envs = sandboxEnv(opts.tmpRoot, { ...opts.extraEnv, PATH: `${env('E2E_NODE24_BIN')}:${process.env.PATH}` });
  const child: ChildProcess = spawn(node, args, { detached: true, stdio: ['ignore', out, out], env: envs, cwd: dir });
  fs.closeSync(out);
  const pgid = child.pid!;
  recordGroup(pgid);
  let exited: string | undefined;
  child.on('exit', (code, signal) => { exited = `exited with ${code ?? signal}`; });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => killGroup(pgid);
  try {
    await waitFor(`code-server ${url}/healthz`, async () => {
      if (exited) throw new Error(`code-server ${exited}; log ${log}:\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
      const res = await fetch(`${url}/healthz`).catch(() => undefined);
      return { ok: !!res?.ok, seen: res ? `HTTP ${res.status}` : 'no answer' };
    }, 60_000, 250);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, url, pgid, log, stop };
}

export interface Chromium {
  browser: Browser;
  server: BrowserServer;
  stop(): Promise<void>;
}

export async function startChromium(tmpRoot: string): Promise<Chromium> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium; scripts/e2e.sh does it as root)`);
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, env: sandboxEnv(tmpRoot) });
  const pgid = server.process().pid;
  recordGroup(pgid);
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    server,
    async stop() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      if (pgid) await killGroup(pgid, 2000);
    },
  };
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  return context.newPage();
}

/** Milliseconds → "12.3 s". */
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
