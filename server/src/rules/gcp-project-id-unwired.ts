/**
 * The service's code reads GCP_PROJECT_ID (typically to decide whether to load Secret Manager),
 * but a staging/production deploy of it does not set it — Cloud Run does not provide it, so the
 * code silently falls back to plain environment variables (the audit's root cause).
 */
import type { Rule, Fix } from './types';
import type { DeployTarget, ReadRef } from '../model/workspace-model';
import { addVariableEdit, deployedTargetsOf, describeTarget, projectValues, targetAnchor } from './shared/deploy-knowledge';
import { placeholderFor } from '../fixes/render-entry';

const NAME = 'GCP_PROJECT_ID';

function fixFor(t: DeployTarget): Fix | undefined {
  const known = addVariableEdit(t, NAME, projectValues(t));
  if (known) {
    const shown = known.value.kind === 'literal' ? known.value.value : known.value.kind === 'expression' ? known.value.text : '';
    return { title: `Add ${NAME}=${shown} to ${describeTarget(t)}`, edits: [known.edit], safe: true, preferred: true };
  }
  const unknown = addVariableEdit(t, NAME, [{ kind: 'placeholder' }]);
  if (unknown) return { title: `Add ${NAME}=${placeholderFor(NAME)} to ${describeTarget(t)} (fill in the project)`, edits: [unknown.edit], safe: false, preferred: true };
  return undefined;
}

export const gcpProjectIdUnwired: Rule = {
  meta: {
    id: 'gcp-project-id-unwired',
    defaultSeverity: 'error',
    description: 'The code reads GCP_PROJECT_ID but a staging/production deploy of the service does not set it',
    fixable: true,
  },
  check({ model, report }) {
    for (const [serviceName, reads] of model.readsByService) {
      const readers = reads.filter((r) => r.read.name === NAME && !r.isTest && !r.read.devOnly);
      if (readers.length === 0) continue;
      const missing = deployedTargetsOf(model, serviceName).filter((t) => !t.writes.has(NAME) &&
        readers.some((r) => !r.read.inEnvironment || r.read.inEnvironment === t.environment));
      if (missing.length === 0) continue;
      for (const t of missing) {
        const anchor = targetAnchor(t);
        const fix = fixFor(t);
        const partial = t.partial.length > 0;
        report({
          file: anchor.file,
          span: anchor.span,
          key: `deploy:${t.key}`,
          severity: partial ? 'warning' : undefined,
          message: `${describeTarget(t)} is deployed without ${NAME}, which ${serviceName} reads${partial ? ' (additive deploy: the service may hold it already)' : ''}; Cloud Run does not set it, so Secret Manager and other project lookups are skipped`,
          related: readers.slice(0, 5).map((r: ReadRef) => ({ file: r.file, span: r.read.nameSpan, message: `${NAME} read here` })),
          fixes: fix ? [fix] : [],
        });
      }
      const fixes = missing.map(fixFor).filter((f): f is Fix => !!f);
      for (const r of readers) {
        const relevant = missing.filter((t) => !r.read.inEnvironment || r.read.inEnvironment === t.environment);
        if (relevant.length === 0) continue;
        report({
          file: r.file,
          span: r.read.nameSpan,
          key: `read:${relevant.map((t) => t.key).join(',')}`,
          severity: relevant.every((t) => t.partial.length > 0) ? 'warning' : undefined,
          message: `${NAME} is not set by the ${relevant.map((t) => t.environment).join(' and ')} deploy${relevant.length > 1 ? 's' : ''} of ${serviceName}: this read sees nothing there`,
          related: relevant.map((t) => ({ ...targetAnchor(t), message: `${describeTarget(t)} deployed here without ${NAME}` })),
          fixes,
        });
      }
    }
  },
};
