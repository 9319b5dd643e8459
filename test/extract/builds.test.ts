import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';

before(ready);

test('shell: docker build with -f, -t and a context; buildx; gcloud builds submit --tag; a deploy is not a build', () => {
  const text = [
    'IMAGE="europe-docker.pkg.dev/acme/apps/ledger:$SHA"',
    'docker build -f ops/images/ledger.Dockerfile -t "$IMAGE" .',
    'docker buildx build --platform linux/amd64 --tag=europe-docker.pkg.dev/acme/apps/portal ./portal',
    'gcloud builds submit services/notify --tag europe-docker.pkg.dev/acme/apps/notify',
    'gcloud builds submit --config cloudbuild.yaml .',
    'gcloud run deploy ledger-staging --image "$IMAGE"',
    '',
  ].join('\n');
  const f = extractFile('ops/release.sh', text);
  assert.deepEqual(f.builds.map((b) => [b.image?.text, b.dockerfile?.value, b.context?.value]), [
    ['$IMAGE', 'ops/images/ledger.Dockerfile', '.'],
    ['europe-docker.pkg.dev/acme/apps/portal', undefined, './portal'],
    ['europe-docker.pkg.dev/acme/apps/notify', undefined, 'services/notify'],
  ]);
  assert.equal(at(text, f.builds[0].dockerfile?.span), 'ops/images/ledger.Dockerfile');
  assert.equal(f.deploys.length, 1);
});

test('Cloud Build: a docker builder step and a kaniko step are builds, with substitutions resolved', () => {
  const text = [
    'substitutions:',
    '  _REPO: apps',
    'steps:',
    '  - name: gcr.io/cloud-builders/docker',
    "    args: ['build', '-t', 'us-docker.pkg.dev/$PROJECT_ID/${_REPO}/ledger', '-f', 'ops/images/ledger.Dockerfile', '.']",
    '  - name: gcr.io/kaniko-project/executor:latest',
    '    args: ["--dockerfile=portal/Dockerfile", "--context=dir://portal", "--destination=us-docker.pkg.dev/$PROJECT_ID/apps/portal"]',
    '  - name: gcr.io/cloud-builders/gcloud',
    "    args: ['run', 'deploy', 'ledger-staging', '--image', 'us-docker.pkg.dev/$PROJECT_ID/${_REPO}/ledger']",
    '',
  ].join('\n');
  const f = extractFile('cloudbuild.yaml', text);
  assert.deepEqual(f.builds.map((b) => [b.image?.text, b.dockerfile?.value, b.context?.value]), [
    // `_REPO` is this file's; `PROJECT_ID` is the build's own, known only when it runs.
    ['us-docker.pkg.dev/$PROJECT_ID/apps/ledger', 'ops/images/ledger.Dockerfile', '.'],
    ['us-docker.pkg.dev/$PROJECT_ID/apps/portal', 'portal/Dockerfile', 'portal'],
  ]);
  assert.equal(f.deploys.length, 1);
});

test('Cloud Build: a step\'s `dir:` is where its paths start (a build\'s context and -f, a deploy\'s --source; a shell step\'s own cd after it)', () => {
  const text = [
    'steps:',
    '  - name: gcr.io/cloud-builders/docker',
    '    dir: frontend',
    "    args: ['build', '-f', 'Dockerfile.cloudrun', '-t', 'gcr.io/$PROJECT_ID/web', '.']",
    '  - name: gcr.io/cloud-builders/docker',
    "    dir: 'services/api'",
    "    args: ['build', '-t', 'gcr.io/$PROJECT_ID/api']",
    '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
    '    dir: backend',
    '    entrypoint: gcloud',
    "    args: ['run', 'deploy', 'api', '--source', '.', '--region', 'europe-west1']",
    '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
    '    dir: jobs',
    '    entrypoint: bash',
    "    args: ['-c', 'cd sync && docker build -t gcr.io/$PROJECT_ID/sync .']",
    '  - name: gcr.io/cloud-builders/docker',
    '    dir: $_APP_DIR',
    "    args: ['build', '-t', 'gcr.io/$PROJECT_ID/other', '.']",
    '',
  ].join('\n');
  const f = extractFile('cloudbuild.yaml', text);
  assert.deepEqual(f.builds.map((b) => [b.image?.text, b.dockerfile?.value, b.context?.value]), [
    ['gcr.io/$PROJECT_ID/web', 'frontend/Dockerfile.cloudrun', 'frontend'],
    ['gcr.io/$PROJECT_ID/api', undefined, 'services/api'],
    ['gcr.io/$PROJECT_ID/sync', undefined, 'jobs/sync'],
    // A folder from a substitution is not known: the paths stay as written.
    ['gcr.io/$PROJECT_ID/other', undefined, '.'],
  ]);
  assert.deepEqual(f.deploys.map((d) => d.source?.value), ['backend']);
});

test('Cloud Build: an image with a substitution this file does not define keeps it, and takes the file\'s values for the others', () => {
  const text = [
    'steps:',
    '  - name: gcr.io/cloud-builders/docker',
    "    args: ['build', '-t', 'gcr.io/$_REGISTRY/$_IMAGE_NAME:$_TAG', '.']",
    '  - name: gcr.io/cloud-builders/gcloud',
    "    args: ['run', 'deploy', '$_SERVICE_NAME', '--image', 'gcr.io/$_REGISTRY/$_IMAGE_NAME:$_TAG', '--project', '$_PROJECT']",
    'substitutions:',
    '  _IMAGE_NAME: system-api',
    '  _SERVICE_NAME: system-api',
    '',
  ].join('\n');
  const f = extractFile('services/system/cloudbuild.yaml', text);
  assert.deepEqual([f.builds[0].image?.value, f.builds[0].image?.text], [undefined, 'gcr.io/$_REGISTRY/system-api:$_TAG']);
  assert.deepEqual([f.deploys[0].image?.value, f.deploys[0].image?.text], [undefined, 'gcr.io/$_REGISTRY/system-api:$_TAG']);
  // Only images: a project or service name that stays unresolved keeps its text as written.
  assert.equal(f.deploys[0].project?.text, '$_PROJECT');
  assert.equal(f.deploys[0].service?.value, 'system-api');
});

test('GitHub Actions: docker/build-push-action and docker build in a run block', () => {
  const text = [
    'on: push',
    'jobs:',
    '  ship:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          context: ./services/ledger',
    '          file: ./services/ledger/Dockerfile.prod',
    '          tags: |',
    '            ghcr.io/acme/ledger:latest',
    '            ghcr.io/acme/ledger:${{ github.sha }}',
    '      - run: docker build -t ghcr.io/acme/portal portal',
    '',
  ].join('\n');
  const f = extractFile('.github/workflows/ship.yml', text);
  assert.deepEqual(f.builds.map((b) => [b.image?.value, b.dockerfile?.value, b.context?.value]), [
    ['ghcr.io/acme/ledger:latest', './services/ledger/Dockerfile.prod', './services/ledger'],
    ['ghcr.io/acme/portal', undefined, 'portal'],
  ]);
});

test('GitHub Actions: build-push-action passes the names of its build-args lines, none without the input', () => {
  const step = (args: string): string => ['on: push', 'jobs:', '  ship:', '    runs-on: ubuntu-latest', '    steps:',
    '      - uses: docker/build-push-action@v6', '        with:', '          context: ./web', '          tags: ghcr.io/acme/web:latest', args, ''].join('\n');
  const names = (args: string) => extractFile('.github/workflows/ship.yml', step(args)).builds.map((b) => b.buildArgs);
  assert.deepEqual(names(['          build-args: |', '            NEXT_PUBLIC_API_URL=${{ vars.API_URL }}', '            # the release', '            SENTRY_RELEASE=${{ github.sha }}'].join('\n')),
    [{ names: ['NEXT_PUBLIC_API_URL', 'SENTRY_RELEASE'] }]);
  assert.deepEqual(names(''), [{ names: [] }]);
  // A line that is no NAME=value (an expression holding several): what it passes is not known.
  assert.deepEqual(names('          build-args: ${{ steps.args.outputs.all }}'), [{ names: [], dynamic: true }]);
});

test('compose: build.dockerfile is the deploy\'s Dockerfile', () => {
  const f = extractFile('docker-compose.yml', 'services:\n  ledger:\n    build:\n      context: .\n      dockerfile: ops/images/ledger.Dockerfile\n    environment:\n      A: "1"\n');
  assert.equal(f.deploys[0]?.dockerfile?.value, 'ops/images/ledger.Dockerfile');
  assert.equal(f.deploys[0]?.source?.value, '.');
});

test('build arguments: names passed with --build-arg (shell, Cloud Build), none for builds submit --tag, unknown when unreadable or kaniko', () => {
  const sh = extractFile('ops/release.sh', [
    'docker build --build-arg VITE_API_URL="$API" --build-arg=NODE_ENV=production --build-arg SENTRY_RELEASE -t europe-docker.pkg.dev/acme/apps/web web',
    'docker build --build-arg "$EXTRA_ARGS" -t europe-docker.pkg.dev/acme/apps/admin admin',
    'gcloud builds submit web --tag europe-docker.pkg.dev/acme/apps/web2',
    '',
  ].join('\n'));
  assert.deepEqual(sh.builds.map((b) => b.buildArgs), [
    { names: ['VITE_API_URL', 'NODE_ENV', 'SENTRY_RELEASE'] },
    { names: [], dynamic: true },
    { names: [] },
  ]);
  const cb = extractFile('cloudbuild.yaml', [
    'steps:',
    '  - name: gcr.io/cloud-builders/docker',
    "    args: ['build', '--build-arg', 'VITE_API_URL=$_API_URL', '-t', 'us-docker.pkg.dev/$PROJECT_ID/apps/web', 'web']",
    '  - name: gcr.io/kaniko-project/executor:latest',
    '    args: ["--dockerfile=admin/Dockerfile", "--build-arg=X=1", "--destination=us-docker.pkg.dev/$PROJECT_ID/apps/admin"]',
    '',
  ].join('\n'));
  assert.deepEqual(cb.builds.map((b) => b.buildArgs), [{ names: ['VITE_API_URL'] }, undefined]);
});

test('shell: gcloud builds submit running a Cloud Build file records the file and the substitutions it passes', () => {
  const text = [
    'gcloud builds submit --config deploy/cloudbuild-api.yaml --substitutions _API_KEY="$API_KEY",_REGION=europe-west1 .',
    'gcloud builds submit --config=deploy/cloudbuild-web.yaml --substitutions="^;^_A=1;_B=x,y"',
    'gcloud builds submit services/worker',
    'gcloud builds submit --config cloudbuild.yaml --substitutions "$SUBS"',
    '(cd infra && gcloud builds submit --config cloudbuild.prod.yaml)',
    'gcloud builds submit --tag europe-docker.pkg.dev/acme/apps/notify',
    '',
  ].join('\n');
  const f = extractFile('ops/release.sh', text);
  assert.deepEqual((f.buildConfigRuns ?? []).map((r) => [r.config.value, r.substitutions, !!r.dynamic]), [
    ['deploy/cloudbuild-api.yaml', ['_API_KEY', '_REGION'], false],
    ['deploy/cloudbuild-web.yaml', ['_A', '_B'], false],
    ['services/worker/cloudbuild.yaml', [], false],
    ['cloudbuild.yaml', [], true],
    ['infra/cloudbuild.prod.yaml', [], false],
  ]);
  assert.equal(at(text, f.buildConfigRuns![0].config.span), 'deploy/cloudbuild-api.yaml');
  // `--tag` builds an image: a build, not a Cloud Build file run.
  assert.deepEqual(f.builds.map((b) => b.image?.value), ['europe-docker.pkg.dev/acme/apps/notify']);
});

test('Cloud Build: builders named by substitutions the trigger sets are known by their arguments', () => {
  const text = `steps:
  - id: build
    name: "\${_DOCKER_IMAGE}"
    args: [build, --file, Dockerfile, --tag, "\${_IMAGE}:\${SHORT_SHA}", --network, cloudbuild, .]
  - id: test
    name: "\${_NODE_IMAGE}"
    args: [test]
  - id: deploy
    name: "\${_CLOUD_SDK_IMAGE}"
    args: [run, deploy, "\${_SERVICE_NAME}", "--image=\${_IMAGE}:\${SHORT_SHA}", --set-env-vars=MODE=prod]
`;
  const f = extractFile('deploy_prod.yml', text);
  assert.equal(f.builds.length, 1, 'the docker build, not the test step');
  assert.deepEqual([f.builds[0].image?.text, f.builds[0].dockerfile?.value, f.builds[0].context?.value], ['${_IMAGE}:${SHORT_SHA}', 'Dockerfile', '.']);
  assert.equal(f.deploys.length, 1);
  assert.equal(f.deploys[0].image?.text, '${_IMAGE}:${SHORT_SHA}');
  assert.deepEqual(f.deploys[0].blocks[0].entries.map((e) => e.name), ['MODE']);
  // A builder the file names through its own substitutions is that builder.
  const own = `${text.replace('"${_CLOUD_SDK_IMAGE}"', '"${_NODE_IMAGE}"')}substitutions:\n  _DOCKER_IMAGE: node:20\n  _NODE_IMAGE: node:20\n`;
  const g = extractFile('deploy_prod.yml', own);
  assert.equal(g.builds.length, 0, 'node:20 builds no image');
  assert.equal(g.deploys.length, 0, 'node:20 runs no gcloud');
});

test('a tag held in a variable the script sets in part is also read as the script fills it in, the unknown parts as written', () => {
  const workflow = [
    'on: push',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: |',
    '          IMAGE=gcr.io/${{ secrets.GCP_PROJECT }}/ledger',
    '          docker build -f Dockerfile -t ${IMAGE}:${GITHUB_SHA} -t $IMAGE:latest .',
    '',
  ].join('\n');
  const f = extractFile('.github/workflows/deploy.yml', workflow);
  assert.deepEqual(f.builds.map((b) => [b.image?.text, ...(b.otherTags ?? []).map((t) => t.text)]), [
    ['${IMAGE}:${GITHUB_SHA}', '$IMAGE:latest', 'gcr.io/${{ secrets.GCP_PROJECT }}/ledger:${GITHUB_SHA}', 'gcr.io/${{ secrets.GCP_PROJECT }}/ledger:latest'],
  ]);
  // A tag the script knows whole needs nothing more; one it cannot fill in at all adds nothing.
  const g = extractFile('release.sh', 'docker build -t europe-docker.pkg.dev/acme/apps/ledger:1 .\ndocker build -t "$1" .\n');
  assert.deepEqual(g.builds.map((b) => b.otherTags), [undefined, undefined]);
});
