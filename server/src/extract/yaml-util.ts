/**
 * Shared helpers for the YAML extractors: parsing with problems instead of exceptions, node
 * lookup without resolving aliases (alias bombs stay cheap), the exact source text of a scalar's
 * content with a per-character offset map, insertion anchors, and the "shadow text" trick that
 * lets the shell extractor read a script embedded in a YAML scalar with the file's own offsets.
 */
import {
  parseAllDocuments,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { DeployFact, FileFacts, Span } from '../core/facts';
import { findDbUrls } from './db-url';
import { extractShell, type ShellOptions } from './shell';
import { ParsersNotReady } from '../parsers/tree-sitter';
import { shadowText } from './shadow-text';
import { namesEnvironment } from '../knowledge/environments';

export type YamlDoc = Document.Parsed;

/** Everything an extractor for one YAML file needs. */
export interface YamlCtx {
  file: string;
  text: string;
  facts: FileFacts;
  docs: YamlDoc[];
  /** Scalars (by start offset) whose database URLs were already looked at with their env name. */
  dbDone: Set<number>;
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** A Go template action (`{{ .Values.image }}`, `{{- if … }}`), not GitHub's `${{ … }}`: a Helm
 * chart's or OpenShift template's file is YAML only once rendered. */
const GO_TEMPLATE_ACTION = /(^|[^$]){{/m;

/** Parses every document; a syntax error becomes one problem (code and position only: the
 * library's message can quote source text, which may hold a secret), except in a template whose
 * actions make it YAML only once rendered: what parses is read, and nothing is said. Never throws. */
export function parseDocs(text: string, facts: FileFacts): YamlDoc[] {
  let docs: YamlDoc[];
  try {
    const parsed = parseAllDocuments(text, { keepSourceTokens: true, prettyErrors: false });
    docs = Array.isArray(parsed) ? (parsed as YamlDoc[]) : [];
  } catch (err) {
    facts.problems.push({ message: `could not parse YAML: ${(err as Error).name}` });
    return [];
  }
  for (const doc of docs) {
    const e = doc.errors[0];
    if (!e) continue;
    if (GO_TEMPLATE_ACTION.test(text)) break;
    const pos = Math.max(0, Math.min(e.pos[0], text.length));
    const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    facts.problems.push({
      message: `YAML syntax error (${e.code}) at line ${lineOf(text, pos)}, column ${pos - lineStart + 1}`,
      span: { start: pos, end: Math.min(text.length, Math.max(pos, e.pos[1])) },
    });
    break;
  }
  return docs;
}

export type Found = { pair: Pair; key: Scalar; value: Node | null };

/** The pair of a block or flow map with a plain-text key, without resolving aliases. */
export function mapGet(node: unknown, key: string): Found | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of (node as YAMLMap).items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) {
      const value = pair.value;
      return { pair, key: pair.key, value: isAlias(value) ? null : ((value as Node | null) ?? null) };
    }
  }
  return undefined;
}

export function getNode(node: unknown, ...path: string[]): Node | null | undefined {
  let cur: unknown = node;
  for (const k of path) {
    const f = mapGet(cur, k);
    if (!f) return undefined;
    cur = f.value;
  }
  return cur as Node | null;
}

export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? (node as YAMLMap) : undefined;
}

export function asSeq(node: unknown): YAMLSeq | undefined {
  return isSeq(node) ? (node as YAMLSeq) : undefined;
}

/** Scalar's value as a string (numbers and booleans as written); undefined for non-scalars and null. */
export function str(text: string, node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  const r = node.range;
  return r ? text.slice(r[0], r[1]) : String(node.value);
}

export function mapPairs(node: unknown): { key: Scalar; keyText: string; value: Node | null; pair: Pair }[] {
  const out: { key: Scalar; keyText: string; value: Node | null; pair: Pair }[] = [];
  if (!isMap(node)) return out;
  for (const pair of (node as YAMLMap).items) {
    if (!isScalar(pair.key) || pair.key.value === null) continue;
    const value = isAlias(pair.value) ? null : ((pair.value as Node | null) ?? null);
    out.push({ key: pair.key, keyText: String(pair.key.value), value, pair });
  }
  return out;
}

/** The text of a scalar's content with a map of each character back to the source. */
export interface ScalarText {
  value: string;
  /** value.length + 1 source offsets, or null when characters don't map one to one. */
  offsets: number[] | null;
  /** The content (inside quotes; block scalars: first content char to end of content). */
  span: Span;
  /** The whole scalar as written, quotes and block header included. */
  raw: Span;
  quote?: '"' | "'";
  type: Scalar['type'];
  /** Content region to keep in a shadow text (block scalars: from the first content line). */
  region?: Span;
  isNull: boolean;
}

function linear(start: number, length: number): number[] {
  const a = new Array<number>(length + 1);
  for (let i = 0; i <= length; i++) a[i] = start + i;
  return a;
}

function blockLiteral(text: string, node: Scalar, value: string): { offsets: number[] | null; region: Span } | undefined {
  const r = node.range;
  if (!r) return undefined;
  const nl = text.indexOf('\n', r[0]);
  if (nl < 0 || nl >= r[1]) return { offsets: value === '' ? [r[1]] : null, region: { start: r[1], end: r[1] } };
  const contentStart = nl + 1;
  const region = { start: contentStart, end: r[1] };
  const raw = text.slice(contentStart, r[1]);
  const lines: { start: number; text: string; br: number }[] = [];
  let pos = 0;
  while (pos < raw.length) {
    let e = raw.indexOf('\n', pos);
    if (e < 0) e = raw.length;
    let t = raw.slice(pos, e);
    let br = contentStart + e;
    if (t.endsWith('\r')) {
      t = t.slice(0, -1);
      br -= 1;
    }
    lines.push({ start: contentStart + pos, text: t, br });
    pos = e + 1;
  }
  const first = lines.find((l) => l.text.trim() !== '');
  const detected = first ? first.text.length - first.text.trimStart().length : 0;
  const tryIndent = (k: number): number[] | null => {
    let built = '';
    const offs: number[] = [];
    for (const l of lines) {
      const body = l.text.length > k ? l.text.slice(k) : '';
      if (l.text.length > k && l.text.slice(0, k).trim() !== '') return null;
      for (let i = 0; i < body.length; i++) offs.push(l.start + k + i);
      built += body + '\n';
      offs.push(l.br);
    }
    offs.push(r[1]);
    if (!built.startsWith(value) || !/^\n*$/.test(built.slice(value.length))) return null;
    return offs.slice(0, value.length + 1);
  };
  const got = tryIndent(detected);
  if (got) return { offsets: got, region };
  for (let k = 0; k < 40; k++) {
    if (k === detected) continue;
    const o = tryIndent(k);
    if (o) return { offsets: o, region };
  }
  return { offsets: null, region };
}

export function scalarText(text: string, node: unknown): ScalarText | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const r = node.range;
  const raw = { start: r[0], end: r[1] };
  const isNull = node.value === null || node.value === undefined;
  const type = node.type;
  if (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE') {
    const value = String(node.value ?? '');
    const inner = { start: r[0] + 1, end: Math.max(r[0] + 1, r[1] - 1) };
    const src = text.slice(inner.start, inner.end);
    const quote = type === 'QUOTE_SINGLE' ? "'" : '"';
    if (src === value) return { value, offsets: linear(inner.start, value.length), span: inner, raw, quote, type, region: inner, isNull: false };
    return { value, offsets: null, span: inner, raw, quote, type, isNull: false };
  }
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const value = String(node.value ?? '');
    const lit = type === 'BLOCK_LITERAL' ? blockLiteral(text, node as Scalar, value) : undefined;
    if (lit?.offsets && value.length > 0) {
      const trimmedEnd = value.endsWith('\n') ? lit.offsets[value.length - 1] : lit.offsets[value.length];
      return { value, offsets: lit.offsets, span: { start: lit.offsets[0], end: trimmedEnd }, raw, type, region: lit.region, isNull: false };
    }
    const nl = text.indexOf('\n', r[0]);
    const start = nl >= 0 && nl < r[1] ? nl + 1 : r[1];
    return { value, offsets: null, span: { start, end: r[1] }, raw, type, isNull: false };
  }
  // Plain scalar: single-line text is the value as written (numbers and booleans included).
  const src = text.slice(r[0], r[1]);
  if (!src.includes('\n')) {
    return { value: src, offsets: linear(r[0], src.length), span: raw, raw, type, region: raw, isNull };
  }
  return { value: String(node.value ?? ''), offsets: null, span: raw, raw, type, isNull };
}

/** Sub-span of a scalar's content [from, to) using its offset map. */
export function subSpan(st: ScalarText, from: number, to: number): Span {
  if (!st.offsets) return { ...st.span };
  if (to <= from) return { start: st.offsets[from], end: st.offsets[from] };
  return { start: st.offsets[from], end: st.offsets[to - 1] + 1 };
}

export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

export function spaces(n: number): string {
  return ' '.repeat(Math.max(0, n));
}

/** End of the node's own text, before trailing blank lines the parser counts into its range. */
export function contentEnd(text: string, node: { range?: [number, number, number] | null }): number {
  const r = node.range;
  if (!r) return 0;
  let e = r[1];
  while (e > r[0] && /\s/.test(text[e - 1])) e--;
  return e;
}

/** End of the line holding the node's last character (before its newline): the usual place to
 * insert a sibling after it, keeping a trailing comment where it is. */
export function lineEndAfter(text: string, node: { range?: [number, number, number] | null }): number {
  const e = contentEnd(text, node);
  const nl = text.indexOf('\n', e);
  let end = nl < 0 ? text.length : nl;
  if (end > 0 && text[end - 1] === '\r') end--;
  return end;
}

export function nodeSpan(text: string, node: { range?: [number, number, number] | null }): Span {
  const r = node.range;
  if (!r) return { start: 0, end: 0 };
  return { start: r[0], end: contentEnd(text, node) };
}

/** Extends a sequence item's span back over its `- ` indicator (for removal of the whole item). */
export function withDash(text: string, span: Span): Span {
  let i = span.start;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i > 0 && text[i - 1] === '-' ? { start: i - 1, end: span.end } : span;
}

export function pairSpan(text: string, pair: Pair): Span {
  const k = pair.key as Node;
  const start = k?.range?.[0] ?? 0;
  const v = pair.value as Node | null;
  const end = v && v.range ? contentEnd(text, v) : (k?.range?.[1] ?? start);
  return { start, end: Math.max(start, end) };
}

/** The source region a shell extractor may read for this scalar, when its text is its value. */
export function scriptRegion(st: ScalarText): Span | undefined {
  if (st.type === 'BLOCK_FOLDED') return undefined;
  if (st.type === 'BLOCK_LITERAL') return st.offsets ? st.region : undefined;
  if (!st.offsets) return undefined;
  return st.region ?? st.span;
}

/** Runs the shell extractor on a script held in a scalar; returns the deploys it added. */
export function runShellOn(
  ctx: YamlCtx,
  st: ScalarText,
  via: DeployFact['via'],
  environmentHints: DeployFact['environmentHints'],
  known: Pick<ShellOptions, 'variables' | 'expressions' | 'heredocs' | 'heldVariables' | 'workingDirectory' | 'outputs'> = {},
): DeployFact[] {
  const region = scriptRegion(st);
  if (!region) return [];
  const before = ctx.facts.deploys.length;
  const shadow = shadowText(ctx.text, region.start, region.end);
  try {
    const blockIndent = st.type === 'BLOCK_LITERAL' ? columnOf(ctx.text, st.span.start) : 0;
    extractShell(shadow, ctx.facts, { via, environmentHints, ...known, blockIndent });
  } catch (err) {
    if (err instanceof ParsersNotReady) throw err;
    ctx.facts.problems.push({ message: `could not read the script at line ${lineOf(ctx.text, region.start)}: ${(err as Error).name}`, span: region });
  }
  return ctx.facts.deploys.slice(before);
}

/** Database URLs in an env value (or any scalar). */
export function dbUrlsIn(ctx: YamlCtx, st: ScalarText, envName?: string): void {
  ctx.dbDone.add(st.raw.start);
  if (!st.value.includes('postgres')) return;
  ctx.facts.dbUrls.push(...findDbUrls(st.value, st.offsets, st.span, envName));
}

/** Database URLs in part of a scalar (a `KEY=value` line of a block scalar). */
export function dbUrlsInPart(ctx: YamlCtx, st: ScalarText, from: number, to: number, envName?: string): void {
  ctx.dbDone.add(st.raw.start);
  const value = st.value.slice(from, to);
  if (!value.includes('postgres')) return;
  const offsets = st.offsets ? st.offsets.slice(from, to + 1) : null;
  ctx.facts.dbUrls.push(...findDbUrls(value, offsets, subSpan(st, from, to), envName));
}

/** Database URLs in the part of a scalar a span covers (an entry's value inside an argument). */
export function dbUrlsInSpan(ctx: YamlCtx, st: ScalarText, span: Span, envName?: string): void {
  if (!st.offsets) return;
  const from = st.offsets.indexOf(span.start);
  const to = st.offsets.indexOf(span.end, from);
  if (from < 0 || to < from) return;
  dbUrlsInPart(ctx, st, from, to, envName);
}

/** Every scalar in every document holding `postgres` that no kind-specific pass looked at. */
export function scanRemainingDbUrls(ctx: YamlCtx): void {
  if (!ctx.text.includes('postgres')) return;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 200 || !node || isAlias(node)) return;
    if (isScalar(node)) {
      const r = node.range;
      if (!r || ctx.dbDone.has(r[0])) return;
      if (!ctx.text.slice(r[0], r[1]).includes('postgres')) return;
      const st = scalarText(ctx.text, node);
      if (st) dbUrlsIn(ctx, st);
      return;
    }
    if (isMap(node) || isSeq(node)) {
      for (const it of (node as YAMLMap | YAMLSeq).items) visit(it, depth + 1);
      return;
    }
    if (isPair(node)) {
      visit(node.key, depth + 1);
      visit(node.value, depth + 1);
    }
  };
  for (const doc of ctx.docs) visit(doc.contents, 0);
  // Keep one fact per URL span; prefer the one that knows its variable.
  const bySpan = new Map<string, number>();
  const out: typeof ctx.facts.dbUrls = [];
  for (const u of ctx.facts.dbUrls) {
    const k = `${u.span.start}:${u.span.end}`;
    const i = bySpan.get(k);
    if (i === undefined) {
      bySpan.set(k, out.length);
      out.push(u);
    } else if (!out[i].envName && u.envName) out[i] = u;
  }
  ctx.facts.dbUrls = out;
}


/** Adds `ENVIRONMENT=staging`-style entries of the deploy's own env blocks as hints. */
export function addHintsFromEntries(fact: DeployFact): void {
  for (const b of fact.blocks) {
    if (b.kind !== 'env') continue;
    for (const e of b.entries) {
      if (!namesEnvironment(e.name) || e.value.kind !== 'literal' || e.value.value === '') continue;
      const span = e.value.span;
      if (fact.environmentHints.some((h) => h.span.start === span.start && h.span.end === span.end)) continue;
      fact.environmentHints.push({ value: e.value.value, span, evidence: `${e.name}=${e.value.value}` });
    }
  }
}

/** `${VAR}`, `$VAR` (but not `$$`): a value the deploy tool fills in at run time. */
export function hasDollarRef(value: string): boolean {
  return /(^|[^$])(\$\$)*\$(\{|[A-Za-z_])/.test(value);
}

export { isAlias, isMap, isScalar, isSeq };
