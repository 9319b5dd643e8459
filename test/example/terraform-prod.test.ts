/**
 * The Terraform example (examples/terraform-prod) is a contract too: exactly these findings, each
 * with its other end related; the reusable module stays unplaced; the safe fixes write HCL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { explainModel } from '../../server/src/engine/explain';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'terraform-prod');

/** [rule, file:line, severity, a related location that must be present]: each problem once, at the
 * deploy end (where the fix goes), the code related; one finding per deploy target. */
const EXPECTED: [string, string, string, string][] = [
  ['env-unset-for-deploy', 'infra/services.tf:19', 'error', 'services/orders/src/config.ts:6'], // orders (production)
  ['env-unset-for-deploy', 'infra/services.tf:19', 'error', 'services/orders/src/config.ts:6'], // orders (staging)
  ['gcp-project-id-unwired', 'infra/services.tf:19', 'error', 'services/orders/src/config.ts:11'],
  ['gcp-project-id-unwired', 'infra/services.tf:19', 'error', 'services/orders/src/config.ts:11'],
  ['placeholder-secret', 'infra/services.tf:51', 'error', ''], // one entry, one finding
  ['env-unset-for-deploy', 'scripts/deploy-worker.sh:5', 'error', 'services/worker/worker/main.py:4'],
  // The gate on GCP_PROJECT_ID alone, in the code: secret-manager-gate's end of the same bug.
  ['secret-manager-gate', 'services/orders/src/config.ts:11', 'warning', 'infra/services.tf:19'],
];

test('the Terraform example reports exactly its planted bugs, each with its other end', async () => {
  const ws = new Workspace(EXAMPLE);
  await ws.loadAll();
  const findings = ws.findings();
  const line = (f: { file: string; range: { start: { line: number } } }) => `${f.file}:${f.range.start.line + 1}`;
  assert.deepEqual(findings.map((f) => `${f.rule} ${line(f)} ${f.severity}`).sort(), EXPECTED.map(([r, at, sev]) => `${r} ${at} ${sev}`).sort());
  for (const [rule, at, , related] of EXPECTED) {
    for (const f of findings.filter((x) => x.rule === rule && line(x) === at)) {
      if (related) assert.ok(f.related.map(line).includes(related), `${rule} at ${at}: expected related ${related}`);
    }
  }
  assert.deepEqual(ws.notices(), [], 'every file of the example reads cleanly');
  // Each finding marks the key owning the env list (`containers`), a flag, or a value: never a block.
  const ex = (f: (typeof findings)[number]) => fs.readFileSync(path.join(EXAMPLE, f.file), 'utf8').slice(f.span.start, f.span.end);
  assert.deepEqual([...new Set(findings.filter((f) => f.file === 'infra/services.tf').map(ex))].sort(), ['changeme', 'containers']);

  // The fixes are written in each file's syntax.
  const gcp = findings.find((f) => f.rule === 'gcp-project-id-unwired' && f.file === 'infra/services.tf')!;
  assert.deepEqual(gcp.fixes.map((x) => [x.safe, x.edits[0].newText]), [[true, '\n      env {\n        name  = "GCP_PROJECT_ID"\n        value = var.project_id\n      }']]);
  const batch = findings.find((f) => f.rule === 'env-unset-for-deploy' && f.file === 'scripts/deploy-worker.sh')!;
  assert.deepEqual(batch.fixes.map((x) => [x.edits[0].file, x.edits[0].newText]), [['deploy/worker.prod.yaml', '\nBATCH_SIZE: REPLACE_WITH_BATCH_SIZE']]);
});

test('the Terraform example: targets per tfvars environment; the module is not placed, with the reason', async () => {
  const ws = new Workspace(EXAMPLE);
  await ws.loadAll();
  const data = explainModel(ws.model());
  assert.deepEqual(data.targets.map((t) => `${t.serviceName}@${t.environment}`), ['billing@production', 'billing@staging', 'orders@production', 'orders@staging', 'worker@production']);
  // Terraform replaces both lists whole; the worker's --env-vars-file replaces its variables, but
  // without --set-secrets the job keeps whatever secrets it has.
  assert.deepEqual(data.targets.map((t) => t.partial.map((p) => p.kind ?? 'all')), [[], [], [], [], ['secrets']], 'every variable list is fully visible');
  assert.deepEqual(data.unplaced.map((u) => [u.file, u.evidence[0]]), [['infra/modules/cloud-run/main.tf', 'not placed: service name var.name cannot be resolved statically (a module input, a variable with no value in the workspace, or a value known only at apply time)']]);
});
