import type { DbUrlFact, Span } from './facts';
/**
 * STUB: to be written (issue 2). Finds Postgres URLs inside a string value. `offsets` maps each
 * character of `value` to its source offset (length value.length + 1) or is null (then every
 * span is `span`).
 */
export function findDbUrls(_value: string, _offsets: number[] | null, _span: Span, _envName?: string): DbUrlFact[] { return []; }
