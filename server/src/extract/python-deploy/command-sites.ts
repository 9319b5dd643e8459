/**
 * Where a script may write a command: every argument list holding a matching element, and every
 * matching string (with the implicit concatenation it belongs to), each once however many of its
 * parts match. Shared by the gcloud deploy reader and the image-build reader.
 */
import { query } from '../../parsers/tree-sitter';
import type { DeployContext, Node } from './context';

export interface CommandSite {
  kind: 'list' | 'string';
  node: Node;
}

export function* commandSites(cx: DeployContext, pattern: string): Generator<CommandSite> {
  const seen = new Set<number>();
  for (const m of query('python', pattern).matches(cx.root)) {
    const s = m.captures[0]?.node;
    if (!s) continue;
    const parent = s.parent;
    const site: CommandSite = parent?.type === 'list'
      ? { kind: 'list', node: parent }
      : { kind: 'string', node: parent?.type === 'concatenated_string' ? parent : s };
    if (seen.has(site.node.id)) continue;
    seen.add(site.node.id);
    yield site;
  }
}
