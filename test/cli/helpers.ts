/** CLI test helpers: a small original repository (test/cli/fixtures/ledger) copied to a temp dir, and
 * an in-process run of the CLI with its terminal (cwd, environment, TTYs) chosen by the test. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type Terminal } from '../../server/src/cli/main';

export const FIXTURE = path.join(__dirname, 'fixtures', 'ledger');

let tmp: string | undefined;
export function tempDir(): string {
  tmp ??= fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-cli-')));
  return tmp;
}
process.on('exit', () => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

/**
 * A copy of the fixture as a repository: `<tmp>/<name>/` holds `.git` (when `git`), and the
 * fixture's files under `under` (default: the repository root). Returns the repository root.
 */
export function fixtureRepo(name: string, opts: { git?: boolean; under?: string } = {}): string {
  const root = path.join(tempDir(), name);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  if (opts.git ?? true) fs.mkdirSync(path.join(root, '.git'));
  fs.cpSync(FIXTURE, path.join(root, opts.under ?? ''), { recursive: true });
  return root;
}

export function write(root: string, rel: string, text: string): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export interface Run { code: number; out: string; err: string }

export async function cli(args: string[], terminal: Partial<Terminal> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => { out += s; }, (s) => { err += s; }, { env: {}, stdoutIsTTY: false, stderrIsTTY: false, ...terminal });
  return { code, out, err };
}

export interface JsonReport {
  findings: { rule: string; file: string; related: { file: string }[]; fixes: { edits: { file: string }[] }[] }[];
  notices: { file: string; message: string }[];
  configErrors: { file: string; line?: number; column?: number; message: string }[];
  summary: { filesChecked: number; ms: number; workspace: string };
}
