/**
 * What a deploy target must provide for its service's code to run: the reads that need a value,
 * by name, and which of them a target leaves unset. env-unset-for-deploy reports each one;
 * gcp-project-id-unwired asks whether a target provides everything, which tells whether the
 * code's own Secret Manager path is the only source of something or a second one.
 */
import type { DeployTarget, ReadRef, WorkspaceModel } from '../../model/workspace-model';
import { isPlatformProvided, readRunsFor, requiredReads } from './deploy-knowledge';
import { isOauthName, sameCredential } from './oauth-names';

/** The service's reads that need a value from its deploy, by name. Left out: names the platform
 * provides, names in `skip`, per-run parameters (`model.runEnv`), and every read of a name in a
 * file that gives it a default or tests its presence somewhere (`if "X" in os.environ:
 * use(os.environ["X"])`: that file handles its absence). */
export function neededByName(model: WorkspaceModel, reads: ReadRef[], skip: ReadonlySet<string> = new Set()): Map<string, ReadRef[]> {
  const handled = new Set(reads.filter((r) => r.read.hasDefault).map((r) => `${r.file}\0${r.read.name}`));
  const byName = new Map<string, ReadRef[]>();
  for (const r of requiredReads(reads)) {
    const name = r.read.name;
    if (skip.has(name) || isPlatformProvided(name, model) || model.runEnv.has(name) || handled.has(`${r.file}\0${name}`)) continue;
    // Appended in place: copying the list per read is quadratic in a file with thousands of reads.
    const list = byName.get(name);
    if (list) list.push(r);
    else byName.set(name, [r]);
  }
  return byName;
}

/** The reads of `name` that `t` leaves without a value, in file order; empty when the target sets
 * the name or one of a read's alternatives (`get("A") or get("B")`), when its code loads variables
 * from a whole env file it provides (whose contents cannot be checked), or when no read runs for
 * it (another environment's branch, a switch it decides the other way). */
export function lackingReads(model: WorkspaceModel, t: DeployTarget, name: string, readers: ReadRef[]): ReadRef[] {
  if (t.writes.has(name) || t.loadsEnv.length) return [];
  return readers.filter((r) => readRunsFor(r, t, model) &&
    !(r.read.alternatives ?? []).some((a) => t.writes.has(a) || isPlatformProvided(a, model)))
    .sort((a, b) => a.file.localeCompare(b.file) || a.read.nameSpan.start - b.read.nameSpan.start);
}

/** `t` provides an OAuth credential `name` stands for under another name (`GOOGLE_CLIENT_ID` read,
 * `GOOGLE_OAUTH_CLIENT_ID_STAGING` set): oauth-env-mismatch's finding, not a missing variable. */
export function providesUnderOtherName(model: WorkspaceModel, t: DeployTarget, name: string): boolean {
  const oauth = isOauthName(name, model.environments);
  return !!oauth && [...t.writes.keys()].some((w) => {
    const other = isOauthName(w, model.environments);
    return !!other && sameCredential(oauth, other);
  });
}

/** Every read of the service that needs a value (`needed`, from `neededByName`) gets one from `t`. */
export function providesEverything(model: WorkspaceModel, t: DeployTarget, needed: ReadonlyMap<string, ReadRef[]>): boolean {
  for (const [name, readers] of needed) {
    if (lackingReads(model, t, name, readers).length) return false;
  }
  return true;
}

/** The target takes at least one variable from a secret reference (`--set-secrets`, `secretKeyRef`). */
export function mountsSecrets(t: DeployTarget): boolean {
  for (const refs of t.writes.values()) {
    if (refs.some((w) => w.write.value.kind === 'secret' || (w.write.value.kind === 'dynamic' && (w.write.value.secretRef || w.write.value.secretResource)))) return true;
  }
  return false;
}

/** The target mounts secrets as variables itself and gives every read that needs a value one
 * (`needed`: the service's, worked out once by the caller, without the gate's own variable and
 * only when the target mounts secrets): the code's own Secret Manager path is then a second
 * source, and only what it alone loads can be missing without it. */
export function deliversSecretsItself(model: WorkspaceModel, t: DeployTarget, needed: () => ReadonlyMap<string, ReadRef[]>): boolean {
  return mountsSecrets(t) && providesEverything(model, t, needed());
}
