/**
 * The workspace modules a Python file may load, as workspace-relative paths without extension:
 * `from .common import x` resolved against the package; `import common` / `from lib.common import
 * x` tried under every folder above the file (a script's own folder is on `sys.path`, a package is
 * imported from the folder it sits in). A path that is no workspace module simply matches nothing.
 * Read by the model to tell which modules only operator scripts load, so only paths in a script
 * folder are kept.
 */
import { NOT_WORKSPACE_PACKAGES, pythonModulePaths } from '../../knowledge/python-packages';
import { type Ctx, type N, field, nodeAt, src } from './walk';
import { inScriptFolder } from '../../knowledge/script-paths';

export function collectModuleImports(ctx: Ctx, file: string): void {
  // Only paths in a script folder are kept (below). Outside one, every folder above the file is
  // outside one too, so a kept path needs a `scripts` / `jobs` name in an import: without the word
  // anywhere in the text, the walk over every import (~1 s of a cold netra run) finds nothing.
  if (!inScriptFolder(file) && !/scripts|jobs/i.test(ctx.text)) return;
  const found = new Set<string>();
  const add = (module: string): void => {
    if (!module.startsWith('.') && NOT_WORKSPACE_PACKAGES.has(module.split('.')[0])) return;
    for (const p of pythonModulePaths(file, module)) found.add(p);
  };
  for (const s of importStatements(ctx)) {
    if (s.type === 'import_statement') {
      for (const c of s.namedChildren) {
        const name = c.type === 'aliased_import' ? field(c, 'name') : c;
        if (name?.type === 'dotted_name') add(src(ctx, name));
      }
      continue;
    }
    const mod = field(s, 'module_name');
    if (!mod || (mod.type !== 'dotted_name' && mod.type !== 'relative_import')) continue;
    const base = src(ctx, mod);
    add(base);
    // `from lib import common`, `from . import common`: the names may be modules of the package.
    for (const n of s.childrenForFieldName('name')) {
      const name = n?.type === 'aliased_import' ? field(n, 'name') : n;
      if (name?.type === 'dotted_name') add(base.endsWith('.') ? `${base}${src(ctx, name)}` : `${base}.${src(ctx, name)}`);
    }
  }
  // Only modules in script folders are ever asked about: the rest would be dead weight in the cache.
  const kept = [...found].filter(inScriptFolder);
  if (kept.length) ctx.facts.imports = kept.sort();
}

const IDENT = /[A-Za-z0-9_]/;
const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement']);

/**
 * The file's `import` / `from … import` statements, in source order. Each holds the keyword
 * `import`, so they are found from the word's places in the text (climbing from the keyword to its
 * statement) rather than by a search of the whole tree (`descendantsOfType`, ~0.2 s of a cold
 * netra run for a few dozen imports per file). A word in a string or a comment climbs to no
 * import statement.
 */
export function importStatements(ctx: Ctx): N[] {
  const out: N[] = [];
  const seen = new Set<number>();
  const { text } = ctx;
  for (let i = text.indexOf('import'); i >= 0; i = text.indexOf('import', i + 6)) {
    if ((i > 0 && IDENT.test(text[i - 1])) || IDENT.test(text[i + 6] ?? '')) continue;
    for (let n = nodeAt(ctx, i, i + 6); n; n = n.parent) {
      if (IMPORT_TYPES.has(n.type)) {
        if (!seen.has(n.id)) {
          seen.add(n.id);
          out.push(n);
        }
        break;
      }
      if (n.type === 'module' || n.type.endsWith('_statement') || n.type.endsWith('_definition')) break;
    }
  }
  return out;
}
