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

/** The files other than `except`, tests excepted, that may hold every one of `words` (a function's
 * name, a class's and its method's): the ones that may call it. Under `under` only, when given. */
export function* filesNaming(files: WorkspaceFiles, words: readonly string[], except: string, under?: string): Iterable<[string, FileFacts]> {
  for (const [file, facts] of everyFile(files)) {
    if (file === except || facts.isTest || (under !== undefined && !file.startsWith(under))) continue;
    if (words.every((w) => factsMayHold(facts, w))) yield [file, facts];
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
