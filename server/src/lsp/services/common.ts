/**
 * Conversions between the engine's terms (workspace-relative files, offsets into a file's text)
 * and the protocol's (URIs, line/character positions), through the line index of the text the
 * facts were extracted from. Every feature module converts through these and nothing else.
 */
import type { Position, Range, Location } from 'vscode-languageserver';
import type { Analysis } from '../../engine/analysis';
import { LineIndex } from '../../core/text-index';
import type { Span } from '../../core/facts';

/** A request's document: its folder's analysis, its relative path (with `/`), the folder's URIs. */
export interface FileContext {
  analysis: Analysis;
  rel: string;
  uriOf(rel: string): string;
}

/** The line index matching the text the facts of `file` were extracted from (else the current text). */
export function lineIndexOf(analysis: Analysis, file: string): LineIndex | undefined {
  const idx = analysis.lineIndex(file);
  if (idx) return idx;
  const text = analysis.textOf(file);
  return text === undefined ? undefined : new LineIndex(text);
}

export function spanToRange(idx: LineIndex | undefined, span: Span): Range {
  if (!idx) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: idx.position(span.start), end: idx.position(span.end) };
}

export function rangeOf(ctx: FileContext, file: string, span: Span): Range {
  return spanToRange(lineIndexOf(ctx.analysis, file), span);
}

export function locationOf(ctx: FileContext, file: string, span: Span): Location {
  return { uri: ctx.uriOf(file), range: rangeOf(ctx, file, span) };
}

/** The offset of a position in the request's document. */
export function offsetAt(ctx: FileContext, position: Position): number | undefined {
  return lineIndexOf(ctx.analysis, ctx.rel)?.offset(position.line, position.character);
}

/** 1-based line of an offset, for `file:line` texts. */
export function lineOf(ctx: FileContext, file: string, offset: number): number {
  return (lineIndexOf(ctx.analysis, file)?.position(offset).line ?? 0) + 1;
}
