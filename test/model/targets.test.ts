/**
 * Deploy targets as real repositories write them: a one-off fix-up script beside the real deploy,
 * environments named only by a variable's name or a framework-prefixed entry, and services whose
 * deploys name no environment at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';
import { EnvironmentNames } from '../../server/src/knowledge/environments';
import { isPartialFor } from '../../server/src/model/workspace-model';

const API_CODE = {
  'api/requirements.txt': 'flask\n',
  'api/app.py': 'import os\nA = os.environ["API_A"]\nB = os.environ["API_B"]\nC = os.environ["API_C"]\n',
};

test('an additive update in a fix-up script adds to the real deploy (which removes it when run again); it does not make the target uncertain', async () => {
  const { ws, findings } = await analyze({
    ...API_CODE,
    'deploy/api-staging.sh': 'gcloud run deploy api-staging --source api --set-env-vars ENVIRONMENT=staging,API_A=1\n',
    'scripts/hotfix-staging.sh': 'gcloud run services update api-staging --update-env-vars API_B=2\n',
  });
  const t = ws.model().targets.find((x) => x.key === 'api@staging');
  assert.ok(t, 'one target');
  assert.equal(t!.deploys.length, 2);
  assert.deepEqual(t!.partial.map((p) => p.kind), ['secrets', 'secrets'], 'the full deploy replaces the plain variables; secrets it does not mention are kept');
  assert.equal(isPartialFor(t!, 'API_C'), false, 'a plain variable missing from --set-env-vars is certainly missing');
  assert.equal(isPartialFor(t!, 'API_TOKEN'), true, 'a secret-like one may come from a kept secret');
  const unset = findings.filter((f) => f.rule === 'env-unset-for-deploy');
  // API_B is set, by the update; the full deploy's --set-env-vars removes it again on its next run.
  assert.deepEqual(unset.filter((f) => f.message.includes('API_B')).map((f) => `${f.severity} ${f.file}: ${f.message}`),
    ['warning deploy/api-staging.sh: api (staging): --set-env-vars here removes API_B, which only the update in scripts/hotfix-staging.sh adds']);
  const c = unset.filter((f) => f.message.includes('API_C'));
  assert.ok(c.length > 0 && c.every((f) => f.severity === 'error'), 'API_C is missing, with certainty');
});

test('an update alone is still uncertain', async () => {
  const { ws } = await analyze({ ...API_CODE, 'scripts/hotfix-staging.sh': 'gcloud run services update api-staging --update-env-vars API_B=2\n' });
  const t = ws.model().targets.find((x) => x.key === 'api@staging')!;
  assert.deepEqual(t.partial.map((p) => p.reason), ['sets no secrets, so the service keeps the ones it has', '--update-env-vars adds to what the service already has']);
  assert.equal(isPartialFor(t, 'API_C'), true);
});

test('the environment from a project variable\'s name, and from a framework-prefixed entry', async () => {
  const { ws } = await analyze({
    ...API_CODE,
    'release/api.sh': 'gcloud run deploy api --source api --project "${STAGING_GCP_PROJECT}" --set-env-vars API_A=1\n',
    'release/web.sh': 'gcloud run deploy web --source api --set-env-vars NEXT_PUBLIC_ENVIRONMENT=production\n',
  });
  const envs = ws.model().targets.map((t) => `${t.environment}: ${t.deploys[0].evidence[1]}`).sort();
  assert.deepEqual(envs, [
    'production: environment production: NEXT_PUBLIC_ENVIRONMENT=production in the deploy',
    'staging: environment staging: project variable STAGING_GCP_PROJECT',
  ]);
});

test('the environment from a Django settings module named for it; a development or unnamed module names none', async () => {
  const { ws } = await analyze({
    ...API_CODE,
    'release/api.sh': 'gcloud run deploy api --source api --set-env-vars DJANGO_SETTINGS_MODULE=site.settings.production,API_A=1\n',
    'release/api-qa.sh': 'gcloud run deploy api --source api --set-env-vars DJANGO_SETTINGS_MODULE=site.settings_stg,API_A=1\n',
    // Neither names a deployed environment: beside deploys that do, they stay unplaced.
    'release/api-b.sh': 'gcloud run deploy api --source api --set-env-vars DJANGO_SETTINGS_MODULE=site.settings.dev,API_A=1\n',
    'release/api-c.sh': 'gcloud run deploy api --source api --set-env-vars DJANGO_SETTINGS_MODULE=site.settings,API_A=1\n',
  });
  const envs = ws.model().targets.map((t) => `${t.environment}: ${t.deploys.map((d) => d.file).join(', ')}`).sort();
  assert.deepEqual(envs, [
    'production: release/api.sh',
    'staging: release/api-qa.sh',
  ]);
  const prod = ws.model().targets.find((t) => t.environment === 'production')!;
  assert.equal(prod.deploys[0].evidence[1], 'environment production: DJANGO_SETTINGS_MODULE=site.settings.production in the deploy');
});

test('a production mode the app runs in does not make a deploy named for staging a production one', async () => {
  const { ws } = await analyze({
    ...API_CODE,
    'deploy/stage.env.yaml': 'APP_ENV: "prod"\nAPI_A: "1"\n',
    'deploy/stage.sh': 'gcloud run deploy api-staging --source api --env-vars-file deploy/stage.env.yaml\n',
    'deploy/stage-unnamed.sh': 'gcloud run deploy "$SERVICE" --source api --env-vars-file deploy/staging.env.yaml\n',
    'deploy/staging.env.yaml': 'APP_ENV: "prod"\nAPI_A: "1"\n',
    'deploy/prod.sh': 'gcloud run deploy api --source api --set-env-vars APP_ENV=prod,API_A=1\n',
  });
  const envs = ws.model().targets.map((t) => `${t.environment}: ${t.deploys.map((d) => `${d.file} (${d.evidence[1]})`).join('; ')}`).sort();
  assert.deepEqual(envs, [
    'production: deploy/prod.sh (environment production: APP_ENV=prod in the deploy)',
    'staging: deploy/stage.sh (environment staging: deployed name "api-staging" (the APP_ENV=prod it sets is the app\'s mode)); ' +
      'deploy/stage-unnamed.sh (environment staging: env-vars file deploy/staging.env.yaml (the APP_ENV=prod it sets is the app\'s mode))',
  ]);
});

test('a service whose deploys name no environment is checked in its one deployed environment', async () => {
  const { ws, findings } = await analyze({
    ...API_CODE,
    'cloudbuild.yaml': "steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: ['run', 'deploy', 'api', '--source', 'api', '--set-env-vars', 'API_A=1,API_B=2']\n",
  });
  const t = ws.model().targets;
  assert.deepEqual(t.map((x) => x.key), ['api@default']);
  assert.match(t[0].deploys[0].evidence[1], /no environment is named/);
  assert.ok(findings.some((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('API_C')));
});

test('an unnamed deploy of a service whose other deploys name environments stays unplaced', async () => {
  const { ws } = await analyze({
    ...API_CODE,
    'deploy/api-staging.sh': 'gcloud run deploy api-staging --source api --set-env-vars API_A=1\n',
    'deploy/api.sh': 'gcloud run deploy api --source api --set-env-vars API_A=1\n',
  });
  const model = ws.model();
  assert.deepEqual(model.targets.map((x) => x.key), ['api@staging']);
  assert.equal(model.unplaced.length, 1);
});

test('an unnamed deploy beside Cloud Run deploys placed only in a local environment (a `test-…` service) is the deployed one; beside a development compose stack it stays unplaced', async () => {
  const files = {
    ...API_CODE,
    'deploy/api.sh': 'gcloud run deploy api --source api --set-env-vars API_A=1\n',
    'deploy/try-upload.sh': 'gcloud run deploy test-upload --source api --set-env-vars API_A=1\n',
  };
  const { ws } = await analyze(files);
  assert.deepEqual(ws.model().targets.map((x) => x.key).sort(), ['api@default', 'api@test']);
  const compose = await analyze({ ...API_CODE, 'deploy/api.sh': files['deploy/api.sh'], 'docker-compose.dev.yml': 'services:\n  api:\n    build: ./api\n' });
  assert.deepEqual(compose.ws.model().targets.map((x) => x.key), ['api@development']);
  assert.equal(compose.ws.model().unplaced.length, 1);
});

test('a ci.yml workflow is not the test environment', async () => {
  const { ws } = await analyze({
    ...API_CODE,
    '.github/workflows/ci.yml': 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gcloud run deploy api --source api --set-env-vars API_A=1\n',
  });
  assert.deepEqual(ws.model().targets.map((x) => x.key), ['api@default']);
});

test('stripping the environment keeps the name\'s own separators', () => {
  const names = new EnvironmentNames();
  assert.equal(names.stripEnvironment('BACKEND_SERVICE_STAGING'), 'BACKEND_SERVICE');
  assert.equal(names.stripEnvironment('shop-backend-prod'), 'shop-backend');
  assert.equal(names.stripEnvironment('staging-api_v2'), 'api_v2');
});

test('test tooling is never service code and never deploys: configs, setup files, fixtures, e2e, deploy-shaped test data', async () => {
  const { ws, findings } = await analyze({
    'web/package.json': '{"name":"web"}',
    'web/src/config.ts': 'export const api = process.env.WEB_API_URL!;\n',
    'web/jest.setup.ts': 'process.env.JEST_ONLY_SECRET!.trim();\n',
    'web/jest.server.setup.ts': 'process.env.JEST_SERVER_SECRET!.trim();\n',
    'web/vitest.integration.config.ts': 'export default { env: { URL: process.env.VITEST_INTEGRATION_URL! } };\n',
    'web/playwright.config.ts': 'export default { use: { baseURL: process.env.E2E_BASE_URL! } };\n',
    'web/src/test-utils/render.tsx': 'export const key = process.env.TEST_UTILS_KEY!;\n',
    'web/test_framework/availability.ts': 'export const llm = process.env.FRAMEWORK_LLM_KEY!;\n',
    'web/scratch/try-vertex.ts': 'export const k = process.env.SCRATCH_KEY!;\n',
    'web/scripts/test-upload.js': 'const k = process.env.UPLOAD_TEST_KEY || "your-key-here";\nk.trim();\n',
    'web/e2e/login.ts': 'const pw = process.env.E2E_PASSWORD!;\n',
    'deploy/web-staging.sh': 'gcloud run deploy web-staging --source web --set-env-vars WEB_API_URL=https://api.example.test\n',
    'pkg/test_release.py': [
      'SERVICES = [{"name": "web", "directory": "web", "env_vars": {"ENVIRONMENT": "staging"}}]',
      'def test_deploy(run):',
      '    for s in SERVICES:',
      '        run(["gcloud", "run", "deploy", s["name"] + "-staging", "--source", s["directory"], "--set-env-vars", "X=1"])',
      '',
    ].join('\n'),
    'tests/fixtures/cloudbuild.yaml': "steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: ['run', 'deploy', 'web-staging', '--source', 'web', '--set-env-vars', 'ONLY=1']\n",
  });
  const model = ws.model();
  assert.deepEqual(model.targets.map((t) => `${t.key}: ${t.deploys.map((d) => d.file).join(',')}`), ['web@staging: deploy/web-staging.sh']);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), []);
});

test('code kept in documentation or an archive is not the service\'s: an example client in docs/, a module in old/', async () => {
  const files = {
    'api/requirements.txt': 'flask\n',
    'api/app.py': 'import os\nA = os.environ["API_A"]\n',
    'api/docs/example_client.py': 'import os\nURL = os.environ["EXAMPLE_BASE_URL"]\n',
    'api/old/handlers.py': 'import os\nLEGACY = os.environ["LEGACY_TOKEN"]\n',
    'deploy/api.sh': 'gcloud run deploy api --source api --set-env-vars API_A=1\n',
  };
  const { findings } = await analyze(files);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), []);
  // Control: the same reads in the service's own modules are reported.
  const control = await analyze({ ...files, 'api/example_client.py': files['api/docs/example_client.py'] });
  assert.deepEqual(control.findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message.replace(/,.*/, '')), ['api (default) is deployed without EXAMPLE_BASE_URL']);
});

test('an unnamed deploy of the very service a deploy places joins that target; another project, or the name deployed in a second environment, keeps it unplaced', async () => {
  const base = {
    'services/shop/requirements.txt': 'fastapi\n',
    'services/shop/app/main.py': 'import os\nDB = os.environ["SHOP_DB_URL"]\n',
    'deploy_production.sh': 'gcloud run deploy shop-backend --source services/shop --region europe-west1 --project acme-prod --set-env-vars APP_ENV=production\n',
  };
  const workflow = (flags: string) => ({
    '.github/workflows/deploy.yml': `on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gcloud run deploy shop-backend --source services/shop --region europe-west1 ${flags} --set-secrets SHOP_DB_URL=shop-db:latest\n`,
  });
  const placed = async (files: Record<string, string>) => {
    const model = (await analyze(files)).ws.model();
    return {
      targets: model.targets.map((t) => [t.key, t.deploys.map((d) => d.file).sort()]),
      unplaced: model.unplaced.map((d) => d.file),
    };
  };
  const joined = await placed({ ...base, ...workflow('') });
  assert.deepEqual(joined.targets, [['shop@production', ['.github/workflows/deploy.yml', 'deploy_production.sh']]]);
  assert.deepEqual(joined.unplaced, []);
  assert.deepEqual((await placed({ ...base, ...workflow('--project acme-analytics') })).unplaced, ['.github/workflows/deploy.yml']);
  const two = await placed({ ...base, ...workflow(''), 'deploy_staging.sh': base['deploy_production.sh'].replace('acme-prod', 'acme-stg').replace('production', 'staging') });
  assert.deepEqual(two.unplaced, ['.github/workflows/deploy.yml']);
  // A second environment whose service has a name of its own (`shop-backend-staging`): the name
  // is deployed in production only, so the unnamed deploy is production's.
  const staged = await placed({ ...base, ...workflow(''), 'deploy_staging.sh': base['deploy_production.sh'].replace('acme-prod', 'acme-stg').replace('production', 'staging').replace('shop-backend', 'shop-backend-staging') });
  assert.deepEqual(staged.targets, [['shop@production', ['.github/workflows/deploy.yml', 'deploy_production.sh']], ['shop@staging', ['deploy_staging.sh']]]);
  assert.deepEqual(staged.unplaced, []);
  // A Knative manifest naming no environment joins only where the service has one environment.
  const manifest = { 'service.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: shop-backend\nspec:\n  template:\n    spec:\n      containers:\n        - image: europe-docker.pkg.dev/acme/shop/backend:latest\n' };
  const stagedManifest = await placed({ ...base, ...manifest, 'deploy_staging.sh': base['deploy_production.sh'].replace('acme-prod', 'acme-stg').replace('production', 'staging').replace('shop-backend', 'shop-backend-staging') });
  assert.deepEqual(stagedManifest.unplaced, ['service.yaml']);
  assert.deepEqual((await placed({ ...base, ...manifest })).targets, [['shop@production', ['deploy_production.sh', 'service.yaml']]]);
});

test('a deploy joined by its name, whose image is not known, runs what the service runs: the program another image starts is still not asked of it', async () => {
  const files = (tfImage: string) => ({
    'services/shop/requirements.txt': 'fastapi\n',
    'services/shop/app/__init__.py': '',
    'services/shop/app/api.py': 'import os\nDB = os.environ["SHOP_DB_URL"]\n',
    'services/shop/app/worker.py': 'import os\nTOKEN = os.environ["WORKER_TOKEN"]\n',
    'services/shop/Dockerfile.api': 'FROM python:3.12\nCOPY . .\nCMD ["uvicorn", "app.api:app"]\n',
    'services/shop/Dockerfile.worker': 'FROM python:3.12\nCOPY . .\nCMD ["python", "-m", "app.worker"]\n',
    'deploy_production.sh': [
      'docker build -f services/shop/Dockerfile.api -t europe-docker.pkg.dev/acme/apps/shop-api:1 services/shop',
      'gcloud run deploy shop-api --image europe-docker.pkg.dev/acme/apps/shop-api:1 --region europe-west1 --set-env-vars SHOP_DB_URL=postgres://db',
      '',
    ].join('\n'),
    'infra/main.tf': `resource "google_cloud_run_v2_service" "api" {\n  name     = "shop-api"\n  location = "europe-west1"\n  template {\n    containers {\n      image = ${tfImage}\n    }\n  }\n}\n`,
  });
  const { findings, ws } = await analyze(files('var.image'));
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'infra/main.tf'));
  assert.ok(t, 'the Terraform deploy joined the production target');
  const [script, terraform] = t!.deploys;
  assert.deepEqual([script.file, terraform.file], ['deploy_production.sh', 'infra/main.tf']);
  assert.ok(script.runs?.includes('app/api.py'));
  assert.deepEqual(terraform.runs, script.runs);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy' && /WORKER_TOKEN/.test(f.message)), []);
});

test('Kubernetes workloads of one code root are targets of their own, apart from its Cloud Run deploy', async () => {
  const workload = (name: string, env: string) => [
    'apiVersion: apps/v1', 'kind: Deployment', `metadata: { name: ${name}, namespace: shop-staging }`, 'spec:', '  template:', '    spec:', '      containers:',
    `        - name: main`, `          image: europe-docker.pkg.dev/acme/shop/${name}:1`, '          env:', `            - { name: ${env}, value: "1" }`,
  ].join('\n');
  const { ws, findings } = await analyze({
    ...API_CODE,
    'deploy/api-staging.sh': 'gcloud run deploy api-staging --source api --set-env-vars ENVIRONMENT=staging,API_A=1,API_B=2,API_C=3\n',
    'k8s/staging.yaml': `${workload('api-search', 'API_A')}\n---\n${workload('api-indexer', 'API_B')}\n`,
  });
  const keys = ws.model().targets.map((t) => t.key).sort();
  assert.ok(keys.includes('api@staging'), keys.join(', '));
  // Each workload is asked for what it lacks itself; the Cloud Run deploy's variables are not theirs.
  const unset = findings.filter((f) => f.rule === 'env-unset-for-deploy' && f.file === 'k8s/staging.yaml').map((f) => f.message.replace(/,.*/, ''));
  assert.ok(unset.some((m) => /^api-search \(staging\) is deployed without API_B/.test(m)), unset.join('\n'));
  assert.ok(unset.some((m) => /^api-indexer \(staging\) is deployed without API_A/.test(m)), unset.join('\n'));
  assert.ok(!findings.some((f) => f.rule === 'env-unset-for-deploy' && f.file === 'deploy/api-staging.sh'));
});

test('a name another deploy of the service mounts from Secret Manager may be among the secrets a deploy keeps, whatever its name says', async () => {
  const files = {
    ...API_CODE,
    'deploy/api-staging.sh': 'gcloud run deploy api-staging --source api --set-env-vars ENVIRONMENT=staging,API_A=1,API_B=2 --update-secrets API_TOKEN=api-token:latest\n',
    'deploy/api-production.sh': 'gcloud run deploy api-production --source api --set-env-vars ENVIRONMENT=production,API_A=1,API_B=2 --set-secrets API_C=api-c:latest\n',
  };
  const { ws, findings } = await analyze(files);
  const staging = ws.model().targets.find((t) => t.key === 'api@staging')!;
  assert.equal(isPartialFor(staging, 'API_C'), true);
  const f = findings.find((x) => x.rule === 'env-unset-for-deploy' && x.file === 'deploy/api-staging.sh' && x.message.includes('API_C'));
  assert.ok(f && f.severity !== 'error' && /may lack API_C/.test(f.message), f?.message);
  // Mounted by no deploy as a secret, the plain name is missing for certain.
  const { findings: plain } = await analyze({ ...files, 'deploy/api-production.sh': files['deploy/api-production.sh'].replace('--set-secrets API_C=api-c:latest', '') });
  assert.equal(plain.find((x) => x.rule === 'env-unset-for-deploy' && x.file === 'deploy/api-staging.sh' && x.message.includes('API_C'))?.severity, 'error');
});

test('a Kubernetes manifest kustomize builds may get any name from a base or a patch: nothing is said of what it lacks', async () => {
  const files = {
    ...API_CODE,
    'k8s/overlays/prod/deployment.yaml': ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: api, namespace: shop-production }', 'spec:', '  template:', '    spec:', '      containers:',
      '        - name: api', '          image: europe-docker.pkg.dev/acme/shop/api:1', '          env:', '            - { name: API_A, value: "1" }', ''].join('\n'),
  };
  const lacks = async (f: Record<string, string>) => (await analyze(f)).findings.filter((x) => x.rule === 'env-unset-for-deploy').map((x) => /without (\w+)/.exec(x.message)?.[1]).sort();
  assert.deepEqual(await lacks(files), ['API_B', 'API_C']);
  assert.deepEqual(await lacks({ ...files, 'k8s/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: deployment.yaml\n' }), []);
});

test('a word of the product\'s own name in a deployed name is no environment: english-qa-backend of english-qa-platform', async () => {
  const { Workspace } = await import('../../server/src/engine/workspace');
  const place = (root: string, service: string): string | undefined => {
    const ws = new Workspace(root);
    ws.setText('api/app.py', 'import os\nA = os.environ["API_A"]\n');
    ws.setText('api/requirements.txt', 'flask\n');
    ws.setText('deploy.sh', `gcloud run deploy ${service} --source api --set-env-vars API_A=1\n`);
    return ws.model().targets.find((t) => t.deploys.some((d) => d.file === 'deploy.sh'))?.environment;
  };
  assert.equal(place('/virtual/english-qa-platform', 'english-qa-backend'), 'default');
  // Controls: the same word beside no neighbour of the product's name, and another product.
  assert.equal(place('/virtual/english-qa-platform', 'english-qa-backend-qa'), 'qa');
  assert.equal(place('/virtual/shop', 'english-qa-backend'), 'qa');
  assert.equal(place('/virtual/shop-platform', 'shop-staging-api'), 'staging');
});
