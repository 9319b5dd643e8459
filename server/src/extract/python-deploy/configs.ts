/**
 * Deploys declared as data: per-service config objects and dicts that hold env vars
 * (`ServiceConfig(name=..., environment_vars={...})`, `ServiceConfig("api", "src/api", {...})`
 * for a dataclass defined in the file, `SERVICES = {"api": {"env": {...}}}`) and module dicts
 * keyed by environment (`ENV_VARS = {"staging": {...}}`). Each becomes a DeployFact in
 * `cx.configs`, with the link keys a gcloud command may later reach its env dict by.
 */
import type { DeployFact, EnvBlock, Resolved, Span } from '../../core/facts';
import { query } from '../../parsers/tree-sitter';
import type { DeployContext, Hint, Node } from './context';
import { dictBlock, envKeyed, type EnvKeyedEntry } from './env-dicts';
import { addHint, entryHints } from './environment-hints';
import { keyName, named, nodeSpan, staticString } from './strings';
import { anyClassFieldNamed, envDictAssignments, keywordArgumentNames, pairStringKeys } from './word-sites';

/** Field and key names that hold a service's env vars or secrets. */
export const ENV_KEYS = new Set(['environment_vars', 'env_vars', 'env', 'environment', 'envs', 'env_variables', 'environment_variables']);
export const SECRET_KEYS = new Set(['secrets', 'secret_env', 'secret_env_vars', 'secrets_map']);
/** Env keys distinctive enough that an unreadable value still means "env comes from here". */
const DISTINCT_ENV_KEYS = new Set(['environment_vars', 'env_vars', 'env_variables', 'environment_variables', 'secret_env', 'secret_env_vars', 'secrets_map']);
const NAME_KEYS = ['name', 'service', 'service_name'];
/** Fields that name the Cloud Run service a config is deployed as (`cloud_run_name="api-staging"`), beside its own name. */
const DEPLOYED_NAME_KEY = /^(cloud_?run|run|deploy(ed)?)_(service_)?name$|^cloud_?run_service$/;
const DOCKERFILE_KEYS = ['dockerfile', 'dockerfile_path'];
const SOURCE_KEYS = ['directory', 'source', 'dir', 'path', 'source_dir', 'src'];
const IMAGE_KEYS = ['image'];
/** Fields that make an object with an `env` field a service config rather than any settings object. */
const EVIDENCE_KEYS = new Set([...NAME_KEYS, ...SOURCE_KEYS, ...IMAGE_KEYS, 'port', 'region', 'memory', 'cpu', 'dockerfile']);
const PROJECT_NAMES = ['project_id', 'project', 'gcp_project', 'gcp_project_id', 'project_name', 'google_cloud_project'];
const REGION_NAMES = ['region', 'gcp_region'];

/** Env and secret field names: a config's keyword argument or dict key (word-sites.ts finds them from the words). */
const CONFIG_KEYS = [...ENV_KEYS, ...SECRET_KEYS];
const Q_CLASS_FIELDS = `(class_definition name: (identifier) @c body: (block (expression_statement (assignment left: (identifier) @f type: (_)))))`;
const Q_CALLS = `(call function: [(identifier) (attribute)] @f arguments: (argument_list) @a)`;

/** Field names, in order, of the dataclasses in this file that have an env field. */
type Dataclasses = Map<string, string[]>;

/** Every service config object or dict in the file, read in the order the queries find them. */
export function findConfigs(cx: DeployContext): void {
  const candidates: { container: Node; owner: Node }[] = [];
  for (const k of keywordArgumentNames(cx.root, cx.text, CONFIG_KEYS)) {
    const args = k.parent?.parent;
    if (args?.type === 'argument_list' && args.parent?.type === 'call') candidates.push({ container: args, owner: args.parent });
  }
  for (const k of pairStringKeys(cx.root, cx.text, CONFIG_KEYS)) {
    const name = keyName(k, cx.text);
    if (!name || !(ENV_KEYS.has(name) || SECRET_KEYS.has(name))) continue;
    const dict = k.parent?.parent;
    if (dict?.type === 'dictionary') candidates.push({ container: dict, owner: dict });
  }
  const dataclasses = dataclassesWithEnv(cx);
  for (const c of positionalConfigs(cx, dataclasses)) candidates.push(c);
  for (const c of candidates) {
    if (cx.claimed.has(c.owner.id)) continue;
    cx.claimed.add(c.owner.id);
    readConfig(cx, dataclasses, c.container, c.owner);
  }
}

/** Dataclasses with an env field: their calls may pass the env dict by position. */
function dataclassesWithEnv(cx: DeployContext): Dataclasses {
  const classes = new Map<string, string[]>();
  // Without a class field named like one, the filter below keeps nothing: the query is skipped.
  if (!anyClassFieldNamed(cx.root, cx.text, CONFIG_KEYS)) return classes;
  for (const m of query('python', Q_CLASS_FIELDS).matches(cx.root)) {
    const c = m.captures.find((x) => x.name === 'c')?.node;
    const f = m.captures.find((x) => x.name === 'f')?.node;
    if (!c || !f) continue;
    const list = classes.get(c.text) ?? [];
    list.push(f.text);
    classes.set(c.text, list);
  }
  return new Map([...classes].filter(([, fs]) => fs.some((f) => ENV_KEYS.has(f) || SECRET_KEYS.has(f))));
}

/** `ServiceConfig("backend", "netra_backend", 8000, {...})` for a dataclass defined in the file. */
function positionalConfigs(cx: DeployContext, dataclasses: Dataclasses): { container: Node; owner: Node }[] {
  if (dataclasses.size === 0) return [];
  const out: { container: Node; owner: Node }[] = [];
  for (const m of query('python', Q_CALLS).matches(cx.root)) {
    const f = m.captures.find((x) => x.name === 'f')?.node;
    const a = m.captures.find((x) => x.name === 'a')?.node;
    if (!f || !a || !a.parent) continue;
    const name = f.type === 'attribute' ? f.childForFieldName('attribute')?.text : f.text;
    if (!name || !dataclasses.has(name)) continue;
    if (named(a).some((x) => x.type !== 'keyword_argument' && x.type !== 'list_splat' && x.type !== 'dictionary_splat')) {
      out.push({ container: a, owner: a.parent });
    }
  }
  return out;
}

type Fields = Map<string, { value: Node }>;

/** A config's fields by name: keyword and positional arguments of a call, or a dict's string keys. */
function configFields(cx: DeployContext, dataclasses: Dataclasses, container: Node, owner: Node): Fields {
  const fields: Fields = new Map();
  if (container.type === 'argument_list') {
    const fn = owner.childForFieldName('function');
    const cname = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
    const order = (cname && dataclasses.get(cname)) || [];
    let i = 0;
    for (const a of named(container)) {
      if (a.type === 'keyword_argument') {
        const k = a.childForFieldName('name');
        const v = a.childForFieldName('value');
        if (k && v) fields.set(k.text, { value: v });
      } else if (a.type !== 'list_splat' && a.type !== 'dictionary_splat') {
        if (order[i] && !fields.has(order[i])) fields.set(order[i], { value: a });
        i++;
      }
    }
  } else {
    for (const p of named(container)) {
      if (p.type !== 'pair') continue;
      const k = p.childForFieldName('key');
      const v = p.childForFieldName('value');
      const name = keyName(k, cx.text);
      if (k && v && name !== undefined && !fields.has(name)) fields.set(name, { value: v });
    }
  }
  return fields;
}

/**
 * One config, kept only with evidence that it describes a service (an outer key of a services
 * dict, a field such as name, directory, image or port, or a config-like class name) and with
 * some env; one fact per environment when its env dict is keyed by environment.
 */
function readConfig(cx: DeployContext, dataclasses: Dataclasses, container: Node, owner: Node): void {
  const fields = configFields(cx, dataclasses, container, owner);
  const outer = outerEntry(cx, owner);
  if (!isServiceConfig(dataclasses, fields, owner, outer)) return;
  const id = configIdentity(cx, fields, owner, outer);
  const env = configEnv(cx, fields);
  if (!env) return;
  const { keys, opaque, splits, blocks } = env;
  const byName = new Map([...fields].map(([k, f]) => [k, f.value]));

  const make = (extra: EnvBlock[], extraHints: Hint[], span: Span): DeployFact => {
    const fact: DeployFact = {
      platform: 'cloud-run',
      via: 'python',
      span,
      environmentHints: [],
      blocks: [...extra, ...blocks],
      envFiles: [],
    };
    if (id.service) fact.service = id.service;
    if (id.source) fact.source = id.source;
    if (id.dockerfile) fact.dockerfile = id.dockerfile;
    if (id.port) fact.port = id.port;
    if (id.image) fact.image = id.image;
    if (id.project) fact.project = id.project;
    if (id.region) fact.region = id.region;
    if (opaque.length) fact.opaque = opaque[0];
    for (const h of [...id.hints, ...extraHints]) addHint(fact, h);
    for (const b of fact.blocks) for (const h of entryHints(b)) addHint(fact, h);
    return fact;
  };
  if (splits.length) {
    // One fact per environment, holding that environment's env and secrets blocks.
    const envNames: string[] = [];
    for (const sp of splits) for (const e of sp.entries) if (!envNames.includes(e.name)) envNames.push(e.name);
    for (const envName of envNames) {
      const own = splits.flatMap((sp) => sp.entries.filter((e) => e.name === envName).map((e) => ({ key: sp.key, e })));
      const fact = make(own.map((o) => o.e.block), own.map((o) => ({ value: envName, span: o.e.keySpan, evidence: `key "${envName}" of ${o.key}` })), nodeSpan(owner));
      cx.configs.push({ fact, keys: new Set(keys), envName, fields: byName });
    }
  } else {
    cx.configs.push({ fact: make([], [], nodeSpan(owner)), keys, fields: byName });
  }
}

/** The config as a value of `SERVICES = {"backend": {...}}`: its string key, and the dict's variable. */
function outerEntry(cx: DeployContext, owner: Node): { key?: Node; variable?: string } {
  let key: Node | undefined;
  let variable: string | undefined;
  if (owner.type === 'dictionary' && owner.parent?.type === 'pair' && owner.parent.childForFieldName('value')?.id === owner.id) {
    const k = owner.parent.childForFieldName('key');
    if (k && staticString(k, cx.text)) key = k;
    const outer = owner.parent.parent;
    if (outer?.parent?.type === 'assignment') variable = outer.parent.childForFieldName('left')?.text;
  }
  return { key, variable };
}

function isServiceConfig(dataclasses: Dataclasses, fields: Fields, owner: Node, outer: { key?: Node }): boolean {
  if (outer.key !== undefined) return true;
  for (const k of fields.keys()) if (EVIDENCE_KEYS.has(k)) return true;
  if (owner.type !== 'call') return false;
  const fn = owner.childForFieldName('function');
  const cname = (fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text) ?? '';
  return dataclasses.has(cname) || /(Config|Service|Spec|Deployment)$/.test(cname);
}

/**
 * Which service the config deploys, from where, to which project and region. An outer key that
 * is an environment name (`{"staging": {...}}`) is a hint, not the service.
 */
function configIdentity(cx: DeployContext, fields: Fields, owner: Node, outer: { key?: Node; variable?: string }) {
  const hints: Hint[] = [];
  const outerName = outer.key ? staticString(outer.key, cx.text) : undefined;
  let service: Resolved | undefined;
  for (const k of NAME_KEYS) {
    const f = fields.get(k);
    if (f && f.value.type !== 'dictionary' && f.value.type !== 'list') { service = cx.scope.resolved(f.value); break; }
  }
  // The deployed name, when a field gives it, is what `gcloud run deploy` gets and what names the environment.
  const deployedKey = [...fields.keys()].find((k) => DEPLOYED_NAME_KEY.test(k));
  const deployed = deployedKey ? fields.get(deployedKey) : undefined;
  if (deployed && deployed.value.type !== 'dictionary' && deployed.value.type !== 'list') service = cx.scope.resolved(deployed.value);
  if (outerName && cx.envNames.isToken(outerName.value)) {
    hints.push({ value: outerName.value, span: outerName.span, evidence: `key "${outerName.value}" of ${outer.variable ?? 'the services dict'}` });
  } else if (!service && outerName) {
    service = { value: outerName.value, text: outerName.value, span: outerName.span };
  }
  const pick = (keys: string[]): Resolved | undefined => {
    for (const k of keys) {
      const f = fields.get(k);
      if (f && f.value.type !== 'dictionary' && f.value.type !== 'list') return cx.scope.resolved(f.value);
    }
    return undefined;
  };
  const source = pick(SOURCE_KEYS);
  const image = pick(IMAGE_KEYS);
  const dockerfile = pick(DOCKERFILE_KEYS);
  const region = pick(['region']) ?? cx.scope.scopeRef(owner, REGION_NAMES);
  const project = pick(['project', 'project_id']) ?? cx.scope.scopeRef(owner, PROJECT_NAMES);
  // The container port the script passes (`port=8000`, `--port` built from it).
  const port = pick(['port', 'container_port']);
  return { hints, service, source, image, dockerfile, region, project, port };
}

/**
 * The config's env and secrets fields as blocks, with the link keys commands may reach them by;
 * undefined when the config holds no env at all.
 */
function configEnv(cx: DeployContext, fields: Fields) {
  const keys = new Set<string>();
  const opaque: string[] = [];
  /** Per-environment dicts (`"env": {"staging": {...}}`, `"secrets": {"staging": {...}}`), by field. */
  const splits: { key: string; entries: EnvKeyedEntry[] }[] = [];
  const blocks: EnvBlock[] = [];
  const splats: Node[] = [];
  for (const [k, f] of fields) {
    const isEnv = ENV_KEYS.has(k);
    const isSecret = SECRET_KEYS.has(k);
    if (!isEnv && !isSecret) continue;
    const kind = isEnv ? 'env' : 'secrets';
    const dict = cx.scope.resolveDict(f.value);
    if (dict) {
      cx.claimed.add(dict.id);
      if (!splits.some((x) => ENV_KEYS.has(x.key) === isEnv)) {
        const split = envKeyed(cx, dict, kind);
        if (split) { splits.push({ key: k, entries: split }); keys.add('attr:' + k); continue; }
      }
      const b = dictBlock(cx, dict, kind);
      if (!b) continue;
      blocks.push(b.block);
      splats.push(...b.splats);
      keys.add('attr:' + k);
      continue;
    }
    if (['string', 'integer', 'float', 'true', 'false', 'none', 'concatenated_string', 'list'].includes(f.value.type)) continue;
    if (DISTINCT_ENV_KEYS.has(k)) {
      keys.add('attr:' + k);
      opaque.push(`${k}=${f.value.text}`);
    }
  }
  for (const s of splats) {
    const d = cx.scope.resolveDict(named(s)[0]);
    const b = d && dictBlock(cx, d, 'env');
    if (b) blocks.push(b.block);
    else opaque.push(s.text);
  }
  if (blocks.length === 0 && splits.length === 0 && opaque.length === 0) return undefined;
  return { keys, opaque, splits, blocks };
}

/** `ENV_VARS = {"staging": {...}, "production": {...}}` not already read as a config's dict: one fact per environment. */
export function findEnvKeyedDicts(cx: DeployContext): void {
  for (const { n, d } of envDictAssignments(cx.root, cx.text)) {
    if (cx.claimed.has(d.id)) continue;
    const split = envKeyed(cx, d);
    if (!split) continue;
    cx.claimed.add(d.id);
    const project = cx.scope.scopeRef(d, PROJECT_NAMES);
    const region = cx.scope.scopeRef(d, REGION_NAMES);
    for (const e of split) {
      const fact: DeployFact = {
        platform: 'cloud-run',
        via: 'python',
        span: nodeSpan(e.pair),
        environmentHints: [],
        blocks: [e.block],
        envFiles: [],
      };
      if (project) fact.project = project;
      if (region) fact.region = region;
      addHint(fact, { value: e.name, span: e.keySpan, evidence: `key "${e.name}" of ${n.text}` });
      for (const h of entryHints(e.block)) addHint(fact, h);
      const splat = e.splats.find((s) => !cx.scope.resolveDict(named(s)[0]));
      if (splat) fact.opaque = splat.text;
      cx.configs.push({ fact, keys: new Set(['var:' + n.text]), envName: e.name, fields: new Map() });
    }
  }
}
