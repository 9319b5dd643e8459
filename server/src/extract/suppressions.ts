/**
 * Inline suppressions, written in the file's own comment syntax:
 *
 *   # deploy-preflight-disable-next-line env-unset-for-deploy, placeholder-secret -- reason
 *   // deploy-preflight-disable oauth-env-mismatch
 *
 * A small line scanner (strings and comments only, not a parser) finds the comments, so a
 * directive inside a string literal is not a suppression. The directive must open its comment.
 */
import type { FileKind, Span, Suppression } from '../core/facts';

const MARKER = 'deploy-preflight-disable';
const DIRECTIVE_RE = /^[\s#/*!]*(deploy-preflight-disable(?:-next-line)?)(?=\s|$)[ \t]+([a-z0-9-]+(?:[ \t]*,[ \t]*[a-z0-9-]+)*)/;

interface Line {
  start: number;
  hasCode: boolean;
  /** Comment text segments on this line (after the comment marker), source offsets. */
  comments: Span[];
}

type Style = 'hash' | 'slash';

function styleOf(kind: FileKind): Style | undefined {
  switch (kind) {
    case 'dotenv':
    case 'shell':
    case 'powershell':
    case 'python':
    case 'yaml':
    case 'dockerfile':
    case 'terraform': // HCL also takes `//`; `#` is the form `terraform fmt` keeps
      return 'hash';
    case 'typescript':
    case 'prisma':
      return 'slash';
    default:
      return undefined;
  }
}

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';

/** Scans `text` into lines with their comments and whether they hold anything but comments. */
function scan(text: string, kind: FileKind, style: Style): Line[] {
  const lines: Line[] = [{ start: 0, hasCode: false, comments: [] }];
  let cur = lines[0];
  const newLine = (at: number) => {
    cur = { start: at, hasCode: false, comments: [] };
    lines.push(cur);
  };
  const python = kind === 'python';
  // Where a quote opens a string: anywhere in code (python, shell, TS); only at the start of a
  // scalar/value in YAML and dotenv (`it's` in a plain scalar is not a quote).
  const quoteAnywhere = kind === 'python' || kind === 'shell' || kind === 'powershell' || kind === 'dockerfile' || kind === 'terraform' || style === 'slash';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      newLine(i + 1);
      i++;
      continue;
    }
    if (isWs(c)) {
      i++;
      continue;
    }
    const prev = i > 0 ? text[i - 1] : '\n';
    // Comments.
    let commentStart = -1;
    let block = false;
    if (style === 'hash' && c === '#') {
      if (python || kind === 'terraform' || prev === '\n' || isWs(prev) || ((kind === 'shell' || kind === 'powershell' || kind === 'dockerfile') && (prev === ';' || prev === '(' || prev === '|' || prev === '&'))) {
        commentStart = i + 1;
      }
    } else if (style === 'slash' && c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      block = text[i + 1] === '*';
      commentStart = i + 2;
    }
    if (commentStart >= 0) {
      if (!block) {
        let e = text.indexOf('\n', commentStart);
        if (e < 0) e = n;
        let segEnd = e;
        if (segEnd > commentStart && text[segEnd - 1] === '\r') segEnd--;
        cur.comments.push({ start: commentStart, end: segEnd });
        i = e;
        continue;
      }
      let j = commentStart;
      let segStart = commentStart;
      while (j < n && !(text[j] === '*' && text[j + 1] === '/')) {
        if (text[j] === '\n') {
          cur.comments.push({ start: segStart, end: j > segStart && text[j - 1] === '\r' ? j - 1 : j });
          newLine(j + 1);
          segStart = j + 1;
        }
        j++;
      }
      cur.comments.push({ start: segStart, end: j });
      i = j + 2;
      continue;
    }
    // Strings.
    const isQuote = c === '"' || c === "'" || (c === '`' && style === 'slash');
    if (isQuote && (quoteAnywhere || prev === '\n' || isWs(prev) || '=:[{,'.includes(prev))) {
      cur.hasCode = true;
      const triple = python && text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      const escapes = !(c === "'" && (kind === 'shell' || kind === 'powershell' || kind === 'dockerfile' || kind === 'yaml'));
      // Python and TS one-line strings end at the line's end (error recovery); others may span lines.
      const endsAtNewline = !triple && (python || (style === 'slash' && c !== '`'));
      let j = i + q.length;
      while (j < n) {
        const d = text[j];
        if (escapes && d === '\\') {
          if (text[j + 1] === '\n') {
            newLine(j + 2);
            cur.hasCode = true;
          }
          j += 2;
          continue;
        }
        if (d === '\n') {
          if (endsAtNewline) break;
          newLine(j + 1);
          cur.hasCode = true;
          j++;
          continue;
        }
        if (text.startsWith(q, j)) {
          j += q.length;
          break;
        }
        j++;
      }
      i = j;
      continue;
    }
    cur.hasCode = true;
    i++;
  }
  return lines;
}

/** Finds `deploy-preflight-disable[-next-line] <rule>[, <rule>...]` directives in comments. */
export function extractSuppressions(text: string, kind: FileKind): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes(MARKER)) return out;
  const style = styleOf(kind);
  if (!style) return out;
  let lines: Line[];
  try {
    lines = scan(text, kind, style);
  } catch {
    return out;
  }
  lines.forEach((line, index) => {
    for (const seg of line.comments) {
      const body = text.slice(seg.start, seg.end);
      if (!body.includes(MARKER)) continue;
      const m = DIRECTIVE_RE.exec(body);
      if (!m) continue;
      const directiveStart = seg.start + m[0].indexOf(m[1]);
      const ids = m[2]
        .split(',')
        .map((s) => s.trim().replace(/--.*$/, '').replace(/-+$/, ''))
        .filter((s) => s.length > 0);
      // The ids end where the matched list ends, minus a `--` glued to the last id.
      let listText = m[2];
      const glued = listText.indexOf('--');
      if (glued >= 0) listText = listText.slice(0, glued).replace(/[\s,-]+$/, '');
      const span = { start: directiveStart, end: seg.start + m[0].length - m[2].length + listText.length };
      const scope: Suppression['scope'] = m[1].endsWith('-next-line') ? 'line' : 'file';
      let target = index;
      if (scope === 'line') {
        target = index + 1;
        while (target < lines.length && !lines[target].hasCode) target++;
        if (target >= lines.length) target = index + 1;
      }
      for (const rule of ids) out.push({ rule, scope, line: target, span });
    }
  });
  return out;
}
