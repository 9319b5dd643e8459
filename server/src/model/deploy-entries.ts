/**
 * Code files a deploy runs instead of its image's command (`--command node --args src/worker.ts`):
 * a worker that shares an API's image. The file's reads are that deploy's, not those of the deploys
 * running the image's own command. The path is written relative to the image's working folder,
 * which is a service root here, so it is tried as written and under each root; a path that names
 * no file, or more than one, is left alone. An absolute path (`/app/src/pipeline/run.py`) is
 * written in the image, whose working folder holds the build's files: it is tried without its
 * leading folders, one at a time, until a part of it names a file.
 * Pure: reads facts and the service index only.
 */
import type { DeployFact, FileFacts } from '../core/facts';
import type { ServiceIndex } from './services';

export type EntryFiles = ReadonlyMap<string, readonly DeployFact[]>;

export function deployEntries(
  sites: readonly { deploy: DeployFact }[], files: ReadonlyMap<string, FileFacts>, services: ServiceIndex,
): EntryFiles {
  const out = new Map<string, DeployFact[]>();
  for (const { deploy } of sites) {
    const entry = deploy.entry?.value;
    if (!entry) continue;
    const file = entryFile(entry, files, services);
    if (!file) continue;
    const list = out.get(file) ?? [];
    list.push(deploy);
    out.set(file, list);
  }
  return out;
}

function entryFile(entry: string, files: ReadonlyMap<string, FileFacts>, services: ServiceIndex): string | undefined {
  const parts = entry.split('/').filter(Boolean);
  const tries = entry.startsWith('/') ? parts.map((_, k) => parts.slice(k).join('/')).slice(1) : [entry];
  for (const rel of tries) {
    const found = new Set([rel, ...services.services.map((s) => (s.root ? `${s.root}/${rel}` : rel))].filter((f) => files.get(f)));
    if (found.size === 1) return [...found][0];
    if (found.size > 1) return undefined;
  }
  return undefined;
}
