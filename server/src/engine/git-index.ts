/**
 * The files git tracks in the repository holding a workspace, read from its index (`.git/index`,
 * versions 2 to 4). A `.gitignore` rule never hides a tracked file from git (a deploy file committed
 * before a `cloudbuild*.y*` rule was added, or with `git add -f`), so it must not hide one from the
 * scan either. Without a readable index (no repository, a format this does not know) the answer is
 * undefined and `.gitignore` applies as written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's index file and the workspace's path inside the repository ('' at its root). */
function findIndex(root: string): { index: string; prefix: string } | undefined {
  let dir = path.resolve(root);
  const parts: string[] = [];
  for (let i = 0; i < 32; i++) {
    const dotGit = path.join(dir, '.git');
    try {
      const st = fs.statSync(dotGit);
      let gitDir = dotGit;
      if (st.isFile()) {
        // A worktree or submodule: `gitdir: <path>`.
        const m = /^gitdir:\s*(.+)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
        if (!m) return undefined;
        gitDir = path.resolve(dir, m[1]!);
      }
      return { index: path.join(gitDir, 'index'), prefix: parts.reverse().join('/') };
    } catch { /* no .git here */ }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    parts.push(path.basename(dir));
    dir = up;
  }
  return undefined;
}

/** The paths an index lists, as the repository writes them (`/`-separated, from its root). */
export function parseGitIndex(buf: Buffer): string[] | undefined {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = buf.readUInt32BE(8);
  const out: string[] = [];
  let at = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let n = 0; n < count; n++) {
    const start = at;
    if (at + 62 > buf.length) return undefined;
    const flags = buf.readUInt16BE(at + 60);
    at += 62;
    // Version 3+: an extended flags word follows when the entry says so.
    if (version >= 3 && flags & 0x4000) at += 2;
    let name: Buffer;
    if (version === 4) {
      // The path is the previous one minus N bytes, plus what follows (N as git's offset varint).
      let byte = buf[at++]!;
      let strip = byte & 0x7f;
      while (byte & 0x80) {
        byte = buf[at++]!;
        strip = ((strip + 1) << 7) | (byte & 0x7f);
      }
      const end = buf.indexOf(0, at);
      if (end < 0 || strip > previous.length) return undefined;
      name = Buffer.concat([previous.subarray(0, previous.length - strip), buf.subarray(at, end)]);
      at = end + 1;
    } else {
      const end = buf.indexOf(0, at);
      if (end < 0) return undefined;
      name = buf.subarray(at, end);
      // Padded with 1 to 8 NULs to a multiple of 8 bytes from the entry's start.
      at = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    previous = name;
    out.push(name.toString('utf8'));
  }
  return out;
}

/** The workspace-relative paths git tracks, and every folder holding one; undefined when no index
 * is found or it cannot be read. */
export function trackedFiles(root: string): { files: ReadonlySet<string>; dirs: ReadonlySet<string> } | undefined {
  const found = findIndex(root);
  if (!found) return undefined;
  let paths: string[] | undefined;
  try {
    paths = parseGitIndex(fs.readFileSync(found.index));
  } catch {
    return undefined;
  }
  if (!paths) return undefined;
  const files = new Set<string>();
  const dirs = new Set<string>();
  const prefix = found.prefix ? `${found.prefix}/` : '';
  for (const p of paths) {
    if (prefix && !p.startsWith(prefix)) continue;
    const rel = p.slice(prefix.length);
    files.add(rel);
    for (let d = path.posix.dirname(rel); d !== '.' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
  }
  return { files, dirs };
}
