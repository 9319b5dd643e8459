import type { Report } from './report';

/** The JSON contract: `{ version: 1, findings: [...], notices, configErrors, summary }`, 1-based lines and columns,
 * paths relative to the repository root. */
export function formatJson(report: Report): string {
  const pos = (p: { line: number; character: number }) => ({ line: p.line + 1, column: p.character + 1 });
  return JSON.stringify({
    version: 1,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: f.file,
      range: { start: pos(f.range.start), end: pos(f.range.end) },
      message: f.message,
      related: f.related.map((r) => ({ file: r.file, range: { start: pos(r.range.start), end: pos(r.range.end) }, message: r.message })),
      fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe, edits: x.edits.map((e) => ({ file: e.file, offset: e.span.start, length: e.span.end - e.span.start, text: e.newText })) })),
      fingerprint: f.fingerprint,
    })),
    notices: report.notices,
    configErrors: report.configProblems,
    summary: { filesChecked: report.filesChecked, ms: Math.round(report.ms), workspace: report.workspace || '.' },
  }, null, 2) + '\n';
}
