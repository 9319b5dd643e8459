/**
 * Terraform across a module's files (model/terraform.ts): `var.x` from variables.tf defaults and
 * from tfvars (one target per environment-specific tfvars file, in the module folder or a vars
 * folder under it), locals built from variables re-resolved per environment, the environment from
 * a folder, and deploys whose name stays computed left unplaced with the reason `--explain` shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';
import { explainModel } from '../../server/src/engine/explain';
import { formatExplain } from '../../server/src/ide/explain-text';

const CODE = {
  'services/ledger/requirements.txt': 'fastapi\n',
  'services/ledger/app/main.py': 'import os\n\nDB = os.environ["LEDGER_DB_URL"]\n',
};

const RESOURCE = `resource "google_cloud_run_v2_service" "ledger" {
  name     = local.service_name
  project  = var.project_id
  location = var.region
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/apps/ledger:3"
      env {
        name  = "LEDGER_DB_URL"
        value = var.db_url
      }
    }
  }
}
`;

test('variables.tf defaults, locals.tf, and a tfvars file per environment under environments/: one target each', async () => {
  const { ws } = await analyze({
    ...CODE,
    'terraform/main.tf': RESOURCE,
    'terraform/variables.tf': 'variable "project_id" {}\nvariable "region" {\n  default = "europe-west1"\n}\nvariable "stage" {}\nvariable "db_url" {}\n',
    'terraform/locals.tf': 'locals {\n  service_name = "ledger-${var.stage}"\n}\n',
    'terraform/environments/staging/terraform.tfvars': 'project_id = "acme-stg"\nstage = "stg"\n',
    'terraform/environments/prod.tfvars': 'project_id = "acme-prd"\nstage = "prd"\nregion = "us-central1"\n',
  });
  const model = ws.model();
  const targets = model.targets.map((t) => [t.key, t.deploys[0].deploy.service?.value, t.deploys[0].deploy.region?.value, t.project?.resolved.value, t.deploys[0].evidence[1]]).sort();
  assert.deepEqual(targets, [
    ['ledger@production', 'ledger-prd', 'us-central1', 'acme-prd', 'environment production: variables file terraform/environments/prod.tfvars'],
    ['ledger@staging', 'ledger-stg', 'europe-west1', 'acme-stg', 'environment staging: variables file terraform/environments/staging/terraform.tfvars'],
  ]);
  // The value is still written as the expression the file holds: a fix would write `var.project_id`.
  assert.equal(model.targets[0].project?.resolved.text, 'var.project_id');
  assert.deepEqual(model.unplaced, []);
  for (const t of model.targets) assert.ok(t.writes.has('LEDGER_DB_URL'));
});

test('a resource whose own literal name names an environment is that environment\'s service, whatever tfvars files sit beside it', async () => {
  const files = (name: string, extra: Record<string, string> = {}) => ({
    ...CODE,
    'terraform/main.tf': RESOURCE.replace('local.service_name', `"${name}"`),
    'terraform/variables.tf': 'variable "project_id" {}\nvariable "region" {\n  default = "europe-west1"\n}\nvariable "db_url" {}\n',
    'terraform/prd.tfvars': 'project_id = "acme-prd"\n',
    'terraform/stg.tfvars': 'project_id = "acme-stg"\n',
    ...extra,
  });
  const keys = async (f: Record<string, string>) => (await analyze(f)).ws.model().targets.map((t) => [t.key, t.project?.resolved.value]).sort();
  assert.deepEqual(await keys(files('ledger-dev')), [['ledger@development', undefined]]);
  // With a tfvars file for its environment, that one applies.
  assert.deepEqual(await keys(files('ledger-dev', { 'terraform/dev.tfvars': 'project_id = "acme-dev"\n' })), [['ledger@development', 'acme-dev']]);
  // A name that names no environment is applied with each.
  assert.deepEqual(await keys(files('ledger')), [['ledger@production', 'acme-prd'], ['ledger@staging', 'acme-stg']]);
});

test('the environment from the folder a root module sits in (envs/staging/, prod/)', async () => {
  const one = (folder: string) => ({
    [`${folder}/main.tf`]: RESOURCE.replace('local.service_name', '"ledger"'),
    [`${folder}/variables.tf`]: 'variable "project_id" {\n  default = "acme"\n}\nvariable "region" {\n  default = "europe-west1"\n}\nvariable "db_url" {}\n',
  });
  const { ws } = await analyze({ ...CODE, ...one('infra/envs/staging'), ...one('prod') });
  assert.deepEqual(ws.model().targets.map((t) => [t.key, t.deploys[0].evidence[1]]).sort(), [
    ['ledger@production', 'environment production: folder prod'],
    ['ledger@staging', 'environment staging: folder infra/envs/staging'],
  ]);
});

test('a module input name, a for_each over a variable: unplaced, with the reason --explain prints, and no finding', async () => {
  const { ws, findings } = await analyze({
    ...CODE,
    'modules/service/main.tf': RESOURCE.replace('local.service_name', 'var.name'),
    'modules/fleet/main.tf': `resource "google_cloud_run_v2_service" "svc" {
  for_each = var.services
  name     = each.key
  template {
    containers {
      image = each.value
    }
  }
}
`,
  });
  const model = ws.model();
  assert.deepEqual(model.targets, []);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy'), []);
  const unplaced = explainModel(model).unplaced;
  assert.deepEqual(unplaced.map((u) => [u.file, u.deployedName]), [['modules/service/main.tf', 'var.name'], ['modules/fleet/main.tf', 'each.key']]);
  const text = formatExplain(explainModel(model));
  assert.ok(text.includes('  modules/service/main.tf via terraform "var.name" — not placed: service name var.name cannot be resolved statically (a module input, a variable with no value in the workspace, or a value known only at apply time)'), text);
  assert.ok(text.includes('  modules/fleet/main.tf via terraform "each.key" — not placed: service name each.key cannot be resolved statically'), text);
});

// Changed on purpose: this was a warning per variable. With no other deploy of the target here, the
// env list is managed outside the workspace and any name may be in it: nothing to say. Beside a
// readable deploy of the same target, the lack is still said, hedged, as information.
test('lifecycle.ignore_changes on env: the target may hold variables Terraform does not show (silent alone, information beside a readable deploy)', async () => {
  const files = {
    ...CODE,
    'infra/prod/main.tf': `resource "google_cloud_run_v2_service" "ledger" {
  name = "ledger-prod"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/apps/ledger:3"
    }
  }
  lifecycle {
    ignore_changes = [template[0].containers[0].env]
  }
}
`,
  };
  const { ws, findings } = await analyze(files);
  assert.deepEqual(ws.model().targets[0].partial.map((p) => p.reason), ['lifecycle.ignore_changes leaves the env list to other deploys']);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message), []);
  const beside = await analyze({ ...files, 'deploy/ledger-prod.sh': 'gcloud run deploy ledger-prod --image europe-docker.pkg.dev/acme/apps/ledger:3 --set-env-vars ENVIRONMENT=production\n' });
  const unset = beside.findings.filter((f) => f.rule === 'env-unset-for-deploy');
  assert.ok(unset.length > 0 && unset.every((f) => f.severity === 'info' && /is unreadable$/.test(f.message)), unset.map((f) => `${f.severity} ${f.message}`).join('\n'));
});

/** A local module whose resource takes its name and variables from its inputs. */
const RUN_MODULE = {
  'infra/modules/run/variables.tf': 'variable "service_name" {\n  type = string\n}\nvariable "env_vars" {\n  type    = map(string)\n  default = {}\n}\nvariable "secrets" {\n  type    = map(string)\n  default = {}\n}\n',
  'infra/modules/run/main.tf': `resource "google_cloud_run_v2_service" "this" {
  name     = var.service_name
  location = "europe-west1"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/apps/ledger:3"
      dynamic "env" {
        for_each = var.env_vars
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = var.secrets
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }
    }
  }
}
`,
};

const call = (name: string, env: string, secrets: string) => `module "ledger" {
  source       = "../../modules/run"
  service_name = "${name}"
  env_vars     = ${env}
  secrets      = ${secrets}
}
`;

test('a local module called per environment: each call is a deploy in its own file, named and filled by its inputs', async () => {
  const { ws, findings } = await analyze({
    ...CODE,
    ...RUN_MODULE,
    'infra/envs/staging/main.tf': call('ledger-staging', 'merge({ LOG_LEVEL = "debug" }, var.trace ? { TRACE = "1" } : {})', '{ LEDGER_DB_URL = "ledger-db-url-staging" }'),
    'infra/envs/prod/main.tf': call('ledger-prod', '{ LOG_LEVEL = "info" }', '{}'),
  });
  const model = ws.model();
  const targets = model.targets.map((t) => [t.key, t.deploys.map((d) => d.file).join(','), [...t.writes.keys()].sort().join(',')]).sort();
  assert.deepEqual(targets, [
    ['ledger@production', 'infra/envs/prod/main.tf', 'LOG_LEVEL'],
    ['ledger@staging', 'infra/envs/staging/main.tf', 'LEDGER_DB_URL,LOG_LEVEL,TRACE'],
  ]);
  const secret = model.targets.find((t) => t.key === 'ledger@staging')!.writes.get('LEDGER_DB_URL')![0].write.value;
  assert.deepEqual(secret.kind === 'secret' ? [secret.secret, secret.version] : secret.kind, ['ledger-db-url-staging', 'latest']);
  // The production call passes no LEDGER_DB_URL: reported in the caller's file, where the map is.
  const unset = findings.filter((f) => f.rule === 'env-unset-for-deploy');
  assert.deepEqual(unset.map((f) => [f.file, f.severity, f.message]), [
    ['infra/envs/prod/main.tf', 'error', 'ledger (production) is deployed without LEDGER_DB_URL, which services/ledger/app/main.py reads'],
  ]);
});

test('a module call whose map the file cannot list (another file\'s local), or that repeats with for_each over a variable: nothing is guessed', async () => {
  const { ws, findings } = await analyze({
    ...CODE,
    ...RUN_MODULE,
    'infra/envs/prod/main.tf': call('ledger-prod', 'merge(local.common_env, { LOG_LEVEL = "info" })', '{}'),
    'infra/envs/qa/main.tf': call('ledger-qa', '{ LOG_LEVEL = "info" }', '{}').replace('source', 'for_each     = var.instances\n  source'),
  });
  const model = ws.model();
  assert.deepEqual(model.targets.map((t) => [t.key, t.partial[0]?.reason]), [
    ['ledger@production', 'module "ledger" passes env_vars as a value not written out in its file'],
  ]);
  assert.deepEqual(findings.filter((f) => f.rule === 'env-unset-for-deploy'), []);
  // The resource itself, as written in the module, is deployed only through its calls.
  assert.ok(!formatExplain(explainModel(model)).includes('infra/modules/run/main.tf via terraform'));
});

// A map of services in a local, each instance named by its key and filled by `try(each.value.x,
// {})`: the key a service's entry lacks gives the fallback; a first argument the file cannot
// resolve leaves the input unknown.
const perInstance = (ledger: string, envOfLedger = 'try(each.value.env, {})') => `locals {
  services = {
    "ledger-staging" = {
${ledger}    }
  }
}

module "run" {
  for_each     = var.enable_run ? local.services : {}
  source       = "../../modules/run"
  service_name = each.key
  env_vars     = ${envOfLedger}
  secrets      = try(each.value.secrets, {})
}
`;

test('a module call repeated by for_each over a map its file lists (behind an on/off condition): one deploy per instance, named by each.key, filled by try()', async () => {
  const both = '      env     = { LOG_LEVEL = "debug" }\n      secrets = { LEDGER_DB_URL = "ledger-db-url-staging" }\n';
  const files = (caller: string) => ({ ...CODE, ...RUN_MODULE, 'infra/envs/staging/main.tf': caller });
  const full = await analyze(files(perInstance(both)));
  const targets = full.ws.model().targets.map((t) => [t.key, t.deploys.map((d) => d.file).join(','), [...t.writes.keys()].sort().join(',')]);
  assert.deepEqual(targets, [['ledger@staging', 'infra/envs/staging/main.tf', 'LEDGER_DB_URL,LOG_LEVEL']]);
  assert.deepEqual(full.findings.filter((f) => f.rule === 'env-unset-for-deploy'), []);
  assert.deepEqual(full.ws.model().targets[0].deploys[0].deploy.environmentHints.map((h) => h.evidence), ['module "run[\"ledger-staging\"]"', 'folder infra/envs/staging']);
  // The entry has no secrets: try() gives {}, and the service goes without the secret its code reads.
  const without = await analyze(files(perInstance('      env = { LOG_LEVEL = "debug" }\n')));
  assert.deepEqual(without.findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => [f.file, f.severity, f.message]), [
    ['infra/envs/staging/main.tf', 'error', 'ledger (staging) is deployed without LEDGER_DB_URL, which services/ledger/app/main.py reads'],
  ]);
  // try(var.extra_env, {}): the variable may hold anything; the input is not written out.
  const opaque = await analyze(files(perInstance(both, 'try(var.extra_env, {})')));
  assert.deepEqual(opaque.ws.model().targets.map((t) => t.partial[0]?.reason), ['module "run[\"ledger-staging\"]" passes env_vars as a value not written out in its file']);
  assert.deepEqual(opaque.findings.filter((f) => f.rule === 'env-unset-for-deploy'), []);
});

test('a module that writes its variables itself is deployed there, once per call, named by the call; a new entry reaches every call', async () => {
  const module = {
    'infra/modules/ledger/variables.tf': 'variable "name" {\n  type = string\n}\n',
    'infra/modules/ledger/main.tf': RESOURCE.replace('local.service_name', 'var.name').replace('var.db_url', '"postgresql://db/ledger"').replace('  project  = var.project_id\n  location = var.region\n', ''),
  };
  const caller = (name: string) => `module "ledger" {\n  source = "../../modules/ledger"\n  name   = "${name}"\n}\n`;
  const { ws } = await analyze({ ...CODE, ...module, 'infra/envs/staging/main.tf': caller('ledger-staging'), 'infra/envs/prod/main.tf': caller('ledger-prod') });
  const targets = ws.model().targets.map((t) => [t.key, t.deploys.map((d) => [d.file, d.deploy.service?.value]), [...t.writes.keys()]]).sort();
  assert.deepEqual(targets, [
    ['ledger@production', [['infra/modules/ledger/main.tf', 'ledger-prod']], ['LEDGER_DB_URL']],
    ['ledger@staging', [['infra/modules/ledger/main.tf', 'ledger-staging']], ['LEDGER_DB_URL']],
  ]);
  const insert = ws.model().targets[0].deploys[0].deploy.blocks[0].insert;
  assert.deepEqual(insert?.sharedWith?.others.length, 1);
});

test('a resource switched by count = var.x ? 1 : 0 is not deployed where the environment\'s tfvars sets x off; a default alone decides nothing', async () => {
  const files = (prod: string) => ({
    ...CODE,
    'terraform/main.tf': RESOURCE.replace('local.service_name', '"ledger-${var.stage}"').replace('resource "google_cloud_run_v2_service" "ledger" {', 'resource "google_cloud_run_v2_service" "ledger" {\n  count    = var.ledger_enabled ? 1 : 0'),
    // Off by default: an opt-in flag a script may switch on with `terraform apply -var=…`.
    'terraform/variables.tf': 'variable "project_id" {}\nvariable "region" {\n  default = "europe-west1"\n}\nvariable "stage" {}\nvariable "db_url" {}\nvariable "ledger_enabled" {\n  default = false\n}\n',
    'terraform/envs/dev.tfvars': 'project_id = "acme-dev"\nstage = "dev"\nledger_enabled = true\n',
    'terraform/envs/prod.tfvars': `project_id = "acme-prd"\nstage = "prd"\n${prod}`,
  });
  const placed = async (prod: string) => {
    const { ws } = await analyze(files(prod));
    const model = ws.model();
    return { targets: model.targets.map((t) => t.key).sort(), off: model.notDeployed.map((u) => u.evidence.join(' ')) };
  };
  const off = await placed('ledger_enabled = false\n');
  assert.deepEqual(off.targets, ['ledger@development']);
  assert.equal(off.off.length, 1);
  assert.match(off.off[0], /it is not created there: count = var\.ledger_enabled \? 1 : 0 and terraform\/envs\/prod\.tfvars sets ledger_enabled = false/);
  // prod.tfvars silent, dev.tfvars setting it: the default does not decide.
  assert.deepEqual((await placed('')).targets, ['ledger@development', 'ledger@production']);
});

test('a resource switched by its variable\'s default: off where nothing in the workspace sets or passes the variable (-var, TF_VAR_), on once something does', async () => {
  const job = RESOURCE.replace('resource "google_cloud_run_v2_service" "ledger" {', 'resource "google_cloud_run_v2_service" "ledger" {\n  count    = var.ledger_image == "" ? 0 : 1').replace('local.service_name', '"ledger"');
  const base = {
    ...CODE,
    'terraform/main.tf': job,
    'terraform/variables.tf': 'variable "project_id" {}\nvariable "region" {\n  default = "europe-west1"\n}\nvariable "db_url" {}\nvariable "ledger_image" {\n  type    = string\n  default = ""\n}\n',
  };
  const state = async (extra: Record<string, string>) => {
    const { ws, findings } = await analyze({ ...base, ...extra });
    const model = ws.model();
    return { targets: model.targets.map((t) => t.key), off: model.notDeployed.map((u) => u.evidence.join(' ')), findings: findings.length };
  };
  const alone = await state({});
  assert.deepEqual(alone.targets, []);
  assert.match(alone.off.join(), /it is not created there: count = var\.ledger_image == "" \? 0 : 1 and nothing in the workspace sets it, and its default is ledger_image = ""/);
  assert.equal(alone.findings, 0);
  const workflow = 'on: push\njobs:\n  apply:\n    runs-on: ubuntu-latest\n    env:\n      TF_VAR_ledger_image: ${{ needs.build.outputs.image }}\n    steps:\n      - run: terraform apply -auto-approve\n';
  const passing: Record<string, string>[] = [
    { '.github/workflows/apply.yml': workflow },
    { 'scripts/apply.sh': '#!/bin/sh\nterraform -chdir=terraform apply -var "ledger_image=$IMAGE" -auto-approve\n' },
    { 'scripts/apply.sh': '#!/bin/sh\nexport TF_VAR_ledger_image="$IMAGE"\nterraform apply\n' },
    { 'scripts/apply.sh': '#!/bin/sh\ntofu plan \\\n  -var="ledger_image=$IMAGE" \\\n  -out=/tmp/plan\n' },
    { 'cloudbuild.yaml': "steps:\n  - name: hashicorp/terraform\n    args: ['apply', '-var=ledger_image=${_IMAGE}', '-auto-approve']\n" },
    { 'terraform/terraform.tfvars': 'ledger_image = "europe-docker.pkg.dev/acme/apps/ledger:3"\n' },
  ];
  for (const extra of passing) {
    const on = await state(extra);
    assert.equal(on.off.length, 0, Object.keys(extra)[0]);
    assert.equal(on.targets.length, 1, Object.keys(extra)[0]);
  }
  // A variables file setting it blank: off, said so.
  const blank = await state({ 'terraform/terraform.tfvars': 'ledger_image = ""\n' });
  assert.match(blank.off.join(), /terraform\/terraform\.tfvars sets ledger_image = ""/);
});

test('an image whose repository and name resolve, its project not, is the image a Cloud Build step builds with ${PROJECT_ID}', async () => {
  const files = (appName: string) => ({
    'pyproject.toml': '[project]\nname = "rag"\n',
    'app/__init__.py': '',
    'app/main.py': 'import os\n\nDB = os.environ["DB_HOST"]\n',
    'ui/app.py': 'import os\n\nAPI = os.environ["BACKEND_URL"]\n',
    'docker/backend.Dockerfile': 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n',
    'docker/ui.Dockerfile': 'FROM python:3.11-slim\nWORKDIR /app\nCOPY ui/ ./ui/\nCMD ["streamlit", "run", "ui/app.py"]\n',
    'cloudbuild.yaml': ['backend', 'ui'].map((n) => `  - name: gcr.io/cloud-builders/docker\n    args: [build, -t, 'us-central1-docker.pkg.dev/\${PROJECT_ID}/rag-repo/${n}:latest', -f, docker/${n}.Dockerfile, .]\n`).join('').replace(/^/, 'steps:\n'),
    'terraform/variables.tf': `variable "project_id" {}\nvariable "region" {\n  default = "us-central1"\n}\nvariable "app_name" {\n  default = "${appName}"\n}\n`,
    'terraform/main.tf': ['backend', 'ui'].map((n) => `resource "google_cloud_run_v2_service" "${n}" {\n  name     = "\${var.app_name}-${n}"\n  location = var.region\n  template {\n    containers {\n      image = "\${var.region}-docker.pkg.dev/\${var.project_id}/\${var.app_name}-repo/${n}:latest"\n      env {\n        name  = "${n === 'ui' ? 'DB_HOST' : 'BACKEND_URL'}"\n        value = "x"\n      }\n    }\n  }\n}\n`).join('\n'),
  });
  const links = async (appName: string) => {
    const { ws } = await analyze(files(appName));
    return ws.model().targets.flatMap((t) => t.deploys.map((d) => `${d.deploy.service?.text}: ${d.evidence[0]}`)).sort();
  };
  assert.deepEqual(await links('rag'), [
    '${var.app_name}-backend: image built by cloudbuild.yaml from docker/backend.Dockerfile, which runs app.main, inside the workspace root',
    '${var.app_name}-ui: image built by cloudbuild.yaml from docker/ui.Dockerfile, which copies ui, inside the workspace root',
  ]);
  // Another repository name: those builds made other images.
  assert.ok((await links('other')).every((l) => !l.includes('image built by')));
});
