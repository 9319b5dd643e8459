/**
 * The rule contract. A rule is a `meta` block and a `check` over the workspace model; it reports
 * findings with spans and fixes as text edits, and never parses or reads files itself.
 */
import type { Span } from '../extract/facts';
import type { WorkspaceModel } from '../model/workspace-model';
import type { SeverityName } from '../engine/config';

export interface RuleMeta {
  id: string;
  defaultSeverity: SeverityName;
  /** One line, for the rules list (SARIF `shortDescription`, docs index). */
  description: string;
  fixable: boolean;
}

export interface FileEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: FileEdit[];
  /** The one obvious fix: editors mark it preferred. */
  preferred?: boolean;
  /** `--fix` and fix-all apply only safe fixes (no placeholders, no judgement calls). */
  safe: boolean;
}

export interface Related {
  file: string;
  span: Span;
  message: string;
}

export interface Report {
  file: string;
  span: Span;
  message: string;
  related?: Related[];
  fixes?: Fix[];
  /** Overrides the rule's severity for this finding (lower certainty: an additive deploy). */
  severity?: SeverityName;
  /** What makes the finding itself, independent of line numbers (variable, service, environment). */
  key: string;
}

export interface RuleContext {
  model: WorkspaceModel;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
