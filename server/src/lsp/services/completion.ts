/** Completion of variable names the linked service reads and the deploy target or .env file lacks. */
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import { completions } from '../../ide/completion';
import { lineOf, offsetAt, type FileContext } from './common';

export function completion(ctx: FileContext, position: Position): CompletionItem[] {
  const offset = offsetAt(ctx, position);
  if (offset === undefined) return [];
  return completions(ctx.analysis, ctx.rel, offset).map((e) => ({
    label: e.name,
    kind: CompletionItemKind.Variable,
    detail: `read by ${e.readAt.file}:${lineOf(ctx, e.readAt.file, e.readAt.span.start)}`,
    documentation: e.required ? 'Read without a default: required.' : 'Read with a default.',
    sortText: `${e.required ? '0' : '1'}${e.name}`,
    insertText: e.insertText,
  }));
}
