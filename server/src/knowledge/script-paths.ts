/**
 * Folders teams keep operator scripts and one-off jobs in: `scripts/` (seeds, bootstrap, data
 * fixes, CI guards) and `jobs/` (manual or separately scheduled jobs run with `node`/`tsx`). A
 * file there is a script only when it is also a standalone program, which each extractor decides
 * from the file's syntax (a shebang, a main-module guard, a top-level run that exits): jobs the
 * service schedules in its own process stay service code, and so do library modules kept there
 * unless only operator code is seen loading them (model/operator-modules.ts).
 *
 * Not `bin/`: Express's generator puts the server's own entry point at `bin/www`.
 */
const SCRIPT_FOLDER = /(^|\/)(scripts|jobs)\//i;

/**
 * Programs named for a one-off data operation: `seed.ts`, `firestore_seed.ts`, `seed-users.py`,
 * `backfill_orders.py`, `prisma/seed.ts` (Prisma's documented place for its seed script). Wherever
 * they live, a standalone program of that name (the extractor decides, as for `scripts/`) is run by
 * a person or CI against the database, not by the deployed service. Not `migrate`: services run
 * their migrations at start-up.
 */
const OPERATOR_PROGRAM = /(^|[/_.-])(seed|seeds|seeder|seeding|backfill)([_.-][^/]*)?\.(py|[cm]?[jt]s)$/i;

/** A file that is an operator script when it is a standalone program: in a script folder, or named
 * for a one-off data operation. */
export function mayBeOperatorScript(file: string): boolean {
  const norm = file.replace(/\\/g, '/');
  return SCRIPT_FOLDER.test(norm) || OPERATOR_PROGRAM.test(norm);
}

/** The path lies in a script folder (`scripts/`, `jobs/`, at any depth). */
export function inScriptFolder(file: string): boolean {
  return SCRIPT_FOLDER.test(file.replace(/\\/g, '/'));
}
