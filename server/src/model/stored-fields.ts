/**
 * A value kept in a settings field its own file never names again (`EnvRead.storedIn`: a
 * pydantic-settings class's `secret_key`, a key of a TypeScript module's settings object): used
 * only where another file names the field (`settings.secret_key`, `config.api.playground`). Where
 * no other file may (`WordHolders.naming`, tests excepted), the value reaches nothing: a
 * placeholder there signs nothing, and a deploy leaving it out changes nothing. The word filter
 * errs towards "names it", so the answer errs towards "used". A field of an object literal counts
 * as unused only where another file names one of its siblings: an object read field by field,
 * not one handed whole to a library that reads fields no file names.
 *
 * Pure: reads the files' word filters only.
 */
import type { EnvRead, FileKind } from '../core/facts';
import type { WordHolders } from './file-words';

export class StoredFields {
  private readonly memo = new Map<string, boolean>();
  constructor(private readonly holders: WordHolders) {}

  /** Whether `read` (of `file`) is kept in a field nothing else names — and, for a field of an
   * object literal (`EnvRead.storedBeside`), whose object other files do read field by field.
   * `under`: the folder of the code that may load the file (its service's), when only that may;
   * the same word in another service (a frontend's own `storageBucket`) names another field. */
  unused(file: string, read: EnvRead, kind: FileKind, under?: string): boolean {
    const field = read.storedIn;
    if (!field) return false;
    const beside = read.storedBeside;
    const key = `${file}\0${field}\0${beside?.join(',') ?? ''}\0${under ?? ''}`;
    let unused = this.memo.get(key);
    if (unused === undefined) {
      unused = !this.named(field, file, kind, under) && (beside === undefined || beside.some((b) => this.named(b, file, kind, under)));
      this.memo.set(key, unused);
    }
    return unused;
  }

  /** Whether code of the reading file's language other than `file` may name `word`: a deploy file
   * naming the variable (`SESSION_SECRET=…`) uses no field of it. */
  private named(word: string, file: string, kind: FileKind, under: string | undefined): boolean {
    for (const [, facts] of this.holders.naming([word], file, under)) if (facts.kind === kind) return true;
    return false;
  }
}
