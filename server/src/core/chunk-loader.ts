/**
 * How a bundle loads a chunk it leaves out (dist/parsing.js: chunks/load.ts): the launcher that
 * loaded the bundle through the V8 code cache (launch/code-cache.ts) sets a loader here that loads the
 * chunk the same way; without a launcher (a bundle required directly, a worker thread) there is
 * none and the chunk is an ordinary `require`. Declared once, imported by both sides.
 */
const KEY = Symbol.for('deploy-preflight.chunk-loader');

type ChunkLoader = (file: string) => unknown;

export function setChunkLoader(load: ChunkLoader): void {
  (globalThis as Record<symbol, unknown>)[KEY] = load;
}

export function chunkLoader(): ChunkLoader | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as ChunkLoader | undefined;
}
