/**
 * Code files a deploy runs instead of its image's command (`--command node --args src/worker.ts`):
 * a worker that shares an API's image. The file's reads are that deploy's, not those of the deploys
 * running the image's own command. The path is written relative to the image's working folder,
 * which is a service root here, so it is tried as written and under each root, and a Python
 * module's (`uvicorn shop.worker.main:app`) also under the one code folder ending with its package
 * (`src/shop/worker`, a source folder on the import path); a path that names no file, or more than
 * one, is left alone. An absolute path (`/app/src/pipeline/run.py`) is
 * written in the image, whose working folder holds the build's files: it is tried without its
 * leading folders, one at a time, until a part of it names a file.
 * Pure: reads facts and the service index only.
 */
import type { DeployFact, FileFacts } from '../core/facts';
import type { ServiceIndex } from './services';
import type { DeploySite } from './workflow-calls';

/** Each entry file, with the deploys (and their files) that run it. */
export type EntryFiles = ReadonlyMap<string, readonly { file: string; deploy: DeployFact }[]>;

/** Whether `site` is one of `runners`: by where the deploy is written, as the model may hold a copy
 * of it (a Terraform service per environment's tfvars). */
export function runsEntryOf(runners: readonly { file: string; deploy: DeployFact }[], site: { file: string; deploy: DeployFact }): boolean {
  return runners.some((r) => r.deploy === site.deploy || (r.file === site.file && r.deploy.span.start === site.deploy.span.start && r.deploy.span.end === site.deploy.span.end));
}

export function deployEntries(
  sites: readonly { file: string; deploy: DeployFact }[], files: ReadonlyMap<string, FileFacts>, services: ServiceIndex, codeDirs: ReadonlySet<string>,
): EntryFiles {
  const out = new Map<string, { file: string; deploy: DeployFact }[]>();
  for (const site of sites) {
    const { deploy } = site;
    const entry = deploy.entry?.value;
    if (!entry) continue;
    const file = entryFile(entry, files, services, codeDirs);
    if (!file) continue;
    const list = out.get(file) ?? [];
    list.push(site);
    out.set(file, list);
  }
  return out;
}

function entryFile(entry: string, files: ReadonlyMap<string, FileFacts>, services: ServiceIndex, codeDirs: ReadonlySet<string>): string | undefined {
  const parts = entry.split('/').filter(Boolean);
  const tries = entry.startsWith('/') ? parts.map((_, k) => parts.slice(k).join('/')).slice(1) : [entry];
  for (const rel of tries) {
    const found = new Set([rel, ...services.services.map((s) => (s.root ? `${s.root}/${rel}` : rel))].filter((f) => files.get(f)));
    if (found.size === 1) return [...found][0];
    if (found.size > 1) return undefined;
  }
  // A Python module of a package (`valerie.worker.executor` → `valerie/worker/executor.py`) is
  // found on the image's import path, which may be a source folder (`PYTHONPATH=src`): in the one
  // code folder ending with the package's path that holds the module, where there is exactly one.
  if (!entry.startsWith('/') && parts.length >= 2 && entry.endsWith('.py')) {
    const pkg = parts.slice(0, -1).join('/');
    const found = [...codeDirs].filter((d) => d.endsWith(`/${pkg}`) && files.has(`${d}/${parts[parts.length - 1]}`));
    if (found.length === 1) return `${found[0]}/${parts[parts.length - 1]}`;
  }
  return undefined;
}

/**
 * An update of a resource (`gcloud run jobs update pipeline-job --image …`) keeps the command and
 * arguments it has: where the workspace creates that resource (same platform, same deployed name)
 * with an entry of its own (a Terraform job's `args = ["run", "src/pipeline/run.py"]`), the update
 * runs that entry too. So does a `gcloud run deploy` without `--command`/`--args` of a resource a
 * whole definition here (Terraform, a Knative manifest) gives an entry: gcloud keeps what the
 * service's container is told to run. Such sites get a copy of their deploy with the entry; the
 * rest are as given.
 */
export function withKeptEntries(sites: readonly DeploySite[]): DeploySite[] {
  const keyOf = (d: DeployFact) => (d.service?.value ? `${d.platform}\0${d.service.value.trim()}` : undefined);
  const whole = (d: DeployFact) => d.via === 'terraform' || d.via === 'knative';
  // The entries of the deploys creating each resource (undefined: one that runs the image's
  // command), and of those defining it whole.
  const created = new Map<string, DeployFact['entry'][]>();
  const defined = new Map<string, DeployFact['entry'][]>();
  for (const { deploy } of sites) {
    const key = keyOf(deploy);
    if (key && !deploy.amends) created.set(key, [...(created.get(key) ?? []), deploy.entry]);
    if (key && whole(deploy)) defined.set(key, [...(defined.get(key) ?? []), deploy.entry]);
  }
  return sites.map((site) => {
    const { deploy } = site;
    const key = keyOf(deploy);
    if (!key || deploy.entry || deploy.command || deploy.ownCommand || whole(deploy)) return site;
    // Created (or defined) with one entry only: deploys that disagree leave this one alone.
    const [entry, ...others] = (deploy.amends ? created : defined).get(key) ?? [];
    if (!entry?.value || others.some((e) => e?.value !== entry.value)) return site;
    return { ...site, deploy: { ...deploy, entry } };
  });
}
