/**
 * The bounded fuzz run of `npm test` (fixed seed, a fixed number of inputs per kind, huge lines
 * up to 100 K characters) and the replay of every saved regression input. The long run is
 * `npm run fuzz` (test/fuzz/run.ts).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, formatStats, loadRegressions, makeContext, runConfirmed, runInput, internalProblems, type Context } from './harness';
import { KINDS, setHugeSizes } from './mutators';

/** Inputs per kind in the bounded run (9 kinds). */
const PER_KIND = Number(process.env.FUZZ_PER_KIND ?? 40);
const SEED = 20240607;

let ctx: Context;
before(async () => {
  ctx = await makeContext();
});

test('the unmodified example passes the invariants (the harness can see findings)', () => {
  for (const k of KINDS) {
    const o = runInput(ctx, k, ctx.base[k.file]);
    assert.deepEqual(o.violations, [], k.kind);
  }
  // The example is full of findings; a harness that saw none would check nothing.
  assert.ok(runInput(ctx, KINDS[0], ctx.base[KINDS[0].file]).findings >= 10);
  for (const k of KINDS) assert.ok((ctx.seeds.get(k.kind) ?? []).length >= 3, `seeds for ${k.kind}`);
});

test('the invariant checks fail on a broken finding', () => {
  // Guard against a harness that cannot fail: a workspace whose rules report outside the file.
  const ws = ctx.ws;
  const original = ws.findings.bind(ws);
  ws.findings = () => original().map((f, i) => (i === 0 ? { ...f, span: { start: f.span.start, end: 1e9 } } : f));
  try {
    const o = runInput(ctx, KINDS[0], ctx.base[KINDS[0].file] + '\n');
    assert.ok(o.violations.some((v) => v.includes('outside')), o.violations.join('\n'));
  } finally {
    ws.findings = original;
  }
});

test('saved regression inputs still pass', () => {
  const regs = loadRegressions();
  for (const { name, r } of regs) {
    const o = runConfirmed(ctx, r, r.text);
    assert.deepEqual(o.violations, [], `${name}: ${r.note}`);
    assert.deepEqual(internalProblems(r.file, r.text), [], name);
  }
  console.log(`replayed ${regs.length} regression inputs`);
});

test(`bounded fuzz: ${PER_KIND} mutated inputs per file kind`, async () => {
  setHugeSizes([10_000, 50_000, 100_000]);
  const failures: string[] = [];
  const stats = await fuzz(ctx, {
    seed: SEED,
    perKind: PER_KIND,
    onFailure: (r, violations) => failures.push(`${r.kind} (${r.note.split(':')[0]}): ${violations.slice(0, 2).join(' | ')}\n  input: ${JSON.stringify(r.text.slice(0, 200))}`),
  });
  console.log(formatStats(stats));
  for (const k of KINDS) assert.equal(stats.get(k.kind)?.inputs, PER_KIND);
  assert.deepEqual(failures, []);
});
