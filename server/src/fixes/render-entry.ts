/**
 * Renders one new env entry in the syntax of the container it goes into (see `EntryFormat` in
 * core/facts.ts). Returns `ins.before + entry + ins.after`, or undefined when the value cannot
 * be written safely in that syntax: a fix that would change the value's meaning (a `$` expanded by
 * the shell, a comma splitting a gcloud list) is worse than no fix.
 */
import { parse as parseYaml } from 'yaml';
import type { Insertion } from '../core/facts';
import { placeholderFor } from '../knowledge/secrets';

/** What a fix wants to write as the value of a new entry. */
export type InsertValue =
  | { kind: 'literal'; value: string }
  /** Source text in the target's own language (`self.project_id`, `${PROJECT_ID}`); `file`: the
   * file where it means something (a script's own variable), when it is not everywhere. */
  | { kind: 'expression'; text: string; file?: string }
  | { kind: 'secret'; secret: string; version?: string }
  /** A value the user must fill in: rendered as a clearly marked placeholder. */
  | { kind: 'placeholder' };

type Value = { kind: 'literal'; value: string } | { kind: 'expression'; text: string } | { kind: 'secret'; secret: string; version: string };

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.\-]*$/;
const SECRET_RE = /^[A-Za-z0-9_\-/]+$/;
const VERSION_RE = /^[A-Za-z0-9_\-]+$/;
/** A Cloud Build / shell substitution written as-is: `$PROJECT_ID`, `${_REGION}`. */
const SUBSTITUTION_RE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x1f\x7f]/;
/** Characters that need quoting in a shell word. */
const SHELL_SPECIAL_RE = /[\s|&;<>()$`\\"'*?[\]#~{}!]/;

function normalise(name: string, v: InsertValue): Value {
  switch (v.kind) {
    case 'placeholder':
      return { kind: 'literal', value: placeholderFor(name) };
    case 'secret':
      return { kind: 'secret', secret: v.secret, version: v.version ?? 'latest' };
    case 'expression':
      return { kind: 'expression', text: v.text };
    default:
      return v;
  }
}

/** Escapes for a shell double-quoted string. */
const shellDq = (s: string): string => s.replace(/[\\"$`]/g, (c) => '\\' + c);

/** A whole shell word holding `s` literally: bare when safe, else double-quoted. */
function shellWord(s: string): string {
  return SHELL_SPECIAL_RE.test(s) ? `"${shellDq(s)}"` : s;
}

/** A Python / YAML string literal with quote `q` holding `s`; undefined when unsafe. */
function stringLiteral(s: string, q: string, lang: 'python' | 'yaml' | 'both'): string | undefined {
  if (q === "'") {
    if (lang === 'yaml') {
      if (CONTROL_RE.test(s)) return stringLiteral(s, '"', lang);
      return `'${s.replace(/'/g, "''")}'`;
    }
    if (lang === 'both') {
      // Python and YAML single quotes escape differently: only write what reads the same in both.
      if (/['\\]/.test(s) || CONTROL_RE.test(s)) return undefined;
      return `'${s}'`;
    }
  } else if (q !== '"') {
    return undefined;
  }
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (c === '\\') out += '\\\\';
    else if (c === q) out += '\\' + q;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += c;
  }
  return `${q}${out}${q}`;
}

/** YAML 1.1 words some parsers (Kubernetes, Cloud Run) read as booleans or null. */
const YAML_SPECIAL_WORDS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

/** A YAML scalar for `s`: plain when every YAML reader takes it as this exact string. */
function yamlScalar(s: string, q: string): string | undefined {
  const plainOk =
    /^[A-Za-z_$/][A-Za-z0-9_$./@%+=\-]*$/.test(s) && !YAML_SPECIAL_WORDS.test(s) && yamlReadsAs(s, s);
  if (plainOk) return s;
  return stringLiteral(s, q === "'" ? "'" : '"', 'yaml');
}

function yamlReadsAs(scalar: string, expected: string): boolean {
  try {
    return parseYaml(`k: ${scalar}\n`)?.k === expected;
  } catch {
    return false;
  }
}

function gcloudItem(name: string, v: Value): string {
  if (v.kind === 'secret') return `${name}=${v.secret}:${v.version}`;
  return `${name}=${v.kind === 'literal' ? v.value : v.text}`;
}

/** `--update-env-vars=NAME=value`, with the `^DELIM^` form when the value holds a comma. */
function gcloudFlag(flag: string, name: string, v: Value): string | undefined {
  const item = gcloudItem(name, v);
  if (v.kind !== 'literal' || !item.includes(',')) return `${flag}=${item}`;
  const delim = ['@', ':', ';', '|', '%', '+', '~'].find((d) => !item.includes(d));
  return delim ? `${flag}=^${delim}^${item}` : undefined;
}

function validSecret(v: Value): boolean {
  return v.kind !== 'secret' || (SECRET_RE.test(v.secret) && VERSION_RE.test(v.version));
}

/** Characters a PowerShell string (either quote) holds as they are, a comma list's included. */
const POWERSHELL_PLAIN_RE = /^[\w.:/@+=^,-]*$/;
/** `$ProjectId` / `${ProjectId}`: a PowerShell variable, expanded inside double quotes. */
const POWERSHELL_VARIABLE_RE = /^\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})$/;

/** An entry in a PowerShell script: only text that needs no escaping, inside quotes (bare, a
 * comma would make an array of the argument). */
function renderPowerShellEntry(ins: Insertion, name: string, v: Value): string | undefined {
  const expression = v.kind === 'expression';
  if (expression && !POWERSHELL_VARIABLE_RE.test(v.text)) return undefined;
  switch (ins.format) {
    case 'gcloud-kv': {
      const text = v.kind === 'literal' ? v.value : v.kind === 'expression' ? v.text : `${v.secret}:${v.version}`;
      if (text.includes(ins.delimiter ?? ',') || !ins.quote || (expression && ins.quote !== '"')) return undefined;
      return POWERSHELL_PLAIN_RE.test(expression ? name : `${name}=${text}`) ? `${name}=${text}` : undefined;
    }
    case 'gcloud-flag-env':
    case 'gcloud-flag-secret': {
      const secretFormat = ins.format === 'gcloud-flag-secret';
      if ((v.kind === 'secret') !== secretFormat) return undefined;
      const flag = gcloudFlag(secretFormat ? '--update-secrets' : '--update-env-vars', name, v);
      if (!flag) return undefined;
      const plain = expression ? flag.slice(0, flag.length - v.text.length) : flag;
      return POWERSHELL_PLAIN_RE.test(plain) ? `"${flag}"` : undefined;
    }
    default:
      return undefined;
  }
}

function renderEntry(ins: Insertion, name: string, v: Value): string | undefined {
  if (ins.dialect === 'powershell') return renderPowerShellEntry(ins, name, v);
  switch (ins.format) {
    case 'gcloud-kv': {
      const delimiter = ins.delimiter ?? ',';
      const text = v.kind === 'literal' ? v.value : v.kind === 'expression' ? v.text : `${v.secret}:${v.version}`;
      if (text.includes(delimiter) || CONTROL_RE.test(text)) return undefined;
      if (ins.quote === '"') {
        if (v.kind === 'expression') return /["\s]/.test(text) ? undefined : `${name}=${text}`;
        return `${name}=${shellDq(text)}`;
      }
      if (ins.quote === "'") {
        if (v.kind === 'expression' || text.includes("'")) return undefined;
        return `${name}=${text}`;
      }
      if (ins.quote !== undefined) return undefined;
      if (v.kind === 'expression') return /[\s"'`;&|<>()]/.test(text) ? undefined : `${name}=${text}`;
      return SHELL_SPECIAL_RE.test(text) ? undefined : `${name}=${text}`;
    }
    case 'gcloud-flag-env':
    case 'gcloud-flag-secret': {
      const secretFormat = ins.format === 'gcloud-flag-secret';
      if ((v.kind === 'secret') !== secretFormat) return undefined;
      const flag = gcloudFlag(secretFormat ? '--update-secrets' : '--update-env-vars', name, v);
      if (!flag || CONTROL_RE.test(flag)) return undefined;
      if (v.kind === 'expression') {
        // `$PROJECT_ID` must stay expandable: double quotes, no escaping of the expression.
        if (/["\\`]/.test(v.text)) return undefined;
        return /[\s|&;<>()*?[\]#~!'{}$]/.test(flag) ? `"${flag}"` : flag;
      }
      return shellWord(flag);
    }
    case 'gcloud-arg-env':
    case 'gcloud-arg-secret': {
      const secretFormat = ins.format === 'gcloud-arg-secret';
      if ((v.kind === 'secret') !== secretFormat) return undefined;
      if (v.kind === 'expression' && !SUBSTITUTION_RE.test(v.text)) return undefined;
      const flag = gcloudFlag(secretFormat ? '--update-secrets' : '--update-env-vars', name, v);
      if (!flag || CONTROL_RE.test(flag)) return undefined;
      return stringLiteral(flag, ins.quote ?? '"', 'both');
    }
    case 'dotenv': {
      if (v.kind === 'secret') return undefined;
      if (v.kind === 'expression') {
        if (/^[^\s#"'`\\]+$/.test(v.text)) return `${name}=${v.text}`;
        return /["\\\n\r]/.test(v.text) ? undefined : `${name}="${v.text}"`;
      }
      const s = v.value;
      if (/^[^\s#"'`\\$]+$/.test(s)) return `${name}=${s}`;
      if (s.includes('$')) {
        // Double quotes expand `${...}` in python-dotenv and compose: use single quotes.
        if (/['\\\n\r]/.test(s)) return undefined;
        return `${name}='${s}'`;
      }
      return `${name}="${s.replace(/[\\"\n\r]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\' + c))}"`;
    }
    case 'python-dict': {
      const key = stringLiteral(name, ins.quote ?? '"', 'python');
      if (!key) return undefined;
      if (v.kind === 'secret') return undefined;
      if (v.kind === 'expression') return /[\n\r]/.test(v.text) ? undefined : `${key}: ${v.text}`;
      const val = stringLiteral(v.value, ins.quote ?? '"', 'python');
      return val && `${key}: ${val}`;
    }
    case 'yaml-env-list': {
      const q = ins.quote ?? '"';
      const ind = (ins.indent ?? '') + '  ';
      if (v.kind === 'secret') {
        const secret = yamlScalar(v.secret, q);
        const key = yamlScalar(v.version, q);
        if (!secret || !key) return undefined;
        return `- name: ${name}\n${ind}valueFrom:\n${ind}  secretKeyRef:\n${ind}    name: ${secret}\n${ind}    key: ${key}`;
      }
      const scalar = yamlScalar(v.kind === 'literal' ? v.value : v.text, q);
      return scalar && `- name: ${name}\n${ind}value: ${scalar}`;
    }
    case 'yaml-map': {
      if (v.kind === 'secret') return undefined;
      const scalar = yamlScalar(v.kind === 'literal' ? v.value : v.text, ins.quote ?? '"');
      return scalar && `${name}: ${scalar}`;
    }
    case 'yaml-list-kv': {
      if (v.kind === 'secret') return undefined;
      const item = `${name}=${v.kind === 'literal' ? v.value : v.text}`;
      const scalar = yamlScalar(item, ins.quote ?? '"');
      return scalar && `- ${scalar}`;
    }
    case 'kv-lines': {
      const text = v.kind === 'literal' ? v.value : v.kind === 'expression' ? v.text : `${v.secret}:${v.version}`;
      // One entry per line; commas separate entries in deploy-cloudrun's parser.
      if (CONTROL_RE.test(text) || /[,\\]/.test(text)) return undefined;
      return `${name}=${text}`;
    }
    case 'terraform-env':
    case 'terraform-env-v1':
      return terraformEnv(ins, name, v, ins.format === 'terraform-env-v1');
    default:
      return undefined;
  }
}

/** An HCL quoted string holding `s` literally: escapes, and `${`/`%{` doubled so nothing interpolates. */
function hclString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = c.charCodeAt(0);
    if (c === '\\' || c === '"') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\u' + code.toString(16).padStart(4, '0');
    else if ((c === '$' || c === '%') && s[i + 1] === '{') out += c + c;
    else out += c;
  }
  return `"${out}"`;
}

/** A Terraform reference (`var.project_id`, `local.project`, `each.value.project`). */
const HCL_TRAVERSAL_RE = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)+$/;
/** One `${reference}` of a template. */
const HCL_INTERPOLATION_RE = /\$\{[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)+\}/g;

/** An expression in Terraform's syntax: a reference as is, a template of references in quotes;
 * undefined for anything else (a `$PROJECT_ID` from another file's syntax means nothing here). */
function hclExpression(text: string): string | undefined {
  if (HCL_TRAVERSAL_RE.test(text)) return text;
  const rest = text.replace(HCL_INTERPOLATION_RE, '');
  if (rest === text || /[$%]\{|["\\]/.test(rest) || CONTROL_RE.test(rest)) return undefined;
  return `"${text}"`;
}

/** A new `env` block of a Cloud Run resource (`v1`: google_cloud_run_service's `value_from`). */
function terraformEnv(ins: Insertion, name: string, v: Value, v1: boolean): string | undefined {
  const i = ins.indent ?? '';
  const u = ins.indentUnit ?? '  ';
  if (v.kind === 'secret') {
    const [secretKey, versionKey] = v1 ? ['name', 'key'] : ['secret', 'version'];
    const width = Math.max(secretKey.length, versionKey.length);
    return [
      'env {',
      `${i}${u}name = ${hclString(name)}`,
      `${i}${u}${v1 ? 'value_from' : 'value_source'} {`,
      `${i}${u}${u}secret_key_ref {`,
      `${i}${u}${u}${u}${secretKey.padEnd(width)} = ${hclString(v.secret)}`,
      `${i}${u}${u}${u}${versionKey.padEnd(width)} = ${hclString(v.version)}`,
      `${i}${u}${u}}`,
      `${i}${u}}`,
      `${i}}`,
    ].join('\n');
  }
  const value = v.kind === 'literal' ? hclString(v.value) : hclExpression(v.text);
  if (value === undefined) return undefined;
  return ['env {', `${i}${u}name  = ${hclString(name)}`, `${i}${u}value = ${value}`, `${i}}`].join('\n');
}

/** The full text to insert at `ins.offset`, or undefined when the value can't be written safely. */
export function renderInsertion(ins: Insertion, name: string, value: InsertValue): string | undefined {
  if (!NAME_RE.test(name)) return undefined;
  const v = normalise(name, value);
  if (!validSecret(v)) return undefined;
  const entry = renderEntry(ins, name, v);
  return entry === undefined ? undefined : ins.before + entry + ins.after;
}
