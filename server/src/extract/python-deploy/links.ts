/**
 * Env flags whose value is built in Python. `--set-env-vars=",".join(f"{k}={v}" for k, v in
 * cfg.environment_vars.items())` names no vars itself: the link back to the configs' env dicts
 * (by field, `attr:environment_vars`, or module dict, `var:ENV_VARS`, optionally indexed by an
 * environment) lets the configs carry the command's service, project and region instead of the
 * command standing alone with an unreadable env flag. A join over a dict literal is read in place.
 */
import type { DeployFact, EnvBlock } from '../../core/facts';
import type { Word } from '../gcloud-args';
import { ENV_KEYS, SECRET_KEYS } from './configs';
import type { ConfigFact, DeployContext, Node } from './context';
import { dictBlock } from './env-dicts';
import { addHint, entryHints } from './environment-hints';
import { named, staticString, strInfo } from './strings';

const ENV_FLAG_RE = /^--(set|update)-(env-vars|secrets)$/;

/** An env flag in a command, and the word and Python node holding its value. */
export interface EnvFlagUse {
  flag: string;
  wordIndex: number;
  node: Node;
}

/**
 * The dict a joined env string is built from: a field of any config (`cfg.environment_vars`,
 * `spec["env"][env]`), a module dict (`ENV_VARS[env]`), or a dict literal read in place.
 */
type EnvSource =
  | { kind: 'attr'; key: string; index?: string }
  | { kind: 'var'; name: string; index?: string }
  | { kind: 'dict'; dict: Node };

/** Configs reached by each env flag of a command. */
export type Links = Map<EnvFlagUse, ConfigFact[]>;

/** A computed flag value with no entries read and nowhere to add one (`--set-env-vars=$VARS`): the command's env is unknown. */
export function unreadable(b: EnvBlock): boolean {
  return b.entries.length === 0 && !b.insert;
}

/**
 * Follows each computed env flag value: a join over a dict literal becomes the flag's block in
 * `fact` (its `**splats` go to `opaque`); a join over a config's env dict is returned as a link.
 */
export function linkEnvFlags(cx: DeployContext, fact: DeployFact, words: Word[], nodes: Node[], opaque: string[]): Links {
  // Locate each env flag's value node.
  const uses: EnvFlagUse[] = [];
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    const eq = v.indexOf('=');
    const flag = eq >= 0 ? v.slice(0, eq) : v;
    if (!ENV_FLAG_RE.test(flag)) continue;
    if (eq >= 0) uses.push({ flag, wordIndex: i, node: nodes[i] });
    else if (i + 1 < words.length) uses.push({ flag, wordIndex: i + 1, node: nodes[i + 1] });
  }
  const linked: Links = new Map();
  for (const u of uses) {
    if (!words[u.wordIndex].dynamic) continue;
    const expr = flagExpression(u, words[u.wordIndex]);
    const src = expr && envSource(cx, expr);
    if (!src) continue;
    const kind = u.flag.endsWith('secrets') ? 'secrets' : 'env';
    const mode = u.flag.startsWith('--update') ? 'update' : 'set';
    if (src.kind === 'dict') {
      const b = dictBlock(cx, src.dict, kind);
      const old = blockOf(fact, words, u);
      if (!b) continue;
      b.block.mode = mode;
      if (old) fact.blocks[fact.blocks.indexOf(old)] = b.block;
      else fact.blocks.push(b.block);
      for (const s of b.splats) opaque.push(s.text);
      for (const h of entryHints(b.block)) addHint(fact, h);
      continue;
    }
    const key = src.kind === 'attr' ? 'attr:' + src.key : 'var:' + src.name;
    const cfgs = cx.configs.filter((c) => c.keys.has(key) &&
      (src.index === undefined || c.envName === undefined || c.envName === src.index));
    if (cfgs.length) linked.set(u, cfgs);
  }
  return linked;
}

/**
 * The command's facts go into every config it is linked to: `--update-*` lowers the configs' blocks
 * to updates, what the config left unsaid (service, project, region, source, image) comes from the
 * command, and the command's other env blocks and env files join the config's.
 */
export function fillLinkedConfigs(fact: DeployFact, words: Word[], linked: Links, opaque: string[]): void {
  const linkedBlocks = new Set<EnvBlock>();
  for (const u of linked.keys()) {
    const b = blockOf(fact, words, u);
    if (b) linkedBlocks.add(b);
  }
  const others = fact.blocks.filter((b) => !linkedBlocks.has(b));
  const otherOpaque = others.some(unreadable) ? fact.opaque : undefined;
  const done = new Set<ConfigFact>();
  for (const [u, cfgs] of linked) {
    for (const c of cfgs) {
      const kind = u.flag.endsWith('secrets') ? 'secrets' : 'env';
      if (u.flag.startsWith('--update')) for (const b of c.fact.blocks) if (b.kind === kind) b.mode = 'update';
      if (done.has(c)) continue;
      done.add(c);
      const f = c.fact;
      f.platform = fact.platform;
      f.service ??= fact.service;
      f.project ??= fact.project;
      f.region ??= fact.region;
      if (!f.source && fact.source?.value !== undefined) f.source = fact.source;
      if (!f.image && fact.image?.value !== undefined) f.image = fact.image;
      for (const h of fact.environmentHints) addHint(f, h);
      for (const b of others) if (!f.blocks.includes(b)) f.blocks.push(b);
      f.envFiles.push(...fact.envFiles);
      f.opaque ??= otherOpaque ?? opaque[0];
    }
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

/** Where a joined `K=V,...` string comes from: a config's env dict, an env-keyed dict, a dict literal. */
function envSource(cx: DeployContext, n: Node | null | undefined, depth = 0): EnvSource | undefined {
  if (!n || depth > 4) return undefined;
  if (n.type === 'identifier') return envSource(cx, cx.scope.binding(n.text, n), depth + 1);
  if (n.type === 'parenthesized_expression') return envSource(cx, named(n)[0], depth + 1);
  if (n.type !== 'call') return undefined;
  const fn = n.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'join') return undefined;
  const args = n.childForFieldName('arguments');
  if (!args) return undefined;
  const gen = args.type === 'generator_expression' ? args : named(args)[0];
  if (!gen || (gen.type !== 'generator_expression' && gen.type !== 'list_comprehension')) return undefined;
  const clause = named(gen).find((c) => c.type === 'for_in_clause');
  let right = clause?.childForFieldName('right');
  while (right?.type === 'call' && /^(sorted|list)$/.test(right.childForFieldName('function')?.text ?? '')) {
    right = named(right.childForFieldName('arguments') ?? right)[0];
  }
  if (right?.type !== 'call') return undefined;
  const rf = right.childForFieldName('function');
  if (rf?.type !== 'attribute' || rf.childForFieldName('attribute')?.text !== 'items') return undefined;
  return dictSource(cx, rf.childForFieldName('object'), 0);
}

/** What the dict in `x.items()` is. */
function dictSource(cx: DeployContext, x: Node | null | undefined, depth: number): EnvSource | undefined {
  if (!x || depth > 4) return undefined;
  const varKey = (t: string): boolean => cx.configs.some((c) => c.keys.has('var:' + t));
  if (varKey(x.text)) return { kind: 'var', name: x.text };
  if (x.type === 'subscript') {
    const v = x.childForFieldName('value');
    const idx = x.childForFieldName('subscript');
    const idxs = idx ? staticString(idx, cx.text)?.value : undefined;
    if (v && varKey(v.text)) return { kind: 'var', name: v.text, index: idxs };
    if (idxs && (ENV_KEYS.has(idxs) || SECRET_KEYS.has(idxs))) return { kind: 'attr', key: idxs };
    // `spec["env"][env]`, `cfg["secrets"]["staging"]`: a config's per-environment dict.
    const inner = v && (v.type === 'subscript' || v.type === 'attribute' || v.type === 'call') ? dictSource(cx, v, depth + 1) : undefined;
    if (inner?.kind === 'attr' && inner.index === undefined) return { kind: 'attr', key: inner.key, index: idxs };
    return undefined;
  }
  if (x.type === 'attribute') {
    const attr = x.childForFieldName('attribute')?.text ?? '';
    const d = cx.scope.resolveDict(x);
    if (d) return { kind: 'dict', dict: d };
    if (ENV_KEYS.has(attr) || SECRET_KEYS.has(attr)) return { kind: 'attr', key: attr };
    return undefined;
  }
  if (x.type === 'call' && x.childForFieldName('function')?.type === 'attribute' &&
    x.childForFieldName('function')?.childForFieldName('attribute')?.text === 'get') {
    const k = named(x.childForFieldName('arguments') ?? x)[0];
    const ks = k && staticString(k, cx.text)?.value;
    if (ks && (ENV_KEYS.has(ks) || SECRET_KEYS.has(ks))) return { kind: 'attr', key: ks };
    return undefined;
  }
  if (x.type === 'identifier') {
    const b = cx.scope.binding(x.text, x);
    if (!b) return undefined;
    if (b.type === 'dictionary') return { kind: 'dict', dict: b };
    return dictSource(cx, b, depth + 1);
  }
  return undefined;
}
