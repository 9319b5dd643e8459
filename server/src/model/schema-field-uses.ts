/**
 * A secret a whole-environment schema declares with a stand-in default (`SHOP_API_SECRET:
 * z.string().default('dev_secret')`, `EnvRead.placeholderDefault` with `needUnseen`): the schema
 * only stores the value, so whether anything uses it is seen elsewhere. When another file of the
 * workspace names the field without reading the variable itself (`config.SHOP_API_SECRET`), the
 * stand-in is what that code gets, and the read is a need like any other (a copy without
 * `needUnseen`). A file that names it only to read the environment itself
 * (`process.env.SHOP_API_SECRET` in a self-audit) is its own read, not a use of the field.
 *
 * Pure: reads the files' facts only; tests do not count (`WordHolders.naming`).
 */
import type { EnvRead } from '../core/facts';
import type { WordHolders } from './file-words';

export class SchemaFieldUses {
  private readonly memo = new Map<string, boolean>();
  constructor(private readonly holders: WordHolders) {}

  judged(file: string, read: EnvRead): EnvRead {
    if (!read.needUnseen || !read.placeholderDefault || read.hasDefault) return read;
    const key = `${file}\0${read.name}`;
    let used = this.memo.get(key);
    if (used === undefined) this.memo.set(key, (used = this.usedElsewhere(file, read.name)));
    if (!used) return read;
    const { needUnseen: _n, ...rest } = read;
    return rest;
  }

  private usedElsewhere(own: string, name: string): boolean {
    for (const [, facts] of this.holders.naming([name], own)) {
      if ((facts.kind === 'typescript' || facts.kind === 'python') && !facts.reads.some((r) => r.name === name)) return true;
    }
    return false;
  }
}
