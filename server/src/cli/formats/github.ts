import type { Report } from './report';

/** GitHub Actions workflow commands: findings (and configuration errors) show as annotations on the
 * pull request, on files named from the repository root. */
export function formatGithub(report: Report): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines = report.configProblems.map((p) =>
    `::error file=${prop(p.file)}${p.line ? `,line=${p.line},col=${p.column ?? 1}` : ''},title=${prop('deploy-preflight configuration')}::${esc(p.message)}`);
  for (const f of report.findings) {
    const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    lines.push(`::${level} file=${prop(f.file)},line=${f.range.start.line + 1},col=${f.range.start.character + 1},endLine=${f.range.end.line + 1},endColumn=${f.range.end.character + 1},title=${prop(f.rule)}::${esc(f.message)}`);
  }
  for (const n of report.notices) lines.push(`::notice file=${prop(n.file)},title=deploy-preflight::${esc(n.message)}`);
  return lines.join('\n') + (lines.length ? '\n' : '');
}
