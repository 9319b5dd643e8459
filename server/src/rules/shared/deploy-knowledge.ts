/** Helpers shared by several rules: platform-provided names with the configuration's own, targets,
 * insertion plans, redaction. The facts themselves live in knowledge/. */
import type { EnvBlock, Insertion, Span } from '../../core/facts';
import { DEPLOYED_ENVIRONMENTS } from '../../knowledge/environments';
import type { DeployTarget, WorkspaceModel, ReadRef } from '../../model/workspace-model';
import { renderInsertion, type InsertValue } from '../../fixes/render-entry';
import type { FileEdit } from '../../core/edits';
import { isProvidedByPlatform } from '../../knowledge/platform';

export function isPlatformProvided(name: string, model: WorkspaceModel): boolean {
  return isProvidedByPlatform(name) || model.config.runtimeProvided.includes(name);
}

/** A value's shape without the value: `"7SVL…" (86 chars)` is too much; we show only length and class. */
export function redact(value: string): string {
  if (value.length === 0) return 'an empty value';
  const kinds = [/[a-z]/.test(value) && 'lower', /[A-Z]/.test(value) && 'upper', /\d/.test(value) && 'digits', /[^A-Za-z0-9]/.test(value) && 'symbols'].filter(Boolean);
  return `a ${value.length}-char value (${kinds.join('/')})`;
}

/** The kebab-case secret name a project's convention gives a variable (`SERVICE_SECRET` → `service-secret-staging`). */
export function conventionalSecretName(name: string, environment: string, target: DeployTarget): string {
  // Follow the target's own secrets: if they end with `-staging`, so does the new one.
  const existing = [...target.writes.values()].flat().map((w) => w.write.value).filter((v) => v.kind === 'secret');
  const suffix = `-${environment}`;
  const usesSuffix = existing.length === 0 || existing.some((v) => v.kind === 'secret' && v.secret.endsWith(suffix));
  return name.toLowerCase().replace(/_/g, '-') + (usesSuffix ? suffix : '');
}

export interface InsertPlan {
  file: string;
  insertion: Insertion;
  kind: 'env' | 'secrets';
}

/**
 * Where a new variable goes in a target: an existing `set` block of the right kind, then any
 * block of that kind, then a new flag/list on the deploy, then (for secrets) the env block.
 */
export function insertionsFor(target: DeployTarget, kind: 'env' | 'secrets'): InsertPlan[] {
  const plans: InsertPlan[] = [];
  const blocks: { file: string; block: EnvBlock }[] = [];
  for (const d of target.deploys) for (const b of d.deploy.blocks) blocks.push({ file: d.file, block: b });
  const ordered = [
    ...blocks.filter((b) => b.block.kind === kind && b.block.mode === 'set'),
    ...blocks.filter((b) => b.block.kind === kind && b.block.mode !== 'set'),
  ];
  for (const b of ordered) if (b.block.insert) plans.push({ file: b.file, insertion: b.block.insert, kind });
  for (const d of target.deploys) {
    const ins = kind === 'env' ? d.deploy.newEnvBlock : d.deploy.newSecretBlock;
    if (ins && !blocks.some((b) => b.file === d.file && b.block.kind === kind && b.block.insert)) plans.push({ file: d.file, insertion: ins, kind });
  }
  if (plans.length === 0) {
    for (const ef of target.envFiles) if (ef.block.insert && kind === 'env') plans.push({ file: ef.file, insertion: ef.block.insert, kind });
  }
  return plans;
}

/** One edit adding `name` to the target with the first value its container can hold, or
 * undefined when no container can take any of them. */
export function addVariableEdit(target: DeployTarget, name: string, values: InsertValue[]): { edit: FileEdit; value: InsertValue } | undefined {
  for (const value of values) {
    const kind = value.kind === 'secret' ? 'secrets' : 'env';
    for (const plan of insertionsFor(target, kind)) {
      const text = renderInsertion(plan.insertion, name, value);
      if (text !== undefined) return { edit: { file: plan.file, span: { start: plan.insertion.offset, end: plan.insertion.offset }, newText: text }, value };
    }
  }
  return undefined;
}

/** Where a target is shown: its first env block, else its first deploy's name or span. */
export function targetAnchor(target: DeployTarget): { file: string; span: Span } {
  // The env list is where the missing line goes, so that is what the finding underlines.
  for (const d of target.deploys) {
    const env = d.deploy.blocks.find((b) => b.kind === 'env');
    if (env) return { file: d.file, span: env.span };
  }
  for (const d of target.deploys) if (d.deploy.service) return { file: d.file, span: d.deploy.service.span };
  const d = target.deploys[0];
  if (d) return { file: d.file, span: { start: d.deploy.span.start, end: Math.min(d.deploy.span.end, d.deploy.span.start + 200) } };
  const f = target.envFiles[0];
  return { file: f.file, span: f.block.span };
}

/** Deploy targets of a service in environments a rollout depends on. */
export function deployedTargetsOf(model: WorkspaceModel, serviceName: string): DeployTarget[] {
  return model.targets.filter((t) => t.service?.name === serviceName && DEPLOYED_ENVIRONMENTS.has(t.environment));
}

/** A read applies to an environment unless it sits in another environment's branch (or in the
 * `else` of this one's), is required only in another environment, or its name carries another
 * environment's suffix (`X_PRODUCTION` read for staging is not a need). */
export function readAppliesTo(ref: ReadRef, environment: string, model: WorkspaceModel): boolean {
  if (ref.read.inEnvironment && ref.read.inEnvironment !== environment) return false;
  if (ref.read.requiredIn && ref.read.requiredIn !== environment) return false;
  if (ref.read.notInEnvironments?.includes(environment)) return false;
  const suffixEnv = nameEnvironment(ref.read.name, model);
  return !suffixEnv || suffixEnv === environment;
}

/** `GOOGLE_OAUTH_CLIENT_ID_STAGING` → staging. */
export function nameEnvironment(name: string, model: WorkspaceModel): string | undefined {
  const last = name.split('_').pop() ?? '';
  return name.includes('_') ? model.environments.normalize(last) : undefined;
}

/** The target's project as values its deploy file can hold, best first (`$PROJECT_ID`, then
 * the literal it resolves to). Empty when the project is unknown. */
export function projectValues(target: DeployTarget): InsertValue[] {
  const p = target.project?.resolved;
  if (!p) return [];
  const out: InsertValue[] = [];
  if (p.text && p.text !== p.value) out.push({ kind: 'expression', text: p.text });
  if (p.value !== undefined) out.push({ kind: 'literal', value: p.value });
  return out;
}

/** Reads that express a deploy requirement: not in tests, not dev-only, not defaulted, not
 * inlined by a build (a `VITE_*` value comes from `--build-arg`, never from the runtime deploy). */
export function requiredReads(reads: ReadRef[] | undefined): ReadRef[] {
  return (reads ?? []).filter((r) => !r.isTest && !r.read.devOnly && !r.read.hasDefault && !r.read.buildTime);
}

export function describeTarget(t: DeployTarget): string {
  return `${t.serviceName} (${t.environment})`;
}

/** Where a new variable of `kind` lands in a target, for a finding's location: the block a fix
 * edits (a `set` block of that kind first, as `insertionsFor` orders them), else `targetAnchor`. */
export function blockAnchor(target: DeployTarget, kind: 'env' | 'secrets'): { file: string; span: Span } {
  const blocks: { file: string; block: EnvBlock }[] = [];
  for (const d of target.deploys) for (const b of d.deploy.blocks) blocks.push({ file: d.file, block: b });
  const b = blocks.find((x) => x.block.kind === kind && x.block.mode === 'set') ?? blocks.find((x) => x.block.kind === kind);
  return b ? { file: b.file, span: b.block.span } : targetAnchor(target);
}
