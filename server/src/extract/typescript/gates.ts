/**
 * Secret Manager gates: code that decides whether to use Secret Manager by testing a platform
 * variable for presence (`if (!process.env.GOOGLE_CLOUD_PROJECT) return;`). A read of such a
 * variable is a gate when it is tested (not merely used), when it is the only such variable its
 * function (or top-level statement) consults, and when that function, an enclosing one or the
 * class speaks of Secret Manager.
 *
 * SecretGateFact.conditionSpan is the smallest expression that is true when the variable is
 * present: `x !== undefined`, `typeof x !== 'undefined'`, `!!x`, `Boolean(x)`, `'X' in
 * process.env`, or the access `x` itself when it is tested for truthiness (`if (x)`, `a && x`),
 * including under a single `!` (`if (!x) return;` gives `x`, so replacing the span with a
 * disjunction keeps the negation). The negative comparisons `x === undefined` / `x == null` give
 * the comparison itself (conditionText shows the operator).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { SecretGateFact, Span } from '../../core/facts';
import { GCP_PRESENCE_SIGNALS } from '../../knowledge/platform';
import type { ClassInfo, Ctx, ScopeInfo, Source } from './context';
import { climb, isEquality, isNot, isNullish, strip, topStatement } from './syntax';

/** Names or bodies that mark a function as deciding about Secret Manager. */
const GATE_CONTEXT = /secret[\s_-]?manager|load_?secrets|gcp_?available|accessSecretVersion/i;

/** A read of a presence signal, with where it was read. */
interface GateCandidate {
  acc: ts.Node;
  name: string;
  nameSpan: Span;
  scope?: ScopeInfo;
  cls?: ClassInfo;
  /** `config.GOOGLE_CLOUD_PROJECT`: a configuration object's field named as the signal. */
  field?: true;
}

export class Gates {
  private readonly candidates: GateCandidate[] = [];

  constructor(private readonly src: Source) {}

  /** Every env read passes here; reads of a presence signal may be gates. */
  noteRead(acc: ts.Node, name: string, nameSpan: Span, ctx: Ctx): void {
    if (GCP_PRESENCE_SIGNALS.has(name)) this.candidates.push({ acc, name, nameSpan, scope: ctx.scope, cls: ctx.cls });
  }

  /**
   * Every property access passes here after the env reads have seen it. A validated environment
   * (`const config = envSchema.parse(process.env)`) is tested through its fields, so
   * `config.GOOGLE_CLOUD_PROJECT` may be a gate too; whether the field is the variable (a schema
   * that leaves it undefined when unset) is for the workspace to say (`SecretGateFact.viaField`).
   */
  noteField(acc: ts.PropertyAccessExpression, ctx: Ctx): void {
    const name = acc.name.text;
    if (!GCP_PRESENCE_SIGNALS.has(name)) return;
    this.candidates.push({ acc, name, nameSpan: this.src.span(acc.name), scope: ctx.scope, cls: ctx.cls, field: true });
  }

  finish(): void {
    if (!this.candidates.length) return;
    const byScope = new Map<ts.Node, { test?: ts.Node; c: GateCandidate }[]>();
    // An env read through an alias (`env.X`, resolved after the walk) was a field first.
    const reads = new Set(this.candidates.filter((c) => !c.field).map((c) => c.acc));
    for (const c of this.candidates) {
      if (c.field && reads.has(c.acc)) continue;
      const shape = this.gateShape(c.acc);
      if (!shape) continue;
      // `if (nonProd && Boolean(process.env.GCP_PROJECT_ID)) throw …`: a guard refusing a
      // configuration, not a switch choosing where secrets come from.
      if (shape.test && onlyRejects(shape.test, 0, !isMissingTest(shape.test))) continue;
      const key = c.scope?.node ?? topStatement(c.acc);
      let list = byScope.get(key);
      if (!list) byScope.set(key, (list = []));
      list.push({ test: shape.test, c });
    }
    for (const [key, all] of byScope) {
      // A value taken inside the code a test guards (`if (typeof config.GOOGLE_CLOUD_PROJECT ===
      // 'string') { const id = config.GOOGLE_CLOUD_PROJECT || config.GCP_PROJECT_ID; … }`) is
      // decided already: another variable there is a fallback value, not a second signal.
      const guarded = all.flatMap((x) => (x.test ? [guardedBranches(x.test)] : [])).flat();
      const list = all.filter((x) => x.test || !guarded.some((b) => within(x.c.acc, b)));
      if (new Set(list.map((x) => x.c.name)).size !== 1) continue;
      const first = list[0].c;
      if (!this.inSecretContext(key, first.scope, first.cls)) continue;
      for (const { test, c } of list) {
        if (!test) continue;
        const conditionSpan = this.src.span(test);
        const gate: SecretGateFact = {
          names: [c.name],
          conditionSpan,
          conditionText: this.src.text.slice(conditionSpan.start, conditionSpan.end),
          nameOffsets: [{ name: c.name, start: c.nameSpan.start - conditionSpan.start, end: c.nameSpan.end - conditionSpan.start }],
          language: 'typescript',
        };
        const fn = c.scope?.name;
        if (fn) gate.functionName = fn;
        if (c.field) gate.viaField = true;
        this.src.facts.gates.push(gate);
      }
    }
  }

  /**
   * How a gate variable is consulted: `test` is the condition expression when the read is tested
   * for presence; reads that only fall back (`A || B`) count as accepting without being a test.
   * Undefined: the read neither tests nor accepts (`const creds = process.env.K`).
   */
  private gateShape(acc: ts.Node): { test?: ts.Node } | undefined {
    if (ts.isBinaryExpression(acc)) return { test: acc }; // 'X' in process.env
    const child = climb(acc);
    const p = child.parent;
    if (isNot(p)) {
      const outerNot = climb(p);
      if (isNot(outerNot.parent)) return { test: outerNot.parent };
      return { test: child };
    }
    if (ts.isBinaryExpression(p) && isEquality(p.operatorToken.kind) && isNullish(p.left === child ? p.right : p.left)) return { test: p };
    if (ts.isTypeOfExpression(p)) {
      const cmp = climb(p).parent;
      if (ts.isBinaryExpression(cmp) && isEquality(cmp.operatorToken.kind)) return { test: cmp };
      return undefined;
    }
    if (ts.isCallExpression(p) && p.arguments.includes(child as ts.Expression)) {
      const callee = strip(p.expression);
      if (ts.isIdentifier(callee) && callee.text === 'Boolean') return { test: p };
      return undefined;
    }
    if (isBooleanPosition(child)) return { test: child };
    if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.BarBarToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return {};
    return undefined;
  }

  private inSecretContext(key: ts.Node, scope: ScopeInfo | undefined, cls: ClassInfo | undefined): boolean {
    if (!scope) {
      // top-level code: the statement itself (`const useSecretManager = ...`, an `if` creating the client)
      return GATE_CONTEXT.test(this.src.textOf(key));
    }
    for (let s: ScopeInfo | undefined = scope; s; s = s.parent) {
      if (s.name && GATE_CONTEXT.test(s.name)) return true;
      if (GATE_CONTEXT.test(this.src.textOf(s.node))) return true;
    }
    for (let c: ClassInfo | undefined = cls; c; c = c.parent) {
      if (c.name && GATE_CONTEXT.test(c.name)) return true;
      if (GATE_CONTEXT.test(this.src.textOf(c.node))) return true;
    }
    return false;
  }
}

/** The value is used as a condition (`if (x)`, `x && y`, `c ? .. : ..`, `a || x` inside one of those). */
function isBooleanPosition(child: ts.Node): boolean {
  const p = child.parent;
  if (!p) return false;
  if ((ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) && p.expression === child) return true;
  if (ts.isForStatement(p) && p.condition === child) return true;
  if (ts.isConditionalExpression(p) && p.condition === child) return true;
  if (isNot(p)) return true;
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return p.left === child || isBooleanPosition(climb(p));
    if (op === ts.SyntaxKind.BarBarToken) return isBooleanPosition(climb(p));
  }
  return false;
}

/** The test decides nothing but a rejection of the variable's presence: climbing `&&`, `!` and
 * parentheses (and one `const` bound to the test, every use of which does the same), it is the
 * condition of an `if` without `else` whose branch only throws, taken when the variable is set.
 * A throw when it is missing (`if (!process.env.X) throw …`) is a requirement, still a gate. */
function onlyRejects(test: ts.Node, depth = 0, present = true): boolean {
  const { node: cur, flips } = wholeCondition(test);
  const whenSet = flips % 2 === 0 ? present : !present;
  const p = cur.parent;
  if (ts.isIfStatement(p) && p.expression === cur) {
    const then = p.thenStatement;
    const stmts = ts.isBlock(then) ? then.statements : [then];
    return whenSet && !p.elseStatement && stmts.length > 0 && stmts.every((s) => ts.isThrowStatement(s));
  }
  if (depth === 0 && ts.isVariableDeclaration(p) && p.initializer === cur && ts.isIdentifier(p.name) &&
    ts.isVariableDeclarationList(p.parent) && (p.parent.flags & ts.NodeFlags.Const)) {
    const name = p.name;
    const uses: ts.Identifier[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n !== name && n.text === name.text) uses.push(n);
      ts.forEachChild(n, visit);
    };
    visit(p.parent.parent.parent);
    return uses.length > 0 && uses.every((u) => onlyRejects(u, depth + 1, whenSet));
  }
  return false;
}

/** The condition a test is part of, climbing `!`, `&&` and parentheses; `flips` counts the `!`. */
function wholeCondition(test: ts.Node): { node: ts.Node; flips: number } {
  let cur = climb(test);
  let flips = 0;
  for (;;) {
    const p = cur.parent;
    if (p && isNot(p)) flips++;
    else if (!(p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) break;
    cur = climb(p);
  }
  return { node: cur, flips };
}

/** The branches of the `if` whose condition `test` is part of. */
function guardedBranches(test: ts.Node): ts.Node[] {
  const cur = wholeCondition(test).node;
  const p = cur.parent;
  if (!ts.isIfStatement(p) || p.expression !== cur) return [];
  return p.elseStatement ? [p.thenStatement, p.elseStatement] : [p.thenStatement];
}

function within(n: ts.Node, outer: ts.Node): boolean {
  return n.pos >= outer.pos && n.end <= outer.end;
}

/** `x === undefined`, `typeof x === 'undefined'`: a test that holds when the variable is missing. */
function isMissingTest(test: ts.Node): boolean {
  return ts.isBinaryExpression(test) && (test.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || test.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken);
}
