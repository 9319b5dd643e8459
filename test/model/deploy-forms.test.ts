/**
 * Every deploy form feeds the same model (service × environment → variables, with exact ranges
 * and an insertion point), so an existing rule fires through it unchanged: here
 * env-unset-for-deploy, reported once per target at the deploy end (the key owning the env or
 * secrets list, where the fix goes), with the read related. Fixes editing text that writes
 * several deploys are offered, never safe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, where, type Files } from '../rule-harness';
import { assertReadable } from '../rule-tester';
import { formatExplain } from '../../server/src/ide/explain-text';
import { explainModel } from '../../server/src/engine/explain';
import type { Finding } from '../../server/src/core/findings';
import { roundTrip } from '../rules/_fix-roundtrip';

const unset = (findings: Finding[], name: string) => findings.filter((f) => f.rule === 'env-unset-for-deploy' && f.message.includes(name));
const targetKeys = (ws: Awaited<ReturnType<typeof analyze>>['ws']) => ws.model().targets.map((t) => t.key).sort();
/** `file:line:column` (1-based) of a finding and the text its span covers: the exact anchor. */
const anchor = (files: Files, f: Finding) => `${where(f)}:${f.range.start.character + 1} ${files[f.file].slice(f.span.start, f.span.end)}`;
/** The related locations of a finding, `file:line`. */
const relatedOf = (f: Finding) => f.related.map((r) => `${r.file}:${r.range.start.line + 1}`);

const TWO_SERVICES = {
  'services/api/requirements.txt': 'flask\n',
  'services/api/app.py': 'import os\nKEY = os.environ["API_KEY"]\nDB = os.environ["DATABASE_URL"]\n',
  'services/worker/requirements.txt': 'celery\n',
  'services/worker/tasks.py': 'import os\nDB = os.environ["DATABASE_URL"]\n',
};

test('shell loop: one target per item; the missing variable is reported at the shared command, its fix only offered', async () => {
  const script = [
    '#!/bin/bash',
    'for svc in api worker; do',
    '  gcloud run deploy "$svc-staging" --source "services/$svc" \\',
    '    --set-env-vars "ENVIRONMENT=staging" \\',
    '    --set-secrets "DATABASE_URL=db-url-staging:latest"',
    'done',
  ].join('\n');
  const files = { ...TWO_SERVICES, 'deploy.sh': script };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['api@staging', 'worker@staging']);
  const f = unset(findings, 'API_KEY');
  // Once, for api@staging, at the `--set-secrets` flag of the loop's command; the read is related.
  assert.deepEqual(f.map((x) => anchor(files, x)), ['deploy.sh:5:5 --set-secrets']);
  assert.match(f[0].message, /^api \(staging\) is deployed without API_KEY/);
  assert.deepEqual(relatedOf(f[0]), ['services/api/app.py:2']);
  f.forEach(assertReadable);
  for (const x of f) {
    assert.equal(x.fixes.length, 1);
    assert.equal(x.fixes[0].safe, false, 'the command deploys worker too');
    assert.match(x.fixes[0].title, /review: this text is shared by 2 deploys \(svc=api; svc=worker\)/);
  }
  assert.equal(unset(findings, 'DATABASE_URL').length, 0);
});

test('shell case: the deploy after the case is one target per branch', async () => {
  const script = [
    'case "$1" in',
    '  staging) SECRETS="DATABASE_URL=db-url-staging:latest" ;;',
    '  production) SECRETS="DATABASE_URL=db-url-prod:latest,API_KEY=api-key:latest" ;;',
    '  *) echo "usage: $0 staging|production"; exit 1 ;;',
    'esac',
    'gcloud run deploy api --source services/api --set-secrets "$SECRETS"',
  ].join('\n');
  const files = { ...TWO_SERVICES, 'deploy-api.sh': script };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['api@production', 'api@staging']);
  const t = ws.model().targets.find((x) => x.key === 'api@staging')!;
  assert.match(t.deploys[0].evidence.join(' | '), /environment staging: case \$1 branch staging\)/);
  const f = unset(findings, 'API_KEY');
  // Only the staging branch lacks it (production's SECRETS sets API_KEY): one finding, at the flag.
  // The command sets no variables (no --set-env-vars), so the service keeps its own: a warning.
  assert.deepEqual(f.map((x) => anchor(files, x)), ['deploy-api.sh:6:45 --set-secrets']);
  assert.match(f[0].message, /^api \(staging\) may lack API_KEY, which services\/api\/app\.py reads: its deploy keeps earlier variables$/);
  assert.equal(f[0].severity, 'warning');
  assert.deepEqual(relatedOf(f[0]), ['services/api/app.py:2']);
  f.forEach(assertReadable);
});

test('shell function called per service, and a command assembled in a variable', async () => {
  const fn = [
    'deploy() {',
    '  gcloud run deploy "$1" --source "services/$1" --set-env-vars "ENVIRONMENT=production" --set-secrets "DATABASE_URL=db:latest"',
    '}',
    'deploy api',
    'deploy worker',
  ].join('\n');
  const fnFiles = { ...TWO_SERVICES, 'ops/release.sh': fn };
  const { findings, ws } = await analyze(fnFiles);
  assert.deepEqual(targetKeys(ws), ['api@production', 'worker@production']);
  const byFn = unset(findings, 'API_KEY');
  assert.deepEqual(byFn.map((x) => anchor(fnFiles, x)), ['ops/release.sh:2:89 --set-secrets']);
  assert.match(byFn[0].message, /^api \(production\) is deployed without API_KEY/);
  assert.deepEqual(relatedOf(byFn[0]), ['services/api/app.py:2']);

  const assembled = [
    'CMD="gcloud run deploy api --source services/api \\',
    '  --set-env-vars=ENVIRONMENT=production \\',
    '  --set-secrets=DATABASE_URL=db:latest"',
    'eval "$CMD"',
  ].join('\n');
  const asmFiles = { ...TWO_SERVICES, 'ops/api.sh': assembled };
  const second = await analyze(asmFiles);
  const f = unset(second.findings, 'API_KEY');
  assert.deepEqual(f.map((x) => anchor(asmFiles, x)), ['ops/api.sh:3:3 --set-secrets']);
  assert.deepEqual(relatedOf(f[0]), ['services/api/app.py:2']);
  [...byFn, ...f].forEach(assertReadable);
  const fix = f[0].fixes[0];
  assert.equal(fix.edits[0].newText, ',API_KEY=api-key-production:latest', 'into the existing list, inside the string');
});

test('GitHub Actions matrix: one target per combination; the step is shared', async () => {
  const wf = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: staging
    strategy:
      matrix:
        service: [api, worker]
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: \${{ matrix.service }}-staging
          source: ./services/\${{ matrix.service }}
          secrets: |
            DATABASE_URL=db-url-staging:latest
`;
  const files = { ...TWO_SERVICES, '.github/workflows/deploy.yml': wf };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['api@staging', 'worker@staging']);
  const f = unset(findings, 'API_KEY');
  // At the `secrets:` input of the shared step, for the api combination only. The action merges
  // into what the service has (`secrets_update_strategy` defaults to `merge`), and no deploy here
  // sets API_KEY: information.
  assert.deepEqual(f.map((x) => anchor(files, x)), ['.github/workflows/deploy.yml:14:11 secrets']);
  assert.match(f[0].message, /^api \(staging\) may lack API_KEY, which services\/api\/app\.py reads: its deploy keeps earlier variables$/);
  assert.equal(f[0].severity, 'info');
  assert.deepEqual(relatedOf(f[0]), ['services/api/app.py:2']);
  f.forEach(assertReadable);
  assert.ok(f[0].fixes.length > 0);
  assert.ok(f.every((x) => x.fixes.every((fx) => !fx.safe && /shared by 2 deploys \(service=api; service=worker\)/.test(fx.title))));
});

test('GitHub Actions: a workflow-level ENVIRONMENT (set for the test steps) yields to what each deploy says of itself', async () => {
  const wf = `on: push
env:
  ENVIRONMENT: testing
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: |
          gcloud run deploy api-dev --source services/api --set-env-vars ENVIRONMENT=staging
          gcloud run deploy api-prod --source services/api --set-env-vars LOG_LEVEL=info
          gcloud run deploy worker --source services/worker --set-env-vars LOG_LEVEL=info
`;
  const { ws } = await analyze({ ...TWO_SERVICES, '.github/workflows/ci.yml': wf });
  // The deploy's own ENVIRONMENT, then its deployed name; the workflow's only where neither says.
  assert.deepEqual(targetKeys(ws), ['api@production', 'api@staging', 'worker@test']);
});

test('reusable workflow: each call instantiates the callee\'s deploy with its inputs', async () => {
  const caller = `on: push
jobs:
  api:
    uses: ./.github/workflows/deploy-one.yml
    with:
      service: api
      environment: staging
  worker:
    uses: ./.github/workflows/deploy-one.yml
    with:
      service: worker
`;
  const callee = `on:
  workflow_call:
    inputs:
      service: { type: string, required: true }
      environment: { type: string, default: production }
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: \${{ inputs.environment }}
    steps:
      - run: |
          gcloud run deploy "\${{ inputs.service }}" --source "services/\${{ inputs.service }}" \\
            --set-secrets "DATABASE_URL=db-\${{ inputs.environment }}:latest"
`;
  const files = { ...TWO_SERVICES, '.github/workflows/release.yml': caller, '.github/workflows/deploy-one.yml': callee };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['api@staging', 'worker@production']);
  const api = ws.model().targets.find((t) => t.key === 'api@staging')!;
  assert.ok(api.deploys[0].evidence.some((e) => e === 'reusable workflow called by .github/workflows/release.yml (job api) with service=api, environment=staging'));
  const secret = api.writes.get('DATABASE_URL')![0].write.value;
  assert.deepEqual(secret.kind === 'secret' && [secret.secret, secret.version], ['db-staging', 'latest']);
  const f = unset(findings, 'API_KEY');
  // In the callee, at the flag of its `run:` command, for the call that deploys api (staging).
  // The command sets no variables (no --set-env-vars), so the service keeps its own, and no
  // deploy here sets API_KEY: information.
  assert.deepEqual(f.map((x) => anchor(files, x)), ['.github/workflows/deploy-one.yml:13:13 --set-secrets']);
  assert.match(f[0].message, /^api \(staging\) may lack API_KEY, which services\/api\/app\.py reads: its deploy keeps earlier variables$/);
  assert.equal(f[0].severity, 'info');
  assert.deepEqual(relatedOf(f[0]), ['services/api/app.py:2']);
  f.forEach(assertReadable);
  // Without its caller the callee's deploy is not guessed: unplaced, and --explain says why.
  const alone = await analyze({ ...TWO_SERVICES, '.github/workflows/deploy-one.yml': callee });
  assert.deepEqual(alone.ws.model().targets, []);
  const text = formatExplain(explainModel(alone.ws.model()));
  assert.match(text, /Deploys with no environment[\s\S]*deploy-one\.yml via github-actions .*not resolved: reusable workflow: the deploy depends on inputs service, environment, which only a caller passes/);
});

test('Cloud Deploy + Skaffold: each manifest belongs to its target\'s environment', async () => {
  const manifest = (name: string, secret: string, extra = '') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - image: gcr.io/acme/api
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: ${secret}
                  key: latest${extra}
`;
  const files = {
    'services/api/requirements.txt': 'flask\n',
    'services/api/app.py': 'import os\nKEY = os.environ["API_KEY"]\nDB = os.environ["DATABASE_URL"]\n',
    'clouddeploy.yaml': `apiVersion: deploy.cloud.google.com/v1
kind: DeliveryPipeline
metadata:
  name: api
serialPipeline:
  stages:
  - targetId: stg
    profiles: [stg]
  - targetId: prd
    profiles: [prd]
---
apiVersion: deploy.cloud.google.com/v1
kind: Target
metadata:
  name: stg
run:
  location: projects/acme-stg/locations/us-central1
`,
    'skaffold.yaml': `apiVersion: skaffold/v4beta7
kind: Config
profiles:
- name: stg
  manifests:
    rawYaml: [deploy/api-a.yaml]
- name: prd
  manifests:
    rawYaml: [deploy/api-b.yaml]
deploy:
  cloudrun: {}
`,
    'deploy/api-a.yaml': manifest('api', 'db-stg'),
    'deploy/api-b.yaml': manifest('api', 'db-prd', '\n            - name: API_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: api-key\n                  key: latest'),
  };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['api@production', 'api@staging']);
  const stg = ws.model().targets.find((t) => t.key === 'api@staging')!;
  assert.equal(stg.deploys[0].file, 'deploy/api-a.yaml');
  assert.match(stg.deploys[0].evidence[1], /^environment staging: Cloud Deploy pipeline api \(clouddeploy\.yaml\) deploys it to target stg with Skaffold profile stg \(skaffold\.yaml\)$/);
  assert.equal(stg.project?.resolved.value, 'acme-stg', 'the target\'s project');
  const f = unset(findings, 'API_KEY');
  // At the `env:` key of the staging manifest (production's sets API_KEY).
  assert.deepEqual(f.map((x) => anchor(files, x)), ['deploy/api-a.yaml:10:11 env']);
  assert.match(f[0].message, /^api \(staging\) is deployed without API_KEY/);
  assert.deepEqual(relatedOf(f[0]), ['services/api/app.py:2']);
  f.forEach(assertReadable);
  assert.doesNotMatch(f[0].fixes[0].title, /shared/, 'the manifest is staging\'s alone');
});

test('Cloud Deploy with one manifest for every stage: placed in both, fixes to it only offered', async () => {
  const files = {
    'services/api/requirements.txt': 'flask\n',
    'services/api/app.py': 'import os\nKEY = os.environ["API_KEY"]\n',
    'deploy/clouddeploy.yaml': 'apiVersion: deploy.cloud.google.com/v1\nkind: DeliveryPipeline\nmetadata:\n  name: api\nserialPipeline:\n  stages:\n  - targetId: staging\n  - targetId: production\n',
    'deploy/skaffold.yaml': 'apiVersion: skaffold/v4beta7\nkind: Config\nmanifests:\n  rawYaml: [service.yaml]\ndeploy:\n  cloudrun: {}\n',
    'deploy/service.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/acme/api\n          env:\n            - name: LOG_LEVEL\n              value: info\n',
  };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['api@production', 'api@staging']);
  const f = unset(findings, 'API_KEY');
  assert.ok(f.length > 0);
  for (const x of f) for (const fx of x.fixes) {
    assert.equal(fx.safe, false);
    assert.match(fx.title, /shared by 2 Cloud Deploy targets \(staging, production\)/);
  }
});

test('Cloud Run functions: a function is a target; its runtime variables are provided', async () => {
  const files = {
    'functions/resize/requirements.txt': 'functions-framework\n',
    'functions/resize/main.py': 'import os\nTARGET = os.environ["FUNCTION_TARGET"]\nKIND = os.environ["FUNCTION_SIGNATURE_TYPE"]\nBUCKET = os.environ["THUMBS_BUCKET"]\n',
    'deploy-functions.sh': 'gcloud functions deploy resize-staging --gen2 --runtime python312 --source functions/resize --trigger-http --set-env-vars LOG=info\n',
  };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['resize@staging']);
  // FUNCTION_TARGET and FUNCTION_SIGNATURE_TYPE are the runtime's; THUMBS_BUCKET is reported once,
  // at the function's `--set-env-vars`, the read related.
  const f = findings.filter((x) => x.rule === 'env-unset-for-deploy');
  assert.deepEqual(f.map((x) => anchor(files, x)), ['deploy-functions.sh:1:108 --set-env-vars']);
  assert.match(f[0].message, /^resize \(staging\) is deployed without THUMBS_BUCKET, which functions\/resize\/main\.py reads$/);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(relatedOf(f[0]), ['functions/resize/main.py:4']);
  f.forEach(assertReadable);
});

test('a loop over computed items is not guessed: unplaced, and --explain says why', async () => {
  const { findings, ws } = await analyze({
    ...TWO_SERVICES,
    'deploy-all.sh': 'for d in $(ls services); do\n  gcloud run deploy "$d" --source "services/$d" --set-env-vars ENVIRONMENT=staging\ndone\n',
  });
  assert.deepEqual(ws.model().targets, []);
  assert.deepEqual(unset(findings, 'API_KEY'), []);
  const text = formatExplain(explainModel(ws.model()));
  assert.match(text, /deploy-all\.sh via shell "\$d" — .*not resolved: for d in \$\(ls services\): the items are known only at run time/);
});

test('a helper running a spliced command line, a services update and a secrets list in a variable: one service, reported where it is created', async () => {
  const create = [
    '#!/bin/bash',
    'after_build () {',
    '  local command_line="${2}"',
    '  $command_line',
    '}',
    'after_build "$BUILD" "gcloud run deploy api \\',
    '    --image "${REGISTRY}/${TAG}" \\',
    '    --update-env-vars "CACHE_BUCKET=${STAGE_PROJECT}-cache" \\',
    '    --project "${STAGE_PROJECT}""',
  ].join('\n');
  const amend = [
    '#!/bin/bash',
    'NUM=$(gcloud projects describe "$OPS" --format "value(projectNumber)")',
    'AUTH="OAUTH_ID=projects/${NUM}/secrets/oauth_id:latest"',
    'AUTH="${AUTH},OAUTH_SECRET=projects/${NUM}/secrets/oauth_secret:latest"',
    'gcloud run services update api \\',
    '    --update-env-vars "CALLBACK=${STAGE_URL}/cb" \\',
    '    --update-secrets "${AUTH}" \\',
    '    --project "${STAGE_PROJECT}"',
  ].join('\n');
  const files = {
    'services/api/requirements.txt': 'flask\n',
    'services/api/app.py': 'import os\nA = os.environ["CACHE_BUCKET"]\nB = os.environ["CALLBACK"]\nC = os.environ["OAUTH_ID"]\nD = os.environ["OAUTH_SECRET"]\nE = os.environ["MAIL_HOST"]\n',
    // The update first: where a missing variable goes must not depend on the order files come in.
    'scripts/auth.sh': amend,
    'tools/setup.sh': create,
  };
  const { findings } = await analyze(files);
  const unsetNames = findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => /without (\w+)|lack (\w+)/.exec(f.message)!.slice(1).find(Boolean));
  // Each variable set by one of the two deploys counts for the service; only MAIL_HOST is missing.
  assert.deepEqual(unsetNames, ['MAIL_HOST']);
  const [f] = unset(findings, 'MAIL_HOST');
  // Reported at the deploy that creates the service, not at the update that keeps what it has.
  assert.equal(anchor(files, f), 'tools/setup.sh:8:5 --update-env-vars');
  // Both deploys keep what the service has, and neither sets MAIL_HOST: information.
  assert.equal(f.severity, 'info');
});

test('a deploy that names no code joins the service another deploy of the same Cloud Run service ships', async () => {
  const workflow = (project: string) => [
    'name: release',
    'on: push',
    'env:',
    '  SERVICE: shop-web',
    `  PROJECT: ${project}`,
    'jobs:',
    '  ship:',
    '    runs-on: ubuntu-latest',
    '    environment: production',
    '    steps:',
    '      - id: img',
    '        run: echo "tag=x" >> "$GITHUB_OUTPUT"',
    '      - run: |',
    '          gcloud run deploy ${{ env.SERVICE }} --image=${{ steps.img.outputs.tag }} --project=${{ env.PROJECT }} \\',
    '            --set-secrets=API_TOKEN=api-token:latest',
  ].join('\n');
  const base = {
    'storefront/requirements.txt': 'flask\n',
    'worker/requirements.txt': 'celery\n',
    'worker/main.py': 'import os\n',
    'storefront/app.py': 'import os\nTOKEN = os.environ["API_TOKEN"]\nMODE = os.environ["MODE"]\n',
    'deploy/release.sh': 'gcloud run deploy shop-web --source storefront --project acme --set-env-vars ENVIRONMENT=production,MODE=live\n',
  };
  const same = { ...base, '.github/workflows/release.yml': workflow('acme') };
  const { findings, ws } = await analyze(same);
  assert.deepEqual(targetKeys(ws), ['storefront@production']);
  const t = ws.model().targets[0];
  assert.deepEqual(t.deploys.map((d) => `${d.file} ${d.certainty}`).sort(), ['.github/workflows/release.yml inferred', 'deploy/release.sh declared']);
  assert.match(t.deploys.find((d) => d.file.endsWith('.yml'))!.evidence[0], /deploy\/release\.sh deploys "shop-web" too and ships storefront/);
  assert.equal(unset(findings, 'API_TOKEN').length, 0);
  // Look-alike: the same name in another project is another service: not joined.
  const other = { ...base, '.github/workflows/release.yml': workflow('acme-labs') };
  const { findings: f2, ws: ws2 } = await analyze(other);
  assert.deepEqual(targetKeys(ws2), ['shop-web@production', 'storefront@production']);
  assert.equal(unset(f2, 'API_TOKEN').length, 1);
});

test('compose services of one name in two files are not one service: no link through the other file', async () => {
  const files = {
    'storefront/requirements.txt': 'flask\n',
    'storefront/app.py': 'import os\nTOKEN = os.environ["API_TOKEN"]\n',
    'worker/requirements.txt': 'celery\n',
    'worker/main.py': 'import os\n',
    'docker-compose.yml': 'services:\n  web:\n    build: ./storefront\n',
    'docker-compose.prod.yml': 'services:\n  web:\n    image: registry/web:1\n    environment:\n      MODE: live\n',
  };
  const { ws } = await analyze(files);
  const prod = ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'docker-compose.prod.yml'));
  assert.equal(prod?.service, undefined);
});

test("an env-vars file's ENVIRONMENT entry places the deploy that sets it whole; a development one does not", async () => {
  const workflow = (file: string): string => [
    'name: deploy',
    'on: { push: { branches: [main] } }',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - run: |',
    `          gcloud run deploy api --source services/api --region europe-west1 --env-vars-file ${file}`,
    '',
  ].join('\n');
  const files: Files = {
    ...TWO_SERVICES,
    '.github/workflows/deploy.yml': workflow('deploy/api.env.yaml'),
    'deploy/api.env.yaml': 'ENVIRONMENT: "production"\nDATABASE_URL: "postgresql://app@10.0.0.3/app"\n',
  };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['api@production']);
  const t = ws.model().targets.find((x) => x.key === 'api@production')!;
  assert.match(t.deploys[0].evidence.join(' | '), /environment production: ENVIRONMENT=production in deploy\/api\.env\.yaml, the deploy's env-vars file/);
  // Checked now: a secret-like name the deploy may keep among its secrets (it sets none).
  assert.deepEqual(unset(findings, 'API_KEY').map((f) => f.message), ['api (production) may lack API_KEY, which services/api/app.py reads: its deploy keeps earlier secrets']);
  // `development` in a deploy's own list places nothing (real Cloud Run deploys set it by
  // mistake), and neither does it in its env-vars file: the service's only deploy is its default.
  const dev = await analyze({ ...files, 'deploy/api.env.yaml': 'ENVIRONMENT: "development"\n' });
  assert.deepEqual(targetKeys(dev.ws), ['api@default']);
});

test('a reusable workflow deploying with lists its callers write whole: the deploy stands in the caller, at its lists', async () => {
  // The callee builds its command in a bash array and passes each list only when the call gave one.
  const callee = `on:
  workflow_call:
    inputs:
      service: { type: string, required: true }
      env_vars: { type: string, default: "" }
      secrets_map: { type: string, default: "" }
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: staging
    env:
      SERVICE: \${{ inputs.service }}
    steps:
      - env:
          ENV_VARS: \${{ inputs.env_vars }}
          SECRETS_MAP: \${{ inputs.secrets_map }}
        run: |
          args=(run deploy "$SERVICE"
            --source "services/$SERVICE"
            --region europe-west1)
          [ -n "$ENV_VARS" ] && args+=(--set-env-vars "$ENV_VARS")
          [ -n "$SECRETS_MAP" ] && args+=(--set-secrets "$SECRETS_MAP")
          gcloud "\${args[@]}"
`;
  const caller = `on: workflow_dispatch
jobs:
  api:
    uses: ./.github/workflows/_deploy.yml
    with:
      service: api
      env_vars: "LOG_LEVEL=info,REGION_NAME=eu"
      # API_KEY comes later.
      secrets_map: "DATABASE_URL=db-url:latest"
  worker:
    uses: ./.github/workflows/_deploy.yml
    with:
      service: worker
`;
  const files = { ...TWO_SERVICES, '.github/workflows/release.yml': caller, '.github/workflows/_deploy.yml': callee };
  const { findings, ws } = await analyze(files);
  assert.deepEqual(targetKeys(ws), ['api@staging', 'worker@staging']);
  const api = ws.model().targets.find((t) => t.key === 'api@staging')!;
  assert.deepEqual([...api.writes.keys()].sort(), ['DATABASE_URL', 'LOG_LEVEL', 'REGION_NAME']);
  assert.deepEqual(api.writes.get('DATABASE_URL')!.map((w) => [w.file, w.write.value.kind === 'secret' && w.write.value.secret]), [['.github/workflows/release.yml', 'db-url']]);
  assert.deepEqual(api.partial, [], 'both lists are read whole from the call');
  // The call writes the lists, so the missing key is reported at the call's list, where it goes.
  const f = unset(findings, 'API_KEY');
  assert.deepEqual(f.map((x) => anchor(files, x)), ['.github/workflows/release.yml:9:7 secrets_map']);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(relatedOf(f[0]), ['services/api/app.py:2']);
  f.forEach(assertReadable);
  // The worker's call passes no lists: no flag at all, so the service keeps what it has, and a
  // name only another service's deploy sets is worth a word, no more.
  assert.deepEqual(findings.filter((x) => x.message.startsWith('worker')).map((x) => [x.severity, x.message]),
    [['info', 'worker (staging) may lack DATABASE_URL, which services/worker/tasks.py reads: set for api (staging), not by its deploy']]);
  const worker = ws.model().targets.find((t) => t.key === 'worker@staging')!;
  assert.deepEqual(worker.deploys.map((d) => [d.file, (files as Files)[d.file].slice(d.deploy.span.start, d.deploy.span.end)]), [['.github/workflows/release.yml', './.github/workflows/_deploy.yml']],
    'the call is the deploy: it says what the callee gets');

  // The fix adds the secret to the caller's list; the finding is gone and the files still parse.
  const { after } = await roundTrip('env-unset-for-deploy', files, (x) => x.message.includes('API_KEY'));
  assert.match(after['.github/workflows/release.yml'], /secrets_map: "DATABASE_URL=db-url:latest,API_KEY=[\w-]+:latest"/);
});

test('look-alike: a list written in the callee beside an input list keeps the deploy in the callee, opaque', async () => {
  const callee = `on:
  workflow_call:
    inputs:
      service: { type: string, required: true }
      env_vars: { type: string, default: "" }
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - run: gcloud run deploy "\${{ inputs.service }}" --source "services/\${{ inputs.service }}" --set-env-vars "\${{ inputs.env_vars }}" --set-secrets "DATABASE_URL=db:latest"
`;
  const caller = `on: push
jobs:
  api:
    uses: ./.github/workflows/_deploy.yml
    with:
      service: api
      env_vars: "LOG_LEVEL=info"
`;
  const files = { ...TWO_SERVICES, '.github/workflows/release.yml': caller, '.github/workflows/_deploy.yml': callee };
  const { findings, ws } = await analyze(files);
  const api = ws.model().targets.find((t) => t.key === 'api@staging')!;
  assert.deepEqual(api.deploys.map((d) => d.file), ['.github/workflows/_deploy.yml']);
  assert.ok(api.partial.some((p) => /inputs\.env_vars/.test(p.reason)), JSON.stringify(api.partial));
  // Its one deploy lists variables the workspace cannot read: API_KEY may be among them, so nothing is said.
  assert.deepEqual(unset(findings, 'API_KEY'), []);
});
