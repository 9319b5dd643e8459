/**
 * The port a server's command line makes it listen on, where the line fixes it: `uvicorn app:app
 * --port 8000`, `gunicorn -b 0.0.0.0:8000 app:app`, `streamlit run ui.py --server.port=8501`,
 * `python manage.py runserver 0.0.0.0:8000`, `next start -p 3000`.
 *
 * Cloud Run sends requests to the port in `$PORT` (8080 unless the deploy sets the container
 * port): a server that fixes another port and never reads `$PORT` is never reached. Only what the
 * line itself says counts, and nothing is assumed of a server's default: gunicorn binds `$PORT`
 * when it is set, uvicorn and streamlit have their own variables, and a configuration file
 * (`gunicorn -c gunicorn.conf.py`) may say anything.
 */

/** How each server's command line names its port. */
type PortSyntax = 'port-flag' | 'bind' | 'streamlit' | 'runserver' | 'listen';

/** Servers by program name, with the flags that set their port. */
const SERVERS: Record<string, { syntax: PortSyntax; flags: string[] }> = {
  uvicorn: { syntax: 'port-flag', flags: ['--port'] },
  fastapi: { syntax: 'port-flag', flags: ['--port'] },
  flask: { syntax: 'port-flag', flags: ['--port', '-p'] },
  daphne: { syntax: 'port-flag', flags: ['--port', '-p'] },
  next: { syntax: 'port-flag', flags: ['--port', '-p'] },
  gunicorn: { syntax: 'bind', flags: ['--bind', '-b'] },
  hypercorn: { syntax: 'bind', flags: ['--bind', '-b'] },
  granian: { syntax: 'port-flag', flags: ['--port'] },
  'waitress-serve': { syntax: 'listen', flags: ['--port', '--listen'] },
  streamlit: { syntax: 'streamlit', flags: ['--server.port'] },
  'manage.py': { syntax: 'runserver', flags: [] },
};

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash']);

export interface FixedPort {
  port: string;
  /** The program that listens (`uvicorn`). */
  server: string;
}

/** The command's words, a `sh -c "cd app && uvicorn main:app --port 8000"` line split at blanks. */
function ownWords(words: string[]): string[] {
  return SHELLS.has(words[0] ?? '') && /^-\w*c$/.test(words[1] ?? '')
    ? (words[2] ?? '').split(/\s+/).filter(Boolean).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'))
    : words;
}

/**
 * The port the command fixes (8080 included: a deploy may set another); undefined when it names
 * none, reads `$PORT` anywhere (`--port ${PORT:-8000}`, `sh -c "… --bind :$PORT"`), or starts no
 * server this knows. `words` are the command's own (an exec-form array, or a shell line split at blanks).
 */
export function fixedListenPort(words0: string[]): FixedPort | undefined {
  if (words0.some((w) => /\$\{?PORT\b/.test(w))) return undefined;
  const words = ownWords(words0);
  // Of a chain (`alembic upgrade head && uvicorn …`), each part may start the server.
  for (let i = 0; i < words.length; i++) {
    const name = programName(words, i);
    const server = name ? SERVERS[name] : undefined;
    if (!server) continue;
    const rest = words.slice(i + 1);
    const end = rest.findIndex((w) => w === '&&' || w === ';' || w === '||' || w === '|');
    const port = portIn(server.syntax, server.flags, end < 0 ? rest : rest.slice(0, end));
    if (port && /^\d{2,5}$/.test(port)) return { port, server: name === 'manage.py' ? 'runserver' : name! };
  }
  return undefined;
}

/** The server a word names: a program by its file name (`/opt/venv/bin/gunicorn`), Django's
 * `manage.py runserver`. */
function programName(words: string[], i: number): string | undefined {
  const w = words[i]!;
  const base = w.split('/').pop()!;
  if (base === 'manage.py') return words[i + 1] === 'runserver' ? 'manage.py' : undefined;
  // `python -m uvicorn` names it the same way; a word that is another command's argument (`pip
  // install uvicorn`) is followed by none of the server's flags, so no port is found after it.
  return Object.hasOwn(SERVERS, base) ? base : undefined;
}

function portIn(syntax: PortSyntax, flags: string[], args: string[]): string | undefined {
  if (syntax === 'runserver') {
    // `runserver`, `runserver 8000`, `runserver 0.0.0.0:8000`
    const addr = args.slice(1).find((a) => !a.startsWith('-'));
    return addr ? /(?:^|:)(\d+)$/.exec(addr)?.[1] : undefined;
  }
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    for (const f of flags) {
      const value = a === f ? args[k + 1] : a.startsWith(`${f}=`) ? a.slice(f.length + 1) : undefined;
      if (value === undefined) continue;
      if (syntax === 'bind' || (syntax === 'listen' && f === '--listen')) {
        // `0.0.0.0:8000`, `:8000`, `[::]:8000`; a unix socket (`unix:/tmp/s`) is no port.
        return /^(?:[\w.*-]*|\[[^\]]*\]):(\d+)$/.exec(value)?.[1];
      }
      return value;
    }
  }
  return undefined;
}

/** Programs that run background work and open no port: a Celery worker or beat, an RQ or Dramatiq
 * worker. As a Cloud Run service, such an image never answers the startup probe. */
const BACKGROUND: Record<string, (rest: string[]) => string | undefined> = {
  // `celery -A app worker`, `celery --app=app beat`; `celery flower` serves a dashboard.
  celery: (rest) => {
    const role = rest.find((w) => w === 'worker' || w === 'beat');
    return role && `celery ${role}`;
  },
  rq: (rest) => (rest[0] === 'worker' ? 'rq worker' : undefined),
  dramatiq: () => 'dramatiq',
};

/**
 * The background program the command starts, when it starts one and nothing else: `celery -A app
 * worker` (`celery worker`), `rq worker`. Undefined when the line also starts a server, runs
 * a script that may, or starts nothing this knows.
 */
export function backgroundOnly(words0: string[]): string | undefined {
  const words = ownWords(words0);
  if (words.some((w) => Object.hasOwn(SERVERS, w.split('/').pop()!) || /\.sh$/.test(w) || w === '&')) return undefined;
  for (let i = 0; i < words.length; i++) {
    const name = words[i]!.split('/').pop()!;
    const found = Object.hasOwn(BACKGROUND, name) ? BACKGROUND[name]!(words.slice(i + 1)) : undefined;
    if (found) return found;
  }
  return undefined;
}
