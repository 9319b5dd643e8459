/**
 * The CLI contract from the design: formats, exit codes, paths relative to the repository root
 * (the example lies in this repository, so its paths start with examples/staging-audit/),
 * SARIF 2.1.0 valid against the published schema, --explain, --fix on a copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { main } from '../../server/src/cli/main';
import { RULES, UNUSED_SUPPRESSION } from '../../server/src/rules/registry';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'staging-audit');
/** The example's path from the repository root: report paths start with it. */
const P = 'examples/staging-audit/';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

function copyExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-cli-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

test('stylish output lists findings grouped by file and exits 1 when there are errors', async () => {
  const r = await run([EXAMPLE, '--no-color']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^examples\/staging-audit\/scripts\/deploy_to_gcp\.py$/m);
  assert.match(r.out, /^\d+ files checked in \d+\.\d s \(examples\/staging-audit\)$/m, 'the summary line');
  assert.match(r.out, /gcp-project-id-unwired/);
  assert.match(r.out, /✖ \d+ problems \(\d+ errors, \d+ warnings/);
  assert.doesNotMatch(r.out, /\x1b\[/, '--no-color leaves no escape codes');
});

test('--exit-zero prints the findings and exits 0 (npm start relies on it)', async () => {
  const r = await run([EXAMPLE, '--no-color', '--exit-zero']);
  assert.equal(r.code, 0);
  assert.match(r.out, /error/);
});

test('json follows the documented shape with 1-based positions and relative paths', async () => {
  const r = await run([EXAMPLE, '--format', 'json']);
  const doc = JSON.parse(r.out);
  assert.equal(doc.version, 1);
  assert.ok(doc.findings.length > 5);
  for (const f of doc.findings) {
    assert.deepEqual(Object.keys(f).slice(0, 7), ['rule', 'severity', 'file', 'range', 'message', 'related', 'fixes']);
    assert.ok(!path.isAbsolute(f.file) && !f.file.startsWith('..'), f.file);
    assert.ok(f.range.start.line >= 1 && f.range.start.column >= 1);
  }
  const unwired = doc.findings.find((f: { rule: string; file: string }) => f.rule === 'gcp-project-id-unwired' && f.file === `${P}scripts/deploy_to_gcp.py`);
  assert.ok(unwired, 'the audit finding is in the JSON');
  assert.ok(unwired.related.some((r: { file: string }) => r.file === `${P}services/backend/app/config/secrets.py`));
  assert.equal(doc.summary.workspace, 'examples/staging-audit');
  assert.ok(doc.summary.filesChecked > 10);
  assert.ok(unwired.fixes.length > 0 && unwired.fixes[0].edits[0].text.includes('GCP_PROJECT_ID'));
});

/** SARIF's level for each severity: `info` has no SARIF counterpart and is a note. */
const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

test('sarif is valid SARIF 2.1.0 and lists every rule', async () => {
  const r = await run([EXAMPLE, '--format', 'sarif']);
  const log = JSON.parse(r.out) as { runs: any[] };
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  // The published schema has a pattern that is invalid under the `u` flag; ajv's default.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const run0 = log.runs[0];
  const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
  for (const rule of RULES) assert.ok(ids.includes(rule.meta.id), `rule ${rule.meta.id} listed`);
  // Each rule's default level follows its default severity (one rule of each severity exists).
  for (const meta of [...RULES.map((x) => x.meta), UNUSED_SUPPRESSION]) {
    const listed = run0.tool.driver.rules.find((x: { id: string }) => x.id === meta.id);
    assert.equal(listed.defaultConfiguration.level, SARIF_LEVEL[meta.defaultSeverity], `${meta.id} (${meta.defaultSeverity})`);
  }
  assert.deepEqual(new Set([...RULES.map((x) => x.meta), UNUSED_SUPPRESSION].map((m) => m.defaultSeverity)), new Set(['error', 'warning', 'info']));
  assert.ok(run0.results.length > 5);
  // Result by result against the JSON format of the same run: level, place, fingerprint and
  // related locations carry over.
  const findings = JSON.parse((await run([EXAMPLE, '--format', 'json'])).out).findings;
  assert.equal(run0.results.length, findings.length);
  assert.deepEqual(new Set(findings.map((f: { severity: string }) => f.severity)), new Set(['error', 'warning', 'info']), 'the example has every severity');
  run0.results.forEach((res: any, i: number) => {
    const f = findings[i];
    assert.equal(res.ruleId, f.rule);
    assert.ok(ids.includes(res.ruleId));
    assert.equal(res.level, SARIF_LEVEL[f.severity], `${f.rule} ${f.file}:${f.range.start.line} is ${f.severity}`);
    // The message, then links to the related locations ("See [the read](1).").
    assert.ok(res.message.text.startsWith(f.message.replace(/[\\[\]]/g, (c: string) => `\\${c}`)), res.message.text);
    f.related.forEach((_: unknown, k: number) => assert.ok(res.message.text.includes(`](${k + 1})`), `link to related location ${k + 1}`));
    const loc = res.locations[0].physicalLocation;
    assert.ok(!loc.artifactLocation.uri.startsWith('/') && !loc.artifactLocation.uri.includes('\\'));
    assert.equal(loc.artifactLocation.uri, f.file);
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    assert.deepEqual([loc.region.startLine, loc.region.startColumn], [f.range.start.line, f.range.start.column]);
    assert.match(res.partialFingerprints['deployPreflight/v1'], /^[0-9a-f]{32}$/);
    assert.equal(res.partialFingerprints['deployPreflight/v1'], f.fingerprint);
    assert.deepEqual(
      res.relatedLocations.map((x: any) => [x.physicalLocation.artifactLocation.uri, x.physicalLocation.region.startLine, x.message.text]),
      f.related.map((x: any) => [x.file, x.range.start.line, x.message]),
    );
  });
  assert.ok(run0.results.some((x: { relatedLocations: unknown[] }) => x.relatedLocations.length > 0));
  assert.equal(new Set(run0.results.map((x: any) => x.partialFingerprints['deployPreflight/v1'])).size, run0.results.length, 'fingerprints are distinct');
});

test('github format emits workflow annotations', async () => {
  const r = await run([EXAMPLE, '--format', 'github']);
  const lines = r.out.trim().split('\n');
  assert.ok(lines.some((l) => /^::error file=examples\/staging-audit\/scripts\/deploy_to_gcp\.py,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=gcp-project-id-unwired::/.test(l)), lines.slice(0, 3).join('\n'));
});

test('fingerprints are stable when lines move', async () => {
  const dir = copyExample();
  const before = JSON.parse((await run([dir, '--format', 'json'])).out).findings;
  const file = path.join(dir, 'scripts', 'deploy_to_gcp.py');
  fs.writeFileSync(file, '# a comment line pushed everything down\n' + fs.readFileSync(file, 'utf8'));
  const after = JSON.parse((await run([dir, '--format', 'json'])).out).findings;
  const key = (f: { rule: string; file: string; fingerprint: string }) => `${f.rule} ${f.file} ${f.fingerprint}`;
  assert.deepEqual(after.map(key).sort(), before.map(key).sort());
  const moved = after.find((f: { file: string }) => f.file === 'scripts/deploy_to_gcp.py');
  const orig = before.find((f: { fingerprint: string }) => f.fingerprint === moved.fingerprint);
  assert.equal(moved.range.start.line, orig.range.start.line + 1);
});

test('exit codes: --max-warnings, bad usage and missing paths', async () => {
  const clean = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-clean-'));
  fs.writeFileSync(path.join(clean, 'app.py'), 'import os\nport = os.environ.get("PORT", "8080")\n');
  assert.equal((await run([clean])).code, 0);
  assert.equal((await run([clean, '--max-warnings', '0'])).code, 0);
  const warnOnly = copyExample();
  const cfg = 'rules:\n' + RULES.map((r) => `  ${r.meta.id}: warning\n`).join('');
  fs.writeFileSync(path.join(warnOnly, '.deploy-preflight.yaml'), cfg);
  assert.equal((await run([warnOnly])).code, 0, 'warnings only, no limit');
  assert.equal((await run([warnOnly, '--max-warnings', '1000'])).code, 0);
  assert.equal((await run([warnOnly, '--max-warnings', '2'])).code, 1);
  const bad = await run([clean, '--format', 'xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown format "xml"/);
  assert.equal((await run([clean, '--bogus'])).code, 2);
  assert.equal((await run([path.join(clean, 'missing')])).code, 2);
});

test('a file path narrows the report but analysis still sees the whole workspace', async () => {
  const r = await run([EXAMPLE, path.join(EXAMPLE, 'services/backend/app/config/secrets.py'), '--format', 'json']);
  const doc = JSON.parse(r.out);
  assert.ok(doc.findings.length > 0);
  assert.ok(doc.findings.every((f: { file: string }) => f.file === `${P}services/backend/app/config/secrets.py`));
  // The gate in the code is judged against the deploy, another file (its related location).
  assert.ok(doc.findings.some((f: { rule: string; related?: { file: string }[] }) => f.rule === 'secret-manager-gate' && f.related?.some((r) => r.file === `${P}scripts/deploy_to_gcp.py`)), 'cross-file finding in the code');
});

test('--explain shows services, environments and targets with evidence', async () => {
  const r = await run([EXAMPLE, '--explain']);
  assert.equal(r.code, 0);
  for (const s of ['backend  services/backend', 'auth  services/auth', 'worker  services/worker']) assert.ok(r.out.includes(s), s);
  assert.match(r.out, /backend @ staging\n\s+deploy scripts\/deploy_to_gcp\.py via python/);
  assert.match(r.out, /auth @ staging\n\s+deploy deploy\/deploy-auth-staging\.sh via shell/);
  assert.match(r.out, /auth @ production\n\s+deploy cloudbuild-production\.yaml via cloudbuild/);
  assert.match(r.out, /backend @ production\n\s+deploy deploy\/backend-production\.yaml via knative/);
  assert.match(r.out, /worker @ staging\n\s+deploy \.github\/workflows\/deploy-worker\.yml via github-actions/);
  assert.match(r.out, /because source "services\/backend" is services\/backend/);
  assert.match(r.out, /partial: .*--update-env-vars/);
});

test('--fix on a copy applies safe fixes, leaves the rest, and a second --fix changes nothing', async () => {
  const dir = copyExample();
  const before = JSON.parse((await run([dir, '--format', 'json'])).out).findings;
  const fixable = before.filter((f: { fixes: { safe: boolean }[] }) => f.fixes.some((x) => x.safe));
  assert.ok(fixable.length >= 3, 'the example has safe fixes');
  const first = await run([dir, '--fix', '--no-color']);
  assert.match(first.out, /fixed: scripts\/deploy_to_gcp\.py/);
  const after = JSON.parse((await run([dir, '--format', 'json'])).out).findings;
  const stillSafe = after.filter((f: { fixes: { safe: boolean }[] }) => f.fixes.some((x) => x.safe));
  assert.deepEqual(stillSafe.map((f: { rule: string; file: string }) => `${f.rule} ${f.file}`), [], 'only findings without a safe fix remain');
  assert.ok(after.length < before.length);
  const snapshot = (d: string) => fs.readdirSync(d, { recursive: true }).map(String).filter((p) => fs.statSync(path.join(d, p)).isFile()).sort().map((p) => p + '\0' + fs.readFileSync(path.join(d, p), 'utf8'));
  const s1 = snapshot(dir);
  const second = await run([dir, '--fix', '--no-color']);
  assert.match(second.out, /fixed: nothing to change/);
  assert.deepEqual(snapshot(dir), s1, 'second --fix is a no-op');
  assert.ok(!fs.readdirSync(dir, { recursive: true }).map(String).some((p) => p.includes('.deploy-preflight-')), 'no temp files left');
});
