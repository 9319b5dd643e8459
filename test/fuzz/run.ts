/**
 * The long fuzz run (`npm run fuzz`): `--budget SECONDS` (default 300), `--seed N` (default: the
 * date), `--kind NAME` to fuzz one kind. Failing inputs are written to test/fuzz/regressions/,
 * which the bounded test in `npm test` replays.
 */
import { fuzz, formatStats, makeContext, saveRegression } from './harness';
import { KINDS } from './mutators';

function arg(name: string): string | undefined {
  const i = process.argv.lastIndexOf(name); // `npm run fuzz -- --budget 60` overrides the script's default
  return i >= 0 ? process.argv[i + 1] : undefined;
}

(async () => {
  const budget = Number(arg('--budget') ?? 300);
  const seed = Number(arg('--seed') ?? Math.floor(Date.now() / 86_400_000));
  const only = arg('--kind');
  const kinds = only ? KINDS.filter((k) => k.kind === only) : KINDS;
  if (kinds.length === 0) throw new Error(`unknown kind ${only}; one of ${KINDS.map((k) => k.kind).join(', ')}`);
  const ctx = await makeContext();
  let failures = 0;
  const saved = new Set<string>();
  console.log(`fuzzing ${kinds.map((k) => k.kind).join(', ')} for ${budget} s, seed ${seed}`);
  const stats = await fuzz(ctx, {
    seed,
    kinds,
    deadline: Date.now() + budget * 1000,
    onFailure: (r, violations) => {
      failures++;
      const key = `${r.kind}:${violations[0].replace(/\d+/g, 'N').slice(0, 120)}`;
      if (saved.has(key)) return; // one fixture per distinct failure
      saved.add(key);
      const name = saveRegression(r);
      console.log(`FAIL ${r.kind} → regressions/${name}\n  ${violations.slice(0, 3).join('\n  ')}`);
    },
  });
  console.log(formatStats(stats));
  console.log(failures ? `${failures} failing inputs (${saved.size} distinct saved)` : 'no failures');
  process.exitCode = failures ? 1 : 0;
})().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
