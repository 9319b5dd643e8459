/** The command line: flags, the reports to write and where, and usage text. */
import * as path from 'node:path';
import { defaultCacheLocation } from '../engine/analysis';
export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: deploy-preflight [folder] [files…] [options]

Checks deploy scripts, env files, Cloud Run / Cloud Build / GitHub Actions YAML and the code
they deploy for misconfiguration across files. The folder is the workspace (default: the current
directory); files narrow the report to them (and are read even inside skipped folders). Report
paths are relative to the repository root (the git top level), else to the current directory.

Options:
  -f, --format <stylish|json|sarif|github|html>  report format (default: stylish); repeat it to
                                        write several reports, each with its own -o; html is one
                                        self-contained page with the deploy matrix
  -o, --output-file <file>              write the report of the --format before it (or the only
                                        one) to <file> instead of standard output
  -c, --config <file>                   configuration file, relative to the current directory
                                        (default: .deploy-preflight.yaml in the workspace)
      --max-warnings <n>                exit 1 when there are more than n warnings
      --fix                             apply every safe fix and print what changed
      --explain                         print the services, environments and deploy targets found,
                                        with evidence (--format json for JSON)
      --print-config                    print the effective configuration as JSON and exit
      --color, --no-color               force colours on or off (default: on for a terminal,
                                        honouring FORCE_COLOR, NO_COLOR and TERM=dumb)
      --exit-zero                       exit 0 even when there are findings (still 2 on failure)
      --no-cache                        extract every file again, compile the tool again (no
                                        persistent fact cache, no code cache)
      --cache-location <dir>            where the fact cache and the code cache live (default:
                                        the OS cache folder's deploy-preflight)
      --concurrency <n>                 worker threads that parse code in a large cold run
                                        (default 0: parse on the main thread)
  -h, --help, -v, --version

deploy-preflight drift [workspace] (--deployed DIR | --live): compare with what is running
(deploy-preflight drift --help).

Exit status: 0 no errors and warnings within --max-warnings; 1 findings over that;
2 bad usage, a configuration error, nothing to check, or an internal failure.
`;

export interface Output {
  format: Format;
  /** Written to this file; standard output when absent. */
  file?: string;
}

export interface Args {
  paths: string[];
  outputs: Output[];
  config?: string;
  maxWarnings: number;
  fix: boolean;
  explain: boolean;
  printConfig: boolean;
  /** --color / --no-color; undefined: decided by the environment. */
  color?: boolean;
  exitZero: boolean;
  /** The fact cache's folder, or false for none. */
  cache: string | false;
  /** --concurrency: worker threads for parsing; undefined: none. */
  workers?: number;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): Args | 'help' | 'version' {
  const args: Args = { paths: [], outputs: [], maxWarnings: -1, fix: false, explain: false, printConfig: false, exitZero: false, cache: defaultCacheLocation() ?? false };
  // An -o given before any --format waits for the next one.
  let pendingFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('-') && v !== '-' && !/^-\d/.test(v))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help': case '-h': return 'help';
      case '--version': case '-v': return 'version';
      case '--format': case '-f': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown format "${v}" (${FORMATS.join(', ')})`);
        args.outputs.push({ format: v as Format, file: pendingFile });
        pendingFile = undefined;
        break;
      }
      case '--output-file': case '-o': {
        const file = value();
        const open = [...args.outputs].reverse().find((o) => o.file === undefined);
        if (open) open.file = file;
        else if (pendingFile === undefined && args.outputs.length === 0) pendingFile = file;
        else throw new UsageError(`${flag} ${file}: every --format before it already has an output file`);
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
      case '--print-config': args.printConfig = true; break;
      case '--no-color': args.color = false; break;
      case '--color': args.color = true; break;
      case '--exit-zero': args.exitZero = true; break;
      case '--no-cache': args.cache = false; break;
      case '--cache-location': args.cache = path.resolve(value()); break;
      case '--concurrency': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 0 || v > 64) throw new UsageError('--concurrency needs a whole number from 0 to 64');
        args.workers = v;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        args.paths.push(a);
    }
  }
  if (args.outputs.length === 0) args.outputs.push({ format: 'stylish', file: pendingFile });
  else if (pendingFile !== undefined) throw new UsageError(`-o ${pendingFile}: no --format to write`);
  if (args.outputs.filter((o) => o.file === undefined).length > 1) {
    throw new UsageError('only one report can go to standard output: give the others an -o <file> after their --format');
  }
  const files = args.outputs.map((o) => o.file).filter((f): f is string => f !== undefined);
  if (new Set(files).size !== files.length) throw new UsageError('two reports would be written to the same file');
  return args;
}

/** Whether to colour output for a stream: the flag, else FORCE_COLOR, NO_COLOR, TERM=dumb, else whether it is a terminal. */
export function colorWanted(flag: boolean | undefined, env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  // As Node itself: FORCE_COLOR wins over NO_COLOR; '0' and 'false' turn colour off.
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
