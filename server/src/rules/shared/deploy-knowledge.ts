/** Helpers shared by several rules: platform-provided names with the configuration's own, targets,
 * insertion plans, redaction. The facts themselves live in knowledge/. */
import type { DeployFact, EnvBlock, EnvSwitch, Insertion, Span } from '../../core/facts';
import { DEFAULT_ENVIRONMENT, DEPLOYED_ENVIRONMENTS } from '../../knowledge/environments';
import { isPartialFor, mayHoldPastTemplates, type DeployRef, type DeployTarget, type PartialReason, type WorkspaceModel, type ReadRef } from '../../model/workspace-model';
import type { LinkBasis } from '../../model/services';
import type { LiveDeploy } from '../../model/variant-scripts';
import type { FileWords } from '../../model/file-words';
import { namesFile } from '../../model/program-entries';
import { runsEntryOf } from '../../model/deploy-entries';
import { isSecretLike, looksLikeSecretValue } from '../../knowledge/secrets';
import { renderInsertion, type InsertValue } from '../../fixes/render-entry';
import type { FileEdit } from '../../core/edits';
import { isProvidedByPlatform, runsOnCloudRun, unsetOnPlatform } from '../../knowledge/platform';
import { loadedByPythonTool } from '../../knowledge/python-packages';

export function isPlatformProvided(name: string, model: WorkspaceModel): boolean {
  return isProvidedByPlatform(name) || model.config.runtimeProvided.includes(name);
}

/** A value's shape without the value: `"7SVL…" (86 chars)` is too much; we show only length and class. */
export function redact(value: string): string {
  if (value.length === 0) return 'an empty value';
  const kinds = [/[a-z]/.test(value) && 'lower', /[A-Z]/.test(value) && 'upper', /\d/.test(value) && 'digits', /[^A-Za-z0-9]/.test(value) && 'symbols'].filter(Boolean);
  return `a ${value.length}-char value (${kinds.join('/')})`;
}

/** A literal written to `name`, for messages and hovers: shown as written when neither the name
 * nor the value is secret-like (a project id is not a secret), else only its shape. */
export function describeLiteral(name: string, value: string): string {
  if (isSecretLike(name) || looksLikeSecretValue(value) || value.length > 60 || /[\r\n]/.test(value)) return redact(value);
  return value.length === 0 ? 'an empty value' : `"${value}"`;
}

/** `GOOGLE_OAUTH_CLIENT_SECRET_STAGING` → `GOOGLE_OAUTH_CLIENT_SECRET`: the environment token is
 * part of a secret's naming pattern, not of the variable. */
export function withoutEnvironmentSuffix(name: string, model: WorkspaceModel): string {
  return nameEnvironment(name, model) ? name.slice(0, name.lastIndexOf('_')) : name;
}

const kebab = (s: string): string => s.toLowerCase().replace(/_/g, '-');

/** The suffix a secret's name takes for an environment (`-staging`); none for the default
 * environment, which no project names its secrets by (`jwt-secret`, not `jwt-secret-default`). */
export function secretSuffix(environment: string): string {
  return environment === DEFAULT_ENVIRONMENT ? '' : `-${environment}`;
}

/** The kebab-case secret name a project's convention gives a variable (`SERVICE_SECRET` →
 * `service-secret-staging`; `X_SECRET_STAGING` → `x-secret-staging`, never `…-staging-staging`). */
export function conventionalSecretName(name: string, environment: string, target: DeployTarget | undefined, model: WorkspaceModel): string {
  // Follow the target's own secrets: if they end with `-staging`, so does the new one.
  const existing = target ? [...target.writes.values()].flat().map((w) => w.write.value).filter((v) => v.kind === 'secret') : [];
  const suffix = secretSuffix(environment);
  const usesSuffix = suffix !== '' && (existing.length === 0 || existing.some((v) => v.kind === 'secret' && v.secret.endsWith(suffix)));
  return kebab(withoutEnvironmentSuffix(name, model)) + (usesSuffix ? suffix : '');
}

export interface InsertPlan {
  file: string;
  insertion: Insertion;
  kind: 'env' | 'secrets';
}

/** The target's deploys, those that create the service before those that amend it
 * (`gcloud run services update`): a variable missing belongs where the service is created. */
function creatingFirst(deploys: DeployTarget['deploys']): DeployTarget['deploys'] {
  return [...deploys.filter((d) => !d.deploy.amends), ...deploys.filter((d) => d.deploy.amends)];
}

/**
 * The target's deploys split in two: those of its home resource first, then the rest. The home
 * is the Cloud Run resource (by deployed name) of the first deploy that sets variables. Most
 * targets deploy one resource; several jobs of one image (`job-sync-a`, `job-sync-b`) are one
 * target, but each holds its own variables, so a finding and its fix stay with the home job
 * rather than borrow another job's secrets flag. A name not resolved to a value is taken for the
 * home's: it may well be the same resource written another way.
 */
function byResource(target: DeployTarget): DeployTarget['deploys'][] {
  const deploys = creatingFirst(target.deploys);
  const home = deploys.find((d) => d.deploy.blocks.some((b) => b.kind === 'env')) ?? deploys[0];
  const homeName = home?.deploy.service?.value?.trim();
  const elsewhere = (d: DeployRef) => {
    const name = d.deploy.service?.value?.trim();
    return !!homeName && !!name && name !== homeName;
  };
  const rest = deploys.filter(elsewhere);
  return rest.length ? [deploys.filter((d) => !elsewhere(d)), rest] : [deploys];
}

function blocksOf(deploys: DeployTarget['deploys']): { file: string; block: EnvBlock }[] {
  const blocks: { file: string; block: EnvBlock }[] = [];
  for (const d of deploys) for (const b of d.deploy.blocks) blocks.push({ file: d.file, block: b });
  return blocks;
}

/** A `set` block of `kind` first, then any block of that kind. */
function blocksOfKind(deploys: DeployTarget['deploys'], kind: 'env' | 'secrets'): { file: string; block: EnvBlock }[] {
  const blocks = blocksOf(deploys);
  return [...blocks.filter((b) => b.block.kind === kind && b.block.mode === 'set'), ...blocks.filter((b) => b.block.kind === kind && b.block.mode !== 'set')];
}

/**
 * Where a new variable goes in a target, resource by resource (`byResource`): an existing `set`
 * block of the right kind, then any block of that kind, then a new flag/list on the deploy.
 */
export function insertionsFor(target: DeployTarget, kind: 'env' | 'secrets'): InsertPlan[] {
  const plans: InsertPlan[] = [];
  byResource(target).forEach((deploys, i) => {
    const blocks = blocksOf(deploys);
    for (const b of blocksOfKind(deploys, kind)) if (b.block.insert) plans.push({ file: b.file, insertion: b.block.insert, kind });
    // A file the deploy names (`--env-vars-file`) holds its variables, and gcloud refuses
    // `--update-env-vars` beside it: a new variable goes into the file.
    if (kind === 'env' && i === 0) for (const ef of target.envFiles) if (ef.referenced && ef.block.insert) plans.push({ file: ef.file, insertion: ef.block.insert, kind });
    for (const d of deploys) {
      if (kind === 'env' && d.deploy.envFiles.length > 0) continue; // the file is the place, seen or not
      const ins = kind === 'env' ? d.deploy.newEnvBlock : d.deploy.newSecretBlock;
      if (ins && !blocks.some((b) => b.file === d.file && b.block.kind === kind && b.block.insert)) plans.push({ file: d.file, insertion: ins, kind });
    }
  });
  if (plans.length === 0) {
    for (const ef of target.envFiles) if (ef.block.insert && kind === 'env' && !ef.referenced) plans.push({ file: ef.file, insertion: ef.block.insert, kind });
  }
  return plans;
}

/** One edit adding `name` to the target with the first value its container can hold, or
 * undefined when no container can take any of them. */
export function addVariableEdit(target: DeployTarget, name: string, values: InsertValue[]): { edit: FileEdit; value: InsertValue; shared?: string } | undefined {
  for (const value of values) {
    const kind = value.kind === 'secret' ? 'secrets' : 'env';
    for (const plan of insertionsFor(target, kind)) {
      if (value.kind === 'expression' && value.file !== undefined && value.file !== plan.file) continue;
      const text = renderInsertion(plan.insertion, name, value);
      if (text !== undefined) return { edit: { file: plan.file, span: { start: plan.insertion.offset, end: plan.insertion.offset }, newText: text }, value, shared: sharedNote(plan.insertion) };
    }
  }
  return undefined;
}

/** One edit adding `name` to one deploy of a target (not wherever the target's first block is):
 * its block of `kind`, else a new flag for it; the first value that block can hold. */
export function addToDeployEdit(d: { file: string; deploy: DeployFact }, kind: 'env' | 'secrets', name: string, values: InsertValue[]): { edit: FileEdit; value: InsertValue; shared?: string } | undefined {
  const ordered = [...d.deploy.blocks.filter((b) => b.kind === kind && b.mode === 'set'), ...d.deploy.blocks.filter((b) => b.kind === kind && b.mode !== 'set')];
  // A secret reference can also go into an env list that holds them (a manifest's `secretKeyRef`).
  const envLists = kind === 'secrets' ? d.deploy.blocks.filter((b) => b.kind === 'env').map((b) => b.insert) : [];
  const insertions = [...ordered.map((b) => b.insert), kind === 'env' ? d.deploy.newEnvBlock : d.deploy.newSecretBlock, ...envLists]
    .filter((i): i is Insertion => !!i);
  for (const value of values) {
    for (const insertion of insertions) {
      const text = renderInsertion(insertion, name, value);
      if (text !== undefined) return { edit: { file: d.file, span: { start: insertion.offset, end: insertion.offset }, newText: text }, value, shared: sharedNote(insertion) };
    }
  }
  return undefined;
}

/** A title's note when the insertion also changes other deploys (a Terraform `for_each`'s other
 * instances): such a fix changes more than the finding is about, so it is offered, not safe. */
export function sharedNote(insertion: Insertion): string | undefined {
  const others = insertion.sharedWith?.others;
  if (!others?.length) return undefined;
  const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
  return ` (also adds it to ${shown}: ${insertion.sharedWith!.why})`;
}


/** What a finding about a block points at: the key that owns it (`env:`, `--set-env-vars`,
 * `environment_vars=`), never the whole list; the list's first character when no key is known. */
export function blockKey(block: EnvBlock): Span {
  return block.keySpan ?? { start: block.span.start, end: Math.min(block.span.end, block.span.start + 1) };
}

/** Where a finding about one deploy is shown: the key of its `set` block of `kind` (where the
 * entry goes), else of any `set` block, else of its first block, else its deployed name. */
export function deployAnchor(d: { deploy: DeployFact }, kind: 'env' | 'secrets'): Span {
  const { blocks } = d.deploy;
  const block = blocks.find((b) => b.kind === kind && b.mode === 'set') ?? blocks.find((b) => b.mode === 'set') ?? blocks[0];
  return block ? blockKey(block) : d.deploy.service?.span ?? { start: d.deploy.span.start, end: d.deploy.span.start };
}

/** The related location of a finding at a leftover deploy script or manifest
 * (model/variant-scripts.ts): the deploy of the same service that runs. */
export function liveRelated(live: LiveDeploy): { file: string; span: Span; message: string } {
  return { file: live.file, span: deployAnchor(live, 'env'), message: `${live.deploy.service?.value ?? 'the service'} is deployed here, by a file that runs` };
}

/** Where a target is shown: the key of its first env block, else its deployed name, else the
 * start of its first deploy (an editor widens an empty range to the word there). */
export function targetAnchor(target: DeployTarget): { file: string; span: Span } {
  for (const d of target.deploys) {
    const env = d.deploy.blocks.find((b) => b.kind === 'env');
    if (env) return { file: d.file, span: blockKey(env) };
  }
  for (const d of target.deploys) if (d.deploy.service) return { file: d.file, span: d.deploy.service.span };
  const d = target.deploys[0];
  if (d) return { file: d.file, span: { start: d.deploy.span.start, end: d.deploy.span.start } };
  const f = target.envFiles[0];
  return { file: f.file, span: blockKey(f.block) };
}

/** Deploy targets of a service in environments a rollout depends on. */
export function deployedTargetsOf(model: WorkspaceModel, serviceName: string): DeployTarget[] {
  return model.targets.filter((t) => t.service?.name === serviceName && DEPLOYED_ENVIRONMENTS.has(t.environment));
}

/** A read applies to an environment unless it sits in another environment's branch (or in the
 * `else` of this one's), is required only in another environment, or its name carries another
 * environment's suffix (`X_PRODUCTION` read for staging is not a need). */
export function readAppliesTo(ref: ReadRef, environment: string, model: WorkspaceModel): boolean {
  if (ref.read.inEnvironment && ref.read.inEnvironment !== environment) return false;
  if (ref.read.requiredIn && !ref.read.requiredIn.includes(environment)) return false;
  if (ref.read.notInEnvironments?.includes(environment)) return false;
  const suffixEnv = nameEnvironment(ref.read.name, model);
  return !suffixEnv || suffixEnv === environment;
}

/** A read applies to a deploy target when it applies to the target's environment and the
 * target can run it: see `switchesAllow` and `entryAllows`. */
export function readRunsFor(ref: ReadRef, target: DeployTarget, model: WorkspaceModel): boolean {
  return readAppliesTo(ref, target.environment, model) && switchesAllow(ref, target, model) && entryAllows(ref, target, model) && loadedFor(ref, target, model) &&
    (!ref.read.writesBack || readElsewhereFor(ref, target, model));
}

/** A write-back of a secret's placeholder (`EnvRead.writesBack`) uses nothing itself: it matters
 * only when other code of the service that the target loads reads the name, required or not (an
 * optional reader then runs on the placeholder). With none (the one reader sits in a module no
 * program loads), nothing takes the value. */
function readElsewhereFor(ref: ReadRef, target: DeployTarget, model: WorkspaceModel): boolean {
  const name = ref.read.name;
  const reads = ref.service ? model.readsByService.get(ref.service.name) ?? [] : model.reads;
  return reads.some((r) => r.read.name === name && !r.read.writesBack && !r.isTest && loadedFor(r, target, model));
}

/** A read in a module of the service that no program the target's images start loads (no import
 * chain from `node dist/server.js`'s source, or from `uvicorn app.main:app`'s module, reaches it),
 * or a module of one language where the program is of the other, or in a function of a loaded
 * module that nothing in the workspace names (model/uncalled-functions.ts): not the target's.
 * Only where every deploy's program is known and its imports are all understood. */
export function loadedFor(ref: ReadRef, target: DeployTarget, model: WorkspaceModel): boolean {
  // The program is the target's service's, from its folder (a library its image copies in beside
  // it is no program of its own: `packages/core/src/index.ts` must not stand for `dist/index.js`).
  // In a function nothing names, of a module the service's other code uses
  // (model/uncalled-functions.ts): never called, whether the program is known or not.
  const fn = ref.read.inUnnamedFunction;
  if (fn && model.callers.uncalled(ref.read, ref.file) && (model.callers.inUse(ref.file, fn, ref.service?.root) || model.callers.hasOtherModules(ref.file, ref.service?.root))) return false;
  const root = target.service?.root ?? ref.service?.root;
  const kind = model.files.get(ref.file)?.kind;
  if (root === undefined || target.deploys.length === 0 || (kind !== 'typescript' && kind !== 'python')) return true;
  if (kind === 'python' && loadedByPythonTool(ref.file)) return true;
  // A module outside the service's folder (copied in beside it) is the target's only where a
  // program of its images is seen to load it, or may.
  const outsideRoot = root !== '' && !ref.file.startsWith(`${root}/`);
  for (const d of target.deploys) {
    // A module its image never receives (the Dockerfile copies `scrapers/` and `prisma/` only).
    if (d.ships && !d.ships.some((p) => ref.file === p || ref.file.startsWith(`${p}/`))) continue;
    if (!d.runs?.length || (d.runsGuessed && outsideRoot)) {
      if (outsideRoot) continue;
      return true;
    }
    // The paths a command may name (as written, and where the image's copies bring it from): the
    // ones naming a module of the workspace are the program.
    const [own, other] = kind === 'python' ? [model.pythonModules, model.modules] : [model.modules, model.pythonModules];
    const loaded = own.loadedBy(d.runs, root);
    // Loaded, in a function nothing in the workspace names: never called. Asked only of a module
    // a known program loads: elsewhere (a library, code started from outside the workspace) the
    // callers may be out of sight.
    if (loaded?.has(ref.file)) {
      if (model.callers.uncalled(ref.read, ref.file)) continue;
      return true;
    }
    // A program of the other language, followed to the end (a Node server's image), loads none of
    // this one's modules.
    if (!loaded && !other.loadedBy(d.runs, root)) return true;
  }
  return false;
}

/** A read in a file some deploy runs instead of its image's command (a worker sharing an API's
 * image) runs only for targets deployed that way; one in the program another image starts, only
 * for targets deploying that image. A target deployed only that way runs its entry file and the
 * modules it imports, where the import chain is understood (`ProgramGraph.loadedBy`); elsewhere
 * only the entry's reads count. */
function entryAllows(ref: ReadRef, target: DeployTarget, model: WorkspaceModel): boolean {
  // The program another image starts (`CMD uvicorn app.api.main:app` in Dockerfile.api), where
  // every deploy of the target runs an image known to start something else: not this target's.
  if (target.deploys.length > 0 && model.isImageEntry(ref.file) &&
    target.deploys.every((d) => d.runs && !d.runsGuessed && !d.runs.some((p) => namesFile(ref.file, p)))) return false;
  const runners = model.entryFiles.get(ref.file);
  const runsEntry = !!runners && target.deploys.some((d) => runsEntryOf(runners, d));
  if (target.deploys.length > 0 && target.deploys.every((d) => d.deploy.entry || d.deploy.command || d.perExecution)) return runsEntry || entryLoads(ref, target, model);
  return !runners || runsEntry;
}

/** An entry file one of the target's deploys runs imports `ref`'s module, through imports all
 * understood (`uvicorn valerie.worker.executor:app` loading `valerie/core/settings.py`). */
function entryLoads(ref: ReadRef, target: DeployTarget, model: WorkspaceModel): boolean {
  const kind = model.files.get(ref.file)?.kind;
  const graph = kind === 'python' ? model.pythonModules : kind === 'typescript' ? model.modules : undefined;
  if (!graph) return false;
  const root = target.service?.root ?? ref.service?.root ?? '';
  for (const [file, deploys] of model.entryFiles) {
    if (target.deploys.some((d) => runsEntryOf(deploys, d)) && graph.loadedBy([file], root)?.has(ref.file)) return true;
  }
  return false;
}

/** The first presence test a read depends on that the target decides the other way
 * (`EnvRead.onlyWhen`): it sets a variable the read needs unset (the instance name that selects
 * the managed database, so the local branch never runs), or visibly lacks one the read needs set
 * (a feature switch it does not turn on), or sets to another value than the one a value switch
 * needs (`STORAGE=local` for a read under `STORAGE === 'gcs'`; unset, the code's own fallback
 * decides, and it is never that value). An environment the workspace cannot see whole (a deploy
 * keeping earlier variables, an unreadable flag, variables loaded at start-up, a per-run value)
 * may hold either, so it contradicts nothing. */
export function contradictedSwitch(ref: ReadRef, target: DeployTarget, model: WorkspaceModel): EnvSwitch | undefined {
  const switches = ref.read.onlyWhen;
  if (!switches?.length || target.loadsEnv.length) return undefined;
  return switches.find((s) => {
    if (model.runEnv.has(s.name)) return false;
    const writes = target.writes.get(s.name) ?? [];
    // An empty literal is unset to a truth test and set to `in`, and a value taken from the
    // deploying shell (compose `- KEY`) may be absent: neither decides the switch either way.
    const platformSets = platformSetsIn(s.name, target, model);
    const sets = writes.some((w) => w.write.value.kind !== 'inherited' && !(w.write.value.kind === 'literal' && w.write.value.value === '')) || platformSets;
    if (!s.set) return sets;
    // A value switch (`STORAGE === 'gcs'`) is also decided by a deploy setting another literal.
    if (s.equals !== undefined && writes.length > 0) {
      // Compared loosely: code often lower-cases the value before comparing it.
      const other = (v: string): boolean => v.trim().toLowerCase() !== s.equals!.trim().toLowerCase();
      return writes.every((w) => w.write.value.kind === 'literal' && !w.write.value.substitution && other(w.write.value.value));
    }
    // Unset, the code takes the value the read needs (`case 'custom':` of `A || 'custom'`).
    if (s.orUnset) return false;
    // A variable Cloud Run sets elsewhere but never here (`K_SERVICE` in a job) is unset like any other.
    const platformUnset = platformUnsetIn(s.name, target);
    return writes.length === 0 && (platformUnset || !isPlatformProvided(s.name, model)) && !mayHoldPastTemplates(target, s.name) && !imageSets(target, s.name);
  });
}

/** Every deploy of the target runs on Cloud Run, which gives each of its containers `name`
 * (`K_SERVICE` in a service, `CLOUD_RUN_JOB` in a job; process basics everywhere). */
function platformSetsIn(name: string, target: DeployTarget, model: WorkspaceModel): boolean {
  return isPlatformProvided(name, model) && target.deploys.length > 0 &&
    target.deploys.every((d) => runsOnCloudRun(d.deploy.platform) && !unsetOnPlatform(name, d.deploy.platform));
}

/** Every deploy of the target runs where Cloud Run never sets `name`, though it sets it elsewhere
 * (`K_SERVICE` for a job, `CLOUD_RUN_JOB` for a service). */
export function platformUnsetIn(name: string, target: DeployTarget): boolean {
  return target.deploys.length > 0 && target.deploys.every((d) => unsetOnPlatform(name, d.deploy.platform));
}

/** Every deploy of the target runs an image whose Dockerfile sets `name` itself (`ENV NODE_ENV=production`
 * in its last stage): the container has it, whatever the deploys leave out. */
export function imageSets(t: DeployTarget, name: string): boolean {
  return t.deploys.length > 0 && t.deploys.every((d) => d.imageEnv?.includes(name));
}

/** Whether the target can run the read, as far as the presence tests around it go. */
export function switchesAllow(ref: ReadRef, target: DeployTarget, model: WorkspaceModel): boolean {
  return contradictedSwitch(ref, target, model) === undefined;
}

/** `GOOGLE_OAUTH_CLIENT_ID_STAGING` → staging. */
export function nameEnvironment(name: string, model: WorkspaceModel): string | undefined {
  const last = name.split('_').pop() ?? '';
  return name.includes('_') ? model.environments.normalize(last) : undefined;
}

/** The target's project as values its deploy file can hold, best first (`$PROJECT_ID`, then
 * the literal it resolves to). Empty when the project is unknown. */
export function projectValues(target: DeployTarget): InsertValue[] {
  const p = target.project?.resolved;
  if (!p) return [];
  const out: InsertValue[] = [];
  if (p.text && p.text !== p.value) {
    // The script's own variable, as the author writes it elsewhere: `${PROJECT_ID}` in a shell
    // script (braced, so a following character cannot join the name), as written in Python or
    // Cloud Build. It means something only in the file that holds it.
    const via = target.deploys.find((d) => d.file === target.project!.file)?.deploy.via;
    const shellVar = via === 'shell' || via === 'powershell' || via === 'github-actions' ? /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(p.text) : null;
    out.push({ kind: 'expression', text: shellVar ? `\${${shellVar[1]}}` : p.text, file: target.project!.file });
  }
  if (p.value !== undefined) out.push({ kind: 'literal', value: p.value });
  return out;
}

/** Reads that express a deploy requirement: not in tests, not dev-only, not defaulted, not
 * inlined by a build (a `VITE_*` value comes from `--build-arg`, never from the runtime deploy). */
export function requiredReads(reads: ReadRef[] | undefined): ReadRef[] {
  return (reads ?? []).filter((r) => !r.isTest && !r.read.devOnly && !r.read.hasDefault && !r.read.buildTime);
}

/** The target's service as people call it: its name, else the deployed name as written (a
 * deployed name that is only an environment, `staging`, leaves no service name), else the file. */
export function serviceLabel(t: DeployTarget): string {
  if (t.serviceName.trim()) return t.serviceName;
  const named = t.deploys.map((d) => (d.deploy.service?.value ?? d.deploy.service?.text ?? '').trim()).find((n) => n);
  if (named) return named;
  const file = t.deploys[0]?.file ?? t.envFiles[0]?.file ?? '';
  return `the service of ${file.split('/').pop()}`;
}

export function describeTarget(t: DeployTarget): string {
  return `${serviceLabel(t)} (${t.environment})`;
}

/** Where a new variable of `kind` lands in a target, for a finding's location: the key of the
 * block a fix edits (the home resource's first, a `set` block of that kind first, as
 * `insertionsFor` orders them), else the home's deploy when the fix gives it a new flag, else
 * `targetAnchor`. */
export function blockAnchor(target: DeployTarget, kind: 'env' | 'secrets'): { file: string; span: Span } {
  const groups = byResource(target);
  for (const deploys of groups) {
    const b = blocksOfKind(deploys, kind)[0];
    if (b) return { file: b.file, span: blockKey(b.block) };
    // The fix gives this resource a new flag: the finding stays on its deploy.
    if (groups.length > 1 && deploys.some((d) => (kind === 'env' ? d.deploy.newEnvBlock : d.deploy.newSecretBlock))) return targetAnchor({ ...target, deploys });
  }
  return targetAnchor(target);
}

/**
 * How sure a finding about `name` missing from `target` can be, and why not, for its severity
 * and its message: `partial` when the target may hold the name without its deploys showing it
 * (`adds`: a deploy only adds to what the service has; `unreadable`: part of its environment
 * could not be read), `inferred` when the deploys were linked to the service by a guess (the
 * deployed name alone, or being the only service).
 */
export interface Certainty {
  partial?: 'adds' | 'unreadable';
  /** With `adds`: what the deploys keep that may hold the name — `secrets` when only a secrets
   * flag adds (`--update-secrets` beside a `--set-env-vars` that replaces the variables). */
  keeps?: 'variables' | 'secrets';
  /** With `unreadable`: the deploy file whose list could not be read (the first one), for messages. */
  unreadableIn?: string;
  /** With `unreadable`: the list there is read, but merged with this value not written out (`var.env_vars`). */
  mergedWith?: string;
  inferred: boolean;
  /** How an inferred link was made, for messages: `by name`, `as the only service`… */
  linkedBy: string;
  /** Every deploy only swaps the image and nothing in the workspace sets anything for the target. */
  imageOnly: boolean;
  /** Every deploy of the target passes an env or secrets list we could not read (built in a loop,
   * taken from a variable, an env-vars file whose path is made at run time): any name may be in
   * it, so a missing one is not worth a word. Also where the lists we could not read are built by
   * files that name the variable (`certaintyOf`'s `words`). */
  unknowable: boolean;
}

/** The deploy sets its variables only from an env-vars file whose path we cannot resolve
 * (`--env-vars-file str(env_path)`, written at run time): any name may be in it. */
function envUnseen(d: DeployFact): boolean {
  return d.envFiles.some((ef) => ef.value === undefined) && !d.blocks.some((b) => b.kind === 'env' && b.entries.length > 0);
}

/** The deploy sets its variables only from env-vars files the workspace does not hold (a
 * `.env.yaml` kept out of the repository): any name may be in them. */
function envFilesUnread(target: DeployTarget, d: DeployRef): boolean {
  const fact = d.deploy;
  if (!fact.envFiles.length || fact.blocks.some((b) => b.kind === 'env' && b.entries.length > 0)) return false;
  return fact.envFiles.every((ef) => ef.value === undefined || target.partial.some((p) => p.file === d.file && p.envFile === ef.value));
}

/**
 * @param words whether a deploy file may hold the name as a word (`WorkspaceModel.words`): a
 * list we cannot read, built by a file that names the variable (`add_secret SIGNING_KEY
 * ledger-key` appending to `$SECRETS`), may well hold it, so its absence is not worth a word; a
 * name the file never writes can only come from outside it (a CI secret holding the whole list).
 */
export function certaintyOf(target: DeployTarget, name: string, words?: Pick<FileWords, 'mayHold'>): Certainty {
  const inferred = target.deploys.length > 0 && target.deploys.every((d) => d.certainty === 'inferred');
  const linkedBy = linkedByOf(target);
  const image = imageOnly(target);
  // A list we cannot read may hold any name. Deploys that replace nothing the name could be in
  // (`--update-env-vars`, an image swap, `--set-secrets` for a plain name) keep what it set, so
  // only the deploys that replace it must all be unreadable.
  const hidden = (d: DeployRef): boolean => !!d.deploy.opaque || !!d.envBuiltElsewhere || envUnseen(d.deploy) || envFilesUnread(target, d);
  const replaces = (d: DeployRef): boolean =>
    d.deploy.envFiles.length > 0 || d.deploy.blocks.some((b) => b.mode === 'set' && (b.kind === 'env' || isSecretLike(name)));
  const unknowable = target.deploys.some(hidden) && target.deploys.every((d) => hidden(d) || !replaces(d));
  if (!isPartialFor(target, name)) return { inferred, linkedBy, imageOnly: image, unknowable };
  // An update run apart (`services update --env-vars-file env.yaml` in a script of its own) whose
  // list is unseen: a full deploy in another file that replaces the variables with a list we read
  // removes whatever it set, every time it runs. It hedges nothing.
  const wholeElsewhere = (file: string): boolean => target.deploys.some((d) => d.file !== file && !d.deploy.amends && !d.deploy.opaque &&
    !d.deploy.envFiles.length && d.deploy.blocks.some((b) => b.kind === 'env' && b.mode === 'set' && b.entries.length > 0));
  const updateApart = (p: PartialReason): boolean => !!p.envFile && target.deploys.filter((d) => d.file === p.file).every((d) => d.deploy.amends) && wholeElsewhere(p.file);
  const relevantAll = target.partial.filter((p) => !p.kind || p.kind === 'env' || isSecretLike(name));
  const relevant = relevantAll.filter((p) => !updateApart(p));
  if (relevantAll.length && !relevant.length) return { inferred, linkedBy, imageOnly: image, unknowable };
  const unreads = relevant.filter((p) => !p.kind || p.unread);
  const unread = unreads[0];
  if (unread) {
    const named = !!words && unreads.every((p) => words.mayHold(p.file, name));
    return { partial: 'unreadable', unreadableIn: unread.file, ...(unread.merged ? { mergedWith: unread.merged } : {}), inferred, linkedBy, imageOnly: image, unknowable: unknowable || named };
  }
  const keeps = relevant.every((p) => p.kind === 'secrets') ? 'secrets' : 'variables';
  return { partial: 'adds', keeps, inferred, linkedBy, imageOnly: image, unknowable };
}

const LINKED_BY: Record<LinkBasis, string> = {
  'name': 'by name',
  'folder': 'by the folder it sits in',
  'twin': 'through another deploy of the same service',
  'only-service': 'as the only service',
  'missing-dockerfile': 'through its build context, the Dockerfile it names being missing',
};

/** The words for what a target's inferred links go by: one basis named, several "by inference". */
function linkedByOf(target: DeployTarget): string {
  const bases = new Set(target.deploys.map((d) => d.basis));
  const [only] = bases;
  return bases.size === 1 && only ? LINKED_BY[only] : 'by inference';
}

/**
 * Every deploy of the target only swaps the code (`gcloud run deploy --image …` with no variable,
 * secret or env-file flag) and nothing in the workspace sets anything for it: its variables are
 * managed elsewhere (the console, a script outside the repository) or nowhere, and the workspace
 * cannot tell which. A finding about a variable it lacks is information, never a warning: on real
 * repositories most were variables set in the console, and a few were real misses.
 */
function imageOnly(t: DeployTarget): boolean {
  return t.writes.size === 0 && t.deploys.length > 0 &&
    t.deploys.every((d) => d.deploy.blocks.length === 0 && d.deploy.envFiles.length === 0 && !d.deploy.opaque &&
      runsOnCloudRun(d.deploy.platform));
}

/**
 * The other deployed targets of the workspace that set `name` (a variable or a secret). For a
 * target whose deploys only swap the image, this is what makes a missing name worth a word: the
 * repository manages that variable in its deploys, and this one does not give it. A name no
 * deploy here sets is configured by hand on every service or nowhere, and the workspace cannot
 * tell which (on real repositories it was the console, every time).
 */
export function othersSetting(model: WorkspaceModel, target: DeployTarget, name: string): DeployTarget[] {
  // A job (a migration run with the service's image) sets what its one run needs: it says nothing
  // of what a service keeps from earlier deploys.
  const jobOnly = (t: DeployTarget): boolean => t.deploys.every((d) => d.deploy.platform === 'cloud-run-job');
  const service = !jobOnly(target);
  return model.targets.filter((t) => t !== target && t.deploys.length > 0 && DEPLOYED_ENVIRONMENTS.has(t.environment) && t.writes.has(name) && !(service && jobOnly(t)));
}

/** A path short enough for a one-line message: as written up to 40 characters, else its last
 * two segments (the related location has the whole path). */
export function shortPath(file: string): string {
  if (file.length <= 40) return file;
  const parts = file.split('/');
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : file;
}

/** Targets for a one-line message, one service once: `api (staging, production) and web (staging)`. */
export function describeTargets(ts: DeployTarget[]): string {
  const envs = new Map<string, string[]>();
  for (const t of ts) {
    const label = serviceLabel(t);
    const list = envs.get(label);
    if (list) { if (!list.includes(t.environment)) list.push(t.environment); } else envs.set(label, [t.environment]);
  }
  return listOf([...envs].map(([label, e]) => `${label} (${e.join(', ')})`));
}

/** Up to two items as a list (`a and b`), more as the first and a count (`a and 2 more`). */
export function listOf(items: string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items[0]} and ${items.length - 1} more`;
}
