/**
 * Variables a service's own code gives a value when it starts: a module-level
 * `os.environ.setdefault("REGION", "us-central1")` (`EnvRead.setsAtImport`) fills the variable in
 * for every module loaded after it, so the service's other reads of the name have a value whether
 * or not the deploy sets one — as a default at each read would. Only code of the service counts
 * (not tests, nor operator scripts beside it).
 *
 * Reads are replaced by copies (facts are shared with the fact cache); the refs are the model's.
 */
import { withDefault, type EnvRead } from '../core/facts';

/** What this needs of the model's read references (`ReadRef`). */
interface Ref { read: EnvRead; isTest: boolean }

export function setInCode(readsByService: ReadonlyMap<string, Ref[]>): void {
  for (const refs of readsByService.values()) {
    const names = new Set(refs.filter((r) => r.read.setsAtImport && !r.isTest).map((r) => r.read.name));
    if (names.size === 0) continue;
    for (const r of refs) {
      if (r.read.hasDefault || !names.has(r.read.name)) continue;
      r.read = withDefault(r.read, 'set-in-code');
    }
  }
}
