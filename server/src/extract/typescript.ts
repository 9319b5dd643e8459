import type { FileFacts } from './facts';
import type { ExtractOptions } from './options';
// STUB: to be written (issue 2).
export function extractTypeScript(_file: string, _text: string, _facts: FileFacts, _options: ExtractOptions): void {}
