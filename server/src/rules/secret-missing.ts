/**
 * A deploy takes a variable from a Secret Manager secret that its project does not have, or whose
 * referenced version is not enabled (disabled, destroyed, or no enabled version for `latest`):
 * Cloud Run refuses the revision, so the deploy fails. Needs the project's secret inventory (`gcloud
 * secrets list`, and `gcloud secrets versions list` for versions) from `deploy-preflight drift`;
 * without it this rule is silent. A reference by full path (`projects/<p>/secrets/<id>`) is looked
 * up in that project's inventory.
 */
import { defineRule } from './types';
import type { SecretInventory, DeployedState } from '../core/deployed';
import { inventoryOf, versionUsable } from '../model/live-state';
import { describeTarget } from './shared/deploy-knowledge';

const FULL_PATH = /^projects\/([^/]+)\/secrets\/([^/:]+)$/;

/** The inventory to look a reference up in, and the project to name in the message: the one the
 * path or the deploy names (the same whether the state was recorded or fetched), else its number. */
function lookup(state: DeployedState, own: SecretInventory | undefined, ref: string, deployProject: string | undefined): { inventory?: SecretInventory; id: string; project: string } {
  const m = FULL_PATH.exec(ref);
  if (!m) return { inventory: own, id: ref, project: deployProject ?? own?.projectNumber ?? '' };
  return { inventory: state.inventories.find((i) => i.projectNumber === m[1] || i.projectId === m[1]), id: m[2], project: m[1] };
}

export const secretMissing = defineRule({
  meta: {
    id: 'secret-missing',
    defaultSeverity: 'error',
    description: 'A deploy references a Secret Manager secret (or version) the project does not have enabled',
    fixable: false,
    messages: {
      notInInventory: 'secret {{secret}} does not exist in project {{project}}: the deploy of {{target}} fails',
      versionNotEnabled: 'secret {{secret}}:{{version}} is {{state}} in project {{project}}: the deploy of {{target}} fails',
    },
  },
  check({ model, report }) {
    const state = model.deployed;
    if (!state || state.inventories.length === 0) return;
    for (const t of model.targets) {
      const own = inventoryOf(state, t);
      for (const refs of t.writes.values()) {
        for (const w of refs) {
          const v = w.write.value;
          if (v.kind !== 'secret' || !w.deploy) continue;
          const { inventory, id, project } = lookup(state, own, v.secret, w.deploy.project?.value ?? t.project?.resolved.value);
          if (!inventory) continue;
          const secret = inventory.secrets.get(id);
          const data = { secret: id, project, target: describeTarget(t) };
          if (!secret) {
            report({ file: w.file, span: v.span, key: `${t.key}:${w.write.name}:${id}`, messageId: 'notInInventory', data });
            continue;
          }
          const usable = versionUsable(secret, v.version);
          if (!usable.usable) {
            report({ file: w.file, span: v.span, key: `${t.key}:${w.write.name}:${id}:${v.version ?? 'latest'}`, messageId: 'versionNotEnabled', data: { ...data, version: v.version ?? 'latest', state: usable.state } });
          }
        }
      }
    }
  },
});
