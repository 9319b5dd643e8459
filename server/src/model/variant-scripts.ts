/**
 * Deploy scripts nothing here runs, beside a deploy of the same service that does run. Real
 * repositories keep the scripts someone once deployed with by hand (`deploy-quick.sh`,
 * `REDEPLOY_FINAL.sh`, `fix_env.py`) long after a workflow or a Cloud Build config took over. What
 * such a script would do wrong (a reserved name, a flag pair gcloud refuses, a placeholder for a
 * secret) is true of the script, but on the corpus every such error was judged one a maintainer
 * could shrug at: the service is deployed by the other path. It is said as information.
 *
 * A script is a *variant* when:
 * - it is a script file (`.sh`, `.bash`, `.py`, or one without an extension that the shell
 *   extractor read), not a Makefile, and no other file names it (`FileFacts.scriptMentions`: a
 *   workflow step, a Makefile recipe, a package.json script, another script, a Dockerfile, or a
 *   document — a README telling how to deploy names the script people run);
 * - another file deploys the same Cloud Run name to the same project (or one of the two projects
 *   is not known), and that file runs: a workflow, a Cloud Build config, Terraform, a Cloud Deploy
 *   pipeline, a Knative manifest something applies, a Makefile, or a script something names.
 * A script that is the only deploy of its service stays what it is: run by hand, it is the deploy.
 *
 * The same holds for a Knative manifest nothing applies (model/applied-manifests.ts: no command
 * of a script, workflow or document applies it), beside a deploy of its service that runs, whether
 * or not a file names it: on the corpus its reserved `PORT` was judged debatable every time (an
 * exported snapshot with a pinned digest, a stub "not yet deployed", a template beside the Cloud
 * Build config that deploys, one a cost report lists as "created"). A README saying to apply it
 * (`gcloud run services replace service.yaml`) makes it applied, not a leftover. Alone, such a
 * manifest may be how the service is deployed by hand, and what it does wrong stays a warning — if
 * something names it (a README documenting it as the service's configuration). A manifest nothing
 * applies and nothing names, alone or not, is an exported snapshot or a stub until shown otherwise
 * (`unnamed`): what applying it would do wrong is information.
 *
 * Pure: reads the files' facts only.
 */
import * as path from 'node:path';
import type { DeployFact, FileFacts } from '../core/facts';
import { isMakefileName } from '../knowledge/makefiles';
import { inactiveFolder } from '../knowledge/inactive-paths';

const isCloudRun = (d: DeployFact): boolean => d.platform === 'cloud-run' || d.platform === 'cloud-run-job';
const RUN_BY_ITSELF = new Set<DeployFact['via']>(['cloudbuild', 'github-actions', 'terraform']);

/** A deploy of the same service that runs, beside a variant. */
export interface LiveDeploy { file: string; deploy: DeployFact }

/**
 * Leftover deploys, each with a deploy of the same service that runs: `scripts` nothing runs or
 * names, and `manifests` nothing applies (model/applied-manifests.ts) — an exported snapshot or a
 * stub beside the path that deploys.
 */
export function leftoverDeploys(files: ReadonlyMap<string, FileFacts>, unapplied: ReadonlySet<DeployFact>): {
  scripts: Map<DeployFact, LiveDeploy>; manifests: Map<DeployFact, LiveDeploy>; unnamed: Set<DeployFact>;
} {
  const named = new Map<string, Set<string>>(); // base name → files naming it
  for (const [file, facts] of files) {
    if (facts.isTest) continue;
    for (const m of facts.scriptMentions ?? []) {
      const by = named.get(m) ?? new Set<string>();
      by.add(file);
      named.set(m, by);
    }
  }
  const namedByOther = (file: string): boolean => {
    const by = named.get(path.posix.basename(file));
    return !!by && (by.size > 1 || !by.has(file));
  };
  const isScript = (file: string, facts: FileFacts): boolean =>
    (facts.kind === 'shell' || facts.kind === 'powershell' || facts.kind === 'python') && !isMakefileName(path.posix.basename(file).toLowerCase());
  const runs = (file: string, facts: FileFacts, d: DeployFact): boolean => {
    // A workflow GitHub refuses to load runs nothing.
    if (d.unloadable) return false;
    // CI and infrastructure run by themselves; a Knative manifest only where something applies it.
    if (RUN_BY_ITSELF.has(d.via)) return true;
    if (d.via === 'knative') return !unapplied.has(d);
    // A Makefile is how people run things; a script, where something names it.
    return isMakefileName(path.posix.basename(file).toLowerCase()) || (isScript(file, facts) && namedByOther(file));
  };

  const live: LiveDeploy[] = [];
  const scripts: LiveDeploy[] = [];
  const manifests: LiveDeploy[] = [];
  for (const [file, facts] of files) {
    if (facts.isTest || inactiveFolder(file)) continue;
    for (const d of facts.deploys) {
      if (!isCloudRun(d) || !d.service?.value) continue;
      if (runs(file, facts, d)) live.push({ file, deploy: d });
      // A manifest no command applies, documents included, is a leftover beside a deploy of its
      // service that runs, whatever merely names it (a heading, "created cloud-run.yaml").
      else if (d.via === 'knative') manifests.push({ file, deploy: d });
      // A script neither run nor named by anything: a leftover, if another deploy of its service runs.
      else if (!namedByOther(file) && isScript(file, facts)) scripts.push({ file, deploy: d });
    }
  }
  const besideLive = (candidates: LiveDeploy[]): Map<DeployFact, LiveDeploy> => {
    const out = new Map<DeployFact, LiveDeploy>();
    for (const c of candidates) {
      const same = live.find((l) => l.file !== c.file && l.deploy.service!.value === c.deploy.service!.value &&
        !(c.deploy.project?.value && l.deploy.project?.value && c.deploy.project.value !== l.deploy.project.value));
      if (same) out.set(c.deploy, same);
    }
    return out;
  };
  return { scripts: besideLive(scripts), manifests: besideLive(manifests), unnamed: new Set(manifests.filter((m) => !namedByOther(m.file)).map((m) => m.deploy)) };
}
