/**
 * A read whose value is passed, unguarded, to a function of another workspace file
 * (`EnvRead.passedTo`) is optional when that function copes with an undefined value there
 * (`FileFacts.optionalParams`): `ask(q, { modelName: process.env.X })` into
 * `ask(messages, options: { modelName?: string } = {})` that falls back to a default model. The
 * module specifier is resolved as TypeScript and bundlers do for a relative path (an extension
 * added or swapped, `.js` written for a `.ts` source, a folder's `index`).
 *
 * A value handed on inside an object (`f({ auth: { user: X } })`, or a local object passed whole)
 * that the callee is not seen to cope with is needed, or not, where nothing shows: its need is
 * unseen (`EnvRead.needUnseen`), as a settings object's value is.
 *
 * Facts are shared (the extraction cache, the workers): an optional read is a copy.
 */
import * as path from 'node:path';
import type { EnvRead, FileFacts, PassedTo } from '../core/facts';

/** Extensions tried for a specifier written without one, in TypeScript's order. */
const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mts', '.mjs', '.cts', '.cjs'];
/** A `.js` specifier names the `.ts` source it is compiled from (`moduleResolution: node16`). */
const SOURCE_OF: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.jsx': ['.tsx', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};

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
    const callee = this.resolve(file, to.module);
    const params = callee ? this.files.get(callee)?.optionalParams : undefined;
    return !!params?.some((p) => p.name === to.name && p.arg === to.arg && p.property === to.property);
  }

  /** The workspace file a relative specifier in `from` names, when there is one. */
  private resolve(from: string, specifier: string): string | undefined {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    if (base.startsWith('../')) return undefined;
    const ext = path.posix.extname(base);
    const candidates: string[] = [];
    const swapped = SOURCE_OF[ext];
    if (swapped) for (const e of swapped) candidates.push(base.slice(0, -ext.length) + e);
    else if (ext === '.ts' || ext === '.tsx' || ext === '.mts' || ext === '.cts') candidates.push(base);
    for (const e of EXTENSIONS) candidates.push(base + e);
    for (const e of EXTENSIONS) candidates.push(`${base}/index${e}`);
    return candidates.find((c) => this.files.has(c));
  }
}
