/** "did you mean …?" for a misspelt key, rule id or value: the nearest candidate, if near enough. */
import { editDistance } from '../core/edit-distance';

/** The candidate the user most likely meant: same letters in another case, a prefix (`warn` →
 * `warning`), or a few edits away (a third of the word, at least 2). */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  if (!lower || lower.length > 200) return undefined;
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let d = editDistance(lower, cl);
    if (cl === lower) d = 0;
    else if (lower.length >= 3 && (cl.startsWith(lower) || lower.startsWith(cl))) d = Math.min(d, 1);
    if (d <= Math.max(2, Math.floor(Math.max(lower.length, cl.length) / 3)) && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const c = nearest(input, candidates);
  return c && c !== input ? ` (did you mean ${JSON.stringify(c)}?)` : '';
}
