/**
 * What a host could publish while indexing: loads a workspace with one file "open" and reports
 * when `Workspace.loadAll`'s early phase (open files, deploy files, env files, manifests) ends,
 * the open file's findings at that point, and the same at the end of the load. Bundled and run
 * as its own process by bench/run.ts. Prints JSON.
 */
import * as path from 'node:path';
import { Workspace } from '../server/src/engine/workspace';

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2]);
  const open = process.argv[3];
  const t0 = performance.now();
  const ws = new Workspace(root);
  let earlyMs: number | undefined;
  let early: string[] = [];
  await ws.loadAll(undefined, [open], () => {
    early = ws.findings().filter((f) => f.file === open).map((f) => `${f.rule}@${f.range.start.line}`).sort();
    earlyMs = performance.now() - t0;
  });
  const final = ws.findings().filter((f) => f.file === open).map((f) => `${f.rule}@${f.range.start.line}`).sort();
  const totalMs = performance.now() - t0;
  process.stdout.write(JSON.stringify({ earlyMs, totalMs, early, final, same: JSON.stringify(early) === JSON.stringify(final) }) + '\n');
}

void main();
