/**
 * Shell scripts: `gcloud run deploy|services update|jobs deploy …` and `gcloud functions deploy`
 * commands become DeployFacts (through the shared gcloud interpreter), Postgres URLs in
 * assignments become DbUrlFacts, image builds become BuildFacts.
 *
 * Also used for GitHub Actions `run:` blocks and Cloud Build `bash -c` scripts: the YAML extractor
 * passes a "shadow" of the YAML file in which everything outside the script is blanked with
 * spaces, so every offset here is an offset into the YAML file.
 *
 * Arguments are turned into `Word`s by the evaluator (shell-script.ts). A command is read once per
 * way it runs (shell-contexts.ts: loop items, `case` branches, function calls); distinct results
 * are separate deploys of one shared command (`instance`). A command handed to a helper as one
 * string, or assembled in a variable and run with `eval` (shell-assembled.ts), is read on a
 * shadow of the file.
 */
import { emptyFacts, type BuildConfigRun, type BuildFact, type DeployFact, type FileFacts, type Insertion, type Span } from '../core/facts';
import { createsSecret, interpretGcloud, interpretSecretFromStdin, isEnvListFlag, isGcloudWord, type Word } from './gcloud-args';
import { findDbUrls } from './db-url';
import { withBashTree, query, ParsersNotReady, type SyntaxNode } from '../parsers/tree-sitter';
import { namesEnvironment } from '../knowledge/environments';
import { shadowText } from './shadow-text';
import { interpretBuild, interpretBuildConfigRun } from './build-args';
import { fromWorkingDir, workingDir } from './shell-cwd';
import { NO_CONTEXT, Script, type BuiltWord, type EvalContext, type ShellMask } from './shell-script';
import { ScriptShape } from './shell-contexts';
import { arrayCommandShadow, commandPieces, commandVariable, gcloudOverArray, piecesShadow, spreadArray } from './shell-assembled';
import { expressionsIn, type ExpressionScope } from './github-expressions';
import { heredocFiles, inlineHeredocEnvFiles, type HeredocFile } from './shell-heredoc-env';
import { addYamlMentions, mayNameYaml, yamlPathOf } from './yaml-mentions';
import { mayStartProgram, readStartedProgram } from './shell-program';
import { readOutputWrites, writesStepOutputs, type StepOutputs } from './shell-step-outputs';
import { addTerraformVarsPassed, mayPassTerraformVars, terraformVarOfEnvName, terraformVarsInWords } from './terraform-vars-passed';

type Hints = DeployFact['environmentHints'];

export interface ShellOptions {
  via: DeployFact['via'];
  environmentHints?: Hints;
  /** Values known from outside the script (a workflow's `env:`), used for names the script does
   * not assign itself. `undefined` means set, but to something we can't see. */
  variables?: Record<string, string | undefined>;
  /** Of those set to something we can't see, the ones known in part, as written (`A=1,B=${{
   * secrets.B }}`): an env list held in one (`--set-env-vars "$ENV_VARS"`) still names its
   * variables. */
  heldVariables?: Record<string, string>;
  /** GitHub expressions the workflow makes static (`${{ env.X }}`, `${{ matrix.service }}`); the
   * others (`${{ secrets.X }}`) stay dynamic. */
  expressions?: ExpressionScope;
  /** How deep in quoted command strings this script sits (bounded: a string of strings of …). */
  depth?: number;
  /** Each top-level statement runs in a shell of its own (a Makefile's recipe lines). */
  statementsApart?: boolean;
  /** The folder the script starts in, from the workspace root: a workflow step's
   * `working-directory` (`services/api`); null when one is given that cannot be read. */
  workingDirectory?: string | null;
  /** The indentation of a YAML block scalar holding the script: YAML removes it from each line,
   * so the shell never sees it, but the shadow text keeps it (offsets stay the file's). */
  blockIndent?: number;
  /** Env-vars files earlier scripts of the same build wrote from a here-document (a Cloud Build
   * step writing `/workspace/env.yaml` for a later step's deploy): read, and added to. */
  heredocs?: HeredocFile[];
  /** A script file of its own: also record what it starts (`FileFacts.startsProgram`), from the
   * same parse. */
  startedProgram?: boolean;
  /** A workflow step's outputs (`echo "image=$IMAGE" >> "$GITHUB_OUTPUT"`): filled in by name. */
  outputs?: StepOutputs;
}

/** Commands (and the usual logging helpers) that print their arguments rather than run them. */
const PRINTING_COMMANDS = /^(echo|printf|cat|log\w*|info|warn\w*|error|debug|note|say|die|fail|fatal|msg|print\w*)$/;
/** Commands that run their arguments as a command (`sudo gcloud …`). */
const SUBSTITUTIONS = new Set(['command_substitution', 'process_substitution', 'arithmetic_expansion']);
const PREFIX_COMMANDS = new Set(['sudo', 'env', 'time', 'nice', 'nohup', 'exec', 'command', 'timeout', 'xargs']);
/** gcloud flags that take no value, so a word after them is a word of its own. */
const BOOLEAN_FLAGS = new Set([
  '--allow-unauthenticated', '--quiet', '--async', '--cpu-boost', '--cpu-throttling', '--use-http2',
  '--session-affinity', '--execute-now', '--wait', '--clear-env-vars', '--clear-secrets', '--default-url',
  '--invoker-iam-check', '--clear-vpc-connector', '--clear-labels', '--clear-network',
  '--gen2', '--trigger-http', '--retry', '--serve-all-traffic-latest-revision', '--clear-build-env-vars',
]);
const DEPLOY_VERBS = new Set(['deploy', 'update', 'create']);
const GH_EXPR = /\$\{\{[\s\S]*?\}\}/g;
const MAX_NESTING = 2;

const SHELL_QUERY = `
(command) @cmd
(variable_assignment) @assign
(for_statement variable: (variable_name) @forvar)
(redirected_statement) @redirected
`;

/** Replaces `${{ … }}` (GitHub expressions, which bash can't parse) with same-length filler;
 * each mask keeps the expression's value when the workflow makes it static. */
function maskGithubExpressions(text: string, scope: ExpressionScope | undefined): { masked: string; masks: ShellMask[] } {
  if (!text.includes('${{')) return { masked: text, masks: [] };
  const masks: ShellMask[] = scope ? expressionsIn(text, scope) : [];
  if (!scope) for (const m of text.matchAll(GH_EXPR)) masks.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  let masked = '';
  let pos = 0;
  for (const m of masks) {
    masked += text.slice(pos, m.start) + '%'.repeat(m.end - m.start);
    pos = m.end;
  }
  return { masked: masked + text.slice(pos), masks };
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

/** `${SQL_CONNECTION:+--add-cloudsql-instances=$SQL_CONNECTION}`: an expansion whose alternate
 * text is one flag, written out, that sets no variable nor secret — nothing it may add is unseen. */
function namesOtherFlag(written: string): boolean {
  const m = /^\$\{[A-Za-z_]\w*:?\+(--[a-z][a-z0-9-]*)(?:[= ][^\s}]*)?\}$/.exec(written);
  return !!m && !/env|secret/.test(m[1]!);
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
    if (w.bare && !isValue && serviceSeen && !namesOtherFlag(w.value)) return w.value;
    if (!isValue && !w.value.startsWith('-')) serviceSeen = true;
  }
  return undefined;
}

/**
 * The `${X:=default}` expansions of a `:` command (`: "${SERVICE:=shop-api}"`): the shell idiom
 * for "X from the caller, else this default". Each assigns X from there on; recorded with the
 * expansion itself as the value, which evaluates to the caller's X (unseen) or the default.
 */
function defaultAssignments(cmd: SyntaxNode, text: string): SyntaxNode[] {
  const name = cmd.childForFieldName('name');
  if (!name || text.slice(name.startIndex, name.endIndex) !== ':') return [];
  const out: SyntaxNode[] = [];
  for (const arg of cmd.childrenForFieldName('argument')) {
    if (!arg) continue;
    const expansions = arg.type === 'expansion' ? [arg] : arg.type === 'string' ? arg.namedChildren.filter((c): c is SyntaxNode => c?.type === 'expansion') : [];
    for (const exp of expansions) {
      const op = exp.children[2]?.type;
      if (op === ':=' || op === '=') out.push(exp);
    }
  }
  return out;
}

function isTopLevel(node: SyntaxNode): boolean {
  let p = node.parent;
  if (p?.type === 'declaration_command') p = p.parent;
  return p?.type === 'program';
}

/** Reads gcloud deploy commands and Postgres URLs from a shell script (or a shadow of one). */
export function extractShell(text: string, facts: FileFacts, opts: ShellOptions): void {
  const deploys = text.includes('gcloud') || text.includes('postgres') || mentionsImageBuild(text) || mayNameYaml(text) || mayPassTerraformVars(text);
  const program = !!opts.startedProgram && mayStartProgram(text);
  const outputs = !!opts.outputs && writesStepOutputs(text);
  if (!deploys && !program && !outputs) return;
  try {
    const { masked, masks } = maskGithubExpressions(text, opts.expressions);
    withBashTree(masked, (root) => {
      if (deploys) extractFromTree(root, text, masks, facts, opts);
      else if (outputs) {
        const { script, commands, redirected } = readScript(root, text, masks, emptyFacts(facts.file, facts.kind, ''), opts);
        readOutputWrites(redirected, commands, script, new ScriptShape(script, root, commands), opts.outputs!);
      }
      if (program) readStartedProgram(root, text, facts);
    });
  } catch (err) {
    if (err instanceof ParsersNotReady) throw err;
    facts.problems.push({ message: `could not analyse this shell script: ${(err as Error).message}` });
  }
}

/** The script's evaluator with every assignment in sight, and its commands and redirections. */
function readScript(root: SyntaxNode, text: string, masks: ShellMask[], facts: FileFacts, opts: ShellOptions): { script: Script; commands: SyntaxNode[]; redirected: SyntaxNode[]; dbAssigns: SyntaxNode[] } {
  const script = new Script(text, masks, opts.variables, opts.via, opts.via === 'shell' ? facts.file : undefined, opts.statementsApart, opts.blockIndent, opts.heldVariables, opts.workingDirectory ?? '');
  const commands: SyntaxNode[] = [];
  const dbAssigns: SyntaxNode[] = [];
  const redirected: SyntaxNode[] = [];
  for (const cap of query('bash', SHELL_QUERY).captures(root)) {
    const node = cap.node;
    if (cap.name === 'redirected') {
      redirected.push(node);
    } else if (cap.name === 'cmd') {
      commands.push(node);
      for (const exp of defaultAssignments(node, text)) {
        const name = exp.namedChildren.find((c) => c?.type === 'variable_name');
        if (name) script.addAssign({ name: text.slice(name.startIndex, name.endIndex), end: node.endIndex, node: exp, value: exp, append: false, loop: false, topLevel: isTopLevel(node), branches: [] });
      }
    } else if (cap.name === 'forvar') {
      const name = text.slice(node.startIndex, node.endIndex);
      script.addAssign({ name, end: node.endIndex, node, value: null, append: false, loop: true, topLevel: false, branches: [] });
    } else if (cap.name === 'assign') {
      const nameNode = node.childForFieldName('name');
      const tfVar = nameNode ? terraformVarOfEnvName(text.slice(nameNode.startIndex, nameNode.endIndex)) : undefined;
      if (tfVar) addTerraformVarsPassed(facts, [tfVar]);
      const value = node.childForFieldName('value');
      if (value && text.slice(value.startIndex, value.endIndex).includes('postgres')) dbAssigns.push(node);
      // `X=1 cmd` sets X for cmd only, not for the shell's own expansions.
      if (!nameNode || node.parent?.type === 'command') continue;
      const subscript = nameNode.type === 'subscript';
      const name = text.slice(
        subscript ? (nameNode.childForFieldName('name')?.startIndex ?? nameNode.startIndex) : nameNode.startIndex,
        subscript ? (nameNode.childForFieldName('name')?.endIndex ?? nameNode.endIndex) : nameNode.endIndex,
      );
      const append = node.children.some((c) => c?.type === '+=');
      const items = value?.type === 'array' ? value.namedChildren.filter((c): c is SyntaxNode => !!c) : undefined;
      script.addAssign({ name, end: node.endIndex, node, value, append, loop: false, items, dynamic: subscript, topLevel: isTopLevel(node), branches: [] });
    }
  }
  return { script, commands, redirected, dbAssigns };
}

function extractFromTree(root: SyntaxNode, text: string, masks: ShellMask[], facts: FileFacts, opts: ShellOptions): void {
  const { script, commands, redirected, dbAssigns } = readScript(root, text, masks, facts, opts);
  const shape = new ScriptShape(script, root, commands);
  if (opts.outputs) readOutputWrites(redirected, commands, script, shape, opts.outputs);
  if (mayNameYaml(text)) addYamlMentions(facts, commandArguments(commands, redirected, text));
  if (mayPassTerraformVars(text)) {
    for (const cmd of commands) {
      const name = cmd.childForFieldName('name');
      if (name && /(^|\/)(terraform|terragrunt|tofu)$/.test(text.slice(name.startIndex, name.endIndex))) {
        addTerraformVarsPassed(facts, terraformVarsInWords([...commandArguments([cmd], [], text)]));
      }
    }
  }
  // `gcloud run services replace "${YAML_FILE}"` after `YAML_FILE="cloudrun-service.yaml"`: the
  // variable's value names the manifest its text does not.
  if (mayNameYaml(text)) addYamlMentions(facts, resolvedArguments(commands, script, text));
  const own = text.includes('--env-vars-file') || (opts.heredocs && text.includes('<<')) ? heredocFiles(redirected, script) : [];
  const written = [...(opts.heredocs ?? []), ...own];
  opts.heredocs?.push(...own);

  const hints: Hints = [];
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
  for (const cmd of commands) {
    if (!mayMatter(cmd, text)) continue;
    const { contexts, unresolved } = shape.contextsFor(cmd);
    const distinct = new Map<string, { fact: DeployFact; ctx: EvalContext }>();
    const builds = new Map<string, BuildFact>();
    const buildLabels = new Map<BuildFact, string>();
    const configRuns = new Map<string, BuildConfigRun>();
    for (const ctx of contexts) {
      script.use(ctx);
      const fact = readCommand(cmd, script);
      if (fact) {
        keep(distinct, fact, ctx);
        continue;
      }
      const built = readBuild(cmd, script);
      if (built?.build) {
        const key = JSON.stringify(built.build);
        if (!builds.has(key)) {
          builds.set(key, built.build);
          buildLabels.set(built.build, ctx.labels.join(', ') || 'one of several');
        }
        continue;
      }
      if (built?.run) {
        configRuns.set(JSON.stringify(built.run), built.run);
        continue;
      }
      // Each call of a helper (`set_secret NAME VALUE`) stores its own value: a call passing
      // what `read` got says nothing of the one passing a literal.
      if (readSecretValue(cmd, script, facts)) continue;
      for (const f of nested(cmd, script, facts, opts)) keep(distinct, f, ctx);
    }
    script.use(NO_CONTEXT);
    // One command building differently per way through the script: each build is that way's.
    if (builds.size > 1) for (const b of builds.values()) b.instance = buildLabels.get(b);
    facts.builds.push(...builds.values());
    if (configRuns.size) (facts.buildConfigRuns ??= []).push(...configRuns.values());
    const found = [...distinct.values()];
    const perText = new Map<number, number>();
    for (const { fact } of found) perText.set(fact.span.start, (perText.get(fact.span.start) ?? 0) + 1);
    for (const { fact, ctx } of found) {
      inlineHeredocEnvFiles(fact, cmd.startIndex, written);
      fact.environmentHints = [...(opts.environmentHints ?? []), ...ctx.hints, ...contextHints(script, cmd, ctx), ...hints, ...fact.environmentHints];
      const of = perText.get(fact.span.start) ?? 1;
      if (of > 1) fact.instance = { label: ctx.labels.join(', ') || 'one of several', of };
      if (unresolved && fact.service?.value === undefined) fact.unresolved = unresolved;
      deploys.push(fact);
    }
  }
  facts.deploys.push(...deploys);

  // Literal Postgres URLs written straight into a deploy's env list (only this script's deploys:
  // the YAML extractor calls this with facts that already hold others).
  const seen = new Set<string>();
  for (const fact of deploys) {
    for (const block of fact.blocks) {
      if (block.kind !== 'env') continue;
      for (const entry of block.entries) {
        const v = entry.value;
        if (v.kind !== 'literal' || !v.value.includes('postgres')) continue;
        if (text.slice(v.span.start, v.span.end) !== v.value || seen.has(`${v.span.start}:${entry.name}`)) continue;
        seen.add(`${v.span.start}:${entry.name}`);
        const offsets = Array.from({ length: v.value.length + 1 }, (_, k) => v.span.start + k);
        facts.dbUrls.push(...findDbUrls(v.value, offsets, v.span, entry.name));
      }
    }
  }
}

const ARGUMENT_NODES = new Set(['word', 'string', 'raw_string', 'concatenation']);

/** The words commands take as arguments and the files they redirect from or to, as written. */
function* commandArguments(commands: SyntaxNode[], redirected: SyntaxNode[], text: string): Generator<string> {
  for (const cmd of commands) {
    for (const c of cmd.namedChildren) if (c && ARGUMENT_NODES.has(c.type)) yield text.slice(c.startIndex, c.endIndex);
  }
  for (const r of redirected) {
    for (const c of r.namedChildren) {
      if (c?.type !== 'file_redirect') continue;
      for (const d of c.namedChildren) if (d && ARGUMENT_NODES.has(d.type)) yield text.slice(d.startIndex, d.endIndex);
    }
  }
}

/** The values of the arguments holding an expansion whose written text names no YAML file, where
 * the script shows them. */
function* resolvedArguments(commands: SyntaxNode[], script: Script, text: string): Generator<string> {
  for (const cmd of commands) {
    for (const c of cmd.namedChildren) {
      if (!c || !ARGUMENT_NODES.has(c.type) && c.type !== 'simple_expansion' && c.type !== 'expansion') continue;
      const written = text.slice(c.startIndex, c.endIndex);
      if (!written.includes('$') || yamlPathOf(written) !== undefined) continue;
      const w = script.word(c);
      if (!w.dynamic) yield w.value;
    }
  }
}

/** Keeps one fact per distinct reading of a command (its hints are added afterwards). Readings
 * that come out the same under several contexts don't depend on them: only what those contexts
 * agree on (hints, labels) is kept. */
function keep(distinct: Map<string, { fact: DeployFact; ctx: EvalContext }>, fact: DeployFact, ctx: EvalContext): void {
  const key = JSON.stringify(fact);
  const had = distinct.get(key);
  if (!had) {
    distinct.set(key, { fact, ctx });
    return;
  }
  const same = (h: Hints[number]) => ctx.hints.some((x) => x.span.start === h.span.start && x.value === h.value);
  had.ctx = { ...had.ctx, hints: had.ctx.hints.filter(same), labels: had.ctx.labels.filter((l) => ctx.labels.includes(l)) };
}

/** A command worth evaluating: gcloud, an image build, a prefix, a variable or `eval`, a helper
 * handed a quoted gcloud line. */
function mayMatter(cmd: SyntaxNode, text: string): boolean {
  const nameNode = cmd.childForFieldName('name');
  if (!nameNode) return false;
  // A name computed by a command (`$(…) run deploy`) is read as written, so it is never gcloud;
  // skipping it also keeps nested substitutions (`$($($(…)))`) from being read once per level.
  const first = nameNode.namedChild(0);
  if (first && SUBSTITUTIONS.has(first.type)) return false;
  const name = text.slice(nameNode.startIndex, nameNode.endIndex);
  if (/gcloud|docker|podman|executor|\$/.test(name) || name === 'eval' || PREFIX_COMMANDS.has(name)) return true;
  return text.slice(cmd.startIndex, cmd.endIndex).includes('gcloud');
}

/** Environment hints a context gives the command: environment-named variables (`ENVIRONMENT`,
 * `DEPLOY_ENV`) as that context leaves them, where the script's top level does not already say. */
function contextHints(script: Script, cmd: SyntaxNode, ctx: EvalContext): Hints {
  if (ctx === NO_CONTEXT) return [];
  const out: Hints = [];
  script.use(ctx);
  for (const name of script.names()) {
    if (!namesEnvironment(name)) continue;
    const a = script.assignmentAt(name, cmd.startIndex);
    if (!a || a.topLevel || a.pattern) continue;
    const v = script.lookup(name, cmd.startIndex, 0).value;
    if (!v || !/^[A-Za-z][\w-]*$/.test(v)) continue;
    const span = a.value ? { start: a.value.startIndex, end: a.value.endIndex } : { start: a.node.startIndex, end: a.node.endIndex };
    out.push({ value: v, span, evidence: `${name}=${v} in script (${ctx.labels.join(', ') || 'this path'})` });
  }
  script.use(NO_CONTEXT);
  return out;
}

/** Deploys in a command line the command runs without being it: one handed to a helper as a
 * string (`retry 3 "gcloud run deploy …"`), or assembled in a variable (`eval "$CMD"`). Read on a
 * shadow of the file with the variables as the command sees them. */
function nested(cmd: SyntaxNode, script: Script, facts: FileFacts, opts: ShellOptions): DeployFact[] {
  if ((opts.depth ?? 0) >= MAX_NESTING) return [];
  const text = script.text;
  /** `assembled`: pieces appended under conditions too; `evaluated`: read again by the shell (`eval "$CMD"`). */
  const shadows: { shadow: string; assembled: boolean; evaluated?: boolean }[] = [];
  const variable = commandVariable(cmd, text);
  const overArray = variable ? undefined : gcloudOverArray(cmd, text);
  if (overArray) {
    const pieces = commandPieces(script, overArray.name, cmd.startIndex);
    const shadow = pieces && arrayCommandShadow(text, pieces, { start: overArray.expansion.endIndex, end: cmd.endIndex });
    if (shadow) shadows.push({ shadow, assembled: true });
  } else if (variable) {
    const pieces = commandPieces(script, variable, cmd.startIndex);
    // `$CMD --flag …`: the words after the variable belong to the same command line.
    const nameNode = cmd.childForFieldName('name');
    if (pieces && nameNode && text.slice(nameNode.startIndex, nameNode.endIndex) !== 'eval' && nameNode.endIndex < cmd.endIndex) {
      pieces.push({ start: nameNode.endIndex, end: cmd.endIndex });
    }
    if (pieces && pieces.some((p) => text.slice(p.start, p.end).includes('gcloud'))) shadows.push({ shadow: piecesShadow(text, pieces), assembled: true, evaluated: true });
  } else {
    for (const q of quotedGcloud(cmd, text)) shadows.push({ shadow: shadowText(text, q.startIndex + 1, q.endIndex - 1), assembled: false });
  }
  if (shadows.length === 0) return [];
  const variables: Record<string, string | undefined> = { ...opts.variables };
  for (const name of script.names()) {
    const v = script.lookup(name, cmd.startIndex, 0);
    if (v.known) variables[name] = v.value;
  }
  for (let i = 1; i <= 9; i++) {
    const v = script.lookup(String(i), cmd.startIndex, 0);
    if (v.value !== undefined) variables[String(i)] = v.value;
  }
  const out: DeployFact[] = [];
  for (const { shadow, assembled, evaluated } of shadows) {
    const inner = { ...facts, deploys: [] as DeployFact[], builds: [] as BuildFact[], dbUrls: [...facts.dbUrls], problems: [...facts.problems] };
    extractShell(shadow, inner, { ...opts, environmentHints: [], variables, depth: (opts.depth ?? 0) + 1 });
    for (const f of inner.deploys) {
      // A new flag would land inside the string, where its own quoting breaks: only the
      // existing lists take new entries.
      if (assembled) {
        delete f.newEnvBlock;
        delete f.newSecretBlock;
        // The pieces include appends from every branch (`if …; then A+=(--env-vars-file …); else
        // A+=(--set-env-vars …)`): flags of two branches are no pair gcloud sees. A list's items
        // are its own word's, as gcloud sees them, unless the shell parses the text once more
        // (`eval "$CMD"`: `\"$VARS\"` loses its quotes).
        if (f.rejected?.why === 'exclusive' || (f.rejected && evaluated)) {
          delete f.rejected;
          for (const b of f.blocks) delete b.split;
        }
      }
      out.push(f);
    }
    for (const b of inner.builds) if (!facts.builds.some((x) => JSON.stringify(x) === JSON.stringify(b))) facts.builds.push(b);
    for (const u of inner.dbUrls.slice(facts.dbUrls.length)) {
      if (!facts.dbUrls.some((x) => x.span.start === u.span.start && x.span.end === u.span.end)) facts.dbUrls.push(u);
    }
    for (const p of inner.problems.slice(facts.problems.length)) facts.problems.push(p);
  }
  return out;
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
  // A loop over an associative array's keys (`for s in "${!SECRETS[@]}"` storing `${SECRETS[$s]}`):
  // each entry's value is one of its own, reported where the entry writes it.
  const entry = value.expansions?.length === 1 && value.expansions[0].entry && value.expansions[0].from === 0 &&
    value.expansions[0].to === value.value.length ? value.expansions[0].at : undefined;
  const span = entry ?? callSiteOf(cmd, script, value.value) ?? (value.offsets ? { start: value.offsets[0], end: value.offsets[value.value.length] } : value.span);
  const when = secretExistence(cmd, script);
  const seeded = when === 'new' || createsSecret(words!, 0) ? { onlyWhenNew: true as const } : {};
  // A reminder to replace the value after the run excuses a first value, never a new version
  // written over a secret that exists (`if gcloud secrets describe …; then … versions add`): the
  // next run puts the placeholder back over the real one. Only a request to fill the script in
  // before it runs (said ahead of the command) still makes it a template.
  const announced = (seeded.onlyWhenNew && announcesPlaceholder(cmd, script)) || warnsOfPlaceholders(cmd, script, when === 'existing' ? span.start : undefined) ? { announced: true as const } : {};
  const fact = { secret: secret.value, secretSpan: secret.span, value: value.value, valueSpan: span, ...seeded, ...announced };
  // One literal is one value, however many secrets a loop stores it in (`for s in …; do echo -n
  // "PLACEHOLDER" | gcloud secrets create "$s" …`): reported once, for the first. A helper's calls
  // each write their own (`callSiteOf`). Of two commands storing it, one only where the secret is
  // new, the one storing it always or over an existing secret says more.
  const same = facts.secretValues.findIndex((x) => x.valueSpan.start === span.start && x.valueSpan.end === span.end);
  if (same < 0) facts.secretValues.push(fact);
  else if (facts.secretValues[same].onlyWhenNew && !fact.onlyWhenNew) facts.secretValues[same] = fact;
  return true;
}

/** Whether the secrets command runs only where the secret does not exist yet (`new`): after a
 * failed `gcloud secrets describe` (`describe … || create`), in the body of `if ! gcloud secrets
 * describe …`, or in the `else` of `if gcloud secrets describe …` — a project that has the secret
 * never gets the value (a setup script's first value, which it tells the operator to replace); or
 * only where it exists (`existing`): after a successful one (`describe … && versions add`), in the
 * body of `if gcloud secrets describe …` or the `else` of its negation. */
function secretExistence(cmd: SyntaxNode, script: Script): 'new' | 'existing' | undefined {
  for (let c: SyntaxNode = cmd, p = cmd.parent; p; c = p, p = p.parent) {
    if (p.type === 'list') {
      const left = p.namedChild(0);
      const op = p.children.find((k) => !!k && !k.isNamed && (k.type === '||' || k.type === '&&'))?.type;
      if (op && left && left !== c && describesSecret(left, script)) return op === '||' ? 'new' : 'existing';
    } else if (p.type === 'if_statement') {
      const cond = p.namedChild(0);
      if (!cond || cond === c) return undefined;
      let x: SyntaxNode | null = cond;
      while (x?.type === 'redirected_statement') x = x.namedChild(0);
      const negated = x?.type === 'negated_command';
      if (describesSecret(cond, script)) return negated !== (c.type === 'else_clause') ? 'new' : 'existing';
    }
    if (p.type === 'function_definition' || p.type === 'program') break;
  }
  return undefined;
}

/** Programs a script tells its operator something with: `echo`, `printf`, and its own helpers
 * (`log_warn`, `echo_info`, `warn`, `info`). */
const TELLS = /^(?:echo|printf)$|^(?:log|echo|warn|info|print|say|msg)(?:[_-]\w+)?$/i;
/** What a reminder of the placeholder says: `created with placeholder value`, `remember to update
 * with actual value`. */
const PLACEHOLDER_NOTICE = /placeholder|(?:real|actual) (?:value|secret)/i;
/** How far from the command a reminder still speaks of it, in lines. */
const NOTICE_LINES = 12;

/**
 * The script tells its operator, next to the command, that it seeds a placeholder (`log_warn
 * "Secret created with placeholder value. Update it with: …"`): a deliberate first value for the
 * operator to replace, not a value taken for a real one. Sought in the command's own function (or
 * the script's top level), within a few lines of it.
 */
function announcesPlaceholder(cmd: SyntaxNode, script: Script): boolean {
  let host: SyntaxNode = cmd;
  while (host.parent && host.type !== 'function_definition') host = host.parent;
  const line = cmd.startPosition.row;
  for (const c of host.descendantsOfType('command')) {
    if (c.id === cmd.id || Math.abs(c.startPosition.row - line) > NOTICE_LINES) continue;
    const name = c.childForFieldName('name');
    if (!name || !TELLS.test(script.text.slice(name.startIndex, name.endIndex))) continue;
    if (c.childrenForFieldName('argument').some((a) => PLACEHOLDER_NOTICE.test(script.text.slice(a.startIndex, a.endIndex)))) return true;
  }
  return false;
}

/**
 * Where a helper's caller writes the value the helper stores (`set_secret DATABASE_URL
 * "changeme"` for `echo -n "$2" | gcloud secrets versions add "$1" …`): the call's argument of that
 * text, else the call; undefined outside a function followed from a call. Each call is a value of
 * its own, reported where it is written.
 */
function callSiteOf(cmd: SyntaxNode, script: Script, text: string): Span | undefined {
  const fn = script.functionAt(cmd.startIndex);
  const call = fn ? script.context().calls.get(fn.id) : undefined;
  if (!call) return undefined;
  let node: SyntaxNode | null = rootOf(cmd).descendantForIndex(call.at);
  while (node && node.type !== 'command') node = node.parent;
  if (!node) return undefined;
  for (const a of node.childrenForFieldName('argument')) {
    const w = script.word(a);
    if (!w.dynamic && w.value === text) return w.offsets ? { start: w.offsets[0], end: w.offsets[w.value.length] } : w.span;
  }
  return { start: node.startIndex, end: node.endIndex };
}

/** The script's own node, above every command. */
function rootOf(n: SyntaxNode): SyntaxNode {
  let root = n;
  while (root.parent) root = root.parent;
  return root;
}

/**
 * The script tells its operator, at its top level, that the values it stores are placeholders
 * (`echo "Make sure to replace the placeholder values with your actual secrets!"`): a template to
 * fill in before it is run, whichever secret each command stores. `before`: only where it says so
 * ahead of this offset (where the value is written).
 */
function warnsOfPlaceholders(cmd: SyntaxNode, script: Script, before?: number): boolean {
  const root = rootOf(cmd);
  for (let i = 0; i < root.namedChildCount; i++) {
    const c = root.namedChild(i)!;
    if (c.type !== 'command') continue;
    if (before !== undefined && c.startIndex > before) break;
    const name = c.childForFieldName('name');
    if (!name || !TELLS.test(script.text.slice(name.startIndex, name.endIndex))) continue;
    if (c.childrenForFieldName('argument').some((a) => REPLACE_NOTICE.test(script.text.slice(a.startIndex, a.endIndex)))) return true;
  }
  return false;
}

/** A script-wide reminder asks for the values to be replaced (`replace the placeholder values
 * with your actual secrets`), not only names placeholders (`placeholders are for local runs`). */
const REPLACE_NOTICE = /\b(?:replace|update|change|fill in|edit)\b.*\b(?:placeholders?|actual|real)\b|\bplaceholders?\b.*\b(?:replace|update|change|fill in|edit)\b/i;

/** `gcloud secrets describe …` (under `!` and redirections). */
function describesSecret(n: SyntaxNode, script: Script): boolean {
  let x: SyntaxNode | null = n;
  while (x && (x.type === 'redirected_statement' || x.type === 'negated_command')) x = x.namedChild(0);
  if (x?.type !== 'command') return false;
  const words = commandWords(x, script)?.map((w) => w.value);
  return !!words && /(^|\/)gcloud$/.test(words[0] ?? '') && words[1] === 'secrets' && words[2] === 'describe';
}

/** An argument's words; an image held in a variable from outside the script known in part reads
 * as its text as written; an env or secrets list held in a variable the script builds from
 * `NAME=value` pieces (`--update-secrets "$AUTH"` after `AUTH="A=…"; AUTH="$AUTH,B=…"`) reads as
 * those pieces, so its names count as set even where a value is known only at run time. */
function listWords(arg: SyntaxNode, script: Script, prev: BuiltWord | undefined): BuiltWord[] {
  const ws = script.argWords(arg);
  // `--image $IMAGE` with `IMAGE` from the workflow step's `env:` (`…/api:${{ github.sha }}`):
  // its text as written, which names the image a build step of the workflow tags.
  if (ws.length === 1 && ws[0].dynamic && prev && !prev.dynamic && prev.value === '--image') {
    const held = script.outsideHeldText(arg);
    if (held !== undefined) return [{ ...ws[0], value: held, offsets: null }];
  }
  if (ws.length !== 1 || !ws[0].dynamic || !script.text.slice(arg.startIndex, arg.endIndex).includes('$')) return ws;
  const v = ws[0].value;
  const eq = v.indexOf('=');
  const inline = v.startsWith('--') && eq > 0 && isEnvListFlag(v.slice(0, eq));
  if (!inline && !(prev && !prev.dynamic && isEnvListFlag(prev.value))) return ws;
  const held = script.partialWord(arg);
  const list = inline ? held.value.slice(held.value.indexOf('=') + 1) : held.value;
  // Every item must name its variable literally; anything else stays unreadable. A list built
  // piece by piece often ends with its separator (`LIST="${LIST}B=${B},"`): no item there.
  const items = list.split(',');
  if (items[items.length - 1] === '') items.pop();
  if (held.value === v || items.length === 0 || !items.every((item) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(item))) return ws;
  return [held];
}

/** Quoted arguments of `cmd` that hold a gcloud deploy command line. */
function quotedGcloud(cmd: SyntaxNode, text: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const name = cmd.childForFieldName('name');
  // Commands that print their arguments show a command line, they don't run it.
  if (name && PRINTING_COMMANDS.test(text.slice(name.startIndex, name.endIndex))) return out;
  for (const arg of cmd.childrenForFieldName('argument')) {
    // A double-quoted command line that closes its quotes around values and reopens them
    // (`"gcloud run deploy web --image "${IMG}" --region r"`) is one argument, a concatenation
    // from the first quote to the last; between them the inner quotes pair up around the values,
    // so the text reads as the command line the helper runs.
    const spliced = arg.type === 'concatenation' && arg.firstChild?.type === 'string' && arg.lastChild?.type === 'string';
    if (arg.type !== 'string' && arg.type !== 'raw_string' && !spliced) continue;
    const inner = text.slice(arg.startIndex + 1, arg.endIndex - 1);
    if (/^\s*(\S*\/)?gcloud\s+(beta\s+|alpha\s+)?(run|functions)\s/.test(inner)) out.push(arg);
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
  for (const group of adjacentArguments(cmd, script)) {
    words.push(...(group.length > 1 ? [gluedWord(group, script)] : script.argWords(group[0])));
  }
  return words;
}

/**
 * The command's arguments, those written with no space between them grouped: one shell word.
 * tree-sitter-bash splits some unquoted words in two (`A=$A,B=$B,C=$C` reads as `A=$A,B=$` and
 * `B,C=$C`), which would drop every entry after the split. It also ends a word at a line
 * continuation inside it (`…:latest\` then `,B=b:latest` at the start of the next line), which
 * the shell removes, joining the two lines' text into one word (in a workflow's `run: |` block
 * the next line starts after the block's indentation, which YAML removes).
 */
function adjacentArguments(cmd: SyntaxNode, script: Script): SyntaxNode[][] {
  const { text, blockIndent } = script;
  const groups: SyntaxNode[][] = [];
  for (const arg of cmd.childrenForFieldName('argument')) {
    if (!arg.isNamed) continue;
    const last = groups[groups.length - 1];
    const end = last?.[last.length - 1].endIndex;
    if (end !== undefined && (end === arg.startIndex || isLineContinuation(text.slice(end, arg.startIndex), blockIndent))) last.push(arg);
    else groups.push([arg]);
  }
  return groups;
}

/** A backslash-newline, with the next line's YAML block indentation (not the shell's). */
function isLineContinuation(between: string, blockIndent: number): boolean {
  const eol = between.startsWith('\\\r\n') ? 3 : between.startsWith('\\\n') ? 2 : 0;
  return eol > 0 && between.length === eol + blockIndent && /^ *$/.test(between.slice(eol));
}

/** One word from arguments written together; its value is known only if each part's is. */
function gluedWord(nodes: SyntaxNode[], script: Script): BuiltWord {
  const parts = nodes.map((n) => script.word(n));
  const offsets = parts.every((p) => p.offsets)
    ? parts.flatMap((p, i) => (i < parts.length - 1 ? p.offsets!.slice(0, -1) : p.offsets!))
    : null;
  // Each part's expansions, at their places in the joined value: a caller's default
  // (`K="${K:-<your-key>}"`) stays one when the list goes on past a line continuation.
  const expansions: NonNullable<BuiltWord['expansions']> = [];
  let at = 0;
  for (const p of parts) {
    for (const x of p.expansions ?? []) expansions.push({ ...x, from: x.from + at, to: x.to + at });
    at += p.value.length;
  }
  return {
    value: parts.map((p) => p.value).join(''),
    span: { start: nodes[0].startIndex, end: nodes[nodes.length - 1].endIndex },
    offsets,
    dynamic: parts.some((p) => p.dynamic),
    ...(expansions.length ? { expansions } : {}),
  };
}

/** `docker build -f … -t …`, `gcloud builds submit --tag …` (after `sudo`/`env` prefixes too): a
 * build; `gcloud builds submit --config … --substitutions …`: a Cloud Build file this script runs. */
function readBuild(cmd: SyntaxNode, script: Script): { build?: BuildFact; run?: BuildConfigRun } | undefined {
  const nameNode = cmd.childForFieldName('name');
  if (!nameNode) return undefined;
  const nameText = script.text.slice(nameNode.startIndex, nameNode.endIndex);
  if (!/docker|podman|gcloud|executor/.test(nameText) && !PREFIX_COMMANDS.has(nameText)) return undefined;
  const words = commandWords(cmd, script);
  if (!words) return undefined;
  const start = PREFIX_COMMANDS.has(nameText) ? words.findIndex((w, i) => i > 0 && i < 8 && /(^|\/)(docker|podman|gcloud)$/.test(w.value)) : 0;
  if (start < 0) return undefined;
  const build = interpretBuild(words, start, script.via);
  const run = build ? undefined : interpretBuildConfigRun(words, start);
  if (!build && !run) return undefined;
  const dir = workingDir(cmd, script.text, script.file, script.statementsApart, script.startDir, (name, pos) => script.plainAssignedValue(name, pos));
  if (build) {
    // Without a context (`gcloud builds submit --tag …`) the build takes the folder it runs in.
    if (dir) build.context = fromWorkingDir(build.context ?? { value: '.', text: '.', span: build.span }, dir);
    build.dockerfile = fromWorkingDir(build.dockerfile, dir);
    heldTags(build, cmd, script);
    return { build };
  }
  if (dir) run!.config = fromWorkingDir(run!.config, dir) ?? run!.config;
  return { run };
}

/**
 * A tag known only in part (`IMAGE=gcr.io/${{ secrets.GCP_PROJECT }}/api` then `docker build -t
 * "$IMAGE:$GITHUB_SHA"` in a workflow's `run:`) is also tagged with its text as the script fills
 * it in, the parts known only at run time as written: that is how a deploy step's `image:` input
 * names the same image. The tag as written stays, for a deploy naming it the same way (`$IMAGE`).
 */
function heldTags(build: BuildFact, cmd: SyntaxNode, script: Script): void {
  for (const tag of [build.image, ...(build.otherTags ?? [])]) {
    if (!tag || tag.value !== undefined) continue;
    // The tag's span may be inside the argument's quotes (`-t "$IMAGE"`).
    const arg = cmd.namedChildren.find((c) => c.startIndex <= tag.span.start && c.startIndex >= tag.span.start - 1 && c.endIndex >= tag.span.end && c.endIndex <= tag.span.end + 1);
    const held = arg && script.partialWord(arg).value;
    if (held && held !== tag.text && held.includes('/')) (build.otherTags ??= []).push({ text: held, span: tag.span });
  }
}

function readCommand(cmd: SyntaxNode, script: Script): DeployFact | undefined {
  const text = script.text;
  const nameNode = cmd.childForFieldName('name');
  if (!nameNode) return undefined;
  const nameText = text.slice(nameNode.startIndex, nameNode.endIndex);
  const isPrefix = PREFIX_COMMANDS.has(nameText);
  if (!nameText.includes('gcloud') && !isPrefix && !nameText.includes('$')) return undefined;
  // `$CMD` holding a whole command line is read as that line (see nested()).
  if (commandVariable(cmd, text) && commandPieces(script, commandVariable(cmd, text)!, cmd.startIndex)) return undefined;
  if (isPrefix && !text.slice(nameNode.endIndex, cmd.endIndex).includes('gcloud')) return undefined;
  const words: BuiltWord[] = [];
  let fromArray = false;
  words.push(...script.argWords(nameNode.namedChild(0) ?? nameNode));
  for (const group of adjacentArguments(cmd, script)) {
    // `"${FLAGS[@]}"` (or `${FLAGS[@]+"${FLAGS[@]}"}`, safe under `set -u`): the array's words,
    // where its assignments are in sight (`FLAGS+=(--set-secrets="DATABASE_URL=…")`).
    // (An array right after `gcloud` is the whole command line: nested() reads it, with its spans.)
    const spread = group.length === 1 && words.length > 1 ? spreadArray(group[0], text) : undefined;
    const items = spread ? script.arrayItemNodes(spread, cmd.startIndex) : undefined;
    if (items) {
      for (const item of items) words.push(...script.argWords(item));
      fromArray = true;
      continue;
    }
    words.push(...(group.length > 1 ? [gluedWord(group, script)] : listWords(group[0], script, words[words.length - 1])));
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
  const fact = interpretGcloud(words, g, { via: script.via });
  if (!fact) return undefined;
  // The array holds the appends of every branch (`if …; then FLAGS+=(--env-vars-file …); else
  // FLAGS+=(--set-env-vars …)`): flags of two branches are no pair gcloud sees.
  if (fromArray && fact.rejected?.why === 'exclusive') {
    delete fact.rejected;
    for (const b of fact.blocks) delete b.split;
  }
  const dir = workingDir(cmd, script.text, script.file, script.statementsApart, script.startDir, (name, pos) => script.plainAssignedValue(name, pos));
  fact.source = fromWorkingDir(fact.source, dir);
  if (!fact.opaque) {
    const opaque = findOpaque(words, g);
    if (opaque) fact.opaque = opaque;
  }
  // A new `--update-env-vars` / `--update-secrets` flag only where the command has no list of that
  // kind: gcloud takes one of --set-env-vars, --update-env-vars and --env-vars-file (and one of
  // --set-secrets and --update-secrets), and refuses the command otherwise.
  if (!fact.blocks.some((b) => b.kind === 'env') && !fact.envFiles.length) fact.newEnvBlock = newFlagInsertion(text, words, g, 'gcloud-flag-env');
  if (!fact.blocks.some((b) => b.kind === 'secrets')) fact.newSecretBlock = newFlagInsertion(text, words, g, 'gcloud-flag-secret');
  return fact;
}
