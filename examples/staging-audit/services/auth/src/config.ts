import { SecretManagerServiceClient } from "@google-cloud/secret-manager";

/** staging | production | development */
export const env = process.env.ENVIRONMENT ?? "development";

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

function must(value: string | undefined, name: string): string {
  if (!value) {
    throw new Error(`${name} is not set (ENVIRONMENT=${env})`);
  }
  return value;
}

/** The Google OAuth client for this environment; null in development (sign-in is off locally). */
export function googleOAuthClient(): OAuthClient | null {
  if (env === "staging") {
    return {
      clientId: must(process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING, "GOOGLE_OAUTH_CLIENT_ID_STAGING"),
      clientSecret: must(process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING, "GOOGLE_OAUTH_CLIENT_SECRET_STAGING"),
    };
  }
  if (env === "production") {
    return {
      clientId: must(process.env.GOOGLE_OAUTH_CLIENT_ID_PRODUCTION, "GOOGLE_OAUTH_CLIENT_ID_PRODUCTION"),
      clientSecret: must(process.env.GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION, "GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION"),
    };
  }
  return null;
}

/** HS256 key for access tokens; shared with the backend, which verifies them. */
export const jwtSecretKey = (): string => must(process.env.JWT_SECRET_KEY, "JWT_SECRET_KEY");

/** Shared secret the backend presents on /internal/* calls. */
export const serviceSecret = (): string => must(process.env.SERVICE_SECRET, "SERVICE_SECRET");

let refreshSigningKey: string | undefined;

/** Refresh tokens are signed with their own key when Secret Manager is reachable. */
export const refreshKey = (): string => refreshSigningKey ?? jwtSecretKey();

export async function loadSecrets(): Promise<void> {
  if (process.env.GCP_PROJECT_ID) {
    const client = new SecretManagerServiceClient();
    const name = `projects/${process.env.GCP_PROJECT_ID}/secrets/auth-refresh-signing-key-${env}/versions/latest`;
    const [version] = await client.accessSecretVersion({ name });
    refreshSigningKey = version.payload?.data?.toString();
  }
}
