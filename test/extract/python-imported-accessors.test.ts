/**
 * Calls of functions imported from other modules that may be env accessors (`from core.env import
 * env_str` … `env_str("BUCKET")`): recorded for the model with the module they name, the arguments'
 * shape and the read judged by the call's use; look-alikes that are never recorded. The model's
 * side (which calls become reads) is tested in test/model/imported-accessors.test.ts.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';

before(ready);

test('calls of imported functions and of imported modules\' functions with an env-shaped first argument', () => {
  const text = [
    'import os',
    'import json',
    'from app.core.env import env_str, require_env as need',
    'from ..settings import env_int',
    'from app.core import env',
    'import app.helpers as helpers',
    '',
    'BUCKET = env_str("STORE_BUCKET", "")',
    'TOKEN = need("STORE_TOKEN")',
    'RETRIES = env_int("STORE_RETRIES", default=None)',
    'REGION = env.env_str("STORE_REGION")',
    'if REGION:',
    '    pass',
    'HOOK = helpers.lookup("STORE_HOOK")',
    // Look-alikes: a lower-case literal, a name built at run time, no argument, the standard library.
    'LABEL = env_str("label")',
    'DYN = env_str(f"STORE_{SUFFIX}")',
    'NONE = env_str()',
    'DATA = json.loads("NOT_A_NAME")',
    'LOCAL = os.getenv("STORE_LOCAL")',
  ].join('\n');
  const f = extractFile('svc/app/storage.py', text);
  assert.deepEqual(f.reads.map((r) => r.name), ['STORE_LOCAL']);
  assert.deepEqual(f.accessorCalls?.map((c) => [c.module, c.name, c.read.name, at(text, c.read.nameSpan), c.read.via, c.positional, c.keywords]), [
    ['app.core.env', 'env_str', 'STORE_BUCKET', 'STORE_BUCKET', 'env_str', [true, true], {}],
    ['app.core.env', 'require_env', 'STORE_TOKEN', 'STORE_TOKEN', 'need', [true], {}],
    ['..settings', 'env_int', 'STORE_RETRIES', 'STORE_RETRIES', 'env_int', [true], { default: false }],
    ['app.core.env', 'env_str', 'STORE_REGION', 'STORE_REGION', 'env.env_str', [true], {}],
    ['app.helpers', 'lookup', 'STORE_HOOK', 'STORE_HOOK', 'helpers.lookup', [true], {}],
  ]);
  // Judged by the use as for an accessor returning None: tested → optional; stored and unused → unseen.
  const region = f.accessorCalls!.find((c) => c.read.name === 'STORE_REGION')!.read;
  assert.deepEqual([region.hasDefault, region.optionalBecause], [true, 'tested-after-assignment']);
  const token = f.accessorCalls!.find((c) => c.read.name === 'STORE_TOKEN')!.read;
  assert.equal(token.hasDefault, false);
});

test('a function defined in the file itself is read there (accessors.ts), never recorded as an imported call', () => {
  const text = [
    'import os',
    'from app.core.env import env_str',
    'def env_str(name):',
    '    return os.environ[name]',
    'A = env_str("LOCAL_FIRST")',
  ].join('\n');
  const f = extractFile('svc/app/local.py', text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [['LOCAL_FIRST', false]]);
  assert.equal(f.accessorCalls, undefined);
});

test('an import over several lines (a parenthesised list) is read too', () => {
  const text = 'from app.core.env import (\n    env_int,\n    env_str,\n)\n\nBUCKET = env_str("STORE_BUCKET")\n';
  assert.deepEqual(extractFile('svc/app/storage.py', text).accessorCalls?.map((c) => [c.module, c.name, c.read.name]), [['app.core.env', 'env_str', 'STORE_BUCKET']]);
});
