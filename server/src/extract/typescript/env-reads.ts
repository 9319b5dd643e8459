/**
 * Env reads: `process.env.X`, `process.env["X"]`, `import.meta.env.X`, `'X' in process.env`,
 * destructuring (`const { X = 'd' } = process.env`), Deno's `Deno.env.get("X")` /
 * `Deno.env.has("X")`, configured accessor calls (`config.get("X", default)`), reads through local
 * aliases of the env object (`const env = process.env; env.X`), and the keys of whole-environment
 * schemas (schemas.ts). A read has a default (`hasDefault`, with `optionalBecause`) when a
 * destructuring or accessor default, or a schema that accepts its absence, stands in; otherwise
 * absence.ts judges what the code around it does when it is unset. Reads with a computed name are
 * dynamic reads (with the name's literal prefix). Vite's built-in constants (`import.meta.env.DEV`)
 * are not reads; values a build inlines are marked `buildTime` (knowledge/build-time-env.ts).
 *
 * EnvRead.span is the access itself (`process.env.X`, `process.env["X"]`, `Deno.env.get("X")`,
 * a configured accessor call, the `'X' in process.env` expression, a destructuring element, a
 * schema's `X: ...` entry); nameSpan is the identifier or the string's content.
 *
 * Besides the facts, it answers which env variable an expression or a literal stands for, for
 * drivers and database URLs (db.ts).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { EnvRead, Span, PresenceCall } from '../../core/facts';
import { isBrowserPublic, isBuildTimeRead, isNextConfigFile, isViteBuiltIn } from '../../knowledge/build-time-env';
import { insecureDefault, isSecretLike, secretStandIn, standInMarks } from '../../knowledge/secrets';
import { isLoopbackUrl } from '../../knowledge/platform';
import type { ExtractOptions } from '../options';
import type { Ctx, Source } from './context';
import type { Gates } from './gates';
import type { Branches } from './branches';
import { Absence, flatten, isFallback } from './absence';
import { memberOrLocal, type NestConfig } from './nest-config';
import { missingNamesFail, nameListOf, type NameList } from './name-lists';
import { PassedOn } from './passed-on';
import { InferredAccessors, accessorCallName } from './accessors';
import { Schemas, type SchemaEntry } from './schemas';
import { climb, constInitializer, envAccess, envKeyHolder, envObject, isAssignmentOp, isEquality, isNullishLiteral, isStringLike, propName, strip } from './syntax';
import { NEST_CONFIG_CLASS, VARIABLE_KEY, configServiceMethod } from '../../knowledge/config-services';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Links past which a chain of alternatives is no set of real choices (generated code). */
const MAX_CHAIN = 16;

export class EnvReads {
  /** Local names for the env object (`const env = process.env`, `const { env } = process`, `import { env } from 'process'`, `...rest`), visible within `scope`. */
  private readonly aliases: { name: string; via: string; scope: ts.Node }[] = [];
  /** Accesses through a plain identifier, resolved after the walk when that identifier is an alias. */
  private readonly deferred: { node: ts.Node; ctx: Ctx }[] = [];
  /** The variable read at each access's start offset. */
  private readonly readAt = new Map<number, string>();
  /** Locals bound to a read (`const url = process.env.DATABASE_URL`), by name. */
  private readonly varEnv = new Map<string, string>();
  /** String and template literals that are a variable's value: its default, fallback or assignment. */
  private readonly literalEnv = new Map<ts.Node, string>();
  /** Configured accessor callees, normalized (`settings.env`, `config.get`). */
  private readonly accessors = new Set<string>();
  private readonly schemas: Schemas;
  private readonly absence: Absence;
  /** `x.get('KEY')` / `this.x.getOrThrow('KEY')` calls, read in `finish` when `x` is a ConfigService. */
  private readonly configCalls: { node: ts.CallExpression; ctx: Ctx; receiver: string; throws: boolean; list?: NameList }[] = [];

  /** Functions of this file that read the variable their parameter names (accessors.ts). */
  private readonly inferred = new InferredAccessors();
  /** Calls that may go through such an accessor, here or in an imported module: decided in `finish`. */
  private readonly accessorCalls: { node: ts.CallExpression; ctx: Ctx }[] = [];
  private readonly passedOn: PassedOn;

  constructor(private readonly src: Source, options: ExtractOptions, private readonly gates: Gates, private readonly nest: NestConfig, private readonly branches?: Branches) {
    for (const a of options.envAccessors) this.accessors.add(normalizeCallee(a));
    this.schemas = new Schemas(src.topConst, (e) => this.envVia(e));
    const passedOn = (this.passedOn = new PassedOn(src.sf));
    this.absence = new Absence((e) => this.isEnvValue(e), (v) => passedOn.passedTo(v));
  }

  /** The text a `||`/`??` chain gives where the read `e` is empty: the next operand to its right
   * (`opts.model ?? process.env.X ?? DEFAULT_MODEL` falls back to `DEFAULT_MODEL`), a string written
   * there or a top-level `const` holding one. Undefined when that operand is anything else. */
  private chainFallbackText(e: ts.Node): string | undefined {
    let n = climb(e);
    for (let p = n.parent; p && isFallback(p); n = climb(p), p = n.parent) {
      if (p.left !== n) continue;
      let r = strip(p.right);
      if (ts.isIdentifier(r)) {
        const bound = this.src.topConst(r.text);
        if (!bound) return undefined;
        r = strip(bound);
      }
      return isStringLike(r) ? r.text : undefined;
    }
    return undefined;
  }

  /** A callee imported from a relative module (`isConfigured` in `if (!isConfigured()) return;`). */
  importedCallee(e: ts.Expression): PresenceCall | undefined {
    return this.passedOn.importedCallee(e);
  }

  /** As `importedCallee`, also through a path alias of the project's own code (`@/server/env`). */
  ownModuleCallee(e: ts.Expression): PresenceCall | undefined {
    return this.passedOn.ownModuleCallee(e);
  }

  /** What code does with values that may be undefined, for other concerns (optional-params.ts). */
  get handling(): Absence {
    return this.absence;
  }

  propertyAccess(n: ts.PropertyAccessExpression, ctx: Ctx): void {
    const via = envObject(n.expression);
    if (via) this.readProperty(n, via, ctx);
    else if (ts.isIdentifier(n.expression) && n.expression.text !== 'process') this.deferred.push({ node: n, ctx });
  }

  elementAccess(n: ts.ElementAccessExpression, ctx: Ctx): void {
    const via = envObject(n.expression);
    if (via) this.readElement(n, via, ctx);
    else if (ts.isIdentifier(strip(n.expression))) this.deferred.push({ node: n, ctx });
  }

  /** `'X' in process.env`: a presence test. */
  binary(n: ts.BinaryExpression, ctx: Ctx): void {
    if (n.operatorToken.kind !== ts.SyntaxKind.InKeyword) return;
    const left = strip(n.left);
    const via = envObject(n.right);
    if (via && isStringLike(left) && ENV_NAME.test(left.text)) {
      this.addRead(n, left.text, this.src.contentSpan(left), via, ctx, true);
    } else if (!via && isStringLike(left) && ts.isIdentifier(strip(n.right))) {
      this.deferred.push({ node: n, ctx });
    }
  }

  /** A parameter whose default is the env object (`function loadEnv(source = process.env)`): an
   * alias of it in the function, as a schema parsed over it reads the schema's keys there. */
  parameter(n: ts.ParameterDeclaration): void {
    const via = n.initializer && ts.isIdentifier(n.name) ? envObject(strip(n.initializer)) : undefined;
    if (via) this.aliases.push({ name: (n.name as ts.Identifier).text, via, scope: n.parent });
  }

  /** An alias of the env object, or a destructuring of it. */
  declaration(n: ts.VariableDeclaration, ctx: Ctx): void {
    const init = n.initializer ? strip(n.initializer) : undefined;
    if (!init) return;
    if (ts.isIdentifier(n.name)) {
      const via = envObject(init);
      if (via) this.aliases.push({ name: n.name.text, via, scope: ctx.scope?.node ?? this.src.sf });
      return;
    }
    if (!ts.isObjectBindingPattern(n.name)) return;
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

  /** Whole-environment schemas, `Deno.env.get("X")` / `Deno.env.has("X")`, configured accessors. */
  call(n: ts.CallExpression, ctx: Ctx): void {
    const entries = this.schemas.entries(n);
    if (entries) for (const e of entries) this.schemaRead(e, ctx);
    const callee = strip(n.expression);
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'get' || callee.name.text === 'has')) {
      const obj = strip(callee.expression);
      if (ts.isPropertyAccessExpression(obj) && obj.name.text === 'env' && ts.isIdentifier(obj.expression) && obj.expression.text === 'Deno') {
        this.callRead(n, `Deno.env.${callee.name.text}`, ctx, callee.name.text === 'has', undefined);
        return;
      }
    }
    if (ts.isPropertyAccessExpression(callee)) this.noteConfigCall(n, callee, ctx);
    if (this.accessors.size) {
      let text = normalizeCallee(this.src.textOf(callee));
      if (!this.accessors.has(text) && text.startsWith('this.')) text = text.slice(5);
      if (this.accessors.has(text)) {
        this.callRead(n, text, ctx, false, n.arguments[1]);
        return;
      }
    }
    if (accessorCallName(n)) this.accessorCalls.push({ node: n, ctx });
  }

  /** `x.get('KEY')`, `x.getOrThrow(k)` over a list of names: kept for `finish`, which knows
   * whether `x` is a ConfigService. Every call of a parsed file comes here, so the method name is
   * tested first. */
  private noteConfigCall(n: ts.CallExpression, callee: ts.PropertyAccessExpression, ctx: Ctx): void {
    const method = configServiceMethod(callee.name.text);
    const key = method && n.arguments[0] && strip(n.arguments[0]);
    const receiver = key && memberOrLocal(callee.expression);
    if (!method || !key || !receiver) return;
    if (isStringLike(key)) {
      if (VARIABLE_KEY.test(key.text)) this.configCalls.push({ node: n, ctx, receiver, throws: method.throws });
    } else if (ts.isIdentifier(key)) {
      const list = nameListOf(key);
      if (list) this.configCalls.push({ node: n, ctx, receiver, throws: method.throws, list });
    }
  }

  /** `import { env } from 'process'`. */
  importDeclaration(n: ts.ImportDeclaration): void {
    if (!ts.isStringLiteral(n.moduleSpecifier) || !n.importClause) return;
    const from = n.moduleSpecifier.text;
    const bindings = n.importClause.namedBindings;
    if ((from === 'process' || from === 'node:process') && bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) {
        if ((el.propertyName ?? el.name).text === 'env') this.aliases.push({ name: el.name.text, via: 'process.env', scope: this.src.sf });
      }
    }
    // SvelteKit's run-time environment (`import { env } from '$env/dynamic/private'`): the
    // platform's variables as the server runs, read like process.env's. (`$env/static/*` are
    // replaced when the app is built.)
    if ((from === '$env/dynamic/private' || from === '$env/dynamic/public') && bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) {
        if ((el.propertyName ?? el.name).text === 'env') this.aliases.push({ name: el.name.text, via: from, scope: this.src.sf });
      }
    }
  }

  /** Resolves reads through aliases, judges what depends on other reads and locals, then orders the reads by position. */
  finish(): void {
    if (this.aliases.length) {
      for (const { node, ctx } of this.deferred) this.resolveDeferred(node, ctx);
    }
    if (this.nest.className && this.configCalls.length) {
      const services = this.nest.serviceNames();
      for (const c of this.configCalls) {
        if (!services.has(c.receiver)) continue;
        if (c.list) {
          this.listReads(c.node, c.list, NEST_CONFIG_CLASS, c.ctx, c.throws);
          continue;
        }
        const key = strip(c.node.arguments[0]!) as ts.StringLiteral;
        this.addRead(c.node, key.text, this.src.contentSpan(key), NEST_CONFIG_CLASS, c.ctx, false,
          c.throws ? undefined : c.node.arguments[1], c.throws);
      }
    }
    this.inferredAccessorReads();
    this.markDevelopmentOnly();
    this.absence.finish(this.src.sf);
    this.src.facts.reads.sort((a, b) => a.span.start - b.span.start);
    this.src.facts.dynamicReads.sort((a, b) => a.span.start - b.span.start);
  }

  /** The env variable an expression evidently holds: a read, a read with a fallback, a local bound to one. */
  envOf(e: ts.Expression): string | undefined {
    let s = strip(e);
    if (ts.isBinaryExpression(s) && (s.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || s.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      s = strip(s.left);
    }
    if (ts.isIdentifier(s)) return this.varEnv.get(s.text);
    return this.readAt.get(s.getStart(this.src.sf));
  }

  /** The variable a string or template literal is the value of (a default, fallback or assignment). */
  literalEnvOf(n: ts.Node): string | undefined {
    return this.literalEnv.get(n);
  }

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
    // `const ENV_KEY = "CREDENTIALS_ENCRYPTION_KEY"` … `process.env[ENV_KEY]`: the name is the
    // constant's, written where the constant is declared (a rename edits it there).
    const constant = ts.isIdentifier(arg) ? constInitializer(arg) : undefined;
    const named = constant ? strip(constant) : undefined;
    if (named && isStringLike(named)) {
      if (ENV_NAME.test(named.text)) this.addRead(n, named.text, this.src.contentSpan(named), via, ctx, false);
      return;
    }
    if (this.isWriteTarget(climb(n))) return;
    const list = ts.isIdentifier(arg) ? nameListOf(arg) : undefined;
    if (list) this.listReads(n, list, via, ctx, false);
    else {
      if (ts.isIdentifier(arg) && via === 'process.env') this.inferred.paramRead(n, arg);
      this.dynamicRead(n, arg);
    }
  }

  /** Calls of the file's own accessors become reads, required or optional as the accessor's body
   * decides; calls of a function imported from a relative module are kept for the model, which
   * knows whether that module defines it as an accessor. */
  private inferredAccessorReads(): void {
    const defs = this.inferred.definitions(this.src.sf, (x) => this.absence.handling(x));
    if (defs.length) this.src.facts.accessorDefs = defs.map((d) => d.fact);
    for (const { node, ctx } of this.accessorCalls) {
      const callee = strip(node.expression);
      const first = strip(node.arguments[0]!) as ts.StringLiteral;
      const via = this.src.textOf(callee).replace(/\s+/g, '');
      const local = ts.isIdentifier(callee) ? defs.find((d) => d.fact.name === callee.text) : undefined;
      if (local) {
        if (this.src.span(node).start >= local.fact.span.start && within(node, local.fact.span, this.src)) continue;
        const passed = local.defaultIndex !== undefined ? node.arguments[local.defaultIndex] : undefined;
        const given = passed && !isNullishLiteral(passed) ? passed : undefined;
        const w = local.fact.whenUnset;
        this.addRead(node, first.text, this.src.contentSpan(first), via, ctx, false, given, w === 'raises' && !given);
        if (!given && (w === 'default' || w === 'fallback')) {
          const read = this.src.facts.reads[this.src.facts.reads.length - 1]!;
          optional(read, w === 'fallback' ? 'fallback' : 'default');
        }
        continue;
      }
      const imported = this.passedOn.importedCallee(node.expression);
      if (!imported) continue;
      const before = this.src.facts.reads.length;
      this.addRead(node, first.text, this.src.contentSpan(first), via, ctx, false);
      const read = this.src.facts.reads.length > before ? this.src.facts.reads.pop()! : undefined;
      if (!read) continue;
      (this.src.facts.accessorCalls ??= []).push({ ...imported, read, positional: node.arguments.map((a) => !isNullishLiteral(a)), keywords: {} });
    }
  }

  /** One read per name of the list the access's key walks (name-lists.ts), each named at its
   * string in the list; a `filter` keeping the missing names is judged by what follows it. */
  private listReads(acc: ts.Node, list: NameList, via: string, ctx: Ctx, throws: boolean): void {
    const required = list.filter ? missingNamesFail(list.filter) : false;
    for (const el of list.names) {
      if (ENV_NAME.test(el.text)) this.addRead(acc, el.text, this.src.contentSpan(el), via, ctx, false, undefined, throws || required);
    }
  }

  /** A read whose name is computed (`process.env[k]`); a literal head gives the prefix (`process.env['DB_' + k]`). */
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

  /** Assigned, deleted or incremented: a write, not a read. */
  private isWriteTarget(outer: ts.Node): boolean {
    const p = outer.parent;
    if (ts.isBinaryExpression(p) && p.left === outer && isAssignmentOp(p.operatorToken.kind)) return true;
    if (ts.isDeleteExpression(p)) return true;
    if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
        (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    return false;
  }

  /** Records a read at `acc` (an access or call) after looking at what surrounds it. `throws`:
   * the access itself fails when the variable is unset (`getOrThrow`): required, whatever follows. */
  private addRead(acc: ts.Node, name: string, nameSpan: Span, via: string, ctx: Ctx, presence: boolean, defaultArg?: ts.Expression, throws = false): void {
    if (via === 'import.meta.env' && isViteBuiltIn(name)) return;
    const outer = climb(acc);
    const p = outer.parent;
    if (this.isWriteTarget(outer)) {
      // `process.env.DATABASE_URL = "postgres://..."`: the literal is that variable's value.
      if (ts.isBinaryExpression(p)) this.noteLiteralEnv(p.right, name);
      return;
    }
    let valueNode: ts.Node = outer;
    if (ts.isBinaryExpression(p) && p.left === outer &&
        (p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      this.noteLiteralEnv(p.right, name);
      valueNode = climb(p);
    }
    const read = this.pushRead(name, nameSpan, this.src.span(acc), false, via, ctx);
    if (isNextConfigEnvValue(this.src.facts.file, valueNode)) read.buildTime = true;
    const missing = defaultArg ? undefined : this.schemas.whenMissing(outer);
    if (defaultArg) {
      optional(read, 'default');
      this.noteLiteralEnv(defaultArg, name);
    } else if (missing) {
      optional(read, 'schema');
      if (missing.value) this.noteLiteralEnv(missing.value, name);
    } else if (!throws) {
      // `'X' in process.env`, `Deno.env.has("X")`: false when unset, and a presence test already.
      this.absence.judgeRead(read, acc, presence ? 'false' : 'undefined', presence ? 'tested' : undefined);
    }
    // `process.env.JWT_SECRET || "change-me-in-production"`: a secret's placeholder default stands
    // in for nothing; the deploy must set it.
    // Only a fallback is a default: `process.env.X === 'your-jwt-secret'` compares with a placeholder.
    const fallback = defaultArg ?? (ts.isBinaryExpression(p) && p.left === outer &&
      (p.operatorToken.kind === ts.SyntaxKind.BarBarToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) ? p.right : undefined);
    // `process.env.FRONTEND_URL || 'http://localhost:5173'`: a development address stands in.
    const literal = fallback ? strip(fallback) : undefined;
    const fallbackText = literal && isStringLike(literal) ? literal.text : undefined;
    if (read.hasDefault && fallbackText !== undefined && isLoopbackUrl(fallbackText)) read.localDefault = fallbackText;
    const given = fallbackText ?? (literal && ts.isNumericLiteral(literal) ? literal.text : undefined);
    if (read.hasDefault && given !== undefined) read.textDefault = given;
    // What a bundle built without the value holds here, on reads a build may inline only.
    if (read.buildTime || isBrowserPublic(name)) {
      const inlined = defaultArg ? undefined : this.chainFallbackText(outer);
      if (inlined !== undefined) read.inlinedFallback = inlined;
      else if (!fallback && read.buildTime && forwardsOwnName(valueNode, name)) read.forwardsOwnName = true;
    }
    const secretFallback = read.hasDefault && isSecretLike(name) ? defaultArg ?? this.alternativesEndIn(outer) ?? fallback : undefined;
    if (secretFallback) {
      const f = strip(secretFallback);
      const text = isStringLike(f) ? f.text : undefined;
      // A stand-in the code then recognises (`if (this.apiKey === 'test_key') throw new Error('not
      // configured')`) is a sentinel: the feature refuses to run on it. A working key committed
      // here (`process.env.JWT_SECRET || 'ac65763a-22d5-…'`) is one anyone who reads the
      // repository holds. Either way the deploy must set it.
      // A build-time read's committed key is what the build inlines anyway.
      const standIn = text !== undefined ? secretStandIn(name, text) : undefined;
      if (standIn && !(standIn === 'committed' && read.buildTime) && !comparedWithText(this.src.sf, text!)) {
        read.hasDefault = false;
        delete read.optionalBecause;
        delete read.textDefault;
        Object.assign(read, standInMarks(standIn));
      }
    }
    // A secret's stand-in is no value to run on (`process.env.JWT_SECRET = process.env.JWT_SECRET ??
    // 'dummy_jwt_secret'` signs tokens anyone can forge): the deploy must still set it.
    if (fillsAtStart(valueNode, read)) {
      if (read.placeholderDefault || read.emptyDefault) read.writesBack = true;
      else read.setsAtImport = true;
    }
    this.readAt.set(acc.getStart(this.src.sf), name);
    this.gates.noteRead(acc, name, nameSpan, ctx);
    const decl = valueNode.parent;
    if (ts.isVariableDeclaration(decl) && decl.initializer === valueNode && ts.isIdentifier(decl.name)) {
      this.varEnv.set(decl.name.text, name);
      // `const devApiUrl = import.meta.env.VITE_API_URL || local`, used only under `if
      // (import.meta.env.DEV)`: a production build never uses the value.
      // Decided in `finish`, with one pass over the file for every such `const`.
      if (!read.devOnly && this.branches && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) this.devCandidates.push({ read, decl });
    }
  }

  private readonly devCandidates: { read: EnvRead; decl: ts.VariableDeclaration }[] = [];

  /** Marks the reads held in a `const` used only in development branches (`usedOnlyInDevelopment`). */
  private markDevelopmentOnly(): void {
    if (!this.devCandidates.length) return;
    const ids = this.devCandidates.map((c) => c.decl.name as ts.Identifier);
    const uses = this.absence.usesOf(this.src.sf, ids);
    for (const c of this.devCandidates) if (this.usedOnlyInDevelopment(c.decl, uses.get(c.decl.name as ts.Identifier) ?? [])) c.read.devOnly = true;
  }

  /** A `const` whose every use sits in a development-only branch (`if (import.meta.env.DEV)`, the
   * `else` of `if (import.meta.env.PROD)`). */
  private usedOnlyInDevelopment(decl: ts.VariableDeclaration, uses: ts.Identifier[]): boolean {
    const scope = decl.parent.parent?.parent;
    return uses.length > 0 && uses.every((u) => {
      for (let c: ts.Node = u, p = u.parent; p && p !== scope; c = p, p = p.parent) {
        if (ts.isIfStatement(p) && c !== p.expression) {
          const cond = this.branches!.condition(p.expression);
          const branch = c === p.thenStatement ? cond?.then : cond?.else;
          if (branch && 'dev' in branch) return true;
        }
        if (ts.isConditionalExpression(p) && c !== p.condition) {
          const cond = this.branches!.condition(p.condition);
          const branch = c === p.whenTrue ? cond?.then : cond?.else;
          if (branch && 'dev' in branch) return true;
        }
      }
      return false;
    });
  }

  /** The last operand of a chain of alternatives `outer` sits in, when every operand before it
   * reads the environment (`process.env.SESSION_SECRET || process.env.COOKIE_SECRET ||
   * 'dev-session-secret'`): what each of them stands in for. */
  private alternativesEndIn(outer: ts.Node): ts.Expression | undefined {
    let top = outer.parent;
    if (!isFallback(top)) return undefined;
    // A chain of real choices is short; generated code chains thousands of reads.
    let depth = 0;
    for (let up = climb(top).parent; isFallback(up); up = climb(top).parent) {
      if (++depth > MAX_CHAIN) return undefined;
      top = up;
    }
    const operands = flatten(top) as ts.Expression[];
    if (operands.length > MAX_CHAIN) return undefined;
    const last = operands[operands.length - 1]!;
    return last !== outer && operands.slice(0, -1).every((o) => this.isEnvValue(o)) ? last : undefined;
  }

  private standalone: boolean | undefined;
  /** A Next.js config with `output: 'standalone'`: `next build` writes the resolved config into the
   * standalone `server.js`, which never loads this file, so every read here happens at build. */
  private standaloneNextConfig(): boolean {
    return (this.standalone ??= isNextConfigFile(this.src.facts.file) && declaresStandaloneOutput(this.src.sf));
  }

  /** Records a read; `source` is the environment object it comes from when `via` names a schema. */
  private pushRead(name: string, nameSpan: Span, span: Span, hasDefault: boolean, via: string, ctx: Ctx, source = via): EnvRead {
    const read: EnvRead = {
      name, nameSpan, span, hasDefault, via,
      ...(ctx.devOnly ? { devOnly: true } : {}),
      ...(ctx.scope ? { inFunction: true as const } : {}),
      ...(ctx.inEnvironment ? { inEnvironment: ctx.inEnvironment } : {}),
      ...switchesFor(ctx, name),
      ...(ctx.checks?.length ? { onlyWhenChecked: [...ctx.checks] } : {}),
      ...(isBuildTimeRead(source, name, this.src.facts.file) || this.standaloneNextConfig() ? { buildTime: true } : {}),
    };
    this.src.facts.reads.push(read);
    return read;
  }

  private noteLiteralEnv(e: ts.Expression, name: string): void {
    const s = strip(e);
    if (isStringLike(s) || ts.isTemplateExpression(s)) this.literalEnv.set(s, name);
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
      if (via === 'import.meta.env' && isViteBuiltIn(name)) continue;
      const nameSpan = ts.isStringLiteral(key) ? this.src.contentSpan(key) : this.src.span(key);
      const read = this.pushRead(name, nameSpan, this.src.span(el), false, via, ctx);
      if (el.initializer) {
        optional(read, 'default');
        this.noteLiteralEnv(el.initializer, name);
      } else if (ts.isIdentifier(el.name)) {
        this.absence.judgeBinding(read, el.name);
      }
      if (ts.isIdentifier(el.name)) this.varEnv.set(el.name.text, name);
    }
  }

  /** A key of a whole-environment schema: span the `X: ...` entry, nameSpan the key. */
  private schemaRead({ entry, hasDefault, via, defaultValue, fallback, source }: SchemaEntry, ctx: Ctx): void {
    const name = propName(entry.name);
    if (!name || !ENV_NAME.test(name)) return;
    if (source === 'import.meta.env' && isViteBuiltIn(name)) return;
    const nameSpan = ts.isStringLiteral(entry.name) ? this.src.contentSpan(entry.name) : this.src.span(entry.name);
    const read = this.pushRead(name, nameSpan, this.src.span(entry), false, via, ctx, source);
    // `SHOPIFY_API_SECRET: z.string().default('dev_secret')`: a secret's stand-in default, as for
    // `|| 'change-me'` below. The schema only stores the value; what uses it, if anything, is
    // elsewhere (a field nothing reads back was a judged corpus case), so it is said as such.
    const f = fallback && strip(fallback);
    if (hasDefault && f && isSecretLike(name) && (ts.isStringLiteral(f) || ts.isNoSubstitutionTemplateLiteral(f)) && insecureDefault(f.text) && !comparedWithText(this.src.sf, f.text)) {
      read.placeholderDefault = true;
      read.needUnseen = true;
    } else if (hasDefault) optional(read, 'schema');
    // valibot's `optional(schema, 'x')` carries its default where `fallback` does not say.
    if (hasDefault && !fallback && (via === 'zod' || via === 't3-env')) read.schemaUndefined = true;
    if (defaultValue) this.noteLiteralEnv(defaultValue, name);
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

  /** A read through a name that turned out to alias the env object (`env.X`, `env[k]`, `'X' in env`, `const { X } = env`). */
  private resolveDeferred(node: ts.Node, ctx: Ctx): void {
    if (ts.isPropertyAccessExpression(node)) {
      const via = this.aliasVia(node.expression);
      if (via) this.readProperty(node, via, ctx);
    } else if (ts.isElementAccessExpression(node)) {
      const via = this.aliasVia(node.expression);
      if (via) this.readElement(node, via, ctx);
    } else if (ts.isBinaryExpression(node)) {
      const via = this.aliasVia(node.right);
      const left = strip(node.left);
      if (via && isStringLike(left) && ENV_NAME.test(left.text)) this.addRead(node, left.text, this.src.contentSpan(left), via, ctx, true);
    } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const via = this.aliasVia(node.initializer);
      if (via) this.destructure(node.name, via, ctx);
    }
  }

  /** A read of the environment as a value: an access (through `?.` chains), `Deno.env.get`, a local bound to a read. */
  private isEnvValue(e: ts.Expression): boolean {
    let s = strip(e);
    for (let guard = 0; guard < 32; guard++) {
      if ((ts.isPropertyAccessExpression(s) || ts.isElementAccessExpression(s)) && this.envVia(s.expression)) return true;
      if ((ts.isPropertyAccessExpression(s) || ts.isElementAccessExpression(s) || ts.isCallExpression(s)) && ts.isOptionalChain(s)) {
        s = strip(s.expression);
        continue;
      }
      break;
    }
    if (ts.isIdentifier(s)) return this.varEnv.has(s.text);
    if (ts.isCallExpression(s)) {
      const c = strip(s.expression);
      const obj = ts.isPropertyAccessExpression(c) && c.name.text === 'get' ? strip(c.expression) : undefined;
      return !!obj && ts.isPropertyAccessExpression(obj) && obj.name.text === 'env' && ts.isIdentifier(obj.expression) && obj.expression.text === 'Deno';
    }
    return false;
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
}

/** The switches around a read, but never its own name (`if (process.env.A) use(process.env.A)`:
 * that read is judged by its presence test) and each once. */
function switchesFor(ctx: Ctx, name: string): Pick<EnvRead, 'onlyWhen'> {
  if (!ctx.onlyWhen) return {};
  const seen = new Set<string>();
  const list = ctx.onlyWhen.filter((s) => {
    const k = `${s.name}\0${s.set}`;
    if (s.name === name || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return list.length ? { onlyWhen: list } : {};
}

/** Whether the file compares something with the text `text` (`=== 'test_key'`, `!== "x"`). */
function comparedWithText(sf: ts.SourceFile, text: string): boolean {
  // Most files never hold the text twice: the default itself is one occurrence.
  if (sf.text.split(text).length < 3) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && isEquality(n.operatorToken.kind)) {
      found = [n.left, n.right].some((side) => {
        const v = strip(side);
        return (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) && v.text === text;
      });
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** `output: 'standalone'` anywhere in the file (a literal: a computed value decides nothing). */
function declaresStandaloneOutput(sf: ts.SourceFile): boolean {
  if (!sf.text.includes('standalone')) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(n) && propName(n.name) === 'output') {
      const v = strip(n.initializer);
      found = (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) && v.text === 'standalone';
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** A value of the `env` key of a Next.js config (`env: { X: process.env.X }`): `next build`
 * replaces `process.env.X` in the bundle with it, so the running server never reads it. */
function isNextConfigEnvValue(file: string, value: ts.Node): boolean {
  return isNextConfigFile(file) && envKeyHolder(value) !== undefined;
}

/**
 * `process.env.X = process.env.X ?? 'value'` (or `||`) as a statement of the module's top level:
 * once the module is loaded the variable has a value unless the deploy gave one, as Python's
 * `os.environ.setdefault` gives it (`EnvRead.setsAtImport`, model/code-defaults.ts). `value` is
 * `read` with its fallback; the fallback must be a text, so the variable surely holds one.
 */
function fillsAtStart(value: ts.Node, read: EnvRead): boolean {
  if (!ts.isBinaryExpression(value)) return false;
  const fallback = strip(value.right);
  if (!ts.isStringLiteral(fallback) && !ts.isNoSubstitutionTemplateLiteral(fallback)) return false;
  const assign = climb(value).parent;
  if (!assign || !ts.isBinaryExpression(assign) || assign.operatorToken.kind !== ts.SyntaxKind.EqualsToken || climb(assign.right) !== climb(value)) return false;
  if (!ts.isExpressionStatement(assign.parent) || !ts.isSourceFile(assign.parent.parent)) return false;
  // The same variable of the same object is written.
  const target = envAccess(assign.left);
  return target?.name === read.name && target.via === read.via;
}

/** `env: { NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL }` in a Next.js config: the key
 * is the variable's own name, so the build inlines just what it was given. */
function forwardsOwnName(value: ts.Node, name: string): boolean {
  const prop = value.parent;
  if (!ts.isPropertyAssignment(prop) || prop.initializer !== value) return false;
  return (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) && prop.name.text === name;
}

function optional(read: EnvRead, because: EnvRead['optionalBecause']): void {
  read.hasDefault = true;
  read.optionalBecause = because;
}

/** `config?.get`, `config!.get` and `config . get` all compare as `config.get`. */
function normalizeCallee(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!\./g, '.');
}

/** Whether `n` sits inside the function whose name is at `nameSpan` (a recursive call, or the
 * accessor calling itself through a default): never a read of its own. */
function within(n: ts.Node, nameSpan: Span, src: Source): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isFunctionDeclaration(p) || ts.isArrowFunction(p) || ts.isFunctionExpression(p)) {
      const named = ts.isFunctionDeclaration(p) && p.name ? p.name : ts.isVariableDeclaration(climb(p).parent) ? (climb(p).parent as ts.VariableDeclaration).name : undefined;
      if (named && src.span(named).start === nameSpan.start) return true;
    }
  }
  return false;
}
