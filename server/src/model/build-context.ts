/**
 * Which files of a build context the build receives: all of the folder's but those its
 * `.dockerignore` leaves out (`FileFacts.contextIgnore`). Docker matches each pattern against the
 * path from the context's root with Go's `filepath.Match` plus `**` (any number of folders); a
 * pattern matching a folder leaves out everything in it; the last pattern matching a path decides,
 * so a `!` pattern after another takes the path back.
 *
 * Pure: reads facts only.
 */
import type { FileFacts } from '../core/facts';

/** Whether the build whose context is `context` ('' for the workspace root) receives `file`. */
export function contextReceives(files: ReadonlyMap<string, FileFacts>, context: string, file: string): boolean {
  const prefix = context ? `${context}/` : '';
  if (!file.startsWith(prefix)) return false;
  const patterns = files.get(`${prefix}.dockerignore`)?.contextIgnore;
  if (!patterns?.length) return true;
  const rel = file.slice(prefix.length);
  // The path and each folder above it, for a pattern naming a folder.
  const parts = rel.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const { pattern, negate } of patterns) {
    const re = patternRegex(pattern);
    if (candidates.some((c) => re.test(c))) excluded = !negate;
  }
  return !excluded;
}

const cache = new Map<string, RegExp>();

/** `**` any number of path segments, `*` and `?` within one, `[…]` a class; the rest literal. */
function patternRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` anything below.
      if (pattern[i + 2] === '/') { out += '(?:.*/)?'; i += 2; } else { out += '.*'; i += 1; }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else { out += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`; i = end; }
    } else if (c === '\\' && i + 1 < pattern.length) { out += pattern[i + 1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); i++; }
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  re = new RegExp(`^${out}$`);
  cache.set(pattern, re);
  return re;
}
