/**
 * Which TypeScript / JavaScript modules a container's program loads: the modules its entry
 * imports, and theirs, to the end (`FileFacts.moduleLinks`). A module of the service that no
 * import chain from the program reaches (an `app.ts` the `server.ts` the image runs never
 * imports, an orphaned middleware) never runs in that container, so its reads are not the
 * deploy's requirements.
 *
 * The answer is given only when it is sure; otherwise there is none and every module counts:
 * - the entry is the file the image's command names (`node dist/server.js`), or its source where
 *   the path is a build's output (`dist/server.js` → `src/server.ts`); a command naming no file of
 *   the service's folder, or something else than a module, gives no answer;
 * - a module that loads a computed name (`require(path.join(dir, f))`) may load anything, and one
 *   the workspace lacks (a build's output imported by a server, `./build/handler.js`) too, but for
 *   generated code kept out of the repository (`../generated/prisma`), which loads only packages;
 * - a bare specifier naming a package of the workspace (its package.json `name`: `@acme/core`) is
 *   followed to that package's source (its entry, or the path after the name); one whose source is
 *   not found gives no answer;
 * - any other bare specifier is a dependency's (not followed), unless it is a path alias (a
 *   tsconfig `paths` pattern, a folder under its `baseUrl`), followed to the module it names; an
 *   alias naming no module here (`@/lib/db`, `~/x`, `#db` with no pattern for them, a target the
 *   build generates) gives no answer.
 *
 * Pure: reads facts only.
 */
import * as path from 'node:path';
import type { FileFacts } from '../core/facts';
import { resolveSpecifier } from './module-paths';
import { everyFile, type WorkspaceFiles } from './file-words';
import { BUILD_DIRS, CODE, sourceOfOutput, WorkspacePackages } from './workspace-packages';
import { NEXT_SERVER_RUN } from '../knowledge/called-by-convention';
import { isNextAppFolder } from './inlined-reads';

const CODE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mts', '.mjs', '.cts', '.cjs'];
/** A path through a folder of a build's or a tool's output. */
const OUTPUT_FOLDER = /(?:^|\/)(?:dist|build|out|\.output|\.next|\.nuxt|\.svelte-kit|playwright-report|test-results|coverage|storybook-static)\//;
/** The names an import's last segment may give `file` by: its name without extension, and its
 * folder's for an `index` module. */
function linkNames(file: string): Set<string> {
  const base = path.posix.basename(file).replace(/\.[^.]+$/, '');
  const names = new Set([base, path.posix.basename(file)]);
  if (base === 'index') names.add(path.posix.basename(path.posix.dirname(file)));
  return names;
}

/** `../lib/config/security` → `security`; `./x.js` → `x`; `.` and `..` stay as written. */
function lastSegment(specifier: string): string {
  const seg = specifier.replace(/\/+$/, '').split('/').pop() ?? '';
  return seg === '.' || seg === '..' ? seg : seg.replace(/\.[cm]?[jt]sx?$/, '');
}

/** A command's path relative to the service's folder `root` (the image's working directory), or
 * to the workspace root (a monorepo copied whole: `node apps/api/dist/server.js`); undefined for a
 * file that is no code (`config.yaml`). */
function commandPath(run: string, root: string): { own?: string; prefix: string } {
  const clean = run.trim().replace(/^\.\//, '').replace(/^\/+/, '');
  const prefix = root ? `${root}/` : '';
  const ext = path.posix.extname(clean);
  if (ext && !CODE.test(clean)) return { prefix };
  return { own: prefix && clean.startsWith(prefix) ? clean.slice(prefix.length) : clean, prefix };
}

/** Next.js: the route folders, and the other modules it loads by name. */
const NEXT_ROUTES = /^(?:src\/)?(?:app|pages)\//;
const NEXT_CONVENTIONS = /^(?:(?:src\/)?(?:middleware|proxy|instrumentation)|next\.config|sentry\.(?:server|edge)\.config)\.[cm]?[jt]sx?$/;

/** A path through a folder of generated code. */
const GENERATED = /(?:^|\/)(?:generated|__generated__)(?:\/|$)/;

/** The folder of a workspace file, '' at the root. */
const folderOf = (file: string): string => (path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file));
/** `dir` joined with a relative path, '' for the workspace root. */
const joined = (dir: string, rel: string): string => path.posix.normalize(path.posix.join(dir, rel)).replace(/^\.$/, '');

/** The pattern TypeScript applies to `specifier`: an exact one, else the matching one with the longest prefix. */
function bestPattern(specifier: string, patterns: string[]): string | undefined {
  if (patterns.includes(specifier)) return specifier;
  let best: string | undefined;
  for (const p of patterns) {
    if (p.includes('*') && matchesPattern(specifier, p) && (best === undefined || p.indexOf('*') > best.indexOf('*'))) best = p;
  }
  return best;
}

/** `@app/db` against `@app/*`, `config` against `config`. */
function matchesPattern(specifier: string, pattern: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return specifier === pattern;
  return specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)) && specifier.length >= pattern.length - 1;
}

/**
 * What a program loads, worked out once per program: every read of a target asks, for each of its
 * deploys. `walk` is a language's: the modules reached from the program's entry, or undefined when
 * that is not known for sure.
 */
export abstract class ProgramGraph {
  private readonly cache = new Map<string, ReadonlySet<string> | null>();

  /**
   * The modules a program started by one of `runs` (the paths a command may name: as written, and
   * where the image's copies bring it from) loads, when the service in `root` holds its entry and
   * every import on the way is understood; undefined otherwise.
   */
  loadedBy(runs: readonly string[], root: string): ReadonlySet<string> | undefined {
    const key = `${root}\0${runs.join('\0')}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = this.walk(runs, root) ?? null;
      this.cache.set(key, hit);
    }
    return hit ?? undefined;
  }

  protected abstract walk(runs: readonly string[], root: string): ReadonlySet<string> | undefined;
}

export class ModuleGraph extends ProgramGraph {
  private readonly packages: WorkspacePackages;
  private readonly aliases = new Map<string, string | null | undefined>();

  constructor(private readonly files: WorkspaceFiles, private readonly dirs: ReadonlySet<string>, packages?: WorkspacePackages) {
    super();
    this.packages = packages ?? new WorkspacePackages(files);
  }

  protected walk(runs: readonly string[], root: string): ReadonlySet<string> | undefined {
    const entries = [...new Set(runs.flatMap((r) => this.entriesOf(r, root)))];
    if (!entries.length) return undefined;
    const seen = new Set<string>(entries);
    const queue = [...entries];
    while (queue.length) {
      const file = queue.pop()!;
      const links = this.files.get(file)?.moduleLinks;
      if (!links) continue; // a module with nothing recorded (a test's, a declaration file) loads nothing we follow
      if (links.dynamic) return undefined;
      for (const s of links.specifiers) {
        const to = this.resolveLink(file, s);
        if (to === null) return undefined;
        if (to && !seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    return seen;
  }

  /**
   * The workspace module `file` loads by `s`; false where it loads none of ours (a dependency, a
   * stylesheet, generated code); null where what it loads is not known (a module the workspace
   * lacks, an alias naming nothing here, a workspace package whose source is not found).
   */
  private resolveLink(file: string, s: string): string | null | false {
    if (s.startsWith('./') || s.startsWith('../') || s === '.' || s === '..') {
      const to = resolveSpecifier(file, s, (f) => this.files.has(f)) ?? this.sourceOfOutput(file, s);
      if (to) return to;
      // A module the workspace lacks is a build's output (`./build/handler.js`, SvelteKit's
      // server) or generated code: what it loads is not known. A stylesheet or data file loads nothing.
      // Generated code kept out of the repository (Prisma's client in `../generated/prisma`,
      // GraphQL codegen's `__generated__`) loads packages, never the service's modules.
      if (GENERATED.test(s)) return false;
      return !path.posix.extname(s) || CODE.test(s) ? null : false;
    }
    // A package of the workspace imported by its name (`@acme/core`, `@acme/core/billing`):
    // its source, or nothing known when that cannot be found.
    const pkg = this.packages.sourceOf(s);
    if (pkg !== undefined) return pkg;
    const aliased = this.aliasTarget(s, file);
    return aliased === undefined ? false : aliased;
  }

  /**
   * Modules that only code running outside every service loads (`outside`: an operator script, a
   * tool's configuration), directly or through other such modules: a config module a
   * `scripts/security-audit.ts` imports for one helper, and no page, route or server module does.
   * Its reads run only when the script does. A module nothing imports is kept (a framework may load
   * it by convention: a Next.js route), as is an `entry` (what a command or a convention starts),
   * and a cycle (a server and the app that imports it back). No answer (an empty set) when any
   * module of the services loads a computed name (`require(path.join(dir, f))`): that may be any
   * module. (A link that resolves to nothing here names no module here either.) Tests are not seen
   * (their links are not recorded), so a module only tests import is kept.
   *
   * Asked on every model build: only the specifiers whose last segment could name a candidate are
   * resolved, not every import of the workspace.
   */
  loadedOnlyOutside(outside: (file: string) => boolean, entry: (file: string) => boolean): ReadonlySet<string> {
    const only = new Set<string>();
    const all: [string, NonNullable<FileFacts['moduleLinks']>][] = [];
    // Every module: one that holds no fact of its own may still be what loads another.
    for (const [file, facts] of everyFile(this.files)) {
      const links = facts.moduleLinks;
      // Python's links are dotted names, another graph's. A build's or a tool's output kept in the
      // repository (a Playwright report's bundled viewer) is no source anything runs from here.
      if (!links || !CODE.test(file) || OUTPUT_FOLDER.test(file)) continue;
      if (links.dynamic && !outside(file)) return only;
      all.push([file, links]);
    }
    const candidates = new Set<string>();
    const loadedBy = (file: string, links: NonNullable<FileFacts['moduleLinks']>): void => {
      for (const sp of links.specifiers) {
        const to = this.resolveLink(file, sp);
        if (to && to !== file && !outside(to) && !entry(to) && !only.has(to)) candidates.add(to);
      }
    };
    for (const [file, links] of all) if (outside(file)) loadedBy(file, links);
    const importers = new Map<string, string[]>();
    const importersOf = (target: string): string[] => {
      let found = importers.get(target);
      if (found) return found;
      const names = linkNames(target);
      found = [];
      for (const [file, links] of all) {
        if (file === target) continue;
        for (const sp of links.specifiers) {
          const seg = lastSegment(sp);
          if (!names.has(seg) && seg !== '.' && seg !== '..' && this.packages.sourceOf(sp) === undefined) continue;
          if (this.resolveLink(file, sp) === target) {
            found.push(file);
            break;
          }
        }
      }
      importers.set(target, found);
      return found;
    };
    for (let grew = true; grew;) {
      grew = false;
      for (const c of [...candidates]) {
        if (only.has(c)) continue;
        const by = importersOf(c);
        if (by.length && by.every((b) => outside(b) || only.has(b))) {
          only.add(c);
          candidates.delete(c);
          const links = this.files.get(c)?.moduleLinks;
          if (links) loadedBy(c, links);
          grew = true;
        }
      }
    }
    return only;
  }

  /** The source a build's output stands for (`../../dist/services/search/index.js`). */
  private sourceOfOutput(from: string, specifier: string): string | undefined {
    return sourceOfOutput(this.files, from, specifier);
  }

  /** The workspace file of `root` a command's path names: the path itself, or the source of a
   * build's output (`dist/src/index.js` → `src/index.ts`), or else the modules a Next.js server
   * loads by convention. Empty when it names none. */
  private entriesOf(run: string, root: string): string[] {
    const source = this.sourceOfRun(run, root);
    if (source) return [source];
    const { own, prefix } = commandPath(run, root);
    return own === undefined ? [] : this.nextServerEntries(own, prefix);
  }

  /** The module of `root` a command's path names: the path itself, or the source of a build's
   * output (`dist/worker.js` → `src/worker.ts`, a bundler's `dist/server.cjs` → `src/server.ts`). */
  sourceOfRun(run: string, root: string): string | undefined {
    const { own, prefix } = commandPath(run, root);
    if (own === undefined) return undefined;
    // The path as written, else the source of a build's output, most specific first: `src/`
    // before the bare rest (a stub `index.js` at the root is no source of `dist/index.js`).
    const written = [own];
    const segs = own.split('/');
    segs.forEach((s, i) => {
      if (!BUILD_DIRS.has(s)) return;
      const rest = segs.slice(i + 1).join('/');
      if (rest) written.push(`src/${rest}`, rest);
      // A bundler picks the output's extension by format, not by the source's (`esbuild server.ts
      // --format=cjs --outfile=dist/server.cjs`, tsup's `index.mjs`): the source is the same name
      // with any code extension. Not Nitro's `.output/server/index.mjs`, which bundles a whole
      // `server/` folder of routes rather than standing for one module.
      const bundled = /\.[cm]js$/.exec(rest);
      if (bundled && s !== '.output') {
        const stem = rest.slice(0, -bundled[0].length);
        written.push(`src/${stem}`, stem);
      }
    });
    for (const w of written) {
      const f = resolveSpecifier(`${prefix}x`, `./${w}`, (x) => this.files.has(x) && CODE.test(x));
      if (f) return f;
    }
    return undefined;
  }

  /**
   * A Next.js standalone build's `server.js` (the image copies `.next/standalone` and runs `node
   * server.js`; in a monorepo `node apps/web/server.js`), where the app's folder holds no such
   * module: the server loads the app's routes by convention, so its entries are every module under
   * `app/` and `pages/` (or `src/app/`, `src/pages/`), the `middleware` and `instrumentation`
   * modules, the Next.js config and Sentry's server configs (which its build plugin injects). A
   * module none of them imports (a worker's own entry, a dead helper) never runs in that
   * container. Empty (no answer) where the folder is no Next.js app or holds no route.
   */
  private nextServerEntries(run0: string, prefix: string): string[] {
    // `next start` serves the app of the folder it runs in; `.next/standalone/server.js` is the
    // build's output inside that folder.
    const run = path.posix.basename(run0) === NEXT_SERVER_RUN ? path.posix.join(path.posix.dirname(run0), 'server.js') : run0.replace(/(^|\/)\.next\/standalone\//, '$1');
    if (path.posix.basename(run) !== 'server.js') return [];
    const dir = `${prefix}${path.posix.dirname(run) === '.' ? '' : `${path.posix.dirname(run)}/`}`;
    if (!isNextAppFolder(this.files, dir)) return [];
    const entries: string[] = [];
    let routes = 0;
    for (const [file, facts] of everyFile(this.files)) {
      if (!file.startsWith(dir) || !CODE.test(file) || facts.isTest) continue;
      const rel = file.slice(dir.length);
      if (NEXT_ROUTES.test(rel)) {
        entries.push(file);
        routes++;
      } else if (NEXT_CONVENTIONS.test(rel)) entries.push(file);
    }
    return routes > 0 ? entries : [];
  }

  /**
   * The module a bare specifier names through a path alias, as TypeScript resolves it: a pattern
   * of the nearest tsconfig's `paths` (through the configs it extends; `@app/*` → `["src/*"]`,
   * relative to its `baseUrl`, else to the config that declares them), or a file under its
   * `baseUrl` (`services/mail`). Undefined when the specifier is no alias (a dependency's); null
   * when it may be one but names no module here (`@/x` with no pattern for it, a target the build
   * generates): what it loads is not known.
   */
  private aliasTarget(specifier: string, from: string): string | null | undefined {
    // The answer depends on the importing file's folder only: asked once per folder and specifier
    // (every module of a folder importing `express` asks the same).
    const key = `${path.posix.dirname(from)}\0${specifier}`;
    if (this.aliases.has(key)) return this.aliases.get(key);
    const found = this.resolveAlias(specifier, from);
    this.aliases.set(key, found);
    return found;
  }

  private resolveAlias(specifier: string, from: string): string | null | undefined {
    const has = (f: string): boolean => this.files.has(f) && CODE.test(f);
    const first = specifier.split('/')[0]!;
    for (let d = path.posix.dirname(from); ; d = path.posix.dirname(d)) {
      const dir = d === '.' ? '' : d;
      for (const name of ['tsconfig.json', 'jsconfig.json']) {
        const chain = this.configChain(dir ? `${dir}/${name}` : name);
        // TypeScript takes each option from the nearest config of the chain that sets it.
        const withPaths = chain.find((c) => Object.keys(c.aliases.paths).length);
        const withBase = chain.find((c) => c.aliases.baseUrl !== undefined);
        const base = withBase ? joined(folderOf(withBase.file), withBase.aliases.baseUrl!) : undefined;
        const pattern = withPaths ? bestPattern(specifier, Object.keys(withPaths.aliases.paths)) : undefined;
        if (withPaths && pattern !== undefined) {
          const star = pattern.indexOf('*');
          const captured = star < 0 ? '' : specifier.slice(star, specifier.length - (pattern.length - star - 1));
          const root = base ?? folderOf(withPaths.file);
          for (const t of withPaths.aliases.paths[pattern]!) {
            const f = resolveSpecifier(`${root ? `${root}/` : ''}x`, `./${t.replace('*', captured)}`, has);
            if (f) return f;
          }
          // A catch-all (`"*": ["node_modules/*", "types/*"]`) whose targets hold no module falls
          // back, as in TypeScript, to the package of that name.
          if (pattern !== '*') return null;
        }
        if (base !== undefined) {
          const target = base ? `${base}/${first}` : first;
          if (this.dirs.has(target) || CODE_EXTENSIONS.some((e) => this.files.has(target + e))) {
            return resolveSpecifier(`${base ? `${base}/` : ''}x`, `./${specifier}`, has) ?? null;
          }
        }
      }
      if (d === '.' || d === '' || d === '/') break;
    }
    // The usual alias prefixes, with no config saying where they lead.
    return /^(?:@\/|~|#)/.test(specifier) ? null : undefined;
  }

  /** A tsconfig and the relative configs it extends, nearest first. */
  private configChain(file: string): { file: string; aliases: NonNullable<FileFacts['moduleAliases']> }[] {
    const out: { file: string; aliases: NonNullable<FileFacts['moduleAliases']> }[] = [];
    for (let f: string | undefined = file, guard = 0; f && guard < 8; guard++) {
      const aliases: FileFacts['moduleAliases'] = this.files.get(f)?.moduleAliases;
      if (!aliases) break;
      out.push({ file: f, aliases });
      const next: string | undefined = aliases.extends ? path.posix.normalize(path.posix.join(path.posix.dirname(f), aliases.extends)) : undefined;
      f = next && !next.endsWith('.json') ? `${next}.json` : next;
    }
    return out;
  }
}
