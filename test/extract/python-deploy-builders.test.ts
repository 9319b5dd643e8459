/**
 * Python deploy scripts with one shared gcloud command builder for every service config: flags
 * added per branch (`if service.name == "auth":`), per-service fields (deployed name, Dockerfile),
 * env entries added in a branch, image builds and the values a setup script stores as secrets.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import type { DeployFact, EnvBlock, FileFacts } from '../../server/src/core/facts';
import { analyze } from '../rule-harness';

before(ready);

const FILE = 'scripts/deploy_all.py';

function facts(text: string, file = FILE): FileFacts {
  const f = extractFile(file, text);
  assert.deepEqual(f.problems, []);
  return f;
}

/** Deploys by their deployed name. */
function byService(text: string): Map<string, DeployFact> {
  const m = new Map<string, DeployFact>();
  for (const d of facts(text).deploys) m.set(d.service?.value ?? d.service?.text ?? '?', d);
  return m;
}

/** Each secret entry as `NAME=secret` with the block's mode. */
function secrets(d: DeployFact | undefined): string[] {
  assert.ok(d, 'expected the deploy');
  return d.blocks.filter((b) => b.kind === 'secrets').flatMap((b) => b.entries.map((e) =>
    `${b.mode} ${e.name}=${e.value.kind === 'secret' ? e.value.secret : e.value.kind}`));
}

function envNames(d: DeployFact | undefined): string[] {
  assert.ok(d, 'expected the deploy');
  return d.blocks.filter((b) => b.kind === 'env').flatMap((b: EnvBlock) => b.entries.map((e) => e.name));
}

const SERVICES = `import subprocess
from dataclasses import dataclass
from typing import Dict


@dataclass
class Svc:
    name: str
    directory: str
    cloud_run_name: str
    dockerfile: str
    environment_vars: Dict[str, str]


SERVICES = [
    Svc(name="api", directory="services/api", cloud_run_name="acme-api-staging",
        dockerfile="deploy/docker/api.Dockerfile", environment_vars={"ENVIRONMENT": "staging", "LOG_LEVEL": "info"}),
    Svc(name="auth", directory="services/auth", cloud_run_name="acme-auth",
        dockerfile="deploy/docker/auth.Dockerfile", environment_vars={"ENVIRONMENT": "staging"}),
    Svc(name="worker", directory="services/worker", cloud_run_name="acme-worker-staging",
        dockerfile="deploy/docker/worker.Dockerfile", environment_vars={"ENVIRONMENT": "staging"}),
    Svc(name="web", directory="web", cloud_run_name="acme-web-staging",
        dockerfile="deploy/docker/web.Dockerfile", environment_vars={"NODE_ENV": "production"}),
]
`;

test('shared builder: flags added under service.name branches go to those services only; unconditional ones to all', () => {
  const text = SERVICES + `

def deploy(service: Svc, project: str = "acme-staging"):
    cmd = ["gcloud", "run", "deploy", service.cloud_run_name, "--project", project,
           "--set-env-vars", ",".join(f"{k}={v}" for k, v in service.environment_vars.items())]
    if service.name == "auth":
        cmd.extend(["--set-secrets", "REDIS_URL=redis-url-staging:latest,JWT_SECRET_KEY=jwt-secret-key-staging:latest"])
    elif service.name in ("api", "worker"):
        cmd += ["--update-secrets", "QUEUE_TOKEN=queue-token-staging:latest"]
    cmd.append("--set-secrets=SENTRY_DSN=sentry-dsn:1")
    subprocess.run(cmd, check=True)
`;
  const ds = byService(text);
  assert.deepEqual([...ds.keys()], ['acme-api-staging', 'acme-auth', 'acme-worker-staging', 'acme-web-staging']);
  assert.deepEqual(secrets(ds.get('acme-auth')), ['set REDIS_URL=redis-url-staging', 'set JWT_SECRET_KEY=jwt-secret-key-staging', 'set SENTRY_DSN=sentry-dsn']);
  assert.deepEqual(secrets(ds.get('acme-api-staging')), ['update QUEUE_TOKEN=queue-token-staging', 'set SENTRY_DSN=sentry-dsn']);
  assert.deepEqual(secrets(ds.get('acme-worker-staging')), ['update QUEUE_TOKEN=queue-token-staging', 'set SENTRY_DSN=sentry-dsn']);
  assert.deepEqual(secrets(ds.get('acme-web-staging')), ['set SENTRY_DSN=sentry-dsn']);
  for (const d of ds.values()) {
    assert.equal(d.opaque, undefined);
    assert.equal(d.project?.value, 'acme-staging');
    assert.ok(at(text, d.span)?.startsWith('Svc(name='));
  }
  const auth = ds.get('acme-auth')!;
  // The deployed name is the config's own field, at its literal.
  assert.equal(at(text, auth.service?.span), 'acme-auth');
  assert.ok(text.slice(0, auth.service!.span.start).endsWith('cloud_run_name="'));
  const jwt = auth.blocks.flatMap((b) => b.entries).find((e) => e.name === 'JWT_SECRET_KEY')!;
  assert.equal(at(text, jwt.nameSpan), 'JWT_SECRET_KEY');
  assert.equal(at(text, jwt.value.kind === 'secret' ? jwt.value.span : undefined), 'jwt-secret-key-staging:latest');
  const sentry = auth.blocks.flatMap((b) => b.entries).find((e) => e.name === 'SENTRY_DSN')!;
  assert.equal(at(text, sentry.span), 'SENTRY_DSN=sentry-dsn:1');
  // Per-service fields: the Dockerfile each config names.
  assert.equal(auth.dockerfile?.value, 'deploy/docker/auth.Dockerfile');
  assert.equal(at(text, auth.dockerfile?.span), 'deploy/docker/auth.Dockerfile');
  // The config's env dict stays its env block.
  assert.deepEqual(envNames(ds.get('acme-api-staging')), ['ENVIRONMENT', 'LOG_LEVEL']);
});

test('shared builder: match/case, the else of !=, startswith and `not in` are attributed per service', () => {
  const text = SERVICES + `
GCLOUD = "gcloud"
NO_DB = ("web",)


def deploy(svc):
    cmd = [GCLOUD, "run", "deploy", svc.cloud_run_name, "--set-env-vars",
           ",".join(f"{k}={v}" for k, v in svc.environment_vars.items())]
    match svc.name:
        case "api" | "worker":
            cmd.extend(["--update-secrets", "DB_PASSWORD=db-password:latest"])
        case "auth":
            cmd.extend(["--update-secrets", "OAUTH_HMAC_SECRET=oauth-hmac:latest"])
        case _:
            cmd.extend(["--update-secrets", "FALLBACK_KEY=fallback:latest"])
    if svc.name != "web":
        pass
    else:
        cmd += ["--update-secrets", "NEXTAUTH_SECRET=nextauth:latest"]
    if svc.name.startswith("work"):
        cmd.append("--update-secrets=QUEUE_TOKEN=queue-token:latest")
    if svc.name not in NO_DB and not svc.name == "auth":
        cmd.append("--update-secrets=DB_USER=db-user:latest")
    subprocess.run(cmd, check=True)
`;
  const ds = byService(text);
  assert.deepEqual(secrets(ds.get('acme-api-staging')), ['update DB_PASSWORD=db-password', 'update DB_USER=db-user']);
  assert.deepEqual(secrets(ds.get('acme-auth')), ['update OAUTH_HMAC_SECRET=oauth-hmac']);
  assert.deepEqual(secrets(ds.get('acme-worker-staging')), ['update DB_PASSWORD=db-password', 'update QUEUE_TOKEN=queue-token', 'update DB_USER=db-user']);
  assert.deepEqual(secrets(ds.get('acme-web-staging')), ['update FALLBACK_KEY=fallback', 'update NEXTAUTH_SECRET=nextauth']);
  for (const d of ds.values()) assert.equal(d.opaque, undefined);
});

test('shared builder: a branch on the service that cannot be decided makes those deploys partial, never silently dropped', () => {
  const text = SERVICES + `
from tiers import GPU_SERVICES


def deploy(service, verbose=False):
    cmd = ["gcloud", "run", "deploy", service.cloud_run_name,
           "--set-env-vars", ",".join(f"{k}={v}" for k, v in service.environment_vars.items())]
    if service.name in GPU_SERVICES:
        cmd.extend(["--set-secrets", "CUDA_TOKEN=cuda-token:latest"])
    if service.name == "api":
        cmd.extend(["--set-secrets", "API_SIGNING_KEY=api-signing:latest"])
    # Not about the service: taken, as any standalone command's branch is.
    if verbose:
        cmd.append("--update-secrets=DEBUG_TOKEN=debug-token:latest")
    subprocess.run(cmd, check=True)
`;
  const ds = byService(text);
  for (const [name, d] of ds) {
    assert.ok(d.opaque, `${name} should be partial`);
    assert.equal(d.opaque, '--set-secrets added under `service.name in GPU_SERVICES`, which could not be decided for this service');
    assert.ok(!secrets(d).some((s) => s.includes('CUDA_TOKEN')));
    assert.ok(secrets(d).includes('update DEBUG_TOKEN=debug-token'));
  }
  assert.ok(secrets(ds.get('acme-api-staging')).includes('set API_SIGNING_KEY=api-signing'));
  assert.ok(!secrets(ds.get('acme-auth')).some((s) => s.includes('API_SIGNING_KEY')));
  // The reason names flags and the condition, never a value.
  assert.ok(!ds.get('acme-auth')!.opaque!.includes('cuda-token'));
});

test('shared builder: an unknown field in the condition is undecided; a field the config states is decided', () => {
  const text = `import subprocess

SERVICES = [
    {"name": "api", "directory": "api", "needs_db": True, "env": {"ENVIRONMENT": "staging"}},
    {"name": "web", "directory": "web", "needs_db": False, "env": {"ENVIRONMENT": "staging"}},
    {"name": "jobs", "directory": "jobs", "env": {"ENVIRONMENT": "staging"}},
]


def deploy(svc):
    cmd = ["gcloud", "run", "deploy", f"{svc['name']}-staging",
           "--set-env-vars", ",".join(f"{k}={v}" for k, v in svc["env"].items())]
    if svc["needs_db"]:
        cmd += ["--set-secrets", "DB_PASSWORD=db-password:latest"]
    subprocess.run(cmd, check=True)
`;
  const ds = facts(text).deploys;
  const [api, web, jobs] = ds;
  assert.deepEqual([api.service?.value, web.service?.value, jobs.service?.value], ['api', 'web', 'jobs']);
  assert.deepEqual(secrets(api), ['set DB_PASSWORD=db-password']);
  assert.deepEqual(secrets(web), []);
  assert.equal(web.opaque, undefined);
  assert.deepEqual(secrets(jobs), []);
  assert.equal(jobs.opaque, '--set-secrets added under `svc["needs_db"]`, which could not be decided for this service');
});

test('shared builder: env entries added to the joined list or dict under a service branch (and the environment they name)', () => {
  const list = SERVICES + `
API_URL = "https://api.staging.example.com"


def deploy(service):
    env_vars = []
    for key, value in service.environment_vars.items():
        env_vars.append(f"{key}={value}")
    if service.name == "web":
        env_vars.extend(["NEXT_PUBLIC_ENVIRONMENT=staging", f"NEXT_PUBLIC_API_URL={API_URL}"])
    cmd = ["gcloud", "run", "deploy", service.cloud_run_name]
    if env_vars:
        cmd.extend(["--set-env-vars", ",".join(env_vars)])
    subprocess.run(cmd, check=True)
`;
  const ds = byService(list);
  const web = ds.get('acme-web-staging')!;
  assert.deepEqual(envNames(web), ['NODE_ENV', 'NEXT_PUBLIC_ENVIRONMENT', 'NEXT_PUBLIC_API_URL']);
  const added = web.blocks[1];
  assert.equal(at(list, added.entries[0].span), 'NEXT_PUBLIC_ENVIRONMENT=staging');
  assert.equal(added.entries[1].value.kind, 'dynamic');
  const hint = web.environmentHints.find((h) => h.value === 'staging');
  assert.equal(at(list, hint?.span), 'staging');
  assert.ok(list.slice(0, hint!.span.start).endsWith('"NEXT_PUBLIC_ENVIRONMENT='));
  assert.deepEqual(envNames(ds.get('acme-api-staging')), ['ENVIRONMENT', 'LOG_LEVEL']);
  for (const d of ds.values()) assert.equal(d.opaque, undefined);

  const dict = SERVICES + `

def deploy(service):
    env = dict(service.environment_vars)
    if service.name == "web":
        env["NEXT_PUBLIC_ENVIRONMENT"] = "staging"
    else:
        env.update({"WORKERS": "4"})
    cmd = ["gcloud", "run", "deploy", service.cloud_run_name,
           "--set-env-vars", ",".join(f"{k}={v}" for k, v in env.items())]
    subprocess.run(cmd, check=True)
`;
  const dd = byService(dict);
  const web2 = dd.get('acme-web-staging')!;
  assert.deepEqual(envNames(web2), ['NODE_ENV', 'NEXT_PUBLIC_ENVIRONMENT']);
  assert.equal(at(dict, web2.blocks[1].entries[0].span), 'env["NEXT_PUBLIC_ENVIRONMENT"] = "staging"');
  assert.equal(at(dict, web2.blocks[1].entries[0].nameSpan), 'NEXT_PUBLIC_ENVIRONMENT');
  assert.ok(web2.environmentHints.some((h) => h.value === 'staging'));
  assert.deepEqual(envNames(dd.get('acme-auth')), ['ENVIRONMENT', 'WORKERS']);
  assert.equal(at(dict, dd.get('acme-auth')!.blocks[1].entries[0].span), '"WORKERS": "4"');
});

test('per-service fields without a command: the deployed-name field and the Dockerfile', () => {
  const text = `DEPLOY = [
    {"name": "api", "directory": "services/api", "cloud_run_service": "acme-api-prod",
     "dockerfile": "docker/api.Dockerfile", "env": {"LOG_LEVEL": "info"}},
]
`;
  const [d] = facts(text).deploys;
  assert.equal(d.service?.value, 'acme-api-prod');
  assert.equal(at(text, d.service?.span), 'acme-api-prod');
  assert.equal(d.dockerfile?.value, 'docker/api.Dockerfile');
  assert.equal(at(text, d.dockerfile?.span), 'docker/api.Dockerfile');
  assert.equal(d.source?.value, 'services/api');
});

test('a standalone command keeps every branch: no config, so nothing to attribute', () => {
  const text = `import subprocess

def deploy(name, with_db):
    cmd = ["gcloud", "run", "deploy", name]
    if name == "api":
        cmd.extend(["--set-secrets", "DB_PASSWORD=db-password:latest"])
    subprocess.run(cmd, check=True)
`;
  const ds = facts(text).deploys;
  assert.equal(ds.length, 1);
  assert.deepEqual(secrets(ds[0]), ['set DB_PASSWORD=db-password']);
});

test('image builds run from Python: argument lists and shell strings, names followed to literals', () => {
  const text = `import os
import subprocess

IMAGE = "gcr.io/acme/api:latest"
DOCKER = "docker"


class Builder:
    def __init__(self):
        self.docker_cmd = "docker"

    def build_api(self):
        subprocess.run([self.docker_cmd, "build", "-t", IMAGE, "-f", "deploy/api.Dockerfile", "."], check=True)

    def build_web(self, tag):
        cmd = ["gcloud", "builds", "submit"]
        cmd += ["--tag", "gcr.io/acme/web", "web"]
        subprocess.run(cmd, check=True)

    def build_worker(self, tag):
        os.system(f"docker build -t {tag} -f worker/Dockerfile worker")

    def not_builds(self, tag):
        print("docker build -t example .")
        EXAMPLES = [("Docker", "docker build -t example ."), ("Buildx", "docker buildx build -t example .")]
        subprocess.run(["docker", "build", "."])
        subprocess.run([DOCKER, "push", tag])
        subprocess.run(["gcloud", "builds", "submit", "--config", "cloudbuild.yaml", "."])

    def build_local(self):
        subprocess.run(["docker", "build", "-f", self.dockerfile_path, "."])
`;
  const f = facts(text);
  const rows = f.builds.map((b) => [b.image?.value ?? b.image?.text, at(text, b.image?.span), b.dockerfile?.value ?? b.dockerfile?.text, b.context?.value]);
  assert.deepEqual(rows, [
    ['gcr.io/acme/api:latest', 'gcr.io/acme/api:latest', 'deploy/api.Dockerfile', '.'],
    ['gcr.io/acme/web', 'gcr.io/acme/web', undefined, 'web'],
    ['tag', '{tag}', 'worker/Dockerfile', 'worker'],
    [undefined, undefined, 'self.dockerfile_path', '.'],
  ]);
  assert.ok(text.slice(0, f.builds[0].image!.span.start).endsWith('IMAGE = "'));
  assert.deepEqual(f.deploys, []);
});

test('values a setup script stores in Secret Manager: a dict walked by a loop, and direct calls', () => {
  const text = `import os
import subprocess

DEFAULT_JWT = "your-jwt-secret-here"


def setup_secrets():
    secrets = {
        "jwt-secret-key-staging": DEFAULT_JWT,
        "service-secret-staging": "REPLACE_WITH_SERVICE_SECRET",
        "oauth-client-secret-staging": os.getenv("OAUTH_CLIENT_SECRET", "REPLACE_WITH_OAUTH_SECRET"),
        "db-port-staging": "5432",
    }
    for name, value in secrets.items():
        subprocess.run(["gcloud", "secrets", "create", name], check=False)
        subprocess.run(["gcloud", "secrets", "versions", "add", name, "--data-file=-"], input=value.encode(), check=True)
    subprocess.run(["gcloud", "secrets", "create", "api-token", "--data-file=-"], input=b"changeme", check=True)
    cmd = ["gcloud", "secrets", "versions", "add", "webhook-key", "--data-file=-"]
    subprocess.run(cmd, input="TODO", text=True)
    subprocess.run(["gcloud", "secrets", "versions", "add", "from-env", "--data-file=-"], input=os.environ["REAL"].encode())
    subprocess.run(["gcloud", "secrets", "versions", "add", "from-file", "--data-file=secret.txt"], input="changeme")
    for name in secrets:
        subprocess.run(["gcloud", "secrets", "versions", "add", name, "--data-file", "-"], input=secrets[name])
`;
  const f = facts(text);
  assert.deepEqual(f.secretValues.map((v) => [v.secret, at(text, v.secretSpan), at(text, v.valueSpan)]), [
    ['jwt-secret-key-staging', 'jwt-secret-key-staging', 'your-jwt-secret-here'],
    ['service-secret-staging', 'service-secret-staging', 'REPLACE_WITH_SERVICE_SECRET'],
    ['db-port-staging', 'db-port-staging', '5432'],
    ['api-token', 'api-token', 'changeme'],
    ['webhook-key', 'webhook-key', 'TODO'],
  ]);
  assert.ok(text.slice(0, f.secretValues[0].valueSpan.start).endsWith('DEFAULT_JWT = "'));
  assert.deepEqual(f.deploys, []);
});

test('a command assembled as a string: `cmd += " --flag"` pieces are read, per branch in a builder', () => {
  const standalone = `import os, subprocess

def deploy(name):
    cmd = f"gcloud run deploy {name}-staging --source ./api"
    cmd += " --set-secrets=JWT_SECRET_KEY=jwt-key:latest"
    if name == "auth":
        cmd = cmd + f" --update-secrets OAUTH_SECRET=oauth:{VERSION}"
    subprocess.run(cmd, shell=True, check=True)
`;
  const [d] = facts(standalone).deploys;
  assert.equal(d.service?.text, '{name}-staging');
  assert.deepEqual(secrets(d), ['set JWT_SECRET_KEY=jwt-key', 'update OAUTH_SECRET=oauth']);
  const jwt = d.blocks[0].entries[0];
  assert.equal(at(standalone, jwt.span), 'JWT_SECRET_KEY=jwt-key:latest');
  // A new flag goes at the end of what every run has, not into the branch's piece.
  assert.ok(d.newEnvBlock);
  assert.ok(standalone.slice(0, d.newEnvBlock.offset).endsWith(' --set-secrets=JWT_SECRET_KEY=jwt-key:latest'));

  const builder = SERVICES + `

def deploy(service):
    env = ",".join(f"{k}={v}" for k, v in service.environment_vars.items())
    cmd = f"gcloud run deploy {service.cloud_run_name} --set-env-vars {env}"
    if service.name == "auth":
        cmd += " --set-secrets=JWT_SECRET_KEY=jwt-secret-key-staging:latest"
    os.system(cmd)
`;
  const ds = byService(builder);
  assert.deepEqual([...ds.keys()], ['acme-api-staging', 'acme-auth', 'acme-worker-staging', 'acme-web-staging']);
  assert.deepEqual(secrets(ds.get('acme-auth')), ['set JWT_SECRET_KEY=jwt-secret-key-staging']);
  assert.deepEqual(secrets(ds.get('acme-api-staging')), []);
  assert.deepEqual(envNames(ds.get('acme-api-staging')), ['ENVIRONMENT', 'LOG_LEVEL']);
});

test('look-alikes: other gcloud commands on the config, and a parameter whose field no config has', () => {
  const text = SERVICES + `

def cleanup(service):
    subprocess.run(["gcloud", "run", "services", "delete", service.cloud_run_name, "--quiet"])
    subprocess.run(["gcloud", "run", "services", "update-traffic", service.cloud_run_name, "--to-latest"])


def deploy_job(job):
    cmd = ["gcloud", "run", "jobs", "deploy", job.job_name, "--set-env-vars", "MODE=batch"]
    if job.name == "auth":
        cmd += ["--set-secrets", "JOB_TOKEN=job-token:latest"]
    subprocess.run(cmd)


def deploy_scheduler(task):
    # \`name\` is a field every settings object has: \`task\` reads no other field the configs have.
    subprocess.run(["gcloud", "run", "deploy", task.name, "--set-env-vars", f"CRON={task.schedule}"])
`;
  const ds = facts(text).deploys;
  assert.deepEqual(ds.map((d) => d.service?.value ?? d.service?.text), ['acme-api-staging', 'acme-auth', 'acme-worker-staging', 'acme-web-staging', 'job.job_name', 'task.name']);
  assert.deepEqual(envNames(ds[5]), ['CRON']);
  for (const d of ds.slice(0, 4)) assert.deepEqual(secrets(d), []);
  const job = ds[4];
  assert.equal(job.platform, 'cloud-run-job');
  assert.deepEqual(secrets(job), ['set JOB_TOKEN=job-token']);
});

test('in the model: secrets from a builder branch count as set for that service only, and the branch\'s entry places the web deploy', async () => {
  const script = SERVICES.replace('cloud_run_name="acme-web-staging"', 'cloud_run_name="acme-web"') + `

def deploy(service):
    env_vars = [f"{k}={v}" for k, v in service.environment_vars.items()]
    if service.name == "web":
        env_vars.append("NEXT_PUBLIC_ENVIRONMENT=staging")
    cmd = ["gcloud", "run", "deploy", service.cloud_run_name, "--set-env-vars", ",".join(env_vars)]
    if service.name == "auth":
        cmd.extend(["--set-secrets", "REDIS_URL=redis-url-staging:latest"])
    subprocess.run(cmd, check=True)
`;
  const { ws, findings } = await analyze({
    'scripts/deploy_all.py': script,
    'services/auth/requirements.txt': 'fastapi\n',
    'services/auth/app.py': 'import os\nREDIS = os.environ["REDIS_URL"]\n',
    'services/api/requirements.txt': 'fastapi\n',
    'services/api/app.py': 'import os\nREDIS = os.environ["REDIS_URL"]\n',
    'services/worker/requirements.txt': 'celery\n',
    'web/package.json': '{ "name": "web" }\n',
    'web/src/api.ts': 'export const base = process.env.API_BASE_URL;\n',
  });
  // A gcloud deploy without --set-secrets keeps the secrets the service has: uncertain for secrets only.
  const keys = ws.model().targets.map((t) => `${t.key}${t.partial.length ? ` (partial: ${t.partial.map((p) => p.kind ?? 'all').join(',')})` : ''}`).sort();
  assert.deepEqual(keys, ['api@staging (partial: secrets)', 'auth@staging', 'web@staging (partial: secrets)', 'worker@staging (partial: secrets)']);
  const web = ws.model().targets.find((t) => t.key === 'web@staging')!;
  assert.match(web.deploys[0].evidence[1], /NEXT_PUBLIC_ENVIRONMENT=staging/);
  const unset = findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => `${f.file}: ${f.message.split(',')[0]}`);
  assert.ok(!unset.some((m) => m.startsWith('services/auth/')), unset.join('\n'));
  assert.ok(unset.some((m) => m.startsWith('services/api/app.py: REDIS_URL')), unset.join('\n'));
  assert.ok(unset.some((m) => m.startsWith('web/src/api.ts: API_BASE_URL')), unset.join('\n'));
});
