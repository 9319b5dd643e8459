/**
 * Functions nothing calls. A read inside a function that no file of the workspace names
 * (`EnvRead.inUnnamedFunction`: nothing in its own file, no decorator, no framework's
 * convention) never runs: a legacy checkout kept beside the one the app uses, a config getter
 * nothing asks, a helper the code stopped calling. Real repositories keep many; their reads are
 * no deploy's requirements.
 *
 * Whether another file names the function is asked of every file's word filter
 * (`FileFacts.words`: code, Dockerfiles, deploy and config files, tests excepted), whatever its
 * language or service: a name in any of them (`uvicorn app:create_app`, `--entry-point handler`,
 * a string handed to `getattr`) keeps the function called. The filter errs towards "named",
 * which only keeps a finding.
 *
 * Pure: reads the files' facts only.
 */
import type { EnvRead, FileFacts } from '../core/facts';
import { everyFile, type WordHolders, type WorkspaceFiles } from './file-words';

/** How many files deep a function's callers are followed. */
const MAX_FILES = 4;

/** The answer for `key`, worked out once. */
function remembered(memo: Map<string, boolean>, key: string, work: () => boolean): boolean {
  let hit = memo.get(key);
  if (hit === undefined) memo.set(key, (hit = work()));
  return hit;
}

export class FunctionCallers {
  /** By file and function: whether another file names the function. */
  private readonly namedFunctions = new Map<string, boolean>();
  /** By file, function and service root: whether the service's other files use the module. */
  private readonly usedModules = new Map<string, boolean>();
  /** By service folder: up to two of its code files. */
  private readonly otherModules = new Map<string, string[]>();
  /** By file, function and depth: whether a file other than that one names the function where it may run. */
  private readonly namedFrom = new Map<string, boolean>();
  constructor(
    private readonly files: WorkspaceFiles,
    private readonly holders: WordHolders,
  ) {}

  /** Whether the function `read` sits in is one nothing in the workspace names, but its own file's
   * definition and calls from functions of that file nothing else names. */
  uncalled(read: EnvRead, file: string): boolean {
    const fn = read.inUnnamedFunction;
    if (!fn) return false;
    const named = (f: string): boolean => remembered(this.namedFunctions, `${file}\0${f}`, () => this.namedElsewhere(f, file));
    // The functions of its file that alone call it: it runs if another file names one of them.
    return !named(fn) && !(read.unnamedCallers ?? []).some(named);
  }

  /**
   * Whether another file of the service (under `root`) names a function or class the module
   * defines besides `except`: the service's code uses the module. A read in a function nothing
   * names, in a module no known program loads but that the service's code uses, is as dead as one
   * a known program loads. A module nothing of its service uses is asked `hasOtherModules` next.
   * Only the service's own files count: a
   * helper of the same name in another service (each service's `must`, `get_settings`) says
   * nothing of this one.
   */
  inUse(file: string, except: string, root: string | undefined): boolean {
    if (root === undefined) return false;
    const under = root === '' || root === '.' ? '' : `${root}/`;
    return remembered(this.usedModules, `${file}\0${except}\0${root}`, () =>
      (this.files.get(file)?.definedNames ?? []).some((n) => n !== except && this.namedElsewhere(n, file, under)));
  }

  /**
   * Whether the service under `root` has code files besides `file` (tests excepted): a module no
   * file of such a service uses is dead code kept in the tree, not the service itself. A
   * one-module service's functions may be what its program runs by means the workspace cannot
   * name, and keep their reads.
   */
  hasOtherModules(file: string, root: string | undefined): boolean {
    if (root === undefined) return false;
    const under = root === '' || root === '.' ? '' : `${root}/`;
    let memo = this.otherModules.get(under);
    if (memo === undefined) {
      memo = [];
      for (const [f, facts] of everyFile(this.files)) {
        if ((facts.kind === 'python' || facts.kind === 'typescript') && !facts.isTest && f.startsWith(under)) {
          memo.push(f);
          if (memo.length > 1) break;
        }
      }
      this.otherModules.set(under, memo);
    }
    return memo.some((f) => f !== file);
  }

  /** Whether a file other than `own` (under `under`) names `fn` where it may run. */
  private namedElsewhere(fn: string, own: string, under?: string, depth = 0): boolean {
    for (const [file, facts] of this.holders.naming([fn], own, under)) {
      if (this.mayRunIn(fn, file, facts, depth, new Set())) return true;
    }
    return false;
  }

  /**
   * Whether `word`, which `file` holds, is used there where it may run: anywhere but the bodies of
   * the file's top-level functions (`FileFacts.usedOnlyIn`), or in one of those that runs — one
   * another file names, or one used in the file where it may run. A helper only `closeSession`
   * calls, with `closeSession` named nowhere, never runs. Deeper than `MAX_FILES` files the
   * answer is "runs", which only keeps a finding.
   */
  private mayRunIn(word: string, file: string, facts: FileFacts | undefined, depth: number, seen: Set<string>): boolean {
    const only = facts?.usedOnlyIn?.[word];
    if (only === undefined) return true;
    if (seen.has(word)) return false;
    seen.add(word);
    for (const fn of only) {
      if (this.mayRunIn(fn, file, facts, depth, seen)) return true;
      if (depth + 1 >= MAX_FILES) return true;
      const key = `${file}\0${fn}\0${depth + 1}`;
      if (remembered(this.namedFrom, key, () => this.namedElsewhere(fn, file, undefined, depth + 1))) return true;
    }
    return false;
  }
}
