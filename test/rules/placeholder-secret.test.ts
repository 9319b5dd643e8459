/**
 * placeholder-secret: a secret-like variable whose staging/production value is a placeholder.
 * One workspace per deploy syntax (each gets its own advice on where the real value comes from),
 * look-alikes that stay quiet, suppressions and configuration.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester, type ExpectedFinding, type ExpectedFix } from '../rule-tester';
import { guessableShape, placeholderShape, selfDeclaredShape, standInShape } from '../../server/src/knowledge/secrets';
import { placeholderSecret } from '../../server/src/rules/placeholder-secret';

before(ready);

const CODE: Files = {
  'services/backend/requirements.txt': 'fastapi\n',
  'services/backend/app/settings.py': 'import os\nKEY = os.environ["JWT_SECRET_KEY"]\nSIGNED = bool(os.environ.get("SERVICE_SECRET"))\nRELEASES = bool(os.environ.get("SENTRY_AUTH_TOKEN"))\n',
  'services/auth/package.json': '{ "name": "auth" }\n',
  'services/auth/src/config.ts': 'export const token = process.env.STRIPE_API_KEY;\nexport const withPassword = process.env.DB_PASSWORD !== undefined;\n',
};

/** The auth service's image runs `src/server.js`, which imports `imported`; a setup script beside
 * it reads ADMIN_API_TOKEN. */
const PROGRAM_AUTH = (imported: string): Files => ({
  'services/auth/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/server.js"]\n',
  'services/auth/src/server.js': `require('${imported}');\nrequire('./config');\n`,
  'services/auth/src/config.js': 'module.exports = { port: process.env.PORT || 8080 };\n',
  'services/auth/scripts/first-run.js': 'const token = process.env.ADMIN_API_TOKEN;\nif (!token) throw new Error("no token");\nmodule.exports = token;\n',
});

/** The ledger service keeps SIGNING_SECRET in a pydantic-settings field; `use` is a line of another
 * module, `ownUse` one of the settings module, either of which may name the field
 * (`settings.signing_secret`). Its staging deploy gives the secret a placeholder. */
const SETTINGS_LEDGER = (use: string, ownUse = ''): Files => ({
  'services/ledger/app/config.py': [
    'import os',
    'from pydantic_settings import BaseSettings',
    'class Settings(BaseSettings):',
    '    database_url: str',
    '    signing_secret: str = os.getenv("SIGNING_SECRET", "changeme")',
    'settings = Settings()',
    ownUse,
  ].join('\n'),
  'services/ledger/app/main.py': `from app.config import settings\nengine = create_engine(settings.database_url)\n${use}\n`,
  'deploy/deploy-ledger-staging.sh': `gcloud run deploy ledger-staging --source services/ledger --project acme-staging \\\n  --set-env-vars "ENVIRONMENT=staging,DATABASE_URL=postgresql://db/app,SIGNING_SECRET=changeme"\n`,
});

const SHELL_STAGING = (envVars: string): Files => ({
  'deploy/deploy-auth-staging.sh': [
    '#!/usr/bin/env bash',
    'gcloud run deploy auth-staging \\',
    '  --source services/auth \\',
    '  --project acme-staging \\',
    `  --set-env-vars "${envVars}"`,
    '',
  ].join('\n'),
});

const PY_STAGING: Files = {
  'scripts/deploy_to_gcp.py': [
    'import subprocess',
    '',
    'ENV_VARS = {',
    '    "ENVIRONMENT": "staging",',
    '    "DATABASE_URL": "postgresql+asyncpg://app:${DB_PASSWORD}@10.0.0.3/app",',
    '    "JWT_SECRET_KEY": "jwt-secret-key-staging:latest",',
    '}',
    '',
    'def deploy(project_id="acme-staging"):',
    '    env = ",".join(f"{k}={v}" for k, v in ENV_VARS.items())',
    '    subprocess.run(["gcloud", "run", "deploy", "backend-staging", "--source", "services/backend",',
    '                    "--project", project_id, "--set-secrets", "JWT_SECRET_KEY=jwt-secret-key-staging:latest",',
    '                    "--set-env-vars", env], check=True)',
    '',
  ].join('\n'),
};

const KNATIVE_PROD = (value: string): Files => ({
  'deploy/backend-production.yaml': [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: backend-production',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - image: us-docker.pkg.dev/acme-prod/services/backend:latest',
    '          env:',
    '            - name: ENVIRONMENT',
    '              value: production',
    '            - name: SERVICE_SECRET',
    `              value: ${value}`,
    '',
  ].join('\n'),
});

/** A plain Kubernetes Deployment (not Knative): its own branch of the advice. */
const K8S_STAGING = (value: string): Files => ({
  'deploy/backend-staging.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: backend-staging',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: backend',
    '          image: us-docker.pkg.dev/acme-staging/services/backend:latest',
    '          env:',
    '            - name: ENVIRONMENT',
    '              value: staging',
    '            - name: SERVICE_SECRET',
    `              value: ${value}`,
    '',
  ].join('\n'),
});

const GHA_PROD = (line: string): Files => ({
  '.github/workflows/deploy-auth.yml': [
    'name: Deploy auth',
    'on:',
    '  push:',
    '    tags: ["auth-v*"]',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: google-github-actions/deploy-cloudrun@v2',
    '        with:',
    '          service: auth-production',
    '          source: services/auth',
    '          project_id: acme-prod',
    '          env_vars: |',
    '            ENVIRONMENT=production',
    `            ${line}`,
    '',
  ].join('\n'),
});

/** A setup script that stores `value` as secret `secret` (shell), and a staging deploy of auth taking SERVICE_SECRET from it. */
const STORED_SHELL = (value: string, secret = 'service-secret-staging'): Files => ({
  'deploy/setup-secrets.sh': `#!/usr/bin/env bash\nset -euo pipefail\necho -n "${value}" | gcloud secrets versions add ${secret} --data-file=-\n`,
  'deploy/deploy-auth-staging.sh': [
    '#!/usr/bin/env bash',
    'gcloud run deploy auth-staging \\',
    '  --source services/auth \\',
    '  --project acme-staging \\',
    '  --set-secrets "SERVICE_SECRET=service-secret-staging:latest"',
    '',
  ].join('\n'),
});

/** A setup script whose helper stores what each call passes: one call a value `read` from the
 * operator, one a literal. */
const HELPER_SHELL = (value: string, notice = ''): Files => ({
  'deploy/setup-secrets.sh': [
    '#!/usr/bin/env bash',
    ...(notice ? [notice] : []),
    'set_secret() {',
    '  local name=$1',
    '  local value=$2',
    '  gcloud secrets create "$name" --replication-policy=automatic 2>/dev/null || true',
    '  echo -n "$value" | gcloud secrets versions add "$name" --data-file=-',
    '}',
    'prompt_secret() {',
    '  read -r value',
    '  set_secret "$1" "$value"',
    '}',
    'prompt_secret redis-url-staging',
    `set_secret database-url-staging "${value}"`,
    '',
  ].join('\n'),
  'deploy/deploy-auth-staging.sh': [
    '#!/usr/bin/env bash',
    'gcloud run deploy auth-staging \\',
    '  --source services/auth \\',
    '  --project acme-staging \\',
    '  --set-secrets "DATABASE_URL=database-url-staging:latest,REDIS_URL=redis-url-staging:latest"',
    '',
  ].join('\n'),
  'services/auth/src/db.ts': 'export const url = process.env.DATABASE_URL!;\nexport const cache = process.env.REDIS_URL!;\n',
});

/** A setup script storing a table of secret name → value (a bash associative array) in a loop over
 * its keys: a new version where the secret exists, a new secret where it does not. `notice` is
 * said at the end, `ahead` before the table; the deploy mounts both secrets into backend (staging). */
const TABLE_SHELL = (value: string, notice = '', ahead = ''): Files => ({
  'ops/setup-secrets.sh': [
    '#!/usr/bin/env bash',
    ...(ahead ? [ahead] : []),
    'SIGNING_KEY="$(openssl rand -base64 32)"',
    'declare -A SECRETS=(',
    `  ["jwt-secret-key-staging"]="${value}"`,
    '  [service-secret-staging]="${SIGNING_KEY}"',
    ')',
    'for name in "${!SECRETS[@]}"; do',
    '  if gcloud secrets describe "${name}" >/dev/null 2>&1; then',
    '    printf \'%s\' "${SECRETS[$name]}" | gcloud secrets versions add "${name}" --data-file=-',
    '  else',
    '    printf \'%s\' "${SECRETS[$name]}" | gcloud secrets create "${name}" --data-file=-',
    '  fi',
    'done',
    ...(notice ? [notice] : []),
    '',
  ].join('\n'),
  'deploy/deploy-backend-staging.sh': 'gcloud run deploy backend-staging --source services/backend --set-env-vars ENVIRONMENT=staging --set-secrets JWT_SECRET_KEY=jwt-secret-key-staging:latest,SERVICE_SECRET=service-secret-staging:latest\n',
});

const DB_READ: Files = { 'services/auth/src/db.ts': 'export const url = process.env.DATABASE_URL!;\n' };

/** The same in Python: a dict of secret name → value fed to `gcloud secrets versions add`, and a
 * shared builder that gives the secret to backend only. */
const STORED_PY = (value: string): Files => ({
  'scripts/deploy_all.py': [
    'import os',
    'import subprocess',
    '',
    'SERVICES = [',
    '    {"name": "backend", "directory": "services/backend", "env": {"ENVIRONMENT": "staging"}},',
    '    {"name": "auth", "directory": "services/auth", "env": {"ENVIRONMENT": "staging"}},',
    ']',
    '',
    'def setup_secrets():',
    '    secrets = {',
    `        "jwt-secret-key-staging": "${value}",`,
    '        "oauth-secret-staging": os.getenv("OAUTH_SECRET", "REPLACE_WITH_OAUTH_SECRET"),',
    '        "unused-local": "changeme",',
    '    }',
    '    for name, value in secrets.items():',
    '        subprocess.run(["gcloud", "secrets", "versions", "add", name, "--data-file=-"], input=value.encode(), check=True)',
    '',
    'def deploy(svc):',
    '    cmd = ["gcloud", "run", "deploy", f"{svc[\'name\']}-staging", "--source", svc["directory"],',
    '           "--set-env-vars", ",".join(f"{k}={v}" for k, v in svc["env"].items())]',
    '    if svc["name"] == "backend":',
    '        cmd += ["--set-secrets", "JWT_SECRET_KEY=jwt-secret-key-staging:latest,OAUTH_SECRET=oauth-secret-staging:latest"]',
    '    subprocess.run(cmd, check=True)',
    '',
  ].join('\n'),
});

/** A setup script that adds a first version only to a secret that does not exist yet: `check` is
 * the text of the test around the write (a failed `describe`, an `except` of a lookup, a flag). */
const SEEDED_PY = (value: string, check: 'describe' | 'except' | 'flag'): Files => ({
  'scripts/deploy_all.py': [
    'import os',
    'import subprocess',
    '',
    'SERVICES = [',
    '    {"name": "backend", "directory": "services/backend", "env": {"ENVIRONMENT": "staging"}},',
    ']',
    '',
    'def setup_secrets(force):',
    '    seeds = {',
    `        "jwt-secret-key-staging": "${value}",`,
    '    }',
    '    for sid, seed in seeds.items():',
    ...(check === 'describe' ? [
      '        probe = subprocess.run(["gcloud", "secrets", "describe", sid], capture_output=True)',
      '        if probe.returncode != 0:',
      '            subprocess.run(["gcloud", "secrets", "create", sid], check=True)',
      '            subprocess.run(["gcloud", "secrets", "versions", "add", sid, "--data-file=-"], input=seed.encode(), check=True)',
    ] : check === 'except' ? [
      '        try:',
      '            sm_client.get_secret(name=f"projects/p/secrets/{sid}")',
      '        except NotFound:',
      '            subprocess.run(["gcloud", "secrets", "versions", "add", sid, "--data-file=-"], input=seed.encode(), check=True)',
    ] : [
      '        if force:',
      '            subprocess.run(["gcloud", "secrets", "versions", "add", sid, "--data-file=-"], input=seed.encode(), check=True)',
      '        print(sid)',
    ]),
    '',
    'def deploy(svc):',
    '    cmd = ["gcloud", "run", "deploy", f"{svc[\'name\']}-staging", "--source", svc["directory"],',
    '           "--set-env-vars", ",".join(f"{k}={v}" for k, v in svc["env"].items())]',
    '    cmd += ["--set-secrets", "JWT_SECRET_KEY=jwt-secret-key-staging:latest"]',
    '    subprocess.run(cmd, check=True)',
    '',
  ].join('\n'),
});

const SUPPRESSION_FILES: Files = { ...CODE, ...KNATIVE_PROD('changeme'), 'services/auth/.env.production': 'STRIPE_API_KEY=changeme\n' };
/** The fix moving the placeholder to a Secret Manager reference: never safe (the secret must exist
 * and hold the real value), preferred. */
const move = (name: string, secret: string): ExpectedFix => ({ title: `Take ${name} from secret ${secret}:latest (the secret must exist)`, safe: false, preferred: true });

/** A staging deploy script of auth, its lines between the shebang and the last line break. */
const authScript = (...lines: string[]): Files => ({ 'deploy/deploy-auth-staging.sh': ['#!/usr/bin/env bash', ...lines, ''].join('\n') });
const DEPLOY_AUTH = 'gcloud run deploy auth-staging --source services/auth --project acme-staging \\';
/** The fix that makes the script stop where STRIPE_API_KEY is not exported; `contains`: the script after it. */
const stopFix = (contains: string, lacks?: string): ExpectedFix => ({
  title: 'Stop the script when STRIPE_API_KEY is not exported, instead of deploying the placeholder', safe: false, preferred: true,
  output: { contains: { 'deploy/deploy-auth-staging.sh': contains }, ...(lacks ? { lacks: { 'deploy/deploy-auth-staging.sh': lacks } } : {}), remaining: [] },
});

/** A placeholder default of `STRIPE_API_KEY="${STRIPE_API_KEY:-…}"` the caller may replace, and the
 * fix that makes the assignment stop the script instead. */
const CALLER_DEFAULT = {
  severity: 'warning' as const, messageId: 'callerDefault', related: [],
  message: /^STRIPE_API_KEY for auth \(staging\) is a placeholder unless the caller exports STRIPE_API_KEY \(the script's default\)$/,
};
const STOP_AT_ASSIGNMENT: ExpectedFix = { ...stopFix('STRIPE_API_KEY="${STRIPE_API_KEY:?export STRIPE_API_KEY}"\n'), newText: '${STRIPE_API_KEY:?export STRIPE_API_KEY}' };

const SUPPRESSION_FINDINGS: ExpectedFinding[] = [
  { at: 'deploy/backend-production.yaml:14', severity: 'error', messageId: 'useSecretKeyRef', message: 'SERVICE_SECRET for backend (production) is a placeholder', related: [], fixes: [move('SERVICE_SECRET', 'service-secret-production')] },
  // An env file no deploy loads: info, and the message says so.
  { at: 'services/auth/.env.production:1', severity: 'info', messageId: 'unreferenced', message: 'STRIPE_API_KEY for auth (production) is a placeholder, in an env file no deploy loads', related: [], fixes: [] },
];

const CLOUDBUILD_SUBSTITUTION = [
  'steps:',
  '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
  '    entrypoint: gcloud',
  '    args:',
  '      - run',
  '      - deploy',
  '      - auth-staging',
  '      - --source=services/auth',
  '      - --set-env-vars',
  "      - 'ENVIRONMENT=staging,STRIPE_API_KEY=${_STRIPE_API_KEY}'",
  'substitutions:',
  "  _STRIPE_API_KEY: 'your-stripe-key-here'",
  '',
].join('\n');

const SHELL_STAGING_JOB = (envVars: string): Files => ({
  'deploy/migrate-auth-staging.sh': [
    '#!/usr/bin/env bash',
    'gcloud run jobs deploy auth-migrate-staging \\',
    '  --source services/auth \\',
    '  --project acme-staging \\',
    `  --set-env-vars "${envVars}"`,
    '',
  ].join('\n'),
});

RuleTester.run(placeholderSecret, {
  valid: [
    {
      // The caller's value or a default that is no placeholder: nothing to say.
      name: 'shell: a default for a caller-exported variable that is no placeholder',
      files: { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,STRIPE_API_KEY=${STRIPE_API_KEY:-$(gcloud secrets versions access latest --secret stripe-key)}') },
    },
    {
      // `:?` stops the script: the fixed shape.
      name: 'shell: a variable the script requires from its caller (${X:?…})',
      files: { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,STRIPE_API_KEY=${STRIPE_API_KEY:?export STRIPE_API_KEY}') },
    },
    {
      // The same loop, the table's values all made at run time: nothing stored is seen.
      name: 'a table of secrets stored in a loop over its keys, every value made at run time',
      files: { ...CODE, ...TABLE_SHELL('${JWT_SECRET}') },
      control: { files: { ...CODE, ...TABLE_SHELL('REPLACE_WITH_JWT_SECRET') } },
    },
    {
      // `declare -a`/`X=(…)` without keys is no table: `${!X[@]}` gives indexes, not names.
      name: 'a plain array looped over by index: no secret named',
      files: {
        ...CODE,
        'ops/setup-secrets.sh': 'SECRETS=(REPLACE_WITH_JWT_SECRET changeme)\nfor i in "${!SECRETS[@]}"; do\n  printf \'%s\' "${SECRETS[$i]}" | gcloud secrets versions add "jwt-secret-key-staging-$i" --data-file=-\ndone\n',
        'deploy/deploy-backend-staging.sh': TABLE_SHELL('x')['deploy/deploy-backend-staging.sh'],
      },
    },
    {
      name: 'a connection string a setup helper stores whose password looks real stays quiet',
      files: { ...CODE, ...HELPER_SHELL('postgresql://app:Xq81vLm2Pz7Rt@10.0.0.5:5432/app') },
      control: { files: { ...CODE, ...HELPER_SHELL('postgresql://app:changeme@10.0.0.5:5432/app') } },
    },
    {
      // Most such URLs are put together from a Cloud Build substitution or a variable whose default
      // a trigger replaces (`postgresql://app:${_DB_PASSWORD}@…`); the resolved value hides that.
      name: "a deploy's connection string is not judged by its password",
      files: { ...CODE, ...DB_READ, ...SHELL_STAGING('ENVIRONMENT=staging,DATABASE_URL=postgresql://app:password@10.0.0.5:5432/app') },
      control: { files: { ...CODE, ...DB_READ, ...SHELL_STAGING('ENVIRONMENT=staging,DATABASE_URL=changeme') } },
    },
    {
      // A framework's signing key (`SECRET_KEY`, `JWT_SECRET`) only has to be set for a migration or
      // seed job to start: the job signs nothing with it, whatever stands in for it.
      name: 'a placeholder signing key a job is run with (SECRET_KEY=your-secret-key-here): quiet',
      files: { ...CODE, ...SHELL_STAGING_JOB('ENVIRONMENT=staging,SECRET_KEY=your-secret-key-here') },
      control: { files: { ...CODE, ...SHELL_STAGING_JOB('ENVIRONMENT=staging,STRIPE_API_KEY=your-secret-key-here') } },
    },
    {
      // A migration or seed job signs nothing with the key it is given.
      name: 'a development key a job is run with (django-insecure-…): quiet',
      files: { ...CODE, ...SHELL_STAGING_JOB('ENVIRONMENT=staging,STRIPE_API_KEY=django-insecure-7h3k2x9q') },
      control: { files: { ...CODE, ...SHELL_STAGING_JOB('ENVIRONMENT=staging,STRIPE_API_KEY=changeme') } },
    },
    {
      name: 'Cloud Build: a placeholder substitution default that the script running the file passes (from the root or from its own folder)',
      files: {
        ...CODE,
        'cloudbuild-staging.yaml': CLOUDBUILD_SUBSTITUTION,
        'scripts/release.sh': '#!/usr/bin/env bash\ngcloud builds submit --config cloudbuild-staging.yaml --substitutions "_STRIPE_API_KEY=$STRIPE_KEY,_REGION=europe-west1" .\n',
      },
      control: { files: { ...CODE, 'cloudbuild-staging.yaml': CLOUDBUILD_SUBSTITUTION, 'scripts/release.sh': '#!/usr/bin/env bash\ngcloud builds submit --config cloudbuild-staging.yaml --substitutions _REGION=europe-west1 .\n' } },
    },
    {
      name: 'Cloud Build: a substitution list the script holds whole in a variable may pass it',
      files: {
        ...CODE,
        'deploy/cloudbuild-staging.yaml': CLOUDBUILD_SUBSTITUTION,
        'deploy/release.sh': '#!/usr/bin/env bash\ncd "$(dirname "$0")"\ngcloud builds submit --config cloudbuild-staging.yaml --substitutions "$SUBS" ..\n',
      },
    },
    {
      name: 'development and template files are never checked (.env.example, production.example.env, .env.development, compose)',
      files: {
        ...CODE, ...PY_STAGING,
        'services/backend/.env.example': 'JWT_SECRET_KEY=changeme\nSTRIPE_API_KEY=your-stripe-key-here\n',
        'deploy/env/production.example.env': 'JWT_SECRET_KEY=changeme\nSTRIPE_API_KEY=your-stripe-key-here\n',
        'deploy/env/staging-sample.env': 'JWT_SECRET_KEY=changeme\n',
        'services/backend/.env.development': 'JWT_SECRET_KEY=changeme\n',
        'docker-compose.yml': 'services:\n  auth:\n    build: services/auth\n    environment:\n      - ENVIRONMENT=development\n      - JWT_SECRET_KEY=changeme\n',
      },
    },
    {
      name: 'a real-looking value for a secret-like name stays quiet (.env.staging, shell, Knative, Kubernetes)',
      files: {
        ...CODE, ...PY_STAGING,
        'services/backend/.env.staging': 'JWT_SECRET_KEY=9f8Kq2LmV7xR4tZp1Wc6Yb3Nd0Hs5Ge8\n',
        ...SHELL_STAGING('STRIPE_API_KEY=rk_test_51Hx9yZ2eKq8LmV7xR4tZp1Wc'),
        ...KNATIVE_PROD('vT5nQ1xW8rLc3kZp9mYb2hFs'),
        ...K8S_STAGING('q7Zk2Lm9Xv4Rt8Wp3Nc6Yb1H'),
      },
      control: { files: { ...CODE, ...K8S_STAGING('REPLACE_ME') } },
    },
    {
      name: 'a value a front-end build ships to browsers (VITE_, NEXT_PUBLIC_, REACT_APP_) is public by design: its placeholder is no secret',
      files: {
        ...CODE, ...PY_STAGING,
        'services/backend/.env.staging': 'VITE_FIREBASE_API_KEY=your-api-key-here\nNEXT_PUBLIC_STRIPE_KEY=changeme\nREACT_APP_AUTH_SECRET=REPLACE_ME\n',
      },
      control: { files: { ...CODE, ...PY_STAGING, 'services/backend/.env.staging': 'FIREBASE_API_KEY=your-api-key-here\n' } },
    },
    {
      name: 'placeholders in names that are not secrets, and secret names without a literal value',
      files: {
        ...CODE,
        ...SHELL_STAGING('SUPPORT_EMAIL=your-email-here,FEATURE_FLAGS=TODO,ENVIRONMENT=staging'),
        ...GHA_PROD('DB_PASSWORD=${{ secrets.DB_PASSWORD }}'),
        ...PY_STAGING,
      },
    },
    {
      name: 'YAML and dotenv next-line comments silence it; an unused one is reported',
      files: {
        ...SUPPRESSION_FILES,
        'deploy/backend-production.yaml': SUPPRESSION_FILES['deploy/backend-production.yaml'].replace('              value: changeme', '              # deploy-preflight-disable-next-line placeholder-secret\n              value: changeme'),
        'services/auth/.env.production': '# deploy-preflight-disable-next-line placeholder-secret\nSTRIPE_API_KEY=changeme\n# deploy-preflight-disable-next-line placeholder-secret\nLOG_LEVEL=info\n',
      },
      others: { 'unused-suppression': ['services/auth/.env.production:3'] },
      control: { files: SUPPRESSION_FILES },
    },
    {
      name: 'shell file-wide comment',
      files: { ...CODE, 'deploy/deploy-auth-staging.sh': SHELL_STAGING('STRIPE_API_KEY=changeme')['deploy/deploy-auth-staging.sh'].replace('#!/usr/bin/env bash\n', '#!/usr/bin/env bash\n# deploy-preflight-disable placeholder-secret\n') },
      others: { 'unused-suppression': [] },
      control: { files: { ...CODE, ...SHELL_STAGING('STRIPE_API_KEY=changeme') } },
    },
    {
      name: 'a value a setup script stores: real-looking, or in a secret named for local development',
      files: {
        ...CODE, ...STORED_SHELL('9f8Kq2LmV7xR4tZp1Wc6Yb3Nd0Hs5Ge8'),
        'deploy/seed-dev.sh': 'echo -n "changeme" | gcloud secrets versions add local-only-secret --data-file=-\n',
      },
      control: { files: { ...CODE, ...STORED_SHELL('changeme') } },
    },
    {
      // `default` is ClickHouse's own user name: a real value in a secret that is no credential.
      name: 'a guessable word stored in a secret whose name is no credential\'s (a user name)',
      files: {
        ...CODE, ...STORED_SHELL('test', 'warehouse-user-staging'),
        'deploy/deploy-auth-staging.sh': 'gcloud run deploy auth-staging --source services/auth --project acme-staging --set-secrets "WAREHOUSE_USER=warehouse-user-staging:latest"\n',
      },
      control: { files: { ...CODE, ...STORED_SHELL('test') } },
    },
    {
      name: 'Python: an env fallback (os.getenv("X", "REPLACE_…")) is not what the script stores; a real value is quiet',
      files: { ...CODE, ...STORED_PY('q7Zk2Lm9Xv4Rt8Wp3Nc6Yb1H') },
      control: { files: { ...CODE, ...STORED_PY('REPLACE_WITH_JWT_SECRET') } },
    },
    {
      name: 'rules: off disables it',
      files: SUPPRESSION_FILES,
      config: 'rules:\n  placeholder-secret: off\n',
      control: {},
    },
  ],
  invalid: [
    {
      // Every run writes the placeholder as the latest version of a secret that exists, so the
      // reminder to replace it is undone by the next run: an error, at the table's entry.
      name: 'a table of secrets stored in a loop over its keys, over existing secrets too, though the script says to replace them',
      files: { ...CODE, ...TABLE_SHELL('REPLACE_WITH_JWT_SECRET', 'echo "Next: update jwt-secret-key-staging with the real key"') },
      findings: [{
        at: 'ops/setup-secrets.sh:4',
        severity: 'error',
        messageId: 'storedPlaceholder',
        message: ['secret jwt-secret-key-staging is stored as a placeholder here, and JWT_SECRET_KEY of backend (staging) takes it'],
        text: 'REPLACE_WITH_JWT_SECRET',
        related: [{ at: 'deploy/deploy-backend-staging.sh:1', text: 'JWT_SECRET_KEY=jwt-secret-key-staging:latest' }],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_JWT_SECRET'],
    },
    {
      // Asked, ahead of the table, to fill the script in before running it: a template.
      name: 'the same table, the script asking ahead of it for the placeholders to be replaced: information',
      files: { ...CODE, ...TABLE_SHELL('REPLACE_WITH_JWT_SECRET', '', 'echo "Replace the placeholder values below with your real secrets before running"') },
      findings: [{
        at: 'ops/setup-secrets.sh:5',
        severity: 'info',
        messageId: 'storedPlaceholderAnnounced',
        message: ['secret jwt-secret-key-staging is seeded with a placeholder to replace; JWT_SECRET_KEY of backend (staging) takes it'],
        text: 'REPLACE_WITH_JWT_SECRET',
        related: [{ at: 'deploy/deploy-backend-staging.sh:1', text: 'JWT_SECRET_KEY=jwt-secret-key-staging:latest' }],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_JWT_SECRET'],
    },
    {
      // The call reading the operator's answer stores an unseen value; the literal call is reported
      // where it is written, a scrubbed password (***REMOVED***) being no credential.
      name: 'a setup helper called with a read value and with a literal: the literal call, at its argument',
      files: { ...CODE, ...HELPER_SHELL('postgresql://app:***REMOVED***@10.0.0.5:5432/app') },
      findings: [{
        at: 'deploy/setup-secrets.sh:13',
        severity: 'error',
        messageId: 'storedPlaceholder',
        message: /^secret database-url-staging is stored as a placeholder here, and DATABASE_URL of auth \(staging\) takes it$/,
        text: 'postgresql://app:***REMOVED***@10.0.0.5:5432/app',
        related: ['deploy/deploy-auth-staging.sh:5'],
        fixes: [],
      }],
      secrets: ['***REMOVED***'],
    },
    {
      name: 'the setup script tells its operator, at its top level, to replace the placeholders: information',
      files: { ...CODE, ...HELPER_SHELL('REPLACE_WITH_DATABASE_URL', 'echo "Make sure to replace the placeholder values with your actual secrets!"') },
      findings: [{
        at: 'deploy/setup-secrets.sh:14',
        severity: 'info',
        messageId: 'storedPlaceholderAnnounced',
        message: /^secret database-url-staging is seeded with a placeholder to replace; DATABASE_URL of auth \(staging\) takes it$/,
        text: 'REPLACE_WITH_DATABASE_URL',
        related: ['deploy/deploy-auth-staging.sh:5'],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_DATABASE_URL'],
    },
    {
      name: '.env.staging next to a deploy that already takes the secret from Secret Manager',
      files: {
        ...CODE, ...PY_STAGING,
        'services/backend/.env.staging': '# smoke tests against staging\nENVIRONMENT=staging\nJWT_SECRET_KEY=REPLACE_WITH_STAGING_JWT_SECRET\n',
      },
      findings: [{
        at: 'services/backend/.env.staging:3',
        // No deploy loads this file (local smoke tests): debatable, so info, and it says so.
        severity: 'info',
        messageId: 'unreferenced',
        message: /^JWT_SECRET_KEY for backend \(staging\) is a placeholder, in an env file no deploy loads$/,
        text: 'REPLACE_WITH_STAGING_JWT_SECRET',
        related: [{ at: 'scripts/deploy_to_gcp.py:12', message: 'JWT_SECRET_KEY taken from secret jwt-secret-key-staging here' }],
        fixes: [],
      }],
      // The value itself is not echoed.
      secrets: ['REPLACE_WITH_STAGING_JWT_SECRET'],
    },
    {
      name: 'shell --set-env-vars (staging): "your-…-here"; the message names the --set-secrets entry to use',
      files: { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,STRIPE_API_KEY=your-stripe-key-here') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /^STRIPE_API_KEY for auth \(staging\) is a placeholder: take it from secret stripe-api-key-staging \(--set-secrets\)$/,
        text: 'your-stripe-key-here',
        related: [],
        fixes: [move('STRIPE_API_KEY', 'stripe-api-key-staging')],
      }],
      secrets: ['your-stripe-key-here'],
    },
    {
      // The other deploy's reference is not kept by this one (its --set-env-vars replaces what the
      // service had): the fix moves the value to the secret the other deploy names.
      name: 'a placeholder in one deploy, the same secret from Secret Manager in another deploy of the target',
      files: {
        ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,STRIPE_API_KEY=your-stripe-key-here'),
        'deploy/deploy-auth-ci.sh': 'gcloud run deploy auth-staging --source services/auth --project acme-staging --set-secrets STRIPE_API_KEY=stripe-key:3\n',
      },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /^STRIPE_API_KEY for auth \(staging\) is a placeholder: take it from secret stripe-key \(--set-secrets\)$/,
        text: 'your-stripe-key-here',
        related: [{ at: 'deploy/deploy-auth-ci.sh:1', message: 'STRIPE_API_KEY taken from secret stripe-key here' }],
        fixes: [{ title: 'Take STRIPE_API_KEY from secret stripe-key:3 (the secret must exist)', safe: false, preferred: true }],
      }],
      secrets: ['your-stripe-key-here'],
    },
    {
      // A guessable word is as good as no secret; a plain name given the same word stays quiet.
      name: 'shell --set-env-vars (staging): a guessable word for an API key',
      files: { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,GREETING=hello,STRIPE_API_KEY=hello') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /^STRIPE_API_KEY for auth \(staging\) is a guessable word: take it from secret stripe-api-key-staging \(--set-secrets\)$/,
        text: 'hello',
        related: [],
        fixes: [move('STRIPE_API_KEY', 'stripe-api-key-staging')],
      }],
    },
    {
      // The shell's default for a variable the operator may not have exported: the deploy ships
      // it whenever they have not (a warning: what the caller exports is not seen). A stand-in's
      // name says what it is.
      name: 'shell --set-env-vars (staging): a stand-in secret as the default of an expansion',
      files: { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,GREETING=${GREETING:-default},STRIPE_API_KEY=${STRIPE_API_KEY:-default-secret}') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'warning',
        messageId: 'callerDefault',
        message: /^STRIPE_API_KEY for auth \(staging\) is a placeholder unless the caller exports STRIPE_API_KEY \(the script's default\)$/,
        text: '${STRIPE_API_KEY:-default-secret}',
        related: [],
        fixes: [
          stopFix('STRIPE_API_KEY=${STRIPE_API_KEY:?export STRIPE_API_KEY}"', 'default-secret'),
          { ...move('STRIPE_API_KEY', 'stripe-api-key-staging'), preferred: false },
        ],
      }],
    },
    {
      name: 'shell --set-env-vars (staging): a value that says it is a development one (django-insecure-…, …-change-in-production-…)',
      files: { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,STRIPE_API_KEY=django-insecure-dev-key-change-in-production-4821') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /^STRIPE_API_KEY for auth \(staging\) is a placeholder: take it from secret stripe-api-key-staging \(--set-secrets\)$/,
        text: 'django-insecure-dev-key-change-in-production-4821',
        related: [],
        fixes: [move('STRIPE_API_KEY', 'stripe-api-key-staging')],
      }],
    },
    {
      name: 'Knative manifest (production): changeme; the message points at secretKeyRef',
      files: { ...CODE, ...KNATIVE_PROD('changeme') },
      findings: [{
        at: 'deploy/backend-production.yaml:14',
        severity: 'error',
        messageId: 'useSecretKeyRef',
        message: /^SERVICE_SECRET for backend \(production\) is a placeholder: reference secret service-secret-production with secretKeyRef$/,
        related: [],
        fixes: [{ ...move('SERVICE_SECRET', 'service-secret-production'), output: { contains: { 'deploy/backend-production.yaml': 'secretKeyRef' }, remaining: [] } }],
      }],
    },
    {
      name: 'Kubernetes Deployment (staging): a placeholder gets the secretKeyRef advice, not --set-secrets',
      files: { ...CODE, ...K8S_STAGING('REPLACE_ME') },
      findings: [{
        at: 'deploy/backend-staging.yaml:15',
        severity: 'error',
        messageId: 'useSecretKeyRef',
        message: ['SERVICE_SECRET for backend (staging) is a placeholder: reference secret service-secret-staging with secretKeyRef'],
        text: 'REPLACE_ME',
        related: [],
        fixes: [move('SERVICE_SECRET', 'service-secret-staging')],
      }],
    },
    {
      name: 'GitHub Actions env_vars (production): <…>; the message points at repository secrets',
      files: { ...CODE, ...GHA_PROD('DB_PASSWORD=<db password>') },
      findings: [{
        at: '.github/workflows/deploy-auth.yml:16',
        severity: 'error',
        messageId: 'useGithubSecret',
        message: /^DB_PASSWORD for auth \(production\) is a placeholder: take it from a GitHub or Secret Manager secret$/,
        related: [],
        fixes: [],
      }],
    },
    {
      // The file's default for a substitution, and a script here runs the file without passing
      // it: shipped unless a trigger overrides it. A warning that says so, at the reference.
      name: 'Cloud Build: a substitution whose default is a placeholder, run by a script that does not pass it: a warning that says a trigger may override it',
      files: {
        ...CODE,
        'cloudbuild-staging.yaml': CLOUDBUILD_SUBSTITUTION,
        'scripts/release.sh': '#!/usr/bin/env bash\ngcloud builds submit --config cloudbuild-staging.yaml --substitutions _REGION=europe-west1 .\n',
      },
      findings: [{
        at: 'cloudbuild-staging.yaml:10',
        severity: 'warning',
        messageId: 'substitutionDefault',
        message: /^STRIPE_API_KEY for auth \(staging\) is a placeholder by default \(substitution _STRIPE_API_KEY; a trigger may override it\)$/,
        text: '${_STRIPE_API_KEY}',
        related: [],
        fixes: [move('STRIPE_API_KEY', 'stripe-api-key-staging')],
      }],
      secrets: ['your-stripe-key-here'],
    },
    {
      // The script's default for a variable it never sets ships whenever the caller forgets to
      // export it: a warning, and the fix makes the shell stop there instead.
      name: 'shell: a placeholder default for a variable the caller may export (assigned, then used)',
      files: { ...CODE, ...authScript('STRIPE_API_KEY="${STRIPE_API_KEY:-<your-stripe-key>}"', DEPLOY_AUTH, '  --set-env-vars "ENVIRONMENT=staging,STRIPE_API_KEY=${STRIPE_API_KEY}"') },
      findings: [{
        ...CALLER_DEFAULT, at: 'deploy/deploy-auth-staging.sh:4', text: '${STRIPE_API_KEY}',
        fixes: [STOP_AT_ASSIGNMENT, { ...move('STRIPE_API_KEY', 'stripe-api-key-staging'), preferred: false }],
      }],
      secrets: ['<your-stripe-key>'],
    },
    {
      // The list goes on past a line continuation inside its word (`…KEY}",\` then the next
      // entry at the start of a line): the shell joins the two lines, and the default is still the caller's.
      name: 'shell: a placeholder default for a variable the caller may export, in a list continued over lines',
      files: { ...CODE, ...authScript('STRIPE_API_KEY="${STRIPE_API_KEY:-<your-stripe-key>}"', DEPLOY_AUTH, '  --set-env-vars \\\n    STRIPE_API_KEY="${STRIPE_API_KEY}",\\\nENVIRONMENT=staging') },
      findings: [{
        ...CALLER_DEFAULT, at: 'deploy/deploy-auth-staging.sh:5',
        // Only the stop: moving an entry out of a list split over lines is not offered.
        fixes: [STOP_AT_ASSIGNMENT],
      }],
      secrets: ['<your-stripe-key>'],
    },
    {
      // Through another name: `KEY` holds the default of `STRIPE_API_KEY`, which the caller may export.
      name: 'shell: a placeholder default reaching the list through a second variable',
      files: { ...CODE, ...authScript('KEY="${STRIPE_API_KEY:-your-stripe-key-here}"', DEPLOY_AUTH, '  --set-env-vars "ENVIRONMENT=staging,STRIPE_API_KEY=$KEY"') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:4',
        severity: 'warning',
        messageId: 'callerDefault',
        message: /unless the caller exports STRIPE_API_KEY/,
        text: '$KEY',
        related: [],
        fixes: [
          stopFix('KEY="${STRIPE_API_KEY:?export STRIPE_API_KEY}"'),
          { ...move('STRIPE_API_KEY', 'stripe-api-key-staging'), preferred: false },
        ],
      }],
      secrets: ['your-stripe-key-here'],
    },
    {
      // The script sets the variable itself before the default: no caller's value, the
      // placeholder is what it deploys. The error stays.
      name: 'shell: a placeholder default of a variable the script itself emptied stays an error',
      files: { ...CODE, ...authScript('STRIPE_API_KEY=""', DEPLOY_AUTH, '  --set-env-vars "ENVIRONMENT=staging,STRIPE_API_KEY=${STRIPE_API_KEY:-changeme}"') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:4',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /is a placeholder: take it from secret stripe-api-key-staging/,
        related: [],
        fixes: [move('STRIPE_API_KEY', 'stripe-api-key-staging')],
      }],
      secrets: ['changeme'],
    },
    {
      // No script here runs the file: a trigger configured elsewhere does, and a placeholder
      // default is how a template asks for its value. Information that says what is not seen.
      name: 'Cloud Build: a substitution whose default is a placeholder in a file no script runs: information',
      files: { ...CODE, 'cloudbuild-staging.yaml': CLOUDBUILD_SUBSTITUTION },
      findings: [{
        at: 'cloudbuild-staging.yaml:10',
        severity: 'info',
        messageId: 'substitutionDefaultUnrun',
        message: /^STRIPE_API_KEY for auth \(staging\) is a placeholder by default \(substitution _STRIPE_API_KEY; no script here runs it\)$/,
        text: '${_STRIPE_API_KEY}',
        related: [],
        fixes: [move('STRIPE_API_KEY', 'stripe-api-key-staging')],
      }],
      secrets: ['your-stripe-key-here'],
    },
    {
      // Nothing here reads the name: the placeholder reaches no code seen. A read through a table
      // of names would not be seen, so information that says so, not silence.
      name: 'a placeholder in a variable no code here reads: information',
      files: { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,LEGACY_SIGNING_SECRET=changeme') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'info',
        messageId: 'unreadPlaceholder',
        message: /^LEGACY_SIGNING_SECRET for auth \(staging\) is a placeholder, and no code here is seen to read it$/,
        text: 'changeme',
        related: [],
        fixes: [move('LEGACY_SIGNING_SECRET', 'legacy-signing-secret-staging')],
      }],
    },
    {
      // The settings class keeps the value and no module names its field: it signs nothing.
      name: 'a placeholder kept in a settings field no code names: information',
      files: { ...CODE, ...SETTINGS_LEDGER('') },
      findings: [{
        at: 'deploy/deploy-ledger-staging.sh:2',
        severity: 'info',
        messageId: 'unusedField',
        message: /^SIGNING_SECRET for ledger \(staging\) is a placeholder, kept in settings field signing_secret, which no code here uses$/,
        text: 'changeme',
        related: [],
        fixes: [move('SIGNING_SECRET', 'signing-secret-staging')],
      }],
    },
    {
      // Another module signs with the field: the placeholder is what the service signs with.
      name: 'a placeholder kept in a settings field another module uses stays an error',
      files: { ...CODE, ...SETTINGS_LEDGER('token = jwt.encode(claims, settings.signing_secret)') },
      findings: [{ at: 'deploy/deploy-ledger-staging.sh:2', severity: 'error', messageId: 'useSetSecrets', message: /^SIGNING_SECRET for ledger \(staging\) is a placeholder: take it from secret signing-secret-staging/, related: [], fixes: [move('SIGNING_SECRET', 'signing-secret-staging')] }],
    },
    {
      name: 'a placeholder kept in a settings field its own file uses stays an error',
      files: { ...CODE, ...SETTINGS_LEDGER('', 'SIGNER = Signer(settings.signing_secret)\n') },
      findings: [{ at: 'deploy/deploy-ledger-staging.sh:2', severity: 'error', messageId: 'useSetSecrets', message: /^SIGNING_SECRET for ledger \(staging\) is a placeholder: take it from secret signing-secret-staging/, related: [], fixes: [move('SIGNING_SECRET', 'signing-secret-staging')] }],
    },
    {
      // Only a setup script beside the server reads the name; the image runs the server, whose
      // imports never reach the script: the value reaches nothing the service runs.
      name: 'a placeholder in a variable only a module the program never loads reads: information',
      files: { ...CODE, ...PROGRAM_AUTH('./config'), ...SHELL_STAGING('ENVIRONMENT=staging,ADMIN_API_TOKEN=changeme') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'info',
        messageId: 'unreadByProgram',
        message: /^ADMIN_API_TOKEN for auth \(staging\) is a placeholder, and only code this deploy does not run reads it$/,
        text: 'changeme',
        related: [],
        fixes: [move('ADMIN_API_TOKEN', 'admin-api-token-staging')],
      }],
    },
    {
      // The server imports the module reading it: the placeholder is what the service runs on.
      name: 'a placeholder in a variable a module the program loads reads stays an error',
      files: { ...CODE, ...PROGRAM_AUTH('../scripts/first-run'), ...SHELL_STAGING('ENVIRONMENT=staging,ADMIN_API_TOKEN=changeme') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /^ADMIN_API_TOKEN for auth \(staging\) is a placeholder: take it from secret admin-api-token-staging/,
        related: [],
        fixes: [move('ADMIN_API_TOKEN', 'admin-api-token-staging')],
      }],
    },
    {
      // OpenAI's SDK reads OPENAI_API_KEY by itself: no line of code need name it.
      name: 'a placeholder in a variable a library reads by itself stays an error',
      files: { ...CODE, ...SHELL_STAGING('ENVIRONMENT=staging,OPENAI_API_KEY=your-openai-key-here') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /^OPENAI_API_KEY for auth \(staging\) is a placeholder: take it from secret openai-api-key-staging \(--set-secrets\)$/,
        related: [],
        fixes: [move('OPENAI_API_KEY', 'openai-api-key-staging')],
      }],
    },
    {
      // Read in another service's code: the name is read here, whichever service the deploy ships.
      name: 'a placeholder in a variable only a fallback chain reads stays an error',
      files: { ...CODE, 'services/auth/src/session.ts': 'export const s = process.env.SESSION_SECRET || process.env.COOKIE_SECRET;\n', ...SHELL_STAGING('ENVIRONMENT=staging,COOKIE_SECRET=changeme') },
      findings: [{
        at: 'deploy/deploy-auth-staging.sh:5',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /^COOKIE_SECRET for auth \(staging\) is a placeholder/,
        related: [],
        fixes: [move('COOKIE_SECRET', 'cookie-secret-staging')],
      }],
    },
    {
      name: 'Python deploy dict (staging): TODO',
      files: { ...CODE, ...PY_STAGING, 'scripts/deploy_to_gcp.py': PY_STAGING['scripts/deploy_to_gcp.py'].replace('    "ENVIRONMENT": "staging",\n', '    "ENVIRONMENT": "staging",\n    "SENTRY_AUTH_TOKEN": "TODO",\n') },
      findings: [{
        at: 'scripts/deploy_to_gcp.py:5',
        severity: 'error',
        messageId: 'useSetSecrets',
        message: /^SENTRY_AUTH_TOKEN for backend \(staging\) is a placeholder: take it from secret sentry-auth-token-staging/,
        related: [],
        fixes: [{ ...move('SENTRY_AUTH_TOKEN', 'sentry-auth-token-staging'), output: { contains: { 'scripts/deploy_to_gcp.py': 'SENTRY_AUTH_TOKEN' }, remaining: [] } }],
      }],
    },
    {
      name: 'compose file for staging: the advice is the host environment',
      files: { ...CODE, 'docker-compose.staging.yml': 'services:\n  backend:\n    build: services/backend\n    environment:\n      - ENVIRONMENT=staging\n      - SERVICE_SECRET=changeme\n' },
      findings: [{
        at: 'docker-compose.staging.yml:6',
        severity: 'error',
        messageId: 'useHostEnvironment',
        message: /^SERVICE_SECRET for backend \(staging\) is a placeholder: pass it from the host environment$/,
        related: [],
        fixes: [{ title: 'Take SERVICE_SECRET from the host environment (${SERVICE_SECRET})', safe: false, preferred: true, output: { contains: { 'docker-compose.staging.yml': '      - SERVICE_SECRET=${SERVICE_SECRET}\n' }, remaining: [] } }],
      }],
    },
    {
      name: 'shell setup script stores a placeholder in a secret the staging deploy of auth takes',
      files: { ...CODE, ...STORED_SHELL('your-service-secret'), 'services/auth/src/peer.ts': 'export const peer = process.env.SERVICE_SECRET!;\n' },
      findings: [{
        at: 'deploy/setup-secrets.sh:3',
        severity: 'error',
        messageId: 'storedPlaceholder',
        message: /^secret service-secret-staging is stored as a placeholder here, and SERVICE_SECRET of auth \(staging\) takes it$/,
        text: 'your-service-secret',
        related: [{ at: 'deploy/deploy-auth-staging.sh:5', message: 'SERVICE_SECRET of auth (staging) is taken from secret service-secret-staging here', text: 'SERVICE_SECRET=service-secret-staging:latest' }],
        fixes: [],
      }],
      secrets: ['your-service-secret'],
    },
    {
      name: 'Python setup dict stores a placeholder in a secret only the backend branch of a shared builder takes',
      files: { ...CODE, ...STORED_PY('REPLACE_WITH_JWT_SECRET') },
      findings: [{
        at: 'scripts/deploy_all.py:11',
        severity: 'error',
        messageId: 'storedPlaceholder',
        message: /^secret jwt-secret-key-staging is stored as a placeholder here, and JWT_SECRET_KEY of backend \(staging\) takes it$/,
        text: 'REPLACE_WITH_JWT_SECRET',
        related: [{ at: 'scripts/deploy_all.py:22', text: 'JWT_SECRET_KEY=jwt-secret-key-staging:latest' }],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_JWT_SECRET'],
    },
    {
      name: 'a setup script stores a placeholder in a production secret that no deploy here takes: a warning at the value',
      files: { ...CODE, 'ops/seed-secrets.sh': 'echo -n "REPLACE_WITH_SIGNING_KEY" | gcloud secrets versions add signing-key-production --data-file=-\n' },
      findings: [{
        at: 'ops/seed-secrets.sh:1',
        severity: 'warning',
        messageId: 'storedPlaceholderUnread',
        message: ['secret signing-key-production is stored as a placeholder here; whatever takes it gets the placeholder'],
        text: 'REPLACE_WITH_SIGNING_KEY',
        related: [],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_SIGNING_KEY'],
    },
    ...(['describe', 'except'] as const).map((check) => ({
      name: `a placeholder seeded only into a secret that does not exist yet (${check}): a warning that says so`,
      files: { ...CODE, ...SEEDED_PY('REPLACE_WITH_JWT_SECRET', check) },
      findings: [{
        at: 'scripts/deploy_all.py:10',
        severity: 'warning' as const,
        messageId: 'storedPlaceholderSeeded',
        message: ['secret jwt-secret-key-staging, when new, is seeded with a placeholder here; JWT_SECRET_KEY of backend (staging) takes it'],
        text: 'REPLACE_WITH_JWT_SECRET',
        related: [{ at: 'scripts/deploy_all.py:21', text: 'JWT_SECRET_KEY=jwt-secret-key-staging:latest' }],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_JWT_SECRET'],
    })),
    {
      name: 'a shell setup script seeds a placeholder only when the secret is missing (if ! gcloud secrets describe): a warning that says so',
      files: {
        ...CODE,
        'ops/seed-secrets.sh': 'if ! gcloud secrets describe signing-key-production >/dev/null 2>&1; then\n  echo -n "REPLACE_WITH_SIGNING_KEY" | gcloud secrets create signing-key-production --data-file=-\nfi\n',
      },
      findings: [{
        at: 'ops/seed-secrets.sh:2',
        severity: 'info',
        messageId: 'storedPlaceholderSeededUnread',
        message: ['secret signing-key-production, when new, is seeded with a placeholder here; whatever takes it gets the placeholder'],
        text: 'REPLACE_WITH_SIGNING_KEY',
        related: [],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_SIGNING_KEY'],
    },
    ...([
      { how: 'the script tells its operator so beside it', say: 'echo ">> Creating placeholder secrets: replace them with real values"', gap: 0, severity: 'info' as const, messageId: 'storedPlaceholderAnnounced' },
      { how: 'the script only names the secret it creates', say: 'echo "Creating secret jwt-secret-key-staging"', gap: 0, severity: 'warning' as const, messageId: 'storedPlaceholderSeeded' },
      { how: 'the only word of a placeholder is said far from the command', say: 'echo "Remember: placeholders are for local runs"', gap: 20, severity: 'warning' as const, messageId: 'storedPlaceholderSeeded' },
    ]).map(({ how, say, gap, severity, messageId }) => ({
      name: `a shell setup seeds a placeholder into a new secret a deploy mounts; ${how}: ${severity}`,
      files: {
        ...CODE,
        'deploy/deploy-backend-staging.sh': 'gcloud run deploy backend-staging --source services/backend --set-env-vars ENVIRONMENT=staging --set-secrets JWT_SECRET_KEY=jwt-secret-key-staging:latest\n',
        'ops/seed-secrets.sh': [say, ...Array(gap).fill('true'), 'if ! gcloud secrets describe jwt-secret-key-staging >/dev/null 2>&1; then', '  echo -n "REPLACE_WITH_JWT_SECRET" | gcloud secrets create jwt-secret-key-staging --data-file=-', 'fi', ''].join('\n'),
      },
      findings: [{
        at: `ops/seed-secrets.sh:${gap + 3}`,
        severity,
        messageId,
        message: [messageId === 'storedPlaceholderAnnounced'
          ? 'secret jwt-secret-key-staging is seeded with a placeholder to replace; JWT_SECRET_KEY of backend (staging) takes it'
          : 'secret jwt-secret-key-staging, when new, is seeded with a placeholder here; JWT_SECRET_KEY of backend (staging) takes it'],
        text: 'REPLACE_WITH_JWT_SECRET',
        related: [{ at: 'deploy/deploy-backend-staging.sh:1', text: 'JWT_SECRET_KEY=jwt-secret-key-staging:latest' }],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_JWT_SECRET'],
    })),
    {
      // gcloud refuses to create a secret that exists (ALREADY_EXISTS): `create` alone seeds a new
      // project only, as after a failed `describe`.
      name: 'a placeholder written by `gcloud secrets create` alone reaches only a new project: seeded, said so',
      files: { ...CODE, 'ops/seed-secrets.sh': 'echo -n "REPLACE_WITH_SIGNING_KEY" | gcloud secrets create signing-key-production --data-file=-\n' },
      findings: [{
        at: 'ops/seed-secrets.sh:1',
        severity: 'info',
        messageId: 'storedPlaceholderSeededUnread',
        message: ['secret signing-key-production, when new, is seeded with a placeholder here; whatever takes it gets the placeholder'],
        text: 'REPLACE_WITH_SIGNING_KEY',
        related: [],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_SIGNING_KEY'],
    },
    {
      // Two hedges at once: written only into a project lacking the secret, and mounted by no
      // deploy the workspace shows. True in the letter; how much it matters is unseen: info.
      name: 'a placeholder seeded only into a new secret that no deploy here takes: info',
      files: { ...CODE, ...SEEDED_PY('REPLACE_WITH_JWT_SECRET', 'describe'), 'scripts/deploy_all.py': SEEDED_PY('REPLACE_WITH_JWT_SECRET', 'describe')['scripts/deploy_all.py'].replace(/jwt-secret-key-staging:latest/g, 'auth-key-staging:latest') },
      findings: [{
        at: 'scripts/deploy_all.py:10',
        severity: 'info' as const,
        messageId: 'storedPlaceholderSeededUnread',
        message: ['secret jwt-secret-key-staging, when new, is seeded with a placeholder here; whatever takes it gets the placeholder'],
        text: 'REPLACE_WITH_JWT_SECRET',
        related: [],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_JWT_SECRET'],
    },
    ...(['describe', 'flag'] as const).map((check) => ({
      name: `a placeholder stored (${check}) in a secret mounted only under a name the service's code is not seen to read: info`,
      files: { ...CODE, ...SEEDED_PY('REPLACE_WITH_JWT_SECRET', check), 'services/backend/app/settings.py': 'import os\nKEY = os.environ["AUTH_SIGNING_KEY"]\n' },
      findings: [{
        at: `scripts/deploy_all.py:10`,
        severity: 'info' as const,
        messageId: check === 'describe' ? 'storedPlaceholderSeeded' : 'storedPlaceholder',
        message: [check === 'describe'
          ? 'secret jwt-secret-key-staging, when new, is seeded with a placeholder here; JWT_SECRET_KEY of backend (staging) takes it'
          : 'secret jwt-secret-key-staging is stored as a placeholder here, and JWT_SECRET_KEY of backend (staging) takes it'],
        text: 'REPLACE_WITH_JWT_SECRET',
        related: [{ at: check === 'describe' ? 'scripts/deploy_all.py:21' : 'scripts/deploy_all.py:20', text: 'JWT_SECRET_KEY=jwt-secret-key-staging:latest' }],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_JWT_SECRET'],
    })),
    {
      name: 'a placeholder written under a test that is not about the secret existing: still an error',
      files: { ...CODE, ...SEEDED_PY('REPLACE_WITH_JWT_SECRET', 'flag') },
      findings: [{
        at: 'scripts/deploy_all.py:10',
        severity: 'error',
        messageId: 'storedPlaceholder',
        message: ['secret jwt-secret-key-staging is stored as a placeholder here, and JWT_SECRET_KEY of backend (staging) takes it'],
        text: 'REPLACE_WITH_JWT_SECRET',
        related: [{ at: 'scripts/deploy_all.py:20', text: 'JWT_SECRET_KEY=jwt-secret-key-staging:latest' }],
        fixes: [],
      }],
      secrets: ['REPLACE_WITH_JWT_SECRET'],
    },
    {
      name: 'YAML and dotenv without the suppression comments (the workspace the suppression case silences)',
      files: SUPPRESSION_FILES,
      findings: SUPPRESSION_FINDINGS,
    },
    {
      name: 'rules: a severity override applies',
      files: SUPPRESSION_FILES,
      config: 'rules:\n  placeholder-secret: warning\n',
      findings: SUPPRESSION_FINDINGS.map((f) => ({ ...f, severity: 'warning' as const })),
    },
  ],
});

test('interpolation is not a placeholder, nor are words inside a longer value', () => {
  for (const v of ['${DB_PASSWORD}', 'postgresql://app:changeme@db/app', 'todo-list-service-token-8f3k2', 'none', 'null', 'secretive-9Xk2Lm', 'hello-there-8Fk2Qz', 'test-key-live-4Hq9']) {
    assert.equal(placeholderShape(v), undefined, v);
  }
  for (const [v, shape] of [['REPLACE_ME', 'REPLACE_WITH_…'], ['change-me-in-prod', 'changeme'], ['your_api_key', 'your-…-here'], ['<token>', '<…>'], ['TBD', 'a stand-in word'], ['********', 'a stand-in word'], ['INSERT_YOUR_KEY_HERE', 'INSERT_YOUR_…']]) {
    assert.equal(placeholderShape(v), shape, v);
  }
  for (const v of ['hello', 'Test', '123456']) assert.equal(guessableShape(v), 'a guessable word', v);
  for (const v of ['default-secret', 'dev_key', 'test-token', 'default-cron-secret', 'dev_jwt_secret']) assert.equal(standInShape(v), 'a stand-in secret', v);
  for (const v of ['default', 'secret-sauce-9Xk2', 'dev-team-key-4Hq9', 'prod-cron-secret', 'default-long-cron-secret', 'local-dev-token']) assert.equal(standInShape(v), undefined, v);
  for (const [v, shape] of [['django-insecure-k2@9x', 'django-insecure-…'], ['acme-jwt-change-me', '…-change-me-…'], ['key-change-in-production-1', '…-change-me-…'], ['acme_secret_key_change_me_in_production', '…-change-me-…'], ['change_this_key', '…-change-me-…']]) {
    assert.equal(selfDeclaredShape(v), shape, v);
  }
  for (const v of ['insecure-words-in-a-real-key-9Xk2', 'changement-4Hq9', 'exchange-rate-token-8f3', 'changemeter-4Hq9']) assert.equal(selfDeclaredShape(v), undefined, v);
  // Real values elsewhere (ClickHouse's user and database are `default`), and longer values.
  for (const v of ['default', 'root', 'admin', 'hello-there-8Fk2Qz', 'testing-key-4Hq9']) assert.equal(guessableShape(v), undefined, v);
  // The fix moves the value to a secret reference (never safe): the rule is fixable.
  assert.equal(placeholderSecret.meta.fixable, true);
});

test('two placeholders in one list whose offsets are not known (a variable in the list) are both reported, at the list', async () => {
  const { findingsOf } = await import('../rule-harness');
  const found = await findingsOf('placeholder-secret', {
    'services/backend/requirements.txt': 'fastapi\n',
    'services/backend/app/main.py': 'import os\nSECRET = os.environ["RIDES_CLIENT_SECRET"]\nVERIFY = os.environ["RIDES_VERIFY_TOKEN"]\n',
    'deploy.sh': [
      '#!/bin/bash',
      'FRONTEND_URL=$(gcloud run services describe rides-web --region europe-west2 --format "value(status.url)")',
      'gcloud run deploy rides-api --source services/backend --project acme-prod --region europe-west2 \\',
      '  --set-env-vars "ENVIRONMENT=production,FRONTEND_URL=$FRONTEND_URL,RIDES_CLIENT_SECRET=placeholder,RIDES_VERIFY_TOKEN=placeholder"',
      '',
    ].join('\n'),
  });
  assert.deepEqual(found.map((f) => f.message.split(' ')[0]).sort(), ['RIDES_CLIENT_SECRET', 'RIDES_VERIFY_TOKEN']);
});
