/**
 * env-unset-for-deploy and GOOGLE_APPLICATION_CREDENTIALS on Cloud Run: unset, the Google auth
 * libraries take the service's own identity from the metadata server, so a read of it is no
 * requirement of a Cloud Run deploy — except a pydantic-settings field with no default, which
 * fails the settings class (and the service's start) whatever the auth libraries would do.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { lackingNames, type Files } from '../rule-harness';

before(ready);

const service = (field: string): Files => ({
  'api/requirements.txt': 'fastapi\npydantic-settings\n',
  'api/app/config.py': `from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    DATABASE_URL: str
${field}


settings = Settings()
`,
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars DATABASE_URL=postgresql://db/app\n',
});

test('a settings field GOOGLE_APPLICATION_CREDENTIALS with no default is required on Cloud Run too; with a default, or read plainly, it is not', async () => {
  const cases: [string, string, string[]][] = [
    ['required field', '    GOOGLE_APPLICATION_CREDENTIALS: str', ['GOOGLE_APPLICATION_CREDENTIALS']],
    ['field with a default', '    GOOGLE_APPLICATION_CREDENTIALS: str = ""', []],
    ['optional field', '    GOOGLE_APPLICATION_CREDENTIALS: str | None = None', []],
  ];
  for (const [what, field, expected] of cases) assert.deepEqual(await lackingNames(service(field)), expected, what);
  // Read with os.environ[…] (a key file path handed to a client): left to the metadata server.
  const plain = service('');
  plain['api/app/storage.py'] = 'import os\n\nKEY_FILE = os.environ["GOOGLE_APPLICATION_CREDENTIALS"]\n';
  plain['api/app/main.py'] = 'from app import config, storage\n';
  assert.deepEqual(await lackingNames(plain), []);
});
