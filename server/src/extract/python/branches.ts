/**
 * Whether a read runs only in development/tests or only in one environment, from the conditions
 * and definitions around it: env-unset-for-deploy then neither demands a dev-only variable of a
 * deploy nor one environment's variable of another environment's deploy.
 */
import { type Ctx, type N, field, mainGuardOperator, plainString, src, unparen } from './walk';
import { assignmentsTo } from './bindings';

/** The other side of an environment comparison (`ENVIRONMENT`, `self._environment`,
 * `settings.ENV`, `STAGE`): the literal compared with it only names an environment when the
 * subject does. */
const ENV_SUBJECT = /env|stage|mode|tier|deploy|profile/i;

/** Test functions, pytest fixtures, mock/fake helpers and `Test*` classes run only under tests;
 * conditions may restrict a branch to development or to one environment, and the innermost
 * environment condition decides, as it is the one that holds when the read runs. */
export function branchContext(ctx: Ctx, node: N): { devOnly?: boolean; inEnvironment?: string; mainOnly?: boolean } {
  const out: { devOnly?: boolean; inEnvironment?: string; mainOnly?: boolean } = {};
  let cur = node;
  for (let p = node.parent; p; cur = p, p = p.parent) {
    let cond: N | null = null;
    if (p.type === 'if_statement' || p.type === 'elif_clause') {
      if (field(p, 'consequence')?.id === cur.id) cond = field(p, 'condition');
      if (cond && p.type === 'if_statement' && p.parent?.type === 'module' && isMainTest(ctx, cond)) {
        out.mainOnly = true;
        cond = null;
      }
    } else if (p.type === 'conditional_expression') {
      if (p.namedChild(0)?.id === cur.id) cond = p.namedChild(1);
    } else if (p.type === 'function_definition') {
      const name = field(p, 'name');
      if (name && /^test_|^_*(?:mock|fake)_/.test(src(ctx, name))) out.devOnly = true;
      const deco = p.parent?.type === 'decorated_definition' ? p.parent : null;
      if (deco && /@\s*pytest\.fixture/.test(src(ctx, deco).slice(0, p.startIndex - deco.startIndex))) out.devOnly = true;
    } else if (p.type === 'class_definition') {
      const name = field(p, 'name');
      if (name && /^Test[A-Z_]/.test(src(ctx, name))) out.devOnly = true;
    }
    if (cond) {
      const v = classifyCondition(ctx, cond);
      if (v === 'dev') out.devOnly = true;
      else if (v && !out.inEnvironment) out.inEnvironment = v;
    }
  }
  return out;
}

/** `__name__ == "__main__"`: the block runs only when the file is run as a program (`python
 * slack.py`, `python -m app.slack`), never when the service imports it. */
function isMainTest(ctx: Ctx, cond: N): boolean {
  return mainGuardOperator(ctx.text, cond) === '==';
}

/** The literal values a condition compares the environment with (lower-cased), or undefined. */
function conditionValues(ctx: Ctx, cond: N): string[] | undefined {
  const values: string[] = [];
  let unknown = false;
  const visit = (n0: N): void => {
    const n = unparen(n0);
    if (n.type === 'boolean_operator') {
      const l = field(n, 'left');
      const r = field(n, 'right');
      const op = n.childForFieldName('operator')?.type;
      if (op === 'and') {
        // Either conjunct restricting the environment restricts the branch.
        const before = values.length;
        if (l) visit(l);
        if (values.length === before && r) visit(r);
        return;
      }
      if (l) visit(l);
      if (r) visit(r);
      return;
    }
    if (n.type === 'comparison_operator' && n.namedChildCount === 2) {
      const op = n.child(1)?.type;
      if (op !== '==' && op !== 'in' && op !== 'is') {
        unknown = true;
        return;
      }
      const a = n.namedChild(0);
      const b = n.namedChild(1);
      if (!a || !b) return;
      for (const [subject, lit] of [[a, b], [b, a]] as const) {
        if (!ENV_SUBJECT.test(src(ctx, subject))) continue;
        const vs = stringValues(ctx, lit);
        if (vs) {
          values.push(...vs);
          return;
        }
      }
      unknown = true;
      return;
    }
    if (n.type === 'call' || n.type === 'attribute' || n.type === 'identifier') {
      const target = n.type === 'call' ? field(n, 'function') : n;
      const seg = target ? (target.type === 'attribute' ? src(ctx, field(target, 'attribute') ?? target) : src(ctx, target)) : '';
      const m = /^_*is_([a-z]+)$/i.exec(seg);
      if (m && ctx.envNames.isToken(m[1]!)) {
        values.push(m[1]!.toLowerCase());
        return;
      }
      // `if DEBUG:`, `if settings.DEBUG:`, `if app.debug:`: a debug flag is on in development only.
      if (n.type !== 'call' && /^_*debug$/i.test(seg)) {
        values.push('dev');
        return;
      }
    }
    unknown = true;
  };
  visit(cond);
  // A clause that cannot be read may hold anywhere: then the branch restricts nothing.
  if (!values.length || unknown) return undefined;
  return values.map((v) => v.toLowerCase());
}

/** The deploy environments a condition restricts its branch to (`env in ("staging",
 * "production")`), when every value it names is one; undefined for development or unreadable
 * conditions. */
export function deployedEnvironments(ctx: Ctx, cond: N): string[] | undefined {
  const lower = conditionValues(ctx, cond);
  if (!lower) return undefined;
  const envs = new Set<string>();
  for (const v of lower) {
    const k = ctx.envNames.classify(v);
    if (!k || !('env' in k) || !k.env) return undefined;
    envs.add(k.env);
  }
  return [...envs];
}

/** 'dev' when the condition holds only in development/test, an environment name when only there. */
export function classifyCondition(ctx: Ctx, cond: N): string | undefined {
  // An empty name beside development ones (`env in {"development", "test", ""}`) is the unset
  // environment a developer's machine has.
  const lower = conditionValues(ctx, cond)?.filter((v, _, all) => v !== '' || all.every((x) => x === ''));
  if (!lower?.length) return undefined;
  const kinds = lower.map((v) => ctx.envNames.classify(v));
  if (kinds.every((k) => k && 'dev' in k)) return 'dev';
  const envs = new Set(kinds.map((k) => (k && 'env' in k ? k.env : undefined)));
  if (envs.size === 1) {
    const only = [...envs][0];
    if (only) return only;
  }
  return undefined;
}

/** The literals an environment is compared with (`== "prod"`, `in ("dev", "test")`); one
 * non-literal member makes the comparison unreadable. */
function stringValues(ctx: Ctx, n0: N, depth = 0): string[] | undefined {
  const n = unparen(n0);
  // A module constant holding the literals (`_DEV_ENVS = {"development", "test"}`), assigned once.
  if (n.type === 'identifier' && depth === 0) {
    const asgs = assignmentsTo(ctx, null, src(ctx, n));
    const right = asgs.length === 1 ? asgs[0]!.right : null;
    return right && right.type !== 'identifier' ? stringValues(ctx, right, 1) : undefined;
  }
  if (n.type === 'string') {
    const s = plainString(ctx, n);
    return s ? [s.value] : undefined;
  }
  // `frozenset({"development", "test"})`, `tuple([...])`: the literal inside.
  if (n.type === 'call' && depth === 1) {
    const f = field(n, 'function');
    const args = field(n, 'arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    return f && ['frozenset', 'set', 'tuple', 'list'].includes(src(ctx, f)) && args.length === 1 ? stringValues(ctx, args[0]!, 2) : undefined;
  }
  if (n.type === 'tuple' || n.type === 'list' || n.type === 'set') {
    const out: string[] = [];
    for (const c of n.namedChildren) {
      if (c.type === 'comment') continue;
      const s = c.type === 'string' ? plainString(ctx, c) : undefined;
      if (!s) return undefined;
      out.push(s.value);
    }
    return out.length ? out : undefined;
  }
  return undefined;
}
