/**
 * NestJS's ConfigService reads the environment for its callers: `config.get('KEY')` is a read of
 * KEY (undefined when unset), `get('KEY', fallback)` has a default, `getOrThrow('KEY')` is
 * required. Minimal reproductions of NestJS services seen in real repositories, written from
 * scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extract } from './ts-facts';
import { mayHoldTypeScriptFacts } from '../../server/src/extract/typescript/prefilter';
import { defaultExtractOptions } from '../../server/src/extract/options';

before(ready);

const summary = (text: string) => Object.fromEntries(extract(text).reads.map((r) => [r.name, [!r.hasDefault, r.optionalBecause ?? null, r.via]]));

test('ConfigService reads: injected, fetched from the app, with a default, tested, or thrown for', () => {
  const text = [
    "import { Injectable } from '@nestjs/common';",
    "import { ConfigService } from '@nestjs/config';",
    '@Injectable()',
    'export class LedgerService {',
    '  constructor(private readonly configService: ConfigService) {}',
    '  client() {',
    "    const url = this.configService.get<string>('LEDGER_URL');",
    "    const region = this.configService.get('LEDGER_REGION', 'eu');",
    "    const secret = this.configService.getOrThrow<string>('LEDGER_SECRET');",
    "    if (this.configService.get('LEDGER_AUDIT')) audit();",
    '    return connect(url, region, secret);',
    '  }',
    '}',
    'async function bootstrap(app: App) {',
    '  const config = app.get(ConfigService);',
    "  listen(config.get('LEDGER_PORT_NAME'));",
    '}',
  ].join('\n');
  assert.deepEqual(summary(text), {
    LEDGER_URL: [true, null, 'ConfigService'],
    LEDGER_REGION: [false, 'default', 'ConfigService'],
    LEDGER_SECRET: [true, null, 'ConfigService'],
    LEDGER_AUDIT: [false, 'tested', 'ConfigService'],
    LEDGER_PORT_NAME: [true, null, 'ConfigService'],
  });
  const r = extract(text).reads.find((x) => x.name === 'LEDGER_URL')!;
  assert.equal(at(text, r.nameSpan), 'LEDGER_URL');
});

test('look-alikes: a configuration path, another object\'s get, a file without the NestJS import', () => {
  const nest = [
    "import { ConfigService } from '@nestjs/config';",
    'export class Cache {',
    '  private readonly entries = new Map<string, string>();',
    '  constructor(private readonly config: ConfigService) {}',
    "  host() { return this.config.get('database.host'); }",
    "  port() { return this.config.get('port'); }",
    "  entry() { return this.entries.get('LEDGER_ENTRY'); }",
    '}',
  ].join('\n');
  assert.deepEqual(summary(nest), {});
  const other = [
    "import { ConfigService } from './my-config';",
    'export class Cache {',
    '  constructor(private readonly config: ConfigService) {}',
    "  key() { return this.config.get('LEDGER_KEY'); }",
    '}',
  ].join('\n');
  assert.deepEqual(summary(other), {});
});

test('a file that reads only through ConfigService passes the prefilter; one without the import does not', () => {
  const nest = "import { ConfigService } from '@nestjs/config';\nexport const k = (c: ConfigService) => c.get('LEDGER_KEY');\n";
  assert.equal(mayHoldTypeScriptFacts(nest, defaultExtractOptions), true);
  assert.equal(mayHoldTypeScriptFacts("export const k = (c: Cfg) => c.get('LEDGER_KEY');\n", defaultExtractOptions), false);
});

test('a start-up check walking a list of names reads each name: required when a missing one ends the process', () => {
  const text = [
    "import { ConfigService } from '@nestjs/config';",
    'export function check(config: ConfigService) {',
    "  const required = ['LEDGER_DB', 'LEDGER_JWT'];",
    '  const missing = required.filter((key) => !config.get(key));',
    '  if (missing.length > 0) {',
    '    console.error(`missing: ${missing.join(", ")}`);',
    '    process.exit(1);',
    '  }',
    "  const prices = ['LEDGER_PRICE_A', 'LEDGER_PRICE_B'];",
    '  const absent = prices.filter((key) => !config.get(key));',
    "  if (absent.length) { if (process.env.NODE_ENV === 'production') process.exit(1); else console.warn('prices'); }",
    "  const extras = ['LEDGER_TOPUP'].filter((key) => !config.get(key));",
    '  if (extras.length) console.warn("no top-up");',
    "  for (const k of ['LEDGER_REGION', 'LEDGER_ZONE']) { if (!process.env[k]) throw new Error(`${k} is required`); }",
    "  ['LEDGER_HINT'].forEach((k) => { if (!process.env[k]) console.warn(k); });",
    '}',
  ].join('\n');
  assert.deepEqual(summary(text), {
    LEDGER_DB: [true, null, 'ConfigService'],
    LEDGER_JWT: [true, null, 'ConfigService'],
    LEDGER_PRICE_A: [true, null, 'ConfigService'],
    LEDGER_PRICE_B: [true, null, 'ConfigService'],
    LEDGER_TOPUP: [false, 'tested', 'ConfigService'],
    LEDGER_REGION: [true, null, 'process.env'],
    LEDGER_ZONE: [true, null, 'process.env'],
    LEDGER_HINT: [false, 'tested', 'process.env'],
    NODE_ENV: [false, 'compared', 'process.env'],
  });
  const r = extract(text).reads.find((x) => x.name === 'LEDGER_JWT')!;
  assert.equal(at(text, r.nameSpan), 'LEDGER_JWT');
});

test('look-alikes for lists: a computed list, a key that is not the walked item, a list of non-names', () => {
  const text = [
    'export function f(keys: string[], other: string) {',
    '  for (const k of keys) use(process.env[k]);',
    "  ['a', 'b'].forEach((k) => use(process.env[other]));",
    "  const list = [prefix + 'X'];",
    '  list.forEach((k) => use(process.env[k]));',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads, []);
  assert.equal(f.dynamicReads.length, 3);
});
