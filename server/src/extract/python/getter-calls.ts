/**
 * What a file does with the results of the functions it imports and calls with no arguments
 * (`settings.get_bucket() or settings.DEFAULT_BUCKET` after `from app import settings`;
 * `if not get_token(): return`): a getter another module defines may return an env read
 * (`def get_bucket(): return os.getenv("BUCKET")`), and only its callers show whether `None`
 * breaks anything. Each call is judged as a read expression would be (usage.ts); the model puts the
 * verdicts of every file naming the getter together (model/getter-callers.ts).
 *
 * Which imported function is a getter is known only where it is defined, so every zero-argument
 * call of an imported name is recorded, by the name the defining module gives it.
 */
import { type Ctx, field, src } from './walk';
import { importedCalls, importedNames } from './imported-names';
import { readVerdict } from './usage';

/** A call with nothing between its parentheses: the byte-level test before imports are walked. */
const EMPTY_CALL = /\(\s*\)/;

export function collectGetterCalls(ctx: Ctx): void {
  if (!EMPTY_CALL.test(ctx.text)) return;
  const imported = importedNames(ctx);
  if (!imported.funcs.size && !imported.modules.size) return;
  const out: Record<string, 'optional' | 'required'> = {};
  for (const { call, fn, args } of importedCalls(ctx)) {
    if (args.namedChildren.some((c) => c.type !== 'comment')) continue;
    const name = fn.type === 'identifier' ? imported.funcs.get(src(ctx, fn))?.name : src(ctx, field(fn, 'attribute') ?? fn);
    if (!name || out[name] === 'required') continue;
    out[name] = readVerdict(ctx, call).kind === 'optional' ? 'optional' : 'required';
  }
  const names = Object.keys(out).sort();
  if (names.length) ctx.facts.getterCalls = Object.fromEntries(names.map((n) => [n, out[n]!]));
}
