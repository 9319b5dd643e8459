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
