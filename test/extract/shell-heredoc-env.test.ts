/**
 * An env-vars file a script writes from a here-document and hands to `--env-vars-file`: its keys
 * are the deploy's variables (a `set` block), not an unreadable file. Minimal reproductions
 * written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractShell } from '../../server/src/extract/shell';
import { emptyFacts, type DeployFact, type FileFacts } from '../../server/src/core/facts';
import { analyze } from '../rule-harness';

before(ready);

function run(text: string): FileFacts {
  const facts = emptyFacts('scripts/add-admin.sh', 'shell', 'h');
  extractShell(text, facts, { via: 'shell' });
  assert.deepEqual(facts.problems, []);
  return facts;
}

const entries = (d: DeployFact) => d.blocks.filter((b) => b.kind === 'env').flatMap((b) => b.entries.map((e) => [e.name, e.value.kind, e.value.kind === 'literal' ? e.value.value : '']));

test('cat > FILE << EOF: the here-document is the deploy\'s env list, expansions set to something unseen', () => {
  const text = [
    'PROJECT_ID=acme',
    'cat > /tmp/admin-env.yaml << EOF',
    'NODE_ENV: production',
    'GCS_BUCKET: ${PROJECT_ID}-storage',
    'ADMINS: "$ADMIN_LIST"',
    'EMPTY:',
    'EOF',
    'gcloud run services update api --region europe-west1 --env-vars-file /tmp/admin-env.yaml',
    '',
  ].join('\n');
  const [d] = run(text).deploys;
  assert.deepEqual(d.envFiles, []);
  assert.deepEqual(entries(d), [['NODE_ENV', 'literal', 'production'], ['GCS_BUCKET', 'dynamic', ''], ['ADMINS', 'dynamic', ''], ['EMPTY', 'literal', '']]);
  const b = d.blocks.find((x) => x.kind === 'env')!;
  assert.equal(b.mode, 'set');
  assert.equal(b.fromFile, '/tmp/admin-env.yaml');
  assert.equal(at(text, b.keySpan!), '/tmp/admin-env.yaml');
  assert.equal(at(text, b.entries[0].nameSpan), 'NODE_ENV');
  assert.equal(at(text, b.entries[1].value.kind === 'dynamic' ? b.entries[1].value.span : b.entries[1].nameSpan), '${PROJECT_ID}-storage');
});

test('cat << \'EOF\' > FILE: a quoted delimiter expands nothing, so `$X` is literal text', () => {
  const text = "cat <<'EOF' > env.yaml\nPRICE_TAG: $5\nEOF\ngcloud run deploy shop --image x --env-vars-file=env.yaml\n";
  const [d] = run(text).deploys;
  assert.deepEqual(entries(d), [['PRICE_TAG', 'literal', '$5']]);
});

test('look-alikes keep the reference to the file: appended to, written after the deploy, another path, not a map of variables', () => {
  const cases = [
    'cat >> env.yaml << EOF\nA: 1\nEOF\ngcloud run deploy s --image x --env-vars-file env.yaml\n',
    'gcloud run deploy s --image x --env-vars-file env.yaml\ncat > env.yaml << EOF\nA: 1\nEOF\n',
    'cat > other.yaml << EOF\nA: 1\nEOF\ngcloud run deploy s --image x --env-vars-file env.yaml\n',
    'cat > env.yaml << EOF\n- A\n- B\nEOF\ngcloud run deploy s --image x --env-vars-file env.yaml\n',
  ];
  for (const text of cases) {
    const [d] = run(text).deploys;
    assert.deepEqual(d.envFiles.map((e) => e.value), ['env.yaml'], text);
    assert.deepEqual(entries(d), [], text);
  }
});

test('an update that writes its env file from a here-document loses what other deploys set, and says which flag replaces them', async () => {
  const files = {
    'package.json': '{ "name": "records" }\n',
    'src/ai.ts': 'export const key = process.env.GEMINI_API_KEY!.trim();\n',
    'deploy.sh': 'gcloud run deploy records --source . --set-env-vars NODE_ENV=production,GEMINI_API_KEY=k\n',
    'scripts/add-admin.sh': 'cat > /tmp/env.yaml << EOF\nNODE_ENV: production\nADMIN_EMAILS: "$LIST"\nEOF\ngcloud run services update records --env-vars-file /tmp/env.yaml\n',
  };
  const { findings } = await analyze(files);
  const mine = findings.filter((f) => f.rule === 'env-unset-for-deploy' && f.file === 'scripts/add-admin.sh');
  assert.deepEqual(mine.map((f) => f.message), ['workspace (default) loses GEMINI_API_KEY here: --env-vars-file on an update replaces all its variables']);
  // No fix turns the file's path into a flag.
  assert.ok(mine[0].fixes.every((f) => !f.title.startsWith('Use --update-env-vars')), mine[0].fixes.map((f) => f.title).join('; '));
});

test("a workflow's run: step writing its env file from an indented here-document: read as the shell reads the dedented step", async () => {
  const { extractFile } = await import('../../server/src/extract/index');
  const text = [
    'on: push',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - name: Deploy',
    '        run: |',
    '          cat > /tmp/env-vars.yaml <<EOF',
    '          REDIS_URL: "${{ secrets.REDIS_URL }}"',
    '          FRONTEND_URL: "https://app.example.com"',
    '          EOF',
    '          gcloud run deploy api --image gcr.io/p/api:1 --region us-central1 \\',
    '            --env-vars-file /tmp/env-vars.yaml',
    '',
  ].join('\n');
  const facts = extractFile('.github/workflows/deploy.yml', text);
  const [d] = facts.deploys;
  assert.deepEqual(d.envFiles, []);
  assert.deepEqual(entries(d), [['REDIS_URL', 'dynamic', ''], ['FRONTEND_URL', 'literal', 'https://app.example.com']]);
  const b = d.blocks.find((x) => x.kind === 'env')!;
  assert.equal(at(text, b.entries[0].nameSpan), 'REDIS_URL');
  assert.equal(at(text, b.entries[1].value.kind === 'literal' ? b.entries[1].value.span : b.entries[1].nameSpan), '"https://app.example.com"');
});

test('a Cloud Build step writing the env file a later step deploys with: the later deploy sets its keys', async () => {
  const { extractFile } = await import('../../server/src/extract/index');
  const build = (writer: string) => [
    'steps:',
    '  - id: write-env',
    '    name: gcr.io/cloud-builders/docker',
    '    entrypoint: bash',
    '    args:',
    '      - -c',
    '      - |',
    ...writer.split('\n').map((l) => `        ${l}`),
    '  - id: deploy',
    '    name: gcr.io/google.com/cloudsdktool/cloud-sdk:slim',
    '    entrypoint: gcloud',
    '    args: [run, deploy, api, --image, gcr.io/acme/api, --env-vars-file, /workspace/api-env.yaml]',
    '',
  ].join('\n');
  const written = extractFile('cloudbuild.yaml', build('cat > /workspace/api-env.yaml <<EOF\nRUN_MODE: "cloud"\nGOOGLE_CLOUD_PROJECT: "${_PROJECT_ID}"\nEOF'));
  const d = written.deploys[0]!;
  assert.deepEqual(entries(d), [['RUN_MODE', 'literal', 'cloud'], ['GOOGLE_CLOUD_PROJECT', 'dynamic', '']]);
  assert.deepEqual(d.envFiles, []);
  // Another path, or a file appended to: the reference stays, unreadable.
  for (const writer of ['cat > /workspace/other.yaml <<EOF\nRUN_MODE: "cloud"\nEOF', 'cat >> /workspace/api-env.yaml <<EOF\nRUN_MODE: "cloud"\nEOF']) {
    const other = extractFile('cloudbuild.yaml', build(writer)).deploys[0]!;
    assert.deepEqual(entries(other), []);
    assert.deepEqual(other.envFiles.map((e) => e.value), ['/workspace/api-env.yaml']);
  }
});
