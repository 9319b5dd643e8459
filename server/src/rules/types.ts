/**
 * The rule contract. A rule is a `meta` block and a `check` over the workspace model; it reports
 * findings with spans and fixes as text edits, and never parses or reads files itself.
 */
import type { Span } from '../core/facts';
import type { Fix } from '../core/edits';
import type { Related } from '../core/findings';
import type { WorkspaceModel } from '../model/workspace-model';
import type { SeverityName } from '../core/config';

export interface RuleMeta {
  id: string;
  defaultSeverity: SeverityName;
  /** One line, for the rules list (SARIF `shortDescription`, docs index). */
  description: string;
  fixable: boolean;
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
