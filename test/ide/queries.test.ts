/**
 * The editor queries of ide/ on the LSP fixture, in-process: plain data in the engine's terms
 * (files and offsets), typed refusals, values never shown; and the engine façade's documents
 * (a buffer wins over the disk until it is closed).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ready } from '../helpers';
import { Analysis } from '../../server/src/engine/analysis';
import { nameAt, occurrences, definitionTargets } from '../../server/src/ide/names';
import { checkRename, planRename } from '../../server/src/ide/rename';
import { hoverInfo } from '../../server/src/ide/hover';
import { completions } from '../../server/src/ide/completion';
import { documentSymbols } from '../../server/src/ide/symbols';
import { quickFixes } from '../../server/src/ide/code-actions';

const ROOT = path.resolve(__dirname, '..', 'lsp', 'fixtures', 'shop');
const CONFIG = 'services/api/src/config.ts';
const DEPLOY = 'deploy/deploy-api-staging.sh';
const EXAMPLE = 'services/api/.env.example';
const text = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const at = (rel: string, needle: string, delta = 0) => text(rel).indexOf(needle) + delta;
const cut = (rel: string, span: { start: number; end: number }) => text(rel).slice(span.start, span.end);

let analysis: Analysis;
before(async () => {
  await ready();
  analysis = new Analysis(ROOT);
  const outcome = await analysis.load();
  assert.equal(outcome.status, 'loaded');
});

test('the name at an offset, and its occurrences with their kinds', () => {
  const hit = nameAt(analysis, CONFIG, at(CONFIG, 'LOG_LEVEL', 2))!;
  assert.equal(hit.name, 'LOG_LEVEL');
  assert.equal(hit.kind, 'read');
  assert.equal(cut(CONFIG, hit.span), 'LOG_LEVEL');
  assert.equal(nameAt(analysis, CONFIG, at(CONFIG, 'Runtime')), undefined);
  const occ = occurrences(analysis, 'LOG_LEVEL').map((o) => [o.file, o.kind, cut(o.file, o.span)]).sort();
  assert.deepEqual(occ, [[DEPLOY, 'write', 'LOG_LEVEL'], [EXAMPLE, 'env-file', 'LOG_LEVEL'], [CONFIG, 'read', 'LOG_LEVEL']].sort());
  const defs = definitionTargets(analysis, CONFIG, at(CONFIG, 'LOG_LEVEL'))!;
  assert.deepEqual(defs.map((d) => [d.file, cut(d.file, d.span)]), [[DEPLOY, 'LOG_LEVEL']]);
});

test('rename: the edits, or a typed refusal', () => {
  const ok = planRename(analysis, CONFIG, at(CONFIG, 'LOG_LEVEL'), 'APP_LOG_LEVEL');
  assert.equal(ok?.status, 'ok');
  assert.deepEqual(ok.status === 'ok' && ok.edits.map((e) => e.file).sort(), [CONFIG, DEPLOY, EXAMPLE].sort());
  assert.deepEqual(planRename(analysis, CONFIG, at(CONFIG, 'LOG_LEVEL'), '1-bad'), { status: 'refused', refusal: { reason: 'invalid-name', newName: '1-bad' } });
  const region = checkRename(analysis, DEPLOY, at(DEPLOY, 'REGION_STAGING', 2));
  assert.equal(region?.status, 'refused');
  const refusal = region.status === 'refused' ? region.refusal : undefined;
  assert.equal(refusal?.reason, 'dynamic-read');
  assert.ok(refusal?.reason === 'dynamic-read' && refusal.file === CONFIG && refusal.prefix === 'REGION_' && !refusal.target);
  const into = planRename(analysis, CONFIG, at(CONFIG, 'LOG_LEVEL'), 'REGION_EU');
  assert.ok(into?.status === 'refused' && into.refusal.reason === 'dynamic-read' && into.refusal.target && into.refusal.name === 'REGION_EU');
});

test('hover rows: environment × service, values described, never shown', () => {
  const info = hoverInfo(analysis, CONFIG, at(CONFIG, 'PAYMENTS_API_KEY', 3))!;
  assert.equal(info.name, 'PAYMENTS_API_KEY');
  const staging = info.rows.find((r) => r.environment === 'staging')!;
  assert.equal(staging.service, 'api');
  assert.equal(staging.requirement, 'required');
  assert.ok(staging.set.kind === 'writes');
  assert.deepEqual(staging.set.writes.map((w) => [w.file, w.value]), [[DEPLOY, 'a 24-char value (lower/digits/symbols)']]);
  assert.ok(!JSON.stringify(info).includes('pk_live'), 'the value never appears');
});

test('hover and problems agree: required and missing is a problem; not required says why', () => {
  const secret = hoverInfo(analysis, CONFIG, at(CONFIG, 'SERVICE_SECRET', 2))!;
  const row = secret.rows.find((r) => r.environment === 'staging')!;
  assert.equal(row.set.kind, 'not-set');
  assert.equal(row.requirement, 'required');
  assert.ok(analysis.findings().some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('SERVICE_SECRET')), 'and a problem says so');
  // A setting is shown as written (not a secret); a literal that looks like a key is redacted.
  const env = hoverInfo(analysis, CONFIG, at(CONFIG, 'LOG_LEVEL', 2))!;
  const staging = env.rows.find((r) => r.environment === 'staging')!;
  assert.ok(staging.set.kind === 'writes' && staging.set.writes[0].value === '"info"', JSON.stringify(staging.set));
});

test('completion, symbols, quick fixes', () => {
  const names = completions(analysis, DEPLOY, at(DEPLOY, 'ENVIRONMENT=staging,', 'ENVIRONMENT=staging,'.length)).map((c) => c.name).sort();
  assert.ok(names.includes('GCP_PROJECT_ID') && names.includes('SERVICE_SECRET') && !names.includes('LOG_LEVEL'), names.join());
  assert.deepEqual(documentSymbols(analysis, EXAMPLE).map((s) => [s.name, s.detail]), [
    // Settings are shown as written; only secret-like names or values are redacted.
    ['ENVIRONMENT', '"development"'], ['LOG_LEVEL', '"debug"'], ['PAYMENTS_API_KEY', 'an empty value'],
  ]);
  // Reported at the deploy (where the fix goes), inside a continued command: file-wide disable only.
  const finding = analysis.findings({ file: DEPLOY }).find((f) => f.rule === 'env-unset-for-deploy')!;
  const actions = quickFixes(analysis, DEPLOY, finding.fingerprint);
  assert.deepEqual(actions.map((a) => a.kind), ['fix', 'disable']);
  assert.equal(actions[0].preferred, true);
  assert.deepEqual(quickFixes(analysis, CONFIG, finding.fingerprint), [], 'a finding of another file');
});

test('documents: the buffer wins over the disk until the document is closed', async () => {
  const a = new Analysis(ROOT);
  await a.load();
  const edited = text(DEPLOY).replace('LOG_LEVEL=info,', 'LOG_LEVEL=info,SERVICE_SECRET=x,GCP_PROJECT_ID=shop-staging,');
  a.openDocument(DEPLOY, edited);
  assert.equal(a.textOf(DEPLOY), edited);
  assert.ok(!a.findings().some((f) => f.rule === 'gcp-project-id-unwired'));
  await a.filesChanged([{ file: DEPLOY, kind: 'changed' }, { file: DEPLOY, kind: 'deleted' }]);
  assert.ok(!a.findings().some((f) => f.rule === 'gcp-project-id-unwired'), 'disk events do not replace an open buffer');
  await a.closeDocument(DEPLOY);
  assert.equal(a.textOf(DEPLOY), text(DEPLOY));
  assert.ok(a.findings().some((f) => f.rule === 'gcp-project-id-unwired'), 'closed: back to the disk');
  assert.deepEqual(await a.filesChanged([{ file: '.deploy-preflight.yaml', kind: 'created' }]), { reload: true, errors: [] });
});

test('rule overrides apply over the config file, before and after a load', async () => {
  const a = new Analysis(ROOT);
  a.setRuleOverrides({ 'gcp-project-id-unwired': 'off' });
  await a.load();
  assert.ok(!a.findings().some((f) => f.rule === 'gcp-project-id-unwired'));
  a.setRuleOverrides({});
  assert.ok(a.findings().some((f) => f.rule === 'gcp-project-id-unwired'));
  a.setRuleOverrides({ 'env-unset-for-deploy': 'error' });
  assert.ok(a.findings().filter((f) => f.rule === 'env-unset-for-deploy').every((f) => f.severity === 'error'));
});

test('a newer load or cancel() abandons a load in progress', async () => {
  const a = new Analysis(ROOT);
  const first = a.load();
  const second = a.load();
  assert.deepEqual(await first, { status: 'cancelled' });
  assert.equal((await second).status, 'loaded');
  const controller = new AbortController();
  const third = a.load({ signal: controller.signal });
  controller.abort();
  assert.deepEqual(await third, { status: 'cancelled' });
});

test('hover: a read the rules do not require here says why; an additive deploy says it may keep the value', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hover-'));
  try {
    const files: Record<string, string> = {
      'services/api/requirements.txt': 'fastapi\n',
      // FEATURE_KEY is read only in the production branch; QUEUE_NAME always.
      'services/api/app/main.py': 'import os\n\nQUEUE = os.environ["QUEUE_NAME"]\nif os.environ.get("ENVIRONMENT") == "production":\n    KEY = os.environ["FEATURE_KEY"]\n',
      'deploy/deploy-api-staging.sh': 'gcloud run deploy api-staging --source services/api --project acme-staging \\\n  --set-env-vars ENVIRONMENT=staging\n',
      'deploy/deploy-api-production.sh': 'gcloud run deploy api-production --source services/api --project acme-prod \\\n  --update-env-vars ENVIRONMENT=production\n',
    };
    for (const [rel, body] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), body);
    }
    const a = new Analysis(dir);
    await a.load();
    const main = files['services/api/app/main.py'];
    const row = (name: string, env: string) => hoverInfo(a, 'services/api/app/main.py', main.indexOf(name) + 2)!.rows.find((r) => r.environment === env)!;
    assert.equal(row('FEATURE_KEY', 'staging').requirement, 'not required in this environment');
    assert.equal(row('QUEUE_NAME', 'staging').requirement, 'required');
    assert.equal(row('QUEUE_NAME', 'production').requirement, 'required (the deploy may keep an earlier value)');
    const env = a.findings().filter((f) => f.rule === 'env-unset-for-deploy').map((f) => `${f.severity} ${f.message}`).sort();
    assert.ok(!env.some((m) => m.includes('FEATURE_KEY') && m.includes('(staging)')), env.join('\n'));
    assert.ok(env.some((m) => m.startsWith('error api (staging) is deployed without QUEUE_NAME')), env.join('\n'));
    // No deploy here sets QUEUE_NAME: the additive deploy's lack of it is information.
    assert.ok(env.some((m) => m.startsWith('info api (production) may lack QUEUE_NAME')), env.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
