/**
 * Where the value of a computed `--set-env-vars` / `--set-secrets` comes from. `",".join(f"{k}={v}"
 * for k, v in cfg.environment_vars.items())` names no variable itself: it reads a config's env dict
 * (`attr:environment_vars`), a module dict (`var:ENV_VARS`, optionally indexed by environment) or a
 * dict literal. The dict or list may also grow on its way to the flag (`env["X"] = "1"`,
 * `env_vars.append("X=1")`, often under `if service.name == "web":`): those entries come back as
 * additions, each with its branch, for links.ts to give to the configs that take the branch.
 */
import type { BlockKind, EnvWrite } from '../../core/facts';
import { parseGcloudList } from '../gcloud-args';
import { ENV_KEYS, SECRET_KEYS } from './configs';
import type { DeployContext, Node } from './context';
import { ENV_LIKE, writeValue } from './env-dicts';
import type { Guard } from './guards';
import { growDict, growList, type DictAddition } from './growth';
import { named, nodeSpan, staticString } from './strings';
import { wordOf } from './words';

/** Entries added to the flag's dict or list outside its literal, under a branch. */
export interface Addition {
  guard: Guard;
  writes: EnvWrite[];
}

/** What was added but could not be read (`env.update(other)`, `env_vars.append(x)`), as source text. */
export interface Unread {
  text: string;
  guard: Guard;
}

/**
 * A config's env field (`cfg.environment_vars`, `spec["env"][env]`, with the parameter it is read
 * through as `holder`), a module dict (`ENV_VARS[env]`), a dict literal read in place, or only
 * `NAME=value` strings collected in a list.
 */
export type EnvSource = (
  | { kind: 'attr'; key: string; index?: string; holder?: string }
  | { kind: 'var'; name: string; index?: string }
  | { kind: 'dict'; dict: Node }
  | { kind: 'entries' }
) & { added?: Addition[]; unread?: Unread[] };

function withAdditions(src: EnvSource, added: Addition[], unread: Unread[]): EnvSource {
  if (!added.length && !unread.length) return src;
  return { ...src, added: [...(src.added ?? []), ...added], unread: [...(src.unread ?? []), ...unread] };
}

/** Where a joined `K=V,...` string comes from. */
export function envSource(cx: DeployContext, n: Node | null | undefined, kind: BlockKind, depth = 0): EnvSource | undefined {
  if (!n || depth > 4) return undefined;
  if (n.type === 'identifier') {
    const b = cx.scope.binding(n.text, n);
    if (b && (b.type === 'list' || b.type === 'list_comprehension')) return listSource(cx, b, kind);
    return envSource(cx, b, kind, depth + 1);
  }
  if (n.type === 'parenthesized_expression') return envSource(cx, named(n)[0], kind, depth + 1);
  if (n.type !== 'call') return undefined;
  const fn = n.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'join') return undefined;
  const args = n.childForFieldName('arguments');
  if (!args) return undefined;
  const arg = args.type === 'generator_expression' ? args : named(args)[0];
  if (!arg) return undefined;
  if (arg.type === 'generator_expression' || arg.type === 'list_comprehension') return comprehensionSource(cx, arg);
  if (arg.type === 'list') return listSource(cx, arg, kind);
  if (arg.type === 'identifier') {
    const b = cx.scope.binding(arg.text, arg);
    if (b && (b.type === 'list' || b.type === 'list_comprehension')) return listSource(cx, b, kind);
  }
  return undefined;
}

/** `f"{k}={v}" for k, v in D.items()`: what D is. */
function comprehensionSource(cx: DeployContext, gen: Node): EnvSource | undefined {
  const clause = named(gen).find((c) => c.type === 'for_in_clause');
  return itemsSource(cx, clause?.childForFieldName('right'));
}

/** `D.items()` (possibly in `sorted(...)` or `list(...)`): what D is. */
function itemsSource(cx: DeployContext, right: Node | null | undefined): EnvSource | undefined {
  while (right?.type === 'call' && /^(sorted|list)$/.test(right.childForFieldName('function')?.text ?? '')) {
    right = named(right.childForFieldName('arguments') ?? right)[0];
  }
  if (right?.type !== 'call') return undefined;
  const rf = right.childForFieldName('function');
  if (rf?.type !== 'attribute' || rf.childForFieldName('attribute')?.text !== 'items') return undefined;
  return dictSource(cx, rf.childForFieldName('object'), 0);
}

/** The `for` loop between a list element's statement and the block its list was made in. */
function loopOf(n: Node, boundary: Node | undefined): Node | undefined {
  for (let p = n.parent; p && p.id !== boundary?.id; p = p.parent) {
    if (p.type === 'for_statement') return p;
    if (p.type === 'function_definition') break;
  }
  return undefined;
}

/**
 * An env list joined into the flag: elements appended in a loop over a dict's items link to that
 * dict; `"NAME=value"` elements (literal or f-string) are additions; anything else is unread.
 */
function listSource(cx: DeployContext, list: Node, kind: BlockKind): EnvSource | undefined {
  let link = list.type === 'list_comprehension' ? comprehensionSource(cx, list) : undefined;
  const grown = growList(cx, list);
  const added: Addition[] = [];
  const unread: Unread[] = [...grown.opaque];
  for (const it of grown.items) {
    const loop = loopOf(it.via ?? it.node, grown.boundary);
    if (loop) {
      const src = itemsSource(cx, loop.childForFieldName('right'));
      if (src && !link) link = src;
      else if (!src) unread.push({ text: it.node.type === 'string' ? `an entry added in ${loop.childForFieldName('right')?.text ?? 'a loop'}` : it.node.text, guard: it.guard });
      continue;
    }
    const w = wordOf(it.node, cx.text);
    const { entries } = parseGcloudList(w, 0, kind);
    for (const e of entries) {
      // f-string parts (`A={x}`) are computed, not literal.
      if (e.value.kind === 'literal' && w.dynamic && e.value.value.includes('{')) e.value = { kind: 'dynamic', text: e.value.value, span: e.value.span };
    }
    if (entries.length) added.push({ guard: it.guard, writes: entries });
    // Never a literal's text: it may hold a value.
    else unread.push({ text: it.node.type === 'string' ? 'an element that is not NAME=value' : it.node.text, guard: it.guard });
  }
  if (list.type === 'list_comprehension' && !link) return undefined;
  return withAdditions(link ?? { kind: 'entries' }, added, unread);
}

/** Dict additions as env writes; names that are not env-like are not variables. */
function additionsOf(cx: DeployContext, g: { added: DictAddition[]; opaque: Unread[] }, kind: BlockKind): { added: Addition[]; unread: Unread[] } {
  const added: Addition[] = [];
  for (const a of g.added) {
    if (!ENV_LIKE.test(a.name)) continue;
    const nameSpan = staticString(a.key, cx.text)?.span ?? nodeSpan(a.key);
    added.push({ guard: a.guard, writes: [{ name: a.name, nameSpan, span: nodeSpan(a.whole), value: writeValue(cx, a.value, kind) }] });
  }
  return { added, unread: g.opaque };
}

/** The parameter or loop variable an expression reads a config through (`service` in `service.env["x"]`); not `self`. */
function holderOf(x: Node): string | undefined {
  let n: Node | null = x;
  while (n && n.type !== 'identifier') {
    if (n.type === 'attribute') n = n.childForFieldName('object');
    else if (n.type === 'subscript') n = n.childForFieldName('value');
    else if (n.type === 'call') n = n.childForFieldName('function');
    else return undefined;
  }
  return n && n.text !== 'self' && n.text !== 'cls' ? n.text : undefined;
}

const COPIES = /^(dict|copy\.copy|copy\.deepcopy|deepcopy)$/;

/** What the dict in `x.items()` is. */
export function dictSource(cx: DeployContext, x: Node | null | undefined, depth: number, kind: BlockKind = 'env'): EnvSource | undefined {
  if (!x || depth > 4) return undefined;
  const varKey = (t: string): boolean => cx.configs.some((c) => c.keys.has('var:' + t));
  if (varKey(x.text)) return { kind: 'var', name: x.text };
  if (x.type === 'subscript') {
    const v = x.childForFieldName('value');
    const idx = x.childForFieldName('subscript');
    const idxs = idx ? staticString(idx, cx.text)?.value : undefined;
    if (v && varKey(v.text)) return { kind: 'var', name: v.text, index: idxs };
    if (idxs && (ENV_KEYS.has(idxs) || SECRET_KEYS.has(idxs))) return { kind: 'attr', key: idxs, holder: holderOf(x) };
    // `spec["env"][env]`, `cfg["secrets"]["staging"]`: a config's per-environment dict.
    const inner = v && (v.type === 'subscript' || v.type === 'attribute' || v.type === 'call') ? dictSource(cx, v, depth + 1, kind) : undefined;
    if (inner?.kind === 'attr' && inner.index === undefined) return { kind: 'attr', key: inner.key, index: idxs, holder: inner.holder };
    return undefined;
  }
  if (x.type === 'attribute') {
    const attr = x.childForFieldName('attribute')?.text ?? '';
    const d = cx.scope.resolveDict(x);
    if (d) return { kind: 'dict', dict: d };
    if (!ENV_KEYS.has(attr) && !SECRET_KEYS.has(attr)) return undefined;
    const src: EnvSource = { kind: 'attr', key: attr, holder: holderOf(x) };
    // `service.environment_vars["X"] = "1"` in the builder itself.
    const fn = cx.scope.enclosingFunction(x);
    const params = fn?.childForFieldName('parameters');
    if (!params) return src;
    const g = additionsOf(cx, growDict(cx, x.text, params), kind);
    return withAdditions(src, g.added, g.unread);
  }
  if (x.type === 'call') {
    const fn = x.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    const args = named(x.childForFieldName('arguments') ?? x);
    if (method === 'get') {
      const ks = args[0] && staticString(args[0], cx.text)?.value;
      if (ks && (ENV_KEYS.has(ks) || SECRET_KEYS.has(ks))) return { kind: 'attr', key: ks, holder: holderOf(x) };
      return undefined;
    }
    // `dict(cfg.env)`, `cfg.env.copy()`, `copy.deepcopy(cfg.env)`: the same entries.
    if (method === 'copy' && fn) return dictSource(cx, fn.childForFieldName('object'), depth + 1, kind);
    if (fn && COPIES.test(fn.text) && args.length === 1) return dictSource(cx, args[0], depth + 1, kind);
    return undefined;
  }
  if (x.type === 'identifier') {
    const b = cx.scope.binding(x.text, x);
    if (!b) return undefined;
    const base: EnvSource | undefined = b.type === 'dictionary' ? { kind: 'dict', dict: b } : dictSource(cx, b, depth + 1, kind);
    if (!base || !b.parent) return base;
    const g = additionsOf(cx, growDict(cx, x.text, b.parent), kind);
    return withAdditions(base, g.added, g.unread);
  }
  return undefined;
}
