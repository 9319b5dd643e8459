import type { Insertion } from '../extract/facts';
/** What a fix wants to write as the value of a new entry. */
export type InsertValue =
  | { kind: 'literal'; value: string }
  /** Source text in the target's own language (`self.project_id`, `$PROJECT_ID`). */
  | { kind: 'expression'; text: string }
  | { kind: 'secret'; secret: string; version?: string }
  /** A value the user must fill in: rendered as a clearly marked placeholder. */
  | { kind: 'placeholder' };
// STUB: to be written. Returns the full text to insert at ins.offset, or undefined when the value cannot be written safely in that syntax.
export function renderInsertion(_ins: Insertion, _name: string, _value: InsertValue): string | undefined { return undefined; }
