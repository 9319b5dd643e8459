/** The one walk over a file's compiler nodes, and the facts it gathers. */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { FileFacts, Span } from '../../core/facts';
import type { ExtractOptions } from '../options';
import { findDbUrls } from '../db-url';
import { calleeNamed, climb, envObject, isAssignmentOp, isRequire, isStringLike, objectProperty, propName, strip } from './syntax';
import { Source, type Ctx, type ScopeInfo } from './context';
import { Branches, withBranch } from './branches';
import { Gates } from './gates';
import { Enums } from './enums';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What the walk does per node kind, as small integer codes (a dense switch instead of a chain of enum lookups). */
const enum Code { Other, If, Conditional, Switch, Function, Class, PropertyAccess, ElementAccess, Binary, VarDecl, Parameter, Call, New, Import, Enum, StringLit, Template, Leaf }
const CODES: Uint8Array = (() => {
  const K = ts.SyntaxKind;
  const t = new Uint8Array(K.Count);
  t[K.IfStatement] = Code.If;
  t[K.ConditionalExpression] = Code.Conditional;
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







// ---------------------------------------------------------------------------------------------

export class Walker {
  private readonly aliases: { name: string; via: string; scope: ts.Node }[] = [];
  private readonly deferred: { node: ts.Node; ctx: Ctx }[] = [];
  private readonly readAt = new Map<number, string>();
  private readonly varEnv = new Map<string, string>();
  private readonly literalEnv = new Map<ts.Node, string>();
  private readonly literals: ts.Node[] = [];
  private readonly pgNames = new Set<string>();
  private readonly pgNamespaces = new Set<string>();
  private readonly newExprs: ts.NewExpression[] = [];
  private readonly accessors = new Set<string>();
  private readonly branches: Branches;
  private readonly gates: Gates;
  private readonly enums: Enums;

  private readonly src: Source;

  constructor(sf: ts.SourceFile, text: string, facts: FileFacts, options: ExtractOptions) {
    this.src = new Source(sf, text, facts);
    for (const a of options.envAccessors) this.accessors.add(normalizeCallee(a));
    this.branches = new Branches(options);
    this.gates = new Gates(this.src);
    this.enums = new Enums(this.src);
  }

  run(): void {
    const ctx: Ctx = { devOnly: false };
    this.walk(this.src.sf, ctx);
    if (this.aliases.length) {
      for (const { node, ctx: c } of this.deferred) this.resolveDeferred(node, c);
    }
    this.src.facts.reads.sort((a, b) => a.span.start - b.span.start);
    this.src.facts.dynamicReads.sort((a, b) => a.span.start - b.span.start);
    this.gates.finish();
    this.enums.finish();
    this.finishDrivers();
    this.finishLiterals();
  }


  // ----- the walk ------------------------------------------------------------------------------

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
        this.push(n.elseStatement, withBranch(ctx, cond?.else));
        this.push(n.thenStatement, withBranch(ctx, cond?.then));
        this.push(n.expression, ctx);
        return;
      }
      case Code.Conditional: {
        const n = node as ts.ConditionalExpression;
        const cond = this.branches.condition(n.condition);
        this.push(n.whenFalse, withBranch(ctx, cond?.else));
        this.push(n.whenTrue, withBranch(ctx, cond?.then));
        this.push(n.condition, ctx);
        return;
      }
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
      case Code.PropertyAccess: {
        const n = node as ts.PropertyAccessExpression;
        const via = envObject(n.expression);
        if (via) this.readProperty(n, via, ctx);
        else if (ts.isIdentifier(n.expression) && n.expression.text !== 'process') this.deferred.push({ node, ctx });
        break;
      }
      case Code.ElementAccess: {
        const n = node as ts.ElementAccessExpression;
        const via = envObject(n.expression);
        if (via) this.readElement(n, via, ctx);
        else if (ts.isIdentifier(strip(n.expression))) this.deferred.push({ node, ctx });
        break;
      }
      case Code.Binary:
        this.binary(node as ts.BinaryExpression, ctx);
        this.enums.binary(node as ts.BinaryExpression, ctx);
        break;
      case Code.VarDecl:
        this.declaration(node as ts.VariableDeclaration, ctx);
        this.enums.declaration(node as ts.VariableDeclaration);
        break;
      case Code.Parameter: {
        this.enums.parameter(node as ts.ParameterDeclaration);
        break;
      }
      case Code.Call:
        this.call(node as ts.CallExpression, ctx);
        break;
      case Code.New:
        this.newExprs.push(node as ts.NewExpression);
        break;
      case Code.Import:
        this.importDeclaration(node as ts.ImportDeclaration);
        return;
      case Code.Enum:
        this.enums.enumDeclaration(node as ts.EnumDeclaration);
        break;
      case Code.StringLit:
        if ((node as ts.StringLiteral).text.includes('postgres')) this.literals.push(node);
        return;
      case Code.Template:
        if (this.src.textOf(node).includes('postgres')) this.literals.push(node);
        break;
      case Code.Leaf:
        return;
      default:
        break;
    }
    this.pushChildren(node, ctx);
  }

  private visitSwitch(n: ts.SwitchStatement, ctx: Ctx): void {
    this.enums.switchStatement(n, ctx);
    const branches = this.branches.switchBranches(n);
    const work: [ts.Node, Ctx][] = [[n.expression, ctx]];
    const clauses = n.caseBlock.clauses;
    for (let c = 0; c < clauses.length; c++) {
      const clause = clauses[c];
      if (ts.isCaseClause(clause)) work.push([clause.expression, ctx]);
      const inner = withBranch(ctx, branches?.[c]);
      for (const s of clause.statements) work.push([s, inner]);
    }
    for (let i = work.length - 1; i >= 0; i--) this.push(work[i][0], work[i][1]);
  }

  // ----- env reads -----------------------------------------------------------------------------

  private readProperty(n: ts.PropertyAccessExpression, via: string, ctx: Ctx): void {
    if (ts.isPrivateIdentifier(n.name)) return;
    const outer = climb(n);
    // `process.env.hasOwnProperty(...)`: a method of the object, not a variable.
    if (ts.isCallExpression(outer.parent) && outer.parent.expression === outer) return;
    const name = n.name.text;
    if (!ENV_NAME.test(name)) return;
    this.addRead(n, name, this.src.span(n.name), via, ctx, false);
  }

  private readElement(n: ts.ElementAccessExpression, via: string, ctx: Ctx): void {
    const arg = strip(n.argumentExpression);
    if (isStringLike(arg)) {
      if (!ENV_NAME.test(arg.text)) return;
      this.addRead(n, arg.text, this.src.contentSpan(arg), via, ctx, false);
      return;
    }
    if (this.isWriteTarget(climb(n))) return;
    this.dynamicRead(n, arg);
  }

  private dynamicRead(n: ts.Node, arg: ts.Expression | undefined): void {
    let prefix: string | undefined;
    if (arg) {
      let head = strip(arg);
      while (ts.isBinaryExpression(head) && head.operatorToken.kind === ts.SyntaxKind.PlusToken) head = strip(head.left);
      if (ts.isTemplateExpression(head)) prefix = head.head.text;
      else if (isStringLike(head) && head !== strip(arg)) prefix = head.text;
    }
    this.src.facts.dynamicReads.push(prefix ? { span: this.src.span(n), prefix } : { span: this.src.span(n) });
  }

  private isWriteTarget(outer: ts.Node): boolean {
    const p = outer.parent;
    if (ts.isBinaryExpression(p) && p.left === outer && isAssignmentOp(p.operatorToken.kind)) return true;
    if (ts.isDeleteExpression(p)) return true;
    if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
        (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    return false;
  }

  /** Records a read at `acc` (an access or call) after looking at what surrounds it. */
  private addRead(acc: ts.Node, name: string, nameSpan: Span, via: string, ctx: Ctx, presence: boolean, defaultArg?: ts.Expression): void {
    const outer = climb(acc);
    const p = outer.parent;
    if (this.isWriteTarget(outer)) {
      // `process.env.DATABASE_URL = "postgres://..."`: the literal is that variable's value.
      if (ts.isBinaryExpression(p)) this.noteLiteralEnv(p.right, name);
      return;
    }
    let hasDefault = presence || defaultArg !== undefined;
    let valueNode: ts.Node = outer;
    if (ts.isBinaryExpression(p) && p.left === outer &&
        (p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      hasDefault = true;
      this.noteLiteralEnv(p.right, name);
      valueNode = climb(p);
    }
    if (ts.isTypeOfExpression(p)) hasDefault = true;
    if (!hasDefault && this.schemaDefault(outer, name)) hasDefault = true;
    if (defaultArg) this.noteLiteralEnv(defaultArg, name);
    this.pushRead(name, nameSpan, this.src.span(acc), hasDefault, via, ctx);
    this.readAt.set(acc.getStart(this.src.sf), name);
    this.gates.noteRead(acc, name, nameSpan, ctx);
    const decl = valueNode.parent;
    if (ts.isVariableDeclaration(decl) && decl.initializer === valueNode && ts.isIdentifier(decl.name)) {
      this.varEnv.set(decl.name.text, name);
    }
  }

  private pushRead(name: string, nameSpan: Span, span: Span, hasDefault: boolean, via: string, ctx: Ctx): void {
    this.src.facts.reads.push({
      name, nameSpan, span, hasDefault, via,
      ...(ctx.devOnly ? { devOnly: true } : {}),
      ...(ctx.inEnvironment ? { inEnvironment: ctx.inEnvironment } : {}),
    });
  }

  private noteLiteralEnv(e: ts.Expression, name: string): void {
    const s = strip(e);
    if (isStringLike(s) || ts.isTemplateExpression(s)) this.literalEnv.set(s, name);
  }

  private binary(n: ts.BinaryExpression, ctx: Ctx): void {
    const op = n.operatorToken.kind;
    if (op === ts.SyntaxKind.InKeyword) {
      const left = strip(n.left);
      const via = envObject(n.right);
      if (via && isStringLike(left) && ENV_NAME.test(left.text)) {
        this.addRead(n, left.text, this.src.contentSpan(left), via, ctx, true);
      } else if (!via && isStringLike(left) && ts.isIdentifier(strip(n.right))) {
        this.deferred.push({ node: n, ctx });
      }
      return;
    }
  }

  private declaration(n: ts.VariableDeclaration, ctx: Ctx): void {
    const init = n.initializer ? strip(n.initializer) : undefined;
    if (ts.isIdentifier(n.name)) {
      const name = n.name.text;
      if (!init) return;
      const via = envObject(init);
      if (via) {
        this.aliases.push({ name, via, scope: ctx.scope?.node ?? this.src.sf });
        return;
      }
      if (isRequire(init, 'pg')) this.pgNamespaces.add(name);
      return;
    }
    if (!ts.isObjectBindingPattern(n.name) || !init) return;
    if (isRequire(init, 'pg')) {
      for (const el of n.name.elements) {
        const key = propName(el.propertyName ?? el.name);
        if ((key === 'Pool' || key === 'Client') && ts.isIdentifier(el.name)) this.pgNames.add(el.name.text);
      }
      return;
    }
    // `const { env } = process`
    if (ts.isIdentifier(init) && init.text === 'process') {
      for (const el of n.name.elements) {
        if (propName(el.propertyName ?? el.name) === 'env' && ts.isIdentifier(el.name)) {
          this.aliases.push({ name: el.name.text, via: 'process.env', scope: ctx.scope?.node ?? this.src.sf });
        }
      }
      return;
    }
    const via = envObject(init);
    if (via) this.destructure(n.name, via, ctx);
    else if (ts.isIdentifier(init)) this.deferred.push({ node: n, ctx });
  }

  private destructure(pattern: ts.ObjectBindingPattern, via: string, ctx: Ctx): void {
    for (const el of pattern.elements) {
      if (el.dotDotDotToken) {
        if (ts.isIdentifier(el.name)) this.aliases.push({ name: el.name.text, via, scope: ctx.scope?.node ?? this.src.sf });
        continue;
      }
      const key = el.propertyName ?? el.name;
      if (ts.isComputedPropertyName(key)) {
        this.dynamicRead(el, key.expression);
        continue;
      }
      const name = propName(key);
      if (!name || !ENV_NAME.test(name)) continue;
      const nameSpan = ts.isStringLiteral(key) ? this.src.contentSpan(key) : this.src.span(key);
      this.pushRead(name, nameSpan, this.src.span(el), el.initializer !== undefined, via, ctx);
      if (el.initializer) this.noteLiteralEnv(el.initializer, name);
      if (ts.isIdentifier(el.name)) this.varEnv.set(el.name.text, name);
    }
  }

  private call(n: ts.CallExpression, ctx: Ctx): void {
    this.schemaCall(n, ctx);
    const callee = strip(n.expression);
    // Deno.env.get("X") / Deno.env.has("X")
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'get' || callee.name.text === 'has')) {
      const obj = strip(callee.expression);
      if (ts.isPropertyAccessExpression(obj) && obj.name.text === 'env' && ts.isIdentifier(obj.expression) && obj.expression.text === 'Deno') {
        this.callRead(n, `Deno.env.${callee.name.text}`, ctx, callee.name.text === 'has', undefined);
        return;
      }
    }
    if (this.accessors.size) {
      let text = normalizeCallee(this.src.textOf(callee));
      if (!this.accessors.has(text) && text.startsWith('this.')) text = text.slice(5);
      if (this.accessors.has(text)) this.callRead(n, text, ctx, false, n.arguments[1]);
    }
  }

  private callRead(n: ts.CallExpression, via: string, ctx: Ctx, presence: boolean, defaultArg: ts.Expression | undefined): void {
    const first = n.arguments[0];
    if (!first) return;
    const arg = strip(first);
    if (isStringLike(arg)) {
      if (ENV_NAME.test(arg.text)) this.addRead(n, arg.text, this.src.contentSpan(arg), via, ctx, presence, defaultArg);
    } else {
      this.dynamicRead(n, arg);
    }
  }

  private resolveDeferred(node: ts.Node, ctx: Ctx): void {
    const viaOf = (e: ts.Expression): string | undefined => this.aliasVia(e);
    if (ts.isPropertyAccessExpression(node)) {
      const via = viaOf(node.expression);
      if (via) this.readProperty(node, via, ctx);
    } else if (ts.isElementAccessExpression(node)) {
      const via = viaOf(node.expression);
      if (via) this.readElement(node, via, ctx);
    } else if (ts.isBinaryExpression(node)) {
      const via = viaOf(node.right);
      const left = strip(node.left);
      if (via && isStringLike(left) && ENV_NAME.test(left.text)) this.addRead(node, left.text, this.src.contentSpan(left), via, ctx, true);
    } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const via = viaOf(node.initializer);
      if (via) this.destructure(node.name, via, ctx);
    }
  }

  // ----- schema-validated reads (zod, envalid, t3-env) ------------------------------------------


  /**
   * Whether the read `outer` is validated by a schema that accepts its absence: zod
   * `z.coerce.number().default(3000).parse(<read>)` / `.optional().parse(<read>)`, or a t3-env
   * `runtimeEnv: { X: <read> }` entry whose `server`/`client`/`shared` schema for `X` is optional
   * or defaulted. Only the read passed straight to the parse counts.
   */
  private schemaDefault(outer: ts.Node, name: string): boolean {
    const p = outer.parent;
    let m: SchemaMissing | undefined;
    if (ts.isCallExpression(p) && p.arguments[0] === outer) {
      const callee = strip(p.expression);
      if (ts.isPropertyAccessExpression(callee) && SCHEMA_PARSE.has(callee.name.text)) m = schemaMissing(callee.expression, this.src.topConst);
    } else if (ts.isPropertyAssignment(p) && p.initializer === outer) {
      const schema = this.t3Schema(p);
      if (schema) m = schemaMissing(schema, this.src.topConst);
    }
    if (m?.value) this.noteLiteralEnv(m.value, name);
    return m !== undefined;
  }

  /** For `X: <read>` in `createEnv({ runtimeEnv: { ... } })`: the schema declared for `X` under `server`/`client`/`shared`. */
  private t3Schema(entry: ts.PropertyAssignment): ts.Expression | undefined {
    const key = propName(entry.name);
    const runtime = climb(entry.parent).parent;
    if (!key || !ts.isPropertyAssignment(runtime) || !T3_RUNTIME.includes(propName(runtime.name) ?? '')) return undefined;
    const opts = climb(runtime.parent);
    const call = opts.parent;
    if (!ts.isObjectLiteralExpression(runtime.parent) || !ts.isCallExpression(call) || call.arguments[0] !== opts ||
        !calleeNamed(call, ['createEnv'])) return undefined;
    for (const group of T3_GROUPS) {
      const g = objectProperty(runtime.parent, group);
      const shape = g && this.objectOf(g.initializer);
      const field = shape && objectProperty(shape, key);
      if (field) return field.initializer;
    }
    return undefined;
  }

  /**
   * Reads declared by a whole-environment schema: envalid `cleanEnv(process.env, { X: str({ default }) })`,
   * zod `z.object({ X: ... }).parse(process.env)`, t3-env `createEnv({ server: {...}, runtimeEnv: process.env })`.
   * Each key is a read (span: the `X: ...` entry, nameSpan: the key).
   */
  private schemaCall(n: ts.CallExpression, ctx: Ctx): void {
    const a0 = n.arguments[0];
    if (!a0) return;
    if (calleeNamed(n, ['cleanEnv'])) {
      const spec = n.arguments[1] ? this.objectOf(n.arguments[1]) : undefined;
      if (spec && this.envVia(a0)) for (const p of spec.properties) this.envalidEntry(p, ctx);
      return;
    }
    const callee = strip(n.expression);
    if (ts.isPropertyAccessExpression(callee) && SCHEMA_PARSE.has(callee.name.text)) {
      if (!this.envVia(a0)) return;
      const shape = this.zodObjectShape(callee.expression);
      if (!shape) return;
      for (const p of shape.fields) {
        if (ts.isPropertyAssignment(p)) {
          const optional = shape.all ?? schemaMissing(p.initializer, this.src.topConst) !== undefined;
          this.schemaRead(p, optional, 'zod', ctx);
        }
      }
      return;
    }
    if (calleeNamed(n, ['createEnv'])) {
      const opts = this.objectOf(a0);
      const runtime = opts && (objectProperty(opts, 'runtimeEnv') ?? objectProperty(opts, 'runtimeEnvStrict'));
      if (!opts || !runtime || !this.envVia(runtime.initializer)) return;
      for (const group of T3_GROUPS) {
        const g = objectProperty(opts, group);
        const shape = g && this.objectOf(g.initializer);
        if (!shape) continue;
        for (const p of shape.properties) {
          if (ts.isPropertyAssignment(p)) this.schemaRead(p, schemaMissing(p.initializer, this.src.topConst) !== undefined, 't3-env', ctx);
        }
      }
    }
  }

  /** `X: str({ default: 'x' })` in an envalid spec. `devDefault` alone is no default: envalid uses it only when NODE_ENV is set and not `production`. */
  private envalidEntry(p: ts.ObjectLiteralElementLike, ctx: Ctx): void {
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) return;
    const name = propName(p.name);
    const value = ts.isPropertyAssignment(p) ? p.initializer : name ? this.src.topConst(name) : undefined;
    const v = value ? strip(value) : undefined;
    const options = v && ts.isCallExpression(v) && v.arguments[0] ? strip(v.arguments[0]) : undefined;
    const def = options && ts.isObjectLiteralExpression(options) ? objectProperty(options, 'default') : undefined;
    if (this.schemaRead(p, def !== undefined, 'envalid', ctx) && def) this.noteLiteralEnv(def.initializer, name as string);
  }

  private schemaRead(p: ts.PropertyAssignment | ts.ShorthandPropertyAssignment, hasDefault: boolean, via: string, ctx: Ctx): boolean {
    const name = propName(p.name);
    if (!name || !ENV_NAME.test(name)) return false;
    const nameSpan = ts.isStringLiteral(p.name) ? this.src.contentSpan(p.name) : this.src.span(p.name);
    this.pushRead(name, nameSpan, this.src.span(p), hasDefault, via, ctx);
    return true;
  }

  /** The fields of `z.object({...})` at the root of a chain (`.strict()`, `.extend({...})`); `all` when `.partial()`/`.required()` decide for every field. */
  private zodObjectShape(e: ts.Expression): { fields: ts.ObjectLiteralElementLike[]; all?: boolean } | undefined {
    const fields: ts.ObjectLiteralElementLike[] = [];
    let all: boolean | undefined;
    let s = strip(e);
    for (let guard = 0; guard < 100; guard++) {
      if (ts.isIdentifier(s)) {
        const bound = this.src.topConst(s.text);
        if (!bound) return undefined;
        s = strip(bound);
        continue;
      }
      if (!ts.isCallExpression(s)) return undefined;
      const callee = strip(s.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const method = callee.name.text;
      const arg = s.arguments[0] ? this.objectOf(s.arguments[0]) : undefined;
      if (method === 'object' || method === 'strictObject' || method === 'looseObject') {
        if (!arg) return undefined;
        fields.push(...arg.properties);
        return { fields, ...(all !== undefined ? { all } : {}) };
      }
      if (method === 'extend' && arg) fields.push(...arg.properties);
      else if ((method === 'partial' || method === 'required') && all === undefined) {
        if (s.arguments.length) return undefined; // a key mask: not followed
        all = method === 'partial';
      } else if (method === 'pick' || method === 'omit' || method === 'merge' || method === 'extend') return undefined;
      s = strip(callee.expression);
    }
    return undefined;
  }

  /** An object literal, directly or through a top-level `const`. */
  private objectOf(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
    let s = strip(e);
    if (ts.isIdentifier(s)) {
      const bound = this.src.topConst(s.text);
      if (!bound) return undefined;
      s = strip(bound);
    }
    return ts.isObjectLiteralExpression(s) ? s : undefined;
  }

  /** `process.env` / `import.meta.env` or a local alias of them declared before this point. */
  private envVia(e: ts.Expression): string | undefined {
    return envObject(e) ?? this.aliasVia(e);
  }

  /** The env object a local alias (`const env = process.env`) in scope at `e` stands for. */
  private aliasVia(e: ts.Expression): string | undefined {
    const s = strip(e);
    if (!ts.isIdentifier(s)) return undefined;
    const pos = s.getStart(this.src.sf);
    for (let i = this.aliases.length - 1; i >= 0; i--) {
      const a = this.aliases[i];
      if (a.name === s.text && pos >= a.scope.pos && pos < a.scope.end) return a.via;
    }
    return undefined;
  }

  // ----- drivers and URLs ----------------------------------------------------------------------

  private importDeclaration(n: ts.ImportDeclaration): void {
    if (!ts.isStringLiteral(n.moduleSpecifier) || !n.importClause) return;
    const from = n.moduleSpecifier.text;
    const clause = n.importClause;
    if (from === 'pg') {
      if (clause.name) this.pgNamespaces.add(clause.name.text);
      const b = clause.namedBindings;
      if (b && ts.isNamespaceImport(b)) this.pgNamespaces.add(b.name.text);
      if (b && ts.isNamedImports(b)) {
        for (const el of b.elements) {
          const key = (el.propertyName ?? el.name).text;
          if (key === 'Pool' || key === 'Client') this.pgNames.add(el.name.text);
        }
      }
    } else if ((from === 'process' || from === 'node:process') && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      for (const el of clause.namedBindings.elements) {
        if ((el.propertyName ?? el.name).text === 'env') this.aliases.push({ name: el.name.text, via: 'process.env', scope: this.src.sf });
      }
    }
  }

  private finishDrivers(): void {
    if (!this.pgNames.size && !this.pgNamespaces.size) return;
    for (const n of this.newExprs) {
      const c = strip(n.expression);
      const isPg = (ts.isIdentifier(c) && this.pgNames.has(c.text)) ||
        (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && this.pgNamespaces.has(c.expression.text) &&
          (c.name.text === 'Pool' || c.name.text === 'Client'));
      if (!isPg) continue;
      let envName: string | undefined;
      const arg = n.arguments?.[0] ? strip(n.arguments[0]) : undefined;
      if (arg && ts.isObjectLiteralExpression(arg)) {
        for (const p of arg.properties) {
          if (ts.isPropertyAssignment(p) && propName(p.name) === 'connectionString') envName = this.envOf(p.initializer);
          else if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'connectionString') envName = this.varEnv.get('connectionString');
        }
      } else if (arg) {
        envName = this.envOf(arg);
      }
      this.src.facts.driverUses.push(envName ? { driver: 'node-postgres', envName, span: this.src.span(n) } : { driver: 'node-postgres', span: this.src.span(n) });
    }
  }

  /** The env variable an expression evidently holds: a read, a read with a fallback, a local bound to one. */
  private envOf(e: ts.Expression): string | undefined {
    let s = strip(e);
    if (ts.isBinaryExpression(s) && (s.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || s.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      s = strip(s.left);
    }
    if (ts.isIdentifier(s)) return this.varEnv.get(s.text);
    return this.readAt.get(s.getStart(this.src.sf));
  }

  private finishLiterals(): void {
    for (const n of this.literals) {
      const envName = this.literalEnv.get(n);
      const start = n.getStart(this.src.sf) + 1;
      const end = n.getEnd() - 1;
      const raw = this.src.text.slice(start, end);
      const span = { start, end };
      let value: string;
      let offsets: number[] | null = null;
      if (ts.isTemplateExpression(n)) {
        // `postgresql://${user}:${pw}@/db?host=/cloudsql/...`: the source text, `${...}` kept verbatim.
        if (raw.includes('\\')) continue;
        value = raw;
        offsets = identityOffsets(start, raw.length);
      } else {
        value = (n as ts.StringLiteral).text;
        if (raw === value) offsets = identityOffsets(start, value.length);
      }
      this.src.facts.dbUrls.push(...findDbUrls(value, offsets, span, envName));
    }
  }
}

function identityOffsets(start: number, length: number): number[] {
  const out = new Array<number>(length + 1);
  for (let i = 0; i <= length; i++) out[i] = start + i;
  return out;
}

function normalizeCallee(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!\./g, '.');
}


function functionName(n: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(n)) return 'constructor';
  if (n.name) return propName(n.name);
  const p = climb(n).parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) return propName(p.name);
  return undefined;
}




// ---------------------------------------------------------------------------------------------
// Schema-validated reads (zod, envalid, t3-env): syntax only, no checker.

/** t3-env: where `createEnv` takes the runtime values, and the schema groups keyed like them. */
const T3_RUNTIME = ['runtimeEnv', 'runtimeEnvStrict', 'experimental__runtimeEnv'];
const T3_GROUPS = ['server', 'client', 'shared'];
/** zod's parse methods: `schema.parse(process.env.X)`. */
const SCHEMA_PARSE = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'spa']);
/** Chain links that give a value when the input is undefined. */
const SCHEMA_VALUE = new Set(['default', 'catch', 'prefault']);
/** Chain links that accept undefined as it is. */
const SCHEMA_OPTIONAL = new Set(['optional', 'nullish']);
/** Chain links that make a missing value an error again (`.optional().unwrap()`). */
const SCHEMA_REQUIRED = new Set(['unwrap', 'removeDefault', 'nonoptional']);

/** How a schema treats a missing (undefined) input: `value` (`.default(x)`, `.catch(x)`) carries the fallback. */
interface SchemaMissing { kind: 'value' | 'optional'; value?: ts.Expression }

/**
 * Whether the schema expression `e` (`z.coerce.number().default(3000)`, `z.string().optional()`,
 * `Port` bound by a top-level `const`) accepts a missing value. Only the method chain counts, read
 * from the outside in: `z.array(z.string().optional())` is required, `.optional().unwrap()` too.
 */
function schemaMissing(e: ts.Expression, lookup: (name: string) => ts.Expression | undefined, depth = 0): SchemaMissing | undefined {
  let s = strip(e);
  for (let guard = 0; guard < 200 && depth < 8; guard++) {
    if (ts.isCallExpression(s)) {
      const callee = strip(s.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined; // `string()`, `f(x)`: the chain's root
      const method = callee.name.text;
      if (SCHEMA_VALUE.has(method)) return s.arguments.length ? { kind: 'value', value: s.arguments[0] } : { kind: 'value' };
      if (SCHEMA_OPTIONAL.has(method)) return { kind: 'optional' };
      if (SCHEMA_REQUIRED.has(method)) return undefined;
      if (method === 'pipe' && s.arguments.length) {
        // `a.pipe(b)`: a fallback from `a` flows into `b`; undefined passed on must suit `b` too.
        const inner = schemaMissing(callee.expression, lookup, depth + 1);
        if (!inner || inner.kind === 'value') return inner;
        return schemaMissing(s.arguments[0], lookup, depth + 1);
      }
      s = strip(callee.expression);
      continue;
    }
    if (ts.isPropertyAccessExpression(s)) { // `z.coerce`
      s = strip(s.expression);
      continue;
    }
    if (ts.isIdentifier(s)) {
      const bound = lookup(s.text);
      if (!bound) return undefined;
      s = strip(bound);
      depth++;
      continue;
    }
    return undefined;
  }
  return undefined;
}

