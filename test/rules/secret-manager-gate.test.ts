/**
 * secret-manager-gate: code turns Secret Manager on only when one variable (GCP_PROJECT_ID) is
 * present. Python and TypeScript gates, valid look-alikes, suppressions, configuration, and the
 * audit's Fix 2 as a round trip: the widened condition parses, keeps the accessor style, and
 * means "any GCP signal present" (or "none present" for an absence test) when run.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ts } from 'ts-morph';
import { ready } from '../helpers';
import { findingsOf, where, type Files } from '../rule-harness';
import { roundTrip } from './_fix-roundtrip';

before(ready);

const RULE = 'secret-manager-gate';
const SIGNALS = ['GCP_PROJECT_ID', 'GOOGLE_CLOUD_PROJECT', 'GOOGLE_APPLICATION_CREDENTIALS', 'K_SERVICE'];

const PY_ROOT = { 'services/api/requirements.txt': 'google-cloud-secret-manager\n' };
const TS_ROOT = { 'services/web/package.json': '{ "name": "web" }\n' };

/** The audit's secrets.py gate, verbatim in shape. */
const PY_AUDIT = `import os


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

const SHELL_STAGING = `#!/usr/bin/env bash
gcloud run deploy api-staging --source services/api --project acme-staging --set-env-vars "ENVIRONMENT=staging"
`;

interface Invalid {
  name: string;
  files: Files;
  at: string;
  /** The condition text the finding covers. */
  condition: string;
  message: RegExp[];
  related: string[];
  severity: string;
  /** The exact replacement text of the fix. */
  widened: string;
  /** How to run the gate (language, function, whether it returns "enabled" for true). */
  run: { lang: 'python' | 'typescript'; call: string; presence: boolean };
}

const invalid: Invalid[] = [
  {
    name: 'Python: the audit\'s _is_gcp_available (is not None), staging deploy without it',
    files: { ...PY_ROOT, 'services/api/app/secrets.py': PY_AUDIT, 'deploy/deploy-api-staging.sh': SHELL_STAGING },
    at: 'services/api/app/secrets.py:10',
    condition: 'os.environ.get("GCP_PROJECT_ID") is not None',
    message: [/^_is_gcp_available\(\) enables Secret Manager only when GCP_PROJECT_ID is set; Cloud Run does not set it, and api \(staging\) does not either: secrets will not load there$/],
    related: ['deploy/deploy-api-staging.sh:2'],
    severity: 'warning',
    widened: '(os.environ.get("GCP_PROJECT_ID") is not None or os.environ.get("GOOGLE_CLOUD_PROJECT") is not None or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") is not None or os.environ.get("K_SERVICE") is not None)',
    run: { lang: 'python', call: 'SecretManager.__new__(SecretManager)._is_gcp_available.__func__(type("S", (), {"_environment": "staging"})())', presence: true },
  },
  {
    name: 'Python: if not os.environ.get(...) (absence test): widened with and',
    files: { ...PY_ROOT, 'services/api/app/loader.py': PY_NOT },
    at: 'services/api/app/loader.py:5',
    condition: 'not os.environ.get("GCP_PROJECT_ID")',
    message: [/^load_from_secret_manager\(\) enables Secret Manager only when GCP_PROJECT_ID is set; Cloud Run does not set it, so one missing deploy line silently disables every secret$/],
    related: [],
    severity: 'warning',
    widened: '(not os.environ.get("GCP_PROJECT_ID") and not os.environ.get("GOOGLE_CLOUD_PROJECT") and not os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") and not os.environ.get("K_SERVICE"))',
    run: { lang: 'python', call: 'load_from_secret_manager() != {}', presence: true },
  },
  {
    name: 'Python: os.getenv(...) is None in a SecretManager class, every deploy sets it: an info hint',
    files: { ...PY_ROOT, 'services/api/app/sm.py': PY_IS_NONE, 'deploy/deploy-api-staging.sh': SHELL_STAGING.replace('ENVIRONMENT=staging', 'ENVIRONMENT=staging,GCP_PROJECT_ID=acme-staging') },
    at: 'services/api/app/sm.py:6',
    condition: 'os.getenv("GCP_PROJECT_ID") is None',
    message: [/^disabled\(\) enables Secret Manager only when GCP_PROJECT_ID is set/],
    related: [],
    severity: 'info',
    widened: '(os.getenv("GCP_PROJECT_ID") is None and os.getenv("GOOGLE_CLOUD_PROJECT") is None and os.getenv("GOOGLE_APPLICATION_CREDENTIALS") is None and os.getenv("K_SERVICE") is None)',
    run: { lang: 'python', call: 'not SecretManager().disabled()', presence: true },
  },
  {
    name: 'TypeScript: if (process.env.GCP_PROJECT_ID), production deploy without it',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_IF, 'deploy/deploy-web-production.sh': '#!/usr/bin/env bash\ngcloud run deploy web-production --source services/web --project acme-prod --set-env-vars "ENVIRONMENT=production"\n' },
    at: 'services/web/src/secrets.ts:2',
    condition: 'process.env.GCP_PROJECT_ID',
    message: [/^loadSecrets\(\) enables Secret Manager only when GCP_PROJECT_ID is set; Cloud Run does not set it, and web \(production\) does not either/],
    related: ['deploy/deploy-web-production.sh:2'],
    severity: 'warning',
    widened: '(process.env.GCP_PROJECT_ID || process.env.GOOGLE_CLOUD_PROJECT || process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.K_SERVICE)',
    run: { lang: 'typescript', call: 'loadSecrets()', presence: true },
  },
  {
    name: 'TypeScript: if (!process.env.GCP_PROJECT_ID) return: the negation stays outside',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_NOT },
    at: 'services/web/src/secrets.ts:2',
    condition: 'process.env.GCP_PROJECT_ID',
    message: [/^loadSecrets\(\) enables Secret Manager only when GCP_PROJECT_ID is set/],
    related: [],
    severity: 'warning',
    widened: '(process.env.GCP_PROJECT_ID || process.env.GOOGLE_CLOUD_PROJECT || process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.K_SERVICE)',
    run: { lang: 'typescript', call: 'loadSecrets()', presence: true },
  },
  {
    name: 'TypeScript: process.env["GCP_PROJECT_ID"] === undefined (absence test): widened with &&',
    files: { ...TS_ROOT, 'services/web/src/secrets.ts': TS_UNDEFINED },
    at: 'services/web/src/secrets.ts:2',
    condition: 'process.env["GCP_PROJECT_ID"] === undefined',
    message: [/^skipSecretManager\(\) enables Secret Manager only when GCP_PROJECT_ID is set/],
    related: [],
    severity: 'warning',
    widened: '(process.env["GCP_PROJECT_ID"] === undefined && process.env["GOOGLE_CLOUD_PROJECT"] === undefined && process.env["GOOGLE_APPLICATION_CREDENTIALS"] === undefined && process.env["K_SERVICE"] === undefined)',
    run: { lang: 'typescript', call: '!skipSecretManager()', presence: true },
  },
];

const valid: { name: string; files: Files }[] = [
  {
    name: 'Python: several signals already accepted (the audit\'s Fix 2 applied)',
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
    name: 'a Secret Manager function testing an unrelated variable',
    files: { ...PY_ROOT, 'services/api/app/secrets.py': 'import os\n\n\ndef load_secret_manager() -> bool:\n    if not os.environ.get("SECRETS_ENABLED"):\n        return False\n    return True\n' },
  },
];

for (const c of invalid) {
  test(`invalid: ${c.name}`, async () => {
    const found = await findingsOf(RULE, c.files);
    assert.deepEqual(found.map(where), [c.at]);
    const [f] = found;
    const file = c.files[f.file];
    assert.equal(file.slice(f.span.start, f.span.end), c.condition);
    assert.equal(f.severity, c.severity);
    for (const m of c.message) assert.match(f.message, m);
    assert.deepEqual(f.related.map((r) => `${r.file}:${r.range.start.line + 1}`), c.related);
    assert.equal(f.fixes.length, 1);
    assert.equal(f.fixes[0].safe, false, 'a judgement call: never applied by --fix');
    assert.equal(f.fixes[0].edits[0].newText, c.widened);
  });
  test(`fix round trip (parses, finding gone, idempotent): ${c.name}`, async () => {
    await roundTrip(RULE, c.files, () => true);
  });
  test(`fix semantics (any signal enables, none disables): ${c.name}`, async (t) => {
    const { after } = await roundTrip(RULE, c.files, () => true);
    const file = Object.keys(after).find((k) => after[k] !== c.files[k])!;
    for (const present of [[], ...SIGNALS.map((s) => [s])]) {
      const enabled = await runGate(c.run.lang, after[file], c.run.call, present, t);
      if (enabled === undefined) return;
      assert.equal(enabled, present.length > 0, `with ${present.join(',') || 'nothing'} set`);
    }
  });
}

for (const c of valid) {
  test(`valid: ${c.name}`, async () => {
    assert.deepEqual((await findingsOf(RULE, c.files)).map((f) => `${where(f)} ${f.message}`), []);
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
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('exports', 'process', js)(exports, processLike);
  const result = await (new Function(...Object.keys(exports), `return ${call};`)(...Object.values(exports)) as unknown);
  return Boolean(result);
}

// ---- suppressions and configuration ---------------------------------------------------------

test('suppression: # disable-next-line in Python', async () => {
  const text = PY_NOT.replace('    if not', '    # deploy-preflight-disable-next-line secret-manager-gate -- local emulator only\n    if not');
  const files = { ...PY_ROOT, 'services/api/app/loader.py': text };
  assert.deepEqual(await findingsOf(RULE, files), []);
  assert.deepEqual(await findingsOf('unused-suppression', files), []);
});

test('suppression: // disable-next-line in TypeScript', async () => {
  const text = TS_NOT.replace('  if (!', '  // deploy-preflight-disable-next-line secret-manager-gate\n  if (!');
  const files = { ...TS_ROOT, 'services/web/src/secrets.ts': text };
  assert.deepEqual(await findingsOf(RULE, files), []);
  assert.deepEqual(await findingsOf('unused-suppression', files), []);
});

test('an unused suppression (gate already widened) is reported as unused-suppression', async () => {
  const text = '// deploy-preflight-disable-next-line secret-manager-gate\nexport const useSecretManager = (): boolean => Boolean(process.env.GCP_PROJECT_ID) || Boolean(process.env.K_SERVICE);\n';
  const unused = await findingsOf('unused-suppression', { ...TS_ROOT, 'services/web/src/secrets.ts': text });
  assert.deepEqual(unused.map(where), ['services/web/src/secrets.ts:1']);
  assert.match(unused[0].message, /no secret-manager-gate finding here/);
});

test('config: off disables the rule, a severity override applies', async () => {
  const files = { ...PY_ROOT, 'services/api/app/loader.py': PY_NOT };
  assert.deepEqual(await findingsOf(RULE, files, 'rules:\n  secret-manager-gate: off\n'), []);
  assert.deepEqual((await findingsOf(RULE, files, 'rules:\n  secret-manager-gate: error\n')).map((f) => f.severity), ['error']);
});

test('two gates in one function are two findings (stable, distinct fingerprints)', async () => {
  const text = 'import os\n\n\ndef load_secret_manager():\n    if not os.environ.get("GCP_PROJECT_ID"):\n        return None\n    ok = "GCP_PROJECT_ID" in os.environ\n    return ok\n';
  const found = await findingsOf(RULE, { ...PY_ROOT, 'services/api/app/secrets.py': text });
  assert.deepEqual(found.map(where), ['services/api/app/secrets.py:5', 'services/api/app/secrets.py:7']);
  assert.notEqual(found[0].fingerprint, found[1].fingerprint);
});
