/**
 * Real-world accuracy corpus: runs the CLI over exported trees of pinned public repositories and
 * measures precision against per-repository judgments.
 *
 *   npm run corpus                          # every repo of test/corpus/manifest.json found locally
 *   npm run corpus -- --export              # first export missing trees from the git mirrors
 *   npm run corpus -- --no-git-index        # leave trees without their commit's git index (.git/index)
 *   npm run corpus -- --repo NAME           # one repository (repeatable)
 *   npm run corpus -- --json out.json       # also write machine-readable results
 *   npm run corpus -- --list-unjudged       # print every unjudged finding in full, to judge it
 *   npm run corpus -- --held-out            # with --list-unjudged: list held-out repos too
 *
 * Environment: CORPUS_MANIFEST (default test/corpus/manifest.json) names the manifest; CORPUS_DIR (default /work/corpus) holds the trees, one folder per manifest name;
 * CORPUS_MIRRORS (default /work/.mirror) holds bare git mirrors named `owner+name`. CORPUS_CLI (default dist/cli.js) is the build to run.
 * Trees live outside the project on purpose: real repositories' files are never committed here.
 * `--export` writes `<name>.export.json` next to each tree (repo, commit, counts); a tree without it
 * is trusted as placed by hand. An exported tree gets its commit's git index (`.git/index`), as a
 * checkout has one, so a `.gitignore` rule hides no tracked file from the scan (a tree exported
 * earlier gets it added on the next run; `--no-git-index` leaves trees as they are). Forty-odd
 * trees hold tracked files a `.gitignore` names (a committed `cloudbuild.yaml`, `*.tfvars`,
 * `.env.production`, even `package.json`). History cases (manifest `history`) run on the tree of `parentCommit`
 * at $CORPUS_DIR/history/<name>@<first 8 hex>, exported the same way, and are reported caught when
 * every `expect` entry (rule, optional file, optional message substring) matches a finding.
 *
 * Precision is counted per problem: the tool reports some cross-file problems at both ends (the
 * code read and the deploy's variable). Findings of one rule are grouped when each one's primary
 * location (file and line) is a related location of the other, transitively, and the related
 * location names a variable both messages name. A problem is judged when
 * every finding in it is judged; it is true when all are true, false when any is false, otherwise
 * debatable. Its severity is the highest of its findings. Debatable counts as not true.
 * Per-finding figures are printed next to the per-problem ones.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const MANIFEST = process.env.CORPUS_MANIFEST || join(ROOT, 'test/corpus/manifest.json');
const JUDGMENTS = join(ROOT, 'test/corpus/judgments');
// CORPUS_CLI runs another build (a frozen copy) while this checkout is rebuilt.
const CLI = process.env.CORPUS_CLI ? resolve(process.env.CORPUS_CLI) : join(ROOT, 'dist/cli.js');
const CORPUS_DIR = process.env.CORPUS_DIR || '/work/corpus';
const MIRRORS = process.env.CORPUS_MIRRORS || '/work/.mirror';
const RUN_TIMEOUT_MS = 20 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Types

interface RepoEntry { name: string; repo: string; commit: string; heldOut: boolean; shape: string; why: string }
interface HistoryExpect { rule: string; file?: string; contains?: string }
interface HistoryEntry {
  name: string; repo: string; fixCommit: string; parentCommit: string; bug: string; expect: HistoryExpect[];
  /** Folder name of the exported tree (cases of one repository share `<tree>@<parent>`). */
  tree?: string;
  /** Why the tool misses it, when it does (kept by hand, for the team). */
  whyMissed?: string;
}
interface Manifest { repos: RepoEntry[]; history: HistoryEntry[] }

interface JPos { line: number; column: number }
interface JFinding {
  rule: string; severity: string; file: string;
  range: { start: JPos; end: JPos };
  message: string;
  related: { file: string; range: { start: JPos; end: JPos }; message: string }[];
  fingerprint: string;
}
type Verdict = 'true' | 'false' | 'debatable';
interface Judgment { verdict: Verdict; rule: string; severity: string; file: string; line: number; reason: string }

interface RunResult {
  ok: boolean; findings: JFinding[]; notices: unknown[]; ms: number; error?: string;
}

interface Problem { findings: JFinding[]; severity: string; verdict: Verdict | 'unjudged' }

interface RepoReport {
  name: string; repo: string; commit: string; heldOut: boolean;
  status: 'ran' | 'skipped' | 'crashed';
  reason?: string;
  files?: number; ms?: number;
  findings?: number; byRule?: Record<string, number>; bySeverity?: Record<string, number>;
  problems?: number;
  judged?: { findings: Counts; problems: Counts };
  unjudged?: number; staleJudgments?: number;
  internalErrors?: string[];
}
interface Counts { errors: PRCount; warnings: PRCount; info: PRCount }
interface PRCount { judged: number; true: number; false: number; debatable: number }

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv: string[]) {
  const o = { export: false, gitIndex: true, repos: [] as string[], json: undefined as string | undefined, listUnjudged: false, heldOut: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--export') o.export = true;
    else if (a === '--git-index') o.gitIndex = true;
    else if (a === '--no-git-index') o.gitIndex = false;
    else if (a === '--repo') o.repos.push(argv[++i] ?? '');
    else if (a.startsWith('--repo=')) o.repos.push(a.slice(7));
    else if (a === '--json') o.json = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'corpus-results.json';
    else if (a.startsWith('--json=')) o.json = a.slice(7);
    else if (a === '--list-unjudged') o.listUnjudged = true;
    else if (a === '--held-out') o.heldOut = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Mirrors and export

/** The bare git directory of `owner/name` under MIRRORS (folder `owner+name`, any case). */
function findMirror(repo: string): string | undefined {
  if (!existsSync(MIRRORS)) return undefined;
  const want = repo.replace('/', '+').toLowerCase();
  const dir = readdirSync(MIRRORS).find((d) => d.toLowerCase() === want);
  if (!dir) return undefined;
  const base = join(MIRRORS, dir);
  const isGitDir = (p: string) => existsSync(join(p, 'HEAD')) && existsSync(join(p, 'objects'));
  if (isGitDir(join(base, 'repo'))) return join(base, 'repo');
  // A mirror fetched with a work tree: its git directory inside.
  if (isGitDir(join(base, 'repo', '.git'))) return join(base, 'repo', '.git');
  if (isGitDir(base)) return base;
  for (const sub of readdirSync(base)) if (isGitDir(join(base, sub))) return join(base, sub);
  return undefined;
}

function runGit(gitDir: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((res, rej) => {
    const p = spawn('git', [`--git-dir=${gitDir}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = []; const err: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', rej);
    p.stdin.on('error', () => { /* git exited early: its exit code tells why */ });
    p.on('close', (code) => code === 0 ? res(Buffer.concat(out)) : rej(new Error(`git ${args[0]} failed (${code}): ${Buffer.concat(err).toString().trim()}`)));
    p.stdin.end(input ?? '');
  });
}

interface TreeEntry { mode: string; type: string; oid: string; path: string }

async function listTree(gitDir: string, commit: string): Promise<TreeEntry[]> {
  const raw = await runGit(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const rec of raw.toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    entries.push({ mode, type, oid, path: rec.slice(tab + 1) });
  }
  return entries;
}

/** A path we are willing to write under the destination: relative, no `.`/`..` parts, no .git. */
function safePath(p: string): boolean {
  if (!p || p.startsWith('/')) return false;
  const parts = p.split('/');
  return parts.every((s) => s !== '' && s !== '.' && s !== '..' && s.toLowerCase() !== '.git');
}

/**
 * Writes the blobs of `entries` under `dest`, streaming them out of one `git cat-file --batch`.
 * Output per object: `<oid> blob <size>\n<content>\n`, or `<oid> missing\n` for blobs the mirror
 * lacks (snapshots omit files of 4 MiB and more).
 */
function writeBlobs(gitDir: string, entries: TreeEntry[], dest: string): Promise<{ written: number; missing: number }> {
  return new Promise((res, rej) => {
    const p = spawn('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let idx = 0; let written = 0; let missing = 0;
    let buf: Buffer = Buffer.alloc(0);
    let need = -1; // bytes of content (+1 newline) still expected for entries[idx]; -1 = reading a header
    const madeDirs = new Set<string>();
    const errText: Buffer[] = [];
    const consume = () => {
      for (;;) {
        if (need < 0) {
          const nl = buf.indexOf(0x0a);
          if (nl < 0) return;
          const header = buf.subarray(0, nl).toString('utf8');
          buf = buf.subarray(nl + 1);
          const parts = header.split(' ');
          if (parts[1] === 'missing' || parts.length < 3) { missing++; idx++; continue; }
          need = Number(parts[2]) + 1;
        } else {
          if (buf.length < need) return;
          const content = buf.subarray(0, need - 1);
          buf = buf.subarray(need);
          need = -1;
          const target = join(dest, entries[idx].path);
          const dir = dirname(target);
          if (!madeDirs.has(dir)) { mkdirSync(dir, { recursive: true }); madeDirs.add(dir); }
          writeFileSync(target, content);
          written++; idx++;
        }
      }
    };
    p.stdout.on('data', (d: Buffer) => { buf = buf.length ? Buffer.concat([buf, d]) : d; try { consume(); } catch (e) { p.kill(); rej(e); } });
    p.stderr.on('data', (d: Buffer) => errText.push(d));
    p.on('error', rej);
    p.stdin.on('error', () => { /* git exited early: its exit code tells why */ });
    p.on('close', (code) => {
      if (code !== 0) return rej(new Error(`git cat-file failed (${code}): ${Buffer.concat(errText).toString().trim()}`));
      if (idx !== entries.length) return rej(new Error(`git cat-file answered ${idx} of ${entries.length} objects`));
      res({ written, missing });
    });
    p.stdin.end(entries.map((e) => e.oid).join('\n') + (entries.length ? '\n' : ''));
  });
}

interface ExportMark { repo: string; commit: string; files: number; missing: number; symlinks: number; submodules: number; unsafe: number; exportedAt: string; gitIndex?: boolean }

const markOf = (dest: string) => `${dest}.export.json`;

/** Exported trees hold their commit's git index (`--no-git-index`: not added). */
let withGitIndex = true;

function readMark(dest: string): ExportMark | undefined {
  try { return JSON.parse(readFileSync(markOf(dest), 'utf8')) as ExportMark; } catch { return undefined; }
}

/** Exports `commit` of `repo`'s mirror to `dest` (through a temporary sibling, renamed at the end). */
async function exportTree(repo: string, commit: string, dest: string): Promise<ExportMark> {
  const gitDir = findMirror(repo);
  if (!gitDir) throw new Error(`no mirror of ${repo} under ${MIRRORS}`);
  const entries = await listTree(gitDir, commit);
  let symlinks = 0; let submodules = 0; let unsafe = 0;
  const blobs: TreeEntry[] = [];
  for (const e of entries) {
    if (e.type === 'commit') { submodules++; continue; }
    if (e.mode === '120000') { symlinks++; continue; }
    if (e.type !== 'blob') continue;
    if (!safePath(e.path)) { unsafe++; continue; }
    blobs.push(e);
  }
  const tmp = `${dest}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const { written, missing } = await writeBlobs(gitDir, blobs, tmp);
    if (withGitIndex) await writeGitIndex(gitDir, commit, tmp);
    rmSync(dest, { recursive: true, force: true });
    renameSync(tmp, dest);
    const mark: ExportMark = { repo, commit, files: written, missing, symlinks, submodules, unsafe, exportedAt: new Date().toISOString(), ...(withGitIndex ? { gitIndex: true } : {}) };
    writeFileSync(markOf(dest), JSON.stringify(mark, null, 2) + '\n');
    return mark;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Writes the commit's git index at `dest/.git/index`, as a checkout has one: the scan lists the
 * files git tracks even where a `.gitignore` rule names them (a committed `*.tfvars`, an env file
 * added with `git add -f`), and without an index an exported tree would hide them.
 */
function writeGitIndex(gitDir: string, commit: string, dest: string): Promise<void> {
  mkdirSync(join(dest, '.git'), { recursive: true });
  return new Promise((res, rej) => {
    const p = spawn('git', [`--git-dir=${gitDir}`, 'read-tree', commit], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GIT_INDEX_FILE: join(dest, '.git', 'index') } });
    const err: Buffer[] = [];
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res() : rej(new Error(`git read-tree ${commit.slice(0, 12)}: ${Buffer.concat(err).toString().trim()}`))));
  });
}

function countFiles(dir: string): number {
  let n = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      if (ent.isDirectory()) { if (!(d === dir && ent.name === '.git')) stack.push(join(d, ent.name)); } else n++;
    }
  }
  return n;
}

/**
 * Makes sure the tree for (repo, commit) is at `dest`. Returns a reason string when it is not
 * usable. Without `doExport` a missing tree is a skip; a tree exported from another commit too.
 */
async function ensureTree(repo: string, commit: string, dest: string, doExport: boolean): Promise<string | undefined> {
  const mark = readMark(dest);
  const present = existsSync(dest) && statSync(dest).isDirectory();
  if (present && !mark) return undefined; // a hand-placed tree is trusted
  if (present && mark!.commit === commit) {
    if (mark!.gitIndex || !withGitIndex) return undefined;
    // Exported before trees held their git index: add it (cheap) instead of exporting again.
    const gitDir = findMirror(repo);
    if (!gitDir) return undefined;
    try {
      await writeGitIndex(gitDir, commit, dest);
      writeFileSync(markOf(dest), JSON.stringify({ ...mark, gitIndex: true }, null, 2) + '\n');
    } catch (e) {
      return `git index failed: ${(e as Error).message}`;
    }
    return undefined;
  }
  if (!doExport) return present ? `tree at ${dest} was exported from ${mark!.commit.slice(0, 12)}, not ${commit.slice(0, 12)} (run with --export)` : `no tree at ${dest} (run with --export)`;
  try {
    const m = await exportTree(repo, commit, dest);
    log(`  exported ${repo}@${commit.slice(0, 12)} → ${dest}: ${m.files} files (${m.missing} blobs missing from the mirror, ${m.symlinks} symlinks and ${m.submodules} submodules skipped)`);
    return undefined;
  } catch (e) {
    return `export failed: ${(e as Error).message}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

function runCli(dir: string): Promise<RunResult> {
  return new Promise((res) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [CLI, dir, '--format', 'json', '--exit-zero'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = []; const err: Buffer[] = [];
    const timer = setTimeout(() => p.kill('SIGKILL'), RUN_TIMEOUT_MS);
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', (e) => { clearTimeout(timer); res({ ok: false, findings: [], notices: [], ms: performance.now() - t0, error: e.message }); });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      const stderr = Buffer.concat(err).toString().trim();
      if (code !== 0) {
        return res({ ok: false, findings: [], notices: [], ms, error: `exit ${code ?? signal}${signal === 'SIGKILL' ? ' (timeout)' : ''}: ${stderr.split('\n').slice(-5).join(' | ')}` });
      }
      try {
        const parsed = JSON.parse(Buffer.concat(out).toString()) as { findings: JFinding[]; notices: unknown[] };
        res({ ok: true, findings: parsed.findings, notices: parsed.notices ?? [], ms });
      } catch (e) {
        res({ ok: false, findings: [], notices: [], ms, error: `unparsable output: ${(e as Error).message}` });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Judgments and grouping

function loadJudgments(name: string): Record<string, Judgment> {
  const f = join(JUDGMENTS, `${name}.json`);
  if (!existsSync(f)) return {};
  return JSON.parse(readFileSync(f, 'utf8')) as Record<string, Judgment>;
}

const SEV_RANK: Record<string, number> = { error: 3, warning: 2, info: 1 };

/** Groups findings that are one problem reported at several ends (see the header comment). */
function groupProblems(findings: JFinding[], judgments: Record<string, Judgment>): Problem[] {
  const parent = findings.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const at = (file: string, line: number) => `${file}\0${line}`;
  const relatedOf = findings.map((f) => new Set(f.related.map((r) => at(r.file, r.range.start.line))));
  const byPrimary = new Map<string, number[]>();
  findings.forEach((f, i) => {
    const k = `${f.rule}\0${at(f.file, f.range.start.line)}`;
    byPrimary.set(k, [...(byPrimary.get(k) ?? []), i]);
  });
  // Mutual links only: A points at B's location and B points back at A's. A one-way pointer is
  // usually a neighbour (another variable read on a line listed as "also read here"). And about one
  // name: two deploy paths each dropping what the other sets point at each other's lines too.
  const nameOf = (message: string): string => /^[A-Z][A-Z0-9_]+\b/.exec(message)?.[0] ?? '';
  findings.forEach((f, i) => {
    for (const r of f.related) {
      const name = nameOf(r.message);
      if (name && !new RegExp(`\\b${name}\\b`).test(f.message)) continue;
      for (const j of byPrimary.get(`${f.rule}\0${at(r.file, r.range.start.line)}`) ?? []) {
        if (j !== i && relatedOf[j].has(at(f.file, f.range.start.line)) && (!name || new RegExp(`\\b${name}\\b`).test(findings[j].message))) parent[find(i)] = find(j);
      }
    }
  });
  const groups = new Map<number, JFinding[]>();
  findings.forEach((f, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), f]));
  return [...groups.values()].map((fs) => {
    const severity = fs.reduce((s, f) => (SEV_RANK[f.severity] ?? 0) > (SEV_RANK[s] ?? 0) ? f.severity : s, 'info');
    const vs = fs.map((f) => judgments[f.fingerprint]?.verdict);
    let verdict: Problem['verdict'];
    if (vs.some((v) => !v)) verdict = 'unjudged';
    else if (vs.every((v) => v === 'true')) verdict = 'true';
    else if (vs.some((v) => v === 'false')) verdict = 'false';
    else verdict = 'debatable';
    return { findings: fs, severity, verdict };
  });
}

const emptyPR = (): PRCount => ({ judged: 0, true: 0, false: 0, debatable: 0 });
const emptyCounts = (): Counts => ({ errors: emptyPR(), warnings: emptyPR(), info: emptyPR() });
const bucket = (c: Counts, sev: string): PRCount => sev === 'error' ? c.errors : sev === 'warning' ? c.warnings : c.info;

function tally(items: { severity: string; verdict: Verdict | 'unjudged' | undefined }[]): Counts {
  const c = emptyCounts();
  for (const it of items) {
    if (!it.verdict || it.verdict === 'unjudged') continue;
    const b = bucket(c, it.severity);
    b.judged++; b[it.verdict]++;
  }
  return c;
}

function addCounts(a: Counts, b: Counts): Counts {
  const add = (x: PRCount, y: PRCount): PRCount => ({ judged: x.judged + y.judged, true: x.true + y.true, false: x.false + y.false, debatable: x.debatable + y.debatable });
  return { errors: add(a.errors, b.errors), warnings: add(a.warnings, b.warnings), info: add(a.info, b.info) };
}

const pct = (c: PRCount) => c.judged ? `${Math.round((100 * c.true) / c.judged)}% (${c.true}/${c.judged})` : '–';

// ---------------------------------------------------------------------------------------------
// Output helpers

const log = (s = '') => process.stdout.write(s + '\n');

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r, ri) => {
    const line = r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
    return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

function printFinding(f: JFinding) {
  log(`  [${f.rule}] ${f.severity}  ${f.file}:${f.range.start.line}:${f.range.start.column}`);
  log(`    fingerprint ${f.fingerprint}`);
  for (const line of f.message.split('\n')) log(`    ${line}`);
  for (const r of f.related) log(`    ↳ ${r.file}:${r.range.start.line}  ${r.message}`);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const args = parseArgs(process.argv.slice(2));
  withGitIndex = args.gitIndex;
  if (args.help) {
    log(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]);
    return;
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
  manifest.history ??= [];
  const unknown = args.repos.filter((r) => !manifest.repos.some((e) => e.name === r) && !manifest.history.some((h) => h.name === r));
  if (unknown.length) throw new Error(`not in the manifest: ${unknown.join(', ')}`);
  const selected = args.repos.length ? manifest.repos.filter((e) => args.repos.includes(e.name)) : manifest.repos;
  const history = args.repos.length ? manifest.history.filter((h) => args.repos.includes(h.name)) : manifest.history;

  mkdirSync(CORPUS_DIR, { recursive: true });
  const reports: RepoReport[] = [];
  const allProblems = new Map<string, Problem[]>();
  const unjudgedListing: { name: string; findings: JFinding[] }[] = [];

  for (const e of selected) {
    const dest = join(CORPUS_DIR, e.name);
    const base: RepoReport = { name: e.name, repo: e.repo, commit: e.commit, heldOut: e.heldOut, status: 'skipped' };
    const why = await ensureTree(e.repo, e.commit, dest, args.export);
    if (why) { reports.push({ ...base, reason: why }); log(`${e.name}: skipped — ${why}`); continue; }
    const files = countFiles(dest);
    log(`${e.name}: running on ${files} files…`);
    const run = await runCli(dest);
    if (!run.ok) {
      reports.push({ ...base, status: 'crashed', files, ms: run.ms, reason: run.error });
      log(`${e.name}: CRASHED after ${(run.ms / 1000).toFixed(1)} s — ${run.error}`);
      continue;
    }
    const judgments = loadJudgments(e.name);
    const byRule: Record<string, number> = {}; const bySeverity: Record<string, number> = {};
    for (const f of run.findings) { byRule[f.rule] = (byRule[f.rule] ?? 0) + 1; bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1; }
    const problems = groupProblems(run.findings, judgments);
    allProblems.set(e.name, problems);
    const current = new Set(run.findings.map((f) => f.fingerprint));
    const unjudged = run.findings.filter((f) => !judgments[f.fingerprint]);
    if (unjudged.length && (!e.heldOut || args.heldOut)) unjudgedListing.push({ name: e.name, findings: unjudged });
    reports.push({
      ...base, status: 'ran', files, ms: run.ms, findings: run.findings.length, byRule, bySeverity,
      problems: problems.length,
      judged: {
        findings: tally(run.findings.map((f) => ({ severity: f.severity, verdict: judgments[f.fingerprint]?.verdict }))),
        problems: tally(problems),
      },
      unjudged: unjudged.length,
      staleJudgments: Object.keys(judgments).filter((k) => !current.has(k)).length,
      internalErrors: run.findings.filter((f) => f.message.startsWith('internal error in rule')).map((f) => f.message),
    });
  }

  // History cases: the tool must report the bug on the tree before its fix.
  const historyResults: { name: string; parent: string; status: 'caught' | 'missed' | 'skipped' | 'crashed'; detail: string[] }[] = [];
  for (const h of history) {
    const short = h.parentCommit.slice(0, 8);
    const dest = join(CORPUS_DIR, 'history', `${h.tree ?? h.name}@${short}`);
    mkdirSync(dirname(dest), { recursive: true });
    const why = await ensureTree(h.repo, h.parentCommit, dest, args.export);
    if (why) { historyResults.push({ name: h.name, parent: short, status: 'skipped', detail: [why] }); continue; }
    const run = await runCli(dest);
    if (!run.ok) { historyResults.push({ name: h.name, parent: short, status: 'crashed', detail: [run.error ?? ''] }); continue; }
    const detail: string[] = [];
    let all = true;
    for (const x of h.expect) {
      // A problem is reported once, at one end, with the other ends related: either end may match.
      const hit = run.findings.find((f) => f.rule === x.rule
        && (!x.file || f.file === x.file || f.related.some((r) => r.file === x.file))
        && (!x.contains || f.message.includes(x.contains) || f.related.some((r) => r.message.includes(x.contains!))));
      if (!hit) all = false;
      detail.push(`${hit ? 'found' : 'MISSING'} ${x.rule}${x.file ? ` in ${x.file}` : ''}${x.contains ? ` containing "${x.contains}"` : ''}${hit ? ` (${hit.file}:${hit.range.start.line})` : ''}`);
    }
    historyResults.push({ name: h.name, parent: short, status: all ? 'caught' : 'missed', detail });
  }

  // ---- Report
  log();
  log('Precision is per problem (one cross-file problem reported at its code end and its deploy end counts once);');
  log('per-finding figures follow in brackets. Debatable counts as not true. Held-out repos: counts only.');
  log();
  for (const r of reports) {
    if (r.status !== 'ran') continue;
    log(`## ${r.name}${r.heldOut ? ' (held out)' : ''} — ${r.repo}@${r.commit.slice(0, 12)}`);
    log(`   ${r.files} files, ${((r.ms ?? 0) / 1000).toFixed(1)} s, ${r.findings} findings = ${r.problems} problems; unjudged ${r.unjudged}${r.staleJudgments ? `, stale judgments ${r.staleJudgments}` : ''}`);
    log(`   by rule: ${Object.entries(r.byRule ?? {}).sort().map(([k, v]) => `${k} ${v}`).join(', ') || '—'}`);
    log(`   by severity: ${Object.entries(r.bySeverity ?? {}).sort().map(([k, v]) => `${k} ${v}`).join(', ') || '—'}`);
    if (!r.heldOut && r.judged) {
      log(`   precision errors: ${pct(r.judged.problems.errors)} [findings ${pct(r.judged.findings.errors)}]; warnings: ${pct(r.judged.problems.warnings)} [findings ${pct(r.judged.findings.warnings)}]; info: ${pct(r.judged.problems.info)}`);
    }
    for (const ie of r.internalErrors ?? []) log(`   INTERNAL ERROR: ${ie}`);
  }
  for (const r of reports) if (r.status !== 'ran') log(`## ${r.name}: ${r.status.toUpperCase()} — ${r.reason}`);

  log();
  const rows: string[][] = [['repo', 'held out', 'files', 'time', 'findings', 'problems', 'unjudged', 'err precision', 'warn precision']];
  let total = emptyCounts(); let totalF = emptyCounts(); let unjudgedTotal = 0; let fTotal = 0; let pTotal = 0; let filesTotal = 0; let msTotal = 0;
  for (const r of reports) {
    if (r.status !== 'ran') { rows.push([r.name, r.heldOut ? 'yes' : '', '', '', r.status, '', '', '', '']); continue; }
    filesTotal += r.files ?? 0; msTotal += r.ms ?? 0; fTotal += r.findings ?? 0; pTotal += r.problems ?? 0;
    if (!r.heldOut) { total = addCounts(total, r.judged!.problems); totalF = addCounts(totalF, r.judged!.findings); unjudgedTotal += r.unjudged ?? 0; }
    rows.push([r.name, r.heldOut ? 'yes' : '', String(r.files), `${((r.ms ?? 0) / 1000).toFixed(1)}s`, String(r.findings), String(r.problems),
      r.heldOut ? '(held out)' : String(r.unjudged), r.heldOut ? '' : pct(r.judged!.problems.errors), r.heldOut ? '' : pct(r.judged!.problems.warnings)]);
  }
  rows.push(['TOTAL', '', String(filesTotal), `${(msTotal / 1000).toFixed(1)}s`, String(fTotal), String(pTotal), String(unjudgedTotal), pct(total.errors), pct(total.warnings)]);
  log(table(rows));
  log('(TOTAL: files, time, findings and problems over every repo run; unjudged and precision over non-held-out repos only)');
  log();
  log(`Per finding (non-held-out): errors ${pct(totalF.errors)}, warnings ${pct(totalF.warnings)}, info ${pct(totalF.info)}`);
  log(`Per problem (non-held-out): errors ${pct(total.errors)}, warnings ${pct(total.warnings)}, info ${pct(total.info)}; debatable problems: ${total.errors.debatable + total.warnings.debatable + total.info.debatable}`);
  log(`Unjudged findings (non-held-out): ${unjudgedTotal}`);
  if (historyResults.length) {
    log();
    log(`History cases: ${historyResults.filter((h) => h.status === 'caught').length} caught, ${historyResults.filter((h) => h.status === 'missed').length} missed, ${historyResults.filter((h) => h.status === 'skipped' || h.status === 'crashed').length} not run`);
    for (const h of historyResults) {
      log(`  ${h.status.toUpperCase().padEnd(7)} ${h.name}@${h.parent}`);
      for (const d of h.detail) log(`          ${d}`);
    }
  }

  if (args.listUnjudged) {
    for (const u of unjudgedListing) {
      log();
      log(`### Unjudged in ${u.name} (${u.findings.length})`);
      for (const f of u.findings) printFinding(f);
    }
  }

  if (args.json) {
    const out = {
      generatedAt: new Date().toISOString(),
      corpusDir: CORPUS_DIR,
      repos: reports,
      problems: Object.fromEntries([...allProblems].map(([k, ps]) => [k, ps.map((p) => ({ severity: p.severity, verdict: p.verdict, fingerprints: p.findings.map((f) => f.fingerprint), rule: p.findings[0].rule, at: `${p.findings[0].file}:${p.findings[0].range.start.line}`, message: p.findings[0].message }))])),
      totals: { perProblem: total, perFinding: totalF, unjudged: unjudgedTotal },
      history: historyResults,
    };
    writeFileSync(resolve(args.json), JSON.stringify(out, null, 2) + '\n');
    log(`\nwrote ${resolve(args.json)}`);
  }
}

main().catch((e) => { process.stderr.write(`corpus: ${(e as Error).stack ?? e}\n`); process.exit(2); });
