/**
 * A variable the service's code reads without a default is set by none of the deploys of that
 * service for an environment (`os.environ["SERVICE_SECRET"]` in the backend, no SERVICE_SECRET in
 * its staging deploy, though the auth service's deploy takes it from a secret).
 *
 * Reported once per deploy target lacking the variable, at the key of the block the line goes in
 * (`--set-env-vars`, `env:`, `environment_vars=`), where the fix is; the reads are related. Never
 * reported: names the platform provides (PORT, K_SERVICE, …, plus `runtimeProvided` in the
 * config), reads with a default or a presence test (in that file), reads in tests or dev-only
 * branches, reads in another environment's branch, reads whose alternative (`get("A") or
 * get("B")`) the target sets. Severity follows certainty: an error only when the deploy replaces
 * the whole environment and is linked to the service by what it ships; nothing for a target whose
 * code loads its variables from an env file the target provides whole (`LoadedEnv`), nor for a
 * per-run parameter the workspace's code passes to the containers it runs (`model.runEnv`); a deploy that keeps what
 * the service had (`--update-env-vars`, no env flag), an environment we could not read whole, or a
 * link by name alone is a warning whose message says which.
 */
import { defineRule } from './types';
import type { Fix } from '../core/edits';
import type { DeployTarget, ReadRef, WorkspaceModel } from '../model/workspace-model';
import { addVariableEdit, blockAnchor, certaintyOf, deployedTargetsOf, describeTarget, isPlatformProvided, listOf, readRunsFor, requiredReads, shortPath, type Certainty } from './shared/deploy-knowledge';
import { addSecretEdit, secretFor } from './shared/secret-refs';
import { isSecretLike } from '../knowledge/secrets';
import { isOauthName, sameCredential } from './shared/oauth-names';
import { placeholderFor } from '../knowledge/secrets';

/** Names another rule owns, so one mistake is reported once. */
const OWNED_ELSEWHERE = new Set(['GCP_PROJECT_ID']);

export function fixFor(target: DeployTarget, name: string, model: WorkspaceModel): Fix | undefined {
  if (isSecretLike(name)) {
    const { secret, version, reused } = secretFor(name, target, model);
    const added = addSecretEdit(target, name, secret, version);
    if (added) {
      return {
        title: `Add ${name} to ${describeTarget(target)} from secret ${secret}:${version}${reused ? '' : ' (create the secret if it does not exist)'}${added.shared ?? ''}`,
        edits: [added.edit],
        // A secret other deploys already use exists; a new name by convention may not.
        safe: reused && !added.shared,
        preferred: true,
      };
    }
  }
  const added = addVariableEdit(target, name, [{ kind: 'placeholder' }]);
  if (added) return { title: `Add ${name}=${placeholderFor(name)} to ${describeTarget(target)} (fill in the value)${added.shared ?? ''}`, edits: [added.edit], safe: false, needsValue: true, preferred: true };
  return undefined;
}

/** The message id for a target lacking a variable, by how sure that is (see `certaintyOf`). */
function missingMessage(c: Certainty, compose: boolean): 'deployWithout' | 'deployWithoutKeeps' | 'deployWithoutUnreadable' | 'deployWithoutInferred' | 'composeWithout' {
  if (c.partial === 'adds') return 'deployWithoutKeeps';
  if (c.partial === 'unreadable') return 'deployWithoutUnreadable';
  if (compose) return 'composeWithout';
  return c.inferred ? 'deployWithoutInferred' : 'deployWithout';
}

/** Every deploy of the target is a compose service: the workspace has no Cloud Run deploy of it
 * (else the compose file is a local stack and no target, model/deploy-roles.ts), so compose may
 * be how it runs — or only a machine's stack named for an environment. */
function composeOnly(t: DeployTarget): boolean {
  return t.deploys.length > 0 && t.deploys.every((d) => d.deploy.platform === 'compose');
}

export const envUnsetForDeploy = defineRule({
  meta: {
    id: 'env-unset-for-deploy',
    defaultSeverity: 'error',
    description: 'A variable the code reads without a default is not set by the deploy of that service and environment',
    fixable: true,
    // One finding per deploy target lacking the variable, at the deploy (where the fix goes); the
    // reads are related. Lower certainty is a warning and says why: `…Keeps`, the deploy keeps
    // what the service had (`--update-env-vars`, no env flag at all); `…Unreadable`, part of its
    // environment could not be read; `…Inferred`, the deploy was linked to the service by a guess;
    // `composeWithout`, only compose starts it (a warning: perhaps a machine's stack, not a deploy).
    messages: {
      deployWithout: '{{target}} is deployed without {{name}}, which {{readers}} {{read}}',
      deployWithoutKeeps: '{{target}} may lack {{name}}, which {{readers}} {{read}}: its deploy keeps earlier variables',
      deployWithoutUnreadable: '{{target}} may lack {{name}}, which {{readers}} {{read}}: part of its environment is unreadable',
      deployWithoutInferred: '{{target}} is deployed without {{name}}, which {{readers}} {{read}} (deploy linked by name)',
      composeWithout: '{{target}} is started by compose without {{name}}, which {{readers}} {{read}}',
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
        // A per-run parameter: code of the workspace passes it to the containers it runs (a job
        // execution's overrides), so no deploy is meant to set it.
        if (model.runEnv.has(name)) continue;
        const oauth = isOauthName(name, model.environments);
        // A read is satisfied by a target setting its name or any alternative from its fallback
        // chain (`os.environ.get("A") or os.environ.get("B")`), or by the platform providing one;
        // it does not apply to a target that never runs it (another environment's branch, a
        // branch on a variable the target decides the other way).
        const unsatisfied = (r: ReadRef, t: DeployTarget): boolean => readRunsFor(r, t, model) &&
          !(r.read.alternatives ?? []).some((a) => t.writes.has(a) || isPlatformProvided(a, model));
        for (const t of targets) {
          if (t.writes.has(name)) continue;
          // The code loads its variables from a whole env file this target provides (a secret
          // holding it, mounted as one variable or file): its contents cannot be checked, so a
          // name missing from the deploy is not missing from the service (`--explain` says so).
          if (t.loadsEnv.length) continue;
          const lacking = readers.filter((r) => unsatisfied(r, t))
            .sort((a, b) => a.file.localeCompare(b.file) || a.read.nameSpan.start - b.read.nameSpan.start);
          if (lacking.length === 0) continue;
          // An OAuth credential the target provides under another name is oauth-env-mismatch's.
          if (oauth && [...t.writes.keys()].some((w) => {
            const other = isOauthName(w, model.environments);
            return !!other && sameCredential(oauth, other);
          })) continue;
          const fix = fixFor(t, name, model);
          const anchor = blockAnchor(t, isSecretLike(name) ? 'secrets' : 'env');
          const certainty = certaintyOf(t, name);
          const compose = composeOnly(t);
          const files = [...new Set(lacking.map((r) => r.file))];
          report({
            file: anchor.file,
            span: anchor.span,
            key: `deploy:${t.key}:${name}`,
            severity: certainty.imageOnly ? 'info' : certainty.partial || certainty.inferred || compose ? 'warning' : undefined,
            messageId: missingMessage(certainty, compose),
            data: { target: describeTarget(t), name, readers: listOf(files.map(shortPath)), read: files.length > 1 ? 'read' : 'reads' },
            related: lacking.slice(0, 5).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${name} read here (${r.read.via}, no default)` })),
            fixes: fix ? [fix] : [],
          });
        }
      }
    }
  },
});
