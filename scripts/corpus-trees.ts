/**
 * Which corpus trees a measuring script runs on: those named with `--repo NAME` / `--dir PATH`,
 * else every exported tree under $CORPUS_DIR that test/corpus/manifest.json lists and does not hold
 * out (`heldOut`), and not the history cases. A tree the manifest does not list is skipped too: a
 * new held-out set may be exported before the manifest names it, and running on it would mean
 * reading its code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CORPUS_DIR = process.env.CORPUS_DIR || '/work/corpus';

export function corpusTrees(argv: string[]): string[] {
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repo') dirs.push(path.join(CORPUS_DIR, argv[++i]!));
    else if (argv[i] === '--dir') dirs.push(path.resolve(argv[++i]!));
  }
  if (dirs.length) return dirs;
  const open = new Set(
    (JSON.parse(fs.readFileSync(new URL('../test/corpus/manifest.json', import.meta.url), 'utf8')) as { repos: { name: string; heldOut?: boolean }[] })
      .repos.filter((r) => !r.heldOut).map((r) => r.name),
  );
  return fs.readdirSync(CORPUS_DIR)
    .filter((n) => open.has(n) && n !== 'history' && fs.statSync(path.join(CORPUS_DIR, n)).isDirectory())
    .sort()
    .map((n) => path.join(CORPUS_DIR, n));
}
