/**
 * The persistent fact cache: a second run over unchanged files reads their facts instead of
 * parsing them (as ESLint's and ruff's caches do). One JSON file per workspace root, holding each
 * file's facts keyed by path and extraction options, and valid only for the content hash it
 * records and the tool build that wrote it.
 *
 * Nothing read from it is trusted: an unreadable or malformed file, another build's file, an entry
 * for other content or other options, or an entry not shaped like facts is ignored and the file
 * is extracted again. Writes go to a temporary file renamed over the old one, so a reader never
 * sees half a cache. Only files read from disk are stored (an editor's unsaved buffers are not),
 * and each save keeps only the files this run saw, so deleted files leave the cache; a run that
 * changed nothing does not write at all.
 *
 * The stat fast path (ESLint's `metadata` strategy, ruff's): each file read also records its size
 * and modification time with the hash of the text read. When both still match, the file need not
 * be read nor hashed: the recorded hash stands for its content, and its facts are looked up by
 * that hash as usual (the hash stays the key of truth). A changed size or time sends the file down
 * the read-and-hash path. As git does with a "racily clean" index, a record is not made for a file
 * modified within `RACY_MS` of being read: a later write in the same clock tick could keep its
 * time and size, and it must not be taken for unchanged.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emptyFacts, type FileFacts } from '../core/facts';
import { defaultCacheLocation } from '../core/cache-location';
import { VERSION } from '../core/version';
import type { ExtractOptions } from '../extract/options';
import { prefilters } from '../extract/prefilters';

export { defaultCacheLocation };

const FORMAT = 2;

/** Files modified this recently when read get no stat record (see above): the coarsest common
 * file-time granularity (FAT's 2 s) with room to spare. */
export const RACY_MS = 3000;

/**
 * Which build of the tool wrote a cache: its version and the identity (size, modification time)
 * of the running bundle, so that any rebuild, not only a release, starts from an empty cache.
 */
export function toolFingerprint(): string {
  let build = '';
  try {
    const st = fs.statSync(__filename);
    build = `${st.size}:${st.mtimeMs}`;
  } catch {
    build = 'unknown';
  }
  return `${VERSION}:${build}`;
}

/** The extraction options a file's facts depend on, as text. */
export function optionsKey(options: ExtractOptions): string {
  return `${options.envAccessors.join(',')}\0${JSON.stringify(options.environments ?? {})}\0${prefilters.enabled ? '' : 'unfiltered'}`;
}

interface Stored {
  format: number;
  tool: string;
  root: string;
  entries: Record<string, { options: string; facts: FileFacts }>;
  /** rel → [size, mtimeMs, hash of the text read]. */
  stats: Record<string, [number, number, string]>;
  /** Results a host derived from several files, keyed by what they were derived from. */
  derived: Record<string, unknown>;
}

export interface FactCacheOptions {
  /** The folder holding the cache files (created when needed). */
  location: string;
  /** The tool build (`toolFingerprint()` unless a test says otherwise). */
  tool?: string;
}

export class FactCache {
  readonly file: string;
  private readonly tool: string;
  private old = new Map<string, { options: string; facts: FileFacts }>();
  private readonly seen = new Map<string, { options: string; facts: FileFacts }>();
  private oldStats = new Map<string, [number, number, string]>();
  private readonly seenStats = new Map<string, [number, number, string]>();
  private oldDerived: Record<string, unknown> = {};
  private readonly derivedNow = new Map<string, unknown>();
  /** Something this run saw differs from what was loaded: `save` writes. */
  private dirty = false;
  hits = 0;
  misses = 0;
  /** Files taken as unchanged by their size and modification time (not read). */
  statHits = 0;

  constructor(readonly root: string, options: FactCacheOptions) {
    this.tool = options.tool ?? toolFingerprint();
    let real = path.resolve(root);
    try {
      real = fs.realpathSync(real);
    } catch {
      // a root that does not exist (yet) is keyed by its resolved path
    }
    this.file = path.join(options.location, `${createHash('sha1').update(real).digest('hex').slice(0, 16)}.json`);
  }

  /** Reads the cache file; anything unreadable or written by another build counts as empty. */
  load(): void {
    this.old = new Map();
    this.oldStats = new Map();
    this.oldDerived = {};
    this.dirty = true;
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return;
    }
    if (!isRecord(data)) return;
    const s = data as Partial<Stored>;
    if (s.format !== FORMAT || s.tool !== this.tool || !isRecord(s.entries)) return;
    for (const [rel, e] of Object.entries(s.entries)) if (isRecord(e)) this.old.set(rel, e as { options: string; facts: FileFacts });
    if (isRecord(s.stats)) {
      for (const [rel, r] of Object.entries(s.stats)) {
        if (Array.isArray(r) && r.length === 3 && typeof r[0] === 'number' && typeof r[1] === 'number' && typeof r[2] === 'string') {
          this.oldStats.set(rel, r as [number, number, string]);
        }
      }
    }
    if (isRecord(s.derived)) this.oldDerived = s.derived;
    this.dirty = false;
  }

  /**
   * The hash of `rel`'s content when its size and modification time are those recorded when it
   * was last read (the caller then need not read it); otherwise undefined. Only a hash: the
   * facts are still looked up by it (`get`), and the caller reads the file when they are missing.
   */
  unchangedHash(rel: string, size: number, mtimeMs: number): string | undefined {
    const r = this.oldStats.get(rel);
    if (!r || r[0] !== size || r[1] !== mtimeMs) return undefined;
    this.statHits++;
    this.seenStats.set(rel, r);
    return r[2];
  }

  /** Records the size and modification time of `rel` as read, with the hash of the text read
   * (not for a file modified within `RACY_MS` of `readAt`). */
  recordStat(rel: string, size: number, mtimeMs: number, hash: string, readAt = Date.now()): void {
    if (readAt - mtimeMs < RACY_MS) return;
    const old = this.oldStats.get(rel);
    if (!old || old[0] !== size || old[1] !== mtimeMs || old[2] !== hash) this.dirty = true;
    this.seenStats.set(rel, [size, mtimeMs, hash]);
  }

  /** What was stored under `name` by `setDerived` (unchecked: the caller validates it). */
  derived(name: string): unknown {
    return this.oldDerived[name];
  }

  /** Stores a host's derived results under `name` (JSON data) at the next save. */
  setDerived(name: string, value: unknown): void {
    if (JSON.stringify(value) !== JSON.stringify(this.oldDerived[name])) this.dirty = true;
    this.derivedNow.set(name, value);
  }

  /** The stored facts of `rel` when they were extracted from text with this `hash` and these
   * options and are shaped like facts; otherwise undefined. */
  get(rel: string, hash: string, options: string): FileFacts | undefined {
    const e = this.old.get(rel);
    if (!e || e.options !== options || !validFacts(e.facts, rel, hash)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.seen.set(rel, e);
    return e.facts;
  }

  /** Remembers facts extracted from disk. Facts with a failure of the engine (parsers not loaded)
   * are not remembered, as the in-memory cache does not remember them. */
  put(rel: string, options: string, facts: FileFacts): void {
    if (facts.problems.some((p) => p.message.startsWith('could not analyse this file'))) return;
    this.seen.set(rel, { options, facts });
    this.dirty = true;
  }

  /**
   * Writes the files seen in this run (atomically), unless the file would say what it says
   * already (every file unchanged and still there). A failure to write only costs the next run time.
   */
  save(): void {
    if (!this.dirty && this.seen.size === this.old.size && this.seenStats.size === this.oldStats.size) return;
    const derived = { ...this.oldDerived, ...Object.fromEntries(this.derivedNow) };
    const stored: Stored = {
      format: FORMAT, tool: this.tool, root: this.root, entries: Object.fromEntries(this.seen), stats: Object.fromEntries(this.seenStats), derived,
    };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(stored));
      fs.renameSync(tmp, this.file);
      // What is on disk now is what this run saw: a second save writes only if more changes.
      this.old = new Map(this.seen);
      this.oldStats = new Map(this.seenStats);
      this.oldDerived = derived;
      this.derivedNow.clear();
      this.dirty = false;
    } catch {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // nothing more to do
      }
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields every file's facts hold as lists (the same for every kind). */
const LIST_FIELDS = Object.entries(emptyFacts('', 'other', '')).filter(([, v]) => Array.isArray(v)).map(([k]) => k);

/** Facts of `rel` for content `hash`, with every list a list (what the model iterates). */
function validFacts(f: unknown, rel: string, hash: string): f is FileFacts {
  if (!isRecord(f) || f.file !== rel || f.hash !== hash || typeof f.kind !== 'string') return false;
  for (const k of LIST_FIELDS) if (!Array.isArray(f[k])) return false;
  return true;
}
