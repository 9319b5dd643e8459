/**
 * A read whose value is passed, unguarded, to a function of another workspace file
 * (`EnvRead.passedTo`) is optional when that function copes with an undefined value there
 * (`FileFacts.optionalParams`): `ask(q, { modelName: process.env.X })` into
 * `ask(messages, options: { modelName?: string } = {})` that falls back to a default model. The
 * module specifier is resolved as TypeScript and bundlers do (model/module-paths.ts), a package of
 * the workspace by its name (model/workspace-packages.ts), and the function is followed through
 * the modules that re-export it (a package's `index.ts`: `export * from './mode'`).
 *
 * A value handed on inside an object (`f({ auth: { user: X } })`, or a local object passed whole)
 * that the callee is not seen to cope with is needed, or not, where nothing shows: its need is
 * unseen (`EnvRead.needUnseen`), as a settings object's value is.
 *
 * Facts are shared (the extraction cache, the workers): an optional read is a copy.
 */
import type { EnvRead, FileFacts, PassedTo } from '../core/facts';
import { resolveSpecifier } from './module-paths';
import { WorkspacePackages } from './workspace-packages';

export class PassedReads {
  private readonly packages: WorkspacePackages;

  constructor(private readonly files: ReadonlyMap<string, FileFacts>, packages?: WorkspacePackages) {
    this.packages = packages ?? new WorkspacePackages(files);
  }

  /** `read` as the rules see it: a copy marked optional when the function it is passed to copes
   * without it, else the read itself. */
  judged(file: string, read: EnvRead): EnvRead {
    const to = read.passedTo;
    if (!to || read.hasDefault) return read;
    if (this.copes(file, to)) return { ...read, hasDefault: true, optionalBecause: 'optional-parameter' };
    // Handed on inside an object: what the callee does with it is decided where no fact shows.
    return to.handedOn && !read.needUnseen ? { ...read, needUnseen: true } : read;
  }

  private copes(file: string, to: PassedTo): boolean {
    return this.copesIn(this.moduleOf(file, to.module), to.name, to, 0);
  }

  /** The workspace file a specifier written in `from` names: a relative path, or a package of the
   * workspace by its name. */
  private moduleOf(from: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return resolveSpecifier(from, specifier, (f) => this.files.has(f));
    return this.packages.sourceOf(specifier) ?? undefined;
  }

  /** Whether `name` of module `file` copes, where the module defines it or re-exports it (a
   * package's entry `export * from './mode'`, `export { parseValue as parseMode } from './mode'`). */
  private copesIn(file: string | undefined, name: string, to: PassedTo, depth: number): boolean {
    if (!file || depth > 4) return false;
    const facts = this.files.get(file);
    if (facts?.optionalParams?.some((p) => p.name === name && p.arg === to.arg && p.property === to.property)) return true;
    // A module's own declaration shadows an `export *` of the same name; which names a module
    // declares is not among its facts, and one that both declares and star-exports a name is rare.
    return (facts?.moduleLinks?.reExports ?? []).some((r) => {
      const imported = r.names ? r.names[name] : name === 'default' ? undefined : name;
      return imported !== undefined && this.copesIn(this.moduleOf(file, r.module), imported, to, depth + 1);
    });
  }
}
