/**
 * TypeScript reads that run only when another env variable is set or unset (`EnvRead.onlyWhen`):
 * a branch on a direct presence test of one variable, its `else`, an early return before the
 * read, a `const` bound to the tested read, `?:` and `&&`. Comparisons with values are no
 * switches. Minimal reproductions written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extract } from './ts-facts';
import type { FileFacts } from '../../server/src/core/facts';

before(ready);

/** The switches of the one read of `name`, as `A` (set) / `!A` (unset), sorted. */
function when(f: FileFacts, name: string): string[] {
  const r = f.reads.filter((x) => x.name === name);
  assert.equal(r.length, 1, `expected one read of ${name}, got ${r.length}`);
  return (r[0]!.onlyWhen ?? []).map((s) => (s.set ? s.name : `!${s.name}`)).sort();
}

test('a branch on a presence test: its body needs the variable set, its else unset', () => {
  const text = [
    'if (process.env.USE_REDIS) {',
    '  connect(process.env.REDIS_URL!);',
    '} else if (process.env["USE_MEMCACHE"]) {',
    '  connect(process.env.MEMCACHE_SERVERS!);',
    '} else {',
    '  connect(process.env.DISK_CACHE_DIR!);',
    '}',
    'connect(process.env.AFTER_BLOCK!);',
    'if (!process.env.SQL_INSTANCE) {',
    '  use(process.env.LOCAL_PASSWORD!);',
    '} else {',
    '  use(process.env.SOCKET_DIR!);',
    '}',
    "if ('TRACING' in process.env) use(process.env.COLLECTOR_URL!);",
    'if (process.env.FEATURE_A !== undefined) use(process.env.FEATURE_A_KEY!);',
    'if (process.env.OUTER_ON && !process.env.INNER_OFF) use(process.env.NESTED_KEY!);',
    'if (process.env.MAIL_ON || process.env.SMS_ON) { use(process.env.NOTIFY_SENDER!); } else { use(process.env.NOTIFY_SINK!); }',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(when(f, 'REDIS_URL'), ['USE_REDIS']);
  assert.deepEqual(when(f, 'MEMCACHE_SERVERS'), ['!USE_REDIS', 'USE_MEMCACHE']);
  assert.deepEqual(when(f, 'DISK_CACHE_DIR'), ['!USE_MEMCACHE', '!USE_REDIS']);
  assert.deepEqual(when(f, 'AFTER_BLOCK'), []);
  assert.deepEqual(when(f, 'LOCAL_PASSWORD'), ['!SQL_INSTANCE']);
  assert.deepEqual(when(f, 'SOCKET_DIR'), ['SQL_INSTANCE']);
  assert.deepEqual(when(f, 'COLLECTOR_URL'), ['TRACING']);
  assert.deepEqual(when(f, 'FEATURE_A_KEY'), ['FEATURE_A']);
  assert.deepEqual(when(f, 'NESTED_KEY'), ['!INNER_OFF', 'OUTER_ON']);
  assert.deepEqual(when(f, 'NOTIFY_SENDER'), []);
  assert.deepEqual(when(f, 'NOTIFY_SINK'), ['!MAIL_ON', '!SMS_ON']);
});

test('early return, a const bound to the read, ?: and &&', () => {
  const text = [
    'export function reports() {',
    '  if (!process.env.REPORTS_ON) return;',
    '  send(process.env.REPORTS_TOKEN!);',
    '}',
    'export function other() {',
    '  return process.env.OTHER_TOKEN!;',
    '}',
    'export function partial() {',
    '  if (!process.env.PARTIAL_ON) log("off");',
    '  return process.env.PARTIAL_TOKEN!;',
    '}',
    'export function bound() {',
    '  const conn = process.env.INSTANCE_CONN;',
    '  if (conn) { use(process.env.INSTANCE_USER!); } else { use(process.env.PLAIN_HOST!); }',
    "  const dflt = process.env.DEFAULTED ?? 'x';",
    '  if (dflt) use(process.env.DEFAULTED_KEY!);',
    '}',
    'const key = process.env.QUEUE_ON ? process.env.QUEUE_KEY! : undefined;',
    'const token = process.env.AUDIT_ON && process.env.AUDIT_TOKEN!;',
    'export function config() {',
    '  const payTo = process.env.PAY_TO;',
    '  if (!payTo) throw new Error("PAY_TO is required");',
    '  return { payTo, enclave: process.env.ENCLAVE_URL! };',
    '}',
  ].join('\n');
  const f = extract(text);
  // A guard that throws is no switch: the variable is required, and what follows is needed too.
  assert.deepEqual(when(f, 'ENCLAVE_URL'), []);
  assert.deepEqual(when(f, 'REPORTS_TOKEN'), ['REPORTS_ON']);
  assert.deepEqual(when(f, 'OTHER_TOKEN'), []);
  assert.deepEqual(when(f, 'PARTIAL_TOKEN'), []);
  assert.deepEqual(when(f, 'INSTANCE_USER'), ['INSTANCE_CONN']);
  assert.deepEqual(when(f, 'PLAIN_HOST'), ['!INSTANCE_CONN']);
  assert.deepEqual(when(f, 'DEFAULTED_KEY'), []);
  assert.deepEqual(when(f, 'QUEUE_KEY'), ['QUEUE_ON']);
  assert.deepEqual(when(f, 'AUDIT_TOKEN'), ['AUDIT_ON']);
});

test('through an alias of the env object (a parameter defaulting to process.env, a const holding it), early returns switch as on process.env', () => {
  const text = [
    'export const creds = (env: NodeJS.ProcessEnv = process.env) => {',
    '  const apiKey = env.API_KEY_A;',
    '  if (!apiKey) return null;',
    '  return { apiKey, passphrase: env.PASS_A };',
    '};',
    'const e = process.env;',
    'export function other() {',
    '  if (!e.API_KEY_C) return null;',
    '  return e.PASS_C;',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(when(f, 'PASS_A'), ['API_KEY_A']);
  assert.deepEqual(when(f, 'PASS_C'), ['API_KEY_C']);
});

test('look-alikes: comparisons with environments, the read\'s own name, other conditions', () => {
  const text = [
    "if (process.env.APP_ENV === 'prod') use(process.env.PROD_ONLY_KEY!);",
    "if (process.env.BETA === 'true') use(process.env.BETA_KEY!);",
    'if (process.env.SELF_SWITCH) use(process.env.SELF_SWITCH);',
    'if (ready()) use(process.env.PLAIN_KEY!);',
    'if (config.feature) use(process.env.CONFIG_KEY!);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(when(f, 'PROD_ONLY_KEY'), []);
  // A comparison with a value that names no environment is a value switch (BETA set to 'true').
  assert.deepEqual(when(f, 'BETA_KEY'), ['BETA']);
  assert.deepEqual(f.reads.find((r) => r.name === 'BETA_KEY')!.onlyWhen, [{ name: 'BETA', set: true, equals: 'true' }]);
  assert.ok(f.reads.filter((r) => r.name === 'SELF_SWITCH').every((r) => !r.onlyWhen), 'no switch on the read\'s own name');
  assert.deepEqual(when(f, 'PLAIN_KEY'), []);
  assert.deepEqual(when(f, 'CONFIG_KEY'), []);
});

/** A private field that starts falsy and is set only inside a presence test. */
const flagClass = (field: string, extra = '') => [
  "import { ConfigService } from '@nestjs/config';",
  'export class Notifier {',
  `  ${field}`,
  '  constructor(private readonly config: ConfigService) {',
  "    const key = this.config.get('PUSH_KEY');",
  '    if (key && process.env.PUSH_PROJECT) { this.on = true; }',
  '  }',
  extra,
  '  send() {',
  '    if (!this.on) return;',
  "    use(this.config.get('PUSH_TOPIC'));",
  '  }',
  '}',
].join('\n');

test('a flag field set only where variables are set: reads behind it need them', () => {
  assert.deepEqual(when(extract(flagClass('private on = false;')), 'PUSH_TOPIC'), ['PUSH_KEY', 'PUSH_PROJECT']);
  assert.deepEqual(when(extract(flagClass('#on?: boolean;').replace(/this\.on/g, 'this.#on')), 'PUSH_TOPIC'), ['PUSH_KEY', 'PUSH_PROJECT']);
  assert.deepEqual(when(extract(flagClass('protected on: boolean | null = null;')), 'PUSH_TOPIC'), ['PUSH_KEY', 'PUSH_PROJECT']);
});

test('look-alikes: a public flag, a flag that starts true, one set elsewhere unconditionally', () => {
  assert.deepEqual(when(extract(flagClass('on = false;')), 'PUSH_TOPIC'), [], 'other code may set a public field');
  assert.deepEqual(when(extract(flagClass('private on = true;')), 'PUSH_TOPIC'), []);
  assert.deepEqual(when(extract(flagClass('private on = false;', '  enable() { this.on = true; }')), 'PUSH_TOPIC'), []);
  assert.deepEqual(when(extract(flagClass('private on = false;', '  toggle() { this.on ||= true; }')), 'PUSH_TOPIC'), []);
  // A ConfigService read with a fallback is never absent: it tests nothing.
  const withFallback = flagClass('private on = false;').replace("this.config.get('PUSH_KEY')", "this.config.get('PUSH_KEY', 'k')");
  assert.deepEqual(when(extract(withFallback), 'PUSH_TOPIC'), ['PUSH_PROJECT']);
});

/** The value switches of the one read of `name`, as `A=v` (`A=v|unset` when unset takes v too). */
function values(f: FileFacts, name: string): string[] {
  const r = f.reads.filter((x) => x.name === name);
  assert.equal(r.length, 1, `expected one read of ${name}, got ${r.length}`);
  return (r[0]!.onlyWhen ?? []).map((s) => `${s.name}=${s.equals ?? (s.set ? 'set' : 'unset')}${s.orUnset ? '|unset' : ''}`).sort();
}

test('a switch statement on a variable\'s value: a clause of one literal runs only when the variable is that value, and the file\'s own functions called only there too', () => {
  const text = [
    'export async function authenticate(token: string) {',
    "  const strategy = process.env.AUTH_STRATEGY || 'custom';",
    '  switch (strategy) {',
    "    case 'firebase':",
    '      return verifyFirebase(token, process.env.FIREBASE_AUDIENCE!);',
    "    case 'custom':",
    '      return verifyCustom(token);',
    "    case 'a':",
    "    case 'b':",
    '      return use(process.env.EITHER_KEY!);',
    '    default:',
    '      return use(process.env.DEFAULT_KEY!);',
    '  }',
    '}',
    'export function refresh(token: string) {',
    "  if ((process.env.AUTH_STRATEGY || 'custom') === 'custom') return verifyCustom(token);",
    '  return null;',
    '}',
    'async function verifyCustom(token: string) {',
    '  const secret = process.env.JWT_SECRET;',
    "  if (!secret) throw new Error('JWT_SECRET not configured');",
    '  return check(token, secret);',
    '}',
    // Look-alikes: a local function also handed on as a callback, an exported one.
    'function signWith(token: string) { return sign(token, process.env.SIGNING_KEY!); }',
    "export function issue(t: string) { if (process.env.AUTH_STRATEGY === 'custom') return signWith(t); return [t].map(signWith); }",
    'export function verifyExported(token: string) { return check(token, process.env.EXPORTED_SECRET!); }',
    "export function viaExported(t: string) { if (process.env.AUTH_STRATEGY === 'custom') return verifyExported(t); return null; }",
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(values(f, 'FIREBASE_AUDIENCE'), ['AUTH_STRATEGY=firebase']);
  assert.deepEqual(values(f, 'JWT_SECRET'), ['AUTH_STRATEGY=custom|unset']);
  assert.deepEqual(values(f, 'EITHER_KEY'), []);
  assert.deepEqual(values(f, 'DEFAULT_KEY'), []);
  assert.deepEqual(values(f, 'SIGNING_KEY'), []);
  assert.deepEqual(values(f, 'EXPORTED_SECRET'), []);
});

test('a value a function of the file returns (`const provider = getProvider()`), checked against a list or thrown away: a branch on it switches as on the variable, through the module\'s own functions it calls, however deep', () => {
  const text = [
    "type Provider = 'openai' | 'gemini';",
    'const getProvider = (): Provider => {',
    "  const raw = (process.env.AI_PROVIDER ?? 'openai').trim().toLowerCase();",
    "  if (raw === 'openai' || raw === 'gemini') return raw;",
    '  throw new Error(`bad provider ${raw}`);',
    '};',
    "function arrow() { return process.env.AI_PROVIDER || 'openai'; }",
    "function mixed() { const v = process.env.AI_PROVIDER; if (!v) return 'gemini'; return v; }",
    'const geminiKey = () => { const k = process.env.GEMINI_KEY; if (!k) throw new Error("no key"); return k; };',
    // Two levels of the module's own functions below the branch.
    'const vertexClient = () => { const k = process.env.VERTEX_KEY; if (!k) throw new Error("no key"); return k; };',
    'async function callVertex() { return vertexClient(); }',
    'export async function run() {',
    '  const provider = getProvider();',
    "  if (provider === 'gemini') return geminiKey();",
    "  if (arrow() === 'ollama') return use(process.env.LOCAL_KEY!);",
    "  if (mixed() === 'gemini') return use(process.env.MIXED_KEY!);",
    "  if (provider === 'vertex') return callVertex();",
    '  return null;',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(values(f, 'GEMINI_KEY'), ['AI_PROVIDER=gemini']);
  assert.deepEqual(values(f, 'LOCAL_KEY'), ['AI_PROVIDER=ollama']);
  assert.deepEqual(values(f, 'VERTEX_KEY'), ['AI_PROVIDER=vertex']);
  // A return the variable does not give (a literal): no switch.
  assert.deepEqual(values(f, 'MIXED_KEY'), []);
});

test('across modules: a required read in an exported function nothing else in its file names gets that name; calls of imported functions record their switches', () => {
  const provider = extract([
    'export async function ttsOpenAI(text: string) {',
    "  if (!process.env.OPENAI_API_KEY) throw new Error('OPENAI_API_KEY is not set');",
    '  return text;',
    '}',
    'export function usedHere() {',
    '  return process.env.USED_KEY!.trim();',
    '}',
    'export const warm = () => usedHere();',
    'function local() {',
    '  return process.env.LOCAL_KEY!.trim();',
    '}',
    'export function listed() {',
    '  return process.env.LISTED_KEY!.trim();',
    '}',
    'export { listed as alsoListed };',
    "export const optionalKey = () => process.env.OPTIONAL_KEY ?? 'none';",
  ].join('\n'), 'server/tts/openai.ts');
  assert.deepEqual(provider.reads.map((r) => [r.name, r.calledAs ?? null]), [
    ['OPENAI_API_KEY', 'ttsOpenAI'],
    ['USED_KEY', null],
    ['LOCAL_KEY', null],
    // Named twice by the export list under another name: not followed.
    ['LISTED_KEY', null],
    ['OPTIONAL_KEY', null],
  ]);
  const dispatcher = extract([
    "import { ttsOpenAI, ttsAzure as azure } from './openai';",
    "import { handedOn } from './other';",
    "import voice from './voice';",
    'export async function speak(text: string) {',
    '  if (process.env.OPENAI_API_KEY) return ttsOpenAI(text);',
    '  if (process.env.AZURE_KEY) { await azure(text); return azure(text); }',
    '  if (process.env.HANDED) handedOn(text);',
    '  const later = [handedOn];',
    '  if (process.env.VOICE) return voice(text);',
    '  return later;',
    '}',
  ].join('\n'), 'server/tts/index.ts');
  // A function also handed on as a value, and a default import, are not recorded; after the early
  // return, the Azure calls run only where the OpenAI key is unset.
  assert.deepEqual(dispatcher.switchedCalls, {
    ttsAzure: [{ name: 'OPENAI_API_KEY', set: false }, { name: 'AZURE_KEY', set: true }],
    ttsOpenAI: [{ name: 'OPENAI_API_KEY', set: true }],
  });
});

test('a module\'s own function called only where the variable it needs is set: its read is optional', () => {
  const f = extract([
    'function sendMail(to: string) {',
    "  if (!process.env.SMTP_HOST) throw new Error('SMTP_HOST missing');",
    '  return to;',
    '}',
    'function sendSms(to: string) {',
    '  return process.env.SMS_KEY!.slice(0, 4) + to;',
    '}',
    'export function notify(to: string) {',
    '  if (process.env.SMTP_HOST) sendMail(to);',
    // Look-alike: called where the variable is unset.
    '  if (!process.env.SMS_KEY) sendSms(to);',
    '}',
  ].join('\n'), 'server/notify.ts');
  const mail = f.reads.find((r) => r.name === 'SMTP_HOST' && r.span.start < 100)!;
  assert.equal(mail.hasDefault, true);
  assert.equal(mail.optionalBecause, 'callers-test');
  const sms = f.reads.find((r) => r.name === 'SMS_KEY' && !r.hasDefault);
  assert.ok(sms, 'a call where the variable is unset leaves the read required');
});

test('getters across modules: a read an exported function returns whole names it (returnedBy); callers record whether each call copes (getterCalls)', () => {
  const env = extract([
    'export function getDatabaseUrl(): string | undefined {',
    '  return process.env.DATABASE_URL;',
    '}',
    'export const getKeyJson = () => process.env.KEY_JSON;',
    'export function getBucket() {',
    '  return process.env.BUCKET_NAME;',
    '}',
    // Called in its own file where the value is needed: its callers elsewhere do not decide.
    'export const bucketPath = (p: string) => getBucket()!.trim() + p;',
    'export function getRegion() {',
    '  return process.env.REGION_NAME;',
    '}',
    // Called in its own file where a missing value is coped with: other files decide.
    'export const regionOrDefault = () => getRegion() ?? "europe-west1";',
  ].join('\n'), 'ui/src/server/env.ts');
  assert.deepEqual(env.reads.map((r) => [r.name, r.returnedBy ?? null]), [
    ['DATABASE_URL', 'getDatabaseUrl'],
    ['KEY_JSON', 'getKeyJson'],
    ['BUCKET_NAME', null],
    ['REGION_NAME', 'getRegion'],
  ]);
  const caller = extract([
    "import { getDatabaseUrl, getKeyJson as keyJson } from '@/server/env';",
    "import { getBucket } from './env';",
    "import { getAuth } from 'firebase-admin/auth';",
    'export function pool() {',
    '  const url = getDatabaseUrl();',
    "  if (!url) throw new Error('DATABASE_URL is required');",
    '  return url;',
    '}',
    'export const credential = () => { const raw = keyJson(); return raw ? JSON.parse(raw) : null; };',
    'export const later = [getBucket];',
    'export const auth = () => getAuth() ?? null;',
  ].join('\n'), 'ui/src/server/db.ts');
  // A function also handed on as a value, and a package's function, get no verdict.
  assert.deepEqual(caller.getterCalls, { getDatabaseUrl: 'required', getKeyJson: 'optional' });
});

test('a client bound by `A ? new Client(A) : null` switches on A; a private method called only under it inherits the switch', () => {
  const f = extract([
    "import Stripe from 'stripe';",
    'const stripe = process.env.STRIPE_KEY ? new Stripe(process.env.STRIPE_KEY) : null;',
    'const mailer = process.env.SMTP_URL ? null : makeMailer();',
    'export class Billing {',
    '  async create(tier: string, customer?: string) {',
    '    if (tier !== "free" && customer && stripe) await stripe.subscriptions.create({ customer, price: this.priceId(tier) });',
    '  }',
    '  async update(id: string | undefined, tier: string) {',
    '    if (id && stripe) await stripe.subscriptions.update(id, { price: this.priceId(tier) });',
    '    if (mailer) send(process.env.MAIL_FALLBACK_KEY!);',
    '  }',
    '  private priceId(tier: string): string {',
    '    return tier === "pro" ? process.env.PRO_PRICE_ID! : process.env.TEAM_PRICE_ID!;',
    '  }',
    // Look-alikes: a private method also called outside the switch, one handed on as a callback,
    // a public method called only under it (a subclass or another module may call it).
    '  private taxId(): string { return process.env.TAX_ID!; }',
    '  private webhook(): string { return process.env.WEBHOOK_SECRET!; }',
    '  publicPrice(): string { return process.env.PUBLIC_PRICE_ID!; }',
    '  run() {',
    '    if (stripe) { this.taxId(); this.publicPrice(); register(this.webhook); }',
    '    this.taxId();',
    '  }',
    '}',
  ].join('\n'), 'server/billing.ts');
  assert.deepEqual(when(f, 'PRO_PRICE_ID'), ['STRIPE_KEY']);
  assert.deepEqual(when(f, 'TEAM_PRICE_ID'), ['STRIPE_KEY']);
  // `A ? null : client`: truthy only where A is unset.
  assert.deepEqual(when(f, 'MAIL_FALLBACK_KEY'), ['!SMTP_URL']);
  assert.deepEqual(when(f, 'TAX_ID'), []);
  assert.deepEqual(when(f, 'WEBHOOK_SECRET'), []);
  assert.deepEqual(when(f, 'PUBLIC_PRICE_ID'), []);
});

test('a class its file constructs only behind one switch: its reads carry the class name, the file the switches', () => {
  const f = extract([
    'export class LocalKeys {',
    "  key = process.env.LOCAL_KEY ?? '';",
    '  constructor() {',
    "    if (!process.env.LOCAL_SALT) throw new Error('LOCAL_SALT is required for LocalKeys');",
    '  }',
    '}',
    'class KmsKeys { ring = process.env.KMS_RING!; }',
    'class Mailer { host = process.env.MAIL_HOST!; }',
    'class Cache { url = process.env.CACHE_URL!; static shared = 1; }',
    'export const keys = () => (process.env.KMS_KEY_ID ? new KmsKeys() : new LocalKeys());',
    // Look-alikes: constructed outside any switch too; named in code besides its constructions.
    'export const mail = () => (process.env.SMTP_ON ? new Mailer() : null);',
    'export const mail2 = () => new Mailer();',
    'export const cache = () => (process.env.CACHE_ON ? new Cache() : Cache.shared);',
  ].join('\n'), 'server/keys.ts');
  const salt = f.reads.find((r) => r.name === 'LOCAL_SALT')!;
  assert.equal(salt.calledAs, 'LocalKeys');
  assert.equal(f.reads.find((r) => r.name === 'KMS_RING')!.calledAs, 'KmsKeys');
  assert.deepEqual(f.switchedCalls?.LocalKeys, [{ name: 'KMS_KEY_ID', set: false }]);
  assert.deepEqual(f.switchedCalls?.KmsKeys, [{ name: 'KMS_KEY_ID', set: true }]);
  assert.equal(f.reads.find((r) => r.name === 'MAIL_HOST')!.calledAs, undefined);
  assert.equal(f.reads.find((r) => r.name === 'CACHE_URL')!.calledAs, undefined);
  assert.equal(f.switchedCalls?.Mailer, undefined);
});
