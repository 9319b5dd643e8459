/** TypeScript extraction for extractor tests: one file's facts, and the one read of a name. */
import assert from 'node:assert/strict';
import { extractTypeScript } from '../../server/src/extract/typescript';
import { emptyFacts, type EnvRead, type FileFacts } from '../../server/src/core/facts';

export function extract(text: string, file = 'svc/src/app.ts'): FileFacts {
  const facts = emptyFacts(file, 'typescript', 'h');
  extractTypeScript(file, text, facts, { envAccessors: [] });
  return facts;
}

/** The single read of `name` (failing the test when there are none or several). */
export function only(f: FileFacts, name: string): EnvRead {
  const r = f.reads.filter((x) => x.name === name);
  assert.equal(r.length, 1, `expected one read of ${name}, got ${r.length}`);
  return r[0]!;
}
