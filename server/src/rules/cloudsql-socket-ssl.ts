/**
 * SSL parameters on a Postgres URL whose host is a Cloud SQL unix socket (`?host=/cloudsql/…`,
 * `@/cloudsql/…`, `?unix_sock=/cloudsql/…/.s.PGSQL.5432`). libpq ignores `sslmode` on a socket
 * and asyncpg never uses SSL there, so the parameters are dead weight that reads like a security
 * setting (warning). This rule owns every SSL parameter of a socket URL, so one spot gets one
 * piece of advice (remove it): when the driver also rejects a parameter (`sslmode` reaching
 * asyncpg crashes at connect), the finding is an error and says both reasons.
 * db-ssl-param-driver reports TCP URLs only.
 */
import type { Related } from '../core/findings';
import { defineRule } from './types';
import { dropParamsEdit } from '../extract/db-url';
import { describeUrl, driverFor, driverName, driverSite, rejectsParam, urlOrdinals } from './shared/db-drivers';

export const SSL_PARAMS = new Set(['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'sslcrl', 'sslpassword', 'sslcompression', 'ssl_min_protocol_version']);

const OFF = /^(disable|false|0|off|no)$/i;
function claimsSsl(p: { key: string; value: string }): boolean {
  const k = p.key.toLowerCase();
  return !((k === 'sslmode' || k === 'ssl') && OFF.test(p.value));
}

const listed = (keys: string[]): string => (keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`);

export const cloudsqlSocketSsl = defineRule({
  meta: {
    id: 'cloudsql-socket-ssl',
    defaultSeverity: 'warning',
    description: 'A Postgres URL over a Cloud SQL unix socket carries SSL parameters, which a socket ignores',
    fixable: true,
    // `rejected…`: the driver also fails on one of them (an error).
    messages: {
      sslOnSocket: '{{url}}: {{params}} {{do}} nothing on a unix socket',
      sslOnCloudSqlSocket: '{{url}}: {{params}} {{do}} nothing on a Cloud SQL socket',
      rejectedOnSocket: '{{url}}: {{driver}} rejects {{rejected}}, and SSL does nothing on a unix socket',
      rejectedOnCloudSqlSocket: '{{url}}: {{driver}} rejects {{rejected}}, and SSL does nothing on a Cloud SQL socket',
    },
  },
  check({ model, report }) {
    // The URL's position among its file's URLs: a fingerprint that survives line moves.
    const nth = urlOrdinals(model);
    for (const ref of model.dbUrls) {
      const { url } = ref;
      if (!url.socket) continue;
      const ssl = url.params.filter((p) => SSL_PARAMS.has(p.key.toLowerCase()));
      if (ssl.length === 0 || model.files.get(ref.file)?.isTest) continue;
      const evidence = driverFor(ref, model);
      const rejected = evidence ? ssl.filter((p) => rejectsParam(evidence.driver, p.key, !!evidence.parsesUrl)) : [];
      // `sslmode=disable` / `ssl=false` alone states what a socket does anyway: nothing to say,
      // unless the driver fails on the keyword itself.
      if (rejected.length === 0 && !ssl.some(claimsSsl)) continue;
      const edit = dropParamsEdit(url, (k) => SSL_PARAMS.has(k));
      const keys = ssl.map((p) => p.key);
      const cloud = url.socket.startsWith('/cloudsql');
      const related: Related[] = [];
      const site = evidence && driverSite(model, evidence);
      if (site && evidence) related.push({ ...site, message: `the URL reaches ${evidence.use!.use.driver} here` });
      const messageId = rejected.length
        ? (cloud ? 'rejectedOnCloudSqlSocket' : 'rejectedOnSocket')
        : (cloud ? 'sslOnCloudSqlSocket' : 'sslOnSocket');
      report({
        file: ref.file,
        span: { start: ssl[0].span.start, end: ssl[ssl.length - 1].span.end },
        key: `${ref.write?.write.name ?? url.envName ?? ''}:${url.socket}:${keys.join(',')}:${nth(ref)}`,
        severity: rejected.length ? 'error' : undefined,
        messageId,
        data: {
          url: describeUrl(ref), params: listed(keys), do: keys.length === 1 ? 'does' : 'do',
          driver: evidence ? driverName(evidence.driver) : undefined, rejected: listed(rejected.map((p) => p.key)),
        },
        related,
        fixes: edit
          ? [{ title: `Remove ${listed(keys)} from the socket URL`, edits: [{ file: ref.file, ...edit }], safe: true, preferred: true }]
          : [],
      });
    }
  },
});
