/** Hover on an environment variable name: ide/hover.ts's rows as a Markdown table. */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { hoverInfo, type HoverRow, type Place } from '../../ide/hover';
import { lineOf, offsetAt, rangeOf, type FileContext } from './common';

const MAX_ROWS = 12;
const MAX_REFS = 3;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function list(items: string[]): string {
  if (items.length === 0) return '—';
  const shown = items.slice(0, MAX_REFS).join(', ');
  return items.length > MAX_REFS ? `${shown} (+${items.length - MAX_REFS})` : shown;
}

export function hover(ctx: FileContext, position: Position): Hover | null {
  const offset = offsetAt(ctx, position);
  const info = offset === undefined ? undefined : hoverInfo(ctx.analysis, ctx.rel, offset);
  if (!info) return null;
  const where = (p: Place) => `${p.file}:${lineOf(ctx, p.file, p.span.start)}`;
  const setCell = (set: HoverRow['set']) =>
    set.kind === 'writes' ? list(set.writes.map((w) => `${where(w)} (${w.value})`)) : set.kind === 'not-set' ? '**not set**' : '**no deploy target**';
  const lines = [`**\`${info.name}\`** — environment variable`, ''];
  if (info.rows.length === 0) {
    lines.push('Not set by any deploy target and not read by any service.');
  } else {
    lines.push('| environment | service | set where | read where | default |', '|---|---|---|---|---|');
    for (const r of info.rows.slice(0, MAX_ROWS)) {
      const cells = [r.environment ?? '—', r.service ?? '—', setCell(r.set), list(r.reads.map(where)), r.requirement ?? '—'];
      lines.push(`| ${cells.map(cell).join(' | ')} |`);
    }
    if (info.rows.length > MAX_ROWS) lines.push('', `…and ${info.rows.length - MAX_ROWS} more`);
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
    range: rangeOf(ctx, ctx.rel, info.span),
  };
}
