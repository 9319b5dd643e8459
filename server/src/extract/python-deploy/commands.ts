/**
 * Deploys run as commands: gcloud argument lists (`["gcloud", "run", "deploy", ...]`, grown by
 * `+`, `.extend`, `.append`, `+=`) and shell strings (`f"gcloud run deploy {name} ..."`). Both
 * become words for the shared gcloud interpreter; env flags built from a config's dict are linked
 * to that config (links.ts) and the command then adds to the config rather than standing alone.
 */
import type { DeployFact, Insertion, Resolved } from '../../core/facts';
import { query } from '../../parsers/tree-sitter';
import { interpretGcloud, isGcloudWord, type Word } from '../gcloud-args';
import type { DeployContext, Node } from './context';
import { addHint, entryHints, suffixHints } from './environment-hints';
import { containerInsertion } from './insertions';
import { fillLinkedConfigs, linkEnvFlags, unreadable } from './links';
import { named, streamOf, strInfo } from './strings';
import { shellSplit, wordOf } from './words';

/** A string holding `gcloud`, or a `"run"` element of a list whose `gcloud` element is a variable. */
const Q_STRINGS = `((string) @s (#match? @s "gcloud|^[\\"']run[\\"']$"))`;

/** The deploys of every gcloud command in the file, standalone ones only: linked ones went into their configs. */
export function findCommands(cx: DeployContext): DeployFact[] {
  const out: DeployFact[] = [];
  const seen = new Set<number>();
  for (const m of query('python', Q_STRINGS).matches(cx.root)) {
    const s = m.captures[0]?.node;
    if (!s) continue;
    const parent = s.parent;
    if (parent?.type === 'list') {
      if (seen.has(parent.id)) continue;
      seen.add(parent.id);
      const fact = listCommand(cx, parent);
      if (fact) out.push(fact);
      continue;
    }
    const node = parent?.type === 'concatenated_string' ? parent : s;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    out.push(...stringCommand(cx, node));
  }
  return out;
}

/**
 * The elements a command list ends up with: the literal, `+` operands, later extend/append/+=
 * in the same function. What cannot be followed is kept as source text in `opaque`, so the
 * deploy is known to have arguments nobody read.
 */
function commandElements(cx: DeployContext, list: Node): { elements: Node[]; opaque: string[] } {
  const elements: Node[] = [];
  const opaque: string[] = [];
  let top = list;
  while (top.parent && (top.parent.type === 'parenthesized_expression' ||
    (top.parent.type === 'binary_operator' && top.parent.childForFieldName('operator')?.type === '+'))) top = top.parent;
  const addList = (n: Node | null | undefined, what: string, depth = 0): void => {
    if (!n) return;
    if (n.type === 'list' || n.type === 'tuple') {
      for (const e of named(n)) {
        if (e.type === 'list_splat') {
          const inner = named(e)[0];
          const r = inner?.type === 'identifier' ? cx.scope.binding(inner.text, inner) : undefined;
          if (r && (r.type === 'list' || r.type === 'tuple') && depth < 3) addList(r, e.text, depth + 1);
          else opaque.push(e.text);
        } else elements.push(e);
      }
    } else if (n.type === 'parenthesized_expression') addList(named(n)[0], what, depth + 1);
    else if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '+') {
      addList(n.childForFieldName('left'), what, depth + 1);
      addList(n.childForFieldName('right'), what, depth + 1);
    } else if (n.type === 'identifier' && depth < 3) {
      const r = cx.scope.binding(n.text, n);
      if (r && r.id !== top.id && (r.type === 'list' || r.type === 'tuple' || r.type === 'binary_operator')) addList(r, what, depth + 1);
      else opaque.push(what);
    } else opaque.push(what);
  };
  addList(top, top.text);
  const assign = top.parent;
  if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.id !== top.id) return { elements, opaque };
  const target = assign.childForFieldName('left');
  if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) return { elements, opaque };
  const name = target.text;
  const fn = cx.scope.enclosingFunction(assign);
  const host = fn ?? cx.root;
  const later = host.descendantsOfType(['call', 'augmented_assignment', 'assignment']).sort((a, b) => a.startIndex - b.startIndex);
  for (const n of later) {
    if (n.startIndex <= assign.endIndex) continue;
    if ((cx.scope.enclosingFunction(n)?.id ?? -1) !== (fn?.id ?? -1)) continue;
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (f?.type !== 'attribute' || f.childForFieldName('object')?.text !== name) continue;
      const method = f.childForFieldName('attribute')?.text;
      const args = named(n.childForFieldName('arguments') ?? n).filter((a) => a.type !== 'keyword_argument');
      if (method === 'extend' || method === 'append' || method === 'insert') {
        const arg = method === 'insert' ? args[1] : args[0];
        if (!arg) continue;
        if (method === 'extend') addList(arg, n.text);
        else elements.push(arg);
      }
    } else if (n.type === 'augmented_assignment') {
      if (n.childForFieldName('left')?.text === name && n.childForFieldName('operator')?.type === '+=') addList(n.childForFieldName('right'), n.text);
    } else if (n.childForFieldName('left')?.text === name) {
      const r = n.childForFieldName('right');
      if (r?.type === 'binary_operator' && r.childForFieldName('left')?.text === name) addList(r.childForFieldName('right'), n.text);
      else break; // reassigned: a new command from here on
    }
  }
  return { elements, opaque };
}

/** A gcloud argument list; a missing env flag would be added as new list elements. */
function listCommand(cx: DeployContext, list: Node): DeployFact | undefined {
  const { elements, opaque } = commandElements(cx, list);
  const words = elements.map((e) => wordOf(e, cx.text));
  const start = words.findIndex((w) => isGcloudWord(w));
  if (start < 0) return undefined;
  const fact = interpretGcloud(words, start, { via: 'python' });
  if (!fact) return undefined;
  const quote = elements.map((e) => strInfo(e)?.quote).find((q) => q) ?? '"';
  const listEls = named(list);
  const newEnv = containerInsertion(cx.text, list, listEls, 'gcloud-arg-env', quote);
  return finishCommand(cx, fact, words, elements, opaque, newEnv, { ...newEnv, format: 'gcloud-arg-secret' });
}

/** Commands in a Python string; one that is only printed, logged or used as help text is not run, so not a deploy. */
function stringCommand(cx: DeployContext, node: Node): DeployFact[] {
  const st = streamOf(node, cx.text);
  if (!st || !/(^\s*|[;&|]\s*)gcloud\s/.test(st.value)) return [];
  if (node.parent?.type === 'expression_statement') return []; // docstring
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'call') {
      const fn = p.childForFieldName('function')?.text ?? '';
      if (/(^|\.)(print|echo|write|info|debug|warning|warn|error|exception|critical|log|fail|secho|add_argument|ArgumentParser)$/i.test(fn)) return [];
      break;
    }
    if (p.type.endsWith('statement') || p.type === 'assignment' || p.type === 'block') break;
  }
  const out: DeployFact[] = [];
  for (const cmd of shellSplit(st)) {
    const start = cmd.findIndex((w) => w.value === 'gcloud' || w.value.endsWith('/gcloud'));
    if (start < 0) continue;
    const fact = interpretGcloud(cmd, start, { via: 'python' });
    if (!fact) continue;
    const last = cmd[cmd.length - 1];
    const info = node.type === 'string' ? strInfo(node) : undefined;
    const newEnv: Insertion | undefined = last.offsets && !last.dynamic
      ? { offset: last.offsets[last.value.length], before: ' ', after: '', format: 'gcloud-flag-env', quote: info?.quote }
      : undefined;
    const nodes = cmd.map(() => node);
    const done = finishCommand(cx, fact, cmd, nodes, [], newEnv, newEnv && { ...newEnv, format: 'gcloud-flag-secret' });
    if (done) out.push(done);
  }
  return out;
}

/**
 * Completes a command's fact from the Python around it: computed env values, links to configs,
 * project and region behind names, environment hints. Returns the fact, or undefined when the
 * command was linked to configs and went into them.
 */
function finishCommand(
  cx: DeployContext, fact: DeployFact, words: Word[], nodes: Node[], opaque: string[],
  newEnv: Insertion | undefined, newSecret: Insertion | undefined,
): DeployFact | undefined {
  // f-string parts inside a static-looking list value (`A={x}`) are dynamic.
  for (const b of fact.blocks) {
    for (const e of b.entries) {
      if (e.value.kind !== 'literal' || !e.value.value.includes('{')) continue;
      const w = words.find((x) => x.span.start <= e.span.start && e.span.end <= x.span.end);
      if (w?.dynamic) e.value = { kind: 'dynamic', text: e.value.value, span: e.value.span };
    }
  }
  const linked = linkEnvFlags(cx, fact, words, nodes, opaque);
  // Values written as `self.project_id`, `PROJECT_ID`, `args.region`, `f"{region}"`.
  fact.project = enrich(cx, fact.project, words, nodes);
  fact.region = enrich(cx, fact.region, words, nodes);
  for (const h of suffixHints(cx, fact.service, words, nodes)) addHint(fact, h);
  for (const b of fact.blocks) for (const h of entryHints(b, b.mode === 'update' ? '--update-env-vars' : '--set-env-vars')) addHint(fact, h);
  if (linked.size > 0) {
    fillLinkedConfigs(fact, words, linked, opaque);
    return undefined;
  }
  if (fact.opaque && !fact.blocks.some(unreadable)) fact.opaque = undefined;
  if (!fact.opaque && opaque.length) fact.opaque = opaque[0];
  if (!fact.blocks.some((b) => b.kind === 'env') && newEnv) fact.newEnvBlock = newEnv;
  if (!fact.blocks.some((b) => b.kind === 'secrets') && newSecret) fact.newSecretBlock = newSecret;
  return fact;
}

/** `self.project_id` / `PROJECT_ID` / `f"{region}"` as a command value: text kept, value and span from its literal. */
function enrich(cx: DeployContext, r: Resolved | undefined, words: Word[], nodes: Node[]): Resolved | undefined {
  if (!r || r.value !== undefined) return r;
  const rs = r.span;
  const rt = r.text;
  const i = words.findIndex((w) => w.span.start <= rs.start && rs.end <= w.span.end);
  if (i < 0) return r;
  let expr: Node | undefined = nodes[i];
  if (expr.type === 'string') {
    const it = strInfo(expr)?.interps.find((x) => x.text === rt && rs.start <= x.startIndex && x.endIndex <= rs.end);
    expr = it ? (it.childForFieldName('expression') ?? named(it)[0]) : undefined;
    if (expr) r = { ...r, text: expr.text };
  } else if (expr.type !== 'identifier' && expr.type !== 'attribute' && expr.type !== 'call') expr = undefined;
  const v = expr && cx.scope.resolveValue(expr);
  return v ? { ...r, value: v.value, span: v.span } : r;
}
