/**
 * secret-manager-gate: code turns Secret Manager on only when one variable (GCP_PROJECT_ID) is
 * present. Python and TypeScript gates, valid look-alikes, suppressions, configuration, and the
 * widening fix as a round trip: the widened condition parses, keeps the accessor style, and
 * means "any GCP signal present" (or "none present" for an absence test) when run.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ts } from 'ts-morph';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester, type InvalidCase } from '../rule-tester';
import { roundTrip } from './_fix-roundtrip';
import { secretManagerGate } from '../../server/src/rules/secret-manager-gate';

before(ready);

const RULE = 'secret-manager-gate';
const SIGNALS = ['GCP_PROJECT_ID', 'GOOGLE_CLOUD_PROJECT', 'GOOGLE_APPLICATION_CREDENTIALS', 'K_SERVICE'];

const PY_ROOT = { 'services/api/requirements.txt': 'google-cloud-secret-manager\n' };
const TS_ROOT = { 'services/web/package.json': '{ "name": "web" }\n' };

/** A SecretManager class whose availability check tests one variable (the staging rollout's gate). */
const PY_AVAILABILITY = `import os


class SecretManager:
    def __init__(self) -> None:
        self._environment = os.environ.get("ENVIRONMENT", "development")

    def _is_gcp_available(self) -> bool:
        return (self._environment in ["staging", "production"] and
                os.environ.get("GCP_PROJECT_ID") is not None)

    def load(self) -> None:
        if not self._is_gcp_available():
            return
`;

const PY_NOT = `import os


def load_from_secret_manager() -> dict:
    if not os.environ.get("GCP_PROJECT_ID"):
        return {}
    return {"loaded": True}
`;

const PY_IS_NONE = `import os


class SecretManager:
    def disabled(self) -> bool:
        return os.getenv("GCP_PROJECT_ID") is None
`;

const TS_IF = `export async function loadSecrets(): Promise<boolean> {
  if (process.env.GCP_PROJECT_ID) {
    return true;
  }
  return false;
}
`;

const TS_NOT = `export async function loadSecrets(): Promise<boolean> {
  if (!process.env.GCP_PROJECT_ID) return false;
  return true;
}
`;

const TS_UNDEFINED = `export function skipSecretManager(): boolean {
  return process.env["GCP_PROJECT_ID"] === undefined;
}
`;

const TS_MODULE = `import { SecretManagerServiceClient } from "@google-cloud/secret-manager";

export const client = process.env.GCP_PROJECT_ID ? new SecretManagerServiceClient() : undefined;
`;

const SHELL_STAGING = `#!/usr/bin/env bash
gcloud run deploy api-staging --source services/api --project acme-staging --set-env-vars "ENVIRONMENT=staging"
`;

interface Gate {
  name: string;
  files: Files;
  at: string;
  messageId: string;
  /** The condition text the finding covers. */
  condition: string;
  message: RegExp[];
  related: string[];
  severity: 'info' | 'warning';
  /** The exact replacement text of the fix. */
  widened: string;
  /** How to run the gate (language, function, whether it returns "enabled" for true). */
  run: { lang: 'python' | 'typescript'; call: string; presence: boolean };
}

const gates: Gate[] = [
  {
    name: 'Python: _is_gcp_available (is not None), staging deploy without it',
    files: { ...PY_ROOT, 'services/api/app/secrets.py': PY_AVAILABILITY, 'deploy/deploy-api-staging.sh': SHELL_STAGING },
    at: 'services/api/app/secrets.py:10',
    messageId: 'unwiredGateInFunction',
    condition: 'os.environ.get("GCP_PROJECT_ID") is not None',
    message: [/^_is_gcp_available\(\) uses Secret Manager only when GCP_PROJECT_ID is set, which api \(staging\) does not set$/],
    related: ['deploy/deploy-api-staging.sh:2'],
    severity: 'warning',
    widened: '(os.environ.get("GCP_PROJECT_ID") is not None or os.environ.get("GOOGLE_CLOUD_PROJECT") is not None or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") is not None or os.environ.get("K_SERVICE") is not None)',
    run: { lang: 'python', call: 'SecretManager.__new__(SecretManager)._is_gcp_available.__func__(type("S", (), {"_environment": "staging"})())', presence: true },
  },
  {
    name: 'Python: if not os.environ.get(...) (absence test): widened with and',
    files: { ...PY_ROOT, 'services/api/app/loader.py': PY_NOT },
    at: 'services/api/app/loader.py:5',
    messageId: 'gateInFunction',
    condition: 'not os.environ.get("GCP_PROJECT_ID")',
    message: [/^load_from_secret_manager\(\) uses Secret Manager only when GCP_PROJECT_ID is set: a deploy without it gets no secrets$/],
    related: [],
    severity: 'info',
    widened: '(not os.environ.get("GCP_PROJECT_ID") and not os.environ.get("GOOGLE_CLOUD_PROJECT") and not os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") and not os.environ.get("K_SERVICE"))',
    run: { lang: 'python', call: 'load_from_secret_manager() != {}', presence: true },
  },
  {
    // The deploy without the variable mounts the secrets as variables and sets everything the code
    // needs: the gate only decides a second source there, so a hint.
    name: 'Python: _is_gcp_available, staging deploy without it but mounting the secrets itself: an info hint',
    files: { ...PY_ROOT, 'services/api/app/secrets.py': PY_AVAILABILITY, 'deploy/deploy-api-staging.sh': SHELL_STAGING.replace('"ENVIRONMENT=staging"', '"ENVIRONMENT=staging" --set-secrets "JWT_SECRET_KEY=jwt-secret-key-staging:latest"') },
    at: 'services/api/app/secrets.py:10',
    messageId: 'unwiredGateInFunction',
    condition: 'os.environ.get("GCP_PROJECT_ID") is not None',
    message: [/^_is_gcp_available\(\) uses Secret Manager only when GCP_PROJECT_ID is set, which api \(staging\) does not set$/],
    related: ['deploy/deploy-api-staging.sh:2'],
    severity: 'info',
    widened: '(os.environ.get("GCP_PROJECT_ID") is not None or os.environ.get("GOOGLE_CLOUD_PROJECT") is not None or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") is not None or os.environ.get("K_SERVICE") is not None)',
    run: { lang: 'python', call: 'SecretManager.__new__(SecretManager)._is_gcp_available.__func__(type("S", (), {"_environment": "staging"})())', presence: true },
  },
  {
    name: 'Python: os.getenv(...) is None in a SecretManager class, no deploy linked: an info hint',
    files: { ...PY_ROOT, 'services/api/app/sm.py': PY_IS_NONE },
    at: 'services/api/app/sm.py:6',
    messageId: 'gateInFunction',
    condition: 'os.getenv("GCP_PROJECT_ID") is None',
    message: [/^disabled\(\) uses Secret Manager only when GCP_PROJECT_ID is set/],
    related: [],
    severity: 'info',
    widened: '(os.getenv("GCP_PROJECT_ID") is None and os.getenv("GOOGLE_CLOUD_PROJECT") is None and os.getenv("GOOGLE_APPLICATION_CREDENTIALS") is None and os.getenv("K_SERVICE") is None)',
    run: { lang: 'python', call: 'not SecretManager().disabled()', presence: true },
  },
  {
    name: 'TypeScript: if (process.env.GCP_PROJECT_ID), production deploy without it',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_IF, 'deploy/deploy-web-production.sh': '#!/usr/bin/env bash\ngcloud run deploy web-production --source services/web --project acme-prod --set-env-vars "ENVIRONMENT=production"\n' },
    at: 'services/web/src/secrets.ts:2',
    messageId: 'unwiredGateInFunction',
    condition: 'process.env.GCP_PROJECT_ID',
    message: [/^loadSecrets\(\) uses Secret Manager only when GCP_PROJECT_ID is set, which web \(production\) does not set$/],
    related: ['deploy/deploy-web-production.sh:2'],
    severity: 'warning',
    widened: '(process.env.GCP_PROJECT_ID || process.env.GOOGLE_CLOUD_PROJECT || process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.K_SERVICE)',
    run: { lang: 'typescript', call: 'loadSecrets()', presence: true },
  },
  {
    name: 'TypeScript: if (!process.env.GCP_PROJECT_ID) return: the negation stays outside',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_NOT },
    at: 'services/web/src/secrets.ts:2',
    messageId: 'gateInFunction',
    condition: 'process.env.GCP_PROJECT_ID',
    message: [/^loadSecrets\(\) uses Secret Manager only when GCP_PROJECT_ID is set/],
    related: [],
    severity: 'info',
    widened: '(process.env.GCP_PROJECT_ID || process.env.GOOGLE_CLOUD_PROJECT || process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.K_SERVICE)',
    run: { lang: 'typescript', call: 'loadSecrets()', presence: true },
  },
  {
    name: 'TypeScript: process.env["GCP_PROJECT_ID"] === undefined (absence test): widened with &&',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_UNDEFINED },
    at: 'services/web/src/secrets.ts:2',
    messageId: 'gateInFunction',
    condition: 'process.env["GCP_PROJECT_ID"] === undefined',
    message: [/^skipSecretManager\(\) uses Secret Manager only when GCP_PROJECT_ID is set/],
    related: [],
    severity: 'info',
    widened: '(process.env["GCP_PROJECT_ID"] === undefined && process.env["GOOGLE_CLOUD_PROJECT"] === undefined && process.env["GOOGLE_APPLICATION_CREDENTIALS"] === undefined && process.env["K_SERVICE"] === undefined)',
    run: { lang: 'typescript', call: '!skipSecretManager()', presence: true },
  },
  {
    name: 'TypeScript: a module-level gate (no function), no deploy',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_MODULE },
    at: 'services/web/src/secrets.ts:3',
    messageId: 'gate',
    condition: 'process.env.GCP_PROJECT_ID',
    message: [/^Secret Manager is used only when GCP_PROJECT_ID is set: a deploy without it gets no secrets$/],
    related: [],
    severity: 'info',
    widened: '(process.env.GCP_PROJECT_ID || process.env.GOOGLE_CLOUD_PROJECT || process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.K_SERVICE)',
    run: { lang: 'typescript', call: 'client !== undefined', presence: true },
  },
  {
    name: 'TypeScript: a module-level gate, staging deploy without it',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_MODULE, 'deploy/deploy-web-staging.sh': '#!/usr/bin/env bash\ngcloud run deploy web-staging --source services/web --project acme-staging --set-env-vars "ENVIRONMENT=staging"\n' },
    at: 'services/web/src/secrets.ts:3',
    messageId: 'unwiredGate',
    condition: 'process.env.GCP_PROJECT_ID',
    message: [/^Secret Manager is used only when GCP_PROJECT_ID is set, which web \(staging\) does not set$/],
    related: ['deploy/deploy-web-staging.sh:2'],
    severity: 'warning',
    widened: '(process.env.GCP_PROJECT_ID || process.env.GOOGLE_CLOUD_PROJECT || process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.K_SERVICE)',
    run: { lang: 'typescript', call: 'client !== undefined', presence: true },
  },
];

const valid: { name: string; files: Files }[] = [
  {
    name: 'Python: several signals already accepted (the widening fix applied)',
    files: { ...PY_ROOT, 'services/api/app/secrets.py': `import os


def _running_on_gcp() -> bool:
    return (
        "GCP_PROJECT_ID" in os.environ
        or "GOOGLE_APPLICATION_CREDENTIALS" in os.environ
        or "K_SERVICE" in os.environ
    )


def load_secret_manager() -> None:
    if not _running_on_gcp():
        return
`, 'deploy/deploy-api-staging.sh': SHELL_STAGING },
  },
  {
    name: 'TypeScript: two signals in one condition',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': 'export function useSecretManager(): boolean {\n  return Boolean(process.env.GCP_PROJECT_ID) || Boolean(process.env.K_SERVICE);\n}\n' },
  },
  {
    name: 'GCP_PROJECT_ID read for its value, not to decide on Secret Manager',
    files: { ...PY_ROOT, 'services/api/app/logging_setup.py': 'import os\n\n\ndef labels() -> dict:\n    return {"project": os.environ.get("GCP_PROJECT_ID", "local")}\n' },
  },
  {
    name: 'a single-variable gate in a test file',
    files: { ...PY_ROOT, 'services/api/tests/test_secrets.py': PY_NOT.replace('def load_from_secret_manager', 'def fake_secret_manager') },
  },
  {
    name: 'a service only compose runs (a self-hosted production stack): leaving the variable unset is that path\'s design',
    files: {
      ...PY_ROOT, 'services/api/app/loader.py': PY_NOT,
      'docker-compose.prod.yml': 'services:\n  api:\n    build: ./services/api\n    environment:\n      DJANGO_DEBUG: "false"\n',
    },
  },
  {
    name: 'a Secret Manager function testing an unrelated variable',
    files: { ...PY_ROOT, 'services/api/app/secrets.py': 'import os\n\n\ndef load_secret_manager() -> bool:\n    if not os.environ.get("SECRETS_ENABLED"):\n        return False\n    return True\n' },
  },
];

const WIDEN_TITLE = /^Also accept GOOGLE_CLOUD_PROJECT, GOOGLE_APPLICATION_CREDENTIALS, K_SERVICE as a sign of running on GCP$/;
const PY_NOT_FILES = { ...PY_ROOT, 'services/api/app/loader.py': PY_NOT };

const asInvalid = (g: Gate): InvalidCase => ({
  name: g.name,
  files: g.files,
  findings: [{
    at: g.at, severity: g.severity, messageId: g.messageId, message: g.message, text: g.condition, related: g.related,
    // A judgement call: never applied by --fix.
    fixes: [{ title: WIDEN_TITLE, safe: false, preferred: true, files: [g.at.split(':')[0]], newText: g.widened, output: { remaining: [] } }],
  }],
});

const OPERATOR_SCRIPT = `#!/usr/bin/env python3
import os


def load_from_secret_manager() -> dict:
    if not os.environ.get("GCP_PROJECT_ID"):
        return {}
    return {"loaded": True}


if __name__ == "__main__":
    print(load_from_secret_manager())
`;

/** A zod-validated environment tested through its field (`typeof config.GOOGLE_CLOUD_PROJECT`):
 * the store falls back to a local file when the field is undefined. */
const ZOD_CONFIG = (field: string) => `import { z } from 'zod';

export const envSchema = z.object({
  GCP_PROJECT_ID: z.string().min(1).default('local-dev'),
  GOOGLE_CLOUD_PROJECT: ${field},
});

export type ServiceConfig = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return envSchema.parse(env);
}
`;
const FIELD_GATE = `import { loadConfig, type ServiceConfig } from './config';
import { FileTokenStore, SecretManagerTokenStore, type TokenStore } from './stores';

export function createTokenStore(config: ServiceConfig = loadConfig()): TokenStore {
  if (typeof config.GOOGLE_CLOUD_PROJECT === 'string') {
    const projectId = config.GOOGLE_CLOUD_PROJECT || config.GCP_PROJECT_ID;
    return new SecretManagerTokenStore({ projectId });
  }
  return new FileTokenStore({ filePath: '.data/shops.json' });
}
`;
const FIELD_DEPLOY = '#!/usr/bin/env bash\ngcloud run deploy web-production --source services/web --project acme-prod --set-env-vars "GCP_PROJECT_ID=acme-prod"\n';
const fieldFiles = (field: string, deploy = FIELD_DEPLOY): Files => ({
  ...TS_ROOT,
  'services/web/src/config.ts': ZOD_CONFIG(field),
  'services/web/src/tokens.ts': FIELD_GATE,
  'deploy/deploy-web-production.sh': deploy,
});

RuleTester.run(secretManagerGate, {
  valid: [
    ...valid,
    {
      // A script an operator (or CI) runs: no deploy runs its gate.
      name: 'a gate in an operator script under scripts/',
      files: { ...PY_ROOT, 'scripts/load_secrets.py': OPERATOR_SCRIPT },
      control: { files: { ...PY_ROOT, 'services/api/app/load_secrets.py': OPERATOR_SCRIPT.replace('#!/usr/bin/env python3\n', '') } },
    },
    {
      name: 'suppression: # disable-next-line in Python',
      files: { ...PY_ROOT, 'services/api/app/loader.py': PY_NOT.replace('    if not', '    # deploy-preflight-disable-next-line secret-manager-gate -- local emulator only\n    if not') },
      others: { 'unused-suppression': [] },
      control: { files: PY_NOT_FILES },
    },
    {
      name: 'suppression: // disable-next-line in TypeScript',
      files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_NOT.replace('  if (!', '  // deploy-preflight-disable-next-line secret-manager-gate\n  if (!') },
      others: { 'unused-suppression': [] },
      control: { files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_NOT } },
    },
    {
      name: 'an unused suppression (gate already widened) is reported as unused-suppression',
      files: { ...TS_ROOT, 'services/web/src/secrets.ts': '// deploy-preflight-disable-next-line secret-manager-gate\nexport const useSecretManager = (): boolean => Boolean(process.env.GCP_PROJECT_ID) || Boolean(process.env.K_SERVICE);\n' },
      others: { 'unused-suppression': [{ at: 'services/web/src/secrets.ts:1', message: /no secret-manager-gate finding here/ }] },
    },
    {
      // The project under two names, then the platform's own lookup: a value with a fallback, not
      // a test of being on GCP.
      name: 'a project id read under two names (`A or B`) by a helper of Secret Manager code is no gate',
      files: { ...PY_ROOT, 'services/api/app/secrets.py': [
        'import os',
        'from google.auth import default',
        'from google.cloud import secretmanager',
        '',
        'def project_id():',
        '    pid = os.getenv("GOOGLE_CLOUD_PROJECT") or os.getenv("APP_PROJECT")',
        '    if pid:',
        '        return pid',
        '    _, pid = default()',
        '    return pid',
        '',
        'def read_secret(name):',
        '    client = secretmanager.SecretManagerServiceClient()',
        '    return client.access_secret_version(name=f"projects/{project_id()}/secrets/{name}/versions/latest")',
        '',
      ].join('\n') },
    },
    {
      // The caller's value with the variable as its fallback, kept for a resource path: a value,
      // not a test of being on GCP. The control tests the same read.
      name: 'a Secret Manager client\'s `project_id or os.getenv(…)` in its constructor is a value with a fallback, no gate',
      files: { ...PY_ROOT, 'services/api/app/secret_store.py': [
        'import os',
        'from google.cloud import secretmanager',
        '',
        'class SecretManagerStore:',
        '    def __init__(self, project_id=None):',
        '        self._project = project_id or os.getenv("GCP_PROJECT_ID")',
        '',
        '    def get(self, name):',
        '        client = secretmanager.SecretManagerServiceClient()',
        '        return client.access_secret_version(name=f"projects/{self._project}/secrets/{name}/versions/latest")',
        '',
      ].join('\n') },
      control: { files: { ...PY_ROOT, 'services/api/app/secret_store.py': [
        'import os',
        'from google.cloud import secretmanager',
        '',
        'class SecretManagerStore:',
        '    def __init__(self, project_id=None):',
        '        self._enabled = project_id and os.getenv("GCP_PROJECT_ID")',
        '',
      ].join('\n') } },
    },
    {
      // Refusing a configuration when the project is set (a non-production process pointing at
      // production secrets) decides nothing about where secrets come from.
      name: 'TypeScript: a guard that throws when the project variable is set is no gate',
      files: { ...TS_ROOT, 'services/web/src/server.ts': [
        'export function buildServer(): void {',
        "  const isNonProd = process.env.NODE_ENV !== 'production';",
        "  const pointsAtProd = process.env.APP_ENV === 'prod' && Boolean(process.env.GCP_PROJECT_ID);",
        '  if (isNonProd && pointsAtProd) {',
        "    throw new Error('Non-production cannot use production Secret Manager secrets');",
        '  }',
        '}',
        '',
      ].join('\n') },
      // The same test switching Secret Manager off instead is a gate.
      control: { files: { ...TS_ROOT, 'services/web/src/server.ts': [
        'export function buildServer(): void {',
        "  const isNonProd = process.env.NODE_ENV !== 'production';",
        "  const pointsAtProd = process.env.APP_ENV === 'prod' && Boolean(process.env.GCP_PROJECT_ID);",
        '  if (isNonProd && pointsAtProd) {',
        "    console.log('loading production Secret Manager secrets');",
        '  }',
        '}',
        '',
      ].join('\n') } },
    },
    {
      name: 'Python: a guard that raises when the project variable is set is no gate',
      files: { ...PY_ROOT, 'services/api/app/boot.py': [
        'import os',
        '',
        'def check_secret_manager_target():',
        '    if os.getenv("ENV") != "production" and os.getenv("GCP_PROJECT_ID"):',
        '        raise RuntimeError("non-production must not read production Secret Manager")',
        '',
      ].join('\n') },
      control: { files: { ...PY_ROOT, 'services/api/app/boot.py': [
        'import os',
        '',
        'def check_secret_manager_target():',
        '    if os.getenv("ENV") != "production" and not os.getenv("GCP_PROJECT_ID"):',
        '        raise RuntimeError("Secret Manager needs GCP_PROJECT_ID")',
        '',
      ].join('\n') } },
    },
    {
      // The schema gives the field a value when the variable is unset: the test is always true.
      name: 'a configuration field tested for presence whose schema gives it a default is no gate',
      files: fieldFiles("z.string().default('acme-dev')"),
      control: { files: fieldFiles('z.string().optional()') },
    },
    {
      // No hint either: the field's object may not have the other signals to widen with.
      name: 'a configuration field gate whose every deploy sets the variable is quiet',
      files: fieldFiles('z.string().optional()', FIELD_DEPLOY.replace('GCP_PROJECT_ID=acme-prod', 'GCP_PROJECT_ID=acme-prod,GOOGLE_CLOUD_PROJECT=acme-prod')),
      control: { files: fieldFiles('z.string().optional()') },
    },
    {
      // Wired everywhere: a hint that the gate is fragile was never judged true on real
      // repositories (a second, outer gate; secrets nothing reads), so nothing is said.
      name: 'a gate whose every deploy sets the variable is quiet',
      files: { ...PY_ROOT, 'services/api/app/sm.py': PY_IS_NONE, 'deploy/deploy-api-staging.sh': SHELL_STAGING.replace('ENVIRONMENT=staging', 'ENVIRONMENT=staging,GCP_PROJECT_ID=acme-staging') },
      control: { files: { ...PY_ROOT, 'services/api/app/sm.py': PY_IS_NONE, 'deploy/deploy-api-staging.sh': SHELL_STAGING } },
    },
    {
      name: 'config: off disables the rule',
      files: PY_NOT_FILES,
      config: 'rules:\n  secret-manager-gate: off\n',
      control: {},
    },
  ],
  invalid: [
    ...gates.map(asInvalid),
    {
      name: 'config: a severity override applies',
      files: PY_NOT_FILES,
      config: 'rules:\n  secret-manager-gate: error\n',
      findings: [{ ...asInvalid(gates[1]).findings[0], severity: 'error' }],
    },
    {
      // The fallback value taken inside the guarded branch is not a second signal.
      name: 'TypeScript: a zod-validated field tested for presence (`typeof config.GOOGLE_CLOUD_PROJECT`), production deploy without it',
      files: fieldFiles('z.string().optional()'),
      findings: [{
        at: 'services/web/src/tokens.ts:5', severity: 'warning', messageId: 'unwiredGateInFunction',
        message: /^createTokenStore\(\) uses Secret Manager only when GOOGLE_CLOUD_PROJECT is set, which web \(production\) does not set$/,
        text: "typeof config.GOOGLE_CLOUD_PROJECT === 'string'",
        related: ['deploy/deploy-web-production.sh:2'],
        fixes: [{ title: 'Add GOOGLE_CLOUD_PROJECT=acme-prod to web (production)', safe: true, preferred: true }],
      }],
    },
    {
      name: 'two gates in one function are two findings (stable, distinct fingerprints)',
      files: { ...PY_ROOT, 'services/api/app/secrets.py': 'import os\n\n\ndef load_secret_manager():\n    if not os.environ.get("GCP_PROJECT_ID"):\n        return None\n    ok = "GCP_PROJECT_ID" in os.environ\n    return ok\n' },
      findings: [
        { at: 'services/api/app/secrets.py:5', severity: 'info', messageId: 'gateInFunction', message: /^load_secret_manager\(\) uses Secret Manager/, text: 'not os.environ.get("GCP_PROJECT_ID")', related: [], fixes: [{ title: WIDEN_TITLE, safe: false, preferred: true }] },
        { at: 'services/api/app/secrets.py:7', severity: 'info', messageId: 'gateInFunction', message: /^load_secret_manager\(\) uses Secret Manager/, text: '"GCP_PROJECT_ID" in os.environ', related: [], fixes: [{ title: WIDEN_TITLE, safe: false, preferred: true }] },
      ],
      check: (found) => assert.notEqual(found[0].fingerprint, found[1].fingerprint),
    },
  ],
});

for (const g of gates) {
  test(`fix semantics (any signal enables, none disables): ${g.name}`, async (t) => {
    const { after } = await roundTrip(RULE, g.files, () => true);
    const file = Object.keys(after).find((k) => after[k] !== g.files[k])!;
    for (const present of [[], ...SIGNALS.map((s) => [s])]) {
      const enabled = await runGate(g.run.lang, after[file], g.run.call, present, t);
      if (enabled === undefined) return;
      assert.equal(enabled, present.length > 0, `with ${present.join(',') || 'nothing'} set`);
    }
  });
}

/** Runs the (fixed) gate with only `present` set; undefined when the runtime is unavailable. */
async function runGate(lang: 'python' | 'typescript', source: string, call: string, present: string[], t: { skip(msg: string): void }): Promise<boolean | undefined> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const p of present) env[p] = 'x';
  if (lang === 'python') {
    try {
      const out = execFileSync('python3', ['-c', `${source}\nprint(bool(${call}))`], { env, encoding: 'utf8' });
      return out.trim() === 'True';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') { t.skip('python3 not available'); return undefined; }
      throw err;
    }
  }
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports: Record<string, unknown> = {};
  const processLike = { env };
  // A module-level gate imports the client library: a stub stands in for it.
  const requireStub = () => ({ SecretManagerServiceClient: class {} });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('exports', 'process', 'require', js)(exports, processLike, requireStub);
  const result = await (new Function(...Object.keys(exports), `return ${call};`)(...Object.values(exports)) as unknown);
  return Boolean(result);
}

test('fix round trip: a field gate is cleared by giving the deploy the variable with its project', async () => {
  const { after, findingsAfter } = await roundTrip(RULE, fieldFiles('z.string().optional()'), (f) => f.rule === RULE);
  assert.match(after['deploy/deploy-web-production.sh'], /--set-env-vars "GCP_PROJECT_ID=acme-prod,GOOGLE_CLOUD_PROJECT=acme-prod"/);
  assert.equal(after['services/web/src/tokens.ts'], FIELD_GATE, 'the code is left as it was');
  assert.deepEqual(findingsAfter.filter((f) => f.rule === RULE && f.severity !== 'info'), []);
});

test('a gate in a function nothing in the workspace calls, in a module the service uses, never decides anything: quiet', async () => {
  const { findingsOf } = await import('../rule-harness');
  // A Django-style settings module: a helper nobody calls holds the gate; the settings themselves are used.
  const settings = (call: string) => `import os\n\nDEBUG = os.environ.get("DEBUG", "") == "1"\n\n\ndef legacy_secret(secret_id):\n    if os.environ.get("GOOGLE_CLOUD_PROJECT"):\n        from google.cloud import secretmanager\n        return secretmanager.SecretManagerServiceClient().access_secret_version(name=secret_id)\n    return ""\n${call}`;
  const files = (call: string): Files => ({
    ...PY_ROOT,
    'services/api/app/settings.py': settings(call),
    'services/api/app/main.py': 'from app import settings\n\nprint(settings.DEBUG)\n',
    'deploy/deploy-api-staging.sh': SHELL_STAGING,
  });
  assert.deepEqual((await findingsOf(RULE, files(''))).map((f) => f.messageId), []);
  // Control: once the settings call it, the gate runs as the service starts.
  assert.deepEqual((await findingsOf(RULE, files('\nEMAIL_KEY = legacy_secret("email-key")\n'))).map((f) => f.messageId), ['unwiredGateInFunction']);
});
