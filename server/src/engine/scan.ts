/**
 * Finds the files of a workspace worth reading: respects `.gitignore` (nested ones too, never for a
 * file git tracks: `git-index.ts`) and the config's `ignore`, skips dependency folders, virtualenvs and build output, never follows a
 * symlinked directory (no loops), and reads each file once with limits on size and binary content.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import { compileIgnore, type IgnoreRules } from './gitignore';
import { trackedFiles } from './git-index';
import { classify } from '../extract/classify';
import type { Notice } from '../core/findings';
import { DEFAULT_SKIP_DIRS } from '../core/config';

/** Folders never analysed by default (the config's `skipDirs` replaces the list). */
export const SKIP_DIRS: ReadonlySet<string> = new Set(DEFAULT_SKIP_DIRS);

export interface ScanOptions {
  ignore: string[];
  /** Folder names never entered (default `SKIP_DIRS`). */
  skipDirs?: readonly string[];
  /** Paths listed even inside a skipped folder or an ignored path (.gitignore-style, from the root). */
  include?: string[];
  maxDepth?: number;
  /** Receives each folder skipped by name (`skipDirs`), relative to the root. */
  onSkippedDir?(rel: string): void;
}

/**
 * `include` patterns: which paths they match, and which skipped folders they may reach into. A
 * skipped folder is entered only when a pattern's fixed leading folders lead into it (`build/**`
 * enters `build/`; `*.sh` does not enter `node_modules/`).
 */
export function includeMatcher(patterns: readonly string[]): { matches(rel: string): boolean; mayContain(dir: string): boolean } | undefined {
  const list = patterns.filter((p) => p.trim() && !p.startsWith('#'));
  if (!list.length) return undefined;
  const ig = ignore().add(list);
  const prefixes = list.map((p) => {
    const segs = p.replace(/^\//, '').split('/');
    const fixed: string[] = [];
    for (const s of segs.slice(0, -1)) {
      if (/[*?[\]!\\]/.test(s) || !s) break;
      fixed.push(s);
    }
    return fixed.join('/');
  }).filter(Boolean);
  return {
    matches: (rel) => ig.ignores(rel),
    mayContain: (dir) => prefixes.some((p) => p === dir || p.startsWith(`${dir}/`) || dir.startsWith(`${p}/`)),
  };
}

/** Workspace-relative paths (with `/`) of files whose kind we analyse or that mark code roots. */
export async function listFiles(root: string, options: ScanOptions, notices: Notice[]): Promise<string[]> {
  const out: string[] = [];
  const maxDepth = options.maxDepth ?? 40;
  const base = compileIgnore(options.ignore);
  const skipDirs = options.skipDirs ? new Set(options.skipDirs) : SKIP_DIRS;
  const include = includeMatcher(options.include ?? []);
  const realRoot = await fs.promises.realpath(root).catch(() => root);
  // git never ignores a file it tracks, whatever a `.gitignore` says; the config's `ignore` still applies.
  const tracked = trackedFiles(root);
  /** `only`: inside a skipped or ignored folder, entered for `include` patterns alone. */
  async function walk(dir: string, rel: string, rules: { ig: IgnoreRules; at: string }[], depth: number, only: boolean, trackedOnly = false): Promise<void> {
    if (depth > maxDepth) {
      notices.push({ file: rel || '.', message: `directory nesting deeper than ${maxDepth} levels: not scanned further` });
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      notices.push({ file: rel || '.', message: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    let here = rules;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const gi = compileIgnore(await fs.promises.readFile(path.join(dir, '.gitignore'), 'utf8'));
        here = [...rules, { ig: gi, at: rel }];
      } catch { /* unreadable .gitignore: ignore it */ }
    }
    const ignored = (p: string, isDir: boolean): boolean => {
      const test = isDir ? p + '/' : p;
      if (base.ignores(test)) return true;
      if (tracked && (isDir ? tracked.dirs.has(p) : tracked.files.has(p))) return false;
      if (trackedOnly) return true;
      for (const r of here) {
        const sub = r.at ? test.slice(r.at.length + 1) : test;
        if (sub && r.ig.ignores(sub)) return true;
      }
      return false;
    };
    /** What the `.gitignore` rules alone say of a folder. */
    const gitIgnored = (p: string): boolean => here.some((r) => {
      const sub = r.at ? `${p}/`.slice(r.at.length + 1) : `${p}/`;
      return !!sub && r.ig.ignores(sub);
    });
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        const byName = skipDirs.has(e.name);
        const skip = only || byName || ignored(childRel, true) || fs.existsSync(path.join(dir, e.name, 'pyvenv.cfg'));
        if (byName && !only) options.onSkippedDir?.(childRel);
        // A folder `.gitignore` hides but git tracks files in: only those are listed from it.
        const hidden = trackedOnly || (!!tracked?.dirs.has(childRel) && gitIgnored(childRel));
        if (!skip) subdirs.push(walk(path.join(dir, e.name), childRel, here, depth + 1, false, hidden));
        else if (include?.mayContain(childRel)) subdirs.push(walk(path.join(dir, e.name), childRel, here, depth + 1, true));
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (e.isSymbolicLink()) {
          // Follow links to files inside the workspace only: a linked directory could loop, and
          // a link out of the workspace would read what the user never asked us to check.
          try {
            const target = path.join(dir, e.name);
            if (!(await fs.promises.stat(target)).isFile()) continue;
            const real = path.relative(realRoot, await fs.promises.realpath(target));
            if (real.startsWith('..') || path.isAbsolute(real)) {
              notices.push({ file: childRel, message: 'symlink to a file outside the workspace: skipped' });
              continue;
            }
          } catch { continue; }
        }
        if ((only || ignored(childRel, false)) && !include?.matches(childRel)) continue;
        if (classify(childRel) === 'other' && !maybeScript(e.name)) continue;
        out.push(childRel);
      }
    }
    await Promise.all(subdirs);
  }
  await walk(root, '', [], 0, false);
  return out.sort();
}

/** Extension-less files may be shell or Python scripts (decided by their first line). */
function maybeScript(name: string): boolean {
  return !name.includes('.');
}

/** A file's text, or why it is skipped. `stat`: its size and modification time when read
 * (`readForAnalysisSync`), for the fact cache's stat fast path. */
export type ReadResult = { text: string; stat?: { size: number; mtimeMs: number } } | { skipped: string };

/** Reads a file for analysis, or says why it is skipped. Invalid UTF-8 is decoded with U+FFFD. */
export async function readForAnalysis(absPath: string, maxBytes: number): Promise<ReadResult> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(absPath);
  } catch (err) {
    return { skipped: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  if (stat.size > maxBytes) return { skipped: `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(stat.size / 1024)} KB): skipped` };
  let buf: Buffer;
  try {
    buf = await fs.promises.readFile(absPath);
  } catch (err) {
    return { skipped: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  return decode(buf);
}

/**
 * The same as `readForAnalysis`, synchronously: one open, one fstat, one read. Used by the bulk
 * load, which reads in time slices and yields between them (the async path pays a thread-pool
 * round trip per file, which dominates on a busy machine).
 */
export function readForAnalysisSync(absPath: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(absPath, 'r');
  } catch (err) {
    return { skipped: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  try {
    const st = fs.fstatSync(fd);
    const size = st.size;
    if (size > maxBytes) return { skipped: `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(size / 1024)} KB): skipped` };
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    const r = decode(got === size ? buf : buf.subarray(0, got));
    if ('text' in r && got === size) r.stat = { size, mtimeMs: st.mtimeMs };
    return r;
  } catch (err) {
    return { skipped: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  } finally {
    fs.closeSync(fd);
  }
}

// TextDecoder drops a leading BOM, as editors do, so offsets agree with the editor's text. One
// instance serves every (non-streaming) decode.
const UTF8 = new TextDecoder('utf-8', { fatal: false });

export function decode(buf: Buffer): ReadResult {
  const head = buf.subarray(0, 8192);
  if (head.includes(0)) return { skipped: 'binary file: skipped' };
  return { text: UTF8.decode(buf) };
}
