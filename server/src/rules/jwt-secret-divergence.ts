/**
 * Services of one environment take their JWT signing secret from different sources (different
 * Secret Manager secrets, or different literals): tokens one service signs, another rejects
 * (`auth` on `jwt-secret-staging`, `backend` on `jwt-secret-key-staging`). The same for a key
 * services share to call each other (`INTERNAL_API_KEY`, `SERVICE_SECRET`), compared by name.
 *
 * Sources are compared by identity (a secret's name, a literal's hash); literal values are never
 * kept in a message. One finding per diverging service, related to the majority's source; the
 * fix points the diverging secret reference at the majority's secret in the file's own syntax.
 */
import { createHash } from 'node:crypto';
import { defineRule, type Report } from './types';
import type { Fix, FileEdit } from '../core/edits';
import type { DeployTarget, WorkspaceModel, WriteRef } from '../model/workspace-model';
import { DEPLOYED_ENVIRONMENTS } from '../knowledge/environments';
import { listOf, serviceLabel } from './shared/deploy-knowledge';

/** The service a write belongs to, named even when the deployed name held nothing else. */
function writerLabel(w: WriteRef): string {
  return w.target ? serviceLabel(w.target) : w.serviceName?.trim() || 'another service';
}

const JWT_NAME = /^(?:[A-Z0-9]+_)*JWT_(?:SECRET|SECRET_KEY|SIGNING_KEY|KEY|SIGNING_SECRET)$/;
/** A key services share to call each other (the caller sends it, the callee compares): like a JWT
 * key, it must be the same on both sides. Exact names only: `STRIPE_SERVICE_SECRET` is no such key. */
const SHARED_KEY_NAME = /^(?:INTERNAL_(?:API_KEY|API_SECRET|API_TOKEN|SERVICE_KEY|SERVICE_SECRET|SERVICE_TOKEN|SECRET|TOKEN)|SERVICE_(?:SECRET|TOKEN|AUTH_TOKEN)|INTER_SERVICE_(?:SECRET|TOKEN|KEY)|SERVICE_TO_SERVICE_(?:SECRET|TOKEN|KEY)|S2S_(?:SECRET|TOKEN|KEY)|SHARED_SECRET)$/;
const SECRET_NAME_RE = /^[A-Za-z0-9_-]+$/;

/** Where the value comes from, comparable without holding the value. */
function source(w: WriteRef): { id: string; label: string } | undefined {
  const v = w.write.value;
  switch (v.kind) {
    // A Kubernetes Secret's key, in the cluster's own store: a secret of its own.
    case 'secret': return { id: inCluster(w) ? `cluster:${v.secret}/${v.version ?? ''}` : `secret:${v.secret}`, label: `secret ${v.secret}` };
    case 'literal': return { id: `literal:${createHash('sha256').update(v.value).digest('hex')}`, label: 'a literal value' };
    default: return undefined; // dynamic or inherited: we cannot tell
  }
}

/** A `secretKeyRef` of a Kubernetes workload names a Secret of its cluster, which no Secret
 * Manager secret's name says anything about (on Cloud Run the same syntax names Secret Manager's). */
function inCluster(w: WriteRef): boolean {
  return w.write.value.kind === 'secret' && w.deploy?.via === 'kubernetes';
}

/** The JWT write a target's running service sees: the deploy's own, else a dotenv/env-vars file
 * the deploy itself references (an unreferenced `.env.staging` is a local file, not the deploy).
 * When the service's code is in the workspace, only a name that code reads is its signing secret:
 * a second JWT-named variable nothing reads (`JWT_SECRET` beside the `JWT_SECRET_KEY` it uses)
 * signs nothing. */
function jwtWriteOf(t: DeployTarget, read: ReadonlySet<string> | undefined): WriteRef | undefined {
  return keyWritesOf(t, read, (n) => JWT_NAME.test(n))[0];
}

/** The target's writes of the names `matches` accepts, as `jwtWriteOf` chooses them, by name;
 * `read`: the names its service's code reads, undefined when no read of it is seen. */
function keyWritesOf(t: DeployTarget, read: ReadonlySet<string> | undefined, matches: (name: string) => boolean): WriteRef[] {
  const referenced = new Set(t.envFiles.filter((f) => f.referenced).map((f) => f.file));
  const names = [...t.writes.keys()].filter((n) => matches(n) && (!read || read.has(n))).sort();
  const out: WriteRef[] = [];
  for (const n of names) {
    const refs = t.writes.get(n)!;
    const w = refs.find((r) => r.deploy) ?? refs.find((r) => referenced.has(r.file));
    if (w) out.push(w);
  }
  return out;
}

/** The names a service's non-test code reads, undefined when none is seen (code elsewhere). */
function namesRead(model: WorkspaceModel, serviceName: string): Set<string> | undefined {
  const reads = (model.readsByService.get(serviceName) ?? []).filter((r) => !r.isTest);
  return reads.length ? new Set(reads.map((r) => r.read.name)) : undefined;
}

/** The keys the services of each environment must agree on: the JWT signing key (whatever its
 * exact name in each service) and each shared service key (by name), as groups of writes. */
function sharedKeyGroups(model: WorkspaceModel): Map<string, { environment: string; writes: WriteRef[] }> {
  const groups = new Map<string, { environment: string; writes: WriteRef[] }>();
  const add = (key: string, environment: string, w: WriteRef): void => {
    const g = groups.get(key) ?? { environment, writes: [] };
    g.writes.push(w);
    groups.set(key, g);
  };
  // A service's read names, once per service (its targets in several environments share them).
  const readBy = new Map<string, Set<string> | undefined>();
  for (const t of model.targets) {
    if (!DEPLOYED_ENVIRONMENTS.has(t.environment)) continue;
    // A deploy linked to no code root may be another path to a service that is here (a manifest
    // beside its code, a second pipeline): it is not known to be a second service.
    if (!t.service) continue;
    if (!readBy.has(t.serviceName)) readBy.set(t.serviceName, namesRead(model, t.serviceName));
    const read = readBy.get(t.serviceName);
    const jwt = jwtWriteOf(t, read);
    if (jwt) add(`${t.environment}\0jwt`, t.environment, jwt);
    for (const w of keyWritesOf(t, read, (n) => SHARED_KEY_NAME.test(n))) add(`${t.environment}\0${w.write.name}`, t.environment, w);
  }
  return groups;
}

/** The edit that makes `w` (a secret reference) name `secret` instead, in its own syntax; a
 * cluster Secret's reference takes the majority's `clusterKey` too. */
function pointAt(w: WriteRef, secret: string, clusterKey?: string): FileEdit | undefined {
  const v = w.write.value;
  if (v.kind !== 'secret' || !SECRET_NAME_RE.test(secret)) return undefined;
  const len = v.span.end - v.span.start;
  const withVersion = v.secret.length + (v.version ? v.version.length + 1 : 0);
  const via = w.deploy?.via;
  if (via === 'knative' || via === 'kubernetes') {
    // The value span is the `secretKeyRef:` mapping; rewrite it whole, keeping the version key.
    const key = clusterKey ?? v.version ?? 'latest';
    const keyText = /^[A-Za-z][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
    return { file: w.file, span: v.span, newText: `secretKeyRef: {name: ${secret}, key: ${keyText}}` };
  }
  // `NAME` or `NAME:VERSION` exactly (gcloud flags, Python dicts, deploy-cloudrun `secrets:`).
  if (len === v.secret.length || len === withVersion) {
    return { file: w.file, span: { start: v.span.start, end: v.span.start + v.secret.length }, newText: secret };
  }
  return undefined;
}

/** Reports each write of one environment's key whose source differs from the majority's. */
function reportDivergent(environment: string, writes: WriteRef[], report: (r: Report<'divergent'>) => void): void {
  const groups = new Map<string, { label: string; refs: WriteRef[] }>();
  for (const w of writes) {
    const s = source(w);
    if (!s) continue;
    const g = groups.get(s.id) ?? { label: s.label, refs: [] };
    g.refs.push(w);
    groups.set(s.id, g);
  }
  if (groups.size < 2) return;
  // The majority source is the reference; ties go to a Secret Manager secret, then to the
  // one named by convention (`jwt-secret-key-staging` for JWT_SECRET_KEY), then by name.
  const conventional = (g: { refs: WriteRef[] }): boolean => g.refs.some((r) => r.write.value.kind === 'secret' &&
    r.write.value.secret === `${r.write.name.toLowerCase().replace(/_/g, '-')}-${environment}`);
  const isSecret = (g: { refs: WriteRef[] }): boolean => g.refs[0].write.value.kind === 'secret';
  const ranked = [...groups.values()].sort((a, b) => b.refs.length - a.refs.length ||
    Number(isSecret(b)) - Number(isSecret(a)) || Number(conventional(b)) - Number(conventional(a)) || a.label.localeCompare(b.label));
  const main = ranked[0];
  const mainValue = main.refs[0].write.value;
  const mainServices = listOf([...new Set(main.refs.map(writerLabel))]);
  const valueSpan = (r: WriteRef) => (r.write.value.kind === 'inherited' ? r.write.nameSpan : r.write.value.span);
  for (const g of ranked.slice(1)) {
    for (const w of g.refs) {
      const fixes: Fix[] = [];
      if (mainValue.kind === 'secret') {
        const edit = pointAt(w, mainValue.secret, inCluster(main.refs[0]) ? mainValue.version : undefined);
        if (edit) {
          fixes.push({
            title: `Use secret ${mainValue.secret} for ${w.write.name}, like ${mainServices}`,
            edits: [edit],
            safe: false,
            preferred: true,
          });
        }
      }
      report({
        file: w.file,
        span: valueSpan(w),
        key: `${environment}:${w.serviceName}:${w.write.name}`,
        messageId: 'divergent',
        data: {
          service: writerLabel(w), environment, name: w.write.name, source: g.label, majority: mainServices,
          // The majority's secret by its bare name (the line has room for one `secret`); of
          // two literals, the other one is "another literal value".
          majoritySource: mainValue.kind === 'secret' ? mainValue.secret
            : w.write.value.kind === 'literal' ? 'another literal value' : main.label,
        },
        related: main.refs.map((r) => ({ file: r.file, span: valueSpan(r), message: `${writerLabel(r)} (${environment}) takes ${r.write.name} from ${main.label}` })),
        fixes,
      });
    }
  }
}

export const jwtSecretDivergence = defineRule({
  meta: {
    id: 'jwt-secret-divergence',
    defaultSeverity: 'error',
    description: 'Services of one environment sign JWTs (or share a service key) from different sources',
    fixable: true,
    // A source is `secret <name>` or `a literal value`, never the value; the majority's is the
    // secret's bare name or `another literal value`.
    messages: {
      divergent: '{{service}} ({{environment}}) takes {{name}} from {{source}}, unlike {{majority}} ({{majoritySource}})',
    },
  },
  check({ model, report }) {
    for (const { environment, writes } of sharedKeyGroups(model).values()) {
      // Cluster Secrets are compared with each other only: whether one holds what a Secret
      // Manager secret or a literal holds cannot be seen here.
      reportDivergent(environment, writes.filter((w) => !inCluster(w)), report);
      reportDivergent(environment, writes.filter(inCluster), report);
    }
  },
});
