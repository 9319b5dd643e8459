/**
 * Runs the rules over a model and turns their reports into findings: severity from the config,
 * suppressions applied (and unused ones reported), spans turned into ranges, fingerprints that
 * survive line moves.
 */
import { createHash } from 'node:crypto';
import type { WorkspaceModel } from '../model/workspace-model';
import { RULES, UNUSED_SUPPRESSION, DEPLOYED_STATE_RULES } from '../rules/registry';
import type { FileEdit, Fix } from '../core/edits';
import type { Report, Rule } from '../rules/types';
import type { Finding, RuleFailure } from '../core/findings';
import type { LineIndex } from '../core/text-index';
import type { SeverityName } from '../core/config';
import { renderMessage } from './messages';

/** A related location spanning more lines than this is shown by its first line. */
const MAX_LINES = 3;

export function fingerprint(rule: string, file: string, key: string): string {
  return createHash('sha256').update(`${rule}\0${file}\0${key}`).digest('hex').slice(0, 32);
}

/** Fixes are written with `\n`; a CRLF file gets CRLF lines, whichever rule wrote the edit. */
function matchLineEndings(edit: FileEdit, model: WorkspaceModel): FileEdit {
  if (!model.files.get(edit.file)?.crlf || !edit.newText.includes('\n')) return edit;
  return { ...edit, newText: edit.newText.replace(/\r?\n/g, '\r\n') };
}

/** A fix editing text that writes several deploys (a loop's command, a matrix step, a manifest
 * two Cloud Deploy targets render) changes all of them, not only the one the rule looked at:
 * it is offered for review, never applied by `--fix`. */
function guardShared(fix: Fix, model: WorkspaceModel): void {
  for (const e of fix.edits) {
    const hit = model.shared.find((s) => s.file === e.file && s.span.start <= e.span.start && e.span.end <= s.span.end);
    if (!hit) continue;
    fix.safe = false;
    fix.title += ` (review: this text is shared by ${hit.reason})`;
    return;
  }
}

/** What a run of the rules yields: the findings, and the rules that failed (their findings are missing). */
export interface RuleRun {
  findings: Finding[];
  ruleFailures: RuleFailure[];
}

function unusedSuppressionMessage(messageId: keyof typeof UNUSED_SUPPRESSION.messages, rule: string): { message: string; messageId: string } {
  return { message: renderMessage(UNUSED_SUPPRESSION, messageId, { rule }), messageId };
}

export function runRules(
  model: WorkspaceModel,
  lines: (file: string) => LineIndex | undefined,
  rules: Rule[] = RULES,
): RuleRun {
  const findings: Finding[] = [];
  const ruleFailures: RuleFailure[] = [];
  // Rule ids each directive (file, offset) silenced something for.
  const usedSuppressions = new Map<string, Map<number, Set<string>>>();
  const markUsed = (file: string, start: number, rule: string): void => {
    const byStart = usedSuppressions.get(file) ?? new Map<number, Set<string>>();
    usedSuppressions.set(file, byStart);
    byStart.set(start, (byStart.get(start) ?? new Set<string>()).add(rule));
  };
  const isUsed = (file: string, start: number, rule: string): boolean => !!usedSuppressions.get(file)?.get(start)?.has(rule);
  const suppressed = (rule: string, file: string, line: number): boolean => {
    const facts = model.files.get(file);
    if (!facts) return false;
    for (const s of facts.suppressions) {
      if (s.rule !== rule) continue;
      if (s.scope === 'file' || s.line === line) {
        markUsed(file, s.span.start, s.rule);
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
  // The other end of a finding is a whole construct at times (an enum's definition, a deploy):
  // shown by its first line, so the editor marks where it starts, not a block of red.
  const clipRelated = (file: string, span: { start: number; end: number }) => {
    const idx = lines(file);
    if (!idx || idx.position(span.end).line - idx.position(span.start).line < MAX_LINES) return span;
    const nextLine = idx.offset(idx.position(span.start).line + 1, 0);
    return { start: span.start, end: Math.max(span.start, nextLine - 1) };
  };
  for (const rule of rules) {
    const setting = model.config.rules[rule.meta.id];
    if (setting === 'off') continue;
    const seen = new Set<string>();
    const report = (r: Report): void => {
      // Rendered first: a report with an unknown id or missing data fails the rule, suppressed or not.
      const message = renderMessage(rule.meta, r.messageId, r.data);
      for (const fix of r.fixes ?? []) {
        fix.edits = fix.edits.map((e) => matchLineEndings(e, model));
        guardShared(fix, model);
      }
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
        related: (r.related ?? []).map((rel) => {
          const span = clipRelated(rel.file, rel.span);
          return { ...rel, span, range: toRange(rel.file, span) };
        }),
        fixes: r.fixes ?? [],
        fingerprint: fp,
      });
    };
    try {
      rule.check({ model, report });
    } catch (err) {
      // A rule bug must not take the others down; the host reports it as an internal failure.
      ruleFailures.push({ rule: rule.meta.id, message: (err as Error)?.message ?? String(err), stack: (err as Error)?.stack });
    }
  }
  const ruleIds = new Set(rules.map((r) => r.meta.id));
  if (model.config.rules[UNUSED_SUPPRESSION.id] !== 'off') {
    for (const [file, facts] of model.files) {
      for (const s of facts.suppressions) {
        if (isUsed(file, s.span.start, s.rule)) continue;
        if (model.config.rules[s.rule] === 'off') continue;
        // Without the deployed state the drift rules did not run: their suppressions are not idle.
        if (!model.deployed && DEPLOYED_STATE_RULES.has(s.rule)) continue;
        const known = ruleIds.has(s.rule);
        // Removing the directive would also drop the other rule ids it lists that still silence
        // something: only a directive that silences nothing at all gets the removal fix.
        const sharesUsedDirective = facts.suppressions.some((o) => o !== s && o.span.start === s.span.start &&
          isUsed(file, o.span.start, o.rule));
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
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return { findings, ruleFailures };
}
