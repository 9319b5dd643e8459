/**
 * The shell extractor's evaluator: turns argument nodes into `Word`s — the unquoted value, with
 * `$VAR` / `${VAR}` / `${VAR:-d}` resolved from the script's assignments, and a map from each
 * value character back to the source — as the script stands at one position and under one
 * evaluation context (a loop item, a `case` branch, a function call: see shell-contexts.ts).
 *
 * GitHub expressions (`${{ env.X }}`) are masked before bash parses the script (bash can't read
 * them); a mask whose value the workflow makes static (`env`, `matrix`, `inputs`) reads as that
 * value, the others stay dynamic.
 */
import * as path from 'node:path';
import type { DeployFact, Span } from '../core/facts';
import type { CallerDefault, Expansion, Word } from './gcloud-args';
import type { SyntaxNode } from '../parsers/tree-sitter';
import { namesScriptItself } from './shell-cwd';

/** `$X` / `${X}` (no operator, no subscript): X. */
export function plainVariable(node: SyntaxNode, text: string): string | undefined {
  const raw = text.slice(node.startIndex, node.endIndex);
  return /^\$(\{[A-Za-z_]\w*\}|[A-Za-z_]\w*)$/.test(raw) ? raw.replace(/^\$\{?|\}$/g, '') : undefined;
}

export interface ShellMask extends Span {
  /** The expression's static value; absent: dynamic (`${{ secrets.X }}`, `${{ github.sha }}`). */
  value?: string;
  /** A dynamic expression known in part: the text it stands for (`ExpressionScope.partial`). */
  written?: string;
}

export interface Assign {
  name: string;
  /** The assignment takes effect from here on. */
  end: number;
  node: SyntaxNode;
  /** The value node; absent for `X=` (empty), loop variables and case subjects. */
  value: SyntaxNode | null;
  append: boolean;
  /** A loop variable: set, to something we can't see, unless a context binds it to an item. */
  loop: boolean;
  /** `X=(a b)`: the array's element nodes. */
  items?: SyntaxNode[];
  /** `X[i]=v`, `read X`: set, to something we can't see. */
  dynamic?: boolean;
  topLevel: boolean;
  /** The `case` branches the assignment sits in (case statement id, branch index), outermost first. */
  branches: { caseId: number; branch: number }[];
  /** `case "$X" in staging)`: X is `staging` from the branch on, when the context takes that branch. */
  pattern?: { caseId: number; branch: number; value: string };
}

/** An entry of an associative array (`Script.assocEntries`). */
export interface AssocEntry {
  key: string;
  /** Undefined when it is set to something we can't see. */
  value: string | undefined;
  /** Where the value is written (inside its quotes). */
  span: Span;
}

/** One way of running a command: which loop items, `case` branches and function calls lead to it. */
export interface EvalContext {
  loops: Map<Assign, string | undefined>;
  branches: Map<number, number>;
  /** Function (node id) → the call being followed: its arguments and where it is made. */
  calls: Map<number, { args: (string | undefined)[]; at: number }>;
  /** How this context differs from the others, for `--explain` (`svc=api`, `ENV=staging`). */
  labels: string[];
  /** Environment names the context itself implies (the `case` branch taken, the loop item). */
  hints: { value: string; span: Span; evidence: string }[];
}

export const NO_CONTEXT: EvalContext = { loops: new Map(), branches: new Map(), calls: new Map(), labels: [], hints: [] };

export interface FunctionDef {
  id: number;
  name: string;
  node: SyntaxNode;
  body: Span;
}

export interface BuiltWord extends Word {
  /** An unquoted whole-word expansion left unresolved (`$EXTRA_FLAGS`): may be several words. */
  bare?: boolean;
  /** `"$@"`, `${ARGS[@]}`: certainly several words. */
  spread?: boolean;
}

/** A path from the script's folder, as `scriptFolder` gives them (`.`, `..`, `./../api`): never
 * an absolute one or a folder of where the script was started. */
function isFromScript(p: string): boolean {
  return p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../');
}

/** The folder above `p`, a path from the script's folder: `.` → `..`, `../..` → `../../..`. */
function parentOf(p: string): string {
  const n = path.posix.normalize(p);
  if (n === '.') return '..';
  if (n.split('/').every((seg) => seg === '..')) return `${n}/..`;
  return path.posix.dirname(n);
}

/** How deep values are followed through other variables and calls. An env list grown by one
 * append per variable (`ENV_VARS="$ENV_VARS,X=$X"`, forty times over) is one level per append;
 * values are cached per assignment, so the depth bounds the stack, not the work. */
const MAX_DEPTH = 160;

/** Accumulates a word's value with the source offset of each character. */
class Acc {
  value = '';
  offs: number[] = [];
  end = -1;
  exact = true;
  dynamic = false;
  spread = false;
  /** Variables expanded into the value: where in it, and the assignment that gave it. */
  expansions: Expansion[] = [];
  push(ch: string, off: number): void {
    this.value += ch;
    for (let k = 0; k < ch.length; k++) this.offs.push(off);
  }
}

export class Script {
  private readonly assigns: Assign[] = [];
  private readonly byName = new Map<string, Assign[]>();
  private readonly maskAt = new Map<number, ShellMask>();
  private readonly dynamicMasks: ShellMask[];
  readonly functions: FunctionDef[] = [];
  private ctx: EvalContext = NO_CONTEXT;
  private cache = new Map<Assign, { value?: string; callerDefault?: CallerDefault }>();
  /** See `partialWord`. */
  private partial = false;

  constructor(
    readonly text: string,
    masks: ShellMask[],
    readonly variables: Record<string, string | undefined> | undefined,
    readonly via: DeployFact['via'],
    /** The script's own path when it is a file run as `bash path` (so `$0` names it), not a
     * `run:` block or a build step. */
    readonly file?: string,
    /** Each top-level statement runs in a shell of its own (a Makefile's recipe lines): a `cd` in
     * one does not move the next. */
    readonly statementsApart = false,
    /** See `ShellOptions.blockIndent`. */
    readonly blockIndent = 0,
    /** See `ShellOptions.heldVariables`. */
    private readonly heldVariables: Record<string, string> = {},
    /** See `ShellOptions.workingDirectory`. */
    readonly startDir: string | null = '',
  ) {
    for (const m of masks) this.maskAt.set(m.start, m);
    this.dynamicMasks = masks.filter((m) => m.value === undefined);
  }

  addAssign(a: Assign): void {
    this.assigns.push(a);
    let list = this.byName.get(a.name);
    if (!list) this.byName.set(a.name, (list = []));
    list.push(a);
  }

  /** Assignments are recorded in query order; lookups walk them by position. */
  sortAssigns(): void {
    for (const list of this.byName.values()) list.sort((a, b) => a.end - b.end);
  }

  allAssigns(): readonly Assign[] {
    return this.assigns;
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** Evaluates under `ctx` from now on (values cached under another context are dropped). */
  use(ctx: EvalContext): void {
    if (ctx === this.ctx) return;
    this.ctx = ctx;
    this.cache = new Map();
  }

  context(): EvalContext {
    return this.ctx;
  }

  /** The innermost function whose body holds `pos`. */
  functionAt(pos: number): FunctionDef | undefined {
    let best: FunctionDef | undefined;
    for (const f of this.functions) {
      if (f.body.start <= pos && pos < f.body.end && (!best || f.body.start >= best.body.start)) best = f;
    }
    return best;
  }

  private active(a: Assign): boolean {
    if (a.pattern) return this.ctx.branches.get(a.pattern.caseId) === a.pattern.branch;
    for (const b of a.branches) {
      const taken = this.ctx.branches.get(b.caseId);
      if (taken !== undefined && taken !== b.branch) return false;
    }
    return true;
  }

  /** The assignment of `name` in effect at `pos`, under the current context. */
  private visible(name: string, pos: number, depth: number): { a?: Assign; at: number } | undefined {
    const fn = this.functionAt(pos);
    const call = fn ? this.ctx.calls.get(fn.id) : undefined;
    const list = this.byName.get(name) ?? [];
    for (let k = list.length - 1; k >= 0; k--) {
      const a = list[k];
      if (a.end > pos || !this.active(a)) continue;
      // Inside a function being followed from one call: its own assignments first, then the
      // caller's state where the call is made (bash scopes are dynamic).
      if (call && fn && !(fn.body.start <= a.node.startIndex && a.end <= fn.body.end)) break;
      return { a, at: pos };
    }
    if (call && depth < MAX_DEPTH) return this.visible(name, call.at, depth + 1) ?? { at: call.at };
    return undefined;
  }

  /** The value node of the assignment of `name` in effect at `pos`, where it is a plain one made
   * at the script's top level (not in a loop, an `if`, a function, nor `+=`): what a `cd
   * "$ROOT_DIR/api"` goes to is read from it (shell-cwd.ts). */
  plainAssignedValue(name: string, pos: number): SyntaxNode | undefined {
    const a = this.visible(name, pos, 0)?.a;
    if (!a || !a.value || !a.topLevel || a.loop || a.append || a.items || a.dynamic || a.branches.length) return undefined;
    return a.value;
  }

  /** The value of `name` at `pos`: known (value undefined = dynamic) or never assigned. */
  lookup(name: string, pos: number, depth: number): { known: boolean; value?: string; assign?: Assign } {
    if (/^[0-9]+$/.test(name)) return this.positional(name, pos, depth);
    const found = this.visible(name, pos, depth);
    if (found?.a) return { known: true, value: this.assignValue(found.a, depth + 1), assign: found.a };
    const vars = this.variables;
    if (vars && Object.prototype.hasOwnProperty.call(vars, name)) return { known: true, value: vars[name] };
    return { known: false };
  }

  /** `$1`…: the argument of the function call being followed, or the script's own (unknown).
   * Positional parameters are the function's own: never looked up at the caller. */
  private positional(name: string, pos: number, depth: number): { known: boolean; value?: string } {
    const fn = this.functionAt(pos);
    const list = this.byName.get(name) ?? [];
    for (let k = list.length - 1; k >= 0; k--) {
      const a = list[k];
      if (a.end > pos || !this.active(a) || this.functionAt(a.node.startIndex) !== fn) continue;
      return { known: true, value: this.assignValue(a, depth + 1) };
    }
    const call = fn ? this.ctx.calls.get(fn.id) : undefined;
    const i = Number(name);
    if (call && i > 0) return { known: true, value: i <= call.args.length ? call.args[i - 1] : '' };
    const vars = this.variables;
    if (vars && Object.prototype.hasOwnProperty.call(vars, name)) return { known: true, value: vars[name] };
    return { known: true };
  }

  assignValue(a: Assign, depth: number): string | undefined {
    const hit = this.cache.get(a);
    if (hit) return hit.value;
    if (a.pattern) return a.pattern.value;
    if (a.loop) return this.ctx.loops.has(a) ? this.ctx.loops.get(a) : undefined;
    if (a.items || a.dynamic || depth > MAX_DEPTH) return undefined;
    this.cache.set(a, { value: undefined }); // a cycle reads as dynamic
    let value: string | undefined;
    let callerDefault: CallerDefault | undefined;
    if (!a.value) value = '';
    else {
      const w = this.word(a.value, depth);
      value = w.dynamic ? undefined : w.value;
      // `KEY="${GEMINI_API_KEY:-<your-key>}"`: the value is that default, whole.
      const x = w.expansions?.length === 1 ? w.expansions[0] : undefined;
      if (!a.append && x?.callerDefault && x.from === 0 && x.to === w.value.length) callerDefault = x.callerDefault;
    }
    if (a.append && value !== undefined) {
      const prev = this.lookup(a.name, a.node.startIndex, depth);
      value = prev.known && prev.value === undefined ? undefined : (prev.value ?? '') + value;
    }
    this.cache.set(a, callerDefault ? { value, callerDefault } : { value });
    return value;
  }

  /** The assignment `$name` reads at `pos` (for a command assembled in a variable). */
  assignmentAt(name: string, pos: number): Assign | undefined {
    return this.visible(name, pos, 0)?.a;
  }

  /** The elements of array `name` at `pos` (`X=(a b)`, `X+=(c)`; a scalar is one element);
   * undefined when any is dynamic or the array is never assigned. */
  arrayItems(name: string, pos: number, depth = 0): string[] | undefined {
    const a = this.visible(name, pos, depth)?.a;
    if (!a || a.loop || a.dynamic || depth > MAX_DEPTH) return undefined;
    let own: string[];
    if (a.items) {
      own = [];
      for (const item of a.items) {
        const w = this.word(item, depth + 1);
        if (w.dynamic) return undefined;
        own.push(w.value);
      }
    } else {
      const v = this.assignValue(a, depth + 1);
      if (v === undefined) return undefined;
      own = [v];
    }
    if (!a.append) return own;
    const prev = this.arrayItems(name, a.node.startIndex, depth + 1);
    return prev ? [...prev, ...own] : undefined;
  }

  /**
   * The entries of associative array `name` at `pos`, written whole in one `declare -A X=([k]=v …)`
   * (no `X+=`, no `X[k]=v`): each key with its value, undefined where the value is dynamic, and
   * where the value is written (its content, inside quotes). Undefined when an entry is not
   * `[key]=value` or a key is not literal.
   */
  assocEntries(name: string, pos: number, depth = 0): AssocEntry[] | undefined {
    const a = this.visible(name, pos, depth)?.a;
    if (!a?.items || a.loop || a.dynamic || a.append || depth > MAX_DEPTH) return undefined;
    const textOf = (n: SyntaxNode): string => this.text.slice(n.startIndex, n.endIndex);
    const out: AssocEntry[] = [];
    for (const item of a.items) {
      const kids = item.type === 'concatenation' ? item.children.filter((c): c is SyntaxNode => c !== null) : [];
      if (!kids.length || textOf(kids[0]) !== '[') return undefined;
      const close = kids.findIndex((k, i) => i > 0 && textOf(k).startsWith(']'));
      if (close < 2) return undefined;
      let key = '';
      for (const k of kids.slice(1, close)) {
        const w = this.word(k, depth + 1);
        if (w.dynamic) return undefined;
        key += w.value;
      }
      // `]` `=` value…, or `]=value` in one word: the value starts after the `=`.
      const closeText = textOf(kids[close]);
      const eqNode = closeText === ']' ? kids[close + 1] : kids[close];
      const eqText = eqNode ? textOf(eqNode) : '';
      const eqAt = eqNode ? eqNode.startIndex + (closeText === ']' ? 0 : 1) : -1;
      if (!eqNode || this.text[eqAt] !== '=') return undefined;
      const rest = kids.slice(kids.indexOf(eqNode) + 1);
      const start = eqAt + 1;
      if (start === item.endIndex) { out.push({ key, value: '', span: { start, end: start } }); continue; }
      // The value is one node after the `=` (`"…"`, `${X}`), or the tail of the `=`'s own word.
      if (rest.length === 1 && rest[0].startIndex === start) {
        const v = rest[0];
        const w = this.word(v, depth + 1);
        const quotedContent = (v.type === 'string' || v.type === 'raw_string') && v.endIndex - v.startIndex >= 2;
        out.push({ key, value: w.dynamic ? undefined : w.value, span: quotedContent ? { start: v.startIndex + 1, end: v.endIndex - 1 } : { start: v.startIndex, end: v.endIndex } });
      } else if (rest.length === 0 && eqText.length > 1) {
        const tail = this.text.slice(start, item.endIndex);
        out.push({ key, value: /[$`"'\\]/.test(tail) ? undefined : tail, span: { start, end: item.endIndex } });
      } else out.push({ key, value: undefined, span: { start, end: item.endIndex } });
    }
    return out;
  }

  /** The element nodes of array `name` at `pos`, every `X=(…)` / `X+=(…)` that makes it up, first
   * first; undefined when any piece is no array literal (a scalar, a loop's, `X[i]=v`). Appends
   * under a condition count (a flag that may be there counts as there). */
  arrayItemNodes(name: string, pos: number): SyntaxNode[] | undefined {
    const out: SyntaxNode[][] = [];
    for (let a = this.visible(name, pos, 0)?.a; a; a = a.append ? this.visible(name, a.node.startIndex, 0)?.a : undefined) {
      if (!a.items || a.loop || a.dynamic || out.length >= 32) return undefined;
      out.unshift(a.items);
      if (!a.append) return out.flat();
    }
    return undefined;
  }

  /** Builds the Word for one argument node. */
  word(node: SyntaxNode, depth = 0): BuiltWord {
    const acc = new Acc();
    this.add(node, acc, false, depth);
    const start = node.startIndex;
    const end = node.endIndex;
    if (acc.end < 0) acc.end = end;
    // A node boundary inside an unresolved `${{ }}` (bash saw only its filler): dynamic.
    if (this.dynamicMasks.some((m) => m.start < end && m.end > start)) acc.dynamic = true;
    const w: BuiltWord = {
      value: acc.value,
      span: { start, end },
      offsets: acc.exact ? [...acc.offs, acc.end] : null,
      dynamic: acc.dynamic,
    };
    if (acc.spread) w.spread = true;
    if (acc.expansions.length) w.expansions = acc.expansions;
    const quote = quoteOf(node);
    if (quote && acc.exact) w.quote = quote;
    // `"$PROJECT_ID"`: the variable a fix can reuse instead of its value.
    const only = node.type === 'string' && node.namedChildren.length === 1 ? node.namedChildren[0] : node;
    if (!acc.dynamic && only && (only.type === 'simple_expansion' || only.type === 'expansion') && only.endIndex - only.startIndex >= end - start - 2) w.source = this.text.slice(only.startIndex, only.endIndex);
    return w;
  }

  /** The word with each variable whose value is only partly known standing for that value as
   * written (`$LIST` → `A=1,B=${NUM}/x` after `LIST="A=1"; LIST="$LIST,B=${NUM}/x"`): still
   * dynamic, offsets unmapped. For a `NAME=value` list held in a variable, whose names are
   * literal though some values are not. */
  partialWord(node: SyntaxNode): BuiltWord {
    this.partial = true;
    try {
      return this.word(node);
    } finally {
      this.partial = false;
    }
  }

  /**
   * The text a lone variable (`$IMAGE`, `"${IMAGE}"`) stands for where the script never assigns
   * it before `node` and it comes from outside known only in part (a workflow step's `env:` value
   * holding `${{ github.sha }}`: `ShellOptions.heldVariables`), as written; undefined otherwise.
   */
  outsideHeldText(node: SyntaxNode): string | undefined {
    const only = node.type === 'string' && node.namedChildren.length === 1 ? node.namedChildren[0] : node;
    const name = only && (only.type === 'simple_expansion' || only.type === 'expansion') ? plainVariable(only, this.text) : undefined;
    if (name === undefined || this.visible(name, node.startIndex, 0)?.a || !Object.prototype.hasOwnProperty.call(this.heldVariables, name)) return undefined;
    return this.heldVariables[name];
  }

  /** The as-written value of the assignment of `name` at `pos` (partial mode only). */
  private heldText(name: string, pos: number, depth: number): string | undefined {
    const found = this.visible(name, pos, depth);
    // A variable from outside the script known only in part (a workflow's `env:` value holding
    // `${{ secrets.X }}`): its text as written.
    if (!found && Object.prototype.hasOwnProperty.call(this.heldVariables, name)) return this.heldVariables[name];
    const a = found?.a;
    if (!a || !a.value || a.loop || a.items || a.dynamic || a.pattern || a.append || depth > MAX_DEPTH) return undefined;
    return this.word(a.value, depth + 1).value;
  }

  /** Words for one argument: an unquoted resolved expansion holding spaces splits. */
  argWords(node: SyntaxNode): BuiltWord[] {
    const w = this.word(node);
    if (node.type !== 'simple_expansion' && node.type !== 'expansion') return [w];
    if (w.dynamic) {
      w.bare = true;
      return [w];
    }
    const parts = w.value.split(/[ \t\n]+/).filter((p) => p.length > 0);
    if (parts.length === 1 && parts[0] === w.value) return [w];
    return parts.map((p) => ({ value: p, span: w.span, offsets: null, dynamic: false }));
  }

  private add(node: SyntaxNode, acc: Acc, quoted: boolean, depth: number): void {
    const t = this.text;
    const s = node.startIndex;
    const e = node.endIndex;
    switch (node.type) {
      case 'word':
      case 'number':
      case 'variable_name': // tree-sitter's reading of some `${X:-default}` defaults
        if (quoted) this.dqText(s, e, acc);
        else this.bareText(s, e, acc);
        acc.end = e;
        return;
      case 'raw_string': {
        // GitHub fills in `${{ }}` before the shell runs: inside single quotes too.
        const close = e - 1 > s && t[e - 1] === "'" ? e - 1 : e;
        this.rawText(s + 1, close, acc);
        acc.end = close;
        return;
      }
      case 'ansi_c_string': {
        const close = e - 1 > s + 1 && t[e - 1] === "'" ? e - 1 : e;
        for (let i = s + 2; i < close; i++) {
          if (t[i] === '\\' && i + 1 < close) {
            acc.exact = false;
            const c = t[i + 1];
            acc.push(c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c, i);
            i++;
          } else i = this.source(i, acc) - 1;
        }
        acc.end = close;
        return;
      }
      case 'string':
      case 'translated_string': {
        const open = s + (node.type === 'translated_string' ? 2 : 1);
        const close = e - 1 >= open && t[e - 1] === '"' ? e - 1 : e;
        let pos = open;
        for (const child of node.namedChildren) {
          if (!child || child.type === 'string_content') continue;
          if (child.startIndex > pos) this.dqText(pos, child.startIndex, acc);
          this.add(child, acc, true, depth);
          pos = child.endIndex;
        }
        if (close > pos) this.dqText(pos, close, acc);
        acc.end = close;
        return;
      }
      case 'concatenation': {
        let pos = s;
        for (const child of node.children) {
          if (!child) continue;
          if (child.startIndex > pos) this.rawText(pos, child.startIndex, acc);
          this.add(child, acc, quoted, depth);
          pos = child.endIndex;
        }
        if (e > pos) this.rawText(pos, e, acc);
        return;
      }
      case 'simple_expansion':
      case 'expansion':
        this.expansion(node, acc, quoted, depth);
        return;
      default: {
        // The script's own folder (`$(cd "$(dirname "$0")/.." && pwd)`): a path from there.
        const folder = node.type === 'command_substitution' ? this.scriptFolder(node, depth) : undefined;
        if (folder !== undefined) {
          this.stand(folder, s, acc);
          acc.end = e;
          return;
        }
        const joinedEnd = node.type === 'command_substitution' ? this.joinedArray(node, acc, depth) : undefined;
        if (joinedEnd !== undefined) {
          // The list ends where its last element does: a last entry's span, and a new entry
          // written there, stay in the array (`"B=b:1,NEW=x"` joins the same).
          acc.end = joinedEnd;
          return;
        }
        // Command and process substitutions, arithmetic, anything unknown: dynamic, as written.
        this.rawText(s, e, acc);
        acc.dynamic = true;
        acc.end = e;
        return;
      }
    }
  }

  /**
   * The folder a command substitution prints when it is the shell's idiom for the script's own
   * place — `$(dirname "$0")`, `$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)`, `$(dirname
   * "$SCRIPT_DIR")` — as a path from the script's folder (`.`, `..`, `../..`): paths built on it
   * (`--env-vars-file "$ROOT_DIR/env.yaml"`) resolve from there, as the model reads a script's
   * paths. Only for a script file run as such (`$0` names it); undefined for anything else.
   */
  private scriptFolder(sub: SyntaxNode, depth: number): string | undefined {
    if (this.file === undefined || depth > MAX_DEPTH) return undefined;
    const inner = sub.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
    if (inner.length !== 1) return undefined;
    const stmt = inner[0]!;
    // `dirname "$0"` / `dirname -- "$X"`
    if (stmt.type === 'command') {
      const arg = this.soleArgument(stmt, 'dirname');
      if (!arg) return undefined;
      const raw = this.text.slice(arg.startIndex, arg.endIndex).replace(/^"|"$/g, '');
      if (namesScriptItself(raw)) return '.';
      if (!this.rootedInScript(arg, depth + 1)) return undefined;
      const w = this.word(arg, depth + 1);
      return w.dynamic || !isFromScript(w.value) ? undefined : parentOf(w.value);
    }
    // `cd "…" && pwd`, the cd's output silenced or not.
    if (stmt.type !== 'list' || stmt.namedChildren.length !== 2 || !stmt.children.some((c) => c?.type === '&&')) return undefined;
    const [first, second] = stmt.namedChildren as SyntaxNode[];
    const cd = first.type === 'redirected_statement' ? first.namedChildren.find((c) => c?.type === 'command') : first;
    if (!cd || cd.type !== 'command' || second.type !== 'command' || this.text.slice(second.startIndex, second.endIndex).trim() !== 'pwd') return undefined;
    const arg = this.soleArgument(cd, 'cd');
    if (!arg || !this.rootedInScript(arg, depth + 1)) return undefined;
    const w = this.word(arg, depth + 1);
    if (w.dynamic || !isFromScript(w.value)) return undefined;
    return path.posix.normalize(w.value);
  }

  /**
   * `$(IFS=,; echo "${SECRETS[*]}")`, the shell's idiom for joining an array into one list: the
   * elements (`SECRETS=("A=a:latest" "B=b:1")`, and every `+=` in sight), each read where it is
   * written, joined by the first character of `IFS`; returns where the last element's text ends.
   * Undefined, nothing added, for anything else or an array not all known.
   */
  private joinedArray(sub: SyntaxNode, acc: Acc, depth: number): number | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const inner = sub.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
    const [ifs, echo] = inner;
    if (inner.length !== 2 || ifs!.type !== 'variable_assignment' || echo!.type !== 'command') return undefined;
    const ifsName = ifs!.childForFieldName('name');
    const ifsValue = ifs!.childForFieldName('value');
    if (!ifsName || !ifsValue || this.text.slice(ifsName.startIndex, ifsName.endIndex) !== 'IFS') return undefined;
    const sep = this.word(ifsValue, depth + 1);
    if (sep.dynamic || !sep.value) return undefined;
    const arg = this.soleArgument(echo!, 'echo');
    const expansion = arg?.type === 'string' && arg.namedChildren.length === 1 ? arg.namedChildren[0] : undefined;
    const subscript = expansion?.type === 'expansion' ? expansion.namedChildren.find((c) => c?.type === 'subscript') : undefined;
    const name = subscript?.childForFieldName('name');
    const index = subscript?.childForFieldName('index');
    if (!name || !index || this.text.slice(index.startIndex, index.endIndex) !== '*' || expansion!.namedChildren.length !== 1) return undefined;
    const items = this.arrayItemNodes(this.text.slice(name.startIndex, name.endIndex), sub.startIndex);
    if (!items?.length) return undefined;
    const sub0 = new Acc();
    // Where an element's text ends: before its closing quote.
    const endOf = (item: SyntaxNode): number => (item.type === 'string' || item.type === 'raw_string' ? item.endIndex - 1 : item.endIndex);
    items.forEach((item, i) => {
      // The separator stands just after the element before it, so an entry's span ends there.
      if (i > 0) sub0.push(sep.value[0]!, endOf(items[i - 1]!));
      this.add(item, sub0, true, depth + 1);
    });
    if (sub0.dynamic) return undefined;
    const from = acc.value.length;
    acc.value += sub0.value;
    acc.offs.push(...sub0.offs);
    if (!sub0.exact) acc.exact = false;
    acc.expansions.push(...sub0.expansions.map((x) => ({ ...x, from: x.from + from, to: x.to + from })));
    return endOf(items[items.length - 1]!);
  }

  /** Whether a word begins with the script's own folder (`"$(dirname "$0")/.."`, `"$SCRIPT_DIR/.."`
   * with SCRIPT_DIR so assigned): `cd ./api && pwd` names a folder of where the script started. */
  private rootedInScript(node: SyntaxNode, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    if (node.type === 'string' || node.type === 'concatenation') {
      const first = node.namedChildren[0];
      const lead = node.type === 'string' ? node.startIndex + 1 : node.startIndex;
      return !!first && first.startIndex === lead && this.rootedInScript(first, depth + 1);
    }
    if (node.type === 'command_substitution') return this.scriptFolder(node, depth + 1) !== undefined;
    if (node.type === 'simple_expansion' || node.type === 'expansion') {
      const name = plainVariable(node, this.text);
      const a = name === undefined ? undefined : this.visible(name, node.startIndex, depth)?.a;
      return !!a?.value && !a.append && !a.loop && !a.items && !a.dynamic && this.rootedInScript(a.value, depth + 1);
    }
    return false;
  }

  /** The one argument of `cmd` when it runs `name` (`--` and an env prefix like `CDPATH=` aside). */
  private soleArgument(cmd: SyntaxNode, name: string): SyntaxNode | undefined {
    if (cmd.childForFieldName('name')?.text !== name) return undefined;
    const args = cmd.childrenForFieldName('argument').filter((a) => a.isNamed && this.text.slice(a.startIndex, a.endIndex) !== '--');
    return args.length === 1 ? args[0] : undefined;
  }

  private expansion(node: SyntaxNode, acc: Acc, quoted: boolean, depth: number): void {
    const s = node.startIndex;
    const e = node.endIndex;
    const kids = node.children.filter((c): c is SyntaxNode => c !== null);
    const asWritten = (): void => {
      this.rawText(s, e, acc);
      acc.dynamic = true;
      acc.end = e;
    };
    let nameNode: SyntaxNode | undefined;
    let op: string | undefined;
    let rest: SyntaxNode[] = [];
    if (node.type === 'simple_expansion') {
      nameNode = kids.find((c) => c.type === 'variable_name' || c.type === 'special_variable_name');
    } else {
      // `${` name [operator rest…] `}`; `${#X}`, `${!X}`, `${X[@]}` have another shape.
      if (kids[1] && (kids[1].type === 'variable_name' || kids[1].type === 'special_variable_name')) {
        nameNode = kids[1];
        const last = kids[kids.length - 1]?.type === '}' ? kids.length - 1 : kids.length;
        if (last > 2) {
          op = kids[2].type;
          rest = kids.slice(3, last);
        }
      } else if (kids.some((c) => c.type === 'subscript' && /\[[@*]\]$/.test(this.text.slice(c.startIndex, c.endIndex)))) {
        acc.spread = true;
      }
    }
    if (!nameNode) {
      if (kids.length === 3 && kids[1].type === 'subscript' && this.assocValue(kids[1], s, acc, depth)) acc.end = e;
      else asWritten();
      return;
    }
    const name = this.text.slice(nameNode.startIndex, nameNode.endIndex);
    if (nameNode.type === 'special_variable_name') {
      if (name === '@' || name === '*') acc.spread = true;
      return asWritten();
    }
    const isDefault = op === ':-' || op === '-' || op === ':=' || op === '=';
    if (op !== undefined && !isDefault) return asWritten();
    const found = this.lookup(name, s, depth);
    let useDefault = false;
    // The script's own positional parameter with a default (`SERVICE="${1:-shop-api}"`): the caller
    // may give none, as with an unset `${SERVICE:-shop-api}`; the default is what it deploys then.
    if (found.known && found.value === undefined && isDefault && /^[1-9]$/.test(name)) useDefault = true;
    else if (found.known) {
      if (found.value === undefined) {
        const held = this.partial && op === undefined ? this.heldText(name, s, depth) : undefined;
        if (held === undefined) return asWritten();
        this.stand(held, s, acc);
        acc.dynamic = true;
        acc.exact = false;
        acc.end = e;
        return;
      }
      if (op !== undefined && op.startsWith(':') && found.value === '') useDefault = true;
    } else if (isDefault) useDefault = true;
    else return asWritten();
    let value = found.value ?? '';
    const from = acc.value.length;
    if (useDefault) {
      const sub = new Acc();
      const opEnd = kids[2]?.endIndex ?? s;
      const close = kids[kids.length - 1]?.type === '}' ? e - 1 : e;
      let pos = opEnd;
      for (const child of rest) {
        if (child.startIndex > pos) this.rawText(pos, child.startIndex, sub);
        this.add(child, sub, quoted, depth + 1);
        pos = child.endIndex;
      }
      if (close > pos) this.rawText(pos, close, sub);
      if (sub.dynamic) return asWritten();
      if (!sub.exact) acc.exact = false;
      value = sub.value;
    }
    this.stand(value, s, acc);
    // Where the value was written, for a finding about what it holds (a comma list expanded
    // into `--set-env-vars`): the assignment, or the default written in place.
    const assigned = found.assign?.node;
    const at = useDefault ? { start: s, end: e } : assigned ? { start: assigned.startIndex, end: assigned.endIndex } : undefined;
    // A default for a variable the script never sets is what ships when its caller exports none.
    const callerDefault = useDefault ? (found.known ? undefined : { name, at: at! }) : found.assign && this.cache.get(found.assign)?.callerDefault;
    if (at && value.length) acc.expansions.push({ from, to: from + value.length, name, at, ...(callerDefault ? { callerDefault } : {}) });
    acc.end = e;
  }

  /** `${A[$k]}` of an associative array written whole (`assocEntries`), its key known: the entry's
   * value, standing where the expansion is, recorded as written at the entry. False when unknown. */
  private assocValue(sub: SyntaxNode, at: number, acc: Acc, depth: number): boolean {
    const nameNode = sub.childForFieldName('name');
    const index = sub.childForFieldName('index');
    if (!nameNode || !index || depth > MAX_DEPTH) return false;
    const key = this.word(index, depth + 1);
    if (key.dynamic) return false;
    const name = this.text.slice(nameNode.startIndex, nameNode.endIndex);
    const entry = this.assocEntries(name, at, depth + 1)?.find((x) => x.key === key.value);
    if (entry?.value === undefined) return false;
    const from = acc.value.length;
    this.stand(entry.value, at, acc);
    if (entry.value.length) acc.expansions.push({ from, to: from + entry.value.length, name, at: entry.span, entry: true });
    return true;
  }

  /** A value standing for the source text at `at` (an expansion, a resolved GitHub expression).
   * Spans that begin or end inside it can't be mapped, so the map is given up when a list
   * delimiter or a space could split it. */
  private stand(value: string, at: number, acc: Acc): void {
    for (const ch of value) acc.push(ch, at);
    if (/[,=\s]/.test(value)) acc.exact = false;
  }

  /** Pushes the source character at `i` (or the masked GitHub expression starting there);
   * returns the index after it. */
  private source(i: number, acc: Acc): number {
    const m = this.maskAt.get(i);
    if (!m) {
      acc.push(this.text[i], i);
      return i + 1;
    }
    if (m.value !== undefined) this.stand(m.value, i, acc);
    else if (m.written !== undefined) {
      this.stand(m.written, i, acc);
      acc.dynamic = true;
    } else {
      for (let k = m.start; k < m.end; k++) acc.push(this.text[k], k);
      acc.dynamic = true;
    }
    return m.end;
  }

  private rawText(start: number, end: number, acc: Acc): void {
    for (let i = start; i < end;) i = this.source(i, acc);
    acc.end = end;
  }

  /** Unquoted text: `\x` is `x`, `\`+newline disappears. */
  private bareText(start: number, end: number, acc: Acc): void {
    const t = this.text;
    for (let i = start; i < end;) {
      if (t[i] === '\\' && i + 1 < end) {
        if (t[i + 1] !== '\n') acc.push(t[i + 1], i);
        i += 2;
      } else i = this.source(i, acc);
    }
    acc.end = end;
  }

  /** Text inside double quotes: only `\$ \` \" \\` and `\`+newline are escapes. */
  private dqText(start: number, end: number, acc: Acc): void {
    const t = this.text;
    for (let i = start; i < end;) {
      const c = t[i];
      if (c === '\\' && i + 1 < end && '$`"\\\n'.includes(t[i + 1])) {
        if (t[i + 1] !== '\n') acc.push(t[i + 1], i);
        i += 2;
      } else i = this.source(i, acc);
    }
    acc.end = end;
  }
}

function quoteOf(node: SyntaxNode): Word['quote'] {
  let n: SyntaxNode | null = node;
  if (n.type === 'concatenation') n = n.lastChild;
  if (!n) return undefined;
  if (n.type === 'string') return '"';
  if (n.type === 'raw_string' || n.type === 'ansi_c_string') return "'";
  return undefined;
}
