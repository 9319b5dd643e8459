/**
 * A deploy takes a variable from a Secret Manager secret that its project does not have, or whose
 * referenced version is not enabled (disabled, destroyed, or no enabled version for `latest`):
 * Cloud Run refuses the revision, so the deploy fails. Needs the project's secret inventory (`gcloud
 * secrets list`, and `gcloud secrets versions list` for versions) from `deploy-preflight drift`;
 * without it this part is silent. A reference by full path (`projects/<p>/secrets/<id>`) is looked
 * up in that project's inventory.
 *
 * Without an inventory, one shape is wrong on its face: a Cloud Run manifest's `secretKeyRef` whose
 * `key` is written as a Kubernetes secret's key (`key: url`, `key: DATABASE_URL`). Cloud Run reads
 * `key` as the Secret Manager version — a number, `latest`, or a version alias — so unless the
 * secret carries an alias of that name, the revision does not start. Only manifests marked as Cloud
 * Run's (`DeployFact.cloudRunMark`) are read so: on a Knative cluster the key is a Kubernetes one.
 * A warning, an alias being possible; where one secret is read at several keys (a Kubernetes secret
 * holding many values), the values need secrets of their own and no fix is offered. Only manifests a
 * file that runs applies (a script's or workflow's `gcloud run services replace`), with a real image:
 * on the corpus every such key elsewhere sat in a template, a document or a planning file.
 *
 * Two more shapes need no inventory. A variable naming a file in the directory a secret volume is
 * mounted at, which the volume does not hold (`GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa` beside
 * an item `sa.json`; a volume without items, whose one file Cloud Run names after the secret): that
 * directory holds the volume's files and nothing else, so the path does not exist. And a gcloud
 * secret reference that is no secret name at all (`CRED_PATH=/secrets/cred.json` in
 * `--update-secrets`, where a file mount's path belongs on the left): gcloud refuses the command.
 */
import * as path from 'node:path';
import { defineRule, type Report } from './types';
import type { DeployTarget, WorkspaceModel, WriteRef } from '../model/workspace-model';
import type { DeployFact, SecretMount, Span, WriteValue } from '../core/facts';
import { isStandInImage } from '../knowledge/templates';
import { appliedByRunningFile } from '../model/applied-manifests';
import type { SecretInventory, DeployedState } from '../core/deployed';
import { inventoryOf, versionUsable } from '../model/live-state';
import { describeTarget, readRunsFor } from './shared/deploy-knowledge';

type LiteralValue = Extract<WriteValue, { kind: 'literal' }>;

const FULL_PATH = /^projects\/([^/]+)\/secrets\/([^/:]+)$/;

/** The inventory to look a reference up in, and the project to name in the message: the one the
 * path or the deploy names (the same whether the state was recorded or fetched), else its number. */
function lookup(state: DeployedState, own: SecretInventory | undefined, ref: string, deployProject: string | undefined): { inventory?: SecretInventory; id: string; project: string } {
  const m = FULL_PATH.exec(ref);
  if (!m) return { inventory: own, id: ref, project: deployProject ?? own?.projectNumber ?? '' };
  return { inventory: state.inventories.find((i) => i.projectNumber === m[1] || i.projectId === m[1]), id: m[2], project: m[1] };
}

export const secretMissing = defineRule({
  meta: {
    id: 'secret-missing',
    defaultSeverity: 'error',
    description: 'A deploy references a Secret Manager secret (or version) the project does not have enabled',
    // Only a person can create a secret; a Kubernetes-style key can be turned into `latest`.
    fixable: true,
    messages: {
      notInInventory: 'secret {{secret}} does not exist in project {{project}}: the deploy of {{target}} fails',
      versionNotEnabled: 'secret {{secret}}:{{version}} is {{state}} in project {{project}}: the deploy of {{target}} fails',
      keyNoVersion: '{{name}}: Cloud Run reads key "{{key}}" as a version of secret {{secret}} (a number, latest or an alias)',
      keysOfOneSecret: '{{count}} variables take keys ({{keys}}) of secret {{secret}}: Cloud Run reads a key as a version',
      fileNotMounted: '{{name}} names {{path}}, but its secret volume holds only {{files}}',
      fileNotMountedNoItems: '{{name}} names {{path}}, but a volume without items holds only its secret\'s file, {{files}}',
      filesNotMounted: '{{count}} variables name files in {{dir}} ({{names}}); its secret volume holds only {{files}}',
      filesNotMountedNoItems: '{{count}} variables name files in {{dir}} ({{names}}); a volume without items holds only {{files}}',
      invalidSecretName: '{{name}} takes secret "{{secret}}", which is no secret name: gcloud refuses the deploy',
    },
  },
  check({ model, report }) {
    reportKubernetesKeys(model, report);
    reportUnmountedFiles(model, report);
    reportInvalidNames(model, report);
    const state = model.deployed;
    if (!state || state.inventories.length === 0) return;
    for (const t of model.targets) {
      const own = inventoryOf(state, t);
      for (const refs of t.writes.values()) {
        for (const w of refs) {
          const v = w.write.value;
          if (v.kind !== 'secret' || !w.deploy) continue;
          const { inventory, id, project } = lookup(state, own, v.secret, w.deploy.project?.value ?? t.project?.resolved.value);
          if (!inventory) continue;
          const secret = inventory.secrets.get(id);
          const data = { secret: id, project, target: describeTarget(t) };
          if (!secret) {
            report({ file: w.file, span: v.span, key: `${t.key}:${w.write.name}:${id}`, messageId: 'notInInventory', data });
            continue;
          }
          const usable = versionUsable(secret, v.version);
          if (!usable.usable) {
            report({ file: w.file, span: v.span, key: `${t.key}:${w.write.name}:${id}:${v.version ?? 'latest'}`, messageId: 'versionNotEnabled', data: { ...data, version: v.version ?? 'latest', state: usable.state } });
          }
        }
      }
    }
  },
});

/** A version Cloud Run reads without an alias: a number or `latest`. */
const PLAIN_VERSION = /^(?:\d+|latest)$/;

/** A reference with a key that is no version: `at` the key (or the reference, when unplaced). */
interface KeyRef { w: WriteRef; secret: string; version: string; at: Span; versionSpan?: Span }

/** `secretKeyRef` keys written as a Kubernetes secret's, in Cloud Run manifests. */
function reportKubernetesKeys(model: WorkspaceModel, report: (r: Report<'keyNoVersion' | 'keysOfOneSecret'>) => void): void {
  // Per manifest and secret: the references, each once.
  const bySecret = new Map<string, KeyRef[]>();
  const seen = new Set<string>();
  for (const w of model.writes) {
    const v = w.write.value;
    if (v.kind !== 'secret' || !w.deploy || w.deploy.via !== 'knative' || !w.deploy.cloudRunMark) continue;
    // A stand-in a tool fills before applying (`__AUTH_SECRET_VERSION__`, `${VERSION}`) is no key.
    if (v.version === undefined || PLAIN_VERSION.test(v.version) || /[${}<>]|^__.*__$/.test(v.version)) continue;
    const at = `${w.file}\0${w.write.nameSpan.start}`;
    if (seen.has(at)) continue;
    seen.add(at);
    const key = `${w.file}\0${w.deploy.span.start}\0${v.secret}`;
    const ref: KeyRef = { w, secret: v.secret, version: v.version, at: v.versionSpan ?? v.span, versionSpan: v.versionSpan };
    const list = bySecret.get(key);
    if (list) list.push(ref); else bySecret.set(key, [ref]);
  }
  // Asked only where a key is no version: the files' mentions are not walked on every edit.
  let appliedBy: ((path: string) => boolean) | undefined;
  // A saved description of the running service makes no revision (model/deploy-roles.ts).
  const notDeployed = new Set(model.notDeployed.map((d) => d.deploy));
  for (const refs of bySecret.values()) {
    const { w } = refs[0]!;
    if (notDeployed.has(w.deploy!)) continue;
    // Only a manifest a script, workflow or Cloud Build config applies, holding a real image: on
    // real repositories every such key in a manifest nothing runs (a template with a placeholder
    // image, a page of documentation, a planning file, a Kubernetes cluster's copy) was one its
    // maintainers could shrug at.
    const image = w.deploy!.image?.value ?? w.deploy!.image?.text;
    if (!(appliedBy ??= appliedByRunningFile(model.files))(w.file) || !image || isStandInImage(image)) continue;
    const keys = [...new Set(refs.map((r) => r.version))];
    if (keys.length > 1) {
      // A Kubernetes secret holding several values: one finding for the secret, its keys related.
      report({
        file: w.file, span: refs[0]!.at, key: `secret-keys:${w.file}:${refs[0]!.at.start}`, severity: 'warning', messageId: 'keysOfOneSecret',
        data: { count: String(refs.length), secret: refs[0]!.secret, keys: keys.slice(0, 2).map((k) => `"${k}"`).join(', ') + (keys.length > 2 ? ', …' : '') },
        related: refs.slice(1, 6).map((o) => ({ file: o.w.file, span: o.at, message: `${o.w.write.name} takes key "${o.version}" of the same secret` })),
        fixes: [],
      });
      continue;
    }
    for (const r of refs) {
      report({
        file: r.w.file, span: r.at, key: `secret-key:${r.w.file}:${r.w.write.nameSpan.start}`, severity: 'warning', messageId: 'keyNoVersion',
        data: { name: r.w.write.name, key: r.version, secret: r.secret },
        related: [],
        // One value per secret: its newest version is what the key most likely meant.
        fixes: r.versionSpan ? [{ title: `Use key: latest (the newest version of secret ${r.secret})`, edits: [{ file: r.w.file, span: r.versionSpan, newText: 'latest' }], safe: false, preferred: true }] : [],
      });
    }
  }
}

/** Whether the secret flags of a gcloud deploy add to what the service holds (`--update-secrets`):
 * then the service may keep files an earlier deploy mounted. */
const addsSecrets = (d: DeployFact): boolean => d.blocks.some((b) => b.kind === 'secrets' && b.mode === 'update');

/** Variables naming a file in a secret volume's directory that the volume does not hold. */
function reportUnmountedFiles(model: WorkspaceModel, report: (r: Report<'fileNotMounted' | 'fileNotMountedNoItems' | 'filesNotMounted' | 'filesNotMountedNoItems'>) => void): void {
  // A template or a saved description is still what its users would deploy, on any platform.
  const notDeployed = new Set(model.notDeployed.map((d) => d.deploy));
  const seen = new Set<string>();
  // Per deploy: the variables pointing at a missing file, by directory, to offer a fix only where
  // one variable and one file meet.
  const missing: { w: WriteRef; value: LiteralValue; file: string; mounts: SecretMount[]; target?: DeployTarget }[] = [];
  for (const w of model.writes) {
    const v = w.write.value;
    const d = w.deploy;
    if (v.kind !== 'literal' || !d?.secretMounts?.length || !v.value.startsWith('/')) continue;
    const file = path.posix.normalize(v.value);
    const inDir = d.secretMounts.filter((m) => m.dir !== '/' && file.startsWith(m.dir + '/'));
    if (!inDir.length || inDir.some((m) => m.path === file)) continue;
    const target = model.targets.find((t) => t.deploys.some((x) => x.deploy === d));
    // An additive deploy keeps the files earlier deploys of the service mounted there.
    if (addsSecrets(d) && target?.deploys.some((x) => x.deploy.secretMounts?.some((m) => m.path === file))) continue;
    const at = `${w.file}\0${v.span.start}`;
    if (seen.has(at)) continue;
    seen.add(at);
    missing.push({ w, value: v, file, mounts: inDir, target });
  }
  // One finding per volume: several variables naming files of one Kubernetes-style secret are one
  // mistake (each value needs a secret of its own, or an item), not several.
  const byVolume = new Map<string, typeof missing>();
  for (const m of missing) {
    const key = `${m.w.file}\0${m.w.deploy!.span.start}\0${m.mounts[0]!.dir}`;
    const list = byVolume.get(key);
    if (list) list.push(m); else byVolume.set(key, [m]);
  }
  for (const group of byVolume.values()) {
    const { w, value, file, mounts, target } = group[0]!;
    const d = w.deploy!;
    // Reads the target runs: a job running its own module reads only what that module loads.
    const readsOf = (name: string) => (target?.service ? model.readsByService.get(target.service.name) ?? [] : [])
      .filter((r) => r.read.name === name && !r.isTest && readRunsFor(r, target!, model));
    const files = [...new Set(mounts.map((m) => m.path))];
    const dir = mounts[0]!.dir;
    const noItems = mounts.every((m) => m.namedAfterSecret);
    // Read by the code (or by Google's client libraries, for the credentials file), on a deploy
    // that runs: an error; unread there, a warning. A manifest nothing applies, a template or a
    // saved description is what it would do if applied: information (on real repositories every
    // such finding was judged debatable, the deploy that runs being another).
    const used = group.some((g) => readsOf(g.w.write.name).length > 0 || g.w.write.name === 'GOOGLE_APPLICATION_CREDENTIALS');
    const applied = !model.unapplied.has(d) && !notDeployed.has(d);
    const mounted = mounts.slice(0, 3).map((m) => ({ file: w.file, span: m.span, message: `the volume mounts ${m.path} (secret ${m.secret})` }));
    const severity = !applied ? 'info' : used && !addsSecrets(d) ? 'error' : 'warning';
    if (group.length > 1) {
      report({
        file: w.file, span: value.span, key: `secret-files:${w.file}:${dir}:${group.map((g) => g.w.write.name).join(',')}`, severity,
        messageId: noItems ? 'filesNotMountedNoItems' : 'filesNotMounted',
        data: { count: String(group.length), dir, names: listed(group.map((g) => g.w.write.name)), files: listed(files.map((f) => path.posix.basename(f))) },
        related: [...mounted, ...group.slice(1, 6).map((g) => ({ file: g.w.file, span: g.value.span, message: `${g.w.write.name} names ${g.file}` }))],
        fixes: [],
      });
      continue;
    }
    const reads = readsOf(w.write.name);
    // A Cloud Build substitution's default is not where a trigger's value comes from.
    const fixable = files.length === 1 && !value.substitution;
    report({
      file: w.file, span: value.span, key: `secret-file:${w.file}:${w.write.name}:${file}`, severity,
      messageId: noItems ? 'fileNotMountedNoItems' : 'fileNotMounted',
      data: { name: w.write.name, path: file, files: listed(files.map((f) => path.posix.basename(f))) },
      related: [...mounted, ...reads.slice(0, 1).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${w.write.name} read here` }))],
      fixes: fixable ? [{ title: `Point ${w.write.name} at ${files[0]}`, edits: [{ file: w.file, span: value.span, newText: files[0]! }], safe: false, preferred: true }] : [],
    });
  }
}

/** The first two of a list, and how many more. */
const listed = (items: string[]): string => items.length <= 3 ? items.join(', ') : `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`;

/** What gcloud takes as a local secret's name: letters, digits, `-` and `_`. */
const SECRET_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** gcloud secret references that are no secret name: a path or a file name where the secret goes. */
function reportInvalidNames(model: WorkspaceModel, report: (r: Report<'invalidSecretName'>) => void): void {
  const seen = new Set<string>();
  for (const w of model.writes) {
    const v = w.write.value;
    const via = w.deploy?.via;
    if (v.kind !== 'secret' || !(via === 'shell' || via === 'powershell' || via === 'python' || via === 'cloudbuild' || via === 'github-actions')) continue;
    // Only what is surely a path or file name: a stand-in or an expression may become a name.
    if (SECRET_NAME.test(v.secret) || !/^[\w./-]+$/.test(v.secret) || !/[./]/.test(v.secret)) continue;
    const at = `${w.file}\0${v.span.start}`;
    if (seen.has(at)) continue;
    seen.add(at);
    report({
      file: w.file, span: v.span, key: `secret-name:${w.file}:${w.write.name}:${v.secret}`, messageId: 'invalidSecretName',
      data: { name: w.write.name, secret: v.secret }, related: [], fixes: [],
    });
  }
}
