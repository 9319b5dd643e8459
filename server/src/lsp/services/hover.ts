/**
 * Hover on an environment variable name in any file kind: where it is set per environment and
 * service (secret references by name, literal values only as a redacted shape) and where it is read.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { EnvWrite } from '../../core/facts';
import type { ReadRef, WriteRef } from '../../model/workspace-model';
import { redact } from '../../rules/shared/deploy-knowledge';
import { lineOf, nameAt, spanToRange, lineIndexOf, type FileContext } from './common';

const MAX_ROWS = 12;
const MAX_REFS = 3;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** What a write sets, without ever showing a literal value. */
export function describeValue(w: EnvWrite): string {
  const v = w.value;
  switch (v.kind) {
    case 'secret': return `secret \`${v.secret}${v.version ? `:${v.version}` : ''}\``;
    case 'literal': return redact(v.value);
    case 'dynamic': return 'set at deploy time';
    case 'inherited': return 'inherited from the shell';
    default: return 'set';
  }
}

function list(items: string[]): string {
  if (items.length === 0) return '—';
  const shown = items.slice(0, MAX_REFS).join(', ');
  return items.length > MAX_REFS ? `${shown} (+${items.length - MAX_REFS})` : shown;
}

export function hover(ctx: FileContext, position: Position): Hover | null {
  const hit = nameAt(ctx, position.line, position.character);
  if (!hit) return null;
  const model = ctx.ws.model();
  const name = hit.name;
  const where = (file: string, offset: number) => `${file}:${lineOf(ctx, file, offset)}`;
  const readsOf = (service: string | undefined): ReadRef[] =>
    (service ? model.readsByService.get(service) ?? [] : model.reads.filter((r) => !r.service)).filter((r) => r.read.name === name && !r.isTest);
  const requirement = (reads: ReadRef[]) =>
    reads.length === 0 ? '—' : reads.every((r) => r.read.hasDefault) ? 'has a default' : 'required';
  const setWhere = (writes: WriteRef[]) => list(writes.map((w) => `${where(w.file, w.write.nameSpan.start)} (${describeValue(w.write)})`));

  const rows: string[][] = [];
  const coveredServices = new Set<string>();
  for (const t of [...model.targets].sort((a, b) => a.environment.localeCompare(b.environment) || a.serviceName.localeCompare(b.serviceName))) {
    const writes = t.writes.get(name) ?? [];
    const reads = readsOf(t.service?.name);
    if (writes.length === 0 && reads.length === 0) continue;
    if (t.service) coveredServices.add(t.service.name);
    rows.push([t.environment, t.serviceName, writes.length ? setWhere(writes) : '**not set**', list(reads.map((r) => where(r.file, r.read.nameSpan.start))), requirement(reads)]);
  }
  // Writes outside any deploy target (a template .env, an unplaced deploy), by file.
  const loose = model.writes.filter((w) => !w.target && w.write.name === name);
  for (const w of loose) rows.push([w.environment ?? '—', w.serviceName ?? '—', setWhere([w]), '—', '—']);
  // Services that read it without any target of theirs.
  const readers = new Map<string, ReadRef[]>();
  for (const r of model.reads) {
    if (r.read.name !== name || r.isTest) continue;
    const key = r.service?.name ?? '—';
    if (r.service && coveredServices.has(r.service.name)) continue;
    readers.set(key, [...(readers.get(key) ?? []), r]);
  }
  for (const [service, reads] of readers) rows.push(['—', service, '**no deploy target**', list(reads.map((r) => where(r.file, r.read.nameSpan.start))), requirement(reads)]);

  const lines = [`**\`${name}\`** — environment variable`, ''];
  if (rows.length === 0) {
    lines.push('Not set by any deploy target and not read by any service.');
  } else {
    lines.push('| environment | service | set where | read where | default |', '|---|---|---|---|---|');
    for (const r of rows.slice(0, MAX_ROWS)) lines.push(`| ${r.map(cell).join(' | ')} |`);
    if (rows.length > MAX_ROWS) lines.push('', `…and ${rows.length - MAX_ROWS} more`);
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
    range: spanToRange(lineIndexOf(ctx, ctx.rel), hit.span),
  };
}
