/**
 * Postgres: node-postgres drivers (`new Pool(...)`, `new pg.Client(...)` where the name comes from
 * `pg`, imported or required) with the env variable their connection string holds, and Postgres
 * URLs in string and template literals with the env variable they are the value of. Drivers are
 * resolved after the walk: a `new` may come before the `require` that names its class.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import { findDbUrls } from '../db-url';
import type { Source } from './context';
import type { EnvReads } from './env-reads';
import { isRequire, propName, strip } from './syntax';

export class Postgres {
  /** Local names of `pg`'s `Pool` / `Client`. */
  private readonly pgNames = new Set<string>();
  /** Local names of the `pg` module itself. */
  private readonly pgNamespaces = new Set<string>();
  private readonly newExprs: ts.NewExpression[] = [];
  /** String and template literals that mention `postgres`. */
  private readonly literals: ts.Node[] = [];

  constructor(private readonly src: Source, private readonly env: EnvReads) {}

  newExpression(n: ts.NewExpression): void {
    this.newExprs.push(n);
  }

  stringLiteral(n: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): void {
    if (n.text.includes('postgres')) this.literals.push(n);
  }

  template(n: ts.TemplateExpression): void {
    if (this.src.textOf(n).includes('postgres')) this.literals.push(n);
  }

  /** `const pg = require('pg')`, `const { Pool } = require('pg')`. */
  declaration(n: ts.VariableDeclaration): void {
    const init = n.initializer ? strip(n.initializer) : undefined;
    if (!init || !isRequire(init, 'pg')) return;
    if (ts.isIdentifier(n.name)) {
      this.pgNamespaces.add(n.name.text);
    } else if (ts.isObjectBindingPattern(n.name)) {
      for (const el of n.name.elements) {
        const key = propName(el.propertyName ?? el.name);
        if ((key === 'Pool' || key === 'Client') && ts.isIdentifier(el.name)) this.pgNames.add(el.name.text);
      }
    }
  }

  /** `import pg from 'pg'`, `import * as pg from 'pg'`, `import { Pool } from 'pg'`. */
  importDeclaration(n: ts.ImportDeclaration): void {
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
    }
  }

  finish(): void {
    this.finishDrivers();
    this.finishLiterals();
  }

  /** `new Pool(...)` / `new pg.Client(...)`, with the variable its connection string comes from. */
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
          if (ts.isPropertyAssignment(p) && propName(p.name) === 'connectionString') envName = this.env.envOf(p.initializer);
          else if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'connectionString') envName = this.env.envOf(p.name);
        }
      } else if (arg) {
        envName = this.env.envOf(arg);
      }
      this.src.facts.driverUses.push(envName ? { driver: 'node-postgres', envName, span: this.src.span(n) } : { driver: 'node-postgres', span: this.src.span(n) });
    }
  }

  /** Postgres URLs in the literals, with the variable a literal is the value of. */
  private finishLiterals(): void {
    for (const n of this.literals) {
      const envName = this.env.literalEnvOf(n);
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
