/**
 * The editor queries of ide/ on the LSP fixture, in-process: plain data in the engine's terms
 * (files and offsets), typed refusals, values never shown; and the engine façade's documents
 * (a buffer wins over the disk until it is closed).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
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

test('completion, symbols, quick fixes', () => {
  const names = completions(analysis, DEPLOY, at(DEPLOY, 'ENVIRONMENT=staging,', 'ENVIRONMENT=staging,'.length)).map((c) => c.name).sort();
  assert.ok(names.includes('GCP_PROJECT_ID') && names.includes('SERVICE_SECRET') && !names.includes('LOG_LEVEL'), names.join());
  assert.deepEqual(documentSymbols(analysis, EXAMPLE).map((s) => [s.name, s.detail]), [
    ['ENVIRONMENT', 'a 11-char value (lower)'], ['LOG_LEVEL', 'a 5-char value (lower)'], ['PAYMENTS_API_KEY', 'an empty value'],
  ]);
  const finding = analysis.findings({ file: CONFIG }).find((f) => f.rule === 'env-unset-for-deploy')!;
  const actions = quickFixes(analysis, CONFIG, finding.fingerprint);
  assert.deepEqual(actions.map((a) => a.kind), ['fix', 'disable', 'disable']);
  assert.equal(actions[0].preferred, true);
  assert.deepEqual(quickFixes(analysis, DEPLOY, finding.fingerprint), [], 'a finding of another file');
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
