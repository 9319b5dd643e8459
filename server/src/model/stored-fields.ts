/**
 * A value kept in a settings field its own file never names again (`EnvRead.storedIn`: a
 * pydantic-settings class's `secret_key`): used only where another file names the field
 * (`settings.secret_key`). Where no other file may (`WordHolders.naming`, tests excepted), the
 * value reaches nothing: a placeholder there signs nothing. The word filter errs towards "names
 * it", so the answer errs towards "used".
 *
 * Pure: reads the files' word filters only.
 */
import type { EnvRead } from '../core/facts';
import type { WordHolders } from './file-words';

export class StoredFields {
  private readonly memo = new Map<string, boolean>();
  constructor(private readonly holders: WordHolders) {}

  /** Whether `read` (of `file`) is kept in a field nothing else names. */
  unused(file: string, read: EnvRead): boolean {
    const field = read.storedIn;
    if (!field) return false;
    const key = `${file}\0${field}`;
    let unused = this.memo.get(key);
    if (unused === undefined) {
      unused = true;
      for (const _ of this.holders.naming([field], file)) {
        unused = false;
        break;
      }
      this.memo.set(key, unused);
    }
    return unused;
  }
}
