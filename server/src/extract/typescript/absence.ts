/**
 * What the code around a read does when the variable is unset: whether it handles the absence
 * there (an optional read) or needs the value (a required one).
 *
 * A read is optional when its value, on the way from the access to where it is used, meets one
 * of: a fallback (`?? d`, `|| d`, after `?.` or a number parse: `x?.trim() || ''`,
 * `Number(x) || 3`), a presence test (`if (x)`, `x ? a : b`, `!x`, `x && …`, `x !== undefined`,
 * `Boolean(x)`) or a comparison (`x === 'true'`, `switch (x)`, `[…].includes(x)`) — unless the
 * branch taken when it is unset fails (`throw`, `process.exit(…)`, a call to `fatal(…)`-like
 * helpers) or logs at error level that the variable is required: that is a required read spelled
 * as a test. A read bound to a local
 * (`const t = process.env.X`) is judged by the local's uses in its scope: one that fails when
 * unset makes it required, otherwise one test, comparison or fallback makes it optional
 * (`guarded`); uses in the function that declares the local come first, uses in functions
 * nested in it count only when those decide nothing. Anything else — passed on, a method called without `?.`, `JSON.parse(x)` — stays
 * required: the code's intent is not visible here. A value passed unguarded to a function imported
 * from another file of the workspace records where it goes (`passedTo`, passed-on.ts): the model
 * asks that function.
 *
 * In `A || B` (env reads only), A falls back to B (`alternative`) and B is needed only when A
 * is unset: both record the other as an alternative, and B is judged by what the chain's value
 * meets, as if A were unset too.
 *
 * Values are followed within one file and one scope; nothing here knows rules.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import { isSecretLike } from '../../knowledge/secrets';
import type { EnvRead, OptionalReason, PassedTo } from '../../core/facts';
import { climb, envKeyHolder, envObject, isEquality, isNegativeEquality, isNot, isNullishLiteral, isStringLike, requiredModule, strip, topLevelFunctions, acceptsUndefined } from './syntax';
import { AMBIENT_CLIENT_OPTIONS, PG_OPTION_VARIABLES, SENTRY_OPTIONAL_OPTIONS, isGoogleClientModule, isPostgresClientModule, isSentryModule } from '../../knowledge/client-defaults';
import { isLogCall } from '../../knowledge/logging';
import { OPTION_DEFAULT_FROM, OPTION_METHODS } from '../../knowledge/cli-options';
import { isFeatureOffError } from '../../knowledge/http-responses';
import { comparedTexts } from './compared';
import { setCompared } from '../compared-text';
import { countWord, MIN_WORD } from '../word-filter';
import { isNextConfigFile } from '../../knowledge/build-time-env';
import { isToolConfigPath } from '../../knowledge/tool-configs';
import { environmentNames } from '../../knowledge/environments';

/** Calls that turn a string into a number without throwing on `undefined` (NaN is falsy). */
const CONVERSIONS = new Set(['Number', 'parseInt', 'parseFloat', 'Number.parseInt', 'Number.parseFloat']);
/** Helpers that end the process or throw, by the names teams give them (`fatal`, `usageAndExit`, `die`). */
const FAILS_NAME = /^(fatal|die|panic|abort|exit|fail|bail)([A-Z_]|$)|(Fatal|Exit|Die|Panic|Abort)$/;

/** What an unset variable evaluates to, as far as the conditions around it go. */
type Missing = 'undefined' | 'typeof-undefined' | 'nan' | 'true' | 'false' | 'unknown';

/** What the code around a value does when the variable is unset. */
type Outcome = { optional: OptionalReason } | { required: true } | undefined;

/** A read in flight: the fact, and what `finish` still has to decide. */
interface Pending {
  read: EnvRead;
  /** The variable an accessor call reads first, when this read is that call's fallback argument
   * (`getEnvVar('JWT_SECRET', process.env.JWT_ACCESS_SECRET || '')`): it stands in for this one. */
  fallbackFor?: string;
  /** The `A || B` chain it is an operand of, and that operand. */
  chain?: { top: ts.Node; operand: ts.Node };
  /** The local it is bound to, when nothing at the read decided. */
  local?: ts.Identifier;
  /** The module-local function that returns it (`function apiKey() { return process.env.X }`,
   * not exported), when nothing at the read decided: its calls in the file are all there are. */
  getter?: ts.Identifier;
  /** The exported name of the top-level function that returns it whole (`export function
   * getDatabaseUrl() { return process.env.DATABASE_URL }`), when nothing at the read decided:
   * its callers in other modules say (`EnvRead.returnedBy`, model/getter-callers.ts). */
  exportedGetter?: ts.Identifier;
  /** The private field it is stored in (`private readonly key = process.env.X`, or
   * `this.key = process.env.X` for a declared private `key`; in JavaScript, which declares no
   * privacy, any `this.key`), when nothing at the read decided. */
  field?: ClassField;
}

/** A field of a class, by name. */
interface ClassField {
  name: string;
  cls: ts.ClassLikeDeclaration;
}

const RELATIONAL: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken,
]);

export class Absence {
  private readonly pending: Pending[] = [];
  /** Chain tops → their operands that are reads, with each read. */
  private readonly chains = new Map<ts.Node, { operand: ts.Node; read: EnvRead }[]>();
  /** Chain tops → operands, their positions, and whether a non-env operand comes at or after each. */
  private readonly chainShapes = new Map<ts.Node, ChainShape>();
  private readonly tops = new Map<ts.Node, ts.BinaryExpression>();

  /**
   * @param isEnvValue whether an expression is a read of the environment (an access, a local bound to one)
   * @param passedTo where a value leaving the file goes (passed-on.ts)
   */
  constructor(private readonly isEnvValue: (e: ts.Expression) => boolean, private readonly passedTo?: (value: ts.Node) => PassedTo | undefined) {}

  /**
   * Judges the read at `acc` (the access expression) and updates `read`:
   * `hasDefault` and `optionalBecause` now, alternatives and guarded locals in `finish`.
   * `initial`: what the access itself gives when unset (`'X' in env` gives `false`).
   */
  judgeRead(read: EnvRead, acc: ts.Node, initial: Missing = 'undefined', reason?: OptionalReason): void {
    const p: Pending = { read };
    p.fallbackFor = fallbackArgumentOf(acc);
    if (initial === 'undefined' && !reason) {
      const compared = comparedTexts(acc);
      if (compared) setCompared(read, compared);
    }
    const outcome = this.follow(acc, initial, reason, p);
    apply(read, outcome);
    const field = settingsFieldOf(acc);
    if (field) {
      read.storedIn = field.key;
      read.storedBeside = field.siblings;
    }
    this.pending.push(p);
  }

  /** A destructured binding (`const { X } = process.env`): judged by the uses of its local. */
  judgeBinding(read: EnvRead, local: ts.Identifier): void {
    this.pending.push({ read, local });
  }

  /** What the code at `node` does with a value that may be undefined (a parameter's, not only a
   * read's): copes with it (a fallback, a test, a comparison), fails without it, or shows nothing. */
  handling(node: ts.Node, nan = false): 'copes' | 'fails' | undefined {
    const o = this.follow(node, nan ? 'nan' : 'undefined', undefined, undefined);
    return !o ? undefined : 'required' in o ? 'fails' : 'copes';
  }

  /** The uses of each local (or parameter) in its scope. */
  usesOf(sf: ts.SourceFile, locals: ts.Identifier[]): Map<ts.Identifier, ts.Identifier[]> {
    return usesOf(sf, locals);
  }

  /** An argument that is a variable's value, or one of two (`cond ? process.env.A : ''`). */
  private holdsEnvValue(e: ts.Expression): boolean {
    const x = strip(e);
    if (this.isEnvValue(x)) return true;
    return ts.isConditionalExpression(x) && (this.isEnvValue(strip(x.whenTrue)) || this.isEnvValue(strip(x.whenFalse)));
  }

  /** Alternatives of `A || B` chains and the reads bound to locals, once every read is known. */
  finish(sf: ts.SourceFile): void {
    for (const ops of this.chains.values()) {
      const names = [...new Set(ops.map((o) => o.read.name))];
      // Generated code chains hundreds of reads: alternatives stay a short list of real choices.
      if (names.length > MAX_ALTERNATIVES) continue;
      for (const o of ops) {
        const alts = names.filter((n) => n !== o.read.name);
        if (alts.length) o.read.alternatives = alts;
      }
    }
    for (const p of this.pending) {
      if (p.fallbackFor && p.fallbackFor !== p.read.name && !(p.read.alternatives ?? []).includes(p.fallbackFor)) {
        p.read.alternatives = [...(p.read.alternatives ?? []), p.fallbackFor];
      }
    }
    for (const p of this.pending) {
      if (!p.field || p.read.hasDefault) continue;
      // A private field is reached only from its class: its uses there are all there are (a
      // JavaScript class's field is taken as its class's, as a Python attribute on `self` is). Its
      // methods are peers, so one that fails without it decides, else one that copes.
      let verdict: Outcome;
      for (const use of fieldUses(p.field)) {
        const o = this.follow(use, 'undefined', undefined, undefined);
        if (o && (!verdict || 'required' in o)) verdict = o;
      }
      if (verdict && 'optional' in verdict) apply(p.read, { optional: 'guarded' });
    }
    for (const p of this.pending) {
      // Its callers in other modules say, when every call in its own file copes (and nothing
      // else there names it).
      const own = p.exportedGetter && !p.read.hasDefault ? callsOf(p.exportedGetter) : undefined;
      if (own && countWord(sf.text, p.exportedGetter!.text) === own.length + 1 && own.every((c) => this.callCopes(sf, c))) p.read.returnedBy = p.exportedGetter!.text;
      if (!p.getter || p.read.hasDefault) continue;
      // A function of this module nobody else can call: every call decides, and only when each
      // copes (a test, a fallback, through a local too) is the read optional.
      const calls = callsOf(p.getter);
      if (calls.length && calls.every((c) => this.callCopes(sf, c))) apply(p.read, { optional: 'guarded' });
    }
    const locals = this.pending.filter((p) => p.local && !p.read.hasDefault);
    if (!locals.length) return;
    const uses = usesOf(sf, locals.map((p) => p.local as ts.Identifier));
    for (const p of locals) {
      // What the declaring code does decides first; functions nested in it only when it does
      // nothing (`if (!k) warn()` at the top, a throw in a legacy path: the service starts).
      const home = functionOf(p.local as ts.Identifier);
      const verdict = { here: undefined as Outcome, nested: undefined as Outcome };
      // Uses that hand the value to a function of the workspace (`this.call(url, secret)`):
      // that function's parameter decides, when no use here does.
      const passes: PassedTo[] = [];
      let undecided = false;
      for (const use of uses.get(p.local as ts.Identifier) ?? []) {
        const o = this.follow(use, 'undefined', undefined, undefined);
        if (!o) {
          const to = this.passedTo?.(climb(use));
          if (to) passes.push(to);
          else undecided = true;
          continue;
        }
        const key = functionOf(use) === home ? 'here' : 'nested';
        if (!verdict[key] || 'required' in o) verdict[key] = o;
      }
      const o = verdict.here ?? verdict.nested;
      if (o && 'optional' in o) apply(p.read, { optional: 'guarded' });
      // Only when every use is such a hand-over to one parameter: any other use may need the value.
      else if (!o && !undecided && passes.length && passes.every((t) => samePass(t, passes[0]))) p.read.passedTo = passes[0];
      // A module constant (`const KEY = process.env.KEY` at the top level) used only in the
      // bodies of functions: reading `process.env` never throws, so a missing value fails where
      // a function uses it, when called, not as the module loads (as a Python module constant
      // used only in `def`s). An export is no use here; a function run as it is defined is.
      if (!p.read.hasDefault && ts.isSourceFile(home)) {
        const here = uses.get(p.local as ts.Identifier) ?? [];
        if (here.length && here.every((u) => runsWhenCalled(functionOf(u)))) p.read.inFunction = true;
      }
    }
  }

  /** What a call's result meets copes with an undefined value: directly, or through the
   * `const` local it is bound to, every use of which copes. */
  callCopes(sf: ts.SourceFile, call: ts.CallExpression): boolean {
    const o = this.follow(call, 'undefined', undefined, undefined);
    if (o) return 'optional' in o;
    const decl = climb(call).parent;
    if (!ts.isVariableDeclaration(decl) || decl.initializer !== climb(call) || !ts.isIdentifier(decl.name)) return false;
    // As for a read bound to a local: a use that fails decides, else one that copes.
    let copes = false;
    for (const u of usesOf(sf, [decl.name]).get(decl.name) ?? []) {
      const r = this.follow(u, 'undefined', undefined, undefined);
      if (r && 'required' in r) return false;
      if (r) copes = true;
    }
    return copes;
  }

  /** The outermost `||` / `??` of a fallback chain (through parentheses), remembered for every
   * link on the way: each read of a long chain would otherwise climb it again. */
  private chainTop(n: ts.BinaryExpression): ts.BinaryExpression {
    const known = this.tops.get(n);
    if (known) return known;
    const path = [n];
    let top = n;
    for (;;) {
      const up = climb(top).parent;
      if (!isFallback(up)) break;
      const upTop = this.tops.get(up);
      if (upTop) { top = upTop; break; }
      top = up;
      path.push(up);
    }
    for (const x of path) this.tops.set(x, top);
    return top;
  }

  private shapeOf(top: ts.Node): ChainShape {
    let shape = this.chainShapes.get(top);
    if (shape) return shape;
    const operands = flatten(top);
    const isEnv = operands.map((o) => this.isEnvValue(o as ts.Expression));
    // A fallback that throws (`?? (() => { throw new Error('X required') })()`) stands in for nothing.
    const throws = operands.map((o, i) => !isEnv[i] && failsExpression(o as ts.Expression));
    const valueFrom = new Array<boolean>(operands.length + 1).fill(false);
    for (let i = operands.length - 1; i >= 0; i--) valueFrom[i] = valueFrom[i + 1] || (!isEnv[i] && !throws[i]);
    shape = { operands, index: new Map(operands.map((o, i) => [o, i])), isEnv, envCount: isEnv.filter(Boolean).length, valueFrom, throws };
    this.chainShapes.set(top, shape);
    return shape;
  }

  /**
   * Follows a value from `start` outwards while it is still "the variable, or what its absence
   * gives", and says what it meets. `pending` (reads only) collects a chain or a local to
   * finish later.
   */
  private follow(start: ts.Node, initial: Missing, initialReason: OptionalReason | undefined, pending: Pending | undefined): Outcome {
    let cur = climb(start);
    let m: Missing = initial;
    let reason = initialReason;
    const nonNull = hasNonNull(start, cur);
    // 1. Through `?.` chains and number parses: still the variable's value, or undefined / NaN.
    if (!reason) {
      let inChain = false;
      for (;;) {
        const p = cur.parent;
        if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p) || ts.isCallExpression(p)) && p.expression === cur &&
            (p.questionDotToken || (inChain && ts.isOptionalChain(p)))) {
          inChain = true;
          cur = climb(p);
          continue;
        }
        if (ts.isCallExpression(p) && p.arguments[0] === cur && isConversion(p.expression)) {
          m = 'nan';
          cur = climb(p);
          continue;
        }
        break;
      }
      // 2. A fallback chain: `x ?? d`, `a || x || d`, `A || B`.
      const p = cur.parent;
      if (isFallback(p)) {
        const top = this.chainTop(p);
        const shape = this.shapeOf(top);
        const i = shape.index.get(cur) ?? -1;
        if (pending && shape.envCount - (shape.isEnv[i] ? 1 : 0) > 0) {
          pending.chain = { top, operand: cur };
          let list = this.chains.get(top);
          if (!list) this.chains.set(top, (list = []));
          list.push({ operand: cur, read: pending.read });
        }
        if (i >= 0 && shape.valueFrom[i + 1]) return { optional: 'default' };
        if (i >= 0 && shape.isEnv.slice(i + 1).some(Boolean)) return { optional: 'alternative' };
        // Unset, the chain reaches a fallback that throws: required where it stands, whatever
        // later holds the value (a settings object's field fails when the object is built).
        if (i >= 0 && shape.throws.slice(i + 1).some(Boolean)) return { required: true };
        // `opts.apiKey || process.env.X`: an explicit value first, the variable after it.
        const before = shape.operands.slice(0, Math.max(i, 0)).find((o, j) => !shape.isEnv[j] && isNamePath(o));
        if (pending && before) pending.read.fallbackOf = before.getText();
        // The last variable of the chain: what the chain's value meets, as if all were unset.
        cur = climb(top);
        m = 'undefined';
      } else {
        // 2b. A list of candidates searched for the first usable one (`[process.env.A,
        // process.env.B].find((v) => v?.trim())`): as in `A || B`, a later candidate stands in
        // for each; the last is judged by what the search's result meets.
        const list = candidateList(cur);
        if (list) {
          const i = list.elements.indexOf(cur as ts.Expression);
          const isEnv = list.elements.map((e) => !ts.isSpreadElement(e) && this.isEnvValue(e));
          if (pending && isEnv.filter(Boolean).length > 1) {
            pending.chain = { top: list.search, operand: cur };
            let reads = this.chains.get(list.search);
            if (!reads) this.chains.set(list.search, (reads = []));
            reads.push({ operand: cur, read: pending.read });
          }
          const later = isEnv.slice(i + 1);
          if (later.some((env) => !env)) return { optional: 'default' };
          if (later.length) return { optional: 'alternative' };
          // `.filter(Boolean)` drops a missing candidate rather than yielding it: the list simply
          // holds one key fewer, and only a rejected empty list (`if (!keys.length) throw`) needs one.
          if (isFilterSearch(list.search) && !emptinessRejected(list.search)) {
            return { optional: isEnv.filter(Boolean).length > 1 ? 'alternative' : 'tested' };
          }
          cur = climb(list.search);
          m = 'undefined';
        }
      }
    }
    // 3. Tests and comparisons, up to the statement they decide.
    for (let guard = 0; guard < 64; guard++) {
      const p = cur.parent;
      if (!p) break;
      // 2c. An argument of this file's helper that returns the first usable of its arguments
      // (`firstNonEmpty(process.env.A, process.env.B, 'http://localhost')`): as in `A || B`, a
      // later argument stands in; the last is judged by what the helper's result meets.
      if (!reason && ts.isCallExpression(p) && p.arguments.some((a) => a === cur) && isFirstUsableHelper(p)) {
        const args = p.arguments;
        const i = args.indexOf(cur as ts.Expression);
        const isEnv = args.map((a) => !ts.isSpreadElement(a) && this.holdsEnvValue(a));
        if (pending && isEnv.filter(Boolean).length > 1) {
          pending.chain = { top: p, operand: cur };
          let reads = this.chains.get(p);
          if (!reads) this.chains.set(p, (reads = []));
          reads.push({ operand: cur, read: pending.read });
        }
        const later = isEnv.slice(i + 1);
        if (later.some((env, j) => !env && !isEmptyLiteral(args[i + 1 + j]!))) return { optional: 'default' };
        if (later.some(Boolean)) return { optional: 'alternative' };
        cur = climb(p);
        m = 'undefined';
        continue;
      }
      // A branch of a conditional (`typeof process !== 'undefined' ? process.env.X : undefined`):
      // when taken, the conditional's value is the read's, and where it goes decides.
      if (ts.isConditionalExpression(p) && p.condition !== cur) {
        // Still the value itself, untested: the conditional is followed as the read was, from the
        // start (`(typeof process !== 'undefined' ? process.env.X : undefined) || 'dflt'` meets a
        // fallback chain).
        if (reason === undefined && m === initial) return this.follow(p, m, reason, pending);
        cur = climb(p);
        continue;
      }
      if (isNot(p)) {
        m = not(m);
        reason ??= 'tested';
        cur = climb(p);
        continue;
      }
      if (ts.isTypeOfExpression(p)) {
        m = m === 'undefined' ? 'typeof-undefined' : 'unknown';
        reason ??= 'tested';
        cur = climb(p);
        continue;
      }
      if (ts.isBinaryExpression(p)) {
        const op = p.operatorToken.kind;
        if (isEquality(op)) {
          const other = p.left === cur ? p.right : p.left;
          // A secret compared with a value that is not written here (`req.headers['x-internal']
          // === process.env.INTERNAL_SECRET`): unset, a request without the header matches it, or
          // none ever does. The check is open or shut, never what it means: required.
          // A strict comparison with a value that is never undefined (`request.headers.get('x')`
          // gives null when the header is absent, `q ?? ''` a text) shuts when the secret is
          // unset: what it guards is off, nothing is open, so the read is optional there.
          if (reason === undefined && m === initial && pending && isSecretLike(pending.read.name) && !isWrittenValue(other) &&
            !(isStrictEquality(op) && neverUndefined(other))) return { required: true };
          reason ??= isNullishLiteral(other) ? 'tested' : 'compared';
          m = compare(m, other, op);
          cur = climb(p);
          continue;
        }
        // `process.env.X?.length < 32`, `Number(process.env.X) > 0`: an order comparison of
        // undefined or NaN is false, a test like any other.
        if (RELATIONAL.has(op)) {
          reason ??= 'compared';
          m = m === 'undefined' || m === 'nan' ? 'false' : 'unknown';
          cur = climb(p);
          continue;
        }
        if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
          m = truthy(m) === false ? (p.left === cur ? m : 'false') : 'unknown';
          reason ??= 'tested';
          cur = climb(p);
          continue;
        }
        if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
          // After a test (`!a || !b`); a fallback chain of the value itself was followed above.
          m = truthy(m) === true && op === ts.SyntaxKind.BarBarToken ? 'true' : 'unknown';
          cur = climb(p);
          continue;
        }
        break;
      }
      // `Number.isFinite(n)` / `isNaN(n)` of a number that is NaN when unset: the answer is known.
      if (m === 'nan' && ts.isCallExpression(p) && p.arguments[0] === cur && p.arguments.length === 1) {
        const check = numericCheck(p.expression);
        if (check) {
          m = check === 'isNaN' ? 'true' : 'false';
          reason ??= 'tested';
          cur = climb(p);
          continue;
        }
      }
      // A predicate over the value (`isReal(process.env.A, process.env.B)`, `hasValue(x)`): it
      // answers yes or no, and what decides is the test its answer meets.
      if (ts.isCallExpression(p) && p.arguments.some((a) => a === cur) && isPredicateCallee(p.expression)) {
        m = 'unknown';
        reason ??= 'tested';
        cur = climb(p);
        continue;
      }
      if (ts.isCallExpression(p) && p.arguments.length === 1 && p.arguments[0] === cur) {
        const callee = strip(p.expression);
        if (ts.isIdentifier(callee) && callee.text === 'Boolean') {
          m = truthy(m) === undefined ? 'unknown' : truthy(m) ? 'true' : 'false';
          reason ??= 'tested';
          cur = climb(p);
          continue;
        }
        // `String(process.env.A) === 'true'`: absent, the value is the text "undefined", which
        // meets a comparison with any other text as `undefined` does.
        const compared = climb(p).parent;
        if (ts.isIdentifier(callee) && callee.text === 'String' && compared && ts.isBinaryExpression(compared) && isEquality(compared.operatorToken.kind) &&
          ![compared.left, compared.right].some((e) => { const x = strip(e); return isStringLike(x) && x.text === 'undefined'; })) {
          cur = climb(p);
          continue;
        }
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'includes' && ts.isArrayLiteralExpression(strip(callee.expression))) {
          const list = strip(callee.expression) as ts.ArrayLiteralExpression;
          m = m === 'undefined' && !list.elements.some((e) => isNullishLiteral(e)) ? 'false' : 'unknown';
          reason ??= 'compared';
          cur = climb(p);
          continue;
        }
        break;
      }
      if (ts.isIfStatement(p) && p.expression === cur) {
        const t = truthy(m);
        const branch = t ? p.thenStatement : p.elseStatement;
        if (t !== undefined && fails(branch) && !caughtHere(p, branch)) return { required: true };
        if (t !== undefined && pending && logsRequired(branch, pending.read.name)) return { required: true };
        return { optional: reason ?? 'tested' };
      }
      if (ts.isConditionalExpression(p) && p.condition === cur) {
        const t = truthy(m);
        if (t !== undefined && failsExpression(t ? p.whenTrue : p.whenFalse)) return { required: true };
        return { optional: reason ?? 'tested' };
      }
      if ((ts.isWhileStatement(p) || ts.isDoStatement(p)) && p.expression === cur) return { optional: reason ?? 'tested' };
      if (ts.isForStatement(p) && p.condition === cur) return { optional: reason ?? 'tested' };
      if (ts.isSwitchStatement(p) && p.expression === cur) {
        if (!reason && m === 'undefined') {
          const fallsToDefault = !p.caseBlock.clauses.some((c) => ts.isCaseClause(c) && isNullishLiteral(c.expression));
          const dflt = p.caseBlock.clauses.find((c) => ts.isDefaultClause(c));
          if (fallsToDefault && dflt && dflt.statements.some((s) => fails(s))) return { required: true };
        }
        return { optional: reason ?? 'compared' };
      }
      break;
    }
    if (reason) return { optional: reason };
    // 3b. The read itself only shown in a log line (`logger.log(\`host=${process.env.DB_HOST}\`)`).
    // Not for a local's or a field's uses: one logged use says nothing of the others.
    if (pending && isLogged(cur)) return { optional: 'logged' };
    // 3c. Only written to a log as a value of an object, or shown in a response body in a shape
    // that tells whether it is set, through a local object too: a diagnostic that echoes what is
    // set (`json({ env: { X: process.env.X?.length } })`).
    if (pending && isEchoed(cur)) return { optional: 'logged' };
    // 4. An option a Google Cloud client fills in itself (`new Storage({ projectId: X })`), one
    // node-postgres fills from this same variable (`new Pool({ user: process.env.PGUSER })`), or
    // Sentry's DSN, without which the SDK stays off (`Sentry.init({ dsn: process.env.SENTRY_DSN })`).
    if (isAmbientClientOption(cur, pending?.read.name)) return { optional: 'client-default' };
    // 4b. A field of one record of a table whose other records lack it (`plans = [{ id: 'free' },
    // { id: 'pro', priceId: process.env.X }]`): whoever reads the table copes with its absence.
    if (isSparseTableValue(cur)) return { optional: 'dict-value' };
    // 4b'. A value of a local map whose declared type takes undefined values
    // (`const byKey: Record<string, string | undefined> = { a: process.env.X }`): whoever reads the
    // map is told an entry may be missing.
    if (isValueOfOptionalMap(cur)) return { optional: 'dict-value' };
    // 4b''. A field the object's declared type makes optional (`appKey: process.env.X` returned as
    // a `Config` whose `datadog.appKey?: string`): whoever reads the object is told it may be missing.
    if (isOptionalDeclaredField(cur)) return { optional: 'dict-value' };
    // 4c. Handed on in a child process's environment (`exec(cmd, { env: { ...process.env, X:
    // process.env.X } })`): Node leaves an undefined value out, and the child decides what it needs.
    if (isChildEnvValue(cur)) return { optional: 'dict-value' };
    const p = cur.parent;
    // 5. Stored in a private field its class never reads: dead, whatever `!` claims.
    if (ts.isPropertyDeclaration(p) && p.initializer === cur && isUnreadPrivateField(p)) return { optional: 'unused' };
    // 6. Bound to a local or stored in a private field: its uses decide (in `finish`). An
    // asserted `!` binding claims presence.
    // A parameter's default (`function gate(raw = process.env.X)`) is judged like a local.
    if (pending && !nonNull && (ts.isVariableDeclaration(p) || ts.isParameter(p)) && p.initializer === cur && ts.isIdentifier(p.name)) {
      pending.local = p.name;
    }
    // Assigned to a local declared earlier in the same function (`let raw; … raw =
    // process.env.X?.trim();`): the local's uses decide.
    if (pending && !nonNull && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === cur &&
        ts.isIdentifier(p.left) && ts.isExpressionStatement(p.parent)) {
      const declared = letDeclarationOf(p.left);
      if (declared) pending.local = declared;
    }
    if (pending && !nonNull) pending.field = privateFieldStoring(cur);
    if (pending && !nonNull) pending.getter = localGetterReturning(cur);
    if (pending && !nonNull && !pending.getter) pending.exportedGetter = exportedGetterReturning(cur);
    // 7. Passed to a function of another file of the workspace: the model asks that function.
    if (pending && !nonNull && this.passedTo) {
      const to = this.passedTo(cur);
      if (to) pending.read.passedTo = to;
    }
    // 8. A value of a module's settings object (`export default { apiKey: process.env.X }`): it
    // is used where the object is, in other files; whether its absence breaks anything is not seen.
    if (pending && !nonNull && !pending.read.passedTo && inModuleSettingsObject(cur)) pending.read.needUnseen = true;
    // 9. What a callback handed to other code returns (`new Adapter(() => config.get('X'))`):
    // the code calling it uses the value, and that is not seen here.
    if (pending && !nonNull && ts.isArrowFunction(p) && p.body === cur && isHandedOn(p)) pending.read.needUnseen = true;
    // 10. A command-line option's default (`args.option(['c', 'channels'], '…', process.env.X)`):
    // unset, the option is simply not given; the code using the parsed options decides.
    if (pending && !nonNull && isOptionDefault(cur)) pending.read.needUnseen = true;
    return undefined;
  }
}

/** Two hand-overs of a value to the same parameter (or property of one) of the same function. */
function samePass(a: PassedTo, b: PassedTo): boolean {
  return a.module === b.module && a.name === b.name && a.arg === b.arg && a.property === b.property && !a.handedOn === !b.handedOn;
}

/** The name of the module-local function (a top-level declaration or `const f = () => …`, not
 * exported) whose whole result `value` is. */
function localGetterReturning(value: ts.Node): ts.Identifier | undefined {
  const g = topLevelGetterReturning(value);
  return g && !g.exported ? g.name : undefined;
}

/** The name of the exported top-level function whose whole result `value` is; a default export
 * has no name callers use. */
function exportedGetterReturning(value: ts.Node): ts.Identifier | undefined {
  const g = topLevelGetterReturning(value);
  return g?.exported === 'named' ? g.name : undefined;
}

/** The top-level function (a declaration or `const f = () => …`) whose whole result `value` is,
 * and how its module exports it. */
function topLevelGetterReturning(value: ts.Node): { name: ts.Identifier; exported?: 'named' | 'default' } | undefined {
  const p = value.parent;
  let fn: ts.Node | undefined;
  if (ts.isReturnStatement(p) && p.expression === value) fn = functionOf(p);
  else if (ts.isArrowFunction(p) && p.body === value) fn = p;
  if (!fn) return undefined;
  if (ts.isFunctionDeclaration(fn)) return fn.name && ts.isSourceFile(fn.parent) ? { name: fn.name, exported: exportOf(fn) } : undefined;
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const decl = climb(fn).parent;
    if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
    const stmt = decl.parent.parent;
    if (ts.isVariableStatement(stmt) && ts.isSourceFile(stmt.parent)) return { name: decl.name, exported: exportOf(stmt) };
  }
  return undefined;
}

function exportOf(n: ts.Node): 'named' | 'default' | undefined {
  const mods = ts.canHaveModifiers(n) ? ts.getModifiers(n) ?? [] : [];
  if (mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return 'default';
  return mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ? 'named' : undefined;
}

/** The calls of a module-local function in its file; none when it is used otherwise too (passed
 * on, exported by name, reassigned), since its callers are then not all seen. */
function callsOf(name: ts.Identifier): ts.CallExpression[] {
  const sf = name.getSourceFile();
  const calls: ts.CallExpression[] = [];
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(n) && n !== name && n.text === name.text && !isMemberName(n)) {
      const p = n.parent;
      if (ts.isCallExpression(p) && p.expression === n) calls.push(p);
      else other = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return other ? [] : calls;
}

/** `value` is a property of an object literal in an array literal of records, and another record
 * of that array lacks the property or holds `null`/`undefined` there. */
function isSparseTableValue(value: ts.Node): boolean {
  const prop = value.parent;
  if (!ts.isPropertyAssignment(prop) || prop.initializer !== value) return false;
  const key = propertyNameText(prop.name);
  const record = prop.parent;
  if (key === undefined || !ts.isObjectLiteralExpression(record)) return false;
  const table = climb(record).parent;
  if (!table || !ts.isArrayLiteralExpression(table)) return false;
  const records = table.elements.map((e) => strip(e)).filter(ts.isObjectLiteralExpression);
  if (records.length < 2) return false;
  return records.some((r) => {
    if (r === record) return false;
    const own = r.properties.find((q) => q.name !== undefined && propertyNameText(q.name) === key);
    if (!own) return !r.properties.some(ts.isSpreadAssignment);
    return ts.isPropertyAssignment(own) && isNullishLiteral(own.initializer);
  });
}

/** `value` is a value of the `env` object in the options a call or `new` is handed
 * (`spawn(cmd, args, { env: { X: value } })`, `new Worker(file, { env: { … } })`). */
function isChildEnvValue(value: ts.Node): boolean {
  const holder = envKeyHolder(value);
  if (!holder) return false;
  const options = climb(holder);
  const call = options.parent;
  return (ts.isCallExpression(call) || ts.isNewExpression(call)) && (call.arguments ?? []).some((a) => a === options);
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

/** `value` is an argument of a log call, as itself or inside a template or `+` string built
 * for it. */
function isLogged(value: ts.Node): boolean {
  let cur = value;
  for (;;) {
    const p = cur.parent;
    if (ts.isTemplateSpan(p) && p.expression === cur) cur = climb(p.parent);
    else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken) cur = climb(p);
    else break;
  }
  return echoKind(cur) === 'log';
}

/**
 * `value` is a value of an object literal, nested or not, that is only written to a log
 * (`logger.info({ region: process.env.X })`), or only shown in a response body in a shape that
 * tells whether it is set (`json({ keyLength: process.env.X?.length })`, `?.slice(0, 6) + '…'`),
 * directly or as a `const` local every use of which is. A plain value in a response body may be
 * served to a client that needs it (`res.json({ clientId: process.env.X })`), and a request body
 * (`JSON.stringify({ client_id: … })`) is sent on: neither is an echo.
 */
function isEchoed(value: ts.Node): boolean {
  let cur = value;
  // The caller has climbed through `?.` chains already (`process.env.X?.length`).
  let shaped = ts.isOptionalChain(value);
  for (;;) {
    const p = cur.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === cur && p.questionDotToken) { cur = p; shaped = true; }
    else if (ts.isCallExpression(p) && p.expression === cur && ts.isPropertyAccessExpression(cur) && cur.questionDotToken) cur = p;
    else if (ts.isTemplateSpan(p) && p.expression === cur) cur = p.parent;
    else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken) cur = p;
    else if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p)) cur = p;
    else break;
  }
  const object = objectHolding(cur);
  if (!object) return false;
  // A report of the environment (`{ A: process.env.A, B_LENGTH: process.env.B?.length }`, a
  // diagnostic endpoint's body): where one value is shown only by whether it is set, the plain
  // values beside it are shown, not served to a client that needs them.
  const presenceReport = !shaped && reportsPresence(object);
  const echoes = (node: ts.Node): boolean => {
    const kind = echoKind(node);
    return kind === 'log' || (kind === 'response' && (shaped || presenceReport));
  };
  if (echoes(object)) return true;
  const decl = object.parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== object || !ts.isIdentifier(decl.name)) return false;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return false;
  const uses = usesOf(value.getSourceFile(), [decl.name]).get(decl.name) ?? [];
  return uses.length > 0 && uses.every((u) => {
    const holder = ts.isShorthandPropertyAssignment(u.parent) ? objectHolding(u.parent.name, true) : objectHolding(u);
    return echoes(holder ?? climb(u));
  });
}

/** An object literal, nested ones included, holding an env value in a shape that tells only
 * whether it is set (`process.env.X?.length`, `process.env.X?.substring(0, 8)`), or the names
 * Cloud Run sets to say which revision runs (`revision: process.env.K_REVISION`): a report of the
 * running instance (a status endpoint), whose values are shown, not served to a client that needs them. */
function reportsPresence(object: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(n) && n.questionDotToken && ts.isPropertyAccessExpression(strip(n.expression)) &&
      envObject((strip(n.expression) as ts.PropertyAccessExpression).expression)) {
      found = true;
      return;
    }
    if (ts.isPropertyAccessExpression(n) && REVISION_IDENTITY.has(n.name.text) && envObject(n.expression)) {
      found = true;
      return;
    }
    // `process.env.X ? process.env.X.length : 0`: only how long it is, or nothing.
    if (ts.isConditionalExpression(n) && showsLength(n)) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(object);
  return found;
}

/** The outermost object literal `value` is a property value of (nested objects included). */
function objectHolding(value: ts.Node, shorthand = false): ts.Node | undefined {
  let cur = value;
  let found: ts.Node | undefined;
  for (;;) {
    const p = cur.parent;
    const inObject = (ts.isPropertyAssignment(p) && p.initializer === cur) || (shorthand && ts.isShorthandPropertyAssignment(p) && p.name === cur);
    if (!inObject || !ts.isObjectLiteralExpression(p.parent)) return found;
    found = climb(p.parent);
    cur = found;
  }
}

/** Names Cloud Run sets in a service to say which revision runs. */
const REVISION_IDENTITY: ReadonlySet<string> = new Set(['K_SERVICE', 'K_REVISION', 'K_CONFIGURATION']);
/** A route handler's decorators (NestJS): what the method returns is the response body. */
const ROUTE_DECORATOR = /^(?:Get|Post|Put|Patch|Delete|All|Head|Options)$/;

/** The method `node` is returned from is a route handler (`@Get('status') status() { return … }`). */
function returnedFromRoute(node: ts.Node): boolean {
  if (!ts.isReturnStatement(node.parent) || node.parent.expression !== node) return false;
  let fn: ts.Node | undefined = node.parent.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !ts.isMethodDeclaration(fn)) return false;
  return (ts.getDecorators(fn) ?? []).some((d) => {
    const e = d.expression;
    const callee = ts.isCallExpression(e) ? e.expression : e;
    return ts.isIdentifier(callee) && ROUTE_DECORATOR.test(callee.text);
  });
}

/** `process.env.X ? process.env.X.length : 0`: the value's length when it is set, else nothing. */
function showsLength(n: ts.ConditionalExpression): boolean {
  const shown = strip(n.whenTrue);
  if (!ts.isPropertyAccessExpression(shown) || shown.name.text !== 'length') return false;
  const of = strip(shown.expression);
  return ts.isPropertyAccessExpression(of) && !!envObject(of.expression) && strip(n.condition).getText() === of.getText();
}

/** The name a call's receiver goes by: `logger` of `logger.error`, `log` of `this.log.warn`. */
function receiverName(obj: ts.Expression): string {
  return ts.isIdentifier(obj) ? obj.text : ts.isPropertyAccessExpression(obj) ? obj.name.text : '';
}

/** `node` is an argument of a call that writes it to a log, or to a response body (also the
 * value a route handler returns). */
function echoKind(node: ts.Node): 'log' | 'response' | undefined {
  if (returnedFromRoute(node)) return 'response';
  const call = node.parent;
  if (!ts.isCallExpression(call) || !call.arguments.some((a) => a === node)) return undefined;
  const callee = strip(call.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'json' ? 'response' : undefined;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  let obj = strip(callee.expression);
  const method = callee.name.text;
  // `res.status(200).json(…)`: the status set first, the body sent to the same response.
  if ((method === 'json' || method === 'send') && ts.isCallExpression(obj) && ts.isPropertyAccessExpression(obj.expression) && obj.expression.name.text === 'status') {
    obj = strip(obj.expression.expression);
  }
  const receiver = receiverName(obj);
  if ((method === 'json' || method === 'send') && /^(?:res|response|reply|ctx|c|Response|NextResponse)$/.test(receiver)) return 'response';
  return isLogCall(receiver, method) ? 'log' : undefined;
}

/** An option parser's default argument (knowledge/cli-options.ts): `x.option(flags, desc, value)`. */
function isOptionDefault(value: ts.Node): boolean {
  const call = value.parent;
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = strip(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !OPTION_METHODS.has(callee.name.text)) return false;
  return call.arguments.indexOf(value as ts.Expression) >= OPTION_DEFAULT_FROM;
}

/** A function given as an argument or as a property value. */
function isHandedOn(fn: ts.ArrowFunction): boolean {
  const at = climb(fn);
  const p = at.parent;
  return ((ts.isCallExpression(p) || ts.isNewExpression(p)) && !!p.arguments?.some((a) => a === at)) ||
    (ts.isPropertyAssignment(p) && p.initializer === at);
}

/** A function named as a yes/no question (`isReal`, `hasToken`, `isValidUrl`, `shouldUse`). */
function isPredicateCallee(e: ts.Expression): boolean {
  const c = strip(e);
  const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
  return /^(?:is|has|should|can)[A-Z_]/.test(name);
}

/** `value` is a property of an object literal (nested objects included) that the module exports
 * or keeps at its top level: `export default {…}`, `module.exports = {…}`, `export const config =
 * {…}`, `const settings = {…}`. */
function inModuleSettingsObject(value: ts.Node): boolean {
  let cur: ts.Node = value;
  /** The outermost key the value sits under (`google` for `{ google: { projectId: X } }`). */
  let key: string | undefined;
  for (;;) {
    const p = cur.parent;
    if (!p) return false;
    if (ts.isPropertyAssignment(p) && p.initializer === cur) {
      key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : '';
      cur = climb(p.parent);
      continue;
    }
    if (key === undefined) return false;
    if (ts.isExportAssignment(p)) return true;
    // The object a callback handed on returns (`registerAs('env', () => ({ KEY: process.env.KEY }))`):
    // whoever calls it uses the values.
    if (ts.isArrowFunction(p) && p.body === cur && isHandedOn(p)) return true;
    // A named object the file itself uses (`client(config.apiKey)`) may use the value here: only
    // an object its file never reaches the value through is wholly used elsewhere (`Env.slack.token`
    // used here says nothing of `Env.google.projectId`).
    if (ts.isVariableDeclaration(p) && p.initializer === cur) return ts.isSourceFile(p.parent.parent.parent) && ts.isIdentifier(p.name) && !usedInFile(p.name, key);
    if (ts.isBinaryExpression(p) && p.right === cur && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = p.left.getText();
      return (left === 'module.exports' || left.startsWith('module.exports.') || left.startsWith('exports.')) && ts.isExpressionStatement(p.parent) && ts.isSourceFile(p.parent.parent);
    }
    return false;
  }
}

/** How many of a settings field's siblings are recorded (`EnvRead.storedBeside`). */
const MAX_SIBLINGS = 6;
/** A field name other files can be searched for by word (model/stored-fields.ts). */
const SEARCHABLE_KEY = /^[A-Za-z_$][\w$]*$/;

function searchableKey(name: ts.PropertyName | undefined): string | undefined {
  const text = name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
  return text !== undefined && text.length >= MIN_WORD && SEARCHABLE_KEY.test(text) ? text : undefined;
}

/**
 * The field of a module's settings object that holds the value read at `acc` or a test of it
 * (`export const config = { api: { playground: process.env.X === 'true' } }`: `playground`),
 * through parentheses, `!` assertions, fallbacks, comparisons, negations, conversions and methods
 * called with `?.` — none of which throws on an unset variable — with the other named fields of
 * the same object literal. Only a key other files can be searched for (`EnvRead.storedIn`):
 * whether anything uses it is theirs to say.
 */
function settingsFieldOf(acc: ts.Node): { key: string; siblings: string[] } | undefined {
  let cur = climb(acc);
  for (let steps = 0; steps < 8; steps++) {
    const p = cur.parent;
    if (!p || (ts.isPropertyAssignment(p) && p.initializer === cur)) break;
    // Nothing on the way may throw: a fallback that does (`?? fail('X')`) needs the value here.
    const through = (isFallback(p) && !flatten(p).some((o) => o !== cur && failsExpression(o as ts.Expression))) ||
      (ts.isBinaryExpression(p) && isEquality(p.operatorToken.kind)) ||
      (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) ||
      (ts.isCallExpression(p) && p.arguments[0] === cur && (isConversion(p.expression) || ['Boolean', 'String'].includes(p.expression.getText())));
    if (through) {
      cur = climb(p);
      continue;
    }
    // `x?.trim()`: a method of the value called, where an unset value gives undefined (`x.trim()` throws).
    if (ts.isPropertyAccessExpression(p) && p.expression === cur && p.questionDotToken && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      cur = climb(p.parent);
      continue;
    }
    return undefined;
  }
  const prop = cur.parent;
  if (!prop || !ts.isPropertyAssignment(prop) || prop.initializer !== cur || !ts.isObjectLiteralExpression(prop.parent)) return undefined;
  const key = searchableKey(prop.name);
  if (!key || !inModuleSettingsObject(cur)) return undefined;
  // A framework's or tool's own configuration (`next.config.js`'s `env: { … }`) is read by the
  // framework, which no file names.
  const file = acc.getSourceFile().fileName;
  if (isNextConfigFile(file) || isToolConfigPath(file)) return undefined;
  // A table per environment (`{ development: {…}, production: { host: … } }`) is picked by a
  // computed key and handed whole to its library (Sequelize, Knex), which reads fields no file names.
  for (let o: ts.Node = prop.parent; ts.isPropertyAssignment(climb(o).parent); o = climb(o).parent.parent) {
    const outer = climb(o).parent as ts.PropertyAssignment;
    const name = ts.isIdentifier(outer.name) || ts.isStringLiteral(outer.name) ? outer.name.text : '';
    if (environmentNames().isToken(name)) return undefined;
  }
  // The nearest few: one named elsewhere is evidence enough, and a settings object may hold hundreds.
  const siblings: string[] = [];
  const all = prop.parent.properties;
  const at = all.indexOf(prop);
  for (let d = 1; siblings.length < MAX_SIBLINGS && (at - d >= 0 || at + d < all.length); d++) {
    for (const q of [all[at - d], all[at + d]]) {
      const k = q && (ts.isPropertyAssignment(q) || ts.isShorthandPropertyAssignment(q) || ts.isMethodDeclaration(q)) ? searchableKey(q.name) : undefined;
      if (k && k !== key && siblings.length < MAX_SIBLINGS) siblings.push(k);
    }
  }
  return { key, siblings };
}

/** Per declared name and key: whether its file may use that key of it. */
const used = new WeakMap<ts.Identifier, Map<string, boolean>>();

/** Whether the file refers to `name` other than by exporting it, or through a first property
 * other than `key` (`Env.slack.token` does not use `Env.google`; `Env` passed whole does). */
function usedInFile(name: ts.Identifier, key: string): boolean {
  let byKey = used.get(name);
  if (!byKey) used.set(name, (byKey = new Map()));
  const known = byKey.get(key);
  if (known !== undefined) return known;
  const text = name.text;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n !== name && n.text === text && !isMemberName(n)) {
      const p = n.parent;
      const exported = (ts.isExportAssignment(p) && p.expression === n) || ts.isExportSpecifier(p) || isCommonJsExport(n);
      const otherKey = ts.isPropertyAccessExpression(p) && p.expression === n && key !== '' && p.name.text !== key;
      if (!exported && !otherKey) found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(name.getSourceFile());
  byKey.set(key, found);
  return found;
}

/** `module.exports = config`, `exports.config = config`, `module.exports = { config }`: the name
 * handed to other files, as `export default config` hands it. */
function isCommonJsExport(n: ts.Identifier): boolean {
  let value: ts.Node = n;
  if (ts.isShorthandPropertyAssignment(n.parent) && ts.isObjectLiteralExpression(n.parent.parent)) value = n.parent.parent;
  const p = value.parent;
  if (!ts.isBinaryExpression(p) || p.right !== value || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const left = p.left.getText();
  return left === 'module.exports' || left.startsWith('module.exports.') || left.startsWith('exports.');
}

/** An identifier that names a member, not a variable: `process.env`'s `env`, `{ env: 1 }`'s key. */
function isMemberName(n: ts.Identifier): boolean {
  const p = n.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isQualifiedName(p) && p.right === n) ||
    ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p) ||
      ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p)) && p.name === n);
}

/** The private field `value` is stored in: its initializer, or `this.key = value` for a private
 * field `key` its class declares (in JavaScript, for any field `key` a method assigns). */
function privateFieldStoring(value: ts.Node): ClassField | undefined {
  const p = value.parent;
  if (ts.isPropertyDeclaration(p) && p.initializer === value) {
    return isPrivateField(p) ? { name: p.name.getText(), cls: p.parent as ts.ClassLikeDeclaration } : undefined;
  }
  if (!ts.isBinaryExpression(p) || p.right !== value || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const target = strip(p.left);
  if (!ts.isPropertyAccessExpression(target) || strip(target.expression).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  // `this` is the class's within its constructor and methods, and arrow functions in them.
  let fn: ts.Node | undefined = p.parent;
  while (fn && (!ts.isFunctionLike(fn) || ts.isArrowFunction(fn))) fn = fn.parent;
  if (!fn || !(ts.isConstructorDeclaration(fn) || ts.isMethodDeclaration(fn)) || !ts.isClassLike(fn.parent)) return undefined;
  const name = target.name.getText();
  const cls = fn.parent;
  const decl = cls.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && m.name.getText() === name);
  if (decl) return isPrivateField(decl) ? { name, cls } : undefined;
  // JavaScript has no `private` but `#`: a field a constructor or method assigns is the class's
  // like a Python attribute on `self` is, and its uses in the class decide.
  return isJavaScript(value.getSourceFile()) ? { name, cls } : undefined;
}

function isJavaScript(sf: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/i.test(sf.fileName);
}

function isPrivateField(decl: ts.PropertyDeclaration): boolean {
  return ts.isClassLike(decl.parent) && (ts.isPrivateIdentifier(decl.name) ||
    (ts.isIdentifier(decl.name) && !!decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)));
}

/** The reads of a private field in its class (`this.key`), not the writes to it; none when the
 * class may reach it otherwise (`this[k]`, `const { key } = this`), whose use is not seen. */
function fieldUses(field: ClassField): ts.Node[] {
  const text = field.name;
  const out: ts.Node[] = [];
  let hidden = false;
  const visit = (n: ts.Node): void => {
    if (hidden) return;
    const whole = ts.isElementAccessExpression(n) ? n.expression
      : ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) ? n.initializer : undefined;
    if (whole && strip(whole).kind === ts.SyntaxKind.ThisKeyword) {
      hidden = true;
      return;
    }
    if (ts.isPropertyAccessExpression(n) && n.name.getText() === text && strip(n.expression).kind === ts.SyntaxKind.ThisKeyword) {
      const up = climb(n).parent;
      const written = ts.isBinaryExpression(up) && climb(up.left) === climb(n) && up.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      if (!written) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  for (const member of field.cls.members) visit(member);
  return hidden ? [] : out;
}

/** A `private` (or `#private`) field no code of its class reads by name. Private members can only be
 * reached from inside the class, so the class body is the whole search; `this[k]` with a computed
 * key could reach any member, so it keeps the field. */
function isUnreadPrivateField(decl: ts.PropertyDeclaration): boolean {
  const name = decl.name;
  const isPrivate = ts.isPrivateIdentifier(name) ||
    (ts.isIdentifier(name) && !!decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword));
  if (!isPrivate || !ts.isClassLike(decl.parent)) return false;
  const text = name.text;
  let read = false;
  const visit = (n: ts.Node): void => {
    if (read) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === text) read = true;
    else if (ts.isElementAccessExpression(n) && strip(n.expression).kind === ts.SyntaxKind.ThisKeyword &&
      !(isStringLike(n.argumentExpression) && n.argumentExpression.text !== text)) read = true;
    else if (ts.isShorthandPropertyAssignment(n) || ts.isBindingElement(n)) {
      // `const { key } = this`: destructuring reads the member by name.
      const id = ts.isBindingElement(n) ? n.propertyName ?? n.name : n.name;
      if (ts.isIdentifier(id) && id.text === text) read = true;
    }
    if (!read) ts.forEachChild(n, visit);
  };
  for (const member of decl.parent.members) if (member !== decl) visit(member);
  return !read;
}

/** Array methods that search a list of candidates for the first one that passes, or keep those
 * that pass (`[A, B, C].filter(Boolean)`: keys to rotate through, any one of which will do). */
const SEARCHES = new Set(['find', 'findLast', 'filter']);

/** `node` as an element of an array literal of two or more candidates that is searched at once
 * (`[a, b].find(…)`, `[a, b].map(norm).filter(Boolean)`, or the same through a `const` used only
 * there): the search call and the elements. */
/** `const m: Record<string, string | undefined> = { k: <value> }` (also `Partial<…>`, an index
 * signature `{ [k: string]: string | undefined }`): the value's map declares missing values. */
function isValueOfOptionalMap(value: ts.Node): boolean {
  const prop = value.parent;
  if (!prop || !ts.isPropertyAssignment(prop) || prop.initializer !== value) return false;
  const obj = prop.parent;
  const decl = obj && ts.isObjectLiteralExpression(obj) ? climb(obj).parent : undefined;
  const type = decl && ts.isVariableDeclaration(decl) && decl.initializer && strip(decl.initializer) === obj ? decl.type : undefined;
  if (!type) return false;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    if (type.typeName.text === 'Partial') return true;
    if (type.typeName.text === 'Record') return acceptsUndefined(type.typeArguments?.[1]);
  }
  if (ts.isTypeLiteralNode(type)) {
    return type.members.some((m) => ts.isIndexSignatureDeclaration(m) && acceptsUndefined(m.type));
  }
  return false;
}

/**
 * The declared type of an object literal, as written in this file: a variable's annotation
 * (`const c: Config = {…}`), the return type of the function returning it (`function load():
 * Config { return {…} }`, an arrow's expression body), or, for an object nested as a field's value,
 * that field's type in the outer object's declared type. Undefined where none is written.
 */
function declaredTypeOf(obj: ts.ObjectLiteralExpression, depth = 0): ts.TypeNode | undefined {
  if (depth > 6) return undefined;
  const holder = climb(obj);
  const p = holder.parent;
  if (!p) return undefined;
  if (ts.isVariableDeclaration(p) && p.initializer === holder) return p.type;
  if (ts.isReturnStatement(p)) {
    for (let f: ts.Node | undefined = p.parent; f; f = f.parent) {
      if (ts.isFunctionDeclaration(f) || ts.isFunctionExpression(f) || ts.isArrowFunction(f) || ts.isMethodDeclaration(f)) return f.type;
    }
    return undefined;
  }
  if (ts.isArrowFunction(p) && p.body === holder) return p.type;
  // `this.config = {…}` in a class whose field says its type (`private config: Config;`).
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === holder) return thisFieldType(p.left);
  if (ts.isPropertyAssignment(p) && p.initializer === holder && ts.isObjectLiteralExpression(p.parent)) {
    const outer = declaredTypeOf(p.parent, depth + 1);
    const member = outer && memberOf(outer, p.name, obj.getSourceFile());
    return member?.type;
  }
  return undefined;
}

/** The declared type of the field `this.<name>` names, from the class the assignment sits in. */
function thisFieldType(target: ts.Expression): ts.TypeNode | undefined {
  const left = strip(target);
  if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword || !ts.isIdentifier(left.name)) return undefined;
  let cls: ts.Node | undefined = left.parent;
  // Arrow functions keep the class's `this`; any other function has its own.
  while (cls && !ts.isClassLike(cls)) {
    if (ts.isFunctionDeclaration(cls) || ts.isFunctionExpression(cls)) return undefined;
    cls = cls.parent;
  }
  if (!cls || !ts.isClassLike(cls)) return undefined;
  const name = left.name.text;
  const field = cls.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name);
  return field?.type;
}

/** The property `name` of a type written in this file: a type literal, or an interface or type
 * alias of the file named by a reference. */
function memberOf(type: ts.TypeNode, name: ts.PropertyName, file: ts.SourceFile): ts.PropertySignature | undefined {
  if (!(ts.isIdentifier(name) || ts.isStringLiteral(name))) return undefined;
  let members: ts.NodeArray<ts.TypeElement> | undefined;
  if (ts.isTypeLiteralNode(type)) members = type.members;
  else if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments) {
    const wanted = type.typeName.text;
    for (const st of file.statements) {
      if (ts.isInterfaceDeclaration(st) && st.name.text === wanted && !st.heritageClauses) members = st.members;
      else if (ts.isTypeAliasDeclaration(st) && st.name.text === wanted && ts.isTypeLiteralNode(st.type)) members = st.type.members;
    }
  }
  return members?.find((m): m is ts.PropertySignature => ts.isPropertySignature(m) && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === name.text);
}

/** A field's value (`appKey: <read>`) where the object's declared type makes that field optional
 * (`appKey?: string`, `appKey: string | undefined`). */
function isOptionalDeclaredField(value: ts.Node): boolean {
  const prop = value.parent;
  if (!prop || !ts.isPropertyAssignment(prop) || prop.initializer !== value || !ts.isObjectLiteralExpression(prop.parent)) return false;
  const type = declaredTypeOf(prop.parent);
  const member = type && memberOf(type, prop.name, prop.getSourceFile());
  return !!member && (!!member.questionToken || acceptsUndefined(member.type));
}

const ENV_NAME_TEXT = /^[A-Z][A-Z0-9_]*$/;

/** `f('PRIMARY', <read>)`, `f('PRIMARY', <read> || '')`: the name a call reads first, when the read
 * (through a fallback chain and parentheses) is a later argument of a call whose first argument
 * names a variable. */
function fallbackArgumentOf(acc: ts.Node): string | undefined {
  let cur = climb(acc);
  while (isFallback(cur.parent)) cur = climb(cur.parent);
  const call = cur.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments.length < 2 || call.arguments[0] === cur || !call.arguments.includes(cur as ts.Expression)) return undefined;
  const first = strip(call.arguments[0]!);
  return isStringLike(first) && ENV_NAME_TEXT.test(first.text) ? first.text : undefined;
}

const isEmptyLiteral = (e: ts.Expression): boolean => {
  const x = strip(e);
  return (isStringLike(x) && x.text === '') || isNullishLiteral(x);
};

const firstUsableHelpers = new WeakMap<ts.SourceFile, Set<string>>();

/** A call of a top-level function of this file whose only parameter is a rest parameter it
 * searches for its first usable value (`function firstNonEmpty(...values) { return
 * values.map(…).find(Boolean) }`, a `for (const v of values) if (v) return v` loop). */
function isFirstUsableHelper(call: ts.CallExpression): boolean {
  const callee = strip(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  const sf = call.getSourceFile();
  let names = firstUsableHelpers.get(sf);
  if (!names) {
    names = new Set(topLevelFunctions(sf).filter(({ fn }) => searchesRest(fn)).map(({ name }) => name));
    firstUsableHelpers.set(sf, names);
  }
  return names.has(callee.text);
}

function searchesRest(fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression): boolean {
  const [param, ...more] = fn.parameters;
  if (!param || more.length || !param.dotDotDotToken || !ts.isIdentifier(param.name) || !fn.body) return false;
  const rest = param.name.text;
  let found = false;
  const fromRest = (e: ts.Expression): boolean => {
    let x = strip(e);
    // `values.map(…).filter(…)`: still the arguments, one by one.
    while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ['map', 'filter'].includes(x.expression.name.text)) x = strip(x.expression.expression);
    return ts.isIdentifier(x) && x.text === rest;
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'find' && fromRest(n.expression.expression)) found = true;
    else if (ts.isForOfStatement(n) && fromRest(n.expression) && containsReturn(n.statement)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

function containsReturn(n: ts.Node): boolean {
  if (ts.isReturnStatement(n)) return true;
  if (ts.isFunctionLike(n)) return false;
  return !!ts.forEachChild(n, (c) => containsReturn(c) || undefined);
}

function candidateList(node: ts.Node): { search: ts.CallExpression; elements: readonly ts.Expression[] } | undefined {
  const arr = node.parent;
  if (!arr || !ts.isArrayLiteralExpression(arr) || arr.elements.length < 2) return undefined;
  const top = climb(arr);
  const search = searchOf(top) ?? searchThroughConst(top);
  return search ? { search, elements: arr.elements } : undefined;
}

function isFilterSearch(call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'filter';
}

/** The filtered list, kept in a local, is tested for emptiness by a branch that fails
 * (`if (keys.length === 0) throw …`, `if (!keys.length) process.exit(1)`). */
function emptinessRejected(search: ts.CallExpression): boolean {
  const decl = climb(search).parent;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return false;
  const name = decl.name.text;
  const scope = decl.parent?.parent?.parent;
  if (!scope) return false;
  let rejected = false;
  const visit = (n: ts.Node): void => {
    if (rejected) return;
    if (ts.isIfStatement(n) && (fails(n.thenStatement) || fails(n.elseStatement)) && mentionsLength(n.expression, name)) rejected = true;
    else ts.forEachChild(n, visit);
  };
  visit(scope);
  return rejected;
}

function mentionsLength(e: ts.Node, name: string): boolean {
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'length' && ts.isIdentifier(strip(e.expression)) && (strip(e.expression) as ts.Identifier).text === name) return true;
  return !!ts.forEachChild(e, (c) => mentionsLength(c, name) || undefined);
}

/** The search `e` goes into: `e.find(…)` / `e.filter(…)`, or the same after one `.map(…)` whose
 * callback copes with an undefined element. */
function searchOf(e: ts.Node): ts.CallExpression | undefined {
  let cur = e;
  for (let hops = 0; hops < 2; hops++) {
    const acc = cur.parent;
    if (!acc || !ts.isPropertyAccessExpression(acc) || acc.expression !== cur) return undefined;
    const call = acc.parent;
    if (!call || !ts.isCallExpression(call) || call.expression !== acc) return undefined;
    if (SEARCHES.has(acc.name.text)) return call;
    if (acc.name.text !== 'map' || hops > 0 || !mapCopes(call)) return undefined;
    cur = climb(call);
  }
  return undefined;
}

/** `const raw = [a, b, c];` whose one use is a search (`raw.map(norm).filter(Boolean)`). */
function searchThroughConst(top: ts.Node): ts.CallExpression | undefined {
  const decl = top.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.initializer !== top || !ts.isIdentifier(decl.name)) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  const scope = list.parent?.parent;
  if (!scope) return undefined;
  const name = decl.name;
  const uses: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (uses.length > 1) return;
    if (ts.isIdentifier(n) && n !== name && n.text === name.text) uses.push(n);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return uses.length === 1 ? searchOf(climb(uses[0])) : undefined;
}

/** A `.map(…)` callback that copes with an undefined element: a function it is handed to (a
 * normaliser: `.map(normalize)`, `(v) => normalize(v)`), optional chaining (`v?.trim()`), or a
 * fallback (`v ?? ''`). `v!.trim()` throws on one, so the list is no search. */
function mapCopes(call: ts.CallExpression): boolean {
  const cb = call.arguments[0] && strip(call.arguments[0]);
  if (!cb) return false;
  if (ts.isIdentifier(cb) || ts.isPropertyAccessExpression(cb)) return true;
  if (!(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return false;
  const param = cb.parameters[0]?.name;
  if (!param || !ts.isIdentifier(param)) return false;
  let copes = true;
  const visit = (n: ts.Node): void => {
    if (!copes) return;
    if (ts.isIdentifier(n) && n !== param && n.text === param.text) {
      const at = climb(n);
      const p = at.parent;
      const argument = (ts.isCallExpression(p) || ts.isNewExpression(p)) && !!p.arguments?.includes(at as ts.Expression) && !isNonNull(n);
      const chained = (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === at && !!p.questionDotToken;
      const fallback = ts.isBinaryExpression(p) && p.left === at &&
        (p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken);
      if (!argument && !chained && !fallback) copes = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(cb.body);
  return copes;
}

/** `v!` (a claim the value is there). */
function isNonNull(id: ts.Identifier): boolean {
  return !!id.parent && ts.isNonNullExpression(id.parent);
}

/** A name or a property path (`apiKey`, `this.opts.apiKey`): a value the code holds, never a
 * literal or a call (whose text could carry a value into a message). */
function isNamePath(n: ts.Node): boolean {
  if (ts.isIdentifier(n)) return true;
  if (!ts.isPropertyAccessExpression(n)) return false;
  const e = n.expression;
  return e.kind === ts.SyntaxKind.ThisKeyword || isNamePath(e);
}

/** A fallback chain, computed once however many of its operands are reads. */
interface ChainShape {
  operands: ts.Node[];
  index: Map<ts.Node, number>;
  isEnv: boolean[];
  envCount: number;
  /** `valueFrom[i]`: some operand at `i` or later is not a read (a value that stands in). */
  valueFrom: boolean[];
  /** `throws[i]`: operand `i` is no read but a call that fails (`(() => { throw … })()`). */
  throws: boolean[];
}

/** More names than this in one chain are not recorded as alternatives. */
const MAX_ALTERNATIVES = 16;

function apply(read: EnvRead, outcome: Outcome): void {
  if (outcome && 'optional' in outcome) {
    read.hasDefault = true;
    read.optionalBecause = outcome.optional;
  }
}

/** A `!` assertion from `inner` up to `outer`: the author claims the value is there. */
function hasNonNull(inner: ts.Node, outer: ts.Node): boolean {
  for (let n: ts.Node | undefined = inner; n; n = n.parent) {
    if (ts.isNonNullExpression(n)) return true;
    if (n === outer) break;
  }
  return false;
}

/** `Number.isFinite` / `isFinite` / `Number.isInteger` / `Number.isSafeInteger` (false for NaN), or
 * `isNaN` / `Number.isNaN` (true for it). */
function numericCheck(callee: ts.Expression): 'isNaN' | 'isFinite' | undefined {
  const c = strip(callee);
  const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'Number' ? c.name.text : undefined;
  if (name === 'isNaN') return 'isNaN';
  return name === 'isFinite' || name === 'isInteger' || name === 'isSafeInteger' ? 'isFinite' : undefined;
}

export function isConversion(callee: ts.Expression): boolean {
  const c = strip(callee);
  if (ts.isIdentifier(c)) return CONVERSIONS.has(c.text);
  return ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && CONVERSIONS.has(`${c.expression.text}.${c.name.text}`);
}

export function isFallback(n: ts.Node): n is ts.BinaryExpression {
  return ts.isBinaryExpression(n) &&
    (n.operatorToken.kind === ts.SyntaxKind.BarBarToken || n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken);
}

/** The operands of a fallback chain, left to right, through parentheses (no recursion: minified
 * code chains thousands of `||`). */
export function flatten(top: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const stack: ts.Node[] = [top];
  while (stack.length) {
    const n = stack.pop() as ts.Node;
    const s = ts.isParenthesizedExpression(n) ? strip(n) : n;
    if (isFallback(s)) stack.push(s.right, s.left);
    else out.push(n);
  }
  return out;
}

function truthy(m: Missing): boolean | undefined {
  switch (m) {
    case 'undefined': case 'nan': case 'false': return false;
    case 'typeof-undefined': case 'true': return true;
    default: return undefined;
  }
}

function not(m: Missing): Missing {
  const t = truthy(m);
  return t === undefined ? 'unknown' : t ? 'false' : 'true';
}

/** `m op other` where `m` is what the unset variable gave. */
/** A value written in the code: a literal (text, number, boolean, `null`, `undefined`), a
 * `typeof`, or a template without substitutions. */
function isWrittenValue(e: ts.Expression): boolean {
  const o = strip(e);
  return isStringLike(o) || ts.isNumericLiteral(o) || ts.isTypeOfExpression(o) || ts.isVoidExpression(o) || isNullishLiteral(o) ||
    o.kind === ts.SyntaxKind.TrueKeyword || o.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(o) && o.text === 'undefined');
}

function isStrictEquality(op: ts.SyntaxKind): boolean {
  return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
}

/** Receivers whose `.get(name)` answers null, not undefined, for a name they lack: the Fetch
 * API's `Headers` (`request.headers`, Next's `headers()`), `URLSearchParams`, `FormData`. */
const NULL_GETTERS = new Set(['headers', 'searchParams', 'formData']);

/** A value that is never undefined: a `get` of a null-answering receiver, or a fallback chain
 * ending in a written value other than undefined (`param ?? ''`, `param ?? null`). */
function neverUndefined(e: ts.Expression): boolean {
  const o = strip(e);
  if (ts.isCallExpression(o) && ts.isPropertyAccessExpression(o.expression) && o.expression.name.text === 'get' && !o.questionDotToken) {
    let r = strip(o.expression.expression);
    if (ts.isCallExpression(r) && r.arguments.length === 0) r = strip(r.expression);
    const name = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : undefined;
    return !!name && NULL_GETTERS.has(name);
  }
  if (isFallback(o)) {
    const last = flatten(o).at(-1) as ts.Expression;
    return isWrittenValue(last) && (!isNullishLiteral(last) || strip(last).kind === ts.SyntaxKind.NullKeyword);
  }
  return false;
}

function compare(m: Missing, other: ts.Expression, op: ts.SyntaxKind): Missing {
  const o = strip(other);
  const loose = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  let eq: boolean | undefined;
  if (m === 'nan') eq = false;
  else if (m === 'undefined') {
    if (ts.isIdentifier(o) && o.text === 'undefined') eq = true;
    else if (ts.isVoidExpression(o)) eq = true;
    else if (o.kind === ts.SyntaxKind.NullKeyword) eq = loose;
    else if (isStringLike(o) || ts.isNumericLiteral(o) || o.kind === ts.SyntaxKind.TrueKeyword || o.kind === ts.SyntaxKind.FalseKeyword) eq = false;
  } else if (m === 'typeof-undefined' && isStringLike(o)) eq = o.text === 'undefined';
  if (eq === undefined) return 'unknown';
  return (isNegativeEquality(op) ? !eq : eq) ? 'true' : 'false';
}

/** A branch that ends the code path: a `throw`, `process.exit(…)`, a `fatal(…)`-like call, at its
 * top level. A throw that answers "feature switched off" (a 503, knowledge/http-responses.ts) is
 * no failure: the service runs, and the variable only turns the feature on. */
function fails(s: ts.Statement | undefined): boolean {
  if (!s) return false;
  if (ts.isThrowStatement(s)) return !switchesFeatureOff(s);
  if (ts.isBlock(s)) return s.statements.some((x) => (ts.isThrowStatement(x) && !switchesFeatureOff(x)) || (ts.isExpressionStatement(x) && failsExpression(x.expression)) ||
    (ts.isReturnStatement(x) && !!x.expression && failsExpression(x.expression)));
  if (ts.isExpressionStatement(s)) return failsExpression(s.expression);
  if (ts.isReturnStatement(s)) return !!s.expression && failsExpression(s.expression);
  return false;
}

/** Log methods at error level: a message there is the author saying something is wrong. */
const ERROR_LOG_METHODS = new Set(['error', 'fatal', 'critical']);
/** Words of a message saying a variable cannot be left out. */
const SAYS_REQUIRED = /\b(?:is|are)\s+required\b|\bmust\s+be\s+(?:set|configured|provided|defined)\b|\bmissing\s+required\b/i;

/** A branch taken when the variable is unset that logs, at error level, that the variable is
 * required (`console.error('CLIENT_URL is required in production')`), also in an `else if` of
 * it: the code goes on, but its own words say it cannot work without the value (CORS rejecting
 * every request). A warning (`console.warn('… required for payments; disabled')`) is a feature
 * left off, and stays optional. */
function logsRequired(s: ts.Statement | undefined, name: string): boolean {
  if (!s) return false;
  if (ts.isIfStatement(s)) return logsRequired(s.thenStatement, name) || logsRequired(s.elseStatement, name);
  const statements = ts.isBlock(s) ? s.statements : [s];
  return statements.some((x) => ts.isExpressionStatement(x) && isRequiredErrorLog(x.expression, name));
}

function isRequiredErrorLog(e: ts.Expression, name: string): boolean {
  const call = strip(e);
  if (!ts.isCallExpression(call)) return false;
  const callee = strip(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ERROR_LOG_METHODS.has(callee.name.text)) return false;
  if (!isLogCall(receiverName(strip(callee.expression)), callee.name.text)) return false;
  const first = call.arguments[0] && strip(call.arguments[0]);
  const text = !first ? undefined : ts.isStringLiteralLike(first) ? first.text : ts.isTemplateExpression(first) ? first.getText() : undefined;
  return !!text && text.includes(name) && SAYS_REQUIRED.test(text);
}

function switchesFeatureOff(t: ts.ThrowStatement): boolean {
  const e = t.expression && strip(t.expression);
  return !!e && ts.isNewExpression(e) && ts.isIdentifier(e.expression) && isFeatureOffError(e.expression.text);
}

/** A `throw` in `branch` that a `try` around `stmt` in the same function catches without failing
 * itself (`try { if (!key) throw …; … } catch { return fallback }`): the code copes. An exit is
 * never caught. */
function caughtHere(stmt: ts.Node, branch: ts.Statement | undefined): boolean {
  if (!branch || exits(branch)) return false;
  let cur: ts.Node = stmt;
  for (; cur.parent && !ts.isFunctionLike(cur.parent); cur = cur.parent) {
    const p = cur.parent;
    if (ts.isTryStatement(p) && p.tryBlock === cur && p.catchClause) return copes(p.catchClause.block);
  }
  // `private async fetchNews() { if (!this.key) throw … }` whose every call in its class is
  // caught and answered (`try { await this.fetchNews() } catch { return fallback }`,
  // `this.fetchNews().catch(() => [])`): the class copes, one call deep.
  return !!cur.parent && callersCatch(cur.parent);
}

/** A catch block that neither fails nor branches into a failure. */
function copes(handler: ts.Block): boolean {
  return !fails(handler) && !handler.statements.some((x) => ts.isIfStatement(x) && (fails(x.thenStatement) || fails(x.elseStatement)));
}

/** Every `this.<method>(…)` call of a method in its class is caught where it is made. */
function callersCatch(fn: ts.Node): boolean {
  if (!ts.isMethodDeclaration(fn) || !ts.isIdentifier(fn.name) || !ts.isClassLike(fn.parent)) return false;
  const name = fn.name.text;
  const calls: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === name &&
      strip(n.expression.expression).kind === ts.SyntaxKind.ThisKeyword) calls.push(n);
    ts.forEachChild(n, visit);
  };
  for (const m of fn.parent.members) if (m !== fn) visit(m);
  return calls.length > 0 && calls.every(callCaught);
}

function callCaught(call: ts.CallExpression): boolean {
  let cur: ts.Node = climb(call);
  // `this.m().then(…).catch(…)`
  for (let p = cur.parent; ts.isPropertyAccessExpression(p) && p.expression === cur && ts.isCallExpression(p.parent) && p.parent.expression === p; p = cur.parent) {
    if (p.name.text === 'catch') return true;
    if (p.name.text !== 'then' && p.name.text !== 'finally') break;
    cur = climb(p.parent);
  }
  if (ts.isAwaitExpression(cur.parent)) cur = climb(cur.parent);
  for (; cur.parent && !ts.isFunctionLike(cur.parent); cur = cur.parent) {
    const q = cur.parent;
    if (ts.isTryStatement(q) && q.tryBlock === cur && q.catchClause) return copes(q.catchClause.block);
  }
  return false;
}

function exits(s: ts.Statement): boolean {
  if (ts.isBlock(s)) return s.statements.some((x) => ts.isExpressionStatement(x) && failsExpression(x.expression));
  return ts.isExpressionStatement(s) && failsExpression(s.expression);
}

/** A call that ends the code path: `process.exit(…)`, `fatal(…)`-like helpers. */
export function failsExpression(e: ts.Expression): boolean {
  let s = strip(e);
  if (ts.isAwaitExpression(s) || ts.isVoidExpression(s)) s = strip(s.expression);
  if (!ts.isCallExpression(s)) return false;
  const c = strip(s.expression);
  if (ts.isIdentifier(c)) return FAILS_NAME.test(c.text);
  // A function called where it is written whose body throws: `(() => { throw new Error(…) })()`.
  if ((ts.isArrowFunction(c) || ts.isFunctionExpression(c)) && ts.isBlock(c.body)) return c.body.statements.some((st) => ts.isThrowStatement(st));
  if (!ts.isPropertyAccessExpression(c)) return false;
  const obj = strip(c.expression);
  if (ts.isIdentifier(obj) && (obj.text === 'process' || obj.text === 'Deno') && c.name.text === 'exit') return true;
  return FAILS_NAME.test(c.name.text);
}

/**
 * The uses of each local (its identifier references after the declaration, in the declaring
 * scope, not where a nested function or block declares the same name again). One pass per file
 * with an explicit stack: generated code nests deeply.
 */
function usesOf(sf: ts.SourceFile, locals: ts.Identifier[]): Map<ts.Identifier, ts.Identifier[]> {
  const out = new Map<ts.Identifier, ts.Identifier[]>();
  const byName = new Map<string, { id: ts.Identifier; scope: ts.Node }[]>();
  for (const id of locals) {
    out.set(id, []);
    const list = byName.get(id.text) ?? [];
    list.push({ id, scope: scopeOf(id) });
    byName.set(id.text, list);
  }
  const own = new Set<ts.Node>(locals);
  // Parallel stacks and one collector: this visits every node of the file.
  const nodes: ts.Node[] = [sf];
  const shadows: ReadonlySet<string>[] = [new Set()];
  const kids: ts.Node[] = [];
  const collect = (c: ts.Node): void => { kids.push(c); };
  while (nodes.length) {
    const node = nodes.pop() as ts.Node;
    const shadowed = shadows.pop() as ReadonlySet<string>;
    if (node.kind === ts.SyntaxKind.Identifier) {
      const id = node as ts.Identifier;
      const cands = byName.get(id.text);
      if (cands && !shadowed.has(id.text) && isReference(id)) {
        for (const c of cands) {
          if (id !== c.id && id.pos >= c.id.end && id.pos < c.scope.end) out.get(c.id)!.push(id);
        }
      }
      continue;
    }
    let inner = shadowed;
    if (ts.isFunctionLike(node) || node.kind === ts.SyntaxKind.Block) {
      const declared = redeclared(node, byName, own);
      if (declared.length) {
        const s = new Set(shadowed);
        for (const d of declared) s.add(d);
        inner = s;
      }
    }
    const base = kids.length;
    ts.forEachChild(node, collect);
    for (let i = kids.length - 1; i >= base; i--) {
      nodes.push(kids[i]);
      shadows.push(inner);
    }
    kids.length = base;
  }
  return out;
}

/** A function whose body runs when something calls it: not the file itself, and not one called
 * where it is written (`(() => { … })()`). */
function runsWhenCalled(fn: ts.Node): boolean {
  if (ts.isSourceFile(fn)) return false;
  const at = climb(fn);
  return !(ts.isCallExpression(at.parent) && at.parent.expression === at);
}

/** The function (or file) whose code runs a node. */
function functionOf(n: ts.Node): ts.Node {
  let c = n.parent;
  while (c && !ts.isFunctionLike(c) && !ts.isSourceFile(c)) c = c.parent;
  return c ?? n.getSourceFile();
}

/** The scope a local's uses live in: the enclosing block for `let`/`const`, the function for `var`. */
/** The `let` / `var` declaration, in an enclosing block of the same function, of the local an
 * assignment writes. */
function letDeclarationOf(target: ts.Identifier): ts.Identifier | undefined {
  for (let n: ts.Node | undefined = target.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isFunctionLike(n)) return undefined;
    if (!ts.isBlock(n)) continue;
    for (const st of n.statements) {
      if (st.pos >= target.pos) break;
      if (!ts.isVariableStatement(st) || (st.declarationList.flags & ts.NodeFlags.Const) !== 0) continue;
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === target.text) return d.name;
    }
  }
  return undefined;
}

function scopeOf(id: ts.Identifier): ts.Node {
  const decl = id.parent;
  const list = ts.isVariableDeclaration(decl) ? decl.parent : ts.isBindingElement(decl) ? climbBinding(decl).parent : undefined;
  const blockScoped = !!list && ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) !== 0;
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isSourceFile(n) || ts.isFunctionLike(n) || ts.isModuleBlock(n)) return n;
    if (blockScoped && (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n) || ts.isForStatement(n) ||
      ts.isForOfStatement(n) || ts.isForInStatement(n))) return n;
  }
  return id.getSourceFile();
}

function climbBinding(el: ts.BindingElement): ts.VariableDeclaration | ts.Node {
  let n: ts.Node = el;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return n;
}

/** Names of interest that a function's parameters or a block's own declarations bind again
 * (other than the locals themselves). */
function redeclared(node: ts.Node, names: Map<string, unknown>, own: ReadonlySet<ts.Node>): string[] {
  const out: string[] = [];
  const addBinding = (b: ts.BindingName): void => {
    if (ts.isIdentifier(b)) {
      if (names.has(b.text) && !own.has(b)) out.push(b.text);
      return;
    }
    for (const el of b.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  if (ts.isFunctionLike(node)) {
    for (const p of node.parameters) addBinding(p.name);
  } else if (ts.isBlock(node)) {
    for (const st of node.statements) {
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) addBinding(d.name);
      else if (ts.isFunctionDeclaration(st) && st.name) addBinding(st.name);
    }
  }
  return out;
}

/** An identifier that reads a variable: not a property name, a declaration's name or an assignment target. */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isQualifiedName(p) && p.right === id)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && (p.name === id || p.propertyName === id)) return false;
  if (ts.isTypeReferenceNode(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return false;
  const outer = climb(id).parent;
  if (ts.isBinaryExpression(outer) && outer.left === climb(id) && outer.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      outer.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  return true;
}

/**
 * `value` is an option a client fills in itself when undefined: the value of `keyFilename:` /
 * `projectId:` / … in an object literal passed straight to `new X(…)` or `X(…)`, where X (or the
 * namespace it is reached through) is imported from a Google client module; node-postgres's
 * `user:` / `password:` / … given the very variable `pg` reads for it (`readName`); or a Sentry
 * SDK's `dsn:` (`Sentry.init({ dsn })`), without which the SDK stays off, or an option that only
 * labels its events (`release:`, `environment:`).
 */
function isAmbientClientOption(value: ts.Node, readName: string | undefined): boolean {
  const prop = value.parent;
  if (!prop || !ts.isPropertyAssignment(prop) || prop.initializer !== value) return false;
  const name = ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) ? prop.name.text : undefined;
  if (!name) return false;
  const google = AMBIENT_CLIENT_OPTIONS.has(name);
  const postgres = !!readName && Object.hasOwn(PG_OPTION_VARIABLES, name) && PG_OPTION_VARIABLES[name] === readName;
  const sentry = SENTRY_OPTIONAL_OPTIONS.has(name);
  if (!google && !postgres && !sentry) return false;
  const literal = climb(prop.parent);
  const call = literal.parent;
  if (!call || !(ts.isNewExpression(call) || ts.isCallExpression(call)) || !call.arguments?.some((a) => a === literal)) return false;
  let callee = strip(call.expression);
  while (ts.isPropertyAccessExpression(callee)) callee = strip(callee.expression);
  return ts.isIdentifier(callee) && importedFrom(callee, google ? isGoogleClientModule : postgres ? isPostgresClientModule : isSentryModule);
}

/** Whether `id` names an import (named, default or namespace) from a module `isModule` accepts. */
function importedFrom(id: ts.Identifier, isModule: (specifier: string) => boolean, depth = 0): boolean {
  const sf = id.getSourceFile();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && isModule(st.moduleSpecifier.text)) {
      const c = st.importClause;
      if (!c) continue;
      if (c.name?.text === id.text) return true;
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb) && nb.name.text === id.text) return true;
      if (nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.name.text === id.text)) return true;
    }
    // `const { Storage } = require('@google-cloud/storage')`
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const binds = (ts.isIdentifier(d.name) && d.name.text === id.text) ||
          (ts.isObjectBindingPattern(d.name) && d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === id.text));
        if (!binds) continue;
        const spec = requiredModule(d);
        if (spec !== undefined && isModule(spec)) return true;
        // `import pg from 'pg'; const { Pool } = pg;` (a CommonJS package's classes from its default export)
        const init = d.initializer && strip(d.initializer);
        if (depth === 0 && init && ts.isIdentifier(init) && importedFrom(init, isModule, 1)) return true;
      }
    }
  }
  return false;
}
