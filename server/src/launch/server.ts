/**
 * dist/server.js: starts the language server bundle (dist/server-main.js, which starts the server
 * when loaded) through the V8 code cache (./code-cache.ts), in the fact cache's folder. A server
 * may never exit normally, so the code cache is written a few seconds after the start.
 */
import * as path from 'node:path';
import { defaultCacheLocation } from '../core/cache-location';
import { loadBundle } from './code-cache';

loadBundle(path.join(__dirname, 'server-main.js'), { cacheDir: defaultCacheLocation(), writeAfterMs: 10_000 });
