/**
 * gcloud `--env-vars-file` YAML: a flat map of `KEY: value`. Recognised by file name
 * (`env.yaml`, `env-vars*.yaml`, `*.env.yaml`, `env/staging.yaml`) and shape (every key an
 * env-like name, every value a scalar), so Helm values and other configs are left alone. A file
 * of that shape under another name (`config/prod.yaml`) whose every key is an upper-case variable
 * name is read too, but marked: its entries count only for a deploy that names it.
 */
import type { YAMLMap } from 'yaml';
import type { EnvBlock, EnvWrite } from '../core/facts';
import { columnOf, dbUrlsIn, isScalar, lineEndAfter, mapPairs, nodeSpan, pairSpan, scalarText, spaces, type YamlCtx } from './yaml-util';

export function looksLikeEnvVarsFileName(file: string): boolean {
  const lower = file.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (!/\.ya?ml$/.test(base)) return false;
  const stem = base.replace(/\.ya?ml$/, '');
  if (stem === 'env' || stem === 'envs' || stem === 'env_vars' || stem.startsWith('env-vars') || stem.startsWith('env_vars')) return true;
  if (stem.endsWith('.env') || stem.endsWith('-env') || stem.endsWith('_env') || stem.startsWith('env.')) return true;
  const dir = lower.slice(0, lower.lastIndexOf('/') + 1);
  return /(^|\/)(env|envs|env-vars|env_vars)\/$/.test(dir);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const UPPER_NAME = /^[A-Z][A-Z0-9_]*$/;

/** `named`: an env-vars file by name and shape; `shape`: by shape alone (every key upper-case),
 * so it feeds only a deploy that references it; undefined: not an env-vars file. */
export function envVarsFileKind(file: string, root: unknown): 'named' | 'shape' | undefined {
  const pairs = mapPairs(root);
  if (pairs.length === 0 || (root as YAMLMap).flow) return undefined;
  if (pairs.length !== (root as YAMLMap).items.length) return undefined;
  if (!pairs.every((p) => ENV_NAME.test(p.keyText) && (p.value === null || isScalar(p.value)))) return undefined;
  if (looksLikeEnvVarsFileName(file)) return pairs.some((p) => UPPER_NAME.test(p.keyText)) ? 'named' : undefined;
  return pairs.every((p) => UPPER_NAME.test(p.keyText)) ? 'shape' : undefined;
}

/** A cheap test before parsing a YAML file whose name says nothing: it opens with an upper-case key. */
export function mayBeEnvVarsFile(text: string): boolean {
  for (const line of text.slice(0, 4096).split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t === '---') continue;
    const colon = t.indexOf(':');
    return colon > 0 && UPPER_NAME.test(t.slice(0, colon));
  }
  return false;
}

export function extractEnvVarsFile(ctx: YamlCtx, root: YAMLMap): void {
  const { text } = ctx;
  const entries: EnvWrite[] = [];
  let quote: string | undefined;
  for (const p of mapPairs(root)) {
    const nameSt = scalarText(text, p.key);
    const st = scalarText(text, p.value);
    if (!nameSt) continue;
    const span = pairSpan(text, p.pair);
    if (!st || st.isNull) {
      // gcloud reads a null as an empty string.
      const at = p.key.range?.[1] ?? span.end;
      entries.push({ name: nameSt.value, nameSpan: nameSt.span, span, value: { kind: 'literal', value: '', span: { start: at, end: at } } });
      continue;
    }
    quote ??= st.quote;
    dbUrlsIn(ctx, st, nameSt.value);
    entries.push({ name: nameSt.value, nameSpan: nameSt.span, span, value: { kind: 'literal', value: st.value, span: st.span } });
  }
  const block: EnvBlock = { kind: 'env', mode: 'file', span: nodeSpan(text, root), keySpan: entries[0] ? { ...entries[0].span } : { start: 0, end: 0 }, entries };
  const last = root.items[root.items.length - 1];
  const lastNode = last ? (last.value as { range?: [number, number, number] } | null) ?? (last.key as { range?: [number, number, number] }) : undefined;
  const firstKey = root.items[0]?.key as { range?: [number, number, number] } | undefined;
  if (lastNode?.range && firstKey?.range) {
    block.insert = { offset: lineEndAfter(text, lastNode), before: '\n' + spaces(columnOf(text, firstKey.range[0])), after: '', format: 'yaml-map', quote };
  }
  ctx.facts.envFile = block;
}
