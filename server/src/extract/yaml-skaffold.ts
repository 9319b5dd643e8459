/**
 * Skaffold configuration (`skaffold.yaml`, `apiVersion: skaffold/…`, `kind: Config`): which
 * manifests the config renders by default and under each profile (`manifests.rawYaml`, and the
 * older `deploy.kubectl.manifests`), and whether it deploys to Cloud Run (`deploy.cloudrun`).
 * With a Cloud Deploy pipeline naming those profiles per target, the model ties each manifest to
 * its target's environment (model/environment-links.ts).
 * Reference: https://skaffold.dev/docs/references/yaml/
 */
import type { YAMLMap } from 'yaml';
import type { SkaffoldManifestsFact } from '../core/facts';
import { asMap, asSeq, getNode, mapGet, nodeSpan, scalarText, str, type YamlCtx } from './yaml-util';

export function isSkaffold(text: string, root: unknown): boolean {
  const apiVersion = str(text, mapGet(root, 'apiVersion')?.value);
  return !!apiVersion?.startsWith('skaffold/') && str(text, mapGet(root, 'kind')?.value) === 'Config';
}

/** The manifest paths a config (or a profile of it) names, with their spans. */
function manifestsOf(ctx: YamlCtx, node: unknown): { path: string; span: { start: number; end: number } }[] | undefined {
  const lists = [asSeq(getNode(node, 'manifests', 'rawYaml')), asSeq(getNode(node, 'deploy', 'kubectl', 'manifests'))];
  if (!lists.some(Boolean)) return undefined;
  const out: { path: string; span: { start: number; end: number } }[] = [];
  for (const list of lists) {
    for (const item of list?.items ?? []) {
      const st = scalarText(ctx.text, item);
      if (st && !st.isNull && st.value !== '') out.push({ path: st.value, span: st.span });
    }
  }
  return out;
}

export function extractSkaffold(ctx: YamlCtx, root: YAMLMap): void {
  const { text } = ctx;
  const config = str(text, getNode(root, 'metadata', 'name'));
  const cloudRun = !!mapGet(getNode(root, 'deploy'), 'cloudrun');
  const out = (ctx.facts.skaffold ??= []);
  const base = manifestsOf(ctx, root);
  if (base) out.push({ ...(config ? { config } : {}), manifests: base, cloudRun, span: nodeSpan(text, root) });
  for (const item of asSeq(getNode(root, 'profiles'))?.items ?? []) {
    const profile = asMap(item);
    const name = str(text, getNode(profile, 'name'));
    if (!profile || !name) continue;
    // A profile without manifests of its own renders the config's.
    const manifests = manifestsOf(ctx, profile) ?? base ?? [];
    const fact: SkaffoldManifestsFact = { profile: name, manifests, cloudRun: cloudRun || !!mapGet(getNode(profile, 'deploy'), 'cloudrun'), span: nodeSpan(text, profile) };
    if (config) fact.config = config;
    out.push(fact);
  }
}
