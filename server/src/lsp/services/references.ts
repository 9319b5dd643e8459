/** Find references: every read and write of the variable across all file kinds. */
import type { Location, Position } from 'vscode-languageserver';
import { nameAt, occurrences } from '../../ide/names';
import { locationOf, offsetAt, type FileContext } from './common';

export function references(ctx: FileContext, position: Position, includeDeclaration: boolean): Location[] | null {
  const offset = offsetAt(ctx, position);
  const hit = offset === undefined ? undefined : nameAt(ctx.analysis, ctx.rel, offset);
  if (!hit) return null;
  // Writes are the variable's declarations.
  const out = occurrences(ctx.analysis, hit.name).filter((o) => includeDeclaration || o.kind === 'read').map((o) => locationOf(ctx, o.file, o.span));
  return out.sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
