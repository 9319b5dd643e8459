/**
 * What a shell script an image runs as its entrypoint starts (`ENTRYPOINT ["./docker-entrypoint.sh"]`
 * whose script migrates, then `exec node apps/api/dist/src/main`): the programs its `exec`
 * commands start, or, without one, its last command that starts a program. The model reads the
 * image's program through it (model/shipped-code.ts), as it reads `CMD ["node", "dist/main.js"]`.
 */
import type { FileFacts } from '../core/facts';
import { whatRuns } from './command-line';
import { query, ParsersNotReady, type SyntaxNode } from '../parsers/tree-sitter';

/** Words a command that starts a program holds (the prefilter). */
const STARTERS = /\b(?:node|bun|deno|tsx|ts-node|python\d?(?:\.\d+)?|uvicorn|gunicorn|hypercorn|daphne|granian|npm|yarn|pnpm)\b/;

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
    for (const cap of query('bash', '(command) @cmd').captures(root)) {
      const words = commandWords(cap.node, text);
      const run = whatRuns(words);
      if (!run || run.shellScript) continue;
      const { shellScript: _s, ...program } = run;
      if (words[0] === 'exec') execs.push([program]);
      last = program;
    }
    const runs = execs.length ? execs.flat() : last ? [last] : [];
    if (runs.length) facts.startsProgram = runs;
  } catch (err) {
    if (err instanceof ParsersNotReady) throw err;
    // What the script starts stays unknown: the image's program is then not followed.
  }
}

function commandWords(cmd: SyntaxNode, text: string): string[] {
  const out: string[] = [];
  for (const c of cmd.namedChildren) {
    if (!c || c.type === 'variable_assignment' || c.type === 'file_redirect' || c.type === 'herestring_redirect') continue;
    out.push(unquote(text.slice(c.startIndex, c.endIndex)));
  }
  return out;
}
