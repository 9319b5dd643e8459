/** Human output, grouped by file, in the shape ESLint users know, with a summary line. */
import type { Finding } from '../../core/findings';
import { formatConfigProblem } from '../../core/config';
import { checkedLine, counts, problemsLine, type Report } from './report';

const C = { red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', dim: '\x1b[2m', bold: '\x1b[1m', underline: '\x1b[4m', reset: '\x1b[0m' };

export function formatStylish(report: Report, color: boolean): string {
  const c = (code: keyof typeof C, s: string) => (color ? C[code] + s + C.reset : s);
  const { findings, notices } = report;
  const out: string[] = [];
  if (report.configProblems.length) {
    out.push(c('bold', 'Configuration errors (nothing was checked)'));
    for (const p of report.configProblems) out.push(`  ${c('red', 'error')}  ${formatConfigProblem(p)}`);
    return out.join('\n') + '\n';
  }
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const [file, list] of byFile) {
    out.push('', c('underline', file));
    for (const f of list) {
      const sev = f.severity === 'error' ? c('red', 'error  ') : f.severity === 'warning' ? c('yellow', 'warning') : c('blue', 'info   ');
      const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`.padEnd(8);
      out.push(`  ${c('dim', pos)} ${sev}  ${f.message}  ${c('dim', f.rule)}`);
      for (const r of f.related) out.push(`  ${' '.repeat(8)}          ${c('dim', `↳ ${r.file}:${r.range.start.line + 1}: ${r.message}`)}`);
    }
  }
  if (notices.length > 0) {
    out.push('', c('bold', 'Notices'));
    for (const n of notices) out.push(`  ${n.file}: ${n.message}`);
  }
  const { errors } = counts(findings);
  const fixable = findings.filter((f) => f.fixes.some((x) => x.safe)).length;
  out.push('');
  if (findings.length === 0) out.push(c('bold', '✔ no problems found'));
  else {
    out.push(c(errors ? 'red' : 'yellow', c('bold', `✖ ${problemsLine(findings)}`)));
    if (fixable) out.push(`  ${fixable} can be fixed with the \`--fix\` option.`);
  }
  out.push(c('dim', `${checkedLine(report)}${report.workspace ? ` (${report.workspace})` : ''}`));
  return out.join('\n') + '\n';
}
