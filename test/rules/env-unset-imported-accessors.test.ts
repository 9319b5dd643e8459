/**
 * env-unset-for-deploy through an accessor defined in another module (`from app.core.env import
 * env_required` … `env_required("STORE_BUCKET")`): the call is a read when the module it names
 * defines the function as an accessor, required or optional as the definition decides (it raises,
 * has a default of its own, takes the caller's, or returns None for the use to judge). Modules
 * are found as Python finds them (relative imports against the package, absolute ones under the
 * nearest folder holding them). Minimal reproductions written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';
import { moduleFiles } from '../../server/src/model/imported-accessors';

before(ready);

const ENV_MODULE = `import os
from typing import Optional


def env_str(key: str, default: Optional[str] = None) -> Optional[str]:
    return os.getenv(key, default)


def env_required(key: str) -> str:
    value = os.environ.get(key)
    if not value:
        raise RuntimeError(f"{key} is not set")
    return value


def env_or_blank(key: str, default: str = "") -> str:
    return os.getenv(key, default)
`;

/** The staging deploy of `services/<name>`, replacing its variables with `vars`. */
const stagingDeploy = (name: string, vars: string): string => `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy ${name}-staging \\
  --source services/${name} \\
  --project acme-staging \\
  --set-env-vars "${vars}"
`;

const service = (storage: string, envModule = ENV_MODULE, vars = 'ENVIRONMENT=staging'): Files => ({
  'services/store/requirements.txt': 'fastapi\n',
  'services/store/app/__init__.py': '',
  'services/store/app/core/__init__.py': '',
  'services/store/app/core/env.py': envModule,
  'services/store/app/storage.py': storage,
  'deploy/store-staging.sh': stagingDeploy('store', vars),
});

const LACKS = (name: string, line: number, via: string) => ({
  at: 'deploy/store-staging.sh:6', severity: 'error' as const, messageId: 'deployWithout',
  message: new RegExp(`^store \\(staging\\) is deployed without ${name}, which services/store/app/storage\\.py reads`),
  related: [{ at: `services/store/app/storage.py:${line}`, message: `${name} read here (${via}, no default)`, text: name }],
  fixes: [{ title: new RegExp(`^Add ${name}`), safe: false, preferred: true }],
});

const REQUIRED_CALL = 'from app.core.env import env_required\n\nBUCKET = env_required("STORE_BUCKET")\n';

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'the deploy sets what the imported accessor requires',
      files: service(REQUIRED_CALL, ENV_MODULE, 'ENVIRONMENT=staging,STORE_BUCKET=acme-store'),
      control: { files: service(REQUIRED_CALL) },
    },
    {
      name: 'an accessor with a default of its own: optional whatever the call',
      files: service('from app.core.env import env_or_blank\n\nBUCKET = env_or_blank("STORE_BUCKET")\nclient = connect(BUCKET.strip())\n'),
      control: { files: service('from app.core.env import env_required\n\nBUCKET = env_required("STORE_BUCKET")\nclient = connect(BUCKET.strip())\n') },
    },
    {
      name: 'the caller passes a default through the accessor\'s default parameter',
      files: service('from app.core.env import env_str\n\nBUCKET = env_str("STORE_BUCKET", "local-bucket")\nclient = connect(BUCKET.strip())\n'),
      control: { files: service('from app.core.env import env_str\n\nBUCKET = env_str("STORE_BUCKET")\nclient = connect(BUCKET.strip())\n') },
    },
    {
      name: 'an accessor returning None, whose caller tests the value',
      files: service('from app.core.env import env_str\n\nBUCKET = env_str("STORE_BUCKET")\nif BUCKET:\n    client = connect(BUCKET)\n'),
      control: { files: service('from app.core.env import env_str\n\nBUCKET = env_str("STORE_BUCKET")\nclient = connect(BUCKET.strip())\n') },
    },
    {
      // The same name imported from a module that defines no accessor: a label, not a read.
      name: 'look-alike: a function of the same name that is no accessor',
      files: service(REQUIRED_CALL, 'def env_required(key: str) -> str:\n    return key.lower()\n'),
      control: { files: service(REQUIRED_CALL) },
    },
    {
      name: 'look-alike: a module that is not in the workspace',
      files: service('from vendor.settings import env_required\n\nBUCKET = env_required("STORE_BUCKET")\n'),
      control: { files: service(REQUIRED_CALL) },
    },
  ],
  invalid: [
    {
      name: 'an imported accessor that raises when the variable is unset: required, even where the caller tests the value',
      files: service('from app.core.env import env_required\n\nBUCKET = env_required("STORE_BUCKET")\nif BUCKET:\n    client = connect(BUCKET)\n'),
      findings: [LACKS('STORE_BUCKET', 3, 'env_required')],
    },
    {
      name: 'through the module (`from app.core import env` … `env.env_required(…)`)',
      files: service('from app.core import env\n\nBUCKET = env.env_required("STORE_BUCKET")\n'),
      findings: [LACKS('STORE_BUCKET', 3, 'env.env_required')],
    },
    {
      name: 'a relative import, and an accessor returning None whose value is used unguarded',
      files: service('from .core.env import env_str\n\n\ndef client():\n    return connect(env_str("STORE_BUCKET").strip())\n'),
      findings: [LACKS('STORE_BUCKET', 5, 'env_str')],
    },
  ],
});

const TS_ENV = `export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`\${name} is not set\`);
  return value;
}
export const optionalEnv = (name: string, fallback = ''): string => process.env[name] ?? fallback;
`;

const tsService = (use: string, envModule = TS_ENV, vars = 'ENVIRONMENT=staging'): Files => ({
  'services/web/package.json': '{ "name": "web" }\n',
  'services/web/src/config.ts': envModule,
  'services/web/src/billing.ts': use,
  'deploy/web-staging.sh': stagingDeploy('web', vars),
});

const TS_REQUIRED = "import { requireEnv } from './config';\n\nexport const plan = requireEnv('BILLING_PLAN');\n";

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'TypeScript: the deploy sets what the imported accessor requires',
      files: tsService(TS_REQUIRED, TS_ENV, 'ENVIRONMENT=staging,BILLING_PLAN=pro'),
      control: { files: tsService(TS_REQUIRED) },
    },
    {
      name: 'TypeScript: an imported accessor with a default of its own',
      files: tsService("import { optionalEnv } from './config';\n\nexport const plan = optionalEnv('BILLING_PLAN').trim();\n"),
      control: { files: tsService(TS_REQUIRED) },
    },
    {
      name: 'TypeScript look-alike: a function of that name that is no accessor',
      files: tsService(TS_REQUIRED, 'export function requireEnv(name: string): string {\n  return name.toLowerCase();\n}\n'),
      control: { files: tsService(TS_REQUIRED) },
    },
  ],
  invalid: [
    {
      name: 'TypeScript: an imported accessor that throws when the variable is unset (CommonJS require too)',
      files: tsService("const { requireEnv } = require('./config');\n\nexports.plan = requireEnv('BILLING_PLAN');\n".replace('billing', 'billing')),
      findings: [{
        at: 'deploy/web-staging.sh:6', severity: 'error', messageId: 'deployWithout',
        message: /^web \(staging\) is deployed without BILLING_PLAN, which services\/web\/src\/billing\.ts reads/,
        related: [{ at: 'services/web/src/billing.ts:3', message: 'BILLING_PLAN read here (requireEnv, no default)', text: 'BILLING_PLAN' }],
        fixes: [{ title: /^Add BILLING_PLAN/, safe: false, preferred: true }],
      }],
    },
  ],
});

test('modules are looked for as Python imports them from the file', () => {
  assert.deepEqual(moduleFiles('svc/app/storage.py', '.core.env'), ['svc/app/core/env.py', 'svc/app/core/env/__init__.py']);
  assert.deepEqual(moduleFiles('svc/app/storage.py', '..env'), ['svc/env.py', 'svc/env/__init__.py']);
  assert.deepEqual(moduleFiles('svc/app/storage.py', 'core.env'), [
    'svc/app/core/env.py', 'svc/app/core/env/__init__.py', 'svc/core/env.py', 'svc/core/env/__init__.py', 'core/env.py', 'core/env/__init__.py',
  ]);
  assert.deepEqual(moduleFiles('main.py', 'config'), ['config.py', 'config/__init__.py']);
});
