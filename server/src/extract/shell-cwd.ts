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
export function workingDir(cmd: SyntaxNode, text: string, file?: string, statementsApart = false, startDir: string | null = ''): string | undefined {
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
      const fromScript = file !== undefined ? besideScript(cd, text, file) : undefined;
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

/** The folder `cd "$(dirname "$0")/rest"` (or `${BASH_SOURCE[0]}`) goes to, relative to the
 * workspace root: the script's folder joined with the literal rest. Undefined for any other `cd`. */
function besideScript(cd: SyntaxNode, text: string, file: string): string | undefined {
  const args = cd.childrenForFieldName('argument').filter((a) => a.isNamed);
  const arg = args.length === 1 ? args[0] : undefined;
  if (!arg || arg.type !== 'string') return undefined;
  const parts = arg.namedChildren.filter((c): c is SyntaxNode => !!c);
  const [sub, ...rest] = parts;
  if (!sub || sub.type !== 'command_substitution' || !rest.every((c) => c.type === 'string_content')) return undefined;
  const inner = sub.namedChildren.filter((c): c is SyntaxNode => !!c);
  const dirname = inner.length === 1 && inner[0].type === 'command' ? inner[0] : undefined;
  if (!dirname || dirname.childForFieldName('name')?.text !== 'dirname') return undefined;
  const target = dirname.childrenForFieldName('argument').filter((a) => a.isNamed);
  const self = target.length === 1 ? text.slice(target[0].startIndex, target[0].endIndex).replace(/^"|"$/g, '') : '';
  if (!namesScriptItself(self)) return undefined;
  const tail = rest.map((c) => text.slice(c.startIndex, c.endIndex)).join('');
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), tail || '.'));
  return joined === '.' ? '' : joined.startsWith('..') ? undefined : joined;
}

/** `rel` (a path as written in the command) as seen from where the script started. */
export function fromWorkingDir(r: Resolved | undefined, dir: string | undefined): Resolved | undefined {
  if (!r || !dir || r.value === undefined || r.value.startsWith('/')) return r;
  const joined = path.posix.normalize(path.posix.join(dir, r.value));
  return { ...r, value: joined === '.' ? '.' : joined };
}
