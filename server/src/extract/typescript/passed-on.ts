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
 * Syntax only: the callee is named by the import or declaration that binds it. Packages
 * (`from 'openai'`), path aliases (`@/lib/x`) and `require` are not followed: a value passed to
 * them stays required (absence.ts).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { PassedTo } from '../../core/facts';
import { climb, ownMethods, propName, strip, topLevelFunctions } from './syntax';

/** A name an import binds: a function (`name`, `default` for a default import) or a namespace (no `name`). */
interface Binding {
  module: string;
  name?: string;
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
    let property: string | undefined;
    const p = value.parent;
    if (p && ts.isPropertyAssignment(p) && p.initializer === value) {
      property = propName(p.name);
      if (property === undefined) return undefined;
      arg = climb(p.parent);
    }
    const call = arg.parent;
    if (!call || !ts.isCallExpression(call)) return undefined;
    const index = call.arguments.findIndex((a) => a === arg);
    if (index < 0 || call.arguments.slice(0, index).some((a) => ts.isSpreadElement(a))) return undefined;
    const callee = this.callee(call.expression);
    if (!callee) return undefined;
    return property === undefined ? { ...callee, arg: index } : { ...callee, arg: index, property };
  }

  /** The module and exported name a callee stands for: `f` bound by a named or default import,
   * `ns.f` with `ns` bound by a namespace import; `f` declared at the top of this file (module ''). */
  private callee(e: ts.Expression): { module: string; name: string } | undefined {
    const c = strip(e);
    const table = (this.bindings ??= relativeImports(this.sf));
    if (ts.isIdentifier(c)) {
      const b = table.get(c.text);
      if (b) return b.name !== undefined ? { module: b.module, name: b.name } : undefined;
      return (this.locals ??= new Set(topLevelFunctions(this.sf, true).map((f) => f.name))).has(c.text) ? { module: '', name: c.text } : undefined;
    }
    if (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.name)) {
      const obj = strip(c.expression);
      // `this.normalize(process.env.X)`: a method of a class of this file.
      if (obj.kind === ts.SyntaxKind.ThisKeyword) {
        return (this.methods ??= new Set(ownMethods(this.sf).map((m) => m.name))).has(`this.${c.name.text}`) ? { module: '', name: `this.${c.name.text}` } : undefined;
      }
      const b = ts.isIdentifier(obj) ? table.get(obj.text) : undefined;
      return b && b.name === undefined ? { module: b.module, name: c.name.text } : undefined;
    }
    return undefined;
  }
}

function isRelative(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
}

/** Local name → binding, for the value imports of relative modules (`import type` binds no value). */
function relativeImports(sf: ts.SourceFile): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !isRelative(st.moduleSpecifier.text)) continue;
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const module = st.moduleSpecifier.text;
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
