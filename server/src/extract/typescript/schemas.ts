/**
 * Schema-validated reads (zod, valibot, envalid, t3-env, AdonisJS's `Env.create`), from the syntax
 * alone: which reads a whole-environment schema declares, and whether the schema a single read is passed to accepts
 * its absence (a default or `.optional()` makes the read one with a default).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import { calleeName, calleeNamed, climb, objectProperty, propName, strip } from './syntax';

/** t3-env: where `createEnv` takes the runtime values, and the schema groups keyed like them. */
const T3_RUNTIME = ['runtimeEnv', 'runtimeEnvStrict', 'experimental__runtimeEnv'];
const T3_GROUPS = ['server', 'client', 'shared'];
/** zod's parse methods: `schema.parse(process.env.X)`. */
const SCHEMA_PARSE = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'spa']);
/** Chain links that give a value when the input is undefined. */
const SCHEMA_VALUE = new Set(['default', 'catch', 'prefault']);
/** Chain links that accept undefined as it is. */
const SCHEMA_OPTIONAL = new Set(['optional', 'nullish']);
/** Chain links that make a missing value an error again (`.optional().unwrap()`). */
const SCHEMA_REQUIRED = new Set(['unwrap', 'removeDefault', 'nonoptional']);

/** How a schema treats a missing (undefined) input: `value` (`.default(x)`, `.catch(x)`) carries the fallback. */
export interface SchemaMissing { kind: 'value' | 'optional'; value?: ts.Expression }

/** A key of a whole-environment schema (`X: z.string()`, `X: str({ default })`): a read of `X`. */
export interface SchemaEntry {
  entry: ts.PropertyAssignment | ts.ShorthandPropertyAssignment;
  hasDefault: boolean;
  via: 'zod' | 'valibot' | 'envalid' | 't3-env' | 'adonis';
  /** envalid's `default:` value: a literal there is the variable's value. */
  defaultValue?: ts.Expression;
  /** zod's (and t3-env's zod) `.default(x)` / `.catch(x)` value, when the missing value is one. */
  fallback?: ts.Expression;
  /** The environment object validated (`process.env`, `import.meta.env`). */
  source?: string;
}

type Lookup = (name: string) => ts.Expression | undefined;

export class Schemas {
  /**
   * @param topConst the initializer of a top-level `const` (schemas are often declared once and reused)
   * @param envVia `process.env` / `import.meta.env`, or a local alias of them in scope
   */
  constructor(private readonly topConst: Lookup, private readonly envVia: (e: ts.Expression) => string | undefined) {}

  /**
   * Whether the read `read` is validated by a schema that accepts its absence: zod
   * `z.coerce.number().default(3000).parse(<read>)` / `.optional().parse(<read>)`, or a t3-env
   * `runtimeEnv: { X: <read> }` entry whose `server`/`client`/`shared` schema for `X` is optional
   * or defaulted. Only the read passed straight to the parse counts.
   */
  whenMissing(read: ts.Node): SchemaMissing | undefined {
    const p = read.parent;
    if (ts.isCallExpression(p) && p.arguments[0] === read) {
      const callee = strip(p.expression);
      if (ts.isPropertyAccessExpression(callee) && SCHEMA_PARSE.has(callee.name.text)) return schemaMissing(callee.expression, this.topConst);
    } else if (ts.isPropertyAssignment(p) && p.initializer === read) {
      const schema = this.t3Schema(p);
      if (schema) return schemaMissing(schema, this.topConst);
      return this.parsedField(p);
    }
    return undefined;
  }

  /**
   * The keys of a whole-environment schema, when `n` is one: envalid `cleanEnv(process.env, { X: str({ default }) })`,
   * zod `z.object({ X: ... }).parse(process.env)`, t3-env `createEnv({ server: {...}, runtimeEnv: process.env })`.
   */
  entries(n: ts.CallExpression): SchemaEntry[] | undefined {
    const a0 = n.arguments[0];
    if (!a0) return undefined;
    if (calleeNamed(n, ['cleanEnv'])) {
      const spec = n.arguments[1] ? this.objectOf(n.arguments[1]) : undefined;
      const source = this.envVia(a0);
      if (!spec || !source) return undefined;
      const out: SchemaEntry[] = [];
      for (const p of spec.properties) {
        const e = this.envalidEntry(p);
        if (e) out.push({ ...e, source });
      }
      return out;
    }
    const callee = strip(n.expression);
    // zod: `schema.parse(process.env)` (valibot's `v.parse(schema, process.env)` is below).
    const source = ts.isPropertyAccessExpression(callee) && SCHEMA_PARSE.has(callee.name.text) ? this.envVia(a0) : undefined;
    if (source && ts.isPropertyAccessExpression(callee)) {
      const shape = this.zodObjectShape(callee.expression);
      if (!shape) return undefined;
      const out: SchemaEntry[] = [];
      for (const p of shape.fields) {
        if (ts.isPropertyAssignment(p)) {
          const missing = shape.all ? undefined : schemaMissing(p.initializer, this.topConst);
          out.push({ entry: p, hasDefault: shape.all ?? missing !== undefined, via: 'zod', source, ...(missing?.value ? { fallback: missing.value } : {}) });
        }
      }
      return out;
    }
    // valibot: `v.parse(v.object({ X: v.string() }), process.env)` (the schema first, the input second).
    if (n.arguments.length >= 2 && VALIBOT_PARSE.has(calleeName(n) ?? '')) {
      const source = this.envVia(n.arguments[1]);
      const shape = source ? this.valibotObject(a0) : undefined;
      if (!source || !shape) return undefined;
      const out: SchemaEntry[] = [];
      for (const p of shape.properties) {
        if (ts.isPropertyAssignment(p)) out.push({ entry: p, hasDefault: valibotAcceptsMissing(p.initializer), via: 'valibot', source });
      }
      return out;
    }
    // AdonisJS: `Env.create(new URL('../', import.meta.url), { PORT: Env.schema.number(),
    // SMTP_HOST: Env.schema.string.optional() })`, which the app validates when it boots.
    if (n.arguments.length >= 2 && isAdonisCreate(n)) {
      const spec = this.objectOf(n.arguments[1]!);
      if (!spec) return undefined;
      return spec.properties.filter(ts.isPropertyAssignment).map((p) => ({ entry: p, hasDefault: adonisOptional(p.initializer), via: 'adonis' as const }));
    }
    if (calleeNamed(n, ['createEnv'])) {
      const opts = this.objectOf(a0);
      const runtime = opts && (objectProperty(opts, 'runtimeEnv') ?? objectProperty(opts, 'runtimeEnvStrict'));
      const source = opts && runtime ? this.envVia(runtime.initializer) : undefined;
      if (!opts || !runtime || !source) return undefined;
      const out: SchemaEntry[] = [];
      for (const group of T3_GROUPS) {
        const g = objectProperty(opts, group);
        const shape = g && this.objectOf(g.initializer);
        if (!shape) continue;
        for (const p of shape.properties) {
          if (!ts.isPropertyAssignment(p)) continue;
          const missing = schemaMissing(p.initializer, this.topConst);
          out.push({ entry: p, hasDefault: missing !== undefined, via: 't3-env', source, ...(missing?.value ? { fallback: missing.value } : {}) });
        }
      }
      return out;
    }
    return undefined;
  }

  /** `X: str({ default: 'x' })` in an envalid spec. `devDefault` alone is no default: envalid uses it only when NODE_ENV is set and not `production`. */
  private envalidEntry(p: ts.ObjectLiteralElementLike): SchemaEntry | undefined {
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) return undefined;
    const name = propName(p.name);
    const value = ts.isPropertyAssignment(p) ? p.initializer : name ? this.topConst(name) : undefined;
    const v = value ? strip(value) : undefined;
    const options = v && ts.isCallExpression(v) && v.arguments[0] ? strip(v.arguments[0]) : undefined;
    const def = options && ts.isObjectLiteralExpression(options) ? objectProperty(options, 'default') : undefined;
    return def ? { entry: p, hasDefault: true, via: 'envalid', defaultValue: def.initializer } : { entry: p, hasDefault: false, via: 'envalid' };
  }

  /** For `X: <read>` in `createEnv({ runtimeEnv: { ... } })`: the schema declared for `X` under `server`/`client`/`shared`. */
  private t3Schema(entry: ts.PropertyAssignment): ts.Expression | undefined {
    const key = propName(entry.name);
    const runtime = climb(entry.parent).parent;
    if (!key || !ts.isPropertyAssignment(runtime) || !T3_RUNTIME.includes(propName(runtime.name) ?? '')) return undefined;
    const opts = climb(runtime.parent);
    const call = opts.parent;
    if (!ts.isObjectLiteralExpression(runtime.parent) || !ts.isCallExpression(call) || call.arguments[0] !== opts ||
        !calleeNamed(call, ['createEnv'])) return undefined;
    for (const group of T3_GROUPS) {
      const g = objectProperty(runtime.parent, group);
      const shape = g && this.objectOf(g.initializer);
      const field = shape && objectProperty(shape, key);
      if (field) return field.initializer;
    }
    return undefined;
  }

  /**
   * A value of an object literal handed straight to a zod object schema's parse, keyed by the
   * schema's own field names (`envSchema.parse({ jwtIssuer: process.env.JWT_ISSUER })`): how that
   * field treats a missing value.
   */
  private parsedField(entry: ts.PropertyAssignment): SchemaMissing | undefined {
    const key = propName(entry.name);
    const obj = climb(entry.parent);
    const call = obj.parent;
    if (!key || !ts.isObjectLiteralExpression(entry.parent) || !ts.isCallExpression(call) || call.arguments[0] !== obj) return undefined;
    const callee = strip(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !SCHEMA_PARSE.has(callee.name.text)) return undefined;
    const shape = this.zodObjectShape(callee.expression);
    if (!shape) return undefined;
    if (shape.all !== undefined) return shape.all ? { kind: 'optional' } : undefined;
    const field = shape.fields.find((f): f is ts.PropertyAssignment => ts.isPropertyAssignment(f) && propName(f.name) === key);
    return field ? schemaMissing(field.initializer, this.topConst) : undefined;
  }

  /** The fields of `z.object({...})` at the root of a chain (`.strict()`, `.extend({...})`); `all` when `.partial()`/`.required()` decide for every field. */
  private zodObjectShape(e: ts.Expression): { fields: ts.ObjectLiteralElementLike[]; all?: boolean } | undefined {
    const fields: ts.ObjectLiteralElementLike[] = [];
    let all: boolean | undefined;
    let s = strip(e);
    for (let guard = 0; guard < 100; guard++) {
      if (ts.isIdentifier(s)) {
        const bound = this.topConst(s.text);
        if (!bound) return undefined;
        s = strip(bound);
        continue;
      }
      if (!ts.isCallExpression(s)) return undefined;
      const callee = strip(s.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const method = callee.name.text;
      const arg = s.arguments[0] ? this.objectOf(s.arguments[0]) : undefined;
      if (method === 'object' || method === 'strictObject' || method === 'looseObject') {
        if (!arg) return undefined;
        fields.push(...arg.properties);
        return { fields, ...(all !== undefined ? { all } : {}) };
      }
      if (method === 'extend' && arg) fields.push(...arg.properties);
      else if ((method === 'partial' || method === 'required') && all === undefined) {
        if (s.arguments.length) return undefined; // a key mask: not followed
        all = method === 'partial';
      } else if (method === 'pick' || method === 'omit' || method === 'merge' || method === 'extend') return undefined;
      s = strip(callee.expression);
    }
    return undefined;
  }

  /** The fields of a valibot `object({...})` (`strictObject`, `looseObject`), directly or through a top-level `const`. */
  private valibotObject(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
    const s = this.throughConst(e);
    if (!s || !ts.isCallExpression(s) || !['object', 'strictObject', 'looseObject'].includes(calleeName(s) ?? '') || !s.arguments[0]) return undefined;
    return this.objectOf(s.arguments[0]);
  }

  /** An object literal, directly or through a top-level `const`. */
  private objectOf(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
    const s = this.throughConst(e);
    return s && ts.isObjectLiteralExpression(s) ? s : undefined;
  }

  /** `e` without wrappers, or what the top-level `const` it names is bound to; undefined for another name. */
  private throughConst(e: ts.Expression): ts.Expression | undefined {
    const s = strip(e);
    if (!ts.isIdentifier(s)) return s;
    const bound = this.topConst(s.text);
    return bound ? strip(bound) : undefined;
  }
}

/** valibot's parse functions: `v.parse(schema, input)`. */
const VALIBOT_PARSE = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync']);
/** valibot wrappers that accept a missing value (`v.optional(v.string(), 'x')` also gives one). */
const VALIBOT_OPTIONAL = new Set(['optional', 'nullish', 'exactOptional', 'undefinedable']);

/** A valibot field schema accepts a missing value: it is wrapped whole in `optional(…)` (or
 * `nullish`), possibly inside a `pipe(…)` whose first schema is. */
function valibotAcceptsMissing(e: ts.Expression): boolean {
  const s = strip(e);
  if (!ts.isCallExpression(s)) return false;
  const name = calleeName(s);
  if (name && VALIBOT_OPTIONAL.has(name)) return true;
  return name === 'pipe' && !!s.arguments[0] && valibotAcceptsMissing(s.arguments[0]);
}

/**
 * Whether the schema expression `e` (`z.coerce.number().default(3000)`, `z.string().optional()`,
 * `Port` bound by a top-level `const`) accepts a missing value. Only the method chain counts, read
 * from the outside in: `z.array(z.string().optional())` is required, `.optional().unwrap()` too.
 */
function schemaMissing(e: ts.Expression, lookup: Lookup, depth = 0): SchemaMissing | undefined {
  let s = strip(e);
  for (let guard = 0; guard < 200 && depth < 8; guard++) {
    if (ts.isCallExpression(s)) {
      const callee = strip(s.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined; // `string()`, `f(x)`: the chain's root
      const method = callee.name.text;
      if (SCHEMA_VALUE.has(method)) return s.arguments.length ? { kind: 'value', value: s.arguments[0] } : { kind: 'value' };
      if (SCHEMA_OPTIONAL.has(method)) return { kind: 'optional' };
      if (SCHEMA_REQUIRED.has(method)) return undefined;
      // `z.preprocess(clean, z.string().optional())`: the schema the cleaned input meets is the second argument.
      if (method === 'preprocess' && s.arguments.length >= 2) return schemaMissing(s.arguments[1], lookup, depth + 1);
      if (method === 'pipe' && s.arguments.length) {
        // `a.pipe(b)`: a fallback from `a` flows into `b`; undefined passed on must suit `b` too.
        const inner = schemaMissing(callee.expression, lookup, depth + 1);
        if (!inner || inner.kind === 'value') return inner;
        return schemaMissing(s.arguments[0], lookup, depth + 1);
      }
      s = strip(callee.expression);
      continue;
    }
    if (ts.isPropertyAccessExpression(s)) { // `z.coerce`
      s = strip(s.expression);
      continue;
    }
    if (ts.isIdentifier(s)) {
      const bound = lookup(s.text);
      if (!bound) return undefined;
      s = strip(bound);
      depth++;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** `Env.create(new URL(…), {…})`: AdonisJS's validated environment. */
function isAdonisCreate(n: ts.CallExpression): boolean {
  const callee = strip(n.expression);
  const root = n.arguments[0] ? strip(n.arguments[0]) : undefined;
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'create' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Env' &&
    !!root && ts.isNewExpression(root) && ts.isIdentifier(root.expression) && root.expression.text === 'URL';
}

/** `Env.schema.string.optional()`, `Env.schema.boolean.optionalWhen(…)`: absence is accepted. */
function adonisOptional(e: ts.Expression): boolean {
  for (let s = strip(e), guard = 0; guard < 20 && (ts.isCallExpression(s) || ts.isPropertyAccessExpression(s)); guard++, s = strip(s.expression)) {
    if (ts.isPropertyAccessExpression(s) && (s.name.text === 'optional' || s.name.text === 'optionalWhen')) return true;
  }
  return false;
}
