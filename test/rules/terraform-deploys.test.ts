/**
 * Existing rules through Terraform deploys: gcp-project-id-unwired and env-unset-for-deploy fire on
 * a Cloud Run resource's env blocks (related: the reads), with fixes written as a new `env` block
 * in HCL that re-parses (round trip), values taken from the module's own variables. One resource
 * applied with a tfvars file per environment is one target per environment; placeholder-secret
 * advises value_source for a Terraform value. A resource whose name
 * is a module input is not checked (unplaced, see test/model/terraform.test.ts for --explain).
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { gcpProjectIdUnwired } from '../../server/src/rules/gcp-project-id-unwired';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';
import { placeholderSecret } from '../../server/src/rules/placeholder-secret';
import { secretManagerGate } from '../../server/src/rules/secret-manager-gate';

before(ready);

const API: Files = {
  'services/api/requirements.txt': 'fastapi\ngoogle-cloud-secret-manager\n',
  'services/api/app/secrets.py': `import os


def project() -> str | None:
    return os.environ.get("GCP_PROJECT_ID")
`,
};

/** A root module per environment folder, its project from terraform.tfvars. */
const STAGING_MODULE = (env: string): Files => ({
  'infra/envs/staging/variables.tf': 'variable "project_id" {\n  type = string\n}\n',
  'infra/envs/staging/terraform.tfvars': 'project_id = "acme-staging"\n',
  'infra/envs/staging/main.tf': `resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  project  = var.project_id
  location = "europe-west1"

  template {
    containers {
      image = "europe-docker.pkg.dev/acme-staging/apps/api:1.0.0"
${env}    }
  }
}
`,
});
const LOG_LEVEL = `      env {
        name  = "LOG_LEVEL"
        value = "info"
      }
`;
const SETS_PROJECT = LOG_LEVEL + `      env {
        name  = "GCP_PROJECT_ID"
        value = var.project_id
      }
`;

/** A reusable module: its resource's name is an input, so nothing here says which service it is. */
const MODULE: Files = {
  'infra/modules/run/main.tf': `resource "google_cloud_run_v2_service" "this" {
  name     = var.service_name
  location = var.region
  template {
    containers {
      image = var.image
    }
  }
}
`,
  'infra/modules/run/variables.tf': 'variable "service_name" {\n  type = string\n}\nvariable "region" {\n  type = string\n}\nvariable "image" {\n  type = string\n}\n',
};

const GCP_FIX = '\n      env {\n        name  = "GCP_PROJECT_ID"\n        value = var.project_id\n      }';

RuleTester.run(gcpProjectIdUnwired, {
  valid: [
    { name: 'the Terraform resource sets GCP_PROJECT_ID from its variable', files: { ...API, ...STAGING_MODULE(SETS_PROJECT) }, control: { files: { ...API, ...STAGING_MODULE(LOG_LEVEL) } } },
    {
      name: 'a module\'s resource with a computed name is not guessed to be the only service',
      files: { ...API, ...MODULE },
      control: { files: { ...API, ...MODULE, 'infra/modules/run/main.tf': MODULE['infra/modules/run/main.tf'].replace('var.service_name', '"api-staging"') } },
    },
  ],
  invalid: [
    {
      name: 'Terraform: folder envs/staging places it; the fix is a new env block taking var.project_id',
      files: { ...API, ...STAGING_MODULE(LOG_LEVEL) },
      findings: [
        {
          at: 'infra/envs/staging/main.tf:7',
          severity: 'error',
          messageId: 'deployWithout',
          message: 'api (staging) is deployed without GCP_PROJECT_ID',
          text: 'containers',
          related: [{ at: 'services/api/app/secrets.py:5', text: 'GCP_PROJECT_ID' }],
          fixes: [{
            title: 'Add GCP_PROJECT_ID=var.project_id to api (staging)', safe: true, preferred: true, newText: GCP_FIX,
            output: { contains: { 'infra/envs/staging/main.tf': `        value = "info"\n      }${GCP_FIX}\n    }\n` }, remaining: [] },
          }],
        },
      ],
    },
  ],
});

/** One resource for two services (`for_each` over a map): only `api` reads GCP_PROJECT_ID. */
const SHARED: Files = {
  ...API,
  'services/worker/requirements.txt': 'celery\n',
  'services/worker/worker/tasks.py': 'import os\n\nQUEUE = os.environ.get("QUEUE_NAME", "default")\n',
  'deploy/staging/run.tf': `variable "project_id" {
  default = "acme-staging"
}

resource "google_cloud_run_v2_service" "svc" {
  for_each = {
    api    = "api:1.4.0"
    worker = "worker:2.0.1"
  }
  name    = each.key
  project = var.project_id

  template {
    containers {
      image = "europe-docker.pkg.dev/acme-staging/apps/\${each.value}"
${LOG_LEVEL}    }
  }
}
`,
};

RuleTester.run(gcpProjectIdUnwired, {
  valid: [],
  invalid: [
    {
      name: 'for_each over a map of services: the fix edits the block every instance shares, so it is offered, not safe',
      files: SHARED,
      findings: [
        {
          at: 'deploy/staging/run.tf:14',
          severity: 'error',
          messageId: 'deployWithout',
          message: 'api (staging) is deployed without GCP_PROJECT_ID',
          text: 'containers',
          related: [{ at: 'services/api/app/secrets.py:5', text: 'GCP_PROJECT_ID' }],
          fixes: [{
            title: 'Add GCP_PROJECT_ID=var.project_id to api (staging) (also adds it to worker: the for_each instances share this block)', safe: false, preferred: true, newText: GCP_FIX,
            output: { contains: { 'deploy/staging/run.tf': `        value = "info"\n      }${GCP_FIX}\n    }\n` }, remaining: [] },
          }],
        },
      ],
    },
  ],
});

/** One resource per service, applied once per environment with `-var-file=<env>.tfvars`. */
const ORDERS: Files = {
  'services/orders/package.json': '{ "name": "orders" }\n',
  'services/orders/src/config.ts': 'export const config = {\n  paymentsUrl: process.env.PAYMENTS_URL!,\n  stripeKey: process.env.STRIPE_API_KEY!,\n};\n',
  'services/billing/requirements.txt': 'fastapi\n',
  'services/billing/app/main.py': 'import os\n\nSTRIPE = os.environ["STRIPE_API_KEY"]\n',
  'infra/variables.tf': 'variable "env" {\n  type = string\n}\n\nvariable "project_id" {\n  type = string\n}\n',
  'infra/staging.tfvars': 'env        = "staging"\nproject_id = "acme-staging"\n',
  'infra/prod.tfvars': 'env        = "prod"\nproject_id = "acme-prod"\n',
  'infra/run.tf': `locals {
  registry = "europe-docker.pkg.dev/acme/apps"
}

resource "google_cloud_run_v2_service" "orders" {
  name     = "orders-\${var.env}"
  project  = var.project_id
  location = "europe-west1"

  template {
    containers {
      image = "\${local.registry}/orders:2.0.0"
      env {
        name  = "NODE_ENV"
        value = "production"
      }
    }
  }
}

resource "google_cloud_run_v2_service" "billing" {
  name     = "billing-\${var.env}"
  project  = var.project_id
  location = "europe-west1"

  template {
    containers {
      image = "\${local.registry}/billing:2.0.0"
      env {
        name = "STRIPE_API_KEY"
        value_source {
          secret_key_ref {
            secret  = "stripe-api-key"
            version = "latest"
          }
        }
      }
    }
  }
}
`,
};
const ORDERS_PAYMENTS = 'export const config = {\n  paymentsUrl: process.env.PAYMENTS_URL!,\n};\n';
const ORDERS_STRIPE = 'export const config = {\n  stripeKey: process.env.STRIPE_API_KEY!,\n};\n';
const PAYMENTS_FIX = '\n      env {\n        name  = "PAYMENTS_URL"\n        value = "REPLACE_WITH_PAYMENTS_URL"\n      }';
const STRIPE_FIX = '\n      env {\n        name = "STRIPE_API_KEY"\n        value_source {\n          secret_key_ref {\n            secret  = "stripe-api-key"\n            version = "latest"\n          }\n        }\n      }';

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'dynamic "env" over a literal map sets the variable',
      files: {
        ...ORDERS,
        'infra/run.tf': ORDERS['infra/run.tf'].replace(`      env {
        name  = "NODE_ENV"
        value = "production"
      }
`, `      dynamic "env" {
        for_each = {
          PAYMENTS_URL   = "https://payments.internal"
          STRIPE_API_KEY = "set-by-ci"
        }
        content {
          name  = env.key
          value = env.value
        }
      }
`),
      },
      control: { files: ORDERS },
    },
  ],
  // One variable per workspace: findings on one spot (the container's `containers` key) must give
  // one piece of advice, so PAYMENTS_URL and STRIPE_API_KEY are missing in separate workspaces.
  invalid: [{
    name: 'Terraform with staging.tfvars and prod.tfvars: one target per environment, a placeholder fix in HCL',
    files: { ...ORDERS, 'services/orders/src/config.ts': ORDERS_PAYMENTS },
    findings: [
      {
        at: 'infra/run.tf:11', severity: 'error', messageId: 'deployWithout', message: 'orders (staging) is deployed without PAYMENTS_URL', text: 'containers',
        related: [{ at: 'services/orders/src/config.ts:2', text: 'PAYMENTS_URL' }],
        fixes: [{ title: 'Add PAYMENTS_URL=REPLACE_WITH_PAYMENTS_URL to orders (staging) (fill in the value)', safe: false, preferred: true, newText: PAYMENTS_FIX, output: { contains: { 'infra/run.tf': `        value = "production"\n      }${PAYMENTS_FIX}\n    }` } } }],
      },
      {
        at: 'infra/run.tf:11', severity: 'error', messageId: 'deployWithout', message: 'orders (production) is deployed without PAYMENTS_URL', text: 'containers',
        related: ['services/orders/src/config.ts:2'],
        fixes: [{ title: 'Add PAYMENTS_URL=REPLACE_WITH_PAYMENTS_URL to orders (production) (fill in the value)', safe: false, preferred: true, newText: PAYMENTS_FIX }],
      },
    ],
  }, {
    name: 'Terraform with staging.tfvars and prod.tfvars: one target per environment, a reused secret is a safe fix in HCL',
    files: { ...ORDERS, 'services/orders/src/config.ts': ORDERS_STRIPE },
    findings: [
      {
        at: 'infra/run.tf:11', severity: 'error', messageId: 'deployWithout', message: 'orders (staging) is deployed without STRIPE_API_KEY', text: 'containers',
        related: ['services/orders/src/config.ts:2'],
        fixes: [{ title: 'Add STRIPE_API_KEY to orders (staging) from secret stripe-api-key:latest', safe: true, preferred: true, newText: STRIPE_FIX, output: { contains: { 'infra/run.tf': STRIPE_FIX } } }],
      },
      {
        at: 'infra/run.tf:11', severity: 'error', messageId: 'deployWithout', message: 'orders (production) is deployed without STRIPE_API_KEY', text: 'containers',
        related: ['services/orders/src/config.ts:2'],
        fixes: [{ title: 'Add STRIPE_API_KEY to orders (production) from secret stripe-api-key:latest', safe: true, preferred: true, newText: STRIPE_FIX }],
      },
    ],
  }],
});

const PLACEHOLDER: Files = {
  'services/api/requirements.txt': 'fastapi\n',
  'services/api/app/auth.py': 'import os\n\nKEY = os.environ["SESSION_SECRET"]\n',
  'infra/prod/main.tf': `resource "google_cloud_run_v2_service" "api" {
  name = "api-prod"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/apps/api:1"
      env {
        name  = "SESSION_SECRET"
        value = "changeme"
      }
    }
  }
}
`,
};

RuleTester.run(placeholderSecret, {
  valid: [{
    name: 'the Terraform resource takes it from Secret Manager',
    files: { ...PLACEHOLDER, 'infra/prod/main.tf': PLACEHOLDER['infra/prod/main.tf'].replace('value = "changeme"', 'value_source {\n          secret_key_ref {\n            secret  = "session-secret-production"\n            version = "latest"\n          }\n        }') },
    control: { files: PLACEHOLDER },
  }],
  invalid: [{
    name: 'Terraform (production): a placeholder env value gets the value_source advice, not --set-secrets',
    files: PLACEHOLDER,
    findings: [{
      at: 'infra/prod/main.tf:8',
      severity: 'error',
      messageId: 'useValueSource',
      message: /^SESSION_SECRET for api \(production\) is a placeholder: reference secret session-secret-production with value_source$/,
      text: 'changeme',
      // The value is in the deploy itself: no other end to relate (as for a Knative env value).
      related: [],
      fixes: [],
    }],
  }],
});

/** The secret and its value in secrets.tf; the service takes it by resource reference in run.tf. */
const STORED: Files = {
  ...PLACEHOLDER,
  'infra/prod/secrets.tf': `resource "google_secret_manager_secret" "session" {
  secret_id = "session-signing-key"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "session" {
  secret      = google_secret_manager_secret.session.id
  secret_data = "changeme"
}
`,
  'infra/prod/main.tf': PLACEHOLDER['infra/prod/main.tf'].replace('value = "changeme"', `value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.session.secret_id
            version = "latest"
          }
        }`),
};

/** The same, but the secret resource has one instance per key: the reference is not one secret. */
const STORED_FOR_EACH: Files = {
  ...STORED,
  'infra/prod/secrets.tf': STORED['infra/prod/secrets.tf']
    .replace('secret_id = "session-signing-key"', 'for_each  = toset(["session-signing-key", "session-backup-key"])\n  secret_id = each.key')
    .replace('secret      = google_secret_manager_secret.session.id', 'secret      = "session-signing-key"'),
};

/** STORED's placeholder said as a seed to replace (a version Terraform writes once, replaced by hand). */
const SEEDED = {
  at: 'infra/prod/secrets.tf:10',
  severity: 'info' as const,
  messageId: 'storedPlaceholderAnnounced',
  message: /^secret session-signing-key is seeded with a placeholder to replace; SESSION_SECRET of api \(production\) takes it$/,
  text: 'changeme',
  related: [{ at: 'infra/prod/main.tf:6', message: 'SESSION_SECRET of api (production) is taken from secret session-signing-key here' }],
  fixes: [],
};

RuleTester.run(placeholderSecret, {
  valid: [{
    name: 'a reference to a for_each secret resource names no single secret: not linked to the stored placeholder',
    files: STORED_FOR_EACH,
    control: { files: { ...STORED_FOR_EACH, 'infra/prod/main.tf': STORED['infra/prod/main.tf'].replace('google_secret_manager_secret.session.secret_id', '"session-signing-key"') } },
  }],
  invalid: [{
    name: 'a placeholder stored base64-encoded (`base64encode("changeme")`) is reported at the literal',
    files: { ...STORED, 'infra/prod/secrets.tf': STORED['infra/prod/secrets.tf'].replace('secret_data = "changeme"', 'secret_data = base64encode("changeme")') },
    findings: [{
      at: 'infra/prod/secrets.tf:10',
      severity: 'error',
      messageId: 'storedPlaceholder',
      message: /^secret session-signing-key is stored as a placeholder here, and SESSION_SECRET of api \(production\) takes it$/,
      text: 'changeme',
      related: [{ at: 'infra/prod/main.tf:6', message: 'SESSION_SECRET of api (production) is taken from secret session-signing-key here' }],
      fixes: [],
    }],
  }, {
    name: 'a secret declared in another file of the module: the resource reference resolves to it, and its placeholder value is found',
    files: STORED,
    findings: [{
      at: 'infra/prod/secrets.tf:10',
      severity: 'error',
      messageId: 'storedPlaceholder',
      message: /^secret session-signing-key is stored as a placeholder here, and SESSION_SECRET of api \(production\) takes it$/,
      text: 'changeme',
      related: [{ at: 'infra/prod/main.tf:6', message: 'SESSION_SECRET of api (production) is taken from secret session-signing-key here' }],
      fixes: [],
    }],
  }, {
    name: 'a version whose lifecycle ignores secret_data: a seed written once, replaced by hand (information)',
    files: { ...STORED, 'infra/prod/secrets.tf': STORED['infra/prod/secrets.tf'].replace('  secret_data = "changeme"\n', '  secret_data = "changeme"\n  lifecycle {\n    ignore_changes = [secret_data]\n  }\n') },
    findings: [SEEDED],
  }, {
    // The file tells its reader the value is a stand-in; the hand-added version becomes `latest`.
    name: 'a version whose comment calls its value a placeholder: a seed to replace (information)',
    files: { ...STORED, 'infra/prod/secrets.tf': STORED['infra/prod/secrets.tf'].replace('secret_data = "changeme"', 'secret_data = "changeme"  # Placeholder - will be updated') },
    findings: [SEEDED],
  }],
});

// A module whose service name is computed (`api-${var.environment}`) cannot be placed; a target
// whose deploys only add variables (`--update-env-vars` in Cloud Build) keeps what it sets, or may
// set (its dynamic env over an input).
const COMPUTED_NAME_MODULE = `variable "environment" {}
variable "extra_env" {
  type    = map(string)
  default = {}
}
resource "google_cloud_run_v2_service" "api" {
  name = "api-\${var.environment}"
  template {
    containers {
      image = "img"
      env {
        name  = "DATABASE_URL"
        value = "postgresql://db/app"
      }
      dynamic "env" {
        for_each = var.extra_env
        content {
          name  = env.key
          value = env.value
        }
      }
    }
  }
}
`;
const ADDS_ONLY = "steps:\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args: ['run', 'deploy', 'api-$_ENVIRONMENT', '--image', 'gcr.io/p/api', '--update-env-vars', 'LOG_LEVEL=info']\nsubstitutions:\n  _ENVIRONMENT: staging\n";
const TWIN_CODE: Files = {
  'api/package.json': '{ "name": "api" }\n',
  'api/src/db.ts': 'export const url = process.env.DATABASE_URL!;\nexport const model = process.env.VERTEX_MODEL!;\n',
};

/** The module with its whole env list written out (DATABASE_URL and `name`). */
const WRITTEN_OUT_MODULE = (name: string): string => COMPUTED_NAME_MODULE
  .replace(/      dynamic "env" \{[\s\S]*?\n      \}\n/, `      env {\n        name  = "${name}"\n        value = "projects/p/keys/k"\n      }\n`);
const KEYS_CODE: Files = {
  'api/package.json': '{ "name": "api" }\n',
  'api/src/db.ts': 'export const url = process.env.DATABASE_URL!;\n',
  'api/src/keys.ts': [
    'class LocalKeys {',
    '  readonly key: string;',
    '  constructor() {',
    '    const k = process.env.LOCAL_KEY;',
    "    if (!k) throw new Error('LOCAL_KEY is required for LocalKeys');",
    '    this.key = k;',
    '  }',
    '}',
    'class KmsKeys { readonly key = "kms"; }',
    'let keys: { key: string } | undefined;',
    'export function getKeys() {',
    '  keys ??= process.env.KMS_KEY_ID ? new KmsKeys() : new LocalKeys();',
    '  return keys;',
    '}',
    '',
  ].join('\n'),
};

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'a deploy that only adds, beside a Terraform module of the same service whose name is computed: what the module sets, or may, is kept',
      files: { ...TWIN_CODE, 'cloudbuild.yaml': ADDS_ONLY, 'infra/modules/run/main.tf': COMPUTED_NAME_MODULE },
      control: { files: { ...TWIN_CODE, 'cloudbuild.yaml': ADDS_ONLY } },
    },
    {
      name: 'the module named for another service (`worker-${var.environment}`) says nothing of this one',
      files: { ...TWIN_CODE, 'cloudbuild.yaml': ADDS_ONLY.replace("'--update-env-vars', 'LOG_LEVEL=info'", "'--update-env-vars', 'DATABASE_URL=x,VERTEX_MODEL=y'"), 'infra/modules/run/main.tf': COMPUTED_NAME_MODULE.replace('api-${var.environment}', 'worker-${var.environment}') },
      control: { files: { ...TWIN_CODE, 'cloudbuild.yaml': ADDS_ONLY, 'infra/modules/run/main.tf': COMPUTED_NAME_MODULE.replace('api-${var.environment}', 'worker-${var.environment}') } },
    },
    {
      name: 'what the module sets switches a read off: a class its file constructs only without KMS_KEY_ID reads the local key',
      files: { ...KEYS_CODE, 'cloudbuild.yaml': ADDS_ONLY, 'infra/modules/run/main.tf': WRITTEN_OUT_MODULE('KMS_KEY_ID') },
      // The module sets another name: the local key is read, and the adding deploy may lack it.
      control: { files: { ...KEYS_CODE, 'cloudbuild.yaml': ADDS_ONLY, 'infra/modules/run/main.tf': WRITTEN_OUT_MODULE('KMS_RING') } },
    },
  ],
  invalid: [],
});

/** A service whose Terraform root module calls a shared Cloud Run module with
 * `env_vars = merge({ … }, var.env_vars)`: the written-out entries are set, the variable may add more. */
const MERGED_ENV = (entries: string): Files => ({
  'apps/svc-shops/package.json': '{ "name": "svc-shops", "scripts": { "start": "node dist/index.js" } }\n',
  'apps/svc-shops/src/config.ts': 'const secret = process.env.SHOP_API_SECRET;\nif (!secret) throw new Error("SHOP_API_SECRET is required");\nexport const shopSecret = secret;\n',
  'infra/terraform/modules/cloud_run_service/main.tf': `variable "name" {}
variable "env_vars" {
  type    = map(string)
  default = {}
}
resource "google_cloud_run_v2_service" "this" {
  name     = var.name
  location = "europe-west1"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/services/\${var.name}:latest"
      dynamic "env" {
        for_each = var.env_vars
        content {
          name  = env.key
          value = env.value
        }
      }
    }
  }
}
`,
  'infra/terraform/services/svc-shops/main.tf': `module "service" {
  source = "../../modules/cloud_run_service"
  name   = "svc-shops"
  env_vars = merge(
    {
${entries}
    },
    var.env_vars
  )
}
`,
});

RuleTester.run(envUnsetForDeploy, {
  valid: [{
    name: 'a merged env map that writes the name out sets it',
    files: MERGED_ENV('      NODE_ENV        = "production"\n      SHOP_API_SECRET = "from-ci"'),
    control: { files: MERGED_ENV('      NODE_ENV = "production"') },
  }, {
    name: 'a merged variable a variables file gives (its map is not read here) may hold anything',
    files: { ...MERGED_ENV('      NODE_ENV = "production"'), 'infra/terraform/services/svc-shops/prod.tfvars': 'env_vars = {\n  SHOP_API_SECRET = "from-tfvars"\n}\n' },
    control: { files: MERGED_ENV('      NODE_ENV = "production"') },
  }],
  invalid: [{
    name: 'a merged env map without the name: a warning that names what it is merged with',
    files: MERGED_ENV('      NODE_ENV = "production"'),
    findings: [{
      at: 'infra/terraform/services/svc-shops/main.tf:4', severity: 'warning', messageId: 'deployWithoutMerged',
      message: 'svc-shops (default) may lack SHOP_API_SECRET, which apps/svc-shops/src/config.ts reads, unless var.env_vars sets it',
      related: ['apps/svc-shops/src/config.ts:1'],
      fixes: [],
    }],
  }],
});

/** The API above deployed by a module call whose env map merges written-out entries with a variable. */
const API_MERGED = (entries: string): Files => ({
  ...API,
  'infra/modules/run/main.tf': MERGED_ENV('')['infra/terraform/modules/cloud_run_service/main.tf'],
  'infra/services/api/main.tf': `module "service" {\n  source = "../../modules/run"\n  name   = "api"\n  env_vars = merge(\n    {\n${entries}\n    },\n    var.env_vars\n  )\n}\n`,
});

RuleTester.run(gcpProjectIdUnwired, {
  valid: [{
    name: 'a merged env map that writes GCP_PROJECT_ID out sets it',
    files: API_MERGED('      LOG_LEVEL      = "info"\n      GCP_PROJECT_ID = "acme-prod"'),
    control: { files: API_MERGED('      LOG_LEVEL = "info"') },
  }],
  invalid: [{
    name: 'a merged env map without GCP_PROJECT_ID: a warning naming the variable it is merged with',
    files: API_MERGED('      LOG_LEVEL = "info"'),
    findings: [{
      at: 'infra/services/api/main.tf:4', severity: 'warning', messageId: 'deployWithoutMerged',
      message: 'api (default) may lack GCP_PROJECT_ID, which services/api/app/secrets.py reads, unless var.env_vars sets it',
      related: ['services/api/app/secrets.py:5'],
      fixes: [],
    }],
  }],
});

/** svc-shops's zod-validated config, tested through its field where a token store is chosen. */
const SHOPS_GATED = (entries: string): Files => ({
  ...MERGED_ENV(entries),
  'apps/svc-shops/src/config.ts': "import { z } from 'zod';\n\nexport const envSchema = z.object({\n  GCP_PROJECT_ID: z.string().default('local-dev'),\n  GOOGLE_CLOUD_PROJECT: z.string().optional(),\n});\n\nexport const config = envSchema.parse(process.env);\n",
  'apps/svc-shops/src/index.ts': "import { config } from './config';\nimport { FileTokenStore, SecretManagerTokenStore } from './stores';\n\nexport function createTokenStore() {\n  if (typeof config.GOOGLE_CLOUD_PROJECT === 'string') return new SecretManagerTokenStore(config.GOOGLE_CLOUD_PROJECT);\n  return new FileTokenStore('.data/shops.json');\n}\n\ncreateTokenStore();\n",
});

RuleTester.run(secretManagerGate, {
  valid: [{
    name: 'a merged env map that writes the gate\'s variable out sets it',
    files: SHOPS_GATED('      NODE_ENV             = "production"\n      GOOGLE_CLOUD_PROJECT = "acme-prod"'),
    control: { files: SHOPS_GATED('      NODE_ENV = "production"') },
  }],
  invalid: [{
    name: 'a field gate whose one deploy merges its env map with a variable: may lack it unless the variable sets it',
    files: SHOPS_GATED('      NODE_ENV = "production"'),
    findings: [{
      at: 'apps/svc-shops/src/index.ts:5', severity: 'warning', messageId: 'mergedGateInFunction',
      message: 'createTokenStore(): Secret Manager needs GOOGLE_CLOUD_PROJECT, unset in svc-shops (default) unless var.env_vars sets it',
      related: ['infra/terraform/services/svc-shops/main.tf:4'],
      fixes: [],
    }],
  }],
});
