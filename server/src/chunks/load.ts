/**
 * The one door to the parsing chunk (./parsing.ts). From the sources (tests, tsx) it is an
 * ordinary module. The bundles leave it out (scripts/build.mjs): there `PARSING_CHUNK` names
 * dist/parsing.js, loaded next to the bundle through the launcher's code cache when a launcher
 * set one up (core/chunk-loader.ts), else by a plain `require`.
 */
import * as path from 'node:path';
import { chunkLoader } from '../core/chunk-loader';
import type * as Parsing from './parsing';

export type ParsingChunk = typeof Parsing;

/** Set by the build for the bundles: the chunk's file name next to the bundle. */
declare const PARSING_CHUNK: string | undefined;

let chunk: ParsingChunk | undefined;

/** The parsing chunk, loaded on first use (synchronously: extraction is synchronous). */
export function parsing(): ParsingChunk {
  chunk ??= load();
  return chunk;
}

/** Whether the chunk has been loaded in this process (for tests and the bench). */
export function parsingLoaded(): boolean {
  return chunk !== undefined;
}

function load(): ParsingChunk {
  if (typeof PARSING_CHUNK === 'string') {
    const file = path.join(__dirname, PARSING_CHUNK);
    return (chunkLoader()?.(file) ?? require(file)) as ParsingChunk;
  }
  return require('./parsing') as ParsingChunk;
}
