/**
 * db-ssl-param-driver: `sslmode=` reaching asyncpg (explicit `+asyncpg` scheme, or a plain URL in
 * a deploy/env file whose variable the service's code hands to asyncpg) and `ssl=` reaching
 * libpq. Valid and invalid cases side by side, suppression/config; every fix goes through the
 * shared round trip.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester, type ExpectedFix } from '../rule-tester';
import { dbSslParamDriver } from '../../server/src/rules/db-ssl-param-driver';

before(ready);

const RULE = 'db-ssl-param-driver';
const SECRET = 'Hk4rW9sQe2Lx7';

/** A backend that opens DATABASE_URL with asyncpg through SQLAlchemy. */
const ASYNC_SVC = {
  'services/backend/requirements.txt': 'sqlalchemy[asyncio]\nasyncpg\n',
  'services/backend/app/db.py': [
    'import os',
    'from sqlalchemy.ext.asyncio import create_async_engine',
    '',
    'engine = create_async_engine(',
    '    os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+asyncpg://", 1),',
    '    pool_pre_ping=True,',
    ')',
    '',
  ].join('\n'),
};
/** A worker that opens DATABASE_URL with psycopg2. */
const SYNC_SVC = {
  'services/worker/requirements.txt': 'psycopg2-binary\n',
  'services/worker/worker/db.py': 'import os\nimport psycopg2\n\n\ndef connect():\n    return psycopg2.connect(os.environ["DATABASE_URL"])\n',
};

const KNATIVE = (url: string) => `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: backend-production\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/acme-prod/backend\n          env:\n            - name: ENVIRONMENT\n              value: production\n            - name: DATABASE_URL\n              value: ${url}\n`;

/** A safe, preferred fix replacing or dropping the parameter; afterwards the rule finds nothing. */
const fix = (title: string, file: string, newText: string, contains?: string): ExpectedFix => ({
  title, safe: true, preferred: true, files: [file], newText,
  output: { remaining: [], ...(contains ? { contains: { [file]: contains } } : {}) },
});
const useSsl = (v: string, file: string) => fix(`Use ssl=${v} (asyncpg's spelling)`, file, `ssl=${v}`);
const useSslmode = (v: string, file: string) => fix(`Use sslmode=${v} (libpq's spelling)`, file, `sslmode=${v}`);

const PY_DEPLOY = [
  'import subprocess',
  '',
  'ENV = {',
  '    "ENVIRONMENT": "staging",',
  `    "DATABASE_URL": "postgresql+asyncpg://app:${SECRET}@10.20.0.3:5432/app?sslmode=require",`,
  '}',
  '',
  'subprocess.run([',
  '    "gcloud", "run", "deploy", "backend-staging", "--source", "services/backend",',
  '    "--set-env-vars", ",".join(f"{k}={v}" for k, v in ENV.items()),',
  '], check=True)',
  '',
].join('\n');
const PY_DEPLOY_FILES: Files = { 'services/backend/Dockerfile': 'FROM python:3.12-slim\n', 'scripts/deploy.py': PY_DEPLOY };
const KNATIVE_VERIFY_FULL = { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql://app@10.30.0.3:5432/app?sslmode=verify-full&application_name=backend') };
const WORKER_SSL = { ...SYNC_SVC, 'services/worker/.env.production': `DATABASE_URL=postgresql://worker:${SECRET}@10.20.0.4:5432/jobs?ssl=true\n` };
const TS_LITERAL = `export const url = "postgresql+asyncpg://api@db/api?sslmode=require";\n`;
const TS_API: Files = { 'services/api/package.json': '{ "name": "api" }\n', 'services/api/src/db.ts': TS_LITERAL };
const WORKER_MESSAGE = ['DATABASE_URL of worker (production)', 'libpq (psycopg) rejects ssl='];

/** A collector that opens PG_DSN by `open` (asyncpg's own pool, or SQLAlchemy's engine). */
const RAW_ASYNCPG = (open: string): Files => ({
  'services/collector/requirements.txt': 'asyncpg\nsqlalchemy[asyncio]\n',
  'services/collector/collector/main.py': [
    'import os',
    'import asyncpg',
    'from sqlalchemy.ext.asyncio import create_async_engine',
    '',
    'async def start():',
    `    return await ${open}`,
    '',
  ].join('\n'),
});

/** A service that appends an SSL parameter to its URL in code, before the driver gets it. */
const APPENDING = (param: string, engine = 'create_async_engine') => ({
  'services/ledger/requirements.txt': 'sqlalchemy[asyncio]\nasyncpg\npsycopg2-binary\n',
  'services/ledger/ledger/db.py': [
    'import os',
    'from sqlalchemy import create_engine',
    'from sqlalchemy.ext.asyncio import create_async_engine',
    '',
    'def ledger_url():',
    '    url = os.environ["LEDGER_DB_URL"]',
    `    return f"{url}{'&' if '?' in url else '?'}${param}"`,
    '',
    `engine = ${engine}(ledger_url())`,
    '',
  ].join('\n'),
});

RuleTester.run(dbSslParamDriver, {
  valid: [
    {
      name: 'code appends ssl=require for asyncpg (its own spelling)',
      files: APPENDING('ssl=require'),
      control: { files: APPENDING('sslmode=require') },
    },
    {
      name: 'an operator script under scripts/ appends sslmode for asyncpg: a tool run by hand, not the service',
      files: {
        'services/ledger/requirements.txt': 'sqlalchemy[asyncio]\nasyncpg\n',
        'scripts/check_ledger_db.py': [
          '#!/usr/bin/env python3',
          'import asyncio, os, sys',
          'import asyncpg',
          '',
          'async def main():',
          '    url = os.environ["LEDGER_DB_URL"] + "?sslmode=require"',
          '    await asyncpg.connect(url)',
          '',
          'if __name__ == "__main__":',
          '    sys.exit(asyncio.run(main()))',
          '',
        ].join('\n'),
      },
      control: { files: { ...APPENDING('sslmode=require') } },
    },
    {
      name: 'asyncpg parses the URL itself (asyncpg.create_pool(dsn)): sslmode is one of its DSN options',
      files: {
        ...RAW_ASYNCPG('asyncpg.create_pool(os.environ["PG_DSN"], min_size=1)'),
        'deploy/collector-production.yaml': KNATIVE('postgresql://collector@10.30.0.9:5432/events?sslmode=require').replace(/DATABASE_URL/g, 'PG_DSN'),
      },
      control: {
        files: {
          ...RAW_ASYNCPG('create_async_engine(os.environ["PG_DSN"])'),
          'deploy/collector-production.yaml': KNATIVE('postgresql://collector@10.30.0.9:5432/events?sslmode=require').replace(/DATABASE_URL/g, 'PG_DSN'),
        },
      },
    },
    {
      name: 'service code appends sslmode to a DSN it hands to asyncpg.connect (asyncpg\'s own parser)',
      files: RAW_ASYNCPG('asyncpg.connect(os.environ["PG_DSN"] + "?sslmode=require")'),
      control: { files: RAW_ASYNCPG('create_async_engine(os.environ["PG_DSN"] + "?sslmode=require")') },
    },
    {
      name: 'code appends sslmode=require for psycopg2 (libpq\'s own spelling)',
      files: APPENDING('sslmode=require', 'create_engine'),
    },
    {
      name: 'TCP URL with sslmode for psycopg2 (libpq\'s own spelling)',
      files: { ...SYNC_SVC, 'services/worker/.env.production': 'DATABASE_URL=postgresql://worker@10.20.0.4:5432/jobs?sslmode=verify-full&sslrootcert=/certs/ca.pem\n' },
    },
    {
      name: 'asyncpg with ssl=require (asyncpg\'s own spelling)',
      files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql+asyncpg://app@10.30.0.3:5432/app?ssl=require') },
    },
    {
      name: 'node-postgres with sslmode (pg parses it from the connection string)',
      files: {
        'services/auth/package.json': '{ "name": "auth", "dependencies": { "pg": "^8.11.0" } }\n',
        'services/auth/src/db.ts': 'import { Pool } from "pg";\n\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n',
        'services/auth/.env.production': 'DATABASE_URL=postgresql://auth@10.20.0.5:5432/auth?sslmode=verify-full\n',
      },
    },
    {
      name: 'plain URL with sslmode whose variable no code hands to a driver',
      files: {
        'services/backend/Dockerfile': 'FROM python:3.12-slim\n',
        'deploy/backend-production.yaml': KNATIVE('postgresql://app@10.30.0.3:5432/app?sslmode=require'),
      },
    },
    {
      name: 'the service hands the variable to asyncpg and psycopg2 (Alembic): ambiguous, stay quiet',
      files: {
        ...ASYNC_SVC,
        'services/backend/app/migrate.py': 'import os\nimport psycopg2\n\nconn = psycopg2.connect(os.environ["DATABASE_URL"])\n',
        'deploy/backend-production.yaml': KNATIVE('postgresql://app@10.30.0.3:5432/app?sslmode=require'),
      },
    },
    {
      name: 'Python test fixture with +asyncpg and sslmode',
      files: {
        ...ASYNC_SVC,
        'services/backend/tests/test_db.py': 'URL = "postgresql+asyncpg://app@localhost/app?sslmode=disable"\n\ndef test_url():\n    assert URL\n',
      },
    },
    // ----- a unix socket: every SSL parameter is cloudsql-socket-ssl's (remove it, whatever the
    // driver), so one spot never gets two pieces of advice
    {
      name: 'Knative YAML: socket URL + sslmode for asyncpg is cloudsql-socket-ssl\'s (one finding: remove it)',
      files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main&sslmode=require') },
      others: { 'cloudsql-socket-ssl': ['deploy/backend-production.yaml:14'] },
      control: { files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql://app@10.30.0.3/app?sslmode=require') } },
    },
    {
      name: 'socket URL + sslmode=disable for asyncpg: still cloudsql-socket-ssl\'s (the keyword alone fails)',
      files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main&sslmode=disable') },
      others: { 'cloudsql-socket-ssl': ['deploy/backend-production.yaml:14'] },
    },
    // ----- suppression and configuration
    {
      name: 'suppression: # next-line in YAML, directly above the value line; the one above `- name:` is then unused',
      files: {
        ...KNATIVE_VERIFY_FULL,
        'deploy/backend-production.yaml': KNATIVE_VERIFY_FULL['deploy/backend-production.yaml']
          .replace('            - name: DATABASE_URL', `            # deploy-preflight-disable-next-line ${RULE}\n            - name: DATABASE_URL`)
          .replace('              value: postgresql', `              # deploy-preflight-disable-next-line ${RULE}\n              value: postgresql`),
      },
      others: { 'unused-suppression': ['deploy/backend-production.yaml:13'] },
      control: { files: KNATIVE_VERIFY_FULL },
    },
    {
      name: 'suppression: # next-line in a Python deploy script',
      files: { ...PY_DEPLOY_FILES, 'scripts/deploy.py': PY_DEPLOY.replace('    "DATABASE_URL"', `    # deploy-preflight-disable-next-line ${RULE}\n    "DATABASE_URL"`) },
      others: { 'unused-suppression': [] },
      control: { files: PY_DEPLOY_FILES },
    },
    {
      name: 'suppression: // file-wide in TypeScript (without the comment the same literal is reported)',
      files: { ...TS_API, 'services/api/src/db.ts': `// deploy-preflight-disable ${RULE}\n${TS_LITERAL}` },
      others: { 'unused-suppression': [] },
      control: { files: TS_API },
    },
    {
      name: 'config: off disables',
      files: WORKER_SSL,
      config: `rules:\n  ${RULE}: off\n`,
      control: {},
    },
  ],
  invalid: [
    {
      name: 'code appends sslmode to the URL at runtime, in a helper whose value goes to create_async_engine',
      files: APPENDING('sslmode=require'),
      findings: [{
        at: 'services/ledger/ledger/db.py:7', severity: 'error', messageId: 'sslmodeAppendedAsyncpg',
        message: /^sslmode=require is appended to LEDGER_DB_URL, but asyncpg rejects sslmode; it spells it ssl=$/,
        text: 'sslmode=require',
        related: [
          { at: 'services/ledger/ledger/db.py:6', message: 'LEDGER_DB_URL is read here', text: 'os.environ["LEDGER_DB_URL"]' },
          { at: 'services/ledger/ledger/db.py:9', message: 'the URL reaches asyncpg here', text: 'create_async_engine(ledger_url())' },
        ],
        fixes: [{ title: "Append ssl=require instead (asyncpg's spelling)", safe: false, preferred: true, newText: 'ssl=require' }],
      }],
    },
    {
      name: 'code appends ssl=true for psycopg2',
      files: APPENDING('ssl=true', 'create_engine'),
      findings: [{
        at: 'services/ledger/ledger/db.py:7', severity: 'error', messageId: 'sslAppendedLibpq',
        message: 'ssl=true is appended to LEDGER_DB_URL, but psycopg2 (libpq) rejects ssl=',
        text: 'ssl=true',
        related: ['services/ledger/ledger/db.py:6', 'services/ledger/ledger/db.py:9'],
        fixes: [{ title: "Append sslmode=require instead (libpq's spelling)", safe: false, preferred: true, newText: 'sslmode=require' }],
      }],
    },
    {
      name: 'Python deploy script: postgresql+asyncpg:// with sslmode (a staging URL)',
      files: PY_DEPLOY_FILES,
      findings: [{
        at: 'scripts/deploy.py:5', severity: 'error', messageId: 'sslmodeOnAsyncpg',
        message: ['asyncpg rejects sslmode', 'a TypeError at connect'],
        related: [],
        fixes: [useSsl('require', 'scripts/deploy.py')],
      }],
      secrets: [SECRET],
    },
    {
      name: 'Knative YAML: plain postgresql:// URL, the backend hands DATABASE_URL to asyncpg (cross-file); the finding sits on the parameter',
      files: KNATIVE_VERIFY_FULL,
      findings: [{
        at: 'deploy/backend-production.yaml:14', severity: 'error', messageId: 'sslmodeOnAsyncpg',
        message: ['DATABASE_URL of backend (production)', 'asyncpg rejects sslmode'],
        text: 'sslmode=verify-full',
        related: [{ at: 'services/backend/app/db.py:5', message: 'the URL reaches asyncpg here' }],
        fixes: [useSsl('verify-full', 'deploy/backend-production.yaml')],
      }],
    },
    {
      name: '.env.production: ssl=true on a URL the worker passes to psycopg2',
      files: WORKER_SSL,
      findings: [{
        at: 'services/worker/.env.production:1', severity: 'error', messageId: 'sslOnLibpq',
        message: WORKER_MESSAGE,
        related: ['services/worker/worker/db.py:6'],
        fixes: [useSslmode('require', 'services/worker/.env.production')],
      }],
      secrets: [SECRET],
    },
    // ssl= spelled as "off" on a libpq URL: the fix must keep SSL off (sslmode=disable), never
    // weaken it to a mode that tries SSL.
    ...['false', '0', 'no', 'off'].map((off) => ({
      name: `.env.production: ssl=${off} on a URL the worker passes to psycopg2 becomes sslmode=disable`,
      files: { ...SYNC_SVC, 'services/worker/.env.production': `DATABASE_URL=postgresql://worker@10.20.0.4:5432/jobs?ssl=${off}&connect_timeout=5\n` },
      findings: [{
        at: 'services/worker/.env.production:1', severity: 'error' as const, messageId: 'sslOnLibpq',
        message: WORKER_MESSAGE,
        text: `ssl=${off}`,
        related: ['services/worker/worker/db.py:6'],
        fixes: [fix('Use sslmode=disable (libpq\'s spelling)', 'services/worker/.env.production', 'sslmode=disable',
          'DATABASE_URL=postgresql://worker@10.20.0.4:5432/jobs?sslmode=disable&connect_timeout=5\n')],
      }],
    })),
    {
      name: 'shell --set-env-vars: postgresql+psycopg2:// with ssl=require',
      files: {
        'services/worker/Dockerfile': 'FROM python:3.12-slim\n',
        'deploy/deploy-worker.sh': '#!/bin/sh\ngcloud run deploy worker-staging \\\n  --source services/worker \\\n  --set-env-vars "ENVIRONMENT=staging,DATABASE_URL=postgresql+psycopg2://worker@10.20.0.4/jobs?ssl=require&connect_timeout=5"\n',
      },
      findings: [{
        at: 'deploy/deploy-worker.sh:4', severity: 'error', messageId: 'sslOnLibpq',
        message: ['DATABASE_URL of worker (staging)', 'sslmode='],
        related: [],
        fixes: [useSslmode('require', 'deploy/deploy-worker.sh')],
      }],
    },
    {
      name: 'compose environment list: +asyncpg with sslmode=disable (still a TypeError locally)',
      files: {
        ...ASYNC_SVC,
        'docker-compose.yml': 'services:\n  backend:\n    build: services/backend\n    environment:\n      - ENVIRONMENT=development\n      - DATABASE_URL=postgresql+asyncpg://app:app@db:5432/app?sslmode=disable\n',
      },
      findings: [{
        at: 'docker-compose.yml:6', severity: 'error', messageId: 'sslmodeOnAsyncpg',
        message: 'asyncpg rejects sslmode',
        related: ['services/backend/app/db.py:5'],
        fixes: [useSsl('disable', 'docker-compose.yml')],
      }],
    },
    {
      name: 'sslmode next to an existing ssl= is dropped, not duplicated',
      files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql+asyncpg://app@10.30.0.3/app?ssl=require&sslmode=require') },
      findings: [{
        at: 'deploy/backend-production.yaml:14', severity: 'error', messageId: 'sslmodeOnAsyncpg',
        message: 'asyncpg rejects sslmode',
        related: ['services/backend/app/db.py:5'],
        fixes: [fix('Remove sslmode (ssl= is already set)', 'deploy/backend-production.yaml', '?ssl=require', 'value: postgresql+asyncpg://app@10.30.0.3/app?ssl=require\n')],
      }],
    },
    {
      name: 'an sslmode value asyncpg cannot take gets a finding but no fix',
      files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql+asyncpg://app@10.30.0.3/app?sslmode=${SSL_MODE}') },
      findings: [{
        at: 'deploy/backend-production.yaml:14', severity: 'error', messageId: 'sslmodeOnAsyncpg',
        message: 'asyncpg rejects sslmode',
        related: ['services/backend/app/db.py:5'],
        fixes: [],
      }],
    },
    {
      name: 'pg8000 named by the code: sslmode it does not accept',
      files: {
        'services/jobs/requirements.txt': 'pg8000\n',
        'services/jobs/app/db.py': 'import os\nimport pg8000\n\nconn = pg8000.connect(os.environ["DATABASE_URL"])\n',
        'services/jobs/.env.production': 'DATABASE_URL=postgresql://jobs@10.0.0.5/jobs?sslmode=require\n',
      },
      findings: [{
        at: 'services/jobs/.env.production:1', severity: 'error', messageId: 'sslmodeOnPg8000',
        message: /^DATABASE_URL of jobs \(production\): pg8000 rejects sslmode; it takes an ssl_context$/,
        related: ['services/jobs/app/db.py:4'],
        fixes: [],
      }],
    },
    {
      name: 'TypeScript literal with +asyncpg and sslmode (what the file-wide comment silences)',
      files: TS_API,
      findings: [{
        at: 'services/api/src/db.ts:1', severity: 'error', messageId: 'sslmodeOnAsyncpg',
        message: 'asyncpg rejects sslmode',
        related: [],
        fixes: [useSsl('require', 'services/api/src/db.ts')],
      }],
    },
    {
      name: 'config: a severity override applies',
      files: WORKER_SSL,
      config: `rules:\n  ${RULE}: warning\n`,
      findings: [{
        at: 'services/worker/.env.production:1', severity: 'warning', messageId: 'sslOnLibpq',
        message: WORKER_MESSAGE,
        related: ['services/worker/worker/db.py:6'],
        fixes: [{ title: 'Use sslmode=require (libpq\'s spelling)', safe: true, preferred: true }],
      }],
    },
  ],
});
