/**
 * Whether a file may hold a word, from its word filter (`FileFacts.words`: the hashes of the words
 * of code, Dockerfiles, deploy and config files; tests excepted). The filter errs towards "holds"
 * (two words may share a hash), so a question whose "yes" keeps a finding, or whose "yes" stays
 * quiet only where the word could matter, is safe to ask.
 *
 * Pure: reads the files' facts only; each filter is decoded once.
 */
import type { FileFacts } from '../core/facts';
import { decodeWordFilter, filterMayHold } from '../extract/word-filter';

const decoded = new WeakMap<FileFacts, Uint32Array>();

/** Whether the file whose facts are `facts` may hold `word`; false where it has no filter. */
export function factsMayHold(facts: FileFacts, word: string): boolean {
  if (!facts.words) return false;
  let hashes = decoded.get(facts);
  if (!hashes) decoded.set(facts, (hashes = decodeWordFilter(facts.words)));
  return filterMayHold(hashes, word);
}

/** The workspace's facts, with every file when the host keeps files without facts apart
 * (engine/workspace.ts: iteration visits only files holding facts; words, and what is looked up
 * by name, are no fact). */
export type WorkspaceFiles = ReadonlyMap<string, FileFacts> & { everyFile?: () => Iterable<[string, FileFacts]> };

/** Every file of the workspace, those without facts included. */
export function everyFile(files: WorkspaceFiles): Iterable<[string, FileFacts]> {
  return files.everyFile?.() ?? files;
}

/**
 * Which files may hold a word (tests excepted), worked out once per word by a search of every
 * file's filter. A host that keeps its files' view across model builds (the language server)
 * keeps one of these too and reports each file's change (`changed`): only the words whose holders
 * the change alters are searched again, so an edit's model build costs a look at the changed file
 * instead of a search of the workspace per word.
 */
export class WordHolders {
  /** By word: the files that may hold it, in the order `everyFile` visits them. */
  private readonly byWord = new Map<string, Set<string>>();
  constructor(private readonly files: WorkspaceFiles) {}

  /** `file`'s facts went from `before` to `after` (undefined: absent). An answer it alters is
   * dropped, to be searched again in `everyFile`'s order; most edits alter none (the edited file
   * names what it named before, its own functions among them). */
  changed(file: string, before: FileFacts | undefined, after: FileFacts | undefined): void {
    if (!before && !after) return;
    for (const [word, holders] of this.byWord) {
      if (holders.has(file) !== (!!after && !after.isTest && factsMayHold(after, word))) this.byWord.delete(word);
    }
  }

  /** The files other than `except`, tests excepted, that may hold every one of `words` (a
   * function's name, a class's and its method's): the ones that may call it. Under `under` only,
   * when given. */
  *naming(words: readonly string[], except: string, under?: string): Iterable<[string, FileFacts]> {
    const lists = words.map((w) => this.holding(w));
    const fewest = lists.reduce((a, b) => (b.size < a.size ? b : a));
    for (const file of fewest) {
      if (file === except || (under !== undefined && !file.startsWith(under))) continue;
      if (lists.every((l) => l === fewest || l.has(file))) yield [file, this.files.get(file)!];
    }
  }

  private holding(word: string): Set<string> {
    let holders = this.byWord.get(word);
    if (!holders) {
      holders = new Set();
      for (const [file, facts] of everyFile(this.files)) if (!facts.isTest && factsMayHold(facts, word)) holders.add(file);
      this.byWord.set(word, holders);
    }
    return holders;
  }
}

export class FileWords {
  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

  /** Whether `file` may hold `word`. */
  mayHold(file: string, word: string): boolean {
    const facts = this.files.get(file);
    return !!facts && factsMayHold(facts, word);
  }
}
