/**
 * The names a Python file imports that may be the workspace's own modules and functions, and the
 * calls made through them (`from core.env import env_str` … `env_str(…)`; `from app import
 * settings` … `settings.get_bucket()`): what the extractors of calls into other modules
 * (imported-accessors.ts, getter-calls.ts) start from.
 */
import { NOT_WORKSPACE_PACKAGES } from '../../knowledge/python-packages';
import { type CallM, type Ctx, type N, escapeRe, field, locateCalls, src } from './walk';
import { importStatements } from './module-imports';

export interface Imported {
  /** Local name → the module and its name there (`from M import name as local`). */
  funcs: Map<string, { module: string; name: string }>;
  /** Local name → a module it may be (`import a.b as local`, `from a import b`). */
  modules: Map<string, string>;
}

/** Per file: its imports, and the calls made through them, found once for every step that asks. */
const memo = new WeakMap<Ctx, { imported: Imported; calls?: CallM[] }>();

/** The file's imports of names and modules that may be the workspace's own. */
export function importedNames(ctx: Ctx): Imported {
  let m = memo.get(ctx);
  if (!m) memo.set(ctx, (m = { imported: readImports(ctx) }));
  return m.imported;
}

/** Every call of an imported name (`f(…)`) and of an imported module's function (`m.f(…)`), the
 * former first. */
export function importedCalls(ctx: Ctx): CallM[] {
  const imported = importedNames(ctx);
  const m = memo.get(ctx)!;
  if (!m.calls) {
    const funcCalls = imported.funcs.size ? locateCalls(ctx, [{ funcs: [...imported.funcs.keys()], methods: [] }]) : [];
    const moduleCalls = imported.modules.size ? locateModuleCalls(ctx, imported.modules) : [];
    m.calls = [...funcCalls, ...moduleCalls];
  }
  return m.calls;
}

function readImports(ctx: Ctx): Imported {
  const out: Imported = { funcs: new Map(), modules: new Map() };
  const local = (c: N): [N | null, N | null] => c.type === 'aliased_import' ? [field(c, 'name'), field(c, 'alias')] : [c, c];
  for (const s of importStatements(ctx)) {
    if (s.type === 'import_statement') {
      for (const c of s.namedChildren) {
        const [name, alias] = local(c);
        if (name?.type !== 'dotted_name' || !alias || NOT_WORKSPACE_PACKAGES.has(src(ctx, name).split('.')[0])) continue;
        // `import a.b` binds `a`; only an alias binds the module itself.
        if (c.type === 'aliased_import') out.modules.set(src(ctx, alias), src(ctx, name));
        else if (!src(ctx, name).includes('.')) out.modules.set(src(ctx, name), src(ctx, name));
      }
      continue;
    }
    const mod = field(s, 'module_name');
    if (!mod) continue;
    const module = src(ctx, mod).replace(/\s+/g, '');
    if (NOT_WORKSPACE_PACKAGES.has(module.split('.')[0])) continue;
    for (const n of s.childrenForFieldName('name')) {
      if (!n) continue;
      const [name, alias] = local(n);
      if (name?.type !== 'dotted_name' || !alias) continue;
      const nm = src(ctx, name);
      out.funcs.set(src(ctx, alias), { module, name: nm });
      // `from core import env`: `env` may be a module of the package.
      out.modules.set(src(ctx, alias), module.endsWith('.') ? `${module}${nm}` : `${module}.${nm}`);
    }
  }
  return out;
}

/** Calls `local.attr(…)` of the given module names. A module's functions are called as its
 * attributes, whose names are any word, so they are located by the module's local name, one level
 * up: the attribute names are taken from the text
 * (`env.env_str(`), then located as methods and kept when called on one of the modules. */
export function locateModuleCalls(ctx: Ctx, modules: Map<string, string>): CallM[] {
  const attrs = new Set<string>();
  const names = [...modules.keys()].map(escapeRe);
  const re = new RegExp(`\\b(?:${names.join('|')})\\s*\\.\\s*([A-Za-z_]\\w*)\\s*\\(`, 'g');
  for (let m = re.exec(ctx.text); m; m = re.exec(ctx.text)) attrs.add(m[1]!);
  if (!attrs.size) return [];
  return locateCalls(ctx, [{ funcs: [], methods: attrs }]).filter(({ fn }) => {
    const obj = fn.type === 'attribute' ? field(fn, 'object') : null;
    return obj?.type === 'identifier' && modules.has(src(ctx, obj));
  });
}
