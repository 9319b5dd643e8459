/**
 * Which Postgres driver will receive a URL: spelled in the scheme (`postgresql+asyncpg://`) or,
 * for a plain `postgresql://` URL held in an env variable, the driver the reading service's code
 * hands that variable to (`create_async_engine(os.environ["DATABASE_URL"])`).
 */
import type { DriverUse } from '../../core/facts';
import type { DbUrlRef, WorkspaceModel } from '../../model/workspace-model';

export type DriverFamily = 'asyncpg' | 'libpq' | 'pg8000' | 'node-postgres';

export function familyOf(driver: DriverUse['driver']): DriverFamily {
  return driver === 'psycopg2' || driver === 'psycopg' ? 'libpq' : driver;
}

export function schemeDriver(scheme: string): DriverFamily | undefined {
  const s = scheme.toLowerCase();
  if (s.includes('+asyncpg')) return 'asyncpg';
  if (s.includes('+psycopg')) return 'libpq';
  if (s.includes('+pg8000')) return 'pg8000';
  return undefined;
}

export interface DriverEvidence {
  driver: DriverFamily;
  /** Where the code hands the URL to the driver (absent when the scheme says it). */
  use?: { file: string; use: DriverUse };
  /** Every use hands the URL to the driver's own parser (`asyncpg.connect(dsn)`: `DriverUse.parsesUrl`). */
  parsesUrl?: true;
}

/** Driver uses per service, indexed once per model. */
const cache = new WeakMap<WorkspaceModel, Map<string, { file: string; use: DriverUse }[]>>();
function usesByService(model: WorkspaceModel): Map<string, { file: string; use: DriverUse }[]> {
  let m = cache.get(model);
  if (!m) {
    m = new Map();
    for (const [file, facts] of model.files) {
      if (facts.driverUses.length === 0 || facts.isTest) continue;
      const s = model.services.ownerOf(file);
      if (!s) continue;
      const list = m.get(s.name) ?? [];
      for (const use of facts.driverUses) list.push({ file, use });
      m.set(s.name, list);
    }
    cache.set(model, m);
  }
  return m;
}

export function driverFor(ref: DbUrlRef, model: WorkspaceModel): DriverEvidence | undefined {
  const fromScheme = schemeDriver(ref.url.scheme);
  const envName = ref.url.envName ?? ref.write?.write.name;
  const uses = envName && ref.service ? (usesByService(model).get(ref.service.name) ?? []).filter((u) => u.use.envName === envName) : [];
  if (fromScheme) {
    // The scheme decides; a use of the same driver family is still the other end worth showing.
    const same = uses.find((u) => familyOf(u.use.driver) === fromScheme);
    return same ? { driver: fromScheme, use: same } : { driver: fromScheme };
  }
  const families = new Set(uses.map((u) => familyOf(u.use.driver)));
  if (families.size !== 1) return undefined; // no use, or several drivers: don't guess
  return { driver: [...families][0], use: uses[0], ...(uses.every((u) => u.use.parsesUrl) ? { parsesUrl: true as const } : {}) };
}

/**
 * Where the driver takes the URL, for a related location: the read of the URL's variable inside
 * the driver call when there is one (`os.environ["DATABASE_URL"]` on its own line), else the call.
 */
export function driverSite(model: WorkspaceModel, evidence: DriverEvidence): { file: string; span: { start: number; end: number } } | undefined {
  const u = evidence.use;
  if (!u) return undefined;
  const read = u.use.envName
    ? model.reads.find((r) => r.file === u.file && r.read.name === u.use.envName && r.read.span.start >= u.use.span.start && r.read.span.end <= u.use.span.end)
    : undefined;
  return { file: u.file, span: read ? read.read.span : u.use.span };
}

/** The SSL parameter a driver does not know and fails on (`sslmode` for asyncpg through
 * SQLAlchemy and for pg8000, `ssl` for libpq), whatever its value. asyncpg's own URL parser
 * (`asyncpg.connect(dsn)`: `parsesUrl`) knows `sslmode`. */
export function rejectsParam(driver: DriverFamily, key: string, parsesUrl = false): boolean {
  const k = key.toLowerCase();
  if (driver === 'asyncpg') return k === 'sslmode' && !parsesUrl;
  return driver === 'pg8000' ? k === 'sslmode' : driver === 'libpq' ? k === 'ssl' : false;
}

/** How messages name a driver family. */
export function driverName(driver: DriverFamily): string {
  return driver === 'libpq' ? 'libpq (psycopg)' : driver;
}

/** Names the URL for messages: `DATABASE_URL of backend (production)`, never its value. */
export function describeUrl(ref: DbUrlRef): string {
  const name = ref.write?.write.name ?? ref.url.envName;
  const owner = ref.write?.serviceName ?? ref.service?.name;
  const parts = [name ?? 'this Postgres URL'];
  if (owner) parts.push(`of ${owner}`);
  if (ref.environment) parts.push(`(${ref.environment})`);
  return parts.join(' ');
}

/** Each URL's index among the URLs of its file, for fingerprints that don't move with lines. */
export function urlOrdinals(model: WorkspaceModel): (ref: DbUrlRef) => number {
  const index = new Map<DbUrlRef, number>();
  const perFile = new Map<string, number>();
  for (const ref of model.dbUrls) {
    const n = perFile.get(ref.file) ?? 0;
    perFile.set(ref.file, n + 1);
    index.set(ref, n);
  }
  return (ref) => index.get(ref) ?? -1;
}
