/**
 * Switches decided where a module's own function is called. A function the module does not export
 * runs only where the module calls it; when every call sits under the same switch (`case 'custom':
 * authContext = await verifyCustomToken(token)` of `switch (process.env.AUTH_STRATEGY || 'custom')`),
 * the reads inside it run under that switch too (`EnvRead.onlyWhen`), and a deploy choosing another
 * strategy never needs them; a read of the very variable every call tests is set is optional.
 * Only where each mention of the function's name, but its declaration, is a call of it: a
 * function handed on as a callback may run anywhere.
 *
 * Across modules, both ends are recorded and the model joins them (model/switched-callers.ts), as
 * for Python: a read in an exported function nothing else in its file names gets the exported
 * name (`EnvRead.calledAs`), and a file whose every mention of an imported function is a call
 * behind the same switches records them by that name (`FileFacts.switchedCalls`): `if (provider
 * === 'openai' && process.env.OPENAI_API_KEY) return ttsOpenAI(…)`, where `ttsOpenAI` throws
 * without the key, runs it only when the key is set.
 */
import { ts as tsMorphTs } from 'ts-morph';
import ts = tsMorphTs;
import { commonSwitches, judgedByCallers, type EnvRead, type EnvSwitch, type FileFacts } from '../../core/facts';
import { exportedFunctions } from './optional-params';
import { topLevelFunctions } from './syntax';
import type { Ctx } from './context';
import { countWord } from '../word-filter';

export class CalledSwitches {
  /** Per callee name, the switches in force at each of its calls. */
  private readonly calls = new Map<string, EnvSwitch[][]>();
  /** Per callee name bound by an import of the workspace's own module (relative, or through a
   * path alias), the name that module exports. */
  private readonly imported = new Map<string, string>();

  call(n: ts.CallExpression, ctx: Ctx, imported?: { name: string }): void {
    if (!ts.isIdentifier(n.expression)) return;
    const list = this.calls.get(n.expression.text) ?? [];
    list.push(ctx.onlyWhen ?? []);
    this.calls.set(n.expression.text, list);
    if (imported && imported.name !== 'default') this.imported.set(n.expression.text, imported.name);
  }

  finish(sf: ts.SourceFile, text: string, facts: FileFacts): void {
    this.markCalledAs(sf, text, facts.reads);
    this.recordSwitchedCalls(text, facts);
    this.judgeOwnCalls(sf, text, facts.reads);
  }

  /** Required reads in an exported function whose one mention here is its declaration (or that and
   * an export list) are reached through other modules' calls of that name. */
  private markCalledAs(sf: ts.SourceFile, text: string, reads: EnvRead[]): void {
    if (!reads.some((r) => !r.hasDefault)) return;
    const exported = exportedFunctions(sf).filter((e) => e.name !== 'default');
    for (const read of reads) {
      if (read.hasDefault) continue;
      const fn = exported.find((e) => e.fn.pos <= read.span.start && read.span.end <= e.fn.end);
      if (fn && countWord(text, fn.name) === mentionsOfDeclaration(sf, fn.name)) read.calledAs = fn.name;
    }
  }

  /** The switches shared by every call of each imported function, when each mention of its local
   * name but the import is such a call. */
  private recordSwitchedCalls(text: string, facts: FileFacts): void {
    const byName = new Map<string, EnvSwitch[]>();
    for (const [local, name] of this.imported) {
      const calls = this.calls.get(local)!;
      if (countWord(text, local) !== calls.length + 1) {
        byName.set(name, []);
        continue;
      }
      const shared = calls.reduce((acc, c) => commonSwitches(acc, c));
      const prev = byName.get(name);
      byName.set(name, prev ? commonSwitches(prev, shared) : shared);
    }
    const names = [...byName.keys()].filter((k) => byName.get(k)!.length).sort();
    if (names.length) facts.switchedCalls = Object.fromEntries(names.map((k) => [k, byName.get(k)!]));
  }

  private judgeOwnCalls(sf: ts.SourceFile, text: string, reads: EnvRead[]): void {
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
      const judged = fn && common.has(fn.name) ? judgedByCallers(read, common.get(fn.name)!) : read;
      // In place: other parts of the walk hold this read.
      if (judged !== read) {
        for (const k of Object.keys(read) as (keyof EnvRead)[]) delete read[k];
        Object.assign(read, judged);
      }
    }
  }
}

/** How often a file exporting `name` mentions it where nothing calls it: its declaration, and an
 * `export { name }` list if it has one. Exported under another name too (`export { name as b }`),
 * other modules may call it by that one: no count matches. */
function mentionsOfDeclaration(sf: ts.SourceFile, name: string): number {
  let n = 1;
  for (const st of sf.statements) {
    if (!ts.isExportDeclaration(st) || st.moduleSpecifier || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
    for (const el of st.exportClause.elements) {
      if (el.propertyName?.text === name || (el.propertyName && el.name.text === name)) return NaN;
      if (el.name.text === name) n++;
    }
  }
  return n;
}
