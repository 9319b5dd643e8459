/** Recording the texts a read's value is compared with, the same way for every language. */
import type { EnvRead } from '../core/facts';

export function setCompared(read: EnvRead, c: { texts: string[]; caseless: boolean }): void {
  const [first, ...rest] = c.texts;
  if (first === undefined) return;
  read.comparedWith = first;
  if (rest.length) read.comparedAlso = rest;
  if (c.caseless) read.comparedCaseless = true;
}
