/**
 * Reads a package's front-end build inlines by its framework's prefix (`process.env.REACT_APP_*`
 * in a Create React App package): known only from the package.json above the file, so decided
 * here rather than by the extractor, which sees one file.
 */
import * as path from 'node:path';
import type { EnvRead, FileFacts } from '../core/facts';
import { NEXT_CONFIG_FILES } from '../knowledge/build-time-env';

export class InlinedReads {
  private readonly byDir = new Map<string, readonly string[]>();

  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

  /** `read` as the model sees it: marked `buildTime` when the nearest package.json's build inlines its prefix. */
  judged(file: string, facts: FileFacts, read: EnvRead): EnvRead {
    if (read.buildTime || facts.kind !== 'typescript') return read;
    const prefixes = this.prefixesAt(path.posix.dirname(file));
    return prefixes.some((p) => read.name.startsWith(p)) ? { ...read, buildTime: true } : read;
  }

  /** The prefixes of the nearest package.json at or above `dir` (its own package, not an outer one). */
  private prefixesAt(dir: string): readonly string[] {
    const d = dir === '.' ? '' : dir;
    const known = this.byDir.get(d);
    if (known) return known;
    const pkg = this.files.get(d ? `${d}/package.json` : 'package.json');
    const found = pkg ? pkg.inlinedPrefixes ?? [] : d === '' ? [] : this.prefixesAt(path.posix.dirname(d));
    this.byDir.set(d, found);
    return found;
  }
}

/** The folder of the nearest package.json at or above `dir` ('' for the workspace root), or
 * undefined when there is none. */
export function nearestPackageDir(files: ReadonlyMap<string, FileFacts>, dir: string): string | undefined {
  for (let d = dir === '.' ? '' : dir; ; d = path.posix.dirname(d) === '.' ? '' : path.posix.dirname(d)) {
    if (files.has(d ? `${d}/package.json` : 'package.json')) return d;
    if (d === '') return undefined;
  }
}

/** Whether the folder (`prefix`: '' or `web/`) is a Next.js app: its package.json depends on
 * `next`, or it holds a Next.js config. */
export function isNextAppFolder(files: ReadonlyMap<string, FileFacts>, prefix: string): boolean {
  return !!files.get(`${prefix}package.json`)?.inlinedPrefixes?.includes('NEXT_PUBLIC_') || NEXT_CONFIG_FILES.some((c) => files.has(`${prefix}${c}`));
}
