/** Shared test helpers: parser start-up and span assertions read as text, not offsets. */
import { initParsers } from '../server/src/parsers/tree-sitter';
import type { Span } from '../server/src/core/facts';

export const ready = (): Promise<void> => initParsers();

/** The text a span covers: tests assert on this so a wrong offset shows as wrong text. */
export function at(text: string, span: Span | undefined): string | undefined {
  return span ? text.slice(span.start, span.end) : undefined;
}
