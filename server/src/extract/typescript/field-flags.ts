/**
 * What else in a file holds a variable's presence, for switches.ts: NestJS `ConfigService` reads
 * (`const host = this.config.get('SMTP_HOST'); if (host) …`) and flag fields.
 *
 * A flag field is a private field that starts falsy (`private ready = false`, `private client:
 * Client | null = null`) and is given a value only where other variables are set:
 *
 *     if (host && pass) { this.client = connect(host, pass); this.ready = true; }
 *
 * Its truth then implies those variables are set, so the reads after `if (!this.ready) return;`
 * run only when they are: a deploy without `SMTP_HOST` never reaches them (the feature is off). A
 * field set anywhere without such a condition, set by a compound assignment, or not private (other
 * code may set it) implies nothing.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { EnvSwitch } from '../../core/facts';
import { configServiceMethod, VARIABLE_KEY } from '../../knowledge/config-services';
import { memberOrLocal, type NestConfig } from './nest-config';
import { leaves, presenceSides, type KnownPresence } from './switches';
import { isStringLike, strip, topLevelFunctions } from './syntax';
import { checkedNames } from './presence-checks';

export class FilePresence implements KnownPresence {
  /** Per class and field: what its truth implies; null while being worked out or when nothing. */
  private readonly fields = new Map<string, EnvSwitch[] | null>();

  constructor(private readonly nest: NestConfig) {}

  configRead(call: ts.CallExpression): string | undefined {
    const callee = strip(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || call.arguments.length !== 1) return undefined;
    // `getOrThrow` never returns an absent value, and a fallback argument makes `get` never do.
    if (configServiceMethod(callee.name.text)?.throws !== false) return undefined;
    const key = strip(call.arguments[0]!);
    if (!isStringLike(key) || !VARIABLE_KEY.test(key.text)) return undefined;
    const receiver = memberOrLocal(callee.expression);
    return receiver && this.nest.serviceNames().has(receiver) ? key.text : undefined;
  }

  /** `smtpConfigured()` with `smtpConfigured` a top-level function of this file that tests variables
   * (presence-checks.ts): true only when they are all set. */
  callSwitches(call: ts.CallExpression): EnvSwitch[] | undefined {
    const callee = strip(call.expression);
    if (call.arguments.length || !ts.isIdentifier(callee)) return undefined;
    const sf = call.getSourceFile();
    this.ownChecks ??= new Map(topLevelFunctions(sf).flatMap(({ name, fn }) => {
      const tests = checkedNames(fn);
      return tests ? [[name, tests] as const] : [];
    }));
    return this.ownChecks.get(callee.text)?.map((name) => ({ name, set: true }));
  }

  /** The file's top-level presence checks by name, found on the first call asked about. */
  private ownChecks?: Map<string, readonly string[]>;

  fieldSwitches(access: ts.PropertyAccessExpression, depth: number): EnvSwitch[] | undefined {
    const cls = enclosingClass(access);
    if (!cls) return undefined;
    const name = access.name.text;
    const key = `${cls.pos}:${name}`;
    if (this.fields.has(key)) return this.fields.get(key) ?? undefined;
    this.fields.set(key, null);
    const implied = this.flagSwitches(cls, name, depth);
    this.fields.set(key, implied ?? null);
    return implied;
  }

  private flagSwitches(cls: ts.ClassLikeDeclaration, name: string, depth: number): EnvSwitch[] | undefined {
    const member = cls.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && memberName(m.name) === name);
    if (!member || !isPrivate(member)) return undefined;
    if (member.initializer && !isFalsy(member.initializer)) return undefined;
    let implied: EnvSwitch[] | undefined;
    let unconditional = false;
    const visit = (n: ts.Node): void => {
      if (unconditional) return;
      if (ts.isBinaryExpression(n) && isThisField(n.left, name)) {
        const op = n.operatorToken.kind;
        if (op !== ts.SyntaxKind.EqualsToken) { unconditional = true; return; }
        if (!isFalsy(n.right)) {
          const here = switchesAt(n, this, depth);
          if (!here.length) { unconditional = true; return; }
          implied = implied ? implied.filter((a) => here.some((b) => a.name === b.name && a.set === b.set)) : dedupe(here);
          if (!implied.length) { unconditional = true; return; }
        }
      }
      ts.forEachChild(n, visit);
    };
    for (const m of cls.members) if (m !== member) visit(m);
    return unconditional ? undefined : implied;
  }
}

/** What must hold for `n` to run, from the `if`s around it up to its function. */
function switchesAt(n: ts.Node, known: KnownPresence, depth: number): EnvSwitch[] {
  const out: EnvSwitch[] = [];
  for (let c: ts.Node = n, p = n.parent; p; c = p, p = p.parent) {
    if (ts.isIfStatement(p)) {
      const sides = presenceSides(p.expression, known, depth);
      if (c === p.thenStatement) out.push(...sides.whenTrue);
      else if (c === p.elseStatement) out.push(...sides.whenFalse);
    } else if (ts.isBlock(p)) {
      for (const st of p.statements) {
        if (st === c) break;
        if (ts.isIfStatement(st) && leaves(st)) out.push(...presenceSides(st.expression, known, depth).whenFalse);
      }
    }
    if (ts.isFunctionLike(p)) break;
  }
  return out;
}

function enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isClassDeclaration(p) || ts.isClassExpression(p)) return p;
  return undefined;
}

function memberName(n: ts.PropertyName): string | undefined {
  return ts.isIdentifier(n) || ts.isPrivateIdentifier(n) ? n.text : undefined;
}

function isPrivate(m: ts.PropertyDeclaration): boolean {
  if (ts.isPrivateIdentifier(m.name)) return true;
  return !!m.modifiers?.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword || k.kind === ts.SyntaxKind.ProtectedKeyword);
}

function isThisField(e: ts.Expression, name: string): boolean {
  const s = strip(e);
  return ts.isPropertyAccessExpression(s) && s.name.text === name && strip(s.expression).kind === ts.SyntaxKind.ThisKeyword;
}

/** `false`, `null`, `undefined`, `0`, `''`. */
function isFalsy(e: ts.Expression): boolean {
  const s = strip(e);
  if (s.kind === ts.SyntaxKind.FalseKeyword || s.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(s)) return s.text === 'undefined';
  if (ts.isNumericLiteral(s)) return Number(s.text) === 0;
  return isStringLike(s) && s.text === '';
}

function dedupe(list: EnvSwitch[]): EnvSwitch[] {
  return list.filter((a, i) => list.findIndex((b) => b.name === a.name && b.set === a.set) === i);
}
