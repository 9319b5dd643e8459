/**
 * Candidate nodes for every step, found in one search (see `locate`).
 */
import { type Ctx, type N, field, upParens } from './walk';
import { lastSegment } from './env-reads';
import { STATE_NAME } from './enums';

const CALL_METHODS = ['get', 'getenv', 'setdefault', 'replace', 'connect', 'create_pool', 'create_engine',
  'create_async_engine', 'Connection', 'ConnectionPool', 'AsyncConnectionPool', 'SimpleConnectionPool',
  'ThreadedConnectionPool'];
const CALL_FUNCS = ['getenv', 'create_engine', 'create_async_engine'];

export interface CallM { call: N; fn: N; args: N }
export interface Matches {
  calls: CallM[];
  subs: N[];
  ins: { cmp: N; str: N; recv: N }[];
  cmps: N[];
  classes: N[];
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Candidate nodes. A Query walks the whole tree (about a third of the parse cost); the shapes we
 * look for all start with a known word, so the text is searched for those words and each hit is
 * confirmed on the tree from the smallest node at that offset. Hits inside strings and comments
 * fail the node checks.
 */
export function locate(ctx: Ctx): Matches {
  const out: Matches = { calls: [], subs: [], ins: [], cmps: [], classes: [] };
  const { text, root } = ctx;
  const nodeAt = (start: number, end: number): N | null => root.descendantForIndex(start, end);

  // Calls by callee name.
  const methods = new Set(CALL_METHODS);
  const funcs = new Set([...CALL_FUNCS, ...ctx.getenvNames]);
  for (const a of ctx.accessors) {
    const seg = lastSegment(a);
    if (!/^\w+$/.test(seg)) continue;
    if (a.includes('.')) methods.add(seg);
    else funcs.add(seg);
  }
  const names = [...new Set([...methods, ...funcs])].sort((x, y) => y.length - x.length).map(escapeRe);
  const callRe = new RegExp(`\\b(?:${names.join('|')}|\\w+Pool)\\s*\\(`, 'g');
  const seenCall = new Set<number>();
  for (let m = callRe.exec(text); m; m = callRe.exec(text)) {
    const name = /^\w+/.exec(m[0])![0];
    const id = nodeAt(m.index, m.index + name.length);
    if (!id || id.type !== 'identifier' || id.startIndex !== m.index || id.endIndex !== m.index + name.length) continue;
    const parent = id.parent;
    let fn: N = id;
    if (parent?.type === 'attribute' && field(parent, 'attribute')?.id === id.id) {
      if (!methods.has(name) && !/Pool$/.test(name)) continue;
      fn = parent;
    } else if (!funcs.has(name)) continue;
    const call = fn.parent;
    if (!call || call.type !== 'call' || field(call, 'function')?.id !== fn.id || seenCall.has(call.id)) continue;
    const args = field(call, 'arguments');
    if (!args || args.type !== 'argument_list') continue;
    seenCall.add(call.id);
    out.calls.push({ call, fn, args });
  }

  // `os.environ[...]`, `environ[...]` (imported) subscripts.
  const subNames = ['environ', ...[...ctx.environNames].filter((n) => n !== 'environ' && /^\w+$/.test(n))].map(escapeRe);
  const subRe = new RegExp(`\\b(?:${subNames.join('|')})\\s*\\[`, 'g');
  for (let m = subRe.exec(text); m; m = subRe.exec(text)) {
    const name = /^\w+/.exec(m[0])![0];
    const id = nodeAt(m.index, m.index + name.length);
    if (!id || id.type !== 'identifier' || id.startIndex !== m.index) continue;
    let value: N = id;
    const p = id.parent;
    if (p?.type === 'attribute' && field(p, 'attribute')?.id === id.id) value = p;
    else if (!ctx.environNames.has(name)) continue;
    const sub = value.parent;
    if (sub?.type === 'subscript' && field(sub, 'value')?.id === value.id) out.subs.push(sub);
  }

  // `"X" in os.environ` / `"X" not in env`.
  const inRe = /["']\s*((?:not\s+)?in)\b/g;
  for (let m = inRe.exec(text); m; m = inRe.exec(text)) {
    const kw = m.index + m[0].length - m[1]!.length;
    let cmp = nodeAt(kw, kw + m[1]!.length);
    for (let i = 0; cmp && cmp.type !== 'comparison_operator' && i < 2; i++) cmp = cmp.parent;
    if (!cmp || cmp.type !== 'comparison_operator' || cmp.namedChildCount !== 2) continue;
    const str = cmp.namedChild(0);
    const recv = cmp.namedChild(1);
    if (str?.type !== 'string' || !recv || !['attribute', 'identifier', 'call'].includes(recv.type)) continue;
    out.ins.push({ cmp, str, recv });
  }

  // `<expr>.state <op> ...` comparisons.
  if (/state|status/i.test(text)) {
    const seenCmp = new Set<number>();
    const stRe = /\.\s*(\w*(?:state|status|State|Status))\b/g;
    for (let m = stRe.exec(text); m; m = stRe.exec(text)) {
      if (!STATE_NAME.test(m[1]!)) continue;
      const at = m.index + m[0].length - m[1]!.length;
      const id = nodeAt(at, at + m[1]!.length);
      const attr = id?.parent;
      if (!id || id.type !== 'identifier' || attr?.type !== 'attribute' || field(attr, 'attribute')?.id !== id.id) continue;
      const { parent } = upParens(attr);
      if (parent?.type === 'comparison_operator' && !seenCmp.has(parent.id)) {
        seenCmp.add(parent.id);
        out.cmps.push(parent);
      }
    }
  }

  // Classes, only when an enum or a state accessor can be there.
  if (text.includes('Enum') || /state|status/i.test(text)) {
    const clsRe = /\bclass\s+[A-Za-z_]/g;
    for (let m = clsRe.exec(text); m; m = clsRe.exec(text)) {
      const kw = nodeAt(m.index, m.index + 5);
      const cls = kw?.type === 'class' ? kw.parent : null;
      if (cls?.type === 'class_definition') out.classes.push(cls);
    }
  }
  return out;
}
