/**
 * `.env` files: one `KEY=value` per line (regular expressions are fine for .env lines).
 *
 * Covers the common dialects together (Node `dotenv`, python-dotenv, docker compose `env_file`):
 * `#` comments (whole line, or after whitespace following an unquoted value), `export KEY=...`,
 * `KEY: value`, single quotes (literal), double quotes (escapes, `${VAR}` / `$VAR` expansion),
 * backticks, quoted values spanning lines, bare `KEY` (inherited from the environment),
 * CRLF line endings and a BOM.
 *
 * Spans: `nameSpan` is the key; the entry span runs from `export`/the key to the end of the value
 * (closing quote included, trailing comment excluded); the value span covers the value as written,
 * quotes included (for a bare `KEY`, the entry has no value span).
 */
import type { EnvBlock, EnvWrite, FileFacts, Span, WriteValue } from '../core/facts';
import { findDbUrls } from './db-url';

const LINE_RE = /^([ \t]*)((?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.\-]*)(?:([ \t]*=[ \t]*)|([ \t]*:)(?=[ \t]|$)[ \t]*)?/;
/** `${VAR}`, `${VAR:-default}`, `$VAR`, not escaped with `\` and not `$$`. */
const INTERP_RE = /(?:^|[^\\$])\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+\-][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)/;

interface ParsedValue {
  /** Value as written, quotes included. */
  span: Span;
  /** Decoded value. */
  value: string;
  /** Source offset of each character of `value`, plus one for its end. */
  offsets: number[];
  /** Raw text between the quotes (or the unquoted text). */
  raw: string;
  rawStart: number;
  quote: '' | '"' | "'" | '`';
  /** Position just after the value (after the closing quote). */
  end: number;
}

const DQ_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$', '`': '`' };

/** Parses a quoted value starting at `vs` (the opening quote). Undefined when never closed. */
function parseQuoted(text: string, vs: number, noClose: Record<string, number>): ParsedValue | undefined {
  const q = text[vs] as '"' | "'" | '`';
  if (noClose[q] !== undefined && vs >= noClose[q]) return undefined;
  let value = '';
  const offsets: number[] = [];
  let i = vs + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === q) {
      offsets.push(i);
      return { span: { start: vs, end: i + 1 }, value, offsets, raw: text.slice(vs + 1, i), rawStart: vs + 1, quote: q, end: i + 1 };
    }
    if (c === '\\' && q !== '`' && i + 1 < text.length) {
      const n = text[i + 1];
      const decoded = q === '"' ? DQ_ESCAPES[n] : n === "'" || n === '\\' ? n : undefined;
      if (decoded !== undefined) {
        value += decoded;
        offsets.push(i);
        i += 2;
        continue;
      }
    }
    if (c === '\r' && text[i + 1] === '\n') {
      i++;
      continue;
    }
    value += c;
    offsets.push(i);
    i++;
  }
  noClose[q] = vs;
  return undefined;
}

function parseUnquoted(text: string, vs: number, contentEnd: number): ParsedValue {
  let raw = text.slice(vs, contentEnd);
  for (let k = 0; k < raw.length; k++) {
    if (raw[k] === '#' && (k > 0 ? /[ \t]/.test(raw[k - 1]) : /[ \t]/.test(text[vs - 1] ?? ''))) {
      raw = raw.slice(0, k);
      break;
    }
  }
  raw = raw.replace(/[ \t]+$/, '');
  const offsets: number[] = [];
  for (let k = 0; k <= raw.length; k++) offsets.push(vs + k);
  return { span: { start: vs, end: vs + raw.length }, value: raw, offsets, raw, rawStart: vs, quote: '', end: vs + raw.length };
}

export function extractDotenv(text: string, facts: FileFacts): void {
  const block: EnvBlock = { kind: 'env', mode: 'file', span: { start: 0, end: text.length }, entries: [] };
  facts.envFile = block;
  const sample = text.slice(0, 4096);
  // eslint-disable-next-line no-control-regex
  const controls = sample.match(/[\x00-\x08\x0e-\x1f]/g)?.length ?? 0;
  if (sample.includes('\0') || controls > 8) {
    facts.problems.push({ message: 'this file looks binary, not like a dotenv file' });
    return;
  }

  const firstNl = text.indexOf('\n');
  const newline = firstNl > 0 && text[firstNl - 1] === '\r' ? '\r\n' : '\n';
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const noClose: Record<string, number> = {};
  let bad = 0;
  /** Entries written `NAME: value` (YAML's way), beside dotenv's `NAME=value`. */
  let colons = 0;
  let pos = bom;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const contentEnd = lineEnd > pos && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    let next = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, contentEnd);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      pos = next;
      continue;
    }
    const m = LINE_RE.exec(line);
    if (!m) {
      bad++;
      pos = next;
      continue;
    }
    const entryStart = pos + m[1].length;
    const nameStart = entryStart + m[2].length;
    const name = m[3];
    const nameSpan = { start: nameStart, end: nameStart + name.length };
    if (m[4] === undefined && m[5] === undefined) {
      // Bare `KEY` (optionally `export KEY`), maybe followed by a comment.
      const rest = line.slice(m[0].length);
      if (/^[ \t]*(?:#.*)?$/.test(rest)) {
        block.entries.push({ name, nameSpan, span: { start: entryStart, end: nameSpan.end }, value: { kind: 'inherited' } });
      } else {
        bad++;
      }
      pos = next;
      continue;
    }
    if (m[4] === undefined) colons++;
    const vs = pos + m[0].length;
    const q = text[vs];
    let pv: ParsedValue | undefined;
    if ((q === '"' || q === "'" || q === '`') && vs < contentEnd) pv = parseQuoted(text, vs, noClose);
    if (!pv) pv = parseUnquoted(text, vs, contentEnd);
    if (pv.end > contentEnd) {
      // Multi-line value: continue after the line holding the closing quote.
      const nl2 = text.indexOf('\n', pv.end);
      next = nl2 < 0 ? text.length : nl2 + 1;
    }
    const dynamic = (pv.quote === '' || pv.quote === '"') && pv.raw.includes('$') && INTERP_RE.test(pv.raw);
    const value: WriteValue = dynamic
      ? { kind: 'dynamic', text: pv.raw, span: pv.span }
      : { kind: 'literal', value: pv.value, span: pv.span };
    const entry: EnvWrite = { name, nameSpan, span: { start: entryStart, end: pv.end }, value };
    block.entries.push(entry);
    if (/postgres/i.test(pv.raw)) {
      if (dynamic) {
        const offs: number[] = [];
        for (let k = 0; k <= pv.raw.length; k++) offs.push(pv.rawStart + k);
        facts.dbUrls.push(...findDbUrls(pv.raw, offs, pv.span, name));
      } else {
        facts.dbUrls.push(...findDbUrls(pv.value, pv.offsets, pv.span, name));
      }
    }
    pos = next;
  }

  if (bad >= 3 && bad > block.entries.length) {
    facts.problems.push({
      message: `this file does not look like a dotenv file: ${bad} lines are not KEY=value entries`,
    });
  }
  if (colons === 0 && block.entries.some((e) => e.value.kind !== 'inherited')) facts.dotenvSyntax = true;
  const endsClean = text.length === bom || text.endsWith('\n');
  block.insert = { offset: text.length, before: endsClean ? '' : newline, after: newline, format: 'dotenv' };
  block.keySpan = block.entries[0] ? { start: block.entries[0].span.start, end: block.entries[0].nameSpan.end } : { start: bom, end: bom };
}
