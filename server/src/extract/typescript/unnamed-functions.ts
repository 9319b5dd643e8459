/**
 * Which reads sit in a function nothing in their own file names (`EnvRead.inUnnamedFunction`),
 * for TypeScript / JavaScript: the model asks the rest of the workspace whether any file names it
 * (model/uncalled-functions.ts). A function counts only where a call by name is the way to reach
 * it: a function declaration or a `const f = () => …` at a module's top level (exported or not,
 * but not the default export), or a method of a class that extends and implements nothing and
 * carries no decorator (NestJS, Angular and friends call those). Files whose exports a framework
 * calls by their place (a Next.js `page`, `route` or `layout`, a SvelteKit `+page.server`, Remix's
 * routes) hold none.
 */
import { ts as tsMorphTs } from 'ts-morph';
import type { EnvRead, FileFacts } from '../../core/facts';
import { type HeldIn, markReadsInUnnamedFunctions, MIN_WORD } from '../word-filter';
import { calledByConvention, isRouteFile } from '../../knowledge/called-by-convention';
import ts = tsMorphTs;

export function markUnnamedFunctions(file: string, sf: ts.SourceFile, text: string, facts: FileFacts): void {
  if (isRouteFile(file)) return;
  markReadsInUnnamedFunctions(text, facts.reads, (at) => enclosingCandidate(sf, at), (read) => constantHolding(sf, read));
  if (!facts.reads.some((r) => r.inUnnamedFunction)) return;
  // What the module defines, for whether anything else uses it.
  const names: string[] = [];
  for (const st of sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.push(st.name.text);
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) names.push(d.name.text);
      }
    }
  }
  const kept = names.filter((n) => n.length >= MIN_WORD);
  if (kept.length) facts.definedNames = kept;
}

function innermost(sf: ts.SourceFile, at: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (at < n.getStart(sf) || at >= n.end) return;
    found = n;
    n.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found;
}

const isFunctionLike = (n: ts.Node): boolean =>
  ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) ||
  ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);

/** Accessors whose read is only a lookup: unset gives `undefined`, nothing throws where it is read. */
const PLAIN_LOOKUP = new Set(['process.env', 'import.meta.env']);

/**
 * The module-level `const` whose initializer holds `read` outside any function (`const PRICES = {
 * plus: process.env.PRICE_PLUS }`), when the read is a plain lookup: the value only waits there
 * for whatever uses the constant.
 */
function constantHolding(sf: ts.SourceFile, read: EnvRead): HeldIn | undefined {
  if (!PLAIN_LOOKUP.has(read.via) || read.buildTime) return undefined;
  // The property names from the constant down to the read (`plus`, `monthly`), outermost first,
  // up to the first the source does not name statically.
  const members: string[] = [];
  for (let p = innermost(sf, read.span.start); p && p !== sf; p = p.parent) {
    if (isFunctionLike(p) || ts.isClassLike(p)) return undefined;
    if (ts.isPropertyAssignment(p) && read.span.start >= p.initializer.getStart(sf)) {
      const key = staticName(p.name);
      if (key === undefined) members.length = 0;
      else members.unshift(key);
    } else if (ts.isArrayLiteralExpression(p) || ts.isSpreadAssignment(p) || ts.isShorthandPropertyAssignment(p)) {
      members.length = 0;
    }
    if (ts.isVariableDeclaration(p)) {
      const list = p.parent;
      if (!ts.isIdentifier(p.name) || !p.initializer || read.span.start < p.initializer.getStart(sf)) return undefined;
      if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || !ts.isVariableStatement(list.parent) || list.parent.parent !== sf) return undefined;
      if (p.name.text.length < MIN_WORD) return undefined;
      // The declaration's own name is no member access: `reachesMembers` keeps it.
      return { constant: p.name.text, reaches: members.length ? (at) => reachesMembers(sf, at, members) : undefined };
    }
  }
  return undefined;
}

/** A property name written as a name or a literal (`plus`, `'plus'`, `["plus"]`). */
function staticName(n: ts.Node): string | undefined {
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  if (ts.isComputedPropertyName(n)) return staticName(n.expression);
  return undefined;
}

/** The mention at `at` is a whole use of the constant, or a member access whose static names
 * agree with `members` as far as both go (`PRICES[tier]` may be any member). */
function reachesMembers(sf: ts.SourceFile, at: number, members: readonly string[]): boolean {
  let n = innermost(sf, at);
  if (!n || !ts.isIdentifier(n)) return true;
  for (const want of members) {
    const p: ts.Node = n!.parent;
    let key: string | undefined;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) key = p.name.text;
    else if (ts.isElementAccessExpression(p) && p.expression === n) key = ts.isIdentifier(p.argumentExpression) ? undefined : staticName(p.argumentExpression);
    else return true;
    if (key === undefined) return true;
    if (key !== want) return false;
    n = p;
  }
  return true;
}

function enclosingCandidate(sf: ts.SourceFile, at: number): string | undefined {
  let n = innermost(sf, at);
  // The outermost function holding the read: a callback inside a function runs when it does.
  let fn: ts.Node | undefined;
  for (let p = n; p && p !== sf; p = p.parent) if (isFunctionLike(p)) fn = p;
  n = fn;
  if (!n) return undefined;
  let name: string | undefined;
  if (ts.isFunctionDeclaration(n) && n.parent === sf && n.name) {
    if (n.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return undefined;
    name = n.name.text;
  } else if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent) && n.parent.initializer === n &&
    ts.isIdentifier(n.parent.name) && ts.isVariableDeclarationList(n.parent.parent) && ts.isVariableStatement(n.parent.parent.parent) &&
    n.parent.parent.parent.parent === sf) {
    name = n.parent.name.text;
  } else if (ts.isMethodDeclaration(n) && ts.isClassDeclaration(n.parent) && n.parent.parent === sf && ts.isIdentifier(n.name)) {
    const cls = n.parent;
    if (cls.heritageClauses?.length || ts.getDecorators(cls)?.length || ts.getDecorators(n)?.length) return undefined;
    if (cls.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return undefined;
    name = n.name.text;
  }
  if (!name || name.length < MIN_WORD || calledByConvention(name, 'typescript')) return undefined;
  return name;
}
