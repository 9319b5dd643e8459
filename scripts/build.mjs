// Bundles the CLI, the language server and the extension with esbuild (CJS, node20) and copies
// the WebAssembly grammars and the rule docs next to the bundles. protocol/ (the custom messages
// and command ids) is imported by both the server and the extension, so it lands in both bundles.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, cpSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
mkdirSync('dist', { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  minify: process.argv.includes('--minify'),
  // web-tree-sitter's CJS build calls createRequire(import.meta.url): give it the bundle's URL.
  define: { 'import.meta.url': '__importMetaUrl' },
};
const metaUrl = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";

const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js', shebang: true },
  { in: 'server/src/lsp/main.ts', out: 'dist/server.js', shebang: true },
  { in: 'client/src/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
].filter((e) => existsSync(e.in));

await Promise.all(entries.map((e) => build({
  ...common,
  entryPoints: [e.in],
  outfile: e.out,
  external: e.external ?? [],
  banner: { js: (e.shebang ? '#!/usr/bin/env node\n' : '') + metaUrl },
})));
for (const e of entries) if (e.shebang) chmodSync(e.out, 0o755);

const wasm = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  join(dirname(require.resolve('tree-sitter-bash/package.json')), 'tree-sitter-bash.wasm'),
  // Only the Terraform dialect is loaded (parsers/tree-sitter.ts); the package's other files stay out of dist/.
  join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm'),
];
for (const w of wasm) copyFileSync(w, join('dist', w.split('/').pop()));
if (existsSync('docs/rules')) cpSync('docs/rules', 'dist/docs/rules', { recursive: true });
if (watch) console.log('watch mode is not implemented; run npm run build again');
