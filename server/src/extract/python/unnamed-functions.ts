/**
 * Which reads sit in a function nothing in their own file names (`EnvRead.inUnnamedFunction`):
 * the model asks the rest of the workspace whether any file names it (model/uncalled-functions.ts).
 * A function counts only where a call by name is the way to reach it: at a module's top level,
 * or a method of a class that extends nothing and carries no decorator (a subclass's method may be
 * the framework's to call: Django's `ready`, a command's `handle`); with no decorator but the
 * plain ones (`@staticmethod`, `@lru_cache`): any other may register it (a route, a task).
 */
import type { FileFacts } from '../../core/facts';
import type { N } from './walk';
import { markReadsInUnnamedFunctions, MIN_WORD } from '../word-filter';
import { calledByConvention, PLAIN_PYTHON_DECORATORS } from '../../knowledge/called-by-convention';

export function markUnnamedFunctions(root: N, text: string, facts: FileFacts): void {
  markReadsInUnnamedFunctions(text, facts.reads, (at) => enclosingCandidate(root, text, at));
  if (!facts.reads.some((r) => r.inUnnamedFunction)) return;
  // What the module defines, for whether anything else uses it.
  const names: string[] = [];
  for (const st of root.namedChildren) {
    const def = st?.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (def?.type !== 'function_definition' && def?.type !== 'class_definition') continue;
    const name = def.childForFieldName('name');
    if (name && name.endIndex - name.startIndex >= MIN_WORD) names.push(text.slice(name.startIndex, name.endIndex));
  }
  if (names.length) facts.definedNames = names;
}

function enclosingCandidate(root: N, text: string, at: number): string | undefined {
  let n: N | null = root.descendantForIndex(at);
  while (n && n.type !== 'function_definition') n = n.parent;
  if (!n) return undefined;
  const name = n.childForFieldName('name');
  if (!name) return undefined;
  const fn = text.slice(name.startIndex, name.endIndex);
  if (fn.length < MIN_WORD || calledByConvention(fn, 'python')) return undefined;
  let holder: N | null = n.parent;
  if (holder?.type === 'decorated_definition') {
    if (!plainDecorators(holder, text)) return undefined;
    holder = holder.parent;
  }
  // At the module's top level.
  if (holder?.type === 'module') return fn;
  // A method: the class's body, in a class that extends nothing (or `object`), undecorated, at
  // the module's top level.
  if (holder?.type !== 'block') return undefined;
  const cls = holder.parent;
  if (cls?.type !== 'class_definition' || cls.parent?.type !== 'module') return undefined;
  const bases = cls.childForFieldName('superclasses');
  if (bases && bases.namedChildren.some((b) => !b || text.slice(b.startIndex, b.endIndex) !== 'object')) return undefined;
  return fn;
}

function plainDecorators(decorated: N, text: string): boolean {
  return decorated.namedChildren.every((c) => {
    if (!c || c.type !== 'decorator') return true;
    const expr = c.namedChildren[0];
    const callee = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    return !!callee && PLAIN_PYTHON_DECORATORS.has(text.slice(callee.startIndex, callee.endIndex));
  });
}
