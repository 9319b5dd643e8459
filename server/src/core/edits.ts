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

/** `edits` without repeats of one span (two references to one written entry edit it once). */
export function uniqueEdits(edits: FileEdit[]): FileEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const k = `${e.file}\0${e.span.start}\0${e.span.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
