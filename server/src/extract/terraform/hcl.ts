/**
 * Reading HCL syntax trees (tree-sitter Terraform dialect) into values: blocks and attributes of a
 * body, and a small evaluator for the expressions a deploy is written with — string literals and
 * templates, numbers, booleans, objects, tuples, `toset([...])`, `merge({…}, {…})`, and traversals (`var.x`,
 * `local.x`, `each.key`, `google_secret_manager_secret.jwt.secret_id`) looked up in a scope.
 * Anything else evaluates to `unknown` with its source text: never a guess.
 */
import type { SyntaxNode } from '../../parsers/tree-sitter';
import type { Span } from '../../core/facts';

export type HclValue =
  /** `span` covers the string's content when `exact` (the value is the text between the quotes, no
   * escapes); otherwise the expression that produced it. */
  | { kind: 'string'; value: string; span: Span; exact: boolean }
  | { kind: 'scalar'; value: string; span: Span } // number or bool, as written
  | { kind: 'object'; entries: ObjectEntry[]; span: Span }
  | { kind: 'tuple'; items: HclValue[]; span: Span }
  | { kind: 'null'; span: Span }
  /** Not statically known. `text` is the source (a template without its quotes). */
  | { kind: 'unknown'; text: string; span: Span };

export interface ObjectEntry {
  key: string;
  keySpan: Span;
  value: HclValue;
  /** The whole `key = value` element. */
  span: Span;
}

/** Resolves the start of a traversal — `var.x`, `local.x`, `each.key`, `<resource type>.<name>` —
 * to a value (`first` is absent for a bare root). Lazy, so locals may refer to each other. */
export type Scope = (root: string, first: string | undefined, depth: number) => HclValue | undefined;

export const spanOf = (n: SyntaxNode): Span => ({ start: n.startIndex, end: n.endIndex });

/** `attr = expr` and `type "label" { … }` items of a body, in order. */
export interface Block {
  type: string;
  labels: { value: string; span: Span }[];
  node: SyntaxNode;
  /** The `body` node, absent for an empty block. */
  body?: SyntaxNode;
}

export interface Attribute {
  name: string;
  node: SyntaxNode;
  nameNode: SyntaxNode;
  expr: SyntaxNode;
}

/** Named children by node id, for the tree being read. Every step into a web-tree-sitter node is
 * a call into WebAssembly, and a `dynamic "env"` over a long map reads the same small bodies once
 * per entry: without this, a large map costs seconds. Reset for each tree (ids are per tree). */
let children = new Map<number, SyntaxNode[]>();

/** Forgets the cached children: call before reading a new tree and after freeing one. */
export function resetNodeCache(): void {
  children = new Map();
}

export function named(n: SyntaxNode | null | undefined): SyntaxNode[] {
  if (!n) return [];
  let out = children.get(n.id);
  if (!out) {
    out = n.namedChildren.filter((c): c is SyntaxNode => c !== null);
    children.set(n.id, out);
  }
  return out;
}

/** The body of a `config_file`, or the body of a block. */
export function rootBody(root: SyntaxNode): SyntaxNode | undefined {
  return named(root).find((c) => c.type === 'body');
}

export function blocksOf(body: SyntaxNode | undefined, type?: string): Block[] {
  const out: Block[] = [];
  for (const c of named(body)) {
    if (c.type !== 'block') continue;
    const kids = named(c);
    const id = kids.find((k) => k.type === 'identifier');
    if (!id || (type !== undefined && id.text !== type)) continue;
    const labels = kids.filter((k) => k.type === 'string_lit').map((k) => {
      const content = stringContent(k);
      return { value: content?.raw ?? k.text, span: content?.span ?? spanOf(k) };
    });
    out.push({ type: id.text, labels, node: c, body: kids.find((k) => k.type === 'body') });
  }
  return out;
}

export function attributesOf(body: SyntaxNode | undefined): Attribute[] {
  const out: Attribute[] = [];
  for (const c of named(body)) {
    if (c.type !== 'attribute') continue;
    const kids = named(c);
    const id = kids.find((k) => k.type === 'identifier');
    const expr = kids.find((k) => k.type === 'expression');
    if (id && expr) out.push({ name: id.text, node: c, nameNode: id, expr });
  }
  return out;
}

export function attribute(body: SyntaxNode | undefined, name: string): Attribute | undefined {
  return attributesOf(body).find((a) => a.name === name);
}

/** A `string_lit`'s raw content (between the quotes) and its span. */
function stringContent(n: SyntaxNode): { raw: string; span: Span } | undefined {
  const kids = named(n);
  const open = kids.find((k) => k.type === 'quoted_template_start');
  const close = kids.find((k) => k.type === 'quoted_template_end');
  if (!open || !close) return undefined;
  const span = { start: open.endIndex, end: close.startIndex };
  const lit = kids.find((k) => k.type === 'template_literal');
  return { raw: lit?.text ?? '', span };
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** A template literal's text as HCL reads it: `\n`, `\"`, `\uXXXX`, `$${` and `%%{`. */
export function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const e = raw[i + 1];
      if (ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        i++;
        continue;
      }
      const hex = e === 'u' ? raw.slice(i + 2, i + 6) : e === 'U' ? raw.slice(i + 2, i + 10) : '';
      if (hex && /^[0-9a-fA-F]+$/.test(hex) && (hex.length === 4 || hex.length === 8)) {
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 1 + hex.length;
        continue;
      }
    }
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += c + '{';
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

/** The one meaningful child of an `expression` (literal, template, collection, call), or the
 * expression itself when it is a traversal (`variable_expr` followed by `get_attr`/`index`). */
export function inner(expr: SyntaxNode): SyntaxNode {
  const kids = named(expr);
  return kids.length === 1 && kids[0].type !== 'variable_expr' ? kids[0] : expr;
}

const MAX_DEPTH = 24;

/** Evaluates an `expression` node. Never throws; cycles and deep nesting give `unknown`. */
export function evaluate(expr: SyntaxNode, scope: Scope, depth = 0): HclValue {
  const span = spanOf(expr);
  const unknown = (): HclValue => ({ kind: 'unknown', text: expr.text, span });
  if (depth > MAX_DEPTH) return unknown();
  const n = inner(expr);
  switch (n.type) {
    case 'expression':
      return n === expr ? traversal(expr, scope, depth) : evaluate(n, scope, depth + 1);
    case 'literal_value': {
      const lit = named(n)[0];
      if (!lit) return unknown();
      if (lit.type === 'string_lit') {
        const c = stringContent(lit);
        if (!c) return unknown();
        const value = unescape(c.raw);
        return { kind: 'string', value, span: value === c.raw ? c.span : spanOf(lit), exact: value === c.raw };
      }
      if (lit.type === 'null_lit') return { kind: 'null', span };
      return { kind: 'scalar', value: lit.text, span };
    }
    case 'template_expr':
      return template(n, scope, depth);
    case 'collection_value': {
      const coll = named(n)[0];
      if (coll?.type === 'tuple') {
        return { kind: 'tuple', items: named(coll).filter((k) => k.type === 'expression').map((k) => evaluate(k, scope, depth + 1)), span };
      }
      if (coll?.type === 'object') {
        const entries: ObjectEntry[] = [];
        for (const el of named(coll)) {
          if (el.type !== 'object_elem') continue;
          const k = el.childForFieldName('key');
          const v = el.childForFieldName('val');
          if (!k || !v) continue;
          const key = objectKey(k, scope, depth);
          if (!key) return unknown(); // a computed key: the object's keys are not known
          entries.push({ key: key.value, keySpan: key.span, value: evaluate(v, scope, depth + 1), span: spanOf(el) });
        }
        return { kind: 'object', entries, span };
      }
      return unknown();
    }
    case 'function_call': {
      const fn = named(n).find((k) => k.type === 'identifier')?.text;
      const args = named(named(n).find((k) => k.type === 'function_arguments')).filter((k) => k.type === 'expression');
      // `toset(["a", "b"])`: a set of strings, which `for_each` keys by value.
      if ((fn === 'toset' || fn === 'tolist') && args.length === 1) {
        const v = evaluate(args[0], scope, depth + 1);
        return v.kind === 'tuple' ? { ...v, span } : unknown();
      }
      if (fn === 'tomap' && args.length === 1) {
        const v = evaluate(args[0], scope, depth + 1);
        return v.kind === 'object' ? { ...v, span } : unknown();
      }
      // `merge(local.common, { … })`: known only when every argument is; a later key wins. An
      // argument chosen by a condition (`var.alerts ? { TOKEN = … } : {}`) adds the keys of both
      // branches: each may be set.
      if (fn === 'merge' && args.length > 0) {
        const byKey = new Map<string, ObjectEntry>();
        for (const a of args) {
          const c = inner(a);
          const branches = c.type === 'conditional' ? named(c).filter((k) => k.type === 'expression').slice(1) : [a];
          if (branches.length === 0) return unknown();
          for (const b of branches) {
            const v = evaluate(b, scope, depth + 1);
            if (v.kind !== 'object') return unknown();
            for (const e of v.entries) {
              byKey.delete(e.key);
              byKey.set(e.key, e);
            }
          }
        }
        return { kind: 'object', entries: [...byKey.values()], span };
      }
      // `try(each.value.env, {})`: the first argument that is there. One that looks up a key a
      // known object lacks falls through to the next; one this file cannot resolve stays unknown
      // (it may be there).
      if (fn === 'try' && args.length > 0) {
        for (const a of args) {
          const v = evaluate(a, scope, depth + 1);
          if (v.kind !== 'unknown') return v;
          if (!lacksKey(a, scope, depth + 1)) return unknown();
        }
      }
      return unknown();
    }
    default:
      return unknown();
  }
}

/** `each.value.env` where `each.value` is a known object without `env`: a lookup that fails. */
function lacksKey(expr: SyntaxNode, scope: Scope, depth: number): boolean {
  const path = traversalPath(expr);
  if (!path || path.steps.length < 2) return false;
  let v = scope(path.root, path.steps[0], depth + 1);
  for (const step of path.steps.slice(1)) {
    if (!v || v.kind !== 'object') return false;
    const next = member(v, step);
    if (next === undefined) return true;
    v = next;
  }
  return false;
}

/** `merge({ NODE_ENV = "production" }, var.env_vars)`, where some argument is a variable this file
 * does not write out: the entries of the arguments that are, and the variables' text. Undefined
 * unless the expression is such a merge with at least one known map (a local or anything else
 * unknown stays unknown: the module's other files may list it). */
export function partialMerge(expr: SyntaxNode, scope: Scope): { entries: ObjectEntry[]; unknown: string[] } | undefined {
  const c = inner(expr);
  if (c.type !== 'function_call' || named(c).find((k) => k.type === 'identifier')?.text !== 'merge') return undefined;
  const args = named(named(c).find((k) => k.type === 'function_arguments')).filter((k) => k.type === 'expression');
  const byKey = new Map<string, ObjectEntry>();
  const unknown: string[] = [];
  for (const a of args) {
    const v = evaluate(a, scope, 1);
    if (v.kind === 'object') {
      for (const e of v.entries) {
        byKey.delete(e.key);
        byKey.set(e.key, e);
      }
    } else if (v.kind === 'unknown' && traversalPath(a)?.root === 'var') unknown.push(a.text);
    else return undefined;
  }
  return byKey.size && unknown.length ? { entries: [...byKey.values()], unknown } : undefined;
}

/** An object key: a bare identifier is its own name (`api = …`), a string its value. */
function objectKey(k: SyntaxNode, scope: Scope, depth: number): { value: string; span: Span } | undefined {
  const kids = named(k);
  if (kids.length === 1 && kids[0].type === 'variable_expr') return { value: kids[0].text, span: spanOf(kids[0]) };
  const v = evaluate(k, scope, depth + 1);
  return v.kind === 'string' ? { value: v.value, span: v.span } : undefined;
}

function template(n: SyntaxNode, scope: Scope, depth: number): HclValue {
  const span = spanOf(n);
  const quoted = named(n)[0];
  if (!quoted || quoted.type !== 'quoted_template') return { kind: 'unknown', text: n.text, span };
  let value = '';
  let known = true;
  let text = '';
  for (const part of named(quoted)) {
    if (part.type === 'template_literal') {
      value += unescape(part.text);
      text += part.text;
    } else if (part.type === 'template_interpolation') {
      text += part.text;
      const e = named(part).find((k) => k.type === 'expression');
      const v = e ? evaluate(e, scope, depth + 1) : undefined;
      if (v && (v.kind === 'string' || v.kind === 'scalar')) value += v.value;
      else known = false;
    } else if (part.type !== 'quoted_template_start' && part.type !== 'quoted_template_end') {
      known = false; // a `%{ if }` directive
      text += part.text;
    }
  }
  return known ? { kind: 'string', value, span, exact: false } : { kind: 'unknown', text, span };
}

/** `toset(local.names)`, `tomap(…)`, `tolist(…)`: the collection converted; else `expr`. */
const CONVERSIONS = new Set(['toset', 'tomap', 'tolist']);
export function unconverted(expr: SyntaxNode): SyntaxNode {
  const call = inner(expr);
  if (call.type !== 'function_call' || !CONVERSIONS.has(named(call).find((k) => k.type === 'identifier')?.text ?? '')) return expr;
  const args = named(named(call).find((k) => k.type === 'function_arguments')).filter((k) => k.type === 'expression');
  return args.length === 1 ? args[0]! : expr;
}

/** `root.a.b["k"]` as its root name and steps; undefined for splats and computed indexes. */
export function traversalPath(expr: SyntaxNode): { root: string; steps: string[] } | undefined {
  const kids = named(expr);
  if (kids[0]?.type !== 'variable_expr') return undefined;
  const steps: string[] = [];
  for (const k of kids.slice(1)) {
    if (k.type === 'get_attr') {
      const id = named(k).find((x) => x.type === 'identifier');
      if (!id) return undefined;
      steps.push(id.text);
    } else if (k.type === 'index') {
      const idx = named(named(k)[0]).find((x) => x.type === 'expression');
      const lit = idx && named(idx)[0]?.type === 'literal_value' ? named(named(idx)[0])[0] : undefined;
      const c = lit?.type === 'string_lit' ? stringContent(lit) : undefined;
      if (c) steps.push(unescape(c.raw));
      else if (lit?.type === 'numeric_lit') steps.push(lit.text);
      else return undefined;
    } else {
      return undefined;
    }
  }
  return { root: kids[0].text, steps };
}

function traversal(expr: SyntaxNode, scope: Scope, depth: number): HclValue {
  const span = spanOf(expr);
  const unknown: HclValue = { kind: 'unknown', text: expr.text, span };
  const path = traversalPath(expr);
  if (!path) return unknown;
  let v = scope(path.root, path.steps[0], depth + 1);
  for (const step of path.steps.slice(1)) {
    if (!v) return unknown;
    v = member(v, step);
  }
  if (!v || v.kind === 'unknown') return unknown;
  // A looked-up string keeps the span of its literal (a variable's default, a local) so a finding
  // about the value points at where it is written.
  return v;
}

export function member(v: HclValue, key: string): HclValue | undefined {
  if (v.kind === 'object') return v.entries.find((e) => e.key === key)?.value;
  if (v.kind === 'tuple' && /^\d+$/.test(key)) return v.items[Number(key)];
  return undefined;
}

/** The value as a string when it is a string, number or bool. */
export function scalarOf(v: HclValue | undefined): string | undefined {
  return v && (v.kind === 'string' || v.kind === 'scalar') ? v.value : undefined;
}
