/** Human output, grouped by file, in the shape ESLint users know. */
import type { Finding, Notice } from '../../core/findings';

const C = { red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', dim: '\x1b[2m', bold: '\x1b[1m', underline: '\x1b[4m', reset: '\x1b[0m' };

export function formatStylish(findings: Finding[], notices: Notice[], color: boolean): string {
  const c = (code: keyof typeof C, s: string) => (color ? C[code] + s + C.reset : s);
  const out: string[] = [];
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
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const infos = findings.length - errors - warnings;
  const fixable = findings.filter((f) => f.fixes.some((x) => x.safe)).length;
  out.push('');
  if (findings.length === 0) out.push(c('bold', '✔ no problems found'));
  else {
    out.push(c(errors ? 'red' : 'yellow', c('bold', `✖ ${findings.length} problem${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info)`)));
    if (fixable) out.push(`  ${fixable} can be fixed with the \`--fix\` option.`);
  }
  return out.join('\n') + '\n';
}
