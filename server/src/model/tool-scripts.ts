/**
 * Code files only a package's tooling scripts run: `"db:migrate": "tsx ./src/db/migrate.ts"`,
 * `"build": "ts-node ./env-check.ts && nest build"`. A developer or CI runs them with their own
 * environment (a `.env`, the build's arguments); the image runs the server, so their reads are no
 * requirement of the deploy.
 *
 * A file is tooling-only when:
 * - a script of its package.json runs it (a part of the script's `&&` chain names it);
 * - no script that starts the service runs it: `start`, `serve`, `dev`, `prod`, `preview` and
 *   their variants (`start:prod`), any script a Dockerfile's command names (`CMD ["npm", "run",
 *   "migrate-and-serve"]`), and any script those run in turn (`"start": "npm run db:migrate &&
 *   next start"` runs the migration in the container);
 * - no Dockerfile or deploy runs it as a program, and no module imports it by a relative path.
 * The importers looked at are the files holding facts: one the prefilters skip reads no
 * environment, and loading a tooling script from the server is rare (as for
 * model/operator-modules.ts); an import of it there would not be seen.
 *
 * Pure: reads facts only.
 */
import * as path from 'node:path';
import type { FileFacts } from '../core/facts';
import { isCodeFile } from '../knowledge/code-roots';
import { resolveSpecifier } from './module-paths';
import type { RunsAsProgram } from './program-entries';

/** Scripts that start the service, by their name. */
const STARTS_SERVICE = /^(?:start|serve|server|dev|develop|prod|production|preview)(?:$|[:_-])/i;

export function toolOnlyFiles(files: ReadonlyMap<string, FileFacts>, runsAsProgram: RunsAsProgram): ReadonlySet<string> {
  // Scripts Dockerfiles start, by name (which package's is not told: any package's of that name).
  const started = new Set<string>();
  for (const facts of files.values()) {
    const df = facts.dockerfile;
    if (!df) continue;
    for (const r of [...df.runs, ...Object.values(df.stageRuns ?? {}).flat()]) if (r.packageScript) started.add(r.packageScript);
  }
  // What the code loads by relative path (`import '../db/migrate'`): worked out only once a
  // tooling script names a file, as the model is built again after every edit and most
  // workspaces have none.
  let imported: Set<string> | undefined;
  const isImported = (file: string): boolean => {
    if (!imported) {
      imported = new Set();
      for (const [from, facts] of files) {
        if (facts.kind !== 'typescript') continue;
        for (const spec of facts.moduleLinks?.specifiers ?? []) {
          const target = spec.startsWith('.') ? resolveSpecifier(from, spec, (f) => files.has(f)) : undefined;
          if (target) imported.add(target);
        }
      }
    }
    return imported.has(file);
  };

  const out = new Set<string>();
  for (const [pkgFile, facts] of files) {
    const chains = facts.scriptChains;
    if (!chains || path.posix.basename(pkgFile) !== 'package.json') continue;
    const dir = path.posix.dirname(pkgFile) === '.' ? '' : path.posix.dirname(pkgFile);
    // The scripts that start the service, and what they run in turn.
    const live = new Set(Object.keys(chains).filter((n) => STARTS_SERVICE.test(n) || started.has(n)));
    for (let grew = true; grew;) {
      grew = false;
      for (const n of [...live]) {
        for (const r of chains[n] ?? []) {
          if ('packageScript' in r && chains[r.packageScript] && !live.has(r.packageScript)) {
            live.add(r.packageScript);
            grew = true;
          }
        }
      }
    }
    const fileOf = (script: string): string => path.posix.normalize(path.posix.join(dir, script)).replace(/^\.\//, '');
    const liveFiles = new Set<string>();
    for (const n of live) for (const r of chains[n] ?? []) if ('script' in r) liveFiles.add(fileOf(r.script));
    for (const [n, chain] of Object.entries(chains)) {
      if (live.has(n)) continue;
      for (const r of chain) {
        if (!('script' in r)) continue;
        const file = fileOf(r.script);
        if (liveFiles.has(file) || !isCodeFile(file) || !files.has(file) || runsAsProgram(file) || isImported(file)) continue;
        out.add(file);
      }
    }
  }
  return out;
}
