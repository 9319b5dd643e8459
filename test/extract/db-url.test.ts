import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { dropParamsEdit, findDbUrls, rewriteParamEdit } from '../../server/src/extract/db-url';
import type { Span } from '../../server/src/core/facts';

before(ready);

/** Runs findDbUrls on the content of the first double-quoted string in `src` (no escapes). */
function inQuotes(src: string, envName?: string) {
  const start = src.indexOf('"') + 1;
  const end = src.indexOf('"', start);
  const value = src.slice(start, end);
  const offsets = Array.from({ length: value.length + 1 }, (_, i) => start + i);
  return findDbUrls(value, offsets, { start: start - 1, end: end + 1 }, envName);
}

function apply(text: string, edit: { span: Span; newText: string }): string {
  return text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
}

test('asyncpg URL on a Cloud SQL socket given as ?host=', () => {
  const src = 'DATABASE_URL="postgresql+asyncpg://app:pw@/appdb?host=/cloudsql/proj:us-central1:main&sslmode=require"\n';
  const [u, ...rest] = inQuotes(src, 'DATABASE_URL');
  assert.equal(rest.length, 0);
  assert.equal(at(src, u.span), 'postgresql+asyncpg://app:pw@/appdb?host=/cloudsql/proj:us-central1:main&sslmode=require');
  assert.equal(u.scheme, 'postgresql+asyncpg');
  assert.equal(u.socket, '/cloudsql/proj:us-central1:main');
  assert.equal(u.envName, 'DATABASE_URL');
  assert.deepEqual(u.params.map((p) => [p.key, p.value, at(src, p.span), at(src, p.removeSpan)]), [
    ['host', '/cloudsql/proj:us-central1:main', 'host=/cloudsql/proj:us-central1:main', 'host=/cloudsql/proj:us-central1:main&'],
    ['sslmode', 'require', 'sslmode=require', '&sslmode=require'],
  ]);
  // Removing the later param leaves a valid URL.
  assert.equal(
    apply(src, { span: u.params[1].removeSpan, newText: '' }),
    'DATABASE_URL="postgresql+asyncpg://app:pw@/appdb?host=/cloudsql/proj:us-central1:main"\n',
  );
});

test('socket forms: @/cloudsql/..., %2F host, unix_sock, none', () => {
  const [a] = inQuotes('U="postgresql://u:p@/cloudsql/proj:eu-west1:db/appdb"');
  assert.equal(a.socket, '/cloudsql/proj:eu-west1:db');
  assert.deepEqual(a.params, []);
  const [b] = inQuotes('U="postgres://u:p@%2Fcloudsql%2Fproj%3Aeu-west1%3Adb/appdb"');
  assert.equal(b.scheme, 'postgres');
  assert.equal(b.socket, '/cloudsql/proj:eu-west1:db');
  const [c] = inQuotes('U="postgresql+pg8000://u:p@/appdb?unix_sock=/cloudsql/proj:r:i/.s.PGSQL.5432"');
  assert.equal(c.scheme, 'postgresql+pg8000');
  assert.equal(c.socket, '/cloudsql/proj:r:i');
  const [d] = inQuotes('U="postgresql+psycopg2://u:p@10.0.0.3:5432/appdb?sslmode=require"');
  assert.equal(d.socket, undefined);
  assert.equal(d.scheme, 'postgresql+psycopg2');
  // `@/dbname` alone is an empty host (libpq default socket), not a Cloud SQL socket.
  const [e] = inQuotes('U="postgresql://u:p@/appdb"');
  assert.equal(e.socket, undefined);
  // Percent-encoded param value is decoded.
  const [f] = inQuotes('U="postgresql://u:p@/appdb?host=%2Fcloudsql%2Fp%3Ar%3Ai"');
  assert.equal(f.socket, '/cloudsql/p:r:i');
  assert.equal(f.params[0].value, '/cloudsql/p:r:i');
});

test('removeSpan: only param, first of several, later param', () => {
  const src = 'X="postgresql://h/db?sslmode=disable"';
  const [u] = inQuotes(src);
  assert.equal(at(src, u.params[0].removeSpan), '?sslmode=disable');
  assert.equal(apply(src, { span: u.params[0].removeSpan, newText: '' }), 'X="postgresql://h/db"');

  const src2 = 'X="postgresql://h/db?sslmode=require&application_name=api&connect_timeout=5"';
  const [v] = inQuotes(src2);
  assert.deepEqual(v.params.map((p) => at(src2, p.removeSpan)), ['sslmode=require&', '&application_name=api', '&connect_timeout=5']);
  assert.equal(apply(src2, { span: v.params[0].removeSpan, newText: '' }), 'X="postgresql://h/db?application_name=api&connect_timeout=5"');
  assert.equal(apply(src2, { span: v.params[1].removeSpan, newText: '' }), 'X="postgresql://h/db?sslmode=require&connect_timeout=5"');
});

test('dropParamsEdit removes several params in one valid edit, keeping the others byte for byte and in order', () => {
  const src = 'X="postgresql+asyncpg://u:p@/db?sslmode=require&host=/cloudsql/p:r:i&sslrootcert=/certs/ca.pem&pool=5"\n';
  const [u] = inQuotes(src);
  const ssl = new Set(['sslmode', 'sslrootcert', 'ssl']);
  const edit = dropParamsEdit(u, (k) => ssl.has(k));
  assert.ok(edit);
  assert.equal(apply(src, edit), 'X="postgresql+asyncpg://u:p@/db?host=/cloudsql/p:r:i&pool=5"\n');

  // Every param dropped: the `?` goes too; a fragment stays.
  const src2 = 'X="postgresql://u:p@/db?sslmode=require&sslcert=a.pem#frag"';
  const [w] = inQuotes(src2);
  const all = dropParamsEdit(w, (k) => k === 'sslmode' || k === 'sslcert');
  assert.ok(all);
  assert.equal(apply(src2, all), 'X="postgresql://u:p@/db#frag"');

  // Keys are compared lower-cased.
  const src3 = 'X="postgresql://u@h/db?SSLMode=require&pool=5"';
  const [m] = inQuotes(src3);
  assert.equal(apply(src3, dropParamsEdit(m, (k) => k === 'sslmode')!), 'X="postgresql://u@h/db?pool=5"');

  // Nothing to remove.
  assert.equal(dropParamsEdit(w, (k) => k === 'ssl'), undefined);
  // Empty segments (`&&`): the query is not rebuilt from guesses.
  const [e] = inQuotes('X="postgresql://h/db?sslmode=require&&pool=5"');
  assert.equal(dropParamsEdit(e, (k) => k === 'sslmode'), undefined);
  // Spans that don't map to the source (offsets null): refuse rather than corrupt.
  const [n] = findDbUrls('postgresql://h/db?sslmode=require', null, { start: 3, end: 40 });
  assert.deepEqual(n.params[0].span, { start: 3, end: 40 });
  assert.deepEqual(n.span, { start: 3, end: 40 });
  assert.equal(dropParamsEdit(n, (k) => k === 'sslmode'), undefined);
});

test('rewriteParamEdit renames sslmode to ssl', () => {
  const src = 'X="postgresql+asyncpg://u:p@db.internal/app?sslmode=require&pool=5"';
  const [u] = inQuotes(src);
  const edit = rewriteParamEdit(u, 'sslmode', 'ssl', 'require');
  assert.ok(edit);
  assert.equal(apply(src, edit), 'X="postgresql+asyncpg://u:p@db.internal/app?ssl=require&pool=5"');
  assert.equal(rewriteParamEdit(u, 'ssl', 'sslmode', 'require'), undefined);
});

test('interpolated parts are kept and skipped over', () => {
  const src = 'X="postgresql+asyncpg://${DB_USER}:${DB_PASSWORD:-x?y&z}@/${DB_NAME}?host=/cloudsql/${INSTANCE}&sslmode=$MODE"';
  const [u] = inQuotes(src);
  assert.equal(at(src, u.span), src.slice(3, -1));
  assert.equal(u.socket, '/cloudsql/${INSTANCE}');
  assert.deepEqual(u.params.map((p) => [p.key, p.value]), [['host', '/cloudsql/${INSTANCE}'], ['sslmode', '$MODE']]);
  // A URL that is the default of an expansion ends at the closing brace.
  const src2 = 'X="${DATABASE_URL:-postgres://localhost/dev?sslmode=disable}"';
  const [v] = inQuotes(src2);
  assert.equal(at(src2, v.span), 'postgres://localhost/dev?sslmode=disable');
  assert.equal(at(src2, v.params[0].removeSpan), '?sslmode=disable');
});

test('URL inside a longer string, several URLs, and mapped offsets with escapes', () => {
  const src = 'X="primary=postgresql://a/db1?sslmode=require replica=postgres://b/db2"';
  const urls = inQuotes(src);
  assert.deepEqual(urls.map((u) => at(src, u.span)), ['postgresql://a/db1?sslmode=require', 'postgres://b/db2']);
  // Source `"pg=postgresql://h/d?a=\"1\""` decoded with a gap at each escape.
  const source = 'K="postgresql://h/d?a=1\\"&b=2"';
  const value = 'postgresql://h/d?a=1"&b=2';
  const offsets: number[] = [];
  for (let i = 3, k = 0; k < value.length; k++) {
    offsets.push(i);
    i += source[i] === '\\' ? 2 : 1;
  }
  offsets.push(source.length - 1);
  const [u] = findDbUrls(value, offsets, { start: 2, end: source.length });
  // The URL ends at the quote character in the decoded value.
  assert.equal(at(source, u.span), 'postgresql://h/d?a=1');
});

test('not a Postgres URL, and garbage never throws', () => {
  assert.deepEqual(inQuotes('X="mysql://u:p@h/db?sslmode=require"'), []);
  assert.deepEqual(inQuotes('X="mypostgres://h/db"'), []);
  assert.deepEqual(inQuotes('X="postgres is great"'), []);
  for (const g of ['postgresql://', 'postgresql://?', 'postgresql://?&&=&', 'postgresql://${', 'postgresql://%E0%A4%A?x=%ZZ', 'postgresql://}']) {
    assert.doesNotThrow(() => findDbUrls(g, Array.from({ length: g.length + 1 }, (_, i) => i), { start: 0, end: g.length }));
  }
  const [u] = findDbUrls('postgresql://h/db?x=%E0%A4%A', null, { start: 0, end: 1 });
  assert.equal(u.params[0].value, '%E0%A4%A');
});
