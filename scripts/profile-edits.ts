/**
 * node --import tsx scripts/profile-edits.ts --tree DIR --file REL [--edits N] [--cache DIR] [--cpu-prof OUT]
 *
 * An edit's cost without the protocol: loads a tree through the engine's façade as the language
 * server does (from the fact cache in --cache, default a folder under the OS temp dir, so the
 * second run starts warm), opens REL, then makes N edits (a comment line appended, a different one
 * each time) and asks for the findings after each. Prints p50/p95/max and the total; with
 * --cpu-prof, writes a V8 CPU profile of the edits alone (open it in Chrome's DevTools, or sum its
 * self times by function). Runs from the TypeScript sources, so profiles name source files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Session } from 'node:inspector/promises';
import { Analysis } from '../server/src/engine/analysis';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const tree = flag('--tree');
  const rel = flag('--file');
  if (!tree || !rel) throw new Error('usage: --tree DIR --file REL [--edits N] [--cache DIR] [--cpu-prof OUT]');
  const n = Number(flag('--edits') ?? 60);
  const cache = flag('--cache') ?? path.join(os.tmpdir(), 'dp-profile-edits-cache');
  const out = flag('--cpu-prof');

  await Analysis.ready();
  const analysis = new Analysis(path.resolve(tree), { cacheLocation: cache });
  let t = performance.now();
  await analysis.load({ priority: [rel] });
  process.stdout.write(`load ${(performance.now() - t).toFixed(0)} ms (${analysis.fileCount()} files)\n`);
  const text = fs.readFileSync(path.join(tree, rel), 'utf8');
  analysis.openDocument(rel, text);
  const findings = analysis.findings().length;
  // A few edits first: the first ones compile and warm what later edits reuse.
  for (let i = 0; i < 5; i++) {
    analysis.updateDocument(rel, `${text}\n# warm-up ${i}\n`);
    analysis.findings();
  }

  const session = new Session();
  if (out) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    t = performance.now();
    analysis.updateDocument(rel, `${text}\n# edit ${i}\n`);
    analysis.findings();
    times.push(performance.now() - t);
  }
  if (out) {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(out, JSON.stringify(profile));
    session.disconnect();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))].toFixed(1);
  const total = times.reduce((a, b) => a + b, 0);
  process.stdout.write(`${findings} findings; ${n} edits of ${rel}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms, total ${total.toFixed(0)} ms${out ? `; profile in ${out}` : ''}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 2;
});
