/**
 * A state property whose value is one enum while its declaration or its callers use another,
 * parallel enum (same member names): `UnifiedCircuitBreakerState` returned where `CircuitState`
 * is declared or compared. In Python, members of two
 * plain enums never compare equal, so every such comparison is silently false; in TypeScript,
 * `tsc` rejects the comparison (TS2367) and at runtime it matches only where the two enums'
 * values happen to coincide.
 *
 * Two shapes:
 * (a) an accessor declared `E1` returns `E2` (reported at the return, callers as related);
 * (b) a caller compares a property holding `E2` with an `E1` member (reported at the member).
 * What a property holds comes from the fact (`actualEnum`), the receiver's class when evident,
 * the TypeScript checker (model/ts-enum-types.ts, run lazily for TS candidates only), or — for
 * Python, without a checker — the one enum every accessor of that name yields.
 */
import { defineRule } from './types';
import type { Fix } from '../core/edits';
import type { Related } from '../core/findings';
import type { AccessorFact, EnumComparisonFact, EnumFact, FileFacts } from '../core/facts';
import type { WorkspaceModel } from '../model/workspace-model';
import { comparisonKey, resolveTsComparisonEnums, type TsEnumResolution } from '../model/ts-enum-types';

const norm = (s: string) => s.toLowerCase().replace(/_/g, '');

interface EnumInfo { fact: EnumFact; file: string; kind: FileFacts['kind'] }
interface AccessorInfo { fact: AccessorFact; file: string; facts: FileFacts }

/** Normalised member names, computed once per enum fact (facts of unchanged files are reused
 * across edits, so this costs nothing on the edit path). */
const memberNames = new WeakMap<EnumFact, Set<string>>();
function namesOf(e: EnumFact): Set<string> {
  let names = memberNames.get(e);
  if (!names) {
    names = new Set(e.members.map((m) => norm(m.name)));
    memberNames.set(e, names);
  }
  return names;
}

function parallel(a: EnumFact, b: EnumFact): boolean {
  if (a.name === b.name) return false;
  const names = namesOf(a);
  let shared = 0;
  for (const n of namesOf(b)) if (names.has(n) && ++shared >= 2) return true;
  return false;
}

/** An enum as the pairing sees it: its language, name and normalised member names (kept per
 * fact, like `namesOf`). */
const pairingKeys = new WeakMap<EnumFact, string>();
function pairingKey(e: EnumInfo): string {
  let k = pairingKeys.get(e.fact);
  if (k === undefined) {
    k = `${e.fact.name}\0${[...namesOf(e.fact)].sort().join('\0')}`;
    pairingKeys.set(e.fact, k);
  }
  return `${e.kind}\0${k}`;
}

/**
 * The last pairing and what it was computed from. The pairing depends only on each enum's
 * language, name and member names, which change only when a file's enum facts do: on most edits
 * (a file without enums, or whose enums kept their members) it is the previous one. Keyed by
 * content, not by fact identity, since the edited file's facts are new objects on every edit.
 */
let lastPairing: { key: string; withTwin: Set<string> } | undefined;

/** `enumsWithTwin`, computed again only when an enum was added, removed or renamed, or its members changed. */
function enumsWithTwinMemo(list: EnumInfo[]): Set<string> {
  const key = list.map(pairingKey).sort().join('\n');
  if (lastPairing?.key !== key) lastPairing = { key, withTwin: enumsWithTwin(list) };
  return lastPairing.withTwin;
}

/** Names of enums that have a parallel twin in the same language: an index by member name
 * visits only enums that share a member, instead of every pair. */
function enumsWithTwin(list: EnumInfo[]): Set<string> {
  const byMember = new Map<string, EnumInfo[]>();
  for (const e of list) {
    for (const n of namesOf(e.fact)) {
      const k = `${e.kind}\0${n}`;
      const bucket = byMember.get(k);
      if (bucket) bucket.push(e);
      else byMember.set(k, [e]);
    }
  }
  const out = new Set<string>();
  for (const e of list) {
    if (out.has(e.fact.name)) continue;
    const seen = new Set<EnumInfo>();
    for (const n of namesOf(e.fact)) {
      for (const other of byMember.get(`${e.kind}\0${n}`) ?? []) {
        if (other === e || seen.has(other)) continue;
        seen.add(other);
        if (parallel(e.fact, other.fact)) {
          out.add(e.fact.name);
          out.add(other.fact.name);
        }
      }
    }
  }
  return out;
}

/** The enum an accessor evidently yields: what its returns hold, else what it declares. */
function yielded(acc: AccessorInfo, enums: EnumIndex): string | undefined {
  const a = acc.fact;
  const known = (n: string) => enums.has(n, acc.facts.kind);
  const returned = new Set(a.returns.map((r) => r.enumName).filter((n): n is string => !!n && known(n)));
  if (returned.size === 1 && a.returns.every((r) => r.enumName)) return [...returned][0];
  if (returned.size === 0 && a.declaredType && known(a.declaredType.name)) return a.declaredType.name;
  return undefined;
}

/** An expression converting a value of `from` into `to`, in the file's language, when every member maps. */
function conversion(expr: string, from: EnumFact, to: EnumFact, language: FileFacts['kind']): string | undefined {
  const toNames = new Set(to.members.map((m) => m.name));
  const toValues = new Set(to.members.map((m) => m.value).filter((v): v is string => v !== undefined));
  if (language === 'python') {
    const operand = /^[A-Za-z_][\w.]*$/.test(expr) ? expr : `(${expr})`;
    if (from.members.every((m) => toNames.has(m.name))) return `${to.name}[${operand}.name]`;
    if (from.members.every((m) => m.value !== undefined && toValues.has(m.value))) return `${to.name}(${operand}.value)`;
    return undefined;
  }
  if (language === 'typescript' && from.members.every((m) => m.value !== undefined && toValues.has(m.value) && !/^-?\d/.test(m.value))) {
    return `(${expr} as string as ${to.name})`;
  }
  return undefined;
}

/** The return expression's text ends in a cast to `name` (`(x as string as Name)`). */
function castsTo(text: string, name: string): boolean {
  const t = text.trim().replace(/^\((.*)\)$/s, '$1').trim();
  return t.endsWith(` as ${name}`);
}

/** Do members of `a` and `b` with one value compare equal at runtime? */
function byValue(language: FileFacts['kind'], a: EnumFact, b: EnumFact): boolean {
  return language === 'typescript' || (!!a.comparesByValue && !!b.comparesByValue);
}

/** Enums by name, per language; a name defined twice resolves to the definition nearest the use. */
class EnumIndex {
  private readonly byName = new Map<string, EnumInfo[]>();
  constructor(private readonly model: WorkspaceModel) {
    for (const [file, facts] of model.files) {
      for (const e of facts.enums) {
        const k = `${facts.kind}:${e.name}`;
        const list = this.byName.get(k);
        if (list) list.push({ fact: e, file, kind: facts.kind });
        else this.byName.set(k, [{ fact: e, file, kind: facts.kind }]);
      }
    }
  }
  get size(): number {
    return this.byName.size;
  }
  all(): EnumInfo[] {
    return [...this.byName.values()].flat();
  }
  has(name: string, kind: FileFacts['kind']): boolean {
    return this.byName.has(`${kind}:${name}`);
  }
  /** The definition in `file`, else in the same service, else the only one. */
  get(name: string, file: string, kind: FileFacts['kind']): EnumInfo | undefined {
    const list = this.byName.get(`${kind}:${name}`);
    if (!list) return undefined;
    if (list.length === 1) return list[0];
    const same = list.find((e) => e.file === file);
    if (same) return same;
    const owner = this.model.services.ownerOf(file)?.name;
    const near = list.filter((e) => this.model.services.ownerOf(e.file)?.name === owner);
    return near.length === 1 ? near[0] : undefined;
  }
}

// Shape (a), an accessor declared one enum returns its twin. Callers, members without a
// counterpart (why no conversion is offered) are in the related locations, the fixes and the doc.
const RETURNS_TWIN = '{{getter}} is declared {{declared}} but returns {{actual}}: ';
// Shape (b), a caller compares a property holding one enum with its twin's member.
const COMPARED = '{{property}} holds {{holds}}, not {{comparedEnum}}: ';

export const getterEnumMismatch = defineRule({
  meta: {
    id: 'getter-enum-mismatch',
    defaultSeverity: 'error',
    description: 'A state getter yields one enum where its declaration or callers use a parallel enum',
    fixable: true,
    messages: {
      returnsTwin: RETURNS_TWIN + 'comparisons never match',
      /** Python enums comparing by value (`str` mixins): members match where the values coincide. */
      returnsTwinByValue: RETURNS_TWIN + 'matches by value only',
      /** TypeScript, the twin member has the same value: only the type checker objects. */
      comparedWithTwinTsc: COMPARED + 'tsc rejects this (TS2367); it works by equal values only',
      /** Python enums comparing by value, same value: works by coincidence. */
      comparedWithTwinSameValue: COMPARED + 'this works only because the values are equal',
      /** Another member of the held enum has the compared member's value. */
      comparedWithTwinOtherMember: COMPARED + 'this matches {{twin}}, not {{intended}}',
      comparedWithTwinOtherMemberUnmapped: COMPARED + 'this matches {{twin}} instead',
      comparedWithTwinNeverEqual: COMPARED + 'this comparison never matches',
    },
  },
  check({ model, report }) {
    const enums = new EnumIndex(model);
    if (enums.size < 2) return;
    const withTwin = enumsWithTwinMemo(enums.all());
    if (withTwin.size === 0) return;

    const accessors: AccessorInfo[] = [];
    for (const [file, facts] of model.files) for (const a of facts.accessors) accessors.push({ fact: a, file, facts });
    const byName = new Map<string, AccessorInfo[]>();
    for (const acc of accessors) {
      const list = byName.get(acc.fact.name);
      if (list) list.push(acc);
      else byName.set(acc.fact.name, [acc]);
    }

    // What each comparison's property holds, and from where.
    interface Holds { enumName: string; source?: AccessorInfo; declaration?: { file: string; span: { start: number; end: number } }; inScope?: string[] }
    const comparisons: { file: string; facts: FileFacts; c: EnumComparisonFact }[] = [];
    for (const [file, facts] of model.files) {
      if (facts.isTest) continue;
      for (const c of facts.comparisons) if (withTwin.has(c.enumName)) comparisons.push({ file, facts, c });
    }
    const evidentSource = (c: EnumComparisonFact): AccessorInfo[] | undefined => {
      if (!c.receiverClass) return undefined;
      const own = (byName.get(c.property) ?? []).filter((a) => a.fact.className === c.receiverClass);
      if (own.length) return own;
      // A subclass without an accessor of its own uses its base's (`class Legacy(UnifiedBreaker)`).
      const inherited = (byName.get(c.property) ?? []).filter((a) => c.receiverBases?.includes(a.fact.className));
      return inherited.length ? inherited : undefined;
    };
    // TypeScript comparisons whose receiver is not evident go to the type checker, lazily.
    const tsCandidates = comparisons.filter(({ facts, c }) => facts.kind === 'typescript' && !c.actualEnum && !evidentSource(c));
    let checked: Map<string, TsEnumResolution> | undefined;
    if (tsCandidates.length && model.readText) {
      checked = resolveTsComparisonEnums(model, tsCandidates.map(({ file, c }) => ({ file, comparison: c })), model.readText);
    }
    const holdsOf = (file: string, facts: FileFacts, c: EnumComparisonFact): Holds | undefined => {
      if (c.actualEnum) return { enumName: c.actualEnum };
      const own = evidentSource(c);
      if (own) {
        const kinds = new Set(own.map((a) => yielded(a, enums)));
        const e = kinds.size === 1 ? [...kinds][0] : undefined;
        return e ? { enumName: e, source: own[0] } : undefined;
      }
      if (facts.kind === 'typescript' && checked) {
        const r = checked.get(comparisonKey(file, c));
        return r?.enumName ? { enumName: r.enumName, declaration: r.declaration, inScope: r.inScope } : undefined;
      }
      if (c.receiverClass) return undefined; // a class we cannot see (a base class, a library): don't guess
      // No checker: the one enum every same-named accessor of this language yields.
      const candidates = (byName.get(c.property) ?? []).filter((a) => a.facts.kind === facts.kind);
      const kinds = new Set(candidates.map((a) => yielded(a, enums)));
      if (candidates.length === 0 || kinds.size !== 1) return undefined;
      const e = [...kinds][0];
      return e ? { enumName: e, source: candidates[0] } : undefined;
    };

    // (a) declared one enum, returns its parallel twin.
    const lying = new Map<AccessorInfo, string>(); // accessor -> declared enum name
    for (const acc of accessors) {
      const a = acc.fact;
      const declared = a.declaredType && enums.get(a.declaredType.name, acc.file, acc.facts.kind);
      if (!declared || acc.facts.isTest) continue;
      for (const r of a.returns) {
        const actual = r.enumName ? enums.get(r.enumName, acc.file, acc.facts.kind) : undefined;
        if (!actual || !parallel(actual.fact, declared.fact)) continue;
        // `x as string as CircuitState` is the TypeScript conversion itself (the extractor looks
        // through casts to find the field's enum); an explicit cast to the declared enum is deliberate.
        if (acc.facts.kind === 'typescript' && castsTo(r.text, declared.fact.name)) continue;
        lying.set(acc, declared.fact.name);
        const fixes: Fix[] = [];
        const converted = conversion(r.text, actual.fact, declared.fact, acc.facts.kind);
        if (converted) fixes.push({ title: `Return ${declared.fact.name} (convert from ${actual.fact.name}, backward compatible)`, edits: [{ file: acc.file, span: r.span, newText: converted }], safe: true, preferred: true });
        const callers: Related[] = [];
        for (const { file, facts, c } of comparisons) {
          if (c.property !== a.name || c.enumName !== declared.fact.name) continue;
          const h = holdsOf(file, facts, c);
          if (h?.source === acc || (h && !h.source && h.enumName === actual.fact.name)) {
            callers.push({ file, span: c.span, message: `compares ${a.name} with ${c.enumName}.${c.member}: never true while the getter returns ${actual.fact.name}` });
          }
        }
        const unmapped = actual.fact.members.filter((m) => !declared.fact.members.some((d) => d.name === m.name)).map((m) => m.name);
        // Without a conversion (a member has no counterpart), the declaration is what can change.
        fixes.push({
          title: `Declare ${a.className}.${a.name} as ${actual.fact.name} (callers must then compare with ${actual.fact.name}${!converted && unmapped.length ? `; ${unmapped.join(', ')} ${unmapped.length === 1 ? 'has' : 'have'} no ${declared.fact.name} counterpart` : ''})`,
          edits: [{ file: acc.file, span: a.declaredType!.span, newText: actual.fact.name }],
          safe: false,
        });
        report({
          file: acc.file,
          span: r.span,
          key: `decl:${a.className}.${a.name}:${actual.fact.name}:${r.text}`,
          messageId: byValue(acc.facts.kind, actual.fact, declared.fact) ? 'returnsTwinByValue' : 'returnsTwin',
          data: { getter: `${a.className}.${a.name}`, declared: declared.fact.name, actual: actual.fact.name },
          related: [
            { file: acc.file, span: a.declaredType!.span, message: `declared ${declared.fact.name} here` },
            ...callers,
            { file: actual.file, span: actual.fact.span, message: `${actual.fact.name} defined here` },
          ],
          fixes,
        });
      }
    }

    // (b) callers comparing the property with a parallel enum's member. A comparison is keyed by
    // its names and its place among the file's comparisons with the same names (not its offset),
    // so the fingerprint survives lines added above it.
    const seenInFile = new Map<string, number>();
    for (const { file, facts, c } of comparisons) {
      const base = `cmp:${c.property}:${c.enumName}.${c.member}:${c.receiverClass ?? ''}`;
      const nth = seenInFile.get(`${file}\0${base}`) ?? 0;
      seenInFile.set(`${file}\0${base}`, nth + 1);
      const compared = enums.get(c.enumName, file, facts.kind);
      if (!compared) continue;
      const h = holdsOf(file, facts, c);
      const actual = h ? enums.get(h.enumName, h.source?.file ?? h.declaration?.file ?? file, facts.kind) : undefined;
      if (!h || !actual || !parallel(actual.fact, compared.fact)) continue;
      // The caller trusts a getter that lies about its type: reported once, at the getter.
      if (h.source && lying.get(h.source) === c.enumName) continue;
      const member = actual.fact.members.find((m) => m.name === c.member) ?? actual.fact.members.find((m) => norm(m.name) === norm(c.member));
      const comparedMember = compared.fact.members.find((m) => m.name === c.member);
      const twinByValue = byValue(facts.kind, actual.fact, compared.fact) && comparedMember?.value !== undefined
        ? actual.fact.members.find((m) => m.value === comparedMember.value)
        : undefined;
      let effect: 'comparedWithTwinTsc' | 'comparedWithTwinSameValue' | 'comparedWithTwinOtherMember' | 'comparedWithTwinOtherMemberUnmapped' | 'comparedWithTwinNeverEqual';
      let severity: 'warning' | undefined;
      if (twinByValue && twinByValue.name === member?.name) {
        effect = facts.kind === 'typescript' ? 'comparedWithTwinTsc' : 'comparedWithTwinSameValue';
        severity = 'warning';
      } else if (twinByValue) {
        effect = member ? 'comparedWithTwinOtherMember' : 'comparedWithTwinOtherMemberUnmapped';
      } else {
        effect = 'comparedWithTwinNeverEqual';
      }
      const inScope = actual.file === file || !!h.inScope?.includes(actual.fact.name);
      const fixes: Fix[] = member ? [{
        title: `Compare with ${actual.fact.name}.${member.name}${inScope ? '' : ` (import ${actual.fact.name})`}`,
        edits: [{ file, span: c.enumSpan, newText: `${actual.fact.name}.${member.name}` }],
        safe: inScope && member.name === c.member,
        preferred: true,
      }] : [];
      const source = h.source;
      const where = source ? `${source.fact.className}.${source.fact.name}` : undefined;
      const sourceSpan = source ? (source.fact.declaredType?.name === actual.fact.name ? source.fact.declaredType.span : source.fact.returns.find((r) => r.enumName === actual.fact.name)?.span ?? source.fact.span) : undefined;
      report({
        file,
        span: c.enumSpan,
        key: nth ? `${base}#${nth}` : base,
        messageId: effect,
        data: {
          property: where ?? `.${c.property}`, holds: actual.fact.name, comparedEnum: c.enumName,
          twin: twinByValue && `${actual.fact.name}.${twinByValue.name}`, intended: member && `${actual.fact.name}.${member.name}`,
        },
        ...(severity ? { severity } : {}),
        related: [
          ...(source && sourceSpan ? [{ file: source.file, span: sourceSpan, message: `${where} yields ${actual.fact.name} here` }] : []),
          ...(!source && h.declaration ? [{ file: h.declaration.file, span: h.declaration.span, message: `.${c.property} is declared here (type ${actual.fact.name})` }] : []),
          { file: actual.file, span: actual.fact.span, message: `${actual.fact.name} defined here` },
        ],
        fixes,
      });
    }
  },
});
