/** Step and job outputs of a workflow: the image a deploy names as `${{ needs.build.outputs.image }}`. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractCleanYaml } from './yaml-facts';

before(ready);

const wf = (build: string, deploy: string): string => `name: Deploy
on:
  push:
    branches: [main]
env:
  REGISTRY: us-central1-docker.pkg.dev
  PROJECT_ID: acme-prod
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      image_tag: \${{ steps.meta.outputs.tags }}
    steps:
      - uses: actions/checkout@v4
${build}
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
${deploy}
`;

const META = `      - name: Image name
        id: meta
        env:
          COMMIT_SHA: \${{ github.sha }}
        run: |
          SHORT_SHA=$(echo "$COMMIT_SHA" | cut -c1-7)
          IMAGE_TAG="\${REGISTRY}/\${PROJECT_ID}/docker/app:\${SHORT_SHA}"
          echo "tags=\${IMAGE_TAG}" >> $GITHUB_OUTPUT`;
const BUILD = `      - name: Build
        env:
          IMAGE_TAG: \${{ steps.meta.outputs.tags }}
        run: docker build -t "$IMAGE_TAG" .`;
const DEPLOY = `      - name: Deploy
        env:
          IMAGE_TAG: \${{ needs.build.outputs.image_tag }}
        run: |
          gcloud run deploy app --image "$IMAGE_TAG" --region us-central1`;

const IMAGE = 'us-central1-docker.pkg.dev/acme-prod/docker/app:$(echo "$COMMIT_SHA" | cut -c1-7)';

test('a job output holding a step output names the image the build job tags, in part', () => {
  const facts = extractCleanYaml('.github/workflows/deploy.yml', wf(`${META}\n${BUILD}`, DEPLOY));
  assert.equal(facts.deploys.length, 1);
  assert.equal(facts.deploys[0].image?.value, undefined, 'the tag is known only at run time');
  assert.equal(facts.deploys[0].image?.text, IMAGE);
  assert.equal(facts.builds.length, 1);
  const tags = [facts.builds[0].image, ...(facts.builds[0].otherTags ?? [])].map((t) => t?.text);
  assert.ok(tags.includes(IMAGE), `the build is tagged ${IMAGE}: ${tags.join(' | ')}`);
});

test('an expression written into the deploy command itself reads the same way', () => {
  const deploy = `      - run: gcloud run deploy app --image \${{ needs.build.outputs.image_tag }} --region us-central1`;
  const facts = extractCleanYaml('.github/workflows/deploy.yml', wf(META, deploy));
  assert.equal(facts.deploys[0].image?.text, IMAGE);
});

test('a deploy-cloudrun image input reads the output in part too', () => {
  const deploy = `      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: app
          image: \${{ needs.build.outputs.image_tag }}`;
  const facts = extractCleanYaml('.github/workflows/deploy.yml', wf(META, deploy));
  assert.equal(facts.deploys[0].image?.text, IMAGE);
});

test('jobs are read after the jobs they need, whatever the file order; facts keep file order', () => {
  const text = `on: push
jobs:
  deploy:
    needs: [build]
    runs-on: ubuntu-latest
    steps:
      - run: gcloud run deploy api --image "\${{ needs.build.outputs.image }}"
  build:
    runs-on: ubuntu-latest
    outputs:
      image: \${{ steps.name.outputs.image }}
    steps:
      - id: name
        run: echo "image=gcr.io/acme/api:latest" >> "$GITHUB_OUTPUT"
      - run: gcloud run deploy other --image gcr.io/acme/other
`;
  const facts = extractCleanYaml('.github/workflows/deploy.yml', text);
  assert.deepEqual(facts.deploys.map((d) => d.image?.value), ['gcr.io/acme/api:latest', 'gcr.io/acme/other']);
});

test('a static output is a value: it names the environment a later step deploys to', () => {
  const text = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - id: env
        run: |
          echo "name=staging" >> $GITHUB_OUTPUT
          echo "::set-output name=project::acme-staging"
      - run: gcloud run deploy "api-\${{ steps.env.outputs.name }}" --project "\${{ steps.env.outputs.project }}" --image gcr.io/acme/api
`;
  const facts = extractCleanYaml('.github/workflows/deploy.yml', text);
  assert.equal(facts.deploys[0].service?.value, 'api-staging');
  assert.equal(facts.deploys[0].project?.value, 'acme-staging');
});

test('an output written only on some runs, or twice differently, is not known', () => {
  const text = (script: string): string => `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - id: env
        run: |
${script.split('\n').map((l) => `          ${l}`).join('\n')}
      - run: gcloud run deploy "api-\${{ steps.env.outputs.name }}" --image gcr.io/acme/api
`;
  for (const script of [
    'if [ "$GITHUB_REF" = refs/heads/main ]; then\n  echo "name=prod" >> $GITHUB_OUTPUT\nfi',
    '[ -n "$X" ] && echo "name=prod" >> $GITHUB_OUTPUT',
    'echo "name=staging" >> $GITHUB_OUTPUT\necho "name=prod" >> $GITHUB_OUTPUT',
    'case "$REF" in\n  main) echo "name=prod" >> "$GITHUB_OUTPUT" ;;\nesac',
    // Written every run, but its value is the branch's.
    'if [ "$REF" = main ]; then\n  ENV=prod\nelse\n  ENV=staging\nfi\necho "name=$ENV" >> $GITHUB_OUTPUT',
  ]) {
    const facts = extractCleanYaml('.github/workflows/deploy.yml', text(script));
    assert.equal(facts.deploys[0].service?.value, undefined, script);
  }
  // The same value written twice (`{ …; }` grouping included) is known.
  const same = extractCleanYaml('.github/workflows/deploy.yml', text('{ echo "name=dev"; } >> "$GITHUB_OUTPUT"\necho "name=dev" >> $GITHUB_OUTPUT'));
  assert.equal(same.deploys[0].service?.value, 'api-dev');
});

test("docker/metadata-action's tags name its first image under a tag of its making", () => {
  const text = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      tags: \${{ steps.meta.outputs.tags }}
    steps:
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: |
            europe-docker.pkg.dev/acme/apps/web
            ghcr.io/acme/web
      - run: docker build -t "\${{ steps.meta.outputs.tags }}" web
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: gcloud run deploy web --image "\${{ needs.build.outputs.tags }}"
`;
  const facts = extractCleanYaml('.github/workflows/deploy.yml', text);
  assert.equal(facts.deploys[0].image?.text, 'europe-docker.pkg.dev/acme/apps/web:${{ steps.meta.outputs.version }}');
  assert.equal(facts.builds[0].image?.text, 'europe-docker.pkg.dev/acme/apps/web:${{ steps.meta.outputs.version }}');
});

test("a job's outputs are another job's only where it needs that job, and not a matrix job's", () => {
  const text = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      image: \${{ steps.n.outputs.image }}
    steps:
      - id: n
        run: echo "image=gcr.io/acme/api" >> $GITHUB_OUTPUT
  fan:
    strategy:
      matrix:
        svc: [a, b]
    runs-on: ubuntu-latest
    outputs:
      image: \${{ steps.n.outputs.image }}
    steps:
      - id: n
        run: echo "image=gcr.io/acme/\${{ matrix.svc }}" >> $GITHUB_OUTPUT
  deploy:
    needs: fan
    runs-on: ubuntu-latest
    steps:
      - run: gcloud run deploy api --image "\${{ needs.build.outputs.image }}"
      - run: gcloud run deploy fan --image "\${{ needs.fan.outputs.image }}"
`;
  const facts = extractCleanYaml('.github/workflows/deploy.yml', text);
  assert.deepEqual(facts.deploys.map((d) => d.image?.value), [undefined, undefined]);
  assert.deepEqual(facts.deploys.map((d) => d.image?.text), ['${{ needs.build.outputs.image }}', '${{ needs.fan.outputs.image }}']);
});
