/** How the server starts: its command line, and what it agrees with the client at initialize
 * (push or pull diagnostics, which files to watch). */
import type { ClientCapabilities, FileSystemWatcher } from 'vscode-languageserver/node';
import { WATCH_GLOBS } from '../engine/analysis';
import { SETTINGS_SECTION } from '../../../protocol';

export const USAGE = `Usage: deploy-preflight-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>

The Deploy Preflight language server: deploy misconfiguration findings (Cloud Run, Cloud Build,
GitHub Actions, shell and Python deploy scripts, env files, and the code they ship) as
diagnostics, with quick fixes, hover, go to definition, references and rename.

Transport (one is required):
  --stdio                   JSON-RPC over standard input and output (most editors)
  --node-ipc                Node IPC (VS Code)
  --socket=<port>           a TCP socket on localhost
  --pipe=<name>             a named pipe or Unix socket
  --clientProcessId=<pid>   exit when that process exits

  -h, --help                this text
  -v, --version             the version

Settings come from workspace/configuration (section "${SETTINGS_SECTION}", asked per workspace
folder) or initializationOptions.settings: enable, rules, scope, configFile. Diagnostics are
pulled when the client supports pull diagnostics with refresh (initializationOptions.diagnostics:
"push" or "pull" decides instead). Without a workspace folder, open files are checked together,
on their own. Setup for Neovim, Helix, Emacs and JetBrains IDEs:
https://github.com/deploy-preflight/deploy-preflight/blob/main/docs/editors.md
`;

/** Why the arguments cannot start a server (no transport), or undefined. */
export function transportProblem(argv: string[]): string | undefined {
  const transports = argv.filter((a) => /^--(stdio|node-ipc|socket(=.+)?|pipe(=.+)?)$/.test(a));
  if (transports.length === 0) return 'choose a transport: --stdio, --node-ipc, --socket=<port> or --pipe=<name>';
  return undefined;
}

/**
 * Push or pull. A client that asks for pull diagnostics and can be told to refresh them gets
 * pull (a finding is cross-file: an edit in one file changes another's diagnostics, which only a
 * refresh can say); others get push. `initializationOptions.diagnostics` overrides: the VS Code
 * extension asks for push, which shows the whole workspace's findings at once.
 */
export function diagnosticModel(caps: ClientCapabilities, requested: unknown): 'push' | 'pull' {
  if (requested === 'push') return 'push';
  const canPull = !!caps.textDocument?.diagnostic;
  if (requested === 'pull' && canPull) return 'pull';
  return canPull && !!caps.workspace?.diagnostics?.refreshSupport ? 'pull' : 'push';
}

/** WatchKind: 1 create, 2 change, 4 delete. */
const ALL = 7;
const DELETE = 4;

/** Changes to the files the engine reads; deletions anywhere (a deleted folder takes its files along). */
export function fileWatchers(): FileSystemWatcher[] {
  return [...WATCH_GLOBS.map((globPattern) => ({ globPattern, kind: ALL })), { globPattern: '**/*', kind: DELETE }];
}
