/**
 * What a workflow step's script says its outputs are: `echo "image=$IMAGE" >> "$GITHUB_OUTPUT"`
 * (and `{ echo …; echo …; } >> $GITHUB_OUTPUT`, and the older `echo "::set-output name=image::…"`),
 * each value read as the script builds it. A later step reads it as `${{ steps.<id>.outputs.image
 * }}`, another job as `${{ needs.<job>.outputs.… }}`: the image a deploy runs is often only named
 * this way.
 *
 * Only a write every run makes counts: one under an `if`, a `case`, a loop, a function or `&&`
 * may not happen (another value, or none, is then the output), so such a name is unknown, as is a
 * name written twice with different text, or with a value the ways through the script build
 * differently (`ENV` set in both branches of an `if`).
 */
import type { SyntaxNode } from '../parsers/tree-sitter';
import { NO_CONTEXT, type Script } from './shell-script';
import type { ScriptShape } from './shell-contexts';

/** One output: `value` when static; `text` as the script builds it, the parts known only at run
 * time as written (`us-docker.pkg.dev/p/app:$SHORT_SHA`); null when not known at all. */
export type StepOutput = { value?: string; text: string } | null;
export type StepOutputs = Map<string, StepOutput>;

export function writesStepOutputs(text: string): boolean {
  return text.includes('GITHUB_OUTPUT') || text.includes('::set-output');
}

const OUTPUT_FILE = /^"?\$(\{GITHUB_OUTPUT\}|GITHUB_OUTPUT)"?$/;
const SET_OUTPUT = /^::set-output name=([A-Za-z_][\w-]*)::([\s\S]*)$/;
const NAME = /^[A-Za-z_][\w-]*$/;
/** Statements between a write and the script's top that run it every time. */
const UNCONDITIONAL = new Set(['program', 'redirected_statement', 'compound_statement', 'subshell']);

export function readOutputWrites(redirected: readonly SyntaxNode[], commands: readonly SyntaxNode[], script: Script, shape: ScriptShape, out: StepOutputs): void {
  const text = script.text;
  const seen = new Set<number>();
  const record = (name: string, word: { value: string; dynamic: boolean }, cmd: SyntaxNode): void => {
    const output: StepOutput = always(cmd) ? (word.dynamic ? { text: word.value } : { value: word.value, text: word.value }) : null;
    if (!out.has(name)) out.set(name, output);
    else {
      const had = out.get(name);
      if (!had || !output || had.text !== output.text) out.set(name, null);
    }
  };
  for (const r of redirected) {
    const redirect = r.namedChildren.find((c) => c?.type === 'file_redirect');
    const dest = redirect?.childForFieldName('destination') ?? redirect?.namedChildren[redirect.namedChildren.length - 1];
    if (!redirect || !dest || !OUTPUT_FILE.test(text.slice(dest.startIndex, dest.endIndex).trim())) continue;
    const body = r.childForFieldName('body') ?? r.namedChild(0);
    for (const cmd of body ? echoesIn(body) : []) {
      seen.add(cmd.startIndex);
      const line = echoed(cmd, script, shape);
      if (!line) continue;
      const eq = line.value.indexOf('=');
      const name = eq > 0 ? line.value.slice(0, eq) : '';
      // `name<<EOF` (a multi-line value) and anything not a plain name are not read.
      if (!NAME.test(name)) continue;
      record(name, { value: line.value.slice(eq + 1), dynamic: line.dynamic }, cmd);
    }
  }
  for (const cmd of commands) {
    if (seen.has(cmd.startIndex) || !text.slice(cmd.startIndex, cmd.endIndex).includes('::set-output')) continue;
    const line = echoed(cmd, script, shape);
    const m = line && SET_OUTPUT.exec(line.value);
    if (m) record(m[1]!, { value: m[2]!, dynamic: line!.dynamic }, cmd);
  }
}

/** The `echo` commands a redirection's body runs (itself, or those of a `{ …; }` group). */
function echoesIn(body: SyntaxNode): SyntaxNode[] {
  if (body.type === 'command') return [body];
  if (body.type !== 'compound_statement' && body.type !== 'subshell') return [];
  return body.namedChildren.filter((c): c is SyntaxNode => c?.type === 'command');
}

/** The line `echo` prints (its words joined by spaces, `-n`/`-e` dropped); undefined for another
 * command, or where the ways through the script to it print different lines (`ENV=production` in
 * one branch of an `if`, `ENV=staging` in the other). */
function echoed(cmd: SyntaxNode, script: Script, shape: ScriptShape): { value: string; dynamic: boolean } | undefined {
  const name = cmd.childForFieldName('name');
  if (!name || script.text.slice(name.startIndex, name.endIndex) !== 'echo') return undefined;
  const { contexts, unresolved } = shape.contextsFor(cmd);
  if (unresolved) return undefined;
  let line: { value: string; dynamic: boolean } | undefined;
  try {
    for (const ctx of contexts) {
      script.use(ctx);
      const words = cmd.childrenForFieldName('argument').filter((a): a is SyntaxNode => !!a).map((a) => script.partialWord(a));
      while (words.length && !words[0]!.dynamic && /^-[neE]+$/.test(words[0]!.value)) words.shift();
      if (words.length === 0) return undefined;
      const here = { value: words.map((w) => w.value).join(' '), dynamic: words.some((w) => w.dynamic) };
      if (line && (line.value !== here.value || line.dynamic !== here.dynamic)) return undefined;
      line = here;
    }
  } finally {
    script.use(NO_CONTEXT);
  }
  return line;
}

function always(cmd: SyntaxNode): boolean {
  for (let p = cmd.parent; p; p = p.parent) if (!UNCONDITIONAL.has(p.type)) return false;
  return true;
}
