/**
 * The SSL parameter spelled for the wrong driver: `sslmode=` reaching asyncpg through SQLAlchemy
 * (which passes it as a keyword: `TypeError: connect() got an unexpected keyword argument
 * 'sslmode'`; asyncpg's own DSN parser, `asyncpg.connect(dsn)`, knows `sslmode`), or
 * `ssl=` reaching libpq (psycopg2: `invalid connection option "ssl"`). The driver is the URL's
 * scheme, or the driver the reading service hands the variable to (a plain `postgresql://` URL in
 * a deploy file whose variable the code passes to `create_async_engine`), which is then related.
 * URLs over a unix socket are cloudsql-socket-ssl's: there the right advice is to remove the
 * parameter, whatever the driver.
 */
import { defineRule } from './types';
import type { Fix } from '../core/edits';
import type { Related } from '../core/findings';
import { runsOutsideService } from '../core/facts';
import { dropParamsEdit, rewriteParamEdit } from '../extract/db-url';
import { describeUrl, driverFor, driverSite, familyOf, urlOrdinals } from './shared/db-drivers';

/** `ssl=true` as libpq spells it. */
function libpqMode(value: string): string | undefined {
  const mode = /^(true|1|on|yes|require)$/i.test(value) ? 'require' : /^(false|0|off|no|disable)$/i.test(value) ? 'disable' : ASYNCPG_SSL.has(value) ? value : undefined;
  return mode && `sslmode=${mode}`;
}

/** libpq sslmode values asyncpg's `ssl=` also accepts. */
const ASYNCPG_SSL = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

export const dbSslParamDriver = defineRule({
  meta: {
    id: 'db-ssl-param-driver',
    defaultSeverity: 'error',
    description: 'An SSL parameter spelled for another Postgres driver (sslmode on asyncpg, ssl on psycopg2)',
    fixable: true,
    messages: {
      sslmodeOnAsyncpg: '{{url}}: asyncpg rejects sslmode (a TypeError at connect); asyncpg spells it ssl=',
      sslOnLibpq: '{{url}}: libpq (psycopg) rejects ssl= (invalid connection option); libpq spells it sslmode=',
      sslmodeOnPg8000: '{{url}}: pg8000 rejects sslmode; it takes an ssl_context',
      // The parameter is appended by the code itself (`f"{url}?sslmode=require"`) before the driver gets the URL.
      sslmodeAppendedAsyncpg: 'sslmode={{value}} is appended to {{variable}}, but {{driver}} rejects sslmode; it spells it ssl=',
      sslAppendedLibpq: 'ssl={{value}} is appended to {{variable}}, but {{driver}} (libpq) rejects ssl=; it spells it sslmode=',
    },
  },
  check({ model, report }) {
    // The URL's position among its file's URLs: a fingerprint that survives line moves.
    const nth = urlOrdinals(model);
    for (const ref of model.dbUrls) {
      if (model.files.get(ref.file)?.isTest) continue;
      const { url } = ref;
      // On a unix socket every SSL parameter is cloudsql-socket-ssl's, with the one right advice
      // (remove it) and both reasons when the driver also rejects it.
      if (url.socket) continue;
      const evidence = driverFor(ref, model);
      if (!evidence) continue;
      const site = driverSite(model, evidence);
      const related: Related[] = site ? [{ ...site, message: `the URL reaches ${evidence.use!.use.driver} here` }] : [];
      const has = (k: string) => url.params.some((p) => p.key.toLowerCase() === k);
      for (const p of url.params) {
        const key = p.key.toLowerCase();
        let problem: 'sslmodeOnAsyncpg' | 'sslOnLibpq' | 'sslmodeOnPg8000' | undefined;
        const fixes: Fix[] = [];
        const drop = (title: string): void => {
          const e = dropParamsEdit(url, (k) => k === key);
          if (e) fixes.push({ title, edits: [{ file: ref.file, ...e }], safe: true, preferred: true });
        };
        // asyncpg's own URL parser knows sslmode (`asyncpg.connect(dsn)`); only SQLAlchemy's
        // keywords carry it to `connect()`, which rejects it.
        if (key === 'sslmode' && evidence.driver === 'asyncpg' && !evidence.parsesUrl) {
          problem = 'sslmodeOnAsyncpg';
          if (has('ssl')) drop('Remove sslmode (ssl= is already set)');
          else if (ASYNCPG_SSL.has(p.value)) {
            const e = rewriteParamEdit(url, p.key, 'ssl', p.value);
            if (e) fixes.push({ title: `Use ssl=${p.value} (asyncpg's spelling)`, edits: [{ file: ref.file, ...e }], safe: true, preferred: true });
          }
        } else if (key === 'ssl' && evidence.driver === 'libpq') {
          problem = 'sslOnLibpq';
          const mode = /^(true|1|on|yes|require)$/i.test(p.value) ? 'require' : /^(false|0|off|no|disable)$/i.test(p.value) ? 'disable' : ASYNCPG_SSL.has(p.value) ? p.value : undefined;
          if (has('sslmode')) drop('Remove ssl (sslmode= is already set)');
          else if (mode) {
            const e = rewriteParamEdit(url, p.key, 'sslmode', mode);
            if (e) fixes.push({ title: `Use sslmode=${mode} (libpq's spelling)`, edits: [{ file: ref.file, ...e }], safe: true, preferred: true });
          }
        } else if (key === 'sslmode' && evidence.driver === 'pg8000') {
          problem = 'sslmodeOnPg8000';
        }
        if (!problem) continue;
        report({
          file: ref.file,
          span: p.span,
          key: `${ref.write?.write.name ?? url.envName ?? ''}:${p.key}:${nth(ref)}`,
          messageId: problem,
          data: { url: describeUrl(ref) },
          related,
          fixes,
        });
      }
    }
    // Parameters the code appends at runtime (`url = f"{url}?sslmode=require"`), reported at the literal.
    // Not in tests, operator scripts (a checker under `scripts/` run by hand) nor tools' configs:
    // none is the service a deploy starts.
    for (const [file, facts] of model.files) {
      if (runsOutsideService(facts) || model.operatorModules.has(file)) continue;
      for (const use of facts.driverUses) {
        const family = familyOf(use.driver);
        (use.addsParams ?? []).forEach((p, i) => {
          const key = p.key.toLowerCase();
          const problem = key === 'sslmode' && family === 'asyncpg' && !use.parsesUrl ? 'sslmodeAppendedAsyncpg'
            : key === 'ssl' && family === 'libpq' ? 'sslAppendedLibpq' : undefined;
          if (!problem) return;
          const spelled = problem === 'sslmodeAppendedAsyncpg' && ASYNCPG_SSL.has(p.value) ? `ssl=${p.value}`
            : problem === 'sslAppendedLibpq' ? libpqMode(p.value) : undefined;
          report({
            file,
            span: p.span,
            key: `appended:${use.envName ?? ''}:${p.key}:${i}`,
            messageId: problem,
            data: { value: p.value, variable: use.envName ?? 'the URL', driver: use.driver },
            related: [
              ...(use.readSpan ? [{ file, span: use.readSpan, message: `${use.envName} is read here` }] : []),
              { file, span: use.span, message: `the URL reaches ${use.driver} here` },
            ],
            // Not safe: code around it may test for the old spelling (`if "sslmode" not in url`).
            fixes: spelled ? [{ title: `Append ${spelled} instead (${family === 'asyncpg' ? 'asyncpg' : 'libpq'}'s spelling)`, edits: [{ file, span: p.span, newText: spelled }], safe: false, preferred: true }] : [],
          });
        });
      }
    }
  },
});
