/**
 * Driver of the end-to-end suites (started by scripts/e2e.sh, which prepares Node 24, code-server,
 * Chromium and the .vsix and passes them in E2E_* variables):
 *   1. the extension-host suite (test/vscode, mocha + `vscode` API): under @vscode/test-electron
 *      when it is installed and can download VS Code, else inside code-server through the
 *      smoke-test-driver payload (extensionDevelopmentPath / extensionTestsPath);
 *   2. the UI suite (test/e2e/ui.ts): the code-server workbench in Debian's Chromium.
 * Each suite gets a fresh copy of examples/staging-audit and its own code-server.
 * Usage: node --import tsx test/e2e/run.ts [vscode|ui]...   (default: both)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { ARTIFACTS, REPO, env, forgetGroup, newPage, recordGroup, sandboxEnv, secs, startChromium, startCodeServer, waitFor } from './harness';
import { runUiSuite, type CliFinding } from './ui';

const TMP = env('E2E_TMP');
const EXAMPLE = path.join(REPO, 'examples', 'staging-audit');
const EXT_ID = 'deploy-preflight.deploy-preflight';

function copyWorkspace(name: string): string {
  const ws = path.join(TMP, 'workspaces', name, 'staging-audit');
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(ws), { recursive: true });
  fs.cpSync(EXAMPLE, ws, { recursive: true });
  return ws;
}

/** `code-server --install-extension <vsix>` into a throw-away extensions dir; returns the unpacked folder. */
function installVsix(): { extensionsDir: string; extensionDir: string } {
  const extensionsDir = path.join(TMP, 'extensions');
  const vsix = env('E2E_VSIX');
  const r = spawnSync(path.join(env('E2E_NODE24_BIN'), 'node'), [env('E2E_CODE_SERVER'), '--extensions-dir', extensionsDir,
    '--user-data-dir', path.join(TMP, 'install-user-data'), '--install-extension', vsix],
  { env: sandboxEnv(TMP, { PATH: `${env('E2E_NODE24_BIN')}:${process.env.PATH}` }), encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout}${r.stderr}`;
  const folder = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir).find((d) => d.startsWith(`${EXT_ID}-`)) : undefined;
  if (r.status !== 0 || !folder) throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${out}`);
  console.log(`installed ${path.basename(vsix)} → ${path.join(extensionsDir, folder)}`);
  return { extensionsDir, extensionDir: path.join(extensionsDir, folder) };
}

/** The extension-host tests as one CommonJS file (vscode and mocha stay external). */
async function bundleExtensionTests(): Promise<string> {
  // Inside the repo (git-ignored cache) so that require('mocha') resolves from node_modules.
  const out = path.join(REPO, '.e2e-cache', 'build', 'vscode-tests', 'index.js');
  await build({
    entryPoints: [path.join(REPO, 'test', 'vscode', 'index.ts')],
    outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning',
  });
  return out;
}

function cliFindings(ws: string): string {
  const file = path.join(TMP, 'cli-findings.json');
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), ws, '--format', 'json', '--exit-zero'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`deploy-preflight CLI failed (exit ${r.status}): ${r.stderr}`);
  fs.writeFileSync(file, r.stdout);
  return file;
}

function printResults(file: string): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  process.stdout.write(text ? text.replace(/^/gm, '  | ') + '\n' : '  (no results were written by the extension host)\n');
  return text;
}

/**
 * Resolves @vscode/test-electron (a devDependency, resolved at run time so a tree without it still
 * runs the code-server path) and checks VS Code can be had: an installed VS Code named by
 * E2E_VSCODE_EXECUTABLE, else a download (cached in .e2e-cache/vscode-test). Where neither works —
 * no network but the npm registry, as on the build machine — the caller falls back to code-server.
 */
async function testElectron(): Promise<{ runTests: (o: object) => Promise<number>; vscodeExecutablePath: string } | string> {
  let mod: { runTests: (o: object) => Promise<number>; downloadAndUnzipVSCode: (o?: object) => Promise<string> };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(require.resolve('@vscode/test-electron', { paths: [REPO] }));
  } catch {
    return '@vscode/test-electron is not installed';
  }
  const installed = process.env.E2E_VSCODE_EXECUTABLE;
  if (installed) {
    return fs.existsSync(installed) ? { runTests: mod.runTests, vscodeExecutablePath: installed } : `E2E_VSCODE_EXECUTABLE ${installed} does not exist`;
  }
  try {
    const vscodeExecutablePath = await Promise.race([
      mod.downloadAndUnzipVSCode({ cachePath: path.join(REPO, '.e2e-cache', 'vscode-test') }),
      new Promise<string>((_, rej) => setTimeout(() => rej(new Error('no answer in 120 s')), 120_000)),
    ]);
    return { runTests: mod.runTests, vscodeExecutablePath };
  } catch (err) {
    return `VS Code desktop cannot be downloaded (${(err as Error).message.split('\n')[0]})`;
  }
}

async function extensionHostSuite(install: { extensionsDir: string; extensionDir: string }): Promise<void> {
  const tests = await bundleExtensionTests();
  const ws = copyWorkspace('vscode');
  const results = path.join(TMP, 'vscode-results.txt');
  fs.rmSync(results, { force: true });
  const testEnv = { E2E_RESULTS: results, E2E_CLI_FINDINGS: cliFindings(ws) };

  const electron = process.env.E2E_FORCE_CODE_SERVER ? 'E2E_FORCE_CODE_SERVER is set' : await testElectron();
  if (typeof electron !== 'string') {
    console.log(`extension-host suite: running under @vscode/test-electron (${electron.vscodeExecutablePath})`);
    const code = await electron.runTests({
      vscodeExecutablePath: electron.vscodeExecutablePath,
      extensionDevelopmentPath: install.extensionDir,
      extensionTestsPath: tests,
      extensionTestsEnv: testEnv,
      launchArgs: [ws, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${path.join(TMP, 'electron-user-data')}`, `--extensions-dir=${install.extensionsDir}`],
    }).catch((err: Error) => { console.error(err.message); return 1; });
    printResults(results);
    if (code !== 0) throw new Error(`extension-host suite failed under @vscode/test-electron (exit ${code}); results above`);
    return;
  }
  console.log(`extension-host suite: running inside code-server via the smoke-test-driver payload (${electron})`);
  const server = await startCodeServer({ name: 'vscode', tmpRoot: TMP, extensionsDir: install.extensionsDir, smokeTestDriver: true, extraEnv: testEnv });
  const browser = await startChromium(TMP);
  const logFile = path.join(ARTIFACTS, 'logs', 'workbench-vscode.log');
  const log = fs.openSync(logFile, 'w');
  try {
    const page = await newPage(browser.browser);
    let exitCode: number | undefined;
    page.on('console', (m) => fs.writeSync(log, `[console.${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => fs.writeSync(log, `[pageerror] ${e.message}\n`));
    await page.exposeFunction('codeAutomationLog', (level: string, msg: string) => fs.writeSync(log, `[${level}] ${msg}\n`));
    await page.exposeFunction('codeAutomationExit', (code: number) => { exitCode = code; });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(install.extensionDir)], ['extensionTestsPath', remote(tests)]]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
    await waitFor('the extension-host tests to finish (codeAutomationExit)', () => {
      const progress = fs.existsSync(results) ? fs.readFileSync(results, 'utf8').trim().split('\n').slice(-1)[0] : 'no results yet';
      return { ok: exitCode !== undefined, seen: `${progress}; workbench log ${logFile}; code-server log ${server.log}` };
    }, 15 * 60_000, 500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-suite-end.png') }).catch(() => undefined);
    const text = printResults(results);
    if (exitCode !== 0 || !/\d+ passing, 0 failing/.test(text)) {
      throw new Error(`extension-host suite failed (exit ${exitCode}); results above; logs: ${logFile}, ${server.log}`);
    }
  } finally {
    fs.closeSync(log);
    await browser.stop();
    await server.stop();
  }
}

async function uiSuite(install: { extensionsDir: string }): Promise<void> {
  const ws = copyWorkspace('ui');
  const server = await startCodeServer({ name: 'ui', tmpRoot: TMP, extensionsDir: install.extensionsDir, smokeTestDriver: false });
  const browser = await startChromium(TMP);
  try {
    const page = await newPage(browser.browser);
    const cli = (JSON.parse(fs.readFileSync(cliFindings(ws), 'utf8')) as { findings: CliFinding[] }).findings;
    await runUiSuite(page, { url: `${server.url}/?folder=${encodeURIComponent(ws)}`, ws, codeServerLog: server.log, cli });
  } finally {
    await browser.stop();
    await server.stop();
  }
}

async function main(): Promise<number> {
  recordGroup(process.pid); // scripts/e2e.sh started us with setsid: our pid is our group
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['vscode', 'ui'];
  fs.mkdirSync(path.join(ARTIFACTS, 'logs'), { recursive: true });
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, f));
  const t0 = Date.now();
  const install = installVsix();
  console.log(`vsix installed in ${secs(Date.now() - t0)}`);
  const failures: string[] = [];
  const times: string[] = [];
  for (const [name, fn] of [['vscode', () => extensionHostSuite(install)], ['ui', () => uiSuite(install)]] as const) {
    if (!wanted.includes(name)) continue;
    const t = Date.now();
    console.log(`\n== ${name === 'vscode' ? 'extension-host' : 'UI'} suite`);
    try {
      await fn();
      times.push(`${name} suite: passed in ${secs(Date.now() - t)}`);
    } catch (err) {
      console.error(`\n${name === 'vscode' ? 'EXTENSION-HOST' : 'UI'} SUITE FAILED: ${(err as Error).message}`);
      failures.push(name);
      times.push(`${name} suite: FAILED after ${secs(Date.now() - t)}`);
    }
  }
  console.log(`\n${times.join('\n')}`);
  return failures.length ? 1 : 0;
}

main().then((code) => {
  forgetGroup(process.pid);
  process.exit(code);
}, (err) => {
  console.error(err);
  forgetGroup(process.pid);
  process.exit(1);
});
