/**
 * Each problem is counted once in every output: the stylish summary, JSON, SARIF and GitHub
 * annotations of the example all count the engine's findings (one per problem, reported where its
 * fix goes), never a problem's two ends. Every finding keeps to one line of message (≤ 140
 * characters) and marks a spot (≤ 3 lines); no two findings give different advice on one spot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { Workspace } from '../../server/src/engine/workspace';
import { assertNoConflictingFixes } from '../rule-tester';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'staging-audit');

async function run(args: string[]): Promise<string> {
  let out = '';
  await main(args, (s) => { out += s; }, () => undefined);
  return out;
}

test('the example: every output counts problems, not ends', async () => {
  const ws = new Workspace(EXAMPLE);
  await ws.loadAll();
  const findings = ws.findings();
  const n = findings.length;
  const stylish = await run([EXAMPLE, '--no-color', '--exit-zero']);
  assert.match(stylish, new RegExp(`✖ ${n} problems \\(`), stylish.split('\n').slice(-4).join('\n'));
  const json = JSON.parse(await run([EXAMPLE, '--format', 'json', '--exit-zero'])) as { findings: unknown[] };
  assert.equal(json.findings.length, n);
  const sarif = JSON.parse(await run([EXAMPLE, '--format', 'sarif', '--exit-zero'])) as { runs: { results: unknown[] }[] };
  assert.equal(sarif.runs[0].results.length, n);
  const github = (await run([EXAMPLE, '--format', 'github', '--exit-zero'])).split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
  assert.equal(github.length, n);
  // One problem, one finding: no two findings of a rule for one target and name at both ends.
  assert.equal(new Set(findings.map((f) => f.fingerprint)).size, n);
});

test('the example: short messages, narrow ranges, one piece of advice per spot', async () => {
  const ws = new Workspace(EXAMPLE);
  await ws.loadAll();
  const findings = ws.findings();
  for (const f of findings) {
    assert.ok(f.message.length <= 140, `${f.file}:${f.range.start.line + 1} message of ${f.message.length} characters`);
    assert.ok(f.range.end.line - f.range.start.line < 3, `${f.file}:${f.range.start.line + 1} spans ${f.range.end.line - f.range.start.line + 1} lines`);
  }
  assertNoConflictingFixes(findings);
});
