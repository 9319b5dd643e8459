/**
 * Nodes found from the places of a word in the text instead of by a query over the whole tree.
 * A query such as `(keyword_argument name: (identifier) @k …)` hands every keyword argument of a
 * script to JavaScript (a node object per capture) to keep the few named `env`; a predicate
 * (`#match?`) is tested in JavaScript on every string. Netra's 87 deploy-admitted scripts spent
 * ~0.5 s of a cold run there. A node the reading wants always holds its word, so each function
 * here looks only where the word is (the smallest node covering it, then its ancestors up to the
 * statement) and answers exactly what the query would: the same nodes in the same order
 * (document order, an outer node before one inside it).
 */
import type { Node } from './context';

const IDENT = /[A-Za-z0-9_]/;

/** Offsets of `word` in `text`; with `whole`, only where it is not part of a longer identifier. */
export function offsets(text: string, word: string, whole = false): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (whole && ((i > 0 && IDENT.test(text[i - 1])) || IDENT.test(text[i + word.length] ?? ''))) continue;
    out.push(i);
  }
  return out;
}

/** The fewest words to look for: a name holding another (`env_vars` holds `env`) is found by it. */
export function needles(names: Iterable<string>): string[] {
  const all = [...new Set(names)];
  return all.filter((w) => !all.some((o) => o !== w && w.includes(o)));
}

/** A node no string, keyword argument, pair or assignment is above. */
function isStatementLevel(n: Node): boolean {
  const t = n.type;
  return t === 'module' || t === 'block' || t.endsWith('_statement') || t.endsWith('_definition');
}

/** In document order, each once: by start, an enclosing node before the nodes inside it. */
function inDocumentOrder(nodes: Map<number, Node>): Node[] {
  return [...nodes.values()].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}

/**
 * The ancestors-or-self of the node at each `[start, end)` (up to the statement) that `accept`
 * takes: every such ancestor (`all`), or the nearest.
 */
export function climbFrom(root: Node, hits: Iterable<[number, number]>, accept: (n: Node, start: number) => boolean, all = false): Node[] {
  const found = new Map<number, Node>();
  for (const [start, end] of hits) {
    for (let n: Node | null = root.descendantForIndex(start, end); n; n = n.parent) {
      if (accept(n, start)) {
        found.set(n.id, n);
        if (!all) break;
      }
      if (isStatementLevel(n)) break;
    }
  }
  return inDocumentOrder(found);
}

/** Every `word` of `words` in the text, as ranges (`whole`: not inside a longer identifier). */
export function wordHits(text: string, words: Iterable<string>, whole = false): [number, number][] {
  const out: [number, number][] = [];
  for (const w of words) for (const i of offsets(text, w, whole)) out.push([i, i + w.length]);
  return out;
}

/**
 * The `string` nodes whose text (prefix and quotes included) `re` matches: what
 * `((string) @s (#match? @s re))` captures, given words one of which every match holds.
 */
export function matchingStrings(root: Node, text: string, words: string[], re: RegExp): Node[] {
  return climbFrom(root, wordHits(text, words), (n) => n.type === 'string' && re.test(text.slice(n.startIndex, n.endIndex)), true);
}

/** The name identifiers of keyword arguments (`name=value`) named one of `names`: what
 * `(keyword_argument name: (identifier) @k value: (_))` captures as `@k`, filtered by name. */
export function keywordArgumentNames(root: Node, text: string, names: Iterable<string>): Node[] {
  const wanted = new Set(names);
  const found = new Map<number, Node>();
  for (const [start, end] of wordHits(text, wanted, true)) {
    const n = root.descendantForIndex(start, end);
    if (n?.type !== 'identifier' || n.startIndex !== start || n.endIndex !== end) continue;
    const p = n.parent;
    if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === n.id && p.childForFieldName('value') !== null) found.set(n.id, n);
  }
  return inDocumentOrder(found);
}

/**
 * Dict keys that are strings and may spell one of `names`: what `(pair key: (string) @k value: (_))`
 * captures as `@k`, for the keys whose text holds a name or a backslash (an escape may spell one);
 * the caller decodes and compares, as it did for every pair.
 */
export function pairStringKeys(root: Node, text: string, names: Iterable<string>): Node[] {
  const hits = wordHits(text, [...needles(names), '\\']);
  return climbFrom(root, hits, (n) => {
    if (n.type !== 'string') return false;
    const p = n.parent;
    return p?.type === 'pair' && p.childForFieldName('key')?.id === n.id && p.childForFieldName('value') !== null;
  });
}

/** Assignments of a dictionary to a target whose text holds `env` in any case: what
 * `(assignment left: (_) @n right: (dictionary) @d (#match? @n "[Ee][Nn][Vv]"))` captures. */
export function envDictAssignments(root: Node, text: string): { n: Node; d: Node }[] {
  const hits: [number, number][] = [];
  for (const m of text.matchAll(/[Ee][Nn][Vv]/g)) hits.push([m.index, m.index + 3]);
  return climbFrom(root, hits, (a, start) => {
    if (a.type !== 'assignment') return false;
    const left = a.childForFieldName('left');
    return !!left && left.startIndex <= start && start + 3 <= left.endIndex && a.childForFieldName('right')?.type === 'dictionary';
  }, true).map((a) => ({ n: a.childForFieldName('left')!, d: a.childForFieldName('right')! }));
}

/** Whether a class body declares an annotated field (`env_vars: dict = …`) named one of `names`:
 * only then can `(class_definition … (assignment left: (identifier) @f type: (_)))` find a class
 * with an env field. */
export function anyClassFieldNamed(root: Node, text: string, names: Iterable<string>): boolean {
  const wanted = new Set(names);
  for (const [start, end] of wordHits(text, wanted, true)) {
    const f = root.descendantForIndex(start, end);
    const a = f?.parent;
    if (f?.type !== 'identifier' || a?.type !== 'assignment' || a.childForFieldName('left')?.id !== f.id || !a.childForFieldName('type')) continue;
    const block = a.parent?.type === 'expression_statement' ? a.parent.parent : undefined;
    if (block?.type === 'block' && block.parent?.type === 'class_definition' && block.parent.childForFieldName('body')?.id === block.id) return true;
  }
  return false;
}
