/**
 * What a hover on an environment variable shows, as data: per deploy target (environment ×
 * service) where the name is set — secret references by name, literal values only as a redacted
 * shape — where it is read and whether a default covers it; then writes outside any target and
 * services that read it without any target.
 */
import type { Analysis, ReadRef, WriteRef } from '../engine/analysis';
import type { EnvWrite, Span } from '../core/facts';
import { describeLiteral, isPlatformProvided, readRunsFor, requiredReads } from '../rules/shared/deploy-knowledge';
import { isPartialFor, type DeployTarget } from '../model/workspace-model';
import { nameAt } from './names';

export interface Place {
  file: string;
  span: Span;
}

export interface HoverRow {
  /** Undefined for a write or read outside any environment. */
  environment?: string;
  service?: string;
  /** `writes`: where it is set (with the value described); `not-set`: the target does not set it;
   * `no-target`: the service reads it but has no deploy target. */
  set: { kind: 'writes'; writes: (Place & { value: string })[] } | { kind: 'not-set' } | { kind: 'no-target' };
  reads: Place[];
  /** Of the reads, as the rules judge them for this target: `required` (a target lacking it is a
   * problem), `required, may be kept` (the deploy only adds, so the problem is a warning), every
   * read has a default, or why it is not required here; undefined without reads. */
  requirement?: Requirement;
}

export type Requirement =
  | 'required' | 'required (the deploy may keep an earlier value)' | 'has a default'
  | 'provided by the platform' | 'not required in this environment';

export interface HoverInfo {
  name: string;
  /** The name under the cursor. */
  span: Span;
  rows: HoverRow[];
}

/** What a write sets, without ever showing a literal value. */
export function describeValue(w: EnvWrite): string {
  const v = w.value;
  switch (v.kind) {
    case 'secret': return `secret \`${v.secret}${v.version ? `:${v.version}` : ''}\``;
    case 'literal': return describeLiteral(w.name, v.value);
    case 'dynamic': return 'set at deploy time';
    case 'inherited': return 'inherited from the shell';
    default: return 'set';
  }
}

export function hoverInfo(analysis: Analysis, file: string, offset: number): HoverInfo | undefined {
  const hit = nameAt(analysis, file, offset);
  if (!hit) return undefined;
  const model = analysis.model();
  const name = hit.name;
  const readsOf = (service: string | undefined): ReadRef[] =>
    (service ? model.readsByService.get(service) ?? [] : model.reads.filter((r) => !r.service)).filter((r) => r.read.name === name && !r.isTest);
  // The same judgement the rules make (env-unset-for-deploy), so the hover never calls required
  // and missing what no problem reports, and says why when it is not required.
  const requirement = (reads: ReadRef[], t?: DeployTarget): Requirement | undefined => {
    if (reads.length === 0) return undefined;
    if (reads.every((r) => r.read.hasDefault)) return 'has a default';
    if (isPlatformProvided(name, model)) return 'provided by the platform';
    if (!t) return 'required';
    const needed = requiredReads(reads).filter((r) => readRunsFor(r, t, model) &&
      !(r.read.alternatives ?? []).some((a) => t.writes.has(a) || isPlatformProvided(a, model)));
    if (needed.length === 0) return 'not required in this environment';
    return !t.writes.has(name) && isPartialFor(t, name) ? 'required (the deploy may keep an earlier value)' : 'required';
  };
  const places = (reads: ReadRef[]): Place[] => reads.map((r) => ({ file: r.file, span: r.read.nameSpan }));
  const set = (writes: WriteRef[]): HoverRow['set'] =>
    ({ kind: 'writes', writes: writes.map((w) => ({ file: w.file, span: w.write.nameSpan, value: describeValue(w.write) })) });

  const rows: HoverRow[] = [];
  const coveredServices = new Set<string>();
  for (const t of [...model.targets].sort((a, b) => a.environment.localeCompare(b.environment) || a.serviceName.localeCompare(b.serviceName))) {
    const writes = t.writes.get(name) ?? [];
    const reads = readsOf(t.service?.name);
    if (writes.length === 0 && reads.length === 0) continue;
    if (t.service) coveredServices.add(t.service.name);
    rows.push({ environment: t.environment, service: t.serviceName, set: writes.length ? set(writes) : { kind: 'not-set' }, reads: places(reads), requirement: requirement(reads, t) });
  }
  // Writes outside any deploy target (a template .env, an unplaced deploy), by file.
  for (const w of model.writes.filter((x) => !x.target && x.write.name === name)) {
    rows.push({ environment: w.environment, service: w.serviceName, set: set([w]), reads: [] });
  }
  // Services that read it without any target of theirs.
  const readers = new Map<string | undefined, ReadRef[]>();
  for (const r of model.reads) {
    if (r.read.name !== name || r.isTest) continue;
    if (r.service && coveredServices.has(r.service.name)) continue;
    const key = r.service?.name;
    readers.set(key, [...(readers.get(key) ?? []), r]);
  }
  for (const [service, reads] of readers) rows.push({ service, set: { kind: 'no-target' }, reads: places(reads), requirement: requirement(reads) });
  return { name, span: hit.span, rows };
}
