/**
 * A shared gcloud command builder: one function builds `gcloud run deploy` for every service config
 * (`def deploy(service): cmd = ["gcloud", "run", "deploy", service.cloud_run_name, ...]`). It is
 * recognised by what it reads from the config — its env flag joins the config's env dict
 * (links.ts), or its service name is a config field — and each config then gets the command as it
 * runs for that config: the flags of the branches it takes (`if service.name == "auth":`), its own
 * deployed name, and a reason to be partial for a branch nobody can decide.
 */
import type { Resolved } from '../../core/facts';
import type { Word } from '../gcloud-args';
import type { ConfigFact, DeployContext, Node } from './context';
import { guardOf, judge, type Subject } from './guards';
import { configsOf, flagSources } from './links';
import { named, staticString, strInfo } from './strings';

export interface Builder {
  /** The parameter or loop variable the command reads its config through (`service`). */
  holder?: string;
  configs: ConfigFact[];
  /** The config field the deployed name is read from, when the name word is that field alone. */
  nameField?: string;
}

export function subjectFor(c: ConfigFact, holder: string | undefined): Subject {
  return { holder, field: (name) => c.fields.get(name) };
}

/** `service.cloud_run_name`, `svc["run_name"]`, `f"{service.name}-staging"`, `{service.run_name}` inside a
 * command string: the holder and field a name word reads, and whether the word is that field alone. */
function nameRead(cx: DeployContext, n: Node, w: Word): { holder: string; field: string; exact: boolean } | undefined {
  const read = (x: Node | null | undefined): { holder: string; field: string } | undefined => {
    if (!x) return undefined;
    if (x.type === 'attribute') {
      const o = x.childForFieldName('object');
      const f = x.childForFieldName('attribute')?.text;
      return o?.type === 'identifier' && o.text !== 'self' && o.text !== 'cls' && f ? { holder: o.text, field: f } : undefined;
    }
    if (x.type === 'subscript') {
      const o = x.childForFieldName('value');
      const k = x.childForFieldName('subscript');
      const f = k && staticString(k, cx.text)?.value;
      return o?.type === 'identifier' && o.text !== 'self' && f ? { holder: o.text, field: f } : undefined;
    }
    return undefined;
  };
  const exact = read(n);
  if (exact) return { ...exact, exact: true };
  const info = n.type === 'string' ? strInfo(n) : undefined;
  const inWord = info ? info.interps.filter((x) => w.span.start <= x.startIndex && x.endIndex <= w.span.end) : [];
  if (inWord.length !== 1) return undefined;
  const it = inWord[0];
  const inner = read(it.childForFieldName('expression') ?? named(it)[0]);
  return inner ? { ...inner, exact: w.value === it.text } : undefined;
}

/** Field names any settings object has: reading one does not make the holder a service config. */
const GENERIC_FIELDS = new Set(['name', 'service', 'service_name', 'id', 'type', 'kind']);

/**
 * Whether the holder is evidently one of the configs: the name field is distinctive
 * (`cloud_run_name`), or the function reads another distinctive field the configs have
 * (`service.directory`, `svc["port"]`). `job.name` in a function that also reads `job.schedule`
 * is some other object.
 */
function readsConfigFields(cx: DeployContext, anchor: Node, holder: string, field: string): boolean {
  const has = (f: string): boolean => cx.configs.some((c) => c.fields.has(f));
  if (!GENERIC_FIELDS.has(field)) return true;
  const fn = cx.scope.enclosingFunction(anchor);
  if (!fn) return false;
  for (const n of fn.descendantsOfType(['attribute', 'subscript'])) {
    const obj = n.type === 'attribute' ? n.childForFieldName('object') : n.childForFieldName('value');
    if (obj?.text !== holder) continue;
    const f = n.type === 'attribute' ? n.childForFieldName('attribute')?.text : staticString(n.childForFieldName('subscript') ?? n, cx.text)?.value;
    if (f && !GENERIC_FIELDS.has(f) && has(f)) return true;
  }
  return false;
}

/**
 * The configs a command is built for, or undefined for a standalone command. A branch around the
 * command itself (`if service.kind == "job": cmd = [...]`) keeps it from the configs that skip it.
 */
export function findBuilder(cx: DeployContext, anchor: Node, service: Resolved | undefined, words: Word[], nodes: Node[]): Builder | undefined {
  const configs = new Set<ConfigFact>();
  let holder: string | undefined;
  for (const { src } of flagSources(cx, words, nodes)) {
    const cfgs = configsOf(cx, src);
    for (const c of cfgs) configs.add(c);
    if (cfgs.length && src.kind === 'attr') holder ??= src.holder;
  }
  let nameField: string | undefined;
  const i = service ? words.findIndex((w) => w.span.start <= service.span.start && service.span.end <= w.span.end) : -1;
  const name = i >= 0 ? nameRead(cx, nodes[i], words[i]) : undefined;
  if (name && (holder === undefined || holder === name.holder) && (configs.size > 0 || readsConfigFields(cx, anchor, name.holder, name.field))) {
    const withField = cx.configs.filter((c) => c.fields.has(name.field));
    if (withField.length) {
      holder = name.holder;
      for (const c of withField) configs.add(c);
      if (name.exact) nameField = name.field;
    }
  }
  if (configs.size === 0) return undefined;
  const fn = cx.scope.enclosingFunction(anchor);
  const own = guardOf(anchor, fn?.childForFieldName('body') ?? undefined);
  const kept = [...configs].filter((c) => judge(cx, own, subjectFor(c, holder)) !== 'no');
  return { holder, configs: kept, nameField };
}

/** A builder's branch that could not be decided for a config, in words: the flags it adds and its condition, never values. */
export function undecided(words: Word[], guardText: string): string {
  const flags = [...new Set(words.filter((w) => w.value.startsWith('--')).map((w) => w.value.split('=')[0]))];
  const cond = guardText.length > 80 ? guardText.slice(0, 77) + '...' : guardText;
  return `${flags.length ? flags.join(' ') : 'arguments'} added under \`${cond}\`, which could not be decided for this service`;
}
