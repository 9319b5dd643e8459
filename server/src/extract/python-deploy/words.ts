/**
 * Python values as the words of a gcloud command, for the shared gcloud interpreter: list elements
 * and shell strings become `Word`s with source offsets (null where an escape breaks the mapping)
 * and `dynamic` set where the value is computed at run time.
 */
import type { SyntaxNode } from '../../parsers/tree-sitter';
import type { Word } from '../gcloud-args';
import { staticString, strInfo, streamOf, nodeSpan, type Stream } from './strings';

type Node = SyntaxNode;

/**
 * One list element as a word: a literal keeps its offsets; an f-string is dynamic over its raw
 * source; a path to gcloud, or a name or call that evidently holds it (`GCLOUD`,
 * `shutil.which("gcloud")`), is the word `gcloud` (and likewise `docker`, `podman`); `"--flag=" + x`
 * is dynamic.
 */
export function wordOf(n: Node, text: string): Word {
  const span = nodeSpan(n);
  if (n.type === 'string' || n.type === 'concatenated_string') {
    const st = streamOf(n, text);
    const info = strInfo(n);
    if (st) {
      const dyn = st.kinds.includes(2);
      if (dyn && info) {
        const offsets: number[] = [];
        for (let k = info.contentStart; k <= info.contentEnd; k++) offsets.push(k);
        return { value: text.slice(info.contentStart, info.contentEnd), span, offsets, dynamic: true, quote: info.quote };
      }
      if (!dyn && /(^|[\\/])gcloud(\.cmd|\.exe)?$/i.test(st.value) && st.value !== 'gcloud' && !st.value.endsWith('/gcloud')) {
        return { value: 'gcloud', span, offsets: null, dynamic: false };
      }
      const offsets = st.kinds.includes(1) ? null : [...st.offs, st.ends.length ? st.ends[st.ends.length - 1] : (info?.contentEnd ?? n.endIndex)];
      const w: Word = { value: st.value, span, offsets, dynamic: dyn };
      if (info) w.quote = info.quote;
      return w;
    }
  }
  if ((n.type === 'identifier' || n.type === 'attribute' || n.type === 'call') && /gcloud/i.test(n.text) && !n.text.includes('"') && !n.text.includes("'")) {
    return { value: 'gcloud', span, offsets: null, dynamic: true };
  }
  if (n.type === 'call' && /gcloud/.test(n.text) && /(^|\.)which$/.test(n.childForFieldName('function')?.text ?? '')) {
    return { value: 'gcloud', span, offsets: null, dynamic: true };
  }
  // `DOCKER`, `self.docker_cmd`, `shutil.which("podman")`: the program, not a path to a Dockerfile.
  const tool = /(?:^|[._])(docker|podman)(?:_?(?:cmd|bin|exe|path|command))?$/i.exec(n.text);
  if ((n.type === 'identifier' || n.type === 'attribute') && tool) return { value: tool[1].toLowerCase(), span, offsets: null, dynamic: true };
  const which = n.type === 'call' && /(^|\.)which$/.test(n.childForFieldName('function')?.text ?? '') ? /docker|podman/.exec(n.text) : null;
  if (which) return { value: which[0], span, offsets: null, dynamic: true };
  if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '+') {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    const ls = l && staticString(l, text);
    if (ls && r) return { value: ls.value + '{' + r.text + '}', span, offsets: null, dynamic: true };
  }
  const offsets: number[] = [];
  for (let k = n.startIndex; k <= n.endIndex; k++) offsets.push(k);
  return { value: n.text, span, offsets, dynamic: true, expression: true };
}

/**
 * Splits a shell command held in a Python string into commands of words (quotes removed, offsets
 * kept). `{...}` interpolations stay inside words and make them dynamic; chars from Python escape
 * sequences drop the word's offsets.
 */
export function shellSplit(st: Stream): Word[][] {
  const commands: Word[][] = [];
  let cmd: Word[] = [];
  let cur: { value: string; offs: number[]; ends: number[]; start: number; end: number; esc: boolean; dyn: boolean; quotes: Set<string>; unquoted: boolean } | undefined;
  const begin = (at: number): NonNullable<typeof cur> =>
    (cur ??= { value: '', offs: [], ends: [], start: at, end: at, esc: false, dyn: false, quotes: new Set(), unquoted: false });
  const flush = (): void => {
    if (!cur) return;
    const w: Word = {
      value: cur.value,
      span: { start: cur.start, end: cur.end },
      offsets: cur.esc || cur.offs.length === 0 ? (cur.offs.length === 0 ? [cur.start] : null) : [...cur.offs, cur.ends[cur.ends.length - 1]],
      dynamic: cur.dyn,
    };
    if (!cur.unquoted && cur.quotes.size === 1) {
      const q = [...cur.quotes][0];
      if (q === '"' || q === "'") w.quote = q;
    }
    cmd.push(w);
    cur = undefined;
  };
  const endCommand = (): void => {
    flush();
    if (cmd.length) commands.push(cmd);
    cmd = [];
  };
  let quote: string | undefined;
  const v = st.value;
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    const kind = st.kinds[i];
    const o = st.offs[i];
    const e = st.ends[i];
    const add = (c: string, esc = false): void => {
      const w = begin(o);
      w.value += c;
      w.offs.push(o);
      w.ends.push(e);
      w.end = e;
      if (esc || kind === 1) w.esc = true;
      if (!quote) w.unquoted = true;
    };
    if (kind === 2) {
      add(ch);
      cur!.dyn = true;
      continue;
    }
    if (quote === "'") {
      if (ch === "'") { quote = undefined; begin(o).end = e; continue; }
      add(ch);
      continue;
    }
    if (quote === '"') {
      if (ch === '"') { quote = undefined; begin(o).end = e; continue; }
      if (ch === '\\' && i + 1 < v.length && '"\\$`'.includes(v[i + 1])) {
        begin(o).esc = true;
        i++;
        const o2 = st.offs[i];
        const e2 = st.ends[i];
        cur!.value += v[i]; cur!.offs.push(o2); cur!.ends.push(e2); cur!.end = e2;
        continue;
      }
      if (ch === '$') begin(o).dyn = true;
      add(ch);
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') { flush(); continue; }
    if (ch === ';' || ch === '&' || ch === '|') { endCommand(); continue; }
    if (ch === "'" || ch === '"') { quote = ch; const w = begin(o); w.quotes.add(ch); w.end = e; continue; }
    if (ch === '\\' && i + 1 < v.length) {
      i++;
      if (v[i] === '\n') { flush(); continue; }
      const w = begin(o);
      w.esc = true;
      w.value += v[i]; w.offs.push(st.offs[i]); w.ends.push(st.ends[i]); w.end = st.ends[i];
      w.unquoted = true;
      continue;
    }
    if (ch === '$') begin(o).dyn = true;
    add(ch);
  }
  endCommand();
  return commands;
}
