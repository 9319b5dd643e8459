/**
 * Names a deploy writes that differ from a name the code reads by a word or a letter: the value
 * meant for the code, under a name it never reads (`CACHE_TTL` set, `CACHE_TTL_SECONDS` read;
 * `REDIS_URL_STAGING` set, `REDIS_URL` read; `SENTRY_DNS` for `SENTRY_DSN`).
 *
 * Pure: reads the model only.
 */
import type { DeployTarget, ReadRef, WorkspaceModel, WriteRef } from '../../model/workspace-model';
import { editDistance } from '../../core/edit-distance';
import { isReadByLibraries } from '../../knowledge/library-env';
import { isReservedOnCloudRun } from '../../knowledge/platform';
import { providesUnderOtherName } from './needed-env';

/** Two names that differ in one of their `_`-separated words only, and there by a few letters:
 * one word starts the other (`SLACK_CHANNELS` / `SLACKIN_CHANNELS`) or one letter differs, is
 * missing or is swapped (`SENTRY_DNS` / `SENTRY_DSN`). Short words are left alone (`DB_A` / `DB_B`). */
export function nearSpelling(a: string, b: string): boolean {
  const x = a.split('_');
  const y = b.split('_');
  if (x.length !== y.length || x.length < 2) return false;
  const differing = x.flatMap((w, i) => (w !== y[i] ? [i] : []));
  if (differing.length !== 1) return false;
  const [u, v] = [x[differing[0]!]!, y[differing[0]!]!];
  if (Math.min(u.length, v.length) < 4) return false;
  return u.startsWith(v) || v.startsWith(u) || editDistance(u, v) === 1;
}

/** `written` is `read` with a word more or less at either end (`APP_SECRET` / `SECRET`,
 * `CACHE_TTL` / `CACHE_TTL_SECONDS`), or spelled nearly alike. Both hold a `_`. */
export function nearName(written: string, read: string): boolean {
  if (written === read || !written.includes('_') || !read.includes('_')) return false;
  return written.endsWith(`_${read}`) || read.endsWith(`_${written}`) || written.startsWith(`${read}_`) || read.startsWith(`${written}_`) ||
    nearSpelling(written, read);
}

/** A value stands in where the variable is unset (`?? "d"`, `.get("X", "d")`, a schema's default). */
const DEFAULTED = new Set<string | undefined>([undefined, 'default', 'schema']);

export interface DefaultedNearName {
  /** The name the deploy writes, which no code of the workspace reads. */
  written: string;
  /** Where one deploy (or env file) of the target writes it, without writing `name`. */
  write: WriteRef;
  /** The one near name the service's code reads with a default value. */
  name: string;
  readers: ReadRef[];
}

/**
 * Names `t`'s deploys write that no code of the workspace reads (nor a library by itself, nor
 * Cloud Run), each beside exactly one near name the service's own code reads and copes without
 * (a default value) that the same deploy does not set: where that deploy ran, the code runs on
 * its default while the value meant for it sits under the other name. One per written name, at
 * the first deploy writing it so. `isRead` answers for every service's reads; `owned` names are
 * another rule's.
 */
export function defaultedNearNames(model: WorkspaceModel, t: DeployTarget, isRead: (name: string) => boolean, owned: ReadonlySet<string>): DefaultedNearName[] {
  if (!t.service) return [];
  const optional = new Map<string, ReadRef[]>();
  // A name some of the service's code reads without a default is the missing-variable check's,
  // which names the near name the deploy sets: one mistake, said once.
  const required = new Set<string>();
  for (const r of model.readsByService.get(t.service.name) ?? []) {
    if (!r.isTest && !r.read.hasDefault) required.add(r.read.name);
    // A value a build inlines (`VITE_API_URL`) is the build's: no name at run time reaches it.
    if (r.isTest || !r.read.hasDefault || r.read.devOnly || r.read.mainOnly || r.read.buildTime || !DEFAULTED.has(r.read.optionalBecause)) continue;
    const list = optional.get(r.read.name) ?? [];
    list.push(r);
    optional.set(r.read.name, list);
  }
  // What each deploy (or env file) of the target writes.
  const bySource = new Map<unknown, Set<string>>();
  for (const [name, refs] of t.writes) {
    for (const w of refs) {
      const source = w.deploy ?? w.file;
      const names = bySource.get(source) ?? new Set<string>();
      names.add(name);
      bySource.set(source, names);
    }
  }
  const out: DefaultedNearName[] = [];
  for (const [written, refs] of t.writes) {
    if (isRead(written) || isReadByLibraries(written) || isReservedOnCloudRun(written)) continue;
    const near = [...optional.keys()].filter((n) => nearName(written, n));
    // An OAuth credential under another name is oauth-env-mismatch's; GCP_PROJECT_ID is
    // gcp-project-id-unwired's.
    if (near.length !== 1) continue;
    const name = near[0]!;
    if (required.has(name) || owned.has(name) || providesUnderOtherName(model, t, name)) continue;
    const write = refs.find((w) => !bySource.get(w.deploy ?? w.file)!.has(name));
    const readers = optional.get(name)!;
    // The value written is the one every reader's default gives (`GCS_PROJECT_ID=klipstream`
    // beside `os.environ.get('GCS_PROJECT', 'klipstream')`): the service already runs on it.
    if (write && !runsOnValueWritten(write, readers)) out.push({ written, write, name, readers });
  }
  return out;
}

function runsOnValueWritten(write: WriteRef, readers: ReadRef[]): boolean {
  const v = write.write.value;
  return v.kind === 'literal' && readers.every((r) => r.read.textDefault === v.value);
}
