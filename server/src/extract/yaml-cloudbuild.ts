/**
 * Cloud Build configs: each step that runs gcloud (`entrypoint: gcloud`, the gcloud builder, or
 * `args` starting with `gcloud`) has its `args` list turned into gcloud Words; steps running a
 * shell (`bash -c <script>`, `script:`) go through the shell extractor on a shadow text.
 * User substitutions (`_SERVICE_NAME: backend-staging`) resolve `$_X` / `${_X}` references.
 */
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import type { BuildFact, DeployFact, Insertion, Resolved } from '../core/facts';
import { interpretGcloud, isGcloudWord, type Word } from './gcloud-args';
import { namesEnvironment } from '../knowledge/environments';
import { interpretBuild } from './build-args';
import { addYamlMentions, mayNameYaml } from './yaml-mentions';
import { inlineHeredocEnvFiles, type HeredocFile } from './shell-heredoc-env';
import { addTerraformVarsPassed, terraformVarOfEnvName, terraformVarsInWords } from './terraform-vars-passed';
import { mentionsImageBuild } from './shell';
import { fromWorkingDir } from './shell-cwd';
import { addHintsFromEntries, asMap, asSeq, columnOf, dbUrlsInSpan, getNode, isAlias, mapGet, mapPairs, nodeSpan, runShellOn, scalarText, spaces, str, type YamlCtx } from './yaml-util';
import { secretRef } from '../knowledge/secret-manager';

export function isCloudBuild(text: string, root: unknown): boolean {
  const steps = asSeq(getNode(root, 'steps'));
  if (!steps || steps.items.length === 0) return false;
  // Every step is a map naming its builder image.
  return steps.items.every((s) => !!str(text, getNode(s, 'name')) || isAlias(s));
}

const GCLOUD_BUILDERS = [
  'gcr.io/cloud-builders/gcloud',
  'gcr.io/cloud-builders/gcloud-slim',
  'gcr.io/google.com/cloudsdktool/cloud-sdk',
  'gcr.io/google.com/cloudsdktool/google-cloud-cli',
  'google/cloud-sdk',
];

function builderRuns(name: string): 'gcloud' | 'sdk' | 'docker' | 'kaniko' | 'other' {
  const base = name.replace(/[:@].*$/, '');
  if (base === 'gcr.io/cloud-builders/docker' || base === 'docker' || base === 'docker.io/library/docker') return 'docker';
  if (base === 'gcr.io/kaniko-project/executor') return 'kaniko';
  if (base === 'gcr.io/cloud-builders/gcloud' || base === 'gcr.io/cloud-builders/gcloud-slim') return 'gcloud';
  if (GCLOUD_BUILDERS.includes(base) || /cloud-sdk|google-cloud-cli/.test(base)) return 'sdk';
  return 'other';
}

/** The builder a step names, through the file's substitutions. A builder named by one the file
 * does not define (`name: ${_DOCKER_IMAGE}`, set by the trigger) is known by its arguments:
 * `build …` is Docker's command line, `run deploy …` gcloud's. */
function builderOf(name: string, words: string[], subs: Map<string, string>): ReturnType<typeof builderRuns> {
  const resolved = DOLLAR.test(name) ? substitute(name, subs) : name;
  if (resolved !== undefined) return builderRuns(resolved);
  if (words[0] === 'build') return 'docker';
  if (words[0] === 'run' && ['deploy', 'services', 'jobs'].includes(words[1] ?? '')) return 'gcloud';
  return 'other';
}

const SHELLS = new Set(['bash', 'sh', '/bin/bash', '/bin/sh', 'zsh', '/usr/bin/env']);

/** Substitution references in a string: `$_X`, `${_X}`, `$PROJECT_ID` (`$$` is a literal `$`).
 * Undefined when one has no value here, unless `partial`: then the others are filled in. */
function substitute(value: string, subs: Map<string, string>, partial = false): string | undefined {
  let unresolved = false;
  const out = value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a?: string, b?: string) => {
    if (m === '$$') return '$';
    const v = subs.get((a ?? b) as string);
    if (v === undefined) {
      unresolved = true;
      return m;
    }
    return v;
  });
  return unresolved && !partial ? undefined : out;
}

const DOLLAR = /\$(\{|[A-Za-z_])/;

function wordOf(ctx: YamlCtx, node: unknown): Word {
  const st = scalarText(ctx.text, node);
  if (!st) {
    const n = node as Node | null;
    const r = n?.range ?? [0, 0, 0];
    return { value: ctx.text.slice(r[0], r[1]), span: { start: r[0], end: r[1] }, offsets: null, dynamic: true };
  }
  return {
    value: st.value,
    span: st.raw,
    offsets: st.offsets,
    dynamic: DOLLAR.test(st.value),
    quote: st.quote,
  };
}

function resolveWith(r: Resolved | undefined, subs: Map<string, string>): void {
  if (!r || r.value !== undefined) return;
  const v = substitute(r.text, subs);
  if (v !== undefined) r.value = v;
}

/** An image written with substitutions: resolved when all have values here, else its text keeps
 * the unknown ones and takes the file's values for the others (`gcr.io/$_REGISTRY/$_IMAGE_NAME`
 * with `_IMAGE_NAME: api` here is `gcr.io/$_REGISTRY/api`), so two services' files written
 * alike name two images. The text of an image is only matched, never written back. */
function resolveImage(r: Resolved | undefined, subs: Map<string, string>): void {
  if (!r || r.value !== undefined) return;
  resolveWith(r, subs);
  if (r.value === undefined) r.text = substitute(r.text, subs, true) ?? r.text;
}

/** Applies literal substitutions to everything the deploy holds. */
function applySubstitutions(fact: DeployFact, subs: Map<string, string>): void {
  if (subs.size === 0) return;
  resolveWith(fact.service, subs);
  resolveImage(fact.image, subs);
  resolveWith(fact.source, subs);
  resolveWith(fact.project, subs);
  resolveWith(fact.region, subs);
  for (const f of fact.envFiles) resolveWith(f, subs);
  for (const b of fact.blocks) {
    for (const e of b.entries) {
      if (e.value.kind !== 'dynamic') continue;
      const v = substitute(e.value.text, subs);
      if (v === undefined) continue;
      if (b.kind === 'secrets') {
        e.value = { kind: 'secret', ...secretRef(v), span: e.value.span };
      } else {
        // The whole value is one user substitution: its default here, unless a trigger overrides it.
        const only = /^\$\{?(_[A-Z0-9_]+)\}?$/.exec(e.value.text.trim());
        e.value = { kind: 'literal', value: v, span: e.value.span, ...(only ? { substitution: only[1] } : {}) };
      }
    }
  }
}

function newArgInsertion(ctx: YamlCtx, args: YAMLSeq, format: 'gcloud-arg-env' | 'gcloud-arg-secret', quote: string): Insertion | undefined {
  const last = args.items[args.items.length - 1] as Node | undefined;
  if (!last?.range || !args.range) return undefined;
  if (args.flow) return { offset: last.range[1], before: ', ', after: '', format, quote };
  if (ctx.text[args.range[0]] !== '-') return undefined;
  const col = columnOf(ctx.text, args.range[0]);
  return { offset: last.range[1], before: '\n' + spaces(col) + '- ', after: '', format, quote };
}

/** A docker builder step (`args: [build, -t, IMG, -f, FILE, .]`) or kaniko (`--destination=…`). */
function buildStep(ctx: YamlCtx, step: YAMLMap, args: YAMLSeq, runs: 'docker' | 'kaniko'): BuildFact | undefined {
  const name = getNode(step, 'name') as Node | null;
  const r = name?.range ?? [0, 0];
  const program: Word = { value: runs === 'docker' ? 'docker' : 'executor', span: { start: r[0], end: r[1] }, offsets: null, dynamic: false };
  const build = interpretBuild([program, ...args.items.map((it) => wordOf(ctx, it))], 0, 'cloudbuild');
  if (build) build.span = nodeSpan(ctx.text, step);
  return build;
}

function gcloudStep(
  ctx: YamlCtx,
  step: YAMLMap,
  args: YAMLSeq,
  synthetic: Node | undefined,
  hints: DeployFact['environmentHints'],
): DeployFact | undefined {
  const words: Word[] = [];
  if (synthetic?.range) {
    words.push({ value: 'gcloud', span: { start: synthetic.range[0], end: synthetic.range[1] }, offsets: null, dynamic: false });
  }
  for (const item of args.items) words.push(wordOf(ctx, item));
  const argTexts = args.items.map((it) => scalarText(ctx.text, it));
  const start = words.findIndex((w) => isGcloudWord(w));
  if (start < 0) return undefined;
  const fact = interpretGcloud(words, start, { via: 'cloudbuild', environmentHints: hints });
  if (!fact) return undefined;
  fact.span = nodeSpan(ctx.text, step);
  for (const b of fact.blocks) {
    if (b.kind !== 'env') continue;
    for (const e of b.entries) {
      if (e.value.kind !== 'literal' || !e.value.value.includes('postgres')) continue;
      const span = e.value.span;
      const st = argTexts.find((t) => t && t.raw.start <= span.start && span.end <= t.raw.end);
      if (st) dbUrlsInSpan(ctx, st, span, e.name);
    }
  }
  // A list value holding a substitution is still a plain list to extend (Cloud Build fills it in).
  for (const b of fact.blocks) {
    if (b.insert) continue;
    const st = argTexts.find((t) => t && t.offsets && t.span.end === b.span.end && t.span.start <= b.span.start);
    if (!st) continue;
    const delimiter = /^\^([^^]+)\^/.exec(ctx.text.slice(b.span.start, b.span.end))?.[1] ?? ',';
    b.insert = { offset: b.span.end, before: b.entries.length > 0 ? delimiter : '', after: '', format: 'gcloud-kv', delimiter, quote: st.quote };
  }
  // In a flow sequence (`args: [run, deploy, …, --set-env-vars=A=1]`) a comma ends a plain
  // item: an entry added after one would become an argument of its own.
  if (args.flow) for (const b of fact.blocks) if (b.insert && b.insert.quote === undefined && (b.insert.delimiter ?? ',') === ',') delete b.insert;
  const quoted = argTexts.map((t) => t?.quote).find((q) => q);
  const quote = quoted ?? "'";
  if (!fact.blocks.some((b) => b.kind === 'env') && !fact.envFiles.length) fact.newEnvBlock = newArgInsertion(ctx, args, 'gcloud-arg-env', quote);
  if (!fact.blocks.some((b) => b.kind === 'secrets')) fact.newSecretBlock = newArgInsertion(ctx, args, 'gcloud-arg-secret', quote);
  return fact;
}

export function extractCloudBuild(ctx: YamlCtx, root: YAMLMap): void {
  const { text } = ctx;
  const subs = new Map<string, string>();
  const hints: DeployFact['environmentHints'] = [];
  for (const p of mapPairs(getNode(root, 'substitutions'))) {
    const st = scalarText(text, p.value);
    if (!st || st.isNull || DOLLAR.test(st.value)) continue;
    subs.set(p.keyText, st.value);
    if (p.keyText.startsWith('_') && namesEnvironment(p.keyText) && st.value !== '') {
      hints.push({ value: st.value, span: st.span, evidence: `substitution ${p.keyText}: ${st.value}` });
    }
  }
  // Env-vars files a step writes from a here-document for a later step's deploy.
  const heredocs: HeredocFile[] = [];
  const steps = asSeq(getNode(root, 'steps'));
  for (const item of steps?.items ?? []) {
    const step = asMap(item);
    if (!step) continue;
    const name = str(text, getNode(step, 'name')) ?? '';
    const entry = mapGet(step, 'entrypoint');
    const entrypoint = str(text, entry?.value);
    const args = asSeq(getNode(step, 'args'));
    const added: DeployFact[] = [];
    // `env: ['TF_VAR_enabled=true']`: the step's terraform gets the variable.
    for (const e of asSeq(getNode(step, 'env'))?.items ?? []) {
      const tfVar = terraformVarOfEnvName((str(text, e) ?? '').split('=')[0]!);
      if (tfVar) addTerraformVarsPassed(ctx.facts, [tfVar]);
    }
    const script = scalarText(text, getNode(step, 'script'));
    const buildsBefore = ctx.facts.builds.length;
    if (script && !script.isNull) {
      if (script.value.includes('gcloud') || mentionsImageBuild(script.value) || mayNameYaml(script.value)) added.push(...runShellOn(ctx, script, 'cloudbuild', hints, { heredocs }));
    } else if (args && args.items.length > 0) {
      const words = args.items.map((it) => str(text, it) ?? '');
      const runs = builderOf(name, words, subs);
      addYamlMentions(ctx.facts, words);
      if (/terraform/.test(name) || words[0] === 'terraform') addTerraformVarsPassed(ctx.facts, terraformVarsInWords(words));
      const first = str(text, args.items[0]);
      const shell = entrypoint ? SHELLS.has(entrypoint) : runs !== 'gcloud' && first !== undefined && SHELLS.has(first);
      if (!entrypoint && (runs === 'docker' || runs === 'kaniko')) {
        const build = buildStep(ctx, step, args, runs);
        if (build) ctx.facts.builds.push(build);
      } else if (entrypoint === 'gcloud' || (!entrypoint && runs === 'gcloud')) {
        const synthetic = (entry?.value as Node | null) ?? (getNode(step, 'name') as Node | null) ?? undefined;
        const f = gcloudStep(ctx, step, args, synthetic, hints);
        if (f) {
          inlineHeredocEnvFiles(f, f.span.start, heredocs);
          added.push(f);
        }
      } else if (shell) {
        // `bash -c <script>` (also `-ec`, `-xc`, `-ceu`: bash takes the script after the flags
        // whatever their order): the script is the element after the flag.
        for (let i = 0; i < args.items.length - 1; i++) {
          const flag = str(text, args.items[i]);
          if (!flag || !/^-[a-z]*c[a-z]*$/.test(flag)) continue;
          const st = scalarText(text, args.items[i + 1]);
          if (st && !st.isNull && (st.value.includes('gcloud') || mentionsImageBuild(st.value) || mayNameYaml(st.value))) added.push(...runShellOn(ctx, st, 'cloudbuild', hints, { heredocs }));
          break;
        }
      } else if (first === 'gcloud' || (!entrypoint && runs === 'sdk')) {
        const f = gcloudStep(ctx, step, args, undefined, hints);
        if (f) {
          inlineHeredocEnvFiles(f, f.span.start, heredocs);
          added.push(f);
        }
      }
    }
    for (const f of added) {
      applySubstitutions(f, subs);
      for (const h of hints) {
        if (!f.environmentHints.some((x) => x.span.start === h.span.start && x.span.end === h.span.end)) f.environmentHints.push(h);
      }
      addHintsFromEntries(f);
    }
    for (const f of added) if (!ctx.facts.deploys.includes(f)) ctx.facts.deploys.push(f);
    // `dir: backend`: the step runs in that folder of the build's workspace, so its paths (a
    // build's context and `-f`, a deploy's `--source`) are from there.
    const dir = str(text, getNode(step, 'dir'));
    const stepDir = dir !== undefined && !DOLLAR.test(dir) && !dir.startsWith('/') ? dir : undefined;
    for (const b of ctx.facts.builds.slice(buildsBefore)) {
      resolveImage(b.image, subs);
      resolveWith(b.dockerfile, subs);
      resolveWith(b.context, subs);
      if (stepDir) {
        b.context = fromWorkingDir(b.context ?? { value: '.', text: '.', span: b.span }, stepDir);
        b.dockerfile = fromWorkingDir(b.dockerfile, stepDir);
      }
    }
    if (stepDir) for (const f of added) f.source = fromWorkingDir(f.source, stepDir);
  }
}
