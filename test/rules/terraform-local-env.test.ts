/**
 * A Terraform module is a folder: a `dynamic "env"` block in one file may iterate a local another
 * file of the module writes out (`secrets.tf`: `secret_ids = ["DATABASE_URL", …]`; `locals.tf`:
 * `env_vars = { LOG_LEVEL = "info" }`). The resource sets exactly what that local lists, so a name
 * the code needs and the list lacks is a finding, and an entry of the list is reported where it is
 * written (the other file). Minimal original reproduction (model/terraform.ts `localBlocks`).
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

/** The API reads its key through a constant naming the variable. */
const API: Files = {
  'api/package.json': '{ "name": "api", "scripts": { "start": "node dist/main.js" } }\n',
  'api/src/main.ts': "import { url } from './db';\nimport { loadKey } from './crypto';\nconsole.log(url, loadKey());\n",
  'api/src/db.ts': 'export const url = process.env.DATABASE_URL!;\n',
  'api/src/crypto.ts': 'const ENV_KEY = "CREDENTIALS_ENCRYPTION_KEY";\n\nexport function loadKey(): string {\n  const raw = process.env[ENV_KEY];\n  if (!raw) throw new Error(`${ENV_KEY} is not set`);\n  return raw;\n}\n',
};

const SECRETS_TF = (names: string[]): string => `locals {
  secret_ids = toset([
${names.map((n) => `    "${n}",`).join('\n')}
  ])
}

resource "google_secret_manager_secret" "app" {
  for_each  = local.secret_ids
  secret_id = each.value
  replication {
    auto {}
  }
}
`;

const LOCALS_TF = (env: Record<string, string>): string =>
  `locals {\n  env_vars = {\n${Object.entries(env).map(([k, v]) => `    ${k} = "${v}"`).join('\n')}\n  }\n}\n`;

const RUN_TF = `resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  project  = "acme-prod"

  template {
    containers {
      image = "europe-docker.pkg.dev/acme-prod/apps/api:1.0.0"

      dynamic "env" {
        for_each = local.env_vars
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = toset(local.secret_ids)
        content {
          name = env.value
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.app[env.value].secret_id
              version = "latest"
            }
          }
        }
      }
    }
  }
}
`;

const infra = (secrets: string[], env: Record<string, string> = { LOG_LEVEL: 'info' }): Files => ({
  'infra/secrets.tf': SECRETS_TF(secrets),
  'infra/locals.tf': LOCALS_TF(env),
  'infra/cloud_run.tf': RUN_TF,
});

const BOTH = ['DATABASE_URL', 'CREDENTIALS_ENCRYPTION_KEY'];

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'the secrets another file lists and the env map a third file writes set what the code reads',
      files: { ...API, ...infra(BOTH) },
      control: { files: { ...API, ...infra(['DATABASE_URL']) } },
    },
    {
      // A local built by a `for` expression (filtered, computed) is not a list written out: the
      // resource's env stays unread, and nothing is said to be missing.
      name: 'a local built by a for expression is not listed',
      files: { ...API, ...infra(['DATABASE_URL']), 'infra/secrets.tf': SECRETS_TF(['DATABASE_URL']).replace('secret_ids = toset([', 'all_ids = toset([') + 'locals {\n  secret_ids = [for s in local.all_ids : s if s != ""]\n}\n' },
      control: { files: { ...API, ...infra(['DATABASE_URL']) } },
    },
  ],
  invalid: [
    {
      name: 'the secret list lacks the key the code requires (read through a constant): said at the container, with the read related',
      files: { ...API, ...infra(['DATABASE_URL']) },
      findings: [{
        at: 'infra/cloud_run.tf:7', severity: 'error', messageId: 'deployWithout',
        message: /^api \(production\) is deployed without CREDENTIALS_ENCRYPTION_KEY, which api\/src\/crypto\.ts reads/,
        related: [{ at: 'api/src/crypto.ts:1', text: 'CREDENTIALS_ENCRYPTION_KEY' }],
        fixes: [{ title: /^Add CREDENTIALS_ENCRYPTION_KEY to api \(production\)/, safe: false, preferred: true, files: ['infra/cloud_run.tf'], output: { remaining: [] } }],
      }],
    },
    {
      name: 'a name Cloud Run reserves in the env map of another file: reported where the map writes it',
      files: { ...API, ...infra(BOTH, { LOG_LEVEL: 'info', PORT: '8080' }) },
      findings: [{
        at: 'infra/locals.tf:4', text: 'PORT', severity: 'error', messageId: 'reservedName',
        message: 'api (production) sets PORT, which Cloud Run reserves and sets itself: the deploy is rejected',
        related: [], fixes: [{ title: /^Remove PORT/, safe: false, preferred: true }],
      }],
    },
  ],
});
