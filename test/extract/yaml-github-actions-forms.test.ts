/**
 * GitHub Actions forms: `env:` at workflow, job and step level resolved into `${{ env.X }}` and
 * `$X`, matrix combinations (include/exclude) read one at a time, reusable workflows (the call is
 * a fact; the callee's input-dependent values are templates).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { type DeployFact } from '../../server/src/core/facts';
import { matrixCombinations } from '../../server/src/extract/github-matrix';
import { evaluateExpression } from '../../server/src/extract/github-expressions';
import { parseDocument } from 'yaml';
import { extractCleanYaml } from './yaml-facts';

before(ready);

const run = extractCleanYaml;

const value = (d: DeployFact, name: string) => {
  for (const b of d.blocks) for (const e of b.entries) if (e.name === name) return e.value.kind === 'literal' ? e.value.value : e.value.kind === 'secret' ? `secret:${e.value.secret}` : e.value.kind === 'dynamic' ? `dynamic:${e.value.text}` : e.value.kind;
  return undefined;
};

const ENV_LEVELS = `on: push
env:
  REGION: europe-west1
  SERVICE: api
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      SERVICE: api-staging
      PROJECT: acme-staging
    steps:
      - name: deploy
        env:
          TAG: v1
          PROJECT: \${{ vars.PROJECT }}
        run: |
          gcloud run deploy "$SERVICE" --region "\${{ env.REGION }}" --project "$PROJECT" \\
            --image "gcr.io/acme/api:$TAG" \\
            --set-env-vars "REGION=$REGION,DB_PASS=\${{ secrets.DB_PASS }},SHA=\${{ github.sha }}"
`;

test('env at workflow, job and step level: $X and ${{ env.X }} resolve; secrets, vars and github stay dynamic', () => {
  const facts = run('.github/workflows/deploy.yml', ENV_LEVELS);
  assert.equal(facts.deploys.length, 1);
  const d = facts.deploys[0];
  assert.equal(d.service?.value, 'api-staging', 'the job level overrides the workflow level');
  assert.equal(at(ENV_LEVELS, d.service?.span), '$SERVICE');
  assert.equal(d.region?.value, 'europe-west1');
  assert.equal(at(ENV_LEVELS, d.region?.span), '${{ env.REGION }}');
  assert.equal(d.project?.value, undefined, 'the step sets it from vars: dynamic');
  assert.equal(d.image?.value, 'gcr.io/acme/api:v1');
  assert.equal(value(d, 'REGION'), 'europe-west1');
  assert.equal(value(d, 'DB_PASS'), 'dynamic:${{ secrets.DB_PASS }}');
  assert.equal(value(d, 'SHA'), 'dynamic:${{ github.sha }}');
  assert.equal(d.instance, undefined);
});

const MATRIX = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: \${{ matrix.environment }}
    strategy:
      matrix:
        service: [api, worker]
        environment: [staging, production]
        exclude:
          - service: worker
            environment: staging
        include:
          - environment: staging
            project: acme-stg
          - environment: production
            project: acme-prod
    env:
      DIR: services/\${{ matrix.service }}
    steps:
      - run: |
          gcloud run deploy "\${{ matrix.service }}-\${{ matrix.environment }}" --source "$DIR" \\
            --project "\${{ matrix.project }}" --set-env-vars "APP_ENV=\${{ matrix.environment }}"
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: preview
          source: .
          env_vars: |
            FLAG=on
`;

const HINT_LEVELS = `on: workflow_dispatch
env:
  DEPLOY_ENV: staging
jobs:
  promote:
    runs-on: ubuntu-latest
    environment:
      name: production
      url: https://shop.example
    env:
      APP_ENV: staging
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: shop
          image: gcr.io/acme/shop:1
  smoke:
    runs-on: ubuntu-latest
    env:
      APP_ENV: staging
    steps:
      - env:
          APP_ENV: qa
        run: gcloud run deploy shop-smoke --image gcr.io/acme/shop:1
      - run: gcloud run deploy shop-canary --image gcr.io/acme/shop:1
`;

test('an env list held in a step env value with secrets in it: its names are read, the secrets\' values dynamic', () => {
  const text = [
    'on: push',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - name: Deploy',
    '        env:',
    '          ENV_VARS: "ENVIRONMENT=production,BUCKET=media,API_TOKEN=${{ secrets.API_TOKEN }}"',
    '          OTHER: ${{ secrets.WHOLE }}',
    '        run: |',
    '          gcloud run deploy api --image gcr.io/acme/api --update-env-vars "$ENV_VARS"',
    '          gcloud run deploy web --image gcr.io/acme/web --update-env-vars "$OTHER"',
  ].join('\n');
  const [api, web] = run('.github/workflows/deploy.yml', text).deploys;
  assert.deepEqual(api!.blocks.flatMap((b) => b.entries.map((e) => `${e.name}:${e.value.kind}`)), ['ENVIRONMENT:literal', 'BUCKET:literal', 'API_TOKEN:dynamic']);
  assert.equal(api!.opaque, undefined);
  // A value that is one secret says nothing of the names it holds.
  assert.deepEqual(web!.blocks.flatMap((b) => b.entries), []);
  assert.match(web!.opaque ?? '', /--update-env-vars/);
});

test('environment hints, strongest first: the job\'s GitHub environment, then step, job and workflow env', () => {
  const facts = run('.github/workflows/promote.yml', HINT_LEVELS);
  const hints = (name: string) => facts.deploys.find((d) => d.service?.value === name)!.environmentHints.map((h) => [h.evidence, at(HINT_LEVELS, h.span)]);
  // The GitHub environment outranks the staging-looking env of the job and the workflow.
  assert.deepEqual(hints('shop'), [['environment: production', 'production'], ['APP_ENV: staging', 'staging'], ['DEPLOY_ENV: staging', 'staging']]);
  // A step's own env is nearer than the job's; a sibling step does not see it.
  assert.deepEqual(hints('shop-smoke').slice(0, 2), [['APP_ENV: qa', 'qa'], ['APP_ENV: staging', 'staging']]);
  assert.deepEqual(hints('shop-canary').slice(0, 2), [['APP_ENV: staging', 'staging'], ['DEPLOY_ENV: staging', 'staging']]);
});

test('a matrix with exclude and include: one deploy per combination, spans at the shared step', () => {
  const facts = run('.github/workflows/matrix.yml', MATRIX);
  const main = facts.deploys.filter((d) => d.service?.value !== 'preview');
  assert.deepEqual(main.map((d) => [d.service?.value, d.source?.value, d.project?.value, value(d, 'APP_ENV'), d.instance?.of]), [
    ['api-staging', 'services/api', 'acme-stg', 'staging', 3],
    ['api-production', 'services/api', 'acme-prod', 'production', 3],
    ['worker-production', 'services/worker', 'acme-prod', 'production', 3],
  ]);
  const [first] = main;
  assert.equal(first.instance?.label, 'service=api, environment=staging, project=acme-stg');
  assert.equal(at(MATRIX, first.service?.span), '${{ matrix.service }}-${{ matrix.environment }}');
  assert.deepEqual(first.environmentHints.map((h) => [h.evidence, at(MATRIX, h.span)]), [
    ['environment: staging', '${{ matrix.environment }}'],
    ['APP_ENV=staging', '${{ matrix.environment }}'],
  ]);
  assert.ok(main.every((d) => d.span.start === first.span.start && d.span.end === first.span.end));
  // A matrix the deploy does not depend on (a test matrix) adds nothing.
  const preview = facts.deploys.filter((d) => d.service?.value === 'preview');
  assert.equal(preview.length, 1);
  assert.equal(preview[0].instance, undefined);
});

test('a matrix computed at run time leaves the deploy unresolved, with the reason', () => {
  const text = `on: push
jobs:
  fan:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: \${{ fromJSON(needs.plan.outputs.targets) }}
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: \${{ matrix.target }}
          source: .
`;
  const [d] = run('.github/workflows/fan.yml', text).deploys;
  assert.equal(d.service?.value, undefined);
  assert.equal(d.unresolved, 'matrix.target is computed at run time');
});

test('matrix expansion follows GitHub: include-only matrices, include adding to matching combinations, partial excludes', () => {
  const combos = (yaml: string) => matrixCombinations(yaml, parseDocument(yaml).contents).combinations;
  assert.deepEqual(combos('strategy:\n  matrix:\n    include:\n      - site: a\n      - site: b\n'), [{ site: 'a' }, { site: 'b' }]);
  assert.deepEqual(combos('strategy:\n  matrix:\n    os: [x, y]\n    include:\n      - os: x\n        extra: 1\n      - os: z\n'), [{ os: 'x', extra: '1' }, { os: 'y' }, { os: 'z' }]);
  assert.deepEqual(combos('strategy:\n  matrix:\n    a: [1, 2]\n    b: [3, 4]\n    exclude:\n      - a: 1\n'), [{ a: '2', b: '3' }, { a: '2', b: '4' }]);
  assert.equal(matrixCombinations('strategy:\n  matrix: ${{ fromJSON(x) }}\n', parseDocument('strategy:\n  matrix: ${{ fromJSON(x) }}\n').contents).unresolved?.startsWith('strategy.matrix is computed'), true);
});

test('expressions: paths, string literals and || only', () => {
  const scope = { values: { 'env.A': 'x', 'env.EMPTY': '', 'matrix.site.region': 'eu' }, closed: new Set(['matrix']) };
  assert.equal(evaluateExpression(' env.A ', scope), 'x');
  assert.equal(evaluateExpression("env.EMPTY || 'fallback'", scope), 'fallback');
  assert.equal(evaluateExpression("matrix['site'].region", scope), 'eu');
  assert.equal(evaluateExpression('matrix.missing', scope), '', 'a closed context: missing is empty');
  assert.equal(evaluateExpression('env.MISSING', scope), undefined, 'env may be set at run time ($GITHUB_ENV)');
  assert.equal(evaluateExpression('secrets.TOKEN', scope), undefined);
  assert.equal(evaluateExpression("format('{0}', env.A)", scope), undefined);
  assert.equal(evaluateExpression("env.A == 'x'", scope), undefined);
});

const CALLER = `on: push
jobs:
  deploy:
    strategy:
      matrix:
        service: [api, worker]
    uses: ./.github/workflows/deploy-one.yml
    with:
      service: \${{ matrix.service }}
      environment: staging
      token: \${{ secrets.TOKEN }}
  remote:
    uses: acme/shared/.github/workflows/deploy.yml@v1
    with:
      service: api
`;

test('a job calling a reusable workflow of the repository is recorded with its inputs', () => {
  const facts = run('.github/workflows/release.yml', CALLER);
  assert.deepEqual(facts.deploys, []);
  assert.deepEqual(facts.workflowCalls?.map((c) => [c.callee, c.job, c.inputs, c.label, at(CALLER, c.span)]), [
    ['./.github/workflows/deploy-one.yml', 'deploy', { service: 'api', environment: 'staging', token: undefined }, 'service=api', './.github/workflows/deploy-one.yml'],
    ['./.github/workflows/deploy-one.yml', 'deploy', { service: 'worker', environment: 'staging', token: undefined }, 'service=worker', './.github/workflows/deploy-one.yml'],
  ]);
});

const CALLEE = `on:
  workflow_call:
    inputs:
      service:
        type: string
        required: true
      environment:
        type: string
        default: staging
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: \${{ inputs.environment }}
    env:
      SVC: \${{ inputs.service }}
    steps:
      - run: gcloud run deploy "$SVC-\${{ inputs.environment }}" --source "services/$SVC" --set-env-vars "APP_ENV=\${{ inputs.environment }},PLAIN=1"
`;

test('a reusable workflow: values written from inputs are templates, the deploy unresolved until a caller fills them', () => {
  const facts = run('.github/workflows/deploy-one.yml', CALLEE);
  assert.deepEqual(facts.workflowInputs, { inputs: { service: {}, environment: { default: 'staging' } } });
  const [d] = facts.deploys;
  assert.equal(d.service?.value, undefined);
  assert.equal(d.service?.template, '${{ inputs.service }}-${{ inputs.environment }}');
  assert.equal(at(CALLEE, d.service?.span), '$SVC-${{ inputs.environment }}');
  assert.equal(d.source?.template, 'services/${{ inputs.service }}');
  assert.equal(value(d, 'APP_ENV'), 'dynamic:${{ inputs.environment }}');
  assert.equal(value(d, 'PLAIN'), '1');
  assert.deepEqual(d.environmentHints.map((h) => h.template), ['${{ inputs.environment }}', '${{ inputs.environment }}']);
  assert.match(d.unresolved ?? '', /depends on inputs service, environment/);
  // No marker survives anywhere in the facts.
  assert.ok(!JSON.stringify(facts).includes('\uE000'));
});

test('a run step\'s working-directory (the step\'s, else the job\'s or the workflow\'s defaults) is where a deploy\'s --source . starts', () => {
  const text = `on: push
defaults:
  run:
    working-directory: services
jobs:
  proxy:
    runs-on: ubuntu-latest
    env:
      SVC_DIR: services/api
    steps:
      - name: Deploy proxy
        working-directory: services/proxy
        run: |
          gcloud run deploy proxy --source . --region europe-west1 --set-env-vars A=1
      - name: Deploy api
        working-directory: \${{ env.SVC_DIR }}
        run: gcloud run deploy api --source ./src --region europe-west1
      - name: Deploy odd
        working-directory: \${{ github.workspace }}/odd
        run: gcloud run deploy odd --source . --region europe-west1
  worker:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: ./apps/worker/
    steps:
      - run: cd jobs && gcloud run deploy worker --source . --region europe-west1
  web:
    runs-on: ubuntu-latest
    steps:
      - run: gcloud run deploy web --source web --region europe-west1
`;
  const f = run('.github/workflows/deploy.yml', text);
  const source = (service: string) => f.deploys.find((d) => d.service?.value === service)?.source?.value;
  assert.equal(source('proxy'), 'services/proxy');
  assert.equal(source('api'), 'services/api/src');
  // An expression the workflow does not make static: the folder is unknown, the path stays as written.
  assert.equal(source('odd'), '.');
  assert.equal(source('worker'), 'apps/worker/jobs');
  // The workflow's default applies where the job gives none.
  assert.equal(source('web'), 'services/web');
});
