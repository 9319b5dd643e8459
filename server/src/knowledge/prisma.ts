/**
 * What the Prisma ORM does with the environment. Its client reads the schema datasource's
 * `url = env("X")` at run time, unless the code gives it a connection itself: a URL passed to the
 * constructor (`datasourceUrl`, `datasources: { db: { url } }`) or a driver adapter holding the
 * connection (`adapter: new PrismaPg(pool)`). `directUrl` and `shadowDatabaseUrl` serve the CLI's
 * migrations only (the client ignores them since Prisma 4.10.1).
 */

/** How a schema's datasource read is named in facts and messages. */
export const PRISMA_DATASOURCE_VIA = 'Prisma datasource url';

/** Datasource keys whose `env("X")` the client reads at run time. */
export const PRISMA_CLIENT_KEYS: ReadonlySet<string> = new Set(['url']);

/** Words of code that gives the client its connection itself: the constructor's options, and the
 * driver adapters Prisma publishes (`@prisma/adapter-*`). */
export const PRISMA_OWN_CONNECTION: readonly string[] = ['datasourceUrl', 'datasources', 'PrismaPg', 'PrismaNeon', 'PrismaNeonHTTP',
  'PrismaPlanetScale', 'PrismaLibSQL', 'PrismaD1', 'PrismaMariaDb', 'PrismaMssql', 'PrismaBetterSQLite3', 'PrismaBetterSqlite3'];
