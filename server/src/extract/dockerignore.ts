/**
 * A `.dockerignore`: the patterns of files a build context leaves out, one per line (`#` starts a
 * comment, `!` takes back what an earlier pattern left out), as Docker reads them:
 * https://docs.docker.com/build/concepts/context/#dockerignore-files. Matching them is the
 * model's (model/build-context.ts).
 */
import * as path from 'node:path';
import type { FileFacts } from '../core/facts';

export function extractDockerignore(text: string, facts: FileFacts): void {
  const patterns: NonNullable<FileFacts['contextIgnore']> = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    // Docker cleans each pattern (Go's filepath.Clean) and drops a leading slash: `/dist`, `./dist/` and `dist` are one.
    const cleaned = path.posix.normalize((negate ? line.slice(1) : line).trim()).replace(/^\/+/, '').replace(/\/+$/, '');
    if (!cleaned || cleaned === '.') continue;
    patterns.push({ pattern: cleaned, negate });
  }
  facts.contextIgnore = patterns;
}
