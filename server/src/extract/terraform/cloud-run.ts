/**
 * Cloud Run resources in Terraform: `google_cloud_run_v2_service`, `google_cloud_run_v2_job`
 * (`template { template { containers … } }`) and the older `google_cloud_run_service`
 * (`template { spec { containers … } }`). One DeployFact per resource — per instance when
 * `for_each` runs over a literal map or set — with the serving container's `env` blocks as an `env`
 * block (values) and a `secrets` block (secret references) sharing one span. Terraform replaces a
 * service's whole env list on apply, so both blocks are `set`, even when empty.
 */
import type { SyntaxNode } from '../../parsers/tree-sitter';
import type { DeployFact, EnvBlock, EnvWrite, Insertion, Resolved, SecretMount, Span, TerraformEnvInput, WriteValue } from '../../core/facts';
import { entryInWords } from '../program-entry';
import { secretVolumeFiles } from '../secret-volumes';
import { attribute, attributesOf, blocksOf, evaluate, inner, named, scalarOf, spanOf, traversalPath, unconverted, type Block, type HclValue, type Scope } from './hcl';
import { resolvedOf, sourceText, type FileScope } from './scope';
import { SECRET_NAME_ATTRIBUTES, secretShortName } from '../../knowledge/secret-manager';

interface Shape {
  platform: DeployFact['platform'];
  /** Block types from the resource body down to the one holding `containers`. */
  podPath: string[];
  /** The older resource writes secret references as `value_from { secret_key_ref { name key } }`. */
  v1: boolean;
}

export const CLOUD_RUN_RESOURCES: Record<string, Shape> = {
  google_cloud_run_v2_service: { platform: 'cloud-run', podPath: ['template'], v1: false },
  google_cloud_run_v2_job: { platform: 'cloud-run-job', podPath: ['template', 'template'], v1: false },
  google_cloud_run_service: { platform: 'cloud-run', podPath: ['template', 'spec'], v1: true },
};

/** Labels whose value names the environment (`labels = { environment = "staging" }`). */
const HINT_LABELS = new Set(['environment', 'env', 'stage']);

export interface ResourceContext {
  text: string;
  scope: FileScope;
  /** The file's `provider "google" { project = … }`, for a resource without its own `project`. */
  providerProject?: SyntaxNode;
}

/** Where a line of `text` starts, and its indentation when only whitespace precedes `offset`. */
function indentAt(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function child(body: SyntaxNode | undefined, path: string[]): Block | undefined {
  let b: Block | undefined;
  let cur = body;
  for (const type of path) {
    b = blocksOf(cur, type)[0];
    if (!b) return undefined;
    cur = b.body;
  }
  return b;
}

/** The code file the container's `command`/`args` run instead of the image's command
 * (`command = ["uv"]`, `args = ["run", "/app/src/pipeline/run.py"]`), spanning the list naming it. */
function containerEntry(container: Block, scope: Scope): Resolved | undefined {
  const lists: { words: string[]; text: string; span: Span }[] = [];
  for (const key of ['command', 'args']) {
    const attr = attribute(container.body, key);
    const list = attr ? evaluate(attr.expr, scope) : undefined;
    if (list?.kind !== 'tuple') continue;
    // An item known only at apply time (`var.script`) stands as a word that names no file.
    const words = list.items.map((x) => (x.kind === 'string' || x.kind === 'scalar' ? x.value : ' '));
    lists.push({ words, text: attr!.expr.text, span: list.span });
    const entry = entryInWords(words);
    if (entry) return { value: entry, text: attr!.expr.text, span: list.span };
  }
  // `command = ["uvicorn"]` with `args = ["app.worker:app", …]`: the two lists are one command line.
  const entry = lists.length === 2 ? entryInWords([...lists[0]!.words, ...lists[1]!.words]) : undefined;
  return entry ? { value: entry, text: lists[1]!.text, span: lists[1]!.span } : undefined;
}

/** A string attribute's value, when known here. */
function stringAt(body: SyntaxNode | undefined, key: string, scope: Scope): string | undefined {
  const attr = attribute(body, key);
  const v = attr ? evaluate(attr.expr, scope) : undefined;
  return v && (v.kind === 'string' || v.kind === 'scalar') ? v.value : undefined;
}

/** The container's secret volumes, file by file: each `volume_mounts` block's volume, with its
 * `items` (a file per item's `path`) or, without items, one file named after the secret. */
function secretMountsOf(pod: Block | undefined, container: Block, shape: Shape, scope: Scope): SecretMount[] {
  const volumes = new Map<string, Block>();
  for (const v of blocksOf(pod?.body, 'volumes')) {
    const name = stringAt(v.body, 'name', scope);
    if (name) volumes.set(name, v);
  }
  const out: SecretMount[] = [];
  for (const m of blocksOf(container.body, 'volume_mounts')) {
    const dir = stringAt(m.body, 'mount_path', scope);
    const volume = volumes.get(stringAt(m.body, 'name', scope) ?? '');
    const source = blocksOf(volume?.body, 'secret')[0];
    if (!dir?.startsWith('/') || !source || attribute(m.body, 'sub_path')) continue;
    const named = stringAt(source.body, shape.v1 ? 'secret_name' : 'secret', scope);
    const secret = named ? secretShortName(named) : attribute(source.body, shape.v1 ? 'secret_name' : 'secret')?.expr.text ?? 'a secret';
    const listed = blocksOf(source.body, 'items');
    const items = listed.length ? listed.map((it) => ({ file: stringAt(it.body, 'path', scope), span: spanOf(it.node) })) : undefined;
    // Without items, its one file is named after the secret: unknown when the name is.
    if (!items && !named) continue;
    out.push(...secretVolumeFiles(dir, secret, items, spanOf(source.node)));
  }
  return out;
}

/** The container that serves: the one with a `ports` block (the ingress container), else the first. */
function servingContainer(pod: Block | undefined): Block | undefined {
  const containers = blocksOf(pod?.body, 'containers');
  return containers.find((c) => blocksOf(c.body, 'ports').length > 0) ?? containers[0];
}

/** The secret a `secret_key_ref` names, with its version. */
function secretRef(ref: Block | undefined, shape: Shape, scope: Scope): { secret?: HclValue; literal: boolean; version?: string; resource?: string; span: Span } | undefined {
  if (!ref) return undefined;
  const nameAttr = attribute(ref.body, shape.v1 ? 'name' : 'secret');
  const versionAttr = attribute(ref.body, shape.v1 ? 'key' : 'version');
  const secret = nameAttr ? evaluate(nameAttr.expr, scope) : undefined;
  const version = versionAttr ? evaluate(versionAttr.expr, scope) : undefined;
  // `google_secret_manager_secret.jwt.secret_id` (or `.id`, `.name`): a secret this module
  // declares, perhaps in another file; an indexed instance (`.jwt["x"]`) is not followed.
  const path = nameAttr ? traversalPath(nameAttr.expr) : undefined;
  const resource = path?.root === 'google_secret_manager_secret' && path.steps.length === 2 && SECRET_NAME_ATTRIBUTES.has(path.steps[1])
    ? `${path.root}.${path.steps[0]}` : undefined;
  return {
    secret,
    resource,
    literal: nameAttr?.expr.namedChild(0)?.type === 'literal_value',
    version: version && (version.kind === 'string' || version.kind === 'scalar') ? version.value : undefined,
    span: nameAttr ? spanOf(nameAttr.expr) : spanOf(ref.node),
  };
}


/** A `dynamic "env"` entry: the name is written as the collection's key (`KEY = "value"`), and
 * values come from a collection written in this file. */
interface DynamicEntry {
  nameSpan?: Span;
  fromLiteralCollection?: boolean;
}

/** One `env { … }` body (or a dynamic block's `content { … }`) as a write; undefined without a usable name. */
function envWrite(body: SyntaxNode | undefined, shape: Shape, scope: Scope, whole: Span, opts: DynamicEntry = {}): { write: EnvWrite; secret: boolean } | undefined {
  const nameAttr = attribute(body, 'name');
  if (!nameAttr) return undefined;
  const nameV = evaluate(nameAttr.expr, scope);
  if (nameV.kind !== 'string' || nameV.value === '') return undefined;
  const nameSpan = opts.nameSpan ?? (nameV.exact ? nameV.span : spanOf(nameAttr.expr));
  const base = { name: nameV.value, nameSpan, span: whole };
  const source = blocksOf(body, shape.v1 ? 'value_from' : 'value_source')[0];
  if (source) {
    const ref = secretRef(blocksOf(source.body, 'secret_key_ref')[0], shape, scope);
    if (ref?.secret && ref.secret.kind === 'string') {
      // The name's own text when it is written here (a fix may rename it in place), else the
      // reference (`google_secret_manager_secret.jwt.secret_id`).
      const span = ref.secret.exact && (ref.literal || opts.fromLiteralCollection) ? ref.secret.span : ref.span;
      return { write: { ...base, value: { kind: 'secret', secret: secretShortName(ref.secret.value), version: ref.version, span } }, secret: true };
    }
    const span = ref?.span ?? spanOf(source.node);
    const value: WriteValue = { kind: 'dynamic', text: ref?.secret && ref.secret.kind === 'unknown' ? ref.secret.text : source.node.text, span };
    if (ref?.resource) value.secretResource = { address: ref.resource, ...(ref.version ? { version: ref.version } : {}) };
    return { write: { ...base, value }, secret: true };
  }
  const valueAttr = attribute(body, 'value');
  if (!valueAttr) {
    const at = spanOf(nameAttr.node).end;
    return { write: { ...base, value: { kind: 'literal', value: '', span: { start: at, end: at } } }, secret: false };
  }
  const v = evaluate(valueAttr.expr, scope);
  let value: WriteValue;
  // Only what is written here is a literal: a variable may be overridden per environment (tfvars).
  const literal = valueAttr.expr.namedChild(0)?.type === 'literal_value' || !!opts.fromLiteralCollection;
  if (literal && v.kind === 'string') value = { kind: 'literal', value: v.value, span: v.exact ? v.span : spanOf(valueAttr.expr) };
  else if (literal && v.kind === 'scalar') value = { kind: 'literal', value: v.value, span: v.span };
  else value = { kind: 'dynamic', text: sourceText(valueAttr.expr, v), span: spanOf(valueAttr.expr) };
  return { write: { ...base, value }, secret: false };
}

interface EnvList {
  literal: EnvWrite[];
  secret: EnvWrite[];
  /** Every `env` / `dynamic "env"` block, in order, for the block's span and the insertion point. */
  nodes: SyntaxNode[];
  opaque?: string;
  /** `dynamic "env"` blocks over a module input, for the model to fill from each call. */
  fromInputs: TerraformEnvInput[];
  /** How many `dynamic "env"` blocks this file cannot list. */
  unlisted: number;
}

/** `dynamic "env" { for_each = var.env_vars  content { name = env.key  value = env.value } }`:
 * the input it iterates and where each element's value is; undefined for any other shape. The
 * same over a local another file of the module writes out (`for_each = toset(local.secret_ids)`,
 * `name = env.value`), whose secret may be a reference of its own (`secretText`). */
function inputTemplate(forEach: SyntaxNode | undefined, iterator: string, content: Block, shape: Shape): TerraformEnvInput | undefined {
  const over = forEach ? traversalPath(unconverted(forEach)) : undefined;
  if (!over || (over.root !== 'var' && over.root !== 'local') || over.steps.length !== 1) return undefined;
  const local = over.root === 'local';
  const nameAttr = attribute(content.body, 'name');
  const name = nameAttr ? traversalPath(nameAttr.expr) : undefined;
  if (!name || name.root !== iterator || name.steps.length !== 1) return undefined;
  // A module input's map is named by its keys; a local list's items are their own names.
  const nameFrom = name.steps[0] === 'key' ? undefined : local && name.steps[0] === 'value' ? 'value' as const : null;
  if (nameFrom === null) return undefined;
  const own = { variable: over.steps[0]!, ...(local ? { local: true as const } : {}), ...(nameFrom ? { nameFrom } : {}) };
  /** The path below `<iterator>.value`, or undefined for anything else. */
  const below = (expr: SyntaxNode | undefined): string[] | undefined => {
    const p = expr ? traversalPath(expr) : undefined;
    return p && p.root === iterator && p.steps[0] === 'value' ? p.steps.slice(1) : undefined;
  };
  const source = blocksOf(content.body, shape.v1 ? 'value_from' : 'value_source')[0];
  if (!source) {
    const value = attribute(content.body, 'value');
    const path = value ? below(value.expr) : [];
    return path ? { ...own, kind: 'env', value: path } : undefined;
  }
  const ref = blocksOf(source.body, 'secret_key_ref')[0];
  const secretAttr = attribute(ref?.body, shape.v1 ? 'name' : 'secret');
  const secret = below(secretAttr?.expr);
  if (!secret && !(local && secretAttr)) return undefined;
  const versionAttr = attribute(ref?.body, shape.v1 ? 'key' : 'version');
  const versionPath = below(versionAttr?.expr);
  const literal = versionAttr?.expr.namedChild(0)?.type === 'literal_value' ? evaluate(versionAttr.expr, () => undefined) : undefined;
  const version = versionPath ? { path: versionPath } : literal && (literal.kind === 'string' || literal.kind === 'scalar') ? { literal: literal.value } : undefined;
  const keyed = secret ? undefined : elementKeyedSecret(secretAttr!.expr, iterator);
  return { ...own, kind: 'secrets', ...(secret ? { secret } : { secretText: secretAttr!.expr.text, ...(keyed ? { secretOfElement: keyed } : {}) }), ...(version ? { version } : {}) };
}

/** `google_secret_manager_secret.app[env.value].secret_id`: the resource's address, when the
 * index is the iterator's element. */
function elementKeyedSecret(expr: SyntaxNode, iterator: string): string | undefined {
  const kids = named(expr);
  if (kids[0]?.type !== 'variable_expr' || kids[0].text !== 'google_secret_manager_secret' || kids.length !== 4) return undefined;
  const [, resource, index, attr] = kids;
  const name = resource?.type === 'get_attr' ? named(resource).find((x) => x.type === 'identifier')?.text : undefined;
  const last = attr?.type === 'get_attr' ? named(attr).find((x) => x.type === 'identifier')?.text : undefined;
  const idx = index?.type === 'index' ? named(named(index)[0]).find((x) => x.type === 'expression') : undefined;
  const by = idx ? traversalPath(idx) : undefined;
  if (!name || !last || !SECRET_NAME_ATTRIBUTES.has(last) || !by || by.root !== iterator || by.steps.length !== 1 || !['value', 'key'].includes(by.steps[0]!)) return undefined;
  return `google_secret_manager_secret.${name}`;
}

function readEnv(container: Block, shape: Shape, ctx: ResourceContext, scope: Scope): EnvList {
  const out: EnvList = { literal: [], secret: [], nodes: [], fromInputs: [], unlisted: 0 };
  const push = (w: { write: EnvWrite; secret: boolean } | undefined): void => {
    if (w) (w.secret ? out.secret : out.literal).push(w.write);
  };
  for (const b of blocksOf(container.body)) {
    if (b.type === 'env') {
      out.nodes.push(b.node);
      push(envWrite(b.body, shape, scope, spanOf(b.node)));
    } else if (b.type === 'dynamic' && b.labels[0]?.value === 'env') {
      out.nodes.push(b.node);
      const forEach = attribute(b.body, 'for_each')?.expr;
      const iterator = attribute(b.body, 'iterator')?.expr.text ?? 'env';
      const content = blocksOf(b.body, 'content')[0];
      const each = ctx.scope.instances(forEach, scope);
      // A variable whose default is empty (`default = {}`) is a slot for what callers or tfvars
      // pass, not a deploy of no variables.
      const slot = each?.length === 0 && traversalPath(forEach!)?.root === 'var';
      if (!each || !content || slot) {
        out.opaque = `dynamic "env" blocks over ${forEach?.text ?? 'an unknown collection'} (not a literal map in this file)`;
        out.unlisted++;
        const template = content && inputTemplate(forEach, iterator, content, shape);
        if (template) out.fromInputs.push(template);
        continue;
      }
      for (const e of each) {
        const inScope = ctx.scope.withEach(e, iterator);
        const nameIsKey = attribute(content.body, 'name') && traversalPath(attribute(content.body, 'name')!.expr)?.steps[0] === 'key';
        // In a literal map, the element (`KEY = "value"`) is where the variable is written.
        push(envWrite(content.body, shape, (root, first, depth) => inScope(root, first, depth) ?? scope(root, first, depth), e.span,
          { nameSpan: nameIsKey ? e.key.span : undefined, fromLiteralCollection: true }));
      }
    }
  }
  return out;
}

/** `lifecycle { ignore_changes = [template[0].containers[0].env] }` (or `all`): other deploys own the env list. */
function envIgnored(body: SyntaxNode | undefined): boolean {
  return ignoredChanges(body).some((p) => p.root === 'all' || p.steps.includes('env'));
}

/** `lifecycle { ignore_changes = [template[0].containers[0].image] }`: other deploys (CI) set the
 * image, and the resource keeps the rest, its env included. */
function imageIgnored(body: SyntaxNode | undefined): boolean {
  return ignoredChanges(body).some((p) => p.root !== 'all' && p.steps[p.steps.length - 1] === 'image');
}

function ignoredChanges(body: SyntaxNode | undefined): { root: string; steps: string[] }[] {
  const ignore = attribute(blocksOf(body, 'lifecycle')[0]?.body, 'ignore_changes');
  if (!ignore) return [];
  const inner = ignore.expr.namedChild(0);
  const items: SyntaxNode[] = inner?.type === 'collection_value' ? inner.namedChild(0)?.namedChildren.filter((k): k is SyntaxNode => !!k && k.type === 'expression') ?? [] : [ignore.expr];
  return items.flatMap((i) => traversalPath(i) ?? []);
}

function labelHints(body: SyntaxNode | undefined, scope: Scope, hints: DeployFact['environmentHints']): void {
  const labels = attribute(body, 'labels');
  if (!labels) return;
  const v = evaluate(labels.expr, scope);
  if (v.kind !== 'object') return;
  for (const e of v.entries) {
    if (!HINT_LABELS.has(e.key) || e.value.kind !== 'string' || e.value.value === '') continue;
    hints.push({ value: e.value.value, span: e.value.span, evidence: `label ${e.key} = "${e.value.value}"` });
  }
}

/** The insertion of a new `env` block: after the last env block, else after the container's
 * `image`, in the indentation of what it follows. Undefined for a one-line block. */
function insertion(text: string, container: Block, envNodes: SyntaxNode[], shape: Shape): Insertion | undefined {
  if (lineOf(text, container.node.startIndex) === lineOf(text, container.node.endIndex)) return undefined;
  const anchor = envNodes[envNodes.length - 1] ?? attribute(container.body, 'image')?.node ?? (attributesOf(container.body)[0]?.node);
  if (!anchor) return undefined;
  const indent = indentAt(text, anchor.startIndex);
  if (indent === undefined) return undefined;
  // The container's own step of indentation, so the new block's nested lines match its style.
  const outer = indentAt(text, container.node.startIndex);
  const unit = outer !== undefined && indent.startsWith(outer) && indent.length > outer.length ? indent.slice(outer.length) : '  ';
  return { offset: anchor.endIndex, before: '\n' + indent, after: '', format: shape.v1 ? 'terraform-env-v1' : 'terraform-env', indent, indentUnit: unit, quote: '"' };
}

/** `count = var.enabled ? 1 : 0` (or `? 0 : 1`), `count = var.image == "" ? 0 : 1` (or `!= ""`,
 * `== null`): the variable that switches the resource on. */
function countSwitch(count: SyntaxNode): DeployFact['onlyIf'] {
  const c = inner(count);
  if (c.type !== 'conditional') return undefined;
  const [cond, yes, no] = named(c).filter((k) => k.type === 'expression');
  const n = (e: SyntaxNode | undefined): string | undefined => (e ? inner(e).text.trim() : undefined);
  const on = n(yes) === '1' && n(no) === '0' ? true : n(yes) === '0' && n(no) === '1' ? false : undefined;
  if (!cond || on === undefined) return undefined;
  const path = traversalPath(cond);
  // A variable only: an environment's tfvars file is what decides it (model/terraform.ts).
  if (path) return path.root === 'var' && path.steps.length === 1 ? { variable: path.steps[0], when: on, text: count.text } : undefined;
  const blank = blankTest(cond);
  // `var.x == "" ? 0 : 1`: on when x is not blank.
  return blank ? { variable: blank.variable, when: blank.equal ? !on : on, text: count.text, test: 'nonBlank' } : undefined;
}

/** `var.x == ""`, `var.x != null`: the variable compared with a blank value, and whether equal. */
function blankTest(cond: SyntaxNode): { variable: string; equal: boolean } | undefined {
  let op = inner(cond);
  while (op.type === 'operation' && named(op).length === 1) op = named(op)[0]!;
  if (op.type !== 'binary_operation') return undefined;
  const kids = op.children.filter((k): k is SyntaxNode => !!k);
  const at = kids.findIndex((k) => !k.isNamed && (k.text === '==' || k.text === '!='));
  if (at < 0) return undefined;
  const left = kids.slice(0, at);
  const right = kids.slice(at + 1);
  const variable = left.length === 2 && left[0]!.type === 'variable_expr' && left[0]!.text === 'var' && left[1]!.type === 'get_attr'
    ? left[1]!.text.replace(/^\./, '') : undefined;
  const literal = right.length === 1 ? right[0]!.text.trim() : undefined;
  if (!variable || !/^[A-Za-z_][\w-]*$/.test(variable) || (literal !== '""' && literal !== 'null')) return undefined;
  return { variable, equal: kids[at]!.text === '==' };
}

/** The DeployFacts of one Cloud Run resource block (one per `for_each` instance when literal). */
export function cloudRunDeploys(resource: Block, ctx: ResourceContext): DeployFact[] {
  const shape = CLOUD_RUN_RESOURCES[resource.labels[0]?.value ?? ''];
  if (!shape) return [];
  const forEach = attribute(resource.body, 'for_each')?.expr;
  const each = forEach ? ctx.scope.instances(forEach, ctx.scope.base) : undefined;
  const scopes: Scope[] = forEach ? (each ?? []).map((e) => ctx.scope.withEach(e)) : [ctx.scope.base];
  // A `for_each` over something this file cannot list: one deploy whose name stays unresolved.
  if (forEach && !each) scopes.push(ctx.scope.base);
  const deploys = scopes.map((scope) => oneDeploy(resource, shape, ctx, scope));
  // The instances share one container block: a new env block there is added to every one of them.
  if (deploys.length > 1) {
    const names = deploys.map((d, i) => d.service?.value ?? scalarOf(each?.[i]?.key) ?? `instance ${i + 1}`);
    for (const [i, d] of deploys.entries()) {
      const others = names.filter((_, j) => j !== i);
      for (const b of d.blocks) if (b.insert) b.insert.sharedWith = { others, why: 'the for_each instances share this block' };
    }
  }
  return deploys;
}

function oneDeploy(resource: Block, shape: Shape, ctx: ResourceContext, scope: Scope): DeployFact {
  const { text } = ctx;
  const body = resource.body;
  const fact: DeployFact = {
    platform: shape.platform,
    via: 'terraform',
    span: spanOf(resource.node),
    environmentHints: [],
    blocks: [],
    envFiles: [],
  };
  // v1 keeps the name in `metadata` when it is not top-level in older configurations.
  const nameExpr = attribute(body, 'name')?.expr ?? attribute(blocksOf(body, 'metadata')[0]?.body, 'name')?.expr;
  const service = resolvedOf(nameExpr, scope);
  if (service) fact.service = service;
  const project = resolvedOf(attribute(body, 'project')?.expr, scope) ?? resolvedOf(ctx.providerProject, ctx.scope.base);
  if (project) fact.project = project;
  const region = resolvedOf(attribute(body, 'location')?.expr, scope);
  if (region) fact.region = region;
  const label = resource.labels[1];
  if (label) fact.environmentHints.push({ value: label.value, span: label.span, evidence: `resource ${resource.labels[0].value}.${label.value}` });
  labelHints(body, scope, fact.environmentHints);
  const pod = child(body, shape.podPath);
  labelHints(child(body, shape.podPath.slice(0, 1))?.body, scope, fact.environmentHints);
  if (shape.v1) labelHints(blocksOf(child(body, ['template'])?.body, 'metadata')[0]?.body, scope, fact.environmentHints);
  if (envIgnored(body)) fact.opaque = 'lifecycle.ignore_changes leaves the env list to other deploys';
  const count = attribute(body, 'count')?.expr;
  const onlyIf = count ? countSwitch(count) : undefined;
  if (onlyIf) fact.onlyIf = onlyIf;
  const container = servingContainer(pod);
  if (!container) return fact;
  const image = resolvedOf(attribute(container.body, 'image')?.expr, scope);
  if (image) fact.image = image;
  if (imageIgnored(body)) fact.imageSetElsewhere = true;
  const entry = containerEntry(container, scope);
  if (entry) fact.entry = entry;
  if (attribute(container.body, 'command') || attribute(container.body, 'args')) fact.ownCommand = true;
  // `ports { container_port = 8000 }` (v2's `ports` block, v1's too); a port known only at apply
  // time is still a port the resource sets.
  const ports = blocksOf(container.body, 'ports')[0] ?? blocksOf(container.body, 'dynamic').find((b) => b.labels[0]?.value === 'ports');
  if (ports) {
    const attr = attribute(ports.body, 'container_port');
    fact.port = (attr && resolvedOf(attr.expr, scope)) ?? { text: 'ports', span: { start: ports.node.startIndex, end: ports.node.endIndex } };
  }
  const mounts = secretMountsOf(pod, container, shape, scope);
  if (mounts.length) fact.secretMounts = mounts;
  const env = readEnv(container, shape, ctx, scope);
  if (env.opaque) fact.opaque ??= env.opaque;
  // Every dynamic block the file cannot list iterates a module input: a call may list them. Or
  // every one iterates a local of another file of the module: the model lists them from there.
  const fromLocals = env.fromInputs.filter((t) => t.local);
  if (env.unlisted && env.fromInputs.length === env.unlisted) {
    if (!fromLocals.length) fact.moduleEnv = env.fromInputs;
    else if (fromLocals.length === env.unlisted && fact.opaque === env.opaque) fact.localEnv = fromLocals;
  }
  const first = env.nodes[0];
  const last = env.nodes[env.nodes.length - 1];
  // With no env block yet, the container's opening line is where the list would be.
  const open = container.node.namedChildren.find((k) => k?.type === 'block_start');
  const span: Span = first && last ? { start: first.startIndex, end: last.endIndex } : { start: container.node.startIndex, end: open?.endIndex ?? container.node.endIndex };
  const insert = insertion(text, container, env.nodes, shape);
  // What owns the list: the `containers` keyword of the block the env blocks sit in (a finding
  // points there, not at the first character of the first env block).
  const keyword = container.node.namedChildren.find((k) => k?.type === 'identifier');
  const keySpan: Span | undefined = keyword ? { start: keyword.startIndex, end: keyword.endIndex } : undefined;
  const envBlock: EnvBlock = { kind: 'env', mode: 'set', span, ...(keySpan ? { keySpan } : {}), entries: env.literal };
  const secBlock: EnvBlock = { kind: 'secrets', mode: 'set', span: { ...span }, ...(keySpan ? { keySpan: { ...keySpan } } : {}), entries: env.secret };
  if (insert) {
    envBlock.insert = insert;
    secBlock.insert = { ...insert };
  }
  fact.blocks.push(envBlock, secBlock);
  return fact;
}
