/**
 * The VS Code side of Deploy Preflight, kept thin: start the language server (IPC), show its
 * state in a language status item, and offer a few commands. All analysis runs in the server.
 */
import * as vscode from 'vscode';
import {
  CloseAction, LanguageClient, TransportKind, State,
  type CloseHandlerResult, type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ClientCommands, DIAGNOSTIC_SOURCE, ServerCommands, SETTINGS_SECTION, StatusNotification,
  type CheckWorkspaceResult, type ExplainResult, type FixAllResult,
} from '../../protocol';
import { MatrixPanel } from './matrix/panel';
import { checkWorkspaceFeedback, fixAllFeedback, statusDetail, statusText, type StatusState } from './feedback';

/** The documents whose buffers the server analyses as they are edited: every kind it reads that an
 * editor names by a language id (Terraform's and Prisma's come with their own extensions). */
const LANGUAGES = ['dotenv', 'yaml', 'shellscript', 'powershell', 'python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact',
  'dockerfile', 'makefile', 'terraform', 'prisma'];

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

/** How often the client restarts a server that exits unexpectedly (within 3 minutes) before giving up. */
const MAX_RESTARTS = 4;

/**
 * What `activate` returns (`vscode.extensions.getExtension(…).exports`): the language status
 * item as shown, for the end-to-end tests and any extension that wants to show the same.
 */
export interface DeployPreflightApi {
  status(): { text: string; detail: string | undefined; busy: boolean; severity: vscode.LanguageStatusSeverity };
}

export async function activate(context: vscode.ExtensionContext): Promise<DeployPreflightApi> {
  output = vscode.window.createOutputChannel('Deploy Preflight', { log: true });
  context.subscriptions.push(output);

  const status = vscode.languages.createLanguageStatusItem('deployPreflight.status', LANGUAGES.map((language) => ({ language, scheme: 'file' })));
  status.name = 'Deploy Preflight';
  const SHOW_PROBLEMS = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
  const RESTART = { title: 'Restart Server', command: ClientCommands.restartServer };
  context.subscriptions.push(status);
  // "here": the active editor's problems (not the Hints marking another finding's other end);
  // "in workspace": the server's count, from its status notification.
  const state: StatusState = { indexing: true, here: 0, workspace: undefined, stopped: false, restarting: false, crashes: 0, gaveUp: false };
  const render = (): void => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    state.here = uri ? vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE && d.severity !== vscode.DiagnosticSeverity.Hint).length : 0;
    status.busy = (state.indexing || !!state.restarting) && !state.stopped;
    status.text = statusText(state);
    status.detail = statusDetail(state);
    status.severity = state.gaveUp ? vscode.LanguageStatusSeverity.Error
      : state.here > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    // Stopped for good: the item's action is the way back.
    status.command = state.gaveUp ? RESTART : SHOW_PROBLEMS;
  };
  render();
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics((e) => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      if (uri && e.uris.some((u) => u.toString() === uri)) render();
    }),
    vscode.window.onDidChangeActiveTextEditor(render),
  );

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ language, scheme: 'file' })),
    // Settings changes are announced; the server then asks for each folder's settings (configFile,
    // rules and enable are per folder). Files are watched by the server's own registration, for
    // the kinds it reads only.
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: output,
    // Push diagnostics: the Problems panel shows the whole workspace's findings as soon as they are known.
    initializationOptions: { settings: vscode.workspace.getConfiguration().get(SETTINGS_SECTION), diagnostics: 'push' },
  };

  // The library's own policy (restart up to MAX_RESTARTS times in 3 minutes), observed: each
  // unexpected exit is counted and timed for the status item, and giving up is shown there too.
  let policy: ErrorHandler | undefined;
  const errorHandler: ErrorHandler = {
    error: (error, message, count) => policy!.error(error, message, count),
    closed: async (): Promise<CloseHandlerResult> => {
      const r = await policy!.closed();
      state.crashes = (state.crashes ?? 0) + 1;
      state.lastCrash = new Date().toLocaleTimeString();
      if (r.action === CloseAction.Restart) {
        state.restarting = true;
        output?.warn(`The language server exited unexpectedly (${state.crashes} since activation or the last Restart Server); restarting it.`);
      } else {
        state.gaveUp = true;
        output?.error(`The language server exited unexpectedly again (${state.crashes} times); not restarting it. Run "Deploy Preflight: Restart Server".`);
      }
      render();
      return r;
    },
  };

  const start = async (): Promise<void> => {
    // The client's id names its trace setting (`deployPreflight.trace.server`): the settings section.
    const c = new LanguageClient(SETTINGS_SECTION, 'Deploy Preflight', serverOptions, { ...clientOptions, errorHandler });
    client = c;
    policy = c.createDefaultErrorHandler(MAX_RESTARTS);
    context.subscriptions.push(c.onNotification(StatusNotification.type, (s) => {
      state.indexing = s.indexing;
      state.workspace = s.findings;
      state.stopped = false;
      render();
    }));
    context.subscriptions.push(c.onDidChangeState((e) => {
      if (c !== client) return; // a client replaced by Restart Server
      state.stopped = e.newState === State.Stopped || e.newState === State.StartFailed;
      // A (re)started server indexes afresh: until its first status, the old counts are not its.
      if (e.newState === State.Starting) state.indexing = true;
      if (e.newState === State.Running || e.newState === State.StartFailed) state.restarting = false;
      render();
    }));
    await c.start();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(ClientCommands.checkWorkspace, async () => {
      if (!client) return;
      state.indexing = true;
      render();
      const r = await client.sendRequest('workspace/executeCommand', { command: ServerCommands.checkWorkspace, arguments: [] }) as CheckWorkspaceResult | null;
      void vscode.window.showInformationMessage(checkWorkspaceFeedback(r));
    }),
    vscode.commands.registerCommand(ClientCommands.fixAll, async () => {
      if (!client) return;
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      const r = await client.sendRequest('workspace/executeCommand', { command: ServerCommands.fixAll, arguments: uri ? [uri] : [] }) as FixAllResult | null;
      const feedback = fixAllFeedback(r);
      if (!feedback.changed || !r?.files.length) {
        void vscode.window.showInformationMessage(feedback.message);
        return;
      }
      const first = vscode.Uri.parse(r.files[0].uri);
      const action = await vscode.window.showInformationMessage(feedback.message, SHOW_CHANGES);
      if (action !== SHOW_CHANGES) return;
      if (await inGitRepository(first)) await vscode.commands.executeCommand('workbench.view.scm');
      else await vscode.window.showTextDocument(first);
    }),
    vscode.commands.registerCommand(ClientCommands.explain, async () => {
      if (!client) return;
      const r = await client.sendRequest('workspace/executeCommand', { command: ServerCommands.explain, arguments: [] }) as ExplainResult | null;
      if (!r) return;
      const doc = await vscode.workspace.openTextDocument({ content: r.text, language: 'plaintext' });
      await vscode.window.showTextDocument(doc, { preview: false });
    }),
    vscode.commands.registerCommand(ClientCommands.showOutput, () => output?.show(true)),
    vscode.commands.registerCommand(ClientCommands.showMatrix, () => MatrixPanel.show(context, () => client)),
    vscode.commands.registerCommand(ClientCommands.restartServer, async () => {
      // Asked for: the count of unexpected exits starts again.
      Object.assign(state, { restarting: true, indexing: true, crashes: 0, lastCrash: undefined, gaveUp: false });
      render();
      const old = client;
      try {
        // Still coming up (after a crash, or a restart clicked twice): let it, then restart it;
        // dropping a starting client would leave its server running beside the new one.
        if (old?.state === State.Starting) await old.start().catch(() => undefined);
        if (old?.state === State.Running) {
          await old.restart();
          return;
        }
        // Stopped for good or failed to start: a failed client cannot be restarted, so a new one.
        client = undefined;
        await old?.dispose().catch(() => undefined);
        await start();
      } finally {
        state.restarting = false;
        render();
      }
    }),
  );

  // The server honours deployPreflight.enable itself, so turning it back on needs no restart.
  await start();
  return {
    status: () => ({ text: status.text, detail: status.detail, busy: status.busy, severity: status.severity }),
  };
}

const SHOW_CHANGES = 'Show changes';

/** Whether the file's workspace folder holds a git repository (then "Show changes" opens Source Control). */
async function inGitRepository(file: vscode.Uri): Promise<boolean> {
  try {
    // The built-in git extension knows repositories above the folder too.
    const git = vscode.extensions.getExtension<{ getAPI(v: 1): { getRepository(uri: vscode.Uri): unknown } }>('vscode.git');
    if (git?.isActive && git.exports.getAPI(1).getRepository(file)) return true;
  } catch {
    /* no git extension: look for .git */
  }
  const folder = vscode.workspace.getWorkspaceFolder(file);
  if (!folder) return false;
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, '.git'));
    return true;
  } catch {
    return false;
  }
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
