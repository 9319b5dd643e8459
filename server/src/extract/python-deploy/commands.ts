/**
 * Deploys run as commands: gcloud argument lists (`["gcloud", "run", "deploy", ...]`, grown by
 * `+`, `.extend`, `.append`, `+=`) and shell strings (`f"gcloud run deploy {name} ..."`, grown by
 * `cmd += " --flag"`). Both become words for the shared gcloud interpreter. A command built for
 * the service configs (builders.ts: its env flag joins a config's dict, or its name is a config
 * field) is read once per config, with the flags of the branches that config takes, and goes into
 * the config rather than standing alone; any other command keeps every flag it may get.
 */
import type { DeployFact, Insertion, Resolved, Span } from '../../core/facts';
import { commandSites } from './command-sites';
import { interpretGcloud, isGcloudWord, type Word } from '../gcloud-args';
import type { ConfigFact, DeployContext, Node } from './context';
import { addHint, entryHints, suffixHints } from './environment-hints';
import { containerInsertion } from './insertions';
import { findBuilder, subjectFor, undecided, type Builder } from './builders';
import { judge, type Guard } from './guards';
import { growList, growString, type Grown, type GrownList } from './growth';
import { fillLinkedConfigs, linkEnvFlags, unreadable, type ForConfig } from './links';
import { named, streamOf, strInfo, type Stream } from './strings';
import { shellSplit, wordOf } from './words';

/** A string holding `gcloud`, or a `"run"` element of a list whose `gcloud` element is a variable. */
const COMMAND_STRINGS = /gcloud|^["']run["']$/;
const COMMAND_WORDS = ['gcloud', 'run'];

/** The deploys of every gcloud command in the file, standalone ones only: linked ones went into their configs. */
export function findCommands(cx: DeployContext): DeployFact[] {
  const out: DeployFact[] = [];
  for (const site of commandSites(cx, COMMAND_WORDS, COMMAND_STRINGS)) {
    if (site.kind === 'string') {
      out.push(...stringCommand(cx, site.node));
      continue;
    }
    const fact = listCommand(cx, site.node);
    if (fact) out.push(fact);
  }
  return out;
}

/** A gcloud argument list; a missing env flag would be added as new list elements. */
function listCommand(cx: DeployContext, list: Node): DeployFact | undefined {
  const grown = growList(cx, list);
  const elements = grown.items.map((i) => i.node);
  const words = elements.map((e) => wordOf(e, cx.text));
  const start = words.findIndex((w) => isGcloudWord(w));
  if (start < 0) return undefined;
  const fact = interpretGcloud(words, start, { via: 'python' });
  if (!fact) return undefined;
  const builder = findBuilder(cx, list, fact.service, words, elements);
  if (builder) {
    for (const c of builder.configs) readForConfig(cx, grown, builder, c);
    return undefined;
  }
  const quote = elements.map((e) => strInfo(e)?.quote).find((q) => q) ?? '"';
  const newEnv = containerInsertion(cx.text, list, named(list), 'gcloud-arg-env', quote);
  return finishCommand(cx, fact, words, elements, grown.opaque.map((o) => o.text), newEnv, { ...newEnv, format: 'gcloud-arg-secret' });
}

/**
 * A builder's command as it runs for one config: the elements of the branches the config takes,
 * read into that config. An element under a branch that cannot be decided is left out and makes
 * the config partial, with the flags and the condition as the reason.
 */
function readForConfig(cx: DeployContext, grown: GrownList, b: Builder, c: ConfigFact): void {
  const subject = subjectFor(c, b.holder);
  const kept: Node[] = [];
  const opaque: string[] = [];
  const undecidedWords: Word[] = [];
  let firstUnknown: Guard | undefined;
  for (const it of grown.items) {
    const v = judge(cx, it.guard, subject);
    if (v === 'yes' || v === 'free') kept.push(it.node);
    else if (v === 'unknown') {
      undecidedWords.push(wordOf(it.node, cx.text));
      firstUnknown ??= it.guard;
    }
  }
  for (const o of grown.opaque) if (judge(cx, o.guard, subject) !== 'no') opaque.push(o.text);
  if (firstUnknown) opaque.unshift(undecided(undecidedWords, guardText(firstUnknown)));
  const words = kept.map((e) => wordOf(e, cx.text));
  const start = words.findIndex((w) => isGcloudWord(w));
  const fact = start >= 0 ? interpretGcloud(words, start, { via: 'python' }) : undefined;
  if (!fact) return;
  setDeployedName(cx, b, c);
  finishCommand(cx, fact, words, kept, opaque, undefined, undefined, { config: c, subject });
}

/** A string that is a docstring, or only printed, logged or used as help text: a command line shown, not run. */
export function onlyShown(node: Node): boolean {
  if (node.parent?.type === 'expression_statement') return true; // docstring
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'call') {
      const fn = p.childForFieldName('function')?.text ?? '';
      return /(^|\.)(print|echo|write|info|debug|warning|warn|error|exception|critical|log|fail|secho|add_argument|ArgumentParser)$/i.test(fn);
    }
    if (p.type.endsWith('statement') || p.type === 'assignment' || p.type === 'block') break;
  }
  return false;
}

/** Commands in a Python string; one that is only printed, logged or used as help text is not run, so not a deploy. */
function stringCommand(cx: DeployContext, node: Node): DeployFact[] {
  const st = streamOf(node, cx.text);
  if (!st || !/(^\s*|[;&|]\s*)gcloud\s/.test(st.value)) return [];
  if (onlyShown(node)) return [];
  const grown = growString(cx, node);
  const all = joined(cx, grown.pieces);
  const out: DeployFact[] = [];
  for (const cmd of shellSplit(all.stream)) {
    const start = cmd.findIndex(isGcloudWord);
    if (start < 0) continue;
    const fact = interpretGcloud(cmd, start, { via: 'python' });
    if (!fact) continue;
    const nodes = cmd.map((w) => all.pieceAt(w.span.start).node);
    const builder = findBuilder(cx, node, fact.service, cmd, nodes);
    if (builder) {
      for (const c of builder.configs) readStringForConfig(cx, grown, builder, c, cmd[start].span.start);
      continue;
    }
    // A new flag goes after the last word every run has, never into a branch's piece.
    const last = [...cmd].reverse().find((w) => all.pieceAt(w.span.start).guard.length === 0);
    const info = node.type === 'string' ? strInfo(node) : undefined;
    const newEnv: Insertion | undefined = last?.offsets && !last.dynamic
      ? { offset: last.offsets[last.value.length], before: ' ', after: '', format: 'gcloud-flag-env', quote: info?.quote }
      : undefined;
    const done = finishCommand(cx, fact, cmd, nodes, grown.opaque.map((o) => o.text), newEnv, newEnv && { ...newEnv, format: 'gcloud-flag-secret' });
    if (done) out.push(done);
  }
  return out;
}

/** String pieces read as one shell text, and the piece each source offset falls in. */
function joined(cx: DeployContext, pieces: Grown[]): { stream: Stream; pieceAt: (offset: number) => Grown } {
  const stream: Stream = { value: '', offs: [], ends: [], kinds: [] };
  for (const p of pieces) streamOf(p.node, cx.text, stream);
  const pieceAt = (offset: number): Grown => pieces.find((p) => p.node.startIndex <= offset && offset < p.node.endIndex) ?? pieces[0];
  return { stream, pieceAt };
}

/** A builder's command string as it runs for one config: the pieces of the branches it takes. */
function readStringForConfig(cx: DeployContext, grown: { pieces: Grown[]; opaque: GrownList['opaque'] }, b: Builder, c: ConfigFact, gcloudAt: number): void {
  const subject = subjectFor(c, b.holder);
  const kept: Grown[] = [];
  const opaque: string[] = [];
  const undecidedPieces: Grown[] = [];
  for (const p of grown.pieces) {
    const v = judge(cx, p.guard, subject);
    if (v === 'yes' || v === 'free') kept.push(p);
    else if (v === 'unknown') undecidedPieces.push(p);
  }
  for (const o of grown.opaque) if (judge(cx, o.guard, subject) !== 'no') opaque.push(o.text);
  if (undecidedPieces.length) {
    const words = shellSplit(joined(cx, undecidedPieces).stream).flat();
    opaque.unshift(undecided(words, guardText(undecidedPieces[0].guard)));
  }
  const all = joined(cx, kept);
  const cmd = shellSplit(all.stream).find((ws) => ws.some((w) => w.span.start === gcloudAt && isGcloudWord(w)));
  const start = cmd ? cmd.findIndex((w) => w.span.start === gcloudAt) : -1;
  const fact = cmd && start >= 0 ? interpretGcloud(cmd, start, { via: 'python' }) : undefined;
  if (!cmd || !fact) return;
  setDeployedName(cx, b, c);
  finishCommand(cx, fact, cmd, cmd.map((w) => all.pieceAt(w.span.start).node), opaque, undefined, undefined, { config: c, subject });
}

/** A guard's conditions as written, for a reason. */
function guardText(g: Guard): string {
  return g.map((x) => (x.kind === 'expr' ? x.node.text : x.clause.text.split('\n')[0])).join(' and ');
}

/** `gcloud run deploy service.cloud_run_name`: the config's own field is its deployed name. */
function setDeployedName(cx: DeployContext, b: Builder, c: ConfigFact): void {
  const own = b.nameField !== undefined ? c.fields.get(b.nameField) : undefined;
  if (!own || own.type === 'dictionary' || own.type === 'list') return;
  const r = cx.scope.resolved(own);
  if (r.value !== undefined) c.fact.service = r;
}

/**
 * Completes a command's fact from the Python around it: computed env values, links to configs,
 * project and region behind names, environment hints. Returns the fact, or undefined when the
 * command was linked to configs and went into them.
 */
function finishCommand(
  cx: DeployContext, fact: DeployFact, words: Word[], nodes: Node[], opaque: string[],
  newEnv: Insertion | undefined, newSecret: Insertion | undefined, only?: ForConfig,
): DeployFact | undefined {
  // f-string parts inside a static-looking list value (`A={x}`) are dynamic.
  for (const b of fact.blocks) {
    for (const e of b.entries) {
      if (e.value.kind !== 'literal' || !e.value.value.includes('{')) continue;
      const w = words.find((x) => x.span.start <= e.span.start && e.span.end <= x.span.end);
      if (w?.dynamic) e.value = { kind: 'dynamic', text: e.value.value, span: e.value.span };
    }
  }
  const linked = linkEnvFlags(cx, fact, words, nodes, opaque, only);
  // Values written as `self.project_id`, `PROJECT_ID`, `args.region`, `f"{region}"`.
  // A service named by a module constant (`SERVICE_NAME = "api"`); a parameter or a local may
  // name a different service on each call, so only a constant is taken.
  const serviceNode = fact.service ? nodes[wordHolding(words, fact.service.span)] : undefined;
  if (serviceNode?.type === 'identifier' && cx.scope.isModuleName(serviceNode.text, serviceNode)) fact.service = enrich(cx, fact.service, words, nodes);
  fact.project = enrich(cx, fact.project, words, nodes);
  fact.region = enrich(cx, fact.region, words, nodes);
  // `f"--source={PROJECT_ROOT}"` with `PROJECT_ROOT = Path(__file__).parent`: the script's folder.
  fact.source = enrich(cx, fact.source, words, nodes);
  for (const h of suffixHints(cx, fact.service, words, nodes)) addHint(fact, h);
  for (const b of fact.blocks) for (const h of entryHints(b, b.mode === 'update' ? '--update-env-vars' : '--set-env-vars')) addHint(fact, h);
  if (linked.size > 0 || only) {
    fillLinkedConfigs(fact, words, linked, opaque, only ? [only.config] : []);
    return undefined;
  }
  if (fact.opaque && !fact.blocks.some(unreadable)) fact.opaque = undefined;
  if (!fact.opaque && opaque.length) fact.opaque = opaque[0];
  if (!fact.blocks.some((b) => b.kind === 'env') && newEnv) fact.newEnvBlock = newEnv;
  if (!fact.blocks.some((b) => b.kind === 'secrets') && newSecret) fact.newSecretBlock = newSecret;
  return fact;
}

/** The index of the word whose span holds `span`, or -1. */
function wordHolding(words: Word[], span: Span): number {
  return words.findIndex((w) => w.span.start <= span.start && span.end <= w.span.end);
}

/** `self.project_id` / `PROJECT_ID` / `f"{region}"` as a command value: text kept, value and span from its literal. */
export function enrich(cx: DeployContext, r: Resolved | undefined, words: Word[], nodes: Node[]): Resolved | undefined {
  if (!r || r.value !== undefined) return r;
  const rs = r.span;
  const rt = r.text;
  const i = wordHolding(words, rs);
  if (i < 0) return r;
  let expr: Node | undefined = nodes[i];
  if (expr.type === 'string') {
    const it = strInfo(expr)?.interps.find((x) => x.text === rt && rs.start <= x.startIndex && x.endIndex <= rs.end);
    expr = it ? (it.childForFieldName('expression') ?? named(it)[0]) : undefined;
    if (expr) r = { ...r, text: expr.text };
  } else if (expr.type !== 'identifier' && expr.type !== 'attribute' && expr.type !== 'call') expr = undefined;
  const v = expr && cx.scope.resolveValue(expr);
  return v ? { ...r, value: v.value, span: v.span } : r;
}
