/**
 * Interprets one image-build command line, given as words, into a BuildFact: `docker build`,
 * `docker buildx build`, `podman build`, `gcloud builds submit --tag`, kaniko's executor flags.
 * Shared by shell scripts, `run:` blocks, Cloud Build steps and Python argument lists, like
 * gcloud-args.ts; callers turn their syntax into `Word`s.
 */
import type { BuildConfigRun, BuildFact, DeployFact, Resolved } from '../core/facts';
import { isGcloudWord, parseGcloudList, readFlag, type Word } from './gcloud-args';

/** Flags of `docker build` / `buildx build` that take the next word as their value. */
const DOCKER_VALUE_FLAGS = new Set([
  '-t', '--tag', '-f', '--file', '--build-arg', '--target', '--platform', '--label', '--cache-from', '--cache-to',
  '--secret', '--ssh', '--network', '--progress', '--builder', '--iidfile', '--output', '-o', '--add-host',
  '--shm-size', '--ulimit', '--build-context', '--attest', '--metadata-file', '--annotation', '--memory', '-m',
]);

/** Flags of `gcloud builds submit` that take the next word as their value. */
const SUBMIT_VALUE_FLAGS = new Set([
  '--tag', '-t', '--config', '--substitutions', '--project', '--region', '--timeout', '--machine-type',
  '--gcs-source-staging-dir', '--gcs-log-dir', '--worker-pool', '--ignore-file', '--pack', '--service-account',
  '--default-buckets-behavior', '--disk-size', '--format',
]);

function resolved(w: Word, from = 0): Resolved {
  const value = w.value.slice(from);
  const span = w.offsets && w.value.length < w.offsets.length
    ? { start: w.offsets[from], end: w.offsets[w.value.length] }
    : w.span;
  return { value: w.dynamic ? undefined : value, text: value, span };
}

const isDockerWord = (w: Word | undefined): boolean =>
  !!w && /(^|\/)(docker|podman)$/.test(w.value);

/** Reads a build command starting at `words[start]`; undefined for any other command. */
export function interpretBuild(words: Word[], start: number, via: DeployFact['via']): BuildFact | undefined {
  const first = words[start];
  if (!first) return undefined;
  if (isDockerWord(first)) {
    let i = start + 1;
    if (words[i]?.value === 'buildx' || words[i]?.value === 'image') i++;
    if (words[i]?.value !== 'build') return undefined;
    return readFlags(words, i + 1, start, via, DOCKER_VALUE_FLAGS, { image: ['-t', '--tag'], dockerfile: ['-f', '--file'] });
  }
  if (isGcloudWord(first)) {
    const from = submitArgsStart(words, start);
    if (from === undefined) return undefined;
    const fact = readFlags(words, from, start, via, SUBMIT_VALUE_FLAGS, { image: ['--tag', '-t'], dockerfile: [] });
    // Without --tag the build runs a cloudbuild.yaml: that file's own steps say what is built.
    return fact.image ? fact : undefined;
  }
  if (/(^|\/)executor$/.test(first.value)) return readKaniko(words, start, via);
  return undefined;
}

/**
 * `gcloud builds submit` running a Cloud Build file (no `--tag`): which file, and the
 * substitutions passed. Undefined for any other command, and for a build of a Dockerfile.
 */
export function interpretBuildConfigRun(words: Word[], start: number): BuildConfigRun | undefined {
  const from = isGcloudWord(words[start]) ? submitArgsStart(words, start) : undefined;
  if (from === undefined) return undefined;
  const last = words[words.length - 1];
  let config: Resolved | undefined;
  let source: Resolved | undefined;
  const run: Omit<BuildConfigRun, 'config'> = { span: { start: words[start].span.start, end: last.span.end }, substitutions: [] };
  for (let j = from; j < words.length; j++) {
    const v = words[j].value;
    if (v === '&&' || v === ';' || v === '|') break;
    if (!v.startsWith('-')) {
      source ??= resolved(words[j]);
      continue;
    }
    const { flag, value: valueWord, from: valueFrom, last: next } = readFlag(words, j, SUBMIT_VALUE_FLAGS);
    j = next;
    if (flag === '--tag' || flag === '-t' || flag === '--pack') return undefined;
    if (!valueWord) continue;
    if (flag === '--config') config = resolved(valueWord, valueFrom);
    else if (flag === '--substitutions') readSubstitutions(valueWord, valueFrom, run);
  }
  const folder = source?.value && source.value !== '.' ? `${source.value.replace(/\/+$/, '')}/` : '';
  return { ...run, config: config ?? { value: source && source.value === undefined ? undefined : `${folder}cloudbuild.yaml`, text: 'cloudbuild.yaml', span: run.span } };
}

/** `_A=1,_B=$X` (or gcloud's `^;^_A=1;_B=2`): the names, whatever the values. An item that names
 * nothing (`--substitutions "$SUBS"`, a list held whole in a variable) may hold any name. */
function readSubstitutions(w: Word, from: number, run: Omit<BuildConfigRun, 'config'>): void {
  const list = parseGcloudList(w, from, 'env');
  run.substitutions.push(...list.entries.map((e) => e.name));
  const items = w.value.slice(list.contentStart).split(list.delimiter);
  if (items.filter((item) => item.trim()).length > list.entries.length) run.dynamic = true;
  // Each item's value, where it is one variable (expanded here, or kept as written) or plain text.
  let at = list.contentStart;
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq).trim() : '';
    if (/^_?[A-Z][A-Z0-9_]*$/.test(name)) {
      const valueFrom = at + eq + 1;
      const valueTo = at + item.length;
      const value = item.slice(eq + 1);
      const expanded = w.expansions?.find((x) => x.from === valueFrom && x.to === valueTo);
      const written = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(value)?.[1];
      const variable = expanded?.name ?? written;
      if (variable) (run.passed ??= []).push({ name, variable });
      else if (value && !/[$`]/.test(value)) (run.passed ??= []).push({ name, text: value });
    }
    at += item.length + list.delimiter.length;
  }
}

/** The index after `gcloud [beta|alpha] builds submit` at `start`, undefined for another command. */
function submitArgsStart(words: Word[], start: number): number | undefined {
  let i = start + 1;
  while (words[i] && (words[i].value === 'beta' || words[i].value === 'alpha')) i++;
  return words[i]?.value === 'builds' && words[i + 1]?.value === 'submit' ? i + 2 : undefined;
}

function readFlags(
  words: Word[], from: number, start: number, via: DeployFact['via'], valueFlags: Set<string>,
  names: { image: string[]; dockerfile: string[] },
): BuildFact {
  const last = words[words.length - 1];
  const fact: BuildFact = { span: { start: words[start].span.start, end: last.span.end }, via };
  for (let i = from; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    if (v === '&&' || v === ';' || v === '|') break;
    if (!v.startsWith('-')) {
      fact.context ??= resolved(w);
      continue;
    }
    const { flag, value: valueWord, from: from2, last } = readFlag(words, i, valueFlags);
    i = last;
    if (flag === '--build-arg') {
      const args = (fact.buildArgs ??= { names: [] });
      const name = valueWord && !valueWord.dynamic ? /^([A-Za-z_][A-Za-z0-9_]*)(=|$)/.exec(valueWord.value.slice(from2))?.[1] : undefined;
      // `--build-arg NAME=$VALUE` names NAME whatever its value; only an unreadable name is unknown.
      const named = name ?? (valueWord ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(valueWord.value.slice(from2))?.[1] : undefined);
      if (named) args.names.push(named); else args.dynamic = true;
    }
    if (!valueWord) continue;
    if (names.image.includes(flag)) {
      if (!fact.image) fact.image = resolved(valueWord, from2);
      else (fact.otherTags ??= []).push(resolved(valueWord, from2));
    }
    else if (names.dockerfile.includes(flag)) fact.dockerfile ??= resolved(valueWord, from2);
    else if (flag === '--target') fact.target ??= resolved(valueWord, from2);
  }
  // A docker build without --build-arg passes none; `gcloud builds submit --tag` can pass none.
  fact.buildArgs ??= { names: [] };
  return fact;
}

/** kaniko: `--dockerfile=…`, `--context=…`, `--destination=…`. */
function readKaniko(words: Word[], start: number, via: DeployFact['via']): BuildFact | undefined {
  const last = words[words.length - 1];
  const fact: BuildFact = { span: { start: words[start].span.start, end: last.span.end }, via };
  for (let i = start + 1; i < words.length; i++) {
    const v = words[i].value;
    const m = /^--(dockerfile|context|destination)(=)?/.exec(v);
    if (!m) continue;
    const valueWord = m[2] ? words[i] : words[++i];
    if (!valueWord) break;
    const r = resolved(valueWord, m[2] ? m[0].length : 0);
    if (m[1] === 'dockerfile') fact.dockerfile ??= r;
    else if (m[1] === 'destination') fact.image ??= r;
    else fact.context ??= { ...r, value: r.value?.replace(/^dir:\/\//, ''), text: r.text.replace(/^dir:\/\//, '') };
  }
  return fact.image || fact.dockerfile ? fact : undefined;
}
