/**
 * Runs the rules over a model and turns their reports into findings: severity from the config,
 * suppressions applied (and unused ones reported), spans turned into ranges, fingerprints that
 * survive line moves.
 */
import { createHash } from 'node:crypto';
import type { WorkspaceModel } from '../model/workspace-model';
import { RULES, UNUSED_SUPPRESSION } from '../rules/registry';
import type { FileEdit } from '../core/edits';
import type { Report, Rule } from '../rules/types';
import type { Finding } from '../core/findings';
import type { LineIndex } from '../core/text-index';
import type { SeverityName } from '../core/config';
import { renderMessage } from './messages';

export function fingerprint(rule: string, file: string, key: string): string {
  return createHash('sha256').update(`${rule}\0${file}\0${key}`).digest('hex').slice(0, 32);
}

/** Fixes are written with `\n`; a CRLF file gets CRLF lines, whichever rule wrote the edit. */
function matchLineEndings(edit: FileEdit, model: WorkspaceModel): FileEdit {
  if (!model.files.get(edit.file)?.crlf || !edit.newText.includes('\n')) return edit;
  return { ...edit, newText: edit.newText.replace(/\r?\n/g, '\r\n') };
}

function unusedSuppressionMessage(messageId: keyof typeof UNUSED_SUPPRESSION.messages, rule: string): { message: string; messageId: string } {
  return { message: renderMessage(UNUSED_SUPPRESSION, messageId, { rule }), messageId };
}

export function runRules(
  model: WorkspaceModel,
  lines: (file: string) => LineIndex | undefined,
  rules: Rule[] = RULES,
): Finding[] {
  const findings: Finding[] = [];
  const usedSuppressions = new Set<string>();
  const suppressed = (rule: string, file: string, line: number): boolean => {
    const facts = model.files.get(file);
    if (!facts) return false;
    for (const s of facts.suppressions) {
      if (s.rule !== rule) continue;
      if (s.scope === 'file' || s.line === line) {
        usedSuppressions.add(`${file}\0${s.span.start}\0${s.rule}`);
        return true;
      }
    }
    return false;
  };
  const toRange = (file: string, span: { start: number; end: number }) => {
    const idx = lines(file);
    if (!idx) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { start: idx.position(span.start), end: idx.position(span.end) };
  };
  for (const rule of rules) {
    const setting = model.config.rules[rule.meta.id];
    if (setting === 'off') continue;
    const seen = new Set<string>();
    const report = (r: Report): void => {
      // Rendered first: a report with an unknown id or missing data fails the rule, suppressed or not.
      const message = renderMessage(rule.meta, r.messageId, r.data);
      for (const fix of r.fixes ?? []) fix.edits = fix.edits.map((e) => matchLineEndings(e, model));
      const fp = fingerprint(rule.meta.id, r.file, r.key);
      if (seen.has(fp)) return;
      seen.add(fp);
      const range = toRange(r.file, r.span);
      if (suppressed(rule.meta.id, r.file, range.start.line)) return;
      const severity: SeverityName = setting ?? r.severity ?? rule.meta.defaultSeverity;
      findings.push({
        rule: rule.meta.id,
        severity,
        file: r.file,
        span: r.span,
        range,
        message,
        messageId: r.messageId,
        related: (r.related ?? []).map((rel) => ({ ...rel, range: toRange(rel.file, rel.span) })),
        fixes: r.fixes ?? [],
        fingerprint: fp,
      });
    };
    try {
      rule.check({ model, report });
    } catch (err) {
      // A rule bug must not take the others down; it surfaces as a finding on the config.
      findings.push({
        rule: rule.meta.id, severity: 'error', file: '.', span: { start: 0, end: 0 },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `internal error in rule ${rule.meta.id}: ${(err as Error).message}`, related: [], fixes: [],
        fingerprint: fingerprint(rule.meta.id, '.', 'internal-error'),
      });
    }
  }
  const ruleIds = new Set(rules.map((r) => r.meta.id));
  if (model.config.rules[UNUSED_SUPPRESSION.id] !== 'off') {
    for (const [file, facts] of model.files) {
      for (const s of facts.suppressions) {
        if (usedSuppressions.has(`${file}\0${s.span.start}\0${s.rule}`)) continue;
        if (model.config.rules[s.rule] === 'off') continue;
        const known = ruleIds.has(s.rule);
        // Removing the directive would also drop the other rule ids it lists that still silence
        // something: only a directive that silences nothing at all gets the removal fix.
        const sharesUsedDirective = facts.suppressions.some((o) => o !== s && o.span.start === s.span.start &&
          usedSuppressions.has(`${file}\0${o.span.start}\0${o.rule}`));
        findings.push({
          rule: UNUSED_SUPPRESSION.id,
          severity: model.config.rules[UNUSED_SUPPRESSION.id] as SeverityName ?? UNUSED_SUPPRESSION.defaultSeverity,
          file,
          span: s.span,
          range: toRange(file, s.span),
          ...unusedSuppressionMessage(known ? (sharesUsedDirective ? 'unusedInList' : 'unused') : 'unknownRule', s.rule),
          related: [],
          fixes: sharesUsedDirective ? [] : [{ title: 'Remove the unused suppression', safe: false, edits: [{ file, span: s.span, newText: '' }] }],
          fingerprint: fingerprint(UNUSED_SUPPRESSION.id, file, `${s.rule}@${s.line}`),
        });
      }
    }
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}
