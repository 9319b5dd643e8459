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

/**
 * What the language status item knows: the active file's problems, the workspace's (from the
 * server), and the server's life — a restart in progress, unexpected exits the client recovered
 * from, or the client giving up after too many.
 */
export interface StatusState {
  indexing: boolean;
  here: number;
  workspace: number | undefined;
  stopped?: boolean;
  /** A restart is under way (the Restart Server command, or the client after an unexpected exit). */
  restarting?: boolean;
  /** Unexpected exits of the server since activation or the last Restart Server. */
  crashes?: number;
  /** When the last unexpected exit happened (a time of day, as the user reads it). */
  lastCrash?: string;
  /** The client stopped restarting the server (it exited too often in a short time). */
  gaveUp?: boolean;
}

/** The language status item's text: the active file's problems and the workspace's. */
export function statusText(state: StatusState): string {
  if (state.gaveUp) return 'stopped (server crashed)';
  // (A restart passes through "stopped": the restart is what the user should read.)
  if (state.restarting) return 'restarting…';
  if (state.stopped) return 'stopped';
  if (state.indexing || state.workspace === undefined) return 'indexing…';
  return `${state.here} here · ${state.workspace} in workspace`;
}

export const STATUS_DETAIL = 'problems in this file · in the workspace';

/**
 * The status item's detail line: what the counts mean, and what happened to the server when it
 * did not stop on request — a crash the user would otherwise only learn of from stale counts.
 */
export function statusDetail(state: StatusState): string {
  const crashes = state.crashes ?? 0;
  if (state.gaveUp) {
    return `the language server exited ${plural(crashes, 'time')} and was not restarted again: run Deploy Preflight: Restart Server (details in Show Output)`;
  }
  if (crashes === 0) return STATUS_DETAIL;
  const when = state.lastCrash ? ` at ${state.lastCrash}` : '';
  const times = crashes > 1 ? ` (${plural(crashes, 'time')})` : '';
  if (state.restarting) return `the language server exited unexpectedly${when}${times}; restarting it`;
  return `${STATUS_DETAIL} · the language server exited unexpectedly${when}${times} and was restarted`;
}
