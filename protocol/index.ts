/**
 * What the VS Code extension and the language server say to each other beyond standard LSP,
 * declared once: the custom status notification, the command ids (the extension's, contributed
 * in package.json, and the server's, run through workspace/executeCommand) and their results.
 * Bundled into both dist/extension.js and dist/server.js by scripts/build.mjs.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

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
  showMatrix: 'deployPreflight.showMatrix',
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

// ---- the deploy matrix (`deployPreflight/matrix`) ----------------------------------------------

/** Where a cell's value is set or read, a reader, a finding: a document and a range in it. */
export interface MatrixLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface MatrixFindingInfo {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  location: MatrixLocation;
}

/** One variable in one deploy target. `detail` describes the value; values themselves are never sent. */
export interface MatrixCellInfo {
  state: 'literal' | 'secret' | 'env-file' | 'expression' | 'inherited' | 'placeholder' | 'code-default' | 'platform' | 'missing' | 'unknown';
  detail: string;
  location?: MatrixLocation;
  findings: MatrixFindingInfo[];
  severity?: 'error' | 'warning' | 'info';
}

export interface MatrixColumnInfo {
  key: string;
  service: string;
  environment: string;
  partial: string[];
  deploys: { via: string; location: MatrixLocation }[];
}

export interface MatrixRowInfo {
  name: string;
  required: boolean;
  readers: { service?: string; location: MatrixLocation; required: boolean }[];
  cells: Record<string, MatrixCellInfo>;
  findings: MatrixFindingInfo[];
}

/** The matrix of one workspace folder. */
export interface MatrixFolderInfo {
  uri: string;
  name: string;
  /** Still being indexed: the matrix may be incomplete. */
  indexing: boolean;
  columns: MatrixColumnInfo[];
  rows: MatrixRowInfo[];
}

export interface MatrixParams {
  /** A workspace folder's URI; every folder when absent. */
  folder?: string;
}

export interface MatrixResult {
  folders: MatrixFolderInfo[];
}

/** The variables × (service, environment) matrix with findings, for the extension's webview. */
export namespace MatrixRequest {
  export const method = 'deployPreflight/matrix';
  export const type = new RequestType<MatrixParams, MatrixResult, void>(method);
}
