/**
 * deploy-preflight-language-server: protocol glue only. `--stdio` for any LSP client, `--node-ipc`
 * for VS Code. Analysis stays in the engine; each feature is a function in ./services.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createConnection, ProposedFeatures, TextDocumentSyncKind, CodeActionKind, DidChangeWatchedFilesNotification,
  DidChangeConfigurationNotification, ResponseError, ErrorCodes, DocumentDiagnosticReportKind, ShowMessageNotification, MessageType,
  type InitializeResult, type Connection, type WorkspaceFolder, type DocumentDiagnosticParams, type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { Session, parseSettings, uriToPath, type Settings } from './session';
import { diagnosticModel, fileWatchers, USAGE, transportProblem } from './startup';
import { codeActions, FIX_ALL_KIND } from './services/code-actions';
import { checkWorkspace, explain, fixAll } from './services/commands';
import { hover } from './services/hover';
import { definition } from './services/definition';
import { references } from './services/references';
import { prepareRename, rename } from './services/rename';
import { completion } from './services/completion';
import { documentSymbols } from './services/document-symbols';
import { existsSync } from 'node:fs';
import { matrix } from './services/matrix';
import { VERSION } from '../core/version';
import { SETTINGS_SECTION, ServerCommands, MatrixRequest } from '../../../protocol';

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

  /** Each folder's settings, asked of the client with the folder as scope (`configFile`, `rules` and
   * `enable` are resource settings); a folder the client has nothing for keeps the session's. */
  async function folderSettings(uris: string[]): Promise<Map<string, Settings>> {
    const out = new Map<string, Settings>();
    if (!session.canPullConfiguration || uris.length === 0) return out;
    const raw = await connection.workspace.getConfiguration(uris.map((scopeUri) => ({ scopeUri, section: SETTINGS_SECTION }))).catch(() => undefined) as unknown[] | undefined;
    uris.forEach((uri, i) => {
      const r = Array.isArray(raw) ? raw[i] : undefined;
      // What the folder's scope says wins over what was pushed or given at initialize (a client
      // with nothing for the folder answers null or {}).
      out.set(uri, parseSettings({ ...baseSettings, ...(r && typeof r === 'object' ? r : {}) }));
    });
    return out;
  }

  /**
   * Folder changes, one after another: adding a folder first asks for its settings (a round trip),
   * so a removal sent right after the addition must wait for it, or the folder would be added after
   * its removal and never leave. Indexing is not waited for (it runs in the background, and a
   * removal stops it).
   */
  let folderChanges: Promise<void> = Promise.resolve();
  function changeFolders(added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
    folderChanges = folderChanges.then(async () => {
      if (removed.length) session.removeFolders(removed);
      if (!added.length) return;
      const settings = await folderSettings(added.map((f) => f.uri));
      void Promise.all(session.addFolders(added, settings));
    }).catch((err) => session.log('warn', `workspace folders: ${(err as Error).message}`));
  }

  /** Single-file mode (the client opened no folder): each open file joins a loose folder — its
   * repository's root, else its own folder — analysed from the open documents alone. */
  let singleFile = false;
  /** The settings given for all folders: at initialize, pushed, or asked without a scope. */
  let baseSettings: Record<string, unknown> = {};
  /** New settings for all folders (a client's answer of nothing — null, {} — keeps the last ones). */
  const setBase = (raw: unknown): void => {
    if (raw && typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length) baseSettings = { ...(raw as Record<string, unknown>) };
    session.settings = parseSettings(baseSettings);
  };
  let toldSingleFile = false;
  function looseFolderFor(uri: string): void {
    const file = uriToPath(uri);
    if (!file || session.locate(uri)) return;
    const root = repositoryRoot(path.dirname(file));
    const folder = { uri: pathToFileURL(root).href, name: path.basename(root) };
    void Promise.all(session.addFolders([folder], undefined, { loose: true }));
    if (!toldSingleFile) {
      toldSingleFile = true;
      const message = 'Deploy Preflight: no workspace folder is open, so only the open files are checked, together. ' +
        'Most findings need a deploy file and the code it ships: open the repository as a folder to check them all.';
      session.log('warn', message);
      // A notification, not showMessageRequest: nothing to answer, no prompt in editors that prompt.
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message }).catch(() => undefined);
    }
  }

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    session.canPullConfiguration = !!caps.workspace?.configuration;
    watchDynamic = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    configDynamic = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    folderEvents = !!caps.workspace?.workspaceFolders;
    const init = params.initializationOptions as { settings?: unknown; diagnostics?: unknown } | undefined;
    if (init?.settings) setBase(init.settings);
    session.pull = diagnosticModel(caps, init?.diagnostics) === 'pull';
    if (session.pull) session.onPullRefresh = () => { void connection.languages.diagnostics.refresh().catch(() => undefined); };
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    pendingFolders = folders;
    singleFile = folders.length === 0;
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
        executeCommandProvider: { commands: [ServerCommands.checkWorkspace, ServerCommands.fixAll, ServerCommands.explain] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...(session.pull ? { diagnosticProvider: { identifier: 'deploy-preflight', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      },
      serverInfo: { name: 'deploy-preflight', version: VERSION },
    };
  });
  let pendingFolders: { uri: string; name: string }[] = [];

  connection.onInitialized(async () => {
    try {
      if (configDynamic) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      if (watchDynamic) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: fileWatchers() });
      }
      if (folderEvents) {
        connection.workspace.onDidChangeWorkspaceFolders((e) => changeFolders(e.added, e.removed));
      }
      if (session.canPullConfiguration) setBase(await connection.workspace.getConfiguration({ section: SETTINGS_SECTION }).catch(() => undefined));
    } catch (err) {
      session.log('warn', `initialized: ${(err as Error).message}`);
    }
    changeFolders(pendingFolders, []);
  });

  connection.onDidChangeConfiguration(guard('didChangeConfiguration', undefined, async (p) => {
    // A client that answers workspace/configuration is asked, folder by folder (what it pushes is
    // one settings object for all); others push their settings.
    const pushed = (p.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    if (session.canPullConfiguration) {
      setBase(pushed ?? await connection.workspace.getConfiguration({ section: SETTINGS_SECTION }).catch(() => undefined));
      const folders = [...session.folders.values()];
      const scoped = await folderSettings(folders.filter((f) => !f.loose).map((f) => f.uri));
      for (const f of folders) if (f.loose) scoped.set(f.uri, session.settings);
      await session.updateFolderSettings(scoped);
      return;
    }
    baseSettings = {};
    setBase(pushed);
    await session.updateSettings(session.settings);
  }));

  documents.onDidOpen((e) => {
    if (!singleFile) {
      session.opened(e.document);
      return;
    }
    looseFolderFor(e.document.uri);
    session.opened(e.document);
    session.changed(e.document.uri); // analysed and published like an edit (a loose folder is not indexed)
  });
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
    if (p.command === ServerCommands.checkWorkspace) return checkWorkspace(session);
    if (p.command === ServerCommands.fixAll) return fixAll(session, typeof p.arguments?.[0] === 'string' ? (p.arguments[0] as string) : undefined);
    if (p.command === ServerCommands.explain) return explain(session);
    throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${p.command}`);
  }));

  // Pull diagnostics: the client asks for a document's or the workspace's; a result id lets it skip
  // what has not changed. The session's diagnostics are those it would have pushed.
  connection.languages.diagnostics.on(guard<DocumentDiagnosticParams, DocumentDiagnosticReport>('textDocument/diagnostic', { kind: DocumentDiagnosticReportKind.Full, items: [] }, (p) => {
    session.flush(p.textDocument.uri);
    const resultId = session.resultId(p.textDocument.uri);
    if (p.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: session.current.get(p.textDocument.uri) ?? [] };
  }));
  connection.languages.diagnostics.onWorkspace(guard('workspace/diagnostic', { items: [] }, (p) => {
    const previous = new Map(p.previousResultIds.map((r) => [r.uri, r.value]));
    const uris = new Set([...session.current.keys(), ...previous.keys()]);
    return {
      items: [...uris].map((uri) => {
        const resultId = session.resultId(uri);
        const version = session.documents.get(uri)?.version ?? null;
        return previous.get(uri) === resultId
          ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId }
          : { kind: DocumentDiagnosticReportKind.Full, uri, version, resultId, items: session.current.get(uri) ?? [] };
      }),
    };
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

/** The folder holding `.git` at or above `dir`, else `dir`. */
function repositoryRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (argv.includes('--version') || argv.includes('-v')) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const problem = transportProblem(argv);
if (problem) {
  process.stderr.write(`deploy-preflight-language-server: ${problem}\n\n${USAGE}`);
  process.exit(2);
}
const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
