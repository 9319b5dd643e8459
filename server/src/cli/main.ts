/**
 * deploy-preflight [folder] [files…] [--format F [-o FILE]]… [--config FILE] [--max-warnings N]
 *                  [--fix] [--explain] [--print-config] [--no-color] [--exit-zero]
 * Exit 0: no errors and warnings ≤ --max-warnings; 1: findings over that; 2: bad usage, a
 * configuration error, nothing to check, or an internal failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analysis, ruleCatalog, isExtractWorker, startExtractWorker } from '../engine/analysis';
import { formatConfigProblem, type ConfigProblem } from '../core/config';
import { formatStylish } from './formats/stylish';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatGithub } from './formats/github';
import { formatHtml } from './formats/html';
import { drift } from './drift';
import { checkedLine, problemsLine, type Report } from './formats/report';
import { formatExplain } from '../ide/explain-text';
import { gitTopLevel, reportBase, ReportPaths } from './report-root';
import { colorWanted, parseArgs, USAGE, UsageError, type Args, type Format, type Output } from './args';
import { progressReporter } from './progress';
import { VERSION } from '../core/version';

export { parseArgs } from './args';

type Write = (s: string) => void;

/** What the CLI knows of where it runs (injectable for tests). */
export interface Terminal {
  env: Record<string, string | undefined>;
  cwd: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

const toStdout: Write = (s) => { process.stdout.write(s); };
const toStderr: Write = (s) => { process.stderr.write(s); };

/** Applies the fix plan, re-analysing between passes (a fix can enable another), at most 10 passes. */
async function fixAll(analysis: Analysis, out: Write, paths: ReportPaths): Promise<void> {
  const changed = new Map<string, number>();
  for (let pass = 0; pass < 10; pass++) {
    let wrote = false;
    for (const r of analysis.applyFixPlan(analysis.fixPlan())) {
      if (r.status === 'applied') {
        wrote = true;
        changed.set(r.file, (changed.get(r.file) ?? 0) + r.edits);
      } else if (r.status !== 'unchanged') {
        out(`not fixed: ${paths.file(r.file)}: ${r.reason}\n`);
      }
    }
    if (!wrote) break;
  }
  for (const [file, n] of changed) out(`fixed: ${paths.file(file)} (${n} edit${n === 1 ? '' : 's'})\n`);
  if (changed.size === 0) out('fixed: nothing to change\n');
}

/** `html` also draws the deploy matrix, which only the analysis can give. */
function render(format: Format, report: Report, color: boolean, matrixPage?: (r: Report) => string): string {
  switch (format) {
    case 'json': return formatJson(report);
    case 'sarif': return formatSarif(report);
    case 'github': return formatGithub(report);
    // Without an analysis (configuration errors stop the run) there is no matrix: the plain report says why.
    case 'html': return matrixPage ? matrixPage(report) : formatStylish(report, false);
    default: return formatStylish(report, color);
  }
}

/** Writes each report; false (after saying why) when a file cannot be written. */
function writeReports(outputs: Output[], report: Report, color: boolean, cwd: string, out: Write, err: Write, matrixPage?: (r: Report) => string): boolean {
  for (const o of outputs) {
    const text = render(o.format, report, o.file === undefined && color, matrixPage);
    if (o.file === undefined) {
      out(text);
      continue;
    }
    const file = path.resolve(cwd, o.file);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    } catch (e) {
      err(`deploy-preflight: cannot write ${o.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return false;
    }
  }
  return true;
}

/** The effective configuration, for --print-config: defaults filled in, every rule's severity. */
function printConfig(analysis: Analysis, paths: ReportPaths): string {
  const { file, config } = analysis.configuration();
  const rules = Object.fromEntries(ruleCatalog().map((r) => [r.id, config.rules[r.id] ?? r.defaultSeverity]));
  return JSON.stringify({
    configFile: file ? paths.file(path.relative(paths.root, file).split(path.sep).join('/')) : null,
    workspace: paths.prefix || '.',
    ...config,
    rules,
  }, null, 2) + '\n';
}

/** The workspace and the files that narrow the report, from the path arguments. */
function resolvePaths(args: Args, cwd: string): { root: string; only: string[] } | { error: string } {
  const given = args.paths.map((p) => ({ arg: p, abs: path.resolve(cwd, p) }));
  const missing = given.filter((p) => !fs.existsSync(p.abs));
  if (missing.length) return { error: `no such file or directory: ${missing.map((p) => p.arg).join(', ')}` };
  const dirs = given.filter((p) => fs.statSync(p.abs).isDirectory());
  const files = given.filter((p) => !fs.statSync(p.abs).isDirectory());
  if (dirs.length > 1) return { error: 'give one workspace folder (files may be added to narrow the report)' };
  let root: string;
  if (dirs.length) root = dirs[0].abs;
  else if (files.length) {
    // Files alone: the repository holding them is the workspace (the code their deploy ships is
    // there), else the current directory when they lie in it, else their folder.
    const dir = path.dirname(files[0].abs);
    const rel = path.relative(cwd, dir);
    root = gitTopLevel(dir) ?? (!rel.startsWith('..') && !path.isAbsolute(rel) ? cwd : dir);
  } else root = cwd;
  const only = files.map((f) => path.relative(root, f.abs).split(path.sep).join('/'));
  const outside = files.filter((_, i) => only[i] === '..' || only[i].startsWith('../') || path.isAbsolute(only[i]));
  if (outside.length) return { error: `files must lie inside the workspace folder ${path.relative(cwd, root) || '.'}: ${outside.map((f) => f.arg).join(', ')}` };
  return { root, only };
}

export async function main(argv: string[], out: Write = toStdout, err: Write = toStderr, terminal: Partial<Terminal> = {}): Promise<number> {
  if (argv[0] === 'drift') return drift(argv.slice(1), out, err);
  const started = performance.now();
  const term: Terminal = {
    env: terminal.env ?? process.env,
    cwd: terminal.cwd ?? process.cwd(),
    stdoutIsTTY: terminal.stdoutIsTTY ?? (out === toStdout && !!process.stdout.isTTY),
    stderrIsTTY: terminal.stderrIsTTY ?? (err === toStderr && !!process.stderr.isTTY),
  };
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`deploy-preflight: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') { out(USAGE); return 0; }
  if (args === 'version') { out(VERSION + '\n'); return 0; }

  const where = resolvePaths(args, term.cwd);
  if ('error' in where) { err(`deploy-preflight: ${where.error}\n`); return 2; }
  const { root, only } = where;
  const paths = new ReportPaths(reportBase(root, term.cwd), root);
  const shownRoot = path.relative(term.cwd, root) || '.';
  // --config is a path like any other argument: from the current directory.
  const configFile = args.config === undefined ? undefined : path.relative(root, path.resolve(term.cwd, args.config)) || args.config;
  const analysis = new Analysis(root, { configFile, cacheLocation: args.cache || undefined, findingsOnly: true, workers: args.workers });

  if (args.printConfig) {
    out(printConfig(analysis, paths));
    const problems = analysis.configuration().problems;
    for (const p of problems) err(`deploy-preflight: ${formatConfigProblem(paths.problem(p))}\n`);
    return problems.length ? 2 : 0;
  }

  const stdoutReport = args.outputs.find((o) => o.file === undefined);
  const color = colorWanted(args.color, term.env, term.stdoutIsTTY);
  const report = (r: Partial<Report>): Report => ({
    findings: [], notices: [], ruleFailures: [], configProblems: [], base: paths.base, workspace: paths.prefix,
    filesChecked: 0, ms: performance.now() - started, ...r,
  });

  // A configuration error stops the run: results under a configuration other than the one meant
  // (a misspelt rule id, a refused file) would look clean while being wrong.
  const configProblems: ConfigProblem[] = analysis.configuration().problems.map((p) => paths.problem(p));
  if (configProblems.length) {
    if (stdoutReport?.format !== 'stylish') for (const p of configProblems) err(`deploy-preflight: ${formatConfigProblem(p)}\n`);
    writeReports(args.outputs, report({ configProblems }), color, term.cwd, out, err);
    return 2;
  }

  const progress = progressReporter(err, term.stderrIsTTY && term.env.TERM !== 'dumb' && !term.env.CI);
  const outcome = await analysis.load({ files: only, onProgress: progress.update });
  progress.done();
  if (outcome.status === 'cancelled') { err('deploy-preflight: internal error: the analysis was cancelled\n'); return 2; }

  if (args.explain) {
    const data = analysis.explain();
    const format = args.outputs[0];
    const text = format.format === 'json'
      ? JSON.stringify({ version: 1, workspace: paths.prefix || '.', ...data, skippedFolders: analysis.skippedFolders() }, null, 2) + '\n'
      : formatExplain(data, analysis.skippedFolders());
    if (format.file) fs.writeFileSync(path.resolve(term.cwd, format.file), text);
    else out(text);
    return 0;
  }

  // A run that checked nothing says so: an empty or wrong folder is not a clean result.
  if (outcome.files === 0) {
    const skipped = analysis.skippedFolders();
    err(`deploy-preflight: nothing to check in ${shownRoot}: no deploy files, env files, Cloud Run / Cloud Build / GitHub Actions YAML, manifests or code found` +
      `${skipped.length ? ` (skipped folders: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}; see skipDirs and include in the configuration)` : ''}\n`);
    return 2;
  }
  // A file named on the command line is never skipped silently.
  const notices = analysis.notices();
  const unread = only.filter((f) => !analysis.has(f));
  for (const f of unread) {
    const why = notices.find((n) => n.file === f)?.message ?? 'not a kind of file deploy-preflight reads (deploy scripts, env files, Cloud Run / Cloud Build / GitHub Actions / compose YAML, Python, TypeScript/JavaScript, shell, Dockerfiles, manifests)';
    err(`deploy-preflight: ${paths.file(f)}: not checked: ${why}\n`);
  }
  if (only.length && unread.length === only.length) return 2;

  if (args.fix) await fixAll(analysis, stdoutReport?.format === 'stylish' ? out : err, paths);
  let findings = analysis.findings();
  if (only.length) findings = findings.filter((f) => only.includes(f.file));
  const failures = analysis.ruleFailures();
  const result = report({
    findings: findings.map((f) => paths.finding(f)),
    notices: analysis.notices().map((n) => paths.notice(n)),
    ruleFailures: failures,
    filesChecked: outcome.files,
  });
  const matrixPage = (r: Report): string => formatHtml(analysis.matrix(), r.findings, r.notices, path.basename(root));
  if (!writeReports(args.outputs, result, color, term.cwd, out, err, matrixPage)) return 2;
  if (stdoutReport?.format !== 'stylish') err(`deploy-preflight: ${problemsLine(result.findings)}; ${checkedLine(result)}\n`);
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

/** The CLI process: runs on the process's arguments and sets its exit code. */
export function runCli(): void {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`deploy-preflight: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

// The bundle is also what an extraction worker runs (engine/extract-pool.ts): there it only extracts.
// Started through its launcher (dist/cli.js, server/src/launch/cli.ts), it is not the main module:
// the launcher calls runCli.
if (isExtractWorker()) startExtractWorker();
else if (require.main === module) runCli();
