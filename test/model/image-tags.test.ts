/**
 * A build's every tag names its image (`tags:` of docker/build-push-action, `docker build -t A -t
 * B`): a deploy of any of them ships that build's code, and a workflow expression
 * (`${{ steps.vars.outputs.image_latest }}`) matches only within its own workflow. Minimal original
 * reproduction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Files } from '../rule-harness';

const CODE: Files = {
  'package.json': '{ "name": "relay" }\n',
  'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
  'server.js': 'const key = process.env.RELAY_KEY;\nkey.trim();\n',
};

const workflow = (deployImage: string): string => [
  'on: { push: { branches: [main] } }',
  'jobs:',
  '  ship:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - id: vars',
  '        run: echo "image_latest=europe-docker.pkg.dev/p/r/relay:latest" >> "$GITHUB_OUTPUT"',
  '      - uses: docker/build-push-action@v5',
  '        with:',
  '          context: .',
  '          tags: |',
  '            ${{ steps.vars.outputs.image_versioned }}',
  '            ${{ steps.vars.outputs.image_latest }}',
  '      - run: |',
  `          gcloud run deploy relay --image "${deployImage}" --region europe-west1 --set-env-vars LOG_LEVEL=info`,
  '',
].join('\n');

const unset = async (files: Files): Promise<string[]> =>
  (await analyze(files)).findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message);

test('a deploy of the build\'s second tag ships its code', async () => {
  const files = { ...CODE, '.github/workflows/ship.yml': workflow('${{ steps.vars.outputs.image_latest }}') };
  assert.deepEqual(await unset(files), ['workspace (default) is deployed without RELAY_KEY, which server.js reads']);
});

test('docker build -t A -t B: a deploy of B ships the build', async () => {
  const script = [
    '#!/usr/bin/env bash',
    'docker build -t europe-docker.pkg.dev/p/r/relay:sha -t europe-docker.pkg.dev/p/r/relay-edge:latest .',
    'gcloud run deploy relay --image europe-docker.pkg.dev/p/r/relay-edge:latest --set-env-vars LOG_LEVEL=info',
    '',
  ].join('\n');
  const { ws } = await analyze({ ...CODE, 'release.sh': script });
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'release.sh'));
  assert.equal(t?.service?.name, 'workspace');
  assert.match(t!.deploys[0].evidence[0], /^image built by release\.sh/);
});

test('a workflow expression names an image only within its own workflow', async () => {
  const other = workflow('${{ steps.vars.outputs.image_latest }}').replace(/      - uses: docker\/build-push-action@v5\n(?:.*\n){5}/, '');
  const { ws } = await analyze({ ...CODE, 'sub/package.json': '{ "name": "sub" }\n', 'sub/index.js': 'export {};\n', '.github/workflows/ship.yml': workflow('x'), '.github/workflows/other.yml': other });
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === '.github/workflows/other.yml'));
  assert.ok(!t?.deploys[0].evidence[0].startsWith('image built by .github/workflows/ship.yml'), t?.deploys[0].evidence.join('; '));
});

test('a deploy whose image is a variable of the workflow\'s env (`--image $IMAGE`, `IMAGE: …/relay-api:${{ github.ref_name }}`) runs the build step tagging that image: a stage copying only src/ ships no Modal app beside it', async () => {
  const files = (image: string): Files => ({
    'pyproject.toml': '[project]\nname = "relay"\n',
    'Dockerfile': 'FROM python:3.12-slim AS base\nWORKDIR /app\nFROM base AS api\nCOPY src/ ./src/\nCMD ["uvicorn", "relay.api:app"]\n',
    'src/relay/__init__.py': '',
    'src/relay/api.py': 'import os\nREGION = os.environ["RELAY_QUEUE_REGION"]\n',
    'deploy/modal_app.py': 'import os\nimport modal\napp = modal.App("relay")\nTOKEN = os.environ["MODAL_TOKEN"]\n',
    '.github/workflows/deploy.yml': [
      'on: { push: { tags: ["v*"] } }',
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    env:',
      '      REGION: europe-west1',
      '      SERVICE: relay-api',
      '    steps:',
      '      - run: echo "PROJECT_ID=$(gcloud config get-value project)" >> $GITHUB_ENV',
      '      - uses: docker/build-push-action@v5',
      '        with:',
      '          context: .',
      '          file: ./Dockerfile',
      '          target: api',
      '          tags: ${{ env.REGION }}-docker.pkg.dev/${{ env.PROJECT_ID }}/relay/relay-api:${{ github.ref_name }}',
      '      - env:',
      `          IMAGE: ${image}`,
      '        run: |',
      '          gcloud run deploy ${SERVICE} --image $IMAGE --region ${REGION} --set-env-vars LOG_LEVEL=info',
      '',
    ].join('\n'),
  });
  const shipped = await unset(files('${{ env.REGION }}-docker.pkg.dev/${{ env.PROJECT_ID }}/relay/relay-api:${{ github.ref_name }}'));
  // The service is named for the workspace (the harness's folder is `workspace`), not for the
  // `src` folder the image copies.
  assert.deepEqual(shipped, ['workspace (default) is deployed without RELAY_QUEUE_REGION, which src/relay/api.py reads']);
  // Another image's name: the build is not this deploy's, and every module of the service counts.
  const other = await unset(files('${{ env.REGION }}-docker.pkg.dev/${{ env.PROJECT_ID }}/relay/relay-worker:${{ github.ref_name }}'));
  assert.ok(other.some((m) => m.includes('MODAL_TOKEN')), other.join('\n'));
});

test('a tag naming the image through a secret and a workflow variable: the deploy of that image, written the same way, ships the build', async () => {
  const ship = (context: string): string => [
    'on: { push: { branches: [main] } }',
    'env:',
    '  SERVICE: relay',
    'jobs:',
    '  ship:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: docker/build-push-action@v5',
    '        with:',
    `          context: ${context}`,
    '          tags: |',
    '            gcr.io/${{ secrets.GCP_PROJECT }}/${{ env.SERVICE }}:latest',
    '            gcr.io/${{ secrets.GCP_PROJECT }}/${{ env.SERVICE }}:${{ github.sha }}',
    '      - run: |',
    '          gcloud run deploy ${{ env.SERVICE }} --image gcr.io/${{ secrets.GCP_PROJECT }}/${{ env.SERVICE }}:${{ github.sha }} --region europe-west1 --set-env-vars LOG_LEVEL=info',
    '',
  ].join('\n');
  const files = { 'relay/package.json': '{ "name": "relay" }\n', 'relay/Dockerfile': CODE['Dockerfile']!, 'relay/server.js': CODE['server.js']!, 'tools/package.json': '{ "name": "tools" }\n', 'tools/index.js': 'export {};\n' };
  const { ws } = await analyze({ ...files, '.github/workflows/ship.yml': ship('./relay') });
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === '.github/workflows/ship.yml'));
  assert.match(t!.deploys[0].evidence[0], /^image built by \.github\/workflows\/ship\.yml/);
  // Control: a build of another folder is another image's.
  const { ws: other } = await analyze({ ...files, '.github/workflows/ship.yml': ship('./tools').replace(/\$\{\{ env\.SERVICE \}\}:latest/, 'tools:latest').replace(/\$\{\{ env\.SERVICE \}\}:\$\{\{ github\.sha \}\}\n/, 'tools:${{ github.sha }}\n') });
  const u = other.model().targets.find((x) => x.deploys.some((d) => d.file === '.github/workflows/ship.yml'));
  assert.doesNotMatch(u?.deploys[0]?.evidence[0] ?? '', /^image built by/);
});
