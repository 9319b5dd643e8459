/**
 * A reusable workflow's deploys depend on inputs only its callers know
 * (`service: ${{ inputs.service }}-staging`, or `SERVICE: ${{ inputs.service }}` in `env:` read
 * by a `run:` script as `$SERVICE`). While the workflow is extracted, each input reads as a
 * marker that no real text holds, so it travels through expressions, `env:` and shell variables
 * like a value; afterwards every marked value becomes a template (`${{ inputs.service }}-staging`)
 * with no value, which the model fills in per call (model/workflow-calls.ts). Markers never leave
 * this module: `templatize` rewrites every string of the facts it is given.
 */
import type { DeployFact, Resolved, WriteValue } from '../core/facts';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARK = /\uE000([^\uE001]*)\uE001/g;

/** What `${{ inputs.NAME }}` reads as while the workflow is extracted. */
export function inputMarker(name: string): string {
  return OPEN + name + CLOSE;
}

const marked = (s: string | undefined): boolean => !!s && s.includes(OPEN);

/** Whether a value was written from a reusable workflow's inputs. */
export function hasMarker(s: string | undefined): boolean {
  return marked(s);
}
const render = (s: string): string => s.replace(MARK, (_m, name: string) => `\${{ inputs.${name} }}`);

/** The inputs a template uses. */
export function templateInputs(template: string): string[] {
  return [...template.matchAll(/\$\{\{ inputs\.([\w-]+) \}\}/g)].map((m) => m[1]);
}

/** Fills a template with the inputs of one call; undefined when one is not known. */
export function fillTemplate(template: string, inputs: Record<string, string | undefined>): string | undefined {
  let missing = false;
  const out = template.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_m, name: string) => {
    const v = inputs[name];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}

/** A marked Resolved becomes a template (no value). */
export function resolvedTemplate(r: Resolved | undefined, used: Set<string> = new Set()): void {
  if (!r) return;
  if (marked(r.value)) {
    r.template = render(r.value!);
    for (const n of templateInputs(r.template)) used.add(n);
    delete r.value;
  }
  if (marked(r.text)) r.text = render(r.text);
}

function valueTemplate(v: WriteValue, used: Set<string>): WriteValue {
  if (v.kind === 'literal' && marked(v.value)) {
    const template = render(v.value);
    for (const n of templateInputs(template)) used.add(n);
    return { kind: 'dynamic', text: template, span: v.span, template };
  }
  if (v.kind === 'secret' && (marked(v.secret) || marked(v.version))) {
    const template = render(v.version ? `${v.secret}:${v.version}` : v.secret);
    for (const n of templateInputs(template)) used.add(n);
    return { kind: 'dynamic', text: template, span: v.span, template, secretRef: true };
  }
  if (v.kind === 'dynamic' && marked(v.text)) return { ...v, text: render(v.text) };
  return v;
}

/** Rewrites every marked value of `fact` into a template; returns the inputs it depends on. */
export function templatize(fact: DeployFact): string[] {
  const used = new Set<string>();
  for (const r of [fact.service, fact.source, fact.image, fact.project, fact.region, fact.dockerfile, ...fact.envFiles]) resolvedTemplate(r, used);
  for (const b of fact.blocks) {
    if (marked(b.listTemplate)) {
      b.listTemplate = render(b.listTemplate!);
      for (const n of templateInputs(b.listTemplate)) used.add(n);
    }
    for (const e of b.entries) {
      if (marked(e.name)) e.name = render(e.name);
      e.value = valueTemplate(e.value, used);
    }
  }
  for (const h of fact.environmentHints) {
    if (!marked(h.value)) continue;
    h.template = render(h.value);
    for (const n of templateInputs(h.template)) used.add(n);
    h.value = h.template;
    h.evidence = render(h.evidence);
  }
  if (marked(fact.opaque)) fact.opaque = render(fact.opaque!);
  if (fact.instance && marked(fact.instance.label)) fact.instance.label = render(fact.instance.label);
  if (marked(fact.unresolved)) fact.unresolved = render(fact.unresolved!);
  return [...used];
}
