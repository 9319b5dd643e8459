/**
 * Where a script may write a command: every argument list holding a matching element, and every
 * matching string (with the implicit concatenation it belongs to), each once however many of its
 * parts match. Shared by the gcloud deploy reader and the image-build reader.
 */
import type { DeployContext, Node } from './context';
import { matchingStrings } from './word-sites';

export interface CommandSite {
  kind: 'list' | 'string';
  node: Node;
}

/** The strings `pattern` matches (prefix and quotes included), each holding one of `words`. */
export function* commandSites(cx: DeployContext, words: string[], pattern: RegExp): Generator<CommandSite> {
  const seen = new Set<number>();
  for (const s of matchingStrings(cx.root, cx.text, words, pattern)) {
    const parent = s.parent;
    const site: CommandSite = parent?.type === 'list'
      ? { kind: 'list', node: parent }
      : { kind: 'string', node: parent?.type === 'concatenated_string' ? parent : s };
    if (seen.has(site.node.id)) continue;
    seen.add(site.node.id);
    yield site;
  }
}
