import type { FileFacts } from './facts';
// STUB: to be written (issue 2). Fills facts.envFile and facts.dbUrls.
export function extractDotenv(_text: string, _facts: FileFacts): void {}
