/**
 * Name resolution inside one Python deploy script: which assignment, parameter default, `self.x`,
 * class constant or argparse default a name refers to at a given node, and the literal or dict it
 * evidently holds. Per-scope assignment tables are built once per function, class and module and
 * shared by every reading of the file.
 */
import type { Resolved, Span } from '../../core/facts';
import { query, type SyntaxNode } from '../../parsers/tree-sitter';
import { named, nodeSpan, staticString } from './strings';

type Node = SyntaxNode;

const Q_ARGPARSE = `(call function: (attribute attribute: (identifier) @m) arguments: (argument_list) @a (#eq? @m "add_argument"))`;

export class Scope {
  private assignCache = new Map<number, Map<string, Node[]>>();
  private selfCache = new Map<number, Map<string, Node[]>>();
  private argparseCache?: Map<string, { def?: Node }>;

  constructor(private readonly root: Node, private readonly text: string) {}

  /** The function whose body holds `n`; undefined at module level and inside a lambda. */
  enclosingFunction(n: Node): Node | undefined {
    for (let p = n.parent; p; p = p.parent) {
      if (p.type === 'function_definition') return p;
      if (p.type === 'lambda') return undefined;
    }
    return undefined;
  }

  /** The class `fn` is a method of; without `fn`, the class whose body holds `n` outside any method. */
  private classOf(fn: Node | undefined, n?: Node): Node | undefined {
    let p: Node | null = fn ? fn.parent : n ? n.parent : null;
    if (p && p.type === 'decorated_definition') p = p.parent;
    if (fn) {
      if (p && p.type === 'block' && p.parent?.type === 'class_definition') return p.parent;
      return undefined;
    }
    for (; p; p = p.parent) {
      if (p.type === 'function_definition') return undefined;
      if (p.type === 'class_definition') return p;
    }
    return undefined;
  }

  /** Simple `name = value` assignments whose nearest function is `scope` (undefined = module). */
  assignments(scope: Node | undefined): Map<string, Node[]> {
    const host = scope ?? this.root;
    let m = this.assignCache.get(host.id);
    if (m) return m;
    m = new Map();
    for (const a of host.descendantsOfType('assignment')) {
      const left = a.childForFieldName('left');
      if (!left || !a.childForFieldName('right')) continue;
      if ((this.enclosingFunction(a)?.id ?? -1) !== (scope?.id ?? -1)) continue;
      if (!scope && this.classOf(undefined, a)) continue;
      const key = left.text;
      const list = m.get(key) ?? [];
      list.push(a);
      m.set(key, list);
    }
    this.assignCache.set(host.id, m);
    return m;
  }

  /** `self.x = ...` anywhere in a class, by attribute; those in `__init__` first, as every method sees them. */
  private selfAssignments(cls: Node): Map<string, Node[]> {
    let m = this.selfCache.get(cls.id);
    if (m) return m;
    m = new Map();
    for (const a of cls.descendantsOfType('assignment')) {
      const left = a.childForFieldName('left');
      if (!left || left.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self') continue;
      const attr = left.childForFieldName('attribute')?.text;
      if (!attr || !a.childForFieldName('right')) continue;
      const list = m.get(attr) ?? [];
      const inInit = this.enclosingFunction(a)?.childForFieldName('name')?.text === '__init__';
      if (inInit) list.unshift(a); else list.push(a);
      m.set(attr, list);
    }
    this.selfCache.set(cls.id, m);
    return m;
  }

  /** The value of `name = ...` directly in a class body. */
  classConstant(cls: Node, name: string): Node | undefined {
    const body = cls.childForFieldName('body');
    if (!body) return undefined;
    for (const st of body.namedChildren) {
      if (st.type !== 'expression_statement') continue;
      const a = st.namedChildren[0];
      if (a?.type === 'assignment' && a.childForFieldName('left')?.text === name) return a.childForFieldName('right') ?? undefined;
    }
    return undefined;
  }

  /** A function's parameter, with its default. */
  param(fn: Node, name: string): { node: Node; def?: Node } | undefined {
    const params = fn.childForFieldName('parameters');
    if (!params) return undefined;
    for (const p of params.namedChildren) {
      if (p.type === 'identifier' && p.text === name) return { node: p };
      if (p.type === 'typed_parameter' && p.namedChildren[0]?.text === name) return { node: p };
      if ((p.type === 'default_parameter' || p.type === 'typed_default_parameter') && p.childForFieldName('name')?.text === name) {
        return { node: p, def: p.childForFieldName('value') ?? undefined };
      }
    }
    return undefined;
  }

  /** The node an identifier is bound to at `at`: a parameter default, a local or module assignment's value. */
  binding(name: string, at: Node): Node | undefined {
    const fn = this.enclosingFunction(at);
    if (fn) {
      const local = (this.assignments(fn).get(name) ?? []).filter((a) => a.startIndex < at.startIndex);
      if (local.length) return local[local.length - 1].childForFieldName('right') ?? undefined;
      const p = this.param(fn, name);
      if (p) return p.def;
    }
    const mod = this.assignments(undefined).get(name) ?? [];
    if (mod.length) {
      const before = mod.filter((a) => a.startIndex < at.startIndex);
      const a = fn || before.length === 0 ? mod[mod.length - 1] : before[before.length - 1];
      return a.childForFieldName('right') ?? undefined;
    }
    return undefined;
  }

  /** Whether `name` at `at` is bound only at module level (a constant such as `SERVICE_NAME =
   * "api"`), not by a local assignment or a parameter of the function around `at`. */
  isModuleName(name: string, at: Node): boolean {
    const fn = this.enclosingFunction(at);
    if (fn && (this.assignments(fn).has(name) || this.param(fn, name))) return false;
    return this.assignments(undefined).has(name);
  }

  /** What `self.attr` holds at `at`: its first assignment in the class, else a class constant. */
  private selfBinding(attr: string, at: Node): Node | undefined {
    const cls = this.classOf(this.enclosingFunction(at), at);
    if (!cls) return undefined;
    const a = this.selfAssignments(cls).get(attr);
    if (a?.length) return a[0].childForFieldName('right') ?? undefined;
    return this.classConstant(cls, attr);
  }

  /**
   * A path built from the script's own location (`Path(__file__).parent`, `.resolve().parent.parent`,
   * `os.path.dirname(os.path.abspath(__file__))`, `ROOT / "backend"`): how many folders above the
   * script's folder it is (-1 for the script file itself), and what is joined below that. Relative
   * to the script, as `--source` paths are read (model/shipped-code.ts).
   */
  private scriptRelative(n: Node, depth: number): { up: number; tail: string } | undefined {
    if (depth > 8) return undefined;
    switch (n.type) {
      case 'identifier':
        if (n.text === '__file__') return { up: -1, tail: '' };
        return this.scriptRelativeOf(this.binding(n.text, n), depth);
      case 'parenthesized_expression':
        return this.scriptRelativeOf(named(n)[0], depth);
      case 'attribute': {
        // `p.parent`
        const obj = n.childForFieldName('object');
        if (n.childForFieldName('attribute')?.text !== 'parent' || !obj) return undefined;
        const inner = this.scriptRelative(obj, depth + 1);
        return inner && !inner.tail ? { up: inner.up + 1, tail: '' } : undefined;
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        const args = named(n.childForFieldName('arguments') ?? n).filter((a) => a.type !== 'comment');
        const name = fn?.text ?? '';
        // `Path(__file__)`, `os.path.abspath(__file__)`, `os.path.realpath(x)`: the same place.
        if (/(^|\.)(Path|PurePath|abspath|realpath|normpath|str|fspath)$/.test(name) && args.length === 1) return this.scriptRelative(args[0]!, depth + 1);
        if (/(^|\.)dirname$/.test(name) && args.length === 1) {
          const inner = this.scriptRelative(args[0]!, depth + 1);
          return inner && !inner.tail ? { up: inner.up + 1, tail: '' } : undefined;
        }
        // `p.resolve()`, `p.absolute()`
        if (fn?.type === 'attribute' && args.length === 0 && /^(resolve|absolute)$/.test(fn.childForFieldName('attribute')?.text ?? '')) {
          const obj = fn.childForFieldName('object');
          return obj ? this.scriptRelative(obj, depth + 1) : undefined;
        }
        return undefined;
      }
      case 'binary_operator': {
        // `ROOT / "backend"`
        if (n.childForFieldName('operator')?.type !== '/') return undefined;
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const inner = l ? this.scriptRelative(l, depth + 1) : undefined;
        const seg = r ? staticString(r, this.text)?.value : undefined;
        if (!inner || inner.up < 0 || seg === undefined || seg.startsWith('/')) return undefined;
        return { up: inner.up, tail: `${inner.tail}/${seg.replace(/\/+$/, '')}` };
      }
      default:
        return undefined;
    }
  }

  private scriptRelativeOf(n: Node | null | undefined, depth: number): { up: number; tail: string } | undefined {
    return n ? this.scriptRelative(n, depth + 1) : undefined;
  }

  /** argparse options by dest (`--target-env` → `target_env`), so `args.target_env` resolves to the default. */
  argparse(): Map<string, { def?: Node }> {
    if (this.argparseCache) return this.argparseCache;
    const m = new Map<string, { def?: Node }>();
    this.argparseCache = m;
    if (!this.text.includes('add_argument')) return m;
    for (const match of query('python', Q_ARGPARSE).matches(this.root)) {
      const args = match.captures.find((c) => c.name === 'a')?.node;
      if (!args) continue;
      let flagName: string | undefined;
      let dest: string | undefined;
      let def: Node | undefined;
      for (const a of named(args)) {
        if (a.type === 'keyword_argument') {
          const k = a.childForFieldName('name')?.text;
          const v = a.childForFieldName('value');
          if (k === 'dest' && v) dest = staticString(v, this.text)?.value;
          if (k === 'default' && v) def = v;
          continue;
        }
        const s = staticString(a, this.text)?.value;
        if (s === undefined) continue;
        if (!flagName || (s.startsWith('--') && !flagName.startsWith('--'))) flagName = s;
      }
      if (!flagName) continue;
      const d = dest ?? flagName.replace(/^-+/, '').replace(/-/g, '_');
      m.set(d, { def });
    }
    return m;
  }

  /** The literal a value expression evidently holds (following names, `self.x`, defaults). */
  resolveValue(n: Node | null | undefined, depth = 0): { value: string; span: Span } | undefined {
    if (!n || depth > 6) return undefined;
    const rel = this.scriptRelative(n, depth);
    if (rel !== undefined && rel.up >= 0) return { value: rel.up === 0 ? '.' + rel.tail : '..' + '/..'.repeat(rel.up - 1) + rel.tail, span: { start: n.startIndex, end: n.endIndex } };
    switch (n.type) {
      case 'string':
      case 'concatenated_string': {
        const s = staticString(n, this.text);
        return s ? { value: s.value, span: s.span } : undefined;
      }
      case 'parenthesized_expression':
        return this.resolveValue(named(n)[0], depth + 1);
      case 'identifier':
        return this.resolveValue(this.binding(n.text, n), depth + 1);
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const attr = n.childForFieldName('attribute')?.text;
        if (!obj || !attr) return undefined;
        if (obj.type === 'identifier' && obj.text === 'self') return this.resolveValue(this.selfBinding(attr, n), depth + 1);
        if (obj.type === 'identifier') {
          const ap = this.argparse().get(attr);
          if (ap) return this.resolveValue(ap.def, depth + 1);
        }
        return undefined;
      }
      case 'call': {
        const fn = n.childForFieldName('function')?.text ?? '';
        if (!/(^|\.)(get|getenv)$/.test(fn)) return undefined;
        const args = n.childForFieldName('arguments');
        if (!args) return undefined;
        const list = named(args);
        const kw = list.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default');
        const def = kw ? kw.childForFieldName('value') : list[1]?.type !== 'keyword_argument' ? list[1] : undefined;
        return this.resolveValue(def, depth + 1);
      }
      case 'boolean_operator':
        return this.resolveValue(n.childForFieldName('left'), depth + 1) ?? this.resolveValue(n.childForFieldName('right'), depth + 1);
      default:
        return undefined;
    }
  }

  /** A dict literal an expression evidently holds. */
  resolveDict(n: Node | null | undefined, depth = 0): Node | undefined {
    if (!n || depth > 4) return undefined;
    if (n.type === 'dictionary') return n;
    if (n.type === 'parenthesized_expression') return this.resolveDict(named(n)[0], depth + 1);
    if (n.type === 'identifier') return this.resolveDict(this.binding(n.text, n), depth + 1);
    if (n.type === 'attribute' && n.childForFieldName('object')?.text === 'self') {
      const attr = n.childForFieldName('attribute')?.text;
      return attr ? this.resolveDict(this.selfBinding(attr, n), depth + 1) : undefined;
    }
    return undefined;
  }

  /** A value as written, with the literal behind it when there evidently is one. */
  resolved(n: Node): Resolved {
    const s = staticString(n, this.text);
    if (s) return { value: s.value, text: s.value, span: s.span };
    const r: Resolved = { text: n.text, span: nodeSpan(n) };
    const v = this.resolveValue(n);
    if (v) r.value = v.value;
    return r;
  }

  /** How code at `at` refers to the script's project (or region), and its value when known. */
  scopeRef(at: Node, names: string[]): Resolved | undefined {
    const fn = this.enclosingFunction(at);
    const cls = this.classOf(fn, at);
    const upper = names.map((n) => n.toUpperCase());
    if (fn && cls) {
      const selfs = this.selfAssignments(cls);
      for (const attr of [...names, ...upper]) {
        const as = selfs.get(attr);
        const constant = as?.length ? undefined : this.classConstant(cls, attr);
        if (!as?.length && !constant) continue;
        const rhs = as?.length ? as[0].childForFieldName('right') : constant;
        const v = this.resolveValue(rhs);
        const target = as?.length ? as[0].childForFieldName('left') : rhs;
        return { text: `self.${attr}`, value: v?.value, span: v?.span ?? nodeSpan(target ?? at) };
      }
    }
    if (fn) {
      for (const name of names) {
        const p = this.param(fn, name);
        if (!p) continue;
        const v = this.resolveValue(p.def);
        return { text: name, value: v?.value, span: v?.span ?? nodeSpan(p.node) };
      }
    }
    if (!fn && cls) {
      for (const name of upper) {
        const c = this.classConstant(cls, name);
        if (!c) continue;
        const v = this.resolveValue(c);
        return { text: name, value: v?.value, span: v?.span ?? nodeSpan(c) };
      }
    }
    const mod = this.assignments(undefined);
    for (const name of [...upper, ...upper.map((u) => 'GCP_' + u)]) {
      const as = mod.get(name);
      if (!as?.length) continue;
      const rhs = as[as.length - 1].childForFieldName('right');
      const v = this.resolveValue(rhs);
      return { text: name, value: v?.value, span: v?.span ?? nodeSpan(rhs ?? as[0]) };
    }
    for (const name of names) {
      const ap = this.argparse().get(name);
      const v = ap && this.resolveValue(ap.def);
      if (v) return { text: v.value, value: v.value, span: v.span };
    }
    return undefined;
  }
}
