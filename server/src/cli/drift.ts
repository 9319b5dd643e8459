/**
 * deploy-preflight drift [workspace] (--deployed DIR | --live) [--format …] [--config FILE]
 *                        [--no-color] [--exit-zero]
 *
 * Compares the repository's deploys with what is running: recorded state (`--deployed`: every
 * `*.yaml` in DIR is a `gcloud run services|jobs describe --format export`, every `*.json` a
 * `gcloud secrets list` or `gcloud secrets versions list` in JSON) or gcloud itself (`--live`,
 * read-only commands only). Reports the drift rules' findings (deploy-drift, secret-missing) in
 * any output format. Exit codes as the main command.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Analysis, DEPLOYED_STATE_RULES, readDeployedState, type StateText } from '../engine/analysis';
import type { Notice } from '../core/findings';
import { formatStylish } from './formats/stylish';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatGithub } from './formats/github';
import { formatHtml } from './formats/html';
import type { Report } from './formats/report';
import { fetchLiveState, gcloudRunner, LiveError, type GcloudRunner } from './gcloud-live';

export const DRIFT_USAGE = `Usage: deploy-preflight drift [workspace] (--deployed <dir> | --live) [options]

Compares the repository's Cloud Run deploys with what is running.

  --deployed <dir>   recorded state: *.yaml from \`gcloud run services|jobs describe NAME --format export\`,
                     *.json from \`gcloud secrets list --format json\` (and \`secrets versions list\`)
  --live             ask gcloud (DEPLOY_PREFLIGHT_GCLOUD, else gcloud on PATH), read-only commands only
  --format <stylish|json|sarif|github|html>   output format (default: stylish)
  --config <file>    configuration file
  --no-color, --exit-zero, --help
`;

const FORMATS = ['stylish', 'json', 'sarif', 'github', 'html'] as const;
type Format = typeof FORMATS[number];

interface DriftArgs { workspace: string; deployed?: string; live: boolean; format: Format; config?: string; color: boolean; exitZero: boolean }

function parse(argv: string[]): DriftArgs | 'help' | string {
  const a: DriftArgs = { workspace: '.', live: false, format: 'stylish', color: !!process.stdout.isTTY && !process.env.NO_COLOR, exitZero: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help': case '-h': return 'help';
      case '--deployed': { const v = value(); if (!v) return '--deployed needs a folder'; a.deployed = v; break; }
      case '--live': a.live = true; break;
      case '--format': case '-f': {
        const v = value();
        if (!v || !(FORMATS as readonly string[]).includes(v)) return `unknown format "${v ?? ''}" (${FORMATS.join(', ')})`;
        a.format = v as Format;
        break;
      }
      case '--config': case '-c': { const v = value(); if (!v) return '--config needs a value'; a.config = v; break; }
      case '--no-color': a.color = false; break;
      case '--color': a.color = true; break;
      case '--exit-zero': a.exitZero = true; break;
      default:
        if (arg.startsWith('-')) return `unknown option ${arg}`;
        positional.push(arg);
    }
  }
  if (positional.length > 1) return 'give one workspace folder';
  if (positional[0]) a.workspace = positional[0];
  if (!!a.deployed === a.live) return 'give either --deployed <dir> or --live';
  return a;
}

/** Every recording under `dir`, in a stable order. */
function readRecordings(dir: string): StateText[] {
  const out: StateText[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (/\.ya?ml$/i.test(e.name) || /\.json$/i.test(e.name)) {
        out.push({ source: path.relative(dir, abs).split(path.sep).join('/'), format: /\.json$/i.test(e.name) ? 'json' : 'yaml', text: fs.readFileSync(abs, 'utf8') });
      }
    }
  };
  walk(dir);
  return out;
}

export async function drift(argv: string[], out: (s: string) => void, err: (s: string) => void, runner?: GcloudRunner): Promise<number> {
  const args = parse(argv);
  if (args === 'help') { out(DRIFT_USAGE); return 0; }
  if (typeof args === 'string') { err(`deploy-preflight drift: ${args}\n\n${DRIFT_USAGE}`); return 2; }
  if (!fs.existsSync(args.workspace) || !fs.statSync(args.workspace).isDirectory()) { err(`deploy-preflight drift: no such folder: ${args.workspace}\n`); return 2; }
  if (args.deployed && (!fs.existsSync(args.deployed) || !fs.statSync(args.deployed).isDirectory())) { err(`deploy-preflight drift: no such folder: ${args.deployed}\n`); return 2; }

  const root = path.resolve(args.workspace);
  const started = performance.now();
  const analysis = new Analysis(root, { configFile: args.config, findingsOnly: true });
  const outcome = await analysis.load();
  const notes: Notice[] = [];
  let texts: StateText[];
  if (args.deployed) {
    texts = readRecordings(args.deployed);
  } else {
    try {
      const live = await fetchLiveState(analysis.liveTargets(), runner ?? gcloudRunner());
      texts = live.texts;
      for (const n of live.notes) notes.push({ file: 'gcloud', message: n });
    } catch (e) {
      if (e instanceof LiveError) { err(`deploy-preflight drift: ${e.message}\n`); return 2; }
      throw e;
    }
  }
  const state = readDeployedState(texts);
  analysis.setDeployedState(state);
  const findings = analysis.findings().filter((f) => DEPLOYED_STATE_RULES.has(f.rule));
  const notices = [...analysis.notices(), ...state.notices, ...notes];
  const failures = analysis.ruleFailures().filter((f) => DEPLOYED_STATE_RULES.has(f.rule));
  // Paths stay relative to the workspace here: drift compares one workspace with one project.
  const report: Report = { findings, notices, ruleFailures: failures, configProblems: [], base: root, workspace: '', filesChecked: outcome.status === 'cancelled' ? 0 : outcome.files, ms: performance.now() - started };
  switch (args.format) {
    case 'json': out(formatJson(report)); break;
    case 'sarif': out(formatSarif(report)); break;
    case 'github': out(formatGithub(report)); break;
    case 'html': out(formatHtml(analysis.matrix({ rules: DEPLOYED_STATE_RULES }), findings, notices, `drift of ${path.basename(root)}`)); break;
    default:
      if (args.format === 'stylish') err(`deploy-preflight drift: compared with ${state.workloads.length} running service(s)/job(s) and ${state.inventories.length} secret inventor${state.inventories.length === 1 ? 'y' : 'ies'}\n`);
      out(formatStylish(report, args.color));
  }
  for (const f of failures) err(`deploy-preflight: internal error in rule ${f.rule}: ${f.message}\n`);
  if (failures.length) return 2;
  if (args.exitZero) return 0;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
