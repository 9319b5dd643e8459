/**
 * The server's state between requests: one engine Analysis per workspace folder, the open
 * documents, the settings, and the diagnostics last published per URI (so a change republishes
 * only what moved). When to analyse (debounce, queueing) is decided here; what to answer comes
 * from the engine façade and ide/, converted to protocol types in ./services; the wiring in ./main.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  FileChangeType, TextDocuments, type Connection, type Diagnostic, type FileEvent, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis, defaultCacheLocation, type DiskChange } from '../engine/analysis';
import { isRuleSetting, type RuleSetting } from '../core/config';
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
  readonly analysis: Analysis;
  /** Indexed (or its indexing failed): diagnostics are published. */
  ready = false;
  /** Bumped by every (re)index and by the folder's removal: an older index stops short. */
  generation = 0;
  /** This folder's settings (`enable`, `rules` and `configFile` are per folder; `scope` is the session's). */
  settings: Settings = DEFAULT_SETTINGS;
  /**
   * No workspace folder was opened (single-file mode): the folder holds the open documents alone and
   * never reads the disk — its root may be a home directory.
   */
  loose = false;
  /** The folder's current (re)indexing; resolved when it ends (or fails). */
  loading: Promise<void> = Promise.resolve();
  /** Findings are final and published; the code of tests is still loading (editor features). */
  loadingTests = false;
  constructor(readonly uri: string, readonly root: string, configFile: string | undefined, rules: Record<string, RuleSetting>) {
    // No extraction workers (docs/performance.md): each holds its own copy of the parsers, and a
    // server lives beside the editor; its index is warm from the fact cache after the first start.
    this.analysis = new Analysis(root, { configFile, cacheLocation: defaultCacheLocation() });
    this.analysis.setRuleOverrides(rules);
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
  /** The client pulls diagnostics (textDocument/diagnostic, workspace/diagnostic): nothing is pushed;
   * a change calls `onPullRefresh` (workspace/diagnostic/refresh) instead. */
  pull = false;
  onPullRefresh: (() => void) | undefined;
  /** The diagnostics last computed, per URI (what a pull answers). */
  readonly current = new Map<string, Diagnostic[]>();
  private readonly published = new Map<string, string>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private publishTimer: ReturnType<typeof setTimeout> | undefined;
  /** Handler failures, per document: shown as a diagnostic on that file. */
  readonly failures = new Map<string, string>();
  /** Rule failures last logged (each is logged once while it lasts). */
  private loggedRuleFailures = new Set<string>();
  private lastStatus = '';
  private indexing = 0;
  /** Debounce of an edit before it is re-extracted (ms). */
  debounceMs = 15;

  private engineReady: Promise<void> | undefined;
  private engineFailed = false;

  constructor(readonly connection: Connection) {}

  /**
   * Resolves once the engine can analyse every file kind (or failed to load its parsers); edits
   * that arrive earlier wait for it. Started on first need, or once the first index is published:
   * a start answered from the fact cache publishes without loading the code that parses
   * (docs/architecture.md), and the first edit after it does not wait for that code.
   */
  private get whenEngineReady(): Promise<void> {
    this.engineReady ??= Analysis.ready().catch((err) => {
      this.engineFailed = true;
      this.log('error', `loading the parsers failed: ${(err as Error).stack ?? err}`);
    });
    return this.engineReady;
  }

  log(level: 'error' | 'warn' | 'info' | 'log', message: string): void {
    try {
      this.connection.console[level](message);
    } catch {
      /* connection gone */
    }
  }

  // ---- folders ------------------------------------------------------------------------

  /** Adds and indexes folders, each with its own settings when given (else the session's). */
  addFolders(folders: WorkspaceFolder[], settings?: ReadonlyMap<string, Settings>, options: { loose?: boolean } = {}): Promise<void>[] {
    const jobs: Promise<void>[] = [];
    for (const f of folders) {
      const root = uriToPath(f.uri);
      if (!root || this.folders.has(f.uri)) continue;
      const s = settings?.get(f.uri) ?? this.settings;
      const folder = new Folder(f.uri, root, s.configFile, s.rules);
      folder.settings = s;
      folder.loose = !!options.loose;
      this.folders.set(f.uri, folder);
      // Documents opened before their folder was known — an editor restoring its tabs, or the
      // client re-opening them after a restart, sends didOpen right after `initialized`, while the
      // folder's settings are still being asked for — hold unsaved text the disk does not: the
      // folder reads them from their buffers, or every finding they feed would be the disk's.
      for (const doc of this.documents.all()) {
        const hit = this.locate(doc.uri);
        if (hit?.folder === folder) this.analyse(doc.uri, hit.rel, () => folder.analysis.openDocument(hit.rel, doc.getText()));
      }
      jobs.push(this.index(folder));
    }
    return jobs;
  }

  removeFolders(folders: WorkspaceFolder[]): void {
    for (const f of folders) {
      const folder = this.folders.get(f.uri);
      if (!folder) continue;
      folder.generation++;
      folder.analysis.cancel();
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

  /** The request's document, with its pending edit analysed first. */
  context(uri: string): FileContext | undefined {
    const hit = this.locate(uri);
    if (!hit) return undefined;
    this.flush(uri);
    const { folder, rel } = hit;
    return { analysis: folder.analysis, rel, uriOf: (r) => folder.uriOf(r) };
  }

  /** (Re)indexes a folder in the background with work-done progress; open documents first and from their buffers. */
  index(folder: Folder): Promise<void> {
    const job = folder.loose ? this.indexOpenDocuments(folder) : this.indexFromDisk(folder);
    folder.loading = job;
    return job;
  }

  private async indexFromDisk(folder: Folder): Promise<void> {
    const generation = ++folder.generation;
    folder.ready = false;
    this.indexing++;
    let counted = true;
    this.sendStatus();
    let progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    const started = Date.now();
    let findingsAt: number | undefined;
    /** Indexing ends for the editor when the findings are final: the test files after them only
     * feed editor features (occurrences, rename, hover rows), under a progress of their own. */
    const findingsFinal = (): void => {
      if (generation !== folder.generation) return;
      findingsAt = Date.now();
      this.markReady(folder);
      this.indexing--;
      counted = false;
      progress?.done();
      progress = undefined;
      folder.loadingTests = true;
      this.publish();
      this.log('info', `indexed ${folder.root}: ${this.summary(folder)} in ${findingsAt - started} ms; the code of tests loads next, for editor features`);
      void this.connection.window.createWorkDoneProgress().then((p) => {
        if (findingsAt === undefined || generation !== folder.generation || !folder.loadingTests) return p.done();
        progress = p;
        p.begin('Deploy Preflight: loading test files', 0, undefined, false);
      }).catch(() => undefined);
    };
    try {
      progress?.begin('Deploy Preflight: indexing', 0, 'listing files', false);
      if (generation !== folder.generation) return; // superseded (or removed) while the progress was created
      const open = this.documents.all().map((d) => this.locate(d.uri)).filter((h) => h?.folder === folder).map((h) => h!.rel);
      // Open files and deploy files load first; their findings are final then, so they are
      // published while the rest of the workspace is still being read.
      const outcome = await folder.analysis.load({
        priority: open,
        onProgress: (done, total) => progress?.report(total ? Math.round((done * 100) / total) : 100, `${done}/${total} files`),
        onEarly: () => this.publishOpen(folder),
        onFindings: findingsFinal,
      });
      if (outcome.status === 'cancelled' || generation !== folder.generation) return;
      this.markReady(folder);
      if (findingsAt !== undefined) this.log('info', `loaded the test files of ${folder.root} in ${Date.now() - findingsAt} ms`);
      else this.log('info', `indexed ${folder.root}: ${this.summary(folder)} in ${Date.now() - started} ms`);
    } catch (err) {
      this.log('error', `indexing ${folder.root} failed: ${(err as Error).stack ?? err}`);
      folder.ready = true;
    } finally {
      folder.loadingTests = false;
      progress?.done();
      progress = undefined;
      if (counted) this.indexing--;
      this.publish();
      // The parsers, for the edits to come, once what the index found is out.
      setTimeout(() => void this.whenEngineReady, 0);
    }
  }

  /** The folder's diagnostics are published from now on; its open documents' failures are old. */
  private markReady(folder: Folder): void {
    for (const doc of this.documents.all()) if (this.locate(doc.uri)?.folder === folder) this.failures.delete(doc.uri);
    folder.ready = true;
  }

  /** A loose folder (single-file mode): its open documents, analysed from their buffers. */
  private async indexOpenDocuments(folder: Folder): Promise<void> {
    await this.whenEngineReady;
    folder.analysis.configuration();
    for (const doc of this.documents.all()) {
      const hit = this.locate(doc.uri);
      if (hit?.folder === folder) this.analyse(doc.uri, hit.rel, () => folder.analysis.updateDocument(hit.rel, doc.getText()));
    }
    folder.ready = true;
    this.publish();
  }

  /** New settings for every folder (clients that push one settings object). */
  async updateSettings(next: Settings): Promise<void> {
    this.settings = next;
    await this.updateFolderSettings(new Map([...this.folders.keys()].map((uri) => [uri, next])));
  }

  /** New settings per folder (by URI); a folder whose configuration file changed is re-indexed. */
  async updateFolderSettings(byFolder: ReadonlyMap<string, Settings>): Promise<void> {
    const reindex: Folder[] = [];
    for (const [uri, next] of byFolder) {
      const f = this.folders.get(uri);
      if (!f) continue;
      const prev = f.settings;
      f.settings = next;
      f.analysis.setRuleOverrides(next.rules);
      if (prev.configFile !== next.configFile) {
        this.log('info', `${f.root}: config file setting changed to ${next.configFile ?? '(default)'}: re-indexing`);
        f.analysis.setConfigFile(next.configFile);
        reindex.push(f);
      }
    }
    if (reindex.length) await Promise.all(reindex.map((f) => this.index(f)));
    else this.publish();
  }

  // ---- documents ------------------------------------------------------------------------

  /** Runs an analysis step of one document; a failure becomes a diagnostic on it. */
  private analyse(uri: string, rel: string, step: () => void): void {
    try {
      step();
      this.failures.delete(uri);
    } catch (err) {
      this.failures.set(uri, `could not analyse ${rel}: ${(err as Error).message}`);
      this.log('error', `extracting ${rel}: ${(err as Error).stack ?? err}`);
    }
  }

  /** A document was opened: its buffer is its text from now on (analysed after the debounce). */
  opened(doc: TextDocument): void {
    const hit = this.locate(doc.uri);
    if (hit) this.analyse(doc.uri, hit.rel, () => hit.folder.analysis.openDocument(hit.rel, doc.getText()));
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
    if (!Analysis.isReady() && !this.engineFailed) {
      // An editor restoring its tabs opens files before the parsers have loaded: queue the
      // analysis instead of failing it (a newer edit supersedes it through `version`). While its
      // folder is indexing, the index reads the open buffers itself, and loading the parsers now
      // would hold up its first publish: the parsers come after it.
      const folder = this.locate(uri)?.folder;
      const indexed = folder && !folder.ready ? folder.loading : Promise.resolve();
      void indexed.then(() => this.whenEngineReady).then(() => this.run(uri, version));
      return;
    }
    const doc = this.documents.get(uri);
    if (!doc || doc.version !== version) return; // a newer edit (or a close) superseded this one
    const hit = this.locate(uri);
    if (!hit) return;
    const started = Date.now();
    this.analyse(uri, hit.rel, () => hit.folder.analysis.updateDocument(hit.rel, doc.getText()));
    if (!hit.folder.ready) return;
    this.publish();
    this.log('log', `analysed ${hit.rel}: ${this.summary(hit.folder)} in ${Date.now() - started} ms`);
  }

  /** One line on a folder's analysis: files, problems, and what failed (counts only: no values). */
  private summary(folder: Folder): string {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    try {
      const a = folder.analysis;
      const failures = a.ruleFailures().length;
      const notices = a.notices().length;
      return `${plural(a.fileCount(), 'file')}, ${plural(a.findings().length, 'problem')}` +
        `${notices ? `, ${plural(notices, 'notice')}` : ''}${failures ? `, ${plural(failures, 'rule failure')}` : ''}`;
    } catch (err) {
      return `analysis failed: ${(err as Error).message}`;
    }
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
    if (!hit) {
      this.schedulePublish();
      return;
    }
    void hit.folder.analysis.closeDocument(hit.rel).then(
      () => this.schedulePublish(),
      (err) => this.log('warn', `reading closed file ${hit.rel}: ${(err as Error).message}`),
    );
  }

  /** Files changed on disk (outside the editor, a git checkout). */
  async watched(changes: FileEvent[]): Promise<void> {
    const byFolder = new Map<Folder, DiskChange[]>();
    for (const c of changes) {
      const hit = this.locate(c.uri);
      if (!hit || hit.folder.loose) continue;
      const kind = c.type === FileChangeType.Deleted ? 'deleted' : c.type === FileChangeType.Created ? 'created' : 'changed';
      byFolder.set(hit.folder, [...(byFolder.get(hit.folder) ?? []), { file: hit.rel, kind }]);
    }
    const reindex: Folder[] = [];
    for (const [folder, list] of byFolder) {
      const outcome = await folder.analysis.filesChanged(list);
      for (const e of outcome.errors) this.log('warn', `reading changed file ${e.file}: ${e.message}`);
      if (outcome.reload) reindex.push(folder);
    }
    for (const f of reindex) void this.index(f);
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
    const ruleFailures = new Set<string>();
    if (this.settings.enable) {
      for (const folder of this.folders.values()) {
        if (!folder.ready || !folder.settings.enable) continue;
        try {
          const list = folder.analysis.findings();
          findings += list.length;
          for (const r of folder.analysis.ruleFailures()) ruleFailures.add(`internal error in rule ${r.rule}: ${r.message}`);
          for (const [uri, diags] of diagnosticsByUri(list, folder.analysis.notices(), (r) => folder.uriOf(r))) {
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
    for (const message of ruleFailures) if (!this.loggedRuleFailures.has(message)) this.log('error', message);
    this.loggedRuleFailures = ruleFailures;
    let changed = false;
    for (const uri of new Set([...next.keys(), ...this.published.keys()])) changed = this.deliver(uri, next.get(uri) ?? []) || changed;
    if (changed && this.pull) this.onPullRefresh?.();
    this.sendStatus(findings);
  }

  /** Records a URI's diagnostics and, unless the client pulls them, pushes them. Returns whether they changed. */
  private deliver(uri: string, diagnostics: Diagnostic[]): boolean {
    const key = JSON.stringify(diagnostics);
    if ((this.published.get(uri) ?? '[]') === key) return false;
    if (diagnostics.length) {
      this.published.set(uri, key);
      this.current.set(uri, diagnostics);
    } else {
      this.published.delete(uri);
      this.current.delete(uri);
    }
    if (!this.pull) void this.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
    return true;
  }

  /** The result id of a URI's current diagnostics (changes whenever they do). */
  resultId(uri: string): string {
    return String(hashOf(this.published.get(uri) ?? '[]'));
  }

  /** Diagnostics for the folder's open documents only (before indexing ends). */
  publishOpen(folder: Folder): void {
    if (!this.settings.enable || !folder.settings.enable) return;
    try {
      const byUri = diagnosticsByUri(folder.analysis.findings(), folder.analysis.notices(), (r) => folder.uriOf(r));
      let changed = false;
      for (const doc of this.documents.all()) {
        if (this.locate(doc.uri)?.folder !== folder) continue;
        changed = this.deliver(doc.uri, byUri.get(doc.uri) ?? []) || changed;
      }
      if (changed && this.pull) this.onPullRefresh?.();
    } catch (err) {
      this.log('error', `early analysis of ${folder.root} failed: ${(err as Error).stack ?? err}`);
    }
  }

  private lastFindings = 0;
  sendStatus(findings = this.lastFindings): void {
    this.lastFindings = findings;
    const loadingTests = [...this.folders.values()].some((f) => f.loadingTests);
    const status: StatusParams = { indexing: this.indexing > 0, findings, ...(loadingTests ? { loadingTests } : {}) };
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(StatusNotification.type, status).catch(() => undefined);
  }
}

/** A 32-bit FNV-1a hash (result ids only need to change when the text does). */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
