// Packages the VS Code extension (deploy-preflight.vsix) from a staging folder holding exactly what
// the extension ships, built offline:
//   node scripts/package-vsix.mjs [--out <file.vsix>]      (npm run package builds dist/ first)
//
// Why a staging folder: the npm package and the extension ship different files from one
// package.json. npm reads its `files` allow-list (the CLI and the language server); vsce refuses
// a `files` list next to a .vscodeignore, and the extension needs its own set (the extension
// bundle, the grammar, the schema, the icon, the Marketplace README). So the manifest is copied
// without `files`, `scripts` and the dependency lists, next to the extension's files, and vsce
// packages that folder with the extension's README (client/README.md) as its README.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = resolve(outArg >= 0 ? process.argv[outArg + 1] : join(REPO, 'deploy-preflight.vsix'));

/** Repository path → path in the extension. */
const SHIPPED = [
  ['dist/extension.js', 'dist/extension.js'],
  ['dist/server.js', 'dist/server.js'],
  ['dist/server-main.js', 'dist/server-main.js'],
  ['dist/parsing.js', 'dist/parsing.js'],
  ['dist/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm'],
  ['dist/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm'],
  ['dist/tree-sitter-bash.wasm', 'dist/tree-sitter-bash.wasm'],
  ['dist/tree-sitter-terraform.wasm', 'dist/tree-sitter-terraform.wasm'],
  ['dist/tree-sitter-powershell.wasm', 'dist/tree-sitter-powershell.wasm'],
  ['dist/docs/rules', 'dist/docs/rules'],
  ['dist/THIRD-PARTY-NOTICES.txt', 'dist/THIRD-PARTY-NOTICES.txt'],
  ['syntaxes', 'syntaxes'],
  ['schemas/deploy-preflight.schema.json', 'schemas/deploy-preflight.schema.json'],
  ['images/icon.png', 'images/icon.png'],
  ['media/matrix.js', 'media/matrix.js'],
  ['media/matrix.css', 'media/matrix.css'],
  ['client/README.md', 'README.md'],
  ['CHANGELOG.md', 'CHANGELOG.md'],
  ['LICENSE', 'LICENSE'],
  ['.vscodeignore', '.vscodeignore'],
];

const missing = SHIPPED.filter(([from]) => !existsSync(join(REPO, from))).map(([from]) => from);
if (missing.length) {
  console.error(`package-vsix: missing ${missing.join(', ')} (run npm run package, which builds dist/ first)`);
  process.exit(1);
}

const stage = mkdtempSync(join(tmpdir(), 'deploy-preflight-vsix-'));
try {
  for (const [from, to] of SHIPPED) {
    mkdirSync(dirname(join(stage, to)), { recursive: true });
    cpSync(join(REPO, from), join(stage, to), { recursive: true });
  }
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  for (const k of ['files', 'scripts', 'devDependencies', 'dependencies', 'bin']) delete manifest[k];
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  const vsce = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out], {
    cwd: stage, stdio: 'inherit', env: { ...process.env, npm_config_offline: 'true', NO_UPDATE_NOTIFIER: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
