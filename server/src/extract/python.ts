/**
 * Python files are parsed once and read twice: as service code (env reads, enums, gates) and as
 * deploy scripts (per-service env dicts, gcloud argument lists). A cheap byte-level prefilter
 * decides whether the file can hold either, so most of a large repository is never parsed.
 */
import type { FileFacts } from '../core/facts';
import type { ExtractOptions } from './options';
import { withPythonTree, type SyntaxNode } from '../parsers/tree-sitter';
import { extractPythonCode, pythonCodeMayMatter } from './python/index';
import { namesScriptFolderModule } from './python/prefilter';
import { extractPythonDeploy, pythonDeployMayMatter } from './python-deploy/index';
import { prefilters } from './prefilters';
import { pythonModuleLinksOf } from './python/module-links';
import { isTestPath } from '../knowledge/test-paths';

export function extractPython(file: string, text: string, facts: FileFacts, options: ExtractOptions): void {
  // What it loads, for every module but a test's, parsed or not (model/python-module-graph.ts).
  if (!isTestPath(file)) facts.moduleLinks = pythonModuleLinksOf(text);
  const mayMatter = pythonCodeMayMatter(text, options);
  // Imports are recorded where the code may hold facts or names a script folder's module, with or
  // without the prefilters, so the two agree (model/operator-modules.ts says what that misses).
  const loadsScriptModule = namesScriptFolderModule(text);
  const code = !prefilters.enabled || mayMatter || loadsScriptModule;
  const deploy = !prefilters.enabled || pythonDeployMayMatter(text);
  if (!code && !deploy) return;
  withPythonTree(text, (root) => {
    if (root.hasError) {
      const lost = unreadRegion(root, text);
      if (lost) facts.problems.push({ message: `line ${lost.line} could not be parsed: what it reads or deploys may be missed`, span: lost.span });
    }
    if (code) extractPythonCode(file, root, text, facts, options, mayMatter || loadsScriptModule);
    if (deploy) extractPythonDeploy(file, root, text, facts, options);
  });
  // A URL in a deploy script's env dict is seen by both readings: keep one, with its name.
  if (code && deploy && facts.dbUrls.length > 1) {
    const bySpan = new Map<string, (typeof facts.dbUrls)[number]>();
    for (const u of facts.dbUrls) {
      const k = `${u.span.start}:${u.span.end}`;
      const prev = bySpan.get(k);
      if (!prev || (!prev.envName && u.envName)) bySpan.set(k, u);
    }
    facts.dbUrls = [...bySpan.values()];
  }
}

/** Words whose presence in an unparsed region means a fact may have been lost there. */
const FACT_WORDS = /environ|getenv|postgres|gcloud|BaseSettings|Enum\b|secret|_env\b|\.env\b/i;

/**
 * tree-sitter's Python grammar rejects some code CPython accepts (`return x, *await f()`): an
 * error region is only worth a notice when it could hold a fact we would have read, and the
 * notice names the line instead of calling the file invalid.
 */
function unreadRegion(root: SyntaxNode, text: string): { line: number; span: { start: number; end: number } } | undefined {
  for (const n of root.descendantsOfType('ERROR')) {
    if (!n || !FACT_WORDS.test(text.slice(n.startIndex, n.endIndex))) continue;
    return { line: n.startPosition.row + 1, span: { start: n.startIndex, end: Math.min(n.endIndex, n.startIndex + 200) } };
  }
  return undefined;
}

