/** Document symbols for .env files: one variable per entry. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { documentSymbols as envSymbols } from '../../ide/symbols';
import { lineIndexOf, spanToRange, type FileContext } from './common';

export function documentSymbols(ctx: FileContext): DocumentSymbol[] {
  const symbols = envSymbols(ctx.analysis, ctx.rel);
  if (symbols.length === 0) return [];
  const idx = lineIndexOf(ctx.analysis, ctx.rel);
  return symbols.map((s) => ({
    name: s.name,
    detail: s.detail,
    kind: SymbolKind.Variable,
    range: spanToRange(idx, s.span),
    selectionRange: spanToRange(idx, s.nameSpan),
  }));
}
