/** The configuration's shape and defaults. Parsing and validation live in engine/config.ts. */
export type SeverityName = 'error' | 'warning' | 'info';
export type RuleSetting = SeverityName | 'off';

/** Every value a rule's setting may take, in the configuration file and the editor's settings. */
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];

export function isRuleSetting(v: unknown): v is RuleSetting {
  return typeof v === 'string' && (RULE_SETTINGS as readonly string[]).includes(v);
}

export interface ServiceConfig {
  /** Folder of the service's code, relative to the workspace root. */
  root: string;
  /** Deploy files of this service (relative paths); their deploys are attributed to it. */
  deploys?: string[];
  /** Deployed names (Cloud Run service names) that belong to this service. */
  names?: string[];
}

export interface Config {
  rules: Record<string, RuleSetting>;
  /** Extra environment names and the tokens that recognise them (`{ qa: ["qa", "test2"] }`). */
  environments: Record<string, string[]>;
  services: Record<string, ServiceConfig>;
  oauth: { convention: string };
  envAccessors: string[];
  ignore: string[];
  /** Files larger than this are skipped with a notice. */
  maxFileBytes: number;
  /** Variables provided at runtime by something we cannot see (an init container, a base image). */
  runtimeProvided: string[];
  /** Names of folders never entered, at any depth (replaces the default list when configured). */
  skipDirs: string[];
  /** Paths read even inside a skipped folder or an ignored path (.gitignore-style, from the root). */
  include: string[];
}

/** Folders never analysed by default: dependencies, version control, virtualenvs, caches and build output. */
export const DEFAULT_SKIP_DIRS: readonly string[] = [
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.mypy_cache', '.pytest_cache',
  '.tox', '.nox', 'dist', 'build', 'out', '.next', '.nuxt', '.turbo', '.cache', 'coverage', 'target',
  '.terraform', '.serverless', 'site-packages', '.idea', '.vscode-test', 'bower_components', '.eggs',
  // Yarn's own folder: its vendored release, zip cache, plugins and SDKs, never a service's code.
  '.yarn',
];

/** A configuration error: where it is (1-based line and column when known) and what is wrong. */
export interface ConfigProblem {
  /** The configuration file, relative to the workspace root (or as given when outside it). */
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** `file:line:column: message`, the form compilers print. */
export function formatConfigProblem(p: ConfigProblem): string {
  const at = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${at}: ${p.message}`;
}

export const DEFAULT_OAUTH_CONVENTION = 'GOOGLE_OAUTH_CLIENT_{KIND}_{ENV}';

export function defaultConfig(): Config {
  return {
    rules: {},
    environments: {},
    services: {},
    oauth: { convention: DEFAULT_OAUTH_CONVENTION },
    envAccessors: [],
    ignore: [],
    maxFileBytes: 4 * 1024 * 1024,
    runtimeProvided: [],
    skipDirs: [...DEFAULT_SKIP_DIRS],
    include: [],
  };
}

export const CONFIG_NAMES = ['.deploy-preflight.yaml', '.deploy-preflight.yml', '.deploy-preflight.json'];
