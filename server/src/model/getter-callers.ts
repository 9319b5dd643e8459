/**
 * Reads a getter returns (`def get_bucket(): return os.getenv("BUCKET")`, `EnvRead.returnedBy`),
 * judged by the getter's callers in other modules: when every file that names the getter calls it
 * only where `None` is coped with (`settings.get_bucket() or settings.DEFAULT_BUCKET`, `if not
 * get_bucket(): return`; `FileFacts.getterCalls`), the variable is no requirement of a deploy.
 *
 * Which files name the getter is asked of every file's word filter (`FileFacts.words`: code,
 * Dockerfiles, deploy and config files, tests excepted), whatever its language or service; a file
 * that names it without a verdict (not parsed, the name passed as a value, a caller that needs the
 * value) keeps the read required, as does a getter nothing names. The filter errs towards
 * "names", which only keeps a read required.
 *
 * Pure: reads the files' facts only. Facts are shared (the extraction cache, the workers): a
 * corrected read is a copy.
 */
import { withDefault, type EnvRead } from '../core/facts';
import { everyFile, type WordHolders, type WorkspaceFiles } from './file-words';

export class GetterCallers {
  /** By file and getter: whether every caller copes. */
  private readonly memo = new Map<string, boolean>();
  /** The getters some file calls only where `None` is coped with: no other can be optional, and
   * most reads' getters are asked no further (the model is rebuilt on every edit). */
  private copedWith?: ReadonlySet<string>;
  constructor(
    private readonly files: WorkspaceFiles,
    private readonly holders: WordHolders,
  ) {}

  /** `read` as the callers of the getter returning it decide. */
  judged(file: string, read: EnvRead): EnvRead {
    const getter = read.returnedBy;
    if (!getter || read.hasDefault) return read;
    const key = `${file}\0${getter}`;
    let copes = this.memo.get(key);
    if (copes === undefined) this.memo.set(key, (copes = this.everyCallerCopes(file, getter)));
    return copes ? withDefault(read, 'callers-cope') : read;
  }

  private everyCallerCopes(own: string, getter: string): boolean {
    this.copedWith ??= new Set([...everyFile(this.files)].flatMap(([, f]) => Object.keys(f.getterCalls ?? {}).filter((g) => f.getterCalls![g] === 'optional')));
    if (!this.copedWith.has(getter)) return false;
    let callers = 0;
    for (const [, facts] of this.holders.naming([getter], own)) {
      if (facts.getterCalls?.[getter] !== 'optional') return false;
      callers++;
    }
    return callers > 0;
  }
}
