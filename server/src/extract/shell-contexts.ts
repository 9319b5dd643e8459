/**
 * The ways one command of a script runs: once per item of the `for` loops around it
 * (`for svc in api worker`, `for s in "${SERVICES[@]}"`), once per branch of a `case` before it
 * that sets what it reads (`case "$ENV" in staging) PROJECT=…;; production) PROJECT=…;; esac`),
 * once per call of the function it sits in (`deploy api; deploy worker`, with `$1` bound). Each
 * way is an `EvalContext` the evaluator (shell-script.ts) resolves variables under; the caller
 * extracts the command once per context and keeps the distinct results.
 *
 * Nothing is executed and nothing is guessed: a loop over a computed list (`$(ls services)`), a
 * function called with a value known only at run time, or more combinations than MAX_CONTEXTS
 * leave the variable dynamic and say why (`unresolved`).
 */
import type { Span } from '../core/facts';
import type { SyntaxNode } from '../parsers/tree-sitter';
import { NO_CONTEXT, type Assign, type EvalContext, type FunctionDef, type Script } from './shell-script';
import { namesEnvironment } from '../knowledge/environments';

/** Beyond this many ways of running one command, the command is read once, as written. */
export const MAX_CONTEXTS = 32;
const MAX_CALL_DEPTH = 4;

interface CaseBranch {
  node: SyntaxNode;
  /** The first literal pattern (`staging` of `staging|stg)`), with its span. */
  pattern?: { value: string; span: Span };
  /** The branch ends the script or function (`*) usage; exit 1 ;;`): nothing after the case runs. */
  exits: boolean;
  assigns: boolean;
}

interface CaseInfo {
  node: SyntaxNode;
  /** The node the case sits in (commands after it in this block see its branches). */
  parent: SyntaxNode;
  /** The variable the case tests (`ENV` of `case "$ENV" in`, `1` of `case $1 in`). */
  subject?: string;
  branches: CaseBranch[];
}

const GLOB = /[*?[\]|]/;

/** A word's literal text (quotes dropped), when it expands and globs nothing. */
export function literal(node: SyntaxNode, text: string): string | undefined {
  const raw = text.slice(node.startIndex, node.endIndex);
  if (node.type === 'raw_string') return raw.slice(1, -1);
  if (node.type === 'string') return node.namedChildren.some((c) => c && c.type !== 'string_content') ? undefined : raw.slice(1, -1);
  if ((node.type === 'word' || node.type === 'extglob_pattern') && !GLOB.test(raw) && !raw.includes('$') && !raw.includes('\\')) return raw;
  return undefined;
}

/** `"$ENV"`, `$ENV`, `"${1:-}"`: the variable a case subject expands. */
export function subjectName(node: SyntaxNode | null, text: string): string | undefined {
  let n = node;
  if (n?.type === 'string' && n.namedChildren.length === 1) n = n.namedChildren[0];
  if (!n || (n.type !== 'simple_expansion' && n.type !== 'expansion')) return undefined;
  const name = n.namedChildren.find((c) => c?.type === 'variable_name');
  return name ? text.slice(name.startIndex, name.endIndex) : undefined;
}

function commandName(cmd: SyntaxNode, text: string): string {
  const n = cmd.childForFieldName('name');
  return n ? text.slice(n.startIndex, n.endIndex) : '';
}

const isAncestor = (a: SyntaxNode, b: SyntaxNode): boolean => a.startIndex <= b.startIndex && b.endIndex <= a.endIndex;

/** What the contexts of a script's commands are built from: its loops, cases, functions and calls. */
/** The loops, case branches and functions around a node, innermost first (a shared tail per level). */
interface Around {
  node: SyntaxNode;
  up: Around | undefined;
}
const AROUND_TYPES = new Set(['for_statement', 'case_item', 'function_definition', 'if_statement', 'elif_clause', 'else_clause']);

const IF_CLAUSES = new Set(['elif_clause', 'else_clause']);

/** The statements of one part of an `if`: after its `then` (the `if` itself and each `elif`),
 * or all of an `else`, without the clauses that follow. */
function clauseBody(part: SyntaxNode): SyntaxNode[] {
  if (part.type === 'else_clause') return part.namedChildren.filter((c): c is SyntaxNode => !!c);
  const out: SyntaxNode[] = [];
  let afterThen = false;
  for (const c of part.children) {
    if (!c) continue;
    if (!c.isNamed && c.type === 'then') afterThen = true;
    else if (afterThen && c.isNamed && !IF_CLAUSES.has(c.type)) out.push(c);
  }
  return out;
}

export class ScriptShape {
  readonly cases: CaseInfo[] = [];
  /** Per node id, what surrounds it: recorded once in the walk, since a tree-sitter node's
   * `parent` is found again from the root on every call, and walking it for every command made
   * deeply nested scripts (`$($($(…)))`) cubic. */
  private readonly around = new Map<number, Around | undefined>();
  private readonly caseByItem = new Map<number, { info: CaseInfo; branch: number }>();
  private readonly loopVar = new Map<number, Assign>();
  private readonly callsOf = new Map<string, SyntaxNode[]>();

  constructor(
    private readonly script: Script,
    root: SyntaxNode,
    commands: SyntaxNode[],
  ) {
    const text = script.text;
    for (const a of script.allAssigns()) if (a.loop && a.node.parent?.type === 'for_statement') this.loopVar.set(a.node.parent.id, a);
    const walk = (n: SyntaxNode, parent: SyntaxNode | undefined, up: Around | undefined, depth: number): void => {
      if (depth > 200) return;
      this.around.set(n.id, up);
      if (n.type === 'case_statement' && parent) this.addCase(n, parent, text);
      else if (n.type === 'if_statement' && parent) this.addIf(n, parent, text);
      else if (n.type === 'function_definition') {
        const name = n.childForFieldName('name');
        const body = n.childForFieldName('body');
        if (name && body) {
          script.functions.push({ id: n.id, name: text.slice(name.startIndex, name.endIndex), node: n, body: { start: body.startIndex, end: body.endIndex } });
        }
      }
      const inner = AROUND_TYPES.has(n.type) ? { node: n, up } : up;
      for (const c of n.namedChildren) if (c) walk(c, n, inner, depth + 1);
    };
    walk(root, undefined, undefined, 0);
    for (const a of script.allAssigns()) {
      if (a.pattern) continue;
      a.branches = this.branchesOf(a.node);
      for (const b of a.branches) {
        const info = this.cases.find((c) => c.node.id === b.caseId);
        // An `if` whose parts only add to an array (`ARGS+=(--env-vars-file …)`) builds one
        // command from pieces (shell-assembled.ts), which reads its branches itself.
        if (info && !(a.append && info.node.type === 'if_statement')) info.branches[b.branch].assigns = true;
      }
    }
    const names = new Set(script.functions.map((f) => f.name));
    for (const cmd of commands) {
      const name = commandName(cmd, text);
      if (!names.has(name)) continue;
      const list = this.callsOf.get(name) ?? [];
      list.push(cmd);
      this.callsOf.set(name, list);
    }
    script.sortAssigns();
  }

  private addCase(node: SyntaxNode, parent: SyntaxNode, text: string): void {
    const info: CaseInfo = { node, parent, subject: subjectName(node.childForFieldName('value'), text), branches: [] };
    for (const item of node.namedChildren) {
      if (!item || item.type !== 'case_item') continue;
      const patterns = item.childrenForFieldName('value');
      const lit = patterns.map((p) => ({ p, v: literal(p, text) })).find((x) => x.v !== undefined);
      const body = item.namedChildren.filter((c): c is SyntaxNode => !!c && !patterns.some((p) => p.id === c.id));
      const exits = body.some((c) => c.type === 'command' && /^(exit|return)$/.test(commandName(c, text)));
      const branch: CaseBranch = { node: item, exits, assigns: false };
      if (lit) branch.pattern = { value: lit.v!, span: { start: lit.p.startIndex, end: lit.p.endIndex } };
      this.caseByItem.set(item.id, { info, branch: info.branches.length });
      info.branches.push(branch);
    }
    this.cases.push(info);
    // The subject holds the pattern from the branch on, when the context takes that branch.
    if (!info.subject) return;
    info.branches.forEach((b, i) => {
      if (!b.pattern) return;
      const close = b.node.children.find((c) => c?.type === ')');
      this.script.addAssign({
        name: info.subject!, end: close?.endIndex ?? b.pattern.span.end, node: b.node, value: null, append: false, loop: false,
        topLevel: false, branches: [], pattern: { caseId: node.id, branch: i, value: b.pattern.value },
      });
    });
  }

  /**
   * An `if` with an `elif` or an `else` is read as a case with no subject: its parts are the
   * branches (`if [[ $F == *sandbox.env ]]; then PROJECT=…; elif …; then PROJECT=…; else exit 1;
   * fi`), so a command after it runs once per part that sets something. An `if` alone is not: the
   * way around it (nothing taken) sets nothing, and reading it as two ways would make every
   * default (`if [ -z "$X" ]; then X=…; fi`) a guess.
   */
  private addIf(node: SyntaxNode, parent: SyntaxNode, text: string): void {
    const clauses = node.namedChildren.filter((c): c is SyntaxNode => !!c && IF_CLAUSES.has(c.type));
    if (!clauses.length) return;
    const info: CaseInfo = { node, parent, branches: [] };
    for (const part of [node, ...clauses]) {
      const exits = clauseBody(part).some((c) => c.type === 'command' && /^(exit|return)$/.test(commandName(c, text)) ||
        (c.type === 'list' && c.namedChildren.some((x) => x?.type === 'command' && /^(exit|return)$/.test(commandName(x, text)))));
      this.caseByItem.set(part.id, { info, branch: info.branches.length });
      info.branches.push({ node: part, exits, assigns: false });
    }
    this.cases.push(info);
  }

  /** The branch of a `case` or `if` that an ancestor part is (`a`, with `below` the ancestor just
   * inside it): an `if` counts as its first part only where the node is not in one of its clauses. */
  private branchAt(a: Around, below: Around | undefined): { info: CaseInfo; branch: number } | undefined {
    if (a.node.type === 'case_item' || IF_CLAUSES.has(a.node.type)) return this.caseByItem.get(a.node.id);
    if (a.node.type !== 'if_statement') return undefined;
    if (below && IF_CLAUSES.has(below.node.type) && below.node.parent?.id === a.node.id) return undefined;
    return this.caseByItem.get(a.node.id);
  }

  /** The case (and `if`) branches (case id, branch index) an assignment node sits in, outermost first. */
  branchesOf(node: SyntaxNode): { caseId: number; branch: number }[] {
    const out: { caseId: number; branch: number }[] = [];
    let below: Around | undefined;
    for (let a = this.around.get(node.id); a; below = a, a = a.up) {
      const c = this.branchAt(a, below);
      if (c) out.unshift({ caseId: c.info.node.id, branch: c.branch });
    }
    return out;
  }

  /** Every way `cmd` runs, or the command read once (NO_CONTEXT) with the reason it could not be expanded. */
  contextsFor(cmd: SyntaxNode, depth = 0): { contexts: EvalContext[]; unresolved?: string } {
    const script = this.script;
    const fn = script.functionAt(cmd.startIndex);
    let unresolved: string | undefined;
    let out: EvalContext[] = [NO_CONTEXT];
    // 1. The calls of the function the command sits in, each in the ways the call itself runs.
    const calls = fn ? (this.callsOf.get(fn.name) ?? []).filter((c) => !isAncestor(fn.node, c)) : [];
    if (fn && calls.length > 0 && depth < MAX_CALL_DEPTH) {
      out = [];
      for (const call of calls) {
        const outer = this.contextsFor(call, depth + 1);
        unresolved ??= outer.unresolved;
        for (const ctx of outer.contexts) {
          script.use(ctx);
          const args: (string | undefined)[] = [];
          for (const a of call.childrenForFieldName('argument')) {
            if (!a.isNamed) continue;
            for (const w of script.argWords(a)) args.push(w.dynamic || w.spread ? undefined : w.value);
          }
          if (args.some((a) => a === undefined)) unresolved ??= `${fn.name} is called with a value known only at run time`;
          const label = `${fn.name} ${args.map((a) => a ?? '…').join(' ')}`.trim();
          out.push(extend(ctx, { calls: [[fn.id, { args, at: call.startIndex }]], label }));
        }
      }
    }
    // 2. Loops around the command (inside its function), outermost first; case branches it sits in.
    // (A node deeper than the walk went has nothing recorded: it is read once, as written.)
    const around: { node: SyntaxNode; branch?: { info: CaseInfo; branch: number } }[] = [];
    let below: Around | undefined;
    for (let a = this.around.get(cmd.id); a && a.node.id !== fn?.id; below = a, a = a.up) around.unshift({ node: a.node, branch: this.branchAt(a, below) });
    for (const { node: p, branch: c } of around) {
      if (c) {
        const b = c.info.branches[c.branch];
        out = out.map((ctx) => extend(ctx, { branch: [c.info.node.id, c.branch], hint: this.caseHint(c.info, b) }));
        continue;
      }
      if (p.type !== 'for_statement') continue;
      const variable = this.loopVar.get(p.id);
      if (!variable) continue;
      const next: EvalContext[] = [];
      for (const ctx of out) {
        script.use(ctx);
        const items = this.loopItems(p, fn);
        if (!items) {
          unresolved ??= `for ${variable.name} in ${script.text.slice(p.childrenForFieldName('value')[0]?.startIndex ?? p.startIndex, p.childForFieldName('body')?.startIndex ?? p.endIndex).replace(/[;\s]+$/, '') || '"$@"'}: the items are known only at run time`;
          next.push(ctx);
          continue;
        }
        for (const item of items) {
          const hint = namesEnvironment(variable.name) ? { value: item, span: spanOf(p.childrenForFieldName('value')[0] ?? p), evidence: `for ${variable.name} in …: ${variable.name}=${item}` } : undefined;
          next.push(extend(ctx, { loop: [variable, item], label: `${variable.name}=${item}`, hint }));
        }
      }
      out = next;
      if (out.length > MAX_CONTEXTS) return { contexts: [NO_CONTEXT], unresolved: `more than ${MAX_CONTEXTS} combinations of loop items, branches and calls` };
    }
    // 3. Cases before the command (in an enclosing block, same function) whose branches set
    //    something or name the subject: once per branch that goes on to the command.
    for (const info of this.cases) {
      if (info.node.endIndex > cmd.startIndex || !isAncestor(info.parent, cmd)) continue;
      if (script.functionAt(info.node.startIndex) !== fn) continue;
      const viable = info.branches.map((b, i) => ({ b, i })).filter(({ b }) => !b.exits && (b.assigns || (info.subject && b.pattern)));
      if (viable.length < 2) continue;
      const next: EvalContext[] = [];
      for (const ctx of out) {
        for (const { b, i } of viable) {
          const label = info.subject && b.pattern ? `${info.subject}=${b.pattern.value}` : `${info.node.type === 'if_statement' ? 'if' : 'case'} branch ${i + 1}`;
          next.push(extend(ctx, { branch: [info.node.id, i], label, hint: this.caseHint(info, b) }));
        }
      }
      out = next;
      if (out.length > MAX_CONTEXTS) return { contexts: [NO_CONTEXT], unresolved: `more than ${MAX_CONTEXTS} combinations of loop items, branches and calls` };
    }
    script.use(NO_CONTEXT);
    return { contexts: out, unresolved };
  }

  private caseHint(info: CaseInfo, b: CaseBranch): EvalContext['hints'][number] | undefined {
    if (!info.subject || !b.pattern) return undefined;
    return { value: b.pattern.value, span: b.pattern.span, evidence: `case $${info.subject} branch ${b.pattern.value})` };
  }

  /** A loop's items under the current context; undefined when any is computed at run time. */
  private loopItems(loop: SyntaxNode, fn: FunctionDef | undefined): string[] | undefined {
    const script = this.script;
    const text = script.text;
    const values = loop.childrenForFieldName('value');
    const callArgs = (): string[] | undefined => {
      const call = fn ? script.context().calls.get(fn.id) : undefined;
      return call && call.args.every((a) => a !== undefined) ? (call.args as string[]) : undefined;
    };
    if (values.length === 0) return callArgs(); // `for x; do` walks "$@"
    const items: string[] = [];
    for (const v of values) {
      const inner = v.type === 'string' && v.namedChildren.length === 1 ? v.namedChildren[0]! : v;
      const raw = text.slice(inner.startIndex, inner.endIndex);
      const array = /^\$\{([A-Za-z_]\w*)\[[@*]\]\}$/.exec(raw);
      if (array) {
        const got = script.arrayItems(array[1], loop.startIndex);
        if (!got) return undefined;
        items.push(...got);
        continue;
      }
      // `"${!A[@]}"`: the keys of an associative array written whole.
      const keys = /^\$\{!([A-Za-z_]\w*)\[[@*]\]\}$/.exec(raw);
      if (keys) {
        const entries = script.assocEntries(keys[1], loop.startIndex);
        if (!entries) return undefined;
        items.push(...entries.map((x) => x.key));
        continue;
      }
      if (raw === '$@' || raw === '${@}') {
        const got = callArgs();
        if (!got) return undefined;
        items.push(...got);
        continue;
      }
      if (v.type === 'word' && GLOB.test(raw)) return undefined; // a file glob
      const w = script.word(v);
      if (w.dynamic || w.spread) return undefined;
      const quoted = v.type === 'string' || v.type === 'raw_string';
      items.push(...(quoted ? [w.value] : w.value.split(/[ \t\n]+/).filter(Boolean)));
    }
    return items;
  }
}

const spanOf = (n: SyntaxNode): Span => ({ start: n.startIndex, end: n.endIndex });

function extend(
  ctx: EvalContext,
  add: {
    loop?: [Assign, string];
    branch?: [number, number];
    calls?: [number, { args: (string | undefined)[]; at: number }][];
    label?: string;
    hint?: EvalContext['hints'][number];
  },
): EvalContext {
  const next: EvalContext = {
    loops: new Map(ctx.loops),
    branches: new Map(ctx.branches),
    calls: new Map(ctx.calls),
    labels: add.label ? [...ctx.labels, add.label] : ctx.labels,
    hints: add.hint ? [add.hint, ...ctx.hints] : ctx.hints,
  };
  if (add.loop) next.loops.set(add.loop[0], add.loop[1]);
  if (add.branch) next.branches.set(add.branch[0], add.branch[1]);
  for (const [id, call] of add.calls ?? []) next.calls.set(id, call);
  return next;
}
