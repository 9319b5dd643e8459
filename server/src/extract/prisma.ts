/**
 * A Prisma schema (`schema.prisma`, or the `.prisma` files of a schema folder): the datasource's
 * connection URL is read from the environment by the Prisma Client of the service at run time
 * (`url = env("DATABASE_URL")`); unset, the first query fails ("Environment variable not found").
 * A service's TypeScript often never names that variable itself, so this is the only place its
 * need shows.
 *
 * Only the keys the client reads are reads (knowledge/prisma.ts). Whether the service's code
 * hands the client a connection of its own is the model's question (model/prisma-clients.ts):
 * the schema cannot say.
 *
 * The schema language is read by a small lexer (comments, strings, words, punctuation): only
 * `datasource NAME { key = value … }` blocks matter.
 */
import type { FileFacts, Span } from '../core/facts';
import { PRISMA_CLIENT_KEYS, PRISMA_DATASOURCE_VIA } from '../knowledge/prisma';

interface Token {
  kind: 'word' | 'string' | 'punct';
  text: string;
  /** For strings: the unquoted value. */
  value?: string;
  start: number;
  end: number;
}

const isWordStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWordChar = (c: number): boolean => isWordStart(c) || (c >= 48 && c <= 57);

function* tokens(text: string): Iterable<Token> {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      // `//` and `///` comments run to the end of the line.
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === 34) {
      let j = i + 1;
      let value = '';
      while (j < text.length && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 10) {
        if (text.charCodeAt(j) === 92 && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      const end = Math.min(j + 1, text.length);
      yield { kind: 'string', text: text.slice(i, end), value, start: i, end };
      i = end;
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < text.length && isWordChar(text.charCodeAt(j))) j++;
      yield { kind: 'word', text: text.slice(i, j), start: i, end: j };
      i = j;
    } else if (c <= 32) {
      i++;
    } else {
      yield { kind: 'punct', text: text[i]!, start: i, end: i + 1 };
      i++;
    }
  }
}

export function extractPrisma(text: string, facts: FileFacts): void {
  const all = [...tokens(text)];
  for (let i = 0; i < all.length; i++) {
    const t = all[i]!;
    // `datasource db {` at the top level (a block's own words never start with it).
    if (t.kind !== 'word' || t.text !== 'datasource' || all[i + 1]?.kind !== 'word' || all[i + 2]?.text !== '{') continue;
    let j = i + 3;
    for (; j < all.length && all[j]!.text !== '}'; j++) {
      const key = all[j]!;
      if (key.kind !== 'word' || all[j + 1]?.text !== '=' || !PRISMA_CLIENT_KEYS.has(key.text)) continue;
      // `url = env("DATABASE_URL")`
      const [fn, open, arg, close] = [all[j + 2], all[j + 3], all[j + 4], all[j + 5]];
      if (fn?.text !== 'env' || open?.text !== '(' || arg?.kind !== 'string' || close?.text !== ')' || !arg.value) continue;
      const nameSpan: Span = { start: arg.start + 1, end: arg.end - 1 };
      facts.reads.push({ name: arg.value, nameSpan, span: { start: fn.start, end: close.end }, hasDefault: false, via: PRISMA_DATASOURCE_VIA });
    }
    i = j;
  }
}
