/**
 * The server's state between requests: one Workspace per workspace folder, the open documents,
 * the settings, and the diagnostics last published per URI (so a change republishes only what
 * moved). Feature logic lives in ./services; the protocol wiring in ./main.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  FileChangeType, TextDocuments, type Connection, type Diagnostic, type FileEvent, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace, engineReady } from '../engine/workspace';
import { CONFIG_NAMES, isRuleSetting, type RuleSetting } from '../core/config';
import { listFiles, readForAnalysis, SKIP_DIRS } from '../engine/scan';
import { classify } from '../extract/classify';
import { isCodeRootMarker } from '../knowledge/code-roots';
import { diagnosticsByUri, SOURCE } from './services/diagnostics';
import type { FileContext } from './services/common';
import { StatusNotification, type StatusParams } from '../../../protocol';

export interface Settings {
  enable: boolean;
  rules: Record<string, RuleSetting>;
  scope: 'workspace' | 'openFiles';
  configFile?: string;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, scope: 'workspace' };

/** Settings from the client, checked field by field (anything odd falls back to the default). */
export function parseSettings(raw: unknown): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS, rules: {} };
  if (!raw || typeof raw !== 'object') return s;
  const o = raw as Record<string, unknown>;
  if (typeof o.enable === 'boolean') s.enable = o.enable;
  if (o.scope === 'openFiles' || o.scope === 'workspace') s.scope = o.scope;
  if (typeof o.configFile === 'string' && o.configFile.trim()) s.configFile = o.configFile.trim();
  if (o.rules && typeof o.rules === 'object' && !Array.isArray(o.rules)) {
    for (const [id, v] of Object.entries(o.rules as Record<string, unknown>)) {
      if (isRuleSetting(v)) s.rules[id] = v;
    }
  }
  return s;
}


export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class Folder {
  ws: Workspace;
  ready = false;
  /** Rule settings of the config file, before the editor's overrides. */
  fileRules: Record<string, RuleSetting> = {};
  generation = 0;
  constructor(readonly uri: string, readonly root: string, configFile?: string) {
    this.ws = new Workspace(root, { configFile });
  }
  rel(abs: string): string | undefined {
    const rel = path.relative(this.root, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }
  uriOf(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).href;
  }
}

export class Session {
  readonly folders = new Map<string, Folder>();
  readonly documents = new TextDocuments(TextDocument);
  settings: Settings = DEFAULT_SETTINGS;
  canPullConfiguration = false;
  canCreateFiles = false;
  private readonly published = new Map<string, string>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private publishTimer: ReturnType<typeof setTimeout> | undefined;
  /** Handler failures, per document: shown as a diagnostic on that file. */
  readonly failures = new Map<string, string>();
  private lastStatus = '';
  private indexing = 0;
  /** Debounce of an edit before it is re-extracted (ms). */
  debounceMs = 15;
  /** Resolves when the first indexing of every folder is done (tests, commands). */
  indexed: Promise<void> = Promise.resolve();

  /** Set once the engine can extract every file kind; edits that arrive earlier wait for it. */
  private engineIsReady = false;
  private readonly whenEngineReady: Promise<void>;

  constructor(readonly connection: Connection) {
    this.whenEngineReady = engineReady().then(() => {
      this.engineIsReady = true;
    }, (err) => {
      this.log('error', `loading the parsers failed: ${(err as Error).stack ?? err}`);
    });
  }

  log(level: 'error' | 'warn' | 'info' | 'log', message: string): void {
    try {
      this.connection.console[level](message);
    } catch {
      /* connection gone */
    }
  }

  // ---- folders ------------------------------------------------------------------------

  addFolders(folders: WorkspaceFolder[]): Promise<void>[] {
    const jobs: Promise<void>[] = [];
    for (const f of folders) {
      const root = uriToPath(f.uri);
      if (!root || this.folders.has(f.uri)) continue;
      const folder = new Folder(f.uri, root, this.settings.configFile);
      this.folders.set(f.uri, folder);
      jobs.push(this.index(folder));
    }
    return jobs;
  }

  removeFolders(folders: WorkspaceFolder[]): void {
    for (const f of folders) {
      const folder = this.folders.get(f.uri);
      if (!folder) continue;
      folder.generation++;
      folder.ws.stopped = true;
      this.folders.delete(f.uri);
    }
    this.publish();
  }

  /** The folder holding `uri` (the deepest one when folders nest) and the document's relative path. */
  locate(uri: string): { folder: Folder; rel: string } | undefined {
    const abs = uriToPath(uri);
    if (!abs) return undefined;
    let best: { folder: Folder; rel: string } | undefined;
    for (const folder of this.folders.values()) {
      const rel = folder.rel(abs);
      if (rel && (!best || folder.root.length > best.folder.root.length)) best = { folder, rel };
    }
    return best;
  }

  context(uri: string): FileContext | undefined {
    const hit = this.locate(uri);
    if (!hit) return undefined;
    this.flush(uri);
    const { folder, rel } = hit;
    return {
      ws: folder.ws,
      rel,
      uriOf: (r) => folder.uriOf(r),
      textOf: (r) => this.textOf(folder, r),
    };
  }

  textOf(folder: Folder, rel: string): string | undefined {
    const doc = this.documents.get(folder.uriOf(rel));
    if (doc) return doc.getText();
    try {
      return fs.readFileSync(path.join(folder.root, rel), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** (Re)indexes a folder in the background with work-done progress; open documents first and from their buffers. */
  async index(folder: Folder, fresh = false): Promise<void> {
    const generation = ++folder.generation;
    const ws = fresh ? new Workspace(folder.root, { configFile: this.settings.configFile }) : folder.ws;
    if (fresh) {
      folder.ws.stopped = true;
      folder.ws = ws;
    }
    folder.ready = false;
    this.indexing++;
    this.sendStatus();
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    const started = Date.now();
    try {
      progress?.begin('Deploy Preflight: indexing', 0, 'listing files', false);
      const open = this.documents.all().map((d) => this.locate(d.uri)).filter((h) => h?.folder === folder).map((h) => h!.rel);
      // Open files and deploy files load first; their findings are final then, so they are
      // published while the rest of the workspace is still being read.
      const onEarly = (): void => {
        if (generation === folder.generation) this.publishOpen(folder);
      };
      await ws.loadAll((done, total) => progress?.report(total ? Math.round((done * 100) / total) : 100, `${done}/${total} files`), open, onEarly);
      if (generation !== folder.generation) return;
      this.snapshotConfig(folder);
      for (const doc of this.documents.all()) {
        const hit = this.locate(doc.uri);
        if (hit?.folder === folder) this.setText(folder, hit.rel, doc.getText(), doc.uri);
      }
      folder.ready = true;
      this.log('info', `indexed ${folder.root}: ${ws.files.size} files in ${Date.now() - started} ms`);
    } catch (err) {
      this.log('error', `indexing ${folder.root} failed: ${(err as Error).stack ?? err}`);
      folder.ready = true;
    } finally {
      progress?.done();
      this.indexing--;
      this.publish();
    }
  }

  /** Remembers the config file's rule settings and applies the editor's overrides on top. */
  snapshotConfig(folder: Folder): void {
    folder.fileRules = { ...folder.ws.config.rules };
    this.applyRuleOverrides(folder);
  }

  applyRuleOverrides(folder: Folder): void {
    folder.ws.config.rules = { ...folder.fileRules, ...this.settings.rules };
    folder.ws.invalidate();
  }

  async updateSettings(next: Settings): Promise<void> {
    const prev = this.settings;
    this.settings = next;
    if (prev.configFile !== next.configFile) {
      this.log('info', `config file setting changed to ${next.configFile ?? '(default)'}: re-indexing`);
      await Promise.all([...this.folders.values()].map((f) => this.index(f, true)));
      return;
    }
    for (const f of this.folders.values()) if (f.ready) this.applyRuleOverrides(f);
    this.publish();
  }

  // ---- documents ------------------------------------------------------------------------

  private setText(folder: Folder, rel: string, text: string, uri: string): void {
    try {
      folder.ws.setText(rel, text);
      this.failures.delete(uri);
    } catch (err) {
      this.failures.set(uri, `could not analyse ${rel}: ${(err as Error).message}`);
      this.log('error', `extracting ${rel}: ${(err as Error).stack ?? err}`);
    }
  }

  /** An open document changed: re-extract it after a short pause; a newer edit replaces the pending one. */
  changed(uri: string): void {
    const prev = this.pending.get(uri);
    if (prev) clearTimeout(prev);
    const version = this.documents.get(uri)?.version;
    this.pending.set(uri, setTimeout(() => this.run(uri, version), this.debounceMs));
  }

  private run(uri: string, version: number | undefined): void {
    this.pending.delete(uri);
    if (!this.engineIsReady) {
      // An editor restoring its tabs opens files before the parsers have loaded: queue the
      // analysis instead of failing it (a newer edit supersedes it through `version`).
      void this.whenEngineReady.then(() => this.run(uri, version));
      return;
    }
    const doc = this.documents.get(uri);
    if (!doc || doc.version !== version) return; // a newer edit (or a close) superseded this one
    const hit = this.locate(uri);
    if (!hit) return;
    this.setText(hit.folder, hit.rel, doc.getText(), uri);
    if (hit.folder.ready) this.publish();
  }

  /** Runs a pending re-extraction now (before answering a request on that document). */
  flush(uri: string): void {
    const t = this.pending.get(uri);
    if (!t) return;
    clearTimeout(t);
    this.run(uri, this.documents.get(uri)?.version);
  }

  /** A closed document reverts to what is on disk. */
  closed(uri: string): void {
    const t = this.pending.get(uri);
    if (t) clearTimeout(t);
    this.pending.delete(uri);
    this.failures.delete(uri);
    const hit = this.locate(uri);
    if (hit) void this.reloadFromDisk(hit.folder, hit.rel).then(() => this.schedulePublish());
    else this.schedulePublish();
  }

  private async reloadFromDisk(folder: Folder, rel: string): Promise<void> {
    await this.whenEngineReady;
    const abs = path.join(folder.root, rel);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(abs);
    } catch {
      folder.ws.remove(rel);
      for (const k of [...folder.ws.files.keys()]) if (k.startsWith(`${rel}/`)) folder.ws.remove(k);
      return;
    }
    if (stat.isDirectory()) {
      const files = await listFiles(abs, { ignore: folder.ws.config.ignore }, []);
      for (const f of files) await this.reloadFromDisk(folder, `${rel}/${f}`);
      return;
    }
    if (!this.relevant(rel)) return;
    if (this.documents.get(folder.uriOf(rel))) return; // the open buffer wins
    const r = await readForAnalysis(abs, folder.ws.config.maxFileBytes);
    if ('skipped' in r) {
      folder.ws.remove(rel);
      folder.ws.scanNotices.set(rel, { file: rel, message: r.skipped });
    } else {
      this.setText(folder, rel, r.text, folder.uriOf(rel));
    }
  }

  private relevant(rel: string): boolean {
    if (rel.split('/').some((s) => SKIP_DIRS.has(s))) return false;
    const kind = classify(rel);
    return kind !== 'other' || isCodeRootMarker(rel);
  }

  /** Files changed on disk (outside the editor, a git checkout). */
  async watched(changes: FileEvent[]): Promise<void> {
    const reindex = new Set<Folder>();
    for (const c of changes) {
      const hit = this.locate(c.uri);
      if (!hit) continue;
      const { folder, rel } = hit;
      if (CONFIG_NAMES.includes(path.posix.basename(rel)) || (this.settings.configFile && path.posix.normalize(this.settings.configFile) === rel)) {
        reindex.add(folder);
        continue;
      }
      if (!folder.ready) continue; // indexing reads it anyway
      try {
        if (c.type === FileChangeType.Deleted) {
          if (this.documents.get(c.uri)) continue;
          folder.ws.remove(rel);
          for (const k of [...folder.ws.files.keys()]) if (k.startsWith(`${rel}/`)) folder.ws.remove(k);
        } else {
          await this.reloadFromDisk(folder, rel);
        }
      } catch (err) {
        this.log('warn', `reading changed file ${rel}: ${(err as Error).message}`);
      }
    }
    for (const f of reindex) void this.index(f, true);
    this.schedulePublish();
  }

  // ---- diagnostics ------------------------------------------------------------------------

  schedulePublish(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      this.publish();
    }, 30);
  }

  /** Recomputes findings and publishes the diagnostics of every URI whose diagnostics changed. */
  publish(): void {
    const next = new Map<string, Diagnostic[]>();
    let findings = 0;
    if (this.settings.enable) {
      for (const folder of this.folders.values()) {
        if (!folder.ready) continue;
        try {
          const list = folder.ws.findings();
          findings += list.length;
          for (const r of folder.ws.ruleFailures()) this.log('error', `internal error in rule ${r.rule}: ${r.message}`);
          for (const [uri, diags] of diagnosticsByUri(list, folder.ws.notices(), (r) => folder.uriOf(r))) {
            next.set(uri, [...(next.get(uri) ?? []), ...diags]);
          }
        } catch (err) {
          this.log('error', `analysing ${folder.root} failed: ${(err as Error).stack ?? err}`);
        }
      }
      for (const [uri, message] of this.failures) {
        next.set(uri, [...(next.get(uri) ?? []), { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 1, source: SOURCE, message }]);
      }
      if (this.settings.scope === 'openFiles') {
        for (const uri of [...next.keys()]) if (!this.documents.get(uri)) next.delete(uri);
      }
    }
    for (const uri of new Set([...next.keys(), ...this.published.keys()])) {
      const diagnostics = next.get(uri) ?? [];
      const key = JSON.stringify(diagnostics);
      if ((this.published.get(uri) ?? '[]') === key) continue;
      if (diagnostics.length) this.published.set(uri, key);
      else this.published.delete(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
    }
    this.sendStatus(findings);
  }

  /** Diagnostics for the folder's open documents only (before indexing ends). */
  publishOpen(folder: Folder): void {
    if (!this.settings.enable) return;
    try {
      const byUri = diagnosticsByUri(folder.ws.findings(), folder.ws.notices(), (r) => folder.uriOf(r));
      for (const doc of this.documents.all()) {
        if (this.locate(doc.uri)?.folder !== folder) continue;
        const diagnostics = byUri.get(doc.uri) ?? [];
        const key = JSON.stringify(diagnostics);
        if ((this.published.get(doc.uri) ?? '[]') === key) continue;
        if (diagnostics.length) this.published.set(doc.uri, key);
        else this.published.delete(doc.uri);
        void this.connection.sendDiagnostics({ uri: doc.uri, diagnostics }).catch(() => undefined);
      }
    } catch (err) {
      this.log('error', `early analysis of ${folder.root} failed: ${(err as Error).stack ?? err}`);
    }
  }

  private lastFindings = 0;
  sendStatus(findings = this.lastFindings): void {
    this.lastFindings = findings;
    const status: StatusParams = { indexing: this.indexing > 0, findings };
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(StatusNotification.type, status).catch(() => undefined);
  }
}
