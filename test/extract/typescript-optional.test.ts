/**
 * TypeScript reads whose absence the code handles where it reads them (optional reads, F1 in
 * test/corpus/FINDINGS.md) and their required look-alikes. Each shape is a minimal reproduction of
 * one seen in real repositories, written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extract, only } from './ts-facts';
import type { FileFacts } from '../../server/src/core/facts';

before(ready);

/** [hasDefault, optionalBecause] of the one read of `name`. */
function absence(f: FileFacts, name: string): [boolean, string | undefined] {
  const r = only(f, name);
  return [r.hasDefault, r.optionalBecause];
}

test('optional reads: comparisons, presence tests, fallbacks after ?. or a number parse', () => {
  const text = [
    "export const beta = process.env.BETA_UI === 'true';",
    "const keep = process.env.KEEP_LOGS !== 'false';",
    'const inBox = process.env.BOX_MARKER !== undefined;',
    "const render = process.env.RENDER_MODE ? 'server' : 'client';",
    "const level = process.env.LOG_LEVEL?.toUpperCase() || 'INFO';",
    "const zone = process.env.ZONE_NAME?.trim().toLowerCase() ?? 'utc';",
    "const pool = parseInt(process.env.POOL_SIZE ?? '10', 10);",
    'const retries = Number(process.env.RETRY_COUNT) || 3;',
    "const ratio = Number.parseFloat(process.env.SAMPLE_RATIO) || 0.1;",
    "const loud = process.env.LOUD_FLAG?.toLowerCase() === 'yes';",
    'if (process.env.TRACE_ON && ready) start();',
    "switch (process.env.REGION_HINT) { case 'eu': break; }",
    "const known = ['a', 'b'].includes(process.env.TIER_NAME);",
    'const off = !process.env.FEATURE_ON;',
    'const present = Boolean(process.env.BEACON_ID);',
    "const bypass = String(process.env.BYPASS_AUTH) === 'true';",
    'const token = String(process.env.SIGNING_TOKEN);',
    "if (String(process.env.LICENSE_KEY) === 'undefined') throw new Error('no licence');",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'BETA_UI'), [true, 'compared']);
  assert.deepEqual(absence(f, 'KEEP_LOGS'), [true, 'compared']);
  assert.deepEqual(absence(f, 'BOX_MARKER'), [true, 'tested']);
  assert.deepEqual(absence(f, 'RENDER_MODE'), [true, 'tested']);
  assert.deepEqual(absence(f, 'LOG_LEVEL'), [true, 'default']);
  assert.deepEqual(absence(f, 'ZONE_NAME'), [true, 'default']);
  assert.deepEqual(absence(f, 'POOL_SIZE'), [true, 'default']);
  assert.deepEqual(absence(f, 'RETRY_COUNT'), [true, 'default']);
  assert.deepEqual(absence(f, 'SAMPLE_RATIO'), [true, 'default']);
  assert.deepEqual(absence(f, 'LOUD_FLAG'), [true, 'compared']);
  assert.deepEqual(absence(f, 'TRACE_ON'), [true, 'tested']);
  assert.deepEqual(absence(f, 'REGION_HINT'), [true, 'compared']);
  assert.deepEqual(absence(f, 'TIER_NAME'), [true, 'compared']);
  assert.deepEqual(absence(f, 'FEATURE_ON'), [true, 'tested']);
  assert.deepEqual(absence(f, 'BEACON_ID'), [true, 'tested']);
  assert.deepEqual(absence(f, 'BYPASS_AUTH'), [true, 'compared'], 'absent, "undefined" is never "true": off');
  // Look-alikes: the text "undefined" passed on is a value, and a throw where it is absent is a requirement.
  assert.deepEqual(absence(f, 'SIGNING_TOKEN'), [false, undefined]);
  assert.deepEqual(absence(f, 'LICENSE_KEY'), [false, undefined]);
  // spans are still the access and its name
  assert.equal(at(text, only(f, 'LOG_LEVEL').span), 'process.env.LOG_LEVEL');
  assert.equal(at(text, only(f, 'LOG_LEVEL').nameSpan), 'LOG_LEVEL');
  assert.equal(at(text, only(f, 'RETRY_COUNT').span), 'process.env.RETRY_COUNT');
});

test('optional reads through a local: tested, compared or given a fallback before use', () => {
  const text = [
    'const token = process.env.EXTRA_TOKEN;',
    'if (token) headers.auth = token;',
    'export function notify(msg: string): void {',
    '  const to = process.env.NOTIFY_TO;',
    '  if (!to) {',
    "    console.warn('notifications off');",
    '    return;',
    '  }',
    '  send(to, msg);',
    '}',
    'let region = process.env.EDGE_REGION;',
    "region = region || 'us';",
    'const { SIDE_CAR } = process.env;',
    "const sidecar = SIDE_CAR ? connect(SIDE_CAR) : null;",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'EXTRA_TOKEN'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'NOTIFY_TO'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'EDGE_REGION'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'SIDE_CAR'), [true, 'guarded']);
  assert.equal(at(text, only(f, 'NOTIFY_TO').span), 'process.env.NOTIFY_TO');
  assert.equal(at(text, only(f, 'SIDE_CAR').span), 'SIDE_CAR');
});

test('a fallback that throws (`?? (() => { throw … })()`) is no default: required, even as a settings object\'s field', () => {
  const text = [
    'export const config = {',
    "  sender: process.env.MAIL_SENDER ?? (() => { throw new Error('MAIL_SENDER required'); })(),",
    "  apiKey: process.env.MAIL_KEY ?? process.env.MAIL_TOKEN ?? (function () { throw new Error('no key'); })(),",
    "  region: process.env.MAIL_REGION ?? (() => { return 'eu'; })(),",
    '};',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'MAIL_SENDER'), [false, undefined]);
  assert.equal(only(f, 'MAIL_SENDER').needUnseen, undefined);
  assert.deepEqual(absence(f, 'MAIL_KEY'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'MAIL_TOKEN'), [false, undefined]);
  // A function that returns a value is a default.
  assert.deepEqual(absence(f, 'MAIL_REGION'), [true, 'default']);
});

test('a read in a branch of a conditional is judged where the conditional\'s value goes (a local given a fallback: optional; one used bare: required)', () => {
  const text = [
    'export function logoUrl(id: number, baseUrl?: string): string {',
    "  const envBase = typeof process !== 'undefined' ? process.env.BRAND_API_URL || process.env.EXPO_BRAND_URL : undefined;",
    "  const base = baseUrl || envBase || 'http://localhost:3001';",
    '  return `${base}/logos/${id}.webp`;',
    '}',
    'export function cdn(): string {',
    "  const host = process.env.USE_CDN ? process.env.CDN_HOST : process.env.ORIGIN_HOST;",
    '  return host!.toLowerCase();',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'EXPO_BRAND_URL'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'BRAND_API_URL'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'CDN_HOST'), [false, undefined]);
  assert.deepEqual(absence(f, 'ORIGIN_HOST'), [false, undefined]);
});

test('a local: what the declaring code does when it is unset comes first, a nested function\'s throw second', () => {
  const text = [
    'const LEGACY_KEY = process.env.LEGACY_SIGNING_KEY;',
    "if (!LEGACY_KEY) logger.warn('legacy tokens disabled');",
    'export function signLegacy(p: object): string {',
    "  if (!LEGACY_KEY) throw new Error('LEGACY_SIGNING_KEY is required for legacy tokens');",
    '  return sign(p, LEGACY_KEY);',
    '}',
    'const API_TOKEN = process.env.UPSTREAM_TOKEN;',
    'export function callUpstream(): void {',
    "  if (!API_TOKEN) throw new Error('UPSTREAM_TOKEN');",
    '}',
    'export function optionalHere(): void {',
    '  const hook = process.env.AUDIT_HOOK;',
    '  if (hook) post(hook);',
    '  const later = () => { if (!hook) throw new Error(); };',
    '}',
  ].join('\n');
  const f = extract(text);
  // the module starts without it and says so; the legacy path fails on its own
  assert.deepEqual(absence(f, 'LEGACY_SIGNING_KEY'), [true, 'guarded']);
  // nothing at the top level decides: the nested throw does
  assert.deepEqual(absence(f, 'UPSTREAM_TOKEN'), [false, undefined]);
  assert.deepEqual(absence(f, 'AUDIT_HOOK'), [true, 'guarded']);
});

test('required look-alikes: non-null, a method without ?., passed on, an explicit throw or exit when missing', () => {
  const text = [
    'const dsn = process.env.ERROR_DSN!;',
    'const base = process.env.API_BASE.toLowerCase();',
    'connect(process.env.DB_URL);',
    'const port = Number(process.env.HTTP_PORT);',
    'const cfg = JSON.parse(process.env.CONFIG_JSON) ?? {};',
    'const key = process.env.SIGNING_KEY;',
    "if (!key) throw new Error('SIGNING_KEY is not set');",
    'function queue(): string {',
    '  const q = process.env.QUEUE_NAME;',
    "  if (!q) { console.error('QUEUE_NAME missing'); process.exit(1); }",
    '  return q;',
    '}',
    "if (!process.env.BUCKET_NAME) throw new Error('BUCKET_NAME');",
    "if (!process.env.PAIR_A || !process.env.PAIR_B) throw new Error('both needed');",
    'const target = process.env.TARGET_ID;',
    "if (!target) fatal('TARGET_ID is required');",
    'const inBranch = ready ? process.env.IN_BRANCH : undefined;',
    'const shadowed = process.env.SHADOWED_TOKEN;',
    'function check(shadowed?: string) { if (shadowed) go(); }',
    'send(shadowed);',
    "const ok = process.env.CHECKED_KEY ? true : report('CHECKED_KEY');",
    "const must = process.env.MUST_KEY ? true : fail('MUST_KEY');",
  ].join('\n');
  const f = extract(text);
  for (const name of ['ERROR_DSN', 'API_BASE', 'DB_URL', 'HTTP_PORT', 'CONFIG_JSON', 'SIGNING_KEY', 'QUEUE_NAME',
    'BUCKET_NAME', 'PAIR_A', 'PAIR_B', 'TARGET_ID', 'IN_BRANCH', 'SHADOWED_TOKEN', 'MUST_KEY']) {
    assert.deepEqual(absence(f, name), [false, undefined], name);
  }
  // `c ? x : report()`: what the call does is not visible, so the test counts
  assert.deepEqual(absence(f, 'CHECKED_KEY'), [true, 'tested']);
});

test('A || B records each as the other\'s alternative; a literal at the end is a default for all', () => {
  const text = [
    'const backend = process.env.PUBLIC_API || process.env.PRIVATE_API;',
    'const secret = process.env.SESSION_KEY || process.env.LEGACY_KEY;',
    "if (!secret) console.warn('random session key');",
    "const host = process.env.HOST_ONE || process.env.HOST_TWO || 'localhost';",
    "const model = override || process.env.AI_MODEL || 'small';",
    'const url = override || process.env.ONLY_ENV;',
  ].join('\n');
  const f = extract(text);
  const alt = (name: string) => [...absence(f, name), only(f, name).alternatives];
  // the left operand falls back to the right one; the last one is needed when the other is unset
  assert.deepEqual(alt('PUBLIC_API'), [true, 'alternative', ['PRIVATE_API']]);
  assert.deepEqual(alt('PRIVATE_API'), [false, undefined, ['PUBLIC_API']]);
  assert.deepEqual(alt('SESSION_KEY'), [true, 'alternative', ['LEGACY_KEY']]);
  assert.deepEqual(alt('LEGACY_KEY'), [true, 'guarded', ['SESSION_KEY']]);
  assert.deepEqual(alt('HOST_ONE'), [true, 'default', ['HOST_TWO']]);
  assert.deepEqual(alt('HOST_TWO'), [true, 'default', ['HOST_ONE']]);
  assert.deepEqual(alt('AI_MODEL'), [true, 'default', undefined]);
  // a parameter before the read is no fallback for it
  assert.deepEqual(alt('ONLY_ENV'), [false, undefined, undefined]);
});

test('existing defaults keep hasDefault and say why', () => {
  const text = [
    "const a = process.env.WITH_NULLISH ?? 'x';",
    "const { WITH_DESTRUCTURED = '1' } = process.env;",
    "const b = 'IN_CHECK' in process.env;",
    "const c = typeof process.env.TYPEOF_CHECK !== 'undefined';",
    "const d = z.string().default('v').parse(process.env.ZOD_DEFAULTED);",
    'const e = z.string().optional().parse(process.env.ZOD_OPTIONAL);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'WITH_NULLISH'), [true, 'default']);
  assert.deepEqual(absence(f, 'WITH_DESTRUCTURED'), [true, 'default']);
  assert.deepEqual(absence(f, 'IN_CHECK'), [true, 'tested']);
  assert.deepEqual(absence(f, 'TYPEOF_CHECK'), [true, 'tested']);
  assert.deepEqual(absence(f, 'ZOD_DEFAULTED'), [true, 'schema']);
  assert.deepEqual(absence(f, 'ZOD_OPTIONAL'), [true, 'schema']);
});

test('an option a Google Cloud client fills in itself when undefined: optional; the same name elsewhere is not', () => {
  const text = [
    "import { Storage } from '@google-cloud/storage';",
    "import * as pubsub from '@google-cloud/pubsub';",
    "import { Pool } from 'pg';",
    'export const files = new Storage({',
    '  keyFilename: process.env.LEDGER_KEY_FILE,',
    '  projectId: process.env.LEDGER_PROJECT,',
    '});',
    'export const topics = new pubsub.PubSub({ projectId: process.env.QUEUE_PROJECT });',
    'export const db = new Pool({ connectionString: process.env.LEDGER_DB_URL });',
    'export const other = new Pool({ projectId: process.env.POOL_PROJECT });',
    'const opts = { keyFilename: process.env.LOOSE_KEY_FILE };',
    'export const bucket = new Storage().bucket(process.env.LEDGER_BUCKET);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'LEDGER_KEY_FILE'), [true, 'client-default']);
  assert.deepEqual(absence(f, 'LEDGER_PROJECT'), [true, 'client-default']);
  assert.deepEqual(absence(f, 'QUEUE_PROJECT'), [true, 'client-default']);
  // Not a Google Cloud client, not a client's argument, not one of the options it fills in.
  assert.deepEqual(absence(f, 'LEDGER_DB_URL'), [false, undefined]);
  assert.deepEqual(absence(f, 'POOL_PROJECT'), [false, undefined]);
  assert.deepEqual(absence(f, 'LOOSE_KEY_FILE'), [false, undefined]);
  assert.deepEqual(absence(f, 'LEDGER_BUCKET'), [false, undefined]);
  assert.equal(at(text, only(f, 'LEDGER_PROJECT').nameSpan), 'LEDGER_PROJECT');
});

test('a private field its class never reads: optional (unused); read, public or reached by a computed key: required', () => {
  const text = [
    'export class Assistant {',
    '  private readonly SPARE_KEY = process.env.SPARE_MODEL_KEY!;',
    '  #legacyToken = process.env.LEGACY_TOKEN;',
    '  private readonly apiKey = process.env.ASSISTANT_KEY!;',
    '  #signing = process.env.SIGNING_KEY;',
    '  readonly region = process.env.ASSISTANT_REGION!;',
    '  private fromDestructure = process.env.DESTRUCTURED_KEY!;',
    '  ask(q: string) { return call(this.apiKey, q, this.#signing); }',
    '  creds() { const { fromDestructure } = this; return fromDestructure; }',
    '  pick(list: string[], i: number) { return list[i]; }',
    '}',
    'export class Dynamic {',
    '  private hidden = process.env.DYNAMIC_KEY!;',
    "  get(k: string) { return (this as any)[k]; }",
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'SPARE_MODEL_KEY'), [true, 'unused']);
  assert.deepEqual(absence(f, 'LEGACY_TOKEN'), [true, 'unused']);
  assert.equal(at(text, only(f, 'SPARE_MODEL_KEY').nameSpan), 'SPARE_MODEL_KEY');
  // Read through this.x / this.#x, public (read from outside), destructured, or a computed access.
  assert.deepEqual(absence(f, 'ASSISTANT_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'SIGNING_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'ASSISTANT_REGION'), [false, undefined]);
  assert.deepEqual(absence(f, 'DESTRUCTURED_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'DYNAMIC_KEY'), [false, undefined]);
});

test('a private field is judged by its uses in its class: tested in a method, optional (guarded); used untested, failing without it, public or reached otherwise: required', () => {
  const text = [
    'export class QuoteFeed {',
    '  private readonly feedKey = process.env.QUOTE_FEED_KEY;',
    '  #backupKey = process.env.QUOTE_BACKUP_KEY;',
    '  private readonly signer: string | undefined;',
    '  private readonly strict: string;',
    '  private readonly raw = process.env.QUOTE_RAW_KEY;',
    '  readonly shared = process.env.QUOTE_SHARED_KEY;',
    '  constructor() {',
    '    this.signer = process.env.QUOTE_SIGNER;',
    '    this.strict = process.env.QUOTE_STRICT_KEY as string;',
    '  }',
    '  async latest() {',
    '    if (!this.feedKey) { log("no feed key"); return []; }',
    '    return get(url, { key: this.feedKey });',
    '  }',
    '  backup() { return this.#backupKey ? get(backupUrl, this.#backupKey) : null; }',
    '  sign(body: string) { if (this.signer) return hmac(this.signer, body); return body; }',
    '  strictly() { if (!this.strict) throw new Error("QUOTE_STRICT_KEY is required"); return this.strict; }',
    '  rawly() { return get(url, this.raw); }',
    '  sharedly() { if (!this.shared) return null; return this.shared; }',
    '}',
    'export class Indexed {',
    '  private readonly indexKey = process.env.QUOTE_INDEX_KEY;',
    '  has() { return !!this.indexKey; }',
    '  field(k: string) { return (this as any)[k]; }',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'QUOTE_FEED_KEY'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'QUOTE_BACKUP_KEY'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'QUOTE_SIGNER'), [true, 'guarded']);
  // A test whose missing branch throws is a requirement; an untested use decides nothing.
  assert.deepEqual(absence(f, 'QUOTE_STRICT_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'QUOTE_RAW_KEY'), [false, undefined]);
  // A public field is read from outside its class too; a computed access may reach any field.
  assert.deepEqual(absence(f, 'QUOTE_SHARED_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'QUOTE_INDEX_KEY'), [false, undefined]);
});

test('a read only shown in a log line is optional (logged); a logged local that is also used, and a non-log call, are not', () => {
  const text = [
    'const log = new Logger("db");',
    'log.log(`connecting: host=${process.env.LEDGER_DB_HOST}`);',
    'console.warn("region " + process.env.LEDGER_REGION);',
    'this.logger.verbose(process.env.LEDGER_MODE);',
    'const url = process.env.LEDGER_URL;',
    'console.log("using", url);',
    'connect(url);',
    'audit.record(`host=${process.env.LEDGER_AUDIT_HOST}`);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'LEDGER_DB_HOST'), [true, 'logged']);
  assert.deepEqual(absence(f, 'LEDGER_REGION'), [true, 'logged']);
  assert.deepEqual(absence(f, 'LEDGER_MODE'), [true, 'logged']);
  assert.deepEqual(absence(f, 'LEDGER_URL'), [false, undefined]);
  assert.deepEqual(absence(f, 'LEDGER_AUDIT_HOST'), [false, undefined]);
});

test('a status report of the running revision (a route handler returning K_REVISION beside other values) shows them: optional; a plain config endpoint serves them', () => {
  const text = [
    "import { Controller, Get } from '@nestjs/common';",
    "@Controller('health')",
    'export class HealthController {',
    "  @Get('info')",
    '  info() {',
    '    return {',
    '      at: new Date().toISOString(),',
    '      runtime: { revision: process.env.K_REVISION, project: process.env.LEDGER_PROJECT, region: process.env.LEDGER_REGION },',
    '    };',
    '  }',
    "  @Get('client')",
    '  client() {',
    '    return { clientId: process.env.LEDGER_CLIENT_ID };',
    '  }',
    '  build() {',
    '    return { service: process.env.K_SERVICE, key: process.env.LEDGER_SIGNING_KEY };',
    '  }',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'LEDGER_PROJECT'), [true, 'logged']);
  assert.deepEqual(absence(f, 'LEDGER_REGION'), [true, 'logged']);
  // Served to a client that may need it: no revision report beside it.
  assert.deepEqual(absence(f, 'LEDGER_CLIENT_ID'), [false, undefined]);
  // Returned from a method that is no route handler: a value its caller uses.
  assert.deepEqual(absence(f, 'LEDGER_SIGNING_KEY'), [false, undefined]);
});

test("Express: a status body sent with res.status(200).json(…) that shows a key only by its length shows its plain values beside it; a body of plain values is served", () => {
  const text = [
    'export function status(req, res) {',
    '  res.status(200).json({ env: { account: process.env.LEDGER_ACCOUNT, tokenLength: process.env.LEDGER_TOKEN ? process.env.LEDGER_TOKEN.length : 0 } });',
    '}',
    'export function client(req, res) {',
    '  res.status(200).json({ account: process.env.LEDGER_PUBLIC_ACCOUNT });',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'LEDGER_ACCOUNT'), [true, 'logged']);
  assert.deepEqual(absence(f, 'LEDGER_PUBLIC_ACCOUNT'), [false, undefined]);
});

test('a list of candidates searched for the first usable one (or filtered): each falls back to the next; the last is judged by what the result meets', () => {
  const text = [
    'export function projectId(explicit?: string): string | undefined {',
    '  return [explicit, process.env.LEDGER_PROJECT, process.env.CLOUD_PROJECT, process.env.LAST_PROJECT]',
    "    .find((v) => typeof v === 'string' && v.trim().length > 0);",
    '}',
    'const key = [process.env.PRIMARY_KEY, process.env.BACKUP_KEY].find(Boolean);',
    "if (!key) throw new Error('no key');",
    "export const region = [process.env.REGION_A, 'europe-west1'].find((r) => r);",
    'export const pair = [process.env.PAIR_LEFT, process.env.PAIR_RIGHT].map((v) => v!.trim());',
    'export const one = [process.env.ONLY_ONE].find(Boolean)!;',
    'const keys = [process.env.ROTATE_KEY_1, process.env.ROTATE_KEY_2, process.env.ROTATE_KEY_3].filter(Boolean) as string[];',
    "if (keys.length === 0) throw new Error('no keys');",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'LEDGER_PROJECT'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'CLOUD_PROJECT'), [true, 'alternative']);
  assert.deepEqual(only(f, 'LEDGER_PROJECT').alternatives, ['CLOUD_PROJECT', 'LAST_PROJECT']);
  // The last candidate is judged by what the result meets: returned, its use is not visible here.
  assert.deepEqual(absence(f, 'LAST_PROJECT'), [false, undefined]);
  assert.deepEqual(absence(f, 'PRIMARY_KEY'), [true, 'alternative']);
  // The last candidate of a search whose empty result throws: required, with its alternative.
  assert.deepEqual(absence(f, 'BACKUP_KEY'), [false, undefined]);
  assert.deepEqual(only(f, 'BACKUP_KEY').alternatives, ['PRIMARY_KEY']);
  // A literal after it stands in.
  assert.deepEqual(absence(f, 'REGION_A'), [true, 'default']);
  // Not a search (map), or a list of one.
  assert.deepEqual(absence(f, 'PAIR_LEFT'), [false, undefined]);
  assert.deepEqual(absence(f, 'ONLY_ONE'), [false, undefined]);
  // Keys kept by a filter (rotated through): any one will do, as in a search.
  assert.deepEqual(absence(f, 'ROTATE_KEY_1'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'ROTATE_KEY_2'), [true, 'alternative']);
  assert.deepEqual(only(f, 'ROTATE_KEY_3').alternatives, ['ROTATE_KEY_1', 'ROTATE_KEY_2']);
  // The filtered list is rejected when empty: the last key is needed if the others are unset.
  assert.deepEqual(absence(f, 'ROTATE_KEY_3'), [false, undefined]);
});

test('a read passed as the fallback of an accessor call of another variable stands in for it: the call\'s variable is its alternative', () => {
  const text = [
    'declare function getEnvVar(key: string, fallback?: string): string;',
    "export const jwt = getEnvVar('JWT_SECRET', process.env.JWT_ACCESS_SECRET || '');",
    "export const url = getEnvVar('DB_URL', process.env.DATABASE_URL);",
    'export const log = console.log(process.env.LOG_A, process.env.LOG_B);',
    "export const pair = join('a', process.env.NOT_FALLBACK!);",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(only(f, 'JWT_ACCESS_SECRET').alternatives, ['JWT_SECRET']);
  assert.deepEqual(only(f, 'DATABASE_URL').alternatives, ['DB_URL']);
  // Not an accessor call: a first argument that names no variable.
  assert.equal(only(f, 'LOG_B').alternatives, undefined);
  assert.equal(only(f, 'NOT_FALLBACK').alternatives, undefined);
});

test('a value passed to a function bound to a const inside another function is judged by its parameter; a map declared to hold undefined values takes a read as optional', () => {
  const text = [
    'export function load(s: Record<string, string | undefined>) {',
    "  const pick = (key: string, env: string | undefined, dflt = ''): string => (s[key] ?? env ?? dflt).trim();",
    "  const must = (v: string): string => v.trim();",
    "  const byKey: Record<string, string | undefined> = { a: process.env.MAP_A?.trim() };",
    "  const partial: Partial<{ b: string }> = { b: process.env.MAP_B };",
    "  const strict: Record<string, string> = { c: process.env.MAP_C! };",
    "  return { p: pick('p', process.env.PICKED, 'x'), k: must(process.env.MUST_KEY), byKey, partial, strict };",
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'PICKED'), [true, 'optional-parameter']);
  assert.deepEqual(absence(f, 'MUST_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'MAP_A'), [true, 'dict-value']);
  assert.deepEqual(absence(f, 'MAP_B'), [true, 'dict-value']);
  assert.deepEqual(absence(f, 'MAP_C'), [false, undefined]);
});

test('a read assigned to a local declared earlier: the local\'s uses decide', () => {
  const text = [
    'export function emails(x?: string): string[] {',
    '  let raw: string | undefined;',
    "  if (typeof x === 'string') {",
    '    raw = x.trim();',
    '  } else {',
    '    raw = process.env.EXTRA_EMAILS?.trim();',
    '  }',
    "  return raw ? raw.split(',') : [];",
    '}',
    'export function key(): string {',
    '  let k = "";',
    '  k = process.env.SIGNING_KEY!;',
    '  let secret;',
    '  secret = process.env.SESSION_SECRET;',
    '  return secret.trim() + k;',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'EXTRA_EMAILS'), [true, 'guarded']);
  // Asserted, or used without a test: required as before.
  assert.deepEqual(absence(f, 'SIGNING_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'SESSION_SECRET'), [false, undefined]);
});

test('arguments of a helper returning the first usable of its arguments: as in A || B; look-alike helpers stay as they were', () => {
  const text = [
    'function firstNonEmpty(...values) {',
    '  return values.map((value) => String(value || "").trim()).find(Boolean) || undefined;',
    '}',
    'const firstSet = (...vs: (string | undefined)[]) => { for (const v of vs) if (v) return v; return undefined; };',
    'function joinAll(...parts) { return parts.join(","); }',
    'function pick(a, ...rest) { return rest.find(Boolean) ?? a; }',
    'const mode = process.env.MODE;',
    'export const url = firstNonEmpty(process.env.AI_API_URL, process.env.OPENAI_API_URL);',
    'export const host = firstNonEmpty(process.env.OLLAMA_HOST, process.env.OLLAMA_URL, "http://localhost:11434");',
    'const timeoutText = firstSet(process.env.AI_TIMEOUT, mode === "cli" ? process.env.CLI_TIMEOUT : "");',
    'export const timeout = timeoutText ? Number(timeoutText) : 180;',
    'export const joined = joinAll(process.env.PART_A, process.env.PART_B).trim();',
    'export const picked = pick(process.env.PICK_A, process.env.PICK_B);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'AI_API_URL'), [true, 'alternative']);
  assert.deepEqual(only(f, 'OPENAI_API_URL').alternatives, ['AI_API_URL']);
  // The last argument is judged by what the result meets: exported, not visible here.
  assert.deepEqual(absence(f, 'OPENAI_API_URL'), [false, undefined]);
  // A literal after it stands in.
  assert.deepEqual(absence(f, 'OLLAMA_HOST'), [true, 'default']);
  assert.deepEqual(absence(f, 'OLLAMA_URL'), [true, 'default']);
  // Through a conditional argument, and the result tested before use.
  assert.deepEqual(absence(f, 'AI_TIMEOUT'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'CLI_TIMEOUT')[0], true);
  // Not a search of its rest parameter (join), or a parameter before the rest: as before.
  assert.deepEqual(absence(f, 'PART_A'), [false, undefined]);
  assert.deepEqual(absence(f, 'PICK_B'), [false, undefined]);
});

test('candidates normalised by a map before the filter, or kept in a const used only by the search: still a search', () => {
  const text = [
    'declare function normalizeId(v?: string): string | undefined;',
    'export function loginIds(selected?: string): string[] {',
    '  const raw = [process.env.MANAGER_ACCOUNT_ID, process.env.LOGIN_ACCOUNT_ID, process.env.LEGACY_ACCOUNT_ID];',
    '  const ids = raw.map((value) => normalizeId(value)).filter((value): value is string => Boolean(value));',
    '  return [selected, ...ids].filter((v): v is string => Boolean(v));',
    '}',
    "export const regions = [process.env.REGION_PRIMARY, process.env.REGION_BACKUP].map((r) => r?.trim()).filter(Boolean);",
    'export const zones = [process.env.ZONE_A, process.env.ZONE_B].map(normalizeId).find(Boolean);',
    // Look-alikes: a map that throws on an undefined element, a const used twice.
    "export const hosts = [process.env.HOST_LEFT, process.env.HOST_RIGHT].map((h) => h!.trim()).filter(Boolean);",
    'const both = [process.env.PAIR_ONE, process.env.PAIR_TWO];',
    'export const first = both.filter(Boolean);',
    'export const count = both.length;',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'MANAGER_ACCOUNT_ID'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'LOGIN_ACCOUNT_ID'), [true, 'alternative']);
  assert.deepEqual(only(f, 'LEGACY_ACCOUNT_ID').alternatives, ['MANAGER_ACCOUNT_ID', 'LOGIN_ACCOUNT_ID']);
  // A filter drops a missing last candidate too, and nothing rejects the empty list.
  assert.deepEqual(absence(f, 'LEGACY_ACCOUNT_ID'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'REGION_BACKUP'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'REGION_PRIMARY'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'ZONE_A'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'HOST_LEFT'), [false, undefined]);
  assert.deepEqual(absence(f, 'PAIR_ONE'), [false, undefined]);
});

test('a field of one record of a table that other records lack is optional; a field every record has, or a lone record, is not', () => {
  const text = [
    'export class Plans {',
    '  readonly plans = [',
    "    { id: 'free', price: 0 },",
    "    { id: 'pro', price: 9, priceId: process.env.PLAN_PRO_PRICE },",
    "    { id: 'team', price: 29, priceId: process.env.PLAN_TEAM_PRICE, seats: undefined },",
    '  ];',
    '}',
    'export const regions = [',
    "  { name: 'eu', bucket: process.env.EU_BUCKET, cdn: null },",
    "  { name: 'us', bucket: process.env.US_BUCKET, cdn: process.env.US_CDN },",
    '];',
    "const base = { name: 'x' };",
    "export const mixed = [{ ...base }, { name: 'y', token: process.env.MIXED_TOKEN }];",
    "export const single = [{ name: 'z', token: process.env.SINGLE_TOKEN }];",
    "export const nulled = [{ key: null }, { key: process.env.NULLED_KEY }];",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'PLAN_PRO_PRICE'), [true, 'dict-value']);
  assert.deepEqual(absence(f, 'PLAN_TEAM_PRICE'), [true, 'dict-value']);
  assert.deepEqual(absence(f, 'US_CDN'), [true, 'dict-value']);
  assert.deepEqual(absence(f, 'NULLED_KEY'), [true, 'dict-value']);
  // Every record has a bucket; a spread record may hold the field; a table of one record.
  assert.deepEqual(absence(f, 'EU_BUCKET'), [false, undefined]);
  assert.deepEqual(absence(f, 'US_BUCKET'), [false, undefined]);
  assert.deepEqual(absence(f, 'MIXED_TOKEN'), [false, undefined]);
  assert.deepEqual(absence(f, 'SINGLE_TOKEN'), [false, undefined]);
});

test("a JavaScript class's field is judged by its uses in the class, as a private TypeScript field is; a public TypeScript field is not", () => {
  const cls = (ext: string) => [
    'export class Provider {',
    ...(ext === 'ts' ? ['  org: string | undefined;', '  key: string | undefined;'] : []),
    '  constructor(config = {}) {',
    '    this.org = config.org || process.env.PROVIDER_ORG;',
    '    this.key = process.env.PROVIDER_KEY;',
    '  }',
    '  headers() {',
    '    const h = {};',
    "    if (this.org) h['Org'] = this.org;",
    '    h.auth = this.key.trim();',
    '    return h;',
    '  }',
    '}',
  ].join('\n');
  const js = extract(cls('js'), 'services/provider.js');
  assert.deepEqual(absence(js, 'PROVIDER_ORG'), [true, 'guarded']);
  assert.equal(absence(js, 'PROVIDER_KEY')[0], false);
  // A public field of TypeScript may be read by any holder of the object: not decided here.
  const tsFile = extract(cls('ts'), 'services/provider.ts');
  assert.equal(absence(tsFile, 'PROVIDER_ORG')[0], false);
});

test('a value only written to a log as a value of an object, or shown in a response in a shape that tells whether it is set, is optional; a value served or sent on is not', () => {
  const text = [
    "import { json } from '@sveltejs/kit';",
    'export const GET = async () => {',
    '  const envVars = {',
    "    EMAIL: process.env.ECHO_EMAIL?.substring(0, 30) + '...',",
    '    KEY_LENGTH: process.env.ECHO_KEY?.length,',
    // Beside values shown only by whether they are set, a plain one is shown too (a diagnostic report).
    '    ECHO_PROJECT: process.env.ECHO_PROJECT,',
    '  };',
    '  return json({ success: true, environment: envVars });',
    '};',
    'export function report(res, logger) {',
    '  res.json({ stripe: { mode: process.env.ECHO_MODE?.length } });',
    '  logger.info({ region: process.env.ECHO_REGION });',
    '}',
    'export async function link(res, createClient, code) {',
    '  const cfg = { apiKey: process.env.CLIENT_KEY?.length };',
    '  res.json(cfg);',
    '  createClient(cfg);',
    '  res.json({ clientId: process.env.SERVED_CLIENT_ID });',
    // A served value beside a presence shape in another response is still served.
    '  res.json({ clientId: process.env.SERVED_BESIDE, configured: !!process.env.OTHER_KEY });',
    '  res.json({ token: process.env.TRIMMED_TOKEN.trim() });',
    '  await fetch("https://github.com/login/oauth/access_token", { method: "POST", body: JSON.stringify({ code, client_secret: process.env.SENT_SECRET }) });',
    '  return createClient({ secret: process.env.CLIENT_SECRET });',
    '}',
  ].join('\n');
  const f = extract(text);
  for (const name of ['ECHO_EMAIL', 'ECHO_KEY', 'ECHO_PROJECT', 'ECHO_MODE', 'ECHO_REGION']) assert.deepEqual(absence(f, name), [true, 'logged'], name);
  // A local also handed to a client; a plain value served to a client; a value that throws
  // before it is shown; a request body; a client's option.
  for (const name of ['CLIENT_KEY', 'SERVED_CLIENT_ID', 'SERVED_BESIDE', 'TRIMMED_TOKEN', 'SENT_SECRET', 'CLIENT_SECRET']) assert.notEqual(absence(f, name)[1], 'logged', name);
  for (const name of ['SERVED_CLIENT_ID', 'SERVED_BESIDE', 'TRIMMED_TOKEN', 'SENT_SECRET']) assert.equal(absence(f, name)[0], false, name);
});

test("a value handed on in a child process's environment is optional (Node leaves an undefined value out); an env object elsewhere is not", () => {
  const text = [
    "import { exec, spawn } from 'node:child_process';",
    "export function run() {",
    "  exec('node job.js', { cwd: '/app', env: { ...process.env, JOB_DSN: process.env.JOB_DSN, HOOK_URL: process.env.HOOK_URL } });",
    "  spawn('python', ['w.py'], { env: { WORKER_TOKEN: process.env.WORKER_TOKEN } });",
    "  return new Worker('./w.js', { env: { POOL_KEY: process.env.POOL_KEY } });",
    "}",
    "export const settings = { env: { API_KEY: process.env.API_KEY } };",
    "exec('x', { headers: { AUTH_TOKEN: process.env.AUTH_TOKEN } });",
  ].join('\n');
  const f = extract(text);
  for (const name of ['JOB_DSN', 'HOOK_URL', 'WORKER_TOKEN', 'POOL_KEY']) assert.deepEqual(absence(f, name), [true, 'dict-value'], name);
  // A settings object's `env` is used elsewhere; a value under another key of a call's options.
  assert.equal(absence(f, 'API_KEY')[0], false);
  assert.equal(absence(f, 'AUTH_TOKEN')[0], false);
});

test("a secret's placeholder default stands in for nothing: required, and marked; other defaults stay defaults", () => {
  const text = [
    "export const signing = process.env.SIGNING_SECRET || 'shop-signing-change-me-in-production';",
    "export const session = process.env.SESSION_SECRET ?? `your-session-secret`;",
    "export const cacheToken = process.env.CACHE_TOKEN || 'local-dev-token';",
    "export const mode = process.env.RENDER_MODE || 'change-me';",
    "export const hook = process.env.CHECKR_WEBHOOK_SECRET || 'test_secret';",
    "export const jwt = process.env.JWT_SECRET ?? 'secret';",
    "export const api = process.env.PARTNER_API_KEY || 'dev-key';",
    "export const storefront = process.env.STOREFRONT_TOKEN ?? 'public-token-placeholder';",
    "export const placeholders = process.env.PLACEHOLDERS_TOKEN ?? 'placeholders-are-real-here';",
    "export const snap = { serverKey: process.env.MIDTRANS_SERVER_KEY || 'dummy_server_key', clientKey: process.env.VITE_MIDTRANS_CLIENT_KEY || 'dummy_client_key' };",
    "export const shown = process.env.NEXT_PUBLIC_MAPS_TOKEN ?? 'your-maps-token';",
  ].join('\n');
  const f = extract(text);
  const got = Object.fromEntries(f.reads.map((r) => [r.name, [!r.hasDefault, !!r.placeholderDefault]]));
  assert.deepEqual(got, {
    SIGNING_SECRET: [true, true],
    SESSION_SECRET: [true, true],
    // Stand-ins that name themselves one, and a word anyone tries first.
    CHECKR_WEBHOOK_SECRET: [true, true],
    JWT_SECRET: [true, true],
    PARTNER_API_KEY: [true, true],
    // A payment provider's server key is a secret like any API key.
    MIDTRANS_SERVER_KEY: [true, true],
    // A default that calls itself a placeholder; a longer word holding it is no such claim.
    STOREFRONT_TOKEN: [true, true],
    PLACEHOLDERS_TOKEN: [false, false],
    // A default that may be real, and a name that is no secret: defaults.
    CACHE_TOKEN: [false, false],
    RENDER_MODE: [false, false],
    // A value a front-end build ships to every browser guards nothing: its stand-in is a default.
    VITE_MIDTRANS_CLIENT_KEY: [false, false],
    NEXT_PUBLIC_MAPS_TOKEN: [false, false],
  });
});

test("a stand-in default the code recognises (=== 'test_key' then refuses to run) is a sentinel, not a placeholder to report", () => {
  const text = [
    'export class Checkr {',
    '  private apiKey = process.env.CHECKR_API_KEY || \'test_key\';',
    '  start(): void {',
    "    if (!this.apiKey || this.apiKey === 'test_key') throw new Error('Checkr API key not configured');",
    '  }',
    '}',
    "export const hook = process.env.HOOK_SECRET || 'test_secret';",
  ].join('\n');
  const f = extract(text);
  assert.equal(f.reads.find((r) => r.name === 'CHECKR_API_KEY')?.placeholderDefault, undefined);
  assert.equal(f.reads.find((r) => r.name === 'HOOK_SECRET')?.placeholderDefault, true);
});

test('a comparison with a placeholder text is a test, not a default; an order comparison of undefined is a test too', () => {
  const text = [
    "export const weak = process.env.JWT_SECRET === 'your-jwt-secret' || process.env.JWT_SECRET?.length < 32;",
    "export const few = Number(process.env.MAX_WORKERS) > 4;",
    "export const suffix = process.env.SESSION_SECRET + 'change-me';",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, !!r.placeholderDefault]), [
    ['JWT_SECRET', true, false], ['JWT_SECRET', true, false], ['MAX_WORKERS', true, false],
    // Concatenated, the value is used as it is: no default, and no placeholder either.
    ['SESSION_SECRET', false, false],
  ]);
});

test('a predicate over the value (isReal(A, B), hasToken(x)) tests it: optional; a non-predicate call is not', () => {
  const text = [
    "const isReal = (...values: (string | undefined)[]) => values.every((v) => v && !v.startsWith('your_'));",
    'if (isReal(process.env.SOCIAL_ID, process.env.SOCIAL_SECRET)) enableSocial();',
    'export const ready = hasToken(process.env.FEED_TOKEN);',
    'export const client = makeClient(process.env.FEED_URL);',
    'declare function enableSocial(): void;',
    'declare function hasToken(t?: string): boolean;',
    'declare function makeClient(u: string): unknown;',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'SOCIAL_ID'), [true, 'tested']);
  assert.deepEqual(absence(f, 'SOCIAL_SECRET'), [true, 'tested']);
  assert.deepEqual(absence(f, 'FEED_TOKEN'), [true, 'tested']);
  assert.deepEqual(absence(f, 'FEED_URL'), [false, undefined]);
});

test('a value of the module\'s settings object is used elsewhere: required for want of evidence, and marked (needUnseen)', () => {
  const text = [
    'export default {',
    '  port: process.env.PORT_NUMBER,',
    '  mail: { key: process.env.MAIL_KEY },',
    '};',
    'export const limits = { burst: process.env.BURST_LIMIT };',
    'module.exports.extra = { region: process.env.EXTRA_REGION };',
    // Look-alikes: an object passed to a call, an object built inside a function, a non-null claim.
    'const client = connect({ url: process.env.QUEUE_URL });',
    'export function build() { return { token: process.env.BUILD_TOKEN }; }',
    'export const strict = { key: process.env.STRICT_KEY! };',
    // A settings object the file itself uses: the value may be needed here.
    'const local = { token: process.env.LOCAL_TOKEN };',
    'export const api = makeApi(local.token);',
    'declare function makeApi(t: string): unknown;',
    'declare function connect(o: object): unknown;',
  ].join('\n');
  const f = extract(text);
  const unseen = (n: string) => only(f, n).needUnseen ?? false;
  assert.deepEqual(['PORT_NUMBER', 'MAIL_KEY', 'BURST_LIMIT', 'EXTRA_REGION'].map(unseen), [true, true, true, true]);
  assert.deepEqual(['QUEUE_URL', 'BUILD_TOKEN', 'STRICT_KEY', 'LOCAL_TOKEN'].map(unseen), [false, false, false, false]);
  for (const n of ['PORT_NUMBER', 'QUEUE_URL', 'STRICT_KEY']) assert.equal(only(f, n).hasDefault, false, n);
});

test('the text a value is compared with is recorded (comparedWith), also through a text fallback and case calls; a tested value has none', () => {
  const f = extract([
    "if (process.env.A === 'true') on();",
    "export const b = process.env.B !== 'false';",
    "export const e = 'on' == process.env.E;",
    "export const c = (process.env.C || '').toLowerCase() === 'yes';",
    'if (process.env.D) on();',
    'export const n = process.env.N === undefined;',
    "export const g = (process.env.G ?? 'TRUE').toLowerCase() === 'true';",
    "export const h = ['1', 'true'].includes(process.env.H?.trim().toLowerCase() ?? '');",
    "export const k = process.env.K?.slice(1) === 'x';",
    "export const m = ['1', 'true'].includes(process.env.M ?? '1');",
    'declare function on(): void;',
  ].join('\n'));
  assert.deepEqual(['A', 'B', 'E', 'C', 'D', 'N', 'G', 'H', 'K', 'M'].map((n) => only(f, n).comparedWith),
    ['true', 'false', 'on', 'yes', undefined, undefined, undefined, '1', undefined, undefined]);
  assert.deepEqual([only(f, 'H').comparedAlso, only(f, 'H').comparedCaseless, only(f, 'A').comparedCaseless], [['true'], true, undefined]);
});

test('a settings object named like a member it holds (`const env = { … process.env.X … }`) is not used by those members\' names', () => {
  // `process.env`'s `env`, a key `env:` and `cfg.env` name members, not the object: only the export uses it.
  const text = [
    'const env = {',
    '  aws: { bucket: process.env.AWS_S3_BUCKET },',
    '  env: process.env.APP_ENV,',
    '};',
    'const other = { env: 1 };',
    'export const mode = other.env;',
    'export default env;',
  ].join('\n');
  const f = extract(text);
  assert.equal(only(f, 'AWS_S3_BUCKET').needUnseen, true);
  assert.equal(only(f, 'APP_ENV').needUnseen, true);
  // The object itself used in its file (`env.aws.bucket`): that key is judged here.
  const used = extract(text.replace('export const mode = other.env;', "if (!env.aws.bucket) throw new Error('bucket');"));
  assert.equal(only(used, 'AWS_S3_BUCKET').needUnseen ?? false, false);
  assert.equal(only(used, 'APP_ENV').needUnseen, true);
});

test('a settings object its file uses through other keys only: the other values are used elsewhere (needUnseen)', () => {
  const text = [
    'const Settings = {',
    '  cloud: { project: process.env.CLOUD_PROJECT },',
    '  chat: { token: process.env.CHAT_TOKEN },',
    '  queue: process.env.QUEUE_NAME,',
    '};',
    "if (!Settings.chat.token) throw new Error('CHAT_TOKEN must be set');",
    'export const queue = Settings.queue.trim();',
    'export default Settings;',
  ].join('\n');
  const f = extract(text);
  const unseen = (n: string) => only(f, n).needUnseen ?? false;
  assert.equal(unseen('CLOUD_PROJECT'), true, 'no use of Settings.cloud in this file');
  // The keys the file reaches are judged here: a guarded throw, a value used as-is.
  assert.equal(unseen('CHAT_TOKEN'), false);
  assert.equal(unseen('QUEUE_NAME'), false);
  // Passed whole, the object may be used for any key.
  const whole = extract(text.replace("export const queue = Settings.queue.trim();", 'configure(Settings);'));
  assert.equal(only(whole, 'CLOUD_PROJECT').needUnseen ?? false, false);
});

test('what a callback handed to other code returns is used there: required for want of evidence, and marked (needUnseen)', () => {
  const text = [
    'export const adapters = [',
    '  { provide: Flux, useFactory: () => new Flux(() => process.env.FLUX_BASE, () => process.env.FLUX_KEY!) },',
    '  { provide: Qwen, base: () => process.env.QWEN_BASE },',
    '];',
    'const local = () => process.env.LOCAL_BASE;',
    'connect(local());',
    'connect((() => process.env.INLINE_BASE)());',
  ].join('\n');
  const f = extract(text);
  const unseen = (n: string) => [only(f, n).hasDefault, only(f, n).needUnseen ?? false];
  assert.deepEqual(unseen('FLUX_BASE'), [false, true]);
  assert.deepEqual(unseen('QWEN_BASE'), [false, true]);
  // Asserted present, kept in a local function, or called at once: nothing says it is used elsewhere.
  assert.deepEqual(unseen('FLUX_KEY'), [false, false]);
  assert.deepEqual(unseen('LOCAL_BASE'), [false, false]);
  assert.deepEqual(unseen('INLINE_BASE'), [false, false]);
});

test('a throw for a missing value that a try around it catches is coped with (optional); a rethrow, an exit or no try is required', () => {
  const text = [
    'async function quote(symbol: string) {',
    '  try {',
    '    const key = process.env.QUOTE_IEX_KEY;',
    "    if (!key) throw new Error('IEX key not configured');",
    '    return await fetchIex(symbol, key);',
    '  } catch (e) {',
    '    log.warn(e);',
    '    return fallbackQuote(symbol);',
    '  }',
    '}',
    'async function strict() {',
    "  try { if (!process.env.QUOTE_STRICT_KEY) throw new Error('missing'); } catch (e) { throw new Error(`wrapped ${e}`); }",
    "  try { if (!process.env.QUOTE_EXIT_KEY) process.exit(1); } catch { /* never reached */ }",
    "  if (!process.env.QUOTE_BARE_KEY) throw new Error('missing');",
    "  try { go(); } finally { if (!process.env.QUOTE_FINALLY_KEY) throw new Error('missing'); }",
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'QUOTE_IEX_KEY'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'QUOTE_STRICT_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'QUOTE_EXIT_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'QUOTE_BARE_KEY'), [false, undefined]);
  assert.deepEqual(absence(f, 'QUOTE_FINALLY_KEY'), [false, undefined]);
});

test('a read as a parameter default is judged by the body (compared: optional); the object a handed-on callback returns is a settings object (needUnseen)', () => {
  const text = [
    "export function cronEnabled(raw: string | undefined = process.env.GATE_CRON_ENABLED): boolean { return raw !== 'false'; }",
    'export function token(raw = process.env.GATE_TOKEN) { return raw.trim(); }',
    "export default registerAs('gate', () => ({ GATE_KEY: process.env.GATE_KEY, GATE_REGION: process.env.GATE_REGION || 'eu' }));",
    "const local = () => ({ GATE_LOCAL: process.env.GATE_LOCAL });",
    'use(local());',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'GATE_CRON_ENABLED'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'GATE_TOKEN'), [false, undefined]);
  assert.equal(only(f, 'GATE_KEY').needUnseen, true);
  assert.deepEqual(absence(f, 'GATE_REGION'), [true, 'default']);
  assert.equal(only(f, 'GATE_LOCAL').needUnseen, undefined);
});

test('a missing value answered with an HTTP exception (one request refused: 503, 501, a guard\'s 401) is coped with; any other throw is a requirement', () => {
  const text = [
    'export class Payments {',
    '  charge() {',
    '    const key = process.env.PAY_KEY;',
    "    if (!key) { log.error('payments not configured'); throw new ServiceUnavailableException('Payments are unavailable'); }",
    '    return stripe(key).charge();',
    '  }',
    "  publish() { if (process.env.PAY_PUBLISH_READY !== 'true') throw new NotImplementedException('not yet'); return go(); }",
    "  hook() { if (!process.env.PAY_HOOK_SECRET) throw new UnauthorizedException('no secret'); return verify(); }",
    "  boot() { if (!process.env.PAY_BOOT_KEY) throw new Error('PAY_BOOT_KEY is required'); }",
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'PAY_KEY'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'PAY_PUBLISH_READY'), [true, 'compared']);
  // Fail-closed: the route is locked until the secret is set, and the service runs.
  assert.deepEqual(absence(f, 'PAY_HOOK_SECRET'), [true, 'tested']);
  assert.deepEqual(absence(f, 'PAY_BOOT_KEY'), [false, undefined]);
});

test('a read passed to a method of its own class (`this.normalize(process.env.X)`) that copes with undefined is optional; one that fails, or a name two classes declare, is not', () => {
  const text = [
    'export class Auth {',
    '  widgetToken(): string { return this.normalize(process.env.WIDGET_TOKEN); }',
    '  strictToken(): string { return this.strict(process.env.STRICT_TOKEN); }',
    '  sharedToken(): string { return this.shared(process.env.SHARED_TOKEN); }',
    '  private normalize(candidate: string | undefined): string {',
    "    const v = candidate?.trim();",
    "    return v && v !== 'PLACEHOLDER' ? v : '';",
    '  }',
    '  private strict(candidate: string): string { return candidate.trim(); }',
    '  private shared(candidate?: string): string { return candidate ?? ""; }',
    '}',
    'export class Other {',
    '  private shared(candidate: string): string { return candidate.trim(); }',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'WIDGET_TOKEN'), [true, 'optional-parameter']);
  assert.deepEqual(absence(f, 'STRICT_TOKEN'), [false, undefined]);
  assert.deepEqual(absence(f, 'SHARED_TOKEN'), [false, undefined]);
  assert.equal(only(f, 'WIDGET_TOKEN').passedTo, undefined);
});

test('a throw on a missing field in a method whose every call in its class is caught and answered is handled; one call left uncaught keeps it required', () => {
  const text = [
    'export class Market {',
    '  private readonly newsKey = process.env.NEWS_KEY;',
    '  private readonly quoteKey = process.env.QUOTE_KEY;',
    '  async sentiment(): Promise<number> {',
    '    try { return await this.fetchNews(); } catch { return 0; }',
    '  }',
    '  async headlines(): Promise<string[]> {',
    '    return this.fetchNews().then(() => []).catch(() => []);',
    '  }',
    '  private async fetchNews(): Promise<number> {',
    "    if (!this.newsKey) throw new Error('news key not available');",
    '    return call(this.newsKey);',
    '  }',
    '  async quote(): Promise<number> {',
    '    try { return await this.fetchQuote(); } catch { return 0; }',
    '  }',
    '  async quoteNow(): Promise<number> { return this.fetchQuote(); }',
    '  private async fetchQuote(): Promise<number> {',
    "    if (!this.quoteKey) throw new Error('quote key not available');",
    '    return call(this.quoteKey);',
    '  }',
    '}',
    'declare function call(k: string): Promise<number>;',
  ].join('\n');
  const f = extract(text);
  assert.equal(absence(f, 'NEWS_KEY')[0], true);
  assert.deepEqual(absence(f, 'QUOTE_KEY'), [false, undefined]);
});

test('a module-local function returning the value is judged by its calls in the file: optional when every call copes, through a local too', () => {
  const text = [
    'function apiKey() {',
    '  return process.env.GETTER_KEY;',
    '}',
    'const region = () => process.env.GETTER_REGION;',
    'function token() {',
    '  return process.env.GETTER_TOKEN;',
    '}',
    'export function exported() {',
    '  return process.env.GETTER_EXPORTED;',
    '}',
    'function handedOn() {',
    '  return process.env.GETTER_HANDED;',
    '}',
    'export async function ask(prompt: string) {',
    '  const key = apiKey();',
    '  if (!key) return null;',
    '  const where = region() ?? "us-central1";',
    '  register(handedOn);',
    '  return apiKey() ? call(prompt, key, where) : local(prompt, token().trim());',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'GETTER_KEY'), [true, 'guarded']);
  assert.deepEqual(absence(f, 'GETTER_REGION'), [true, 'guarded']);
  // A call whose result is used unguarded; a function other files may call; one passed on.
  assert.equal(absence(f, 'GETTER_TOKEN')[0], false);
  assert.equal(absence(f, 'GETTER_EXPORTED')[0], false);
  assert.equal(absence(f, 'GETTER_HANDED')[0], false);
});

test('a settings object handed on by CommonJS (`module.exports = config`) is used elsewhere, as `export default config` is', () => {
  for (const exporting of ['module.exports = config;', 'module.exports = { config, other: 1 };', 'exports.config = config;']) {
    const text = [
      'const config = {',
      "  NODE_ENV: process.env.NODE_ENV || 'development',",
      '  MAIL_USER: process.env.MAIL_USER,',
      '};',
      // The file's own use of another key says nothing of this one.
      "if (config.NODE_ENV === 'production') console.log('prod');",
      exporting,
    ].join('\n');
    assert.equal(only(extract(text), 'MAIL_USER').needUnseen, true, exporting);
  }
  // Look-alikes: the file uses the key itself, or assigns the object somewhere else than its exports.
  const usedHere = ['const config = { MAIL_USER: process.env.MAIL_USER };', 'login(config.MAIL_USER);', 'module.exports = config;', 'declare function login(u: string): void;'].join('\n');
  assert.equal(only(extract(usedHere), 'MAIL_USER').needUnseen ?? false, false);
  const elsewhere = ['const config = { MAIL_USER: process.env.MAIL_USER };', 'globalThis.settings = config;'].join('\n');
  assert.equal(only(extract(elsewhere), 'MAIL_USER').needUnseen ?? false, false);
});

test('a read in a branch of a conditional whose value meets a fallback (`(typeof process !== "undefined" ? process.env.X : undefined) || d`) has that default; without one it is judged by its use', () => {
  const text = [
    'export const TABLE =',
    '  (typeof process !== "undefined" ? process.env.LOGS_TABLE : undefined) || "mainnet";',
    'export const LAG = Number((typeof process !== "undefined" ? process.env.LAG_MINUTES : undefined) || 120);',
    'export const BOTH = (typeof window === "undefined" ? process.env.PRIMARY_A : undefined) ?? process.env.PRIMARY_B;',
    'export const BARE = typeof process !== "undefined" ? process.env.BARE_TABLE : undefined;',
    'export const NEEDED = (typeof process !== "undefined" ? process.env.NEEDED_KEY : undefined)!.trim();',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'LOGS_TABLE'), [true, 'default']);
  assert.deepEqual(absence(f, 'LAG_MINUTES'), [true, 'default']);
  assert.deepEqual(absence(f, 'PRIMARY_A'), [true, 'alternative']);
  assert.deepEqual(absence(f, 'BARE_TABLE'), [false, undefined]);
  assert.deepEqual(absence(f, 'NEEDED_KEY'), [false, undefined]);
});

test('a secret compared with a value not written here (a request header) is required: unset, the check is open or shut', () => {
  const text = [
    'export function check(req: { headers: Record<string, string | undefined>; region: string }) {',
    "  const internal = req.headers['x-internal'] === process.env.INTERNAL_SERVICE_SECRET;",
    "  if (process.env.MODE_TOKEN === 'off') return false;",
    "  const sameRegion = req.region === process.env.DEPLOY_REGION;",
    "  const guarded = !!process.env.GUARD_SECRET && req.headers['x'] === process.env.GUARD_SECRET;",
    '  return internal || sameRegion || guarded;',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'INTERNAL_SERVICE_SECRET'), [false, undefined]);
  assert.deepEqual(absence(f, 'MODE_TOKEN'), [true, 'compared']);
  assert.deepEqual(absence(f, 'DEPLOY_REGION'), [true, 'compared']);
});

test('a secret strictly compared with a value that is never undefined (a Fetch header, a query parameter with a default) shuts when unset: optional', () => {
  const text = [
    'export async function GET(request: Request) {',
    "  const url = new URL(request.url);",
    "  const authorized = request.headers.get('x-health-secret') === process.env.HEALTH_SECRET;",
    "  const preview = (url.searchParams.get('secret') ?? '') === process.env.PREVIEW_SECRET;",
    "  const loose = request.headers.get('x-loose') == process.env.LOOSE_SECRET;",
    "  const cookie = cookies().get('s')?.value === process.env.COOKIE_SECRET;",
    "  const mapped = tokens.get('k') === process.env.MAPPED_SECRET;",
    '  return authorized || preview || loose || cookie || mapped;',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(absence(f, 'HEALTH_SECRET'), [true, 'compared']);
  assert.deepEqual(absence(f, 'PREVIEW_SECRET'), [true, 'compared']);
  // null == undefined: a loose comparison opens; an optional chain or a Map's get gives undefined.
  assert.deepEqual(absence(f, 'LOOSE_SECRET'), [false, undefined]);
  assert.deepEqual(absence(f, 'COOKIE_SECRET'), [false, undefined]);
  assert.deepEqual(absence(f, 'MAPPED_SECRET'), [false, undefined]);
});

test('node-postgres given the very variable it reads itself (user: process.env.PGUSER) is optional; another name, or another module, stays required', () => {
  const text = [
    "import pg from 'pg';",
    "import { Client } from 'pg';",
    "import { Other } from 'other-db';",
    'const { Pool } = pg;',
    'export const pool = new Pool({',
    '  connectionString: process.env.DATABASE_URL || undefined,',
    '  user: process.env.PGUSER,',
    '  password: process.env.PGPASSWORD,',
    '});',
    'export const client = new Client({ database: process.env.PGDATABASE, user: process.env.APP_DB_USER });',
    'export const other = new Other({ password: process.env.PGPORT });',
  ].join('\n');
  const f = extract(text);
  // [hasDefault, optionalBecause] by variable: the option pg fills from that very variable, and
  // look-alikes (another variable for the option, an option of another client).
  const expected: Record<string, [boolean, string | undefined]> = {
    PGUSER: [true, 'client-default'], PGPASSWORD: [true, 'client-default'], PGDATABASE: [true, 'client-default'],
    APP_DB_USER: [false, undefined], PGPORT: [false, undefined],
  };
  for (const [name, want] of Object.entries(expected)) assert.deepEqual(absence(f, name), want, name);
});

test('a Sentry SDK given its DSN or an event label from a variable (Sentry.init({ dsn, release })): optional, the SDK stays off or leaves the label out; another client, or the value used beyond the option, stays required', () => {
  const text = [
    "import * as Sentry from '@sentry/node';",
    "import { init as initTracer } from 'tracer';",
    'Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.VERSION, environment: process.env.SENTRY_ENV!, enabled: true });',
    'initTracer({ dsn: process.env.TRACER_DSN!, release: process.env.TRACER_RELEASE! });',
    'Sentry.init({ release: process.env.BUILD_SHA!.slice(0, 7) });',
  ].join('\n');
  const f = extract(text);
  const expected: Record<string, [boolean, string | undefined]> = {
    SENTRY_DSN: [true, 'client-default'], VERSION: [true, 'client-default'], SENTRY_ENV: [true, 'client-default'],
    TRACER_DSN: [false, undefined], TRACER_RELEASE: [false, undefined], BUILD_SHA: [false, undefined],
  };
  for (const [name, want] of Object.entries(expected)) assert.deepEqual(absence(f, name), want, name);
});

test('a field the object\'s declared type makes optional takes a read as optional; a required field does not', () => {
  const text = [
    'interface Config {',
    '  datadog: { apiKey: string; appKey?: string; site: string | undefined };',
    '  region: string;',
    '}',
    'type Flags = { beta?: string };',
    'export function loadConfig(): Config {',
    '  return {',
    '    datadog: { apiKey: process.env.DD_API_KEY!, appKey: process.env.DD_APP_KEY, site: process.env.DD_SITE },',
    '    region: process.env.DEPLOY_REGION!,',
    '  };',
    '}',
    'export const flags: Flags = { beta: process.env.BETA_FLAG };',
    'export const loadFlags = (): Flags => ({ beta: process.env.ARROW_FLAG });',
    // Look-alikes: no declared type, a field the type requires, a type from another file.
    'export const plain = { key: process.env.PLAIN_KEY };',
    'export const typed: Config["datadog"] = { apiKey: process.env.INDEXED_KEY, appKey: undefined, site: undefined };',
    "import type { Remote } from './remote';",
    'export const remote: Remote = { token: process.env.REMOTE_TOKEN };',
  ].join('\n');
  const f = extract(text);
  // Why each read is optional (undefined: it is not, by its declared type).
  const expected: Record<string, string | undefined> = {
    DD_APP_KEY: 'dict-value', DD_SITE: 'dict-value', BETA_FLAG: 'dict-value', ARROW_FLAG: 'dict-value',
    DD_API_KEY: undefined, DEPLOY_REGION: undefined, PLAIN_KEY: undefined, INDEXED_KEY: undefined, REMOTE_TOKEN: undefined,
  };
  for (const [name, why] of Object.entries(expected)) assert.equal(absence(f, name)[1], why, name);
  assert.deepEqual([absence(f, 'DD_API_KEY')[0], absence(f, 'DEPLOY_REGION')[0]], [false, false]);
});

test('a field set on `this` takes its type from the class\'s declaration: an optional member makes the read optional', () => {
  const text = [
    'interface AgentConfig { baseUrl: string; apiKey?: string }',
    'export class Router {',
    '  private config: AgentConfig;',
    '  private other: { token: string };',
    '  constructor() {',
    "    this.config = { baseUrl: process.env.AGENT_URL || 'http://localhost:2024', apiKey: process.env.AGENT_KEY };",
    '    this.other = { token: process.env.OTHER_TOKEN };',
    '    function inner(this: any) { this.config = { apiKey: process.env.INNER_KEY }; }',
    '    this.untyped = { apiKey: process.env.UNTYPED_KEY };',
    '  }',
    '}',
  ].join('\n');
  const f = extract(text);
  // The optional member of the field's type; a required member, a function's own `this`, and a field
  // with no declared type stay as they were.
  const expected: Record<string, string | undefined> = {
    AGENT_KEY: 'dict-value', OTHER_TOKEN: undefined, INNER_KEY: undefined, UNTYPED_KEY: undefined,
  };
  for (const [name, why] of Object.entries(expected)) assert.equal(absence(f, name)[1], why, name);
  assert.equal(absence(f, 'OTHER_TOKEN')[0], false);
});

test('a literal fallback is kept as the text the service runs on; other fallbacks, and a secret stand-in, have none', () => {
  const text = [
    "const ttl = parseInt(process.env.CACHE_TTL_SECONDS || '3600', 10);",
    'const pool = Number(process.env.POOL_SIZE ?? 10);',
    'const region = process.env.REGION ?? defaultRegion();',
    "const jwt = process.env.JWT_SECRET || 'change-me-in-production';",
    'const plain = process.env.PLAIN_NAME;',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(Object.fromEntries(['CACHE_TTL_SECONDS', 'POOL_SIZE', 'REGION', 'JWT_SECRET', 'PLAIN_NAME'].map((n) => [n, only(f, n).textDefault])), {
    CACHE_TTL_SECONDS: '3600', POOL_SIZE: '10', REGION: undefined, JWT_SECRET: undefined, PLAIN_NAME: undefined,
  });
});

test('a test whose unset branch logs at error level that the variable is required is a required read; a warning, or an error not naming it, copes', () => {
  const text = [
    "const isProduction = process.env.NODE_ENV === 'production';",
    'let origins: string[] = [];',
    'if (process.env.CLIENT_URL) {',
    "  origins = process.env.CLIENT_URL.split(',');",
    '} else if (isProduction) {',
    "  console.error('❌ ERROR: CLIENT_URL environment variable is required in production!');",
    '} else {',
    "  origins = ['http://localhost:3000'];",
    '}',
    "if (!process.env.SMTP_HOST) { logger.error(`SMTP_HOST must be set`); }",
    "if (!process.env.STRIPE_KEY) { console.warn('STRIPE_KEY is required for payments; payments are off'); }",
    "if (!process.env.SENTRY_DSN) { console.error('Sentry is not configured'); }",
    "if (!process.env.CACHE_URL) { console.error('REDIS_URL is required'); }",
    "if (process.env.MAIL_FROM) { send(); } else { audit.error('MAIL_FROM is required'); }",
  ].join('\n');
  const f = extract(text);
  const tested = f.reads.filter((r) => r.name === 'CLIENT_URL')[0]!;
  assert.deepEqual([tested.hasDefault, tested.optionalBecause], [false, undefined]);
  assert.deepEqual(absence(f, 'SMTP_HOST'), [false, undefined]);
  assert.deepEqual(absence(f, 'STRIPE_KEY'), [true, 'tested']);
  assert.deepEqual(absence(f, 'SENTRY_DSN'), [true, 'tested']);
  assert.deepEqual(absence(f, 'CACHE_URL'), [true, 'tested']);
  // `audit` is no logger by its name: its `error` is someone else's method.
  assert.deepEqual(absence(f, 'MAIL_FROM'), [true, 'tested']);
});

test('a server on a fixed port: app.listen(3000), a const given a literal, 8080 too; none where the file reads PORT or in a development branch', () => {
  const listen = (text: string) => extract(text, 'svc/src/main.ts').fixedListen?.port;
  assert.equal(listen('async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\n'), '3000');
  assert.equal(listen('async function bootstrap() {\n  const port = 4000;\n  const app = await NestFactory.create(AppModule);\n  await app.listen(port);\n}\n'), '4000');
  assert.equal(listen("server.listen('5000', () => console.log('up'));\n"), '5000');
  assert.equal(listen('app.listen(process.env.PORT || 3000);\n'), undefined);
  assert.equal(listen('const port = process.env.PORT ?? 3000;\napp.listen(3000);\n'), undefined);
  assert.equal(listen('app.listen(8080);\n'), '8080');
  assert.equal(listen("if (process.env.NODE_ENV === 'development') {\n  app.listen(3000);\n}\n"), undefined);
  assert.equal(listen('let port = 3000;\nport = 9000;\napp.listen(port);\n'), undefined);
});
