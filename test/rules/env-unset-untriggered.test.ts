/**
 * env-unset-for-deploy and Cloud Build triggers: a workspace whose Terraform declares its Cloud
 * Build triggers (`google_cloudbuild_trigger` with `filename`) says which configs run; a config
 * none of them names and nothing here submits is a leftover or run by hand, so what its deploys
 * lack is information (model/build-triggers.ts).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { findingsOf, type Files } from '../rule-harness';
import { extractFile } from '../../server/src/extract/index';

before(ready);

const API: Files = {
  'apps/api/package.json': '{ "name": "api", "scripts": { "start": "node src/index.js" } }\n',
  'apps/api/src/index.js': 'const origin = process.env.ALLOWED_ORIGIN;\nif (!origin) throw new Error("ALLOWED_ORIGIN is required");\nmodule.exports = origin;\n',
  'apps/api/cloudbuild.yaml': [
    'steps:',
    '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
    '    entrypoint: gcloud',
    '    args: ["run", "deploy", "api", "--source", "apps/api", "--region", "us-central1", "--project", "acme-prod", "--set-env-vars", "NODE_ENV=production"]',
    '',
  ].join('\n'),
  'apps/job/cloudbuild.yaml': 'steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ["build", "-t", "gcr.io/acme-prod/job", "apps/job"]\n',
};

const trigger = (filename: string): Files => ({
  'infra/build.tf': `resource "google_cloudbuild_trigger" "job" {\n  name     = "job"\n  filename = ${filename}\n  github {\n    owner = "acme"\n    name  = "app"\n    push {\n      branch = "^main$"\n    }\n  }\n}\n`,
});

test('the Terraform extractor records the config each Cloud Build trigger runs, or that it is not known', () => {
  assert.deepEqual(extractFile('infra/build.tf', trigger('"apps/job/cloudbuild.yaml"')['infra/build.tf']).buildTriggerFiles, ['apps/job/cloudbuild.yaml']);
  assert.deepEqual(extractFile('infra/build.tf', trigger('var.config')['infra/build.tf']).buildTriggerFiles, ['']);
});

test('a deploy in a Cloud Build config no declared trigger runs: information that says so', async () => {
  const f = await findingsOf('env-unset-for-deploy', { ...API, ...trigger('"apps/job/cloudbuild.yaml"') });
  assert.deepEqual(f.map((x) => [x.severity, x.messageId]), [['info', 'deployWithoutUntriggered']]);
  assert.match(f[0]!.message, /^api \(production\) is deployed without ALLOWED_ORIGIN, which apps\/api\/src\/index\.js reads, by apps\/api\/cloudbuild\.yaml, which no trigger or script here runs$/);
});

test('look-alikes: a trigger naming the config, a trigger whose config is computed, no trigger declared, a script submitting it', async () => {
  const error = (files: Files) => findingsOf('env-unset-for-deploy', files).then((f) => f.map((x) => [x.severity, x.messageId]));
  const expected = [['error', 'deployWithout']];
  assert.deepEqual(await error({ ...API, ...trigger('"apps/api/cloudbuild.yaml"') }), expected);
  assert.deepEqual(await error({ ...API, ...trigger('var.config') }), expected);
  assert.deepEqual(await error(API), expected);
  assert.deepEqual(await error({ ...API, ...trigger('"apps/job/cloudbuild.yaml"'), 'scripts/release.sh': '#!/usr/bin/env bash\ngcloud builds submit --config apps/api/cloudbuild.yaml .\n' }), expected);
});
