/**
 * What a module loads, recorded for every code file but tests, parsed or not: the literal
 * specifiers of its imports, exports and requires, and whether it also loads a computed name.
 * And the project settings that make a bare specifier a path alias (tsconfig `paths`, `baseUrl`).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract';

before(ready);

test('a module\'s imports: every literal specifier, whatever the file holds; nothing for a test', () => {
  const text = [
    "import express from 'express';",
    "import type { Db } from './db';",
    "export * from './routes/index.js';",
    "const mail = require('../lib/mail');",
    "async function later() { return import('./jobs/report'); }",
    'export const app = express();',
  ].join('\n');
  const f = extractFile('api/src/server.ts', text);
  assert.deepEqual(f.moduleLinks, {
    specifiers: ['../lib/mail', './db', './jobs/report', './routes/index.js', 'express'],
    reExports: [{ module: './routes/index.js' }],
  });
  // No env read anywhere: the file is never parsed, and its imports are still known.
  assert.equal(f.reads.length, 0);
  assert.equal(extractFile('api/src/server.test.ts', text).moduleLinks, undefined);
  assert.equal(extractFile('api/src/types.d.ts', "export * from './db';").moduleLinks, undefined);
});

test('re-exports: `export * from` and `export { a, b as c } from`, with the names they give; not a namespace re-export, a type-only one or a local export list', () => {
  const links = (text: string) => extractFile('packages/shared/src/index.ts', text).moduleLinks;
  assert.deepEqual(links([
    "export * from './mode.js';",
    "export { parse, parseValue as parseMode, default as client } from './parse';",
    "export * as tools from './tools';",
    "export type { Mode } from './types';",
    "export { type Kind, kind } from './kind';",
    'const local = 1;',
    'export { local };',
    "import { x } from './x';",
  ].join('\n'))?.reExports, [
    { module: './mode.js' },
    { module: './parse', names: { parse: 'parse', parseMode: 'parseValue', client: 'default' } },
    { module: './kind', names: { kind: 'kind' } },
  ]);
  // A name exported as itself and under another name too: both.
  assert.deepEqual(links("export {\n  authSession,\n  authSession as session,\n} from './auth';\n")?.reExports, [
    { module: './auth', names: { authSession: 'authSession', session: 'authSession' } },
  ]);
});

test('a computed module name makes what a module loads unknown; a literal one, a method named require or a string does not', () => {
  const links = (text: string) => extractFile('api/src/loader.js', text).moduleLinks;
  assert.equal(links("for (const f of files) app.use(require(path.join(__dirname, 'routes', f)));")?.dynamic, true);
  assert.equal(links('const mod = await import(`./plugins/${name}.js`);')?.dynamic, true);
  assert.equal(links("const x = require('./routes/' + name);")?.dynamic, true);
  assert.equal(links("const r = require('./routes');\nconst y = import('./lazy');")?.dynamic, undefined);
  assert.equal(links("resolver.require(name);\nconst note = 'call require(x) to load';")?.dynamic, undefined);
});

test('a computed name that ends in a JSON file loads data, no module: what the module loads stays known', () => {
  const links = (text: string) => extractFile('api/src/config/firebase.ts', text).moduleLinks;
  const loaded = [
    "const saPath = path.join(process.cwd(), 'firebase-service-account.json');\nif (fs.existsSync(saPath)) {\n  const sa = require(saPath);\n}",
    "const saPath =\n  path.resolve(__dirname, '../keys', 'sa.json');\nconst sa = require(saPath);",
    "const sa = require(path.join(__dirname, '..', 'keys', 'sa.json'));",
    'const messages = require(`./locales/${lang}.json`);',
  ];
  for (const text of loaded) assert.equal(links(text)?.dynamic, undefined, text);
  // Look-alikes: more text after the name, a choice, a name that is not constant or declared
  // again, a constant of other text.
  const unknown = [
    "const p = 'base.json' + ext;\nrequire(p);",
    "require(path.join(dir, 'x.json') + '.js');",
    "require(useJson ? 'x.js' : 'x.json');",
    "const p = custom || 'defaults.json';\nrequire(p);",
    "let p = 'x.json';\np = other;\nrequire(p);",
    "function a() { const p = 'x.json'; return require(p); }\nfunction b() { const p = name; return require(p); }",
    "const p = path.join(dir, name);\nrequire(p);",
  ];
  for (const text of unknown) assert.equal(links(text)?.dynamic, true, text);
});

test('tsconfig: the path patterns and baseUrl that make bare specifiers the project\'s own, with comments allowed', () => {
  const f = extractFile('api/tsconfig.json', '{\n  // paths for the app\n  "extends": "../tsconfig.base.json",\n  "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/*"], "@db": ["src/db/index.ts"] }, },\n}\n');
  assert.deepEqual(f.moduleAliases, { paths: { '@app/*': ['src/*'], '@db': ['src/db/index.ts'] }, baseUrl: '.', extends: '../tsconfig.base.json' });
  assert.equal(extractFile('api/tsconfig.json', '{ "compilerOptions": { "strict": true } }').moduleAliases, undefined);
  assert.equal(extractFile('api/tsconfig.json', '{ not json').moduleAliases, undefined);
});

test("a module's directive ('use client', 'use server'): a string statement before any other, read with the lexer", () => {
  const cases: [string, 'use client' | 'use server' | undefined][] = [
    ["'use client';\nimport x from 'y';\n", 'use client'],
    ['// a comment\n"use client"\nexport default 1;\n', 'use client'],
    ["'use strict';\n'use server';\nexport async function act() {}\n", 'use server'],
    ["/* header */ 'use server'", 'use server'],
    // Not a directive: after another statement, or an expression of its own.
    ["import a from 'b';\n'use client';\n", undefined],
    ["'use client'.length;\n", undefined],
    ["const s = 'use client';\n", undefined],
  ];
  for (const [text, directive] of cases) assert.equal(extractFile('app/x.tsx', text).directive, directive, text);
});

test('where a module uses what it imports: the top-level functions alone using each name, from the tokens; any other use, or a shape not known for certain, records nothing', () => {
  const usedOnlyIn = (text: string, file = 'lib/jobs.ts'): Record<string, string[]> | undefined => extractFile(file, text).usedOnlyIn;
  const head = "import { upload, notify as tell, type Rec } from './storage';\nimport render from './render';\n";
  // In function bodies only: declarations, async and generator ones, arrows, function values,
  // with types holding braces in their heads; comments name nothing.
  const inside = [
    '/** upload(x) and render(x) are used below. */',
    'export async function closeSession(id: string, opts: { fast: boolean }): Promise<{ ok: boolean }> {',
    '  await upload(id);',
    '  return { ok: true };',
    '}',
    'export const sweep = async (ids: string[]): Promise<void> => {',
    '  for (const id of ids) closeSession(id);',
    '  tell(ids.length);',
    '};',
    'const page = function (rec: Rec) { return render(rec); }',
    'function* walk() { yield render(1); }',
  ].join('\n');
  assert.deepEqual(usedOnlyIn(head + inside), {
    upload: ['closeSession'], tell: ['sweep'], render: ['page', 'walk'],
    closeSession: ['sweep'], sweep: [], page: [], walk: [],
  });
  // Outside every function: a top-level call, a reference kept in a value, an export list, a class
  // body, a default export's body, a call's callback, an object literal, a name frameworks call.
  const outside: [string, string][] = [
    ['a top-level call', 'upload(1);\n'],
    ['a value holding it', 'export const handlers = [upload];\n'],
    ['an export list', 'export { upload };\n'],
    ['a class method', 'export class Jobs {\n  run() { return upload(1); }\n}\n'],
    ['a default export', 'export default function run() {\n  return upload(1);\n}\n'],
    ['a callback', "app.get('/', async () => {\n  await upload(1);\n});\n"],
    ['an object literal', 'export const service = {\n  run: () => upload(1),\n};\n'],
    ['a conditional function value', 'export const run = flag ? () => { upload(1); } : undefined;\n'],
    ['a name frameworks call', 'export async function middleware() {\n  return upload(1);\n}\n'],
  ];
  for (const [how, tail] of outside) assert.equal(usedOnlyIn(head + tail)?.upload, undefined, how);
  assert.deepEqual(usedOnlyIn(head + 'export function upload2() {\n  return upload2();\n}\n')?.upload2, undefined, 'recursion');
  // A route file's functions run by its place: nothing recorded. A type-only import binds no value.
  assert.equal(usedOnlyIn(head + inside, 'app/api/x/route.ts'), undefined);
  assert.equal(usedOnlyIn(head + inside)?.Rec, undefined);
  // `import.meta` and `import(…)` bind nothing and keep the scan going.
  assert.deepEqual(usedOnlyIn("import { upload } from './s';\nconst u = import.meta.url;\nfunction goAhead() { return import('./x').then(() => upload(u)); }\n"), { upload: ['goAhead'], goAhead: [] });
});
