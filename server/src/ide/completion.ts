/**
 * Completion of variable names in .env files (at a line's key) and inside deploy env blocks:
 * the names the linked service's code reads that the deploy target (or the file) does not set yet.
 */
import type { Analysis, DeployTarget, ReadRef, Service } from '../engine/analysis';
import type { Span } from '../core/facts';
import { LineIndex } from '../core/text-index';

export interface CompletionEntry {
  name: string;
  /** Some read has no default. */
  required: boolean;
  /** The read to show (a required one when there is one). */
  readAt: { file: string; span: Span };
  insertText: string;
}

function entries(reads: ReadRef[], isSet: (name: string) => boolean, dotenv: boolean): CompletionEntry[] {
  const byName = new Map<string, ReadRef[]>();
  for (const r of reads) {
    if (r.isTest || r.read.devOnly || isSet(r.read.name)) continue;
    byName.set(r.read.name, [...(byName.get(r.read.name) ?? []), r]);
  }
  return [...byName].map(([name, refs]) => {
    const first = refs.find((r) => !r.read.hasDefault) ?? refs[0];
    return {
      name,
      required: refs.some((r) => !r.read.hasDefault),
      readAt: { file: first.file, span: first.read.nameSpan },
      insertText: dotenv ? `${name}=` : name,
    };
  });
}

export function completions(analysis: Analysis, file: string, offset: number): CompletionEntry[] {
  const model = analysis.model();
  const facts = model.files.get(file);
  if (!facts) return [];
  const readsOf = (s: Service | undefined) => (s ? model.readsByService.get(s.name) ?? [] : []);
  if (facts.kind === 'dotenv') {
    // Only at the key position of a line.
    const text = analysis.textOf(file) ?? '';
    const idx = new LineIndex(text);
    const before = text.slice(idx.starts[idx.position(offset).line], offset).replace(/\r?\n$/, '');
    if (!/^\s*(export\s+)?[A-Za-z0-9_]*$/.test(before)) return [];
    const own = new Set((facts.envFile?.entries ?? []).map((e) => e.name));
    const targets = model.targets.filter((t) => t.envFiles.some((f) => f.file === file));
    if (targets.length) {
      const out = new Map<string, CompletionEntry>();
      for (const t of targets) for (const e of entries(readsOf(t.service), (n) => own.has(n) || t.writes.has(n), true)) out.set(e.name, e);
      return [...out.values()];
    }
    return entries(readsOf(model.services.ownerOf(file)), (n) => own.has(n), true);
  }
  for (const deploy of facts.deploys) {
    const block = deploy.blocks.find((b) => b.span.start <= offset && offset <= b.span.end);
    if (!block) continue;
    const target: DeployTarget | undefined = model.targets.find((t) => t.deploys.some((d) => d.file === file && d.deploy.span.start === deploy.span.start));
    const setHere = new Set(deploy.blocks.flatMap((b) => b.entries.map((e) => e.name)));
    return entries(readsOf(target?.service), (n) => setHere.has(n) || !!target?.writes.has(n), false);
  }
  return [];
}
