/**
 * The code file a container is told to run instead of its image's command, from the words of its
 * command and arguments (`node src/worker.js`, `python -m app.worker`, `uv run
 * /app/src/pipeline/run.py`). Shared by the deploy extractors that read one: gcloud's `--command`/
 * `--args` and a Terraform container's `command`/`args`.
 */
import { isCodeFile } from '../knowledge/code-roots';

/** ASGI/WSGI servers whose first `module:attr` argument is the application. */
const APP_SERVERS = new Set(['uvicorn', 'gunicorn', 'hypercorn', 'daphne', 'waitress-serve', 'granian']);
const APP_SPEC = /^[A-Za-z_][\w.]*:[A-Za-z_][\w.()]*$/;
const modulePath = (module: string): string => `${module.replace(/\./g, '/')}.py`;

/** The first word naming a code file, as a path (`-m app.worker` → `app/worker.py`); a leading
 * `./` is dropped. An absolute path stays absolute: it is written in the image's file system,
 * whose working folder the model strips (model/deploy-entries.ts). */
export function entryInWords(words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i].trim();
    // `uvicorn valerie.worker.executor:app --port 8080` (also `python -m uvicorn …`): the
    // application's module is the program.
    if (APP_SERVERS.has(word.split('/').pop() ?? '')) {
      const app = words.slice(i + 1).map((w) => w.trim()).find((w) => APP_SPEC.test(w));
      return app ? modulePath(app.slice(0, app.indexOf(':'))) : undefined;
    }
    if (word === '-m' && APP_SERVERS.has(words[i + 1]?.trim() ?? '')) continue;
    if (word === '-m' && /^[A-Za-z_][\w.]*$/.test(words[i + 1]?.trim() ?? '')) return modulePath(words[i + 1].trim());
    // A path is one plain argument: a word with spaces or quotes is code or a shell line
    // (`-c,import os; …; run('x.py')`), whatever it ends with.
    if (!word.startsWith('-') && /^[\w./@+-]+$/.test(word) && isCodeFile(word)) return word.replace(/^\.\//, '');
  }
  return undefined;
}
