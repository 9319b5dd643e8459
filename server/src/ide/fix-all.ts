/**
 * What a fix-all did, in editor terms: the files a fix plan changes (with how many fixes touch
 * each) and, when it changes nothing, why — from the plan's left-out findings (a value only the
 * user knows, a judgement call, no fix at all) and its conflicts. Plain data and short text; the
 * language server sends it, the extension shows it.
 */
import type { FixPlan } from '../engine/analysis';

export interface FixAllSummary {
  /** Fixes the plan takes. */
  fixes: number;
  /** Files the plan edits, by path, with the number of fixes editing each. */
  files: { file: string; fixes: number }[];
  /** Findings the plan takes no fix for, by reason; `conflicts`: safe fixes left for a later pass. */
  left: { needsValue: number; unsafe: number; noFix: number; conflicts: number };
}

export function summarizeFixPlan(plan: FixPlan): FixAllSummary {
  const perFile = new Map<string, number>();
  for (const p of plan.fixes) {
    for (const file of new Set(p.fix.edits.map((e) => e.file))) perFile.set(file, (perFile.get(file) ?? 0) + 1);
  }
  const count = (r: string) => plan.left.filter((l) => l.reason === r).length;
  return {
    fixes: plan.fixes.length,
    files: [...perFile].sort((a, b) => a[0].localeCompare(b[0])).map(([file, fixes]) => ({ file, fixes })),
    left: { needsValue: count('needs-value'), unsafe: count('unsafe'), noFix: count('no-fix'), conflicts: plan.skipped.length },
  };
}

/** Several summaries (one per workspace folder) as one. */
export function mergeSummaries(list: readonly FixAllSummary[]): FixAllSummary {
  return {
    fixes: list.reduce((n, s) => n + s.fixes, 0),
    files: list.flatMap((s) => s.files),
    left: {
      needsValue: list.reduce((n, s) => n + s.left.needsValue, 0),
      unsafe: list.reduce((n, s) => n + s.left.unsafe, 0),
      noFix: list.reduce((n, s) => n + s.left.noFix, 0),
      conflicts: list.reduce((n, s) => n + s.left.conflicts, 0),
    },
  };
}

/** Problems a fix-all leaves for the user. */
export const leftCount = (s: FixAllSummary): number => s.left.needsValue + s.left.unsafe + s.left.noFix;

/**
 * Why a fix-all changes nothing (undefined when it changes something): one short sentence.
 * `scope` names what was fixed ("this file", "the workspace").
 */
export function noFixReason(s: FixAllSummary, scope: string): string | undefined {
  if (s.fixes > 0) return undefined;
  const { needsValue, unsafe, noFix, conflicts } = s.left;
  if (needsValue + unsafe + noFix === 0) {
    return conflicts > 0 ? 'no fix applied: the safe fixes collide with each other; apply them one at a time from the quick fixes' : `nothing to fix: no problems in ${scope}`;
  }
  const kinds = [needsValue, unsafe, noFix].filter((n) => n > 0).length;
  if (kinds === 1) {
    if (needsValue) return 'no safe fix: these need a value only you know';
    if (unsafe) return 'no safe fix: these need a judgement call (see each problem\'s quick fixes)';
    return 'no automatic fix: these need a change by hand';
  }
  const parts = [
    needsValue ? `${needsValue} need${needsValue === 1 ? 's' : ''} a value only you know` : '',
    unsafe ? `${unsafe} need${unsafe === 1 ? 's' : ''} a judgement call` : '',
    noFix ? `${noFix} need${noFix === 1 ? 's' : ''} a change by hand` : '',
  ].filter(Boolean);
  return `no safe fix: ${parts.join(', ')}`;
}
