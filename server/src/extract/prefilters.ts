/**
 * The byte-level prefilters (which files, and which parts of a file, reach a parser) are an
 * optimisation that must never change a fact. This switch turns them off, so a test or
 * `scripts/prefilter-check.ts` can extract the same text both ways and compare.
 */
export const prefilters = { enabled: true };
