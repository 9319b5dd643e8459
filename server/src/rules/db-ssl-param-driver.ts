/**
 * The SSL parameter spelled for the wrong driver: `sslmode=` reaching asyncpg (SQLAlchemy passes
 * it as a keyword: `TypeError: connect() got an unexpected keyword argument 'sslmode'`), or
 * `ssl=` reaching libpq (psycopg2: `invalid connection option "ssl"`). The driver is the URL's
 * scheme, or the driver the reading service hands the variable to.
 */
import type { Rule, Fix } from './types';
import { dropParamsEdit, rewriteParamEdit } from '../extract/db-url';
import { driverFor } from './shared/db-drivers';

/** libpq sslmode values asyncpg's `ssl=` also accepts. */
const ASYNCPG_SSL = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

export const dbSslParamDriver: Rule = {
  meta: {
    id: 'db-ssl-param-driver',
    defaultSeverity: 'error',
    description: "An SSL parameter spelled for another Postgres driver (sslmode on asyncpg, ssl on psycopg2)",
    fixable: true,
  },
  check({ model, report }) {
    for (const ref of model.dbUrls) {
      if (model.files.get(ref.file)?.isTest) continue;
      const evidence = driverFor(ref, model);
      if (!evidence) continue;
      const { url } = ref;
      const via = evidence.use ? ` (${ref.service?.name} passes ${url.envName ?? ref.write?.write.name} to ${evidence.use.use.driver})` : '';
      const related = evidence.use ? [{ file: evidence.use.file, span: evidence.use.use.span, message: `the URL reaches ${evidence.use.use.driver} here` }] : [];
      for (const p of url.params) {
        const key = p.key.toLowerCase();
        let message: string | undefined;
        const fixes: Fix[] = [];
        if (key === 'sslmode' && evidence.driver === 'asyncpg') {
          message = `asyncpg does not accept sslmode${via}: connecting fails with "TypeError: connect() got an unexpected keyword argument 'sslmode'"; asyncpg spells it ssl=`;
          if (url.socket) {
            // On a Cloud SQL socket SSL is meaningless: dropping it is the whole fix.
            const e = dropParamsEdit(url, (k) => k === 'sslmode');
            if (e) fixes.push({ title: 'Remove sslmode (unix socket: no SSL)', edits: [{ file: ref.file, ...e }], safe: true, preferred: true });
          } else if (ASYNCPG_SSL.has(p.value)) {
            const e = rewriteParamEdit(url, p.key, 'ssl', p.value);
            if (e) fixes.push({ title: `Use ssl=${p.value} (asyncpg's spelling)`, edits: [{ file: ref.file, ...e }], safe: true, preferred: true });
          }
        } else if (key === 'ssl' && evidence.driver === 'libpq') {
          const mode = /^(true|1|on|yes|require)$/i.test(p.value) ? 'require' : /^(false|0|off|no|disable)$/i.test(p.value) ? 'disable' : undefined;
          message = `libpq (psycopg) does not know ssl=${via}: connecting fails with 'invalid connection option "ssl"'; libpq spells it sslmode=`;
          if (mode) {
            const e = rewriteParamEdit(url, p.key, 'sslmode', mode);
            if (e) fixes.push({ title: `Use sslmode=${mode} (libpq's spelling)`, edits: [{ file: ref.file, ...e }], safe: true, preferred: true });
          }
        } else if (key === 'sslmode' && evidence.driver === 'pg8000') {
          message = `pg8000 does not accept sslmode${via}; it takes an ssl_context`;
        }
        if (!message) continue;
        report({
          file: ref.file,
          span: p.span,
          key: `${ref.write?.write.name ?? ''}:${p.key}:${url.span.start}`,
          message: `${ref.write ? `${ref.write.write.name}${ref.environment ? ` (${ref.environment})` : ''}: ` : ''}${message}`,
          related,
          fixes,
        });
      }
    }
  },
};
