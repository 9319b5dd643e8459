/**
 * The rule contract. A rule is a `meta` block and a `check` over the workspace model; it reports
 * findings with spans and fixes as text edits, and never parses or reads files itself.
 *
 * Wording lives in `meta.messages`, by id, as typescript-eslint rules keep it: a report names a
 * `messageId` and supplies the `data` for the template's `{{placeholders}}`; the engine renders
 * the message (engine/messages.ts). An unknown id or a missing placeholder value is a rule failure.
 */
import type { Span } from '../core/facts';
import type { Fix } from '../core/edits';
import type { Related } from '../core/findings';
import type { WorkspaceModel } from '../model/workspace-model';
import type { SeverityName } from '../core/config';

/**
 * Values for a template's placeholders: names, values, lists, counts and agreement words
 * (`has`/`have`) — never a clause of the message: a message that says something else is another
 * message id. A placeholder whose value is missing or `undefined` fails the rule.
 */
export type MessageData = Readonly<Record<string, string | number | undefined>>;

export interface RuleMeta<MessageIds extends string = string> {
  id: string;
  defaultSeverity: SeverityName;
  /** One line, for the rules list (SARIF `shortDescription`, docs index). */
  description: string;
  fixable: boolean;
  /** Every message the rule reports, by id: a template whose `{{name}}` placeholders the report's `data` fills. */
  messages: Readonly<Record<MessageIds, string>>;
}

export interface Report<MessageIds extends string = string> {
  file: string;
  span: Span;
  /** A key of the rule's `meta.messages`. */
  messageId: MessageIds;
  /** A value for every placeholder of that message. */
  data?: MessageData;
  related?: Related[];
  fixes?: Fix[];
  /** Overrides the rule's severity for this finding (lower certainty: an additive deploy). */
  severity?: SeverityName;
  /** What makes the finding itself, independent of line numbers (variable, service, environment). */
  key: string;
}

export interface RuleContext<MessageIds extends string = string> {
  model: WorkspaceModel;
  report(r: Report<MessageIds>): void;
}

export interface Rule<MessageIds extends string = string> {
  meta: RuleMeta<MessageIds>;
  check(ctx: RuleContext<MessageIds>): void;
}

/** Declares a rule; its message ids are inferred from `meta.messages`, so a report naming an id
 * the rule does not declare does not compile. */
export function defineRule<MessageIds extends string>(rule: Rule<MessageIds>): Rule<MessageIds> {
  return rule;
}
