/**
 * Cloud Run service / job manifests (Knative `serving.knative.dev/v1` Service,
 * `run.googleapis.com/v1` Job) and Kubernetes workloads (Deployment, StatefulSet, Job, CronJob,
 * Pod, ...): one DeployFact per manifest, with the primary container's `env` list as an `env`
 * block (literal values) and a `secrets` block (`valueFrom.secretKeyRef`) sharing its span.
 */
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import type { DeployFact, EnvBlock, EnvWrite, Insertion, Resolved, SecretMount, Span } from '../core/facts';
import { secretVolumeFiles } from './secret-volumes';
import { addHintsFromEntries, asMap, asSeq, columnOf, dbUrlsIn, getNode, isScalar, lineEndAfter, mapGet, mapPairs, nodeSpan, scalarText, spaces, str, withDash, type YamlCtx } from './yaml-util';

const K8S_WORKLOADS: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

export type ManifestKind = 'cloud-run-service' | 'cloud-run-job' | 'kubernetes';

/** What kind of manifest a document's root is, if any. */
export function manifestKind(text: string, root: unknown): { kind: ManifestKind; podPath: string[] } | undefined {
  const apiVersion = str(text, mapGet(root, 'apiVersion')?.value);
  const kind = str(text, mapGet(root, 'kind')?.value);
  if (!apiVersion || !kind) return undefined;
  if (apiVersion.startsWith('serving.knative.dev/') && kind === 'Service') {
    return { kind: 'cloud-run-service', podPath: ['spec', 'template', 'spec'] };
  }
  if (apiVersion.startsWith('run.googleapis.com/')) {
    if (kind === 'Job') return { kind: 'cloud-run-job', podPath: ['spec', 'template', 'spec', 'template', 'spec'] };
    if (kind === 'Service') return { kind: 'cloud-run-service', podPath: ['spec', 'template', 'spec'] };
    if (kind === 'WorkerPool') return { kind: 'cloud-run-service', podPath: ['spec', 'template', 'spec'] };
    return undefined;
  }
  const podPath = K8S_WORKLOADS[kind];
  if (!podPath) return undefined;
  // Only workloads of the core API groups (apps/v1, batch/v1, v1).
  if (!/^(v1|apps\/v\d\w*|batch\/v\d\w*|extensions\/v\d\w*)$/.test(apiVersion)) return undefined;
  return { kind: 'kubernetes', podPath };
}

function resolvedOf(ctx: YamlCtx, node: unknown): Resolved | undefined {
  const st = scalarText(ctx.text, node);
  if (!st || st.isNull) return undefined;
  const dynamic = st.value.includes('$(') || st.value.includes('{{');
  return { value: dynamic ? undefined : st.value, text: st.value, span: st.span };
}

const HINT_LABELS = new Set(['environment', 'env', 'stage', 'app.kubernetes.io/environment']);

function labelHints(ctx: YamlCtx, labels: unknown, hints: DeployFact['environmentHints']): void {
  for (const p of mapPairs(labels)) {
    if (!HINT_LABELS.has(p.keyText)) continue;
    const st = scalarText(ctx.text, p.value);
    if (!st || st.isNull || st.value === '') continue;
    if (hints.some((h) => h.span.start === st.span.start)) continue;
    hints.push({ value: st.value, span: st.span, evidence: `label ${p.keyText}: ${st.value}` });
  }
}

/** The container that serves: the one with `ports` (Cloud Run ingress container), else the first. */
function primaryContainer(containers: YAMLSeq): YAMLMap | undefined {
  const maps = containers.items.map(asMap).filter((m): m is YAMLMap => !!m);
  return maps.find((m) => mapGet(m, 'ports')) ?? maps[0];
}

function readEnvList(ctx: YamlCtx, env: YAMLSeq): { literal: EnvWrite[]; secret: EnvWrite[] } {
  const literal: EnvWrite[] = [];
  const secret: EnvWrite[] = [];
  for (const item of env.items) {
    const m = asMap(item);
    if (!m) continue;
    const nameSt = scalarText(ctx.text, mapGet(m, 'name')?.value);
    if (!nameSt || nameSt.isNull || nameSt.value === '') continue;
    const name = nameSt.value;
    const span = withDash(ctx.text, nodeSpan(ctx.text, m));
    const valueFound = mapGet(m, 'value');
    const valueFrom = mapGet(m, 'valueFrom');
    if (valueFrom) {
      const ref = getNode(valueFrom.value, 'secretKeyRef');
      const secretName = str(ctx.text, getNode(ref, 'name'));
      if (ref && secretName) {
        const keyNode = mapGet(ref, 'key');
        const version = str(ctx.text, keyNode?.value);
        const keySt = keyNode ? scalarText(ctx.text, keyNode.value) : undefined;
        const vNode = valueFrom.value as Node | null;
        const vSpan: Span = vNode ? nodeSpan(ctx.text, vNode) : nodeSpan(ctx.text, valueFrom.key);
        secret.push({ name, nameSpan: nameSt.span, span, value: { kind: 'secret', secret: secretName, version, span: vSpan, ...(keySt && !keySt.isNull ? { versionSpan: keySt.span } : {}) } });
      } else {
        const vNode = valueFrom.value as Node | null;
        const vSpan: Span = vNode ? nodeSpan(ctx.text, vNode) : nodeSpan(ctx.text, valueFrom.key);
        literal.push({ name, nameSpan: nameSt.span, span, value: { kind: 'dynamic', text: ctx.text.slice(vSpan.start, vSpan.end), span: vSpan } });
      }
      continue;
    }
    const vst = valueFound ? scalarText(ctx.text, valueFound.value) : undefined;
    if (vst && !vst.isNull) {
      dbUrlsIn(ctx, vst, name);
      // `$(OTHER)` is Kubernetes' own dependent-variable expansion.
      const value = /\$\([A-Za-z_]/.test(vst.value)
        ? { kind: 'dynamic' as const, text: vst.value, span: vst.span }
        : { kind: 'literal' as const, value: vst.value, span: vst.span };
      literal.push({ name, nameSpan: nameSt.span, span, value });
    } else {
      const at = valueFound ? valueFound.key.range?.[1] ?? span.end : span.end;
      literal.push({ name, nameSpan: nameSt.span, span, value: { kind: 'literal', value: '', span: { start: at, end: at } } });
    }
  }
  return { literal, secret };
}

/** The container's secret volumes, file by file: a volume's `items` are its files (`path`, under
 * the mount's directory). Without items, Cloud Run mounts one file named after the secret, while a
 * Knative cluster projects every key of a Kubernetes secret, which nothing here lists: such a
 * volume counts only in a manifest marked as Cloud Run's. */
function secretMountsOf(ctx: YamlCtx, pod: unknown, container: YAMLMap, cloudRun: boolean): SecretMount[] {
  const volumes = new Map<string, YAMLMap>();
  for (const v of asSeq(getNode(pod, 'volumes'))?.items ?? []) {
    const m = asMap(v);
    const name = str(ctx.text, getNode(m, 'name'));
    if (m && name) volumes.set(name, m);
  }
  const out: SecretMount[] = [];
  for (const vm of asSeq(getNode(container, 'volumeMounts'))?.items ?? []) {
    const mount = asMap(vm);
    const dir = str(ctx.text, getNode(mount, 'mountPath'));
    const volume = volumes.get(str(ctx.text, getNode(mount, 'name')) ?? '');
    // A `subPath` mounts one entry of the volume where the directory would be.
    if (!mount || !dir?.startsWith('/') || !volume || getNode(mount, 'subPath') !== undefined) continue;
    const source = getNode(volume, 'secret');
    const secret = str(ctx.text, getNode(source, 'secretName'));
    const items = asSeq(getNode(source, 'items'))?.items.map((it) => ({ file: str(ctx.text, getNode(it, 'path')), span: nodeSpan(ctx.text, it as Node) }));
    if (!secret || (!items && !cloudRun)) continue;
    out.push(...secretVolumeFiles(dir, secret, items, nodeSpan(ctx.text, volume)));
  }
  return out;
}

/** A comment telling how the manifest is applied (`# Deploy with: gcloud run services replace
 * service.yaml`). Comments are the file's own prose, not YAML: read line by line. */
const APPLY_NOTE = /\b(?:services|jobs)\s+replace\b|\bkubectl\s+apply\b|\bdeploy(?:ed)?\s+(?:it\s+)?with\b/i;

function applyNote(text: string): Span | undefined {
  let at = 0;
  for (const line of text.split('\n')) {
    const hash = line.search(/\S/);
    if (hash >= 0 && line[hash] === '#' && APPLY_NOTE.test(line)) return { start: at + hash, end: at + line.replace(/\r$/, '').length };
    at += line.length + 1;
  }
  return undefined;
}

/** A folder or file name that says Cloud Run (`cloudrun`, `cloud-run`, `cloud_run`, also as a
 * word of a longer name: `deploy-cloudrun`, `cloudrun-service`). */
const CLOUD_RUN_WORD = /(?:^|[-_.])cloud[-_]?run(?:$|[-_.])/i;

/** Metadata fields the server sets on a live object. */
const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'selfLink', 'generation'];

export function extractManifest(ctx: YamlCtx, root: YAMLMap, kind: ManifestKind, podPath: string[]): DeployFact | undefined {
  const { text } = ctx;
  const metadata = getNode(root, 'metadata');
  const pod = getNode(root, ...podPath);
  const containers = asSeq(getNode(pod, 'containers'));
  const fact: DeployFact = {
    platform: kind === 'kubernetes' ? 'kubernetes' : kind === 'cloud-run-job' ? 'cloud-run-job' : 'cloud-run',
    via: kind === 'kubernetes' ? 'kubernetes' : 'knative',
    span: nodeSpan(text, root),
    environmentHints: [],
    blocks: [],
    envFiles: [],
  };
  fact.service = resolvedOf(ctx, getNode(metadata, 'name'));
  // `gcloud run services describe` output keeps what the server wrote; `--format export` and
  // hand-written manifests have none of it.
  const described = [...SERVER_FIELDS.filter((f) => getNode(metadata, f) !== undefined).map((f) => `metadata.${f}`),
    ...(getNode(root, 'status') !== undefined ? ['status'] : [])];
  if (described.length >= 2) fact.described = described;
  if (kind !== 'kubernetes') fact.applyNote = applyNote(text);
  if (kind !== 'kubernetes') {
    const apiVersion = str(text, mapGet(root, 'apiVersion')?.value) ?? '';
    const marked = [getNode(metadata, 'annotations'), getNode(root, 'spec', 'template', 'metadata', 'annotations')]
      .flatMap((a) => mapPairs(a)).find((p) => p.keyText.startsWith('run.googleapis.com/'));
    if (apiVersion.startsWith('run.googleapis.com/')) fact.cloudRunMark = `apiVersion ${apiVersion}`;
    else if (marked) fact.cloudRunMark = `annotation ${marked.keyText}`;
    else {
      // The team's own word: a manifest kept in a `cloudrun/` folder (or named `cloud-run.yaml`).
      const named = ctx.file.split('/').find((seg, i, all) => CLOUD_RUN_WORD.test(i === all.length - 1 ? seg.replace(/\.ya?ml$/i, '') : seg));
      if (named) fact.cloudRunMark = `path ${named}`;
    }
  }
  const ns = scalarText(text, getNode(metadata, 'namespace'));
  if (ns && !ns.isNull && ns.value !== '') {
    if (kind === 'kubernetes') {
      fact.environmentHints.push({ value: ns.value, span: ns.span, evidence: `namespace: ${ns.value}` });
    } else if (!/^\d+$/.test(ns.value)) {
      // Cloud Run's namespace is the project (number or id).
      fact.project = { value: ns.value, text: ns.value, span: ns.span };
    }
  }
  const labels = getNode(metadata, 'labels');
  if (kind !== 'kubernetes') {
    const loc = mapGet(labels, 'cloud.googleapis.com/location');
    if (loc) fact.region = resolvedOf(ctx, loc.value);
  }
  labelHints(ctx, labels, fact.environmentHints);
  // Pod template labels (`spec.template.metadata.labels`).
  labelHints(ctx, getNode(getNode(root, ...podPath.slice(0, -1)), 'metadata', 'labels'), fact.environmentHints);

  const container = containers ? primaryContainer(containers) : undefined;
  if (!container) return fact;
  fact.image = resolvedOf(ctx, getNode(container, 'image'));
  if (kind !== 'kubernetes') {
    const mounts = secretMountsOf(ctx, pod, container, !!fact.cloudRunMark);
    if (mounts.length) fact.secretMounts = mounts;
    // The port Cloud Run sends requests to (the first one declared; Cloud Run takes one).
    const port = asSeq(getNode(container, 'ports'))?.items[0];
    if (port) fact.port = resolvedOf(ctx, getNode(port, 'containerPort')) ?? { text: 'ports', span: nodeSpan(text, port as Node) };
    if (getNode(container, 'command') !== undefined || getNode(container, 'args') !== undefined) fact.ownCommand = true;
  }

  const envFrom = asSeq(getNode(container, 'envFrom'));
  if (envFrom && envFrom.items.length > 0) {
    const names = envFrom.items.map((it) => {
      const m = asMap(it);
      const cm = str(text, getNode(m, 'configMapRef', 'name'));
      const sec = str(text, getNode(m, 'secretRef', 'name'));
      return cm ? `configMap ${cm}` : sec ? `secret ${sec}` : 'a source';
    });
    fact.opaque = `envFrom: ${names.join(', ')}`;
  }

  const envFound = mapGet(container, 'env');
  const env = asSeq(envFound?.value);
  if (env && !env.flow && env.range) {
    const { literal, secret } = readEnvList(ctx, env);
    const span = nodeSpan(text, env);
    const dashCol = columnOf(text, env.range[0]);
    const last = env.items[env.items.length - 1] as Node | undefined;
    const insert: Insertion | undefined = last && text[env.range[0]] === '-'
      ? { offset: lineEndAfter(text, last), before: '\n' + spaces(dashCol), after: '', format: 'yaml-env-list', indent: spaces(dashCol) }
      : undefined;
    const keySpan = nodeSpan(text, envFound!.key as Node);
    const envBlock: EnvBlock = { kind: 'env', mode: 'set', span, keySpan, entries: literal };
    const secBlock: EnvBlock = { kind: 'secrets', mode: 'set', span: { ...span }, keySpan: { ...keySpan }, entries: secret };
    if (insert) {
      envBlock.insert = insert;
      secBlock.insert = { ...insert };
    }
    fact.blocks.push(envBlock, secBlock);
  } else if (!envFound && !container.flow && container.items.length > 0) {
    const first = container.items[0].key as Node;
    const keyCol = first?.range ? columnOf(text, first.range[0]) : 0;
    const image = mapGet(container, 'image');
    const after = image && isScalar(image.value) && !text.slice(image.value.range?.[0] ?? 0, image.value.range?.[1] ?? 0).includes('\n')
      ? image.value
      : (container.items[container.items.length - 1].value as Node | null) ?? (container.items[container.items.length - 1].key as Node);
    if (after?.range) {
      const ci = spaces(keyCol);
      const insert: Insertion = {
        offset: lineEndAfter(text, after),
        before: `\n${ci}env:\n${ci}`,
        after: '',
        format: 'yaml-env-list',
        indent: ci,
      };
      fact.newEnvBlock = insert;
      fact.newSecretBlock = { ...insert };
    }
  }
  addHintsFromEntries(fact);
  return fact;
}
