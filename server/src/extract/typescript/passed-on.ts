/**
 * Where a value goes when it leaves the file unguarded: an argument of a call of a function
 * imported from a relative module (`ask(q, X)`, `llm.ask(q, X)` through `import * as llm`, a
 * default import called), or a property of an object literal passed as one
 * (`ask(q, { modelName: X })`). Whether that function copes with an undefined value is decided
 * in the model, from the other file's `optionalParams` (model/passed-reads.ts).
 *
 * A function of this file (a top-level `function f` or `const f = (…) => …`, or a method of one of
 * its classes called on `this`) is recorded with an empty module and decided in the extractor itself (optional-params.ts over the file's own
 * functions): `readRate(process.env.RATE, 0.2)` into `readRate(raw: string | undefined, d)` that
 * returns `d` when `raw` is undefined.
 *
 * Syntax only: the callee is named by the import or declaration that binds it. A function named
 * by a package's import (`import { parseMode } from '@acme/shared'`) is recorded for a value
 * passed to it directly, and counts only where the package is the workspace's own (the model
 * resolves it); a package's `require`, default or namespace import is not followed.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { PassedTo } from '../../core/facts';
import { climb, nestedConstFunctions, ownMethods, propName, requiredModule, strip, topLevelFunctions } from './syntax';

/** A name an import binds: a function (`name`, `default` for a default import) or a namespace (no
 * `name`); `bare` when the module is named as a package is (`@acme/shared`). */
interface Binding {
  module: string;
  name?: string;
  bare?: true;
  /** Bound by CommonJS's `require`: the module object, which may be a function. */
  required?: true;
}

export class PassedOn {
  /** Local names bound by imports from relative modules, built on the first value passed to a call. */
  private bindings?: Map<string, Binding>;
  /** The file's own top-level functions, by name. */
  private locals?: ReadonlySet<string>;
  /** The methods of the file's classes, as `this.<name>`. */
  private methods?: ReadonlySet<string>;

  constructor(private readonly sf: ts.SourceFile) {}

  /** Where `value` (the outermost node of a value: through wrappers) is passed, when it is passed
   * to a function imported from a relative module. */
  passedTo(value: ts.Node): PassedTo | undefined {
    let arg: ts.Node = value;
    const path: string[] = [];
    // A local written as a shorthand property (`start({ port, jobsDir })`): the key is its name.
    if (ts.isIdentifier(value) && ts.isShorthandPropertyAssignment(value.parent) && value.parent.name === value) {
      path.push(value.text);
      arg = climb(value.parent.parent);
    }
    // An element of an array literal handed straight to a call (`candidates([X, 'x'])`): the
    // parameter's elements (`[]`) decide.
    if (!path.length && ts.isArrayLiteralExpression(arg.parent) && arg.parent.elements.includes(arg as ts.Expression)) {
      const array = climb(arg.parent);
      if (!array.parent || !ts.isCallExpression(array.parent)) return undefined;
      path.push('[]');
      arg = array;
    }
    // Up through the object literals the value sits in (`{ auth: { user: X } }`).
    for (let p = arg.parent; p && ts.isPropertyAssignment(p) && p.initializer === arg; p = arg.parent) {
      const key = propName(p.name);
      if (key === undefined) return undefined;
      path.unshift(key);
      arg = climb(p.parent);
    }
    // `const options = { … }` handed whole to workspace code, and used for nothing else.
    let throughLocal = false;
    if (path.length && ts.isVariableDeclaration(arg.parent) && arg.parent.initializer === arg) {
      const pass = this.onlyPassOf(arg.parent);
      if (!pass) return undefined;
      arg = pass;
      throughLocal = true;
    }
    // `flags.pageDelay = X` with `flags` handed whole to workspace code later (`slackin(flags)`).
    if (!path.length) {
      const assigned = this.passOfAssignedObject(arg);
      if (assigned) {
        path.push(assigned.property);
        arg = assigned.pass;
        throughLocal = true;
      }
    }
    const call = arg.parent;
    if (!call || !ts.isCallExpression(call)) return undefined;
    const index = call.arguments.findIndex((a) => a === arg);
    if (index < 0 || call.arguments.slice(0, index).some((a) => ts.isSpreadElement(a))) return undefined;
    const callee = this.callee(call.expression);
    if (!callee) return undefined;
    // A package's function is asked only of a value passed directly: whether the package is the
    // workspace's own is the model's question, and a value inside an object keeps its own judgment.
    if (callee.bare && (path.length || throughLocal)) return undefined;
    delete callee.bare;
    // A nested value or one in a local object: the file's own function is asked nothing either.
    if ((path.length > 1 || throughLocal) && callee.module === '') return undefined;
    const to: PassedTo = path.length ? { ...callee, arg: index, property: path.join('.') } : { ...callee, arg: index };
    if (path.length > 1 || throughLocal) to.handedOn = true;
    return to;
  }

  /** The one use of a `const` object local, when it is an argument of a call of workspace code
   * (its only use: a local also read here may use the value itself). */
  private onlyPassOf(decl: ts.VariableDeclaration): ts.Node | undefined {
    if (!ts.isIdentifier(decl.name) || !ts.isVariableDeclarationList(decl.parent) || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
    const name = decl.name.text;
    const scope = decl.parent.parent?.parent;
    if (!scope) return undefined;
    const uses: ts.Identifier[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n !== decl.name && n.text === name) uses.push(n);
      ts.forEachChild(n, visit);
    };
    visit(scope);
    if (uses.length !== 1) return undefined;
    const use = climb(uses[0]!);
    const call = use.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.includes(use as ts.Expression)) return undefined;
    const callee = this.callee(call.expression);
    return callee?.module && !callee.bare ? use : undefined;
  }

  /**
   * For a value assigned to a property of a local object (`flags.pageDelay = X;`), the object's
   * one pass to a function of the workspace (`slackin(flags)`), when nothing else here can use the
   * value: the object's other uses only write to it or read other properties of it (`flags.silent`,
   * `const { port } = flags`), and it is passed to no other call.
   */
  private passOfAssignedObject(value: ts.Node): { pass: ts.Node; property: string } | undefined {
    const asg = value.parent;
    if (!asg || !ts.isBinaryExpression(asg) || asg.operatorToken.kind !== ts.SyntaxKind.EqualsToken || asg.right !== value || !ts.isExpressionStatement(asg.parent)) return undefined;
    const target = asg.left;
    if (!ts.isPropertyAccessExpression(target) || !ts.isIdentifier(target.expression) || !ts.isIdentifier(target.name)) return undefined;
    const name = target.expression.text;
    const property = target.name.text;
    let scope: ts.Node | undefined = asg.parent.parent;
    while (scope && !ts.isSourceFile(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
    if (!scope) return undefined;
    let declared = false;
    let pass: ts.Node | undefined;
    let blocked = false;
    const visit = (n: ts.Node): void => {
      if (blocked) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) declared = true;
      else if (ts.isIdentifier(n) && n.text === name && n !== target.expression) {
        const use = climb(n);
        const p = use.parent;
        if (ts.isPropertyAccessExpression(p) && p.expression === use) {
          // A read of the same property here may use the value itself.
          if (p.name.text === property && !(ts.isBinaryExpression(p.parent) && p.parent.left === p && p.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)) blocked = true;
        } else if (ts.isVariableDeclaration(p) && p.initializer === use && ts.isObjectBindingPattern(p.name)) {
          if (p.name.elements.some((el) => el.dotDotDotToken || (el.propertyName ? propName(el.propertyName) : propName(el.name)) === property)) blocked = true;
        } else if (ts.isCallExpression(p) && p.arguments.includes(use as ts.Expression) && !pass && this.importedCallee(p.expression)) {
          pass = use;
        } else if (!(ts.isVariableDeclaration(p) && p.name === n)) blocked = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(scope);
    return declared && pass && !blocked ? { pass, property } : undefined;
  }

  /** The module and exported name a callee imported from a relative module stands for. */
  importedCallee(e: ts.Expression): { module: string; name: string } | undefined {
    const c = this.callee(e);
    return c?.module && !c.bare ? { module: c.module, name: c.name } : undefined;
  }

  /** As `importedCallee`, also through a path alias of the project's own code (`@/server/env`,
   * `~/lib/env`): another module of the workspace, by the name it exports. */
  ownModuleCallee(e: ts.Expression): { module: string; name: string } | undefined {
    const c = this.callee(e);
    if (!c?.module) return undefined;
    return !c.bare || PATH_ALIAS.test(c.module) ? { module: c.module, name: c.name } : undefined;
  }

  /** The module and exported name a callee stands for: `f` bound by a named or default import,
   * `ns.f` with `ns` bound by a namespace import; `f` declared at the top of this file (module ''). */
  private callee(e: ts.Expression): { module: string; name: string; bare?: true } | undefined {
    const c = strip(e);
    const table = (this.bindings ??= importBindings(this.sf));
    if (ts.isIdentifier(c)) {
      const b = table.get(c.text);
      // A module object called (`const slackin = require('../lib')`): what `module.exports` is.
      if (b) return b.name !== undefined ? { module: b.module, name: b.name, ...(b.bare ? { bare: true as const } : {}) } : b.required ? { module: b.module, name: 'default' } : undefined;
      return (this.locals ??= new Set([...topLevelFunctions(this.sf, true), ...nestedConstFunctions(this.sf)].map((f) => f.name))).has(c.text) ? { module: '', name: c.text } : undefined;
    }
    if (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.name)) {
      const obj = strip(c.expression);
      // `this.normalize(process.env.X)`: a method of a class of this file.
      if (obj.kind === ts.SyntaxKind.ThisKeyword) {
        return (this.methods ??= new Set(ownMethods(this.sf).map((m) => m.name))).has(`this.${c.name.text}`) ? { module: '', name: `this.${c.name.text}` } : undefined;
      }
      const b = ts.isIdentifier(obj) ? table.get(obj.text) : undefined;
      return b && b.name === undefined ? { module: b.module, name: c.name.text, ...(b.bare ? { bare: true as const } : {}) } : undefined;
    }
    return undefined;
  }
}

/** Path aliases projects give their own source (`@/…` of Next.js, `~/…`, `#…` subpath imports, SvelteKit's `$lib/…`). */
const PATH_ALIAS = /^(?:@\/|~\/|#|\$lib\/)/;

function isRelative(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
}

/** Local name → binding, for the value imports of relative modules (`import type` binds no value),
 * and CommonJS's `const x = require('./rel')` (a module object: its functions are `x.f`) and
 * `const { f } = require('./rel')`; and the named imports of modules named as packages are
 * (`import { parseMode } from '@acme/shared'`), marked `bare`. */
function importBindings(sf: ts.SourceFile): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const spec = requiredModule(d);
        if (spec === undefined || !isRelative(spec)) continue;
        if (ts.isIdentifier(d.name)) out.set(d.name.text, { module: spec, required: true });
        else if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (!ts.isIdentifier(el.name) || el.dotDotDotToken) continue;
            const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
            out.set(el.name.text, { module: spec, name: imported });
          }
        }
      }
      continue;
    }
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const module = st.moduleSpecifier.text;
    if (!isRelative(module)) {
      // A package's named imports only: node's built-ins and a path alias's are no package of the workspace.
      if (module.startsWith('node:') || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) continue;
      for (const el of clause.namedBindings.elements) {
        if (!el.isTypeOnly) out.set(el.name.text, { module, name: (el.propertyName ?? el.name).text, bare: true });
      }
      continue;
    }
    if (clause.name) out.set(clause.name.text, { module, name: 'default' });
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) out.set(nb.name.text, { module });
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        out.set(el.name.text, { module, name: (el.propertyName ?? el.name).text });
      }
    }
  }
  return out;
}
