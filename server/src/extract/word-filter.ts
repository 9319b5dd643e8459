/**
 * Which words a file holds, as the sorted 32-bit hashes of its words: the model asks whether any
 * file of the workspace names a function that holds a read (model/uncalled-functions.ts). A
 * function no file names is never called, and its reads are no deploy's requirements. A hash
 * answers "maybe" for a word the file holds and, very rarely, for one it does not (a file of 300
 * words: 1 in 14 million; asked of 7,000 files, 1 in 2,000): an answer that keeps a finding. It
 * never answers "no" for a word the file holds, which would drop one. A Bloom filter of the same
 * size errs far more often across thousands of files (measured: 14 of 501 files of one tree
 * "held" a word none has, at 10 bits a word).
 *
 * Words are runs of identifier characters, as a tokenizer of any of the languages sees them; a
 * name in a string (`getattr(obj, "handler")`, `uvicorn app:create_app`, `--entry-point handler`)
 * counts as much as one in code. Import statements are left out: importing a function calls
 * nothing (`from .notion_task import save_to_notion` in a package's `__init__.py`, `import {
 * f } from './billing'`). One that renames (`import f as g`) is kept: the new name is how it is
 * called. The statement is recognised by how its lines begin — a word index, not a parse: where
 * a line is not recognised, its words count, which only keeps a finding.
 */
import type { EnvRead, FileKind } from '../core/facts';

/** Shorter names are too common to say anything; the extractors record no function shorter. */
export const MIN_WORD = 4;

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;
}

/** FNV-1a of `text.slice(start, end)`, without making the slice. */
function hashWord(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The longest import statement continued over lines that is looked for (a few hundred names). */
const MAX_CONTINUED = 8_000;

/** The line starting at `at`: where its text begins after the indentation, and its end. */
function lineAt(text: string, at: number): { s: number; end: number } {
  let end = text.indexOf('\n', at);
  if (end < 0) end = text.length;
  let s = at;
  while (s < end && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
  return { s, end };
}

/** The lines of `text` that are import statements, by their start offsets and ends. */
function importRanges(text: string, kind: FileKind): [number, number][] {
  if (kind !== 'python' && kind !== 'typescript') return [];
  const out: [number, number][] = [];
  let at = 0;
  while (at < text.length) {
    const { s, end } = lineAt(text, at);
    // Only `import`, `from`, `export` and `__all__` start one: no other line is copied out.
    const c = text.charCodeAt(s);
    if (c !== 105 /* i */ && c !== 102 /* f */ && c !== 101 /* e */ && c !== 95 /* _ */) {
      at = end + 1;
      continue;
    }
    const line = text.slice(s, end);
    const closes = kind === 'python' ? pythonImportCloser(line) : tsImportCloser(line);
    if (closes !== undefined) {
      // A statement continued over lines runs to the line holding its closer.
      let stop = end;
      if (closes && !line.includes(closes)) {
        // Not found near (an unusual shape): the line alone, so no later line's words are lost.
        const found = text.indexOf(closes, end);
        if (found >= 0 && found - end <= MAX_CONTINUED) stop = Math.max(end, (text.indexOf('\n', found) + 1 || text.length + 1) - 1);
      }
      const stmt = text.slice(s, stop);
      if (!/\bas\b/.test(stmt)) out.push([s, stop]);
      at = stop + 1;
      continue;
    }
    at = end + 1;
  }
  return out;
}

/** For a line starting a Python import (or `__all__`): '' when it ends on the line, else the
 * text that closes it; undefined for any other line. */
function pythonImportCloser(line: string): string | undefined {
  if (line.startsWith('import ')) return '';
  if (line.startsWith('from ') && line.includes(' import')) return line.includes('(') ? ')' : line.trimEnd().endsWith('\\') ? '\n' : '';
  if (/^__all__\s*[+]?=/.test(line)) return line.includes('[') ? ']' : line.includes('(') ? ')' : '';
  return undefined;
}

/** The same for TypeScript / JavaScript: `import … from '…'`, `export { … } from '…'`. */
function tsImportCloser(line: string): string | undefined {
  if (/^import\s*[{*\w]/.test(line) && !line.startsWith('import(')) {
    // Continued only as a brace list (`import {` … `} from '…'`); `import x = require('…')` and
    // other one-line shapes end on their line.
    return /\bfrom\s*['"]|^import\s*['"]/.test(line) || !line.includes('{') || line.includes('}') ? '' : 'from';
  }
  if (/^export\s*(\{|\*)/.test(line)) return /\bfrom\s*['"]/.test(line) || line.includes('}') ? '' : '}';
  return undefined;
}

/**
 * The lines of `text` that are comments alone, by their start offsets and ends: Python's `#`
 * lines, TypeScript's `//` lines and the lines of a `/* … *\/` block that starts a line (up to a
 * line ending with its close). A name there calls nothing (`# setup_telemetry()` commented out, a
 * usage example in a doc comment). Recognised by how lines begin, as imports are; a comment after
 * code on a line keeps its words, which only keeps a finding.
 */
function commentRanges(text: string, kind: FileKind): [number, number][] {
  if (kind !== 'python' && kind !== 'typescript') return [];
  const out: [number, number][] = [];
  let inBlock = false;
  let at = 0;
  while (at < text.length) {
    const { s, end } = lineAt(text, at);
    const line = text.slice(s, end).trimEnd();
    if (inBlock) {
      const close = line.indexOf('*/');
      if (close < 0) out.push([s, end]);
      else {
        inBlock = false;
        // Code after the close keeps the line's words.
        if (close + 2 === line.length) out.push([s, end]);
      }
    } else if (kind === 'python' ? line.startsWith('#') : line.startsWith('//')) {
      out.push([s, end]);
    } else if (kind === 'typescript' && line.startsWith('/*')) {
      const close = line.indexOf('*/', 2);
      if (close < 0) {
        inBlock = true;
        out.push([s, end]);
      } else if (close + 2 === line.length) out.push([s, end]);
    }
    at = end + 1;
  }
  return out;
}

/** The hashes of the words `text` holds outside its import statements and comment lines, base64-encoded. */
export function wordFilterOf(text: string, kind: FileKind): string {
  const skip = [...importRanges(text, kind), ...commentRanges(text, kind)].sort((a, b) => a[0] - b[0]);
  const hashes = new Set<number>();
  let k = 0;
  let i = 0;
  while (i < text.length) {
    if (k < skip.length && i >= skip[k]![0]) {
      i = Math.max(i, skip[k]![1]);
      k++;
      continue;
    }
    if (!isIdentChar(text.charCodeAt(i))) { i++; continue; }
    const start = i;
    while (i < text.length && isIdentChar(text.charCodeAt(i))) i++;
    if (i - start >= MIN_WORD) hashes.add(hashWord(text, start, i));
  }
  const sorted = Uint32Array.from(hashes).sort();
  return Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength).toString('base64');
}

/** A filter as `wordFilterOf` wrote it, ready to ask. */
export function decodeWordFilter(filter: string): Uint32Array {
  const bytes = Buffer.from(filter, 'base64');
  const out = new Uint32Array(bytes.length >>> 2);
  for (let j = 0; j < out.length; j++) out[j] = bytes.readUInt32LE(j * 4);
  return out;
}

/** Whether the file whose (decoded) filter is `hashes` may hold `word`. */
export function filterMayHold(hashes: Uint32Array, word: string): boolean {
  const h = hashWord(word, 0, word.length);
  let lo = 0;
  let hi = hashes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = hashes[mid]!;
    if (v === h) return true;
    if (v < h) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** How many times `word` stands as a whole word in `text` (import statements included). */
export function countWord(text: string, word: string): number {
  let n = 0;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
    if ((at === 0 || !isIdentChar(text.charCodeAt(at - 1))) && (at + word.length >= text.length || !isIdentChar(text.charCodeAt(at + word.length)))) n++;
  }
  return n;
}

/** Where `word` stands as a whole word in `text` (import statements included). */
function wordPositions(text: string, word: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    if ((i === 0 || !isIdentChar(text.charCodeAt(i - 1))) && (i + word.length >= text.length || !isIdentChar(text.charCodeAt(i + word.length)))) at.push(i);
  }
  return at;
}

/**
 * Marks each read whose function (`enclosing` says which, by a language's own rules, or none)
 * nothing else in `text` names: its definition is the one mention (`EnvRead.inUnnamedFunction`).
 * A mention inside another such function counts only as far as that function is called: a helper
 * only a dispatcher nothing names calls (`notify_sms` → `send_sms_twilio`) is as unnamed, with the
 * dispatcher among its callers (`EnvRead.unnamedCallers`) for the workspace to ask about too.
 */
export function markReadsInUnnamedFunctions(
  text: string,
  reads: EnvRead[],
  enclosing: (at: number) => string | undefined,
  holder?: (read: EnvRead) => HeldIn | undefined,
): void {
  // By function: its mentions outside other functions (its definition is one, inside the function
  // or, for `const f = () => …`, beside it), and the functions the others sit in.
  const mentions = new Map<string, { outside: number; by: Set<string> }>();
  const mentionsOf = (fn: string): { outside: number; by: Set<string> } => {
    let m = mentions.get(fn);
    if (m) return m;
    m = countMentions(fn);
    mentions.set(fn, m);
    return m;
  };
  /** Where `word` is mentioned (those `keep` accepts): outside functions, and the functions. A
   * recursive call counts as outside: something may call it that the file cannot show. */
  const countMentions = (word: string, keep?: (at: number) => boolean): { outside: number; by: Set<string> } => {
    const m = { outside: 0, by: new Set<string>() };
    for (const at of wordPositions(text, word)) {
      if (keep && !keep(at)) continue;
      const by = enclosing(at);
      if (by === undefined || by === word) m.outside++;
      else m.by.add(by);
    }
    return m;
  };
  // By function: every function of the file whose calls alone (directly or through one another)
  // reach it, or null where something else names it or one of those.
  const unnamedBy = new Map<string, string[] | null>();
  const callersOf = (fn: string): string[] | null => {
    const known = unnamedBy.get(fn);
    if (known !== undefined) return known;
    const seen = new Set([fn]);
    const queue = [fn];
    let answer: string[] | null = [];
    while (queue.length && answer) {
      const m = mentionsOf(queue.pop()!);
      if (m.outside > 1) answer = null;
      else for (const c of m.by) if (!seen.has(c)) { seen.add(c); queue.push(c); answer.push(c); }
    }
    unnamedBy.set(fn, answer);
    return answer;
  };
  for (const read of reads) {
    if (read.inUnnamedFunction) continue;
    const fn = enclosing(read.span.start);
    if (!fn) {
      markHeldRead(read, holder?.(read));
      continue;
    }
    const by = callersOf(fn);
    if (by === null) continue;
    read.inUnnamedFunction = fn;
    if (by.length) read.unnamedCallers = by.sort();
  }

  /** A read that only stores its value in a module constant (`const PRICES = { plus:
   * process.env.PRICE_PLUS }`): its absence matters only where the constant is used. When every
   * use sits in functions nothing else in the file names, it matters only if one of them runs:
   * the first is `inUnnamedFunction`, the others, their callers and the constant itself (another
   * file may import it) are `unnamedCallers`. */
  function markHeldRead(read: EnvRead, held: HeldIn | undefined): void {
    if (!held) return;
    const constant = held.constant;
    const m = held.reaches ? countMentions(constant, held.reaches) : mentionsOf(constant);
    // Its declaration is the one mention outside functions; with none inside, nothing uses it here.
    if (m.outside > 1 || m.by.size === 0) return;
    const users = [...m.by].sort();
    const others = new Set<string>([constant, ...users.slice(1)]);
    for (const u of users) {
      const by = callersOf(u);
      if (by === null) return;
      for (const c of by) others.add(c);
    }
    others.delete(users[0]!);
    read.inUnnamedFunction = users[0];
    read.unnamedCallers = [...others].sort();
  }
}

/** The module constant a read's value waits in, for `markReadsInUnnamedFunctions`. */
export interface HeldIn {
  constant: string;
  /** Whether the mention of the constant at this offset may reach the read: `PRICES.pro.monthly`
   * does not reach `PRICES.plus.monthly`'s value (the declaration itself always counts). */
  reaches?: (at: number) => boolean;
}
