/** Findings and notices → LSP diagnostics, grouped by document URI. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Notice } from '../../core/findings';
import type { SeverityName } from '../../core/config';
import { docsUrl } from '../../engine/analysis';
import { DIAGNOSTIC_SOURCE } from '../../../../protocol';

export const SOURCE = DIAGNOSTIC_SOURCE;

export interface DiagnosticData {
  fingerprint: string;
}

/** The data of a diagnostic marking the other end of a problem: the problem's fingerprint under
 * another key, so quick fixes and suppressions (keyed by `fingerprint`) never act from here. */
export interface OtherEndData {
  otherEnd: string;
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

/**
 * The other ends of a finding (its related locations, the read a deploy lacks): a Hint each, so
 * the code still shows why while the problem is counted once, where it is reported. Each points
 * back to the problem; a related location on the finding's own line adds nothing and is skipped.
 */
export function otherEndDiagnostics(f: Finding, uriOf: (rel: string) => string): { uri: string; diagnostic: Diagnostic }[] {
  const out: { uri: string; diagnostic: Diagnostic }[] = [];
  const seen = new Set<string>();
  for (const r of f.related) {
    if (!r.file || (r.file === f.file && r.range.start.line === f.range.start.line)) continue;
    const key = `${r.file}\0${r.range.start.line}:${r.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      uri: uriOf(r.file),
      diagnostic: {
        range: r.range,
        severity: DiagnosticSeverity.Hint,
        code: f.rule,
        codeDescription: { href: docsUrl(f.rule) },
        source: SOURCE,
        message: `Other end of: ${f.message}`,
        relatedInformation: [{ location: { uri: uriOf(f.file), range: f.range }, message: f.message }],
        data: { otherEnd: f.fingerprint } satisfies OtherEndData,
      },
    });
  }
  return out;
}

/** Diagnostics per file URI: every finding, a Hint at each of its other ends, and one information
 * diagnostic per file we could not read. */
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
    for (const o of otherEndDiagnostics(f, uriOf)) push(o.uri, o.diagnostic);
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
