/**
 * Where a fix adds an entry to a Python dict or list: after the last element, in the container's
 * own layout (one line or one element per line, trailing comma or not), so the edit reads as if
 * written by hand.
 */
import type { Insertion } from '../../core/facts';
import type { SyntaxNode } from '../../parsers/tree-sitter';

type Node = SyntaxNode;

/** The leading whitespace of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(ls, offset))?.[0] ?? '';
}

/** Where a new element goes in a `{...}` or `[...]` container, matching its style. */
export function containerInsertion(
  text: string, container: Node, elements: Node[], format: Insertion['format'], quote: string,
): Insertion {
  if (elements.length === 0) {
    const close = container.lastChild;
    const multi = !!close && close.startPosition.row > container.startPosition.row;
    if (!multi) return { offset: container.startIndex + 1, before: '', after: '', format, quote };
    return { offset: container.startIndex + 1, before: '\n' + lineIndent(text, close.startIndex) + '    ', after: ',', format, quote };
  }
  const last = elements[elements.length - 1];
  let sib = last.nextSibling;
  while (sib && sib.type === 'comment') sib = sib.nextSibling;
  const trailing = !!sib && sib.type === ',';
  const multi = last.startPosition.row > container.startPosition.row;
  if (!multi) {
    return { offset: trailing && sib ? sib.endIndex : last.endIndex, before: trailing ? ' ' : ', ', after: '', format, quote };
  }
  const indent = lineIndent(text, last.startIndex);
  if (trailing && sib) {
    let offset = sib.endIndex;
    const after = sib.nextSibling;
    if (after && after.type === 'comment' && after.startPosition.row === sib.endPosition.row) offset = after.endIndex;
    return { offset, before: '\n' + indent, after: ',', format, quote };
  }
  return { offset: last.endIndex, before: ',\n' + indent, after: '', format, quote };
}
