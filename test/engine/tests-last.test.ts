/**
 * The language server loads the code of tests last (`onFindings`): when every other file is in,
 * the findings are final and published, and a stub by name stands in for each test until its real
 * facts come. This checks that the findings at that moment are those of the whole load and of a
 * findings-only host, that the tests were not yet parsed then, and that they are afterwards.
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
  'services/backend/tests/test_wiring.py': 'import os\nAPI_KEY = os.environ["PAYMENTS_API_KEY"]\n\ndef test_key():\n    assert os.getenv("GCP_PROJECT_ID")\n',
  'services/backend/tests/fixtures/__init__.py': '',
  'services/auth/src/config.spec.ts': "const id = process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING!;\nexport const url = 'postgresql://u:p@localhost/db?host=/cloudsql/p:r:i&ssl=true';\n",
};

before(async () => {
  await ready();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-tests-last-'));
  fs.cpSync(EXAMPLE, root, { recursive: true });
  writeFiles(root, TESTS);
});

after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('at onFindings the findings are final and the tests are stubs; afterwards the tests are parsed', async () => {
  const analysis = new Analysis(root);
  let atFindings: { findings: unknown; explain: unknown; matrix: unknown; testReads: number[]; testIsTest: (boolean | undefined)[]; appReads: number } | undefined;
  let order: string[] = [];
  await analysis.load({
    priority: ['services/backend/app/main.py'],
    onEarly: () => order.push('early'),
    onFindings: () => {
      order.push('findings');
      atFindings = {
        findings: analysis.findings(), explain: analysis.explain(), matrix: analysis.matrix(),
        testReads: Object.keys(TESTS).map((rel) => analysis.facts(rel)?.reads.length ?? -1),
        testIsTest: Object.keys(TESTS).map((rel) => analysis.facts(rel)?.isTest),
        appReads: analysis.facts('services/backend/app/main.py')?.reads.length ?? 0,
      };
    },
  });
  assert.deepEqual(order, ['early', 'findings']);
  assert.ok(atFindings);
  assert.deepEqual(atFindings.testReads, [0, 0, 0], 'no test parsed before the findings are final');
  assert.deepEqual(atFindings.testIsTest, [true, true, true]);
  assert.ok(atFindings.appReads > 0);
  // After the load: the tests' real facts, and the same findings.
  assert.ok((analysis.facts('services/backend/tests/test_wiring.py')?.reads.length ?? 0) > 0);
  assert.ok((analysis.facts('services/auth/src/config.spec.ts')?.reads.length ?? 0) > 0);
  assert.ok((analysis.findings() as unknown[]).length > 5);
  assert.deepEqual(atFindings.findings, analysis.findings());
  assert.deepEqual(atFindings.explain, analysis.explain());
  assert.deepEqual(atFindings.matrix, analysis.matrix());
  // And those of a findings-only host.
  const lean = new Analysis(root, { findingsOnly: true });
  await lean.load();
  assert.deepEqual(lean.findings(), analysis.findings());
});

test('without onFindings the load order is as before: a test is never stubbed', async () => {
  const analysis = new Analysis(root);
  const seen = new Set<number>();
  await analysis.load({ onProgress: () => { seen.add(analysis.facts('services/backend/tests/test_wiring.py')?.reads.length ?? -1); } });
  assert.ok(!seen.has(0), `reads seen while loading: ${[...seen].join(', ')}`);
  assert.ok((analysis.facts('services/backend/tests/test_wiring.py')?.reads.length ?? 0) > 0);
});
