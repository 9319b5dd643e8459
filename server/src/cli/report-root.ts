/**
 * Where report paths start: the repository root (the git top level), else the working directory,
 * so that `deploy-preflight infra --format github` annotates `infra/cloudbuild.yaml`, the path
 * GitHub, GitLab and SARIF viewers resolve against the checkout. Found by looking for `.git` (a
 * folder, or a file in worktrees and submodules) upwards: nothing is executed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, Notice } from '../core/findings';
import type { ConfigProblem } from '../core/config';

/** The nearest folder at or above `dir` holding `.git`, if any. */
export function gitTopLevel(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

function inside(dir: string, parent: string): boolean {
  const rel = path.relative(parent, dir);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The folder report paths are relative to, for a workspace analysed from `cwd`. */
export function reportBase(workspace: string, cwd: string): string {
  const top = gitTopLevel(workspace);
  if (top) return top;
  // Outside any repository: the working directory, unless the workspace lies elsewhere (its own
  // root then, so no path starts with `..`).
  return inside(path.resolve(workspace), path.resolve(cwd)) ? path.resolve(cwd) : path.resolve(workspace);
}

/** Maps workspace-relative paths (with `/`) to report paths. */
export class ReportPaths {
  /** The workspace's path from the base, with `/` ('' when they are the same folder). */
  readonly prefix: string;
  constructor(readonly base: string, readonly root: string) {
    this.prefix = path.relative(base, root).split(path.sep).join('/');
  }

  file(rel: string): string {
    if (!this.prefix) return rel;
    if (!rel || rel === '.') return this.prefix;
    return path.posix.normalize(`${this.prefix}/${rel}`);
  }

  finding(f: Finding): Finding {
    return {
      ...f,
      file: this.file(f.file),
      related: f.related.map((r) => ({ ...r, file: this.file(r.file) })),
      fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, file: this.file(e.file) })) })),
    };
  }

  notice(n: Notice): Notice {
    return { ...n, file: this.file(n.file) };
  }

  problem(p: ConfigProblem): ConfigProblem {
    return { ...p, file: this.file(p.file) };
  }
}
