/**
 * Deploys of a target's service that could not be placed because their name is computed
 * (`name = "halo-api-${var.environment}"` in a Terraform module), recognised by that name: the
 * same text around one variable as a placed deploy's name, the variable standing for an
 * environment (`halo-api-staging`). A target whose own deploys only add variables keeps what such
 * a deploy sets. Pure: reads the model only.
 */
import type { DeployTarget, WorkspaceModel } from './workspace-model';
import type { EnvironmentNames } from '../knowledge/environments';

/** A name written with one variable (`halo-api-${var.environment}`, `api-$ENV`): the text before
 * and after it. */
function template(text: string | undefined): { before: string; after: string } | undefined {
  if (!text) return undefined;
  const at = text.indexOf('$');
  if (at < 0) return undefined;
  const rest = text.slice(at + 1);
  const len = rest.startsWith('{') ? rest.indexOf('}') + 1 : (/^\w+/.exec(rest)?.[0].length ?? 0);
  if (len <= 0) return undefined;
  const after = rest.slice(len);
  const before = text.slice(0, at);
  // Two variables, or too little fixed text to tell services apart: no twin by name.
  if (after.includes('$') || before.length < 3) return undefined;
  return { before, after };
}

function fills(t: { before: string; after: string }, name: string, envs: EnvironmentNames): boolean {
  if (name.length <= t.before.length + t.after.length || !name.startsWith(t.before) || !name.endsWith(t.after)) return false;
  return envs.isToken(name.slice(t.before.length, name.length - t.after.length));
}

/** An unplaced deploy named like one of `t`'s deploys sets `name`, or may (its env list is not
 * readable: a dynamic block over a module input); `surely`: sets it as written. */
export function unplacedTwinSets(model: WorkspaceModel, t: DeployTarget, name: string, surely = false): boolean {
  const names = t.deploys.map((d) => d.deploy.service?.value).filter((n): n is string => !!n);
  if (names.length === 0) return false;
  return model.unplaced.some(({ deploy }) => {
    if (deploy.service?.value !== undefined) return false;
    const tpl = template(deploy.service?.text);
    if (!tpl || !names.some((n) => fills(tpl, n, model.environments))) return false;
    return (!surely && !!deploy.opaque) || deploy.blocks.some((b) => b.entries.some((e) => e.name === name));
  });
}
