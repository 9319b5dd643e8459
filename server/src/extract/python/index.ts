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
import { type CallM, type Ctx, type N, escapeRe, locateCalls } from './walk';
import {
  READ_WORDS, type InTest, collectImports, collectReads, finishReads, lastSegment, locateEnvironSubscripts, locateInTests, readCallForms,
} from './env-reads';
import { ENUM_WORDS, STATE_NAME, collectAccessors, collectComparisons, collectEnums, locateClasses, locateStateComparisons } from './enums';
import { collectGates } from './gates';
import { collectAccessorReads } from './accessors';
import { LIBRARY_WORDS, collectLibraryReads } from './libraries';
import { DB_WORDS, DRIVER_CALLS, collectDbUrls, collectDrivers } from './db';

/** Cheap byte-level check: can this file hold anything `extractPythonCode` records? Most files of
 * a large repository cannot, and are then never parsed. */
export function pythonCodeMayMatter(text: string, options: ExtractOptions): boolean {
  if (MAY_MATTER_RE.test(text)) return true;
  for (const a of options.envAccessors) {
    const seg = lastSegment(a);
    if (seg && text.includes(seg)) return true;
  }
  if (!text.includes('.state') && !text.includes('.status')) return false;
  return stateMayMatter(text);
}

/** One pass over the text instead of one `includes` per word. */
const MAY_MATTER_RE = new RegExp([...READ_WORDS, ...LIBRARY_WORDS, ...ENUM_WORDS, ...DB_WORDS].map(escapeRe).join('|'));

/**
 * With no other trigger, `.state` / `.status` yield facts only through a state comparison
 * candidate (a state-like attribute: the search `locateStateComparisons` makes), a state-like
 * method, an enum-like class (`Flag`), or a driver / URL that needs no other trigger. Attributes
 * such as `response.status_code` are none of these: such files are not parsed.
 */
function stateMayMatter(text: string): boolean {
  if (text.includes('Flag') || /create_engine|postgres/i.test(text)) return true;
  const stRe = /\.\s*(\w*(?:state|status|State|Status))\b/g;
  for (let m = stRe.exec(text); m; m = stRe.exec(text)) if (STATE_NAME.test(m[1]!)) return true;
  const defRe = /\bdef\s+(\w+)/g;
  for (let m = defRe.exec(text); m; m = defRe.exec(text)) if (STATE_NAME.test(m[1]!)) return true;
  return false;
}

interface Candidates {
  calls: CallM[];
  subs: N[];
  ins: InTest[];
  cmps: N[];
  classes: N[];
}

export function extractPythonCode(file: string, root: N, text: string, facts: FileFacts, options: ExtractOptions): void {
  const isTest = isTestPath(file);
  if (isTest) facts.isTest = true;
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
  // Stays empty if locating fails, so the later steps run on nothing rather than on part of it.
  let m: Candidates = { calls: [], subs: [], ins: [], cmps: [], classes: [] };
  step('locate', () => {
    m = {
      calls: locateCalls(ctx, [readCallForms(ctx), DRIVER_CALLS]),
      subs: locateEnvironSubscripts(ctx),
      ins: locateInTests(ctx),
      cmps: locateStateComparisons(ctx),
      classes: locateClasses(ctx),
    };
  });
  step('reads', () => collectReads(ctx, m.calls, m.subs, m.ins));
  step('accessor reads', () => collectAccessorReads(ctx));
  step('library reads', () => collectLibraryReads(ctx));
  step('reads (finish)', () => finishReads(ctx));
  step('enums', () => collectEnums(ctx, m.classes));
  step('accessors', () => collectAccessors(ctx, m.classes));
  step('comparisons', () => collectComparisons(ctx, m.cmps));
  step('gates', () => collectGates(ctx));
  step('drivers', () => collectDrivers(ctx, m.calls));
  step('db urls', () => collectDbUrls(ctx));
}
