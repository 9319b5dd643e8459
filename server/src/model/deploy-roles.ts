/**
 * Which deploy files describe a deployed environment, decided from the workspace's evidence
 * rather than from file names. Two kinds of file look like a deploy and are not one:
 *
 * - **A local stack.** A compose file named for an environment (`docker-compose.prod.yml`) of a
 *   service the workspace deploys to Cloud Run (a gcloud command, Cloud Build, Actions, a Knative
 *   manifest, Terraform): Cloud Run never runs compose, so the file starts the service on a
 *   machine — with its own database and debug flags — and says nothing about what the Cloud Run
 *   service gets. Where compose is the only deploy of a service, it may really be how the service
 *   is run, and it stays a target (findings about it are warnings: see env-unset-for-deploy).
 * - **A deploy kept in documentation or an archive** (`docs/`, `archive/`, `old/`): it describes
 *   or remembers a deploy (knowledge/inactive-paths.ts).
 * - **A workflow GitHub refuses to load** (its YAML has a syntax error): nothing in it runs.
 * - **A deploy whose image's build fails**: every build of its image in its own workflow names a
 *   Dockerfile the repository does not hold (`docker build -f backend/Dockerfile.gcp`, with no such
 *   file): the job's checkout has tracked files only, and the job stops at the build, before the
 *   deploy. (A script or `gcloud builds submit` sends a local folder, which may hold an untracked one.)
 * - **A command gcloud refuses** (`--set-env-vars` beside `--update-env-vars`, a list item that is
 *   no `NAME=value`, an `--env-vars-file` written `NAME=value` where gcloud reads YAML): it deploys
 *   nothing.
 * - **A bootstrap of Google's sample container** (`us-docker.pkg.dev/cloudrun/container/hello`,
 *   how Terraform guides create a service before its code exists): it runs none of the code.
 * - **A template nothing applies.** A Knative manifest whose image still holds a placeholder
 *   (`gcr.io/PROJECT_ID/api`), of a service another Cloud Run deploy deploys (even one gcloud
 *   refuses as written): someone would have to fill it in first, and the deploy that runs is the
 *   other one.
 *
 * Pure: reads the deploys with their links and environments only.
 */
import type { DeployFact } from '../core/facts';
import { DEPLOYED_ENVIRONMENTS } from '../knowledge/environments';
import { imagePlaceholder, isSampleImage } from '../knowledge/templates';
import { refusal } from '../knowledge/platform';
import { inactiveFolder } from '../knowledge/inactive-paths';
import type { Layout } from './shipped-code';
import type { Service } from './services';

export interface LinkedDeploy {
  file: string;
  deploy: DeployFact;
  service?: Service;
  environment?: string;
}

const isCloudRun = (d: DeployFact): boolean => d.platform === 'cloud-run' || d.platform === 'cloud-run-job';

/** Deploys that are not a deployed environment, with the reason (for `--explain`). `dotenvFile`:
 * the env-vars file in dotenv syntax a deploy passes to gcloud, which refuses it (see `EnvFileRefusal`);
 * `missingDockerfile`: the Dockerfile, missing from the repository, every build of its image names. */
export function notDeployedEnvironments(deploys: readonly LinkedDeploy[], layout?: Layout, dotenvFile?: (d: LinkedDeploy) => string | undefined,
  missingDockerfile?: (d: LinkedDeploy) => string | undefined): Map<DeployFact, string> {
  const out = new Map<DeployFact, string>();
  for (const d of deploys) {
    const kept = inactiveFolder(d.file);
    const nested = d.deploy.via === 'github-actions' ? nestedWorkflowFolder(d.file, layout) : undefined;
    const dotenv = kept || nested !== undefined || d.deploy.rejected ? undefined : dotenvFile?.(d);
    const unbuilt = kept || nested !== undefined || d.deploy.unloadable || d.deploy.rejected || dotenv ? undefined : missingDockerfile?.(d);
    if (kept) out.set(d.deploy, `kept in ${kept}, documentation or an archive: not a deploy that runs`);
    else if (nested !== undefined) out.set(d.deploy, `a workflow under ${nested}/.github/workflows: GitHub runs only those of the repository's root, and ${nested}/ is no repository of its own`);
    else if (d.deploy.unloadable) out.set(d.deploy, `GitHub does not run this workflow: ${d.deploy.unloadable}`);
    else if (d.deploy.rejected) out.set(d.deploy, `gcloud refuses this command (${refusal(d.deploy.rejected)}), so it deploys nothing`);
    else if (dotenv) out.set(d.deploy, `gcloud refuses this command (--env-vars-file ${dotenv} holds NAME=value lines, and gcloud reads the file as YAML), so it deploys nothing`);
    else if (unbuilt !== undefined) out.set(d.deploy, `its image is built here from ${unbuilt}, which is not in the repository: the build fails, so this deploy never runs`);
    else if (d.deploy.described) out.set(d.deploy, `a saved description of the running service (it holds ${d.deploy.described.join(', ')}, which only the server writes), not a deploy`);
    else if (d.deploy.image?.value !== undefined && isSampleImage(d.deploy.image.value) && !d.deploy.imageSetElsewhere) {
      out.set(d.deploy, `it runs Google's sample container ${d.deploy.image.value}, not this code: a bootstrap before the real image is deployed`);
    }
  }
  // Templates first: a template does not make compose files local stacks by itself.
  const runBy = new Map<string, string>(); // service name → a deploy file that deploys it to Cloud Run
  for (const d of deploys) {
    // A command gcloud refuses is still how the service is deployed, once mended: a template beside
    // it is no more applied than beside one that works.
    if (!d.service || !isCloudRun(d.deploy) || d.deploy.via === 'knative' || (out.has(d.deploy) && !d.deploy.rejected)) continue;
    if (!runBy.has(d.service.name)) runBy.set(d.service.name, d.file);
  }
  for (const d of deploys) {
    if (!d.service || d.deploy.via !== 'knative') continue;
    const other = runBy.get(d.service.name);
    const image = d.deploy.image?.value ?? d.deploy.image?.text;
    const placeholder = image ? imagePlaceholder(image) : undefined;
    if (other && placeholder) {
      out.set(d.deploy, `a template, not a deployed environment: its image holds the placeholder ${placeholder}, and ${d.service.name} is deployed by ${other}`);
    }
  }
  for (const d of deploys) {
    if (d.service && isCloudRun(d.deploy) && !out.has(d.deploy) && !runBy.has(d.service.name)) runBy.set(d.service.name, d.file);
  }
  // A compose file is one stack: it is local when any service it starts is deployed to Cloud Run.
  const localFiles = new Map<string, string>();
  for (const d of deploys) {
    if (d.deploy.platform !== 'compose' || !d.service || localFiles.has(d.file)) continue;
    const by = runBy.get(d.service.name);
    if (by) localFiles.set(d.file, `a local stack, not a deployed environment: Cloud Run does not run compose, and ${d.service.name} is deployed to Cloud Run by ${by}`);
  }
  for (const d of deploys) {
    const why = localFiles.get(d.file);
    if (why && d.deploy.platform === 'compose' && d.environment && DEPLOYED_ENVIRONMENTS.has(d.environment)) out.set(d.deploy, why);
  }
  return out;
}

/** A workflow file under `sub/.github/workflows/` where `sub` is not a repository of its own (a
 * project copied into a monorepo with its CI): GitHub Actions runs only the workflows in the
 * `.github/workflows` folder at a repository's root. The folder, or undefined when it runs. */
function nestedWorkflowFolder(file: string, layout: Layout | undefined): string | undefined {
  const at = file.indexOf('/.github/workflows/');
  if (at <= 0) return undefined;
  const folder = file.slice(0, at);
  return layout?.repoRoots?.has(folder) ? undefined : folder;
}
