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
import { sameSwitch, type EnvRead, type EnvSwitch } from '../../core/facts';
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
    const functions = localFunctions(sf);
    if (!functions.length) return;
    const common = new Map<string, EnvSwitch[]>();
    for (const { name } of functions) {
      const calls = this.calls.get(name);
      if (!calls?.length || countWord(text, name) !== calls.length + 1) continue;
      const shared = calls[0]!.filter((s) => calls.every((c) => c.some((x) => sameSwitch(x, s))));
      if (shared.length) common.set(name, shared);
    }
    if (!common.size) return;
    for (const read of reads) {
      const fn = functions.find((f) => f.start <= read.span.start && read.span.end <= f.end);
      const add = fn && common.get(fn.name)?.filter((s) => s.name !== read.name && !(read.onlyWhen ?? []).some((x) => sameSwitch(x, s)));
      if (add?.length) read.onlyWhen = [...(read.onlyWhen ?? []), ...add];
    }
  }
}

/** The module's top-level functions it does not export: declarations and `const f = () => …`. */
function localFunctions(sf: ts.SourceFile): { name: string; start: number; end: number }[] {
  const exported = (n: ts.Node): boolean => !!ts.getModifiers(n as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword);
  const out: { name: string; start: number; end: number }[] = [];
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.body && !exported(st)) out.push({ name: st.name.text, start: st.pos, end: st.end });
    else if (ts.isVariableStatement(st) && !exported(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
          out.push({ name: d.name.text, start: d.pos, end: d.end });
        }
      }
    }
  }
  return out;
}
