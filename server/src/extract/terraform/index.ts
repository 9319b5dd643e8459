/**
 * Terraform files (`.tf`, `.tfvars`), parsed with the tree-sitter Terraform grammar: Cloud Run
 * services and jobs as DeployFacts (cloud-run.ts), Secret Manager secrets and literal secret
 * versions (secrets.ts), and the values other files of the module may need — variable defaults,
 * locals, tfvars assignments — as TerraformVarFacts, which the model resolves `var.x` / `local.x`
 * with (model/terraform.ts). Calls of local modules are recorded with their inputs, and a module's
 * `dynamic "env"` over an input as a template (cloud-run.ts): the model deploys the module's
 * resource once per call. A module's resource that nothing calls, named by an input, stays
 * unresolved, and the model leaves it unplaced.
 */
import type { FileFacts, TerraformInput, TerraformMapEntry, TerraformModuleCall, TerraformVarFact } from '../../core/facts';
import { withTerraformTree, type SyntaxNode } from '../../parsers/tree-sitter';
import { attribute, attributesOf, blocksOf, evaluate, inner, partialMerge, resetNodeCache, rootBody, scalarOf, spanOf, unconverted, type Block, type HclValue, type Scope } from './hcl';
import { fileScope, resolvedOf, sourceText, templateParts, type FileScope } from './scope';
import { CLOUD_RUN_RESOURCES, cloudRunDeploys } from './cloud-run';
import { secretInventory, secretVersionValues } from './secrets';
import { findDbUrls } from '../db-url';

/** Postgres URLs in literal env values (`value = "postgresql+asyncpg://…?sslmode=…"`), once per
 * place even when `for_each` repeats the block. Only values written without escapes, so every
 * character maps to one source offset. */
function dbUrls(facts: FileFacts): void {
  const seen = new Set<number>();
  for (const d of facts.deploys) {
    for (const b of d.blocks) {
      for (const e of b.entries) {
        const v = e.value;
        if (v.kind !== 'literal' || !v.value.includes('postgres') || seen.has(v.span.start)) continue;
        if (v.span.end - v.span.start !== v.value.length) continue;
        seen.add(v.span.start);
        const offsets = Array.from({ length: v.value.length + 1 }, (_, i) => v.span.start + i);
        facts.dbUrls.push(...findDbUrls(v.value, offsets, v.span, e.name));
      }
    }
  }
}

/** Cheap test before parsing: a `.tf` file without any of these has nothing for us. */
const TRIGGERS = ['google_cloud_run', 'google_secret_manager', 'google_cloudbuild_trigger', 'variable', 'locals', 'module'];

function varFact(kind: TerraformVarFact['kind'], name: string, expr: SyntaxNode, scope: Scope): TerraformVarFact | undefined {
  // A local map or list is kept for another file of the module to iterate (`DeployFact.localEnv`);
  // a variable's default is not (a variables file may replace it). A `for` expression is not read.
  if (inner(unconverted(expr)).type === 'collection_value') return kind === 'local' ? collectionFact(name, unconverted(expr), scope) : undefined;
  if (inner(expr).type === 'for_expr') return undefined;
  const v = evaluate(expr, scope);
  if (v.kind === 'string' || v.kind === 'scalar') {
    const literal = expr.namedChild(0)?.type === 'literal_value';
    const fact: TerraformVarFact = { kind, name, value: v.value, span: v.kind === 'string' && v.exact ? v.span : spanOf(expr) };
    if (!literal) {
      // A local built from variables: the model re-resolves it when tfvars override them.
      fact.text = sourceText(expr, v);
      const parts = templateParts(expr);
      if (parts) fact.parts = parts;
    }
    return fact;
  }
  if (v.kind !== 'unknown') return undefined; // maps and lists: resolved in this file only
  const parts = templateParts(expr);
  return parts ? { kind, name, text: v.text, parts, span: spanOf(expr) } : undefined;
}

/** A local written out as a map of known keys or a list of strings; undefined otherwise. */
function collectionFact(name: string, expr: SyntaxNode, scope: Scope): TerraformVarFact | undefined {
  const v = evaluate(expr, scope);
  let entries: TerraformMapEntry[] | undefined;
  if (v.kind === 'object') entries = v.entries.map(mapEntry);
  else if (v.kind === 'tuple' && v.items.every((i) => i.kind === 'string' && i.exact)) {
    entries = v.items.map((i) => {
      const s = i as Extract<HclValue, { kind: 'string' }>;
      return { key: s.value, keySpan: s.span, span: s.span, value: { value: s.value, span: s.span, literal: true } };
    });
  }
  return entries?.length ? { kind: 'local', name, entries, span: spanOf(expr) } : undefined;
}

/** A module call's own arguments, not inputs of the module. */
const META_ARGUMENTS = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);

/** A value as a map input's element holds it. */
function mapEntry(e: { key: string; keySpan: TerraformMapEntry['keySpan']; value: HclValue; span: TerraformMapEntry['span'] }): TerraformMapEntry {
  const out: TerraformMapEntry = { key: e.key, keySpan: e.keySpan, span: e.span };
  const v = e.value;
  if (v.kind === 'string') out.value = { value: v.value, span: v.span, literal: v.exact };
  else if (v.kind === 'scalar') out.value = { value: v.value, span: v.span, literal: true };
  else if (v.kind === 'object') {
    out.fields = {};
    for (const f of v.entries) {
      const fv = f.value;
      out.fields[f.key] = fv.kind === 'string' || fv.kind === 'scalar' ? { value: fv.value, text: fv.value, span: fv.span } : { text: fv.kind === 'unknown' ? fv.text : '', span: fv.span };
    }
  } else if (v.kind === 'unknown') out.text = v.text;
  return out;
}

/** `module "api" { source = "./modules/cloud_run" … }`: calls of a local module, with their
 * inputs: one per instance of a `for_each` over a collection this file lists
 * (`module "services" { for_each = local.services … name = each.key }`, labelled
 * `services["api"]`). A module repeated by `count` or by a `for_each` over something this file
 * cannot list, or fetched from a registry, is not followed. */
function moduleCalls(b: Block, scope: FileScope): TerraformModuleCall[] {
  const sourceAttr = attribute(b.body, 'source');
  const source = sourceAttr ? evaluate(sourceAttr.expr, scope.base) : undefined;
  const label = b.labels[0]?.value;
  if (!source || source.kind !== 'string' || !/^\.\.?\//.test(source.value) || !label) return [];
  if (attribute(b.body, 'count')) return [];
  const forEach = attribute(b.body, 'for_each')?.expr;
  if (!forEach) return [moduleCall(b, label, source.value, scope.base)];
  const each = scope.instances(forEach, scope.base) ?? [];
  return each.flatMap((e) => {
    const key = scalarOf(e.key);
    return key === undefined ? [] : [moduleCall(b, `${label}["${key}"]`, source.value, scope.withEach(e))];
  });
}

function moduleCall(b: Block, label: string, source: string, scope: Scope): TerraformModuleCall {
  const inputs: TerraformInput[] = [];
  for (const a of attributesOf(b.body)) {
    if (META_ARGUMENTS.has(a.name)) continue;
    const v = evaluate(a.expr, scope);
    const input: TerraformInput = { name: a.name, span: spanOf(a.node) };
    const partly = v.kind === 'unknown' ? partialMerge(a.expr, scope) : undefined;
    if (v.kind === 'object') input.entries = v.entries.map(mapEntry);
    else if (partly) {
      input.entries = partly.entries.map(mapEntry);
      input.mergedUnknown = partly.unknown;
    } else {
      const r = resolvedOf(a.expr, scope);
      if (r) input.scalar = r;
    }
    inputs.push(input);
  }
  return { label, source, span: spanOf(b.node), inputs };
}

/** The config a Cloud Build trigger runs: its `filename` when written out, `''` otherwise (a
 * computed name, autodetection, an inline `build` block: which file, if any, is not known). */
function triggerFile(b: Block, scope: Scope): string {
  if (attribute(b.body, 'build') || blocksOf(b.body, 'build').length) return '';
  const f = attribute(b.body, 'filename');
  const v = f ? scalarOf(evaluate(f.expr, scope)) : undefined;
  return v && !v.includes('${') ? v.replace(/^\.?\//, '') : '';
}

export function extractTerraform(file: string, text: string, facts: FileFacts): void {
  const tfvars = file.toLowerCase().endsWith('.tfvars');
  if (!tfvars && !TRIGGERS.some((t) => text.includes(t))) return;
  resetNodeCache();
  try {
    withTerraformTree(text, (root) => read(file, text, tfvars, root, facts));
  } finally {
    resetNodeCache();
  }
}

function read(file: string, text: string, tfvars: boolean, root: SyntaxNode, facts: FileFacts): void {
  if (root.hasError) facts.problems.push({ message: 'Terraform syntax error: parts of this file may be skipped' });
  const body = rootBody(root);
  const scope = fileScope(body);
  const vars: TerraformVarFact[] = [];
  if (tfvars) {
    for (const a of attributesOf(body)) {
      const f = varFact('tfvar', a.name, a.expr, scope.base);
      if (f) vars.push(f);
    }
    if (vars.length) facts.terraformVars = vars;
    return;
  }
  const providerProject = blocksOf(body, 'provider').find((p) => p.labels[0]?.value === 'google')?.body;
  const ctx = { text, scope, providerProject: attribute(providerProject, 'project')?.expr };
  for (const b of blocksOf(body)) {
    if (b.type === 'variable' && b.labels[0]) {
      const def = attribute(b.body, 'default');
      const f = def && varFact('default', b.labels[0].value, def.expr, scope.base);
      if (f) vars.push(f);
    } else if (b.type === 'locals') {
      for (const a of attributesOf(b.body)) {
        const f = varFact('local', a.name, a.expr, scope.base);
        if (f) vars.push(f);
      }
    } else if (b.type === 'module') {
      const calls = moduleCalls(b, scope);
      if (calls.length) (facts.terraformModuleCalls ??= []).push(...calls);
    } else if (b.type === 'resource') {
      const type = b.labels[0]?.value ?? '';
      if (CLOUD_RUN_RESOURCES[type]) facts.deploys.push(...cloudRunDeploys(b, ctx));
      else if (type === 'google_secret_manager_secret') {
        const inv = secretInventory(b, scope);
        if (inv.length) (facts.secretInventory ??= []).push(...inv);
      } else if (type === 'google_secret_manager_secret_version') {
        facts.secretValues.push(...secretVersionValues(b, scope));
      } else if (type === 'google_cloudbuild_trigger') {
        (facts.buildTriggerFiles ??= []).push(triggerFile(b, scope.base));
      }
    }
  }
  if (vars.length) facts.terraformVars = vars;
  if (facts.deploys.length) facts.role = 'terraform';
  dbUrls(facts);
}
