/**
 * In-house env accessors, inferred: a function whose body reads `os.environ.get(name, …)`,
 * `os.getenv(name)` or `os.environ[name]` for its own parameter `name` and returns the value reads
 * the variable its caller names. No configuration (`envAccessors`) is needed for these: calls in
 * this file become reads, required or optional by the body (a subscript or a `raise` on a missing
 * value: required unless the call passes a default; a default of its own: optional; `None` when
 * unset: the call's use decides, as for `os.getenv`). The definitions go to `facts.accessorDefs`
 * for callers in other files, which one file's extraction cannot see.
 */
import type { AccessorDef } from '../../core/facts';
import { type Ctx, type N, argList, enclosing, field, isNone, locateCalls, span, src, unparen, upParens } from './walk';
import { nameRef } from './env-reads';
import { type Need, judgeNeed, pushRead } from './read-need';
import { isRaise, readVerdict } from './usage';

/** Method names too common to match on any receiver: only `self.get(...)` / `cls.get(...)` count. */
const GENERIC = new Set(['get', 'pop', 'value', 'read', '__getitem__', '__call__']);
/** Parameters that, by name, carry a caller's default (`def env(name, default=None)`). */
const DEFAULT_PARAM = /^(?:default|fallback|default_value|dflt)$/;

interface Param { name: string; index: number; dflt?: N }
interface Def { fact: AccessorDef; fn: N; cls?: string; params: Param[] }

export function collectAccessorReads(ctx: Ctx): void {
  const defs = inferDefs(ctx);
  if (!defs.length) return;
  ctx.facts.accessorDefs = defs.map((d) => d.fact);
  const byName = new Map<string, Def[]>();
  for (const d of defs) {
    const l = byName.get(d.fact.name);
    if (l) l.push(d);
    else byName.set(d.fact.name, [d]);
  }
  const names = [...byName.keys()];
  const seen = new Set(ctx.hits.map((h) => h.node.id));
  for (const { call, fn, args } of locateCalls(ctx, [{ methods: names, funcs: names }])) {
    if (seen.has(call.id)) continue;
    const callee = fn.type === 'attribute' ? src(ctx, field(fn, 'attribute') ?? fn) : src(ctx, fn);
    const recv = fn.type === 'attribute' ? field(fn, 'object') : null;
    const def = (byName.get(callee) ?? []).find((d) => matches(ctx, d, recv));
    if (!def || within(call, def.fn)) continue;
    readFromAccessorCall(ctx, def, call, args, src(ctx, fn).replace(/\s+/g, ''));
  }
}

/** A function call for a function, a method call on `self` / `cls` / the class (or on anything,
 * for a name distinctive enough) for a method. */
function matches(ctx: Ctx, d: Def, recv: N | null): boolean {
  if (!d.fact.method) return !recv;
  if (!recv) return false;
  const r = src(ctx, recv);
  if (r === 'self' || r === 'cls' || r === d.cls) return true;
  return !GENERIC.has(d.fact.name);
}

const within = (n: N, outer: N): boolean => n.startIndex >= outer.startIndex && n.endIndex <= outer.endIndex;

function readFromAccessorCall(ctx: Ctx, d: Def, call: N, args: N, via: string): void {
  const a = argList(ctx, args);
  const nameParam = d.params.find((p) => p.index === d.fact.nameParam);
  const first = a.positional[d.fact.nameParam] ?? (nameParam ? a.keywords.get(nameParam.name) : undefined);
  if (!first) return;
  const ref = nameRef(ctx, first);
  if (!ref) return;
  if (ref.kind === 'dynamic') {
    if (ref.prefix) ctx.facts.dynamicReads.push({ span: span(call), prefix: ref.prefix });
    return;
  }
  const dp = d.fact.defaultParam;
  const passed = dp ? a.positional[dp.index] ?? a.keywords.get(dp.keyword) : undefined;
  const declared = dp ? d.params.find((p) => p.index === dp.index)?.dflt : undefined;
  const need: Need = { hasDefault: false };
  if (d.fact.whenUnset === 'default') need.hasDefault = true;
  else if (d.fact.whenUnset === 'fallback') {
    need.hasDefault = true;
    need.optionalBecause = 'fallback';
  }
  else if (passed && !isNone(passed)) need.hasDefault = true;
  else if (!passed && declared && !isNone(declared)) need.hasDefault = true;
  else if (d.fact.whenUnset === 'none') judgeNeed(ctx, call, passed, need);
  pushRead(ctx, { kind: 'call', node: call, defaultNode: passed }, ref.name, ref.span, need.hasDefault, via, need);
}

/** Functions returning what a read of their own parameter yields. */
function inferDefs(ctx: Ctx): Def[] {
  const out: Def[] = [];
  const done = new Set<number>();
  for (const pr of ctx.paramReads) {
    const fn = enclosing(pr.node, ['function_definition', 'lambda', 'class_definition']);
    if (fn?.type !== 'function_definition' || done.has(fn.id)) continue;
    const nameNode = field(fn, 'name');
    if (!nameNode) continue;
    const cls = enclosing(fn, ['class_definition', 'function_definition']);
    const deco = fn.parent?.type === 'decorated_definition' ? src(ctx, fn.parent).slice(0, fn.startIndex - fn.parent.startIndex) : '';
    const method = cls?.type === 'class_definition';
    const params = paramsOf(ctx, fn, method && !/@\s*staticmethod\b/.test(deco));
    const nameP = params.find((p) => p.name === src(ctx, pr.nameArg));
    if (!nameP || !returnsValue(ctx, fn, pr.node)) continue;
    let dflt: Param | undefined;
    let whenUnset: AccessorDef['whenUnset'];
    const verdict = pr.shape === 'subscript' ? undefined : readVerdict(ctx, pr.node);
    // `try: return os.environ[name] except KeyError: return default`: no raise reaches the caller.
    const caught = pr.shape === 'subscript' && within(pr.node, fn) && enclosing(pr.node, ['try_statement', 'function_definition'])?.type === 'try_statement';
    // Read only in an `except` of the function: the value comes from elsewhere (Secret Manager,
    // a file) and the variable stands in when that failed.
    if (enclosing(pr.node, ['except_clause', 'function_definition'])?.type === 'except_clause') {
      whenUnset = 'fallback';
    } else if ((pr.shape === 'subscript' && !caught) || (verdict && isRaise(verdict))) {
      whenUnset = 'raises';
    } else if (pr.dflt) {
      const dv = unparen(pr.dflt);
      const p = dv.type === 'identifier' ? params.find((x) => x.name === src(ctx, dv)) : undefined;
      if (p) dflt = p;
      // A parameter's own default is what an unset variable yields when the caller passes none.
      whenUnset = p ? (p.dflt && !isNone(p.dflt) ? 'default' : 'none') : isNone(dv) ? 'none' : 'default';
    } else {
      whenUnset = 'none';
    }
    // `v = os.getenv(name); if v is None: return default`: the caller's default by name, or by
    // what the function does with it (`if v is None: return current`).
    dflt ??= params.find((p) => p.index !== nameP.index && DEFAULT_PARAM.test(p.name)) ?? returnedWhenUnset(ctx, fn, pr.node, params, nameP);
    done.add(fn.id);
    const fact: AccessorDef = { name: src(ctx, nameNode), span: span(nameNode), method, nameParam: nameP.index, whenUnset };
    if (dflt) fact.defaultParam = { index: dflt.index, keyword: dflt.name, ...(dflt.dflt && !isNone(dflt.dflt) ? { declared: true as const } : {}) };
    const clsName = method ? field(cls, 'name') : null;
    out.push({ fact, fn, params, ...(clsName ? { cls: src(ctx, clsName) } : {}) });
  }
  return out.sort((a, b) => a.fact.span.start - b.fact.span.start);
}

/** The one parameter (not the name's) the function returns as it is, where it tests the value it
 * read (`value = os.getenv(var_name)` then `if value is None: return current`, or `if value:
 * return value` then `return default_path`): what an unset variable yields, the caller's default.
 * Nothing where it returns several, or never tests the value. */
function returnedWhenUnset(ctx: Ctx, fn: N, read: N, params: Param[], nameP: Param): Param | undefined {
  const { parent } = upParens(read);
  const left = parent?.type === 'assignment' && field(parent, 'right')?.id === upParens(read).node.id ? field(parent, 'left') : null;
  if (left?.type !== 'identifier') return undefined;
  const local = src(ctx, left);
  const own = (n: N): boolean => enclosing(n, ['function_definition', 'lambda'])?.id === fn.id;
  const tested = fn.descendantsOfType('if_statement').some((t) => !!t && own(t) &&
    !!field(t, 'condition')?.descendantsOfType('identifier').some((i) => !!i && src(ctx, i) === local));
  if (!tested) return undefined;
  const found = new Set<Param>();
  for (const ret of fn.descendantsOfType('return_statement')) {
    if (!ret || !own(ret)) continue;
    const v = ret.namedChild(0) ? unparen(ret.namedChild(0)!) : null;
    const p = v?.type === 'identifier' ? params.find((x) => x.index !== nameP.index && x.name === src(ctx, v)) : undefined;
    if (p) found.add(p);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Parameters as a caller passes them (after `self` / `cls` for a method), up to `*args`. */
function paramsOf(ctx: Ctx, fn: N, skipFirst: boolean): Param[] {
  const out: Param[] = [];
  let index = skipFirst ? -1 : 0;
  for (const p of field(fn, 'parameters')?.namedChildren ?? []) {
    if (p.type === 'comment') continue;
    if (['list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator'].includes(p.type)) break;
    const id = p.type === 'identifier' ? p : p.type === 'typed_parameter' ? p.namedChildren.find((c) => c.type === 'identifier') : field(p, 'name');
    if (!id) break;
    const dflt = p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? field(p, 'value') ?? undefined : undefined;
    if (index >= 0) out.push({ name: src(ctx, id), index, ...(dflt ? { dflt } : {}) });
    index++;
  }
  return out;
}

/** The read's value is what `fn` returns: directly or converted (`return os.environ.get(name)`,
 * `return os.getenv(name, "0") == "1"`, `return int(os.environ[name])`), or through one local
 * (`v = os.getenv(name)` … `return v`). */
function returnsValue(ctx: Ctx, fn: N, read: N): boolean {
  let cur = read;
  for (let i = 0; i < 8; i++) {
    const { node, parent } = upParens(cur);
    if (!parent) return false;
    if (parent.type === 'return_statement') return enclosing(parent, ['function_definition', 'lambda'])?.id === fn.id;
    if (parent.type === 'assignment' && field(parent, 'right')?.id === node.id) {
      const left = field(parent, 'left');
      if (left?.type !== 'identifier') return false;
      const name = src(ctx, left);
      return fn.descendantsOfType('return_statement').some((r) => !!r && enclosing(r, ['function_definition', 'lambda'])?.id === fn.id &&
        r.descendantsOfType('identifier').some((id) => !!id && src(ctx, id) === name));
    }
    if (!EXPRESSION_PARENTS.has(parent.type)) return false;
    cur = parent;
  }
  return false;
}

/** Expressions a value passes through on its way to a `return`. */
const EXPRESSION_PARENTS = new Set(['boolean_operator', 'not_operator', 'comparison_operator', 'conditional_expression', 'argument_list',
  'call', 'attribute', 'binary_operator', 'unary_operator']);
