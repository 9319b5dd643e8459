/**
 * Which folder of code a deploy ships, from what the deploy files say: its source folder
 * (`--source`, `directory=`, a compose build context), the Dockerfile it names, or the build that
 * produced its image (`docker build -f … -t IMG`, then `--image IMG`) — and from that Dockerfile,
 * the folder it copies and runs (`COPY backend/ ./backend/` + `CMD uvicorn backend.main:app`).
 * Pure: reads facts and the workspace's folder layout only.
 */
import * as path from 'node:path';
import type { BuildFact, DeployFact, DockerfileFact, FileFacts, Span } from '../core/facts';
import { isCodeFile, isNonServiceFolder } from '../knowledge/code-roots';
import { entryPaths } from './program-entries';
import { BUILD_DIRS } from './workspace-packages';
import { isDockerHubImage } from '../knowledge/published-images';

/** The workspace's folders: every folder holding a file, and those holding (at any depth) code. */
export interface Layout {
  dirs: ReadonlySet<string>;
  codeDirs: ReadonlySet<string>;
  /** Folders holding an `__init__.py`: Python packages, where a `setup.py` is a module of the
   * package rather than a project's setup script. */
  packageDirs?: ReadonlySet<string>;
  /** Folders holding a `.git` below the workspace's root: repositories of their own (a workspace
   * of several checkouts), whose `.github/workflows` GitHub runs. */
  repoRoots?: ReadonlySet<string>;
}

export interface Shipped {
  /** Workspace-relative folder ('' for the root). */
  folder: string;
  how: string;
  /** Other folders of code the image copies in beside it by name (`COPY shared/ /app/shared/`):
   * libraries the service may load. Never the whole context. */
  also?: string[];
  /** A guess: the Dockerfile the build names is not in the repository. */
  guessed?: true;
  /** Found by `COPY . .` alone: the image holds its whole context. */
  wholeContext?: true;
  /** The program's folder is one of a whole context copied in with it (`COPY . /app/` then
   * `uvicorn api.main:app`): the context's other modules sit beside the program's package in the
   * image, where its imports find them (`from utils.convex import client`). */
  holds?: string;
}

/** Files that make a folder a project of its own (an app of a monorepo). */
const PROJECT_FILES = ['package.json', 'pyproject.toml', 'requirements.txt', 'setup.py'];

/**
 * `docker build -f apps/server/Dockerfile .` in a monorepo: the image copies the whole
 * repository (for its shared packages and lockfile), but a Dockerfile kept in a project of its
 * own inside the context builds that project, not the repository's root.
 */
function ownProject(found: Shipped, dockerfile: string, context: string, files: ReadonlyMap<string, FileFacts>, layout: Layout): Shipped {
  if (!found.wholeContext) return found;
  const dir = clean(path.posix.dirname(dockerfile));
  const inside = context === '' ? dir !== '' : dir.startsWith(context + '/');
  if (!inside || !layout.codeDirs.has(dir) || !PROJECT_FILES.some((f) => files.has(`${dir}/${f}`))) return found;
  return { folder: dir, how: `${found.how}, from the project ${dir} it sits in` };
}

// `normalize` has already dropped a leading `./`; only `.` alone is left to map to the root (a
// dotfile's own dot, `.env`, is part of its name).
const clean = (p: string): string => {
  const n = path.posix.normalize(p.replace(/\\/g, '/')).replace(/\/$/, '');
  return n === '.' ? '' : n;
};

const exists = (dir: string, layout: Layout): boolean => dir === '' || layout.dirs.has(dir);

/** Folder `a` is folder `b` or below it (every folder is below the root, ''). */
const inside = (a: string, b: string): boolean => b === '' || a === b || a.startsWith(b + '/');

/** `rel` as written in `file`, tried relative to the file's folder and to the workspace root. */
export function candidatesFor(file: string, rel: string): string[] {
  const dir = path.posix.dirname(file);
  const out = [clean(path.posix.join(dir === '.' ? '' : dir, rel)), clean(rel)];
  return [...new Set(out)].filter((p) => !p.startsWith('..'));
}

function resolveDir(file: string, rel: string, layout: Layout): string | undefined {
  return candidatesFor(file, rel).find((d) => exists(d, layout));
}

/**
 * The folder a deploy's source names (`--source .`): from the deploy file's folder, or from the
 * workspace root. Where the first is a folder of tooling (`scripts/deploy.sh` running `gcloud run
 * deploy --source .`), the script is run from the root (`npm run deploy`, CI) — nobody deploys
 * the folder of deploy scripts — so the root's reading wins.
 */
function resolveSourceDir(file: string, rel: string, layout: Layout): string | undefined {
  const found = candidatesFor(file, rel).filter((d) => exists(d, layout));
  return found.find((d) => !isNonServiceFolder(d)) ?? found[0];
}

function resolveFile(file: string, rel: string, files: ReadonlyMap<string, FileFacts>): string | undefined {
  return candidatesFor(file, rel).find((f) => files.has(f));
}

/** A path segment that is one variable alone: `$PROJECT_ID`, `${PROJECT_ID}`, `${{ secrets.GCP_PROJECT_ID }}`, `{project_id}`. */
const VARIABLE_SEGMENT = /^(?:\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*\}|\$\{\{[^}]*\}\}|\{[A-Za-z_]\w*\})$/;

/**
 * The image name without registry host, tag or digest, as a comparison key (`services/api`). The
 * segment before a literal name, written as one variable alone, is the project however a file
 * spells it (`gcr.io/$PROJECT_ID/api` in Cloud Build, `gcr.io/${{ secrets.GCP_PROJECT_ID }}/api`
 * in a workflow): one key. A name that is itself a variable keeps its spelling.
 */
function imageKey(image: string): string {
  // `${IMAGE}` and `$IMAGE` are one expansion (a shell's, Cloud Build's `${_IMAGE}`).
  const noDigest = image.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$$1').split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const noTag = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const segs = noTag.split('/').slice(-2);
  if (segs.length === 2 && VARIABLE_SEGMENT.test(segs[0]!.trim()) && !segs[1]!.includes('$') && !segs[1]!.includes('{')) segs[0] = '$';
  return segs.join('/').toLowerCase();
}

/** The workspace's image builds by image key, in file order: built once per model, since every
 * deploy with an image looks its builds up (a scan of every file per deploy cost an edit ~10 ms
 * on a 7,000-file tree). */
export type BuildsByImage = ReadonlyMap<string, readonly IndexedBuild[]>;

/** A build as indexed: `runBy` is the script that runs the Cloud Build file holding it (`gcloud
 * builds submit --config F --substitutions _IMAGE=$IMAGE`), under the name that script gives the
 * image, and `runAt` where in that script. */
interface IndexedBuild { file: string; build: BuildFact; runBy?: string; runAt?: number }

export function indexBuilds(files: ReadonlyMap<string, FileFacts>): BuildsByImage {
  const out = new Map<string, IndexedBuild[]>();
  const add = (key: string, entry: IndexedBuild): void => {
    const list = out.get(key);
    if (list) list.push(entry); else out.set(key, [entry]);
  };
  for (const [file, facts] of files) {
    for (const build of facts.builds) {
      const keys = new Set([build.image, ...(build.otherTags ?? [])].map((t) => t?.value ?? t?.text).filter((t): t is string => !!t).map(imageKey));
      for (const key of keys) add(key, { file, build });
    }
  }
  // A Cloud Build file building `$_IMAGE`, run by a script that passes `_IMAGE=${IMAGE}`: the
  // image is the one the script deploys as `$IMAGE`.
  for (const [file, facts] of files) {
    for (const run of facts.buildConfigRuns ?? []) {
      if (!run.passed?.length || run.config.value === undefined) continue;
      const config = candidatesFor(file, run.config.value).find((f) => files.has(f));
      for (const build of config ? files.get(config)?.builds ?? [] : []) {
        const sub = variableAlone(build.image?.value ?? build.image?.text ?? '');
        const given = sub?.startsWith('_') && run.passed.find((p) => p.name === sub);
        if (!given) continue;
        // `imageKey` reads `${IMAGE}` as `$IMAGE`: one key for either spelling.
        add(imageKey(given.variable ? `$${given.variable}` : given.text!), { file: config!, build, runBy: file, runAt: run.span.start });
      }
    }
  }
  // The same where the run itself is out of sight (a helper function of a sourced file,
  // `run_cloud_build "cloudbuild.web.yaml" "$SUBS"`): a script naming a Cloud Build file that
  // builds `$_IMAGE_URI`, and deploying `--image "$IMAGE_URI"`, deploys that image. Only the
  // same name with the substitution's `_` counts, and only where no run of that file says
  // what it passes.
  for (const [file, facts] of files) {
    const images = new Set(facts.deploys.flatMap((d) => (d.image && d.image.value === undefined ? [variableAlone(d.image.text)] : [])).filter((v): v is string => !!v));
    if (!images.size || !facts.yamlMentions?.length) continue;
    const seen = new Set((facts.buildConfigRuns ?? []).flatMap((r) => (r.passed?.length && r.config.value !== undefined ? candidatesFor(file, r.config.value) : [])));
    for (const mention of facts.yamlMentions) {
      const config = candidatesFor(file, mention).find((f) => files.has(f));
      if (!config || seen.has(config)) continue;
      for (const build of files.get(config)?.builds ?? []) {
        const sub = variableAlone(build.image?.value ?? build.image?.text ?? '');
        if (!sub?.startsWith('_') || !images.has(sub.slice(1))) continue;
        add(imageKey(`$${sub.slice(1)}`), { file: config, build, runBy: file, runAt: 0 });
      }
    }
  }
  return out;
}

/** `$IMAGE`, `${IMAGE}`, `"$IMAGE"`: the variable a value is made of alone. */
function variableAlone(text: string): string | undefined {
  return /^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$/.exec(text.trim())?.[1];
}

/** Builds whose image is the deploy's: same repository path, ignoring registry and tag. Variables
 * (`${{ env.REGION }}`) compare as written, so only like-for-like names match, except the project
 * before a literal name (`imageKey`). An image that is a variable alone (`"$image"`, set from a
 * `$(date)` tag) or a workflow expression alone (`${{ steps.vars.outputs.image }}`) names nothing
 * across files: two scripts' `$image` are different images, so only the deploy's own file's builds
 * count. Any of a build's tags counts. */
function buildsOf(deploy: DeployFact, builds: BuildsByImage, file: string): readonly IndexedBuild[] {
  const image = deploy.image?.value ?? deploy.image?.text;
  if (!image) return [];
  const key = imageKey(image);
  let found = builds.get(key) ?? [];
  // A deploy naming its project (`gcr.io/acme-prod/api`, a script's `${PROJECT_ID}` filled in)
  // runs the image a build names by the project it runs in (`gcr.io/$PROJECT_ID/api`, Cloud
  // Build's own substitution): the same image.
  const slash = key.indexOf('/');
  if (!found.length && slash > 0 && !key.startsWith('$/')) found = builds.get(`$${key.slice(slash)}`) ?? [];
  // A build in the deploy's own file is the one it runs: another file's build of the same text
  // (`${_REGISTRY}/${_COMPONENT}:$SHORT_SHA` in each app's cloudbuild.yaml) fills its variables
  // its own way. So is one of a Cloud Build file the deploy's file runs, named as it names it.
  const inFile = found.filter((b) => b.file === file || b.runBy === file);
  // Builds one shared text writes per way through the script (`-f apps/${APP}/Dockerfile` per
  // `case` branch): a deploy of the same way runs its own.
  const label = deploy.instance?.label;
  const same = label && inFile.some((b) => b.build.instance) ? inFile.filter((b) => b.build.instance === label) : undefined;
  const own = same?.length ? same : inFile;
  // Several there (`docker build -t "$IMAGE" .` in a backend step, then again with `-f
  // Dockerfile.staging` in a frontend step): a file runs top-down, so the deploy runs the image
  // the last build before it made.
  const before = own.length > 1 ? own.filter((b) => (b.runAt ?? b.build.span.start) < deploy.span.start) : [];
  if (before.length) return [before[before.length - 1]!];
  if (own.length) return own;
  // A workflow's expression (`${{ steps.vars.outputs.image }}`) is that workflow's own too.
  return /^(?:\$\{?[A-Za-z_]\w*\}?|\$\{\{[^}]*\}\})$/.test(image.trim()) ? [] : found;
}

/**
 * The folder a Dockerfile ships: the folder of the module it runs (mapped back through its
 * COPY lines into the build context), else the one code folder it copies, else the context
 * itself when it copies everything (`COPY . .`) and the context holds code.
 */
export function dockerfileFolder(df: DockerfileFact | undefined, context: string, layout: Layout): Shipped | undefined {
  const found = shippedByDockerfile(df, context, layout);
  if (!found || !df) return found;
  const also = [...new Set(df.copies.map((c) => clean(c.source)).filter((s) => s !== ''))]
    .map((s) => clean(path.posix.join(context, s)))
    .filter((f) => layout.codeDirs.has(f) && !inside(f, found.folder) && !inside(found.folder, f));
  return also.length ? { ...found, also } : found;
}

function shippedByDockerfile(df: DockerfileFact | undefined, context: string, layout: Layout): Shipped | undefined {
  if (!df) return undefined;
  const inContext = (p: string): string => clean(path.posix.join(context, p));
  for (const run of df.runs) {
    // `COPY main.py helpers.py ./` + `uvicorn main:app` (or `python app.py`): the program's own
    // file, copied where it runs, says which folder is the service; a folder of assets copied
    // beside it (`COPY static ./static`) is not, though it may be the only folder copied. Where a
    // Python package is copied beside it (`COPY backend/ ./backend/`), the file is a launcher of
    // that package, which stays the service.
    const programFile = run.module && !run.module.includes('.') ? `${run.module}.py` : run.script?.endsWith('.py') && !run.script.includes('/') ? run.script : undefined;
    const programCopy = programFile && df.copies.find((c) => intoRunDir(c, run) && path.posix.basename(clean(c.source)) === programFile);
    const copiesPackage = (): boolean => {
      const folders = df.copies.map((c) => inContext(clean(c.source))).filter((f) => f !== '');
      for (const d of layout.packageDirs ?? []) if (folders.some((f) => inside(d, f))) return true;
      return false;
    };
    if (programCopy && !copiesPackage()) {
      const folder = clean(path.posix.dirname(inContext(clean(programCopy.source))));
      if (layout.codeDirs.has(folder)) return { folder, how: `runs ${run.module ?? run.script}, copied from ${clean(programCopy.source)}` };
    }
    const first = run.module ? run.module.split('.')[0] : run.script && run.script.includes('/') ? run.script.split('/')[0] : undefined;
    if (!first) continue;
    // `COPY backend/ ./backend/`, `COPY src/backend /app/backend`: the source whose destination ends in the module's folder.
    for (const c of df.copies) {
      const dest = clean(c.dest);
      const src = clean(c.source);
      if (path.posix.basename(dest) === first || intoRunDir(c, run) && path.posix.basename(src) === first) {
        const folder = inContext(src);
        if (!layout.codeDirs.has(folder)) continue;
        // `COPY packages/ packages/` + `node packages/worker/dist/index.js`: a folder of packages
        // copied whole, the program's own package inside it (the deepest folder of code on the
        // script's path, as for an uncopied one). A Python module's folders are its packages.
        const rest = path.posix.basename(dest) === first && run.script?.includes('/') && !run.script.endsWith('.py')
          ? path.posix.dirname(clean(run.script)).split('/').slice(1).join('/') : '';
        const own = rest ? deepestCodeDir(clean(path.posix.join(folder, rest)), folder, layout) : folder;
        return { folder: own, how: `runs ${run.module ?? run.script}, copied from ${src || '.'}` };
      }
    }
    // `COPY backend/ .` then `uvicorn api.main:app`: the module is `backend/api` in the image, not
    // a root `api/` folder the image never receives.
    const holder = df.copies.find((c) => {
      const src = clean(c.source);
      return intoRunDir(c, run) && src !== '' && layout.codeDirs.has(inContext(path.posix.join(src, first)));
    });
    if (holder) return { folder: inContext(holder.source), how: `runs ${run.module ?? run.script} from ${clean(holder.source)}` };
    // `node bin/server.js`, `node ./bin/www`: a launcher of the package at the context's root
    // (AdonisJS, Express's generator), which is the service, not `bin/`.
    if (first === 'bin' && run.script && layout.codeDirs.has(context) && df.copies.some((c) => clean(c.source) === '')) {
      return { folder: context, how: `runs ${run.script}, a launcher of ${context || 'the workspace root'}`, wholeContext: true };
    }
    // `node apps/api/dist/server.js`: the deepest folder of code on the script's path (its build
    // output, `dist/`, is no file of the workspace; `apps/` only holds the services).
    const direct = run.script?.includes('/') ? deepestCodeDir(inContext(path.posix.dirname(run.script)), inContext(first), layout) : inContext(first);
    if (layout.codeDirs.has(direct)) {
      const whole = run.module !== undefined && df.copies.some((c) => clean(c.source) === '' && intoRunDir(c, run));
      return { folder: direct, how: `runs ${run.module ?? run.script}`, ...(whole ? { holds: context } : {}) };
    }
    // `gunicorn app:app` beside `COPY services/api/ .`: the module sits in the copied folder.
    const intoWorkdir = df.copies.filter((c) => intoRunDir(c, run) && clean(c.source) !== '' && layout.codeDirs.has(inContext(c.source)));
    if (intoWorkdir.length === 1) return { folder: inContext(intoWorkdir[0].source), how: `runs ${run.module ?? run.script} from ${clean(intoWorkdir[0].source)}` };
  }
  // `COPY . .` ships the whole context: a folder copied before it (`COPY prisma ./prisma` for a
  // dependency layer) is part of it, not the service.
  if (df.copies.some((c) => clean(c.source) === '') && layout.codeDirs.has(context)) return { folder: context, how: `copies its context ${context || '.'}`, wholeContext: true };
  const codeCopiesOf = (copies: DockerfileFact['copies']): string[] =>
    [...new Set(copies.map((c) => clean(c.source)).filter((s) => s !== '' && layout.codeDirs.has(inContext(s))))];
  const codeCopies = codeCopiesOf(df.copies);
  if (codeCopies.length === 1) return { folder: inContext(codeCopies[0]), how: `copies ${codeCopies[0]}` };
  // A front-end built in a stage of its own (`COPY frontend/ .`, `yarn build`) beside the service
  // the last stage copies (`COPY backend/ ./backend/`): the running image holds the built assets,
  // and the one folder of code it copies itself is the service.
  const inImage = codeCopiesOf(df.copies.filter((c) => !c.builderStage));
  // Only where the last stage copies no code files besides (`COPY gcp/website/*.py ./`, a program
  // other than the one the command runs): those may be the service, with the folder a library.
  const scripts = new Set(df.runs.map((r) => r.script && clean(r.script)).filter((x): x is string => !!x));
  const looseCode = df.copies.some((c) => !c.builderStage && isCodeFile(clean(c.source)) && !scripts.has(clean(c.source)));
  // And only where the command is known to run source, not a build's output (`node dist/main.js`):
  // a builder that compiles the service (`COPY src ./src`, `npm run build`) ships it through
  // `COPY --from=builder /app/dist`.
  const runsSource = df.runs.length > 0 && df.runs.every((r) => (r.module !== undefined || r.script !== undefined) &&
    !(r.script && clean(r.script).split('/').some((seg) => BUILD_DIRS.has(seg))));
  if (codeCopies.length > 1 && inImage.length === 1 && !looseCode && runsSource) return { folder: inContext(inImage[0]), how: `copies ${inImage[0]} (a build stage copies ${codeCopies.filter((c) => c !== inImage[0]).join(', ')})` };
  return undefined;
}

/** The copy lands in the folder the command runs in, or one above it: `COPY api/ .` (or `/app`)
 * under the run's `WORKDIR /app`. A relative destination is under the working directory at the copy, which in
 * another stage may be another one (`WORKDIR /frontend` + `COPY frontend/ .` to build assets). */
function intoRunDir(c: DockerfileFact['copies'][number], run: DockerfileFact['runs'][number]): boolean {
  const dest = clean(c.dest);
  const runDir = clean(run.workdir ?? '');
  if (c.workdir === undefined || c.dest.startsWith('/')) return dest === '' || dest === runDir;
  const landed = clean(path.posix.join(c.workdir, c.dest));
  return landed === runDir || runDir.startsWith(`${landed}/`);
}

/** The deepest folder from `dir` up to `top` that holds code, else `top`. */
function deepestCodeDir(dir: string, top: string, layout: Layout): string {
  for (let d = dir; d.length > top.length && d.startsWith(top + '/'); d = path.posix.dirname(d)) {
    if (layout.codeDirs.has(d)) return d;
  }
  return top;
}

/**
 * The folder of code a deploy ships, and how we know. A build context or source folder other
 * than the workspace root *is* the service (the packages inside it are its code); only a build
 * of the whole repository is looked into, through its Dockerfile, for the folder it runs.
 */
export function shippedFolder(
  file: string, deploy: DeployFact, files: ReadonlyMap<string, FileFacts>, layout: Layout, builds: BuildsByImage,
): Shipped | undefined {
  const src = deploy.source?.value;
  const sourceDir = src !== undefined ? resolveSourceDir(file, src, layout) : undefined;
  if (sourceDir) return { folder: sourceDir, how: `source "${src}" is ${sourceDir}` };
  const named = deploy.dockerfile?.value;
  const namedFile = named ? resolveFile(file, named, files) : undefined;
  const rootDockerfile = sourceDir === '' ? (files.has('Dockerfile') ? 'Dockerfile' : undefined) : undefined;
  const dockerfile = namedFile ?? rootDockerfile;
  if (dockerfile) {
    const found = dockerfileFolder(files.get(dockerfile)?.dockerfile, '', layout);
    const inner = found && ownProject(found, dockerfile, '', files, layout);
    if (inner) return { ...inner, how: `${src !== undefined ? `source "${src}" with ` : ''}Dockerfile ${dockerfile}, which ${inner.how}` };
  }
  if (sourceDir === '') return { folder: '', how: `source "${src}" is the workspace root` };
  const image = deploy.image?.value ?? deploy.image?.text;
  if (image) {
    for (const { file: bfile, build } of buildsOf(deploy, builds, file)) {
      if (!contextKnown(build)) continue;
      const { context, dockerfile: df, missing } = buildInputs(bfile, build, files, layout);
      if (context !== '' && layout.codeDirs.has(context)) return { folder: context, how: `image built by ${bfile} from ${context}` };
      const found = df ? dockerfileFolder(files.get(df)?.dockerfile, context, layout) : undefined;
      const inner = found && ownProject(found, df!, context, files, layout);
      if (inner) return { ...inner, how: `image built by ${bfile} from ${df}, which ${inner.how}` };
      // The Dockerfile the build names is not in the repository: the context's own `Dockerfile`
      // is the best account of what the image holds, else, for a build of the whole repository,
      // the context itself.
      if (missing !== undefined) {
        const fallback = clean(path.posix.join(context, 'Dockerfile'));
        const guess = files.has(fallback) ? dockerfileFolder(files.get(fallback)?.dockerfile, context, layout) : undefined;
        const absent = `its Dockerfile ${missing} is not in the repository`;
        if (guess) return { ...guess, how: `image built by ${bfile} (${absent}; ${fallback} beside it ${guess.how})`, guessed: true };
        if (context === '' && layout.codeDirs.has('')) return { folder: '', how: `image built by ${bfile} from the workspace root (${absent})`, guessed: true };
      }
    }
  }
  return undefined;
}

/**
 * The workspace Dockerfile that builds the image a deploy runs: one the deploy names, the one at
 * its `--source` folder, or the one the build of its `--image` reads. Undefined when that is not
 * known (no build seen, or builds of the image from different Dockerfiles). With it, the build
 * context of that `--image` build, where its builds agree on one.
 */
function imageBuildOf(
  file: string, deploy: DeployFact, files: ReadonlyMap<string, FileFacts>, layout: Layout, builds: BuildsByImage,
): { dockerfile?: string; context?: string } {
  const image = deploy.image?.value ?? deploy.image?.text;
  const inputs = image ? runningBuilds(deploy, builds, file).map(({ file: bfile, build }) => buildInputs(bfile, build, files, layout)) : [];
  const withContext = (dockerfile: string | undefined): { dockerfile?: string; context?: string } => {
    if (dockerfile === undefined) return {};
    const contexts = [...new Set(inputs.filter((b) => b.dockerfile === dockerfile).map((b) => b.context))];
    return { dockerfile, ...(contexts.length === 1 ? { context: contexts[0] } : {}) };
  };
  const named = deploy.dockerfile?.value;
  if (named) return withContext(resolveFile(file, named, files));
  const src = deploy.source?.value;
  if (src !== undefined) {
    const dir = resolveSourceDir(file, src, layout);
    const df = dir === undefined ? undefined : clean(path.posix.join(dir, 'Dockerfile'));
    return withContext(df !== undefined && files.has(df) ? df : undefined);
  }
  // Builds of one image from different Dockerfiles: which one the deploy runs is not known.
  const dockerfiles = [...new Set(inputs.map((b) => b.dockerfile))];
  return dockerfiles.length === 1 ? withContext(dockerfiles[0]) : {};
}

/** What the image a deploy runs is known to do, from its Dockerfile (`imageBuildOf`): the
 * programs it starts (`CMD` / `ENTRYPOINT`, as paths: see `entryPaths`) and the names its last
 * stage sets with `ENV`. Each is absent when that is not known or the Dockerfile names none. */
export interface ImageFacts { runs?: string[]; env?: string[];
  /** The workspace paths (folders or files) its Dockerfile copies from the build context, in any
   * stage (a builder's copy reaches the image compiled); absent where a copy takes the whole
   * context, a pattern that may hold code, or the context is not known. */
  ships?: string[];
  /** Its command is an interpreter alone (`DockerfileFact.bareInterpreter`). */
  bare?: string;
  /** The Dockerfile, when the workspace shows which one builds the image. */
  dockerfile?: string;
  /** The working directories its commands run in (`WORKDIR /app/server`), as written. */
  workdirs?: string[];
  /** Its command starts a server on a fixed port (`DockerfileFact.listens`), or runs a shell script
   * that does (`FileFacts.startsListening`: then `file` is the script). */
  listens?: { port: string; server: string; span: Span; file?: string };
  /** Its command starts background work only (`DockerfileFact.servesNothing`). */
  servesNothing?: { program: string; span: Span };
  /** Its command runs a shell script that `exec`s background work only, at its top level or under
   * a variable's value (`FileFacts.backgroundWhen`): which of its deploys runs it depends on the
   * value each sets. */
  idleWhen?: (NonNullable<FileFacts['backgroundWhen']>[number] & { file: string })[] }

export function imageFactsOf(
  file: string, deploy: DeployFact, files: ReadonlyMap<string, FileFacts>, layout: Layout, builds: BuildsByImage,
): ImageFacts {
  const { dockerfile: df, context } = imageBuildOf(file, deploy, files, layout, builds);
  if (!df) return {};
  // A build to a named stage (`--target api`) runs that stage's command, not the last stage's.
  return dockerfileImageFacts(df, files, files.get(df)?.dockerfile?.stageRuns ? buildTargetOf(file, deploy, builds) : undefined, context);
}

/** The `package.json` whose scripts an image's `npm start` runs: the one beside the Dockerfile, or
 * the build context's when the Dockerfile copies it from there (`deploy/Dockerfile` built from the
 * root with `COPY package*.json ./` or `COPY . .`). */
function packageScriptsOf(df: string, fact: DockerfileFact, files: ReadonlyMap<string, FileFacts>, context: string | undefined): FileFacts['scriptRuns'] {
  const beside = files.get(path.posix.join(path.posix.dirname(df), 'package.json'));
  if (beside || context === undefined) return beside?.scriptRuns;
  const copied = fact.copies.some((c) => {
    const src = clean(c.source);
    return !c.builderStage && (src === '' || /^package\*?\.json$/.test(src));
  });
  return copied ? files.get(clean(path.posix.join(context, 'package.json')))?.scriptRuns : undefined;
}

/** What an image built from the workspace's Dockerfile `df` does (see `ImageFacts`), built to the
 * stage `target` when one is named. */
export function dockerfileImageFacts(df: string, files: ReadonlyMap<string, FileFacts>, target?: string, context?: string): ImageFacts {
  const fact = files.get(df)?.dockerfile;
  const command = (target && fact?.stageRuns?.[target]) || fact?.runs;
  // `CMD ["npm", "start"]`: what the image's package.json says its script starts.
  const scripts = fact && command?.some((r) => r.packageScript || r.shellScript) ? packageScriptsOf(df, fact, files, context) : undefined;
  const runs = fact && command?.flatMap((r0) => entrypointRuns(r0, df, fact, files)).flatMap((r) => {
    const run = r.packageScript ? scripts?.[r.packageScript] : r;
    if (!run) return [];
    // A script's path as written (`/srv/app/main.py` is absolute in the image); a module's file.
    const written = run.script ? [run.script] : entryPaths(run);
    return [...entryPaths(run), ...written.flatMap((p) => copiedFrom(p, r.workdir, fact))];
  });
  const workdirs = [...new Set((command ?? []).flatMap((r) => (r.workdir ? [r.workdir] : [])))];
  const ships = fact && context !== undefined ? shippedPaths(fact, context) : undefined;
  const idle = fact ? idleBranches(command, df, fact, files) : [];
  const listens = fact?.listens ?? (fact ? scriptListens(command, df, fact, files) : undefined);
  return { dockerfile: df, ...(runs?.length ? { runs: [...new Set(runs)] } : {}), ...(fact?.env?.length ? { env: fact.env } : {}), ...(workdirs.length ? { workdirs } : {}),
    ...(ships ? { ships } : {}),
    ...(fact?.bareInterpreter && !target ? { bare: fact.bareInterpreter } : {}), ...(listens && !target ? { listens } : {}),
    ...(fact?.servesNothing && !target ? { servesNothing: fact.servesNothing } : {}), ...(idle.length ? { idleWhen: idle } : {}) };
}

/** What an image's copies bring from the build context `context`, as workspace paths (see
 * `ImageFacts.ships`). A pattern naming no code (`package*.json`) brings none. */
function shippedPaths(fact: DockerfileFact, context: string): string[] | undefined {
  const out: string[] = [];
  for (const c of fact.copies) {
    const src = clean(c.source);
    if (src === '' || src.includes('$') || src.startsWith('/')) return undefined;
    // A build's output made outside the image (`COPY dist ./dist`) is the workspace's sources compiled.
    if (src.split('/').some((seg) => BUILD_DIRS.has(seg))) return undefined;
    if (/[*?[]/.test(src)) {
      if (/\*$|\.(?:py|[cm]?[jt]sx?)$/i.test(src)) return undefined;
      continue;
    }
    out.push(clean(path.posix.join(context, src)));
  }
  return out;
}

/** A command that runs a shell script (`ENTRYPOINT ["./docker-entrypoint.sh"]`) runs what the script
 * starts (`exec node dist/main.js`: `FileFacts.startsProgram`), in the same working directory. The
 * script is found through the Dockerfile's copies, beside the Dockerfile or at the workspace root;
 * one whose program is not known starts nothing known. */
function entrypointRuns(r: DockerfileFact['runs'][number], df: string, fact: DockerfileFact, files: ReadonlyMap<string, FileFacts>): DockerfileFact['runs'] {
  if (!r.shellScript) return [r];
  const started = entrypointScript(r.shellScript, r.workdir, df, fact, files, (f) => !!f.startsProgram)?.startsProgram;
  return started ? started.map((run) => ({ ...run, span: r.span, ...(r.workdir ? { workdir: r.workdir } : {}) })) : [];
}

/** The workspace file of a shell script an image's command runs, the first candidate `has` accepts:
 * through the Dockerfile's copies, beside the Dockerfile, or at the workspace root. */
function entrypointScript(script: string, workdir: string | undefined, df: string, fact: DockerfileFact, files: ReadonlyMap<string, FileFacts>, has: (f: FileFacts) => boolean): FileFacts | undefined {
  for (const src of [...copiedFrom(script, workdir, fact), clean(script)]) {
    for (const p of [clean(path.posix.join(path.posix.dirname(df), src)), clean(src)]) {
      const f = files.get(p);
      if (f && has(f)) return f;
    }
  }
  return undefined;
}

/** The fixed port the shell script an image's command runs starts its server on
 * (`FileFacts.startsListening`), with the script's file: one command, one script. */
function scriptListens(command: DockerfileFact['runs'] | undefined, df: string, fact: DockerfileFact, files: ReadonlyMap<string, FileFacts>): ImageFacts['listens'] {
  const r = command?.length === 1 ? command[0] : undefined;
  const f = r?.shellScript ? entrypointScript(r.shellScript, r.workdir, df, fact, files, (x) => !!x.startsListening) : undefined;
  return f?.startsListening ? { ...f.startsListening, file: f.file } : undefined;
}

/** Where the shell script an image's command runs `exec`s background work only
 * (`FileFacts.backgroundWhen`), with the script's file. */
function idleBranches(command: DockerfileFact['runs'] | undefined, df: string, fact: DockerfileFact, files: ReadonlyMap<string, FileFacts>): NonNullable<ImageFacts['idleWhen']> {
  return (command ?? []).flatMap((r) => {
    const f = r.shellScript ? entrypointScript(r.shellScript, r.workdir, df, fact, files, (x) => !!x.backgroundWhen) : undefined;
    return f ? f.backgroundWhen!.map((b) => ({ ...b, file: f.file })) : [];
  });
}

/** The stage the builds of a deploy's image target (`--target api`, `target: api`), when they
 * agree on one; lower case, as Docker matches stage names. */
function buildTargetOf(file: string, deploy: DeployFact, builds: BuildsByImage): string | undefined {
  const image = deploy.image?.value ?? deploy.image?.text;
  if (!image || deploy.source) return undefined;
  const targets = new Set(runningBuilds(deploy, builds, file).map(({ build }) => build.target?.value?.toLowerCase()));
  return targets.size === 1 ? [...targets][0] : undefined;
}

/** The builds of an image a deploy in `file` may run, their context readable: a build in the
 * deploy's own file (a workflow building, then deploying) is the one it runs, else every one. */
function runningBuilds(deploy: DeployFact, builds: BuildsByImage, file: string): readonly { file: string; build: BuildFact }[] {
  const all = buildsOf(deploy, builds, file).filter(({ build }) => contextKnown(build));
  const own = all.filter((b) => b.file === file);
  return own.length ? own : all;
}

/**
 * Where in the build context the file a command names comes from, through the Dockerfile's
 * copies: `COPY apps/api/src/retrieval-gateway.mjs ./gateway.mjs` + `CMD ["node", "./gateway.mjs"]`
 * runs `apps/api/src/retrieval-gateway.mjs`; `COPY services/api/ /srv/` + `CMD ["python",
 * "/srv/main.py"]` runs `services/api/main.py`. Paths of the context, as written.
 */
function copiedFrom(run: string, workdir: string | undefined, df: DockerfileFact): string[] {
  const abs = (p: string, dir: string | undefined): string => path.posix.normalize(p.startsWith('/') ? p : path.posix.join(dir ?? '/', p));
  const target = abs(run, workdir);
  const out: string[] = [];
  for (const c of df.copies) {
    const src = clean(c.source);
    if (/[*?]/.test(src)) continue;
    const dest = abs(c.dest, c.workdir);
    if (src && path.posix.extname(src)) {
      const landed = c.dest.endsWith('/') ? path.posix.join(dest, path.posix.basename(src)) : dest;
      if (landed === target) out.push(src);
    } else {
      const dir = dest.replace(/\/$/, '');
      if (target.startsWith(`${dir}/`)) out.push(clean(path.posix.join(src, target.slice(dir.length + 1))));
    }
  }
  return out.filter((p) => p && p !== clean(run));
}

/** The build's context is readable, or absent (the build runs where it is). A context from a
 * variable we cannot read (`"$SRC"`, set from `$(cd … && pwd)`) is not taken for `.`: that would
 * pick whatever Dockerfile sits there. */
function contextKnown(build: BuildFact): boolean {
  return !build.context || build.context.value !== undefined;
}

/** A build's context folder and the workspace Dockerfile it reads, as far as the files say. */
function buildInputs(bfile: string, build: BuildFact, files: ReadonlyMap<string, FileFacts>, layout: Layout): { context: string; dockerfile?: string; missing?: string } {
  const ctxRel = build.context?.value ?? '.';
  const dfRel = build.dockerfile?.value;
  // Without `-f`, docker reads `<context>/Dockerfile`: of the places the context may mean (beside
  // the build file, or the workspace root a script is run from), the one holding a Dockerfile is
  // the build's (`docker build .` in scripts/deploy.sh, run from the root).
  const withDockerfile = dfRel === undefined
    ? candidatesFor(bfile, ctxRel).find((d) => exists(d, layout) && files.has(clean(path.posix.join(d, 'Dockerfile'))))
    : undefined;
  const named = dfRel !== undefined ? resolveFile(bfile, dfRel, files) : undefined;
  // A Dockerfile named from the workspace root only (`-f services/api/Dockerfile` in
  // cloudbuild/api.yaml) says the build runs there: its context is read from there too.
  const namedFromRoot = named !== undefined && named === clean(dfRel!) && named !== candidatesFor(bfile, dfRel!)[0];
  const rootContext = namedFromRoot && exists(clean(ctxRel), layout) ? clean(ctxRel) : undefined;
  const resolved = withDockerfile ?? rootContext ?? resolveDir(bfile, ctxRel, layout);
  const context = resolved ?? '';
  const dockerfile = dfRel !== undefined
    ? named ?? [clean(path.posix.join(context, dfRel))].find((f) => files.has(f))
    : [clean(path.posix.join(context, 'Dockerfile'))].find((f) => files.has(f));
  // A Dockerfile the build names (`-f Dockerfile.cloudrun`) in a context it resolves, but which
  // the repository does not hold.
  const missing = dfRel !== undefined && dockerfile === undefined && resolved !== undefined ? dfRel : undefined;
  return { context, dockerfile, ...(missing !== undefined ? { missing } : {}) };
}

/** One build of a deploy's image, as far as the files say: where it runs, its context folder and
 * the workspace Dockerfile it reads. */
export interface ImageBuild {
  file: string;
  build: BuildFact;
  context: string;
  dockerfile?: string;
  /** The Dockerfile the build names (`-f backend/Dockerfile.gcp`), as written, where the
   * repository holds none there: the build fails. */
  missing?: string;
}

/** The builds of the deploy's image found in the workspace (none for a deploy from source, or of
 * an image built elsewhere). */
export function imageBuildsOf(file: string, deploy: DeployFact, files: ReadonlyMap<string, FileFacts>, layout: Layout, builds: BuildsByImage): ImageBuild[] {
  const image = deploy.image?.value ?? deploy.image?.text;
  if (!image || deploy.source) return [];
  return buildsOf(deploy, builds, file).map(({ file: bfile, build }) => ({ file: bfile, build, ...buildInputs(bfile, build, files, layout) }));
}


/**
 * Why the deploy runs a vendor's program, when its image is a Docker Hub image written out whole
 * that no build of the workspace tags (knowledge/published-images.ts). Undefined otherwise.
 */
export function runsPublishedImage(file: string, deploy: DeployFact, builds: BuildsByImage): string | undefined {
  const image = deploy.image?.value;
  if (!image || deploy.source || deploy.image?.text.includes('$') || !isDockerHubImage(image)) return undefined;
  if (buildsOf(deploy, builds, file).length) return undefined;
  return `its image ${image} is published on Docker Hub and built nowhere here: it runs that image's program`;
}


/**
 * Why the deploy ships no code of the workspace, when its image is built here from a Dockerfile
 * that copies none (`FROM redis`, `COPY proxy.conf …`: a proxy or a database image): every build
 * of the image has a Dockerfile, copying neither its context, a folder holding code, nor a code
 * file. Undefined when that is not known (a deploy from source, an image built elsewhere).
 */
export function shipsNoCode(
  file: string, deploy: DeployFact, files: ReadonlyMap<string, FileFacts>, layout: Layout, builds: BuildsByImage,
): string | undefined {
  const image = deploy.image?.value ?? deploy.image?.text;
  if (!image || deploy.source) return undefined;
  const found = buildsOf(deploy, builds, file);
  if (found.length === 0) return undefined;
  const dockerfiles: string[] = [];
  for (const { file: bfile, build } of found) {
    if (!contextKnown(build)) return undefined;
    const { context, dockerfile } = buildInputs(bfile, build, files, layout);
    const df = dockerfile ? files.get(dockerfile)?.dockerfile : undefined;
    if (!dockerfile || !df) return undefined;
    const copiesCode = df.copies.some((c) => {
      const src = clean(path.posix.join(context, c.source));
      return layout.codeDirs.has(src) || isCodeFile(src) || /[*?]/.test(c.source);
    });
    if (copiesCode) return undefined;
    dockerfiles.push(dockerfile);
  }
  return `its image is built from ${[...new Set(dockerfiles)].join(', ')}, which copies no code of the workspace`;
}
