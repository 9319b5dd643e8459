/**
 * env-unset-for-deploy: a variable the service's own code fills in when a module loads
 * (`os.environ.setdefault("X", value)` at module level) has a value wherever the service reads it,
 * whether or not the deploy sets it: not reported. The same call inside a function, or in a
 * test, gives no such guarantee. TypeScript's form is a statement of a module's top level writing
 * the variable back with a text fallback (`process.env.X = process.env.X ?? 'value'`).
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

/** A Node service reading CALLBACK_URL in a function, its bootstrap module given as `boot`. */
const node = (boot: string, extra: Files = {}): Files => ({
  'web/package.json': '{ "name": "web", "main": "src/server.js" }\n',
  'web/src/server.js': SERVER,
  'web/src/boot.js': boot,
  'web/src/oauth.js': "function callback() {\n  return process.env.CALLBACK_URL.trim();\n}\nmodule.exports = { callback };\n",
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy web --source web --project acme-prod --set-env-vars "NODE_ENV=production"\n',
  ...extra,
});
const NODE_ONLY_LOGS = "console.log('booting');\n";
const SERVER = "require('./boot');\nconst { callback } = require('./oauth');\nrequire('http').createServer((q, s) => s.end(callback())).listen(8080);\n";
const WRITE_BACK_SECRET = "process.env.CALLBACK_URL = process.env.CALLBACK_URL ?? '/cb';\nprocess.env.GITHUB_SECRET = process.env.GITHUB_SECRET ?? 'dummy_github_secret';\n";
const RUNS_SERVER = 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/server.js"]\n';
const GITHUB_READER = 'module.exports = { secret: () => process.env.GITHUB_SECRET.trim() };\n';

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
    {
      name: 'TypeScript / JavaScript: a module writing the variable back with a fallback fills it for the service',
      files: node("process.env.CALLBACK_URL = process.env.CALLBACK_URL ?? 'https://example.test/cb';\n"),
      control: { files: node(NODE_ONLY_LOGS) },
    },
    {
      name: 'TypeScript / JavaScript: the same with `||` and a bracketed key over two lines',
      files: node("process.env['CALLBACK_URL'] =\n  process.env['CALLBACK_URL'] || 'https://example.test/cb';\n"),
      control: { files: node(NODE_ONLY_LOGS) },
    },
    {
      // The placeholder fills nothing, but the write-back uses nothing either: the name matters
      // only to its other readers, and the one here sits in a module the program never loads.
      name: "TypeScript / JavaScript: a write-back with a secret's placeholder and no other reader the program loads",
      files: node(WRITE_BACK_SECRET, { 'web/src/github.js': GITHUB_READER, 'web/Dockerfile': RUNS_SERVER }),
      control: { files: node(WRITE_BACK_SECRET, { 'web/src/github.js': GITHUB_READER, 'web/Dockerfile': RUNS_SERVER, 'web/src/server.js': `require('./github');\n${SERVER}` }) },
    },
  ],
  invalid: [
    {
      // Only a statement of the module's top level runs when it loads; a function may never run.
      name: 'TypeScript / JavaScript: the write-back inside a function, or from another variable, fills nothing',
      files: node("function boot() {\n  process.env.CALLBACK_URL = process.env.CALLBACK_URL ?? 'https://example.test/cb';\n}\nprocess.env.OTHER_URL = process.env.CALLBACK_URL ?? 'x';\nmodule.exports = { boot };\n"),
      findings: [{
        at: 'deploy.sh:2', severity: 'error', messageId: 'deployWithout',
        message: /^web \(production\) is deployed without CALLBACK_URL, which web\/src\/oauth\.js reads$/,
        related: ['web/src/oauth.js:2'], fixes: [{ title: /^Add CALLBACK_URL=/, safe: false, preferred: true }],
      }],
    },
    {
      // A secret's stand-in fills nothing: the service would run on a value anyone can read.
      name: "TypeScript / JavaScript: a write-back with a secret's placeholder still needs the deploy to set it",
      files: {
        ...node("process.env.JWT_SECRET = process.env.JWT_SECRET ?? 'dummy_jwt_secret';\n"),
        'web/src/oauth.js': "function callback() {\n  return process.env.CALLBACK_URL || '/cb';\n}\nfunction sign() {\n  return process.env.JWT_SECRET.trim();\n}\nmodule.exports = { callback, sign };\n",
        'web/src/server.js': "require('./boot');\nconst { callback, sign } = require('./oauth');\nrequire('http').createServer((q, s) => s.end(callback() + sign())).listen(8080);\n",
      },
      findings: [{
        at: 'deploy.sh:2', severity: 'info', messageId: 'deployWithoutKeeps',
        message: /^web \(production\) may lack JWT_SECRET, which web\/src\/boot\.js and web\/src\/oauth\.js read: its deploy keeps earlier secrets$/,
        related: ['web/src/boot.js:1', 'web/src/oauth.js:5'], fixes: [{ title: /^Add JWT_SECRET to web \(production\) from secret /, safe: false, preferred: true }],
      }],
    },
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
