/**
 * Python service code: env reads (os.environ / os.getenv / env wrapper objects / configured
 * accessors), Secret Manager gates, enums, state accessors and comparisons, Postgres driver uses
 * and URL literals. python.ts parses the file once; each concern, in its own module here, locates
 * its candidates from the text (walk.ts says why) and judges them with small local logic. Never
 * throws: a failing step becomes a `problem` and the other steps still run, so one unexpected
 * shape costs one kind of fact, not the file's.
 */
import type { FileFacts } from '../../core/facts';
import type { ExtractOptions } from '../options';
import { environmentNames } from '../../knowledge/environments';
import { isTestPath } from '../../knowledge/test-paths';
import { mayBeOperatorScript } from '../../knowledge/script-paths';
import { type CallM, type Ctx, type N, locateCalls, mainGuardOperator } from './walk';
import { markUnnamedFunctions } from './unnamed-functions';
import {
  type InTest, collectImports, collectReads, finishReads, locateEnvironSubscripts, locateInTests, readCallForms,
} from './env-reads';
import { collectAccessors, collectComparisons, collectEnums, locateClasses, locateStateComparisons } from './enums';
import { collectGates } from './gates';
import { collectAccessorReads } from './accessors';
import { collectLibraryReads } from './libraries';
import { DRIVER_CALLS, collectDbUrls, collectDrivers } from './db';
import { ENV_LOAD_CALLS, collectEnvLoads } from './env-loads';
import { RUN_ENV_CALLS, collectRunEnv } from './run-env';
import { pythonCodeMayMatter } from './prefilter';
import { collectSwitches } from './switches';
import { collectFeatureGates } from './feature-gates';
import { collectModuleImports } from './module-imports';
import { collectImportedAccessorCalls } from './imported-accessors';
import { collectGetterCalls } from './getter-calls';
import { collectSwitchedCalls, markCalledAs } from './switched-calls';

export { pythonCodeMayMatter };

interface Candidates {
  calls: CallM[];
  subs: N[];
  ins: InTest[];
  cmps: N[];
  classes: N[];
}

/** `passesPrefilter`: the file would be parsed with the prefilters on. Facts that only describe the
 * file (an operator script, its imports) are recorded only then, so they are the same with the
 * prefilters off (a file without other facts needs neither). */
export function extractPythonCode(file: string, root: N, text: string, facts: FileFacts, options: ExtractOptions, passesPrefilter = true): void {
  const isTest = isTestPath(file);
  if (isTest) facts.isTest = true;
  else if (passesPrefilter && isStandaloneProgram(root, text)) {
    if (mayBeOperatorScript(file)) facts.isScript = true;
    else facts.isProgram = true;
  }
  const ctx: Ctx = {
    text,
    root,
    facts,
    osNames: new Set(['os']),
    environNames: new Set(),
    getenvNames: new Set(),
    accessors: new Set(options.envAccessors.map((a) => a.replace(/\s+/g, '')).filter((a) => a.length > 0)),
    isTest,
    envNames: environmentNames(options.environments),
    hits: [],
    enumNames: new Set(),
    selfAttrs: new Map(),
    asgs: new Map(),
    paramReads: [],
  };
  const step = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      facts.problems.push({ message: `Python code analysis (${what}) failed: ${(err as Error).message}` });
    }
  };
  // Order matters: reads need the imports; enums fill `ctx.enumNames` for accessors and
  // comparisons; gates and database steps judge reads by `ctx.hits`.
  step('imports', () => collectImports(ctx));
  if (passesPrefilter) step('module imports', () => collectModuleImports(ctx, file));
  // Stays empty if locating fails, so the later steps run on nothing rather than on part of it.
  let m: Candidates = { calls: [], subs: [], ins: [], cmps: [], classes: [] };
  step('locate', () => {
    m = {
      calls: locateCalls(ctx, [readCallForms(ctx), DRIVER_CALLS, ENV_LOAD_CALLS, RUN_ENV_CALLS]),
      subs: locateEnvironSubscripts(ctx),
      ins: locateInTests(ctx),
      cmps: locateStateComparisons(ctx),
      classes: locateClasses(ctx),
    };
  });
  step('reads', () => collectReads(ctx, m.calls, m.subs, m.ins));
  step('accessor reads', () => collectAccessorReads(ctx));
  // Recorded only where the prefilter would parse the file, so that the facts are the same with
  // the prefilters off (a call alone in a file is admitted by its name: `env-accessor-call`).
  if (passesPrefilter) step('imported accessor calls', () => collectImportedAccessorCalls(ctx));
  // Also only where the prefilter would parse: a getter's callers the filter skips keep its read.
  if (passesPrefilter && !isTest) step('getter calls', () => collectGetterCalls(ctx));
  step('library reads', () => collectLibraryReads(ctx));
  step('reads (finish)', () => finishReads(ctx));
  step('unnamed functions', () => markUnnamedFunctions(root, text, facts));
  // After every read is known (a presence test is recognised by the read it is); it only adds to
  // reads already recorded, so a failure here loses none of them.
  step('switches', () => collectSwitches(ctx));
  if (!isTest) {
    step('called functions', () => markCalledAs(ctx));
    step('switched calls', () => collectSwitchedCalls(ctx));
  }
  step('feature gates', () => collectFeatureGates(ctx));
  step('enums', () => collectEnums(ctx, m.classes));
  step('accessors', () => collectAccessors(ctx, m.classes));
  step('comparisons', () => collectComparisons(ctx, m.cmps));
  step('gates', () => collectGates(ctx));
  step('drivers', () => collectDrivers(ctx, m.calls));
  step('db urls', () => collectDbUrls(ctx));
  step('env loads', () => collectEnvLoads(ctx, m.calls, m.subs));
  step('run env', () => collectRunEnv(ctx, m.calls));
}

/**
 * A program run on its own, not a module the service imports: a shebang, a top-level `if
 * __name__ == "__main__":`, or module-level code that ends the process or sets Django up for
 * itself (`sys.exit(1)`, `django.setup()`: no module a service imports does either when
 * imported). In a scripts/ or jobs/ folder, or named for a one-off data operation
 * (knowledge/script-paths.ts), that makes an operator script, as program.ts decides for TypeScript.
 */
function isStandaloneProgram(root: N, text: string): boolean {
  if (text.startsWith('#!')) return true;
  if (root.namedChildren.some((st) => {
    const cond = st?.type === 'if_statement' ? st.childForFieldName('condition') : null;
    return !!cond && cond.type === 'comparison_operator' && mainGuardOperator(text, cond) !== undefined;
  })) return true;
  return runsAtModuleLevel(root, text);
}

const PROGRAM_CALLS = new Set(['sys.exit', 'exit', 'quit', 'django.setup']);

/** A call in `PROGRAM_CALLS` in module-level code (inside top-level `if` / `try` / `for` / `with`
 * blocks too, never in a function or class body). */
function runsAtModuleLevel(root: N, text: string): boolean {
  const stack: N[] = [...root.namedChildren.filter((c): c is N => !!c)];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'decorated_definition' || n.type === 'lambda') continue;
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      if (fn && PROGRAM_CALLS.has(text.slice(fn.startIndex, fn.endIndex))) return true;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}
