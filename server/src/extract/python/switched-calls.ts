/**
 * Switches decided in the function that calls the reading one, in another module:
 * `load_auth()` runs `JWTConfig.from_env()` only under `if mode == "jwt":`, with `mode` read from
 * the environment, and `from_env` reads `AUTH_ISSUER`. Each file is seen alone, so both ends are
 * recorded here and joined by the model (model/switched-callers.ts):
 * - a required read in a function other modules call by name records that name
 *   (`EnvRead.calledAs`: `load_settings` at a module's top level, `JWTConfig.from_env` for a class
 *   or static method of a top-level class), when nothing else in its own file names the function;
 * - a file calling imported functions records, by the name the defining module gives each, the
 *   switches every one of its calls sits behind, when there are some (`FileFacts.switchedCalls`;
 *   switches.ts decides what a switch is, from this file's reads).
 */
import { sameSwitch, type EnvSwitch } from '../../core/facts';
import { type Ctx, type N, field, nodeAt, escapeRe, src } from './walk';
import { importedCalls, importedNames } from './imported-names';
import { hitIndex, switchesAround } from './switches';

/** Decorators that make a method callable on its class (`Config.from_env()`). */
const CLASS_CALLABLE = /^@\s*(?:classmethod|staticmethod)\s*$/;

export function markCalledAs(ctx: Ctx): void {
  const memo = new Map<number, string | undefined>();
  for (const h of ctx.hits) {
    if (h.read.hasDefault) continue;
    const fn = enclosingFunction(h.node);
    if (!fn) continue;
    if (!memo.has(fn.id)) memo.set(fn.id, calledAs(ctx, fn));
    const name = memo.get(fn.id);
    if (name) h.read.calledAs = name;
  }
}

function enclosingFunction(n: N): N | null {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return p;
    if (p.type === 'lambda' || p.type === 'class_definition') return null;
  }
  return null;
}

/** The name other modules call `fn` by, when that is how it is reached and nothing else here names it. */
function calledAs(ctx: Ctx, fn: N): string | undefined {
  const nameNode = field(fn, 'name');
  if (!nameNode) return undefined;
  const name = src(ctx, nameNode);
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  const holder = (decorated ?? fn).parent;
  let key: string | undefined;
  if (holder?.type === 'module') key = name;
  else if (holder?.type === 'block' && holder.parent?.type === 'class_definition' && holder.parent.parent?.type === 'module' &&
    decorated?.namedChildren.some((d) => d.type === 'decorator' && CLASS_CALLABLE.test(src(ctx, d)))) {
    const cls = field(holder.parent, 'name');
    if (cls) key = `${src(ctx, cls)}.${name}`;
  }
  return key && !namedElsewhereHere(ctx, name) ? key : undefined;
}

/** Whether the file holds the word `name` anywhere but as a function definition's name. */
function namedElsewhereHere(ctx: Ctx, name: string): boolean {
  const re = new RegExp(`\\b${escapeRe(name)}\\b`, 'g');
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) {
    const id = nodeAt(ctx, m.index, m.index + name.length);
    const p = id?.parent;
    if (id?.type === 'identifier' && p?.type === 'function_definition' && field(p, 'name')?.id === id.id) continue;
    return true;
  }
  return false;
}

export function collectSwitchedCalls(ctx: Ctx): void {
  // A switch is a test of this file's own reads: without one, every call is unswitched, which
  // the model learns as well from no record at all.
  if (!ctx.hits.length) return;
  const imported = importedNames(ctx);
  if (!imported.funcs.size && !imported.modules.size) return;
  const byNode = hitIndex(ctx);
  const byKey = new Map<string, EnvSwitch[]>();
  const add = (key: string, found: EnvSwitch[]): void => {
    const prev = byKey.get(key);
    byKey.set(key, prev ? prev.filter((s) => found.some((f) => sameSwitch(s, f))) : found);
  };
  for (const { call, fn } of importedCalls(ctx)) {
    const keys: string[] = [];
    if (fn.type === 'identifier') {
      const f = imported.funcs.get(src(ctx, fn));
      if (f) keys.push(f.name);
    } else {
      const obj = field(fn, 'object');
      const attr = field(fn, 'attribute');
      if (obj?.type !== 'identifier' || !attr) continue;
      const owner = imported.funcs.get(src(ctx, obj));
      if (owner) keys.push(`${owner.name}.${src(ctx, attr)}`);
      if (imported.modules.has(src(ctx, obj))) keys.push(src(ctx, attr));
    }
    if (!keys.length) continue;
    const found = switchesAround(ctx, byNode, call);
    for (const k of keys) add(k, found);
  }
  // A call behind no switch says what no record says: the model gives up on that function.
  const keys = [...byKey.keys()].filter((k) => byKey.get(k)!.length).sort();
  if (!keys.length) return;
  ctx.facts.switchedCalls = Object.fromEntries(keys.map((k) => [k, byKey.get(k)!]));
}
