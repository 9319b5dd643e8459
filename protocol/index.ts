/**
 * What the VS Code extension and the language server say to each other beyond standard LSP,
 * declared once: the custom status notification, the command ids (the extension's, contributed
 * in package.json, and the server's, run through workspace/executeCommand) and their results.
 * Bundled into both dist/extension.js and dist/server.js by scripts/build.mjs.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** The settings section both sides read (`deployPreflight.*` in package.json `contributes.configuration`). */
export const SETTINGS_SECTION = 'deployPreflight';

/** The `source` of the server's diagnostics (the status item counts the active file's by it). */
export const DIAGNOSTIC_SOURCE = 'deploy-preflight';

/** The server's state, for the extension's language status item. */
export interface StatusParams {
  /** A workspace folder is being (re)indexed. */
  indexing: boolean;
  /** Findings over every workspace folder (what the status item shows as "in workspace"). */
  findings: number;
  /** Findings are final, and the code of tests is still loading (for editor features only). */
  loadingTests?: boolean;
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
  explain: 'deployPreflight.explain',
} as const;

/** Commands the server executes (`workspace/executeCommand`). */
export const ServerCommands = {
  /** Re-indexes every folder from disk. No arguments. */
  checkWorkspace: 'deployPreflight.server.checkWorkspace',
  /** Applies the safe fixes of one document (argument: its URI) or of every folder (no argument). */
  fixAll: 'deployPreflight.server.fixAll',
  /** The `--explain` text (services, environments, deploy targets, with evidence). No arguments: every folder. */
  explain: 'deployPreflight.server.explain',
} as const;

export interface CheckWorkspaceResult {
  /** Problems over every workspace folder. */
  findings: number;
  /** Files checked. */
  files: number;
  /** Workspace folders checked. */
  folders: number;
  /** Problems by severity. */
  problems: { error: number; warning: number; info: number };
}

/** A file a fix-all changed. */
export interface FixAllFile {
  /** Workspace-relative path (prefixed by the folder's name when several folders are open). */
  path: string;
  uri: string;
  /** Fixes that edit it. */
  fixes: number;
}

export interface FixAllResult {
  /** Fixes applied (each whole). */
  applied: number;
  /** The files changed, by path (empty when nothing applied). */
  files: FixAllFile[];
  /** Problems left for you: their fixes need a value only you know, a judgement call, or a change by hand. */
  left: number;
  /** Why nothing applied (absent when something did): one short sentence. */
  reason?: string;
}

export interface ExplainResult {
  /** What `deploy-preflight --explain` prints for each folder (under a `# name` heading when several are open). */
  text: string;
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
