/**
 * Library modules kept in a script folder (`scripts/firebase_auth.js`, `scripts/common.py`) that
 * only operator code loads: the scripts beside them (standalone programs, `FileFacts.isScript`),
 * tests, or other such modules. Like the scripts, they run outside the deployed service, so their
 * reads are nobody's deploy requirement. A module nothing is seen loading, or that any service
 * code loads, stays service code (an import from a file the prefilters skipped is not seen: such a
 * file reads no environment, and a service that loads a script folder's module is rare).
 * Pure: reads facts only.
 */
import * as path from 'node:path';
import { runsOutsideService, type FileFacts } from '../core/facts';
import { inScriptFolder } from '../knowledge/script-paths';
import { CODE_FILE, isCodeFile } from '../knowledge/code-roots';

const INDEX = /^(?:index|__init__)$/;

/** The keys an import can name this file by: its path without extension, and its folder for an
 * `index.*` / `__init__.py`. */
function keysOf(file: string): string[] {
  const noExt = file.replace(CODE_FILE, '');
  const base = path.posix.basename(noExt);
  if (!INDEX.test(base)) return [noExt];
  const dir = path.posix.dirname(noExt);
  return [noExt, dir === '.' ? '' : dir];
}

export function operatorModules(files: ReadonlyMap<string, FileFacts>): ReadonlySet<string> {
  const byKey = new Map<string, string>();
  for (const [file, facts] of files) {
    if (!isCodeFile(file) || !inScriptFolder(file) || runsOutsideService(facts)) continue;
    for (const k of keysOf(file)) byKey.set(k, file);
  }
  if (byKey.size === 0) return new Set();
  const importers = new Map<string, Set<string>>();
  for (const [file, facts] of files) {
    for (const k of facts.imports ?? []) {
      const m = byKey.get(k);
      if (!m || m === file) continue;
      let set = importers.get(m);
      if (!set) importers.set(m, (set = new Set()));
      set.add(file);
    }
  }
  // The largest set where every importer is operator code (a module two such modules share
  // stays in): start from every loaded module and drop any that service code loads, until stable.
  const op = new Set(importers.keys());
  const operator = (f: string): boolean => {
    const facts = files.get(f);
    return op.has(f) || (!!facts && runsOutsideService(facts));
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const m of op) {
      if ([...importers.get(m) ?? []].some((g) => !operator(g))) {
        op.delete(m);
        changed = true;
      }
    }
  }
  return op;
}
