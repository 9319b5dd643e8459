import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractShell } from '../../server/src/extract/shell';
import { emptyFacts, type Insertion } from '../../server/src/core/facts';
import { renderInsertion, type InsertValue } from '../../server/src/fixes/render-entry';
import { parseDocs, scalarText, scriptRegion, getNode } from '../../server/src/extract/yaml-util';
import { shadowText } from '../../server/src/extract/shadow-text';
import { extractYamlFacts } from './yaml-facts';

before(ready);

const run = extractYamlFacts;

function apply(text: string, ins: Insertion | undefined, name: string, value: InsertValue): string {
  assert.ok(ins, 'an insertion point');
  const added = renderInsertion(ins, name, value);
  assert.ok(added !== undefined, 'renders');
  return text.slice(0, ins.offset) + added + text.slice(ins.offset);
}

const BUILD = `# Build and deploy the backend to staging
steps:
  - name: gcr.io/cloud-builders/docker
    args: ['build', '-t', 'gcr.io/$PROJECT_ID/backend:$SHORT_SHA', './backend']
  - name: 'gcr.io/cloud-builders/docker'
    args: ['push', 'gcr.io/$PROJECT_ID/backend:$SHORT_SHA']
  - id: deploy-backend
    name: 'gcr.io/google.com/cloudsdktool/cloud-sdk'
    entrypoint: gcloud
    args:
      - run
      - deploy
      - \${_SERVICE_NAME}
      - '--image=gcr.io/$PROJECT_ID/backend:$SHORT_SHA'
      - --region=\${_REGION}
      - --project
      - $PROJECT_ID
      - "--set-env-vars=ENVIRONMENT=\${_ENV},LOG_LEVEL=info,DATABASE_URL=postgresql://app@/app?host=/cloudsql/p:r:db"
  - id: deploy-worker
    name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: bash
    args:
      - -c
      - |
        gcloud run deploy worker-staging \\
          --source ./worker \\
          --region "\${_REGION}" \\
          --update-env-vars QUEUE=jobs,WORKERS=4
substitutions:
  _SERVICE_NAME: backend-staging
  _REGION: us-central1
  _ENV: staging
options:
  logging: CLOUD_LOGGING_ONLY
`;

test('Cloud Build gcloud step with list args: service, flags and env entries with exact spans', () => {
  const facts = run('cloudbuild-staging.yaml', BUILD);
  assert.equal(facts.role, 'cloudbuild');
  assert.deepEqual(facts.problems, []);
  const d = facts.deploys.find((x) => x.service?.text === '${_SERVICE_NAME}');
  assert.ok(d, 'the gcloud-entrypoint step is a deploy');
  assert.equal(d.via, 'cloudbuild');
  assert.equal(d.platform, 'cloud-run');
  assert.equal(d.service?.value, 'backend-staging', 'resolved from substitutions');
  assert.equal(at(BUILD, d.service?.span), '${_SERVICE_NAME}');
  assert.equal(d.region?.value, 'us-central1');
  assert.equal(at(BUILD, d.region?.span), '${_REGION}');
  assert.deepEqual(d.project && { value: d.project.value, text: d.project.text }, { value: undefined, text: '$PROJECT_ID' });
  assert.equal(at(BUILD, d.project?.span), '$PROJECT_ID');
  assert.equal(at(BUILD, d.image?.span), 'gcr.io/$PROJECT_ID/backend:$SHORT_SHA');
  assert.equal(d.image?.value, undefined);
  assert.ok(d.environmentHints.some((h) => h.value === 'staging' && h.evidence.startsWith('substitution _ENV')));

  const env = d.blocks.find((b) => b.kind === 'env')!;
  assert.equal(env.mode, 'set');
  assert.deepEqual(env.entries.map((e) => e.name), ['ENVIRONMENT', 'LOG_LEVEL', 'DATABASE_URL']);
  const [e0, e1] = env.entries;
  assert.deepEqual(e0.value.kind === 'literal' && [e0.value.value, at(BUILD, e0.value.span)], ['staging', '${_ENV}']);
  assert.equal(at(BUILD, e1.span), 'LOG_LEVEL=info');
  assert.equal(at(BUILD, e1.nameSpan), 'LOG_LEVEL');
  assert.equal(facts.dbUrls.length, 1);
  assert.equal(facts.dbUrls[0].envName, 'DATABASE_URL');
  assert.equal(at(BUILD, facts.dbUrls[0].span), 'postgresql://app@/app?host=/cloudsql/p:r:db');

  // Adding to the existing list value stays inside the double-quoted scalar.
  assert.equal(env.insert?.format, 'gcloud-kv');
  assert.equal(BUILD[env.insert!.offset], '"');
  const out = apply(BUILD, env.insert, 'WORKERS', { kind: 'literal', value: '2' });
  const again = run('cloudbuild-staging.yaml', out).deploys[0].blocks.find((b) => b.kind === 'env');
  assert.deepEqual(again?.entries.map((e) => e.name), ['ENVIRONMENT', 'LOG_LEVEL', 'DATABASE_URL', 'WORKERS']);

  // No secrets yet: a new `--update-secrets` argument goes after the last list item.
  assert.equal(d.newSecretBlock?.format, 'gcloud-arg-secret');
  assert.equal(d.newSecretBlock?.before, '\n      - ');
  const out2 = apply(BUILD, d.newSecretBlock, 'SECRET_KEY', { kind: 'secret', secret: 'secret-key', version: 'latest' });
  const d2 = run('cloudbuild-staging.yaml', out2).deploys[0];
  const sec = d2.blocks.find((b) => b.kind === 'secrets');
  assert.equal(sec?.mode, 'update');
  assert.deepEqual(sec?.entries.map((e) => e.value.kind === 'secret' && `${e.name}=${e.value.secret}:${e.value.version}`), ['SECRET_KEY=secret-key:latest']);
});

test('Cloud Build bash -c step: the script is read with the file offsets (shadow text)', () => {
  // The shadow keeps exactly the script's characters at their own offsets.
  const doc = parseDocs(BUILD, emptyFacts('x', 'yaml', ''))[0];
  const steps = getNode(doc.contents, 'steps') as unknown as { items: unknown[] };
  const args = getNode(steps.items[3], 'args') as unknown as { items: unknown[] };
  const st = scalarText(BUILD, args.items[1])!;
  const region = scriptRegion(st)!;
  const shadow = shadowText(BUILD, region.start, region.end);
  assert.equal(shadow.length, BUILD.length);
  assert.equal(shadow.split('\n').length, BUILD.split('\n').length);
  assert.equal(shadow.slice(region.start, region.end), BUILD.slice(region.start, region.end));
  assert.equal((shadow.slice(0, region.start) + shadow.slice(region.end)).trim(), '');
  assert.equal(shadow.trim().split('\n').map((l) => l.trim()).join('\n'), st.value.trim().split('\n').map((l) => l.trim()).join('\n'));
  assert.equal(shadow.indexOf('gcloud run deploy worker-staging'), BUILD.indexOf('gcloud run deploy worker-staging'));

  // When the shell extractor reads a plain script, it reads the embedded one the same way.
  const probe = emptyFacts('deploy.sh', 'shell', '');
  extractShell('gcloud run deploy x --set-env-vars A=1\n', probe, { via: 'shell' });
  if (probe.deploys.length === 0) return; // shell extractor not available yet
  const facts = run('cloudbuild-staging.yaml', BUILD);
  const w = facts.deploys.find((x) => x.service?.value === 'worker-staging');
  assert.ok(w);
  assert.equal(w.via, 'cloudbuild');
  assert.equal(at(BUILD, w.source?.span), './worker');
  assert.equal(w.region?.value, 'us-central1', 'substitutions apply to shell steps too');
  const env = w.blocks.find((b) => b.kind === 'env')!;
  assert.equal(env.mode, 'update');
  assert.deepEqual(env.entries.map((e) => at(BUILD, e.span)), ['QUEUE=jobs', 'WORKERS=4']);
  assert.ok(w.environmentHints.some((h) => h.evidence.startsWith('substitution _ENV')));
});

test('Cloud Build gcloud builder without entrypoint, flow args; non-deploy gcloud commands are ignored', () => {
  const text = `steps:
- name: gcr.io/cloud-builders/gcloud
  args: ["run", "deploy", "api", "--image", "gcr.io/acme/api", "--region", "us-east1"]
- name: gcr.io/cloud-builders/gcloud
  args: ["secrets", "versions", "access", "latest", "--secret=db"]
`;
  const facts = run('cloudbuild.yaml', text);
  assert.equal(facts.deploys.length, 1);
  const d = facts.deploys[0];
  assert.equal(d.service?.value, 'api');
  assert.equal(at(text, d.service?.span), 'api');
  assert.equal(text[d.service!.span.start - 1], '"', 'content inside the quotes');
  assert.equal(d.region?.value, 'us-east1');
  assert.equal(d.newEnvBlock?.format, 'gcloud-arg-env');
  assert.equal(d.newEnvBlock?.before, ', ');
  assert.equal(d.newEnvBlock?.quote, '"');
  const out = apply(text, d.newEnvBlock, 'LOG_LEVEL', { kind: 'literal', value: 'info' });
  assert.ok(out.includes('"us-east1", "--update-env-vars=LOG_LEVEL=info"]'));
  const again = run('cloudbuild.yaml', out).deploys[0].blocks[0];
  assert.deepEqual(again.entries.map((e) => e.name), ['LOG_LEVEL']);
});

test('Cloud Build: a step list that is not gcloud yields no deploy; unresolvable substitutions stay unresolved', () => {
  const text = `steps:
  - name: node:20
    entrypoint: npm
    args: ['test']
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', 'deploy', '\${_SVC}', '--set-env-vars=MODE=\${_MODE}']
`;
  const facts = run('cloudbuild.yaml', text);
  assert.equal(facts.role, 'cloudbuild');
  assert.equal(facts.deploys.length, 1);
  const d = facts.deploys[0];
  assert.equal(d.service?.value, undefined);
  assert.equal(d.service?.text, '${_SVC}');
  const e = d.blocks[0].entries[0];
  assert.equal(e.value.kind, 'dynamic');
});

test('Cloud Build: a list in a folded block (>-) sets its keys without the space the fold puts after each comma', () => {
  const text = [
    'steps:',
    '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
    '    entrypoint: gcloud',
    '    args:',
    '      - run',
    '      - deploy',
    '      - ledger-api',
    '      - --image=gcr.io/p/ledger:1',
    '      - --set-env-vars',
    '      - >-',
    '        NODE_ENV=production,',
    '        LEDGER_URL=https://ledger.example.com,',
    '        LEDGER_MODE=live',
    '      - --set-secrets',
    '      - >-',
    '        LEDGER_KEY=ledger-key:latest,',
    '        LEDGER_TOKEN=ledger-token:2',
    '',
  ].join('\n');
  const d = run('cloudbuild.yaml', text).deploys[0]!;
  const names = d.blocks.map((b) => b.entries.map((e) => e.name));
  assert.deepEqual(names, [['NODE_ENV', 'LEDGER_URL', 'LEDGER_MODE'], ['LEDGER_KEY', 'LEDGER_TOKEN']]);
  // A folded scalar has no offset per character: each entry points at the whole block.
  assert.ok((at(text, d.blocks[0]!.entries[1]!.nameSpan) ?? '').includes('LEDGER_URL=https://ledger.example.com'));
  const secret = d.blocks[1]!.entries[1]!.value;
  assert.deepEqual(secret.kind === 'secret' && [secret.secret, secret.version], ['ledger-token', '2']);
});

test('Cloud Build bash step with combined flags (-ceu, -euc): the script after them is read', () => {
  for (const flags of ['-ceu', '-euc', '-c']) {
    const text = [
      'steps:',
      '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk:slim',
      '    entrypoint: bash',
      '    args:',
      `      - ${flags}`,
      '      - |',
      '        gcloud run deploy bot-prod --image "$$IMG" --set-env-vars "MODE=prod"',
      '',
    ].join('\n');
    const d = run('cloudbuild.yaml', text).deploys;
    assert.deepEqual(d.map((x) => x.service?.value), ['bot-prod'], flags);
  }
  // `-e` alone takes no script: the next element is not run as one.
  const noScript = 'steps:\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk:slim\n    entrypoint: bash\n    args:\n      - -eu\n      - deploy.sh\n';
  assert.deepEqual(run('cloudbuild.yaml', noScript).deploys, []);
});
