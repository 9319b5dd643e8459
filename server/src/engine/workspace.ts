/**
 * A workspace under analysis: its configuration, every relevant file's facts (kept up to date
 * one file at a time) and the model and findings derived from them. The CLI loads it once; the
 * language server keeps it alive and feeds it edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsing } from '../chunks/load';
import { hashText } from '../core/content-hash';
import { unparsedTestCode, unparsedTestCodeByName } from '../extract/test-stubs';
import { ExtractPool, type ExtractJob } from './extract-pool';
import { type FactCache, optionsKey } from './fact-cache';
import type { FileFacts } from '../core/facts';
import type { ExtractOptions } from '../extract/options';
import { buildModel, type WorkspaceModel } from '../model/workspace-model';
import { WordHolders } from '../model/file-words';
import { seedTsEnumResults, seedTsImports, tsEnumResults, tsImportResults } from '../model/ts-enum-types';
import type { DeployedState } from '../core/deployed';
import { CONFIG_NAMES, defaultConfig, type Config, type ConfigProblem, type RuleSetting } from '../core/config';
import { parseConfig } from './config';
import type { Finding, Notice, RuleFailure } from '../core/findings';
import { LineIndex } from '../core/text-index';
import { listFiles, readForAnalysisSync } from './scan';
import { runRules, type RuleRun } from './analyze';
import { classify } from '../extract/classify';
import { prefilters } from '../extract/prefilters';
import { pythonDeployMayMatter } from '../extract/python-deploy/prefilter';
import { isCodeRootMarker } from '../knowledge/code-roots';
import { isTestPath } from '../knowledge/test-paths';

interface Entry {
  facts: FileFacts;
  /** Built on first use (findings' ranges, editor features), from `text` or the disk. */
  lines?: LineIndex;
  /** TypeScript sources are kept for the lazy type checker (model/ts-enum-types.ts); read from
   * the disk on first use when the file was taken from the fact cache unread. */
  text?: string;
  /** The facts came from the disk: a missing text or line index may be read from there (only
   * while the file still holds the text the facts were extracted from, by its hash). */
  onDisk?: boolean;
}

export function hasFacts(f: FileFacts): boolean {
  return f.reads.length + f.deploys.length + f.builds.length + f.dbUrls.length + f.enums.length + f.accessors.length + f.driverUses.length +
    f.comparisons.length + f.gates.length + f.suppressions.length + f.problems.length + f.dynamicReads.length + f.secretValues.length > 0 || !!f.envFile || !!f.dockerfile ||
    !!f.secretInventory?.length || !!f.terraformVars?.length || !!f.terraformModuleCalls?.length || !!f.envLoads?.length || !!f.runEnv?.length || !!f.imports?.length || !!f.buildConfigRuns?.length || !!f.accessorCalls?.length ||
    !!(f.workflowCalls?.length || f.workflowInputs || f.deliveryStages?.length || f.deliveryTargets?.length || f.skaffold?.length || f.yamlMentions?.length || f.terraformVarsPassed?.length || f.scriptMentions?.length || f.buildTriggerFiles?.length || f.fixedListen || f.mentionsTrustHost || f.unreadDeploy);
}

/** Files the model must see: those holding facts, and code-root markers (even when empty). */
function isRelevant(rel: string, f: FileFacts): boolean {
  return hasFacts(f) || isCodeRootMarker(rel);
}

/** Kinds that define deploy targets, services and env files: loaded before code in the bulk load
 * (a script folder's Python file only when its bytes may hold a deploy: `mayDeployEarly`). A
 * test is never a deploy (the rules skip it), so `tests/post_deploy/…` waits like any test. */
function loadsEarly(rel: string): boolean {
  const kind = classify(rel);
  if (kind !== 'python' && kind !== 'typescript') return true;
  return kind === 'python' && /(^|\/)(deploy|scripts?|infra|ops|ci|tools)\/|deploy/i.test(rel) && !isTestPath(rel);
}

/**
 * The facts of every file, as the model sees them: `get`/`has` answer for every file; iteration
 * visits only the files that hold facts or mark a code root (a file without facts contributes
 * nothing to any consumer), in the order the files were first added — so iterating costs what the
 * facts cost, not what the workspace's size costs.
 */
class FactsView implements ReadonlyMap<string, FileFacts> {
  /** The relevant entries as an array, rebuilt after a change (array iteration is the cheap kind). */
  private snapshot: [string, FileFacts][] | undefined;
  constructor(private readonly all: Map<string, Entry>, private readonly order: string[]) {}
  changed(): void {
    this.snapshot = undefined;
  }
  get size(): number {
    return this.all.size;
  }
  get(key: string): FileFacts | undefined {
    return this.all.get(key)?.facts;
  }
  has(key: string): boolean {
    return this.all.has(key);
  }
  entries(): MapIterator<[string, FileFacts]> {
    if (!this.snapshot) {
      this.snapshot = [];
      for (const k of this.order) {
        const e = this.all.get(k);
        if (e) this.snapshot.push([k, e.facts]);
      }
    }
    return this.snapshot[Symbol.iterator]() as MapIterator<[string, FileFacts]>;
  }
  /** Every file, with facts or none (model/uncalled-functions.ts asks each one's words). */
  *everyFile(): Iterable<[string, FileFacts]> {
    for (const [k, e] of this.all) yield [k, e.facts];
  }
  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): MapIterator<FileFacts> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): MapIterator<[string, FileFacts]> {
    return this.entries();
  }
  forEach(cb: (value: FileFacts, key: string, map: ReadonlyMap<string, FileFacts>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this);
  }
}

/**
 * Resolves when the engine can extract any file kind (the WebAssembly parsers are loaded).
 * Hosts that extract outside `loadAll` (an editor's buffers) must wait for it: extraction is
 * synchronous and cannot wait itself.
 */
export function engineReady(): Promise<void> {
  return parsing().initParsers().then(() => {
    parsersReady = true;
  });
}

/** The parsing chunk is loaded and its grammars are ready (`engineReady` resolved). */
let parsersReady = false;

/** Whether `engineReady` has resolved: any text can be extracted now, synchronously. */
export function isEngineReady(): boolean {
  return parsersReady;
}

export interface OpenOptions {
  /** Explicit config file (CLI `--config`, editor setting); must lie inside the workspace. */
  configFile?: string;
  /** The persistent fact cache: files read from disk take their facts from it when unchanged. */
  cache?: FactCache;
  /**
   * Findings only (the CLI): the code of test files is not parsed. The rules skip tests, so a
   * test's facts feed only editor features (occurrences, rename, hover rows); the findings, the
   * matrix and `--explain` are the same either way (test/engine/findings-only.test.ts).
   */
  findingsOnly?: boolean;
  /**
   * Test code last (the language server): the load reads the code of tests after everything else,
   * and `onFindings` runs before it, when the findings are final — every rule skips tests, and a
   * stub (kind and `isTest`, by name) stands in for each test file until its real facts come, so
   * the model then is the findings-only model (test/engine/tests-last.test.ts). The tests' facts
   * feed editor features only (occurrences, rename, hover rows).
   */
  testsLast?: boolean;
  /**
   * Worker threads a load may extract on (0: none, all on the calling thread). They start only
   * when a load has at least `POOL_MIN_JOBS` code files to parse, and end with the load.
   */
  workers?: number;
}

/** Where the fact cache keeps the TypeScript checker's results (model/ts-enum-types.ts). */
const TS_ENUM_RESULTS = 'tsEnumResults';
const TS_IMPORTS = 'tsImports';

/** Below this many code files to parse, starting workers (each loads the parsers) costs more than it saves. */
export const POOL_MIN_JOBS = 300;
/** Files per message to a worker: large enough to amortise the copy, small enough to balance the load. */
const JOBS_PER_BATCH = 24;

/** True when `file`, with symlinks resolved, lies inside `root` (also resolved). */
export function insideRealRoot(root: string, file: string): boolean {
  try {
    const rel = path.relative(fs.realpathSync(root), fs.realpathSync(file));
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}

export class Workspace {
  readonly files = new Map<string, Entry>();
  /** Set to abandon a load in progress (its folder was removed, or a fresh index replaced it). */
  stopped = false;
  /** A file's place in the model's iteration order: when it was first added (or listed by a load). */
  private readonly seq = new Map<string, number>();
  private nextSeq = 0;
  /** Relevant files (see `isRelevant`) in `seq` order, and every folder holding a file (refcounted). */
  private readonly relevant: string[] = [];
  private readonly relevantSet = new Set<string>();
  private readonly dirCount = new Map<string, number>();
  private readonly dirs = new Set<string>();
  /** Folders holding Python or TypeScript code at any depth ('' when any file is code), refcounted. */
  private readonly codeDirCount = new Map<string, number>();
  private readonly codeDirs = new Set<string>();
  /** Folders holding an `__init__.py` (see `Layout.packageDirs`). */
  private readonly packageDirs = new Set<string>();
  private readonly view = new FactsView(this.files, this.relevant);
  /** Which files may hold a word, kept across model builds: told of every change of `files`. */
  private readonly wordHolders = new WordHolders(this.view);
  config: Config = defaultConfig();
  configNotices: Notice[] = [];
  /** The configuration's problems (each also a notice): a host may refuse to go on (the CLI exits 2). */
  configProblems: ConfigProblem[] = [];
  /** The worker threads the last `loadAll` started, and how many files they extracted. */
  loadWorkers = { threads: 0, files: 0 };
  /** The configuration file read (absolute), if any. */
  configPath: string | undefined;
  /** Folders the last listing skipped by name (`skipDirs`), relative to the root. */
  skippedDirs: string[] = [];
  /** Folders below the root holding a `.git` (Layout.repoRoots), from the walk's skipped folders. */
  private repoRoots: ReadonlySet<string> = new Set();
  readonly scanNotices = new Map<string, Notice>();
  private cachedModel: WorkspaceModel | undefined;
  private cachedRun: RuleRun | undefined;

  constructor(readonly root: string, private readonly options: OpenOptions = {}) {}

  get name(): string {
    return path.basename(path.resolve(this.root));
  }

  /** The host's rule settings (an editor's `rules` setting), applied over the config file's. */
  private ruleOverrides: Record<string, RuleSetting> = {};
  /** The config file's rule settings, before the overrides. */
  private fileRules: Record<string, RuleSetting> = {};

  /** Sets the host's rule settings; `config.rules` becomes the file's with these on top. */
  setRuleOverrides(rules: Record<string, RuleSetting>): void {
    this.ruleOverrides = { ...rules };
    this.config.rules = { ...this.fileRules, ...this.ruleOverrides };
    this.invalidate();
  }

  /** Loads the config (data only; refused when it points outside the workspace), then applies
   * the host's rule overrides. */
  loadConfig(): void {
    this.readConfig();
    this.fileRules = { ...this.config.rules };
    this.config.rules = { ...this.fileRules, ...this.ruleOverrides };
    this.invalidate();
  }

  private readConfig(): void {
    this.configNotices = [];
    this.configProblems = [];
    this.configPath = undefined;
    this.config = defaultConfig();
    const refuse = (file: string, message: string): void => {
      this.configProblems.push({ file, message });
      this.configNotices.push({ file, message });
    };
    let file = this.options.configFile;
    if (file) {
      const abs = path.resolve(this.root, file);
      const rel = path.relative(path.resolve(this.root), abs);
      if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
        refuse(file, `config file ${file} is outside the workspace: refused (it must lie inside the folder it configures)`);
        return;
      }
      if (!fs.existsSync(abs)) {
        refuse(file, `config file ${file} not found`);
        return;
      }
      file = abs;
    } else {
      file = CONFIG_NAMES.map((n) => path.join(this.root, n)).find((p) => fs.existsSync(p));
    }
    if (!file) return;
    const shown = path.relative(this.root, file) || path.basename(file);
    // The path may stay inside while a symlink leads out: judge where the file really is.
    if (!insideRealRoot(this.root, file)) {
      refuse(shown, 'config file leads outside the workspace (symlink): refused');
      return;
    }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      refuse(shown, `cannot read config: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return;
    }
    this.configPath = file;
    const { config, problems, details } = parseConfig(text, shown);
    this.config = config;
    this.configProblems = details;
    for (const p of problems) this.configNotices.push({ file: shown, message: p });
  }

  /**
   * Scans and extracts every file. `onProgress` gets (done, total). `first` files (open editors)
   * load first, then deploy files, env files and manifests, then the rest of the code;
   * `onEarly` runs once those are in (a host may publish the open files' findings then). The load
   * order does not change the model: it iterates files in listing order. Work runs in slices of
   * a few milliseconds with a yield to the event loop between them. `bufferOf` gives an editor's
   * text of a file, which is read instead of the disk.
   */
  async loadAll(
    onProgress?: (done: number, total: number) => void, first: string[] = [], onEarly?: () => void,
    bufferOf?: (rel: string) => string | undefined, onFindings?: () => void,
  ): Promise<void> {
    this.loadConfig();
    this.options.cache?.load();
    seedTsEnumResults(this.options.cache?.derived(TS_ENUM_RESULTS));
    seedTsImports(this.options.cache?.derived(TS_IMPORTS));
    const notices: Notice[] = [];
    this.skippedDirs = [];
    const list = await listFiles(this.root, {
      ignore: this.config.ignore, skipDirs: this.config.skipDirs, include: this.config.include, onSkippedDir: (rel) => this.skippedDirs.push(rel),
    }, notices);
    this.skippedDirs.sort();
    // A `.git` below the root (the walk skips it by name): a checkout of its own.
    this.repoRoots = new Set(this.skippedDirs.filter((d) => path.posix.basename(d) === '.git' && d !== '.git').map((d) => path.posix.dirname(d)));
    for (const n of notices) this.scanNotices.set(n.file, n);
    const listed = new Set(list);
    const firstSet = new Set(first.filter((f) => listed.has(f)));
    const ordered = [...firstSet, ...list.filter((f) => !firstSet.has(f))];
    for (const rel of ordered) if (!this.seq.has(rel)) this.seq.set(rel, this.nextSeq++);
    // A script folder's Python file that cannot hold a deploy (by the deploy reading's own
    // prefilter) waits until after the early publish: on netra 27 of 631 such files can.
    const preread = new Map<string, ReturnType<typeof readForAnalysisSync>>();
    const early = ordered.filter((f) => !firstSet.has(f) && loadsEarly(f) && this.mayDeployEarly(f, preread, bufferOf));
    const earlySet = new Set(early);
    // Only tests whose kind the name decides: a stub by name stands in for them until they load.
    const testStubs = new Map<string, FileFacts>();
    if (this.options.testsLast && !this.options.findingsOnly) {
      for (const f of ordered) {
        const stub = firstSet.has(f) || earlySet.has(f) ? undefined : unparsedTestCodeByName(f, '');
        if (stub) testStubs.set(f, stub);
      }
    }
    const tests = [...testStubs.keys()];
    const testSet = new Set(tests);
    const loadOrder = [...firstSet, ...early, ...ordered.filter((f) => !firstSet.has(f) && !earlySet.has(f) && !testSet.has(f)), ...tests];
    const earlyEnd = firstSet.size + early.length;
    const findingsEnd = loadOrder.length - tests.length;
    let done = 0;
    let slice = performance.now();
    const pool = this.startPool(loadOrder.slice(earlyEnd));
    // A worker's batch it could not do is extracted here.
    if (pool) await engineReady();
    this.loadWorkers = { threads: pool?.size ?? 0, files: 0 };
    const parallel = pool ? new ParallelLoad(pool, this.extractOptions()) : undefined;
    for (const rel of loadOrder) {
      if (this.stopped) break;
      const buffer = bufferOf?.(rel);
      const unread = buffer === undefined && this.loadUnchanged(rel);
      const read = preread.get(rel);
      preread.delete(rel);
      const r = unread ? undefined : buffer !== undefined ? this.bufferRead(rel, buffer) : read ?? readForAnalysisSync(path.join(this.root, rel), this.config.maxFileBytes);
      if (!r) {
        // taken from the fact cache by size and modification time, unread
      } else if ('skipped' in r) {
        this.scanNotices.set(rel, { file: rel, message: r.skipped });
        if (this.drop(rel)) this.invalidate();
        if (isCodeRootMarker(rel)) {
          if (!parsersReady) await engineReady();
          this.setText(rel, '');
        }
      } else if (parallel && buffer === undefined && done >= earlyEnd && this.applyFinished(parallel) < pool!.size * 2 && this.needsParse(rel, r.text)) {
        // No stat record for a file extracted on a worker: the next run reads and hashes it once
        // more (a cache hit), and records it then. What the workers have finished is applied as
        // it comes; while they all have work queued, the files that follow are parsed here (the
        // main thread would otherwise wait for them).
        parallel.add(rel, r.text);
      } else {
        if (!parsersReady && this.mustExtract(rel, r.text, buffer === undefined)) await engineReady();
        this.setText(rel, r.text, buffer === undefined, undefined, 'stat' in r ? r.stat : undefined, 'sameOnDisk' in r);
      }
      done++;
      const atEarly = done === earlyEnd && !!onEarly;
      const atFindings = done === findingsEnd && !!onFindings && tests.length > 0;
      if (atFindings) {
        for (const [rel, stub] of testStubs) if (!this.files.has(rel)) this.setFacts(rel, stub, { onDisk: true });
      }
      if (atEarly || atFindings) {
        onProgress?.(done, loadOrder.length);
        if (atEarly) onEarly!();
        if (atFindings) onFindings!();
        await yieldToLoop();
        slice = performance.now();
      } else if (done === loadOrder.length || performance.now() - slice > 20) {
        onProgress?.(done, loadOrder.length);
        await yieldToLoop();
        slice = performance.now();
      }
    }
    if (parallel && !this.stopped) await this.applyParallel(parallel);
    this.loadWorkers.files = pool?.answered ?? 0;
    await pool?.close();
    if (!this.stopped) this.options.cache?.save();
    this.saveAfterRules = !this.stopped && !!this.options.cache;
  }

  /**
   * Whether a file `loadsEarly` names must load before the early publish: anything but Python
   * does, and a Python file only when it may hold a deploy. A file the fact cache answers unread
   * stays early (cheap); one that must be read is read here once, and `preread` keeps its text.
   */
  private mayDeployEarly(rel: string, preread: Map<string, ReturnType<typeof readForAnalysisSync>>, bufferOf?: (rel: string) => string | undefined): boolean {
    if (!prefilters.enabled || classify(rel) !== 'python' || bufferOf?.(rel) !== undefined) return true;
    if (this.unreadFacts(rel)) return true;
    const r = readForAnalysisSync(path.join(this.root, rel), this.config.maxFileBytes);
    preread.set(rel, r);
    return !('text' in r) || pythonDeployMayMatter(r.text);
  }

  /**
   * An open document's text for the load, with the disk's size and modification time when the
   * disk holds the same text: its facts are then stored in the fact cache like the disk file's
   * (an editor restoring its tabs opens the same files at every start, and they would otherwise
   * never be stored, and be parsed again before every first publish).
   */
  private bufferRead(rel: string, buffer: string): { text: string; stat?: { size: number; mtimeMs: number }; sameOnDisk?: true } {
    if (!this.options.cache) return { text: buffer };
    const disk = readForAnalysisSync(path.join(this.root, rel), this.config.maxFileBytes);
    return 'text' in disk && disk.text === buffer ? { text: buffer, stat: disk.stat, sameOnDisk: true } : { text: buffer };
  }

  /** The first rule run after a load stores the type checker's results in the fact cache. */
  private saveAfterRules = false;

  private extractOptions(): ExtractOptions {
    return { envAccessors: this.config.envAccessors, environments: this.config.environments };
  }

  /** A pool for this load when it has enough code to parse to pay for one. */
  private startPool(rest: string[]): ExtractPool | undefined {
    const workers = this.options.workers ?? 0;
    if (workers < 1) return undefined;
    let code = 0;
    for (const rel of rest) {
      const kind = classify(rel);
      if (kind === 'python' || kind === 'typescript') code++;
    }
    return code >= POOL_MIN_JOBS ? ExtractPool.start(workers) : undefined;
  }

  /**
   * The fact cache's stat fast path: when `rel`'s size and modification time are those the cache
   * recorded with its content hash, and the cache holds facts for that hash (or a findings-only
   * host would keep a test's stub), the facts are taken without reading the file. False when
   * the file must be read (no cache, changed, unknown, or not a plain file within the size limit).
   */
  private loadUnchanged(rel: string): boolean {
    const facts = this.unreadFacts(rel);
    if (!facts) return false;
    this.setFacts(rel, facts, { onDisk: true });
    return true;
  }

  /** The facts the fact cache holds for `rel` when its size and modification time say it is
   * unchanged (a findings-only host's test stub too), without reading it; undefined otherwise. */
  private unreadFacts(rel: string): FileFacts | undefined {
    const cache = this.options.cache;
    if (!cache) return undefined;
    let st: fs.Stats;
    try {
      st = fs.statSync(path.join(this.root, rel));
    } catch {
      return undefined; // the read reports why
    }
    if (!st.isFile() || st.size > this.config.maxFileBytes) return undefined;
    const hash = cache.unchangedHash(rel, st.size, st.mtimeMs);
    if (hash === undefined) return undefined;
    return cache.get(rel, hash, optionsKey(this.extractOptions())) ?? (this.options.findingsOnly ? unparsedTestCodeByName(rel, hash) : undefined);
  }

  /**
   * Whether `setText` would extract `text` (no cached facts, not a test a findings-only host
   * leaves unparsed): a host waits for the parsers only then, so a load answered from the fact
   * cache never loads the parsing chunk (chunks/parsing.ts).
   */
  mustExtract(rel: string, text: string, fromDisk: boolean): boolean {
    // A test a findings-only host stubs is never parsed, with a cache or without one (a worker
    // given it would parse it for nothing: `--no-cache --concurrency` parsed every test).
    if (fromDisk && this.options.findingsOnly && unparsedTestCode(rel, text)) return false;
    const cache = this.options.cache;
    if (!cache) return true;
    return !cache.get(rel, hashText(text), optionsKey(this.extractOptions()));
  }

  /** True when `text` from the disk must be extracted and is code (a worker's job). */
  private needsParse(rel: string, text: string): boolean {
    const kind = classify(rel, text.slice(0, 200).split('\n', 1)[0]);
    return (kind === 'python' || kind === 'typescript') && this.mustExtract(rel, text, true);
  }

  /** Applies the answers the pool has given so far, in the order sent, without waiting; returns
   * how many batches are still out. */
  private applyFinished(parallel: ParallelLoad): number {
    this.applyAnswers(parallel.finished());
    return parallel.backlog();
  }

  /** Applies every answer of the pool, waiting for those still out. */
  private async applyParallel(parallel: ParallelLoad): Promise<void> {
    this.applyAnswers(await parallel.settle());
  }

  private applyAnswers(answers: PoolAnswer[]): void {
    for (const { rel, text, facts } of answers) {
      if (this.stopped) return;
      this.setText(rel, text, true, facts);
    }
  }

  /**
   * Extracts one file's text (from disk or an editor buffer). Returns the facts. `stat`: the
   * file's size and modification time as read, recorded in the fact cache with the text's hash.
   */
  setText(
    rel: string, text: string, fromDisk = false, extracted?: FileFacts, stat?: { size: number; mtimeMs: number }, sameOnDisk = false,
  ): FileFacts {
    const options = this.extractOptions();
    const cache = this.options.cache;
    // Only the disk's text is stored (a file from the disk, or a buffer holding what the disk
    // holds), but any editor buffer is looked up: its facts are those of its text, wherever the
    // text came from. A file open as the server starts is most often unchanged, and its facts
    // then need no parse before the first publish.
    const store = fromDisk || sameOnDisk ? cache : undefined;
    let facts = extracted;
    const hash = cache ? extracted?.hash ?? hashText(text) : undefined;
    if (facts) store?.put(rel, optionsKey(options), facts);
    else if (cache) facts = cache.get(rel, hash!, optionsKey(options));
    // Never cached: an editor sharing the cache needs the test's real facts.
    if (!facts && fromDisk && this.options.findingsOnly) facts = unparsedTestCode(rel, text, hash);
    if (!facts) {
      facts = parsing().extractFile(rel, text, options);
      store?.put(rel, optionsKey(options), facts);
    }
    if (store && stat) store.recordStat(rel, stat.size, stat.mtimeMs, hash!);
    // A file from the disk builds its line index when first asked (most never are), re-reading
    // the disk then; an editor's buffer is not on the disk, so its index is built now. Likewise a
    // TypeScript text the type checker may ask for: kept for a buffer, read again from the disk
    // otherwise (a cold index kept every one, ~1,000 texts the checker never asked for, and each
    // edit's garbage collection paid for them).
    const lines = !fromDisk && hasFacts(facts) ? new LineIndex(text) : undefined;
    return this.setFacts(rel, facts, { lines, onDisk: fromDisk, ...(facts.kind === 'typescript' && !fromDisk ? { text } : {}) });
  }

  /** Puts a file's facts in place (with what else its entry holds). Returns the facts. */
  private setFacts(rel: string, facts: FileFacts, entry: Omit<Entry, 'facts'>): FileFacts {
    this.scanNotices.delete(rel);
    const prev = this.files.get(rel);
    if (prev && prev.facts === facts) return facts;
    if (!prev) this.added(rel);
    this.files.set(rel, { facts, ...entry });
    this.wordHolders.changed(rel, prev?.facts, facts);
    const now = isRelevant(rel, facts);
    if (now !== this.relevantSet.has(rel)) {
      if (now) this.insertRelevant(rel);
      else this.removeRelevant(rel);
    }
    this.invalidate();
    return facts;
  }

  remove(rel: string): void {
    if (this.drop(rel)) {
      this.seq.delete(rel);
      this.invalidate();
    }
    this.scanNotices.delete(rel);
  }

  /** Forgets a file's facts (keeping its place in the order). Returns whether it was there. */
  private drop(rel: string): boolean {
    const prev = this.files.get(rel);
    if (!prev || !this.files.delete(rel)) return false;
    this.wordHolders.changed(rel, prev.facts, undefined);
    this.removeRelevant(rel);
    if (path.posix.basename(rel) === '__init__.py') this.packageDirs.delete(packageDirOf(rel));
    if (isCode(rel)) {
      for (const d of ancestors(rel)) {
        const n = (this.codeDirCount.get(d) ?? 1) - 1;
        if (n > 0) this.codeDirCount.set(d, n);
        else {
          this.codeDirCount.delete(d);
          this.codeDirs.delete(d);
        }
      }
    }
    for (let d = path.posix.dirname(rel); d !== '.' && d !== '/' && d !== ''; d = path.posix.dirname(d)) {
      const n = (this.dirCount.get(d) ?? 1) - 1;
      if (n > 0) this.dirCount.set(d, n);
      else {
        this.dirCount.delete(d);
        this.dirs.delete(d);
      }
    }
    return true;
  }

  private added(rel: string): void {
    if (!this.seq.has(rel)) this.seq.set(rel, this.nextSeq++);
    if (path.posix.basename(rel) === '__init__.py') this.packageDirs.add(packageDirOf(rel));
    if (isCode(rel)) {
      for (const d of ancestors(rel)) {
        this.codeDirCount.set(d, (this.codeDirCount.get(d) ?? 0) + 1);
        this.codeDirs.add(d);
      }
    }
    for (let d = path.posix.dirname(rel); d !== '.' && d !== '/' && d !== ''; d = path.posix.dirname(d)) {
      this.dirCount.set(d, (this.dirCount.get(d) ?? 0) + 1);
      this.dirs.add(d);
    }
  }

  private insertRelevant(rel: string): void {
    const s = this.seq.get(rel)!;
    let lo = 0;
    let hi = this.relevant.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seq.get(this.relevant[mid])! < s) lo = mid + 1;
      else hi = mid;
    }
    this.relevant.splice(lo, 0, rel);
    this.relevantSet.add(rel);
  }

  private removeRelevant(rel: string): void {
    if (!this.relevantSet.delete(rel)) return;
    const i = this.relevant.indexOf(rel);
    if (i >= 0) this.relevant.splice(i, 1);
  }

  /** What is running, for the drift rules (see core/deployed.ts); undefined turns them off. */
  private deployed: DeployedState | undefined;
  setDeployed(state: DeployedState | undefined): void {
    this.deployed = state;
    this.invalidate();
  }

  invalidate(): void {
    this.view.changed();
    this.cachedModel = undefined;
    this.cachedRun = undefined;
  }

  model(): WorkspaceModel {
    if (!this.cachedModel) {
      this.cachedModel = buildModel(this.view, this.config, this.name, { dirs: this.dirs, codeDirs: this.codeDirs, packageDirs: this.packageDirs, repoRoots: this.repoRoots }, this.wordHolders);
      this.cachedModel.readText = (rel) => this.textOf(rel);
      this.cachedModel.deployed = this.deployed;
    }
    return this.cachedModel;
  }

  /** The line index of the text `rel`'s facts were extracted from (files with facts only). */
  lineIndex(rel: string): LineIndex | undefined {
    const e = this.files.get(rel);
    if (!e || (!e.lines && !hasFacts(e.facts))) return e?.lines;
    if (!e.lines) {
      const text = e.text ?? this.diskText(rel, e);
      if (text !== undefined) e.lines = new LineIndex(text);
    }
    return e.lines;
  }

  /** A TypeScript file's text as its facts know it (for the type checker). */
  private textOf(rel: string): string | undefined {
    const e = this.files.get(rel);
    if (!e || e.facts.kind !== 'typescript') return undefined;
    e.text ??= this.diskText(rel, e);
    return e.text;
  }

  /** The disk's text of `rel` when it is still the text its facts were extracted from. */
  private diskText(rel: string, e: Entry): string | undefined {
    if (!e.onDisk) return undefined;
    const r = readForAnalysisSync(path.join(this.root, rel), this.config.maxFileBytes);
    return 'text' in r && hashText(r.text) === e.facts.hash ? r.text : undefined;
  }

  private run(): RuleRun {
    if (!this.cachedRun) {
      this.cachedRun = runRules(this.model(), (f) => this.lineIndex(f));
      if (this.saveAfterRules) {
        // Results derived from several files (the checker's) exist only once the rules ran; the
        // cache writes only when they differ from what it loaded.
        this.saveAfterRules = false;
        this.options.cache?.setDerived(TS_ENUM_RESULTS, tsEnumResults());
        this.options.cache?.setDerived(TS_IMPORTS, tsImportResults());
        this.options.cache?.save();
      }
    }
    return this.cachedRun;
  }

  findings(): Finding[] {
    return this.run().findings;
  }

  /** Rules that threw in the last run (their findings are missing from `findings()`). */
  ruleFailures(): RuleFailure[] {
    return this.run().ruleFailures;
  }

  /** Files that could not be read or fully analysed, and config problems. */
  notices(): Notice[] {
    const out = [...this.configNotices, ...this.scanNotices.values()];
    // A file with problems is relevant: the ordered view holds it.
    for (const [rel, facts] of this.view) for (const p of facts.problems) out.push({ file: rel, message: p.message });
    return out;
  }
}

/** The folder an `__init__.py` makes a package ('' for the root). */
function packageDirOf(rel: string): string {
  const d = path.posix.dirname(rel);
  return d === '.' ? '' : d;
}

function isCode(rel: string): boolean {
  const kind = classify(rel);
  return kind === 'python' || kind === 'typescript';
}

/** A file's folders from its own up to the workspace root (''). */
function ancestors(rel: string): string[] {
  const out: string[] = [];
  for (let d = path.posix.dirname(rel); ; d = path.posix.dirname(d)) {
    const dir = d === '.' || d === '/' ? '' : d;
    out.push(dir);
    if (dir === '') return out;
  }
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A file the pool extracted, with its text, to apply as if extracted here. */
interface PoolAnswer { rel: string; text: string; facts: FileFacts }

/**
 * The files of one load sent to the pool, in batches, and their answers in the order sent. A
 * batch the pool could not do (a worker died) is extracted here instead: same facts, slower.
 */
class ParallelLoad {
  private batch: ExtractJob[] = [];
  private readonly sent: { jobs: ExtractJob[]; facts: Promise<FileFacts[] | undefined>; got?: { facts: FileFacts[] | undefined } }[] = [];
  constructor(private readonly pool: ExtractPool, private readonly options: ExtractOptions) {}

  /** The answers of the oldest batches that have come back, in the order sent (none is waited for). */
  finished(): PoolAnswer[] {
    const out: PoolAnswer[] = [];
    while (this.sent.length && this.sent[0].got) {
      const { jobs, got } = this.sent.shift()!;
      this.answer(jobs, got!.facts, out);
    }
    return out;
  }

  add(rel: string, text: string): void {
    this.batch.push({ rel, text });
    if (this.batch.length >= JOBS_PER_BATCH) this.flush();
  }

  /** Batches sent and not yet applied. */
  backlog(): number {
    return this.sent.length;
  }

  /** Waits for the oldest batches until `keep` remain (0: all, the partial batch included). */
  /** Every answer, the partial batch sent too, waiting for those still out, in the order sent. */
  async settle(): Promise<PoolAnswer[]> {
    this.flush();
    const out: PoolAnswer[] = [];
    while (this.sent.length) {
      const { jobs, facts } = this.sent.shift()!;
      this.answer(jobs, await facts, out);
    }
    return out;
  }

  /** A batch's answers; one the pool could not do is extracted here (same facts, slower). */
  private answer(jobs: ExtractJob[], facts: FileFacts[] | undefined, out: PoolAnswer[]): void {
    jobs.forEach((j, i) => out.push({ rel: j.rel, text: j.text, facts: facts?.[i] ?? parsing().extractFile(j.rel, j.text, this.options) }));
  }

  private flush(): void {
    if (!this.batch.length) return;
    const jobs = this.batch;
    this.batch = [];
    const entry: (typeof this.sent)[number] = { jobs, facts: this.pool.extract(jobs, this.options) };
    entry.facts.then((facts) => { entry.got = { facts }; });
    this.sent.push(entry);
  }
}
