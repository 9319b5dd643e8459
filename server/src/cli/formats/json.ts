import type { Finding, Notice } from '../../core/findings';

/** The design's JSON contract: `{ version: 1, findings: [...] }`, 1-based lines and columns. */
export function formatJson(findings: Finding[], notices: Notice[]): string {
  const pos = (p: { line: number; character: number }) => ({ line: p.line + 1, column: p.character + 1 });
  return JSON.stringify({
    version: 1,
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: f.file,
      range: { start: pos(f.range.start), end: pos(f.range.end) },
      message: f.message,
      related: f.related.map((r) => ({ file: r.file, range: { start: pos(r.range.start), end: pos(r.range.end) }, message: r.message })),
      fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe, edits: x.edits.map((e) => ({ file: e.file, offset: e.span.start, length: e.span.end - e.span.start, text: e.newText })) })),
      fingerprint: f.fingerprint,
    })),
    notices,
  }, null, 2) + '\n';
}
