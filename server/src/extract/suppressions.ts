import type { FileKind, Suppression } from './facts';
// STUB: to be written (issue 3).
export function extractSuppressions(_text: string, _kind: FileKind): Suppression[] { return []; }
