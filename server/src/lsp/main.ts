/**
 * deploy-preflight-language-server: protocol glue only. `--stdio` for any LSP client, `--node-ipc`
 * for VS Code. Analysis stays in the engine; each feature is a function in ./services.
 */
import {
  createConnection, ProposedFeatures, TextDocumentSyncKind, CodeActionKind, DidChangeWatchedFilesNotification,
  DidChangeConfigurationNotification, ResponseError, ErrorCodes, type InitializeResult, type Connection,
} from 'vscode-languageserver/node';
import { Session, parseSettings } from './session';
import { codeActions, FIX_ALL_KIND, toWorkspaceEdit } from './services/code-actions';
import { hover } from './services/hover';
import { definition } from './services/definition';
import { references } from './services/references';
import { prepareRename, rename } from './services/rename';
import { completion } from './services/completion';
import { documentSymbols } from './services/document-symbols';
import { matrix } from './services/matrix';
import { VERSION } from '../core/version';
import { SETTINGS_SECTION, ServerCommands, MatrixRequest, type CheckWorkspaceResult, type FixAllResult } from '../../../protocol';

export function startServer(connection: Connection): Session {
  const session = new Session(connection);
  const { documents } = session;
  let watchDynamic = false;
  let configDynamic = false;
  let folderEvents = false;

  /** Runs a handler; a failure is logged and answered with `fallback` (a ResponseError goes to the client). */
  function guard<P, R>(name: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
    return async (p: P) => {
      try {
        return await fn(p);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        session.log('error', `${name} failed: ${(err as Error).stack ?? err}`);
        const uri = (p as { textDocument?: { uri?: string } })?.textDocument?.uri;
        if (uri) {
          session.failures.set(uri, `Deploy Preflight: ${name} failed on this file: ${(err as Error).message}`);
          session.schedulePublish();
        }
        return fallback;
      }
    };
  }

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    session.canPullConfiguration = !!caps.workspace?.configuration;
    watchDynamic = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    configDynamic = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    folderEvents = !!caps.workspace?.workspaceFolders;
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) session.settings = parseSettings(init.settings);
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    pendingFolders = folders;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: [], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: [ServerCommands.checkWorkspace, ServerCommands.fixAll] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'deploy-preflight', version: VERSION },
    };
  });
  let pendingFolders: { uri: string; name: string }[] = [];

  connection.onInitialized(async () => {
    try {
      if (configDynamic) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      if (watchDynamic) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
      }
      if (folderEvents) {
        connection.workspace.onDidChangeWorkspaceFolders((e) => {
          session.removeFolders(e.removed);
          void Promise.all(session.addFolders(e.added));
        });
      }
      if (session.canPullConfiguration) {
        const raw = await connection.workspace.getConfiguration({ section: SETTINGS_SECTION }).catch(() => undefined);
        if (raw) session.settings = parseSettings(raw);
      }
    } catch (err) {
      session.log('warn', `initialized: ${(err as Error).message}`);
    }
    void Promise.all(session.addFolders(pendingFolders));
  });

  connection.onDidChangeConfiguration(guard('didChangeConfiguration', undefined, async (p) => {
    const pushed = (p.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    let raw: unknown = pushed;
    if (raw === undefined && session.canPullConfiguration) raw = await connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
    await session.updateSettings(parseSettings(raw));
  }));

  documents.onDidOpen((e) => session.opened(e.document));
  documents.onDidChangeContent((e) => session.changed(e.document.uri));
  documents.onDidClose((e) => session.closed(e.document.uri));
  connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, (p) => session.watched(p.changes)));

  connection.onCodeAction(guard('codeAction', [], (p) => {
    const ctx = session.context(p.textDocument.uri);
    return ctx ? codeActions(ctx, p) : [];
  }));
  connection.onHover(guard('hover', null, (p) => {
    const ctx = session.context(p.textDocument.uri);
    return ctx ? hover(ctx, p.position) : null;
  }));
  connection.onDefinition(guard('definition', null, (p) => {
    const ctx = session.context(p.textDocument.uri);
    return ctx ? definition(ctx, p.position) : null;
  }));
  connection.onReferences(guard('references', null, (p) => {
    const ctx = session.context(p.textDocument.uri);
    return ctx ? references(ctx, p.position, p.context.includeDeclaration) : null;
  }));
  connection.onPrepareRename(guard('prepareRename', null, (p) => {
    const ctx = session.context(p.textDocument.uri);
    return ctx ? prepareRename(ctx, p.position) : null;
  }));
  connection.onRenameRequest(guard('rename', null, (p) => {
    const ctx = session.context(p.textDocument.uri);
    return ctx ? rename(ctx, p.position, p.newName) : null;
  }));
  connection.onCompletion(guard('completion', [], (p) => {
    const ctx = session.context(p.textDocument.uri);
    return ctx ? completion(ctx, p.position) : [];
  }));
  connection.onDocumentSymbol(guard('documentSymbol', [], (p) => {
    const ctx = session.context(p.textDocument.uri);
    return ctx ? documentSymbols(ctx) : [];
  }));

  connection.onRequest(MatrixRequest.type, guard('matrix', { folders: [] }, (p) => matrix(session.folders.values(), p, session.settings.enable)));

  connection.onExecuteCommand(guard('executeCommand', null as unknown, async (p) => {
    if (p.command === ServerCommands.checkWorkspace) {
      await Promise.all([...session.folders.values()].map((f) => session.index(f)));
      return { findings: [...session.folders.values()].reduce((n, f) => n + f.analysis.findings().length, 0) } satisfies CheckWorkspaceResult;
    }
    if (p.command === ServerCommands.fixAll) {
      const uri = typeof p.arguments?.[0] === 'string' ? (p.arguments[0] as string) : undefined;
      const target = uri ? session.locate(uri) : undefined;
      let applied = 0;
      for (const folder of session.folders.values()) {
        if (uri && target?.folder !== folder) continue;
        if (uri) session.flush(uri);
        const plan = folder.analysis.fixPlan(target ? { file: target.rel } : {});
        if (!plan.edits.length) continue;
        const edit = toWorkspaceEdit({ analysis: folder.analysis, uriOf: (r) => folder.uriOf(r) }, plan.edits);
        const res = await connection.workspace.applyEdit({ label: 'Deploy Preflight: fix all', edit });
        if (res.applied) applied += plan.fixes.length;
      }
      return { applied } satisfies FixAllResult;
    }
    throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${p.command}`);
  }));

  connection.onShutdown(() => {
    session.log('info', 'shutting down');
  });

  documents.listen(connection);
  return session;
}

process.on('uncaughtException', (err) => {
  try {
    process.stderr.write(`deploy-preflight-language-server: uncaught ${err.stack ?? err}\n`);
  } catch {
    /* ignore */
  }
});

if (process.argv.includes('--version')) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
