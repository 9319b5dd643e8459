/**
 * Cloud Run manifests nothing in the workspace is seen to apply. A Knative manifest deploys only
 * when someone runs `gcloud run services replace` on it (or renders it first: `envsubst <
 * service.yaml`, `sed … service.yaml > out.yaml`), a Cloud Deploy pipeline delivers it, or an
 * Actions step hands it to deploy-cloudrun (`metadata:`). A manifest that no command of a script,
 * workflow, Cloud Build config or Skaffold config names, and whose own comments do not say how it
 * is applied, may be applied by hand — or be an exported snapshot, a stub, a leftover. What it
 * would do if applied is still worth saying, but not as an error: on real repositories every
 * rejected-name error at such a file was judged debatable (its maintainers could shrug).
 *
 * Pure: reads the files' facts only.
 */
import type { DeployFact, FileFacts } from '../core/facts';

/** The Knative deploys of files nothing names (`FileFacts.yamlMentions`, Skaffold manifests) and
 * that carry no note of how they are applied (`DeployFact.applyNote`). */
export function unappliedManifests(files: ReadonlyMap<string, FileFacts>): Set<DeployFact> {
  const mentions: string[] = [];
  for (const [file, facts] of files) {
    if (facts.isTest) continue;
    for (const m of facts.yamlMentions ?? []) mentions.push(fromRoot(m));
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const s of facts.skaffold ?? []) for (const m of s.manifests) mentions.push(fromRoot(`${dir}${m.path}`));
  }
  const named = namedIn(mentions);
  const out = new Set<DeployFact>();
  for (const [file, facts] of files) {
    for (const d of facts.deploys) {
      if (d.via === 'knative' && !d.applyNote && !named(file)) out.add(d);
    }
  }
  return out;
}

/** Whether a file that runs — a script, a workflow, a Cloud Build config; not a document, not a
 * test — names the manifest at a workspace path in a command (`gcloud run services replace
 * deploy/api.yaml`). A README's instructions make a manifest applied for the model, not live. */
export function appliedByRunningFile(files: ReadonlyMap<string, FileFacts>): (path: string) => boolean {
  const mentions: string[] = [];
  for (const facts of files.values()) {
    if (facts.isTest || facts.kind === 'docs') continue;
    for (const m of facts.yamlMentions ?? []) mentions.push(fromRoot(m));
  }
  return namedIn(mentions);
}

/** A mention's path with its leading `../` taken off: matched against the end of a workspace path. */
const fromRoot = (m: string): string => m.replace(/^(\.\.\/)+/, '');

/** Whether one of `mentions` names the workspace path. */
function namedIn(mentions: readonly string[]): (path: string) => boolean {
  return (path) => mentions.some((m) => path === m || path.endsWith(`/${m}`) || m.endsWith(`/${path}`));
}
