/**
 * Auth.js (`next-auth` v5): what it reads from the environment by itself.
 *
 * Its core decides whether to trust the request's host header when the config does not say
 * (`trustHost`): `AUTH_URL ?? AUTH_TRUST_HOST ?? VERCEL ?? CF_PAGES ?? NODE_ENV !== "production"`
 * (`setEnvDefaults` in `@auth/core`). A Next.js server runs with `NODE_ENV=production` (`next
 * start`, the standalone `server.js`), and Cloud Run is neither Vercel nor Cloudflare Pages: with
 * none of the two variables set, every `/api/auth/*` request fails with `UntrustedHost`.
 */

/** The variable a deploy sets for it, and the one that does the same. v4's `NEXTAUTH_URL` does
 * not: next-auth v5 takes it as the URL, but its core's `trustHost` default reads `AUTH_URL` only. */
export const TRUST_HOST_VARIABLE = 'AUTH_TRUST_HOST';
export const TRUST_HOST_ALTERNATIVES = ['AUTH_URL'];

/** The config key that settles it in code (`NextAuth({ trustHost: true })`). */
export const TRUST_HOST_KEY = 'trustHost';

/** The major version a package.json's `next-auth` range names (`5.0.0-beta.25`, `^4.24.5`,
 * `beta`: 5); undefined for anything else (`latest`, a git URL). */
export function nextAuthMajor(range: string): number | undefined {
  const r = range.trim();
  if (r === 'beta') return 5;
  const m = /^[\^~>=<\s]*v?(\d+)(?:\.|$|\s)/.exec(r);
  return m ? Number(m[1]) : undefined;
}
