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
