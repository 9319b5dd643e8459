/** Document symbols of .env files: one variable per entry, its value described (never shown). */
import type { Analysis } from '../engine/analysis';
import type { Span } from '../core/facts';
import { describeValue } from './hover';

export interface EnvSymbol {
  name: string;
  detail: string;
  /** The whole entry. */
  span: Span;
  nameSpan: Span;
}

export function documentSymbols(analysis: Analysis, file: string): EnvSymbol[] {
  const facts = analysis.facts(file);
  if (!facts || facts.kind !== 'dotenv' || !facts.envFile) return [];
  return facts.envFile.entries.map((e) => ({ name: e.name, detail: describeValue(e), span: e.span, nameSpan: e.nameSpan }));
}
