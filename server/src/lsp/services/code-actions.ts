/**
 * Code actions: each finding's fixes and "disable for this line / file" (ide/code-actions.ts) as
 * quick fixes, and `source.fixAll.deployPreflight` (the engine's fix plan for the document).
 */
import {
  CodeActionKind, OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, CreateFile,
  type CodeAction, type CodeActionParams, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { FileEdit } from '../../core/edits';
import { LineIndex } from '../../core/text-index';
import { fixAllEdits, quickFixes } from '../../ide/code-actions';
import { lineIndexOf, spanToRange, type FileContext } from './common';
import { SOURCE, type DiagnosticData } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.deployPreflight`;

/** Turns file edits into a workspace edit (`changes`, or `documentChanges` when a file must be created). */
export function toWorkspaceEdit(ctx: Omit<FileContext, 'rel'>, edits: FileEdit[]): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  const missing = new Set<string>();
  for (const e of edits) {
    const exists = ctx.analysis.textOf(e.file) !== undefined || ctx.analysis.has(e.file);
    if (!exists) missing.add(e.file);
    const idx = exists ? lineIndexOf(ctx.analysis, e.file) : new LineIndex('');
    const list = byFile.get(e.file) ?? [];
    list.push({ range: spanToRange(idx, e.span), newText: e.newText });
    byFile.set(e.file, list);
  }
  if (missing.size === 0) {
    const changes: Record<string, TextEdit[]> = {};
    for (const [file, list] of byFile) changes[ctx.uriOf(file)] = list;
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const [file, list] of byFile) {
    const uri = ctx.uriOf(file);
    if (missing.has(file)) documentChanges.push(CreateFile.create(uri, { ignoreIfExists: true }));
    documentChanges.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, null), list));
  }
  return { documentChanges };
}

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function codeActions(ctx: FileContext, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const out: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const fp = (diagnostic.data as DiagnosticData | undefined)?.fingerprint;
      if (!fp) continue;
      for (const q of quickFixes(ctx.analysis, ctx.rel, fp)) {
        out.push({
          title: q.title,
          kind: CodeActionKind.QuickFix,
          ...(q.kind === 'fix' ? { isPreferred: q.preferred === true } : {}),
          diagnostics: [diagnostic],
          edit: toWorkspaceEdit(ctx, q.edits),
        });
      }
    }
  }
  // Fix-all is a source action: only when asked for (on save, or the source action menu).
  if (only && wants(only, FIX_ALL_KIND) && only.some((o) => o !== CodeActionKind.QuickFix)) {
    const edits = fixAllEdits(ctx.analysis, ctx.rel);
    if (edits.length) {
      out.push({ title: 'Deploy Preflight: fix all safe problems', kind: FIX_ALL_KIND, edit: toWorkspaceEdit(ctx, edits) });
    }
  }
  return out;
}
