/**
 * A read whose value is passed, unguarded, to a function of another workspace file
 * (`EnvRead.passedTo`) is optional when that function copes with an undefined value there
 * (`FileFacts.optionalParams`): `ask(q, { modelName: process.env.X })` into
 * `ask(messages, options: { modelName?: string } = {})` that falls back to a default model. The
 * module specifier is resolved as TypeScript and bundlers do (model/module-paths.ts).
 *
 * A value handed on inside an object (`f({ auth: { user: X } })`, or a local object passed whole)
 * that the callee is not seen to cope with is needed, or not, where nothing shows: its need is
 * unseen (`EnvRead.needUnseen`), as a settings object's value is.
 *
 * Facts are shared (the extraction cache, the workers): an optional read is a copy.
 */
import type { EnvRead, FileFacts, PassedTo } from '../core/facts';
import { resolveSpecifier } from './module-paths';

export class PassedReads {
  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

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
    const callee = resolveSpecifier(file, to.module, (f) => this.files.has(f));
    const params = callee ? this.files.get(callee)?.optionalParams : undefined;
    return !!params?.some((p) => p.name === to.name && p.arg === to.arg && p.property === to.property);
  }
}
