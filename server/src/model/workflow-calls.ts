/**
 * The deploys the model works with: every file's own, except that a reusable workflow's deploys
 * written from its inputs (`service: ${{ inputs.service }}`, templates, see
 * extract/workflow-inputs.ts) are instantiated once per call found in the workspace
 * (`jobs.x.uses: ./.github/workflows/deploy.yml` + `with: { service: api }`), each with that
 * call's inputs (and the input defaults) filled in. Per-file extraction cannot do this: the
 * caller and the callee are two files. A templated deploy nobody calls stays as extracted
 * (unresolved, so unplaced). Pure: reads facts only.
 */
import * as path from 'node:path';
import type { DeployFact, FileFacts, Resolved, WorkflowCallFact } from '../core/facts';
import { fillTemplate } from '../extract/workflow-inputs';

export interface DeploySite {
  file: string;
  deploy: DeployFact;
  /** How the deploy was derived, for `--explain` (the call it was instantiated for). */
  evidence?: string;
}

/** The workflow file a call names: `./x` is relative to the repository root, which is the
 * folder holding the caller's `.github/` (the workspace root, or a folder of it). */
function calleeFile(callerFile: string, callee: string, files: ReadonlyMap<string, FileFacts>): string | undefined {
  const rel = path.posix.normalize(callee.replace(/^\.\//, '')).replace(/@.*$/, '');
  const at = callerFile.lastIndexOf('.github/');
  const root = at > 0 ? callerFile.slice(0, at) : '';
  for (const candidate of [root + rel, rel]) if (files.get(candidate)?.workflowInputs) return candidate;
  return undefined;
}

function templated(d: DeployFact): boolean {
  const rs: (Resolved | undefined)[] = [d.service, d.source, d.image, d.project, d.region, d.dockerfile, ...d.envFiles];
  return rs.some((r) => r?.template) || d.environmentHints.some((h) => h.template) ||
    d.blocks.some((b) => b.entries.some((e) => e.value.kind === 'dynamic' && e.value.template));
}

/** A copy of `d` with one call's inputs filled in. */
function instantiate(d: DeployFact, inputs: Record<string, string | undefined>): { deploy: DeployFact; missing: boolean } {
  const copy = JSON.parse(JSON.stringify(d)) as DeployFact;
  let missing = false;
  const fill = (r: Resolved | undefined): void => {
    if (!r?.template) return;
    const v = fillTemplate(r.template, inputs);
    if (v === undefined) missing = true;
    else r.value = v;
  };
  for (const r of [copy.service, copy.source, copy.image, copy.project, copy.region, copy.dockerfile, ...copy.envFiles]) fill(r);
  copy.environmentHints = copy.environmentHints.flatMap((h) => {
    if (!h.template) return [h];
    const v = fillTemplate(h.template, inputs);
    return v ? [{ value: v, span: h.span, evidence: h.evidence.replace(h.template, v) }] : [];
  });
  for (const b of copy.blocks) {
    for (const e of b.entries) {
      const v = e.value;
      if (v.kind !== 'dynamic' || !v.template) continue;
      const filled = fillTemplate(v.template, inputs);
      if (filled === undefined) continue;
      if (v.secretRef) {
        const m = /^(.*?)(?::([^:]+))?$/.exec(filled);
        e.value = { kind: 'secret', secret: m?.[1] ?? filled, version: m?.[2], span: v.span };
      } else e.value = { kind: 'literal', value: filled, span: v.span };
    }
  }
  return { deploy: copy, missing };
}

export function workspaceDeploys(files: ReadonlyMap<string, FileFacts>): DeploySite[] {
  const callsTo = new Map<string, { caller: string; call: WorkflowCallFact }[]>();
  for (const [file, facts] of files) {
    for (const call of facts.workflowCalls ?? []) {
      const callee = calleeFile(file, call.callee, files);
      if (!callee) continue;
      const list = callsTo.get(callee) ?? [];
      list.push({ caller: file, call });
      callsTo.set(callee, list);
    }
  }
  const sites: DeploySite[] = [];
  for (const [file, facts] of files) {
    const calls = callsTo.get(file) ?? [];
    const defaults: Record<string, string | undefined> = {};
    for (const [name, spec] of Object.entries(facts.workflowInputs?.inputs ?? {})) if (spec.default !== undefined) defaults[name] = spec.default;
    for (const deploy of facts.deploys) {
      if (calls.length === 0 || !templated(deploy)) {
        sites.push({ file, deploy });
        continue;
      }
      for (const { caller, call } of calls) {
        const inputs = { ...defaults };
        for (const [k, v] of Object.entries(call.inputs)) if (v !== undefined || !(k in inputs)) inputs[k] = v;
        const { deploy: d, missing } = instantiate(deploy, inputs);
        const shown = Object.entries(call.inputs).map(([k, v]) => `${k}=${v ?? '…'}`).join(', ');
        const how = `called by ${caller} (job ${call.job}${call.label ? `, ${call.label}` : ''})${shown ? ` with ${shown}` : ''}`;
        if (missing) d.unresolved = `reusable workflow ${how}: an input it depends on is known only at run time`;
        else if (d.service?.value !== undefined) delete d.unresolved;
        if (calls.length > 1) d.instance = { label: how, of: calls.length * (deploy.instance?.of ?? 1) };
        sites.push({ file, deploy: d, evidence: `reusable workflow ${how}` });
      }
    }
  }
  return sites;
}
