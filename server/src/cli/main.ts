/**
 * deploy-preflight [paths…] [--format stylish|json|sarif|github] [--config FILE]
 *                  [--max-warnings N] [--fix] [--no-color] [--explain] [--exit-zero]
 * Exit 0: no errors and warnings ≤ --max-warnings; 1: findings over that; 2: bad usage or failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analysis } from '../engine/analysis';
import type { Finding } from '../core/findings';
import { formatStylish } from './formats/stylish';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatGithub } from './formats/github';
import { formatHtml } from './formats/html';
import { drift } from './drift';
import { formatExplain } from './explain';
import { VERSION } from '../core/version';

const USAGE = `Usage: deploy-preflight [paths…] [options]

Checks deploy scripts, env files, Cloud Run / Cloud Build / GitHub Actions YAML and the code
they deploy for misconfiguration across files.

Options:
  --format <stylish|json|sarif|github|html>  output format (default: stylish); html: one
                                        self-contained page with the deploy matrix
  --config <file>                       configuration file (default: .deploy-preflight.yaml in the root)
  --max-warnings <n>                    exit 1 when there are more than n warnings
  --fix                                 apply every safe fix and print what changed
  --explain                             print the services, environments and deploy targets found, with evidence
  --no-color                            plain output
  --exit-zero                           exit 0 even when there are findings (still 2 on failure)
  --version, --help

deploy-preflight drift [workspace] (--deployed DIR | --live): compare with what is running
(deploy-preflight drift --help).
`;

interface Args {
  paths: string[];
  format: 'stylish' | 'json' | 'sarif' | 'github' | 'html';
  config?: string;
  maxWarnings: number;
  fix: boolean;
  explain: boolean;
  color: boolean;
  exitZero: boolean;
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): Args | 'help' | 'version' {
  const args: Args = { paths: [], format: 'stylish', maxWarnings: -1, fix: false, explain: false, color: !!process.stdout.isTTY && !process.env.NO_COLOR, exitZero: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help': case '-h': return 'help';
      case '--version': case '-v': return 'version';
      case '--format': case '-f': {
        const v = value();
        if (!['stylish', 'json', 'sarif', 'github', 'html'].includes(v)) throw new UsageError(`unknown format "${v}" (stylish, json, sarif, github, html)`);
        args.format = v as Args['format'];
        break;
      }
      case '--config': case '-c': args.config = value(); break;
      case '--max-warnings': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < -1) throw new UsageError('--max-warnings needs a whole number');
        args.maxWarnings = v;
        break;
      }
      case '--fix': args.fix = true; break;
      case '--explain': args.explain = true; break;
      case '--no-color': args.color = false; break;
      case '--color': args.color = true; break;
      case '--exit-zero': args.exitZero = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        args.paths.push(a);
    }
  }
  return args;
}

/** Applies the fix plan, re-analysing between passes (a fix can enable another), at most 10 passes. */
async function fixAll(analysis: Analysis, out: (s: string) => void): Promise<void> {
  const changed = new Map<string, number>();
  for (let pass = 0; pass < 10; pass++) {
    let wrote = false;
    for (const r of analysis.applyFixPlan(analysis.fixPlan())) {
      if (r.status === 'applied') {
        wrote = true;
        changed.set(r.file, (changed.get(r.file) ?? 0) + r.edits);
      } else if (r.status !== 'unchanged') {
        out(`not fixed: ${r.file}: ${r.reason}\n`);
      }
    }
    if (!wrote) break;
  }
  for (const [file, n] of changed) out(`fixed: ${file} (${n} edit${n === 1 ? '' : 's'})\n`);
  if (changed.size === 0) out('fixed: nothing to change\n');
}

export async function main(argv: string[], out: (s: string) => void = (s) => { process.stdout.write(s); }, err: (s: string) => void = (s) => { process.stderr.write(s); }): Promise<number> {
  if (argv[0] === 'drift') return drift(argv.slice(1), out, err);
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err(`deploy-preflight: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') { out(USAGE); return 0; }
  if (args === 'version') { out(VERSION + '\n'); return 0; }
  const paths = args.paths.length ? args.paths : ['.'];
  const dirs = paths.filter((p) => fs.existsSync(p) && fs.statSync(p).isDirectory());
  const files = paths.filter((p) => fs.existsSync(p) && fs.statSync(p).isFile());
  const missing = paths.filter((p) => !fs.existsSync(p));
  if (missing.length) { err(`deploy-preflight: no such file or directory: ${missing.join(', ')}\n`); return 2; }
  if (dirs.length > 1) { err('deploy-preflight: give one workspace folder (files may be added to narrow the report)\n'); return 2; }
  const root = path.resolve(dirs[0] ?? '.');
  const only = files.map((f) => path.relative(root, path.resolve(f)).split(path.sep).join('/'));
  if (only.some((f) => f.startsWith('..'))) { err('deploy-preflight: files must lie inside the workspace folder\n'); return 2; }

  const analysis = new Analysis(root, { configFile: args.config });
  await analysis.load();
  if (args.explain) {
    out(formatExplain(analysis.explain()));
    return 0;
  }
  if (args.fix) await fixAll(analysis, args.format === 'stylish' ? out : err);
  let findings: Finding[] = analysis.findings();
  if (only.length) findings = findings.filter((f) => only.includes(f.file));
  const notices = analysis.notices();
  const failures = analysis.ruleFailures();
  switch (args.format) {
    case 'json': out(formatJson(findings, notices)); break;
    case 'sarif': out(formatSarif(findings, notices, root, failures)); break;
    case 'github': out(formatGithub(findings, notices)); break;
    case 'html': out(formatHtml(analysis.matrix(), findings, notices, path.basename(root))); break;
    default: out(formatStylish(findings, notices, args.color));
  }
  // A rule that failed leaves its findings out: the report is incomplete, which is an internal failure.
  for (const f of failures) err(`deploy-preflight: internal error in rule ${f.rule}: ${f.message}\n`);
  if (failures.length) return 2;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (args.exitZero) return 0;
  if (errors > 0) return 1;
  if (args.maxWarnings >= 0 && warnings > args.maxWarnings) return 1;
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`deploy-preflight: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
