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
import type { DeploySite } from './workflow-calls';

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

/**
 * An update of a resource (`gcloud run jobs update pipeline-job --image …`) keeps the command and
 * arguments it has: where the workspace creates that resource (same platform, same deployed name)
 * with an entry of its own (a Terraform job's `args = ["run", "src/pipeline/run.py"]`), the update
 * runs that entry too. Such sites get a copy of their deploy with the entry; the rest are as given.
 */
export function withKeptEntries(sites: readonly DeploySite[]): DeploySite[] {
  const keyOf = (d: DeployFact) => (d.service?.value ? `${d.platform}\0${d.service.value.trim()}` : undefined);
  // The entries of the deploys creating each resource (undefined: one that runs the image's command).
  const created = new Map<string, DeployFact['entry'][]>();
  for (const { deploy } of sites) {
    const key = keyOf(deploy);
    if (key && !deploy.amends) created.set(key, [...(created.get(key) ?? []), deploy.entry]);
  }
  return sites.map((site) => {
    const { deploy } = site;
    const key = keyOf(deploy);
    if (!key || !deploy.amends || deploy.entry || deploy.command) return site;
    // Created with one entry only: creating deploys that disagree leave the update alone.
    const [entry, ...others] = created.get(key) ?? [];
    if (!entry?.value || others.some((e) => e?.value !== entry.value)) return site;
    return { ...site, deploy: { ...deploy, entry } };
  });
}
