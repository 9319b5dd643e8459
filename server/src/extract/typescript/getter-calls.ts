/**
 * The caller's end of a getter in another module (`import { getDatabaseUrl } from './env'`, then
 * `const url = getDatabaseUrl(); if (!url) …`): whether every call of each imported function copes
 * with an undefined result, by the name the defining module exports it under
 * (`FileFacts.getterCalls`). The model joins it with the reads those getters return
 * (`EnvRead.returnedBy`, model/getter-callers.ts). Only where each mention of the local name but
 * the import is a call: a function handed on may be called anywhere, and no record keeps the read
 * required.
 */
import { ts as tsMorphTs } from 'ts-morph';
import ts = tsMorphTs;
import type { FileFacts } from '../../core/facts';
import { countWord } from '../word-filter';

export class GetterCalls {
  /** Per local name bound by an import of the workspace's own module (relative, or through a path
   * alias): its exported name and its calls. */
  private readonly byLocal = new Map<string, { name: string; calls: ts.CallExpression[] }>();

  call(n: ts.CallExpression, imported: { name: string } | undefined): void {
    if (!imported || imported.name === 'default' || !ts.isIdentifier(n.expression)) return;
    const entry = this.byLocal.get(n.expression.text) ?? { name: imported.name, calls: [] };
    entry.calls.push(n);
    this.byLocal.set(n.expression.text, entry);
  }

  finish(text: string, facts: FileFacts, copes: (call: ts.CallExpression) => boolean): void {
    const out: Record<string, 'optional' | 'required'> = {};
    for (const [local, { name, calls }] of this.byLocal) {
      if (countWord(text, local) !== calls.length + 1) continue;
      const verdict = calls.every(copes) ? 'optional' : 'required';
      out[name] = out[name] === 'required' ? 'required' : verdict;
    }
    const names = Object.keys(out).sort();
    if (names.length) facts.getterCalls = { ...facts.getterCalls, ...Object.fromEntries(names.map((n) => [n, out[n]!])) };
  }
}
