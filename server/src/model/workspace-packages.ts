/**
 * The workspace's own packages, found by the names other packages import them by (a package.json
 * `name`: `@acme/shared`), and the source module such a name loads: the entry (`main`, mapped
 * from a build's output to its source) or the path after the name. The module graph follows
 * imports through them; a read passed to a function one of them offers is judged by that
 * function (model/passed-reads.ts).
 *
 * Pure: reads facts only.
 */
import * as path from 'node:path';
import type { FileFacts } from '../core/facts';
import { resolveSpecifier } from './module-paths';

/** Folders a build writes its output to (`tsc --outDir dist`): the source is found by the rest of the path. */
export const BUILD_DIRS = new Set(['dist', 'build', 'out', 'lib', '.output']);
export const CODE = /\.(?:[cm]?[jt]sx?)$/i;

/**
 * The source a build's output stands for, where a module imports the output of the workspace's
 * own compile (`../../dist/services/search/src/index.js` → `services/search/src/index.ts`):
 * the rest of the path after the build folder, from that folder's parent, as a command's path is
 * mapped (model/module-graph.ts `entriesOf`).
 */
export function sourceOfOutput(files: ReadonlyMap<string, FileFacts>, from: string, specifier: string): string | undefined {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  if (target.startsWith('../')) return undefined;
  const segs = target.split('/');
  for (let i = 0; i < segs.length - 1; i++) {
    if (!BUILD_DIRS.has(segs[i]!)) continue;
    const base = segs.slice(0, i).join('/');
    const rest = segs.slice(i + 1).join('/');
    for (const w of [`src/${rest}`, rest]) {
      const f = resolveSpecifier(base ? `${base}/x` : 'x', `./${w}`, (x) => files.has(x) && CODE.test(x));
      if (f) return f;
    }
  }
  return undefined;
}

export class WorkspacePackages {
  /** By name, with their folder and entry; folder `\0` where two folders share the name. */
  private packages?: Map<string, { dir: string; main?: string }>;

  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

  /**
   * The source module a bare specifier (`@acme/core`, `@acme/core/billing`) loads when it names a
   * package of the workspace; `null` when it names one whose source is not found (or two folders
   * hold a package of that name: which one is loaded is not known); undefined when it names none.
   */
  sourceOf(specifier: string): string | null | undefined {
    const pkg = this.find(specifier);
    if (!pkg) return undefined;
    return this.packageModule(pkg.dir, pkg.main, pkg.sub) ?? null;
  }

  /** The workspace package a bare specifier names, and the path inside it. */
  private find(specifier: string): { dir: string; main?: string; sub: string } | undefined {
    if (!this.packages) {
      this.packages = new Map();
      for (const [file, facts] of this.files) {
        const entry = facts.packageEntry;
        if (!entry || path.posix.basename(file) !== 'package.json') continue;
        const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
        if (this.packages.has(entry.name)) this.packages.set(entry.name, { dir: '\0' });
        else this.packages.set(entry.name, { dir, ...(entry.main ? { main: entry.main } : {}) });
      }
    }
    if (!this.packages.size) return undefined;
    const segs = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const found = this.packages.get(segs.slice(0, nameLength).join('/'));
    return found ? { ...found, sub: segs.slice(nameLength).join('/') } : undefined;
  }

  /** The source module of a workspace package a name loads: its entry (`main`: `dist/index.js` →
   * `src/index.ts`), or a path inside it, as written or under `src/`. */
  private packageModule(dir: string, main: string | undefined, sub: string): string | undefined {
    if (dir === '\0') return undefined;
    const from = dir ? `${dir}/x` : 'x';
    const candidates = sub ? [sub, `src/${sub}`] : [...(main ? [main] : []), 'src/index', 'index'];
    for (const c of candidates) {
      const rel = `./${c.replace(/^\.\//, '')}`;
      const f = resolveSpecifier(from, rel, (x) => this.files.has(x) && CODE.test(x)) ?? sourceOfOutput(this.files, from, rel);
      if (f) return f;
    }
    return undefined;
  }
}
