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

export class FileWords {
  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

  /** Whether `file` may hold `word`. */
  mayHold(file: string, word: string): boolean {
    const facts = this.files.get(file);
    return !!facts && factsMayHold(facts, word);
  }
}
