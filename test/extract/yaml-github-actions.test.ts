import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractShell } from '../../server/src/extract/shell';
import { emptyFacts, type Insertion } from '../../server/src/core/facts';
import { renderInsertion, type InsertValue } from '../../server/src/fixes/render-entry';
import { splitKv } from '../../server/src/extract/yaml-github-actions';
import { extractYamlFacts } from './yaml-facts';

before(ready);

const run = extractYamlFacts;

function apply(text: string, ins: Insertion | undefined, name: string, value: InsertValue): string {
  assert.ok(ins, 'an insertion point');
  const added = renderInsertion(ins, name, value);
  assert.ok(added !== undefined, 'renders');
  return text.slice(0, ins.offset) + added + text.slice(ins.offset);
}

const WF = `name: Deploy staging

on:
  push:
    branches: [main]

env:
  ENVIRONMENT: staging
  REGION: us-central1

jobs:
  deploy:
    runs-on: ubuntu-latest
    environment:
      name: staging
      url: \${{ steps.deploy.outputs.url }}
    steps:
      - uses: actions/checkout@v4
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: \${{ vars.WIF_PROVIDER }}
      - id: deploy
        uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: backend-staging
          region: \${{ env.REGION }}
          project_id: acme-staging
          source: ./backend
          env_vars: |
            ENVIRONMENT=staging
            DATABASE_URL=postgresql://app@/app?host=/cloudsql/acme-staging:us-central1:db
            RELEASE=\${{ github.sha }}
          env_vars_update_strategy: overwrite
          secrets: |-
            SECRET_KEY=secret-key:latest
            # mounted as a file
            /secrets/sa.json=sa-key:2
          flags: '--add-cloudsql-instances=acme-staging:us-central1:db --update-env-vars=FEATURE_X=on'
      - name: Deploy worker
        run: |
          gcloud run deploy worker-staging \\
            --image "us-docker.pkg.dev/acme/app/worker:\${{ github.sha }}" \\
            --set-env-vars LOG_LEVEL=debug
`;

test('deploy-cloudrun step: inputs, env_vars and secrets block scalars with exact spans', () => {
  const facts = run('.github/workflows/deploy-staging.yml', WF);
  assert.equal(facts.role, 'github-actions');
  assert.deepEqual(facts.problems, []);
  const d = facts.deploys.find((x) => x.service?.value === 'backend-staging');
  assert.ok(d);
  assert.equal(d.via, 'github-actions');
  assert.equal(d.platform, 'cloud-run');
  assert.equal(at(WF, d.service?.span), 'backend-staging');
  assert.equal(d.project?.value, 'acme-staging');
  assert.equal(d.source?.value, './backend');
  // The workflow's `env:` makes `${{ env.REGION }}` static (it used to stay unresolved).
  assert.deepEqual(d.region && [d.region.value, at(WF, d.region.span)], ['us-central1', '${{ env.REGION }}']);
  // Workflow env and the job's environment are hints, the GitHub environment first (it used to
  // come after the workflow's env); the `${{ }}` url is not.
  assert.deepEqual(d.environmentHints.map((h) => h.evidence).slice(0, 2), ['environment: staging', 'ENVIRONMENT: staging']);

  const env = d.blocks.find((b) => b.kind === 'env' && b.entries.some((e) => e.name === 'ENVIRONMENT'))!;
  assert.equal(env.mode, 'set', 'overwrite strategy replaces the service env');
  assert.deepEqual(env.entries.map((e) => [e.name, e.value.kind]), [['ENVIRONMENT', 'literal'], ['DATABASE_URL', 'literal'], ['RELEASE', 'dynamic']]);
  assert.equal(at(WF, env.entries[0].span), 'ENVIRONMENT=staging');
  assert.equal(at(WF, env.entries[1].nameSpan), 'DATABASE_URL');
  assert.equal(env.entries[2].value.kind === 'dynamic' && at(WF, env.entries[2].value.span), '${{ github.sha }}');
  assert.equal(facts.dbUrls.length, 1);
  assert.equal(facts.dbUrls[0].envName, 'DATABASE_URL');
  assert.equal(at(WF, facts.dbUrls[0].span), 'postgresql://app@/app?host=/cloudsql/acme-staging:us-central1:db');

  const sec = d.blocks.find((b) => b.kind === 'secrets')!;
  assert.equal(sec.mode, 'update', 'secrets merge by default');
  assert.deepEqual(sec.entries.map((e) => e.value.kind === 'secret' && [e.name, e.value.secret, e.value.version, at(WF, e.value.span)]),
    [['SECRET_KEY', 'secret-key', 'latest', 'secret-key:latest']]);

  // `flags` are read as gcloud flags.
  const flagEnv = d.blocks.find((b) => b.entries.some((e) => e.name === 'FEATURE_X'))!;
  assert.equal(flagEnv.mode, 'update');
  assert.equal(at(WF, flagEnv.entries[0].span), 'FEATURE_X=on');
});

test('deploy-cloudrun: every block\'s key is one line: the flag, or the `flags` key when a folded value has no exact offsets', () => {
  const text = `on: push
jobs:
  d:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api-staging
          env_vars: A=1
          flags: >-
            --set-secrets=B=b:latest
            --update-env-vars=C=3
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: worker-staging
          flags: '--set-secrets=B=b:latest'
`;
  const [api, worker] = run('.github/workflows/d.yml', text).deploys;
  assert.deepEqual(api.blocks.map((b) => [b.kind, at(text, b.keySpan)]), [['env', 'env_vars'], ['secrets', 'flags'], ['env', 'flags']]);
  assert.deepEqual(worker.blocks.map((b) => [b.kind, at(text, b.keySpan)]), [['secrets', '--set-secrets']]);
});

test('deploy-cloudrun: new entries go on a new line of the block scalar and are read back', () => {
  const d = run('.github/workflows/deploy-staging.yml', WF).deploys[0];
  const env = d.blocks.find((b) => b.kind === 'env' && b.entries.some((e) => e.name === 'ENVIRONMENT'))!;
  assert.equal(env.insert?.format, 'kv-lines');
  assert.equal(env.insert?.before, '\n            ');
  assert.equal(WF.slice(env.insert!.offset - 'RELEASE=${{ github.sha }}'.length, env.insert!.offset), 'RELEASE=${{ github.sha }}');
  const out = apply(WF, env.insert, 'LOG_LEVEL', { kind: 'literal', value: 'info' });
  const again = run('w.yml', out).deploys[0].blocks.find((b) => b.kind === 'env')!;
  assert.deepEqual(again.entries.map((e) => e.name), ['ENVIRONMENT', 'DATABASE_URL', 'RELEASE', 'LOG_LEVEL']);

  const sec = d.blocks.find((b) => b.kind === 'secrets')!;
  const out2 = apply(WF, sec.insert, 'API_TOKEN', { kind: 'secret', secret: 'api-token', version: '1' });
  const sec2 = run('w.yml', out2).deploys[0].blocks.find((b) => b.kind === 'secrets')!;
  assert.deepEqual(sec2.entries.map((e) => e.name), ['SECRET_KEY', 'API_TOKEN']);
});

test('deploy-cloudrun without env_vars or secrets: newEnvBlock adds `env_vars: |` under `with:`', () => {
  const text = `on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: google-github-actions/deploy-cloudrun@v1
        with:
          service: api
          image: gcr.io/acme/api:latest
      - uses: google-github-actions/deploy-cloudrun@v2
        id: bare
`;
  const facts = run('.github/workflows/prod.yml', text);
  assert.equal(facts.deploys.length, 2);
  const [d, bare] = facts.deploys;
  assert.deepEqual(d.environmentHints.map((h) => [h.value, at(text, h.span)]), [['production', 'production']]);
  assert.equal(d.newEnvBlock?.before, '\n          env_vars: |\n            ');
  const out = apply(text, d.newEnvBlock, 'LOG_LEVEL', { kind: 'literal', value: 'info' });
  const env = run('w.yml', out).deploys[0].blocks.find((b) => b.kind === 'env')!;
  assert.equal(env.mode, 'update');
  assert.deepEqual(env.entries.map((e) => e.value.kind === 'literal' && `${e.name}=${e.value.value}`), ['LOG_LEVEL=info']);
  const out2 = apply(text, d.newSecretBlock, 'SECRET_KEY', { kind: 'secret', secret: 'secret-key' });
  const sec = run('w.yml', out2).deploys[0].blocks.find((b) => b.kind === 'secrets')!;
  assert.deepEqual(sec.entries.map((e) => e.value.kind === 'secret' && `${e.name}=${e.value.secret}:${e.value.version}`), ['SECRET_KEY=secret-key:latest']);

  // No `with:` at all: the insertion adds it.
  assert.equal(bare.newEnvBlock?.before, '\n        with:\n          env_vars: |\n            ');
  const out3 = apply(text, bare.newEnvBlock, 'A', { kind: 'literal', value: '1' });
  assert.deepEqual(run('w.yml', out3).deploys[1].blocks[0].entries.map((e) => e.name), ['A']);
});

test('comma-separated env_vars on one line; escaped commas and quotes', () => {
  const text = `on: push
jobs:
  d:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          env_vars: 'A=1, B=x\\,y,C="  spaced "'
`;
  const d = run('w.yml', text).deploys[0];
  const env = d.blocks[0];
  assert.deepEqual(env.entries.map((e) => e.value.kind === 'literal' && [e.name, e.value.value]), [['A', '1'], ['B', 'x,y'], ['C', '  spaced ']]);
  assert.equal(at(text, env.entries[1].span), 'B=x\\,y');
  assert.equal(env.entries[2].value.kind === 'literal' && at(text, env.entries[2].value.span), '  spaced ');
  assert.equal(env.insert?.format, 'gcloud-kv');
  assert.deepEqual(splitKv('# c\nX=1\n\nY=2').map((i) => i.value), ['1', '2']);
});

test('`run:` steps with gcloud go through the shell extractor with the job hints', () => {
  const probe = emptyFacts('deploy.sh', 'shell', '');
  extractShell('gcloud run deploy x --set-env-vars A=1\n', probe, { via: 'shell' });
  if (probe.deploys.length === 0) return; // shell extractor not available yet
  const facts = run('.github/workflows/deploy-staging.yml', WF);
  const w = facts.deploys.find((x) => x.service?.value === 'worker-staging');
  assert.ok(w);
  assert.equal(w.via, 'github-actions');
  assert.equal(at(WF, w.service?.span), 'worker-staging');
  assert.ok(w.environmentHints.some((h) => h.evidence === 'environment: staging'));
  assert.deepEqual(w.blocks.map((b) => b.entries.map((e) => at(WF, e.span))), [['LOG_LEVEL=debug']]);
});

test('a workflow without a deploy has no deploys; `${{ }}` environments are not hints', () => {
  const text = `name: CI
on: [push, pull_request]
env:
  ENVIRONMENT: \${{ inputs.env }}
jobs:
  test:
    runs-on: ubuntu-latest
    environment: \${{ inputs.env }}
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
        env:
          DATABASE_URL: postgresql://postgres:postgres@localhost:5432/test
`;
  const facts = run('.github/workflows/ci.yml', text);
  assert.equal(facts.role, 'github-actions');
  assert.deepEqual(facts.deploys, []);
  assert.deepEqual(facts.problems, []);
  // The URL is still seen (no env name: it is not a deploy's env block).
  assert.equal(facts.dbUrls.length, 1);
  assert.equal(at(text, facts.dbUrls[0].span), 'postgresql://postgres:postgres@localhost:5432/test');
});

test('deploy-cloudrun image: the workflow env fills the repository; a dynamic tag is kept as written (linked to the build of that repository)', () => {
  const text = [
    'on: push',
    'env:',
    '  REGION: us-central1',
    '  SERVICE: orders-api',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: |',
    '          docker build --file ./orders/Dockerfile --tag ${{ env.REGION }}-docker.pkg.dev/acme/${{ env.SERVICE }}/${{ env.SERVICE }}:${{ github.sha }} .',
    '      - uses: google-github-actions/deploy-cloudrun@v2',
    '        with:',
    '          service: ${{ env.SERVICE }}',
    '          image: ${{ env.REGION }}-docker.pkg.dev/acme/${{ env.SERVICE }}/${{ env.SERVICE }}:${{ github.sha }}',
    '      - uses: google-github-actions/deploy-cloudrun@v2',
    '        with:',
    '          service: other',
    '          image: ${{ steps.meta.outputs.registry }}/acme/other:${{ github.sha }}',
    '',
  ].join('\n');
  const f = extractYamlFacts('.github/workflows/deploy.yml', text);
  assert.deepEqual(f.deploys.map((d) => d.image?.value), ['us-central1-docker.pkg.dev/acme/orders-api/orders-api:${{ github.sha }}', undefined]);
  const built = f.builds[0]?.image;
  assert.equal((built?.value ?? built?.text)?.split(':')[0], 'us-central1-docker.pkg.dev/acme/orders-api/orders-api');
});
