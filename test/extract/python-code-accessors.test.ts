/**
 * Python reads through in-house accessors (inferred from their bodies, no configuration) and
 * through settings libraries: pydantic-settings, django-environ, python-decouple. Exact spans,
 * required/optional by the library's rules, and look-alikes that read nothing.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import type { FileFacts } from '../../server/src/core/facts';

before(ready);

const py = (text: string, file = 'svc/app/conf.py'): FileFacts => extractFile(file, text);
/** [name, required, via, text at nameSpan] in file order. */
const rows = (text: string, f: FileFacts) => f.reads.map((r) => [r.name, !r.hasDefault, r.via, at(text, r.nameSpan)]);

test('accessors inferred from their bodies: required, optional or judged at the call', () => {
  const text = [
    'import os',
    'def env_str(name, default=None):',
    '    return os.environ.get(name, default)',
    'def must(key):',
    '    return os.environ[key]',
    'def need(var):',
    '    value = os.getenv(var)',
    '    if not value:',
    '        raise RuntimeError(f"{var} is not set")',
    '    return value',
    'def flag(var, fallback="0"):',
    '    return os.getenv(var, fallback) == "1"',
    'class Cfg:',
    '    def setting(self, key):',
    '        return os.environ.get(key)',
    '    def load(self):',
    '        self.region = self.setting("CFG_REGION")',
    '        return connect(self.region)',
    '    @staticmethod',
    '    def lookup(key):',
    '        return os.environ[key]',
    'A = env_str("ACC_OPT", "x")',
    'B = must("ACC_MUST")',
    'C = need("ACC_NEED")',
    'D = flag("ACC_FLAG")',
    'E = env_str("ACC_ENV_STR")',
    'if E:',
    '    pass',
    'F = use(env_str("ACC_PASSED_ON"))',
    'G = Cfg.lookup("ACC_STATIC")',
    'H = must(key="ACC_KW")',
    'I = env_str(f"ACC_{suffix}")',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(rows(text, f), [
    ['CFG_REGION', true, 'self.setting', 'CFG_REGION'],
    ['ACC_OPT', false, 'env_str', 'ACC_OPT'],
    ['ACC_MUST', true, 'must', 'ACC_MUST'],
    ['ACC_NEED', true, 'need', 'ACC_NEED'],
    ['ACC_FLAG', false, 'flag', 'ACC_FLAG'],
    ['ACC_ENV_STR', false, 'env_str', 'ACC_ENV_STR'],
    ['ACC_PASSED_ON', true, 'env_str', 'ACC_PASSED_ON'],
    ['ACC_STATIC', true, 'Cfg.lookup', 'ACC_STATIC'],
    ['ACC_KW', true, 'must', 'ACC_KW'],
  ]);
  assert.deepEqual(f.accessorDefs?.map((d) => [d.name, d.method, d.nameParam, d.defaultParam?.keyword, d.whenUnset, at(text, d.span)]), [
    ['env_str', false, 0, 'default', 'none', 'env_str'],
    ['must', false, 0, undefined, 'raises', 'must'],
    ['need', false, 0, undefined, 'raises', 'need'],
    ['flag', false, 0, 'fallback', 'default', 'flag'],
    ['setting', true, 0, undefined, 'none', 'setting'],
    // A static method is still called on the class: `nameParam` counts from its first parameter.
    ['lookup', true, 0, undefined, 'raises', 'lookup'],
  ]);
  assert.ok(f.dynamicReads.some((d) => d.prefix === 'ACC_'));
});

test('an accessor\'s default is the parameter it returns where it tests the value it read, whatever its name', () => {
  const text = [
    'import os',
    'def _env_int_override(var_name, current):',
    '    value = os.getenv(var_name)',
    '    if value is None:',
    '        return current',
    '    try:',
    '        return int(value)',
    '    except ValueError:',
    '        return current',
    'def _resolve_path(env_var, default_path):',
    '    override = os.getenv(env_var)',
    '    if override:',
    '        return override',
    '    return default_path',
    'def pick(var, a, b):',
    '    v = os.getenv(var)',
    '    if v == "a":',
    '        return a',
    '    if v is None:',
    '        return b',
    '    return v',
    'def plain(var, unit):',
    '    v = os.getenv(var)',
    '    log(unit)',
    '    return v or unit',
    'MID_MIN = _env_int_override("MID_MIN", 180)',
    'MID_MAX = _env_int_override("MID_MAX", None)',
    'ICP = _resolve_path("ICP_PATH", "config/icp.md")',
    'MODE = pick("MODE", "x", "y")',
    'UNIT = plain("UNIT", "s")',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(f.accessorDefs?.map((d) => [d.name, d.defaultParam?.keyword]), [
    ['_env_int_override', 'current'], ['_resolve_path', 'default_path'], ['pick', undefined], ['plain', undefined],
  ]);
  // Given a value, the call has a default; given None, it yields None as an unset read does.
  const required = Object.fromEntries(f.reads.filter((r) => r.via !== 'os.getenv').map((r) => [r.name, !r.hasDefault]));
  assert.equal(required.MID_MIN, false);
  assert.equal(required.ICP_PATH, false);
  // Look-alikes: two parameters returned, a parameter never returned as it is.
  assert.equal(required.MODE, true);
});

test('accessor look-alikes: not returning the read, a name not from a parameter, generic names', () => {
  const text = [
    'import os',
    'def log_var(name):',
    '    print(os.environ.get(name))',
    'def fixed():',
    '    name = "X"',
    '    return os.environ.get(name)',
    'class Env:',
    '    def get(self, key, default=None):',
    '        return os.environ.get(key, default)',
    '    def port(self):',
    '        return int(self.get("ENV_PORT", "8080"))',
    'log_var("NOT_READ_A")',
    'other.get("NOT_READ_B")',
    'request.args.get("page")',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(rows(text, f), [['ENV_PORT', false, 'self.get', 'ENV_PORT']]);
  assert.deepEqual(f.accessorDefs?.map((d) => d.name), ['get']);
});

test('pydantic-settings: field names, prefixes, aliases, defaults, rejected empty defaults', () => {
  const text = [
    'from typing import Optional',
    'from pydantic import Field, AliasChoices',
    'from pydantic_settings import BaseSettings, SettingsConfigDict',
    'class Settings(BaseSettings):',
    '    model_config = SettingsConfigDict(env_prefix="SHOP_", env_file=".env")',
    '    database_url: str',
    '    pool_size: int = 5',
    '    sentry_dsn: Optional[str] = None',
    '    api_key: str = Field(alias="PAYMENTS_API_KEY")',
    '    region: str = Field("eu", validation_alias=AliasChoices("SHOP_REGION", "REGION"))',
    '    token: str = Field(...)',
    '    signing_key: str = ""',
    '    _cache: dict = {}',
    '    MAX: ClassVar[int] = 3',
    '    def __init__(self, **kw):',
    '        super().__init__(**kw)',
    '        if not self.signing_key and self.environment == "production":',
    '            raise ValueError("signing key required in production")',
    'class Extra(Settings):',
    '    extra_flag: bool',
    'class Legacy(BaseSettings):',
    '    SECRET: str = ""',
    '    class Config:',
    '        env_prefix = "old_"',
    '        case_sensitive = True',
    '    def __init__(self):',
    '        if not self.SECRET:',
    '            raise RuntimeError("SECRET")',
    'class NotSettings(BaseModel):',
    '    plain_field: str',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(rows(text, f), [
    ['SHOP_DATABASE_URL', true, 'pydantic-settings', 'database_url'],
    ['SHOP_POOL_SIZE', false, 'pydantic-settings', 'pool_size'],
    ['SHOP_SENTRY_DSN', false, 'pydantic-settings', 'sentry_dsn'],
    ['PAYMENTS_API_KEY', true, 'pydantic-settings', 'PAYMENTS_API_KEY'],
    ['SHOP_REGION', false, 'pydantic-settings', 'SHOP_REGION'],
    ['SHOP_TOKEN', true, 'pydantic-settings', 'token'],
    ['SHOP_SIGNING_KEY', true, 'pydantic-settings', 'signing_key'],
    ['SHOP_EXTRA_FLAG', true, 'pydantic-settings', 'extra_flag'],
    ['old_SECRET', true, 'pydantic-settings', 'SECRET'],
  ]);
  const byName = new Map(f.reads.map((r) => [r.name, r]));
  assert.deepEqual(byName.get('SHOP_SIGNING_KEY')!.requiredIn, ['production']);
  assert.equal(byName.get('old_SECRET')!.requiredIn, undefined);
  // Rejected empty defaults are said to be so; a field without a default has none to reject.
  assert.deepEqual(['SHOP_SIGNING_KEY', 'old_SECRET', 'SHOP_DATABASE_URL'].map((n) => byName.get(n)!.emptyDefault), [true, true, undefined]);
  assert.deepEqual(byName.get('SHOP_REGION')!.alternatives, ['REGION']);
});

test('pydantic-settings: a nested model is read under the outer field and the nested delimiter, not by its own field names', () => {
  const text = [
    'from typing import Optional',
    'from pydantic import BaseModel, Field',
    'from pydantic_settings import BaseSettings, SettingsConfigDict',
    'class Base(BaseSettings):',
    '    model_config = SettingsConfigDict(env_nested_delimiter="__", env_prefix="APP_")',
    'class Socket(Base):',
    '    unix_socket: str',
    'class Database(Base):',
    '    drivername: str',
    '    host: Optional[str] = None',
    '    query: Optional[Socket] = None',
    'class Cache(BaseModel):',
    '    url: str',
    'class Link(Base):',
    '    name: str',
    '    path: str',
    'class Settings(Base):',
    '    env: str = Field(...)',
    '    db: Database = Field(...)',
    '    cache: Cache | None = None',
    'class TestSettings(Settings):',
    '    db: Database = Database(drivername="sqlite")',
    'LINKS = [{"name": "a", "path": "/a"}]',
    'links = [Link(**i) for i in LINKS]',
  ].join("\n");
  assert.deepEqual(rows(text, py(text)), [
    // In file order. Database is built on its own once, with drivername given: its other fields
    // also read the environment by their own names (APP_HOST, APP_QUERY__UNIX_SOCKET).
    ['APP_QUERY__UNIX_SOCKET', false, 'pydantic-settings', 'unix_socket'],
    ['APP_DB__QUERY__UNIX_SOCKET', false, 'pydantic-settings', 'unix_socket'],
    ['APP_DB__QUERY__UNIX_SOCKET', false, 'pydantic-settings', 'unix_socket'],
    ['APP_DB__DRIVERNAME', true, 'pydantic-settings', 'drivername'],
    ['APP_DB__DRIVERNAME', false, 'pydantic-settings', 'drivername'],
    ['APP_HOST', false, 'pydantic-settings', 'host'],
    ['APP_DB__HOST', false, 'pydantic-settings', 'host'],
    ['APP_DB__HOST', false, 'pydantic-settings', 'host'],
    // A BaseModel nested in settings is read the same way; Link, built only from **arguments, not at all.
    ['APP_CACHE__URL', false, 'pydantic-settings', 'url'],
    ['APP_ENV', true, 'pydantic-settings', 'env'],
  ]);
  // Without a nested delimiter the outer field is one variable (JSON), and the model's fields none.
  const flat = text.replace('env_nested_delimiter="__", ', '').replace(/\nclass TestSettings.*\n.*/, '');
  assert.deepEqual(rows(flat, py(flat)).map((r) => r.slice(0, 2)), [['APP_ENV', true], ['APP_DB', true], ['APP_CACHE', false]]);
});

test('django-environ: calls, casts, scheme defaults, implicit DATABASE_URL; other objects are not it', () => {
  const text = [
    'import environ',
    'env = environ.Env(DEBUG=(bool, False), ALLOWED=(list, []))',
    'environ.Env.read_env()',
    'DEBUG = env("DEBUG")',
    'SECRET_KEY = env("DJ_SECRET_KEY")',
    'MODE = env("DJ_MODE", default="web")',
    'WORKERS = env.int("DJ_WORKERS", 4)',
    'HOSTS = env.list("DJ_HOSTS", default=[])',
    'TOKEN = env.str("DJ_TOKEN")',
    'OPTIONAL = env.str("DJ_OPTIONAL", default=None)',
    'DATABASES = {"default": env.db()}',
    'CACHES = {"default": env.cache("DJ_CACHE", default="locmem://")}',
    'other = Thing()',
    'X = other.str("NOT_ENV")',
  ].join('\n');
  const f = py(text, 'svc/proj/settings.py');
  assert.deepEqual(rows(text, f), [
    ['DEBUG', false, 'env', 'DEBUG'],
    ['DJ_SECRET_KEY', true, 'env', 'DJ_SECRET_KEY'],
    ['DJ_MODE', false, 'env', 'DJ_MODE'],
    ['DJ_WORKERS', false, 'env.int', 'DJ_WORKERS'],
    ['DJ_HOSTS', false, 'env.list', 'DJ_HOSTS'],
    ['DJ_TOKEN', true, 'env.str', 'DJ_TOKEN'],
    ['DJ_OPTIONAL', false, 'env.str', 'DJ_OPTIONAL'],
    ['DATABASE_URL', true, 'env.db', 'db'],
    ['DJ_CACHE', false, 'env.cache', 'DJ_CACHE'],
  ]);
});

test('python-decouple: config() raises without a default; look-alikes named config', () => {
  const text = [
    'from decouple import config, Csv',
    'SECRET = config("DC_SECRET")',
    'DEBUG = config("DC_DEBUG", default=False, cast=bool)',
    'HOSTS = config("DC_HOSTS", cast=Csv())',
    'TIMEOUT = config("DC_TIMEOUT", 30, cast=int)',
    'NONE_OK = config("DC_NONE", default=None)',
    'app.config("NOT_DECOUPLE")',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(rows(text, f), [
    ['DC_SECRET', true, 'config', 'DC_SECRET'],
    ['DC_DEBUG', false, 'config', 'DC_DEBUG'],
    ['DC_HOSTS', true, 'config', 'DC_HOSTS'],
    ['DC_TIMEOUT', false, 'config', 'DC_TIMEOUT'],
    ['DC_NONE', false, 'config', 'DC_NONE'],
  ]);
  // A function named config from elsewhere reads nothing.
  assert.deepEqual(py('from app.settings import config\nX = config("NOT_READ")\n').reads, []);
});

// A declared field is no use of it: a placeholder default on a field nothing reads is harmless (on
// the corpus, five of six such findings were fields no code used), so it stays a default.
test('pydantic-settings: a secret field whose default is a placeholder stays a default (the field may be unused)', () => {
  const text = [
    'from pydantic_settings import BaseSettings',
    '',
    'class Settings(BaseSettings):',
    '    JWE_SECRET_KEY: str = "change-me-in-production"',
    '',
    'settings = Settings()',
  ].join('\n');
  const [read] = extractFile('svc/app/settings.py', text).reads;
  assert.deepEqual([read?.name, read?.hasDefault, read?.placeholderDefault], ['JWE_SECRET_KEY', true, undefined]);
});
