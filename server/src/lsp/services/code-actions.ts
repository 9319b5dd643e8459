/**
 * Code actions: each finding's fixes as quick fixes, "disable for this line / file" actions that
 * insert a suppression comment, and `source.fixAll.deployPreflight` (every safe fix of a document).
 */
import {
  CodeActionKind, OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, CreateFile,
  type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding } from '../../core/findings';
import type { FileEdit, Fix } from '../../core/edits';
import { classify } from '../../extract/classify';
import { UNUSED_SUPPRESSION } from '../../rules/registry';
import { lineIndexOf, spanToRange, type FileContext } from './common';
import { SOURCE, type DiagnosticData } from './diagnostics';
import { LineIndex } from '../../core/text-index';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.deployPreflight`;

/** Turns file edits into a workspace edit (`changes`, or `documentChanges` when a file must be created). */
export function toWorkspaceEdit(ctx: FileContext, edits: FileEdit[]): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  const missing = new Set<string>();
  for (const e of edits) {
    const exists = ctx.textOf(e.file) !== undefined || ctx.ws.files.has(e.file);
    if (!exists) missing.add(e.file);
    const idx = exists ? lineIndexOf(ctx, e.file) : new LineIndex('');
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

function commentPrefix(rel: string): string {
  return classify(rel) === 'typescript' ? '//' : '#';
}

function disableLine(ctx: FileContext, rule: string, line: number, diagnostic: Diagnostic): CodeAction | undefined {
  const text = ctx.textOf(ctx.rel);
  if (text === undefined) return undefined;
  const idx = new LineIndex(text);
  if (line >= idx.starts.length) return undefined;
  const start = idx.starts[line];
  const end = line + 1 < idx.starts.length ? idx.starts[line + 1] : text.length;
  const lineText = text.slice(start, end).replace(/\r?\n$/, '');
  const kind = classify(ctx.rel);
  // A comment line inside a continued shell command would end the command: no line action there.
  if (kind === 'shell' && line > 0) {
    const prev = text.slice(idx.starts[line - 1], start).replace(/\r?\n$/, '');
    if (/\\$/.test(prev)) return undefined;
  }
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Disable ${rule} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [ctx.uriOf(ctx.rel)]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${commentPrefix(ctx.rel)} deploy-preflight-disable-next-line ${rule}${eol}` }] } },
  };
}

function disableFile(ctx: FileContext, rule: string, diagnostic: Diagnostic): CodeAction | undefined {
  const text = ctx.textOf(ctx.rel);
  if (text === undefined) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let line = 0;
  if (text.startsWith('#!')) line = 1;
  const comment = `${commentPrefix(ctx.rel)} deploy-preflight-disable ${rule}${eol}`;
  // A file of one shebang line without a newline: put the comment on a new line after it.
  const atEnd = line === 1 && !text.includes('\n');
  const pos = atEnd ? { line: 0, character: text.length } : { line, character: 0 };
  return {
    title: `Disable ${rule} for this file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [ctx.uriOf(ctx.rel)]: [{ range: { start: pos, end: pos }, newText: atEnd ? `${eol}${comment}` : comment }] } },
  };
}

/** The safe fixes of `findings`, without two fixes whose edits overlap (a fix goes in whole or not at all). */
export function safeFixEdits(findings: Finding[]): { edits: FileEdit[]; fixes: Fix[] } {
  const taken: FileEdit[] = [];
  const fixes: Fix[] = [];
  const overlaps = (a: FileEdit, b: FileEdit) =>
    a.file === b.file && (a.span.start < b.span.end && b.span.start < a.span.end ||
      (a.span.start === a.span.end && a.span.start === b.span.start && b.span.start === b.span.end && a.newText !== b.newText) ||
      (a.span.start === a.span.end && b.span.start < a.span.start && a.span.start < b.span.end) ||
      (b.span.start === b.span.end && a.span.start < b.span.start && b.span.start < a.span.end));
  const same = (a: FileEdit, b: FileEdit) => a.file === b.file && a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safe && x.preferred) ?? f.fixes.find((x) => x.safe);
    if (!fix || fix.edits.length === 0) continue;
    const fresh = fix.edits.filter((e) => !taken.some((t) => same(t, e)));
    if (fresh.some((e) => taken.some((t) => overlaps(t, e)))) continue;
    taken.push(...fresh);
    fixes.push(fix);
  }
  return { edits: taken, fixes };
}

export function codeActions(ctx: FileContext, findings: Finding[], params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const out: CodeAction[] = [];
  const byFingerprint = new Map(findings.map((f) => [f.fingerprint, f]));
  if (wants(only, CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const fp = (diagnostic.data as DiagnosticData | undefined)?.fingerprint;
      const finding = fp ? byFingerprint.get(fp) : undefined;
      if (!finding || finding.file !== ctx.rel) continue;
      for (const fix of finding.fixes) {
        out.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: fix.preferred === true,
          diagnostics: [diagnostic],
          edit: toWorkspaceEdit(ctx, fix.edits),
        });
      }
      if (finding.rule === UNUSED_SUPPRESSION.id) continue;
      const line = disableLine(ctx, finding.rule, finding.range.start.line, diagnostic);
      if (line) out.push(line);
      const file = disableFile(ctx, finding.rule, diagnostic);
      if (file) out.push(file);
    }
  }
  // Fix-all is a source action: only when asked for (on save, or the source action menu).
  if (only && wants(only, FIX_ALL_KIND) && only.some((o) => o !== CodeActionKind.QuickFix)) {
    const mine = findings.filter((f) => f.file === ctx.rel);
    const { edits } = safeFixEdits(mine);
    if (edits.length) {
      out.push({ title: 'Deploy Preflight: fix all safe problems', kind: FIX_ALL_KIND, edit: toWorkspaceEdit(ctx, edits) });
    }
  }
  return out;
}
