/**
 * Deploys of one service whose images start different programs of its folder (`Dockerfile.backend`
 * runs `src.webhook_server`, `Dockerfile.worker` runs `src.worker`, both copying `src/`): each
 * program is a Cloud Run service of its own, with its own variables. Merged into one target, each
 * would be asked for the other's needs, and a name one sets and the other does not would read as a
 * deploy dropping it. So each program's deploys get a target of their own, named for the program
 * (`rides-worker`), as a deploy running another file of the image (`--command`) does.
 *
 * A deploy whose program is not seen (an image pushed elsewhere, a script deploying an image by a
 * name the workspace does not build) runs the program another deploy of the service gives the same
 * Cloud Run service name (`"$BACKEND_SERVICE"` resolving to `rides-backend`, which a Cloud Build
 * step deploys from `Dockerfile.backend`); with no such deploy it stays the service's. That holds
 * for a service with one program too: there it says which modules the deploy loads.
 *
 * Pure: reads the linked deploys and what their images run.
 */
import * as path from 'node:path';
import type { DeployFact } from '../core/facts';
import type { Service } from './services';

export interface ProgramTargets {
  /** The program label of each deploy of a service with several programs (`worker`). */
  label: Map<DeployFact, string>;
  /** The program a deploy runs, taken from another deploy of the same Cloud Run name. */
  runs: Map<DeployFact, string[]>;
}

/** Names a program by its file (`src/worker.py` → `worker`); a name several of the service's
 * programs share (`main.py` in `processor/` and `webhook/`) by its folder instead (`processor`).
 * `__main__.py` is its package. */
function labels(programs: string[]): Map<string, string> {
  const base = (p: string): string => path.posix.basename(p).replace(/\.[^.]*$/, '').replace(/^__main__$/, path.posix.basename(path.posix.dirname(p)));
  const dir = (p: string): string => path.posix.basename(path.posix.dirname(p));
  const count = new Map<string, number>();
  for (const p of programs) count.set(base(p), (count.get(base(p)) ?? 0) + 1);
  const dirs = new Map<string, number>();
  for (const p of programs) dirs.set(dir(p), (dirs.get(dir(p)) ?? 0) + 1);
  return new Map(programs.map((p) => {
    const b = base(p);
    if ((count.get(b) ?? 0) < 2 || dir(p) === '.' || dir(p) === '') return [p, b];
    return [p, (dirs.get(dir(p)) ?? 0) > 1 ? `${dir(p)}-${b}` : dir(p)];
  }));
}

/** The code file of the service's folder a command's paths name (`src/webhook_server.py` for
 * `python -m src.webhook_server`), where exactly one does: a program is told by the file it starts,
 * not by how a command spells it (`server.js` and `apps/web/server.js` may be one program, and a
 * build's output, `dist/server.js`, no file here at all). */
export function programFile(
  runs: readonly string[] | undefined, root: string, isCode: (file: string) => boolean, sourceOf?: (run: string, root: string) => string | undefined,
): string | undefined {
  const found = new Set<string>();
  for (const r of runs ?? []) {
    const p = r.replace(/^\.?\/+/, '');
    let named = false;
    for (const f of [root ? `${root}/${p}` : p, p]) {
      if (isCode(f) && (root === '' || f.startsWith(`${root}/`))) {
        found.add(f);
        named = true;
      }
    }
    // A build's output (`dist/worker.js`) stands for its source (`src/worker.ts`), as the module
    // graph maps a command's path (`ModuleGraph.sourceOfRun`).
    const source = named ? undefined : sourceOf?.(p, root);
    if (source) found.add(source);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Each deploy's program label, for the services whose deploys start two programs or more, and the
 * program a deploy of an unseen image takes from another deploy of its Cloud Run name. `programOf`
 * names a deploy's program file (`programFile`), `runsOf` the paths its image's command names. */
export function programTargets(
  linked: readonly { deploy: DeployFact; service?: Service }[],
  programOf: (deploy: DeployFact, service: Service) => string | undefined,
  runsOf: (deploy: DeployFact) => string[] | undefined,
): ProgramTargets {
  const out: ProgramTargets = { label: new Map(), runs: new Map() };
  const byService = new Map<Service, { deploy: DeployFact; program?: string }[]>();
  for (const { deploy, service } of linked) {
    // A deploy running its own entry (`--command`) is a target of its own already.
    if (!service || deploy.entry || deploy.command) continue;
    const list = byService.get(service) ?? [];
    list.push({ deploy, program: programOf(deploy, service) });
    byService.set(service, list);
  }
  for (const list of byService.values()) {
    const programs = [...new Set(list.flatMap((d) => (d.program ? [d.program] : [])))];
    if (programs.length < 2) {
      sameNameRuns(list, runsOf, out.runs);
      continue;
    }
    const named = labels(programs);
    // The program each Cloud Run name is seen to run, where that is one program.
    const byName = new Map<string, string | null>();
    for (const d of list) {
      const name = d.deploy.service?.value;
      if (!name || !d.program) continue;
      const seen = byName.get(name);
      byName.set(name, seen === undefined || seen === d.program ? d.program : null);
    }
    for (const d of list) {
      const twin = !d.program && d.deploy.service?.value ? byName.get(d.deploy.service.value) : undefined;
      const program = d.program ?? twin ?? undefined;
      if (!program) continue;
      out.label.set(d.deploy, named.get(program)!);
      if (twin) {
        const from = list.find((x) => x.program === twin)!;
        const runs = runsOf(from.deploy);
        if (runs) out.runs.set(d.deploy, runs);
      }
    }
  }
  return out;
}

/**
 * A service with one program: a deploy whose image is not seen being built (a workflow deploying
 * `gcr.io/${{ secrets.GCP_PROJECT_ID }}/api` it only pushes, a helper script's computed image URL)
 * runs what the service's other deploys of the same Cloud Run name run, where those agree. Without
 * it the deploy's program is unknown, and every module of the service counts for the target.
 */
function sameNameRuns(deploys: readonly { deploy: DeployFact; program?: string }[], runsOf: (deploy: DeployFact) => string[] | undefined, into: Map<DeployFact, string[]>): void {
  // Deploys agree when they start one program file, however their commands spell it (`main.py`,
  // `python -m main`), or, where no file is known (a build's output), when they spell it alike.
  const byName = new Map<string, { key: string; runs: string[] } | null>();
  for (const { deploy, program } of deploys) {
    const name = deploy.service?.value;
    const runs = runsOf(deploy);
    if (!name || !runs) continue;
    const key = program ?? `\0${[...runs].sort().join('\0')}`;
    const seen = byName.get(name);
    byName.set(name, seen === undefined || (seen && seen.key === key) ? { key, runs: seen?.runs ?? runs } : null);
  }
  for (const { deploy } of deploys) {
    const name = deploy.service?.value;
    const twin = name && !runsOf(deploy) ? byName.get(name) : undefined;
    if (twin) into.set(deploy, twin.runs);
  }
}
