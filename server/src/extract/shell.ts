/**
 * Shell scripts: `gcloud run deploy|services update|jobs deploy …` commands become DeployFacts
 * (through the shared gcloud interpreter), Postgres URLs in assignments become DbUrlFacts.
 *
 * Also used for GitHub Actions `run:` blocks and Cloud Build `bash -c` scripts: the YAML extractor
 * passes a "shadow" of the YAML file in which everything outside the script is blanked with
 * spaces, so every offset here is an offset into the YAML file.
 *
 * Arguments are turned into `Word`s: the unquoted value, with `$VAR` / `${VAR}` / `${VAR:-d}`
 * resolved from assignments earlier in the script, and a map from each value character back to
 * the source.
 */
import type { BuildFact, DeployFact, FileFacts, Insertion, Span } from '../core/facts';
import { interpretGcloud, interpretSecretFromStdin, isGcloudWord, type Word } from './gcloud-args';
import { findDbUrls } from './db-url';
import { withBashTree, query, ParsersNotReady, type SyntaxNode } from '../parsers/tree-sitter';
import { namesEnvironment } from '../knowledge/environments';
import { shadowText } from './shadow-text';
import { interpretBuild } from './build-args';

export interface ShellOptions {
  via: DeployFact['via'];
  environmentHints?: DeployFact['environmentHints'];
  /** Values known from outside the script (a workflow's `env:`), used for names the script does
   * not assign itself. `undefined` means set, but to something we can't see. */
  variables?: Record<string, string | undefined>;
  /** How deep in quoted command strings this script sits (bounded: a string of strings of …). */
  depth?: number;
}

/** Commands (and the usual logging helpers) that print their arguments rather than run them. */
const PRINTING_COMMANDS = /^(echo|printf|cat|log\w*|info|warn\w*|error|debug|note|say|die|fail|fatal|msg|print\w*)$/;
/** Commands that run their arguments as a command (`sudo gcloud …`). */
const PREFIX_COMMANDS = new Set(['sudo', 'env', 'time', 'nice', 'nohup', 'exec', 'command', 'timeout', 'xargs']);
/** Assignments that name the environment the script deploys to. */
/** gcloud flags that take no value, so a word after them is a word of its own. */
const BOOLEAN_FLAGS = new Set([
  '--allow-unauthenticated', '--quiet', '--async', '--cpu-boost', '--cpu-throttling', '--use-http2',
  '--session-affinity', '--execute-now', '--wait', '--clear-env-vars', '--clear-secrets', '--default-url',
  '--invoker-iam-check', '--clear-vpc-connector', '--clear-labels', '--clear-network',
]);
const DEPLOY_VERBS = new Set(['deploy', 'update', 'create']);
const GH_EXPR = /\$\{\{[\s\S]*?\}\}/g;
const MAX_DEPTH = 24;

const SHELL_QUERY = `
(command) @cmd
(variable_assignment) @assign
(for_statement variable: (variable_name) @forvar)
`;

interface Assign {
  name: string;
  /** The assignment takes effect from here on. */
  end: number;
  node: SyntaxNode;
  /** The value node; absent for `X=` (empty) and loop variables (`dynamic`). */
  value: SyntaxNode | null;
  append: boolean;
  /** A loop variable or an array: set, to something we can't see. */
  dynamic: boolean;
  topLevel: boolean;
  resolved?: { value?: string };
  resolving?: boolean;
}

interface BuiltWord extends Word {
  /** An unquoted whole-word expansion left unresolved (`$EXTRA_FLAGS`): may be several words. */
  bare?: boolean;
  /** `"$@"`, `${ARGS[@]}`: certainly several words. */
  spread?: boolean;
}

/** Accumulates a word's value with the source offset of each character. */
class Acc {
  value = '';
  offs: number[] = [];
  end = -1;
  exact = true;
  dynamic = false;
  spread = false;
  push(ch: string, off: number): void {
    this.value += ch;
    for (let k = 0; k < ch.length; k++) this.offs.push(off);
  }
}

class Script {
  private readonly assigns: Assign[] = [];
  private readonly byName = new Map<string, Assign[]>();

  constructor(
    readonly text: string,
    readonly masks: Span[],
    readonly opts: ShellOptions,
  ) {}

  addAssign(a: Assign): void {
    this.assigns.push(a);
    let list = this.byName.get(a.name);
    if (!list) this.byName.set(a.name, (list = []));
    list.push(a);
  }

  allAssigns(): readonly Assign[] {
    return this.assigns;
  }

  private masked(start: number, end: number): boolean {
    for (const m of this.masks) if (m.start < end && m.end > start) return true;
    return false;
  }

  /** The value of `name` at `pos`: known (value undefined = dynamic) or never assigned. */
  lookup(name: string, pos: number, depth: number): { known: boolean; value?: string } {
    if (/^[0-9]+$/.test(name)) return { known: true };
    const list = this.byName.get(name);
    if (list) {
      for (let k = list.length - 1; k >= 0; k--) {
        if (list[k].end <= pos) return { known: true, value: this.assignValue(list[k], depth + 1) };
      }
    }
    const vars = this.opts.variables;
    if (vars && Object.prototype.hasOwnProperty.call(vars, name)) return { known: true, value: vars[name] };
    return { known: false };
  }

  assignValue(a: Assign, depth: number): string | undefined {
    if (a.resolved) return a.resolved.value;
    if (a.dynamic || a.resolving || depth > MAX_DEPTH) return undefined;
    a.resolving = true;
    let value: string | undefined;
    if (!a.value) value = '';
    else {
      const w = this.word(a.value, depth);
      value = w.dynamic ? undefined : w.value;
    }
    if (a.append && value !== undefined) {
      const prev = this.lookup(a.name, a.node.startIndex, depth);
      value = prev.known && prev.value === undefined ? undefined : (prev.value ?? '') + value;
    }
    a.resolving = false;
    a.resolved = { value };
    return value;
  }

  /** Builds the Word for one argument node. */
  word(node: SyntaxNode, depth = 0): BuiltWord {
    const acc = new Acc();
    this.add(node, acc, false, depth);
    const start = node.startIndex;
    const end = node.endIndex;
    if (acc.end < 0) acc.end = end;
    if (this.masks.length > 0 && this.masked(start, end)) acc.dynamic = true;
    const w: BuiltWord = {
      value: acc.value,
      span: { start, end },
      offsets: acc.exact ? [...acc.offs, acc.end] : null,
      dynamic: acc.dynamic,
    };
    if (acc.spread) w.spread = true;
    const quote = quoteOf(node);
    if (quote && acc.exact) w.quote = quote;
    const only = node.type === 'string' && node.namedChildren.length === 1 ? node.namedChildren[0] : node;
    if (!acc.dynamic && only && (only.type === 'simple_expansion' || only.type === 'expansion') && only.endIndex - only.startIndex >= end - start - 2) w.source = this.text.slice(only.startIndex, only.endIndex);
    return w;
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
        const close = e - 1 > s && t[e - 1] === "'" ? e - 1 : e;
        for (let i = s + 1; i < close; i++) acc.push(t[i], i);
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
          } else acc.push(t[i], i);
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
      default:
        // Command and process substitutions, arithmetic, anything unknown: dynamic, as written.
        this.rawText(s, e, acc);
        acc.dynamic = true;
        acc.end = e;
        return;
    }
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
    if (!nameNode) return asWritten();
    const name = this.text.slice(nameNode.startIndex, nameNode.endIndex);
    if (nameNode.type === 'special_variable_name' || /^[0-9]+$/.test(name)) {
      if (name === '@' || name === '*') acc.spread = true;
      return asWritten();
    }
    const isDefault = op === ':-' || op === '-' || op === ':=' || op === '=';
    if (op !== undefined && !isDefault) return asWritten();
    const found = this.lookup(name, s, depth);
    let useDefault = false;
    if (found.known) {
      if (found.value === undefined) return asWritten();
      if (op !== undefined && op.startsWith(':') && found.value === '') useDefault = true;
    } else if (isDefault) useDefault = true;
    else return asWritten();
    let value = found.value ?? '';
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
    for (const ch of value) acc.push(ch, s);
    // The value stands for the whole expansion (a default too: an insertion at the end of the
    // value must land after the `}`). Spans that begin or end inside it can't be mapped, so give
    // up the map when a list delimiter or a space could split it.
    if (/[,=\s]/.test(value)) acc.exact = false;
    acc.end = e;
  }

  private rawText(start: number, end: number, acc: Acc): void {
    for (let i = start; i < end; i++) acc.push(this.text[i], i);
    acc.end = end;
  }

  /** Unquoted text: `\x` is `x`, `\`+newline disappears. */
  private bareText(start: number, end: number, acc: Acc): void {
    const t = this.text;
    for (let i = start; i < end; i++) {
      if (t[i] === '\\' && i + 1 < end) {
        if (t[i + 1] !== '\n') acc.push(t[i + 1], i);
        i++;
      } else acc.push(t[i], i);
    }
    acc.end = end;
  }

  /** Text inside double quotes: only `\$ \` \" \\` and `\`+newline are escapes. */
  private dqText(start: number, end: number, acc: Acc): void {
    const t = this.text;
    for (let i = start; i < end; i++) {
      const c = t[i];
      if (c === '\\' && i + 1 < end && '$`"\\\n'.includes(t[i + 1])) {
        if (t[i + 1] !== '\n') acc.push(t[i + 1], i);
        i++;
      } else acc.push(c, i);
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

/** Replaces `${{ … }}` (GitHub expressions, which bash can't parse) with same-length filler. */
function maskGithubExpressions(text: string): { masked: string; masks: Span[] } {
  if (!text.includes('${{')) return { masked: text, masks: [] };
  const masks: Span[] = [];
  const masked = text.replace(GH_EXPR, (m: string, offset: number) => {
    masks.push({ start: offset, end: offset + m.length });
    return '%'.repeat(m.length);
  });
  return { masked, masks };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentAt(text: string, offset: number): string {
  const ls = lineStart(text, offset);
  let i = ls;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(ls, i);
}

/** Where a whole new `--update-env-vars=…` word goes: after the command's last word. */
function newFlagInsertion(text: string, words: Word[], gcloudIndex: number, format: Insertion['format']): Insertion {
  const first = words[gcloudIndex];
  const last = words[words.length - 1];
  const offset = last.span.end;
  let before = ' ';
  if (text.lastIndexOf('\n', offset - 1) >= first.span.start) {
    const lastLine = lineStart(text, last.span.start);
    const indent = lastLine > first.span.start ? indentAt(text, last.span.start) : indentAt(text, first.span.start) + '  ';
    before = ` \\\n${indent}`;
  }
  return { offset, before, after: '', format };
}

/** An unquoted `$EXTRA_FLAGS` that is not the service name nor a flag's value may add flags. */
function findOpaque(words: BuiltWord[], gcloudIndex: number): string | undefined {
  let verb = -1;
  for (let i = gcloudIndex + 1; i < words.length && i < gcloudIndex + 6; i++) {
    if (DEPLOY_VERBS.has(words[i].value)) {
      verb = i;
      break;
    }
  }
  let serviceSeen = false;
  for (let i = Math.max(verb + 1, gcloudIndex + 1); i < words.length; i++) {
    const w = words[i];
    if (w.spread) return w.value;
    const prev = words[i - 1].value;
    const isValue =
      i - 1 > verb && prev.startsWith('--') && !prev.includes('=') && !prev.startsWith('--no-') && !BOOLEAN_FLAGS.has(prev);
    if (w.bare && !isValue && serviceSeen) return w.value;
    if (!isValue && !w.value.startsWith('-')) serviceSeen = true;
  }
  return undefined;
}

function isTopLevel(node: SyntaxNode): boolean {
  let p = node.parent;
  if (p?.type === 'declaration_command') p = p.parent;
  return p?.type === 'program';
}

/** Reads gcloud deploy commands and Postgres URLs from a shell script (or a shadow of one). */
export function extractShell(text: string, facts: FileFacts, opts: ShellOptions): void {
  if (!text.includes('gcloud') && !text.includes('postgres') && !mentionsImageBuild(text)) return;
  try {
    const { masked, masks } = maskGithubExpressions(text);
    withBashTree(masked, (root) => extractFromTree(root, text, masks, facts, opts));
  } catch (err) {
    if (err instanceof ParsersNotReady) throw err;
    facts.problems.push({ message: `could not analyse this shell script: ${(err as Error).message}` });
  }
}

function extractFromTree(root: SyntaxNode, text: string, masks: Span[], facts: FileFacts, opts: ShellOptions): void {
  const script = new Script(text, masks, opts);
  const commands: SyntaxNode[] = [];
  const dbAssigns: SyntaxNode[] = [];
  for (const cap of query('bash', SHELL_QUERY).captures(root)) {
    const node = cap.node;
    if (cap.name === 'cmd') {
      commands.push(node);
    } else if (cap.name === 'forvar') {
      const name = text.slice(node.startIndex, node.endIndex);
      script.addAssign({ name, end: node.endIndex, node, value: null, append: false, dynamic: true, topLevel: false });
    } else if (cap.name === 'assign') {
      const nameNode = node.childForFieldName('name');
      const value = node.childForFieldName('value');
      if (value && text.slice(value.startIndex, value.endIndex).includes('postgres')) dbAssigns.push(node);
      // `X=1 cmd` sets X for cmd only, not for the shell's own expansions.
      if (!nameNode || node.parent?.type === 'command') continue;
      const isArray = nameNode.type === 'subscript' || value?.type === 'array';
      const name = text.slice(
        nameNode.type === 'subscript' ? (nameNode.childForFieldName('name')?.startIndex ?? nameNode.startIndex) : nameNode.startIndex,
        nameNode.type === 'subscript' ? (nameNode.childForFieldName('name')?.endIndex ?? nameNode.endIndex) : nameNode.endIndex,
      );
      const append = node.children.some((c) => c?.type === '+=');
      script.addAssign({ name, end: node.endIndex, node, value, append, dynamic: isArray, topLevel: isTopLevel(node) });
    }
  }

  const hints: DeployFact['environmentHints'] = [...(opts.environmentHints ?? [])];
  for (const a of script.allAssigns()) {
    if (!a.topLevel || !a.value || !namesEnvironment(a.name)) continue;
    const w = script.word(a.value);
    if (w.dynamic || !/^[A-Za-z][\w-]*$/.test(w.value)) continue;
    const span = w.offsets ? { start: w.offsets[0], end: w.offsets[w.value.length] } : w.span;
    hints.push({ value: w.value, span, evidence: `${a.name}=${w.value} in script` });
  }

  for (const node of dbAssigns) {
    const value = node.childForFieldName('value');
    const nameNode = node.childForFieldName('name');
    if (!value) continue;
    const w = script.word(value);
    const span = w.offsets ? { start: w.offsets[0], end: w.offsets[w.value.length] } : w.span;
    const envName = nameNode ? text.slice(nameNode.startIndex, nameNode.endIndex) : undefined;
    facts.dbUrls.push(...findDbUrls(w.value, w.offsets, span, envName));
  }

  const deploys: DeployFact[] = [];
  const quotedCommands: SyntaxNode[] = [];
  for (const cmd of commands) {
    const fact = readCommand(cmd, script, hints);
    if (fact) deploys.push(fact);
    else {
      const build = readBuild(cmd, script);
      if (build) facts.builds.push(build);
      else if (!readSecretValue(cmd, script, facts)) quotedCommands.push(...quotedGcloud(cmd, text));
    }
  }
  // `retry 3 "gcloud run deploy web --source . …"`: a command handed to a helper as one string
  // runs as a command line; read it on a shadow of the file so its offsets stay the file's.
  if (quotedCommands.length > 0 && (opts.depth ?? 0) < 2) {
    const variables: Record<string, string | undefined> = { ...opts.variables };
    for (const a of script.allAssigns()) if (a.topLevel) variables[a.name] = script.assignValue(a, 0);
    for (const q of quotedCommands) {
      extractShell(shadowText(text, q.startIndex + 1, q.endIndex - 1), facts, { ...opts, environmentHints: hints, variables, depth: (opts.depth ?? 0) + 1 });
    }
  }
  facts.deploys.push(...deploys);

  // Literal Postgres URLs written straight into a deploy's env list (only this script's deploys:
  // the YAML extractor calls this with facts that already hold others).
  for (const fact of deploys) {
    for (const block of fact.blocks) {
      if (block.kind !== 'env') continue;
      for (const entry of block.entries) {
        const v = entry.value;
        if (v.kind !== 'literal' || !v.value.includes('postgres')) continue;
        if (text.slice(v.span.start, v.span.end) !== v.value) continue;
        const offsets = Array.from({ length: v.value.length + 1 }, (_, k) => v.span.start + k);
        facts.dbUrls.push(...findDbUrls(v.value, offsets, v.span, entry.name));
      }
    }
  }
}

/** A literal fed to `gcloud secrets … --data-file=-` by `echo`/`printf` in a pipeline or by a
 * here-string. Returns whether `cmd` was such a secrets command. */
function readSecretValue(cmd: SyntaxNode, script: Script, facts: FileFacts): boolean {
  const nameNode = cmd.childForFieldName('name');
  if (!nameNode || !script.text.slice(nameNode.startIndex, nameNode.endIndex).includes('gcloud')) return false;
  const words = commandWords(cmd, script);
  const secret = words && interpretSecretFromStdin(words, 0);
  if (!secret || secret.value === undefined) return !!secret;
  let value: Word | undefined;
  for (const r of cmd.childrenForFieldName('redirect')) {
    if (r.type === 'herestring_redirect' && r.namedChild(0)) value = script.word(r.namedChild(0)!);
  }
  const prev = cmd.parent?.type === 'pipeline' ? cmd.previousNamedSibling : null;
  if (!value && prev?.type === 'command') {
    const pname = prev.childForFieldName('name');
    const prog = pname ? script.text.slice(pname.startIndex, pname.endIndex) : '';
    const args = prev.childrenForFieldName('argument').filter((a) => a.isNamed).map((a) => script.word(a));
    if (prog === 'echo') value = args.filter((w) => !/^-[neE]+$/.test(w.value)).pop();
    else if (prog === 'printf') value = args[0] && /%s/.test(args[0].value) && args.length > 1 ? args[1] : args.length === 1 ? args[0] : undefined;
  }
  if (!value || value.dynamic) return true;
  const span = value.offsets ? { start: value.offsets[0], end: value.offsets[value.value.length] } : value.span;
  facts.secretValues.push({ secret: secret.value, secretSpan: secret.span, value: value.value, valueSpan: span });
  return true;
}

/** Quoted arguments of `cmd` that hold a gcloud deploy command line. */
function quotedGcloud(cmd: SyntaxNode, text: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const name = cmd.childForFieldName('name');
  // Commands that print their arguments show a command line, they don't run it.
  if (name && PRINTING_COMMANDS.test(text.slice(name.startIndex, name.endIndex))) return out;
  for (const arg of cmd.childrenForFieldName('argument')) {
    if (arg.type !== 'string' && arg.type !== 'raw_string') continue;
    const inner = text.slice(arg.startIndex + 1, arg.endIndex - 1);
    if (/^\s*(\S*\/)?gcloud\s+(beta\s+|alpha\s+)?run\s/.test(inner)) out.push(arg);
  }
  return out;
}

/** A script that may build an image: worth parsing even when it deploys nothing itself. */
export function mentionsImageBuild(text: string): boolean {
  return /\b(docker|podman)\b[^\n]*\bbuild\b|\bbuilds\s+submit\b/.test(text);
}

function commandWords(cmd: SyntaxNode, script: Script): BuiltWord[] | undefined {
  const nameNode = cmd.childForFieldName('name');
  if (!nameNode) return undefined;
  const words: BuiltWord[] = [];
  words.push(...script.argWords(nameNode.namedChild(0) ?? nameNode));
  for (const arg of cmd.childrenForFieldName('argument')) {
    if (arg.isNamed) words.push(...script.argWords(arg));
  }
  return words;
}

/** `docker build -f … -t …`, `gcloud builds submit --tag …` (after `sudo`/`env` prefixes too). */
function readBuild(cmd: SyntaxNode, script: Script): BuildFact | undefined {
  const nameNode = cmd.childForFieldName('name');
  if (!nameNode) return undefined;
  const nameText = script.text.slice(nameNode.startIndex, nameNode.endIndex);
  if (!/docker|podman|gcloud|executor/.test(nameText) && !PREFIX_COMMANDS.has(nameText)) return undefined;
  const words = commandWords(cmd, script);
  if (!words) return undefined;
  const start = PREFIX_COMMANDS.has(nameText) ? words.findIndex((w, i) => i > 0 && i < 8 && /(^|\/)(docker|podman|gcloud)$/.test(w.value)) : 0;
  if (start < 0) return undefined;
  return interpretBuild(words, start, script.opts.via);
}

function readCommand(cmd: SyntaxNode, script: Script, hints: DeployFact['environmentHints']): DeployFact | undefined {
  const text = script.text;
  const nameNode = cmd.childForFieldName('name');
  if (!nameNode) return undefined;
  const nameText = text.slice(nameNode.startIndex, nameNode.endIndex);
  const isPrefix = PREFIX_COMMANDS.has(nameText);
  if (!nameText.includes('gcloud') && !isPrefix && !nameText.includes('$')) return undefined;
  if (isPrefix && !text.slice(nameNode.endIndex, cmd.endIndex).includes('gcloud')) return undefined;
  const words: BuiltWord[] = [];
  words.push(...script.argWords(nameNode.namedChild(0) ?? nameNode));
  for (const arg of cmd.childrenForFieldName('argument')) {
    if (arg.isNamed) words.push(...script.argWords(arg));
  }
  let g = -1;
  if (isGcloudWord(words[0])) g = 0;
  else if (isPrefix) {
    for (let i = 1; i < words.length && i < 8; i++) {
      if (isGcloudWord(words[i])) {
        g = i;
        break;
      }
    }
  }
  if (g < 0) return undefined;
  const fact = interpretGcloud(words, g, { via: script.opts.via, environmentHints: hints });
  if (!fact) return undefined;
  if (!fact.opaque) {
    const opaque = findOpaque(words, g);
    if (opaque) fact.opaque = opaque;
  }
  fact.newEnvBlock = newFlagInsertion(text, words, g, 'gcloud-flag-env');
  fact.newSecretBlock = newFlagInsertion(text, words, g, 'gcloud-flag-secret');
  return fact;
}
