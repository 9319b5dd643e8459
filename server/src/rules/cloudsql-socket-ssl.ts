/**
 * SSL parameters on a Postgres URL whose host is a Cloud SQL unix socket (`?host=/cloudsql/…`,
 * `@/cloudsql/…`, `?unix_sock=/cloudsql/…/.s.PGSQL.5432`). libpq ignores `sslmode` on a socket
 * and asyncpg never uses SSL there, so the parameters are dead weight that reads like a security
 * setting (warning). `sslmode` reaching asyncpg is also a crash: db-ssl-param-driver reports that.
 */
import type { Related } from '../core/findings';
import { defineRule } from './types';
import { dropParamsEdit } from '../extract/db-url';
import { describeUrl, driverFor, driverSite, urlOrdinals } from './shared/db-drivers';

export const SSL_PARAMS = new Set(['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'sslcrl', 'sslpassword', 'sslcompression', 'ssl_min_protocol_version']);

const OFF = /^(disable|false|0|off|no)$/i;
function claimsSsl(p: { key: string; value: string }): boolean {
  const k = p.key.toLowerCase();
  return !((k === 'sslmode' || k === 'ssl') && OFF.test(p.value));
}

export const cloudsqlSocketSsl = defineRule({
  meta: {
    id: 'cloudsql-socket-ssl',
    defaultSeverity: 'warning',
    description: 'A Postgres URL over a Cloud SQL unix socket carries SSL parameters, which a socket ignores',
    fixable: true,
    messages: {
      sslOnSocket: '{{url}} connects through the unix socket {{socket}}, where {{params}} {{have}} no effect: libpq ignores SSL on a socket and asyncpg never uses it there',
      sslOnCloudSqlSocket: '{{url}} connects through the Cloud SQL unix socket {{socket}}, where {{params}} {{have}} no effect: libpq ignores SSL on a socket and asyncpg never uses it there (the Cloud SQL connector already encrypts the link)',
    },
  },
  check({ model, report }) {
    // The URL's position among its file's URLs: a fingerprint that survives line moves.
    const nth = urlOrdinals(model);
    for (const ref of model.dbUrls) {
      const { url } = ref;
      if (!url.socket) continue;
      const ssl = url.params.filter((p) => SSL_PARAMS.has(p.key.toLowerCase()));
      // `sslmode=disable` / `ssl=false` alone states what a socket does anyway: nothing to say
      // (asyncpg still rejects the sslmode keyword: db-ssl-param-driver reports that).
      if (!ssl.some(claimsSsl)) continue;
      if (model.files.get(ref.file)?.isTest) continue;
      const edit = dropParamsEdit(url, (k) => SSL_PARAMS.has(k));
      const keys = ssl.map((p) => p.key);
      const list = keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
      const cloud = url.socket.startsWith('/cloudsql');
      const related: Related[] = [];
      const evidence = driverFor(ref, model);
      const site = evidence && driverSite(model, evidence);
      if (site && evidence) related.push({ ...site, message: `the URL reaches ${evidence.use!.use.driver} here` });
      report({
        file: ref.file,
        span: { start: ssl[0].span.start, end: ssl[ssl.length - 1].span.end },
        key: `${ref.write?.write.name ?? url.envName ?? ''}:${url.socket}:${keys.join(',')}:${nth(ref)}`,
        messageId: cloud ? 'sslOnCloudSqlSocket' : 'sslOnSocket',
        data: { url: describeUrl(ref), socket: url.socket, params: list, have: keys.length === 1 ? 'has' : 'have' },
        related,
        fixes: edit
          ? [{ title: `Remove ${list} from the socket URL`, edits: [{ file: ref.file, ...edit }], safe: true, preferred: true }]
          : [],
      });
    }
  },
});
