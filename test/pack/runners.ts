/**
 * How CI systems run what this repository ships, simulated faithfully enough to test it here (no
 * GitHub runner and no pre-commit are available): a composite GitHub Action's `run` steps, and a
 * pre-commit hook's `entry`.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface ProcessResult { code: number | null; stdout: string; stderr: string }

/** spawn, collected: the test's other runs go on meanwhile (spawnSync would block them all). */
export function runProcess(cmd: string, args: string[], options: SpawnOptions): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { timeout: 150_000, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (e) => { stderr += `\n${e.message}`; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment without the npm_* variables of the `npm test` that started us (a nested npm
 * would read them as its own configuration). */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, NO_UPDATE_NOTIFIER: '1', ...extra };
}

interface ActionStep { id?: string; shell?: string; run?: string; env?: Record<string, string>; 'working-directory'?: string; uses?: string }
interface ActionFile {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/**
 * Runs a composite action the way the runner does: each `run` step's script is written to a file
 * and run with `bash --noprofile --norc -eo pipefail <file>` (the runner's command for
 * `shell: bash`) in `working-directory` (from the workspace), with the step's `env` evaluated,
 * GITHUB_ACTION_PATH, GITHUB_WORKSPACE, GITHUB_OUTPUT, CI and GITHUB_ACTIONS set. Expressions
 * other than `inputs.*`, `github.action_path`, `github.workspace` and `steps.*.outputs.*` fail the
 * run (the test would not know what the runner makes of them).
 */
export async function runCompositeAction(actionDir: string, workspace: string, inputs: Record<string, string>, env: Record<string, string>, scratch: string): Promise<{
  steps: ProcessResult[]; outputs: Record<string, string>; action: ActionFile;
}> {
  const action = parseYaml(fs.readFileSync(path.join(actionDir, 'action.yml'), 'utf8')) as ActionFile;
  if (action.runs.using !== 'composite') throw new Error(`not a composite action: ${action.runs.using}`);
  for (const [name, spec] of Object.entries(action.inputs)) if (spec.required && inputs[name] === undefined) throw new Error(`input ${name} is required`);
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`unknown input ${name}`);
  const stepOutputs: Record<string, Record<string, string>> = {};
  const evaluate = (text: string): string => text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    let m: RegExpExecArray | null;
    if ((m = /^inputs\.([\w-]+)$/.exec(expr))) return inputs[m[1]] ?? action.inputs[m[1]]?.default ?? '';
    if (expr === 'github.action_path') return actionDir;
    if (expr === 'github.workspace') return workspace;
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr))) return stepOutputs[m[1]]?.[m[2]] ?? '';
    throw new Error(`expression the simulation does not know: ${expr}`);
  });
  const results: ProcessResult[] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    if (!step.run) throw new Error(`step ${i}: only run steps are simulated (${step.uses})`);
    if (step.shell !== 'bash') throw new Error(`step ${i}: shell ${step.shell} is not simulated`);
    const script = path.join(scratch, `step-${i}.sh`);
    fs.writeFileSync(script, evaluate(step.run));
    const output = path.join(scratch, `output-${i}`);
    fs.writeFileSync(output, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v))]));
    results.push(await runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: path.resolve(workspace, evaluate(step['working-directory'] ?? '.')),
      env: { ...env, ...stepEnv, GITHUB_ACTION_PATH: actionDir, GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, CI: 'true', GITHUB_ACTIONS: 'true' },
    }));
    const outs: Record<string, string> = {};
    for (const line of fs.readFileSync(output, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) outs[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (step.id) stepOutputs[step.id] = outs;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, evaluate(v.value)]));
  return { steps: results, outputs, action };
}

interface Hook { id: string; entry: string; language: string; args?: string[]; pass_filenames?: boolean; require_serial?: boolean; files?: string }

/** The hooks a repository offers (.pre-commit-hooks.yaml). */
export function preCommitHooks(repo: string): Hook[] {
  return parseYaml(fs.readFileSync(path.join(repo, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
}

/** Runs a hook as pre-commit does: `entry` split like a shell would, then `args`, then the staged
 * file names unless `pass_filenames: false`, from the repository root, with the hook's
 * environment (here: where the package was installed) first on PATH. */
export function runPreCommitHook(hook: Hook, repoRoot: string, binDir: string, env: Record<string, string>, files: string[] = []): Promise<ProcessResult> {
  const argv = [...splitShell(hook.entry), ...(hook.args ?? []), ...(hook.pass_filenames === false ? [] : files)];
  return runProcess(argv[0], argv.slice(1), { cwd: repoRoot, env: { ...env, PATH: `${binDir}${path.delimiter}${env.PATH ?? ''}`, PRE_COMMIT: '1' } });
}

/** POSIX-shell-like word splitting of an `entry` (quotes, no expansions), as Python's shlex.split. */
export function splitShell(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      any = true;
    } else if (/\s/.test(ch)) {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else cur += ch;
  }
  if (cur || any) out.push(cur);
  return out;
}
