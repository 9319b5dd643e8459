import type { FileFacts } from './facts';
import type { SyntaxNode } from '../parsers/tree-sitter';
// STUB: to be written (issue 2).
export function pythonDeployMayMatter(_text: string): boolean { return false; }
export function extractPythonDeploy(_file: string, _root: SyntaxNode, _text: string, _facts: FileFacts): void {}
