/**
 * TypeScript / JavaScript in-house env accessors, inferred from their bodies (no configuration):
 * a function returning `process.env[param]` reads the variable its caller names, required or
 * optional by its body. Calls in the file are reads; calls of a function imported from a relative
 * module are recorded for the model (`accessorCalls`), which reads them when that module defines
 * the accessor (test/rules/env-unset-imported-accessors.test.ts). Minimal original reproductions.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extract, only } from './ts-facts';

before(ready);

const DEFS = [
  'export function requireEnv(name: string): string {',
  '  const value = process.env[name];',
  '  if (!value) throw new Error(`${name} is not set`);',
  '  return value;',
  '}',
  "export const optionalEnv = (name: string, fallback = ''): string => process.env[name] ?? fallback;",
  'export const envOr = (name: string, fallback?: string) => process.env[name] || fallback;',
  'export function env(name: string) {',
  '  return process.env[name];',
  '}',
  'export function region(name: string) {',
  '  const v = process.env[name];',
  "  if (!v) return 'europe-west1';",
  '  return v;',
  '}',
  'function warnIfUnset(name: string) {',
  '  const v = process.env[name];',
  '  if (!v) console.warn(`${name} unset`);',
  '  return v;',
  '}',
  // Look-alikes: a write, and a read used for something else than the return value.
  'export function setEnv(name: string, v: string) { process.env[name] = v; }',
  'export function isSet(name: string) { return process.env[name] !== undefined ? 1 : 0; }',
];

test('accessors inferred from their bodies: what an unset variable gives', () => {
  const text = DEFS.join('\n');
  const f = extract(text);
  assert.deepEqual(f.accessorDefs?.map((d) => [d.name, d.nameParam, d.whenUnset, d.defaultParam?.index, d.defaultParam?.declared, at(text, d.span)]), [
    ['requireEnv', 0, 'raises', undefined, undefined, 'requireEnv'],
    ['optionalEnv', 0, 'default', 1, true, 'optionalEnv'],
    ['envOr', 0, 'none', 1, undefined, 'envOr'],
    ['env', 0, 'none', undefined, undefined, 'env'],
    ['region', 0, 'default', undefined, undefined, 'region'],
    ['warnIfUnset', 0, 'none', undefined, undefined, 'warnIfUnset'],
  ]);
});

test('calls in the file are reads, required or optional as the accessor decides', () => {
  const text = [
    ...DEFS,
    "export const key = requireEnv('STRIPE_KEY');",
    "export const guarded = requireEnv('GUARDED_KEY') || 'x';",
    "export const mode = optionalEnv('RUN_MODE');",
    "export const host = envOr('MAIL_HOST', 'localhost');",
    "export const port = envOr('MAIL_PORT');",
    "export const url = env('QUEUE_URL')!.trim();",
    "export const bucket = env('UPLOAD_BUCKET') ?? 'local';",
    "export const where = region('DEPLOY_REGION');",
    "export const loose = warnIfUnset('LOOSE_NAME').trim();",
    "export const label = env('label');",
  ].join('\n');
  const f = extract(text);
  const need = (n: string) => [only(f, n).hasDefault, only(f, n).via];
  assert.deepEqual(need('STRIPE_KEY'), [false, 'requireEnv']);
  // The accessor throws before any fallback of the caller runs.
  assert.deepEqual(need('GUARDED_KEY'), [false, 'requireEnv']);
  assert.deepEqual(need('RUN_MODE'), [true, 'optionalEnv']);
  assert.deepEqual(need('MAIL_HOST'), [true, 'envOr']);
  // No default passed: judged as `process.env.MAIL_PORT` would be there.
  assert.equal(only(f, 'MAIL_PORT').hasDefault, extract('export const port = process.env.MAIL_PORT;').reads[0]!.hasDefault);
  assert.deepEqual(need('QUEUE_URL'), [false, 'env']);
  assert.deepEqual(need('UPLOAD_BUCKET'), [true, 'env']);
  assert.deepEqual(need('DEPLOY_REGION'), [true, 'region']);
  assert.deepEqual(need('LOOSE_NAME'), [false, 'warnIfUnset']);
  assert.equal(f.reads.some((r) => r.name === 'label'), false);
  assert.equal(at(text, only(f, 'STRIPE_KEY').nameSpan), 'STRIPE_KEY');
});

test('calls of functions imported from relative modules are recorded for the model; packages and unknown names are not', () => {
  const text = [
    "import { requireEnv, envOr as or } from './config/env';",
    "import getEnv from '../lib/get-env';",
    "import * as cfg from './cfg';",
    "const { must } = require('./must');",
    "const helpers = require('./helpers');",
    "import { getSecret } from '@acme/secrets';",
    "export const a = requireEnv('API_TOKEN');",
    "export const b = or('API_REGION', 'eu');",
    "export const c = getEnv('API_URL');",
    "export const d = cfg.read('API_MODE');",
    "export const e = must('API_SALT');",
    "export const g = helpers.value('API_LEVEL');",
    "export const h = getSecret('API_PACKAGE');",
    "export const i = requireEnv('lower_case');",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads, []);
  assert.deepEqual(f.accessorCalls?.map((c) => [c.module, c.name, c.read.name, c.read.via, c.positional]), [
    ['./config/env', 'requireEnv', 'API_TOKEN', 'requireEnv', [true]],
    ['./config/env', 'envOr', 'API_REGION', 'or', [true, true]],
    ['../lib/get-env', 'default', 'API_URL', 'getEnv', [true]],
    ['./cfg', 'read', 'API_MODE', 'cfg.read', [true]],
    ['./must', 'must', 'API_SALT', 'must', [true]],
    ['./helpers', 'value', 'API_LEVEL', 'helpers.value', [true]],
  ]);
});

test('a file whose only sign is a call of an accessor another module defines (getEnvVar, readEnvValue) is read; an unrelated name is not', () => {
  const call = "import { getEnvVar } from '../config';\nexport const key = getEnvVar('SIGNING_KEY');\n";
  const f = extract(call);
  assert.deepEqual(f.accessorCalls?.map((c) => [c.module, c.name, c.read.name]), [['../config', 'getEnvVar', 'SIGNING_KEY']]);
  const other = extract("import { getValue } from '../config';\nexport const key = getValue('SIGNING_KEY');\n");
  assert.equal(other.accessorCalls, undefined);
});

test('accessor shapes: a local returned with the caller\'s fallback, a throw after other branches, a throw unless a default is passed', () => {
  const text = [
    "const withFallback = (key: string, defaultValue: string = ''): string => {",
    '  const value = process.env[key];',
    '  return value || defaultValue;',
    '};',
    'function requireAtRuntime(name: string): string {',
    '  const value = process.env[name];',
    '  if (value && value.length > 0) return value;',
    '  if (isBuild()) return `__MISSING_${name}__`;',
    '  throw new Error(`Missing ${name}`);',
    '}',
    'export function strict(key: string, defaultValue?: string): string {',
    '  const value = process.env[key];',
    '  if (value === undefined) {',
    '    if (defaultValue !== undefined) return defaultValue;',
    '    throw new Error(`${key} is not defined`);',
    '  }',
    '  return value;',
    '}',
    'declare function isBuild(): boolean;',
    "export const a = withFallback('LOG_DIR');",
    "export const b = requireAtRuntime('AUTH_SECRET');",
    "export const c = strict('QUEUE_NAME');",
    "export const d = strict('QUEUE_REGION', 'eu');",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.accessorDefs?.map((d) => [d.name, d.whenUnset, d.defaultParam?.keyword, d.defaultParam?.declared]), [
    ['withFallback', 'default', 'defaultValue', true],
    ['requireAtRuntime', 'raises', undefined, undefined],
    ['strict', 'raises', 'defaultValue', undefined],
  ]);
  assert.deepEqual(['LOG_DIR', 'AUTH_SECRET', 'QUEUE_NAME', 'QUEUE_REGION'].map((n) => only(f, n).hasDefault), [true, false, false, true]);
});

test('an accessor with an optional fallback parameter: a value of its own after the test, a throw, or the bare value back', () => {
  const text = [
    // Warns and yields an empty string: the variable is optional whatever its name says.
    'function requireEnv(key: string, fallback?: string): string {',
    '  const value = process.env[key] || fallback;',
    '  if (!value) {',
    '    console.warn(`${key} is not set`);',
    "    return '';",
    '  }',
    '  return value;',
    '}',
    // Look-alikes: a throw, and a warning that still returns the missing value.
    'function mustEnv(key: string, fallback?: string): string {',
    '  const value = process.env[key] || fallback;',
    '  if (!value) throw new Error(`${key} is not set`);',
    '  return value;',
    '}',
    'function noisyEnv(key: string, fallback?: string) {',
    '  const value = process.env[key] ?? fallback;',
    '  if (!value) console.warn(`${key} is not set`);',
    '  return value;',
    '}',
    "export const a = { key: requireEnv('MODEL_KEY') };",
    "export const b = mustEnv('AUTH_SECRET');",
    "export const c = noisyEnv('QUEUE_NAME');",
    "export const d = c!.toUpperCase();",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.accessorDefs?.map((d) => [d.name, d.whenUnset]), [['requireEnv', 'default'], ['mustEnv', 'raises'], ['noisyEnv', 'none']]);
  assert.deepEqual(['MODEL_KEY', 'AUTH_SECRET'].map((n) => only(f, n).hasDefault), [true, false]);
});
