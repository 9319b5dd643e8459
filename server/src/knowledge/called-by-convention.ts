/**
 * Function names a framework or server calls by convention, never named by the code that uses
 * them: a function of one of these names may be called although no file of the workspace names
 * it (model/uncalled-functions.ts).
 */

/** Python: app factories a server starts by name from a Procfile or a command line the workspace
 * may not hold (`gunicorn "app:create_app()"`), Cloud Functions / Lambda handlers, gunicorn's
 * configuration hooks. Dunder methods are called by the language. */
const PYTHON = new Set([
  'create_app', 'make_app', 'build_app', 'get_app', 'get_application', 'init_app', 'app_factory', 'application',
  'handler', 'lambda_handler', 'main',
  'on_starting', 'on_reload', 'when_ready', 'pre_fork', 'post_fork', 'post_worker_init', 'worker_int', 'worker_abort',
  'pre_exec', 'pre_request', 'post_request', 'child_exit', 'worker_exit', 'nworkers_changed', 'on_exit',
]);

/** TypeScript / JavaScript: Next.js, SvelteKit, Remix and Astro route and hook exports, workers'
 * handlers, instrumentation hooks. */
const TYPESCRIPT = new Set([
  'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ALL',
  'middleware', 'proxy', 'generateMetadata', 'generateStaticParams', 'generateViewport', 'generateImageMetadata', 'generateSitemaps',
  'getServerSideProps', 'getStaticProps', 'getStaticPaths', 'getInitialProps', 'reportWebVitals',
  'load', 'actions', 'handle', 'handleError', 'handleFetch', 'reroute', 'init', 'entries',
  'loader', 'action', 'clientLoader', 'clientAction', 'meta', 'links', 'headers', 'shouldRevalidate',
  'register', 'onRequestError', 'fetch', 'scheduled', 'queue', 'handler', 'main', 'bootstrap',
  'sitemap', 'robots', 'manifest',
]);

export function calledByConvention(name: string, language: 'python' | 'typescript'): boolean {
  if (language === 'python') return PYTHON.has(name) || (name.startsWith('__') && name.endsWith('__'));
  return TYPESCRIPT.has(name);
}

/** Python decorators that only change how a function is called, not who calls it. Any other
 * decorator may register the function with a framework (a route, a task, a command, a signal). */
export const PLAIN_PYTHON_DECORATORS = new Set([
  'staticmethod', 'classmethod', 'property', 'cached_property', 'functools.cached_property',
  'lru_cache', 'functools.lru_cache', 'cache', 'functools.cache', 'wraps', 'functools.wraps',
]);

/** Files a framework loads by name and calls the exports of. */
const ROUTE_FILE = /(^|\/)(\+[\w.-]+|page|layout|route|template|default|error|global-error|loading|not-found|middleware|proxy|instrumentation(-client)?|sitemap|robots|manifest|opengraph-image|twitter-image|icon|apple-icon|root|entry\.(server|client))\.[cm]?[jt]sx?$/;
/** Folders whose files a framework routes to (Next.js `pages/`, Remix and SvelteKit `routes/`). */
const ROUTE_FOLDER = /(^|\/)(pages|routes)\//;

/** A TypeScript / JavaScript file a framework loads by its name or folder: nothing need import it. */
export function isRouteFile(file: string): boolean {
  return ROUTE_FILE.test(file) || ROUTE_FOLDER.test(file);
}

/** A module named as programs usually are (`server.ts`, `src/index.js`, `worker.mjs`): a command
 * the workspace does not hold may start it. */
export function hasProgramName(file: string): boolean {
  return /(^|\/)(index|main|server|app|worker|cli|handler|lambda|entry|bootstrap|start|serverless|function|functions)\.[cm]?[jt]sx?$/.test(file);
}

/** What a command starting Next.js's own server (`next start`) runs, as a program path: the
 * server loads the app's routes by convention (model/module-graph.ts). */
export const NEXT_SERVER_RUN = 'next start';
