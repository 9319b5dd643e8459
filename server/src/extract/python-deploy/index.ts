/**
 * Python deploy scripts: per-service config objects / dicts that hold env vars
 * (`ServiceConfig(name=..., environment_vars={...})`, `SERVICES = {"api": {"env": {...}}}`,
 * `ENV_VARS = {"staging": {...}}`) and gcloud argument lists (`["gcloud", "run", "deploy", ...]`,
 * `cmd.extend([...])`, shell strings). Argument lists are turned into `Word`s and read by the
 * shared gcloud interpreter; an env flag built from a config's env dict
 * (`",".join(f"{k}={v}" for k, v in service.environment_vars.items())`) is linked back to the
 * configs, so the result is one DeployFact per service config.
 */
import type { DeployFact, EnvBlock, EnvWrite, FileFacts, Insertion, Resolved, Span, WriteValue } from '../../core/facts';
import { query, type SyntaxNode } from '../../parsers/tree-sitter';
import { interpretGcloud, isGcloudWord, type Word } from '../gcloud-args';
import { defaultExtractOptions, type ExtractOptions } from '../options';
import { ENVIRONMENT_VARIABLES, environmentNames, namesEnvironment, type EnvironmentNames } from '../../knowledge/environments';
import { keyName, named, nodeSpan, staticString, strInfo, streamOf } from './strings';
import { containerInsertion } from './insertions';
import { shellSplit, wordOf } from './words';
import { Scope } from './scope';

type Node = SyntaxNode;
type Hint = DeployFact['environmentHints'][number];

const ENV_KEYS = new Set(['environment_vars', 'env_vars', 'env', 'environment', 'envs', 'env_variables', 'environment_variables']);
const SECRET_KEYS = new Set(['secrets', 'secret_env', 'secret_env_vars', 'secrets_map']);
/** Env keys distinctive enough that an unreadable value still means "env comes from here". */
const DISTINCT_ENV_KEYS = new Set(['environment_vars', 'env_vars', 'env_variables', 'environment_variables', 'secret_env', 'secret_env_vars', 'secrets_map']);
const NAME_KEYS = ['name', 'service', 'service_name'];
const SOURCE_KEYS = ['directory', 'source', 'dir', 'path', 'source_dir', 'src'];
const IMAGE_KEYS = ['image'];
const EVIDENCE_KEYS = new Set([...NAME_KEYS, ...SOURCE_KEYS, ...IMAGE_KEYS, 'port', 'region', 'memory', 'cpu', 'dockerfile']);
const PROJECT_NAMES = ['project_id', 'project', 'gcp_project', 'gcp_project_id', 'project_name', 'google_cloud_project'];
const REGION_NAMES = ['region', 'gcp_region'];
const ENV_LIKE = /^[A-Z_][A-Z0-9_]*$/;
const ENV_FLAG_RE = /^--(set|update)-(env-vars|secrets)$/;

const PREFILTER_NEEDLES = [
  'environment_vars', 'env_vars', 'ENV_VARS', 'env_variables', 'environment_variables', 'secret_env', 'secrets_map',
  '"env"', "'env'", '"envs"', "'envs'", '"environment"', "'environment'", 'env={', 'envs={', 'environment={',
];

/** Cheap byte-level test: most service code never reaches the parser for this extractor. */
export function pythonDeployMayMatter(text: string): boolean {
  if (text.includes('gcloud')) return true;
  if (!text.includes('env') && !text.includes('ENV')) return false;
  for (const n of PREFILTER_NEEDLES) if (text.includes(n)) return true;
  return false;
}

export function extractPythonDeploy(file: string, root: Node, text: string, facts: FileFacts, options: ExtractOptions = defaultExtractOptions): void {
  try {
    new PythonDeploy(file, root, text, facts, environmentNames(options.environments)).run();
  } catch (err) {
    facts.problems.push({ message: `could not read this Python deploy script: ${(err as Error).message}` });
  }
}

function parseSecretRef(v: string): { secret: string; version?: string } {
  const m = /^projects\/[^/]+\/secrets\/([^/]+)(?:\/versions\/([^/]+))?$/.exec(v);
  if (m) return { secret: m[1], version: m[2] };
  const c = v.lastIndexOf(':');
  if (c > 0) return { secret: v.slice(0, c), version: v.slice(c + 1) };
  return { secret: v };
}

// ---------------------------------------------------------------------------------------------

interface Cfg {
  fact: DeployFact;
  /** Link keys: `attr:environment_vars`, `var:ENV_VARS`. */
  keys: Set<string>;
  /** The environment key of an env-keyed dict (`staging`). */
  envName?: string;
}

interface EnvFlagUse {
  flag: string;
  wordIndex: number;
  node: Node;
}

type EnvSource =
  | { kind: 'attr'; key: string; index?: string }
  | { kind: 'var'; name: string; index?: string }
  | { kind: 'dict'; dict: Node };

const Q_STRINGS = `((string) @s (#match? @s "gcloud|^[\\"']run[\\"']$"))`;
const Q_ENV_KW = `(keyword_argument name: (identifier) @k value: (_) @v)`;
const Q_ENV_PAIR = `(pair key: (string) @k value: (_) @v)`;
const Q_DICT_ASSIGN = `(assignment left: (_) @n right: (dictionary) @d (#match? @n "[Ee][Nn][Vv]"))`;
const Q_CLASS_FIELDS = `(class_definition name: (identifier) @c body: (block (expression_statement (assignment left: (identifier) @f type: (_)))))`;
const Q_CALLS = `(call function: [(identifier) (attribute)] @f arguments: (argument_list) @a)`;

class PythonDeploy {
  private readonly configs: Cfg[] = [];
  private readonly configNodes = new Set<number>();
  private readonly commandFacts: DeployFact[] = [];
  private readonly scope: Scope;

  constructor(
    private readonly file: string,
    private readonly root: Node,
    private readonly text: string,
    private readonly facts: FileFacts,
    private readonly envNames: EnvironmentNames,
  ) {
    this.scope = new Scope(root, text);
  }

  run(): void {
    const t = this.text;
    const deployish = t.includes('gcloud') || t.includes('deploy') || t.includes('Deploy') || t.includes('DEPLOY') ||
      t.includes('Cloud Run') || t.includes('cloud run') || t.includes('run_v2');
    if (!deployish) return;
    this.findConfigs();
    this.findEnvKeyed();
    if (t.includes('gcloud')) this.findCommands();
    const all = [...this.configs.map((c) => c.fact), ...this.commandFacts];
    if (all.length === 0) return;
    const fileHints = this.fileHints();
    // A dict keyed by environment says more about its entries than the script's defaults do.
    const keyed = new Set(this.configs.filter((c) => c.envName !== undefined).map((c) => c.fact));
    all.sort((a, b) => a.span.start - b.span.start);
    for (const f of all) {
      if (!keyed.has(f)) for (const h of fileHints) addHint(f, h);
      this.facts.deploys.push(f);
    }
  }

  // ---- environment hints -------------------------------------------------------------------

  private fileHints(): Hint[] {
    const hints: Hint[] = [];
    const ap = this.scope.argparse();
    for (const dest of ['environment', 'env', 'target_env', 'deploy_env']) {
      const a = ap.get(dest);
      const v = a && this.scope.resolveValue(a.def);
      if (v) hints.push({ value: v.value, span: v.span, evidence: `--${dest.replace(/_/g, '-')} default "${v.value}"` });
    }
    const consts = ENVIRONMENT_VARIABLES;
    const mod = this.scope.assignments(undefined);
    for (const name of consts) {
      for (const a of mod.get(name) ?? []) {
        const rhs = a.childForFieldName('right');
        const s = rhs && staticString(rhs, this.text);
        if (s) hints.push({ value: s.value, span: s.span, evidence: `${name} = "${s.value}"` });
      }
    }
    for (const cls of this.root.descendantsOfType('class_definition')) {
      for (const name of consts) {
        const c = this.scope.classConstant(cls, name);
        const s = c && staticString(c, this.text);
        if (s) hints.push({ value: s.value, span: s.span, evidence: `${name} = "${s.value}"` });
      }
      const init = cls.descendantsOfType('function_definition').find((f) => f.childForFieldName('name')?.text === '__init__');
      for (const name of ['environment', 'env']) {
        const p = init && this.scope.param(init, name);
        const s = p?.def && staticString(p.def, this.text);
        if (s) hints.push({ value: s.value, span: s.span, evidence: `${name} parameter default "${s.value}"` });
      }
    }
    return hints;
  }

  // ---- (A) service configs -----------------------------------------------------------------

  private findConfigs(): void {
    const candidates: { container: Node; owner: Node }[] = [];
    for (const m of query('python', Q_ENV_KW).matches(this.root)) {
      const k = m.captures.find((c) => c.name === 'k')?.node;
      if (!k || !(ENV_KEYS.has(k.text) || SECRET_KEYS.has(k.text))) continue;
      const args = k.parent?.parent;
      if (args?.type === 'argument_list' && args.parent?.type === 'call') candidates.push({ container: args, owner: args.parent });
    }
    for (const m of query('python', Q_ENV_PAIR).matches(this.root)) {
      const k = m.captures.find((c) => c.name === 'k')?.node;
      const name = k && keyName(k, this.text);
      if (!k || !name || !(ENV_KEYS.has(name) || SECRET_KEYS.has(name))) continue;
      const dict = k.parent?.parent;
      if (dict?.type === 'dictionary') candidates.push({ container: dict, owner: dict });
    }
    for (const c of this.positionalConfigs()) candidates.push(c);
    for (const c of candidates) {
      if (this.configNodes.has(c.owner.id)) continue;
      this.configNodes.add(c.owner.id);
      this.processConfig(c.container, c.owner);
    }
  }

  /** `ServiceConfig("backend", "netra_backend", 8000, {...})` for a dataclass defined in the file. */
  private positionalConfigs(): { container: Node; owner: Node; fields?: string[] }[] {
    const classes = new Map<string, string[]>();
    for (const m of query('python', Q_CLASS_FIELDS).matches(this.root)) {
      const c = m.captures.find((x) => x.name === 'c')?.node;
      const f = m.captures.find((x) => x.name === 'f')?.node;
      if (!c || !f) continue;
      const list = classes.get(c.text) ?? [];
      list.push(f.text);
      classes.set(c.text, list);
    }
    const withEnv = [...classes].filter(([, fs]) => fs.some((f) => ENV_KEYS.has(f) || SECRET_KEYS.has(f)));
    this.positional = new Map(withEnv);
    if (withEnv.length === 0) return [];
    const out: { container: Node; owner: Node }[] = [];
    for (const m of query('python', Q_CALLS).matches(this.root)) {
      const f = m.captures.find((x) => x.name === 'f')?.node;
      const a = m.captures.find((x) => x.name === 'a')?.node;
      if (!f || !a || !a.parent) continue;
      const name = f.type === 'attribute' ? f.childForFieldName('attribute')?.text : f.text;
      if (!name || !this.positional.has(name)) continue;
      if (named(a).some((x) => x.type !== 'keyword_argument' && x.type !== 'list_splat' && x.type !== 'dictionary_splat')) {
        out.push({ container: a, owner: a.parent });
      }
    }
    return out;
  }

  private positional = new Map<string, string[]>();

  private configFields(container: Node, owner: Node): Map<string, { key?: Node; value: Node }> {
    const fields = new Map<string, { key?: Node; value: Node }>();
    if (container.type === 'argument_list') {
      const fn = owner.childForFieldName('function');
      const cname = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      const order = (cname && this.positional.get(cname)) || [];
      let i = 0;
      for (const a of named(container)) {
        if (a.type === 'keyword_argument') {
          const k = a.childForFieldName('name');
          const v = a.childForFieldName('value');
          if (k && v) fields.set(k.text, { key: k, value: v });
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
        const name = keyName(k, this.text);
        if (k && v && name !== undefined && !fields.has(name)) fields.set(name, { key: k, value: v });
      }
    }
    return fields;
  }

  private processConfig(container: Node, owner: Node): void {
    const fields = this.configFields(container, owner);
    // The outer key when the config is a value of `SERVICES = {"backend": {...}}`.
    let outerKey: Node | undefined;
    let outerVar: string | undefined;
    if (owner.type === 'dictionary' && owner.parent?.type === 'pair' && owner.parent.childForFieldName('value')?.id === owner.id) {
      const k = owner.parent.childForFieldName('key');
      if (k && staticString(k, this.text)) outerKey = k;
      const outer = owner.parent.parent;
      if (outer?.parent?.type === 'assignment') outerVar = outer.parent.childForFieldName('left')?.text;
    }
    let evidence = outerKey !== undefined;
    for (const k of fields.keys()) if (EVIDENCE_KEYS.has(k)) evidence = true;
    if (!evidence && owner.type === 'call') {
      const fn = owner.childForFieldName('function');
      const cname = (fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text) ?? '';
      if (this.positional.has(cname) || /(Config|Service|Spec|Deployment)$/.test(cname)) evidence = true;
    }
    if (!evidence) return;

    const hints: Hint[] = [];
    const outerName = outerKey ? staticString(outerKey, this.text) : undefined;
    let service: Resolved | undefined;
    for (const k of NAME_KEYS) {
      const f = fields.get(k);
      if (f && f.value.type !== 'dictionary' && f.value.type !== 'list') { service = this.scope.resolved(f.value); break; }
    }
    if (outerName && this.envNames.isToken(outerName.value)) {
      hints.push({ value: outerName.value, span: outerName.span, evidence: `key "${outerName.value}" of ${outerVar ?? 'the services dict'}` });
    } else if (!service && outerName) {
      service = { value: outerName.value, text: outerName.value, span: outerName.span };
    }
    const pick = (keys: string[]): Resolved | undefined => {
      for (const k of keys) {
        const f = fields.get(k);
        if (f && f.value.type !== 'dictionary' && f.value.type !== 'list') return this.scope.resolved(f.value);
      }
      return undefined;
    };
    const source = pick(SOURCE_KEYS);
    const image = pick(IMAGE_KEYS);
    const region = pick(['region']) ?? this.scope.scopeRef(owner, REGION_NAMES);
    const project = pick(['project', 'project_id']) ?? this.scope.scopeRef(owner, PROJECT_NAMES);

    const keys = new Set<string>();
    const opaque: string[] = [];
    /** Per-environment dicts (`"env": {"staging": {...}}`, `"secrets": {"staging": {...}}`), by field. */
    const splits: { key: string; entries: { name: string; keySpan: Span; pair: Node; block: EnvBlock; splats: Node[] }[] }[] = [];
    const blocks: EnvBlock[] = [];
    const splats: Node[] = [];
    for (const [k, f] of fields) {
      const isEnv = ENV_KEYS.has(k);
      const isSecret = SECRET_KEYS.has(k);
      if (!isEnv && !isSecret) continue;
      const kind = isEnv ? 'env' : 'secrets';
      const dict = this.scope.resolveDict(f.value);
      if (dict) {
        this.configNodes.add(dict.id);
        if (!splits.some((x) => ENV_KEYS.has(x.key) === isEnv)) {
          const split = this.envKeyed(dict, kind);
          if (split) { splits.push({ key: k, entries: split }); keys.add('attr:' + k); continue; }
        }
        const b = this.dictBlock(dict, kind);
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
      const d = this.scope.resolveDict(named(s)[0]);
      const b = d && this.dictBlock(d, 'env');
      if (b) blocks.push(b.block);
      else opaque.push(s.text);
    }
    if (blocks.length === 0 && splits.length === 0 && opaque.length === 0) return;

    const make = (extra: EnvBlock[], extraHints: Hint[], span: Span): DeployFact => {
      const fact: DeployFact = {
        platform: 'cloud-run',
        via: 'python',
        span,
        environmentHints: [],
        blocks: [...extra, ...blocks],
        envFiles: [],
      };
      if (service) fact.service = service;
      if (source) fact.source = source;
      if (image) fact.image = image;
      if (project) fact.project = project;
      if (region) fact.region = region;
      if (opaque.length) fact.opaque = opaque[0];
      for (const h of [...hints, ...extraHints]) addHint(fact, h);
      for (const b of fact.blocks) for (const h of this.entryHints(b)) addHint(fact, h);
      return fact;
    };
    if (splits.length) {
      // One fact per environment, holding that environment's env and secrets blocks.
      const envNames: string[] = [];
      for (const sp of splits) for (const e of sp.entries) if (!envNames.includes(e.name)) envNames.push(e.name);
      for (const envName of envNames) {
        const own = splits.flatMap((sp) => sp.entries.filter((e) => e.name === envName).map((e) => ({ key: sp.key, e })));
        const fact = make(own.map((o) => o.e.block), own.map((o) => ({ value: envName, span: o.e.keySpan, evidence: `key "${envName}" of ${o.key}` })), nodeSpan(owner));
        this.configs.push({ fact, keys: new Set(keys), envName });
      }
    } else {
      this.configs.push({ fact: make([], [], nodeSpan(owner)), keys });
    }
  }

  /** `{"staging": {...}, "production": {...}}`: one env block per environment. */
  private envKeyed(dict: Node, kind: 'env' | 'secrets' = 'env'): { name: string; keySpan: Span; pair: Node; block: EnvBlock; splats: Node[] }[] | undefined {
    const pairs = named(dict);
    if (pairs.length === 0) return undefined;
    const out: { name: string; keySpan: Span; pair: Node; block: EnvBlock; splats: Node[] }[] = [];
    for (const p of pairs) {
      if (p.type !== 'pair') return undefined;
      const k = p.childForFieldName('key');
      const s = k && staticString(k, this.text);
      if (!s || !this.envNames.isToken(s.value)) return undefined;
      const v = this.scope.resolveDict(p.childForFieldName('value'));
      const b = v && this.dictBlock(v, kind);
      if (!b) return undefined;
      out.push({ name: s.value, keySpan: s.span, pair: p, block: b.block, splats: b.splats });
    }
    return out;
  }

  private findEnvKeyed(): void {
    for (const m of query('python', Q_DICT_ASSIGN).matches(this.root)) {
      const n = m.captures.find((c) => c.name === 'n')?.node;
      const d = m.captures.find((c) => c.name === 'd')?.node;
      if (!n || !d || this.configNodes.has(d.id)) continue;
      const split = this.envKeyed(d);
      if (!split) continue;
      this.configNodes.add(d.id);
      const project = this.scope.scopeRef(d, PROJECT_NAMES);
      const region = this.scope.scopeRef(d, REGION_NAMES);
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
        for (const h of this.entryHints(e.block)) addHint(fact, h);
        const splat = e.splats.find((s) => !this.scope.resolveDict(named(s)[0]));
        if (splat) fact.opaque = splat.text;
        this.configs.push({ fact, keys: new Set(['var:' + n.text]), envName: e.name });
      }
    }
  }

  private entryHints(b: EnvBlock): Hint[] {
    const out: Hint[] = [];
    if (b.kind !== 'env') return out;
    for (const e of b.entries) {
      if (namesEnvironment(e.name) && e.value.kind === 'literal' && e.value.value) {
        out.push({ value: e.value.value, span: e.value.span, evidence: `${e.name}=${e.value.value} in env dict` });
      }
    }
    return out;
  }

  /** An env (or secrets) block from a dict whose keys are all env-like names. */
  private dictBlock(dict: Node, kind: 'env' | 'secrets'): { block: EnvBlock; splats: Node[] } | undefined {
    const entries: EnvWrite[] = [];
    const splats: Node[] = [];
    const elements = named(dict);
    let quote: string | undefined;
    for (const el of elements) {
      if (el.type === 'dictionary_splat') { splats.push(el); continue; }
      if (el.type !== 'pair') return undefined;
      const k = el.childForFieldName('key');
      const v = el.childForFieldName('value');
      const ks = k && staticString(k, this.text);
      if (!k || !v || !ks || !ENV_LIKE.test(ks.value)) return undefined;
      quote ??= ks.quote;
      entries.push({ name: ks.value, nameSpan: ks.span, span: nodeSpan(el), value: this.writeValue(v, kind) });
    }
    if (elements.length > 0 && entries.length === 0) return undefined;
    const block: EnvBlock = {
      kind,
      mode: 'set',
      span: nodeSpan(dict),
      entries,
      insert: containerInsertion(this.text, dict, elements, 'python-dict', quote ?? '"'),
    };
    return { block, splats };
  }

  private writeValue(v: Node, kind: 'env' | 'secrets'): WriteValue {
    const s = staticString(v, this.text);
    if (s) {
      if (kind === 'secrets') {
        const r = parseSecretRef(s.value);
        const w: WriteValue = { kind: 'secret', secret: r.secret, span: s.span };
        if (r.version) w.version = r.version;
        return w;
      }
      return { kind: 'literal', value: s.value, span: s.span };
    }
    if (kind === 'env' && (v.type === 'integer' || v.type === 'float' || v.type === 'true' || v.type === 'false')) {
      return { kind: 'literal', value: v.text, span: nodeSpan(v) };
    }
    return { kind: 'dynamic', text: v.text, span: nodeSpan(v) };
  }

  // ---- (B) gcloud commands -----------------------------------------------------------------

  private findCommands(): void {
    const seen = new Set<number>();
    for (const m of query('python', Q_STRINGS).matches(this.root)) {
      const s = m.captures[0]?.node;
      if (!s) continue;
      const parent = s.parent;
      if (parent?.type === 'list') {
        if (seen.has(parent.id)) continue;
        seen.add(parent.id);
        this.listCommand(parent);
        continue;
      }
      const node = parent?.type === 'concatenated_string' ? parent : s;
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      this.stringCommand(node);
    }
  }

  /** The elements a command list ends up with: the literal, `+` operands, later extend/append/+=. */
  private commandElements(list: Node): { elements: Node[]; opaque: string[] } {
    const elements: Node[] = [];
    const opaque: string[] = [];
    let top = list;
    while (top.parent && (top.parent.type === 'parenthesized_expression' ||
      (top.parent.type === 'binary_operator' && top.parent.childForFieldName('operator')?.type === '+'))) top = top.parent;
    const addList = (n: Node | null | undefined, what: string, depth = 0): void => {
      if (!n) return;
      if (n.type === 'list' || n.type === 'tuple') {
        for (const e of named(n)) {
          if (e.type === 'list_splat') {
            const inner = named(e)[0];
            const r = inner?.type === 'identifier' ? this.scope.binding(inner.text, inner) : undefined;
            if (r && (r.type === 'list' || r.type === 'tuple') && depth < 3) addList(r, e.text, depth + 1);
            else opaque.push(e.text);
          } else elements.push(e);
        }
      } else if (n.type === 'parenthesized_expression') addList(named(n)[0], what, depth + 1);
      else if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '+') {
        addList(n.childForFieldName('left'), what, depth + 1);
        addList(n.childForFieldName('right'), what, depth + 1);
      } else if (n.type === 'identifier' && depth < 3) {
        const r = this.scope.binding(n.text, n);
        if (r && r.id !== top.id && (r.type === 'list' || r.type === 'tuple' || r.type === 'binary_operator')) addList(r, what, depth + 1);
        else opaque.push(what);
      } else opaque.push(what);
    };
    addList(top, top.text);
    const assign = top.parent;
    if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.id !== top.id) return { elements, opaque };
    const target = assign.childForFieldName('left');
    if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) return { elements, opaque };
    const name = target.text;
    const fn = this.scope.enclosingFunction(assign);
    const scope = fn ?? this.root;
    const later = scope.descendantsOfType(['call', 'augmented_assignment', 'assignment']).sort((a, b) => a.startIndex - b.startIndex);
    for (const n of later) {
      if (n.startIndex <= assign.endIndex) continue;
      if ((this.scope.enclosingFunction(n)?.id ?? -1) !== (fn?.id ?? -1)) continue;
      if (n.type === 'call') {
        const f = n.childForFieldName('function');
        if (f?.type !== 'attribute' || f.childForFieldName('object')?.text !== name) continue;
        const method = f.childForFieldName('attribute')?.text;
        const args = named(n.childForFieldName('arguments') ?? n).filter((a) => a.type !== 'keyword_argument');
        if (method === 'extend' || method === 'append' || method === 'insert') {
          const arg = method === 'insert' ? args[1] : args[0];
          if (!arg) continue;
          if (method === 'extend') addList(arg, n.text);
          else elements.push(arg);
        }
      } else if (n.type === 'augmented_assignment') {
        if (n.childForFieldName('left')?.text === name && n.childForFieldName('operator')?.type === '+=') addList(n.childForFieldName('right'), n.text);
      } else if (n.childForFieldName('left')?.text === name) {
        const r = n.childForFieldName('right');
        if (r?.type === 'binary_operator' && r.childForFieldName('left')?.text === name) addList(r.childForFieldName('right'), n.text);
        else break; // reassigned: a new command from here on
      }
    }
    return { elements, opaque };
  }


  private listCommand(list: Node): void {
    const { elements, opaque } = this.commandElements(list);
    const words = elements.map((e) => wordOf(e, this.text));
    const start = words.findIndex((w) => isGcloudWord(w));
    if (start < 0) return;
    const fact = interpretGcloud(words, start, { via: 'python' });
    if (!fact) return;
    const quote = elements.map((e) => strInfo(e)?.quote).find((q) => q) ?? '"';
    const listEls = named(list);
    const newEnv = containerInsertion(this.text, list, listEls, 'gcloud-arg-env', quote);
    this.finishCommand(fact, words, elements, opaque, newEnv, { ...newEnv, format: 'gcloud-arg-secret' });
  }

  private stringCommand(node: Node): void {
    const st = streamOf(node, this.text);
    if (!st || !/(^\s*|[;&|]\s*)gcloud\s/.test(st.value)) return;
    if (node.parent?.type === 'expression_statement') return; // docstring
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'call') {
        const fn = p.childForFieldName('function')?.text ?? '';
        if (/(^|\.)(print|echo|write|info|debug|warning|warn|error|exception|critical|log|fail|secho|add_argument|ArgumentParser)$/i.test(fn)) return;
        break;
      }
      if (p.type.endsWith('statement') || p.type === 'assignment' || p.type === 'block') break;
    }
    for (const cmd of shellSplit(st)) {
      const start = cmd.findIndex((w) => w.value === 'gcloud' || w.value.endsWith('/gcloud'));
      if (start < 0) continue;
      const fact = interpretGcloud(cmd, start, { via: 'python' });
      if (!fact) continue;
      const last = cmd[cmd.length - 1];
      const info = node.type === 'string' ? strInfo(node) : undefined;
      const newEnv: Insertion | undefined = last.offsets && !last.dynamic
        ? { offset: last.offsets[last.value.length], before: ' ', after: '', format: 'gcloud-flag-env', quote: info?.quote }
        : undefined;
      const nodes = cmd.map(() => node);
      this.finishCommand(fact, cmd, nodes, [], newEnv, newEnv && { ...newEnv, format: 'gcloud-flag-secret' });
    }
  }

  /** Env-flag values, linking to configs, value enrichment, hints; then push or merge. */
  private finishCommand(
    fact: DeployFact, words: Word[], nodes: Node[], opaque: string[], newEnv: Insertion | undefined, newSecret: Insertion | undefined,
  ): void {
    // f-string parts inside a static-looking list value (`A={x}`) are dynamic.
    for (const b of fact.blocks) {
      for (const e of b.entries) {
        if (e.value.kind !== 'literal' || !e.value.value.includes('{')) continue;
        const w = words.find((x) => x.span.start <= e.span.start && e.span.end <= x.span.end);
        if (w?.dynamic) e.value = { kind: 'dynamic', text: e.value.value, span: e.value.span };
      }
    }
    // Locate each env flag's value node.
    const uses: EnvFlagUse[] = [];
    for (let i = 0; i < words.length; i++) {
      const v = words[i].value;
      const eq = v.indexOf('=');
      const flag = eq >= 0 ? v.slice(0, eq) : v;
      if (!ENV_FLAG_RE.test(flag)) continue;
      if (eq >= 0) uses.push({ flag, wordIndex: i, node: nodes[i] });
      else if (i + 1 < words.length) uses.push({ flag, wordIndex: i + 1, node: nodes[i + 1] });
    }
    const linked = new Map<EnvFlagUse, Cfg[]>();
    const blockOf = (u: EnvFlagUse): EnvBlock | undefined => {
      const w = words[u.wordIndex];
      return fact.blocks.find((b) => w.span.start <= b.span.start && b.span.end <= w.span.end);
    };
    for (const u of uses) {
      if (!words[u.wordIndex].dynamic) continue;
      const expr = this.flagExpression(u, words[u.wordIndex]);
      const src = expr && this.envSource(expr);
      if (!src) continue;
      const kind = u.flag.endsWith('secrets') ? 'secrets' : 'env';
      const mode = u.flag.startsWith('--update') ? 'update' : 'set';
      if (src.kind === 'dict') {
        const b = this.dictBlock(src.dict, kind);
        const old = blockOf(u);
        if (!b) continue;
        b.block.mode = mode;
        if (old) fact.blocks[fact.blocks.indexOf(old)] = b.block;
        else fact.blocks.push(b.block);
        for (const s of b.splats) opaque.push(s.text);
        for (const h of this.entryHints(b.block)) addHint(fact, h);
        continue;
      }
      const key = src.kind === 'attr' ? 'attr:' + src.key : 'var:' + src.name;
      const cfgs = this.configs.filter((c) => c.keys.has(key) &&
        (src.index === undefined || c.envName === undefined || c.envName === src.index));
      if (cfgs.length) linked.set(u, cfgs);
    }
    // Values written as `self.project_id`, `PROJECT_ID`, `args.region`, `f"{region}"`.
    fact.project = this.enrich(fact.project, words, nodes);
    fact.region = this.enrich(fact.region, words, nodes);
    for (const h of this.suffixHints(fact.service, words, nodes)) addHint(fact, h);
    for (const b of fact.blocks) {
      for (const e of b.entries) {
        if (b.kind === 'env' && namesEnvironment(e.name) && e.value.kind === 'literal' && e.value.value) {
          addHint(fact, { value: e.value.value, span: e.value.span, evidence: `${e.name}=${e.value.value} in ${b.mode === 'update' ? '--update-env-vars' : '--set-env-vars'}` });
        }
      }
    }
    const linkedBlocks = new Set<EnvBlock>();
    for (const u of linked.keys()) {
      const b = blockOf(u);
      if (b) linkedBlocks.add(b);
    }
    const unreadable = (b: EnvBlock): boolean => b.entries.length === 0 && !b.insert;
    if (linked.size > 0) {
      const others = fact.blocks.filter((b) => !linkedBlocks.has(b));
      const otherOpaque = others.some(unreadable) ? fact.opaque : undefined;
      const done = new Set<Cfg>();
      for (const [u, cfgs] of linked) {
        for (const c of cfgs) {
          const kind = u.flag.endsWith('secrets') ? 'secrets' : 'env';
          if (u.flag.startsWith('--update')) for (const b of c.fact.blocks) if (b.kind === kind) b.mode = 'update';
          if (done.has(c)) continue;
          done.add(c);
          const f = c.fact;
          f.platform = fact.platform;
          f.service ??= fact.service;
          f.project ??= fact.project;
          f.region ??= fact.region;
          if (!f.source && fact.source?.value !== undefined) f.source = fact.source;
          if (!f.image && fact.image?.value !== undefined) f.image = fact.image;
          for (const h of fact.environmentHints) addHint(f, h);
          for (const b of others) if (!f.blocks.includes(b)) f.blocks.push(b);
          f.envFiles.push(...fact.envFiles);
          f.opaque ??= otherOpaque ?? opaque[0];
        }
      }
      return;
    }
    if (fact.opaque && !fact.blocks.some(unreadable)) fact.opaque = undefined;
    if (!fact.opaque && opaque.length) fact.opaque = opaque[0];
    if (!fact.blocks.some((b) => b.kind === 'env') && newEnv) fact.newEnvBlock = newEnv;
    if (!fact.blocks.some((b) => b.kind === 'secrets') && newSecret) fact.newSecretBlock = newSecret;
    this.commandFacts.push(fact);
  }

  /** The Python expression an env flag's value comes from (`env_str`, the `{...}` of an f-string). */
  private flagExpression(u: EnvFlagUse, w: Word): Node | undefined {
    const n = u.node;
    if (n.type === 'string') {
      const info = strInfo(n);
      const eq = w.value.indexOf('=');
      const rest = w.value.startsWith('--') && eq >= 0 ? w.value.slice(eq + 1) : w.value;
      const it = info?.interps.find((x) => x.text === rest && w.span.start <= x.startIndex && x.endIndex <= w.span.end);
      if (!it) return undefined;
      return it.childForFieldName('expression') ?? named(it)[0];
    }
    if (n.type === 'binary_operator') return n.childForFieldName('right') ?? undefined;
    if (n.type === 'identifier' || n.type === 'call' || n.type === 'attribute' || n.type === 'subscript') return n;
    return undefined;
  }

  /** Where a joined `K=V,...` string comes from: a config's env dict, an env-keyed dict, a dict literal. */
  private envSource(n: Node | null | undefined, depth = 0): EnvSource | undefined {
    if (!n || depth > 4) return undefined;
    if (n.type === 'identifier') return this.envSource(this.scope.binding(n.text, n), depth + 1);
    if (n.type === 'parenthesized_expression') return this.envSource(named(n)[0], depth + 1);
    if (n.type !== 'call') return undefined;
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'join') return undefined;
    const args = n.childForFieldName('arguments');
    if (!args) return undefined;
    const gen = args.type === 'generator_expression' ? args : named(args)[0];
    if (!gen || (gen.type !== 'generator_expression' && gen.type !== 'list_comprehension')) return undefined;
    const clause = named(gen).find((c) => c.type === 'for_in_clause');
    let right = clause?.childForFieldName('right');
    while (right?.type === 'call' && /^(sorted|list)$/.test(right.childForFieldName('function')?.text ?? '')) {
      right = named(right.childForFieldName('arguments') ?? right)[0];
    }
    if (right?.type !== 'call') return undefined;
    const rf = right.childForFieldName('function');
    if (rf?.type !== 'attribute' || rf.childForFieldName('attribute')?.text !== 'items') return undefined;
    return this.dictSource(rf.childForFieldName('object'), 0);
  }

  private dictSource(x: Node | null | undefined, depth: number): EnvSource | undefined {
    if (!x || depth > 4) return undefined;
    const varKey = (t: string): boolean => this.configs.some((c) => c.keys.has('var:' + t));
    if (varKey(x.text)) return { kind: 'var', name: x.text };
    if (x.type === 'subscript') {
      const v = x.childForFieldName('value');
      const idx = x.childForFieldName('subscript');
      const idxs = idx ? staticString(idx, this.text)?.value : undefined;
      if (v && varKey(v.text)) return { kind: 'var', name: v.text, index: idxs };
      if (idxs && (ENV_KEYS.has(idxs) || SECRET_KEYS.has(idxs))) return { kind: 'attr', key: idxs };
      // `spec["env"][env]`, `cfg["secrets"]["staging"]`: a config's per-environment dict.
      const inner = v && (v.type === 'subscript' || v.type === 'attribute' || v.type === 'call') ? this.dictSource(v, depth + 1) : undefined;
      if (inner?.kind === 'attr' && inner.index === undefined) return { kind: 'attr', key: inner.key, index: idxs };
      return undefined;
    }
    if (x.type === 'attribute') {
      const attr = x.childForFieldName('attribute')?.text ?? '';
      const d = this.scope.resolveDict(x);
      if (d) return { kind: 'dict', dict: d };
      if (ENV_KEYS.has(attr) || SECRET_KEYS.has(attr)) return { kind: 'attr', key: attr };
      return undefined;
    }
    if (x.type === 'call' && x.childForFieldName('function')?.type === 'attribute' &&
      x.childForFieldName('function')?.childForFieldName('attribute')?.text === 'get') {
      const k = named(x.childForFieldName('arguments') ?? x)[0];
      const ks = k && staticString(k, this.text)?.value;
      if (ks && (ENV_KEYS.has(ks) || SECRET_KEYS.has(ks))) return { kind: 'attr', key: ks };
      return undefined;
    }
    if (x.type === 'identifier') {
      const b = this.scope.binding(x.text, x);
      if (!b) return undefined;
      if (b.type === 'dictionary') return { kind: 'dict', dict: b };
      return this.dictSource(b, depth + 1);
    }
    return undefined;
  }

  /** `self.project_id` / `PROJECT_ID` / `f"{region}"` as a command value: text kept, value and span from its literal. */
  private enrich(r: Resolved | undefined, words: Word[], nodes: Node[]): Resolved | undefined {
    if (!r || r.value !== undefined) return r;
    const rs = r.span;
    const rt = r.text;
    const i = words.findIndex((w) => w.span.start <= rs.start && rs.end <= w.span.end);
    if (i < 0) return r;
    let expr: Node | undefined = nodes[i];
    if (expr.type === 'string') {
      const it = strInfo(expr)?.interps.find((x) => x.text === rt && rs.start <= x.startIndex && x.endIndex <= rs.end);
      expr = it ? (it.childForFieldName('expression') ?? named(it)[0]) : undefined;
      if (expr) r = { ...r, text: expr.text };
    } else if (expr.type !== 'identifier' && expr.type !== 'attribute' && expr.type !== 'call') expr = undefined;
    const v = expr && this.scope.resolveValue(expr);
    return v ? { ...r, value: v.value, span: v.span } : r;
  }

  /** `f"{service.name}-staging"`: the literal part names an environment. */
  private suffixHints(service: Resolved | undefined, words: Word[], nodes: Node[]): Hint[] {
    if (!service || service.value !== undefined) return [];
    const i = words.findIndex((w) => w.span.start <= service.span.start && service.span.end <= w.span.end);
    const n = nodes[i];
    const w = words[i];
    if (i < 0 || n.type !== 'string') return [];
    const info = strInfo(n);
    if (!info || info.interps.length === 0) return [];
    const out: Hint[] = [];
    const re = /[A-Za-z]+/g;
    let pos = info.contentStart;
    const segments: [number, number][] = [];
    for (const it of info.interps) { segments.push([pos, it.startIndex]); pos = it.endIndex; }
    segments.push([pos, info.contentEnd]);
    for (const [a0, b0] of segments) {
      const a = Math.max(a0, w.span.start);
      const b = Math.min(b0, w.span.end);
      if (b <= a) continue;
      const seg = this.text.slice(a, b);
      for (let m = re.exec(seg); m; m = re.exec(seg)) {
        if (this.envNames.isToken(m[0])) {
          out.push({ value: m[0], span: { start: a + m.index, end: a + m.index + m[0].length }, evidence: `service name ${this.text.slice(w.span.start, w.span.end)}` });
        }
      }
    }
    return out;
  }
}

function addHint(f: DeployFact, h: Hint): void {
  if (f.environmentHints.some((x) => x.value === h.value && x.span.start === h.span.start && x.span.end === h.span.end)) return;
  f.environmentHints.push(h);
}

