/**
 * The actions offered on a finding: its fixes, then "disable for this line / this file", which
 * insert a suppression comment in the file's own syntax; and the fix-all of a document (the
 * engine's fix plan over that document's findings).
 */
import type { Analysis } from '../engine/analysis';
import type { FileEdit } from '../core/edits';
import { LineIndex } from '../core/text-index';
import { classify } from '../extract/classify';
import { UNUSED_SUPPRESSION } from '../rules/registry';

export interface QuickFix {
  title: string;
  /** `fix`: one of the finding's fixes; `disable`: a suppression comment. */
  kind: 'fix' | 'disable';
  /** The finding's one obvious fix (fixes only). */
  preferred?: boolean;
  edits: FileEdit[];
}

function commentPrefix(file: string): string {
  return classify(file) === 'typescript' ? '//' : '#';
}

/** `deploy-preflight-disable-next-line <rule>` above `line` (0-based), indented like it. */
function disableLine(file: string, text: string, rule: string, line: number): QuickFix | undefined {
  const idx = new LineIndex(text);
  if (line >= idx.starts.length) return undefined;
  const start = idx.starts[line];
  const end = line + 1 < idx.starts.length ? idx.starts[line + 1] : text.length;
  const lineText = text.slice(start, end).replace(/\r?\n$/, '');
  // A comment line inside a continued shell command would end the command: no line action there.
  if (classify(file) === 'shell' && line > 0) {
    const prev = text.slice(idx.starts[line - 1], start).replace(/\r?\n$/, '');
    if (/\\$/.test(prev)) return undefined;
  }
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Disable ${rule} for this line`,
    kind: 'disable',
    edits: [{ file, span: { start, end: start }, newText: `${indent}${commentPrefix(file)} deploy-preflight-disable-next-line ${rule}${eol}` }],
  };
}

/** `deploy-preflight-disable <rule>` at the top of the file (after a shebang). */
function disableFile(file: string, text: string, rule: string): QuickFix {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const comment = `${commentPrefix(file)} deploy-preflight-disable ${rule}${eol}`;
  const afterShebang = text.startsWith('#!');
  // A file of one shebang line without a newline: put the comment on a new line after it.
  const atEnd = afterShebang && !text.includes('\n');
  const offset = atEnd ? text.length : afterShebang ? new LineIndex(text).offset(1, 0) : 0;
  return {
    title: `Disable ${rule} for this file`,
    kind: 'disable',
    edits: [{ file, span: { start: offset, end: offset }, newText: atEnd ? `${eol}${comment}` : comment }],
  };
}

/** The actions on the finding `fingerprint` of `file` (none when it is not there any more). */
export function quickFixes(analysis: Analysis, file: string, fingerprint: string): QuickFix[] {
  const finding = analysis.findingByFingerprint(fingerprint);
  if (!finding || finding.file !== file) return [];
  const out: QuickFix[] = finding.fixes.map((fix) => ({ title: fix.title, kind: 'fix', preferred: fix.preferred === true, edits: fix.edits }));
  if (finding.rule === UNUSED_SUPPRESSION.id) return out;
  const text = analysis.textOf(file);
  if (text === undefined) return out;
  const line = disableLine(file, text, finding.rule, finding.range.start.line);
  if (line) out.push(line);
  out.push(disableFile(file, text, finding.rule));
  return out;
}

/** Every safe fix of `file`'s findings, as the engine's fix plan takes them (possibly editing other files). */
export function fixAllEdits(analysis: Analysis, file: string): FileEdit[] {
  return analysis.fixPlan({ file }).edits;
}
