/**
 * One entry point for extraction: classify the file, run its extractor, cache by content.
 * Extractors are pure (text in, facts out); a failure inside one becomes a `problem` on the
 * file instead of an exception, so one bad file never stops the workspace.
 */
import { addScriptMentions } from './script-mentions';
import { noteUnreadScript } from './unread-scripts';
import { extractDockerignore } from './dockerignore';
import { extractPowerShell } from './powershell';
import { addDocumentedApplies } from './yaml-mentions';
import { classify } from './classify';
import { hashText } from '../core/content-hash';
import { extractPackageJson } from './package-json';
import { extractTsconfig } from './tsconfig';
import { isTsconfigName } from '../knowledge/code-roots';
import { emptyFacts, type FileFacts, type FileKind } from '../core/facts';
import { defaultExtractOptions, type ExtractOptions } from './options';
import { extractDotenv } from './dotenv';
import { extractShell } from './shell';
import { extractMakefile } from './makefile';
import { isMakefileName } from '../knowledge/makefiles';
import { extractPython } from './python';
import { extractTypeScript } from './typescript';
import { extractYaml } from './yaml';
import { extractSuppressions } from './suppressions';
import { extractDockerfile } from './dockerfile';
import { isTestPath } from '../knowledge/test-paths';
import { prefilters } from './prefilters';
import { wordFilterOf } from './word-filter';
import { extractTerraform } from './terraform/index';
import { extractPrisma } from './prisma';

export { hashText } from '../core/content-hash';
export { unparsedTestCode, unparsedTestCodeByName } from './test-stubs';

/** Kinds whose files can name a function to call: code, and what starts code (a Dockerfile's
 * command, a deploy's `--entry-point`, a package's scripts). */
const WORDS_OF = new Set<FileKind>(['python', 'typescript', 'shell', 'yaml', 'dockerfile', 'terraform', 'manifest', 'config']);

const cache = new Map<string, FileFacts>();
const CACHE_LIMIT = 50_000;
/** The last few versions cached per file: an editor session's edits must not fill the cache. */
const versions = new Map<string, string[]>();
const VERSIONS_PER_FILE = 4;

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
      case 'shell':
        if (isMakefileName(file.slice(file.lastIndexOf('/') + 1))) extractMakefile(text, facts);
        else extractShell(text, facts, { via: 'shell', startedProgram: true });
        break;
      case 'python': extractPython(file, text, facts, options); break;
      case 'typescript': extractTypeScript(file, text, facts, options); break;
      case 'yaml': extractYaml(file, text, facts); break;
      case 'dockerfile': extractDockerfile(text, facts); break;
      case 'terraform': extractTerraform(file, text, facts); break;
      case 'prisma': extractPrisma(text, facts); break;
      case 'powershell': extractPowerShell(text, facts); break;
      case 'unread-script': noteUnreadScript(text, facts); break;
      case 'dockerignore': extractDockerignore(text, facts); break;
      case 'manifest':
        if (/(^|\/)package\.json$/.test(file)) extractPackageJson(text, facts);
        else if (isTsconfigName(file)) extractTsconfig(text, facts);
        break;
      default: break;
    }
    if (kind !== 'other' && kind !== 'manifest' && kind !== 'config' && kind !== 'docs' && kind !== 'unread-script' && kind !== 'dockerignore') {
      facts.suppressions = extractSuppressions(text, kind);
    }
    // What runs or documents the workspace's scripts (CI, Makefiles, package scripts, other
    // scripts, a README's instructions): code files are left out, their mentions are rarely a
    // run and they are most of the bytes.
    if (kind === 'shell' || kind === 'powershell' || kind === 'yaml' || kind === 'dockerfile' || kind === 'docs' || (kind === 'manifest' && /(^|\/)package\.json$/.test(file))) {
      addScriptMentions(facts, text);
      if (kind === 'docs') addDocumentedApplies(facts, text);
    }
    const test = isTestPath(file);
    // The words a file may call a function of another by (model/uncalled-functions.ts); a test
    // calling a function makes no deploy run it.
    if (WORDS_OF.has(kind) && !test) facts.words = wordFilterOf(text, kind);
    // Tests and test tooling: their reads are not a deploy's requirements (rules skip them),
    // and their deploy-shaped data (a fixture listing services and env vars) deploys nothing.
    if (test) {
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
