/**
 * YAML deploy files: detects each document's kind and hands it to the extractor for that kind
 * (Cloud Run / Kubernetes manifests, Cloud Build, GitHub Actions, docker compose, gcloud
 * env-vars files, Cloud Deploy pipelines and targets, Skaffold configs). Aliases are never
 * expanded, so alias bombs cost no more than their text.
 */
import type { YAMLMap } from 'yaml';
import type { FileFacts } from '../core/facts';
import { extractManifest, manifestKind } from './yaml-cloud-run';
import { extractCloudBuild, isCloudBuild } from './yaml-cloudbuild';
import { extractWorkflow, isWorkflow } from './yaml-github-actions';
import { extractCompose, isCompose } from './yaml-compose';
import { envVarsFileKind, extractEnvVarsFile, looksLikeEnvVarsFileName, mayBeEnvVarsFile } from './yaml-env-vars-file';
import { isMap, lineOf, parseDocs, scanRemainingDbUrls, type YamlCtx } from './yaml-util';
import { ParsersNotReady } from '../parsers/tree-sitter';
import { cloudDeployKind, extractCloudDeploy } from './yaml-clouddeploy';
import { extractSkaffold, isSkaffold } from './yaml-skaffold';

const TRIGGERS = ['env', 'gcloud', 'steps', 'services', 'apiVersion', 'postgres', 'deploy-cloudrun'];

export function extractYaml(file: string, text: string, facts: FileFacts): void {
  if (!TRIGGERS.some((t) => text.includes(t)) && !looksLikeEnvVarsFileName(file) && !mayBeEnvVarsFile(text)) return;
  const ctx: YamlCtx = { file, text, facts, docs: parseDocs(text, facts), dbDone: new Set() };
  const setRole = (role: string) => {
    facts.role ??= role;
  };
  for (const doc of ctx.docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    const map = root as YAMLMap;
    try {
      const manifest = manifestKind(text, map);
      const delivery = manifest ? undefined : cloudDeployKind(text, map);
      if (delivery) {
        setRole('clouddeploy');
        extractCloudDeploy(ctx, map, delivery);
      } else if (!manifest && isSkaffold(text, map)) {
        setRole('skaffold');
        extractSkaffold(ctx, map);
      } else if (manifest) {
        const fact = extractManifest(ctx, map, manifest.kind, manifest.podPath);
        if (fact) facts.deploys.push(fact);
        setRole(manifest.kind);
      } else if (isWorkflow(text, map)) {
        setRole('github-actions');
        const before = facts.deploys.length;
        extractWorkflow(ctx, map);
        // GitHub refuses to load a workflow file that is no valid YAML: nothing in it runs.
        const e = doc.errors[0];
        if (e) {
          const why = `its YAML has a syntax error (${e.code}) at line ${lineOf(text, Math.max(0, Math.min(e.pos[0], text.length)))}`;
          const held = facts.deploys.slice(before);
          for (const d of held) d.unloadable = why;
          // The notice says what the error costs: the file's deploys never run, which a syntax
          // error alone does not tell (two workflows pasted into one file parse as YAML here).
          const notice = facts.problems.find((p) => p.message.startsWith('YAML syntax error'));
          if (notice && held.length) {
            notice.message += `: GitHub refuses to run a workflow file that is not valid YAML${e.code === 'DUPLICATE_KEY' ? ' (a key defined twice in one map)' : ''}, so none of its deploys runs`;
          }
        }
      } else if (isCloudBuild(text, map)) {
        setRole('cloudbuild');
        extractCloudBuild(ctx, map);
      } else if (isCompose(text, map)) {
        setRole('compose');
        extractCompose(ctx, map);
      } else if (ctx.docs.length === 1) {
        const kind = envVarsFileKind(file, map);
        if (kind) {
          setRole('env-vars-file');
          extractEnvVarsFile(ctx, map);
          if (kind === 'shape') facts.envFileNeedsReference = true;
        }
      }
    } catch (err) {
      if (err instanceof ParsersNotReady) throw err;
      facts.problems.push({ message: `could not read this YAML document: ${(err as Error).message}` });
    }
  }
  scanRemainingDbUrls(ctx);
}
