/**
 * One entry point for extraction: classify the file, run its extractor, cache by content.
 * Extractors are pure (text in, facts out); a failure inside one becomes a `problem` on the
 * file instead of an exception, so one bad file never stops the workspace.
 */
import { createHash } from 'node:crypto';
import { classify } from './classify';
import { emptyFacts, type FileFacts, type FileKind } from '../core/facts';
import { defaultExtractOptions, type ExtractOptions } from './options';
import { extractDotenv } from './dotenv';
import { extractShell } from './shell';
import { extractPython } from './python';
import { extractTypeScript } from './typescript';
import { extractYaml } from './yaml';
import { extractSuppressions } from './suppressions';
import { isTestPath } from '../knowledge/test-paths';
import { extractDockerfile } from './dockerfile';
import { prefilters } from './prefilters';
import { extractTerraform } from './terraform/index';

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

const cache = new Map<string, FileFacts>();
const CACHE_LIMIT = 50_000;
/** The last few versions cached per file: an editor session's edits must not fill the cache. */
const versions = new Map<string, string[]>();
const VERSIONS_PER_FILE = 4;

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

/** Runs the extractor for `kind` on `text`. Never throws. */
export function extractFile(
  file: string,
  text: string,
  options: ExtractOptions = defaultExtractOptions,
  kind: FileKind = classify(file, text.slice(0, 200).split('\n', 1)[0]),
): FileFacts {
  const hash = hashText(text);
  const fileKey = `${file}\0${kind}\0${options.envAccessors.join(',')}\0${JSON.stringify(options.environments ?? {})}`;
  const key = `${fileKey}\0${hash}${prefilters.enabled ? '' : '\0unfiltered'}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const facts = emptyFacts(file, kind, hash);
  const firstBreak = text.indexOf('\n');
  if (firstBreak > 0 && text.charCodeAt(firstBreak - 1) === 13) facts.crlf = true;
  try {
    switch (kind) {
      case 'dotenv': extractDotenv(text, facts); break;
      case 'shell': extractShell(text, facts, { via: 'shell' }); break;
      case 'python': extractPython(file, text, facts, options); break;
      case 'typescript': extractTypeScript(file, text, facts, options); break;
      case 'yaml': extractYaml(file, text, facts); break;
      case 'dockerfile': extractDockerfile(text, facts); break;
      case 'terraform': extractTerraform(file, text, facts); break;
      default: break;
    }
    if (kind !== 'other' && kind !== 'manifest' && kind !== 'config') {
      facts.suppressions = extractSuppressions(text, kind);
    }
    // Tests and test tooling: their reads are not a deploy's requirements (rules skip them),
    // and their deploy-shaped data (a fixture listing services and env vars) deploys nothing.
    if (isTestPath(file)) {
      facts.isTest = true;
      facts.deploys = [];
      facts.builds = [];
    }
  } catch (err) {
    facts.problems.push({ message: `could not analyse this file: ${(err as Error).message}` });
    // A failure may be transient (parsers still loading, memory pressure): never cache it, so the
    // next extraction of the same text tries again.
    return facts;
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, facts);
  const seen = versions.get(fileKey);
  if (!seen) versions.set(fileKey, [key]);
  else {
    const i = seen.indexOf(key);
    if (i >= 0) seen.splice(i, 1); // evicted earlier by the size limit, now back
    seen.push(key);
    if (seen.length > VERSIONS_PER_FILE) cache.delete(seen.shift()!);
  }
  return facts;
}
