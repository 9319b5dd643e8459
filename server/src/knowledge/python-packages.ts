import * as path from 'node:path';

/** Top-level packages of the standard library and the ecosystem that a workspace's own modules are
 * never named after: an import of one names no file of the workspace worth looking for. */
export const NOT_WORKSPACE_PACKAGES: ReadonlySet<string> = new Set([
  'os', 'sys', 're', 'json', 'typing', 'logging', 'subprocess', 'pathlib', 'datetime', 'asyncio', 'time', 'collections',
  'functools', 'itertools', '__future__', 'dataclasses', 'enum', 'django', 'flask', 'fastapi', 'pydantic', 'pydantic_settings',
  'sqlalchemy', 'google', 'dotenv', 'decouple', 'environ', 'starlette', 'celery', 'pytest', 'unittest',
]);

/**
 * Where Python looks for a module named in `file`, as workspace-relative paths without extension,
 * in the order it would find them: a relative name (`.common`, `..lib.env`) against the file's
 * package; an absolute one (`core.env`) under every folder above the file, the nearest first (a
 * script's own folder is on `sys.path`, a package is imported from the folder it sits in). None
 * for a name that is only dots.
 */
export function pythonModulePaths(file: string, module: string): string[] {
  const dots = /^\.*/.exec(module)![0].length;
  const rel = module.slice(dots).split('.').filter(Boolean).join('/');
  if (!rel) return [];
  const parent = (d: string): string => (path.posix.dirname(d) === '.' ? '' : path.posix.dirname(d));
  const join = (a: string, b: string): string => (a ? `${a}/${b}` : b);
  const dir = parent(file.replace(/\\/g, '/'));
  if (dots) {
    let base = dir;
    for (let i = 1; i < dots; i++) base = parent(base);
    return [join(base, rel)];
  }
  const out: string[] = [];
  for (let d = dir; ; d = parent(d)) {
    out.push(join(d, rel));
    if (!d) return out;
  }
}

/** Python files a tool in the container loads by its own convention, not by an import: gunicorn's
 * configuration (`gunicorn.conf.py`, read from the working directory or named by `-c`), Celery's
 * `celeryconfig.py`, Alembic's `env.py` (a start command's `alembic upgrade head` first). */
const TOOL_LOADED = /(?:^|\/)(?:gunicorn[._-]?(?:conf|config|cfg)\w*|celeryconfig)\.py$|(?:^|\/)(?:alembic|migrations)\/env\.py$/i;

export function loadedByPythonTool(file: string): boolean {
  return TOOL_LOADED.test(file);
}
