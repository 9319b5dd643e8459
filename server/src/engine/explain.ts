/**
 * What the engine inferred, as data for `--explain` (and any host that shows it): the services
 * (code roots), the environments, the deploy targets with the evidence for each link, and the
 * deploys no environment could be found for.
 */
import type { PartialReason, WorkspaceModel } from '../model/workspace-model';
import type { DeployFact } from '../core/facts';

export interface ExplainedService {
  name: string;
  /** Workspace-relative folder, '' for the root. */
  root: string;
  evidence: string[];
  /** Distinct variables its code reads (tests excluded: a test reading a variable is not the service needing it). */
  variablesRead: number;
  /** Other folders of code its images copy in beside its root (`COPY shared/ …`), whose reads count
   * for it with a hedge; absent when none. */
  shipsBeside?: string[];
}

export interface ExplainedDeploy {
  file: string;
  via: DeployFact['via'];
  /** The deployed name as written, when the deploy names one. */
  deployedName?: string;
  evidence: string[];
  /** How sure the link to the service is. */
  certainty: 'declared' | 'inferred';
}

export interface ExplainedTarget {
  serviceName: string;
  environment: string;
  /** A code root was linked to the target. */
  linked: boolean;
  deploys: ExplainedDeploy[];
  envFiles: { file: string; referenced: boolean }[];
  /** Variables the target sets, sorted. */
  sets: string[];
  project?: { value: string; file: string };
  partial: PartialReason[];
}

export interface ExplainData {
  services: ExplainedService[];
  /** Folders considered as services and refused, with the reason. */
  rejected: { folder: string; reason: string }[];
  /** Environment names, sorted, with their number of targets. */
  environments: { name: string; targets: number }[];
  /** Sorted by service@environment. */
  targets: ExplainedTarget[];
  /** Deploys with no environment (not checked against code). */
  unplaced: ExplainedDeploy[];
  /** Deploy files that are no deployed environment (local stacks, templates), with the reason. */
  notDeployed: ExplainedDeploy[];
  /** PowerShell and batch scripts that name a Cloud Run deploy, which is not read (sorted). */
  unreadScripts: string[];
}

export function explainModel(model: WorkspaceModel): ExplainData {
  const deploy = (file: string, d: DeployFact, evidence: string[], certainty: 'declared' | 'inferred'): ExplainedDeploy => ({
    file, via: d.via, ...(d.service?.text ? { deployedName: d.service.text } : {}), evidence, certainty,
  });
  return {
    services: model.services.services.map((s) => ({
      name: s.name,
      root: s.root,
      evidence: s.evidence,
      variablesRead: new Set((model.readsByService.get(s.name) ?? []).filter((r) => !r.isTest).map((r) => r.read.name)).size,
      ...(model.shippedBeside.get(s.name) ? { shipsBeside: model.shippedBeside.get(s.name) } : {}),
    })),
    rejected: model.services.rejected.map((r) => ({ ...r })),
    environments: [...new Set(model.targets.map((t) => t.environment))].sort()
      .map((name) => ({ name, targets: model.targets.filter((t) => t.environment === name).length })),
    targets: [...model.targets].sort((a, b) => a.key.localeCompare(b.key)).map((t) => ({
      serviceName: t.serviceName,
      environment: t.environment,
      linked: !!t.service,
      deploys: t.deploys.map((d) => deploy(d.file, d.deploy, d.evidence, d.certainty)),
      envFiles: t.envFiles.map((f) => ({ file: f.file, referenced: f.referenced })),
      sets: [...t.writes.keys()].sort(),
      ...(t.project ? { project: { value: t.project.resolved.value ?? t.project.resolved.text, file: t.project.file } } : {}),
      partial: t.partial,
    })),
    unplaced: model.unplaced.map((d) => deploy(d.file, d.deploy, d.evidence, d.certainty)),
    notDeployed: model.notDeployed.map((d) => deploy(d.file, d.deploy, d.evidence, d.certainty)),
    unreadScripts: [...model.files].filter(([, f]) => f.unreadDeploy && !f.isTest).map(([file]) => file).sort(),
  };
}
