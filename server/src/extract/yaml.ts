import type { FileFacts } from './facts';
// STUB: to be written (issue 2).
export function extractYaml(_file: string, _text: string, _facts: FileFacts): void {}
