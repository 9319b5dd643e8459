/**
 * Facts: what extractors find in one file. Pure data (JSON-serialisable) so that facts can be
 * cached by content hash and compared between runs. Every span is a pair of offsets into the
 * file's text in UTF-16 code units (JS string indices, which is also what LSP positions count),
 * end exclusive. Paths are workspace-relative and use `/`.
 *
 * Extractors never know rules: they record what the file says (who sets and who reads which
 * variable, where a new entry would go), and the workspace model and rules decide what it means.
 */

export interface Span {
  start: number;
  end: number;
}

export type FileKind =
  | 'dotenv'
  | 'shell'
  | 'python'
  | 'typescript'
  | 'yaml'
  | 'dockerfile'
  | 'terraform' // .tf and .tfvars
  | 'prisma' // a Prisma schema: its datasource's URL is read at run time
  | 'manifest' // package.json, pyproject.toml, requirements.txt: marks a code root
  | 'config' // .deploy-preflight.yaml / .json
  | 'docs' // .md, .markdown, .mdx, .rst: read only for the scripts they name
  | 'powershell' // .ps1
  | 'unread-script' // .bat, .cmd: scripts in a language not read, only noted when they deploy
  | 'dockerignore' // .dockerignore: what a build context sent from its folder leaves out
  | 'other';

/** A value written to an environment variable. Secret values are kept only in `literal` and
 * must never be printed: reporters go through `redact()`. */
export type WriteValue =
  /** `substitution`: the value is the file's default for that Cloud Build substitution
   * (`ANTHROPIC_API_KEY=${_ANTHROPIC_API_KEY}`), which a trigger or `--substitutions` may override.
   * `callerDefault`: the value is a script's default for a variable the script never sets
   * (`${GEMINI_API_KEY:-<your-key>}`, spanned by `at`), which its caller may export instead. */
  | { kind: 'literal'; value: string; span: Span; substitution?: string; callerDefault?: { name: string; at: Span } }
  /** `versionSpan`: where a manifest writes the version (Knative `secretKeyRef.key`), for a fix. */
  | { kind: 'secret'; secret: string; version?: string; span: Span; versionSpan?: Span }
  /** `$VAR`, `${{ secrets.X }}`, an f-string, a Python name: set, but to something we can't see.
   * `secretResource`: Terraform's `google_secret_manager_secret.jwt.secret_id` naming a secret
   * declared in another file of the module (the model resolves it from that file's inventory).
   * `template`: a reusable workflow's value written from its inputs (`${{ inputs.db }}-url`), which
   * the model fills in per call; `secretRef` when it is a secret reference (`name:version`). */
  | { kind: 'dynamic'; text: string; span: Span; secretResource?: { address: string; version?: string }; template?: string; secretRef?: boolean }
  /** bare `KEY` in a dotenv file, `- KEY` in compose: taken from the surrounding environment. */
  | { kind: 'inherited' };

export interface EnvWrite {
  name: string;
  nameSpan: Span;
  /** The whole entry, for removal or replacement. */
  span: Span;
  value: WriteValue;
  /** Where the entry is written, when not in the deploy's file (a Terraform local of another file
   * of the module, `DeployFact.localEnv`): its spans are that file's. Set by the model only. */
  file?: string;
}

/**
 * How a new entry is written into a container, as data. The text inserted at `offset` is
 * `before + renderEntry(format, name, value) + after` (see fixes/render-entry.ts).
 */
export interface Insertion {
  offset: number;
  before: string;
  after: string;
  format: EntryFormat;
  /** Indentation of continuation lines for multi-line formats (YAML env lists). */
  indent?: string;
  /** Quote character the surrounding entries use (python dicts, YAML scalars). */
  quote?: string;
  /** One level of indentation in the surrounding block (HCL: what the container's body is
   * indented by, `  ` or `    ` or a tab), for the nested lines of a new entry. */
  indentUnit?: string;
  /** List delimiter of a gcloud `--set-env-vars` value (`,` unless the `^DELIM^` form is used). */
  delimiter?: string;
  /** Other deploys written by the same text (a Terraform resource's other `for_each` instances,
   * other targets naming the same env-vars file) and why: an entry added here reaches them too,
   * so a fix through it is offered, never safe. */
  sharedWith?: { others: string[]; why: string };
  /** The text is PowerShell's (a `.ps1` script): its quoting differs from a POSIX shell's, so an
   * entry is written only where it needs none of it. */
  dialect?: 'powershell';
}

export type EntryFormat =
  | 'gcloud-kv' // NAME=value inside a gcloud list value (already inside the flag's quoting)
  | 'gcloud-flag-env' // a whole new `--update-env-vars=NAME=value` word, shell-quoted
  | 'gcloud-flag-secret' // a whole new `--update-secrets=NAME=secret:version` word
  | 'gcloud-arg-env' // a new element of an argument list (Cloud Build args, Python list): the flag as a string literal
  | 'gcloud-arg-secret'
  | 'dotenv' // NAME=value line
  | 'python-dict' // "NAME": value,
  | 'yaml-env-list' // - name: NAME / value: v  (Knative, Kubernetes)
  | 'yaml-map' // NAME: value (compose environment map, env-vars-file, GitHub Actions env)
  | 'yaml-list-kv' // - NAME=value (compose environment list)
  | 'kv-lines' // NAME=value lines inside a YAML block scalar (deploy-cloudrun env_vars / secrets)
  | 'terraform-env' // env { name = "NAME" value = … } / value_source { secret_key_ref { secret version } } (Cloud Run v2 resources)
  | 'terraform-env-v1'; // env { name = "NAME" value = … } / value_from { secret_key_ref { name key } } (google_cloud_run_service)

export type BlockKind = 'env' | 'secrets';

/** A syntactic container of env writes: one `--set-env-vars`, one dict, one `env:` list, a dotenv file. */
export interface EnvBlock {
  kind: BlockKind;
  /** `set` replaces what the target had; `update` adds to it (the target may hold more than we
   * see); `file` is a dotenv / env-vars file's own entries. */
  mode: 'set' | 'update' | 'file';
  span: Span;
  /** What owns the list, at most a line: the flag (`--set-env-vars`), the key (`env:`,
   * `environment_vars=`, `"env":`), a dotenv file's first entry. Findings about the block point
   * here, not at the whole list (which may run for dozens of lines). */
  keySpan?: Span;
  entries: EnvWrite[];
  /** Where a new entry goes; absent when the container cannot be safely extended. */
  insert?: Insertion;
  /** The entries of an env-vars file the script writes itself from a here-document and names
   * in `--env-vars-file` (that path): `keySpan` is the path on the gcloud line, `span` the text. */
  fromFile?: string;
  /** A reusable workflow's list written whole from an input (`--set-env-vars "$ENV_VARS"` with
   * `ENV_VARS: ${{ inputs.env_vars }}`): the template, no entries here; each call's value of the
   * input is the list (model/workflow-calls.ts). */
  listTemplate?: string;
  /** gcloud's reading of the list when it refuses it: an item without `NAME=` (a value holding
   * the delimiter). Only recorded then. */
  split?: ListSplit;
}

/** How gcloud splits a `NAME=value` list flag (`--set-env-vars`), for a list it refuses. */
export interface ListSplit {
  delimiter: string;
  /** The `^x^` that names another delimiter, or the empty span where one goes. */
  prefix: Span;
  /** The delimiters before each real entry (the ones a new delimiter replaces). */
  separators: Span[];
  /** Items that are no `NAME=value`, with the entry before them (whose value they most likely
   * continue), and the variable whose value brought the item in, where it was assigned. */
  refused: { text: string; span: Span; after?: string; from?: { name: string; span: Span };
    /** Not an item as written: a command substitution in `after`'s value whose text holds the
     * delimiter (`$(echo $LIST | tr ' ' ',')`), so what it writes most likely splits. */
    written?: true }[];
  /** Spans map to the source character by character (no escapes in the word): edits are safe. */
  exact: boolean;
  /** The list's text after the prefix, to choose a delimiter it does not hold. */
  text: string;
  /** Part of the list is filled in at run time (`$EMAIL`, `{url}`): its text may hold any delimiter. */
  unseen: boolean;
}

/** A string, resolved when the extractor could see its value. */
export interface Resolved {
  value?: string;
  /** Source text when not a literal (`$PROJECT_ID`, `self.project_id`, `${{ env.PROJECT }}`). */
  text: string;
  span: Span;
  /** Terraform: the value as literal pieces and references to variables or locals (`api-` +
   * `var.env`), when it is made only of those, so the model can resolve it from the module's
   * other files (a default in variables.tf, a value in staging.tfvars). */
  parts?: TemplatePart[];
  /** A reusable workflow's value written from its inputs (`${{ inputs.service }}-staging`): no
   * `value` here, the model fills it in per call (model/workflow-calls.ts). */
  template?: string;
}

export type TemplatePart = { text: string } | { ref: string };

/** One deployment of one service: a `gcloud run deploy`, a Knative manifest, a compose service,
 * a deploy-cloudrun step, a Python deploy script's per-service config. */
export interface DeployFact {
  /** `cloud-function`: `gcloud functions deploy` (a Cloud Run function, 1st or 2nd gen). */
  platform: 'cloud-run' | 'cloud-run-job' | 'cloud-function' | 'compose' | 'kubernetes';
  /** How the deploy was written, for messages and explanations. */
  via: 'shell' | 'powershell' | 'python' | 'cloudbuild' | 'github-actions' | 'knative' | 'compose' | 'kubernetes' | 'terraform';
  span: Span;
  /** Deployed service name (`backend-staging`), as written. */
  service?: Resolved;
  /** The file holding it cannot be loaded by what would run it (a GitHub workflow whose YAML has a
   * syntax error: GitHub refuses the file), and why: it deploys nothing as written. */
  unloadable?: string;
  /** `--source`, `directory=`, compose `build` context, relative to `cwd` or the file. */
  source?: Resolved;
  image?: Resolved;
  project?: Resolved;
  region?: Resolved;
  /** Environment names this file says it targets (`ENVIRONMENT=staging`, a workflow's
   * `environment:`), before normalisation. File names and service names are looked at by the model. */
  environmentHints: { value: string; span: Span; evidence: string; template?: string;
    /** From a workflow's or a job's `env:` (set for every step, tests included): the deploy's own
     * entries and its deployed name say more, and are looked at first. */
    shared?: true }[];
  blocks: EnvBlock[];
  /** `--env-vars-file`, compose `env_file`: paths as written, relative to the file's folder. */
  envFiles: Resolved[];
  /** The env files are gcloud's `--env-vars-file`, which gcloud reads as YAML (a map of `NAME:
   * value`); compose's `env_file` and deploy-cloudrun's `env_vars_file` also take `NAME=value` lines. */
  envFilesYaml?: true;
  /** The Dockerfile the deploy builds from, when the deploy names it (`dockerfile=`, compose
   * `build.dockerfile`); a deploy of a prebuilt `--image` is linked to its build by image name. */
  dockerfile?: Resolved;
  /** The code file the deploy runs instead of the image's command (`--command node --args
   * src/worker.ts`, `--args -m,app.worker`): the first argument naming one, as written (a module
   * as its path, `app/worker.py`). Another deploy of the same image runs the image's own command. */
  entry?: Resolved;
  /** A Cloud Run job's `--command` (with its `--args`) that names no code file (`npm run
   * db:migrate`, `alembic upgrade head`): the job runs that task, not the image's program, and
   * which of the service's files it loads is not known. */
  command?: Resolved;
  /** The container port the deploy sets (`--port 8000`, a manifest's `containerPort`, Terraform's
   * `container_port`): where Cloud Run sends requests, and the value of `$PORT`. Absent, 8080. */
  port?: Resolved;
  /** The deploy gives the container a command or arguments of its own (`--command`, `--args`, a
   * manifest's `command`/`args`): the image's `CMD` may not be what runs. */
  ownCommand?: true;
  /** Where a new env flag / secrets flag would go when the deploy has no such block yet. */
  newEnvBlock?: Insertion;
  newSecretBlock?: Insertion;
  /** Terraform: the env blocks of a module's resource that iterate its inputs; the model fills
   * them from each call of the module (model/terraform.ts). `opaque` stays set for the resource
   * as written. */
  moduleEnv?: TerraformEnvInput[];
  /** Terraform: `dynamic "env"` blocks over locals another file of the module writes out
   * (`for_each = toset(local.secret_ids)`), for the model to list from that file
   * (model/terraform.ts); the deploy is `opaque` until it does. */
  localEnv?: TerraformEnvInput[];
  /** Something we could not read (an env list from a variable, `"$@"`): the target may hold more. */
  opaque?: string;
  /** The deploy leaves the image to other deploys (Terraform's `lifecycle { ignore_changes =
   * [...image] }`): the image it names is a first one (often Google's sample container), and its
   * env is still the service's. */
  imageSetElsewhere?: true;
  /** The env written out is merged with values not written out (a Terraform module call's
   * `merge({ … }, var.env_vars)`), as written: the deploy sets what it lists, and may set more. */
  mergedEnv?: string;
  /** Secrets mounted as files (`--set-secrets /secrets/.env=app-env:latest`, a manifest's or
   * Terraform's secret volume): no variable, but a file the code may load its variables from (see
   * `EnvLoadFact`), in a directory that holds nothing else. */
  secretMounts?: SecretMount[];
  /** One of several deploys written by one shared text (a loop item, a matrix combination, a
   * `case` branch, a function call): which one, and how many the text writes. An edit inside
   * `span` changes every one of them, so a fix there is never applied unreviewed. */
  instance?: { label: string; of: number };
  /** `gcloud run services update`, `gcloud run jobs update`: changes a service created
   * elsewhere and keeps what it does not mention, so where another deploy of the target creates
   * it, that deploy is where a missing variable is shown and added. */
  amends?: boolean;
  /** Why gcloud refuses the command as written, so that it deploys nothing and is no deployed
   * environment: flags it accepts only one of (`exclusive`: `flag` beside `other`), an env
   * list with an item that is no `NAME=value` (`split`: the block's `split` says which), or a list
   * continued in words of its own (`stray`). `at` is where: the second flag, the first refused
   * item, the first stray word. */
  rejected?: { why: 'exclusive' | 'split' | 'stray'; flag: string; other?: string; delimiter?: string; at: Span;
    /** `stray`: `NAME=value` words after `flag`'s list (`--set-env-vars A=1 B=2`), which gcloud takes
     * for extra arguments; `joins` are the gaps (quotes, spaces, a YAML item's dash) that a
     * delimiter replaces to make them one list (nothing, where the word before already ends with
     * it: `A=1,\` then `    B=2`), when every word is quoted alike. `name`: the first's. */
    joins?: { span: Span; text: string }[]; name?: string };
  /** A manifest holding fields only the server writes (`metadata.uid`, `resourceVersion`,
   * `creationTimestamp`, a top-level `status`): a saved description of the running service
   * (`gcloud run services describe` output), not what a deploy sends. The fields found. */
  described?: string[];
  /** A Cloud Run manifest whose own comments say how it is applied (`# Deploy with: gcloud run
   * services replace service.yaml`): the comment. With no such comment and no command in the
   * workspace naming the file (`FileFacts.yamlMentions`), nothing says the manifest is applied. */
  applyNote?: Span;
  /** What marks a Knative manifest as Cloud Run's own rather than a Knative cluster's: an
   * annotation of Cloud Run (`run.googleapis.com/ingress`), its `run.googleapis.com/v1`
   * apiVersion, or a path that says so (`cloudrun/service.yaml`). Only there does
   * `secretKeyRef.key` name a Secret Manager version. */
  cloudRunMark?: string;
  /** Why the deploy could not be resolved statically (a service name computed at run time, a
   * matrix from `fromJSON`): the model leaves it unplaced rather than guess, and says why. */
  unresolved?: string;
  /** Terraform `count = var.enabled ? 1 : 0`: the resource exists only while the module variable
   * `variable` (`enabled`) is `when`; the model reads it per environment's tfvars. `text` is the
   * `count` expression as written, for `--explain`. */
  onlyIf?: { variable: string; when: boolean; text: string;
    /** The switch is whether the variable is blank (`var.image == "" ? 0 : 1`), not its truth:
     * the resource is created when "the variable is not blank" is `when`. */
    test?: 'nonBlank' };
}

/** One file of a secret volume. On Cloud Run the directory a secret volume is mounted at holds
 * only the volume's files: a path under it that is no such file does not exist. */
export interface SecretMount {
  /** The file, absolute (`/secrets/creds.json`). */
  path: string;
  /** The directory the volume is mounted at (`/secrets`). */
  dir: string;
  secret: string;
  /** The volume lists no items, so its one file is named after the secret (Cloud Run's reading). */
  namedAfterSecret?: true;
  /** The mount as written: the gcloud list item, the volume's item (or the volume). */
  span: Span;
}

/**
 * Code that loads variables into its environment at start-up from something a deploy provides
 * whole: the contents of one variable (`load_dotenv(stream=io.StringIO(os.environ["APP_ENV"]))`,
 * a loop writing each `KEY=VALUE` line of it into `os.environ`) or a file at a path
 * (`load_dotenv("/secrets/.env")`, `environ.Env.read_env(path)`). The model links it to the
 * deploy's variable of that name or its secret mounted at that path: that deploy's variables are
 * then more than it shows.
 */
export interface EnvLoadFact {
  /** `variable`: the contents of variable `name`; `file`: the file at `path`, or at the path
   * variable `name` holds (`load_dotenv(os.environ["ENV_FILE"])`); `secret-manager`: a secret the
   * code fetches itself (`access_secret_version(…).payload.data`), whatever the deploy sets. */
  from: 'variable' | 'file' | 'secret-manager';
  name?: string;
  path?: string;
  /** The loading call or statement. */
  span: Span;
  /** How, for explanations (`load_dotenv`, `read_env`, `a loop writing os.environ`). */
  via: string;
}

/** A GitHub Actions job calling a reusable workflow of the same repository
 * (`uses: ./.github/workflows/deploy.yml` with `with:` inputs). The callee's deploys depend on
 * the inputs, which only the caller knows: the model resolves the call (see model/workflow-calls.ts). */
export interface WorkflowCallFact {
  /** The called workflow as written (`./.github/workflows/deploy.yml`), relative to the repository root. */
  callee: string;
  /** The job's `uses:` value span. */
  span: Span;
  /** The job's id. */
  job: string;
  /** Inputs passed with `with:`, resolved where the caller's matrix/env make them static
   * (`undefined`: set, to something we can't see). */
  inputs: Record<string, string | undefined>;
  /** A label for the caller's matrix combination, when the call is one of several. */
  label?: string;
  /** Where each input is written in the caller (`with:` key and value), for a deploy the call
   * writes more of than its name (a whole env list). */
  inputSpans?: Record<string, { key: Span; value: Span }>;
  /** Inputs written as a `NAME=value,…` list (`env_vars: "A=1,B=2"`), read as a gcloud list with
   * spans in the caller: the entries of a callee's list written whole from that input. */
  listInputs?: Record<string, EnvBlock>;
}

/** A reusable workflow's declared inputs (`on.workflow_call.inputs`), with their defaults. */
export interface WorkflowInputsFact {
  inputs: Record<string, { default?: string }>;
}

/**
 * "The manifests at `path` are deployed to environment `environment`": a Cloud Deploy delivery
 * pipeline stage (`targetId: staging`, `profiles: [staging]`) joined in the model with the Skaffold
 * profile that renders them. Each file records its half; see model/environment-links.ts.
 */
export interface DeliveryStageFact {
  pipeline: string;
  targetId: string;
  /** Skaffold profiles the stage renders with; empty: the config's default manifests. */
  profiles: string[];
  span: Span;
}

/** A Cloud Deploy `kind: Target`: where its stage deploys (`run.location: projects/P/locations/R`). */
export interface DeliveryTargetFact {
  id: string;
  project?: string;
  region?: string;
  span: Span;
}

/** A Skaffold profile (or the config's default, `profile` absent) and the manifests it renders,
 * paths as written relative to the Skaffold file's folder. */
export interface SkaffoldManifestsFact {
  config?: string;
  profile?: string;
  manifests: { path: string; span: Span }[];
  /** The profile deploys to Cloud Run (`deploy.cloudrun`). */
  cloudRun: boolean;
  span: Span;
}

/** An image build (`docker build`, a Cloud Build docker step, `gcloud builds submit --tag`,
 * `docker/build-push-action`): ties an image name to the Dockerfile and context it comes from. */
export interface BuildFact {
  span: Span;
  via: DeployFact['via'];
  /** `-t` / `--tag` / `--destination` / `tags:`: the first tag. */
  image?: Resolved;
  /** The build's further tags (`-t A -t B`, a `tags:` list): a deploy of any of them ships it. */
  otherTags?: Resolved[];
  /** `-f` / `--file` / `--dockerfile`; absent when the build uses `<context>/Dockerfile`. */
  dockerfile?: Resolved;
  /** The build context (`.`, `services/api`), as written; relative to where the build runs. */
  context?: Resolved;
  /** Names passed with `--build-arg NAME[=value]`; `dynamic` when one of them could not be read
   * (`--build-arg "$ARGS"`), so what the build gets is not known whole. */
  buildArgs?: { names: string[]; dynamic?: boolean };
  /** `--target` / `target:`: the stage of a multi-stage Dockerfile the image is built to. */
  target?: Resolved;
  /** One of several builds written by one shared text (a `case` branch choosing the Dockerfile):
   * which one, labelled as the deploys of the same way through the script are
   * (`DeployFact.instance`), so each deploy runs the image its own way built. */
  instance?: string;
}

/** `gcloud builds submit [--config F] [--substitutions _A=…,_B=…]` without `--tag`: a script
 * running a Cloud Build file, and the substitutions it passes, which replace the file's defaults. */
export interface BuildConfigRun {
  span: Span;
  /** The Cloud Build file, as written (relative to where the command runs); gcloud's default
   * `cloudbuild.yaml` in the source folder when `--config` is absent. */
  config: Resolved;
  /** Substitution names passed (`_API_KEY`); `dynamic` when the list could not be read whole. */
  substitutions: string[];
  dynamic?: boolean;
  /** What the run passes for a substitution whose value is one shell variable alone
   * (`_IMAGE=${IMAGE}`: `{ name: '_IMAGE', variable: 'IMAGE' }`) or text with no expansion left
   * (`_IMAGE=gcr.io/acme/api`): how an image the file builds as `$_IMAGE` is named in the script
   * that deploys it (`--image "$IMAGE"`). Other values are left out. */
  passed?: { name: string; variable?: string; text?: string }[];
}

/** What a Dockerfile says about the code it packages. Paths are as written in the Dockerfile. */
export interface DockerfileFact {
  /** `COPY`/`ADD` sources from the build context (not `--from` another stage), with their destination. */
  copies: { source: string; dest: string; span: Span;
    /** The stage's working directory at the copy, which a relative `dest` is under. */
    workdir?: string;
    /** Made in a stage the running image is not built on (a front-end builder): only what a
     * `COPY --from` takes of that stage's output reaches the image. */
    builderStage?: true }[];
  /** What the container runs (`CMD`/`ENTRYPOINT`): a Python module (`uvicorn backend.main:app`,
   * `python -m worker`) or a script path (`python manage.py`, `node dist/server.js`). */
  runs: { module?: string; script?: string; workdir?: string; span: Span;
    /** `npm start`, `yarn serve`: the package.json script of that name says what runs (`FileFacts.scriptRuns`). */
    packageScript?: string;
    /** `./docker-entrypoint.sh`: the shell script's own last command says what runs (`FileFacts.startsProgram`). */
    shellScript?: string }[];
  /** Named stages' commands (set or inherited), where the file has several stages: a build to one
   * of them (`--target api`) runs that one rather than the last stage's (`runs`). */
  stageRuns?: Record<string, DockerfileFact['runs']>;
  /** `ARG` names, every stage. */
  args?: string[];
  /** Names the last stage (the image that runs) sets with `ENV` to a value of its own: every
   * container of the image has them unless a deploy overrides them. A value made only of a
   * build argument (`ENV API_URL=$API_URL`) or empty is left out: without that argument it is empty. */
  env?: string[];
  /** Those names with their values as written (quotes dropped) and where each is set. */
  envValues?: { name: string; value: string; span: Span }[];
  /** Names any stage sets with `ENV` to a value of its own: what a build step there (`npm run
   * build` inlining `NEXT_PUBLIC_*`) sees. */
  buildEnv?: string[];
  /** The container may rewrite its files from the environment when it starts: its command runs a
   * shell script or `envsubst`, or it adds scripts to `/docker-entrypoint.d/` (how a static site
   * injects run-time values into a bundle built without them). */
  startupScript?: boolean;
  /** The image's command is an interpreter alone (`ENTRYPOINT ["python"]`, no `CMD`): it runs no
   * program of its own; a job's executions each name one. The interpreter as written. */
  bareInterpreter?: string;
  /** The running image's command starts a server on a fixed port and never reads `$PORT` (`CMD
   * ["uvicorn", "app.main:app", "--port", "8000"]`, knowledge/listening-ports.ts), with the
   * `CMD`/`ENTRYPOINT` that says so. 8080 included: a deploy may send requests to another port. */
  listens?: { port: string; server: string; span: Span };
  /** The running image's command starts background work only and opens no port (`celery -A app
   * worker`, knowledge/listening-ports.ts `backgroundOnly`): the program, with the command. */
  servesNothing?: { program: string; span: Span };
}

/** A literal value a setup script writes into Secret Manager (`echo -n "…" | gcloud secrets
 * versions add NAME --data-file=-`, a dict of secret name → value fed to `gcloud secrets create`).
 * The value is a secret: kept for analysis only, never printed. */
export interface SecretValueFact {
  secret: string;
  secretSpan: Span;
  value: string;
  valueSpan: Span;
  /** Written only when the secret does not exist yet (after a failed lookup of it): a first
   * value for a new project, which a project that has the secret never gets. */
  onlyWhenNew?: boolean;
  /** Seeded only when new, and the script tells its operator so beside it (`echo "created with a
   * placeholder; update it with the real value"`): a bootstrap step, not a value mistaken for a
   * real one. */
  announced?: true;
}

/** A secret that exists because the workspace declares it (a Terraform `google_secret_manager_secret`
 * resource): its name only, never a value. */
export interface SecretInventoryEntry {
  secret: string;
  /** The name as written (the `secret_id` value, or the expression it came from). */
  span: Span;
  /** Where it is declared, for messages (`google_secret_manager_secret.jwt`). */
  declaredBy: string;
}

/**
 * A Terraform value another file of the same module may need: a variable's default
 * (`variable "x" { default = … }`), a local (`locals { x = … }`), or a `.tfvars` assignment. Only
 * strings, numbers and booleans; a value that is itself an expression keeps its text
 * (`api-${var.env}`) so the model can substitute what it knows.
 */
/** One input of a Terraform module call: a scalar as a `Resolved` (its references re-resolved in
 * the caller's module), or a map as its entries (`env_vars = { LOG_LEVEL = "info", … }`). */
export interface TerraformInput {
  name: string;
  span: Span;
  scalar?: Resolved;
  /** Entries of a map whose keys are all known (values may not be). Absent when the input is
   * not such a map. */
  entries?: TerraformMapEntry[];
  /** The map is `merge(…)` of these entries and values not written out in the file
   * (`var.env_vars`), as written: it may hold more entries. */
  mergedUnknown?: string[];
}

export interface TerraformMapEntry {
  key: string;
  keySpan: Span;
  /** The element (`KEY = value`). */
  span: Span;
  /** The value when it is a string or scalar. */
  value?: { value: string; span: Span; literal: boolean };
  /** The value's source text otherwise (`google_secret_manager_secret.jwt.secret_id`). */
  text?: string;
  /** An object value's own entries, one level (`{ secret_id = "jwt", version = "latest" }`). */
  fields?: Record<string, { value?: string; text: string; span: Span }>;
}

export interface TerraformModuleCall {
  label: string;
  /** `source` as written (`./modules/cloud_run`): only local modules are recorded. */
  source: string;
  span: Span;
  inputs: TerraformInput[];
}

/** A module's `dynamic "env"` block over one of its inputs (`for_each = var.env_vars`): the
 * entries of that input, as a call passes it, are the container's variables. `value` / `secret` /
 * `version` say where in each element the value is (`[]`: the element itself; `['secret_id']`:
 * its field), or a literal version. */
export interface TerraformEnvInput {
  /** The module input (`var.env_vars`), or with `local` the local (`local.secret_ids`). */
  variable: string;
  local?: true;
  /** The element's field the variable's name is (`env.key`, else `env.value` of a list's item). */
  nameFrom?: 'value';
  /** A secret reference not taken from the element, as written. */
  secretText?: string;
  /** …when it is a `for_each` secret resource's instance keyed by the element
   * (`google_secret_manager_secret.app[env.value].secret_id`): the resource's address. */
  secretOfElement?: string;
  kind: 'env' | 'secrets';
  value?: string[];
  secret?: string[];
  version?: { path: string[] } | { literal: string };
}

export interface TerraformVarFact {
  kind: 'default' | 'local' | 'tfvar';
  name: string;
  value?: string;
  /** Source text when `value` is not a literal: `var.region`, `api-${var.env}` (template without quotes). */
  text?: string;
  /** `text` as literal pieces and references, when it is made only of those. */
  parts?: TemplatePart[];
  /** A local holding a map or a list written out (`secret_ids = ["DATABASE_URL", …]`): its
   * elements, a list's items being keys and values both. Another file of the module may iterate
   * it (`dynamic "env" { for_each = toset(local.secret_ids) … }`, `DeployFact.localEnv`). */
  entries?: TerraformMapEntry[];
  span: Span;
}

export interface EnvRead {
  name: string;
  nameSpan: Span;
  /** The whole access expression. */
  span: Span;
  /** The read's absence is handled where it is read, so it is no requirement of a deploy: a
   * default or fallback (`.get("X", "d")`, `?? "d"`, a destructuring default), a presence test,
   * a comparison, another variable standing in. Rules read this one flag; `optionalBecause` says
   * which when the extractor knows. */
  hasDefault: boolean;
  /** Why `hasDefault` holds, when the extractor knows. */
  optionalBecause?: OptionalReason;
  /** The text the value is compared with (`process.env.X === 'true'`, `!== 'off'`, also after a
   * text fallback or a case call: `os.getenv("X", "false").lower() == "true"`): a deploy setting X
   * to it and one leaving X unset take different branches there. */
  comparedWith?: string;
  /** Further texts that take the same branch as `comparedWith` (`in ("1", "true", "yes")`). */
  comparedAlso?: string[];
  /** The value is compared after `.lower()` / `.toLowerCase()`: the case of a deploy's value does
   * not matter. */
  comparedCaseless?: true;
  /** The code rejects a missing value only in these environments (`if not v and env ==
   * "production": raise`, `elif env in ["staging", "production"]: raise`): the read is required
   * there and optional elsewhere (`hasDefault` is false, so rules must also check
   * `readAppliesTo`-style that the environment matches). */
  requiredIn?: string[];
  /** Required although it has a default: an empty string the code rejects (`get("X", "")` then
   * `if not x: raise`). Messages say so rather than "no default". */
  emptyDefault?: boolean;
  /** Required for want of evidence: nothing in the reading file uses the value (a module constant
   * or class attribute other files may read; not a getter's return, which exists to be called),
   * so whether its absence breaks anything is decided where this file cannot see. */
  needUnseen?: boolean;
  /** The settings field the value is kept in (`secret_key` of a pydantic-settings class, for the
   * field's own read and a read in its default; TypeScript: the key of a module settings object's
   * field holding the value or a test of it), where the reading file names that field nowhere
   * else: whether anything uses the value is for other files to say (model/stored-fields.ts). */
  storedIn?: string;
  /** TypeScript (which records `storedIn` only where nothing between the read and the field can
   * throw on an unset variable): the other named fields of the object literal `storedIn` is a field of
   * (`{ introspection: …, playground: … }`). A field no other file names is unused only where one
   * of these is named elsewhere: the object is read field by field, not handed whole to a library
   * (`initializeApp(config.firebase)` uses fields nobody names). */
  storedBeside?: string[];
  /** The value is what this module-level function of the reading file returns, and nothing in
   * the file calls it (`def get_bucket(): return os.getenv("BUCKET")`; TypeScript: an exported
   * function, whose calls in its own file, if any, all cope): whether its absence breaks
   * anything is for the function's callers in other modules to say (`FileFacts.getterCalls`,
   * model/getter-callers.ts). Required until they do. */
  returnedBy?: string;
  /** The read sits in a function other modules call by this name (`load_settings` at a module's
   * top level; `JWTConfig.from_env` for a class or static method of a top-level class), and nothing
   * else in its file names the function: the switches every call of it sits behind
   * (`FileFacts.switchedCalls`) decide when it runs too (model/switched-callers.ts). Python and
   * TypeScript (an exported function), on reads with no default only. */
  calledAs?: string;
  /** A secret read whose default tells the reader to replace it (`"change-me-in-production"`):
   * required (`hasDefault` is false), and messages say the default is a placeholder. */
  placeholderDefault?: boolean;
  /** With `placeholderDefault`: the default is no placeholder but what looks like a real key
   * committed to the repository (`knowledge/secrets.ts` `committedKeyShape`); messages say so. */
  committedKey?: true;
  /** The default is a loopback URL (`process.env.FRONTEND_URL || 'http://localhost:5173'`), as
   * written: a development value, never a secret. */
  localDefault?: string;
  /** The default when it is a literal text or number (`os.getenv("GCS_PROJECT", "klipstream")`,
   * `process.env.TTL ?? 3600`, a settings field's `= "https://api.example.com"`), on reads with a
   * default: what the service runs on where the variable is unset. Compared, never shown. */
  textDefault?: string;
  /** In the `else` of environment comparisons (`if ENV == "production": … else: <read>`): the read
   * does not run in these environments (it still runs in every other one, staging included). */
  notInEnvironments?: string[];
  /** The value is inlined into a bundle when it is built (Vite `import.meta.env.VITE_*`, Next.js
   * `NEXT_PUBLIC_*`, a `vite.config`): the build needs it (a `--build-arg`), the running service
   * never reads it, so a runtime deploy does not provide it. */
  buildTime?: boolean;
  /** On a read a build may inline: the text its fallback gives when the build had no value
   * (`process.env.NEXT_PUBLIC_API_URL || 'https://api.example.com'`), which the bundle then holds. */
  inlinedFallback?: string;
  /** A Next.js config's `env` entry passing the variable on under its own name, with no fallback
   * (`NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL`): the bundle's reads decide. */
  forwardsOwnName?: true;
  /** A whole-environment schema's field that is `undefined` when the variable is unset
   * (`X: z.string().optional()`, no default value): code elsewhere testing the field
   * (`typeof config.X === 'string'`) is testing whether the variable is set. */
  schemaUndefined?: true;
  /** Accessor shape, for messages and rename safety (`os.environ.get`, `process.env`, `env.get`). */
  via: string;
  /** A statement at a module's top level that gives the variable a value unless the deploy set
   * one (`os.environ.setdefault("REGION", "us-central1")`; TypeScript: `process.env.REGION =
   * process.env.REGION ?? 'us-central1'`, a secret's placeholder excepted): once the module is
   * loaded, every read of the name in that service has it (model/code-defaults.ts). */
  setsAtImport?: true;
  /** The value only goes back into the same variable (`process.env.JWT_SECRET =
   * process.env.JWT_SECRET ?? 'dummy_jwt_secret'`, a secret's placeholder, so nothing is filled):
   * the read uses nothing itself, and matters only where other code of the service reads the name
   * after it (`requiredReads`). */
  writesBack?: true;
  /** Inside a branch only taken in development/test (`if ENV == "development":`). */
  devOnly?: boolean;
  /** In a function's body (Python `def`/`lambda`; TypeScript a function, method or arrow
   * function), or (Python) every use of its value is (`KEY = os.getenv("KEY")` at the top level,
   * needed only in `def charge():`): a missing value fails when that is called, not when the
   * module loads. Recorded where the extractor reads the variable itself (not on reads it infers
   * through other modules' code). */
  inFunction?: true;
  /** In a module's `if __name__ == "__main__":` block: read only when the file is run as a
   * program, not when the service imports it (the model asks whether anything runs it so). */
  mainOnly?: true;
  /** Environment-specific branch (`if env == "staging":`): the read happens only there. */
  inEnvironment?: string;
  /** Not written in the code: a library the file calls reads it by itself (`NextAuth({...})` reads
   * `AUTH_TRUST_HOST`, knowledge/auth-js.ts). The model keeps it only where the service's
   * package.json names that library's version and no file of the service settles it in code. */
  impliedBy?: 'next-auth';
  /** Names that can stand in for this one, from the same fallback chain
   * (`os.environ.get("A") or os.environ.get("B")`: B's are `["A"]`, A's `["B"]`). */
  alternatives?: string[];
  /** The read is the fallback of a value the code has from elsewhere (`self.config.api_key or
   * os.getenv("X")`, `opts.apiKey || process.env.X`): that value's name or attribute path. The
   * variable is needed only when that value is empty, which the workspace cannot see. */
  fallbackOf?: string;
  /** The read runs only when every one of these other variables is set or unset, as the code
   * around it decides (see `EnvSwitch`): a deploy that decides one of them the other way never
   * runs it. Never the read's own name (a required read of the switch itself is judged as any). */
  onlyWhen?: EnvSwitch[];
  /** The read runs only when these functions of other workspace modules return true (after
   * `if (!smtpConfigured()) return;` with `smtpConfigured` imported): the model adds the variables
   * each one tests (its file's `presenceChecks`) to `onlyWhen`. */
  onlyWhenChecked?: PresenceCall[];
  /** The value goes, unguarded, to a function of another file of the workspace (TypeScript): an
   * argument of a call of an import from a relative module, or a property of an object literal
   * passed as one (`ask(q, { modelName: process.env.X })`). Whether that function handles an
   * undefined value is the model's question (that file's `optionalParams`). */
  passedTo?: PassedTo;
  /** The function the read sits in (at a module's top level, or a method of a class that extends
   * nothing and carries no decorator), when nothing in the reading file names it, no decorator
   * registers it and its name is no framework's convention (`GET`, `load`, `handle`): unless
   * another file names it (`FileFacts.words`), nothing calls it, and the read never runs
   * (model/uncalled-functions.ts). TypeScript: also a plain lookup that only fills a module
   * constant every use of which sits in such functions (the constant is then among
   * `unnamedCallers`). */
  inUnnamedFunction?: string;
  /** The file's functions that name `inUnnamedFunction` (calls in their bodies), directly or
   * through one another, when nothing else in the file names any of them: the function runs only
   * if another file names one of these (`notify_sms` dispatching to `send_sms_twilio`). */
  unnamedCallers?: string[];
}

/**
 * A direct presence test of one env variable that a read depends on. `set: true`: the read sits
 * where the variable is set (`if os.getenv("A"):`, `if "A" in os.environ:`, `if (process.env.A)`,
 * after `if not os.getenv("A"): return`, through a local bound to the read: `conn =
 * os.getenv("A")` then `if conn:`); `set: false`: where it is unset (their `else`, `if not
 * os.getenv("A"):`). Comparisons with values that name an environment (`== "prod"`) are no
 * switches: those are `inEnvironment`. A comparison with another value is one, with `equals`
 * (`(process.env.STORAGE ?? 'local') === 'gcs'`): the read runs only when A is set to that value.
 */
export interface EnvSwitch {
  name: string;
  set: boolean;
  /** The read runs only when A's value is this one (`set` is then true: unset, A is `fallback`
   * or nothing, never this value). A deploy setting A to another literal never runs it either. */
  equals?: string;
  /** What the code takes for A when it is unset (`?? 'local'`), for messages. */
  fallback?: string;
  /** `equals` is also the value the code takes when A is unset (`case 'custom':` of
   * `process.env.A || 'custom'`): only a deploy setting A to another literal skips the read. */
  orUnset?: true;
}

/** The same switch: the same variable, decided the same way. */
export function sameSwitch(a: EnvSwitch, b: EnvSwitch): boolean {
  return a.name === b.name && a.set === b.set && a.equals === b.equals && !!a.orUnset === !!b.orUnset;
}

/** The switches of `a` that `b` holds too: what two call sites of one function share. */
export function commonSwitches(a: readonly EnvSwitch[], b: readonly EnvSwitch[]): EnvSwitch[] {
  return a.filter((s) => b.some((x) => sameSwitch(x, s)));
}

/** The switches a read's callers add to it (`switches`, from where its function is called): those
 * it does not hold yet, never one on its own name. */
function addedSwitches(read: EnvRead, switches: readonly EnvSwitch[]): EnvSwitch[] {
  return switches.filter((s) => s.name !== read.name && !read.onlyWhen?.some((o) => sameSwitch(o, s)));
}

/** A read its callers run only where its own variable is set (`if (process.env.KEY)
 * callProvider()` around every call of the function reading KEY): optional, whatever the read
 * itself does without it. */
export function judgedByCallers(read: EnvRead, switches: readonly EnvSwitch[]): EnvRead {
  if (switches.some((s) => s.name === read.name && s.set && s.equals === undefined)) return withDefault(read, 'callers-test');
  const added = addedSwitches(read, switches);
  return added.length ? { ...read, onlyWhen: [...(read.onlyWhen ?? []), ...added] } : read;
}

/** A call of a function another module exports, by the module specifier as written (relative)
 * and the exported name. */
export interface PresenceCall { module: string; name: string }

/** A function whose result is true only when every one of `tests` is set
 * (`export function smtpConfigured(env = process.env) { return Boolean(env.SMTP_HOST && env.SMTP_USER) }`). */
export interface PresenceCheck { name: string; tests: string[] }

/** Where a read's value is passed: `ask(q, { modelName: process.env.X })` after
 * `import { ask } from '../lib/llm'` is `{ module: '../lib/llm', name: 'ask', arg: 1, property: 'modelName' }`. */
export interface PassedTo {
  /** The module specifier as written: relative (`./x`, `../lib/y.js`), or a package's name
   * (`@acme/shared`, for a value passed directly), which counts only where it names a package of
   * the workspace. A pass to a function of the reading file itself is decided in the extractor and
   * never recorded. */
  module: string;
  /** The exported name called (`default` for a default import). */
  name: string;
  /** The argument's position. */
  arg: number;
  /** The object literal's property the value is written to, when it is one (dotted when nested:
   * `auth.user`). */
  property?: string;
  /** The value reaches the function inside an object it only hands on: nested in the argument
   * (`{ auth: { user: X } }`) or through a local object passed whole (`const opts = { … }` then
   * `f(opts)`). No parameter list of the callee says whether it copes, and the code that decides
   * is not in the reading file: the model takes the need as unseen unless the callee copes. */
  handedOn?: true;
}

/** A parameter (or a property of an options parameter) of an exported function that copes with an
 * undefined value: declared optional (`p?: T`, `{ a?: T }`, a default `= v`), or given a fallback or
 * tested in the function's body (`p || d`, `opts.a ?? d`, `if (p)`). */
export interface OptionalParam {
  /** The exported name (`default` for a default export). */
  name: string;
  arg: number;
  property?: string;
}

/**
 * Why a read is not required, in either language:
 * - `default`: a value stands in (`?? "d"`, `|| "d"`, `Number(x) || 3`, a destructuring or accessor default);
 * - `alternative` / `fallback`: another value stands in (`A || B`, `read or other`);
 * - `schema`: a validation schema accepts its absence (`.default(…)`, `.optional()`);
 * - `tested` / `presence-test`: only tested for presence (`if (x)`, `x is None`, `bool(x)`) and the
 *   branch taken when it is unset does not fail;
 * - `compared`: compared with a value (`=== 'true'`, `== "true"`), which is simply false when unset;
 * - `guarded` / `tested-after-assignment`: bound to a local that is tested, compared or given a
 *   fallback before it is used;
 * - `keyword-argument` / `dict-value`: passed on as an optional keyword or stored as metadata;
 * - `optional-return`: returned from a function typed `-> Optional[...]`;
 * - `logged`: only logged or printed;
 * - `none-default`: an explicit `None` default whose uses this file does not show;
 * - `client-default`: an option a Google Cloud client fills in itself when undefined (credentials,
 *   project: knowledge/client-defaults.ts);
 * - `unused`: stored in a private field its class never reads (`private readonly key = process.env.K!`
 *   and no `this.key`): nothing depends on it;
 * - `optional-parameter`: passed to a function of the workspace whose parameter copes with an undefined
 *   value (`EnvRead.passedTo` meeting `FileFacts.optionalParams`; decided by the model);
 * - `callers-cope`: returned by a getter whose every call in the workspace copes with `None`
 *   (`get_bucket() or DEFAULT_BUCKET`: `EnvRead.returnedBy` meeting `FileFacts.getterCalls`; decided
 *   by the model);
 * - `callers-test`: in a function that every call in the workspace makes only where the variable is
 *   set (`if (process.env.KEY) callProvider()`; `EnvRead.calledAs` meeting `FileFacts.switchedCalls`,
 *   or the module's own calls): it never runs without it.
 */
export type OptionalReason =
  | 'default' | 'alternative' | 'schema' | 'tested' | 'compared' | 'guarded'
  | 'fallback' | 'presence-test' | 'keyword-argument' | 'dict-value' | 'optional-return' | 'logged'
  | 'none-default' | 'tested-after-assignment' | 'client-default' | 'unused' | 'optional-parameter' | 'callers-cope' | 'callers-test'
  // The service's own code gives the variable a value when it starts (`EnvRead.setsAtImport`).
  | 'set-in-code'
  // A Prisma schema's URL the service's code does not leave to the client (model/prisma-clients.ts).
  | 'url-in-code';

/** A variable this code hands to Cloud Run containers it starts or creates through the client
 * library (`run_v2.EnvVar(name="JOB_ID", …)` in a job execution's overrides): a per-run parameter
 * its caller provides, not something a deploy must set. */
export interface RunEnvFact {
  name: string;
  nameSpan: Span;
  /** How, for explanations (`run_v2.EnvVar`, `container overrides`). */
  via: string;
}

/** A name built at runtime (`os.environ[f"X_{env}"]`), so a rename cannot see every use. */
export interface DynamicRead {
  span: Span;
  /** Static prefix of the name, if any (`GOOGLE_OAUTH_CLIENT_ID_`). */
  prefix?: string;
}

/**
 * A function of this file that reads the variable its argument names: `def env_str(name,
 * default=None): return os.environ.get(name, default)`, `def require(name): v = os.getenv(name);
 * if not v: raise …; return v`. Calls in the same file are recorded as reads; the definition is
 * kept so that callers in other files can be read the same way (a model-level step).
 */
export interface AccessorDef {
  name: string;
  /** The function's name in its `def`. */
  span: Span;
  /** A method (called on an object): `nameParam` then counts after `self` / `cls`. */
  method: boolean;
  /** Position of the parameter holding the variable's name. */
  nameParam: number;
  /** The parameter a caller passes a default through, when there is one; `declared`: its own
   * default is a value other than `None`, what an unset variable yields when the caller passes none. */
  defaultParam?: { index: number; keyword: string; declared?: true };
  /** What a call returns when the variable is unset and no default is passed: it raises (a
   * required read), returns a default of its own (optional), or returns `None` (the caller's
   * use decides, as for `os.getenv`); or reads it only when another source failed (`try: return
   * secret_manager.get(…) except …: return os.environ.get(name)`): a fallback, optional. */
  whenUnset: 'raises' | 'default' | 'none' | 'fallback';
  /** The module's default export (TypeScript `export default function env(…)`): imported by any name. */
  defaultExport?: true;
}

/**
 * A call of a function imported from another module with an env-shaped literal first argument
 * (`from core.env import env_str` … `env_str("BUCKET", "")`): a read if that module defines the
 * function as an accessor (`AccessorDef`), which only the model can see. `read` is judged as for an
 * accessor that returns `None` when the variable is unset (the call's use decides); the model
 * corrects it by the definition it finds.
 */
export interface AccessorCallFact {
  /** The module as the import names it: Python's dotted name, with its leading dots when relative
   * (`core.env`, `..env`); TypeScript's relative specifier (`./env`, `../lib/env.js`). */
  module: string;
  /** The function's name in that module (`default` for a TypeScript default import). */
  name: string;
  read: EnvRead;
  /** The arguments after the name: for each positional one and each keyword, whether it is a value other than `None`. */
  positional: boolean[];
  keywords: Record<string, boolean>;
}

export interface DbUrlParam {
  key: string;
  value: string;
  /** `key=value` as written (still URL-encoded): lets a fix rebuild the query byte for byte. */
  raw: string;
  /** The `key=value` text. */
  span: Span;
  /** The span to delete to remove the param with its separator. */
  removeSpan: Span;
}

export interface DbUrlFact {
  /** The URL text (as in the file, after unquoting). Kept for analysis only; may hold a password. */
  span: Span;
  scheme: string; // postgresql, postgresql+asyncpg, postgres, postgresql+psycopg2, ...
  /** Unix socket directory if the host is one (`/cloudsql/...`). */
  socket?: string;
  params: DbUrlParam[];
  /** `?` and the query after it, when spans map one to one onto the source. */
  querySpan?: Span;
  /** The env variable this URL is written to, if it is an env value. */
  envName?: string;
}

/** Code that uses a database driver with a URL taken from an env var. */
export interface DriverUse {
  driver: 'asyncpg' | 'psycopg2' | 'psycopg' | 'pg8000' | 'node-postgres';
  /** The env variable holding the URL, when visible in the same file. */
  envName?: string;
  span: Span;
  /** Query parameters the code appends to the URL before handing it over (`url =
   * f"{url}?sslmode=require"`, in a helper whose return value is passed): each `key=value` as
   * written in a string literal of this file. */
  addsParams?: { key: string; value: string; span: Span }[];
  /** The read of `envName` the URL is built from, when in this file. */
  readSpan?: Span;
  /** The driver parses the URL itself (`asyncpg.connect(dsn)`, `asyncpg.create_pool(dsn)`), where
   * `sslmode` is one of its known options; SQLAlchemy instead hands the query to it as keywords,
   * which asyncpg's `connect()` rejects. */
  parsesUrl?: true;
}

export interface EnumFact {
  name: string;
  span: Span;
  members: { name: string; value?: string; span: Span }[];
  /** Python: members also equal plain values (`str`/`int` mixins, `StrEnum`, `IntEnum`), so members
   * of two such enums with one value compare equal. (TypeScript enums always compare by value.) */
  comparesByValue?: boolean;
}

/** A property/getter whose name suggests state (`state`, `status`, ...), with what it declares and returns. */
export interface AccessorFact {
  className: string;
  name: string;
  span: Span;
  /** Declared return type name (`CircuitState`). */
  declaredType?: { name: string; span: Span };
  /** Each return expression and the enum it evidently holds (`self._state` assigned `X.MEMBER`). */
  returns: { span: Span; text: string; enumName?: string }[];
}

/** `x.state == CircuitState.OPEN`, `breaker.state === CircuitState.Open`. */
export interface EnumComparisonFact {
  /** The property compared (`state`). */
  property: string;
  /** The receiver's class when known (from annotations or constructors). */
  receiverClass?: string;
  /** The receiver class's direct bases, when the receiver is `self` (Python): a subclass without
   * its own accessor uses its base's, which may live in another file. */
  receiverBases?: string[];
  enumName: string;
  member: string;
  span: Span;
  enumSpan: Span;
  /** Type the checker found for the compared property (TypeScript only). */
  actualEnum?: string;
}

/** A decision to use Secret Manager taken from the presence of one variable. */
export interface SecretGateFact {
  /** The env variables the condition consults. */
  names: string[];
  /** The condition that tests them (the part a fix rewrites). */
  conditionSpan: Span;
  conditionText: string;
  /** Offsets, relative to conditionSpan.start, of each name's string literal content. */
  nameOffsets: { name: string; start: number; end: number }[];
  language: 'python' | 'typescript';
  /** The function/method the gate lives in. */
  functionName?: string;
  /** The condition tests a field named as the variable on a configuration object
   * (`typeof config.GOOGLE_CLOUD_PROJECT === 'string'`), not the environment: a gate only where
   * the service's schema leaves that field undefined when the variable is unset
   * (`EnvRead.schemaUndefined`). */
  viaField?: true;
}

export interface Suppression {
  rule: string;
  /** `line`: next line after the comment; `file`: the whole file. */
  scope: 'line' | 'file';
  /** 0-based line the suppression applies to (the next non-comment line for `line`). */
  line: number;
  span: Span;
}

export interface Problem {
  message: string;
  span?: Span;
}

export interface FileFacts {
  file: string;
  kind: FileKind;
  /** YAML sub-kind or script role, for explanations (`cloud-run-service`, `cloudbuild`, `github-actions`, `compose`). */
  role?: string;
  hash: string;
  reads: EnvRead[];
  dynamicReads: DynamicRead[];
  deploys: DeployFact[];
  builds: BuildFact[];
  /** Cloud Build files this script runs (`gcloud builds submit --config …`). */
  buildConfigRuns?: BuildConfigRun[];
  dockerfile?: DockerfileFact;
  /** A TypeScript / JavaScript module's directive (`'use client'`, `'use server'`): where React and
   * Next.js run it. */
  directive?: 'use client' | 'use server';
  /** TypeScript / JavaScript: for each name the module imports and each of its top-level
   * functions, the top-level functions whose bodies alone use it (none: nothing uses it), where
   * nothing else in the module does (extract/typescript/top-level-uses.ts). A name used anywhere
   * else, or not known to be a function's, is absent. */
  usedOnlyIn?: Record<string, string[]>;
  /** A `.dockerignore`'s patterns, in order (`!` ones take back what an earlier one left out): the
   * files a build whose context is this folder never receives. */
  contextIgnore?: { pattern: string; negate: boolean }[];
  secretValues: SecretValueFact[];
  /** Parameters of the functions this file exports that cope with an undefined value (TypeScript),
   * for reads other files pass to them (`EnvRead.passedTo`). Recorded only in files the TypeScript
   * prefilter lets through (extract/typescript/prefilter.ts): parsing every file for them is not worth it. */
  optionalParams?: OptionalParam[];
  /** The functions this file exports that test whether variables are set (TypeScript), for reads
   * other files guard with a call of one (`EnvRead.onlyWhenChecked`). Recorded where
   * `optionalParams` is. */
  presenceChecks?: PresenceCheck[];
  /** In-house env accessors this file defines, for reading their calls elsewhere. */
  accessorDefs?: AccessorDef[];
  /** Calls of functions imported from workspace modules that may be accessors. */
  accessorCalls?: AccessorCallFact[];
  /** Variables this code loads at start-up from a variable's contents or a file (see `EnvLoadFact`). */
  envLoads?: EnvLoadFact[];
  /** Variables this code passes to Cloud Run containers it runs (see `RunEnvFact`). */
  runEnv?: RunEnvFact[];
  /** A dotenv file's entries (and an env-vars-file's). */
  envFile?: EnvBlock;
  /** The env file's entries are all written `NAME=value` (dotenv's syntax), which YAML reads as
   * one string rather than a map of names. */
  dotenvSyntax?: true;
  /** Set when `envFile` has an env-vars file's shape but not its name (`config/prod.yaml`): its
   * entries count only for a deploy that names the file (`--env-vars-file config/prod.yaml`). */
  envFileNeedsReference?: boolean;
  /** Secrets the file declares (Terraform `google_secret_manager_secret`). */
  secretInventory?: SecretInventoryEntry[];
  /** Terraform variable defaults, locals and `.tfvars` values, for resolution across the module's files. */
  terraformVars?: TerraformVarFact[];
  /** Calls of local Terraform modules (`module "api" { source = "./modules/cloud_run" … }`), with
   * the inputs they pass: the model deploys the module's Cloud Run resources with them. */
  terraformModuleCalls?: TerraformModuleCall[];
  dbUrls: DbUrlFact[];
  driverUses: DriverUse[];
  enums: EnumFact[];
  accessors: AccessorFact[];
  comparisons: EnumComparisonFact[];
  gates: SecretGateFact[];
  suppressions: Suppression[];
  problems: Problem[];
  /** Reusable-workflow calls and declared inputs (GitHub Actions). */
  workflowCalls?: WorkflowCallFact[];
  workflowInputs?: WorkflowInputsFact;
  /** Cloud Deploy pipelines and targets, Skaffold profiles (which manifests go where). */
  deliveryStages?: DeliveryStageFact[];
  deliveryTargets?: DeliveryTargetFact[];
  skaffold?: SkaffoldManifestsFact[];
  /** The file is a test (by path or content): its reads are not requirements of a deploy. */
  isTest?: boolean;
  /** The file is an operator script or a manual job: a standalone program (a shebang, a
   * main-module guard, a top-level run that exits) under a `scripts/` or `jobs/` folder, or named
   * for a one-off data operation (`seed.ts`, `backfill_orders.py`). People or
   * CI run it outside the service, so its reads are not requirements of the service's deploy. */
  isScript?: boolean;
  /** A server started on a fixed port in this file (`await app.listen(3000)`, a numeric literal),
   * where the file reads no `PORT`: the port the program listens on when this file is its entry. */
  fixedListen?: { port: string; span: Span };
  /** A script whose words name a Cloud Run deploy (`gcloud run deploy`) that was not read: a batch
   * file (`FileKind` 'unread-script', extract/unread-scripts.ts), or a PowerShell command the
   * PowerShell reader could not read exactly (extract/powershell.ts). `--explain` lists them. */
  unreadDeploy?: true;
  /** A shell script: the fixed port the server it starts listens on (`exec gunicorn app.wsgi
   * --bind 0.0.0.0:8080`, the same command `startsProgram` reads), where its line never reads
   * `$PORT` (extract/shell-program.ts): an image running the script as its entrypoint listens there. */
  startsListening?: { port: string; server: string; span: Span };
  /** A package.json: the major version of `next-auth` it depends on (knowledge/auth-js.ts). */
  nextAuthMajor?: number;
  /** A TypeScript/JavaScript file naming Auth.js's `trustHost` option: the service may settle in
   * code what `AUTH_TRUST_HOST` would (knowledge/auth-js.ts). */
  mentionsTrustHost?: true;
  /** A package.json: the `process.env` prefixes its front-end build inlines into the bundle
   * (`REACT_APP_` for a Create React App package: knowledge/build-time-env.ts). */
  inlinedPrefixes?: string[];
  /** tsconfig.json / jsconfig.json: where bare specifiers may name the project's own modules —
   * `compilerOptions.paths` patterns with their targets as written (`"@/*": ["./src/*"]`) and
   * `baseUrl` — and the config it extends. */
  moduleAliases?: { paths: Record<string, string[]>; baseUrl?: string; extends?: string };
  /** package.json: what its scripts start, by script name, where one starts a program
   * (`"start": "node dist/server.js"` → `{ start: { script: 'dist/server.js' } }`). */
  scriptRuns?: Record<string, { module?: string; script?: string }>;
  /** package.json: every file and package script each script's `&&` chain runs, in order
   * (`"db:migrate": "tsx ./src/db/migrate.ts"` → `{ 'db:migrate': [{ script: './src/db/migrate.ts' }] }`):
   * which code files only tooling runs (model/tool-scripts.ts). */
  scriptChains?: Record<string, ({ script: string } | { packageScript: string })[]>;
  /** package.json: the package's name and the module that name loads (`exports["."]`, `module`,
   * `main`), as written: a workspace package another package imports by name
   * (`import { db } from '@acme/core'`) is followed there: model/module-graph.ts. */
  packageEntry?: { name: string; main?: string };
  /** A TypeScript / JavaScript module's imports (`import … from`, `export … from`, `require`,
   * `import()` with a literal), as written; `dynamic` when it also loads a module whose name is
   * computed (`require(path.join(dir, f))`): what it loads is then not known. Recorded for every
   * code file but tests, parsed or not (a lexer's pass): model/module-graph.ts. Python's
   * (`import a.b`, `from .x import y`: extract/python/module-links.ts) are dotted names, and
   * `named` holds the modules its strings may name (`uvicorn.run("app.main:app")`), which count
   * only where they name one: model/python-module-graph.ts. */
  moduleLinks?: {
    specifiers: string[];
    named?: string[];
    /** Python files a loader by path spells (`spec_from_file_location(n, HERE / "c.py")`), as
     * written: `c.py`, `tools/seed.py`. */
    files?: string[];
    /** TypeScript / JavaScript: the modules it re-exports, and by which names (exported →
     * imported, `default` among them); no `names` for `export * from`. */
    reExports?: { module: string; names?: Record<string, string> }[];
    dynamic?: true;
  };
  /** The file configures a tool (`drizzle.config.ts`, `tailwind.config.js`: knowledge/tool-configs.ts):
   * the tool loads it when it runs, so its reads are not requirements of the service's deploy. */
  isToolConfig?: boolean;
  /** Another platform deploys and runs the file (a Supabase Edge Function, a Netlify Function:
   * knowledge/other-platforms.ts): its reads are not requirements of a Cloud Run deploy. */
  runsElsewhere?: boolean;
  /** A Python program run on its own (a shebang, a top-level `if __name__ == "__main__":`) that is
   * no operator script by its place: the model asks whether the service's image runs it or a
   * package beside it (`model/stray-programs.ts`). */
  isProgram?: boolean;
  /** Workspace modules this code file loads (relative imports, `require`), as workspace-relative
   * paths without extension (`scripts/firebase_auth`): which modules only operator scripts load. */
  imports?: string[];
  /** A shell script: what its `exec` commands start (`exec node dist/main.js`), or without one its
   * last command that starts a program (`uvicorn app.main:app`), when an image runs the script as its entrypoint (model/shipped-code.ts). */
  startsProgram?: { module?: string; script?: string; packageScript?: string }[];
  /** A shell script: its `exec`s of background work only (`exec celery -A app worker`,
   * knowledge/listening-ports.ts `backgroundOnly`), each with the variable value its branch is
   * taken under (`if [ "$PROCESS_TYPE" = "worker" ]`: `{ name: 'PROCESS_TYPE', values: ['worker'] }`),
   * or none at the script's top level (extract/shell-program.ts). */
  backgroundWhen?: { program: string; span: Span; when?: { name: string; values: string[] } }[];
  /** Terraform variables this file passes to `terraform` (`-var enabled=true`, `-var=x=…`, a
   * `TF_VAR_enabled` in a workflow's `env:` or a script): a `count` switch on one is not decided
   * by its default (model/terraform.ts). */
  terraformVarsPassed?: string[];
  /** YAML files this file's commands name (`gcloud run services replace deploy/service.yaml`,
   * `envsubst < cloudrun.yaml`, a Cloud Build step's argument), as the literal tail of the path:
   * which Cloud Run manifests something here applies (extract/yaml-mentions.ts). */
  yamlMentions?: string[];
  /** Base names of the scripts this file names (`./scripts/deploy.sh` in a workflow step, a
   * Makefile recipe, a package.json script, a comment): which deploy scripts something here runs
   * or documents (extract/script-mentions.ts, model/variant-scripts.ts). */
  scriptMentions?: string[];
  /** The Cloud Build config each `google_cloudbuild_trigger` of this Terraform file runs
   * (`filename = "apps/job/cloudbuild.yaml"`), from the repository's root; `''` for a trigger
   * whose config is computed or left to autodetection (model/build-triggers.ts). */
  buildTriggerFiles?: string[];
  /** The words the file holds outside its import statements, as sorted hashes
   * (extract/word-filter.ts): whether it may name a function another file defines
   * (model/uncalled-functions.ts). Code, deploy and config files; not documents or tests. */
  words?: string;
  /** What this file does with the result of each function it imports and calls with no arguments
   * (`settings.get_bucket() or DEFAULT` after `from app import settings`, `if not get_token():`), by
   * the function's name: `optional` when every such call copes with `None`, else `required`.
   * TypeScript: each call of a function imported from the workspace's own modules (relative, or a
   * path alias such as `@/server/env`), by its exported name, where every mention of it is a call.
   * Recorded where the prefilter admits the file. A read a getter returns is optional when
   * every file naming the getter says `optional` here (model/getter-callers.ts). */
  getterCalls?: Record<string, 'optional' | 'required'>;
  /** The switches every call this file makes of an imported function sits behind (`if mode ==
   * "jwt": JWTConfig.from_env()` with `mode` read from the environment), by the name the defining
   * module gives it (`from_env`, `JWTConfig.from_env`; TypeScript: the exported name), when there
   * are some. Joined
   * with `EnvRead.calledAs` by the model (model/switched-callers.ts). */
  switchedCalls?: Record<string, EnvSwitch[]>;
  /** The functions and classes the file defines at its top level, where a read sits in a function
   * nothing in the file names (`EnvRead.inUnnamedFunction`): whether another file uses the module
   * at all (model/uncalled-functions.ts). */
  definedNames?: string[];
  /** Set when the file's lines end in CRLF: edits into it must too. */
  crlf?: boolean;
}

/** A copy of `read` that has a default for `because`, without the marks only a read with no
 * default carries (`requiredIn`, `emptyDefault`, `needUnseen`, `placeholderDefault`): what the
 * model makes of a read once another file says the variable has a value. */
export function withDefault(read: EnvRead, because: OptionalReason): EnvRead {
  const { requiredIn: _r, emptyDefault: _e, needUnseen: _n, returnedBy: _g, placeholderDefault: _p, committedKey: _k, ...rest } = read;
  return { ...rest, hasDefault: true, optionalBecause: because };
}

/** Code that runs outside the deployed service: a test, an operator script, a tool's configuration,
 * code another platform runs. Its reads and database URLs are nobody's deploy requirement. */
export function runsOutsideService(facts: FileFacts): boolean {
  return !!(facts.isTest || facts.isScript || facts.isToolConfig || facts.runsElsewhere);
}

export function emptyFacts(file: string, kind: FileKind, hash: string): FileFacts {
  return {
    file,
    kind,
    hash,
    reads: [],
    dynamicReads: [],
    deploys: [],
    builds: [],
    secretValues: [],
    dbUrls: [],
    driverUses: [],
    enums: [],
    accessors: [],
    comparisons: [],
    gates: [],
    suppressions: [],
    problems: [],
  };
}
