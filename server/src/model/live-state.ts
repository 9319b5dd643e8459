/**
 * Links deploy targets to what is running (see core/deployed.ts): the Cloud Run service or job a
 * target's deploys name, and the Secret Manager inventory of its project. Used by the drift rules
 * and by the CLI's `drift --live` to know what to ask gcloud for.
 */
import type { DeployedSecret, DeployedState, DeployedWorkload, SecretInventory } from '../core/deployed';
import type { DeployRef, DeployTarget } from './workspace-model';

/** A Cloud Run deploy of a target, with the name, kind, region and project it deploys to. */
export interface LiveAddress {
  deploy: DeployRef;
  kind: 'service' | 'job';
  /** The deployed name as the deploy writes it. */
  name: string;
  region?: string;
  project?: string;
}

/** The Cloud Run deploys of a target whose deployed name is known (compose and plain Kubernetes
 * deploys have no Cloud Run counterpart). */
export function liveAddresses(target: DeployTarget): LiveAddress[] {
  const out: LiveAddress[] = [];
  for (const d of target.deploys) {
    const f = d.deploy;
    if (f.platform !== 'cloud-run' && f.platform !== 'cloud-run-job') continue;
    const name = f.service?.value;
    if (!name) continue;
    out.push({
      deploy: d,
      kind: f.platform === 'cloud-run-job' ? 'job' : 'service',
      name,
      region: f.region?.value,
      project: f.project?.value ?? target.project?.resolved.value,
    });
  }
  return out;
}

/** The deployed name, then `<name>-<environment>` unless the name already ends so. */
export function candidateNames(name: string, environment: string): string[] {
  return name.endsWith(`-${environment}`) ? [name] : [name, `${name}-${environment}`];
}

/**
 * The running workload a target deploys to: same kind, and the deployed name (or, for a deploy
 * script that names services by a config's short name, `<name>-<environment>`), in the same region
 * and project when both sides say. Undefined when none or more than one fits: no guess.
 */
export function workloadOf(state: DeployedState, target: DeployTarget): { workload: DeployedWorkload; address: LiveAddress } | undefined {
  for (const address of liveAddresses(target)) {
    for (const name of candidateNames(address.name, target.environment)) {
      const fits = state.workloads.filter((w) => w.kind === address.kind && w.name === name &&
        (!w.region || !address.region || w.region === address.region) &&
        (!w.projectId || !address.project || w.projectId === address.project));
      if (fits.length === 1) return { workload: fits[0], address };
      if (fits.length > 1) return undefined;
    }
  }
  return undefined;
}

/** The secret inventory of the target's project: the one holding its running workload's project
 * number, else the one fetched for its project id, else the only one recorded. */
export function inventoryOf(state: DeployedState, target: DeployTarget): SecretInventory | undefined {
  const live = workloadOf(state, target)?.workload;
  if (live?.projectNumber) {
    const byNumber = state.inventories.find((i) => i.projectNumber === live.projectNumber);
    if (byNumber) return byNumber;
  }
  const project = liveAddresses(target).map((a) => a.project).find(Boolean) ?? target.project?.resolved.value;
  const byId = project ? state.inventories.find((i) => i.projectId === project) : undefined;
  if (byId) return byId;
  return state.inventories.length === 1 ? state.inventories[0] : undefined;
}

/** Whether a secret has a version a reference can use: `latest` needs any enabled version, a
 * number that version enabled. Unknown (no version list read) counts as usable. */
export function versionUsable(secret: DeployedSecret, version: string | undefined): { usable: boolean; state?: string } {
  if (!secret.versions) return { usable: true };
  if (!version || version === 'latest') return { usable: secret.versions.some((v) => v.state === 'ENABLED'), state: 'no enabled version' };
  const v = secret.versions.find((x) => x.version === version);
  if (!v) return { usable: false, state: 'no such version' };
  return { usable: v.state === 'ENABLED', state: v.state.toLowerCase() };
}
