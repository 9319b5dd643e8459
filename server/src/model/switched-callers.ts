/**
 * Reads in a function other modules call (`EnvRead.calledAs`: `JWTConfig.from_env`), run only
 * when those calls run: when every file that names the function calls it behind the same switch
 * (`if mode == "jwt": JWTConfig.from_env()` with `mode` read from the environment;
 * `FileFacts.switchedCalls`), the read's `onlyWhen` gains that switch, and a deploy setting the
 * switch the other way never runs it (rules/shared/deploy-knowledge.ts `readRunsFor`); a switch
 * that its own variable is set makes it optional.
 *
 * Which files name the function is asked of every file's word filter (`FileFacts.words`: code,
 * Dockerfiles, deploy and config files, tests excepted): a file naming it (both words of
 * `Class.method`) without a switched call, a function nothing else names, or calls behind
 * different switches leave the read as it was. The filter errs towards "names", which only leaves
 * a read as it was.
 *
 * Pure: reads the files' facts only. Facts are shared: a read judged so is a copy.
 */
import { commonSwitches, judgedByCallers, type EnvRead, type EnvSwitch } from '../core/facts';
import { everyFile, type WordHolders, type WorkspaceFiles } from './file-words';

export class SwitchedCallers {
  /** By file and function: the switches every call of it sits behind. */
  private readonly memo = new Map<string, EnvSwitch[]>();
  /** The functions some file calls behind a switch: no other gains one, and most reads' functions
   * are asked no further (the model is rebuilt on every edit). */
  private switched?: ReadonlySet<string>;
  constructor(
    private readonly files: WorkspaceFiles,
    private readonly holders: WordHolders,
  ) {}

  judged(file: string, read: EnvRead): EnvRead {
    const fn = read.calledAs;
    if (!fn || read.hasDefault) return read;
    const key = `${file}\0${fn}`;
    let common = this.memo.get(key);
    if (!common) this.memo.set(key, (common = this.commonSwitches(file, fn)));
    return judgedByCallers(read, common);
  }

  private commonSwitches(own: string, fn: string): EnvSwitch[] {
    this.switched ??= new Set([...everyFile(this.files)].flatMap(([, f]) => Object.keys(f.switchedCalls ?? {})));
    if (!this.switched.has(fn)) return [];
    // A class its own file constructs behind switches (TypeScript): those constructions count too.
    let common: EnvSwitch[] | undefined = this.files.get(own)?.switchedCalls?.[fn];
    for (const [, facts] of this.holders.naming(fn.split('.'), own)) {
      const found = facts.switchedCalls?.[fn];
      if (!found?.length) return [];
      common = common ? commonSwitches(common, found) : found;
      if (!common.length) return [];
    }
    return common ?? [];
  }
}
