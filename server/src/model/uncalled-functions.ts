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
import type { EnvRead } from '../core/facts';
import { everyFile, type WordHolders, type WorkspaceFiles } from './file-words';

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

  private namedElsewhere(fn: string, own: string, under?: string): boolean {
    for (const _ of this.holders.naming([fn], own, under)) return true;
    return false;
  }
}
