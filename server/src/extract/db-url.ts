/**
 * Postgres connection URLs inside string values (env values, dict values, YAML scalars).
 * Regular expressions and a small scanner are enough here: this is URL text, not code.
 *
 * Every span maps back to the source through `offsets` (one source offset per character of the
 * value, plus one for its end). `${VAR}` / `$VAR` expansions inside a URL are kept as written and
 * skipped over as opaque text, so a URL built from variables is still analysed.
 */
import type { DbUrlFact, DbUrlParam, Span } from '../core/facts';

/** `postgres://`, `postgresql://`, `postgresql+asyncpg://`, `postgresql+psycopg2://`, ... */
const SCHEME_RE = /postgres(?:ql)?(?:\+[a-z0-9_]+)?:\/\//gi;

/** Characters that end a URL found inside a larger string. */
const URL_END = new Set([' ', '\t', '\n', '\r', '\f', '\v', '"', "'", '`', '<', '>', '\\']);

/** Source edit: replace `span` with `newText`. */
export interface TextEdit {
  span: Span;
  newText: string;
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed escapes: keep the text as written
  }
}

/** Index of the first of `chars` in `s` from `from` to `to`, outside `${...}`; -1 if none. */
function findTop(s: string, chars: string, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = s[i];
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (depth > 0) {
      if (c === '}') depth--;
      continue;
    }
    if (chars.includes(c)) return i;
  }
  return -1;
}

/** End (exclusive) of the URL starting at `start` whose authority begins at `from`. */
function urlEnd(value: string, from: number): number {
  let depth = 0;
  let i = from;
  for (; i < value.length; i++) {
    const c = value[i];
    if (URL_END.has(c)) break;
    if (c === '$' && value[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (c === '}') {
      if (depth === 0) break; // closes an enclosing `${X:-postgres://...}`
      depth--;
    }
  }
  return i;
}

/** `/cloudsql/p:r:i/.s.PGSQL.5432` -> `/cloudsql/p:r:i`. */
function socketDirOf(path: string): string {
  return path.replace(/\/\.s\.PGSQL\.\d+$/, '');
}

/**
 * Finds Postgres URLs inside `value`. `offsets` maps each character of `value` to its source
 * offset (length value.length + 1); when null, every span is `span`. Never throws.
 */
export function findDbUrls(value: string, offsets: number[] | null, span: Span, envName?: string): DbUrlFact[] {
  const out: (DbUrlFact & { end: number })[] = [];
  try {
    if (!/postgres/i.test(value)) return [];
    const usable = offsets !== null && offsets.length === value.length + 1;
    const map = (a: number, b: number): Span =>
      usable ? { start: offsets[a], end: offsets[b] } : { start: span.start, end: span.end };
    SCHEME_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = SCHEME_RE.exec(value)) !== null) {
      const start = m.index;
      // Part of a longer scheme or word (`mypostgres://`): not ours.
      if (start > 0 && /[A-Za-z0-9+.]/.test(value[start - 1])) continue;
      const fact = parseUrl(value, start, m[0].length, map);
      if (envName !== undefined) fact.envName = envName;
      out.push(fact);
      SCHEME_RE.lastIndex = Math.max(SCHEME_RE.lastIndex, fact.end);
    }
  } catch {
    // Garbage in, nothing out.
  }
  return out.map(({ end: _end, ...f }) => f);
}

function parseUrl(
  value: string,
  start: number,
  prefixLen: number,
  map: (a: number, b: number) => Span,
): DbUrlFact & { end: number } {
  const restStart = start + prefixLen;
  const end = urlEnd(value, restStart);
  const scheme = value.slice(start, restStart - 3).toLowerCase();
  const fact: DbUrlFact & { end: number } = { span: map(start, end), scheme, params: [], end };

  const q = findTop(value, '?', restStart, end);
  const preQEnd = q < 0 ? end : q;
  const at = value.slice(restStart, preQEnd).lastIndexOf('@');
  const hostStart = at >= 0 ? restStart + at + 1 : restStart;
  let hostEnd = findTop(value, '/', hostStart, preQEnd);
  if (hostEnd < 0) hostEnd = preQEnd;
  const host = safeDecode(value.slice(hostStart, hostEnd));
  const path = value.slice(hostEnd, preQEnd);

  let socket: string | undefined;
  if (host.startsWith('/')) {
    socket = host;
  } else if (host === '' && path.startsWith('/cloudsql/')) {
    // `user:pass@/cloudsql/project:region:instance/dbname`
    const segs = path.split('/');
    socket = segs.length > 3 ? `/cloudsql/${segs[2]}` : path;
  }

  if (q >= 0) {
    let queryEnd = findTop(value, '#', q + 1, end);
    if (queryEnd < 0) queryEnd = end;
    const segs: { s: number; e: number }[] = [];
    let i = q + 1;
    while (i <= queryEnd) {
      let j = findTop(value, '&', i, queryEnd);
      if (j < 0) j = queryEnd;
      if (j > i) segs.push({ s: i, e: j });
      i = j + 1;
    }
    segs.forEach((seg, k) => {
      const text = value.slice(seg.s, seg.e);
      const eq = text.indexOf('=');
      const key = safeDecode(eq < 0 ? text : text.slice(0, eq));
      const val = eq < 0 ? '' : safeDecode(text.slice(eq + 1));
      let remove: Span;
      if (segs.length === 1) remove = map(q, queryEnd);
      else if (k === 0) remove = map(seg.s, segs[1].s);
      else remove = map(segs[k - 1].e, seg.e);
      const param: DbUrlParam = { key, value: val, raw: text, span: map(seg.s, seg.e), removeSpan: remove };
      fact.params.push(param);
      if (key === 'host' && val.startsWith('/')) socket = val;
      else if (key === 'unix_sock' && val.startsWith('/')) socket = socketDirOf(val);
    });
  }
  if (socket !== undefined) fact.socket = socket;
  if (q >= 0) fact.querySpan = map(q, findTop(value, '#', q + 1, end) < 0 ? end : findTop(value, '#', q + 1, end));
  return fact;
}

function spansUsable(url: DbUrlFact): boolean {
  return url.params.every(
    (p) => p.span.end > p.span.start && !(p.span.start === url.span.start && p.span.end === url.span.end),
  );
}

/**
 * Replaces the first param named `key` by `newKey=newValue` (e.g. `sslmode=require` ->
 * `ssl=require`). Characters that would break the query (`&`, `#`, whitespace) are
 * percent-encoded; `${VAR}` is kept. Undefined when there is no such param.
 */
export function rewriteParamEdit(url: DbUrlFact, key: string, newKey: string, newValue: string): TextEdit | undefined {
  if (!spansUsable(url)) return undefined;
  const p = url.params.find((x) => x.key === key);
  if (!p) return undefined;
  const enc = (s: string) => s.replace(/[&#?=\s]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  const encValue = newValue.replace(/[&#\s]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  return { span: { start: p.span.start, end: p.span.end }, newText: `${enc(newKey)}=${encValue}` };
}

/** Rebuilds a URL's query without the params in `drop`, from facts alone (no source text):
 * one edit over the `?…` part, every kept param byte for byte and in order. */
export function dropParamsEdit(url: DbUrlFact, drop: (key: string) => boolean): TextEdit | undefined {
  if (!url.querySpan || !spansUsable(url)) return undefined;
  const kept = url.params.filter((p) => !drop(p.key.toLowerCase()));
  if (kept.length === url.params.length) return undefined;
  const queryLen = url.querySpan.end - url.querySpan.start;
  const original = 1 + url.params.map((p) => p.raw).join('&').length;
  if (original !== queryLen) return undefined; // empty segments or `&&`: don't guess
  return { span: url.querySpan, newText: kept.length ? '?' + kept.map((p) => p.raw).join('&') : '' };
}
