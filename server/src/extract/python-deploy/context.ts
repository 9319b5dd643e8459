/**
 * What every reading of one Python deploy script shares: the source, name resolution (with its
 * per-scope tables built once), the environment names, and the service configs found so far:
 * commands are read after the configs so an env flag built from a config's dict can fill that
 * config in instead of standing alone.
 */
import type { DeployFact } from '../../core/facts';
import type { EnvironmentNames } from '../../knowledge/environments';
import type { SyntaxNode } from '../../parsers/tree-sitter';
import type { Scope } from './scope';

export type Node = SyntaxNode;
export type Hint = DeployFact['environmentHints'][number];

/** A deploy read from a per-service config object or dict, and the names commands may reach its env dict by. */
export interface ConfigFact {
  fact: DeployFact;
  /** Link keys: `attr:environment_vars` (a field of the config), `var:ENV_VARS` (a module dict). */
  keys: Set<string>;
  /** The environment key of an env-keyed dict (`staging`). */
  envName?: string;
  /** The config's fields by name (keyword, positional or dict key) and their value expressions, so a
   * gcloud command built for "the service" can be resolved for each config (`service.cloud_run_name`,
   * `if service.name == "auth":`). Empty for a module dict keyed by environment. */
  fields: ReadonlyMap<string, Node>;
}

export interface DeployContext {
  readonly text: string;
  readonly root: Node;
  readonly envNames: EnvironmentNames;
  readonly scope: Scope;
  /** Service configs in the order found. */
  readonly configs: ConfigFact[];
  /** Ids of nodes already read as a config or a config's env dict, so no later form reads them again. */
  readonly claimed: Set<number>;
}
