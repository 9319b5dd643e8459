/**
 * The folder a shell command runs in, relative to where the script was started, from the literal
 * `cd` commands before it: `cd ingest-service` then `gcloud run deploy … --source=.` deploys
 * `ingest-service`, as `(cd web && docker build .)` builds `web`. Only what surely ran counts: a
 * `cd` earlier in the same statement list (or an enclosing one, or on the left of an `&&` chain),
 * not one inside an `if`, a function or a subshell before it. A `cd` we cannot follow (a
 * variable, `$(dirname "$0")`, an absolute path, `cd -`) makes the folder unknown, and paths are
 * then left as written: the model already tries them from the script's folder and the root. A
 * `cd "$(dirname "$0")/…"` in a script file is followed from the script's own folder.
 */
import * as path from 'node:path';
import type { Resolved } from '../core/facts';
import type { SyntaxNode } from '../parsers/tree-sitter';

/** Statement containers whose earlier children ran before a later one. */
const SEQUENCES = new Set(['program', 'compound_statement', 'do_group', 'subshell']);

/** The folder `cmd` runs in: '' when no `cd` precedes it, a relative path, or undefined when unknown.
 * A relative path is from where the script was started, except after `cd "$(dirname "$0")/…"`,
 * which names a folder of the workspace (`back-end`), or, for the workspace root itself, the way
 * back to it from the script's folder (`../..`): the model tries paths from the script's folder
 * first, then from the root.
 * `statementsApart`: the script's top-level statements run in shells of their own (a Makefile's
 * recipe lines), so only a `cd` in the command's own statement counts. `startDir`: the folder the
 * script starts in, from the workspace root (a workflow step's `working-directory`; null when it
 * cannot be read). */
export function workingDir(cmd: SyntaxNode, text: string, file?: string, statementsApart = false, startDir: string | null = '', valueOf?: ValueOf): string | undefined {
  const levels: SyntaxNode[][] = [];
  for (let node: SyntaxNode = cmd, parent = cmd.parent; parent; node = parent, parent = parent.parent) {
    if (statementsApart && parent.type === 'program') break;
    if (parent.type === 'list' || SEQUENCES.has(parent.type)) {
      const before: SyntaxNode[] = [];
      for (const child of parent.namedChildren) {
        if (!child || child.startIndex >= node.startIndex) break;
        before.push(...cdsIn(child));
      }
      levels.push(before);
    }
    if (parent.type === 'function_definition') break;
  }
  // Where the script starts: '' for where it was started, or a folder of the workspace given by
  // its host (a workflow step's `working-directory`); null when the host names one we cannot read.
  let dir: string | undefined = startDir ?? undefined;
  // Whether `dir` is known relative to the workspace root (after a `cd "$(dirname "$0")/…"`).
  let anchored = false;
  for (const cds of levels.reverse()) {
    for (const cd of cds) {
      // `cd "$(dirname "$0")/../api"` goes to a folder named from the script's own place, whatever
      // came before it.
      const fromScript = file !== undefined ? besideScript(cd, text, file, valueOf) : undefined;
      if (fromScript !== undefined) anchored = true;
      dir = fromScript ?? (dir === undefined ? undefined : step(dir, cd, text));
    }
  }
  // The workspace root, reached from the script's folder (`cd "$(dirname "$0")/../.."`): '' would
  // read as "no cd", which paths resolve from the script's folder first. Said from that folder.
  if (anchored && dir === '' && file !== undefined) return path.posix.relative(path.posix.dirname(file), '') || '';
  return dir;
}

/** The `cd` commands a statement surely runs: itself, or the commands of an `&&`/`;` chain. */
function cdsIn(stmt: SyntaxNode): SyntaxNode[] {
  if (stmt.type === 'command') return isCd(stmt) ? [stmt] : [];
  if (stmt.type === 'list') return stmt.namedChildren.flatMap((c) => (c ? cdsIn(c) : []));
  return [];
}

function isCd(cmd: SyntaxNode): boolean {
  const name = cmd.childForFieldName('name');
  return !!name && name.text === 'cd';
}

function step(dir: string, cd: SyntaxNode, text: string): string | undefined {
  const args = cd.childrenForFieldName('argument').filter((a) => a.isNamed);
  if (args.length !== 1) return undefined;
  const arg = args[0];
  const raw = text.slice(arg.startIndex, arg.endIndex);
  const literal = arg.type === 'word' || arg.type === 'raw_string' || (arg.type === 'string' && arg.namedChildren.every((c) => c?.type === 'string_content'));
  if (!literal) return undefined;
  const value = raw.replace(/^["']|["']$/g, '');
  if (value === '' || value === '-' || value.startsWith('/') || value.startsWith('~')) return undefined;
  const joined = path.posix.normalize(path.posix.join(dir || '.', value));
  return joined === '.' ? '' : joined.startsWith('..') ? undefined : joined;
}

/** How a script names its own file: `$0`, `${BASH_SOURCE[0]}`. */
const SCRIPT_ITSELF = new Set(['$0', '${0}', '${BASH_SOURCE[0]}', '$BASH_SOURCE', '${BASH_SOURCE}']);

/** Whether a word as written (its double quotes taken off) is the script's own path. */
export function namesScriptItself(word: string): boolean {
  return SCRIPT_ITSELF.has(word);
}

/** The value node of a plain top-level assignment of a variable in effect at a position
 * (`Script.plainAssignedValue`). */
export type ValueOf = (name: string, pos: number) => SyntaxNode | undefined;

/** How deep a folder's variables are followed (`ROOT_DIR` from `SCRIPT_DIR` from `$0`). */
const MAX_ANCHOR_DEPTH = 4;

/**
 * The folder a `cd` goes to when it is named from the script's own place, relative to the
 * workspace root: `cd "$(dirname "$0")/../api"`, or through variables the script sets at its top
 * level the usual ways — `SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"`,
 * `ROOT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"`, `$(dirname "$(realpath "$0")")`, `$(git rev-parse
 * --show-toplevel)` (the repository's root) — then `cd "$ROOT_DIR/backend"`. Undefined for any
 * other `cd`, and for one leaving the workspace.
 */
function besideScript(cd: SyntaxNode, text: string, file: string, valueOf?: ValueOf): string | undefined {
  const args = cd.childrenForFieldName('argument').filter((a) => a.isNamed);
  return args.length === 1 ? anchoredPath(args[0]!, text, file, valueOf, 0) : undefined;
}

/** A word naming a folder from the script's place (see `besideScript`): the folder, '' for the
 * workspace root; undefined when it is not named that way. */
function anchoredPath(node: SyntaxNode, text: string, file: string, valueOf: ValueOf | undefined, depth: number): string | undefined {
  if (depth > MAX_ANCHOR_DEPTH) return undefined;
  const parts = node.type === 'string' || node.type === 'concatenation' ? node.namedChildren.filter((c): c is SyntaxNode => !!c) : [node];
  const [head, ...rest] = parts;
  if (!head || !rest.every((c) => c.type === 'string_content' || c.type === 'word')) return undefined;
  // A concatenation's literal parts, and a string's, are its text as written (no quotes inside).
  const tail = rest.map((c) => text.slice(c.startIndex, c.endIndex)).join('');
  let base: string | undefined;
  if (head.type === 'command_substitution') base = substitutedFolder(head, text, file, valueOf, depth);
  // `"$TOP"/api`: a quoted part before the rest.
  else if (head.type === 'string' && head !== node) base = anchoredPath(head, text, file, valueOf, depth + 1);
  else if (head.type === 'simple_expansion' || head.type === 'expansion') {
    const name = plainName(head, text);
    const value = name !== undefined && valueOf ? valueOf(name, head.startIndex) : undefined;
    base = value ? anchoredPath(value, text, file, valueOf, depth + 1) : undefined;
  }
  if (base === undefined) return undefined;
  const joined = path.posix.normalize(path.posix.join(base || '.', tail || '.'));
  return joined === '.' ? '' : joined.startsWith('..') ? undefined : joined;
}

/** `$X`, `${X}` (no operator): X. */
function plainName(node: SyntaxNode, text: string): string | undefined {
  const raw = text.slice(node.startIndex, node.endIndex);
  return /^\$(\{[A-Za-z_]\w*\}|[A-Za-z_]\w*)$/.test(raw) ? raw.replace(/^\$\{?|\}$/g, '') : undefined;
}

/** The folder a command substitution prints: `dirname` of the script itself, `cd X && pwd`,
 * `realpath X` / `readlink -f X` of a folder so named, the repository's root. */
function substitutedFolder(sub: SyntaxNode, text: string, file: string, valueOf: ValueOf | undefined, depth: number): string | undefined {
  const inner = sub.namedChildren.filter((c): c is SyntaxNode => !!c);
  if (inner.length !== 1) return undefined;
  const stmt = inner[0]!;
  // `cd X && pwd` (`pwd -P` too): X.
  if (stmt.type === 'list') {
    const [first, second] = stmt.namedChildren.filter((c): c is SyntaxNode => !!c);
    if (!first || !second || first.type !== 'command' || second.type !== 'command' || stmt.namedChildren.length !== 2) return undefined;
    if (!isCd(first) || second.childForFieldName('name')?.text !== 'pwd') return undefined;
    const args = first.childrenForFieldName('argument').filter((a) => a.isNamed);
    return args.length === 1 ? anchoredPath(args[0]!, text, file, valueOf, depth + 1) : undefined;
  }
  if (stmt.type !== 'command') return undefined;
  const name = stmt.childForFieldName('name')?.text;
  const args = stmt.childrenForFieldName('argument').filter((a) => a.isNamed).map((a) => text.slice(a.startIndex, a.endIndex));
  const argNodes = stmt.childrenForFieldName('argument').filter((a) => a.isNamed);
  if (name === 'git' && args.join(' ') === 'rev-parse --show-toplevel') return '';
  if (name === 'dirname' && argNodes.length === 1) {
    if (isScriptPath(argNodes[0]!, text)) return path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    // `$(dirname "$SCRIPT_DIR")`: the folder above one so named.
    const folder = anchoredPath(argNodes[0]!, text, file, valueOf, depth + 1);
    if (folder === undefined || folder === '') return undefined;
    return path.posix.dirname(folder) === '.' ? '' : path.posix.dirname(folder);
  }
  if ((name === 'realpath' && argNodes.length === 1) || (name === 'readlink' && argNodes.length === 2 && args[0] === '-f')) {
    return anchoredPath(argNodes[argNodes.length - 1]!, text, file, valueOf, depth + 1);
  }
  return undefined;
}

/** `"$0"`, `"${BASH_SOURCE[0]}"`, or `$(realpath "$0")` / `$(readlink -f "$0")` of it. */
function isScriptPath(node: SyntaxNode, text: string): boolean {
  if (namesScriptItself(text.slice(node.startIndex, node.endIndex).replace(/^"|"$/g, ''))) return true;
  const only = node.type === 'string' && node.namedChildren.length === 1 ? node.namedChildren[0] : node;
  if (!only || only.type !== 'command_substitution') return false;
  const cmd = only.namedChildren.length === 1 ? only.namedChildren[0] : undefined;
  if (!cmd || cmd.type !== 'command') return false;
  const name = cmd.childForFieldName('name')?.text;
  const args = cmd.childrenForFieldName('argument').filter((a) => a.isNamed);
  const last = args[args.length - 1];
  if (!last) return false;
  const ok = (name === 'realpath' && args.length === 1) || (name === 'readlink' && args.length === 2 && text.slice(args[0]!.startIndex, args[0]!.endIndex) === '-f');
  return ok && namesScriptItself(text.slice(last.startIndex, last.endIndex).replace(/^"|"$/g, ''));
}

/** `rel` (a path as written in the command) as seen from where the script started. */
export function fromWorkingDir(r: Resolved | undefined, dir: string | undefined): Resolved | undefined {
  if (!r || !dir || r.value === undefined || r.value.startsWith('/')) return r;
  const joined = path.posix.normalize(path.posix.join(dir, r.value));
  return { ...r, value: joined === '.' ? '.' : joined };
}
