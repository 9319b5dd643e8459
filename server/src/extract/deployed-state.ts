/**
 * Reads recorded (or freshly fetched) Cloud Run state: `gcloud run services|jobs describe NAME
 * --format export` YAML (a Knative `Service`, or a Cloud Run `Job` whose containers sit one
 * template deeper), and `gcloud secrets list --format json` / `gcloud secrets versions list
 * SECRET --format json` arrays. Pure and total: any text yields a state, and what cannot be read
 * becomes a notice on its source. Plain values are dropped here, so no live value travels further.
 */
import { parseAllDocuments } from 'yaml';
import type { DeployedEnvEntry, DeployedState, DeployedWorkload, SecretInventory } from '../core/deployed';

export interface StateText {
  /** A recording's path, or the gcloud command that printed it. */
  source: string;
  format: 'yaml' | 'json';
  text: string;
  /** The project id the text was fetched for (`--live`), when known. */
  projectId?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const get = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);

/** A service's containers are at spec.template.spec; a job's one level deeper (the execution
 * template's task template). */
function containersOf(doc: Obj, kind: 'service' | 'job'): unknown[] {
  const spec = kind === 'service' ? get(doc, 'spec', 'template', 'spec') : get(doc, 'spec', 'template', 'spec', 'template', 'spec');
  const containers = get(spec, 'containers');
  return Array.isArray(containers) ? containers : [];
}

function envOf(container: unknown): DeployedEnvEntry[] {
  const env = get(container, 'env');
  if (!Array.isArray(env)) return [];
  const out: DeployedEnvEntry[] = [];
  for (const e of env) {
    const name = str(get(e, 'name'));
    if (!name) continue;
    const ref = get(e, 'valueFrom', 'secretKeyRef');
    const secret = str(get(ref, 'name'));
    if (secret) out.push({ name, secret: { name: secret, version: str(get(ref, 'key')) ?? 'latest' } });
    else out.push({ name, plain: true });
  }
  return out;
}

function workloadOf(doc: unknown, source: string, projectId: string | undefined): DeployedWorkload | string {
  if (!isObj(doc)) return 'not a Cloud Run service or job export';
  const kindText = str(doc.kind);
  const kind = kindText === 'Service' ? 'service' : kindText === 'Job' ? 'job' : undefined;
  const name = str(get(doc, 'metadata', 'name'));
  if (!kind || !name) return `not a Cloud Run service or job export (kind ${kindText ?? 'missing'}${name ? '' : ', no metadata.name'})`;
  const env = containersOf(doc, kind).flatMap(envOf);
  return {
    kind,
    name,
    region: str(get(doc, 'metadata', 'labels', 'cloud.googleapis.com/location')),
    projectNumber: str(get(doc, 'metadata', 'namespace')),
    projectId,
    env,
    source,
  };
}

/** `projects/<number>/secrets/<id>[/versions/<v>]`. */
const SECRET_NAME = /^projects\/([^/]+)\/secrets\/([^/]+)(?:\/versions\/([^/]+))?$/;

function addSecrets(state: DeployedState, items: unknown[], t: StateText): string | undefined {
  const inventories = new Map(state.inventories.map((i) => [i.projectNumber, i]));
  for (const item of items) {
    const m = SECRET_NAME.exec(str(get(item, 'name')) ?? '');
    if (!m) return 'not a gcloud secrets list: an entry has no name projects/<number>/secrets/<id>';
    const [, project, id, version] = m;
    let inv = inventories.get(project);
    if (!inv) {
      inv = { projectNumber: project, projectId: t.projectId, secrets: new Map(), source: t.source } satisfies SecretInventory;
      inventories.set(project, inv);
      state.inventories.push(inv);
    }
    const secret = inv.secrets.get(id) ?? { id };
    inv.secrets.set(id, secret);
    if (version) (secret.versions ??= []).push({ version, state: str(get(item, 'state')) ?? 'UNKNOWN' });
  }
  return undefined;
}

/** Reads every text into one state; the order of texts does not matter. */
export function readDeployedState(texts: StateText[]): DeployedState {
  const state: DeployedState = { workloads: [], inventories: [], notices: [] };
  const problem = (t: StateText, message: string): void => {
    state.notices.push({ file: t.source, message });
  };
  for (const t of texts) {
    try {
      if (t.format === 'json') {
        const data: unknown = JSON.parse(t.text);
        if (!Array.isArray(data)) { problem(t, 'not a gcloud secrets list: expected a JSON array'); continue; }
        const err = addSecrets(state, data, t);
        if (err) problem(t, err);
        continue;
      }
      const docs = parseAllDocuments(t.text);
      if (!Array.isArray(docs)) continue; // an empty stream
      for (const doc of docs) {
        if (doc.errors.length) { problem(t, `YAML error: ${doc.errors[0].message}`); continue; }
        const js: unknown = doc.toJS();
        if (js === null || js === undefined) continue;
        const w = workloadOf(js, t.source, t.projectId);
        if (typeof w === 'string') problem(t, w);
        else state.workloads.push(w);
      }
    } catch (err) {
      problem(t, `could not be read: ${(err as Error).message}`);
    }
  }
  return state;
}
