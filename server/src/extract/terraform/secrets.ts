/**
 * Secret Manager in Terraform: `google_secret_manager_secret` declares that a secret exists (the
 * inventory: names only), and `google_secret_manager_secret_version` with a literal `secret_data`
 * writes a value into it — kept as a SecretValueFact (never printed) so a placeholder shipped as a
 * secret can be found. Values taken from variables stay unknown here: tfvars may override them.
 */
import type { SecretInventoryEntry, SecretValueFact } from '../../core/facts';
import { attribute, blocksOf, evaluate, inner, named, spanOf, traversalPath, type Block } from './hcl';
import type { SyntaxNode } from '../../parsers/tree-sitter';
import type { FileScope } from './scope';
import { secretShortName } from '../../knowledge/secret-manager';

/** Each instance of a resource: its scope (with `each` bound under a literal `for_each`). */
function instanceScopes(resource: Block, scope: FileScope) {
  const forEach = attribute(resource.body, 'for_each')?.expr;
  if (!forEach) return [scope.base];
  return (scope.instances(forEach, scope.base) ?? []).map((e) => scope.withEach(e));
}

export function secretInventory(resource: Block, scope: FileScope): SecretInventoryEntry[] {
  const id = attribute(resource.body, 'secret_id');
  if (!id) return [];
  const out: SecretInventoryEntry[] = [];
  for (const s of instanceScopes(resource, scope)) {
    const v = evaluate(id.expr, s);
    if (v.kind !== 'string' || v.value === '') continue;
    out.push({ secret: v.value, span: v.exact ? v.span : spanOf(id.expr), declaredBy: `google_secret_manager_secret.${resource.labels[1]?.value ?? ''}` });
  }
  return out;
}

export function secretVersionValues(resource: Block, scope: FileScope): SecretValueFact[] {
  const secret = attribute(resource.body, 'secret');
  const data = attribute(resource.body, 'secret_data');
  if (!secret || !data) return [];
  const out: SecretValueFact[] = [];
  const seedOnly = ignoresSecretData(resource) || saysPlaceholder(resource);
  // `base64encode("placeholder-…")`: the secret holds the encoded text, which is no more real
  // than the literal a person would change.
  const expr = encodedLiteral(data.expr) ?? data.expr;
  for (const s of instanceScopes(resource, scope)) {
    const name = evaluate(secret.expr, s);
    const value = evaluate(expr, s);
    // Only a value written as a literal in this file (here, in a local, in the `for_each` map): the
    // value's span must point at the text a person would change. A variable's default is not the
    // deployed value when a tfvars file sets it.
    if (name.kind !== 'string' || value.kind !== 'string' || !value.exact) continue;
    const root = traversalPath(expr)?.root;
    if (expr.namedChild(0)?.type !== 'literal_value' && root !== 'local' && root !== 'each') continue;
    out.push({ secret: secretShortName(name.value), secretSpan: spanOf(secret.expr), value: value.value, valueSpan: value.span, ...(seedOnly ? { onlyWhenNew: true, announced: true } as const : {}) });
  }
  return out;
}

/** The argument of `base64encode(<expression>)`, when `expr` is that call. */
function encodedLiteral(expr: SyntaxNode): SyntaxNode | undefined {
  const call = inner(expr);
  if (call.type !== 'function_call' || named(call).find((k) => k.type === 'identifier')?.text !== 'base64encode') return undefined;
  const args = named(named(call).find((k) => k.type === 'function_arguments')).filter((k) => k.type === 'expression');
  return args.length === 1 ? args[0] : undefined;
}

/** A comment in the resource calls its value a placeholder (`secret_data = "…"  # Placeholder -
 * will be updated`). Terraform writes a version when it creates it, and a version someone adds by
 * hand (`gcloud secrets versions add`) is then the service's `latest`: as with `ignore_changes`
 * below, the file seeds a value it tells its reader to replace. */
function saysPlaceholder(resource: Block): boolean {
  return resource.node.descendantsOfType('comment').some((c) => !!c && /placeholder/i.test(c.text));
}

/** `lifecycle { ignore_changes = [secret_data] }` (or `all`): Terraform writes the value when it
 * creates the version and never again, so the value is a seed someone replaces by hand (`gcloud
 * secrets versions add`), and the service's `latest` is theirs. */
function ignoresSecretData(resource: Block): boolean {
  for (const lc of blocksOf(resource.body, 'lifecycle')) {
    const ic = attribute(lc.body, 'ignore_changes');
    if (!ic) continue;
    const names: string[] = [];
    const stack: SyntaxNode[] = [ic.expr];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'identifier') names.push(n.text);
      for (const c of n.namedChildren) if (c) stack.push(c);
    }
    if (names.includes('secret_data') || names.includes('all')) return true;
  }
  return false;
}
