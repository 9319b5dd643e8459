/**
 * Python reads that run only when another env variable is set or unset (`EnvRead.onlyWhen`): a
 * branch on a direct presence test of one variable, its `else`, an early return before the read,
 * a local bound to the tested read, a comparison with a value (`mode == "jwt"`: set to that value).
 * Comparisons with environment names are environment branches, not switches. Minimal reproductions written from scratch.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import type { FileFacts } from '../../server/src/core/facts';

before(ready);

const py = (text: string, file = 'svc/app/switches.py'): FileFacts => extractFile(file, text);

/** The switches of the one read of `name`, as `A` (set) / `!A` (unset), sorted. */
function when(f: FileFacts, name: string): string[] {
  const r = f.reads.filter((x) => x.name === name);
  assert.equal(r.length, 1, `expected one read of ${name}, got ${r.length}`);
  return (r[0]!.onlyWhen ?? []).map((s) => (s.set ? s.name : `!${s.name}`)).sort();
}

test('a branch on a presence test: its body needs the variable set, its else unset', () => {
  const text = [
    'import os',
    'def connection():',
    '    if os.getenv("SQL_INSTANCE"):',
    '        socket = os.environ["SQL_SOCKET_DIR"]',
    '    else:',
    '        password = os.environ["LOCAL_DB_PASSWORD"]',
    '    host = os.environ["DB_NAME"]',
    'if not os.environ.get("CACHE_OFF"):',
    '    cache_url = os.environ["CACHE_URL"]',
    'if "TRACING" in os.environ:',
    '    collector = os.environ["COLLECTOR_URL"]',
    'if "QUIET" not in os.environ:',
    '    verbose_sink = os.environ["LOG_SINK"]',
    'if os.getenv("FEATURE_A") is not None:',
    '    a_key = os.environ["FEATURE_A_KEY"]',
    'if os.getenv("FEATURE_B") is None:',
    '    b_fallback = os.environ["FEATURE_B_FALLBACK"]',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(when(f, 'SQL_SOCKET_DIR'), ['SQL_INSTANCE']);
  assert.deepEqual(when(f, 'LOCAL_DB_PASSWORD'), ['!SQL_INSTANCE']);
  // after the if statement: runs either way
  assert.deepEqual(when(f, 'DB_NAME'), []);
  assert.deepEqual(when(f, 'CACHE_URL'), ['!CACHE_OFF']);
  assert.deepEqual(when(f, 'COLLECTOR_URL'), ['TRACING']);
  assert.deepEqual(when(f, 'LOG_SINK'), ['!QUIET']);
  assert.deepEqual(when(f, 'FEATURE_A_KEY'), ['FEATURE_A']);
  assert.deepEqual(when(f, 'FEATURE_B_FALLBACK'), ['!FEATURE_B']);
});

test('elif and else take the earlier presence tests as unset; conjunctions combine, disjunctions only in their else', () => {
  const text = [
    'import os',
    'if os.getenv("USE_REDIS"):',
    '    url = os.environ["REDIS_URL"]',
    'elif os.getenv("USE_MEMCACHE"):',
    '    servers = os.environ["MEMCACHE_SERVERS"]',
    'else:',
    '    path = os.environ["DISK_CACHE_DIR"]',
    'if os.getenv("EXPORT_ON") and os.getenv("EXPORT_BUCKET_SET"):',
    '    bucket = os.environ["EXPORT_BUCKET"]',
    'else:',
    '    local_dir = os.environ["EXPORT_LOCAL_DIR"]',
    'if os.getenv("MAIL_ON") or os.getenv("SMS_ON"):',
    '    sender = os.environ["NOTIFY_SENDER"]',
    'else:',
    '    sink = os.environ["NOTIFY_SINK"]',
    'if os.getenv("OUTER_ON"):',
    '    if not os.getenv("INNER_OFF"):',
    '        deep = os.environ["NESTED_KEY"]',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(when(f, 'REDIS_URL'), ['USE_REDIS']);
  assert.deepEqual(when(f, 'MEMCACHE_SERVERS'), ['!USE_REDIS', 'USE_MEMCACHE']);
  assert.deepEqual(when(f, 'DISK_CACHE_DIR'), ['!USE_MEMCACHE', '!USE_REDIS']);
  assert.deepEqual(when(f, 'EXPORT_BUCKET'), ['EXPORT_BUCKET_SET', 'EXPORT_ON']);
  // not (A and B) is no conjunction of presence tests
  assert.deepEqual(when(f, 'EXPORT_LOCAL_DIR'), []);
  assert.deepEqual(when(f, 'NOTIFY_SENDER'), []);
  assert.deepEqual(when(f, 'NOTIFY_SINK'), ['!MAIL_ON', '!SMS_ON']);
  assert.deepEqual(when(f, 'NESTED_KEY'), ['!INNER_OFF', 'OUTER_ON']);
});

test('an early return on a presence test guards the rest of the function; a raise does not (the variable is required there)', () => {
  const text = [
    'import os',
    'def report():',
    '    if not os.getenv("REPORTS_ON"):',
    '        return None',
    '    token = os.environ["REPORTS_TOKEN"]',
    '    for x in range(3):',
    '        use(os.environ["REPORTS_BUCKET"])',
    'def other():',
    '    return os.environ["OTHER_TOKEN"]',
    'def partial():',
    '    if not os.getenv("PARTIAL_ON"):',
    '        log("off")',
    '    return os.environ["PARTIAL_TOKEN"]',
    'def before():',
    '    early = os.environ["EARLY_TOKEN"]',
    '    if not os.getenv("LATE_ON"):',
    '        raise RuntimeError("off")',
    'def required():',
    '    if not os.getenv("PAY_TO"):',
    '        raise ValueError("PAY_TO is required")',
    '    return os.environ["ENCLAVE_ADDR"]',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(when(f, 'REPORTS_TOKEN'), ['REPORTS_ON']);
  assert.deepEqual(when(f, 'REPORTS_BUCKET'), ['REPORTS_ON']);
  // another function; a branch that does not leave; a read before the test
  assert.deepEqual(when(f, 'OTHER_TOKEN'), []);
  assert.deepEqual(when(f, 'PARTIAL_TOKEN'), []);
  assert.deepEqual(when(f, 'EARLY_TOKEN'), []);
  assert.deepEqual(when(f, 'ENCLAVE_ADDR'), []);
});

test('a local bound to the tested read, a conditional expression and a short-circuit', () => {
  const text = [
    'import os',
    'def config():',
    '    conn = os.getenv("INSTANCE_CONN")',
    '    if conn:',
    '        user = os.environ["INSTANCE_USER"]',
    '    else:',
    '        host = os.environ["PLAIN_HOST"]',
    '    reused = os.getenv("REUSED_FLAG")',
    '    reused = "x"',
    '    if reused:',
    '        r = os.environ["REUSED_KEY"]',
    'key = os.environ["QUEUE_KEY"] if os.getenv("QUEUE_ON") else None',
    'token = os.getenv("AUDIT_ON") and os.environ["AUDIT_TOKEN"]',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(when(f, 'INSTANCE_USER'), ['INSTANCE_CONN']);
  assert.deepEqual(when(f, 'PLAIN_HOST'), ['!INSTANCE_CONN']);
  // assigned twice: what it holds at the test is not known
  assert.deepEqual(when(f, 'REUSED_KEY'), []);
  assert.deepEqual(when(f, 'QUEUE_KEY'), ['QUEUE_ON']);
  assert.deepEqual(when(f, 'AUDIT_TOKEN'), ['AUDIT_ON']);
});

test('a flag read with a false default (`env.bool("X", False)`, `getenv("X", 0)`) switches what its branch reads; a true default does not', () => {
  const text = [
    'import os',
    'import environ',
    'env = environ.Env()',
    'GITHUB_APP_ENABLED = env.bool("GITHUB_APP_ENABLED", False)',
    'if GITHUB_APP_ENABLED:',
    '    GITHUB_APP_ID = env.int("GITHUB_APP_ID")',
    'if os.getenv("SYNC_ON", 0):',
    '    sync_key = os.environ["SYNC_KEY"]',
    'CACHE_ON = env.bool("CACHE_ON", True)',
    'if CACHE_ON:',
    '    cache_url = os.environ["CACHE_URL"]',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(when(f, 'GITHUB_APP_ID'), ['GITHUB_APP_ENABLED']);
  assert.deepEqual(when(f, 'SYNC_KEY'), ['SYNC_ON']);
  assert.deepEqual(when(f, 'CACHE_URL'), []);
});

test('a read bound to self in the same method, and a library-import flag beside the test, still switch the else branch', () => {
  const text = [
    'import os',
    'try:',
    '    from google.cloud import storage',
    '    GCS_AVAILABLE = True',
    'except ImportError:',
    '    GCS_AVAILABLE = False',
    'ENABLED = os.getenv("FEATURE_ON") == "1"',
    'class Storage:',
    '    def __init__(self):',
    '        self.bucket = os.getenv("GCS_BUCKET")',
    '        if self.bucket and GCS_AVAILABLE:',
    '            self.kind = "gcs"',
    '        else:',
    '            self.key = os.getenv("R2_KEY")',
    '        if self.bucket and ENABLED:',
    '            pass',
    '        else:',
    '            self.other = os.getenv("S3_KEY")',
    '    def later(self):',
    '        if self.bucket:',
    '            return 1',
    '        return os.getenv("LATER_KEY")',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(when(f, 'R2_KEY'), ['!GCS_BUCKET']);
  // Another flag (not an import's) could be false whatever the deploy sets: nothing is known.
  assert.deepEqual(when(f, 'S3_KEY'), []);
  // Another method: the attribute may have been set anywhere.
  assert.deepEqual(when(f, 'LATER_KEY'), []);
});

test('a comparison with a value: the branch needs the variable set to it; its other side, when the value is the default, needs it set', () => {
  const text = [
    'import os',
    'def verifier():',
    '    mode = os.getenv("AUTH_MODE", "none").lower()',
    '    if mode == "jwt":',
    '        return os.environ["JWT_ISSUER"]',
    '    elif mode != "none":',
    '        return os.environ["OTHER_ISSUER"]',
    'if os.getenv("BETA", "false") == "true":',
    '    beta_key = os.environ["BETA_KEY"]',
    'if os.environ["STORE"].strip() == "gcs":',
    '    bucket = os.environ["GCS_BUCKET"]',
  ].join('\n');
  const f = py(text);
  const full = (name: string) => f.reads.find((r) => r.name === name)!.onlyWhen;
  assert.deepEqual(full('JWT_ISSUER'), [{ name: 'AUTH_MODE', set: true, equals: 'jwt', fallback: 'none' }]);
  // `!= "none"` (the default) holds only when AUTH_MODE is set; the `elif` also says it is not "jwt", which is no switch.
  assert.deepEqual(full('OTHER_ISSUER'), [{ name: 'AUTH_MODE', set: true }]);
  assert.deepEqual(full('BETA_KEY'), [{ name: 'BETA', set: true, equals: 'true', fallback: 'false' }]);
  assert.deepEqual(full('GCS_BUCKET'), [{ name: 'STORE', set: true, equals: 'gcs' }]);
});

test('look-alikes: comparisons with environment names, defaults, the read\'s own name, other conditions', () => {
  const text = [
    'import os',
    'if os.getenv("APP_ENV") == "prod":',
    '    prod_key = os.environ["PROD_ONLY_KEY"]',
    'if os.getenv("MODE", "fast") == "fast":',
    '    fast_key = os.environ["FAST_KEY"]',
    'if os.getenv("LEVEL") == f"{PREFIX}-on":',
    '    level_key = os.environ["LEVEL_KEY"]',
    'if os.getenv("ALWAYS", "yes"):',
    '    always_key = os.environ["ALWAYS_KEY"]',
    'if os.getenv("SELF_SWITCH"):',
    '    self_value = os.environ["SELF_SWITCH"]',
    'if ready():',
    '    plain = os.environ["PLAIN_KEY"]',
    'if settings.FEATURE:',
    '    feature = os.environ["SETTINGS_KEY"]',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(when(f, 'PROD_ONLY_KEY'), []);
  // Equal to the default: it holds when MODE is unset too.
  assert.deepEqual(when(f, 'FAST_KEY'), []);
  assert.deepEqual(when(f, 'LEVEL_KEY'), []);
  assert.deepEqual(when(f, 'ALWAYS_KEY'), []);
  const self = f.reads.filter((r) => r.name === 'SELF_SWITCH');
  assert.ok(self.every((r) => !r.onlyWhen), 'no switch on the read\'s own name');
  assert.deepEqual(when(f, 'PLAIN_KEY'), []);
  assert.deepEqual(when(f, 'SETTINGS_KEY'), []);
});

test('minimal reproduction: a managed-database branch and a local branch choose the password', () => {
  // Seen in a real service: the deploy sets the instance name, so the local branch never runs
  // there; the read of the local password raises only on a developer's machine.
  const text = [
    'import os',
    '',
    'class DatabaseSettings:',
    '    def connection(self) -> dict:',
    '        if os.getenv("MANAGED_SQL_INSTANCE"):',
    '            instance = os.getenv("MANAGED_SQL_INSTANCE")',
    '            return {"instance": instance, "password": self._password()}',
    '        else:',
    '            password = os.getenv("LOCAL_PG_PASSWORD")',
    '            if not password:',
    '                raise ValueError("LOCAL_PG_PASSWORD is required for local development")',
    '            return {"host": "localhost", "password": password}',
    '',
    '    def _password(self) -> str:',
    '        password = os.getenv("MANAGED_SQL_PASSWORD")',
    '        if password:',
    '            return password',
    '        if not os.getenv("MANAGED_SQL_INSTANCE"):',
    '            password = os.getenv("LOCAL_PG_PASSWORD")',
    '            if not password:',
    '                raise ValueError("LOCAL_PG_PASSWORD is required")',
    '            return password',
    '        raise ValueError("no password")',
  ].join('\n');
  const f = py(text);
  const local = f.reads.filter((r) => r.name === 'LOCAL_PG_PASSWORD');
  assert.equal(local.length, 2);
  for (const r of local) {
    assert.equal(r.hasDefault, false, 'still required where it runs');
    assert.deepEqual(r.onlyWhen, [{ name: 'MANAGED_SQL_INSTANCE', set: false }]);
  }
});
