/**
 * What a Python list or dict ends up holding after the statements that grow it: a gcloud argument
 * list (`cmd = [...]`, then `cmd.extend([...])`, `cmd.append(x)`, `cmd += [...]`, `cmd = cmd + [...]`,
 * `cmd.insert(i, x)`), an env list joined into `--set-env-vars` (`env_vars.append(f"{k}={v}")`), an
 * env dict (`env["X"] = "1"`, `env.update({...})`). Every element keeps the branch it was added
 * under (guards.ts) so a shared builder's per-service flags go to the right service.
 */
import type { DeployContext, Node } from './context';
import { guardOf, type Guard } from './guards';
import { named, staticString } from './strings';

/** An element and the branch conditions under which it was added. */
export interface Grown {
  node: Node;
  guard: Guard;
  /** The statement that added it (a call, an augmented assignment), when not the literal itself. */
  via?: Node;
}

export interface GrownList {
  items: Grown[];
  /** Source text of what was added but could not be followed (`cmd.extend(flags)`, `*extra`). */
  opaque: { text: string; guard: Guard }[];
  /** The block the list was started in: branches are counted from here. */
  boundary?: Node;
}

/** The statement holding `n`, and the block holding that statement. */
function blockOf(n: Node): Node | undefined {
  let p: Node | null = n;
  while (p && p.parent && p.parent.type !== 'block' && p.parent.type !== 'module') p = p.parent;
  return p?.parent ?? undefined;
}

/**
 * The elements a list ends up with: the literal, `+` operands, and later extend/append/insert/+=
 * in the same function, until the name is assigned a new list.
 */
export function growList(cx: DeployContext, list: Node): GrownList {
  const items: Grown[] = [];
  const opaque: GrownList['opaque'] = [];
  let top = list;
  while (top.parent && (top.parent.type === 'parenthesized_expression' ||
    (top.parent.type === 'binary_operator' && top.parent.childForFieldName('operator')?.type === '+'))) top = top.parent;
  const addList = (n: Node | null | undefined, what: string, guard: Guard, via: Node | undefined, depth = 0): void => {
    if (!n) return;
    if (n.type === 'list' || n.type === 'tuple') {
      for (const e of named(n)) {
        if (e.type === 'list_splat') {
          const inner = named(e)[0];
          const r = inner?.type === 'identifier' ? cx.scope.binding(inner.text, inner) : undefined;
          if (r && (r.type === 'list' || r.type === 'tuple') && depth < 3) addList(r, e.text, guard, via, depth + 1);
          else opaque.push({ text: e.text, guard });
        } else items.push({ node: e, guard, via });
      }
    } else if (n.type === 'parenthesized_expression') addList(named(n)[0], what, guard, via, depth + 1);
    else if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '+') {
      addList(n.childForFieldName('left'), what, guard, via, depth + 1);
      addList(n.childForFieldName('right'), what, guard, via, depth + 1);
    } else if (n.type === 'identifier' && depth < 3) {
      const r = cx.scope.binding(n.text, n);
      if (r && r.id !== top.id && (r.type === 'list' || r.type === 'tuple' || r.type === 'binary_operator')) addList(r, what, guard, via, depth + 1);
      else opaque.push({ text: what, guard });
    } else opaque.push({ text: what, guard });
  };
  // A comprehension's own elements are read by the caller; only what is added later is collected.
  if (top.type !== 'list_comprehension') addList(top, top.text, [], undefined);
  const assign = top.parent;
  if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.id !== top.id) return { items, opaque };
  const target = assign.childForFieldName('left');
  if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) return { items, opaque };
  const boundary = blockOf(assign);
  const name = target.text;
  for (const n of laterStatements(cx, assign)) {
    const guard = guardOf(n, boundary);
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (f?.type !== 'attribute' || f.childForFieldName('object')?.text !== name) continue;
      const method = f.childForFieldName('attribute')?.text;
      const args = named(n.childForFieldName('arguments') ?? n).filter((a) => a.type !== 'keyword_argument');
      if (method === 'extend' || method === 'append' || method === 'insert') {
        const arg = method === 'insert' ? args[1] : args[0];
        if (!arg) continue;
        if (method === 'extend') addList(arg, n.text, guard, n);
        else items.push({ node: arg, guard, via: n });
      }
    } else if (n.type === 'augmented_assignment') {
      if (n.childForFieldName('left')?.text === name && n.childForFieldName('operator')?.type === '+=') addList(n.childForFieldName('right'), n.text, guard, n);
    } else if (n.childForFieldName('left')?.text === name) {
      const r = n.childForFieldName('right');
      if (r?.type === 'binary_operator' && r.childForFieldName('left')?.text === name) addList(r.childForFieldName('right'), n.text, guard, n);
      else break; // reassigned: a new list from here on
    }
  }
  return { items, opaque, boundary };
}

/**
 * The pieces a command string ends up with: the literal, then `cmd += " --flag"` and
 * `cmd = cmd + f" --flag {x}"` later in the same function, each with its branch. A piece that is not
 * a string literal (`cmd += " ".join(flags)`) is kept as source text.
 */
export function growString(cx: DeployContext, str: Node): { pieces: Grown[]; opaque: GrownList['opaque'] } {
  const pieces: Grown[] = [{ node: str, guard: [] }];
  const opaque: GrownList['opaque'] = [];
  const assign = str.parent;
  if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.id !== str.id) return { pieces, opaque };
  const target = assign.childForFieldName('left');
  if (target?.type !== 'identifier') return { pieces, opaque };
  const boundary = blockOf(assign);
  const isString = (n: Node | null): n is Node => !!n && (n.type === 'string' || n.type === 'concatenated_string');
  for (const n of laterStatements(cx, assign)) {
    if (n.type === 'call') continue;
    if (n.childForFieldName('left')?.text !== target.text) continue;
    const guard = guardOf(n, boundary);
    const r = n.childForFieldName('right');
    let added: Node | null | undefined;
    if (n.type === 'augmented_assignment') {
      if (n.childForFieldName('operator')?.type !== '+=') continue;
      added = r;
    } else if (r?.type === 'binary_operator' && r.childForFieldName('operator')?.type === '+' && r.childForFieldName('left')?.text === target.text) {
      added = r.childForFieldName('right');
    } else break; // reassigned: a new command from here on
    if (isString(added ?? null)) pieces.push({ node: added!, guard, via: n });
    else opaque.push({ text: n.text, guard });
  }
  return { pieces, opaque };
}

/** Calls and assignments after `assign` in its own function (or module), in source order. */
function laterStatements(cx: DeployContext, assign: Node): Node[] {
  const fn = cx.scope.enclosingFunction(assign);
  const host = fn ?? cx.root;
  return host.descendantsOfType(['call', 'augmented_assignment', 'assignment'])
    .filter((n) => n.startIndex > assign.endIndex && (cx.scope.enclosingFunction(n)?.id ?? -1) === (fn?.id ?? -1))
    .sort((a, b) => a.startIndex - b.startIndex);
}

/** One entry added to an env dict after it was made: its name, the name's literal, the value. */
export interface DictAddition {
  name: string;
  key: Node;
  value: Node;
  /** The pair, keyword or assignment, for the entry's span. */
  whole: Node;
  guard: Guard;
}

/**
 * Entries added to the dict `name` after `from` in the same function: `env["K"] = v`,
 * `env.update({"K": v})`, `env.update(K=v)`, `env.setdefault("K", v)`. Additions it cannot read
 * (`env.update(other)`) come back as source text.
 */
export function growDict(cx: DeployContext, name: string, from: Node): { added: DictAddition[]; opaque: { text: string; guard: Guard }[] } {
  const added: DictAddition[] = [];
  const opaque: { text: string; guard: Guard }[] = [];
  const boundary = blockOf(from);
  for (const n of laterStatements(cx, from)) {
    const guard = guardOf(n, boundary);
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type === 'subscript' && left.childForFieldName('value')?.text === name && right) {
        const k = left.childForFieldName('subscript');
        const ks = k && staticString(k, cx.text);
        if (k && ks) added.push({ name: ks.value, key: k, value: right, whole: n, guard });
        else opaque.push({ text: left.text, guard });
      } else if (left?.text === name) break; // a new dict from here on
      continue;
    }
    if (n.type !== 'call') continue;
    const f = n.childForFieldName('function');
    if (f?.type !== 'attribute' || f.childForFieldName('object')?.text !== name) continue;
    const method = f.childForFieldName('attribute')?.text;
    const args = named(n.childForFieldName('arguments') ?? n);
    if (method === 'setdefault' && args.length === 2) {
      const ks = staticString(args[0], cx.text);
      if (ks) added.push({ name: ks.value, key: args[0], value: args[1], whole: n, guard });
    } else if (method === 'update') {
      for (const a of args) {
        if (a.type === 'keyword_argument') {
          const k = a.childForFieldName('name');
          const v = a.childForFieldName('value');
          if (k && v) added.push({ name: k.text, key: k, value: v, whole: a, guard });
          continue;
        }
        const d = cx.scope.resolveDict(a);
        if (!d) { opaque.push({ text: n.text, guard }); continue; }
        for (const p of named(d)) {
          const k = p.childForFieldName('key');
          const v = p.childForFieldName('value');
          const ks = k && staticString(k, cx.text);
          if (p.type === 'pair' && k && v && ks) added.push({ name: ks.value, key: k, value: v, whole: p, guard });
          // Never a pair's text: its value may be a secret.
          else opaque.push({ text: p.type === 'pair' ? (k?.text ?? 'a computed key') : p.text, guard });
        }
      }
    }
  }
  return { added, opaque };
}
