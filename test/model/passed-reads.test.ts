/**
 * A read passed unguarded to a function of another workspace file is optional when that function
 * declares the parameter (or the property of an options parameter) optional or handles its absence:
 * `ask(q, { modelName: process.env.SUMMARY_MODEL })` into `ask(…, options: { modelName?: string })`
 * whose body falls back to a default; the same for a function of the reading file itself. A
 * required parameter or a package's function still make it a requirement of the deploy. Minimal original reproduction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Files } from '../rule-harness';

const DEPLOY = 'gcloud run deploy api-staging --source services/api --project acme-staging --set-env-vars LLM_KEY=k\n';

const ROUTE = [
  "import { ask } from '../lib/llm.js';",
  'export async function explain(q: string) {',
  '  return ask([q], { temperature: 0.3, modelName: process.env.SUMMARY_MODEL });',
  '}',
  '',
].join('\n');

function llm(options: string, body: string): string {
  return [
    `export async function ask(messages: string[], options: ${options} = {}) {`,
    body,
    "  const key = process.env.LLM_KEY || '';",
    '  return { messages, model, key };',
    '}',
    '',
  ].join('\n');
}

function workspace(files: Files): Files {
  return { 'services/api/package.json': '{ "name": "api" }\n', 'deploy/api-staging.sh': DEPLOY, ...files };
}

async function unset(files: Files): Promise<string[]> {
  const { findings } = await analyze(workspace(files));
  return findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message);
}

const MISSING = 'api (staging) is deployed without SUMMARY_MODEL, which services/api/src/routes/explain.ts reads';

test('quiet: the callee declares the property optional and falls back', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': ROUTE,
    'services/api/src/lib/llm.ts': llm('{ temperature?: number; modelName?: string }',
      "  const { temperature = 0.7, modelName } = options;\n  const model = modelName || process.env.LLM_MODEL || 'small';"),
  }), []);
});

test('quiet: the property is not declared optional but the callee falls back', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': ROUTE,
    'services/api/src/lib/llm.ts': llm('{ temperature: number; modelName: string }', "  const model = options.modelName ?? 'small';"),
  }), []);
});

test('quiet: a direct argument into an optional parameter, through an index file', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': "import { ask } from '../lib';\nexport const go = (q: string) => ask(q, process.env.SUMMARY_MODEL);\n",
    'services/api/src/lib/index.ts': "export function ask(q: string, modelName?: string) { const model = modelName ?? 'small'; return [q, model, process.env.LLM_KEY]; }\n",
  }), []);
});

test('quiet: a direct argument into a parameter whose type takes undefined or null; reported when the body still fails without it', async () => {
  const route = "import { buildOrigins } from '../lib/cors';\nexport const origins = buildOrigins(['https://a.example'], process.env.SUMMARY_MODEL);\n";
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': route,
    'services/api/src/lib/cors.ts': "export function buildOrigins(base: string[], extra: string | undefined | null) { return [...base, ...(extra ?? '').split(',')]; }\nexport const key = process.env.LLM_KEY;\n",
  }), []);
  const [msg] = await unset({
    'services/api/src/routes/explain.ts': route,
    'services/api/src/lib/cors.ts': "export function buildOrigins(base: string[], extra: string | null) { if (!extra) throw new Error('no origins'); return [...base, extra]; }\nexport const key = process.env.LLM_KEY;\n",
  });
  assert.match(msg ?? '', /SUMMARY_MODEL/);
});

test('reported: the callee needs the property (required and used unguarded)', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': ROUTE,
    'services/api/src/lib/llm.ts': llm('{ temperature?: number; modelName: string }', '  const model = options.modelName.trim();'),
  }), [MISSING]);
});

test('reported: the function comes from a package', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': ROUTE.replace("'../lib/llm.js'", "'openai'"),
    'services/api/src/lib/llm.ts': llm('{ temperature?: number; modelName?: string }', "  const model = options.modelName || 'small';"),
  }), [MISSING]);
});

test('reported: a local function of the same file passes it on unguarded', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': [
      "import { ask } from '../lib/llm.js';",
      'function pick(modelName: string) { return ask([], { modelName }); }',
      'export const go = () => pick(process.env.SUMMARY_MODEL);',
      '',
    ].join('\n'),
    'services/api/src/lib/llm.ts': llm('{ temperature?: number; modelName?: string }', "  const model = options.modelName || 'small';"),
  }), [MISSING]);
});

test('quiet: a function of the same file returns its fallback when the value is undefined', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': [
      'function readRatio(raw: string | undefined, fallback: number): number {',
      '  if (raw === undefined) return fallback;',
      '  const n = Number.parseFloat(raw);',
      '  return Number.isFinite(n) ? n : fallback;',
      '}',
      'export async function start() {',
      '  const go = async () => configure({ ratio: readRatio(process.env.SUMMARY_MODEL, 0.2) });',
      '  await go();',
      '}',
      'declare function configure(o: object): void;',
      '',
    ].join('\n'),
  }), []);
});

test('reported: a function of the same file uses the value unguarded', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': [
      'const normalise = (raw: string): string => raw.trim().toLowerCase();',
      'export const model = normalise(process.env.SUMMARY_MODEL);',
      '',
    ].join('\n'),
  }), [MISSING]);
});

test('quiet: a direct argument into a workspace package\'s function imported by the package\'s name, through its entry\'s re-exports', async () => {
  const route = "import { parseMode } from '@acme/shared';\nexport const mode = parseMode(process.env.SUMMARY_MODEL);\nexport const key = process.env.LLM_KEY;\n";
  // The callee module is one the prefilter admits (`as const`, as a mode parser's list of modes
  // is): optional parameters are recorded only for parsed files (docs/performance.md).
  const MODES = "export const MODES = ['fast', 'slow'] as const;\n";
  const shared = (entry: string, impl = "export function parseMode(value: string | null | undefined): 'fast' | 'slow' { return value === 'fast' ? 'fast' : 'slow'; }\n"): Files => ({
    'packages/shared/package.json': '{ "name": "@acme/shared", "main": "src/index.ts" }\n',
    'packages/shared/src/index.ts': entry,
    'packages/shared/src/mode.ts': MODES + impl,
  });
  for (const entry of ["export * from './mode.js';\n", "export { parseMode } from './mode';\n", "export { parseModeValue as parseMode, other } from './mode';\n"]) {
    const impl = entry.includes('parseModeValue')
      ? "export function parseModeValue(value?: string) { return value === 'fast' ? 'fast' : 'slow'; }\nexport const other = 1;\n"
      : undefined;
    assert.deepEqual(await unset({ 'services/api/src/routes/explain.ts': route, ...shared(entry, impl) }), [], entry);
  }
  // Look-alikes that stay reported: the package's function needs the value; the entry re-exports
  // another module's function of that name only under another name; a namespace re-export; an npm
  // package of the same export name; a value inside an object handed to the package.
  const needs = "export function parseMode(value: string): 'fast' | 'slow' { return value.trim() === 'fast' ? 'fast' : 'slow'; }\n";
  const cases: [string, Files][] = [
    ['needs', shared("export * from './mode';\n", needs)],
    ['renamed away', shared("export { parseMode as parseModeLoose } from './mode';\nexport function parseMode(value: string) { return value.trim(); }\n")],
    ['namespace', shared("export * as modes from './mode';\nexport function parseMode(value: string) { return value.trim(); }\n")],
    ['npm package', { 'services/api/src/routes/explain.ts': route.replace('@acme/shared', '@acme/other'), ...shared("export * from './mode';\n") }],
    ['inside an object', { 'services/api/src/routes/explain.ts': route.replace('parseMode(process.env.SUMMARY_MODEL)', 'parseMode({ value: process.env.SUMMARY_MODEL })'), ...shared("export * from './mode';\n", "export function parseMode(o: { value?: string }) { return o.value ?? 'slow'; }\n") }],
  ];
  for (const [what, files] of cases) {
    const [msg] = await unset({ 'services/api/src/routes/explain.ts': route, ...files });
    assert.match(msg ?? '', /SUMMARY_MODEL/, what);
  }
});

test('reported: the module does not resolve to a workspace file', async () => {
  assert.deepEqual(await unset({
    'services/api/src/routes/explain.ts': ROUTE.replace("'../lib/llm.js'", "'../lib/missing.js'"),
    'services/api/src/lib/llm.ts': llm('{ temperature?: number; modelName?: string }', "  const model = options.modelName || 'small';"),
  }), [MISSING]);
});

test('the read itself in the facts stays as extracted (facts are shared and cached)', async () => {
  const { ws } = await analyze(workspace({
    'services/api/src/routes/explain.ts': ROUTE,
    'services/api/src/lib/llm.ts': llm('{ modelName?: string }', "  const model = options.modelName || 'small';"),
  }));
  const model = ws.model();
  const ref = model.reads.find((r) => r.read.name === 'SUMMARY_MODEL');
  assert.ok(ref);
  assert.equal(ref.read.hasDefault, true);
  assert.equal(ref.read.optionalBecause, 'optional-parameter');
  const fact = model.files.get('services/api/src/routes/explain.ts')?.reads.find((r) => r.name === 'SUMMARY_MODEL');
  assert.equal(fact?.hasDefault, false);
});

test('quiet: a value handed on inside an object (nested, or a local object passed whole) to workspace code that is not seen to cope', async () => {
  const collector = "export async function collect(q: string, options: { credentials: { clientId: string } }) { return fetchAll(q, options); }\ndeclare function fetchAll(q: string, o: object): Promise<unknown>;\nexport const key = process.env.LLM_KEY;\n";
  const nested = "const collector = require('../lib/collector');\nexports.go = (q) => collector.collect(q, { credentials: { clientId: process.env.SUMMARY_MODEL } });\n";
  const local = "import { collect } from '../lib/collector';\nexport async function go(q: string) {\n  const options = { credentials: { clientId: process.env.SUMMARY_MODEL }, depth: 2 };\n  return collect(q, options);\n}\n";
  assert.deepEqual(await unset({ 'services/api/src/routes/explain.js': nested, 'services/api/src/lib/collector.ts': collector }), []);
  assert.deepEqual(await unset({ 'services/api/src/routes/explain.ts': local, 'services/api/src/lib/collector.ts': collector }), []);
  // Control: the same value used here, unguarded, is the deploy's requirement.
  const usedHere = "export function go(q: string) {\n  const clientId = process.env.SUMMARY_MODEL;\n  return q + clientId.trim();\n}\n";
  assert.deepEqual(await unset({ 'services/api/src/routes/explain.ts': usedHere, 'services/api/src/lib/collector.ts': collector }), [MISSING]);
});
