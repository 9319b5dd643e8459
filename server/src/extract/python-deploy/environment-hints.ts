/**
 * Which environment a deploy targets, as far as the script says: argparse defaults and constants
 * that name the environment (apply to every deploy in the file), env entries such as
 * `ENVIRONMENT="staging"` (apply to the deploy holding them), and service names like
 * `f"{name}-staging"`. Each hint keeps its evidence so a finding can quote it.
 */
import type { DeployFact, EnvBlock, Resolved } from '../../core/facts';
import type { Word } from '../gcloud-args';
import { ENVIRONMENT_VARIABLES, namesEnvironment } from '../../knowledge/environments';
import type { DeployContext, Hint, Node } from './context';
import { staticString, strInfo } from './strings';

/** Adds a hint unless one with the same value at the same place is there already. */
export function addHint(f: DeployFact, h: Hint): void {
  if (f.environmentHints.some((x) => x.value === h.value && x.span.start === h.span.start && x.span.end === h.span.end)) return;
  f.environmentHints.push(h);
}

/** Script-wide hints: `--environment` defaults, module and class constants, `__init__(environment=...)` defaults. */
export function fileHints(cx: DeployContext): Hint[] {
  const hints: Hint[] = [];
  const ap = cx.scope.argparse();
  for (const dest of ['environment', 'env', 'target_env', 'deploy_env']) {
    const a = ap.get(dest);
    const v = a && cx.scope.resolveValue(a.def);
    if (v) hints.push({ value: v.value, span: v.span, evidence: `--${dest.replace(/_/g, '-')} default "${v.value}"` });
  }
  const consts = ENVIRONMENT_VARIABLES;
  const mod = cx.scope.assignments(undefined);
  for (const name of consts) {
    for (const a of mod.get(name) ?? []) {
      const rhs = a.childForFieldName('right');
      const s = rhs && staticString(rhs, cx.text);
      if (s) hints.push({ value: s.value, span: s.span, evidence: `${name} = "${s.value}"` });
    }
  }
  for (const cls of cx.root.descendantsOfType('class_definition')) {
    for (const name of consts) {
      const c = cx.scope.classConstant(cls, name);
      const s = c && staticString(c, cx.text);
      if (s) hints.push({ value: s.value, span: s.span, evidence: `${name} = "${s.value}"` });
    }
    const init = cls.descendantsOfType('function_definition').find((f) => f.childForFieldName('name')?.text === '__init__');
    for (const name of ['environment', 'env']) {
      const p = init && cx.scope.param(init, name);
      const s = p?.def && staticString(p.def, cx.text);
      if (s) hints.push({ value: s.value, span: s.span, evidence: `${name} parameter default "${s.value}"` });
    }
  }
  return hints;
}

/** Entries such as `ENVIRONMENT="staging"` of an env block; `where` names the block in the evidence. */
export function entryHints(b: EnvBlock, where = 'env dict'): Hint[] {
  const out: Hint[] = [];
  if (b.kind !== 'env') return out;
  for (const e of b.entries) {
    if (namesEnvironment(e.name) && e.value.kind === 'literal' && e.value.value) {
      out.push({ value: e.value.value, span: e.value.span, evidence: `${e.name}=${e.value.value} in ${where}` });
    }
  }
  return out;
}

/** `f"{service.name}-staging"`: the literal part names an environment. */
export function suffixHints(cx: DeployContext, service: Resolved | undefined, words: Word[], nodes: Node[]): Hint[] {
  if (!service || service.value !== undefined) return [];
  const i = words.findIndex((w) => w.span.start <= service.span.start && service.span.end <= w.span.end);
  const n = nodes[i];
  const w = words[i];
  if (i < 0 || n.type !== 'string') return [];
  const info = strInfo(n);
  if (!info || info.interps.length === 0) return [];
  const out: Hint[] = [];
  const re = /[A-Za-z]+/g;
  let pos = info.contentStart;
  const segments: [number, number][] = [];
  for (const it of info.interps) { segments.push([pos, it.startIndex]); pos = it.endIndex; }
  segments.push([pos, info.contentEnd]);
  for (const [a0, b0] of segments) {
    const a = Math.max(a0, w.span.start);
    const b = Math.min(b0, w.span.end);
    if (b <= a) continue;
    const seg = cx.text.slice(a, b);
    for (let m = re.exec(seg); m; m = re.exec(seg)) {
      if (cx.envNames.isToken(m[0])) {
        out.push({ value: m[0], span: { start: a + m.index, end: a + m.index + m[0].length }, evidence: `service name ${cx.text.slice(w.span.start, w.span.end)}` });
      }
    }
  }
  return out;
}
