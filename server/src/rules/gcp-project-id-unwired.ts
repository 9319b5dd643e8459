/**
 * The service's code reads GCP_PROJECT_ID (typically to decide whether to load Secret Manager),
 * but a staging/production deploy of it does not set it — Cloud Run does not provide it, so the
 * code silently falls back to plain environment variables and every secret only it would have
 * loaded is missing, with a green deploy.
 *
 * Reported once per deploy target, at the key of its env block (where the line is missing; the
 * reads are related), with the fix. A read with a default or a presence test counts only in a file
 * that gates Secret Manager on GCP_PROJECT_ID alone (that is what the variable decides there); a
 * deploy that keeps what the service had, or is linked to the service by name only, is a warning
 * that says so; a deploy that only swaps the image of a service configured elsewhere is
 * information, and only when other deploys here set GCP_PROJECT_ID. A deploy that mounts secrets as variables itself and gives every read of the code
 * that needs a value one is a warning that says so: the code's own Secret Manager path is then a
 * second source, and what only it would load (a key fetched by a name built at run time) is all
 * that can be missing. One that leaves a needed variable unset stays an error: that path is where
 * the code would have found it. The fix value comes from the deploy's own project: its
 * `--project` (as written: `self.project_id`, `$PROJECT_ID`, or the literal it resolves to), the
 * `project_id` input of deploy-cloudrun, or Cloud Build's built-in `$PROJECT_ID`; when none is
 * known, a marked placeholder (an unsafe fix: the user fills it in).
 */
import { defineRule, type Report } from './types';
import type { DeployTarget, ReadRef } from '../model/workspace-model';
import type { InsertValue } from '../fixes/render-entry';
import { addToDeployEdit, blockAnchor, certaintyOf, deployAnchor, deployedTargetsOf, describeTarget, describeTargets, listOf, othersSetting, projectValues, readRunsFor, shortPath } from './shared/deploy-knowledge';
import { placeholderFor } from '../knowledge/secrets';
import { deliversSecretsItself, deploysDropping, neededByName, type DroppingDeploy } from './shared/needed-env';
import { projectVariableFix, shownValue } from './shared/project-variable';

const NAME = 'GCP_PROJECT_ID';
const SKIP: ReadonlySet<string> = new Set([NAME]);


/** One deploy of `t` drops GCP_PROJECT_ID, which another full deploy of it sets: a warning at
 * that deploy (as env-unset-for-deploy reports other names), the fix from its own project. */
function reportDropped(report: (r: Report<'deployPathWithout' | 'deployPathWithoutUnseen'>) => void, t: DeployTarget, drop: DroppingDeploy, unseen: boolean): void {
  const d = drop.deploy;
  const own = projectValues({ ...t, deploys: [d], project: d.deploy.project ? { resolved: d.deploy.project, file: d.file } : undefined });
  const other = drop.setter.write.value;
  const values: InsertValue[] = [...own, ...(other.kind === 'literal' && !other.substitution ? [{ kind: 'literal' as const, value: other.value }] : []), { kind: 'placeholder' }];
  const added = addToDeployEdit(d, 'env', NAME, values);
  report({
    file: d.file,
    span: deployAnchor(d, 'env'),
    key: `deploy:${t.key}:${d.file}:${d.deploy.span.start}`,
    // Only reads that store the value for other modules: no gate is seen (information).
    severity: unseen ? 'info' : 'warning',
    messageId: unseen ? 'deployPathWithoutUnseen' : 'deployPathWithout',
    data: { target: describeTarget(t), setter: shortPath(drop.setter.file) },
    related: [
      { file: drop.setter.file, span: drop.setter.write.nameSpan, message: `${NAME} set here by another deploy of ${describeTarget(t)}` },
      ...drop.lacking.slice(0, 4).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${NAME} read here (${r.read.via})` })),
    ],
    fixes: added ? [{
      title: added.value.kind === 'placeholder'
        ? `Add ${NAME}=${placeholderFor(NAME)} to this deploy of ${describeTarget(t)} (fill in the project id)`
        : `Add ${NAME}=${shownValue(added.value)} to this deploy of ${describeTarget(t)}`,
      edits: [added.edit],
      safe: added.value.kind !== 'placeholder' && !added.shared,
      needsValue: added.value.kind === 'placeholder' || undefined,
      preferred: true,
    }] : [],
  });
}

export const gcpProjectIdUnwired = defineRule({
  meta: {
    id: 'gcp-project-id-unwired',
    defaultSeverity: 'error',
    description: 'The code reads GCP_PROJECT_ID but a staging/production deploy of the service does not set it',
    fixable: true,
    // One finding per deploy target, at the key of its env block (where the line goes); the reads
    // are related. `…Keeps`/`…Unreadable`/`…Inferred`: lower certainty, as in env-unset-for-deploy;
    // `…SecondSource`: the deploy mounts secrets and gives every needed read a value, so the code's
    // Secret Manager path is a second source (a warning); `…ImageOnly`: every deploy only swaps
    // the image and other deploys here set GCP_PROJECT_ID (information; otherwise not reported);
    // `deployPathWithout`: the target has it from one full deploy while another replaces the
    // variables without it (a warning at that deploy).
    messages: {
      deployWithout: '{{target}} is deployed without GCP_PROJECT_ID, which {{readers}} {{read}}',
      deployWithoutKeeps: '{{target}} may lack GCP_PROJECT_ID, which {{readers}} {{read}}: its deploy keeps earlier variables',
      deployWithoutUnreadable: '{{target}} may lack GCP_PROJECT_ID, which {{readers}} {{read}}: its env in {{unreadableIn}} is unreadable',
      deployWithoutMerged: '{{target}} may lack GCP_PROJECT_ID, which {{readers}} {{read}}, unless {{merged}} sets it',
      deployWithoutInferred: '{{target}} is deployed without GCP_PROJECT_ID, which {{readers}} {{read}} (deploy linked {{linkedBy}})',
      deployWithoutSecondSource: '{{target}} is deployed without GCP_PROJECT_ID, which {{readers}} {{read}} (it mounts secrets itself)',
      deployPathWithout: '{{target}} is deployed here without GCP_PROJECT_ID, which {{setter}} sets and its code needs',
      deployPathWithoutUnseen: '{{target}} is deployed here without GCP_PROJECT_ID, which {{setter}} sets; unused where it is read',
      deployWithoutImageOnly: '{{target}} may lack GCP_PROJECT_ID, which {{readers}} {{read}}: set for {{others}}, not by its deploy',
      deployWithoutUnseen: '{{target}} is deployed without GCP_PROJECT_ID, which {{readers}} {{read}} without using it there',
    },
  },
  check({ model, report }) {
    if (model.config.runtimeProvided.includes(NAME)) return;
    for (const [serviceName, reads] of model.readsByService) {
      // A read with a default (or a presence test) is a requirement only where it decides on
      // Secret Manager by itself: a gate on GCP_PROJECT_ID alone in the same file.
      const gated = new Set([...new Set(reads.map((r) => r.file))].filter((f) =>
        model.files.get(f)?.gates.some((g) => g.names.length === 1 && g.names[0] === NAME)));
      const readers = reads.filter((r) => r.read.name === NAME && !r.isTest && !r.read.devOnly && (!r.read.hasDefault || gated.has(r.file)))
        .sort((a, b) => a.file.localeCompare(b.file) || a.read.nameSpan.start - b.read.nameSpan.start);
      if (readers.length === 0) continue;
      // What the service needs from a deploy, worked out once and only if a target mounts secrets.
      let needed: Map<string, ReadRef[]> | undefined;
      const neededOnce = (): Map<string, ReadRef[]> => (needed ??= neededByName(model, reads, SKIP));
      for (const t of deployedTargetsOf(model, serviceName)) {
        if (t.writes.has(NAME)) {
          for (const drop of deploysDropping(model, t, NAME, readers).filter((d) => !d.otherService)) reportDropped(report, t, drop, drop.lacking.every((r) => r.read.needUnseen && !gated.has(r.file)));
          continue;
        }
        const relevant = readers.filter((r) => readRunsFor(r, t, model));
        if (relevant.length === 0) continue;
        const anchor = blockAnchor(t, 'env');
        const fix = projectVariableFix(t, NAME);
        const certainty = certaintyOf(t, NAME, model.words);
        if (certainty.unknowable) continue;
        // A redeploy of the image alone: worth a word only where other deploys here set the name.
        const others = certainty.imageOnly ? othersSetting(model, t, NAME) : [];
        if (certainty.imageOnly && others.length === 0) continue;
        const secondSource = deliversSecretsItself(model, t, neededOnce);
        const files = [...new Set(relevant.map((r) => r.file))];
        // Every read only stores the value for other modules (`PROJECT = os.environ.get(…)` in a
        // settings file): what it decides is not seen, so no gate is shown. Information.
        const unseen = relevant.every((r) => r.read.needUnseen && !gated.has(r.file));
        report({
          file: anchor.file,
          span: anchor.span,
          key: `deploy:${t.key}`,
          severity: certainty.imageOnly || unseen ? 'info' : certainty.partial || certainty.inferred || secondSource ? 'warning' : undefined,
          messageId: certainty.imageOnly ? 'deployWithoutImageOnly' : unseen ? 'deployWithoutUnseen' : certainty.partial === 'adds' ? 'deployWithoutKeeps' : certainty.partial === 'unreadable' ? (certainty.mergedWith ? 'deployWithoutMerged' : 'deployWithoutUnreadable')
            : certainty.inferred ? 'deployWithoutInferred' : secondSource ? 'deployWithoutSecondSource' : 'deployWithout',
          data: { target: describeTarget(t), readers: listOf(files.map(shortPath)), read: files.length > 1 ? 'read' : 'reads', others: describeTargets(others), linkedBy: certainty.linkedBy, unreadableIn: shortPath(certainty.unreadableIn ?? anchor.file), merged: certainty.mergedWith ?? '' },
          related: relevant.slice(0, 5).map((r: ReadRef) => ({ file: r.file, span: r.read.nameSpan, message: `${NAME} read here (${r.read.via})` })),
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});
