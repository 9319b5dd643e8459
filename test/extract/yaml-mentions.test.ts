/**
 * YAML files a command names (`FileFacts.yamlMentions`): what the model needs to tell a Cloud Run
 * manifest something applies from one nothing does. Each form a real repository used, and words
 * that only look like one.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import { yamlPathOf } from '../../server/src/extract/yaml-mentions';

before(ready);

test('a word names a YAML path by its literal tail', () => {
  assert.equal(yamlPathOf('service.yaml'), 'service.yaml');
  assert.equal(yamlPathOf('"${ROOT_DIR}/deploy/cloudrun/service.yaml"'), 'deploy/cloudrun/service.yaml');
  assert.equal(yamlPathOf('$DIR/api.yml'), 'api.yml');
  assert.equal(yamlPathOf('./gcp/cloud-run-api.yaml'), 'gcp/cloud-run-api.yaml');
  assert.equal(yamlPathOf('--file=deploy/svc.yaml'), 'deploy/svc.yaml');
  assert.equal(yamlPathOf("'/workspace/rendered/api.yaml'"), 'workspace/rendered/api.yaml');
  // Not a YAML path: another extension, a glob, a bare variable, prose.
  assert.equal(yamlPathOf('service.json'), undefined);
  assert.equal(yamlPathOf('deploy/*.yaml'), undefined);
  assert.equal(yamlPathOf('$MANIFEST'), undefined);
  assert.equal(yamlPathOf('"apply the service.yaml file"'), undefined);
});

test('shell scripts, Makefile recipes, Cloud Build args, workflow steps and deploy-cloudrun name the files they apply', () => {
  const sh = extractFile('scripts/deploy.sh', '#!/bin/bash\nset -e\nsed "s#IMAGE_URL#$TAG#" cloudrun.yaml > /tmp/cr.yaml\ngcloud run services replace /tmp/cr.yaml\nenvsubst < "${ROOT}/deploy/worker.yaml" | kubectl apply -f -\n');
  assert.deepEqual(sh.yamlMentions, ['cloudrun.yaml', 'tmp/cr.yaml', 'deploy/worker.yaml']);
  const make = extractFile('Makefile', 'deploy:\n\tgcloud run services replace deploy/api.yaml --region $(REGION)\n');
  assert.deepEqual(make.yamlMentions, ['deploy/api.yaml']);
  const cb = extractFile('cloudbuild.yaml', "steps:\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args: ['run', 'services', 'replace', 'cloud-run.yaml', '--region', 'us-central1']\n");
  assert.deepEqual(cb.yamlMentions, ['cloud-run.yaml']);
  const cbBash = extractFile('cloudbuild.yaml', "steps:\n  - name: ubuntu\n    entrypoint: bash\n    args: ['-c', 'sed -e s/X/Y/ gcp/api.yaml > /workspace/api.yaml']\n");
  assert.ok(cbBash.yamlMentions?.includes('gcp/api.yaml'), JSON.stringify(cbBash.yamlMentions));
  const gha = extractFile('.github/workflows/deploy.yml', 'on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: envsubst < cloudrun.yaml > out.yaml\n      - uses: google-github-actions/deploy-cloudrun@v2\n        with:\n          metadata: ./deploy/web.yaml\n');
  assert.deepEqual([...(gha.yamlMentions ?? [])].sort(), ['cloudrun.yaml', 'deploy/web.yaml', 'out.yaml']);
});

test('a manifest named through a variable the script assigns: its value is the mention; one it does not, none', () => {
  const sh = extractFile('backend/deploy-yaml.sh', '#!/bin/bash\nYAML_FILE="cloudrun-service.yaml"\nif [ ! -f "${YAML_FILE}" ]; then exit 1; fi\ngcloud run services replace "${YAML_FILE}" --region="${REGION}"\n');
  assert.deepEqual(sh.yamlMentions, ['cloudrun-service.yaml']);
  const bare = extractFile('deploy.sh', '#!/bin/bash\nMANIFEST=deploy/api.yaml\ngcloud run services replace $MANIFEST\n');
  assert.deepEqual(bare.yamlMentions, ['deploy/api.yaml']);
  const unseen = extractFile('deploy.sh', '#!/bin/bash\ngcloud run services replace "$1" # a .yaml given by the caller\n');
  assert.equal(unseen.yamlMentions, undefined);
});

test('text that only talks about a file is no mention: echo in prose, a comment, a Markdown file', () => {
  const sh = extractFile('scripts/notes.sh', '#!/bin/bash\n# gcloud run services replace service.yaml\necho "remember to edit the manifest"\n');
  assert.equal(sh.yamlMentions, undefined);
  const md = extractFile('README.md', 'Deploy with `gcloud run services replace service.yaml`.\n');
  assert.equal(md.yamlMentions, undefined);
});

test('a Knative manifest keeps the comment that says how it is applied', () => {
  const body = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/acme/api\n';
  const noted = extractFile('service.yaml', '# Deploy with: gcloud run services replace service.yaml\n' + body);
  assert.deepEqual(noted.deploys[0]?.applyNote, { start: 0, end: 55 });
  const plain = extractFile('service.yaml', '# The API service\n' + body);
  assert.equal(plain.deploys[0]?.applyNote, undefined);
});
