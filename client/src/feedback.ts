/**
 * The text the extension shows for the server's answers: Fix All, Check Workspace, the language
 * status item. Pure functions of the protocol's results (no `vscode` import), so they are unit
 * tested without an editor.
 */
import type { CheckWorkspaceResult, FixAllResult } from '../../protocol';

/** How many changed files a message names before "and N more". */
export const MAX_FILES_LISTED = 5;

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** `a, b, c and 2 more` (at most `max` names). */
export function listNames(names: readonly string[], max = MAX_FILES_LISTED): string {
  if (names.length <= max) return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export interface FixAllFeedback {
  /** The notification's text. */
  message: string;
  /** Something changed: offer "Show changes". */
  changed: boolean;
}

/** What Fix All says: the files changed (with fixes per file), or why nothing applied. */
export function fixAllFeedback(r: FixAllResult | null | undefined): FixAllFeedback {
  if (!r) return { message: 'Deploy Preflight: Fix All got no answer from the language server (see Deploy Preflight: Show Output).', changed: false };
  const files = r.files ?? [];
  const left = r.left ? ` ${plural(r.left, 'problem')} left for you: ${r.left === 1 ? 'its fix needs' : 'their fixes need'} a value or a decision only you have.` : '';
  if (r.applied > 0) {
    const names = files.map((f) => (files.length > 1 && f.fixes > 1 ? `${f.path} (${f.fixes})` : f.path));
    const where = files.length ? ` in ${plural(files.length, 'file')}: ${listNames(names)}` : '';
    return { message: `Deploy Preflight: ${plural(r.applied, 'fix', 'fixes')} applied${where}.${left}`, changed: true };
  }
  return { message: `Deploy Preflight: ${r.reason ?? 'nothing was fixed'}.`, changed: false };
}

/** What Check Workspace says: files checked and problems by severity. */
export function checkWorkspaceFeedback(r: CheckWorkspaceResult | null | undefined): string {
  if (!r) return 'Deploy Preflight: Check Workspace got no answer from the language server (see Deploy Preflight: Show Output).';
  const checked = `${plural(r.files ?? 0, 'file')} checked${(r.folders ?? 1) > 1 ? ` in ${plural(r.folders, 'folder')}` : ''}`;
  if (r.findings === 0) return `Deploy Preflight: ${checked}, no problems found.`;
  const p = r.problems;
  const bySeverity = p ? [p.error ? plural(p.error, 'error') : '', p.warning ? plural(p.warning, 'warning') : '', p.info ? `${p.info} info` : ''].filter(Boolean).join(', ') : '';
  return `Deploy Preflight: ${checked}: ${plural(r.findings, 'problem')}${bySeverity ? ` (${bySeverity})` : ''}.`;
}

/** The language status item's text: the active file's problems and the workspace's. */
export function statusText(state: { indexing: boolean; here: number; workspace: number | undefined; stopped?: boolean }): string {
  if (state.stopped) return 'stopped';
  if (state.indexing || state.workspace === undefined) return 'indexing…';
  return `${state.here} here · ${state.workspace} in workspace`;
}
