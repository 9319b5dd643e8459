/**
 * The persistent fact cache: a second run over unchanged files reads their facts instead of
 * parsing them (as ESLint's and ruff's caches do). One file per workspace root, holding each
 * file's facts keyed by path and extraction options, and valid only for the content hash it
 * records and the tool build that wrote it.
 *
 * The file is read lazily (`FORMAT` 3): a first line naming the format, a JSON line holding the
 * build, the stat records, the derived results and where each file's entry lies, then every
 * entry as JSON of its own. Loading parses only the index; an entry is parsed when its file is
 * first looked up. On netra (7,000 files, 5.4 MB) one `JSON.parse` of the whole file was 0.1–0.16 s
 * of a warm language server's way to its first diagnostic, for the few dozen entries that the
 * early phase (open, deploy and env files) looks up before it publishes.
 *
 * Nothing read from it is trusted: an unreadable or malformed file, another build's file, an entry
 * for other content or other options, or an entry not shaped like facts is ignored and the file
 * is extracted again. Writes go to a temporary file renamed over the old one, so a reader never
 * sees half a cache. Only the disk's text is stored (files read from disk, and editor buffers
 * holding what the disk holds; never unsaved changes), though any text is looked up by its hash,
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

const FORMAT = 3;

/** The first line of a cache file: anything else (an older format, garbage) is not read further. */
const MAGIC = `deploy-preflight facts ${FORMAT}\n`;

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

/** A file's entry: the extraction options and the facts. */
interface Entry {
  options: string;
  facts: FileFacts;
}

/** A cache's content, as a whole (what `encode` writes and `decode` reads back). */
export interface Stored {
  format: number;
  tool: string;
  root: string;
  entries: Record<string, Entry>;
  /** rel → [size, mtimeMs, hash of the text read]. */
  stats: Record<string, [number, number, string]>;
  /** Results a host derived from several files, keyed by what they were derived from. */
  derived: Record<string, unknown>;
}

/** The index line: `entries` holds [rel, byte offset, byte length] into the entries after it. */
interface Head {
  format: number;
  tool: string;
  root: string;
  derived: Record<string, unknown>;
  stats: [string, number, number, string][];
  entries: [string, number, number][];
}

/** A cache file's bytes for `stored`. */
export function encode(stored: Stored): Buffer {
  const bodies: Buffer[] = [];
  const entries: Head['entries'] = [];
  let offset = 0;
  for (const [rel, e] of Object.entries(stored.entries)) {
    const b = Buffer.from(JSON.stringify(e));
    entries.push([rel, offset, b.length]);
    bodies.push(b, NEWLINE);
    offset += b.length + 1;
  }
  const head: Head = {
    format: stored.format, tool: stored.tool, root: stored.root, derived: stored.derived,
    stats: Object.entries(stored.stats).map(([rel, r]) => [rel, ...r]), entries,
  };
  return Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(head)}\n`), ...bodies]);
}

const NEWLINE = Buffer.from('\n');

/**
 * A cache file read lazily: its index parsed, each entry parsed when asked for (`entry`).
 * Undefined when the file is not a cache file of this format (nothing of it is used then).
 */
class LazyFile {
  private constructor(readonly head: Head, private readonly buf: Buffer, private readonly body: number) {}

  static read(buf: Buffer): LazyFile | undefined {
    if (buf.length < MAGIC.length || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
    const end = buf.indexOf(0x0a, MAGIC.length);
    if (end < 0) return undefined;
    let head: unknown;
    try {
      head = JSON.parse(buf.toString('utf8', MAGIC.length, end));
    } catch {
      return undefined;
    }
    return isRecord(head) ? new LazyFile(head as unknown as Head, buf, end + 1) : undefined;
  }

  /** The entry at `offset` (`length` bytes), parsed; undefined when it is not JSON of a record. */
  entry(offset: number, length: number): unknown {
    const start = this.body + offset;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length <= 0 || start + length > this.buf.length) return undefined;
    try {
      return JSON.parse(this.buf.toString('utf8', start, start + length));
    } catch {
      return undefined;
    }
  }
}

/** A cache file's content as a whole (for tests and tools; the cache itself reads lazily), or
 * undefined when it is not a cache file of this format. */
export function decode(buf: Buffer): Stored | undefined {
  const f = LazyFile.read(buf);
  if (!f) return undefined;
  const { head } = f;
  const entries: Record<string, Entry> = {};
  for (const [rel, off, len] of Array.isArray(head.entries) ? head.entries : []) entries[rel] = f.entry(off, len) as Entry;
  const stats: Stored['stats'] = {};
  for (const [rel, ...r] of Array.isArray(head.stats) ? head.stats : []) stats[rel] = r as [number, number, string];
  return { format: head.format, tool: head.tool, root: head.root, entries, stats, derived: head.derived };
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
  /** The loaded file's entries: where each lies until it is first asked for, then what it held
   * (undefined when that was not a record). */
  private old = new Map<string, { at: [number, number] } | { entry: Entry | undefined }>();
  private loaded: LazyFile | undefined;
  private readonly seen = new Map<string, Entry>();
  private oldStats = new Map<string, [number, number, string]>();
  private readonly seenStats = new Map<string, [number, number, string]>();
  private oldDerived: Record<string, unknown> = {};
  private readonly derivedNow = new Map<string, unknown>();
  /** Something this run saw differs from what was loaded: `save` writes. */
  private dirty = false;
  /** Files served from the cache, and files looked up and not served: counted once each, as a
   * load may ask for one file more than once (its stat path, the parse pool, its extraction). */
  private readonly served = new Set<string>();
  private readonly missed = new Set<string>();
  get hits(): number { return this.served.size; }
  get misses(): number { let n = 0; for (const rel of this.missed) if (!this.served.has(rel)) n++; return n; }
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
    this.file = path.join(options.location, `${createHash('sha1').update(real).digest('hex').slice(0, 16)}.facts`);
  }

  /** Reads the cache file's index; anything unreadable or written by another build counts as empty. */
  load(): void {
    this.old = new Map();
    this.loaded = undefined;
    this.oldStats = new Map();
    this.oldDerived = {};
    this.dirty = true;
    let f: LazyFile | undefined;
    try {
      f = LazyFile.read(fs.readFileSync(this.file));
    } catch {
      return;
    }
    const h = f?.head;
    if (!h || h.format !== FORMAT || h.tool !== this.tool || !Array.isArray(h.entries)) return;
    this.loaded = f;
    for (const e of h.entries) {
      if (Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' && typeof e[1] === 'number' && typeof e[2] === 'number') this.old.set(e[0], { at: [e[1], e[2]] });
    }
    if (Array.isArray(h.stats)) {
      for (const r of h.stats) {
        if (Array.isArray(r) && r.length === 4 && typeof r[0] === 'string' && typeof r[1] === 'number' && typeof r[2] === 'number' && typeof r[3] === 'string') {
          this.oldStats.set(r[0], [r[1], r[2], r[3]]);
        }
      }
    }
    if (isRecord(h.derived)) this.oldDerived = h.derived;
    this.dirty = false;
  }

  /** The loaded entry of `rel`, parsed on first use; undefined when there is none or it is not a record. */
  private oldEntry(rel: string): Entry | undefined {
    const e = this.old.get(rel);
    if (!e) return undefined;
    if ('entry' in e) return e.entry;
    const v = this.loaded?.entry(e.at[0], e.at[1]);
    const entry = isRecord(v) ? v as unknown as Entry : undefined;
    this.old.set(rel, { entry });
    return entry;
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
    const e = this.oldEntry(rel);
    if (!e || e.options !== options || !validFacts(e.facts, rel, hash)) {
      this.missed.add(rel);
      return undefined;
    }
    this.served.add(rel);
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
      fs.writeFileSync(tmp, encode(stored));
      fs.renameSync(tmp, this.file);
      // What is on disk now is what this run saw: a second save writes only if more changes.
      this.old = new Map([...this.seen].map(([rel, entry]) => [rel, { entry }]));
      this.loaded = undefined;
      this.oldStats = new Map(this.seenStats);
      this.oldDerived = derived;
      this.derivedNow.clear();
      this.dirty = false;
      // The JSON file of the format before (2): this one replaces it.
      fs.rmSync(this.file.replace(/\.facts$/, '.json'), { force: true });
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
