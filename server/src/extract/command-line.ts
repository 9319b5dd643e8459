/**
 * What a command line starts, as a Dockerfile's `CMD` or a package.json script writes it: a Python
 * module (`uvicorn app.main:app`, `python -m worker`), a script (`python manage.py`, `node
 * dist/server.js`), or a package script (`npm start`, `yarn serve`), which the package.json beside
 * it says more about. The words are the command's own (an exec-form array, or a shell line split
 * at blanks); `sh -c "…"` is looked into, and of a chain (`npx prisma migrate deploy && node
 * dist/server.js`) the last part that starts something counts: the earlier ones prepare it.
 */

import { NEXT_SERVER_RUN } from '../knowledge/called-by-convention';

/** ASGI/WSGI servers whose first `module:attr` argument is the application. */
const APP_SERVERS = new Set(['uvicorn', 'gunicorn', 'hypercorn', 'daphne', 'waitress-serve', 'granian']);
const PYTHON = /^python(\d(\.\d+)?)?$/;
const NODE_RUNNERS = new Set(['node', 'bun', 'deno', 'tsx', 'ts-node']);
/** Node's options that take the next word as their value (a module to preload, a loader). */
const NODE_VALUE_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C', '--title',
  // ts-node's and tsx's configuration file.
  '--project', '-P', '--tsconfig']);
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm']);
/** Tools that run a command in a project's environment, by the word that says so ('' for none:
 * `npx tsx …`). */
const ENV_RUNNERS = new Map([['uv', 'run'], ['poetry', 'run'], ['pipenv', 'run'], ['pdm', 'run'], ['rye', 'run'], ['hatch', 'run'], ['npx', ''], ['bunx', '']]);
/** Their options that take the next word as their value. */
const RUNNER_VALUE_FLAGS = new Set(['--python', '-p', '--with', '--project', '--directory', '--env-file', '--extra', '--group', '--package', '--index', '--from', '-w']);
/** A JavaScript module as the command's first word: the image's entrypoint (node) runs it. */
const SCRIPT_FILE = /\.(?:[cm]?js)$/i;

export interface CommandRun { module?: string; script?: string; packageScript?: string;
  /** A shell script (`./docker-entrypoint.sh`): what it starts is its own last command
   * (`FileFacts.startsProgram`). */
  shellScript?: string }

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash']);

export function whatRuns(words0: string[]): CommandRun | undefined {
  let words = words0;
  if (SHELLS.has(words[0] ?? '') && /^-\w*c$/.test(words[1] ?? '')) {
    return lineRuns(words[2] ?? '');
  }
  if (words[0] === 'exec') words = words.slice(1);
  // `./docker-entrypoint.sh`, `sh start.sh`: a script that starts the program.
  const shell = SHELLS.has(words[0] ?? '') ? words.slice(1).find((w) => !w.startsWith('-')) : words[0];
  if (shell && /\.sh$/.test(shell)) return { shellScript: shell };
  // `NODE_ENV=production node …`: assignments for the command, not the command.
  while (words.length > 1 && /^[A-Za-z_]\w*=/.test(words[0]!)) words = words.slice(1);
  const prog = (words[0] ?? '').split('/').pop() ?? '';
  // `CMD ["./apps/api/src/server.mjs"]` on a distroless Node image, whose entrypoint is node: the
  // command is the script itself.
  if (SCRIPT_FILE.test(words[0] ?? '')) return { script: words[0]! };
  if (APP_SERVERS.has(prog)) {
    const app = words.slice(1).find((w) => /^[A-Za-z_][\w.]*:[A-Za-z_][\w.()]*$/.test(w));
    return app ? { module: app.split(':')[0] } : undefined;
  }
  if (PYTHON.test(prog)) {
    const m = words.indexOf('-m');
    if (m > 0 && words[m + 1]) {
      const mod = words[m + 1]!;
      if (APP_SERVERS.has(mod)) return whatRuns(words.slice(m + 1));
      return { module: mod };
    }
    const script = words.slice(1).find((w) => !w.startsWith('-'));
    return script ? { script } : undefined;
  }
  if (NODE_RUNNERS.has(prog)) {
    // `node --import ./dist/instrumentation.js dist/main.js`: a flag's value is no program.
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!;
      if (NODE_VALUE_FLAGS.has(w)) i++;
      else if (w === 'watch' && i === 1 && prog === 'tsx') continue; // `tsx watch src/server.ts`
      else if (!w.startsWith('-')) return { script: w };
    }
    return undefined;
  }
  // `uv run gunicorn …`, `poetry run python -m worker`, `npx tsx src/server.ts`: a project tool
  // running a command in its environment runs that command.
  const runner = ENV_RUNNERS.get(prog);
  if (runner !== undefined && (runner === '' || words[1] === runner)) {
    for (let i = runner ? 2 : 1; i < words.length; i++) {
      const w = words[i]!;
      if (RUNNER_VALUE_FLAGS.has(w)) i++;
      else if (!w.startsWith('-')) return whatRuns(words.slice(i));
    }
    return undefined;
  }
  // `next start`: Next.js's server, which loads the app's routes by convention.
  if (prog === 'next' && words[1] === 'start') return { script: NEXT_SERVER_RUN };
  if (PACKAGE_MANAGERS.has(prog)) {
    // `npm start`, `npm run start:prod`, `yarn serve`, `pnpm run start`.
    const rest = words.slice(1).filter((w) => !w.startsWith('-'));
    const name = rest[0] === 'run' || rest[0] === 'run-script' ? rest[1] : prog === 'npm' && rest[0] !== 'start' ? undefined : rest[0];
    return name ? { packageScript: name } : undefined;
  }
  return undefined;
}

/** Every part of a shell line's `&&` / `;` chain that starts something, in order. */
export function chainRuns(line: string): CommandRun[] {
  const out: CommandRun[] = [];
  for (const p of line.split(/&&|\|\||;/)) {
    const words = p.trim().split(/\s+/).filter(Boolean);
    const run = words.length ? whatRuns(words) : undefined;
    if (run) out.push(run);
  }
  return out;
}

/** A shell line: the last part of a `&&` / `;` chain that starts something. */
export function lineRuns(line: string): CommandRun | undefined {
  return programOf(chainRuns(line));
}

/** What a chain starts: its last part, except Next.js's server after other parts (`tsx
 * migrate.ts && next start`), where the part before it stays the program, so what that part loads
 * stays the service's: the module graph follows one program, and Next.js's routes are no file. */
export function programOf(runs: readonly CommandRun[]): CommandRun | undefined {
  const last = runs.at(-1);
  return last?.script === NEXT_SERVER_RUN && runs.length > 1 ? runs.at(-2) : last;
}
