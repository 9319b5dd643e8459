/**
 * Calls that may read the environment through an accessor another module defines: `from core.env
 * import env_str` … `env_str("BUCKET", "")`, or `from core import env` … `env.env_str("BUCKET")`.
 * Whether `env_str` is an accessor is decided where it is defined (accessors.ts records it as an
 * `AccessorDef`), which this file's extraction cannot see; so each call whose first argument is an
 * env-shaped literal is recorded as an `AccessorCallFact`, judged as for an accessor returning
 * `None` when the variable is unset (the call's use decides), and the model keeps it as a read only
 * when the module it names defines that accessor (model/imported-accessors.ts).
 */
import { type Ctx, argList, field, isNone, src } from './walk';
import { importedCalls, importedNames } from './imported-names';
import { nameRef } from './env-reads';
import { type Need, judgeNeed, pushRead } from './read-need';

/** Names an accessor call passes: upper case, as environment variables are written. Lower-case
 * literals passed to imported functions are translations, keys and labels far more often. */
const UPPER_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Parameters that, by name, carry a caller's default: the default this call passes, for the
 * shape of its comparisons (the model decides by the definition's own parameter). */
const DEFAULT_KEYWORDS = ['default', 'fallback', 'default_value', 'dflt'];


/** The opening of a call whose first argument is an upper-case literal: `("X"`. The callee's
 * words are read backwards from it: a pattern that matched them too tried every word of the file
 * as a callee (about ten times slower over a large repository's Python). */
const UPPER_FIRST_ARG = /\(\s*[rRuU]?["'][A-Z][A-Z0-9_]*["']/g;
/** The file's import statements, a parenthesised name list over lines included. */
const IMPORT_LINE = /^[ \t]*(?:from|import)[ \t](?:[^\n(]*\([^)]*\)|[^\n]*)/gm;

const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** The identifier ending at `end` (spaces before `end` skipped): its span, or none (a
 * word starting with a digit is none). */
function identifierBefore(text: string, end: number): { start: number; end: number } | undefined {
  let e = end;
  while (e > 0 && isSpace(text.charCodeAt(e - 1))) e--;
  let s = e;
  while (s > 0 && isWordChar(text.charCodeAt(s - 1))) s--;
  return s < e && !isDigit(text.charCodeAt(s)) ? { start: s, end: e } : undefined;
}

/** Each call with an upper-case literal first (`name("X"`, `mod.name("X"`): the callee's words. */
function* upperLiteralCallees(text: string): Iterable<{ module?: string; name: string }> {
  for (const m of text.matchAll(UPPER_FIRST_ARG)) {
    const name = identifierBefore(text, m.index);
    if (!name) continue;
    let dot = name.start;
    while (dot > 0 && isSpace(text.charCodeAt(dot - 1))) dot--;
    const module = dot > 0 && text.charCodeAt(dot - 1) === 46 ? identifierBefore(text, dot - 1) : undefined;
    yield { module: module && text.slice(module.start, module.end), name: text.slice(name.start, name.end) };
  }
}

/** Whether some call with an upper-case literal first names a word the file imports: a byte-level
 * test before the file's imports are walked (most parsed files call only `os.getenv("X")`). */
function mayCallImported(text: string): boolean {
  const words = new Set<string>();
  for (const m of text.matchAll(IMPORT_LINE)) for (const w of m[0].match(/[A-Za-z_]\w*/g) ?? []) words.add(w);
  if (!words.size) return false;
  for (const { module, name } of upperLiteralCallees(text)) {
    if ((module && module !== 'os' && words.has(module)) || (!module && words.has(name))) return true;
  }
  return false;
}

export function collectImportedAccessorCalls(ctx: Ctx): void {
  if (!mayCallImported(ctx.text)) return;
  const imported = importedNames(ctx);
  if (!imported.funcs.size && !imported.modules.size) return;
  const seen = new Set(ctx.hits.map((h) => h.node.id));
  for (const { call, fn, args } of importedCalls(ctx)) {
    if (seen.has(call.id)) continue;
    const target = fn.type === 'identifier'
      ? imported.funcs.get(src(ctx, fn))
      : { module: imported.modules.get(src(ctx, field(fn, 'object') ?? fn)) ?? '', name: src(ctx, field(fn, 'attribute') ?? fn) };
    if (!target?.module) continue;
    const a = argList(ctx, args);
    const first = a.positional[0];
    if (!first) continue;
    const ref = nameRef(ctx, first);
    if (ref?.kind !== 'static' || !UPPER_NAME.test(ref.name)) continue;
    const passed = a.positional[1] ?? DEFAULT_KEYWORDS.map((k) => a.keywords.get(k)).find((v) => v);
    const need: Need = { hasDefault: false };
    judgeNeed(ctx, call, undefined, need);
    const keywords: Record<string, boolean> = {};
    for (const [k, v] of a.keywords) keywords[k] = !isNone(v);
    pushRead(ctx, { kind: 'call', node: call, defaultNode: passed, imported: { module: target.module, name: target.name,
      positional: a.positional.map((p) => !isNone(p)), keywords } }, ref.name, ref.span, need.hasDefault, src(ctx, fn).replace(/\s+/g, ''), need);
  }
}
