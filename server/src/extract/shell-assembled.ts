/**
 * A gcloud command assembled in a shell variable and run later:
 *
 *   CMD="gcloud run deploy api --image=$IMAGE --set-env-vars=A=1"
 *   if [ -n "$SQL" ]; then CMD="$CMD --add-cloudsql-instances=$SQL"; fi
 *   eval "$CMD"            # or: $CMD
 *
 * The command line is the text of the assignments the run reads, the first one and every
 * `CMD="$CMD …"` append after it (appends under a condition included: a flag that may be there
 * counts as there, which keeps findings quiet rather than wrong). The caller parses that text on a
 * shadow of the file — everything else blanked, line breaks between the pieces turned to spaces —
 * so the command's words keep the file's own offsets.
 */
import type { Span } from '../core/facts';
import type { SyntaxNode } from '../parsers/tree-sitter';
import { plainVariable, type Script } from './shell-script';

const MAX_PIECES = 32;

/** The variable a command runs: `$CMD …`, `${CMD}`, `eval "$CMD"`, `eval $CMD`, and an array's
 * elements `"${CMD[@]}"` (the array form of the same idiom). */
export function commandVariable(cmd: SyntaxNode, text: string): string | undefined {
  const nameNode = cmd.childForFieldName('name');
  const first = nameNode?.namedChild(0) ?? nameNode;
  if (!first) return undefined;
  if (first.type === 'simple_expansion' || first.type === 'expansion') return plainVariable(first, text) ?? arrayElements(first, text);
  if (first.type === 'string' && first.namedChildren.length === 1 && first.namedChildren[0]?.type === 'expansion') return arrayElements(first.namedChildren[0]!, text);
  if (text.slice(first.startIndex, first.endIndex) !== 'eval') return undefined;
  const args = cmd.childrenForFieldName('argument').filter((a) => a.isNamed);
  if (args.length !== 1) return undefined;
  let arg: SyntaxNode | null = args[0];
  if (arg.type === 'string') arg = arg.namedChildren.length === 1 ? arg.namedChildren[0] : null;
  return arg && (arg.type === 'simple_expansion' || arg.type === 'expansion') ? plainVariable(arg, text) : undefined;
}

/** `gcloud "${ARGS[@]}" …`: the command word written out, the rest of the line kept in an array
 * (`ARGS=(run deploy "$SERVICE" …)`, `ARGS+=(--set-env-vars "$ENV")`). The array's name and the
 * node of its expansion. */
export function gcloudOverArray(cmd: SyntaxNode, text: string): { name: string; expansion: SyntaxNode } | undefined {
  const nameNode = cmd.childForFieldName('name');
  if (!nameNode || !/(^|\/)gcloud$/.test(text.slice(nameNode.startIndex, nameNode.endIndex))) return undefined;
  const first = cmd.childrenForFieldName('argument').find((a) => a.isNamed);
  if (!first) return undefined;
  const inner = first.type === 'string' && first.namedChildren.length === 1 ? first.namedChildren[0]! : first;
  if (inner.type !== 'expansion') return undefined;
  const name = arrayElements(inner, text);
  return name ? { name, expansion: first } : undefined;
}

/** `${X[@]}` / `${X[*]}`: X. */
function arrayElements(node: SyntaxNode, text: string): string | undefined {
  const raw = text.slice(node.startIndex, node.endIndex);
  return /^\$\{[A-Za-z_]\w*\[[@*]\]\}$/.test(raw) ? raw.slice(2, raw.indexOf('[')) : undefined;
}

/** The array an argument spreads: `${X[@]}`, `"${X[@]}"`, and `${X[@]+"${X[@]}"}` (the form safe
 * under `set -u`). */
export function spreadArray(arg: SyntaxNode, text: string): string | undefined {
  const inner = arg.type === 'string' && arg.namedChildren.length === 1 ? arg.namedChildren[0]! : arg;
  const plain = arrayElements(inner, text);
  if (plain) return plain;
  const m = /^\$\{([A-Za-z_]\w*)\[[@*]\]\+"\$\{([A-Za-z_]\w*)\[[@*]\]\}"\}$/.exec(text.slice(arg.startIndex, arg.endIndex));
  return m && m[1] === m[2] ? m[1] : undefined;
}

/** The text regions of the assignments that make up `$name` at `pos`, first piece first;
 * undefined when a piece is not plain text (`CMD=$(build_cmd)`). */
export function commandPieces(script: Script, name: string, pos: number): Span[] | undefined {
  const text = script.text;
  const pieces: Span[] = [];
  let a = script.assignmentAt(name, pos);
  while (a && pieces.length < MAX_PIECES) {
    const v = a.value;
    if (!v || a.loop) return undefined;
    if (a.items) {
      // `CMD=(gcloud run deploy …)`, `CMD+=(--set-env-vars "$ENV")`: the elements inside the
      // parentheses; an element expanding the array itself is not followed.
      if (a.items.some((it) => arrayElements(it.type === 'string' && it.namedChildren.length === 1 ? it.namedChildren[0]! : it, text) === name)) return undefined;
      pieces.unshift({ start: v.startIndex + 1, end: v.endIndex - 1 });
      if (!a.append) return pieces;
      a = script.assignmentAt(name, a.node.startIndex);
      continue;
    }
    let self = false;
    if (v.type === 'string') {
      const kids = v.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'string_content');
      const head = kids[0];
      const startsWithSelf = !!head && head.startIndex === v.startIndex + 1 && plainVariable(head, text) === name;
      if (kids.some((k) => k !== head && plainVariable(k, text) === name)) return undefined;
      self = startsWithSelf;
      pieces.unshift({ start: startsWithSelf ? head.endIndex : v.startIndex + 1, end: v.endIndex - 1 });
    } else if (v.type === 'raw_string') {
      pieces.unshift({ start: v.startIndex + 1, end: v.endIndex - 1 });
    } else if (v.type === 'word') {
      pieces.unshift({ start: v.startIndex, end: v.endIndex });
    } else return undefined;
    if (a.append) self = true;
    if (!self) return pieces;
    a = script.assignmentAt(name, a.node.startIndex);
  }
  return undefined;
}

/** The shadow of `gcloudOverArray`'s command: the array's pieces, with the command word written in
 * the blank just before the first one (the array's own `ARGS=(`, where a span of the command
 * lands), and the words after the expansion. Undefined when no blank of that size is there. */
export function arrayCommandShadow(text: string, pieces: Span[], rest: Span): string | undefined {
  const WORD = 'gcloud ';
  const at = pieces[0].start - WORD.length;
  const shadow = piecesShadow(text, [...pieces, rest]);
  if (at < 0 || shadow.slice(at, pieces[0].start).trim() !== '') return undefined;
  return shadow.slice(0, at) + WORD + shadow.slice(pieces[0].start);
}

/** The file with everything but `pieces` blanked; line breaks outside them, and inside them
 * unless continued with `\`, become spaces (the value is word-split, not run line by line). */
export function piecesShadow(text: string, pieces: Span[]): string {
  const out = text.replace(/[^\n\r]/g, ' ').split('');
  for (let k = 0; k < out.length; k++) if (out[k] === '\n' || out[k] === '\r') out[k] = ' ';
  for (const p of pieces) {
    for (let i = p.start; i < p.end; i++) {
      const c = text[i];
      const continued = (c === '\n' && text[i - 1] === '\\') || (c === '\r' && text[i - 1] === '\\' && text[i + 1] === '\n') ||
        (c === '\n' && text[i - 1] === '\r' && text[i - 2] === '\\');
      out[i] = (c === '\n' || c === '\r') && !continued ? ' ' : c;
    }
  }
  return out.join('');
}
