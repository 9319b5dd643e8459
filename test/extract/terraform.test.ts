import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import { classify } from '../../server/src/extract/classify';
import { withTerraformTree } from '../../server/src/parsers/tree-sitter';
import type { DeployFact, FileFacts, Insertion } from '../../server/src/core/facts';
import { renderInsertion, type InsertValue } from '../../server/src/fixes/render-entry';

before(ready);

const run = (file: string, text: string): FileFacts => extractFile(file, text);

function apply(text: string, ins: Insertion | undefined, name: string, value: InsertValue): string {
  assert.ok(ins, 'an insertion point');
  const added = renderInsertion(ins, name, value);
  assert.ok(added !== undefined, 'renders');
  return text.slice(0, ins.offset) + added + text.slice(ins.offset);
}

const parses = (text: string): boolean => withTerraformTree(text, (root) => !root.hasError);
const names = (d: DeployFact, kind: 'env' | 'secrets'): string[] => d.blocks.find((b) => b.kind === kind)!.entries.map((e) => e.name);

const SERVICE = `# Billing API, staging
resource "google_cloud_run_v2_service" "billing" {
  name     = "billing-api-staging"
  location = "europe-west1"
  project  = "acme-staging"

  template {
    service_account = "billing@acme-staging.iam.gserviceaccount.com"

    containers {
      image = "europe-docker.pkg.dev/acme-staging/apps/billing-api:2.3.1"

      ports {
        container_port = 8080
      }

      env {
        name  = "LOG_LEVEL"
        value = "info"
      }
      env {
        name  = "DATABASE_URL"
        value = "postgresql+asyncpg://billing@/billing?host=/cloudsql/acme-staging:europe-west1:main"
      }
      env {
        name = "STRIPE_API_KEY"
        value_source {
          secret_key_ref {
            secret  = "stripe-api-key-staging"
            version = "latest"
          }
        }
      }
    }

    containers {
      name  = "otel-collector"
      image = "otel/opentelemetry-collector:0.98.0"
      env {
        name  = "SIDECAR_ONLY"
        value = "1"
      }
    }
  }
}
`;

test('classify: .tf and .tfvars are Terraform', () => {
  assert.equal(classify('infra/main.tf'), 'terraform');
  assert.equal(classify('infra/envs/prod.tfvars'), 'terraform');
  assert.equal(classify('infra/terraform.tfstate'), 'other');
  assert.equal(classify('docs/tf.md'), 'docs');
});

test('v2 service: name, image, project, region; the serving container\'s env and secrets with exact spans', () => {
  const facts = run('infra/billing.tf', SERVICE);
  assert.deepEqual(facts.problems, []);
  assert.equal(facts.role, 'terraform');
  assert.equal(facts.deploys.length, 1);
  const d = facts.deploys[0];
  assert.equal(d.platform, 'cloud-run');
  assert.equal(d.via, 'terraform');
  assert.equal(at(SERVICE, d.service?.span), 'billing-api-staging');
  assert.equal(d.service?.value, 'billing-api-staging');
  assert.equal(at(SERVICE, d.image?.span), 'europe-docker.pkg.dev/acme-staging/apps/billing-api:2.3.1');
  assert.equal(d.project?.value, 'acme-staging');
  assert.equal(d.region?.value, 'europe-west1');
  assert.equal(d.opaque, undefined);

  const env = d.blocks.find((b) => b.kind === 'env')!;
  const secrets = d.blocks.find((b) => b.kind === 'secrets')!;
  assert.equal(env.mode, 'set', 'Terraform replaces the whole env list');
  assert.equal(secrets.mode, 'set');
  // The sidecar's variable is not the service's.
  assert.deepEqual(names(d, 'env'), ['LOG_LEVEL', 'DATABASE_URL']);
  assert.deepEqual(names(d, 'secrets'), ['STRIPE_API_KEY']);
  assert.ok(at(SERVICE, env.span)!.startsWith('env {\n        name  = "LOG_LEVEL"'));
  assert.ok(at(SERVICE, env.span)!.endsWith('version = "latest"\n          }\n        }\n      }'));
  const log = env.entries[0];
  assert.equal(at(SERVICE, log.nameSpan), 'LOG_LEVEL');
  assert.equal(log.value.kind === 'literal' && at(SERVICE, log.value.span), 'info');
  assert.equal(at(SERVICE, log.span), 'env {\n        name  = "LOG_LEVEL"\n        value = "info"\n      }');
  const key = secrets.entries[0];
  assert.deepEqual(key.value.kind === 'secret' && [key.value.secret, key.value.version, at(SERVICE, key.value.span)], ['stripe-api-key-staging', 'latest', 'stripe-api-key-staging']);
  // The URL in a literal value is a database URL fact, tied to its variable.
  assert.equal(facts.dbUrls.length, 1);
  assert.equal(facts.dbUrls[0].envName, 'DATABASE_URL');
  assert.equal(facts.dbUrls[0].socket, '/cloudsql/acme-staging:europe-west1:main');
  assert.equal(at(SERVICE, facts.dbUrls[0].span), 'postgresql+asyncpg://billing@/billing?host=/cloudsql/acme-staging:europe-west1:main');
});

test('v2 service: a new env block goes after the last one, in its indentation, and re-parses', () => {
  const d = run('infra/billing.tf', SERVICE).deploys[0];
  const ins = d.blocks.find((b) => b.kind === 'env')!.insert;
  assert.equal(ins?.format, 'terraform-env');
  const plain = apply(SERVICE, ins, 'GCP_PROJECT_ID', { kind: 'expression', text: 'var.project_id' });
  assert.ok(plain.includes('      }\n      env {\n        name  = "GCP_PROJECT_ID"\n        value = var.project_id\n      }\n    }'));
  assert.ok(parses(plain));
  const again = run('infra/billing.tf', plain).deploys[0];
  assert.deepEqual(names(again, 'env'), ['LOG_LEVEL', 'DATABASE_URL', 'GCP_PROJECT_ID']);

  const secret = apply(SERVICE, d.blocks.find((b) => b.kind === 'secrets')!.insert, 'JWT_SECRET', { kind: 'secret', secret: 'jwt-secret-staging' });
  assert.ok(parses(secret));
  const s = run('infra/billing.tf', secret).deploys[0];
  assert.deepEqual(names(s, 'secrets'), ['STRIPE_API_KEY', 'JWT_SECRET']);
  const jwt = s.blocks.find((b) => b.kind === 'secrets')!.entries[1];
  assert.deepEqual(jwt.value.kind === 'secret' && [jwt.value.secret, jwt.value.version], ['jwt-secret-staging', 'latest']);

  // A literal with quotes, a backslash and an interpolation-looking `${` stays literal.
  const tricky = apply(SERVICE, ins, 'GREETING', { kind: 'literal', value: 'say "hi" \\ ${not_a_ref} %{x}' });
  assert.ok(parses(tricky));
  const g = run('infra/billing.tf', tricky).deploys[0].blocks[0].entries.find((e) => e.name === 'GREETING');
  assert.deepEqual(g?.value.kind === 'literal' && g.value.value, 'say "hi" \\ ${not_a_ref} %{x}');
  // Another syntax's expression is not Terraform: no fix rather than a wrong one.
  assert.equal(renderInsertion(ins!, 'GCP_PROJECT_ID', { kind: 'expression', text: '$PROJECT_ID' }), undefined);
});

const JOB = `resource "google_cloud_run_v2_job" "migrate" {
  name     = "billing-migrate-prod"
  location = "europe-west1"

  template {
    template {
      containers {
        image = "europe-docker.pkg.dev/acme/apps/billing-api:2.3.1"
        command = ["alembic", "upgrade", "head"]
      }
    }
  }
}
`;

test('v2 job: template { template { containers } }; with no env block yet, the new one goes after image', () => {
  const d = run('infra/jobs.tf', JOB).deploys[0];
  assert.equal(d.platform, 'cloud-run-job');
  assert.equal(d.service?.value, 'billing-migrate-prod');
  const env = d.blocks.find((b) => b.kind === 'env')!;
  assert.deepEqual(env.entries, []);
  assert.equal(env.mode, 'set', 'no env blocks: Terraform sets none');
  assert.equal(at(JOB, env.span), 'containers {', 'the block anchors on the container\'s opening line');
  const out = apply(JOB, env.insert, 'DATABASE_URL', { kind: 'literal', value: 'postgresql://x@/db' });
  assert.ok(out.includes('        image = "europe-docker.pkg.dev/acme/apps/billing-api:2.3.1"\n        env {\n          name  = "DATABASE_URL"\n          value = "postgresql://x@/db"\n        }\n        command'));
  assert.ok(parses(out));
  assert.deepEqual(names(run('infra/jobs.tf', out).deploys[0], 'env'), ['DATABASE_URL']);
});

const V1 = `resource "google_cloud_run_service" "web" {
  name     = "web-prod"
  location = "us-central1"

  template {
    metadata {
      labels = {
        environment = "production"
      }
    }
    spec {
      containers {
        image = "gcr.io/acme-prod/web:latest"
        env {
          name  = "PUBLIC_URL"
          value = "https://acme.example.com"
        }
        env {
          name = "SESSION_SECRET"
          value_from {
            secret_key_ref {
              name = "session-secret"
              key  = "3"
            }
          }
        }
      }
    }
  }
}
`;

test('google_cloud_run_service (v1): template { spec { containers } }, value_from.secret_key_ref { name key }', () => {
  const d = run('infra/web.tf', V1).deploys[0];
  assert.equal(d.platform, 'cloud-run');
  assert.equal(d.service?.value, 'web-prod');
  assert.deepEqual(names(d, 'env'), ['PUBLIC_URL']);
  const s = d.blocks.find((b) => b.kind === 'secrets')!.entries[0];
  assert.deepEqual(s.value.kind === 'secret' && [s.value.secret, s.value.version, at(V1, s.value.span)], ['session-secret', '3', 'session-secret']);
  assert.ok(d.environmentHints.some((h) => h.value === 'production' && h.evidence === 'label environment = "production"'));
  const ins = d.blocks[1].insert;
  assert.equal(ins?.format, 'terraform-env-v1');
  const out = apply(V1, ins, 'CSRF_SECRET', { kind: 'secret', secret: 'csrf-secret', version: '2' });
  assert.ok(out.includes('value_from {\n            secret_key_ref {\n              name = "csrf-secret"\n              key  = "2"'));
  assert.ok(parses(out));
  const again = run('infra/web.tf', out).deploys[0].blocks[1].entries;
  assert.deepEqual(again.map((e) => e.value.kind === 'secret' && `${e.name}=${e.value.secret}:${e.value.version}`), ['SESSION_SECRET=session-secret:3', 'CSRF_SECRET=csrf-secret:2']);
});

const FOR_EACH = `locals {
  services = {
    orders    = { image = "europe-docker.pkg.dev/acme/apps/orders:1.0", tier = "web" }
    inventory = { image = "europe-docker.pkg.dev/acme/apps/inventory:1.0", tier = "worker" }
  }
  shared_env = {
    LOG_FORMAT = "json"
    OTEL_SERVICE_NAMESPACE = "shop"
  }
}

resource "google_secret_manager_secret" "db" {
  secret_id = "shop-db-url-staging"
  replication {
    auto {}
  }
}

resource "google_cloud_run_v2_service" "svc" {
  for_each = local.services
  name     = "\${each.key}-staging"
  location = "europe-west1"

  template {
    containers {
      image = each.value.image
      dynamic "env" {
        for_each = local.shared_env
        content {
          name  = env.key
          value = env.value
        }
      }
      env {
        name  = "SERVICE_TIER"
        value = each.value.tier
      }
      env {
        name = "DATABASE_URL"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.db.secret_id
            version = "latest"
          }
        }
      }
    }
  }
}
`;

test('for_each over a literal map: one deploy per key; dynamic "env" over a literal map; references into this file resolved', () => {
  const facts = run('infra/shop.tf', FOR_EACH);
  assert.deepEqual(facts.problems, []);
  assert.deepEqual(facts.deploys.map((d) => d.service?.value), ['orders-staging', 'inventory-staging']);
  assert.deepEqual(facts.deploys.map((d) => d.image?.value), ['europe-docker.pkg.dev/acme/apps/orders:1.0', 'europe-docker.pkg.dev/acme/apps/inventory:1.0']);
  const [orders] = facts.deploys;
  assert.equal(orders.service?.text, '${each.key}-staging');
  assert.deepEqual(names(orders, 'env'), ['LOG_FORMAT', 'OTEL_SERVICE_NAMESPACE', 'SERVICE_TIER']);
  const fmt = orders.blocks[0].entries[0];
  // A dynamic entry is written in the map: that is where its name and value are.
  assert.equal(at(FOR_EACH, fmt.nameSpan), 'LOG_FORMAT');
  assert.equal(at(FOR_EACH, fmt.span), 'LOG_FORMAT = "json"');
  assert.equal(fmt.value.kind === 'literal' && at(FOR_EACH, fmt.value.span), 'json');
  // `each.value.tier` is per instance and may not be a literal here: it stays an expression.
  const tier = orders.blocks[0].entries[2];
  assert.deepEqual(tier.value.kind === 'dynamic' && [tier.value.text, at(FOR_EACH, tier.value.span)], ['each.value.tier', 'each.value.tier']);
  const db = orders.blocks[1].entries[0];
  assert.deepEqual(db.value.kind === 'secret' && [db.value.secret, at(FOR_EACH, db.value.span)], ['shop-db-url-staging', 'google_secret_manager_secret.db.secret_id']);
  assert.deepEqual(facts.secretInventory?.map((s) => [s.secret, at(FOR_EACH, s.span), s.declaredBy]), [['shop-db-url-staging', 'shop-db-url-staging', 'google_secret_manager_secret.db']]);
  // The instances share one container block: an entry added there reaches the others too.
  assert.deepEqual(facts.deploys.map((d) => d.blocks.map((b) => b.insert?.sharedWith?.others)), [
    [['inventory-staging'], ['inventory-staging']],
    [['orders-staging'], ['orders-staging']],
  ]);
});

test('what this file cannot know stays unknown: a module input name, for_each and dynamic env over variables', () => {
  const MODULE = `resource "google_cloud_run_v2_service" "this" {
  for_each = var.services
  name     = each.key
  template {
    containers {
      image = var.image
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

resource "google_cloud_run_v2_service" "single" {
  name = var.service_name
  template {
    containers {
      image = var.image
    }
  }
}
`;
  const facts = run('modules/run/main.tf', MODULE);
  assert.equal(facts.deploys.length, 2);
  const [each, single] = facts.deploys;
  assert.equal(each.service?.value, undefined);
  assert.equal(each.service?.text, 'each.key');
  assert.equal(each.opaque, 'dynamic "env" blocks over var.env_vars (not a literal map in this file)');
  assert.equal(single.service?.value, undefined);
  assert.deepEqual(single.service?.parts, [{ ref: 'var.service_name' }]);
  assert.equal(at(MODULE, single.service?.span), 'var.service_name');
});

test('dynamic env over a variable whose default is empty (`default = {}`) is a slot for its callers, not a deploy of no variables', () => {
  const MODULE = `variable "env_variables" {
  type    = map(string)
  default = {}
}
resource "google_cloud_run_service" "this" {
  name = "api"
  template {
    spec {
      containers {
        image = "img"
        dynamic "env" {
          for_each = var.env_variables
          content {
            name  = env.key
            value = env.value
          }
        }
      }
    }
  }
}
`;
  const [d] = run('modules/run/main.tf', MODULE).deploys;
  assert.equal(d.opaque, 'dynamic "env" blocks over var.env_variables (not a literal map in this file)');
  assert.deepEqual(d.moduleEnv, [{ variable: 'env_variables', kind: 'env', value: [] }]);
  // A default that holds entries is what the file deploys.
  const [withDefault] = run('modules/run/main.tf', MODULE.replace('default = {}', 'default = { LOG_LEVEL = "info" }')).deploys;
  assert.equal(withDefault.opaque, undefined);
  assert.deepEqual(withDefault.blocks.flatMap((b) => b.entries.map((e) => e.name)), ['LOG_LEVEL']);
});

test('variables with defaults and locals resolve in the file; they are also recorded for the module\'s other files', () => {
  const TEXT = `variable "project_id" {
  type    = string
  default = "acme-prod"
}
variable "env" {
  type = string
}
locals {
  service = "ledger-\${var.env}"
  region  = "europe-west1"
}
resource "google_cloud_run_v2_service" "ledger" {
  name     = local.service
  project  = var.project_id
  location = local.region
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/apps/ledger:1"
    }
  }
}
`;
  const facts = run('infra/prod/main.tf', TEXT);
  const d = facts.deploys[0];
  assert.deepEqual([d.project?.value, d.project?.text, at(TEXT, d.project?.span)], ['acme-prod', 'var.project_id', 'var.project_id']);
  assert.equal(d.region?.value, 'europe-west1');
  assert.deepEqual([d.service?.value, d.service?.text, d.service?.parts], [undefined, 'local.service', [{ ref: 'local.service' }]]);
  assert.deepEqual(facts.terraformVars?.map((v) => [v.kind, v.name, v.value, v.text, v.parts]), [
    ['default', 'project_id', 'acme-prod', undefined, undefined],
    ['local', 'service', undefined, 'ledger-${var.env}', [{ text: 'ledger-' }, { ref: 'var.env' }]],
    ['local', 'region', 'europe-west1', undefined, undefined],
  ]);
  assert.equal(at(TEXT, facts.terraformVars![0].span), 'acme-prod');
});

test('.tfvars: assignments only', () => {
  const TEXT = `project_id = "acme-staging"\nenv        = "staging"\nmin_instances = 1\nlabels = { team = "billing" }\n`;
  const facts = run('infra/staging.tfvars', TEXT);
  assert.deepEqual(facts.terraformVars?.map((v) => [v.kind, v.name, v.value]), [['tfvar', 'project_id', 'acme-staging'], ['tfvar', 'env', 'staging'], ['tfvar', 'min_instances', '1']]);
  assert.equal(at(TEXT, facts.terraformVars![1].span), 'staging');
  assert.deepEqual(facts.deploys, []);
});

test('Secret Manager: the inventory, and a literal secret_data kept as a secret value (never a variable default)', () => {
  const TEXT = `resource "google_secret_manager_secret" "jwt" {
  secret_id = "jwt-signing-key-prod"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "jwt" {
  secret      = google_secret_manager_secret.jwt.id
  secret_data = "CHANGE_ME"
}

variable "smtp_password" {
  default   = "changeme"
  sensitive = true
}

resource "google_secret_manager_secret" "smtp" {
  secret_id = "smtp-password-prod"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "smtp" {
  secret      = google_secret_manager_secret.smtp.id
  secret_data = var.smtp_password
}
`;
  const facts = run('infra/secrets.tf', TEXT);
  assert.deepEqual(facts.secretInventory?.map((s) => s.secret), ['jwt-signing-key-prod', 'smtp-password-prod']);
  assert.equal(facts.secretValues.length, 1, 'a variable\'s default may be overridden by tfvars: not a deployed value');
  const v = facts.secretValues[0];
  assert.equal(v.secret, 'jwt-signing-key-prod');
  assert.equal(at(TEXT, v.secretSpan), 'google_secret_manager_secret.jwt.id');
  assert.equal(at(TEXT, v.valueSpan), 'CHANGE_ME');
});

test('Secret Manager: base64encode of a literal is that literal, spanned inside the call; of a variable, unknown; a comment calling it a placeholder makes it a seed', () => {
  const TEXT = `resource "google_secret_manager_secret_version" "jwt" {
  secret      = "service-jwt-secret"
  secret_data = base64encode("placeholder-jwt-secret-change-me")
}

resource "google_secret_manager_secret_version" "api" {
  secret      = "api-key"
  secret_data = base64encode(var.api_key)
}

resource "google_secret_manager_secret_version" "salt" {
  secret      = "salt"
  secret_data = sha256("changeme")
}

resource "google_secret_manager_secret_version" "sumsub" {
  secret      = "sumsub-api-key"
  secret_data = "sk-sumsub"  # Placeholder - will be updated
}
`;
  const facts = run('infra/secrets.tf', TEXT);
  assert.deepEqual(facts.secretValues.map((v) => [v.secret, at(TEXT, v.valueSpan), !!v.onlyWhenNew, !!v.announced]), [
    ['service-jwt-secret', 'placeholder-jwt-secret-change-me', false, false],
    // a comment calling it a placeholder: a seed the file says to replace
    ['sumsub-api-key', 'sk-sumsub', true, true],
  ]);
});

test('lifecycle ignore_changes on the env list: other deploys own it, so the target may hold more', () => {
  const TEXT = `resource "google_cloud_run_v2_service" "api" {
  name = "api-prod"
  template {
    containers {
      image = "gcr.io/acme/api"
    }
  }
  lifecycle {
    ignore_changes = [template[0].containers[0].env, client]
  }
}
`;
  assert.equal(run('infra/api.tf', TEXT).deploys[0].opaque, 'lifecycle.ignore_changes leaves the env list to other deploys');
  const all = TEXT.replace('[template[0].containers[0].env, client]', 'all');
  assert.equal(run('infra/api.tf', all).deploys[0].opaque, 'lifecycle.ignore_changes leaves the env list to other deploys');
  const image = TEXT.replace('template[0].containers[0].env, client', 'template[0].containers[0].image');
  assert.equal(run('infra/api.tf', image).deploys[0].opaque, undefined, 'ignoring the image is not ignoring env');
});

test('look-alikes stay quiet: other resources, a data source, commented-out and string-only mentions', () => {
  const TEXT = `# resource "google_cloud_run_v2_service" "old" { name = "old-prod" }
data "google_cloud_run_v2_service" "existing" {
  name     = "billing-api-prod"
  location = "europe-west1"
}
resource "google_cloud_run_v2_service_iam_member" "public" {
  name   = google_cloud_run_v2_service.api.name
  role   = "roles/run.invoker"
  member = "allUsers"
}
resource "google_cloudfunctions2_function" "fn" {
  name = "google_cloud_run_v2_service"
}
output "note" {
  value = "resource google_cloud_run_v2_service"
}
`;
  const facts = run('infra/other.tf', TEXT);
  assert.deepEqual(facts.deploys, []);
  assert.deepEqual(facts.problems, []);
  assert.equal(facts.role, undefined);
});

test('broken Terraform: a notice, never an exception, and what parses is still read', () => {
  const TEXT = SERVICE + '\nresource "google_cloud_run_v2_service" "broken" {\n  name = "x-prod"\n  template {\n';
  const facts = run('infra/broken.tf', TEXT);
  assert.ok(facts.problems.some((p) => /Terraform syntax error/.test(p.message)));
  assert.ok(facts.deploys.some((d) => d.service?.value === 'billing-api-staging'));
});

test('for_each over toset([...]): each.key is the element; a one-line container block gets no insertion point', () => {
  const TEXT = `resource "google_cloud_run_v2_service" "svc" {
  for_each = toset(["search", "catalog"])
  name     = "\${each.key}-prod"
  template {
    containers { image = "europe-docker.pkg.dev/acme/apps/\${each.value}:1" }
  }
}
`;
  const facts = run('infra/svc.tf', TEXT);
  assert.deepEqual(facts.deploys.map((d) => [d.service?.value, d.image?.value]), [
    ['search-prod', 'europe-docker.pkg.dev/acme/apps/search:1'],
    ['catalog-prod', 'europe-docker.pkg.dev/acme/apps/catalog:1'],
  ]);
  const env = facts.deploys[0].blocks[0];
  assert.equal(env.mode, 'set');
  assert.equal(env.insert, undefined, 'a one-line block cannot take a second line');
});

test('robustness: truncated and damaged Terraform never throws, and every span stays inside the text', () => {
  const spans = (facts: FileFacts): { start: number; end: number }[] => {
    const out: { start: number; end: number }[] = [];
    const visit = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (typeof o.start === 'number' && typeof o.end === 'number') out.push(o as { start: number; end: number });
      for (const x of Object.values(o)) visit(x);
    };
    visit({ ...facts, file: undefined });
    return out;
  };
  let n = 0;
  for (const seed of [SERVICE, JOB, V1, FOR_EACH]) {
    const step = Math.max(1, Math.floor(seed.length / 40));
    for (let cut = 0; cut < seed.length; cut += step) {
      for (const text of [seed.slice(0, cut), seed.slice(0, cut) + seed.slice(cut + 7), seed.slice(0, cut) + '"${' + seed.slice(cut)]) {
        const facts = run(`infra/fuzz-${n++}.tf`, text);
        assert.ok(!facts.problems.some((p) => /could not analyse/.test(p.message)), facts.problems.map((p) => p.message).join('; '));
        for (const s of spans(facts)) assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length, `span ${s.start}-${s.end} outside ${text.length}`);
        for (const d of facts.deploys) for (const b of d.blocks) if (b.insert) assert.ok(b.insert.offset <= text.length);
      }
    }
  }
});

test('a secret resource declared in another file: the reference is kept with its address and version, for the model to resolve', () => {
  const TEXT = `resource "google_cloud_run_v2_service" "api" {
  name = "api"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/apps/api:1"
      env {
        name = "JWT_SECRET"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.jwt.secret_id
            version = "3"
          }
        }
      }
      env {
        name = "DB_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.db["primary"].secret_id
            version = "latest"
          }
        }
      }
      env {
        name = "API_KEY"
        value_source {
          secret_key_ref {
            secret  = var.api_key_secret
          }
        }
      }
    }
  }
}
`;
  const facts = run('infra/run.tf', TEXT);
  const [jwt, db, key] = facts.deploys[0].blocks[1].entries;
  assert.deepEqual(jwt.value, { kind: 'dynamic', text: 'google_secret_manager_secret.jwt.secret_id', span: jwt.value.kind === 'dynamic' ? jwt.value.span : undefined, secretResource: { address: 'google_secret_manager_secret.jwt', version: '3' } });
  assert.equal(jwt.value.kind === 'dynamic' && at(TEXT, jwt.value.span), 'google_secret_manager_secret.jwt.secret_id');
  // An indexed instance and a variable are not a single declared secret.
  assert.equal(db.value.kind === 'dynamic' && db.value.secretResource, undefined);
  assert.equal(key.value.kind === 'dynamic' && key.value.secretResource, undefined);
});

test('a new env block follows the container\'s own indentation step (four spaces here), and re-parses', () => {
  const FOUR = `resource "google_cloud_run_v2_service" "api" {
    name = "api-staging"
    template {
        containers {
            image = "europe-docker.pkg.dev/acme/apps/api:1"
            env {
                name  = "LOG_LEVEL"
                value = "info"
            }
        }
    }
}
`;
  const d = run('infra/api.tf', FOUR).deploys[0];
  const env = d.blocks.find((b) => b.kind === 'env')!.insert;
  const plain = apply(FOUR, env, 'GCP_PROJECT_ID', { kind: 'expression', text: 'var.project_id' });
  assert.ok(plain.includes('            }\n            env {\n                name  = "GCP_PROJECT_ID"\n                value = var.project_id\n            }\n        }'), plain);
  assert.ok(parses(plain));
  const secret = apply(FOUR, d.blocks.find((b) => b.kind === 'secrets')!.insert, 'JWT_SECRET', { kind: 'secret', secret: 'jwt-secret-staging' });
  assert.ok(secret.includes('            env {\n                name = "JWT_SECRET"\n                value_source {\n                    secret_key_ref {\n                        secret  = "jwt-secret-staging"\n'), secret);
  assert.ok(parses(secret));
  assert.deepEqual(names(run('infra/api.tf', secret).deploys[0], 'secrets'), ['JWT_SECRET']);
});

test('module calls: a local module\'s inputs (scalars with their references, maps with their keys, merge and conditional maps); registry modules and repeated calls are not recorded', () => {
  const CALLER = `locals {
  region = "europe-west1"
}

module "api" {
  source       = "./modules/run"
  service_name = "api-\${var.env}"
  region       = local.region
  env_vars = merge({ LOG_LEVEL = "info" }, var.trace ? { TRACE = "1" } : {})
  secrets = {
    DB_URL = { secret_id = google_secret_manager_secret.db.secret_id, version = "3" }
  }
}

module "shared" {
  source  = "terraform-google-modules/cloud-run/google"
  version = "~> 0.10"
}

module "fleet" {
  source   = "../modules/run"
  for_each = var.services
}
`;
  const facts = run('infra/main.tf', CALLER);
  const calls = facts.terraformModuleCalls ?? [];
  assert.deepEqual(calls.map((c) => [c.label, c.source, c.inputs.map((i) => i.name)]), [['api', './modules/run', ['service_name', 'region', 'env_vars', 'secrets']]]);
  const byName = new Map(calls[0].inputs.map((i) => [i.name, i]));
  assert.deepEqual(byName.get('service_name')!.scalar?.parts, [{ text: 'api-' }, { ref: 'var.env' }]);
  assert.equal(byName.get('region')!.scalar?.value, 'europe-west1');
  assert.deepEqual(byName.get('env_vars')!.entries!.map((e) => [e.key, e.value?.value]), [['LOG_LEVEL', 'info'], ['TRACE', '1']]);
  const db = byName.get('secrets')!.entries![0];
  assert.equal(db.key, 'DB_URL');
  assert.equal(at(CALLER, db.keySpan), 'DB_URL');
  assert.deepEqual([db.fields?.secret_id.text, db.fields?.version.value], ['google_secret_manager_secret.db.secret_id', '3']);
});

test('a module\'s dynamic env over its inputs is recorded for its calls to fill: value paths, secret fields, a literal version; other shapes are not', () => {
  const MODULE = `resource "google_cloud_run_v2_service" "this" {
  name = var.service_name
  template {
    containers {
      image = var.image
      dynamic "env" {
        for_each = var.env_vars
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = var.secrets
        iterator = s
        content {
          name = s.key
          value_source {
            secret_key_ref {
              secret  = s.value.secret_id
              version = s.value.version
            }
          }
        }
      }
    }
  }
}
`;
  const [d] = run('modules/run/main.tf', MODULE).deploys;
  assert.deepEqual(d.moduleEnv, [
    { variable: 'env_vars', kind: 'env', value: [] },
    { variable: 'secrets', kind: 'secrets', secret: ['secret_id'], version: { path: ['version'] } },
  ]);
  assert.ok(d.opaque, 'as written, the resource\'s list stays unreadable');
  // A name that is not the element's key, or a collection that is not one input: no template, and
  // then none at all (the calls could not fill every list).
  const other = run('modules/run/main.tf', MODULE.replace('name  = env.key', 'name  = upper(env.key)')).deploys[0];
  assert.equal(other.moduleEnv, undefined);
  const local = run('modules/run/main.tf', MODULE.replace('for_each = var.env_vars', 'for_each = local.env')).deploys[0];
  assert.equal(local.moduleEnv, undefined);
});

test('dynamic "env" over locals another file writes out: templates for the model, and the locals\' elements', () => {
  const RUN = `resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/apps/api:1"
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
  const [d] = run('infra/cloud_run.tf', RUN).deploys;
  assert.deepEqual(d.localEnv, [{
    variable: 'secret_ids', local: true, nameFrom: 'value', kind: 'secrets',
    secretText: 'google_secret_manager_secret.app[env.value].secret_id', secretOfElement: 'google_secret_manager_secret.app', version: { literal: 'latest' },
  }]);
  assert.equal(d.moduleEnv, undefined);
  assert.ok(d.opaque, 'as written, the resource\'s list stays unreadable');
  // The other file: a list (in a conversion) and a map are kept with their elements; a `for`
  // expression and a variable's default are not.
  const text = 'locals {\n  secret_ids = toset(["DATABASE_URL", "JWT_SECRET"])\n  env = { LOG_LEVEL = "info" }\n  picked = [for s in local.secret_ids : s]\n}\nvariable "extra" {\n  default = ["A"]\n}\n';
  const vars = run('infra/secrets.tf', text).terraformVars ?? [];
  assert.deepEqual(vars.map((v) => [v.kind, v.name, v.entries?.map((e) => [e.key, e.value?.value])]), [
    ['local', 'secret_ids', [['DATABASE_URL', 'DATABASE_URL'], ['JWT_SECRET', 'JWT_SECRET']]],
    ['local', 'env', [['LOG_LEVEL', 'info']]],
  ]);
  assert.equal(at(text, vars[0]!.entries![1]!.keySpan), 'JWT_SECRET');
});

test('a module input merging a written-out map with a variable keeps the map\'s entries and names what it merges with', () => {
  const text = `module "service" {
  source = "../../modules/cloud_run_service"
  name   = "svc-shops"
  env_vars = merge(
    {
      NODE_ENV  = "production"
      LOG_LEVEL = "info"
    },
    var.env_vars
  )
  labels = merge(var.a, var.b)
}
`;
  const facts = run('infra/services/svc-shops/main.tf', text);
  const byName = new Map(facts.terraformModuleCalls![0].inputs.map((i) => [i.name, i]));
  assert.deepEqual(byName.get('env_vars')!.entries!.map((e) => [e.key, e.value?.value]), [['NODE_ENV', 'production'], ['LOG_LEVEL', 'info']]);
  assert.deepEqual(byName.get('env_vars')!.mergedUnknown, ['var.env_vars']);
  // Nothing written out: no entries at all.
  assert.equal(byName.get('labels')!.entries, undefined);
});
