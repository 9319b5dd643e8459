/**
 * Cloud Build configs no trigger runs. A workspace whose Terraform declares its Cloud Build
 * triggers (`google_cloudbuild_trigger` with `filename = "apps/job/cloudbuild.yaml"`) says which
 * configs run on a push; a config none of them names, and that no script, workflow or other config
 * here submits (`gcloud builds submit --config apps/api/cloudbuild.yaml`, `FileFacts.yamlMentions`),
 * is a leftover or run by hand: what its deploys lack is information, not a broken rollout.
 *
 * Only where every trigger's config is known: one computed or left to autodetection
 * (`FileFacts.buildTriggerFiles` holding `''`) could be any file, and then none is called
 * untriggered. A workspace declaring no trigger says nothing (triggers are mostly made in the console).
 *
 * Pure: reads the files' facts only.
 */
import type { DeployFact, FileFacts } from '../core/facts';
import { appliedByRunningFile } from './applied-manifests';

/** The Cloud Build deploys of configs no declared trigger and no running file names. */
export function untriggeredBuilds(files: ReadonlyMap<string, FileFacts>): Set<DeployFact> {
  const triggered: string[] = [];
  for (const facts of files.values()) {
    if (facts.isTest) continue;
    for (const f of facts.buildTriggerFiles ?? []) {
      if (!f) return new Set();
      triggered.push(f);
    }
  }
  const out = new Set<DeployFact>();
  if (!triggered.length) return out;
  const submitted = appliedByRunningFile(files);
  for (const [file, facts] of files) {
    if (facts.isTest || triggered.some((t) => file === t || file.endsWith(`/${t}`)) || submitted(file)) continue;
    for (const d of facts.deploys) if (d.via === 'cloudbuild') out.add(d);
  }
  return out;
}
