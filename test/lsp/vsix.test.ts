/**
 * `scripts/package-vsix.mjs` (npm run package) builds the extension offline with vsce from a
 * staging folder; the .vsix holds the bundles, the WebAssembly grammars, the rule docs, the dotenv
 * grammar, the configuration schema, the icon, the manifest, the Marketplace README, the changelog,
 * the license and the bundled packages' notices — and nothing else.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { REPO, ensureBuilt } from './client';
import { RULES } from '../../server/src/rules/registry';

let dir: string;
let vsix: string;

/** Entry names from a zip's central directory. */
function zipEntries(buf: Buffer): string[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extra + comment;
  }
  return names;
}

/** One stored or deflated entry's text. */
function zipText(buf: Buffer, name: string): string {
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0; i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let k = 0; k < count; k++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    if (buf.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nameLen + extra + comment;
  }
  throw new Error(`${name} not in the archive`);
}

before(() => {
  ensureBuilt();
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-vsix-'));
  vsix = path.join(dir, 'deploy-preflight.vsix');
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the .vsix builds offline with only the shipped files', () => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'package-vsix.mjs'), '--out', vsix], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true', NO_UPDATE_NOTIFIER: '1' }, timeout: 120_000,
  });
  assert.equal(r.status, 0, `vsce failed:\n${r.stdout}\n${r.stderr}`);
  console.log(`vsce package: ${Date.now() - started} ms, ${(fs.statSync(vsix).size / 1e6).toFixed(2)} MB`);

  const names = zipEntries(fs.readFileSync(vsix)).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length)).sort();
  for (const required of [
    'package.json', 'LICENSE.txt', 'readme.md', 'changelog.md', 'images/icon.png', 'schemas/deploy-preflight.schema.json',
    'dist/extension.js', 'dist/server.js', 'dist/server-main.js', 'dist/parsing.js',
    'dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'dist/tree-sitter-bash.wasm', 'dist/tree-sitter-terraform.wasm', 'dist/tree-sitter-powershell.wasm',
    'syntaxes/dotenv.tmLanguage.json', 'syntaxes/dotenv.language-configuration.json',
    'media/matrix.js', 'media/matrix.css',
  ]) assert.ok(names.includes(required), `${required} missing from the .vsix: ${names.join(', ')}`);
  const missingDocs = RULES.map((rule) => `dist/docs/rules/${rule.meta.id}.md`).filter((d) => !names.includes(d));
  assert.deepEqual(missingDocs, [], 'every rule ships its doc page');

  for (const n of names) {
    assert.ok(!/\.(ts|tsx|mts|cts)$/.test(n), `TypeScript source shipped: ${n}`);
    assert.ok(!n.endsWith('.map'), `source map shipped: ${n}`);
    assert.ok(!/(^|\/)(node_modules|test|examples|server|client|scripts)\//.test(n), `not shippable: ${n}`);
    assert.ok(!n.startsWith('dist/cli.js') && !n.startsWith('dist/cli-main.js'), `the CLI bundle is not part of the extension: ${n}`);
  }
  // Everything shipped is accounted for: bundles, wasm, docs, grammar, the matrix webview's assets, manifest, readme, license.
  const unexpected = names.filter((n) => !/^(dist\/(extension|server|server-main|parsing)\.js|dist\/[\w-]+\.wasm|dist\/docs\/rules\/[\w-]+\.md|dist\/THIRD-PARTY-NOTICES\.txt|syntaxes\/dotenv\.[\w.-]+\.json|schemas\/deploy-preflight\.schema\.json|media\/matrix\.(js|css)|images\/icon\.png|package\.json|readme\.md|LICENSE\.txt|changelog\.md)$/.test(n));
  assert.deepEqual(unexpected, []);
  console.log(`vsix: ${names.length} files`);

  // The Marketplace page is the user's README (features, settings, commands), not the contributor's.
  const readme = zipText(fs.readFileSync(vsix), 'extension/readme.md');
  for (const h of ['## Features', '## Settings', '## Commands']) assert.ok(readme.includes(h), `${h} in the extension README`);
  assert.ok(!readme.includes('npm test'), 'not the contributor README');
  // Its screenshots are not shipped (the .vsix stays small): vsce only accepts absolute https
  // images without --baseImagesUrl, so they are the repository's own files at their GitHub raw
  // URLs, written by the UI suite (E2E_UPDATE_SCREENSHOTS=1) and kept small for the page.
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 3, `screenshots in the Marketplace README: ${images.join(', ')}`);
  for (const url of images) {
    const m = /^https:\/\/raw\.githubusercontent\.com\/deploy-preflight\/deploy-preflight\/main\/(images\/screenshots\/[\w-]+\.png)$/.exec(url);
    assert.ok(m, `${url}: an https raw URL of images/screenshots/*.png in this repository`);
    const file = path.join(REPO, m[1]);
    assert.ok(fs.existsSync(file), `${m[1]} (linked from the Marketplace README) is committed`);
    assert.ok(fs.statSync(file).size <= 300 * 1024, `${m[1]}: ${fs.statSync(file).size} bytes, over 300 KB`);
    assert.equal(fs.readFileSync(file).subarray(1, 4).toString('ascii'), 'PNG', m[1]);
  }
  const shipped = JSON.parse(zipText(fs.readFileSync(vsix), 'extension/package.json'));
  for (const k of ['files', 'scripts', 'devDependencies', 'dependencies']) assert.equal(shipped[k], undefined, `${k} is npm's, not the extension's`);
  assert.equal(shipped.main, './dist/extension.js');
  assert.equal(shipped.icon, 'images/icon.png');

  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  assert.equal(manifest.main, './dist/extension.js');
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
  assert.match(manifest.bugs.url, /^https:\/\/github\.com\/.+\/issues$/);
  assert.match(manifest.homepage, /^https:\/\//);
  // The icon: a PNG of at least 128×128 (the Marketplace minimum).
  const png = fs.readFileSync(path.join(REPO, manifest.icon));
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128);
  assert.deepEqual(manifest.contributes.commands.map((c: { category: string; title: string }) => `${c.category}: ${c.title}`), [
    'Deploy Preflight: Check Workspace', 'Deploy Preflight: Fix All', 'Deploy Preflight: Show Output', 'Deploy Preflight: Restart Server',
    'Deploy Preflight: Show Deploy Matrix', 'Deploy Preflight: Explain',
  ]);
  assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(), [
    'deployPreflight.configFile', 'deployPreflight.enable', 'deployPreflight.rules', 'deployPreflight.scope', 'deployPreflight.trace.server',
  ]);
});

test('the dotenv grammar scopes keys, export, interpolation and comments', () => {
  const grammar = JSON.parse(fs.readFileSync(path.join(REPO, 'syntaxes', 'dotenv.tmLanguage.json'), 'utf8'));
  assert.equal(grammar.scopeName, 'source.dotenv');
  const entry = new RegExp(grammar.repository.entry.begin);
  const m = entry.exec('export DATABASE_URL=postgres://x');
  assert.deepEqual([m?.[1], m?.[2], m?.[3]], ['export', 'DATABASE_URL', '=']);
  const interp = new RegExp(grammar.repository.interpolation.patterns[0].match);
  assert.equal(interp.exec('"${HOST:-localhost}"')?.[2], 'HOST');
  assert.ok(new RegExp(grammar.repository.comment.match).test('  # a comment'));
  assert.ok(!new RegExp(grammar.repository.comment.match).test('KEY=value # trailing'));
});
