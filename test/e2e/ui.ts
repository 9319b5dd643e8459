/**
 * UI suite: what a person sees in the code-server workbench (VS Code 1.139) with the packaged
 * extension, on a copy of examples/staging-audit. Every step waits on a condition (DOM text, file
 * on disk) with a deadline, saves test/e2e/artifacts/<n>-<step>.png, and on a miss fails with what
 * was expected, what was seen and the screenshot's path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS, secs, waitFor } from './harness';

const DEPLOY_FILE = 'scripts/deploy_to_gcp.py';
const CODE_FILE = 'services/backend/app/config/secrets.py';
const FIX_TEXT = '"GCP_PROJECT_ID": self.project_id,';

/** EXPECTED.md's findings by rule and file, as the Problems table shows them (file, rule code). */
const CONTRACT: [string, string][] = [
  ['scripts/deploy_to_gcp.py', 'gcp-project-id-unwired'],
  ['cloudbuild-production.yaml', 'gcp-project-id-unwired'],
  ['services/backend/app/config/secrets.py', 'secret-manager-gate'],
  ['services/auth/src/config.ts', 'secret-manager-gate'],
  // Each problem once, where the fix goes (the deploy); the code's read is related.
  ['scripts/deploy_to_gcp.py', 'oauth-env-mismatch'],
  ['scripts/deploy_to_gcp.py', 'env-unset-for-deploy'],
  ['.github/workflows/deploy-worker.yml', 'env-unset-for-deploy'],
  ['deploy/deploy-auth-staging.sh', 'jwt-secret-divergence'],
  ['services/backend/.env.staging', 'placeholder-secret'],
  ['deploy/backend-production.yaml', 'cloudsql-socket-ssl'],
  ['scripts/deploy_to_gcp.py', 'db-ssl-param-driver'],
  ['services/backend/app/resilience/circuit_breaker.py', 'getter-enum-mismatch'],
  ['services/auth/src/health.ts', 'getter-enum-mismatch'],
];

export interface CliFinding {
  rule: string;
  severity: string;
  file: string;
  message: string;
  range: { start: { line: number; column: number } };
  fixes: { title: string }[];
}

interface ProblemRow {
  index: number;
  total: number;
  severity: string;
  source: string;
  code: string;
  message: string;
  file: string;
  position: string;
}
const showRow = (r: ProblemRow) => `${r.code} ${r.file} ${r.position} "${r.message.slice(0, 90)}"`;

/** The deploy-side finding of the disagreement the quick fix settles, and its code-side ends. */
const deploySide = (r: ProblemRow) => r.code === 'gcp-project-id-unwired' && r.file === DEPLOY_FILE;
const codeSide = (r: ProblemRow) => r.file === CODE_FILE &&
  (r.code === 'gcp-project-id-unwired' || (r.code === 'secret-manager-gate' && /backend \(staging\)/.test(r.message)));

/**
 * Steps whose screenshots illustrate client/README.md (images/screenshots/<step>.png), each
 * cropped to the workbench part that shows the point (what floats over it — the quick-fix menu,
 * the hover — is painted in that area too), which keeps each PNG small for the Marketplace page.
 */
const README_SHOTS: Record<string, string> = {
  problems: '.part.panel',
  'quick-fix-menu': '.part.editor',
  hover: '.part.editor',
  // (taken inside the step, before its filters narrow the table)
  'deploy-matrix': '.part.editor',
};
/** The Marketplace shows them from GitHub; larger files only slow the page down. */
const README_SHOT_MAX_BYTES = 300 * 1024;
const SCREENSHOTS = path.join(ARTIFACTS, '..', '..', '..', 'images', 'screenshots');

const normalize = (s: string) => s.replace(/\u00a0/g, ' ');

export async function runUiSuite(page: Page, opts: { url: string; ws: string; codeServerLog: string; cli: CliFinding[] }): Promise<void> {
  let n = 0;
  const t0 = Date.now();
  // The quick fix's real title, as the engine words it (the CLI's JSON of the same workspace).
  const FIX_TITLE = opts.cli.find((f) => f.rule === 'gcp-project-id-unwired' && f.file === DEPLOY_FILE)?.fixes[0]?.title ?? '';
  if (!/^Add GCP_PROJECT_ID=\S+ to backend \(staging\)/.test(FIX_TITLE)) {
    throw new Error(`expected the CLI to offer "Add GCP_PROJECT_ID=… to backend (staging)" for ${DEPLOY_FILE}; seen ${JSON.stringify(FIX_TITLE)}`);
  }
  /** One step: run it, then screenshot; on failure screenshot and rethrow with the path. */
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    n++;
    const shot = path.join(ARTIFACTS, `${String(n).padStart(2, '0')}-${name}.png`);
    const t = Date.now();
    try {
      await fn();
    } catch (err) {
      const failed = shot.replace(/\.png$/, '-FAILED.png');
      await page.screenshot({ path: failed }).catch(() => undefined);
      throw new Error(`step ${n} "${name}": ${(err as Error).message}\n  screenshot: ${failed}\n  code-server log: ${opts.codeServerLog}`);
    }
    await page.screenshot({ path: shot });
    if (name !== 'deploy-matrix') await readmeShot(name);
    console.log(`  ✓ ${n}. ${name} (${secs(Date.now() - t)}) → ${path.relative(process.cwd(), shot)}`);
  }

  /** The Marketplace README's screenshot of a step (E2E_UPDATE_SCREENSHOTS=1 refreshes them). */
  async function readmeShot(name: string): Promise<void> {
    if (!process.env.E2E_UPDATE_SCREENSHOTS || !README_SHOTS[name]) return;
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const dest = path.join(SCREENSHOTS, `${name}.png`);
    await page.locator(README_SHOTS[name]).first().screenshot({ path: dest });
    const size = fs.statSync(dest).size;
    if (size > README_SHOT_MAX_BYTES) throw new Error(`${dest} is ${Math.round(size / 1024)} KB, over ${README_SHOT_MAX_BYTES / 1024} KB`);
  }

  const workbench = page.locator('.monaco-workbench');
  const problemsPanel = page.locator('.markers-panel');

  /**
   * Every row of the Problems table (it is virtualized: scrolls through it and back), as
   * rule code, message, workspace-relative file and [Ln, Col].
   */
  async function problemRows(): Promise<ProblemRow[]> {
    const read = () => problemsPanel.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => ({
      index: Number(e.getAttribute('data-index')),
      total: Number(e.getAttribute('aria-setsize')),
      severity: e.querySelector('.marker-icon')?.getAttribute('title') ?? '',
      source: e.querySelector('.source')?.getAttribute('title') ?? '',
      code: /\(([^()]*)\)$/.exec(e.querySelector('.code')?.getAttribute('title') ?? '')?.[1] ?? '',
      message: e.querySelector('.message')?.getAttribute('title') ?? '',
      file: e.querySelector('.file')?.getAttribute('title') ?? '',
      position: e.querySelector('.file-position')?.textContent ?? '',
    })));
    const byIndex = new Map<number, ProblemRow>();
    let total = 0;
    const box = await problemsPanel.boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 50; i++) {
      const rows = await read();
      for (const r of rows) byIndex.set(r.index, r);
      total = rows[0]?.total ?? 0;
      if (byIndex.size >= total) break;
      await page.mouse.wheel(0, 400);
      await page.waitForFunction(() => true); // yield a frame for the list to render
    }
    for (let i = 0; i < 20 && (await read()).every((r) => r.index !== 0) && total > 0; i++) await page.mouse.wheel(0, -4000);
    const root = `${opts.ws}/`;
    return [...byIndex.values()].sort((a, b) => a.index - b.index).map((r) => ({
      ...r,
      file: r.file.replace(/ \[Ln \d+, Col \d+\]$/, '').replace(root, ''),
      message: normalize(r.message),
    }));
  }
  const quickInput = page.locator('.quick-input-widget');
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();

  async function visibleText(l: Locator): Promise<string> {
    return (await l.isVisible()) ? normalize(await l.innerText({ timeout: 2000 })) : '(not visible)';
  }

  /** Clicks a panel title action by its tooltip ("Maximize Panel" / "Restore Panel"). */
  async function panelAction(label: string): Promise<void> {
    const button = page.locator(`.part.panel a.action-label[aria-label*="${label}"]`).first();
    await waitFor(`the panel's "${label}" button`, async () => ({
      ok: await button.isVisible(),
      seen: `panel actions: ${(await page.locator('.part.panel a.action-label[aria-label]').evaluateAll((l) => l.map((e) => e.getAttribute('aria-label')))).join(', ')}`,
    }), 10_000);
    await button.click();
  }

  async function showProblems(): Promise<void> {
    if (!(await problemsPanel.isVisible())) await page.keyboard.press('Control+Shift+M');
    await waitFor('the Problems panel', async () => ({ ok: await problemsPanel.isVisible(), seen: 'not visible' }), 10_000);
  }

  /**
   * Opens a file through quick open and waits for its tab to be the active one. A click on a
   * quick-open row can be swallowed while the list re-renders (seen in CI: the palette closed
   * and the previous tab stayed active), so Enter opens the row when it has the focus, and the
   * open is tried up to three times; each retry is printed, and the last miss fails with what
   * was seen.
   */
  async function openFile(rel: string): Promise<void> {
    const base = path.basename(rel);
    const dir = path.dirname(rel);
    const tab = page.locator('.tabs-container .tab.active', { hasText: base });
    const attempts = 3;
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+P');
      await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.type(rel);
      const row = quickInput.locator('.monaco-list-row', { hasText: base }).filter({ hasText: dir }).first();
      await waitFor(`"${rel}" in quick open`, async () => ({ ok: await row.isVisible(), seen: await visibleText(quickInput) }), 20_000);
      // Enter on the focused row when it is the file: a keypress is not lost to a re-render as a click can be.
      const focused = quickInput.locator('.monaco-list-row.focused', { hasText: base }).filter({ hasText: dir }).first();
      if (await focused.isVisible()) await page.keyboard.press('Enter');
      else await row.click();
      await quickInput.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => page.keyboard.press('Escape'));
      try {
        await waitFor(`an active editor tab "${base}"`, async () => ({ ok: await tab.isVisible(), seen: await visibleText(page.locator('.tabs-container').first()) }), attempt < attempts ? 8_000 : 15_000);
        break;
      } catch (err) {
        if (attempt >= attempts) throw err;
        console.log(`    note: quick open of ${rel} left another tab active (attempt ${attempt} of ${attempts}); trying again`);
      }
    }
    await editor.locator('.view-lines').waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** Ctrl+G line:column (1-based), then checks the status bar shows it. */
  async function goTo(line: number, column: number): Promise<void> {
    await page.keyboard.press('Control+G');
    await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
    const status = page.locator('.statusbar-item[id="status.editor.selection"]');
    await waitFor(`cursor at Ln ${line}, Col ${column}`, async () => {
      const s = await visibleText(status);
      return { ok: s.includes(`Ln ${line}, Col ${column}`), seen: s };
    }, 10_000);
  }

  function columnOf(rel: string, line: number, needle: string, offset: number): number {
    const text = fs.readFileSync(path.join(opts.ws, rel), 'utf8').split('\n')[line - 1] ?? '';
    const i = text.indexOf(needle);
    if (i < 0) throw new Error(`"${needle}" not on ${rel}:${line}: ${JSON.stringify(text)}`);
    return i + 1 + offset;
  }

  await step('workbench', async () => {
    await page.goto(opts.url);
    await workbench.waitFor({ state: 'visible', timeout: 60_000 });
    const explorer = page.locator('.explorer-folders-view');
    await waitFor('the Explorer listing the example workspace (scripts, services)', async () => {
      const s = await visibleText(explorer);
      return { ok: s.includes('scripts') && s.includes('services'), seen: s };
    }, 60_000);
  });

  await step('problems', async () => {
    await showProblems();
    await panelAction('Maximize Panel');
    const cli = opts.cli.map((f) => ({ ...f, position: `[Ln ${f.range.start.line}, Col ${f.range.start.column}]` }));
    const missingOf = (rows: ProblemRow[]) => cli.filter((f) => !rows.some((r) => r.code === f.rule && r.file === f.file && r.position === f.position && r.message === f.message));
    await waitFor(`the Problems table listing the CLI's ${cli.length} findings in ${new Set(cli.map((f) => f.file)).size} files (rule, file, position, message)`, async () => {
      const rows = (await problemRows()).filter((r) => r.source === 'deploy-preflight');
      const missing = missingOf(rows);
      return {
        ok: missing.length === 0 && rows.length === cli.length,
        seen: `${rows.length} deploy-preflight rows; missing:\n    ${missing.map((f) => `${f.rule} ${f.file} ${f.position} "${f.message.slice(0, 90)}"`).join('\n    ')}\n  rows:\n    ${rows.map(showRow).join('\n    ')}`,
      };
    }, 150_000, 1000);
    const rows = await problemRows();
    const absent = CONTRACT.filter(([file, code]) => !rows.some((r) => r.file === file && r.code === code));
    if (absent.length) throw new Error(`EXPECTED.md findings missing from Problems: ${absent.map((x) => x.join(' ')).join(', ')}\n  rows:\n    ${rows.map(showRow).join('\n    ')}`);
    if (!rows.some(codeSide)) throw new Error(`expected a code-side finding of the GCP_PROJECT_ID disagreement in ${CODE_FILE}; rows:\n    ${rows.map(showRow).join('\n    ')}`);
  });

  await step('deploy-file', async () => {
    await panelAction('Restore Panel');
    await openFile(DEPLOY_FILE);
    await goTo(39, columnOf(DEPLOY_FILE, 39, 'environment_vars', 4));
    // The finding is under the cursor: its squiggle is rendered in the editor.
    await waitFor('a squiggle in deploy_to_gcp.py', async () => ({ ok: (await editor.locator('.squiggly-error, .squiggly-warning, .squiggly-info').count()) > 0, seen: 'no squiggles' }), 30_000);
  });

  await step('quick-fix-menu', async () => {
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget').first();
    await waitFor(`the quick-fix menu offering "${FIX_TITLE}"`, async () => {
      const s = await visibleText(menu);
      return { ok: s.includes(FIX_TITLE), seen: s };
    }, 15_000);
  });

  await step('fix-applied', async () => {
    const row = page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE }).first();
    await row.click();
    await waitFor(`the editor showing ${FIX_TEXT}`, async () => {
      const s = await visibleText(editor.locator('.view-lines'));
      return { ok: s.includes(FIX_TEXT), seen: s };
    }, 10_000);
    const tab = page.locator('.tabs-container .tab.active.dirty');
    await waitFor('the editor tab marked dirty', async () => ({ ok: await tab.isVisible(), seen: 'not dirty' }), 5_000);
  });

  await step('saved', async () => {
    await page.keyboard.press('Control+S');
    const file = path.join(opts.ws, DEPLOY_FILE);
    await waitFor(`${file} on disk containing ${FIX_TEXT} inside environment_vars`, () => {
      const s = fs.readFileSync(file, 'utf8');
      return { ok: /"DATABASE_URL": [^\n]*,\n {20}"GCP_PROJECT_ID": self\.project_id,\n {16}\},/.test(s), seen: s.split('\n').slice(36, 50).join('\n') };
    }, 15_000);
    await waitFor('the editor tab no longer dirty', async () => ({ ok: (await page.locator('.tabs-container .tab.active.dirty').count()) === 0, seen: 'still dirty' }), 10_000);
  });

  await step('problems-after-fix', async () => {
    await showProblems();
    await waitFor(`Problems without gcp-project-id-unwired in ${DEPLOY_FILE} and without its code-side findings in ${CODE_FILE}, other findings kept`, async () => {
      const rows = await problemRows();
      const still = rows.filter((r) => deploySide(r) || codeSide(r));
      const kept = rows.some((r) => r.code === 'gcp-project-id-unwired' && r.file === 'cloudbuild-production.yaml') &&
        rows.some((r) => r.code === 'db-ssl-param-driver' && r.file === DEPLOY_FILE);
      return { ok: still.length === 0 && kept, seen: `still there:\n    ${still.map(showRow).join('\n    ')}\n  unrelated findings kept: ${kept}\n  rows:\n    ${rows.map(showRow).join('\n    ')}` };
    }, 60_000, 1000);
  });

  await step('hover', async () => {
    await openFile(CODE_FILE);
    await goTo(32, columnOf(CODE_FILE, 32, 'GCP_PROJECT_ID', 3));
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'GCP_PROJECT_ID' }).first();
    await waitFor('a hover with the GCP_PROJECT_ID table (header, staging backend set by scripts/deploy_to_gcp.py:44)', async () => {
      if (!(await hover.isVisible())) return { ok: false, seen: 'no hover' };
      const s = normalize(await hover.innerText());
      const table = await hover.locator('table').count();
      const ok = table > 0 && ['environment', 'service', 'set where', 'read where', 'staging', 'production', 'scripts/deploy_to_gcp.py:44'].every((x) => s.includes(x));
      return { ok, seen: `${table} table(s); text:\n${s}` };
    }, 20_000);
  });

  // The deploy matrix webview. Webviews are nested iframes (the host's `iframe.webview`, then the
  // page's `#active-frame`); the command is run from the palette by its title.
  const matrixFrame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const matrixTable = matrixFrame.locator('table.matrix');
  const matrixRow = (name: string) => matrixTable.locator('tbody tr', { has: matrixFrame.locator('th .name', { hasText: new RegExp(`^${name}$`) }) });

  await step('deploy-matrix', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+P');
    await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('Deploy Preflight: Show Deploy Matrix');
    const item = quickInput.locator('.monaco-list-row', { hasText: 'Show Deploy Matrix' }).first();
    await waitFor('"Deploy Preflight: Show Deploy Matrix" in the command palette', async () => ({ ok: await item.isVisible(), seen: await visibleText(quickInput) }), 15_000);
    await page.keyboard.press('Enter');
    await waitFor('the Deploy Matrix tab', async () => ({ ok: await page.locator('.tabs-container .tab.active', { hasText: 'Deploy Matrix' }).isVisible(), seen: await visibleText(page.locator('.tabs-container').first()) }), 15_000);
    // Every service and environment as columns; SERVICE_SECRET missing for backend (staging) with its finding badge;
    // GCP_PROJECT_ID now set for backend (staging) by the fix saved above (an expression: self.project_id).
    await waitFor('the matrix: auth/backend/worker columns, SERVICE_SECRET missing with env-unset-for-deploy, GCP_PROJECT_ID set by the fix', async () => {
      if (!(await matrixTable.isVisible().catch(() => false))) return { ok: false, seen: 'no matrix table in the webview' };
      const head = normalize(await matrixTable.locator('thead').innerText());
      const secret = normalize(await matrixRow('SERVICE_SECRET').innerText().catch(() => '(no SERVICE_SECRET row)'));
      const project = normalize(await matrixRow('GCP_PROJECT_ID').innerText().catch(() => '(no GCP_PROJECT_ID row)'));
      const ok = ['auth', 'backend', 'worker', 'staging', 'production'].every((x) => head.includes(x)) &&
        secret.includes('missing') && secret.includes('env-unset-for-deploy') && project.includes('expression');
      return { ok, seen: `header: ${head}\n  SERVICE_SECRET: ${secret}\n  GCP_PROJECT_ID: ${project}` };
    }, 60_000, 1000);
    // The pointer rests where the palette left it (often on the tab's close button, whose tooltip
    // would cover the filters): over the table instead, with no workbench tooltip left.
    const box = await page.locator('.part.editor').boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.75);
    await waitFor('no workbench tooltip over the matrix', async () => ({ ok: (await page.locator('.workbench-hover:visible, .monaco-hover:not(.hidden):visible').count()) === 0, seen: 'a tooltip is shown' }), 5_000);
    await readmeShot('deploy-matrix');
    // Filters: only problems, then a name.
    await matrixFrame.locator('#f-problems').check();
    await matrixFrame.locator('#f-text').fill('SECRET');
    await waitFor('only problem rows whose name holds SECRET', async () => {
      const names = await matrixTable.locator('tbody th .name').allInnerTexts();
      return { ok: names.length > 0 && names.every((x) => x.includes('SECRET')) && names.includes('SERVICE_SECRET'), seen: names.join(', ') };
    }, 10_000);
  });

  await step('matrix-cell-opens', async () => {
    // Keyboard: the first cell takes focus, Enter opens where its value is set or read.
    const cell = matrixRow('SERVICE_SECRET').locator('td.s-missing').first();
    await cell.focus();
    await page.keyboard.press('Enter');
    const tab = page.locator('.tabs-container .tab.active', { hasText: 'secrets.py' }).first();
    await waitFor('services/backend/app/config/secrets.py opened at the read of SERVICE_SECRET', async () => ({ ok: await tab.isVisible(), seen: await visibleText(page.locator('.tabs-container').first()) }), 15_000);
  });

  /** Runs a Deploy Preflight command from the palette by its title. */
  async function runCommand(title: string): Promise<void> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+P');
    await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(`Deploy Preflight: ${title}`);
    const item = quickInput.locator('.monaco-list-row', { hasText: `Deploy Preflight: ${title}` }).first();
    await waitFor(`"Deploy Preflight: ${title}" in the command palette`, async () => ({ ok: await item.isVisible(), seen: await visibleText(quickInput) }), 15_000);
    await page.keyboard.press('Enter');
  }
  const toasts = page.locator('.notifications-toasts');
  const toast = (text: string) => toasts.locator('.notification-toast', { hasText: text }).first();

  await step('status-item', async () => {
    // secrets.py is active (the step above). Its one problem, the Secret Manager gate on
    // GCP_PROJECT_ID, went with the fix saved above (every deploy of backend now sets it): "0 here".
    // The deploy script then shows its own: the CLI's findings there, less the one that fix cleared.
    const item = page.locator('.statusbar-item[id="status.languageStatus"]');
    await waitFor('the language status item', async () => ({ ok: await item.isVisible(), seen: await visibleText(page.locator('.part.statusbar')) }), 10_000);
    // The hover opens a moment after the click, and a click while it is open closes it; so the
    // read waits for it, and Escape waits for it to go. CI once read "(not visible)" for 20 s
    // when each poll looked before the hover had opened.
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'in workspace' }).first();
    const dismiss = async (): Promise<void> => {
      if (!(await hover.isVisible())) return;
      await page.keyboard.press('Escape');
      await page.mouse.move(5, 5);
      await hover.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
    };
    const counts = async (): Promise<{ here: number; workspace: number; seen: string } | undefined> => {
      await dismiss();
      await item.click();
      await hover.waitFor({ state: 'visible', timeout: 4000 }).catch(() => undefined);
      const s = await visibleText(hover);
      await dismiss();
      const m = /(\d+) here · (\d+) in workspace/.exec(s);
      const where = `${s}; active tab: ${await visibleText(page.locator('.tabs-container .tab.active').first())}`;
      return m ? { here: Number(m[1]), workspace: Number(m[2]), seen: where } : { here: -1, workspace: -1, seen: where };
    };
    await waitFor('"0 here · M in workspace" (M > 0) for secrets.py', async () => {
      const c = await counts();
      return { ok: !!c && c.here === 0 && c.workspace > 0, seen: c?.seen ?? '' };
    }, 30_000);
    await openFile(DEPLOY_FILE);
    const expected = opts.cli.filter((f) => f.file === DEPLOY_FILE && f.rule !== 'gcp-project-id-unwired').length;
    if (expected < 1) throw new Error(`expected the CLI to report problems in ${DEPLOY_FILE} besides gcp-project-id-unwired`);
    await waitFor(`"${expected} here · M in workspace" (M ≥ ${expected}) for ${DEPLOY_FILE}`, async () => {
      const c = await counts();
      return { ok: !!c && c.here === expected && c.workspace >= expected, seen: c?.seen ?? '' };
    }, 30_000);
  });

  await step('fix-all-none', async () => {
    // The worker workflow's only problem needs a value only the user knows: nothing applies, and it says why.
    await openFile('.github/workflows/deploy-worker.yml');
    await runCommand('Fix All');
    await waitFor('a notification saying why no fix applied', async () => ({
      ok: await toast('no safe fix: these need a value only you know').isVisible(), seen: await visibleText(toasts),
    }), 20_000);
  });

  await step('fix-all-applied', async () => {
    // backend-production.yaml's socket URL drops sslmode (a safe fix): the notification names the file and offers "Show changes".
    await openFile('deploy/backend-production.yaml');
    await runCommand('Fix All');
    const done = toast('1 fix applied in 1 file: deploy/backend-production.yaml');
    await waitFor('"1 fix applied in 1 file: deploy/backend-production.yaml" with "Show changes"', async () => ({
      ok: await done.isVisible() && await done.locator('a.monaco-button, .monaco-button', { hasText: 'Show changes' }).isVisible(), seen: await visibleText(toasts),
    }), 20_000);
    await done.locator('a.monaco-button, .monaco-button', { hasText: 'Show changes' }).first().click();
    // A git repository opens Source Control; otherwise the changed file.
    await waitFor('Source Control or the changed file', async () => ({
      ok: await page.locator('.scm-view').isVisible().catch(() => false) || await page.locator('.tabs-container .tab.active', { hasText: 'backend-production.yaml' }).isVisible(),
      seen: await visibleText(page.locator('.tabs-container').first()),
    }), 15_000);
  });

  await step('explain', async () => {
    await runCommand('Explain');
    await waitFor('an untitled document with the --explain text', async () => {
      const s = await visibleText(editor.locator('.view-lines'));
      return { ok: s.includes('Services (code roots)') && s.includes('Deploy targets (service × environment)'), seen: s.slice(0, 300) };
    }, 20_000);
  });

  console.log(`  UI suite: ${n} steps in ${secs(Date.now() - t0)}`);
}
