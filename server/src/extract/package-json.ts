/**
 * package.json: which front-end framework builds the package, so the model can tell a
 * `process.env.REACT_APP_*` read the build inlines (Create React App) from one a server makes at
 * run time; and what its scripts start (`npm start` in a Dockerfile). Bad JSON is no fact: the
 * package manager reports it. Also the major version of `next-auth` it depends on (Auth.js reads
 * variables by itself: knowledge/auth-js.ts).
 */
import type { FileFacts } from '../core/facts';
import { inlinedPrefixesOf } from '../knowledge/build-time-env';
import { chainRuns, programOf } from './command-line';
import { nextAuthMajor } from '../knowledge/auth-js';

export function extractPackageJson(text: string, facts: FileFacts): void {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return;
  }
  if (!pkg || typeof pkg !== 'object') return;
  const deps: string[] = [];
  for (const key of ['dependencies', 'devDependencies']) {
    const d = (pkg as Record<string, unknown>)[key];
    if (d && typeof d === 'object' && !Array.isArray(d)) {
      deps.push(...Object.keys(d));
      const range = (d as Record<string, unknown>)['next-auth'];
      const major = typeof range === 'string' ? nextAuthMajor(range) : undefined;
      if (major !== undefined) facts.nextAuthMajor = major;
    }
  }
  const prefixes = inlinedPrefixesOf(deps);
  if (prefixes.length) facts.inlinedPrefixes = prefixes;
  const scripts = (pkg as Record<string, unknown>).scripts;
  if (scripts && typeof scripts === 'object' && !Array.isArray(scripts)) {
    for (const [name, line] of Object.entries(scripts)) {
      if (typeof line !== 'string') continue;
      // What the script starts is the last part of its chain; every part says which files only
      // tooling scripts run (model/tool-scripts.ts).
      const runs = chainRuns(line);
      const run = programOf(runs);
      if (run && !run.packageScript) (facts.scriptRuns ??= {})[name] = run;
      const chain = runs.filter((r) => r.script || r.packageScript);
      if (chain.length) (facts.scriptChains ??= {})[name] = chain.map((r) => (r.script ? { script: r.script } : { packageScript: r.packageScript! }));
    }
  }
  const name = (pkg as Record<string, unknown>).name;
  if (typeof name === 'string' && name) {
    const main = packageMain(pkg as Record<string, unknown>);
    facts.packageEntry = { name, ...(main ? { main } : {}) };
  }
}

/** The module a package's bare name loads: `exports["."]` (its `import`, `default`, `require` or
 * `node` condition), else `module`, else `main`. */
function packageMain(pkg: Record<string, unknown>): string | undefined {
  const pick = (v: unknown, depth = 0): string | undefined => {
    if (typeof v === 'string') return v;
    if (!v || typeof v !== 'object' || Array.isArray(v) || depth > 3) return undefined;
    const o = v as Record<string, unknown>;
    for (const k of ['.', 'import', 'node', 'default', 'require']) {
      const got = k in o ? pick(o[k], depth + 1) : undefined;
      if (got) return got;
    }
    return undefined;
  };
  const exp = pkg.exports;
  const fromExports = typeof exp === 'string' ? exp : exp && typeof exp === 'object' && !Array.isArray(exp) && '.' in (exp as object) ? pick((exp as Record<string, unknown>)['.']) : undefined;
  for (const v of [fromExports, pkg.module, pkg.main]) if (typeof v === 'string' && v) return v;
  return undefined;
}
