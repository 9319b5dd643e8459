// Deploy Matrix webview: draws the server's deployPreflight/matrix answer. Plain DOM (text goes in
// through textContent only), keyboard navigable as a grid (arrows, Home/End, Enter opens), no
// inline handlers: this file is the page's one nonce'd script.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const saved = vscode.getState() || {};
  const filters = { service: saved.service || '', env: saved.env || '', problems: !!saved.problems, text: saved.text || '' };
  let result = { folders: [] };
  const $ = (id) => document.getElementById(id);
  const LABELS = {
    literal: 'set', secret: 'secret', 'env-file': 'env file', expression: 'expression', inherited: 'inherited',
    placeholder: 'placeholder', 'code-default': 'default in code', platform: 'platform', missing: 'missing', unknown: 'unknown (partial)',
  };
  const PROBLEM_STATES = new Set(['missing', 'placeholder']);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c) e.appendChild(c);
    return e;
  }

  function where(l) {
    if (!l) return '';
    const file = decodeURIComponent(l.uri.split('/').slice(-3).join('/'));
    return `${file}:${l.range.start.line + 1}`;
  }

  function badge(f) {
    const b = el('button', { type: 'button', class: `badge ${f.severity}`, title: f.message, 'aria-label': `${f.severity} ${f.rule}: ${f.message}`, text: f.rule, tabindex: -1 });
    b.dataset.open = JSON.stringify(f.location);
    return b;
  }

  function fillSelect(select, values, current) {
    while (select.options.length > 1) select.remove(1);
    for (const v of values) select.appendChild(el('option', { value: v, text: v }));
    select.value = values.includes(current) ? current : '';
  }

  function visibleColumns(folder) {
    return folder.columns.filter((c) => (!filters.service || c.service === filters.service) && (!filters.env || c.environment === filters.env));
  }

  function hasProblem(row, cols) {
    if (row.findings.length) return true;
    return cols.some((c) => { const x = row.cells[c.key]; return x && (x.findings.length > 0 || PROBLEM_STATES.has(x.state)); });
  }

  function render() {
    const root = $('matrix');
    root.textContent = '';
    let shownRows = 0;
    let problems = 0;
    for (const folder of result.folders) {
      const cols = visibleColumns(folder);
      const rows = folder.rows.filter((r) => (!filters.text || r.name.toLowerCase().includes(filters.text.toLowerCase())) && (!filters.problems || hasProblem(r, cols)) && cols.some((c) => r.cells[c.key]));
      shownRows += rows.length;
      if (result.folders.length > 1) root.appendChild(el('h2', { text: folder.name }));
      if (folder.indexing) root.appendChild(el('p', { class: 'muted', text: 'Indexing… the matrix is incomplete.' }));
      if (cols.length === 0 || rows.length === 0) { root.appendChild(el('p', { class: 'muted', text: 'Nothing matches the filters.' })); continue; }
      const table = el('table', { class: 'matrix', role: 'grid', 'aria-label': `Deploy matrix of ${folder.name}` });
      const groups = [];
      for (const c of cols) { const g = groups[groups.length - 1]; if (g && g.name === c.service) g.span++; else groups.push({ name: c.service, span: 1 }); }
      const h1 = el('tr', {}, el('th', { rowspan: 2, scope: 'col', text: 'variable' }));
      for (const g of groups) h1.appendChild(el('th', { colspan: g.span, scope: 'colgroup', text: g.name }));
      const h2 = el('tr');
      for (const c of cols) {
        const th = el('th', { scope: 'col', title: [...c.deploys.map((d) => `${d.via}: ${where(d.location)}`), ...c.partial].join('\n'), text: c.environment });
        if (c.partial.length) th.appendChild(el('span', { class: 'tag', text: ' partial' }));
        h2.appendChild(th);
      }
      table.appendChild(el('thead', {}, h1, h2));
      const body = el('tbody');
      rows.forEach((r, ri) => {
        const tr = el('tr', { 'data-row': ri });
        const th = el('th', { scope: 'row', class: 'var', role: 'rowheader', title: r.readers.map((x) => `${x.service || '?'}: ${where(x.location)}${x.required ? ' (required)' : ''}`).join('\n') || 'not read by a deployed service' });
        th.appendChild(el('span', { class: 'name', text: r.name }));
        if (r.required) th.appendChild(el('span', { class: 'tag', text: ' required' }));
        for (const f of r.findings) th.appendChild(badge(f));
        tr.appendChild(th);
        for (const c of cols) {
          const x = r.cells[c.key];
          if (!x) { tr.appendChild(el('td', { class: 'cell empty', role: 'gridcell', tabindex: -1, 'aria-label': `${r.name}, ${c.service} ${c.environment}: not used` })); continue; }
          if (x.findings.length) problems++;
          const td = el('td', {
            class: `cell s-${x.state}${x.severity ? ` sev-${x.severity}` : ''}`, role: 'gridcell', tabindex: -1,
            title: [x.detail, where(x.location), ...x.findings.map((f) => `${f.severity}: ${f.message}`)].filter(Boolean).join('\n'),
            'aria-label': `${r.name}, ${c.service} ${c.environment}: ${LABELS[x.state]}, ${x.detail}${x.findings.length ? `, ${x.findings.length} finding${x.findings.length > 1 ? 's' : ''}` : ''}`,
          });
          if (x.location) td.dataset.open = JSON.stringify(x.location);
          td.appendChild(el('span', { class: 'label', text: LABELS[x.state] || x.state }));
          td.appendChild(el('span', { class: 'detail', text: x.detail }));
          for (const f of x.findings) td.appendChild(badge(f));
          tr.appendChild(td);
        }
        body.appendChild(tr);
      });
      table.appendChild(body);
      root.appendChild(el('div', { class: 'scroll' }, table));
    }
    const first = root.querySelector('[role=gridcell]');
    if (first) first.setAttribute('tabindex', '0');
    $('status').textContent = `${shownRows} variable${shownRows === 1 ? '' : 's'}, ${problems} cell${problems === 1 ? '' : 's'} with findings`;
  }

  function populate() {
    const services = [...new Set(result.folders.flatMap((f) => f.columns.map((c) => c.service)))].sort();
    const envs = [...new Set(result.folders.flatMap((f) => f.columns.map((c) => c.environment)))];
    fillSelect($('f-service'), services, filters.service);
    fillSelect($('f-env'), envs, filters.env);
    filters.service = $('f-service').value;
    filters.env = $('f-env').value;
  }

  function saveFilters() {
    vscode.setState(filters);
    render();
  }

  $('f-problems').checked = filters.problems;
  $('f-text').value = filters.text;
  $('f-service').addEventListener('change', (e) => { filters.service = e.target.value; saveFilters(); });
  $('f-env').addEventListener('change', (e) => { filters.env = e.target.value; saveFilters(); });
  $('f-problems').addEventListener('change', (e) => { filters.problems = e.target.checked; saveFilters(); });
  $('f-text').addEventListener('input', (e) => { filters.text = e.target.value; saveFilters(); });
  $('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));

  // Click or Enter/Space: open where the value is set (or read), or the finding a badge shows.
  function open(target) {
    const holder = target.closest('[data-open]');
    if (holder) vscode.postMessage({ type: 'open', location: JSON.parse(holder.dataset.open) });
  }
  $('matrix').addEventListener('click', (e) => open(e.target));

  // Grid navigation with a roving tabindex.
  $('matrix').addEventListener('keydown', (e) => {
    const cell = e.target.closest('[role=gridcell]') || e.target.closest('td');
    if (!cell) return;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(e.target); return; }
    const row = cell.parentElement;
    const cells = [...row.querySelectorAll('[role=gridcell]')];
    const i = cells.indexOf(cell);
    let next;
    if (e.key === 'ArrowRight') next = cells[i + 1];
    else if (e.key === 'ArrowLeft') next = cells[i - 1];
    else if (e.key === 'Home') next = cells[0];
    else if (e.key === 'End') next = cells[cells.length - 1];
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const other = e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      next = other && other.querySelectorAll('[role=gridcell]')[i];
    }
    if (!next) return;
    e.preventDefault();
    cell.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    next.focus();
  });

  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m.type === 'matrix') { result = m.result; populate(); render(); }
    else if (m.type === 'error') $('status').textContent = m.message;
  });
  vscode.postMessage({ type: 'ready' });
})();
