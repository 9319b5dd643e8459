/**
 * The facts a findings-only host keeps for the code of a test file without parsing it. Kept apart
 * from the extractors (./index.ts) so that a run answered wholly from the fact cache never loads
 * them (see chunks/parsing.ts).
 */
import { hashText } from '../core/content-hash';
import { emptyFacts, type FileFacts } from '../core/facts';
import { isTestPath } from '../knowledge/test-paths';
import { classify } from './classify';

/**
 * The facts a findings-only host keeps for the code of a test file: its kind and that it is a
 * test, nothing parsed (Python and TypeScript are the costly parses, and the rules skip tests).
 * Undefined for any other file, which is extracted as usual.
 */
export function unparsedTestCode(file: string, text: string, hash?: string): FileFacts | undefined {
  if (!isTestPath(file)) return undefined;
  const kind = classify(file, text.slice(0, 200).split('\n', 1)[0]);
  if (kind !== 'python' && kind !== 'typescript') return undefined;
  return testStub(file, kind, hash ?? hashText(text));
}

/**
 * `unparsedTestCode` without the text, for a file known by its content hash alone (the fact
 * cache's stat fast path): only where the name decides the kind (an extension), since an
 * extension-less script's kind depends on its first line.
 */
export function unparsedTestCodeByName(file: string, hash: string): FileFacts | undefined {
  if (!isTestPath(file)) return undefined;
  const kind = classify(file);
  if (kind !== 'python' && kind !== 'typescript') return undefined;
  return testStub(file, kind, hash);
}

function testStub(file: string, kind: 'python' | 'typescript', hash: string): FileFacts {
  const facts = emptyFacts(file, kind, hash);
  facts.isTest = true;
  return facts;
}

