/**
 * Folders whose files are kept rather than run: documentation (`docs/`, a write-up's example
 * `deploy-production.sh`) and archives (`archive/`, `old/`, `deprecated/`, `obsolete/`,
 * `backup/`, and marked variants such as `.backup_rdl/` or `api_old/`). A deploy written there
 * describes or remembers a deploy; it is not one that runs.
 */
const KEPT = 'archived?|old|deprecated|obsolete|backups?|bak';
/** `docs/`, `archive/`, and a kept folder's marked variants: `.backup_rdl/`, `backup-2024/`,
 * `archive_2023/`, `api_old/`, `deploy.bak/`, `_archive_gcp/` (a leading `_` or `.` parks the
 * folder; not `archive_utils/`, a module's name). */
const INACTIVE_FOLDER = new RegExp(
  `(^|/)(docs?|\\.?(?:${KEPT})|[._](?:${KEPT})(?:[._-][\\w.-]+)?|\\.?(?:backups?|bak)[._-][\\w.-]+|\\.?(?:${KEPT})[._-]\\d[\\w.-]*|[\\w.-]+[._-](?:${KEPT}))/`, 'i');

/** The folder (`docs/`, `bin/archive/`) that makes `file` kept rather than run, if any. */
export function inactiveFolder(file: string): string | undefined {
  const m = INACTIVE_FOLDER.exec(file.replace(/\\/g, '/'));
  return m ? file.slice(0, m.index + m[0].length) : undefined;
}

/** A file kept as a dated or marked copy of another beside it (`main_backup_20250727.py`,
 * `database_backup_2025-07-29.py`, `server.bak.js`, `app_old.py`, `main.orig.py`): an editor's or
 * a person's snapshot, which nothing imports by that name. A module named for what it does
 * (`db_backup.py`, `backup_service.py`) is not one. */
const KEPT_COPY = /[._-](?:(?:backup|bak)[._-]?(?:\d{4}[._-]?\d{2}[._-]?\d{2}|\d{6,})[\d._-]*|bak|old|orig)$/i;

export function isKeptCopy(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && KEPT_COPY.test(base.slice(0, dot));
}

/** `examples/`, `samples/` inside a service's folder (`examples/programmatic-usage.ts` beside
 * `src/`): usage examples a person runs against the service's own code, never what its image
 * starts. Only below the service's root: a repository of samples keeps each deployed app in one
 * (`examples/cloud-run-app/main.py` is that app's code). */
const EXAMPLES_FOLDER = /(^|\/)(examples?|samples?)\//i;

export function inExamplesOf(file: string, root: string): boolean {
  const norm = file.replace(/\\/g, '/');
  if (root !== '' && !norm.startsWith(`${root}/`)) return false;
  return EXAMPLES_FOLDER.test(root === '' ? norm : norm.slice(root.length + 1));
}
