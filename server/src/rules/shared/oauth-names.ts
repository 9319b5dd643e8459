/**
 * OAuth client credential names: `GOOGLE_CLIENT_ID`, `GOOGLE_OAUTH_CLIENT_SECRET_STAGING`,
 * `OAUTH_CLIENT_ID`. The kind (ID or SECRET), the provider (Google, GitHub, …) and the
 * environment suffix are what must agree between the code and its deploy.
 */
import { EnvironmentNames } from '../../knowledge/environments';

export interface OauthName {
  kind: 'ID' | 'SECRET';
  /** Raw environment suffix (`STAGING`, `PROD`), not normalised. */
  suffix?: string;
  /** `GOOGLE`, `GITHUB`, … or `` for a provider-less name (`OAUTH_CLIENT_ID`). */
  provider: string;
}

const OAUTH = /^((?:[A-Z0-9]+_)*?)(GOOGLE_OAUTH2?|GOOGLE|OAUTH2?)_CLIENT_(ID|SECRET)(?:_([A-Z0-9]+))?$/;
/** Prefix words that are not a provider (framework exposure prefixes, app names are kept). */
const NOT_PROVIDER = new Set(['NEXT', 'PUBLIC', 'VITE', 'REACT', 'APP', 'NUXT', 'EXPO', 'GATSBY', 'VUE']);
const DEFAULT_ENVIRONMENTS = new EnvironmentNames();

/**
 * Parses an OAuth client credential name. A trailing word must be an environment
 * (`_STAGING`, `_PROD`): `GOOGLE_CLIENT_SECRET_FILE` is a path, not the credential.
 */
export function isOauthName(name: string, environments: EnvironmentNames = DEFAULT_ENVIRONMENTS): OauthName | undefined {
  const m = OAUTH.exec(name);
  if (!m) return undefined;
  const suffix = m[4];
  if (suffix !== undefined && !environments.normalize(suffix)) return undefined;
  const words = m[1].split('_').filter((w) => w && !NOT_PROVIDER.has(w));
  // `GITHUB_OAUTH_CLIENT_ID` is GitHub's; `OAUTH_CLIENT_ID` has no provider; `VITE_GOOGLE_CLIENT_ID` is Google's.
  const provider = m[2].startsWith('GOOGLE') ? 'GOOGLE' : words[words.length - 1] ?? '';
  return { kind: m[3] as 'ID' | 'SECRET', suffix, provider };
}

/** Two names can stand for one credential: same kind, and the same provider (or one is provider-less). */
export function sameCredential(a: OauthName, b: OauthName): boolean {
  return a.kind === b.kind && (a.provider === b.provider || a.provider === '' || b.provider === '');
}

/** Applies the configured convention: `GOOGLE_OAUTH_CLIENT_{KIND}_{ENV}` → `GOOGLE_OAUTH_CLIENT_ID_STAGING`. */
export function conventionName(convention: string, kind: 'ID' | 'SECRET', environment: string): string {
  return convention.split('{KIND}').join(kind).split('{ENV}').join(environment.toUpperCase());
}
