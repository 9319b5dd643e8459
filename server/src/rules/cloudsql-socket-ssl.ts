/**
 * SSL parameters on a Postgres URL whose host is a Cloud SQL unix socket. libpq ignores
 * `sslmode` on a socket and asyncpg never uses SSL there, so the parameters are dead weight at
 * best — and `sslmode` on asyncpg is a crash (reported by db-ssl-param-driver).
 */
import type { Rule } from './types';
import { dropParamsEdit } from '../extract/db-url';

export const SSL_PARAMS = new Set(['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'sslcrl', 'sslpassword', 'sslcompression', 'ssl_min_protocol_version']);

export const cloudsqlSocketSsl: Rule = {
  meta: {
    id: 'cloudsql-socket-ssl',
    defaultSeverity: 'warning',
    description: 'A Postgres URL over a Cloud SQL unix socket carries SSL parameters, which a socket ignores',
    fixable: true,
  },
  check({ model, report }) {
    for (const ref of model.dbUrls) {
      const { url } = ref;
      if (!url.socket) continue;
      const ssl = url.params.filter((p) => SSL_PARAMS.has(p.key.toLowerCase()));
      if (ssl.length === 0) continue;
      if (model.files.get(ref.file)?.isTest) continue;
      const edit = dropParamsEdit(url, (k) => SSL_PARAMS.has(k));
      const where = ref.write ? `${ref.write.write.name}${ref.service ? ` of ${ref.service.name}` : ''}${ref.environment ? ` (${ref.environment})` : ''}` : 'this URL';
      report({
        file: ref.file,
        span: { start: ssl[0].span.start, end: ssl[ssl.length - 1].span.end },
        key: `${ref.write?.write.name ?? ''}:${url.socket}:${ssl.map((p) => p.key).join(',')}:${url.span.start}`,
        message: `${where} connects through the Cloud SQL socket ${url.socket}, where ${ssl.map((p) => p.key).join(', ')} ${ssl.length === 1 ? 'has' : 'have'} no effect (the socket is already private; asyncpg rejects sslmode)`,
        fixes: edit ? [{ title: `Remove ${ssl.map((p) => p.key).join(', ')} from the socket URL`, edits: [{ file: ref.file, ...edit }], safe: true, preferred: true }] : [],
      });
    }
  },
};
