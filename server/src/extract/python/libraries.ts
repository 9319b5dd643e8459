/**
 * Settings libraries that read the environment for the code:
 * - pydantic-settings: every field of a `BaseSettings` class is a variable (the field name,
 *   upper-cased as matching is case-insensitive by default, after `env_prefix`; or its `alias` /
 *   `validation_alias` / v1 `env`). No default: required; a default (`= v`, `Field(default=…)`):
 *   optional, unless the class rejects the empty default (`if not self.KEY: raise`).
 * - django-environ: `env = environ.Env(...)`; `env("X")`, `env.str("X")`, `env.bool(...)` raise
 *   when unset unless given a default (or a default in the `Env(X=(type, default))` scheme);
 *   `env.db()` reads `DATABASE_URL`, `env.cache()` `CACHE_URL`, `env.email_url()` `EMAIL_URL`.
 * - python-decouple: `config("X")` raises when unset; `config("X", default=…)` does not.
 */
import { type Ctx, type N, argList, escapeRe, field, isNone, literalText, locateCalls, nodeAt, plainString, span, src, unparen } from './walk';
import { nameRef } from './env-reads';
import { pushRead } from './read-need';
import { isCommittedSecretDefault } from '../../knowledge/secrets';
import { attrVerdict, isRaise } from './usage';

/** Words that send a file to the parser for these libraries (besides `env`). */
export const LIBRARY_WORDS = ['BaseSettings', 'decouple'];

export function collectLibraryReads(ctx: Ctx): void {
  if (ctx.text.includes('BaseSettings')) pydanticSettings(ctx);
  if (/\bimport\s+environ\b|\bfrom\s+environ\s+import\b/.test(ctx.text)) djangoEnviron(ctx);
  if (ctx.text.includes('decouple')) decouple(ctx);
}

// ---------------------------------------------------------------------------------------------
// pydantic-settings

interface SettingsConfig { prefix: string; caseSensitive: boolean; nestedDelimiter?: string }

/** A class of the file a settings class may read through: a `BaseSettings` subclass, or a
 * `BaseModel` one (only ever read as a settings class's field). */
interface ModelClass { cls: N; body: N; config: SettingsConfig; settings: boolean }

/** How deep nested models are followed (`DB__QUERY__UNIX_SOCKET` is two). */
const NESTING = 3;

function pydanticSettings(ctx: Ctx): void {
  // Classes in text order, so a subclass of a settings class declared above it is one too.
  const classes = new Map<string, ModelClass>();
  const re = /\bclass\s+[A-Za-z_]/g;
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const kw = nodeAt(ctx, m.index, m.index + 5);
    const cls = kw?.type === 'class' ? kw.parent : null;
    if (cls?.type !== 'class_definition') continue;
    const name = field(cls, 'name');
    const body = field(cls, 'body');
    if (!name || !body) continue;
    const bases = (field(cls, 'superclasses')?.namedChildren ?? [])
      .map((b) => (b.type === 'attribute' ? src(ctx, field(b, 'attribute') ?? b) : b.type === 'identifier' ? src(ctx, b) : ''));
    const parent = bases.map((b) => classes.get(b)).find((c) => !!c);
    const settings = parent?.settings || bases.includes('BaseSettings');
    if (!settings && !parent && !bases.includes('BaseModel')) continue;
    classes.set(src(ctx, name), { cls, body, settings, config: { prefix: '', caseSensitive: false, ...parent?.config, ...ownConfig(ctx, body) } });
  }
  // A settings class that is another's field type is a nested model: pydantic-settings fills it
  // from the outer class's variables (`DB__DRIVERNAME` under `env_nested_delimiter="__"`, or JSON
  // in `DB`), not from its own fields' names — unless the code also builds it on its own
  // (`Database()`). One built only from arguments (`Url(**entry)`) is filled by them.
  const nested = new Set<string>();
  for (const [name, c] of classes) {
    if (!c.settings) continue;
    for (const asg of fieldsOf(c.body)) {
      const inner = nestedClass(ctx, asg, classes);
      if (inner && inner !== name) nested.add(inner);
    }
  }
  // Built on its own: the fields every such call passes by keyword (`Database(drivername="sqlite")`)
  // come from the call, the others from the environment.
  const builtAlone = new Map<string, Set<string>>();
  const fromArguments = new Set<string>();
  const names = [...classes.keys()];
  if (names.length) {
    for (const { fn, args } of locateCalls(ctx, [{ methods: [], funcs: names }])) {
      const name = src(ctx, fn);
      if (args.namedChildren.some((a) => a.type === 'dictionary_splat')) {
        fromArguments.add(name);
        continue;
      }
      const given = new Set(argList(ctx, args).keywords.keys());
      const had = builtAlone.get(name);
      builtAlone.set(name, had ? new Set([...had].filter((k) => given.has(k))) : given);
    }
  }
  for (const [name, c] of classes) {
    if (!c.settings) continue;
    if ((nested.has(name) || fromArguments.has(name)) && !builtAlone.has(name)) continue;
    readFields(ctx, c, c.config, classes, undefined, 0, builtAlone.get(name));
  }
}

/** The annotated fields of a class body, as assignments. */
function fieldsOf(body: N): N[] {
  const out: N[] = [];
  for (const stmt of body.namedChildren) {
    const asg = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
    if (asg?.type === 'assignment' && field(asg, 'type')) out.push(asg);
  }
  return out;
}

/** The model class of the file a field's annotation names (`DB: Database`, `Optional[Query]`,
 * `Query | None`). */
function nestedClass(ctx: Ctx, asg: N, classes: ReadonlyMap<string, ModelClass>): string | undefined {
  const type = field(asg, 'type');
  if (!type) return undefined;
  const stack: N[] = [type];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && classes.has(src(ctx, n))) return src(ctx, n);
    stack.push(...n.namedChildren);
  }
  return undefined;
}

/** The variables a settings class's fields read. `outer`: the fields of a model nested in a
 * settings class under `env_nested_delimiter` (`DB__` and whether the outer field is optional).
 * `given`: fields every call building the class passes itself. */
function readFields(ctx: Ctx, c: ModelClass, config: SettingsConfig, classes: ReadonlyMap<string, ModelClass>, outer: { prefix: string; optional: boolean } | undefined, depth: number, given?: ReadonlySet<string>): void {
  for (const asg of fieldsOf(c.body)) {
    const left = field(asg, 'left');
    if (given && left && given.has(src(ctx, left))) continue;
    const inner = config.nestedDelimiter && depth < NESTING ? nestedClass(ctx, asg, classes) : undefined;
    const innerClass = inner ? classes.get(inner) : undefined;
    if (innerClass && innerClass !== c) {
      const f = settingsField(ctx, c.cls, asg, config, outer, false);
      if (f) readFields(ctx, innerClass, config, classes, { prefix: `${f.name}${config.nestedDelimiter}`, optional: f.hasDefault }, depth + 1);
      continue;
    }
    settingsField(ctx, c.cls, asg, config, outer, true);
  }
}

/** `model_config = SettingsConfigDict(env_prefix="APP_")` (or a dict), `class Config: env_prefix = …`. */
function ownConfig(ctx: Ctx, body: N): Partial<SettingsConfig> {
  const out: Partial<SettingsConfig> = {};
  const take = (key: string, value: N): void => {
    const v = unparen(value);
    if (key === 'env_prefix') {
      const s = plainString(ctx, v);
      if (s) out.prefix = s.value;
    } else if (key === 'env_nested_delimiter') {
      const s = plainString(ctx, v);
      if (s?.value) out.nestedDelimiter = s.value;
    } else if (key === 'case_sensitive') {
      if (v.type === 'true' || v.type === 'false') out.caseSensitive = v.type === 'true';
    }
  };
  for (const stmt of body.namedChildren) {
    if (stmt.type === 'class_definition' && src(ctx, field(stmt, 'name') ?? stmt) === 'Config') {
      for (const s of field(stmt, 'body')?.namedChildren ?? []) {
        const a = s.type === 'expression_statement' ? s.namedChild(0) : null;
        const l = a?.type === 'assignment' ? field(a, 'left') : null;
        const r = a ? field(a, 'right') : null;
        if (l?.type === 'identifier' && r) take(src(ctx, l), r);
      }
      continue;
    }
    const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
    if (a?.type !== 'assignment' || src(ctx, field(a, 'left') ?? a) !== 'model_config') continue;
    const r = field(a, 'right');
    const u = r ? unparen(r) : null;
    if (u?.type === 'call') {
      const args = field(u, 'arguments');
      if (args) for (const [k, v] of argList(ctx, args).keywords) take(k, v);
    } else if (u?.type === 'dictionary') {
      for (const p of u.namedChildren) {
        const k = p.type === 'pair' ? field(p, 'key') : null;
        const v = p.type === 'pair' ? field(p, 'value') : null;
        const ks = k ? plainString(ctx, k) : undefined;
        if (ks && v) take(ks.value, v);
      }
    }
  }
  return out;
}

/** One annotated field: its variable, whether it has a default, and whether the class rejects an
 * empty default (`if not self.SECRET_KEY: raise`). Records the read when `record`; returns the
 * variable's name either way. A field of a nested model is named from the outer one's
 * (`DB__DRIVERNAME`) and is optional where that one is. */
function settingsField(ctx: Ctx, cls: N, asg: N, config: SettingsConfig, outer: { prefix: string; optional: boolean } | undefined, record: boolean): { name: string; hasDefault: boolean } | undefined {
  const left = field(asg, 'left');
  const type = field(asg, 'type');
  if (left?.type !== 'identifier' || !type) return undefined;
  const fieldName = src(ctx, left);
  if (fieldName.startsWith('_') || fieldName === 'model_config' || /\bClassVar\b/.test(src(ctx, type))) return undefined;
  const right = field(asg, 'right');
  let hasDefault = !!right;
  let dflt: N | undefined = right ?? undefined;
  let alias: { name: string; span: { start: number; end: number } } | undefined;
  const alternatives: string[] = [];
  const r = right ? unparen(right) : null;
  const fn = r?.type === 'call' ? field(r, 'function') : null;
  if (r && fn && /^(?:\w+\.)?Field$/.test(src(ctx, fn))) {
    const args = field(r, 'arguments');
    const a = args ? argList(ctx, args) : { positional: [], keywords: new Map<string, N>() };
    const given = a.positional[0] ?? a.keywords.get('default');
    dflt = given ?? a.keywords.get('default_factory');
    hasDefault = !!dflt && unparen(dflt).type !== 'ellipsis';
    for (const k of ['validation_alias', 'alias', 'env']) {
      const v = a.keywords.get(k);
      if (!v) continue;
      const names = aliasNames(ctx, v);
      if (!names.length) continue;
      alias = names[0];
      alternatives.push(...names.slice(1).map((n) => n.name));
      break;
    }
  }
  const own = outer ? outer.prefix + (alias?.name ?? fieldName) : alias ? alias.name : config.prefix + fieldName;
  const name = config.caseSensitive ? own : own.toUpperCase();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  if (outer?.optional) hasDefault = true;
  let requiredIn: string[] | undefined;
  let rejected = false;
  if (hasDefault && dflt && (isNone(dflt) || isEmpty(unparen(dflt)))) {
    // `SECRET_KEY: str = ""` (or `= None`) then `if not self.SECRET_KEY: raise`: the empty default
    // is rejected, which messages say rather than "no default".
    const v = attrVerdict(ctx, cls, fieldName, asg);
    if (v.kind === 'required' && isRaise(v)) {
      hasDefault = false;
      rejected = true;
      requiredIn = v.env;
    }
  }
  // `SMTP_PASSWORD: str = "gbog dqwb wzog iral"`: unset, the service runs on a key committed here.
  const literal = hasDefault && dflt ? plainString(ctx, unparen(dflt))?.value : undefined;
  const committed = literal !== undefined && isCommittedSecretDefault(name, literal);
  if (committed) hasDefault = false;
  if (!record) return { name, hasDefault };
  const given = hasDefault && dflt ? literalText(ctx, unparen(dflt)) : undefined;
  pushRead(ctx, { kind: 'call', node: asg }, name, alias?.span ?? span(left), hasDefault, 'pydantic-settings', {
    ...(given !== undefined ? { textDefault: given } : {}), ...(requiredIn ? { requiredIn } : {}), ...(rejected ? { emptyDefault: true } : {}), ...(committed ? { placeholderDefault: true, committedKey: true as const } : {}) });
  if (alternatives.length) ctx.hits[ctx.hits.length - 1]!.read.alternatives = alternatives;
  markStoredIn(ctx, asg, fieldName, right);
  return { name, hasDefault };
}

/** The field's reads (its own, and one written as its default: `secret_key: str =
 * os.getenv("SECRET_KEY", "…")`) are kept in the field, where the file names it nowhere else
 * (`.secret_key`, in a validator or below the class): other files' uses decide whether it matters. */
function markStoredIn(ctx: Ctx, asg: N, fieldName: string, right: N | null): void {
  if (new RegExp(`\\.${escapeRe(fieldName)}\\b|["']${escapeRe(fieldName)}["']`).test(ctx.text)) return;
  for (const h of ctx.hits) {
    const at = h.read.span ?? h.read.nameSpan;
    const inField = h.node.id === asg.id || (!!right && at.start >= right.startIndex && at.end <= right.endIndex);
    if (inField) h.read.storedIn = fieldName;
  }
}

/** `"X"`, `AliasChoices("X", "Y")`: the variables an alias names, first first. */
function aliasNames(ctx: Ctx, v0: N): { name: string; span: { start: number; end: number } }[] {
  const v = unparen(v0);
  const s = plainString(ctx, v);
  if (s) return [{ name: s.value, span: s.span }];
  if (v.type === 'call' && /AliasChoices$/.test(src(ctx, field(v, 'function') ?? v))) {
    const args = field(v, 'arguments');
    return (args ? argList(ctx, args).positional : []).map((a) => plainString(ctx, a)).filter((x): x is { value: string; span: { start: number; end: number } } => !!x)
      .map((x) => ({ name: x.value, span: x.span }));
  }
  return [];
}

const isEmpty = (n: N): boolean => n.type === 'string' && n.namedChildCount === 2 && n.firstChild?.endIndex === n.lastChild?.startIndex;

// ---------------------------------------------------------------------------------------------
// django-environ

/** Where each django-environ method takes its default positionally (after the name). */
const ENVIRON_DEFAULT_AT: Record<string, number> = {
  __call__: 2, get_value: 2, list: 2, tuple: 2, dict: 2,
  str: 1, bool: 1, int: 1, float: 1, json: 1, url: 1, path: 1, bytes: 1, decimal: 1,
  db: 1, db_url: 1, cache: 1, cache_url: 1, email: 1, email_url: 1, search_url: 1,
};
/** Methods that read a well-known variable when called without a name. */
const ENVIRON_IMPLICIT: Record<string, string> = {
  db: 'DATABASE_URL', db_url: 'DATABASE_URL', cache: 'CACHE_URL', cache_url: 'CACHE_URL',
  email: 'EMAIL_URL', email_url: 'EMAIL_URL', search_url: 'SEARCH_URL',
};

function djangoEnviron(ctx: Ctx): void {
  // `env = environ.Env(DEBUG=(bool, False))` at the top level: the object and its scheme defaults.
  const objects = new Map<string, Set<string>>();
  const envClass = /^(?:environ\.)?(?:Env|FileAwareEnv)$/;
  for (const stmt of ctx.root.namedChildren) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
    const left = a?.type === 'assignment' ? field(a, 'left') : null;
    const right = a ? field(a, 'right') : null;
    const r = right ? unparen(right) : null;
    if (left?.type !== 'identifier' || r?.type !== 'call' || !envClass.test(src(ctx, field(r, 'function') ?? r))) continue;
    const scheme = new Set<string>();
    const args = field(r, 'arguments');
    for (const [k, v] of args ? argList(ctx, args).keywords : []) {
      const t = unparen(v);
      if ((t.type === 'tuple' || t.type === 'list') && t.namedChildren.filter((c) => c.type !== 'comment').length >= 2) scheme.add(k);
    }
    objects.set(src(ctx, left), scheme);
  }
  if (!objects.size) return;
  const names = [...objects.keys()];
  const methods = Object.keys(ENVIRON_DEFAULT_AT).filter((m) => m !== '__call__');
  const done = new Set(ctx.hits.map((h) => h.node.id));
  for (const { call, fn, args } of locateCalls(ctx, [{ methods, funcs: names }])) {
    if (done.has(call.id)) continue;
    let obj: string;
    let method: string;
    if (fn.type === 'identifier') {
      obj = src(ctx, fn);
      method = '__call__';
    } else {
      const o = field(fn, 'object');
      if (o?.type !== 'identifier') continue;
      obj = src(ctx, o);
      method = src(ctx, field(fn, 'attribute') ?? fn);
    }
    const scheme = objects.get(obj);
    if (!scheme) continue;
    const a = argList(ctx, args);
    const first = a.positional[0] ?? a.keywords.get('var');
    let name: string;
    let nameSpan: { start: number; end: number };
    if (first) {
      const ref = nameRef(ctx, first);
      if (!ref) continue;
      if (ref.kind === 'dynamic') {
        if (ref.prefix) ctx.facts.dynamicReads.push({ span: span(call), prefix: ref.prefix });
        continue;
      }
      name = ref.name;
      nameSpan = ref.span;
    } else {
      const implicit = ENVIRON_IMPLICIT[method];
      if (!implicit) continue;
      name = implicit;
      nameSpan = span(fn.type === 'attribute' ? field(fn, 'attribute') ?? fn : fn);
    }
    const at = ENVIRON_DEFAULT_AT[method] ?? 1;
    const dflt = a.keywords.get('default') ?? a.positional[at];
    // django-environ raises ImproperlyConfigured unless a default is given, even `default=None`.
    const hasDefault = !!dflt || scheme.has(name);
    pushRead(ctx, { kind: 'call', node: call, ...(dflt ? { defaultNode: dflt } : {}) }, name, nameSpan, hasDefault, src(ctx, fn).replace(/\s+/g, ''));
  }
}

// ---------------------------------------------------------------------------------------------
// python-decouple

function decouple(ctx: Ctx): void {
  // `from decouple import config [as c]`, or `config = AutoConfig(...)` / `Config(RepositoryEnv(...))`.
  const funcs = new Set<string>();
  const fromRe = /\bfrom\s+decouple\s+import\b/.test(ctx.text);
  if (fromRe) {
    for (const stmt of ctx.root.namedChildren) {
      if (stmt.type !== 'import_from_statement' || src(ctx, field(stmt, 'module_name') ?? stmt) !== 'decouple') continue;
      for (const c of stmt.childrenForFieldName('name')) {
        if (!c) continue;
        const n = c.type === 'aliased_import' ? field(c, 'name') : c;
        const local = c.type === 'aliased_import' ? field(c, 'alias') : c;
        if (n && local && src(ctx, n) === 'config') funcs.add(src(ctx, local));
      }
    }
    for (const stmt of ctx.root.namedChildren) {
      const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
      const left = a?.type === 'assignment' ? field(a, 'left') : null;
      const r = a ? field(a, 'right') : null;
      const f = r && unparen(r).type === 'call' ? field(unparen(r), 'function') : null;
      if (left?.type === 'identifier' && f && /^(?:decouple\.)?(?:AutoConfig|Config)$/.test(src(ctx, f))) funcs.add(src(ctx, left));
    }
  }
  const viaModule = /\bimport\s+decouple\b/.test(ctx.text);
  if (!funcs.size && !viaModule) return;
  const done = new Set(ctx.hits.map((h) => h.node.id));
  for (const { call, fn, args } of locateCalls(ctx, [{ methods: viaModule ? ['config'] : [], funcs: [...funcs] }])) {
    if (done.has(call.id)) continue;
    const callee = src(ctx, fn).replace(/\s+/g, '');
    if (fn.type === 'attribute' ? callee !== 'decouple.config' : !funcs.has(callee)) continue;
    const a = argList(ctx, args);
    const first = a.positional[0] ?? a.keywords.get('option');
    if (!first) continue;
    const ref = nameRef(ctx, first);
    if (!ref || ref.kind === 'dynamic') {
      if (ref?.kind === 'dynamic' && ref.prefix) ctx.facts.dynamicReads.push({ span: span(call), prefix: ref.prefix });
      continue;
    }
    const dflt = a.keywords.get('default') ?? a.positional[1];
    // decouple raises UndefinedValueError unless a default is given, even `default=None`.
    pushRead(ctx, { kind: 'call', node: call, ...(dflt ? { defaultNode: dflt } : {}) }, ref.name, ref.span, !!dflt, callee);
  }
}
