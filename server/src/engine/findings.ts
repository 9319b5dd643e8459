import type { Fix, Related } from '../rules/types';
import type { SeverityName } from './config';
import type { Span } from '../extract/facts';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface Finding {
  rule: string;
  severity: SeverityName;
  file: string;
  span: Span;
  range: Range;
  message: string;
  related: (Related & { range: Range })[];
  fixes: Fix[];
  fingerprint: string;
}

/** A file we could not read or analyse: reported once, the rest goes on. */
export interface Notice {
  file: string;
  message: string;
}
