/**
 * Makefiles: their recipes are shell commands (`deploy:` then `\tgcloud run deploy api --source .
 * …`). Make's syntax is line-based, so it is read by lines: a recipe line starts with a tab (and a
 * line after one ending in `\` continues it); outside recipes, `NAME = value` (`:=`, `::=`, `?=`,
 * `+=`) assigns a variable that recipes expand as `$(NAME)` or `${NAME}`; `$$` passes one `$` to
 * the shell.
 *
 * The recipes go to the shell extractor in a text of the file's length (every other line blanked,
 * `$(NAME)` written `${NAME}`, a recipe's `@` / `-` / `+` prefix blanked), so the spans of its facts
 * are the file's own and fixes edit the Makefile; make's variables reach it as known values.
 * `$$NAME` is left as written: the shell reads `$$` (a process id) followed by text, a value it
 * cannot know, which is what a variable of the operator's environment is at make time. `$$(…)` is
 * the shell's command substitution, and is written as one.
 */
import type { FileFacts } from '../core/facts';
import { extractShell } from './shell';

const ASSIGNMENT = /^\s*(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_]*)\s*(::?=|:::=|\?=|\+=|!=|=)(.*)$/;
/** A plain variable reference: `$(NAME)` or `${NAME}` (functions like `$(shell …)` are not). */
const REFERENCE = /\$([({])([A-Za-z_][A-Za-z0-9_]*)([)}])/g;

export function extractMakefile(text: string, facts: FileFacts): void {
  if (!text.includes('gcloud') && !text.includes('postgres') && !text.includes('docker')) return;
  const { shadow, variables } = recipesShadow(text);
  extractShell(shadow, facts, { via: 'shell', variables, statementsApart: true });
}

/** The recipes as a shell script of the file's length, and the variables make assigns. */
export function recipesShadow(text: string): { shadow: string; variables: Record<string, string | undefined> } {
  const variables: Record<string, string | undefined> = {};
  const out: string[] = [];
  let inRecipe = false;
  let continued = false;
  for (const line of text.split('\n')) {
    const continuation = continued && inRecipe;
    const recipe = line.startsWith('\t') || continuation;
    const body = line.endsWith('\r') ? line.slice(0, -1) : line;
    continued = body.endsWith('\\');
    if (recipe) {
      inRecipe = true;
      out.push(recipeLine(line, !continuation));
      continue;
    }
    // A rule (`target: prerequisites`) starts the recipes that follow; anything else ends them.
    inRecipe = /^[^\s#=][^=]*:(?!=)/.test(body);
    const m = inRecipe ? null : ASSIGNMENT.exec(body);
    if (m) assign(variables, m[1]!, m[2]!, m[3]!);
    out.push(line.replace(/[^\r]/g, ' '));
  }
  return { shadow: out.join('\n'), variables };
}

/** A recipe line as the shell would see it, in place: its tab and (on a command's first line) its
 * echo/ignore prefixes blanked, make's references written as the shell's. */
function recipeLine(line: string, first: boolean): string {
  let s = line.replace(/^\t/, ' ');
  const lead = first ? /^\s*[@+-]+/.exec(s) : null;
  if (lead) s = s.slice(0, lead[0].length).replace(/[@+-]/g, ' ') + s.slice(lead[0].length);
  // `$$(gcloud config get-value project)` is the shell's command substitution; left as `$$(`, the
  // shell would read a process id then a subshell, a syntax error that can swallow the command
  // after it. Written `$( ` to keep the line's length.
  return s.replace(/\$\$\(/g, '$( ').replace(REFERENCE, (all, open: string, name: string, close: string) =>
    (open === '(' && close === ')') || (open === '{' && close === '}') ? `\${${name}}` : all);
}

/** Records an assignment: its value when every reference in it is known, else unknown (`undefined`,
 * set but not seen: a `$(shell …)`, a command-line override of `?=` with nothing by default). */
function assign(variables: Record<string, string | undefined>, name: string, op: string, raw: string): void {
  const value = raw.replace(/\s+#.*$/, '').trim();
  if (op === '!=' || (op === '?=' && value === '') || (op === '?=' && name in variables)) {
    if (!(name in variables)) variables[name] = undefined;
    return;
  }
  let known = true;
  const expanded = value.replace(REFERENCE, (_all, _o: string, ref: string) => {
    const v = variables[ref];
    if (v === undefined) known = false;
    return v ?? '';
  });
  const resolved = known && !/\$[({]/.test(expanded) ? expanded : undefined;
  if (op === '+=') {
    const before = variables[name];
    variables[name] = before !== undefined && resolved !== undefined ? `${before} ${resolved}`.trim() : undefined;
    return;
  }
  variables[name] = resolved;
}
