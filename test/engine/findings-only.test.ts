/**
 * A findings-only host (the CLI) does not parse the code of test files. That is safe only while
 * nothing it reports depends on a test's facts: this checks that the findings, the fix plan, the
 * matrix and `--explain` are identical with and without it, on the example workspace plus tests
 * shaped to tempt a rule (a test reading variables the deploy lacks, a test that compares the
 * state getter with the other enum, a test holding a placeholder secret and a Cloud SQL URL).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analysis } from '../../server/src/engine/analysis';
import { ready, writeFiles } from '../helpers';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'staging-audit');
let root = '';

const TESTS: Record<string, string> = {
  'services/backend/tests/test_wiring.py': [
    'import os',
    'from app.resilience.circuit_breaker import CircuitBreaker, UnifiedCircuitBreakerState',
    '',
    'API_KEY = os.environ["PAYMENTS_API_KEY"]',
    'DB = "postgresql+asyncpg://u:p@/db?host=/cloudsql/p:r:i&sslmode=require"',
    '',
    'def test_open():',
    '    breaker = CircuitBreaker()',
    '    assert breaker.state == UnifiedCircuitBreakerState.OPEN',
    '    assert os.getenv("GCP_PROJECT_ID")',
    '',
  ].join('\n'),
  'services/backend/conftest.py': 'import os\nos.environ.setdefault("JWT_SECRET_KEY", "changeme")\nSECRET = os.environ["STRIPE_SECRET"]\n',
  'services/auth/src/config.spec.ts': [
    "const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING!;",
    "const secret = process.env.SESSION_SECRET ?? 'replace-me';",
    "export const url = 'postgresql://u:p@localhost/db?host=/cloudsql/p:r:i&ssl=true';",
    '',
  ].join('\n'),
};

before(async () => {
  await ready();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-findings-only-'));
  fs.cpSync(EXAMPLE, root, { recursive: true });
  writeFiles(root, TESTS);
});

after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function run(findingsOnly: boolean): Promise<Analysis> {
  const analysis = new Analysis(root, { findingsOnly });
  await analysis.load();
  return analysis;
}

test('findings-only leaves the code of test files unparsed, and only that', async () => {
  const full = await run(false);
  const lean = await run(true);
  for (const rel of Object.keys(TESTS)) {
    assert.ok((full.facts(rel)?.reads.length ?? 0) > 0, `${rel} has reads when parsed`);
    assert.equal(lean.facts(rel)?.reads.length, 0, `${rel} is not parsed in findings-only`);
    assert.equal(lean.facts(rel)?.isTest, true);
  }
  assert.ok((lean.facts('services/backend/app/main.py')?.reads.length ?? 0) > 0, 'service code is still parsed');
});

test('findings, fix plan, matrix and explain are identical with and without findings-only', async () => {
  const full = await run(false);
  const lean = await run(true);
  assert.ok(full.findings().length > 5, 'the workspace has findings to compare');
  assert.deepEqual(lean.findings(), full.findings());
  assert.deepEqual(lean.fixPlan(), full.fixPlan());
  assert.deepEqual(lean.matrix(), full.matrix());
  assert.deepEqual(lean.explain(), full.explain());
});
