/**
 * Files that mark the root of a service's code: the dependency manifests of the ecosystems we
 * analyse (npm, pip/Poetry/uv, Pipenv, setuptools, Go modules) and Dockerfiles.
 */

/** A dependency manifest (by base name, case-insensitive). */
export function isManifestName(base: string): boolean {
  const lower = base.toLowerCase();
  return lower === 'package.json' || lower === 'pyproject.toml' || lower === 'go.mod' || lower === 'pipfile' ||
    lower === 'setup.py' || /^requirements.*\.txt$/.test(lower);
}

/** `tsconfig.json`, `tsconfig.base.json`, `jsconfig.json`: a project's module settings (no code root). */
export function isTsconfigName(file: string): boolean {
  return /(^|\/)[tj]sconfig(\.[\w-]+)?\.json$/i.test(file);
}

export type CodeLanguage = 'python' | 'javascript';

/** The language a manifest's project is written in: a `requirements.txt` beside `.js` scripts
 * makes a Python project of the folder, not one of its scripts. */
export function manifestLanguage(base: string): CodeLanguage | 'any' {
  const lower = base.toLowerCase();
  if (lower === 'package.json') return 'javascript';
  if (lower === 'pyproject.toml' || lower === 'pipfile' || lower === 'setup.py' || /^requirements.*\.txt$/.test(lower)) return 'python';
  return 'any';
}

/** The language of a code file: Python, else JavaScript / TypeScript. */
export function languageOf(file: string): CodeLanguage {
  return /\.py$/i.test(file) ? 'python' : 'javascript';
}

/** `Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`. */
export function isDockerfileName(base: string): boolean {
  const lower = base.toLowerCase();
  return lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile');
}

/** Whether `file` marks a code root. */
export function isCodeRootMarker(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return isManifestName(base) || isDockerfileName(base);
}

/** Folders whose manifests hold tooling, docs, deploy scripts, build files or old code, not a
 * deployed service (`deployment/docker/` holds the Dockerfiles of services that live elsewhere). */
const NOT_SERVICE_FOLDER = /(^|\/)(tests?|docs?|examples?|scripts|deploy|deployments?|infra|\.github|\.devcontainer|docker|logs?|archived?)(\/|$)/;

export function isNonServiceFolder(dir: string): boolean {
  return NOT_SERVICE_FOLDER.test(dir);
}

/** The code the engine reads, by extension: Python and JavaScript / TypeScript (`.py`, `.js`,
 * `.mjs`, `.cjs`, `.ts`, `.tsx`, `.jsx`, …). */
export const CODE_FILE = /\.(?:py|[cm]?[jt]sx?)$/i;

export function isCodeFile(path: string): boolean {
  return CODE_FILE.test(path);
}
