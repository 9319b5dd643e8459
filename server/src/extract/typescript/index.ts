/**
 * TypeScript / JavaScript service code: env reads, secret-manager gates, enums, state accessors,
 * enum comparisons, node-postgres drivers and Postgres URL literals.
 *
 * Parsing uses the compiler API bundled with ts-morph (`ts.createSourceFile`) and one walk over
 * the raw compiler nodes with `ts.forEachChild`; no ts-morph wrappers and no type checker (the
 * checker is asked later, lazily, about candidates only). Offsets from `ts` are UTF-16 string
 * indices, like every span in the facts; starts come from `getStart(sf)` (no leading trivia).
 *
 * Conventions chosen here (consumers rely on them):
 * - EnvRead.span is the access itself (`process.env.X`, `process.env["X"]`, `Deno.env.get("X")`,
 *   a configured accessor call, the `'X' in process.env` expression, a destructuring element);
 *   nameSpan is the identifier or the string's content.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { FileFacts } from '../../core/facts';
import type { ExtractOptions } from '../options';
import { isTestPath } from '../../knowledge/test-paths';
import { mayHoldTypeScriptFacts } from './prefilter';
import { Walker } from './walk';

export { mayHoldTypeScriptFacts };

export function scriptKindFor(file: string): ts.ScriptKind {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (lower.endsWith('.js') || lower.endsWith('.mjs') || lower.endsWith('.cjs')) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function extractTypeScript(file: string, text: string, facts: FileFacts, options: ExtractOptions): void {
  if (isTestPath(file)) facts.isTest = true;
  if (!mayHoldTypeScriptFacts(text, options)) return;
  try {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindFor(file));
    new Walker(sf, text, facts, options).run();
  } catch (err) {
    const message = err instanceof RangeError ? 'file is nested too deeply to analyse' : `could not analyse this file: ${(err as Error).message}`;
    facts.problems.push({ message });
  }
}
