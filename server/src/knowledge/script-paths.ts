/**
 * Folders teams keep operator scripts and one-off jobs in: `scripts/` (seeds, bootstrap, data
 * fixes, CI guards) and `jobs/` (manual or separately scheduled jobs run with `node`/`tsx`). A
 * file there is a script only when it is also a standalone program, which each extractor decides
 * from the file's syntax (a shebang, a main-module guard, a top-level run that exits): library
 * modules kept there and jobs the service schedules in its own process stay service code.
 *
 * Not `bin/`: Express's generator puts the server's own entry point at `bin/www`.
 */
const SCRIPT_FOLDER = /(^|\/)(scripts|jobs)\//i;

export function isScriptFolderPath(file: string): boolean {
  return SCRIPT_FOLDER.test(file.replace(/\\/g, '/'));
}
