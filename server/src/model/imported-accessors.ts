/**
 * Reads through an accessor another module defines (`from core.env import env_str` …
 * `env_str("BUCKET")`; `import { requireEnv } from './env'` … `requireEnv('BUCKET')`): a call the
 * extractor recorded (`FileFacts.accessorCalls`) is a read when the module it names defines that
 * function as an accessor (`FileFacts.accessorDefs`), required or optional by the definition as a
 * call in the defining file would be (extract/python/accessors.ts, extract/typescript/accessors.ts).
 * A TypeScript specifier is resolved as the compiler does (model/module-paths.ts), a Python module
 * as Python finds it from the file (knowledge/python-packages.ts).
 *
 * Facts are shared (the extraction cache, the workers): a corrected read is a copy.
 */
import { withDefault, type AccessorCallFact, type AccessorDef, type EnvRead, type FileFacts } from '../core/facts';
import { resolveSpecifier } from './module-paths';
import { pythonModulePaths } from '../knowledge/python-packages';

export class ImportedAccessors {
  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

  /** The reads `file`'s accessor calls make, as the definitions they call decide. */
  reads(file: string, facts: FileFacts): EnvRead[] {
    const out: EnvRead[] = [];
    for (const call of facts.accessorCalls ?? []) {
      const def = this.definition(file, call);
      if (def) out.push(judged(call, def));
    }
    return out;
  }

  private definition(file: string, call: AccessorCallFact): AccessorDef | undefined {
    if (!file.endsWith('.py')) {
      const target = resolveSpecifier(file, call.module, (f) => this.files.has(f));
      const defs = target ? this.files.get(target)?.accessorDefs : undefined;
      return defs?.find((d) => (call.name === 'default' ? !!d.defaultExport : d.name === call.name) && !d.method && d.nameParam === 0);
    }
    for (const candidate of moduleFiles(file, call.module)) {
      const defs = this.files.get(candidate)?.accessorDefs;
      if (!this.files.has(candidate)) continue;
      // The first module found is the one Python imports: its definition or none.
      return defs?.find((d) => d.name === call.name && !d.method && d.nameParam === 0);
    }
    return undefined;
  }
}

/** The call's read as the definition decides it: a default of the accessor's own, or one the
 * call passes, makes it optional; an accessor that raises makes it required whatever the use;
 * one returning `None` leaves it to the use, as the extractor judged it. */
function judged(call: AccessorCallFact, def: AccessorDef): EnvRead {
  const read = call.read;
  const dp = def.defaultParam;
  const passed = dp ? call.positional[dp.index] ?? call.keywords[dp.keyword] : undefined;
  if (def.whenUnset === 'default' || (passed === undefined && dp?.declared)) return optional(read, 'default');
  if (def.whenUnset === 'fallback') return optional(read, 'fallback');
  if (passed) return optional(read, 'default');
  if (def.whenUnset === 'raises') {
    const { optionalBecause: _o, requiredIn: _r, emptyDefault: _e, needUnseen: _n, returnedBy: _g, placeholderDefault: _p, committedKey: _k, ...rest } = read;
    return { ...rest, hasDefault: false };
  }
  return read;
}

function optional(read: EnvRead, because: 'default' | 'fallback'): EnvRead {
  return read.hasDefault ? read : withDefault(read, because);
}

/** The files a module named in `file` may be, in the order Python would find them. */
export function moduleFiles(file: string, module: string): string[] {
  return pythonModulePaths(file, module).flatMap((p) => [`${p}.py`, `${p}/__init__.py`]);
}
