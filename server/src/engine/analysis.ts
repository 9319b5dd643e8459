/**
 * The engine's façade: everything a host (the CLI, the language server, the editor queries in
 * ide/) asks of the analysis of one workspace folder. Hosts import this module and core/ only;
 * the workspace, scanner, config parser, rule runner and fix writer behind it are the engine's own.
 *
 * An Analysis is one folder: load (index) it with progress and cancellation, feed it the
 * editor's documents (an open buffer's text wins over the disk until it is closed) and the files
 * that changed on disk, and read findings, rule failures, notices, fix plans and explain data.
 * Paths are workspace-relative with `/`; spans are offsets into a file's text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, engineReady, isEngineReady } from './workspace';
import { listFiles, readForAnalysis, readForAnalysisSync } from './scan';
import { planFixes, editsByFile, sameEdit, type FixPlan } from './fix-plan';
import { readUnchanged, writeEdits, type WriteOutcome } from './apply-fixes';
import { explainModel, type ExplainData } from './explain';
import { classify } from '../extract/classify';
import { isCodeRootMarker } from '../knowledge/code-roots';
import { CONFIG_NAMES, type Config, type ConfigProblem, type RuleSetting, type SeverityName } from '../core/config';
import { RULES, UNUSED_SUPPRESSION } from '../rules/registry';
import { docsUrl, ruleDocFile, DOCS_REPO_URL } from '../rules/shared/docs-url';
import type { Finding, Notice, RuleFailure } from '../core/findings';
import type { FileFacts } from '../core/facts';
import type { LineIndex } from '../core/text-index';
import type { WorkspaceModel } from '../model/workspace-model';
import { FactCache, defaultCacheLocation } from './fact-cache';
import type { DeployedState } from '../core/deployed';
import { buildMatrix, type MatrixData } from './matrix';
import { candidateNames, liveAddresses } from '../model/live-state';
import { DEPLOYED_STATE_RULES } from '../rules/registry';

export type { FixPlan, PlannedFix, SkippedFix, LeftOut } from './fix-plan';
export type { WriteOutcome } from './apply-fixes';
export type { ExplainData, ExplainedService, ExplainedTarget, ExplainedDeploy } from './explain';
export type { WorkspaceModel, ReadRef, WriteRef, DeployTarget } from '../model/workspace-model';
export type { Service } from '../model/services';
export { docsUrl, defaultCacheLocation, DOCS_REPO_URL };
export { WATCH_GLOBS } from './watch-globs';
export { isExtractWorker, startExtractWorker } from './extract-pool';
export type { MatrixData, MatrixColumn, MatrixRow, MatrixCell, MatrixFinding, MatrixLocation, MatrixReader, CellState } from './matrix';
export type { DeployedState, DeployedWorkload, DeployedEnvEntry, SecretInventory } from '../core/deployed';
export { readDeployedState, type StateText } from '../extract/deployed-state';
/** The ids of the rules that compare the repository with what is running (`drift`). */
export { DEPLOYED_STATE_RULES };

/** A Cloud Run service or job a deploy target names, for `drift --live` to describe. */
export interface LiveTarget {
  kind: 'service' | 'job';
  name: string;
  /** The name with the environment appended, tried when `name` is not found (a deploy script
   * naming services by a config's short name); absent when the name already ends with it. */
  alternative?: string;
  region?: string;
  project?: string;
  /** The secrets its deploys reference (ids, or full paths). */
  secrets: string[];
}

export interface AnalysisOptions {
  /** Explicit config file (CLI `--config`, editor setting), relative to the root; must lie inside it. */
  configFile?: string;
  /** The persistent fact cache's folder (`defaultCacheLocation()` is the hosts' default); none
   * when absent. */
  cacheLocation?: string;
  /** A host that only reports findings (the CLI): see `OpenOptions.findingsOnly`. */
  findingsOnly?: boolean;
  /** Worker threads a large cold load parses on (`OpenOptions.workers`); default none. */
  workers?: number;
}

export interface LoadOptions {
  /** Files to load first (an editor's open files). */
  priority?: string[];
  /** (files done, files in all), a few times a second. */
  onProgress?(done: number, total: number): void;
  /** Once the priority files and every deploy file, env file and manifest are in: their findings
   * are final then (a host may publish them while the rest loads). Not called for a cancelled load. */
  onEarly?(): void;
  /** Once every file but the code of tests is in (`OpenOptions.testsLast`: a host passing this
   * gets the tests loaded last): every finding is final then, and the tests' facts that follow
   * feed editor features only. Not called for a cancelled load, nor when there are no tests. */
  onFindings?(): void;
  /** Abandons the load (as `cancel()` does). */
  signal?: AbortSignal;
  /** Files the host names (the CLI's arguments): read even where the listing skips them
   * (`skipDirs`, `ignore`, .gitignore), as long as they are of a kind the engine reads. */
  files?: string[];
}

export type LoadOutcome =
  /** `workers`: the worker threads this load started (0: it parsed on this thread) and the files they extracted. */
  | { status: 'loaded'; files: number; workers: { threads: number; files: number } }
  /** Abandoned: `cancel()`, the signal, or a newer `load()`. */
  | { status: 'cancelled' };

export interface DiskChange {
  file: string;
  kind: 'created' | 'changed' | 'deleted';
}

export interface DiskChangeOutcome {
  /** The configuration changed: the host should `load()` again (with its progress reporting). */
  reload: boolean;
  /** Files that could not be re-read (the rest were). */
  errors: { file: string; message: string }[];
}

export interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: SeverityName;
  fixable: boolean;
  /** The doc page: the local copy when shipped (works offline), else the published one. */
  docsUrl: string;
  /** The published doc page (https), for reports read elsewhere (SARIF on GitHub). */
  helpUri: string;
}

/** Every rule the engine runs (and the engine's own unused-suppression check), with its docs page. */
export function ruleCatalog(): RuleInfo[] {
  return [...RULES.map((r) => r.meta), UNUSED_SUPPRESSION].map((m) => ({
    id: m.id, description: m.description, defaultSeverity: m.defaultSeverity, fixable: m.fixable, docsUrl: docsUrl(m.id),
    helpUri: `${DOCS_REPO_URL}${m.id}.md`,
  }));
}

/** A rule's documentation (docs/rules/<id>.md, shipped with the bundles), as Markdown. */
export function ruleDoc(id: string): string | undefined {
  const file = ruleDocFile(id);
  try {
    return file ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export class Analysis {
  /** Resolves when every file kind can be analysed (the WebAssembly parsers are loaded).
   * `updateDocument` must wait for it; `load`, `openDocument` and `closeDocument` wait themselves. */
  static ready(): Promise<void> {
    return engineReady();
  }

  static isReady(): boolean {
    return isEngineReady();
  }

  private ws: Workspace;
  private configFile: string | undefined;
  private readonly cacheLocation: string | undefined;
  private readonly findingsOnly: boolean;
  private readonly workers: number;
  private ruleOverrides: Record<string, RuleSetting> = {};
  /** Open documents' text, by file. */
  private readonly buffers = new Map<string, string>();
  private loading = false;
  /** The current workspace has read its configuration. */
  private loadedConfig = false;
  private deployed: DeployedState | undefined;

  constructor(readonly root: string, options: AnalysisOptions = {}) {
    this.configFile = options.configFile;
    this.cacheLocation = options.cacheLocation;
    this.findingsOnly = options.findingsOnly ?? false;
    this.workers = options.workers ?? 0;
    this.ws = new Workspace(root, { configFile: this.configFile, findingsOnly: this.findingsOnly });
  }

  // ---- loading ------------------------------------------------------------------------------

  /** Takes effect at the next `load()`. */
  setConfigFile(file: string | undefined): void {
    this.configFile = file;
  }

  /**
   * (Re)indexes the folder from scratch: config, listing, every relevant file (open documents
   * from their buffers). A load in progress is abandoned. Queries answer from the new index as
   * it fills.
   */
  async load(options: LoadOptions = {}): Promise<LoadOutcome> {
    this.ws.stopped = true;
    const cache = this.cacheLocation ? new FactCache(this.root, { location: this.cacheLocation }) : undefined;
    const ws = new Workspace(this.root, { configFile: this.configFile, cache, findingsOnly: this.findingsOnly, workers: this.workers, testsLast: !!options.onFindings });
    ws.setRuleOverrides(this.ruleOverrides);
    ws.setDeployed(this.deployed);
    this.ws = ws;
    this.loadedConfig = true;
    const abort = (): void => {
      ws.stopped = true;
    };
    options.signal?.addEventListener('abort', abort);
    if (options.signal?.aborted) abort();
    this.loading = true;
    try {
      const onEarly = options.onEarly && ((): void => {
        if (!ws.stopped) options.onEarly!();
      });
      const onFindings = options.onFindings && ((): void => {
        if (!ws.stopped) options.onFindings!();
      });
      await ws.loadAll(options.onProgress, options.priority ?? [], onEarly, (rel) => this.buffers.get(rel), onFindings);
      if (ws.stopped) return { status: 'cancelled' };
      // Open documents the listing left out (ignored or skipped folders) are analysed too. A load
      // answered from the fact cache has not loaded the parsers: a buffer to extract waits for them.
      for (const [rel, text] of this.buffers) {
        if (!isEngineReady() && ws.mustExtract(rel, text, false)) await engineReady();
        ws.setText(rel, text);
      }
      for (const rel of options.files ?? []) {
        if (ws.files.has(rel) || this.buffers.has(rel) || !readable(rel)) continue;
        const r = readForAnalysisSync(path.join(this.root, rel), ws.config.maxFileBytes);
        if ('skipped' in r) ws.scanNotices.set(rel, { file: rel, message: r.skipped });
        else ws.setText(rel, r.text);
      }
      return { status: 'loaded', files: checkedCount(ws), workers: ws.loadWorkers };
    } finally {
      options.signal?.removeEventListener('abort', abort);
      if (this.ws === ws) this.loading = false;
    }
  }

  /** Abandons a load in progress (the folder was removed). */
  cancel(): void {
    this.ws.stopped = true;
  }

  // ---- documents ----------------------------------------------------------------------------

  /** The editor opened `file`: its buffer is its text from now on (disk changes are ignored until
   * it is closed). Analysed now when the engine is ready, else by the load or the next update. */
  openDocument(file: string, text: string): void {
    this.buffers.set(file, text);
    if (isEngineReady()) this.ws.setText(file, text);
  }

  /** New buffer text of an open document (opens it if needed), analysed now. Call once `ready()`. */
  updateDocument(file: string, text: string): void {
    this.buffers.set(file, text);
    this.ws.setText(file, text);
  }

  /** The editor closed `file`: it reverts to what is on disk. */
  async closeDocument(file: string): Promise<void> {
    this.buffers.delete(file);
    await this.reloadFromDisk(file);
  }

  /** A file's current text: the open buffer, else the disk; undefined when it does not exist. */
  textOf(file: string): string | undefined {
    const buffer = this.buffers.get(file);
    if (buffer !== undefined) return buffer;
    try {
      return fs.readFileSync(path.join(this.root, file), 'utf8');
    } catch {
      return undefined;
    }
  }

  // ---- the disk ------------------------------------------------------------------------------

  /** Whether `file` is (or would be) the folder's configuration file. */
  isConfigFile(file: string): boolean {
    return CONFIG_NAMES.includes(path.posix.basename(file)) || (!!this.configFile && path.posix.normalize(this.configFile) === file);
  }

  /** Files changed outside the editor (a save elsewhere, a git checkout). Open documents keep
   * their buffers; during a load nothing is re-read (the load reads it). */
  async filesChanged(changes: DiskChange[]): Promise<DiskChangeOutcome> {
    const outcome: DiskChangeOutcome = { reload: false, errors: [] };
    for (const c of changes) {
      if (this.isConfigFile(c.file)) {
        outcome.reload = true;
        continue;
      }
      if (this.loading) continue;
      try {
        if (c.kind === 'deleted') {
          if (this.buffers.has(c.file)) continue;
          this.removeTree(c.file);
        } else {
          await this.reloadFromDisk(c.file);
        }
      } catch (err) {
        outcome.errors.push({ file: c.file, message: (err as Error).message });
      }
    }
    return outcome;
  }

  private removeTree(rel: string): void {
    this.ws.remove(rel);
    for (const k of [...this.ws.files.keys()]) if (k.startsWith(`${rel}/`)) this.ws.remove(k);
  }

  private async reloadFromDisk(rel: string): Promise<void> {
    await Analysis.ready();
    const abs = path.join(this.root, rel);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(abs);
    } catch {
      this.removeTree(rel);
      return;
    }
    if (stat.isDirectory()) {
      const files = await listFiles(abs, { ignore: this.ws.config.ignore, skipDirs: this.ws.config.skipDirs }, []);
      for (const f of files) await this.reloadFromDisk(`${rel}/${f}`);
      return;
    }
    if (!relevant(rel, this.ws.config.skipDirs)) return;
    if (this.buffers.has(rel)) return; // the open buffer wins
    const r = await readForAnalysis(abs, this.ws.config.maxFileBytes);
    if ('skipped' in r) {
      this.ws.remove(rel);
      this.ws.scanNotices.set(rel, { file: rel, message: r.skipped });
    } else {
      this.ws.setText(rel, r.text);
    }
  }

  // ---- results ------------------------------------------------------------------------------

  /** The editor's rule settings, over the config file's (`off` turns a rule off). */
  setRuleOverrides(rules: Record<string, RuleSetting>): void {
    this.ruleOverrides = { ...rules };
    this.ws.setRuleOverrides(this.ruleOverrides);
  }

  /** Findings by file, offset, rule; only `file`'s when given. */
  findings(filter: { file?: string } = {}): Finding[] {
    const all = this.ws.findings();
    return filter.file === undefined ? all : all.filter((f) => f.file === filter.file);
  }

  findingByFingerprint(fingerprint: string): Finding | undefined {
    return this.ws.findings().find((f) => f.fingerprint === fingerprint);
  }

  /** Rules that threw in the current analysis (their findings are missing). */
  ruleFailures(): RuleFailure[] {
    return this.ws.ruleFailures();
  }

  /** Files that could not be read or fully analysed, and config problems. */
  notices(): Notice[] {
    return this.ws.notices();
  }

  /** The fixes to apply (see fix-plan.ts): of every finding, or of `file`'s findings. */
  fixPlan(filter: { file?: string } = {}): FixPlan {
    return planFixes(this.findings(filter));
  }

  /**
   * Writes a plan to disk (the CLI's `--fix`): atomically per file, never into a file that
   * changed since it was analysed. A fix goes in whole: when one of its files cannot be written
   * as analysed, its edits to other files are left out too. Written files are re-analysed.
   */
  applyFixPlan(plan: FixPlan): WriteOutcome[] {
    const outcomes: WriteOutcome[] = [];
    const hashes = new Map<string, string>();
    const blocked = new Set<string>();
    for (const file of editsByFile(plan.edits).keys()) {
      const hash = this.ws.files.get(file)?.facts.hash;
      if (hash === undefined) {
        blocked.add(file); // not a file we read (a fix creating one is the editor's to apply)
        continue;
      }
      const current = readUnchanged(this.root, file, hash);
      if ('status' in current) {
        outcomes.push(current);
        blocked.add(file);
      } else hashes.set(file, hash);
    }
    const fixes = plan.fixes.filter((p) => !p.fix.edits.some((e) => blocked.has(e.file)));
    const edits = plan.edits.filter((e) => !blocked.has(e.file) && fixes.some((p) => p.fix.edits.some((x) => sameEdit(x, e))));
    for (const [file, list] of editsByFile(edits)) {
      const r = writeEdits(this.root, file, hashes.get(file)!, list);
      outcomes.push(r);
      if (r.status === 'applied') this.ws.setText(file, fs.readFileSync(path.join(this.root, file), 'utf8').replace(/^\ufeff/, ''));
    }
    return outcomes;
  }

  /** The configuration (read now when no load has read it yet): the file read, the effective
   * values (defaults included, before the host's rule overrides) and its problems. */
  configuration(): { file: string | undefined; config: Config; problems: ConfigProblem[] } {
    if (!this.loadedConfig) {
      this.ws.loadConfig();
      this.loadedConfig = true;
    }
    return { file: this.ws.configPath, config: this.ws.config, problems: this.ws.configProblems };
  }

  /** Files analysed (read from disk or open in the editor). */
  fileCount(): number {
    return this.ws.files.size;
  }

  /** Folders the last load skipped by name (`skipDirs`), relative to the root. */
  skippedFolders(): string[] {
    return [...this.ws.skippedDirs];
  }

  /** What is running (`readDeployedState`): turns the drift rules on; undefined turns them off. */
  setDeployedState(state: DeployedState | undefined): void {
    this.deployed = state;
    this.ws.setDeployed(state);
  }

  /** The Cloud Run services and jobs the deploys target, with the secrets they reference. */
  liveTargets(): LiveTarget[] {
    const out: LiveTarget[] = [];
    for (const t of this.ws.model().targets) {
      const secrets = [...new Set([...t.writes.values()].flat().flatMap((w) => (w.deploy && w.write.value.kind === 'secret' ? [w.write.value.secret] : [])))];
      for (const a of liveAddresses(t)) out.push({ kind: a.kind, name: a.name, alternative: candidateNames(a.name, t.environment)[1], region: a.region, project: a.project, secrets });
    }
    return out;
  }

  /** The deploy matrix (variables × deploy targets) with the current findings placed in it. */
  matrix(filter: { rules?: ReadonlySet<string> } = {}): MatrixData {
    const findings = filter.rules ? this.findings().filter((f) => filter.rules!.has(f.rule)) : this.findings();
    return buildMatrix(this.ws.model(), findings, (f) => this.ws.lineIndex(f));
  }

  /** The services, environments and deploy targets inferred, with evidence. */
  explain(): ExplainData {
    return explainModel(this.ws.model());
  }

  // ---- for editor queries (ide/) -------------------------------------------------------------

  model(): WorkspaceModel {
    return this.ws.model();
  }

  /** A file's facts as analysed (any file read, with or without facts). */
  facts(file: string): FileFacts | undefined {
    return this.ws.files.get(file)?.facts;
  }

  /** Whether the file is part of the analysis (a document is read only for the scripts it names:
   * it is not checked). */
  has(file: string): boolean {
    const e = this.ws.files.get(file);
    return !!e && e.facts.kind !== 'docs';
  }

  /** The line index of the text `file`'s facts were extracted from (files holding facts only). */
  lineIndex(file: string): LineIndex | undefined {
    return this.ws.lineIndex(file);
  }
}

/** Whether a file changed on disk can matter: a kind we analyse, or a code-root marker, outside skipped folders. */
function relevant(rel: string, skipDirs: readonly string[]): boolean {
  if (rel.split('/').some((s) => skipDirs.includes(s))) return false;
  return classify(rel) !== 'other' || isCodeRootMarker(rel);
}

/** Whether the engine reads a file of this name at all (a kind it analyses, a code-root marker, or
 * an extension-less file that may be a script). */
function readable(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return classify(rel) !== 'other' || isCodeRootMarker(rel) || !base.includes('.');
}

/** The files a run checked: a document is read only for the scripts it names, and a folder of
 * documents alone is still a run that checked nothing. */
function checkedCount(ws: Workspace): number {
  let n = 0;
  for (const e of ws.files.values()) if (e.facts.kind !== 'docs') n++;
  return n;
}
