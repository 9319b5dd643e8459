/**
 * `--format html`: one self-contained page (no script, no external style, font or image) that
 * works offline, as a CI artifact or attached to a review: a summary, the deploy matrix
 * (variables × service/environment, cells coloured by their worst finding), then the findings
 * grouped by file with their other ends. Everything printed is escaped; values are never in the
 * data it gets (the matrix describes them, findings are redacted by their rules).
 */
import type { Finding, Notice } from '../../core/findings';
import type { CellState, MatrixData, MatrixCell } from '../../engine/analysis';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The short word a cell shows; the detail goes in its tooltip and below the word. */
export const CELL_LABELS: Record<CellState, string> = {
  literal: 'set',
  secret: 'secret',
  'env-file': 'env file',
  expression: 'expression',
  inherited: 'inherited',
  placeholder: 'placeholder',
  'code-default': 'default in code',
  platform: 'platform',
  missing: 'missing',
  unknown: 'unknown (partial deploy)',
};

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --head: #f6f8fa;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; --ok: #1a7f37; --error-bg: #ffebe9; --warning-bg: #fff8c5; --info-bg: #ddf4ff; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --head: #161b22;
  --error: #ff7b72; --warning: #d29922; --info: #58a6ff; --ok: #3fb950; --error-bg: #3c1618; --warning-bg: #341a00; --info-bg: #0c2d6b; } }
body { margin: 0 auto; padding: 24px; max-width: 1400px; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 18px 0 6px; font-family: ui-monospace, monospace; }
.muted { color: var(--muted); } code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
.summary { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 110px; } .stat b { display: block; font-size: 20px; }
.stat.error b { color: var(--error); } .stat.warning b { color: var(--warning); } .stat.info b { color: var(--info); }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table.matrix { border-collapse: collapse; width: 100%; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
.matrix thead th { background: var(--head); position: sticky; top: 0; }
.matrix th.var { white-space: nowrap; font-family: ui-monospace, monospace; font-size: 12.5px; }
.cell .label { font-weight: 600; } .cell .detail { display: block; color: var(--muted); font-size: 12px; }
.cell.s-missing .label, .cell.s-placeholder .label { color: var(--error); } .cell.s-unknown .label { color: var(--warning); }
.cell.s-secret .label { color: var(--ok); } .cell.empty { background: var(--head); }
.cell.sev-error { background: var(--error-bg); } .cell.sev-warning { background: var(--warning-bg); } .cell.sev-info { background: var(--info-bg); }
.badge { display: inline-block; border-radius: 10px; padding: 0 6px; margin: 2px 2px 0 0; font-size: 11px; border: 1px solid currentColor; }
.badge.error { color: var(--error); } .badge.warning { color: var(--warning); } .badge.info { color: var(--info); }
.req { font-size: 11px; color: var(--muted); font-weight: normal; }
ul.findings { list-style: none; padding: 0; margin: 0; } ul.findings > li { border-left: 3px solid var(--line); padding: 4px 10px; margin: 6px 0; }
ul.findings > li.error { border-color: var(--error); } ul.findings > li.warning { border-color: var(--warning); } ul.findings > li.info { border-color: var(--info); }
ul.related { margin: 2px 0 0; padding-left: 18px; color: var(--muted); }
.legend span { margin-right: 14px; }
`;

function cellHtml(cell: MatrixCell | undefined): string {
  if (!cell) return '<td class="cell empty"></td>';
  const where = cell.location ? `${cell.location.file}:${cell.location.start.line + 1}` : '';
  const badges = cell.findings.map((f) => `<span class="badge ${f.severity}" title="${esc(f.message)}">${esc(f.rule)}</span>`).join('');
  const title = [cell.detail, where, ...cell.findings.map((f) => `${f.severity}: ${f.message}`)].filter(Boolean).join('\n');
  return `<td class="cell s-${cell.state}${cell.severity ? ` sev-${cell.severity}` : ''}" title="${esc(title)}"><span class="label">${esc(CELL_LABELS[cell.state])}</span><span class="detail">${esc(cell.detail)}</span>${badges}</td>`;
}

function matrixHtml(m: MatrixData): string {
  if (m.columns.length === 0) return '<p class="muted">No deploy targets found.</p>';
  const services: { name: string; span: number }[] = [];
  for (const c of m.columns) {
    const last = services[services.length - 1];
    if (last?.name === c.service) last.span++;
    else services.push({ name: c.service, span: 1 });
  }
  const head1 = services.map((s) => `<th colspan="${s.span}">${esc(s.name)}</th>`).join('');
  const head2 = m.columns.map((c) => `<th title="${esc([...c.deploys.map((d) => `${d.via}: ${d.location.file}:${d.location.start.line + 1}`), ...c.partial].join('\n'))}">${esc(c.environment)}${c.partial.length ? ' <span class="req">(partial)</span>' : ''}</th>`).join('');
  const body = m.rows.map((r) => {
    const readers = r.readers.map((x) => `${x.service ?? '?'}: ${x.location.file}:${x.location.start.line + 1}${x.required ? ' (required)' : ''}`).join('\n');
    const rowBadges = r.findings.map((f) => `<span class="badge ${f.severity}" title="${esc(f.message)}">${esc(f.rule)}</span>`).join('');
    return `<tr><th class="var" scope="row" title="${esc(readers || 'not read by any deployed service')}">${esc(r.name)}${r.required ? ' <span class="req">required</span>' : ''}${rowBadges ? `<br>${rowBadges}` : ''}</th>${m.columns.map((c) => cellHtml(r.cells[c.key])).join('')}</tr>`;
  }).join('\n');
  return `<div class="scroll"><table class="matrix"><thead><tr><th rowspan="2">variable</th>${head1}</tr><tr>${head2}</tr></thead><tbody>\n${body}\n</tbody></table></div>
<p class="legend muted">${(Object.keys(CELL_LABELS) as CellState[]).map((s) => `<span><b>${esc(CELL_LABELS[s])}</b></span>`).join('')}— hover a cell for where it is set or read and its findings.</p>`;
}

function findingsHtml(findings: Finding[]): string {
  if (findings.length === 0) return '<p>✔ No problems found.</p>';
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  return [...byFile].map(([file, list]) => `<h3>${esc(file)}</h3><ul class="findings">${list.map((f) => `<li class="${f.severity}"><span class="mono muted">${f.range.start.line + 1}:${f.range.start.character + 1}</span> <b>${f.severity}</b> ${esc(f.message)} <span class="badge ${f.severity}">${esc(f.rule)}</span>${f.related.length ? `<ul class="related">${f.related.map((r) => `<li>↳ <span class="mono">${esc(r.file)}:${r.range.start.line + 1}</span> ${esc(r.message)}</li>`).join('')}</ul>` : ''}</li>`).join('')}</ul>`).join('\n');
}

export function formatHtml(matrix: MatrixData, findings: Finding[], notices: Notice[], title: string): string {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const s = matrix.summary;
  const stats = [
    ['error', count('error'), 'errors'], ['warning', count('warning'), 'warnings'], ['info', count('info'), 'info'],
    ['', s.services, 'services'], ['', s.environments.length, `environments (${s.environments.join(', ')})`], ['', s.variables, 'variables'],
    ['', s.cells.missing ?? 0, 'missing cells'], ['', s.cells.unknown ?? 0, 'unknown cells'],
  ] as const;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Deploy Preflight — ${esc(title)}</title><style>${STYLE}</style></head>
<body>
<h1>Deploy Preflight — ${esc(title)}</h1>
<p class="muted">Values are never shown: a literal is described by its length and character classes, a secret by its name and version.</p>
<div class="summary">${stats.map(([cls, n, label]) => `<div class="stat ${cls}"><b>${n}</b>${esc(label)}</div>`).join('')}</div>
<h2>Deploy matrix</h2>
${matrixHtml(matrix)}
<h2>Findings</h2>
${findingsHtml(findings)}
${notices.length ? `<h2>Notices</h2><ul>${notices.map((n) => `<li><span class="mono">${esc(n.file)}</span>: ${esc(n.message)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
