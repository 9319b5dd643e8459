/** "did you mean …?" for a misspelt key, rule id or value: the nearest candidate, if near enough. */

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

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
