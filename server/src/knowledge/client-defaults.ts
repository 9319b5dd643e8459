/**
 * Options the Google Cloud client libraries fill in themselves when they are left undefined: the
 * credentials (Application Default Credentials: on Cloud Run, the service account from the
 * metadata server) and the project (the metadata server's project). A variable passed only as one
 * of these (`new Storage({ keyFilename: process.env.X, projectId: process.env.Y })`) is optional:
 * unset, the client uses the ambient identity and project.
 *
 * Sources: google-auth-library `GoogleAuth` options (`keyFilename`, `keyFile`, `credentials`,
 * `projectId`), shared by every `@google-cloud/*` client; `firebase-admin` `initializeApp`
 * (`credential`, `projectId`); Python `google.cloud` clients (`project=`, `credentials=`).
 *
 * node-postgres (`pg`) fills a connection option left undefined from the libpq variable of its
 * name (`ConnectionParameters`: `user` from `PGUSER`, `password` from `PGPASSWORD`, …). An option
 * given that same variable (`new Pool({ user: process.env.PGUSER })`) is what `pg` does by itself:
 * whether the connection needs it is `pg`'s own read, not the code's.
 *
 * Sentry's SDKs are off when `init` is given no DSN (`Sentry.init({ dsn: process.env.SENTRY_DSN })`:
 * "If no DSN is set, the SDK will not send any events"): error reporting stops, the service runs.
 * The options that only label events (`release: process.env.VERSION`) are optional as well.
 */

/** Modules whose clients fall back this way (the package, or its scope). */
export function isGoogleClientModule(specifier: string): boolean {
  return /^@google-cloud\//.test(specifier) || /^(?:firebase-admin|googleapis|google-auth-library)(?:\/|$)/.test(specifier);
}

/** Constructor / factory options a Google client fills in itself when undefined (TypeScript). */
export const AMBIENT_CLIENT_OPTIONS = new Set(['keyFilename', 'keyFile', 'credentials', 'credential', 'projectId']);

/** node-postgres's modules (`pg`, its pool). */
export function isPostgresClientModule(specifier: string): boolean {
  return specifier === 'pg' || specifier === 'pg-pool';
}

/** The variable node-postgres reads for a connection option it is not given. */
export const PG_OPTION_VARIABLES: Readonly<Record<string, string>> = { user: 'PGUSER', password: 'PGPASSWORD', host: 'PGHOST', port: 'PGPORT', database: 'PGDATABASE' };


/** Sentry's JavaScript SDKs (`@sentry/node`, `@sentry/nextjs`, …). */
export function isSentryModule(specifier: string): boolean {
  return /^@sentry\//.test(specifier);
}

/** `init` options a Sentry SDK does without: the DSN (off rather than failing) and what only
 * labels events (`release`, `environment`, `dist`, `serverName`, unset: detected or left out). */
export const SENTRY_OPTIONAL_OPTIONS = new Set(['dsn', 'release', 'environment', 'dist', 'serverName']);
