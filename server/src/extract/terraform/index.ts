/**
 * Terraform files (`.tf`, `.tfvars`), parsed with the tree-sitter Terraform grammar: Cloud Run
 * services and jobs as DeployFacts (cloud-run.ts), Secret Manager secrets and literal secret
 * versions (secrets.ts), and the values other files of the module may need — variable defaults,
 * locals, tfvars assignments — as TerraformVarFacts, which the model resolves `var.x` / `local.x`
 * with (model/terraform.ts). Module calls are not followed: a module's resource whose name is an
 * input stays unresolved, and the model leaves it unplaced.
 */
import type { FileFacts, TerraformVarFact } from '../../core/facts';
import { withTerraformTree, type SyntaxNode } from '../../parsers/tree-sitter';
import { attribute, attributesOf, blocksOf, evaluate, inner, resetNodeCache, rootBody, spanOf, type Scope } from './hcl';
import { fileScope, sourceText, templateParts } from './scope';
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
const TRIGGERS = ['google_cloud_run', 'google_secret_manager', 'variable', 'locals'];

function varFact(kind: TerraformVarFact['kind'], name: string, expr: SyntaxNode, scope: Scope): TerraformVarFact | undefined {
  // Maps and lists are resolved in this file only (below): no need to evaluate one here.
  if (inner(expr).type === 'collection_value' || inner(expr).type === 'for_expr') return undefined;
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
    } else if (b.type === 'resource') {
      const type = b.labels[0]?.value ?? '';
      if (CLOUD_RUN_RESOURCES[type]) facts.deploys.push(...cloudRunDeploys(b, ctx));
      else if (type === 'google_secret_manager_secret') {
        const inv = secretInventory(b, scope);
        if (inv.length) (facts.secretInventory ??= []).push(...inv);
      } else if (type === 'google_secret_manager_secret_version') {
        facts.secretValues.push(...secretVersionValues(b, scope));
      }
    }
  }
  if (vars.length) facts.terraformVars = vars;
  if (facts.deploys.length) facts.role = 'terraform';
  dbUrls(facts);
}
