/** Shared test helpers: parser start-up and span assertions read as text, not offsets. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParsers } from '../server/src/parsers/tree-sitter';
import type { Span } from '../server/src/core/facts';

export const ready = (): Promise<void> => initParsers();

/** The text a span covers: tests assert on this so a wrong offset shows as wrong text. */
export function at(text: string, span: Span | undefined): string | undefined {
  return span ? text.slice(span.start, span.end) : undefined;
}

/** Writes `files` (workspace-relative path → text) under `root`, making folders as needed. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}
