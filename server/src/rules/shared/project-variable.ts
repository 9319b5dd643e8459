/**
 * Adding a project variable (`GCP_PROJECT_ID`, `GOOGLE_CLOUD_PROJECT`) to a deploy: its value is
 * the deploy's own project as its file can hold it (`--project` as written, deploy-cloudrun's
 * `project_id`, Cloud Build's `$PROJECT_ID`), else a marked placeholder the user fills in.
 */
import type { Fix } from '../../core/edits';
import type { DeployTarget } from '../../model/workspace-model';
import type { InsertValue } from '../../fixes/render-entry';
import { placeholderFor } from '../../knowledge/secrets';
import { addVariableEdit, describeTarget, projectValues } from './deploy-knowledge';

/** The deploy's project as values its file can hold, best first. */
export function projectCandidates(t: DeployTarget): InsertValue[] {
  const known = projectValues(t);
  if (known.length) return known;
  // Cloud Build substitutes $PROJECT_ID with the build's project, where a deploy without
  // --project goes.
  if (t.deploys.some((d) => d.deploy.via === 'cloudbuild' && !d.deploy.project)) return [{ kind: 'expression', text: '$PROJECT_ID' }];
  return [];
}

/** A value as a fix title shows it. */
export function shownValue(v: InsertValue): string {
  return v.kind === 'literal' ? v.value : v.kind === 'expression' ? v.text : '';
}

/** The fix adding `name` with the deploy's project to target `t`, or undefined where no block of
 * its deploys can take it. */
export function projectVariableFix(t: DeployTarget, name: string): Fix | undefined {
  const known = addVariableEdit(t, name, projectCandidates(t));
  if (known) {
    return { title: `Add ${name}=${shownValue(known.value)} to ${describeTarget(t)}${known.shared ?? ''}`, edits: [known.edit], safe: !known.shared, preferred: true };
  }
  const unknown = addVariableEdit(t, name, [{ kind: 'placeholder' }]);
  if (unknown) {
    return { title: `Add ${name}=${placeholderFor(name)} to ${describeTarget(t)} (fill in the project id)${unknown.shared ?? ''}`, edits: [unknown.edit], safe: false, needsValue: true, preferred: true };
  }
  return undefined;
}
