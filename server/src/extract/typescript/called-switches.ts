/**
 * Switches decided where a module's own function is called. A function the module does not export
 * runs only where the module calls it; when every call sits under the same switch (`case 'custom':
 * authContext = await verifyCustomToken(token)` of `switch (process.env.AUTH_STRATEGY || 'custom')`),
 * the reads inside it run under that switch too (`EnvRead.onlyWhen`), and a deploy choosing another
 * strategy never needs them. Only where each mention of the function's name, but its declaration,
 * is a call of it: a function handed on as a callback may run anywhere.
 */
import { ts as tsMorphTs } from 'ts-morph';
import ts = tsMorphTs;
import { addedSwitches, commonSwitches, type EnvRead, type EnvSwitch } from '../../core/facts';
import { exportedFunctions } from './optional-params';
import { topLevelFunctions } from './syntax';
import type { Ctx } from './context';
import { countWord } from '../word-filter';

export class CalledSwitches {
  /** Per callee name, the switches in force at each of its calls. */
  private readonly calls = new Map<string, EnvSwitch[][]>();

  call(n: ts.CallExpression, ctx: Ctx): void {
    if (!ts.isIdentifier(n.expression)) return;
    const list = this.calls.get(n.expression.text) ?? [];
    list.push(ctx.onlyWhen ?? []);
    this.calls.set(n.expression.text, list);
  }

  finish(sf: ts.SourceFile, text: string, reads: EnvRead[]): void {
    if (!this.calls.size) return;
    // The module's top-level functions it does not export (by name or in an export list).
    const exported = new Set<ts.Node>(exportedFunctions(sf).map((e) => e.fn));
    const functions = topLevelFunctions(sf).filter((f) => !exported.has(f.fn));
    if (!functions.length) return;
    const common = new Map<string, EnvSwitch[]>();
    for (const { name } of functions) {
      const calls = this.calls.get(name);
      if (!calls?.length || countWord(text, name) !== calls.length + 1) continue;
      const shared = calls.reduce((acc, c) => commonSwitches(acc, c));
      if (shared.length) common.set(name, shared);
    }
    if (!common.size) return;
    for (const read of reads) {
      const fn = functions.find((f) => f.fn.pos <= read.span.start && read.span.end <= f.fn.end);
      const add = fn && addedSwitches(read, common.get(fn.name) ?? []);
      if (add?.length) read.onlyWhen = [...(read.onlyWhen ?? []), ...add];
    }
  }
}
