/**
 * dist/server.js: starts the language server bundle (dist/server-main.js, which starts the server
 * when loaded) through the V8 code cache (./code-cache.ts), in the fact cache's folder. A server
 * may never exit normally, so the code cache is written a few seconds after the start.
 */
import * as path from 'node:path';
import { defaultCacheLocation } from '../core/cache-location';
import { setChunkLoader } from '../core/chunk-loader';
import { loadBundle } from './code-cache';

const options = { cacheDir: defaultCacheLocation(), writeAfterMs: 10_000 };
// The parsing chunk (dist/parsing.js), when the server needs it, through the same code cache.
setChunkLoader((file) => loadBundle(file, options).exports);
loadBundle(path.join(__dirname, 'server-main.js'), options);
