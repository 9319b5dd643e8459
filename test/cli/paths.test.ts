/**
 * Report paths start at the repository root (the git top level), else at the working directory:
 * `deploy-preflight infra --format github` annotates `infra/cloudbuild.staging.yaml`, the path a CI
 * system resolves against the checkout. Every format agrees, and so does every path inside a
 * report (related locations, fix edits, notices, configuration errors).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, fixtureRepo, tempDir, type JsonReport } from './helpers';
import { gitTopLevel, reportBase, ReportPaths } from '../../server/src/cli/report-root';

const DEPLOY = 'cloudbuild.staging.yaml';
const CODE = 'services/ledger/app/main.py';

test('a workspace below the repository root: every format names files from the root', async () => {
  const repo = fixtureRepo('infra-repo', { under: 'infra' });
  const json = JSON.parse((await cli(['infra', '--format', 'json'], { cwd: repo })).out) as JsonReport;
  assert.ok(json.findings.length > 0);
  const files = new Set(json.findings.flatMap((f) => [f.file, ...f.related.map((r) => r.file), ...f.fixes.flatMap((x) => x.edits.map((e) => e.file))]));
  assert.ok([...files].every((f) => f.startsWith('infra/')), [...files].join(', '));
  assert.ok(files.has(`infra/${DEPLOY}`) && files.has(`infra/${CODE}`), [...files].join(', '));
  assert.equal(json.summary.workspace, 'infra');

  const github = (await cli(['infra', '--format', 'github'], { cwd: repo })).out;
  assert.match(github, new RegExp(`^::error file=infra/${DEPLOY.replace(/\./g, '\\.')},line=\\d+`, 'm'));
  assert.ok(!/file=(cloudbuild|services)/.test(github), github);

  const stylish = (await cli(['infra', '--no-color'], { cwd: repo })).out;
  assert.match(stylish, new RegExp(`^infra/${DEPLOY.replace(/\./g, '\\.')}$`, 'm'));

  const sarif = JSON.parse((await cli(['infra', '--format', 'sarif'], { cwd: repo })).out);
  const run = sarif.runs[0];
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${repo}/`);
  const uris = run.results.flatMap((r: any) => [...r.locations, ...r.relatedLocations].map((l: any) => l.physicalLocation.artifactLocation));
  assert.ok(uris.every((a: any) => a.uriBaseId === '%SRCROOT%' && a.uri.startsWith('infra/')), JSON.stringify(uris));
  assert.equal(run.automationDetails.id, 'deploy-preflight/infra/');
});

test('run from a subfolder, the repository root is still the base; outside a repository, the working directory', async () => {
  const repo = fixtureRepo('sub-repo');
  const fromSub = JSON.parse((await cli(['..', '--format', 'json'], { cwd: path.join(repo, 'services') })).out) as JsonReport;
  assert.ok(fromSub.findings.some((f) => f.file === DEPLOY), JSON.stringify(fromSub.findings.map((f) => f.file)));

  const plain = fixtureRepo('no-git/project', { git: false });
  const parent = path.dirname(plain);
  const fromParent = JSON.parse((await cli(['project', '--format', 'json'], { cwd: parent })).out) as JsonReport;
  assert.ok(fromParent.findings.some((f) => f.file === `project/${DEPLOY}`), 'relative to the working directory');
  // A workspace outside the working directory (and outside any repository): its own root, never `../`.
  const elsewhere = JSON.parse((await cli([plain, '--format', 'json'], { cwd: path.join(tempDir(), 'sub-repo') })).out) as JsonReport;
  assert.ok(elsewhere.findings.every((f) => !f.file.startsWith('..')) && elsewhere.findings.some((f) => f.file === DEPLOY));
});

test('a file given alone: the repository holding it is the workspace, and the report is its file', async () => {
  const repo = fixtureRepo('file-alone');
  // The deploy file given alone: its finding relates the read in the code, so the code was analysed too.
  const r = await cli([path.join(repo, DEPLOY), '--format', 'json'], { cwd: path.join(repo, 'services') });
  const json = JSON.parse(r.out) as JsonReport;
  assert.ok(json.findings.some((f) => f.related.some((x) => x.file === CODE)), 'the cross-file finding names the read: the code was analysed too');
  assert.ok(json.findings.every((f) => f.file === DEPLOY));
});

test('--fix names the files it changed from the repository root', async () => {
  // The example has safe fixes (its Python deploy script gains GCP_PROJECT_ID).
  const repo = path.join(tempDir(), 'fix-paths');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.cpSync(path.join(__dirname, '..', '..', 'examples', 'staging-audit'), path.join(repo, 'infra'), { recursive: true });
  const r = await cli(['infra', '--fix', '--no-color'], { cwd: repo });
  assert.match(r.out, /^fixed: infra\/scripts\/deploy_to_gcp\.py \(\d+ edits?\)$/m, r.out);
  assert.ok(!/^fixed: (?!infra\/)/m.test(r.out), r.out);
});

test('the report base: .git as a folder or a file (worktrees, submodules), searched upwards', () => {
  const root = path.join(tempDir(), 'bases');
  fs.mkdirSync(path.join(root, 'wt', 'a', 'b'), { recursive: true });
  fs.writeFileSync(path.join(root, 'wt', '.git'), 'gitdir: /elsewhere/.git/worktrees/wt\n');
  assert.equal(gitTopLevel(path.join(root, 'wt', 'a', 'b')), path.join(root, 'wt'));
  assert.equal(reportBase(path.join(root, 'wt', 'a'), '/'), path.join(root, 'wt'));
  const paths = new ReportPaths(path.join(root, 'wt'), path.join(root, 'wt', 'a'));
  assert.equal(paths.file('x/y.sh'), 'a/x/y.sh');
  assert.equal(paths.file('.'), 'a');
  assert.equal(new ReportPaths(root, root).file('x.sh'), 'x.sh');
});
