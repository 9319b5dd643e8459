/**
 * Whether a shell script stops at the first failing command: a `set -e` (`set -euo pipefail`,
 * `set -o errexit`) at its top level, and no `set +e` there. Without it a failed `docker build`
 * is followed by the deploy all the same, of whatever image the registry holds
 * (`FileFacts.stopsOnError`, model/workspace-model.ts).
 */
import type { SyntaxNode } from '../parsers/tree-sitter';

export function stopsOnError(root: SyntaxNode, text: string): boolean {
  let on = false;
  for (const st of root.namedChildren) {
    if (!st || st.type !== 'command') continue;
    const name = st.childForFieldName('name');
    if (!name || text.slice(name.startIndex, name.endIndex) !== 'set') continue;
    const args = st.namedChildren.filter((c): c is SyntaxNode => !!c && c !== name).map((c) => text.slice(c.startIndex, c.endIndex));
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (/^-[a-zA-Z]*e[a-zA-Z]*$/.test(a) || (a === '-o' && args[i + 1] === 'errexit')) on = true;
      else if (/^\+[a-zA-Z]*e[a-zA-Z]*$/.test(a) || (a === '+o' && args[i + 1] === 'errexit')) return false;
    }
  }
  return on;
}
