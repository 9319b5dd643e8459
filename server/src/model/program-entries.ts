/**
 * Which code files something in the workspace runs as a program: a Dockerfile's command (`python
 * app/slack.py`, `python -m app.slack`, `uvicorn app.main:app`) or a deploy's own entry
 * (`--command python --args app/worker.py`). A read in a module's `if __name__ == "__main__":`
 * block (`EnvRead.mainOnly`) runs only then; in a module the service imports it never runs.
 * Matching is by path suffix, so a command run from another folder still names its file: a
 * near miss keeps the read, which is the cautious side. Pure: reads facts only.
 */
import type { DockerfileFact, FileFacts } from '../core/facts';

export type RunsAsProgram = (file: string) => boolean;

/** A command's path as written, without `./` or a leading `/` (`/app/main.py` run from `/`). */
const cleanPath = (p: string): string => p.trim().replace(/^\.\//, '').replace(/^\/+/, '');

/** The paths one command of a Dockerfile runs, as written (a module as its file and its package's
 * `__main__.py`). */
export function entryPaths(run: Pick<DockerfileFact['runs'][number], 'module' | 'script'>): string[] {
  const out: string[] = [];
  if (run.script) out.push(cleanPath(run.script));
  if (run.module) {
    const base = run.module.split(':')[0]!.replace(/\./g, '/');
    out.push(`${base}.py`, `${base}/__main__.py`);
  }
  return out.filter(Boolean);
}

/** `file` (workspace-relative) is the path `p` a command names, run from some folder. */
export function namesFile(file: string, p: string): boolean {
  return file === p || file.endsWith(`/${p}`) || p.endsWith(`/${file}`);
}

/** Whether a file is one of `paths`, each file's answer worked out once: the model asks for every
 * read (and target). */
function matcher(paths: ReadonlySet<string>): RunsAsProgram {
  const known = new Map<string, boolean>();
  return (file) => {
    let is = known.get(file);
    if (is === undefined) {
      is = [...paths].some((p) => namesFile(file, p));
      known.set(file, is);
    }
    return is;
  };
}

export function programEntries(files: ReadonlyMap<string, FileFacts>): RunsAsProgram {
  const paths = new Set<string>();
  for (const facts of files.values()) {
    for (const run of facts.dockerfile?.runs ?? []) for (const p of entryPaths(run)) paths.add(p);
    for (const d of facts.deploys) {
      const e = cleanPath(d.entry?.value ?? d.entry?.text ?? '');
      if (e) paths.add(e);
    }
  }
  return matcher(paths);
}

/** The files some Dockerfile of the workspace runs as its command: an image's entry. */
export function imageEntries(files: ReadonlyMap<string, FileFacts>): RunsAsProgram {
  const paths = new Set<string>();
  for (const facts of files.values()) for (const run of facts.dockerfile?.runs ?? []) for (const p of entryPaths(run)) paths.add(p);
  return matcher(paths);
}
