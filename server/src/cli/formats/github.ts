import type { Finding, Notice } from '../../core/findings';

/** GitHub Actions workflow commands: findings show as annotations on the pull request. */
export function formatGithub(findings: Finding[], notices: Notice[]): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines = findings.map((f) => {
    const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    return `::${level} file=${prop(f.file)},line=${f.range.start.line + 1},col=${f.range.start.character + 1},endLine=${f.range.end.line + 1},endColumn=${f.range.end.character + 1},title=${prop(f.rule)}::${esc(f.message)}`;
  });
  for (const n of notices) lines.push(`::notice file=${prop(n.file)},title=deploy-preflight::${esc(n.message)}`);
  return lines.join('\n') + (lines.length ? '\n' : '');
}
