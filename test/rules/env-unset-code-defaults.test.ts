/**
 * env-unset-for-deploy: a variable the service's own code fills in when a module loads
 * (`os.environ.setdefault("X", value)` at module level) has a value wherever the service reads it,
 * whether or not the deploy sets it: not reported. The same call inside a function, or in a
 * test, gives no such guarantee.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const READER = `import os


def vertex_location() -> str:
    return os.environ["VERTEX_REGION"]
`;

const service = (settings: string, extra: Files = {}): Files => ({
  'agent/requirements.txt': 'fastapi\n',
  'agent/app/__init__.py': '',
  'agent/app/settings.py': settings,
  'agent/app/vertex.py': READER,
  'agent/app/main.py': 'from app.vertex import vertex_location\n\nREGION = vertex_location()\n',
  'deploy/deploy-agent-staging.sh': `#!/usr/bin/env bash
gcloud run deploy agent --source agent --project acme-staging --region europe-west1 \\
  --set-env-vars "LOG_LEVEL=info"
`,
  ...extra,
});

const NO_DEFAULT = 'import os\n\nLOG_LEVEL = os.environ.get("LOG_LEVEL", "info")\n';

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'a module-level setdefault in the service: the name has a value wherever it is read',
      files: service('import os\n\nos.environ.setdefault("VERTEX_REGION", "us-central1")\n'),
      control: { files: service(NO_DEFAULT) },
    },
    {
      name: 'the value of a module-level assignment counts too',
      files: service('import os\n\nREGION = os.environ.setdefault("VERTEX_REGION", "us-central1")\n'),
      control: { files: service(NO_DEFAULT) },
    },
    {
      // The settings package's base, which every variant imports, fills in for all.
      name: 'a setdefault in settings/base.py covers reads elsewhere',
      files: service(NO_DEFAULT, { 'agent/app/settings/base.py': 'import os\n\nos.environ.setdefault("VERTEX_REGION", "us-central1")\n' }),
      control: { files: service(NO_DEFAULT) },
    },
  ],
  invalid: [
    {
      // Another variant may be the one deployed (`DJANGO_SETTINGS_MODULE`): its defaults are its own.
      name: 'a setdefault in one settings variant (settings/local.py): reads elsewhere still reported',
      files: service(NO_DEFAULT, { 'agent/app/settings/local.py': 'import os\n\nos.environ.setdefault("VERTEX_REGION", "us-central1")\n' }),
      findings: [{
        at: 'deploy/deploy-agent-staging.sh:3', severity: 'error', messageId: 'deployWithout',
        message: /^agent \(staging\) is deployed without VERTEX_REGION, which agent\/app\/vertex\.py reads$/,
        related: ['agent/app/vertex.py:5'], fixes: [{ title: /^Add VERTEX_REGION=/, safe: false, preferred: true }],
      }],
    },
    {
      // A function may never be called before the read: no guarantee.
      name: 'setdefault inside a function: still reported',
      files: service('import os\n\n\ndef configure() -> None:\n    os.environ.setdefault("VERTEX_REGION", "us-central1")\n'),
      findings: [{
        at: 'deploy/deploy-agent-staging.sh:3', severity: 'error', messageId: 'deployWithout',
        message: /^agent \(staging\) is deployed without VERTEX_REGION, which agent\/app\/vertex\.py reads$/,
        related: ['agent/app/vertex.py:5'], fixes: [{ title: /^Add VERTEX_REGION=/, safe: false, preferred: true }],
      }],
    },
    {
      // A test's conftest fills it in for the tests, not for the deployed service.
      name: 'setdefault in a test file: still reported',
      files: service(NO_DEFAULT, { 'agent/tests/conftest.py': 'import os\n\nos.environ.setdefault("VERTEX_REGION", "us-central1")\n' }),
      findings: [{
        at: 'deploy/deploy-agent-staging.sh:3', severity: 'error', messageId: 'deployWithout',
        message: /^agent \(staging\) is deployed without VERTEX_REGION, which agent\/app\/vertex\.py reads$/,
        related: ['agent/app/vertex.py:5'], fixes: [{ title: /^Add VERTEX_REGION=/, safe: false, preferred: true }],
      }],
    },
  ],
});
