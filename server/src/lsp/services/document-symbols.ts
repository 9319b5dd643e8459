/** Document symbols for .env files: one variable per entry. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { lineIndexOf, spanToRange, type FileContext } from './common';
import { describeValue } from './hover';

export function documentSymbols(ctx: FileContext): DocumentSymbol[] {
  const facts = ctx.ws.model().files.get(ctx.rel) ?? ctx.ws.files.get(ctx.rel)?.facts;
  if (!facts || facts.kind !== 'dotenv' || !facts.envFile) return [];
  const idx = lineIndexOf(ctx, ctx.rel);
  return facts.envFile.entries.map((e) => ({
    name: e.name,
    detail: describeValue(e),
    kind: SymbolKind.Variable,
    range: spanToRange(idx, e.span),
    selectionRange: spanToRange(idx, e.nameSpan),
  }));
}
