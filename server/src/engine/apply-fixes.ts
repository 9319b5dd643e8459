/**
 * Applies text edits to files: never two overlapping edits in one pass, atomically (write a
 * temporary file, then rename), and never to a file whose content changed since it was analysed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileEdit } from '../core/edits';
import { hashText } from '../core/content-hash';

/** Applies non-overlapping edits to one text (later edits first). Edits overlapping an earlier
 * accepted one are left out and returned, to be retried after re-analysis. */
export function applyEdits(text: string, edits: FileEdit[]): { text: string; applied: FileEdit[]; skipped: FileEdit[] } {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.span.start - b.e.span.start || a.e.span.end - b.e.span.end || a.i - b.i);
  const accepted: FileEdit[] = [];
  const skipped: FileEdit[] = [];
  let lastEnd = -1;
  for (const { e } of sorted) {
    if (e.span.start < lastEnd || e.span.end > text.length) {
      skipped.push(e);
      continue;
    }
    // The same insertion twice (two findings asking for one line) is applied once.
    if (accepted.some((a) => a.span.start === e.span.start && a.span.end === e.span.end && a.newText === e.newText)) continue;
    accepted.push(e);
    lastEnd = Math.max(lastEnd, e.span.end);
  }
  let out = text;
  for (let k = accepted.length - 1; k >= 0; k--) {
    const e = accepted[k];
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return { text: out, applied: accepted, skipped };
}

export interface WriteOutcome {
  file: string;
  /**
   * `applied`: the file was rewritten; `unchanged`: the edits change nothing (already applied);
   * `conflict`: the file changed since it was analysed, so it was not touched; `unreadable` /
   * `unwritable`: reading or replacing it failed (the original is intact).
   */
  status: 'applied' | 'unchanged' | 'conflict' | 'unreadable' | 'unwritable';
  /** Edits applied (0 unless `applied`). */
  edits: number;
  /** Why not, in words, for `conflict`, `unreadable` and `unwritable`. */
  reason?: string;
}

/** The file's text if its content still hashes to `expectedHash`, else why not. */
export function readUnchanged(root: string, file: string, expectedHash: string): { text: string; bom: boolean } | WriteOutcome {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(path.join(root, file));
  } catch (err) {
    return { file, status: 'unreadable', reason: `cannot read: ${(err as Error).message}`, edits: 0 };
  }
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const text = new TextDecoder('utf-8').decode(buf);
  if (hashText(text) !== expectedHash) return { file, status: 'conflict', reason: 'changed since it was analysed: not touched', edits: 0 };
  return { text, bom };
}

/** Writes `edits` into `root/file` if its current content still hashes to `expectedHash`. */
export function writeEdits(root: string, file: string, expectedHash: string, edits: FileEdit[]): WriteOutcome {
  const abs = path.join(root, file);
  const current = readUnchanged(root, file, expectedHash);
  if ('status' in current) return current;
  const { text, bom } = current;
  const { text: next, applied } = applyEdits(text, edits);
  if (next === text) return { file, status: 'unchanged', edits: 0 };
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.deploy-preflight-${process.pid}.tmp`);
  const mode = fs.statSync(abs).mode;
  try {
    fs.writeFileSync(tmp, (bom ? '\ufeff' : '') + next, { mode });
    fs.renameSync(tmp, abs);
  } catch (err) {
    // The original is intact (it is only ever replaced by the rename); don't leave the temporary file.
    try { fs.unlinkSync(tmp); } catch { /* never created */ }
    return { file, status: 'unwritable', reason: `cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, edits: 0 };
  }
  return { file, status: 'applied', edits: applied.length };
}
