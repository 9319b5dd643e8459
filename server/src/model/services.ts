/**
 * Services are code roots: folders holding a manifest (package.json, pyproject.toml,
 * requirements.txt) or a Dockerfile, or roots pinned in the config. A code file belongs to the
 * deepest root containing it; a deploy is linked to a root by its `--source`, its image name or
 * its deployed name, in that order, and the evidence is kept so `--explain` can show it.
 */
import * as path from 'node:path';
import type { DeployFact } from '../core/facts';
import type { Config } from '../core/config';
import type { EnvironmentNames } from '../knowledge/environments';
import { isNonServiceFolder } from '../knowledge/code-roots';

export interface Service {
  name: string;
  /** Workspace-relative folder, '' for the workspace root. */
  root: string;
  evidence: string[];
}

export class ServiceIndex {
  readonly services: Service[] = [];
  private readonly byRoot = new Map<string, Service>();

  constructor(
    markerFiles: string[],
    private readonly dirs: Set<string>,
    private readonly config: Config,
    private readonly envs: EnvironmentNames,
    workspaceName: string,
  ) {
    for (const [name, spec] of Object.entries(config.services)) {
      this.add({ name, root: spec.root, evidence: ['pinned in .deploy-preflight config'] });
    }
    const roots = new Map<string, string[]>();
    for (const f of markerFiles) {
      const dir = path.posix.dirname(f);
      const root = dir === '.' ? '' : dir;
      if (isNonServiceFolder(root)) continue;
      const list = roots.get(root) ?? [];
      list.push(path.posix.basename(f));
      roots.set(root, list);
    }
    // A root manifest only makes the workspace root a service when no deeper roots exist
    // (a monorepo's top-level package.json holds tooling, not a deployed service).
    const deeper = [...roots.keys()].some((r) => r !== '');
    for (const [root, markers] of roots) {
      if (root === '' && deeper) continue;
      if (this.byRoot.has(root)) continue;
      const name = root === '' ? workspaceName : path.posix.basename(root);
      this.add({ name: this.uniqueName(name, root), root, evidence: [`${markers.join(', ')} in ${root || '.'}`] });
    }
    if (this.services.length === 0) {
      this.add({ name: workspaceName, root: '', evidence: ['no code roots found: the workspace is one service'] });
    }
  }

  private uniqueName(name: string, root: string): string {
    if (!this.services.some((s) => s.name === name)) return name;
    return root.replace(/\//g, '-');
  }

  private add(s: Service): void {
    this.services.push(s);
    this.byRoot.set(s.root, s);
  }

  byName(name: string): Service | undefined {
    return this.services.find((s) => s.name === name);
  }

  /** The deepest service root containing `file`. */
  ownerOf(file: string): Service | undefined {
    let dir = path.posix.dirname(file);
    for (;;) {
      const s = this.byRoot.get(dir === '.' ? '' : dir);
      if (s) return s;
      if (dir === '.' || dir === '' || dir === '/') return this.byRoot.get('');
      dir = path.posix.dirname(dir);
    }
  }

  /** Links a deploy to a service, with the reason. */
  forDeploy(file: string, deploy: DeployFact): { service?: Service; evidence: string } {
    for (const [name, spec] of Object.entries(this.config.services)) {
      if (spec.deploys?.includes(file)) return { service: this.byName(name), evidence: `${file} is listed under services.${name}.deploys` };
      const deployed = deploy.service?.value;
      if (deployed && spec.names?.includes(deployed)) return { service: this.byName(name), evidence: `"${deployed}" is listed under services.${name}.names` };
    }
    const src = deploy.source?.value;
    if (src !== undefined) {
      const fileDir = path.posix.dirname(file);
      for (const base of [fileDir === '.' ? '' : fileDir, '']) {
        const joined = path.posix.normalize(path.posix.join(base, src)).replace(/^\.\/?/, '').replace(/\/$/, '');
        if (joined.startsWith('..')) continue;
        const s = this.byRoot.get(joined) ?? (this.dirs.has(joined) ? this.ownerOf(joined + '/x') : undefined);
        if (s && (joined === s.root || joined.startsWith(s.root ? s.root + '/' : ''))) {
          return { service: s, evidence: `source "${src}" is ${s.root || 'the workspace root'}` };
        }
      }
    }
    const candidates: { name: string; how: string }[] = [];
    const image = deploy.image?.value ?? deploy.image?.text;
    if (image) {
      const last = image.split('/').pop()!.split(/[:@]/)[0];
      if (last) candidates.push({ name: last, how: `image "${image}"` });
    }
    const deployed = deploy.service?.value ?? deploy.service?.text;
    if (deployed) candidates.push({ name: deployed, how: `deployed name "${deployed}"` });
    for (const c of candidates) {
      const stripped = this.envs.stripEnvironment(c.name.replace(/\{[^}]*\}|\$\{?[A-Za-z_]\w*\}?/g, '')).replace(/^-+|-+$/g, '');
      for (const s of this.services) {
        const n = s.name.toLowerCase();
        const x = stripped.toLowerCase();
        if (x && (x === n || x.endsWith('-' + n) || n.endsWith('-' + x) || x.replace(/-/g, '') === n.replace(/[-_]/g, ''))) {
          return { service: s, evidence: `${c.how} names ${s.name}` };
        }
      }
    }
    if (this.services.length === 1) return { service: this.services[0], evidence: 'the only service in the workspace' };
    return { evidence: 'no source, image or name links it to a code root' };
  }
}
