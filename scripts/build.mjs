// Bundles the CLI, the language server (each behind a small launcher) and the extension with
// esbuild (CJS, node20) and copies the WebAssembly grammars and the rule docs next to the
// bundles. protocol/ (the custom messages and command ids) is imported by both the server and the
// extension, so it lands in both bundles.
//
//   node scripts/build.mjs            development: readable bundles with source maps
//   node scripts/build.mjs --release  what ships (npm pack, the .vsix): minified, no source maps
//
// Every runtime dependency is bundled: the shipped package needs nothing but Node's built-ins.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, cpSync, chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const release = process.argv.includes('--release');
mkdirSync('dist', { recursive: true });
// Source maps never ship: a release build removes those of an earlier development build.
if (release) for (const f of readdirSync('dist')) if (f.endsWith('.map')) rmSync(join('dist', f));

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !release,
  logLevel: 'warning',
  minify: release || process.argv.includes('--minify'),
  // Class and function names survive minification: error messages and stack traces stay readable.
  keepNames: release,
  // Licence comments of bundled code (TypeScript's inside ts-morph) stay, at the end of each bundle.
  legalComments: release ? 'eof' : 'inline',
  // web-tree-sitter's CJS build calls createRequire(import.meta.url): give it the bundle's URL.
  define: { 'import.meta.url': '__importMetaUrl' },
};
const metaUrl = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";

/**
 * `import("module")` / `import("fs/promises")` of a Node built-in (web-tree-sitter's Node set-up
 * does both) become a bundled shim that `require`s it: the CLI and the server bundles hold no
 * dynamic `import()` at all. On Node 20 a script compiled from a V8 code cache (the launchers,
 * server/src/launch/code-cache.ts) loses its dynamic-import callback, and such an `import()`
 * would throw ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. (esbuild's own lowering, `supported: { 'dynamic-import':
 * false }`, writes `require(...)` in place, which web-tree-sitter shadows with a local `var require`.)
 */
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const builtinDynamicImports = {
  name: 'builtin-dynamic-imports',
  setup(b) {
    b.onResolve({ filter: /^[a-z0-9:_/]+$/ }, (args) => (args.kind === 'dynamic-import' && builtins.has(args.path) ? { path: args.path, namespace: 'node-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/** chunks/load.ts's source-mode `require('./parsing')` stays a require (never run in a bundle). */
const leaveOutParsing = {
  name: 'leave-out-parsing',
  setup(b) {
    b.onResolve({ filter: /^\.\/parsing$/ }, (args) => (args.importer.endsWith(join('chunks', 'load.ts')) ? { path: args.path, external: true } : undefined));
  },
};

// dist/cli.js and dist/server.js (the package's `bin`, the extension's server module) are small
// launchers that load the bundles through a V8 code cache (server/src/launch/code-cache.ts).
//
// Everything that parses code (server/src/chunks/parsing.ts: the extractors, the grammars, the
// TypeScript compiler, nine tenths of the code) is its own bundle, dist/parsing.js, shared by the
// CLI and the server, which load it on first use (chunks/load.ts): a run answered from the fact
// cache never does.
const entries = [
  { in: 'server/src/launch/cli.ts', out: 'dist/cli.js', shebang: true },
  { in: 'server/src/cli/main.ts', out: 'dist/cli-main.js', launched: true, leavesOutParsing: true },
  { in: 'server/src/launch/server.ts', out: 'dist/server.js', shebang: true },
  { in: 'server/src/lsp/main.ts', out: 'dist/server-main.js', launched: true, leavesOutParsing: true },
  { in: 'server/src/chunks/parsing.ts', out: 'dist/parsing.js', launched: true },
  { in: 'client/src/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
].filter((e) => existsSync(e.in));

const results = await Promise.all(entries.map((e) => build({
  ...common,
  entryPoints: [e.in],
  outfile: e.out,
  external: e.external ?? [],
  plugins: [...(e.launched ? [builtinDynamicImports] : []), ...(e.leavesOutParsing ? [leaveOutParsing] : [])],
  ...(e.leavesOutParsing ? { define: { ...common.define, PARSING_CHUNK: JSON.stringify('parsing.js') } } : {}),
  metafile: true,
  banner: { js: (e.shebang ? '#!/usr/bin/env node\n' : '') + metaUrl },
})));
for (const e of entries) if (e.shebang) chmodSync(e.out, 0o755);
// A launched bundle compiled from cached data on Node 20 cannot run a dynamic import (see above);
// one that esbuild bundled is a plain function call, one left external is a real import().
entries.forEach((e, i) => {
  if (!e.launched) return;
  const left = Object.entries(results[i].metafile.inputs).flatMap(([file, input]) => input.imports.filter((im) => im.kind === 'dynamic-import' && im.external).map((im) => `${file}: import("${im.path}")`));
  if (left.length) throw new Error(`${e.out} would hold a dynamic import(), which fails once the bundle is loaded from the V8 code cache on Node 20:\n  ${left.join('\n  ')}`);
});

// The bundles that leave the parsing chunk out must not hold a copy of it, and the chunk must not
// hold the door to itself.
const heavy = /node_modules\/(typescript|ts-morph|@ts-morph|web-tree-sitter|dockerfile-ast)\/|server\/src\/(extract\/index|parsers\/tree-sitter|parsers\/ts-checker)\.ts$/;
entries.forEach((e, i) => {
  const inputs = Object.keys(results[i].metafile.inputs);
  const bad = e.leavesOutParsing ? inputs.filter((f) => heavy.test(f)) : e.out === 'dist/parsing.js' ? inputs.filter((f) => f.endsWith('chunks/load.ts')) : [];
  if (bad.length) throw new Error(`${e.out} holds what the parsing chunk alone should:\n  ${bad.slice(0, 10).join('\n  ')}`);
});

const wasm = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  join(dirname(require.resolve('tree-sitter-bash/package.json')), 'tree-sitter-bash.wasm'),
  // Only the Terraform dialect is loaded (parsers/tree-sitter.ts); the package's other files stay out of dist/.
  join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm'),
  join(dirname(require.resolve('tree-sitter-powershell/package.json')), 'tree-sitter-powershell.wasm'),
];
for (const w of wasm) copyFileSync(w, join('dist', w.split('/').pop()));
if (existsSync('docs/rules')) cpSync('docs/rules', 'dist/docs/rules', { recursive: true });
writeNotices(results, ['web-tree-sitter', 'tree-sitter-python', 'tree-sitter-bash', '@tree-sitter-grammars/tree-sitter-hcl', 'tree-sitter-powershell']);

/**
 * dist/THIRD-PARTY-NOTICES.txt: the name, version, license and license text of every package
 * bundled into dist/ (or whose grammar is copied there), as their licenses ask of copies.
 */
function writeNotices(builds, extra) {
  const dirs = new Set();
  for (const r of builds) {
    for (const input of Object.keys(r.metafile.inputs)) {
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) dirs.add(m[1]);
    }
  }
  for (const name of extra) if (existsSync(join('node_modules', name, 'package.json'))) dirs.add(join('node_modules', name));
  const sections = [...dirs].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(dir).find((f) => /^(licen[sc]e|copying)(\.|$)/i.test(f));
    const text = licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
    return `${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})\n${'-'.repeat(72)}\n${text}\n`;
  });
  writeFileSync('dist/THIRD-PARTY-NOTICES.txt', `Deploy Preflight bundles the following packages.\n\n${sections.join('\n')}`);
}
if (watch) console.log('watch mode is not implemented; run npm run build again');
