/**
 * dist/cli.js: starts the CLI bundle (dist/cli-main.js) through the V8 code cache
 * (./code-cache.ts), in the folder the run's own `--cache-location` / `--no-cache` choose.
 */
import * as path from 'node:path';
import { defaultCacheLocation } from '../core/cache-location';
import { cliCacheDir, loadBundle } from './code-cache';

const { exports } = loadBundle(path.join(__dirname, 'cli-main.js'), { cacheDir: cliCacheDir(process.argv.slice(2), defaultCacheLocation()) });
(exports as { runCli(): void }).runCli();
