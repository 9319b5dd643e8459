/**
 * What the VS Code extension and the language server say to each other beyond standard LSP,
 * declared once: the custom status notification, the command ids (the extension's, contributed
 * in package.json, and the server's, run through workspace/executeCommand) and their results.
 * Bundled into both dist/extension.js and dist/server.js by scripts/build.mjs.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

/** The settings section both sides read (`deployPreflight.*` in package.json `contributes.configuration`). */
export const SETTINGS_SECTION = 'deployPreflight';

/** The server's state, for the extension's language status item. */
export interface StatusParams {
  /** A workspace folder is being (re)indexed. */
  indexing: boolean;
  /** Findings over every workspace folder. */
  findings: number;
}

export namespace StatusNotification {
  export const method = 'deployPreflight/status';
  export const type = new NotificationType<StatusParams>(method);
}

/** Commands the extension contributes (package.json `contributes.commands`). */
export const ClientCommands = {
  checkWorkspace: 'deployPreflight.checkWorkspace',
  fixAll: 'deployPreflight.fixAll',
  showOutput: 'deployPreflight.showOutput',
  restartServer: 'deployPreflight.restartServer',
} as const;

/** Commands the server executes (`workspace/executeCommand`). */
export const ServerCommands = {
  /** Re-indexes every folder from disk. No arguments. */
  checkWorkspace: 'deployPreflight.server.checkWorkspace',
  /** Applies the safe fixes of one document (argument: its URI) or of every folder (no argument). */
  fixAll: 'deployPreflight.server.fixAll',
} as const;

export interface CheckWorkspaceResult {
  findings: number;
}

export interface FixAllResult {
  /** Fixes applied (each whole). */
  applied: number;
}
