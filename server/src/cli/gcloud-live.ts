/**
 * `drift --live`: asks the gcloud CLI for the state the drift rules compare with, using read-only
 * commands only (`run services|jobs describe|list`, `secrets list`, `secrets versions list`,
 * `config get-value`). Every command passes `isReadOnly` before it is spawned — without a shell,
 * with prompts disabled — so nothing here can change a project, and no secret value is ever
 * requested (`versions access` is not on the list). The outputs go through the same reader as
 * recordings, so `--live` and `--deployed` give the same findings for the same state.
 */
import { spawn } from 'node:child_process';
import type { LiveTarget, StateText } from '../engine/analysis';

export interface GcloudResult { code: number; stdout: string; stderr: string }
export type GcloudRunner = (args: string[]) => Promise<GcloudResult>;

/** Command paths (the words before the first flag, without the resource name) that only read. */
const READ_ONLY: readonly string[][] = [
  ['run', 'services', 'describe'], ['run', 'services', 'list'],
  ['run', 'jobs', 'describe'], ['run', 'jobs', 'list'],
  ['secrets', 'list'], ['secrets', 'versions', 'list'],
  ['config', 'get-value'],
];

/** Whether a gcloud argument list is one of the read-only commands (plus at most one resource name). */
export function isReadOnly(args: readonly string[]): boolean {
  const firstFlag = args.findIndex((a) => a.startsWith('-'));
  const words = firstFlag === -1 ? [...args] : args.slice(0, firstFlag);
  return READ_ONLY.some((cmd) => cmd.every((w, i) => words[i] === w) && words.length - cmd.length <= 1);
}

/** A failure that stops `--live` (gcloud missing, not authenticated): the CLI says it and exits 2. */
export class LiveError extends Error {}

/** Runs the gcloud program (`DEPLOY_PREFLIGHT_GCLOUD`, else `gcloud` on PATH) without a shell. */
export function gcloudRunner(program = process.env.DEPLOY_PREFLIGHT_GCLOUD || 'gcloud'): GcloudRunner {
  return (args) => new Promise((resolve, reject) => {
    if (!isReadOnly(args)) { reject(new LiveError(`refusing to run a gcloud command that is not read-only: ${args.slice(0, 3).join(' ')}`)); return; }
    const child = spawn(program, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' }, timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(new LiveError(err.code === 'ENOENT'
        ? `gcloud was not found (${program}): install the Google Cloud CLI, or set DEPLOY_PREFLIGHT_GCLOUD to its path`
        : `could not run ${program}: ${err.message}`));
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const NOT_AUTHENTICATED = /no credentialed accounts|do not currently have an active account|gcloud auth login|reauthentication|refresh token|invalid_grant|could not be refreshed/i;
const NOT_FOUND = /cannot find|not_found|could not be found|was not found|does not exist/i;

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 300) ?? '';
}

/**
 * The state of every Cloud Run service and job the deploys target and of their projects' secrets.
 * Missing pieces (a service not deployed yet, a permission denied) become notes; a missing or
 * unauthenticated gcloud throws `LiveError`.
 */
export async function fetchLiveState(targets: LiveTarget[], run: GcloudRunner): Promise<{ texts: StateText[]; notes: string[]; commands: number }> {
  const texts: StateText[] = [];
  const notes: string[] = [];
  let commands = 0;
  const call = async (args: string[]): Promise<GcloudResult> => {
    commands++;
    const r = await run(args);
    if (r.code !== 0 && NOT_AUTHENTICATED.test(r.stderr)) {
      throw new LiveError(`gcloud is not authenticated (${firstLine(r.stderr)}): run \`gcloud auth login\`; drift only reads`);
    }
    return r;
  };
  const configValue = async (key: string): Promise<string | undefined> => {
    const r = await call(['config', 'get-value', key]);
    const v = r.stdout.trim();
    return r.code === 0 && v && v !== '(unset)' ? v : undefined;
  };
  const defaultProject = targets.some((t) => !t.project) ? await configValue('project') : undefined;
  const defaultRegion = targets.some((t) => !t.region) ? await configValue('run/region') : undefined;

  const seen = new Set<string>();
  for (const t of targets) {
    const project = t.project ?? defaultProject;
    const region = t.region ?? defaultRegion;
    const key = `${t.kind}|${t.name}|${region}|${project}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!project || !region) {
      notes.push(`${t.kind} ${t.name}: no ${!project ? 'project' : 'region'} in its deploy or in gcloud's configuration; not compared`);
      continue;
    }
    let found = false;
    for (const name of [t.name, ...(t.alternative ? [t.alternative] : [])]) {
      const args = ['run', t.kind === 'job' ? 'jobs' : 'services', 'describe', name, '--region', region, '--project', project, '--format', 'export'];
      const r = await call(args);
      if (r.code === 0) {
        texts.push({ source: `gcloud ${args.slice(0, 4).join(' ')} (${project}, ${region})`, format: 'yaml', text: r.stdout, projectId: project });
        found = true;
        break;
      }
      if (!NOT_FOUND.test(r.stderr)) {
        notes.push(`${t.kind} ${name} (${project}, ${region}): ${firstLine(r.stderr) || `gcloud exited ${r.code}`}`);
        found = true; // reported; the alternative name would not help
        break;
      }
    }
    if (!found) notes.push(`${t.kind} ${t.name} is not running in ${project} (${region}): nothing to compare`);
  }

  const projects = new Map<string, Set<string>>();
  for (const t of targets) {
    const project = t.project ?? defaultProject;
    if (!project) continue;
    const set = projects.get(project) ?? new Set<string>();
    for (const s of t.secrets) if (!s.startsWith('projects/')) set.add(s);
    projects.set(project, set);
  }
  for (const [project, referenced] of projects) {
    const r = await call(['secrets', 'list', '--project', project, '--format', 'json']);
    if (r.code !== 0) { notes.push(`secrets of ${project}: ${firstLine(r.stderr) || `gcloud exited ${r.code}`}`); continue; }
    texts.push({ source: `gcloud secrets list (${project})`, format: 'json', text: r.stdout, projectId: project });
    let existing: Set<string>;
    try {
      existing = new Set((JSON.parse(r.stdout) as { name?: string }[]).map((s) => String(s.name ?? '').split('/').pop() ?? ''));
    } catch {
      continue; // the reader reports it
    }
    for (const id of [...referenced].sort()) {
      if (!existing.has(id)) continue;
      const v = await call(['secrets', 'versions', 'list', id, '--project', project, '--format', 'json']);
      if (v.code === 0) texts.push({ source: `gcloud secrets versions list ${id} (${project})`, format: 'json', text: v.stdout, projectId: project });
      else notes.push(`versions of secret ${id} (${project}): ${firstLine(v.stderr) || `gcloud exited ${v.code}`}`);
    }
  }
  return { texts, notes, commands };
}
