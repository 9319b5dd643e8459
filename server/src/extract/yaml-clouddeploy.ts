/**
 * Cloud Deploy configuration (`clouddeploy.yaml`): a `DeliveryPipeline`'s serial stages (each a
 * target id and the Skaffold profiles its release renders with) and each `Target`'s Cloud Run
 * location. These files deploy nothing themselves: they say which environment the manifests of
 * a Skaffold profile go to, which the model joins with the Skaffold file
 * (model/environment-links.ts). Reference: https://cloud.google.com/deploy/docs/config-files
 */
import type { YAMLMap } from 'yaml';
import type { DeliveryStageFact, DeliveryTargetFact } from '../core/facts';
import { asSeq, getNode, mapGet, nodeSpan, str, type YamlCtx } from './yaml-util';

/** A Cloud Deploy resource document: its kind, when it is one this extractor reads. */
export function cloudDeployKind(text: string, root: unknown): 'DeliveryPipeline' | 'Target' | undefined {
  const apiVersion = str(text, mapGet(root, 'apiVersion')?.value);
  const kind = str(text, mapGet(root, 'kind')?.value);
  if (!apiVersion?.startsWith('deploy.cloud.google.com/')) return undefined;
  return kind === 'DeliveryPipeline' || kind === 'Target' ? kind : undefined;
}

/** `projects/P/locations/R` → P and R. */
function location(value: string | undefined): { project?: string; region?: string } {
  const m = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(value?.trim() ?? '');
  return m ? { project: m[1], region: m[2] } : {};
}

export function extractCloudDeploy(ctx: YamlCtx, root: YAMLMap, kind: 'DeliveryPipeline' | 'Target'): void {
  const { text } = ctx;
  const name = str(text, getNode(root, 'metadata', 'name')) ?? '';
  if (kind === 'Target') {
    if (!name) return;
    const target: DeliveryTargetFact = { id: name, span: nodeSpan(text, root), ...location(str(text, getNode(root, 'run', 'location'))) };
    (ctx.facts.deliveryTargets ??= []).push(target);
    return;
  }
  for (const item of asSeq(getNode(root, 'serialPipeline', 'stages'))?.items ?? []) {
    const targetId = str(text, getNode(item, 'targetId'));
    if (!targetId) continue;
    const profiles = (asSeq(getNode(item, 'profiles'))?.items ?? []).map((p) => str(text, p)).filter((p): p is string => !!p);
    const stage: DeliveryStageFact = { pipeline: name, targetId, profiles, span: nodeSpan(text, item as { range?: [number, number, number] | null }) };
    (ctx.facts.deliveryStages ??= []).push(stage);
  }
}
