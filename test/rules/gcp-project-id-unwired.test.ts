/**
 * gcp-project-id-unwired: code reads GCP_PROJECT_ID, a staging/production deploy of that service
 * does not set it. Valid and invalid workspaces side by side, across deploy file kinds, then
 * suppressions, configuration, and a fix round trip for every fix shape.
 *
 * Shape of the findings: one per deploy target lacking it, at the key of the env block the fix
 * edits (`--set-env-vars`, `env:`, `"env":`); related = every read that deploy leaves empty.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester, type ExpectedFinding, type ExpectedFix, type ExpectedRelated, type InvalidCase } from '../rule-tester';
import { gcpProjectIdUnwired } from '../../server/src/rules/gcp-project-id-unwired';

before(ready);

const RULE = 'gcp-project-id-unwired';

// ---- service code ---------------------------------------------------------------------------

/** A Python service gating Secret Manager on GCP_PROJECT_ID. */
const PY_SERVICE: Files = {
  'services/api/requirements.txt': 'fastapi\ngoogle-cloud-secret-manager\n',
  'services/api/app/secrets.py': `import os


class SecretManager:
    def _is_gcp_available(self) -> bool:
        return os.environ.get("GCP_PROJECT_ID") is not None

    def load(self) -> None:
        if not self._is_gcp_available():
            return
        project = os.environ["GCP_PROJECT_ID"]
        print(project)
`,
};
const PY_READ = 'services/api/app/secrets.py:6';

/** A TypeScript service doing the same. */
const TS_SERVICE: Files = {
  'services/web/package.json': '{ "name": "web", "dependencies": { "@google-cloud/secret-manager": "^5.0.0" } }\n',
  'services/web/src/config.ts': `import { SecretManagerServiceClient } from "@google-cloud/secret-manager";

export async function loadSecrets(): Promise<string | undefined> {
  if (process.env.GCP_PROJECT_ID) {
    const client = new SecretManagerServiceClient();
    const [v] = await client.accessSecretVersion({ name: \`projects/\${process.env.GCP_PROJECT_ID}/secrets/web-key/versions/latest\` });
    return v.payload?.data?.toString();
  }
  return undefined;
}
`,
};

// ---- deploys ----------------------------------------------------------------------------------

const PY_DEPLOY = `#!/usr/bin/env python3
"""Deploy the api to Cloud Run (staging)."""
import subprocess

PROJECT_ID = "acme-staging"

SERVICES = {
    "api": {
        "source": "services/api",
        "env": {
            "ENVIRONMENT": "staging",
            "LOG_LEVEL": "info",
        },
    },
}


def deploy(name, cfg):
    env = ",".join(f"{k}={v}" for k, v in cfg["env"].items())
    subprocess.run(["gcloud", "run", "deploy", f"{name}-staging", "--source", cfg["source"],
                    "--project", PROJECT_ID, "--set-env-vars", env], check=True)
`;

const SHELL_DEPLOY = `#!/usr/bin/env bash
set -euo pipefail
PROJECT_ID="acme-staging"

gcloud run deploy api-staging \\
  --source services/api \\
  --project "$PROJECT_ID" \\
  --region europe-west1 \\
  --set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info"
`;

const CLOUDBUILD = `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - web-production
      - --image
      - europe-docker.pkg.dev/$PROJECT_ID/apps/web:$SHORT_SHA
      - --set-env-vars
      - ENVIRONMENT=production,LOG_LEVEL=warning
`;

const KNATIVE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: api-production
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-prod/apps/api:latest
          env:
            # log verbosity
            - name: ENVIRONMENT
              value: production
            - name: LOG_LEVEL
              value: warning
`;

const GHA_DEPLOY_CLOUDRUN = `name: Deploy web
on: { push: { branches: [main] } }
jobs:
  staging:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: web-staging
          source: services/web
          project_id: acme-staging
          env_vars: |
            ENVIRONMENT=staging
            LOG_LEVEL=info
`;

const GHA_RUN_UPDATE = `name: Deploy web (production)
on: workflow_dispatch
jobs:
  production:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - name: Deploy
        run: |
          gcloud run deploy web-production \\
            --source services/web \\
            --project acme-prod \\
            --update-env-vars ENVIRONMENT=production
`;

const SHELL_NO_ENV = `#!/usr/bin/env bash
gcloud run deploy api-staging --source services/api --project acme-staging --region europe-west1
`;

const SHELL_WEB_SETS_IT = `#!/usr/bin/env bash
gcloud run deploy web-staging --source services/web --project acme-staging --set-env-vars GCP_PROJECT_ID=acme-staging
`;

interface Invalid {
  name: string;
  files: Files;
  /** The finding: at the key of the env block the fix edits; related = the reads. */
  at: string;
  text: string;
  messageId: 'deployWithout' | 'deployWithoutKeeps' | 'deployWithoutSecondSource' | 'deployWithoutImageOnly';
  message: RegExp;
  reads: string[];
  severity: 'error' | 'warning' | 'info';
  /** The fix: its title, safety, and the text the edited file must then contain. */
  fix: { title: RegExp; safe: boolean; file: string; contains: string };
}

const PY_READS = [PY_READ, 'services/api/app/secrets.py:11'];
const TS_READS = ['services/web/src/config.ts:4', 'services/web/src/config.ts:6'];
const API_READS = /^api \((staging|production)\) is deployed without GCP_PROJECT_ID, which services\/api\/app\/secrets\.py reads$/;
const WEB_READS = /^web \((staging|production)\) is deployed without GCP_PROJECT_ID, which services\/web\/src\/config\.ts reads$/;

const invalid: Invalid[] = [
  {
    name: 'Python deploy script: dict of env vars without it, at its "env" key; value from PROJECT_ID',
    files: { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY },
    at: 'scripts/deploy_staging.py:10', text: '"env"', messageId: 'deployWithout', message: API_READS, reads: PY_READS, severity: 'error',
    fix: { title: /^Add GCP_PROJECT_ID=PROJECT_ID to api \(staging\)$/, safe: true, file: 'scripts/deploy_staging.py', contains: '            "LOG_LEVEL": "info",\n            "GCP_PROJECT_ID": PROJECT_ID,\n        },' },
  },
  {
    name: 'shell gcloud run deploy --set-env-vars: the script\'s own "$PROJECT_ID", written ${PROJECT_ID}',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
    at: 'deploy/deploy-api-staging.sh:9', text: '--set-env-vars', messageId: 'deployWithout', message: API_READS, reads: PY_READS, severity: 'error',
    fix: { title: /^Add GCP_PROJECT_ID=\$\{PROJECT_ID\} to api \(staging\)$/, safe: true, file: 'deploy/deploy-api-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}"' },
  },
  {
    name: 'Cloud Build args without --project: value is the built-in $PROJECT_ID',
    files: { ...TS_SERVICE, 'cloudbuild-production.yaml': CLOUDBUILD },
    at: 'cloudbuild-production.yaml:10', text: '--set-env-vars', messageId: 'deployWithout', message: WEB_READS, reads: TS_READS, severity: 'error',
    fix: { title: /Add GCP_PROJECT_ID=\$PROJECT_ID/, safe: true, file: 'cloudbuild-production.yaml', contains: '      - ENVIRONMENT=production,LOG_LEVEL=warning,GCP_PROJECT_ID=$PROJECT_ID\n' },
  },
  {
    name: 'Knative service YAML with no project anywhere: at `env:`; a marked placeholder (unsafe)',
    files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE },
    at: 'deploy/api-production.yaml:10', text: 'env', messageId: 'deployWithout', message: API_READS, reads: PY_READS, severity: 'error',
    fix: { title: /REPLACE_WITH_GCP_PROJECT_ID.*fill in the project id/, safe: false, file: 'deploy/api-production.yaml', contains: '              value: warning\n            - name: GCP_PROJECT_ID\n              value: REPLACE_WITH_GCP_PROJECT_ID\n' },
  },
  {
    name: 'GitHub Actions deploy-cloudrun env_vars (overwrite strategy): at `env_vars:`; value from project_id',
    files: { ...TS_SERVICE, '.github/workflows/deploy-web.yml': GHA_DEPLOY_CLOUDRUN.replace('          env_vars: |', '          env_vars_update_strategy: overwrite\n          env_vars: |') },
    at: '.github/workflows/deploy-web.yml:14', text: 'env_vars', messageId: 'deployWithout', message: WEB_READS, reads: TS_READS, severity: 'error',
    fix: { title: /Add GCP_PROJECT_ID=acme-staging/, safe: true, file: '.github/workflows/deploy-web.yml', contains: '            LOG_LEVEL=info\n            GCP_PROJECT_ID=acme-staging\n' },
  },
  {
    name: 'GitHub Actions deploy-cloudrun env_vars (default merge strategy keeps earlier variables): a warning that says so',
    files: { ...TS_SERVICE, '.github/workflows/deploy-web.yml': GHA_DEPLOY_CLOUDRUN },
    at: '.github/workflows/deploy-web.yml:13', text: 'env_vars', messageId: 'deployWithoutKeeps',
    message: /^web \(staging\) may lack GCP_PROJECT_ID, which services\/web\/src\/config\.ts reads: its deploy keeps earlier variables$/, reads: TS_READS, severity: 'warning',
    fix: { title: /Add GCP_PROJECT_ID=acme-staging/, safe: true, file: '.github/workflows/deploy-web.yml', contains: '            LOG_LEVEL=info\n            GCP_PROJECT_ID=acme-staging\n' },
  },
  {
    name: 'GitHub Actions run: with --update-env-vars: a warning that says why',
    files: { ...TS_SERVICE, '.github/workflows/release.yml': GHA_RUN_UPDATE },
    at: '.github/workflows/release.yml:13', text: '--update-env-vars', messageId: 'deployWithoutKeeps',
    message: /^web \(production\) may lack GCP_PROJECT_ID, which services\/web\/src\/config\.ts reads: its deploy keeps earlier variables$/, reads: TS_READS, severity: 'warning',
    fix: { title: /Add GCP_PROJECT_ID=acme-prod/, safe: true, file: '.github/workflows/release.yml', contains: '--update-env-vars ENVIRONMENT=production,GCP_PROJECT_ID=acme-prod\n' },
  },
  {
    // A deploy without env flags keeps the variables the service has: lower certainty.
    // Info, as env-unset-for-deploy says of the same target: a deploy with no variable, secret or
    // env-file flag, and nothing else in the workspace setting anything for the service, keeps a
    // configuration managed outside the repository (on real repositories, mostly the console).
    // Changed on purpose: reported for any such deploy before; now only where other deploys of
    // the repository set the name (a name none sets is configured outside it).
    name: 'shell deploy with no env flag at all while another service\'s deploy sets it (info that names it): at the deployed name; a new --update-env-vars word',
    files: { ...PY_SERVICE, ...TS_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_NO_ENV, 'deploy/deploy-web-staging.sh': SHELL_WEB_SETS_IT },
    at: 'deploy/deploy-api-staging.sh:2', text: 'api-staging', messageId: 'deployWithoutImageOnly', message: /^api \(staging\) may lack GCP_PROJECT_ID, .*: set for web \(staging\), not by its deploy$/, reads: PY_READS, severity: 'info',
    fix: { title: /Add GCP_PROJECT_ID=acme-staging/, safe: true, file: 'deploy/deploy-api-staging.sh', contains: '--region europe-west1 --update-env-vars=GCP_PROJECT_ID=acme-staging\n' },
  },
  {
    // The deploy delivers the secrets as variables and everything the code needs: the code's own
    // Secret Manager path is a second source, so only what it alone loads can be missing.
    name: 'shell deploy that mounts secrets itself and sets every variable the code needs: a warning that says so',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info" \\\n  --set-secrets "JWT_SECRET_KEY=jwt-secret-key-staging:latest,DB_PASSWORD=db-password-staging:latest"') },
    at: 'deploy/deploy-api-staging.sh:9', text: '--set-env-vars', messageId: 'deployWithoutSecondSource',
    message: /^api \(staging\) is deployed without GCP_PROJECT_ID, which services\/api\/app\/secrets\.py reads \(it mounts secrets itself\)$/,
    reads: PY_READS, severity: 'warning',
    fix: { title: /^Add GCP_PROJECT_ID=\$\{PROJECT_ID\} to api \(staging\)$/, safe: true, file: 'deploy/deploy-api-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}" \\\n  --set-secrets' },
  },
  {
    // Secrets mounted, but a variable the code needs is set by no deploy: the Secret Manager path
    // is where the code would have found it, so the missing project id is still an error.
    name: 'shell deploy that mounts secrets but leaves a needed variable unset: still an error',
    files: {
      ...PY_SERVICE,
      'services/api/app/internal.py': 'import os\nfrom app.secrets import SecretManager\n\nSecretManager().load()\nSERVICE_TOKEN = os.environ["SERVICE_TOKEN"]\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info" \\\n  --set-secrets "JWT_SECRET_KEY=jwt-secret-key-staging:latest"'),
    },
    at: 'deploy/deploy-api-staging.sh:9', text: '--set-env-vars', messageId: 'deployWithout', message: API_READS, reads: PY_READS, severity: 'error',
    fix: { title: /^Add GCP_PROJECT_ID=\$\{PROJECT_ID\} to api \(staging\)$/, safe: true, file: 'deploy/deploy-api-staging.sh', contains: '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}" \\\n  --set-secrets' },
  },
];

interface Valid {
  name: string;
  files: Files;
  config?: string;
  /** The same workspace minus the reason it is quiet: must fire (so the case tests what it says). */
  control?: Files;
}

/** Cloud configuration switched on by a variable (not secret-like: a deploy that keeps its secrets
 * could hold a secret-like one): the project is read only where the switch is set. */
const SWITCHED = {
  'services/api/requirements.txt': 'fastapi\n',
  'services/api/app/secrets.py': 'import os\n\nif os.getenv("USE_CLOUD_CONFIG"):\n    PROJECT = os.environ["GCP_PROJECT_ID"]\n',
};

/** A settings module that stores the project for other modules and uses it nowhere itself:
 * whether anything gates on it is not seen (information). */
const STORED_ONLY: Files = {
  'services/api/requirements.txt': 'django\ndjango-storages\n',
  'services/api/site/settings.py': `import os

STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "media")
STORAGE_PROJECT = os.environ.get("GCP_PROJECT_ID")
`,
};

const valid: Valid[] = [
  {
    // Nothing in the repository sets GCP_PROJECT_ID: the service is configured outside it.
    name: 'shell deploy with no env flag at all, no deploy here sets it: nothing to say',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_NO_ENV },
    control: { ...PY_SERVICE, ...TS_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_NO_ENV, 'deploy/deploy-web-staging.sh': SHELL_WEB_SETS_IT },
  },
  {
    name: 'read only behind a switch the deploy does not turn on',
    files: { ...SWITCHED, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
    control: { ...SWITCHED, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info,USE_CLOUD_CONFIG=1"') },
  },
  {
    name: 'the shell deploy sets it from ${PROJECT_ID}',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}"') },
  },
  {
    name: 'the Knative env list sets it (look-alike: GCP_PROJECT is not enough, GCP_PROJECT_ID is there)',
    files: { ...PY_SERVICE, 'deploy/api-production.yaml': KNATIVE.replace('              value: warning\n', '              value: warning\n            - name: GCP_PROJECT\n              value: acme-prod\n            - name: GCP_PROJECT_ID\n              value: acme-prod\n') },
  },
  {
    name: 'the deploy-cloudrun step sets it',
    files: { ...TS_SERVICE, '.github/workflows/deploy-web.yml': GHA_DEPLOY_CLOUDRUN.replace('LOG_LEVEL=info\n', 'LOG_LEVEL=info\n            GCP_PROJECT_ID=acme-staging\n') },
  },
  {
    name: 'read only in a test file',
    files: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/tests/test_secrets.py': 'import os\n\n\ndef test_project():\n    assert os.environ["GCP_PROJECT_ID"] == "acme-test"\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
    control: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/project.py': 'import os\n\n\ndef project():\n    return os.environ["GCP_PROJECT_ID"]\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
  },
  {
    name: 'read only in a development branch',
    files: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/dev.py': 'import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "development":\n    EMULATOR_PROJECT = os.environ["GCP_PROJECT_ID"]\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
    control: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/dev.py': 'import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "staging":\n    EMULATOR_PROJECT = os.environ["GCP_PROJECT_ID"]\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
  },
  {
    name: 'presence test among several GCP signals (secret-manager-gate\'s widening already applied)',
    files: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/secrets.py': `import os


def _running_on_gcp() -> bool:
    return (
        "GCP_PROJECT_ID" in os.environ
        or "GOOGLE_APPLICATION_CREDENTIALS" in os.environ
        or "K_SERVICE" in os.environ
    )


def secret_manager_enabled() -> bool:
    return _running_on_gcp()
`,
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
    control: {
      'services/api/requirements.txt': 'fastapi\n',
      'services/api/app/secrets.py': 'import os\n\n\ndef secret_manager_enabled() -> bool:\n    return "GCP_PROJECT_ID" in os.environ\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
  },
  {
    name: 'only a development target (docker compose) lacks it',
    files: {
      ...PY_SERVICE,
      'docker-compose.yml': 'services:\n  api:\n    build: ./services/api\n    environment:\n      ENVIRONMENT: development\n',
    },
    control: {
      ...PY_SERVICE,
      'docker-compose.yml': 'services:\n  api:\n    build: ./services/api\n    environment:\n      ENVIRONMENT: development\n',
      'deploy/deploy-api-staging.sh': SHELL_DEPLOY,
    },
  },
  {
    name: 'another service reads it; the deployed one does not',
    files: {
      ...PY_SERVICE,
      'services/billing/requirements.txt': 'fastapi\n',
      'services/billing/app/main.py': 'import os\n\nLOG_LEVEL = os.environ.get("LOG_LEVEL", "info")\n',
      'deploy/deploy-billing-staging.sh': SHELL_DEPLOY.replace(/api/g, 'billing'),
    },
  },
  {
    name: 'the config declares it runtime-provided',
    files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
    config: 'runtimeProvided: [GCP_PROJECT_ID]\n',
  },
];

const SETTINGS_PY = `import os

ENVIRONMENT = os.environ.get("ENVIRONMENT", "development")
if ENVIRONMENT == "production":
    BILLING_PROJECT = os.environ["GCP_PROJECT_ID"]

PROJECT = os.environ.get("GCP_PROJECT_ID")
`;

const NAME = 'GCP_PROJECT_ID';
/** A related read: its message names the accessor, its span the variable. */
const readRelated = (at: string): ExpectedRelated => ({ at, message: /^GCP_PROJECT_ID read here \(.+\)$/, text: NAME });
/** The fix a case's target gets (`output`: applied with the shared round trip). */
const fixOf = (c: Invalid, output = false): ExpectedFix => ({
  title: c.fix.title, safe: c.fix.safe, preferred: true, files: [c.fix.file],
  ...(output ? { output: { contains: { [c.fix.file]: c.fix.contains }, remaining: [] } } : {}),
});
const finding = (c: Invalid, over: Partial<ExpectedFinding> = {}, reads = c.reads, output = false): ExpectedFinding => ({
  at: c.at, text: c.text, severity: c.severity, messageId: c.messageId, message: c.message, related: reads.map(readRelated), fixes: [fixOf(c, output)], ...over,
});
const oneEnd = (c: Invalid): InvalidCase => ({ name: c.name, files: c.files, findings: [finding(c, {}, c.reads, true)] });

const [PY_SCRIPT_CASE, SHELL_CASE, CLOUDBUILD_CASE, KNATIVE_CASE, , , GHA_RUN_CASE] = invalid;
/** PY_SERVICE with a disable-next-line comment above the given reads (by their line in PY_SERVICE). */
function suppressReads(lines: number[], rule = RULE): Files {
  const text = PY_SERVICE['services/api/app/secrets.py'].split('\n');
  for (const n of [...lines].sort((a, b) => b - a)) {
    const indent = /^\s*/.exec(text[n - 1])![0];
    text.splice(n - 1, 0, `${indent}# deploy-preflight-disable-next-line ${rule} -- only used on GCP`);
  }
  return { ...PY_SERVICE, 'services/api/app/secrets.py': text.join('\n') };
}
const PY_DEPLOY_SUPPRESSED = PY_DEPLOY.replace('        "env": {', '        # deploy-preflight-disable-next-line gcp-project-id-unwired -- the project comes from the runtime\n        "env": {');
const CLOUDBUILD_SUPPRESSED = '# deploy-preflight-disable gcp-project-id-unwired\n' + CLOUDBUILD;
const SHELL_SUPPRESSED = SHELL_DEPLOY.replace('gcloud run deploy', '# deploy-preflight-disable gcp-project-id-unwired -- set by the base image\ngcloud run deploy');
const SHELL_SETS_IT = SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=info,GCP_PROJECT_ID=${PROJECT_ID}"');
const PLANTED = 'sk_live_9fQ2xT7vLm3pR8wZ';
const SETTINGS = { 'services/api/requirements.txt': 'fastapi\n', 'services/api/app/settings.py': SETTINGS_PY };
const SETTINGS_READS = /^api \((staging|production)\) is deployed without GCP_PROJECT_ID, which services\/api\/app\/settings\.py reads$/;
const STORED_READS = /^api \((staging|production)\) is deployed without GCP_PROJECT_ID, which services\/api\/app\/settings\.py reads without using it there$/;

RuleTester.run(gcpProjectIdUnwired, {
  valid: [
    ...valid.map((c) => ({ name: c.name, files: c.files, config: c.config, ...(c.control ? { control: { files: c.control, config: c.config } } : {}) })),
    {
      name: 'suppression: # next-line above the Python deploy script\'s "env" key: nothing left, nothing unused',
      files: { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY_SUPPRESSED },
      others: { 'unused-suppression': [] },
      control: { files: PY_SCRIPT_CASE.files },
    },
    {
      name: 'suppression: # disable (whole file) in Cloud Build YAML: nothing left, nothing unused',
      files: { ...TS_SERVICE, 'cloudbuild-production.yaml': CLOUDBUILD_SUPPRESSED },
      others: { 'unused-suppression': [] },
      control: { files: CLOUDBUILD_CASE.files },
    },
    {
      // The finding sits on the --set-env-vars line inside a continued command, where a comment
      // would end the command; the whole-file form is the shell way.
      name: 'suppression: # disable (whole file) in the shell script: nothing left, nothing unused',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_SUPPRESSED },
      others: { 'unused-suppression': [] },
      control: { files: SHELL_CASE.files },
    },
    {
      name: 'an unused suppression for this rule is reported as unused-suppression',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_SETS_IT.replace('gcloud run deploy', '# deploy-preflight-disable-next-line gcp-project-id-unwired\ngcloud run deploy') },
      others: { 'unused-suppression': [{ at: 'deploy/deploy-api-staging.sh:5', severity: 'info', message: /no gcp-project-id-unwired finding here/ }] },
    },
    {
      name: 'config: off',
      files: SHELL_CASE.files,
      config: 'rules:\n  gcp-project-id-unwired: off\n',
      control: {},
    },
    {
      name: 'a read with a default outside any Secret Manager gate is no requirement',
      files: { 'services/api/requirements.txt': 'fastapi\n', 'services/api/app/tracing.py': 'import os\n\nPROJECT = os.environ.get("GCP_PROJECT_ID", "acme-prod")\n', 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
      control: { files: { 'services/api/requirements.txt': 'fastapi\n', 'services/api/app/tracing.py': 'import os\n\nPROJECT = os.environ["GCP_PROJECT_ID"]\n', 'deploy/deploy-api-staging.sh': SHELL_DEPLOY } },
    },
  ],
  invalid: [
    ...invalid.map(oneEnd),
    {
      // Two full deploys of api (staging): the release script sets it, a hand-run one drops it.
      name: 'a second full deploy of the same target drops it: a warning at that deploy, fixed from its own project',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_SETS_IT, 'scripts/redeploy-api.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', 'LOG_LEVEL=debug"') },
      findings: [{
        at: 'scripts/redeploy-api.sh:9', text: '--set-env-vars', severity: 'warning', messageId: 'deployPathWithout',
        message: /^api \(staging\) is deployed here without GCP_PROJECT_ID, which deploy\/deploy-api-staging\.sh sets and its code needs$/,
        related: ['deploy/deploy-api-staging.sh:9', ...PY_READS],
        fixes: [{
          title: 'Add GCP_PROJECT_ID=${PROJECT_ID} to this deploy of api (staging)', safe: true, preferred: true,
          output: { contains: { 'scripts/redeploy-api.sh': '--set-env-vars "ENVIRONMENT=staging,LOG_LEVEL=debug,GCP_PROJECT_ID=${PROJECT_ID}"' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'a read in a production-only branch does not need the staging deploy to set it',
      files: { ...SETTINGS, 'services/api/app/settings.py': 'import os\n\nENVIRONMENT = os.environ.get("ENVIRONMENT", "development")\nif ENVIRONMENT == "production":\n    PROJECT = os.environ["GCP_PROJECT_ID"]\n', 'deploy/deploy-api-staging.sh': SHELL_DEPLOY, 'deploy/api-production.yaml': KNATIVE },
      findings: [finding(KNATIVE_CASE, { message: SETTINGS_READS }, ['services/api/app/settings.py:5'])],
    },
    {
      name: 'each deploy relates only the reads it leaves empty',
      files: { ...SETTINGS, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY, 'deploy/api-production.yaml': KNATIVE },
      findings: [
        finding(KNATIVE_CASE, { message: SETTINGS_READS }, ['services/api/app/settings.py:5', 'services/api/app/settings.py:7']),
        // The staging deploy leaves only the stored module constant empty: no gate is seen.
        finding(SHELL_CASE, { message: STORED_READS, severity: 'info', messageId: 'deployWithoutUnseen' }, ['services/api/app/settings.py:7']),
      ],
    },
    {
      name: 'a settings module only stores it for other modules: information, since no gate is seen',
      files: { ...STORED_ONLY, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
      findings: [finding(SHELL_CASE, {
        message: /^api \(staging\) is deployed without GCP_PROJECT_ID, which services\/api\/site\/settings\.py reads without using it there$/,
        severity: 'info', messageId: 'deployWithoutUnseen',
      }, ['services/api/site/settings.py:4'])],
    },
    {
      name: 'two reading files of one service: one finding, both files named and every read related; one fix clears it',
      files: { ...PY_SERVICE, 'services/api/app/config.py': 'import os\nfrom app.secrets import SecretManager\n\nPROJECT = os.getenv("GCP_PROJECT_ID")\nSecretManager().load()\n', 'deploy/deploy-api-staging.sh': SHELL_DEPLOY },
      findings: [finding(SHELL_CASE, { message: /^api \(staging\) is deployed without GCP_PROJECT_ID, which services\/api\/app\/config\.py and services\/api\/app\/secrets\.py read$/ },
        ['services/api/app/config.py:4', ...PY_READS], true)],
    },
    {
      name: 'two deploy targets: one finding each, its own fix; fixing one leaves the other',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY, 'deploy/api-production.yaml': KNATIVE },
      findings: [
        finding(KNATIVE_CASE, { fixes: [{ ...fixOf(KNATIVE_CASE), output: { remaining: ['deploy/deploy-api-staging.sh:9'] } }] }),
        finding(SHELL_CASE, { fixes: [{ ...fixOf(SHELL_CASE), output: { remaining: ['deploy/api-production.yaml:10'] } }] }),
      ],
      // The gate names one service once, with both environments, so the line fits.
      others: { 'secret-manager-gate': [{ at: 'services/api/app/secrets.py:6', message: /, which api \(production, staging\) do not set$|, which api \(staging, production\) do not set$/ }] },
    },
    {
      name: 'suppression: # next-line at a read is unused (the finding is at the deploy)',
      files: { ...suppressReads([6]), 'scripts/deploy_staging.py': PY_DEPLOY },
      findings: [finding(PY_SCRIPT_CASE, {}, ['services/api/app/secrets.py:7', 'services/api/app/secrets.py:12'])],
      others: { 'unused-suppression': ['services/api/app/secrets.py:6'] },
    },
    {
      name: 'suppression: a comment for another rule silences nothing of this one',
      files: { ...PY_SERVICE, 'scripts/deploy_staging.py': PY_DEPLOY_SUPPRESSED.replace('gcp-project-id-unwired', 'env-unset-for-deploy') },
      findings: [finding(PY_SCRIPT_CASE, { at: 'scripts/deploy_staging.py:11' })],
      others: { 'unused-suppression': ['scripts/deploy_staging.py:10'] },
    },
    {
      name: 'config: a severity override',
      files: SHELL_CASE.files,
      config: 'rules:\n  gcp-project-id-unwired: warning\n',
      findings: [finding(SHELL_CASE, { severity: 'warning' })],
    },
    {
      name: 'config: an error override applies to an additive deploy too',
      files: GHA_RUN_CASE.files,
      config: 'rules:\n  gcp-project-id-unwired: error\n',
      findings: [finding(GHA_RUN_CASE, { severity: 'error' })],
    },
    {
      name: 'a deploy linked to the service by its deployed name only: a warning that says so',
      files: { ...PY_SERVICE, 'services/web/requirements.txt': 'flask\n', 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('  --source services/api \\\n', '  --image europe-docker.pkg.dev/acme/apps/prebuilt:1 \\\n') },
      findings: [finding(SHELL_CASE, {
        severity: 'warning', messageId: 'deployWithoutInferred',
        message: /^api \(staging\) is deployed without GCP_PROJECT_ID, which services\/api\/app\/secrets\.py reads \(deploy linked by name\)$/,
      })],
    },
    {
      name: 'a literal --project: the fix writes the literal',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('--project "$PROJECT_ID"', '--project acme-staging') },
      findings: [finding(SHELL_CASE, { fixes: [{ title: /^Add GCP_PROJECT_ID=acme-staging to api \(staging\)$/, safe: true, preferred: true, newText: ',GCP_PROJECT_ID=acme-staging' }] })],
    },
    {
      name: 'single-quoted --set-env-vars cannot expand the variable: the fix writes the value it holds',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('"ENVIRONMENT=staging,LOG_LEVEL=info"', "'ENVIRONMENT=staging,LOG_LEVEL=info'") },
      findings: [finding(SHELL_CASE, { fixes: [{ title: /^Add GCP_PROJECT_ID=acme-staging to api \(staging\)$/, safe: true, preferred: true, newText: ',GCP_PROJECT_ID=acme-staging' }] })],
    },
    {
      name: 'the message and fix never carry a secret value from the deploy',
      files: { ...PY_SERVICE, 'deploy/deploy-api-staging.sh': SHELL_DEPLOY.replace('LOG_LEVEL=info"', `LOG_LEVEL=info,STRIPE_SECRET_KEY=${PLANTED}"`) },
      findings: [finding(SHELL_CASE)],
      secrets: [PLANTED],
    },
  ],
});
