/** YAML extraction for extractor tests: one file's facts. */
import assert from 'node:assert/strict';
import { extractYaml } from '../../server/src/extract/yaml';
import { emptyFacts, type FileFacts } from '../../server/src/core/facts';

export function extractYamlFacts(file: string, text: string): FileFacts {
  const facts = emptyFacts(file, 'yaml', '');
  extractYaml(file, text, facts);
  return facts;
}

/** The same, failing the test when the file gave any problem (a form meant to be read whole). */
export function extractCleanYaml(file: string, text: string): FileFacts {
  const facts = extractYamlFacts(file, text);
  assert.deepEqual(facts.problems, []);
  return facts;
}
