/**
 * NestJS's `ConfigService` in one parsed file: the local name it is imported under and the names
 * the file gives its instances. Shared by the reads (env-reads.ts) and the presence tests
 * (field-flags.ts), so the file is searched for instances once.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import { NEST_CONFIG_CLASS, NEST_CONFIG_MODULE } from '../../knowledge/config-services';
import { strip } from './syntax';

export class NestConfig {
  /** The local name of `ConfigService`, when the file imports it from `@nestjs/config`. */
  readonly className: string | undefined;
  private names?: Set<string>;

  constructor(private readonly sf: ts.SourceFile) {
    this.className = configClassOf(sf);
  }

  /** The names of this file's ConfigService instances (empty without the import). */
  serviceNames(): Set<string> {
    this.names ??= this.className ? configServiceNames(this.sf, this.className) : new Set();
    return this.names;
  }
}

/** The local name of `@nestjs/config`'s ConfigService in this file's imports (the last one). */
function configClassOf(sf: ts.SourceFile): string | undefined {
  let found: string | undefined;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== NEST_CONFIG_MODULE) continue;
    const b = st.importClause?.namedBindings;
    if (!b || !ts.isNamedImports(b)) continue;
    for (const el of b.elements) if ((el.propertyName ?? el.name).text === NEST_CONFIG_CLASS) found = el.name.text;
  }
  return found;
}

/** `config` in `config.get(…)`, `configService` in `this.configService.get(…)`. */
export function memberOrLocal(e: ts.Expression): string | undefined {
  const r = strip(e);
  if (ts.isIdentifier(r)) return r.text;
  if (ts.isPropertyAccessExpression(r) && strip(r.expression).kind === ts.SyntaxKind.ThisKeyword) return r.name.text;
  return undefined;
}

/** The names this file gives ConfigService instances: parameters, fields and locals typed as the
 * class (`private readonly config: ConfigService`), or made from it (`app.get(ConfigService)`,
 * `new ConfigService()`). One walk, only for files that import the class and call `get`. */
function configServiceNames(sf: ts.SourceFile, cls: string): Set<string> {
  const out = new Set<string>();
  const isClass = (t: ts.Node | undefined): boolean => !!t && ts.isIdentifier(strip(t as ts.Expression)) && (strip(t as ts.Expression) as ts.Identifier).text === cls;
  const visit = (n: ts.Node): void => {
    if ((ts.isParameter(n) || ts.isPropertyDeclaration(n) || ts.isVariableDeclaration(n)) && ts.isIdentifier(n.name)) {
      const type = n.type;
      const init = n.initializer && strip(n.initializer);
      if ((type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === cls) ||
          (init && (ts.isCallExpression(init) || ts.isNewExpression(init)) &&
            (ts.isNewExpression(init) ? isClass(init.expression) : init.arguments.length === 1 && isClass(init.arguments[0])))) {
        out.add(n.name.text);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
