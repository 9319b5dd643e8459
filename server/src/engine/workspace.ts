/**
 * A workspace under analysis: its configuration, every relevant file's facts (kept up to date
 * one file at a time) and the model and findings derived from them. The CLI loads it once; the
 * language server keeps it alive and feeds it edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../extract/index';
import type { FileFacts } from '../extract/facts';
import { initParsers } from '../parsers/tree-sitter';
import { buildModel, type WorkspaceModel } from '../model/workspace-model';
import { CONFIG_NAMES, defaultConfig, parseConfig, type Config } from './config';
import type { Finding, Notice } from './findings';
import { LineIndex } from './text-index';
import { listFiles, readForAnalysis } from './scan';
import { runRules } from './analyze';
import { classify } from '../extract/classify';

interface Entry {
  facts: FileFacts;
  lines?: LineIndex;
}

function hasFacts(f: FileFacts): boolean {
  return f.reads.length + f.deploys.length + f.dbUrls.length + f.enums.length + f.accessors.length +
    f.comparisons.length + f.gates.length + f.suppressions.length + f.problems.length + f.dynamicReads.length > 0 || !!f.envFile;
}

export interface OpenOptions {
  /** Explicit config file (CLI `--config`, editor setting); must lie inside the workspace. */
  configFile?: string;
}

export class Workspace {
  readonly files = new Map<string, Entry>();
  config: Config = defaultConfig();
  configNotices: Notice[] = [];
  readonly scanNotices = new Map<string, Notice>();
  private cachedModel: WorkspaceModel | undefined;
  private cachedFindings: Finding[] | undefined;

  constructor(readonly root: string, private readonly options: OpenOptions = {}) {}

  get name(): string {
    return path.basename(path.resolve(this.root));
  }

  /** Loads the config (data only; refused when it points outside the workspace). */
  loadConfig(): void {
    this.configNotices = [];
    let file = this.options.configFile;
    if (file) {
      const abs = path.resolve(this.root, file);
      const rel = path.relative(path.resolve(this.root), abs);
      if (rel.startsWith('..') || path.isAbsolute(rel)) {
        this.configNotices.push({ file, message: `config file ${file} is outside the workspace: refused` });
        this.config = defaultConfig();
        return;
      }
      file = abs;
    } else {
      file = CONFIG_NAMES.map((n) => path.join(this.root, n)).find((p) => fs.existsSync(p));
    }
    if (!file) {
      this.config = defaultConfig();
      return;
    }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      this.configNotices.push({ file: path.relative(this.root, file), message: `cannot read config: ${(err as Error).message}` });
      this.config = defaultConfig();
      return;
    }
    const { config, problems } = parseConfig(text, path.relative(this.root, file) || path.basename(file));
    this.config = config;
    for (const p of problems) this.configNotices.push({ file: path.relative(this.root, file), message: p });
    this.invalidate();
  }

  /** Scans and extracts every file. `onProgress` gets (done, total). */
  async loadAll(onProgress?: (done: number, total: number) => void, first: string[] = []): Promise<void> {
    await initParsers();
    this.loadConfig();
    const notices: Notice[] = [];
    const list = await listFiles(this.root, { ignore: this.config.ignore }, notices);
    for (const n of notices) this.scanNotices.set(n.file, n);
    const ordered = [...first.filter((f) => list.includes(f)), ...list.filter((f) => !first.includes(f))];
    let done = 0;
    // Reads run a few at a time; extraction is synchronous CPU work.
    const batch = 32;
    for (let i = 0; i < ordered.length; i += batch) {
      const slice = ordered.slice(i, i + batch);
      const texts = await Promise.all(slice.map((rel) => readForAnalysis(path.join(this.root, rel), this.config.maxFileBytes)));
      slice.forEach((rel, k) => {
        const r = texts[k];
        if ('skipped' in r) {
          this.scanNotices.set(rel, { file: rel, message: r.skipped });
          this.files.delete(rel);
          if (classify(rel) === 'manifest' || classify(rel) === 'dockerfile') this.setText(rel, '');
        } else {
          this.setText(rel, r.text);
        }
      });
      done += slice.length;
      onProgress?.(done, ordered.length);
    }
  }

  /** Extracts one file's text (from disk or an editor buffer). Returns the facts. */
  setText(rel: string, text: string): FileFacts {
    const facts = extractFile(rel, text, { envAccessors: this.config.envAccessors });
    this.scanNotices.delete(rel);
    const prev = this.files.get(rel);
    if (prev && prev.facts === facts) return facts;
    this.files.set(rel, { facts, lines: hasFacts(facts) ? new LineIndex(text) : undefined });
    this.invalidate();
    return facts;
  }

  remove(rel: string): void {
    if (this.files.delete(rel)) this.invalidate();
    this.scanNotices.delete(rel);
  }

  invalidate(): void {
    this.cachedModel = undefined;
    this.cachedFindings = undefined;
  }

  model(): WorkspaceModel {
    if (!this.cachedModel) {
      const facts = new Map<string, FileFacts>();
      for (const [rel, e] of this.files) facts.set(rel, e.facts);
      this.cachedModel = buildModel(facts, this.config, this.name);
    }
    return this.cachedModel;
  }

  lineIndex(rel: string): LineIndex | undefined {
    return this.files.get(rel)?.lines;
  }

  findings(): Finding[] {
    this.cachedFindings ??= runRules(this.model(), (f) => this.lineIndex(f));
    return this.cachedFindings;
  }

  /** Files that could not be read or fully analysed, and config problems. */
  notices(): Notice[] {
    const out = [...this.configNotices, ...this.scanNotices.values()];
    for (const [rel, e] of this.files) for (const p of e.facts.problems) out.push({ file: rel, message: p.message });
    return out;
  }
}
