import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractDotenv } from '../../server/src/extract/dotenv';
import { emptyFacts, type EnvWrite, type FileFacts } from '../../server/src/core/facts';

before(ready);

function run(text: string): FileFacts {
  const facts = emptyFacts('.env.staging', 'dotenv', 'h');
  extractDotenv(text, facts);
  return facts;
}

function entry(f: FileFacts, name: string): EnvWrite {
  const e = f.envFile?.entries.find((x) => x.name === name);
  assert.ok(e, `no entry ${name}`);
  return e;
}

function literal(f: FileFacts, name: string): string | undefined {
  const v = entry(f, name).value;
  return v.kind === 'literal' ? v.value : undefined;
}

test('plain entries, comments, export, blank lines', () => {
  const text = [
    '# Staging settings',
    'ENVIRONMENT=staging',
    '',
    'export GCP_PROJECT_ID=acme-staging   # the project',
    '  PORT = 8080',
    'EMPTY=',
    'HASH_IN_VALUE=abc#def',
    'SPACED_COMMENT= # only a comment',
    '',
  ].join('\n');
  const f = run(text);
  const block = f.envFile!;
  assert.equal(block.kind, 'env');
  assert.equal(block.mode, 'file');
  assert.deepEqual(block.entries.map((e) => e.name), ['ENVIRONMENT', 'GCP_PROJECT_ID', 'PORT', 'EMPTY', 'HASH_IN_VALUE', 'SPACED_COMMENT']);
  const proj = entry(f, 'GCP_PROJECT_ID');
  assert.equal(at(text, proj.nameSpan), 'GCP_PROJECT_ID');
  assert.equal(at(text, proj.span), 'export GCP_PROJECT_ID=acme-staging');
  assert.equal(literal(f, 'GCP_PROJECT_ID'), 'acme-staging');
  assert.equal(proj.value.kind === 'literal' && at(text, proj.value.span), 'acme-staging');
  assert.equal(at(text, entry(f, 'PORT').span), 'PORT = 8080');
  assert.equal(literal(f, 'PORT'), '8080');
  assert.equal(literal(f, 'EMPTY'), '');
  assert.equal(literal(f, 'HASH_IN_VALUE'), 'abc#def');
  assert.equal(literal(f, 'SPACED_COMMENT'), '');
  assert.deepEqual(f.problems, []);
  assert.deepEqual(block.insert, { offset: text.length, before: '', after: '\n', format: 'dotenv' });
});

test('quotes: single literal, double with escapes, backtick, trailing comments', () => {
  const text = [
    `SINGLE='raw \\n $HOME \${X}'`,
    `DOUBLE="line1\\nline2 \\"quoted\\" back\\\\slash" # note`,
    'TICK=`it\'s "both"`',
    `QUOTED_HASH="a # not a comment"`,
  ].join('\n');
  const f = run(text);
  assert.equal(literal(f, 'SINGLE'), 'raw \\n $HOME ${X}');
  assert.equal(literal(f, 'DOUBLE'), 'line1\nline2 "quoted" back\\slash');
  const d = entry(f, 'DOUBLE');
  assert.equal(d.value.kind === 'literal' && at(text, d.value.span), `"line1\\nline2 \\"quoted\\" back\\\\slash"`);
  assert.equal(at(text, d.span), `DOUBLE="line1\\nline2 \\"quoted\\" back\\\\slash"`);
  assert.equal(literal(f, 'TICK'), `it's "both"`);
  assert.equal(literal(f, 'QUOTED_HASH'), 'a # not a comment');
  // No newline at the end: the insertion starts one.
  assert.deepEqual(f.envFile!.insert, { offset: text.length, before: '\n', after: '\n', format: 'dotenv' });
});

test('interpolation makes a value dynamic; quoted literal stays literal', () => {
  const text = 'A=${BASE}/api\nB="${HOST:-localhost}:5432"\nC=$OTHER\nD="price \\$5"\nE=\'${NOT}\'\nF=pa$$word\n';
  const f = run(text);
  for (const name of ['A', 'B', 'C']) {
    const v = entry(f, name).value;
    assert.equal(v.kind, 'dynamic', name);
  }
  const b = entry(f, 'B').value;
  assert.equal(b.kind === 'dynamic' && b.text, '${HOST:-localhost}:5432');
  assert.equal(b.kind === 'dynamic' && at(text, b.span), '"${HOST:-localhost}:5432"');
  assert.equal(literal(f, 'D'), 'price $5');
  assert.equal(literal(f, 'E'), '${NOT}');
  assert.equal(literal(f, 'F'), 'pa$$word');
});

test('multi-line quoted values do not cascade into following lines', () => {
  const text = [
    'PRIVATE_KEY="-----BEGIN KEY-----',
    'NOT_A_KEY=inside',
    '-----END KEY-----"',
    "SQL='select 1",
    "# still inside'",
    'CERT=`a',
    'b`',
    'AFTER=yes',
  ].join('\n');
  const f = run(text);
  assert.deepEqual(f.envFile!.entries.map((e) => e.name), ['PRIVATE_KEY', 'SQL', 'CERT', 'AFTER']);
  assert.equal(literal(f, 'PRIVATE_KEY'), '-----BEGIN KEY-----\nNOT_A_KEY=inside\n-----END KEY-----');
  assert.equal(literal(f, 'SQL'), "select 1\n# still inside");
  assert.equal(literal(f, 'CERT'), 'a\nb');
  const pk = entry(f, 'PRIVATE_KEY');
  assert.equal(at(text, pk.span), 'PRIVATE_KEY="-----BEGIN KEY-----\nNOT_A_KEY=inside\n-----END KEY-----"');
  assert.equal(literal(f, 'AFTER'), 'yes');
});

test('an unclosed quote is read as an unquoted value, not the rest of the file', () => {
  const text = 'BROKEN="abc\nNEXT=1\n';
  const f = run(text);
  assert.equal(literal(f, 'BROKEN'), '"abc');
  assert.equal(literal(f, 'NEXT'), '1');
});

test('KEY: value, bare KEY (inherited), export KEY', () => {
  const text = 'REGION: us-central1\nCOLON_EMPTY:\nAPI_KEY\nexport TOKEN # from CI\nURL=http://x:80\n';
  const f = run(text);
  assert.equal(literal(f, 'REGION'), 'us-central1');
  assert.equal(at(text, entry(f, 'REGION').span), 'REGION: us-central1');
  assert.equal(literal(f, 'COLON_EMPTY'), '');
  assert.deepEqual(entry(f, 'API_KEY').value, { kind: 'inherited' });
  assert.equal(at(text, entry(f, 'API_KEY').span), 'API_KEY');
  assert.deepEqual(entry(f, 'TOKEN').value, { kind: 'inherited' });
  assert.equal(at(text, entry(f, 'TOKEN').span), 'export TOKEN');
  assert.equal(literal(f, 'URL'), 'http://x:80');
});

test('CRLF and BOM', () => {
  const text = '\uFEFFA=1\r\nB="two\r\nlines"\r\nC=3';
  const f = run(text);
  assert.equal(literal(f, 'A'), '1');
  assert.equal(at(text, entry(f, 'A').nameSpan), 'A');
  assert.equal(entry(f, 'A').nameSpan.start, 1);
  assert.equal(literal(f, 'B'), 'two\nlines');
  assert.equal(literal(f, 'C'), '3');
  assert.deepEqual(f.envFile!.insert, { offset: text.length, before: '\r\n', after: '\r\n', format: 'dotenv' });
  const g = run('A=1\r\n');
  assert.deepEqual(g.envFile!.insert, { offset: 5, before: '', after: '\r\n', format: 'dotenv' });
  const empty = run('');
  assert.deepEqual(empty.envFile!.insert, { offset: 0, before: '', after: '\n', format: 'dotenv' });
});

test('bad lines are skipped; a garbage or binary file gets one problem', () => {
  const one = run('A=1\nthis is not an assignment\nB=2\n');
  assert.deepEqual(one.envFile!.entries.map((e) => e.name), ['A', 'B']);
  assert.deepEqual(one.problems, []);

  const garbage = run('<html>\n<body>\nhello world\n{"a": 1}\nA=1\n');
  assert.equal(garbage.problems.length, 1);
  assert.match(garbage.problems[0].message, /does not look like a dotenv file/);

  const binary = run('A=1\n\u0000\u0001\u0002PNG\u0000\u0000');
  assert.equal(binary.problems.length, 1);
  assert.equal(binary.envFile!.entries.length, 0);
  assert.equal(binary.envFile!.insert, undefined);
});

test('database URLs in values, with source spans and the env name', () => {
  const text = [
    'DATABASE_URL="postgresql+asyncpg://app:s3cr3t@/appdb?host=/cloudsql/acme:us-central1:db&sslmode=require"',
    'READ_URL=postgres://ro@10.0.0.5/appdb?sslmode=verify-full # replica',
    'TEMPLATE_URL="postgresql://${DB_USER}:${DB_PASS}@/appdb?host=/cloudsql/${INSTANCE}&ssl=true"',
    "LITERAL='postgresql://u@/db?unix_sock=/cloudsql/a:b:c/.s.PGSQL.5432'",
    'NOT_DB=mysql://x/y',
  ].join('\n');
  const f = run(text);
  assert.deepEqual(f.dbUrls.map((u) => u.envName), ['DATABASE_URL', 'READ_URL', 'TEMPLATE_URL', 'LITERAL']);
  const [a, b, c, d] = f.dbUrls;
  assert.equal(at(text, a.span), 'postgresql+asyncpg://app:s3cr3t@/appdb?host=/cloudsql/acme:us-central1:db&sslmode=require');
  assert.equal(a.socket, '/cloudsql/acme:us-central1:db');
  assert.equal(at(text, a.params[1].removeSpan), '&sslmode=require');
  assert.equal(at(text, b.span), 'postgres://ro@10.0.0.5/appdb?sslmode=verify-full');
  assert.equal(b.socket, undefined);
  assert.equal(c.socket, '/cloudsql/${INSTANCE}');
  assert.equal(at(text, c.params[1].span), 'ssl=true');
  assert.equal(d.socket, '/cloudsql/a:b:c');
  assert.equal(at(text, d.params[0].removeSpan), '?unix_sock=/cloudsql/a:b:c/.s.PGSQL.5432');
});

test('escaped characters map URL spans back to the source', () => {
  const text = 'DSN="postgresql://h/db?application_name=a\\"b&sslmode=require"\n';
  const f = run(text);
  const [u] = f.dbUrls;
  assert.ok(u);
  // The decoded `"` ends the URL; the span stops at the escape in the source.
  assert.equal(at(text, u.span), 'postgresql://h/db?application_name=a');
});
