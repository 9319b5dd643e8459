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
