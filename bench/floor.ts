/**
 * The read floor: list the workspace with the engine's own walk rules (.gitignore, skipped
 * folders, analysable kinds) and read every listed file's bytes. Bundled and run as its own
 * process by bench/run.ts so it pays the same process start-up as the CLI.
 * Prints JSON: { files, bytes, ms, maxRssKb }.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles } from '../server/src/engine/scan';

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? '.');
  const t0 = performance.now();
  const list = await listFiles(root, { ignore: [] }, []);
  let bytes = 0;
  for (const rel of list) bytes += fs.readFileSync(path.join(root, rel)).length;
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ files: list.length, bytes, ms, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
}

void main();
