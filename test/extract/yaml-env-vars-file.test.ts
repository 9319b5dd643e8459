import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { renderInsertion } from '../../server/src/fixes/render-entry';
import { looksLikeEnvVarsFileName } from '../../server/src/extract/yaml-env-vars-file';
import { extractYamlFacts } from './yaml-facts';

before(ready);

const run = extractYamlFacts;

const ENV = `# gcloud run deploy backend --env-vars-file env/staging.yaml
ENVIRONMENT: staging
LOG_LEVEL: info
WORKERS: 4
DATABASE_URL: "postgresql://app@/app?host=/cloudsql/acme:us-central1:db"
EMPTY:
`;

test('env-vars file: flat map entries with exact spans, file mode, insertion at the end', () => {
  const facts = run('deploy/env/staging.yaml', ENV);
  assert.equal(facts.role, 'env-vars-file');
  assert.deepEqual(facts.deploys, []);
  const f = facts.envFile!;
  assert.equal(f.kind, 'env');
  assert.equal(f.mode, 'file');
  assert.deepEqual(f.entries.map((e) => e.value.kind === 'literal' && [e.name, e.value.value]),
    [['ENVIRONMENT', 'staging'], ['LOG_LEVEL', 'info'], ['WORKERS', '4'], ['DATABASE_URL', 'postgresql://app@/app?host=/cloudsql/acme:us-central1:db'], ['EMPTY', '']]);
  assert.equal(at(ENV, f.entries[2].span), 'WORKERS: 4');
  assert.equal(at(ENV, f.entries[3].nameSpan), 'DATABASE_URL');
  assert.equal(f.entries[3].value.kind === 'literal' && at(ENV, f.entries[3].value.span), 'postgresql://app@/app?host=/cloudsql/acme:us-central1:db');
  assert.equal(facts.dbUrls.length, 1);
  assert.equal(facts.dbUrls[0].envName, 'DATABASE_URL');

  assert.equal(f.insert?.format, 'yaml-map');
  const added = renderInsertion(f.insert!, 'SENTRY_DSN', { kind: 'literal', value: 'https://k@sentry.io/1' });
  assert.ok(added);
  const out = ENV.slice(0, f.insert!.offset) + added + ENV.slice(f.insert!.offset);
  const again = run('deploy/env/staging.yaml', out).envFile!;
  assert.deepEqual(again.entries.map((e) => e.name), ['ENVIRONMENT', 'LOG_LEVEL', 'WORKERS', 'DATABASE_URL', 'EMPTY', 'SENTRY_DSN']);
});

test('env-vars file names', () => {
  for (const f of ['env.yaml', 'deploy/env-vars.staging.yaml', 'env_vars.yml', 'backend/prod.env.yaml', 'env/staging.yaml', 'envs/prod.yml']) {
    assert.equal(looksLikeEnvVarsFileName(f), true, f);
  }
  for (const f of ['values.yaml', 'environment.yaml', 'config/staging.yaml', 'envoy.yaml', 'env.json']) {
    assert.equal(looksLikeEnvVarsFileName(f), false, f);
  }
});

test('not an env-vars file: nested values, or keys that are not env names', () => {
  const nested = `ENVIRONMENT: staging
database:
  host: db
`;
  assert.equal(run('env.yaml', nested).envFile, undefined);
  const lower = `server.port: 8080
spring.profiles: dev
`;
  assert.equal(run('env.yaml', lower).envFile, undefined);
  assert.equal(run('env.yaml', lower).role, undefined);
});

test('env-vars file by shape alone: read, but marked as counting only for a deploy that names it', () => {
  const named = run('deploy/env/staging.yaml', ENV);
  assert.equal(named.envFileNeedsReference, undefined);
  const byShape = run('config/staging.yaml', ENV);
  assert.equal(byShape.role, 'env-vars-file');
  assert.equal(byShape.envFileNeedsReference, true);
  assert.deepEqual(byShape.envFile?.entries.map((e) => e.name), ['ENVIRONMENT', 'LOG_LEVEL', 'WORKERS', 'DATABASE_URL', 'EMPTY']);
  // Without a name saying env, every key must be a conventional upper-case variable name.
  assert.equal(run('config/app.yaml', 'LOG_LEVEL: info\nworkers: 4\n').envFile, undefined);
  // And the first key decides whether the file is parsed at all (no trigger word needed).
  assert.ok(run('deploy/backend-prod.yaml', '# values for gcloud\nLOG_LEVEL: info\nAPI_BASE: https://api.example.com\n').envFile);
  assert.equal(run('deploy/backend-prod.yaml', 'name: backend\nLOG_LEVEL: info\n').envFile, undefined);
});
