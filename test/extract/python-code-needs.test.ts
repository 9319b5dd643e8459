/**
 * Python reads: required or optional by what the code does with the value (usage.ts). A read is
 * required only when an unset variable breaks the code path or is rejected; a value that is
 * tested, compared, passed on as an optional keyword, stored as metadata or returned as Optional
 * is not a deploy requirement. Positive cases next to their look-alikes.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import type { FileFacts } from '../../server/src/core/facts';

before(ready);

const py = (text: string, file = 'svc/app/needs.py'): FileFacts => extractFile(file, text);

/** name -> [required, optionalBecause, requiredIn] */
function needs(f: FileFacts): Record<string, [boolean, string | undefined, string | undefined]> {
  const out: Record<string, [boolean, string | undefined, string | undefined]> = {};
  for (const r of f.reads) out[r.name] = [!r.hasDefault, r.optionalBecause, r.requiredIn?.join(',')];
  return out;
}

test('assigned, then tested: optional; used before or outside the test: required', () => {
  const text = [
    'import os',
    'def tracing():',
    '    endpoint = os.getenv("TRACE_COLLECTOR")',
    '    if endpoint:',
    '        install(endpoint)',
    'def webhook():',
    '    secret = os.getenv("HOOK_SECRET")',
    '    return sign(secret, b"x")',
    'stats = os.environ.get("METRICS_HOST", None)',
    'if stats:',
    '    prefix = "svc"',
    'def queue():',
    '    name = os.getenv("QUEUE_NAME")',
    '    if not name:',
    '        name = "default-queue"',
    '    connect(name)',
    'def maps():',
    '    key = os.getenv("MAPS_KEY")',
    '    if key is None:',
    '        return None',
    '    return geocode(key)',
    'def upstream():',
    '    base = os.getenv("UPSTREAM_URL")',
    '    r = fetch(base + "/health")',
    '    if base:',
    '        pass',
    'def errors():',
    '    dsn = os.getenv("ERROR_DSN")',
    '    if dsn:',
    '        note("has dsn")',
    '    init(dsn)',
    'def warn_only():',
    '    tok = os.getenv("WARN_TOKEN")',
    '    if not tok:',
    '        logger.warning("no token")',
    '    send(tok)',
    'def mode():',
    '    job = os.getenv("TASK_ID")',
    '    seq = os.getenv("TASK_SEQ")',
    '    if job and seq:',
    '        run(job, seq)',
    'def labels():',
    '    fmt = os.getenv("LABEL_FMT")',
    '    return fmt.upper() if fmt else "plain"',
  ].join('\n');
  assert.deepEqual(needs(py(text)), {
    TRACE_COLLECTOR: [false, 'tested-after-assignment', undefined],
    HOOK_SECRET: [true, undefined, undefined],
    METRICS_HOST: [false, 'tested-after-assignment', undefined],
    QUEUE_NAME: [false, 'tested-after-assignment', undefined],
    MAPS_KEY: [false, 'tested-after-assignment', undefined],
    UPSTREAM_URL: [true, undefined, undefined],
    ERROR_DSN: [true, undefined, undefined],
    WARN_TOKEN: [true, undefined, undefined],
    TASK_ID: [false, 'tested-after-assignment', undefined],
    TASK_SEQ: [false, 'tested-after-assignment', undefined],
    LABEL_FMT: [false, 'tested-after-assignment', undefined],
  });
});

test('where the value goes: keyword, dict value, Optional return, logging, comparison', () => {
  const text = [
    'import os',
    'from typing import Optional',
    'def build():',
    '    return Report(build_id=os.environ.get("BUILD_REF"), meta={"branch": os.getenv("GIT_BRANCH")})',
    'def region() -> Optional[str]:',
    '    return os.getenv("PREFERRED_REGION")',
    'def region2() -> str:',
    '    return os.getenv("FALLBACK_REGION")',
    'def region3():',
    '    return os.getenv("PLAIN_REGION")',
    'def pick():',
    '    if not region():',
    '        print("no preferred region")',
    '    zone = region3()',
    '    return zone.lower() if zone else "any"',
    'class Keys:',
    '    @property',
    '    def relay(self) -> Optional[str]:',
    '        return os.getenv("RELAY_SECRET")',
    'def hidden() -> Optional[str]:',
    '    return os.getenv("UNCALLED_SECRET")',
    'def dsn() -> Optional[str]:',
    '    return os.getenv("STORE_DSN")',
    'engine = create_engine(dsn())',
    'def fmt():',
    '    return os.getenv("LOG_FORMAT").lower()',
    'def urls():',
    '    url = f"https://{os.getenv(\'API_HOST\')}/v1"',
    '    logger.info(f"diag {os.getenv(\'DIAG_HOST\')}")',
    '    print("worker", os.getenv("WORKER_NAME"))',
    'conf = {"timeout": 3}',
    'conf["label"] = os.getenv("DEPLOY_LABEL")',
    'fast = os.getenv("FAST_PATH") in ("1", "yes")',
    'sub = "x" in os.getenv("CSV_LIST")',
    'enabled = all([os.getenv("SMTP_USER"), os.getenv("SMTP_PASS")])',
    'n = int(os.getenv("WORKER_COUNT"))',
  ].join('\n');
  assert.deepEqual(needs(py(text)), {
    BUILD_REF: [false, 'keyword-argument', undefined],
    GIT_BRANCH: [false, 'dict-value', undefined],
    // Getters: their callers in the file decide; `Optional` alone does not make a value optional.
    PREFERRED_REGION: [false, 'optional-return', undefined],
    FALLBACK_REGION: [true, undefined, undefined],
    PLAIN_REGION: [false, 'tested-after-assignment', undefined],
    LOG_FORMAT: [true, undefined, undefined],
    API_HOST: [true, undefined, undefined],
    DIAG_HOST: [false, 'logged', undefined],
    WORKER_NAME: [false, 'logged', undefined],
    DEPLOY_LABEL: [false, 'dict-value', undefined],
    FAST_PATH: [false, 'compared', undefined],
    CSV_LIST: [true, undefined, undefined],
    SMTP_USER: [false, 'presence-test', undefined],
    SMTP_PASS: [false, 'presence-test', undefined],
    WORKER_COUNT: [true, undefined, undefined],
    // A property whose callers are in other files, a getter nobody here calls: unknown, so
    // required (an `Optional` annotation is how such getters are typed, needed or not).
    RELAY_SECRET: [true, undefined, undefined],
    UNCALLED_SECRET: [true, undefined, undefined],
    STORE_DSN: [true, undefined, undefined],
  });
});

test('a missing value that is rejected is required, in one environment when the test says so', () => {
  const text = [
    'import os',
    'def token():',
    '    v = os.environ.get("SIGNING_TOKEN", "")',
    '    if not v:',
    '        raise RuntimeError("SIGNING_TOKEN is required")',
    '    return v',
    'def audit(env):',
    '    v = os.environ.get("AUDIT_KEY", "")',
    '    if not v and env == "production":',
    '        raise RuntimeError("AUDIT_KEY is required in production")',
    'def relaxed():',
    '    v = os.environ.get("RELAXED_KEY", "")',
    '    if not v:',
    '        v = "generated"',
    'def cert():',
    '    c = os.getenv("TLS_CERT")',
    '    if c:',
    '        load(c)',
    '    else:',
    '        raise ValueError("TLS_CERT missing")',
    'def probe():',
    '    if not os.getenv("PROBE_URL"):',
    '        sys.exit(2)',
    'def soft_probe():',
    '    if not os.getenv("SOFT_PROBE"):',
    '        return',
    'if "ADMIN_PASSWORD" not in os.environ:',
    '    raise SystemExit("set ADMIN_PASSWORD")',
    'if "OPTIONAL_BANNER" in os.environ:',
    '    banner()',
    'assert os.getenv("CRITICAL_FLAG"), "CRITICAL_FLAG must be set"',
    'class Partner:',
    '    def __init__(self):',
    '        self.key = os.getenv("PARTNER_KEY")',
    '        self.secret = os.getenv("PARTNER_SECRET")',
    '    def call(self):',
    '        if self.key:',
    '            post(self.key)',
    '        return hmac(self.secret)',
  ].join('\n');
  assert.deepEqual(needs(py(text)), {
    SIGNING_TOKEN: [true, undefined, undefined],
    AUDIT_KEY: [true, undefined, 'production'],
    RELAXED_KEY: [false, undefined, undefined],
    TLS_CERT: [true, undefined, undefined],
    PROBE_URL: [true, undefined, undefined],
    SOFT_PROBE: [false, 'presence-test', undefined],
    ADMIN_PASSWORD: [true, undefined, undefined],
    OPTIONAL_BANNER: [false, undefined, undefined],
    CRITICAL_FLAG: [true, undefined, undefined],
    PARTNER_KEY: [false, 'tested-after-assignment', undefined],
    PARTNER_SECRET: [true, undefined, undefined],
  });
});

test('module names: tests in functions count; a function binding the name hides it', () => {
  const text = [
    'import os',
    'SENTRY = os.getenv("SENTRY_DSN")',
    'def init_sentry():',
    '    if SENTRY:',
    '        sentry_init(SENTRY)',
    'COLOR = os.getenv("THEME_COLOR")',
    'def paint(COLOR):',
    '    if COLOR:',
    '        fill(COLOR)',
    'SETTING = os.getenv("EXPORTED_SETTING")',
    'RELAY = os.getenv("RELAY_HOST")',
    'relay_url = RELAY',
    'if relay_url:',
    '    start(relay_url)',
  ].join('\n');
  assert.deepEqual(needs(py(text)), {
    SENTRY_DSN: [false, 'tested-after-assignment', undefined],
    // Shadowed by the parameter: nothing in this file uses the module's value.
    THEME_COLOR: [true, undefined, undefined],
    // A module constant used by other files: this file cannot tell.
    EXPORTED_SETTING: [true, undefined, undefined],
    RELAY_HOST: [false, 'tested-after-assignment', undefined],
  });
});

test('a raise in one clause of an environment if/elif chain: required in the environments that clause names', () => {
  const text = [
    'import os',
    'def signing_key(env):',
    '    key = os.environ.get("LEDGER_SIGNING_KEY", "")',
    '    if not key:',
    '        if env == "development":',
    '            return "dev-key"',
    '        elif env in ["staging", "production"]:',
    '            raise ValueError("LEDGER_SIGNING_KEY must be set")',
    '    return key',
    'def cache_ttl(env):',
    '    ttl = os.environ.get("LEDGER_CACHE_TTL", "")',
    '    if not ttl:',
    '        if env == "development":',
    '            raise ValueError("set it locally")',
    '    return ttl',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.LEDGER_SIGNING_KEY, [true, undefined, 'staging,production']);
  // Rejected only in development: no deploy needs it.
  assert.deepEqual(n.LEDGER_CACHE_TTL, [false, undefined, undefined]);
});

test('candidate lists down to a literal last resort: each read is optional; a list of reads alone is not', () => {
  const text = [
    'import os',
    'class Detector:',
    '    def stage(self):',
    '        candidates = [',
    '            os.environ.get("LEDGER_ENVIRONMENT"),',
    '            os.environ.get("LEDGER_STAGE"),',
    '            "development",',
    '        ]',
    '        for c in candidates:',
    '            if c:',
    '                return c',
    'def dsn():',
    '    parts = [os.environ.get("LEDGER_DB_HOST"), os.environ.get("LEDGER_DB_NAME")]',
    '    return "/".join(parts)',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.LEDGER_ENVIRONMENT, [false, 'fallback', undefined]);
  assert.deepEqual(n.LEDGER_STAGE, [false, 'fallback', undefined]);
  assert.equal(n.LEDGER_DB_HOST![0], true);
  assert.equal(n.LEDGER_DB_NAME![0], true);
});

test('stored on another object: its readers decide, like a dict entry; a use of the same value here still counts', () => {
  const text = [
    'import os',
    'def populate(cfg):',
    '    cfg.dry_run = os.environ.get("LEDGER_DRY_RUN")',
    '    cfg.build_ref = get_env().get("LEDGER_BUILD_REF")',
    '    cfg.endpoint = f"https://{os.getenv(\'LEDGER_HOST\')}/api"',
    '    cfg.lower = os.getenv("LEDGER_MODE").lower()',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.LEDGER_DRY_RUN, [false, 'dict-value', undefined]);
  // The f-string turns None into "None": broken before it is stored.
  assert.equal(n.LEDGER_HOST![0], true);
  assert.equal(n.LEDGER_MODE![0], true);
});

test('a class that switches on a value: its other methods run on the path the switch chose', () => {
  const text = [
    'import os',
    'class Relay:',
    '    def __init__(self, url=None, token=None):',
    '        self.url = url or os.getenv("RELAY_URL")',
    '        self.token = token or os.getenv("RELAY_TOKEN")',
    '        self.remote = bool(self.url and self.token)',
    '    async def _ping(self):',
    '        if not self.url or not self.token:',
    '            return False',
    '        return await get(f"{self.url}/ping")',
    '    async def _send(self, body):',
    '        return await post(f"{self.url}/send", headers={"auth": f"Bearer {self.token}"}, json=body)',
    'class Router:',
    '    def __init__(self):',
    '        self.primary = os.getenv("ROUTER_PRIMARY_KEY")',
    '        self.backup = os.getenv("ROUTER_BACKUP_KEY")',
    '    def pick(self):',
    '        if self.primary:',
    '            return "primary"',
    '        elif self.backup:',
    '            return "backup"',
    '        return "local"',
    '    def _call_backup(self):',
    '        if not self.backup:',
    '            raise RuntimeError("backup key not configured")',
    '        return call(self.backup)',
    'class Mailer:',
    '    def __init__(self):',
    '        self.host = os.getenv("MAILER_HOST")',
    '    def describe(self):',
    '        if self.host:',
    '            log("mail host set")',
    '    def send(self):',
    '        return smtp(self.host)',
    'class Signer:',
    '    def __init__(self):',
    '        self.key = os.getenv("SIGNER_KEY")',
    '        self.digest = hmac(self.key)',
    '        self.enabled = self.key is not None',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.RELAY_URL, [false, 'presence-test', undefined]);
  assert.deepEqual(n.RELAY_TOKEN, [false, 'presence-test', undefined]);
  // An if/elif choice between alternatives: the raise guards a path the choice avoids.
  assert.deepEqual(n.ROUTER_BACKUP_KEY, [false, 'presence-test', undefined]);
  assert.equal(n.ROUTER_PRIMARY_KEY![0], false);
  // A lone test that only logs chooses nothing: the other method still needs the value.
  assert.deepEqual(n.MAILER_HOST, [true, undefined, undefined]);
  // Used in the constructor itself before any switch: needed.
  assert.deepEqual(n.SIGNER_KEY, [true, undefined, undefined]);
});

test('an endpoint that answers with an HTTP error while the variable is unset is disabled, not broken', () => {
  const text = [
    'import os',
    'from fastapi import HTTPException',
    'async def seed_ledger(token: str):',
    '    expected = os.environ.get("LEDGER_SEED_TOKEN")',
    '    if not expected or token != expected:',
    '        raise HTTPException(status_code=403, detail="forbidden")',
    '    return await run_seed()',
    'def start_ledger():',
    '    dsn = os.environ.get("LEDGER_START_DSN")',
    '    if not dsn:',
    '        raise RuntimeError("LEDGER_START_DSN is required")',
    '    return connect(dsn)',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.LEDGER_SEED_TOKEN, [false, 'tested-after-assignment', undefined]);
  assert.deepEqual(n.LEDGER_START_DSN, [true, undefined, undefined]);
});

test('a plain reassignment ends the read value for the statements after it in its block', () => {
  const text = [
    'import os',
    'def load_key():',
    '    key = os.getenv("VAULT_TOKEN")',
    '    if not key and os.getenv("ON_PLATFORM"):',
    '        try:',
    '            key = fetch_from_vault()',
    '            log_size(len(key))',
    '        except Exception:',
    '            pass',
    '    if not key:',
    '        logger.warning("no token")',
    '        return',
    '    configure(key)',
    // Look-alikes: the value is still the read's where the reassignment may not have run, or
    // where another name was assigned, or where the new value is made from the old one.
    'def nested():',
    '    key = os.getenv("RELAY_TOKEN")',
    '    if flag:',
    '        key = fetch_from_vault()',
    '    log_size(len(key))',
    'def other_name():',
    '    key = os.getenv("MIRROR_TOKEN")',
    '    other = fetch_from_vault()',
    '    log_size(len(key))',
    'def derived():',
    '    key = os.getenv("STRIP_TOKEN")',
    '    key = key + "-suffix"',
    '    log_size(len(key))',
    'def before():',
    '    key = fetch_from_vault()',
    '    key = os.getenv("LATE_TOKEN")',
    '    log_size(len(key))',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.VAULT_TOKEN, [false, 'tested-after-assignment', undefined]);
  assert.deepEqual(n.RELAY_TOKEN, [true, undefined, undefined]);
  assert.deepEqual(n.MIRROR_TOKEN, [true, undefined, undefined]);
  assert.deepEqual(n.STRIP_TOKEN, [true, undefined, undefined]);
  assert.deepEqual(n.LATE_TOKEN, [true, undefined, undefined]);
});

test('an unpacking rebinds the name: later statements of its block see the new value', () => {
  const text = [
    'import os',
    'def project():',
    '    pid = os.getenv("CLOUD_PROJECT_NAME")',
    '    if pid:',
    '        return pid',
    '    try:',
    '        _, pid = discover()',
    '        return pid',
    '    except Exception:',
    '        return None',
    // Look-alikes: an unpacking made from the old value carries it on; one of another name rebinds nothing.
    'def derived():',
    '    pid = os.getenv("DERIVED_PROJECT")',
    '    pid, region = split(pid)',
    '    return len(pid)',
    'def other():',
    '    pid = os.getenv("OTHER_PROJECT")',
    '    _, zone = discover()',
    '    return len(pid)',
  ].join('\n');
  const n = needs(py(text));
  assert.equal(n.CLOUD_PROJECT_NAME[0], false);
  assert.equal(n.DERIVED_PROJECT[0], true);
  assert.equal(n.OTHER_PROJECT[0], true);
});

test('another source tried when the variable is unset: optional, even when every source failing raises', () => {
  const text = [
    'import os',
    'def client_key(api_key=None):',
    '    if api_key is None:',
    '        api_key = os.environ.get("SUMMARY_API_KEY")',
    '    if not api_key:',
    '        try:',
    '            api_key = secret_store.fetch("summary-api-key")',
    '        except Exception:',
    '            pass',
    '    if not api_key:',
    '        raise ValueError("no key")',
    '    return make_client(api_key)',
    // Look-alike: no other source, only the rejection: required.
    'def only_env():',
    '    key = os.environ.get("BARE_API_KEY")',
    '    if not key:',
    '        raise ValueError("no key")',
    '    return make_client(key)',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.SUMMARY_API_KEY, [false, 'tested-after-assignment', undefined]);
  assert.equal(n.BARE_API_KEY[0], true);
});

test('an inferred accessor that reads the variable only after another source failed: reads through it are optional', () => {
  const text = [
    'import os',
    'class Secrets:',
    '    def get(self, name, fallback_env=None):',
    '        try:',
    '            return self.client.access(name)',
    '        except Exception:',
    '            if fallback_env:',
    '                value = os.environ.get(fallback_env)',
    '                if value:',
    '                    return value',
    '            raise ValueError(name)',
    '    def odds_key(self):',
    '        return self.get("odds-key", fallback_env="ODDS_FEED_KEY")',
    // Look-alike: an accessor that reads the variable first and raises without it.
    'def require(name):',
    '    value = os.environ.get(name)',
    '    if not value:',
    '        raise RuntimeError(name)',
    '    return value',
    'TOKEN = require("FEED_TOKEN")',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.ODDS_FEED_KEY, [false, 'fallback', undefined]);
  assert.equal(n.FEED_TOKEN[0], true);
});

test('a required read stored where nothing in its file uses it says so (needUnseen); one used here, or returned by a getter, does not', () => {
  const text = [
    'import os',
    'LOG_BUCKET = os.getenv("LOG_BUCKET")',
    'API_BASE = os.getenv("API_BASE")',
    'class Production:',
    '    SQL_INSTANCE = os.environ.get("SQL_INSTANCE")',
    'def mailer_host():',
    '    return os.getenv("MAIL_HOST")',
    'def url(path):',
    '    return API_BASE.rstrip("/") + path',
    'TOKEN = os.environ["DIRECT_TOKEN"]',
    'class Settings:',
    '    @staticmethod',
    '    def ledger_url() -> Optional[str]:',
    '        return os.getenv("LEDGER_URL")',
    '    def ledger_region() -> str:',
    '        return os.getenv("LEDGER_REGION")',
  ].join('\n');
  const unseen = Object.fromEntries(py(text).reads.map((r) => [r.name, [!r.hasDefault, !!r.needUnseen]]));
  assert.deepEqual(unseen, {
    LOG_BUCKET: [true, true],
    API_BASE: [true, false],
    SQL_INSTANCE: [true, true],
    // A getter is made to be called: its callers, wherever they are, use the value.
    MAIL_HOST: [true, false],
    // A subscript fails at the read itself: needed whatever happens to the value.
    DIRECT_TOKEN: [true, false],
    // A getter, even one declared to return None: its callers, wherever they are, decide; a
    // getter nothing calls cannot be told from one called in another file.
    LEDGER_URL: [true, false],
    LEDGER_REGION: [true, false],
  });
});

test("a secret's placeholder default stands in for nothing: required, and marked; other defaults stay defaults", () => {
  const text = [
    'import os',
    'SIGNING_KEY = os.environ.get("SIGNING_KEY", "shop-signing-key-change-in-production")',
    'DJANGO_SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "django-insecure-9x!k")',
    'OPS_TOKEN = os.getenv("OPS_TOKEN", "changeme")',
    'CACHE_TOKEN = os.getenv("CACHE_TOKEN", "local-dev-token")',
    'LOG_LEVEL = os.getenv("LOG_LEVEL", "change-me")',
  ].join('\n');
  const got = Object.fromEntries(py(text).reads.map((r) => [r.name, [!r.hasDefault, !!r.placeholderDefault]]));
  assert.deepEqual(got, {
    SIGNING_KEY: [true, true],
    DJANGO_SECRET_KEY: [true, true],
    OPS_TOKEN: [true, true],
    // A default that may be real, and a name that is no secret: defaults.
    CACHE_TOKEN: [false, false],
    LOG_LEVEL: [false, false],
  });
});

test("a stand-in secret default is a placeholder unless the module recognises it (== 'test_key', then refuses)", () => {
  const text = [
    'import os',
    'HOOK_SECRET = os.getenv("HOOK_SECRET", "test_secret")',
    'PARTNER_API_KEY = os.environ.get("PARTNER_API_KEY", "test_key")',
    '',
    'def start():',
    '    if PARTNER_API_KEY == "test_key":',
    '        raise RuntimeError("partner API key not configured")',
  ].join('\n');
  const got = Object.fromEntries(py(text).reads.map((r) => [r.name, !!r.placeholderDefault]));
  assert.deepEqual(got, { HOOK_SECRET: true, PARTNER_API_KEY: false });
});

test('a read given as the default of another lookup (payload.get("k", os.getenv("X"))) is judged by what the lookup\'s value meets', () => {
  const text = [
    'import os',
    'def record(payload):',
    '    event = {"timestamp": payload.get("timestamp", os.getenv("LEDGER_STAMP"))}',
    '    region = payload.get("region", os.getenv("LEDGER_REGION"))',
    '    connect(region.upper())',
    '    return event',
    'def other(payload):',
    '    return payload.get("a", "b", os.getenv("LEDGER_ODD"))',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.LEDGER_STAMP, [false, 'dict-value', undefined]);
  assert.equal(n.LEDGER_REGION[0], true);
  assert.equal(n.LEDGER_ODD[0], true);
});

test('a local holding a read, given as an env lookup\'s default (os.getenv("FROM", user)), is judged by what that lookup\'s value meets', () => {
  const text = [
    'import os',
    'def send_mail(to):',
    '    user = os.getenv("MAIL_USER")',
    '    sender = os.getenv("MAIL_FROM", user)',
    '    if not user:',
    '        return {"ok": False, "error": "mail not configured"}',
    '    deliver(sender, to)',
    'def send_sms(to):',
    '    sid = os.getenv("SMS_SID")',
    '    origin = os.environ.get("SMS_FROM", sid)',
    '    deliver(origin, to)',
    'def alert(to):',
    '    hook = os.environ.get("ALERT_HOOK", os.getenv("ALERT_FALLBACK"))',
    '    deliver(hook, to)',
  ].join('\n');
  const n = needs(py(text));
  // The lookup's value is used only after the test of the local: optional.
  assert.deepEqual(n.MAIL_USER.slice(0, 2), [false, 'tested-after-assignment']);
  // The lookup's value goes on unguarded: the local is needed where SMS_FROM is unset.
  assert.equal(n.SMS_SID[0], true);
  // A read written as an env read's default is that read's alternative, judged as before.
  assert.equal(n.ALERT_FALLBACK[0], true);
});

test('a private helper the file calls only under a flag standing for the value\'s presence runs only where it is set', () => {
  const module = (helper: string, calls: string, flag = 'USE_CONNECTOR = bool(CONN and os.getenv("K_SERVICE"))') => [
    'import os',
    'CONN = os.getenv("INSTANCE_CONNECTION_NAME")',
    flag,
    `def ${helper}():`,
    '    def getconn():',
    '        return connect(CONN, "pg8000")',
    '    return make_engine(creator=getconn)',
    'def init_db():',
    ...calls.split('\n'),
  ].join('\n');
  const guarded = `    if USE_CONNECTOR:\n        return _make_engine()\n    return make_engine(os.getenv("DATABASE_URL", "sqlite://"))`;
  const required = (text: string) => needs(py(text)).INSTANCE_CONNECTION_NAME[0];
  assert.equal(required(module('_make_engine', guarded)), false);
  // The flag written out at the call works the same way.
  assert.equal(required(module('_make_engine', '    if CONN:\n        return _make_engine()')), false);
  // Each flag of a condition stands for its expression (one deep), not only the first.
  assert.equal(required(module('_make_engine', guarded.replace('if USE_CONNECTOR:', 'if VERBOSE or USE_CONNECTOR and READY:'),
    'VERBOSE = os.getenv("VERBOSE") == "1"\nREADY = os.getenv("READY") == "1"\nUSE_CONNECTOR = bool(CONN and os.getenv("K_SERVICE"))')), true);
  assert.equal(required(module('_make_engine', guarded.replace('if USE_CONNECTOR:', 'if READY and USE_CONNECTOR:'),
    'READY = os.getenv("READY") == "1"\nUSE_CONNECTOR = bool(CONN and os.getenv("K_SERVICE"))')), false);
  // Look-alikes: a public helper other modules may call, a call outside the test, a flag the
  // file sets twice, a flag that does not need the value.
  assert.equal(required(module('make_engine_for', guarded.replace('_make_engine', 'make_engine_for'))), true);
  assert.equal(required(module('_make_engine', `${guarded}\ndef reset():\n    return _make_engine()`)), true);
  assert.equal(required(module('_make_engine', guarded, 'USE_CONNECTOR = bool(CONN)\nUSE_CONNECTOR = True')), true);
  assert.equal(required(module('_make_engine', guarded, 'USE_CONNECTOR = bool(CONN or os.getenv("K_SERVICE"))')), true);
});

test('a flag the file assigns once at its top level and elsewhere only turns off still stands for its expression', () => {
  const module = (setup: string, later: string) => [
    'import os',
    'BUCKET = os.getenv("GCS_BUCKET_NAME")',
    'USE_GCS = BUCKET is not None',
    'if USE_GCS:',
    '    try:',
    '        bucket = storage.Client().bucket(BUCKET)',
    '    except Exception:',
    `        ${setup}`,
    'def save(path):',
    ...later.split('\n'),
  ].join('\n');
  const required = (text: string) => needs(py(text)).GCS_BUCKET_NAME[0];
  const local = '    if USE_GCS:\n        return storage.Client().bucket(BUCKET).blob(path).upload_from_filename(path)\n    return shutil.copy(path, "/tmp")';
  assert.equal(required(module('USE_GCS = False', local)), false);
  assert.equal(required(module('USE_GCS = False', `    global USE_GCS\n    USE_GCS = False\n${local}`)), false);
  // Look-alikes: a later assignment that may turn it on, or to another value, makes it no flag.
  assert.equal(required(module('USE_GCS = True', local)), true);
  assert.equal(required(module('USE_GCS = os.getenv("FORCE_GCS")', local)), true);
  assert.equal(required(module('USE_GCS = False', local.replace('if USE_GCS:', 'if path:'))), true);
});

test('the text a raw value is compared with is recorded (comparedWith), unless the default is that text or unknown', () => {
  const text = [
    'import os',
    'if os.getenv("A") == "true":',
    '    pass',
    'B = os.environ.get("B", "false") == "true"',
    'C = os.environ.get("C", "true") == "true"',
    'D = os.getenv("D", "0").lower() == "1"',
    'E = "on" != os.getenv("E")',
    'F = os.getenv("F", DEFAULT) == "x"',
    'G = os.getenv("G", "False").lower() == "false"',
    'H = os.environ.get("H", "false").strip().lower() in ("1", "true", "yes")',
    'I = (os.getenv("I") or "off").upper() != "ON"',
    'J = os.getenv("J", None) == "x"',
    'K = os.getenv("K", "0").title() == "1"',
    'L = os.getenv("L", "1") in ("1", "true")',
    '',
  ].join('\n');
  const reads = py(text).reads;
  const by = Object.fromEntries(reads.map((r) => [r.name, r.comparedWith]));
  // Through a text fallback and case or space calls too; unless the default, transformed, is one
  // of the texts, or a call other than those transforms the value.
  assert.deepEqual(by, { A: 'true', B: 'true', C: undefined, D: '1', E: 'on', F: undefined, G: undefined, H: '1', I: 'ON', J: 'x', K: undefined, L: undefined });
  const h = reads.find((r) => r.name === 'H')!;
  assert.deepEqual([h.comparedAlso, h.comparedCaseless], [['true', 'yes'], true]);
  assert.equal(reads.find((r) => r.name === 'A')!.comparedCaseless, undefined);
});

test('a read in the module\'s `if __name__ == "__main__":` block is marked mainOnly; one in a function\'s look-alike test or elsewhere is not', () => {
  const text = [
    'import os',
    'A = os.environ["A"]',
    'def run():',
    '    if __name__ == "__main__":',
    '        return os.environ["B"]',
    "if '__main__' == __name__:",
    '    C = os.environ["C"]',
    'if __name__ == "__main__" and os.getenv("D"):',
    '    pass',
    '',
  ].join('\n');
  const by = Object.fromEntries(py(text).reads.map((r) => [r.name, !!r.mainOnly]));
  assert.deepEqual(by, { A: false, B: false, C: true, D: false });
});

test('a key used only after an early exit on a feature attribute that one variable fills runs only when that variable is set (onlyWhen)', () => {
  const text = [
    'import os',
    'class Chain:',
    '    def __init__(self):',
    '        self.address = os.getenv("REGISTRY_ADDRESS")',
    '        self.key = os.getenv("SIGNER_KEY")',
    '        self.token = os.getenv("API_TOKEN")',
    '        self.contract = connect(self.address) if False else None',
    '        if self.address:',
    '            self.contract = connect(self.address)',
    '    def store(self):',
    '        if self.contract is None:',
    '            return None',
    '        send(self.token)',
    '        return sign(self.key)',
    '    def ping(self):',
    '        return call(self.token)',
    '',
  ].join('\n');
  const by = Object.fromEntries(py(text).reads.map((r) => [r.name, r.onlyWhen]));
  // The conditional expression gives a value outside the test: no feature switch.
  assert.deepEqual(by.SIGNER_KEY, undefined);
  const fixed = text.replace('        self.contract = connect(self.address) if False else None\n', '        self.contract = None\n');
  const by2 = Object.fromEntries(py(fixed).reads.map((r) => [r.name, r.onlyWhen]));
  assert.deepEqual(by2.SIGNER_KEY, [{ name: 'REGISTRY_ADDRESS', set: true }]);
  // Also used in a method without the early exit.
  assert.deepEqual(by2.API_TOKEN, undefined);
  assert.deepEqual(by2.REGISTRY_ADDRESS, undefined);
});

test('a raise on a missing value that a try around it catches and only logs is handled (optional); one caught by a handler that raises again, or by another class, stays required', () => {
  const text = [
    'import os, logging',
    'try:',
    '    a = os.getenv("CAUGHT_BROAD")',
    '    if not a:',
    '        raise ValueError("CAUGHT_BROAD not set")',
    '    init(a)',
    'except Exception as e:',
    '    logging.error(e)',
    'def f():',
    '    try:',
    '        b = os.getenv("CAUGHT_NAMED")',
    '        if not b:',
    '            raise KeyError("CAUGHT_NAMED")',
    '        init(b)',
    '    except (KeyError, ValueError):',
    '        return None',
    'def g():',
    '    try:',
    '        c = os.getenv("RERAISED")',
    '        if not c:',
    '            raise ValueError("RERAISED")',
    '        init(c)',
    '    except ValueError as e:',
    '        logging.error(e)',
    '        raise',
    'def h():',
    '    try:',
    '        d = os.getenv("OTHER_CLASS")',
    '        if not d:',
    '            raise RuntimeError("OTHER_CLASS")',
    '        init(d)',
    '    except KeyError:',
    '        pass',
    'def k():',
    '    try:',
    '        pass',
    '    except Exception:',
    '        e = os.getenv("IN_HANDLER")',
    '        if not e:',
    '            raise ValueError("IN_HANDLER")',
    '',
  ].join('\n');
  const by = Object.fromEntries(py(text).reads.map((r) => [r.name, r.hasDefault]));
  assert.deepEqual(by, { CAUGHT_BROAD: true, CAUGHT_NAMED: true, RERAISED: false, OTHER_CLASS: false, IN_HANDLER: false });
});

test('a class attribute read from the environment that a method (or a subclass) sets again from another source is only a fallback', () => {
  const text = [
    'import os',
    'class Config:',
    '    SIGNING_KEY = os.environ.get("SIGNING_KEY")',
    '    DB_PASSWORD = os.environ.get("DB_PASSWORD")',
    '    API_TOKEN = os.environ.get("API_TOKEN")',
    '    TRIMMED = os.environ.get("TRIMMED")',
    'class ProdConfig(Config):',
    '    def __init__(self):',
    '        if "ON_SERVER" in os.environ:',
    '            ProdConfig.DB_PASSWORD, ProdConfig.SIGNING_KEY = load_from_secret_manager()',
    '        self.TRIMMED = self.TRIMMED.strip()',
    '',
  ].join('\n');
  const by = Object.fromEntries(py(text).reads.map((r) => [r.name, [r.hasDefault, r.optionalBecause]]));
  assert.deepEqual(by.SIGNING_KEY, [true, 'fallback']);
  assert.deepEqual(by.DB_PASSWORD, [true, 'fallback']);
  // Never set again, or set again from itself.
  assert.equal(by.API_TOKEN[1], undefined);
  assert.equal(by.TRIMMED[1], undefined);
});

test('a variable read in an except clause for a name its try assigns from elsewhere (a secret store) is only a fallback', () => {
  const text = [
    'import os',
    'from google.cloud import secretmanager',
    'if os.getenv("K_SERVICE"):',
    '    try:',
    '        client = secretmanager.SecretManagerServiceClient()',
    '        SECRET_KEY = client.access_secret_version(request={"name": "projects/p/secrets/key/versions/latest"}).payload.data.decode()',
    '        if client:',
    '            API_TOKEN = fetch_token()',
    '    except Exception:',
    '        SECRET_KEY = os.environ.get("SECRET_KEY")',
    '        API_TOKEN = os.environ["API_TOKEN"]',
    '        MAIL_KEY = os.environ.get("MAIL_KEY")',
    '        TRIMMED = os.environ.get("TRIMMED")',
    '    try:',
    '        TRIMMED = TRIMMED.strip()',
    '        def later():',
    '            MAIL_KEY = load()',
    '    except ValueError:',
    '        pass',
    'use(SECRET_KEY, API_TOKEN, MAIL_KEY, TRIMMED)',
    '',
  ].join('\n');
  const by = Object.fromEntries(py(text).reads.map((r) => [r.name, [r.hasDefault, r.optionalBecause]]));
  assert.deepEqual(by.SECRET_KEY, [true, 'fallback']);
  assert.deepEqual(by.API_TOKEN, [true, 'fallback']);
  // Assigned by no try of its own clause (another try's body, a nested function), or from itself.
  assert.equal(by.MAIL_KEY[1], undefined);
  assert.equal(by.TRIMMED[1], undefined);
});

test('a raise on a missing value in a method whose every self-call in its class is caught and answered is handled; an uncaught call keeps it required', () => {
  const text = [
    'import os',
    'class Market:',
    '    def __init__(self):',
    '        self.news_key = os.getenv("NEWS_KEY")',
    '        self.quote_key = os.getenv("QUOTE_KEY")',
    '    def sentiment(self):',
    '        try:',
    '            return self._news()',
    '        except Exception:',
    '            return 0',
    '    def _news(self):',
    '        if not self.news_key:',
    '            raise ValueError("news key not available")',
    '        return call(self.news_key)',
    '    def quote(self):',
    '        try:',
    '            return self._quote()',
    '        except ValueError:',
    '            return 0',
    '    def quote_now(self):',
    '        return self._quote()',
    '    def _quote(self):',
    '        if not self.quote_key:',
    '            raise ValueError("quote key not available")',
    '        return call(self.quote_key)',
    '',
  ].join('\n');
  const by = Object.fromEntries(py(text).reads.map((r) => [r.name, r.hasDefault]));
  assert.deepEqual(by, { NEWS_KEY: true, QUOTE_KEY: false });
});

test('an override copied over another value only where a test of it passed is optional; the raise on the other value is not about it', () => {
  const text = [
    'import os',
    '',
    'DATABASE_URL = os.getenv("DATABASE_URL")',
    'TEST_DATABASE_URL = os.getenv("TEST_DATABASE_URL")',
    '',
    'if TEST_DATABASE_URL:',
    '    DATABASE_URL = TEST_DATABASE_URL',
    '',
    'if not DATABASE_URL:',
    '    raise RuntimeError("DATABASE_URL is not set")',
    '',
    'BACKUP_URL = os.getenv("BACKUP_URL")',
    'TARGET = BACKUP_URL',
    'if not TARGET:',
    '    raise RuntimeError("no backup target")',
    '',
  ].join('\n');
  const reads = Object.fromEntries(py(text).reads.map((r) => [r.name, r.hasDefault]));
  assert.equal(reads.TEST_DATABASE_URL, true);
  assert.equal(reads.DATABASE_URL, false);
  // Copied without a test: the raise is about it.
  assert.equal(reads.BACKUP_URL, false);
});

test('a value passed to a function of this file is judged by what the function does with its parameter', () => {
  const text = [
    'import os',
    'from typing import List, Optional',
    '',
    'def recipients(value: Optional[str]) -> List[str]:',
    '    if not value:',
    '        return []',
    '    return value.split(",")',
    '',
    'def shout(v):',
    '    return v.upper()',
    '',
    'def same(v):',
    '    return v',
    '',
    'def must(v):',
    '    if v is None:',
    '        raise RuntimeError("unset")',
    '    return v',
    '',
    'class Mailer:',
    '    def recipients(self, value):',
    '        return value.split(",")',
    '',
    'ALERTS = recipients(os.getenv("ALERT_RECIPIENTS"))',
    'LOUD = shout(os.getenv("LOUD_NAME"))',
    'SAME = same(os.getenv("SAME_NAME"))',
    'MUST = must(os.getenv("MUST_NAME"))',
    // Turned into text first: the function sees "None", not a missing value.
    'TEXT = recipients(f"{os.getenv(\'TEXT_NAME\')}")',
    // A method of that name is another function: the file's `recipients` is not it.
    'OTHER = Mailer().recipients(os.getenv("METHOD_NAME"))',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.ALERT_RECIPIENTS, [false, 'optional-parameter', undefined]);
  for (const name of ['LOUD_NAME', 'SAME_NAME', 'MUST_NAME', 'TEXT_NAME', 'METHOD_NAME']) assert.equal(n[name]?.[0], true, name);
});


test('two names tested with `or`, then handed on together: the callee chooses among them, so neither is required alone', () => {
  const text = [
    'import os',
    '',
    'def encryption_key(default_key):',
    '    env_key = os.environ.get("DB_ENCRYPTION_KEY")',
    '    env_key_file = os.environ.get("DB_ENCRYPTION_KEY_FILE")',
    '    if env_key or env_key_file:',
    '        return resolve_key(env_key, key_file=env_key_file)',
    '    return default_key',
    '',
    'def token():',
    '    value = os.environ.get("API_TOKEN")',
    '    backup = os.environ.get("API_TOKEN_BACKUP")',
    '    if value or backup:',
    '        return use(value)',
  ].join('\n');
  const got = Object.fromEntries(py(text).reads.map((r) => [r.name, r.hasDefault]));
  // Handed on alone after the `or`, the first name is still needed: the callee gets nothing else.
  assert.deepEqual(got, { DB_ENCRYPTION_KEY: true, DB_ENCRYPTION_KEY_FILE: true, API_TOKEN: false, API_TOKEN_BACKUP: true });
});

test('a list of reads kept in a local only any() or all() takes: each read is only tested', () => {
  const text = [
    'import os',
    'def in_cloud():',
    '    signals = [',
    '        os.environ.get("K_SERVICE"),',
    '        os.environ.get("AWS_EXECUTION_ENV"),',
    '    ]',
    '    return any(signals)',
    'def creds_ready():',
    '    pair = (os.getenv("SMTP_LOGIN"), os.getenv("SMTP_SECRET"))',
    '    if all(pair):',
    '        return True',
    '    return False',
    // Look-alikes: the local is also used whole, or indexed: its elements are values.
    'def hosts():',
    '    found = [os.getenv("PRIMARY_HOST")]',
    '    print(any(found))',
    '    return connect(found[0])',
    'def ports():',
    '    listed = [os.getenv("ADMIN_PORT")]',
    '    return ",".join(listed)',
  ].join('\n');
  const found = needs(py(text));
  assert.deepEqual([found.K_SERVICE, found.AWS_EXECUTION_ENV, found.SMTP_LOGIN, found.SMTP_SECRET].map((n) => n?.[0]), [false, false, false, false]);
  assert.equal(found.K_SERVICE?.[1], 'presence-test');
  assert.equal(found.PRIMARY_HOST?.[0], true);
  assert.equal(found.ADMIN_PORT?.[0], true);
});

test('a tuple of candidates a loop tries in turn, skipping an empty one: the read is a fallback', () => {
  const text = [
    'import os',
    '_FONTS = (',
    '    os.environ.get("APP_FONT"),',
    '    "/usr/share/fonts/dejavu.ttf",',
    '    "/System/Library/Fonts/Helvetica.ttc",',
    ')',
    'def font_path():',
    '    for p in _FONTS:',
    '        if p and os.path.exists(p):',
    '            return p',
    '    raise RuntimeError("no font")',
    'def config_dir():',
    '    dirs = [os.getenv("CONF_DIR"), "/etc/app", "/opt/app"]',
    '    for d in dirs:',
    '        if d is None:',
    '            continue',
    '        if os.path.isdir(d):',
    '            return d',
    'def cert():',
    '    for c in (os.getenv("TLS_CERT"), "/etc/ssl/app.pem", "/etc/ssl/alt.pem"):',
    '        if c and os.path.exists(c):',
    '            return c',
    // Look-alikes: the loop uses the element before any test, or the test does more than skip.
    'CMD = [os.getenv("WORKER_BIN"), "--queue", "jobs"]',
    'def run():',
    '    for part in CMD:',
    '        print(part.upper())',
    'def plugins():',
    '    names = [os.getenv("PLUGIN_A"), "core", "auth"]',
    '    for n in names:',
    '        if not n:',
    '            raise ValueError("plugin")',
    '        load(n)',
  ].join('\n');
  const found = needs(py(text));
  assert.deepEqual(found.APP_FONT, [false, 'fallback', undefined]);
  assert.deepEqual(found.CONF_DIR, [false, 'fallback', undefined]);
  assert.deepEqual(found.TLS_CERT, [false, 'fallback', undefined]);
  assert.equal(found.WORKER_BIN?.[0], true);
  assert.equal(found.PLUGIN_A?.[0], true);
});

test('a secret compared with a value not written here (a request header) is required: unset, the check is open or shut', () => {
  const text = [
    'import os',
    'def check(request):',
    '    if request.headers.get("X-Internal") != os.getenv("INTERNAL_SECRET"):',
    '        return False',
    '    expected = os.environ.get("WEBHOOK_TOKEN")',
    '    if request.args.get("t") == expected:',
    '        return True',
    // Look-alikes: a secret compared with a literal, a guarded comparison, a plain value compared.
    '    if os.getenv("MODE_TOKEN") == "off":',
    '        return False',
    '    if os.getenv("GUARD_SECRET") and request.headers.get("x") == os.getenv("GUARD_SECRET"):',
    '        return True',
    '    return os.getenv("REGION_NAME") == request.region',
  ].join('\n');
  const found = needs(py(text));
  assert.equal(found.INTERNAL_SECRET?.[0], true);
  assert.equal(found.WEBHOOK_TOKEN?.[0], true);
  assert.deepEqual(found.MODE_TOKEN?.slice(0, 2), [false, 'presence-test']);
  assert.deepEqual(found.REGION_NAME?.slice(0, 2), [false, 'compared']);
});

test('a read as another read\'s default stands in for it: the outer value\'s use decides its need', () => {
  const text = [
    'import os',
    'from storage import Bucket',
    'PROJECT = os.getenv("GCP_PROJECT_ID", os.getenv("GOOGLE_CLOUD_PROJECT"))',
    'region = os.environ.get("APP_REGION", os.environ.get("REGION"))',
    'if not region:',
    '    region = "europe-west1"',
    'token = os.environ.get("API_TOKEN", os.environ.get("LEGACY_TOKEN"))',
    'headers = {"Authorization": "Bearer " + token}',
    'bucket = os.getenv("BUCKET", os.getenv("DEFAULT_BUCKET", "media"))',
  ].join('\n');
  const f = py(text, 'svc/app/settings.py');
  const n = needs(f);
  const alts = Object.fromEntries(f.reads.map((r) => [r.name, r.alternatives]));
  // A module constant other files use: where its value goes is not seen here.
  assert.deepEqual(n.GOOGLE_CLOUD_PROJECT, [true, undefined, undefined]);
  assert.equal(f.reads.find((r) => r.name === 'GOOGLE_CLOUD_PROJECT')?.needUnseen, true);
  assert.deepEqual(alts.GOOGLE_CLOUD_PROJECT, ['GCP_PROJECT_ID']);
  // The outer value is tested and replaced when empty: neither is needed.
  assert.deepEqual(n.REGION, [false, 'tested-after-assignment', undefined]);
  // The outer value is used unguarded: the inner read is needed unless the outer one is set.
  assert.deepEqual(n.LEGACY_TOKEN, [true, undefined, undefined]);
  assert.deepEqual(alts.LEGACY_TOKEN, ['API_TOKEN']);
  // An inner read with a default of its own is a default for both.
  assert.deepEqual(n.DEFAULT_BUCKET, [false, undefined, undefined]);
  assert.deepEqual(n.BUCKET, [false, undefined, undefined]);
  for (const outer of ['GCP_PROJECT_ID', 'APP_REGION', 'API_TOKEN']) assert.equal(n[outer]![0], false, outer);
});

test('a literal default is kept as the text the service runs on; other defaults, and stand-ins, have none', () => {
  const text = [
    'import os',
    'from pydantic_settings import BaseSettings',
    'PROJECT = os.environ.get("GCS_PROJECT", "klipstream")',
    'TTL = int(os.getenv("CACHE_TTL_SECONDS", 3600))',
    'os.environ.setdefault("STORAGE_BUCKET", "dummy-bucket")',
    'REGION = os.getenv("REGION", default_region())',
    'TOKEN = os.getenv("OPS_TOKEN", "changeme")',
    'PLAIN = os.getenv("PLAIN_NAME")',
    '',
    'class Settings(BaseSettings):',
    '    base_url: str = "https://api.example.sg"',
    '    timeout: float = 2.5',
  ].join('\n');
  const got = Object.fromEntries(py(text).reads.map((r) => [r.name, r.textDefault]));
  assert.deepEqual(got, {
    GCS_PROJECT: 'klipstream',
    CACHE_TTL_SECONDS: '3600',
    STORAGE_BUCKET: 'dummy-bucket',
    REGION: undefined,
    OPS_TOKEN: undefined,
    PLAIN_NAME: undefined,
    BASE_URL: 'https://api.example.sg',
    TIMEOUT: '2.5',
  });
});

test('an empty default a typed getter returns, which its caller here rejects (`if not url: raise`), is required; a text method on the way to the return keeps it empty', () => {
  const text = [
    'import os',
    'def get_database_url() -> str:',
    '    postgres_url = os.getenv("POSTGRES_URL", "")',
    '    return postgres_url.replace("postgres://", "postgresql+asyncpg://").replace("postgresql://", "postgresql+asyncpg://")',
    'def get_engine():',
    '    database_url = get_database_url()',
    '    if not database_url:',
    '        raise RuntimeError("POSTGRES_URL not set")',
    '    return database_url',
    'def get_token() -> str:',
    '    return os.getenv("API_TOKEN", "").strip()',
    'def client():',
    '    token = get_token()',
    '    if not token:',
    '        raise RuntimeError("API_TOKEN not set")',
    '    return token',
    // An untyped (or Optional) getter is asked of its callers the same way.
    'def get_cache() -> Optional[str]:',
    '    return os.getenv("CACHE_URL", "")',
    'def cache():',
    '    c = get_cache()',
    '    if not c:',
    '        raise RuntimeError("CACHE_URL")',
    // Look-alikes: a caller that copes, a method that is no text method.
    'def get_region() -> str:',
    '    return os.getenv("REGION", "")',
    'def region():',
    '    r = get_region()',
    '    return r or "europe-west1"',
    'def get_hosts() -> str:',
    '    return os.getenv("HOSTS", "").split(",")',
    'def hosts():',
    '    h = get_hosts()',
    '    if not h:',
    '        raise RuntimeError("HOSTS")',
    // A text method's result tested where it is read stays a default (judged on the corpus: such
    // checks are mostly of optional features, per-run job values, or caught by the callers).
    'def send():',
    '    user = os.getenv("SMTP_USER", "").strip()',
    '    if not user:',
    '        raise RuntimeError("SMTP_USER")',
    // Getters that call each other: answered, not followed around for ever.
    'def ping() -> str:',
    '    return os.getenv("PING", "") or pong()',
    'def pong() -> str:',
    '    return ping()',
  ].join('\n');
  const n = needs(py(text));
  assert.deepEqual(n.POSTGRES_URL, [true, undefined, undefined]);
  assert.deepEqual(n.API_TOKEN, [true, undefined, undefined]);
  assert.equal(n.CACHE_URL![0], true);
  assert.equal(n.REGION![0], false);
  assert.equal(n.HOSTS![0], false);
  assert.equal(n.PING![0], false);
  assert.equal(n.SMTP_USER![0], false);
});

test('a development stand-in in the `if` and a failure in the `else` is a requirement outside development; the environments may be a module constant', () => {
  const text = [
    'import os',
    '_DEV_ENVS = {"development", "test", ""}',
    'LOCAL_ENVS = frozenset({"development", "dev", ""})',
    'def pii_key():',
    '    key = os.environ.get("PII_KEY")',
    '    env = os.environ.get("ENV", "development")',
    '    if not key:',
    '        if env in _DEV_ENVS:',
    '            key = "dev-only-key"',
    '        else:',
    '            raise RuntimeError("PII_KEY must be set")',
    '    return derive(key)',
    'def audit_key():',
    '    key = os.environ.get("AUDIT_KEY")',
    '    if not key:',
    '        if os.environ.get("ENV") in ("development", "test"):',
    '            key = "dev-only-key"',
    '        else:',
    '            raise RuntimeError("AUDIT_KEY must be set")',
    '    return derive(key)',
    'def export_key():',
    '    key = os.environ.get("EXPORT_KEY")',
    '    if not key:',
    '        if os.environ.get("ENV", "development") in LOCAL_ENVS:',
    '            key = "dev-only-key"',
    '        else:',
    '            raise RuntimeError("AUDIT_KEY must be set")',
    '    return derive(key)',
    // Look-alikes: the `else` logs; the test names no environment (a feature flag).
    'def report_key():',
    '    key = os.environ.get("REPORT_KEY")',
    '    if not key:',
    '        if os.environ.get("ENV") in _DEV_ENVS:',
    '            key = "dev-only-key"',
    '        else:',
    '            logger.warning("reports are unsigned")',
    '    return key',
    'def beta_key():',
    '    key = os.environ.get("BETA_KEY")',
    '    if not key:',
    '        if FEATURES_ON:',
    '            key = "built-in"',
    '        else:',
    '            raise RuntimeError("BETA_KEY must be set")',
    '    return key',
    'if os.environ.get("ENV") in _DEV_ENVS:',
    '    DEBUG_TOOLBAR = os.environ["TOOLBAR_TOKEN"]',
  ].join('\n') + '\n';
  const n = needs(py(text));
  assert.equal(n.PII_KEY![0], true);
  assert.equal(n.AUDIT_KEY![0], true);
  assert.equal(n.EXPORT_KEY![0], true);
  assert.equal(n.REPORT_KEY![0], false);
  assert.equal(n.BETA_KEY![0], false);
  // An empty name beside development ones still makes a development-only branch.
  assert.equal(py(text).reads.find((r) => r.name === 'TOOLBAR_TOKEN')!.devOnly, true);
});
