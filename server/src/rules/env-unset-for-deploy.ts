/**
 * A variable the service's code reads without a default is set by none of the deploys of that
 * service for an environment: the audit's missing SERVICE_SECRET. Reported at both ends: on the
 * deploy target (what to add) and on the read (what will be missing at runtime).
 */
import type { Rule, Fix } from './types';
import type { DeployTarget, ReadRef } from '../model/workspace-model';
import {
  addVariableEdit, conventionalSecretName, deployedTargetsOf, describeTarget, isPlatformProvided, isSecretLike,
  readAppliesTo, requiredReads, targetAnchor,
} from './shared/deploy-knowledge';
import { isOauthName } from './shared/oauth-names';
import { placeholderFor } from '../fixes/render-entry';

/** Names another rule owns, so one mistake is reported once. */
const OWNED_ELSEWHERE = new Set(['GCP_PROJECT_ID']);

function fixFor(target: DeployTarget, name: string): Fix | undefined {
  if (isSecretLike(name)) {
    const secret = conventionalSecretName(name, target.environment, target);
    const added = addVariableEdit(target, name, [{ kind: 'secret', secret, version: 'latest' }]);
    if (added) return { title: `Add ${name} to ${describeTarget(target)} as secret ${secret}:latest`, edits: [added.edit], safe: true, preferred: true };
  }
  const added = addVariableEdit(target, name, [{ kind: 'placeholder' }]);
  if (added) return { title: `Add ${name}=${placeholderFor(name)} to ${describeTarget(target)} (fill in the value)`, edits: [added.edit], safe: false, preferred: true };
  return undefined;
}

export const envUnsetForDeploy: Rule = {
  meta: {
    id: 'env-unset-for-deploy',
    defaultSeverity: 'error',
    description: 'A variable the code reads without a default is not set by the deploy of that service and environment',
    fixable: true,
  },
  check({ model, report }) {
    for (const [serviceName, reads] of model.readsByService) {
      const targets = deployedTargetsOf(model, serviceName);
      if (targets.length === 0) continue;
      const needed = requiredReads(reads).filter((r) => !isPlatformProvided(r.read.name, model) && !OWNED_ELSEWHERE.has(r.read.name));
      const missingByRead = new Map<ReadRef, DeployTarget[]>();
      for (const t of targets) {
        const seen = new Set<string>();
        for (const r of needed) {
          const name = r.read.name;
          if (t.writes.has(name) || !readAppliesTo(r, t.environment, model)) continue;
          // An OAuth name the target provides under another name is oauth-env-mismatch's to report.
          if (isOauthName(name) && [...t.writes.keys()].some((w) => isOauthName(w) && isOauthName(w)!.kind === isOauthName(name)!.kind)) continue;
          const list = missingByRead.get(r) ?? [];
          list.push(t);
          missingByRead.set(r, list);
          if (seen.has(name)) continue;
          seen.add(name);
          const partial = t.partial.length > 0;
          const readers = needed.filter((x) => x.read.name === name);
          const anchor = targetAnchor(t);
          const fix = fixFor(t, name);
          report({
            file: anchor.file,
            span: anchor.span,
            key: `deploy:${t.key}:${name}`,
            severity: partial ? 'warning' : undefined,
            message: partial
              ? `${name} is read by ${serviceName} without a default, and no deploy of ${describeTarget(t)} visibly sets it (the deploy only adds to what the service already has, so it may be set already)`
              : `${name} is read by ${serviceName} without a default, but the ${t.environment} deploy of ${serviceName} does not set it`,
            related: readers.slice(0, 5).map((x) => ({ file: x.file, span: x.read.nameSpan, message: `${name} read here (${x.read.via}, no default)` })),
            fixes: fix ? [fix] : [],
          });
        }
      }
      for (const [r, missing] of missingByRead) {
        const partial = missing.every((t) => t.partial.length > 0);
        const fixes = missing.map((t) => fixFor(t, r.read.name)).filter((f): f is Fix => !!f);
        report({
          file: r.file,
          span: r.read.nameSpan,
          key: `read:${r.read.name}:${missing.map((t) => t.key).join(',')}`,
          severity: partial ? 'warning' : undefined,
          message: `${r.read.name} has no default here and is not set by the ${missing.map((t) => t.environment).join(' and ')} deploy${missing.length > 1 ? 's' : ''} of ${serviceName}${partial ? ' (additive deploys: it may be set already)' : ''}`,
          related: missing.map((t) => ({ ...targetAnchor(t), message: `${describeTarget(t)} deployed here without ${r.read.name}` })),
          fixes,
        });
      }
    }
  },
};
