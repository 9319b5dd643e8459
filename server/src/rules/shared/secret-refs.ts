/**
 * Secret Manager references as a deploy writes them: which secret a variable should come from
 * (following the project's own naming), the edit adding a reference in the deploy's syntax, and
 * the edits that turn a literal entry into a reference (a placeholder moved to a secret).
 */
import type { Fix, FileEdit } from '../../core/edits';
import type { DeployTarget, WorkspaceModel, WriteRef } from '../../model/workspace-model';
import { renderInsertion } from '../../fixes/render-entry';
import { insertionsFor, secretSuffix, sharedNote, withoutEnvironmentSuffix } from './deploy-knowledge';

const kebab = (s: string): string => s.toLowerCase().replace(/_/g, '-');

/**
 * The Secret Manager reference a secret-like variable gets, following the project's own naming:
 * 1. the secret another service of the same environment already takes this variable from
 *    (a shared secret such as SERVICE_SECRET), unless that secret's name carries the other
 *    service's name (`auth-database-url-staging` belongs to auth);
 * 2. the prefix/suffix pattern of the target's own secrets (`jwt-secret-key-staging` for
 *    JWT_SECRET_KEY gives `<name>-staging`), then of any secret in that environment;
 * 3. else `<kebab-name>-<environment>` (`service-secret-staging`).
 * The variable's own environment suffix is not part of the pattern (`X_SECRET_STAGING` →
 * `x-secret-staging`). `reused` tells whether the secret is known to exist (another deploy uses it).
 */
export function secretFor(name: string, target: DeployTarget, model: WorkspaceModel): { secret: string; version: string; reused: boolean } {
  const sameEnv = model.targets.filter((t) => t.environment === target.environment && t !== target);
  for (const t of sameEnv) {
    for (const w of t.writes.get(name) ?? []) {
      const v = w.write.value;
      if (v.kind !== 'secret') continue;
      const owner = t.serviceName.toLowerCase();
      if (owner && v.secret.toLowerCase().split(/[-_]/).includes(owner)) continue;
      return { secret: v.secret, version: v.version ?? 'latest', reused: true };
    }
  }
  // A secret another environment's deploy takes the name from, whose own name says no
  // environment (`aurafractor-jwt-secret`): one secret for every environment.
  for (const t of model.targets) {
    if (t === target || t.environment === target.environment) continue;
    for (const w of t.writes.get(name) ?? []) {
      const v = w.write.value;
      if (v.kind !== 'secret' || model.environments.fromName(v.secret)) continue;
      return { secret: v.secret, version: v.version ?? 'latest', reused: true };
    }
  }
  const patternOf = (targets: DeployTarget[]): { prefix: string; suffix: string } | undefined => {
    for (const t of targets) {
      for (const [n, refs] of t.writes) {
        for (const w of refs) {
          const v = w.write.value;
          if (v.kind !== 'secret') continue;
          const k = kebab(withoutEnvironmentSuffix(n, model));
          const at = v.secret.indexOf(k);
          if (at < 0) continue;
          const prefix = v.secret.slice(0, at);
          // A prefix naming another service (`auth-`) is that service's, not the project's.
          if (prefix && t !== target) continue;
          return { prefix, suffix: v.secret.slice(at + k.length) };
        }
      }
    }
    return undefined;
  };
  const pattern = patternOf([target]) ?? patternOf(sameEnv) ?? { prefix: '', suffix: secretSuffix(target.environment) };
  return { secret: pattern.prefix + kebab(withoutEnvironmentSuffix(name, model)) + pattern.suffix, version: 'latest', reused: false };
}

/** Adds `name` as a secret reference; a Python deploy dict of secrets holds `"secret:version"` strings. */
export function addSecretEdit(target: DeployTarget, name: string, secret: string, version: string): { edit: FileEdit; shared?: string } | undefined {
  for (const plan of insertionsFor(target, 'secrets')) {
    const text = plan.insertion.format === 'python-dict'
      ? renderInsertion(plan.insertion, name, { kind: 'literal', value: `${secret}:${version}` })
      : renderInsertion(plan.insertion, name, { kind: 'secret', secret, version });
    if (text !== undefined) return { edit: { file: plan.file, span: { start: plan.insertion.offset, end: plan.insertion.offset }, newText: text }, shared: sharedNote(plan.insertion) };
  }
  return undefined;
}

/**
 * The edit removing one entry from its list with one separator: from the entry to the next one,
 * or (for the last) from the previous one's end. Undefined when the entry is alone (an empty list
 * is another statement) or when the entries' spans do not map one to one onto the source.
 */
export function removeEntryEdit(w: WriteRef): FileEdit | undefined {
  const entries = w.block.entries;
  const i = entries.indexOf(w.write);
  if (i < 0 || entries.length < 2) return undefined;
  const format = w.block.insert?.format;
  const next = entries[i + 1];
  const prev = entries[i - 1];
  const span = next ? { start: w.write.span.start, end: next.span.start } : { start: prev.span.end, end: w.write.span.end };
  const gap = next ? next.span.start - w.write.span.end : w.write.span.start - prev.span.end;
  if (span.end <= span.start || gap < 0) return undefined;
  // A gcloud list is `A=1,B=2`: exactly the delimiter between entries, else the spans are approximate.
  if (format === 'gcloud-kv' && gap !== (w.block.insert?.delimiter ?? ',').length) return undefined;
  return { file: w.file, span, newText: '' };
}

/**
 * Turns a literal entry of a deploy into a reference to `secret` in the deploy's own syntax: a
 * Knative/Kubernetes entry becomes `valueFrom.secretKeyRef` in place; an entry of a gcloud list,
 * a Python env dict or deploy-cloudrun's `env_vars` leaves its list and joins the deploy's secrets
 * (`--set-secrets NAME=secret:latest`, the secrets dict, `secrets:`); a compose value is taken
 * from the host environment instead (`${NAME}`). Never safe: the secret must exist and hold the
 * real value. Undefined when the deploy's syntax cannot be edited safely (an `--update-env-vars`
 * entry: removing it would not remove the variable from the service).
 */
export function moveToSecretEdits(w: WriteRef, secret: string, version: string): { edits: FileEdit[]; how: 'secretKeyRef' | 'secrets' | 'host' } | undefined {
  const t = w.target;
  const ins = w.block.insert;
  if (!t || !w.deploy || !ins || w.block.kind !== 'env' || w.write.value.kind !== 'literal') return undefined;
  if (ins.format === 'yaml-env-list') {
    const text = renderInsertion({ ...ins, before: '', after: '' }, w.write.name, { kind: 'secret', secret, version });
    return text === undefined ? undefined : { edits: [{ file: w.file, span: w.write.span, newText: text }], how: 'secretKeyRef' };
  }
  if ((ins.format === 'yaml-map' || ins.format === 'yaml-list-kv') && w.deploy.via === 'compose') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(w.write.name)) return undefined;
    const ref = `\${${w.write.name}}`;
    return { edits: [{ file: w.file, span: w.write.value.span, newText: ins.format === 'yaml-map' ? `"${ref}"` : ref }], how: 'host' };
  }
  if (w.block.mode !== 'set' || !(ins.format === 'gcloud-kv' || ins.format === 'python-dict' || ins.format === 'kv-lines')) return undefined;
  const remove = removeEntryEdit(w);
  const add = addSecretEdit(t, w.write.name, secret, version)?.edit;
  if (!remove || !add) return undefined;
  // The reference must not land inside the entry being removed (or in the same list).
  if (add.file === remove.file && add.span.start >= w.block.span.start && add.span.start <= w.block.span.end) return undefined;
  return { edits: [remove, add].sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start), how: 'secrets' };
}

/** The fix moving a placeholder to a secret reference, titled in the deploy's terms. */
export function moveToSecretFix(w: WriteRef, secret: string, version: string): Fix | undefined {
  const moved = moveToSecretEdits(w, secret, version);
  if (!moved) return undefined;
  const title = moved.how === 'host'
    ? `Take ${w.write.name} from the host environment (\${${w.write.name}})`
    : `Take ${w.write.name} from secret ${secret}:${version} (the secret must exist)`;
  return { title, edits: moved.edits, safe: false, preferred: true };
}
