/**
 * GitHub Actions workflows: `google-github-actions/deploy-cloudrun` steps (`with.env_vars`,
 * `with.secrets` as `KEY=value` lines or comma lists, `with.flags` as extra gcloud flags) and
 * `run:` steps that call gcloud (read by the shell extractor on a shadow text).
 *
 * What the workflow says statically is resolved: `env:` at workflow, job and step level (into
 * `${{ env.X }}` and into `$X` of `run:` scripts), one `strategy.matrix` combination at a time
 * (the job is read once per combination; distinct results are deploys of one shared text,
 * `instance`), and a reusable workflow's `${{ inputs.X }}` as templates its callers fill in
 * (workflow-inputs.ts). `${{ secrets.X }}`, `${{ vars.X }}`, `${{ github.* }}` stay dynamic.
 * Environment hints come from the job's `environment:` and `ENVIRONMENT: staging`-style `env:`.
 * A job calling a workflow of the repository (`uses: ./.github/workflows/deploy.yml`) is recorded
 * with its inputs (a WorkflowCallFact).
 */
import * as path from 'node:path';
import type { Node, YAMLMap } from 'yaml';
import type { BuildFact, DeployFact, EnvBlock, EnvWrite, Insertion, Resolved, Span, WorkflowCallFact, WriteValue } from '../core/facts';
import { interpretGcloud, parseGcloudList, type Word } from './gcloud-args';
import { namesEnvironment } from '../knowledge/environments';
import { mentionsImageBuild } from './shell';
import { addYamlMentions, mayNameYaml } from './yaml-mentions';
import { addTerraformVarsPassed, terraformVarOfEnvName } from './terraform-vars-passed';
import { addHintsFromEntries, asMap, asSeq, columnOf, dbUrlsInPart, getNode, isScalar, isSeq, lineEndAfter, mapGet, mapPairs, nodeSpan, runShellOn, scalarText, spaces, str, subSpan, type ScalarText, type YamlCtx } from './yaml-util';
import { substitute, substituteImage, substituteKnown, type ExpressionScope } from './github-expressions';
import { combinationLabel, matrixCombinations, matrixValues, type Combination } from './github-matrix';
import { hasMarker, inputMarker, resolvedTemplate, templatize } from './workflow-inputs';
import { secretRef } from '../knowledge/secret-manager';
import { writesStepOutputs, type StepOutputs } from './shell-step-outputs';

export function isWorkflow(text: string, root: unknown): boolean {
  const jobs = asMap(getNode(root, 'jobs'));
  if (!jobs || !mapGet(root, 'on')) return false;
  return mapPairs(jobs).some((j) => !!mapGet(j.value, 'steps') || !!mapGet(j.value, 'runs-on') || !!str(text, getNode(j.value, 'uses')));
}

type Hints = DeployFact['environmentHints'];

/** What the workflow makes static at one point: the expression scope and the shell variables
 * `env:` exports. */
interface Known {
  scope: ExpressionScope;
  variables: Record<string, string | undefined>;
  /** Variables known only in part, as written (`ShellOptions.heldVariables`). */
  held?: Record<string, string>;
}

/** Adds an `env:` map to what is known (its values may use what is known already). */
function withEnv(ctx: YamlCtx, env: unknown, known: Known): Known {
  const next: Known = { scope: { ...known.scope, values: { ...known.scope.values } }, variables: { ...known.variables }, held: { ...known.held } };
  for (const p of mapPairs(env)) {
    const st = scalarText(ctx.text, p.value);
    const v = !st || st.isNull ? '' : substitute(st.value, known.scope);
    if (v === undefined && st) next.held![p.keyText] = substituteKnown(st.value, known.scope);
    else delete next.held![p.keyText];
    const tfVar = terraformVarOfEnvName(p.keyText);
    if (tfVar) addTerraformVarsPassed(ctx.facts, [tfVar]);
    next.variables[p.keyText] = v;
    next.scope.values[`env.${p.keyText}`] = v;
  }
  return next;
}

function hintsFromEnvMap(ctx: YamlCtx, env: unknown, hints: Hints, scope: ExpressionScope): void {
  for (const p of mapPairs(env)) {
    if (!namesEnvironment(p.keyText)) continue;
    const st = scalarText(ctx.text, p.value);
    if (!st || st.isNull || st.value === '') continue;
    const value = substitute(st.value, scope);
    if (!value) continue;
    hints.push({ value, span: st.span, evidence: `${p.keyText}: ${value}` });
  }
}

/** A job's environment hints: its GitHub environment (`environment:` names the deployment
 * environment whose secrets and protection rules the job runs under), and `ENVIRONMENT`-like keys
 * of the job's `env:`, then the workflow's (the nearer level first, as for the values). */
interface JobHints {
  github: Hints;
  env: Hints;
}

function jobHints(ctx: YamlCtx, root: unknown, job: unknown, scope: ExpressionScope): JobHints {
  const github: Hints = [];
  const envNode = getNode(job, 'environment');
  const st = scalarText(ctx.text, asMap(envNode) ? getNode(envNode, 'name') : envNode);
  const value = st && !st.isNull ? substitute(st.value, scope) : undefined;
  if (st && value) github.push({ value, span: st.span, evidence: `environment: ${value}` });
  const env: Hints = [];
  hintsFromEnvMap(ctx, getNode(job, 'env'), env, scope);
  hintsFromEnvMap(ctx, getNode(root, 'env'), env, scope);
  return { github, env: env.map((h) => ({ ...h, shared: true as const })) };
}

/** A step's hints, strongest first: the GitHub environment, the step's own `env:`, the job's. */
function stepHints(ctx: YamlCtx, step: unknown, job: JobHints, scope: ExpressionScope): Hints {
  const own: Hints = [];
  hintsFromEnvMap(ctx, getNode(step, 'env'), own, scope);
  return [...job.github, ...own, ...job.env];
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
  scope: ExpressionScope,
): EnvBlock {
  const entries: EnvWrite[] = [];
  for (const it of splitKv(st.value)) {
    const name = st.value.slice(it.nameFrom, it.nameTo);
    if (name.startsWith('/')) continue; // a secret mounted as a file
    const vSpan = subSpan(st, it.valueFrom, it.valueTo);
    const expr = it.value.includes('${{');
    const v = expr ? substitute(it.value, scope) : it.value;
    let value: WriteValue;
    if (v === undefined) {
      value = { kind: 'dynamic', text: it.value, span: vSpan };
    } else if (kind === 'secrets') {
      value = { kind: 'secret', ...secretRef(v), span: vSpan };
    } else {
      value = { kind: 'literal', value: v, span: vSpan };
      // The source text is the value only when no expression was filled in.
      if (!expr) dbUrlsInPart(ctx, st, it.valueFrom, it.valueTo, name);
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
function splitFlags(st: ScalarText, scope: ExpressionScope): Word[] {
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
    // `${{ env.X }}` the workflow makes static reads as its value (characters no longer map).
    const filled = value.includes('${{') ? substitute(value, scope) : undefined;
    words.push({
      value: filled ?? value,
      span: raw,
      offsets: st.offsets && !escaped && filled === undefined ? offs : null,
      dynamic: (filled ?? value).includes('$'),
      quote: quoteCount === 1 && (v[start] === '"' || v[start] === "'") && (v[i - 1] === v[start]) ? quoted : undefined,
    });
  }
  return words;
}

function resolved(st: ScalarText | undefined, scope: ExpressionScope): Resolved | undefined {
  if (!st || st.isNull) return undefined;
  return { value: substitute(st.value, scope), text: st.value, span: st.span };
}

function deployCloudRunStep(ctx: YamlCtx, step: YAMLMap, hints: Hints, scope: ExpressionScope): DeployFact {
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
  fact.service = resolved(get(isJob ? 'job' : 'service'), scope);
  const image = get('image');
  // The text with what is known filled in (a step's output known in part): how a build names it.
  if (image) fact.image = { value: substituteImage(image.value, scope), text: substituteKnown(image.value, scope), span: image.span };
  fact.source = resolved(get('source'), scope);
  fact.project = resolved(get('project_id'), scope);
  fact.region = resolved(get('region'), scope);
  const envFile = resolved(get('env_vars_file'), scope);
  if (envFile) fact.envFiles.push(envFile);
  const metadata = get('metadata');
  if (metadata) {
    fact.opaque = `metadata: ${metadata.value}`;
    // The manifest says the container port, whatever it is: this step does not leave it unset.
    fact.port = { text: 'metadata', span: metadata.span };
    addYamlMentions(ctx.facts, [metadata.value]);
  }

  const strategy = (k: string): 'set' | 'update' => (get(k)?.value.trim() === 'overwrite' ? 'set' : 'update');
  const envVars = get('env_vars');
  const keyOf = (k: string): Span => nodeSpan(text, mapGet(withMap, k)!.key as Node);
  if (envVars) fact.blocks.push({ ...kvBlock(ctx, envVars, 'env', strategy('env_vars_update_strategy'), scope), keySpan: keyOf('env_vars') });
  const secrets = get('secrets');
  if (secrets) fact.blocks.push({ ...kvBlock(ctx, secrets, 'secrets', strategy('secrets_update_strategy'), scope), keySpan: keyOf('secrets') });

  const flags = get('flags');
  if (flags) {
    const syn = (value: string): Word => ({ value, span: { ...flags.span }, offsets: null, dynamic: false });
    const words = [syn('gcloud'), syn('run'), ...(isJob ? [syn('jobs')] : []), syn('deploy'), syn(fact.service?.text ?? 'SERVICE'), ...splitFlags(flags, scope)];
    const extra = interpretGcloud(words, 0, { via: 'github-actions' });
    if (extra) {
      // A folded or escaped `flags:` value has no character-exact offsets, so its flags' spans are
      // the whole value: point at the `flags` key instead, one line like every other block's key.
      if (!flags.offsets) for (const b of extra.blocks) b.keySpan = keyOf('flags');
      fact.blocks.push(...extra.blocks);
      fact.envFiles.push(...extra.envFiles);
      fact.image ??= extra.image;
      fact.source ??= extra.source;
      fact.project ??= extra.project;
      fact.region ??= extra.region;
      fact.port ??= extra.port;
      if (extra.ownCommand) fact.ownCommand = true;
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

/** `docker/build-push-action`: `with.context`, `with.file`, `with.tags` (the first tag names the
 * image; the others are `otherTags`). */
function buildPushStep(ctx: YamlCtx, step: YAMLMap, scope: ExpressionScope): BuildFact | undefined {
  const withMap = asMap(mapGet(step, 'with')?.value);
  const get = (k: string): ScalarText | undefined => {
    const st = scalarText(ctx.text, getNode(withMap, k));
    return st && !st.isNull ? st : undefined;
  };
  const tags = get('tags');
  // A tag's text keeps what is not static (`gcr.io/${{ secrets.PROJECT }}/api:latest`) with the
  // rest filled in, as a deploy's image in a \`run:\` script is: the two then name one image.
  const all = (tags?.value.split(/[\n,]/).map((t) => t.trim()).filter(Boolean) ?? []).map((t) => ({ value: substitute(t, scope), text: substituteKnown(t, scope), span: tags!.span }));
  const image = all[0];
  const build: BuildFact = { span: nodeSpan(ctx.text, step), via: 'github-actions', image, dockerfile: resolved(get('file'), scope), context: resolved(get('context'), scope) };
  if (all.length > 1) build.otherTags = all.slice(1);
  const target = resolved(get('target'), scope);
  if (target) build.target = target;
  // `build-args:` lines (`NAME=value`): the names the build passes; none when the input is absent.
  const args = get('build-args');
  const lines = args ? args.value.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : [];
  const names = lines.map((l) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(l)?.[1]);
  build.buildArgs = names.every((n) => n !== undefined) ? { names: names as string[] } : { names: names.filter((n): n is string => !!n), dynamic: true };
  return build.image || build.dockerfile || build.context ? build : undefined;
}

/** `on.workflow_call.inputs` (name → default), or undefined when the workflow is not reusable. */
function workflowCallInputs(text: string, root: unknown): Record<string, { default?: string }> | undefined {
  const on = mapGet(root, 'on')?.value;
  const named = (n: unknown): boolean => str(text, n) === 'workflow_call';
  if (isScalar(on)) return named(on) ? {} : undefined;
  if (isSeq(on)) return on.items.some(named) ? {} : undefined;
  const call = mapGet(on, 'workflow_call');
  if (!call) return undefined;
  const out: Record<string, { default?: string }> = {};
  for (const p of mapPairs(getNode(call.value, 'inputs'))) {
    const d = str(text, getNode(p.value, 'default'));
    out[p.keyText] = d !== undefined && !d.includes('${{') ? { default: d } : {};
  }
  return out;
}

/** The scope a job starts from: one matrix combination, a reusable workflow's inputs as markers,
 * the outputs of the jobs it needs. */
function jobScope(combo: Combination | undefined, inputs: Record<string, { default?: string }> | undefined, needed: JobOutputs): Known {
  const values: Record<string, string | undefined> = {};
  const partial: Record<string, string> = {};
  if (combo) Object.assign(values, matrixValues(combo));
  for (const name of Object.keys(inputs ?? {})) values[`inputs.${name}`] = inputMarker(name);
  for (const [job, outputs] of needed) putOutputs(values, partial, `needs.${job}.outputs`, outputs);
  return { scope: { values, closed: new Set(combo ? ['matrix'] : []), partial }, variables: {} };
}

/** Outputs of the jobs a job needs, by job id. */
type JobOutputs = Map<string, StepOutputs>;

/** A job's `needs:` (one id or a list). */
function needsOf(text: string, job: unknown): string[] {
  const node = getNode(job, 'needs');
  const one = str(text, node);
  if (one !== undefined) return [one];
  return (asSeq(node)?.items ?? []).map((n) => str(text, n)).filter((n): n is string => !!n);
}

/** Job ids in an order where each comes after the jobs it needs (file order otherwise); a cycle
 * (which GitHub rejects) is broken where it is met. */
function jobOrder(text: string, jobs: { keyText: string; value: unknown }[]): number[] {
  const index = new Map(jobs.map((j, i) => [j.keyText, i]));
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number): void => {
    if (state.has(i)) return;
    state.set(i, 'visiting');
    for (const n of needsOf(text, jobs[i]!.value)) {
      const j = index.get(n);
      if (j !== undefined) visit(j);
    }
    state.set(i, 'done');
    order.push(i);
  };
  jobs.forEach((_, i) => visit(i));
  return order;
}

/** A job's `outputs:` as its last step leaves what is known. */
function jobOutputs(ctx: YamlCtx, job: unknown, known: Known): StepOutputs {
  const out: StepOutputs = new Map();
  for (const p of mapPairs(getNode(job, 'outputs'))) {
    const st = scalarText(ctx.text, p.value);
    if (!st || st.isNull) continue;
    const value = substitute(st.value, known.scope);
    if (value !== undefined) out.set(p.keyText, { value, text: value });
    else {
      const text = substituteKnown(st.value, known.scope);
      out.set(p.keyText, text !== st.value ? { text } : null);
    }
  }
  return out;
}

/** One job's steps under one scope: deploys, builds (pushed to ctx.facts). Returns what the job
 * knows after its last step (its steps' outputs included). */
function extractSteps(ctx: YamlCtx, job: unknown, hints: JobHints, known: Known, jobShell: string | undefined, jobDir: unknown): Known {
  const { text } = ctx;
  for (const item of asSeq(getNode(job, 'steps'))?.items ?? []) {
    const step = asMap(item);
    if (!step) continue;
    const stepKnown = withEnv(ctx, getNode(step, 'env'), known);
    const hintsHere = stepHints(ctx, step, hints, stepKnown.scope);
    const id = str(text, getNode(step, 'id'));
    const uses = str(text, getNode(step, 'uses'));
    if (uses && /^google-github-actions\/deploy-cloudrun(@|$)/.test(uses)) {
      ctx.facts.deploys.push(deployCloudRunStep(ctx, step, hintsHere, stepKnown.scope));
      continue;
    }
    if (uses && /^docker\/build-push-action(@|$)/.test(uses)) {
      const build = buildPushStep(ctx, step, stepKnown.scope);
      if (build) ctx.facts.builds.push(build);
      continue;
    }
    if (id && uses && /^docker\/metadata-action(@|$)/.test(uses)) {
      known = withOutputs(known, id, metadataOutputs(ctx, step, id, stepKnown.scope));
      continue;
    }
    const run = scalarText(text, getNode(step, 'run'));
    const outputs: StepOutputs | undefined = id && run && !run.isNull && writesStepOutputs(run.value) ? new Map() : undefined;
    if (!run || run.isNull || !(outputs || run.value.includes('gcloud') || mentionsImageBuild(run.value) || mayNameYaml(run.value))) continue;
    const shell = str(text, getNode(step, 'shell')) ?? jobShell;
    if (shell && !SHELL_NAMES.test(shell)) continue;
    const workingDirectory = stepWorkingDirectory(text, getNode(step, 'working-directory') ?? jobDir, stepKnown.scope);
    for (const f of runShellOn(ctx, run, 'github-actions', hintsHere, { variables: stepKnown.variables, expressions: stepKnown.scope, heldVariables: stepKnown.held, workingDirectory, outputs })) addHintsFromEntries(f);
    if (id && outputs) known = withOutputs(known, id, outputs);
  }
  return known;
}

/** What is known once step `id` has set its outputs: `${{ steps.<id>.outputs.<name> }}`. */
function withOutputs(known: Known, id: string, outputs: StepOutputs): Known {
  if (outputs.size === 0) return known;
  const values = { ...known.scope.values };
  const partial = { ...known.scope.partial };
  putOutputs(values, partial, `steps.${id}.outputs`, outputs);
  return { ...known, scope: { ...known.scope, values, partial } };
}

/** Outputs as expression paths under `prefix` (`steps.meta.outputs`, `needs.build.outputs`): a
 * static value, else the text known in part, else unknown. */
function putOutputs(values: Record<string, string | undefined>, partial: Record<string, string>, prefix: string, outputs: StepOutputs): void {
  for (const [name, output] of outputs) {
    const key = `${prefix}.${name}`;
    values[key] = output?.value;
    if (output && output.value === undefined) partial[key] = output.text;
    else delete partial[key];
  }
}

/** `docker/metadata-action`'s `tags` output: the first of its `images`, under a tag of its making. */
function metadataOutputs(ctx: YamlCtx, step: YAMLMap, id: string, scope: ExpressionScope): StepOutputs {
  const images = scalarText(ctx.text, getNode(step, 'with', 'images'));
  const first = images && !images.isNull ? images.value.split(/[\n,]/).map((t) => t.trim()).find((t) => t && !t.startsWith('#')) : undefined;
  const out: StepOutputs = new Map();
  // A line may carry options after the name (`name=gcr.io/p/app,enable=true`).
  const image = first ? substituteKnown(first.replace(/^name=/, ''), scope) : undefined;
  if (image) out.set('tags', { text: `${image}:\${{ steps.${id}.outputs.version }}` });
  return out;
}

/** Where a `run:` step starts, from the repository's root (`working-directory:` of the step, else
 * the job's or the workflow's `defaults.run`): '' for the root, null for a value we cannot read
 * (an expression the workflow does not make static, an absolute path). */
function stepWorkingDirectory(text: string, node: unknown, scope: ExpressionScope): string | null {
  const st = node ? scalarText(text, node) : undefined;
  if (!st || st.isNull) return '';
  const v = substitute(st.value, scope);
  if (v === undefined || hasMarker(v) || v.includes('$')) return null;
  const p = path.posix.normalize(v.trim().replace(/^\.\//, ''));
  if (p === '.' || p === '') return '';
  if (p.startsWith('/') || p.startsWith('..')) return null;
  return p.replace(/\/$/, '');
}

/** `jobs.x.uses: ./.github/workflows/deploy.yml` with its `with:` inputs under one scope. */
function workflowCall(ctx: YamlCtx, jobId: string, job: unknown, known: Known): WorkflowCallFact | undefined {
  const usesNode = getNode(job, 'uses');
  const uses = str(ctx.text, usesNode);
  if (!uses || !uses.startsWith('./') || !usesNode?.range) return undefined;
  const inputs: Record<string, string | undefined> = {};
  const inputSpans: NonNullable<WorkflowCallFact['inputSpans']> = {};
  const listInputs: NonNullable<WorkflowCallFact['listInputs']> = {};
  for (const p of mapPairs(getNode(job, 'with'))) {
    const st = scalarText(ctx.text, p.value);
    const v = !st || st.isNull ? '' : substitute(st.value, known.scope);
    inputs[p.keyText] = v !== undefined && !hasMarker(v) ? v : undefined;
    if (!p.key.range || !st) continue;
    const key = { start: p.key.range[0], end: p.key.range[1] };
    inputSpans[p.keyText] = { key, value: st.span };
    const list = listInput(st, key);
    if (list) listInputs[p.keyText] = list;
  }
  const call: WorkflowCallFact = { callee: uses, span: { start: usesNode.range[0], end: usesNode.range[1] }, job: jobId, inputs };
  if (Object.keys(inputSpans).length) call.inputSpans = inputSpans;
  if (Object.keys(listInputs).length) call.listInputs = listInputs;
  return call;
}

const LIST_START = /^\s*[A-Za-z_][A-Za-z0-9_]*=/;

/** An input written as a gcloud `NAME=value,…` list, read with spans in the caller: the entries a
 * callee's `--set-env-vars "$ENV_VARS"` gets from it (values holding `${{ … }}` stay dynamic). */
function listInput(st: ScalarText, key: Span): EnvBlock | undefined {
  if (st.isNull || !LIST_START.test(st.value)) return undefined;
  const word: Word = { value: st.value, span: st.raw, offsets: st.offsets, dynamic: st.value.includes('$'), quote: st.quote };
  const { entries, delimiter } = parseGcloudList(word, 0, 'env');
  if (entries.length === 0) return undefined;
  const block: EnvBlock = { kind: 'env', mode: 'set', span: st.span, keySpan: key, entries };
  // A new entry goes at the end of a list written on one line, as its own text.
  if (st.offsets && !st.value.includes('\n')) {
    block.insert = { offset: st.offsets[st.value.length], before: delimiter, after: '', format: 'gcloud-kv', delimiter, quote: st.quote };
  }
  return block;
}

export function extractWorkflow(ctx: YamlCtx, root: YAMLMap): void {
  const { text } = ctx;
  const callInputs = workflowCallInputs(text, root);
  if (callInputs) ctx.facts.workflowInputs = { inputs: callInputs };
  const defaultShell = str(text, getNode(root, 'defaults', 'run', 'shell'));
  const deploysBefore = ctx.facts.deploys.length;
  const buildsBefore = ctx.facts.builds.length;
  const jobs = mapPairs(getNode(root, 'jobs'));
  // Jobs are read after the jobs they need (whose outputs they may use), their facts kept in
  // file order.
  const outputsOf: JobOutputs = new Map();
  const read = new Map<number, { deploys: DeployFact[]; builds: BuildFact[]; calls: WorkflowCallFact[] }>();
  for (const index of jobOrder(text, jobs)) {
    const job = jobs[index]!;
    const needed: JobOutputs = new Map(needsOf(text, job.value).flatMap((n) => (outputsOf.has(n) ? [[n, outputsOf.get(n)!] as const] : [])));
    const { combinations, unresolved } = matrixCombinations(text, job.value);
    const combos: (Combination | undefined)[] = combinations.length > 0 ? combinations : [undefined];
    const jobShell = str(text, getNode(job.value, 'defaults', 'run', 'shell')) ?? defaultShell;
    const jobDir = getNode(job.value, 'defaults', 'run', 'working-directory') ?? getNode(root, 'defaults', 'run', 'working-directory');
    const distinct = new Map<string, { fact: DeployFact; label?: string }>();
    const builds = new Map<string, BuildFact>();
    const calls: WorkflowCallFact[] = [];
    for (const combo of combos) {
      const known = withEnv(ctx, getNode(job.value, 'env'), withEnv(ctx, getNode(root, 'env'), jobScope(combo, callInputs, needed)));
      const label = combo ? combinationLabel(combo) : undefined;
      const call = workflowCall(ctx, job.keyText, job.value, known);
      if (call) {
        if (combos.length > 1 && label) call.label = label;
        calls.push(call);
        continue;
      }
      const hints = jobHints(ctx, root, job.value, known.scope);
      const d0 = ctx.facts.deploys.length;
      const b0 = ctx.facts.builds.length;
      const after = extractSteps(ctx, job.value, hints, known, jobShell, jobDir);
      // A matrix job's outputs are whichever combination wrote last: not known.
      if (combos.length === 1) outputsOf.set(job.keyText, jobOutputs(ctx, job.value, after));
      for (const f of ctx.facts.deploys.splice(d0)) {
        const key = JSON.stringify(f);
        if (!distinct.has(key)) distinct.set(key, { fact: f, label });
      }
      for (const b of ctx.facts.builds.splice(b0)) builds.set(JSON.stringify(b), b);
    }
    const found = [...distinct.values()];
    const perStep = new Map<number, number>();
    for (const { fact } of found) perStep.set(fact.span.start, (perStep.get(fact.span.start) ?? 0) + 1);
    const deploys: DeployFact[] = [];
    for (const { fact, label } of found) {
      // One step read for several combinations: an edit to it changes them all.
      const of = perStep.get(fact.span.start) ?? 1;
      if (of > 1) fact.instance = { label: label ?? 'one of several', of };
      if (unresolved && fact.service?.value === undefined) fact.unresolved = unresolved;
      deploys.push(fact);
    }
    read.set(index, { deploys, builds: [...builds.values()], calls });
  }
  for (const [, r] of [...read].sort((a, b) => a[0] - b[0])) {
    ctx.facts.deploys.push(...r.deploys);
    ctx.facts.builds.push(...r.builds);
    if (r.calls.length > 0) (ctx.facts.workflowCalls ??= []).push(...r.calls);
  }
  if (callInputs) {
    // A reusable workflow: values written from its inputs become templates its callers fill in.
    for (const f of ctx.facts.deploys.slice(deploysBefore)) {
      const used = templatize(f);
      if (used.length > 0 && f.service?.value === undefined) {
        f.unresolved ??= `reusable workflow: the deploy depends on inputs ${used.join(', ')}, which only a caller passes`;
      }
    }
    for (const b of ctx.facts.builds.slice(buildsBefore)) for (const r of [b.image, b.dockerfile, b.context]) resolvedTemplate(r);
  }
  const seen = new Set<string>();
  ctx.facts.problems = ctx.facts.problems.filter((p) => {
    const k = `${p.message}@${p.span?.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
