/**
 * docker compose files: one DeployFact per service with its `environment` (map or `KEY=value`
 * list; a bare/null entry is inherited from the shell), `env_file` paths, `build` context and
 * `image`. `${VAR}` / `$VAR` interpolation makes a value dynamic (`$$` is a literal `$`).
 */
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import type { DeployFact, EnvBlock, EnvWrite, Resolved, Span, WriteValue } from '../core/facts';
import { addHintsFromEntries, asMap, asSeq, columnOf, dbUrlsIn, dbUrlsInPart, getNode, hasDollarRef, isScalar, lineEndAfter, mapGet, mapPairs, nodeSpan, pairSpan, scalarText, spaces, subSpan, withDash, type YamlCtx } from './yaml-util';

export function isCompose(text: string, root: unknown): boolean {
  const services = asMap(getNode(root, 'services'));
  if (!services || services.items.length === 0) return false;
  const pairs = mapPairs(services);
  // Services are maps (a scalar service means this is some other config), and at least one has
  // a container-ish key with a plausible shape. Other shapes are tolerated: a syntax error can
  // leave a half-read service behind.
  if (pairs.some((p) => isScalar(p.value) && p.value.value !== null)) return false;
  return pairs.some((p) => {
    const image = getNode(p.value, 'image');
    return (image !== undefined && scalarText(text, image) !== undefined) || !!mapGet(p.value, 'build') ||
      !!asMap(getNode(p.value, 'environment')) || !!asSeq(getNode(p.value, 'environment')) || !!mapGet(p.value, 'env_file');
  }) && pairs.every((p) => {
    const image = getNode(p.value, 'image');
    return image === undefined || image === null || scalarText(text, image) !== undefined;
  });
}

function valueOf(v: string, span: Span): WriteValue {
  return hasDollarRef(v) ? { kind: 'dynamic', text: v, span } : { kind: 'literal', value: v.replace(/\$\$/g, '$'), span };
}

function resolvedOf(ctx: YamlCtx, node: unknown): Resolved | undefined {
  const st = scalarText(ctx.text, node);
  if (!st || st.isNull) return undefined;
  return { value: hasDollarRef(st.value) ? undefined : st.value, text: st.value, span: st.span };
}

function mapEnvironment(ctx: YamlCtx, env: YAMLMap): EnvBlock {
  const { text } = ctx;
  const entries: EnvWrite[] = [];
  let quote: string | undefined;
  for (const p of mapPairs(env)) {
    const nameSt = scalarText(text, p.key);
    if (!nameSt) continue;
    const st = scalarText(text, p.value);
    const span = pairSpan(text, p.pair);
    if (!st || st.isNull) {
      entries.push({ name: nameSt.value, nameSpan: nameSt.span, span, value: { kind: 'inherited' } });
      continue;
    }
    quote ??= st.quote;
    dbUrlsIn(ctx, st, nameSt.value);
    entries.push({ name: nameSt.value, nameSpan: nameSt.span, span, value: valueOf(st.value, st.span) });
  }
  const block: EnvBlock = { kind: 'env', mode: 'set', span: nodeSpan(text, env), entries };
  const last = env.items[env.items.length - 1];
  const lastNode = last ? ((last.value as Node | null) ?? (last.key as Node)) : undefined;
  const firstKey = env.items[0]?.key as Node | undefined;
  if (!env.flow && lastNode?.range && firstKey?.range) {
    block.insert = { offset: lineEndAfter(text, lastNode), before: '\n' + spaces(columnOf(text, firstKey.range[0])), after: '', format: 'yaml-map', quote };
  }
  return block;
}

function listEnvironment(ctx: YamlCtx, env: YAMLSeq): EnvBlock {
  const { text } = ctx;
  const entries: EnvWrite[] = [];
  let quote: string | undefined;
  for (const item of env.items) {
    const st = scalarText(text, item);
    if (!st || st.isNull || st.value === '') continue;
    quote ??= st.quote;
    const eq = st.value.indexOf('=');
    const span = withDash(text, st.raw);
    if (eq < 0) {
      entries.push({ name: st.value.trim(), nameSpan: subSpan(st, 0, st.value.trimEnd().length), span, value: { kind: 'inherited' } });
      continue;
    }
    const name = st.value.slice(0, eq);
    const v = st.value.slice(eq + 1);
    dbUrlsInPart(ctx, st, eq + 1, st.value.length, name);
    entries.push({ name, nameSpan: subSpan(st, 0, eq), span, value: valueOf(v, subSpan(st, eq + 1, st.value.length)) });
  }
  const block: EnvBlock = { kind: 'env', mode: 'set', span: nodeSpan(text, env), entries };
  const last = env.items[env.items.length - 1] as Node | undefined;
  if (!env.flow && last?.range && env.range && text[env.range[0]] === '-') {
    block.insert = { offset: lineEndAfter(text, last), before: '\n' + spaces(columnOf(text, env.range[0])), after: '', format: 'yaml-list-kv', quote };
  }
  return block;
}

export function extractCompose(ctx: YamlCtx, root: YAMLMap): void {
  const { text } = ctx;
  for (const svc of mapPairs(getNode(root, 'services'))) {
    const m = asMap(svc.value);
    if (!m) continue;
    const nameSt = scalarText(text, svc.key);
    const fact: DeployFact = {
      platform: 'compose',
      via: 'compose',
      span: pairSpan(text, svc.pair),
      service: nameSt ? { value: nameSt.value, text: nameSt.value, span: nameSt.span } : undefined,
      environmentHints: [],
      blocks: [],
      envFiles: [],
    };
    fact.image = resolvedOf(ctx, getNode(m, 'image'));
    const build = getNode(m, 'build');
    fact.source = asMap(build) ? resolvedOf(ctx, getNode(build, 'context')) : resolvedOf(ctx, build);
    if (asMap(build)) fact.dockerfile = resolvedOf(ctx, getNode(build, 'dockerfile'));
    const envFound = mapGet(m, 'environment');
    const envMap = asMap(envFound?.value);
    const envSeq = asSeq(envFound?.value);
    if (envMap) fact.blocks.push({ ...mapEnvironment(ctx, envMap), keySpan: nodeSpan(text, envFound!.key as Node) });
    else if (envSeq) fact.blocks.push({ ...listEnvironment(ctx, envSeq), keySpan: nodeSpan(text, envFound!.key as Node) });
    else if (!envFound && !m.flow && m.items.length > 0) {
      const firstKey = m.items[0].key as Node;
      const last = m.items[m.items.length - 1];
      const lastNode = (last.value as Node | null) ?? (last.key as Node);
      if (firstKey?.range && lastNode?.range) {
        const si = spaces(columnOf(text, firstKey.range[0]));
        fact.newEnvBlock = { offset: lineEndAfter(text, lastNode), before: `\n${si}environment:\n${si}  `, after: '', format: 'yaml-map' };
      }
    }
    const envFile = getNode(m, 'env_file');
    const files = asSeq(envFile) ? (envFile as YAMLSeq).items : envFile ? [envFile] : [];
    for (const f of files) {
      const r = resolvedOf(ctx, asMap(f) ? getNode(f, 'path') : f);
      if (r) fact.envFiles.push(r);
    }
    addHintsFromEntries(fact);
    ctx.facts.deploys.push(fact);
  }
}
