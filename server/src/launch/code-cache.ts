/**
 * Loads a bundle (dist/cli-main.js, dist/server-main.js) with a V8 code cache, so that a start
 * need not compile 16 MB of JavaScript again: on netra's warm CLI run compiling the bundle was
 * 0.36–0.55 s of CPU, and most of the language server's time to its first diagnostic.
 *
 * - Node ≥ 22.1: `module.enableCompileCache()` (Node's own cache, in the tool's cache folder), then
 *   an ordinary `require`.
 * - Node 20.12+ / 21.7+ (`vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER`): the bundle is compiled as
 *   a `vm.Script` in Node's CommonJS wrapper, with the cached data of an earlier run. On these
 *   versions a script compiled *from* cached data loses its dynamic-import callback whatever
 *   `importModuleDynamically` says (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): the build
 *   (scripts/build.mjs) therefore leaves no `import()` in the bundles and fails if one appears.
 * - Anything older (the Node of an older VS Code's Electron), no cache folder (`--no-cache`), or
 *   `--enable-source-maps` (not applied to a vm.Script on Node 20): an ordinary `require`.
 *
 * Nothing read from the cache is trusted: the file holds the key it was written for (the
 * bundle's path, size and modification time, the tool's version, Node's and V8's versions) and
 * a SHA-1 of the data (V8 aborts the process on some corrupt data rather than rejecting it), and
 * V8 itself rejects data of another source length or other flags. Anything that does not match
 * is ignored; the data is then made again once the bundle has run, and written to a temporary
 * file renamed over the old one (a reader never sees half of it). No failure to read or write
 * the cache ever stops the bundle from loading.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { VERSION } from '../core/version';

const MAGIC = 'deploy-preflight code cache 1';

export interface LoadOptions {
  /** The tool's cache folder (the code cache goes in its `code` folder); undefined: no code cache. */
  cacheDir: string | undefined;
  /**
   * When the data is made, if the cache had none that V8 accepted: at the process's exit (the
   * CLI: every function the run compiled is in it), or this many milliseconds after the load
   * (a server that may never exit normally), at the exit at the latest.
   */
  writeAfterMs?: number;
  /** Whether stack traces go through source maps (default: `process.sourceMapsEnabled`, set by
   * `--enable-source-maps`): Node 20 does not apply them to a vm.Script, so the load is plain. */
  sourceMaps?: boolean;
}

/** How a load went (for tests and the bench). */
export type LoadOutcome = 'require' | 'node-compile-cache' | 'accepted' | 'compiled';

/** The key the cache file must hold for `file` as it is now, on this Node. */
export function cacheKey(file: string, st: { size: number; mtimeMs: number }): string {
  return JSON.stringify([file, st.size, st.mtimeMs, VERSION, process.versions.node, process.versions.v8, process.arch]);
}

/** The cache file for a bundle: one per bundle path and runtime (a rebuild replaces it). */
export function codeCacheFile(cacheDir: string, file: string): string {
  const id = createHash('sha1').update(`${file}\0${process.versions.node}\0${process.versions.v8}\0${process.arch}`).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'code', `${path.basename(file, '.js')}-${id}.bin`);
}

/** The cached data in `cacheFile` when it was written for `key` and is whole; otherwise undefined. */
export function readCodeCache(cacheFile: string, key: string): Buffer | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const header = `${MAGIC}\n${key}\n`;
  const headerBytes = Buffer.byteLength(header);
  if (buf.length < headerBytes + 41 || buf.toString('utf8', 0, headerBytes) !== header) return undefined;
  const sum = buf.toString('latin1', headerBytes, headerBytes + 40);
  if (buf[headerBytes + 40] !== 0x0a) return undefined;
  const data = buf.subarray(headerBytes + 41);
  return createHash('sha1').update(data).digest('hex') === sum ? data : undefined;
}

/** Writes the data for `key` through a temporary file; false (and nothing left behind) when it cannot. */
export function writeCodeCache(cacheFile: string, key: string, data: Buffer): boolean {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const sum = createHash('sha1').update(data).digest('hex');
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}\n${key}\n${sum}\n`), data]));
    fs.renameSync(tmp, cacheFile);
    return true;
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to clean */
    }
    return false;
  }
}

/**
 * Loads the CommonJS bundle `file` (an absolute path) and returns its exports. The bundle is not
 * the process's main module (`require.main` is the launcher's).
 */
export function loadBundle(file: string, options: LoadOptions): { exports: unknown; outcome: LoadOutcome } {
  const plainRequire = createRequire(__filename);
  const cacheDir = options.cacheDir;
  const nodeCompileCache = (Module as unknown as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (cacheDir && typeof nodeCompileCache === 'function') {
    try {
      nodeCompileCache(path.join(cacheDir, 'code'));
    } catch {
      /* Node goes on without it */
    }
    return { exports: plainRequire(file), outcome: 'node-compile-cache' };
  }
  const loader = (vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  // Node 20 maps stack traces through source maps (`--enable-source-maps`) for modules it loads
  // itself, not for a vm.Script: someone debugging with them gets the plain load.
  const sourceMaps = options.sourceMaps ?? (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
  if (!cacheDir || loader === undefined || sourceMaps) return { exports: plainRequire(file), outcome: 'require' };

  let source: string;
  let key: string;
  try {
    key = cacheKey(file, fs.statSync(file));
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return { exports: plainRequire(file), outcome: 'require' };
  }
  const cacheFile = codeCacheFile(cacheDir, file);
  const cachedData = readCodeCache(cacheFile, key);
  // Node's CommonJS wrapper, so that the bundle sees what `require` would give it.
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
    filename: file,
    cachedData,
    importModuleDynamically: loader as never,
  });
  const accepted = cachedData !== undefined && script.cachedDataRejected !== true;
  const m = new Module(file);
  m.filename = file;
  const require = createRequire(file);
  require.cache[file] = m;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(m.exports, m.exports, require, m, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  m.loaded = true;
  if (!accepted) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      try {
        writeCodeCache(cacheFile, key, script.createCachedData());
      } catch {
        /* the next start compiles again */
      }
    };
    process.once('exit', write);
    if (options.writeAfterMs !== undefined) setTimeout(write, options.writeAfterMs).unref();
  }
  return { exports: m.exports, outcome: accepted ? 'accepted' : 'compiled' };
}

/**
 * The cache folder a CLI run uses, from its arguments as `parseArgs` (cli/args.ts) reads them:
 * `--no-cache` and `--cache-location DIR` (the last one given wins), else the default. Scanned
 * here so that the launcher need not load the CLI to know.
 */
export function cliCacheDir(argv: readonly string[], fallback: string | undefined): string | undefined {
  let dir = fallback;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-cache') dir = undefined;
    else if (a.startsWith('--cache-location=')) dir = path.resolve(a.slice('--cache-location='.length));
    else if (a === '--cache-location' && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) dir = path.resolve(argv[++i]);
  }
  return dir;
}
