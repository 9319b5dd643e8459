/**
 * Whether a write into Secret Manager happens only when the secret does not exist yet: the
 * version is added inside a branch of a test of a lookup of the secret (`probe = run([... "secrets",
 * "describe", name]); if probe.returncode != 0: ...`), or in the `except` of a `try` that looks it
 * up (`client.get_secret(...)` then `except NotFound:`). Such a script seeds a new secret; a project
 * where the secret exists never gets the seeded value, so what it writes is a first value, not
 * the value every deploy takes.
 */
import type { DeployContext, Node } from './context';
import { staticString } from './strings';

/** Secret Manager client methods that fail when the secret (or its version) is missing. */
const LOOKUP_METHODS = new Set(['get_secret', 'access_secret_version', 'get_secret_version']);

export function writesOnlyWhenNew(cx: DeployContext, call: Node): boolean {
  let cur = call;
  for (let p = call.parent; p && p.type !== 'function_definition' && p.type !== 'module'; cur = p, p = p.parent) {
    if (p.type === 'except_clause') {
      const tryStmt = p.parent;
      const body = tryStmt?.type === 'try_statement' ? tryStmt.childForFieldName('body') : null;
      if (body && hasLookup(cx, body)) return true;
    }
    if (cur.type !== 'block') continue;
    // The branch `cur` is the body of: its own condition, or for `else` the `if`'s.
    const cond = p.type === 'if_statement' || p.type === 'elif_clause' ? p.childForFieldName('condition')
      : p.type === 'else_clause' && p.parent?.type === 'if_statement' ? p.parent.childForFieldName('condition') : null;
    if (cond && testsLookup(cx, cond)) return true;
  }
  return false;
}

/** A condition that holds a lookup, or a name (`probe`, `probe.returncode`) bound to one. */
function testsLookup(cx: DeployContext, cond: Node): boolean {
  if (hasLookup(cx, cond)) return true;
  const ids = cond.type === 'identifier' ? [cond] : cond.descendantsOfType('identifier');
  return ids.some((id) => {
    // `probe.returncode`: the object, not the attribute name.
    if (id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.id === id.id) return false;
    const bound = cx.scope.binding(id.text, id);
    return !!bound && hasLookup(cx, bound);
  });
}

/** `run(["gcloud", "secrets", "describe", name])` or `client.get_secret(...)` inside `n`. */
function hasLookup(cx: DeployContext, n: Node): boolean {
  const calls = n.type === 'call' ? [n, ...n.descendantsOfType('call')] : n.descendantsOfType('call');
  return calls.some((c) => {
    const fn = c.childForFieldName('function');
    if (fn?.type === 'attribute' && LOOKUP_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) return true;
    const words = new Set<string>();
    for (const s of (c.childForFieldName('arguments') ?? c).descendantsOfType('string')) {
      const v = staticString(s, cx.text)?.value;
      if (v) words.add(v);
    }
    return words.has('secrets') && words.has('describe');
  });
}
