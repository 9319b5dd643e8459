/**
 * Scripts a file names: `./scripts/deploy.sh` in a workflow step, `bash deploy-prod.sh` in a
 * Makefile recipe or a Cloud Build step, `"deploy": "sh ./deploy.sh"` in package.json, a comment
 * saying to run one. The model decides from them which deploy scripts something in the workspace
 * runs or documents (model/variant-scripts.ts): a deploy script nothing names, beside another
 * deploy of the same service that runs in CI or that something names, is a variant someone once
 * ran by hand — what it does wrong is worth a word, not an error.
 *
 * A mention is any word ending in a script's extension, kept by its base name: the model matches
 * names, not paths (a script is run from many folders: `./deploy.sh`, `scripts/deploy.sh`,
 * `$ROOT/scripts/deploy.sh` all name it). Erring towards "named" only keeps a finding an error.
 */
import type { FileFacts } from '../core/facts';

/** Scripts, and the manifests people apply by hand (a README's `gcloud run services replace
 * service.yaml`): a manifest a document names is no leftover either. */
const SCRIPT_EXTENSIONS = ['.sh', '.bash', '.ps1', '.py', '.yaml', '.yml'];
/** The longest path looked back over; a longer word names no script anyone runs. */
const MAX_WORD = 400;

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 47;

/** The base names of the scripts `text` names, each once, in order of first mention. */
export function scriptMentionsIn(text: string): string[] {
  const out = new Set<string>();
  for (const ext of SCRIPT_EXTENSIONS) {
    for (let at = text.indexOf(ext); at >= 0; at = text.indexOf(ext, at + 1)) {
      const end = at + ext.length;
      // `deploy.sh`, not `deploy.shell` or `x.sh_old`.
      if (end < text.length && isWordChar(text.charCodeAt(end)) && text.charCodeAt(end) !== 46 && text.charCodeAt(end) !== 47) continue;
      // Bounded: a long run of word characters holding many `.sh` (minified text, a data file)
      // would otherwise be walked back over once per occurrence.
      let start = at;
      while (start > 0 && at - start < MAX_WORD && isWordChar(text.charCodeAt(start - 1))) start--;
      if (start > 0 && isWordChar(text.charCodeAt(start - 1))) continue;
      const word = text.slice(start, end);
      const base = word.slice(word.lastIndexOf('/') + 1);
      if (base.length > ext.length && base.length <= 200 && !base.startsWith('.')) out.add(base);
    }
  }
  return [...out];
}

/** Records what `text` names on `facts` (nothing when it names no script). */
export function addScriptMentions(facts: FileFacts, text: string): void {
  const found = scriptMentionsIn(text);
  if (found.length) facts.scriptMentions = found;
}
