/**
 * An SSL parameter the code appends to a database URL at runtime, before a driver receives it:
 * followed through string building in a function and one call deep into a helper, so
 * db-ssl-param-driver can see `sslmode` reaching asyncpg although no deploy file spells it.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';

before(ready);

test('sslmode appended in place, through a helper, with +=; look-alikes add nothing', () => {
  const text = [
    'import os',
    'from sqlalchemy.ext.asyncio import create_async_engine',
    'from sqlalchemy import create_engine',
    '',
    'url = os.environ["ORDERS_DB_URL"]',
    'url = f"{url}{\'&\' if \'?\' in url else \'?\'}sslmode=require"',
    'orders = create_async_engine(url)',
    '',
    'def billing_url():',
    '    u = os.environ["BILLING_DB_URL"]',
    '    if "sslmode" not in u:',
    '        u += "?sslmode=verify-full"',
    '    return u',
    '',
    'billing = create_async_engine(billing_url())',
    '',
    'def plain():',
    '    u = os.getenv("PLAIN_DB_URL", "postgresql://localhost/dev?sslmode=disable")',
    '    note = "sslmode=require is not allowed here"',
    '    return create_async_engine(u, echo=False)',
    '',
    'def sync():',
    '    return create_engine(os.environ["REPORTS_DB_URL"] + "?ssl=true")',
  ].join('\n');
  const f = extractFile('svc/app/db.py', text);
  const uses = f.driverUses.map((u) => [u.driver, u.envName, (u.addsParams ?? []).map((p) => [p.key, p.value, at(text, p.span)]), u.readSpan && at(text, u.readSpan)]);
  assert.deepEqual(uses, [
    ['asyncpg', 'ORDERS_DB_URL', [['sslmode', 'require', 'sslmode=require']], 'os.environ["ORDERS_DB_URL"]'],
    ['asyncpg', 'BILLING_DB_URL', [['sslmode', 'verify-full', 'sslmode=verify-full']], 'os.environ["BILLING_DB_URL"]'],
    ['asyncpg', 'PLAIN_DB_URL', [], 'os.getenv("PLAIN_DB_URL", "postgresql://localhost/dev?sslmode=disable")'],
    ['psycopg2', 'REPORTS_DB_URL', [['ssl', 'true', 'ssl=true']], 'os.environ["REPORTS_DB_URL"]'],
  ]);
});

test('a parameter the code rewrites or removes before the driver is no addition; the replacement is', () => {
  const text = [
    'import os',
    'import asyncpg',
    'from sqlalchemy.ext.asyncio import create_async_engine',
    '',
    'async def probe_ledger():',
    '    dsn = os.environ["LEDGER_DB_URL"]',
    '    if "sslmode=" in dsn:',
    '        dsn = dsn.replace("sslmode=require", "ssl=require")',
    '    return await asyncpg.connect(dsn)',
    '',
    'def socket_engine():',
    '    u = os.environ["ARCHIVE_DB_URL"]',
    '    if "/cloudsql/" in u:',
    '        u = u.replace("sslmode=require", "").rstrip("?&")',
    '    return create_async_engine(u)',
    '',
    'def forced_engine():',
    '    u = os.environ["AUDIT_DB_URL"].replace("ssl=true", "sslmode=require")',
    '    return create_async_engine(u)',
  ].join('\n');
  const f = extractFile('svc/app/probe.py', text);
  const adds = Object.fromEntries(f.driverUses.map((u) => [u.envName, (u.addsParams ?? []).map((p) => `${p.key}=${p.value}`)]));
  assert.deepEqual(adds.LEDGER_DB_URL, ['ssl=require']);
  assert.deepEqual(adds.ARCHIVE_DB_URL, []);
  // What a replace puts in is added: sslmode reaching asyncpg is still found.
  assert.deepEqual(adds.AUDIT_DB_URL, ['sslmode=require']);
});

test('a parameter the code only tests for is no addition; an option passed beside the URL is not where it comes from', () => {
  const text = [
    'import os',
    'from sqlalchemy.ext.asyncio import create_async_engine',
    '',
    'def with_tls(u, on):',
    '    return u + "?sslmode=require" if on else u',
    '',
    'url = os.environ["QUEUE_DB_URL"]',
    'flag = os.getenv("QUEUE_DB_TLS")',
    'tls = flag == "1" if flag is not None else "sslmode=disable" not in url.lower()',
    'checked = url.endswith("?ssl=true")',
    'queue = create_async_engine(with_tls(url, tls))',
  ].join('\n');
  const f = extractFile('svc/app/queue.py', text);
  assert.deepEqual(f.driverUses.map((u) => [u.driver, u.envName, (u.addsParams ?? []).map((p) => `${p.key}=${p.value}`)]), [
    ['asyncpg', 'QUEUE_DB_URL', ['sslmode=require']],
  ]);
});

test('a URL that went through a helper another module defines may have had its driver put in the scheme: no driver is assumed', () => {
  const text = (helper: string) => [
    'from sqlalchemy.ext.asyncio import create_async_engine',
    'from app.core.config import settings',
    helper,
    '',
    'db_url = to_async_url(settings.database_url)',
    'db_url = f"{db_url}?sslmode=require"',
    'engine = create_async_engine(db_url)',
  ].join('\n');
  // Imported from the workspace: the helper may write `postgresql+psycopg://`, where sslmode is right.
  assert.deepEqual(extractFile('svc/app/engine.py', text('from app.db.urls import to_async_url')).driverUses, []);
  // Defined in this file (or absent: a plain URL), the usual reading stands.
  const own = extractFile('svc/app/engine.py', text('def to_async_url(u):\n    return u'));
  assert.deepEqual(own.driverUses.map((u) => [u.driver, (u.addsParams ?? []).map((p) => `${p.key}=${p.value}`)]), [['asyncpg', ['sslmode=require']]]);
});

test('a Python program under scripts/, or named for a data operation, is an operator script; a module there, or another program elsewhere, is not', () => {
  const main = 'import os\nurl = os.environ["LEDGER_DB_URL"]\nif __name__ == \'__main__\':\n    print(url)\n';
  assert.equal(extractFile('scripts/check_ledger.py', main).isScript, true);
  assert.equal(extractFile('jobs/nightly.py', '#!/usr/bin/env python3\nimport os\nprint(os.environ["LEDGER_DB_URL"])\n').isScript, true);
  assert.equal(extractFile('scripts/helpers.py', 'import os\nURL = os.environ["LEDGER_DB_URL"]\n').isScript, undefined);
  assert.equal(extractFile('svc/app/main.py', main).isScript, undefined);
  // named for a one-off data operation, anywhere; a seed module the service imports is not one
  assert.equal(extractFile('svc/seed_users.py', main).isScript, true);
  assert.equal(extractFile('svc/app/seed.py', 'import os\nURL = os.environ["LEDGER_DB_URL"]\n').isScript, undefined);
  // Module-level code that exits or sets Django up for itself runs on its own, guard or not.
  const exits = 'import os, sys\npassword = os.getenv("ADMIN_PASSWORD")\nif not password:\n    sys.exit(1)\n';
  assert.equal(extractFile('scripts/tools/reset_admin.py', exits).isScript, true);
  assert.equal(extractFile('scripts/tools/fix_user.py', 'import os, django\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\ndjango.setup()\nP = os.environ["ADMIN_PASSWORD"]\n').isScript, true);
  // look-alikes: an exit inside a function (a module's helper), and a module of the same folder
  assert.equal(extractFile('scripts/tools/lib.py', 'import os, sys\ndef need():\n    if not os.getenv("ADMIN_PASSWORD"):\n        sys.exit(1)\n').isScript, undefined);
  assert.equal(extractFile('svc/app/admin.py', exits).isProgram, true);
});
