/**
 * The package as users get it, end to end: from a clean clone (the repository's files, no dist/),
 * `npm pack` builds and packs; the tarball is small, holds only what runs, and needs no
 * dependencies; installed into an empty prefix (globally), as a devDependency (run with npx) and by
 * the GitHub Action (npm exec), `deploy-preflight` runs on a repository from its root: SARIF valid
 * and complete for GitHub code scanning, annotations on the files as the checkout names them, a bad
 * configuration exiting 2. The pre-commit hook's entry runs the way pre-commit runs it.
 *
 * Takes about 30 s of CPU (most of it the release build and npm's own work). The wall time is
 * the pack, then the longest chain after it: every use of the tarball goes side by side, and so
 * does every run within a use (each on its own copy of the repository), since on a busy machine
 * more runnable processes get more of it. The rule catalog (the engine, through tsx) loads while
 * the pack runs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { cleanEnv, preCommitHooks, runCompositeAction, runPreCommitHook, runProcess } from './runners';

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(REPO, 'test', 'cli', 'fixtures', 'ledger');
const MB = 1024 * 1024;
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

let tmp: string;
let env: Record<string, string>;

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-pack-')));
  // npm's cache in the temp dir; offline: the package must install from its tarball alone.
  env = cleanEnv({ npm_config_cache: path.join(tmp, 'npm-cache'), npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) => runProcess(cmd, args, { cwd, env: { ...env, ...extraEnv } });

/** The repository's files as a fresh clone has them (tracked and not ignored: no dist/, no
 * node_modules), with node_modules linked in as `npm ci` would have filled it. */
function cleanClone(dest: string): void {
  const ls = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  const skip = /^(node_modules|dist|\.e2e-cache|\.git)(\/|$)|\.vsix$/;
  const files = ls.status === 0
    ? ls.stdout.split('\0').filter(Boolean)
    : (fs.readdirSync(REPO, { recursive: true }) as string[]).filter((f) => !skip.test(f) && fs.statSync(path.join(REPO, f)).isFile());
  for (const f of files) {
    const from = path.join(REPO, f);
    if (!fs.existsSync(from) || skip.test(f)) continue;
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, f));
    fs.chmodSync(path.join(dest, f), fs.statSync(from).mode);
  }
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

/** A repository (git init when git is there) with the fixture's deploy and service under infra/.
 * Each subtest has its own, so they can run side by side. */
function fixtureRepository(dest: string): string {
  fs.mkdirSync(dest, { recursive: true });
  if (spawnSync('git', ['init', '-q', dest]).status !== 0) fs.mkdirSync(path.join(dest, '.git'));
  fs.cpSync(FIXTURE, path.join(dest, 'infra'), { recursive: true });
  fs.writeFileSync(path.join(dest, 'README.md'), '# ledger\n');
  return dest;
}

function du(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? du(path.join(dir, e.name)) : fs.lstatSync(path.join(dir, e.name)).size;
  return n;
}

function validateSarif(log: unknown): string | undefined {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(log) ? undefined : JSON.stringify(validate.errors?.slice(0, 5), null, 2);
}

/** Everything GitHub code scanning shows: rule help and metadata, results with locations under
 * %SRCROOT%, fingerprints, the invocation. */
function assertCompleteForGitHub(log: any, repo: string, ruleIds: string[]): void {
  const r = log.runs[0];
  assert.equal(r.originalUriBaseIds['%SRCROOT%'].uri, `file://${repo}/`);
  assert.equal(r.automationDetails.id, 'deploy-preflight/infra/');
  assert.equal(r.invocations[0].executionSuccessful, true);
  const rules = r.tool.driver.rules;
  assert.deepEqual(rules.map((x: { id: string }) => x.id), ruleIds);
  for (const rule of rules) {
    assert.ok(rule.shortDescription.text && rule.fullDescription.text, rule.id);
    assert.ok(rule.help.text.length > 200 && rule.help.markdown.startsWith(`# ${rule.id}`), rule.id);
    assert.match(rule.helpUri, /^https:\/\//);
    assert.ok(rule.properties.tags.length > 0 && rule.properties.precision && rule.properties['problem.severity'], rule.id);
  }
  assert.ok(r.results.length > 0);
  for (const res of r.results) {
    assert.ok(rules[res.ruleIndex].id === res.ruleId);
    const loc = res.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.ok(fs.existsSync(path.join(repo, decodeURIComponent(loc.artifactLocation.uri))), loc.artifactLocation.uri);
    assert.ok(loc.region.startLine >= 1);
    assert.match(res.partialFingerprints['deployPreflight/v1'], /^[0-9a-f]{32}$/);
  }
}

test('npm pack from a clean clone → install → run on a repository, as CI and pre-commit do', { timeout: 175_000, concurrency: true }, async (t) => {
  const t0 = Date.now();
  const took = (name: string, since: number) => console.log(`  ${name}: ${((Date.now() - since) / 1000).toFixed(1)} s (${((Date.now() - t0) / 1000).toFixed(1)} s from the start)`);
  const clone = path.join(tmp, 'clone');
  cleanClone(clone);
  assert.ok(!fs.existsSync(path.join(clone, 'dist')), 'a clean clone has no dist/');

  // ---- pack -------------------------------------------------------------------------------
  const packing = run('npm', ['pack', '--json', '--pack-destination', tmp], clone);
  // Meanwhile (this process is idle while npm builds): the rule ids every check compares with.
  const ruleIds = (await import('../../server/src/engine/analysis')).ruleCatalog().map((r) => r.id);
  const packed = await packing;
  assert.equal(packed.code, 0, packed.stderr);
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) [0] as { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
  const tgz = path.join(tmp, info.filename);
  console.log(`npm pack (with the release build): ${((Date.now() - t0) / 1000).toFixed(1)} s; tarball ${(info.size / MB).toFixed(2)} MB, unpacked ${(info.unpackedSize / MB).toFixed(1)} MB, ${info.files.length} files`);

  const prefix = path.join(tmp, 'prefix');
  const bin = path.join(prefix, 'bin');
  const pkgDir = path.join(prefix, 'lib', 'node_modules', 'deploy-preflight');
  const cli = (args: string[], cwd: string) => run(path.join(bin, 'deploy-preflight'), args, cwd);

  // The tarball's checks, the publish dry run and the global install run side by side; every use
  // of the installed package then runs side by side too, each on its own copy of the repository.
  const tarball = t.test('the tarball: small, only what runs, no dependencies to download', () => {
    assert.ok(info.size <= 6 * MB, `tarball ${info.size} bytes`);
    assert.ok(info.unpackedSize <= 40 * MB, `unpacked ${info.unpackedSize} bytes`);
    const files = info.files.map((f) => f.path).sort();
    const expected = [
      'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json',
      'dist/cli.js', 'dist/cli-main.js', 'dist/server.js', 'dist/server-main.js', 'dist/parsing.js', 'dist/THIRD-PARTY-NOTICES.txt',
      'dist/tree-sitter-bash.wasm', 'dist/tree-sitter-powershell.wasm', 'dist/tree-sitter-python.wasm', 'dist/tree-sitter-terraform.wasm', 'dist/web-tree-sitter.wasm',
      ...ruleIds.map((id) => `dist/docs/rules/${id}.md`),
      'schemas/deploy-preflight.schema.json',
    ].sort();
    assert.deepEqual(files, expected);
    assert.equal(manifest.dependencies, undefined, 'every runtime dependency is bundled');
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.bin, { 'deploy-preflight': 'dist/cli.js', 'deploy-preflight-language-server': 'dist/server.js' });
  });

  const publish = t.test('npm publish --dry-run is clean', async () => {
    const since = Date.now();
    // The tarball itself, as `npm publish <tarball>` would upload it (no second pack).
    const r = await run('npm', ['publish', '--dry-run', '--ignore-scripts', tgz], tmp);
    assert.equal(r.code, 0, r.stderr);
    // Only the dry run's own remark about credentials may warn.
    const warnings = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /npm (warn|WARN|ERR)/.test(l) && !/logged in|dry-run/.test(l));
    assert.deepEqual(warnings, []);
    took('publish --dry-run', since);
  });

  // The global install is what the CLI and pre-commit cases run; they wait for it, not for its checks.
  const sinceInstall = Date.now();
  const globalInstall = run('npm', ['install', '-g', '--prefix', prefix, tgz], tmp).then((r) => {
    took('install -g', sinceInstall);
    return r;
  });
  const installed = t.test('installed globally into an empty prefix: ≤ 40 MB, nothing but itself, both commands on PATH', async () => {
    const r = await globalInstall;
    assert.equal(r.code, 0, r.stderr);
    const size = du(pkgDir);
    console.log(`installed: ${(size / MB).toFixed(1)} MB`);
    assert.ok(size <= 40 * MB, `${size} bytes`);
    assert.ok(!fs.existsSync(path.join(pkgDir, 'node_modules')), 'no dependencies installed');
    assert.ok(!fs.readdirSync(prefix, { recursive: true }).map(String).some((f) => f.endsWith('.map')), 'no source maps');
    const [version, ls] = await Promise.all([cli(['--version'], tmp), run(path.join(bin, 'deploy-preflight-language-server'), ['--help'], tmp)]);
    assert.equal(version.stdout.trim(), manifest.version);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^Usage: deploy-preflight-language-server/m);
  });

  const devDependency = t.test('as a devDependency, run with npx', async () => {
    const since = Date.now();
    const repo = fixtureRepository(path.join(tmp, 'repo-npx'));
    const project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'project', version: '1.0.0', private: true }));
    const r = await run('npm', ['install', '--save-dev', tgz], project);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')).devDependencies['deploy-preflight']);
    const onRepo = await run('npx', ['deploy-preflight', repo, '--format', 'json'], project);
    assert.equal(onRepo.code, 1, onRepo.stderr);
    assert.ok(JSON.parse(onRepo.stdout).findings.some((f: { file: string }) => f.file === 'infra/cloudbuild.staging.yaml'));
    took('devDependency + npx', since);
  });

  const actionFile = fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8');
  const actionDefinition = t.test('the GitHub Action (action.yml): inputs reach the scripts through env, the version is this release', () => {
    assert.ok(!/run:[^\n]*\$\{\{/.test(actionFile), 'no expression inside a run script (inputs go through env)');
    assert.match(actionFile, new RegExp(`version:[\\s\\S]*?default: '${manifest.version.replace(/\./g, '\\.')}'`), 'the action runs the release it ships with');
  });
  /** A run of the composite action on its own repository copy, scratch dir and npm cache (two
   * `npm exec` installing into one cache's _npx folder at once would race). */
  const runAction = (name: string, inputs: Record<string, string>) => {
    const repo = fixtureRepository(path.join(tmp, `repo-${name}`));
    const scratch = path.join(tmp, name);
    fs.mkdirSync(scratch);
    return runCompositeAction(REPO, repo, inputs, { ...env, npm_config_cache: path.join(tmp, `npm-cache-${name}`) }, scratch).then((r) => ({ ...r, repo }));
  };
  const action = t.test('the GitHub Action, its steps run as the runner runs them: SARIF and annotations', async () => {
    const since = Date.now();
    const both = await runAction('action', { paths: 'infra', version: tgz });
    const { repo } = both;
    const step = both.steps[0];
    assert.equal(step.code, 1, step.stderr);
    assert.equal(both.outputs['exit-code'], '1');
    assert.equal(both.outputs['sarif-file'], path.join(repo, 'deploy-preflight.sarif'));
    const log = JSON.parse(fs.readFileSync(both.outputs['sarif-file'], 'utf8'));
    assert.equal(validateSarif(log), undefined);
    assertCompleteForGitHub(log, repo, ruleIds);
    assert.match(step.stdout, /^::error file=infra\/cloudbuild\.staging\.yaml,line=\d+/m, 'annotations on the pull request');
    took('action (SARIF and annotations)', since);
  });
  const actionQuiet = t.test('the GitHub Action in a subfolder, SARIF only, never failing: paths still from the repository root', async () => {
    const since = Date.now();
    const quiet = await runAction('action-quiet', { 'working-directory': 'infra', paths: '.', format: 'sarif', 'fail-on': 'never', version: tgz });
    assert.equal(quiet.steps[0].code, 0, quiet.steps[0].stderr);
    assert.equal(quiet.outputs['sarif-file'], path.join(quiet.repo, 'infra', 'deploy-preflight.sarif'));
    assert.ok(!fs.existsSync(path.join(quiet.repo, 'deploy-preflight.sarif')), 'no SARIF file at the root');
    assert.ok(!/^::/m.test(quiet.steps[0].stdout), 'no annotations asked for');
    assert.ok(JSON.parse(fs.readFileSync(quiet.outputs['sarif-file'], 'utf8')).runs[0].results.some((x: any) => x.locations[0].physicalLocation.artifactLocation.uri === 'infra/cloudbuild.staging.yaml'),
      'paths from the repository root even when run in a subfolder');
    took('action (subfolder, SARIF only)', since);
  });

  // The global install's users start as soon as it is there (not after its checks or the publish dry run).
  await globalInstall;

  const fromRoot = t.test('from the repository root: SARIF valid and complete for GitHub, annotations on the right files', async () => {
    const repo = fixtureRepository(path.join(tmp, 'repo-cli'));
    const r = await cli(['infra', '--format', 'sarif', '-o', 'deploy-preflight.sarif', '--format', 'github'], repo);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^deploy-preflight: \d+ problems? \(.*\); \d+ files checked in \d+\.\d s$/m);
    const log = JSON.parse(fs.readFileSync(path.join(repo, 'deploy-preflight.sarif'), 'utf8'));
    assert.equal(validateSarif(log), undefined);
    assertCompleteForGitHub(log, repo, ruleIds);
    const annotated = [...r.stdout.matchAll(/^::(?:error|warning|notice) file=([^,]+),line=\d+/gm)].map((m) => m[1]);
    assert.ok(annotated.includes('infra/cloudbuild.staging.yaml'), r.stdout);
    for (const f of annotated) assert.ok(fs.existsSync(path.join(repo, f)), `${f} is a file of the checkout`);
  });

  const badConfig = t.test('from the repository root, a bad configuration exits 2 naming the file from the root, the line and the rule meant', async () => {
    const repo = fixtureRepository(path.join(tmp, 'repo-cli-bad'));
    fs.writeFileSync(path.join(repo, 'infra', '.deploy-preflight.yaml'), 'rules:\n  env-unset-for-deploi: warning\n');
    const bad = await cli(['infra', '--format', 'github'], repo);
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /^::error file=infra\/\.deploy-preflight\.yaml,line=2,col=3,title=deploy-preflight configuration::unknown rule "env-unset-for-deploi" \(did you mean "env-unset-for-deploy"\?\)$/m);
    assert.match(bad.stderr, /infra\/\.deploy-preflight\.yaml:2:3: unknown rule/);
  });

  const h = preCommitHooks(REPO).find((x) => x.id === 'deploy-preflight')!;
  const hookDefinition = t.test('the pre-commit hook: offered, node, the whole repository at once, triggered by deploy and code files', () => {
    assert.ok(h, 'the hook is offered');
    assert.equal(h.language, 'node');
    assert.equal(h.pass_filenames, false, 'cross-file findings need the whole repository');
    assert.equal(h.require_serial, true);
    const files = new RegExp(h.files!);
    for (const f of ['infra/cloudbuild.staging.yaml', 'infra/services/ledger/app/main.py', '.env.staging', 'deploy.sh', 'web/src/env.ts', 'Dockerfile', 'requirements.txt']) assert.ok(files.test(f), `${f} triggers the hook`);
    for (const f of ['README.md', 'logo.png', 'docs/guide.txt']) assert.ok(!files.test(f), `${f} does not`);
  });

  const hook = t.test('the pre-commit hook, run as pre-commit runs it: findings exit 1', async () => {
    const repo = fixtureRepository(path.join(tmp, 'repo-hook'));
    const r = await runPreCommitHook(h, repo, bin, env, ['infra/cloudbuild.staging.yaml']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^infra\/cloudbuild\.staging\.yaml$/m);
  });

  const hookBad = t.test('the pre-commit hook on a bad configuration exits 2', async () => {
    const repo = fixtureRepository(path.join(tmp, 'repo-hook-bad'));
    fs.writeFileSync(path.join(repo, '.deploy-preflight.yaml'), 'rulez: {}\n');
    const bad = await runPreCommitHook(h, repo, bin, env);
    assert.equal(bad.code, 2);
  });

  await Promise.all([tarball, publish, installed, fromRoot, badConfig, hookDefinition, hook, hookBad, devDependency, actionDefinition, action, actionQuiet]);
  console.log(`pack test: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
