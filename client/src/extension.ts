/**
 * The VS Code side of Deploy Preflight, kept thin: start the language server (IPC), show its
 * state in a language status item, and offer a few commands. All analysis runs in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, State, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  ClientCommands, DIAGNOSTIC_SOURCE, ServerCommands, SETTINGS_SECTION, StatusNotification,
  type CheckWorkspaceResult, type ExplainResult, type FixAllResult,
} from '../../protocol';
import { MatrixPanel } from './matrix/panel';
import { checkWorkspaceFeedback, fixAllFeedback, statusText } from './feedback';

const LANGUAGES = ['dotenv', 'yaml', 'shellscript', 'python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Deploy Preflight', { log: true });
  context.subscriptions.push(output);

  const status = vscode.languages.createLanguageStatusItem('deployPreflight.status', LANGUAGES.map((language) => ({ language, scheme: 'file' })));
  status.name = 'Deploy Preflight';
  status.detail = 'problems in this file · in the workspace';
  status.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
  context.subscriptions.push(status);
  // "here": the active editor's problems (not the Hints marking another finding's other end);
  // "in workspace": the server's count, from its status notification.
  const state = { indexing: true, here: 0, workspace: undefined as number | undefined, stopped: false };
  const render = (): void => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    state.here = uri ? vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE && d.severity !== vscode.DiagnosticSeverity.Hint).length : 0;
    status.busy = state.indexing && !state.stopped;
    status.text = statusText(state);
    status.severity = state.here > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
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

  const start = async (): Promise<void> => {
    // The client's id names its trace setting (`deployPreflight.trace.server`): the settings section.
    client = new LanguageClient(SETTINGS_SECTION, 'Deploy Preflight', serverOptions, clientOptions);
    context.subscriptions.push(client.onNotification(StatusNotification.type, (s) => {
      state.indexing = s.indexing;
      state.workspace = s.findings;
      state.stopped = false;
      render();
    }));
    context.subscriptions.push(client.onDidChangeState((e) => {
      state.stopped = e.newState === State.Stopped;
      render();
    }));
    await client.start();
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
      if (client) await client.restart();
      else await start();
    }),
  );

  // The server honours deployPreflight.enable itself, so turning it back on needs no restart.
  await start();
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
