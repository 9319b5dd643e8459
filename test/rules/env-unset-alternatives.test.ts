/**
 * env-unset-for-deploy names the other links of an `or` / `||` chain: the deploy lacks the last
 * one, and any earlier one would do as well (`HF_TOKEN` for `os.getenv("HF_TOKEN") or
 * os.getenv("HUGGINGFACE_TOKEN")`). A switch's branch (`onlyWhen`) is no such stand-in.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { findingsOf } from '../rule-harness';

before(ready);

const deploy = 'gcloud run deploy svc-prod --source svc --set-env-vars ENVIRONMENT=production --set-secrets OTHER=o:latest\n';

test('Python: the last link of an or-chain is reported with the links that would stand in for it', async () => {
  const files = {
    'svc/requirements.txt': 'fastapi\n',
    'svc/main.py': 'import os\nTOKEN = os.getenv("HF_TOKEN") or os.getenv("HUGGINGFACE_TOKEN")\nif not TOKEN:\n    raise RuntimeError("no token")\n',
    'deploy.sh': deploy,
  };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', files)).map((f) => f.message), [
    'svc (production) is deployed without HUGGINGFACE_TOKEN (or HF_TOKEN), which svc/main.py reads',
  ]);
});

test('TypeScript: the same with ||; a deploy setting the earlier link is fine', async () => {
  const files = {
    'svc/package.json': '{ "name": "svc" }\n',
    'svc/src/main.ts': 'export const key = (process.env.OPENAI_KEY || process.env.OPENAI_API_KEY)!.trim();\n',
    'deploy.sh': deploy,
  };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', files)).map((f) => f.message), [
    'svc (production) is deployed without OPENAI_API_KEY (or OPENAI_KEY), which svc/src/main.ts reads',
  ]);
  const set = { ...files, 'deploy.sh': deploy.replace('OTHER=o:latest', 'OPENAI_KEY=openai-key:latest') };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', set)).map((f) => f.message), []);
});

test('a switch selecting another branch is no stand-in: the message names the variable alone', async () => {
  const files = {
    'svc/requirements.txt': 'fastapi\n',
    'svc/db.py': 'import os\n\n\ndef password():\n    if not os.getenv("MANAGED_DB"):\n        pw = os.getenv("LOCAL_DB_PASSWORD")\n        if not pw:\n            raise ValueError("LOCAL_DB_PASSWORD is required")\n        return pw\n    return None\n',
    'deploy.sh': deploy.replace('OTHER=o:latest', 'OTHER=o:latest,SOME_SECRET=s:latest'),
  };
  const found = await findingsOf('env-unset-for-deploy', files);
  assert.ok(found.some((f) => f.message.includes('LOCAL_DB_PASSWORD')), found.map((f) => f.message).join('\n'));
  for (const f of found) assert.doesNotMatch(f.message, /\(or /, f.message);
});
