import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import { pythonDeployMayMatter } from '../../server/src/extract/python-deploy/index';
import type { DeployFact, EnvBlock, Insertion } from '../../server/src/core/facts';

before(ready);

const FILE = 'scripts/deploy_to_gcp.py';

function deploys(text: string, file = FILE): DeployFact[] {
  const f = extractFile(file, text);
  assert.deepEqual(f.problems, []);
  return f.deploys;
}

/** The text after inserting `entry` the way the insertion says. */
function apply(text: string, ins: Insertion | undefined, entry: string): string {
  assert.ok(ins, 'expected an insertion point');
  return text.slice(0, ins.offset) + ins.before + entry + ins.after + text.slice(ins.offset);
}

function env(d: DeployFact): EnvBlock {
  const b = d.blocks.find((x) => x.kind === 'env');
  assert.ok(b, 'expected an env block');
  return b;
}

const AUDIT = `#!/usr/bin/env python3
"""Deploy Netra services to GCP Cloud Run."""
import argparse
import subprocess
from dataclasses import dataclass
from typing import Dict


@dataclass
class ServiceConfig:
    name: str
    directory: str
    port: int
    environment_vars: Dict[str, str]


class GCPDeployer:
    def __init__(self, project_id: str = "netra-staging", region: str = "us-central1"):
        self.project_id = project_id
        self.region = region
        self.gcloud_cmd = "gcloud.cmd" if sys.platform == "win32" else "gcloud"
        self.services = [
            ServiceConfig(
                name="backend",
                directory="netra_backend",
                port=8000,
                environment_vars={
                    "ENVIRONMENT": "staging",
                    "LOG_LEVEL": "info",
                    "DATABASE_URL": f"postgresql+asyncpg://netra@/netra?host=/cloudsql/{self.project_id}",
                },
            ),
            ServiceConfig(
                name="auth",
                directory="auth_service",
                port=8080,
                environment_vars={"ENVIRONMENT": "staging", "GCP_PROJECT_ID": self.project_id},
            ),
        ]

    def deploy_service(self, service: ServiceConfig) -> bool:
        image_tag = f"gcr.io/{self.project_id}/{service.name}:latest"
        env_vars = ",".join([f"{k}={v}" for k, v in service.environment_vars.items()])
        cmd = [
            self.gcloud_cmd, "run", "deploy", f"{service.name}-staging",
            "--image", image_tag,
            "--platform", "managed",
            "--region", self.region,
            "--project", self.project_id,
            "--set-env-vars", env_vars,
            "--set-secrets", "JWT_SECRET_KEY=jwt-secret-key-staging:latest",
            "--port", str(service.port),
        ]
        subprocess.run(cmd, check=True)
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default="netra-staging")
    parser.add_argument("--build-local", action="store_true")
    args = parser.parse_args()
    deployer = GCPDeployer(args.project)
    for s in deployer.services:
        deployer.deploy_service(s)
`;

test('audit shape: one DeployFact per ServiceConfig, linked to the gcloud command', () => {
  const ds = deploys(AUDIT);
  assert.equal(ds.length, 2);
  const [backend, auth] = ds;
  for (const d of ds) {
    assert.equal(d.via, 'python');
    assert.equal(d.platform, 'cloud-run');
    assert.equal(d.opaque, undefined);
    assert.ok(at(AUDIT, d.span)?.startsWith('ServiceConfig('));
  }
  assert.equal(backend.service?.value, 'backend');
  assert.equal(at(AUDIT, backend.service?.span), 'backend');
  assert.equal(auth.service?.value, 'auth');
  assert.equal(backend.source?.value, 'netra_backend');
  assert.equal(at(AUDIT, backend.source?.span), 'netra_backend');
  assert.equal(auth.source?.value, 'auth_service');

  const b = env(backend);
  assert.equal(b.mode, 'set');
  assert.deepEqual(b.entries.map((e) => e.name), ['ENVIRONMENT', 'LOG_LEVEL', 'DATABASE_URL']);
  assert.ok(!b.entries.some((e) => e.name === 'GCP_PROJECT_ID'));
  const level = b.entries[1];
  assert.equal(at(AUDIT, level.nameSpan), 'LOG_LEVEL');
  assert.equal(at(AUDIT, level.span), '"LOG_LEVEL": "info"');
  assert.deepEqual(level.value.kind === 'literal' && [level.value.value, at(AUDIT, level.value.span)], ['info', 'info']);
  const db = b.entries[2];
  assert.equal(db.value.kind, 'dynamic');
  assert.equal(db.value.kind === 'dynamic' && db.value.text, 'f"postgresql+asyncpg://netra@/netra?host=/cloudsql/{self.project_id}"');

  const a = env(auth);
  const gcp = a.entries.find((e) => e.name === 'GCP_PROJECT_ID');
  assert.ok(gcp);
  assert.equal(at(AUDIT, gcp.span), '"GCP_PROJECT_ID": self.project_id');
  assert.deepEqual(gcp.value.kind === 'dynamic' && [gcp.value.text, at(AUDIT, gcp.value.span)], ['self.project_id', 'self.project_id']);

  // project / region: how the dict's scope refers to them, with the default's literal.
  for (const d of ds) {
    assert.equal(d.project?.text, 'self.project_id');
    assert.equal(d.project?.value, 'netra-staging');
    assert.equal(at(AUDIT, d.project?.span), 'netra-staging');
    assert.ok(AUDIT.slice(0, d.project!.span.start).endsWith('project_id: str = "'));
    assert.equal(d.region?.text, 'self.region');
    assert.equal(d.region?.value, 'us-central1');
  }

  // environment hints: the ENVIRONMENT entry and the `-staging` suffix of the service name pattern.
  const evidence = backend.environmentHints.map((h) => `${h.value}: ${h.evidence}`);
  assert.ok(evidence.includes('staging: ENVIRONMENT=staging in env dict'), evidence.join('; '));
  assert.ok(evidence.includes('staging: service name f"{service.name}-staging"'), evidence.join('; '));
  const suffix = backend.environmentHints.find((h) => h.evidence.startsWith('service name'));
  assert.equal(at(AUDIT, suffix?.span), 'staging');
  assert.ok(AUDIT.slice(0, suffix!.span.start).endsWith('{service.name}-'));

  // The command's literal secrets flag applies to every linked service.
  for (const d of ds) {
    const s = d.blocks.find((x) => x.kind === 'secrets');
    assert.ok(s);
    assert.equal(s.entries[0].name, 'JWT_SECRET_KEY');
    assert.deepEqual(s.entries[0].value.kind === 'secret' && [s.entries[0].value.secret, s.entries[0].value.version], ['jwt-secret-key-staging', 'latest']);
  }
});

test('audit shape: insertion into a multi-line dict with trailing commas, and into a one-line dict', () => {
  const [backend, auth] = deploys(AUDIT);
  const b = env(backend).insert;
  assert.equal(b?.format, 'python-dict');
  assert.equal(b?.quote, '"');
  assert.equal(b?.before, '\n                    ');
  assert.equal(b?.after, ',');
  assert.ok(AUDIT.slice(0, b!.offset).endsWith('{self.project_id}",'));
  const edited = apply(AUDIT, b, '"GCP_PROJECT_ID": self.project_id');
  assert.ok(edited.includes(
    '/cloudsql/{self.project_id}",\n                    "GCP_PROJECT_ID": self.project_id,\n                },\n'));

  const a = env(auth).insert;
  assert.equal(a?.before, ', ');
  assert.equal(a?.after, '');
  assert.ok(apply(AUDIT, a, '"LOG_LEVEL": "info"').includes(
    'environment_vars={"ENVIRONMENT": "staging", "GCP_PROJECT_ID": self.project_id, "LOG_LEVEL": "info"},'));
});

const SERVICES = `import subprocess

PROJECT_ID = "acme-prod"
REGION = "europe-west1"

SERVICES = {
    "api": {
        "source": "services/api",
        "env": {"LOG_LEVEL": "debug", "PORT": 8080},
        "secrets": {
            "DB_PASSWORD": "db-password:3",
            "API_KEY": "projects/acme/secrets/api-key/versions/latest"
        },
    },
    "worker": {"source": "services/worker", "env": {}},
}

JOBS = [
    {"name": "nightly", "dir": "jobs/nightly", "env_vars": {'MODE': 'batch'}},
]


def deploy(name, cfg):
    subprocess.run(["gcloud", "run", "deploy", name, "--source", cfg["source"], "--project", PROJECT_ID], check=True)
`;

test('plain dict of service dicts, and a list of dicts with "name"', () => {
  const ds = deploys(SERVICES);
  const names = ds.map((d) => d.service?.value);
  assert.deepEqual(names.slice(0, 3), ['api', 'worker', 'nightly']);
  const [api, worker, nightly] = ds;
  assert.equal(at(SERVICES, api.service?.span), 'api');
  assert.equal(api.source?.value, 'services/api');
  assert.equal(api.project?.text, 'PROJECT_ID');
  assert.equal(api.project?.value, 'acme-prod');
  assert.equal(api.region?.text, 'REGION');
  assert.equal(at(SERVICES, api.region?.span), 'europe-west1');

  const e = env(api);
  assert.deepEqual(e.entries.map((x) => [x.name, x.value.kind === 'literal' ? x.value.value : x.value.kind]), [['LOG_LEVEL', 'debug'], ['PORT', '8080']]);
  assert.equal(at(SERVICES, e.span), '{"LOG_LEVEL": "debug", "PORT": 8080}');
  assert.ok(apply(SERVICES, e.insert, '"X": "1"').includes('{"LOG_LEVEL": "debug", "PORT": 8080, "X": "1"}'));

  const s = api.blocks.find((b) => b.kind === 'secrets');
  assert.ok(s);
  assert.equal(s.mode, 'set');
  const [pw, key] = s.entries;
  assert.deepEqual(pw.value.kind === 'secret' && [pw.value.secret, pw.value.version, at(SERVICES, pw.value.span)], ['db-password', '3', 'db-password:3']);
  assert.deepEqual(key.value.kind === 'secret' && [key.value.secret, key.value.version], ['api-key', 'latest']);
  // Multi-line dict without a trailing comma: the comma goes before, none after.
  assert.equal(s.insert?.before, ',\n            ');
  assert.equal(s.insert?.after, '');
  assert.ok(apply(SERVICES, s.insert, '"JWT": "jwt:latest"').includes('versions/latest",\n            "JWT": "jwt:latest"\n        },'));

  // Empty dict: insert inside the braces.
  const w = env(worker);
  assert.equal(w.entries.length, 0);
  assert.ok(apply(SERVICES, w.insert, '"A": "1"').includes('"env": {"A": "1"}}'));

  assert.equal(at(SERVICES, nightly.service?.span), 'nightly');
  assert.equal(nightly.source?.value, 'jobs/nightly');
  assert.equal(env(nightly).insert?.quote, "'");

  // The gcloud list's env is not visible: a separate fact with a place for a new env flag.
  const cmd = ds[3];
  assert.equal(ds.length, 4);
  assert.equal(cmd.service?.text, 'name');
  assert.equal(cmd.project?.text, 'PROJECT_ID');
  assert.equal(cmd.project?.value, 'acme-prod');
  assert.equal(cmd.newEnvBlock?.format, 'gcloud-arg-env');
  assert.equal(cmd.newEnvBlock?.before, ', ');
  assert.ok(apply(SERVICES, cmd.newEnvBlock, '"--update-env-vars=A=1"').includes('"--project", PROJECT_ID, "--update-env-vars=A=1"], check=True)'));
});

const ENV_KEYED = `import subprocess
import argparse

REGION = "us-central1"

ENV_VARS = {
    "staging": {
        "ENVIRONMENT": "staging",
        "LOG_LEVEL": "debug",
    },
    "production": {"ENVIRONMENT": "production"},
}


def deploy(name, env):
    env_str = ",".join(f"{k}={v}" for k, v in ENV_VARS[env].items())
    cmd = ["gcloud", "run", "deploy", name, "--source", "services/api", "--region", REGION]
    cmd.append(f"--update-env-vars={env_str}")
    subprocess.run(cmd, check=True)
`;

test('dict keyed by environment: one fact per environment, linked to the command using it', () => {
  const ds = deploys(ENV_KEYED);
  assert.equal(ds.length, 2);
  const [staging, production] = ds;
  assert.equal(at(ENV_KEYED, staging.span)?.startsWith('"staging": {'), true);
  const hint = staging.environmentHints.find((h) => h.evidence === 'key "staging" of ENV_VARS');
  assert.ok(hint);
  assert.equal(hint.value, 'staging');
  assert.equal(at(ENV_KEYED, hint.span), 'staging');
  assert.ok(!staging.environmentHints.some((h) => h.value === 'production'));
  assert.ok(production.environmentHints.some((h) => h.evidence === 'key "production" of ENV_VARS'));
  assert.deepEqual(env(staging).entries.map((e) => e.name), ['ENVIRONMENT', 'LOG_LEVEL']);
  // linked: --update-env-vars makes the block an update, the command's source/region/service carry over
  assert.equal(env(staging).mode, 'update');
  assert.equal(staging.source?.value, 'services/api');
  assert.equal(staging.region?.text, 'REGION');
  assert.equal(staging.region?.value, 'us-central1');
  assert.equal(staging.service?.text, 'name');
  assert.equal(staging.opaque, undefined);
  const ins = env(staging).insert;
  assert.ok(apply(ENV_KEYED, ins, '"X": "1"').includes('"LOG_LEVEL": "debug",\n        "X": "1",\n    },'));
});

test('subprocess.run with a literal list and --set-env-vars=A=1: a gcloud-kv insertion inside the string', () => {
  const text = `import subprocess

def deploy():
    subprocess.run(["gcloud", "run", "deploy", "static-svc", "--source", ".", "--set-env-vars=A=1"], check=True)
`;
  const [d] = deploys(text);
  assert.equal(d.service?.value, 'static-svc');
  assert.equal(at(text, d.service?.span), 'static-svc');
  assert.equal(d.source?.value, '.');
  const b = env(d);
  assert.equal(b.entries.length, 1);
  assert.equal(at(text, b.entries[0].span), 'A=1');
  assert.equal(at(text, b.entries[0].nameSpan), 'A');
  assert.equal(b.insert?.format, 'gcloud-kv');
  assert.equal(b.insert?.before, ',');
  assert.ok(apply(text, b.insert, 'B=2').includes('"--set-env-vars=A=1,B=2"]'));
  assert.equal(d.newEnvBlock, undefined);
  assert.equal(d.newSecretBlock?.format, 'gcloud-arg-secret');
});

test('a list built with extend / append / += gets every flag', () => {
  const text = `import subprocess

def deploy(service_name, project):
    cmd = ["gcloud", "run", "deploy", service_name]
    cmd.extend(["--source", "./backend", "--project", project])
    cmd += ["--region", "us-east1"]
    if True:
        cmd.append("--update-env-vars=LOG_LEVEL=info,ENVIRONMENT=staging")
    subprocess.check_call(cmd)
`;
  const ds = deploys(text);
  assert.equal(ds.length, 1);
  const [d] = ds;
  assert.equal(d.service?.text, 'service_name');
  assert.equal(d.source?.value, './backend');
  assert.equal(d.project?.text, 'project');
  assert.equal(d.region?.value, 'us-east1');
  const b = env(d);
  assert.equal(b.mode, 'update');
  assert.deepEqual(b.entries.map((e) => at(text, e.span)), ['LOG_LEVEL=info', 'ENVIRONMENT=staging']);
  assert.ok(d.environmentHints.some((h) => h.value === 'staging' && at(text, h.span) === 'staging'));
  assert.ok(apply(text, b.insert, 'X=1').includes('ENVIRONMENT=staging,X=1")'));
});

test('env from a dict variable joined into the flag: the dict is the block', () => {
  const text = `import subprocess

BASE_ENV = {
    "LOG_LEVEL": "info",
}

def deploy():
    env_str = ",".join(f"{k}={v}" for k, v in BASE_ENV.items())
    subprocess.run(["gcloud", "run", "deploy", "api", "--set-env-vars", env_str])
`;
  const ds = deploys(text);
  assert.equal(ds.length, 1);
  const d = ds[0];
  assert.equal(d.opaque, undefined);
  const b = env(d);
  assert.equal(b.entries[0].name, 'LOG_LEVEL');
  assert.equal(at(text, b.entries[0].span), '"LOG_LEVEL": "info"');
  assert.equal(b.insert?.format, 'python-dict');
  assert.ok(apply(text, b.insert, '"X": "1"').includes('"LOG_LEVEL": "info",\n    "X": "1",\n}'));
});

test('env from something unknown: the fact is opaque', () => {
  const text = `import subprocess

def deploy(extra):
    subprocess.check_call([
        "gcloud", "beta", "run", "deploy", "mystery",
        "--image", "gcr.io/x/y",
        "--update-env-vars", extra,
    ])
`;
  const [d] = deploys(text);
  assert.equal(d.service?.value, 'mystery');
  assert.equal(d.image?.value, 'gcr.io/x/y');
  assert.equal(d.opaque, '--update-env-vars extra');
  assert.equal(env(d).entries.length, 0);
  // multi-line list with a trailing comma: new elements on their own line
  assert.equal(d.newSecretBlock?.before, '\n        ');
  assert.equal(d.newSecretBlock?.after, ',');
});

test('shell strings: a literal command and an f-string command', () => {
  const text = `import os, subprocess

def deploy(name):
    subprocess.run("gcloud run deploy plain --source=./svc --update-env-vars=LOG=info", shell=True)
    os.system(f"gcloud run deploy {name}-staging --region us-central1 --set-env-vars 'X=1,Y={name}'")
`;
  const [plain, fstr] = deploys(text);
  assert.equal(plain.service?.value, 'plain');
  assert.equal(plain.source?.value, './svc');
  const b = env(plain);
  assert.equal(at(text, b.entries[0].span), 'LOG=info');
  assert.ok(apply(text, b.insert, 'A=1').includes('--update-env-vars=LOG=info,A=1", shell=True)'));

  assert.equal(fstr.service?.value, undefined);
  assert.equal(fstr.service?.text, '{name}-staging');
  assert.ok(fstr.environmentHints.some((h) => h.value === 'staging' && h.evidence.startsWith('service name')));
  const e = env(fstr);
  assert.equal(at(text, e.entries[0].span), 'X=1');
  assert.equal(e.entries[1].value.kind, 'dynamic');
  assert.equal(at(text, e.entries[1].value.span), '{name}');
});

test('environment hints from argparse and module constants', () => {
  const text = `import argparse, subprocess
ENVIRONMENT = "staging"

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--env", default="preview")
    subprocess.run(["gcloud", "run", "deploy", "api", "--source", "."])
`;
  const [d] = deploys(text);
  const hints = d.environmentHints.map((h) => [h.value, h.evidence, at(text, h.span)]);
  assert.deepEqual(hints, [['preview', '--env default "preview"', 'preview'], ['staging', 'ENVIRONMENT = "staging"', 'staging']]);
});

test('positional dataclass arguments are mapped to fields', () => {
  const text = `from dataclasses import dataclass

@dataclass
class Svc:
    name: str
    directory: str
    environment_vars: dict

SERVICES = [Svc("api", "services/api", {"MODE": "web"})]

def deploy():
    pass
`;
  const [d] = deploys(text);
  assert.equal(d.service?.value, 'api');
  assert.equal(d.source?.value, 'services/api');
  assert.deepEqual(env(d).entries.map((e) => e.name), ['MODE']);
});

test('negatives: service code, subprocess env=, a test listing gcloud auth, a log message', () => {
  const service = `import requests

config = {"env": "prod", "name": "deploy-status"}

def deploy_status(url, key):
    return requests.get(url, headers={"X_API": key})

def run(cmd):
    subprocess.run(cmd, env={"PATH": "/usr/bin", "CLOUDSDK_CORE_PROJECT": "x"})
`;
  assert.deepEqual(extractFile('services/api/status.py', service).deploys, []);

  const testFile = `import subprocess

def test_gcloud_available():
    subprocess.run(["gcloud", "auth", "list"], check=True)
`;
  assert.deepEqual(extractFile('tests/test_tools.py', testFile).deploys, []);

  const message = `def deploy(name):
    print(f"gcloud run deploy {name} --source .")
    logger.info("gcloud run deploy api --set-env-vars=A=1")
    """gcloud run deploy api"""
`;
  assert.deepEqual(extractFile('scripts/explain.py', message).deploys, []);

  const nonEnv = `def deploy():
    cfg = {"name": "api", "env": {"debug": True}}
`;
  assert.deepEqual(extractFile('scripts/x.py', nonEnv).deploys, []);
});

test('prefilter: only files mentioning gcloud or env-dict keys are read', () => {
  assert.equal(pythonDeployMayMatter('import os\nx = os.environ["A"]\n'), false);
  assert.equal(pythonDeployMayMatter('cmd = ["gcloud", "run"]'), true);
  assert.equal(pythonDeployMayMatter('# deploy\nS = {"api": {"env": {"A": "1"}}}'), true);
  // An env dict in a file that never mentions deploying is settings: the reading ignores it.
  assert.equal(pythonDeployMayMatter('S = {"api": {"env": {"A": "1"}}}'), false);
  assert.equal(pythonDeployMayMatter('deploy(ServiceConfig(environment_vars={}))'), true);
  assert.equal(pythonDeployMayMatter('def f(environment): return environment'), false);
  assert.equal(pythonDeployMayMatter('subprocess.run(["docker", "build", "-t", TAG, "."])'), true);
  assert.equal(pythonDeployMayMatter('import docker\nclient = docker.from_env()\n'), false);
});

test('never throws on broken input', () => {
  const text = 'cmd = ["gcloud", "run", "deploy", f"{x\nSERVICES = {"a": {"env": {"A": \n';
  const f = extractFile(FILE, text);
  assert.ok(Array.isArray(f.deploys));
  assert.ok(!f.problems.some((p) => p.message.startsWith('could not')));
});

test('escapes in a list element: entries fall back to the word span, no insertion', () => {
  const text = `import subprocess
subprocess.run(" ".join(["gcloud", "run", "deploy", "api", "--set-env-vars=GREETING=a\\tb"]), shell=True)
`;
  const [d] = deploys(text);
  const b = env(d);
  assert.equal(b.entries[0].name, 'GREETING');
  assert.deepEqual(b.entries[0].value.kind === 'literal' && b.entries[0].value.value, 'a\tb');
  assert.equal(at(text, b.entries[0].span), '"--set-env-vars=GREETING=a\\tb"');
  assert.equal(b.insert, undefined);
});

const PER_ENV_SERVICES = `import subprocess

PROJECTS = {"staging": "acme-staging", "production": "acme-prod"}

SERVICES = {
    "dispatch": {
        "source": "services/dispatch",
        "env": {
            "staging": {"ENVIRONMENT": "staging", "LOG_LEVEL": "debug"},
            "production": {"ENVIRONMENT": "production"},
        },
        "secrets": {
            "staging": {"DJANGO_SECRET_KEY": "django-secret-key-staging:latest"},
            "production": {
                "DJANGO_SECRET_KEY": "django-secret-key-production:2",
            },
        },
    },
}


def build_command(name: str, spec: dict, env: str) -> list[str]:
    env_vars = spec["env"][env]
    secrets = spec["secrets"][env]
    return [
        "gcloud", "run", "deploy", f"{name}-{env}",
        "--source", spec["source"],
        "--project", PROJECTS[env],
        "--update-env-vars", ",".join(f"{k}={v}" for k, v in env_vars.items()),
        "--set-secrets", ",".join(f"{k}={v}" for k, v in secrets.items()),
    ]


def main(env):
    for name, spec in SERVICES.items():
        subprocess.run(build_command(name, spec, env), check=True)
`;

test('per-environment env and secrets dicts: one fact per environment, linked to the command by spec["env"][env]', () => {
  const text = PER_ENV_SERVICES;
  const ds = deploys(text, 'scripts/deploy.py');
  // The command is folded into the two per-environment facts, not left as a third deploy.
  assert.equal(ds.length, 2);
  const [staging, production] = ds;
  assert.equal(staging.service?.value, 'dispatch');
  assert.equal(staging.source?.value, 'services/dispatch');
  const keyHints = (d: DeployFact) => d.environmentHints.filter((h) => h.evidence.startsWith('key ')).map((h) => [h.value, h.evidence, at(text, h.span)]);
  assert.deepEqual(keyHints(staging), [['staging', 'key "staging" of env', 'staging'], ['staging', 'key "staging" of secrets', 'staging']]);
  assert.deepEqual(keyHints(production), [['production', 'key "production" of env', 'production'], ['production', 'key "production" of secrets', 'production']]);
  // Modes follow each flag: --update-env-vars adds, --set-secrets replaces.
  assert.deepEqual(staging.blocks.map((b) => [b.kind, b.mode, b.entries.map((e) => e.name)]), [
    ['env', 'update', ['ENVIRONMENT', 'LOG_LEVEL']],
    ['secrets', 'set', ['DJANGO_SECRET_KEY']],
  ]);
  const secret = production.blocks.find((b) => b.kind === 'secrets')!;
  const v = secret.entries[0]!.value;
  assert.deepEqual(v.kind === 'secret' && [v.secret, v.version, at(text, v.span)], ['django-secret-key-production', '2', 'django-secret-key-production:2']);
  assert.equal(at(text, secret.span), '{\n                "DJANGO_SECRET_KEY": "django-secret-key-production:2",\n            }');
  // A new secret goes into that environment's dict.
  assert.ok(apply(text, staging.blocks[1]!.insert, '"X": "x:latest"').includes('{"DJANGO_SECRET_KEY": "django-secret-key-staging:latest", "X": "x:latest"}'));
  assert.equal(staging.opaque, undefined);
  assert.equal(staging.newEnvBlock, undefined);
});

test('per-environment dicts linked by a literal environment index only link that environment', () => {
  const text = PER_ENV_SERVICES
    .replace('env_vars = spec["env"][env]', 'env_vars = spec["env"]["staging"]')
    .replace('secrets = spec["secrets"][env]', 'secrets = spec["secrets"]["staging"]')
    .replace('--set-secrets', '--update-secrets');
  const ds = deploys(text, 'scripts/deploy.py');
  assert.equal(ds.length, 2);
  const [staging, production] = ds;
  assert.deepEqual(staging.blocks.map((b) => [b.kind, b.mode]), [['env', 'update'], ['secrets', 'update']]);
  assert.deepEqual(production.blocks.map((b) => [b.kind, b.mode]), [['env', 'set'], ['secrets', 'set']]);
});

test('a secrets dict keyed by environment beside a flat env dict', () => {
  const text = `SERVICES = {
    "worker": {
        "source": "services/worker",
        "env": {"CELERY_BROKER_URL": "redis://10.0.0.1:6379/1"},
        "secrets": {
            "staging": {"ROUTING_API_KEY": "routing-api-key:latest"},
            "production": {"ROUTING_API_KEY": "routing-api-key:3"},
        },
    },
}

def deploy(env):
    run(["gcloud", "run", "deploy", "worker", "--source", "services/worker"])
`;
  const ds = deploys(text, 'scripts/deploy.py');
  // The command's env is not visible: it stays a deploy of its own (nothing links it).
  assert.equal(ds.length, 3);
  assert.deepEqual(ds[2]!.blocks, []);
  const cfgs = ds.slice(0, 2);
  assert.deepEqual(cfgs.map((d) => [d.environmentHints.map((h) => h.value), d.blocks.map((b) => [b.kind, b.entries.map((e) => e.name)])]), [
    [['staging'], [['secrets', ['ROUTING_API_KEY']], ['env', ['CELERY_BROKER_URL']]]],
    [['production'], [['secrets', ['ROUTING_API_KEY']], ['env', ['CELERY_BROKER_URL']]]],
  ]);
});

test('a service named by a module constant is that constant\'s value; a parameter or a local of the function is not taken', () => {
  const text = [
    'import subprocess',
    'SERVICE_NAME = "ledger-api"',
    'def deploy():',
    '    subprocess.run(["gcloud", "run", "deploy", SERVICE_NAME, "--image", "img", "--set-env-vars", "A=1"], check=True)',
    'def deploy_named(service="ledger-default"):',
    '    subprocess.run(["gcloud", "run", "deploy", service, "--image", "img", "--set-env-vars", "A=1"], check=True)',
    'def deploy_local():',
    '    SERVICE_NAME = pick()',
    '    subprocess.run(["gcloud", "run", "deploy", SERVICE_NAME, "--image", "img", "--set-env-vars", "A=1"], check=True)',
  ].join('\n');
  const got = deploys(text).map((d) => [d.service?.value, d.service?.text]);
  assert.deepEqual(got, [['ledger-api', 'SERVICE_NAME'], [undefined, 'service'], [undefined, 'SERVICE_NAME']]);
  const [first] = deploys(text);
  assert.equal(at(text, first.service!.span), 'ledger-api');
});

test("a --source built from the script's own location resolves relative to the script (Path(__file__).parent, os.path.dirname, / joins)", () => {
  const text = [
    'import os, subprocess',
    'from pathlib import Path',
    'ROOT = Path(__file__).resolve().parent',
    'UP = Path(__file__).parent.parent',
    'API = ROOT / "services" / "api"',
    'HERE = os.path.dirname(os.path.abspath(__file__))',
    'def deploy(name, src):',
    '    subprocess.run(["gcloud", "run", "deploy", "a-stg", f"--source={ROOT}", "--set-env-vars", "ENVIRONMENT=staging"], check=True)',
    '    subprocess.run(["gcloud", "run", "deploy", "b-stg", "--source", str(UP), "--set-env-vars", "ENVIRONMENT=staging"], check=True)',
    '    subprocess.run(["gcloud", "run", "deploy", "c-stg", f"--source={API}", "--set-env-vars", "ENVIRONMENT=staging"], check=True)',
    '    subprocess.run(["gcloud", "run", "deploy", "d-stg", f"--source={HERE}", "--set-env-vars", "ENVIRONMENT=staging"], check=True)',
    '    subprocess.run(["gcloud", "run", "deploy", "e-stg", f"--source={src}", "--set-env-vars", "ENVIRONMENT=staging"], check=True)',
    '',
  ].join('\n');
  const sources = deploys(text).map((d) => [d.service?.value ?? d.service?.text, d.source?.value]);
  assert.deepEqual(sources, [['a-stg', '.'], ['b-stg', '..'], ['c-stg', './services/api'], ['d-stg', '.'], ['e-stg', undefined]]);
});

test('an AWS CDK stack\'s environment dict configures an ECS task, not a Cloud Run service; the same config beside no such import is one', () => {
  const stack = (imports: string) => [
    imports,
    '',
    'class ApiStack(Stack):',
    '    def __init__(self, scope, id):',
    '        # deploy the API',
    '        service = ecs_patterns.ApplicationLoadBalancedFargateService(',
    '            self, "Api", cpu=512, memory_limit_mib=1024,',
    '            task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(',
    '                image=ecs.ContainerImage.from_asset("../api"),',
    '                container_port=3000,',
    '                environment={"NODE_ENV": "production", "PORT": "3000"},',
    '            ),',
    '        )',
    '',
  ].join('\n');
  for (const imports of ['from aws_cdk import Stack, aws_ecs as ecs, aws_ecs_patterns as ecs_patterns', 'import aws_cdk.aws_ecs as ecs', 'import pulumi_aws as aws']) {
    assert.deepEqual(extractFile('infra/stacks/api_stack.py', stack(imports)).deploys, [], imports);
  }
  assert.equal(extractFile('infra/stacks/api_stack.py', stack('from myinfra import Stack, ecs, ecs_patterns')).deploys.length, 1);
});
