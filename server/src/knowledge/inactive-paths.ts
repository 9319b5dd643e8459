/**
 * Folders whose files are kept rather than run: documentation (`docs/`, a write-up's example
 * `deploy-production.sh`) and archives (`archive/`, `old/`, `deprecated/`, `obsolete/`,
 * `backup/`). A deploy written there describes or remembers a deploy; it is not one that runs.
 */
const INACTIVE_FOLDER = /(^|\/)(docs?|archived?|old|deprecated|obsolete|backups?)\//i;

/** The folder (`docs/`, `bin/archive/`) that makes `file` kept rather than run, if any. */
export function inactiveFolder(file: string): string | undefined {
  const m = INACTIVE_FOLDER.exec(file.replace(/\\/g, '/'));
  return m ? file.slice(0, m.index + m[0].length) : undefined;
}
