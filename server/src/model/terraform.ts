/**
 * Terraform across files: a module is a folder, and `var.x` / `local.x` in one of its files may be
 * defined in another (variables.tf, locals.tf) or set by a `.tfvars` file — often one per
 * environment (`staging.tfvars`, `environments/prod/terraform.tfvars`). The extractor records each
 * unresolved value as parts (`api-` + `var.env`); here they are resolved per environment, and a
 * Terraform deploy stands for one deploy per environment-specific tfvars file. Pure: facts in,
 * deploy views out. Module calls are not followed.
 */
import * as path from 'node:path';
import type { DeployFact, EnvBlock, EnvWrite, FileFacts, Resolved, TerraformVarFact } from '../core/facts';
import type { EnvironmentNames } from '../knowledge/environments';

interface VarsFile {
  file: string;
  /** The environment the file is for (its name, or the folder it sits in), when it names one. */
  environment?: string;
  values: Map<string, TerraformVarFact>;
}

interface Module {
  /** Secret names by resource address (`google_secret_manager_secret.jwt` → `jwt-secret`), from
   * the module's `google_secret_manager_secret` resources; several names for a `for_each` one. */
  secrets: Map<string, Set<string>>;
  defaults: Map<string, TerraformVarFact>;
  locals: Map<string, TerraformVarFact>;
  /** Loaded whatever the environment: `terraform.tfvars`, `*.auto.tfvars`, or a file naming none. */
  common: VarsFile[];
  perEnvironment: VarsFile[];
}

/** A Terraform deploy as it is applied in one environment, with why. */
export interface TerraformView {
  deploy: DeployFact;
  /** Set when the deploy's name cannot be resolved: the reason it stays unplaced. */
  unresolved?: string;
}

const dirOf = (file: string): string => {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
};

/** How many folders above a `.tfvars` file its module may be (`envs/prod/terraform.tfvars` → `.`). */
const TFVARS_MAX_UP = 2;

export class TerraformModules {
  private readonly modules = new Map<string, Module>();

  constructor(files: ReadonlyMap<string, FileFacts>, private readonly envs: EnvironmentNames) {
    const tfvars: { file: string; vars: TerraformVarFact[] }[] = [];
    for (const [file, facts] of files) {
      if (facts.kind !== 'terraform') continue;
      if (file.toLowerCase().endsWith('.tfvars')) {
        if (facts.terraformVars?.length) tfvars.push({ file, vars: facts.terraformVars });
        continue;
      }
      const m = this.module(dirOf(file));
      for (const v of facts.terraformVars ?? []) (v.kind === 'local' ? m.locals : m.defaults).set(v.name, v);
      for (const s of facts.secretInventory ?? []) {
        const names = m.secrets.get(s.declaredBy) ?? new Set();
        names.add(s.secret);
        m.secrets.set(s.declaredBy, names);
      }
    }
    for (const { file, vars } of tfvars) {
      let dir = dirOf(file);
      const between: string[] = [];
      for (let up = 0; up < TFVARS_MAX_UP && !this.modules.has(dir) && dir !== ''; up++) {
        between.unshift(path.posix.basename(dir));
        dir = dirOf(dir);
      }
      const m = this.modules.get(dir);
      if (!m) continue;
      const stem = path.posix.basename(file).replace(/\.tfvars$/i, '').replace(/\.auto$/i, '');
      const environment = (stem !== 'terraform' ? envs.fromName(stem) : undefined) ??
        [...between].reverse().map((d) => envs.normalize(d)).find((e) => e !== undefined);
      const vf: VarsFile = { file, environment, values: new Map(vars.map((v) => [v.name, v])) };
      (environment ? m.perEnvironment : m.common).push(vf);
    }
  }

  private module(dir: string): Module {
    let m = this.modules.get(dir);
    if (!m) {
      m = { secrets: new Map(), defaults: new Map(), locals: new Map(), common: [], perEnvironment: [] };
      this.modules.set(dir, m);
    }
    return m;
  }

  /** The deploy as applied with each environment's tfvars (one view without them). */
  views(file: string, deploy: DeployFact): TerraformView[] {
    const m = this.modules.get(dirOf(file));
    const runs: (VarsFile | undefined)[] = m?.perEnvironment.length ? m.perEnvironment : [undefined];
    return runs.map((vars) => {
      const lookup = (ref: string, depth: number): string | undefined => this.lookup(m, vars, ref, depth);
      const view: DeployFact = {
        ...deploy,
        service: resolve(deploy.service, lookup),
        image: resolve(deploy.image, lookup),
        project: resolve(deploy.project, lookup),
        region: resolve(deploy.region, lookup),
        environmentHints: [...deploy.environmentHints],
        blocks: deploy.blocks.map((b) => this.withSecrets(m, b)),
      };
      if (vars?.environment) {
        view.environmentHints.unshift({ value: vars.environment, span: deploy.service?.span ?? deploy.span, evidence: `variables file ${vars.file}` });
      }
      const folder = this.folderEnvironment(file);
      if (folder) view.environmentHints.push({ value: folder.env, span: deploy.service?.span ?? deploy.span, evidence: folder.evidence });
      for (const k of ['service', 'image', 'project', 'region'] as const) if (view[k] === undefined) delete view[k];
      const out: TerraformView = { deploy: view };
      if (view.service?.value === undefined) {
        out.unresolved = view.service
          ? `service name ${view.service.text} cannot be resolved statically (a module input, a variable with no value in the workspace, or a value known only at apply time)`
          : 'the resource has no name';
      }
      return out;
    });
  }

  /** Rewritten blocks by original, so every view of one resource shares them (the model counts an
   * unplaced resource's entries once, by block). */
  private readonly rewritten = new Map<EnvBlock, EnvBlock>();

  /** The block with `google_secret_manager_secret.x.secret_id` references resolved to the secret
   * the module declares in another file — when it declares exactly one under that address. */
  private withSecrets(m: Module | undefined, block: EnvBlock): EnvBlock {
    if (!m?.secrets.size) return block;
    const done = this.rewritten.get(block);
    if (done) return done;
    let changed = false;
    const entries = block.entries.map((e): EnvWrite => {
      const v = e.value;
      if (v.kind !== 'dynamic' || !v.secretResource) return e;
      const names = m.secrets.get(v.secretResource.address);
      if (names?.size !== 1) return e;
      changed = true;
      return { ...e, value: { kind: 'secret', secret: [...names][0], ...(v.secretResource.version ? { version: v.secretResource.version } : {}), span: v.span } };
    });
    const out = changed ? { ...block, entries } : block;
    this.rewritten.set(block, out);
    return out;
  }

  /** `envs/staging/main.tf`, `environments/prod/`, `prod/`: the nearest folder named for an environment. */
  private folderEnvironment(file: string): { env: string; evidence: string } | undefined {
    const parts = dirOf(file).split('/').filter(Boolean);
    for (let i = parts.length - 1; i >= 0; i--) {
      const env = this.envs.normalize(parts[i]);
      if (env) return { env, evidence: `folder ${parts.slice(0, i + 1).join('/')}` };
    }
    return undefined;
  }

  private lookup(m: Module | undefined, vars: VarsFile | undefined, ref: string, depth: number): string | undefined {
    if (!m || depth > 4) return undefined;
    const dot = ref.indexOf('.');
    const kind = ref.slice(0, dot);
    const name = ref.slice(dot + 1);
    let fact: TerraformVarFact | undefined;
    if (kind === 'var') {
      fact = vars?.values.get(name);
      for (const c of m.common) fact ??= c.values.get(name);
      fact ??= m.defaults.get(name);
    } else if (kind === 'local') {
      fact = m.locals.get(name);
    }
    if (!fact) return undefined;
    // A value built from other variables is built again with this environment's values.
    if (fact.parts) return substitute(fact.parts, (r) => this.lookup(m, vars, r, depth + 1));
    return fact.value;
  }
}

function substitute(parts: NonNullable<Resolved['parts']>, lookup: (ref: string) => string | undefined): string | undefined {
  let out = '';
  for (const p of parts) {
    if ('text' in p) out += p.text;
    else {
      const v = lookup(p.ref);
      if (v === undefined) return undefined;
      out += v;
    }
  }
  return out;
}

/** `r` with its value resolved from the module when its parts allow; as extracted otherwise. */
function resolve(r: Resolved | undefined, lookup: (ref: string, depth: number) => string | undefined): Resolved | undefined {
  if (!r?.parts) return r;
  const value = substitute(r.parts, (ref) => lookup(ref, 0));
  return value === undefined ? r : { ...r, value };
}
