/**
 * env-unset-for-deploy and reads that run only when another variable is set or unset
 * (`EnvRead.onlyWhen`): a deploy that decides the switch the other way never runs the read, so it
 * does not need it; a deploy whose environment is open (it keeps earlier variables) is judged as
 * before. Minimal reproductions written from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const deploy = (vars: string, flag = '--set-env-vars'): Files => ({
  'deploy/deploy-jobs-staging.sh': `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy jobs-staging \\
  --source services/jobs \\
  --project acme-staging \\
  ${flag} "${vars}"
`,
});

const py = (code: string, vars: string, flag?: string): Files => ({
  'services/jobs/requirements.txt': 'fastapi\n',
  'services/jobs/app/settings.py': code,
  ...deploy(vars, flag),
});

const ts = (code: string, vars: string): Files => ({
  'services/jobs/package.json': '{ "name": "jobs" }\n',
  'services/jobs/src/cache.ts': code,
  ...deploy(vars),
});

/** Seen in a real service: a managed-database branch when the deploy names the instance, a local
 * branch (whose password is required) otherwise. */
const DB_SETTINGS = `import os


class DatabaseSettings:
    def connection(self) -> dict:
        if os.getenv("MANAGED_SQL_INSTANCE"):
            instance = os.getenv("MANAGED_SQL_INSTANCE")
            return {"instance": instance, "password": self._password()}
        else:
            password = os.getenv("LOCAL_PG_PASSWORD")
            if not password:
                raise ValueError("LOCAL_PG_PASSWORD is required for local development")
            return {"host": "localhost", "password": password}

    def _password(self) -> str:
        password = os.getenv("MANAGED_SQL_PASSWORD")
        if password:
            return password
        if not os.getenv("MANAGED_SQL_INSTANCE"):
            password = os.getenv("LOCAL_PG_PASSWORD")
            if not password:
                raise ValueError("LOCAL_PG_PASSWORD is required")
            return password
        raise ValueError("no password")
`;

const BILLING = `import os

if os.getenv("ENABLE_BILLING"):
    BILLING_KEY = os.environ["BILLING_API_KEY"]
`;

const REDIS = `export function cache() {
  if (process.env.USE_REDIS) {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error("REDIS_URL is not set");
    return connect(url);
  }
  return memory();
}
`;

/** Seen in a real NestJS service: a mailer that switches itself off (a private flag field) when
 * its SMTP settings are missing, and reads the sender address only once switched on. */
const MAILER = `import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

@Injectable()
export class Mailer {
  private transport: Transport | null = null;
  private enabled = false;

  constructor(private readonly config: ConfigService) {
    const host = this.config.get('SMTP_HOST');
    const password = this.config.get('SMTP_PASSWORD');
    if (host && password) {
      this.transport = createTransport(host, password);
      this.enabled = true;
    } else {
      console.warn('mail is off');
    }
  }

  async send(to: string, body: string) {
    if (!this.enabled || !this.transport) {
      return;
    }
    await this.transport.send({ from: this.config.get('MAIL_SENDER'), to, body });
  }
}
`;

/** Seen in a real service: uploads go to local disk unless a mode variable picks the bucket, and
 * the bucket's name is read only on that branch. */
const UPLOADS = `function resolveStorage(): Storage {
  const target = (process.env.UPLOAD_TARGET ?? 'local').toLowerCase();
  if (target === 'gcs') {
    const bucket = process.env.UPLOAD_BUCKET;
    if (!bucket) throw new Error('UPLOAD_BUCKET is not set');
    return new BucketStorage(bucket);
  }
  return new LocalStorage();
}
`;

/** Look-alike: a comparison with the value the code falls back to holds when the variable is unset. */
const UPLOADS_AT_FALLBACK = `export function storage() {
  if ((process.env.UPLOAD_TARGET || 'local') === 'local') {
    return new LocalStorage(process.env.UPLOAD_DIR!);
  }
  return new BucketStorage();
}
`;

/** A mode that is off unless a variable says otherwise: the client and its key exist only in the
 * other arm of a comparison with the fallback. */
const PAYOUTS_OFF = (form: 'ternary' | 'if') => form === 'ternary'
  ? `const mode = process.env.PAYOUT_MODE ?? 'off';
export const payouts = mode === 'off' ? undefined : new PayoutClient(process.env.PAYOUT_API_KEY!);
`
  : `export function payouts() {
  if ((process.env.PAYOUT_MODE || 'off') !== 'off') {
    return new PayoutClient(process.env.PAYOUT_API_KEY!);
  }
  return undefined;
}
`;

/** A connection's options built only when a flag the code derives from two variables is on. */
const REDIS_FLAG = `const redisEnabled = process.env.REDIS_ENABLED === 'true' && !!process.env.REDIS_HOST;
export const redisOptions = redisEnabled ? { host: process.env.REDIS_HOST!, password: process.env.REDIS_PASSWORD! } : null;
`;

/** Look-alike: a comparison with an environment's name is an environment branch, not a value switch. */
const UPLOADS_BY_ENVIRONMENT = `export function storage() {
  if (process.env.DEPLOY_ENV === 'staging') {
    return new BucketStorage(process.env.STAGING_BUCKET!);
  }
  return new LocalStorage();
}
`;

/** Seen in a real service: a ledger client whose contract exists only when one variable names it;
 * each method refuses without the contract before it touches the signer's key. */
const LEDGER_CHAIN = `import os


class LedgerChain:
    def __init__(self):
        self.registry = os.getenv("LEDGER_REGISTRY_ADDRESS")
        self.signer_key = os.getenv("LEDGER_SIGNER_KEY")
        if self.registry:
            self.contract = connect(self.registry)
        else:
            self.contract = None

    def info(self) -> dict:
        return {"signer": self.signer_key}

    def store(self, digest: str) -> str:
        if not self.contract:
            raise ValueError("ledger contract not initialized")
        if not self.signer_key:
            raise ValueError("LEDGER_SIGNER_KEY not configured")
        return sign(self.signer_key, digest)
`;

const STAGING_LACKS = (name: string, file: string, line: number, severity: 'error' | 'warning' | 'info' = 'error', messageId = 'deployWithout') => ({
  at: 'deploy/deploy-jobs-staging.sh:6', severity, messageId,
  message: new RegExp(`^jobs \\(staging\\) (is deployed without|may lack) ${name}, which ${file.replace(/[./]/g, '\\$&')} reads`),
  related: [`${file}:${line}`],
  fixes: [{ title: new RegExp(`^Add ${name}`), safe: false, preferred: true }],
});

/** A mailer guarded by a presence check another module exports. */
const CHECKED_MAILER = (guard: string): Files => ({
  'services/jobs/package.json': '{ "name": "jobs" }\n',
  'services/jobs/src/config.ts': 'export function smtpConfigured(env: NodeJS.ProcessEnv = process.env): boolean {\n  return Boolean(env.SMTP_HOST && env.SMTP_PASS);\n}\n',
  'services/jobs/src/mail.ts': `import { smtpConfigured } from './config';\nexport async function send() {\n  ${guard}\n  return String(process.env.SMTP_HOST) + String(process.env.SMTP_PASS);\n}\n`,
  'services/jobs/src/index.ts': "import { send } from './mail';\n\nvoid send();\n",
  ...deploy('ENVIRONMENT=staging'),
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'TypeScript: the deploy sets the variable to another literal than the fallback the branch compares with: the branch never runs',
      files: ts(UPLOADS_AT_FALLBACK.replace(/'local'/g, "'disk'"), 'ENVIRONMENT=staging,UPLOAD_TARGET=gcs'),
      control: { files: ts(UPLOADS_AT_FALLBACK.replace(/'local'/g, "'disk'"), 'ENVIRONMENT=staging') },
    },
    {
      name: 'a read after `if (!smtpConfigured()) return;` with the check imported: the deploy sets none of its variables, so it never runs',
      files: CHECKED_MAILER('if (!smtpConfigured()) return;'),
      control: { files: CHECKED_MAILER('// always sends') },
    },
    {
      name: 'the deploy names the managed instance: the local branch and its password never run there',
      files: py(DB_SETTINGS, 'ENVIRONMENT=staging,MANAGED_SQL_INSTANCE=acme:europe-west1:db,MANAGED_SQL_PASSWORD=x'),
      control: { files: py(DB_SETTINGS, 'ENVIRONMENT=staging,MANAGED_SQL_PASSWORD=x') },
    },
    {
      name: 'a feature switched on by a variable the deploy does not set: the read inside does not run',
      files: py(BILLING, 'ENVIRONMENT=staging'),
      control: { files: py(BILLING, 'ENVIRONMENT=staging,ENABLE_BILLING=1') },
    },
    {
      // The feature is off where the contract's variable is unset: the key is never reached.
      name: 'a key used only after an early exit on a feature another variable switches on, which the deploy leaves off',
      files: py(LEDGER_CHAIN, 'ENVIRONMENT=staging'),
      control: { files: py(LEDGER_CHAIN, 'ENVIRONMENT=staging,LEDGER_REGISTRY_ADDRESS=0xabc') },
    },
    {
      name: 'TypeScript: a cache switched on by a variable the deploy does not set',
      files: ts(REDIS, 'ENVIRONMENT=staging'),
      control: { files: ts(REDIS, 'ENVIRONMENT=staging,USE_REDIS=1') },
    },
    {
      name: 'TypeScript: a mailer switched off through its flag field: the sender is never read',
      files: ts(MAILER, 'ENVIRONMENT=staging'),
      control: { files: ts(MAILER, 'ENVIRONMENT=staging,SMTP_HOST=smtp.example.com,SMTP_PASSWORD=x') },
    },
    {
      name: 'TypeScript: a value switch the deploy leaves unset: the code falls back to local disk, the bucket is never read',
      files: ts(UPLOADS, 'ENVIRONMENT=staging'),
      control: { files: ts(UPLOADS, 'ENVIRONMENT=staging,UPLOAD_TARGET=gcs') },
    },
    {
      name: 'TypeScript: options built only under a const flag derived from two variables the deploy leaves unset',
      files: ts(REDIS_FLAG, 'ENVIRONMENT=staging'),
      control: { files: ts(REDIS_FLAG, 'ENVIRONMENT=staging,REDIS_ENABLED=true,REDIS_HOST=redis.internal') },
    },
    ...(['ternary', 'if'] as const).map((form) => ({
      name: `TypeScript: a mode off by its fallback (${form}): the other side of the comparison never runs while the deploy leaves it unset`,
      files: ts(PAYOUTS_OFF(form), 'ENVIRONMENT=staging'),
      control: { files: ts(PAYOUTS_OFF(form), 'ENVIRONMENT=staging,PAYOUT_MODE=live') },
    })),
    {
      name: 'TypeScript: a value switch the deploy sets to another value: the bucket branch never runs',
      files: ts(UPLOADS, 'ENVIRONMENT=staging,UPLOAD_TARGET=local'),
      control: { files: ts(UPLOADS, 'ENVIRONMENT=staging,UPLOAD_TARGET=GCS') },
    },
  ],
  invalid: [
    {
      // Without the early exit on the contract, the key is needed whatever the deploy switches.
      name: 'look-alike: the method touches the key before refusing without the contract',
      files: py(LEDGER_CHAIN.replace(
        '        if not self.contract:\n            raise ValueError("ledger contract not initialized")\n        if not self.signer_key:\n            raise ValueError("LEDGER_SIGNER_KEY not configured")\n',
        '        if not self.signer_key:\n            raise ValueError("LEDGER_SIGNER_KEY not configured")\n        if not self.contract:\n            raise ValueError("ledger contract not initialized")\n',
      ), 'ENVIRONMENT=staging'),
      findings: [STAGING_LACKS('LEDGER_SIGNER_KEY', 'services/jobs/app/settings.py', 7)],
    },
    {
      name: 'TypeScript: the deploy picks the bucket (in capitals: the code lower-cases it) without naming it',
      files: ts(UPLOADS, 'ENVIRONMENT=staging,UPLOAD_TARGET=GCS'),
      findings: [{ ...STAGING_LACKS('UPLOAD_BUCKET', 'services/jobs/src/cache.ts', 4), fixes: [{ title: /^Add UPLOAD_BUCKET/, safe: false, preferred: true }] }],
    },
    {
      name: 'TypeScript look-alike: a comparison with the fallback value runs with the variable unset',
      files: ts(UPLOADS_AT_FALLBACK, 'ENVIRONMENT=staging'),
      findings: [STAGING_LACKS('UPLOAD_DIR', 'services/jobs/src/cache.ts', 3)],
    },
    {
      name: 'TypeScript look-alike: a comparison with an environment is that environment\'s branch',
      files: ts(UPLOADS_BY_ENVIRONMENT, 'ENVIRONMENT=staging'),
      findings: [STAGING_LACKS('STAGING_BUCKET', 'services/jobs/src/cache.ts', 3)],
    },
    {
      name: 'the deploy sets the switch but not the read: still reported',
      files: py(BILLING, 'ENVIRONMENT=staging,ENABLE_BILLING=1'),
      // a secret-like name: the deploy keeps the secrets it had (no --set-secrets), and no deploy
      // here sets it: information
      findings: [STAGING_LACKS('BILLING_API_KEY', 'services/jobs/app/settings.py', 4, 'info', 'deployWithoutKeeps')],
    },
    {
      name: 'TypeScript: the deploy switches the cache on without its URL',
      files: ts(REDIS, 'ENVIRONMENT=staging,USE_REDIS=1'),
      findings: [STAGING_LACKS('REDIS_URL', 'services/jobs/src/cache.ts', 3)],
    },
    {
      name: 'TypeScript: the deploy switches the mailer on without its sender: still reported',
      files: ts(MAILER, 'ENVIRONMENT=staging,SMTP_HOST=smtp.example.com,SMTP_PASSWORD=x'),
      findings: [STAGING_LACKS('MAIL_SENDER', 'services/jobs/src/cache.ts', 24)],
    },
    {
      name: 'the deploy does not name the instance: the local password is needed',
      files: py(DB_SETTINGS, 'ENVIRONMENT=staging,MANAGED_SQL_PASSWORD=x'),
      findings: [{ ...STAGING_LACKS('LOCAL_PG_PASSWORD', 'services/jobs/app/settings.py', 10, 'info', 'deployWithoutKeeps'), related: ['services/jobs/app/settings.py:10', 'services/jobs/app/settings.py:20'] }],
    },
    {
      name: 'a deploy that keeps earlier variables may hold the switch: judged as before',
      files: py(BILLING, 'ENVIRONMENT=staging', '--update-env-vars'),
      findings: [STAGING_LACKS('BILLING_API_KEY', 'services/jobs/app/settings.py', 4, 'info', 'deployWithoutKeeps')],
    },
  ],
});
