/**
 * The deploy matrix: every variable × every deploy target (service, environment), from the model,
 * with the findings that concern each cell. It answers "which service gets which variable in which
 * environment, and from where" at a glance (the editor's webview and `--format html` draw it).
 *
 * Values never appear: a literal is described by its shape (`redact`), a secret by its name and
 * version, an expression by its kind. Placing a finding in a cell is by location: a finding on a
 * write is that write's cell; a finding on a deploy names its variable; a finding on a read names
 * its environment (or belongs to the whole row).
 */
import type { Finding } from '../core/findings';
import type { SeverityName } from '../core/config';
import type { Span } from '../core/facts';
import type { LineIndex } from '../core/text-index';
import { isPartialFor, type DeployTarget, type ReadRef, type WorkspaceModel, type WriteRef } from '../model/workspace-model';
import { contradictedSwitch, isPlatformProvided, platformUnsetIn, readAppliesTo, redact, requiredReads, switchesAllow } from '../rules/shared/deploy-knowledge';
import { isSecretLike, placeholderShape } from '../knowledge/secrets';

export type CellState =
  | 'literal' // set to a literal value in the deploy
  | 'secret' // a Secret Manager reference (name:version)
  | 'env-file' // set by an env file feeding the target
  | 'expression' // set to something computed when deploying (`$VAR`, `${{ secrets.X }}`)
  | 'inherited' // taken from the surrounding environment (compose `- KEY`)
  | 'placeholder' // a secret-like variable holding a placeholder
  | 'code-default' // not set; the code has a default
  | 'platform' // not set; Cloud Run or the runtime provides it
  | 'missing' // read without a default, not set
  | 'unknown'; // not visibly set by a deploy that only adds (`--update-*`): may be set already

/** 0-based, as LSP counts. */
export interface MatrixLocation {
  file: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface MatrixFinding {
  rule: string;
  severity: SeverityName;
  message: string;
  fingerprint: string;
  location: MatrixLocation;
}

export interface MatrixCell {
  state: CellState;
  /** What the cell holds, redacted (`a 12-char value (lower/digits)`, `jwt-secret:latest`). */
  detail: string;
  /** Where the value is set, else where it is read. */
  location?: MatrixLocation;
  findings: MatrixFinding[];
  /** The worst severity among its findings. */
  severity?: SeverityName;
}

export interface MatrixColumn {
  key: string;
  service: string;
  environment: string;
  /** Why the target may hold more than its deploys show (empty when it cannot). */
  partial: string[];
  deploys: { via: string; location: MatrixLocation }[];
}

export interface MatrixReader {
  service?: string;
  location: MatrixLocation;
  required: boolean;
}

export interface MatrixRow {
  name: string;
  /** Some service reads it without a default. */
  required: boolean;
  readers: MatrixReader[];
  /** By column key; a column without an entry neither sets nor reads the variable. */
  cells: Record<string, MatrixCell>;
  /** Findings about the variable that name no one environment. */
  findings: MatrixFinding[];
}

export interface MatrixData {
  columns: MatrixColumn[];
  rows: MatrixRow[];
  summary: {
    services: number;
    environments: string[];
    variables: number;
    cells: Partial<Record<CellState, number>>;
    findings: Record<SeverityName, number>;
  };
}

const ENV_ORDER = ['development', 'test', 'default', 'qa', 'uat', 'preview', 'sandbox', 'staging', 'production'];
const SEVERITY_RANK: Record<SeverityName, number> = { info: 1, warning: 2, error: 3 };
const envRank = (e: string): number => (ENV_ORDER.includes(e) ? ENV_ORDER.indexOf(e) : ENV_ORDER.length);
const inside = (inner: Span, outer: Span): boolean => outer.start <= inner.start && inner.end <= outer.end;
const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
const mentions = (text: string, word: string): boolean => new RegExp(`(^|[^A-Za-z0-9_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`).test(text);

/** The write a cell shows: a secret reference first (what the service ends up with), then a deploy's own entry, then an env file's. */
function chosenWrite(refs: WriteRef[]): WriteRef {
  return refs.find((w) => w.write.value.kind === 'secret') ?? refs.find((w) => w.block.mode !== 'file') ?? refs[0];
}

function describeWrite(w: WriteRef): { state: CellState; detail: string } {
  const v = w.write.value;
  const fromFile = w.block.mode === 'file';
  switch (v.kind) {
    case 'secret':
      return { state: 'secret', detail: `${v.secret}:${v.version ?? 'latest'}` };
    case 'literal': {
      const shape = isSecretLike(w.write.name) ? placeholderShape(v.value) : undefined;
      if (shape) return { state: 'placeholder', detail: `placeholder (${shape})${fromFile ? ` in ${w.file}` : ''}` };
      return fromFile ? { state: 'env-file', detail: `${redact(v.value)} from ${w.file}` } : { state: 'literal', detail: redact(v.value) };
    }
    case 'dynamic':
      return fromFile ? { state: 'env-file', detail: `an expression from ${w.file}` } : { state: 'expression', detail: 'an expression evaluated when deploying' };
    default:
      return { state: 'inherited', detail: `taken from the deploying shell${fromFile ? ` (${w.file})` : ''}` };
  }
}

/** The cell of a variable a target does not set, from what its service's code does with it. */
function unsetCell(model: WorkspaceModel, t: DeployTarget, name: string, reads: ReadRef[]): { state: CellState; detail: string } | undefined {
  const own = reads.filter((r) => !r.isTest && r.service && r.service === t.service && !r.read.devOnly);
  if (own.length === 0) return undefined;
  // Cloud Run gives a service's container K_SERVICE and a job's task CLOUD_RUN_JOB, never the
  // other way round: in a target every deploy of which is the other kind, the code goes without.
  if (isPlatformProvided(name, model) && !platformUnsetIn(name, t)) return { state: 'platform', detail: 'provided by the platform' };
  const inEnvironment = requiredReads(own).filter((r) => readAppliesTo(r, t.environment, model));
  const required = inEnvironment.filter((r) => switchesAllow(r, t, model));
  if (required.length === 0 && inEnvironment.length > 0) {
    // Every required read sits behind a presence test this target decides the other way.
    const s = contradictedSwitch(inEnvironment[0], t, model)!;
    return { state: 'code-default', detail: `not set; read only where ${s.name} is ${s.set ? 'set, which this deploy does not set' : 'unset, which this deploy sets'}` };
  }
  if (required.length === 0) return { state: 'code-default', detail: 'not set; the code has a default or tests for it' };
  if (isPartialFor(t, name)) return { state: 'unknown', detail: `not visibly set: ${t.partial[0].reason} (${t.partial[0].file})` };
  return { state: 'missing', detail: 'read without a default, not set' };
}

export function buildMatrix(model: WorkspaceModel, findings: Finding[], lines: (file: string) => LineIndex | undefined): MatrixData {
  const loc = (file: string, span: Span): MatrixLocation => {
    const idx = lines(file);
    return { file, start: idx?.position(span.start) ?? { line: 0, character: 0 }, end: idx?.position(span.end) ?? { line: 0, character: 0 } };
  };
  const targets = [...model.targets].sort((a, b) => a.serviceName.localeCompare(b.serviceName) || envRank(a.environment) - envRank(b.environment) || a.environment.localeCompare(b.environment));
  const columns: MatrixColumn[] = targets.map((t) => ({
    key: t.key,
    service: t.serviceName,
    environment: t.environment,
    partial: t.partial.map((p) => `${p.file}: ${p.reason}`),
    deploys: t.deploys.map((d) => ({ via: d.deploy.via, location: loc(d.file, d.deploy.service?.span ?? d.deploy.span) })),
  }));

  const readsByName = new Map<string, ReadRef[]>();
  for (const r of model.reads) {
    if (r.isTest || !r.service || !targets.some((t) => t.service === r.service)) continue;
    readsByName.set(r.read.name, [...(readsByName.get(r.read.name) ?? []), r]);
  }
  const names = new Set<string>(readsByName.keys());
  for (const t of targets) for (const n of t.writes.keys()) names.add(n);

  const rows = new Map<string, MatrixRow>();
  for (const name of [...names].sort()) {
    const reads = readsByName.get(name) ?? [];
    const row: MatrixRow = {
      name,
      required: requiredReads(reads).length > 0,
      readers: reads.map((r) => ({ service: r.service?.name, location: loc(r.file, r.read.nameSpan), required: requiredReads([r]).length > 0 })),
      cells: {},
      findings: [],
    };
    for (const t of targets) {
      const refs = t.writes.get(name);
      if (refs?.length) {
        const w = chosenWrite(refs);
        row.cells[t.key] = { ...describeWrite(w), location: loc(w.file, w.write.nameSpan), findings: [] };
        continue;
      }
      const cell = unsetCell(model, t, name, reads);
      const read = reads.find((r) => r.service === t.service);
      if (cell) row.cells[t.key] = { ...cell, location: read ? loc(read.file, read.read.nameSpan) : undefined, findings: [] };
    }
    rows.set(name, row);
  }

  const place = (f: Finding): { row: MatrixRow; column?: string }[] => {
    for (const t of targets) {
      for (const [name, refs] of t.writes) {
        // On the entry itself, and about it (a finding anchored at a neighbouring entry, as an
        // insertion point, names another variable).
        if (refs.some((w) => w.file === f.file && inside(f.span, w.write.span)) && rows.has(name) && mentions(f.message, name)) return [{ row: rows.get(name)!, column: t.key }];
      }
    }
    for (const t of targets) {
      if (!t.deploys.some((d) => d.file === f.file && inside(f.span, d.deploy.span))) continue;
      const named = [...rows.values()].filter((r) => mentions(f.message, r.name) && r.cells[t.key]);
      if (named.length) return named.map((row) => ({ row, column: t.key }));
    }
    const read = model.reads.find((r) => r.file === f.file && (overlaps(f.span, r.read.span) || overlaps(f.span, r.read.nameSpan)));
    const row = read && rows.get(read.read.name);
    if (!read || !row) return [];
    const cols = targets.filter((t) => t.service && t.service === read.service && row.cells[t.key] && mentions(f.message, t.environment));
    return cols.length ? cols.map((t) => ({ row, column: t.key })) : [{ row }];
  };
  const counts: Record<SeverityName, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) {
    counts[f.severity]++;
    const ref: MatrixFinding = { rule: f.rule, severity: f.severity, message: f.message, fingerprint: f.fingerprint, location: { file: f.file, start: f.range.start, end: f.range.end } };
    for (const p of place(f)) {
      const cell = p.column ? p.row.cells[p.column] : undefined;
      const list = cell ? cell.findings : p.row.findings;
      if (list.some((x) => x.fingerprint === f.fingerprint)) continue;
      list.push(ref);
      if (cell && (!cell.severity || SEVERITY_RANK[f.severity] > SEVERITY_RANK[cell.severity])) cell.severity = f.severity;
    }
  }

  const cells: Partial<Record<CellState, number>> = {};
  for (const r of rows.values()) for (const c of Object.values(r.cells)) cells[c.state] = (cells[c.state] ?? 0) + 1;
  return {
    columns,
    rows: [...rows.values()],
    summary: {
      services: new Set(targets.map((t) => t.serviceName)).size,
      environments: [...new Set(targets.map((t) => t.environment))].sort((a, b) => envRank(a) - envRank(b)),
      variables: rows.size,
      cells,
      findings: counts,
    },
  };
}
