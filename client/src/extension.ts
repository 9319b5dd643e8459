/**
 * The VS Code side of Deploy Preflight, kept thin: start the language server (IPC), show its
 * state in a language status item, and offer a few commands. All analysis runs in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, State, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  ClientCommands, ServerCommands, SETTINGS_SECTION, StatusNotification, type CheckWorkspaceResult, type FixAllResult,
} from '../../protocol';
import { MatrixPanel } from './matrix/panel';

const LANGUAGES = ['dotenv', 'yaml', 'shellscript', 'python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Deploy Preflight', { log: true });
  context.subscriptions.push(output);

  const status = vscode.languages.createLanguageStatusItem('deployPreflight.status', LANGUAGES.map((language) => ({ language, scheme: 'file' })));
  status.name = 'Deploy Preflight';
  status.text = '$(sync~spin) indexing…';
  status.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
  context.subscriptions.push(status);

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
      status.busy = s.indexing;
      status.text = s.indexing ? 'indexing…' : `${s.findings} finding${s.findings === 1 ? '' : 's'}`;
      status.severity = s.findings > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    }));
    context.subscriptions.push(client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) status.text = 'stopped';
    }));
    await client.start();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(ClientCommands.checkWorkspace, async () => {
      if (!client) return;
      status.text = 'indexing…';
      const r = await client.sendRequest('workspace/executeCommand', { command: ServerCommands.checkWorkspace, arguments: [] }) as CheckWorkspaceResult | null;
      if (r) vscode.window.setStatusBarMessage(`Deploy Preflight: ${r.findings} finding(s)`, 5000);
    }),
    vscode.commands.registerCommand(ClientCommands.fixAll, async () => {
      if (!client) return;
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      const r = await client.sendRequest('workspace/executeCommand', { command: ServerCommands.fixAll, arguments: uri ? [uri] : [] }) as FixAllResult | null;
      vscode.window.setStatusBarMessage(`Deploy Preflight: ${r?.applied ?? 0} fix(es) applied`, 5000);
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

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
