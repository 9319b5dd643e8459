/**
 * The server's commands (`workspace/executeCommand`): check the workspace, fix all, explain. The
 * counts, the fix plan's summary and the explain text come from the engine façade and ide/; this
 * turns them into the protocol's results, applies the edits through the client, and logs one line
 * per command (counts and workspace-relative paths only, never a value).
 */
import * as path from 'node:path';
import { summarizeFixPlan, mergeSummaries, noFixReason, leftCount, type FixAllSummary } from '../../ide/fix-all';
import { formatExplain } from '../../ide/explain-text';
import { toWorkspaceEdit } from './code-actions';
import type { Folder, Session } from '../session';
import type { CheckWorkspaceResult, ExplainResult, FixAllFile, FixAllResult } from '../../../../protocol';

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

export const folderName = (f: Folder): string => path.basename(f.root) || f.root;

/** A folder's path for a file, prefixed by the folder's name when several folders are open. */
function shownPath(session: Session, folder: Folder, rel: string): string {
  return session.folders.size > 1 ? `${folderName(folder)}/${rel}` : rel;
}

export async function checkWorkspace(session: Session): Promise<CheckWorkspaceResult> {
  const started = Date.now();
  const folders = [...session.folders.values()];
  await Promise.all(folders.map((f) => session.index(f)));
  const result: CheckWorkspaceResult = { findings: 0, files: 0, folders: folders.length, problems: { error: 0, warning: 0, info: 0 } };
  for (const f of folders) {
    if (!f.settings.enable || !session.settings.enable) continue;
    const findings = f.analysis.findings();
    result.findings += findings.length;
    result.files += f.analysis.fileCount();
    for (const x of findings) result.problems[x.severity]++;
  }
  session.log('info', `check workspace: ${plural(result.files, 'file')} in ${plural(result.folders, 'folder')}, ${plural(result.findings, 'problem')} ` +
    `(${result.problems.error} errors, ${result.problems.warning} warnings, ${result.problems.info} info) in ${Date.now() - started} ms`);
  return result;
}

/** Applies the safe fixes of one document (`uri`) or of every folder, each folder's as one workspace edit. */
export async function fixAll(session: Session, uri: string | undefined): Promise<FixAllResult> {
  const target = uri ? session.locate(uri) : undefined;
  const files: FixAllFile[] = [];
  const summaries: FixAllSummary[] = [];
  let applied = 0;
  let refused = false;
  for (const folder of session.folders.values()) {
    if (uri && target?.folder !== folder) continue;
    if (uri) session.flush(uri);
    const plan = folder.analysis.fixPlan(target ? { file: target.rel } : {});
    const summary = summarizeFixPlan(plan);
    summaries.push(summary);
    if (!plan.edits.length) continue;
    const edit = toWorkspaceEdit({ analysis: folder.analysis, uriOf: (r) => folder.uriOf(r) }, plan.edits);
    const res = await session.connection.workspace.applyEdit({ label: 'Deploy Preflight: fix all', edit });
    if (!res.applied) {
      refused = true;
      session.log('warn', `fix all: the editor did not apply the edit to ${folderName(folder)}${res.failureReason ? `: ${res.failureReason}` : ''}`);
      continue;
    }
    applied += plan.fixes.length;
    for (const f of summary.files) files.push({ path: shownPath(session, folder, f.file), uri: folder.uriOf(f.file), fixes: f.fixes });
  }
  const all = mergeSummaries(summaries);
  const scope = uri ? (target ? target.rel : 'this file') : 'the workspace';
  const reason = applied > 0 ? undefined
    : refused ? 'no fix applied: the editor refused the edit (a file changed or is read-only?)'
      : !uri || target ? noFixReason(all, scope) : 'nothing to fix: this file is not in a workspace folder';
  const result: FixAllResult = { applied, files, left: leftCount(all), ...(reason ? { reason } : {}) };
  session.log('info', applied > 0
    ? `fix all (${scope}): ${plural(applied, 'fix', 'fixes')} applied in ${plural(files.length, 'file')}: ${files.map((f) => `${f.path} (${f.fixes})`).join(', ')}` +
      `${result.left ? `; ${plural(result.left, 'problem')} left for you` : ''}`
    : `fix all (${scope}): ${reason}`);
  return result;
}

/** The `--explain` text of every folder (a `# name` heading before each when there are several). */
export async function explain(session: Session): Promise<ExplainResult> {
  const folders = [...session.folders.values()];
  await Promise.all(folders.map((f) => f.loading));
  if (folders.length === 0) return { text: 'No workspace folder is open: open the repository as a folder to see its services, environments and deploy targets.\n' };
  const texts = folders.map((f) => formatExplain(f.analysis.explain(), f.analysis.skippedFolders()));
  session.log('info', `explain: ${plural(folders.length, 'folder')}`);
  return { text: folders.length === 1 ? texts[0] : folders.map((f, i) => `# ${folderName(f)}\n\n${texts[i]}`).join('\n') };
}
