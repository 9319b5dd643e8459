/**
 * What every feature service needs: the document's workspace, its relative path, and a way to
 * turn offsets of any file into LSP ranges. Services are pure functions over this context.
 */
import type { Range } from 'vscode-languageserver';
import type { Workspace } from '../../engine/workspace';
import { LineIndex } from '../../core/text-index';
import type { Span, EnvRead, EnvWrite } from '../../core/facts';
import type { WorkspaceModel, ReadRef, WriteRef } from '../../model/workspace-model';

export interface FileContext {
  ws: Workspace;
  /** Workspace-relative path of the document, with `/`. */
  rel: string;
  uriOf(rel: string): string;
  /** The current text of a file: the open buffer, else the disk; undefined when it does not exist. */
  textOf(rel: string): string | undefined;
}

/** The line index matching the text the facts of `rel` were extracted from (else the current text). */
export function lineIndexOf(ctx: FileContext, rel: string): LineIndex | undefined {
  const idx = ctx.ws.lineIndex(rel);
  if (idx) return idx;
  const text = ctx.textOf(rel);
  return text === undefined ? undefined : new LineIndex(text);
}

export function spanToRange(idx: LineIndex | undefined, span: Span): Range {
  if (!idx) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: idx.position(span.start), end: idx.position(span.end) };
}

export function offsetAt(ctx: FileContext, line: number, character: number): number | undefined {
  const idx = lineIndexOf(ctx, ctx.rel);
  return idx?.offset(line, character);
}

export type NameHit =
  | { name: string; span: Span; kind: 'read'; read: EnvRead; ref: ReadRef }
  | { name: string; span: Span; kind: 'write'; write: EnvWrite; ref?: WriteRef };

const inside = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The environment variable name under the cursor: a read's or a write's name span. */
export function nameAt(ctx: FileContext, line: number, character: number): NameHit | undefined {
  const offset = offsetAt(ctx, line, character);
  if (offset === undefined) return undefined;
  const model = ctx.ws.model();
  for (const ref of model.reads) {
    if (ref.file === ctx.rel && inside(ref.read.nameSpan, offset)) return { name: ref.read.name, span: ref.read.nameSpan, kind: 'read', read: ref.read, ref };
  }
  for (const ref of model.writes) {
    if (ref.file === ctx.rel && inside(ref.write.nameSpan, offset)) return { name: ref.write.name, span: ref.write.nameSpan, kind: 'write', write: ref.write, ref };
  }
  // Writes the model did not keep (a template .env): look at the file's own facts.
  const facts = model.files.get(ctx.rel);
  const blocks = [...(facts?.envFile ? [facts.envFile] : []), ...(facts?.deploys.flatMap((d) => d.blocks) ?? [])];
  for (const b of blocks) for (const w of b.entries) {
    if (inside(w.nameSpan, offset)) return { name: w.name, span: w.nameSpan, kind: 'write', write: w };
  }
  return undefined;
}

/** Every read and write of `name` (deduplicated: a write attached to two targets counts once). */
export function occurrences(model: WorkspaceModel, name: string): { reads: ReadRef[]; writes: { file: string; write: EnvWrite }[] } {
  const reads = model.reads.filter((r) => r.read.name === name);
  const seen = new Set<string>();
  const writes: { file: string; write: EnvWrite }[] = [];
  const add = (file: string, write: EnvWrite) => {
    const k = `${file}\0${write.nameSpan.start}`;
    if (seen.has(k)) return;
    seen.add(k);
    writes.push({ file, write });
  };
  for (const w of model.writes) if (w.write.name === name) add(w.file, w.write);
  for (const t of model.targets) for (const w of t.writes.get(name) ?? []) add(w.file, w.write);
  // Template env files (.env.example) are not in the model's writes but still hold the name.
  for (const [file, facts] of model.files) {
    for (const w of facts.envFile?.entries ?? []) if (w.name === name) add(file, w);
  }
  return { reads, writes };
}

export function lineOf(ctx: FileContext, file: string, offset: number): number {
  return (lineIndexOf(ctx, file)?.position(offset).line ?? 0) + 1;
}
