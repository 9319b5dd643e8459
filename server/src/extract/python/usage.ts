/**
 * Whether a read's value is *needed*: `os.getenv("X")` returns `None` when X is unset, and that
 * only breaks the service where the value is used as a string, passed to a call that needs it, or
 * rejected with a `raise`. Where the code tests it first, falls back, compares it with a literal,
 * passes it on as an optional keyword or stores it as metadata, an unset X is a normal state, not
 * a deploy requirement (env-unset-for-deploy's largest class of false findings on real code).
 *
 * The value is followed from the read through its expression, into the name or `self.x` it is
 * assigned to, and to every use of that name in its scope (a function, the module, or the class
 * for `self.x`), two assignments deep. Each use is judged by the syntax around it; a use behind a
 * test of the same name (`if x: use(x)`, `x.lower() if x else ""`, after `if not x: return`) is
 * protected. A test whose missing branch raises or exits makes the read required, in one
 * environment only when the test says so (`if not v and env == "production": raise`).
 */
import type { OptionalReason } from '../../core/facts';
import { type Ctx, type N, enclosing, escapeRe, field, nodeAt, src, unparen, upParens } from './walk';
import { assignmentsTo } from './bindings';
import { classifyCondition, deployedEnvironments } from './branches';
import { isLogCall } from '../../knowledge/logging';

/** What the code does with a value that is `None` when the variable is unset. */
export type Verdict =
  | { kind: 'required'; env?: string[] }
  | { kind: 'optional'; because: OptionalReason }
  /** Nothing in this file shows (a module constant read elsewhere, an unannotated `return`).
   * `returned`: the value leaves through a getter, which exists to be called, so its callers
   * elsewhere use it; otherwise it was stored and nothing here uses it. `getter`: the module-level
   * function returning it, when nothing in this file calls it (its callers elsewhere decide:
   * model/getter-callers.ts). */
  | { kind: 'unknown'; returned?: true; getter?: string };

/** The holder of a read's value: a local or module name, or `self.<attr>` of a class. */
type Key =
  | { kind: 'name'; name: string; scope: N | null }
  | { kind: 'self'; attr: string; cls: N }
  /** A getter returning the value: its calls (`f()`, `obj.f()`) or, for a property, `obj.f`. */
  | { kind: 'getter'; name: string; property: boolean };

/** One use, judged: `guard` is a test that handles absence (`protects` when it also ends the
 * missing case for the code after it: `if not x: return` / `x = default`). */
type Use =
  | Verdict
  | { kind: 'guard'; protects: boolean; stmt: N; assigns?: true };

const REQUIRED: Verdict = { kind: 'required' };
const UNKNOWN: Verdict = { kind: 'unknown' };
const RETURNED: Verdict = { kind: 'unknown', returned: true };
const optional = (because: OptionalReason): Verdict => ({ kind: 'optional', because });

/** How deep assignments are followed (`a = read; b = a; c = b` stops at `c`). */
const MAX_DEPTH = 2;

/** The verdict for a read expression (the `os.getenv(...)` call itself, or a `"X" in
 * os.environ` test: `negated` for `not in`, which is true when the variable is missing). */
export function readVerdict(ctx: Ctx, read: N, negated = false, secret = false, empty = false): Verdict {
  negatedLeaf = negated ? read.id : undefined;
  secretRead = secret;
  emptyRead = empty;
  try {
    const u = useOf(ctx, read, undefined, 0, false);
    return u.kind === 'guard' ? optional('presence-test') : u;
  } finally {
    negatedLeaf = undefined;
    secretRead = false;
    emptyRead = false;
  }
}

/** The read being judged holds a secret (`secret` of `readVerdict`). */
let secretRead = false;

/** The read being judged gives `""` when unset (`os.getenv("X", "")`): a text method keeps it a
 * text (`"".replace(…)` is `""`), so what the result meets is what the missing value meets. */
let emptyRead = false;

/** Typed getters whose callers are being asked (`returnUse`), against a cycle of getters. */
const askedGetters = new Set<number>();

/** Methods of `str` that give an empty text for an empty one. */
const TEXT_METHODS = new Set(['strip', 'lstrip', 'rstrip', 'lower', 'upper', 'casefold', 'replace', 'removeprefix', 'removesuffix', 'title']);

/** The read being judged is a `not in` test: true, not empty, when the variable is missing. */
let negatedLeaf: number | undefined;

/** What happens to the value of `n` (the read, or a reference holding its value). `key` is the
 * holder `n` refers to (undefined for the read itself); `derived` once the value was turned into
 * a string (`f"{x}/path"`): tests and fallbacks then no longer see the missing value. */
function useOf(ctx: Ctx, n: N, key: Key | undefined, depth: number, derived: boolean): Use {
  const leaf = n;
  let cur = n;
  for (;;) {
    const { node, parent } = upParens(cur);
    if (!parent) return UNKNOWN;
    switch (parent.type) {
      case 'boolean_operator': {
        if (derived) return REQUIRED;
        const op = parent.childForFieldName('operator')?.type;
        if (op === 'or' && field(parent, 'left')?.id === node.id) return optional('fallback');
        // `a and read`, `x or read`: the whole may still be the missing value; its context decides.
        const top = boolTop(parent);
        const test = testContext(ctx, top, leaf, key);
        if (test) return test;
        cur = top;
        continue;
      }
      case 'not_operator':
        if (derived) return REQUIRED;
        return testContext(ctx, boolTop(parent), leaf, key) ?? optional('presence-test');
      case 'comparison_operator': {
        if (derived) return REQUIRED;
        const c = comparisonWith(parent, node);
        if (c === 'hard') return REQUIRED;
        // A secret compared with a value not written here (`request.headers.get("X-Internal") ==
        // os.getenv("INTERNAL_SECRET")`): unset, a request without the header matches it, or none
        // ever does. The check is open or shut, never what it means: required.
        if (secretRead && c === 'compared' && comparesWithUnwritten(parent, node)) return REQUIRED;
        return testContext(ctx, boolTop(parent), leaf, key) ?? optional(c === 'presence' ? 'presence-test' : 'compared');
      }
      case 'if_statement':
      case 'elif_clause':
      case 'while_statement':
        if (field(parent, 'condition')?.id !== node.id) return REQUIRED;
        return derived ? REQUIRED : guardUse(ctx, parent, leaf, key);
      case 'assert_statement':
        return derived ? REQUIRED : guardUse(ctx, parent, leaf, key);
      case 'conditional_expression':
        if (parent.namedChild(1)?.id === node.id) return derived ? REQUIRED : guardUse(ctx, parent, leaf, key);
        cur = parent;
        continue;
      case 'lambda':
        // `password: Optional[str] = field(default_factory=lambda: os.getenv("X"))`: the field's
        // declared type takes None.
        return !derived && field(parent, 'body')?.id === node.id && optionalFieldFactory(ctx, parent) ? optional('none-default') : REQUIRED;
      case 'named_expression':
        // `if url := os.getenv("X"):`: the walrus's value is the read's, judged by its context
        // (a condition guards the branch that uses it).
        if (field(parent, 'value')?.id !== node.id) return REQUIRED;
        cur = parent;
        continue;
      case 'if_clause':
        // `[k for k in NAMES if os.getenv(k)]`: a comprehension's filter only tests the value.
        return derived ? REQUIRED : testContext(ctx, node, leaf, key) ?? optional('presence-test');
      case 'generator_expression':
      case 'list_comprehension': {
        // `any(os.environ.get(k) for k in NAMES)`: each element only tested.
        if (derived || field(parent, 'body')?.id !== node.id) return REQUIRED;
        const holder = upParens(parent).parent;
        const call = holder?.type === 'call' ? holder : callOfArgs(holder);
        const fname = call ? calleeName(ctx, call) : '';
        if ((fname === 'any' || fname === 'all') && call) return testContext(ctx, boolTop(call), leaf, key) ?? optional('presence-test');
        return REQUIRED;
      }
      case 'list':
      case 'tuple':
      case 'set': {
        // `all([a, b, c])` tests every element; any other container holds the value on.
        const call = callOfArgs(parent.parent);
        const fname = call ? calleeName(ctx, call) : '';
        if (!derived && (fname === 'all' || fname === 'any') && call) {
          return testContext(ctx, boolTop(call), leaf, key) ?? optional('presence-test');
        }
        // `signals = [os.environ.get("K_SERVICE"), …]` then `return any(signals)`: the same test,
        // through a local the function uses for nothing else.
        if (!derived && skipsEmptyElements(ctx, parent)) return optional('fallback');
        const tested = derived || parent.type === 'set' ? undefined : testedWhole(ctx, parent, leaf);
        if (tested) return tested;
        // `[get("ENVIRONMENT"), get("STAGE"), "development"]`: candidates tried in turn down to a
        // literal last resort; none is needed alone.
        if (!derived && parent.type !== 'set' && isCandidateList(parent)) return optional('fallback');
        cur = parent;
        continue;
      }
      case 'argument_list': {
        const call = callOfArgs(parent);
        if (!call) return REQUIRED;
        if (isLogging(ctx, call)) return optional('logged');
        if (!derived && calleeName(ctx, call) === 'bool' && parent.namedChildCount === 1) {
          return testContext(ctx, boolTop(call), leaf, key) ?? optional('presence-test');
        }
        // `payload.get("timestamp", os.getenv("X"))`: the default of another lookup; the call's
        // value (the entry, or the variable) is what its context judges. So is a local holding a
        // read given as an env lookup's default (`os.getenv("FROM", smtp_user)`).
        if (isLookupDefault(ctx, call, parent, node, key !== undefined)) {
          cur = call;
          continue;
        }
        // `_parse_recipients(os.getenv("X"))` into `def _parse_recipients(value): if not value:
        // return []`: the function of this file decides, by what it does with its parameter.
        const param = derived || depth >= MAX_DEPTH ? undefined : localParameter(ctx, call, parent, node);
        if (param) {
          const v = judgeUses(ctx, referencesOf(ctx, param.key, param.after), param.key, depth + 1);
          if (v.kind === 'optional') return optional('optional-parameter');
          return v.kind === 'required' ? v : REQUIRED;
        }
        if (passedWithAlternative(ctx, call, node)) return optional('alternative');
        return REQUIRED;
      }
      case 'keyword_argument': {
        if (field(parent, 'value')?.id !== node.id) return REQUIRED;
        const call = callOfArgs(parent.parent);
        if (call && isLogging(ctx, call)) return optional('logged');
        return optional('keyword-argument');
      }
      case 'pair':
        return field(parent, 'value')?.id === node.id ? optional('dict-value') : REQUIRED;
      case 'interpolation': {
        // The string carries "None" on: harmless when logged or stored, broken anywhere else.
        const str = enclosing(parent, ['string']);
        if (!str) return REQUIRED;
        cur = str;
        derived = true;
        continue;
      }
      case 'concatenated_string':
        cur = parent;
        continue;
      case 'return_statement':
        return derived ? REQUIRED : returnUse(ctx, parent, depth);
      case 'assignment':
        if (field(parent, 'right')?.id !== node.id) return REQUIRED;
        return bindUse(ctx, parent, depth, derived);
      case 'expression_statement':
        return UNKNOWN;
      case 'attribute': {
        // `return url.replace("postgres://", "postgresql://")` in a getter: on an empty default the
        // result is as empty, and the getter's callers decide. Only into a `return`: a local test
        // of `os.getenv("X", "").strip()` was judged on the corpus (17 findings, 2 true: callers
        // catch the refusal, another variable switches the branch off, a job gets it per run).
        const top = emptyRead && !derived ? textMethodChain(ctx, node) : undefined;
        if (top && upParens(top).parent?.type === 'return_statement') {
          cur = top;
          continue;
        }
        return REQUIRED;
      }
      default:
        return REQUIRED;
    }
  }
}

/** The last call of a chain of text methods on `n` (`n.replace(a, b).strip()`), or undefined when
 * `n` is not the object of one. */
function textMethodChain(ctx: Ctx, n: N): N | undefined {
  let top: N | undefined;
  for (let obj = upParens(n).node, depth = 0; depth < 8; depth++) {
    const attr = upParens(obj).parent;
    const method = attr?.type === 'attribute' && field(attr, 'object')?.id === upParens(obj).node.id ? field(attr, 'attribute') : null;
    const call = attr?.parent;
    if (!method || !TEXT_METHODS.has(src(ctx, method)) || call?.type !== 'call' || field(call, 'function')?.id !== attr!.id) break;
    top = call;
    obj = call;
  }
  return top;
}

/** A list or tuple assigned to a local name whose every use is the one argument of `any(…)` or
 * `all(…)`: each element is only tested. What the first test does with an unset element decides. */
function testedWhole(ctx: Ctx, list: N, leaf: N): Use | undefined {
  const asg = upParens(list).parent;
  const left = asg?.type === 'assignment' && field(asg, 'right')?.id === upParens(list).node.id ? field(asg, 'left') : null;
  if (!asg || left?.type !== 'identifier') return undefined;
  const key = { kind: 'name' as const, name: src(ctx, left), scope: enclosing(asg, ['function_definition']) };
  const refs = referencesOf(ctx, key, asg);
  // `for p in CANDIDATES: if p and os.path.exists(p): return p`: each element is tried in turn
  // and an unset one is skipped.
  if (refs.length && refs.every((r) => skipsEmptyElements(ctx, r))) return optional('fallback');
  const calls = refs.map((r) => {
    const args = upParens(r).parent;
    const call = args?.type === 'argument_list' && args.namedChildCount === 1 ? callOfArgs(args) : undefined;
    const name = call ? calleeName(ctx, call) : '';
    return name === 'any' || name === 'all' ? call : undefined;
  });
  if (!calls.length || calls.some((c) => !c)) return undefined;
  return testContext(ctx, boolTop(calls[0]!), leaf, key) ?? optional('presence-test');
}

/** `ref` is what a `for` loop iterates, and the loop's first statement tests the element before
 * anything else uses it: `if p and …:` / `if p:` (the use is under the test), or `if not p:` /
 * `if p is None:` followed by `continue`. */
function skipsEmptyElements(ctx: Ctx, ref: N): boolean {
  const { node, parent: loop } = upParens(ref);
  if (loop?.type !== 'for_statement' || field(loop, 'right')?.id !== node.id) return false;
  const v = field(loop, 'left');
  const first = field(loop, 'body')?.namedChildren.find((c) => c.type !== 'comment');
  if (v?.type !== 'identifier' || first?.type !== 'if_statement') return false;
  const name = src(ctx, v);
  const isVar = (n: N | null | undefined): boolean => !!n && unparen(n).type === 'identifier' && src(ctx, unparen(n)) === name;
  let cond = unparen(field(first, 'condition')!);
  while (cond.type === 'boolean_operator' && cond.childForFieldName('operator')?.type === 'and') cond = unparen(field(cond, 'left')!);
  if (isVar(cond)) return true;
  const negated = (cond.type === 'not_operator' && isVar(field(cond, 'argument'))) ||
    (cond.type === 'comparison_operator' && isVar(cond.namedChild(0)) && /^\s*is\s+None\s*$/.test(src(ctx, cond).slice(cond.namedChild(0)!.endIndex - cond.startIndex)));
  if (!negated || first.childrenForFieldName('alternative').some((a) => !!a)) return false;
  const body = field(first, 'consequence')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  return body.length === 1 && body[0]!.type === 'continue_statement';
}

/** `lambda` is the `default_factory` of a dataclass or pydantic field (`field(...)`, `Field(...)`)
 * declared Optional (`Optional[str]`, `str | None`). */
function optionalFieldFactory(ctx: Ctx, lambda: N): boolean {
  const kw = upParens(lambda).parent;
  if (kw?.type !== 'keyword_argument' || src(ctx, field(kw, 'name') ?? kw) !== 'default_factory') return false;
  const call = callOfArgs(kw.parent);
  if (!call || !/^(?:\w+\.)?(?:field|Field)$/.test(src(ctx, field(call, 'function') ?? call))) return false;
  const asg = upParens(call).parent;
  const type = asg?.type === 'assignment' ? field(asg, 'type') : null;
  if (!type) return false;
  const t = src(ctx, type).replace(/\s+/g, '');
  return /^Optional\[|(?:^|\|)None(?:\||$)/.test(t);
}

/** The outermost `and` / `or` / `not` / parentheses around `n`: the test as a whole. */
function boolTop(n: N): N {
  let cur = n;
  for (;;) {
    const { parent } = upParens(cur);
    if (parent && (parent.type === 'boolean_operator' || parent.type === 'not_operator')) cur = parent;
    else return cur;
  }
}

/** A boolean test `top` (holding the value) used as a condition: the guard it is; elsewhere
 * (assigned, returned) undefined, and the caller says what kind of test it was. */
function testContext(ctx: Ctx, top: N, leaf: N, key: Key | undefined): Use | undefined {
  const { node, parent } = upParens(top);
  if (!parent) return undefined;
  if ((parent.type === 'if_statement' || parent.type === 'elif_clause' || parent.type === 'while_statement') &&
    field(parent, 'condition')?.id === node.id) return guardUse(ctx, parent, leaf, key);
  if (parent.type === 'conditional_expression' && parent.namedChild(1)?.id === node.id) return guardUse(ctx, parent, leaf, key);
  if (parent.type === 'assert_statement') return guardUse(ctx, parent, leaf, key);
  if (parent.type === 'argument_list') {
    const call = callOfArgs(parent);
    if (call && calleeName(ctx, call) === 'bool' && parent.namedChildCount === 1) return testContext(ctx, boolTop(call), leaf, key);
  }
  // `missing = [v for v in REQUIRED if not os.getenv(v)]`: the list holds the missing names; what
  // the code does when it is not empty decides.
  if (parent.type === 'if_clause' && parent.parent?.type === 'list_comprehension' && whenMissing(ctx, node, leaf, key).v === 'T') {
    const asg = upParens(parent.parent).parent;
    const left = asg?.type === 'assignment' && field(asg, 'right')?.id === upParens(parent.parent).node.id ? field(asg, 'left') : null;
    const stmt = asg?.parent;
    if (left?.type === 'identifier' && stmt?.type === 'expression_statement') return listedMissingUse(ctx, src(ctx, left), stmt);
    return optional('presence-test');
  }
  return undefined;
}

/**
 * The names found missing are collected in the list `list` (a comprehension's filter, or
 * `missing.append(var)` in a loop's branch), and `after` is the statement that collected them: the
 * statements after it in its block decide. `if missing: raise …` (or `sys.exit`), or `if not
 * missing: return` before a `raise` at the same level, fails without the variable; anything else
 * (a warning logged, the list returned) copes.
 */
function listedMissingUse(ctx: Ctx, list: string, after: N): Use {
  const block = after.parent;
  if (!block) return optional('presence-test');
  const isList = (n: N | null): boolean => {
    if (!n) return false;
    const e = unparen(n);
    if (e.type === 'identifier') return src(ctx, e) === list;
    if (e.type === 'call' && calleeName(ctx, e) === 'len') {
      const args = field(e, 'arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
      return args.length === 1 && unparen(args[0]!).type === 'identifier' && src(ctx, unparen(args[0]!)) === list;
    }
    // `len(missing) > 0`, `len(missing) != 0`
    if (e.type === 'comparison_operator' && e.namedChildCount === 2 && (e.child(1)?.type === '>' || e.child(1)?.type === '!=')) {
      return isList(e.namedChild(0)) && src(ctx, e.namedChild(1)!) === '0';
    }
    return false;
  };
  const siblings = block.namedChildren.filter((c) => c.type !== 'comment');
  let emptyLeaves = false;
  for (let i = siblings.findIndex((c) => c.id === after.id) + 1; i > 0 && i < siblings.length; i++) {
    const s = siblings[i]!;
    if (emptyLeaves && (s.type === 'raise_statement' || isExitCall(ctx, s))) return s.type === 'raise_statement' && caughtHere(ctx, s, block) ? optional('presence-test') : raised();
    if (s.type !== 'if_statement') continue;
    const cond = field(s, 'condition');
    const body = field(s, 'consequence');
    if (!cond || !body) continue;
    const c = unparen(cond);
    if (isList(c)) {
      const ends = blockEnds(ctx, body, undefined);
      return ends?.kind === 'raise' && !caughtHere(ctx, s, body) ? raised(ends.env) : optional('presence-test');
    }
    if (c.type === 'not_operator' && isList(field(c, 'argument'))) {
      const ends = blockEnds(ctx, body, undefined);
      if (ends?.kind !== 'exit') return optional('presence-test');
      emptyLeaves = true;
    }
  }
  return optional('presence-test');
}

/** `value == "x"`, `value in (...)`: false when unset; `value is None` / `== ""`: a presence
 * test; `"x" in value`, `value < 3`: a TypeError on `None`. */
function comparisonWith(cmp: N, operand: N): 'presence' | 'compared' | 'hard' {
  if (cmp.namedChildCount !== 2) return 'hard';
  const op = cmp.child(1)?.type;
  const first = cmp.namedChild(0)?.id === operand.id;
  const other = first ? cmp.namedChild(1) : cmp.namedChild(0);
  if (!other) return 'hard';
  const o = unparen(other);
  const emptyOrNone = o.type === 'none' || (o.type === 'string' && o.namedChildCount === 2 && o.firstChild?.endIndex === o.lastChild?.startIndex);
  switch (op) {
    case 'is':
    case 'is not':
    case '==':
    case '!=':
      return emptyOrNone ? 'presence' : 'compared';
    case 'in':
    case 'not in':
      return first ? 'compared' : 'hard';
    default:
      return 'hard';
  }
}

/** `a == b` / `a != b` where the side other than `operand` is not a literal. */
function comparesWithUnwritten(cmp: N, operand: N): boolean {
  const op = cmp.child(1)?.type;
  if (op !== '==' && op !== '!=' || cmp.namedChildCount !== 2) return false;
  const other = cmp.namedChild(0)?.id === operand.id ? cmp.namedChild(1) : cmp.namedChild(0);
  const o = other ? unparen(other) : undefined;
  return !!o && !['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none'].includes(o.type);
}

/** `x = read` / `self.x = read` / `d["k"] = read`: follow the name to its uses. */
function bindUse(ctx: Ctx, asg: N, depth: number, derived: boolean): Use {
  const left = field(asg, 'left');
  if (!left) return REQUIRED;
  if (left.type === 'subscript') return optional('dict-value');
  // `config.testing = read`: stored on another object, like `d["k"] = read`. Whoever reads the
  // attribute decides, in files this one cannot see; a store alone needs nothing.
  if (!derived && left.type === 'attribute' && !isSelf(ctx, field(left, 'object'))) return optional('dict-value');
  if (derived || depth >= MAX_DEPTH) return UNKNOWN;
  let key: (Key & { kind: 'name' | 'self' }) | undefined;
  // `class Config: KEY = os.environ.get("KEY")`, and a method sets `Config.KEY = …` from another
  // source (a secret store): the variable is only the value before that.
  if (left.type === 'identifier' && reassignedInClass(ctx, asg, src(ctx, left))) return optional('fallback');
  // `try: SECRET_KEY = fetch_secret(…)` / `except Exception: SECRET_KEY = os.environ.get(…)`: the
  // value comes from elsewhere, and the variable stands in only when that failed.
  if (left.type === 'identifier' && assignedInFailedTry(ctx, asg, src(ctx, left))) return optional('fallback');
  if (left.type === 'identifier') {
    key = { kind: 'name', name: src(ctx, left), scope: enclosing(asg, ['function_definition']) };
  } else if (left.type === 'attribute') {
    const obj = field(left, 'object');
    const attr = field(left, 'attribute');
    const cls = enclosing(asg, ['class_definition']);
    if (obj?.type === 'identifier' && src(ctx, obj) === 'self' && attr && cls) key = { kind: 'self', attr: src(ctx, attr), cls };
  }
  if (!key) return UNKNOWN;
  return usesOf(ctx, key, asg, depth + 1);
}

/** `X = <read>` in an `except` clause whose `try` assigns `X` from elsewhere (`assignedInFailedTry`):
 * for a read that would raise by itself (`os.environ["X"]`), which `readVerdict` does not judge. */
export function standsInAfterFailedTry(ctx: Ctx, read: N): boolean {
  const { node, parent } = upParens(read);
  const left = parent?.type === 'assignment' && field(parent, 'right')?.id === node.id ? field(parent, 'left') : null;
  return left?.type === 'identifier' && assignedInFailedTry(ctx, parent!, src(ctx, left));
}

/** `asg` sits in an `except` clause (its own statement, not inside a nested function), and the
 * body of that `try` assigns `name` too, from something that does not read the same name. */
function assignedInFailedTry(ctx: Ctx, asg: N, name: string): boolean {
  const clause = enclosing(asg, ['except_clause', ...SCOPES]);
  const body = clause?.type === 'except_clause' && clause.parent?.type === 'try_statement' ? field(clause.parent, 'body') : null;
  if (!body) return false;
  const scope = enclosing(body, SCOPES)?.id;
  return body.descendantsOfType('assignment').some((a) => {
    const l = a && field(a, 'left');
    const r = a && field(a, 'right');
    // In the `try`'s own scope: an assignment in a function defined there is that function's.
    return !!l && !!r && l.type === 'identifier' && src(ctx, l) === name && enclosing(a!, SCOPES)?.id === scope &&
      !new RegExp(`\\b${escapeRe(name)}\\b`).test(src(ctx, r));
  });
}

/** Nodes that open a scope of their own. */
const SCOPES = ['function_definition', 'class_definition', 'lambda'];

/** `asg` is a class attribute's assignment in the class body, and code of the file assigns the
 * attribute again from something that does not read it: `Cls.name = …` (or through a subclass
 * of this file: `ProdConfig.name = …`), `cls.name` / `self.name` in a method of the class or of
 * such a subclass, also in a tuple target. */
function reassignedInClass(ctx: Ctx, asg: N, name: string): boolean {
  const body = asg.parent?.parent;
  const cls = body?.parent;
  if (asg.parent?.type !== 'expression_statement' || body?.type !== 'block' || cls?.type !== 'class_definition') return false;
  if (!ctx.text.includes(`.${name}`)) return false;
  const clsName = src(ctx, field(cls, 'name') ?? cls);
  const family = [cls, ...ctx.root.descendantsOfType('class_definition').filter((c): c is N => !!c && c.id !== cls.id &&
    (field(c, 'superclasses')?.namedChildren ?? []).some((b) => src(ctx, b) === clsName))];
  const names = new Set(family.map((c) => src(ctx, field(c, 'name') ?? c)));
  for (const a of ctx.root.descendantsOfType('assignment')) {
    if (!a || a.id === asg.id) continue;
    const l = field(a, 'left');
    const r = field(a, 'right');
    if (!l || !r) continue;
    const inFamily = family.some((c) => a.startIndex >= c.startIndex && a.endIndex <= c.endIndex);
    const targets = l.type === 'pattern_list' || l.type === 'tuple_pattern' || l.type === 'tuple' ? l.namedChildren : [l];
    const hit = targets.some((t) => {
      if (t.type !== 'attribute' || src(ctx, field(t, 'attribute') ?? t) !== name) return false;
      const holder = src(ctx, field(t, 'object') ?? t);
      return names.has(holder) || (inFamily && (holder === 'cls' || holder === 'self'));
    });
    if (hit && !new RegExp(`\\b${escapeRe(name)}\\b`).test(src(ctx, r))) return true;
  }
  return false;
}

/** Every use of `key` after `asg`, judged together. */
function usesOf(ctx: Ctx, key: Key & { kind: 'name' | 'self' }, asg: N, depth: number): Verdict {
  const refs = referencesOf(ctx, key, asg);
  if (key.kind === 'self' && hasSwitch(ctx, refs, key, depth)) {
    // The class has a path for the unset value (see `hasSwitch`): its other methods run on the
    // path the switch chose, so only the assigning method's own uses can still need the value.
    const origin = enclosing(asg, ['function_definition']);
    return judgeUses(ctx, refs.filter((r) => enclosing(r, ['function_definition'])?.id === origin?.id), key, depth, true);
  }
  return judgeUses(ctx, refs, key, depth);
}

/**
 * Whether a class switches on the presence of `self.<attr>`: it turns the value into a flag
 * (`self.ready = bool(self.url and self.key)`, `self.url is not None`), picks among alternatives
 * by it (`if self.a: … elif self.url: … else: …`), or leaves a method early without it (`if not
 * self.url: return False`). Such a class is built to run with the variable unset; a use in
 * another method is on the path the switch selected (`_call_remote` runs only `if
 * self.ready`). A lone `if self.url: log(...)` chooses nothing and is no switch.
 */
function hasSwitch(ctx: Ctx, refs: N[], key: Key, depth: number): boolean {
  return refs.some((ref) => {
    const u = useOf(ctx, ref, key, depth, false);
    if (u.kind === 'optional') return u.because === 'presence-test';
    if (u.kind !== 'guard') return false;
    if (u.protects) return true;
    const stmt = u.stmt;
    if (stmt.type === 'elif_clause' || stmt.type === 'conditional_expression') return true;
    return stmt.type === 'if_statement' && stmt.childrenForFieldName('alternative').some((a) => !!a);
  });
}

const isSelf = (ctx: Ctx, n: N | null): boolean => n?.type === 'identifier' && src(ctx, n) === 'self';

/** Uses of one value (references of a name, calls of a getter), in text order: one breaking use
 * that no test protects, or one rejection, makes it required; tests and harmless uses make it
 * optional; no use at all says nothing. */
function judgeUses(ctx: Ctx, refs: N[], key: Key | undefined, depth: number, switched = false): Verdict {
  if (key) refs = withLookupAliases(ctx, refs);
  if (!refs.length) return switched ? optional('presence-test') : UNKNOWN;
  const guards: { stmt: N; fn: N | null }[] = [];
  let handled = false;
  let softReason: OptionalReason | undefined;
  let softMixed = false;
  // A test that tried another source first (`if not key: key = secret_manager.get(…)`): a later
  // `if not key: raise` rejects the absence of every source, not of the variable.
  let otherSource = false;
  let returnedBy: string | undefined;
  for (const ref of refs) {
    const u = useOf(ctx, ref, key, depth, false);
    if (u.kind === 'required' && u.env === undefined && !isRaise(u)) {
      if (!isProtected(ctx, ref, key, guards)) return inFunctions(REQUIRED, refs);
      continue;
    }
    if (u.kind === 'required' && otherSource) {
      softReason ??= 'fallback';
      continue;
    }
    // A raise on absence, unless the use sits where a test of this value has passed (`if t:
    // url = t`, then `if not url: raise`): the value reaches it only when set, and the raise is
    // about the other sources of what it was copied into.
    if (u.kind === 'required') {
      if (isProtected(ctx, ref, key, guards)) continue;
      return inFunctions(u, refs);
    }
    if (u.kind === 'unknown') {
      if (isProtected(ctx, ref, key, guards)) continue;
      // Returned by a getter nothing in this file calls (`x = os.getenv("X")` then `return x`):
      // its callers in other modules decide, unless a use here needs the value.
      if (u.getter && (returnedBy === undefined || returnedBy === u.getter)) {
        returnedBy = u.getter;
        continue;
      }
      return inFunctions(REQUIRED, refs);
    }
    if (u.kind === 'guard') {
      handled = true;
      if (u.protects) guards.push({ stmt: u.stmt, fn: enclosing(u.stmt, ['function_definition']) });
      if (u.assigns) otherSource = true;
      continue;
    }
    if (softReason && softReason !== u.because) softMixed = true;
    softReason ??= u.because;
  }
  if (returnedBy) return { kind: 'unknown', returned: true, getter: returnedBy };
  if (handled || softMixed || (switched && softReason && softReason !== 'presence-test')) return optional('tested-after-assignment');
  return softReason ? optional(softReason) : switched ? optional('presence-test') : UNKNOWN;
}

/**
 * `sender = os.getenv("MAIL_FROM", user)`: where the held value is an env lookup's default bound to
 * a local of the same function, the local's uses are the value's own (`user` when `MAIL_FROM` is
 * unset), judged in text order with the value's other uses: a `sendmail(sender, …)` after `if not
 * user: return` is as protected as a use of `user` there would be.
 */
function withLookupAliases(ctx: Ctx, refs: N[]): N[] {
  let changed = false;
  const out: N[] = [];
  for (const ref of refs) {
    const { node, parent } = upParens(ref);
    const call = parent?.type === 'argument_list' ? callOfArgs(parent) : undefined;
    const asg = call && isLookupDefault(ctx, call, parent!, node, true) && lookupCallee(ctx, call).env ? upParens(call).parent : null;
    const left = asg?.type === 'assignment' && field(asg, 'right')?.id === upParens(call!).node.id ? field(asg, 'left') : null;
    if (!asg || left?.type !== 'identifier') {
      out.push(ref);
      continue;
    }
    changed = true;
    out.push(...referencesOf(ctx, { kind: 'name', name: src(ctx, left), scope: enclosing(asg, ['function_definition']) }, asg));
  }
  return changed ? out.sort((a, b) => a.startIndex - b.startIndex) : refs;
}

/** Whether one use of `self.<attr>` copes with a missing value (a test, a fallback, a dict value,
 * a keyword argument, a log line): it needs nothing from the deploy. */
export function attrUseCopes(ctx: Ctx, cls: N, attr: string, ref: N): boolean {
  const u = useOf(ctx, ref, { kind: 'self', attr, cls }, MAX_DEPTH, false);
  return u.kind === 'optional' || u.kind === 'guard';
}

/** What a class does with `self.<attr>` (a settings field): its uses in every method. */
export function attrVerdict(ctx: Ctx, cls: N, attr: string, declaration: N): Verdict {
  return usesOf(ctx, { kind: 'self', attr, cls }, declaration, 0);
}

/** Raises are marked so that `usesOf` tells them from plain breaking uses. */
const RAISED = new WeakSet<object>();
const raised = (env?: string[]): Verdict => {
  const v: Verdict = env ? { kind: 'required', env } : { kind: 'required' };
  RAISED.add(v);
  return v;
};
/** The verdict is an explicit rejection of the missing value (`raise`, `sys.exit`, `assert`). */
export const isRaise = (v: Verdict): boolean => RAISED.has(v);

/** Requirements whose every use of the value is in a function's body (`KEY = os.getenv("KEY")` at
 * a module's top level, used only in `def charge():`): a missing value fails when the function is
 * called, not when the module loads. */
const IN_FUNCTIONS = new WeakSet<object>();
/** The verdict, marked as failing only in functions when every one of `refs` sits in one. */
function inFunctions(v: Verdict, refs: readonly N[]): Verdict {
  if (v.kind !== 'required' || !refs.every((r) => enclosing(r, ['function_definition', 'lambda']))) return v;
  const marked: Verdict = { ...v };
  if (RAISED.has(v)) RAISED.add(marked);
  IN_FUNCTIONS.add(marked);
  return marked;
}
export const failsInFunctions = (v: Verdict): boolean => IN_FUNCTIONS.has(v);

/** A test of the value in `stmt`'s condition: which branch an unset variable takes, and whether
 * that branch raises (required) or handles it (optional). */
function guardUse(ctx: Ctx, stmt: N, leaf: N, key: Key | undefined): Use {
  const cond = stmt.type === 'conditional_expression' ? stmt.namedChild(1) : stmt.type === 'assert_statement' ? stmt.namedChild(0) : field(stmt, 'condition');
  if (!cond) return { kind: 'guard', protects: false, stmt };
  const m = whenMissing(ctx, cond, leaf, key);
  if (stmt.type === 'assert_statement') return m.v === 'F' ? raised(m.env) : { kind: 'guard', protects: false, stmt };
  if (stmt.type !== 'if_statement' && stmt.type !== 'elif_clause') return { kind: 'guard', protects: false, stmt };
  const body = field(stmt, 'consequence');
  if (m.v === 'T' && body) {
    const ends = blockEnds(ctx, body, key);
    // `try: … if not v: raise ValueError(…) … except Exception: log(…)`: the code copes.
    if (ends?.kind === 'raise' && caughtHere(ctx, stmt, body)) return { kind: 'guard', protects: true, stmt };
    if (ends?.kind === 'raise') return raised(m.env ?? ends.env);
    if (ends?.kind === 'assign') return { kind: 'guard', protects: true, stmt, assigns: true };
    // `for var in REQUIRED: if not os.getenv(var): missing.append(var)`, then `if missing: raise`.
    const collected = ends ? undefined : appendedList(ctx, body);
    const loop = collected && stmt.type === 'if_statement' ? loopAround(stmt) : undefined;
    if (collected && loop) {
      const u = listedMissingUse(ctx, collected, loop);
      if (u.kind === 'required') return u;
    }
    return { kind: 'guard', protects: ends?.kind === 'exit', stmt };
  }
  if (m.v === 'F' && stmt.type === 'if_statement') {
    const alts = stmt.childrenForFieldName('alternative').filter((a): a is N => !!a);
    const els = alts.length === 1 && alts[0]!.type === 'else_clause' ? field(alts[0]!, 'body') : null;
    const ends = els ? blockEnds(ctx, els, key) : undefined;
    if (ends?.kind === 'raise') return raised(ends.env);
  }
  return { kind: 'guard', protects: false, stmt };
}

/** The list a branch adds to (`missing.append(var)`, logging beside it allowed), if that is all
 * it does. */
function appendedList(ctx: Ctx, body: N): string | undefined {
  let list: string | undefined;
  for (const s of body.namedChildren) {
    if (s.type === 'comment') continue;
    const e = s.type === 'expression_statement' ? s.namedChild(0) : null;
    if (e?.type !== 'call') return undefined;
    const f = field(e, 'function');
    if (f?.type === 'attribute' && src(ctx, field(f, 'attribute') ?? f) === 'append' && field(f, 'object')?.type === 'identifier') {
      const name = src(ctx, field(f, 'object')!);
      if (list && list !== name) return undefined;
      list = name;
    } else if (!isLogging(ctx, e) && calleeName(ctx, e) !== 'print') return undefined;
  }
  return list;
}

/** The `for` statement whose body holds `stmt` directly. */
function loopAround(stmt: N): N | undefined {
  const block = stmt.parent;
  const loop = block?.type === 'block' ? block.parent : null;
  return loop?.type === 'for_statement' && field(loop, 'body')?.id === block!.id ? loop : undefined;
}

/**
 * A `raise` in `block` (the branch of `stmt`) that a `try` around `stmt`, in the same function,
 * catches without failing itself: an `except` naming the raised class, `Exception`,
 * `BaseException`, or none, whose handler neither raises nor exits. The missing variable then
 * switches the guarded work off; it breaks nothing.
 */
function caughtHere(ctx: Ctx, stmt: N, block: N): boolean {
  const thrown = block.namedChildren.find((c) => c.type === 'raise_statement');
  const e = thrown?.namedChildren.find((c) => c.type !== 'comment');
  const callee = e?.type === 'call' ? field(e, 'function') : e;
  const name = callee ? src(ctx, callee.type === 'attribute' ? field(callee, 'attribute') ?? callee : callee) : '';
  if (!name) return false;
  const inTry = tryAround(ctx, stmt, name);
  if (inTry !== undefined) return inTry;
  // A method whose every `self.<method>(…)` call in its class is caught and answered: the class
  // copes, one call deep.
  const fn = enclosing(stmt, ['function_definition', 'lambda']);
  const cls = fn?.type === 'function_definition' ? enclosing(fn, ['class_definition', 'function_definition']) : null;
  const method = fn ? field(fn, 'name') : null;
  if (!fn || !method || cls?.type !== 'class_definition') return false;
  const calls = cls.descendantsOfType('call').filter((c): c is N => {
    const f = c ? field(c, 'function') : null;
    return !!f && f.type === 'attribute' && src(ctx, field(f, 'object') ?? f) === 'self' && src(ctx, field(f, 'attribute') ?? f) === src(ctx, method) &&
      !(c!.startIndex >= fn.startIndex && c!.endIndex <= fn.endIndex);
  });
  return calls.length > 0 && calls.every((c) => tryAround(ctx, c, name) === true);
}

/** Whether a `try` around `n`, in its function, catches `name` and copes (true), catches it not
 * or fails again (false); undefined when no `try` encloses it. */
function tryAround(ctx: Ctx, n: N, name: string): boolean | undefined {
  let cur = n;
  for (let p = n.parent; p && p.type !== 'function_definition' && p.type !== 'class_definition' && p.type !== 'lambda'; cur = p, p = p.parent) {
    if (p.type !== 'try_statement' || field(p, 'body')?.id !== cur.id) continue;
    const handlers = p.namedChildren.filter((c) => c.type === 'except_clause');
    const handler = handlers.find((h) => catches(ctx, h, name));
    if (!handler) return false;
    const body = handler.namedChildren.find((c) => c.type === 'block');
    return !!body && !blockEndsInFailure(ctx, body);
  }
  return undefined;
}

const BROAD = new Set(['Exception', 'BaseException']);

/** Whether an `except` clause catches the class `name` (by name: subclasses are not seen). */
function catches(ctx: Ctx, handler: N, name: string): boolean {
  const types = handler.namedChildren.filter((c) => c.type !== 'block' && c.type !== 'comment');
  if (!types.length) return true; // bare `except:`
  let t = types[0]!;
  if (t.type === 'as_pattern') t = t.namedChild(0) ?? t;
  t = unparen(t);
  const names = (t.type === 'tuple' ? t.namedChildren : [t]).map((n) => src(ctx, n.type === 'attribute' ? field(n, 'attribute') ?? n : n));
  return names.some((n) => n === name || BROAD.has(n));
}

/** A handler that raises again or exits: the failure goes on. */
function blockEndsInFailure(ctx: Ctx, block: N): boolean {
  return block.namedChildren.some((s) => s.type === 'raise_statement' || isExitCall(ctx, s));
}

/** `sys.exit(…)`, `exit()`, `quit()`, `os._exit(…)` as a statement: the process ends. */
function isExitCall(ctx: Ctx, s: N): boolean {
  const e = s.type === 'expression_statement' ? s.namedChild(0) : null;
  return e?.type === 'call' && /^(?:sys\.exit|exit|quit|os\._exit)$/.test(src(ctx, field(e, 'function') ?? e));
}

/** How a block ends: raising (or exiting the process; `env` when only inside `if env ==
 * "production":`), leaving the function or loop, or assigning the tested name (`if not x: x =
 * default`). Only its own statements count. */
function blockEnds(ctx: Ctx, block: N, key: Key | undefined): { kind: 'raise' | 'exit' | 'assign'; env?: string[] } | undefined {
  const stmts = block.namedChildren.filter((c) => c.type !== 'comment');
  const raises = (list: N[]): boolean => list.some((s) => (s.type === 'raise_statement' ? !isHttpRejection(ctx, s) : isExitCall(ctx, s)));
  if (raises(stmts)) return { kind: 'raise' };
  // `if not key: if ENV == "production": raise …` then a development stand-in; the raising
  // clause may be any of an `if`/`elif` chain (`elif env in ["staging", "production"]: raise`).
  for (const s of stmts) {
    if (s.type !== 'if_statement') continue;
    const clauses = [s, ...s.childrenForFieldName('alternative').filter((a): a is N => a?.type === 'elif_clause')];
    for (const clause of clauses) {
      const cond = field(clause, 'condition');
      const body = field(clause, 'consequence');
      const env = cond ? deployedEnvironments(ctx, cond) : undefined;
      if (env && body && raises(body.namedChildren)) return { kind: 'raise', env };
    }
    // `if not key: if env in DEV_ENVS: key = DEV_KEY  else: raise …`: a development stand-in, and
    // a failure everywhere else, the deployed environments among them.
    const otherwise = s.childrenForFieldName('alternative').find((a): a is N => a?.type === 'else_clause');
    const otherBody = otherwise ? field(otherwise, 'body') : null;
    const cond = field(s, 'condition');
    if (otherBody && cond && raises(otherBody.namedChildren) && classifyCondition(ctx, cond) === 'dev') return { kind: 'raise' };
  }
  const last = stmts[stmts.length - 1];
  if (last && ['return_statement', 'continue_statement', 'break_statement'].includes(last.type)) return { kind: 'exit' };
  // `raise HTTPException(403)`: the request is answered with an error and the service runs on;
  // an endpoint that refuses while the variable is unset is disabled, not broken.
  if (last?.type === 'raise_statement' && isHttpRejection(ctx, last)) return { kind: 'exit' };
  if (key) {
    for (const s of stmts) {
      const a = s.type === 'expression_statement' ? s.namedChild(0) : null;
      const l = a?.type === 'assignment' ? field(a, 'left') : null;
      if (l && isKeyRef(ctx, l, key)) return { kind: 'assign' };
    }
    // `if not key: try: key = secret_manager.get(…) except …: …`: another source is tried, nested
    // in the block (not in a function or class defined there).
    for (const a of block.descendantsOfType('assignment')) {
      const l = a ? field(a, 'left') : null;
      if (!a || !l || !isKeyRef(ctx, l, key)) continue;
      const def = enclosing(a, ['function_definition', 'class_definition', 'lambda']);
      if (!def || def.startIndex < block.startIndex) return { kind: 'assign' };
    }
  }
  return undefined;
}

/** `raise HTTPException(...)` (FastAPI, Starlette, Werkzeug) or Django's `PermissionDenied` /
 * `Http404`: an error response to one request, not a failure of the service. */
function isHttpRejection(ctx: Ctx, raise: N): boolean {
  const e = raise.namedChildren.find((c) => c.type !== 'comment');
  const callee = e?.type === 'call' ? field(e, 'function') : e;
  if (!callee) return false;
  const name = callee.type === 'attribute' ? src(ctx, field(callee, 'attribute') ?? callee) : src(ctx, callee);
  return HTTP_REJECTIONS.has(name);
}

const HTTP_REJECTIONS = new Set(['HTTPException', 'PermissionDenied', 'Http404']);

type Truth = { v: 'T' | 'F' | '?'; env?: string[] };

/** The truth of `cond` when the value (`leaf`, or any reference of `key`) is missing: `not x` is
 * true, `x and y` false, `not x and env == "production"` true in production only. */
function whenMissing(ctx: Ctx, cond: N, leaf: N, key: Key | undefined): Truth {
  const isValue = (n: N): boolean => n.id === leaf.id || (!!key && isKeyRef(ctx, n, key));
  // Inside a flag's expression (`if USE_CONNECTOR:` with `USE_CONNECTOR = bool(CONN and …)`): flags
  // are stood for one deep.
  let inFlag = false;
  const ev = (n0: N): Truth => {
    const n = unparen(n0);
    if (isValue(n)) return { v: n.id === negatedLeaf ? 'T' : 'F' };
    switch (n.type) {
      case 'identifier': {
        const e = inFlag || !key ? undefined : flagExpression(ctx, n);
        if (!e) return { v: '?' };
        inFlag = true;
        const r = ev(e);
        inFlag = false;
        return r.v === 'F' ? r : { v: '?' };
      }
      case 'not_operator': {
        const a = field(n, 'argument');
        const r = a ? ev(a) : { v: '?' as const };
        return { v: r.v === 'T' ? 'F' : r.v === 'F' ? 'T' : '?' };
      }
      case 'boolean_operator': {
        const l = field(n, 'left');
        const r = field(n, 'right');
        const a = l ? ev(l) : { v: '?' as const };
        const b = r ? ev(r) : { v: '?' as const };
        if (n.childForFieldName('operator')?.type === 'and') {
          if (a.v === 'F' || b.v === 'F') return { v: 'F' };
          if (a.v === 'T' && b.v === 'T') return { v: 'T', env: a.env ?? b.env };
          // Missing and in one environment: the branch holds there only.
          const t = a.v === 'T' ? a : b.v === 'T' ? b : undefined;
          const other = t === a ? r : l;
          if (t && other) {
            const c = deployedEnvironments(ctx, other);
            if (c) return { v: 'T', env: c };
          }
          return { v: '?' };
        }
        if (a.v === 'T' || b.v === 'T') return { v: 'T' };
        if (a.v === 'F' && b.v === 'F') return { v: 'F' };
        return { v: '?' };
      }
      case 'comparison_operator': {
        if (n.namedChildCount !== 2) return { v: '?' };
        const x = n.namedChild(0);
        const y = n.namedChild(1);
        const side = x && isValue(unparen(x)) ? x : y && isValue(unparen(y)) ? y : undefined;
        if (!side) return { v: '?' };
        const c = comparisonWith(n, side);
        const op = n.child(1)?.type;
        if (c === 'presence') return { v: op === 'is' || op === '==' ? 'T' : 'F' };
        if (c === 'compared') return { v: op === '==' || op === 'is' || op === 'in' ? 'F' : 'T' };
        return { v: '?' };
      }
      case 'call': {
        const name = calleeName(ctx, n);
        const args = field(n, 'arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
        if (name === 'bool' && args.length === 1) return ev(args[0]!);
        // `all(os.getenv(k) for k in NAMES)`: the call's arguments are the generator itself.
        const gen = field(n, 'arguments');
        if ((name === 'all' || name === 'any') && gen?.type === 'generator_expression') {
          const body = field(gen, 'body');
          const b = body ? ev(body) : { v: '?' as const };
          return name === 'all' && b.v === 'F' ? { v: 'F' } : { v: '?' };
        }
        if ((name === 'all' || name === 'any') && args.length === 1) {
          const list = unparen(args[0]!);
          if (list.type !== 'list' && list.type !== 'tuple') return { v: '?' };
          const items = list.namedChildren.filter((c) => c.type !== 'comment').map(ev);
          if (name === 'all') return items.some((i) => i.v === 'F') ? { v: 'F' } : { v: '?' };
          return items.length && items.every((i) => i.v === 'F') ? { v: 'F' } : { v: '?' };
        }
        return { v: '?' };
      }
      default:
        return { v: '?' };
    }
  };
  return ev(cond);
}

/** A `return` of the value: a function declared to return a non-optional type needs it; otherwise
 * the function is a getter and its callers in this file decide (`if not get_token(): ...`). An
 * `Optional` return type alone proves nothing: a caller elsewhere may still need the value. */
function returnUse(ctx: Ctx, ret: N, depth: number): Verdict {
  const fn = enclosing(ret, ['function_definition', 'lambda']);
  if (fn?.type !== 'function_definition') return RETURNED;
  const rt = field(fn, 'return_type');
  const optionalType = !!rt && /\bOptional\b|\bNone\b/.test(src(ctx, rt));
  const name = field(fn, 'name');
  const key: Key | undefined = name ? { kind: 'getter', name: src(ctx, name), property: isProperty(ctx, fn) } : undefined;
  if (rt && !optionalType) {
    // `-> str` says a value comes back, not whether an empty one will do: a caller here raising
    // on it (`url = get_url()` then `if not url: raise`) says that (an empty default rejected).
    // The callers are asked at the same depth (the caller's own `url = get_url()` is the step
    // the depth counts), once per function along one path.
    if (depth < MAX_DEPTH && key?.kind === 'getter' && !askedGetters.has(fn.id)) {
      askedGetters.add(fn.id);
      try {
        const v = judgeUses(ctx, callersOf(ctx, fn, key), key, depth);
        if (v.kind === 'required' && isRaise(v)) return v;
      } finally {
        askedGetters.delete(fn.id);
      }
    }
    return REQUIRED;
  }
  if (depth >= MAX_DEPTH || key?.kind !== 'getter') return RETURNED;
  const callers = callersOf(ctx, fn, key);
  const v = judgeUses(ctx, callers, key, depth + 1);
  if (v.kind === 'unknown') return !callers.length && isModuleLevel(fn) && !key.property ? { kind: 'unknown', returned: true, getter: key.name } : RETURNED;
  return v.kind === 'optional' && optionalType ? optional('optional-return') : v;
}

/** The calls of `fn` in this file (`f()`, `self.f()`, `Cls.f()`), or for a property its reads
 * (`obj.f`), matched by name as one file tells no more. */
function callersOf(ctx: Ctx, fn: N, key: Key & { kind: 'getter' }): N[] {
  const nameNode = field(fn, 'name');
  if (!nameNode) return [];
  const { name, property } = key;
  const inClass = enclosing(fn, ['class_definition', 'function_definition'])?.type === 'class_definition';
  const out: N[] = [];
  const re = new RegExp(`\\b${escapeRe(name)}\\b`, 'g');
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const id = nodeAt(ctx, m.index, m.index + name.length);
    if (!id || id.type !== 'identifier' || id.startIndex !== m.index || id.id === nameNode.id) continue;
    let value: N | null = id;
    const p = id.parent;
    if (p?.type === 'attribute' && field(p, 'attribute')?.id === id.id) value = p;
    else if (inClass) continue; // a bare name is not the method
    if (property) {
      if (value.type !== 'attribute' || upParens(value).parent?.type === 'call') continue;
      out.push(value);
      continue;
    }
    const call = value.parent;
    if (call?.type === 'call' && field(call, 'function')?.id === value.id) out.push(call);
  }
  return out;
}

/** A use behind a test of the same value: inside `if x:`, after `if not x: return`, in
 * `x.lower() if x else ""`, `x and x.strip()`, `not x or x.startswith(...)`. */
function isProtected(ctx: Ctx, ref: N, key: Key | undefined, guards: { stmt: N; fn: N | null }[]): boolean {
  const fn = enclosing(ref, ['function_definition']);
  if (guards.some((g) => g.fn?.id === fn?.id && g.stmt.endIndex <= ref.startIndex)) return true;
  if (!key) return false;
  return protectedHere(ctx, ref, key) || calledOnlyProtected(ctx, ref, key);
}

/** Whether an `if`, `else`, conditional or `and`/`or` around `ref`, in its function, runs it only
 * where the value is set. */
function protectedHere(ctx: Ctx, ref: N, key: Key): boolean {
  let cur = ref;
  for (let p = ref.parent; p && p.type !== 'function_definition' && p.type !== 'class_definition'; cur = p, p = p.parent) {
    const truth = (c: N | null): Truth['v'] => (c ? whenMissing(ctx, c, ref, key).v : '?');
    if ((p.type === 'if_statement' || p.type === 'elif_clause') && field(p, 'consequence')?.id === cur.id) {
      if (truth(field(p, 'condition')) === 'F') return true;
    } else if (p.type === 'else_clause' && p.parent?.type === 'if_statement') {
      const ifs = p.parent;
      if (ifs.childrenForFieldName('alternative').length === 1 && truth(field(ifs, 'condition')) === 'T') return true;
    } else if (p.type === 'conditional_expression') {
      const t = truth(p.namedChild(1));
      if (p.namedChild(0)?.id === cur.id && t === 'F') return true;
      if (p.namedChild(2)?.id === cur.id && t === 'T') return true;
    } else if (p.type === 'boolean_operator' && field(p, 'right')?.id === cur.id) {
      const t = truth(field(p, 'left'));
      const op = p.childForFieldName('operator')?.type;
      if ((op === 'and' && t === 'F') || (op === 'or' && t === 'T')) return true;
    }
  }
  return false;
}

/**
 * `ref` sits in a private helper of the module (`def _create_engine():`, nested functions
 * included) that the file calls only where the value is set (`if USE_CONNECTOR:
 * _create_engine()`): the helper runs on that path alone. One level of callers; a leading
 * underscore is how Python says no other module calls it.
 */
function calledOnlyProtected(ctx: Ctx, ref: N, key: Key): boolean {
  let fn: N | undefined;
  for (let p = ref.parent; p; p = p.parent) {
    if (p.type === 'class_definition' || p.type === 'lambda') return false;
    if (p.type === 'function_definition') fn = p;
  }
  if (!fn || fn.parent?.type !== 'module') return false;
  const nameNode = field(fn, 'name');
  const name = nameNode ? src(ctx, nameNode) : '';
  if (!name.startsWith('_') || name.startsWith('__')) return false;
  const calls: N[] = [];
  const re = new RegExp(`\\b${escapeRe(name)}\\b`, 'g');
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    if (m.index === nameNode!.startIndex) continue;
    const id = nodeAt(ctx, m.index, m.index + name.length);
    if (!id || id.type !== 'identifier') continue;
    const call = upParens(id).parent;
    // Named other than as a call (passed on, stored): it may run anywhere.
    if (call?.type !== 'call' || field(call, 'function')?.id !== upParens(id).node.id) return false;
    if (call.startIndex >= fn.startIndex && call.endIndex <= fn.endIndex) continue;
    calls.push(call);
  }
  return calls.length > 0 && calls.every((c) => protectedHere(ctx, c, key));
}

/** The expression a module-level flag stands for (`USE_CONNECTOR = bool(CONN and …)`), where the
 * file assigns the name once at its top level and anywhere else only turns it off
 * (`except Exception: USE_GCS = False`): when the expression is false, so is the flag. */
function flagExpression(ctx: Ctx, id: N): N | undefined {
  const name = src(ctx, id);
  let memo = flags.get(ctx);
  if (!memo) flags.set(ctx, (memo = new Map()));
  if (!memo.has(name)) memo.set(name, findFlagExpression(ctx, name));
  return memo.get(name) ?? undefined;
}

/** Per file, by name: the expression a flag stands for, or null. */
const flags = new WeakMap<Ctx, Map<string, N | null>>();

function findFlagExpression(ctx: Ctx, name: string): N | null {
  const re = new RegExp(`(?:^|[^.\\w])(${escapeRe(name)})\\s*(?::[^=\\n]*)?=(?!=)`, 'gm');
  let top: N | null = null;
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const at = m.index + m[0].indexOf(m[1]!);
    const left = nodeAt(ctx, at, at + name.length);
    const a = left?.parent;
    if (left?.type !== 'identifier' || a?.type !== 'assignment' || field(a, 'left')?.id !== left.id) return null;
    const right = field(a, 'right');
    if (a.parent?.type === 'expression_statement' && a.parent.parent?.type === 'module') {
      if (top) return null;
      top = right;
    } else if (right?.type !== 'false') return null;
  }
  return top;
}

/** A function defined at a module's top level (decorated or not): other modules call it by name. */
function isModuleLevel(fn: N): boolean {
  const at = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  return at.parent?.type === 'module';
}

function isProperty(ctx: Ctx, fn: N): boolean {
  const deco = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  return !!deco && /@\s*(?:\w+\.)*(?:property|cached_property)\b/.test(src(ctx, deco).slice(0, fn.startIndex - deco.startIndex));
}

/** Whether `n` reads the holder `key` (`x`, `self.x` in the class, a getter's call). */
function isKeyRef(ctx: Ctx, n0: N, key: Key): boolean {
  const n = unparen(n0);
  if (key.kind === 'name') return n.type === 'identifier' && src(ctx, n) === key.name;
  if (key.kind === 'getter') {
    const target = key.property ? n : n.type === 'call' ? field(n, 'function') : null;
    if (!target) return false;
    if (target.type === 'identifier') return !key.property && src(ctx, target) === key.name;
    return target.type === 'attribute' && src(ctx, field(target, 'attribute') ?? target) === key.name;
  }
  if (n.type !== 'attribute') return false;
  const obj = field(n, 'object');
  const attr = field(n, 'attribute');
  return obj?.type === 'identifier' && src(ctx, obj) === 'self' && !!attr && src(ctx, attr) === key.attr;
}

/**
 * The loads of `key` in its scope, in text order, skipping the assignment itself and other
 * stores: a local's uses after `asg` in its function; a module name's uses after it at the top
 * level and anywhere in functions that do not bind the name themselves; `self.x` anywhere in its
 * class (methods run in any order).
 */
function referencesOf(ctx: Ctx, key: Key & { kind: 'name' | 'self' }, asg: N): N[] {
  const out: N[] = [];
  const { text } = ctx;
  const scope = key.kind === 'self' ? key.cls : key.scope ?? ctx.root;
  const re = key.kind === 'self' ? new RegExp(`\\bself\\s*\\.\\s*${escapeRe(key.attr)}\\b`, 'g') : new RegExp(`\\b${escapeRe(key.name)}\\b`, 'g');
  re.lastIndex = scope.startIndex;
  const bindsLocally = new Map<number, boolean>();
  for (let m = re.exec(text); m && m.index < scope.endIndex; m = re.exec(text)) {
    let n: N | null;
    if (key.kind === 'self') {
      const id = nodeAt(ctx, m.index + m[0].length - key.attr.length, m.index + m[0].length);
      n = id?.parent?.type === 'attribute' ? id.parent : null;
      if (!n || !isKeyRef(ctx, n, key) || enclosing(n, ['class_definition'])?.id !== key.cls.id) continue;
    } else {
      n = nodeAt(ctx, m.index, m.index + m[0].length);
      if (!n || n.type !== 'identifier' || n.startIndex !== m.index || n.endIndex !== m.index + m[0].length) continue;
      const p = n.parent;
      if (p?.type === 'attribute' && field(p, 'attribute')?.id === n.id) continue;
      if (p?.type === 'keyword_argument' && field(p, 'name')?.id === n.id) continue;
      if (p && ['parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'global_statement',
        'nonlocal_statement', 'function_definition', 'class_definition', 'aliased_import', 'dotted_name'].includes(p.type)) continue;
      const fn = enclosing(n, ['function_definition']);
      if (key.scope === null && fn) {
        // A function binding the name itself (a parameter or an assignment) hides the module's.
        let b = bindsLocally.get(fn.id);
        if (b === undefined) {
          b = assignmentsTo(ctx, fn, key.name).length > 0 || (field(fn, 'parameters')?.namedChildren ?? []).some((c) => {
            const id = c.type === 'identifier' ? c : c.namedChildren.find((x) => x.type === 'identifier');
            return !!id && src(ctx, id) === key.name;
          });
          bindsLocally.set(fn.id, b);
        }
        if (b) continue;
      } else if (key.scope === null ? !!fn : fn?.id !== key.scope?.id) {
        continue;
      }
      if (!(key.scope === null && fn) && n.startIndex < asg.endIndex) continue;
    }
    if (isStore(n)) continue;
    if (n.startIndex >= asg.startIndex && n.endIndex <= asg.endIndex) continue;
    if (key.kind === 'name' && reboundBefore(ctx, n, key.name, asg, scope)) continue;
    out.push(n);
  }
  return out;
}

/**
 * Whether `ref` comes after a plain reassignment of `name` that surely ran before it: a statement
 * `name = <value not made from name>` earlier in a block enclosing `ref`, after the read's own
 * assignment (`key = os.getenv(…)`, then `if not key: key = fetch(); print(len(key))`: the
 * `len` sees the fetched value). A reassignment nested in a branch may not have run, and one made
 * from the old value carries it on; both leave the reference to the read.
 */
function reboundBefore(ctx: Ctx, ref: N, name: string, asg: N, scope: N): boolean {
  const fn = scope.type === 'function_definition' ? scope : null;
  if (unpackedBefore(ctx, ref, name, asg, scope)) return true;
  return assignmentsTo(ctx, fn, name).some((a) => {
    if (a.node.id === asg.id || a.node.startIndex < asg.endIndex || a.node.endIndex > ref.startIndex) return false;
    const stmt = a.node.parent;
    const block = stmt?.type === 'expression_statement' ? stmt.parent : null;
    if (!block || a.left.type !== 'identifier' || !a.right || block.startIndex > ref.startIndex || block.endIndex < ref.endIndex) return false;
    const right = a.right;
    return !(right.type === 'identifier' ? src(ctx, right) === name : right.descendantsOfType('identifier').some((id) => !!id && src(ctx, id) === name));
  });
}

/** The same for an unpacking (`_, name = default()`), which binds names one by one: a statement of
 * a block enclosing `ref`, between the read's assignment and `ref`, whose targets hold `name` and
 * whose value is not made from it. */
function unpackedBefore(ctx: Ctx, ref: N, name: string, asg: N, scope: N): boolean {
  for (let block = ref.parent; block && block.id !== scope.parent?.id; block = block.parent) {
    if (block.type !== 'block' && block.type !== 'module') continue;
    for (const stmt of block.namedChildren) {
      if (stmt.startIndex < asg.endIndex || stmt.endIndex > ref.startIndex) continue;
      const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
      const left = a?.type === 'assignment' ? field(a, 'left') : null;
      const right = a ? field(a, 'right') : null;
      if (!left || !right || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern')) continue;
      if (!left.namedChildren.some((c) => c.type === 'identifier' && src(ctx, c) === name)) continue;
      if (!right.descendantsOfType('identifier').some((id) => !!id && src(ctx, id) === name)) return true;
    }
    if (block.id === scope.id) break;
  }
  return false;
}

/** The left side of an assignment, a `del`, a `for` target: not a use of the value. */
function isStore(n: N): boolean {
  let cur = n;
  let p = cur.parent;
  while (p && (p.type === 'pattern_list' || p.type === 'tuple_pattern' || p.type === 'list_pattern')) {
    cur = p;
    p = p.parent;
  }
  if (!p) return false;
  if (p.type === 'assignment') return field(p, 'left')?.id === cur.id;
  if (p.type === 'delete_statement') return true;
  if (p.type === 'for_statement' || p.type === 'for_in_clause') return field(p, 'left')?.id === cur.id;
  return false;
}

/** The parameter of a function of this file (a plain `def` called by its name, not a method) that
 * the positional argument `arg` of `call` binds: its name scoped to the function, and the node its
 * references follow (the parameter list). */
function localParameter(ctx: Ctx, call: N, args: N, arg: N): { key: Key & { kind: 'name' }; after: N } | undefined {
  const f = field(call, 'function');
  if (f?.type !== 'identifier') return undefined;
  const positional = args.namedChildren.filter((c) => c.type !== 'comment');
  const index = positional.findIndex((c) => c.id === arg.id);
  if (index < 0 || positional.slice(0, index).some((c) => c.type === 'list_splat' || c.type === 'dictionary_splat' || c.type === 'keyword_argument')) return undefined;
  const name = src(ctx, f);
  const re = new RegExp(`\\bdef\\s+${escapeRe(name)}\\s*\\(`, 'g');
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const kw = nodeAt(ctx, m.index, m.index + 3);
    const fn = kw?.type === 'def' ? kw.parent : null;
    if (fn?.type !== 'function_definition' || enclosing(fn, ['class_definition', 'function_definition'])) continue;
    const params = field(fn, 'parameters');
    const p = params?.namedChildren.filter((c) => c.type !== 'comment')[index];
    if (!params || !p) return undefined;
    const id = p.type === 'identifier' ? p : p.type === 'typed_parameter' ? p.namedChildren.find((c) => c.type === 'identifier') : field(p, 'name');
    if (id?.type !== 'identifier') return undefined;
    return { key: { kind: 'name', name: src(ctx, id), scope: fn }, after: params };
  }
  return undefined;
}

function callOfArgs(args: N | null | undefined): N | undefined {
  const call = args?.parent;
  return args?.type === 'argument_list' && call?.type === 'call' ? call : undefined;
}

/** `n` is the second positional argument of a `<mapping>.get(key, n)` call that is no env read
 * itself: a read written as an env read's default (`os.environ.get("A", os.getenv("B"))`) is that
 * read's alternative, judged as such. A local holding a read (`held`) is no read of its own there,
 * so an env lookup's default (`os.getenv("FROM", user)`, `os.environ.get("FROM", user)`) passes it
 * on as any lookup's does. */
function isLookupDefault(ctx: Ctx, call: N, args: N, n: N, held: boolean): boolean {
  const { method, env, onObject } = lookupCallee(ctx, call);
  if (method !== 'get' && !(held && method === 'getenv')) return false;
  const positional = args.namedChildren.filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
  if (positional.length !== 2 || positional[1]!.id !== n.id) return false;
  return method === 'getenv' || (onObject && (held || !env));
}

/** A call's method (`get` of `payload.get(…)`, `getenv` of `os.getenv(…)` or `getenv(…)`), whether
 * it is called on an object, and whether it is an env lookup (`getenv`, `<…>environ.get`). */
function lookupCallee(ctx: Ctx, call: N): { method: string; onObject: boolean; env: boolean } {
  const f = field(call, 'function');
  const method = f?.type === 'attribute' ? src(ctx, field(f, 'attribute') ?? f) : f?.type === 'identifier' ? src(ctx, f) : '';
  const obj = f?.type === 'attribute' ? field(f, 'object') : null;
  return { method, onObject: !!obj, env: method === 'getenv' || (method === 'get' && !!obj && /(^|\.)environ$/.test(src(ctx, obj))) };
}

/** `print`, `bool`, `all`: the called name's last segment. */
function calleeName(ctx: Ctx, call: N): string {
  const f = field(call, 'function');
  if (!f) return '';
  if (f.type === 'identifier') return src(ctx, f);
  if (f.type === 'attribute') return src(ctx, field(f, 'attribute') ?? f);
  return '';
}

/** `print(...)`, `logger.info(...)`, `logging.warning(...)`, `self.log.debug(...)`: a value passed
 * there is only shown. */
function isLogging(ctx: Ctx, call: N): boolean {
  const f = field(call, 'function');
  if (!f) return false;
  if (f.type === 'identifier') return src(ctx, f) === 'print';
  if (f.type !== 'attribute') return false;
  const method = src(ctx, field(f, 'attribute') ?? f);
  const obj = field(f, 'object');
  if (!obj) return false;
  return isLogCall(obj.type === 'attribute' ? src(ctx, field(obj, 'attribute') ?? obj) : src(ctx, obj), method);
}

/** A list of alternatives: reads (calls) with a literal string as the last resort. A list of
 * reads alone may be needed whole (`connect(*[...])`), so it stays as its use says. */
function isCandidateList(list: N): boolean {
  const items = list.namedChildren.filter((c) => c.type !== 'comment').map(unparen);
  if (items.length < 2 || items[items.length - 1]!.type !== 'string') return false;
  return items.slice(0, -1).every((i) => i.type === 'call');
}

/**
 * `if key or key_file: return resolve(key, key_file)`: a name handed on together with the other
 * names of the `or` that let the call run. The callee gets whichever is set and chooses among
 * them; one of them alone is no requirement.
 */
function passedWithAlternative(ctx: Ctx, call: N, arg: N): boolean {
  if (arg.type !== 'identifier') return false;
  const name = src(ctx, arg);
  for (let n: N | null = call.parent; n && n.type !== 'function_definition' && n.type !== 'module'; n = n.parent) {
    if (n.type !== 'block' || n.parent?.type !== 'if_statement' || field(n.parent, 'consequence')?.id !== n.id) continue;
    const names = orOperands(ctx, unparen(field(n.parent, 'condition') ?? n));
    if (!names?.includes(name)) return false;
    const args = field(call, 'arguments')?.namedChildren ?? [];
    const passed = args.map((a) => (a.type === 'keyword_argument' ? field(a, 'value') : a)).filter((a): a is N => a?.type === 'identifier').map((a) => src(ctx, a));
    return names.some((other) => other !== name && passed.includes(other));
  }
  return false;
}

/** The names of `a or b or c`, when every operand is a plain name. */
function orOperands(ctx: Ctx, n: N): string[] | undefined {
  if (n.type === 'identifier') return [src(ctx, n)];
  if (n.type !== 'boolean_operator' || src(ctx, n.child(1) ?? n) !== 'or') return undefined;
  const l = orOperands(ctx, unparen(field(n, 'left') ?? n));
  const r = orOperands(ctx, unparen(field(n, 'right') ?? n));
  return l && r ? [...l, ...r] : undefined;
}
