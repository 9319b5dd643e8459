/**
 * Rename an environment variable everywhere it is read or written; a refusal is answered with a
 * ResponseError whose message says why.
 */
import { ErrorCodes, ResponseError, type Position, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { checkRename, planRename, type RenameRefusal } from '../../ide/rename';
import { lineOf, offsetAt, rangeOf, type FileContext } from './common';

function refuse(ctx: FileContext, r: RenameRefusal): ResponseError<void> {
  switch (r.reason) {
    case 'invalid-name':
      return new ResponseError(ErrorCodes.InvalidRequest, `"${r.newName}" is not a valid environment variable name (letters, digits and _, not starting with a digit).`);
    case 'dynamic-read':
      return new ResponseError(ErrorCodes.InvalidRequest, `Cannot rename ${r.target ? 'to ' : ''}${r.name}: ${r.file}:${lineOf(ctx, r.file, r.span.start)} builds a variable name at runtime from "${r.prefix}…", which could also read ${r.name}; rename by hand there.`);
  }
}

export function prepareRename(ctx: FileContext, position: Position): { range: Range; placeholder: string } | null {
  const offset = offsetAt(ctx, position);
  const check = offset === undefined ? undefined : checkRename(ctx.analysis, ctx.rel, offset);
  if (!check) return null;
  if (check.status === 'refused') throw refuse(ctx, check.refusal);
  return { range: rangeOf(ctx, ctx.rel, check.span), placeholder: check.name };
}

export function rename(ctx: FileContext, position: Position, newName: string): WorkspaceEdit | null {
  const offset = offsetAt(ctx, position);
  const plan = offset === undefined ? undefined : planRename(ctx.analysis, ctx.rel, offset, newName);
  if (!plan) return null;
  if (plan.status === 'refused') throw refuse(ctx, plan.refusal);
  const changes: Record<string, TextEdit[]> = {};
  for (const e of plan.edits) (changes[ctx.uriOf(e.file)] ??= []).push({ range: rangeOf(ctx, e.file, e.span), newText: e.newText });
  return { changes };
}
