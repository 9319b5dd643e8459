/**
 * Writes examples/staging-audit-deployed/: what "is running" for the example workspace, in
 * gcloud's own output formats (see recordings.ts), with drift planted on purpose. Re-run after
 * changing the story: `node --import tsx test/drift/make-example-recordings.ts`.
 *
 * The story (projects netra-staging = 418206937752, netra-prod = 731594028416):
 * - backend-staging got SERVICE_SECRET by hand (`--update-secrets` in a terminal): the repository's
 *   deploy replaces the secrets and drops it, and the code requires it;
 * - auth-staging got a REDIS_URL in the console; its DATABASE_URL secret was never created;
 * - backend-production runs JWT_SECRET_KEY from an older secret name;
 * - auth-production never got GOOGLE_OAUTH_CLIENT_ID_PRODUCTION;
 * - worker jobs carry QUEUE_NAME / BATCH_SIZE their additive deploys keep;
 * - google-oauth-client-secret-staging has no enabled version left.
 * The stand-in gcloud (fake-gcloud.cjs) serves the same files, with `config get-value project`
 * = netra-prod and `run/region` = us-central1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jobExport, secretsList, serviceExport, versionsList } from './recordings';

const OUT = path.join(__dirname, '..', '..', 'examples', 'staging-audit-deployed');
const STAGING = '418206937752';
const PROD = '731594028416';
const OAUTH_STAGING = '418206937752-k3v9qd2hj7m1x0c5pq8rl4tse6wn2bfa.apps.googleusercontent.com';
const OAUTH_PROD = '731594028416-9p2rfk7d0g5hq3m8vbx1zt6ncl4ya2we.apps.googleusercontent.com';
const R = 'us-central1';

const files: Record<string, string> = {
  'auth-staging.yaml': serviceExport('auth-staging', R, {
    ENVIRONMENT: 'staging', GCP_PROJECT_ID: 'netra-staging', GOOGLE_OAUTH_CLIENT_ID_STAGING: OAUTH_STAGING, REDIS_URL: 'redis://10.20.0.9:6379/0',
    JWT_SECRET_KEY: { secret: 'jwt-secret-staging' }, SERVICE_SECRET: { secret: 'service-secret-staging' },
    GOOGLE_OAUTH_CLIENT_SECRET_STAGING: { secret: 'google-oauth-client-secret-staging' }, DATABASE_URL: { secret: 'auth-database-url-staging' },
  }, STAGING),
  'backend-staging.yaml': serviceExport('backend-staging', R, {
    ENVIRONMENT: 'staging', LOG_LEVEL: 'info', GOOGLE_OAUTH_CLIENT_ID_STAGING: OAUTH_STAGING, DATABASE_URL: 'postgresql+asyncpg://netra@10.20.0.3:5432/netra',
    JWT_SECRET_KEY: { secret: 'jwt-secret-key-staging' }, GOOGLE_OAUTH_CLIENT_SECRET_STAGING: { secret: 'google-oauth-client-secret-staging' },
    SERVICE_SECRET: { secret: 'service-secret-staging' },
  }, STAGING),
  'worker-staging.yaml': jobExport('worker-staging', R, {
    ENVIRONMENT: 'staging', GCP_PROJECT_ID: 'netra-staging', QUEUE_NAME: 'jobs-staging', BATCH_SIZE: '250',
    DATABASE_URL: { secret: 'worker-database-url-staging' },
  }, STAGING),
  'auth-production.yaml': serviceExport('auth-production', R, {
    ENVIRONMENT: 'production',
    JWT_SECRET_KEY: { secret: 'jwt-secret-key-production' }, SERVICE_SECRET: { secret: 'service-secret-production' },
    GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION: { secret: 'google-oauth-client-secret-production' }, DATABASE_URL: { secret: 'auth-database-url-production' },
  }, PROD),
  'backend-production.yaml': serviceExport('backend-production', R, {
    ENVIRONMENT: 'production', LOG_LEVEL: 'warning', GCP_PROJECT_ID: 'netra-prod', GOOGLE_CLIENT_ID: OAUTH_PROD,
    GOOGLE_CLIENT_SECRET: { secret: 'google-oauth-client-secret-production' }, DATABASE_URL: 'postgresql://netra@/netra?host=/cloudsql/netra-prod:us-central1:netra-main',
    PGPASSWORD: { secret: 'db-password-production' }, JWT_SECRET_KEY: { secret: 'jwt-secret-key-prod' }, SERVICE_SECRET: { secret: 'service-secret-production' },
  }, PROD),
  'worker-production.yaml': jobExport('worker-production', R, {
    ENVIRONMENT: 'production', GCP_PROJECT_ID: 'netra-prod', QUEUE_NAME: 'jobs-production', DATABASE_URL: { secret: 'worker-database-url-production' },
  }, PROD),
  'secrets-netra-staging.json': secretsList(['jwt-secret-staging', 'jwt-secret-key-staging', 'service-secret-staging', 'google-oauth-client-secret-staging', 'worker-database-url-staging'], STAGING),
  'secrets-netra-prod.json': secretsList(['jwt-secret-key-production', 'jwt-secret-key-prod', 'service-secret-production', 'google-oauth-client-secret-production', 'auth-database-url-production', 'db-password-production', 'worker-database-url-production'], PROD),
};
// `gcloud secrets versions list` of every referenced secret that exists (what --live fetches).
const enabled: [string, 'ENABLED' | 'DISABLED' | 'DESTROYED'][] = [['2', 'ENABLED'], ['1', 'DISABLED']];
for (const id of ['jwt-secret-staging', 'jwt-secret-key-staging', 'service-secret-staging', 'worker-database-url-staging']) files[`versions-netra-staging-${id}.json`] = versionsList(id, enabled, STAGING);
files['versions-netra-staging-google-oauth-client-secret-staging.json'] = versionsList('google-oauth-client-secret-staging', [['2', 'DISABLED'], ['1', 'DESTROYED']], STAGING);
for (const id of ['jwt-secret-key-production', 'service-secret-production', 'google-oauth-client-secret-production', 'auth-database-url-production', 'db-password-production', 'worker-database-url-production']) {
  files[`versions-netra-prod-${id}.json`] = versionsList(id, enabled, PROD);
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'README.md'), `# What is running for examples/staging-audit (recorded)

Every \`*.yaml\` here is one Cloud Run service or job as \`gcloud run services|jobs describe NAME
--region us-central1 --format export\` prints it; \`secrets-<project>.json\` is \`gcloud secrets list
--project <project> --format json\`, \`versions-<project>-<secret>.json\` is \`gcloud secrets versions
list <secret> --project <project> --format json\`. Written by test/drift/make-example-recordings.ts
(which says what drift is planted), not fetched from a real project.

    deploy-preflight drift examples/staging-audit --deployed examples/staging-audit-deployed
`);
for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(OUT, name), text);
console.log(`wrote ${Object.keys(files).length} recordings to ${path.relative(process.cwd(), OUT)}`);
