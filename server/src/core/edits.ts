/** Fixes as data: text edits a host applies (the CLI's --fix, an editor's code action). */
import type { Span } from './facts';

export interface FileEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: FileEdit[];
  /** The one obvious fix: editors mark it preferred. */
  preferred?: boolean;
  /** `--fix` and fix-all apply only safe fixes (no placeholders, no judgement calls). */
  safe: boolean;
  /** The fix writes a marked placeholder: it needs a value only the user knows (never safe). */
  needsValue?: boolean;
}
