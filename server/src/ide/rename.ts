/**
 * Renaming an environment variable everywhere it is read or written (code, .env, YAML, shell,
 * Python deploy scripts), or why not: refused when the new name is not a variable name, or when a
 * name built at runtime could also be the old or the new variable.
 */
import type { Analysis } from '../engine/analysis';
import type { FileEdit } from '../core/edits';
import type { Span } from '../core/facts';
import { nameAt, occurrences } from './names';

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type RenameRefusal =
  | { reason: 'invalid-name'; newName: string }
  /** `file` builds a variable name at runtime from `prefix`, which could also be `name` (the
   * variable renamed, or — `target` — the name it would be renamed to). */
  | { reason: 'dynamic-read'; name: string; target: boolean; file: string; span: Span; prefix: string };

export type RenameCheck =
  | { status: 'ok'; name: string; file: string; span: Span }
  | { status: 'refused'; refusal: RenameRefusal };

export type RenamePlan =
  | { status: 'ok'; name: string; edits: FileEdit[] }
  | { status: 'refused'; refusal: RenameRefusal };

/** A dynamic read that could also read `name`, if any. */
export function renameHazard(analysis: Analysis, name: string, target = false): RenameRefusal | undefined {
  for (const [file, facts] of analysis.model().files) {
    for (const d of facts.dynamicReads) {
      if (d.prefix && name.startsWith(d.prefix)) return { reason: 'dynamic-read', name, target, file, span: d.span, prefix: d.prefix };
    }
  }
  return undefined;
}

/** Whether the name at `offset` can be renamed (undefined: no variable name there). */
export function checkRename(analysis: Analysis, file: string, offset: number): RenameCheck | undefined {
  const hit = nameAt(analysis, file, offset);
  if (!hit) return undefined;
  const refusal = renameHazard(analysis, hit.name);
  if (refusal) return { status: 'refused', refusal };
  return { status: 'ok', name: hit.name, file, span: hit.span };
}

/** The edits renaming the variable at `offset` to `newName` (undefined: no variable name there). */
export function planRename(analysis: Analysis, file: string, offset: number, newName: string): RenamePlan | undefined {
  const hit = nameAt(analysis, file, offset);
  if (!hit) return undefined;
  if (!VALID_NAME.test(newName)) return { status: 'refused', refusal: { reason: 'invalid-name', newName } };
  const refusal = renameHazard(analysis, hit.name) ?? (newName !== hit.name ? renameHazard(analysis, newName, true) : undefined);
  if (refusal) return { status: 'refused', refusal };
  const edits = occurrences(analysis, hit.name).map((o) => ({ file: o.file, span: o.span, newText: newName }));
  return { status: 'ok', name: hit.name, edits };
}
