/**
 * What one Terraform file can resolve by itself: its variables' defaults, its locals, and the
 * attributes of its resources (`google_secret_manager_secret.jwt.secret_id`), looked up lazily so
 * locals may refer to each other, with `each` bound inside a `for_each` instance. A module's other
 * files are the model's business (model/terraform.ts); here an unknown stays unknown.
 */
import type { SyntaxNode } from '../../parsers/tree-sitter';
import type { Resolved, Span, TemplatePart } from '../../core/facts';
import { attribute, attributesOf, blocksOf, evaluate, inner, named, spanOf, traversalPath, unescape, type Block, type HclValue, type Scope } from './hcl';

export interface EachBinding {
  key: HclValue;
  value: HclValue;
  /** The collection's element (`KEY = "value"`, a list item). */
  span: Span;
}

export interface FileScope {
  base: Scope;
  /** The scope inside one `for_each` instance. */
  withEach(each: EachBinding, name?: string): Scope;
  /** Resource instances of a `for_each` expression: key and value each, or undefined when the
   * collection is not literal (or not there). */
  instances(forEach: SyntaxNode | undefined, scope: Scope): EachBinding[] | undefined;
}

/** Attributes whose value names a Secret Manager secret the way `secret_key_ref.secret` takes it. */
const SECRET_ALIASES = ['id', 'name'];

export function fileScope(body: SyntaxNode | undefined): FileScope {
  const variables = new Map<string, SyntaxNode | undefined>();
  const locals = new Map<string, SyntaxNode>();
  const resources = new Map<string, Block>();
  for (const b of blocksOf(body)) {
    if (b.type === 'variable' && b.labels[0]) variables.set(b.labels[0].value, attribute(b.body, 'default')?.expr);
    else if (b.type === 'locals') for (const a of attributesOf(b.body)) locals.set(a.name, a.expr);
    else if (b.type === 'resource' && b.labels.length >= 2) resources.set(`${b.labels[0].value}.${b.labels[1].value}`, b);
  }
  const memo = new Map<string, HclValue | undefined>();
  const visiting = new Set<string>();

  const lazily = (key: string, compute: () => HclValue | undefined): HclValue | undefined => {
    if (memo.has(key)) return memo.get(key);
    if (visiting.has(key)) return undefined; // a cycle: unknown
    visiting.add(key);
    try {
      const v = compute();
      memo.set(key, v);
      return v;
    } finally {
      visiting.delete(key);
    }
  };

  const attributesObject = (b: Block, scope: Scope, depth: number, span: Span): HclValue => {
    const entries = attributesOf(b.body).map((a) => ({ key: a.name, keySpan: spanOf(a.nameNode), value: evaluate(a.expr, scope, depth + 1), span: spanOf(a.node) }));
    if (b.labels[0]?.value === 'google_secret_manager_secret') {
      const id = entries.find((e) => e.key === 'secret_id');
      if (id) for (const alias of SECRET_ALIASES) entries.push({ ...id, key: alias });
    }
    return { kind: 'object', entries, span };
  };

  const base: Scope = (root, first, depth) => {
    if (first === undefined) return undefined;
    if (root === 'var') {
      const expr = variables.get(first);
      return expr ? lazily(`var.${first}`, () => evaluate(expr, base, depth)) : undefined;
    }
    if (root === 'local') {
      const expr = locals.get(first);
      return expr ? lazily(`local.${first}`, () => evaluate(expr, base, depth)) : undefined;
    }
    const res = resources.get(`${root}.${first}`);
    if (!res) return undefined;
    return lazily(`${root}.${first}`, () => {
      const span = spanOf(res.node);
      const each = instances(attribute(res.body, 'for_each')?.expr, base);
      if (!attribute(res.body, 'for_each')) return attributesObject(res, base, depth, span);
      if (!each) return undefined;
      return {
        kind: 'object',
        span,
        entries: each.filter((e) => e.key.kind === 'string').map((e) => ({
          key: (e.key as { value: string }).value, keySpan: e.key.span, span, value: attributesObject(res, withEach(e), depth, span),
        })),
      };
    });
  };

  const withEach = (each: EachBinding, name = 'each'): Scope => (root, first, depth) => {
    if (root !== name) return base(root, first, depth);
    if (first === 'key') return each.key;
    if (first === 'value') return each.value;
    return undefined;
  };

  const instances = (forEach: SyntaxNode | undefined, scope: Scope): EachBinding[] | undefined => {
    if (!forEach) return undefined;
    // `var.enabled ? local.services : {}`: the instances of either branch, each of which may be.
    const c = inner(forEach);
    if (c.type === 'conditional') {
      const branches = named(c).filter((k) => k.type === 'expression').slice(1);
      const all: EachBinding[] = [];
      for (const b of branches) {
        const each = instances(b, scope);
        if (!each) return undefined;
        all.push(...each);
      }
      return branches.length === 2 ? all : undefined;
    }
    const v = evaluate(forEach, scope);
    if (v.kind === 'object') {
      return v.entries.map((e) => ({ key: { kind: 'string', value: e.key, span: e.keySpan, exact: true }, value: e.value, span: e.span }));
    }
    if (v.kind === 'tuple') {
      // A set of strings (`toset([...])`): each key is the element itself.
      if (v.items.every((i) => i.kind === 'string')) return v.items.map((i) => ({ key: i, value: i, span: i.span }));
      return v.items.map((value, i) => ({ key: { kind: 'scalar', value: String(i), span: value.span }, value, span: value.span }));
    }
    return undefined;
  };

  return { base, withEach, instances };
}

/** The text of an expression as a reader sees it: a template without its quotes. */
export function sourceText(expr: SyntaxNode, v: HclValue): string {
  if (v.kind === 'unknown') return v.text;
  const quoted = expr.namedChild(0)?.type === 'template_expr' ? expr.namedChild(0)?.namedChild(0) : undefined;
  if (quoted?.type === 'quoted_template') return expr.text.slice(1, -1);
  return expr.text;
}

/** `var.x`, `local.x`, or a template of literal text and such references, as parts. */
export function templateParts(expr: SyntaxNode): TemplatePart[] | undefined {
  const refOf = (e: SyntaxNode): string | undefined => {
    const p = traversalPath(e);
    return p && (p.root === 'var' || p.root === 'local') && p.steps.length === 1 ? `${p.root}.${p.steps[0]}` : undefined;
  };
  const direct = refOf(expr);
  if (direct) return [{ ref: direct }];
  const tmpl = expr.namedChild(0);
  const quoted = tmpl?.type === 'template_expr' ? tmpl.namedChild(0) : undefined;
  if (quoted?.type !== 'quoted_template') return undefined;
  const parts: TemplatePart[] = [];
  for (let i = 0; i < quoted.namedChildCount; i++) {
    const part = quoted.namedChild(i)!;
    if (part.type === 'quoted_template_start' || part.type === 'quoted_template_end') continue;
    if (part.type === 'template_literal') {
      parts.push({ text: unescape(part.text) });
      continue;
    }
    const inner = part.type === 'template_interpolation' ? part.namedChildren.find((k) => k?.type === 'expression') : undefined;
    const ref = inner ? refOf(inner) : undefined;
    if (!ref) return undefined;
    parts.push({ ref });
  }
  return parts.some((p) => 'ref' in p) ? parts : undefined;
}

/**
 * An expression as a `Resolved`: a plain string literal is its own value (span = its content);
 * anything else keeps its source text, with the value when this file resolves it and its parts
 * when the model may resolve it from the module's other files.
 */
export function resolvedOf(expr: SyntaxNode | undefined, scope: Scope): Resolved | undefined {
  if (!expr) return undefined;
  const v = evaluate(expr, scope);
  if (v.kind === 'null') return undefined;
  const literal = expr.namedChild(0)?.type === 'literal_value';
  if (literal && (v.kind === 'string' || v.kind === 'scalar')) {
    return { value: v.value, text: v.value, span: v.kind === 'string' && v.exact ? v.span : spanOf(expr) };
  }
  const out: Resolved = { text: sourceText(expr, v), span: spanOf(expr) };
  if (v.kind === 'string' || v.kind === 'scalar') out.value = v.value;
  const parts = templateParts(expr);
  if (parts) out.parts = parts;
  return out;
}
