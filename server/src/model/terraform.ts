/**
 * Terraform across files: a module is a folder, and `var.x` / `local.x` in one of its files may be
 * defined in another (variables.tf, locals.tf) or set by a `.tfvars` file — often one per
 * environment (`staging.tfvars`, `environments/prod/terraform.tfvars`). The extractor records each
 * unresolved value as parts (`api-` + `var.env`); here they are resolved per environment, and a
 * Terraform deploy stands for one deploy per environment-specific tfvars file. Pure: facts in,
 * deploy views out.
 *
 * A local module's Cloud Run resource (`name = var.service_name`, `dynamic "env"` over
 * `var.env_vars`) is deployed by each call of the module: one view per call, placed in the
 * caller's file, its name and variables taken from the call's inputs (`service_name = "api"`,
 * `env_vars = { LOG_LEVEL = "info" }`, `secrets = { JWT = { secret_id = … } }`). What the call
 * leaves unknown (a map built from another file's locals) keeps the resource's env unreadable.
 */
import * as path from 'node:path';
import type { DeployFact, EnvBlock, EnvWrite, FileFacts, Resolved, TerraformEnvInput, TerraformInput, TerraformMapEntry, TerraformModuleCall, TerraformVarFact, WriteValue } from '../core/facts';
import type { EnvironmentNames } from '../knowledge/environments';
import { SECRET_NAME_ATTRIBUTES, secretShortName } from '../knowledge/secret-manager';
import { everyFile, factsMayHold, type WorkspaceFiles } from './file-words';

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
  /** The file each local is written in. */
  localFiles: Map<string, string>;
  /** Loaded whatever the environment: `terraform.tfvars`, `*.auto.tfvars`, or a file naming none. */
  common: VarsFile[];
  perEnvironment: VarsFile[];
}

/** A Terraform deploy as it is applied in one environment, with why. */
export interface TerraformView {
  deploy: DeployFact;
  /** Set when the deploy's name cannot be resolved: the reason it stays unplaced. */
  unresolved?: string;
  /** Set when the resource is not created with these variables (`count` switched off): why. */
  off?: string;
  /** The file the view stands in when it is not the resource's own: a module call's. */
  file?: string;
}

interface Call { file: string; call: TerraformModuleCall }


const dirOf = (file: string): string => {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
};

/** How many folders above a `.tfvars` file its module may be (`envs/prod/terraform.tfvars` → `.`). */
const TFVARS_MAX_UP = 2;

export class TerraformModules {
  private readonly modules = new Map<string, Module>();
  /** Calls of local modules, by the module's folder. */
  private readonly calls = new Map<string, Call[]>();

  /** Variables something in the workspace passes to `terraform` (`-var`, `TF_VAR_…`) or any
   * variables file sets. */
  private readonly passed = new Set<string>();
  /** Variables files, whose maps the model does not read: a merged variable they name may hold anything. */
  private readonly tfvarsFacts: FileFacts[] = [];

  constructor(files: WorkspaceFiles, private readonly envs: EnvironmentNames) {
    const tfvars: { file: string; vars: TerraformVarFact[] }[] = [];
    // Every file: a variables file holding only a map has no fact, but its words.
    for (const [file, facts] of everyFile(files)) {
      for (const v of facts.terraformVarsPassed ?? []) this.passed.add(v);
      // A variables file anywhere sets it too, even one not matched to the module.
      if (file.toLowerCase().endsWith('.tfvars')) {
        for (const v of facts.terraformVars ?? []) this.passed.add(v.name);
        this.tfvarsFacts.push(facts);
      }
    }
    for (const [file, facts] of files) {
      if (facts.kind !== 'terraform') continue;
      for (const call of facts.terraformModuleCalls ?? []) {
        const dir = path.posix.normalize(path.posix.join(dirOf(file), call.source)).replace(/\/$/, '');
        if (dir.startsWith('..')) continue;
        const key = dir === '.' ? '' : dir;
        this.calls.set(key, [...(this.calls.get(key) ?? []), { file, call }]);
      }
      if (file.toLowerCase().endsWith('.tfvars')) {
        if (facts.terraformVars?.length) tfvars.push({ file, vars: facts.terraformVars });
        continue;
      }
      const m = this.module(dirOf(file));
      for (const v of facts.terraformVars ?? []) {
        (v.kind === 'local' ? m.locals : m.defaults).set(v.name, v);
        if (v.kind === 'local') m.localFiles.set(v.name, file);
      }
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
      m = { secrets: new Map(), defaults: new Map(), locals: new Map(), localFiles: new Map(), common: [], perEnvironment: [] };
      this.modules.set(dir, m);
    }
    return m;
  }

  /** The deploy as applied with each environment's tfvars (one view without them); a called
   * module's, as each call applies it. */
  views(file: string, deploy: DeployFact): TerraformView[] {
    const calls = this.calls.get(dirOf(file));
    if (calls?.length) return calls.flatMap((c) => this.callViews(file, deploy, c, calls));
    const m = this.modules.get(dirOf(file));
    const runs = this.runsFor(deploy, m?.perEnvironment ?? []);
    return runs.map((vars) => {
      const lookup = (ref: string, depth: number): string | undefined => this.lookup(m, vars, ref, depth);
      const view: DeployFact = {
        ...deploy,
        service: resolve(deploy.service, lookup),
        image: resolveImage(deploy.image, lookup),
        project: resolve(deploy.project, lookup),
        region: resolve(deploy.region, lookup),
        environmentHints: [...deploy.environmentHints],
        blocks: deploy.blocks.map((b) => this.withSecrets(m, b)),
      };
      const listed = deploy.localEnv && this.localBlocks(m, view.blocks, deploy.localEnv, file);
      if (listed) {
        view.blocks = listed;
        delete view.opaque;
      }
      if (vars?.environment) {
        view.environmentHints.unshift({ value: vars.environment, span: deploy.service?.span ?? deploy.span, evidence: `variables file ${vars.file}` });
      }
      const folder = this.folderEnvironment(file);
      if (folder) view.environmentHints.push({ value: folder.env, span: deploy.service?.span ?? deploy.span, evidence: folder.evidence });
      for (const k of ['service', 'image', 'project', 'region'] as const) if (view[k] === undefined) delete view[k];
      const out: TerraformView = { deploy: view };
      const off = this.switchedOff(m, deploy, vars);
      if (off) {
        out.off = off;
        return out;
      }
      if (view.service?.value === undefined) {
        out.unresolved = view.service
          ? `service name ${view.service.text} cannot be resolved statically (a module input, a variable with no value in the workspace, or a value known only at apply time)`
          : 'the resource has no name';
      }
      return out;
    });
  }

  /** Why the resource is not created in this environment (`count = var.enabled ? 1 : 0` and the
   * environment's tfvars file sets `enabled = false`), if it is not. The variable's default
   * decides only where nothing in the workspace passes the variable (`-var enabled=true`,
   * `TF_VAR_enabled`, `FileFacts.terraformVarsPassed`) and no variables file anywhere sets it: an opt-in
   * flag is often switched on by `terraform apply -var=…` in a script. */
  private switchedOff(m: Module | undefined, deploy: DeployFact, vars: VarsFile | undefined): string | undefined {
    const s = deploy.onlyIf;
    if (!s) return undefined;
    let fact = vars?.values.get(s.variable);
    let where = fact ? `${vars!.file} sets` : '';
    for (const c of m?.common ?? []) if (!fact && (fact = c.values.get(s.variable))) where = `${c.file} sets`;
    if (!fact) {
      if (this.passed.has(s.variable)) return undefined;
      fact = m?.defaults.get(s.variable);
      where = 'nothing in the workspace sets it, and its default is';
    }
    const v = fact && !fact.parts ? fact.value?.trim() : undefined;
    if (v === undefined) return undefined;
    const on = s.test === 'nonBlank' ? v !== '' && v !== 'null'
      : v.toLowerCase() === 'true' ? true : v.toLowerCase() === 'false' ? false : undefined;
    if (on === undefined || on === s.when) return undefined;
    return `it is not created there: count = ${s.text} and ${where} ${s.variable} = ${v === '' ? '""' : v}`;
  }

  /**
   * The tfvars files the resource is applied with: each environment's, except for a resource
   * whose own literal name names one (`wtix-client-dev` beside `prd.tfvars` and `stg.tfvars`):
   * that name is the same whatever the variables, so it is that environment's service alone.
   */
  private runsFor(deploy: DeployFact, perEnvironment: VarsFile[]): (VarsFile | undefined)[] {
    if (!perEnvironment.length) return [undefined];
    const literal = deploy.service?.value !== undefined && !deploy.service.parts ? deploy.service.value : undefined;
    const named = literal !== undefined ? this.envs.fromName(literal) : undefined;
    if (!named) return perEnvironment;
    const own = perEnvironment.filter((v) => v.environment === named);
    return own.length ? own : [undefined];
  }

  /** The module's resource as one call deploys it, per environment of the caller's tfvars. */
  private callViews(file: string, deploy: DeployFact, { file: caller, call }: Call, calls: Call[]): TerraformView[] {
    const m = this.modules.get(dirOf(file));
    const cm = this.modules.get(dirOf(caller));
    const inputs = new Map(call.inputs.map((i) => [i.name, i]));
    const runs: (VarsFile | undefined)[] = cm?.perEnvironment.length ? cm.perEnvironment : [undefined];
    // A module that writes its variables itself (`env { name = "LOG_LEVEL" … }`) is deployed
    // where it writes them: the view stays in the module's file, named by the call. One that
    // takes them from the call's maps stands in the caller's file, where they are written.
    const inCallerFile = !!deploy.moduleEnv?.length;
    return runs.map((vars) => {
      const inCaller = (ref: string, depth: number): string | undefined => this.lookup(cm, vars, ref, depth);
      // A module variable is the call's input when it passes one, else the module's default.
      const inModule = (ref: string, depth: number): string | undefined => {
        const input = ref.startsWith('var.') ? inputs.get(ref.slice(4)) : undefined;
        if (input) return input.scalar ? resolve(input.scalar, inCaller)?.value : undefined;
        return this.lookup(m, undefined, ref, depth);
      };
      // In the caller's file, a value the call passes as it is keeps the call's own place.
      const fromCall = (r: Resolved | undefined): Resolved | undefined => {
        if (!r) return undefined;
        const only = r.parts?.length === 1 ? r.parts[0] : undefined;
        const input = only && 'ref' in only && only.ref.startsWith('var.') ? inputs.get(only.ref.slice(4)) : undefined;
        if (input?.scalar) {
          if (inCallerFile) return resolve(input.scalar, inCaller);
          const value = resolve(input.scalar, inCaller)?.value;
          return value === undefined ? r : { ...r, value };
        }
        const v = resolve(r, inModule);
        return v && inCallerFile ? { ...v, span: call.span } : v;
      };
      const hintSpan = inCallerFile ? call.span : deploy.service?.span ?? deploy.span;
      const view: DeployFact = {
        ...deploy,
        span: inCallerFile ? call.span : deploy.span,
        service: fromCall(deploy.service),
        image: fromCall(deploy.image),
        project: fromCall(deploy.project),
        region: fromCall(deploy.region),
        environmentHints: [{ value: call.label, span: hintSpan, evidence: `module "${call.label}"` }],
        blocks: [],
      };
      delete view.moduleEnv;
      if (!inCallerFile) {
        // The module's own blocks, which every call shares: a new entry there reaches them all.
        const others = calls.filter((c) => c.call !== call).map((c) => `module "${c.call.label}"`);
        view.blocks = deploy.blocks.map((b) => {
          const out = this.withSecrets(m, b);
          return others.length && out.insert ? { ...out, insert: { ...out.insert, sharedWith: { others, why: 'every call of the module shares this block' } } } : out;
        });
      } else {
        const filled = this.callBlocks(deploy, inputs, call, cm);
        if ('blocks' in filled) {
          view.blocks = filled.blocks;
          delete view.opaque;
          if (filled.merged) view.mergedEnv = filled.merged;
        } else {
          view.opaque = filled.why;
        }
      }
      if (vars?.environment) view.environmentHints.unshift({ value: vars.environment, span: hintSpan, evidence: `variables file ${vars.file}` });
      const folder = this.folderEnvironment(caller);
      if (folder) view.environmentHints.push({ value: folder.env, span: hintSpan, evidence: folder.evidence });
      for (const k of ['service', 'image', 'project', 'region'] as const) if (view[k] === undefined) delete view[k];
      const out: TerraformView = { deploy: view, ...(inCallerFile ? { file: caller } : {}) };
      if (view.service?.value === undefined) {
        out.unresolved = view.service
          ? `service name ${view.service.text} cannot be resolved statically (the module call "${call.label}" passes no literal name)`
          : 'the resource has no name';
      }
      return out;
    });
  }

  /** The resource's env and secrets lists as the call fills them, or why they stay unknown: an
   * input the call does not pass as a map of known keys, or variables the module writes itself
   * (their place is the module's file, not the call's). */
  private callBlocks(deploy: DeployFact, inputs: Map<string, TerraformInput>, call: TerraformModuleCall, cm: Module | undefined): { blocks: EnvBlock[]; merged?: string } | { why: string } {
    if (deploy.blocks.some((b) => b.entries.length > 0)) return { why: `the module sets variables itself beside those module "${call.label}" passes` };
    const env: EnvWrite[] = [];
    const secrets: EnvWrite[] = [];
    let merged: string | undefined;
    let envSpan: TerraformInput['span'] | undefined;
    let secretSpan: TerraformInput['span'] | undefined;
    for (const t of deploy.moduleEnv ?? []) {
      const input = inputs.get(t.variable);
      if (!input) return { why: `module "${call.label}" passes no ${t.variable} (the module's default is not read)` };
      if (!input.entries) return { why: `module "${call.label}" passes ${t.variable} as a value not written out in its file` };
      // `merge({ … }, var.env_vars)`: the entries written out are set; the rest may add more —
      // anything, where something passes the variable or a variables file names it.
      if (input.mergedUnknown) {
        if (input.mergedUnknown.some((v) => this.mayBeGiven(v))) return { why: `module "${call.label}" passes ${t.variable} as a value not written out in its file` };
        merged ??= input.mergedUnknown.join(' or ');
      }
      for (const e of input.entries) (t.kind === 'env' ? env : secrets).push({ name: e.key, nameSpan: e.keySpan, span: e.span, value: entryValue(t, e) });
      if (t.kind === 'env') envSpan ??= input.span;
      else secretSpan ??= input.span;
    }
    const block = (kind: 'env' | 'secrets', entries: EnvWrite[], span: TerraformInput['span'] | undefined): EnvBlock =>
      this.withSecrets(cm, { kind, mode: 'set', span: span ?? call.span, entries });
    return { blocks: [block('env', env, envSpan), block('secrets', secrets, secretSpan ?? envSpan)], ...(merged ? { merged } : {}) };
  }

  /** The resource's blocks with the elements of the locals its `dynamic "env"` blocks iterate
   * (`DeployFact.localEnv`), each written where the local is (`EnvWrite.file`); undefined when
   * a local is not written out in the module (one built from variables or a `for` expression has
   * no elements here, whatever the environment's tfvars). */
  private localBlocks(m: Module | undefined, blocks: EnvBlock[], templates: TerraformEnvInput[], file: string): EnvBlock[] | undefined {
    const added: Record<'env' | 'secrets', EnvWrite[]> = { env: [], secrets: [] };
    for (const t of templates) {
      const local = m?.locals.get(t.variable);
      const where = m?.localFiles.get(t.variable);
      if (!local?.entries || !where) return undefined;
      for (const e of local.entries) {
        const name = t.nameFrom === 'value' ? e.value?.value : e.key;
        if (!name) return undefined;
        const at = where === file ? {} : { file: where };
        const nameSpan = t.nameFrom === 'value' ? e.value!.span : e.keySpan;
        added[t.kind].push({ name, nameSpan, span: e.span, value: t.secretText !== undefined ? this.elementSecret(m!, t, e, name) : entryValue(t, e), ...at });
      }
    }
    const out = blocks.map((b) => (b.mode === 'set' && added[b.kind].length ? { ...b, entries: [...b.entries, ...added[b.kind]] } : b));
    return out.some((b, i) => b !== blocks[i]) ? out : undefined;
  }

  /** `google_secret_manager_secret.app[env.value].secret_id` over a list of names: the secret of
   * the module's `for_each` resource holding that name (its `secret_id = each.value`), else the
   * reference as written. */
  private elementSecret(m: Module, t: TerraformEnvInput, e: TerraformMapEntry, element: string): WriteValue {
    const names = t.secretOfElement ? m.secrets.get(t.secretOfElement) : undefined;
    const version = t.version && 'literal' in t.version ? t.version.literal : undefined;
    const span = e.value?.span ?? e.span;
    if (names?.has(element)) return { kind: 'secret', secret: secretShortName(element), ...(version ? { version } : {}), span };
    return { kind: 'dynamic', text: t.secretText!, span, secretRef: true };
  }

  /** `var.env_vars`: passed on a command line or by `TF_VAR_env_vars`, or named by a variables file. */
  private mayBeGiven(ref: string): boolean {
    const name = ref.replace(/^var\./, '');
    return this.passed.has(name) || this.tfvarsFacts.some((f) => factsMayHold(f, name));
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

/** The parts filled in from `lookup`; undefined when a reference has no value, unless `unresolved`
 * says what to write for it. */
function substitute(parts: NonNullable<Resolved['parts']>, lookup: (ref: string) => string | undefined, unresolved?: (ref: string) => string): string | undefined {
  let out = '';
  for (const p of parts) {
    if ('text' in p) out += p.text;
    else {
      const v = lookup(p.ref) ?? unresolved?.(p.ref);
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

/**
 * An image whose repository and name resolve while its registry or project do not
 * (`${var.region}-docker.pkg.dev/${var.project_id}/${var.app_name}-repo/backend:latest` with
 * `app_name` defaulted): its text with what the module knows filled in, the rest as written, as a
 * Cloud Build step's `…/${PROJECT_ID}/enterprise-rag-repo/backend` is, so the two name one image.
 */
function resolveImage(r: Resolved | undefined, lookup: (ref: string, depth: number) => string | undefined): Resolved | undefined {
  const whole = resolve(r, lookup);
  if (!r?.parts || whole?.value !== undefined) return whole;
  const text = substitute(r.parts, (ref) => lookup(ref, 0), (ref) => `\${${ref}}`)!;
  const path = text.split(/[:@]/)[0]!.split('/');
  // Only the host and the project may stay variables: the repository and the name must be known.
  return path.length >= 3 && !path.slice(-2).some((seg) => seg.includes('${')) ? { ...r, text } : r;
}

/** One element of a map input as the module's template reads it. */
function entryValue(t: TerraformEnvInput, e: TerraformMapEntry): WriteValue {
  const at = (p: string[] | undefined): { value?: string; text: string; span: TerraformMapEntry['span'] } | undefined => {
    if (!p) return undefined;
    if (p.length === 0) return e.value ? { value: e.value.value, text: e.value.value, span: e.value.span } : { text: e.text ?? '', span: e.span };
    return p.length === 1 ? e.fields?.[p[0]] : undefined;
  };
  if (t.kind === 'env') {
    const v = at(t.value ?? []);
    if (v?.value !== undefined && (t.value?.length || e.value?.literal)) return { kind: 'literal', value: v.value, span: v.span };
    return { kind: 'dynamic', text: v?.text ?? '', span: v?.span ?? e.span };
  }
  const s = at(t.secret);
  const version = t.version && 'literal' in t.version ? t.version.literal : at(t.version?.path)?.value;
  if (s?.value !== undefined) return { kind: 'secret', secret: secretShortName(s.value), ...(version ? { version } : {}), span: s.span };
  // `google_secret_manager_secret.jwt.secret_id`: a secret the caller's module declares.
  const steps = (s?.text ?? '').split('.');
  const address = steps.length === 3 && steps[0] === 'google_secret_manager_secret' && SECRET_NAME_ATTRIBUTES.has(steps[2]) ? `${steps[0]}.${steps[1]}` : undefined;
  return { kind: 'dynamic', text: s?.text ?? '', span: s?.span ?? e.span, ...(address ? { secretResource: { address, ...(version ? { version } : {}) } } : {}) };
}
