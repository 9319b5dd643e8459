/** What every output format renders: one run's results, with paths relative to the report base. */
import type { Finding, Notice, RuleFailure } from '../../core/findings';
import type { ConfigProblem } from '../../core/config';

export interface Report {
  /** Findings, notices and problems with paths relative to `base` (with `/`). */
  findings: Finding[];
  notices: Notice[];
  ruleFailures: RuleFailure[];
  /** Configuration errors: when present, nothing was analysed. */
  configProblems: ConfigProblem[];
  /** The absolute folder report paths start at (the repository root, else the working directory). */
  base: string;
  /** The analysed workspace, relative to `base` ('' when it is the base). */
  workspace: string;
  /** Files read and analysed, and the run's wall time. */
  filesChecked: number;
  ms: number;
}

export function counts(findings: Finding[]): { errors: number; warnings: number; infos: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return { errors, warnings, infos: findings.length - errors - warnings };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `3 problems (1 error, 2 warnings, 0 info)` */
export function problemsLine(findings: Finding[]): string {
  const c = counts(findings);
  return `${plural(findings.length, 'problem')} (${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.infos} info)`;
}

/** `123 files checked in 1.4 s` */
export function checkedLine(r: Pick<Report, 'filesChecked' | 'ms'>): string {
  return `${plural(r.filesChecked, 'file')} checked in ${(r.ms / 1000).toFixed(1)} s`;
}
