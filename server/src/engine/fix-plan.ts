/**
 * The one fix policy of every host: the CLI's `--fix`, the editor's `source.fixAll` action and
 * its fix-all command all apply the plan made here, so they change the same text.
 *
 * - Which fix: a finding's safe preferred fix, else its first safe fix; a finding without a safe
 *   fix (placeholders, renames, judgement calls) or whose fix has no edits is left out.
 * - Whole or not at all: a fix whose edits overlap an edit already taken (other than the very
 *   same edit) is skipped with all of its edits — never applied in part. The next pass (the
 *   CLI re-analyses and plans again) may take it.
 * - Deterministic: findings are taken by file, offset, rule and fingerprint, so the same
 *   findings always give the same plan, whatever order they arrive in. The first fix taken wins
 *   an overlap.
 * - The same edit asked for by two fixes (one line that two findings need) is taken once.
 */
import type { FileEdit, Fix } from '../core/edits';
import type { Finding } from '../core/findings';

export interface PlannedFix {
  finding: Finding;
  fix: Fix;
}

export interface SkippedFix extends PlannedFix {
  /** `overlap`: collides with a fix taken earlier (`overlaps`); `self-overlap`: its own edits collide. */
  reason: 'overlap' | 'self-overlap';
  overlaps?: PlannedFix;
}

/** A finding the plan takes no fix for, and why: its fixes write a placeholder (`needs-value`),
 * are judgement calls (`unsafe`), or it offers none (`no-fix`). */
export interface LeftOut {
  finding: Finding;
  reason: 'needs-value' | 'unsafe' | 'no-fix';
}

export interface FixPlan {
  /** The fixes taken, in plan order. */
  fixes: PlannedFix[];
  /** Every edit of the taken fixes, once each, by file, then offset (no two overlap). */
  edits: FileEdit[];
  /** Safe fixes left out because they collide with one taken earlier. */
  skipped: SkippedFix[];
  /** Findings with no safe fix to take, in plan order. */
  left: LeftOut[];
}

/** The fix the policy takes for a finding, if any. */
export function chooseFix(finding: Finding): Fix | undefined {
  const fix = finding.fixes.find((x) => x.safe && x.preferred) ?? finding.fixes.find((x) => x.safe);
  return fix && fix.edits.length > 0 ? fix : undefined;
}

/** Why the policy takes no fix for a finding (undefined when it takes one). */
export function whyNoFix(finding: Finding): LeftOut['reason'] | undefined {
  if (chooseFix(finding)) return undefined;
  const offered = finding.fixes.filter((x) => x.edits.length > 0);
  if (offered.length === 0) return 'no-fix';
  return offered.some((x) => x.needsValue) ? 'needs-value' : 'unsafe';
}

/** The very same edit (same file, range and text). */
export const sameEdit = (a: FileEdit, b: FileEdit): boolean =>
  a.file === b.file && a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;

/** Whether applying both to one text is ambiguous: ranges that share characters, two different
 * insertions at one offset, or an insertion strictly inside a replaced range. */
export function editsOverlap(a: FileEdit, b: FileEdit): boolean {
  if (a.file !== b.file) return false;
  const insA = a.span.start === a.span.end;
  const insB = b.span.start === b.span.end;
  if (a.span.start < b.span.end && b.span.start < a.span.end) return true;
  if (insA && insB) return a.span.start === b.span.start && a.newText !== b.newText;
  if (insA) return b.span.start < a.span.start && a.span.start < b.span.end;
  if (insB) return a.span.start < b.span.start && b.span.start < a.span.end;
  return false;
}

const byPlace = (a: Finding, b: Finding): number =>
  a.file.localeCompare(b.file) || a.span.start - b.span.start || a.span.end - b.span.end ||
  a.rule.localeCompare(b.rule) || a.fingerprint.localeCompare(b.fingerprint);

export function planFixes(findings: readonly Finding[]): FixPlan {
  const fixes: PlannedFix[] = [];
  const skipped: SkippedFix[] = [];
  const left: LeftOut[] = [];
  const taken: { edit: FileEdit; by: PlannedFix; order: number }[] = [];
  const takenIn = new Map<string, typeof taken>();
  for (const finding of [...findings].sort(byPlace)) {
    const fix = chooseFix(finding);
    if (!fix) {
      left.push({ finding, reason: whyNoFix(finding)! });
      continue;
    }
    const planned = { finding, fix };
    const fresh: FileEdit[] = [];
    for (const e of fix.edits) {
      if (!fresh.some((o) => sameEdit(o, e)) && !(takenIn.get(e.file) ?? []).some((t) => sameEdit(t.edit, e))) fresh.push(e);
    }
    if (fresh.some((e, i) => fresh.some((o, j) => j < i && editsOverlap(o, e)))) {
      skipped.push({ ...planned, reason: 'self-overlap' });
      continue;
    }
    const clash = fresh.map((e) => (takenIn.get(e.file) ?? []).find((t) => editsOverlap(t.edit, e))).find((t) => t);
    if (clash) {
      skipped.push({ ...planned, reason: 'overlap', overlaps: clash.by });
      continue;
    }
    for (const edit of fresh) {
      const t = { edit, by: planned, order: taken.length };
      taken.push(t);
      const list = takenIn.get(edit.file);
      if (list) list.push(t);
      else takenIn.set(edit.file, [t]);
    }
    fixes.push(planned);
  }
  taken.sort((a, b) => a.edit.file.localeCompare(b.edit.file) || a.edit.span.start - b.edit.span.start || a.edit.span.end - b.edit.span.end || a.order - b.order);
  return { fixes, edits: taken.map((t) => t.edit), skipped, left };
}

/** A plan's edits grouped by file (each list by offset). */
export function editsByFile(edits: readonly FileEdit[]): Map<string, FileEdit[]> {
  const out = new Map<string, FileEdit[]>();
  for (const e of edits) {
    const list = out.get(e.file);
    if (list) list.push(e);
    else out.set(e.file, [e]);
  }
  return out;
}
