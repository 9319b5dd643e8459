/**
 * Environment names: `prod`, `prd` and `production` are one environment. Names are recognised as
 * whole tokens of a file name, a deployed service name or a project id (`netra-staging`,
 * `cloudbuild-prod.yaml`, `.env.staging`), never as substrings (`product-api` is not prod).
 * The tokens are the abbreviations teams use in Cloud Run service names, GCP project ids, branch
 * names and file names; a configuration's `environments` adds its own.
 */
const BUILT_IN: Record<string, string[]> = {
  production: ['production', 'prod', 'prd', 'live'],
  staging: ['staging', 'stage', 'stg'],
  development: ['development', 'dev', 'develop', 'local'],
  // Not `ci`: `ci.yml` and `ci-cd.yml` workflows deploy to real environments.
  test: ['test', 'testing'],
  qa: ['qa'],
  uat: ['uat'],
  preview: ['preview'],
  sandbox: ['sandbox'],
};

/** The environment of a Cloud Run service whose deploys name none: its one deployed environment. */
export const DEFAULT_ENVIRONMENT = 'default';

/** Environments a deploy-time rule cares about: where a missing variable breaks a real rollout. */
export const DEPLOYED_ENVIRONMENTS: ReadonlySet<string> = new Set(['production', 'staging', 'qa', 'uat', 'preview', 'sandbox', DEFAULT_ENVIRONMENT]);

/** Environments where code runs on a developer's machine or in tests, never in a rollout. */
const LOCAL_ENVIRONMENTS = new Set(['development', 'test']);

/** Whether code in `env` runs on a developer's machine or in tests, never in a rollout. */
export function isLocalEnvironment(env: string): boolean {
  return LOCAL_ENVIRONMENTS.has(env);
}

/**
 * Variables whose value names the deploy environment (`ENVIRONMENT=staging` in a deploy's env
 * list, `DEPLOY_ENV` in a script). `NODE_ENV` is deliberately not one: it is a build mode
 * (`production` = optimised) that staging deploys of Node services set too.
 */
export const ENVIRONMENT_VARIABLES: readonly string[] = [
  'ENVIRONMENT', 'ENV', 'APP_ENV', 'APP_ENVIRONMENT', 'DEPLOY_ENV', 'DEPLOY_ENVIRONMENT', 'DEPLOYMENT_ENV',
  'DEPLOYMENT_ENVIRONMENT', 'TARGET_ENV', 'ENVIRONMENT_NAME', 'ENV_NAME', 'STAGE',
];
const ENVIRONMENT_VARIABLE_SET = new Set(ENVIRONMENT_VARIABLES);

/** Build modes, not deploy environments: a staging deploy sets them to `production` too. */
const BUILD_MODE_VARIABLES = new Set(['NODE_ENV', 'BABEL_ENV', 'FLASK_ENV']);

/** Whether a variable (or a script constant, a Cloud Build `_SUBSTITUTION`) names the environment:
 * one of the names above, or a framework-prefixed one (`NEXT_PUBLIC_ENVIRONMENT`, `VITE_APP_ENV`). */
export function namesEnvironment(variable: string): boolean {
  const name = variable.replace(/^_/, '').toUpperCase();
  if (ENVIRONMENT_VARIABLE_SET.has(name)) return true;
  if (BUILD_MODE_VARIABLES.has(name)) return false;
  return /^[A-Z][A-Z0-9_]*_(ENVIRONMENT|ENV)$/.test(name);
}

/**
 * Variables whose value is a settings module named for the environment: Django's
 * `DJANGO_SETTINGS_MODULE=config.settings.production` (or `myapp.settings_staging`). The module's
 * last dotted part is read as a name (`settings_staging` → staging).
 */
const SETTINGS_MODULE_VARIABLES = new Set(['DJANGO_SETTINGS_MODULE']);

/** The part of a settings module value that may name the environment, when `variable` holds one. */
export function settingsModuleName(variable: string, value: string): string | undefined {
  if (!SETTINGS_MODULE_VARIABLES.has(variable.toUpperCase())) return undefined;
  const last = value.trim().split('.').pop();
  return last || undefined;
}

/** The words of a name, lower case, as environment words are looked for in it
 * (`Shop-API_staging.env` → `shop`, `api`, `staging`, `env`). */
export function nameTokens(text: string): string[] {
  return text.toLowerCase().split(/[-_./\s:@]+/).filter(Boolean);
}

export class EnvironmentNames {
  private readonly byToken = new Map<string, string>();
  /** `fromName` by text: the model asks it of every database URL's file name on every build. */
  private readonly byName = new Map<string, string | undefined>();

  constructor(extra: Record<string, string[]> = {}) {
    for (const [name, tokens] of Object.entries(BUILT_IN)) for (const t of tokens) this.byToken.set(t, name);
    for (const [name, tokens] of Object.entries(extra)) {
      this.byToken.set(name.toLowerCase(), name);
      for (const t of tokens) this.byToken.set(t.toLowerCase(), name);
    }
  }

  /** `prod` → `production`; unknown words → undefined. */
  normalize(word: string): string | undefined {
    return this.byToken.get(word.trim().toLowerCase());
  }

  /** Whether `word` is a known environment token. */
  isToken(word: string): boolean {
    return this.byToken.has(word.trim().toLowerCase());
  }

  /** What a value compared with the environment in code means: a local (development/test)
   * branch, a deployed environment's branch, or nothing known. */
  classify(word: string): { dev: true } | { env: string } | undefined {
    const env = this.normalize(word);
    if (!env) return undefined;
    return LOCAL_ENVIRONMENTS.has(env) ? { dev: true } : { env };
  }

  /** The environment named by a token of `text` (split on `-_./ :`), last token first
   * (`backend-staging`, `netra-prod`, `deploy-auth-staging.sh`). */
  fromName(text: string): string | undefined {
    if (this.byName.has(text)) return this.byName.get(text);
    const tokens = nameTokens(text);
    let env: string | undefined;
    for (let i = tokens.length - 1; i >= 0 && !env; i--) env = this.byToken.get(tokens[i]);
    if (this.byName.size >= 10_000) this.byName.clear();
    this.byName.set(text, env);
    return env;
  }

  /** `backend-staging` → `backend`: the name with environment tokens removed. */
  stripEnvironment(name: string): string {
    // Separators are kept as written (`BACKEND_SERVICE` stays `BACKEND_SERVICE`).
    const parts = name.split(/([-_])/);
    let out = '';
    for (let i = 0; i < parts.length; i += 2) {
      if (this.byToken.has(parts[i].toLowerCase())) continue;
      if (out) out += parts[i - 1] ?? '-';
      out += parts[i];
    }
    return out;
  }

  /** The environment of a dotenv file from its name: `.env.staging`, `staging.env`, `.env` → undefined. */
  fromDotenvName(base: string): string | undefined {
    const lower = base.toLowerCase();
    if (isTemplateEnvFile(lower) || /\.defaults?$/.test(lower)) return undefined;
    if (lower === '.env') return undefined;
    return this.fromName(lower.replace(/^\.env/, '').replace(/\.env$/, ''));
  }
}

const shared = new Map<string, EnvironmentNames>();
/** One `EnvironmentNames` per configuration's extra environments (extractors ask per file). */
export function environmentNames(extra: Record<string, string[]> = {}): EnvironmentNames {
  const key = JSON.stringify(extra);
  let names = shared.get(key);
  if (!names) {
    names = new EnvironmentNames(extra);
    if (shared.size > 16) shared.clear();
    shared.set(key, names);
  }
  return names;
}

/** A dotenv file meant as a template, never deployed: `.env.example`, `example.env`, and the
 * environment's template named before the extension (`production.example.env`,
 * `staging-sample.env`). */
export function isTemplateEnvFile(base: string): boolean {
  return /\.(example|sample|template|dist)$/i.test(base) || /(^|[._-])(example|sample|template|dist)\.env$/i.test(base);
}
