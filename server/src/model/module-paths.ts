/**
 * The workspace file a relative module specifier names, as TypeScript and bundlers resolve it: an
 * extension added or swapped (`.js` written for a `.ts` source), or a folder's `index`.
 */
import * as path from 'node:path';

/** Extensions tried for a specifier written without one, in TypeScript's order. */
const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mts', '.mjs', '.cts', '.cjs'];
/** A `.js` specifier names the `.ts` source it is compiled from (`moduleResolution: node16`). */
const SOURCE_OF: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.jsx': ['.tsx', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};

/** The file `specifier`, written in `from`, names, when `has` knows it. */
export function resolveSpecifier(from: string, specifier: string, has: (file: string) => boolean): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  if (base.startsWith('../')) return undefined;
  const ext = path.posix.extname(base);
  const candidates: string[] = [];
  const swapped = SOURCE_OF[ext];
  if (swapped) for (const e of swapped) candidates.push(base.slice(0, -ext.length) + e);
  else if (ext === '.ts' || ext === '.tsx' || ext === '.mts' || ext === '.cts') candidates.push(base);
  for (const e of EXTENSIONS) candidates.push(base + e);
  for (const e of EXTENSIONS) candidates.push(`${base}/index${e}`);
  return candidates.find(has);
}
