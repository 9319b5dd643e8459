/**
 * Hostile workspaces: configuration is data only (no tag, key or string in it runs anything),
 * every path it names stays inside the workspace, nothing the workspace holds (package.json
 * scripts, editor settings and tasks, JS configs, setup.py, code with side effects) is
 * executed or required, and analysis opens no socket and resolves no host name.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// The modules themselves (not ES namespace copies), so that patching them is seen by every user.
import net = require('node:net');
import tls = require('node:tls');
import http = require('node:http');
import https = require('node:https');
import dns = require('node:dns');
import dgram = require('node:dgram');
import childProcess = require('node:child_process');
import { pathToFileURL } from 'node:url';
import { ready } from '../helpers';
import { main } from '../../server/src/cli/main';
import { parseConfig } from '../../server/src/engine/config';
import { Workspace } from '../../server/src/engine/workspace';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'staging-audit');
const REPO = path.resolve(__dirname, '..', '..');
let tmp: string;
/** Every hostile payload touches a file here when it runs; none may exist at the end. */
let markers: string;

before(async () => {
  await ready();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hostile-')));
  markers = path.join(tmp, 'markers');
  fs.mkdirSync(markers);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const marker = (name: string) => path.join(markers, name);
const touchJs = (name: string) => `require('fs').writeFileSync(${JSON.stringify(marker(name))}, 'ran')`;
const touchSh = (name: string) => `touch ${marker(name)}`;
const touchPy = (name: string) => `open(${JSON.stringify(marker(name))}, "w").write("ran")`;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

/** A copy of the example with every trap a careless tool could spring. */
function hostileWorkspace(name: string): string {
  const root = path.join(tmp, name);
  fs.cpSync(EXAMPLE, root, { recursive: true });
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const scripts = Object.fromEntries(['preinstall', 'install', 'postinstall', 'prepare', 'pretest', 'test', 'start', 'lint', 'deploy-preflight', 'predeploy-preflight'].map((s) => [s, touchSh(`npm-${s}`)]));
  w('package.json', JSON.stringify({ name: 'evil', scripts, main: 'index.js', 'deploy-preflight': { require: './evil.js' } }, null, 2));
  w('services/auth/package.json', JSON.stringify({ name: 'auth', scripts: { postinstall: touchSh('npm-auth-postinstall') } }));
  w('.vscode/settings.json', JSON.stringify({ 'deployPreflight.configFile': '../../../etc/passwd', 'terminal.integrated.shellArgs.linux': ['-c', touchSh('vscode-settings')] }));
  w('.vscode/tasks.json', JSON.stringify({ version: '2.0.0', tasks: [{ label: 'x', type: 'shell', command: touchSh('vscode-task'), runOptions: { runOn: 'folderOpen' } }] }));
  w('evil.js', touchJs('evil-js'));
  w('deploy-preflight.config.js', `${touchJs('config-js')}\nmodule.exports = { rules: {} };\n`);
  w('.deploy-preflight.js', touchJs('dot-config-js'));
  w('.eslintrc.js', touchJs('eslintrc'));
  w('services/auth/src/side-effect.ts', `import * as cp from 'child_process';\ncp.execSync(${JSON.stringify(touchSh('ts-top-level'))});\n${touchJs('ts-require')};\nexport const x = process.env.SIDE_EFFECT_VAR;\n`);
  w('services/backend/setup.py', `import os\n${touchPy('setup-py')}\nos.system(${JSON.stringify(touchSh('setup-py-system'))})\nVERSION = os.environ["SETUP_VERSION"]\n`);
  w('services/backend/conftest.py', `${touchPy('conftest')}\n`);
  w('deploy/evil.sh', `#!/bin/sh\n${touchSh('shell-script')}\ngcloud run deploy evil-staging --set-env-vars "A=$(${touchSh('shell-subst')})"\n`);
  w('.envrc', `${touchSh('envrc')}\n`);
  w('Makefile', `all:\n\t${touchSh('make')}\n`);
  w('services/worker/worker/metadata.py', 'import urllib.request\nPROJECT = urllib.request.urlopen("http://metadata.google.internal/computeMetadata/v1/project/project-id").read()\n');
  return root;
}

function assertNothingRan(): void {
  assert.deepEqual(fs.readdirSync(markers), [], 'a workspace payload ran');
}

/** A YAML single-quoted scalar. */
const yq = (s: string) => `'${s.replace(/'/g, "''")}'`;

test('configuration is data only: tags, JS-looking values and unknown keys do nothing', async () => {
  const text = [
    `rules: !!js/function ${yq(`function () { ${touchJs('tag-function')} }`)}`,
    `require: ./evil.js`,
    `plugins: [./evil.js, ${yq(marker('plugin'))}]`,
    `extends: ./evil.js`,
    `onLoad: ${yq(touchJs('onload'))}`,
    `envAccessors: ["process.mainModule.require('child_process').execSync('touch x')", "settings.env"]`,
    `environments: !!js/undefined ~`,
    `maxFileBytes: !!js/regexp /x/`,
    `oauth: { convention: !!python/object/apply:os.system [${yq(touchSh('python-tag'))}] }`,
    `services:`,
    `  x:`,
    `    root: ../../etc`,
    `  y:`,
    `    root: services/backend`,
    `    deploys: [/etc/passwd, ../outside.sh, deploy/ok.sh]`,
    `  z: /abs/path`,
    `__proto__: { polluted: true }`,
    `constructor: { prototype: { polluted: true } }`,
  ].join('\n') + '\n';
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  const { config, problems } = parseConfig(text, '.deploy-preflight.yaml');
  await new Promise((r) => setTimeout(r, 10)); // warnings are emitted on a later tick
  process.off('warning', onWarning);
  // The YAML library's warnings quote the file (and go to stderr, the server's log): none.
  assert.deepEqual(warnings, []);
  const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `${re} in:\n${problems.join('\n')}`);
  has(/unknown key "require" ignored/);
  has(/unknown key "plugins" ignored/);
  has(/unknown key "extends" ignored/);
  has(/unknown key "onLoad" ignored/);
  has(/services\.x\.root "\.\.\/\.\.\/etc" is outside the workspace: refused/);
  has(/services\.y\.deploys "\/etc\/passwd" is outside the workspace: refused/);
  has(/services\.y\.deploys "\.\.\/outside\.sh" is outside the workspace: refused/);
  has(/services\.z\.root "\/abs\/path" is outside the workspace: refused/);
  assert.equal(config.services.x, undefined);
  assert.deepEqual(config.services.y.deploys, ['deploy/ok.sh']);
  assert.deepEqual(config.envAccessors, ['settings.env'], 'only dotted call shapes are accepted');
  assert.equal(typeof config.maxFileBytes, 'number');
  assert.deepEqual(config.rules, {});
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  // JSON configs too.
  const json = parseConfig('{"__proto__": {"polluted": 1}, "rules": {"__proto__": "off", "constructor": "off"}, "require": "./evil.js"}', '.deploy-preflight.json');
  assert.ok(json.problems.some((p) => /unknown key "require"/.test(p)));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assertNothingRan();
});

test('paths stay inside the workspace: --config outside and config roots outside are refused with a message', async () => {
  const root = hostileWorkspace('paths');
  const outside = path.join(tmp, 'outside.yaml');
  fs.writeFileSync(outside, 'rules:\n  env-unset-for-deploy: off\n');
  // --config is read from the current directory; a file outside the workspace is refused, and
  // the refusal is a configuration error: exit 2 (even with --exit-zero), nothing analysed, nothing
  // of the outside file read or applied.
  for (const arg of [path.join(root, '..', 'outside.yaml'), outside, '../../../../../etc/passwd']) {
    const r = await cli([root, '--config', arg, '--format', 'json', '--exit-zero']);
    assert.equal(r.code, 2, r.err);
    const errors = JSON.parse(r.out).configErrors as { file: string; message: string }[];
    assert.ok(errors.some((n) => /is outside the workspace: refused/.test(n.message)), `${arg}: ${JSON.stringify(errors)}`);
    assert.ok(!errors.some((n) => /symlink/.test(n.message)), 'it is not a symlink');
    assert.match(r.err, /is outside the workspace: refused/);
    assert.deepEqual(JSON.parse(r.out).findings, []);
  }
  const r = await cli([root, '--config', outside, '--no-color', '--exit-zero']);
  assert.match(r.out, /outside the workspace: refused/, 'stylish output says so too');
  fs.writeFileSync(path.join(root, '.deploy-preflight.yaml'), 'services:\n  etc:\n    root: ../../etc\n    deploys: [../../../tmp/x.sh]\n');
  const r2 = await cli([root, '--format', 'json', '--exit-zero']);
  assert.equal(r2.code, 2);
  const notices = JSON.parse(r2.out).configErrors as { message: string }[];
  assert.ok(notices.some((n) => /services\.etc\.root "\.\.\/\.\.\/etc" is outside the workspace: refused/.test(n.message)), JSON.stringify(notices));
  const ex = await cli([root, '--explain']);
  assert.equal(ex.code, 2, 'explain stops on the configuration error too');
  assert.ok(!/^ {2}etc {2}/m.test(ex.out), 'no service rooted outside');
  assertNothingRan();
});

test('a config file that is a symlink to outside the workspace', async () => {
  const root = hostileWorkspace('config-link');
  const outside = path.join(tmp, 'linked-config.yaml');
  fs.writeFileSync(outside, 'rules:\n  env-unset-for-deploy: off\n');
  fs.symlinkSync(outside, path.join(root, '.deploy-preflight.yaml'));
  const r = await cli([root, '--format', 'json', '--exit-zero']);
  const out = JSON.parse(r.out) as { findings: { rule: string }[]; configErrors: { message: string }[] };
  assert.ok(out.configErrors.some((n) => /outside the workspace \(symlink\): refused/.test(n.message)), 'refused with a message');
  assert.equal(r.code, 2, 'a refused configuration stops the run');
  // The editor goes on without it: the outside settings are not applied.
  const ws = new Workspace(root);
  ws.loadConfig();
  assert.deepEqual(ws.config.rules, {});
});

test('nothing in the workspace is executed or required (CLI, every mode)', async () => {
  const root = hostileWorkspace('exec');
  const calls: string[] = [];
  const cp = childProcess as unknown as Record<string, unknown>;
  const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
  const saved = names.map((n) => [n, cp[n]] as const);
  for (const n of names) cp[n] = (...a: unknown[]) => { calls.push(`${n} ${String(a[0]).slice(0, 80)}`); throw new Error('child processes are not allowed in this test'); };
  const requiredBefore = new Set(Object.keys(require.cache));
  try {
    for (const args of [[root, '--format', 'json'], [root, '--explain'], [root, '--format', 'sarif'], [root, '--fix', '--format', 'json']]) {
      const r = await cli([...args, '--exit-zero']);
      assert.notEqual(r.code, 2, r.err);
    }
    const ws = new Workspace(root);
    await ws.loadAll();
    // The traps were looked at as data (so the test is not vacuous): their reads are facts.
    const reads = [...ws.files.values()].flatMap((e) => e.facts.reads.map((x) => x.name));
    assert.ok(reads.includes('SIDE_EFFECT_VAR') && reads.includes('SETUP_VERSION'), reads.join(','));
  } finally {
    for (const [n, f] of saved) cp[n] = f;
  }
  assert.deepEqual(calls, [], 'no child process was started');
  const loaded = Object.keys(require.cache).filter((k) => !requiredBefore.has(k) && k.startsWith(tmp));
  assert.deepEqual(loaded, [], 'no workspace module was required');
  assertNothingRan();
});

/** Replaces every way Node opens a connection or resolves a name with a recorder that throws. */
function blockNetwork(): { calls: string[]; restore: () => void } {
  const calls: string[] = [];
  const patches: [Record<string, unknown>, string][] = [
    [net.Socket.prototype as unknown as Record<string, unknown>, 'connect'],
    [net as unknown as Record<string, unknown>, 'connect'],
    [net as unknown as Record<string, unknown>, 'createConnection'],
    [tls as unknown as Record<string, unknown>, 'connect'],
    [http as unknown as Record<string, unknown>, 'request'],
    [http as unknown as Record<string, unknown>, 'get'],
    [https as unknown as Record<string, unknown>, 'request'],
    [https as unknown as Record<string, unknown>, 'get'],
    [dns as unknown as Record<string, unknown>, 'lookup'],
    [dns as unknown as Record<string, unknown>, 'resolve'],
    [dns as unknown as Record<string, unknown>, 'resolve4'],
    [dns.promises as unknown as Record<string, unknown>, 'lookup'],
    [dns.promises as unknown as Record<string, unknown>, 'resolve'],
    [dgram as unknown as Record<string, unknown>, 'createSocket'],
    [globalThis as unknown as Record<string, unknown>, 'fetch'],
  ];
  const saved = patches.map(([o, k]) => [o, k, o[k]] as const);
  for (const [o, k] of patches) {
    o[k] = function blocked(...a: unknown[]) {
      calls.push(`${k}(${JSON.stringify(a[0])?.slice(0, 80)})`);
      throw new Error(`network access (${k}) is not allowed during analysis`);
    };
  }
  return { calls, restore: () => { for (const [o, k, f] of saved) o[k] = f; } };
}

test('no network: analysis of the example and of the hostile workspace opens no socket and resolves no name', async () => {
  const root = hostileWorkspace('net');
  const { calls, restore } = blockNetwork();
  try {
    // The recorder works (else the assertion below would be vacuous).
    assert.throws(() => http.request('http://metadata.google.internal/'));
    assert.equal(calls.length, 1);
    calls.length = 0;
    for (const dir of [EXAMPLE, root]) {
      for (const format of ['json', 'sarif', 'github', 'stylish']) {
        const r = await cli([dir, '--format', format, '--no-color', '--exit-zero']);
        assert.equal(r.code, 0, r.err);
      }
      const r = await cli([dir, '--explain']);
      assert.equal(r.code, 0);
    }
  } finally {
    restore();
  }
  assert.deepEqual(calls, []);
  assertNothingRan();
});

test('no network and no execution in the language server either', async (t) => {
  if (!fs.existsSync(path.join(REPO, 'server', 'src', 'lsp', 'main.ts'))) {
    t.skip('no language server yet');
    return;
  }
  const { TestClient, ensureBuilt } = await import('../lsp/client');
  ensureBuilt();
  const root = hostileWorkspace('server');
  // A preload in the server process records any connection, name lookup or child process.
  const preload = path.join(tmp, 'no-network.js');
  fs.writeFileSync(preload, `
const record = (what) => function () { process.stderr.write('FORBIDDEN ' + what + '\\n'); throw new Error('forbidden: ' + what); };
const net = require('net'); net.Socket.prototype.connect = record('connect'); net.connect = net.createConnection = record('net.connect');
require('tls').connect = record('tls.connect');
for (const m of ['http', 'https']) { require(m).request = record(m + '.request'); require(m).get = record(m + '.get'); }
const dns = require('dns'); dns.lookup = record('dns.lookup'); dns.resolve = record('dns.resolve'); dns.promises.lookup = record('dns.promises.lookup');
require('dgram').createSocket = record('dgram');
globalThis.fetch = record('fetch');
const cp = require('child_process'); for (const n of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) cp[n] = record('child_process.' + n);
`);
  const savedOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${savedOptions ?? ''} --require ${JSON.stringify(preload)}`.trim();
  let client: InstanceType<typeof TestClient>;
  try {
    client = new TestClient();
  } finally {
    if (savedOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = savedOptions;
  }
  try {
    client.settings = { enable: true, scope: 'workspace', configFile: '../../../etc/passwd' };
    const uri = pathToFileURL(root).href;
    await client.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'hostile' }],
      initializationOptions: { settings: client.settings },
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: true } },
    });
    await client.conn.sendNotification('initialized', {});
    await client.waitFor('indexing', () => {
      const st = client.events.filter((e) => e.method === 'deployPreflight/status').map((e) => e.params as { indexing: boolean });
      return st.some((s) => s.indexing) && !st[st.length - 1].indexing;
    }, 60000);
    const evil = path.join(root, 'services/auth/src/side-effect.ts');
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(evil).href, languageId: 'typescript', version: 1, text: fs.readFileSync(evil, 'utf8') } });
    await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: pathToFileURL(evil).href }, position: { line: 3, character: 30 } });
    await client.conn.sendRequest('workspace/executeCommand', { command: 'deployPreflight.server.checkWorkspace', arguments: [] });
    assert.ok(client.diagnostics.size > 0, 'the server analysed the workspace');
    await client.conn.sendRequest('shutdown');
    await client.conn.sendNotification('exit');
    await Promise.race([client.exited, new Promise((r) => setTimeout(r, 3000))]);
  } finally {
    if (client.child.exitCode === null) client.child.kill();
  }
  assert.deepEqual(client.stderr.join('').split('\n').filter((l) => l.includes('FORBIDDEN')), []);
  assertNothingRan();
});
