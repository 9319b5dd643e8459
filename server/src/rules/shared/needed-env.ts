/**
 * What a deploy target must provide for its service's code to run: the reads that need a value,
 * by name, and which of them a target leaves unset. env-unset-for-deploy reports each one;
 * gcp-project-id-unwired asks whether a target provides everything, which tells whether the
 * code's own Secret Manager path is the only source of something or a second one.
 */
import type { DeployFact, OptionalReason } from '../../core/facts';
import { templateLists, type DeployRef, type DeployTarget, type ReadRef, type WorkspaceModel, type WriteRef } from '../../model/workspace-model';
import { runsOnCloudRun } from '../../knowledge/platform';
import { imageSets, isPlatformProvided, readRunsFor, requiredReads } from './deploy-knowledge';
import { isOtherHostVariable } from '../../knowledge/other-platforms';
import { insecureDefault, isSecretLike, placeholderShape } from '../../knowledge/secrets';
import { isOauthName, sameCredential } from './oauth-names';

/** The service's reads that need a value from its deploy, by name. Left out: names the platform
 * provides, names in `skip`, per-run parameters (`model.runEnv`), and every read of a name in a
 * file that gives it a default or tests its presence somewhere (`if "X" in os.environ:
 * use(os.environ["X"])`: that file handles its absence) — but for a read whose default is a
 * secret's stand-in, which runs on it whatever the file does elsewhere. */
export function neededByName(model: WorkspaceModel, reads: ReadRef[], skip: ReadonlySet<string> = new Set()): Map<string, ReadRef[]> {
  const handled = new Set(reads.filter((r) => r.read.hasDefault).map((r) => `${r.file}\0${r.read.name}`));
  const byName = new Map<string, ReadRef[]>();
  for (const r of requiredReads(reads)) {
    const name = r.read.name;
    // A read whose default is a secret's stand-in (`|| 'dummy_server_key'`) runs on it whatever
    // another read of the file does without the name: the file coping elsewhere is no value here.
    const standIn = r.read.placeholderDefault || r.read.committedKey;
    if (skip.has(name) || isPlatformProvided(name, model) || isOtherHostVariable(name) || model.runEnv.has(name) || (handled.has(`${r.file}\0${name}`) && !standIn)) continue;
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
  if (t.writes.has(name) || t.loadsEnv.length || templateLists(t, name) || imageSets(t, name)) return [];
  return readers.filter((r) => readRunsFor(r, t, model) &&
    !(r.read.alternatives ?? []).some((a) => t.writes.has(a) || templateLists(t, a) || isPlatformProvided(a, model)))
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

/** A deploy of a target that leaves out a name another deploy of the same target sets, and
 * replaces what it leaves out: whichever of the two ran last decides whether the service has it. */
export interface DroppingDeploy {
  deploy: DeployRef;
  /** The reads of the name that run for the target, in file order. */
  lacking: ReadRef[];
  /** Where another deploy sets it. */
  setter: WriteRef;
  /** How the others set it: a plain variable or a secret reference. */
  kind: 'env' | 'secrets';
  /** Every deploy setting it names another Cloud Run service (name, region or project): the two
   * never overwrite each other, and this one simply lacks it. */
  otherService?: true;
  /** Only updates of the service in other files set it (`gcloud run services update
   * --update-env-vars`, a setup script or a manual workflow): each run of this deploy, which
   * replaces the kind, removes what they added. */
  wipesUpdate?: true;
}

/**
 * The deploys of `t` that drop `name` while another of its deploys sets it: a full replace of the
 * kind of entry the others set it as (`--set-env-vars` for a variable, `--set-secrets` for a
 * secret reference; a manifest replaces both), linked to the service by what it ships — an update
 * too (`gcloud run services update --set-env-vars` replaces every variable the service had). Not
 * counted: a deploy that only adds (`--update-env-vars`, an update without a `set` flag), one
 * linked by a guess that deploys no Cloud Run service a setter deploys, one whose environment is partly unreadable or comes from an env file, and any target
 * where something other than a full deploy (an env file, an update in the deploy's own file
 * adding it on top) sets the name, or whose code loads an env file. Where only updates in other
 * files set it, a deploy replacing the kind removes it on every run (`wipesUpdate`).
 */
export function deploysDropping(model: WorkspaceModel, t: DeployTarget, name: string, readers: ReadRef[]): DroppingDeploy[] {
  const setters = t.writes.get(name);
  if (!setters?.length || t.deploys.length < 2 || t.loadsEnv.length || setters.some((w) => !w.deploy)) return [];
  // A placeholder (`SECRET_KEY=your-secret-key-here-change-in-production` in a one-off job) asks
  // for a value; where the code has its own default, it says nothing of what the service runs
  // with, nor that the others need one. (Code with no default needs the name whatever stands in.)
  if (setters.every((w) => placeholderWrite(name, w)) && readers.every((r) => r.read.hasDefault || r.read.placeholderDefault || r.read.committedKey)) return [];
  // A name added by an update (`--update-env-vars`, `services update`) is meant to be added on
  // top of the full deploy, not carried by it: two full deploys must disagree — unless updates
  // alone set it, each in a file of its own (run apart from the deploy, a setup script or a
  // manual workflow): the next run of a deploy replacing the kind removes it.
  // An update replacing the kind (`services update --set-env-vars`) states the whole list, as a
  // full deploy does.
  const updates = setters.every((w) => w.deploy!.amends);
  if (!updates && setters.some((w) => w.block.mode !== 'set')) return [];
  const out: DroppingDeploy[] = [];
  for (const d of t.deploys) {
    const fact = d.deploy;
    if (updates && (fact.amends || setters.some((w) => w.file === d.file || !sameService(w.deploy!, fact)))) continue;
    // Linked by a guess, a deploy is a path of the service only where it deploys the very Cloud Run
    // service a setter deploys (the same name, no other region or project): whatever code it
    // ships, it replaces that service's variables.
    if ((d.certainty === 'inferred' && !setters.some((w) => sameService(w.deploy!, fact))) || fact.opaque || fact.envFiles.length || fact.platform === 'compose') continue;
    if (setters.some((w) => w.deploy === fact)) continue;
    // Its image sets the name itself: what the deploy leaves out, the container still has.
    if (d.imageEnv?.includes(name)) continue;
    // A GKE Deployment and a Cloud Run service of the same code are two running services, not
    // two paths to one: only deploys to the same platform can overwrite each other.
    if (setters.some((w) => w.deploy!.platform !== fact.platform)) continue;
    // Another deployed name (or region, or project) is another Cloud Run service: a deploy of
    // `api-old` never changes what `api` has, whichever ran last. It still lacks the name: said
    // as such (`otherService`), not as a path that may lose the race.
    const elsewhere = setters.every((w) => otherService(w.deploy!, fact));
    if (t.partial.some((p) => p.file === d.file && !p.kind)) continue;
    if (!setters.every((w) => replaces(fact, kindOf(w)))) continue;
    const own = new Set(fact.blocks.flatMap((b) => b.entries.map((e) => e.name)));
    const lacking = readers.filter((r) => readRunsFor(r, t, model) &&
      !(r.read.alternatives ?? []).some((a) => own.has(a) || isPlatformProvided(a, model)))
      .sort((a, b) => a.file.localeCompare(b.file) || a.read.nameSpan.start - b.read.nameSpan.start);
    // The setter named is one of the same service when there is one.
    const setter = setters.find((w) => !otherService(w.deploy!, fact)) ?? setters[0];
    if (lacking.length) out.push({ deploy: d, lacking, setter, kind: kindOf(setter), ...(elsewhere ? { otherService: true as const } : {}), ...(updates ? { wipesUpdate: true as const } : {}) });
  }
  return out;
}

/** A literal value that stands in for one to fill in. */
function placeholderWrite(name: string, w: WriteRef): boolean {
  const v = w.write.value;
  if (v.kind !== 'literal') return false;
  // `insecureDefault` holds the self-declared and stand-in shapes too.
  return !!placeholderShape(v.value) || (isSecretLike(name) && insecureDefault(v.value));
}

/** Both deploys name the same Cloud Run service, and neither says another region or project. */
function sameService(a: DeployFact, b: DeployFact): boolean {
  return !!a.service?.value && a.service.value === b.service?.value && !otherService(a, b);
}

/** Both deploys say, and disagree on, the service's name, region or project. */
function otherService(a: DeployFact, b: DeployFact): boolean {
  const differ = (x: string | undefined, y: string | undefined): boolean => x !== undefined && y !== undefined && x !== y;
  return differ(a.service?.value, b.service?.value) || differ(a.region?.value, b.region?.value) || differ(a.project?.value, b.project?.value);
}

/** How a write reaches the container, for what replaces it: a secret reference is a secret
 * even in a manifest's `env:` list (`secretKeyRef`), which gcloud's `--set-env-vars` leaves alone. */
function kindOf(w: WriteRef): 'env' | 'secrets' {
  const v = w.write.value;
  return v.kind === 'secret' || (v.kind === 'dynamic' && (v.secretRef || v.secretResource)) ? 'secrets' : w.block.kind;
}

/** The deploy replaces every entry of `kind` the service had: a manifest (Knative, Terraform)
 * lists everything the container gets; a gcloud deploy replaces a kind only with its `set` flag. */
function replaces(fact: DeployFact, kind: 'env' | 'secrets'): boolean {
  if (!runsOnCloudRun(fact.platform) || fact.via === 'knative' || fact.via === 'terraform') return fact.blocks.some((b) => b.mode === 'set');
  // An empty gcloud list is a variable read as empty where the script has filled it (`--set-env-vars
  // "$ENV_VARS"` under `if [ -n "$ENV_VARS" ]`, built in a loop over an env file): no one writes one.
  return fact.blocks.some((b) => b.kind === kind && b.mode === 'set' && (b.entries.length > 0 || !!b.fromFile));
}

/** A read kept in a settings field nothing names (`ReadRef.storedUnused`) whose own expression
 * cannot fail — it has a default, needs the value only for want of evidence (`needUnseen`), or is
 * a TypeScript settings object's field (`storedBeside`: recorded only where nothing on the way
 * throws): the value reaches no code. A settings class requiring the field still fails to build
 * without it. */
export function reachesNothing(r: ReadRef): boolean {
  return !!r.storedUnused && (r.read.hasDefault || !!r.read.needUnseen || r.read.storedBeside !== undefined);
}

/** How a read tells that its module carries on without the variable: it asks whether it is set. */
const PRESENCE_TESTS: ReadonlySet<OptionalReason> = new Set<OptionalReason>(['presence-test', 'tested', 'guarded', 'tested-after-assignment', 'callers-test']);

/**
 * A read of `name` in another module of the service that asks whether it is set and carries on
 * without it (`if os.getenv("SMTP_HOST"):`, a health route reporting "unconfigured", `if
 * (process.env.STRIPE_KEY) app.use(billing)`), when none of the `lacking` reads' files is that
 * module: the service treats the name as optional configuration, and the code that needs it is a
 * feature left off where it is unset. Tests, tooling and development branches say nothing of
 * the service.
 */
export function copesElsewhere(reads: readonly ReadRef[], name: string, lacking: readonly ReadRef[], loaded: (r: ReadRef) => boolean): ReadRef | undefined {
  const lackingFiles = new Set(lacking.map((r) => r.file));
  return reads.find((r) => r.read.name === name && !r.isTest && !r.read.devOnly && r.read.hasDefault &&
    !!r.read.optionalBecause && PRESENCE_TESTS.has(r.read.optionalBecause) && !lackingFiles.has(r.file) &&
    !fromNameList(r) && loaded(r));
}

/** The name is written apart from the access (`for name in REQUIRED: if not os.getenv(name)`):
 * a check that collects what is missing, which says the names are needed, not that they may go. */
function fromNameList(r: ReadRef): boolean {
  return r.read.nameSpan.start < r.read.span.start || r.read.nameSpan.end > r.read.span.end;
}
