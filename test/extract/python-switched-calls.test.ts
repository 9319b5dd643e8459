/**
 * Both ends of a switch decided in another module, each seen from its own file: a required read
 * in a function other modules call names that function (`EnvRead.calledAs`), and a file records
 * the switches every call of an imported function sits behind (`FileFacts.switchedCalls`). The
 * model's side is tested in test/rules/env-unset-across-functions.test.ts.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract/index';

before(ready);

test('calledAs: a module-level function or a class or static method of a top-level class, named nowhere else in its file', () => {
  const text = [
    'import os',
    '',
    'def load_key():',
    '    return os.environ["LOAD_KEY"].strip()',
    '',
    'class JWTConfig(BaseModel):',
    '    @classmethod',
    '    def from_env(cls):',
    '        return cls(issuer=os.environ["JWT_ISSUER"])',
    '    @staticmethod',
    '    def audience():',
    '        return os.environ["JWT_AUDIENCE"].lower()',
    // Look-alikes: an instance method, a function this file calls, a nested function, a default.
    '    def token(self):',
    '        return os.environ["JWT_TOKEN"].strip()',
    '',
    'def used_here():',
    '    return os.environ["USED_KEY"].strip()',
    '',
    'VALUE = used_here()',
    '',
    'def outer():',
    '    def inner():',
    '        return os.environ["INNER_KEY"].strip()',
    '    return inner',
    '',
    'def with_default():',
    '    return os.getenv("DEFAULTED", "x").strip()',
  ].join('\n');
  const f = extractFile('svc/app/config.py', text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.calledAs ?? null]), [
    ['LOAD_KEY', 'load_key'],
    ['JWT_ISSUER', 'JWTConfig.from_env'],
    ['JWT_AUDIENCE', 'JWTConfig.audience'],
    ['JWT_TOKEN', null],
    ['USED_KEY', null],
    ['INNER_KEY', null],
    ['DEFAULTED', null],
  ]);
});

test('switchedCalls: the switches every call of an imported function sits behind, by the defining module\'s names', () => {
  const text = [
    'import os',
    'from app.models import JWTConfig, IntroConfig as Intro',
    'from app import loaders',
    'from app.keys import load_key',
    '',
    'def verifier():',
    '    mode = os.getenv("AUTH_MODE", "").lower()',
    '    if not mode:',
    '        return None',
    '    if mode == "jwt":',
    '        return JWTConfig.from_env()',
    '    if mode == "introspection":',
    '        return Intro.from_env()',
    '    if os.getenv("KEYS_ON"):',
    '        loaders.load_all()',
    '        load_key()',
    // A second call of load_key behind no switch: nothing is common to every call.
    '    load_key()',
    '    return None',
  ].join('\n');
  const f = extractFile('svc/app/auth.py', text);
  // `from_env` alone (a module's function of that name) is called behind two different values: no
  // switch is common, so it is not recorded. `from app import loaders` may import a module or a
  // name, so its function is recorded both ways.
  assert.deepEqual(f.switchedCalls, {
    'IntroConfig.from_env': [{ name: 'AUTH_MODE', set: true, equals: 'introspection', fallback: '' }],
    'JWTConfig.from_env': [{ name: 'AUTH_MODE', set: true, equals: 'jwt', fallback: '' }],
    load_all: [{ name: 'KEYS_ON', set: true }],
    'loaders.load_all': [{ name: 'KEYS_ON', set: true }],
  });
});
