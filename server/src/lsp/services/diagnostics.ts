/** Findings and notices → LSP diagnostics, grouped by document URI. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Notice } from '../../core/findings';
import type { SeverityName } from '../../core/config';
import { docsUrl } from '../../engine/analysis';

export const SOURCE = 'deploy-preflight';

export interface DiagnosticData {
  fingerprint: string;
}

const SEVERITY: Record<SeverityName, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(f: Finding, uriOf: (rel: string) => string): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    code: f.rule,
    codeDescription: { href: docsUrl(f.rule) },
    source: SOURCE,
    message: f.message,
    data: { fingerprint: f.fingerprint } satisfies DiagnosticData,
  };
  if (f.related.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: uriOf(r.file), range: r.range }, message: r.message }));
  }
  return d;
}

/** Diagnostics per file URI: every finding, and one information diagnostic per file we could not read. */
export function diagnosticsByUri(findings: Finding[], notices: Notice[], uriOf: (rel: string) => string): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const push = (uri: string, d: Diagnostic) => {
    const list = out.get(uri);
    if (list) list.push(d);
    else out.set(uri, [d]);
  };
  for (const f of findings) {
    if (!f.file) continue;
    push(uriOf(f.file), toDiagnostic(f, uriOf));
  }
  const byFile = new Map<string, string[]>();
  for (const n of notices) {
    if (!n.file || n.file === '.') continue;
    const list = byFile.get(n.file) ?? [];
    if (!list.includes(n.message)) list.push(n.message);
    byFile.set(n.file, list);
  }
  for (const [file, messages] of byFile) {
    push(uriOf(file), {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: SOURCE,
      message: `could not read ${file}: ${messages.join('; ')}`,
    });
  }
  return out;
}
