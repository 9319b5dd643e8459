/**
 * The Terraform grammar is compiled on the first `.tf` file, not at start-up: a workspace without
 * Terraform never pays for it. This file runs in its own process (node --test isolates files), so
 * nothing else has loaded the grammar before it.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze } from '../rule-harness';
import { terraformGrammarLoaded } from '../../server/src/parsers/tree-sitter';
import { extractFile } from '../../server/src/extract/index';

before(ready);

test('a workspace without .tf files never loads the Terraform grammar; the first .tf file does', async () => {
  await analyze({
    'api/requirements.txt': 'flask\n',
    'api/main.py': 'import os\nTOKEN = os.environ["TOKEN"]\n',
    'deploy.sh': 'gcloud run deploy api --source api --set-env-vars TOKEN=x\n',
    // A .tf file with nothing Terraform-relevant is skipped before parsing.
    'infra/versions.tf': 'terraform {\n  required_version = ">= 1.5"\n}\n',
  });
  assert.equal(terraformGrammarLoaded(), false);
  const facts = extractFile('infra/run.tf', 'resource "google_cloud_run_v2_service" "api" {\n  name = "api"\n}\n');
  assert.equal(terraformGrammarLoaded(), true);
  assert.deepEqual(facts.problems, []);
  assert.equal(facts.deploys[0]?.service?.value, 'api');
});
