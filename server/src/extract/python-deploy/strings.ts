/**
 * Python string literals decoded with the source offset of every character, so a fact or a fix can
 * point into the literal even after escapes; interpolations are marked so an f-string is never
 * taken for a literal.
 */
import type { Span } from '../../core/facts';
import type { SyntaxNode } from '../../parsers/tree-sitter';

type Node = SyntaxNode;

/** A literal's decoded characters, each mapped back to the source. */
export interface Stream {
  value: string;
  /** Source offset of each character, and of the end of each character. */
  offs: number[];
  ends: number[];
  /** 0 plain, 1 from an escape sequence, 2 inside an interpolation. */
  kinds: number[];
}

/** A `string` node's delimiters and prefix. */
export interface StrInfo {
  quote: '"' | "'";
  contentStart: number;
  contentEnd: number;
  isF: boolean;
  isRaw: boolean;
  interps: Node[];
}

export function strInfo(node: Node): StrInfo | undefined {
  if (node.type !== 'string') return undefined;
  const kids = node.children;
  const start = kids[0];
  const end = kids[kids.length - 1];
  if (!start || !end || start.type !== 'string_start' || end.type !== 'string_end') return undefined;
  const st = start.text;
  const quote = st[st.length - 1] === "'" ? "'" : '"';
  const prefix = st.replace(/["']+$/, '');
  return {
    quote,
    contentStart: start.endIndex,
    contentEnd: end.startIndex,
    isF: /f/i.test(prefix),
    isRaw: /r/i.test(prefix),
    interps: kids.filter((k) => k.type === 'interpolation'),
  };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Decodes `text[from, to)` of a literal, recording each character's source range. */
function decodeInto(text: string, from: number, to: number, info: StrInfo, out: Stream): void {
  let i = from;
  const push = (ch: string, s: number, e: number, kind: number): void => {
    out.value += ch;
    out.offs.push(s);
    out.ends.push(e);
    out.kinds.push(kind);
  };
  while (i < to) {
    const ch = text[i];
    if (ch === '\\' && !info.isRaw && i + 1 < to) {
      const n = text[i + 1];
      if (n === '\n') { i += 2; continue; }
      if (n === '\r' && text[i + 2] === '\n') { i += 3; continue; }
      if (SIMPLE_ESCAPES[n] !== undefined) { push(SIMPLE_ESCAPES[n], i, i + 2, 1); i += 2; continue; }
      const hexLen = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
      if (hexLen > 0) {
        const hex = text.slice(i + 2, i + 2 + hexLen);
        if (hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
          const cp = parseInt(hex, 16);
          const s = cp <= 0x10ffff ? String.fromCodePoint(cp) : '?';
          for (const c of s) push(c, i, i + 2 + hexLen, 1);
          i += 2 + hexLen;
          continue;
        }
      }
      const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1, Math.min(to, i + 4)));
      if (oct) { push(String.fromCharCode(parseInt(oct[0], 8)), i, i + 1 + oct[0].length, 1); i += 1 + oct[0].length; continue; }
      push('\\', i, i + 1, 0);
      i += 1;
      continue;
    }
    if (info.isF && (ch === '{' || ch === '}') && text[i + 1] === ch && i + 1 < to) { push(ch, i, i + 2, 1); i += 2; continue; }
    push(ch, i, i + 1, 0);
    i += 1;
  }
}

/** A literal's decoded value (concatenations joined, interpolations kept as source text), or undefined for a non-literal. */
export function streamOf(node: Node, text: string, out: Stream = { value: '', offs: [], ends: [], kinds: [] }): Stream | undefined {
  if (node.type === 'concatenated_string') {
    for (const c of node.namedChildren) if (c.type === 'string' && !streamOf(c, text, out)) return undefined;
    return out;
  }
  const info = strInfo(node);
  if (!info) return undefined;
  let pos = info.contentStart;
  for (const it of info.interps) {
    decodeInto(text, pos, it.startIndex, info, out);
    for (let k = it.startIndex; k < it.endIndex; k++) {
      out.value += text[k];
      out.offs.push(k);
      out.ends.push(k + 1);
      out.kinds.push(2);
    }
    pos = it.endIndex;
  }
  decodeInto(text, pos, info.contentEnd, info, out);
  return out;
}

/** The value of a string literal without interpolations. */
export function staticString(node: Node, text: string): { value: string; span: Span; quote?: '"' | "'" } | undefined {
  if (node.type !== 'string' && node.type !== 'concatenated_string') return undefined;
  const st = streamOf(node, text);
  if (!st || st.kinds.includes(2)) return undefined;
  const info = strInfo(node);
  const span = info ? { start: info.contentStart, end: info.contentEnd } : { start: node.startIndex, end: node.endIndex };
  return { value: st.value, span, quote: info?.quote };
}

export function nodeSpan(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}

/** Named children without comments: a comment between entries is not an entry. */
export function named(n: Node): Node[] {
  return n.namedChildren.filter((c) => c.type !== 'comment');
}

/** A dict key or keyword name as written: an identifier or a string literal. */
export function keyName(n: Node | null, text: string): string | undefined {
  if (!n) return undefined;
  if (n.type === 'identifier') return n.text;
  return staticString(n, text)?.value;
}
