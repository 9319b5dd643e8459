/**
 * What a module loads, from its tokens alone (no parse: every code file gets this, most are never
 * parsed): the specifiers of `import … from 'x'`, `export … from 'x'`, `import 'x'`,
 * `require('x')` and `import('x')`, and whether it also loads a module whose name is computed
 * (`require(path.join(dir, f))`, `import(\`./routes/${name}\`)`), which makes what it loads
 * unknowable; and what it re-exports (`export * from './mode'`, `export { a as b } from './x'`),
 * through which a function a package's entry offers is found where it is defined. One pass of TypeScript's scanner, re-scanning a `/` that starts a regular
 * expression and the text after a template's `${…}` as the parser would.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter.
import ts = tsMorphTs;
import type { FileFacts } from '../../core/facts';
import type { TopLevelUses } from './top-level-uses';

const K = ts.SyntaxKind;
/** Tokens after which a `/` starts a regular expression rather than a division. */
const BEFORE_EXPRESSION = new Set<ts.SyntaxKind>([
  K.Unknown, K.OpenParenToken, K.CommaToken, K.EqualsToken, K.ColonToken, K.OpenBracketToken, K.ExclamationToken,
  K.AmpersandAmpersandToken, K.BarBarToken, K.QuestionToken, K.QuestionQuestionToken, K.OpenBraceToken, K.CloseBraceToken,
  K.SemicolonToken, K.ReturnKeyword, K.TypeOfKeyword, K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken,
  K.EqualsEqualsToken, K.ExclamationEqualsToken, K.PlusToken, K.MinusToken, K.AsteriskToken, K.EqualsGreaterThanToken,
  K.AmpersandToken, K.BarToken, K.CaretToken, K.TildeToken, K.LessThanToken, K.GreaterThanToken, K.CaseKeyword, K.DeleteKeyword, K.VoidKeyword,
  K.InKeyword, K.OfKeyword, K.NewKeyword, K.YieldKeyword, K.AwaitKeyword,
]);
const isString = (t: ts.SyntaxKind): boolean => t === K.StringLiteral || t === K.NoSubstitutionTemplateLiteral;

/** A text token that ends in a data file's name (`'sa.json'`, a template's tail `}.json`). */
function namesDataFile(t: ts.SyntaxKind, scanner: ts.Scanner): boolean {
  return (isString(t) || t === K.TemplateTail) && /\.json$/i.test(scanner.getTokenValue());
}

/** Whether an expression read so far ends in a data file's name, after token `t`: text naming
 * one does, and closing brackets keep it; more text or a `+` ends it (`'x.json' + ext`). A choice
 * (`a ? 'x.js' : 'y.json'`, `a || 'y.json'`) never does: `null` from there on. */
function endsInDataFile(before: boolean | null, t: ts.SyntaxKind, scanner: ts.Scanner): boolean | null {
  if (before === null || CHOICES.has(t)) return null;
  if (namesDataFile(t, scanner)) return true;
  return before && (t === K.CloseParenToken || t === K.CloseBracketToken);
}

const CHOICES = new Set<ts.SyntaxKind>([K.QuestionToken, K.BarBarToken, K.QuestionQuestionToken, K.AmpersandAmpersandToken]);

/** `uses`, when given, is told every token with its brace depth (top-level-uses.ts): one scan serves both. */
export function moduleLinksOf(text: string, kind: ts.ScriptKind, uses?: TopLevelUses): NonNullable<FileFacts['moduleLinks']> {
  // Nothing to load: no scan.
  if (!text.includes('import') && !text.includes('require') && !text.includes('from')) return { specifiers: [] };
  const variant = kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const found = new Set<string>();
  let dynamic = false;
  // Brace depths at which a template's `${` was opened: its `}` resumes the template's text.
  const templates: number[] = [];
  let braces = 0;
  let prev: ts.SyntaxKind = K.Unknown;
  let prevPrev: ts.SyntaxKind = K.Unknown;
  const next = (): ts.SyntaxKind => {
    const depth = braces;
    let t = scanner.scan();
    if ((t === K.SlashToken || t === K.SlashEqualsToken) && BEFORE_EXPRESSION.has(prev)) t = scanner.reScanSlashToken();
    if (t === K.OpenBraceToken) braces++;
    else if (t === K.TemplateHead) templates.push(braces);
    else if (t === K.CloseBraceToken) {
      if (templates.length && templates[templates.length - 1] === braces) {
        t = scanner.reScanTemplateToken(false);
        if (t === K.TemplateTail) templates.pop();
      } else braces--;
    }
    // Only names and keywords are read for their text: punctuation tells by its kind.
    if (uses && t !== K.EndOfFileToken) uses.token(t, t === K.Identifier || (t >= K.FirstKeyword && t <= K.LastKeyword) ? scanner.getTokenText() : '', depth, scanner.hasPrecedingLineBreak());
    return t;
  };
  const reExports: ReExport[] = [];
  // The tokens of an `export` declaration being read, after the keyword, while it may re-export.
  let exporting: string[] | undefined;
  // Constants that hold a data file's path (`const saPath = path.join(dir, 'sa.json')`): a
  // `require(saPath)` loads JSON, no module.
  const dataPaths = new Set<string>();
  const declared = new Set<string>();
  let declaring: { name: string; parens: number; data: boolean | null; started: boolean } | undefined;
  for (let t = next(); t !== K.EndOfFileToken; prevPrev = prev, prev = t, t = next()) {
    if (declaring) {
      if (!declaring.started) {
        declaring = t === K.EqualsToken ? { ...declaring, started: true } : undefined;
      } else if (declaring.parens === 0 && (t === K.SemicolonToken || t === K.CommaToken || (scanner.hasPrecedingLineBreak() && prev !== K.EqualsToken && t !== K.DotToken))) {
        // A name declared again in another scope with other text is no data path anywhere.
        if (declaring.data && !declared.has(declaring.name)) dataPaths.add(declaring.name);
        else dataPaths.delete(declaring.name);
        declared.add(declaring.name);
        declaring = undefined;
      } else {
        if (t === K.OpenParenToken) declaring.parens++;
        else if (t === K.CloseParenToken) declaring.parens--;
        else declaring.data = endsInDataFile(declaring.data, t, scanner);
      }
    }
    if (t === K.Identifier && prev === K.ConstKeyword) declaring = { name: scanner.getTokenText(), parens: 0, data: false, started: false };
    // `from 'x'` (an import or export declaration), `import 'x'`.
    if (isString(t) && (prev === K.FromKeyword || (prev === K.ImportKeyword && prevPrev !== K.DotToken))) {
      found.add(scanner.getTokenValue());
      const reExport = exporting && prev === K.FromKeyword ? reExportOf(exporting, scanner.getTokenValue()) : undefined;
      if (reExport) reExports.push(reExport);
      exporting = undefined;
      continue;
    }
    if (exporting) {
      // `* from` or `{ … } from`: anything else (`* as ns`, `export const`) re-exports nothing by name.
      const token = scanner.getTokenText();
      const listed = exporting[0] === '*' || exporting.includes('}');
      if (exporting.length === 0 ? token === '*' || token === '{' : !listed || token === 'from') exporting.push(token);
      else exporting = undefined;
    }
    if (t === K.ExportKeyword && prev !== K.DotToken) exporting = [];
    // `require(…)` (not a method `x.require(…)`), `import(…)`: a literal, or a computed name.
    if (t === K.OpenParenToken && prevPrev !== K.DotToken && (prev === K.RequireKeyword || prev === K.ImportKeyword)) {
      prevPrev = prev;
      prev = t;
      t = next();
      if (!isString(t)) {
        // A computed name: JSON when it is a data path's constant, or its last text names one
        // (`require(path.join(dir, 'sa.json'))`, `require(\`./locales/${lang}.json\`)`).
        if (t === K.Identifier && dataPaths.has(scanner.getTokenText())) {
          prevPrev = prev;
          prev = t;
          t = next();
          if (t !== K.CloseParenToken) dynamic = true;
          continue;
        }
        let parens = 1;
        let data: boolean | null = false;
        for (; t !== K.EndOfFileToken; prevPrev = prev, prev = t, t = next()) {
          if (t === K.OpenParenToken) parens++;
          else if (t === K.CloseParenToken && --parens === 0) break;
          else data = endsInDataFile(data, t, scanner);
        }
        if (!data) dynamic = true;
        continue;
      }
      const value = scanner.getTokenValue();
      prevPrev = prev;
      prev = t;
      t = next();
      if (t === K.CloseParenToken || t === K.CommaToken) found.add(value);
      else dynamic = true; // `require('./routes/' + name)`
    }
  }
  const specifiers = [...found].sort();
  return {
    specifiers,
    ...(reExports.length ? { reExports } : {}),
    ...(dynamic ? { dynamic: true as const } : {}),
  };
}

type ReExport = NonNullable<NonNullable<FileFacts['moduleLinks']>['reExports']>[number];

/**
 * What an `export` declaration's tokens (after the keyword, up to `from`) re-export from `module`:
 * everything (`*`), or the values its `{ a, b as c, type T }` names, exported name → imported;
 * undefined when it names no value.
 */
function reExportOf(tokens: string[], module: string): ReExport | undefined {
  if (tokens[0] === '*') return { module };
  const names: Record<string, string> = {};
  const list = tokens.slice(1, tokens.indexOf('}'));
  for (let i = 0; i < list.length; ) {
    let end = list.indexOf(',', i);
    if (end < 0) end = list.length;
    const el = list.slice(i, end);
    i = end + 1;
    // `type T`: a type, no value.
    if (el.length > 1 && el[0] === 'type') continue;
    if (!el.every((w) => w === 'as' || /^[A-Za-z_$][\w$]*$/.test(w))) continue;
    if (el.length === 1) names[el[0]!] = el[0]!;
    else if (el.length === 3 && el[1] === 'as') names[el[2]!] = el[0]!;
  }
  return Object.keys(names).length ? { module, names } : undefined;
}

/**
 * The module's directive (`'use client'`, `'use server'`): the string statements before any other
 * (the ECMAScript directive prologue), read with the lexer. React and Next.js decide by it where a
 * module runs: a client one ships to the browser, a server one never does.
 */
export function directiveOf(text: string): 'use client' | 'use server' | undefined {
  if (!text.includes('use client') && !text.includes('use server')) return undefined;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  let t = scanner.scan();
  while (isString(t)) {
    const value = scanner.getTokenValue();
    // Each directive is a statement of its own, ended by `;`, a line break or the end (`'a'.length` is none).
    t = scanner.scan();
    if (t === K.SemicolonToken) t = scanner.scan();
    else if (t !== K.EndOfFileToken && !scanner.hasPrecedingLineBreak()) return undefined;
    if (value === 'use client' || value === 'use server') return value;
  }
  return undefined;
}
