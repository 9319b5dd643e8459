/**
 * OAuth client credential names: `GOOGLE_CLIENT_ID`, `GOOGLE_OAUTH_CLIENT_SECRET_STAGING`,
 * `OAUTH_CLIENT_ID`. The kind (ID or SECRET) and the environment suffix are what must agree
 * between the code and its deploy.
 */
export interface OauthName {
  kind: 'ID' | 'SECRET';
  /** Raw environment suffix (`STAGING`, `PROD`), not normalised. */
  suffix?: string;
}

const OAUTH = /^(?:[A-Z0-9]+_)*?(?:GOOGLE_OAUTH|GOOGLE|OAUTH|OAUTH2|GOOGLE_OAUTH2)_CLIENT_(ID|SECRET)(?:_([A-Z0-9]+))?$/;

export function isOauthName(name: string): OauthName | undefined {
  const m = OAUTH.exec(name);
  if (!m) return undefined;
  return { kind: m[1] as 'ID' | 'SECRET', suffix: m[2] };
}

/** Applies the configured convention: `GOOGLE_OAUTH_CLIENT_{KIND}_{ENV}` → `GOOGLE_OAUTH_CLIENT_ID_STAGING`. */
export function conventionName(convention: string, kind: 'ID' | 'SECRET', environment: string): string {
  return convention.replace('{KIND}', kind).replace('{ENV}', environment.toUpperCase());
}
