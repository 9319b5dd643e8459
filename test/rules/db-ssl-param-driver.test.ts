/**
 * db-ssl-param-driver: `sslmode=` reaching asyncpg (explicit `+asyncpg` scheme, or a plain URL in
 * a deploy/env file whose variable the service's code hands to asyncpg) and `ssl=` reaching
 * libpq. Valid and invalid cases side by side, suppression/config, and fix round trips.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { ready } from '../helpers';
import { analyze, findingsOf, applyFix, changedFiles, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';

before(ready);

const RULE = 'db-ssl-param-driver';
const SECRET = 'Hk4rW9sQe2Lx7';

/** A backend that opens DATABASE_URL with asyncpg through SQLAlchemy (the audit's backend). */
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

interface Case {
  name: string;
  files: Files;
  at?: string[];
  says?: string[];
  related?: string[];
  fix?: string;
}

const invalid: Case[] = [
  {
    name: 'Python deploy script: postgresql+asyncpg:// with sslmode (the audit\'s staging URL)',
    files: {
      'services/backend/Dockerfile': 'FROM python:3.12-slim\n',
      'scripts/deploy.py': [
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
      ].join('\n'),
    },
    at: ['scripts/deploy.py:5'],
    says: ['asyncpg does not accept sslmode', "unexpected keyword argument 'sslmode'"],
    fix: 'ssl=require',
  },
  {
    name: 'Knative YAML: plain postgresql:// URL, the backend hands DATABASE_URL to asyncpg (cross-file)',
    files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql://app@10.30.0.3:5432/app?sslmode=verify-full&application_name=backend') },
    at: ['deploy/backend-production.yaml:14'],
    says: ['DATABASE_URL of backend (production)', 'backend passes DATABASE_URL to asyncpg'],
    related: ['services/backend/app/db.py:5'],
    fix: 'ssl=verify-full',
  },
  {
    name: 'Knative YAML: socket URL + sslmode for asyncpg: the fix drops it',
    files: { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main&sslmode=require') },
    at: ['deploy/backend-production.yaml:14'],
    says: ['asyncpg does not accept sslmode'],
    fix: '?host=/cloudsql/acme-prod:us-central1:main',
  },
  {
    name: '.env.production: ssl=true on a URL the worker passes to psycopg2',
    files: { ...SYNC_SVC, 'services/worker/.env.production': `DATABASE_URL=postgresql://worker:${SECRET}@10.20.0.4:5432/jobs?ssl=true\n` },
    at: ['services/worker/.env.production:1'],
    says: ['DATABASE_URL of worker (production)', 'libpq (psycopg) does not know ssl=', 'worker passes DATABASE_URL to psycopg2'],
    related: ['services/worker/worker/db.py:6'],
    fix: 'sslmode=require',
  },
  {
    name: 'shell --set-env-vars: postgresql+psycopg2:// with ssl=require',
    files: {
      'services/worker/Dockerfile': 'FROM python:3.12-slim\n',
      'deploy/deploy-worker.sh': '#!/bin/sh\ngcloud run deploy worker-staging \\\n  --source services/worker \\\n  --set-env-vars "ENVIRONMENT=staging,DATABASE_URL=postgresql+psycopg2://worker@10.20.0.4/jobs?ssl=require&connect_timeout=5"\n',
    },
    at: ['deploy/deploy-worker.sh:4'],
    says: ['DATABASE_URL of worker (staging)', 'sslmode='],
    fix: 'sslmode=require',
  },
  {
    name: 'compose environment list: +asyncpg with sslmode=disable (still a TypeError locally)',
    files: {
      ...ASYNC_SVC,
      'docker-compose.yml': 'services:\n  backend:\n    build: services/backend\n    environment:\n      - ENVIRONMENT=development\n      - DATABASE_URL=postgresql+asyncpg://app:app@db:5432/app?sslmode=disable\n',
    },
    at: ['docker-compose.yml:6'],
    says: ['asyncpg does not accept sslmode'],
    fix: 'ssl=disable',
  },
];

const valid: Case[] = [
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
];

for (const c of invalid) {
  test(`invalid: ${c.name}`, async () => {
    const found = await findingsOf(RULE, c.files);
    assert.deepEqual(found.map(where), c.at);
    for (const f of found) {
      assert.equal(f.severity, 'error');
      for (const s of c.says ?? []) assert.ok(f.message.includes(s), `message lacks ${JSON.stringify(s)}: ${f.message}`);
      assert.ok(!f.message.includes(SECRET), 'secret value leaked into the message');
      assert.ok(!f.fixes.some((x) => x.title.includes(SECRET)));
    }
    if (c.related) assert.deepEqual(found[0].related.map((r) => `${r.file}:${r.range.start.line + 1}`), c.related);
  });
}

for (const c of valid) {
  test(`valid: ${c.name}`, async () => {
    assert.deepEqual((await findingsOf(RULE, c.files)).map(where), []);
  });
}

test('the finding sits on the wrong parameter', async () => {
  const c = invalid[1];
  const [f] = await findingsOf(RULE, c.files);
  assert.equal(c.files['deploy/backend-production.yaml'].slice(f.span.start, f.span.end), 'sslmode=verify-full');
});

test('sslmode next to an existing ssl= is dropped, not duplicated', async () => {
  const files = { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql+asyncpg://app@10.30.0.3/app?ssl=require&sslmode=require') };
  const [f] = await findingsOf(RULE, files);
  const after = applyFix(files, f.fixes[0]);
  assert.ok(after['deploy/backend-production.yaml'].includes('value: postgresql+asyncpg://app@10.30.0.3/app?ssl=require\n'));
});

test('an sslmode value asyncpg cannot take gets a finding but no fix', async () => {
  const files = { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql+asyncpg://app@10.30.0.3/app?sslmode=${SSL_MODE}') };
  const found = await findingsOf(RULE, files);
  assert.deepEqual(found.map(where), ['deploy/backend-production.yaml:14']);
  assert.deepEqual(found[0].fixes, []);
});

// ----- suppression and configuration ---------------------------------------------------------

test('suppression: # next-line in YAML and Python, // in TypeScript', async () => {
  const yaml = invalid[1].files['deploy/backend-production.yaml'].replace('            - name: DATABASE_URL', `            # deploy-preflight-disable-next-line ${RULE}\n            - name: DATABASE_URL`).replace('              value: postgresql', `              # deploy-preflight-disable-next-line ${RULE}\n              value: postgresql`);
  // The comment directly above the value line silences it; the one above `- name:` is then unused.
  const r1 = await analyze({ ...invalid[1].files, 'deploy/backend-production.yaml': yaml });
  assert.deepEqual(r1.findings.filter((f) => f.rule === RULE).map(where), []);
  assert.deepEqual(r1.findings.filter((f) => f.rule === 'unused-suppression').map(where), ['deploy/backend-production.yaml:13']);

  const py = invalid[0].files['scripts/deploy.py'].replace('    "DATABASE_URL"', `    # deploy-preflight-disable-next-line ${RULE}\n    "DATABASE_URL"`);
  const r2 = await analyze({ ...invalid[0].files, 'scripts/deploy.py': py });
  assert.deepEqual(r2.findings.filter((f) => f.rule === RULE || f.rule === 'unused-suppression').map(where), []);

  const tsFiles = {
    'services/api/package.json': '{ "name": "api" }\n',
    'services/api/src/db.ts': `// deploy-preflight-disable ${RULE}\nexport const url = "postgresql+asyncpg://api@db/api?sslmode=require";\n`,
  };
  const r3 = await analyze(tsFiles);
  assert.deepEqual(r3.findings.filter((f) => f.rule === RULE || f.rule === 'unused-suppression').map(where), []);
  // Without the comment the same TS literal is reported (the suppression did the work).
  assert.equal((await findingsOf(RULE, { ...tsFiles, 'services/api/src/db.ts': tsFiles['services/api/src/db.ts'].split('\n').slice(1).join('\n') })).length, 1);
});

test('config: off disables, a severity override applies', async () => {
  const files = invalid[3].files;
  assert.deepEqual(await findingsOf(RULE, files, `rules:\n  ${RULE}: off\n`), []);
  const [f] = await findingsOf(RULE, files, `rules:\n  ${RULE}: warning\n`);
  assert.equal(f.severity, 'warning');
});

// ----- fixes -----------------------------------------------------------------------------------

async function roundTrip(files: Files, f: Finding): Promise<Files> {
  const fix = f.fixes[0];
  assert.equal(fix.safe, true);
  const after = applyFix(files, fix);
  assert.deepEqual(changedFiles(files, after), [...new Set(fix.edits.map((e) => e.file))]);
  assert.equal(fix.edits.length, 1);
  const e = fix.edits[0];
  const old = files[e.file];
  const now = after[e.file];
  assert.equal(now.slice(0, e.span.start), old.slice(0, e.span.start), 'text before the edit changed');
  assert.equal(now.slice(now.length - (old.length - e.span.end)), old.slice(e.span.end), 'text after the edit changed');
  const re = await analyze(after);
  assert.deepEqual(re.findings.filter((x) => x.rule === RULE && x.file === f.file).map(where), [], 'finding still there');
  const beforeProblems = (await analyze(files)).ws.files.get(e.file)!.facts.problems.length;
  assert.equal(re.ws.files.get(e.file)!.facts.problems.length, beforeProblems, 'the fix made the file unparsable');
  if (/\.ya?ml$/.test(e.file)) for (const d of parseAllDocuments(now)) assert.deepEqual('errors' in d ? d.errors : [], []);
  assert.equal(re.findings.filter((x) => x.rule === RULE).flatMap((x) => x.fixes).length, 0, 'a second fix pass would change something');
  return after;
}

for (const c of invalid) {
  test(`fix round trip: ${c.name}`, async () => {
    const [f] = await findingsOf(RULE, c.files);
    const after = await roundTrip(c.files, f);
    const file = f.file;
    const e = f.fixes[0].edits[0];
    const newUrlPart = after[file].slice(e.span.start, e.span.start + e.newText.length);
    assert.equal(newUrlPart, c.fix);
  });
}

test('fix round trip: socket URL fix removes only sslmode and keeps other params byte for byte', async () => {
  const files = { ...ASYNC_SVC, 'deploy/backend-production.yaml': KNATIVE('postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main&sslmode=require&application_name=back%20end') };
  const [f] = await findingsOf(RULE, files);
  const after = await roundTrip(files, f);
  assert.ok(after['deploy/backend-production.yaml'].includes('value: postgresql://app@/app?host=/cloudsql/acme-prod:us-central1:main&application_name=back%20end\n'));
});
