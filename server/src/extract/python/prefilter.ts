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
 *   (`def status`, `def get_state`);
 * - state comparisons: a state-like attribute (`x.status`) where an enum member can be compared
 *   with it (`Status.ACTIVE`, or a class of this file followed by `.`, when the file declares an
 *   enum);
 * - Postgres: the drivers' modules, SQLAlchemy's `create_engine` / `create_async_engine`, and
 *   `postgres` where a URL (`://`) or a scheme rewrite (`replace`) is;
 * - Secret Manager gates (`secret_manager`, `gcp_secret`);
 * - env loaders (`load_dotenv`, `read_env`, `dotenv_values`: env-loads.ts) and variables passed to
 *   Cloud Run containers (`EnvVar`, `container_overrides`: run-env.ts).
 *
 * Inferred accessors (accessors.ts) need no word of their own: their definitions read `environ`.
 * `scripts/prefilter-check.ts` (every corpus tree) and test/extract/prefilter-equivalence.test.ts
 * compare the facts with and without this filter.
 */
import type { ExtractOptions } from '../options';
import { lastSegment, WRAP_CALL, WRAP_CLASS, WRAP_NAME } from './env-reads';
import { STATE_NAME } from './enums';
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
/** `from os import environ as E`: `E[...]` reads without naming the environment. */
const ALIAS = /^\s+as\s/;

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

function nextNonBlank(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return text.charCodeAt(i);
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

/** Whether the word at [start, end) is a trigger (see the module comment), and of which kind;
 * `whole` when it makes the file's definitions depend on each other, `enum` for an enum base. */
function judge(text: string, start: number, end: number, accessorWords: ReadonlySet<string>): Kind | 'whole' | 'enum' | undefined {
  const word = text.slice(start, end);
  if (word === 'environ' || word === 'getenv') return ALIAS.test(text.slice(end, end + 8)) ? 'whole' : 'env';
  if (WRAP_NAME.test(word) || accessorWords.has(word)) return 'env';
  if ((WRAP_CALL.test(word) || WRAP_CLASS.test(word)) && nextNonBlank(text, end) === 40) return 'env';
  if (ENUM_BASE.test(word)) return 'enum';
  if (DRIVER_WORD.test(word) || LIBRARY_WORDS.includes(word) || ENV_LOAD_WORDS.includes(word) || RUN_ENV_WORDS.includes(word)) return 'word';
  if (SECRET_MANAGER.test(word)) return 'whole';
  if (/postgres/i.test(word)) return 'postgres';
  if (STATE_NAME.test(word)) {
    const p = prevNonBlank(text, start - 1);
    // A method's name (`def state`): an accessor, whatever it returns.
    if (p >= 2 && text.slice(p - 2, p + 1) === 'def' && (p < 3 || !isWordChar(text.charCodeAt(p - 3)))) return 'word';
    // An attribute (`x.status`): compared, perhaps.
    if (p >= 0 && text[p] === '.') return 'state';
  }
  return undefined;
}

interface Hit { at: number; kind: 'state' | 'postgres' }

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
  const accessorWords = new Set(options.envAccessors.map(lastSegment).filter((s) => s.length > 0));
  // Accessors are configured names: any word, not only the candidates below.
  for (const w of accessorWords) if (hasWord(text, w)) return true;
  const weak: Hit[] = [];
  const re = new RegExp(CANDIDATES.source, 'gi');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let s = m.index;
    while (s > 0 && isWordChar(text.charCodeAt(s - 1))) s--;
    let e = m.index + m[0].length;
    while (e < text.length && isWordChar(text.charCodeAt(e))) e++;
    re.lastIndex = e;
    const kind = judge(text, s, e, accessorWords);
    if (!kind) continue;
    if (kind === 'state' || kind === 'postgres') weak.push({ at: s, kind });
    else return true; // a fact on its own
  }
  if (weak.length === 0) return false;
  // Only state attributes and `postgres` words: a fact only next to an enum member or a URL.
  if (weak.some((h) => h.kind === 'postgres') && URL_OR_REWRITE.test(text)) return true;
  if (!weak.some((h) => h.kind === 'state')) return false;
  if (MEMBER_SHAPE.test(text)) return true;
  return enumOwners(text)?.test(text) ?? false;
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
