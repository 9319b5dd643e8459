/** Findings and notices: what analysis hands to every host (CLI formats, the editor). */
import type { Fix } from './edits';
import type { SeverityName } from './config';
import type { Span } from './facts';

/** The other end of a finding: where the disagreeing write or read is. */
export interface Related {
  file: string;
  span: Span;
  message: string;
}


export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface Finding {
  rule: string;
  severity: SeverityName;
  file: string;
  span: Span;
  range: Range;
  message: string;
  /** The key of the rule's `meta.messages` that `message` was rendered from (absent on an internal error). */
  messageId?: string;
  related: (Related & { range: Range })[];
  fixes: Fix[];
  fingerprint: string;
}

/** A rule that threw: its findings are missing, the other rules' are complete. Hosts report it as
 * an internal failure (the CLI exits 2), never as a finding. */
export interface RuleFailure {
  rule: string;
  /** The error's message. */
  message: string;
  stack?: string;
}

/** A file we could not read or analyse: reported once, the rest goes on. */
export interface Notice {
  file: string;
  message: string;
}
