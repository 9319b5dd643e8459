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

export function moduleLinksOf(text: string, kind: ts.ScriptKind): NonNullable<FileFacts['moduleLinks']> {
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
    return t;
  };
  const reExports: ReExport[] = [];
  // An `export` declaration being read: `*`, or the names of its `{ … }` (exported → imported).
  let exporting: Exporting | undefined;
  for (let t = next(); t !== K.EndOfFileToken; prevPrev = prev, prev = t, t = next()) {
    // `from 'x'` (an import or export declaration), `import 'x'`.
    if (isString(t) && (prev === K.FromKeyword || (prev === K.ImportKeyword && prevPrev !== K.DotToken))) {
      found.add(scanner.getTokenValue());
      if (exporting && prev === K.FromKeyword && (exporting.star || exporting.closed)) {
        const names = exporting.names;
        reExports.push(exporting.star ? { module: scanner.getTokenValue() } : { module: scanner.getTokenValue(), names });
      }
      exporting = undefined;
      continue;
    }
    if (exporting) exporting = reExportStep(exporting, t, scanner);
    if (t === K.ExportKeyword && prev !== K.DotToken) exporting = { star: false, names: {} };
    // `require(…)` (not a method `x.require(…)`), `import(…)`: a literal, or a computed name.
    if (t === K.OpenParenToken && prevPrev !== K.DotToken && (prev === K.RequireKeyword || prev === K.ImportKeyword)) {
      prevPrev = prev;
      prev = t;
      t = next();
      if (!isString(t)) {
        dynamic = true;
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
  const keptReExports = reExports.filter((r) => !r.names || Object.keys(r.names).length);
  return {
    specifiers,
    ...(keptReExports.length ? { reExports: keptReExports } : {}),
    ...(dynamic ? { dynamic: true as const } : {}),
  };
}

type ReExport = NonNullable<NonNullable<FileFacts['moduleLinks']>['reExports']>[number];
type Exporting = { star: boolean; names: Record<string, string>; last?: string; renaming?: boolean; open?: boolean; closed?: boolean };

/**
 * One token of an `export` declaration after the keyword: `* from`, `{ a, b as c, type T } from`.
 * Undefined once it is none that re-exports values by name: a namespace re-export (`* as ns`), a
 * type-only one, a declaration (`export const`), a local list with no `from`.
 */
function reExportStep(e: Exporting, t: ts.SyntaxKind, scanner: ts.Scanner): Exporting | undefined {
  if (e.closed || (e.star && !e.open)) return t === K.FromKeyword ? e : undefined;
  if (!e.open) {
    if (t === K.AsteriskToken) return { ...e, star: true };
    if (t === K.OpenBraceToken) return { ...e, open: true };
    return undefined;
  }
  if (t === K.CloseBraceToken) return { ...e, closed: true };
  if (t === K.CommaToken) return { ...e, last: undefined, renaming: false };
  if (t === K.AsKeyword) return { ...e, renaming: true };
  const word = scanner.getTokenText();
  if (!/^[A-Za-z_$][\w$]*$/.test(word)) return undefined;
  // `type T` inside the braces: a type, no value.
  if (word === 'type' && e.last === undefined && !e.renaming) return { ...e, last: '\0type' };
  if (e.last === '\0type' && !e.renaming) return { ...e, last: '\0skip' };
  if (e.last === '\0skip') return e;
  if (e.renaming && e.last !== undefined) {
    const names = { ...e.names };
    delete names[e.last];
    names[word] = e.last;
    return { ...e, names, renaming: false, last: '\0skip' };
  }
  return { ...e, names: { ...e.names, [word]: word }, last: word };
}
