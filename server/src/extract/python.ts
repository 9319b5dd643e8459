/**
 * Python files are parsed once and read twice: as service code (env reads, enums, gates) and as
 * deploy scripts (per-service env dicts, gcloud argument lists). A cheap byte-level prefilter
 * decides whether the file can hold either, so most of a large repository is never parsed.
 */
import type { FileFacts } from '../core/facts';
import type { ExtractOptions } from './options';
import { withPythonTree } from '../parsers/tree-sitter';
import { extractPythonCode, pythonCodeMayMatter } from './python/index';
import { extractPythonDeploy, pythonDeployMayMatter } from './python-deploy';

export function extractPython(file: string, text: string, facts: FileFacts, options: ExtractOptions): void {
  const code = pythonCodeMayMatter(text, options);
  const deploy = pythonDeployMayMatter(text);
  if (!code && !deploy) return;
  withPythonTree(text, (root) => {
    if (root.hasError) facts.problems.push({ message: 'Python syntax errors: results for this file may be incomplete' });
    if (code) extractPythonCode(file, root, text, facts, options);
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
