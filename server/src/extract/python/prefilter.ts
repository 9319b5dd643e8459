/**
 * The Python code prefilter: which files can hold a fact of the code reading
 * (extract/python/index.ts). Most Python files of a large repository hold none and are never
 * parsed; the words that were once enough to send a file to the parser (`.get(`, `connect(`,
 * `replace(`, any `env` inside a longer word) are in nearly every Python file.
 *
 * It looks for *triggers*, whole words that every fact needs:
 * - env reads: `environ`, `getenv`, a name shaped like an environment wrapper (`env`, `self._env`,
 *   `ENV`, `os_environ`), a call of one (`get_env()`, `IsolatedEnvironment()`), a configured
 *   accessor's last name, a settings library (`BaseSettings`, `decouple`);
 * - enums and state accessors: an enum base (`Enum`, `IntFlag`…), a method named like a state
 *   getter (`def get_state`), or like a state in a file with a property decorator (`def status`);
 * - state comparisons: a state-like attribute (`x.status`) beside a comparison operator, where an
 *   enum member can be compared with it (`Status.ACTIVE`, or a class of this file followed by
 *   `.`, when the file declares an enum);
 * - Postgres: the drivers' modules, SQLAlchemy's `create_engine` / `create_async_engine`, and
 *   `postgres` where a URL (`://`) or a scheme rewrite (`replace`) is;
 * - Secret Manager gates (`secret_manager`, `gcp_secret`);
 * - env loaders (`load_dotenv`, `read_env`, `dotenv_values`: env-loads.ts) and variables passed to
 *   Cloud Run containers (`EnvVar`, `container_overrides`: run-env.ts);
 * - a getter's result coped with (`settings.get_bucket() or DEFAULT`, `if not get_token():`): the
 *   getter may return another module's env read, which only its callers judge (getter-calls.ts).
 *   Only `get_`-named getters, tested or given a fallback: a caller the filter skips leaves the
 *   read required, as it was.
 *
 * A word on a line holding only a comment is no trigger (`#!/usr/bin/env python3`), but for
 * `postgres`. Inferred accessors (accessors.ts) need no word of their own: their definitions read
 * `environ`. scripts/prefilter-stats.ts shows what each trigger admits and yields on real trees.
 * `scripts/prefilter-check.ts` (every corpus tree) and test/extract/prefilter-equivalence.test.ts
 * compare the facts with and without this filter.
 */
import type { ExtractOptions } from '../options';
import { lastSegment, WRAP_CALL, WRAP_CLASS, WRAP_NAME } from './env-reads';
import { GETTER_NAME, STATE_NAME } from './enums';
import { LIBRARY_WORDS } from './libraries';
import { ENV_LOAD_WORDS } from './env-loads';
import { RUN_ENV_WORDS } from './run-env';

/** One scan for every trigger's start; each hit is then judged by the whole word around it. */
const CANDIDATES = /env|overrides|stat(?:e|us)|postgres|asyncpg|psycopg|pg8000|create_(?:async_)?engine|enum|flag|basesettings|decouple|secret|gcp_/gi;
const ENUM_BASE = /^(?:Int|Str)?Enum$|^(?:Int)?Flag$/;
const DRIVER_WORD = /^asyncpg$|^psycopg|^pg8000$|^create_(?:async_)?engine$/;
/** A Postgres URL literal or a scheme rewrite: what makes the word `postgres` a fact. */
const URL_OR_REWRITE = /:\/\/|\breplace\b/;
/** What a state comparison compares with, in the shape enumMember (enums.ts) accepts for an enum
 * of another file: `Status.ACTIVE`. */
const MEMBER_SHAPE = /\b[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*\s*\.\s*[A-Z][A-Z0-9_]*(?![A-Za-z0-9_])/;
const CLASS_NAME = /\bclass\s+([A-Za-z_][A-Za-z0-9_]*)/g;
/** Secret Manager code: gates are judged over the file's call graph (see gates.ts). */
const SECRET_MANAGER = /secret_?manager|gcp_secret|gcp_available/i;
/** A property decorator (`@property`, `@functools.cached_property`), loosely: the extractor strips
 * blanks before it matches. */
const PROPERTY_DECORATOR = /@[\w.\s]*property\b/;
/** What precedes a method's `def` on its line: indentation, perhaps `async`. */
const METHOD_INDENT = /^[ \t]+(?:async[ \t]+)?$/;
/** `from os import environ as E`: `E[...]` reads without naming the environment. */
const ALIAS = /^\s+as\s/;
/** A zero-argument `get_` call given a fallback, compared or tested (getter-calls.ts). */
const GETTER_COPED_WITH = /\bget_\w+\s*\(\s*\)\s*(?:or\b|is\b|==|!=)|\bif\s+(?:not\s+)?[\w.]*\bget_\w+\s*\(\s*\)\s*:/;

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

function nextNonBlank(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return text.charCodeAt(i);
}

/** What may follow a compared attribute (`x.status == …`, `x.state in (…)`, `is not`, `not in`),
 * over blanks, closing parentheses and line continuations. */
const COMPARISON_AFTER = /^[\s)\\]*(?:[=!]=|(?:is|in|not)(?![A-Za-z0-9_]))/;
/** What may precede one: `S.A == x.status` (only `==`, `!=`, `is` put the attribute on the right). */
const COMPARISON_BEFORE = /[=!]=|\bis\b/;

/**
 * Whether the attribute whose dot is at `dot` and whose name ends at `end` may be an operand of a
 * comparison: an operator follows it, or precedes it on its line or the line before (where a
 * comparison broken over two lines puts it).
 */
function nextToComparison(text: string, dot: number, end: number): boolean {
  if (COMPARISON_AFTER.test(text.slice(end, end + 40))) return true;
  const lineStart = text.lastIndexOf('\n', dot - 1);
  const from = lineStart <= 0 ? 0 : text.lastIndexOf('\n', lineStart - 1) + 1;
  return COMPARISON_BEFORE.test(text.slice(from, dot));
}

function isMethodDef(text: string, defAt: number): boolean {
  return METHOD_INDENT.test(text.slice(text.lastIndexOf('\n', defAt - 1) + 1, defAt));
}

function prevNonBlank(text: string, i: number): number {
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i;
}

/**
 * What a hit needs: `env` (an env read: a fact on its own, and one that looks at nothing outside
 * its own expression and the conditions around it), `word` (a fact on its own), `state` (a
 * state attribute: a fact only next to an enum member), `postgres` (a fact only next to a URL or
 * a scheme rewrite).
 */
type Kind = 'env' | 'word' | 'state' | 'postgres';

/** A function named for the environment with more after it (`env_str`, `get_env_var`, `_env_bool`). */
const ENV_ACCESSOR_CALL = /^_*(?:[A-Za-z0-9]+_)*env(?:_[A-Za-z0-9]+)+$/i;

/** Which trigger admitted a file, for scripts/prefilter-stats.ts (what each trigger costs and yields). */
export type Trigger =
  | 'accessor' | 'environ' | 'getenv' | 'environ-alias' | 'env-wrapper-name' | 'env-wrapper-call' | 'env-accessor-call' | 'enum-base'
  | 'postgres-driver' | 'settings-library' | 'env-load' | 'run-env' | 'secret-manager' | 'postgres+url' | 'def-state'
  | 'state-attribute' | 'state+member' | 'state+enum-owner' | 'getter-coped-with';

/** Whether the word at [start, end) is a trigger (see the module comment), and of which kind;
 * `whole` when it makes the file's definitions depend on each other, `enum` for an enum base. */
function judge(text: string, start: number, end: number, accessorWords: ReadonlySet<string>): [Kind | 'whole' | 'enum', Trigger] | undefined {
  const word = text.slice(start, end);
  if (word === 'environ' || word === 'getenv') return ALIAS.test(text.slice(end, end + 8)) ? ['whole', 'environ-alias'] : ['env', word];
  if (accessorWords.has(word)) return ['env', 'accessor'];
  if (WRAP_NAME.test(word)) return ['env', 'env-wrapper-name'];
  if ((WRAP_CALL.test(word) || WRAP_CLASS.test(word)) && nextNonBlank(text, end) === 40) return ['env', 'env-wrapper-call'];
  // `env_str("X")`, `get_env_var("X")`: an accessor another module may define (imported-accessors.ts).
  if (ENV_ACCESSOR_CALL.test(word) && nextNonBlank(text, end) === 40) return ['env', 'env-accessor-call'];
  if (ENUM_BASE.test(word)) return ['enum', 'enum-base'];
  if (DRIVER_WORD.test(word)) return ['word', 'postgres-driver'];
  if (LIBRARY_WORDS.includes(word)) return ['word', 'settings-library'];
  if (ENV_LOAD_WORDS.includes(word)) return ['word', 'env-load'];
  if (RUN_ENV_WORDS.includes(word)) return ['word', 'run-env'];
  if (SECRET_MANAGER.test(word)) return ['whole', 'secret-manager'];
  if (/postgres/i.test(word)) return ['postgres', 'postgres+url'];
  if (STATE_NAME.test(word)) {
    const p = prevNonBlank(text, start - 1);
    // A method's name (`def state`): an accessor, whatever it returns, when collectAccessors
    // (enums.ts) would take it: a method (indented: a class body's `def` never starts a line), a
    // getter's name or a property (`save_state`, `_initialize_state` are neither).
    if (p >= 2 && text.slice(p - 2, p + 1) === 'def' && (p < 3 || !isWordChar(text.charCodeAt(p - 3)))) {
      return isMethodDef(text, p - 2) && (GETTER_NAME.test(word) || PROPERTY_DECORATOR.test(text)) ? ['word', 'def-state'] : undefined;
    }
    // An attribute (`x.status`) next to a comparison's operator: compared, perhaps (collectComparisons
    // in enums.ts reads nothing else; `from app.state import`, `x.status = S.A` are no comparison).
    if (p >= 0 && text[p] === '.' && nextToComparison(text, p, end)) return ['state', 'state-attribute'];
  }
  return undefined;
}

interface Hit { at: number; kind: 'state' | 'postgres' }

/**
 * The position lies on a line that holds only a comment. Such a line may also be inside a
 * multi-line string, whose text is no code either, unless the string is an f-string whose
 * interpolation (`{...}`) is on that line: a line with a `{` does not count.
 */
function onCommentLine(text: string, at: number): boolean {
  let i = text.lastIndexOf('\n', at - 1) + 1;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  if (text.charCodeAt(i) !== 35) return false;
  const end = text.indexOf('\n', at);
  return text.slice(i, end < 0 ? text.length : end).indexOf('{') < 0;
}

/** What the file's enums make of a state attribute: the names `X` for which `X.` is a member. */
function enumOwners(text: string): RegExp | undefined {
  if (!/\b(?:(?:Int|Str)?Enum|(?:Int)?Flag)\b/.test(text)) return undefined;
  const names = new Set<string>();
  const re = new RegExp(CLASS_NAME.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) names.add(m[1]!);
  return names.size ? new RegExp(`\\b(?:${[...names].join('|')})\\s*\\.`) : undefined;
}

/** Cheap byte-level check: can this file hold anything `extractPythonCode` records? */
export function pythonCodeMayMatter(text: string, options: ExtractOptions): boolean {
  return scan(text, options) !== undefined;
}

/** Every trigger the file holds (not only the first), for scripts/prefilter-stats.ts. */
export function pythonCodeTriggers(text: string, options: ExtractOptions): Trigger[] {
  const all = new Set<Trigger>();
  scan(text, options, all);
  return [...all];
}

/** The first trigger found, or (with `all`) every trigger, collected into `all`. */
function scan(text: string, options: ExtractOptions, all?: Set<Trigger>): Trigger | undefined {
  const accessorWords = new Set(options.envAccessors.map(lastSegment).filter((s) => s.length > 0));
  // Accessors are configured names: any word, not only the candidates below.
  for (const w of accessorWords) {
    if (!hasWord(text, w)) continue;
    if (!all) return 'accessor';
    all.add('accessor');
  }
  const weak: Hit[] = [];
  const re = new RegExp(CANDIDATES.source, 'gi');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let s = m.index;
    while (s > 0 && isWordChar(text.charCodeAt(s - 1))) s--;
    let e = m.index + m[0].length;
    while (e < text.length && isWordChar(text.charCodeAt(e))) e++;
    re.lastIndex = e;
    const judged = judge(text, s, e, accessorWords);
    if (!judged) continue;
    const [kind, trigger] = judged;
    // A name in a comment is no code (`#!/usr/bin/env python3` opens most scripts); a URL may be
    // in a string whose line starts with `#`, so `postgres` counts anywhere.
    if (kind !== 'postgres' && onCommentLine(text, s)) continue;
    if (kind === 'state' || kind === 'postgres') weak.push({ at: s, kind });
    else if (!all) return trigger; // a fact on its own
    else all.add(trigger);
  }
  if (GETTER_COPED_WITH.test(text)) {
    if (!all) return 'getter-coped-with';
    all.add('getter-coped-with');
  }
  if (weak.length === 0) return first(all);
  // Only state attributes and `postgres` words: a fact only next to an enum member or a URL.
  if (weak.some((h) => h.kind === 'postgres') && URL_OR_REWRITE.test(text)) {
    if (!all) return 'postgres+url';
    all.add('postgres+url');
  }
  if (!weak.some((h) => h.kind === 'state')) return first(all);
  if (MEMBER_SHAPE.test(text)) {
    if (!all) return 'state+member';
    all.add('state+member');
  } else if (enumOwners(text)?.test(text)) {
    if (!all) return 'state+enum-owner';
    all.add('state+enum-owner');
  }
  return first(all);
}

function first(all: Set<Trigger> | undefined): Trigger | undefined {
  return all ? all.values().next().value : undefined;
}

function hasWord(text: string, w: string): boolean {
  for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) {
    if ((i > 0 && isWordChar(text.charCodeAt(i - 1))) || isWordChar(text.charCodeAt(i + w.length))) continue;
    return true;
  }
  return false;
}

/** An import through a script folder (`from scripts.db_common import dsn`, `from ..jobs import x`):
 * the file may load a module kept there, which decides whether that module is operator code
 * (model/operator-modules.ts). */
export function namesScriptFolderModule(text: string): boolean {
  return /\b(?:from|import)[ \t]+\.*(?:\w+\.)*(?:scripts|jobs)\b/.test(text);
}
