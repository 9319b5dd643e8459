/**
 * The extraction boundary: a failure is a notice on that file, never an exception, and a failure
 * that is not the file's fault (parsers still loading) is not remembered as the file's result.
 * This file runs in its own process, so the parsers start unloaded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFile } from '../../server/src/extract/index';
import { initParsers } from '../../server/src/parsers/tree-sitter';
import { classify } from '../../server/src/extract/classify';
import { SKIP_DIRS } from '../../server/src/engine/scan';

const PY = 'import os\nPROJECT = os.environ["GCP_PROJECT_ID"]\n';
const SH = 'gcloud run deploy api --set-env-vars=A=1\n';
const YAML = 'steps:\n  - name: gcr.io/cloud-builders/gcloud\n    entrypoint: bash\n    args: ["-c", "gcloud run deploy api --set-env-vars=A=1"]\n';

test('a file extracted before the parsers load is retried once they have, not served from the cache', async () => {
  const early = [extractFile('app/config.py', PY), extractFile('deploy.sh', SH), extractFile('cloudbuild.yaml', YAML)];
  for (const f of early) {
    assert.equal(f.problems.length, 1, `${f.file}: one notice`);
    assert.match(f.problems[0].message, /could not analyse/);
  }
  await initParsers();
  const py = extractFile('app/config.py', PY);
  assert.deepEqual(py.problems, []);
  assert.deepEqual(py.reads.map((r) => r.name), ['GCP_PROJECT_ID']);
  const sh = extractFile('deploy.sh', SH);
  assert.deepEqual(sh.problems, []);
  assert.equal(sh.deploys.length, 1);
  const yaml = extractFile('cloudbuild.yaml', YAML);
  assert.deepEqual(yaml.problems, []);
  assert.equal(yaml.deploys.length, 1);
});

test('Yarn Plug\'n\'Play\'s generated loader is the package manager\'s, not code; a look-alike name stays code', () => {
  assert.equal(classify('.pnp.cjs'), 'other');
  assert.equal(classify('apps/web/.pnp.loader.mjs'), 'other');
  assert.equal(classify('.pnp.js'), 'other');
  assert.equal(classify('src/pnp.cjs'), 'typescript');
  assert.ok(SKIP_DIRS.has('.yarn'), 'Yarn\'s own folder (its vendored release, cache and plugins) is never entered');
});

test('cookiecutter-django\'s env folders: a dotfile under .envs/ (or its template folder) is an env file; other dotfiles are not', () => {
  assert.equal(classify('.envs/.production/.django'), 'dotenv');
  assert.equal(classify('.envs.example/.local/.postgres'), 'dotenv');
  assert.equal(classify('deploy/envs/.mcp'), 'dotenv');
  assert.equal(classify('.github/.keep'), 'other');
  assert.equal(classify('.envs/README.md'), 'docs');
  assert.equal(classify('web/.prettierrc'), 'other');
});
