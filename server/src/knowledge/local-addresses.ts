/**
 * Defaults that point a client at the machine the code runs on: `redis://localhost:6379/0`,
 * `amqp://guest:guest@localhost:5672//`, `http://127.0.0.1:8082`, a `DB_HOST` of `localhost`. On a
 * developer's machine something listens there; on Cloud Run "localhost" is the container itself,
 * where nothing else runs unless the image starts it or the deploy adds a sidecar. A deploy that
 * leaves such a variable unset ships the developer's address.
 *
 * Only client addresses count: a bind address (`HOST=0.0.0.0`, `BIND`, `LISTEN_ADDR`) is where the
 * service itself listens, and `0.0.0.0` is never a place to connect to; a web address under a name
 * that says people are sent there (`FRONTEND_URL`, `OAUTH_REDIRECT_URI`, `CORS_ORIGIN`) or one a
 * bundler inlines (`VITE_API_URL`) is opened by a browser, not by the container.
 */

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The port a scheme connects to when the URL names none. */
const DEFAULT_PORTS: Record<string, number> = {
  http: 80, https: 443, ws: 80, wss: 443,
  redis: 6379, rediss: 6379, amqp: 5672, amqps: 5671,
  postgres: 5432, postgresql: 5432, mysql: 3306, mongodb: 27017,
  nats: 4222, kafka: 9092, grpc: 443, memcached: 11211,
};

/** Names of a listening address, not of something to connect to. */
const BIND_NAME = /(?:^|_)(?:BIND|LISTEN|SERVE|LISTENING)(?:_|$)|^(?:HOST|HOSTNAME|SERVER_HOST|APP_HOST|UVICORN_HOST|GUNICORN_HOST|FLASK_RUN_HOST)$/;

/** Web addresses that name where people are sent, not something the service connects to: a
 * frontend, a link in a mail, an OAuth redirect, an allowed origin, the service's own public URL.
 * A `localhost` there is a machine's browser, not the container. */
const LINK_WORD = /(?:^|_)(?:FRONTEND|FRONT|WEBAPP|SITE|PUBLIC|CLIENT|REDIRECT|CALLBACK|RETURN|SUCCESS|CANCEL|CORS|ORIGINS?|ALLOWED|DASHBOARD|PORTAL|DOMAIN|SELF|LINK|EXTERNAL)(?:_|$)|(?:^|_)WEB_APP(?:_|$)/;
const LINK_NAME = /^(?:BASE_URL|APP_URL|APP_BASE_URL|SERVER_URL|WEB_URL|HOST_URL|ROOT_URL|SERVICE_URL)$/;
/** Names a bundler inlines at build time: the value is the build's, and runs in a browser. */
const BUNDLE_PREFIX = /^(?:VITE_|NEXT_PUBLIC_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|PUBLIC_)/;

/** A client address on the local machine, as shown in messages (`localhost:6379`: host and port,
 * never the user or password a URL carries), or undefined. `name` is the variable's. */
export function localAddress(name: string, value: string): string | undefined {
  const upper = name.toUpperCase();
  if (BIND_NAME.test(upper) || BUNDLE_PREFIX.test(upper)) return undefined;
  const v = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return undefined;
    }
    const host = url.hostname.toLowerCase();
    if (!LOCAL_HOSTS.has(host)) return undefined;
    if (/^https?:$/i.test(url.protocol) && (LINK_WORD.test(upper) || LINK_NAME.test(upper))) return undefined;
    // `postgresql+asyncpg:`: the dialect before the driver names the port.
    const scheme = url.protocol.slice(0, -1).toLowerCase().split('+')[0]!;
    const port = url.port || DEFAULT_PORTS[scheme]?.toString();
    return port ? `${host}:${port}` : host;
  }
  // A bare host is a client's address only under a name that says it is one (`REDIS_HOST`, `DB_HOST`).
  if (/_HOST$/.test(upper) && LOCAL_HOSTS.has(v.toLowerCase())) return v.toLowerCase();
  return undefined;
}

/** The port of an address `localAddress` returned, when it names one. */
export function portOf(address: string): number | undefined {
  const m = /:(\d+)$/.exec(address);
  return m ? Number(m[1]) : undefined;
}
