/**
 * Enums, state accessors and enum comparisons, for getter-enum-mismatch: `enum E {...}` and
 * enum-like objects (`as const`, `Object.freeze`); class members named like a state (`state`,
 * `status`, `circuitState`) with what they return; comparisons of a state member with an enum
 * member (`x.state === E.M`, `switch (x.status) { case E.M: }`) with the receiver's class when
 * the syntax shows it (`this`, a typed parameter, `new C()`, a typed field).
 *
 * EnumFact.span and member spans are the name identifiers. EnumComparisonFact.span is the
 * `a === b` expression (for `switch`, `case E.M`); enumSpan is the whole `E.M` reference (a fix
 * that switches enums rewrites it).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { AccessorFact, EnumComparisonFact, EnumFact } from '../../core/facts';
import type { ClassInfo, Ctx, Source } from './context';
import { climb, collectReturns, isEquality, isStringLike, isWrapper, propName, strip } from './syntax';

const STATE_NAME = /^(state|status)$|[a-z0-9_](State|Status)$/;

export class Enums {
  /** The classes of the file, for their state members. */
  private readonly classes: ClassInfo[] = [];
  /** Equality comparisons and enum cases, kept until the walk has seen every class and local (they place receivers). */
  private readonly comparisons: { node: ts.Node; left: ts.Expression; right: ts.Expression; ctx: Ctx }[] = [];
  /** The classes each local or parameter name is given (`b: Breaker`, `const b = new Breaker()`). */
  private readonly varClass = new Map<string, Set<string>>();

  constructor(private readonly src: Source) {}

  /** `x.state === E.M` (kept for after the walk); `this.f = v` inside a class (a field's value). */
  binary(n: ts.BinaryExpression, ctx: Ctx): void {
    const op = n.operatorToken.kind;
    if (isEquality(op)) {
      this.comparisons.push({ node: n, left: n.left, right: n.right, ctx });
      return;
    }
    if (op === ts.SyntaxKind.EqualsToken && ctx.cls) {
      const left = strip(n.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
        this.noteField(ctx.cls, left.name.text, undefined, n.right);
      }
    }
  }

  /** `switch (x.state) { case E.M: ... }`: each enum case is a comparison. */
  switchStatement(n: ts.SwitchStatement, ctx: Ctx): void {
    const subject = strip(n.expression);
    if (this.stateMember(subject) === undefined) return;
    for (const clause of n.caseBlock.clauses) {
      if (ts.isCaseClause(clause) && enumRef(clause.expression)) {
        this.comparisons.push({ node: clause, left: subject, right: clause.expression, ctx });
      }
    }
  }

  /** A local's class (`b: Breaker`, `= new Breaker()`); a PascalCase enum-like object. */
  declaration(n: ts.VariableDeclaration): void {
    if (!ts.isIdentifier(n.name)) return;
    const name = n.name.text;
    this.noteVarClass(name, typeRefName(n.type)?.name ?? newClassName(n.initializer));
    if (n.initializer && /^[A-Z]/.test(name)) this.enumLikeObject(n, name);
  }

  parameter(n: ts.ParameterDeclaration): void {
    if (ts.isIdentifier(n.name)) this.noteVarClass(n.name.text, typeRefName(n.type)?.name);
  }

  /** What the walk carries into a class: its name and fields. */
  classDeclaration(node: ts.ClassLikeDeclaration, parent: ClassInfo | undefined): ClassInfo {
    let name = node.name?.text;
    if (!name && ts.isVariableDeclaration(climb(node).parent) && ts.isIdentifier((climb(node).parent as ts.VariableDeclaration).name)) {
      name = ((climb(node).parent as ts.VariableDeclaration).name as ts.Identifier).text;
    }
    const info: ClassInfo = { node, fields: new Map(), ...(name ? { name } : {}), ...(parent ? { parent } : {}) };
    for (const m of node.members) {
      if (ts.isPropertyDeclaration(m)) {
        const key = propName(m.name);
        if (key) this.noteField(info, key, typeRefName(m.type)?.name, m.initializer);
      } else if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          if (ts.isIdentifier(p.name) && ts.getModifiers(p)?.length) this.noteField(info, p.name.text, typeRefName(p.type)?.name, undefined);
        }
      }
    }
    this.classes.push(info);
    return info;
  }

  /** `enum E { A, B = 'b' }`: members with their values where the syntax gives them. */
  enumDeclaration(n: ts.EnumDeclaration): void {
    const fact: EnumFact = { name: n.name.text, span: this.src.span(n.name), members: [] };
    let next: number | undefined = 0;
    for (const m of n.members) {
      const name = propName(m.name);
      if (name === undefined) continue;
      let value: string | undefined;
      const init = m.initializer ? strip(m.initializer) : undefined;
      if (!init) {
        value = next === undefined ? undefined : String(next);
      } else if (isStringLike(init)) {
        value = init.text;
      } else {
        value = this.src.textOf(init);
      }
      next = !init ? (next === undefined ? undefined : next + 1)
        : ts.isNumericLiteral(init) ? Number(init.text) + 1 : undefined;
      const nameSpan = ts.isStringLiteral(m.name) ? this.src.contentSpan(m.name) : this.src.span(m.name);
      fact.members.push(value === undefined ? { name, span: nameSpan } : { name, value, span: nameSpan });
    }
    this.src.facts.enums.push(fact);
  }

  finish(): void {
    this.finishAccessors();
    this.finishComparisons();
  }

  private noteField(cls: ClassInfo, name: string, typeName: string | undefined, value: ts.Expression | undefined): void {
    let f = cls.fields.get(name);
    if (!f) cls.fields.set(name, (f = { enumCandidates: [], classCandidates: [], values: [] }));
    if (typeName && !f.typeName) f.typeName = typeName;
    if (value) {
      f.values.push(value);
      const ref = enumRef(value);
      if (ref) f.enumCandidates.push(ref.enumName);
      const c = newClassName(value);
      if (c) f.classCandidates.push(c);
    }
  }

  /** Every declaration of a name counts, the untyped ones as "unknown" (`''`): the same name is
   * another variable in another function (`(s) => s.status` beside a method's `s: Semester`). */
  private noteVarClass(name: string, cls: string | undefined): void {
    let set = this.varClass.get(name);
    if (!set) this.varClass.set(name, (set = new Set()));
    set.add(cls ?? '');
  }

  /** The enum an expression evidently holds: `E.M`, `this._state` whose field is typed or assigned `E`. */
  private evidentEnum(e: ts.Expression, cls: ClassInfo): string | undefined {
    const s = strip(e);
    if (ts.isConditionalExpression(s)) {
      const a = this.evidentEnum(s.whenTrue, cls);
      return a && a === this.evidentEnum(s.whenFalse, cls) ? a : undefined;
    }
    if ((ts.isPropertyAccessExpression(s) || ts.isElementAccessExpression(s)) && s.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const key = ts.isPropertyAccessExpression(s) ? s.name.text : isStringLike(s.argumentExpression) ? s.argumentExpression.text : undefined;
      const f = key ? cls.fields.get(key) : undefined;
      if (!f) return undefined;
      return f.typeName ?? unique(f.enumCandidates);
    }
    return enumRef(s)?.enumName;
  }

  /** Members of named classes named like a state, with what they return. */
  private finishAccessors(): void {
    for (const cls of this.classes) {
      if (!cls.name) continue;
      for (const m of cls.node.members) {
        if (!(ts.isGetAccessorDeclaration(m) || ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m))) continue;
        const name = propName(m.name);
        if (!name || !STATE_NAME.test(name)) continue;
        if (ts.isMethodDeclaration(m) && /^(set|update)[A-Z]/.test(name)) continue;
        const fact: AccessorFact = { className: cls.name, name, span: this.src.span(m.name), returns: [] };
        const declared = typeRefName(m.type);
        if (declared) fact.declaredType = { name: declared.name, span: this.src.span(declared.node) };
        const values: ts.Expression[] = [];
        if (ts.isPropertyDeclaration(m)) {
          values.push(...(cls.fields.get(name)?.values ?? []));
        } else if (m.body) {
          collectReturns(m.body, values);
        }
        for (const v of values) {
          const span = this.src.span(v);
          const ret: AccessorFact['returns'][number] = { span, text: this.src.text.slice(span.start, span.end) };
          const enumName = this.evidentEnum(v, cls);
          if (enumName) ret.enumName = enumName;
          fact.returns.push(ret);
        }
        this.src.facts.accessors.push(fact);
      }
    }
  }

  /** `x.state` / `x.getState()`: the property and its receiver. */
  private stateMember(e: ts.Expression): { property: string; receiver: ts.Expression } | undefined {
    let s = strip(e);
    if (ts.isCallExpression(s) && s.arguments.length === 0) s = strip(s.expression);
    if (ts.isPropertyAccessExpression(s) && !ts.isPrivateIdentifier(s.name) && STATE_NAME.test(s.name.text)) {
      return { property: s.name.text, receiver: s.expression };
    }
    return undefined;
  }

  /** The class of a comparison's receiver when the syntax shows it: `this`, a local or parameter given one class, a typed or `new`-initialized field. */
  private receiverClass(r: ts.Expression, cls: ClassInfo | undefined): string | undefined {
    const s = strip(r);
    if (s.kind === ts.SyntaxKind.ThisKeyword) return cls?.name;
    if (ts.isIdentifier(s)) {
      const set = this.varClass.get(s.text);
      return set && set.size === 1 ? [...set][0] || undefined : undefined;
    }
    if (ts.isPropertyAccessExpression(s) && s.expression.kind === ts.SyntaxKind.ThisKeyword && cls) {
      const f = cls.fields.get(s.name.text);
      return f ? f.typeName ?? unique(f.classCandidates) : undefined;
    }
    return undefined;
  }

  private finishComparisons(): void {
    for (const { node, left, right, ctx } of this.comparisons) {
      let member = this.stateMember(left);
      let ref = enumRef(right);
      if (!member || !ref) {
        member = this.stateMember(right);
        ref = enumRef(left);
      }
      if (!member || !ref) continue;
      const span = ts.isCaseClause(node)
        ? { start: node.getStart(this.src.sf), end: node.expression.getEnd() }
        : this.src.span(node);
      const fact: EnumComparisonFact = {
        property: member.property,
        enumName: ref.enumName,
        member: ref.member,
        span,
        enumSpan: this.src.span(ref.node),
      };
      const rc = this.receiverClass(member.receiver, ctx.cls);
      if (rc) fact.receiverClass = rc;
      this.src.facts.comparisons.push(fact);
    }
    this.src.facts.comparisons.sort((a, b) => a.span.start - b.span.start);
  }

  /** `const State = { OPEN: 'open', ... } as const` or `Object.freeze({...})`: an enum in all but name. */
  private enumLikeObject(n: ts.VariableDeclaration, name: string): void {
    if (!n.initializer) return;
    let e: ts.Expression = n.initializer;
    let marked = false;
    while (isWrapper(e)) {
      if (ts.isAsExpression(e) && ts.isTypeReferenceNode(e.type) && e.type.typeName.getText() === 'const') marked = true;
      e = e.expression;
    }
    if (ts.isCallExpression(e) && e.arguments.length === 1 && e.expression.getText(this.src.sf) === 'Object.freeze') {
      marked = true;
      e = strip(e.arguments[0]);
    }
    if (!marked || !ts.isObjectLiteralExpression(e) || !e.properties.length) return;
    const fact: EnumFact = { name, span: this.src.span(n.name), members: [] };
    for (const p of e.properties) {
      if (!ts.isPropertyAssignment(p)) return;
      const key = propName(p.name);
      const v = strip(p.initializer);
      if (key === undefined || !(isStringLike(v) || ts.isNumericLiteral(v))) return;
      const nameSpan = ts.isStringLiteral(p.name) ? this.src.contentSpan(p.name) : this.src.span(p.name);
      fact.members.push({ name: key, value: v.text, span: nameSpan });
    }
    this.src.facts.enums.push(fact);
  }
}

/** `E.M` with a PascalCase `E` (or `A.E.M`): an enum member reference. */
function enumRef(e: ts.Expression): { enumName: string; member: string; node: ts.Expression } | undefined {
  const s = strip(e);
  if (ts.isPropertyAccessExpression(s) && !ts.isPrivateIdentifier(s.name)) {
    const owner = strip(s.expression);
    const name = ownerName(owner);
    if (name) return { enumName: name, member: s.name.text, node: s };
  }
  if (ts.isElementAccessExpression(s) && isStringLike(s.argumentExpression)) {
    const name = ownerName(strip(s.expression));
    if (name) return { enumName: name, member: s.argumentExpression.text, node: s };
  }
  return undefined;
}

function ownerName(o: ts.Expression): string | undefined {
  if (ts.isIdentifier(o)) return /^[A-Z]/.test(o.text) ? o.text : undefined;
  if (ts.isPropertyAccessExpression(o) && ts.isIdentifier(o.name) && /^[A-Z]/.test(o.name.text)) {
    const head = ownerName(o.expression) ?? (ts.isIdentifier(o.expression) ? o.expression.text : undefined);
    return head ? `${head}.${o.name.text}` : undefined;
  }
  return undefined;
}

/** The class-like type a type annotation names (`C`, `C | undefined`), not primitives or generics' arguments. */
function typeRefName(t: ts.TypeNode | undefined): { name: string; node: ts.Node } | undefined {
  if (!t) return undefined;
  if (ts.isTypeReferenceNode(t)) return { name: t.typeName.getText(), node: t.typeName };
  if (ts.isParenthesizedTypeNode(t)) return typeRefName(t.type);
  if (ts.isUnionTypeNode(t)) {
    const refs = t.types.filter((m) => !(m.kind === ts.SyntaxKind.UndefinedKeyword ||
      (ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword)));
    return refs.length === 1 ? typeRefName(refs[0]) : undefined;
  }
  return undefined;
}

/** `new C()` / `await new C()` / `new ns.C()`: `C`. */
function newClassName(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  let s = strip(e);
  if (ts.isAwaitExpression(s)) s = strip(s.expression);
  if (ts.isNewExpression(s)) {
    const c = strip(s.expression);
    if (ts.isIdentifier(c)) return c.text;
    if (ts.isPropertyAccessExpression(c)) return c.name.text;
  }
  return undefined;
}

/** The value when all are the same (and there is at least one). */
function unique(values: string[]): string | undefined {
  const set = new Set(values);
  return set.size === 1 ? values[0] : undefined;
}
