/**
 * Names that hold secrets, and values that are stand-ins for one. The name patterns follow the
 * words credential scanners key on (SECRET, PASSWORD, TOKEN, API_KEY, PRIVATE_KEY, …) plus
 * connection strings that embed a password (DATABASE_URL, DSN). The placeholder shapes are the
 * ones scaffolds and docs ship (`REPLACE_WITH_…`, `changeme`, `your-…-here`, `<…>`, `TODO`).
 */
import { isBrowserPublic } from './build-time-env';

const SECRET_WORDS = /(SECRET|PASSWORD|PASSWD|PWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIALS?|DSN|SIGNING_KEY|ENCRYPTION_KEY|ACCESS_KEY|AUTH_KEY|CLIENT_KEY|SERVER_KEY|DATABASE_URL|DB_URL)$|SECRET|PASSWORD|TOKEN/;

/** A name whose value must be treated as a secret (never printed, stored as a secret reference). */
export function isSecretLike(name: string): boolean {
  if (/^(GOOGLE_APPLICATION_CREDENTIALS)$/.test(name)) return false; // a file path
  return SECRET_WORDS.test(name.toUpperCase());
}

/**
 * A value that may be a credential whatever its name: a URL with a password in it, a PEM block,
 * or a run of 12+ letters and digits mixing both (an API key, a random token). Ordinary settings
 * (`acme-prod`, `us-central1`, `https://api.example.com/v1`, `info`) are not.
 */
export function looksLikeSecretValue(value: string): boolean {
  if (/:\/\/[^/\s:@]*:[^/\s@]+@/.test(value)) return true;
  if (/-----BEGIN [A-Z ]+-----/.test(value)) return true;
  return (value.match(/[A-Za-z0-9+/=_]{12,}/g) ?? []).some((run) => /[A-Za-z]/.test(run) && /\d/.test(run));
}

const PLACEHOLDERS: { re: RegExp; shape: string }[] = [
  { re: /^(REPLACE|FILL)[_-]?(ME|IN|WITH|THIS)(?:[_-]|$)/i, shape: 'REPLACE_WITH_…' },
  { re: /^(INSERT|ENTER|PUT|ADD)[_-](YOUR|A|THE)[_-]/i, shape: 'INSERT_YOUR_…' },
  { re: /^(change[_-]?me|changeit|change[_-]?this)/i, shape: 'changeme' },
  { re: /^your[_-][a-z0-9_-]*$/i, shape: 'your-…-here' },
  { re: /^<[^<>]*>$/, shape: '<…>' },
  { re: /^(TODO|TBD|FIXME|X{3,}|\*{3,}|PLACEHOLDER|DUMMY|SECRET|PASSWORD|CHANGEME)$/i, shape: 'a stand-in word' },
  // What history scrubbers (BFG Repo-Cleaner) leave where a credential was.
  { re: /^\*+REMOVED\*+$/i, shape: '***REMOVED***' },
];

/** A word anyone would try first (`JWT_SECRET="hello"`): as good as no secret. Whole values only;
 * callers ask only for a secret-like name, as `LOG_LEVEL=test` is no credential. Usernames and
 * names that are real values elsewhere (`default`, `root`, `admin`: ClickHouse's and MySQL's
 * own) are left out. */
const GUESSABLE = /^(hello|hello-?world|test|testing|example|demo|letmein|qwerty|passw0rd|123456|12345678|abc123|foo|bar|foobar|secret123|password123)$/i;

/** `a guessable word` for such a value, else undefined. */
export function guessableShape(value: string): string | undefined {
  return GUESSABLE.test(value.trim()) ? 'a guessable word' : undefined;
}

/** A code default that tells the reader to replace it (`"change-me-in-production"`,
 * `"django-insecure-…"`, `"your-secret-here"`, `"public-token-placeholder"`): for a secret, no default at all, since a service
 * running on it signs with a key anyone can read in the repository. Anywhere in the value,
 * unlike `placeholderShape`: defaults name their project first (`acme-secret-change-me`). */
export function insecureDefault(value: string): boolean {
  return /change[-_ ]?(me|this|it)(?:\b|_)|change[-_ ]in[-_ ]prod|insecure|not[-_ ]secure|replace[-_ ]?(me|this|with)|^your[-_]|(?:^|[^a-z])placeholder(?:[^a-z]|$)/i.test(value) ||
    STAND_IN_SECRET.test(value.trim()) || !!placeholderShape(value) || !!guessableShape(value);
}

/**
 * A secret's code default that looks like a real key someone committed (a UUID, a long hex or
 * mixed-case token, a Google app password `abcd efgh ijkl mnop`, a vendor key `sk-…`, `AIza…`,
 * `ghp_…`, `xoxb-…`, `SG.….…`, `sk_live_…`), else undefined. Unlike a placeholder it works, so a
 * service deployed without the variable runs on a credential anyone who reads the repository
 * holds. Callers ask only for a secret-like name, and leave out names a client bundle or a web
 * config shows anyway (`…PUBLIC…`, `…PUBLISHABLE…`, Firebase's web API key).
 */
export function committedKeyShape(value: string): string | undefined {
  const v = value.trim();
  if (v.length < 16 || v !== value) return undefined;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return 'a UUID';
  if (/^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/.test(v)) return 'an app password';
  if (VENDOR_KEY.test(v)) return 'a vendor key';
  if (/^[0-9a-f]{24,}$/i.test(v) && /[0-9]/.test(v) && /[a-f]/i.test(v)) return 'a hex key';
  // A random token: long, of one alphabet, every case and digits, no word between separators.
  if (v.length >= 32 && /^[A-Za-z0-9+/=_-]+$/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v) &&
    !v.split(/[-_+/=]/).some((w) => /^[a-z]{4,}$/i.test(w))) return 'a random token';
  return undefined;
}

const VENDOR_KEY = /^(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|sk_live_[A-Za-z0-9]{16,}|rk_live_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpors]-[A-Za-z0-9-]{10,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})$/;

/** A name whose value a browser sees anyway (a client bundle's, a web config's): a committed
 * default is no leak. */
function isPublicByDesign(name: string): boolean {
  return /PUBLIC|PUBLISHABLE/i.test(name) || /FIREBASE.*API_?KEY/i.test(name);
}

/** `value`, the code default of the variable `name`, is a working key committed to the repository
 * for a secret a browser does not see anyway (`committedKeyShape`). */
export function isCommittedSecretDefault(name: string, value: string): boolean {
  return isSecretLike(name) && !isPublicByDesign(name) && !!committedKeyShape(value);
}

/** What a code default `value` of the variable `name` is, when it is no default worth the name: a
 * secret's placeholder (`insecureDefault`), a working key committed here
 * (`isCommittedSecretDefault`), or an empty signing key. Either way a deploy without the variable
 * runs on it. */
export function secretStandIn(name: string, value: string): 'placeholder' | 'committed' | 'empty' | undefined {
  // A value a front-end build ships to every browser (`VITE_MIDTRANS_CLIENT_KEY`) guards nothing:
  // a stand-in for it is a feature's default, not a key anyone could forge with.
  if (isBrowserPublic(name)) return undefined;
  if (value === '' && isSigningSecretName(name)) return 'empty';
  if (isSecretLike(name) && insecureDefault(value)) return 'placeholder';
  return isCommittedSecretDefault(name, value) ? 'committed' : undefined;
}

/** A default that names itself a stand-in for a secret (`'test_secret'`, `"dev-secret"`,
 * `'default_key'`, `"default-cron-secret"`: one word may name what it is for, not a second word
 * of the same kind, as `local-dev-token` may be a real local setting): whoever reads the
 * repository can sign or forge with it. */
const STAND_IN_SECRET = /^(?:test|testing|dev|development|local|default|dummy|fake|sample|example)[-_ ]?(?:(?!(?:test|testing|dev|development|local|default|dummy|fake|sample|example)[-_ ])[a-z0-9]+[-_ ])?(?:secret|key|token|password)s?$/i;

/** `a stand-in secret` for a value that names itself one (`default-secret`, `dev_key`), else
 * undefined. Callers ask only for a secret-like name. */
export function standInShape(value: string): string | undefined {
  return STAND_IN_SECRET.test(value.trim()) ? 'a stand-in secret' : undefined;
}

/** A value that says of itself it is not for production: Django's generated development key
 * (`django-insecure-…`, the prefix Django gives it so that it is recognised), or one asking to be
 * changed before production anywhere in it (`acme-key-change-me`, `…-change-in-production-…`).
 * Callers ask only for a secret-like name. */
export function selfDeclaredShape(value: string): string | undefined {
  const v = value.trim();
  if (/^django-insecure-/i.test(v)) return 'django-insecure-…';
  // `_` is a word character: `…_change_me_in_production` has no boundary after `me`.
  return /change[-_ ]?(?:me|this)(?:\b|_)|change[-_ ]in[-_ ]prod/i.test(v) ? '…-change-me-…' : undefined;
}

/** The placeholder shape a value has, or undefined for anything that may be real. */
export function placeholderShape(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  return PLACEHOLDERS.find((p) => p.re.test(v))?.shape;
}

/** The placeholder shape of a connection string's password (`postgresql://app:changeme@db/app`,
 * `redis://:***REMOVED***@cache:6379`): the URL is complete but carries no real credential. */
export function urlPasswordShape(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@]+)@/i.exec(value.trim());
  if (!m) return undefined;
  let password = m[1]!;
  try {
    password = decodeURIComponent(password);
  } catch {
    // A stray `%` is the password's own character.
  }
  const shape = placeholderShape(password) ?? guessableShape(password) ?? standInShape(password);
  return shape ? `a password that is ${shape}` : undefined;
}

/** The marked placeholder a fix writes when the real value must come from the user (it has the
 * first shape above, so a deploy shipped with it is itself reported). */
export function placeholderFor(name: string): string {
  return `REPLACE_WITH_${name}`;
}

/** What a read records of a stand-in default (`secretStandIn`): an empty signing key, or a
 * placeholder, a committed key being one too. */
export function standInMarks(standIn: 'placeholder' | 'committed' | 'empty'): { emptyDefault?: true; placeholderDefault?: true; committedKey?: true } {
  if (standIn === 'empty') return { emptyDefault: true };
  return standIn === 'committed' ? { placeholderDefault: true, committedKey: true } : { placeholderDefault: true };
}

/** Keys that sign tokens, sessions or cookies: the libraries that use them refuse an empty one or
 * sign with it (jsonwebtoken's "secretOrPrivateKey must have a value", Flask's "the session is
 * unavailable because no secret key was set", Django's ImproperlyConfigured, Auth.js's
 * MissingSecret), so `process.env.JWT_SECRET || ''` stands in for nothing. */
const SIGNING_SECRET = /^(?:[A-Z0-9]+_)*JWT_(?:SECRET|SIGNING)(?:_KEY)?$|^(?:[A-Z0-9]+_)*SESSION_SECRET(?:_KEY)?$|^(?:[A-Z0-9]+_)*COOKIE_SECRET$|^(?:NEXTAUTH|AUTH)_SECRET$|^(?:FLASK_|DJANGO_|APP_)?SECRET_KEY$/;

export function isSigningSecretName(name: string): boolean {
  return SIGNING_SECRET.test(name);
}
