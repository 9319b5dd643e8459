/**
 * Programs of a service that its image does not run: a service whose Dockerfiles all run a
 * module of one of its packages (`CMD ["python", "-m", "src.main"]`, `gunicorn src.main:app`) ships
 * that package as its code; a standalone program beside the package (`inspect_tables.py` with its
 * own `if __name__ == "__main__":`), or in another top-level package of the service (a
 * `workers/` package whose programs run as jobs, `python -m workers.ingest`), which nothing here
 * runs as a program, is run elsewhere or by hand, like an operator script. Its reads are not the
 * deploy's requirements.
 *
 * Only when every run of the service's images names a package module: a program at the root could
 * be the entry itself (`python app.py`), and one inside the package the image runs may be imported
 * by it.
 */
import * as path from 'node:path';
import type { FileFacts } from '../core/facts';
import type { RunsAsProgram } from './program-entries';

export type IsStrayProgram = (file: string, facts: FileFacts, serviceRoot: string | undefined) => boolean;

export function strayPrograms(files: ReadonlyMap<string, FileFacts>, runsAsProgram: RunsAsProgram): IsStrayProgram {
  /** Per folder holding Dockerfiles: the packages their runs name, or null when a run names no package. */
  const packagesByFolder = new Map<string, Set<string> | null>();
  for (const [file, facts] of files) {
    const df = facts.dockerfile;
    if (!df) continue;
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    let pkgs = packagesByFolder.get(dir);
    if (pkgs === null) continue;
    for (const run of df.runs) {
      const first = run.module?.includes('.') ? run.module.split('.')[0] : undefined;
      if (!first) {
        pkgs = null;
        break;
      }
      (pkgs ??= new Set()).add(first);
    }
    if (pkgs !== undefined) packagesByFolder.set(dir, pkgs);
  }
  let known: Set<string> | undefined;
  const folders = (): Set<string> => {
    if (known) return known;
    known = new Set();
    for (const f of files.keys()) {
      for (let d = path.posix.dirname(f); d !== '.' && d !== '' && !known.has(d); d = path.posix.dirname(d)) known.add(d);
    }
    return known;
  };
  return (file, facts, serviceRoot) => {
    if (!facts.isProgram || serviceRoot === undefined || facts.kind !== 'python' || runsAsProgram(file)) return false;
    const prefix = serviceRoot ? `${serviceRoot}/` : '';
    if (!file.startsWith(prefix)) return false;
    const pkgs = packagesByFolder.get(serviceRoot);
    if (!pkgs?.size) return false;
    // The packages must be folders of the service: a module path that is no folder here says nothing.
    if (![...pkgs].every((p) => folders().has(`${prefix}${p}`))) return false;
    // At the root beside the package, or in another top-level package of the service (a
    // `workers/` package of programs run as jobs with `python -m workers.ingest`).
    const rel = file.slice(prefix.length);
    const top = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : undefined;
    return top === undefined || !pkgs.has(top);
  };
}
