/** Go to definition: from a read to where its service's deploy targets set it; from a write to its reads. */
import type { Location, Position } from 'vscode-languageserver';
import { definitionTargets } from '../../ide/names';
import { locationOf, offsetAt, type FileContext } from './common';

export function definition(ctx: FileContext, position: Position): Location[] | null {
  const offset = offsetAt(ctx, position);
  const targets = offset === undefined ? undefined : definitionTargets(ctx.analysis, ctx.rel, offset);
  return targets ? targets.map((t) => locationOf(ctx, t.file, t.span)) : null;
}
