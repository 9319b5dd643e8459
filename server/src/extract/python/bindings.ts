/**
 * What a name holds, as far as one file tells: the class a type annotation names, the `self.x`
 * assignments of a class, the assignments of a function or of the module. Enum comparisons ask
 * which class a receiver is; database uses ask which variable flows into a URL. Indexed lazily
 * per class and per function, so files that never ask pay nothing.
 */
import type { Span } from '../../core/facts';
import { query } from '../../parsers/tree-sitter';
import { type Asg, type Ctx, type N, enclosing, field, plainString, span, src, unparen } from './walk';

/** Names around the class an annotation means (`Optional[X]`, `typing.Final[X]`, `X | None`);
 * `t` is the usual alias in `import typing as t`. */
const TYPE_WRAPPERS = new Set(['Optional', 'Union', 'Annotated', 'Final', 'ClassVar', 'typing', 'None', 't']);

/** The class a type annotation names, looking through Optional/Union/quotes. */
export function typeName(ctx: Ctx, n: N | null | undefined): { name: string; span: Span } | undefined {
  if (!n) return undefined;
  switch (n.type) {
    case 'type':
    case 'type_parameter':
    case 'parenthesized_expression': {
      for (const c of n.namedChildren) {
        const t = typeName(ctx, c);
        if (t) return t;
      }
      return undefined;
    }
    case 'identifier': {
      const name = src(ctx, n);
      return TYPE_WRAPPERS.has(name) ? undefined : { name, span: span(n) };
    }
    case 'attribute': {
      const a = field(n, 'attribute');
      if (!a) return undefined;
      const name = src(ctx, a);
      return TYPE_WRAPPERS.has(name) ? undefined : { name, span: span(a) };
    }
    case 'generic_type':
    case 'subscript': {
      const head = n.namedChild(0);
      if (!head) return undefined;
      const headName = head.type === 'attribute' ? src(ctx, field(head, 'attribute') ?? head) : src(ctx, head);
      if (!TYPE_WRAPPERS.has(headName)) return typeName(ctx, head);
      for (const c of n.namedChildren.slice(1)) {
        const t = typeName(ctx, c);
        if (t) return t;
      }
      return undefined;
    }
    case 'binary_operator': {
      return typeName(ctx, field(n, 'left')) ?? typeName(ctx, field(n, 'right'));
    }
    case 'string': {
      const s = plainString(ctx, n);
      if (!s) return undefined;
      const re = /[A-Za-z_][\w.]*/g;
      for (let m = re.exec(s.value); m; m = re.exec(s.value)) {
        const full = m[0];
        const last = full.slice(full.lastIndexOf('.') + 1);
        if (TYPE_WRAPPERS.has(last) || TYPE_WRAPPERS.has(full)) continue;
        const start = s.span.start + m.index + full.length - last.length;
        return { name: last, span: { start, end: start + last.length } };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `self.X = ...` / `self.X: T = ...` in a class, by attribute name (computed once per class). */
export function selfAttrs(ctx: Ctx, cls: N): Map<string, { annot?: N; rights: N[] }> {
  let map = ctx.selfAttrs.get(cls.id);
  if (map) return map;
  map = new Map();
  const q = query('python', '(assignment left: (attribute object: (identifier) @o attribute: (identifier) @a) (#eq? @o "self")) @asg');
  for (const match of q.matches(cls)) {
    let asg: N | undefined;
    let a: N | undefined;
    for (const c of match.captures) {
      if (c.name === 'asg') asg = c.node;
      else if (c.name === 'a') a = c.node;
    }
    if (!asg || !a) continue;
    // In a nested class, `self` is another object.
    if (enclosing(asg, ['class_definition'])?.id !== cls.id) continue;
    const key = src(ctx, a);
    let e = map.get(key);
    if (!e) map.set(key, (e = { rights: [] }));
    const t = field(asg, 'type');
    if (t && !e.annot) e.annot = t;
    const r = field(asg, 'right');
    if (r) e.rights.push(r);
  }
  ctx.selfAttrs.set(cls.id, map);
  return map;
}

/** `self._x = state` where `state: SomeEnum` is a parameter of the enclosing function: SomeEnum. */
export function annotatedParamType(ctx: Ctx, r0: N): string | undefined {
  const r = unparen(r0);
  if (r.type !== 'identifier') return undefined;
  const fn = enclosing(r, ['function_definition', 'lambda']);
  if (fn?.type !== 'function_definition') return undefined;
  return paramType(ctx, fn, src(ctx, r)) ?? undefined;
}

/** The class annotating parameter `name` of `fn` (undefined when the annotation names none), or
 * null when no annotated parameter has that name: a parameter shadows every outer binding. */
export function paramType(ctx: Ctx, fn: N, name: string): string | undefined | null {
  for (const p of field(fn, 'parameters')?.namedChildren ?? []) {
    if (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') continue;
    const pn = p.type === 'typed_default_parameter' ? field(p, 'name') : p.namedChildren.find((c) => c.type === 'identifier');
    if (pn && src(ctx, pn) === name) return typeName(ctx, field(p, 'type'))?.name;
  }
  return null;
}

/** The class of a value built in place (`Foo(...)`, `mod.Foo(...)`). Only CamelCase names count,
 * as a call of `build_x()` or `CONSTANT()` says nothing about a class. */
export function constructedClass(ctx: Ctx, n0: N): string | undefined {
  const n = unparen(n0);
  if (n.type !== 'call') return undefined;
  const f = field(n, 'function');
  if (!f) return undefined;
  const name = f.type === 'identifier' ? src(ctx, f) : f.type === 'attribute' ? src(ctx, field(f, 'attribute') ?? f) : '';
  return /^[A-Z][A-Za-z0-9_]*[a-z][A-Za-z0-9_]*$/.test(name) ? name : undefined;
}

/** Assignments to `key` in a function (nested functions excluded), or at the module's top level
 * (`fn` null). Indexed once per scope. */
export function assignmentsTo(ctx: Ctx, fn: N | null, key: string): Asg[] {
  const id = fn ? fn.id : -1;
  let map = ctx.asgs.get(id);
  if (!map) {
    map = new Map();
    const body = fn ? field(fn, 'body') : null;
    const list = fn ? (body ? functionAssignments(fn, body) : []) : moduleAssignments(ctx.root);
    for (const a of list) {
      const k = src(ctx, a.left);
      let l = map.get(k);
      if (!l) map.set(k, (l = []));
      l.push(a);
    }
    ctx.asgs.set(id, map);
  }
  return map.get(key) ?? [];
}

/** The module's top-level assignments, also under `if` / `try` (`try: X = ... except: X = ...`),
 * two deep (a settings module's `elif project_id:` then `try: payload = …`). */
function moduleAssignments(root: N): Asg[] {
  const out: Asg[] = [];
  const visit = (stmts: N[], depth: number): void => {
    for (const s of stmts) {
      if (s.type === 'expression_statement') {
        const a = s.namedChild(0);
        if (a?.type === 'assignment') {
          const left = field(a, 'left');
          if (left) out.push({ node: a, left, right: field(a, 'right'), type: field(a, 'type') });
        }
      } else if (depth < 2 && (s.type === 'if_statement' || s.type === 'try_statement')) {
        visit(s.namedChildren, depth + 1);
      } else if (['block', 'else_clause', 'except_clause', 'elif_clause', 'finally_clause'].includes(s.type)) {
        // A clause and its block are the statement's own level: `elif` as deep as `if`.
        visit(s.namedChildren, depth);
      }
    }
  };
  visit(root.namedChildren, 0);
  return out;
}

/** The assignments of `fn` itself: a nested function or class binds its own names. */
function functionAssignments(fn: N, body: N): Asg[] {
  const out: Asg[] = [];
  const q = query('python', '(assignment left: (_) @l) @asg');
  for (const match of q.matches(body)) {
    const asg = match.captures.find((c) => c.name === 'asg')?.node;
    if (!asg) continue;
    if (enclosing(asg, ['function_definition', 'class_definition'])?.id !== fn.id) continue;
    const left = field(asg, 'left');
    if (left) out.push({ node: asg, left, right: field(asg, 'right'), type: field(asg, 'type') });
  }
  return out;
}
