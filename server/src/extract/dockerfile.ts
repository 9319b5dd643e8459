/**
 * Reads a Dockerfile with `dockerfile-ast` (the parser behind the Docker language server): what it
 * copies from the build context and what the container runs. The model uses both to find the
 * code folder a deploy ships when that folder has no manifest of its own (a service folder whose
 * dependencies live in the repository root, built by `deployment/docker/backend.Dockerfile`).
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { DockerfileFact, FileFacts, Span } from '../core/facts';
import { whatRuns } from './command-line';
import { backgroundOnly, fixedListenPort } from '../knowledge/listening-ports';

function offsetsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function extractDockerfile(text: string, facts: FileFacts): void {
  const lines = offsetsOf(text);
  const rangeSpan = (r: ReturnType<Ranged['getRange']>): Span => ({ start: lines[r.start.line] + r.start.character, end: lines[r.end.line] + r.end.character });
  const spanOf = (ins: Instruction): Span => rangeSpan(ins.getRange());
  const fact: DockerfileFact = { copies: [], runs: [] };
  let workdir: string | undefined;
  /** The stage's environment: each name with its value and where it is set. */
  let env = new Map<string, { value: string; span: Span }>();
  /** Each named stage's environment, for stages built on it. */
  const stages = new Map<string, Map<string, { value: string; span: Span }>>();
  /** Every stage's runs and the stage it is built on, in order: only the last stage's image runs,
   * with the command it sets or inherits (`FROM base AS prod` + `CMD uvicorn app:app`, beside a
   * `dev` stage running pytest). */
  const stageRuns: { name?: string; base?: string; runs: DockerfileFact['runs']; command?: { cmd?: string[]; entrypoint?: string[]; span?: Span } }[] = [];
  const anyStage = new Set<string>();
  /** The stage each copy is made in. */
  const copyStage = new Map<DockerfileFact['copies'][number], (typeof stageRuns)[number] | undefined>();
  const doc = DockerfileParser.parse(text);
  for (const ins of doc.getInstructions()) {
    const kw = ins.getKeyword().toUpperCase();
    if (kw === 'FROM') {
      workdir = undefined;
      // A new stage starts from its base: another stage's environment (`FROM base AS runner`),
      // or an image's, which the workspace does not show.
      const args = ins.getArguments().map((a) => a.getValue());
      const base = stages.get((args[0] ?? '').toLowerCase());
      env = new Map(base);
      const name = args.length >= 3 && args[1].toLowerCase() === 'as' ? args[2].toLowerCase() : undefined;
      if (name) stages.set(name, env);
      stageRuns.push({ ...(name ? { name } : {}), ...(base ? { base: (args[0] ?? '').toLowerCase() } : {}), runs: [] });
    } else if (kw === 'WORKDIR') {
      const dir = ins.getArguments()[0]?.getValue();
      if (dir) workdir = dir.startsWith('/') || !workdir ? dir : `${workdir.replace(/\/$/, '')}/${dir}`;
    } else if (kw === 'COPY' || kw === 'ADD') {
      const flags = 'getFlags' in ins ? (ins as unknown as { getFlags(): { getName(): string }[] }).getFlags() : [];
      if (flags.some((f) => f.getName() === 'from')) continue; // from another stage, not the context
      const args = ins.getArguments().map((a) => a.getValue());
      const json = jsonStrings(ins, text, lines);
      const parts = json ?? args;
      if (parts.length < 2) continue;
      const dest = parts[parts.length - 1];
      for (const source of parts.slice(0, -1)) {
        if (/^[a-z]+:\/\//i.test(source)) continue; // ADD of a URL
        const copy = { source, dest, span: spanOf(ins), ...(workdir ? { workdir } : {}) };
        fact.copies.push(copy);
        copyStage.set(copy, stageRuns[stageRuns.length - 1]);
      }
    } else if (kw === 'CMD' || kw === 'ENTRYPOINT') {
      // The shell form's words keep their quotes (`gunicorn "app.main:app"`): the shell drops them.
      const words = jsonStrings(ins, text, lines) ?? ins.getArguments().map((a) => a.getValue().replace(/^(["'])(.*)\1$/s, '$2'));
      const run = whatRuns(words);
      if (run) (stageRuns[stageRuns.length - 1]?.runs ?? fact.runs).push({ ...run, workdir, span: spanOf(ins) });
      const stage = stageRuns[stageRuns.length - 1];
      if (stage) {
        const command = (stage.command ??= {});
        command[kw === 'CMD' ? 'cmd' : 'entrypoint'] = words;
        command.span = spanOf(ins);
      }
      if (words.some((w) => /\.sh$|envsubst/.test(w))) fact.startupScript = true;
    } else if (kw === 'ENV') {
      for (const p of envProperties(ins)) {
        const v = p.value?.trim().replace(/^(["'])(.*)\1$/, '$2');
        if (v && !ONLY_A_REFERENCE.test(v)) {
          env.set(p.name, { value: v, span: p.nameRange ? rangeSpan(p.nameRange) : spanOf(ins) });
          anyStage.add(p.name);
        } else env.delete(p.name);
      }
    } else if (kw === 'ARG') {
      // `ARG NAME`, `ARG NAME=default`, several on one line.
      for (const a of ins.getArguments()) {
        const name = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(a.getValue())?.[1];
        if (name) (fact.args ??= []).push(name);
      }
    }
  }
  type Stage = (typeof stageRuns)[number];
  /** The stage a stage is built on (`FROM base AS runner`), when it is one of the file's. */
  const baseOf = (st: Stage): Stage | undefined => (st.base ? [...stageRuns].reverse().find((x) => x.name === st.base) : undefined);
  // A stage's command, or the one it inherits from the stage it is built on.
  const commandOf = (from: Stage | undefined): DockerfileFact['runs'] => {
    for (let st: Stage | undefined = from, guard = 0; st && guard < 16; guard++, st = baseOf(st)) {
      if (st.runs.length) return st.runs;
    }
    return [];
  };
  const last: Stage | undefined = stageRuns[stageRuns.length - 1];
  fact.runs.push(...commandOf(last));
  if (stageRuns.length > 1) {
    // The stages the running image is built on: the last one and its bases. A copy into any other
    // stage (a front-end builder's `COPY frontend/ .`) reaches the image only through what a
    // `COPY --from` takes of its output.
    const chain = new Set<Stage>();
    for (let st: Stage | undefined = last, guard = 0; st && guard < 16; guard++, st = baseOf(st)) chain.add(st);
    for (const c of fact.copies) {
      const st = copyStage.get(c);
      if (!st || !chain.has(st)) c.builderStage = true;
    }
    for (const st of stageRuns) {
      const runs = st.name ? commandOf(st) : [];
      if (runs.length) (fact.stageRuns ??= {})[st.name!] = runs;
    }
  }
  if (fact.copies.some((c) => c.dest.includes('docker-entrypoint'))) fact.startupScript = true;
  // `ENTRYPOINT ["python"]` and no command: the image names no program of its own (a job's
  // executions pass one each). The last stage's, or the nearest base's.
  for (let st: Stage | undefined = last, guard = 0; st && guard < 16; guard++, st = baseOf(st)) {
    if (!st.command) continue;
    const words = [...(st.command.entrypoint ?? []), ...(st.command.cmd ?? [])];
    if (words.length === 1 && BARE_INTERPRETER.test(words[0]!.split('/').pop()!)) fact.bareInterpreter = words[0];
    const fixed = fixedListenPort(words);
    if (fixed && st.command.span) fact.listens = { ...fixed, span: st.command.span };
    const background = backgroundOnly(words);
    if (background && st.command.span) fact.servesNothing = { program: background, span: st.command.span };
    break;
  }
  if (env.size) {
    fact.env = [...env.keys()];
    fact.envValues = [...env].map(([name, { value, span }]) => ({ name, value, span }));
  }
  if (anyStage.size) fact.buildEnv = [...anyStage];
  if (fact.copies.length || fact.runs.length || fact.args?.length || fact.buildEnv?.length || fact.bareInterpreter || fact.listens || fact.servesNothing) facts.dockerfile = fact;
}

/** An interpreter that, given nothing to run, runs no program of the image's. */
const BARE_INTERPRETER = /^(?:python(?:\d+(?:\.\d+)?)?|node|bun|deno)$/;

/** A value that is nothing but a variable (`$API_URL`, `${API_URL}`, `"${API_URL}"`): a build argument's. */
const ONLY_A_REFERENCE = /^"?\$(\{\w+\}|\w+)"?$/;

/** `ENV A=1 B=2`, `ENV A 1`: each name with its value as written (undefined when none). */
function envProperties(ins: Instruction): { name: string; value?: string; nameRange?: ReturnType<Ranged['getRange']> }[] {
  const props = (ins as unknown as { getProperties?: () => { getName(): string; getValue(): string | null; getNameRange?(): ReturnType<Ranged['getRange']> }[] }).getProperties?.() ?? [];
  return props.map((p) => ({ name: p.getName(), value: p.getValue() ?? undefined, nameRange: p.getNameRange?.() }));
}

type Ranged = { getRange(): { start: { line: number; character: number }; end: { line: number; character: number } } };

/** The exec form's strings. Read from the source text: the library's own value of a JSON string
 * drops the spaces inside it (`"exec uvicorn app:app"` comes back as `execuvicornapp:app`). */
function jsonStrings(ins: Instruction, text: string, lines: number[]): string[] | undefined {
  const j = ins as unknown as { getJSONStrings?: () => Ranged[] };
  const strings = j.getJSONStrings?.();
  if (!strings || strings.length === 0) return undefined;
  const out: string[] = [];
  for (const s of strings) {
    const r = s.getRange();
    const raw = text.slice(lines[r.start.line] + r.start.character, lines[r.end.line] + r.end.character);
    try {
      const v: unknown = JSON.parse(raw);
      if (typeof v !== 'string') return undefined;
      out.push(v);
    } catch {
      return undefined; // not valid JSON: Docker runs it in shell form, so do we
    }
  }
  return out;
}

