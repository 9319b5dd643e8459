/**
 * Which code files something in the workspace runs as a program: a Dockerfile's command (`python
 * app/slack.py`, `python -m app.slack`, `uvicorn app.main:app`) or a deploy's own entry
 * (`--command python --args app/worker.py`). A read in a module's `if __name__ == "__main__":`
 * block (`EnvRead.mainOnly`) runs only then; in a module the service imports it never runs.
 * Matching is by path suffix, so a command run from another folder still names its file: a
 * near miss keeps the read, which is the cautious side. Pure: reads facts only.
 */
import type { FileFacts } from '../core/facts';

export type RunsAsProgram = (file: string) => boolean;

export function programEntries(files: ReadonlyMap<string, FileFacts>): RunsAsProgram {
  const paths = new Set<string>();
  const add = (p: string): void => {
    const clean = p.trim().replace(/^\.\//, '').replace(/^\/+/, '');
    if (clean) paths.add(clean);
  };
  const addModule = (m: string): void => {
    const base = m.split(':')[0]!.replace(/\./g, '/');
    add(`${base}.py`);
    add(`${base}/__main__.py`);
  };
  for (const facts of files.values()) {
    for (const run of facts.dockerfile?.runs ?? []) {
      if (run.script) add(run.script);
      if (run.module) addModule(run.module);
    }
    for (const d of facts.deploys) {
      const e = d.entry?.value ?? d.entry?.text;
      if (e) add(e);
    }
  }
  return (file) => {
    for (const p of paths) if (file === p || file.endsWith(`/${p}`) || p.endsWith(`/${file}`)) return true;
    return false;
  };
}
