/**
 * GitHub Actions workflows: `google-github-actions/deploy-cloudrun` steps (`with.env_vars`,
 * `with.secrets` as `KEY=value` lines or comma lists, `with.flags` as extra gcloud flags) and
 * `run:` steps that call gcloud (read by the shell extractor on a shadow text). Environment
 * hints come from the job's `environment:` and `ENVIRONMENT: staging`-style workflow/job `env:`.
 */
import type { Node, YAMLMap } from 'yaml';
import type { BuildFact, DeployFact, EnvBlock, EnvWrite, Insertion, Resolved, Span, WriteValue } from '../core/facts';
import { interpretGcloud, type Word } from './gcloud-args';
import { namesEnvironment } from '../knowledge/environments';
import { mentionsImageBuild } from './shell';
import { addHintsFromEntries, asMap, asSeq, columnOf, dbUrlsInPart, getNode, lineEndAfter, mapGet, mapPairs, nodeSpan, runShellOn, scalarText, spaces, str, subSpan, type ScalarText, type YamlCtx } from './yaml-util';

export function isWorkflow(text: string, root: unknown): boolean {
  const jobs = asMap(getNode(root, 'jobs'));
  if (!jobs || !mapGet(root, 'on')) return false;
  return mapPairs(jobs).some((j) => !!mapGet(j.value, 'steps') || !!mapGet(j.value, 'runs-on') || !!str(text, getNode(j.value, 'uses')));
}

type Hints = DeployFact['environmentHints'];

function hintsFromEnvMap(ctx: YamlCtx, env: unknown, hints: Hints): void {
  for (const p of mapPairs(env)) {
    if (!namesEnvironment(p.keyText)) continue;
    const st = scalarText(ctx.text, p.value);
    if (!st || st.isNull || st.value === '' || st.value.includes('${{')) continue;
    hints.push({ value: st.value, span: st.span, evidence: `${p.keyText}: ${st.value}` });
  }
}

function jobHints(ctx: YamlCtx, job: unknown, workflowHints: Hints): Hints {
  const hints: Hints = [...workflowHints];
  const envNode = getNode(job, 'environment');
  const st = scalarText(ctx.text, asMap(envNode) ? getNode(envNode, 'name') : envNode);
  if (st && !st.isNull && st.value !== '' && !st.value.includes('${{')) {
    hints.push({ value: st.value, span: st.span, evidence: `environment: ${st.value}` });
  }
  hintsFromEnvMap(ctx, getNode(job, 'env'), hints);
  return hints;
}

/** One `KEY=value` item of an action input, positions in the scalar's value. */
interface KvItem {
  nameFrom: number;
  nameTo: number;
  valueFrom: number;
  valueTo: number;
  /** The item (trimmed). */
  from: number;
  to: number;
  /** The value after unescaping / unquoting. */
  value: string;
}

/** Splits an action's KV input (actions-utils `parseKVString`): items separated by unescaped
 * `,` or newlines, trimmed, `#` comment lines skipped, a value may be double-quoted. */
export function splitKv(value: string): KvItem[] {
  const items: KvItem[] = [];
  let i = 0;
  while (i <= value.length) {
    let j = i;
    let inQuote = false;
    while (j < value.length) {
      const c = value[j];
      if (c === '\\' && j + 1 < value.length) {
        j += 2;
        continue;
      }
      if (c === '"') inQuote = !inQuote;
      if (!inQuote && (c === ',' || c === '\n')) break;
      j++;
    }
    let from = i;
    let to = j;
    while (from < to && /\s/.test(value[from])) from++;
    while (to > from && /\s/.test(value[to - 1])) to--;
    const piece = value.slice(from, to);
    if (piece !== '' && !piece.startsWith('#')) {
      const eq = piece.indexOf('=');
      if (eq > 0) {
        let nameTo = from + eq;
        while (nameTo > from && /\s/.test(value[nameTo - 1])) nameTo--;
        let valueFrom = from + eq + 1;
        while (valueFrom < to && /\s/.test(value[valueFrom])) valueFrom++;
        let valueTo = to;
        let v = value.slice(valueFrom, valueTo);
        if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
          valueFrom++;
          valueTo--;
          v = value.slice(valueFrom, valueTo);
        }
        items.push({ nameFrom: from, nameTo, valueFrom, valueTo, from, to, value: v.replace(/\\([,\n"\\])/g, '$1') });
      }
    }
    if (j >= value.length) break;
    // A comma ends an item but not a line: keep reading the same line.
    i = j + 1;
  }
  return items;
}

function kvBlock(
  ctx: YamlCtx,
  st: ScalarText,
  kind: EnvBlock['kind'],
  mode: EnvBlock['mode'],
): EnvBlock {
  const entries: EnvWrite[] = [];
  for (const it of splitKv(st.value)) {
    const name = st.value.slice(it.nameFrom, it.nameTo);
    if (name.startsWith('/')) continue; // a secret mounted as a file
    const vSpan = subSpan(st, it.valueFrom, it.valueTo);
    let value: WriteValue;
    if (it.value.includes('${{')) {
      value = { kind: 'dynamic', text: it.value, span: vSpan };
    } else if (kind === 'secrets') {
      const m = /^(.*?)(?::([^:]+))?$/.exec(it.value);
      value = { kind: 'secret', secret: (m?.[1] ?? it.value).replace(/^projects\/[^/]+\/secrets\//, ''), version: m?.[2], span: vSpan };
    } else {
      value = { kind: 'literal', value: it.value, span: vSpan };
      dbUrlsInPart(ctx, st, it.valueFrom, it.valueTo, name);
    }
    entries.push({ name, nameSpan: subSpan(st, it.nameFrom, it.nameTo), span: subSpan(st, it.from, it.to), value });
  }
  const block: EnvBlock = { kind, mode, span: { ...st.span }, entries };
  const last = entries[entries.length - 1];
  if (st.offsets && last) {
    if (st.type === 'BLOCK_LITERAL') {
      const nl = ctx.text.indexOf('\n', last.span.end);
      let offset = nl < 0 ? ctx.text.length : nl;
      if (offset > last.span.end && ctx.text[offset - 1] === '\r') offset--;
      block.insert = { offset, before: '\n' + spaces(columnOf(ctx.text, last.span.start)), after: '', format: 'kv-lines' };
    } else if (!st.value.includes('\n')) {
      // One-line `A=1,B=2`: extend the comma list.
      block.insert = { offset: st.offsets[st.value.length], before: ',', after: '', format: 'gcloud-kv', delimiter: ',', quote: st.quote };
    }
  }
  return block;
}

/** Splits `with.flags` like a shell would (quotes, backslashes, `${{ }}` kept whole). */
function splitFlags(st: ScalarText): Word[] {
  const v = st.value;
  const words: Word[] = [];
  let i = 0;
  const src = (k: number): number => (st.offsets ? st.offsets[k] : st.span.start);
  while (i < v.length) {
    while (i < v.length && /\s/.test(v[i])) i++;
    if (i >= v.length) break;
    const start = i;
    let value = '';
    const offs: number[] = [];
    let quoted: '"' | "'" | undefined;
    let quoteCount = 0;
    let escaped = false;
    while (i < v.length && !/\s/.test(v[i])) {
      const c = v[i];
      if (c === "'" || c === '"') {
        quoteCount++;
        quoted = c;
        const close = v.indexOf(c, i + 1);
        const end = close < 0 ? v.length : close;
        for (let k = i + 1; k < end; k++) {
          if (c === '"' && v[k] === '\\' && k + 1 < end) {
            escaped = true;
            k++;
          }
          value += v[k];
          offs.push(src(k));
        }
        i = end + 1;
        continue;
      }
      if (c === '$' && v.startsWith('${{', i)) {
        const close = v.indexOf('}}', i);
        const end = close < 0 ? v.length : close + 2;
        for (let k = i; k < end; k++) {
          value += v[k];
          offs.push(src(k));
        }
        i = end;
        continue;
      }
      if (c === '\\' && i + 1 < v.length) {
        escaped = true;
        i++;
      }
      value += v[i];
      offs.push(src(i));
      i++;
    }
    const endSrc = offs.length > 0 ? offs[offs.length - 1] + 1 : src(Math.min(i, v.length - 1));
    offs.push(endSrc);
    const raw: Span = st.offsets ? { start: src(start), end: st.offsets[Math.min(i, v.length)] } : { ...st.span };
    words.push({
      value,
      span: raw,
      offsets: st.offsets && !escaped ? offs : null,
      dynamic: value.includes('$'),
      quote: quoteCount === 1 && (v[start] === '"' || v[start] === "'") && (v[i - 1] === v[start]) ? quoted : undefined,
    });
  }
  return words;
}

function resolved(st: ScalarText | undefined): Resolved | undefined {
  if (!st || st.isNull) return undefined;
  const dynamic = st.value.includes('${{');
  return { value: dynamic ? undefined : st.value, text: st.value, span: st.span };
}

function deployCloudRunStep(ctx: YamlCtx, step: YAMLMap, hints: Hints): DeployFact {
  const { text } = ctx;
  const withFound = mapGet(step, 'with');
  const withMap = asMap(withFound?.value);
  const get = (k: string): ScalarText | undefined => {
    const st = scalarText(text, getNode(withMap, k));
    return st && !st.isNull ? st : undefined;
  };
  const isJob = !!get('job') && !get('service');
  const fact: DeployFact = {
    platform: isJob ? 'cloud-run-job' : 'cloud-run',
    via: 'github-actions',
    span: nodeSpan(text, step),
    environmentHints: [...hints],
    blocks: [],
    envFiles: [],
  };
  fact.service = resolved(get(isJob ? 'job' : 'service'));
  fact.image = resolved(get('image'));
  fact.source = resolved(get('source'));
  fact.project = resolved(get('project_id'));
  fact.region = resolved(get('region'));
  const envFile = resolved(get('env_vars_file'));
  if (envFile) fact.envFiles.push(envFile);
  const metadata = get('metadata');
  if (metadata) fact.opaque = `metadata: ${metadata.value}`;

  const strategy = (k: string): 'set' | 'update' => (get(k)?.value.trim() === 'overwrite' ? 'set' : 'update');
  const envVars = get('env_vars');
  const keyOf = (k: string): Span => nodeSpan(text, mapGet(withMap, k)!.key as Node);
  if (envVars) fact.blocks.push({ ...kvBlock(ctx, envVars, 'env', strategy('env_vars_update_strategy')), keySpan: keyOf('env_vars') });
  const secrets = get('secrets');
  if (secrets) fact.blocks.push({ ...kvBlock(ctx, secrets, 'secrets', strategy('secrets_update_strategy')), keySpan: keyOf('secrets') });

  const flags = get('flags');
  if (flags) {
    const syn = (value: string): Word => ({ value, span: { ...flags.span }, offsets: null, dynamic: false });
    const words = [syn('gcloud'), syn('run'), ...(isJob ? [syn('jobs')] : []), syn('deploy'), syn(fact.service?.text ?? 'SERVICE'), ...splitFlags(flags)];
    const extra = interpretGcloud(words, 0, { via: 'github-actions' });
    if (extra) {
      fact.blocks.push(...extra.blocks);
      fact.envFiles.push(...extra.envFiles);
      fact.image ??= extra.image;
      fact.source ??= extra.source;
      fact.project ??= extra.project;
      fact.region ??= extra.region;
      if (extra.opaque) fact.opaque ??= extra.opaque;
    }
  }

  // Where a new `env_vars: |` / `secrets: |` input would go.
  const newInput = (key: string): Insertion | undefined => {
    if (withMap && !withMap.flow && withMap.items.length > 0) {
      const firstKey = withMap.items[0].key as Node;
      const lastItem = withMap.items[withMap.items.length - 1];
      const lastNode = ((lastItem.value as Node | null) ?? (lastItem.key as Node));
      if (!firstKey?.range || !lastNode?.range) return undefined;
      const wi = spaces(columnOf(text, firstKey.range[0]));
      return { offset: lineEndAfter(text, lastNode), before: `\n${wi}${key}: |\n${wi}  `, after: '', format: 'kv-lines' };
    }
    if (withFound) return undefined;
    const uses = mapGet(step, 'uses');
    if (!uses?.value?.range) return undefined;
    const si = spaces(columnOf(text, uses.key.range?.[0] ?? 0));
    return { offset: lineEndAfter(text, uses.value), before: `\n${si}with:\n${si}  ${key}: |\n${si}    `, after: '', format: 'kv-lines' };
  };
  if (!envVars) fact.newEnvBlock = newInput('env_vars');
  if (!secrets) fact.newSecretBlock = newInput('secrets');
  addHintsFromEntries(fact);
  return fact;
}

const SHELL_NAMES = /^(bash|sh)\b/;

/** `docker/build-push-action`: `with.context`, `with.file`, `with.tags` (the first tag names the image). */
function buildPushStep(ctx: YamlCtx, step: YAMLMap): BuildFact | undefined {
  const withMap = asMap(mapGet(step, 'with')?.value);
  const get = (k: string): ScalarText | undefined => {
    const st = scalarText(ctx.text, getNode(withMap, k));
    return st && !st.isNull ? st : undefined;
  };
  const tags = get('tags');
  const firstTag = tags?.value.split(/[\n,]/).map((t) => t.trim()).find(Boolean);
  const image = tags && firstTag ? { value: /\$\{\{/.test(firstTag) ? undefined : firstTag, text: firstTag, span: tags.span } : undefined;
  const build: BuildFact = { span: nodeSpan(ctx.text, step), via: 'github-actions', image, dockerfile: resolved(get('file')), context: resolved(get('context')) };
  return build.image || build.dockerfile || build.context ? build : undefined;
}

export function extractWorkflow(ctx: YamlCtx, root: YAMLMap): void {
  const { text } = ctx;
  const workflowHints: Hints = [];
  hintsFromEnvMap(ctx, getNode(root, 'env'), workflowHints);
  const defaultShell = str(text, getNode(root, 'defaults', 'run', 'shell'));
  for (const job of mapPairs(getNode(root, 'jobs'))) {
    const steps = asSeq(getNode(job.value, 'steps'));
    if (!steps) continue;
    const hints = jobHints(ctx, job.value, workflowHints);
    const jobShell = str(text, getNode(job.value, 'defaults', 'run', 'shell')) ?? defaultShell;
    for (const item of steps.items) {
      const step = asMap(item);
      if (!step) continue;
      const uses = str(text, getNode(step, 'uses'));
      if (uses && /^google-github-actions\/deploy-cloudrun(@|$)/.test(uses)) {
        ctx.facts.deploys.push(deployCloudRunStep(ctx, step, hints));
        continue;
      }
      if (uses && /^docker\/build-push-action(@|$)/.test(uses)) {
        const build = buildPushStep(ctx, step);
        if (build) ctx.facts.builds.push(build);
        continue;
      }
      const run = scalarText(text, getNode(step, 'run'));
      if (!run || run.isNull || !(run.value.includes('gcloud') || mentionsImageBuild(run.value))) continue;
      const shell = str(text, getNode(step, 'shell')) ?? jobShell;
      if (shell && !SHELL_NAMES.test(shell)) continue;
      for (const f of runShellOn(ctx, run, 'github-actions', hints)) addHintsFromEntries(f);
    }
  }
}
