/** Where a rule's documentation lives: the docs folder shipped next to the bundle (or the repo's). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const DOCS_REPO_URL = 'https://github.com/deploy-preflight/deploy-preflight/blob/main/docs/rules/';

let docsDir: string | undefined | null;
function findDocsDir(): string | undefined {
  if (docsDir !== undefined) return docsDir ?? undefined;
  for (const c of [path.join(__dirname, 'docs', 'rules'), path.join(__dirname, '..', 'docs', 'rules'), path.join(__dirname, '..', '..', '..', 'docs', 'rules'), path.join(__dirname, '..', '..', '..', '..', 'docs', 'rules')]) {
    if (fs.existsSync(c)) return (docsDir = c);
  }
  docsDir = null;
  return undefined;
}

/** The rule's doc page on disk (shipped next to the bundle, or the repository's), if present. */
export function ruleDocFile(id: string): string | undefined {
  const dir = findDocsDir();
  const local = dir && path.join(dir, `${id}.md`);
  return local && fs.existsSync(local) ? local : undefined;
}

/** The rule's doc page: the local copy when present (works offline), else the repository page. */
export function docsUrl(id: string): string {
  const dir = findDocsDir();
  const local = dir && path.join(dir, `${id}.md`);
  return local && fs.existsSync(local) ? pathToFileURL(local).href : `${DOCS_REPO_URL}${id}.md`;
}
