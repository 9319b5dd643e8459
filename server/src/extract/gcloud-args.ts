/**
 * Interprets one gcloud command line, given as words, into a DeployFact. Shared by every place
 * a gcloud command can be written: shell scripts, `run:` blocks, Cloud Build `args`, Python
 * argument lists. Callers turn their syntax into `Word`s (static text plus a map back to source
 * offsets); this module only knows gcloud's own grammar.
 */
import * as path from 'node:path';
import type { DeployFact, EnvBlock, EnvWrite, ListSplit, Resolved, SecretMount, Span, WriteValue, BlockKind } from '../core/facts';
import { entryInWords } from './program-entry';
import { exclusiveFlagsUsed } from '../knowledge/platform';
import { secretRef } from '../knowledge/secret-manager';
import { hasMarker } from './workflow-inputs';

/** A value that is a script's default for a variable it never sets (`${GEMINI_API_KEY:-<key>}`):
 * what runs when the caller exports none. `at` spans the `${…}` written. */
export interface CallerDefault { name: string; at: Span }

/** A variable's value standing in a word: characters [from, to) of the word's value came from
 * `name`, assigned at `at` (or written in place, as a default). `entry`: the value of an
 * associative array's entry (`${SECRETS[$name]}`), `at` being where that entry's value is written.
 * `callerDefault`: the value is such a default, directly or through the variables assigned it. */
export interface Expansion { from: number; to: number; name: string; at: Span; entry?: true; callerDefault?: CallerDefault }

export interface Word {
  /** The word's text after unquoting; unresolved expansions are kept as written (`$X`). */
  value: string;
  /** Raw span of the word in the source, quotes included. */
  span: Span;
  /** Source offset of each character of `value`, plus one for its end (length value.length + 1).
   * Null when characters don't map one to one (escapes, joins): entries then get the word's span. */
  offsets: number[] | null;
  /** Holds an expansion or computation whose value we could not see. */
  dynamic: boolean;
  /** The quote the word is written in, when it is one quoted string. */
  quote?: '"' | "'";
  /** The value is the source text of an expression (a Python name or call), not what it holds. */
  expression?: boolean;
  /** Variables expanded into the value (shell), with where each was assigned. */
  expansions?: Expansion[];
  /** The source text of a word that is one resolved variable (`$PROJECT_ID` → `acme-staging`):
   * a fix writes the variable again, as the author did. */
  source?: string;
}

const DEPLOY_COMMANDS: { path: string[]; platform: DeployFact['platform']; amends?: boolean }[] = [
  { path: ['run', 'deploy'], platform: 'cloud-run' },
  { path: ['run', 'services', 'update'], platform: 'cloud-run', amends: true },
  { path: ['run', 'services', 'create'], platform: 'cloud-run' },
  { path: ['run', 'jobs', 'deploy'], platform: 'cloud-run-job' },
  { path: ['run', 'jobs', 'update'], platform: 'cloud-run-job', amends: true },
  { path: ['run', 'jobs', 'create'], platform: 'cloud-run-job' },
  // A function's env flags mean what a service's do (`--set-env-vars` replaces, `--update-env-vars`
  // adds; `--set-secrets`/`--update-secrets`; `--env-vars-file` replaces): gcloud functions deploy
  // reference, https://cloud.google.com/sdk/gcloud/reference/functions/deploy
  { path: ['functions', 'deploy'], platform: 'cloud-function' },
];

const ENV_FLAGS: Record<string, { kind: BlockKind; mode: 'set' | 'update' }> = {
  '--set-env-vars': { kind: 'env', mode: 'set' },
  '--update-env-vars': { kind: 'env', mode: 'update' },
  '--set-secrets': { kind: 'secrets', mode: 'set' },
  '--update-secrets': { kind: 'secrets', mode: 'update' },
};

/** `--set-env-vars`, `--update-secrets`, …: a flag whose value is a `NAME=value` list. */
export const isEnvListFlag = (flag: string): boolean => Object.prototype.hasOwnProperty.call(ENV_FLAGS, flag);

/** Flags that take a value as the next word when not written `--flag=value`. */
const VALUE_FLAGS = new Set([
  ...Object.keys(ENV_FLAGS),
  '--env-vars-file', '--source', '--image', '--project', '--region', '--platform', '--service-account',
  '--memory', '--cpu', '--port', '--concurrency', '--max-instances', '--min-instances', '--timeout',
  '--vpc-connector', '--add-cloudsql-instances', '--set-cloudsql-instances', '--labels', '--tag',
  '--remove-env-vars', '--remove-secrets', '--command', '--args', '--ingress', '--execution-environment',
  '--vpc-egress', '--network', '--subnet', '--tasks', '--max-retries', '--task-timeout',
  '--parallelism', '--service', '--revision-suffix', '--format', '--account', '--impersonate-service-account',
  '--update-labels', '--set-labels', '--base-image', '--function', '--container', '--description',
  // gcloud functions deploy
  '--runtime', '--entry-point', '--trigger-topic', '--trigger-bucket', '--trigger-event', '--trigger-resource',
  '--trigger-event-filters', '--trigger-event-filters-path-pattern', '--trigger-location', '--trigger-service-account',
  '--run-service-account', '--build-service-account', '--ingress-settings', '--egress-settings', '--docker-registry',
  '--docker-repository', '--set-build-env-vars', '--update-build-env-vars', '--remove-build-env-vars',
  '--build-env-vars-file', '--stage-bucket', '--kms-key', '--security-level', '--build-worker-pool', '--max-retries',
]);

export function isGcloudWord(w: Word | undefined): boolean {
  if (!w) return false;
  const v = w.value;
  return v === 'gcloud' || v.endsWith('/gcloud');
}

/** Finds the deploy subcommand after `gcloud` (skipping `beta`/`alpha` and global flags). */
function matchCommand(words: Word[], from: number): { platform: DeployFact['platform']; next: number; amends?: boolean } | undefined {
  const rest: { w: Word; i: number }[] = [];
  for (let i = from; i < words.length && rest.length < 4; i++) {
    const v = words[i].value;
    if (v === 'beta' || v === 'alpha') continue;
    if (v.startsWith('-')) continue;
    rest.push({ w: words[i], i });
  }
  for (const cmd of DEPLOY_COMMANDS) {
    if (cmd.path.every((p, k) => rest[k]?.w.value === p)) {
      return { platform: cmd.platform, next: rest[cmd.path.length - 1].i + 1, amends: cmd.amends };
    }
  }
  return undefined;
}

/**
 * The flag at `words[i]` and where its value is: in the same word (`--flag=value`, from the `=`
 * on), or the next word for a flag of `valueFlags` written apart (`--flag value`); `last` is the
 * index of the last word the flag used. Shared by every command line this folder reads (gcloud,
 * docker build), whose flags follow the same convention.
 */
export function readFlag(words: Word[], i: number, valueFlags: ReadonlySet<string>): { flag: string; value?: Word; from: number; last: number } {
  const v = words[i].value;
  const eq = v.indexOf('=');
  if (eq >= 0) return { flag: v.slice(0, eq), value: words[i], from: eq + 1, last: i };
  // A long flag after it is the next flag, not its value (`--cpu-boost --set-env-vars=…` is no
  // `--cpu-boost` valued `--set-env-vars=…`); only a container's arguments may start so.
  const next = words[i + 1]?.value;
  if (valueFlags.has(v) && next !== undefined && (!next.startsWith('--') || v === '--args' || v === '--command')) return { flag: v, value: words[i + 1], from: 0, last: i + 1 };
  return { flag: v, from: 0, last: i };
}

/**
 * A flag's value made only of variables that hold nothing as the script shows them
 * (`--set-secrets "$SET_SECRETS"` after `SET_SECRETS=${SET_SECRETS:-}`): an empty value is no
 * deploy's list or file, so it is what a caller passes (a wrapper exporting it, a CI step's env).
 */
function callerSupplied(w: Word, from: number): boolean {
  return !w.dynamic && w.value.slice(from) === '' && (!!w.source?.includes('$') || !!w.expansions?.length);
}

/** A word that is one more `NAME=value` entry. */
const STRAY_ENTRY = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** What lies between the end of `a`'s text and the start of `b`'s (`" "`, `'\n    - '`), when both
 * are quoted alike and their offsets known: replaced by the list's delimiter, the two are one word. */
function joinGap(a: Word, b: Word): Span | undefined {
  if (!a.offsets || !b.offsets || a.quote !== b.quote || !a.value.length || !b.value.length) return undefined;
  return { start: a.offsets[a.value.length], end: b.offsets[0] };
}

function subSpan(w: Word, from: number, to: number): Span {
  if (w.offsets && to < w.offsets.length) return { start: w.offsets[from], end: w.offsets[to] };
  return { start: w.span.start, end: w.span.end };
}

function resolved(w: Word, from = 0): Resolved {
  const value = w.value.slice(from);
  return { value: w.dynamic ? undefined : value, text: from === 0 && w.source ? w.source : value, span: subSpan(w, from, w.value.length) };
}

/** The code file a `--command` or `--args` value names: its first item that is a code file's path
 * (`src/worker.ts`), or the module after `-m` (`-m,app.worker` → `app/worker.py`). */
function entryOf(r: Resolved): Resolved | undefined {
  if (r.value === undefined) return undefined;
  const entry = entryInWords(r.value.split(','));
  return entry === undefined ? undefined : { ...r, value: entry };
}

/** `npm` + `run,db:migrate` → `npm run db:migrate`, spanning the command's value. */
function jobCommand(command: Resolved, args: Resolved | undefined): Resolved {
  const words = (r: Resolved | undefined): string[] => (r ? (r.value ?? r.text).split(',').map((x) => x.trim()).filter(Boolean) : []);
  const text = [...words(command), ...words(args)].join(' ');
  return { value: command.value === undefined || (args && args.value === undefined) ? undefined : text, text, span: command.span };
}

/** The first `delimiter` at or after `from` outside a command substitution (`$(…)`, backticks):
 * gcloud splits what the shell wrote, and a substitution's own text is not what it writes.
 * `text.length` when there is none. */
function delimiterOutsideSubstitutions(text: string, delimiter: string, from: number): number {
  let depth = 0;
  let tick = false;
  for (let k = from; k < text.length; k++) {
    const c = text[k];
    if (c === '`') tick = !tick;
    else if (c === '$' && text[k + 1] === '(') { depth++; k++; }
    else if (c === ')' && depth > 0) depth--;
    else if (!tick && depth === 0 && text.startsWith(delimiter, k)) return k;
  }
  return text.length;
}

/** The first command substitution in `value` whose text holds `delimiter`, with its offsets. */
function substitutionHolding(value: string, delimiter: string): { text: string; start: number; end: number } | undefined {
  for (let k = value.indexOf('$('); k >= 0; k = value.indexOf('$(', k + 2)) {
    let depth = 0;
    let end = -1;
    for (let m = k + 1; m < value.length; m++) {
      if (value[m] === '(') depth++;
      else if (value[m] === ')' && --depth === 0) { end = m + 1; break; }
    }
    if (end < 0) return undefined;
    const text = value.slice(k, end);
    if (text.includes(delimiter)) return { text, start: k, end };
    k = end - 2;
  }
  return undefined;
}

/** Splits a gcloud list value (`A=1,B=2` or `^:^A=1,2:B=3`) into entries with source spans. */
export function parseGcloudList(
  w: Word,
  valueStart: number,
  kind: BlockKind,
): { entries: EnvWrite[]; delimiter: string; contentStart: number; mounts: SecretMount[]; split: ListSplit } {
  let delimiter = ',';
  let i = valueStart;
  const text = w.value;
  if (text[i] === '^') {
    const close = text.indexOf('^', i + 1);
    if (close > i + 1) {
      delimiter = text.slice(i + 1, close);
      i = close + 1;
    }
  }
  const contentStart = i;
  const entries: EnvWrite[] = [];
  const mounts: SecretMount[] = [];
  const split: ListSplit = { delimiter, prefix: subSpan(w, valueStart, contentStart), separators: [], refused: [], exact: !!w.offsets, text: text.slice(contentStart), unseen: w.dynamic };
  let before: string | undefined;
  while (i <= text.length) {
    let j = w.dynamic ? delimiterOutsideSubstitutions(text, delimiter, i) : text.indexOf(delimiter, i);
    if (j < 0) j = text.length;
    const item = text.slice(i, j);
    // In a list a command writes (`$(grep -v '^PORT=' .env | tr '\n' ',')`), an `=` inside the
    // command is the command's, not a NAME=VALUE of the list.
    const eqOutside = w.dynamic ? delimiterOutsideSubstitutions(item, '=', 0) : item.indexOf('=');
    const eq = eqOutside === item.length ? -1 : eqOutside;
    // gcloud strips the keys of a list (a YAML folded block joins its lines with a space:
    // `A=1, B=2` sets `B`), not the values.
    const lead = item.length - item.trimStart().length;
    const name = item.slice(lead, eq).trimEnd();
    if (i > contentStart && (eq > lead || !item.trim())) split.separators.push(subSpan(w, i - delimiter.length, i));
    // An item without `NAME=` fails the whole command ("Bad syntax for dict arg"): most often a
    // value holding the delimiter (`ORIGINS=https://a.com,https://b.com`). One whose text we
    // could not see (`$EXTRA`, `$(cat vars.txt)`, a workflow input, `{parts}` in an f-string, a
    // Python expression) may expand to entries.
    if (eq <= lead && item.trim() && !w.expression && !/[$`]/.test(item) && !hasMarker(item) && !(w.dynamic && /[{}]/.test(item))) {
      const at = i + lead;
      // The item came from a variable's value: where that was assigned is what to change.
      const x = w.expansions?.find((e) => e.from <= at && at < e.to);
      split.refused.push({
        text: item.trim(), span: subSpan(w, at, at + item.trim().length), ...(before ? { after: before } : {}),
        ...(x ? { from: { name: x.name, span: x.at } } : {}),
      });
    }
    if (item.length > 0 && eq > lead && name.length > 0) {
      before = name;
      const valueText = item.slice(eq + 1);
      const vStart = i + eq + 1;
      const vSpan = subSpan(w, vStart, j);
      let value: WriteValue;
      const dynamic = w.dynamic && /\$|`/.test(valueText);
      if (kind === 'secrets') {
        value = dynamic
          ? { kind: 'dynamic', text: valueText, span: vSpan }
          : { kind: 'secret', ...secretRef(valueText), span: vSpan };
      } else {
        const callerDefault = dynamic ? undefined : w.expansions?.find((x) => x.callerDefault && x.from === vStart && x.to === j)?.callerDefault;
        value = dynamic ? { kind: 'dynamic', text: valueText, span: vSpan } : { kind: 'literal', value: valueText, span: vSpan, ...(callerDefault ? { callerDefault } : {}) };
      }
      // A value a command writes (`$(echo $LIST | tr ' ' ',')`) is one item in gcloud's reading
      // only if the output holds no delimiter, which nothing here can see: a substitution whose
      // text holds one (a `tr` or `paste -sd,` making a list) most likely writes it.
      const written = w.dynamic && !w.expression && kind === 'env' ? substitutionHolding(valueText, delimiter) : undefined;
      if (written) {
        split.refused.push({
          text: written.text, span: subSpan(w, vStart + written.start, vStart + written.end), after: name, written: true,
        });
      }
      // Secret mounts (`/path=secret:1`) are files, not variables: kept apart, as code may load
      // its variables from one.
      if (!name.startsWith('/')) {
        entries.push({ name, nameSpan: subSpan(w, i + lead, i + lead + name.length), span: subSpan(w, i + lead, j), value });
      } else if (value.kind === 'secret') {
        mounts.push({ path: name, dir: path.posix.dirname(name), secret: value.secret, span: subSpan(w, i + lead, j) });
      }
    }
    if (j >= text.length) break;
    i = j + delimiter.length;
  }
  return { entries, delimiter, contentStart, mounts, split };
}

export interface GcloudContext {
  /** The environment hint implied by where the command sits (a workflow's `environment:`). */
  environmentHints?: DeployFact['environmentHints'];
  via: DeployFact['via'];
}

/**
 * Reads `gcloud run deploy …` from `words[start]` (the `gcloud` word). Returns undefined for
 * any other gcloud command. Blocks get an insertion point at the end of their list.
 */
export function interpretGcloud(words: Word[], start: number, ctx: GcloudContext): DeployFact | undefined {
  if (!isGcloudWord(words[start])) return undefined;
  const cmd = matchCommand(words, start + 1);
  if (!cmd) return undefined;
  const last = words[words.length - 1];
  const fact: DeployFact = {
    platform: cmd.platform,
    via: ctx.via,
    span: { start: words[start].span.start, end: last.span.end },
    environmentHints: [...(ctx.environmentHints ?? [])],
    blocks: [],
    envFiles: [],
  };
  if (cmd.amends) fact.amends = true;
  const flags = new Map<string, Span>();
  let commandWord: Resolved | undefined;
  let argsWord: Resolved | undefined;
  // The env list just read, while only `NAME=value` words follow it (`--set-env-vars A=1 B=2`).
  let list: { flag: string; delimiter: string; last: Word; rejected?: DeployFact['rejected'] } | undefined;
  for (let i = cmd.next; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    if (!v.startsWith('--')) {
      if (!fact.service && !w.dynamic && v.length > 0 && !v.startsWith('-')) fact.service = resolved(w);
      else if (!fact.service && w.dynamic) fact.service = resolved(w);
      else if (list && STRAY_ENTRY.test(v)) {
        // gcloud reads one argument, the service: a second one fails the command
        // ("unrecognized arguments").
        if (!fact.rejected) {
          fact.rejected = { why: 'stray', flag: list.flag, at: w.span, name: v.slice(0, v.indexOf('=')), delimiter: list.delimiter, joins: [] };
          list.rejected = fact.rejected;
        }
        const r = list.rejected;
        const gap = joinGap(list.last, w);
        // An entry holding the delimiter would split once joined (`"ORIGINS=a.com,b.com"`).
        if (r?.joins && gap && !v.slice(0, -list.delimiter.length).includes(list.delimiter)) {
          r.joins.push({ span: gap, text: list.last.value.endsWith(list.delimiter) ? '' : list.delimiter });
        } else if (r) delete r.joins;
        list.last = w;
        continue;
      }
      list = undefined;
      continue;
    }
    list = undefined;
    const { flag, value: written, from: valueFrom, last } = readFlag(words, i, VALUE_FLAGS);
    i = last;
    const valueWord = written && callerSupplied(written, valueFrom) ? { ...written, dynamic: true, value: written.source ?? written.value } : written;
    const flagSpan = subSpan(w, 0, flag.length);
    if (!flags.has(flag)) flags.set(flag, flagSpan);
    if (!valueWord) continue;
    const envFlag = ENV_FLAGS[flag];
    if (envFlag) {
      const { entries, delimiter, mounts, split } = parseGcloudList(valueWord, valueFrom, envFlag.kind);
      if (written === valueWord && !valueWord.dynamic) list = { flag, delimiter, last: valueWord };
      if (mounts.length) (fact.secretMounts ??= []).push(...mounts);
      const valueSpan = subSpan(valueWord, valueFrom, valueWord.value.length);
      const block: EnvBlock = { kind: envFlag.kind, mode: envFlag.mode, span: valueSpan, keySpan: flagSpan, entries };
      if (split.refused.length) {
        block.split = split;
        fact.rejected ??= { why: 'split', flag, delimiter, at: split.refused[0]!.span };
      }
      if (valueWord.offsets && !valueWord.dynamic) {
        block.insert = {
          offset: valueWord.offsets[valueWord.value.length],
          before: entries.length > 0 ? delimiter : '',
          after: '',
          format: 'gcloud-kv',
          delimiter,
          quote: valueWord.quote,
        };
      }
      if (valueWord.dynamic && entries.length === 0) fact.opaque = `${flag} ${valueWord.value}`;
      // The whole list from a reusable workflow's input: its callers write it (model/workflow-calls.ts).
      const listText = valueWord.value.slice(valueFrom);
      if (entries.length === 0 && hasMarker(listText) && !listText.includes('=')) {
        block.listTemplate = listText;
        delete block.insert;
        fact.opaque = `${flag} ${listText}`;
      }
      fact.blocks.push(block);
      continue;
    }
    const r = resolved(valueWord, valueFrom);
    switch (flag) {
      case '--source': fact.source = r; break;
      case '--image': fact.image = r; break;
      case '--project': fact.project = r; break;
      case '--region': fact.region = r; break;
      case '--env-vars-file': fact.envFiles.push(r); fact.envFilesYaml = true; break;
      case '--port': fact.port = r; break;
      case '--command':
      case '--args': {
        fact.ownCommand = true;
        const entry = fact.entry ? undefined : entryOf(r);
        if (entry) fact.entry = entry;
        if (flag === '--command') commandWord = r;
        else argsWord = r;
        break;
      }
      default: break;
    }
  }
  // `--command uvicorn --args app.worker:app,--port,8080`: the two are one command line.
  if (!fact.entry && commandWord?.value !== undefined && argsWord?.value !== undefined) {
    const entry = entryInWords([...commandWord.value.split(','), ...argsWord.value.split(',')]);
    if (entry) fact.entry = { ...argsWord, value: entry };
  }
  // A job told to run a command that names no code file (`--command npm --args run,db:migrate`):
  // a task of its own (a migration, a seed), not the program the image starts.
  if (commandWord && !fact.entry && fact.platform === 'cloud-run-job') fact.command = jobCommand(commandWord, argsWord);
  const exclusive = exclusiveFlagsUsed(flags);
  if (exclusive) fact.rejected ??= { why: 'exclusive', flag: exclusive.second, other: exclusive.first, at: flags.get(exclusive.second)! };
  return fact;
}

/** `gcloud secrets create …`: it fails where the secret exists (ALREADY_EXISTS), so a value it
 * stores reaches only a project that does not have the secret yet. */
export function createsSecret(words: Word[], start: number): boolean {
  const rest = words.slice(start + 1).filter((w) => w.value !== 'beta' && w.value !== 'alpha');
  return rest[0]?.value === 'secrets' && rest[1]?.value === 'create';
}

/** `gcloud secrets create NAME --data-file=-` / `gcloud secrets versions add NAME --data-file=-`:
 * the secret a command writes from its standard input. */
export function interpretSecretFromStdin(words: Word[], start: number): Resolved | undefined {
  if (!isGcloudWord(words[start])) return undefined;
  const rest = words.slice(start + 1).filter((w) => w.value !== 'beta' && w.value !== 'alpha');
  const verb = rest[0]?.value === 'secrets' && (rest[1]?.value === 'create' ? 2 : rest[1]?.value === 'versions' && rest[2]?.value === 'add' ? 3 : 0);
  if (!verb) return undefined;
  const name = rest[verb];
  if (!name || name.value.startsWith('-')) return undefined;
  const stdin = rest.some((w, i) => w.value === '--data-file=-' || (w.value === '--data-file' && rest[i + 1]?.value === '-'));
  return stdin ? resolved(name) : undefined;
}

