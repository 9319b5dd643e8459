/**
 * Where a module uses the functions it imports, from its tokens alone (every code file gets this,
 * most are never parsed): for each imported name, and each of its own top-level functions, the
 * top-level functions whose bodies alone mention it (`FileFacts.usedOnlyIn`). The model follows a
 * function's callers across files with it (model/uncalled-functions.ts): a helper called only by
 * `closeSession`, which nothing calls, never runs either.
 *
 * Only what the tokens show for certain is recorded; anything else counts as a use outside every
 * function, which keeps the name "called":
 * - a function is a top-level `function f(…) {…}` or `const f = (…) => {…}` / `= function (…)
 *   {…}`, exported or not; not a default export, not a name a framework calls, not in a file a
 *   framework calls by its place (a Next.js route): those run without anyone naming them;
 * - a class body, an object literal, a call's argument, a type literal before a body: outside;
 * - a name mentioned in its own function's body (recursion) counts as outside, as it does in the
 *   file's own reckoning (word-filter.ts).
 * Comments are no mention: the scanner skips them.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter.
import ts = tsMorphTs;
import { MIN_WORD } from '../word-filter';
import { calledByConvention } from '../../knowledge/called-by-convention';

const K = ts.SyntaxKind;

/** Tokens a function declaration's head may hold before `function`. */
const DECLARATION_MODIFIERS = new Set(['export', 'async', 'declare']);
/** Tokens that may end a function's head just before its body's `{` (a return type's last token,
 * the parameters' `)`, an arrow): a `{` after `:`, `|`, `&`, `<` or `,` opens a type literal. */
const BEFORE_BODY = new Set<ts.SyntaxKind>([K.CloseParenToken, K.EqualsGreaterThanToken, K.Identifier, K.GreaterThanToken, K.CloseBracketToken, K.CloseBraceToken]);
/** Tokens after which a `{` in a statement's head opens a type literal, not a block. */
const TYPE_BEFORE = new Set<ts.SyntaxKind>([K.ColonToken, K.LessThanToken, K.BarToken, K.AmpersandToken, K.CommaToken]);

/** A keyword, reserved or contextual (`void`, `string`, `async`): a return type may end in one. */
const isKeyword = (kind: ts.SyntaxKind): boolean => kind >= K.FirstKeyword && kind <= K.LastKeyword;

interface Token {
  kind: ts.SyntaxKind;
  text: string;
  lineBreak: boolean;
}

export class TopLevelUses {
  /** Names bound by `import` declarations (`import a, { b, c as d } from '…'`). */
  private readonly imported = new Set<string>();
  /** The file's own candidate functions. */
  private readonly functions = new Set<string>();
  /** Words used outside every candidate function. */
  private readonly outside = new Set<string>();
  /** By word: the candidate functions whose bodies use it. */
  private readonly usedBy = new Map<string, Set<string>>();
  /** The tokens of the top-level statement read so far (depth 0, parentheses included). */
  private head: Token[] = [];
  /** The candidate function whose body the scan is in (its body opened at depth 0). */
  private owner: string | undefined;
  private parens = 0;
  /** Inside an `import` declaration's binding list, before `from`. */
  private importing: Token[] | undefined;
  /** Whether the last `{` read at depth 0 opened a block of the statement (not one inside its
   * parentheses, such as a destructured parameter or an object passed to a call). */
  private blockAtTop = false;
  /** Whether the last `{` read at depth 0 opened a type literal within the statement's head. */
  private typeBrace = false;

  /** One token, with the brace depth before it was read; `text` is given for names and keywords only. */
  token(kind: ts.SyntaxKind, text: string, depth: number, lineBreak: boolean): void {
    if (this.importing) {
      // `import.meta`, `import(…)`: no declaration.
      if (this.importing.length === 0 && (kind === K.DotToken || kind === K.OpenParenToken)) {
        this.importing = undefined;
        if (kind === K.OpenParenToken) this.parens++;
        return;
      }
      if (kind === K.FromKeyword || kind === K.StringLiteral || kind === K.EqualsToken || kind === K.SemicolonToken) {
        if (kind === K.FromKeyword) this.bindImports(this.importing);
        this.importing = undefined;
        return;
      }
      this.importing.push({ kind, text, lineBreak });
      return;
    }
    if (depth === 0 && this.parens === 0 && kind === K.ImportKeyword && (this.head.length === 0 || lineBreak)) {
      this.importing = [];
      this.head = [];
      return;
    }
    if (kind === K.Identifier || isKeyword(kind)) this.mention(text, depth);
    if (depth > 0) {
      // The `}` closing a block the statement opened (not one inside its parentheses) ends it.
      if (kind === K.CloseBraceToken && depth === 1) {
        // A type literal's `}` continues the head (`): Promise<{ ok: boolean }> {`).
        if (this.typeBrace) this.head.push({ kind, text, lineBreak });
        else if (this.blockAtTop) {
          this.owner = undefined;
          this.head = [];
        }
        this.typeBrace = false;
      }
      return;
    }
    if (kind === K.OpenParenToken) this.parens++;
    else if (kind === K.CloseParenToken && this.parens > 0) this.parens--;
    if (this.parens === 0 && kind === K.SemicolonToken) {
      this.head = [];
      return;
    }
    if (kind === K.OpenBraceToken) {
      this.blockAtTop = this.parens === 0;
      if (!this.blockAtTop) return;
      // After `:`, `<`, `|`, `&` or `,`, a `{` opens a type literal (or a value inside an
      // expression): no block, and the statement goes on.
      const prev = this.head[this.head.length - 1];
      if (prev && TYPE_BEFORE.has(prev.kind)) {
        this.typeBrace = true;
        this.blockAtTop = false;
        return;
      }
      this.owner = this.functionOpening();
      if (this.owner !== undefined) this.functions.add(this.owner);
      this.head = [];
      return;
    }
    this.head.push({ kind, text, lineBreak });
  }

  /** The recorded answer: by word of interest (an imported name or a candidate function), the
   * functions alone using it, when it has any record and no use outside them. */
  result(): Record<string, string[]> | undefined {
    const out: Record<string, string[]> = {};
    let any = false;
    for (const word of [...this.imported, ...this.functions]) {
      if (word.length < MIN_WORD) continue;
      if (this.outside.has(word)) continue;
      out[word] = [...(this.usedBy.get(word) ?? [])].sort();
      any = true;
    }
    return any ? out : undefined;
  }

  private mention(text: string, depth: number): void {
    if (text.length < MIN_WORD) return;
    // A function's own name in its head is its definition, not a use.
    if (depth === 0 && this.owner === undefined && this.isDefinitionName()) return;
    if (depth > 0 && this.owner !== undefined && this.owner !== text) {
      let by = this.usedBy.get(text);
      if (!by) this.usedBy.set(text, (by = new Set()));
      by.add(this.owner);
    } else this.outside.add(text);
  }

  /** Whether the name just read at depth 0 is the one the head declares (`function f`, `const f`). */
  private isDefinitionName(): boolean {
    const h = this.head;
    const prev = h[h.length - 1];
    if (!prev) return false;
    if (prev.kind === K.FunctionKeyword || (prev.kind === K.AsteriskToken && h[h.length - 2]?.kind === K.FunctionKeyword)) return true;
    return prev.kind === K.ConstKeyword || prev.kind === K.LetKeyword || prev.kind === K.VarKeyword;
  }

  /** The candidate function whose body the `{` ending the head opens, if the head declares one. */
  private functionOpening(): string | undefined {
    const h = this.head;
    const last = h[h.length - 1];
    if (!last || !(BEFORE_BODY.has(last.kind) || isKeyword(last.kind))) return undefined;
    // The statement starts at the last token with a line break before it that begins a declaration.
    let start = 0;
    for (let i = h.length - 1; i > 0; i--) {
      if (h[i]!.lineBreak && (DECLARATION_MODIFIERS.has(h[i]!.text) || h[i]!.kind === K.FunctionKeyword || h[i]!.kind === K.ConstKeyword || h[i]!.kind === K.LetKeyword || h[i]!.kind === K.VarKeyword)) {
        start = i;
        break;
      }
    }
    let i = start;
    while (i < h.length && DECLARATION_MODIFIERS.has(h[i]!.text)) i++;
    const name = h[i + 1]?.kind === K.Identifier ? h[i + 1]!.text : h[i + 1]?.kind === K.AsteriskToken && h[i + 2]?.kind === K.Identifier ? h[i + 2]!.text : undefined;
    let found: string | undefined;
    if (h[i]?.kind === K.FunctionKeyword && name && h[i + (h[i + 1]!.kind === K.AsteriskToken ? 3 : 2)]?.kind === K.OpenParenToken) {
      found = name;
    } else if ((h[i]?.kind === K.ConstKeyword || h[i]?.kind === K.LetKeyword || h[i]?.kind === K.VarKeyword) && h[i + 1]?.kind === K.Identifier) {
      found = this.functionValue(h, i + 2) ? h[i + 1]!.text : undefined;
    }
    if (!found || calledByConvention(found, 'typescript')) return undefined;
    return found;
  }

  /** Whether the head from `at` (after a `const` name) is `[: type] = [async] (…) [: type] =>`,
   * `= [async] x =>` or `= [async] function [name] (…) [: type]`: a function value whose body is next. */
  private functionValue(h: Token[], at: number): boolean {
    let i = at;
    // A type annotation on the constant: up to its `=`, with no `{` in between (the head holds none).
    while (i < h.length && h[i]!.kind !== K.EqualsToken) i++;
    i++;
    if (h[i]?.text === 'async') i++;
    const first = h[i];
    if (!first) return false;
    if (first.kind === K.FunctionKeyword) return h.slice(i).some((t) => t.kind === K.OpenParenToken);
    if (first.kind === K.Identifier) return h[i + 1]?.kind === K.EqualsGreaterThanToken && i + 2 === h.length;
    if (first.kind !== K.OpenParenToken) return false;
    // The parameters' `(` … matching `)`, then anything but another group up to a final `=>`.
    let depth = 0;
    let j = i;
    for (; j < h.length; j++) {
      if (h[j]!.kind === K.OpenParenToken) depth++;
      else if (h[j]!.kind === K.CloseParenToken && --depth === 0) break;
    }
    if (h[h.length - 1]!.kind !== K.EqualsGreaterThanToken) return false;
    return !h.slice(j + 1, h.length - 1).some((t) => t.kind === K.OpenParenToken || t.kind === K.EqualsGreaterThanToken || t.kind === K.QuestionToken);
  }

  /** `a`, `{ b, c as d, type T }`, `a, { b }` (not `* as ns`, not `type { T }`). */
  private bindImports(tokens: Token[]): void {
    if (tokens[0]?.text === 'type' || tokens.some((t) => t.kind === K.AsteriskToken)) return;
    let inList = false;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === K.OpenBraceToken) inList = true;
      else if (t.kind === K.CloseBraceToken) inList = false;
      else if (t.kind !== K.Identifier && !isKeyword(t.kind)) continue;
      else if (t.text === 'type' && tokens[i + 1]?.kind === K.Identifier) i++; // a type: no value
      else if (tokens[i + 1]?.text === 'as') continue;
      else if (t.text !== 'as' || !inList) this.imported.add(t.text);
    }
  }
}
