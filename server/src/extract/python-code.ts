import type { FileFacts } from './facts';
import type { ExtractOptions } from './options';
import type { SyntaxNode } from '../parsers/tree-sitter';
// STUB: to be written (issue 2).
export function pythonCodeMayMatter(_text: string, _options: ExtractOptions): boolean { return false; }
export function extractPythonCode(_file: string, _root: SyntaxNode, _text: string, _facts: FileFacts, _options: ExtractOptions): void {}
