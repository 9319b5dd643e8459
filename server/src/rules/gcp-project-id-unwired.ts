/**
 * The service's code reads GCP_PROJECT_ID (typically to decide whether to load Secret Manager),
 * but a staging/production deploy of it does not set it — Cloud Run does not provide it, so the
 * code silently falls back to plain environment variables and every secret it would have
 * loaded is missing, with a green deploy.
 *
 * Reported at both ends: once per deploy target, on the block the fix edits (where the line is
 * missing; the reads are related), and once per read (the deploys lacking it are related), with
 * the same fixes. The fix value comes from the deploy's own project: its
 * `--project` (as written: `self.project_id`, `$PROJECT_ID`, or the literal it resolves to), the
 * `project_id` input of deploy-cloudrun, or Cloud Build's built-in `$PROJECT_ID`; when none is
 * known, a marked placeholder (an unsafe fix: the user fills it in).
 */
import { defineRule } from './types';
import type { Fix } from '../core/edits';
import { isPartialFor, type DeployTarget, type ReadRef } from '../model/workspace-model';
import type { InsertValue } from '../fixes/render-entry';
import { addVariableEdit, blockAnchor, deployedTargetsOf, describeTarget, projectValues, readAppliesTo } from './shared/deploy-knowledge';
import { placeholderFor } from '../knowledge/secrets';
import { OTHER_GCP_SIGNALS } from '../knowledge/platform';

const NAME = 'GCP_PROJECT_ID';

/** The deploy's project as values its file can hold, best first. */
function projectCandidates(t: DeployTarget): InsertValue[] {
  const known = projectValues(t);
  if (known.length) return known;
  // Cloud Build substitutes $PROJECT_ID with the build's project, where a deploy without
  // --project goes.
  if (t.deploys.some((d) => d.deploy.via === 'cloudbuild' && !d.deploy.project)) return [{ kind: 'expression', text: '$PROJECT_ID' }];
  return [];
}

function shown(v: InsertValue): string {
  return v.kind === 'literal' ? v.value : v.kind === 'expression' ? v.text : '';
}

export function fixFor(t: DeployTarget): Fix | undefined {
  const known = addVariableEdit(t, NAME, projectCandidates(t));
  if (known) {
    return { title: `Add ${NAME}=${shown(known.value)} to ${describeTarget(t)}`, edits: [known.edit], safe: true, preferred: true };
  }
  const unknown = addVariableEdit(t, NAME, [{ kind: 'placeholder' }]);
  if (unknown) {
    return { title: `Add ${NAME}=${placeholderFor(NAME)} to ${describeTarget(t)} (fill in the project id)`, edits: [unknown.edit], safe: false, preferred: true };
  }
  return undefined;
}

export const gcpProjectIdUnwired = defineRule({
  meta: {
    id: 'gcp-project-id-unwired',
    defaultSeverity: 'error',
    description: 'The code reads GCP_PROJECT_ID but a staging/production deploy of the service does not set it',
    fixable: true,
    messages: {
      /** The deploy end, on the block where the line is missing. */
      deployWithout: '{{target}} is deployed without GCP_PROJECT_ID, which {{service}} reads; Cloud Run does not set it, so Secret Manager and other project lookups are skipped in {{environment}}',
      /** The same, for a deploy that only adds variables (`--update-env-vars`). */
      deployWithoutAdditive: '{{target}} is deployed without GCP_PROJECT_ID, which {{service}} reads (lower certainty: this deploy only adds variables, so the service may hold it already); Cloud Run does not set it, so Secret Manager and other project lookups are skipped in {{environment}}',
      /** The code end, on the file's first read some deploy leaves empty. */
      readUnset: 'GCP_PROJECT_ID is not set by the {{environments}} {{deploys}} of {{service}}: this read sees nothing there',
    },
  },
  check({ model, report }) {
    if (model.config.runtimeProvided.includes(NAME)) return;
    for (const [serviceName, reads] of model.readsByService) {
      const readers = reads.filter((r) => r.read.name === NAME && !r.isTest && !r.read.devOnly &&
        !(r.read.hasDefault && reads.some((o) => o.file === r.file && OTHER_GCP_SIGNALS.has(o.read.name))));
      if (readers.length === 0) continue;
      for (const t of deployedTargetsOf(model, serviceName)) {
        if (t.writes.has(NAME)) continue;
        const relevant = readers.filter((r) => readAppliesTo(r, t.environment, model));
        if (relevant.length === 0) continue;
        const anchor = blockAnchor(t, 'env');
        const fix = fixFor(t);
        const partial = isPartialFor(t, NAME);
        report({
          file: anchor.file,
          span: anchor.span,
          key: `deploy:${t.key}`,
          severity: partial ? 'warning' : undefined,
          messageId: partial ? 'deployWithoutAdditive' : 'deployWithout',
          data: { target: describeTarget(t), service: serviceName, environment: t.environment },
          related: relevant.slice(0, 5).map((r: ReadRef) => ({ file: r.file, span: r.read.nameSpan, message: `${NAME} read here (${r.read.via})` })),
          fixes: fix ? [fix] : [],
        });
      }
      // The code end: one finding per file, on its first read that some deploy leaves empty
      // (the file's other reads are related), so one bug is one line in the Problems panel.
      const byFile = new Map<string, ReadRef[]>();
      for (const r of readers) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
      for (const [, fileReads] of byFile) {
        const ordered = fileReads.sort((a, b) => a.read.nameSpan.start - b.read.nameSpan.start);
        const targets = deployedTargetsOf(model, serviceName).filter((t) => !t.writes.has(NAME));
        const first = ordered.find((r) => targets.some((t) => readAppliesTo(r, t.environment, model)));
        if (!first) continue;
        const missing = targets.filter((t) => ordered.some((r) => readAppliesTo(r, t.environment, model)));
        const fixes = missing.map(fixFor).filter((f): f is Fix => !!f);
        if (fixes.length > 1) for (const f of fixes) f.preferred = false;
        report({
          file: first.file,
          span: first.read.nameSpan,
          key: 'read',
          severity: missing.every((t) => isPartialFor(t, NAME)) ? 'warning' : undefined,
          messageId: 'readUnset',
          data: { environments: missing.map((t) => t.environment).join(' and '), deploys: missing.length > 1 ? 'deploys' : 'deploy', service: serviceName },
          related: [
            ...missing.map((t) => ({ ...blockAnchor(t, 'env'), message: `${describeTarget(t)} deployed here without ${NAME}` })),
            ...ordered.filter((r) => r !== first).slice(0, 4).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${NAME} also read here` })),
          ],
          fixes,
        });
      }
    }
  },
});
