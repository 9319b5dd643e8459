/**
 * A variable the service's code reads without a default is set by none of the deploys of that
 * service for an environment (`os.environ["SERVICE_SECRET"]` in the backend, no SERVICE_SECRET in
 * its staging deploy, though the auth service's deploy takes it from a secret).
 *
 * Reported once per deploy target lacking the variable, at the key of the block the line goes in
 * (`--set-env-vars`, `env:`, `environment_vars=`), where the fix is; the reads are related. Never
 * reported: names the platform provides (PORT, K_SERVICE, …, plus `runtimeProvided` in the
 * config), GOOGLE_APPLICATION_CREDENTIALS on Cloud Run (its metadata server stands in), reads with a default or a presence test (in that file), reads in tests or dev-only
 * branches, reads in another environment's branch, reads whose alternative (`get("A") or
 * get("B")`) the target sets. Severity follows certainty: an error only when the deploy replaces
 * the whole environment and is linked to the service by what it ships; nothing for a target whose
 * code loads its variables from an env file the target provides whole (`LoadedEnv`), nor for a
 * per-run parameter the workspace's code passes to the containers it runs (`model.runEnv`); a deploy that keeps what
 * the service had (`--update-env-vars`), an environment we could not read whole, or a
 * link by name alone is a warning whose message says which. A target whose every deploy only
 * swaps the image (no env flag at all) is information, and only for a name other deploys here
 * set: a name no deploy of the repository sets is configured outside it. Where a target has the
 * variable from one deploy while another of its deploys replaces that kind of entry without it
 * (a hand-run script beside the CI workflow), that deploy is a warning of its own. A Cloud Run
 * service deploy that sets a name the platform reserves (`PORT`, `K_SERVICE`, …) is rejected as
 * written: an error at the entry (`reservedName`). So is a command gcloud refuses (a list item
 * that is no `NAME=value`, flags it takes only one of): it deploys nothing (`refused…`). The
 * platform's other variable, `$PORT`, is checked the other way round: a service whose image
 * listens on a fixed port other than 8080, or on none (background work only), while the deploy
 * leaves the container port at 8080 (`portFixed…`, `servesNothing…`).
 */
import * as path from 'node:path';
import { defineRule, type Report } from './types';
import { uniqueEdits, type FileEdit, type Fix } from '../core/edits';
import type { DeployFact, EnvRead, EnvWrite } from '../core/facts';
import type { DeployRef, DeployTarget, ReadRef, WorkspaceModel, WriteRef } from '../model/workspace-model';
import type { InsertValue } from '../fixes/render-entry';
import { addToDeployEdit, addVariableEdit, blockAnchor, certaintyOf, deployAnchor, deployedTargetsOf, describeTarget, describeTargets, serviceLabel, listOf, liveRelated, loadedFor, othersSetting, readAppliesTo, shortPath, type Certainty } from './shared/deploy-knowledge';
import { buildTimeOnly, runtimeOnlyBuildValues, undeclaredArg, type RuntimeOnlyValue } from './shared/build-time-values';
import { unplacedTwinSets } from '../model/unplaced-twins';
import { copesElsewhere, deploysDropping, lackingReads, neededByName, providesUnderOtherName, reachesNothing, type DroppingDeploy } from './shared/needed-env';
import { addSecretEdit, removeEntryEdit, secretFor } from './shared/secret-refs';
import { isSecretLike, isSigningSecretName, looksLikeSecretValue } from '../knowledge/secrets';
import { placeholderFor } from '../knowledge/secrets';
import { ambientOnCloudRun, GCP_CREDENTIALS_VARIABLE, isReservedOnCloudRun, runsOnCloudRun } from '../knowledge/platform';
import { isFrameworkSettingsModule } from '../knowledge/settings-modules';
import { imagePlaceholder } from '../knowledge/templates';
import { TRUST_HOST_VARIABLE } from '../knowledge/auth-js';
import { defaultedNearNames, nearName } from './shared/near-names';
import { continuedEntry, delimiterFix, refusedDeploys, shownItem } from './shared/gcloud-refusals';

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
  // Auth.js behind Cloud Run's proxy: the documented value, nothing to fill in.
  if (name === TRUST_HOST_VARIABLE) {
    const trusted = addVariableEdit(target, name, [{ kind: 'literal', value: 'true' }]);
    if (trusted) return { title: `Add ${name}=true to ${describeTarget(target)} (Auth.js then trusts the host Cloud Run forwards)${trusted.shared ?? ''}`, edits: [trusted.edit], safe: false, preferred: true };
  }
  const added = addVariableEdit(target, name, [{ kind: 'placeholder' }]);
  if (added) return { title: `Add ${name}=${placeholderFor(name)} to ${describeTarget(target)} (fill in the value)${added.shared ?? ''}`, edits: [added.edit], safe: false, needsValue: true, preferred: true };
  return undefined;
}

/** The message id for a target lacking a variable, by how sure that is (see `certaintyOf`). */
function missingMessage(c: Certainty, compose: boolean): 'deployWithout' | 'deployWithoutKeeps' | 'deployWithoutUnreadable' | 'deployWithoutMerged' | 'deployWithoutInferred' | 'composeWithout' {
  if (c.partial === 'adds') return 'deployWithoutKeeps';
  if (c.partial === 'unreadable') return c.mergedWith ? 'deployWithoutMerged' : 'deployWithoutUnreadable';
  if (compose) return 'composeWithout';
  return c.inferred ? 'deployWithoutInferred' : 'deployWithout';
}

/** Every deploy of the target is a Cloud Run manifest nothing here applies or names, whose image
 * holds a stand-in no tool fills in (`gcr.io/PROJECT_ID/api`): a template, which cannot be applied
 * as written. (A manifest with a real image may be how the service is deployed by hand.) */
function stubOnly(model: WorkspaceModel, t: DeployTarget): boolean {
  return t.deploys.length > 0 && t.deploys.every((d) => {
    const image = d.deploy.image?.value ?? d.deploy.image?.text;
    return model.unappliedUnnamed.has(d.deploy) && !!image && imagePlaceholder(image) !== undefined;
  });
}

/** Every deploy of the target is a compose service: the workspace has no Cloud Run deploy of it
 * (else the compose file is a local stack and no target, model/deploy-roles.ts), so compose may
 * be how it runs — or only a machine's stack named for an environment. */
function composeOnly(t: DeployTarget): boolean {
  return t.deploys.length > 0 && t.deploys.every((d) => d.deploy.platform === 'compose');
}

/** The value a deploy path that drops `name` should get: the other deploy's, when it can be
 * written anywhere (a secret reference, a plain literal), else a marked placeholder. */
function valueFrom(setter: WriteRef): { values: InsertValue[]; copied: boolean } {
  const v = setter.write.value;
  if (v.kind === 'secret') return { values: [{ kind: 'secret', secret: v.secret, version: v.version ?? 'latest' }], copied: true };
  if (v.kind === 'literal' && !v.substitution && !isSecretLike(setter.write.name) && !looksLikeSecretValue(v.value)) return { values: [{ kind: 'literal', value: v.value }], copied: true };
  return { values: [{ kind: 'placeholder' }], copied: false };
}

/** Why a name one path drops matters when the code copes without it. */
type DropReason =
  /** The other deploy sets the text the code compares with: the two paths take different branches. */
  | { kind: 'switch'; value: string }
  /** A secret the other deploy mounts and the code reads even though it copes without it. */
  | { kind: 'optional-secret' }
  /** The code falls back to a loopback URL without the name (`http://localhost:5173`). */
  | { kind: 'local-default' };

/** One deploy of `t` drops `name`, which another deploy of it sets: a warning at that deploy,
 * related to where the other sets it and to the reads; the fix gives it the other's value. */
function reportDropped(
  report: (r: Report<'deployPathWithout' | 'deployPathWithoutUnseen' | 'updateReplaces' | 'deployWipesUpdate' | 'deployPathSwitch' | 'deployPathDropsSecret' | 'deployPathLocalDefault' | 'deployPathWithoutLeftover'>) => void,
  model: WorkspaceModel, t: DeployTarget, name: string, drop: DroppingDeploy,
  /** Absent: the code needs the name. */
  reason?: DropReason,
): void {
  const switchValue = reason?.kind === 'switch' ? reason.value : undefined;
  const optionalSecret = reason?.kind === 'optional-secret';
  const localDefault = reason?.kind === 'local-default';
  const d = drop.deploy;
  // Every read stores the value for other modules: whether anything needs it is not seen.
  const unseen = drop.lacking.every((r) => r.read.needUnseen);
  const { values, copied } = valueFrom(drop.setter);
  const added = addToDeployEdit(d, drop.kind, name, values);
  const shown = added?.value.kind === 'placeholder' ? `${name}=${placeholderFor(name)}` : name;
  // An update (`services update --set-env-vars`) is most often meant to add to what the deploy
  // set: its own flag is the fix, and the message says what the flag does.
  // So is a deploy removing what an update added elsewhere: it keeps what the service has.
  const toAdd = d.deploy.amends || drop.wipesUpdate ? addingFlagEdit(d, drop.kind) : undefined;
  // A manifest nothing here applies, beside the deploy that runs (an exported snapshot, a stub:
  // model/variant-scripts.ts), deploys nothing as things stand: what it lacks is information that
  // says so, the running deploy related. A leftover script stays a warning: run by hand, it deploys.
  const live = model.unappliedBeside.get(d.deploy);
  const leftover = live && reason?.kind !== 'switch' ? 'a manifest nothing here applies' : undefined;
  report({
    file: d.file,
    span: deployAnchor(d, drop.kind),
    key: `deploy:${t.key}:${name}:${d.file}:${d.deploy.span.start}`,
    // A secret the code copes without: the feature it enables is lost, the service runs (on the
    // corpus, 2 of 9 such findings were worth a warning: information).
    severity: optionalSecret || leftover || (unseen && switchValue === undefined) ? 'info' : 'warning',
    messageId: switchValue !== undefined ? 'deployPathSwitch' : optionalSecret ? 'deployPathDropsSecret' : localDefault ? 'deployPathLocalDefault'
      : unseen ? 'deployPathWithoutUnseen' : leftover ? 'deployPathWithoutLeftover' : d.deploy.amends ? 'updateReplaces'
      : drop.wipesUpdate ? 'deployWipesUpdate' : 'deployPathWithout',
    data: {
      target: describeTarget(t), name, setter: shortPath(drop.setter.file), flag: setFlagOf(d, drop.kind), entries: drop.kind === 'env' ? 'variables' : 'secret references',
      value: JSON.stringify(switchValue ?? ''), leftover: leftover ?? '',
    },
    related: [
      ...(leftover && live ? [liveRelated(live)] : []),
      { file: drop.setter.file, span: drop.setter.write.nameSpan, message: `${name} ${drop.wipesUpdate ? 'added here by an update' : 'set here by another deploy'} of ${describeTarget(t)}` },
      ...drop.lacking.slice(0, 4).map((r) => ({ file: r.file, span: r.read.nameSpan,
        message: r.read.localDefault !== undefined ? `${name} read here; unset, it is ${r.read.localDefault}, a development address` : readHere(name, r) })),
    ],
    fixes: [
      ...(toAdd ? [{
        title: `Use ${ADD_FLAG[drop.kind]} here, which keeps what the service has and adds these`,
        edits: [toAdd],
        // It changes what the update does to every name it leaves out, not only this one.
        safe: false,
        preferred: true,
      }] : []),
      ...(added ? [{
        title: `Add ${shown} to this deploy of ${describeTarget(t)}${copied ? `, as ${shortPath(drop.setter.file)} sets it` : ' (fill in the value)'}${added.shared ?? ''}`,
        edits: [added.edit],
        // The other deploy's own value: nothing is invented, the two paths then agree.
        safe: copied && !added.shared,
        needsValue: !copied || undefined,
        preferred: !toAdd,
      }] : []),
    ],
  });
}

const SET_FLAG = { env: '--set-env-vars', secrets: '--set-secrets' } as const;

/** The flag that replaces the deploy's list: `--env-vars-file` for a file the script wrote. */
function setFlagOf(d: DeployRef, kind: 'env' | 'secrets'): string {
  const block = d.deploy.blocks.find((b) => b.kind === kind && b.mode === 'set');
  return block?.fromFile !== undefined ? '--env-vars-file' : SET_FLAG[kind];
}
const ADD_FLAG = { env: '--update-env-vars', secrets: '--update-secrets' } as const;

/** The edit turning an update's `--set-env-vars` (`--set-secrets`) into `--update-…`: only where
 * the block's key is that flag as written (a gcloud command line), never a guess at other text. */
function addingFlagEdit(d: DeployRef, kind: 'env' | 'secrets'): FileEdit | undefined {
  const block = d.deploy.blocks.find((b) => b.kind === kind && b.mode === 'set');
  const key = block?.keySpan;
  if (!key || block?.fromFile !== undefined || key.end - key.start !== SET_FLAG[kind].length || !['shell', 'powershell', 'cloudbuild', 'github-actions'].includes(d.deploy.via)) return undefined;
  return { file: d.file, span: key, newText: ADD_FLAG[kind] };
}

/** A value the bundle inlines at build time, given only to the running container: a warning at
 * the run-time entry, related to the image build that lacks it and to the reads. */
function reportRuntimeOnly(report: (r: Report<'buildTimeAtRuntime'>) => void, t: DeployTarget, v: RuntimeOnlyValue, model: WorkspaceModel): void {
  const files = [...new Set(v.reads.map((r) => r.file))];
  report({
    file: v.write.file,
    span: v.write.write.nameSpan,
    key: `buildtime:${t.key}:${v.name}`,
    severity: 'warning',
    messageId: 'buildTimeAtRuntime',
    data: { target: describeTarget(t), name: v.name, readers: listOf(files.map(shortPath)), read: files.length > 1 ? 'inline' : 'inlines' },
    related: [
      ...v.builds.slice(0, 2).map((b) => ({ file: b.file, span: b.build.span, message: undeclaredArg(model, b, v.name)
        ? `the image is built here with --build-arg ${v.name}, but ${shortPath(b.dockerfile ?? 'its Dockerfile')} declares no ARG ${v.name}: the build never sees it`
        : `the image is built here without --build-arg ${v.name}` })),
      ...v.reads.slice(0, 3).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${v.name} inlined here when the bundle is built (${r.read.via})` })),
    ],
    fixes: [],
  });
}

/**
 * A Cloud Run service deploy setting a name the platform reserves (`PORT`, `K_SERVICE`,
 * `K_REVISION`, `K_CONFIGURATION`): Cloud Run sets these itself and rejects a deploy that sets
 * one, so the deploy fails as written. Reported at the entry; the fix removes it (another port
 * is the deploy's `--port` / `containerPort`, which is why the fix is not safe).
 * A Knative manifest nothing in the workspace applies (model/applied-manifests.ts) is said as a
 * warning when something names it (a README documenting it as the service's configuration: people
 * apply it by hand). Such a manifest nothing names either, or a script nothing here runs, of a
 * service another file deploys and runs (model/variant-scripts.ts), as information: an exported
 * snapshot or a stub until shown otherwise.
 */
function reportReservedNames(model: WorkspaceModel, report: (r: Report<'reservedName' | 'reservedNameUnapplied' | 'reservedNameUnnamed' | 'reservedNameUnappliedBeside' | 'reservedNameVariant'>) => void): void {
  // A command gcloud refuses for another reason still sets the name: it is refused for this one too
  // once the first is mended, so both are said.
  const templates = new Set(model.notDeployed.filter((d) => !d.deploy.rejected).map((d) => d.deploy));
  for (const w of model.writes) {
    if (!w.deploy || w.deploy.platform !== 'cloud-run' || templates.has(w.deploy) || !isReservedOnCloudRun(w.write.name)) continue;
    const remove = removeEntryEdit(w);
    // A manifest nothing here applies may never be: what applying it would do is a warning where
    // something names it, information where nothing does.
    const unapplied = model.unapplied.has(w.deploy);
    const unnamed = unapplied && model.unappliedUnnamed.has(w.deploy);
    // A manifest nothing applies or a script nothing runs, beside the deploy that does:
    // information (model/variant-scripts.ts).
    const live = model.variants.get(w.deploy) ?? model.unappliedBeside.get(w.deploy);
    // …or one whose image is still a stand-in (`…/PROJECT_ID/REPO/web:TAG`): a template that
    // cannot be applied as written, whatever a document says of it.
    const image = w.deploy.image?.value ?? w.deploy.image?.text;
    const template = unapplied && !!image && imagePlaceholder(image) !== undefined;
    report({
      file: w.file,
      span: w.write.nameSpan,
      key: `reserved:${w.write.name}:${w.write.nameSpan.start}`,
      severity: live || unnamed || template ? 'info' : unapplied ? 'warning' : 'error',
      messageId: unapplied ? live ? 'reservedNameUnappliedBeside' : unnamed ? 'reservedNameUnnamed' : 'reservedNameUnapplied' : live ? 'reservedNameVariant' : 'reservedName',
      data: { target: w.target ? describeTarget(w.target) : w.deploy.service?.value ?? shortPath(w.file), name: w.write.name },
      related: live ? [liveRelated(live)] : [],
      fixes: remove ? [{ title: removeReservedTitle(w.write.name), edits: [remove], safe: false, preferred: true }] : [],
    });
  }
  // An env-vars file a deploy passes whole (`--env-vars-file env.yaml`): its names are the
  // deploy's, the reserved ones rejected the same. Said once per entry, however many deploys pass it.
  const said = new Set<string>();
  for (const w of model.writes) {
    const entry = `${w.file}\0${w.write.nameSpan.start}`;
    if (w.deploy || !isReservedOnCloudRun(w.write.name) || said.has(entry)) continue;
    const passing = (model.envFileDeploys.get(w.file) ?? []).filter((d) => d.deploy.platform === 'cloud-run' && !templates.has(d.deploy));
    if (!passing.length) continue;
    said.add(entry);
    // Information only when every deploy passing it is a script nothing runs beside one that does.
    const running = passing.find((d) => !model.variants.has(d.deploy));
    const by = running ?? passing[0]!;
    const live = running ? undefined : model.variants.get(by.deploy);
    const base = path.posix.basename(w.file);
    const flag = by.deploy.envFiles.find((f) => f.value !== undefined && path.posix.basename(f.value) === base);
    const remove = removeEntryEdit(w);
    report({
      file: w.file,
      span: w.write.nameSpan,
      key: `reserved:${w.write.name}:${w.file}:${w.write.nameSpan.start}`,
      severity: live ? 'info' : 'error',
      messageId: live ? 'reservedNameVariant' : 'reservedName',
      data: { target: w.target ? describeTarget(w.target) : by.deploy.service?.value ?? shortPath(by.file), name: w.write.name },
      related: [
        ...(live ? [liveRelated(live)] : []),
        { file: by.file, span: flag?.span ?? by.deploy.span, message: 'the deploy takes its variables from this file here' },
      ],
      fixes: remove ? [{ title: removeReservedTitle(w.write.name), edits: [remove], safe: false, preferred: true }] : [],
    });
  }
}

/** Deploys whose flags gcloud turns into one command (`--set-env-vars` beside `--set-secrets`,
 * deploy-cloudrun's `env_vars` beside `secrets`). */
const GCLOUD_VIA = new Set<DeployFact['via']>(['shell', 'powershell', 'python', 'cloudbuild', 'github-actions']);

/**
 * One gcloud deploy setting a name both as a variable and from a secret (`--set-env-vars
 * DATABASE_URL=… --set-secrets DATABASE_URL=db-url:latest`): gcloud refuses the command ("Cannot
 * update environment variable [DATABASE_URL] to the given type because it has already been set
 * with a different type"), whatever the order of the flags. Reported at the variable's entry,
 * related to the secret's; the fix (offered) removes the variable, keeping the secret.
 */
function reportTypeClashes(model: WorkspaceModel, report: (r: Report<'setTwoWays' | 'setTwoWaysVariant'>) => void): void {
  const templates = new Set(model.notDeployed.filter((d) => !d.deploy.rejected).map((d) => d.deploy));
  const byDeploy = new Map<DeployFact, { env: WriteRef[]; secrets: Map<string, WriteRef> }>();
  for (const w of model.writes) {
    if (!w.deploy || !GCLOUD_VIA.has(w.deploy.via) || templates.has(w.deploy) || w.block.mode === 'file') continue;
    let seen = byDeploy.get(w.deploy);
    if (!seen) byDeploy.set(w.deploy, (seen = { env: [], secrets: new Map() }));
    if (w.block.kind === 'secrets' && w.write.value.kind === 'secret') seen.secrets.set(w.write.name, w);
    else if (w.block.kind === 'env' && w.write.value.kind !== 'inherited') seen.env.push(w);
  }
  for (const [deploy, { env, secrets }] of byDeploy) {
    for (const w of env) {
      const secret = secrets.get(w.write.name);
      if (!secret) continue;
      const live = model.variants.get(deploy);
      const remove = removeEntryEdit(w);
      report({
        file: w.file,
        span: w.write.nameSpan,
        key: `twoways:${w.write.name}:${w.file}:${w.write.nameSpan.start}`,
        severity: live ? 'info' : 'error',
        messageId: live ? 'setTwoWaysVariant' : 'setTwoWays',
        data: { target: w.target ? deployedAs(w.target, deploy) : deploy.service?.value ?? shortPath(w.file), name: w.write.name },
        related: [
          { file: secret.file, span: secret.write.nameSpan, message: `${w.write.name} also set from a secret here` },
          ...(live ? [liveRelated(live)] : []),
        ],
        fixes: remove ? [{ title: `Remove the variable ${w.write.name} (keep the secret)`, edits: [remove], safe: false, preferred: true }] : [],
      });
    }
  }
}

/** The target, by the name this deploy gives its service where that is not the target's own (a
 * worker deployed from the same code as the web service: `api-worker (production)`). */
function deployedAs(t: DeployTarget, deploy: DeployFact): string {
  const name = deploy.service?.value?.trim();
  return name && name !== serviceLabel(t) ? `${name} (${t.environment})` : describeTarget(t);
}

/**
 * A Cloud Run service whose image starts a server on a fixed port other than 8080 that never reads
 * `$PORT` (`CMD ["uvicorn", "app.main:app", "--port", "8000"]`, `DeployRef.listens`), deployed
 * without a container port: Cloud Run sends requests, and its startup probe, to 8080, nothing
 * listens there, and the revision never becomes ready. A manifest or a Terraform resource is the
 * whole service: an error. `gcloud run deploy` without `--port` keeps the port an earlier deploy
 * set, so there it is a warning that says so. A manifest nothing here applies, a script nothing
 * runs beside the deploy that does, or a template with a stand-in image: information. Reported at
 * the deployed name, with the Dockerfile's command (or the entry module's `listen`) related; the
 * remedy is either end (the deploy's port, or `--port $PORT` in the command), which is the
 * author's choice: no fix. An image that runs background work only (`celery … worker`,
 * `DeployRef.servesNothing`) answers no port at all: a warning at any deploy of it as a service.
 */
function reportFixedPorts(model: WorkspaceModel, report: (r: Report<'portFixed' | 'portFixedKept' | 'portFixedUnapplied' | 'portMismatch' | 'portMismatchUnapplied' | 'servesNothing' | 'servesNothingWhen' | 'servesNothingUnapplied'>) => void): void {
  const said = new Set<DeployFact>();
  for (const t of model.targets) {
    for (const d of t.deploys) {
      if (d.deploy.platform !== 'cloud-run' || said.has(d.deploy)) continue;
      const image = d.deploy.image?.value ?? d.deploy.image?.text;
      const leftover = model.unapplied.has(d.deploy) || model.variants.has(d.deploy) || (!!image && imagePlaceholder(image) !== undefined);
      // Background work only (`celery … worker`): whatever the port, nothing answers. A warning:
      // the program may start a small server of its own for the probe, which no command line shows.
      const idle = d.servesNothing;
      if (idle) {
        said.add(d.deploy);
        report({
          file: d.file,
          span: d.deploy.service?.span ?? { start: d.deploy.span.start, end: d.deploy.span.start },
          key: `idle:${d.file}:${d.deploy.span.start}`,
          severity: leftover ? 'info' : 'warning',
          messageId: leftover ? 'servesNothingUnapplied' : idle.when ? 'servesNothingWhen' : 'servesNothing',
          data: { target: deployedAs(t, d.deploy), program: idle.program, ...(idle.when ? { when: idle.when } : {}) },
          related: [{ file: idle.file, span: idle.span, message: `${idle.when ? `with ${idle.when}, ` : ''}the image runs ${idle.program}, which opens no port` }],
          fixes: [],
        });
        continue;
      }
      const l = d.listens;
      if (!l) continue;
      const what = l.inCode ? shortPath(l.file) : `its image's ${l.server}`;
      const related = [{ file: l.file, span: l.span, message: l.inCode ? `the server listens on ${l.port} here, and the service never reads $PORT` : `${l.server} listens on ${l.port} here and never reads $PORT` }];
      const set = d.deploy.port;
      if (set) {
        // The deploy names the port (Cloud Run also puts it in $PORT, which this server ignores).
        // Claimed of the image's own command only: a port read from the service's other
        // Dockerfiles, the build not seen, may be a local one's (`api/Dockerfile` beside the
        // `docker/Dockerfile.api` CI builds).
        if (set.value === undefined || !/^\d{2,5}$/.test(set.value) || set.value === l.port || l.guessed) continue;
        said.add(d.deploy);
        report({
          file: d.file,
          span: set.span,
          key: `port-mismatch:${d.file}:${d.deploy.span.start}`,
          severity: leftover ? 'info' : undefined,
          messageId: leftover ? 'portMismatchUnapplied' : 'portMismatch',
          data: { target: deployedAs(t, d.deploy), set: set.value, setting: portSetting(d.deploy), what, port: l.port },
          related,
          // Either end may be the one to change (the server's flag to `$PORT` is the other remedy):
          // offered, not applied by --fix.
          fixes: set.text === set.value ? [{ title: `Send requests to port ${l.port}, where ${what} listens`, edits: [{ file: d.file, span: set.span, newText: l.port }], safe: false, preferred: true }] : [],
        });
        continue;
      }
      // An update (`services update`) changes no port it is not told to. A gcloud deploy keeps the
      // port another deploy of the service sets (a Terraform `container_port`, another script's
      // `--port`): only where none does is the port 8080, where a server on 8080 is reached.
      if (d.deploy.amends || l.port === '8080') continue;
      const whole = d.deploy.via === 'knative' || d.deploy.via === 'terraform';
      // A port only a start script says, at a gcloud deploy that keeps the port set before: on
      // the corpus such services had it set by hand (an exported service showing containerPort).
      if (!whole && l.viaScript) continue;
      if (!whole && portSetElsewhere(model, t, d.deploy, l.port)) continue;
      said.add(d.deploy);
      report({
        file: d.file,
        span: d.deploy.service?.span ?? { start: d.deploy.span.start, end: d.deploy.span.start },
        key: `port:${d.file}:${d.deploy.span.start}`,
        // A gcloud deploy keeps the port set before, which the workspace cannot see: a service
        // that runs has it (on the corpus, 3 of 5 such warnings were services whose port was set
        // by hand), and a new one fails its first deploy loudly. Information.
        severity: leftover || !whole ? 'info' : undefined,
        messageId: leftover ? 'portFixedUnapplied' : whole ? 'portFixed' : 'portFixedKept',
        data: { target: deployedAs(t, d.deploy), what, port: l.port, setting: whole ? 'no container port' : 'no --port' },
        related,
        fixes: [],
      });
    }
  }
}

/** How the deploy names its container port, for messages. */
function portSetting(deploy: DeployFact): string {
  return deploy.via === 'knative' ? 'containerPort' : deploy.via === 'terraform' ? 'container_port' : '--port';
}

/** Another deploy of the target sets a container port, or any Cloud Run deploy of the workspace
 * sets this one (a Terraform `container_port = 8000` under a name the workspace cannot compare, a
 * manifest a script fills in and applies): a gcloud deploy without `--port` keeps what that set. */
function portSetElsewhere(model: WorkspaceModel, t: DeployTarget, deploy: DeployFact, port: string): boolean {
  if (t.deploys.some((o) => o.deploy !== deploy && o.deploy.port)) return true;
  for (const facts of model.files.values()) {
    for (const d of facts.deploys) {
      if (d !== deploy && d.platform === 'cloud-run' && d.port && (d.port.value === undefined || d.port.value === port)) return true;
    }
  }
  return false;
}

function removeReservedTitle(name: string): string {
  return `Remove ${name} (Cloud Run sets it${name === 'PORT' ? "; a port other than 8080 is the deploy's --port or containerPort" : ''})`;
}

/**
 * GOOGLE_APPLICATION_CREDENTIALS given a secret's content (`--set-secrets
 * GOOGLE_APPLICATION_CREDENTIALS=sa-key:latest`, a Knative `secretKeyRef`): Google's auth
 * libraries read the variable as the path of a key file, so with a key's JSON in it they fail to
 * find the file and every Google client of the service fails to authenticate. Where code of the
 * service reads the variable itself (as a path, most often, or to parse the JSON on purpose), a
 * warning. The fix removes the entry: on Cloud Run the service's own account stands in (or the
 * secret is mounted as a file, and the variable names that file).
 */
function reportCredentialsFromSecret(model: WorkspaceModel, report: (r: Report<'credentialsFromSecret'>) => void): void {
  const templates = new Set(model.notDeployed.map((d) => d.deploy));
  for (const w of model.writes) {
    if (!w.deploy || !runsOnCloudRun(w.deploy.platform) || templates.has(w.deploy) || w.write.name !== GCP_CREDENTIALS_VARIABLE) continue;
    const v = w.write.value;
    const secret = v.kind === 'secret' ? v.secret : v.kind === 'dynamic' && v.secretRef ? v.text : undefined;
    if (!secret) continue;
    const service = w.target?.service?.name ?? w.serviceName;
    if (!service) continue;
    const ownRead = [model.readsByService.get(service), model.readsShippedBeside.get(service)].some((reads) => reads?.some((r) => r.read.name === GCP_CREDENTIALS_VARIABLE));
    const remove = removeEntryEdit(w);
    const live = model.variants.get(w.deploy) ?? model.unappliedBeside.get(w.deploy);
    report({
      file: w.file,
      span: w.write.nameSpan,
      key: `credentials:${w.write.nameSpan.start}`,
      severity: live ? 'info' : model.unapplied.has(w.deploy) || ownRead ? 'warning' : 'error',
      messageId: 'credentialsFromSecret',
      data: { target: w.target ? describeTarget(w.target) : w.deploy.service?.value ?? shortPath(w.file), secret },
      related: live ? [liveRelated(live)] : [],
      fixes: remove ? [{ title: "Remove GOOGLE_APPLICATION_CREDENTIALS (on Cloud Run the service's own account is used)", edits: [remove], safe: false, preferred: true }] : [],
    });
  }
}

/**
 * A deploy command gcloud refuses (`DeployFact.rejected`): it fails before anything is deployed,
 * so the model keeps it out of every environment; the refusal itself is the finding. Reported at
 * the first item that is no `NAME=value` (a value holding the list's delimiter), or at the flag
 * gcloud takes only without the other.
 */
/** How a refused deploy is named: its deployed name, or the file. A name joined from a part we
 * could not see (`"${BASE}-${env}"` with `env` a function's argument) resolves cut short: the text
 * as written says more. */
function refusedTarget(deploy: DeployFact, file: string): string {
  const svc = deploy.service;
  return svc ? (svc.value && !/[-_.]$/.test(svc.value) ? svc.value : svc.text) : shortPath(file);
}

function reportRefused(model: WorkspaceModel, report: (r: Report<'refusedSplit' | 'refusedExclusive' | 'refusedSplitVariant' | 'refusedExclusiveVariant' | 'refusedSplitWritten' | 'refusedSplitWrittenVariant' | 'refusedStray' | 'refusedStrayVariant'>) => void): void {
  for (const { ref, block, split } of refusedDeploys(model.notDeployed)) {
    const r = ref.deploy.rejected!;
    const target = refusedTarget(ref.deploy, ref.file);
    // A script nothing here runs, beside the deploy that does: information (model/variant-scripts.ts).
    const live = model.variants.get(ref.deploy);
    const base = { file: ref.file, span: r.at, key: `refused:${ref.file}:${r.at.start}`, severity: live ? 'info' as const : 'error' as const };
    if (r.why === 'stray') {
      const delimiter = r.delimiter ?? ',';
      const joins = r.joins ?? [];
      report({
        ...base, messageId: live ? 'refusedStrayVariant' : 'refusedStray', data: { target, name: r.name ?? '', flag: r.flag },
        related: live ? [liveRelated(live)] : [],
        fixes: joins.length ? [{
          title: `Join ${joins.length === 1 ? 'the entry' : `the ${joins.length} entries`} to the ${r.flag} list with ${JSON.stringify(delimiter)}`,
          edits: joins.map((j) => ({ file: ref.file, span: j.span, newText: j.text })), safe: true, preferred: true,
        }] : [],
      });
      continue;
    }
    if (r.why === 'exclusive' || !block || !split) {
      report({ ...base, messageId: live ? 'refusedExclusiveVariant' : 'refusedExclusive', data: { target, flag: r.flag, other: r.other ?? '' }, related: live ? [liveRelated(live)] : [], fixes: [] });
      continue;
    }
    const first = split.refused[0]!;
    const entry = continuedEntry(block, first);
    const fix = delimiterFix(ref.file, block, split);
    const delimiter = JSON.stringify(split.delimiter);
    // What a command writes is not seen: most likely refused, so a warning.
    const written = first.written && !split.refused.some((x) => !x.written);
    report({
      ...base,
      ...(written ? { severity: live ? 'info' as const : 'warning' as const } : {}),
      messageId: written ? live ? 'refusedSplitWrittenVariant' : 'refusedSplitWritten' : live ? 'refusedSplitVariant' : 'refusedSplit',
      data: { target, flag: r.flag, delimiter, item: shownItem(first), name: first.after ?? '' },
      related: [
        ...(live ? [liveRelated(live)] : []),
        // (A written item lies inside its entry, which the finding's own range already shows.)
        ...(entry ? [{ file: ref.file, span: entry, message: `${first.after}'s value holds the delimiter ${delimiter}` }] : []),
        ...(first.from ? [{ file: ref.file, span: first.from.span, message: `${first.from.name} is given a value holding ${delimiter} here` }] : []),
      ],
      fixes: fix ? [fix] : [],
    });
  }
}

/** A deploy passing gcloud an env-vars file in dotenv syntax: an error at the path on the command
 * (information for a script nothing here runs, beside the deploy that does), the file's first entry
 * related; the fix rewrites the file's entries as YAML, never applied unreviewed, since a script may
 * also `source` the file or compose load it as dotenv. */
function reportEnvFileSyntax(model: WorkspaceModel, report: (r: Report<'refusedEnvFileSyntax' | 'refusedEnvFileSyntaxVariant'>) => void): void {
  for (const r of model.envFileRefusals) {
    const target = refusedTarget(r.deploy, r.file);
    const live = model.variants.get(r.deploy);
    const entries = model.files.get(r.envFile)?.envFile?.entries ?? [];
    const first = entries.find((e) => e.value.kind !== 'inherited');
    const fix = yamlRewriteFix(r.envFile, entries);
    report({
      file: r.file,
      span: r.written.span,
      key: `refused-env-file:${r.file}:${r.written.span.start}`,
      severity: live ? 'info' : 'error',
      messageId: live ? 'refusedEnvFileSyntaxVariant' : 'refusedEnvFileSyntax',
      data: { target, envFile: r.envFile },
      related: [
        ...(live ? [liveRelated(live)] : []),
        ...(first ? [{ file: r.envFile, span: first.span, message: `${first.name} written NAME=value here, dotenv's syntax` }] : []),
      ],
      fixes: fix ? [fix] : [],
    });
  }
}

/** The env file's entries as YAML (`NAME: "value"`, comments kept), when every one is a plain
 * value: a dotenv file's `${VAR}` is expanded by its loader, never by gcloud. */
function yamlRewriteFix(file: string, entries: readonly EnvWrite[]): Fix | undefined {
  if (!entries.length || entries.some((e) => e.value.kind !== 'literal')) return undefined;
  const edits = entries.map((e) => ({ file, span: e.span, newText: `${e.name}: ${JSON.stringify((e.value as { value: string }).value)}` }));
  return { title: `Rewrite ${file} as YAML (NAME: "value"), as gcloud reads it (check that no script or compose file loads it as a dotenv file)`, edits, safe: false, preferred: true };
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`, up to four; beyond, the first three and how many more. */
function eitherOf(items: string[]): string {
  if (items.length === 1) return items[0]!;
  if (items.length <= 4) return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
  return `${items.slice(0, 3).join(', ')} or ${items.length - 3} more`;
}

/** An optional read whose value is only tested for presence (`if (process.env.X)`, `!!X`). */
function onlyTested(read: EnvRead): boolean {
  return read.hasDefault && (read.optionalBecause === 'tested' || read.optionalBecause === 'presence-test');
}

/** A related read's note: how it reads and why it counts as needed. */
function readHere(name: string, r: ReadRef): string {
  if (r.read.comparedWith !== undefined && r.read.hasDefault) {
    const texts = [r.read.comparedWith, ...(r.read.comparedAlso ?? [])].map((t) => JSON.stringify(t));
    return `${name} compared with ${eitherOf(texts)}${r.read.comparedCaseless ? ' in any case' : ''} here (${r.read.via})`;
  }
  const why = r.read.emptyDefault ? (isSigningSecretName(name) ? 'its default is an empty signing key' : 'empty default rejected') : r.read.committedKey ? 'its default is a key committed here' : r.read.placeholderDefault ? 'its default is a placeholder'
    : r.read.hasDefault ? (onlyTested(r.read) ? 'only tested for presence' : 'optional')
    : r.read.needUnseen ? 'no default, not used in this file' : 'no default';
  return `${name} read here (${r.read.via}, ${why})`;
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
    // `composeWithout`, only compose starts it (a warning: perhaps a machine's stack, not a deploy);
    // `deployWithoutFallback`, the code reads it only after a value it has from elsewhere
    // (`self.config.api_key or os.getenv("X")`), which may be set (a warning);
    // `deployWithoutImageOnly`, every deploy only swaps the image and other deploys here set the
    // name (information; a name no deploy here sets is not reported for such a target);
    // `deployPathWithout`, the target has the name from one deploy while another of its deploys
    // replaces that kind of entry without it (a warning at that deploy: which ran last decides;
    // information, `…Unseen`, when every read only stores the value); `updateReplaces`, the same
    // where the deploy that drops it is an update (`services update --set-env-vars`);
    // `deployPathSwitch`, a switch the other path sets to the text the code compares it with;
    // `otherServiceWithout`, a deploy of another Cloud Run service from the same code lacking what
    // the others set for theirs (one finding per deploy, listing the names).
    messages: {
      deployWithout: '{{target}} is deployed without {{name}}, which {{readers}} {{read}}',
      deployWithoutKeeps: '{{target}} may lack {{name}}, which {{readers}} {{read}}: its deploy keeps earlier {{kept}}',
      // …and sets a near name nothing reads (`JWT_SECRET_KEY` for `JWT_SECRET`): the value meant for
      // the code, under another name, so not one managed outside the repository.
      deployWithoutKeepsPrefixed: '{{target}} sets {{other}}, not {{name}}, which {{readers}} {{read}} (earlier {{kept}} are kept)',
      deployWithoutKeepsMany: '{{target}} may lack {{names}}, which its code reads: its deploy keeps earlier variables',
      deployWithoutUnreadable: '{{target}} may lack {{name}}, which {{readers}} {{read}}: its env in {{unreadableIn}} is unreadable',
      // The list is read, but merged with a value not written out (`merge({ … }, var.env_vars)`).
      deployWithoutMerged: '{{target}} may lack {{name}}, which {{readers}} {{read}}, unless {{merged}} sets it',
      deployWithoutInferred: '{{target}} is deployed without {{name}}, which {{readers}} {{read}} (deploy linked {{linkedBy}})',
      // Every deploy of the target is a manifest nothing here applies or names (model/variant-scripts.ts),
      // its image a stand-in (`gcr.io/PROJECT_ID/api`): a template. Information.
      deployWithoutStub: '{{target}} would lack {{name}}, which {{readers}} {{read}} (an unapplied template)',
      // Another module of the service tests whether the name is set and carries on without it
      // (information): the code that needs it is a feature this deploy leaves off.
      deployWithoutOptionalElsewhere: '{{target}} is deployed without {{name}}, which {{readers}} {{read}}; {{coper}} runs without it, so that feature is off here',
      // Every deploy is in a Cloud Build config that none of the triggers declared here runs and
      // nothing here submits: a leftover, or run by hand. Information.
      deployWithoutUntriggered: '{{target}} is deployed without {{name}}, which {{readers}} {{read}}, by {{config}}, which no trigger or script here runs',
      composeWithout: '{{target}} is started by compose without {{name}}, which {{readers}} {{read}}',
      deployWithoutFallback: '{{target}} is deployed without {{name}}, which {{readers}} {{read}} if {{source}} is empty',
      // The run-time value of a build-time variable: the bundle never reads it.
      buildTimeAtRuntime: '{{target}} gets {{name}} at run time only, but {{readers}} {{read}} it at build time',
      deployPathWithout: '{{target}} is deployed here without {{name}}, which {{setter}} sets and its code needs',
      // Only an update in another file sets it: every run of this deploy's `set` flag removes it.
      deployWipesUpdate: '{{target}}: {{flag}} here removes {{name}}, which only the update in {{setter}} adds',
      // The same at a manifest nothing here applies, beside the deploy that runs
      // (model/variant-scripts.ts): true of the file, which deploys nothing as things stand. Information.
      deployPathWithoutLeftover: '{{target}} would be deployed here without {{name}}, which {{setter}} sets and its code needs ({{leftover}})',
      // A name the platform sets itself: the deploy is rejected as written.
      reservedName: '{{target}} sets {{name}}, which Cloud Run reserves and sets itself: the deploy is rejected',
      setTwoWays: '{{target}} sets {{name}} both as a variable and from a secret: gcloud refuses the deploy',
      setTwoWaysVariant: '{{target}} sets {{name}} both as a variable and from a secret: refused if run (a script nothing here runs)',
      // The image's server listens on a fixed port, the deploy leaves the container port at 8080:
      // the revision never becomes ready. `…Kept`: gcloud keeps a port an earlier deploy set.
      portFixed: '{{target}} sets no container port, so Cloud Run sends requests to 8080; {{what}} listens on {{port}}',
      portFixedKept: '{{target}} is deployed without --port (8080 unless set before); {{what}} listens on {{port}}',
      portFixedUnapplied: '{{target}} would get requests on 8080 ({{setting}}); {{what}} listens on {{port}}',
      // The deploy names a container port, the image's server fixes another: requests and the
      // startup probe go to a port nothing listens on.
      portMismatch: '{{target}} sends requests to port {{set}} ({{setting}}); {{what}} listens on {{port}}',
      portMismatchUnapplied: '{{target}} would get requests on port {{set}} ({{setting}}); {{what}} listens on {{port}}',
      // A service whose image runs background work only (a Celery worker): nothing listens, the
      // revision never becomes ready. A job (or a worker pool) is what runs such work.
      servesNothing: '{{target}} is a Cloud Run service, but its image runs {{program}}, which listens on no port',
      // …by the branch of its start script the deploy's value takes (`PROCESS_TYPE=worker`).
      servesNothingWhen: '{{target}} answers no request: with {{when}} its image runs {{program}}, which opens no port',
      servesNothingUnapplied: '{{target}} would be a Cloud Run service running {{program}}, which listens on no port (nothing here applies it)',
      reservedNameUnapplied: '{{target}} sets {{name}}, which Cloud Run reserves: applying this manifest is rejected (nothing here applies it)',
      reservedNameUnnamed: '{{target}} sets {{name}}, which Cloud Run reserves: applying this manifest is rejected (nothing here applies or names it)',
      reservedNameUnappliedBeside: '{{target}} sets {{name}}, which Cloud Run reserves: rejected if applied (a manifest nothing here applies)',
      // Google's auth libraries read the variable as a key file's path, not its content.
      credentialsFromSecret: "{{target}} gets secret {{secret}} as GOOGLE_APPLICATION_CREDENTIALS, which must be a key file's path",
      // gcloud splits a list flag at its delimiter and refuses an item that is no NAME=value
      // ("Bad syntax for dict arg"): the command deploys nothing.
      refusedSplit: '{{target}} is refused by gcloud: {{flag}} splits at {{delimiter}}, so {{item}} is no NAME=VALUE',
      // Flags of one group gcloud accepts only one of ("At most one of these can be specified").
      refusedExclusive: '{{target}} is refused by gcloud: it takes {{other}} or {{flag}}, not both',
      // A script nothing here runs or names, of a service another file deploys and runs
      // (model/variant-scripts.ts): true of the script, which is likely a leftover. Information.
      refusedSplitVariant: '{{target}} is refused by gcloud: {{flag}} splits at {{delimiter}}, so {{item}} is no NAME=VALUE (a script nothing here runs)',
      // A command substitution writes the value: its text holds the delimiter, its output is not seen.
      refusedSplitWritten: '{{target}} is most likely refused by gcloud: the command writing {{name}} puts {{delimiter}} in it, where {{flag}} splits',
      refusedSplitWrittenVariant: '{{target}} is most likely refused by gcloud: the command writing {{name}} puts {{delimiter}} in it (a script nothing here runs)',
      refusedExclusiveVariant: '{{target}} is refused by gcloud: it takes {{other}} or {{flag}}, not both (a script nothing here runs)',
      // `--set-env-vars A=1 B=2`: the second entry is an argument of its own, and gcloud takes one,
      // the service ("unrecognized arguments"): the command deploys nothing.
      refusedStray: '{{target}} is refused by gcloud: {{name}}=… is an argument of its own, not part of the {{flag}} list',
      refusedStrayVariant: '{{target}} is refused by gcloud: {{name}}=… is an argument of its own, not part of the {{flag}} list (a script nothing here runs)',
      // gcloud reads `--env-vars-file` as YAML; dotenv's `NAME=value` lines are one string to it,
      // not a map of names ("must be a YAML dictionary"): the command deploys nothing.
      refusedEnvFileSyntax: '{{target}} is refused by gcloud: --env-vars-file {{envFile}} is written NAME=value, where gcloud reads YAML',
      refusedEnvFileSyntaxVariant: '{{target}} is refused by gcloud: --env-vars-file {{envFile}} is written NAME=value, not YAML (a script nothing here runs)',
      reservedNameVariant: '{{target}} sets {{name}}, which Cloud Run reserves: rejected if run (a script nothing here runs)',
      // A secret one path mounts and another drops, read by code that copes without it (an empty
      // default): the feature it enables goes with whichever path ran last.
      deployPathDropsSecret: '{{target}} is deployed here without the secret {{name}}, which {{setter}} mounts and its code reads',
      // A development default the other path overrides: a development address in its place.
      deployPathLocalDefault: '{{target}} is deployed here without {{name}}, which {{setter}} sets; it defaults to localhost',
      // The same where every read only stores the value (information, as `deployWithoutUnseen`).
      deployPathWithoutUnseen: '{{target}} is deployed here without {{name}}, which {{setter}} sets; unused where it is read',
      // A switch: the other path sets the name to the text the code compares it with, this one
      // leaves it unset, so the comparison goes the other way here (a warning at this deploy).
      deployPathSwitch: '{{target}} is deployed here without {{name}}, which {{setter}} sets to {{value}}; the code tests it',
      // An update (`gcloud run services update`) whose `--set-env-vars` / `--set-secrets` replaces
      // every entry of that kind the service had, this one among them (`setter` is unused: the
      // related location says where the deploy sets it).
      updateReplaces: '{{target}} loses {{name}} here: {{flag}} on an update replaces all its {{entries}}',
      deployWithoutImageOnly: '{{target}} may lack {{name}}, which {{readers}} {{read}}: set for {{others}}, not by its deploy',
      // Every read stores the value (a module constant, a class attribute) and nothing in its file
      // uses it: whether anything needs it is not seen. On real repositories such settings were
      // mostly unused, or used only by code that never ran.
      deployWithoutUnseen: '{{target}} is deployed without {{name}}, which {{readers}} {{read}} without using it there',
      // The same, where a deploy of the same code to another environment sets the name: the value
      // is wanted, and this environment goes without it (a warning).
      deployWithoutSibling: '{{target}} is deployed without {{name}}, set for {{others}}; {{readers}} {{read}} it',
      deployWithoutSiblingKeeps: '{{target}} may lack {{name}}, set for {{others}}; {{readers}} {{read}} it (earlier {{kept}} are kept)',
      // Only code the image copies in beside the service's own folder reads it (`COPY shared/ …`):
      // whether the service loads that module is not seen.
      deployWithoutBeside: '{{target}} is deployed without {{name}}, which {{readers}} {{read}}: code its image copies in beside its own',
      deployWithoutBesideMany: '{{target}} is deployed without {{count}} names only code its image copies in beside its own reads ({{names}})',
      // A deploy of another Cloud Run service from the same code (its own name, region or
      // project) lacks names the target's other deploys set for theirs: the two never overwrite
      // each other, so it is that service that lacks them (information when every read only stores).
      otherServiceWithout: '{{service}} lacks {{names}}, needed by its code and set for {{other}} in {{setter}}',
      // The deploy sets the name with a prefix more or less (`DJANGO_SECRET_KEY` for `SECRET_KEY`)
      // and no code here reads that one: most likely the value meant, under another name.
      deployWithoutPrefixed: '{{target}} sets {{other}}, not {{name}}, which {{readers}} {{read}}',
      // The deploy writes a name no code reads beside a near name the code reads with a default
      // (`CACHE_TTL` set, `CACHE_TTL_SECONDS` read): the code runs on its default.
      setUnderNearName: '{{target}} sets {{other}}, which nothing reads; {{readers}} {{read}} {{name}} and uses its default',
    },
  },
  check({ model, report }) {
    reportReservedNames(model, report);
    reportTypeClashes(model, report);
    reportFixedPorts(model, report);
    reportRefused(model, report);
    reportEnvFileSyntax(model, report);
    reportCredentialsFromSecret(model, report);
    // Every name the workspace's code reads, built once and only when a prefixed name is asked about.
    let readNames: Set<string> | undefined;
    const isRead = (n: string): boolean =>
      (readNames ??= new Set([...model.readsByService.values()].flatMap((reads) => reads.map((r) => r.read.name)))).has(n);
    reportDefaultedNearNames(model, report, isRead);
    // Deploys of another Cloud Run service (name, region, project) lacking names the others set:
    // one finding per deploy, after every name is known.
    const elsewhere = new Map<DeployRef, { t: DeployTarget; drops: { name: string; drop: DroppingDeploy }[] }>();
    for (const serviceName of new Set([...model.readsByService.keys(), ...model.readsShippedBeside.keys()])) {
      const targets = deployedTargetsOf(model, serviceName);
      if (targets.length === 0) continue;
      // Reads of code the service's images copy in beside its own (a `shared/` library): which of
      // its modules the service loads is not seen, so a name only they read is information that says so.
      const beside = new Set(model.readsShippedBeside.get(serviceName) ?? []);
      // A value kept in a settings field nothing names reaches no code: whether a deploy sets it
      // changes nothing (only where the read itself cannot fail: a settings class requiring the
      // field fails to build without it).
      const reads = [...(model.readsByService.get(serviceName) ?? []), ...beside].filter((r) => !reachesNothing(r));
      const buildTime = buildTimeOnly(reads, model);
      if (buildTime.size) for (const t of targets) for (const v of runtimeOnlyBuildValues(model, t, buildTime)) reportRuntimeOnly(report, t, v, model);
      const needed = neededByName(model, reads, OWNED_ELSEWHERE);
      // Names only code copied in beside the service reads, per target: said once when several
      // (a shared library copied into every image holds many reads, most of modules never loaded).
      type Groups = Map<DeployTarget, { name: string; finding: Parameters<typeof report>[0] }[]>;
      const besideNames: Groups = new Map();
      // Names a deploy that only adds variables may lack, none set by any deploy here: all are
      // managed outside the repository or none is, one cause, so said once per target when several.
      const keptNames: Groups = new Map();
      for (const [name, readers] of needed) {
        for (const t of targets) {
          // Credentials come from the metadata server where the variable is unset: the deploy should
          // not set it — unless a settings class requires the field (pydantic-settings fails to
          // build without it, whatever the auth libraries would do).
          if (ambientOnCloudRun(name) && t.deploys.length > 0 && t.deploys.every((d) => runsOnCloudRun(d.deploy.platform)) &&
            !readers.some((r) => r.read.via === 'pydantic-settings' && !r.read.hasDefault)) continue;
          // A secret whose code default is a placeholder (`os.getenv("SECRET_KEY", "django-insecure-…")`)
          // matters where it signs something: a service. A job (a migration, a seed) runs with the
          // default and signs nothing.
          const jobOnly = t.deploys.length > 0 && t.deploys.every((d) => d.deploy.platform === 'cloud-run-job');
          const lacking = lackingReads(model, t, name, jobOnly ? readers.filter((r) => !r.read.placeholderDefault) : readers);
          if (lacking.length === 0) {
            for (const drop of deploysDropping(model, t, name, readers)) {
              if (!drop.otherService) {
                reportDropped(report, model, t, name, drop);
                continue;
              }
              const entry = elsewhere.get(drop.deploy) ?? { t, drops: [] };
              entry.drops.push({ name, drop });
              elsewhere.set(drop.deploy, entry);
            }
            continue;
          }
          // An OAuth credential the target provides under another name is oauth-env-mismatch's.
          if (providesUnderOtherName(model, t, name)) continue;
          const other = setUnderNearName(t, name, isRead);
          const fix = fixFor(t, name, model);
          const rename = other ? renameFix(t, other, name) : undefined;
          const anchor = blockAnchor(t, isSecretLike(name) ? 'secrets' : 'env');
          const certainty = certaintyOf(t, name, model.words);
          if (certainty.unknowable) continue;
          // Its deploys only add to what the service has, and a deploy of it whose name is
          // computed (a Terraform module's `halo-api-${var.environment}`) sets the name, or may.
          if (certainty.partial === 'adds' && unplacedTwinSets(model, t, name)) continue;
          // …or sets a variable every lacking read needs unset (`KMS_KEY_ID ? new Kms() : new
          // Local()`, the local key read only without it): what the service keeps switches them off.
          if (certainty.partial === 'adds' && lacking.every((r) => r.read.onlyWhen?.some((s) => !s.set && unplacedTwinSets(model, t, s.name, true)))) continue;
          // A deploy that keeps what the service has (the image alone, or added variables) lacking
          // the name: worth a word (image only) or a warning (added) only where other deploys here set it.
          const others = certainty.imageOnly || certainty.partial === 'adds' ? othersSetting(model, t, name) : [];
          if (certainty.imageOnly && others.length === 0) continue;
          const compose = composeOnly(t);
          const files = [...new Set(lacking.map((r) => r.file))];
          // Every read takes the variable only after a value the code has from elsewhere
          // (`self.config.api_key or os.getenv(...)`): needed only when that value is empty.
          const fallbackOf = lacking.every((r) => r.read.fallbackOf) ? lacking[0].read.fallbackOf : undefined;
          const missing = missingMessage(certainty, compose);
          // Every deploy is a template nothing here applies or names.
          const stub = stubOnly(model, t);
          // Every deploy is in a Cloud Build config no trigger the workspace declares runs, and
          // nothing here submits (model/build-triggers.ts): a leftover, or run by hand.
          const untriggered = !stub && t.deploys.length > 0 && t.deploys.every((d) => model.untriggered.has(d.deploy));
          // Only where the message would state the lack plainly: its hedges (a deploy linked by
          // name, one that keeps earlier variables) stay, and the rename is still the first fix.
          const messageId = rename && missing === 'deployWithout' ? 'deployWithoutPrefixed' : rename && missing === 'deployWithoutKeeps' ? 'deployWithoutKeepsPrefixed' : missing;
          const unseen = lacking.every((r) => r.read.needUnseen);
          // …unless a deploy of the same code to another environment sets it (`CLIENT_URL` for
          // staging, not for production): the value is wanted, and this environment goes without.
          const siblings = unseen && !rename ? othersSetting(model, t, name).filter((o) => !!o.service && o.service === t.service && o.environment !== t.environment) : [];
          // Every read only stores the value where nothing in its file uses it (a module constant,
          // a settings object's field): no evidence that anything needs it. On real repositories
          // nearly every such finding was an unused setting or one of a feature left off; only a
          // framework's settings module (Django's) is used by name, so only there is it said.
          // A deploy setting a near name nothing reads (`SLACK_CHANNELS` for `SLACKIN_CHANNELS`)
          // shows the value is wanted here, whatever the code does without it.
          if (unseen && !rename && !siblings.length && !lacking.some((r) => isFrameworkSettingsModule(r.file))) continue;
          // …and a deploy that only adds variables may well leave it as it was: no evidence either
          // way (on a Django settings module, 8 of 12 such findings named settings nothing used).
          if (unseen && !rename && !siblings.length && certainty.partial === 'adds') continue;
          const besideOnly = lacking.every((r) => beside.has(r));
          // Code copied in beside the service's own is known to be in an image built here from the
          // Dockerfile that copies it; in a deploy of an image built elsewhere (another project's
          // tag, no build here), nothing says it is.
          if (besideOnly && !t.deploys.some((d) => d.runs?.length && !d.runsGuessed)) continue;
          // The last of a chain (`getenv("A") or getenv("B")`, `process.env.A || process.env.B`):
          // any earlier name would do as well, and the message says so.
          const either = standIns(lacking).filter((n) => !t.writes.has(n));
          // Another module of the service asks whether the name is set and carries on without it:
          // the reads that need it serve a feature the service runs without. On real repositories
          // most such errors were judged a feature left unconfigured (an SMTP sender, a payment
          // provider answering 'not configured'), not a broken deploy. Information — but only
          // where every read that needs it runs in a function (one at a module's top level runs
          // as the service starts, and fails it whatever other code does without the name), and
          // no other deploy here sets it (then the value is wanted from the deploy).
          const copes = siblings.length || rename || !lacking.every((r) => r.read.inFunction) || othersSetting(model, t, name).length ? undefined
            : copesElsewhere(reads, name, lacking, (r) => loadedFor(r, t, model));
          const finding: Parameters<typeof report>[0] = {
            file: anchor.file,
            span: anchor.span,
            key: `deploy:${t.key}:${name}`,
            // A deploy that only adds variables leaves the rest as they were (the console, an
            // earlier deploy). Where no deploy here sets the name either, it is managed outside the
            // repository: on real repositories none of these was a miss. Information — unless the
            // deploy sets a near name nothing reads: the value is meant to come from here.
            // Only code the image copies in beside the service's own reads it: on a real repository
            // that copies a whole shared library into every image, most such names belonged to
            // modules the service never loads. Information.
            // Every read only after a value the code holds (a constructor argument, a config
            // file's value): the code has its own source, which the workspace cannot see; on real
            // repositories one such warning in nine was true. Information.
            // Part of the env from a file or value the workspace cannot read (`--env-vars-file
            // "$ENV_FILE"`, a generated list): the name may well be in it; on real repositories 8
            // of 21 such warnings were true. Information.
            severity: siblings.length ? 'warning' : certainty.imageOnly || (unseen && !rename) || besideOnly || copes || (certainty.partial === 'adds' && others.length === 0 && !rename) || fallbackOf || stub || untriggered ||
              (certainty.partial === 'unreadable' && !certainty.mergedWith) ? 'info'
              : certainty.partial || certainty.inferred || compose ? 'warning' : undefined,
            messageId: siblings.length ? (certainty.partial === 'adds' ? 'deployWithoutSiblingKeeps' : 'deployWithoutSibling')
              : certainty.imageOnly ? 'deployWithoutImageOnly' : unseen && !rename ? 'deployWithoutUnseen'
              : stub && (messageId === 'deployWithout' || messageId === 'deployWithoutInferred') ? 'deployWithoutStub'
              : untriggered && (messageId === 'deployWithout' || messageId === 'deployWithoutInferred') ? 'deployWithoutUntriggered'
              : fallbackOf && messageId === 'deployWithout' ? 'deployWithoutFallback'
              : copes && (messageId === 'deployWithout' || messageId === 'deployWithoutInferred') ? 'deployWithoutOptionalElsewhere'
              : besideOnly && (messageId === 'deployWithout' || messageId === 'deployWithoutInferred') ? 'deployWithoutBeside' : messageId,
            data: { target: describeTarget(t), name: either.length ? `${name} (or ${either.join(', ')})` : name, readers: listOf(files.map(shortPath)), read: files.length > 1 ? 'read' : 'reads', source: fallbackOf, others: describeTargets(siblings.length ? siblings : others), other, linkedBy: certainty.linkedBy, kept: certainty.keeps ?? 'variables', unreadableIn: shortPath(certainty.unreadableIn ?? anchor.file), merged: certainty.mergedWith ?? '', config: untriggered ? shortPath(anchor.file) : '', coper: copes ? shortPath(copes.file) : '' },
            related: [...lacking.slice(0, 5).map((r) => ({ file: r.file, span: r.read.nameSpan, message: readHere(name, r) })),
              ...(copes ? [{ file: copes.file, span: copes.read.nameSpan, message: `${name} tested here: this code carries on without it` }] : [])],
            fixes: rename ? [rename, ...(fix ? [{ ...fix, preferred: false }] : [])] : fix ? [fix] : [],
          };
          if (besideOnly && !certainty.imageOnly && !unseen && !certainty.partial && !rename) {
            besideNames.set(t, [...(besideNames.get(t) ?? []), { name, finding }]);
            continue;
          }
          // A name another one stands in for (`SESSION_SECRET (or COOKIE_SECRET)`) keeps its own words.
          // Secrets kept where the variables are replaced keep theirs too: each one's fix mounts
          // that secret, which a grouped finding could not offer.
          if (finding.messageId === 'deployWithoutKeeps' && finding.severity === 'info' && !rename && !either.length && certainty.keeps !== 'secrets') {
            keptNames.set(t, [...(keptNames.get(t) ?? []), { name, finding }]);
            continue;
          }
          report(finding);
        }
      }
      // One name: said as any other, with its fix; several: once for the target, at the first.
      const sayOnce = (groups: Groups,
        grouped: (t: DeployTarget, names: string[]) => Pick<Parameters<typeof report>[0], 'key' | 'messageId' | 'data'>): void => {
        for (const [t, items] of groups) {
          if (items.length === 1) {
            report(items[0]!.finding);
            continue;
          }
          const { file, span } = items[0]!.finding;
          report({ file, span, severity: 'info', ...grouped(t, items.map((i) => i.name)), related: items.slice(0, 8).map((i) => i.finding.related![0]!), fixes: [] });
        }
      };
      sayOnce(besideNames, (t, names) => ({
        key: `deploy:${t.key}:beside`, messageId: 'deployWithoutBesideMany',
        data: { target: describeTarget(t), count: String(names.length), names: names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '') },
      }));
      sayOnce(keptNames, (t, names) => ({
        key: `deploy:${t.key}:kept`, messageId: 'deployWithoutKeepsMany',
        data: { target: describeTarget(t), names: names.length === 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more` },
      }));
      // A secret one deploy path mounts (`--set-secrets X=x:latest`) and another, replacing the
      // service's secret references, leaves out, where the code reads it though it copes without
      // it (`os.getenv("PAYMENT_KEY", "")`): running the second path turns that feature off. Only
      // where no more paths drop it than mount it (one stale script is the odd one out otherwise).
      for (const [name, readers] of optionalSecretReads(reads)) {
        if (needed.has(name)) continue;
        for (const t of targets) {
          const mounting = new Set((t.writes.get(name) ?? []).filter((w) => mountsSecret(w.write.value)).map((w) => w.deploy));
          if (!mounting.size) continue;
          const drops = deploysDropping(model, t, name, readers).filter((d) => !d.otherService && d.kind === 'secrets');
          if (pathsOf(drops) > mounting.size) continue;
          // A settings field (pydantic's, or a constant nothing in its file uses) says nothing of
          // a feature it would turn off: only reads where the code uses the value count.
          for (const drop of drops) {
            // Nor a presence test (`!!process.env.X` choosing a mode): the secret's value is not what it uses.
            if (drop.lacking.some((r) => !r.read.needUnseen && r.read.via !== 'pydantic-settings' && !onlyTested(r.read))) reportDropped(report, model, t, name, drop, { kind: 'optional-secret' });
          }
        }
      }
      // A URL one deploy path sets and another, replacing the variables, leaves out, where the code
      // falls back to a loopback address (`FRONTEND_URL || 'http://localhost:5173'`): that path's
      // links, redirects or calls go to a development address. Unlike a switch, however many
      // paths leave it out (a judged corpus case: two scripts dropping what the release sets),
      // each one that does runs the service so.
      for (const [name, readers] of localDefaultReads(reads)) {
        if (needed.has(name) || isSecretLike(name)) continue;
        for (const t of targets) {
          if (!(t.writes.get(name) ?? []).some((w) => w.write.value.kind !== 'inherited')) continue;
          for (const drop of deploysDropping(model, t, name, readers)) {
            // Only an update sets it, and the code copes: judged false on the corpus (a local
            // tool's redirect URI), so the update's value is not taken for the service's need.
            if (!drop.otherService && !drop.wipesUpdate) reportDropped(report, model, t, name, drop, { kind: 'local-default' });
          }
        }
      }
      // A switch one deploy path turns (`FEATURE_X=true`) and another drops, where the code
      // compares the raw value with that text: the two paths run different branches.
      for (const [name, readers] of comparedByName(reads)) {
        if (needed.has(name) || isSecretLike(name)) continue;
        for (const t of targets) {
          const values = new Set((t.writes.get(name) ?? []).flatMap((w) => w.write.value.kind === 'literal' && !w.write.value.substitution ? [w.write.value.value] : []));
          const matching = readers.filter((r) => [...values].some((v) => turnsSwitch(r.read, v)));
          if (!matching.length) continue;
          const drops = deploysDropping(model, t, name, matching).filter((d) => !d.otherService && !d.wipesUpdate);
          // One path turning a switch that most paths leave off is more likely the odd one out
          // (a stub, a leftover) than the others' omission: only where no more paths drop it than set it.
          const setting = new Set((t.writes.get(name) ?? []).map((w) => w.deploy));
          if (pathsOf(drops) > setting.size) continue;
          for (const drop of drops) {
            const v = drop.setter.write.value;
            if (v.kind === 'literal' && matching.some((r) => turnsSwitch(r.read, v.value))) reportDropped(report, model, t, name, drop, { kind: 'switch', value: v.value });
          }
        }
      }
    }
    for (const [d, { t, drops }] of elsewhere) reportOtherService(report, t, d, drops);
  },
});

/**
 * A deploy of another Cloud Run service (its own name, region or project) from the target's code,
 * lacking names the code needs that the target's other deploys set for their service: one warning
 * at that deploy, listing them, related to where the others set them and to the reads. The fixes
 * copy the other service's values, for review (they are another service's).
 */
function reportOtherService(report: (r: Report<'otherServiceWithout'>) => void, t: DeployTarget, d: DeployRef, drops: { name: string; drop: DroppingDeploy }[]): void {
  const names = drops.map((x) => x.name);
  const setter = drops[0].drop.setter;
  const first = drops[0].drop;
  const fixes: Fix[] = [];
  for (const { name, drop } of drops.slice(0, 5)) {
    const { values } = valueFrom(drop.setter);
    const added = addToDeployEdit(d, drop.kind, name, values);
    if (!added) continue;
    const shown = added.value.kind === 'placeholder' ? `${name}=${placeholderFor(name)}` : name;
    fixes.push({ title: `Add ${shown} to ${serviceNameOf(d)}, as ${shortPath(drop.setter.file)} sets it for ${serviceNameOf(drop.setter)}${added.shared ?? ''}`, edits: [added.edit], safe: false, needsValue: added.value.kind === 'placeholder' || undefined });
  }
  report({
    file: d.file,
    span: deployAnchor(d, first.kind),
    // The names are part of it: once one is added, what the deploy still lacks is another finding.
    key: `elsewhere:${t.key}:${d.file}:${d.deploy.span.start}:${[...names].sort().join(',')}`,
    severity: drops.every((x) => x.drop.lacking.every((r) => r.read.needUnseen)) ? 'info' : 'warning',
    messageId: 'otherServiceWithout',
    data: { service: serviceNameOf(d), names: listOf(names), setter: shortPath(setter.file), other: serviceNameOf(setter) },
    related: [
      ...drops.slice(0, 3).map(({ name, drop }) => ({ file: drop.setter.file, span: drop.setter.write.nameSpan, message: `${name} set here for ${serviceNameOf(drop.setter)}` })),
      ...drops.slice(0, 3).map(({ name, drop }) => ({ file: drop.lacking[0].file, span: drop.lacking[0].read.nameSpan, message: readHere(name, drop.lacking[0]) })),
    ],
    fixes,
  });
}

/** The Cloud Run service a deploy deploys, as resolved (else as written). */
function serviceNameOf(d: { deploy?: DeployFact }): string {
  const s = d.deploy?.service;
  return s?.value ?? s?.text ?? 'its service';
}

/** A deploy's value is one of the texts the read compares its value with (in any case, where the
 * code lowers it first). */
/** How many deploy paths drop a name: the readings of one shared text (`if` parts, loop items,
 * calls of one function: `DeployFact.instance`) are one path, however many deploys they make. */
function pathsOf(drops: DroppingDeploy[]): number {
  return new Set(drops.map((d) => `${d.deploy.file}\0${d.deploy.deploy.span.start}`)).size;
}

function turnsSwitch(read: EnvRead, value: string): boolean {
  const norm = (t: string): string => (read.comparedCaseless ? t.toLowerCase() : t);
  return [read.comparedWith, ...(read.comparedAlso ?? [])].some((t) => t !== undefined && norm(t) === norm(value));
}

/** The names every one of `reads` would take instead of its own (the other links of an `or` /
 * `||` chain, its `alternatives`; not a switch's `onlyWhen`, which selects another branch), at
 * most three. */
function standIns(reads: ReadRef[]): string[] {
  const of = (r: ReadRef): string[] => r.read.alternatives ?? [];
  const [first, ...rest] = reads.map(of);
  const common = (first ?? []).filter((n, i, all) => all.indexOf(n) === i && rest.every((o) => o.includes(n)));
  return common.length <= 3 ? common : [];
}

/** A secret reference, however written: `name:version`, or one the value names without showing
 * it (Terraform's `secret = google_secret_manager_secret.x.id`, a `${SECRET}:latest` reference). */
function mountsSecret(v: EnvWrite['value']): boolean {
  return v.kind === 'secret' || (v.kind === 'dynamic' && (!!v.secretRef || !!v.secretResource));
}

/** The reads `keep` takes, by name; tests never. */
function readsByName(reads: ReadRef[], keep: (r: ReadRef) => boolean): Map<string, ReadRef[]> {
  const out = new Map<string, ReadRef[]>();
  for (const r of reads) {
    if (r.isTest || !keep(r)) continue;
    const list = out.get(r.read.name) ?? [];
    list.push(r);
    out.set(r.read.name, list);
  }
  return out;
}

/** Outside development branches and build-time values: what a running container reads. */
const atRunTime = (r: ReadRef): boolean => !r.read.devOnly && !r.read.buildTime;
/** Reads of secret-like names, at run time. */
const optionalSecretReads = (reads: ReadRef[]) => readsByName(reads, (r) => atRunTime(r) && isSecretLike(r.read.name));
/** Reads whose default is a loopback URL, at run time. */
const localDefaultReads = (reads: ReadRef[]) => readsByName(reads, (r) => atRunTime(r) && r.read.localDefault !== undefined);
/** Reads that compare their value with a text (`process.env.X === 'true'`). */
const comparedByName = (reads: ReadRef[]) => readsByName(reads, (r) => r.read.comparedWith !== undefined);

/** A name `t` sets that no code of the workspace reads and that is `name` with a word more or
 * less at either end (`DJANGO_SECRET_KEY` or `APP_SECRET_KEY` for `SECRET_KEY`, `SECRET_KEY` for
 * `APP_SECRET_KEY`, `JWT_SECRET_KEY` for `JWT_SECRET`) or spelled nearly as it is
 * (`SLACK_CHANNELS` for `SLACKIN_CHANNELS`): the one such name, when there is exactly one. Names
 * of one word are too common to pair this way. */
function setUnderNearName(t: DeployTarget, name: string, isRead: (name: string) => boolean): string | undefined {
  if (!name.includes('_')) return undefined;
  const candidates = [...t.writes.keys()].filter((w) => nearName(w, name));
  return candidates.length === 1 && !isRead(candidates[0]) ? candidates[0] : undefined;
}

/** A name a live deploy writes that nothing reads, beside a near name the code reads with a
 * default (rules/shared/near-names.ts): information at the write, with the rename as its fix. */
function reportDefaultedNearNames(model: WorkspaceModel, report: (r: Report<'setUnderNearName'>) => void, isRead: (name: string) => boolean): void {
  for (const serviceName of model.readsByService.keys()) {
    for (const t of deployedTargetsOf(model, serviceName)) {
      for (const near of defaultedNearNames(model, t, isRead, OWNED_ELSEWHERE)) {
        const readers = near.readers.filter((r) => readAppliesTo(r, t.environment, model));
        // Written by a deploy that runs: not a script nothing runs, nor a manifest nothing applies.
        const w = near.write;
        if (!readers.length || (w.deploy && (model.variants.has(w.deploy) || model.unapplied.has(w.deploy)))) continue;
        const files = [...new Set(readers.map((r) => r.file))];
        const rename = renameFix(t, near.written, near.name);
        report({
          file: w.file,
          span: w.write.nameSpan,
          key: `near:${t.key}:${near.written}`,
          // On real repositories 2 of 8 were true: the deploy's value was often the code's own
          // default under a longer name (nothing lost), or sat in an env file nothing loads.
          severity: 'info',
          messageId: 'setUnderNearName',
          data: { target: describeTarget(t), other: near.written, name: near.name, readers: listOf(files.map(shortPath)), read: files.length > 1 ? 'read' : 'reads' },
          related: readers.slice(0, 5).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${near.name} read here, with a default` })),
          fixes: rename ? [rename] : [],
        });
      }
    }
  }
}

/** The deploy's `other` takes the name the code reads; the value (a secret reference, a literal)
 * stays as it is. */
function renameFix(t: DeployTarget, other: string, name: string): Fix | undefined {
  const refs = t.writes.get(other) ?? [];
  const edits = uniqueEdits(refs.map((w) => ({ file: w.file, span: w.write.nameSpan, newText: name })));
  if (!edits.length) return undefined;
  return { title: `Rename ${other} to ${name} in ${[...new Set(refs.map((w) => w.file))].join(', ')} (${describeTarget(t)})`, edits, safe: false, preferred: true };
}
