/**
 * Getters and their callers, each seen from its own file: a read a module-level function returns
 * with nothing in its file calling it carries the function's name (`EnvRead.returnedBy`), and a
 * file calling imported functions with no arguments records, by name, whether every such call
 * copes with `None` (`FileFacts.getterCalls`). The model's side is tested in
 * test/rules/env-unset-across-functions.test.ts.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract/index';

before(ready);

test('a read returned by a module-level function nothing in its file calls names that function', () => {
  const text = [
    'import os',
    '',
    'def get_bucket() -> str | None:',
    '    return os.getenv("BUCKET")',
    '',
    'def get_region():',
    '    region = os.getenv("REGION")',
    '    return region',
    '',
    // Look-alikes: called in its own file (the call decides), a method, a typed `-> str`, a property.
    'def get_zone():',
    '    return os.getenv("ZONE")',
    '',
    'ZONE = get_zone().lower()',
    '',
    'class Settings:',
    '    def get_token(self):',
    '        return os.getenv("TOKEN")',
    '',
    'def get_name() -> str:',
    '    return os.getenv("NAME")',
  ].join('\n');
  const f = extractFile('svc/app/settings.py', text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.returnedBy ?? null]), [
    ['BUCKET', false, 'get_bucket'],
    ['REGION', false, 'get_region'],
    ['ZONE', false, null],
    ['TOKEN', false, null],
    ['NAME', false, null],
  ]);
});

test('zero-argument calls of imported functions: optional only when every call copes', () => {
  const text = [
    'import os',
    'from app import settings',
    'from app.settings import get_region, get_zone as zone',
    'import app.limits as limits',
    '',
    'BUCKET = settings.get_bucket() or settings.DEFAULT_BUCKET',
    'if not get_region():',
    '    REGION = "us-central1"',
    'ZONE = zone().lower()',
    'if zone() is None:',
    '    pass',
    'LIMIT = limits.get_limit() or 10',
    'LIMIT2 = limits.get_limit()',
    // Look-alikes: an argument, a name defined here, a method of a local object.
    'X = settings.get_value("k") or 1',
    'def get_local():',
    '    return None',
    'Y = get_local() or 2',
    'Z = os.getcwd() or "/"',
  ].join('\n');
  const f = extractFile('svc/app/main.py', text);
  assert.deepEqual(f.getterCalls, { get_bucket: 'optional', get_limit: 'required', get_region: 'optional', get_zone: 'required' });
});

test('a caller holding no env word is parsed for a getter coped with, and a test file records nothing', () => {
  const caller = 'from app import settings\n\nBUCKET = (\n    settings.get_bucket()\n    or settings.DEFAULT_BUCKET\n)\n';
  assert.deepEqual(extractFile('svc/app/main.py', caller).getterCalls, { get_bucket: 'optional' });
  assert.equal(extractFile('svc/tests/test_main.py', caller).getterCalls, undefined);
  // No `get_` call coped with: the file is not parsed, and says nothing.
  assert.equal(extractFile('svc/app/other.py', 'from app import settings\n\nB = settings.get_bucket().lower()\n').getterCalls, undefined);
});
