/**
 * Deploy scripts nothing here runs, beside a deploy of the same service that runs (a workflow, a
 * Cloud Build config, a script something names): what the leftover would do wrong — a name Cloud
 * Run reserves, a flag pair gcloud refuses, a placeholder for a secret — is information that says
 * which file deploys the service, not an error. The same script named by a workflow, a Makefile,
 * package.json or a README, or alone as the service's deploy, or deploying to another project,
 * stays an error.
 * Minimal original reproduction (model/variant-scripts.ts).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';
import { placeholderSecret } from '../../server/src/rules/placeholder-secret';
import { scriptMentionsIn } from '../../server/src/extract/script-mentions';

before(ready);

const API: Files = {
  'api/package.json': '{ "name": "api", "scripts": { "start": "node server.js" } }\n',
  'api/server.js': "const secret = process.env.SESSION_SECRET;\nif (!secret) throw new Error('SESSION_SECRET');\nrequire('http').createServer(() => {}).listen(8080);\n",
};

/** The deploy that runs: a workflow on push. */
const WORKFLOW: Files = {
  '.github/workflows/deploy.yml': `on: { push: { branches: [main] } }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          gcloud run deploy shop-api --source api --project acme-prod --region europe-west1 \\
            --set-secrets SESSION_SECRET=session-secret:latest
`,
};

/** The leftover: sets PORT (reserved), and a session secret written in. */
const QUICK = (project = 'acme-prod'): Files => ({
  'scripts/redeploy-quick.sh': `#!/usr/bin/env bash
gcloud run deploy shop-api --source api --project ${project} --region europe-west1 \\
  --set-env-vars "PORT=8080,SESSION_SECRET=changeme"
`,
});

/** The leftover with a flag pair gcloud refuses. */
const REFUSED: Files = {
  'scripts/fix_env.sh': `#!/usr/bin/env bash
gcloud run deploy shop-api --source api --project acme-prod \\
  --set-env-vars "NODE_ENV=production" \\
  --update-env-vars "LOG_LEVEL=debug"
`,
};

/** A Knative manifest of the service (an exported snapshot: nothing applies it), setting PORT. */
const SNAPSHOT = (name = 'shop-api'): Files => ({
  'deploy/service.yaml': `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - image: europe-west1-docker.pkg.dev/acme-prod/app/shop-api@sha256:0123
          env:
            - name: PORT
              value: "8080"
            - name: NODE_ENV
              value: production
            - name: SESSION_SECRET
              valueFrom:
                secretKeyRef:
                  name: session-secret
                  key: latest
`,
});

/** The related location: the workflow's deploy of the service. */
/** A Knative manifest of the service that lacks its session secret, its image a stand-in
 * (`PROJECT_ID`): a template until something applies it; the only deploy of the service. */
const STUB: Files = {
  'deploy/service.yaml': `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: shop-api
spec:
  template:
    spec:
      containers:
        - image: europe-west1-docker.pkg.dev/PROJECT_ID/app/shop-api:1
          env:
            - name: NODE_ENV
              value: production
`,
};

const LIVE = { at: '.github/workflows/deploy.yml:9', message: /^shop-api is deployed here, by a file that runs$/ };

test('the names of scripts a file mentions, by base name, only whole script names', () => {
  assert.deepEqual(scriptMentionsIn('run: ./scripts/redeploy-quick.sh && bash "$ROOT/ops/fix_env.sh"\n# see tools/seed.py\n'), ['redeploy-quick.sh', 'fix_env.sh', 'seed.py']);
  assert.deepEqual(scriptMentionsIn('shell: bash\nfile: deploy.shell\nname: x.sh_old\nhidden: .sh\n'), []);
  assert.deepEqual(scriptMentionsIn('Run .\\scripts\\deploy_backend.ps1 (or pwsh -File ./deploy-all.ps1)\n'), ['deploy_backend.ps1', 'deploy-all.ps1']);
  // A megabyte of one word full of `.sh.` (minified or generated text) is walked back over a
  // bounded length per occurrence: unbounded, this line does not finish in minutes. Only words
  // within that length of the text's start can count.
  assert.ok(scriptMentionsIn('a.sh.'.repeat(200_000)).length < 100);
  assert.deepEqual(scriptMentionsIn(`${'x'.repeat(500)}/deploy.sh`), []);
});

RuleTester.run(envUnsetForDeploy, {
  valid: [],
  invalid: [
    {
      // A template: what applying it would lack is information.
      name: 'the only deploy is a Knative manifest nothing applies nor names, its image a stand-in: what it lacks is information',
      files: { ...API, ...STUB },
      findings: [{
        at: 'deploy/service.yaml:10', severity: 'info', messageId: 'deployWithoutStub',
        message: /^api \(default\) would lack SESSION_SECRET, which api\/server\.js reads \(an unapplied template\)$/,
        related: [{ at: 'api/server.js:1', text: 'SESSION_SECRET' }],
        fixes: [{ title: /^Add SESSION_SECRET to api \(default\) from secret session-secret:latest/, safe: false, preferred: true }],
      }],
    },
    ...([
      ['a README saying to apply it', { 'README.md': '# Deploying\n\n```\ngcloud run services replace deploy/service.yaml\n```\n' }, 'error', 'deployWithout'],
      ['a README naming it as the configuration', { 'README.md': '# Deploying\n\nThe service is configured in `deploy/service.yaml`.\n' }, 'error', 'deployWithout'],
      // A real image: the manifest may well be how the service is deployed, by hand.
      ['a real image in place of the stand-in', { 'deploy/service.yaml': STUB['deploy/service.yaml'].replace('PROJECT_ID', 'acme-prod') }, 'error', 'deployWithout'],
    ] as [string, Files, 'error' | 'warning', string][]).map(([how, files, severity, messageId]) => ({
      name: `the same manifest with ${how}: what it lacks is said as for any deploy`,
      files: { ...API, ...STUB, ...files },
      findings: [{
        at: 'deploy/service.yaml:10', severity, messageId,
        message: /^api \(default\) is deployed without SESSION_SECRET, which api\/server\.js reads/,
        related: [{ at: 'api/server.js:1', text: 'SESSION_SECRET' }],
        fixes: [{ title: /^Add SESSION_SECRET to api \(default\) from secret session-secret:latest/, safe: false, preferred: true }],
      }],
    })),
    {
      name: 'a script nothing runs, beside the workflow that deploys the service: the reserved name is information naming the workflow',
      files: { ...API, ...WORKFLOW, ...QUICK() },
      findings: [{
        at: 'scripts/redeploy-quick.sh:3', text: 'PORT', severity: 'info', messageId: 'reservedNameVariant',
        message: /^api \(production\) sets PORT, which Cloud Run reserves: rejected if run \(a script nothing here runs\)$/,
        related: [LIVE],
        fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    ...([
      ['a workflow step', { '.github/workflows/manual.yml': 'on: workflow_dispatch\njobs:\n  go:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./scripts/redeploy-quick.sh\n' }],
      ['a Makefile recipe', { Makefile: 'redeploy:\n\tbash scripts/redeploy-quick.sh\n' }],
      ['a package.json script', { 'package.json': '{ "scripts": { "redeploy": "sh scripts/redeploy-quick.sh" } }\n' }],
      ['a README telling how to deploy', { 'docs/DEPLOYING.md': '# Deploying\n\nRun `./scripts/redeploy-quick.sh` after a hotfix.\n' }],
    ] as [string, Files][]).map(([how, files]) => ({
      name: `the same script named by ${how}: it runs, and the reserved name is an error`,
      files: { ...API, ...WORKFLOW, ...QUICK(), ...files },
      findings: [{
        at: 'scripts/redeploy-quick.sh:3', text: 'PORT', severity: 'error' as const, messageId: 'reservedName',
        message: /^api \(production\) sets PORT, which Cloud Run reserves and sets itself: the deploy is rejected$/,
        related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    })),
    {
      name: 'the script alone deploys the service (run by hand, it is the deploy): an error',
      files: { ...API, ...QUICK() },
      findings: [{
        at: 'scripts/redeploy-quick.sh:3', text: 'PORT', severity: 'error', messageId: 'reservedName',
        message: /the deploy is rejected$/, related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'the script deploys the same name to another project (a staging copy run by hand): an error',
      files: { ...API, ...WORKFLOW, ...QUICK('acme-staging') },
      findings: [{
        at: 'scripts/redeploy-quick.sh:3', text: 'PORT', severity: 'error', messageId: 'reservedName',
        message: /the deploy is rejected$/, related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'a Knative manifest nothing applies, beside the workflow that deploys the service: its reserved name is information naming the workflow',
      files: { ...API, ...WORKFLOW, ...SNAPSHOT() },
      findings: [{
        at: 'deploy/service.yaml:11', text: 'PORT', severity: 'info', messageId: 'reservedNameUnappliedBeside',
        message: /^api \(production\) sets PORT, which Cloud Run reserves: rejected if applied \(a manifest nothing here applies\)$/,
        related: [LIVE],
        fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'a Knative manifest nothing applies nor names, of a name no other file deploys: information (a snapshot or a stub until shown otherwise)',
      files: { ...API, ...WORKFLOW, ...SNAPSHOT('shop-api-preview') },
      findings: [{
        at: 'deploy/service.yaml:11', text: 'PORT', severity: 'info', messageId: 'reservedNameUnnamed',
        message: /\(nothing here applies or names it\)$/, related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      // A README naming it ("configured in", a heading) says it is the service's configuration, not
      // that anyone applies it beside the workflow that deploys: on real trees, a template.
      name: 'the same manifest a README names, beside the workflow that deploys: still information naming the workflow',
      files: { ...API, ...WORKFLOW, ...SNAPSHOT(), 'README.md': '# Deploying\n\nThe service is configured in `deploy/service.yaml`.\n' },
      findings: [{
        at: 'deploy/service.yaml:11', text: 'PORT', severity: 'info', messageId: 'reservedNameUnappliedBeside',
        message: /\(a manifest nothing here applies\)$/, related: [LIVE], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'a manifest a README names as the configuration of a name no other file deploys: people apply it by hand, a warning',
      files: { ...API, ...WORKFLOW, ...SNAPSHOT('shop-api-preview'), 'README.md': '# Deploying\n\nThe preview is configured in `deploy/service.yaml`.\n' },
      findings: [{
        at: 'deploy/service.yaml:11', text: 'PORT', severity: 'warning', messageId: 'reservedNameUnapplied',
        message: /\(nothing here applies it\)$/, related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'the manifest a README says to apply (gcloud run services replace), beside the workflow: it deploys, an error',
      files: { ...API, ...WORKFLOW, ...SNAPSHOT(), 'README.md': '# Deploying\n\n```\ngcloud run services replace deploy/service.yaml\n```\n' },
      findings: [{
        at: 'deploy/service.yaml:11', text: 'PORT', severity: 'error', messageId: 'reservedName',
        message: /the deploy is rejected$/, related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'the same manifest applied by a workflow step: it deploys, and the reserved name is an error',
      files: { ...API, ...WORKFLOW, ...SNAPSHOT(), '.github/workflows/replace.yml': 'on: workflow_dispatch\njobs:\n  go:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gcloud run services replace deploy/service.yaml --region europe-west1\n' },
      findings: [{
        at: 'deploy/service.yaml:11', text: 'PORT', severity: 'error', messageId: 'reservedName',
        message: /the deploy is rejected$/, related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
    {
      name: 'a flag pair gcloud refuses, in a script nothing runs beside the workflow: information',
      files: { ...API, ...WORKFLOW, ...REFUSED },
      findings: [{
        at: 'scripts/fix_env.sh:4', severity: 'info', messageId: 'refusedExclusiveVariant',
        message: /^shop-api is refused by gcloud: it takes --set-env-vars or --update-env-vars, not both \(a script nothing here runs\)$/,
        related: [LIVE], fixes: [],
      }],
    },
    {
      name: 'the same refused script named by another script: an error',
      files: { ...API, ...WORKFLOW, ...REFUSED, 'scripts/release.sh': '#!/usr/bin/env bash\n./scripts/fix_env.sh\n' },
      findings: [{
        at: 'scripts/fix_env.sh:4', severity: 'error', messageId: 'refusedExclusive',
        message: /^shop-api is refused by gcloud: it takes --set-env-vars or --update-env-vars, not both$/, related: [], fixes: [],
      }],
    },
  ],
});

/** A deploy that runs, setting what the code needs; a leftover that replaces it without one name. */
const DROPS: Files = {
  'api/package.json': '{ "name": "api", "scripts": { "start": "node server.js" } }\n',
  'api/server.js': "const base = process.env.PUBLIC_URL.replace(/\\/$/, '');\nrequire('http').createServer(() => base).listen(8080);\n",
  '.github/workflows/deploy.yml': `on: { push: { branches: [main] } }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: gcloud run deploy shop-api --source api --project acme-prod --set-env-vars PUBLIC_URL=https://shop.example.com,NODE_ENV=production
`,
  'scripts/hotfix_env.sh': '#!/usr/bin/env bash\ngcloud run deploy shop-api --source api --project acme-prod --set-env-vars NODE_ENV=production\n',
};

// Changed on purpose, then back: as information, 10 of the 12 such findings on the corpus were
// true. A leftover gcloud refuses harms nothing; one that deploys and drops variables does if run.
test('a leftover script that replaces the variables without one the running deploy sets stays a warning', async () => {
  const dropped = (await analyze(DROPS)).findings.filter((f) => f.rule === 'env-unset-for-deploy' && f.file === 'scripts/hotfix_env.sh');
  assert.equal(dropped.length, 1);
  assert.equal(dropped[0]!.severity, 'warning');
  assert.match(dropped[0]!.message, /PUBLIC_URL/);
});

RuleTester.run(placeholderSecret, {
  valid: [],
  invalid: [
    {
      name: 'a placeholder secret in a script nothing runs, beside the workflow: information naming it',
      files: { ...API, ...WORKFLOW, ...QUICK() },
      findings: [{
        at: 'scripts/redeploy-quick.sh:3', text: 'changeme', severity: 'info', messageId: 'inVariantScript',
        message: /^SESSION_SECRET for api \(production\) is a placeholder, in a script nothing here runs$/,
        related: [LIVE, '.github/workflows/deploy.yml:9'], fixes: [{ title: /SESSION_SECRET/, safe: false, preferred: true }],
      }],
      secrets: ['changeme'],
    },
    {
      // A document telling operators to run the PowerShell twin (`.\\redeploy-quick.ps1`) names it:
      // no leftover, the rule's own level.
      name: 'a PowerShell deploy script a document tells operators to run is no leftover',
      files: { ...API, ...WORKFLOW, 'scripts/redeploy-quick.ps1': 'gcloud run deploy shop-api --source api --project acme-prod --region europe-west1 `\n  --set-env-vars "LOG_LEVEL=info,SESSION_SECRET=changeme"\n', 'docs/DEPLOY.md': '# Deploy by hand\n\nRun `.\\scripts\\redeploy-quick.ps1` from the repository root.\n' },
      findings: [{
        at: 'scripts/redeploy-quick.ps1:2', text: 'changeme', severity: 'error', messageId: 'useSetSecrets',
        message: /^SESSION_SECRET for api \(production\) is a placeholder: take it from secret/, related: ['.github/workflows/deploy.yml:9'], fixes: [{ title: /SESSION_SECRET/, safe: false, preferred: true, output: {
          contains: { 'scripts/redeploy-quick.ps1': '--set-env-vars "LOG_LEVEL=info"\n' }, lacks: { 'scripts/redeploy-quick.ps1': 'changeme' }, remaining: [],
        } }],
      }],
      secrets: ['changeme'],
    },
    {
      name: 'the same placeholder where the script alone deploys the service: reported at the level the rule gives it',
      files: { ...API, ...QUICK() },
      findings: [{
        at: 'scripts/redeploy-quick.sh:3', text: 'changeme', severity: 'error', messageId: 'useSetSecrets',
        message: /^SESSION_SECRET for api \(production\) is a placeholder: take it from secret/, related: [], fixes: [{ title: /SESSION_SECRET/, safe: false, preferred: true }],
      }],
      secrets: ['changeme'],
    },
  ],
});

test('a fix in the leftover (removing PORT) clears its finding and nothing else changes', async () => {
  const files = { ...API, ...WORKFLOW, ...QUICK() };
  const before = (await analyze(files)).findings.filter((f) => f.rule === 'env-unset-for-deploy').length;
  const fixed = { ...files, 'scripts/redeploy-quick.sh': files['scripts/redeploy-quick.sh']!.replace('PORT=8080,', '') };
  const after = (await analyze(fixed)).findings.filter((f) => f.rule === 'env-unset-for-deploy').length;
  assert.equal(before, 1);
  assert.equal(after, 0);
});

test('a Knative manifest nothing applies that lacks a name the running deploy sets: information saying so, the running deploy related', async () => {
  const files: Files = { ...DROPS, 'deploy/service.yaml': SNAPSHOT()['deploy/service.yaml']!.replace(/ {12}- name: PORT\n {14}value: "8080"\n/, '') };
  const dropped = (await analyze(files)).findings.filter((f) => f.rule === 'env-unset-for-deploy' && f.file === 'deploy/service.yaml');
  assert.deepEqual(dropped.map((f) => [f.severity, f.messageId, f.message]), [[
    'info', 'deployPathWithoutLeftover', 'api (production) would be deployed here without PUBLIC_URL, which .github/workflows/deploy.yml sets and its code needs (a manifest nothing here applies)',
  ]]);
  assert.match(dropped[0]!.related[0]!.message, /by a file that runs$/);
  // Look-alike: the same manifest applied by a workflow step deploys: a warning.
  const applied = { ...files, '.github/workflows/replace.yml': 'on: workflow_dispatch\njobs:\n  go:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gcloud run services replace deploy/service.yaml --region europe-west1\n' };
  const warned = (await analyze(applied)).findings.filter((f) => f.rule === 'env-unset-for-deploy' && f.file === 'deploy/service.yaml');
  assert.deepEqual(warned.map((f) => [f.severity, f.messageId]), [['warning', 'deployPathWithout']]);
});
