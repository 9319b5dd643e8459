/**
 * Fixes never lose data. A property test over every fix the rules produce on the example, on
 * variants of it (CRLF line endings, no final newline) and on a few fuzz-derived inputs:
 * applying a fix keeps the file parseable by the same parser (no new syntax errors, no new
 * extraction problems), changes only the fix's range, makes the targeted finding go away, is not
 * offered again (applying again changes nothing), keeps comments elsewhere, and preserves line
 * endings and the final newline. And `--fix` writes atomically (temp file + rename in the same
 * folder, mode and BOM kept) and never touches a file that changed since it was analysed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import fs = require('node:fs');
import { parseAllDocuments } from 'yaml';
import { ts } from 'ts-morph';
import { ready } from '../helpers';
import { analyze, type Files } from '../rule-harness';
import { applyEdits, writeEdits } from '../../server/src/engine/apply-fixes';
import { extractFile, hashText } from '../../server/src/extract/index';
import { classify } from '../../server/src/extract/classify';
import { withBashTree, withPythonTree } from '../../server/src/parsers/tree-sitter';
import { main } from '../../server/src/cli/main';
import { Workspace } from '../../server/src/engine/workspace';
import type { Finding } from '../../server/src/core/findings';
import type { Fix } from '../../server/src/core/edits';
import { KINDS, MUTATORS, Rng, exampleFiles } from '../fuzz/mutators';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'staging-audit');
let tmp: string;
let base: Files;

before(async () => {
  await ready();
  base = exampleFiles();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-fixsafety-')));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Syntax errors the file's own parser reports (tree-sitter ERROR/MISSING nodes, TypeScript
 * parse diagnostics, YAML errors, dotenv problems). */
function syntaxErrors(file: string, text: string): number {
  const kind = classify(file, text.split('\n', 1)[0]);
  const countTs = (root: { descendantsOfType(t: string | string[]): unknown[]; hasError: boolean }) =>
    root.hasError ? root.descendantsOfType('ERROR').length + 1 : 0;
  switch (kind) {
    case 'python': return withPythonTree(text, (root) => countTs(root as never));
    case 'shell': return withBashTree(text, (root) => countTs(root as never));
    case 'typescript': {
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
      return ((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics ?? []).length;
    }
    case 'yaml': return parseAllDocuments(text).reduce((n: number, d) => n + d.errors.length, 0);
    case 'dotenv': return extractFile(file, text).problems.length;
    default: return 0;
  }
}

const comments = (text: string) => text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => /^(#|\/\/)/.test(l) && !/deploy-preflight-disable/.test(l));
const finalNewline = (t: string) => /(\r\n|\n|\r)$/.test(t);
const lineEndings = (t: string) => ({ crlf: (t.match(/\r\n/g) ?? []).length, lf: (t.match(/(?<!\r)\n/g) ?? []).length, cr: (t.match(/\r(?!\n)/g) ?? []).length });

const checked = new Set<string>();

interface Stats { fixes: number; findings: number; files: Set<string>; rules: Set<string> }

/** Applies each fix of each finding on its own and checks every property. */
async function checkAllFixes(label: string, files: Files, stats: Stats, opts: { strictEndings: boolean }): Promise<string[]> {
  const problems: string[] = [];
  const { findings } = await analyze(files);
  for (const f of findings) {
    stats.findings++;
    for (const fix of f.fixes) {
      // The same edits on the same text were checked already (fuzzing one file leaves the others as they were).
      const key = JSON.stringify([label.split('#')[0].split('/')[0], opts.strictEndings, fix.title, fix.edits, [...new Set(fix.edits.map((e) => e.file))].map((x) => hashText(files[x] ?? ''))]);
      if (checked.has(key)) continue;
      checked.add(key);
      stats.fixes++;
      stats.rules.add(f.rule);
      problems.push(...await checkFix(`${label}: ${f.rule} "${fix.title}"`, files, f, fix, opts, stats));
    }
  }
  return problems;
}

async function checkFix(id: string, files: Files, f: Finding, fix: Fix, opts: { strictEndings: boolean }, stats: Stats): Promise<string[]> {
  const out: string[] = [];
  const next: Files = { ...files };
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const before = files[file];
    if (before === undefined) { out.push(`${id}: edits unknown file ${file}`); continue; }
    stats.files.add(file);
    const { text: after, skipped } = applyEdits(before, edits);
    if (skipped.length) out.push(`${id}: overlapping edits in ${file}`);
    if (after === before) { out.push(`${id}: changes nothing in ${file}`); continue; }
    next[file] = after;
    // Only the edits' ranges changed: the text before the first and after the last edit is intact.
    const lo = Math.min(...edits.map((e) => e.span.start));
    const hi = Math.max(...edits.map((e) => e.span.end));
    if (after.slice(0, lo) !== before.slice(0, lo) || after.slice(after.length - (before.length - hi)) !== before.slice(hi)) {
      out.push(`${id}: text outside the fix's range changed in ${file}`);
    }
    // The same parser still parses it: no new syntax errors, no new extraction problems.
    const e0 = syntaxErrors(file, before);
    const e1 = syntaxErrors(file, after);
    if (e1 > e0) out.push(`${id}: ${file} has ${e1} syntax errors after the fix (${e0} before)\n${after.slice(Math.max(0, lo - 80), hi + 120)}`);
    const p0 = new Set(extractFile(file, before).problems.map((p) => p.message.replace(/line \d+, column \d+/, '')));
    for (const p of extractFile(file, after).problems) {
      if (!p0.has(p.message.replace(/line \d+, column \d+/, ''))) out.push(`${id}: new extraction problem in ${file}: ${p.message}`);
    }
    // Comments elsewhere are intact (a fix removing an unused suppression comment is the exception).
    const c0 = comments(before);
    const c1 = comments(after);
    for (const c of c0) if (!c1.includes(c)) out.push(`${id}: comment lost in ${file}: ${c}`);
    // Line endings and the final newline.
    if (finalNewline(before) !== finalNewline(after)) out.push(`${id}: final newline ${finalNewline(before) ? 'removed' : 'added'} in ${file}`);
    const l0 = lineEndings(before);
    const l1 = lineEndings(after);
    if (opts.strictEndings) {
      if (l0.lf === 0 && l0.cr === 0 && (l1.lf > 0 || l1.cr > 0)) out.push(`${id}: LF line endings inserted into CRLF file ${file}: ${JSON.stringify(edits.map((e) => e.newText))}`);
      if (l0.crlf === 0 && l0.cr === 0 && (l1.crlf > 0 || l1.cr > 0)) out.push(`${id}: CR line endings inserted into LF file ${file}`);
    }
  }
  // The finding it targets is gone (or, with one fix per deploy target, that target is no longer
  // missing), and the fix is not offered again: applying again changes nothing.
  const { findings: again } = await analyze(next);
  const same = again.find((g) => g.fingerprint === f.fingerprint);
  if (same && f.fixes.length === 1) out.push(`${id}: finding still reported after its only fix`);
  // "The same fix" = same title and edits, at the place the applied edit now occupies.
  const samePlace = (x: Fix) => x.edits.length === fix.edits.length && x.edits.every((e, i) => {
    const o = fix.edits[i];
    return e.file === o.file && e.newText === o.newText && e.span.start >= o.span.start && e.span.start <= o.span.start + o.newText.length;
  });
  const reoffered = again.flatMap((g) => g.fixes).find((x) => x.title === fix.title && samePlace(x));
  if (reoffered) out.push(`${id}: the same fix is offered again after applying it`);
  // A fix never copies a literal value written in one file into another file.
  for (const e of fix.edits) {
    const literals = Object.entries(files).filter(([file]) => file !== e.file).flatMap(([file, text]) => {
      const facts = extractFile(file, text);
      return [...(facts.envFile?.entries ?? []), ...facts.deploys.flatMap((d) => d.blocks.flatMap((b) => b.entries))]
        .flatMap((w) => (w.value.kind === 'literal' && w.value.value.length >= 12 ? [w.value.value] : []));
    });
    for (const v of literals) if (e.newText.includes(v) && !files[e.file].includes(v)) out.push(`${id}: copies a value from another file into ${e.file}`);
  }
  return out;
}

test('every fix on the example: parses, local, finding gone, not re-offered, comments and endings kept', async () => {
  const stats: Stats = { fixes: 0, findings: 0, files: new Set(), rules: new Set() };
  const problems = await checkAllFixes('example', base, stats, { strictEndings: true });
  console.log(`example: ${stats.fixes} fixes over ${stats.findings} findings, rules ${[...stats.rules].join(', ')}, files ${stats.files.size}`);
  assert.ok(stats.fixes >= 10, `fixes checked: ${stats.fixes}`);
  assert.ok(stats.rules.size >= 5, [...stats.rules].join(','));
  assert.deepEqual(problems, []);
});

/** Six services, each deployed by a different kind of file, so that the fixes exercise every
 * insertion format: a Knative env list, a new gcloud flag after a line continuation, a gcloud list
 * entry, Cloud Build args, deploy-cloudrun env_vars/secrets lines, a Python argument list. */
const code = (n: string) => ({
  [`services/${n}/requirements.txt`]: 'fastapi\n',
  [`services/${n}/app/main.py`]: '# settings\nimport os\nTOKEN = os.environ["API_TOKEN"]  # required\nSECRET = os.environ["SERVICE_SECRET"]\nPROJECT = os.environ["GCP_PROJECT_ID"]\n',
});
const FORMATS: Files = {
  ...code('kn'), ...code('sh'), ...code('cb'), ...code('gh'), ...code('py'), ...code('de'),
  'deploy/kn-staging.yaml': '# staging manifest\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: kn-staging\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/p/kn\n          env:\n            # the environment\n            - name: ENVIRONMENT\n              value: staging\n          ports:\n            - containerPort: 8080\n',
  'deploy/deploy-sh-production.sh': '#!/bin/sh\n# production\ngcloud run deploy sh-production \\\n  --source services/sh \\\n  --project p-prod \\\n  --set-env-vars "ENVIRONMENT=production"\necho done\n',
  'cloudbuild-staging.yaml': "steps:\n  # deploy\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args:\n      - run\n      - deploy\n      - cb-staging\n      - --source\n      - services/cb\n      - --set-env-vars\n      - ENVIRONMENT=staging\n      - --set-secrets\n      - JWT=jwt-staging:latest\n",
  '.github/workflows/deploy.yml': 'on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: google-github-actions/deploy-cloudrun@v2\n        with:\n          service: gh-production\n          source: services/gh\n          project_id: p-prod\n          env_vars: |\n            ENVIRONMENT=production\n          secrets: |\n            JWT=jwt-production:latest\n          # done\n',
  'scripts/deploy_py.py': '"""Deploy."""\nimport subprocess\n\n\ndef deploy():\n    subprocess.run([\n        "gcloud", "run", "deploy", "py-staging",\n        "--source", "services/py",\n        "--set-env-vars", "ENVIRONMENT=staging",\n    ], check=True)\n',
  'deploy/deploy-de-staging.sh': 'gcloud run deploy de-staging --source services/de --env-vars-file services/de/.env.staging.yaml\n',
  'services/de/.env.staging.yaml': '# staging\nENVIRONMENT: staging\n',
};

test('every fix on a workspace exercising every insertion format', async () => {
  const stats: Stats = { fixes: 0, findings: 0, files: new Set(), rules: new Set() };
  const problems = await checkAllFixes('formats', FORMATS, stats, { strictEndings: true });
  console.log(`formats: ${stats.fixes} fixes in ${[...stats.files].join(', ')}`);
  assert.ok(stats.files.size >= 6 && stats.fixes >= 15, `${stats.fixes} fixes`);
  assert.deepEqual(problems, []);
});

const toCrlf = (files: Files): Files => Object.fromEntries(Object.entries(files).map(([f, t]) => [f, t.replace(/\r?\n/g, '\r\n')]));

test('every fix keeps CRLF line endings in CRLF files', async () => {
  const stats: Stats = { fixes: 0, findings: 0, files: new Set(), rules: new Set() };
  const problems = [
    ...await checkAllFixes('crlf example', toCrlf(base), stats, { strictEndings: true }),
    ...await checkAllFixes('crlf formats', toCrlf(FORMATS), stats, { strictEndings: true }),
  ];
  console.log(`crlf: ${stats.fixes} fixes, ${problems.length} problems`);
  assert.ok(stats.fixes >= 20);
  assert.deepEqual(problems, []);
});

test('every fix on CRLF files: everything but the line endings of inserted lines holds', async () => {
  const stats: Stats = { fixes: 0, findings: 0, files: new Set(), rules: new Set() };
  const problems = [
    ...await checkAllFixes('crlf example', toCrlf(base), stats, { strictEndings: false }),
    ...await checkAllFixes('crlf formats', toCrlf(FORMATS), stats, { strictEndings: false }),
  ];
  assert.ok(stats.fixes >= 20);
  assert.deepEqual(problems, []);
});

test('every fix on the example without final newlines adds none', async () => {
  const bare: Files = Object.fromEntries(Object.entries(base).map(([f, t]) => [f, t.replace(/\s+$/, '')]));
  const stats: Stats = { fixes: 0, findings: 0, files: new Set(), rules: new Set() };
  const problems = await checkAllFixes('no-final-newline', bare, stats, { strictEndings: true });
  console.log(`no final newline: ${stats.fixes} fixes`);
  assert.ok(stats.fixes >= 10);
  assert.deepEqual(problems, []);
});

test('fixes on fuzz-derived inputs keep the same properties', async () => {
  const rng = new Rng(4242);
  const safeOps = ['duplicateLines', 'swapLines', 'token', 'bom', 'deleteLines'];
  const stats: Stats = { fixes: 0, findings: 0, files: new Set(), rules: new Set() };
  const problems: string[] = [];
  let inputs = 0;
  for (const k of KINDS) {
    for (let i = 0; i < 3; i++) {
      const op = rng.pick(safeOps);
      const text = MUTATORS[op](base[k.file], rng, k, Object.values(base));
      inputs++;
      // Line endings are not checked strictly: a mutation may have mixed them already.
      problems.push(...await checkAllFixes(`${k.kind}/${op}#${i}`, { ...base, [k.file]: text }, stats, { strictEndings: false }));
    }
  }
  console.log(`fuzz-derived: ${inputs} inputs, ${stats.fixes} fixes`);
  assert.ok(stats.fixes >= 50);
  assert.deepEqual(problems, []);
});

test('--fix writes atomically: a temporary file in the same folder, then rename; mode and BOM kept', async () => {
  const root = path.join(tmp, 'atomic');
  fs.cpSync(EXAMPLE, root, { recursive: true });
  const target = path.join(root, 'deploy', 'backend-production.yaml');
  fs.writeFileSync(target, '\ufeff' + fs.readFileSync(target, 'utf8'));
  fs.chmodSync(target, 0o750);
  const script = path.join(root, 'deploy', 'deploy-auth-staging.sh');
  fs.chmodSync(script, 0o755);
  const writes: string[] = [];
  const renames: [string, string][] = [];
  const { writeFileSync, renameSync } = fs;
  fs.writeFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    writes.push(String(p));
    return (writeFileSync as (...a: unknown[]) => void)(p, ...rest);
  }) as typeof fs.writeFileSync;
  fs.renameSync = ((a: fs.PathLike, b: fs.PathLike) => {
    renames.push([String(a), String(b)]);
    return renameSync(a, b);
  }) as typeof fs.renameSync;
  let out = '';
  try {
    const code = await main([root, '--fix', '--no-color', '--exit-zero'], (s) => { out += s; }, (s) => { out += s; });
    assert.equal(code, 0, out);
  } finally {
    fs.writeFileSync = writeFileSync;
    fs.renameSync = renameSync;
  }
  const fixed = [...out.matchAll(/^fixed: (\S+) \(/gm)].map((m) => m[1]);
  assert.ok(fixed.includes('deploy/backend-production.yaml'), out);
  for (const rel of fixed) {
    const abs = path.join(root, rel);
    assert.ok(!writes.includes(abs), `${rel} written in place`);
    const r = renames.filter(([, to]) => to === abs);
    assert.ok(r.length >= 1, `${rel} renamed into place`);
    for (const [from] of r) {
      assert.equal(path.dirname(from), path.dirname(abs), 'the temporary file is in the same folder (same file system: rename is atomic)');
      assert.ok(writes.includes(from), 'the temporary file was written first');
      assert.ok(!fs.existsSync(from), 'no temporary file left');
    }
  }
  assert.equal(fs.statSync(target).mode & 0o777, 0o750, 'mode kept');
  assert.ok(fs.readFileSync(target, 'utf8').startsWith('\ufeff'), 'BOM kept');
  assert.ok(!fs.readFileSync(target, 'utf8').slice(1).includes('\ufeff'));
  // Running --fix again changes nothing.
  const snapshot = new Map(fixed.map((rel) => [rel, fs.readFileSync(path.join(root, rel), 'utf8')]));
  let out2 = '';
  await main([root, '--fix', '--no-color', '--exit-zero'], (s) => { out2 += s; }, (s) => { out2 += s; });
  assert.match(out2, /fixed: nothing to change/);
  for (const [rel, text] of snapshot) assert.equal(fs.readFileSync(path.join(root, rel), 'utf8'), text, rel);
  const leftovers = fs.readdirSync(root, { recursive: true }).map(String).filter((n) => n.includes('.deploy-preflight-') && n.endsWith('.tmp'));
  assert.deepEqual(leftovers, []);
});

test('a file changed between analysis and writing is never touched', async () => {
  const root = path.join(tmp, 'race');
  fs.cpSync(EXAMPLE, root, { recursive: true });
  const ws = new Workspace(root);
  await ws.loadAll();
  const f = ws.findings().find((x) => x.fixes.some((fx) => fx.safe));
  assert.ok(f, 'a safe fix exists');
  const fix = f.fixes.find((fx) => fx.safe)!;
  const file = fix.edits[0].file;
  const abs = path.join(root, file);
  const hash = ws.files.get(file)!.facts.hash;
  assert.equal(hash, hashText(fs.readFileSync(abs, 'utf8')));
  // Someone saves the file in the meantime.
  const edited = fs.readFileSync(abs, 'utf8') + '\n# edited by a person\n';
  fs.writeFileSync(abs, edited);
  const r = writeEdits(root, file, hash, fix.edits.filter((e) => e.file === file));
  assert.equal(r.status, 'conflict');
  assert.match(r.reason ?? '', /changed since it was analysed/);
  assert.equal(fs.readFileSync(abs, 'utf8'), edited);

  // The same race through the CLI: the file changes after the analysis, before the write.
  const original = Workspace.prototype.findings;
  let raced = false;
  Workspace.prototype.findings = function (this: Workspace) {
    const result = original.call(this);
    if (!raced && this.root === root) {
      raced = true;
      fs.writeFileSync(abs, edited + '# and again\n');
    }
    return result;
  };
  let out = '';
  try {
    // Re-load from disk: the CLI analyses the current content, then the file changes.
    fs.writeFileSync(abs, edited);
    await main([root, '--fix', '--no-color', '--exit-zero'], (s) => { out += s; }, (s) => { out += s; });
  } finally {
    Workspace.prototype.findings = original;
  }
  assert.ok(raced);
  assert.equal(fs.readFileSync(abs, 'utf8'), edited + '# and again\n', 'the changed file was not touched');
  assert.match(out, new RegExp(`not fixed: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: changed since it was analysed`));
});

test('a failed rename leaves the original intact and no temporary file', () => {
  const root = path.join(tmp, 'rename-fails');
  fs.mkdirSync(root);
  const file = 'a.env';
  const text = 'A=1\n';
  fs.writeFileSync(path.join(root, file), text);
  const { renameSync } = fs;
  fs.renameSync = (() => { throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' }); }) as typeof fs.renameSync;
  let r: ReturnType<typeof writeEdits>;
  try {
    r = writeEdits(root, file, hashText(text), [{ file, span: { start: 4, end: 4 }, newText: 'B=2\n' }]);
  } finally {
    fs.renameSync = renameSync;
  }
  assert.equal(r.status, 'unwritable');
  assert.match(r.reason ?? '', /cannot write: EXDEV/);
  assert.equal(fs.readFileSync(path.join(root, file), 'utf8'), text, 'original intact');
  assert.deepEqual(fs.readdirSync(root), [file], 'no temporary file left');
});
