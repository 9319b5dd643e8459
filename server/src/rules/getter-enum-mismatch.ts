/**
 * A state property whose value is one enum while its declaration or its callers use another,
 * parallel enum (same member names): `UnifiedCircuitBreakerState` returned where `CircuitState`
 * is declared or compared. Enum members of different enums never compare equal, so every such
 * comparison is silently false — the audit's circuit-breaker regression.
 */
import type { Rule, Fix } from './types';
import type { AccessorFact, EnumFact, FileFacts } from '../extract/facts';
import type { WorkspaceModel } from '../model/workspace-model';

const norm = (s: string) => s.toLowerCase().replace(/_/g, '');

interface EnumInfo { fact: EnumFact; file: string }
interface AccessorInfo { fact: AccessorFact; file: string; facts: FileFacts }

function parallel(a: EnumFact, b: EnumFact): boolean {
  if (a.name === b.name) return false;
  const names = new Set(a.members.map((m) => norm(m.name)));
  return b.members.filter((m) => names.has(norm(m.name))).length >= 2;
}

/** The enum an accessor evidently yields: what its returns hold, else what it declares. */
function yielded(a: AccessorFact, enums: Map<string, EnumInfo>): string | undefined {
  const returned = new Set(a.returns.map((r) => r.enumName).filter((n): n is string => !!n && enums.has(n)));
  if (returned.size === 1 && a.returns.every((r) => r.enumName)) return [...returned][0];
  if (returned.size === 0 && a.declaredType && enums.has(a.declaredType.name)) return a.declaredType.name;
  return undefined;
}

/** An expression converting a value of `from` into `to`, in the file's language, when every member maps. */
function conversion(expr: string, from: EnumFact, to: EnumFact, language: FileFacts['kind']): string | undefined {
  const toNames = new Set(to.members.map((m) => m.name));
  const toValues = new Set(to.members.map((m) => m.value).filter((v): v is string => v !== undefined));
  if (language === 'python') {
    if (from.members.every((m) => toNames.has(m.name))) return `${to.name}[${expr}.name]`;
    if (from.members.every((m) => m.value !== undefined && toValues.has(m.value))) return `${to.name}(${expr}.value)`;
    return undefined;
  }
  if (from.members.every((m) => m.value !== undefined && toValues.has(m.value) && !/^\d/.test(m.value))) return `(${expr} as string as ${to.name})`;
  return undefined;
}

function indexEnums(model: WorkspaceModel): Map<string, EnumInfo> {
  const enums = new Map<string, EnumInfo>();
  for (const [file, facts] of model.files) for (const e of facts.enums) if (!enums.has(e.name)) enums.set(e.name, { fact: e, file });
  return enums;
}

export const getterEnumMismatch: Rule = {
  meta: {
    id: 'getter-enum-mismatch',
    defaultSeverity: 'error',
    description: 'A state getter yields one enum where its declaration or callers use a parallel enum',
    fixable: true,
  },
  check({ model, report }) {
    const enums = indexEnums(model);
    if (enums.size < 2) return;
    const accessors: AccessorInfo[] = [];
    for (const [file, facts] of model.files) for (const a of facts.accessors) accessors.push({ fact: a, file, facts });

    // (a) declared one enum, returns its parallel twin.
    for (const acc of accessors) {
      const a = acc.fact;
      const declared = a.declaredType && enums.get(a.declaredType.name);
      if (!declared) continue;
      for (const r of a.returns) {
        const actual = r.enumName ? enums.get(r.enumName) : undefined;
        if (!actual || !parallel(actual.fact, declared.fact)) continue;
        const fixes: Fix[] = [];
        const converted = conversion(r.text, actual.fact, declared.fact, acc.facts.kind);
        if (converted) fixes.push({ title: `Return ${declared.fact.name} (convert from ${actual.fact.name}, backward compatible)`, edits: [{ file: acc.file, span: r.span, newText: converted }], safe: true, preferred: true });
        fixes.push({ title: `Declare ${a.className}.${a.name} as ${actual.fact.name}`, edits: [{ file: acc.file, span: a.declaredType!.span, newText: actual.fact.name }], safe: false });
        report({
          file: acc.file,
          span: r.span,
          key: `decl:${a.className}.${a.name}:${actual.fact.name}`,
          message: `${a.className}.${a.name} is declared ${declared.fact.name} but returns ${actual.fact.name} (${r.text}); callers comparing with ${declared.fact.name} members always get false`,
          related: [
            { file: acc.file, span: a.declaredType!.span, message: `declared ${declared.fact.name} here` },
            { file: actual.file, span: actual.fact.span, message: `${actual.fact.name} defined here` },
          ],
          fixes,
        });
      }
    }

    // (b) callers comparing the property with a parallel enum's member.
    const byName = new Map<string, AccessorInfo[]>();
    for (const acc of accessors) {
      const list = byName.get(acc.fact.name) ?? [];
      list.push(acc);
      byName.set(acc.fact.name, list);
    }
    for (const [file, facts] of model.files) {
      for (const c of facts.comparisons) {
        const compared = enums.get(c.enumName);
        if (!compared) continue;
        let holds: string | undefined = c.actualEnum;
        let source: AccessorInfo | undefined;
        if (!holds) {
          const candidates = (byName.get(c.property) ?? []).filter((a) => !c.receiverClass || a.fact.className === c.receiverClass);
          const kinds = new Set(candidates.map((a) => yielded(a.fact, enums)));
          if (candidates.length === 0 || kinds.size !== 1) continue;
          holds = [...kinds][0];
          source = candidates[0];
        }
        const actual = holds ? enums.get(holds) : undefined;
        if (!actual || !parallel(actual.fact, compared.fact)) continue;
        const member = actual.fact.members.find((m) => m.name === c.member) ?? actual.fact.members.find((m) => norm(m.name) === norm(c.member));
        const fixes: Fix[] = member ? [{
          title: `Compare with ${actual.fact.name}.${member.name}${facts.kind === 'python' || facts.kind === 'typescript' ? ` (import ${actual.fact.name} if needed)` : ''}`,
          edits: [{ file, span: c.enumSpan, newText: `${actual.fact.name}.${member.name}` }],
          safe: false,
          preferred: true,
        }] : [];
        const ret = source?.fact.returns.find((r) => r.enumName === actual.fact.name);
        report({
          file,
          span: c.enumSpan,
          key: `cmp:${c.property}:${c.enumName}.${c.member}:${c.receiverClass ?? ''}`,
          message: `.${c.property} holds ${actual.fact.name}${source ? ` (${source.fact.className}.${source.fact.name})` : ''} but is compared with ${c.enumName}.${c.member}: members of different enums are never equal, so this comparison never matches`,
          related: [
            ...(source ? [{ file: source.file, span: ret?.span ?? source.fact.span, message: `${source.fact.className}.${source.fact.name} yields ${actual.fact.name} here` }] : []),
            { file: actual.file, span: actual.fact.span, message: `${actual.fact.name} defined here` },
          ],
          fixes,
        });
      }
    }
  },
};
