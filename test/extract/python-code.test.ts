import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import { extractPythonCode, pythonCodeMayMatter } from '../../server/src/extract/python/index';
import { extractPython } from '../../server/src/extract/python';
import { withPythonTree } from '../../server/src/parsers/tree-sitter';
import { emptyFacts, type FileFacts } from '../../server/src/core/facts';
import { defaultExtractOptions, type ExtractOptions } from '../../server/src/extract/options';

before(ready);

const py = (text: string, file = 'svc/app/x.py', options?: ExtractOptions): FileFacts =>
  options ? extractFile(file, text, options) : extractFile(file, text);

function read(f: FileFacts, name: string) {
  const r = f.reads.filter((x) => x.name === name);
  assert.equal(r.length, 1, `expected one read of ${name}, got ${r.length}`);
  return r[0]!;
}

test('os.environ / os.getenv shapes, defaults and exact spans', () => {
  const text = [
    'import os',
    'A = os.environ["A_VAR"]',
    'B = os.environ.get("B_VAR")',
    "C = os.environ.get('C_VAR', 'fallback')",
    'D = os.environ.get("D_VAR", default="x")',
    'E = os.environ.get("E_VAR", None)',
    'F = os.getenv("F_VAR")',
    'G = int(os.getenv("G_VAR", 8080))',
    'os.environ.setdefault("H_VAR", "1")',
    'if "I_VAR" in os.environ:',
    '    pass',
    'J = "J_VAR" not in os.environ',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['A_VAR', false, 'os.environ'],
    ['B_VAR', false, 'os.environ.get'],
    ['C_VAR', true, 'os.environ.get'],
    ['D_VAR', true, 'os.environ.get'],
    // An explicit None default with no use in sight says None will do.
    ['E_VAR', true, 'os.environ.get'],
    ['F_VAR', false, 'os.getenv'],
    ['G_VAR', true, 'os.getenv'],
    ['H_VAR', true, 'os.environ.setdefault'],
    ['I_VAR', true, 'in os.environ'],
    ['J_VAR', true, 'not in os.environ'],
  ]);
  for (const r of f.reads) assert.equal(at(text, r.nameSpan), r.name);
  assert.equal(at(text, read(f, 'A_VAR').span), 'os.environ["A_VAR"]');
  assert.equal(at(text, read(f, 'C_VAR').span), "os.environ.get('C_VAR', 'fallback')");
  assert.equal(at(text, read(f, 'G_VAR').span), 'os.getenv("G_VAR", 8080)');
  assert.equal(at(text, read(f, 'I_VAR').span), '"I_VAR" in os.environ');
  assert.equal(f.isTest, undefined);
  assert.equal(read(f, 'A_VAR').devOnly, undefined);
});

test('from-imports and aliases of environ / getenv / os', () => {
  const text = [
    'import os as _os',
    'from os import environ, getenv as ge',
    'a = environ.get("A1")',
    'b = environ["B1"]',
    'c = ge("C1", "x")',
    'd = _os.getenv("D1")',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via, at(text, r.nameSpan)]), [
    ['A1', false, 'environ.get', 'A1'],
    ['B1', false, 'environ', 'B1'],
    ['C1', true, 'ge', 'C1'],
    ['D1', false, '_os.getenv', 'D1'],
  ]);
});

test('`or` fallbacks count as a default for the left operand only', () => {
  const text = [
    'import os',
    'url = os.environ.get("DATABASE_URL") or "postgresql://localhost/dev"',
    'project = os.getenv("GCP_PROJECT") or os.getenv("GOOGLE_CLOUD_PROJECT")',
    'x = (os.getenv("X1") or os.getenv("X2")) or "d"',
    'y = "d" or os.getenv("Y1")',
  ].join('\n');
  const f = py(text);
  assert.equal(read(f, 'DATABASE_URL').hasDefault, true);
  assert.equal(read(f, 'GCP_PROJECT').hasDefault, true);
  assert.equal(read(f, 'GOOGLE_CLOUD_PROJECT').hasDefault, false);
  assert.equal(read(f, 'X1').hasDefault, true);
  assert.equal(read(f, 'X2').hasDefault, true);
  assert.equal(read(f, 'Y1').hasDefault, false);
});

test('presence tests count as a default; plain uses do not', () => {
  const text = [
    'import os',
    'if os.getenv("DEBUG_SQL"):',
    '    pass',
    'if os.environ.get("TRACE") is None:',
    '    pass',
    'flag = os.getenv("FEATURE_X") == "true"',
  ].join('\n');
  const f = py(text);
  assert.equal(read(f, 'DEBUG_SQL').hasDefault, true);
  assert.equal(read(f, 'TRACE').hasDefault, true);
  // A flag compared with a literal is simply off when unset: nothing breaks.
  assert.equal(read(f, 'FEATURE_X').hasDefault, true);
  assert.equal(read(f, 'FEATURE_X').optionalBecause, 'compared');
});

test('env wrapper objects', () => {
  const text = [
    'from shared.isolated_environment import get_env',
    'class Config:',
    '    def __init__(self, settings):',
    '        self._env = get_env()',
    '        self.a = self._env.get("W_A")',
    '        self.b = self.env.get("W_B", "x")',
    '        self.c = get_env().get("W_C")',
    '        self.d = settings.env.get("W_D")',
    '        self.e = get_environment().get("W_E")',
    'env = get_env()',
    'F = env.get("W_F")',
    'G = "W_G" in env',
    'H = EnvironmentWrapper().get("W_H", "fallback")',
    'I = IsolatedEnvironment().get("W_I")',
    'J = jinja2.Environment().get("NOT_A_READ")',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via, at(text, r.nameSpan)]), [
    ['W_A', false, 'self._env.get', 'W_A'],
    ['W_B', true, 'self.env.get', 'W_B'],
    ['W_C', false, 'get_env().get', 'W_C'],
    ['W_D', false, 'settings.env.get', 'W_D'],
    ['W_E', false, 'get_environment().get', 'W_E'],
    ['W_F', false, 'env.get', 'W_F'],
    ['W_G', true, 'in env', 'W_G'],
    ['W_H', true, 'EnvironmentWrapper().get', 'W_H'],
    ['W_I', false, 'IsolatedEnvironment().get', 'W_I'],
  ]);
  assert.equal(at(text, read(f, 'W_C').span), 'get_env().get("W_C")');
});

test('configured env accessors', () => {
  const text = [
    'from app.config import settings, get_config',
    'A = settings.require("ACC_A")',
    'B = get_config().get("ACC_B", "d")',
    'C = get_config( ).get("ACC_C")',
    'D = other.require("ACC_D")',
    'E = require_env("ACC_E")',
  ].join('\n');
  const options = { envAccessors: ['settings.require', 'get_config().get', 'require_env'] };
  const f = py(text, 'svc/app/acc.py', options);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault, r.via]), [
    ['ACC_A', false, 'settings.require'],
    ['ACC_B', true, 'get_config().get'],
    ['ACC_C', false, 'get_config().get'],
    ['ACC_E', false, 'require_env'],
  ]);
  assert.equal(at(text, read(f, 'ACC_B').nameSpan), 'ACC_B');
  // Without the option, none of these shapes is a read.
  assert.deepEqual(py(text, 'svc/app/acc2.py').reads, []);
});

test('negatives: iteration, non-env dicts, writes, strings, comments, WSGI environ', () => {
  const text = [
    'import os',
    'for key in os.environ:',
    '    print(key, os.environ.items())',
    'project = data.get("GCP_PROJECT_ID")',
    'mode = self.environment.get("MODE_X")',
    'snippet = "os.getenv(\'IN_STRING\')"',
    '# value = os.getenv("COMMENTED_OUT")',
    'os.environ["WRITTEN"] = "1"',
    'os.environ["AUGMENTED"] += ":x"',
    'del os.environ["DELETED"]',
    'def app(environ, start_response):',
    '    path = environ.get("PATH_INFO")',
    'bad = os.getenv("not-a-name")',
    'copy = dict(os.environ)',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(f.reads, []);
  assert.deepEqual(f.dynamicReads, []);
});

test('dynamic names: f-strings, concatenation, format, variables', () => {
  const text = [
    'import os',
    'cid = os.environ[f"GOOGLE_OAUTH_CLIENT_ID_{env.upper()}"]',
    'pw = os.getenv("DB_" + suffix)',
    'k = os.environ.get("API_KEY_{}".format(region))',
    'v = os.getenv(name)',
    'w = self._env.get(f"SECRET_{x}")',
    'z = self._env.get(key)',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(f.reads, []);
  assert.deepEqual(f.dynamicReads.map((d) => [at(text, d.span), d.prefix]), [
    ['os.environ[f"GOOGLE_OAUTH_CLIENT_ID_{env.upper()}"]', 'GOOGLE_OAUTH_CLIENT_ID_'],
    ['os.getenv("DB_" + suffix)', 'DB_'],
    ['os.environ.get("API_KEY_{}".format(region))', 'API_KEY_'],
    ['os.getenv(name)', undefined],
    ['self._env.get(f"SECRET_{x}")', 'SECRET_'],
  ]);
});

test('devOnly and inEnvironment branches', () => {
  const text = [
    'import os',
    'ENVIRONMENT = os.getenv("ENVIRONMENT", "development")',
    'if ENVIRONMENT == "development":',
    '    A = os.getenv("DEV_A")',
    'elif ENVIRONMENT == "stg":',
    '    B = os.getenv("STG_B")',
    'elif ENVIRONMENT in ("prod", "production"):',
    '    C = os.getenv("PROD_C")',
    'else:',
    '    D = os.getenv("OTHER_D")',
    'if settings.env in ["dev", "test"]:',
    '    E = os.getenv("DEV_E")',
    'if name == "test":',
    '    F = os.getenv("NOT_DEV_F")',
    'if ENVIRONMENT in ["staging", "production"]:',
    '    G = os.getenv("BOTH_G")',
    'H = os.getenv("DEV_H") if config.is_development() else None',
    'def test_connection():',
    '    I = os.getenv("TEST_I")',
  ].join('\n');
  const f = py(text);
  const ctx = (n: string) => {
    const r = read(f, n);
    return [r.devOnly ?? false, r.inEnvironment];
  };
  assert.deepEqual(ctx('ENVIRONMENT'), [false, undefined]);
  assert.deepEqual(ctx('DEV_A'), [true, undefined]);
  assert.deepEqual(ctx('STG_B'), [false, 'staging']);
  assert.deepEqual(ctx('PROD_C'), [false, 'production']);
  assert.deepEqual(ctx('OTHER_D'), [false, undefined]);
  assert.deepEqual(ctx('DEV_E'), [true, undefined]);
  assert.deepEqual(ctx('NOT_DEV_F'), [false, undefined]);
  assert.deepEqual(ctx('BOTH_G'), [false, undefined]);
  assert.deepEqual(ctx('DEV_H'), [true, undefined]);
  assert.deepEqual(ctx('TEST_I'), [true, undefined]);
});

test('test files are flagged and their reads are devOnly', () => {
  const text = 'import os\nURL = os.environ["TEST_DATABASE_URL"]\n';
  for (const file of ['svc/tests/integration/test_db.py', 'svc/app/test_db.py', 'svc/app/db_test.py', 'svc/conftest.py']) {
    const f = py(text, file);
    assert.equal(f.isTest, true, file);
    assert.equal(read(f, 'TEST_DATABASE_URL').devOnly, true, file);
  }
  const svc = py(text, 'svc/app/testing_utils.py');
  assert.equal(svc.isTest, undefined);
  assert.equal(read(svc, 'TEST_DATABASE_URL').devOnly, undefined);
});

const AUDIT_SECRETS = `import os
from typing import Optional

class SecretManager:
    def __init__(self, environment: str):
        self._env = get_env()
        self._environment = environment

    def _load_from_gcp_secret_manager(self) -> None:
        if not self._is_gcp_available():  # Returns False if GCP_PROJECT_ID not set
            return
        self._load_secrets()

    def _is_gcp_available(self) -> bool:
        return (self._environment in ["staging", "production"] and
                self._env.get("GCP_PROJECT_ID") is not None)
`;

test('secret-manager gate: the audit\'s _is_gcp_available', () => {
  const f = py(AUDIT_SECRETS, 'svc/app/core/secrets.py');
  assert.equal(f.gates.length, 1);
  const g = f.gates[0]!;
  assert.deepEqual(g.names, ['GCP_PROJECT_ID']);
  assert.equal(g.functionName, '_is_gcp_available');
  assert.equal(g.language, 'python');
  assert.equal(at(AUDIT_SECRETS, g.conditionSpan), 'self._env.get("GCP_PROJECT_ID") is not None');
  assert.equal(g.conditionText, 'self._env.get("GCP_PROJECT_ID") is not None');
  const o = g.nameOffsets[0]!;
  assert.equal(o.name, 'GCP_PROJECT_ID');
  assert.equal(g.conditionText.slice(o.start, o.end), 'GCP_PROJECT_ID');
  assert.equal(AUDIT_SECRETS.slice(g.conditionSpan.start + o.start, g.conditionSpan.start + o.end), 'GCP_PROJECT_ID');
});

test('secret-manager gate: the audit\'s Fix 2 (several variables) is not a gate', () => {
  const text = `class SecretManager:
    def _is_gcp_available(self) -> bool:
        # More robust detection
        is_cloud_env = self._environment in ["staging", "production"]
        has_gcp_creds = (
            self._env.get("GCP_PROJECT_ID") is not None or
            self._env.get("GOOGLE_APPLICATION_CREDENTIALS") is not None or
            self._env.get("K_SERVICE") is not None  # Cloud Run indicator
        )
        return is_cloud_env or has_gcp_creds

    def _load_from_gcp_secret_manager(self) -> None:
        if not self._is_gcp_available():
            return
`;
  const f = py(text, 'svc/app/core/secrets.py');
  assert.deepEqual(f.gates, []);
  assert.equal(f.reads.length, 3);
});

test('secret-manager gates: truthy test, `in os.environ`, early return; non-gates', () => {
  const text = `import os
from google.cloud import secretmanager

def use_secret_manager() -> bool:
    if os.getenv("GCP_PROJECT_ID"):
        return True
    return False

def load_secrets():
    if not os.environ.get("GOOGLE_CLOUD_PROJECT"):
        return {}
    client = secretmanager.SecretManagerServiceClient()

def on_cloud_run():
    return "K_SERVICE" in os.environ

def get_project_id() -> str:
    return os.getenv("GCP_PROJECT_ID", "")

def init():
    if on_cloud_run():
        fetch_from_secret_manager()
`;
  const f = py(text, 'svc/app/secrets.py');
  assert.deepEqual(f.gates.map((g) => [g.functionName, g.conditionText, g.names[0]]), [
    ['use_secret_manager', 'os.getenv("GCP_PROJECT_ID")', 'GCP_PROJECT_ID'],
    ['load_secrets', 'not os.environ.get("GOOGLE_CLOUD_PROJECT")', 'GOOGLE_CLOUD_PROJECT'],
    ['on_cloud_run', '"K_SERVICE" in os.environ', 'K_SERVICE'],
  ]);
  for (const g of f.gates) {
    const o = g.nameOffsets[0]!;
    assert.equal(text.slice(g.conditionSpan.start + o.start, g.conditionSpan.start + o.end), g.names[0]);
  }
  // Same shape, no Secret Manager anywhere: not a gate.
  const plain = py('import os\ndef is_cloud() -> bool:\n    return os.getenv("GCP_PROJECT_ID") is not None\n', 'svc/app/plain.py');
  assert.deepEqual(plain.gates, []);
});

const AUDIT_BREAKER = `from enum import Enum
import enum


class CircuitState(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class UnifiedCircuitBreakerState(str, enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"
    FORCED_OPEN = "forced_open"


class Level(IntEnum):
    LOW = 1
    HIGH = 2


class UnifiedCircuitBreaker:
    def __init__(self, name: str):
        self.name = name
        self._state = UnifiedCircuitBreakerState.CLOSED

    def _trip(self) -> None:
        self._state = UnifiedCircuitBreakerState.OPEN

    @property
    def state(self) -> CircuitState:
        return self._state

    @property
    def status(self) -> Optional["CircuitState"]:
        return CircuitState.OPEN

    def get_circuit_state(self) -> "UnifiedCircuitBreakerState":
        return self._state

    def is_open(self) -> bool:
        return self.state == CircuitState.OPEN


async def call_with_breaker(breaker: UnifiedCircuitBreaker):
    if breaker.state == CircuitState.OPEN:
        raise RuntimeError("open")


def check():
    b = UnifiedCircuitBreaker("db")
    return b.state in (CircuitState.OPEN, CircuitState.HALF_OPEN)


def other(x):
    return x.state is not UnifiedCircuitBreakerState.CLOSED and x.name == Level.LOW
`;

test('enums: members, values, spans', () => {
  const f = py(AUDIT_BREAKER, 'svc/app/core/circuit_breaker.py');
  assert.deepEqual(f.enums.map((e) => [e.name, at(AUDIT_BREAKER, e.span)]), [
    ['CircuitState', 'CircuitState'],
    ['UnifiedCircuitBreakerState', 'UnifiedCircuitBreakerState'],
    ['Level', 'Level'],
  ]);
  const cs = f.enums[0]!;
  assert.deepEqual(cs.members.map((m) => [m.name, m.value]), [['CLOSED', 'closed'], ['OPEN', 'open'], ['HALF_OPEN', 'half_open']]);
  for (const m of cs.members) assert.equal(at(AUDIT_BREAKER, m.span), m.name);
  assert.deepEqual(f.enums[2]!.members.map((m) => [m.name, m.value]), [['LOW', '1'], ['HIGH', '2']]);
  // A plain class is not an enum.
  assert.equal(f.enums.some((e) => e.name === 'UnifiedCircuitBreaker'), false);
});

test('state accessors: declared type vs evidently returned enum', () => {
  const f = py(AUDIT_BREAKER, 'svc/app/core/circuit_breaker.py');
  assert.deepEqual(f.accessors.map((a) => [a.className, a.name]), [
    ['UnifiedCircuitBreaker', 'state'],
    ['UnifiedCircuitBreaker', 'status'],
    ['UnifiedCircuitBreaker', 'get_circuit_state'],
  ]);
  const [state, status, getter] = f.accessors;
  assert.equal(at(AUDIT_BREAKER, state!.span), 'state');
  assert.equal(state!.declaredType?.name, 'CircuitState');
  assert.equal(at(AUDIT_BREAKER, state!.declaredType?.span), 'CircuitState');
  assert.deepEqual(state!.returns.map((r) => [r.text, r.enumName, at(AUDIT_BREAKER, r.span)]), [
    ['self._state', 'UnifiedCircuitBreakerState', 'self._state'],
  ]);
  assert.equal(status!.declaredType?.name, 'CircuitState');
  assert.equal(at(AUDIT_BREAKER, status!.declaredType?.span), 'CircuitState');
  assert.deepEqual(status!.returns.map((r) => r.enumName), ['CircuitState']);
  assert.equal(getter!.declaredType?.name, 'UnifiedCircuitBreakerState');
});

test('state attribute annotated in __init__ and disagreeing assignments', () => {
  const text = `class A:
    def __init__(self):
        self._state: CircuitState = make()

    @property
    def state(self):
        return self._state


class B:
    def __init__(self):
        self._state = CircuitState.OPEN

    def reset(self):
        self._state = OtherState.CLOSED

    @property
    def current_state(self) -> CircuitState:
        return self._state
`;
  const f = py(text, 'svc/app/b.py');
  assert.deepEqual(f.accessors.map((a) => [a.className, a.name, a.declaredType?.name, a.returns[0]?.enumName]), [
    ['A', 'state', undefined, 'CircuitState'],
    ['B', 'current_state', 'CircuitState', undefined],
  ]);
});

test('enum comparisons on state properties, with receiver classes', () => {
  const f = py(AUDIT_BREAKER, 'svc/app/core/circuit_breaker.py');
  assert.deepEqual(
    f.comparisons.map((c) => [c.property, c.receiverClass, c.enumName, c.member, at(AUDIT_BREAKER, c.span), at(AUDIT_BREAKER, c.enumSpan)]),
    [
      ['state', 'UnifiedCircuitBreaker', 'CircuitState', 'OPEN', 'self.state == CircuitState.OPEN', 'CircuitState.OPEN'],
      ['state', 'UnifiedCircuitBreaker', 'CircuitState', 'OPEN', 'breaker.state == CircuitState.OPEN', 'CircuitState.OPEN'],
      ['state', 'UnifiedCircuitBreaker', 'CircuitState', 'OPEN', 'b.state in (CircuitState.OPEN, CircuitState.HALF_OPEN)', 'CircuitState.OPEN'],
      ['state', 'UnifiedCircuitBreaker', 'CircuitState', 'HALF_OPEN', 'b.state in (CircuitState.OPEN, CircuitState.HALF_OPEN)', 'CircuitState.HALF_OPEN'],
      ['state', undefined, 'UnifiedCircuitBreakerState', 'CLOSED', 'x.state is not UnifiedCircuitBreakerState.CLOSED', 'UnifiedCircuitBreakerState.CLOSED'],
    ],
  );
});

test('comparisons: other properties and non-enum values are ignored', () => {
  const text = [
    'if resp.status == 200: pass',
    'if job.state == "done": pass',
    'if job.kind == JobKind.BATCH: pass',
    'if job.status != JobStatus.FAILED: pass',
    'if self._breaker.state == CircuitState.OPEN: pass',
  ].join('\n');
  const f = py(text, 'svc/app/c.py');
  assert.deepEqual(f.comparisons.map((c) => [c.property, c.enumName, c.member, c.receiverClass]), [
    ['status', 'JobStatus', 'FAILED', undefined],
    ['state', 'CircuitState', 'OPEN', undefined],
  ]);
});

test('receiver class from self attributes', () => {
  const text = `class Service:
    def __init__(self):
        self._breaker = UnifiedCircuitBreaker("db")

    def ok(self):
        return self._breaker.state == CircuitState.CLOSED
`;
  const f = py(text, 'svc/app/s.py');
  assert.equal(f.comparisons.length, 1);
  assert.equal(f.comparisons[0]!.receiverClass, 'UnifiedCircuitBreaker');
});

test('driver uses and the env variable flowing into them', () => {
  const text = `"""Run with DATABASE_URL=postgresql+asyncpg://u@localhost/db (a docstring)."""
import os
import asyncpg
import psycopg2
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine

DATABASE_URL = os.getenv("DATABASE_URL")

def make_async_engine():
    url = DATABASE_URL.replace("postgresql://", "postgresql+asyncpg://")
    return create_async_engine(url, pool_pre_ping=True)

def make_sync_engine():
    return create_engine(os.environ["SYNC_DATABASE_URL"])

async def connect():
    return await asyncpg.connect(dsn=os.environ["PG_DSN"])

def legacy():
    return psycopg2.connect(os.environ.get("LEGACY_DB"))

def sqlite_engine():
    return create_engine("sqlite:///local.db")

def pool():
    return asyncpg.create_pool(host="localhost")

TEST_URL = os.getenv("TEST_DB", "postgresql+asyncpg://u:p@localhost/test")
`;
  const f = py(text, 'svc/app/db.py');
  assert.deepEqual(f.driverUses.map((d) => [d.driver, d.envName, at(text, d.span)]), [
    ['asyncpg', 'DATABASE_URL', 'DATABASE_URL.replace("postgresql://", "postgresql+asyncpg://")'],
    ['asyncpg', 'DATABASE_URL', 'create_async_engine(url, pool_pre_ping=True)'],
    ['psycopg2', 'SYNC_DATABASE_URL', 'create_engine(os.environ["SYNC_DATABASE_URL"])'],
    ['asyncpg', 'PG_DSN', 'asyncpg.connect(dsn=os.environ["PG_DSN"])'],
    ['psycopg2', 'LEGACY_DB', 'psycopg2.connect(os.environ.get("LEGACY_DB"))'],
    ['asyncpg', undefined, 'asyncpg.create_pool(host="localhost")'],
    ['asyncpg', 'TEST_DB', '"postgresql+asyncpg://u:p@localhost/test"'],
  ]);
});

test('Postgres URL literals go to findDbUrls, with the env name of a read default', () => {
  const text = `import os
"""Docs: postgresql://example/docs?sslmode=require is only an example."""
URL = os.getenv("DATABASE_URL", "postgresql+asyncpg://app:pw@/appdb?host=/cloudsql/p:r:i&sslmode=require")
os.environ["TEST_DB_URL"] = "postgresql://u@localhost/t"
OTHER = "postgres://localhost/other"
# CONN = "postgresql://commented/out"
`;
  const f = py(text, 'svc/app/urls.py');
  assert.deepEqual(f.dbUrls.map((u) => [u.scheme, u.envName]), [
    ['postgresql+asyncpg', 'DATABASE_URL'],
    ['postgresql', 'TEST_DB_URL'],
    ['postgres', undefined],
  ]);
  const first = f.dbUrls[0]!;
  assert.equal(at(text, first.span), 'postgresql+asyncpg://app:pw@/appdb?host=/cloudsql/p:r:i&sslmode=require');
  assert.equal(first.socket, '/cloudsql/p:r:i');
  assert.deepEqual(first.params.map((p) => at(text, p.span)), ['host=/cloudsql/p:r:i', 'sslmode=require']);
});

test('syntax errors and odd input never throw', () => {
  for (const text of ['os.environ.get(', 'os.environ[]', 'class X(Enum:\n  A = ', 'def state(self) ->:\n', '\u0000env', 'x = f"{os.getenv(\'A\')}"']) {
    const f = py(text, 'svc/app/bad.py');
    assert.ok(Array.isArray(f.reads));
    // extractFile turns a throw into a problem, and the parse notice is a problem too: ask the
    // readings themselves. A failing step of the code reading adds a problem; a failure outside
    // the steps throws.
    const facts = emptyFacts('svc/app/bad.py', 'python', '');
    assert.doesNotThrow(() => extractPython('svc/app/bad.py', text, facts, defaultExtractOptions), text);
    const own = emptyFacts('svc/app/bad.py', 'python', '');
    withPythonTree(text, (root) => extractPythonCode('svc/app/bad.py', root, text, own, defaultExtractOptions));
    assert.deepEqual(own.problems, [], text);
  }
  const nested = py('x = f"{os.getenv(\'NESTED_A\')}"\n', 'svc/app/nested.py');
  assert.deepEqual(nested.reads.map((r) => r.name), ['NESTED_A']);
});

test('pythonCodeMayMatter prefilter', () => {
  const none = { envAccessors: [] };
  assert.equal(pythonCodeMayMatter('import os\nx = os.getenv("A")', none), true);
  assert.equal(pythonCodeMayMatter('class A(Enum):\n    X = 1', none), true);
  assert.equal(pythonCodeMayMatter('url = "postgresql://x"', none), true);
  assert.equal(pythonCodeMayMatter('if b.state == State.ON: pass', none), true);
  // A state attribute compared with no enum member yields no fact: not parsed.
  assert.equal(pythonCodeMayMatter('if b.state == 1: pass', none), false);
  assert.equal(pythonCodeMayMatter('sock.connect(d.get("h")); s.replace("a", "b")', none), false);
  assert.equal(pythonCodeMayMatter('def add(a, b):\n    return a + b\n', none), false);
  assert.equal(pythonCodeMayMatter('x = cfg.require("A")', none), false);
  assert.equal(pythonCodeMayMatter('x = cfg.require("A")', { envAccessors: ['cfg.require'] }), true);
});

test('`or` chains of env reads: each read records the others as alternatives', () => {
  const text = [
    'import os',
    'project = os.environ.get("GCP_PROJECT_ID") or os.environ.get("GOOGLE_CLOUD_PROJECT")',
    'region = (os.getenv("REGION_A") or os.environ["REGION_B"]) or os.getenv("REGION_C")',
    'token = os.getenv("TOKEN_A", "anon") or os.getenv("TOKEN_B")',
    'url = os.getenv("URL_A") or compute() or os.getenv("URL_B")',
    'single = os.getenv("SINGLE") or "x"',
    'both = os.getenv("SAME") or os.getenv("SAME")',
    'plain = os.getenv("PLAIN")',
    'joined = os.getenv("AND_A") and os.getenv("AND_B")',
  ].join('\n');
  const f = py(text);
  const alt = (n: string) => {
    const r = f.reads.filter((x) => x.name === n)[0]!;
    return [r.hasDefault, r.alternatives];
  };
  assert.deepEqual(alt('GCP_PROJECT_ID'), [true, ['GOOGLE_CLOUD_PROJECT']]);
  assert.deepEqual(alt('GOOGLE_CLOUD_PROJECT'), [false, ['GCP_PROJECT_ID']]);
  // Parenthesised sub-chains are one chain; a subscript read is an alternative too.
  assert.deepEqual(alt('REGION_A'), [true, ['REGION_B', 'REGION_C']]);
  // `os.environ["REGION_B"]` raises when unset: only the operand before it stands in for it.
  assert.deepEqual(alt('REGION_B'), [false, ['REGION_A']]);
  assert.deepEqual(alt('REGION_C'), [false, ['REGION_A', 'REGION_B']]);
  // A read with a literal default makes the chain's value defined: TOKEN_B is not required.
  assert.deepEqual(alt('TOKEN_A'), [true, ['TOKEN_B']]);
  assert.deepEqual(alt('TOKEN_B'), [true, ['TOKEN_A']]);
  // A non-read operand does not break the chain, and is no default for the last read.
  assert.deepEqual(alt('URL_B'), [false, ['URL_A']]);
  assert.deepEqual(alt('SINGLE'), [true, undefined]);
  assert.deepEqual(f.reads.filter((r) => r.name === 'SAME').map((r) => r.alternatives), [undefined, undefined]);
  assert.deepEqual(alt('PLAIN'), [false, undefined]);
  assert.deepEqual(alt('AND_B'), [false, undefined]);
});

test('bool(a or b) is a presence test of every operand', () => {
  const text = [
    'import os',
    'def on_gcp() -> bool:',
    '    return bool(os.environ.get("K_SERVICE") or os.environ.get("GOOGLE_CLOUD_PROJECT"))',
    'n = len(os.environ.get("NOT_BOOL"))',
    'm = bool(os.environ.get("BOOL_X"), os.environ.get("TWO_ARGS"))',
  ].join('\n');
  const f = py(text);
  assert.equal(read(f, 'GOOGLE_CLOUD_PROJECT').hasDefault, true);
  assert.deepEqual(read(f, 'GOOGLE_CLOUD_PROJECT').alternatives, ['K_SERVICE']);
  assert.equal(read(f, 'NOT_BOOL').hasDefault, false);
  assert.equal(read(f, 'TWO_ARGS').hasDefault, false);
});

test('debug flags guard dev-only branches', () => {
  const text = [
    'import os',
    'if settings.DEBUG:',
    '    A = os.environ["SQL_ECHO"]',
    'if DEBUG:',
    '    B = os.getenv("DEBUG_B")',
    'if app.debug:',
    '    C = os.getenv("DEBUG_C")',
    'if config.DEBUG and ENVIRONMENT == "staging":',
    '    D = os.getenv("DEBUG_D")',
    'if not settings.DEBUG:',
    '    E = os.getenv("NOT_DEBUG_E")',
    'else:',
    '    F = os.getenv("ELSE_F")',
    'if settings.DEBUG_TOOLBAR:',
    '    G = os.getenv("TOOLBAR_G")',
    'if debug():',
    '    H = os.getenv("CALL_H")',
    'if DEBUG or ENVIRONMENT == "production":',
    '    I = os.getenv("EITHER_I")',
  ].join('\n');
  const f = py(text);
  const dev = (n: string) => read(f, n).devOnly ?? false;
  assert.equal(dev('SQL_ECHO'), true);
  assert.equal(dev('DEBUG_B'), true);
  assert.equal(dev('DEBUG_C'), true);
  assert.equal(dev('DEBUG_D'), true);
  assert.equal(dev('NOT_DEBUG_E'), false);
  assert.equal(dev('ELSE_F'), false);
  assert.equal(dev('TOOLBAR_G'), false);
  assert.equal(dev('CALL_H'), false);
  assert.equal(dev('EITHER_I'), false);
  assert.equal(read(f, 'EITHER_I').inEnvironment, undefined);
});

test('accessor returning self._x assigned from an enum-annotated parameter', () => {
  const text = `from enum import Enum
from typing import Optional


class TripStatus(Enum):
    REQUESTED = "requested"
    ASSIGNED = "assigned"


class LegacyTripState(Enum):
    REQUESTED = "REQUESTED"
    ASSIGNED = "ASSIGNED"


class TripTracker:
    def __init__(self, legacy_state: LegacyTripState, other, maybe: Optional[TripStatus] = None) -> None:
        self._legacy = legacy_state
        self._other = other
        self._maybe = maybe
        self._annotated: TripStatus = compute()

    @property
    def status(self) -> TripStatus:
        return self._legacy

    @property
    def other_status(self) -> TripStatus:
        return self._other

    @property
    def maybe_status(self):
        return self._maybe

    @property
    def annotated_status(self):
        return self._annotated
`;
  const f = py(text, 'svc/trips/states.py');
  assert.deepEqual(f.accessors.map((a) => [a.name, a.declaredType?.name, a.returns.map((r) => [r.text, r.enumName])]), [
    ['status', 'TripStatus', [['self._legacy', 'LegacyTripState']]],
    ['other_status', 'TripStatus', [['self._other', undefined]]],
    ['maybe_status', undefined, [['self._maybe', 'TripStatus']]],
    ['annotated_status', undefined, [['self._annotated', 'TripStatus']]],
  ]);
  assert.equal(at(text, f.accessors[0]!.returns[0]!.span), 'self._legacy');
});

test('code CPython accepts but the grammar does not read gets no notice unless a fact may hide there', async () => {
  await ready();
  const valid = 'import os\n\nasync def fan_out(other, x):\n    return None, *await other(\n        x\n    )\n\ndef index(items):\n    return {k: v for k, v in items}\n\nTOKEN = os.environ["TOKEN"]\n';
  const a = extractFile('app/fan.py', valid);
  assert.deepEqual(a.problems, []);
  assert.deepEqual(a.reads.map((r) => r.name), ['TOKEN']);
  const lossy = 'import os\n\nasync def f(other):\n    return os.environ["A"], *await other(\n        1\n    )\n';
  const b = extractFile('app/lossy.py', lossy);
  assert.equal(b.problems.length, 1);
  assert.match(b.problems[0].message, /^line 4 could not be parsed/);
  assert.doesNotMatch(b.problems[0].message, /syntax error/i);
});

test('secret-manager gates through a local: `project = get("GCP_PROJECT_ID")` then `if not project: return`', () => {
  const text = [
    'import os',
    'from google.cloud import secretmanager',
    '',
    'def load_from_secret_manager(name):',
    '    project = os.environ.get("GCP_PROJECT_ID")',
    '    if not project:',
    '        return None',
    '    client = secretmanager.SecretManagerServiceClient()',
    '    return client.access_secret_version(request={"name": f"projects/{project}/secrets/{name}/versions/latest"})',
    '',
    'def bucket_path(name):',
    '    project = os.environ.get("GCP_PROJECT_ID")',
    '    return f"gs://{project}-assets/{name}"',
    '',
    'def secret_manager_project():',
    '    # a fallback, not a gate: the metadata server answers when the variable is missing',
    '    project = os.environ.get("GCP_PROJECT_ID")',
    '    if project:',
    '        return project',
    '    return metadata_project()',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(f.gates.map((g) => [g.functionName, g.conditionText, g.names[0], g.nameOffsets.length]), [
    ['load_from_secret_manager', 'not project', 'GCP_PROJECT_ID', 0],
  ]);
});

test('a variable named by a module constant (`os.getenv(API_KEY_ENV)`) is read under the name the constant holds; a shadowed or rebound name is not', () => {
  const text = [
    'import os',
    'import sys',
    '',
    'API_KEY_ENV = "BOOKS_API_KEY"',
    'REGION_ENV = "BOOKS_REGION"',
    'REGION_ENV = "BOOKS_ZONE"',
    'lower_env = "BOOKS_LOWER"',
    '',
    'def main():',
    '    key = os.getenv(API_KEY_ENV)',
    '    if not key:',
    '        sys.exit(f"{API_KEY_ENV} is not set")',
    '    region = os.environ.get(REGION_ENV, "eu")',
    '    other = os.environ[lower_env]',
    '    return key, region, other',
    '',
    'def read(API_KEY_ENV):',
    '    return os.environ[API_KEY_ENV]',
  ].join('\n');
  const f = extractFile('books/app/main.py', text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [['BOOKS_API_KEY', false]]);
  assert.equal(at(text, f.reads[0]!.nameSpan), 'BOOKS_API_KEY');
  // The rebound, lower-case and parameter names stay dynamic.
  assert.equal(f.dynamicReads.length, 3);
});

test('a read bound by an assignment expression in a condition (`if url := os.getenv("X"):`) is a presence test; used bare, it is not', () => {
  const text = [
    'import os',
    '',
    'def configure(cfg):',
    '    if url := os.getenv("BOOKS_REDIS_URL"):',
    '        cfg.redis_url = url',
    '    while (batch := os.environ.get("BOOKS_BATCH")) and cfg.ready:',
    '        cfg.batch = batch',
    '    cfg.token = (token := os.getenv("BOOKS_TOKEN")).strip()',
    '    return cfg',
  ].join('\n');
  const f = extractFile('books/app/config.py', text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [['BOOKS_REDIS_URL', true], ['BOOKS_BATCH', true], ['BOOKS_TOKEN', false]]);
});

test('a field declared Optional whose default factory reads a variable takes None: optional; a plain str field is not', () => {
  const text = [
    'import os',
    'from dataclasses import dataclass, field',
    'from typing import Optional',
    '',
    '@dataclass',
    'class RedisConfig:',
    '    password: Optional[str] = field(default_factory=lambda: os.getenv("BOOKS_REDIS_PASSWORD"))',
    '    user: str | None = field(default_factory=lambda: os.getenv("BOOKS_REDIS_USER"))',
    '    host: str = field(default_factory=lambda: os.getenv("BOOKS_REDIS_HOST"))',
  ].join('\n');
  const f = extractFile('books/app/config.py', text);
  assert.deepEqual(f.reads.map((r) => [r.name, r.hasDefault]), [['BOOKS_REDIS_PASSWORD', true], ['BOOKS_REDIS_USER', true], ['BOOKS_REDIS_HOST', false]]);
});
