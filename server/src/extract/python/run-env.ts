/**
 * Variables this code hands to Cloud Run containers it starts or creates through the client
 * library: `run_v2.EnvVar(name="JOB_ID", value=job_id)` in a job execution's overrides, or the
 * REST form `{"name": "JOB_ID", "value": …}` under a `container_overrides` / `containerOverrides`
 * key. Such a variable is a per-run parameter the caller provides, not something a deploy must
 * set. Recorded as `RunEnvFact`s; the model and rules decide what they mean.
 */
import type { RunEnvFact } from '../../core/facts';
import { type CallForms, type CallM, type Ctx, type N, argList, field, nodeAt, plainString, src, unparen } from './walk';

/** Words that make a file worth parsing for these alone (the prefilter's triggers). */
export const RUN_ENV_WORDS = ['EnvVar', 'container_overrides', 'containerOverrides'];

/** `EnvVar(…)` / `run_v2.EnvVar(…)`, for the shared call-locating pass (`locateCalls`). */
export const RUN_ENV_CALLS: CallForms = { methods: ['EnvVar'], funcs: ['EnvVar'] };

export function collectRunEnv(ctx: Ctx, calls: readonly CallM[]): void {
  const out: RunEnvFact[] = [];
  for (const { fn, args } of calls) {
    if (src(ctx, fn.type === 'attribute' ? field(fn, 'attribute') ?? fn : fn) !== 'EnvVar') continue;
    const { positional, keywords } = argList(ctx, args);
    const nameNode = keywords.get('name') ?? positional[0];
    const name = nameNode && unparen(nameNode).type === 'string' ? plainString(ctx, unparen(nameNode)) : undefined;
    if (name && /^[A-Za-z_]\w*$/.test(name.value)) out.push({ name: name.value, nameSpan: name.span, via: src(ctx, fn) });
  }
  const keyRe = /["']?(?:container_overrides|containerOverrides)["']?\s*[:=]/g;
  for (let m = keyRe.exec(ctx.text); m; m = keyRe.exec(ctx.text)) {
    const at = nodeAt(ctx, m.index, m.index + 1);
    const holder = at ? overridesValue(at) : undefined;
    if (!holder) continue;
    for (const pair of holder.descendantsOfType('pair')) {
      const key = pair && field(pair, 'key');
      const value = pair && field(pair, 'value');
      if (!key || !value || key.type !== 'string' || plainString(ctx, key)?.value !== 'name' || value.type !== 'string') continue;
      const name = plainString(ctx, value);
      if (name && /^[A-Za-z_]\w*$/.test(name.value) && !out.some((o) => o.nameSpan.start === name.span.start)) out.push({ name: name.value, nameSpan: name.span, via: 'container overrides' });
    }
  }
  if (out.length) ctx.facts.runEnv = out.sort((a, b) => a.nameSpan.start - b.nameSpan.start);
}

/** The value under a `container_overrides` key: a dict pair's value or a keyword argument's. */
function overridesValue(n: N): N | undefined {
  for (let p: N | null = n, i = 0; p && i < 4; p = p.parent, i++) {
    if (p.type === 'pair' || p.type === 'keyword_argument') return field(p, 'value') ?? undefined;
  }
  return undefined;
}
