/**
 * A Prisma schema's `url = env("DATABASE_URL")` (extract/prisma.ts) is read by the Prisma Client
 * only where the service's code leaves the URL to the schema. It does not when it:
 * - uses no client at all (no file of the service names `PrismaClient`: a schema kept in a shared
 *   package the service's image copies but never loads, or one for another tool);
 * - hands the client a connection of its own (`new PrismaClient({ datasourceUrl })`,
 *   `datasources: { db: { url } }`, a driver adapter: `adapter: new PrismaPg(pool)`);
 * - reads the variable itself where it makes the client (`const url = process.env.DATABASE_URL_FINANCE
 *   || ''` in the module that extends `PrismaClient`, then a test of it): that read says whether
 *   the service needs it, and the schema's read adds nothing. A read elsewhere (a presence test
 *   choosing a cache) says nothing of the client's need.
 * The schema's read is then optional for that service.
 *
 * Asked of the word filters of the service's files (`WordHolders`, tests excepted). The filter errs
 * towards "holds": for the connection and the code's own read that only quiets the schema's read;
 * for the client, a collision with a word as long as `PrismaClient` is rare.
 *
 * Pure: reads the files' facts only.
 */
import type { EnvRead, FileFacts } from '../core/facts';
import type { WordHolders } from './file-words';
import { PRISMA_DATASOURCE_VIA, PRISMA_OWN_CONNECTION } from '../knowledge/prisma';

export class PrismaClients {
  private readonly memo = new Map<string, boolean>();
  constructor(private readonly holders: WordHolders) {}

  /** `read` as the code of the service under `root` (its folder; '' for the workspace's) uses it. */
  judged(file: string, read: EnvRead, root: string | undefined): EnvRead {
    if (read.via !== PRISMA_DATASOURCE_VIA || read.hasDefault) return read;
    if (root === undefined) return { ...read, hasDefault: true, optionalBecause: 'url-in-code' };
    const under = root === '' || root === '.' ? '' : `${root}/`;
    const named = (words: string[], also: (facts: FileFacts) => boolean = () => true): boolean => {
      for (const [, facts] of this.holders.naming(words, file, under)) if (also(facts)) return true;
      return false;
    };
    const key = `${under}\0${read.name}`;
    let left = this.memo.get(key);
    if (left === undefined) {
      const usesClient = named(['PrismaClient']);
      const ownConnection = PRISMA_OWN_CONNECTION.some((w) => named([w]));
      const readsItself = named([read.name, 'PrismaClient'], (facts) => facts.kind === 'typescript' && facts.reads.some((r) => r.name === read.name));
      left = usesClient && !ownConnection && !readsItself;
      this.memo.set(key, left);
    }
    return left ? read : { ...read, hasDefault: true, optionalBecause: 'url-in-code' };
  }
}
