/**
 * PowerShell scripts (`deploy.ps1`): `gcloud run deploy …` commands become DeployFacts through the
 * shared gcloud interpreter, and `docker build` / `gcloud builds submit` commands become
 * BuildFacts, as in a shell script. A command line handed to `cmd /c "…"` is read too.
 *
 * The reader keeps to what it can read exactly. PowerShell passes an unquoted `A=1,B=2` to a
 * native command as two arguments (the comma makes an array), and the grammar cannot read some
 * argument-mode words (`${Region}-docker.pkg.dev/…`); a command holding either is left unread,
 * and the file keeps its `unreadDeploy` mark so `--explain` still names it.
 *
 * The grammar also stops at `--flag=value` written bare (it expects PowerShell's `-Name:value`):
 * the `=` after such a parameter is read as a blank on a shadow of the text (same length, so every
 * offset stays the file's), and the two words are joined again into the one gcloud receives.
 */
import * as path from 'node:path';
import type { BuildFact, DeployFact, FileFacts, Insertion, Resolved, Span } from '../core/facts';
import { interpretGcloud, isGcloudWord, type Expansion, type Word } from './gcloud-args';
import { interpretBuild } from './build-args';
import { fromWorkingDir } from './shell-cwd';
import { namesCloudRunDeploy } from './unread-scripts';
import { namesEnvironment } from '../knowledge/environments';
import { Edit, powershellParserInstance, ParsersNotReady, type SyntaxNode, type Tree } from '../parsers/tree-sitter';

type Hints = DeployFact['environmentHints'];

/** Wrappers the grammar puts around a lone operand: a value is read through them. */
const WRAPPERS = new Set([
  'pipeline', 'pipeline_chain', 'logical_expression', 'bitwise_expression', 'comparison_expression', 'additive_expression',
  'multiplicative_expression', 'format_expression', 'range_expression', 'array_literal_expression', 'unary_expression',
  'left_assignment_expression', 'script_parameter_default', 'parenthesized_expression', 'string_literal', 'path_command_name',
]);
/** Blocks an assignment may sit in that do not always run (or run later, a function's body). */
const CONDITIONAL = new Set(['if_statement', 'elseif_clause', 'else_clause', 'switch_statement', 'while_statement', 'do_statement',
  'for_statement', 'foreach_statement', 'try_statement', 'catch_clause', 'finally_clause', 'function_statement', 'script_block_expression', 'trap_statement']);
const LOCATION_COMMANDS = new Set(['set-location', 'cd', 'sl', 'chdir', 'push-location', 'pushd']);
/** Commands that print their arguments. */
const PRINTING = /^(write-host|write-output|write-information|write-verbose|write-warning|write-error|write-debug|echo|write)$/i;
const MAX_DEPTH = 8;
/** Repairs of bare `--flag=value` per file; a script with more is read up to there. */
const MAX_REPAIRS = 400;

interface Assignment {
  /** Lower case: PowerShell's names are caseless. `env:name` for the environment drive. */
  name: string;
  node: SyntaxNode;
  /** The assigned value's node (after the wrappers), or null when it is no value we read. */
  value: SyntaxNode | null;
  /** Written in a script's `param(...)`: the value when the caller passes none. */
  param?: true;
  /** Inside a branch, loop or function: it may not have run at a later use. */
  conditional: boolean;
}

interface Built extends Word {
  /** An element the reader cannot read exactly (a comma array, glued words, a parse error). */
  unreadable?: true;
}

/** Reads gcloud deploys and image builds from a PowerShell script. */
export function extractPowerShell(text: string, facts: FileFacts): void {
  // `& $gcloudPath run deploy …` names gcloud only where the path is assigned.
  const deploys = /gcloud/i.test(text) && /\brun\b/i.test(text);
  const builds = /\bdocker\b|\bpodman\b|\bbuilds\b/i.test(text);
  if (!deploys && !builds) return;
  let tree: Tree | undefined;
  try {
    const { tree: parsed, shadow, joined } = repairedTree(text);
    tree = parsed;
    const script = new PsScript(text, shadow, joined, tree.rootNode, facts.file);
    const read = script.read(facts);
    // What could not be read stays listed by `--explain`, as before this reader.
    if (read.unread || (read.deploys === 0 && namesCloudRunDeploy(script.unprinted()))) facts.unreadDeploy = true;
  } catch (err) {
    if (err instanceof ParsersNotReady) throw err;
    facts.problems.push({ message: `could not analyse this PowerShell script: ${(err as Error).message}` });
    if (namesCloudRunDeploy(text)) facts.unreadDeploy = true;
  } finally {
    tree?.delete();
  }
}

/** Whether the grammar reads `text` without an error (a bare `--flag=value` read as gcloud gets it). */
export function powershellParsesWhole(text: string): boolean {
  const { tree } = repairedTree(text);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

/** Parses `text`, reading a bare `--flag=` as `--flag ` (see the module comment): the tree, the
 * shadow it was parsed from, and the offsets of the `=` so read. */
function repairedTree(text: string): { tree: Tree; shadow: string; joined: Set<number> } {
  const parser = powershellParserInstance();
  let shadow = text;
  const joined = new Set<number>();
  let tree = parser.parse(shadow);
  if (!tree) throw new Error('tree-sitter returned no tree');
  let from = 0;
  for (let n = 0; n < MAX_REPAIRS; n++) {
    const at = bareFlagEquals(tree.rootNode, shadow, from);
    if (at < 0) break;
    joined.add(at);
    from = at;
    shadow = shadow.slice(0, at) + ' ' + shadow.slice(at + 1);
    const pos = pointAt(shadow, at);
    const after = { row: pos.row, column: pos.column + 1 };
    tree.edit(new Edit({ startIndex: at, oldEndIndex: at + 1, newEndIndex: at + 1, startPosition: pos, oldEndPosition: after, newEndPosition: after }));
    const next = parser.parse(shadow, tree);
    tree.delete();
    if (!next) throw new Error('tree-sitter returned no tree');
    tree = next;
  }
  return { tree, shadow, joined };
}

/** The offset of the first `=` right after a `--flag` parameter, at or after `from` (the text
 * before the last repair is read already), or -1. */
function bareFlagEquals(root: SyntaxNode, shadow: string, from: number): number {
  const stack: SyntaxNode[] = [root];
  let best = -1;
  while (stack.length) {
    const n = stack.pop()!;
    if ((best >= 0 && n.startIndex > best) || n.endIndex < from) continue;
    if (n.type === 'command_parameter' && shadow[n.endIndex] === '=' && shadow.startsWith('--', n.startIndex)) {
      if (best < 0 || n.endIndex < best) best = n.endIndex;
      continue;
    }
    for (let i = n.childCount - 1; i >= 0; i--) {
      const c = n.child(i);
      if (c) stack.push(c);
    }
  }
  return best;
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** A variable node's name as a key: lower case, scope prefix dropped, `env:` kept. */
function variableKey(written: string): string | undefined {
  let s = written.replace(/^[$@]/, '');
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  s = s.toLowerCase().replace(/^(script|global|local|private|using):/, '');
  return /^(env:)?[\w?]+$/.test(s) ? s : undefined;
}

/** Descends the wrappers around a lone operand. */
function operand(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (WRAPPERS.has(n.type) && n.namedChildCount === 1 && n.namedChild(0)) n = n.namedChild(0)!;
  return n;
}

class PsScript {
  private readonly assigns = new Map<string, Assignment[]>();
  private readonly commands: SyntaxNode[] = [];
  private readonly locations: { at: number; dir: string | undefined; fromRoot: boolean; push: boolean; pop: boolean }[] = [];
  private readonly stack = new Set<Assignment>();
  private readonly printed: Span[] = [];

  constructor(
    readonly text: string,
    private readonly shadow: string,
    private readonly joined: Set<number>,
    root: SyntaxNode,
    private readonly file: string,
  ) {
    this.collect(root);
  }

  /** The text without its comments and what it prints (`Write-Host "… gcloud run deploy …"`):
   * where a deploy named is one meant to run. */
  unprinted(): string {
    let out = this.text;
    for (const s of this.printed) out = out.slice(0, s.start) + ' '.repeat(s.end - s.start) + out.slice(s.end);
    return out;
  }

  private collect(root: SyntaxNode): void {
    const stack: SyntaxNode[] = [root];
    const topParams = root.namedChildren.find((c) => c?.type === 'param_block');
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'assignment_expression') this.addAssignment(n);
      else if (n.type === 'script_parameter' && topParams && n.startIndex >= topParams.startIndex && n.endIndex <= topParams.endIndex) this.addParam(n);
      else if (n.type === 'command') {
        this.commands.push(n);
        if (PRINTING.test(this.text.slice(n.startIndex, n.endIndex).split(/\s/, 1)[0]!)) this.printed.push(span(n));
      } else if (n.type === 'comment') this.printed.push(span(n));
      for (let i = n.namedChildCount - 1; i >= 0; i--) {
        const c = n.namedChild(i);
        if (c) stack.push(c);
      }
    }
    this.commands.sort((a, b) => a.startIndex - b.startIndex);
  }

  private addAssignment(n: SyntaxNode): void {
    const left = n.namedChildren.find((c) => c?.type === 'left_assignment_expression');
    const op = n.namedChildren.find((c) => c?.type === 'assignement_operator');
    const right = n.namedChildren.find((c, i) => i > 0 && c?.type === 'pipeline');
    if (!left) return;
    const target = operand(left);
    if (target.type !== 'variable') return;
    const name = variableKey(this.text.slice(target.startIndex, target.endIndex));
    if (!name) return;
    const plain = op ? this.text.slice(op.startIndex, op.endIndex) === '=' : false;
    this.push({ name, node: n, value: plain && right ? operand(right) : null, conditional: conditional(n) });
  }

  private addParam(n: SyntaxNode): void {
    const v = n.namedChildren.find((c) => c?.type === 'variable');
    const d = n.namedChildren.find((c) => c?.type === 'script_parameter_default');
    const name = v ? variableKey(this.text.slice(v.startIndex, v.endIndex)) : undefined;
    if (!name) return;
    this.push({ name, node: n, value: d ? operand(d) : null, param: true, conditional: false });
  }

  private push(a: Assignment): void {
    const list = this.assigns.get(a.name);
    if (list) list.push(a);
    else this.assigns.set(a.name, [a]);
  }

  /** The assignment `name` holds at `pos`, when one surely does; null when it may hold several. */
  private visible(name: string, pos: number): Assignment | null | undefined {
    const before = (this.assigns.get(name) ?? []).filter((a) => a.node.endIndex <= pos).sort((a, b) => a.node.startIndex - b.node.startIndex);
    for (let i = before.length - 1; i >= 0; i--) {
      const a = before[i]!;
      if (!a.conditional || encloses(enclosingBlock(a.node), pos)) return i === before.length - 1 ? a : null;
    }
    return before.length ? null : undefined;
  }

  read(facts: FileFacts): { deploys: number; unread: boolean } {
    let deploys = 0;
    let unread = false;
    const hints = this.environmentHints();
    for (const cmd of this.commands) {
      const name = this.commandName(cmd);
      if (name === undefined) continue;
      this.trackLocation(cmd, name);
      let words: Built[] | undefined;
      const viaCmd = name === 'cmd';
      if (viaCmd) words = this.cmdLine(cmd);
      else if (/(^|\/)(gcloud|docker|podman)$/.test(name)) words = this.words(cmd, name);
      if (!words?.length) continue;
      const start = words.findIndex((w, i) => i < 2 && /(^|\/)(gcloud|docker|podman)$/.test(w.value));
      if (start < 0) continue;
      const isDeploy = isGcloudWord(words[start]) && namesCloudRunDeploy(words.slice(start).map((w) => w.value).join(' '));
      if (words.some((w) => w.unreadable)) {
        if (isDeploy) unread = true;
        continue;
      }
      const dir = this.locationAt(cmd.startIndex);
      if (isDeploy) {
        const fact = interpretGcloud(words, start, { via: 'powershell' });
        if (!fact) continue;
        fact.source = fromWorkingDir(fact.source, dir);
        fact.environmentHints = [...hints, ...fact.environmentHints];
        if (viaCmd) {
          // Text inside cmd's string is quoted twice over (PowerShell's, then cmd's): no fix writes there.
          for (const b of fact.blocks) delete b.insert;
        } else {
          for (const b of fact.blocks) if (b.insert) b.insert.dialect = 'powershell';
          if (!fact.blocks.some((b) => b.kind === 'env') && !fact.envFiles.length) fact.newEnvBlock = this.newFlag(cmd, words, 'gcloud-flag-env');
          if (!fact.blocks.some((b) => b.kind === 'secrets')) fact.newSecretBlock = this.newFlag(cmd, words, 'gcloud-flag-secret');
        }
        facts.deploys.push(fact);
        deploys++;
        continue;
      }
      const build: BuildFact | undefined = interpretBuild(words, start, 'powershell');
      if (!build) continue;
      if (dir !== undefined) {
        build.context = fromWorkingDir(slashed(build.context ?? { value: '.', text: '.', span: build.span }), dir);
        build.dockerfile = fromWorkingDir(slashed(build.dockerfile), dir);
      }
      facts.builds.push(build);
    }
    return { deploys, unread };
  }

  /** A command's name, lower case, path separators as `/`, `.exe`/`.cmd`/`.ps1` dropped; a
   * variable holding a path (`& $gcloudPath`) is read. */
  private commandName(cmd: SyntaxNode): string | undefined {
    const named = cmd.namedChildren.find((c) => c?.type === 'command_name' || c?.type === 'command_name_expr');
    if (!named) return undefined;
    let written: string | undefined;
    const inner = named.type === 'command_name_expr' ? named.namedChild(0) : null;
    if (inner && inner.type !== 'command_name') {
      const w = this.word(inner, 0);
      if (w.dynamic || w.unreadable) return undefined;
      written = w.value;
    } else written = this.text.slice(named.startIndex, named.endIndex);
    // `C:\Program Files\…\gcloud.cmd` is gcloud, as `/usr/bin/gcloud` is.
    return path.posix.basename(written.replace(/\\/g, '/').replace(/^["']|["']$/g, '')).toLowerCase().replace(/\.(exe|cmd|ps1|bat)$/, '');
  }

  /** `Set-Location backend`, `Push-Location`/`Pop-Location` at the script's top level. */
  private trackLocation(cmd: SyntaxNode, name: string): void {
    const top = !conditional(cmd);
    if (!top) return;
    if (name === 'pop-location' || name === 'popd') {
      this.locations.push({ at: cmd.endIndex, dir: undefined, fromRoot: false, push: false, pop: true });
      return;
    }
    if (!LOCATION_COMMANDS.has(name)) return;
    const words = this.words(cmd, name);
    const arg = words?.slice(1).find((w) => !w.value.startsWith('-'));
    let dir: string | undefined;
    let fromRoot = false;
    if (arg && !arg.dynamic && !arg.unreadable) dir = arg.value.replace(/\\/g, '/');
    else if (arg?.value.toLowerCase() === '$psscriptroot') {
      // The script's own folder, named from the workspace root.
      const own = path.posix.dirname(this.file);
      dir = own === '.' ? '' : own;
      fromRoot = true;
    }
    this.locations.push({ at: cmd.endIndex, dir, fromRoot, push: name === 'push-location' || name === 'pushd', pop: false });
  }

  /** The folder a command at `pos` runs in, from the workspace root, where the script says; the
   * folder it is started in is taken as the root, as for a shell script. */
  private locationAt(pos: number): string | undefined {
    const dirs: (string | undefined)[] = [''];
    for (const l of this.locations) {
      if (l.at > pos) break;
      if (l.pop) {
        if (dirs.length > 1) dirs.pop();
        continue;
      }
      const here = dirs[dirs.length - 1];
      const next = l.fromRoot ? l.dir
        : l.dir === undefined || here === undefined || l.dir.startsWith('/') || /^[a-z]:/i.test(l.dir) ? undefined
        : path.posix.normalize(path.posix.join(here, l.dir));
      if (l.push) dirs.push(next);
      else dirs[dirs.length - 1] = next;
    }
    const d = dirs[dirs.length - 1];
    return d === '' ? undefined : d === '.' ? undefined : d;
  }

  /** Top-level `$Environment = "staging"`-style assignments: the environment the deploys go to. */
  private environmentHints(): Hints {
    const out: Hints = [];
    for (const [name, list] of this.assigns) {
      if (name.startsWith('env:') || !namesEnvironment(name.toUpperCase())) continue;
      const a = list.length === 1 ? list[0]! : undefined;
      if (!a || a.conditional || !a.value) continue;
      const w = this.word(a.value, 0);
      if (w.dynamic || w.unreadable || !/^[A-Za-z][\w-]*$/.test(w.value)) continue;
      const span = w.offsets ? { start: w.offsets[0]!, end: w.offsets[w.value.length]! } : w.span;
      out.push({ value: w.value, span, evidence: `$${name}=${w.value} in script` });
    }
    return out;
  }

  /** The words of a command: its name, then its arguments. */
  private words(cmd: SyntaxNode, name: string): Built[] | undefined {
    const named = cmd.namedChildren.find((c) => c?.type === 'command_name' || c?.type === 'command_name_expr')!;
    const out: Built[] = [{ value: name, span: span(named), offsets: null, dynamic: false }];
    if (cmd.hasError) out[0]!.unreadable = true;
    const elements = cmd.namedChildren.find((c) => c?.type === 'command_elements');
    if (!elements) return out;
    const kids = elements.namedChildren.filter((c): c is SyntaxNode => !!c);
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.type === 'command_argument_sep') {
        // Two words with nothing between (`A=1` `,B=2`: a comma array) are no word we read.
        const sep = this.shadow.slice(k.startIndex, k.endIndex);
        if (!/\s/.test(sep)) out.push(unreadable(k));
        continue;
      }
      if (k.type === 'ERROR' || k.type === 'redirection' || k.type === 'file_redirection') {
        if (k.type === 'ERROR') out.push(unreadable(k));
        continue;
      }
      if (k.type === 'command_parameter' && this.joined.has(k.endIndex)) {
        // `--flag=value`: the parameter, its `=` and the value after it, as gcloud gets them.
        const next = kids[i + 1]?.type === 'command_argument_sep' && kids[i + 1]!.startIndex === k.endIndex ? kids[i + 2] : undefined;
        const flag = this.word(k, 0);
        if (next && next.startIndex === k.endIndex + 1 && next.type !== 'command_parameter' && next.type !== 'command_argument_sep') {
          out.push(joinWords(flag, this.word(next, 0), k.endIndex));
          i += 2;
        } else out.push(joinWords(flag, { value: '', span: { start: k.endIndex + 1, end: k.endIndex + 1 }, offsets: [k.endIndex + 1], dynamic: false }, k.endIndex));
        continue;
      }
      const v = operand(k);
      if (v.type === 'variable' && this.text[v.startIndex] === '@') {
        // `gcloud @deployArgs`: the array's elements, one argument each.
        const items = this.arrayItems(v);
        if (!items) out.push({ ...this.word(v, 0), dynamic: true });
        else out.push(...items);
        continue;
      }
      out.push(this.word(k, 0));
    }
    return out;
  }

  /** The elements of the array a splatted `@name` holds, when one surely does. */
  private arrayItems(v: SyntaxNode): Built[] | undefined {
    const name = variableKey(this.text.slice(v.startIndex, v.endIndex));
    const a = name ? this.visible(name, v.startIndex) : undefined;
    if (!a?.value) return undefined;
    const items = this.elements(a.value);
    return items?.map((n) => this.word(n, 1));
  }

  /** The element nodes of `@(a, b)` / `a, b` / `@(\n a\n b\n)`. */
  private elements(node: SyntaxNode): SyntaxNode[] | undefined {
    let n = node;
    if (n.type === 'array_expression') {
      const list = n.namedChildren.find((c) => c?.type === 'statement_list');
      if (!list) return [];
      const out: SyntaxNode[] = [];
      for (const p of list.namedChildren) {
        if (!p) continue;
        const inner = this.elements(operandKeepingArray(p));
        if (!inner) return undefined;
        out.push(...inner);
      }
      return out;
    }
    n = operandKeepingArray(n);
    if (n.type === 'array_literal_expression') return n.namedChildren.filter((c): c is SyntaxNode => !!c);
    return [n];
  }

  /** `cmd /c "gcloud run deploy …"`: the string as PowerShell fills it in, split as cmd does. */
  private cmdLine(cmd: SyntaxNode): Built[] | undefined {
    const elements = cmd.namedChildren.find((c) => c?.type === 'command_elements');
    const args = elements?.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'command_argument_sep') ?? [];
    if (args.length !== 2 || !/^[/-]c$/i.test(this.text.slice(args[0]!.startIndex, args[0]!.endIndex))) return undefined;
    const line = this.word(args[1]!, 0);
    if (line.unreadable) return [unreadable(args[1]!)];
    return splitCmdLine(line);
  }

  /** The Word for one argument node. */
  word(node: SyntaxNode, depth: number): Built {
    const n = operand(node);
    const s = span(node);
    const written = this.text.slice(n.startIndex, n.endIndex);
    // An expression (`($vars -join ",")`, `$(…)`, `$cfg.Name`): its text is no value, and holds
    // no list entries of its own.
    const asWritten = (): Built => ({ value: written, span: s, offsets: null, dynamic: true, expression: true });
    if (depth > MAX_DEPTH || n.hasError) return { ...asWritten(), unreadable: true };
    switch (n.type) {
      case 'command_parameter':
      case 'decimal_integer_literal':
      case 'integer_literal':
        return { value: written, span: s, offsets: offsetsOf(n.startIndex, written.length), dynamic: false };
      case 'generic_token':
        return this.expandable(n, n.startIndex, n.endIndex, undefined, depth);
      case 'expandable_string_literal':
        return { ...this.expandable(n, n.startIndex + 1, n.endIndex - 1, '"', depth), span: s };
      case 'verbatim_string_characters': {
        const acc = new Acc();
        for (let i = n.startIndex + 1; i < n.endIndex - 1; i++) {
          acc.push(this.text[i]!, i);
          if (this.text[i] === "'" && this.text[i + 1] === "'") { i++; acc.exact = false; }
        }
        return acc.word(s, n.endIndex - 1, "'");
      }
      case 'variable': {
        const acc = new Acc();
        this.expand(n, acc, depth);
        return acc.word(s, n.endIndex, undefined, written);
      }
      default:
        return n.type === 'array_literal_expression' && n.namedChildCount > 1 ? { ...asWritten(), unreadable: true } : asWritten();
    }
  }

  /** The text of a double-quoted string or a bare word, from `from` to `to`, with its variables
   * filled in and its backtick escapes applied. */
  private expandable(n: SyntaxNode, from: number, to: number, quote: '"' | undefined, depth: number): Built {
    const acc = new Acc();
    const parts = n.namedChildren.filter((c): c is SyntaxNode => !!c && (c.type === 'variable' || c.type === 'sub_expression'));
    let k = 0;
    for (let i = from; i < to; i++) {
      const part = parts[k];
      if (part && part.startIndex === i) {
        if (part.type === 'variable') this.expand(part, acc, depth);
        else acc.dynamicText(this.text.slice(part.startIndex, part.endIndex), i);
        i = part.endIndex - 1;
        k++;
        continue;
      }
      const c = this.text[i]!;
      // An escape stands where it is written (`\`"`, `""`), as a shell's `\"` does: spans over the
      // value stay the source's. A control character (`\`n`) has no text of its own to point at.
      if (c === '`' && i + 1 < to) {
        const e = this.text[i + 1]!;
        const control = e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : undefined;
        if (e !== '\n' && e !== '\r') acc.push(control ?? e, i);
        if (control) acc.exact = false;
        i++;
        continue;
      }
      if (quote === '"' && c === '"' && this.text[i + 1] === '"') {
        acc.push('"', i);
        i++;
        continue;
      }
      if (quote === undefined && c === '$') {
        // A bare word's own `$name` (the grammar gives no node for it).
        const m = /^\$(\{[^}]+\}|(?:env:)?[A-Za-z_]\w*)/i.exec(this.text.slice(i, to));
        if (m) {
          this.expandName(m[0], i, acc, depth);
          i += m[0].length - 1;
          continue;
        }
        if (this.text[i + 1] === '(') {
          acc.dynamicText(this.text.slice(i, to), i);
          break;
        }
      }
      acc.push(c, i);
    }
    return acc.word(span(n), to, quote);
  }

  private expand(v: SyntaxNode, acc: Acc, depth: number): void {
    this.expandName(this.text.slice(v.startIndex, v.endIndex), v.startIndex, acc, depth);
  }

  /** `$name` written at `start`: its value where the script surely sets one. */
  private expandName(written: string, start: number, acc: Acc, depth: number): void {
    const name = variableKey(written);
    const a = name ? this.visible(name, start) : undefined;
    if (!a || !a.value || this.stack.has(a)) {
      acc.dynamicText(written, start);
      return;
    }
    this.stack.add(a);
    const w = this.word(a.value, depth + 1);
    this.stack.delete(a);
    if (w.dynamic || w.unreadable) {
      acc.dynamicText(written, start);
      return;
    }
    const from = acc.value.length;
    for (const ch of w.value) acc.push(ch, start);
    if (/[,=\s]/.test(w.value)) acc.exact = false;
    if (w.value.length) {
      const at = { start: a.node.startIndex, end: a.node.endIndex };
      const x: Expansion = { from, to: from + w.value.length, name: written.replace(/^\$\{?|\}$/g, ''), at };
      // A script parameter's default is what runs when the caller passes none.
      if (a.param) x.callerDefault = { name: x.name, at };
      acc.expansions.push(x);
    }
  }

  /** Where a new `--update-env-vars=…` word goes: after the command's last word, on a line of its
   * own (continued with a backtick) when the command spans lines. */
  private newFlag(cmd: SyntaxNode, words: Built[], format: Insertion['format']): Insertion {
    const last = words[words.length - 1]!;
    const offset = last.span.end;
    let before = ' ';
    if (this.text.slice(cmd.startIndex, offset).includes('\n')) {
      const lineStart = this.text.lastIndexOf('\n', last.span.start - 1) + 1;
      const indent = /^[ \t]*/.exec(this.text.slice(lineStart))![0];
      before = ` \`\n${indent}`;
    }
    return { offset, before, after: '', format, dialect: 'powershell' };
  }
}

class Acc {
  value = '';
  offs: number[] = [];
  exact = true;
  dynamic = false;
  expansions: Expansion[] = [];
  push(ch: string, off: number): void {
    this.value += ch;
    this.offs.push(off);
  }
  /** Text whose value is unseen (`$env:KEY`, `$(…)`), kept as written where it is written. */
  dynamicText(written: string, at: number): void {
    for (let k = 0; k < written.length; k++) this.push(written[k]!, at + k);
    this.dynamic = true;
  }
  word(s: Span, end: number, quote?: '"' | "'", source?: string): Built {
    const w: Built = { value: this.value, span: s, offsets: this.exact ? [...this.offs, end] : null, dynamic: this.dynamic };
    if (quote && this.exact) w.quote = quote;
    if (this.expansions.length) w.expansions = this.expansions;
    if (source && !this.dynamic && this.expansions.length === 1) w.source = source;
    return w;
  }
}

function span(n: SyntaxNode): Span {
  return { start: n.startIndex, end: n.endIndex };
}

function offsetsOf(start: number, length: number): number[] {
  return Array.from({ length: length + 1 }, (_, k) => start + k);
}

function unreadable(n: SyntaxNode): Built {
  return { value: '', span: span(n), offsets: null, dynamic: true, unreadable: true };
}

/** `--flag` and its value, with the `=` at `eq` between them: one word, as gcloud receives it. */
function joinWords(flag: Built, value: Built, eq: number): Built {
  const offsets = flag.offsets && value.offsets ? [...flag.offsets.slice(0, -1), eq, ...value.offsets] : null;
  const w: Built = { value: `${flag.value}=${value.value}`, span: { start: flag.span.start, end: Math.max(value.span.end, eq + 1) }, offsets, dynamic: value.dynamic };
  if (value.unreadable) w.unreadable = true;
  if (value.quote) w.quote = value.quote;
  const shift = flag.value.length + 1;
  if (value.expansions) w.expansions = value.expansions.map((x) => ({ ...x, from: x.from + shift, to: x.to + shift }));
  return w;
}

/** A Windows path (`backend\\Dockerfile`) with `/` between its parts, as the workspace names files. */
function slashed(r: Resolved | undefined): Resolved | undefined {
  return r?.value === undefined ? r : { ...r, value: r.value.replace(/\\/g, '/') };
}

/** A command line split into words at blanks, double quotes grouping, as cmd hands it on. */
function splitCmdLine(line: Built): Built[] {
  const out: Built[] = [];
  let cur: { value: string; offs: number[]; end: number } | undefined;
  let quoted = false;
  const at = (i: number): number => line.offsets?.[i] ?? line.span.start;
  // A word ends after its last character: a closing quote cmd drops is not part of it.
  const flush = (): void => {
    if (!cur) return;
    const exact = !!line.offsets;
    out.push({ value: cur.value, span: { start: cur.offs[0] ?? cur.end, end: cur.end }, offsets: exact ? [...cur.offs, cur.end] : null, dynamic: line.dynamic && /\$/.test(cur.value) });
    cur = undefined;
  };
  for (let i = 0; i < line.value.length; i++) {
    const c = line.value[i]!;
    if (c === '"') { quoted = !quoted; cur ??= { value: '', offs: [], end: at(i) }; continue; }
    if (!quoted && /\s/.test(c)) { flush(); continue; }
    cur ??= { value: '', offs: [], end: at(i) };
    cur.value += c;
    cur.offs.push(at(i));
    cur.end = at(i + 1);
  }
  flush();
  // Expansions stay with the words they fall in, for a finding about the value's origin.
  if (line.expansions) {
    let pos = 0;
    for (const w of out) {
      const from = line.value.indexOf(w.value, pos);
      if (from < 0) continue;
      pos = from + w.value.length;
      const inside = line.expansions.filter((x) => x.from >= from && x.to <= pos).map((x) => ({ ...x, from: x.from - from, to: x.to - from }));
      if (inside.length) w.expansions = inside;
    }
  }
  return out;
}

/** The node kept when it is an array (`a, b`), else the lone operand. */
function operandKeepingArray(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (WRAPPERS.has(n.type) && n.namedChildCount === 1 && n.namedChild(0) && n.type !== 'array_literal_expression') n = n.namedChild(0)!;
  if (n.type === 'array_literal_expression' && n.namedChildCount === 1) return operandKeepingArray(n.namedChild(0)!);
  if (n.type === 'unary_expression' && n.namedChild(0)?.type === 'array_expression') return n.namedChild(0)!;
  return n;
}

function conditional(n: SyntaxNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (CONDITIONAL.has(p.type)) return true;
  return false;
}

function enclosingBlock(n: SyntaxNode): SyntaxNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'statement_block' || p.type === 'script_block') return p;
  return null;
}

function encloses(block: SyntaxNode | null, pos: number): boolean {
  return !block || (block.startIndex <= pos && pos < block.endIndex);
}
