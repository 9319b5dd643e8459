/**
 * Configuration files of tools: `<tool>.config.js` and its variants beside a package's manifest
 * (`tailwind.config.js`, `postcss.config.cjs`, `drizzle.config.ts`, `eslint.config.mjs`,
 * `webpack.config.js`, and the configs of in-house CLIs). The tool named in the file loads it when
 * it runs — a build, a migration, a lint, a dashboard a developer starts — so the variables it
 * reads are that tool's, not requirements of the deployed service.
 *
 * Not tool configuration, though named like it, because the running server loads them:
 * `next.config.*` (`next start` evaluates it), `sentry.{server,edge}.config.*` (loaded by the
 * Next.js instrumentation hook), `ecosystem.config.*` (PM2 starts the process from it, inside the
 * container), `auth.config.*` (NextAuth v5 splits the server's auth options into it) and
 * `app.config.*` (Angular's and NestJS's application code). Files under source folders (`src/`,
 * `app/`, `lib/`, `server/`, `config/`) are application modules however they are named: NestJS
 * keeps `registerAs()` factories in `src/config/database.config.ts`.
 *
 * Vite's config is build-time knowledge of its own (build-time-env.ts); test runners' configs are
 * tests (test-paths.ts).
 */
const CONFIG_FILE = /(^|\/)([\w.-]+)\.config\.[cm]?[jt]s$/i;
const RUNTIME_LOADED = /^(next|ecosystem|auth|app|sentry\.[\w-]+)$/i;
const SOURCE_FOLDER = /(^|\/)(src|app|lib|server|config|configs)\//i;

export function isToolConfigPath(file: string): boolean {
  const norm = file.replace(/\\/g, '/');
  const m = CONFIG_FILE.exec(norm);
  if (!m) return false;
  return !RUNTIME_LOADED.test(m[2]) && !SOURCE_FOLDER.test(norm);
}
