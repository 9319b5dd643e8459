/**
 * Which deploy files are a deployed environment: a compose file named for production of a service
 * the workspace deploys to Cloud Run is a local stack, and a Knative manifest whose image is a
 * placeholder, beside another Cloud Run deploy, is a template. Neither is a target; where compose
 * is the only deploy it stays one, at warning. A deploy kept in documentation or an archive
 * (`docs/`, `archive/`, `old/`) is none either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';
import { formatExplain } from '../../server/src/ide/explain-text';
import { explainModel } from '../../server/src/engine/explain';
import { imagePlaceholder } from '../../server/src/knowledge/templates';

const CODE = {
  'ledger/requirements.txt': 'fastapi\n',
  'ledger/app.py': 'import os\nBANK_KEY = os.environ["BANK_KEY"]\nLEDGER_MODE = os.environ["LEDGER_MODE"]\n',
};

const RUN_DEPLOY = { 'deploy/release.sh': 'gcloud run deploy ledger-prod --source ledger --set-env-vars LEDGER_MODE=live --set-secrets BANK_KEY=bank-key:latest\n' };

const LOCAL_PROD_STACK = [
  'services:',
  '  ledger:',
  '    build: ./ledger',
  '    ports: ["8000:8000"]',
  '    environment:',
  '      - DEBUG=1',
  '  postgres:',
  '    image: postgres:16',
  '',
].join('\n');

const unset = (findings: { rule: string; message: string; severity: string; file: string }[]) =>
  findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => `${f.severity} ${f.file}: ${f.message}`);

test('a production compose file of a service deployed to Cloud Run is a local stack, not a target', async () => {
  const { findings, ws } = await analyze({ ...CODE, ...RUN_DEPLOY, 'docker-compose.prod.yml': LOCAL_PROD_STACK });
  assert.deepEqual(unset(findings), []);
  const model = ws.model();
  const prod = model.targets.find((t) => t.key === 'ledger@production')!;
  assert.deepEqual(prod.deploys.map((d) => d.file), ['deploy/release.sh']);
  assert.deepEqual(model.notDeployed.map((d) => `${d.file} ${d.deploy.service?.text}`), ['docker-compose.prod.yml ledger', 'docker-compose.prod.yml postgres']);
  assert.match(formatExplain(explainModel(model)), /docker-compose\.prod\.yml via compose "ledger" — source "\.\/ledger" is ledger; a local stack, not a deployed environment: Cloud Run does not run compose, and ledger is deployed to Cloud Run by deploy\/release\.sh/);
});

test('a placeholder in the env file a local staging stack loads is not shipped: info at most', async () => {
  const stack = 'services:\n  ledger:\n    build: ./ledger\n    env_file: ledger/.env.staging\n';
  const { findings } = await analyze({ ...CODE, ...RUN_DEPLOY, 'docker-compose.staging.yml': stack, 'ledger/.env.staging': 'SIGNING_SECRET=your-signing-secret-here\nLEDGER_MODE=test\n' });
  assert.deepEqual(findings.filter((f) => f.rule === 'placeholder-secret').map((f) => `${f.severity} ${f.message}`), [
    'info SIGNING_SECRET for ledger (staging) is a placeholder, in an env file no deploy loads',
  ]);
  assert.deepEqual(unset(findings), []);
});

test('where compose is the only deploy it stays a target, at warning', async () => {
  const { findings, ws } = await analyze({ ...CODE, 'docker-compose.prod.yml': LOCAL_PROD_STACK });
  assert.ok(ws.model().targets.some((t) => t.key === 'ledger@production'));
  assert.deepEqual(unset(findings).sort(), [
    'warning docker-compose.prod.yml: ledger (production) is started by compose without BANK_KEY, which ledger/app.py reads',
    'warning docker-compose.prod.yml: ledger (production) is started by compose without LEDGER_MODE, which ledger/app.py reads',
  ]);
});

test('a development compose file stays the development target beside a Cloud Run deploy', async () => {
  const { ws } = await analyze({ ...CODE, ...RUN_DEPLOY, 'docker-compose.yml': 'services:\n  ledger:\n    build: ./ledger\n    environment:\n      - ENVIRONMENT=development\n' });
  const model = ws.model();
  assert.ok(model.targets.some((t) => t.key === 'ledger@development'));
  assert.deepEqual(model.notDeployed, []);
});

test('a compose file of another service, one the workspace does not deploy to Cloud Run, stays its target', async () => {
  const billing = { 'billing/requirements.txt': 'flask\n', 'billing/main.py': 'import os\nRATE = os.environ["BILLING_RATE"]\n' };
  const { findings, ws } = await analyze({ ...CODE, ...billing, ...RUN_DEPLOY, 'docker-compose.prod.yml': 'services:\n  billing:\n    build: ./billing\n' });
  assert.deepEqual(ws.model().notDeployed, []);
  assert.deepEqual(unset(findings), ['warning docker-compose.prod.yml: billing (production) is started by compose without BILLING_RATE, which billing/main.py reads']);
});

const knative = (image: string) => [
  'apiVersion: serving.knative.dev/v1',
  'kind: Service',
  'metadata:',
  '  name: ledger',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  `        - image: ${image}`,
  '          env:',
  '            - name: ENVIRONMENT',
  '              value: production',
  '',
].join('\n');

test('a Knative manifest whose image is a placeholder, beside a gcloud deploy, is a template', async () => {
  const { findings, ws } = await analyze({ ...CODE, ...RUN_DEPLOY, 'service.yaml': knative('gcr.io/PROJECT_ID/ledger:latest') });
  const model = ws.model();
  assert.deepEqual(model.targets.find((t) => t.key === 'ledger@production')!.deploys.map((d) => d.file), ['deploy/release.sh']);
  assert.match(model.notDeployed[0].evidence[1], /^a template, not a deployed environment: its image holds the placeholder PROJECT_ID, and ledger is deployed by deploy\/release\.sh$/);
  assert.deepEqual(unset(findings), []);
});

test('beside a gcloud deploy that gcloud refuses, a placeholder manifest is still a template: the refused command is how the service is deployed', async () => {
  const refused = { 'deploy/release.sh': 'gcloud run deploy ledger-prod --source ledger --set-env-vars "LEDGER_MODE=live,ORIGINS=https://a.example.com,https://b.example.com" --set-secrets BANK_KEY=bank-key:latest\n' };
  const withPort = knative('gcr.io/PROJECT_ID/ledger:latest').replace('            - name: ENVIRONMENT', '            - name: PORT\n              value: "8080"\n            - name: ENVIRONMENT');
  const { findings, ws } = await analyze({ ...CODE, ...refused, 'service.yaml': withPort });
  assert.deepEqual(ws.model().notDeployed.map((d) => d.file).sort(), ['deploy/release.sh', 'service.yaml']);
  // Only the refusal: the template's reserved PORT is no deploy's.
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => `${f.file} ${f.message.split(':')[0]}`), ['deploy/release.sh ledger-prod is refused by gcloud']);
  // Alone, the manifest is the deploy, and its PORT is reported.
  const alone = await analyze({ ...CODE, 'service.yaml': withPort });
  assert.ok(alone.findings.some((f) => f.rule === 'env-unset-for-deploy' && f.file === 'service.yaml' && /sets PORT/.test(f.message)));
});

test('a Knative manifest with a real image, or alone, stays a deploy', async () => {
  const real = await analyze({ ...CODE, ...RUN_DEPLOY, 'service.yaml': knative('gcr.io/acme-prod/ledger:latest') });
  assert.deepEqual(real.ws.model().notDeployed, []);
  assert.deepEqual(real.ws.model().targets.find((t) => t.key === 'ledger@production')!.deploys.map((d) => d.file).sort(), ['deploy/release.sh', 'service.yaml']);
  const alone = await analyze({ ...CODE, 'service.yaml': knative('gcr.io/PROJECT_ID/ledger:latest') });
  assert.deepEqual(alone.ws.model().notDeployed, []);
  assert.ok(unset(alone.findings).length > 0);
});

test('image placeholders: upper case, angle or square brackets in the repository path; never a variable or a tag', () => {
  assert.equal(imagePlaceholder('gcr.io/PROJECT_ID/api:latest'), 'PROJECT_ID');
  assert.equal(imagePlaceholder('REGION-docker.pkg.dev/acme/repo/api'), 'REGION-docker.pkg.dev');
  assert.equal(imagePlaceholder('gcr.io/<project-id>/api'), '<project-id>');
  assert.equal(imagePlaceholder('gcr.io/[PROJECT]/api'), '[PROJECT]');
  assert.equal(imagePlaceholder('gcr.io/acme-prod/api:V2'), undefined);
  assert.equal(imagePlaceholder('gcr.io/$PROJECT_ID/api'), undefined);
  assert.equal(imagePlaceholder('gcr.io/${PROJECT_ID}/api'), undefined);
  assert.equal(imagePlaceholder('API:latest'), undefined);
});

test('a deploy kept in documentation or an archive is not a deployed environment; the same script elsewhere is', async () => {
  const script = 'gcloud run deploy ledger-prod --source ledger --set-env-vars LEDGER_MODE=live\n';
  for (const kept of ['docs/runbooks/deploy-production.sh', 'bin/archive/deploy_prod.sh', 'old/deploy-prod.sh', '.backup_rdl/deploy-prod.sh', 'deploy_old/deploy-prod.sh', 'archive-2023/deploy-prod.sh', 'deploy/_archive_gcp/deploy-prod.sh', '_old/deploy-prod.sh']) {
    const { findings, ws } = await analyze({ ...CODE, [kept]: script });
    assert.deepEqual(unset(findings), [], kept);
    const text = formatExplain(explainModel(ws.model()));
    assert.match(text, /documentation or an archive: not a deploy that runs/, kept);
  }
  // Look-alikes: a folder whose name merely contains the word, or starts with it as a module name.
  for (const live of ['olddeploys/deploy-prod.sh', 'archive_tools/deploy-prod.sh']) {
    const { findings } = await analyze({ ...CODE, [live]: script });
    assert.deepEqual(unset(findings), [`error ${live}: ledger (production) is deployed without BANK_KEY, which ledger/app.py reads`]);
  }
});

test('a command gcloud refuses (flags it accepts only one of) deploys nothing: not a deployed environment, only the refusal reported; each flag alone is', async () => {
  const refused: Record<string, string> = {
    'gcloud run deploy ledger-prod --source ledger --set-env-vars LEDGER_MODE=live --update-env-vars EXTRA=1\n': '--set-env-vars or --update-env-vars',
    'gcloud run deploy ledger-prod --source ledger --env-vars-file env.yaml --set-env-vars LEDGER_MODE=live\n': '--env-vars-file or --set-env-vars',
    'gcloud run deploy ledger-prod --source ledger --set-env-vars LEDGER_MODE=live --set-secrets BANK_KEY=k:latest --update-secrets OTHER=o:latest\n': '--set-secrets or --update-secrets',
  };
  for (const [script, pair] of Object.entries(refused)) {
    const { findings, ws } = await analyze({ ...CODE, 'deploy/prod.sh': script });
    assert.deepEqual(unset(findings), [`error deploy/prod.sh: ledger-prod is refused by gcloud: it takes ${pair}, not both`], script);
    assert.match(formatExplain(explainModel(ws.model())), /gcloud refuses this command \(--\S+ with --\S+: it accepts only one of them\)/, script);
  }
  // Look-alikes: one group per command (update with remove is one group), repeated flags.
  const accepted = {
    'gcloud run deploy ledger-prod --source ledger --set-env-vars LEDGER_MODE=live --set-env-vars A=1\n':
      ['error deploy/prod.sh: ledger (production) is deployed without BANK_KEY, which ledger/app.py reads'],
    'gcloud run services update ledger-prod --update-env-vars LEDGER_MODE=live --remove-env-vars OLD\n': [],
  };
  for (const [script, want] of Object.entries(accepted)) {
    const { findings } = await analyze({ ...CODE, 'deploy/prod.sh': script });
    assert.deepEqual(unset(findings).filter((f) => f.startsWith('error')), want, script);
  }
});

test('a saved `gcloud run services describe` output (uid, resourceVersion, status) is no deploy; an exported or written manifest is', async () => {
  const manifest = (described: boolean) => [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: ledger-prod',
    ...(described ? ["  creationTimestamp: '2025-06-09T22:37:04Z'", '  generation: 33', '  resourceVersion: AAY3PaehUaE', '  uid: 1be7f634-9be7-42e2-abb7-0aa849df13c1'] : []),
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - image: us-docker.pkg.dev/acme/ledger/ledger:1',
    '        env:',
    '        - name: LEDGER_MODE',
    '          value: live',
    ...(described ? ['status:', '  observedGeneration: 33'] : []),
    '',
  ].join('\n');
  const saved = await analyze({ ...CODE, 'ledger/service.yaml': manifest(true) });
  assert.deepEqual(unset(saved.findings), []);
  const model = saved.ws.model();
  assert.equal(model.notDeployed.length, 1);
  assert.match(model.notDeployed[0].evidence.join('; '), /a saved description of the running service \(it holds metadata\.uid, metadata\.resourceVersion, metadata\.creationTimestamp, metadata\.generation, status/);
  const written = await analyze({ ...CODE, 'ledger/service.yaml': manifest(false) });
  assert.deepEqual(unset(written.findings).map((m) => m.replace(/,.*/, '')), ['error ledger/service.yaml: ledger (production) is deployed without BANK_KEY']);
});

test('a deploy of Google\'s sample container (a Terraform bootstrap of the service) runs none of the code: not a deployed environment', async () => {
  const terraform = (image: string) => ({
    'infra/cloudrun.tf': `resource "google_cloud_run_v2_service" "ledger" {\n  name     = "ledger-prod"\n  location = "europe-west1"\n  template {\n    containers {\n      image = "${image}"\n    }\n  }\n}\n`,
  });
  for (const sample of ['us-docker.pkg.dev/cloudrun/container/hello', 'gcr.io/cloudrun/hello:latest']) {
    const { findings, ws } = await analyze({ ...CODE, ...RUN_DEPLOY, ...terraform(sample) });
    assert.deepEqual(unset(findings), [], sample);
    assert.match(formatExplain(explainModel(ws.model())), /runs Google's sample container .*: a bootstrap/, sample);
  }
  // The service's own image: Terraform deploys the code, and it lacks what the release sets.
  const { findings } = await analyze({ ...CODE, ...RUN_DEPLOY, ...terraform('europe-docker.pkg.dev/acme/apps/ledger:1') });
  assert.ok(unset(findings).some((f) => f.includes('infra/cloudrun.tf')), unset(findings).join('\n'));
});

test('a sample container whose image Terraform leaves to other deploys (lifecycle.ignore_changes) is the first image of a managed service: its env is deployed', async () => {
  const terraform = (ignored: string) => ({
    'infra/cloudrun.tf': `resource "google_cloud_run_v2_service" "ledger" {\n  name     = "ledger-prod"\n  location = "europe-west1"\n  template {\n    containers {\n      image = "us-docker.pkg.dev/cloudrun/container/hello"\n      env {\n        name  = "LEDGER_MODE"\n        value = "live"\n      }\n    }\n  }\n  lifecycle {\n    ignore_changes = [${ignored}]\n  }\n}\n`,
  });
  const managed = await analyze({ ...CODE, ...RUN_DEPLOY, ...terraform('template[0].containers[0].image') });
  assert.ok(unset(managed.findings).some((f) => f.includes('infra/cloudrun.tf') && f.includes('BANK_KEY')), unset(managed.findings).join('\n'));
  assert.doesNotMatch(formatExplain(explainModel(managed.ws.model())), /a bootstrap/);
  // Ignoring something else (the client's labels) leaves it a bootstrap.
  const bootstrap = await analyze({ ...CODE, ...RUN_DEPLOY, ...terraform('client') });
  assert.match(formatExplain(explainModel(bootstrap.ws.model())), /runs Google's sample container .*: a bootstrap/);
});

// GitHub Actions runs the workflows of a repository's root `.github/workflows` only: one under a
// project folder of the repository (copied in with its CI) deploys nothing, unless that folder is a
// checkout of its own (a workspace of several repositories).
const NESTED_WORKFLOW = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: gcloud run deploy ledger-prod --source ledger --set-env-vars LEDGER_MODE=live
`;

test('a workflow under a project folder\'s .github/workflows is not run, so not a deployed environment', async () => {
  const nested = await analyze({ ...CODE, 'ledger/.github/workflows/deploy.yml': NESTED_WORKFLOW.replace('--source ledger', '--source .') });
  assert.deepEqual(unset(nested.findings), []);
  const why = nested.ws.model().notDeployed.map((d) => d.evidence.join('; '));
  assert.ok(why.some((w) => w.includes('GitHub runs only those of the repository\'s root')), why.join('\n'));
  // Control: at the root it is the production deploy, lacking BANK_KEY.
  const root = await analyze({ ...CODE, '.github/workflows/deploy.yml': NESTED_WORKFLOW });
  assert.deepEqual(unset(root.findings).map((m) => m.replace(/,.*/, '')), ['error .github/workflows/deploy.yml: ledger (production) is deployed without BANK_KEY']);
});

test('a workflow whose YAML GitHub cannot load (a syntax error) deploys nothing: not a deployed environment, the error still a notice', async () => {
  // A stray line after the steps, at a bad indent (as a note pasted in).
  const broken = `${NESTED_WORKFLOW}   bad indent: x\n`;
  const { ws, findings } = await analyze({ ...CODE, '.github/workflows/deploy.yml': broken });
  assert.deepEqual(unset(findings), []);
  const why = ws.model().notDeployed.map((d) => d.evidence.join('; '));
  assert.ok(why.some((w) => /GitHub does not run this workflow: its YAML has a syntax error \(\w+\) at line \d+/.test(w)), why.join('\n'));
  assert.ok(ws.notices().some((n) => n.file === '.github/workflows/deploy.yml' && /YAML syntax error/.test(n.message)));
});

test('two workflows pasted into one file (keys defined twice): the notice says GitHub refuses it and its deploys never run', async () => {
  const twice = `name: deploy\n${NESTED_WORKFLOW}name: deploy again\n${NESTED_WORKFLOW.replace('LEDGER_MODE=live', 'LEDGER_MODE=test')}`;
  const { ws, findings } = await analyze({ ...CODE, '.github/workflows/deploy.yml': twice });
  assert.deepEqual(unset(findings), []);
  const notice = ws.notices().find((n) => n.file === '.github/workflows/deploy.yml')?.message ?? '';
  assert.match(notice, /^YAML syntax error \(DUPLICATE_KEY\) at line \d+, column \d+: GitHub refuses to run a workflow file that is not valid YAML \(a key defined twice in one map\), so none of its deploys runs$/);
  // A YAML file that is no workflow keeps the bare notice.
  const other = await analyze({ ...CODE, 'config/app.yaml': 'env: a\nenv: b\n' });
  assert.ok(other.ws.notices().every((n) => !/GitHub/.test(n.message)));
});

test('a folder that is a checkout of its own runs its workflows', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { Workspace } = await import('../../server/src/engine/workspace');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-nested-'));
  try {
    const put = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
    for (const [rel, text] of Object.entries(CODE)) put(`ledger-repo/${rel}`, text);
    put('ledger-repo/.github/workflows/deploy.yml', NESTED_WORKFLOW);
    fs.mkdirSync(path.join(dir, 'ledger-repo/.git'), { recursive: true });
    const ws = new Workspace(dir);
    await ws.loadAll();
    // (at warning: `--source ledger` is read from the checkout's root, a link the tool infers)
    assert.deepEqual(unset(ws.findings()).map((m) => m.replace(/^\w+ /, '').replace(/,.*/, '')), ['ledger-repo/.github/workflows/deploy.yml: ledger (production) is deployed without BANK_KEY']);
    assert.deepEqual(ws.model().notDeployed, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a workflow whose image build names a Dockerfile the repository lacks fails at the build: its deploy is no deployed environment', async () => {
  const workflow = (dockerfile: string) => `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - run: docker build -f ${dockerfile} -t gcr.io/acme/ledger:\${{ github.sha }} ./ledger && docker push gcr.io/acme/ledger:\${{ github.sha }}
      - run: gcloud run deploy ledger-prod --image gcr.io/acme/ledger:\${{ github.sha }} --set-env-vars LEDGER_MODE=live
`;
  const code = { ...CODE, 'ledger/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nCMD ["uvicorn", "app:app"]\n' };
  const { ws, findings } = await analyze({ ...code, '.github/workflows/deploy.yml': workflow('ledger/Dockerfile.gcp') });
  assert.deepEqual(unset(findings), []);
  const why = ws.model().notDeployed.map((d) => d.evidence.join('; '));
  assert.ok(why.some((w) => w.includes('its image is built here from ledger/Dockerfile.gcp, which is not in the repository: the build fails, so this deploy never runs')), why.join('\n'));
  // Control: the Dockerfile it names is there, and the deploy lacks BANK_KEY.
  const built = await analyze({ ...code, '.github/workflows/deploy.yml': workflow('ledger/Dockerfile') });
  assert.deepEqual(unset(built.findings).map((m) => m.replace(/,.*/, '')), ['error .github/workflows/deploy.yml: ledger (production) is deployed without BANK_KEY']);
});

test('a script building from a Dockerfile git does not track stays a deploy: it sends a local folder, which may hold one', async () => {
  const script = '#!/usr/bin/env bash\nset -euo pipefail\ndocker build -f ledger/Dockerfile.gcp -t gcr.io/acme/ledger:latest ledger\ndocker push gcr.io/acme/ledger:latest\ngcloud run deploy ledger-prod --image gcr.io/acme/ledger:latest --set-env-vars LEDGER_MODE=live\n';
  const { findings } = await analyze({ ...CODE, 'ledger/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nCMD ["uvicorn", "app:app"]\n', 'deploy/release.sh': script });
  assert.deepEqual(unset(findings).map((m) => m.replace(/,.*/, '')), ['error deploy/release.sh: ledger (production) is deployed without BANK_KEY']);
});
