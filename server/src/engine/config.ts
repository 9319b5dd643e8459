/**
 * `.deploy-preflight.yaml` / `.json`: data only. Nothing in it is executed or required, and
 * every path it names must stay inside the workspace.
 *
 * The file is checked against the published JSON Schema (schemas/deploy-preflight.schema.json,
 * the one editors use), so the CLI, the editor and SchemaStore agree on what is valid. Each
 * problem names its line and column (found in the YAML document, which also reads JSON) and,
 * for a misspelt key, rule id or severity, the nearest valid one. The valid parts still apply:
 * a host decides whether a problem stops it (the CLI exits 2) or is shown (the editor).
 */
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, isMap, isScalar, parse as parseYaml, parseDocument, type Document } from 'yaml';
import { defaultConfig, formatConfigProblem, isRuleSetting, RULE_SETTINGS, type Config, type ConfigProblem } from '../core/config';
import { didYouMean } from './did-you-mean';
import schema from '../../../schemas/deploy-preflight.schema.json';

export { schema as CONFIG_SCHEMA };

function insideRoot(rel: string): boolean {
  const norm = path.posix.normalize(rel.replace(/\\/g, '/'));
  return !path.posix.isAbsolute(norm) && norm !== '..' && !norm.startsWith('../');
}

let validator: ValidateFunction | undefined;
/** Compiled once, on first use (a few milliseconds). */
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true }).compile(schema);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

export interface ParsedConfig {
  config: Config;
  /** Each problem as `file:line:column: message`. */
  problems: string[];
  /** The same problems, structured. */
  details: ConfigProblem[];
}

/** Parses and validates config text. Returns the config (valid parts applied) and its problems; never throws. */
export function parseConfig(text: string, fileName: string): ParsedConfig {
  const config = defaultConfig();
  const details: ConfigProblem[] = [];
  const lines = new LineCounter();
  const at = (offset: number | undefined): { line?: number; column?: number } => {
    if (offset === undefined) return {};
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const problem = (message: string, offset?: number) => details.push({ file: fileName, ...at(offset), message });
  const done = (): ParsedConfig => {
    details.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return { config, details, problems: details.map(formatConfigProblem) };
  };

  let raw: unknown;
  try {
    raw = fileName.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch (err) {
    const e = err as Error & { linePos?: { line: number; col: number }[]; pos?: number[] };
    const first = e.message.split('\n')[0].replace(/:$/, '');
    const pos = e.linePos?.[0] ?? jsonErrorPosition(text, first);
    details.push({ file: fileName, ...(pos ? { line: pos.line, column: pos.col } : {}), message: `cannot parse configuration: ${first}` });
    return done();
  }
  // Positions come from the document (JSON is read as YAML for them; aliases are not expanded).
  let doc: Document | undefined;
  try {
    doc = parseDocument(text, { lineCounter: lines, logLevel: 'silent', uniqueKeys: false });
  } catch {
    doc = undefined;
  }
  if (raw === null || raw === undefined) return done();
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problem('configuration must be a mapping', 0);
    return done();
  }

  for (const e of schemaProblems(validate(raw))) problem(e.message, offsetOf(doc, e.segments, e.key));
  convert(raw as Record<string, unknown>, config, problem, (segments) => offsetOf(doc, segments));
  return done();
}

/** `Unexpected token } in JSON at position 12` → line and column. */
function jsonErrorPosition(text: string, message: string): { line: number; col: number } | undefined {
  const m = /position (\d+)/.exec(message);
  if (!m) return undefined;
  const before = text.slice(0, Number(m[1]));
  return { line: before.split('\n').length, col: before.length - before.lastIndexOf('\n') };
}

/** The offset of the value at `segments` (or of the key `key` in the mapping there). */
function offsetOf(doc: Document | undefined, segments: (string | number)[], key?: string): number | undefined {
  if (!doc) return undefined;
  try {
    const node = segments.length ? doc.getIn(segments, true) : doc.contents;
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return range[0];
    // A key with no value (`rules:`): point at the key.
    if (segments.length) return offsetOf(doc, segments.slice(0, -1), String(segments[segments.length - 1]));
  } catch {
    /* positions are best effort */
  }
  return undefined;
}

interface SchemaProblem {
  message: string;
  segments: (string | number)[];
  /** For an unknown key: the key (its position is the problem's). */
  key?: string;
}

const ROOT_KEYS = Object.keys(schema.properties);
const RULE_IDS = Object.keys(schema.properties.rules.properties);
const SERVICE_KEYS = ['root', 'deploys', 'names'];

function segmentsOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `services.api.deploys[0]` */
function display(segments: (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || 'configuration';
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list', object: 'a mapping', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false',
};

/** Short, quotable form of a value the user wrote (never more than a few dozen characters). */
function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

/** Ajv's errors as one message each, in the user's terms, with did-you-mean where it helps. */
function schemaProblems(errors: ErrorObject[]): SchemaProblem[] {
  const own = narrowAnyOf(errors);
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of own) {
    const segments = segmentsOf(e.instancePath);
    const where = display(segments);
    let p: SchemaProblem | undefined;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        if (segments.length === 0) {
          p = { segments, key, message: `unknown key ${quote(key)} ignored${didYouMean(key, ROOT_KEYS)}` };
        } else if (segments.length === 1 && segments[0] === 'rules') {
          p = { segments, key, message: `unknown rule ${quote(key)}${didYouMean(key, RULE_IDS)}` };
        } else {
          const known = segments[0] === 'services' ? SERVICE_KEYS : segments[0] === 'oauth' ? ['convention'] : [];
          p = { segments, key, message: `${where}: unknown key ${quote(key)} ignored${didYouMean(key, known)}` };
        }
        break;
      }
      case 'enum':
        p = { segments, message: `${where} must be one of ${RULE_SETTINGS.join(', ')}, not ${quote(e.data)}${didYouMean(String(e.data), RULE_SETTINGS)}` };
        break;
      case 'type': {
        const want = String((e.params as { type: string }).type).split(',').filter((t) => t !== 'null');
        p = { segments, message: segments.length ? `${where} must be ${want.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}` : 'configuration must be a mapping' };
        break;
      }
      case 'anyOf':
        p = { segments, message: `${where} must be ${(e.parentSchema as { title?: string }).title ?? 'valid'}` };
        break;
      case 'required':
        p = { segments, message: `${where}.${(e.params as { missingProperty: string }).missingProperty} is required` };
        break;
      case 'pattern':
        p = { segments, message: patternMessage(segments, where, e.data) };
        break;
      case 'minLength':
        p = { segments, message: `${where} must not be empty` };
        break;
      case 'minimum':
        p = { segments, message: `${where} must be a positive whole number` };
        break;
      case 'propertyNames':
        p = { segments, message: `${where}: a name must not be empty` };
        break;
      default:
        p = { segments, message: `${where} ${e.message ?? 'is not valid'}` };
    }
    const k = `${JSON.stringify(p.segments)} ${p.key ?? ''} ${p.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  }
  return out;
}

/** The JSON type of a value, as a schema names it. */
function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
}

/**
 * An anyOf that failed reports every branch's errors too. When the value has the type of one
 * branch (a mapping where a string or a mapping is allowed), that branch's errors are the useful
 * ones (`unknown key "deploy" (did you mean "deploys"?)`); otherwise only the anyOf's own.
 */
function narrowAnyOf(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const a of errors.filter((e) => e.keyword === 'anyOf')) {
    const branches = (a.schema as { type?: string; $ref?: string }[]) ?? [];
    const branchType = (b: { type?: string; $ref?: string }) => b.type ?? (b.$ref ? (schema.definitions as Record<string, { type?: string }>)[b.$ref.split('/').pop()!]?.type : undefined);
    const chosen = branches.findIndex((b) => branchType(b) === typeOf(a.data) || (branchType(b) === 'number' && typeOf(a.data) === 'integer'));
    // A branch's errors sit under the anyOf's schema path, or under a definition it refers to.
    const inBranch = (e: ErrorObject, i: number) => e.schemaPath.startsWith(`${a.schemaPath}/${i}/`) ||
      (!!branches[i].$ref && e.schemaPath.startsWith(`${branches[i].$ref}/`));
    const under = (e: ErrorObject) => (e.instancePath === a.instancePath || e.instancePath.startsWith(`${a.instancePath}/`)) &&
      branches.some((_, i) => inBranch(e, i));
    out = out.filter((e) => {
      if (e === a) return chosen < 0;
      if (!under(e)) return true;
      return chosen >= 0 && inBranch(e, chosen);
    });
  }
  return out;
}

function patternMessage(segments: (string | number)[], where: string, data: unknown): string {
  switch (segments[0]) {
    case 'oauth': return 'oauth.convention must be a string containing {KIND} (and usually {ENV})';
    case 'envAccessors': return `${where} ${quote(data)} must be a dotted call shape like "settings.require"`;
    case 'skipDirs': return `${where} ${quote(data)} must be a folder name, not a path (use ignore or include for paths)`;
    default: return `${where} ${quote(data)} is not valid`;
  }
}

/** Applies the valid parts (the schema has reported the rest); checks what a schema cannot: paths stay inside. */
function convert(obj: Record<string, unknown>, config: Config, problem: (message: string, offset?: number) => void, offset: (segments: (string | number)[]) => number | undefined): void {
  const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : undefined);
  const rules = obj.rules;
  if (rules && typeof rules === 'object' && !Array.isArray(rules)) {
    for (const [id, setting] of Object.entries(rules as Record<string, unknown>)) {
      if (RULE_IDS.includes(id) && isRuleSetting(setting)) config.rules[id] = setting;
    }
  }
  const env = obj.environments;
  if (Array.isArray(env)) {
    for (const name of strings(env) ?? []) config.environments[name] = [name];
  } else if (env && typeof env === 'object') {
    for (const [name, tokens] of Object.entries(env as Record<string, unknown>)) {
      const list = strings(tokens);
      if (name && list) config.environments[name] = list;
    }
  }
  const services = obj.services;
  if (services && typeof services === 'object' && !Array.isArray(services)) {
    for (const [name, s] of Object.entries(services as Record<string, unknown>)) {
      const spec = typeof s === 'string' ? { root: s } : s && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : undefined;
      const root = typeof spec?.root === 'string' && spec.root ? spec.root : undefined;
      if (!root) continue;
      const rootAt = offset(typeof s === 'string' ? ['services', name] : ['services', name, 'root']);
      if (!insideRoot(root)) { problem(`services.${name}.root ${quote(root)} is outside the workspace: refused`, rootAt); continue; }
      const deploys = strings(spec?.deploys);
      (deploys ?? []).forEach((d, i) => {
        if (!insideRoot(d)) problem(`services.${name}.deploys ${quote(d)} is outside the workspace: refused`, offset(['services', name, 'deploys', i]));
      });
      config.services[name] = {
        root: path.posix.normalize(root.replace(/\\/g, '/')).replace(/\/$/, '').replace(/^\.$/, ''),
        deploys: deploys?.filter(insideRoot).map((d) => path.posix.normalize(d)),
        names: strings(spec?.names),
      };
    }
  }
  const oauth = obj.oauth as Record<string, unknown> | null | undefined;
  if (oauth && typeof oauth === 'object' && typeof oauth.convention === 'string' && oauth.convention.includes('{KIND}')) config.oauth.convention = oauth.convention;
  const accessors = strings(obj.envAccessors);
  if (accessors) config.envAccessors = accessors.filter((a) => /^[\w.()]+$/.test(a));
  const ignore = strings(obj.ignore);
  if (ignore) config.ignore = ignore;
  const include = strings(obj.include);
  if (include) config.include = include;
  const skipDirs = strings(obj.skipDirs);
  if (skipDirs) config.skipDirs = skipDirs.filter((d) => !/[/\\]/.test(d));
  if (typeof obj.maxFileBytes === 'number' && Number.isInteger(obj.maxFileBytes) && obj.maxFileBytes > 0) config.maxFileBytes = obj.maxFileBytes;
  const provided = strings(obj.runtimeProvided);
  if (provided) config.runtimeProvided = provided;
}
