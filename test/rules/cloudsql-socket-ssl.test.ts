/**
 * cloudsql-socket-ssl: SSL parameters on a Postgres URL whose host is a Cloud SQL unix socket.
 * Valid and invalid workspaces side by side, across every file kind a URL can live in, then
 * suppression/config; every fix goes through the shared round trip (SSL params first, middle,
 * last, only).
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester, type ExpectedFinding, type ExpectedFix } from '../rule-tester';
import { cloudsqlSocketSsl } from '../../server/src/rules/cloudsql-socket-ssl';

before(ready);

const RULE = 'cloudsql-socket-ssl';
const SECRET = 'Zq8vLm3pT9xW2';

const PY_SVC = {
  'services/api/requirements.txt': 'fastapi\npsycopg2-binary\n',
  'services/api/app/db.py': 'import os\nimport psycopg2\n\nconn = psycopg2.connect(os.environ["DATABASE_URL"])\n',
};

/** The one fix: drop the SSL parameters (safe, preferred); afterwards the rule has nothing left. */
const dropFix = (params: string, file: string, contains: string): ExpectedFix => ({
  title: `Remove ${params} from the socket URL`, safe: true, preferred: true, files: [file],
  output: { contains: { [file]: contains }, remaining: [] },
});

/** A warning on the SSL parameters of a Cloud SQL socket URL. */
const onCloudSql = (at: string, message: string[], related: string[], fix: ExpectedFix, text?: string): ExpectedFinding => ({
  at, severity: 'warning', messageId: 'sslOnCloudSqlSocket', message, related, fixes: [fix], ...(text ? { text } : {}),
});

const ENV_PRODUCTION = `# prod settings\nDATABASE_URL=postgresql://api:${SECRET}@/api?host=/cloudsql/acme-prod:us-central1:main&sslmode=require\n`;
const SHELL_STAGING = '#!/usr/bin/env bash\nset -euo pipefail\ngcloud run deploy api-staging \\\n  --source services/api \\\n  --project acme-staging \\\n  --set-env-vars "ENVIRONMENT=staging,DATABASE_URL=postgresql://api@/cloudsql/acme-staging:us-central1:main/api?connect_timeout=5&sslmode=verify-full&application_name=api"\n';
const KNATIVE_PRODUCTION = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api-production\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/acme-prod/api\n          env:\n            - name: ENVIRONMENT\n              value: production\n            - name: DATABASE_URL\n              value: postgresql://api@/api?host=/cloudsql/acme-prod:us-central1:main&sslmode=require\n';
const WEB_TS: Files = {
  'services/web/package.json': '{ "name": "web" }\n',
  'services/web/src/db.ts': 'import { Pool } from "pg";\n\nexport const pool = new Pool({\n  connectionString: process.env.DATABASE_URL ?? "postgresql://web@/web?host=/cloudsql/acme-dev:us-central1:main&ssl=true",\n});\n',
};
/** A backend that hands DATABASE_URL to asyncpg (SQLAlchemy's async engine). */
const ASYNC_SVC: Files = {
  'services/backend/requirements.txt': 'sqlalchemy[asyncio]\nasyncpg\n',
  'services/backend/app/db.py': 'import os\nfrom sqlalchemy.ext.asyncio import create_async_engine\n\nengine = create_async_engine(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+asyncpg://", 1))\n',
};
const KNATIVE_BACKEND = (url: string) => KNATIVE_PRODUCTION.replace(/api-production/g, 'backend-production').replace('gcr.io/acme-prod/api', 'gcr.io/acme-prod/backend')
  .replace(/value: postgresql:.*\n$/, `value: ${url}\n`);
const ENV_FILES = { ...PY_SVC, 'services/api/.env.production': 'DATABASE_URL=postgresql://api@/api?host=/cloudsql/p:r:i&sslmode=require\n' };
const ENV_FINDING = onCloudSql('services/api/.env.production:1', ['DATABASE_URL of api (production)', 'sslmode does nothing on a Cloud SQL socket'], ['services/api/app/db.py:4'],
  { title: 'Remove sslmode from the socket URL', safe: true, preferred: true, files: ['services/api/.env.production'] });

RuleTester.run(cloudsqlSocketSsl, {
  valid: [
    {
      name: 'TCP host with sslmode=require for psycopg2 (SSL does something there)',
      files: { ...PY_SVC, 'services/api/.env.production': 'DATABASE_URL=postgresql://api@10.20.0.3:5432/api?sslmode=require\n' },
    },
    {
      name: 'Knative YAML: socket URL without SSL parameters',
      files: {
        ...PY_SVC,
        'deploy/api-production.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api-production\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/acme-prod/api\n          env:\n            - name: DATABASE_URL\n              value: postgresql://api@/api?host=/cloudsql/acme-prod:us-central1:main&connect_timeout=10\n            - name: PGSSLMODE\n              value: require\n',
      },
    },
    {
      name: 'socket URL with sslmode=disable (states what the socket does anyway)',
      files: { ...PY_SVC, 'services/api/.env.staging': 'DATABASE_URL=postgresql://api@/api?host=/cloudsql/acme-staging:us-central1:main&sslmode=disable\n' },
      control: { files: { ...PY_SVC, 'services/api/.env.staging': 'DATABASE_URL=postgresql://api@/api?host=/cloudsql/acme-staging:us-central1:main&sslmode=require\n' } },
    },
    {
      name: 'shell: a MySQL socket URL with ssl params is not Postgres',
      files: {
        ...PY_SVC,
        'deploy/deploy.sh': 'gcloud run deploy api-staging --source services/api \\\n  --set-env-vars "DATABASE_URL=mysql+pymysql://api@/api?unix_socket=/cloudsql/acme:us-central1:mysql&ssl=true"\n',
      },
    },
    {
      name: 'Python test file: fixtures are not deployed',
      files: {
        ...PY_SVC,
        'services/api/tests/test_db.py': 'URL = "postgresql://api@/api?host=/cloudsql/acme-dev:us-central1:main&sslmode=require"\n\ndef test_url():\n    assert "cloudsql" in URL\n',
      },
    },
    {
      name: 'sslmode outside the URL (a separate env entry) is not a URL parameter',
      files: {
        ...PY_SVC,
        'docker-compose.yml': 'services:\n  api:\n    build: services/api\n    environment:\n      - DATABASE_URL=postgresql://api@/api?host=/cloudsql/acme-dev:us-central1:main\n      - PGSSLMODE=require\n',
      },
    },
    // ----- suppression and configuration
    {
      name: 'suppression: # next-line in .env',
      files: { ...PY_SVC, 'services/api/.env.production': `# deploy-preflight-disable-next-line ${RULE}\nDATABASE_URL=postgresql://api@/api?host=/cloudsql/p:r:i&sslmode=require\n` },
      others: { 'unused-suppression': [] },
      control: { files: ENV_FILES },
    },
    {
      name: 'suppression: # file-wide in YAML',
      files: { ...PY_SVC, 'deploy/api-production.yaml': `# deploy-preflight-disable ${RULE}\n` + KNATIVE_PRODUCTION },
      others: { 'unused-suppression': [] },
      control: { files: { ...PY_SVC, 'deploy/api-production.yaml': KNATIVE_PRODUCTION } },
    },
    {
      name: 'suppression: // next-line in TypeScript',
      files: { ...WEB_TS, 'services/web/src/db.ts': WEB_TS['services/web/src/db.ts'].replace('  connectionString', `  // deploy-preflight-disable-next-line ${RULE}\n  connectionString`) },
      others: { 'unused-suppression': [] },
      control: { files: WEB_TS },
    },
    {
      name: 'suppression in a shell script silences the deploy-side finding',
      files: { ...PY_SVC, 'deploy/deploy-api.sh': SHELL_STAGING.replace('gcloud run deploy', `# deploy-preflight-disable ${RULE}\ngcloud run deploy`) },
      control: { files: { ...PY_SVC, 'deploy/deploy-api.sh': SHELL_STAGING } },
    },
    {
      name: 'an unused suppression is reported',
      files: { ...PY_SVC, 'services/api/.env.production': `# deploy-preflight-disable-next-line ${RULE}\nDATABASE_URL=postgresql://api@10.0.0.3/api?sslmode=require\n` },
      others: { 'unused-suppression': [{ at: 'services/api/.env.production:1', message: /cloudsql-socket-ssl/ }] },
    },
    {
      name: 'config: off disables',
      files: ENV_FILES,
      config: `rules:\n  ${RULE}: off\n`,
      control: {},
    },
  ],
  invalid: [
    {
      name: '.env.production: ?host=/cloudsql/… with sslmode last (password in the URL never shown)',
      files: { ...PY_SVC, 'services/api/.env.production': ENV_PRODUCTION },
      findings: [onCloudSql('services/api/.env.production:2', ['DATABASE_URL of api (production)', 'sslmode does nothing on a Cloud SQL socket'],
        ['services/api/app/db.py:4'],
        dropFix('sslmode', 'services/api/.env.production', `DATABASE_URL=postgresql://api:${SECRET}@/api?host=/cloudsql/acme-prod:us-central1:main\n`))],
      secrets: [SECRET],
    },
    {
      name: 'shell gcloud --set-env-vars: @/cloudsql/… form, sslmode in the middle',
      files: { ...PY_SVC, 'deploy/deploy-api.sh': SHELL_STAGING },
      findings: [onCloudSql('deploy/deploy-api.sh:6', ['DATABASE_URL of api (staging)', 'sslmode does nothing on a Cloud SQL socket'], ['services/api/app/db.py:4'],
        dropFix('sslmode', 'deploy/deploy-api.sh', 'DATABASE_URL=postgresql://api@/cloudsql/acme-staging:us-central1:main/api?connect_timeout=5&application_name=api"'))],
    },
    {
      name: 'Python deploy script dict: unix_sock=…/.s.PGSQL.5432 (pg8000 form), sslmode first',
      files: {
        'services/api/Dockerfile': 'FROM python:3.12-slim\n',
        'scripts/deploy.py': 'import subprocess\n\nPROJECT = "acme-staging"\n\nsubprocess.run([\n    "gcloud", "run", "deploy", "api-staging", "--source", "services/api", "--project", PROJECT,\n    "--set-env-vars", "DATABASE_URL=postgresql+pg8000://api@/api?sslmode=require&unix_sock=/cloudsql/acme-staging:us-central1:main/.s.PGSQL.5432",\n], check=True)\n',
      },
      // pg8000 also rejects the keyword: one error that says both reasons, with the one fix.
      findings: [{
        ...onCloudSql('scripts/deploy.py:7', ['pg8000 rejects sslmode, and SSL does nothing on a Cloud SQL socket'], [],
          dropFix('sslmode', 'scripts/deploy.py', '"DATABASE_URL=postgresql+pg8000://api@/api?unix_sock=/cloudsql/acme-staging:us-central1:main/.s.PGSQL.5432",')),
        severity: 'error', messageId: 'rejectedOnCloudSqlSocket',
      }],
    },
    {
      name: 'Knative YAML env value: host=… then sslmode (a production URL)',
      files: { ...PY_SVC, 'deploy/api-production.yaml': KNATIVE_PRODUCTION },
      findings: [onCloudSql('deploy/api-production.yaml:14', ['DATABASE_URL', 'production', 'sslmode does nothing on a Cloud SQL socket'], ['services/api/app/db.py:4'],
        dropFix('sslmode', 'deploy/api-production.yaml', '              value: postgresql://api@/api?host=/cloudsql/acme-prod:us-central1:main\n'))],
    },
    {
      name: 'compose environment map: two SSL params (sslmode and sslrootcert) reported together, on the parameters themselves',
      files: {
        ...PY_SVC,
        'docker-compose.yml': 'services:\n  api:\n    build: services/api\n    environment:\n      DATABASE_URL: "postgresql://api@/api?host=/cloudsql/acme-dev:us-central1:main&sslmode=verify-ca&sslrootcert=/certs/server-ca.pem&application_name=api"\n',
      },
      findings: [onCloudSql('docker-compose.yml:5', ['sslmode and sslrootcert do nothing'], ['services/api/app/db.py:4'],
        dropFix('sslmode and sslrootcert', 'docker-compose.yml', '"postgresql://api@/api?host=/cloudsql/acme-dev:us-central1:main&application_name=api"'),
        'sslmode=verify-ca&sslrootcert=/certs/server-ca.pem')],
    },
    {
      name: 'TypeScript code literal (node-postgres connection string default) with ssl=true',
      files: WEB_TS,
      findings: [onCloudSql('services/web/src/db.ts:4', ['ssl does nothing'], ['services/web/src/db.ts:4'],
        dropFix('ssl', 'services/web/src/db.ts', '"postgresql://web@/web?host=/cloudsql/acme-dev:us-central1:main"'))],
    },
    {
      name: 'Python code literal (SQLAlchemy URL constant)',
      files: {
        'services/api/requirements.txt': 'sqlalchemy\n',
        'services/api/app/settings.py': 'import os\n\nDEFAULT_DB = "postgresql+psycopg2://api@/api?host=/cloudsql/acme-dev:us-central1:main&sslmode=prefer"\nDATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DB)\n',
      },
      findings: [onCloudSql('services/api/app/settings.py:3', ['sslmode does nothing on a Cloud SQL socket'], [],
        dropFix('sslmode', 'services/api/app/settings.py', '"postgresql+psycopg2://api@/api?host=/cloudsql/acme-dev:us-central1:main"'))],
    },
    {
      name: 'SSL params are the only params: the whole query goes',
      files: { ...PY_SVC, 'services/api/.env.production': 'DATABASE_URL="postgresql://api@/cloudsql/p:r:i/api?sslmode=require&sslrootcert=/x.pem"\nLOG_LEVEL=info\n' },
      findings: [onCloudSql('services/api/.env.production:1', ['sslmode and sslrootcert do nothing'], ['services/api/app/db.py:4'],
        dropFix('sslmode and sslrootcert', 'services/api/.env.production', 'DATABASE_URL="postgresql://api@/cloudsql/p:r:i/api"\nLOG_LEVEL=info\n'))],
    },
    {
      name: 'a unix socket outside /cloudsql: the same finding, said of a unix socket',
      files: { ...PY_SVC, 'services/api/.env.staging': 'DATABASE_URL=postgresql://api@/api?host=/var/run/postgresql&sslmode=require\n' },
      findings: [{
        at: 'services/api/.env.staging:1', severity: 'warning', messageId: 'sslOnSocket',
        message: /^DATABASE_URL of api \(staging\): sslmode does nothing on a unix socket$/,
        related: ['services/api/app/db.py:4'],
        fixes: [dropFix('sslmode', 'services/api/.env.staging', 'DATABASE_URL=postgresql://api@/api?host=/var/run/postgresql\n')],
      }],
    },
    {
      name: 'asyncpg (named by the code) on a socket URL with sslmode: one error, both reasons, the one fix removes it',
      files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE_BACKEND('postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main&sslmode=require') },
      findings: [{
        at: 'deploy/backend-production.yaml:14', severity: 'error', messageId: 'rejectedOnCloudSqlSocket',
        message: /^DATABASE_URL of backend \(production\): asyncpg rejects sslmode, and SSL does nothing on a Cloud SQL socket$/,
        text: 'sslmode=require',
        related: [{ at: 'services/backend/app/db.py:4', message: 'the URL reaches asyncpg here' }],
        fixes: [dropFix('sslmode', 'deploy/backend-production.yaml', '              value: postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main\n')],
      }],
      others: { 'db-ssl-param-driver': [] },
    },
    {
      name: 'asyncpg on a socket URL with sslmode=disable: the keyword alone fails, so it is still reported (an error)',
      files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE_BACKEND('postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main&sslmode=disable') },
      findings: [{
        at: 'deploy/backend-production.yaml:14', severity: 'error', messageId: 'rejectedOnCloudSqlSocket',
        message: 'asyncpg rejects sslmode', text: 'sslmode=disable', related: ['services/backend/app/db.py:4'],
        fixes: [dropFix('sslmode', 'deploy/backend-production.yaml', '              value: postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main\n')],
      }],
      others: { 'db-ssl-param-driver': [] },
    },
    {
      name: 'config: a severity override applies',
      files: ENV_FILES,
      config: `rules:\n  ${RULE}: error\n`,
      findings: [{ ...ENV_FINDING, severity: 'error' }],
    },
  ],
});
