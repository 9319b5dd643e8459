/**
 * The parsing chunk: everything that parses code (the extractors, the tree-sitter grammars, the
 * TypeScript compiler and the type checker's look-ups). It is nine tenths of the engine's code,
 * and a run answered from the fact cache needs none of it, so the rest of the engine reaches it
 * only through `parsing()` (./load.ts), which loads it on first use. The build bundles this file
 * on its own (dist/parsing.js); nothing outside this folder imports these modules' values.
 */
export { extractFile } from '../extract/index';
export { initParsers } from '../parsers/tree-sitter';
export { checkTsComparisons, tsImportSpecifiers } from '../parsers/ts-checker';
