/**
 * cloudsql-socket-ssl: SSL parameters on a Postgres URL whose host is a Cloud SQL unix socket.
 * Valid and invalid workspaces side by side, across every file kind a URL can live in, then
 * suppression/config, then fix round trips (SSL params first, middle, last, only).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { ready } from '../helpers';
import { analyze, findingsOf, applyFix, changedFiles, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';

before(ready);

const RULE = 'cloudsql-socket-ssl';
const SECRET = 'Zq8vLm3pT9xW2';

const PY_SVC = {
  'services/api/requirements.txt': 'fastapi\npsycopg2-binary\n',
  'services/api/app/db.py': 'import os\nimport psycopg2\n\nconn = psycopg2.connect(os.environ["DATABASE_URL"])\n',
};

interface Case {
  name: string;
  files: Files;
  /** file:line of each expected finding, in order. */
  at?: string[];
  /** Text every message must contain. */
  says?: string[];
  related?: string[];
}

const invalid: Case[] = [
  {
    name: '.env.production: ?host=/cloudsql/… with sslmode last (password in the URL never shown)',
    files: { ...PY_SVC, 'services/api/.env.production': `# prod settings\nDATABASE_URL=postgresql://api:${SECRET}@/api?host=/cloudsql/acme-prod:us-central1:main&sslmode=require\n` },
    at: ['services/api/.env.production:2'],
    says: ['DATABASE_URL of api (production)', '/cloudsql/acme-prod:us-central1:main', 'sslmode has no effect'],
    related: ['services/api/app/db.py:4'],
  },
  {
    name: 'shell gcloud --set-env-vars: @/cloudsql/… form, sslmode in the middle',
    files: {
      ...PY_SVC,
      'deploy/deploy-api.sh': '#!/usr/bin/env bash\nset -euo pipefail\ngcloud run deploy api-staging \\\n  --source services/api \\\n  --project acme-staging \\\n  --set-env-vars "ENVIRONMENT=staging,DATABASE_URL=postgresql://api@/cloudsql/acme-staging:us-central1:main/api?connect_timeout=5&sslmode=verify-full&application_name=api"\n',
    },
    at: ['deploy/deploy-api.sh:6'],
    says: ['DATABASE_URL of api (staging)', 'sslmode has no effect'],
  },
  {
    name: 'Python deploy script dict: unix_sock=…/.s.PGSQL.5432 (pg8000 form), sslmode first',
    files: {
      'services/api/Dockerfile': 'FROM python:3.12-slim\n',
      'scripts/deploy.py': 'import subprocess\n\nPROJECT = "acme-staging"\n\nsubprocess.run([\n    "gcloud", "run", "deploy", "api-staging", "--source", "services/api", "--project", PROJECT,\n    "--set-env-vars", "DATABASE_URL=postgresql+pg8000://api@/api?sslmode=require&unix_sock=/cloudsql/acme-staging:us-central1:main/.s.PGSQL.5432",\n], check=True)\n',
    },
    at: ['scripts/deploy.py:7'],
    says: ['/cloudsql/acme-staging:us-central1:main', 'sslmode'],
  },
  {
    name: 'Knative YAML env value: host=… then sslmode (the audit\'s production URL)',
    files: {
      ...PY_SVC,
      'deploy/api-production.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api-production\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/acme-prod/api\n          env:\n            - name: ENVIRONMENT\n              value: production\n            - name: DATABASE_URL\n              value: postgresql://api@/api?host=/cloudsql/acme-prod:us-central1:main&sslmode=require\n',
    },
    at: ['deploy/api-production.yaml:14'],
    says: ['DATABASE_URL', 'production', 'sslmode has no effect'],
  },
  {
    name: 'compose environment map: two SSL params (sslmode and sslrootcert) reported together',
    files: {
      ...PY_SVC,
      'docker-compose.yml': 'services:\n  api:\n    build: services/api\n    environment:\n      DATABASE_URL: "postgresql://api@/api?host=/cloudsql/acme-dev:us-central1:main&sslmode=verify-ca&sslrootcert=/certs/server-ca.pem&application_name=api"\n',
    },
    at: ['docker-compose.yml:5'],
    says: ['sslmode and sslrootcert have no effect'],
  },
  {
    name: 'TypeScript code literal (node-postgres connection string default) with ssl=true',
    files: {
      'services/web/package.json': '{ "name": "web" }\n',
      'services/web/src/db.ts': 'import { Pool } from "pg";\n\nexport const pool = new Pool({\n  connectionString: process.env.DATABASE_URL ?? "postgresql://web@/web?host=/cloudsql/acme-dev:us-central1:main&ssl=true",\n});\n',
    },
    at: ['services/web/src/db.ts:4'],
    says: ['ssl has no effect'],
  },
  {
    name: 'Python code literal (SQLAlchemy URL constant)',
    files: {
      'services/api/requirements.txt': 'sqlalchemy\n',
      'services/api/app/settings.py': 'import os\n\nDEFAULT_DB = "postgresql+psycopg2://api@/api?host=/cloudsql/acme-dev:us-central1:main&sslmode=prefer"\nDATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DB)\n',
    },
    at: ['services/api/app/settings.py:3'],
    says: ['sslmode has no effect'],
  },
];

const valid: Case[] = [
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
];

for (const c of invalid) {
  test(`invalid: ${c.name}`, async () => {
    const found = await findingsOf(RULE, c.files);
    assert.deepEqual(found.map(where), c.at);
    for (const f of found) {
      assert.equal(f.severity, 'warning');
      for (const s of c.says ?? []) assert.ok(f.message.includes(s), `message lacks ${JSON.stringify(s)}: ${f.message}`);
      assert.ok(!f.message.includes(SECRET), 'secret value leaked into the message');
      assert.equal(f.fixes.length, 1);
      assert.equal(f.fixes[0].safe, true);
    }
    if (c.related) assert.deepEqual(found[0].related.map((r) => `${r.file}:${r.range.start.line + 1}`), c.related);
  });
}

for (const c of valid) {
  test(`valid: ${c.name}`, async () => {
    assert.deepEqual((await findingsOf(RULE, c.files)).map(where), []);
  });
}

test('the finding sits on the SSL parameters themselves', async () => {
  const files = invalid[4].files;
  const [f] = await findingsOf(RULE, files);
  assert.equal(files['docker-compose.yml'].slice(f.span.start, f.span.end), 'sslmode=verify-ca&sslrootcert=/certs/server-ca.pem');
});

// ----- suppression and configuration ---------------------------------------------------------

const ENV_FILES = { ...PY_SVC, 'services/api/.env.production': 'DATABASE_URL=postgresql://api@/api?host=/cloudsql/p:r:i&sslmode=require\n' };

test('suppression: # next-line in .env, # file-wide in YAML, // in TypeScript', async () => {
  const env = await analyze({ ...PY_SVC, 'services/api/.env.production': `# deploy-preflight-disable-next-line ${RULE}\nDATABASE_URL=postgresql://api@/api?host=/cloudsql/p:r:i&sslmode=require\n` });
  assert.deepEqual(env.findings.filter((f) => f.rule === RULE || f.rule === 'unused-suppression').map(where), []);

  const yaml = await analyze({ ...PY_SVC, 'deploy/api-production.yaml': `# deploy-preflight-disable ${RULE}\n` + (invalid[3].files['deploy/api-production.yaml']) });
  assert.deepEqual(yaml.findings.filter((f) => f.rule === RULE || f.rule === 'unused-suppression').map(where), []);

  const tsFiles = invalid[5].files;
  const ts = await analyze({ ...tsFiles, 'services/web/src/db.ts': tsFiles['services/web/src/db.ts'].replace('  connectionString', `  // deploy-preflight-disable-next-line ${RULE}\n  connectionString`) });
  assert.deepEqual(ts.findings.filter((f) => f.rule === RULE || f.rule === 'unused-suppression').map(where), []);
});

test('suppression in a shell script silences the deploy-side finding', async () => {
  const files = { ...invalid[1].files };
  files['deploy/deploy-api.sh'] = files['deploy/deploy-api.sh'].replace('gcloud run deploy', `# deploy-preflight-disable ${RULE}\ngcloud run deploy`);
  assert.deepEqual((await findingsOf(RULE, files)).map(where), []);
});

test('an unused suppression is reported', async () => {
  const { findings } = await analyze({ ...PY_SVC, 'services/api/.env.production': `# deploy-preflight-disable-next-line ${RULE}\nDATABASE_URL=postgresql://api@10.0.0.3/api?sslmode=require\n` });
  const unused = findings.filter((f) => f.rule === 'unused-suppression');
  assert.deepEqual(unused.map(where), ['services/api/.env.production:1']);
  assert.match(unused[0].message, /cloudsql-socket-ssl/);
});

test('config: off disables, a severity override applies', async () => {
  assert.deepEqual(await findingsOf(RULE, ENV_FILES, `rules:\n  ${RULE}: off\n`), []);
  const [f] = await findingsOf(RULE, ENV_FILES, `rules:\n  ${RULE}: error\n`);
  assert.equal(f.severity, 'error');
});

// ----- fixes -----------------------------------------------------------------------------------

/** Applies `f`'s first fix and checks the round trip; returns the new files. */
async function roundTrip(files: Files, f: Finding): Promise<Files> {
  const fix = f.fixes[0];
  const after = applyFix(files, fix);
  const touched = [...new Set(fix.edits.map((e) => e.file))];
  assert.deepEqual(changedFiles(files, after), touched);
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
  // Idempotent: nothing left for the rule to fix.
  assert.equal(re.findings.filter((x) => x.rule === RULE).flatMap((x) => x.fixes).length, 0);
  return after;
}

const fixCases: { name: string; files: Files; file: string; expect: string }[] = [
  { name: '.env: SSL param last', files: invalid[0].files, file: 'services/api/.env.production', expect: `DATABASE_URL=postgresql://api:${SECRET}@/api?host=/cloudsql/acme-prod:us-central1:main\n` },
  { name: 'shell: SSL param in the middle', files: invalid[1].files, file: 'deploy/deploy-api.sh', expect: 'DATABASE_URL=postgresql://api@/cloudsql/acme-staging:us-central1:main/api?connect_timeout=5&application_name=api"' },
  { name: 'Python: SSL param first', files: invalid[2].files, file: 'scripts/deploy.py', expect: '"DATABASE_URL=postgresql+pg8000://api@/api?unix_sock=/cloudsql/acme-staging:us-central1:main/.s.PGSQL.5432",' },
  { name: 'Knative YAML: SSL param last', files: invalid[3].files, file: 'deploy/api-production.yaml', expect: '              value: postgresql://api@/api?host=/cloudsql/acme-prod:us-central1:main\n' },
  { name: 'compose: two SSL params between others', files: invalid[4].files, file: 'docker-compose.yml', expect: '"postgresql://api@/api?host=/cloudsql/acme-dev:us-central1:main&application_name=api"' },
  { name: 'TypeScript literal', files: invalid[5].files, file: 'services/web/src/db.ts', expect: '"postgresql://web@/web?host=/cloudsql/acme-dev:us-central1:main"' },
  { name: 'Python code literal', files: invalid[6].files, file: 'services/api/app/settings.py', expect: '"postgresql+psycopg2://api@/api?host=/cloudsql/acme-dev:us-central1:main"' },
  {
    name: 'SSL params are the only params: the whole query goes',
    files: { ...PY_SVC, 'services/api/.env.production': 'DATABASE_URL="postgresql://api@/cloudsql/p:r:i/api?sslmode=require&sslrootcert=/x.pem"\nLOG_LEVEL=info\n' },
    file: 'services/api/.env.production',
    expect: 'DATABASE_URL="postgresql://api@/cloudsql/p:r:i/api"\nLOG_LEVEL=info\n',
  },
];

for (const c of fixCases) {
  test(`fix round trip: ${c.name}`, async () => {
    const found = await findingsOf(RULE, c.files);
    assert.equal(found.length, 1);
    const after = await roundTrip(c.files, found[0]);
    assert.ok(after[c.file].includes(c.expect), `unexpected result:\n${after[c.file]}`);
  });
}
