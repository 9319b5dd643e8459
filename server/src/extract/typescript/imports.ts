/**
 * The workspace modules a file loads: `import … from './x'`, `export … from './x'`,
 * `require('./x')`, `import('./x')`. Only relative specifiers (a package name is not a workspace
 * file), resolved against the file's folder to a workspace-relative path without extension
 * (`scripts/firebase_auth`); the model matches it to `scripts/firebase_auth.js`, `.ts`, or
 * `scripts/firebase_auth/index.*`. It tells which modules only operator scripts load, so only
 * paths in a script folder are kept.
 */
import * as path from 'node:path';
import { inScriptFolder } from '../../knowledge/script-paths';
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;

const EXTENSION = /\.(?:[cm]?[jt]sx?)$/i;

export class Imports {
  private readonly found = new Set<string>();
  private readonly dir: string;

  constructor(file: string) {
    const d = path.posix.dirname(file.replace(/\\/g, '/'));
    this.dir = d === '.' ? '' : d;
  }

  importDeclaration(n: ts.ImportDeclaration | ts.ExportDeclaration): void {
    if (n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) this.add(n.moduleSpecifier.text);
  }

  call(n: ts.CallExpression): void {
    const arg = n.arguments[0];
    if (n.arguments.length !== 1 || !arg || !ts.isStringLiteralLike(arg)) return;
    const isRequire = ts.isIdentifier(n.expression) && n.expression.text === 'require';
    if (isRequire || n.expression.kind === ts.SyntaxKind.ImportKeyword) this.add(arg.text);
  }

  /** The modules found, in a stable order; undefined when none. */
  result(): string[] | undefined {
    return this.found.size ? [...this.found].sort() : undefined;
  }

  private add(specifier: string): void {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return;
    const joined = path.posix.normalize(path.posix.join(this.dir, specifier)).replace(/\/$/, '');
    // Only modules in script folders are ever asked about: the rest would be dead weight in the cache.
    if (joined.startsWith('..') || !inScriptFolder(joined)) return;
    this.found.add(joined.replace(EXTENSION, ''));
  }
}
