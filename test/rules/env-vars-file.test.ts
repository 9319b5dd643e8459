/**
 * `--env-vars-file` (gcloud) and `env_vars_file` (deploy-cloudrun): the YAML file's entries are
 * the target's variables, from every deploy form that can name one — a shell script, a Python
 * deploy script, Cloud Build, GitHub Actions. env-unset-for-deploy fires when the file lacks a
 * variable the code reads, and its fix goes into the file in YAML (gcloud refuses
 * `--update-env-vars` beside `--env-vars-file`). A file the deploy names but the workspace lacks
 * makes the target uncertain (warnings, no fix), never silently complete.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { findingsOf, where, type Files } from '../rule-harness';
import { RuleTester, type InvalidCase } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const SERVICE: Files = {
  'services/api/requirements.txt': 'fastapi\n',
  'services/api/app/config.py': 'import os\n\nPUBLIC_BASE_URL = os.environ["PUBLIC_BASE_URL"]\nLOG_LEVEL = os.environ["LOG_LEVEL"]\n',
  // Not named like an env file: only the deploy's reference makes it one.
  'deploy/api/prod.yaml': 'LOG_LEVEL: info\nFEATURE_FLAGS: "search,export"\n',
};

const FORMS: { name: string; file: string; text: string; line: number; anchor: string }[] = [
  {
    name: 'shell',
    file: 'deploy/deploy-api-prod.sh',
    text: '#!/usr/bin/env bash\nset -euo pipefail\ngcloud run deploy api-prod \\\n  --source services/api \\\n  --region europe-west1 \\\n  --env-vars-file deploy/api/prod.yaml\n',
    line: 3,
    anchor: 'api-prod',
  },
  {
    name: 'Python deploy script',
    file: 'scripts/deploy.py',
    text: `import subprocess


def deploy() -> None:
    subprocess.run([
        "gcloud", "run", "deploy", "api-prod",
        "--source", "services/api",
        "--region", "europe-west1",
        "--env-vars-file", "deploy/api/prod.yaml",
    ], check=True)
`,
    line: 6,
    anchor: 'api-prod',
  },
  {
    name: 'Cloud Build',
    file: 'cloudbuild.prod.yaml',
    text: `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - api-prod
      - --source=services/api
      - --region=europe-west1
      - --env-vars-file=deploy/api/prod.yaml
`,
    line: 7,
    anchor: 'api-prod',
  },
  {
    name: 'GitHub Actions (deploy-cloudrun env_vars_file)',
    file: '.github/workflows/deploy.yml',
    text: `name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: api
          source: services/api
          region: europe-west1
          env_vars_file: deploy/api/prod.yaml
`,
    line: 13,
    anchor: 'api',
  },
];

const FIX = '\nPUBLIC_BASE_URL: REPLACE_WITH_PUBLIC_BASE_URL';

function invalid(form: (typeof FORMS)[number]): InvalidCase {
  const title = 'Add PUBLIC_BASE_URL=REPLACE_WITH_PUBLIC_BASE_URL to api (production) (fill in the value)';
  return {
    name: `${form.name}: the referenced file lacks PUBLIC_BASE_URL; the fix goes into the file`,
    files: { ...SERVICE, [form.file]: form.text },
    findings: [
      {
        at: `${form.file}:${form.line}`, severity: 'error', messageId: 'deployWithout', text: form.anchor,
        message: /^api \(production\) is deployed without PUBLIC_BASE_URL, which services\/api\/app\/config\.py reads$/,
        related: [{ at: 'services/api/app/config.py:3', text: 'PUBLIC_BASE_URL', message: 'PUBLIC_BASE_URL read here (os.environ, no default)' }],
        fixes: [{
          title, safe: false, preferred: true, files: ['deploy/api/prod.yaml'], newText: FIX,
          output: { contains: { 'deploy/api/prod.yaml': `FEATURE_FLAGS: "search,export"${FIX}` }, lacks: { [form.file]: 'PUBLIC_BASE_URL' }, remaining: [] },
        }],
      },
    ],
  };
}

RuleTester.run(envUnsetForDeploy, {
  valid: FORMS.map((form) => ({
    name: `${form.name}: every variable the code reads is in the referenced file`,
    files: { ...SERVICE, [form.file]: form.text, 'deploy/api/prod.yaml': SERVICE['deploy/api/prod.yaml'] + 'PUBLIC_BASE_URL: https://api.example.com\n' },
    control: { files: { ...SERVICE, [form.file]: form.text } },
  })),
  invalid: FORMS.map(invalid),
});

test('a referenced env-vars file the workspace lacks, in every form: the target may hold anything, so nothing is said; with the file, its lacks are', async () => {
  for (const form of FORMS) {
    const files: Files = { ...SERVICE, [form.file]: form.text };
    assert.ok((await findingsOf('env-unset-for-deploy', files)).length > 0, `${form.name}: the file read, what it lacks is said`);
    delete files['deploy/api/prod.yaml'];
    assert.deepEqual((await findingsOf('env-unset-for-deploy', files)).map((f) => `${where(f)}: ${f.message}`), [], form.name);
  }
});

test('an env-vars-shaped file no deploy names feeds nothing (its placeholder is not a deployed secret)', async () => {
  const files: Files = {
    ...SERVICE,
    'deploy/deploy-api-prod.sh': FORMS[0].text.replace(' \\\n  --env-vars-file deploy/api/prod.yaml', ' \\\n  --set-env-vars LOG_LEVEL=info,PUBLIC_BASE_URL=https://api.example.com'),
    'config/prod.yaml': 'API_SECRET_KEY: changeme\n',
  };
  assert.deepEqual(await findingsOf('placeholder-secret', files), []);
  // Named by the deploy, the same file is the production service's: its placeholder is reported.
  const named = { ...files, 'deploy/deploy-api-prod.sh': FORMS[0].text.replace('deploy/api/prod.yaml', 'config/prod.yaml') };
  assert.deepEqual((await findingsOf('placeholder-secret', named)).map(where), ['config/prod.yaml:1']);
});

test('one env-vars file named by the staging and the production deploy: a fix there reaches both, so it is offered, not safe', async () => {
  const deploy = (env: string, project: string): string =>
    `#!/usr/bin/env bash\ngcloud run deploy api-${env} \\\n  --source services/api \\\n  --project ${project} \\\n  --env-vars-file deploy/api/shared.yaml\n`;
  const files: Files = {
    'services/api/requirements.txt': 'fastapi\ngoogle-cloud-secret-manager\n',
    'services/api/app/settings.py': 'import os\n\nPROJECT = os.environ.get("GCP_PROJECT_ID")\n',
    'deploy/api/shared.yaml': 'LOG_LEVEL: info\n',
    'deploy/deploy-api-staging.sh': deploy('staging', 'acme-staging'),
    'deploy/deploy-api-prod.sh': deploy('prod', 'acme-prod'),
  };
  // One finding per deploy, at the deploy (where the fix goes); none at the read.
  const found = await findingsOf('gcp-project-id-unwired', files);
  assert.deepEqual(found.map(where).sort(), ['deploy/deploy-api-prod.sh:2', 'deploy/deploy-api-staging.sh:2']);
  for (const f of found) {
    assert.equal(f.fixes.length, 1);
    const [fix] = f.fixes;
    assert.equal(fix.safe, false, fix.title);
    assert.equal(fix.edits[0].file, 'deploy/api/shared.yaml');
    assert.match(fix.title, /\(also adds it to api \((staging|production)\): they read the same file deploy\/api\/shared\.yaml\)$/);
  }
  // Named by one deploy only, the same fix is safe.
  const one = { ...files };
  delete one['deploy/deploy-api-staging.sh'];
  const single = (await findingsOf('gcp-project-id-unwired', one)).find((f) => f.file === 'deploy/deploy-api-prod.sh');
  assert.deepEqual(single?.fixes.map((x) => [x.safe, x.title]), [[true, 'Add GCP_PROJECT_ID=acme-prod to api (production)']]);
});

test('an env-vars file whose path is made at run time, or a named one the workspace lacks, the deploy\'s only env list: any name may be in it, so nothing is said', async () => {
  const service: Files = { 'services/api/requirements.txt': 'fastapi\n', 'services/api/app/config.py': 'import os\n\nPUBLIC_BASE_URL = os.environ["PUBLIC_BASE_URL"]\n' };
  const madeAtRunTime = { ...service, 'deploy/deploy.py': 'import subprocess, tempfile\nfrom pathlib import Path\n\nwith tempfile.TemporaryDirectory() as td:\n    env_path = Path(td) / "env.yaml"\n    subprocess.run(["gcloud", "run", "deploy", "api-prod", "--source", "services/api", "--env-vars-file", str(env_path)], check=True)\n' };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', madeAtRunTime)).map((f) => f.message), []);
  // A file kept out of the repository (`.env.yaml` in .gitignore) holds whatever its deployer wrote.
  const named = { ...service, 'deploy/deploy.sh': 'gcloud run deploy api-prod --source services/api --env-vars-file deploy/api/prod.yaml\n' };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', named)).map((f) => [f.severity, f.message]), []);
  // Beside a deploy of the same service whose list is readable, the lack is still said, hedged, as information.
  const beside = { ...named, 'deploy/release.sh': 'gcloud run deploy api-prod --source services/api --set-env-vars LOG_LEVEL=info\n' };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', beside)).map((f) => [f.severity, f.message]), [
    ['info', 'api (production) may lack PUBLIC_BASE_URL, which services/api/app/config.py reads: its env in deploy/deploy.sh is unreadable'],
  ]);
});

test('an env list made at run time beside deploys that only add (--update-env-vars): any name may be in the list they keep, so nothing is said; beside one that replaces, the lack is said', async () => {
  const service: Files = { 'services/api/requirements.txt': 'fastapi\n', 'services/api/app/config.py': 'import os\n\nPUBLIC_BASE_URL = os.environ["PUBLIC_BASE_URL"].rstrip("/")\n' };
  const fromDotenv = 'ENV_VARS=$(grep -v "^#" .env.production | tr "\\n" ",")\ngcloud run deploy api-prod --source services/api --set-env-vars="$ENV_VARS"\n';
  const adds = { ...service, 'deploy/deploy.sh': fromDotenv, 'deploy/hotfix.sh': 'gcloud run services update api-prod --update-env-vars LOG_LEVEL=debug\n' };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', adds)).map((f) => f.message), []);
  const replaces = { ...adds, 'deploy/hotfix.sh': 'gcloud run deploy api-prod --source services/api --set-env-vars LOG_LEVEL=debug\n' };
  assert.deepEqual((await findingsOf('env-unset-for-deploy', replaces)).map((f) => [f.severity, f.message]), [
    ['info', 'api (production) may lack PUBLIC_BASE_URL, which services/api/app/config.py reads: its env in deploy/deploy.sh is unreadable'],
  ]);
});

test('an env-vars file whose name starts with a dot (`.env.prod.yaml`) is found from every form, at the root and in a folder', async () => {
  const service: Files = { 'services/api/requirements.txt': 'fastapi\n', 'services/api/app/config.py': 'import os\n\nPUBLIC_BASE_URL = os.environ["PUBLIC_BASE_URL"]\n' };
  for (const file of ['.env.prod.yaml', 'deploy/.env.prod.yaml', '.deploy/prod.yaml']) {
    const deploy = `gcloud run deploy api-prod --source services/api --env-vars-file ${file} --set-secrets API_KEY=api-key:latest\n`;
    const files: Files = { ...service, 'deploy.sh': deploy, [file]: 'LOG_LEVEL: info\n' };
    // Read, the file's lack is said without a hedge: no "unreadable".
    assert.deepEqual((await findingsOf('env-unset-for-deploy', files)).map((f) => [f.severity, f.message]), [
      ['error', 'api (production) is deployed without PUBLIC_BASE_URL, which services/api/app/config.py reads'],
    ], file);
    files[file] += 'PUBLIC_BASE_URL: https://api.example.com\n';
    assert.deepEqual(await findingsOf('env-unset-for-deploy', files), [], file);
  }
});

test('an env file kept out of the repository whose committed template lists a name: the deploy is meant to have it', async () => {
  const service: Files = {
    'services/api/requirements.txt': 'fastapi\n',
    'services/api/app/config.py': 'import os\n\nAUTH_SECRET = os.environ["AUTH_SECRET"]\nSENTRY_DSN = os.environ["SENTRY_DSN"]\n',
  };
  const compose = 'services:\n  api:\n    build: services/api\n    env_file:\n      - .env\n    environment:\n      LOG_LEVEL: info\n';
  const files: Files = { ...service, 'docker-compose.prod.yml': compose };
  const lacks = async (f: Files) => (await findingsOf('env-unset-for-deploy', f)).map((x) => x.message.replace(/,.*/, ''));
  assert.deepEqual(await lacks(files), ['api (production) may lack AUTH_SECRET', 'api (production) may lack SENTRY_DSN']);
  // `cp .env.example .env`: the template names AUTH_SECRET (its placeholder value is no deployed value).
  const withTemplate = { ...files, '.env.example': 'AUTH_SECRET=change-me\nLOG_LEVEL=debug\n' };
  assert.deepEqual(await lacks(withTemplate), ['api (production) may lack SENTRY_DSN']);
  assert.deepEqual(await findingsOf('placeholder-secret', withTemplate), []);
  // A template for another file says nothing about this one.
  assert.deepEqual(await lacks({ ...files, '.env.staging.example': 'AUTH_SECRET=change-me\n' }), ['api (production) may lack AUTH_SECRET', 'api (production) may lack SENTRY_DSN']);
});

test('a kept env folder mirrored by a committed template folder (`.envs/` and `.envs.example/`): names from the template; a switch the template leaves out is off', async () => {
  const service: Files = {
    'web/requirements.txt': 'django\n',
    'web/config/settings.py': [
      'import environ',
      'env = environ.Env()',
      'SECRET_KEY = env("DJANGO_SECRET_KEY")',
      'SENTRY_DSN = env("SENTRY_DSN")',
      'GITHUB_APP_ENABLED = env.bool("GITHUB_APP_ENABLED", False)',
      'if GITHUB_APP_ENABLED:',
      '    GITHUB_APP_ID = env("GITHUB_APP_ID")',
      '',
    ].join('\n'),
    'docker-compose.production.yml': 'services:\n  django:\n    build: ./web\n    env_file:\n      - .envs/.production/.django\n    environment:\n      LOG_LEVEL: info\n',
  };
  const lacks = async (f: Files) => (await findingsOf('env-unset-for-deploy', f)).map((x) => x.message.replace(/,.*/, '')).sort();
  // Without a template the kept file may hold anything, the switch included.
  assert.deepEqual(await lacks(service), ['web (production) may lack DJANGO_SECRET_KEY', 'web (production) may lack GITHUB_APP_ID', 'web (production) may lack SENTRY_DSN']);
  const template = { ...service, '.envs.example/.production/.django': 'DJANGO_SECRET_KEY=change-me\nSENTRY_DSN=\n' };
  assert.deepEqual(await lacks(template), []);
  // The template turns the feature on: what it needs and the template lacks is said, hedged.
  const on = { ...service, '.envs.example/.production/.django': 'DJANGO_SECRET_KEY=change-me\nSENTRY_DSN=\nGITHUB_APP_ENABLED=true\n' };
  assert.deepEqual(await lacks(on), ['web (production) may lack GITHUB_APP_ID']);
});

// Cloud Run rejects a revision setting a name it reserves (PORT, K_SERVICE…), wherever the
// variable comes from: an env-vars file passed whole is the deploy's list.
const WITH_PORT = `${SERVICE['deploy/api/prod.yaml']}PUBLIC_BASE_URL: https://api.example.com\nPORT: "8080"\n`;

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'a file of env-vars shape with PORT that no deploy passes: it deploys nothing',
      files: { ...SERVICE, [FORMS[0].file]: FORMS[0].text.replace(' \\\n  --env-vars-file deploy/api/prod.yaml', ' \\\n  --set-env-vars LOG_LEVEL=info,PUBLIC_BASE_URL=https://api.example.com'), 'deploy/api/prod.yaml': WITH_PORT },
      control: { files: { ...SERVICE, [FORMS[0].file]: FORMS[0].text, 'deploy/api/prod.yaml': WITH_PORT } },
    },
    {
      name: 'a local .env with PORT beside the deploy: no deploy passes it',
      files: { ...SERVICE, [FORMS[0].file]: FORMS[0].text, 'deploy/api/prod.yaml': `${SERVICE['deploy/api/prod.yaml']}PUBLIC_BASE_URL: https://api.example.com\n`, 'services/api/.env': 'PORT=8000\n' },
      control: { files: { ...SERVICE, [FORMS[0].file]: FORMS[0].text, 'deploy/api/prod.yaml': WITH_PORT } },
    },
  ],
  invalid: FORMS.map((form) => ({
    name: `${form.name}: the env-vars file a deploy passes sets PORT: rejected, said in the file with the deploy related`,
    files: { ...SERVICE, [form.file]: form.text, 'deploy/api/prod.yaml': WITH_PORT },
    findings: [{
      at: 'deploy/api/prod.yaml:4', text: 'PORT', severity: 'error', messageId: 'reservedName',
      message: /^api \(production\) sets PORT, which Cloud Run reserves and sets itself: the deploy is rejected$/,
      // The line naming the file, in each form.
      related: [{ at: `${form.file}:${form.text.split('\n').findIndex((l) => l.includes('deploy/api/prod.yaml')) + 1}`, message: /^the deploy takes its variables from this file here$/ }],
      fixes: [{
        title: /^Remove PORT \(Cloud Run sets it/, safe: false, preferred: true,
        output: { contains: { 'deploy/api/prod.yaml': 'PUBLIC_BASE_URL: https://api.example.com\n' }, lacks: { 'deploy/api/prod.yaml': 'PORT' }, remaining: [] },
      }],
    }],
  })),
});

test('an env-vars file with PORT that only a script nothing runs passes, beside the workflow that deploys: information naming the workflow', async () => {
  const files: Files = {
    ...SERVICE,
    'deploy/api/prod.yaml': WITH_PORT,
    'deploy/redeploy-api-old.sh': '#!/usr/bin/env bash\ngcloud run deploy api \\\n  --source services/api \\\n  --region europe-west1 \\\n  --env-vars-file deploy/api/prod.yaml\n',
    '.github/workflows/deploy.yml': FORMS[3].text.replace('env_vars_file: deploy/api/prod.yaml', 'env_vars: |\n            LOG_LEVEL=info\n            PUBLIC_BASE_URL=https://api.example.com'),
  };
  const port = (await findingsOf('env-unset-for-deploy', files)).filter((f) => f.message.includes('PORT'));
  assert.deepEqual(port.map((f) => [where(f), f.severity, f.related.map((r) => r.file)]), [
    ['deploy/api/prod.yaml:4', 'info', ['.github/workflows/deploy.yml', 'deploy/redeploy-api-old.sh']],
  ]);
});
