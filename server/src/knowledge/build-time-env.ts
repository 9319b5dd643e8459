/**
 * Env values a front-end build inlines into its bundle, and Vite's built-in values.
 *
 * Sources: Vite's "Env Variables and Modes" (`import.meta.env` is replaced statically at build
 * time; only variables with the `VITE_` prefix are exposed; `MODE`, `BASE_URL`, `PROD`, `DEV` and
 * `SSR` are built-in constants, not variables; `vite.config.*` runs only when Vite itself runs)
 * and Next.js's "Environment Variables" (`NEXT_PUBLIC_` values are inlined into the JavaScript
 * at `next build` and frozen there, as are the values of `next.config.js`'s `env` key). A Cloud Run
 * service serving such a bundle never reads them at runtime: the deploy passes them to the build
 * (`--build-arg`), not to `--set-env-vars`.
 *
 * Create React App ("Adding Custom Environment Variables": `REACT_APP_` values are embedded
 * during the build, the bundle is static files), Expo (`EXPO_PUBLIC_` values are inlined into the
 * JavaScript bundle) and Gatsby (`GATSBY_` values are embedded in the browser bundle at build)
 * say the same of `process.env` reads with their prefixes, in a package built by that framework
 * only: an Express server beside a React client may read `REACT_APP_SITE_SECRET` at run time.
 *
 * Not here: `import.meta.env` names without the prefix (Bun serves `import.meta.env` at runtime),
 * `process.env.VITE_*` (a Node process reading its environment), Nuxt's `NUXT_PUBLIC_` (it
 * overrides the runtime config when the server starts: a run-time value).
 */

/** The package a framework's build is run from (a dependency), and the `process.env` prefix it inlines. */
const FRAMEWORK_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['next', 'NEXT_PUBLIC_'],
  ['react-scripts', 'REACT_APP_'],
  ['expo', 'EXPO_PUBLIC_'],
  ['gatsby', 'GATSBY_'],
]);

/** The `process.env` prefixes the build of a package with these dependencies inlines. */
export function inlinedPrefixesOf(dependencies: Iterable<string>): string[] {
  const out: string[] = [];
  for (const d of dependencies) {
    const p = FRAMEWORK_PREFIXES.get(d);
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** Vite's built-in `import.meta.env` constants. */
const VITE_BUILT_INS: ReadonlySet<string> = new Set(['MODE', 'BASE_URL', 'PROD', 'DEV', 'SSR']);

/** `import.meta.env.MODE` and its siblings: constants of the build, not env variables. */
export function isViteBuiltIn(name: string): boolean {
  return VITE_BUILT_INS.has(name);
}

/** Whether a read through `via` (`process.env`, `import.meta.env`) in `file` is inlined by a build. */
export function isBuildTimeRead(via: string, name: string, file: string): boolean {
  if (isBuildConfigFile(file)) return true;
  if (via === 'import.meta.env') return name.startsWith('VITE_');
  return name.startsWith('NEXT_PUBLIC_');
}

/** `vite.config.ts` and its variants: read when Vite builds or serves, never by the deployed service. */
export function isBuildConfigFile(file: string): boolean {
  return /(^|\/)vite\.config\.[cm]?[jt]s$/i.test(file);
}

/** `next.config.js` and its variants; its `env` key's values are inlined by `next build`
 * (Next.js's `env` config documentation). */
export function isNextConfigFile(file: string): boolean {
  return /(^|\/)next\.config\.[cm]?[jt]s$/i.test(file);
}

/** The names a Next.js config may have, in the app's folder. */
export const NEXT_CONFIG_FILES = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs', 'next.config.mts'];

/** Next.js modules that run on the server only, by their place in the app: route handlers, API
 * routes, middleware (or `proxy`) and instrumentation. */
export function isNextServerOnlyFile(file: string): boolean {
  return /(^|\/)(?:(?:src\/)?app\/(?:.*\/)?route\.[cm]?[jt]sx?|(?:src\/)?pages\/api\/.*|(?:src\/)?(?:middleware|proxy|instrumentation)\.[cm]?[jt]sx?)$/.test(file);
}

/**
 * Prefixes of variables a front-end build inlines into the JavaScript it ships to browsers, so
 * their values are public by design and never secrets: Vite (`VITE_`), Next.js (`NEXT_PUBLIC_`),
 * Create React App (`REACT_APP_`), Expo (`EXPO_PUBLIC_`), Nuxt (`NUXT_PUBLIC_`), Gatsby
 * (`GATSBY_`) and SvelteKit's public env modules (`PUBLIC_`), as each framework documents them.
 */
const BROWSER_PREFIXES = ['VITE_', 'NEXT_PUBLIC_', 'REACT_APP_', 'EXPO_PUBLIC_', 'NUXT_PUBLIC_', 'GATSBY_', 'PUBLIC_'];

/** Whether `name` is inlined into a browser bundle by its framework's convention (public by design). */
export function isBrowserPublic(name: string): boolean {
  return BROWSER_PREFIXES.some((p) => name.startsWith(p));
}
