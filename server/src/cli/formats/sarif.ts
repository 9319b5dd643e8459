/** SARIF 2.1.0 as GitHub code scanning reads it: paths relative to the scanned root. */
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { Finding, Notice, RuleFailure } from '../../core/findings';
import { ruleCatalog, type RuleInfo } from '../../engine/analysis';
import { VERSION } from '../../core/version';

export function formatSarif(findings: Finding[], notices: Notice[], root: string, ruleFailures: RuleFailure[] = [], metas: RuleInfo[] = ruleCatalog()): string {
  const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  const loc = (file: string, r: Finding['range']) => ({
    physicalLocation: { artifactLocation: { uri: file.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' }, region: region(r) },
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'deploy-preflight',
          version: VERSION,
          informationUri: 'https://github.com/deploy-preflight/deploy-preflight',
          rules: metas.map((m) => ({
            id: m.id,
            name: m.id.replace(/(^|-)([a-z])/g, (_x, _d, ch: string) => ch.toUpperCase()),
            shortDescription: { text: m.description },
            helpUri: m.docsUrl,
            defaultConfiguration: { level: level(m.defaultSeverity) },
            properties: { fixable: m.fixable },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(path.resolve(root) + '/').href } },
      results: findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: metas.findIndex((m) => m.id === f.rule),
        level: level(f.severity),
        message: { text: f.message },
        locations: [loc(f.file, f.range)],
        relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...loc(r.file, r.range), message: { text: r.message } })),
        partialFingerprints: { 'deployPreflight/v1': f.fingerprint },
        ...(f.fixes.length ? { properties: { fixes: f.fixes.map((x) => x.title) } } : {}),
      })),
      invocations: [{
        executionSuccessful: ruleFailures.length === 0,
        toolExecutionNotifications: [
          ...notices.map((n) => ({
            level: 'note',
            message: { text: n.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: n.file, uriBaseId: '%SRCROOT%' } } }],
          })),
          ...ruleFailures.map((r) => ({
            level: 'error',
            message: { text: `internal error in rule ${r.rule}: ${r.message}` },
            associatedRule: { id: r.rule, index: metas.findIndex((m) => m.id === r.rule) },
          })),
        ],
      }],
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
