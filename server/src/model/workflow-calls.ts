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
import type { DeployFact, EnvBlock, FileFacts, Resolved, WorkflowCallFact } from '../core/facts';
import { secretRef, splitSecretRef } from '../knowledge/secret-manager';
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

const RESOLVED_FIELDS = ['service', 'source', 'image', 'project', 'region', 'dockerfile', 'entry'] as const;

/** The input a list template is written whole from (`${{ inputs.env_vars }}`). */
function wholeInput(template: string | undefined): string | undefined {
  return template ? /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(template)?.[1] : undefined;
}

/**
 * A deploy whose every env list is written whole by the call (`--set-env-vars "$ENV_VARS"`, the
 * call's `env_vars: "A=1,B=2"`) stands in the caller's file, where its entries are written and
 * where a missing one is added: its blocks are the call's lists, everything else points at the
 * call (`uses:`) or at the input naming it. Undefined when a list is not written that way, so
 * the deploy stays in the callee, opaque. A list input the call leaves empty passes no flag
 * (`[ -n "$ENV_VARS" ] && args+=(--set-env-vars …)`): that list is no block.
 */
function callerView(d: DeployFact, call: WorkflowCallFact, inputs: Record<string, string | undefined>): DeployFact | undefined {
  if (d.blocks.length === 0 || !d.blocks.every((b) => b.listTemplate && b.entries.length === 0) || d.envFiles.length > 0) return undefined;
  const blocks: EnvBlock[] = [];
  for (const b of d.blocks) {
    const input = wholeInput(b.listTemplate);
    if (!input) return undefined;
    const list = call.listInputs?.[input];
    if (list) blocks.push(b.kind === 'secrets' ? secretsList(list, b.mode) : { ...list, mode: b.mode });
    else if (inputs[input] !== '') return undefined;
  }
  const at = call.span;
  const view: DeployFact = { ...d, span: at, environmentHints: d.environmentHints.map((h) => ({ ...h, span: at })), blocks };
  for (const k of RESOLVED_FIELDS) {
    const r = d[k];
    if (!r) continue;
    const input = wholeInput(r.template);
    // A value the call passes is shown as passed (`gogocash-api`, not the callee's `$SERVICE`).
    view[k] = { ...r, text: input && r.value !== undefined ? r.value : r.text, span: (input && call.inputSpans?.[input]?.value) || at };
  }
  if (d.secretMounts) view.secretMounts = d.secretMounts.map((m) => ({ ...m, span: at }));
  delete view.newEnvBlock;
  delete view.newSecretBlock;
  // Every list was a template (checked above), and templates were all it left unread.
  delete view.opaque;
  return view;
}

/** The call's list read as secret references (`API_KEY=api-key:latest`). */
function secretsList(list: EnvBlock, mode: EnvBlock['mode']): EnvBlock {
  const entries = list.entries.map((e) => {
    if (e.value.kind !== 'literal') return e;
    return { ...e, value: { kind: 'secret' as const, ...secretRef(e.value.value), span: e.value.span } };
  });
  return { ...list, kind: 'secrets', mode, entries };
}

function templated(d: DeployFact): boolean {
  const rs: (Resolved | undefined)[] = [d.service, d.source, d.image, d.project, d.region, d.dockerfile, ...d.envFiles];
  return rs.some((r) => r?.template) || d.environmentHints.some((h) => h.template) ||
    d.blocks.some((b) => b.listTemplate || b.entries.some((e) => e.value.kind === 'dynamic' && e.value.template));
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
        const { ref, version } = splitSecretRef(filled);
        e.value = { kind: 'secret', secret: ref, version, span: v.span };
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
        const shown = Object.entries(call.inputs).map(([k, v]) => `${k}=${v === undefined ? '…' : v.length > 40 ? `${v.slice(0, 39)}…` : v}`).join(', ');
        const how = `called by ${caller} (job ${call.job}${call.label ? `, ${call.label}` : ''})${shown ? ` with ${shown}` : ''}`;
        if (missing) d.unresolved = `reusable workflow ${how}: an input it depends on is known only at run time`;
        else if (d.service?.value !== undefined) delete d.unresolved;
        const view = missing ? undefined : callerView(d, call, inputs);
        if (view) {
          // Written in the caller: one deploy of its own there, not one of the callee's several.
          if (deploy.instance) view.instance = deploy.instance;
          else delete view.instance;
          sites.push({ file: caller, deploy: view, evidence: `reusable workflow ${file} ${how}` });
          continue;
        }
        if (calls.length > 1) d.instance = { label: how, of: calls.length * (deploy.instance?.of ?? 1) };
        sites.push({ file, deploy: d, evidence: `reusable workflow ${how}` });
      }
    }
  }
  return sites;
}
