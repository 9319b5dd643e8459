/**
 * A variable the service's code reads without a default is set by none of the deploys of that
 * service for an environment (`os.environ["SERVICE_SECRET"]` in the backend, no SERVICE_SECRET in
 * its staging deploy, though the auth service's deploy takes it from a secret).
 *
 * Reported at both ends: once per variable and service on its first required read (what will be
 * missing at runtime; each deploy target lacking it is related and gets a fix), and once per
 * target lacking it, on its env/secrets block (the reads are related), with that target's fix. Never reported:
 * names the platform provides (PORT, K_SERVICE, …, plus `runtimeProvided` in the config), reads
 * with a default or a presence test (in that file), reads in tests or dev-only branches, reads in
 * another environment's branch, reads whose alternative (`get("A") or get("B")`) the target sets. A target whose deploy only adds variables (`--update-env-vars`,
 * an opaque flag) may hold the variable already: lower severity, and the message says so.
 */
import { defineRule } from './types';
import type { Fix, FileEdit } from '../core/edits';
import { isPartialFor, type DeployTarget, type ReadRef, type WorkspaceModel } from '../model/workspace-model';
import { addVariableEdit, blockAnchor, deployedTargetsOf, describeTarget, insertionsFor, isPlatformProvided, nameEnvironment, readAppliesTo, requiredReads } from './shared/deploy-knowledge';
import { isSecretLike } from '../knowledge/secrets';
import { isOauthName, sameCredential } from './shared/oauth-names';
import { placeholderFor } from '../knowledge/secrets';
import { renderInsertion } from '../fixes/render-entry';

/** Names another rule owns, so one mistake is reported once. */
const OWNED_ELSEWHERE = new Set(['GCP_PROJECT_ID']);

const kebab = (s: string): string => s.toLowerCase().replace(/_/g, '-');

/** `GOOGLE_OAUTH_CLIENT_SECRET_STAGING` → `GOOGLE_OAUTH_CLIENT_SECRET` (the environment token is
 * part of the secret's naming pattern, not of the variable). */
function baseName(name: string, model: WorkspaceModel): string {
  return nameEnvironment(name, model) ? name.slice(0, name.lastIndexOf('_')) : name;
}

/**
 * The Secret Manager reference a secret-like variable gets, following the project's own naming:
 * 1. the secret another service of the same environment already takes this variable from
 *    (a shared secret such as SERVICE_SECRET), unless that secret's name carries the other
 *    service's name (`auth-database-url-staging` belongs to auth);
 * 2. the prefix/suffix pattern of the target's own secrets (`jwt-secret-key-staging` for
 *    JWT_SECRET_KEY gives `<name>-staging`), then of any secret in that environment;
 * 3. else `<kebab-name>-<environment>` (`service-secret-staging`).
 * `reused` tells whether the secret is known to exist (referenced by another deploy).
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
  const patternOf = (targets: DeployTarget[]): { prefix: string; suffix: string } | undefined => {
    for (const t of targets) {
      for (const [n, refs] of t.writes) {
        for (const w of refs) {
          const v = w.write.value;
          if (v.kind !== 'secret') continue;
          const k = kebab(baseName(n, model));
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
  const pattern = patternOf([target]) ?? patternOf(sameEnv) ?? { prefix: '', suffix: `-${target.environment}` };
  return { secret: pattern.prefix + kebab(baseName(name, model)) + pattern.suffix, version: 'latest', reused: false };
}

/** Adds `name` as a secret reference; a Python deploy dict of secrets holds `"secret:version"` strings. */
function addSecretEdit(target: DeployTarget, name: string, secret: string, version: string): FileEdit | undefined {
  for (const plan of insertionsFor(target, 'secrets')) {
    const text = plan.insertion.format === 'python-dict'
      ? renderInsertion(plan.insertion, name, { kind: 'literal', value: `${secret}:${version}` })
      : renderInsertion(plan.insertion, name, { kind: 'secret', secret, version });
    if (text !== undefined) return { file: plan.file, span: { start: plan.insertion.offset, end: plan.insertion.offset }, newText: text };
  }
  return undefined;
}

export function fixFor(target: DeployTarget, name: string, model: WorkspaceModel): Fix | undefined {
  if (isSecretLike(name)) {
    const { secret, version, reused } = secretFor(name, target, model);
    const edit = addSecretEdit(target, name, secret, version);
    if (edit) {
      return {
        title: `Add ${name} to ${describeTarget(target)} from secret ${secret}:${version}${reused ? '' : ' (create the secret if it does not exist)'}`,
        edits: [edit],
        // A secret other deploys already use exists; a new name by convention may not.
        safe: reused,
        preferred: true,
      };
    }
  }
  const added = addVariableEdit(target, name, [{ kind: 'placeholder' }]);
  if (added) return { title: `Add ${name}=${placeholderFor(name)} to ${describeTarget(target)} (fill in the value)`, edits: [added.edit], safe: false, preferred: true };
  return undefined;
}

export const envUnsetForDeploy = defineRule({
  meta: {
    id: 'env-unset-for-deploy',
    defaultSeverity: 'error',
    description: 'A variable the code reads without a default is not set by the deploy of that service and environment',
    fixable: true,
    // `…Additive`: the deploy only adds variables (`--update-env-vars`), so the service may hold it already.
    messages: {
      /** The code end, on the first required read: deploys that replace the environment lack it. */
      readUnset: '{{name}} is read by {{service}} without a default, but the {{environments}} {{deploys}} of {{service}} {{do}} not set it',
      /** The code end: only additive deploys lack it. */
      readUnsetAdditive: '{{name}} is read by {{service}} without a default, and the {{additiveEnvironments}} {{additiveDeploys}} of {{service}} {{additiveDo}} not visibly set it (lower certainty: {{it}} only {{adds}} to what the service already has, so it may be set already)',
      /** The code end: both kinds of deploy lack it. */
      readUnsetAndAdditive: '{{name}} is read by {{service}} without a default, but the {{environments}} {{deploys}} of {{service}} {{do}} not set it; the {{additiveEnvironments}} {{additiveDeploys}} of {{service}} {{additiveDo}} not visibly set it (lower certainty: {{it}} only {{adds}} to what the service already has, so it may be set already)',
      /** The deploy end, on the block where the line is missing. */
      deployWithout: '{{target}} is deployed without {{name}}, which {{service}} reads without a default',
      deployWithoutAdditive: '{{target}} is deployed without {{name}}, which {{service}} reads without a default (lower certainty: this deploy only adds variables, so the service may hold it already)',
    },
  },
  check({ model, report }) {
    for (const [serviceName, reads] of model.readsByService) {
      const targets = deployedTargetsOf(model, serviceName);
      if (targets.length === 0) continue;
      // A file that tests for a variable's presence or gives it a default somewhere handles its
      // absence (`if "X" in os.environ: use(os.environ["X"])`): none of its reads of it count.
      const handled = new Set(reads.filter((r) => r.read.hasDefault).map((r) => `${r.file}\0${r.read.name}`));
      const needed = requiredReads(reads).filter((r) => !isPlatformProvided(r.read.name, model) &&
        !OWNED_ELSEWHERE.has(r.read.name) && !handled.has(`${r.file}\0${r.read.name}`));
      const byName = new Map<string, ReadRef[]>();
      for (const r of needed) {
        // Appended in place: copying the list per read is quadratic in a file with thousands of reads.
        const list = byName.get(r.read.name);
        if (list) list.push(r);
        else byName.set(r.read.name, [r]);
      }
      for (const [name, readers] of byName) {
        const oauth = isOauthName(name, model.environments);
        // A read is satisfied by a target setting its name or any alternative from its fallback
        // chain (`os.environ.get("A") or os.environ.get("B")`), or by the platform providing one.
        const unsatisfied = (r: ReadRef, t: DeployTarget): boolean => readAppliesTo(r, t.environment, model) &&
          !(r.read.alternatives ?? []).some((a) => t.writes.has(a) || isPlatformProvided(a, model));
        const missing = targets.filter((t) => {
          if (t.writes.has(name)) return false;
          if (!readers.some((r) => unsatisfied(r, t))) return false;
          // An OAuth credential the target provides under another name is oauth-env-mismatch's.
          if (oauth && [...t.writes.keys()].some((w) => {
            const other = isOauthName(w, model.environments);
            return !!other && sameCredential(oauth, other);
          })) return false;
          return true;
        });
        if (missing.length === 0) continue;
        const primary = [...readers]
          .filter((r) => missing.some((t) => unsatisfied(r, t)))
          .sort((a, b) => a.file.localeCompare(b.file) || a.read.nameSpan.start - b.read.nameSpan.start)[0];
        const additive = missing.filter((t) => isPartialFor(t, name));
        const certain = missing.filter((t) => !isPartialFor(t, name));
        const envs = (ts: DeployTarget[]) => ts.map((t) => t.environment).join(' and ');
        const many = (ts: DeployTarget[]) => ts.length > 1;
        const fixes = missing.map((t) => fixFor(t, name, model)).filter((f): f is Fix => !!f);
        // With one fix per target, none is "the" obvious one.
        if (fixes.length > 1) for (const f of fixes) f.preferred = false;
        report({
          file: primary.file,
          span: primary.read.nameSpan,
          key: `read:${name}`,
          severity: certain.length === 0 ? 'warning' : undefined,
          messageId: !additive.length ? 'readUnset' : certain.length ? 'readUnsetAndAdditive' : 'readUnsetAdditive',
          data: {
            name, service: serviceName,
            environments: envs(certain), deploys: many(certain) ? 'deploys' : 'deploy', do: many(certain) ? 'do' : 'does',
            additiveEnvironments: envs(additive), additiveDeploys: many(additive) ? 'deploys' : 'deploy', additiveDo: many(additive) ? 'do' : 'does',
            it: many(additive) ? 'they' : 'it', adds: many(additive) ? 'add' : 'adds',
          },
          related: [
            ...missing.map((t) => ({ ...blockAnchor(t, isSecretLike(name) ? 'secrets' : 'env'), message: `${describeTarget(t)} deployed here without ${name}` })),
            ...readers.filter((r) => r !== primary && missing.some((t) => unsatisfied(r, t))).slice(0, 4).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${name} also read here (${r.read.via}, no default)` })),
          ],
          fixes,
        });
        // The deploy end of the same disagreement: where the line is missing.
        for (const t of missing) {
          const fix = fixFor(t, name, model);
          const anchor = blockAnchor(t, isSecretLike(name) ? 'secrets' : 'env');
          const partial = isPartialFor(t, name);
          report({
            file: anchor.file,
            span: anchor.span,
            key: `deploy:${t.key}:${name}`,
            severity: partial ? 'warning' : undefined,
            messageId: partial ? 'deployWithoutAdditive' : 'deployWithout',
            data: { target: describeTarget(t), name, service: serviceName },
            related: readers.filter((r) => unsatisfied(r, t)).slice(0, 5)
              .map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${name} read here (${r.read.via}, no default)` })),
            fixes: fix ? [fix] : [],
          });
        }
      }
    }
  },
});
