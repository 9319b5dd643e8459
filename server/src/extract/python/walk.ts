/**
 * What every step of the Python code reading shares: one context (the tree, the text, the facts
 * being filled, what the imports and earlier steps found), the one search that locates candidate
 * nodes, and small syntax helpers. Steps pass results through the context instead of walking the
 * tree again.
 */
import type { AccessorCallFact, EnvRead, FileFacts, Span } from '../../core/facts';
import type { SyntaxNode } from '../../parsers/tree-sitter';
import type { EnvironmentNames } from '../../knowledge/environments';

export type N = SyntaxNode;

/** One assignment: `left = right` or `left: type = right` (indexed per scope by bindings.ts). */
export interface Asg { node: N; left: N; right: N | null; type: N | null }

/** A read with the node it came from: `EnvRead` holds only spans, and gates, alternatives and
 * database URLs are judged by the tree around a read. */
export interface ReadHit {
  read: EnvRead;
  /** The access expression (call, subscript or `in` comparison). */
  node: N;
  kind: 'call' | 'subscript' | 'in';
  /** For calls: the argument given as default (2nd argument or `default=`). */
  defaultNode?: N;
  /** A call of a function imported from another module: a read only if that module defines the
   * function as an accessor (kept apart as an `AccessorCallFact` for the model). */
  imported?: Omit<AccessorCallFact, 'read'>;
  /** The last operand of an `or` chain of reads this read belongs to, when every operand before it
   * is a read (`os.getenv("A") or os.getenv("B") or "dev-secret"`): what stands in for them all. */
  chainEnd?: N;
}

export interface Ctx {
  text: string;
  root: N;
  facts: FileFacts;
  /** `os` and its aliases (`import os as o`), so `o.environ` reads as `os.environ`. */
  osNames: Set<string>;
  /** Local names of `from os import environ` / `getenv` (with `as` aliases). */
  environNames: Set<string>;
  getenvNames: Set<string>;
  /** Configured accessor callees without whitespace, to compare with callee text as written. */
  accessors: Set<string>;
  /** Every read of a test file is dev-only. */
  isTest: boolean;
  /** Environment tokens, with the configuration's own. */
  envNames: EnvironmentNames;
  /** Filled by the reads step, sorted by start: later steps binary-search it. */
  hits: ReadHit[];
  /** Enums declared here: `X.MEMBER` of one of them is a member even when the names are not
   * shaped like CamelCase.UPPER_CASE. */
  enumNames: Set<string>;
  /** Per class id: its `self.x` assignments by attribute. Built on first question, as a class
   * is only searched when an accessor, a comparison or a URL asks about it. */
  selfAttrs: Map<number, Map<string, { annot?: N; rights: N[] }>>;
  /** Assignments by left-hand text, per function id and for the module (key -1); lazy likewise. */
  asgs: Map<number, Map<string, Asg[]>>;
  /** Reads whose name is a bare variable (`os.environ.get(name)`): accessors.ts asks whether the
   * variable is a parameter of a function returning the value (an in-house accessor). */
  paramReads: { node: N; nameArg: N; dflt?: N; shape: 'get' | 'getenv' | 'setdefault' | 'subscript' }[];
  /** Default argument node id -> the name of the read it is the default of; lazy, as only
   * Postgres URL literals ask. */
  defaults?: Map<number, string>;
  /** Names of functions the file imports from modules that may rewrite a URL; lazy, as only
   * Postgres driver uses ask (db.ts). */
  importedFunctions?: Set<string>;
}

/** The smallest node covering [start, end): where a word found in the text sits in the tree. */
export const nodeAt = (ctx: Ctx, start: number, end: number): N | null => ctx.root.descendantForIndex(start, end);

export const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The calls a step wants: `x.name(...)` (`methods`, or a method name ending in one of
 * `methodSuffixes`) and `name(...)` (`funcs`). Steps declare names rather than search, so that
 * all calls are found in one pass. */
export interface CallForms { methods: Iterable<string>; funcs: Iterable<string>; methodSuffixes?: readonly string[] }
export interface CallM { call: N; fn: N; args: N }

/**
 * Candidates are located from the text, not by walking the tree: a Query walks the whole tree
 * (about a third of the parse cost), while the shapes looked for all start with a known word. So
 * the text is searched for those words and each hit is confirmed on the tree from the smallest
 * node at that offset; hits inside strings and comments fail the node checks. Calls are searched
 * once for every step's forms, and every step is handed every call.
 */
export function locateCalls(ctx: Ctx, forms: readonly CallForms[]): CallM[] {
  const out: CallM[] = [];
  const { text } = ctx;
  const methods = new Set(forms.flatMap((f) => [...f.methods]));
  const funcs = new Set(forms.flatMap((f) => [...f.funcs]));
  const suffixes = forms.flatMap((f) => f.methodSuffixes ?? []);
  const names = [...new Set([...methods, ...funcs])].sort((x, y) => y.length - x.length).map(escapeRe);
  const bySuffix = suffixes.length ? `|\\w+(?:${suffixes.map(escapeRe).join('|')})` : '';
  const callRe = new RegExp(`\\b(?:${names.join('|')}${bySuffix})\\s*\\(`, 'g');
  const seenCall = new Set<number>();
  for (let m = callRe.exec(text); m; m = callRe.exec(text)) {
    const name = /^\w+/.exec(m[0])![0];
    const id = nodeAt(ctx, m.index, m.index + name.length);
    if (!id || id.type !== 'identifier' || id.startIndex !== m.index || id.endIndex !== m.index + name.length) continue;
    const parent = id.parent;
    let fn: N = id;
    if (parent?.type === 'attribute' && field(parent, 'attribute')?.id === id.id) {
      if (!methods.has(name) && !suffixes.some((s) => name.endsWith(s))) continue;
      fn = parent;
    } else if (!funcs.has(name)) continue;
    const call = fn.parent;
    if (!call || call.type !== 'call' || field(call, 'function')?.id !== fn.id || seenCall.has(call.id)) continue;
    const args = field(call, 'arguments');
    if (!args || args.type !== 'argument_list') continue;
    seenCall.add(call.id);
    out.push({ call, fn, args });
  }
  return out;
}

/** Every function definition, located like the candidates. Only the Secret Manager call graph
 * needs them, and rarely, so they are located on demand rather than with the candidates. */
export function allDefs(ctx: Ctx): N[] {
  const out: N[] = [];
  const re = /\bdef\s+[A-Za-z_]/g;
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const kw = nodeAt(ctx, m.index, m.index + 3);
    const def = kw?.type === 'def' ? kw.parent : null;
    if (def?.type === 'function_definition') out.push(def);
  }
  return out;
}

export const span = (n: N): Span => ({ start: n.startIndex, end: n.endIndex });
export const src = (ctx: Ctx, n: N): string => ctx.text.slice(n.startIndex, n.endIndex);
export const within = (inner: Span, outer: Span): boolean => inner.start >= outer.start && inner.end <= outer.end;
export const field = (n: N | null | undefined, name: string): N | null => (n ? n.childForFieldName(name) : null);

export function unparen(n: N): N {
  let cur = n;
  while (cur.type === 'parenthesized_expression' && cur.namedChildCount === 1) {
    const c = cur.namedChild(0);
    if (!c) break;
    cur = c;
  }
  return cur;
}

/** The parent whose fields decide what `n` means, past parentheses (`(x) or y` is an `or` of x);
 * `node` is the parenthesised form of `n` that the parent's fields refer to. */
export function upParens(n: N): { node: N; parent: N | null } {
  let node = n;
  let parent = n.parent;
  while (parent && parent.type === 'parenthesized_expression') {
    node = parent;
    parent = parent.parent;
  }
  return { node, parent };
}

/** The nearest ancestor of one of `types` (the scope that decides what a name binds to). */
export function enclosing(n: N, types: string[]): N | null {
  for (let p = n.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return null;
}


interface StrInfo {
  /** Lower-cased, so `b` / `f` tests need no case. */
  prefix: string;
  /** Content range (inside the quotes). */
  start: number;
  end: number;
  interps: N[];
}

export function strInfo(ctx: Ctx, n: N): StrInfo | undefined {
  if (n.type !== 'string') return undefined;
  const first = n.firstChild;
  const last = n.lastChild;
  if (!first || first.type !== 'string_start' || !last || last.type !== 'string_end' || first.id === last.id) return undefined;
  const prefix = src(ctx, first).replace(/['"]+$/, '').toLowerCase();
  const interps = prefix.includes('f') ? n.namedChildren.filter((c) => c.type === 'interpolation') : [];
  return { prefix, start: first.endIndex, end: last.startIndex, interps };
}

/** The value of a string literal whose source text is its value: no interpolation, no bytes
 * prefix; escapes stay as written. */
export function plainString(ctx: Ctx, n: N): { value: string; span: Span } | undefined {
  const s = strInfo(ctx, n);
  if (!s || s.prefix.includes('b') || s.interps.length) return undefined;
  return { value: ctx.text.slice(s.start, s.end), span: { start: s.start, end: s.end } };
}

/** A literal's value as an environment variable would hold it: a plain string's text, a number's
 * digits (`3600`, `0.5`); undefined for any other expression. */
export function literalText(ctx: Ctx, n: N): string | undefined {
  if (n.type === 'integer' || n.type === 'float') return src(ctx, n);
  return plainString(ctx, n)?.value;
}

interface ArgList { positional: N[]; keywords: Map<string, N> }

export function argList(ctx: Ctx, args: N): ArgList {
  const positional: N[] = [];
  const keywords = new Map<string, N>();
  for (const c of args.namedChildren) {
    if (c.type === 'comment') continue;
    if (c.type === 'keyword_argument') {
      const k = field(c, 'name');
      const v = field(c, 'value');
      if (k && v) keywords.set(src(ctx, k), v);
    } else {
      positional.push(c);
    }
  }
  return { positional, keywords };
}

export function isNone(n: N | undefined): boolean {
  return !!n && unparen(n).type === 'none';
}

/** The comparison operator of `__name__ == "__main__"` (either way round, either quote), when `cond`
 * compares the two: the guard of a module's program entry. */
export function mainGuardOperator(text: string, cond: N): string | undefined {
  const c = unparen(cond);
  if (c.type !== 'comparison_operator' || c.namedChildCount !== 2) return undefined;
  const sides = [c.namedChild(0), c.namedChild(1)].map((n) => (n ? text.slice(n.startIndex, n.endIndex).replace(/'/g, '"') : ''));
  return sides.includes('__name__') && sides.includes('"__main__"') ? c.child(1)?.type : undefined;
}
