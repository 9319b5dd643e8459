/**
 * Which parameters of a file's exported functions cope with an undefined value, for reads other
 * files pass to them (`EnvRead.passedTo`, joined in model/passed-reads.ts):
 * - declared optional: `p?: T`, a default `p = v`, a type that takes it (`p: string | undefined`,
 *   `| null`), a property `{ a?: T }` of the parameter's type
 *   literal (inline, or a same-file interface / type alias it names), a destructured `{ a = v }`;
 * - handled in the body, as absence.ts judges a read: `p || d`, `opts.a ?? d`, `if (p)`,
 *   `const { a = d } = opts`, a destructured or bound property tested or given a fallback — and
 *   no use that fails without it.
 *
 * Exported: `export function f`, `export const f = (…) => …` (or a function expression),
 * `export default function`, `export { f, g as h }` of such top-level functions. Class methods are
 * followed only for values passed within the file (`this.normalize(process.env.X)`). Syntax only
 * (no type checker).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { OptionalParam } from '../../core/facts';
import { acceptsUndefined, climb, nestedConstFunctions, ownMethods, propName, strip, topLevelFunctions } from './syntax';
import { isConversion } from './absence';

/** What absence.ts answers about values. */
export interface ValueHandling {
  /** `nan`: the value is a number that is NaN when the variable is unset. */
  handling(node: ts.Node, nan?: boolean): 'copes' | 'fails' | undefined;
  usesOf(sf: ts.SourceFile, locals: ts.Identifier[]): Map<ts.Identifier, ts.Identifier[]>;
}

type Fn = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

/** A parameter (or a property of one) and what its uses said. */
interface Slot {
  name: string;
  arg: number;
  property?: string;
  copes: boolean;
  fails: boolean;
}

/** @param own the file's own top-level functions by local name (for values passed within the
 * file) rather than its exported ones by exported name. */
export function optionalParams(sf: ts.SourceFile, values: ValueHandling, own = false): OptionalParam[] | undefined {
  const exported: { name: string; fn: Fn }[] = own ? [...topLevelFunctions(sf), ...nestedConstFunctions(sf), ...ownMethods(sf)] : exportedFunctions(sf);
  if (!exported.length) return undefined;
  const slots = new Map<string, Slot>();
  const slot = (name: string, arg: number, property?: string): Slot => {
    const key = `${name}\0${arg}\0${property ?? ''}`;
    let s = slots.get(key);
    if (!s) slots.set(key, (s = { name, arg, property, copes: false, fails: false }));
    return s;
  };
  const declared = (s: Slot): void => { s.copes = true; };
  const judged = (s: Slot, h: 'copes' | 'fails' | undefined): void => {
    if (h === 'copes') s.copes = true;
    else if (h === 'fails') s.fails = true;
  };
  const types = typeLiterals(sf);
  // Parameters (and destructured properties) whose uses in the body decide.
  const params: { id: ts.Identifier; name: string; arg: number; property?: string }[] = [];
  for (const { name, fn } of exported) {
    let arg = 0;
    for (const p of fn.parameters) {
      if (ts.isIdentifier(p.name) && p.name.text === 'this') continue; // a type annotation, no argument
      if (p.dotDotDotToken) break;
      if (p.questionToken || p.initializer || acceptsUndefined(p.type)) declared(slot(name, arg));
      if (elementsMayBeMissing(p.type)) declared(slot(name, arg, '[]'));
      for (const prop of optionalProperties(p.type, types)) declared(slot(name, arg, prop));
      if (ts.isIdentifier(p.name)) {
        params.push({ id: p.name, name, arg });
      } else if (ts.isObjectBindingPattern(p.name)) {
        for (const el of p.name.elements) {
          const prop = el.dotDotDotToken ? undefined : propName(el.propertyName ?? el.name);
          if (prop === undefined) continue;
          if (el.initializer) declared(slot(name, arg, prop));
          else if (ts.isIdentifier(el.name)) params.push({ id: el.name, name, arg, property: prop });
        }
      }
      arg++;
    }
  }
  if (params.length) {
    // Second round: properties destructured from a parameter in the body (`const { a } = opts`).
    const bound: (typeof params[number] & { converted?: true })[] = [];
    const uses = values.usesOf(sf, params.map((p) => p.id));
    for (const p of params) {
      for (const use of uses.get(p.id) ?? []) {
        const outer = climb(use);
        const parent = outer.parent;
        if (p.property === undefined && ts.isPropertyAccessExpression(parent) && parent.expression === outer) {
          judged(slot(p.name, p.arg, parent.name.text), values.handling(parent));
        } else if (p.property === undefined && ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isObjectBindingPattern(parent.name)) {
          for (const el of parent.name.elements) {
            const prop = el.dotDotDotToken ? undefined : propName(el.propertyName ?? el.name);
            if (prop === undefined) continue;
            if (el.initializer) declared(slot(p.name, p.arg, prop));
            else if (ts.isIdentifier(el.name)) bound.push({ id: el.name, name: p.name, arg: p.arg, property: prop });
          }
        } else {
          const h = values.handling(use);
          // `const n = Number(value)`: the number, NaN when unset, is what the body tests.
          const converted = h === undefined ? convertedInto(outer) : undefined;
          if (converted) bound.push({ id: converted, name: p.name, arg: p.arg, property: p.property, converted: true });
          else judged(slot(p.name, p.arg, p.property), h);
        }
      }
    }
    if (bound.length) {
      const more = values.usesOf(sf, bound.map((b) => b.id));
      for (const b of bound) for (const use of more.get(b.id) ?? []) judged(slot(b.name, b.arg, b.property), values.handling(use, !!b.converted));
    }
  }
  const out: OptionalParam[] = [];
  for (const s of slots.values()) {
    if (!s.copes || s.fails) continue;
    out.push(s.property === undefined ? { name: s.name, arg: s.arg } : { name: s.name, arg: s.arg, property: s.property });
  }
  return out.length ? out : undefined;
}

/** The functions a file exports, under their exported names. */
/** The local a numeric conversion of `value` is bound to (`const n = Number(value)`,
 * `parseInt(value, 10)`): judged by its own uses. */
function convertedInto(value: ts.Node): ts.Identifier | undefined {
  const call = value.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== value || !isConversion(call.expression)) return undefined;
  const decl = climb(call).parent;
  return decl && ts.isVariableDeclaration(decl) && decl.initializer === climb(call) && ts.isIdentifier(decl.name) ? decl.name : undefined;
}

export function exportedFunctions(sf: ts.SourceFile): { name: string; fn: Fn }[] {
  const out: { name: string; fn: Fn }[] = [];
  const local = new Map<string, Fn>();
  /** `export { f as g }`, `export default f`: local name → exported name, resolved at the end. */
  const named: { local: string; exported: string }[] = [];
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st)) {
      const mods = ts.getModifiers(st);
      const isExported = !!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const isDefault = !!mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (st.name) local.set(st.name.text, st);
      if (isExported && (isDefault || st.name)) out.push({ name: isDefault ? 'default' : st.name!.text, fn: st });
    } else if (ts.isVariableStatement(st)) {
      const isExported = !!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && strip(d.initializer);
        if (!ts.isIdentifier(d.name) || !init || !(ts.isArrowFunction(init) || ts.isFunctionExpression(init))) continue;
        local.set(d.name.text, init);
        if (isExported) out.push({ name: d.name.text, fn: init });
      }
    } else if (ts.isExportAssignment(st) && !st.isExportEquals) {
      const e = strip(st.expression);
      if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) out.push({ name: 'default', fn: e });
      else if (ts.isIdentifier(e)) named.push({ local: e.text, exported: 'default' });
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && !st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) if (!el.isTypeOnly) named.push({ local: (el.propertyName ?? el.name).text, exported: el.name.text });
    }
  }
  for (const { local: l, exported } of named) {
    const fn = local.get(l);
    if (fn) out.push({ name: exported, fn });
  }
  return out;
}

/** Same-file interfaces and type aliases of a type literal, by name. */
function typeLiterals(sf: ts.SourceFile): Map<string, readonly ts.TypeElement[]> {
  const out = new Map<string, readonly ts.TypeElement[]>();
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) out.set(st.name.text, st.members);
    else if (ts.isTypeAliasDeclaration(st) && ts.isTypeLiteralNode(st.type)) out.set(st.name.text, st.type.members);
  }
  return out;
}

/** Properties a parameter's type declares optional (`{ a?: T }`, or an interface of this file). */
function optionalProperties(type: ts.TypeNode | undefined, types: Map<string, readonly ts.TypeElement[]>): string[] {
  if (!type) return [];
  let members: readonly ts.TypeElement[] | undefined;
  if (ts.isTypeLiteralNode(type)) members = type.members;
  else if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments) members = types.get(type.typeName.text);
  const out: string[] = [];
  for (const m of members ?? []) {
    if (ts.isPropertySignature(m) && m.questionToken) {
      const n = propName(m.name);
      if (n !== undefined) out.push(n);
    }
  }
  return out;
}

/** An array type whose elements may be missing values: `unknown[]`, `any[]`, `(string |
 * undefined)[]`, `Array<string | null>`, `ReadonlyArray<unknown>`, `readonly unknown[]`. */
function elementsMayBeMissing(t: ts.TypeNode | undefined): boolean {
  if (!t) return false;
  if (ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword) return elementsMayBeMissing(t.type);
  let element: ts.TypeNode | undefined;
  if (ts.isArrayTypeNode(t)) element = t.elementType;
  else if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && (t.typeName.text === 'Array' || t.typeName.text === 'ReadonlyArray')) element = t.typeArguments?.[0];
  while (element && ts.isParenthesizedTypeNode(element)) element = element.type;
  if (!element) return false;
  return element.kind === ts.SyntaxKind.UnknownKeyword || element.kind === ts.SyntaxKind.AnyKeyword || acceptsUndefined(element);
}
