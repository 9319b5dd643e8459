/**
 * Environment variable names in files of every kind: the name at an offset (a read's or a
 * write's name span), and every occurrence of a name across the workspace.
 */
import type { Analysis, ReadRef, WriteRef } from '../engine/analysis';
import type { EnvRead, EnvWrite, Span } from '../core/facts';

export type NameHit =
  | { name: string; file: string; span: Span; kind: 'read'; read: EnvRead; ref: ReadRef }
  | { name: string; file: string; span: Span; kind: 'write'; write: EnvWrite; ref?: WriteRef };

/** Where a name occurs: read by code, written by a deploy, or an entry of an env file. */
export interface Occurrence {
  name: string;
  file: string;
  /** The name itself. */
  span: Span;
  kind: 'read' | 'write' | 'env-file';
}

const inside = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The environment variable name at `offset` of `file`: a read's or a write's name span. */
export function nameAt(analysis: Analysis, file: string, offset: number): NameHit | undefined {
  const model = analysis.model();
  for (const ref of model.reads) {
    if (ref.file === file && inside(ref.read.nameSpan, offset)) return { name: ref.read.name, file, span: ref.read.nameSpan, kind: 'read', read: ref.read, ref };
  }
  for (const ref of model.writes) {
    if (ref.file === file && inside(ref.write.nameSpan, offset)) return { name: ref.write.name, file, span: ref.write.nameSpan, kind: 'write', write: ref.write, ref };
  }
  // Writes the model did not keep (a template .env): look at the file's own facts.
  const facts = model.files.get(file);
  const blocks = [...(facts?.envFile ? [facts.envFile] : []), ...(facts?.deploys.flatMap((d) => d.blocks) ?? [])];
  for (const b of blocks) for (const w of b.entries) {
    if (inside(w.nameSpan, offset)) return { name: w.name, file, span: w.nameSpan, kind: 'write', write: w };
  }
  return undefined;
}

/** Keeps each (file, offset) once: a write attached to two targets is one occurrence. */
class SpanSet {
  private readonly byFile = new Map<string, Set<number>>();
  /** Adds; false when it was there already. */
  add(file: string, start: number): boolean {
    const starts = this.byFile.get(file) ?? new Set<number>();
    this.byFile.set(file, starts);
    if (starts.has(start)) return false;
    starts.add(start);
    return true;
  }
}

/** Every read of `name`, then every write and env-file entry (each once). */
export function occurrences(analysis: Analysis, name: string): Occurrence[] {
  const model = analysis.model();
  const out: Occurrence[] = model.reads.filter((r) => r.read.name === name)
    .map((r) => ({ name, file: r.file, span: r.read.nameSpan, kind: 'read' as const }));
  const seen = new SpanSet();
  const add = (file: string, write: EnvWrite, fromEnvFile: boolean) => {
    if (seen.add(file, write.nameSpan.start)) out.push({ name, file, span: write.nameSpan, kind: fromEnvFile ? 'env-file' : 'write' });
  };
  for (const w of model.writes) if (w.write.name === name) add(w.file, w.write, w.block.mode === 'file');
  for (const t of model.targets) for (const w of t.writes.get(name) ?? []) add(w.file, w.write, w.block.mode === 'file');
  // Template env files (.env.example) are not in the model's writes but still hold the name.
  for (const [file, facts] of model.files) {
    for (const w of facts.envFile?.entries ?? []) if (w.name === name) add(file, w, true);
  }
  return out;
}

/** Where the variable at `offset` is defined: from a read, the writes of its service's deploy
 * targets (else any write of the name); from a write, the reads of its service (else every read). */
export function definitionTargets(analysis: Analysis, file: string, offset: number): { file: string; span: Span }[] | undefined {
  const hit = nameAt(analysis, file, offset);
  if (!hit) return undefined;
  const model = analysis.model();
  if (hit.kind === 'read') {
    const service = hit.ref.service?.name;
    const out: { file: string; span: Span }[] = [];
    const seen = new SpanSet();
    for (const t of model.targets) {
      if (service && t.service?.name !== service) continue;
      for (const w of t.writes.get(hit.name) ?? []) {
        if (seen.add(w.file, w.write.nameSpan.start)) out.push({ file: w.file, span: w.write.nameSpan });
      }
    }
    if (out.length === 0) {
      // No target of this service sets it: any write of the name is the best answer.
      for (const o of occurrences(analysis, hit.name)) if (o.kind !== 'read') out.push({ file: o.file, span: o.span });
    }
    return out;
  }
  const service = hit.ref?.target?.service?.name ?? hit.ref?.serviceName;
  const reads = model.reads.filter((r) => r.read.name === hit.name);
  const own = service ? reads.filter((r) => r.service?.name === service) : [];
  return (own.length ? own : reads).map((r) => ({ file: r.file, span: r.read.nameSpan }));
}
