/**
 * Where the tool keeps what it caches between runs (the fact cache, the launcher's V8 code
 * cache). In core so that the launchers in front of the bundles (server/src/launch) can find it
 * without loading the engine.
 */
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The default cache folder: the OS cache folder's `deploy-preflight` (as pip and ruff keep theirs).
 * None when the engine runs from its TypeScript sources (tests, `tsx`): the build fingerprint is
 * the bundle's, and a source edit would not change it. `DEPLOY_PREFLIGHT_CACHE` overrides it.
 */
export function defaultCacheLocation(): string | undefined {
  if (process.env.DEPLOY_PREFLIGHT_CACHE) return path.resolve(process.env.DEPLOY_PREFLIGHT_CACHE);
  if (!__filename.endsWith('.js')) return undefined;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'deploy-preflight', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'deploy-preflight');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'deploy-preflight');
}
