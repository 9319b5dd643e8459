import type { DeployFact, FileFacts } from './facts';
export interface ShellOptions { via: DeployFact['via']; environmentHints?: DeployFact['environmentHints']; }
// STUB: to be written (issue 2).
export function extractShell(_text: string, _facts: FileFacts, _opts: ShellOptions): void {}
