/**
 * Reads that run only when another env variable is set or unset (`EnvRead.onlyWhen`): a branch
 * on a direct presence test of one variable (`if (process.env.A)`, `if ('A' in process.env)`,
 * `if (conn)` with `const conn = process.env.A`), its `else`, `process.env.A ? <read> : …`,
 * `process.env.A && <read>`, and an early `if (!process.env.A) return;` before the read in the
 * same block. A deploy that decides such a variable the other way never runs the read. With a
 * file's `KnownPresence` (field-flags.ts), a NestJS `config.get('A')` counts as a read, and a
 * private flag field set only where variables are set (`if (!this.ready) return;`) as their test.
 *
 * Kept conservative: only presence tests of one variable count (a comparison with a value names
 * an environment, branches.ts), `&&` combines the tests it joins when true and `||` when false,
 * anything else decides nothing. The walk carries the switches down in its context.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { EnvSwitch, PresenceCall } from '../../core/facts';
import { isViteBuiltIn } from '../../knowledge/build-time-env';
import { environmentNames, namesEnvironment } from '../../knowledge/environments';
import type { Ctx } from './context';
import { constInitializer, envObject, isEquality, isNegativeEquality, isNot, isNullish, isStringLike, strip, topLevelFunctions } from './syntax';

/** What a condition says when it holds and when it does not. */
export interface Sides { whenTrue: EnvSwitch[]; whenFalse: EnvSwitch[] }

const NOTHING: Sides = { whenTrue: [], whenFalse: [] };
const MAX_DEPTH = 8;

/** `ctx` where `switches` also hold (unchanged when there are none). */
export function withSwitches(ctx: Ctx, switches: EnvSwitch[]): Ctx {
  if (switches.length === 0) return ctx;
  return { ...ctx, onlyWhen: [...(ctx.onlyWhen ?? []), ...switches] };
}

/** `ctx` where these calls of other modules' presence checks also returned true. */
export function withChecks(ctx: Ctx, checks: PresenceCall[]): Ctx {
  if (checks.length === 0) return ctx;
  return { ...ctx, checks: [...(ctx.checks ?? []), ...checks] };
}

/** What else in this file holds a variable's presence: NestJS ConfigService reads and flag fields
 * (field-flags.ts). Without it only `process.env` reads and locals bound to them count. */
export interface KnownPresence {
  /** The variable a `config.get('X')` call returns, when `config` is a ConfigService. */
  configRead(call: ts.CallExpression): string | undefined;
  /** What a private field's truth says (`this.ready`, set true only where A and B are set). */
  fieldSwitches(access: ts.PropertyAccessExpression, depth: number): EnvSwitch[] | undefined;
  /** What a call of a function of this file that tests variables says when true (`smtpConfigured()`:
   * presence-checks.ts). */
  callSwitches?(call: ts.CallExpression): EnvSwitch[] | undefined;
}

/** `!x`, `a && b`, `a || b`: what holds on each side of the whole, from what `part` says of each
 * operand; undefined for any other expression. `a && b` holds when both do and `a || b` fails
 * when both do; the other sides are no conjunctions. */
function logicalSides<T>(s: ts.Expression, part: (e: ts.Expression) => { whenTrue: T[]; whenFalse: T[] }): { whenTrue: T[]; whenFalse: T[] } | undefined {
  if (isNot(s)) {
    const inner = part(s.operand);
    return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
  }
  if (!ts.isBinaryExpression(s)) return undefined;
  const op = s.operatorToken.kind;
  if (op !== ts.SyntaxKind.AmpersandAmpersandToken && op !== ts.SyntaxKind.BarBarToken) return undefined;
  const a = part(s.left);
  const b = part(s.right);
  return op === ts.SyntaxKind.AmpersandAmpersandToken
    ? { whenTrue: [...a.whenTrue, ...b.whenTrue], whenFalse: [] }
    : { whenTrue: [], whenFalse: [...a.whenFalse, ...b.whenFalse] };
}

/** What a condition says about presence when it holds and when it does not. */
export function presenceSides(e: ts.Expression, known?: KnownPresence, depth = 0): Sides {
  const s = strip(e);
  if (depth > MAX_DEPTH) return NOTHING;
  const logic = logicalSides(s, (x) => presenceSides(x, known, depth + 1));
  if (logic) return logic;
  if (ts.isBinaryExpression(s)) {
    const op = s.operatorToken.kind;
    if (op === ts.SyntaxKind.InKeyword) {
      // `'A' in process.env`
      const l = strip(s.left);
      return isStringLike(l) && envObject(s.right) ? presence(l.text, true) : NOTHING;
    }
    if (isEquality(op)) {
      // `process.env.A !== undefined`, `process.env.A == null`
      const [value, other] = isAbsent(s.right, op) ? [s.left, s.right] : isAbsent(s.left, op) ? [s.right, s.left] : [];
      if (!value || !other) return valueSides(s, known, depth + 1);
      const name = testedName(value, known, depth + 1);
      return name ? presence(name, isNegativeEquality(op)) : NOTHING;
    }
    return NOTHING;
  }
  // `smtpConfigured()`: true only when the variables it tests are set; false says nothing of any one.
  if (known?.callSwitches && ts.isCallExpression(s)) {
    const implied = known.callSwitches(s);
    if (implied?.length) return { whenTrue: implied, whenFalse: [] };
  }
  // `Boolean(process.env.A)`
  if (ts.isCallExpression(s) && ts.isIdentifier(s.expression) && s.expression.text === 'Boolean' && s.arguments.length === 1) {
    return presenceSides(s.arguments[0], known, depth + 1);
  }
  // A flag field's truth implies what its setting implied; its falsity implies nothing (any one
  // of those variables may be the unset one).
  if (known && ts.isPropertyAccessExpression(s) && !ts.isOptionalChain(s) && strip(s.expression).kind === ts.SyntaxKind.ThisKeyword) {
    const implied = known.fieldSwitches(s, depth + 1);
    if (implied?.length) return { whenTrue: implied, whenFalse: [] };
  }
  // `process.env.A ? new Stripe(process.env.A) : null`: the whole is truthy only on the side of
  // the condition that is not nullish; its falsity says nothing (the other side may be falsy too).
  if (ts.isConditionalExpression(s)) {
    const cond = presenceSides(s.condition, known, depth + 1);
    if (isNullish(s.whenFalse) && !isNullish(s.whenTrue)) return { whenTrue: cond.whenTrue, whenFalse: [] };
    if (isNullish(s.whenTrue) && !isNullish(s.whenFalse)) return { whenTrue: cond.whenFalse, whenFalse: [] };
    return NOTHING;
  }
  const name = testedName(s, known, depth + 1);
  if (name) return presence(name, true);
  // `const redisEnabled = process.env.REDIS_ENABLED === 'true' && !!process.env.REDIS_HOST;` then
  // `redisEnabled ? { password: process.env.REDIS_PASSWORD } : null`: the test the `const` holds.
  if (ts.isIdentifier(s)) {
    const init = constInitializer(s);
    if (init) return presenceSides(init, known, depth + 1);
  }
  return NOTHING;
}

/** An `if` with no `else` whose branch always returns (`if (!process.env.A) return;`): the
 * statements after it run only when its condition did not hold. A branch that throws (`if
 * (!payTo) throw new Error("SUMMON_PAY_TO is required")`) is no switch: A is required there, and
 * what follows is needed as much (a deploy lacking A and B fails on each in turn). */
export function leaves(n: ts.IfStatement): boolean {
  if (n.elseStatement) return false;
  const t = n.thenStatement;
  const last = ts.isBlock(t) ? t.statements[t.statements.length - 1] : t;
  return !!last && ts.isReturnStatement(last);
}

/** `A === 'gcs'` where A is a variable's value (`process.env.A`, `(process.env.A ?? 'local')
 * .toLowerCase()`, a `const` bound to one): the branch runs only when A is set to that value. A
 * value that names an environment is an environment branch (branches.ts), no switch. One equal to
 * the fallback holds when A is unset, so its other side needs A set. `!==` says so of the other side. */
function valueSides(s: ts.BinaryExpression, known: KnownPresence | undefined, depth: number): Sides {
  const [lit, other] = isStringLike(strip(s.right)) ? [strip(s.right), s.left] : isStringLike(strip(s.left)) ? [strip(s.left), s.right] : [];
  if (!lit || !other || !isStringLike(lit) || lit.text === '' || environmentNames().isToken(lit.text)) return NOTHING;
  const source = valueOf(other, known, depth);
  if (!source || source.name === 'NODE_ENV' || namesEnvironment(source.name)) return NOTHING;
  // Equal to the fallback (`(process.env.PAY_MODE ?? 'disabled') === 'disabled'`): it holds when A
  // is unset, so the other side runs only when A is set (to another value).
  if (source.fallback === lit.text) {
    const set: EnvSwitch = { name: source.name, set: true };
    // Its own side runs when A is that value or unset: only another literal skips it.
    const same: EnvSwitch = { name: source.name, set: true, equals: lit.text, fallback: source.fallback, orUnset: true };
    return isNegativeEquality(s.operatorToken.kind) ? { whenTrue: [set], whenFalse: [same] } : { whenTrue: [same], whenFalse: [set] };
  }
  const sw: EnvSwitch = { name: source.name, set: true, equals: lit.text, ...(source.fallback !== undefined ? { fallback: source.fallback } : {}) };
  return isNegativeEquality(s.operatorToken.kind) ? { whenTrue: [], whenFalse: [sw] } : { whenTrue: [sw], whenFalse: [] };
}

/** What holds in each clause of a `switch` on a variable's value (`switch (process.env.AUTH_STRATEGY
 * || 'custom') { case 'firebase': … case 'custom': … }`): a clause reached by one literal runs
 * only when the variable is that value (or unset, when the literal is the fallback). A clause of
 * several literals, `default`, or a value that names an environment decides nothing. */
export function caseSwitches(n: ts.SwitchStatement, known: KnownPresence | undefined): EnvSwitch[][] {
  const clauses = n.caseBlock.clauses;
  const none = clauses.map(() => [] as EnvSwitch[]);
  const source = valueOf(n.expression, known, 0);
  if (!source || source.name === 'NODE_ENV' || namesEnvironment(source.name)) return none;
  let pending: ts.Expression[] = [];
  return clauses.map((clause) => {
    if (!ts.isCaseClause(clause)) {
      pending = [];
      return [];
    }
    pending.push(strip(clause.expression));
    if (clause.statements.length === 0) return [];
    const literals = pending;
    pending = [];
    const lit = literals.length === 1 ? literals[0] : undefined;
    if (!lit || !isStringLike(lit) || lit.text === '' || environmentNames().isToken(lit.text)) return [];
    return [{ name: source.name, set: true, equals: lit.text, ...(source.fallback !== undefined ? { fallback: source.fallback } : {}),
      ...(source.fallback === lit.text ? { orUnset: true as const } : {}) }];
  });
}

const CASE_CALLS = new Set(['toLowerCase', 'toUpperCase', 'trim']);

/** The variable whose value `e` is, with the value the code takes when it is unset: a direct read,
 * `read ?? 'x'` / `read || 'x'`, either under `.toLowerCase()`/`.toUpperCase()`/`.trim()`, or a
 * `const` bound to one of those. */
function valueOf(e: ts.Expression, known: KnownPresence | undefined, depth: number): { name: string; fallback?: string } | undefined {
  const s = strip(e);
  if (depth > MAX_DEPTH) return undefined;
  if (ts.isCallExpression(s) && s.arguments.length === 0 && ts.isPropertyAccessExpression(s.expression) && CASE_CALLS.has(s.expression.name.text)) {
    const inner = valueOf(s.expression.expression, known, depth + 1);
    if (!inner) return undefined;
    const method = s.expression.name.text;
    const f = inner.fallback;
    return { name: inner.name, ...(f !== undefined ? { fallback: method === 'toLowerCase' ? f.toLowerCase() : method === 'toUpperCase' ? f.toUpperCase() : f.trim() } : {}) };
  }
  if (ts.isBinaryExpression(s) && (s.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || s.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    const right = strip(s.right);
    const name = isStringLike(right) ? testedName(s.left, known, depth + 1) : undefined;
    return name ? { name, fallback: (right as ts.StringLiteral).text } : undefined;
  }
  if (ts.isIdentifier(s)) {
    const init = constInitializer(s);
    return init ? valueOf(init, known, depth + 1) : undefined;
  }
  // `getProvider()`: a function of this file, called without arguments, whose every return is the
  // one variable's value (checked against a list, or thrown away for an error).
  if (ts.isCallExpression(s) && s.arguments.length === 0 && ts.isIdentifier(s.expression)) {
    const fn = topLevelFunctions(s.getSourceFile()).find((f) => f.name === (s.expression as ts.Identifier).text)?.fn;
    return fn && !fn.parameters.length ? returnedValue(fn, known, depth + 1) : undefined;
  }
  const name = testedName(s, known, depth + 1);
  return name ? { name } : undefined;
}

/** The variable whose value a function returns on every return (`valueOf`), where they agree. */
function returnedValue(fn: ts.FunctionLikeDeclaration, known: KnownPresence | undefined, depth: number): { name: string; fallback?: string } | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return valueOf(fn.body, known, depth);
  const values: ({ name: string; fallback?: string } | undefined)[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) values.push(n.expression ? valueOf(n.expression, known, depth) : undefined);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  const first = values[0];
  return first && values.every((v) => v && v.name === first.name && v.fallback === first.fallback) ? first : undefined;
}

function presence(name: string, set: boolean): Sides {
  return { whenTrue: [{ name, set }], whenFalse: [{ name, set: !set }] };
}

/** `undefined`, `void 0`, `''`, and `null` compared loosely (an env value is never `null`). */
function isAbsent(e: ts.Expression, op: ts.SyntaxKind): boolean {
  if (!isNullish(e)) return false;
  return strip(e).kind !== ts.SyntaxKind.NullKeyword || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
}

/** The variable whose value `e` is: a direct read (`process.env.A`, `process.env["A"]`), or a
 * `const` bound to one with no fallback. */
function testedName(e: ts.Expression, known: KnownPresence | undefined, depth: number): string | undefined {
  const s = strip(e);
  if (known && ts.isCallExpression(s)) return known.configRead(s);
  if ((ts.isPropertyAccessExpression(s) || ts.isElementAccessExpression(s)) && !ts.isOptionalChain(s)) {
    const via = envObject(s.expression) ?? envAlias(s.expression);
    if (!via) return undefined;
    const name = ts.isPropertyAccessExpression(s)
      ? (ts.isPrivateIdentifier(s.name) ? undefined : s.name.text)
      : isStringLike(strip(s.argumentExpression)) ? (strip(s.argumentExpression) as ts.StringLiteral).text : undefined;
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
    // Vite's built-in constants (`import.meta.env.DEV`) are environment branches, not variables.
    if (via === 'import.meta.env' && isViteBuiltIn(name)) return undefined;
    return name;
  }
  if (ts.isIdentifier(s) && depth < MAX_DEPTH) {
    const init = constInitializer(s);
    return init ? testedName(init, known, depth + 1) : undefined;
  }
  return undefined;
}

/** The initializer of the `const` that `id` names, found in the blocks around it before any
 * function parameter of that name shadows it. */
/** A local standing for the env object: `const env = process.env`, or a parameter defaulting to it
 * (`(env = process.env) => …`), as env-reads.ts reads through them. */
function envAlias(e: ts.Expression): string | undefined {
  const s = strip(e);
  if (!ts.isIdentifier(s)) return undefined;
  for (let p: ts.Node | undefined = s.parent; p; p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    const param = p.parameters.find((q) => ts.isIdentifier(q.name) && q.name.text === s.text);
    if (param) return param.initializer ? envObject(strip(param.initializer)) : undefined;
  }
  const init = constInitializer(s);
  return init ? envObject(strip(init)) : undefined;
}


/** What a condition says of calls of other modules' functions (`isConfigured()` imported): when it
 * holds and when it does not. The model learns what each call tests (model/checked-reads.ts). */
export interface CheckSides { whenTrue: PresenceCall[]; whenFalse: PresenceCall[] }

/** `f()`, `!f()`, `f() && g()`, `!f() || !g()` with `f` imported from a relative module and called
 * without arguments: what holds on each side. */
export function checkSides(e: ts.Expression, imported: (callee: ts.Expression) => PresenceCall | undefined, depth = 0): CheckSides {
  const s = strip(e);
  const none: CheckSides = { whenTrue: [], whenFalse: [] };
  if (depth > MAX_DEPTH) return none;
  const logic = logicalSides(s, (x) => checkSides(x, imported, depth + 1));
  if (logic) return logic;
  if (ts.isCallExpression(s) && s.arguments.length === 0) {
    const callee = imported(s.expression);
    if (callee) return { whenTrue: [callee], whenFalse: [] };
  }
  return none;
}
