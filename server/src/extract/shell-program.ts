/**
 * What a shell script an image runs as its entrypoint starts (`ENTRYPOINT ["./docker-entrypoint.sh"]`
 * whose script migrates, then `exec node apps/api/dist/src/main`): the programs its `exec`
 * commands start, or, without one, its last command that starts a program. The model reads the
 * image's program through it (model/shipped-code.ts), as it reads `CMD ["node", "dist/main.js"]`.
 *
 * Also where the script `exec`s background work only (`exec celery -A app worker`), and under
 * which value of a variable (`if [ "$PROCESS_TYPE" = "worker" ]`, `case "$ROLE" in worker)`): one
 * image deployed as a web service and as a worker by the value its deploy sets
 * (`FileFacts.backgroundWhen`).
 */
import type { FileFacts } from '../core/facts';
import { whatRuns } from './command-line';
import { backgroundOnly, fixedListenPort } from '../knowledge/listening-ports';
import { literal, subjectName } from './shell-contexts';
import { query, ParsersNotReady, type SyntaxNode } from '../parsers/tree-sitter';

/** Words a command that starts a program holds (the prefilter). */
const STARTERS = /\b(?:node|bun|deno|tsx|ts-node|python\d?(?:\.\d+)?|uvicorn|gunicorn|hypercorn|daphne|granian|npm|yarn|pnpm|celery|rq|dramatiq)\b/;

const unquote = (w: string): string => w.replace(/^(['"])(.*)\1$/s, '$2');

/** Whether a script may start a program (the prefilter). */
export function mayStartProgram(text: string): boolean {
  return STARTERS.test(text);
}

/** Records what the script parsed into `root` starts; `text` holds it at the tree's offsets. */
export function readStartedProgram(root: SyntaxNode, text: string, facts: FileFacts): void {
  try {
    const execs: NonNullable<FileFacts['startsProgram']>[] = [];
    let last: NonNullable<FileFacts['startsProgram']>[number] | undefined;
    // The port each starting command fixes, by the same rule: the `exec`s, else the last one.
    const execPorts: (FileFacts['startsListening'] | undefined)[] = [];
    let lastPort: FileFacts['startsListening'] | undefined;
    for (const cap of query('bash', '(command) @cmd').captures(root)) {
      const words = commandWords(cap.node, text);
      const run = whatRuns(words);
      if (!run || run.shellScript) continue;
      const { shellScript: _s, ...program } = run;
      const fixed = fixedListenPort(words[0] === 'exec' ? words.slice(1) : words);
      const port = fixed && { ...fixed, span: { start: cap.node.startIndex, end: cap.node.endIndex } };
      if (words[0] === 'exec') {
        execs.push([program]);
        execPorts.push(port);
      }
      last = program;
      // A job sent to the background (`gunicorn --bind :8000 &` behind `nginx`) is not what answers.
      lastPort = backgrounded(cap.node) ? undefined : port;
    }
    const runs = execs.length ? execs.flat() : last ? [last] : [];
    if (runs.length) facts.startsProgram = runs;
    // One port, said by every starting command: branches that listen differently say none.
    const ports = execs.length ? execPorts : [lastPort];
    const listening = ports[0];
    if (listening && ports.every((p) => p?.port === listening.port && p.server === listening.server)) facts.startsListening = listening;
    readBackgroundExecs(root, text, facts);
  } catch (err) {
    if (err instanceof ParsersNotReady) throw err;
    // What the script starts stays unknown: the image's program is then not followed.
  }
}

/**
 * `exec celery -A app worker` and the like: each with the variable value its branch is taken
 * under (`if [ "$PROCESS_TYPE" = "worker" ]`, `elif [[ $ROLE == beat ]]`, `case "$ROLE" in
 * worker|w)`), or none at the script's top level. A branch under any other condition (an `else`,
 * a `-n` test, a function) says nothing the model can match, and is left out.
 */
function readBackgroundExecs(root: SyntaxNode, text: string, facts: FileFacts): void {
  const out: NonNullable<FileFacts['backgroundWhen']> = [];
  // Jobs started in the background (`python health.py &`), listed once an exec is found.
  let jobs: { block: number; at: number }[] | undefined;
  for (const cap of query('bash', '(command) @cmd').captures(root)) {
    const words = commandWords(cap.node, text);
    if (words[0] !== 'exec') continue;
    const program = backgroundOnly(words.slice(1));
    if (!program) continue;
    // A job the same path starts before it (a health-check server for the probe) may answer.
    jobs ??= backgroundJobs(root);
    if (jobs.some((j) => j.at < cap.node.startIndex && enclosing(cap.node).has(j.block))) continue;
    const span = { start: cap.node.startIndex, end: cap.node.endIndex };
    const branch = branchOf(cap.node, text);
    if (branch === null) continue;
    out.push({ program, span, ...(branch ? { when: branch } : {}) });
  }
  if (out.length) facts.backgroundWhen = out;
}

/** The command is sent to the background (`cmd &`). */
function backgrounded(cmd: SyntaxNode): boolean {
  const next = cmd.nextSibling;
  return !!next && !next.isNamed && next.type === '&';
}

/** Where the script sends a command to the background (`&`): the block holding it, by node id. */
function backgroundJobs(root: SyntaxNode): { block: number; at: number }[] {
  const out: { block: number; at: number }[] = [];
  const walk = (n: SyntaxNode, depth: number): void => {
    if (depth > 200) return;
    for (const c of n.children) {
      if (!c) continue;
      if (!c.isNamed && c.type === '&') out.push({ block: n.id, at: c.startIndex });
      else if (c.isNamed) walk(c, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** The ids of the blocks around a node. */
function enclosing(node: SyntaxNode): Set<number> {
  const ids = new Set<number>();
  for (let n = node.parent, depth = 0; n && depth < 64; n = n.parent, depth++) ids.add(n.id);
  return ids;
}

/** The `NAME = value` test a command's branch is taken under: undefined at the top level, null
 * under anything else. */
function branchOf(cmd: SyntaxNode, text: string): { name: string; values: string[] } | undefined | null {
  for (let n = cmd.parent, depth = 0; n && depth < 64; n = n.parent, depth++) {
    switch (n.type) {
      case 'program': return undefined;
      case 'if_statement': case 'elif_clause': {
        const cond = n.childForFieldName('condition') ?? n.namedChildren.find((c) => c?.type === 'test_command') ?? null;
        // Under the `then` only: a command in the condition itself is no branch.
        if (!cond || cmd.startIndex < cond.endIndex) return null;
        return equalityTest(cond, text);
      }
      case 'case_item': {
        const subject = n.parent?.childForFieldName('value');
        const name = subjectName(subject ?? null, text);
        const values = n.childrenForFieldName('value').map((v) => (v ? literal(v, text) : undefined));
        return name && values.length && values.every((v) => v !== undefined) ? { name, values: values as string[] } : null;
      }
      case 'else_clause': case 'function_definition': case 'for_statement': case 'while_statement': case 'subshell':
        return null;
      default:
    }
  }
  return null;
}

/** `[ "$NAME" = "value" ]`, `[[ $NAME == value ]]`: the name and the value. */
function equalityTest(cond: SyntaxNode, text: string): { name: string; values: string[] } | null {
  const bin = cond.type === 'test_command' && cond.namedChildren.length === 1 ? cond.namedChildren[0] : null;
  if (!bin || bin.type !== 'binary_expression') return null;
  const op = bin.childForFieldName('operator') ?? bin.children.find((c) => c && !c.isNamed) ?? null;
  const left = bin.childForFieldName('left');
  const right = bin.childForFieldName('right');
  if (!op || !left || !right || !['=', '=='].includes(text.slice(op.startIndex, op.endIndex))) return null;
  const name = subjectName(left, text);
  const value = literal(right, text);
  return name && value ? { name, values: [value] } : null;
}

function commandWords(cmd: SyntaxNode, text: string): string[] {
  const out: string[] = [];
  for (const c of cmd.namedChildren) {
    if (!c || c.type === 'variable_assignment' || c.type === 'file_redirect' || c.type === 'herestring_redirect') continue;
    out.push(unquote(text.slice(c.startIndex, c.endIndex)));
  }
  return out;
}
