/** Find references: every read and write of the variable across all file kinds. */
import type { Location, Position } from 'vscode-languageserver';
import { lineIndexOf, nameAt, occurrences, spanToRange, type FileContext } from './common';

export function references(ctx: FileContext, position: Position, includeDeclaration: boolean): Location[] | null {
  const hit = nameAt(ctx, position.line, position.character);
  if (!hit) return null;
  const { reads, writes } = occurrences(ctx.ws.model(), hit.name);
  const out: Location[] = reads.map((r) => ({ uri: ctx.uriOf(r.file), range: spanToRange(lineIndexOf(ctx, r.file), r.read.nameSpan) }));
  // Writes are the variable's declarations.
  if (includeDeclaration) for (const w of writes) out.push({ uri: ctx.uriOf(w.file), range: spanToRange(lineIndexOf(ctx, w.file), w.write.nameSpan) });
  return out.sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
