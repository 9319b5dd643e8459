/**
 * The workspace model: which service reads which variable, and which deploy target (service ×
 * environment) sets which variable, with every fact's file and span. Built from facts alone —
 * rebuilding it costs time proportional to the facts, not to the files, so the language server
 * rebuilds it on every edit.
 */
import * as path from 'node:path';
import { operatorModules } from './operator-modules';
import { hasProgramName, isRouteFile } from '../knowledge/called-by-convention';
import { toolOnlyFiles } from './tool-scripts';
import { imageEntries, programEntries, type RunsAsProgram } from './program-entries';
import { strayPrograms } from './stray-programs';
import { WorkspacePackages } from './workspace-packages';
import { FileWords, WordHolders } from './file-words';
import { PrismaClients } from './prisma-clients';
import { ModuleGraph } from './module-graph';
import { PythonModuleGraph } from './python-module-graph';
import { envTemplateOf, type EnvTemplate } from './env-templates';
import { inactiveFolder, inExamplesOf, isKeptCopy } from '../knowledge/inactive-paths';
import { runsOutsideService, type DeployFact, type EnvBlock, type EnvLoadFact, type EnvRead, type EnvWrite, type FileFacts, type Resolved, type DbUrlFact, type RunEnvFact, type Span } from '../core/facts';
import type { Config } from '../core/config';
import { DEFAULT_ENVIRONMENT, environmentNames, isLocalEnvironment, isTemplateEnvFile, nameTokens, type EnvironmentNames } from '../knowledge/environments';
import { CodeListens } from './code-listen';
import { AuthJsReads } from './auth-js-reads';
import { ServiceIndex, type Layout, type LinkBasis, type LinkCertainty, type Service, type ServiceLink } from './services';
import { notDeployedEnvironments, type LinkedDeploy } from './deploy-roles';
import { unappliedManifests } from './applied-manifests';
import { untriggeredBuilds } from './build-triggers';
import { leftoverDeploys, type LiveDeploy } from './variant-scripts';
import { FunctionCallers } from './uncalled-functions';
import { setInCode } from './code-defaults';
import { namesEnvironment, settingsModuleName } from '../knowledge/environments';
import { isSecretLike } from '../knowledge/secrets';
import type { DeployedState } from '../core/deployed';
import { TerraformModules, type TerraformView } from './terraform';
import { workspaceDeploys } from './workflow-calls';
import { manifestEnvironments, type EnvironmentLink } from './environment-links';
import { runsOnCloudRun } from '../knowledge/platform';
import { CheckedReads } from './checked-reads';
import { InlinedReads } from './inlined-reads';
import { PassedReads } from './passed-reads';
import { ImportedAccessors } from './imported-accessors';
import { GetterCallers } from './getter-callers';
import { SwitchedCallers } from './switched-callers';
import { SchemaFieldUses } from './schema-field-uses';
import { StoredFields } from './stored-fields';
import { candidatesFor, type ImageFacts } from './shipped-code';
import { deployEntries, withKeptEntries, type EntryFiles } from './deploy-entries';
import { codeReachedOutside } from './program-reach';
import { programFile, programTargets, type ProgramTargets } from './program-targets';
import { isCodeFile } from '../knowledge/code-roots';

export interface WriteRef {
  write: EnvWrite;
  block: EnvBlock;
  file: string;
  deploy?: DeployFact;
  /** Set when the write belongs to a deploy target (or a dotenv file attached to one). */
  target?: DeployTarget;
  environment?: string;
  serviceName?: string;
}

export interface ReadRef {
  read: EnvRead;
  file: string;
  service?: Service;
  /** Not the service's own code: a test, test tooling, an operator script (`FileFacts.isScript`, or a
   * module only such code loads), a tool's configuration (`FileFacts.isToolConfig`) or code another
   * platform runs (`FileFacts.runsElsewhere`). */
  isTest: boolean;
  /** The value is kept in a settings field nothing names (model/stored-fields.ts): it reaches no
   * code, whatever it holds. */
  storedUnused?: true;
}

/** A deploy gcloud refuses because the env-vars file it passes (`written`, on the command) is in
 * dotenv syntax (`NAME=value` lines: `FileFacts.dotenvSyntax`) where gcloud reads YAML. */
export interface EnvFileRefusal {
  file: string;
  deploy: DeployFact;
  written: Resolved;
  /** The workspace file it names. */
  envFile: string;
}

export interface DeployRef {
  file: string;
  deploy: DeployFact;
  /** Why this deploy was linked to its service and environment. */
  evidence: string[];
  /** How sure the link to the service is (a deployed name alone is a guess). */
  certainty: LinkCertainty;
  /** What an inferred link goes by. */
  basis?: LinkBasis;
  /** The programs its image starts (paths as the Dockerfile names them), when the workspace shows
   * which Dockerfile builds it and the deploy runs the image's own command. */
  runs?: string[];
  /** `runs` is the program of the one Dockerfile of the service's folder, the image's build not
   * seen (`ServiceIndex.soleDockerfileImage`): it says which of the service's own modules load,
   * never that code outside its folder is in the image, nor which other image's entry it is not. */
  runsGuessed?: true;
  /** The workspace paths its image's Dockerfile copies in (`ImageFacts.ships`), where known: a
   * module outside them is not in the container. */
  ships?: string[];
  /** The names its image sets itself (`ENV` in the Dockerfile's last stage), when the workspace
   * shows which Dockerfile builds it: the container has them whatever the deploy leaves out. */
  imageEnv?: string[];
  /** The Dockerfile that sets `imageEnv` (its `DockerfileFact.envValues` hold the values). */
  imageEnvFrom?: string;
  /** A service whose image starts a server on a fixed port (`uvicorn … --port 8000`), where the
   * deploy gives the container no command of its own: the Dockerfile (or the entrypoint script the
   * image runs) and what its command says. */
  listens?: { file: string; port: string; server: string; span: Span;
    /** Said by the service's entry module (`app.listen(3000)`, then `file`), not by the image's
     * command (the Dockerfile, then `file`). */
    inCode?: true;
    /** Said by the start script the image's command runs (then `file`). */
    viaScript?: true;
    /** The image's build is not seen: every Dockerfile of the service's folder says this port. */
    guessed?: true };
  /** A service whose image (its build seen) runs background work only (`celery … worker`), where
   * the deploy gives no command of its own: nothing answers Cloud Run's requests. */
  servesNothing?: { file: string; program: string; span: Span;
    /** The deploy's value that takes the image's start script to the program (`PROCESS_TYPE=worker`). */
    when?: string };
  /** A job whose image's command is an interpreter alone (`ENTRYPOINT ["python"]`) and that gives
   * none of its own: each execution names the program, so, as for a job's own `command`, none of
   * the service's reads is asked of it. The interpreter. */
  perExecution?: string;
  /** What else builds its env, unseen (a Kubernetes manifest kustomize patches): like an opaque
   * list, it may hold any name. */
  envBuiltElsewhere?: string;
}

export interface DeployTarget {
  key: string;
  /** The code root deployed, when one could be linked. */
  service?: Service;
  /** The service's name, or the deployed name when no code root was linked. */
  serviceName: string;
  environment: string;
  deploys: DeployRef[];
  /** Dotenv / env-vars files feeding the target (referenced by a deploy, or a `.env.<env>` in its root). */
  envFiles: { file: string; block: EnvBlock; referenced: boolean }[];
  writes: Map<string, WriteRef[]>;
  /** Why the target may hold variables we cannot see (`--update-env-vars`, an opaque flag); empty
   * when every variable it holds is visible. Test with `isPartial`. */
  partial: PartialReason[];
  project?: { resolved: Resolved; file: string };
  /** The service's code loads variables at start-up from something this target provides whole
   * (a variable holding an env file, a secret mounted as one): what it sets is more than its
   * deploys show, and what that is cannot be checked. Empty for most targets. */
  loadsEnv: LoadedEnv[];
  /** Names another deploy of the same service mounts from Secret Manager (its Knative template, a
   * staging script): where this target keeps the secrets it had, one of them may be among them,
   * whatever its name says. */
  secretsElsewhere?: ReadonlySet<string>;
}

/** Code of the target's service loading variables from what a deploy of it provides. */
export interface LoadedEnv {
  /** The code file and its load (`load_dotenv(...)`, a loop writing `os.environ`). */
  file: string;
  load: EnvLoadFact;
  /** The deploy file providing the source, and what it provides (`BACKEND_ENV from secret backend-env`). */
  deployFile: string;
  provides: string;
}

/** One reason a target may hold more than its deploys show: the deploy file and what in it, and
 * which kind of entry it may hide (plain variables, secret references; both when absent). */
export interface PartialReason {
  file: string;
  reason: string;
  kind?: 'env' | 'secrets';
  /** What the deploy sets of that kind is in something we could not read (an env-vars file not
   * in the workspace), rather than kept from before: the deploy may set any such name. */
  unread?: true;
  /** With `unread`: the env-vars file that could not be read, as the deploy names it. */
  envFile?: string;
  /** With `envFile`: the committed template it is made from (`.env.example` beside `.env`). */
  template?: EnvTemplate;
  /** With `unread`: what the listed entries are merged with (`var.env_vars`), as written. */
  merged?: string;
}

/** As `isPartialFor`, taking an env file kept out of the workspace to hold what its committed
 * template lists and nothing else: for deciding that a switch is off (a quieter answer), never
 * that a name is missing. */
export function mayHoldPastTemplates(target: DeployTarget, name: string): boolean {
  return target.partial.some((p) => (p.template ? p.template.names.has(name) : !p.kind || p.kind === 'env' || isSecretLike(name)));
}

/** The target loads an env file kept out of the workspace whose committed template lists `name`:
 * the deploy is meant to have it, whatever value the real file holds. */
export function templateLists(target: DeployTarget, name: string): boolean {
  return target.partial.some((p) => p.template?.names.has(name));
}

/** True when the target may hold variables its deploys do not show (findings about it hedge). */
export function isPartial(target: DeployTarget): boolean {
  return target.partial.length > 0;
}

/** True when the target may hold `name` without its deploys showing it: a plain value kept from an
 * earlier deploy, or — for a secret-like name — a secret reference kept from one. */
export function isPartialFor(target: DeployTarget, name: string): boolean {
  return target.partial.some((p) => !p.kind || p.kind === 'env' || isSecretLike(name) || !!target.secretsElsewhere?.has(name));
}

const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file in a manifest's folder or a folder above it, if any. */
function kustomizationOver(file: string, files: ReadonlyMap<string, FileFacts>): string | undefined {
  for (let d = path.posix.dirname(file); ; d = path.posix.dirname(d)) {
    const dir = d === '.' ? '' : d;
    for (const k of KUSTOMIZATION) {
      const f = dir ? `${dir}/${k}` : k;
      if (files.has(f)) return f;
    }
    if (!dir) return undefined;
  }
}

/** Text that writes more than one deploy (a loop's command, a matrix job's step, a manifest
 * Cloud Deploy sends to two targets): an edit inside it changes every one of them. */
export interface SharedText {
  file: string;
  span: { start: number; end: number };
  /** What shares it, for a fix's title (`2 deploys: svc=api, svc=worker`). */
  reason: string;
}

export interface DbUrlRef {
  url: DbUrlFact;
  file: string;
  service?: Service;
  environment?: string;
  /** The env write whose value holds this URL, if any. */
  write?: WriteRef;
}

export interface WorkspaceModel {
  files: ReadonlyMap<string, FileFacts>;
  config: Config;
  environments: EnvironmentNames;
  services: ServiceIndex;
  targets: DeployTarget[];
  reads: ReadRef[];
  readsByService: Map<string, ReadRef[]>;
  /** Folders of code a service's images copy in beside its own (`COPY shared/ …`), by service,
   * sorted (`ServiceLink.beside` of its deploys). */
  shippedBeside: Map<string, string[]>;
  /** Reads in those folders, by service: code it may load, not code it is seen to load. */
  readsShippedBeside: Map<string, ReadRef[]>;
  /** Every env write in the workspace (deploys and env files), with its environment when known. */
  writes: WriteRef[];
  dbUrls: DbUrlRef[];
  /** Deploys that could not be given an environment. */
  unplaced: DeployRef[];
  /** Deploys gcloud refuses for the syntax of the env-vars file they pass (`EnvFileRefusal`); they
   * are in `notDeployed` too. */
  envFileRefusals: EnvFileRefusal[];
  /** Deploy files that are no deployed environment (a local compose stack of a service deployed to
   * Cloud Run, a template nothing applies), with the reason in their evidence (model/deploy-roles.ts). */
  notDeployed: DeployRef[];
  /** Cloud Run manifests nothing here is seen to apply (model/applied-manifests.ts): what they
   * would do is said, but not as an error. */
  unapplied: ReadonlySet<DeployFact>;
  /** Deploys in scripts nothing here runs or names, of a service another file deploys and runs
   * (model/variant-scripts.ts), with that file: what they would do wrong is information. */
  variants: ReadonlyMap<DeployFact, LiveDeploy>;
  /** Knative deploys of manifests nothing here applies, of a service another file deploys and runs
   * (model/variant-scripts.ts), with that file: what applying them would do wrong is information. */
  unappliedBeside: ReadonlyMap<DeployFact, LiveDeploy>;
  /** Knative deploys of manifests nothing here applies nor names (model/variant-scripts.ts), beside
   * another deploy or alone: a snapshot or a stub until shown otherwise. */
  unappliedUnnamed: ReadonlySet<DeployFact>;
  /** Cloud Build deploys of configs that no trigger the workspace declares runs, nor anything
   * here submits (model/build-triggers.ts): leftovers or run by hand. */
  untriggered: ReadonlySet<DeployFact>;
  /** Env-vars files (`--env-vars-file env.yaml`) by path, with the deploys that pass them whole. */
  envFileDeploys: ReadonlyMap<string, readonly DeployRef[]>;
  /** Which functions holding reads nothing in the workspace names (model/uncalled-functions.ts). */
  callers: FunctionCallers;
  /** Whether a file may hold a word (its word filter): model/file-words.ts. */
  words: FileWords;
  /** Variables the workspace's code passes to Cloud Run containers it runs (a job execution's
   * overrides, `RunEnvFact`), by name: per-run parameters, provided by that code, not a deploy. */
  runEnv: Map<string, { file: string; fact: RunEnvFact }[]>;
  /** Code files some deploy runs instead of its image's command, with those deploys: their reads
   * run only for targets deployed that way (model/deploy-entries.ts). */
  entryFiles: EntryFiles;
  /** The file is the program some Dockerfile of the workspace starts (an image's entry): its reads
   * run in a deploy of that image, not in one whose image starts another (`DeployRef.runs`). */
  isImageEntry: RunsAsProgram;
  /** The TypeScript / JavaScript modules a program an image starts loads (model/module-graph.ts). */
  modules: ModuleGraph;
  /** The Python modules a program an image starts loads (model/python-module-graph.ts). */
  pythonModules: PythonModuleGraph;
  /** Deploy texts shared by several deploys or targets: fixes editing them are never applied unreviewed. */
  shared: SharedText[];
  /** Modules in a script folder that only operator code loads (model/operator-modules.ts): they run
   * outside the service, as the scripts do. */
  operatorModules: ReadonlySet<string>;
  /** Code files that run outside every service: tests, operator scripts (unless a container runs
   * them as its program), tools' configuration, code another platform runs, modules only operator
   * code loads. Their reads are nobody's requirement, and their Secret Manager use no deploy's. */
  outsideService: ReadonlySet<string>;
  /** A file's current text, when the host keeps it (TypeScript files, for the lazy type checker in
   * model/ts-enum-types.ts). Rules never parse: they hand this to model-layer helpers. */
  readText?: (file: string) => string | undefined;
  /** What is running (recorded or fetched by `drift`), when the host supplied it: the drift rules
   * (deploy-drift, secret-missing) compare the deploys with it and say nothing without it. */
  deployed?: DeployedState;
}

/** The env-vars file a deploy names (`--env-vars-file env.yaml`), found from the deploy's folder
 * or the workspace root. */
function envFileOf(file: string, written: string, files: ReadonlyMap<string, FileFacts>): string | undefined {
  return candidatesFor(file, written).find((candidate) => files.get(candidate)?.envFile);
}

function environmentOf(file: string, deploy: DeployFact, envs: EnvironmentNames, files: ReadonlyMap<string, FileFacts>, product: string): { env?: string; evidence?: string } {
  const fromHints = (shared: boolean): { env?: string; evidence?: string } | undefined => {
    for (const h of deploy.environmentHints) {
      if (h.template || !!h.shared !== shared) continue; // a reusable workflow's input no caller filled in
      const env = envs.normalize(h.value) ?? envs.fromName(h.value);
      if (env) return { env, evidence: h.evidence };
    }
    return undefined;
  };
  const own = fromHints(false);
  if (own) return own;
  const entry = environmentEntry(file, deploy, envs, files);
  // An app that knows only development and production runs its staging deploy in production
  // mode (`APP_ENV: "prod"` in `staging.env.yaml`, for `shop-api-staging`): the deploy's own
  // names say which environment it is.
  if (entry?.env === 'production') {
    const byName = environmentByName(file, deploy, envs, product);
    if (byName && byName.env !== 'production' && !isLocalEnvironment(byName.env)) {
      return { env: byName.env, evidence: `${byName.evidence} (the ${entry.setting} it sets is the app's mode)` };
    }
  }
  if (entry) return entry;
  const byDeployedName = environmentOfDeployedName(deploy, envs, product);
  if (byDeployedName) return byDeployedName;
  // A workflow's or job's `env:` (`ENVIRONMENT: testing` for the test steps): after what the
  // deploy itself says.
  const shared = fromHints(true);
  if (shared) return shared;
  const project = deploy.project?.value;
  if (project) {
    const env = envs.fromName(project);
    if (env) return { env, evidence: `project "${project}"` };
  }
  // `--project "${STAGING_PROJECT}"`: the variable's name says which project it holds.
  const projectVar = deploy.project && project === undefined ? /\$\{?([A-Za-z_]\w*)/.exec(deploy.project.text)?.[1] : undefined;
  if (projectVar) {
    const env = envs.fromName(projectVar);
    if (env) return { env, evidence: `project variable ${projectVar}` };
  }
  const env = envs.fromName(path.posix.basename(file));
  if (env) return { env, evidence: `file name ${path.posix.basename(file)}` };
  return {};
}

/** The environment an entry of the deploy's env list names (`ENVIRONMENT=staging`, a settings
 * module named for one), or of the env-vars file it sets whole (`--env-vars-file env.yaml`). */
function environmentEntry(file: string, deploy: DeployFact, envs: EnvironmentNames, files: ReadonlyMap<string, FileFacts>): { env: string; evidence: string; setting: string } | undefined {
  // NODE_ENV is not one of these: it is a build mode (`production` = optimised) that staging
  // deploys of Node services set too (`gateway-staging` with NODE_ENV=production).
  for (const b of deploy.blocks) {
    for (const e of b.entries) {
      if (e.value.kind !== 'literal') continue;
      // `ENVIRONMENT=staging`, or a settings module named for it (`…settings.production`).
      const module = settingsModuleName(e.name, e.value.value);
      const env = namesEnvironment(e.name) ? envs.normalize(e.value.value) : module ? envs.fromName(module) : undefined;
      if (env && env !== 'development') return { env, evidence: `${e.name}=${e.value.value} in the deploy`, setting: `${e.name}=${e.value.value}` };
    }
  }
  for (const ef of deploy.envFiles) {
    const found = ef.value === undefined ? undefined : envFileOf(file, ef.value, files);
    for (const e of (found && files.get(found)?.envFile?.entries) || []) {
      if (namesEnvironment(e.name) && e.value.kind === 'literal') {
        const env = envs.normalize(e.value.value);
        if (env && env !== 'development') return { env, evidence: `${e.name}=${e.value.value} in ${found}, the deploy's env-vars file`, setting: `${e.name}=${e.value.value}` };
      }
    }
  }
  return undefined;
}

/** The environment the deployed name names (`shop-api-staging`, or a variable's name,
 * `$STAGING_SERVICE`). A word of the product's own name is no environment: `english-qa-backend`
 * of the `english-qa-platform` repository is its backend, not a QA deploy. */
function environmentOfDeployedName(deploy: DeployFact, envs: EnvironmentNames, product: string): { env: string; evidence: string } | undefined {
  const named = deploy.service?.value ?? deploy.service?.text;
  if (!named) return undefined;
  const env = envs.fromName(named);
  if (!env) return undefined;
  const own = productPairs(product);
  if (own.size) {
    const tokens = nameTokens(named);
    // The last environment word not paired, in the deployed name, with its neighbour in the product's name.
    for (let i = tokens.length - 1; i >= 0; i--) {
      const found = envs.normalize(tokens[i]!);
      if (!found) continue;
      const paired = (i > 0 && own.has(`${tokens[i - 1]} ${tokens[i]}`)) || (i + 1 < tokens.length && own.has(`${tokens[i]} ${tokens[i + 1]}`));
      if (!paired) return { env: found, evidence: `deployed name "${named}"` };
    }
    return undefined;
  }
  return { env, evidence: `deployed name "${named}"` };
}

/** Adjacent word pairs of the workspace's name (`english qa`, `qa platform`). */
function productPairs(product: string): Set<string> {
  const words = product.toLowerCase().split(/[-_.\s]+/).filter(Boolean);
  return new Set(words.slice(1).map((w, i) => `${words[i]} ${w}`));
}

/** The environment the deploy's own names name: its deployed name (`shop-api-staging`, or a
 * variable's name, `$STAGING_SERVICE`), the env-vars files it sets whole (`staging.env.yaml`). */
function environmentByName(file: string, deploy: DeployFact, envs: EnvironmentNames, product: string): { env: string; evidence: string } | undefined {
  const byDeployedName = environmentOfDeployedName(deploy, envs, product);
  if (byDeployedName) return byDeployedName;
  for (const ef of deploy.envFiles) {
    const written = ef.value ?? ef.text;
    const env = written ? envs.fromName(path.posix.basename(written)) : undefined;
    if (env) return { env, evidence: `env-vars file ${written}` };
  }
  return undefined;
}

/** The folders of the files the model sees, when the host does not keep the whole layout. */
function layoutOf(files: ReadonlyMap<string, FileFacts>): Layout {
  const dirs = new Set<string>();
  const codeDirs = new Set<string>();
  const packageDirs = new Set<string>();
  for (const [file, facts] of files) {
    const code = facts.kind === 'python' || facts.kind === 'typescript';
    if (path.posix.basename(file) === '__init__.py') {
      const d = path.posix.dirname(file);
      packageDirs.add(d === '.' ? '' : d);
    }
    for (let d = path.posix.dirname(file); ; d = path.posix.dirname(d)) {
      const dir = d === '.' ? '' : d;
      if (dir) dirs.add(dir);
      if (code) codeDirs.add(dir);
      if (dir === '') break;
    }
  }
  return { dirs, codeDirs, packageDirs };
}

/** Files named for their role, not their program (`shop/worker/main.py`, `api/index.ts`): the
 * program is named by its folder, so that two of them stay two targets. */
const GENERIC_ENTRY = new Set(['main', 'app', 'index', 'server', '__main__', 'wsgi', 'asgi']);

/** The name a deploy's entry file gives its target (`src/worker.ts` → `worker`, `shop/worker/main.py` → `worker`). */
function entryLabel(entry: string): string {
  const base = path.posix.basename(entry).replace(/\.[^.]*$/, '');
  const dir = path.posix.basename(path.posix.dirname(entry));
  return GENERIC_ENTRY.has(base) && dir && dir !== '.' && dir !== 'src' ? dir : base;
}

/**
 * `knownLayout`, when given, is every folder holding a file of the workspace and every folder
 * holding code (the host keeps both up to date); `files` may then iterate only the files that
 * hold facts or mark a code root — which is all the model reads — while `get` answers for every file.
 * `wordHolders`, when given, is the host's, kept across builds and told of every file's change.
 */
export function buildModel(files: ReadonlyMap<string, FileFacts>, config: Config, workspaceName: string, knownLayout?: Layout, wordHolders: WordHolders = new WordHolders(files)): WorkspaceModel {
  // Shared per configuration, with what it has already worked out (`fromName` by text).
  const environments = environmentNames(config.environments);
  const layout = knownLayout ?? layoutOf(files);
  // Reusable workflows instantiated per call, updates given the entry their resource is created
  // with; manifests tied to Cloud Deploy targets.
  const sites = withKeptEntries(workspaceDeploys(files));
  const links = manifestEnvironments(files, environments);
  const services = new ServiceIndex(files, layout, config, environments, workspaceName, sites);
  const codeListens = new CodeListens(files, (f) => services.ownerOf(f));
  const entryFiles = deployEntries(sites, files, services, layout.codeDirs);

  const targets = new Map<string, DeployTarget>();
  const unplaced: DeployRef[] = [];
  const notDeployed: DeployRef[] = [];
  const writes: WriteRef[] = [];
  const dbUrls: DbUrlRef[] = [];
  const reads: ReadRef[] = [];
  const readsByService = new Map<string, ReadRef[]>();
  const operatorOnly = operatorModules(files);
  const runsAsProgram = programEntries(files);
  // Files only a package's tooling scripts run (`db:migrate`, a build's env check).
  const toolOnly = toolOnlyFiles(files, runsAsProgram);
  const isStray = strayPrograms(files, runsAsProgram);

  const targetFor = (service: Service | undefined, serviceName: string, environment: string): DeployTarget => {
    const key = `${serviceName}@${environment}`;
    let t = targets.get(key);
    if (!t) {
      t = { key, service, serviceName, environment, deploys: [], envFiles: [], writes: new Map(), partial: [], loadsEnv: [] };
      targets.set(key, t);
    }
    return t;
  };
  const addWrite = (t: DeployTarget | undefined, ref: WriteRef): void => {
    writes.push(ref);
    if (!t) return;
    const list = t.writes.get(ref.write.name) ?? [];
    list.push(ref);
    t.writes.set(ref.write.name, list);
  };

  // Deploys first: they define targets. An additive update (`--update-env-vars`) makes a target
  // uncertain only when no deploy of it replaces that kind of entry whole: a one-off fix-up
  // script adds to the real deploy, it does not stand in for it.
  const referencedEnvFiles = new Map<string, DeployTarget[]>();
  const envFileDeploys = new Map<string, DeployRef[]>();
  const additions = new Map<DeployTarget, PartialReason[]>();
  const replacedWhole = new Map<DeployTarget, Set<'env' | 'secrets'>>();
  const attach = (file: string, deploy: DeployFact, ref: DeployRef, service: Service | undefined, serviceName: string, environment: string): void => {
    const t = targetFor(service, serviceName, environment);
    t.deploys.push(ref);
    if (deploy.project && !t.project) t.project = { resolved: deploy.project, file };
    if (deploy.opaque) t.partial.push({ file, reason: deploy.opaque });
    if (deploy.mergedEnv) t.partial.push({ file, reason: `its env list is merged with ${deploy.mergedEnv}, which is not written out`, kind: 'env', unread: true, merged: deploy.mergedEnv });
    // A Kubernetes manifest kustomize builds (a kustomization in its folder or above it): a base's
    // env, a patch, a generated ConfigMap may add to what the file lists.
    const kustomized = deploy.platform === 'kubernetes' ? kustomizationOver(file, files) : undefined;
    if (kustomized) {
      ref.envBuiltElsewhere = `kustomize builds it (${kustomized}): a base or a patch may add to its env`;
      t.partial.push({ file, reason: ref.envBuiltElsewhere });
    }
    const whole = replacedWhole.get(t) ?? new Set();
    replacedWhole.set(t, whole);
    if (!runsOnCloudRun(deploy.platform)) {
      whole.add('env'); // a manifest or compose service lists everything the container gets
      whole.add('secrets');
    }
    const list = additions.get(t) ?? [];
    additions.set(t, list);
    if (runsOnCloudRun(deploy.platform)) {
      // A gcloud deploy without --set-env-vars (or without --set-secrets) keeps what the service
      // has of that kind: `--image` alone changes the code, not its variables. An
      // `--env-vars-file` replaces the variables whole, like --set-env-vars.
      if (deploy.envFiles.length) whole.add('env');
      for (const kind of ['env', 'secrets'] as const) {
        if (!deploy.blocks.some((b) => b.kind === kind) && !(kind === 'env' && deploy.envFiles.length)) {
          list.push({ file, kind, reason: `sets no ${kind === 'env' ? 'variables' : 'secrets'}, so the service keeps the ones it has` });
        }
      }
    }
    for (const block of deploy.blocks) {
      if (block.mode === 'set') whole.add(block.kind);
      if (block.mode === 'update') {
        list.push({ file, kind: block.kind, reason: `${block.kind === 'env' ? '--update-env-vars' : '--update-secrets'} adds to what the service already has` });
      }
      for (const write of block.entries) addWrite(t, { write, block, file: write.file ?? file, deploy, target: t, environment, serviceName });
    }
    for (const ef of deploy.envFiles) {
      if (ef.value === undefined) { t.partial.push({ file, reason: `env file ${ef.text} could not be resolved` }); continue; }
      const found = envFileOf(file, ef.value, files);
      if (found) {
        const list = referencedEnvFiles.get(found) ?? [];
        list.push(t);
        referencedEnvFiles.set(found, list);
        const by = envFileDeploys.get(found) ?? [];
        if (!by.includes(ref)) by.push(ref);
        envFileDeploys.set(found, by);
      } else {
        // The file's entries are the target's variables: unseen, they may be anything.
        const template = envTemplateOf(file, ef.value, files);
        t.partial.push({ file, reason: `env file ${ef.value} is not in the workspace or could not be read`, kind: 'env', unread: true, envFile: ef.value, ...(template ? { template } : {}) });
      }
    }
  };
  // A deploy running another file of the service's image (its worker) is a service of its own:
  // merged with the API's deploys, each would be asked for the other's variables.
  // So is a job running a task of its own (`npm run db:migrate`): it runs none of the API's code.
  // A Kubernetes workload is a container of its own, on another platform than the service's Cloud
  // Run deploys and beside the service's other workloads (a search server, a gateway), each
  // running its own program: a target by its own name. So are the deploys of one service whose
  // images start different programs: a target per program (model/program-targets.ts), worked out
  // once every deploy is linked.
  let programs: ProgramTargets = { label: new Map(), runs: new Map() };
  const nameOf = (file: string, deploy: DeployFact, service: Service | undefined): string =>
    service && deploy.entry?.value ? `${service.name}-${entryLabel(deploy.entry.value)}`
      : service && programs.label.has(deploy) ? `${service.name}-${programs.label.get(deploy)}`
      : service && deploy.command ? `${service.name} (${deploy.command.text})`
      : service && deploy.platform === 'kubernetes' && deploy.service?.value ? environments.stripEnvironment(deploy.service.value)
      : service?.name ?? environments.stripEnvironment(deploy.service?.value ?? deploy.service?.text ?? path.posix.basename(file));

  const besideSets = new Map<string, Set<string>>();
  const unnamed: { file: string; deploy: DeployFact; ref: DeployRef; service?: Service }[] = [];
  const shared: SharedText[] = [];
  const instances = new Map<string, { file: string; span: { start: number; end: number }; labels: string[]; of: number }>();
  const unplace = (file: string, deploy: DeployFact, ref: DeployRef, service: Service | undefined): void => {
    unplaced.push(ref);
    for (const block of deploy.blocks) for (const write of block.entries) writes.push({ write, block, file: write.file ?? file, deploy, serviceName: service?.name });
  };
  const terraform = new TerraformModules(files, environments);
  const unplacedBlocks = new Set<EnvBlock>();
  // Every deploy linked and placed first: whether a file is a deployed environment at all (a
  // compose file beside a Cloud Run deploy is a local stack) depends on the workspace's others.
  type Delivered = EnvironmentLink & { environment: string };
  const linked: (LinkedDeploy & { link: ServiceLink; place: { env?: string; evidence?: string }; extra: string[]; delivered: Delivered[] })[] = [];
  for (const site of sites) {
    const { evidence: derived } = site;
    // A Terraform deploy stands for one deploy per environment's tfvars, with the module's values,
    // and a called module's for one deploy per call, in the caller's file.
    const views: TerraformView[] = files.get(site.file)?.kind === 'terraform' ? terraform.views(site.file, site.deploy) : [{ deploy: site.deploy }];
    for (const { deploy, unresolved, off, file: viewFile } of views) {
      const file = viewFile ?? site.file;
      if (off) {
        notDeployed.push({ file, deploy, evidence: [off], certainty: 'inferred' });
        continue;
      }
      if (unresolved) {
        // Guessing which service a computed name is would check the wrong code: say why, check nothing.
        unplaced.push({ file, deploy, evidence: [`not placed: ${unresolved}`], certainty: 'inferred' });
        for (const block of deploy.blocks) {
          if (unplacedBlocks.has(block)) continue; // one resource, several tfvars: its entries once
          unplacedBlocks.add(block);
          for (const write of block.entries) writes.push({ write, block, file: write.file ?? file, deploy });
        }
        continue;
      }
      const link = services.forDeploy(file, deploy);
      if (link.service && link.beside) {
        const set = besideSets.get(link.service.name) ?? new Set<string>();
        for (const f of link.beside) set.add(f);
        besideSets.set(link.service.name, set);
      }
      const extra = [...(derived ? [derived] : []), ...(deploy.instance ? [`one of ${deploy.instance.of} deploys written by one shared text: ${deploy.instance.label}`] : []),
        ...(deploy.entry ? [`runs ${deploy.entry.value ?? deploy.entry.text} instead of its image's command`] : []),
        ...(deploy.command ? [`a job running ${deploy.command.text} instead of its image's command: none of the service's reads is asked of it`] : [])];
      if (deploy.instance) {
        const key = `${file}\0${deploy.span.start}\0${deploy.span.end}`;
        const group = instances.get(key) ?? { file, span: deploy.span, labels: [], of: deploy.instance.of };
        group.labels.push(deploy.instance.label);
        instances.set(key, group);
      }
      // A manifest a Cloud Deploy pipeline sends to targets: their environments, whatever it says itself.
      const delivered = (links.get(file) ?? []).filter((l): l is Delivered => !!l.environment);
      // Not resolved statically (a service name computed at run time): unplaced, with the reason.
      if (delivered.length === 0 && deploy.unresolved) {
        unplace(file, deploy, { file, deploy, evidence: [link.evidence, `not resolved: ${deploy.unresolved}`, ...extra], certainty: link.certainty, ...basisOf(link) }, link.service);
        continue;
      }
      const place: { env?: string; evidence?: string } = delivered.length > 0 ? { env: delivered[0].environment } : environmentOf(file, deploy, environments, files, workspaceName);
      linked.push({ file, deploy, service: link.service, environment: place.env, link, place, extra, delivered });
    }
  }
  // An env-vars file gcloud reads as YAML, written in dotenv's `NAME=value` lines: gcloud refuses
  // the command (the whole file parses as one string, not a map of names). Recorded once per deploy.
  const envFileRefusals: EnvFileRefusal[] = [];
  const dotenvFileOf = (d: LinkedDeploy): string | undefined => {
    if (!d.deploy.envFilesYaml) return undefined;
    const known = envFileRefusals.find((r) => r.deploy === d.deploy);
    if (known) return known.envFile;
    for (const ef of d.deploy.envFiles) {
      const found = ef.value === undefined ? undefined : envFileOf(d.file, ef.value, files);
      if (found && files.get(found)?.dotenvSyntax) {
        envFileRefusals.push({ file: d.file, deploy: d.deploy, written: ef, envFile: found });
        return found;
      }
    }
    return undefined;
  };
  // Every build of the deploy's image in its own workflow names a Dockerfile the repository lacks:
  // the job's checkout holds tracked files only, and a failed `run:` step ends the job before the
  // deploy. Not a Cloud Build config or a script: `gcloud builds submit` and `docker build` send a
  // local folder, which may hold a Dockerfile git does not track (and a script goes on unless
  // `set -e`, deploying the image the registry had).
  const missingDockerfileOf = (d: LinkedDeploy): string | undefined => {
    if (d.deploy.via !== 'github-actions') return undefined;
    const own = services.imageBuilds(d.file, d.deploy).filter((b) => b.file === d.file);
    return own.length && own.every((b) => b.missing !== undefined) ? own[0].missing : undefined;
  };
  const notDeployedWhy = notDeployedEnvironments(linked, layout, dotenvFileOf, missingDockerfileOf);
  // A deploy running its own entry (`--command`) does not start the image's command.
  // Its image's build not seen, a deploy of a service whose folder holds one Dockerfile runs that
  // Dockerfile's program (`ServiceIndex.soleDockerfileImage`): asked of its own service's modules
  // only, never to reach code outside the folder (`codeReachedOutside` gets no `service`).
  const runsOf = (file: string, deploy: DeployFact, service?: Service): Pick<DeployRef, 'runs' | 'runsGuessed' | 'imageEnv' | 'imageEnvFrom' | 'perExecution' | 'listens' | 'servesNothing' | 'ships'> => {
    const image = services.image(file, deploy);
    const seen = image.runs ?? programs.runs.get(deploy);
    const sole = !seen && service && !image.dockerfile ? services.soleDockerfileImage(service, deploy) : undefined;
    const runs = seen ?? sole?.runs;
    const fromImage = image.env ? { imageEnv: image.env, ...(image.dockerfile ? { imageEnvFrom: image.dockerfile } : {}) } : {};
    const bare = deploy.platform === 'cloud-run-job' && !deploy.entry && !deploy.command && !runs ? image.bare ?? sole?.bare : undefined;
    if (bare) return { perExecution: bare, ...fromImage };
    // Its image's build not seen, every Dockerfile of the service's folder starting the same port says it.
    const listen = deploy.platform !== 'cloud-run' || deploy.ownCommand ? undefined
      : image.dockerfile ? (image.listens && { ...image.listens, file: image.listens.file ?? image.dockerfile, ...(image.listens.file ? { viaScript: true as const } : {}) })
      : service ? guessedListen(services.commonListen(file, service, deploy)) : undefined;
    // The image's command names no port (`node dist/main.js`, or its build not seen): the service's
    // own entry may fix one (`await app.listen(3000)`).
    const inCode = !listen && deploy.platform === 'cloud-run' && !deploy.ownCommand && service && !image.listens && image.runs ? codeListens.of(service, image.runs) : undefined;
    const idle = deploy.platform !== 'cloud-run' || deploy.ownCommand || !image.dockerfile ? undefined
      : image.servesNothing ? { file: image.dockerfile, ...image.servesNothing } : idleBranchRun(deploy, image.idleWhen);
    const fromCode = inCode && !idle ? { file: inCode.file, port: inCode.port, server: 'code', span: inCode.span, inCode: true as const } : undefined;
    const listens = { ...(listen ?? fromCode ? { listens: (listen ?? fromCode)! } : {}), ...(idle ? { servesNothing: idle } : {}) };
    return { ...(runs && !deploy.entry && !deploy.command ? { runs, ...(sole?.runs ? { runsGuessed: true as const } : {}) } : {}), ...fromImage, ...listens,
      ...(image.ships ? { ships: image.ships } : {}) };
  };
  /** The deploy's ref, with how its program was worked out where that was a guess. */
  const refOf = (ref: Omit<DeployRef, 'runs' | 'runsGuessed' | 'imageEnv' | 'imageEnvFrom' | 'perExecution' | 'listens' | 'servesNothing' | 'ships'>, service: Service | undefined): DeployRef => {
    const out: DeployRef = { ...ref, ...runsOf(ref.file, ref.deploy, service) };
    if (out.perExecution) out.evidence.push(`a job whose image runs ${out.perExecution} alone: each execution names the program, so none of the service's reads is asked of it`);
    if (out.runsGuessed && service) out.evidence.push(`its image's build not seen: runs what ${service.root || 'the workspace root'}'s one Dockerfile starts (${out.runs!.join(', ')})`);
    return out;
  };
  const packages = new WorkspacePackages(files);
  const modules = new ModuleGraph(files, layout.dirs, packages);
  const fileOfDeploy = new Map(linked.map((l) => [l.deploy, l.file]));
  // `has` answers for every file; iterating the facts' map visits only files with facts.
  const isCode = (f: string): boolean => isCodeFile(f) && files.has(f);
  const imageRuns = (deploy: DeployFact): string[] | undefined => services.image(fileOfDeploy.get(deploy)!, deploy).runs;
  programs = programTargets(linked.map((l) => ({ deploy: l.deploy, service: l.link.service })),
    (deploy, service) => programFile(imageRuns(deploy), service.root, isCode, (run, root) => modules.sourceOfRun(run, root)), imageRuns);
  for (const { file, deploy, link, place, extra, delivered } of linked) {
    // A pipeline's manifest is deployed by the pipeline, whatever its own image says.
    if (delivered.length > 0) {
      if (delivered.length > 1) shared.push({ file, span: deploy.span, reason: `${delivered.length} Cloud Deploy targets (${delivered.map((l) => l.targetId).join(', ')})` });
      for (const l of delivered) {
        const ref = refOf({ file, deploy, evidence: [link.evidence, `environment ${l.environment}: ${l.evidence}`, ...extra], certainty: link.certainty, ...basisOf(link) }, link.service);
        attach(file, deploy, ref, link.service, nameOf(file, deploy, link.service), l.environment);
        const t = targets.get(`${nameOf(file, deploy, link.service)}@${l.environment}`);
        if (t && !t.project && l.project) t.project = { resolved: { value: l.project, text: l.project, span: { start: 0, end: 0 } }, file: l.pipelineFile };
      }
      continue;
    }
    const evidence = [link.evidence, place.evidence ? `environment ${place.env}: ${place.evidence}` : 'no environment found', ...extra];
    const ref = refOf({ file, deploy, evidence, certainty: link.certainty, ...basisOf(link) }, link.service);
    const why = notDeployedWhy.get(deploy);
    if (why) {
      // Its entries are still writes (a placeholder in them is still one), of no environment.
      ref.evidence = [link.evidence, why, ...extra];
      notDeployed.push(ref);
      for (const block of deploy.blocks) for (const write of block.entries) writes.push({ write, block, file: write.file ?? file, deploy, serviceName: link.service?.name });
      continue;
    }
    if (!place.env) {
      unnamed.push({ file, deploy, ref, service: link.service });
      continue;
    }
    attach(file, deploy, ref, link.service, nameOf(file, deploy, link.service), place.env);
  }
  for (const g of instances.values()) {
    const shown = g.labels.slice(0, 4).join('; ') + (g.labels.length > 4 ? '; …' : '');
    shared.push({ file: g.file, span: g.span, reason: `${Math.max(g.of, g.labels.length)} deploys (${shown})` });
  }
  // A Cloud Run service's name is unique in its project and region: an unnamed deploy of the name
  // a placed deploy gives (a workflow and a script both deploying `shop-backend`) updates that
  // service, unless the two name different projects. Where deploys of that name sit in two
  // environments (one name in a staging and a production project), it could be either: unplaced.
  const sameServiceElsewhere = (name: string, deploy: DeployFact): { target: DeployTarget; name: string; file: string; twin: DeployRef } | undefined => {
    const deployed = deploy.service?.value;
    if (!deployed) return undefined;
    const project = deploy.project?.value;
    const of = [...targets.values()].filter((t) => t.serviceName === name);
    // A manifest naming no environment, of a service deployed to several, is as often a snapshot
    // or a stub nothing applies (on the corpus, 13 of 13 findings such joins made were false):
    // it joins only a service with one environment.
    if (deploy.via === 'knative' && of.length > 1) return undefined;
    const found: { target: DeployTarget; twin: DeployRef }[] = [];
    for (const t of of) {
      const twin = t.deploys.find((d) => d.deploy.service?.value === deployed && runsOnCloudRun(d.deploy.platform) &&
        (project === undefined || d.deploy.project?.value === undefined || d.deploy.project.value === project));
      if (twin) found.push({ target: t, twin });
    }
    if (found.length !== 1) return undefined;
    return { target: found[0].target, name: deployed, file: found[0].twin.file, twin: found[0].twin };
  };
  // A Cloud Run deploy whose environment nothing names, of a service no other deploy places:
  // it is that service's one deployed environment. Where other deploys name environments, an
  // unnamed one could be any of them, so it stays unplaced. (Letting a development compose stack
  // not count was tried: on a real repository it placed a Node service whose unread modules —
  // never imported, or imported only under a credentials test — then gave ten false errors.)
  // A name placed in a local environment only by Cloud Run deploys named for it (a `test-…` job
  // run once) leaves its unnamed deploy the service's deployed one. A development compose stack
  // still counts: an unnamed deploy beside one was judged a development deploy as often as not.
  // A service whose programs have targets of their own (`api-worker`) is placed by them: an
  // unnamed deploy of it could run any of its programs.
  const placedNames = new Set([...targets.values()].filter((t) => !isLocalEnvironment(t.environment) ||
    !t.deploys.every((d) => runsOnCloudRun(d.deploy.platform))).flatMap((t) => [t.serviceName, ...(t.service ? [t.service.name] : [])]));
  for (const u of unnamed) {
    const name = nameOf(u.file, u.deploy, u.service);
    const cloudRun = runsOnCloudRun(u.deploy.platform);
    if (cloudRun && !placedNames.has(name)) {
      u.ref.evidence[1] = `environment ${DEFAULT_ENVIRONMENT}: no environment is named by any deploy of ${name}`;
      attach(u.file, u.deploy, u.ref, u.service, name, DEFAULT_ENVIRONMENT);
      continue;
    }
    const same = cloudRun ? sameServiceElsewhere(name, u.deploy) : undefined;
    if (same) {
      u.ref.evidence[1] = `environment ${same.target.environment}: it deploys "${same.name}", the service ${same.file} deploys there (no other environment of ${name} has a service of that name)`;
      // Its image unknown (a Terraform `image = var.image`), it runs what the service runs.
      if (!u.ref.runs && same.twin.runs) {
        u.ref.runs = same.twin.runs;
        if (same.twin.runsGuessed) u.ref.runsGuessed = true;
      }
      attach(u.file, u.deploy, u.ref, u.service, name, same.target.environment);
      continue;
    }
    unplace(u.file, u.deploy, u.ref, u.service);
  }

  for (const [t, list] of additions) {
    const whole = replacedWhole.get(t);
    const seen = new Set<string>();
    for (const a of list) {
      const key = `${a.file}:${a.kind}:${a.reason}`;
      if ((a.kind && whole?.has(a.kind)) || seen.has(key)) continue;
      seen.add(key);
      t.partial.push(a);
    }
  }

  // Env files: referenced ones feed their targets; a `.env.<env>` in a service root feeds that
  // service's target for the environment when one exists.
  for (const [file, facts] of files) {
    const block = facts.envFile;
    if (!block) continue;
    const base = path.posix.basename(file);
    if (isTemplateEnvFile(base)) continue;
    const referenced = referencedEnvFiles.get(file);
    // A YAML file recognised by its shape alone is an env-vars file only for a deploy naming it.
    if (facts.envFileNeedsReference && !referenced) continue;
    const env = environments.fromDotenvName(base) ?? referenced?.[0]?.environment;
    const owner = services.ownerOf(file);
    const attached: DeployTarget[] = referenced ? [...referenced] : [];
    if (!referenced && env && owner) {
      const t = targets.get(`${owner.name}@${env}`);
      if (t) attached.push(t);
    }
    // A file several targets name holds each one's variables: an entry added for one reaches the
    // others (a staging project id written into a file production reads too).
    const sharers = referenced ? [...new Set(attached)] : [];
    for (const t of attached) {
      const others = sharers.filter((o) => o !== t).map((o) => `${o.serviceName} (${o.environment})`);
      const own = others.length && block.insert ? { ...block, insert: { ...block.insert, sharedWith: { others, why: `they read the same file ${file}` } } } : block;
      t.envFiles.push({ file, block: own, referenced: !!referenced });
    }
    for (const write of block.entries) {
      if (attached.length === 0) writes.push({ write, block, file, environment: env, serviceName: owner?.name });
      for (const t of attached) addWrite(t, { write, block, file, target: t, environment: t.environment, serviceName: t.serviceName });
    }
  }

  // Folders of code each service's images copy in beside its own, by folder: their reads may be
  // the service's too (a `shared/` library), though which modules it loads is not seen.
  const shippedBeside = new Map([...besideSets].map(([name, set]) => [name, [...set].sort()]));
  const besideByFolder = new Map<string, Service[]>();
  for (const svc of services.services) {
    for (const folder of shippedBeside.get(svc.name) ?? []) {
      const list = besideByFolder.get(folder) ?? [];
      list.push(svc);
      besideByFolder.set(folder, list);
    }
  }
  const readsShippedBeside = new Map<string, ReadRef[]>();
  const besideOf = (file: string): Service[] => {
    const out: Service[] = [];
    for (let d = path.posix.dirname(file); d !== '.' && d !== ''; d = path.posix.dirname(d)) out.push(...(besideByFolder.get(d) ?? []));
    return out;
  };

  const writesByFile = new Map<string, WriteRef[]>();
  for (const w of writes) {
    const list = writesByFile.get(w.file) ?? [];
    list.push(w);
    writesByFile.set(w.file, list);
  }
  // A read passed to a workspace function that copes without it is optional (a copy: facts are shared).
  const pythonModules = new PythonModuleGraph(files, layout.dirs, layout.codeDirs);
  // Code that runs outside every service by itself (before what only such code loads is known).
  const outsideByItself = (file: string): boolean => {
    const facts = files.get(file);
    return !!facts && ((runsOutsideService(facts) && !(facts.isScript && !facts.isTest && runsAsProgram(file))) || operatorOnly.has(file) || toolOnly.has(file));
  };
  // TypeScript modules only such code loads (a config module an audit script imports).
  const loadedOnlyOutside = modules.loadedOnlyOutside(outsideByItself, (file) => runsAsProgram(file) || isRouteFile(file) || hasProgramName(file));
  // Modules outside a service's folder its program surely loads from its image: its own reads.
  const reached = codeReachedOutside(linked, runsOf, [pythonModules, modules]);
  const passed = new PassedReads(files, packages);
  const inlined = new InlinedReads(files);
  const checked = new CheckedReads(files);
  const outsideService = new Set<string>();
  const viaAccessors = new ImportedAccessors(files);
  const getters = new GetterCallers(files, wordHolders);
  const switchedCallers = new SwitchedCallers(files, wordHolders);
  const schemaFields = new SchemaFieldUses(wordHolders);
  const storedFields = new StoredFields(wordHolders);
  const prismaClients = new PrismaClients(wordHolders);
  const authJs = new AuthJsReads(files, (file) => services.ownerOf(file));
  for (const [file, facts] of files) {
    const own = facts.accessorCalls?.length ? [...facts.reads, ...viaAccessors.reads(file, facts)] : facts.reads;
    const service = own.length || facts.dbUrls.length ? services.ownerOf(file) : undefined;
    // Code kept in documentation or an archive (`docs/api/example-client.py`, `old/`; such a folder
    // is never a code root of its own either: knowledge/code-roots.ts), or a dated copy beside the
    // real module (`main_backup_20250727.py`), is not run.
    const kept = (!!inactiveFolder(file) || isKeptCopy(file)) && !runsAsProgram(file);
    // A program in a script folder that a container runs (`CMD ["python", "jobs/sync.py"]`) is
    // what that container deploys, not an operator's script.
    const outside = outsideByItself(file) || loadedOnlyOutside.has(file) ||
      isStray(file, facts, service?.root) || kept || (!!service && inExamplesOf(file, service.root) && !runsAsProgram(file));
    if (outside) outsideService.add(file);
    for (const read of own) {
      if (!authJs.keeps(file, read, service)) continue;
      // A `__main__` block of a module nothing runs as a program: a manual entry, like a script.
      const judged = schemaFields.judged(file, inlined.judged(file, facts, checked.judged(file, passed.judged(file, switchedCallers.judged(file, getters.judged(file, read))))));
      const ref: ReadRef = { read: prismaClients.judged(file, judged, service?.root), file, service, isTest: outside || (!!read.mainOnly && !runsAsProgram(file)) };
      // Only code that may load the module uses its fields: its service's own, where no other
      // service's program loads it.
      const under = service?.root && !reached.get(file)?.length ? `${service.root}/` : undefined;
      if (storedFields.unused(file, read, facts.kind, under)) ref.storedUnused = true;
      reads.push(ref);
      const loaders = outside ? [] : (reached.get(file) ?? []).filter((s) => s !== service);
      for (const s of service ? [service, ...loaders] : loaders) {
        const list = readsByService.get(s.name) ?? [];
        list.push(ref);
        readsByService.set(s.name, list);
      }
      if (besideByFolder.size && !outside) {
        for (const other of besideOf(file)) {
          if (other === service || loaders.includes(other)) continue;
          const list = readsShippedBeside.get(other.name) ?? [];
          list.push(ref);
          readsShippedBeside.set(other.name, list);
        }
      }
    }
    for (const url of facts.dbUrls) {
      // A URL written as an env value belongs to that write's target; elsewhere to its file.
      const owner = writesByFile.get(file)?.find((w) => w.write.value.kind === 'literal' &&
        w.write.value.span.start <= url.span.start && url.span.end <= w.write.value.span.end);
      const base = path.posix.basename(file);
      const env = owner?.environment ?? (facts.kind === 'dotenv' ? environments.fromDotenvName(base) : environments.fromName(base));
      const urlService = owner?.target?.service ?? (owner?.serviceName ? services.byName(owner.serviceName) : undefined) ?? services.ownerOf(file);
      dbUrls.push({ url, file, service: urlService, environment: env, write: owner });
    }
  }

  setInCode(readsByService);
  linkEnvLoads(files, services, [...targets.values()], operatorOnly);
  // Names each service's deploys mount as secrets, for its targets that keep the secrets they had.
  // Every deploy linked to the service counts, a template no environment deploys too (its
  // `secretKeyRef`s say which names the service takes from Secret Manager).
  const secretNames = new Map<string, Set<string>>();
  for (const { deploy, service } of linked) {
    if (!service) continue;
    const set = secretNames.get(service.name) ?? new Set<string>();
    for (const b of deploy.blocks) if (b.kind === 'secrets') for (const e of b.entries) set.add(e.name);
    secretNames.set(service.name, set);
  }
  for (const t of targets.values()) {
    const names = t.service && t.partial.some((p) => p.kind === 'secrets') ? secretNames.get(t.service.name) : undefined;
    if (names?.size) t.secretsElsewhere = names;
  }
  const runEnv = new Map<string, { file: string; fact: RunEnvFact }[]>();
  for (const [file, facts] of files) {
    if (facts.isTest) continue;
    for (const fact of facts.runEnv ?? []) {
      const list = runEnv.get(fact.name) ?? [];
      list.push({ file, fact });
      runEnv.set(fact.name, list);
    }
  }
  const unapplied = unappliedManifests(files);
  const leftovers = leftoverDeploys(files, unapplied);

  return {
    files,
    config,
    environments,
    services,
    targets: [...targets.values()],
    reads,
    readsByService,
    writes,
    dbUrls,
    unplaced,
    notDeployed,
    envFileRefusals,
    unapplied,
    variants: leftovers.scripts,
    unappliedBeside: leftovers.manifests,
    unappliedUnnamed: leftovers.unnamed,
    untriggered: untriggeredBuilds(files),
    envFileDeploys,
    callers: new FunctionCallers(files, wordHolders),
    words: new FileWords(files),
    runEnv,
    shared,
    operatorModules: operatorOnly,
    outsideService,
    entryFiles,
    isImageEntry: imageEntries(files),
    modules,
    pythonModules,
    shippedBeside,
    readsShippedBeside,
  };
}

/**
 * Links the code's start-up loads (`EnvLoadFact`) to the targets providing their source: a load
 * from variable X counts for a target that sets X (a secret or a value: it holds a whole env
 * file); a load from a file counts for a target mounting a secret at that path (the path given
 * as written, or held by a variable the target sets). Such a target's variables are open: each
 * link is also a partial reason, so every rule hedges, and `--explain` says why.
 */
function linkEnvLoads(files: ReadonlyMap<string, FileFacts>, services: ServiceIndex, targets: DeployTarget[], operatorOnly: ReadonlySet<string>): void {
  const byService = new Map<string, { file: string; load: EnvLoadFact }[]>();
  for (const [file, facts] of files) {
    if (!facts.envLoads?.length || runsOutsideService(facts) || operatorOnly.has(file)) continue;
    const owner = services.ownerOf(file);
    if (!owner) continue;
    const list = byService.get(owner.name) ?? [];
    for (const load of facts.envLoads) list.push({ file, load });
    byService.set(owner.name, list);
  }
  if (byService.size === 0) return;
  for (const t of targets) {
    const loads = t.service ? byService.get(t.service.name) : undefined;
    if (!loads) continue;
    for (const { file, load } of loads) {
      const provided = providerOf(t, load);
      if (!provided) continue;
      t.loadsEnv.push({ file, load, ...provided });
      t.partial.push({ file: provided.deployFile, reason: `${file} loads variables at start-up from ${provided.provides}, whose contents cannot be checked` });
    }
  }
}

function providerOf(t: DeployTarget, load: EnvLoadFact): { deployFile: string; provides: string } | undefined {
  const describe = (w: WriteRef): string => w.write.value.kind === 'secret' ? `${w.write.name} (secret ${w.write.value.secret})` : w.write.name;
  // The code fetches the secret itself: whatever the target sets, more arrives at start-up.
  if (load.from === 'secret-manager') {
    const d = t.deploys[0];
    return d ? { deployFile: d.file, provides: 'a Secret Manager secret the code fetches itself' } : undefined;
  }
  if (load.from === 'variable' && load.name) {
    const w = t.writes.get(load.name)?.[0];
    return w ? { deployFile: w.file, provides: describe(w) } : undefined;
  }
  const paths = new Set<string>();
  if (load.path) paths.add(path.posix.normalize(load.path));
  if (load.name) {
    for (const w of t.writes.get(load.name) ?? []) if (w.write.value.kind === 'literal') paths.add(path.posix.normalize(w.write.value.value));
  }
  for (const d of t.deploys) {
    const m = d.deploy.secretMounts?.find((x) => paths.has(path.posix.normalize(x.path)));
    if (m) return { deployFile: d.file, provides: `${m.path} (secret ${m.secret})` };
  }
  // The deploy names the file itself (`ENV_PATH=/app/.env.production`): one baked into the image
  // or mounted some other way, its contents unseen.
  const named = load.name ? t.writes.get(load.name)?.[0] : undefined;
  if (named) return { deployFile: named.file, provides: `the file ${load.name} names` };
  return undefined;
}

function basisOf(link: ServiceLink): { basis?: LinkBasis } {
  return link.basis ? { basis: link.basis } : {};
}

/** A port read from the service's Dockerfiles, the image's build not seen: marked as such. */
function guessedListen<T extends object>(l: T | undefined): (T & { guessed: true }) | undefined {
  return l && { ...l, guessed: true };
}

/** The background-only branch of the image's start script a deploy takes (`ImageFacts.idleWhen`):
 * one the script takes whatever the deploy sets, or one under a value the deploy sets as written
 * (`--set-env-vars PROCESS_TYPE=worker` for `if [ "$PROCESS_TYPE" = "worker" ]`). */
function idleBranchRun(deploy: DeployFact, branches: ImageFacts['idleWhen']): DeployRef['servesNothing'] {
  for (const b of branches ?? []) {
    const { file, program, span, when } = b;
    if (!when) return { file, program, span };
    const set = deploy.blocks.flatMap((bl) => bl.entries).find((e) => e.name === when.name && e.value.kind === 'literal' && when.values.includes(e.value.value));
    if (set?.value.kind === 'literal') return { file, program, span, when: `${when.name}=${set.value.value}` };
  }
  return undefined;
}
