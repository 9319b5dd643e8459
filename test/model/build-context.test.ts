/** Which files a build context receives, by its `.dockerignore` (Docker's matching rules). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFile } from '../../server/src/extract/index';
import { contextReceives } from '../../server/src/model/build-context';
import type { FileFacts } from '../../server/src/core/facts';

const files = (dockerignore: string, at = 'web/.dockerignore'): Map<string, FileFacts> => new Map([[at, extractFile(at, dockerignore)]]);

test('a .dockerignore is read as its patterns, comments and blank lines left out, each cleaned', () => {
  const facts = extractFile('web/.dockerignore', '# local files\n\n/node_modules/\n./dist\n!.env.production\n  *.local  \n');
  assert.equal(facts.kind, 'dockerignore');
  assert.deepEqual(facts.contextIgnore, [
    { pattern: 'node_modules', negate: false },
    { pattern: 'dist', negate: false },
    { pattern: '.env.production', negate: true },
    { pattern: '*.local', negate: false },
  ]);
});

test('patterns match from the context root; a folder pattern leaves out what it holds; the last match decides', () => {
  const cases: [string, string, boolean][] = [
    ['.env.local', 'web/.env.local', false],
    ['.env.local', 'web/src/.env.local', true], // a bare name matches at the root only
    ['**/.env.local', 'web/src/.env.local', false],
    ['*.local', 'web/.env.local', false],
    ['.env*', 'web/.env.production', false],
    ['.env*\n!.env.production', 'web/.env.production', true],
    ['!.env.production\n.env*', 'web/.env.production', false], // the later pattern wins
    ['config', 'web/config/.env', false], // a folder, and everything in it
    ['src/*.ts', 'web/src/api.ts', false],
    ['src/*.ts', 'web/src/lib/api.ts', true], // `*` stays within a folder
    ['src/**/*.ts', 'web/src/lib/api.ts', false],
    ['.env.[lp]*', 'web/.env.production', false],
    ['.env.?', 'web/.env.production', true],
  ];
  for (const [patterns, file, received] of cases) assert.equal(contextReceives(files(patterns), 'web', file), received, `${JSON.stringify(patterns)} ${file}`);
});

test('no .dockerignore: the whole folder; a file outside the context is never received', () => {
  assert.equal(contextReceives(new Map(), 'web', 'web/.env.local'), true);
  assert.equal(contextReceives(files('*'), '', 'web/.env'), true, "another folder's .dockerignore is not the root context's");
  assert.equal(contextReceives(new Map(), 'web', 'api/.env'), false);
  assert.equal(contextReceives(files('.env', '.dockerignore'), '', '.env'), false, 'the workspace root as the context');
});
