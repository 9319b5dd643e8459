import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractTypeScript, mayHoldTypeScriptFacts } from '../../server/src/extract/typescript';
import { findDbUrls } from '../../server/src/extract/db-url';
import { emptyFacts, type FileFacts } from '../../server/src/core/facts';
import type { ExtractOptions } from '../../server/src/extract/options';

before(ready);

function extract(text: string, file = 'svc/src/app.ts', options: ExtractOptions = { envAccessors: [] }): FileFacts {
  const facts = emptyFacts(file, 'typescript', 'h');
  extractTypeScript(file, text, facts, options);
  return facts;
}

function read(f: FileFacts, name: string) {
  const r = f.reads.filter((x) => x.name === name);
  assert.equal(r.length, 1, `expected one read of ${name}, got ${r.length}`);
  return r[0]!;
}

test('process.env shapes, defaults and exact spans', () => {
  const text = [
    'const a = process.env.A_VAR;',
    'const b = process.env["B_VAR"];',
    "const c = process.env['C_VAR'] ?? 'fallback';",
    'const d = process.env.D_VAR || "x";',
    'const e = process.env.E_VAR!;',
    'const f = process.env.F_VAR as string;',
    "const g = 'G_VAR' in process.env;",
    "const h = typeof process.env.H_VAR !== 'undefined';",
    'const i = (process.env.I_VAR as string) ?? "d";',
    'const port = Number(process.env?.PORT);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['A_VAR', false, 'process.env'],
    ['B_VAR', false, 'process.env'],
    ['C_VAR', true, 'process.env'],
    ['D_VAR', true, 'process.env'],
    ['E_VAR', false, 'process.env'],
    ['F_VAR', false, 'process.env'],
    ['G_VAR', true, 'process.env'],
    ['H_VAR', true, 'process.env'],
    ['I_VAR', true, 'process.env'],
    ['PORT', false, 'process.env'],
  ]);
  assert.equal(at(text, read(f, 'A_VAR').span), 'process.env.A_VAR');
  assert.equal(at(text, read(f, 'A_VAR').nameSpan), 'A_VAR');
  assert.equal(at(text, read(f, 'B_VAR').span), 'process.env["B_VAR"]');
  assert.equal(at(text, read(f, 'B_VAR').nameSpan), 'B_VAR');
  assert.equal(read(f, 'B_VAR').nameSpan.start, text.indexOf('"B_VAR"') + 1);
  assert.equal(at(text, read(f, 'C_VAR').span), "process.env['C_VAR']");
  assert.equal(at(text, read(f, 'E_VAR').span), 'process.env.E_VAR');
  assert.equal(at(text, read(f, 'G_VAR').span), "'G_VAR' in process.env");
  assert.equal(at(text, read(f, 'G_VAR').nameSpan), 'G_VAR');
  assert.equal(read(f, 'G_VAR').nameSpan.start, text.indexOf("'G_VAR'") + 1);
  assert.equal(at(text, read(f, 'PORT').span), 'process.env?.PORT');
  assert.equal(f.dynamicReads.length, 0);
  assert.equal(f.problems.length, 0);
});

test('process.env[CONSTANT]: the name is the constant\'s string, written where the constant is declared', () => {
  const text = [
    'const ENV_KEY = "CREDENTIALS_ENCRYPTION_KEY";',
    'export function loadKey() {',
    '  const raw = process.env[ENV_KEY];',
    '  return raw;',
    '}',
    'export function lookup(name: string) {',
    '  return process.env[name];',
    '}',
    'let mutable = "NOT_A_CONSTANT";',
    'export const m = process.env[mutable];',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => r.name), ['CREDENTIALS_ENCRYPTION_KEY']);
  assert.equal(at(text, read(f, 'CREDENTIALS_ENCRYPTION_KEY').nameSpan), 'CREDENTIALS_ENCRYPTION_KEY');
  assert.equal(at(text, read(f, 'CREDENTIALS_ENCRYPTION_KEY').span), 'process.env[ENV_KEY]');
});

test('import.meta.env (Vite), destructuring with defaults and renames', () => {
  const text = [
    'const api = import.meta.env.VITE_API_URL;',
    'const { DB_HOST, DB_PORT = "5432", JWT_SECRET: secret, "QUOTED_NAME": q } = process.env;',
  ].join('\n');
  const f = extract(text, 'web/src/main.ts');
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['VITE_API_URL', false, 'import.meta.env'],
    ['DB_HOST', false, 'process.env'],
    ['DB_PORT', true, 'process.env'],
    ['JWT_SECRET', false, 'process.env'],
    ['QUOTED_NAME', false, 'process.env'],
  ]);
  assert.equal(at(text, read(f, 'VITE_API_URL').span), 'import.meta.env.VITE_API_URL');
  assert.equal(at(text, read(f, 'DB_PORT').span), 'DB_PORT = "5432"');
  assert.equal(at(text, read(f, 'DB_PORT').nameSpan), 'DB_PORT');
  assert.equal(at(text, read(f, 'JWT_SECRET').span), 'JWT_SECRET: secret');
  assert.equal(at(text, read(f, 'JWT_SECRET').nameSpan), 'JWT_SECRET');
  assert.equal(at(text, read(f, 'QUOTED_NAME').nameSpan), 'QUOTED_NAME');
  assert.equal(read(f, 'QUOTED_NAME').nameSpan.start, text.indexOf('"QUOTED_NAME"') + 1);
});

test('aliases of process.env: const env = process.env, const { env } = process, import { env }', () => {
  const text = [
    "import { env as nodeEnv } from 'node:process';",
    'const env = process.env;',
    'export const a = env.ALIAS_A;',
    'export const b = env["ALIAS_B"] ?? "x";',
    'function f() {',
    '  const { env: e } = process;',
    '  return e.ALIAS_C;',
    '}',
    'const c = nodeEnv.ALIAS_D;',
    'function g(env: Record<string, string>) { return other.NOT_ALIAS; }',
    'const { ALIAS_E, ...rest } = env;',
    'const z = rest.ALIAS_F;',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [
    ['ALIAS_A', false], ['ALIAS_B', true], ['ALIAS_C', false], ['ALIAS_D', false], ['ALIAS_E', false], ['ALIAS_F', false],
  ]);
  assert.equal(at(text, read(f, 'ALIAS_A').span), 'env.ALIAS_A');
  assert.equal(at(text, read(f, 'ALIAS_B').nameSpan), 'ALIAS_B');
  assert.equal(read(f, 'ALIAS_D').via, 'process.env');
});

test('an alias declared inside one function does not leak into another', () => {
  const text = [
    'function a() { const env = process.env; return env.INSIDE; }',
    'function b(env: { OUTSIDE: string }) { return env.OUTSIDE; }',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => r.name), ['INSIDE']);
});

test('configured accessors and Deno.env', () => {
  const text = [
    'const a = config.get("ACC_A");',
    "const b = config.get('ACC_B', 'default');",
    'const c = this.config.get("ACC_C");',
    'const d = other.get("NOT_READ");',
    'const e = Deno.env.get("DENO_VAR");',
    'const f = config.get(`ACC_${suffix}`);',
  ].join('\n');
  const f = extract(text, 'svc/src/app.ts', { envAccessors: ['config.get'] });
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['ACC_A', false, 'config.get'],
    ['ACC_B', true, 'config.get'],
    ['ACC_C', false, 'config.get'],
    ['DENO_VAR', false, 'Deno.env.get'],
  ]);
  assert.equal(at(text, read(f, 'ACC_B').span), "config.get('ACC_B', 'default')");
  assert.equal(at(text, read(f, 'ACC_B').nameSpan), 'ACC_B');
  assert.equal(at(text, read(f, 'DENO_VAR').span), 'Deno.env.get("DENO_VAR")');
  assert.deepEqual(f.dynamicReads.map((d) => [at(text, d.span), d.prefix]), [['config.get(`ACC_${suffix}`)', 'ACC_']]);
  // without the option, config.get is nothing
  assert.deepEqual(extract(text).reads.map((r) => r.name), ['DENO_VAR']);
});

test('negatives: writes, delete, other objects, strings, comments, methods of process.env', () => {
  const text = [
    'process.env.WRITTEN = "1";',
    'process.env["WRITTEN_2"] = "2";',
    'process.env.COMPOUND ??= "3";',
    'delete process.env.DELETED;',
    'const a = obj.env.OBJ_ENV;',
    'const b = config.env["CFG_ENV"];',
    'const s = "process.env.IN_STRING";',
    '// process.env.IN_COMMENT',
    '/* process.env.IN_BLOCK */',
    "const has = process.env.hasOwnProperty('X');",
    'const keys = Object.keys(process.env);',
    'const t = `value: ${process.env.IN_TEMPLATE}`;',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => r.name), ['IN_TEMPLATE']);
  assert.deepEqual(f.dynamicReads, []);
});

test('names that are not env-like are not reads', () => {
  const f = extract('const a = process.env["my-var"]; const b = process.env["OK_VAR"];');
  assert.deepEqual(f.reads.map((r) => r.name), ['OK_VAR']);
});

test('devOnly and inEnvironment branches', () => {
  const text = [
    "if (process.env.NODE_ENV === 'development') {",
    '  console.log(process.env.DEBUG_TOKEN);',
    '} else {',
    '  use(process.env.NOT_DEV);',
    '}',
    "if (process.env.NODE_ENV !== 'production') { use(process.env.NON_PROD); } else { use(process.env.PROD_ONLY); }",
    "if (env === 'staging') { use(process.env.STAGING_ONLY); }",
    "if (config.environment === 'prod') { use(process.env.PROD_TOO); }",
    "if (process.env.NODE_ENV === 'development' || process.env.NODE_ENV === 'test') { use(process.env.DEV_OR_TEST); }",
    "const x = process.env.ENVIRONMENT === 'test' ? process.env.TEST_ONLY : process.env.ALWAYS_ELSE;",
    "switch (process.env.APP_ENV) { case 'stage': case 'staging': use(process.env.SW_STAGING); break; default: use(process.env.SW_DEFAULT); }",
    "if (['development', 'test'].includes(process.env.NODE_ENV)) { use(process.env.INCLUDES_DEV); }",
    "if (mode === 'staging') { use(process.env.NOT_AN_ENV_SELECTOR); }",
    'use(process.env.TOP_LEVEL);',
  ].join('\n');
  const f = extract(text);
  const flags = (name: string) => { const r = read(f, name); return [r.devOnly ?? false, r.inEnvironment]; };
  assert.deepEqual(flags('DEBUG_TOKEN'), [true, undefined]);
  assert.deepEqual(flags('NOT_DEV'), [false, undefined]);
  // NODE_ENV is a build mode: staging deploys set `production` too (typescript-branches.test.ts)
  assert.deepEqual(flags('NON_PROD'), [true, undefined]);
  assert.deepEqual(flags('PROD_ONLY'), [false, undefined]);
  assert.deepEqual(flags('STAGING_ONLY'), [false, 'staging']);
  assert.deepEqual(flags('PROD_TOO'), [false, 'production']);
  assert.deepEqual(flags('DEV_OR_TEST'), [true, undefined]);
  assert.deepEqual(flags('TEST_ONLY'), [true, undefined]);
  assert.deepEqual(flags('ALWAYS_ELSE'), [false, undefined]);
  assert.deepEqual(flags('SW_STAGING'), [false, 'staging']);
  assert.deepEqual(flags('SW_DEFAULT'), [false, undefined]);
  assert.deepEqual(flags('INCLUDES_DEV'), [true, undefined]);
  assert.deepEqual(flags('NOT_AN_ENV_SELECTOR'), [false, undefined]);
  assert.deepEqual(flags('TOP_LEVEL'), [false, undefined]);
  // the condition itself is read everywhere
  assert.ok(f.reads.filter((r) => r.name === 'NODE_ENV').every((r) => !r.devOnly && !r.inEnvironment));
  // absent keys, not `undefined` values, outside a branch
  assert.equal('devOnly' in read(f, 'TOP_LEVEL'), false);
});

test('Vite import.meta.env.DEV guards a dev-only read', () => {
  const f = extract('if (import.meta.env.DEV) { console.log(import.meta.env.VITE_DEBUG_KEY); }', 'web/src/x.ts');
  assert.equal(read(f, 'VITE_DEBUG_KEY').devOnly, true);
  // `import.meta.env.DEV` is a Vite constant, not a variable: it decides the branch and is no read
  assert.deepEqual(f.reads.map((r) => r.name), ['VITE_DEBUG_KEY']);
});

test('a const used only under import.meta.env.DEV (or the else of PROD) holds a dev-only read', () => {
  const dev = extract('const devUrl = import.meta.env.VITE_API_URL || "http://localhost:5000";\nlet base = "https://api";\nif (import.meta.env.DEV) { base = devUrl; }\nexport { base };\n', 'web/src/api.ts');
  assert.equal(read(dev, 'VITE_API_URL').devOnly, true);
  const prodElse = extract('const devUrl = import.meta.env.VITE_API_URL;\nexport const base = import.meta.env.PROD ? "https://api" : devUrl;\n', 'web/src/api.ts');
  assert.equal(read(prodElse, 'VITE_API_URL').devOnly, true);
  // One use outside the branch: the production bundle uses it too.
  const both = extract('const url = import.meta.env.VITE_API_URL || "http://localhost:5000";\nif (import.meta.env.DEV) { console.log(url); }\nexport const base = url;\n', 'web/src/api.ts');
  assert.equal(read(both, 'VITE_API_URL').devOnly, undefined);
});

test('dynamic reads, with the static prefix when there is one', () => {
  const text = [
    'const id = process.env[`GOOGLE_OAUTH_CLIENT_ID_${env}`];',
    'const v = process.env[name];',
    "const w = process.env['PREFIX_' + suffix.toUpperCase()];",
    'const x = process.env[`${env}_SUFFIX`];',
    'process.env[key] = value;',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.dynamicReads.map((d) => [at(text, d.span), d.prefix]), [
    ['process.env[`GOOGLE_OAUTH_CLIENT_ID_${env}`]', 'GOOGLE_OAUTH_CLIENT_ID_'],
    ['process.env[name]', undefined],
    ["process.env['PREFIX_' + suffix.toUpperCase()]", 'PREFIX_'],
    ['process.env[`${env}_SUFFIX`]', undefined],
  ]);
  assert.equal(f.reads.length, 0);
});

test('secret-manager gates: truthiness, !== undefined, early return, !!, Boolean()', () => {
  const text = [
    "import { SecretManagerServiceClient } from '@google-cloud/secret-manager';",
    'export class SecretLoader {',
    '  private isGcpAvailable(): boolean {',
    "    return this.environment === 'staging' && process.env.GCP_PROJECT_ID !== undefined;",
    '  }',
    '  async loadSecrets(): Promise<void> {',
    '    if (!process.env.GCP_PROJECT_ID) return;',
    '    const client = new SecretManagerServiceClient();',
    '    const creds = process.env.GOOGLE_APPLICATION_CREDENTIALS;',
    '  }',
    '}',
    'function useSecretManager() { return !!process.env["K_SERVICE"]; }',
    'const shouldUseSecretManager = () => Boolean(process.env.GOOGLE_CLOUD_PROJECT);',
    'async function initSecrets() {',
    '  if (process.env.GCP_PROJECT) {',
    '    const c = new SecretManagerServiceClient();',
    '  }',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.gates.map((g) => [g.functionName, g.names, g.conditionText]), [
    ['isGcpAvailable', ['GCP_PROJECT_ID'], 'process.env.GCP_PROJECT_ID !== undefined'],
    ['loadSecrets', ['GCP_PROJECT_ID'], 'process.env.GCP_PROJECT_ID'],
    ['useSecretManager', ['K_SERVICE'], '!!process.env["K_SERVICE"]'],
    ['shouldUseSecretManager', ['GOOGLE_CLOUD_PROJECT'], 'Boolean(process.env.GOOGLE_CLOUD_PROJECT)'],
    ['initSecrets', ['GCP_PROJECT'], 'process.env.GCP_PROJECT'],
  ]);
  for (const g of f.gates) {
    assert.equal(g.language, 'typescript');
    assert.equal(at(text, g.conditionSpan), g.conditionText);
    assert.equal(g.nameOffsets.length, 1);
    const o = g.nameOffsets[0]!;
    assert.equal(g.conditionText.slice(o.start, o.end), g.names[0]);
  }
  // early return: the span is the positive test under `!`
  const early = f.gates[1]!;
  assert.equal(text.slice(early.conditionSpan.start - 5, early.conditionSpan.end + 1), 'if (!process.env.GCP_PROJECT_ID)');
  // the bracket form's name offset points inside the quotes
  const bracket = f.gates[2]!;
  assert.equal(bracket.conditionText.slice(bracket.nameOffsets[0]!.start - 1, bracket.nameOffsets[0]!.end + 1), '"K_SERVICE"');
});

test('not a gate: two or more gate variables already tested, or no secret-manager context', () => {
  const text = [
    'function isGcpAvailable(): boolean {',
    '  return !!(process.env.GCP_PROJECT_ID || process.env.K_SERVICE);',
    '}',
    'async function loadSecrets() {',
    '  const project = process.env.GCP_PROJECT_ID ?? process.env.GOOGLE_CLOUD_PROJECT;',
    '  if (!process.env.GCP_PROJECT_ID) return;',
    '}',
    'function logStartup() {',
    '  if (process.env.K_SERVICE) console.log("running on Cloud Run");',
    '}',
    'if (process.env.GCP_PROJECT_ID) { console.log("top level, nothing about secrets"); }',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.gates, []);
  // the reads are still there
  assert.equal(f.reads.filter((r) => r.name === 'GCP_PROJECT_ID').length, 4);
});

test('a gate at top level counts when its statement creates the Secret Manager client', () => {
  const text = 'if (process.env.GCP_PROJECT_ID !== undefined) { client = new SecretManagerServiceClient(); }';
  const f = extract(text);
  assert.equal(f.gates.length, 1);
  assert.equal(at(text, f.gates[0]!.conditionSpan), 'process.env.GCP_PROJECT_ID !== undefined');
  assert.equal(f.gates[0]!.functionName, undefined);
});

test('enums, const enums and enum-like const objects', () => {
  const text = [
    'export enum CircuitState { CLOSED = "closed", OPEN = "open", HALF_OPEN = "half_open" }',
    'const enum Level { Low, Mid = 5, High }',
    "export const UnifiedCircuitBreakerState = { CLOSED: 'CLOSED', OPEN: 'OPEN' } as const;",
    "export const Frozen = Object.freeze({ A: 'a' });",
    "export const NotAnEnum = { a: compute() } as const;",
    'const lower = { a: "x" } as const;',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.enums.map((e) => [e.name, e.members.map((m) => [m.name, m.value])]), [
    ['CircuitState', [['CLOSED', 'closed'], ['OPEN', 'open'], ['HALF_OPEN', 'half_open']]],
    ['Level', [['Low', '0'], ['Mid', '5'], ['High', '6']]],
    ['UnifiedCircuitBreakerState', [['CLOSED', 'CLOSED'], ['OPEN', 'OPEN']]],
    ['Frozen', [['A', 'a']]],
  ]);
  const cs = f.enums[0]!;
  assert.equal(at(text, cs.span), 'CircuitState');
  assert.equal(at(text, cs.members[2]!.span), 'HALF_OPEN');
  assert.equal(at(text, f.enums[2]!.members[1]!.span), 'OPEN');
  assert.equal(f.enums[2]!.members[1]!.span.start, text.indexOf("OPEN: 'OPEN'"));
});

test('state getter declared CircuitState returning this._state typed UnifiedCircuitBreakerState', () => {
  const text = [
    "import { CircuitState } from './types';",
    'export class UnifiedCircuitBreaker {',
    '  private _state: UnifiedCircuitBreakerState = UnifiedCircuitBreakerState.CLOSED;',
    '  get state(): CircuitState {',
    '    return this._state;',
    '  }',
    '  getStatus(): HealthStatus | undefined {',
    '    if (this.failing) return HealthStatus.DOWN;',
    '    const inner = () => { return Other.VALUE; };',
    '    return HealthStatus.UP;',
    '  }',
    '  setState(s: CircuitState) { this._state = s; }',
    '  private _other = 1;',
    '}',
    'class Inferred {',
    '  private _state;',
    '  constructor() { this._state = UnifiedCircuitBreakerState.OPEN; }',
    '  get circuitState() { return this._state; }',
    '  public status: CircuitState = CircuitState.OPEN;',
    '  trip() { this.status = UnifiedCircuitBreakerState.OPEN; }',
    '}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.accessors.map((a) => [a.className, a.name, a.declaredType?.name]), [
    ['UnifiedCircuitBreaker', 'state', 'CircuitState'],
    ['UnifiedCircuitBreaker', 'getStatus', 'HealthStatus'],
    ['Inferred', 'circuitState', undefined],
    ['Inferred', 'status', 'CircuitState'],
  ]);
  const getter = f.accessors[0]!;
  assert.equal(at(text, getter.span), 'state');
  assert.equal(getter.span.start, text.indexOf('get state') + 4);
  assert.equal(at(text, getter.declaredType!.span), 'CircuitState');
  assert.equal(getter.declaredType!.span.start, text.indexOf('CircuitState {'));
  assert.deepEqual(getter.returns.map((r) => [at(text, r.span), r.text, r.enumName]), [
    ['this._state', 'this._state', 'UnifiedCircuitBreakerState'],
  ]);
  assert.deepEqual(f.accessors[1]!.returns.map((r) => [r.text, r.enumName]), [
    ['HealthStatus.DOWN', 'HealthStatus'], ['HealthStatus.UP', 'HealthStatus'],
  ]);
  assert.deepEqual(f.accessors[2]!.returns.map((r) => [r.text, r.enumName]), [['this._state', 'UnifiedCircuitBreakerState']]);
  assert.deepEqual(f.accessors[3]!.returns.map((r) => [r.text, r.enumName]), [
    ['CircuitState.OPEN', 'CircuitState'], ['UnifiedCircuitBreakerState.OPEN', 'UnifiedCircuitBreakerState'],
  ]);
});

test('enum comparisons: ===, !==, ==, switch/case, with the receiver class when evident', () => {
  const text = [
    'class Breaker {',
    '  check() {',
    '    if (this.state === CircuitState.OPEN) return;',
    '  }',
    '}',
    'const b = new Breaker();',
    'if (b.state !== CircuitState.CLOSED) {}',
    'function f(x: Breaker, y) {',
    '  if (CircuitState.HALF_OPEN == x.state) {}',
    '  if (y.getStatus() != HealthStatus.UP) {}',
    '  switch (x.state) {',
    '    case CircuitState.OPEN: break;',
    '    case CircuitState.CLOSED:',
    "    case 'weird': break;",
    '  }',
    '}',
    "if (b.state === 'open') {}",
    'if (b.name === CircuitState.OPEN) {}',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.comparisons.map((c) => [c.property, c.receiverClass, c.enumName, c.member, at(text, c.span), at(text, c.enumSpan)]), [
    ['state', 'Breaker', 'CircuitState', 'OPEN', 'this.state === CircuitState.OPEN', 'CircuitState.OPEN'],
    ['state', 'Breaker', 'CircuitState', 'CLOSED', 'b.state !== CircuitState.CLOSED', 'CircuitState.CLOSED'],
    ['state', 'Breaker', 'CircuitState', 'HALF_OPEN', 'CircuitState.HALF_OPEN == x.state', 'CircuitState.HALF_OPEN'],
    ['getStatus', undefined, 'HealthStatus', 'UP', 'y.getStatus() != HealthStatus.UP', 'HealthStatus.UP'],
    ['state', 'Breaker', 'CircuitState', 'OPEN', 'case CircuitState.OPEN', 'CircuitState.OPEN'],
    ['state', 'Breaker', 'CircuitState', 'CLOSED', 'case CircuitState.CLOSED', 'CircuitState.CLOSED'],
  ]);
  assert.ok(f.comparisons.every((c) => c.actualEnum === undefined));
});

test('node-postgres driver uses and Postgres URL literals', () => {
  const text = [
    "import { Pool, Client as PgClient } from 'pg';",
    'const url = process.env.DATABASE_URL ?? "postgresql://app:pw@/appdb?host=/cloudsql/p:r:i&sslmode=require";',
    'export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });',
    'export const client = new PgClient(url);',
    'export const other = new Pool({ host: "localhost" });',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.driverUses.map((d) => [d.driver, d.envName, at(text, d.span)]), [
    ['node-postgres', 'DATABASE_URL', 'new Pool({ connectionString: process.env.DATABASE_URL, max: 5 })'],
    ['node-postgres', 'DATABASE_URL', 'new PgClient(url)'],
    ['node-postgres', undefined, 'new Pool({ host: "localhost" })'],
  ]);
  const value = 'postgresql://app:pw@/appdb?host=/cloudsql/p:r:i&sslmode=require';
  const start = text.indexOf(value);
  const offsets = Array.from({ length: value.length + 1 }, (_, i) => start + i);
  const expected = findDbUrls(value, offsets, { start, end: start + value.length }, 'DATABASE_URL');
  assert.deepEqual(f.dbUrls, expected);
  assert.equal(f.dbUrls.length, 1);
  assert.equal(f.dbUrls[0]!.envName, 'DATABASE_URL');
  assert.equal(at(text, f.dbUrls[0]!.span), value);
});

test('a Postgres URL in a template literal keeps its ${...} parts and exact offsets', () => {
  const text = 'const u = `postgresql://${user}:${pw}@/db?host=/cloudsql/${conn}&sslmode=disable`;';
  const f = extract(text);
  assert.equal(f.dbUrls.length, 1);
  assert.equal(at(text, f.dbUrls[0]!.span)?.startsWith('postgresql://${user}'), true);
  assert.equal(f.dbUrls[0]!.envName, undefined);
});

test('pg is only node-postgres when imported from pg (CommonJS require too)', () => {
  const notPg = extract("import { Pool } from 'mysql2';\nconst p = new Pool({ uri: process.env.DATABASE_URL });");
  assert.deepEqual(notPg.driverUses, []);
  const cjs = [
    "'use strict';",
    "const { Pool } = require('pg');",
    'const pg = require("pg");',
    'const a = new Pool({ connectionString: process.env.PG_URL });',
    'const b = new pg.Client({ connectionString: process.env.OTHER_URL });',
    'module.exports = { a, b, port: process.env.PORT || 3000 };',
  ].join('\n');
  const f = extract(cjs, 'api/server.js');
  assert.deepEqual(f.driverUses.map((d) => d.envName), ['PG_URL', 'OTHER_URL']);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [['PG_URL', false], ['OTHER_URL', false], ['PORT', true]]);
  assert.equal(at(cjs, read(f, 'PORT').span), 'process.env.PORT');
});

test('.tsx components parse as JSX', () => {
  const text = [
    "import React from 'react';",
    'export function Banner(): JSX.Element {',
    '  const [open, setOpen] = React.useState(false);',
    '  return <div className="banner">{import.meta.env.VITE_BANNER_TEXT ?? "hi"} {process.env.NEXT_PUBLIC_SITE}</div>;',
    '}',
  ].join('\n');
  const f = extract(text, 'web/src/Banner.tsx');
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, at(text, r.span)]), [
    ['VITE_BANNER_TEXT', true, 'import.meta.env.VITE_BANNER_TEXT'],
    ['NEXT_PUBLIC_SITE', false, 'process.env.NEXT_PUBLIC_SITE'],
  ]);
  assert.deepEqual(f.problems, []);
});

test('prefilter: a file with no env/enum/state tokens is skipped without parsing', () => {
  let text = '';
  for (let i = 0; i < 3000; i++) text += `export function add${i}(a: number, b: number): number { return a + b + ${i}; }\n`;
  assert.equal(mayHoldTypeScriptFacts(text, { envAccessors: [] }), false);
  assert.equal(mayHoldTypeScriptFacts(text + 'process.env.X', { envAccessors: [] }), true);
  assert.equal(mayHoldTypeScriptFacts('const [a, setA] = useState(0);', { envAccessors: [] }), false);
  assert.equal(mayHoldTypeScriptFacts('if (b.circuitState === X.Y) {}', { envAccessors: [] }), true);
  assert.equal(mayHoldTypeScriptFacts('const v = settings.require("X");', { envAccessors: ['settings.require'] }), true);
  const t0 = performance.now();
  const f = extract(text);
  const elapsed = performance.now() - t0;
  assert.deepEqual([f.reads, f.enums, f.accessors, f.comparisons, f.problems], [[], [], [], [], []]);
  assert.ok(elapsed < 20, `skipping took ${elapsed.toFixed(1)} ms`);
});

test('isTest by path', () => {
  const text = 'const a = process.env.A;';
  assert.equal(extract(text, 'svc/test/setup.ts').isTest, true);
  assert.equal(extract(text, 'svc/src/__tests__/a.ts').isTest, true);
  assert.equal(extract(text, 'svc/src/a.spec.tsx').isTest, true);
  assert.equal(extract(text, 'tests/a.ts').isTest, true);
  assert.equal(extract(text, 'svc/src/testing.ts').isTest, undefined);
});

test('syntax errors and deep nesting never throw', () => {
  const broken = 'const a = process.env.BROKEN_A;\nfunction (( {\nconst b = process.env["BROKEN_B"];\nenum {';
  const f = extract(broken);
  assert.deepEqual(f.reads.map((r) => r.name), ['BROKEN_A', 'BROKEN_B']);
  const deep = 'const s = ' + Array(20000).fill('"a"').join(' + ') + ' + process.env.DEEP;';
  const g = extract(deep);
  assert.deepEqual(g.reads.map((r) => r.name), ['DEEP']);
  assert.deepEqual(g.problems, []);
});

test('gates written as typeof checks and `in` checks', () => {
  const text = [
    "function isSecretManagerEnabled() { return typeof process.env.K_SERVICE !== 'undefined'; }",
    "function loadSecretsFromGcp() { if ('GCP_PROJECT_ID' in process.env) fetchAll(); }",
    'function loadSecretsLater() { const p = process.env.GCP_PROJECT_ID; return p; }',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.gates.map((g) => [g.functionName, at(text, g.conditionSpan), g.nameOffsets]), [
    ['isSecretManagerEnabled', "typeof process.env.K_SERVICE !== 'undefined'", [{ name: 'K_SERVICE', start: 19, end: 28 }]],
    ['loadSecretsFromGcp', "'GCP_PROJECT_ID' in process.env", [{ name: 'GCP_PROJECT_ID', start: 1, end: 15 }]],
  ]);
});

test('zod: .default()/.optional()/.nullish()/.catch() parsing a read are defaults; required chains are not', () => {
  const text = [
    'import { z } from "zod";',
    'const Port = z.coerce.number().default(3000);',
    'export const config = {',
    '  nodeEnv: z.enum(["development", "production"]).default("development").parse(process.env.NODE_ENV),',
    '  port: z.coerce.number().default(3000).parse(process.env.PORT),',
    '  region: z.string().optional().parse(process.env.REGION),',
    '  sentry: z.string().url().nullish().safeParse(process.env.SENTRY_DSN),',
    '  db: z.string().default("postgres://localhost/app").parse(process.env.DATABASE_URL),',
    '  level: z.string().catch("info").parse(process.env.LOG_LEVEL as string),',
    '  admin: Port.parse(process.env.ADMIN_PORT),',
    '  piped: z.string().default("1").pipe(z.coerce.number()).parse(process.env.WORKERS),',
    '  jwt: z.string().min(32).parse(process.env.JWT_SECRET),',
    '  api: z.string().url().parse(process.env.UPSTREAM_API_URL),',
    '};',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [
    ['NODE_ENV', true], ['PORT', true], ['REGION', true], ['SENTRY_DSN', true], ['DATABASE_URL', true],
    ['LOG_LEVEL', true], ['ADMIN_PORT', true], ['WORKERS', true], ['JWT_SECRET', false], ['UPSTREAM_API_URL', false],
  ]);
  assert.equal(at(text, read(f, 'PORT').span), 'process.env.PORT');
  assert.equal(at(text, read(f, 'PORT').nameSpan), 'PORT');
  assert.equal(read(f, 'PORT').via, 'process.env');
  // The `.default(...)` literal is the variable's value when unset: its URL is attributed to it.
  assert.equal(f.dbUrls.length, 1);
  assert.equal(f.dbUrls[0]!.envName, 'DATABASE_URL');
});

test('zod look-alikes: a default elsewhere, inside an argument, after unwrap, or not on the parse of the read', () => {
  const text = [
    'import { z } from "zod";',
    'const retries = z.number().default(3);',
    'const a = z.string().parse(process.env.A_KEY);',
    'const b = z.array(z.string().optional()).parse(process.env.B_KEY);',
    'const c = z.string().default("x").parse(JSON.parse(process.env.C_KEY));',
    'const d = z.string().optional().unwrap().parse(process.env.D_KEY);',
    'const e = z.string().nullable().parse(process.env.E_KEY);',
    'const f = z.string().optional().pipe(z.string()).parse(process.env.F_KEY);',
    'const g = settings.default(1).parse(other, process.env.G_KEY);',
    'const h = z.string().default("x").transform((s) => s + process.env.H_KEY).parse(input);',
    'const i = Schema.parse(process.env.I_KEY);',
    'function k() { const Local = z.string().default("x"); return Local.parse(process.env.K_KEY); }',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [
    ['A_KEY', false], ['B_KEY', false], ['C_KEY', false], ['D_KEY', false], ['E_KEY', false],
    ['F_KEY', false], ['G_KEY', false], ['H_KEY', false], ['I_KEY', false], ['K_KEY', false],
  ]);
});

test('zod: an object literal parsed by an object schema takes each read\'s need from the field of its key', () => {
  const text = [
    'import { z } from "zod";',
    'const conn = z.string().url();',
    'const schema = z.object({',
    '  secret: z.string().min(16),',
    '  issuer: z.string().optional(),',
    '  dbUrl: conn.optional(),',
    '  level: z.string().default("info"),',
    '});',
    'export const env = schema.parse({',
    '  secret: process.env.APP_SECRET,',
    '  issuer: process.env.APP_ISSUER,',
    '  dbUrl: process.env.APP_DB_URL,',
    '  level: process.env.APP_LOG_LEVEL,',
    '  extra: process.env.APP_EXTRA,',
    '});',
    'export const loose = schema.partial().parse({ secret: process.env.LOOSE_SECRET });',
    'export const other = build({ issuer: process.env.OTHER_ISSUER });',
    'declare function build(o: object): object;',
  ].join('\n');
  const f = extract(text);
  const by = Object.fromEntries(f.reads.map((r) => [r.name, r.hasDefault]));
  assert.deepEqual(by, {
    APP_SECRET: false, APP_ISSUER: true, APP_DB_URL: true, APP_LOG_LEVEL: true,
    // No field of that key (zod strips it), a partial schema, not a schema's parse.
    APP_EXTRA: false, LOOSE_SECRET: true, OTHER_ISSUER: false,
  });
});

test('zod: a field cleaned by z.preprocess takes its need from the schema after the cleaning, through a shared const too', () => {
  const text = [
    'import { z } from "zod";',
    "const optKey = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().min(1).optional());",
    "const reqKey = z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().min(1));",
    'export const env = z.object({',
    '  RESEND_FROM_EMAIL: optKey,',
    '  SUPABASE_URL: reqKey,',
    '  WORKERS: z.preprocess(Number, z.number().default(2)),',
    '  REGION: z.preprocess(String, z.string()),',
    '}).parse(process.env);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [
    ['RESEND_FROM_EMAIL', true], ['SUPABASE_URL', false], ['WORKERS', true], ['REGION', false],
  ]);
});

test('gates through a validated environment\'s field; a value taken inside the guarded branch is no second signal', () => {
  const text = [
    'export function createTokenStore(config: ServiceConfig) {',
    "  if (typeof config.GOOGLE_CLOUD_PROJECT === 'string') {",
    '    const projectId = config.GOOGLE_CLOUD_PROJECT || config.GCP_PROJECT_ID;',
    '    return new SecretManagerTokenStore({ projectId });',
    '  }',
    '  return new FileTokenStore();',
    '}',
    // two signals tested: already robust, no gate
    'export function pickStore(config: ServiceConfig) {',
    '  if (config.GOOGLE_CLOUD_PROJECT || config.K_SERVICE) return new SecretManagerTokenStore();',
    '}',
    // a field of the signal\'s name, no Secret Manager in sight
    'export function label(config: ServiceConfig) { return config.GCP_PROJECT_ID ? "gcp" : "local"; }',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.gates.map((g) => [g.functionName, at(text, g.conditionSpan), g.viaField]), [
    ['createTokenStore', "typeof config.GOOGLE_CLOUD_PROJECT === 'string'", true],
  ]);
  assert.deepEqual(f.reads, []);
  // An env read through an alias stays an env read's gate (no field mark).
  const alias = extract("const env = process.env;\nexport function loadSecretManager() { if (env.GCP_PROJECT_ID) return 1; }\n");
  assert.deepEqual(alias.gates.map((g) => [g.names, g.viaField]), [[['GCP_PROJECT_ID'], undefined]]);
});

test('zod: z.object({...}).parse(process.env) declares one read per key', () => {
  const text = [
    'import { z } from "zod";',
    'const EnvSchema = z.object({',
    '  DATABASE_URL: z.string().url(),',
    '  PORT: z.coerce.number().default(8080),',
    '  "SENTRY_DSN": z.string().optional(),',
    '});',
    'export const env = EnvSchema.extend({ REDIS_URL: z.string() }).parse(process.env);',
    'export const loose = z.object({ LOG_LEVEL: z.string() }).partial().parse(process.env);',
    'export const other = z.object({ NOT_ENV: z.string() }).parse(body);',
    'export const picked = EnvSchema.pick({ PORT: true }).parse(process.env);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['DATABASE_URL', false, 'zod'], ['PORT', true, 'zod'], ['SENTRY_DSN', true, 'zod'],
    ['REDIS_URL', false, 'zod'], ['LOG_LEVEL', true, 'zod'],
  ]);
  // Undefined when unset: `.optional()` and a partial schema; a default value is not.
  assert.deepEqual(f.reads.filter((r) => r.schemaUndefined).map((r) => r.name), ['SENTRY_DSN', 'LOG_LEVEL']);
  assert.equal(at(text, read(f, 'PORT').span), 'PORT: z.coerce.number().default(8080)');
  assert.equal(at(text, read(f, 'PORT').nameSpan), 'PORT');
  assert.equal(at(text, read(f, 'SENTRY_DSN').nameSpan), 'SENTRY_DSN');
});

test('zod: a schema parsed over a parameter whose default is process.env reads its keys; another parameter does not', () => {
  const text = [
    'import { z } from "zod";',
    'const envSchema = z.object({ LEDGER_DATABASE_URL: z.string().url(), LISTEN_PORT: z.coerce.number().default(8080) });',
    'export function loadEnv(source: NodeJS.ProcessEnv = process.env) {',
    '  return envSchema.parse(source);',
    '}',
    'export function check(input: Record<string, string>) {',
    '  return z.object({ NOT_ENV: z.string() }).parse(input);',
    '}',
    'export const parsed = z.object({ ALSO_NOT: z.string() }).parse(source);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [['LEDGER_DATABASE_URL', false, 'zod'], ['LISTEN_PORT', true, 'zod']]);
});

test('SvelteKit: env from $env/dynamic/private or /public is the run-time environment; $env/static and other modules named env are not read here', () => {
  const text = [
    "import { env } from '$env/dynamic/public';",
    "import { env as priv } from '$env/dynamic/private';",
    "import { PUBLIC_BUILD_ID } from '$env/static/public';",
    "import { env as settings } from './settings';",
    "export const api = env.PUBLIC_API_BASE_URL || 'http://localhost:3007';",
    'export const key = priv.STRIPE_KEY!;',
    'export const other = settings.NOT_A_READ;',
    'export const build = PUBLIC_BUILD_ID;',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['PUBLIC_API_BASE_URL', true, '$env/dynamic/public'], ['STRIPE_KEY', false, '$env/dynamic/private'],
  ]);
});

test('envalid: cleanEnv(process.env, spec) reads each key; default gives hasDefault, devDefault alone does not', () => {
  const text = [
    'import { cleanEnv, str, port, url, bool } from "envalid";',
    'export const env = cleanEnv(process.env, {',
    '  NODE_ENV: str({ choices: ["development", "production"], default: "production" }),',
    '  PORT: port({ default: 8080 }),',
    '  API_KEY: str(),',
    '  ADMIN_EMAIL: str({ desc: "who gets alerts" }),',
    '  DEBUG_SQL: bool({ devDefault: false }),',
    '  OPTIONAL_URL: url({ default: undefined }),',
    '  DATABASE_URL: url({ default: "postgres://localhost:5432/app" }),',
    '});',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['NODE_ENV', true, 'envalid'], ['PORT', true, 'envalid'], ['API_KEY', false, 'envalid'],
    ['ADMIN_EMAIL', false, 'envalid'], ['DEBUG_SQL', false, 'envalid'], ['OPTIONAL_URL', true, 'envalid'],
    ['DATABASE_URL', true, 'envalid'],
  ]);
  assert.equal(at(text, read(f, 'PORT').span), 'PORT: port({ default: 8080 })');
  assert.equal(at(text, read(f, 'API_KEY').nameSpan), 'API_KEY');
  assert.equal(f.dbUrls[0]?.envName, 'DATABASE_URL');
});

test('valibot: v.parse(v.object({...}), process.env) reads each key; optional/nullish (in a pipe too) give hasDefault', () => {
  const text = [
    'import * as v from "valibot";',
    'import { parse, object, string } from "valibot";',
    'const envSchema = v.object({',
    '  ALLOWED_ORIGIN: v.pipe(v.string(), v.minLength(3)),',
    '  DB_URL: v.pipe(v.string(), v.url()),',
    '  LOG_LEVEL: v.optional(v.string(), "info"),',
    '  SENTRY_DSN: v.pipe(v.nullish(v.string())),',
    '});',
    'export const env = v.parse(envSchema, process.env);',
    'export const jobs = parse(object({ QUEUE_NAME: string() }), process.env);',
    // Not the environment: a request body validated with the same call.
    'export const body = (input: unknown) => v.parse(v.object({ NOT_A_VAR: v.string() }), input);',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['ALLOWED_ORIGIN', false, 'valibot'], ['DB_URL', false, 'valibot'], ['LOG_LEVEL', true, 'valibot'], ['SENTRY_DSN', true, 'valibot'],
    ['QUEUE_NAME', false, 'valibot'],
  ]);
  assert.equal(at(text, read(f, 'DB_URL').nameSpan), 'DB_URL');
});

test('AdonisJS: Env.create(new URL(...), spec) reads each key; .optional() and .optionalWhen() give hasDefault; another create does not', () => {
  const text = [
    "import { Env } from '@adonisjs/core/env'",
    'export default await Env.create(new URL("../", import.meta.url), {',
    '  NODE_ENV: Env.schema.enum(["development", "production", "test"] as const),',
    '  APP_KEY: Env.schema.string(),',
    '  SMTP_HOST: Env.schema.string.optional(),',
    '  REDIS_PASSWORD: Env.schema.string.optionalWhen(() => true),',
    '})',
    'export const store = Cache.create(new URL("../", import.meta.url), { CACHE_TTL: Env.schema.number() })',
    'export const other = Env.create({ NOT_ADONIS: 1 })',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['NODE_ENV', false, 'adonis'], ['APP_KEY', false, 'adonis'], ['SMTP_HOST', true, 'adonis'], ['REDIS_PASSWORD', true, 'adonis'],
  ]);
  assert.equal(at(text, read(f, 'APP_KEY').nameSpan), 'APP_KEY');
});

test('envalid look-alikes: a spec not cleaned from the environment, a spec held in a const, envalid.cleanEnv', () => {
  const text = [
    'import * as envalid from "envalid";',
    'const spec = { TOKEN: envalid.str(), RETRIES: envalid.num({ default: 3 }) };',
    'export const env = envalid.cleanEnv(process.env, spec);',
    'export const fromFile = envalid.cleanEnv(parsedDotenv, { FILE_ONLY: envalid.str({ default: "x" }) });',
    'const settings = { OTHER: envalid.str({ default: "y" }) };',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [['TOKEN', false], ['RETRIES', true]]);
  assert.equal(at(text, read(f, 'TOKEN').span), 'TOKEN: envalid.str()');
});

test('t3-env: runtimeEnv entries are the reads; the schema under server/client decides hasDefault', () => {
  const text = [
    'import { createEnv } from "@t3-oss/env-nextjs";',
    'import { z } from "zod";',
    'export const env = createEnv({',
    '  server: {',
    '    DATABASE_URL: z.string().url(),',
    '    SENTRY_DSN: z.string().optional(),',
    '    NODE_ENV: z.enum(["development", "production"]).default("development"),',
    '  },',
    '  client: { NEXT_PUBLIC_API_URL: z.string().url().default("http://localhost:3000") },',
    '  runtimeEnv: {',
    '    DATABASE_URL: process.env.DATABASE_URL,',
    '    SENTRY_DSN: process.env.SENTRY_DSN,',
    '    NODE_ENV: process.env.NODE_ENV,',
    '    NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL,',
    '  },',
    '});',
    // not createEnv: the same shape passed to something else
    'export const cfg = makeConfig({ server: { STRIPE_KEY: z.string().optional() }, runtimeEnv: { STRIPE_KEY: process.env.STRIPE_KEY } });',
    // a key with no schema stays required
    'export const e2 = createEnv({ server: { A: z.string().optional() }, runtimeEnv: { B_KEY: process.env.B_KEY } });',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['DATABASE_URL', false, 'process.env'], ['SENTRY_DSN', true, 'process.env'], ['NODE_ENV', true, 'process.env'],
    ['NEXT_PUBLIC_API_URL', true, 'process.env'], ['STRIPE_KEY', false, 'process.env'], ['B_KEY', false, 'process.env'],
  ]);
  assert.equal(at(text, read(f, 'SENTRY_DSN').span), 'process.env.SENTRY_DSN');
});

test('t3-env: runtimeEnv: process.env makes every schema key a read', () => {
  const text = [
    'import { createEnv } from "@t3-oss/env-core";',
    'export const env = createEnv({',
    '  server: { DATABASE_URL: z.string().url(), PORT: z.coerce.number().default(3000) },',
    '  runtimeEnv: process.env,',
    '});',
  ].join('\n');
  const f = extract(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [['DATABASE_URL', false, 't3-env'], ['PORT', true, 't3-env']]);
  assert.equal(at(text, read(f, 'DATABASE_URL').span), 'DATABASE_URL: z.string().url()');
});

test('zod: a secret whose schema default is a stand-in (`.default(\'dev_secret\')`) is required, with a placeholder default; other defaults stay optional', () => {
  const text = [
    'import { z } from "zod";',
    'const envSchema = z.object({',
    "  SHOP_API_SECRET: z.string().min(1).default('dev_secret'),",
    "  SHOP_WEBHOOK_SECRET: z.string().default('change-me'),",
    // Look-alikes: a real-looking default, a non-secret name, a default the code recognises.
    "  SHOP_API_KEY: z.string().default('pk_live_51Habc'),",
    "  SHOP_SCOPES: z.string().default('dev_key'),",
    "  SIGNING_KEY: z.string().default('test_key'),",
    '});',
    'export const env = envSchema.parse(process.env);',
    "export const signing = env.SIGNING_KEY === 'test_key' ? null : env.SIGNING_KEY;",
  ].join('\n');
  const f = extract(text);
  // The schema only stores the value: whether anything uses it is for the model to see.
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, !!r.placeholderDefault, !!r.needUnseen]), [
    ['SHOP_API_SECRET', false, true, true],
    ['SHOP_WEBHOOK_SECRET', false, true, true],
    ['SHOP_API_KEY', true, false, false],
    ['SHOP_SCOPES', true, false, false],
    ['SIGNING_KEY', true, false, false],
  ]);
});
