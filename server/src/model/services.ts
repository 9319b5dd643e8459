/**
 * Services are code roots. A folder is one when the configuration pins it, when a deploy ships
 * it (its `--source`/`directory=`, or the folder the Dockerfile it builds copies and runs), or
 * when it holds a dependency manifest, or a Dockerfile beside code. A code file belongs to the
 * deepest root containing it. A deploy is linked to a root by what it ships first, then by its
 * image name, then by its deployed name; each link keeps its evidence and its certainty so
 * `--explain` can show it and rules can lower their severity for a guess.
 */
import * as path from 'node:path';
import type { DeployFact, FileFacts, Span } from '../core/facts';
import type { Config } from '../core/config';
import type { EnvironmentNames } from '../knowledge/environments';
import { isCodeRootMarker, isDockerfileName, isManifestName, isNonServiceFolder, languageOf, manifestLanguage, type CodeLanguage } from '../knowledge/code-roots';
import { isTestPath } from '../knowledge/test-paths';
import { dockerfileFolder, dockerfileImageFacts, imageBuildsOf, imageFactsOf, indexBuilds, runsPublishedImage, shippedFolder, shipsNoCode, type BuildsByImage, type ImageBuild, type ImageFacts, type Layout, type Shipped } from './shipped-code';
import type { DeploySite } from './workflow-calls';
import { runsOnCloudRun } from '../knowledge/platform';

/** Words a deployed name ends with that name its role, not the service (`api-service`, `auth-svc`). */
const ROLE_SUFFIX = /-(?:service|svc)$/;

export type { Layout } from './shipped-code';

export interface Service {
  name: string;
  /** Workspace-relative folder, '' for the workspace root. */
  root: string;
  evidence: string[];
}

/** How sure a deploy → service link is: `declared` when the deploy says what it ships (or the
 * configuration does), `inferred` when only a name or the workspace's shape suggests it. */
export type LinkCertainty = 'declared' | 'inferred';

/** What an inferred link goes by: a name, the folder the deploy file sits in, another deploy of
 * the same Cloud Run service, or there being one service only. */
export type LinkBasis = 'name' | 'folder' | 'twin' | 'only-service' | 'missing-dockerfile';

export interface ServiceLink {
  service?: Service;
  evidence: string;
  certainty: LinkCertainty;
  /** For an inferred link to a service: what it goes by. */
  basis?: LinkBasis;
  /** Other folders of code the deploy's image copies in beside the service's (`Shipped.also`). */
  beside?: string[];
  /** The folder the deploy's image holds whole, the service's among it (`Shipped.holds`). */
  holds?: string;
}

const norm = (dir: string): string => (dir === '.' ? '' : dir);

/** The service a lone variable reference names (`${BACKEND_SERVICE_NAME}` → `backend`): its name
 * without the words that say it holds a name. */
function variableNamed(written: string): string | undefined {
  const m = /^\s*(?:\$\{\{\s*(?:env|vars|inputs)\.([A-Za-z_]\w*)\s*\}\}|\$\{?([A-Za-z_]\w*)\}?)\s*$/.exec(written);
  const name = m?.[1] ?? m?.[2];
  if (!name) return undefined;
  const bare = name.toLowerCase().replace(/(?:_(?:cloud_?run|service|svc|app|image|container))*(?:_(?:name|id))?$/, '').replace(/^_+|_+$/g, '');
  // `SERVICE_NAME`, `APP_NAME`: a name of no service in particular.
  if (!bare || bare === name.toLowerCase() || /^(?:cloud_?run|service|svc|app|image|container|name|id)$/.test(bare)) return undefined;
  return bare.replace(/_/g, '-');
}

/** A shipped folder's service name: its own, but for a `src` folder (`COPY src/ ./src/`), which
 * names nothing: its parent's, or the workspace's at the top. */
function shippedName(folder: string, workspaceName: string): string {
  const base = path.posix.basename(folder);
  if (base !== 'src') return base;
  const parent = path.posix.dirname(folder);
  return parent === '.' || parent === '' ? workspaceName : path.posix.basename(parent);
}

export class ServiceIndex {
  readonly services: Service[] = [];
  private readonly byRoot = new Map<string, Service>();
  /** `ownerOf` by folder: asked for every file with reads or database URLs, on every model build. */
  private readonly ownerByDir = new Map<string, Service | undefined>();
  /** Candidates considered and refused, for `--explain`. */
  readonly rejected: { folder: string; reason: string }[] = [];
  /** Folders refused as services that hold a manifest of their own: projects of tooling whose
   * files of that manifest's language belong to no service (`ownerOf`). */
  private readonly toolProjects = new Map<string, (CodeLanguage | 'any')[]>();
  private readonly deploys: readonly { file: string; deploy: DeployFact }[];
  /** Deployed name → the service a deploy of that name ships (null: deploys of it ship different ones). */
  private shippedByName?: Map<string, { service: Service; file: string; project?: string } | null>;
  /** The workspace's image builds, and what each deploy ships: asked several times per deploy. */
  private readonly builds: BuildsByImage;
  private readonly shippedOf = new Map<DeployFact, Map<string, Shipped | undefined>>();

  constructor(
    private readonly files: ReadonlyMap<string, FileFacts>,
    private readonly layout: Layout,
    private readonly config: Config,
    private readonly envs: EnvironmentNames,
    workspaceName: string,
    /** The deploys to consider (reusable workflows instantiated per call); default: every file's own. */
    sites?: readonly DeploySite[],
  ) {
    this.builds = indexBuilds(files);
    for (const [name, spec] of Object.entries(config.services)) {
      this.add({ name, root: spec.root, evidence: ['pinned in .deploy-preflight config'] });
    }
    // Folders a deploy ships are services whether or not they hold a manifest of their own (or
    // code we read: a Go service is still the service its deploy names).
    let rootShipped: string | undefined;
    const deploys = sites ?? [...files].flatMap(([file, facts]) => facts.deploys.map((deploy) => ({ file, deploy })));
    this.deploys = deploys;
    // Folders a deploy ships, services or not: a tooling folder one of them ships is no project of
    // its own to set apart (below).
    const shippedFolders = new Set<string>();
    for (const { file, deploy } of deploys) {
      const shipped = this.shipped(file, deploy);
      if (shipped) shippedFolders.add(shipped.folder);
      if (!shipped || this.byRoot.has(shipped.folder)) continue;
      if (shipped.folder === '') {
        // Decided below with the root's manifest: a deploy that ships the root makes it a service
        // even beside deeper roots (`client/` in a repository whose root is the server).
        rootShipped ??= `${file}: ${shipped.how}`;
        continue;
      }
      if (isNonServiceFolder(shipped.folder) || isTestPath(shipped.folder + '/')) {
        this.rejected.push({ folder: shipped.folder, reason: `${shipped.how}, but it is a folder of tooling, deploy scripts or tests` });
        continue;
      }
      this.add({ name: this.uniqueName(shippedName(shipped.folder, workspaceName), shipped.folder), root: shipped.folder, evidence: [`${file}: ${shipped.how}`] });
    }
    const roots = new Map<string, string[]>();
    for (const [file] of files) {
      if (!isCodeRootMarker(file)) continue;
      const dir = norm(path.posix.dirname(file));
      const base = path.posix.basename(file);
      if (isNonServiceFolder(dir) || (dir && isTestPath(dir + '/'))) {
        this.rejected.push({ folder: dir, reason: `${base} in a folder of tooling, docs or tests` });
        // Its own manifest makes it a project of its own (a Notion-sync CLI under `scripts/notion/`
        // with its package.json): its code is no enclosing service's, even where an image copies
        // it, unless a deploy ships that very folder (`--source infra/services/ledger`).
        if (isManifestName(base) && dir && ![...shippedFolders].some((f) => f === dir || f.startsWith(dir + '/'))) {
          this.toolProjects.set(dir, [...(this.toolProjects.get(dir) ?? []), manifestLanguage(base)]);
        }
        continue;
      }
      // A `setup.py` inside a package is one of its modules (`telemetry/setup.py` setting up
      // tracing), not a project's setup script.
      if (base.toLowerCase() === 'setup.py' && this.layout.packageDirs?.has(dir)) {
        this.rejected.push({ folder: dir || '.', reason: `${base} beside __init__.py: a module of a package, not a project` });
        continue;
      }
      // A Dockerfile alone marks a root only beside code (`docker/`, `deployment/docker/` hold
      // Dockerfiles of services that live elsewhere).
      if (isDockerfileName(base) && !isManifestName(base) && !this.holdsCode(dir)) {
        this.rejected.push({ folder: dir || '.', reason: `${base} with no code beside it` });
        continue;
      }
      const list = roots.get(dir) ?? [];
      list.push(base);
      roots.set(dir, list);
    }
    // A root manifest only makes the workspace root a service when no deeper roots exist
    // (a monorepo's top-level package.json holds tooling, not a deployed service), unless a deploy
    // ships the root, or a Dockerfile at the root ships the root's own code (`COPY . .` running
    // `server.ts` beside `src/`): an image of it is built, whatever builds it.
    const deeper = [...roots.keys()].some((r) => r !== '') || this.services.some((s) => s.root !== '');
    const rootImage = deeper ? this.rootDockerfileShippingRoot(roots.get('') ?? []) : undefined;
    for (const [root, markers] of roots) {
      const manifests = markers.filter(isManifestName);
      if (root === '' && deeper && !(manifests.length && (rootShipped || rootImage))) continue;
      if (this.byRoot.has(root)) continue;
      const name = root === '' ? workspaceName : path.posix.basename(root);
      const evidence = [`${markers.join(', ')} in ${root || '.'}`];
      if (root === '' && deeper) evidence.push(rootShipped ?? `${rootImage} at the root ships the root's code`);
      this.add({ name: this.uniqueName(name, root), root, evidence });
    }
    if (this.services.length === 0) {
      this.add({ name: workspaceName, root: '', evidence: ['no code roots found: the workspace is one service'] });
    }
  }

  /**
   * A folder named `name` beside the deploy file or one of its parents, other than the service's
   * root: a name match with a service elsewhere is then a coincidence of sample apps or
   * subprojects (two folders named `backend`), and the deploy is the nearer folder's (perhaps
   * code we do not read, such as Go).
   */
  private nearerFolderNamed(file: string, name: string, s: Service): string | undefined {
    for (let d = norm(path.posix.dirname(file)); ; d = norm(path.posix.dirname(d))) {
      const candidate = d ? `${d}/${name}` : name;
      // The deploy's own folder of deploy files (`infra/services/svc-shops/main.tf`) is named for the
      // service it deploys, not another service.
      const ownDeployFolder = file.startsWith(candidate + '/') && !this.holdsCode(candidate);
      if (candidate !== s.root && !s.root.startsWith(candidate + '/') && this.layout.dirs.has(candidate) && !ownDeployFolder) return candidate;
      if (d === '') return undefined;
    }
  }

  private shipped(file: string, deploy: DeployFact): Shipped | undefined {
    let byFile = this.shippedOf.get(deploy);
    if (!byFile) this.shippedOf.set(deploy, (byFile = new Map()));
    if (byFile.has(file)) return byFile.get(file);
    const s = shippedFolder(file, deploy, this.files, this.layout, this.builds);
    byFile.set(file, s);
    return s;
  }

  /** A Dockerfile at the workspace root whose image holds the root's own code (not a deeper
   * folder's), among the root's markers; undefined when none does or the root holds no code. */
  private rootDockerfileShippingRoot(markers: string[]): string | undefined {
    if (!this.holdsCode('')) return undefined;
    return markers.find((m) => isDockerfileName(m) && dockerfileFolder(this.files.get(m)?.dockerfile, '', this.layout)?.folder === '');
  }

  private holdsCode(dir: string): boolean {
    return this.layout.codeDirs.has(dir);
  }

  private uniqueName(name: string, root: string): string {
    if (!this.services.some((s) => s.name === name)) return name;
    // The workspace root beside a folder of the workspace's name (`justdata/` in `justdata`).
    if (root === '') return `${name}-root`;
    return root.replace(/\//g, '-');
  }

  private add(s: Service): void {
    this.services.push(s);
    this.byRoot.set(s.root, s);
    this.ownerByDir.clear();
  }

  byName(name: string): Service | undefined {
    return this.services.find((s) => s.name === name);
  }

  /** The deepest service root containing `file`. */
  ownerOf(file: string): Service | undefined {
    const start = path.posix.dirname(file);
    const lang = languageOf(file);
    // Keyed by language too: a tooling project holds only the files of its manifest's language.
    const key = this.toolProjects.size ? `${lang}:${start}` : start;
    if (this.ownerByDir.has(key)) return this.ownerByDir.get(key);
    let owner: Service | undefined;
    for (let dir = start; ; dir = path.posix.dirname(dir)) {
      owner = this.byRoot.get(norm(dir));
      if (owner) break;
      if (this.toolProjects.get(norm(dir))?.some((l) => l === 'any' || l === lang)) break;
      if (dir === '.' || dir === '' || dir === '/') {
        owner = this.byRoot.get('');
        break;
      }
    }
    this.ownerByDir.set(key, owner);
    return owner;
  }

  /** Links a deploy to a service, with the reason and how sure the link is. */
  /** The builds of a deploy's image found in the workspace, with their context and Dockerfile. */
  imageBuilds(file: string, deploy: DeployFact): ImageBuild[] {
    return imageBuildsOf(file, deploy, this.files, this.layout, this.builds);
  }

  /** What the deploy's image starts and sets itself, from its Dockerfile when that is known
   * (`shipped-code.ts imageFactsOf`). */
  image(file: string, deploy: DeployFact): ImageFacts {
    // Asked when a deploy is linked (its program may be a nested package's) and again for its ref.
    let known = this.images.get(deploy);
    if (!known) this.images.set(deploy, (known = imageFactsOf(file, deploy, this.files, this.layout, this.builds)));
    return known;
  }

  /** What each deploy's image runs, by deploy (a deploy fact belongs to one file). */
  private readonly images = new WeakMap<DeployFact, ImageFacts>();

  /**
   * What the image of a deploy runs when the workspace does not show its build (a Terraform
   * `image = var.backend_image`, a tag pushed by another pipeline), but its service's folder holds
   * one Dockerfile and no other: any image of that service is built from it. Undefined where the
   * folder holds none or several, and for a deploy building from source (`--source`: without a
   * Dockerfile at that folder, buildpacks decide what runs).
   */
  soleDockerfileImage(service: Service, deploy: DeployFact): ImageFacts | undefined {
    if (deploy.source || deploy.entry || deploy.command) return undefined;
    let df = this.soleDockerfiles.get(service.root);
    if (df === undefined) {
      const found = this.dockerfilesOf(service);
      this.soleDockerfiles.set(service.root, (df = found.length === 1 ? found[0]! : null));
    }
    return df ? dockerfileImageFacts(df, this.files) : undefined;
  }

  /** Where the image's build is not seen: the fixed port every Dockerfile of the service's folder
   * starts its server on (`Dockerfile` and `Dockerfile.prod`, both `uvicorn … --port 8000`), with
   * the first of them; undefined when one names none or another port. */
  commonListen(file: string, service: Service, deploy: DeployFact): { file: string; port: string; server: string; span: Span } | undefined {
    // A build of the image seen (its Dockerfile missing, or several): not a guess to make.
    if (deploy.source || deploy.entry || deploy.command || this.imageBuilds(file, deploy).length) return undefined;
    const found = this.dockerfilesOf(service);
    const first = found[0] && this.files.get(found[0])?.dockerfile?.listens;
    if (!first || !found.every((f) => this.files.get(f)?.dockerfile?.listens?.port === first.port)) return undefined;
    return { file: found[0]!, ...first };
  }

  /** The Dockerfiles in the service's folder (and below it). Listed by name first: the server's
   * facts are parsed from the cache only when asked for, and the model is rebuilt on every edit. */
  private dockerfilesOf(service: Service): string[] {
    const under = service.root ? `${service.root}/` : '';
    this.dockerfiles ??= [...this.files.keys()].filter((f) => isDockerfileName(path.posix.basename(f)) && this.files.get(f)?.dockerfile);
    return this.dockerfiles.filter((f) => f.startsWith(under));
  }

  private dockerfiles?: string[];
  /** By service folder: its one Dockerfile, or null. */
  private readonly soleDockerfiles = new Map<string, string | null>();

  /** The one service nested in `outer` (a folder with its own manifest) that every program the
   * deploy's image runs lies in, as a path from `outer`'s folder or the workspace root, where the
   * command also runs in that folder (`WORKDIR /app/server`): a package of a monorepo, not a
   * project package the root's command names (`gunicorn site.wsgi`). */
  private nestedProgram(file: string, deploy: DeployFact, outer: Service): { service: Service; run: string } | undefined {
    const { runs, workdirs } = this.image(file, deploy);
    if (!runs?.length || !workdirs?.length) return undefined;
    const prefix = outer.root ? `${outer.root}/` : '';
    let found: { service: Service; run: string } | undefined;
    for (const run of runs) {
      const clean = run.trim().replace(/^\.\//, '').replace(/^\/+/, '');
      const inner = this.services.find((x) => x !== outer && x.root !== outer.root && x.root.startsWith(prefix) &&
        [`${prefix}${clean}`, clean].some((p) => p.startsWith(`${x.root}/`)));
      if (!inner || !workdirs.some((w) => `${w.replace(/\/+$/, '')}/`.endsWith(`/${inner.root}/`))) continue;
      if (found && found.service !== inner) return undefined;
      found ??= { service: inner, run };
    }
    return found;
  }

  forDeploy(file: string, deploy: DeployFact): ServiceLink {
    for (const [name, spec] of Object.entries(this.config.services)) {
      if (spec.deploys?.includes(file)) return { service: this.byName(name), evidence: `${file} is listed under services.${name}.deploys`, certainty: 'declared' };
      const deployed = deploy.service?.value;
      if (deployed && spec.names?.includes(deployed)) return { service: this.byName(name), evidence: `"${deployed}" is listed under services.${name}.names`, certainty: 'declared' };
    }
    const shipped = this.shipped(file, deploy);
    if (shipped) {
      const s = this.byRoot.get(shipped.folder) ?? (this.layout.dirs.has(shipped.folder) || shipped.folder === '' ? this.ownerOf(shipped.folder ? shipped.folder + '/x' : 'x') : undefined);
      if (s && (shipped.folder === s.root || shipped.folder.startsWith(s.root ? s.root + '/' : ''))) {
        // An image built from the workspace (or a folder holding several packages) whose command
        // runs one package of it (`WORKDIR /app/server`, `CMD ["node", "dist/index.js"]`): that
        // package's code is what the container runs.
        const inner = this.nestedProgram(file, deploy, s);
        if (inner) {
          return {
            service: inner.service, evidence: `${shipped.how}; its command runs ${inner.run}, in ${inner.service.root}`,
            ...(shipped.guessed ? { certainty: 'inferred' as const, basis: 'missing-dockerfile' as const } : { certainty: 'declared' as const }),
          };
        }
        return {
          service: s, evidence: shipped.folder === s.root ? shipped.how : `${shipped.how}, inside ${s.root || 'the workspace root'}`,
          ...(shipped.guessed ? { certainty: 'inferred' as const, basis: 'missing-dockerfile' as const } : { certainty: 'declared' as const }),
          ...(shipped.also ? { beside: shipped.also } : {}),
          ...(shipped.holds !== undefined ? { holds: shipped.holds } : {}),
        };
      }
    }
    // An update (`gcloud run services update "$SERVICE" …`) of the service a full deploy in the
    // same file deploys under the same name (`gcloud run deploy "$SERVICE" --source .`) changes
    // that service: it ships what that deploy ships.
    const updated = deploy.amends ? this.updatedInFile(file, deploy) : undefined;
    if (updated) return { service: updated, evidence: `updates "${deploy.service!.value}", which a deploy in ${file} ships from ${updated.root || 'the workspace root'}`, certainty: 'declared' };
    // The image it deploys is built here from a Dockerfile that copies no code (a proxy, a
    // database): no service's code runs in it, whatever its names say.
    const none = shipsNoCode(file, deploy, this.files, this.layout, this.builds);
    if (none) return { evidence: `not linked: ${none}`, certainty: 'inferred' };
    // A vendor's published image (`cloudflare/cloudflared`) nothing here builds runs the vendor's
    // program: linked to a service by its name or by being the only one, its env would be
    // checked against code it never runs.
    const vendor = runsPublishedImage(file, deploy, this.builds);
    if (vendor) return { evidence: `not linked: ${vendor}`, certainty: 'inferred' };
    const candidates: { name: string; how: string; certainty: LinkCertainty }[] = [];
    const image = deploy.image?.value ?? deploy.image?.text;
    if (image) {
      const last = image.split('/').pop()!.split(/[:@]/)[0];
      if (last) candidates.push({ name: last, how: `image "${image}"`, certainty: 'declared' });
    }
    const deployed = deploy.service?.value ?? deploy.service?.text;
    if (deployed) candidates.push({ name: deployed, how: `deployed name "${deployed}"`, certainty: 'inferred' });
    // A name that is one variable (`${BACKEND_SERVICE_NAME}`, `${{ env.API_SERVICE }}`): the
    // variable's own name says which service, as a guess.
    for (const [what, written] of [['deployed name', deployed], ['image', image]] as const) {
      const v = written ? variableNamed(what === 'image' ? written.split('/').pop()!.split(/[:@]/)[0]! : written) : undefined;
      if (v) candidates.push({ name: v, how: `${what} "${written}"`, certainty: 'inferred' });
    }
    let refused: string | undefined;
    for (const c of candidates) {
      const stripped = this.envs.stripEnvironment(c.name.replace(/\{[^}]*\}|\$\{?[A-Za-z_]\w*\}?/g, '')).replace(/^-+|-+$/g, '');
      const x = stripped.toLowerCase().replace(/_/g, '-');
      // A role word after the name says what it is, not which (`backend-service` is `backend`).
      const bare = x.replace(ROLE_SUFFIX, '');
      const same = (n: string) => x === n || bare === n || x.replace(/-/g, '') === n.replace(/[-_]/g, '');
      // Then a name that only begins or ends the other (`backend` for a `backend_django` folder,
      // `shop-api` for `api`), where no service has the name itself.
      const part = (n: string) => x.endsWith('-' + n) || n.endsWith('-' + x) || n.replace(/_/g, '-').startsWith(x + '-');
      // A service named exactly as deployed comes first, environment word and all (`svc-preview`
      // is the folder `svc-preview`, not `svc` in preview).
      const whole = c.name.replace(/\{[^}]*\}|\$\{?[A-Za-z_]\w*\}?/g, '').replace(/^-+|-+$/g, '').toLowerCase().replace(/_/g, '-');
      const exact = whole !== x ? this.services.filter((s) => s.name.toLowerCase().replace(/_/g, '-') === whole) : [];
      const ordered = x ? [...exact, ...this.services.filter((s) => !exact.includes(s) && same(s.name.toLowerCase())), ...this.services.filter((s) => !exact.includes(s) && !same(s.name.toLowerCase()) && part(s.name.toLowerCase()))] : exact;
      for (const s of ordered) {
        const nearer = this.nearerFolderNamed(file, path.posix.basename(s.root) || s.name, s);
        if (nearer) {
          refused ??= `${c.how} names ${s.name}, but ${nearer} beside the deploy is another folder of that name`;
          continue;
        }
        return { service: s, evidence: `${c.how} names ${s.name}`, certainty: c.certainty, ...(c.certainty === 'inferred' ? { basis: 'name' as const } : {}) };
      }
    }
    // Another deploy of the same Cloud Run service says what it ships (a Cloud Build file builds
    // the image that a workflow deploys under the same name from a step output).
    // Only a Cloud Run name is an identity: compose services called `web` in two files are not one.
    const twin = deploy.service?.value && runsOnCloudRun(deploy.platform) ? this.shippedAs(`${deploy.platform}\0${deploy.service.value}`) : undefined;
    const project = deploy.project?.value;
    if (twin && twin.file !== file && !(project && twin.project && project !== twin.project)) {
      return { service: twin.service, evidence: `${twin.file} deploys "${deploy.service!.value}" too and ships ${twin.service.root || 'the workspace root'}`, certainty: 'inferred', basis: 'twin' };
    }
    if (refused) return { evidence: `not linked: ${refused}`, certainty: 'inferred' };
    // A Knative service file kept in a service's own folder (`apps/api/service.yaml` beside
    // `apps/api/package.json`) describes that service, when nothing above names another.
    if (deploy.via === 'knative') {
      const home = this.ownerOf(file);
      if (home && home.root !== '') return { service: home, evidence: `${file} sits in ${home.root}`, certainty: 'inferred', basis: 'folder' };
    }
    if (this.services.length === 1) return { service: this.services[0], evidence: 'the only service in the workspace', certainty: 'inferred', basis: 'only-service' };
    return { evidence: 'no source, Dockerfile, image or name links it to a code root', certainty: 'inferred' };
  }

  /** The service the full deploys in `file` of the Cloud Run service `deploy` updates ship, when they agree on one. */
  private updatedInFile(file: string, deploy: DeployFact): Service | undefined {
    const name = deploy.service?.value;
    if (!name || !runsOnCloudRun(deploy.platform)) return undefined;
    let found: Service | undefined;
    for (const o of this.deploys) {
      const d = o.deploy;
      if (o.file !== file || d === deploy || d.amends || d.platform !== deploy.platform || d.service?.value !== name) continue;
      if (deploy.project?.value && d.project?.value && deploy.project.value !== d.project.value) continue;
      const shipped = this.shipped(file, d);
      const s = shipped && this.byRoot.get(shipped.folder);
      if (!s || (found && found !== s)) return undefined;
      found = s;
    }
    return found;
  }

  private shippedAs(name: string): { service: Service; file: string; project?: string } | undefined {
    if (!this.shippedByName) {
      const map = new Map<string, { service: Service; file: string; project?: string } | null>();
      for (const { file, deploy } of this.deploys) {
        const deployed = deploy.service?.value && runsOnCloudRun(deploy.platform) ? `${deploy.platform}\0${deploy.service.value}` : undefined;
        const shipped = deployed ? this.shipped(file, deploy) : undefined;
        const service = shipped && this.byRoot.get(shipped.folder);
        if (!deployed || !service) continue;
        const seen = map.get(deployed);
        if (seen === undefined) map.set(deployed, { service, file, project: deploy.project?.value });
        else if (seen && seen.service !== service) map.set(deployed, null);
      }
      this.shippedByName = map;
    }
    return this.shippedByName.get(name) ?? undefined;
  }
}
