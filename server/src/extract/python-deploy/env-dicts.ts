/**
 * Python dict literals read as env blocks: `{"A": "1", **BASE}` as the entries of one block
 * (`**splats` kept aside so the caller can follow or report them), and
 * `{"staging": {...}, "production": {...}}` as one block per environment. Config objects and
 * `--set-env-vars` values built from a dict both read their dicts here.
 */
import type { EnvBlock, EnvWrite, Span, WriteValue } from '../../core/facts';
import type { DeployContext, Node } from './context';
import { containerInsertion } from './insertions';
import { named, nodeSpan, staticString } from './strings';
import { secretRef } from '../../knowledge/secret-manager';

/** Only dicts whose keys all look like env var names are env dicts; anything else is other config. */
export const ENV_LIKE = /^[A-Z_][A-Z0-9_]*$/;

export interface EnvDict {
  block: EnvBlock;
  /** `**other` elements, unread. */
  splats: Node[];
}

export interface EnvKeyedEntry extends EnvDict {
  /** The environment key (`staging`). */
  name: string;
  keySpan: Span;
  pair: Node;
}

/** An env (or secrets) block from a dict whose keys are all env-like names. */
export function dictBlock(cx: DeployContext, dict: Node, kind: 'env' | 'secrets'): EnvDict | undefined {
  const entries: EnvWrite[] = [];
  const splats: Node[] = [];
  const elements = named(dict);
  let quote: string | undefined;
  for (const el of elements) {
    if (el.type === 'dictionary_splat') { splats.push(el); continue; }
    if (el.type !== 'pair') return undefined;
    const k = el.childForFieldName('key');
    const v = el.childForFieldName('value');
    const ks = k && staticString(k, cx.text);
    if (!k || !v || !ks || !ENV_LIKE.test(ks.value)) return undefined;
    quote ??= ks.quote;
    entries.push({ name: ks.value, nameSpan: ks.span, span: nodeSpan(el), value: writeValue(cx, v, kind) });
  }
  if (elements.length > 0 && entries.length === 0) return undefined;
  const block: EnvBlock = {
    kind,
    mode: 'set',
    span: nodeSpan(dict),
    keySpan: ownerKeySpan(dict),
    entries,
    insert: containerInsertion(cx.text, dict, elements, 'python-dict', quote ?? '"'),
  };
  return { block, splats };
}

/** What names the dict, for findings about it: `environment_vars=`'s name, a `"env":` key, the
 * variable it is assigned to; else the dict's opening line. */
function ownerKeySpan(dict: Node): Span {
  const p = dict.parent;
  const key = p?.type === 'keyword_argument' ? p.childForFieldName('name')
    : p?.type === 'pair' ? p.childForFieldName('key')
      : p?.type === 'assignment' ? p.childForFieldName('left') : null;
  if (key && !key.text.includes('\n')) return nodeSpan(key);
  const s = nodeSpan(dict);
  return { start: s.start, end: s.start + 1 };
}

/** `{"staging": {...}, "production": {...}}`: one env block per environment. */
export function envKeyed(cx: DeployContext, dict: Node, kind: 'env' | 'secrets' = 'env'): EnvKeyedEntry[] | undefined {
  const pairs = named(dict);
  if (pairs.length === 0) return undefined;
  const out: EnvKeyedEntry[] = [];
  for (const p of pairs) {
    if (p.type !== 'pair') return undefined;
    const k = p.childForFieldName('key');
    const s = k && staticString(k, cx.text);
    if (!s || !cx.envNames.isToken(s.value)) return undefined;
    const v = cx.scope.resolveDict(p.childForFieldName('value'));
    const b = v && dictBlock(cx, v, kind);
    if (!b) return undefined;
    out.push({ name: s.value, keySpan: s.span, pair: p, block: b.block, splats: b.splats });
  }
  return out;
}

/** An entry's value: a literal, a secret reference in a secrets dict, or the expression's text when computed. */
export function writeValue(cx: DeployContext, v: Node, kind: 'env' | 'secrets'): WriteValue {
  const s = staticString(v, cx.text);
  if (s) {
    if (kind === 'secrets') {
      const r = secretRef(s.value);
      const w: WriteValue = { kind: 'secret', secret: r.secret, span: s.span };
      if (r.version) w.version = r.version;
      return w;
    }
    return { kind: 'literal', value: s.value, span: s.span };
  }
  if (kind === 'env' && (v.type === 'integer' || v.type === 'float' || v.type === 'true' || v.type === 'false')) {
    return { kind: 'literal', value: v.text, span: nodeSpan(v) };
  }
  return { kind: 'dynamic', text: v.text, span: nodeSpan(v) };
}

