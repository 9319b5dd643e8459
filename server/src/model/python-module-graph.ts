/**
 * Which Python modules a container's program loads: the module its command starts (`uvicorn
 * app.main:app`, `python cloud_run_server.py`), the modules it imports, and theirs, to the end
 * (`FileFacts.moduleLinks`). A module of the service no import chain reaches (a bot script beside
 * the API, a fixture the evaluator reads as text, a hand-run tool) never runs in that container,
 * so its reads are not the deploy's requirements.
 *
 * The answer errs towards loading more, and is given only when it is sure; otherwise there is none
 * and every module counts:
 * - an absolute name is looked for under every folder above the importing file, the nearest first,
 *   and every match counts (which folders are on `sys.path` is not known); each package on the
 *   way loads its `__init__.py`;
 * - a name that matches no module there is a package's, unless the workspace has a folder of
 *   code of its first name elsewhere (an installed local package, a `PYTHONPATH` folder): then
 *   what it loads is not known;
 * - a relative import of a module the workspace lacks (generated code), a module that loads a
 *   computed name or moves `sys.path`, or Django (which imports apps by their names in settings)
 *   gives no answer;
 * - a string naming a module (`"app.main:app"`, `"settings.Prod"`) loads it where it names one;
 * - a loader by path whose call spells the file (`spec_from_file_location("c", HERE / "c.py")`)
 *   loads every workspace file whose path ends with it; one the workspace lacks gives no answer.
 *
 * Pure: reads facts only.
 */
import * as path from 'node:path';
import type { FileFacts } from '../core/facts';
import { NOT_WORKSPACE_PACKAGES } from '../knowledge/python-packages';
import { ProgramGraph } from './module-graph';

const parentOf = (d: string): string => (path.posix.dirname(d) === '.' ? '' : path.posix.dirname(d));
const join = (a: string, b: string): string => (a ? `${a}/${b}` : b);

export class PythonModuleGraph extends ProgramGraph {
  /** The names of the workspace's folders holding code. */
  private names?: ReadonlySet<string>;
  /** The workspace's Python files by file name. */
  private byBasename?: Map<string, string[]>;

  /** `codeDirs`: the folders holding code, at any depth (`Layout.codeDirs`). */
  constructor(private readonly files: ReadonlyMap<string, FileFacts>, private readonly dirs: ReadonlySet<string>, private readonly codeDirs: ReadonlySet<string>) {
    super();
  }

  /** From the modules `runs` name (`app/main.py` and `app/main/__main__.py` for `python -m
   * app.main`, `cloud_run_server.py`). */
  protected walk(runs: readonly string[], root: string): ReadonlySet<string> | undefined {
    const entries = runs.flatMap((r) => this.entriesOf(r, root));
    if (!entries.length) return undefined;
    const seen = new Set<string>();
    const queue: string[] = [];
    const add = (f: string): void => {
      if (seen.has(f)) return;
      seen.add(f);
      queue.push(f);
    };
    for (const e of entries) {
      add(e);
      // `python -m app.main`, `uvicorn app.main:app`: the packages above the module load first.
      for (let d = parentOf(e); d && (!root || d.startsWith(root)); d = parentOf(d)) {
        if (this.files.has(`${d}/__init__.py`)) add(`${d}/__init__.py`);
      }
    }
    while (queue.length) {
      const file = queue.pop()!;
      const links = this.files.get(file)?.moduleLinks;
      if (!links) continue; // a test's or a file outside the code: nothing followed
      if (links.dynamic) return undefined;
      for (const s of links.specifiers) {
        if (s.startsWith('.')) {
          const found = this.resolveRelative(file, s);
          if (found === undefined) return undefined;
          found.forEach(add);
          continue;
        }
        const found = this.resolveAbsolute(file, s);
        if (found.length) found.forEach(add);
        // `from api import debug` with `api/` a namespace package (no `__init__.py`): the package
        // itself loads nothing; its modules are among the named ones.
        else if (this.knownName(s.split('.')[0]!) && !this.namespaceAbove(file, s)) return undefined;
      }
      for (const s of links.named ?? []) (s.startsWith('.') ? this.resolveRelative(file, s) ?? [] : this.resolveAbsolute(file, s)).forEach(add);
      for (const f of links.files ?? []) {
        const found = this.filesSpelled(f);
        if (!found.length) return undefined;
        found.forEach(add);
      }
    }
    return seen;
  }

  /** The workspace file a command's path names, run from the service's folder or a folder above
   * it (an image copying files from beside the service's folder), the nearest first. */
  private entriesOf(run: string, root: string): string[] {
    const clean = run.trim().replace(/^\.\//, '').replace(/^\/+/, '');
    if (!clean.endsWith('.py')) return [];
    for (let d = root; ; d = parentOf(d)) {
      const f = join(d, clean);
      if (this.files.has(f)) return [f];
      if (!d) return [];
    }
  }

  /** `.x`, `..pkg.mod`, `.` against the importing file's package: the module and the packages on
   * the way, or the first one missing (undefined) — an attribute after a module is no module. */
  private resolveRelative(from: string, s: string): string[] | undefined {
    const dots = /^\.*/.exec(s)![0].length;
    let base = parentOf(from);
    for (let i = 1; i < dots; i++) base = parentOf(base);
    const segs = s.slice(dots).split('.').filter(Boolean);
    if (!segs.length) return this.files.has(join(base, '__init__.py')) ? [join(base, '__init__.py')] : [];
    const out = this.descend(base, segs);
    // Only a missing first module is a missing module: a name after a module is an attribute.
    return out.length || this.isModule(join(base, segs[0]!)) ? out : undefined;
  }

  /** `a.b.c` under every folder above `from`: each match's modules. */
  private resolveAbsolute(from: string, s: string): string[] {
    const segs = s.split('.');
    if (NOT_WORKSPACE_PACKAGES.has(segs[0]!)) return [];
    const out: string[] = [];
    for (let d = parentOf(from); ; d = parentOf(d)) {
      out.push(...this.descend(d, segs));
      if (!d) return out;
    }
  }

  /** The modules `segs` names from folder `base`: each package's `__init__.py` on the way and the
   * last module found (a name after it is an attribute). */
  private descend(base: string, segs: string[]): string[] {
    const out: string[] = [];
    let dir = base;
    for (const seg of segs) {
      const p = join(dir, seg);
      if (this.files.has(`${p}.py`)) {
        out.push(`${p}.py`);
        break;
      }
      if (!this.dirs.has(p)) break;
      if (this.files.has(`${p}/__init__.py`)) out.push(`${p}/__init__.py`);
      else if (!this.isPackage(p)) break;
      dir = p;
    }
    return out;
  }

  private isModule(p: string): boolean {
    return this.files.has(`${p}.py`) || this.isPackage(p);
  }

  /** A folder holding code (a namespace package needs no `__init__.py`). */
  private isPackage(dir: string): boolean {
    return this.files.has(`${dir}/__init__.py`) || this.codeDirs.has(dir);
  }

  /** Every workspace file a loader's path string may name: which folder the path is joined to is
   * not known, so any file whose path ends with it (`tuning.py`, `settings/tuning.py`). */
  private filesSpelled(spelled: string): string[] {
    const tail = spelled.split('/').filter((s) => s && s !== '.' && s !== '..').join('/');
    if (!this.byBasename) {
      this.byBasename = new Map();
      for (const f of this.files.keys()) {
        if (!f.endsWith('.py')) continue;
        const base = path.posix.basename(f);
        const list = this.byBasename.get(base);
        if (list) list.push(f);
        else this.byBasename.set(base, [f]);
      }
    }
    return (this.byBasename.get(path.posix.basename(tail)) ?? []).filter((f) => f === tail || f.endsWith(`/${tail}`));
  }

  /** `a.b` is a folder of code without `__init__.py` under a folder above `from`. */
  private namespaceAbove(from: string, s: string): boolean {
    const rel = s.split('.').join('/');
    for (let d = parentOf(from); ; d = parentOf(d)) {
      const p = join(d, rel);
      if (this.codeDirs.has(p) && !this.files.has(`${p}/__init__.py`)) return true;
      if (!d) return false;
    }
  }

  /** A package of this name exists somewhere in the workspace. */
  private knownName(name: string): boolean {
    this.names ??= new Set([...this.codeDirs].map((d) => path.posix.basename(d)));
    return this.names.has(name);
  }
}
