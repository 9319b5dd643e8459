/**
 * TypeScript / JavaScript service code: env reads, Secret Manager gates, enums, state accessors,
 * enum comparisons, node-postgres drivers and Postgres URL literals.
 *
 * Parsing uses the compiler API bundled with ts-morph (`ts.createSourceFile`) and one walk over
 * the raw compiler nodes (walk.ts); no ts-morph wrappers and no type checker (the checker is asked
 * later, lazily, about candidates only: model/ts-enum-types.ts). Each concern of the walk keeps
 * its own state and documents the span conventions of its facts: env-reads.ts (with schemas.ts
 * for zod / envalid / t3-env, nest-config.ts for NestJS's ConfigService), branches.ts, switches.ts
 * (with field-flags.ts), gates.ts, enums.ts, db.ts; where a read's value is
 * passed to another file's function (passed-on.ts) and which parameters of this file's exported
 * functions cope with an undefined value (optional-params.ts). Most files are never
 * parsed: prefilter.ts decides from the bytes. A standalone program under `scripts/` or `jobs/`
 * is marked `isScript` (program.ts).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { FileFacts } from '../../core/facts';
import type { ExtractOptions } from '../options';
import { isTestPath } from '../../knowledge/test-paths';
import { mayBeOperatorScript } from '../../knowledge/script-paths';
import { isToolConfigPath } from '../../knowledge/tool-configs';
import { isDeployedElsewhere } from '../../knowledge/other-platforms';
import { mayHoldTypeScriptFacts, namesScriptFolderModule } from './prefilter';
import { prefilters } from '../prefilters';
import { Walker } from './walk';
import { isStandaloneProgram } from './program';
import { directiveOf, moduleLinksOf } from './module-links';
import { TopLevelUses } from './top-level-uses';
import { isRouteFile } from '../../knowledge/called-by-convention';
import { markUnnamedFunctions } from './unnamed-functions';
import { mayCallNextAuth, readAuthJsCalls } from './auth-js';
import { TRUST_HOST_KEY } from '../../knowledge/auth-js';

export { mayHoldTypeScriptFacts };

export function scriptKindFor(file: string): ts.ScriptKind {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (lower.endsWith('.js') || lower.endsWith('.mjs') || lower.endsWith('.cjs')) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function extractTypeScript(file: string, text: string, facts: FileFacts, options: ExtractOptions): void {
  if (isTestPath(file)) facts.isTest = true;
  else if (isToolConfigPath(file)) facts.isToolConfig = true;
  else if (isDeployedElsewhere(file)) facts.runsElsewhere = true;
  // What it imports, for every module but tests (which the service never loads): the lexer's
  // pass is cheap beside a parse, and most files are never parsed.
  if (!facts.isTest && !facts.isToolConfig && !/\.d\.[cm]?ts$/i.test(file)) {
    // Route files' functions are called by their place, whoever names them.
    const uses = isRouteFile(file) ? undefined : new TopLevelUses();
    facts.moduleLinks = moduleLinksOf(text, scriptKindFor(file), uses);
    const usedOnlyIn = uses?.result();
    if (usedOnlyIn) facts.usedOnlyIn = usedOnlyIn;
    const directive = directiveOf(text);
    if (directive) facts.directive = directive;
  }
  // Auth.js's `trustHost` may be settled in any module of the service, parsed or not.
  if (text.includes(TRUST_HOST_KEY)) facts.mentionsTrustHost = true;
  const mayHold = mayHoldTypeScriptFacts(text, options);
  // Imports are recorded where the file may hold facts or names a script folder's module, with
  // or without the prefilters, so the two agree (model/operator-modules.ts says what misses).
  const loadsScriptModule = namesScriptFolderModule(text);
  if (prefilters.enabled && !mayHold && !loadsScriptModule) return;
  try {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindFor(file));
    const walker = new Walker(sf, text, facts, options);
    walker.run();
    if (mayCallNextAuth(text)) readAuthJsCalls(sf, facts);
    markUnnamedFunctions(file, sf, text, facts);
    if (!mayHold && !loadsScriptModule) delete facts.imports;
    // Calls of imported accessors are recorded where the prefilter parses the file, so the facts
    // are the same with the prefilter off (a call alone is admitted by its name: `Env(`).
    if (!mayHold) delete facts.accessorCalls;
    // So are the verdicts on calls of imported getters (a caller of `@/server/env`'s getters holds
    // `env` in its import): no record keeps the getter's read required.
    if (!mayHold) delete facts.getterCalls;
    // Only in files parsed for their other facts (parsing every file that exports a function costs
    // a quarter more parses), and so the same with the prefilter off.
    if (mayHold) {
      const params = walker.optionalParams();
      if (params) facts.optionalParams = params;
      const checks = walker.presenceChecks();
      if (checks) facts.presenceChecks = checks;
    }
    // An operator script or manual job: its reads are not the service's requirements. Recorded
    // where the prefilters would parse the file, so the same with them off.
    if ((mayHold || loadsScriptModule) && mayBeOperatorScript(file) && isStandaloneProgram(sf)) facts.isScript = true;
  } catch (err) {
    const message = err instanceof RangeError ? 'file is nested too deeply to analyse' : `could not analyse this file: ${(err as Error).message}`;
    facts.problems.push({ message });
  }
}
