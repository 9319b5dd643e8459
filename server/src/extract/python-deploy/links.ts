/**
 * Env flags whose value is built in Python. `--set-env-vars=",".join(f"{k}={v}" for k, v in
 * cfg.environment_vars.items())` names no vars itself: the link back to the configs' env dicts
 * (env-sources.ts) lets the configs carry the command's service, project and region instead of the
 * command standing alone with an unreadable env flag. A join over a dict literal or a list of
 * `NAME=value` strings is read in place.
 */
import type { DeployFact, EnvBlock, EnvWrite } from '../../core/facts';
import type { Word } from '../gcloud-args';
import type { ConfigFact, DeployContext, Node } from './context';
import { dictBlock } from './env-dicts';
import { envSource, type EnvSource, type Unread } from './env-sources';
import { addHint, entryHints } from './environment-hints';
import { judge, type Subject } from './guards';
import { named, strInfo } from './strings';

const ENV_FLAG_RE = /^--(set|update)-(env-vars|secrets)$/;

/** An env flag in a command, and the word and Python node holding its value. */
export interface EnvFlagUse {
  flag: string;
  wordIndex: number;
  node: Node;
  /** Entries added to the flag's dict or list outside its literal, for the configs it links to. */
  extra?: EnvBlock;
}

/** Configs reached by each env flag of a command. */
export type Links = Map<EnvFlagUse, ConfigFact[]>;

/** The one config a builder's command is being read for, and how its branches are judged. */
export interface ForConfig {
  config: ConfigFact;
  subject: Subject;
}

/** A computed flag value with no entries read and nowhere to add one (`--set-env-vars=$VARS`): the command's env is unknown. */
export function unreadable(b: EnvBlock): boolean {
  return b.entries.length === 0 && !b.insert;
}

/** Each env flag of a command whose value is computed, with where that value comes from. */
export function flagSources(cx: DeployContext, words: Word[], nodes: Node[]): { use: EnvFlagUse; src: EnvSource }[] {
  const out: { use: EnvFlagUse; src: EnvSource }[] = [];
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    const eq = v.indexOf('=');
    const flag = eq >= 0 ? v.slice(0, eq) : v;
    if (!ENV_FLAG_RE.test(flag)) continue;
    const use: EnvFlagUse | undefined = eq >= 0 ? { flag, wordIndex: i, node: nodes[i] }
      : i + 1 < words.length ? { flag, wordIndex: i + 1, node: nodes[i + 1] } : undefined;
    if (!use || !words[use.wordIndex].dynamic) continue;
    const expr = flagExpression(use, words[use.wordIndex]);
    const src = expr && envSource(cx, expr, flag.endsWith('secrets') ? 'secrets' : 'env');
    if (src) out.push({ use, src });
  }
  return out;
}

/** The configs whose env dict a source reads (`attr:environment_vars`, `var:ENV_VARS`, by environment). */
export function configsOf(cx: DeployContext, src: EnvSource): ConfigFact[] {
  if (src.kind !== 'attr' && src.kind !== 'var') return [];
  const key = src.kind === 'attr' ? 'attr:' + src.key : 'var:' + src.name;
  return cx.configs.filter((c) => c.keys.has(key) &&
    (src.index === undefined || c.envName === undefined || c.envName === src.index));
}

/**
 * The additions that apply: all of them for a standalone command; for one config of a builder,
 * those whose branch it takes. A branch that cannot be decided leaves a reason instead.
 */
function applicable(cx: DeployContext, src: EnvSource, only: ForConfig | undefined): { writes: EnvWrite[]; unread: string[] } {
  const writes: EnvWrite[] = [];
  const unread: string[] = [];
  const verdict = (u: { guard: Unread['guard'] }): string => (only ? judge(cx, u.guard, only.subject) : 'yes');
  for (const a of src.added ?? []) {
    const v = verdict(a);
    if (v === 'yes' || v === 'free') writes.push(...a.writes);
    else if (v === 'unknown') unread.push(`${a.writes.map((w) => w.name).join(', ')} added under a branch that could not be decided`);
  }
  for (const u of src.unread ?? []) if (verdict(u) !== 'no') unread.push(u.text);
  return { writes, unread };
}

/**
 * Follows each computed env flag value: a join over a dict literal or a list of `NAME=value`
 * strings becomes the flag's block in `fact` (unread parts go to `opaque`); a join over a
 * config's env dict is returned as a link, with the entries added to it on the way.
 */
export function linkEnvFlags(cx: DeployContext, fact: DeployFact, words: Word[], nodes: Node[], opaque: string[], only?: ForConfig): Links {
  const linked: Links = new Map();
  for (const { use: u, src } of flagSources(cx, words, nodes)) {
    const kind = u.flag.endsWith('secrets') ? 'secrets' : 'env';
    const mode = u.flag.startsWith('--update') ? 'update' : 'set';
    const { writes, unread } = applicable(cx, src, only);
    opaque.push(...unread);
    const old = blockOf(fact, words, u);
    const extra: EnvBlock | undefined = writes.length
      ? { kind, mode, span: old?.span ?? words[u.wordIndex].span, entries: writes }
      : undefined;
    if (src.kind === 'dict' || src.kind === 'entries') {
      const b = src.kind === 'dict' ? dictBlock(cx, src.dict, kind) : undefined;
      if (b) {
        b.block.mode = mode;
        for (const s of b.splats) opaque.push(s.text);
      }
      const replacement = b?.block ?? extra;
      if (!replacement) continue;
      if (old) fact.blocks[fact.blocks.indexOf(old)] = replacement;
      else fact.blocks.push(replacement);
      if (b && extra) fact.blocks.push(extra);
      for (const blk of [replacement, ...(b && extra ? [extra] : [])]) for (const h of entryHints(blk)) addHint(fact, h);
      continue;
    }
    const cfgs = configsOf(cx, src).filter((c) => !only || c === only.config);
    if (!cfgs.length) continue;
    if (extra) u.extra = extra;
    linked.set(u, cfgs);
  }
  return linked;
}

/**
 * The command's facts go into every config it is linked to (and into `also`, configs a builder
 * deploys without an env flag reaching their dict): `--update-*` lowers the configs' blocks to
 * updates, what the config left unsaid (service, project, region, source, image) comes from the
 * command, and the command's other env blocks, the entries added to the linked dict on the way,
 * and env files join the config's.
 */
export function fillLinkedConfigs(fact: DeployFact, words: Word[], linked: Links, opaque: string[], also: ConfigFact[] = []): void {
  const linkedBlocks = new Set<EnvBlock>();
  for (const u of linked.keys()) {
    const b = blockOf(fact, words, u);
    if (b) linkedBlocks.add(b);
  }
  const others = fact.blocks.filter((b) => !linkedBlocks.has(b));
  const otherOpaque = others.some(unreadable) ? fact.opaque : undefined;
  const uses = new Map<ConfigFact, EnvFlagUse[]>();
  for (const [u, cfgs] of linked) for (const c of cfgs) uses.set(c, [...(uses.get(c) ?? []), u]);
  for (const c of also) if (!uses.has(c)) uses.set(c, []);
  for (const [c, us] of uses) {
    const f = c.fact;
    for (const u of us) {
      const kind = u.flag.endsWith('secrets') ? 'secrets' : 'env';
      if (u.flag.startsWith('--update')) for (const b of f.blocks) if (b.kind === kind) b.mode = 'update';
    }
    f.platform = fact.platform;
    f.service ??= fact.service;
    f.project ??= fact.project;
    f.region ??= fact.region;
    if (!f.source && fact.source?.value !== undefined) f.source = fact.source;
    if (!f.image && fact.image?.value !== undefined) f.image = fact.image;
    for (const h of fact.environmentHints) addHint(f, h);
    for (const b of others) if (!f.blocks.includes(b)) f.blocks.push(b);
    for (const u of us) {
      if (!u.extra || f.blocks.includes(u.extra)) continue;
      f.blocks.push(u.extra);
      for (const h of entryHints(u.extra)) addHint(f, h);
    }
    f.envFiles.push(...fact.envFiles);
    if (fact.envFilesYaml) f.envFilesYaml = true;
    f.opaque ??= otherOpaque ?? opaque[0];
  }
}

/** The block the gcloud interpreter read from an env flag's value word. */
function blockOf(fact: DeployFact, words: Word[], u: EnvFlagUse): EnvBlock | undefined {
  const w = words[u.wordIndex];
  return fact.blocks.find((b) => w.span.start <= b.span.start && b.span.end <= w.span.end);
}

/** The Python expression an env flag's value comes from (`env_str`, the `{...}` of an f-string). */
function flagExpression(u: EnvFlagUse, w: Word): Node | undefined {
  const n = u.node;
  if (n.type === 'string') {
    const info = strInfo(n);
    const eq = w.value.indexOf('=');
    const rest = w.value.startsWith('--') && eq >= 0 ? w.value.slice(eq + 1) : w.value;
    const it = info?.interps.find((x) => x.text === rest && w.span.start <= x.startIndex && x.endIndex <= w.span.end);
    if (!it) return undefined;
    return it.childForFieldName('expression') ?? named(it)[0];
  }
  if (n.type === 'binary_operator') return n.childForFieldName('right') ?? undefined;
  if (n.type === 'identifier' || n.type === 'call' || n.type === 'attribute' || n.type === 'subscript') return n;
  return undefined;
}
