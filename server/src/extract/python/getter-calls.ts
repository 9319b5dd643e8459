/**
 * What a file does with the results of the functions it imports and calls
 * (`settings.get_bucket() or settings.DEFAULT_BUCKET` after `from app import settings`;
 * `if not get_token(): return`; `url = music.pick_track(mood)` then `{"music": url}`): a function
 * another module defines may return an env read (`def get_bucket(): return os.getenv("BUCKET")`,
 * `def pick_track(mood): … return os.getenv("TRACK_DEFAULT")`), and only its callers show whether
 * `None` breaks anything. Each call is judged as a read expression would be (usage.ts); the model
 * puts the verdicts of every file naming the function together (model/getter-callers.ts).
 *
 * Which imported function returns a read is known only where it is defined, so every call of an
 * imported name that may be the workspace's own (imported-names.ts) is recorded, by the name the
 * defining module gives it; one call needing the value makes that name required.
 */
import { type Ctx, field, src } from './walk';
import { importedCalls, importedNames } from './imported-names';
import { readVerdict } from './usage';

export function collectGetterCalls(ctx: Ctx): void {
  const imported = importedNames(ctx);
  if (!imported.funcs.size && !imported.modules.size) return;
  const out: Record<string, 'optional' | 'required'> = {};
  for (const { call, fn } of importedCalls(ctx)) {
    const name = fn.type === 'identifier' ? imported.funcs.get(src(ctx, fn))?.name : src(ctx, field(fn, 'attribute') ?? fn);
    if (!name || out[name] === 'required') continue;
    out[name] = readVerdict(ctx, call).kind === 'optional' ? 'optional' : 'required';
  }
  const names = Object.keys(out).sort();
  if (names.length) ctx.facts.getterCalls = Object.fromEntries(names.map((n) => [n, out[n]!]));
}
