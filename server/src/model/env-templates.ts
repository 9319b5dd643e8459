/**
 * The committed template a missing env file is made from. A deploy loading `.env` that the
 * repository keeps out (gitignored, holding the real secrets) is set up by copying a template
 * beside it (`cp .env.example .env`, then filling in values): the names the template lists are the
 * ones the deploy is meant to have; so does a template folder mirroring the kept one
 * (`.envs.example/` beside `.envs/`). Its values are placeholders by design and are never taken
 * for the deployed ones; only its names count. Pure: reads facts only.
 */
import * as path from 'node:path';
import type { FileFacts } from '../core/facts';
import { candidatesFor } from './shipped-code';

const SUFFIXES = ['.example', '.sample', '.template', '.dist'];

export interface EnvTemplate {
  file: string;
  names: ReadonlySet<string>;
}

/** The template of the env file `written` (as `file` names it, not in the workspace). */
export function envTemplateOf(file: string, written: string, files: ReadonlyMap<string, FileFacts>): EnvTemplate | undefined {
  for (const missing of candidatesFor(file, written)) {
    const dir = path.posix.dirname(missing);
    const base = path.posix.basename(missing);
    const tries = SUFFIXES.map((s) => missing + s);
    // `.env.production` from the folder's one `.env.example`, as `.env` is.
    if (base.startsWith('.env')) tries.push(...SUFFIXES.map((s) => path.posix.join(dir, `.env${s}`)));
    // A template folder mirroring the kept one (`.envs.example/.production/.django` for
    // `.envs/.production/.django`).
    const segments = missing.split('/');
    for (let k = 0; k < segments.length - 1; k++) {
      for (const s of SUFFIXES) tries.push([...segments.slice(0, k), segments[k] + s, ...segments.slice(k + 1)].join('/'));
    }
    for (const t of tries) {
      const entries = files.get(t)?.envFile?.entries;
      if (entries?.length) return { file: t, names: new Set(entries.map((e) => e.name)) };
    }
  }
  return undefined;
}
