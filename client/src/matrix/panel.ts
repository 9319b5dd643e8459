/**
 * "Deploy Preflight: Show Deploy Matrix": a webview drawing the server's deploy matrix
 * answer (MatrixRequest). The page is static HTML with a nonce'd script and stylesheet from media/ (strict CSP, no
 * inline handlers, theme colours); it asks the extension to open a location, and the extension
 * re-requests the matrix when diagnostics change (an edit, a save, a re-index), debounced.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MatrixRequest, type MatrixLocation, type MatrixResult } from '../../../protocol';

/** Messages from the page. */
type FromPage = { type: 'ready' } | { type: 'refresh' } | { type: 'open'; location: MatrixLocation };

export class MatrixPanel {
  private static current: MatrixPanel | undefined;
  static readonly viewType = 'deployPreflight.matrix';

  static show(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
    if (MatrixPanel.current) {
      MatrixPanel.current.panel.reveal();
      void MatrixPanel.current.refresh();
      return;
    }
    const panel = vscode.window.createWebviewPanel(MatrixPanel.viewType, 'Deploy Matrix', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    MatrixPanel.current = new MatrixPanel(panel, context.extensionUri, client);
  }

  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly client: () => LanguageClient | undefined) {
    panel.webview.html = page(panel.webview, extensionUri);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m: FromPage) => this.onMessage(m), null, this.disposables);
    // Follow edits: diagnostics change whenever the analysis does.
    vscode.languages.onDidChangeDiagnostics(() => this.scheduleRefresh(), null, this.disposables);
  }

  private onMessage(m: FromPage): void {
    if (m.type === 'ready' || m.type === 'refresh') void this.refresh();
    else if (m.type === 'open') void openLocation(m.location);
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  async refresh(): Promise<void> {
    const client = this.client();
    if (!client || !client.isRunning()) {
      void this.panel.webview.postMessage({ type: 'error', message: 'The Deploy Preflight server is not running.' });
      return;
    }
    try {
      const result: MatrixResult = await client.sendRequest(MatrixRequest.type, {});
      void this.panel.webview.postMessage({ type: 'matrix', result });
    } catch (err) {
      void this.panel.webview.postMessage({ type: 'error', message: `Could not get the matrix: ${(err as Error).message}` });
    }
  }

  private dispose(): void {
    MatrixPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

async function openLocation(l: MatrixLocation): Promise<void> {
  const range = new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(l.uri));
  await vscode.window.showTextDocument(doc, { selection: range, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
}

function page(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'matrix.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'matrix.css'));
  const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource};`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>Deploy Matrix</title></head>
<body>
<header class="toolbar" role="toolbar" aria-label="Filters">
  <label>Service <select id="f-service"><option value="">all</option></select></label>
  <label>Environment <select id="f-env"><option value="">all</option></select></label>
  <label><input type="checkbox" id="f-problems"> only problems</label>
  <label>Variable <input type="search" id="f-text" placeholder="filter names…"></label>
  <button id="refresh" type="button">Refresh</button>
  <span id="status" role="status" aria-live="polite"></span>
</header>
<main id="matrix" aria-label="Deploy matrix"></main>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
}
