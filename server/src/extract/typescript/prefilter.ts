/**
 * The byte-level prefilter: most files are never parsed, so it must be cheap and never miss a fact.
 * It looks for words every fact needs (`scripts/prefilter-check.ts` and
 * test/extract/prefilter-equivalence.test.ts compare the facts with and without it):
 * - env reads: the word `env` (`process.env`, `import.meta.env`, `Deno.env`, `const { env } =
 *   process`, schemas given one of those) or a configured accessor's last name;
 * - enums: the word `enum`, `as const` / `Object.freeze` objects;
 * - Postgres: `postgres` in a literal, the `pg` module;
 * - state accessors and comparisons: a member named like a state (`status`, `circuitState`) in a
 *   file with a class, or read as a property (`x.status`, `x.getState()`) in a file that compares
 *   or switches.
 */
import type { ExtractOptions } from '../options';

const isIdentChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;

/** Whether `word` occurs in `text` as a whole identifier. */
function hasWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    if ((i === 0 || !isIdentChar(text.charCodeAt(i - 1))) && !isIdentChar(text.charCodeAt(i + word.length))) return true;
  }
  return false;
}

const ENUM_LIKE = /\bas\s+const\b|\bfreeze\b/;
const PG_MODULE = /['"`]pg['"`/]/;
/** Names enums.ts takes for a state member (its `STATE_NAME`), as whole identifiers. */
const STATE_WORD = /(?<![\w$])(?:state|status|[\w$]*[a-z0-9_](?:State|Status))(?![\w$])/g;
const COMPARES = /[=!]==?|\bswitch\b/;

/** Cheap byte-level test: can this file hold anything the extractor reports? */
export function mayHoldTypeScriptFacts(text: string, options: ExtractOptions): boolean {
  if (hasWord(text, 'env') || hasWord(text, 'enum') || text.includes('postgres') || ENUM_LIKE.test(text) || PG_MODULE.test(text)) return true;
  for (const accessor of options.envAccessors) {
    const last = accessor.replace(/\(\s*\)/g, '').trim();
    const word = last.slice(last.lastIndexOf('.') + 1);
    if (word && text.includes(word)) return true;
  }
  return stateMayMatter(text);
}

/**
 * A state-like name yields facts only as a class member (an accessor: any file with a class),
 * or read as a property and compared with an enum member (`x.status === E.M`, `x.state() === …`,
 * `switch (x.status)`). `res.status(404)` is a call with arguments, never a state member: such
 * files (most HTTP handlers) are not parsed.
 */
function stateMayMatter(text: string): boolean {
  const hasClass = hasWord(text, 'class');
  const compares = COMPARES.test(text);
  if (!hasClass && !compares) return false;
  STATE_WORD.lastIndex = 0;
  for (let m = STATE_WORD.exec(text); m; m = STATE_WORD.exec(text)) {
    if (hasClass) return true;
    let p = m.index - 1;
    while (p >= 0 && /\s/.test(text[p]!)) p--;
    if (text[p] !== '.') continue; // not a property access (`x.status`, `x?.status`)
    let j = m.index + m[0].length;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text[j] !== '(') return true; // a property read: may be compared
    j++;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text[j] === ')' || text[j] === '/') return true; // `x.state()`: may be compared
    // `x.status(404)`: a call with arguments is never a state member
  }
  return false;
}
