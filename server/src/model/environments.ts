/**
 * Environment names: `prod`, `prd` and `production` are one environment. Names are recognised as
 * whole tokens of a file name, a deployed service name or a project id (`netra-staging`,
 * `cloudbuild-prod.yaml`, `.env.staging`), never as substrings (`product-api` is not prod).
 */
const BUILT_IN: Record<string, string[]> = {
  production: ['production', 'prod', 'prd', 'live'],
  staging: ['staging', 'stage', 'stg'],
  development: ['development', 'dev', 'local'],
  test: ['test', 'testing', 'ci'],
  qa: ['qa'],
  uat: ['uat'],
  preview: ['preview'],
  sandbox: ['sandbox'],
};

/** Environments a deploy-time rule cares about: where a missing variable breaks a real rollout. */
export const DEPLOYED_ENVIRONMENTS = new Set(['production', 'staging', 'qa', 'uat', 'preview', 'sandbox']);

export class EnvironmentNames {
  private readonly byToken = new Map<string, string>();

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

  /** The environment named by a token of `text` (split on `-_./ :`), last token first
   * (`backend-staging`, `netra-prod`, `deploy-auth-staging.sh`). */
  fromName(text: string): string | undefined {
    const tokens = text.toLowerCase().split(/[-_./\s:@]+/).filter(Boolean);
    for (let i = tokens.length - 1; i >= 0; i--) {
      const env = this.byToken.get(tokens[i]);
      if (env) return env;
    }
    return undefined;
  }

  /** `backend-staging` → `backend`: the name with environment tokens removed. */
  stripEnvironment(name: string): string {
    const parts = name.split(/([-_])/);
    const kept: string[] = [];
    for (let i = 0; i < parts.length; i += 2) {
      if (!this.byToken.has(parts[i].toLowerCase())) kept.push(parts[i]);
    }
    return kept.join('-');
  }

  /** The environment of a dotenv file from its name: `.env.staging`, `staging.env`, `.env` → undefined. */
  fromDotenvName(base: string): string | undefined {
    const lower = base.toLowerCase();
    if (/\.(example|sample|template|dist|defaults?)$/.test(lower) || /^(example|sample|template)\.env$/.test(lower)) return undefined;
    if (lower === '.env') return undefined;
    return this.fromName(lower.replace(/^\.env/, '').replace(/\.env$/, ''));
  }
}

/** A dotenv file meant as a template, never deployed. */
export function isTemplateEnvFile(base: string): boolean {
  return /\.(example|sample|template|dist)$/i.test(base) || /^(example|sample|template)\.env$/i.test(base);
}
