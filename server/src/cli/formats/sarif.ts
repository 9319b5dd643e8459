/**
 * SARIF 2.1.0 as GitHub code scanning reads it: paths relative to the repository root
 * (`%SRCROOT%`), percent-encoded; each rule with its documentation (short and full description,
 * help text and Markdown from docs/rules/<id>.md, an https help URI, tags, precision and
 * severity); each result linking its related locations from its message; notices, rule failures
 * and configuration errors as tool execution notifications.
 */
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../core/findings';
import { DOCS_REPO_URL, ruleCatalog, ruleDoc, type RuleInfo } from '../../engine/analysis';
import { VERSION } from '../../core/version';
import { sarifRuleProperties } from './sarif-rules';
import { docFullDescription, docMarkdown, docText } from './rule-help';
import type { Report } from './report';

export const INFORMATION_URI = DOCS_REPO_URL.replace(/\/blob\/.*$/, '');

const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

/** A relative path as a URI reference: each segment percent-encoded (a space, `%`, `#`, `?` stay valid). */
export function relativeUri(file: string): string {
  return file.split(/[\\/]/).map((s) => encodeURIComponent(s)).join('/');
}

/** SARIF message strings treat `[text](id)` as a link: literal brackets and backslashes are escaped. */
export function escapeMessage(s: string): string {
  return s.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

export function formatSarif(report: Report, metas: RuleInfo[] = ruleCatalog()): string {
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  const artifact = (file: string) => ({ uri: relativeUri(file), uriBaseId: '%SRCROOT%' });
  const loc = (file: string, r: Finding['range']) => ({ physicalLocation: { artifactLocation: artifact(file), region: region(r) } });
  const ruleIndex = (id: string) => metas.findIndex((m) => m.id === id);

  const results = report.findings.map((f) => {
    // "… See [the read](1), [the deploy](2)." — GitHub renders these as links to the related locations.
    const links = f.related.map((r, i) => `[${escapeMessage(r.message || `${r.file}:${r.range.start.line + 1}`)}](${i + 1})`);
    const text = escapeMessage(f.message) + (links.length ? ` See ${links.join(', ')}.` : '');
    return {
      ruleId: f.rule,
      ruleIndex: ruleIndex(f.rule),
      level: level(f.severity),
      message: { text },
      locations: [loc(f.file, f.range)],
      relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...loc(r.file, r.range), message: { text: escapeMessage(r.message) } })),
      partialFingerprints: { 'deployPreflight/v1': f.fingerprint },
      ...(f.fixes.length ? { properties: { fixes: f.fixes.map((x) => x.title) } } : {}),
    };
  });

  const notifications = [
    ...report.configProblems.map((p) => ({
      level: 'error',
      message: { text: `configuration error: ${p.message}` },
      locations: [{ physicalLocation: { artifactLocation: artifact(p.file), ...(p.line ? { region: { startLine: p.line, startColumn: p.column ?? 1 } } : {}) } }],
    })),
    ...report.notices.map((n) => ({
      level: 'note',
      message: { text: n.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(n.file) } }],
    })),
    ...report.ruleFailures.map((r) => ({
      level: 'error',
      message: { text: `internal error in rule ${r.rule}: ${r.message}` },
      associatedRule: { id: r.rule, index: ruleIndex(r.rule) },
    })),
  ];

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'deploy-preflight',
          version: VERSION,
          semanticVersion: VERSION,
          informationUri: INFORMATION_URI,
          rules: metas.map((m) => {
            const doc = ruleDoc(m.id);
            const full = doc ? docFullDescription(doc) : undefined;
            return {
              id: m.id,
              name: m.id.replace(/(^|-)([a-z])/g, (_x, _d, ch: string) => ch.toUpperCase()),
              shortDescription: { text: m.description },
              fullDescription: { text: full ?? m.description },
              ...(doc ? { help: { text: docText(doc, m.helpUri), markdown: docMarkdown(doc, DOCS_REPO_URL) } } : {}),
              helpUri: m.helpUri,
              defaultConfiguration: { level: level(m.defaultSeverity) },
              properties: { ...sarifRuleProperties(m.id, m.defaultSeverity), fixable: m.fixable },
            };
          }),
        },
      },
      automationDetails: { id: `deploy-preflight/${report.workspace ? `${report.workspace}/` : ''}` },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(report.base.endsWith('/') ? report.base : `${report.base}/`).href } },
      columnKind: 'utf16CodeUnits',
      results,
      invocations: [{
        executionSuccessful: report.ruleFailures.length === 0 && report.configProblems.length === 0,
        toolExecutionNotifications: notifications,
      }],
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
