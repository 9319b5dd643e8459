/**
 * Values a setup script writes into Secret Manager: `subprocess.run([GCLOUD, "secrets", "versions",
 * "add", name, "--data-file=-"], input=value.encode())` (or `secrets create NAME --data-file=-`),
 * for one literal or for every entry of a dict of secret name → value walked by a loop. Only
 * values written as literals count (a string, or a name bound to one): `os.getenv("X", "…")` is a
 * fallback the operator may override, not what the script stores. The values are secrets: kept
 * for analysis only, never printed.
 */
import type { SecretValueFact, Span } from '../../core/facts';
import { createsSecret, interpretSecretFromStdin, isGcloudWord } from '../gcloud-args';
import type { DeployContext, Node } from './context';
import { growList } from './growth';
import { named, staticString } from './strings';
import { wordOf } from './words';
import { writesOnlyWhenNew } from './seeding';
import { matchingStrings } from './word-sites';

/** The `"secrets"` element of an argument list. */
const SECRETS = /^["']secrets["']$/;

/** Every literal the script writes as a secret's value. */
export function findSecretValues(cx: DeployContext): SecretValueFact[] {
  const out: SecretValueFact[] = [];
  const seen = new Set<number>();
  for (const s of matchingStrings(cx.root, cx.text, ['secrets'], SECRETS)) {
    const list = s.parent;
    if (list?.type !== 'list' || seen.has(list.id)) continue;
    seen.add(list.id);
    const call = runningCall(cx, list);
    const input = call && keyword(call, 'input');
    if (!input) continue;
    const nodes = growList(cx, list).items.map((i) => i.node);
    const words = nodes.map((n) => wordOf(n, cx.text));
    const start = words.findIndex(isGcloudWord);
    const secret = start >= 0 ? interpretSecretFromStdin(words, start) : undefined;
    if (!secret) continue;
    const nameNode = nodes[words.findIndex((w) => w.span.start <= secret.span.start && secret.span.end <= w.span.end)];
    const seeded = writesOnlyWhenNew(cx, call) || createsSecret(words, start) ? { onlyWhenNew: true as const } : {};
    if (secret.value !== undefined) {
      const v = literalOf(cx, input);
      if (v) out.push({ secret: secret.value, secretSpan: secret.span, value: v.value, valueSpan: v.span, ...seeded });
      continue;
    }
    if (nameNode) out.push(...fromLoop(cx, nameNode, input).map((f) => ({ ...f, ...seeded })));
  }
  const unique = new Map(out.map((f) => [`${f.secret}@${f.valueSpan.start}`, f]));
  return [...unique.values()];
}

/** The call the list is run by: passed directly, or through the name it was assigned to. */
function runningCall(cx: DeployContext, list: Node): Node | undefined {
  const direct = list.parent?.type === 'argument_list' ? list.parent.parent : undefined;
  if (direct?.type === 'call') return direct;
  const assign = list.parent;
  if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.id !== list.id) return undefined;
  const name = assign.childForFieldName('left');
  if (name?.type !== 'identifier') return undefined;
  const host = cx.scope.enclosingFunction(assign) ?? cx.root;
  for (const c of host.descendantsOfType('call')) {
    if (c.startIndex < assign.endIndex) continue;
    const first = named(c.childForFieldName('arguments') ?? c)[0];
    if (first?.type === 'identifier' && first.text === name.text && cx.scope.binding(name.text, first)?.id === list.id) return c;
  }
  return undefined;
}

function keyword(call: Node, name: string): Node | undefined {
  const args = call.childForFieldName('arguments');
  const kw = args && named(args).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
  return kw?.childForFieldName('value') ?? undefined;
}

/** `value.encode()`, `bytes(value, "utf-8")`, `str(value)`: the value itself. */
function unwrap(n: Node): Node {
  for (let i = 0; i < 4; i++) {
    if (n.type === 'parenthesized_expression') { n = named(n)[0] ?? n; continue; }
    if (n.type !== 'call') break;
    const fn = n.childForFieldName('function');
    const args = named(n.childForFieldName('arguments') ?? n);
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'encode' && fn.childForFieldName('object')) { n = fn.childForFieldName('object')!; continue; }
    if ((fn?.text === 'bytes' || fn?.text === 'str') && args[0]) { n = args[0]; continue; }
    break;
  }
  return n;
}

/** A string literal, or a name evidently bound to one; never a computed value or an env fallback. */
function literalOf(cx: DeployContext, n: Node, depth = 0): { value: string; span: Span } | undefined {
  if (depth > 4) return undefined;
  n = unwrap(n);
  const s = staticString(n, cx.text);
  if (s) return { value: s.value, span: s.span };
  if (n.type === 'identifier') {
    const b = cx.scope.binding(n.text, n);
    return b ? literalOf(cx, b, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * `for name, value in SECRETS.items(): run([..., name, ...], input=value)` (or `for name in
 * SECRETS: ... input=SECRETS[name]`): one value per entry of the dict literal.
 */
function fromLoop(cx: DeployContext, nameNode: Node, input: Node): SecretValueFact[] {
  const value = unwrap(input);
  if (nameNode.type !== 'identifier') return [];
  for (let p = nameNode.parent; p; p = p.parent) {
    if (p.type === 'function_definition') break;
    if (p.type !== 'for_statement') continue;
    const left = p.childForFieldName('left');
    const right = p.childForFieldName('right');
    if (!left || !right) continue;
    const targets = left.type === 'identifier' ? [left] : named(left);
    if (targets[0]?.text !== nameNode.text) continue;
    let dictExpr: Node | undefined;
    if (targets.length === 2 && value.type === 'identifier' && targets[1].text === value.text) dictExpr = itemsOf(right);
    else if (targets.length === 1 && value.type === 'subscript' && value.childForFieldName('subscript')?.text === nameNode.text) {
      const d = value.childForFieldName('value');
      const iter = right.type === 'call' ? keysOf(right) : right;
      if (d && iter && iter.text === d.text) dictExpr = d;
    }
    const dict = dictExpr && cx.scope.resolveDict(dictExpr);
    if (!dict) return [];
    const out: SecretValueFact[] = [];
    for (const pair of named(dict)) {
      if (pair.type !== 'pair') continue;
      const k = pair.childForFieldName('key');
      const v = pair.childForFieldName('value');
      const ks = k && staticString(k, cx.text);
      const vs = v && literalOf(cx, v);
      if (ks && vs) out.push({ secret: ks.value, secretSpan: ks.span, value: vs.value, valueSpan: vs.span });
    }
    return out;
  }
  return [];
}

/** `D.items()` → D. */
function itemsOf(right: Node): Node | undefined {
  const fn = right.type === 'call' ? right.childForFieldName('function') : undefined;
  return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'items' ? fn.childForFieldName('object') ?? undefined : undefined;
}

/** `D.keys()` → D. */
function keysOf(right: Node): Node | undefined {
  const fn = right.childForFieldName('function');
  return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'keys' ? fn.childForFieldName('object') ?? undefined : undefined;
}
