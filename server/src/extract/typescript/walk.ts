/**
 * The one walk over a file's compiler nodes. Each node is visited once, in source order, and
 * handed to the concerns that care about its kind: env reads (env-reads.ts), environment
 * branches (branches.ts), Secret Manager gates (gates.ts), enums and state members (enums.ts),
 * Postgres drivers and URLs (db.ts). The walk owns what they share: the context at each node
 * (branch, enclosing function and class) and the order in which they finish.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { FileFacts, OptionalParam, PresenceCheck } from '../../core/facts';
import type { ExtractOptions } from '../options';
import { climb, constInitializer, propName } from './syntax';
import { Source, type Ctx, type ScopeInfo } from './context';
import { Branches, withBranch } from './branches';
import { caseSwitches, checkSides, leaves, presenceSides, withChecks, withSwitches } from './switches';
import { CalledSwitches } from './called-switches';
import { GetterCalls } from './getter-calls';
import { FilePresence } from './field-flags';
import { NestConfig } from './nest-config';
import { Gates } from './gates';
import { Enums } from './enums';
import { EnvReads } from './env-reads';
import { Postgres } from './db';
import { exportedFunctions, optionalParams } from './optional-params';
import { checkedNames } from './presence-checks';
import { Imports } from './imports';

/** What the walk does per node kind, as small integer codes (a dense switch instead of a chain of enum lookups). */
const enum Code { Other, If, Conditional, Block, Switch, Function, Class, PropertyAccess, ElementAccess, Binary, VarDecl, Parameter, Call, New, Import, Export, Enum, StringLit, Template, Leaf }
const CODES: Uint8Array = (() => {
  const K = ts.SyntaxKind;
  const t = new Uint8Array(K.Count);
  t[K.IfStatement] = Code.If;
  t[K.ConditionalExpression] = Code.Conditional;
  t[K.Block] = Code.Block;
  t[K.SwitchStatement] = Code.Switch;
  for (const k of [K.FunctionDeclaration, K.FunctionExpression, K.ArrowFunction, K.MethodDeclaration, K.GetAccessor, K.SetAccessor, K.Constructor]) t[k] = Code.Function;
  t[K.ClassDeclaration] = Code.Class;
  t[K.ClassExpression] = Code.Class;
  t[K.PropertyAccessExpression] = Code.PropertyAccess;
  t[K.ElementAccessExpression] = Code.ElementAccess;
  t[K.BinaryExpression] = Code.Binary;
  t[K.VariableDeclaration] = Code.VarDecl;
  t[K.Parameter] = Code.Parameter;
  t[K.CallExpression] = Code.Call;
  t[K.NewExpression] = Code.New;
  t[K.ImportDeclaration] = Code.Import;
  t[K.ExportDeclaration] = Code.Export;
  t[K.EnumDeclaration] = Code.Enum;
  t[K.StringLiteral] = Code.StringLit;
  t[K.NoSubstitutionTemplateLiteral] = Code.StringLit;
  t[K.TemplateExpression] = Code.Template;
  // no reads or values below these: identifiers, numbers, keywords, types, interfaces
  t[K.Identifier] = Code.Leaf;
  t[K.NumericLiteral] = Code.Leaf;
  t[K.InterfaceDeclaration] = Code.Leaf;
  t[K.TypeAliasDeclaration] = Code.Leaf;
  for (let k = K.FirstTypeNode; k <= K.LastTypeNode; k++) t[k] = Code.Leaf;
  for (let k = K.FirstKeyword; k <= K.LastKeyword; k++) t[k] = Code.Leaf;
  return t;
})();

export class Walker {
  private readonly src: Source;
  private readonly branches: Branches;
  private readonly gates: Gates;
  private readonly enums: Enums;
  private readonly reads: EnvReads;
  private readonly pg: Postgres;
  private readonly imports: Imports;
  private readonly presence: FilePresence;
  private readonly called = new CalledSwitches();
  private readonly getterCalls = new GetterCalls();

  constructor(sf: ts.SourceFile, text: string, facts: FileFacts, options: ExtractOptions) {
    this.src = new Source(sf, text, facts);
    this.branches = new Branches(options, this.src.topConst);
    this.gates = new Gates(this.src);
    this.enums = new Enums(this.src);
    const nest = new NestConfig(sf);
    this.reads = new EnvReads(this.src, options, this.gates, nest, this.branches);
    this.pg = new Postgres(this.src, this.reads);
    this.imports = new Imports(sf.fileName);
    this.presence = new FilePresence(nest);
  }

  run(): void {
    this.walk(this.src.sf, { devOnly: false });
    // Reads first: reads through aliases resolve now, and they may be gates or feed a driver.
    this.reads.finish();
    this.called.finish(this.src.sf, this.src.text, this.src.facts);
    this.getterCalls.finish(this.src.text, this.src.facts, (call) => this.reads.handling.callCopes(this.src.sf, call));
    this.judgeOwnPasses();
    this.gates.finish();
    this.enums.finish();
    this.pg.finish();
    const imports = this.imports.result();
    if (imports) this.src.facts.imports = imports;
    // A file that reads `PORT` anywhere takes Cloud Run's port, whatever else it listens on.
    if (this.src.facts.fixedListen && this.src.facts.reads.some((r) => r.name === 'PORT')) delete this.src.facts.fixedListen;
  }

  /** `app.listen(3000)`, `server.listen(8000, '0.0.0.0', cb)`: a server on a fixed port. */
  private listenCall(call: ts.CallExpression): void {
    if (this.src.facts.fixedListen) return;
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'listen') return;
    const arg = call.arguments[0];
    const first = arg && ts.isIdentifier(arg) ? constInitializer(arg) : arg;
    const port = first && (ts.isNumericLiteral(first) || (ts.isStringLiteral(first) && /^\d+$/.test(first.text))) ? first.text : undefined;
    if (!port || !/^\d{2,5}$/.test(port)) return;
    this.src.facts.fixedListen = { port, span: { start: call.getStart(this.src.sf), end: call.end } };
  }

  /** Reads passed to a function of this file (`passedTo` with an empty module) are decided here,
   * from that function's parameters: optional when it copes with an undefined value there. */
  private judgeOwnPasses(): void {
    const own = this.src.facts.reads.filter((r) => r.passedTo?.module === '');
    if (!own.length) return;
    const params = optionalParams(this.src.sf, this.reads.handling, true) ?? [];
    for (const r of own) {
      const to = r.passedTo!;
      delete r.passedTo;
      if (r.hasDefault || !params.some((p) => p.name === to.name && p.arg === to.arg && p.property === to.property)) continue;
      r.hasDefault = true;
      r.optionalBecause = 'optional-parameter';
    }
  }

  /** What holds where a condition does and where it does not: the presence of variables
   * (switches.ts `presenceSides`) and the calls of other modules' presence checks (`checkSides`). */
  private holding(e: ts.Expression): { whenTrue: (c: Ctx) => Ctx; whenFalse: (c: Ctx) => Ctx } {
    const sw = presenceSides(e, this.presence);
    const ck = checkSides(e, (callee) => this.reads.importedCallee(callee));
    return {
      whenTrue: (c) => withChecks(withSwitches(c, sw.whenTrue), ck.whenTrue),
      whenFalse: (c) => withChecks(withSwitches(c, sw.whenFalse), ck.whenFalse),
    };
  }

  /** The file's exported functions that test whether variables are set (presence-checks.ts). */
  presenceChecks(): PresenceCheck[] | undefined {
    const out: PresenceCheck[] = [];
    for (const { name, fn } of exportedFunctions(this.src.sf)) {
      const tests = checkedNames(fn);
      if (tests) out.push({ name, tests });
    }
    return out.length ? out : undefined;
  }

  /** Parameters of the file's exported functions that cope with an undefined value (optional-params.ts). */
  optionalParams(): OptionalParam[] | undefined {
    return optionalParams(this.src.sf, this.reads.handling);
  }

  private readonly stackNodes: ts.Node[] = [];
  private readonly stackCtx: Ctx[] = [];
  private readonly kids: ts.Node[] = [];
  private readonly collectKid = (c: ts.Node): void => { this.kids.push(c); };

  /** Depth-first, in source order, with an explicit stack (minified or generated code nests deeply). */
  private walk(root: ts.Node, ctx: Ctx): void {
    const nodes = this.stackNodes;
    const ctxs = this.stackCtx;
    this.pushChildren(root, ctx);
    while (nodes.length) {
      const node = nodes.pop() as ts.Node;
      const c = ctxs.pop() as Ctx;
      this.visit(node, c);
    }
  }

  private push(node: ts.Node | undefined, ctx: Ctx): void {
    if (!node) return;
    this.stackNodes.push(node);
    this.stackCtx.push(ctx);
  }

  /** Schedules `node`'s children (pushed last-first so they pop in source order). */
  private pushChildren(node: ts.Node, ctx: Ctx): void {
    const kids = this.kids;
    const base = kids.length;
    ts.forEachChild(node, this.collectKid);
    for (let i = kids.length - 1; i >= base; i--) this.push(kids[i], ctx);
    kids.length = base;
  }

  private visit(node: ts.Node, ctx: Ctx): void {
    switch (CODES[node.kind]) {
      case Code.If: {
        const n = node as ts.IfStatement;
        const cond = this.branches.condition(n.expression);
        const holds = this.holding(n.expression);
        this.push(n.elseStatement, holds.whenFalse(withBranch(ctx, cond?.else)));
        this.push(n.thenStatement, holds.whenTrue(withBranch(ctx, cond?.then)));
        this.push(n.expression, ctx);
        return;
      }
      case Code.Conditional: {
        const n = node as ts.ConditionalExpression;
        const cond = this.branches.condition(n.condition);
        const holds = this.holding(n.condition);
        this.push(n.whenFalse, holds.whenFalse(withBranch(ctx, cond?.else)));
        this.push(n.whenTrue, holds.whenTrue(withBranch(ctx, cond?.then)));
        this.push(n.condition, ctx);
        return;
      }
      case Code.Block:
        this.visitBlock(node as ts.Block, ctx);
        return;
      case Code.Switch:
        this.visitSwitch(node as ts.SwitchStatement, ctx);
        return;
      case Code.Function: {
        const scope: ScopeInfo = { node, name: functionName(node as ts.FunctionLikeDeclaration), parent: ctx.scope };
        this.pushChildren(node, { ...ctx, scope });
        return;
      }
      case Code.Class: {
        const info = this.enums.classDeclaration(node as ts.ClassLikeDeclaration, ctx.cls);
        this.pushChildren(node, { ...ctx, cls: info });
        return;
      }
      case Code.PropertyAccess:
        this.reads.propertyAccess(node as ts.PropertyAccessExpression, ctx);
        this.gates.noteField(node as ts.PropertyAccessExpression, ctx);
        break;
      case Code.ElementAccess:
        this.reads.elementAccess(node as ts.ElementAccessExpression, ctx);
        break;
      case Code.Binary: {
        const n = node as ts.BinaryExpression;
        this.reads.binary(n, ctx);
        this.enums.binary(n, ctx);
        const op = n.operatorToken.kind;
        if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
          // `process.env.A && <read>` runs the read only when A is set, `||` only when it is not.
          const sw = presenceSides(n.left, this.presence);
          this.push(n.right, withSwitches(ctx, op === ts.SyntaxKind.AmpersandAmpersandToken ? sw.whenTrue : sw.whenFalse));
          this.push(n.left, ctx);
          return;
        }
        break;
      }
      case Code.VarDecl:
        this.reads.declaration(node as ts.VariableDeclaration, ctx);
        this.pg.declaration(node as ts.VariableDeclaration);
        this.enums.declaration(node as ts.VariableDeclaration);
        break;
      case Code.Parameter:
        this.enums.parameter(node as ts.ParameterDeclaration);
        this.reads.parameter(node as ts.ParameterDeclaration);
        break;
      case Code.Call:
        this.reads.call(node as ts.CallExpression, ctx);
        {
        const callee = (node as ts.CallExpression).expression;
        const imported = ts.isIdentifier(callee) ? this.reads.ownModuleCallee(callee) : undefined;
        this.called.call(node as ts.CallExpression, ctx, imported);
        this.getterCalls.call(node as ts.CallExpression, imported);
      }
        this.imports.call(node as ts.CallExpression);
        if (!ctx.devOnly) this.listenCall(node as ts.CallExpression);
        break;
      case Code.New:
        this.pg.newExpression(node as ts.NewExpression);
        this.called.construct(node as ts.NewExpression, ctx);
        break;
      case Code.Import:
        this.reads.importDeclaration(node as ts.ImportDeclaration);
        this.pg.importDeclaration(node as ts.ImportDeclaration);
        this.imports.importDeclaration(node as ts.ImportDeclaration);
        return;
      case Code.Export:
        this.imports.importDeclaration(node as ts.ExportDeclaration);
        break;
      case Code.Enum:
        this.enums.enumDeclaration(node as ts.EnumDeclaration);
        break;
      case Code.StringLit:
        this.pg.stringLiteral(node as ts.StringLiteral | ts.NoSubstitutionTemplateLiteral);
        return;
      case Code.Template:
        this.pg.template(node as ts.TemplateExpression);
        break;
      case Code.Leaf:
        return;
      default:
        break;
    }
    this.pushChildren(node, ctx);
  }

  /** A block's statements; those after an `if (!process.env.A) return;` run only when A is set. */
  private visitBlock(n: ts.Block, ctx: Ctx): void {
    const work: [ts.Node, Ctx][] = [];
    let c = ctx;
    for (const s of n.statements) {
      work.push([s, c]);
      // After `if (cond) return;` the rest runs only where the condition fails: its switches and
      // its environment (`if (NODE_ENV === 'production') return …` leaves a development-only rest).
      if (ts.isIfStatement(s) && leaves(s)) c = withBranch(this.holding(s.expression).whenFalse(c), this.branches.condition(s.expression)?.else);
    }
    for (let i = work.length - 1; i >= 0; i--) this.push(work[i][0], work[i][1]);
  }

  /** A `switch`: each clause's body runs in the branch its cases select. */
  private visitSwitch(n: ts.SwitchStatement, ctx: Ctx): void {
    this.enums.switchStatement(n, ctx);
    const branches = this.branches.switchBranches(n);
    const cases = caseSwitches(n, this.presence);
    const work: [ts.Node, Ctx][] = [[n.expression, ctx]];
    const clauses = n.caseBlock.clauses;
    for (let c = 0; c < clauses.length; c++) {
      const clause = clauses[c];
      if (ts.isCaseClause(clause)) work.push([clause.expression, ctx]);
      const inner = withSwitches(withBranch(ctx, branches?.[c]), cases[c] ?? []);
      for (const s of clause.statements) work.push([s, inner]);
    }
    for (let i = work.length - 1; i >= 0; i--) this.push(work[i][0], work[i][1]);
  }
}

/** The name a gate reports for a function: its own, or the variable or property it is assigned to. */

function functionName(n: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(n)) return 'constructor';
  if (n.name) return propName(n.name);
  const p = climb(n).parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) return propName(p.name);
  return undefined;
}
