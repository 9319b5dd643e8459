/**
 * Enums, state accessors (`state` / `status` properties and getters) and comparisons of a state
 * property with enum members: getter-enum-mismatch looks for a state holding one enum compared
 * with, or declared as, a parallel one.
 */
import type { AccessorFact, Span } from '../../core/facts';
import { type Ctx, type N, enclosing, field, isNone, nodeAt, plainString, span, src, unparen, upParens } from './walk';
import { annotatedParamType, assignmentsTo, constructedClass, paramType, selfAttrs, typeName } from './bindings';

/** Words that send a file to the parser for its enums and state accessors (`.state` / `.status`
 * need a closer look: see the prefilter). */
export const ENUM_WORDS = ['Enum', 'state(', 'status('];
/** Names of properties whose values are compared with enum members: `state`, `order_status`,
 * `tripState`. */
export const STATE_NAME = /(?:^|_)(?:state|status)$|[a-z](?:State|Status)$/;
/** Without `@property`, a method is a state accessor only when named like a getter. */
export const GETTER_NAME = /^_*get_?\w*(?:state|status|State|Status)$/;
const ENUM_BASES = new Set(['Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag']);

/** `<expr>.state <op> ...`: located from the state attribute, as the enum side can be any
 * expression. */
export function locateStateComparisons(ctx: Ctx): N[] {
  const out: N[] = [];
  const { text } = ctx;
  if (/state|status/i.test(text)) {
    const seenCmp = new Set<number>();
    const stRe = /\.\s*(\w*(?:state|status|State|Status))\b/g;
    for (let m = stRe.exec(text); m; m = stRe.exec(text)) {
      if (!STATE_NAME.test(m[1]!)) continue;
      const at = m.index + m[0].length - m[1]!.length;
      const id = nodeAt(ctx, at, at + m[1]!.length);
      const attr = id?.parent;
      if (!id || id.type !== 'identifier' || attr?.type !== 'attribute' || field(attr, 'attribute')?.id !== id.id) continue;
      const { parent } = upParens(attr);
      if (parent?.type === 'comparison_operator' && !seenCmp.has(parent.id)) {
        seenCmp.add(parent.id);
        out.push(parent);
      }
    }
  }
  return out;
}

/** Every class, for enums and state accessors, when the file mentions `Enum`, `state` or `status`
 * (so an enum based on `Flag` alone, in a file without those words, is not seen). */
export function locateClasses(ctx: Ctx): N[] {
  const out: N[] = [];
  const { text } = ctx;
  if (text.includes('Enum') || /state|status/i.test(text)) {
    const clsRe = /\bclass\s+[A-Za-z_]/g;
    for (let m = clsRe.exec(text); m; m = clsRe.exec(text)) {
      const kw = nodeAt(ctx, m.index, m.index + 5);
      const cls = kw?.type === 'class' ? kw.parent : null;
      if (cls?.type === 'class_definition') out.push(cls);
    }
  }
  return out;
}

function classBases(ctx: Ctx, cls: N): string[] {
  const sup = field(cls, 'superclasses');
  if (!sup) return [];
  const out: string[] = [];
  for (const c of sup.namedChildren) {
    if (c.type === 'identifier') out.push(src(ctx, c));
    else if (c.type === 'attribute') out.push(src(ctx, field(c, 'attribute') ?? c));
  }
  return out;
}

/** Enums come first: `ctx.enumNames` tells later steps that `X.MEMBER` is a member. Private
 * names are not members. */
export function collectEnums(ctx: Ctx, classes: N[]): void {
  for (const cls of classes) {
    if (!classBases(ctx, cls).some((b) => ENUM_BASES.has(b))) continue;
    const nameNode = field(cls, 'name');
    const body = field(cls, 'body');
    if (!nameNode || !body) continue;
    const members: { name: string; value?: string; span: Span }[] = [];
    for (const stmt of body.namedChildren) {
      if (stmt.type !== 'expression_statement') continue;
      const asg = stmt.namedChild(0);
      if (!asg || asg.type !== 'assignment') continue;
      const left = field(asg, 'left');
      const right = field(asg, 'right');
      if (!left || left.type !== 'identifier' || !right) continue;
      const name = src(ctx, left);
      if (name.startsWith('_')) continue;
      const str = plainString(ctx, right);
      members.push({ name, value: str ? str.value : src(ctx, right), span: span(left) });
    }
    const name = src(ctx, nameNode);
    ctx.enumNames.add(name);
    ctx.facts.enums.push({ name, span: span(nameNode), members });
  }
}

/** `SomeEnum.MEMBER` (or `mod.SomeEnum.MEMBER`): the enum and member, when evident, that is when
 * the enum is declared here or the shape is CamelCase.UPPER_CASE (an enum from another file). */
function enumMember(ctx: Ctx, n0: N): { enumName: string; member: string } | undefined {
  const n = unparen(n0);
  if (n.type !== 'attribute') return undefined;
  const obj = field(n, 'object');
  const attr = field(n, 'attribute');
  if (!obj || !attr) return undefined;
  const enumName = obj.type === 'identifier' ? src(ctx, obj) : obj.type === 'attribute' ? src(ctx, field(obj, 'attribute') ?? obj) : '';
  const member = src(ctx, attr);
  if (!enumName) return undefined;
  if (ctx.enumNames.has(enumName)) return { enumName, member };
  if (/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(enumName) && /^[A-Z][A-Z0-9_]*$/.test(member)) return { enumName, member };
  return undefined;
}

/** The enum a value belongs to: a member, or a conversion (`SomeEnum(value)`) of an enum declared here. */
function enumOfExpr(ctx: Ctx, n0: N): string | undefined {
  const n = unparen(n0);
  const m = enumMember(ctx, n);
  if (m) return m.enumName;
  if (n.type === 'call') {
    const f = field(n, 'function');
    if (f?.type === 'identifier' && ctx.enumNames.has(src(ctx, f))) return src(ctx, f);
  }
  return undefined;
}

/**
 * A conversion through a mapping (`{Unified.CLOSED: CircuitState.CLOSED, …}.get(self._state,
 * CircuitState.CLOSED)`, `_TO_LEGACY[self._state]`): the one enum every value of the dict (and the
 * `.get` default) belongs to. The dict is written inline, or bound to a local of the getter, a
 * module constant or a class attribute (`self._MAP`, `Breaker._MAP`).
 */
function enumOfMapping(ctx: Ctx, expr: N, fn: N, cls: N): string | undefined {
  const e = unparen(expr);
  let dictExpr: N | null = null;
  const extra: N[] = [];
  if (e.type === 'call') {
    const f = field(e, 'function');
    if (f?.type !== 'attribute' || src(ctx, field(f, 'attribute') ?? f) !== 'get') return undefined;
    dictExpr = field(f, 'object');
    const args = field(e, 'arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    if (args[1]) extra.push(args[1]);
  } else if (e.type === 'subscript') {
    dictExpr = field(e, 'value');
  }
  const dict = dictExpr ? dictionaryOf(ctx, dictExpr, fn, cls) : undefined;
  if (!dict) return undefined;
  const values = [...dict.namedChildren.filter((c) => c.type === 'pair').map((p) => field(p, 'value')), ...extra];
  let found: string | undefined;
  for (const v of values) {
    if (!v || isNone(v)) continue;
    const en = enumOfExpr(ctx, v);
    if (!en || (found && found !== en)) return undefined;
    found = en;
  }
  return found;
}

/** The dictionary literal a name stands for: inline, the getter's local, a module constant or a
 * class attribute. */
function dictionaryOf(ctx: Ctx, n0: N, fn: N, cls: N): N | undefined {
  const n = unparen(n0);
  if (n.type === 'dictionary') return n;
  let rights: (N | null)[] = [];
  if (n.type === 'identifier') {
    const key = src(ctx, n);
    rights = assignmentsTo(ctx, fn, key).map((a) => a.right);
    if (!rights.length) rights = assignmentsTo(ctx, null, key).map((a) => a.right);
  } else if (n.type === 'attribute') {
    const obj = field(n, 'object');
    const attr = field(n, 'attribute');
    const clsName = field(cls, 'name');
    if (!obj || !attr || !(src(ctx, obj) === 'self' || (clsName && src(ctx, obj) === src(ctx, clsName)))) return undefined;
    const name = src(ctx, attr);
    for (const stmt of field(cls, 'body')?.namedChildren ?? []) {
      const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
      if (a?.type === 'assignment' && src(ctx, field(a, 'left') ?? a) === name) rights.push(field(a, 'right'));
    }
  }
  const dicts = rights.filter((r): r is N => !!r && unparen(r).type === 'dictionary');
  return dicts.length === 1 && dicts.length === rights.length ? unparen(dicts[0]!) : undefined;
}

/** The enum `self.<attr>` holds: its annotation, or the one enum every assignment gives it (two
 * different ones say nothing). `None` is the usual not-yet-set value, not a type. */
function enumOfSelfAttr(ctx: Ctx, cls: N, attr: string): string | undefined {
  const e = selfAttrs(ctx, cls).get(attr);
  if (!e) return undefined;
  if (e.annot) {
    const t = typeName(ctx, e.annot);
    if (t) return t.name;
  }
  let found: string | undefined;
  for (const r of e.rights) {
    if (isNone(r)) continue;
    const en = enumOfExpr(ctx, r) ?? annotatedParamType(ctx, r);
    if (!en || (found && found !== en)) return undefined;
    found = en;
  }
  return found;
}

/** The class of `self.<attr>`: its annotation, or the first class constructed into it. */
function classOfSelfAttr(ctx: Ctx, cls: N, attr: string): string | undefined {
  const e = selfAttrs(ctx, cls).get(attr);
  if (!e) return undefined;
  if (e.annot) {
    const t = typeName(ctx, e.annot);
    if (t) return t.name;
  }
  for (const r of e.rights) {
    const c = constructedClass(ctx, r);
    if (c) return c;
  }
  return undefined;
}

/** State properties and getters with what each `return` yields: the rule compares the declared
 * type with the enums actually returned. Setters and deleters return nothing to compare. */
export function collectAccessors(ctx: Ctx, classes: N[]): void {
  for (const cls of classes) {
    const clsName = field(cls, 'name');
    const body = field(cls, 'body');
    if (!clsName || !body) continue;
    for (const stmt of body.namedChildren) {
      let fn: N | null = null;
      let decorators: string[] = [];
      if (stmt.type === 'function_definition') fn = stmt;
      else if (stmt.type === 'decorated_definition') {
        fn = field(stmt, 'definition');
        decorators = stmt.namedChildren.filter((c) => c.type === 'decorator').map((d) => src(ctx, d).replace(/\s+/g, ''));
      }
      if (!fn || fn.type !== 'function_definition') continue;
      const nameNode = field(fn, 'name');
      if (!nameNode) continue;
      const name = src(ctx, nameNode);
      if (!STATE_NAME.test(name)) continue;
      if (decorators.some((d) => /\.(setter|deleter)$/.test(d))) continue;
      const isProperty = decorators.some((d) => /^@(?:[\w.]*\.)?(?:property|cached_property)$/.test(d));
      if (!isProperty && !GETTER_NAME.test(name)) continue;
      const fact: AccessorFact = { className: src(ctx, clsName), name, span: span(nameNode), returns: [] };
      const declared = typeName(ctx, field(fn, 'return_type'));
      if (declared) fact.declaredType = declared;
      for (const ret of fn.descendantsOfType('return_statement')) {
        if (!ret || enclosing(ret, ['function_definition', 'lambda'])?.id !== fn.id) continue;
        const expr = ret.namedChildren.find((c) => c.type !== 'comment');
        if (!expr) continue;
        const r: AccessorFact['returns'][number] = { span: span(expr), text: src(ctx, expr) };
        let en = enumOfExpr(ctx, expr);
        if (!en) {
          const e = unparen(expr);
          const obj = field(e, 'object');
          const attr = field(e, 'attribute');
          if (e.type === 'attribute' && obj?.type === 'identifier' && src(ctx, obj) === 'self' && attr) {
            en = enumOfSelfAttr(ctx, cls, src(ctx, attr));
          }
        }
        en ??= enumOfMapping(ctx, expr, fn, cls);
        if (en) r.enumName = en;
        fact.returns.push(r);
      }
      ctx.facts.accessors.push(fact);
    }
  }
}

/** One fact per enum member compared with a state property (`in` tuples give several); the
 * receiver's class, when evident, lets the rule pick the accessor of that class. */
export function collectComparisons(ctx: Ctx, cmps: N[]): void {
  for (const cmp of cmps) {
    if (cmp.namedChildCount !== 2) continue;
    const op = cmp.child(1)?.type;
    if (!op || !['==', '!=', 'is', 'is not', 'in', 'not in'].includes(op)) continue;
    const a = cmp.namedChild(0);
    const b = cmp.namedChild(1);
    if (!a || !b) continue;
    const isState = (n: N): boolean => {
      const u = unparen(n);
      const attr = field(u, 'attribute');
      return u.type === 'attribute' && !!attr && STATE_NAME.test(src(ctx, attr));
    };
    let prop: N;
    let other: N;
    if (isState(a)) {
      prop = unparen(a);
      other = b;
    } else if (isState(b) && op !== 'in' && op !== 'not in') {
      prop = unparen(b);
      other = a;
    } else continue;
    const members: N[] = [];
    const o = unparen(other);
    if (op === 'in' || op === 'not in') {
      if (o.type !== 'tuple' && o.type !== 'list' && o.type !== 'set') continue;
      for (const c of o.namedChildren) if (c.type !== 'comment') members.push(c);
    } else members.push(o);
    const attr = field(prop, 'attribute');
    const recv = field(prop, 'object');
    if (!attr || !recv) continue;
    // Resolving the receiver may index a scope: only once, and only for a comparison with a member.
    let receiverClass: string | undefined;
    let receiverBases: string[] | undefined;
    let receiverDone = false;
    for (const m of members) {
      const em = enumMember(ctx, m);
      if (!em) continue;
      if (!receiverDone) {
        receiverClass = receiverClassOf(ctx, recv);
        // `self.state` in a subclass whose accessor is its base's (maybe in another file).
        const u = unparen(recv);
        if (u.type === 'identifier' && src(ctx, u) === 'self') {
          const cls = enclosing(u, ['class_definition']);
          if (cls) receiverBases = classBases(ctx, cls).filter((b) => b !== 'object');
        }
        receiverDone = true;
      }
      ctx.facts.comparisons.push({
        property: src(ctx, attr),
        ...(receiverClass ? { receiverClass } : {}),
        ...(receiverBases?.length ? { receiverBases } : {}),
        enumName: em.enumName,
        member: em.member,
        span: span(cmp),
        enumSpan: span(unparen(m)),
      });
    }
  }
}

/** The class of a comparison's receiver: `self`, an annotated parameter, a local or module
 * variable annotated or constructed, `self.x`, or `Foo(...)` itself. */
function receiverClassOf(ctx: Ctx, recv0: N): string | undefined {
  const recv = unparen(recv0);
  if (recv.type === 'identifier') {
    const name = src(ctx, recv);
    if (name === 'self') {
      const cls = enclosing(recv, ['class_definition']);
      const n = field(cls, 'name');
      return n ? src(ctx, n) : undefined;
    }
    const fn = enclosing(recv, ['function_definition']);
    if (fn) {
      const t = paramType(ctx, fn, name);
      if (t !== null) return t;
    }
    for (const asg of assignmentsTo(ctx, fn, name)) {
      const t = asg.type ? typeName(ctx, asg.type) : undefined;
      if (t) return t.name;
      const c = asg.right ? constructedClass(ctx, asg.right) : undefined;
      if (c) return c;
    }
    return undefined;
  }
  if (recv.type === 'attribute') {
    const obj = field(recv, 'object');
    const attr = field(recv, 'attribute');
    if (obj?.type === 'identifier' && src(ctx, obj) === 'self' && attr) {
      const cls = enclosing(recv, ['class_definition']);
      return cls ? classOfSelfAttr(ctx, cls, src(ctx, attr)) : undefined;
    }
    return undefined;
  }
  if (recv.type === 'call') return constructedClass(ctx, recv);
  return undefined;
}
