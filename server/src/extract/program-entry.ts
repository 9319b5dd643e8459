/**
 * The code file a container is told to run instead of its image's command, from the words of its
 * command and arguments (`node src/worker.js`, `python -m app.worker`, `uv run
 * /app/src/pipeline/run.py`). Shared by the deploy extractors that read one: gcloud's `--command`/
 * `--args` and a Terraform container's `command`/`args`.
 */
import { isCodeFile } from '../knowledge/code-roots';

/** The first word naming a code file, as a path (`-m app.worker` → `app/worker.py`); a leading
 * `./` is dropped. An absolute path stays absolute: it is written in the image's file system,
 * whose working folder the model strips (model/deploy-entries.ts). */
export function entryInWords(words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i].trim();
    if (word === '-m' && /^[A-Za-z_][\w.]*$/.test(words[i + 1]?.trim() ?? '')) return `${words[i + 1].trim().replace(/\./g, '/')}.py`;
    // A path is one plain argument: a word with spaces or quotes is code or a shell line
    // (`-c,import os; …; run('x.py')`), whatever it ends with.
    if (!word.startsWith('-') && /^[\w./@+-]+$/.test(word) && isCodeFile(word)) return word.replace(/^\.\//, '');
  }
  return undefined;
}
