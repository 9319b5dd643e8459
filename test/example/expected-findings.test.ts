/**
 * The bundled example is a contract: exactly these findings (rule, file, line, severity), each
 * problem once with its other end as a related location — every audit bug class caught, every look-alike in
 * examples/staging-audit/EXPECTED.md quiet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import * as fs from 'node:fs';
import { RULES } from '../../server/src/rules/registry';
import { assertReadable } from '../rule-tester';
import { readDeployedState } from '../../server/src/extract/deployed-state';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'staging-audit');

/** [rule, file:line, severity, a related location that must be present ('' for none)]. Each
 * problem once, at the end where its fix goes (the deploy, for a missing variable), with the
 * other end related. */
const EXPECTED: [string, string, string, string][] = [
  // `--update-env-vars` keeps what the job had: it may hold QUEUE_NAME already.
  ['env-unset-for-deploy', '.github/workflows/deploy-worker.yml:61', 'warning', 'services/worker/worker/main.py:31'],
  // auth's production deploy mounts its secrets and sets everything the code needs: the code's own
  // Secret Manager path (its refresh-token key) is a second source, so a warning. The backend's
  // staging deploy below leaves SERVICE_SECRET unset, which that path would have loaded: an error.
  ['gcp-project-id-unwired', 'cloudbuild-production.yaml:26', 'warning', 'services/auth/src/config.ts:47'],
  // Both names work (each service reads the one it is given): a naming hint.
  ['oauth-env-mismatch', 'deploy/backend-production.yaml:34', 'info', 'cloudbuild-production.yaml:27'],
  ['oauth-env-mismatch', 'deploy/backend-production.yaml:36', 'info', 'cloudbuild-production.yaml:29'],
  // sslmode on a Cloud SQL socket URL that asyncpg opens: one finding, both reasons, one fix (remove it).
  ['cloudsql-socket-ssl', 'deploy/backend-production.yaml:43', 'error', 'services/backend/app/db.py:19'],
  ['jwt-secret-divergence', 'deploy/deploy-auth-staging.sh:20', 'error', 'scripts/deploy_to_gcp.py:46'],
  ['gcp-project-id-unwired', 'scripts/deploy_to_gcp.py:39', 'error', 'services/backend/app/config/secrets.py:32'],
  ['oauth-env-mismatch', 'scripts/deploy_to_gcp.py:42', 'error', 'services/backend/app/auth/oauth.py:14'],
  ['db-ssl-param-driver', 'scripts/deploy_to_gcp.py:43', 'error', 'services/backend/app/db.py:19'],
  ['env-unset-for-deploy', 'scripts/deploy_to_gcp.py:45', 'error', 'services/backend/app/config/secrets.py:58'],
  ['oauth-env-mismatch', 'scripts/deploy_to_gcp.py:47', 'error', 'services/backend/app/auth/oauth.py:15'],
  // The deploy lacking GCP_PROJECT_ID mounts auth's secrets itself: the gate decides a second source.
  ['secret-manager-gate', 'services/auth/src/config.ts:47', 'info', 'cloudbuild-production.yaml:26'],
  // The TS enums' values coincide, so it works at runtime by accident (tsc rejects it): a warning.
  ['getter-enum-mismatch', 'services/auth/src/health.ts:8', 'warning', 'services/auth/src/breaker.ts:27'],
  // A local smoke-test file no deploy loads (the deploy takes the secret from Secret Manager): a hint.
  ['placeholder-secret', 'services/backend/.env.staging:10', 'info', 'scripts/deploy_to_gcp.py:46'],
  ['secret-manager-gate', 'services/backend/app/config/secrets.py:32', 'warning', 'scripts/deploy_to_gcp.py:39'],
  ['getter-enum-mismatch', 'services/backend/app/resilience/circuit_breaker.py:39', 'error', 'services/backend/app/resilience/health.py:19'],
];

test('the example workspace reports exactly the audit findings', async () => {
  const ws = new Workspace(EXAMPLE);
  await ws.loadAll();
  const findings = ws.findings();
  const seen = findings.map((f) => `${f.rule} ${f.file}:${f.range.start.line + 1} ${f.severity}`).sort();
  const want = EXPECTED.map(([r, at, sev]) => `${r} ${at} ${sev}`).sort();
  assert.deepEqual(seen, want);
  for (const [rule, at, , related] of EXPECTED) {
    if (!related) continue;
    const f = findings.find((x) => x.rule === rule && `${x.file}:${x.range.start.line + 1}` === at)!;
    const rel = f.related.map((r) => `${r.file}:${r.range.start.line + 1}`);
    assert.ok(rel.includes(related), `${rule} at ${at}: expected related ${related}, saw ${rel.join(', ') || 'none'}`);
  }
  assert.deepEqual(ws.notices(), [], 'every file of the example reads cleanly');
});

test('each problem of the example is one finding: short message, narrow range, no second finding on its spot', async () => {
  const ws = new Workspace(EXAMPLE);
  await ws.loadAll();
  const findings = ws.findings();
  for (const f of findings) assertReadable(f);
  const at = (x: { file: string; range: { start: { line: number } } }) => `${x.file}:${x.range.start.line + 1}`;
  for (const f of findings) {
    // The other end is related, never a second finding of the same rule pointing back.
    for (const r of f.related) {
      const back = findings.find((g) => g !== f && g.rule === f.rule && at(g) === at(r) && g.related.some((x) => at(x) === at(f)));
      assert.ok(!back, `${f.rule} at ${at(f)} and at ${back && at(back)} are one problem reported twice`);
    }
    // Two findings on one spot would give two pieces of advice there.
    const overlapping = findings.find((g) => g !== f && g.file === f.file && g.span.start < f.span.end && f.span.start < g.span.end);
    assert.ok(!overlapping, `${f.rule} and ${overlapping?.rule} both at ${at(f)}`);
  }
});

test('every rule fires somewhere in the example (the drift rules given what is running for it)', async () => {
  const ws = new Workspace(EXAMPLE);
  await ws.loadAll();
  const deployed = path.join(EXAMPLE, '..', 'staging-audit-deployed');
  ws.setDeployed(readDeployedState(fs.readdirSync(deployed).filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => ({ source: f, format: f.endsWith('.json') ? 'json' as const : 'yaml' as const, text: fs.readFileSync(path.join(deployed, f), 'utf8') }))));
  const fired = new Set(ws.findings().map((f) => f.rule));
  for (const r of RULES) assert.ok(fired.has(r.meta.id), `${r.meta.id} fires on the example`);
});
