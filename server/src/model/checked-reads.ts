/**
 * A read guarded by a call of another module's presence check (`if (!smtpConfigured()) return;`
 * with `smtpConfigured` imported: `EnvRead.onlyWhenChecked`) runs only when the variables that
 * function tests are set (its file's `presenceChecks`): they join the read's `onlyWhen`, as an
 * `if (!process.env.SMTP_HOST) return;` in the file itself would. A callee not found, or one that
 * tests nothing we can see, adds nothing. Facts are shared: a read with switches added is a copy.
 */
import type { EnvRead, EnvSwitch, FileFacts } from '../core/facts';
import { resolveSpecifier } from './module-paths';

export class CheckedReads {
  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

  judged(file: string, read: EnvRead): EnvRead {
    const calls = read.onlyWhenChecked;
    if (!calls?.length) return read;
    const added: EnvSwitch[] = [];
    for (const c of calls) {
      const callee = resolveSpecifier(file, c.module, (f) => this.files.has(f));
      const tests = callee ? this.files.get(callee)?.presenceChecks?.find((p) => p.name === c.name)?.tests : undefined;
      for (const name of tests ?? []) {
        if (name === read.name || added.some((s) => s.name === name) || read.onlyWhen?.some((s) => s.name === name && s.set)) continue;
        added.push({ name, set: true });
      }
    }
    return added.length ? { ...read, onlyWhen: [...(read.onlyWhen ?? []), ...added] } : read;
  }
}
