/**
 * A read whose value is passed, unguarded, to a function of another file of the workspace
 * (`ask(q, { modelName: process.env.SUMMARY_MODEL })` with `ask` imported from `./llm`) records
 * where it goes (`EnvRead.passedTo`); a file's exported functions record which parameters handle
 * an undefined value (`FileFacts.optionalParams`). The model joins the two (model/passed-reads.ts).
 * Minimal original reproductions.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extract, only } from './ts-facts';

before(ready);

test('passedTo: an argument, or a property of an object-literal argument, of a function imported from a relative module', () => {
  const f = extract([
    "import { ask, ask as query } from '../lib/llm';",
    "import send from './mailer.js';",
    "import * as store from './store';",
    'export async function run(q: string) {',
    '  await ask(q, { temperature: 0.2, modelName: process.env.SUMMARY_MODEL });',
    '  await query(q, process.env.QUERY_MODEL);',
    '  send(process.env.REPLY_TO);',
    '  store.open(process.env.BUCKET_ROOT);',
    '}',
  ].join('\n'));
  assert.deepEqual(only(f, 'SUMMARY_MODEL').passedTo, { module: '../lib/llm', name: 'ask', arg: 1, property: 'modelName' });
  assert.deepEqual(only(f, 'QUERY_MODEL').passedTo, { module: '../lib/llm', name: 'ask', arg: 1 });
  assert.deepEqual(only(f, 'REPLY_TO').passedTo, { module: './mailer.js', name: 'default', arg: 0 });
  assert.deepEqual(only(f, 'BUCKET_ROOT').passedTo, { module: './store', name: 'open', arg: 0 });
  for (const n of ['SUMMARY_MODEL', 'QUERY_MODEL', 'REPLY_TO', 'BUCKET_ROOT']) assert.equal(only(f, n).hasDefault, false, n);
});

test('passedTo: not for packages, local functions, guarded values, asserted values or values used on the way', () => {
  const f = extract([
    "import OpenAI from 'openai';",
    "import { ask } from '../lib/llm';",
    'function local(m: string) { return m.trim(); }',
    'export function run(q: string) {',
    '  new OpenAI({ apiKey: process.env.OPENAI_TOKEN });',
    '  OpenAI.create(process.env.PKG_MODEL);',
    '  local(process.env.LOCAL_MODEL);',
    "  ask(q, process.env.GUARDED_MODEL ?? 'small');",
    '  ask(q, process.env.ASSERTED_MODEL!);',
    '  ask(q, process.env.TRIMMED_MODEL.trim());',
    '  local({ nested: { modelName: process.env.LOCAL_NESTED } } as never);',
    '}',
  ].join('\n'));
  for (const n of ['OPENAI_TOKEN', 'PKG_MODEL', 'LOCAL_MODEL', 'GUARDED_MODEL', 'ASSERTED_MODEL', 'TRIMMED_MODEL', 'LOCAL_NESTED']) {
    assert.equal(only(f, n).passedTo, undefined, n);
  }
  assert.equal(only(f, 'GUARDED_MODEL').hasDefault, true);
});

test('passedTo, handed on: nested in the argument, or in a local object passed whole; CommonJS requires of relative modules', () => {
  const f = extract([
    "const collector = require('../services/collector');",
    "const { notify } = require('./notify');",
    "const axios = require('axios');",
    "import { ask } from '../lib/llm';",
    'export async function run(q: string) {',
    '  await ask(q, { nested: { modelName: process.env.NESTED_MODEL } });',
    '  const options = { credentials: { clientId: process.env.SOCIAL_CLIENT_ID }, depth: 2 };',
    '  await collector.collect(q, options);',
    '  notify({ channel: process.env.NOTIFY_CHANNEL });',
    // Look-alikes: a local object also read here, one passed to a package, one passed twice.
    '  const creds = { token: process.env.USED_TOKEN };',
    '  console.log(creds.token.length);',
    '  await collector.collect(q, creds);',
    "  const http = { headers: { 'x-key': process.env.HTTP_KEY } };",
    "  await axios.get('https://example.com', http);",
    '}',
  ].join('\n'));
  assert.deepEqual(only(f, 'NESTED_MODEL').passedTo, { module: '../lib/llm', name: 'ask', arg: 1, property: 'nested.modelName', handedOn: true });
  assert.deepEqual(only(f, 'SOCIAL_CLIENT_ID').passedTo, { module: '../services/collector', name: 'collect', arg: 1, property: 'credentials.clientId', handedOn: true });
  assert.deepEqual(only(f, 'NOTIFY_CHANNEL').passedTo, { module: './notify', name: 'notify', arg: 0, property: 'channel' });
  for (const n of ['USED_TOKEN', 'HTTP_KEY']) assert.equal(only(f, n).passedTo, undefined, n);
});

test('passedTo, handed on: a property assigned to a local object later passed whole to workspace code', () => {
  const f = extract([
    "const start = require('../lib');",
    "import { serve } from './server';",
    'const flags = parse(process.argv);',
    'flags.pageDelay = process.env.PAGE_DELAY;',
    'flags.inviteUrl = process.env.INVITE_URL;',
    'flags.silent = Boolean(process.env.QUIET);',
    'const { port } = flags;',
    'if (!flags.silent) console.log(port);',
    'start(flags);',
    'export function run() {',
    '  const opts = {} as Record<string, string | undefined>;',
    '  opts.region = process.env.RUN_REGION;',
    '  serve(opts);',
    // Look-alikes: the same property read here, destructured here, or the object given to a package too.
    '  const used = {} as Record<string, string | undefined>;',
    '  used.token = process.env.USED_TOKEN;',
    '  console.log(used.token!.length);',
    '  serve(used);',
    '  const picked = {} as Record<string, string | undefined>;',
    '  picked.zone = process.env.PICKED_ZONE;',
    '  const { zone } = picked;',
    '  serve(picked, zone!.trim());',
    '  const logged = {} as Record<string, string | undefined>;',
    '  logged.key = process.env.LOGGED_KEY;',
    '  console.log(logged);',
    '  serve(logged);',
    '}',
  ].join('\n'));
  assert.deepEqual(only(f, 'PAGE_DELAY').passedTo, { module: '../lib', name: 'default', arg: 0, property: 'pageDelay', handedOn: true });
  assert.deepEqual(only(f, 'INVITE_URL').passedTo, { module: '../lib', name: 'default', arg: 0, property: 'inviteUrl', handedOn: true });
  assert.deepEqual(only(f, 'RUN_REGION').passedTo, { module: './server', name: 'serve', arg: 0, property: 'region', handedOn: true });
  for (const n of ['USED_TOKEN', 'PICKED_ZONE', 'LOGGED_KEY']) assert.equal(only(f, n).passedTo, undefined, n);
});

test('a command-line option\'s default: its need is decided where the options are used (unseen); a required option and the flags are not', () => {
  const f = extract([
    "import { program } from 'commander';",
    "program.option('-c, --channels <list>', 'Channels to allow', process.env.CHANNELS);",
    "program.option('-p, --port <n>', 'Port', parseInt, process.env.CLI_PORT);",
    "program.requiredOption('-t, --token <t>', 'API token', process.env.API_TOKEN);",
    "program.option(process.env.FLAG_SPEC, 'odd but possible');",
    'program.parse();',
  ].join('\n'));
  for (const n of ['CHANNELS', 'CLI_PORT']) assert.equal(only(f, n).needUnseen, true, n);
  for (const n of ['API_TOKEN', 'FLAG_SPEC']) assert.equal(only(f, n).needUnseen, undefined, n);
  for (const n of ['CHANNELS', 'CLI_PORT', 'API_TOKEN', 'FLAG_SPEC']) assert.equal(only(f, n).hasDefault, false, n);
});

test('optionalParams: declared optional, a default, or handled in the body, of exported functions only', () => {
  const f = extract([
    'const KEY = process.env.LLM_KEY;',
    'interface AskOptions { region?: string; tier: string }',
    'export async function ask(messages: string[], options: { temperature?: number; modelName?: string; lane: string } = {}) {',
    "  const model = options.modelName || 'small';",
    '  return [messages, model, options.lane.trim()];',
    '}',
    'export const summarize = (text: string, model?: string) => text;',
    "export function translate(text: string, target = 'en') { return text + target; }",
    "export function route(text: string, lane: string) { const l = lane || 'default'; return text + l; }",
    'export function strict(text: string, lane: string) { return text + lane.toUpperCase(); }',
    'function internal(a?: string) { return a; }',
    'export default function (to?: string) { return to; }',
    "export function unpack({ region = 'eu', zone }: { region?: string; zone: string }) { if (zone) return region; return 'none'; }",
    'export function viaBody(opts: AskOptions) {',
    "  const { region = 'eu', tier } = opts;",
    "  const size = opts.size ?? 'm';",
    '  return region + tier.trim() + size;',
    '}',
    'export function named(opts: AskOptions) { return opts; }',
    'const helper = (x?: string) => x;',
    'export { helper as publicHelper };',
  ].join('\n'));
  const got = (f.optionalParams ?? []).map((p) => `${p.name}#${p.arg}${p.property ? `.${p.property}` : ''}`).sort();
  assert.deepEqual(got, [
    'ask#1',
    'ask#1.modelName',
    'ask#1.temperature',
    'default#0',
    'named#0.region',
    'publicHelper#0',
    'route#1',
    'summarize#1',
    'translate#1',
    'unpack#0.region',
    'unpack#0.zone',
    'viaBody#0.region',
    'viaBody#0.size',
  ]);
});

test('optionalParams: none for a file without exported functions', () => {
  const f = extract('const KEY = process.env.LLM_KEY;\nfunction inner(a?: string) { return a; }\nexport const n = 1;\n');
  assert.equal(f.optionalParams, undefined);
});

test('a function of the file that converts its parameter to a number and answers NaN with its fallback copes without it', () => {
  const f = extract([
    'function ensurePositive(value, fallback) {',
    '  const number = Number(value);',
    '  if (!Number.isInteger(number) || number < 1) return fallback;',
    '  return number;',
    '}',
    'function toMs(value: string | undefined, fallback: number) {',
    '  const n = parseInt(value as string, 10);',
    '  return Number.isFinite(n) ? n : fallback;',
    '}',
    // Look-alikes: NaN used as a number, and NaN refused with a throw.
    'function doubled(value) {',
    '  const n = Number(value);',
    '  return n * 2;',
    '}',
    'function strict(value) {',
    '  const n = Number(value);',
    "  if (!Number.isFinite(n)) throw new Error('not a number');",
    '  return n;',
    '}',
    'export const a = ensurePositive(process.env.QUEUE_ATTEMPTS, 1);',
    'export const b = toMs(process.env.QUEUE_TIMEOUT_MS, 500);',
    'export const c = doubled(process.env.QUEUE_SCALE);',
    'export const d = strict(process.env.QUEUE_LIMIT);',
  ].join('\n'));
  assert.deepEqual([only(f, 'QUEUE_ATTEMPTS').hasDefault, only(f, 'QUEUE_ATTEMPTS').optionalBecause], [true, 'optional-parameter']);
  assert.equal(only(f, 'QUEUE_TIMEOUT_MS').hasDefault, true);
  assert.equal(only(f, 'QUEUE_SCALE').hasDefault, false);
  assert.equal(only(f, 'QUEUE_LIMIT').hasDefault, false);
});

test('a read bound to a local that is only handed to a function: that function\'s parameter decides, in this file and in another', () => {
  const f = extract([
    "import { ask } from './llm';",
    'export class Verifier {',
    '  async verify(data: string) {',
    "    const secret = process.env.SHARED_SECRET;",
    '    const first = await this.post(data, secret);',
    '    return first ?? this.post(data, secret);',
    '  }',
    '  async strict(data: string) {',
    '    const key = process.env.STRICT_KEY;',
    '    return this.sign(data, key);',
    '  }',
    '  async mixed(data: string) {',
    '    const token = process.env.MIXED_TOKEN;',
    '    console.log(token.length);',
    '    return this.post(data, token);',
    '  }',
    '  async elsewhere(q: string) {',
    '    const model = process.env.SUMMARY_MODEL;',
    '    return ask(q, model);',
    '  }',
    '  private async post(data: string, password?: string) {',
    '    const body: { d: string; password?: string } = { d: data };',
    '    if (password) body.password = password;',
    '    return body;',
    '  }',
    '  private sign(data: string, key: string) { return key.concat(data); }',
    '}',
  ].join('\n'));
  assert.deepEqual(only(f, 'SHARED_SECRET').optionalBecause, 'optional-parameter');
  assert.equal(only(f, 'STRICT_KEY').hasDefault, false);
  assert.equal(only(f, 'MIXED_TOKEN').hasDefault, false);
  // Another file's function: recorded for the model, as a value passed straight on is.
  assert.deepEqual(only(f, 'SUMMARY_MODEL').passedTo, { module: './llm', name: 'ask', arg: 1 });
});

test('a local written as a shorthand property of an object argument (`start({ port, jobsDir })`) is passed as that property', () => {
  const f = extract([
    "import { start } from './server';",
    'const jobsDir = process.env.JOBS_DIR;',
    'const cache = process.env.CACHE_DIR;',
    'start({ port: 8080, jobsDir });',
    // Also returned in an object nothing passes on: not decided by the callee.
    'start({ port: 8080, cache });',
    'export const settings = { cache };',
  ].join('\n'));
  assert.deepEqual(only(f, 'JOBS_DIR').passedTo, { module: './server', name: 'start', arg: 0, property: 'jobsDir' });
  assert.equal(only(f, 'CACHE_DIR').passedTo, undefined);
});

test('a read in an array literal handed to a function whose parameter takes missing elements (`unknown[]`, `(string | undefined)[]`, `Array<string | null>`) is optional; one whose elements must be strings, or an array used here first, is not', () => {
  const f = extract([
    "import { pick } from './ids';",
    'function candidates(values: unknown[]): string[] {',
    "  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);",
    '}',
    'const firstOf = (values: (string | undefined)[]) => values.find(Boolean);',
    'function nullable(values: Array<string | null>) { return values.filter(Boolean); }',
    'function strings(values: string[]) { return values.map((v) => v.trim()); }',
    'export const ids = candidates([process.env.OWNER_ID, "fallback"]);',
    'export const region = firstOf([process.env.REGION_A, process.env.REGION_B]);',
    'export const host = nullable([process.env.NULLABLE_HOST]);',
    'export const names = strings([process.env.STRICT_NAME]);',
    'export const nested = candidates([[process.env.NESTED_ID]]);',
    'export const other = pick([process.env.OTHER_ID]);',
  ].join('\n'));
  for (const name of ['OWNER_ID', 'REGION_A', 'REGION_B', 'NULLABLE_HOST']) {
    assert.deepEqual([only(f, name).hasDefault, only(f, name).optionalBecause], [true, 'optional-parameter'], name);
  }
  assert.equal(only(f, 'STRICT_NAME').hasDefault, false);
  assert.equal(only(f, 'NESTED_ID').hasDefault, false);
  // Another file's function: recorded for the model, with the elements named.
  assert.deepEqual(only(f, 'OTHER_ID').passedTo, { module: './ids', name: 'pick', arg: 0, property: '[]' });
});
