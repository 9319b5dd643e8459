/**
 * Switches decided where a module's own function is called. A function the module does not export
 * runs only where the module calls it; when every call sits under the same switch (`case 'custom':
 * authContext = await verifyCustomToken(token)` of `switch (process.env.AUTH_STRATEGY || 'custom')`),
 * the reads inside it run under that switch too (`EnvRead.onlyWhen`), and a deploy choosing another
 * strategy never needs them; a read of the very variable every call tests is set is optional.
 * A class's private method (`private priceId(tier)`, called as `this.priceId(tier)` under
 * `if (paid && stripe)`, with `const stripe = process.env.STRIPE_KEY ? new Stripe(…) : null`) is
 * judged the same way. Only where each mention of the function's name, but its declaration, is a
 * call of it: a function handed on as a callback may run anywhere.
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
import { commonSwitches, judgedByCallers, sameSwitch, type EnvRead, type EnvSwitch, type FileFacts } from '../../core/facts';
import { exportedFunctions } from './optional-params';
import { topLevelFunctions } from './syntax';
import type { Ctx } from './context';
import { countWord } from '../word-filter';

/** How many levels of the module's own callers a switch is followed through. */
const MAX_CALL_DEPTH = 6;

export class CalledSwitches {
  /** Per callee name, each of its calls: the switches in force there, and where it is. */
  private readonly calls = new Map<string, { switches: EnvSwitch[]; at: number }[]>();
  /** Per callee name bound by an import of the workspace's own module (relative, or through a
   * path alias), the name that module exports. */
  private readonly imported = new Map<string, string>();

  call(n: ts.CallExpression, ctx: Ctx, imported?: { name: string }): void {
    const key = calleeKey(n.expression);
    if (!key) return;
    this.record(key, ctx, n.pos);
    if (!ts.isIdentifier(n.expression)) return;
    if (imported && imported.name !== 'default') this.imported.set(n.expression.text, imported.name);
  }

  /** `new LocalStore()`: a construction of a class of this file, with the switches it sits behind. */
  construct(n: ts.NewExpression, ctx: Ctx): void {
    if (ts.isIdentifier(n.expression)) this.record(`new ${n.expression.text}`, ctx, n.pos);
  }

  /** One more call (or construction) by `key`, with the switches in force there. */
  private record(key: string, ctx: Ctx, at: number): void {
    const list = this.calls.get(key) ?? [];
    list.push({ switches: ctx.onlyWhen ?? [], at });
    this.calls.set(key, list);
  }

  finish(sf: ts.SourceFile, text: string, facts: FileFacts): void {
    this.markCalledAs(sf, text, facts.reads);
    this.recordSwitchedCalls(text, facts);
    this.judgeOwnCalls(sf, text, facts.reads);
    this.markConstructedClasses(sf, facts);
  }

  /**
   * A top-level class this file constructs only behind the same switches (`process.env.KMS_KEY_ID
   * ? new KmsStore() : new LocalStore()`), where its name appears nowhere else in the file's code:
   * its required reads run only on an instance, so under those switches, unless another module
   * constructs it too. The reads get the class's name (`EnvRead.calledAs`) and the file records
   * its own constructions' switches (`FileFacts.switchedCalls`); the model adds the other files
   * that name the class (model/switched-callers.ts). Names in strings and comments do not count.
   */
  private markConstructedClasses(sf: ts.SourceFile, facts: FileFacts): void {
    if (!facts.reads.some((r) => !r.hasDefault && !r.calledAs)) return;
    for (const st of sf.statements) {
      if (!ts.isClassDeclaration(st) || !st.name) continue;
      const name = st.name.text;
      const news = this.calls.get(`new ${name}`);
      if (!news?.length) continue;
      const reads = facts.reads.filter((r) => !r.hasDefault && !r.calledAs && st.pos <= r.span.start && r.span.end <= st.end);
      if (!reads.length) continue;
      const shared = news.map((c) => c.switches).reduce((acc, c) => commonSwitches(acc, c));
      if (!shared.length || identifierCount(sf, name) !== news.length + 1) continue;
      const switched = (facts.switchedCalls ??= {});
      if (switched[name]) continue; // an imported function of that name: not this class's calls
      switched[name] = shared;
      for (const r of reads) r.calledAs = name;
    }
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
      const shared = calls.map((c) => c.switches).reduce((acc, c) => commonSwitches(acc, c));
      const prev = byName.get(name);
      byName.set(name, prev ? commonSwitches(prev, shared) : shared);
    }
    const names = [...byName.keys()].filter((k) => byName.get(k)!.length).sort();
    if (names.length) facts.switchedCalls = Object.fromEntries(names.map((k) => [k, byName.get(k)!]));
  }

  private judgeOwnCalls(sf: ts.SourceFile, text: string, reads: EnvRead[]): void {
    if (!this.calls.size) return;
    // The module's top-level functions it does not export (by name or in an export list), and its
    // classes' private methods (`this.priceId(tier)`), which nothing outside the class calls.
    const exported = new Set<ts.Node>(exportedFunctions(sf).map((e) => e.fn));
    const functions: { key: string; word: string; fn: ts.Node }[] = [
      ...topLevelFunctions(sf).filter((f) => !exported.has(f.fn)).map((f) => ({ key: f.name, word: f.name, fn: f.fn })),
      ...privateMethods(sf),
    ];
    if (!functions.length) return;
    // A call inside another of these functions also runs under what that one's calls share
    // (`callAI` calls `callGemini` under `provider === 'gemini'`, and `callGemini` calls
    // `geminiClient`): worked out round by round, each adding one level of callers.
    const enclosing = (at: number): string | undefined => functions.find((f) => f.fn.pos <= at && at < f.fn.end)?.key;
    // Only functions whose every mention but the declaration is a call: each call with the
    // function it sits in.
    const called = functions.flatMap(({ key, word }) => {
      const calls = this.calls.get(key);
      return calls?.length && countWord(text, word) === calls.length + 1 ? [{ key, calls: calls.map((c) => ({ ...c, by: enclosing(c.at) })) }] : [];
    });
    let common = new Map<string, EnvSwitch[]>();
    for (let round = 0; round < MAX_CALL_DEPTH; round++) {
      const next = new Map<string, EnvSwitch[]>();
      for (const { key, calls } of called) {
        const effective = calls.map(({ switches, by }) => {
          const inherited = by !== undefined && by !== key ? common.get(by) ?? [] : [];
          return [...switches, ...inherited.filter((x) => !switches.some((y) => sameSwitch(x, y)))];
        });
        const shared = effective.reduce((acc, c) => commonSwitches(acc, c));
        if (shared.length) next.set(key, shared);
      }
      const grew = [...next].some(([k, v]) => (common.get(k)?.length ?? 0) !== v.length);
      common = next;
      if (!grew) break;
    }
    if (!common.size) return;
    for (const read of reads) {
      const fn = functions.find((f) => f.fn.pos <= read.span.start && read.span.end <= f.fn.end);
      const judged = fn && common.has(fn.key) ? judgedByCallers(read, common.get(fn.key)!) : read;
      // In place: other parts of the walk hold this read.
      if (judged !== read) {
        for (const k of Object.keys(read) as (keyof EnvRead)[]) delete read[k];
        Object.assign(read, judged);
      }
    }
  }
}

/** How often an identifier named `name` appears in the file's code (declarations included). */
function identifierCount(sf: ts.SourceFile, name: string): number {
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) n++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}

/** `f(…)` by the name `f`; `this.f(…)` / `this.#f(…)` by `this.f` / `this.#f`. */
function calleeKey(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${e.name.text}`;
  return undefined;
}

/** Methods with a body that only their class may call (`private priceId()`, `#priceId()`), of
 * the file's top-level classes, keyed as their calls are (`this.priceId`); `word` is the name as
 * the file's words count it. */
function privateMethods(sf: ts.SourceFile): { key: string; word: string; fn: ts.Node }[] {
  const out: { key: string; word: string; fn: ts.Node }[] = [];
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st)) continue;
    for (const m of st.members) {
      if (!ts.isMethodDeclaration(m) || !m.body) continue;
      const isPrivate = ts.isPrivateIdentifier(m.name) || !!m.modifiers?.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword);
      if (!isPrivate || !(ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name))) continue;
      out.push({ key: `this.${m.name.text}`, word: m.name.text.replace(/^#/, ''), fn: m });
    }
  }
  return out;
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
