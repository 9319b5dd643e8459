/**
 * A minimal LSP client for the protocol tests: spawns the built server over stdio, answers the
 * server's requests (progress tokens, registrations, configuration) and records notifications.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
  type Diagnostic, type PublishDiagnosticsParams, type TextEdit,
} from 'vscode-languageserver-protocol/node';

export const REPO = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when the server bundle is missing or older than its sources. */
export function ensureBuilt(): void {
  const sources = Math.max(newestMtime(path.join(REPO, 'server', 'src')), newestMtime(path.join(REPO, 'protocol')));
  const stale = !fs.existsSync(SERVER) || fs.statSync(SERVER).mtimeMs < sources;
  if (!stale) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

export function copyToTemp(src: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-lsp-'));
  fs.cpSync(src, dir, { recursive: true });
  return fs.realpathSync(dir);
}

export const uriOf = (root: string, rel: string) => pathToFileURL(path.join(root, rel)).href;

export interface Event { at: number; method: string; params: unknown }

export class TestClient {
  readonly child: ChildProcess;
  readonly conn: ProtocolConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly events: Event[] = [];
  readonly logs: string[] = [];
  readonly stderr: string[] = [];
  settings: unknown = {};
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor() {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.conn = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    const record = (method: string, params: unknown) => {
      this.events.push({ at: performance.now(), method, params });
      for (const w of this.waiters.splice(0)) w();
    };
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      record('textDocument/publishDiagnostics', p);
    });
    this.conn.onNotification('$/progress', (p: unknown) => record('$/progress', p));
    this.conn.onNotification('deployPreflight/status', (p: unknown) => record('deployPreflight/status', p));
    this.conn.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); });
    this.conn.onRequest('window/workDoneProgress/create', (p: unknown) => { record('window/workDoneProgress/create', p); return null; });
    this.conn.onRequest('client/registerCapability', (p: unknown) => { record('client/registerCapability', p); return null; });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('workspace/applyEdit', () => ({ applied: true }));
    this.conn.listen();
  }

  /** Resolves when `pred` holds (checked now and after every notification), else rejects after `ms`. */
  waitFor(what: string, pred: () => boolean, ms = 20000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; logs:\n${this.logs.join('\n')}\n${this.stderr.join('')}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  codes(uri: string): string[] {
    return (this.diagnostics.get(uri) ?? []).map((d) => String(d.code)).sort();
  }
}

/** Applies LSP text edits to a text (edits do not overlap; applied from the end). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const offset = (line: number, character: number) => {
    let pos = 0;
    for (let l = 0; l < line; l++) pos = text.indexOf('\n', pos) + 1;
    return pos + character;
  };
  const sorted = edits.map((e) => ({ e, s: offset(e.range.start.line, e.range.start.character), t: offset(e.range.end.line, e.range.end.character) }))
    .sort((a, b) => b.s - a.s);
  let out = text;
  for (const { e, s, t } of sorted) out = out.slice(0, s) + e.newText + out.slice(t);
  return out;
}

/** The text a range covers. */
export function slice(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  return [lines[range.start.line].slice(range.start.character), ...lines.slice(range.start.line + 1, range.end.line), lines[range.end.line].slice(0, range.end.character)].join('\n');
}

export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" not in text`);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
