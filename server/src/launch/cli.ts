/**
 * dist/cli.js: starts the CLI bundle (dist/cli-main.js) through the V8 code cache
 * (./code-cache.ts), in the folder the run's own `--cache-location` / `--no-cache` choose; so is
 * the parsing chunk it loads when something must be parsed.
 */
import * as path from 'node:path';
import { defaultCacheLocation } from '../core/cache-location';
import { setChunkLoader } from '../core/chunk-loader';
import { cliCacheDir, loadBundle } from './code-cache';

const options = { cacheDir: cliCacheDir(process.argv.slice(2), defaultCacheLocation()) };
// The parsing chunk (dist/parsing.js), when the bundle needs it, through the same code cache.
setChunkLoader((file) => loadBundle(file, options).exports);
const { exports } = loadBundle(path.join(__dirname, 'cli-main.js'), options);
(exports as { runCli(): void }).runCli();
