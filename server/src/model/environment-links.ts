/**
 * "Manifest file X is deployed to environment E", from Cloud Deploy: a delivery pipeline's stage
 * (`targetId: staging`, `profiles: [staging]`) renders the Skaffold profile(s) it names, and those
 * profiles name the manifests (`manifests.rawYaml: [deploy/run-staging.yaml]`). A stage without
 * profiles renders the config's default manifests. The environment is the target id's
 * (`staging`, `run-prod` → production), else the target project's (`projects/shop-stg/…`).
 *
 * The Skaffold files considered for a pipeline are those in its folder (where `gcloud deploy
 * releases create` looks by default), else every Skaffold file of the workspace. Pure: reads
 * facts only.
 */
import * as path from 'node:path';
import type { DeliveryStageFact, DeliveryTargetFact, FileFacts, SkaffoldManifestsFact } from '../core/facts';
import type { EnvironmentNames } from '../knowledge/environments';

export interface EnvironmentLink {
  /** Undefined when neither the target id nor its project names a known environment. */
  environment?: string;
  targetId: string;
  pipelineFile: string;
  skaffoldFile: string;
  project?: string;
  region?: string;
  evidence: string;
}

const dirOf = (file: string): string => {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
};

/** Files matching a manifest path as written (relative to the Skaffold file; `*` within a segment). */
function resolveManifest(skaffoldFile: string, written: string, files: ReadonlyMap<string, FileFacts>): string[] {
  const joined = path.posix.normalize(path.posix.join(dirOf(skaffoldFile), written)).replace(/^\.\//, '');
  if (joined.startsWith('..')) return [];
  if (!joined.includes('*')) return files.has(joined) ? [joined] : [];
  const parts = joined.split('/');
  const matchers = parts.map((p) => new RegExp('^' + p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$'));
  const out: string[] = [];
  for (const file of files.keys()) {
    const fp = file.split('/');
    if (fp.length === parts.length && fp.every((seg, i) => matchers[i].test(seg))) out.push(file);
  }
  return out;
}

export function manifestEnvironments(files: ReadonlyMap<string, FileFacts>, envs: EnvironmentNames): Map<string, EnvironmentLink[]> {
  const stages: { file: string; stage: DeliveryStageFact }[] = [];
  const targets = new Map<string, DeliveryTargetFact>();
  const skaffolds: { file: string; facts: SkaffoldManifestsFact[] }[] = [];
  for (const [file, facts] of files) {
    for (const stage of facts.deliveryStages ?? []) stages.push({ file, stage });
    for (const t of facts.deliveryTargets ?? []) if (!targets.has(t.id)) targets.set(t.id, t);
    if (facts.skaffold?.length) skaffolds.push({ file, facts: facts.skaffold });
  }
  const links = new Map<string, EnvironmentLink[]>();
  if (stages.length === 0) return links;
  for (const { file, stage } of stages) {
    const near = skaffolds.filter((s) => dirOf(s.file) === dirOf(file));
    const candidates = near.length > 0 ? near : skaffolds;
    const target = targets.get(stage.targetId);
    const environment = envs.normalize(stage.targetId) ?? envs.fromName(stage.targetId) ?? (target?.project ? envs.fromName(target.project) : undefined);
    for (const s of candidates) {
      const chosen = stage.profiles.length > 0
        ? s.facts.filter((f) => f.profile !== undefined && stage.profiles.includes(f.profile))
        : s.facts.filter((f) => f.profile === undefined);
      for (const f of chosen) {
        for (const m of f.manifests) {
          for (const manifest of resolveManifest(s.file, m.path, files)) {
            const via = f.profile !== undefined ? `Skaffold profile ${f.profile}` : 'the default Skaffold manifests';
            const link: EnvironmentLink = {
              environment, targetId: stage.targetId, pipelineFile: file, skaffoldFile: s.file,
              evidence: `Cloud Deploy pipeline ${stage.pipeline || '(unnamed)'} (${file}) deploys it to target ${stage.targetId} with ${via} (${s.file})`,
            };
            if (target?.project) link.project = target.project;
            if (target?.region) link.region = target.region;
            const list = links.get(manifest) ?? [];
            if (!list.some((l) => l.targetId === link.targetId && l.pipelineFile === link.pipelineFile)) list.push(link);
            links.set(manifest, list);
          }
        }
      }
    }
  }
  return links;
}
